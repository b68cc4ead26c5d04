/* Russian texts of the form-js editor (form-js 1.x has no translation service: the page replaces the exact English
 * texts the editor renders — text nodes, and the title/aria-label/placeholder/alt attributes — never what the
 * methodologist typed). tests/web/test_browser_form_designer_russian.py fails on any English the designer shows. */
export const RU = {
  // palette groups and entries (the component types: also the properties panel's header)
  'Components': 'Элементы', 'Input': 'Ввод', 'Selection': 'Выбор', 'Presentation': 'Оформление',
  'Containers': 'Контейнеры', 'Action': 'Действия', 'Text field': 'Текст', 'Text area': 'Многострочный текст',
  'Number': 'Число', 'Date time': 'Дата', 'Datetime': 'Дата', 'Date': 'Дата', 'Checkbox': 'Флажок',
  'Checkbox group': 'Несколько вариантов', 'Radio group': 'Переключатели', 'Select': 'Список', 'Tag list': 'Теги',
  'Text view': 'Текст (надпись)', 'Spacer': 'Отступ', 'Separator': 'Разделитель', 'Group': 'Группа',
  'Button': 'Кнопка', 'Search components': 'Найти элемент', 'Clear content': 'Очистить',
  'No components found.': 'Таких элементов нет.',
  // properties panel: groups and entries
  'General': 'Общее', 'Label': 'Подпись', 'Key': 'Ключ (латиницей)', 'Field description': 'Пояснение',
  'Default value': 'Значение по умолчанию', 'Validation': 'Проверка', 'Required': 'Обязательное',
  'Minimum length': 'Не короче (знаков)', 'Maximum length': 'Не длиннее (знаков)', 'Minimum': 'Минимум',
  'Maximum': 'Максимум', 'Custom regular expression': 'Регулярное выражение', 'Regular expression pattern': 'Шаблон',
  'Custom error message': 'Своё сообщение об ошибке',
  'Static options': 'Варианты', 'Options source': 'Источник вариантов', 'Value': 'Значение',
  'Static': 'Список', 'Input data': 'Данные процесса', 'Expression': 'Выражение', 'Dynamic options': 'Варианты из данных',
  'Input values key': 'Переменная с вариантами', 'Options expression': 'Выражение для вариантов',
  'Decimal digits': 'Знаков после запятой', 'Increment': 'Шаг', 'Appearance': 'Вид', 'Prefix': 'Префикс',
  'Suffix': 'Суффикс', 'Layout': 'Размещение', 'Columns': 'Колонки', 'Column': 'Колонка', 'Condition': 'Условие',
  'Text': 'Текст', 'Subtype': 'Вид значения', 'Date label': 'Подпись даты', 'Time label': 'Подпись времени',
  'Time format': 'Формат времени', 'Time interval': 'Шаг времени', 'Use 24h': '24 часа', 'Time': 'Время',
  'Date & time': 'Дата и время', 'Disabled': 'Недоступно', 'Read only': 'Только чтение',
  'Custom properties': 'Свои свойства', 'Serialization': 'Формат', 'Constraints': 'Ограничения',
  'Disallow past dates': 'Не раньше сегодняшнего дня', 'Content': 'Содержимое', 'Type': 'Тип',
  'Field label': 'Подпись', 'Binds to a form variable': 'имя значения в данных процесса',
  'Hide if': 'Скрыть, если', 'Condition under which the field is hidden': 'условие, при котором поле скрыто',
  'Deactivate if': 'Сделать недоступным, если',
  'Condition under which the field is deactivated': 'условие, при котором поле недоступно',
  'Validation pattern': 'Формат', 'Custom': 'Свой', 'Phone': 'Телефон', 'Email': 'Эл. почта', 'Create': 'Добавить',
  'Auto': 'Авто', 'Form': 'Форма', 'Version tag': 'Метка версии', 'ID': 'Идентификатор', 'Checked': 'Отмечено',
  'Not checked': 'Не отмечено', 'Options': 'Варианты', 'Add': 'Добавить', 'Height': 'Высота', 'Path': 'Путь',
  'Group label': 'Подпись группы', 'Show outline': 'Показывать рамку', 'Vertical alignment': 'Выравнивание по вертикали',
  'Top': 'Сверху', 'Center': 'По центру', 'Bottom': 'Снизу', 'Searchable': 'С поиском', 'Output as string': 'Строкой',
  'Allows arbitrary precision values': 'значения любой точности', 'Submit': 'Отправить', 'Reset': 'Очистить форму',
  'Compute on': 'Вычислять', 'Value changes': 'при изменении значений', 'Form submission': 'при отправке',
  'Height of the container in pixels.': 'высота в пикселях',
  'Where the child variables of this component are pathed to.': 'куда помещаются значения вложенных полей',
  'Supports markdown and templating.': 'поддерживаются разметка и подстановки',
  'Define an expression to calculate the value of this field': 'выражение, по которому вычисляется значение поля',
  'Define an expression to populate the options from.': 'выражение, из которого берутся варианты',
  'Define which input property to populate the values from': 'переменная процесса, из которой берутся варианты',
  'Select a form field to edit its properties.': 'Выберите поле, чтобы изменить его свойства.',
  'Learn more': 'Подробнее', 'Open documentation': 'Открыть справку', '<empty>': '<пусто>', '<none>': '<нет>',
  'Toggle section': 'Свернуть или развернуть раздел', 'Section contains edits': 'В разделе есть изменения',
  'Section contains an error': 'В разделе есть ошибка', 'Toggle list item': 'Свернуть или развернуть',
  'Delete item': 'Удалить', 'Create new list item': 'Добавить', 'Open pop-up editor': 'Открыть в отдельном окне',
  'Click to set a dynamic value with FEEL expression': 'Задать значение выражением',
  'FEEL expression is mandatory': 'здесь нужно выражение', 'dd.mm.yyyy': 'ДД.ММ.ГГГГ',
  'Powered by bpmn.io': 'Сделано на bpmn.io',
  // the panel's hints (shown on hover)
  'Use a unique "key" to link the form element and the related input/output data. When dealing with nested data, break it down in the user task\'s input mapping before using it.':
    'Ключ — имя, под которым сервер сохраняет ответ на это поле: латинские буквы, цифры и «_», у каждого поля свой.',
  'Disable this field when it should not be interactive for end-users. Its data will not be submitted. This setting takes precedence over read-only.':
    'Поле видно, но недоступно: его значение не отправляется. Важнее, чем «Только чтение».',
  'Make this field read-only when it cannot be edited by the end-user, but its content is important for them to see. Its data will still be submitted.':
    'Поле видно, но не изменяется; его значение отправляется.',
  'Add properties directly to the form schema, useful to configure functionality in custom-built task applications and form renderers.':
    'Свойства записываются в схему формы как есть; сервер их не читает.',
  'The error message to display when the input does not match the regular expression.':
    'Что показать, если ответ не подходит под регулярное выражение.',
  'The built-in phone validation pattern is based on the E.164 standard with no spaces. Ex: +491234567890':
    'Телефон в международном формате, без пробелов: +79131234567.',
  ['"Static" defines a constant, predefined set of form options.\n\n"Input data" defines options that are ' +
  'populated dynamically, adjusting based on variable data for flexible responses to different conditions or ' +
  'inputs.\n\n"Expression" defines options that are populated from a FEEL expression.']:
    '«Список» — варианты перечислены здесь. «Данные процесса» и «Выражение» — варианты из данных процесса: ' +
    'сервер такие поля не принимает.',
  'Routes the children of this component into a form variable.': 'Значения вложенных полей — в одной переменной.',
  // the panel's checks
  'Must not be empty': 'Не может быть пустым', 'Must not be empty.': 'Не может быть пустым.',
  'Must be unique.': 'Такой ключ уже есть у другого поля.', 'Must not contain spaces.': 'Без пробелов.',
  'Must be a variable or a dot separated path.': 'Имя переменной или путь через точку.',
  'Must be a variable or a dot-separated path': 'Имя переменной или путь через точку',
  'Must be empty, a variable or a dot-separated path': 'Пусто, имя переменной или путь через точку',
  'Must not conflict with other key/path assignments.': 'Не должен совпадать с ключами и путями других полей.',
  'Must not cause two binding paths to collide': 'Пути двух полей не должны совпадать',
  'Must not contain numerical path segments.': 'В пути не должно быть числовых частей.',
  'Must not be a prohibited path.': 'Этот путь использовать нельзя.', 'Must not contain prefix.': 'Без префикса.',
  'Must be a valid QName.': 'Допустимое имя: буквы, цифры, «_», «-», «.».', 'Must be number': 'Должно быть числом',
  'Should be a valid number': 'Должно быть числом', 'Should be a valid number.': 'Должно быть числом.',
  'Should be an integer.': 'Должно быть целым числом.', 'Should be greater than zero.': 'Должно быть больше нуля.',
  'Should be greater than or equal to zero.': 'Не может быть меньше нуля.',
  'Value must be a number.': 'Значение должно быть числом.', 'Expression is empty': 'Выражение пустое',
  // the empty form
  'Build your form': 'Соберите форму',
  'Drag and drop components here to start designing.': 'Перетащите сюда элементы из палитры слева.',
  'Use the preview window to test your form.': 'Сервер проверяет ответы по ограничениям полей.',
  'Drag and drop components here.': 'Перетащите сюда элементы.'
};

