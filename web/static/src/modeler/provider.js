/* The project's properties: a group «Наставник» for each element with the properties `workflow check`
 * reads (workflows/README.md): lane → role, user task → form (+ fields of a diagram's own form, hook),
 * business rule task → ruleset, timer → type and ISO 8601 expression with its meaning in words, a
 * conditional flow → condition, script task → script, pre/post scripts, message → variable,
 * multi-instance → the collection and results variables; the process (or its pool) → its kind, and an element →
 * the domain effects it carries (engine/workflow/effects.py). The catalog of roles, forms, rulesets, hooks, effects
 * and kinds comes from the server (config.nastavnik.catalog). */
import { getBusinessObject, is, isAny } from 'bpmn-js/lib/util/ModelUtil';
import { createElement as h } from '@bpmn-io/properties-panel/preact';
import { SelectEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';

import { BodyText, ExpressionText, ProblemsEntry, PropertySelect, PropertyText } from './entries';
import { getProperty } from './extension';
import { timerWords } from './timer-words';
import { variableName, variableRef } from './loop-refs';

const HUMAN = ['bpmn:UserTask', 'bpmn:ManualTask'];
const ROLE_WORDS = { curator: 'куратор', methodologist: 'методист', head: 'руководитель', mentor: 'наставник',
  mentee: 'наставляемый' };
const TIMER_KINDS = [
  { value: 'timeDuration', label: 'Через срок (длительность)' },
  { value: 'timeDate', label: 'В момент (дата)' },
  { value: 'timeCycle', label: 'Повторять (цикл)' }
];

function eventDefinition(element, type) {
  const bo = getBusinessObject(element);
  return (bo.get('eventDefinitions') || []).find(function(d) { return is(d, type); }) || null;
}

function LaneRole(props) {
  const modeling = useService('modeling');
  const catalog = useService('config.nastavnik').catalog;
  const { element, id } = props;
  const name = (getBusinessObject(element).name || '').trim();
  const options = [{ value: '', label: '— дорожка без роли —' }].concat(catalog.roles.map(function(r) {
    return { value: r.lane, label: r.lane + (r.system ? ' (автоматические шаги)' : '') };
  }));
  if (name && !catalog.roles.some(function(r) { return r.lane === name; })) {
    options.push({ value: name, label: '«' + name + '» — не роль' });
  }
  return h(SelectEntry, {
    element, id, label: 'Роль (название дорожки)',
    description: 'Задачи на дорожке выполняет эта роль; «Система» — только автоматические шаги.',
    getValue: function() { return name; },
    setValue: function(value) { modeling.updateLabel(element, value); },
    getOptions: function() { return options; }
  });
}

function formOptions(catalog) {
  return catalog.forms.map(function(f) { return { value: f.id, label: f.title + ' (' + f.id + ')' }; });
}

function describeForm(catalog) {
  return function(formId) {
    const form = catalog.forms.find(function(f) { return f.id === formId; });
    if (!form) {
      return formId ? 'Своя форма диаграммы: её поля задаёт свойство «Поля своей формы».' :
        'Выберите форму системы или впишите свою форму ниже.';
    }
    const fields = form.fields.map(function(f) { return f.label + ' (' + f.name + (f.required ? ', обязательное' : '') + ')'; });
    const who = (form.roles || []).map(function(r) { return ROLE_WORDS[r] || r; });
    return (who.length ? 'Заполняет ' + who.join(' или ') + '. ' : '') + 'Поля: ' + (fields.join('; ') || 'нет') + '.';
  };
}

function TimerKind(props) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const { element, id } = props;
  const definition = eventDefinition(element, 'bpmn:TimerEventDefinition');
  const current = TIMER_KINDS.find(function(k) { return definition.get(k.value); });
  return h(SelectEntry, {
    element, id, label: 'Когда срабатывает',
    getValue: function() { return current ? current.value : ''; },
    setValue: function(kind) {
      const properties = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
      properties[kind] = current ? definition.get(current.value) : undefined;
      if (!properties[kind]) { properties[kind] = bpmnFactory.create('bpmn:FormalExpression', { body: '' }); }
      modeling.updateModdleProperties(element, definition, properties);
    },
    getOptions: function() { return (current ? [] : [{ value: '', label: '— не задано —' }]).concat(TIMER_KINDS); }
  });
}

