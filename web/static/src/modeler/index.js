/* The modeler bundle (built by scripts/setup.sh with esbuild into web/static/vendor/modeler/): bpmn-js with
 * the properties panel, the project's moddle extension and properties, the Russian translation, the
 * multi-instance variable fix and the auto layout for bare processes. window.NastavnikBpmn is its API for
 * web/static/js/modeler.js (the page). */
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';

import spiffworkflow from './spiffworkflow.json';
import LoopDataRefs from './loop-refs';
import NastavnikPropertiesProvider from './provider';
import NastavnikProblems from './problems';
import { TranslateModule } from './translate-ru';
import { elementOf, warningText } from './warnings';
import { withDiagram } from './layout';
import { timerWords } from './timer-words';

const NastavnikModule = {
  __init__: ['nastavnikPropertiesProvider'],
  nastavnikPropertiesProvider: ['type', NastavnikPropertiesProvider],
  nastavnikProblems: ['type', NastavnikProblems]
};

/* options.lang "en": the editor's own labels stay English (the project's properties are Russian only). */
function create(options) {
  const translation = options.lang === 'en' ? [] : [TranslateModule];
  return new BpmnModeler({
    container: options.container,
    propertiesPanel: { parent: options.propertiesParent },
    additionalModules: [
      BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, LoopDataRefs, NastavnikModule
    ].concat(translation),
    moddleExtensions: { spiffworkflow },
    nastavnik: { catalog: options.catalog }
  });
}

window.NastavnikBpmn = { create, withDiagram, warningText, elementOf, timerWords };