/* Attributes whose English differs in meaning from the same text as a label (the number field's arrows). */
const ATTRIBUTES = { 'Increment': 'Увеличить', 'Decrement': 'Уменьшить', 'Text': 'Текст', 'Month': 'Месяц', 'Year': 'Год' };

function items(count) {
  const last = count % 10, tens = count % 100;
  const word = last === 1 && tens !== 11 ? 'элемент' :
    last >= 2 && last <= 4 && (tens < 10 || tens >= 20) ? 'элемента' : 'элементов';
  return 'В списке ' + count + ' ' + word;
}

/* Texts with a part that varies: the component's type or a number. */
const PATTERNS = [
  [/^Create an? (.+) element$/, (m) => 'Добавить: ' + (RU[m[1]] || m[1])],
  [/^Remove (.+)$/, (m) => 'Удалить: ' + (RU[m[1]] || m[1])],
  [/^List contains (\d+) items?$/, (m) => items(Number(m[1]))],
  [/^Should be at least (.+?)\.?$/, (m) => 'Не меньше ' + m[1] + '.'],
  [/^Should be at most (.+?)\.?$/, (m) => 'Не больше ' + m[1] + '.'],
  [/^Should not contain more than (\d+) decimal digits\.?$/, (m) => 'Не больше ' + m[1] + ' знаков после запятой.']
];