function TimerExpression(props) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const { element, id } = props;
  const definition = eventDefinition(element, 'bpmn:TimerEventDefinition');
  const kind = (TIMER_KINDS.find(function(k) { return definition.get(k.value); }) || TIMER_KINDS[0]).value;
  const expression = definition.get(kind);
  const text = expression ? expression.get('body') || '' : '';
  return h(TextFieldEntry, {
    element, id, debounce, label: 'Выражение (ISO 8601 или выражение над данными)',
    description: 'Значит: ' + timerWords(kind, text) + '. Примеры: P14D — 14 дней, P1M — месяц, ' +
      '2025-09-01T09:00:00+07:00 — дата, R3/P7D — три раза каждые 7 дней.',
    getValue: function() { return text; },
    setValue: function(value) {
      modeling.updateModdleProperties(element, definition, {
        [kind]: bpmnFactory.create('bpmn:FormalExpression', { body: (value || '').trim() })
      });
    }
  });
}

function LoopVariable(props) {
  const modeling = useService('modeling');
  const moddle = useService('moddle');
  const debounce = useService('debounceInput');
  const { element, id, property, label, description } = props;
  const loop = getBusinessObject(element).get('loopCharacteristics');
  return h(TextFieldEntry, {
    element, id, debounce, label, description,
    getValue: function() { return variableName(loop.get(property)); },
    setValue: function(value) {
      value = (value || '').trim();
      modeling.updateModdleProperties(element, loop, { [property]: value ? variableRef(moddle, value) : undefined });
    }
  });
}

/* 'userTask' (engine/workflow/effects.py) -> 'bpmn:UserTask' */
function bpmnType(localName) {
  return 'bpmn:' + localName.charAt(0).toUpperCase() + localName.slice(1);
}

function effectsFor(element, catalog) {
  return (catalog.effects || []).filter(function(e) {
    return e.elements.some(function(t) { return is(element, bpmnType(t)); });
  });
}

function describeEffects(catalog) {
  return function(value) {
    const names = (value || '').split(/[\s,;]+/).filter(Boolean);
    if (!names.length) {
      return 'Службы системы находят элемент по действию, а не по идентификатору: его можно переименовать.';
    }
    return names.map(function(name) {
      const effect = (catalog.effects || []).find(function(e) { return e.name === name; });
      return effect ? effect.title : '«' + name + '» — неизвестное действие';
    }).join('; ') + '.';
  };
}

function nameOf(bo) {
  return ((bo && (bo.name || bo.id)) || '').replace(/\s+/g, ' ').trim();
}

/* «из «A» в «B»»: where a sequence flow goes (its own name is often empty or just «Да»). */
export function flowEnds(bo) {
  return 'из «' + nameOf(bo.sourceRef) + '» в «' + nameOf(bo.targetRef) + '»';
}

function example(field) {
  if (field.type === 'bool') { return field.name + ' == True'; }
  if (field.type === 'number') { return field.name + ' >= 1'; }
  if (field.type === 'list') { return 'len(' + field.name + ') > 0'; }
  return field.name + ' == "…"';
}

/* A hint for a condition after a gateway: the data the step before the gateway writes (its form's fields, or a rule
 * set's decision), else a neutral sentence. */
export function conditionHint(bo, catalog) {
  const gateway = bo.sourceRef;
  const before = (gateway.get('incoming') || []).map(function(f) { return f.sourceRef; }).filter(Boolean);
  for (const step of before) {
    if (is(step, 'bpmn:BusinessRuleTask')) {
      const result = getProperty(step, 'result') || 'decision';
      return 'Решение набора правил шага «' + nameOf(step) + '» — в переменной ' + result + '. Например: ' +
        result + '["verdict"] == "eligible"';
    }
    const form = catalog.forms.find(function(f) { return f.id === getProperty(step, 'form'); });
    const fields = form ? form.fields.filter(function(f) { return f.input !== 'system'; }) : [];
    if (fields.length) {
      const chosen = fields.find(function(f) { return f.type === 'bool'; }) || fields[0];
      return 'Данные формы «' + form.title + '» шага «' + nameOf(step) + '»: ' +
        fields.map(function(f) { return f.name; }).join(', ') + '. Например: ' + example(chosen);
    }
  }
  return 'Выражение над данными процесса: переход выбирается, когда оно истинно. Например: имя == "значение"';
}

