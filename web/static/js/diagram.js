/* Renders BPMN diagrams with bpmn-js (served from /static/vendor, no CDN; CSP: no inline script).
 *
 * Two ways to give a diagram:
 *   <div class="diagram" data-bpmn-src="/url/of/xml" data-bpmn-markers='{"Task_1": "active"}'></div>
 *     the XML from a URL and the marks in the attribute (one state per element, or a list of states);
 *   <div class="diagram" data-bpmn-json="/programs/5/diagram"></div>
 *     one JSON document {xml, completed: [ids], active: [ids], overdue: [ids]}.
 * plus <script src=".../bpmn-navigated-viewer.production.min.js"> and this file.
 * Markers add the CSS class "is-<state>" (completed, active, overdue, error) to the named elements.
 * data-bpmn-focus="active" on the container: after fitting, zoom to the active and overdue elements.
 * A button with data-bpmn-fit="<container id>" shows the whole diagram again.
 * The container gets data-bpmn-state="ready" or "error" when done (tests wait for it), and
 * data-bpmn-marked with the number of marks placed.
 */
(function () {
  "use strict";

  var STATES = ["completed", "active", "overdue", "error"];

  function parseMarkers(raw) {
    var markers = {};
    try { markers = JSON.parse(raw || "{}"); } catch (e) { markers = {}; }
    return markers;
  }

  function markersFromJson(data) {
    var markers = {};
    STATES.forEach(function (state) {
      (data[state] || []).forEach(function (id) {
        (markers[id] = markers[id] || []).push(state);
      });
    });
    return markers;
  }

  function fetchDiagram(container) {
    var jsonUrl = container.getAttribute("data-bpmn-json");
    var url = jsonUrl || container.getAttribute("data-bpmn-src");
    return fetch(url, { credentials: "same-origin", headers: { "Accept": jsonUrl ? "application/json" : "application/xml" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return jsonUrl ? response.json() : response.text();
      })
      .then(function (body) {
        if (jsonUrl) { return { xml: body.xml, markers: markersFromJson(body) }; }
        return { xml: body, markers: parseMarkers(container.getAttribute("data-bpmn-markers")) };
      });
  }

  var FOCUS_PADDING = 120;
  var FOCUS_MIN_WIDTH = 900;

  function focusOn(canvas, registry, markers, states) {
    var box = null;
    Object.keys(markers).forEach(function (id) {
      var element = registry.get(id);
      var wanted = [].concat(markers[id]).some(function (state) { return states.indexOf(state) >= 0; });
      if (!element || !wanted || element.waypoints || element.type === "bpmn:Process") { return; }
      var right = element.x + element.width, bottom = element.y + element.height;
      box = box ? { x: Math.min(box.x, element.x), y: Math.min(box.y, element.y),
                    right: Math.max(box.right, right), bottom: Math.max(box.bottom, bottom) }
                : { x: element.x, y: element.y, right: right, bottom: bottom };
    });
    if (!box) { return; }
    var width = Math.max(box.right - box.x + 2 * FOCUS_PADDING, FOCUS_MIN_WIDTH);
    var centerX = (box.x + box.right) / 2, centerY = (box.y + box.bottom) / 2;
    var size = canvas.getSize();
    var height = width * size.height / size.width;
    if (box.bottom - box.y + 2 * FOCUS_PADDING > height) {
      height = box.bottom - box.y + 2 * FOCUS_PADDING;
      width = height * size.width / size.height;
    }
    canvas.viewbox({ x: centerX - width / 2, y: centerY - height / 2, width: width, height: height });
  }

  var viewers = {};

  function render(container) {
    var Viewer = window.BpmnJS;
    if (!Viewer) {
      container.setAttribute("data-bpmn-state", "error");
      container.textContent = container.getAttribute("data-bpmn-missing") || "bpmn-js is not loaded";
      return;
    }
    var viewer = new Viewer({ container: container });
    var markers = {};
    fetchDiagram(container)
      .then(function (diagram) { markers = diagram.markers; return viewer.importXML(diagram.xml); })
      .then(function () {
        var canvas = viewer.get("canvas");
        var registry = viewer.get("elementRegistry");
        var placed = 0;
        canvas.zoom("fit-viewport");
        Object.keys(markers).forEach(function (id) {
          if (!registry.get(id)) { return; } /* element not in this version */
          [].concat(markers[id]).forEach(function (state) {
            canvas.addMarker(id, "is-" + state);
            placed += 1;
          });
        });
        if (container.getAttribute("data-bpmn-focus") === "active") {
          focusOn(canvas, registry, markers, ["active", "overdue"]);
        }
        if (container.id) { viewers[container.id] = viewer; }
        container.setAttribute("data-bpmn-marked", String(placed));
        container.setAttribute("data-bpmn-state", "ready");
      })
      .catch(function (error) {
        container.setAttribute("data-bpmn-state", "error");
        container.setAttribute("data-bpmn-error", String(error && error.message || error));
        var message = container.getAttribute("data-bpmn-failed");
        if (message) { container.textContent = message; }
      });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-bpmn-src], [data-bpmn-json]"), render);
    Array.prototype.forEach.call(document.querySelectorAll("[data-bpmn-fit]"), function (button) {
      button.addEventListener("click", function () {
        var viewer = viewers[button.getAttribute("data-bpmn-fit")];
        if (viewer) { viewer.get("canvas").zoom("fit-viewport"); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
