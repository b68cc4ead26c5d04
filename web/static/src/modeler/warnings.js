/* bpmn-js import warnings in Russian (the page lists them; none is ignored). */
const PATTERNS = [
  [/^unresolved reference <([^>]*)>/, 'ссылка на несуществующий элемент «$1»'],
  [/^unparsable content <([^>]*)> detected/, 'не удалось прочитать элемент <$1>: редактор его не сохранит'],
  [/^unknown type <([^>]*)>/, 'неизвестный тип элемента <$1>'],
  [/^element <([^>]*)> referenced by <([^>]*)> not yet drawn/, 'элемент «$1», на который ссылается «$2», ещё не нарисован'],
  [/^multiple DI elements defined for <([^>]*)>/, 'у элемента «$1» несколько изображений на схеме'],
  [/^no bpmnElement referenced in <([^>]*)>/, 'изображение «$1» не ссылается на элемент процесса'],
  [/^no parent for <([^>]*)> in <([^>]*)>/, 'у элемента «$1» нет родителя в «$2»'],
  [/^no shape type specified/, 'не указан тип фигуры'],
  [/^missing (.*)/, 'не хватает: $1'],
  [/^element (.*) has no DI/, 'элемент $1 не нарисован на схеме'],
  [/^duplicate ID <([^>]*)>/, 'идентификатор «$1» повторяется']
];

export function warningText(warning) {
  const message = String((warning && warning.message) || warning || '').split('\n')[0];
  for (const [pattern, text] of PATTERNS) {
    if (pattern.test(message)) { return message.replace(pattern, text).replace(/\s+$/, ''); }
  }
  return 'предупреждение редактора: ' + message;
}

export function elementOf(warning) {
  const element = warning && (warning.element || (warning.context && warning.context.element));
  return element && element.id ? element.id : null;
}