/* The whole «из … в …» of a flow (the group's title is cut to the panel's width). */
function FlowEnds(props) {
  return h('div', { class: 'bio-properties-panel-entry nastavnik-flow-ends', 'data-entry-id': props.id },
    'Переход ' + flowEnds(getBusinessObject(props.element)) + '.');
}

function entry(id, component, extra) {
  return Object.assign({ id: 'nastavnik-' + id, component, isEdited: function() { return false; } }, extra || {});
}

function nastavnikEntries(element, catalog) {
  const bo = getBusinessObject(element);
  const entries = [];
  if (is(element, 'bpmn:Lane')) {
    entries.push(entry('role', LaneRole));
  }
  if (isAny(element, HUMAN)) {
    entries.push(entry('form', PropertySelect, {
      label: 'Форма системы', name: 'form', options: formOptions(catalog), describe: describeForm(catalog),
      unknown: '— своя форма диаграммы' }));
    entries.push(entry('form-own', PropertyText, {
      label: 'Своя форма (идентификатор)', name: 'form',
      description: 'Латиница, цифры и «_»; поля своей формы перечислите ниже. Страницы у неё нет: только для ' +
        'задач, которые выполняют через API («Кто выполняет»).' }));
    entries.push(entry('fields', PropertyText, {
      label: 'Поля своей формы', name: 'fields',
      description: 'имя: тип через «;», например «approved: bool; comment: text». Типы: text, bool, int, number, ' +
        'date, list, object, any. Для формы системы оставьте пустым.' }));
    entries.push(entry('channel', PropertySelect, {
      label: 'Кто выполняет', name: 'channel', empty: 'человек на странице в браузере',
      options: [{ value: 'api', label: 'только через API или nastavnik task complete (страницы нет)' }],
      describe: function(value) {
        return value ? 'Своя форма диаграммы допустима только здесь: у задачи нет страницы.' :
          'Нужна форма системы или форма из конструктора: своя форма диаграммы страницы не имеет.';
      } }));
    entries.push(entry('hook', PropertySelect, {
      label: 'Изменение записей при завершении', name: 'hook',
      options: catalog.hooks.map(function(name) { return { value: name, label: name }; }),
      describe: function() { return 'Без него задача меняет только данные процесса.'; } }));
  }
  if (is(element, 'bpmn:BusinessRuleTask')) {
    entries.push(entry('ruleset', PropertySelect, {
      label: 'Набор правил', name: 'ruleset',
      options: catalog.rulesets.map(function(r) {
        return { value: r.id, label: r.title + ' (' + r.id + (r.version ? ', версия ' + r.version : '') + ')' };
      }),
      describe: function() { return '«pack:…» — набор, который называет положение организации.'; } }));
    entries.push(entry('facts', PropertyText, { label: 'Переменная с фактами', name: 'facts',
      description: 'По умолчанию facts.' }));
    entries.push(entry('result', PropertyText, { label: 'Переменная для решения', name: 'result',
      description: 'По умолчанию decision.' }));
  }
  if (is(element, 'bpmn:ScriptTask')) {
    entries.push(entry('script', ExpressionText, { label: 'Сценарий (Python, безопасное подмножество)',
      owner: function(el) { return getBusinessObject(el); }, property: 'script', plain: true, rows: 6 }));
  }
  if (is(element, 'bpmn:SequenceFlow') && bo.sourceRef && bo.targetRef) {
    entries.push(entry('flow-ends', FlowEnds));
  }
  if (is(element, 'bpmn:SequenceFlow') && bo.sourceRef &&
      isAny(bo.sourceRef, ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway'])) {
    entries.push(entry('condition', ExpressionText, { label: 'Условие перехода (выражение Python)',
      owner: function(el) { return getBusinessObject(el); }, property: 'conditionExpression',
      description: bo.sourceRef.default === bo ? 'Это поток по умолчанию: условие не нужно.' :
        conditionHint(bo, catalog) }));
  }
  if (eventDefinition(element, 'bpmn:TimerEventDefinition')) {
    entries.push(entry('timer-kind', TimerKind));
    entries.push(entry('timer-expression', TimerExpression));
  }
  const message = eventDefinition(element, 'bpmn:MessageEventDefinition');
  if (message) {
    entries.push(entry('message-variable', BodyText, { label: 'Переменная для данных сообщения',
      type: 'spiffworkflow:MessageVariable', rows: 1, target: function() { return message; } }));
  }
  if (isAny(element, ['bpmn:Task', 'bpmn:SubProcess', 'bpmn:CallActivity']) &&
      is(bo.get('loopCharacteristics'), 'bpmn:MultiInstanceLoopCharacteristics')) {
    entries.push(entry('loop-input', LoopVariable, { property: 'loopDataInputRef',
      label: 'Коллекция (переменная)', description: 'Шаг повторяется для каждого элемента этого списка.' }));
    entries.push(entry('loop-output', LoopVariable, { property: 'loopDataOutputRef',
      label: 'Результаты (переменная)', description: 'Список, куда собираются результаты повторений.' }));
  }
  if (isAny(element, ['bpmn:Task', 'bpmn:SubProcess', 'bpmn:CallActivity'])) {
    const self = function(el) { return getBusinessObject(el); };
    entries.push(entry('pre-script', BodyText, { label: 'Сценарий перед шагом', type: 'spiffworkflow:PreScript',
      target: self }));
    entries.push(entry('post-script', BodyText, { label: 'Сценарий после шага', type: 'spiffworkflow:PostScript',
      target: self }));
  }
  const effects = effectsFor(element, catalog);
  if (effects.length) {
    entries.push(entry('effect', PropertySelect, {
      label: 'Действие системы', name: 'effect', describe: describeEffects(catalog),
      options: effects.map(function(e) { return { value: e.name, label: e.title + ' (' + e.name + ')' }; }),
      unknown: '(несколько действий или неизвестное: правьте ниже)' }));
    entries.push(entry('effect-text', PropertyText, {
      label: 'Действия системы (списком)', name: 'effect',
      description: 'Несколько действий — через запятую, например «new_mentor_consent, petition_mentor_replacement».' }));
  }
  if (isAny(element, ['bpmn:Process', 'bpmn:Participant']) && (catalog.kinds || []).length) {
    entries.push(entry('kind', PropertySelect, {
      label: 'Вид процесса', name: 'kind',
      options: catalog.kinds.map(function(k) { return { value: k.name, label: k.title + ' (' + k.name + ')' }; }),
      describe: function(value) {
        const kind = catalog.kinds.find(function(k) { return k.name === value; });
        if (!kind) { return 'Какая служба системы запускает процесс: проверка требует от него её действий и сообщений.'; }
        const parts = [];
        if (kind.effects.length) { parts.push('действия: ' + kind.effects.join(', ')); }
        if (kind.hooks.length) { parts.push('обработчики: ' + kind.hooks.join(', ')); }
        if (kind.messages.length) { parts.push('сообщения: ' + kind.messages.join(', ')); }
        return 'Требуется — ' + (parts.join('; ') || 'ничего особого') + '.';
      } }));
  }
  if (entries.length || !is(element, 'bpmn:Process')) {
    entries.push(entry('problems', ProblemsEntry));
  }
  return entries;
}

export default function NastavnikPropertiesProvider(propertiesPanel, config) {
  const catalog = (config && config.catalog) || { roles: [], forms: [], rulesets: [], hooks: [], effects: [], kinds: [] };
  this.getGroups = function(element) {
    return function(groups) {
      const entries = nastavnikEntries(element, catalog);
      if (eventDefinition(element, 'bpmn:TimerEventDefinition')) {
        groups = groups.filter(function(g) { return g.id !== 'timer'; });
      }
      if (entries.length) {
        const at = Math.min(1, groups.length);
        const label = is(element, 'bpmn:SequenceFlow') ? 'Переход ' + flowEnds(getBusinessObject(element)) :
          'Свойства процесса «Наставника»';
        groups.splice(at, 0, { id: 'nastavnik', label, entries, shouldOpen: true });
      }
      return groups;
    };
  };
  propertiesPanel.registerProvider(400, this);
}

NastavnikPropertiesProvider.$inject = ['propertiesPanel', 'config.nastavnik'];
