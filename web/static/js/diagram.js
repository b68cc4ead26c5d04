/* Renders BPMN diagrams with bpmn-js (served from /static/vendor, no CDN; CSP: no inline script).
 *
 * Markup: <div class="diagram" data-bpmn-src="/url/of/xml" data-bpmn-markers='{"Task_1": "active"}'></div>
 * plus <script src=".../bpmn-navigated-viewer.production.min.js"> and this file.
 * Markers add the CSS class "is-<state>" (completed, active, overdue, error) to the named elements.
 * The container gets data-bpmn-state="ready" or "error" when done (tests wait for it).
 */
(function () {
  "use strict";

  function render(container) {
    var Viewer = window.BpmnJS;
    if (!Viewer) {
      container.setAttribute("data-bpmn-state", "error");
      container.textContent = container.getAttribute("data-bpmn-missing") || "bpmn-js is not loaded";
      return;
    }
    var viewer = new Viewer({ container: container });
    var markers = {};
    try { markers = JSON.parse(container.getAttribute("data-bpmn-markers") || "{}"); } catch (e) { markers = {}; }
    fetch(container.getAttribute("data-bpmn-src"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get("canvas");
        canvas.zoom("fit-viewport");
        Object.keys(markers).forEach(function (id) {
          try { canvas.addMarker(id, "is-" + markers[id]); } catch (e) { /* element not in this version */ }
        });
        container.setAttribute("data-bpmn-state", "ready");
      })
      .catch(function (error) {
        container.setAttribute("data-bpmn-state", "error");
        container.setAttribute("data-bpmn-error", String(error && error.message || error));
      });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-bpmn-src]"), render);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
