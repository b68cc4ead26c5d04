/* The properties panel's entries for what the project understands (preact components, no JSX). */
import { createElement as h } from '@bpmn-io/properties-panel/preact';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { SelectEntry, TextAreaEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';

import { getBody, getProperty, setBody, setProperty } from './extension';

/* The last server check's messages about this element, re-rendered when a new check arrives. */
export function useProblems(element) {
  const problems = useService('nastavnikProblems');
  const eventBus = useService('eventBus');
  const [messages, setMessages] = useState(problems.of(element.id));
  useEffect(function() {
    const update = function() { setMessages(problems.of(element.id)); };
    update();
    eventBus.on('nastavnik.problems.changed', update);
    return function() { eventBus.off('nastavnik.problems.changed', update); };
  }, [element.id]);
  return messages;
}

export function ProblemsEntry(props) {
  const messages = useProblems(props.element);
  const checked = useService('nastavnikProblems').checked();
  if (!checked) {
    return h('div', { class: 'bio-properties-panel-entry nastavnik-problems is-unchecked', 'data-entry-id': props.id },
      'Проверка: ещё не запускалась (она идёт сама после каждого изменения).');
  }
  if (!messages.length) {
    return h('div', { class: 'bio-properties-panel-entry nastavnik-problems is-ok', 'data-entry-id': props.id },
      'Проверка: замечаний к элементу нет.');
  }
  return h('div', { class: 'bio-properties-panel-entry nastavnik-problems', 'data-entry-id': props.id },
    h('ul', null, messages.map(function(text, i) { return h('li', { key: i }, text); })));
}

/* A select of the spiffworkflow:property `name` (options: [{value, label}]). */
export function PropertySelect(props) {
  const injector = useService('injector');
  const { element, id, label, name, options, describe, unknown, empty } = props;
  const current = getProperty(element, name) || '';
  const all = [{ value: '', label: '— ' + (empty || 'не выбрано') + ' —' }].concat(options);
  if (current && !all.some(function(o) { return o.value === current; })) {
    all.push({ value: current, label: '«' + current + '» ' + (unknown || '(нет в списке)') });
  }
  return h(SelectEntry, {
    element, id, label,
    description: describe ? describe(current) : undefined,
    getValue: function() { return current; },
    setValue: function(value) { setProperty(injector, element, name, value); },
    getOptions: function() { return all; }
  });
}

export function PropertyText(props) {
  const injector = useService('injector');
  const debounce = useService('debounceInput');
  const { element, id, label, name, description } = props;
  return h(TextFieldEntry, {
    element, id, label, description, debounce,
    getValue: function() { return getProperty(element, name) || ''; },
    setValue: function(value) { setProperty(injector, element, name, (value || '').trim()); }
  });
}

/* A text area over a body element (preScript, postScript, messageVariable) of `target(element)`. */
export function BodyText(props) {
  const injector = useService('injector');
  const debounce = useService('debounceInput');
  const { element, id, label, type, target, rows, description } = props;
  return h(TextAreaEntry, {
    element, id, label, description, debounce, rows: rows || 3, monospace: true, autoResize: true,
    getValue: function() { return getBody(target(element), type); },
    setValue: function(value) { setBody(injector, element, target(element), type, value || ''); }
  });
}

/* A text area over an expression: the element's business object property `property` holding a
 * bpmn:FormalExpression (conditionExpression) or a plain string (script). */
export function ExpressionText(props) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const { element, id, label, owner, property, plain, rows, description } = props;
  const target = owner(element);
  return h(TextAreaEntry, {
    element, id, label, description, debounce, rows: rows || 3, monospace: true, autoResize: true,
    getValue: function() {
      const value = target.get(property);
      return plain ? (value || '') : (value ? value.get('body') || '' : '');
    },
    setValue: function(text) {
      let value;
      if (plain) {
        value = text || undefined;
      } else if (text) {
        value = bpmnFactory.create('bpmn:FormalExpression', { body: text });
      }
      modeling.updateModdleProperties(element, target, { [property]: value });
    }
  });
}
