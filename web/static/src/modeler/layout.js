/* Diagrams for processes drawn without one (a bare BPMN process, no BPMNDiagram): bpmn-auto-layout lays
 * the process out and only the diagram interchange it made is added to the original text, so nothing the
 * file says is lost (the layouter reads the file with plain bpmn-moddle). */
import { layoutProcess } from 'bpmn-auto-layout';

const DI = 'http://www.omg.org/spec/BPMN/20100524/DI';

function diagrams(doc) {
  return Array.prototype.slice.call(doc.getElementsByTagNameNS(DI, 'BPMNDiagram'));
}

function hasDrawing(doc) {
  return diagrams(doc).some(function(d) {
    return d.getElementsByTagNameNS(DI, 'BPMNShape').length > 0;
  });
}

/* Resolves to {xml, laidOut}: the same text when the file has a drawing, else with a generated diagram. */
export async function withDiagram(xml) {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length || hasDrawing(doc)) {
    return { xml, laidOut: false };
  }
  const laid = new DOMParser().parseFromString(await layoutProcess(xml), 'application/xml');
  const generated = diagrams(laid);
  if (!generated.length) { return { xml, laidOut: false }; }
  diagrams(doc).forEach(function(d) { d.parentNode.removeChild(d); });
  const root = doc.documentElement;
  generated.forEach(function(d) { root.appendChild(doc.importNode(d, true)); });
  return { xml: new XMLSerializer().serializeToString(doc), laidOut: true };
}