function russian(text, attribute) {
  if (attribute && ATTRIBUTES[text]) { return ATTRIBUTES[text]; }
  if (RU[text]) { return RU[text]; }
  for (const [pattern, make] of PATTERNS) {
    const match = pattern.exec(text);
    if (match) { return make(match); }
  }
  return null;
}

/* What the methodologist typed and the editor shows as typed: the code editors of the panel (a text view's content,
 * expressions) and the text view's rendering on the canvas. Changing their text nodes would change her text. */
const TYPED = '.cm-editor, [contenteditable="true"], .fjs-form-field-text';

const NAMED = ['title', 'aria-label', 'placeholder', 'alt'];
const WITH_NAMES = NAMED.map((name) => '[' + name + ']').join(',');

/* Only whole texts the dictionary knows are replaced, so what the methodologist typed — labels, keys — stays as
 * typed (a typed label is Russian; a key is Latin and never a dictionary text). */
function translateIn(container) {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    const typed = !text || !/[A-Za-z]/.test(text) || (node.parentElement && node.parentElement.closest(TYPED));
    const found = typed ? null : russian(text, false);
    if (found) { node.nodeValue = node.nodeValue.replace(text, found); }
  }
  container.querySelectorAll(WITH_NAMES).forEach(function(element) {
    NAMED.forEach(function(name) {
      const value = element.getAttribute(name);
      const found = value && /[A-Za-z]/.test(value) ? russian(value.trim(), true) : null;
      if (found) { element.setAttribute(name, found); }
    });
  });
}

/* The component types in Russian at their source: the palette lists them (and its search finds «Текст»), and a new
 * field gets a Russian label («Флажок», not «Checkbox»), which the methodologist then edits. A module of the editor
 * (``additionalModules``), so it runs before the palette is drawn. */
function RussianFields(formFields) {
  Object.values(formFields._formFields).forEach(function(definition) {
    const config = definition.config;
    if (!config || config.russian) { return; }
    ['name', 'label'].forEach(function(name) {
      if (config[name] && RU[config[name]]) { config[name] = RU[config[name]]; }
    });
    const create = config.create;
    config.create = function(options, isNewField) {
      const made = create.call(this, options, isNewField);
      if (isNewField !== false) {
        ['label', 'dateLabel', 'timeLabel'].forEach(function(name) {
          if (typeof made[name] === 'string' && RU[made[name]]) { made[name] = RU[made[name]]; }
        });
        if (made.text === '# Text') { made.text = '# Текст'; }
        if (Array.isArray(made.values)) {  // the default option of a choice: «Значение», not «Value»
          made.values = made.values.map((option) => (RU[option.label] ? { ...option, label: RU[option.label] } : option));
        }
      }
      return made;
    };
    config.russian = true;
  });
}
RussianFields.$inject = ['formFields'];

export const russianFields = { __init__: ['russianFields'], russianFields: ['type', RussianFields] };

export function translateEditor(container) {
  translateIn(container);
  new MutationObserver(function() { translateIn(container); })
    .observe(container, { childList: true, subtree: true, characterData: true, attributes: true,
      attributeFilter: NAMED });
}
