/* SpiffWorkflow reads a multi-instance activity's loopDataInputRef / loopDataOutputRef as the NAMES of
 * process variables (a collection in, the results out); BPMN 2.0 declares them as references to an item-aware
 * element, so bpmn-moddle finds no element with that id, warns "unresolved reference" and drops the value:
 * the saved file would then lose the collection the activity iterates.
 *
 * After parsing, each such unresolved reference is restored as a detached bpmn:DataInput whose id is the
 * variable name: moddle writes a reference as the referenced element's id, so the saved XML carries exactly
 * the text the file had. The warning is marked `restored` (the page does not list it as a problem). */

const LOOP_REFS = ['bpmn:loopDataInputRef', 'bpmn:loopDataOutputRef'];

export function variableRef(moddle, name) {
  const ref = moddle.create('bpmn:DataInput', { id: name });
  ref.$nastavnikVariable = true;
  return ref;
}

export function variableName(ref) {
  return ref ? (ref.id || '') : '';
}

function LoopDataRefs(eventBus, moddle) {
  eventBus.on('import.parse.complete', 2000, function(event) {
    (event.warnings || []).forEach(function(warning) {
      if (warning.element && LOOP_REFS.indexOf(warning.property) !== -1 && warning.value) {
        warning.element.set(warning.property, variableRef(moddle, warning.value));
        warning.restored = true;
      }
    });
  });
}

LoopDataRefs.$inject = ['eventBus', 'moddle'];

export default {
  __init__: ['nastavnikLoopDataRefs'],
  nastavnikLoopDataRefs: ['type', LoopDataRefs]
};
