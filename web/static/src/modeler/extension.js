/* Reading and writing the project's extension elements (spiffworkflow:properties/property, and the body
 * elements preScript, postScript, messageVariable) through undoable commands. */
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

const MULTI = 'properties-panel.multi-command-executor';

function values(bo, type) {
  const extensions = bo && bo.get('extensionElements');
  const all = extensions ? extensions.get('values') : [];
  return type ? all.filter(function(v) { return is(v, type); }) : all;
}

/* Whose properties an element shows: a pool (participant) shows its process's — the process's kind. */
export function propertyOwner(element) {
  const bo = getBusinessObject(element);
  return is(bo, 'bpmn:Participant') && bo.get('processRef') ? bo.get('processRef') : bo;
}

export function getProperty(element, name) {
  const bo = propertyOwner(element);
  for (const group of values(bo, 'spiffworkflow:Properties')) {
    const found = group.get('properties').find(function(p) { return p.name === name; });
    if (found) { return found.value === undefined ? '' : found.value; }
  }
  return undefined;
}

export function getBody(target, type) {
  const found = values(target, type)[0];
  return found ? (found.value || '') : '';
}

/* Commands that make sure `bo` has extensionElements; returns [commands, extensionElements]. */
function ensureExtensions(element, bo, bpmnFactory) {
  let extensions = bo.get('extensionElements');
  if (extensions) { return [[], extensions]; }
  extensions = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
  extensions.$parent = bo;
  return [[{ cmd: 'element.updateModdleProperties',
    context: { element, moddleElement: bo, properties: { extensionElements: extensions } } }], extensions];
}

/* Set (or with an empty value remove) the spiffworkflow:property `name` of the element. */
export function setProperty(injector, element, name, value) {
  const bpmnFactory = injector.get('bpmnFactory');
  const commandStack = injector.get('commandStack');
  const bo = propertyOwner(element);
  const [commands, extensions] = ensureExtensions(element, bo, bpmnFactory);
  let group = values(bo, 'spiffworkflow:Properties')[0];
  if (!group) {
    if (!value) { return; }
    group = bpmnFactory.create('spiffworkflow:Properties', { properties: [] });
    group.$parent = extensions;
    commands.push({ cmd: 'element.updateModdleProperties', context: {
      element, moddleElement: extensions, properties: { values: extensions.get('values').concat([group]) } } });
  }
  const existing = group.get('properties').find(function(p) { return p.name === name; });
  if (existing && !value) {
    commands.push({ cmd: 'element.updateModdleProperties', context: {
      element, moddleElement: group, properties: { properties: group.get('properties').filter(function(p) {
        return p !== existing; }) } } });
  } else if (existing) {
    commands.push({ cmd: 'element.updateModdleProperties', context: {
      element, moddleElement: existing, properties: { value } } });
  } else if (value) {
    const created = bpmnFactory.create('spiffworkflow:Property', { name, value });
    created.$parent = group;
    commands.push({ cmd: 'element.updateModdleProperties', context: {
      element, moddleElement: group, properties: { properties: group.get('properties').concat([created]) } } });
  }
  if (commands.length) { commandStack.execute(MULTI, commands); }
}

/* Set (or with an empty text remove) a body element such as spiffworkflow:PreScript on `target`
 * (the element's business object or one of its event definitions). */
export function setBody(injector, element, target, type, text) {
  const bpmnFactory = injector.get('bpmnFactory');
  const commandStack = injector.get('commandStack');
  const [commands, extensions] = ensureExtensions(element, target, bpmnFactory);
  const existing = values(target, type)[0];
  if (existing && !text) {
    commands.push({ cmd: 'element.updateModdleProperties', context: {
      element, moddleElement: extensions, properties: { values: extensions.get('values').filter(function(v) {
        return v !== existing; }) } } });
  } else if (existing) {
    commands.push({ cmd: 'element.updateModdleProperties', context: {
      element, moddleElement: existing, properties: { value: text } } });
  } else if (text) {
    const created = bpmnFactory.create(type, { value: text });
    created.$parent = extensions;
    commands.push({ cmd: 'element.updateModdleProperties', context: {
      element, moddleElement: extensions, properties: { values: extensions.get('values').concat([created]) } } });
  }
  if (commands.length) { commandStack.execute(MULTI, commands); }
}
