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
  'Disallow past dates': 'Не раньше сегодняшнего дня', 'Content': 'Содержимое', 'Type': 'Тип'
};

const SELECTORS = ['.fjs-palette-group-title', '.fjs-palette-field-text', '.bio-properties-panel-label',
  '.bio-properties-panel-group-header-title', '.fjs-palette-header'].join(',');

function translateIn(root) {
  root.querySelectorAll(SELECTORS).forEach(function(node) {
    const text = node.textContent.trim();
    if (RU[text] && node.children.length === 0) { node.textContent = RU[text]; }
  });
  root.querySelectorAll('.fjs-palette-search').forEach(function(input) {
    if (input.placeholder && RU[input.placeholder]) { input.placeholder = RU[input.placeholder]; }
  });
}

export function translateEditor(container) {
  translateIn(container);
  new MutationObserver(function() { translateIn(container); }).observe(container, { childList: true, subtree: true });
}
