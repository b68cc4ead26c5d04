/* Russian labels of the form-js editor's palette and properties panel (form-js 1.x has no translation service:
 * the page replaces the exact English texts of those labels, never what the methodologist typed). */
export const RU = {
  // palette groups and entries
  'Components': 'Элементы', 'Input': 'Ввод', 'Selection': 'Выбор', 'Presentation': 'Оформление',
  'Containers': 'Контейнеры', 'Action': 'Действия', 'Text field': 'Текст', 'Text area': 'Многострочный текст',
  'Number': 'Число', 'Date time': 'Дата', 'Datetime': 'Дата', 'Date': 'Дата', 'Checkbox': 'Флажок',
  'Checkbox group': 'Несколько вариантов', 'Radio group': 'Переключатели', 'Select': 'Список', 'Tag list': 'Теги',
  'Text view': 'Текст (надпись)', 'Spacer': 'Отступ', 'Separator': 'Разделитель', 'Group': 'Группа',
  'Button': 'Кнопка', 'Search components': 'Найти элемент',
  // properties panel
  'General': 'Общее', 'Label': 'Подпись', 'Key': 'Ключ (латиницей)', 'Field description': 'Пояснение',
  'Default value': 'Значение по умолчанию', 'Validation': 'Проверка', 'Required': 'Обязательное',
  'Minimum length': 'Не короче (знаков)', 'Maximum length': 'Не длиннее (знаков)', 'Minimum': 'Минимум',
  'Maximum': 'Максимум', 'Custom regular expression': 'Регулярное выражение', 'Regular expression pattern': 'Шаблон',
  'Static options': 'Варианты', 'Options source': 'Источник вариантов', 'Value': 'Значение',
  'Decimal digits': 'Знаков после запятой', 'Increment': 'Шаг', 'Appearance': 'Вид', 'Prefix': 'Префикс',
  'Suffix': 'Суффикс', 'Layout': 'Размещение', 'Columns': 'Колонки', 'Condition': 'Условие', 'Text': 'Текст',
  'Subtype': 'Вид значения', 'Date label': 'Подпись даты', 'Disabled': 'Недоступно', 'Read only': 'Только чтение',
  'Custom properties': 'Свои свойства', 'Serialization': 'Формат', 'Constraints': 'Ограничения',
  'Disallow past dates': 'Не раньше сегодняшнего дня', 'Content': 'Содержимое', 'Type': 'Тип',
  'Field label': 'Подпись', 'Binds to a form variable': 'имя значения в данных процесса',
  'Hide if': 'Скрыть, если', 'Condition under which the field is hidden': 'условие, при котором поле скрыто',
  'Validation pattern': 'Формат', 'Custom': 'Свой', 'Phone': 'Телефон', 'Create': 'Добавить', 'Auto': 'Авто',
  'Form': 'Форма', 'Version tag': 'Метка версии', 'Checked': 'Отмечено',
  'Not checked': 'Не отмечено', 'Options': 'Варианты', 'Add': 'Добавить',
  // the empty form
  'Build your form': 'Соберите форму',
  'Drag and drop components here to start designing.': 'Перетащите сюда элементы из палитры слева.',
  'Use the preview window to test your form.': 'Сервер проверяет ответы по ограничениям полей.',
  'Drag and drop components here.': 'Перетащите сюда элементы.'
};

const ROOTS = '.fjs-palette-container, .fjs-properties-container, .fjs-empty-editor, .fjs-empty-component';

/* Only whole texts the dictionary knows are replaced (text nodes and placeholders), so what the methodologist
 * typed — labels, keys — stays as typed. */
function translateIn(container) {
  container.querySelectorAll(ROOTS).forEach(function(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue.trim();
      if (RU[text]) { node.nodeValue = node.nodeValue.replace(text, RU[text]); }
    }
    root.querySelectorAll('input[placeholder], textarea[placeholder]').forEach(function(input) {
      if (RU[input.placeholder]) { input.placeholder = RU[input.placeholder]; }
    });
  });
}

export function translateEditor(container) {
  translateIn(container);
  new MutationObserver(function() { translateIn(container); })
    .observe(container, { childList: true, subtree: true, characterData: true });
}
