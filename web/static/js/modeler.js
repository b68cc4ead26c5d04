/* The methodologist's BPMN editor: bpmn-js Modeler (served from /static/vendor; CSP: no inline script).
 *
 * Markup: <div id="modeler" data-xml-url="..." | data-xml-base64="..." data-check-url data-save-url
 * data-filename data-msg-*>, plus #check-button, #save-button, #version-comment, #modeler-status and
 * the #problems panel (#problems-summary, #problems-general, #problems-elements; the server may have
 * rendered the first check's problems there: <li data-element-id data-message>).
 *
 * "Проверить" posts the diagram's XML to the check endpoint (the same check as `nastavnik workflow
 * check`); problems naming an element get the "has-problem" marker and an overlay with the message,
 * problems without an element are listed at the top. "Сохранить как новую версию" checks first and
 * saves only a passing diagram. An unchanged diagram is sent as the exact text it was opened with
 * (so the same file is recognised as the same version); an edited one as the modeler exports it.
 * The container gets data-modeler-state = ready | error; the last check's result is in
 * data-check-state = ok | problems (tests wait for them). window.nastavnikModeler is the Modeler.
 *
 * The Modeler comes from the bundle web/static/vendor/modeler/modeler.bundle.js (window.NastavnikBpmn:
 * bpmn-js with the properties panel in #properties, the project's properties and the Russian labels; built
 * from web/static/src/modeler/ by scripts/setup.sh). The choices the panel offers come from data-catalog-url.
 * A file without a drawing is laid out first (bpmn-auto-layout); a file with several diagrams gets a switcher
 * (#diagram-switcher); the import warnings are listed in Russian in #import-warnings. Each edit is checked
 * on the server after a pause (as you type), its problems shown on the elements and in the panel.
 */
(function () {
  "use strict";

  var container = document.getElementById("modeler");
  if (!container) { return; }
  var status = document.getElementById("modeler-status");
  var panel = document.getElementById("problems");
  var summary = document.getElementById("problems-summary");
  var generalList = document.getElementById("problems-general");
  var elementList = document.getElementById("problems-elements");
  var commentInput = document.getElementById("version-comment");
  var checkButton = document.getElementById("check-button");
  var saveButton = document.getElementById("save-button");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var originalXml = null;
  var dirty = false;
  var marked = [];
  var modeler = null;
  var diagramOf = {};  // element id -> the diagram (index) that draws it, for files with several diagrams
  var liveTimer = null;
  var LIVE_DELAY = 1200;

  function msg(name, values) {
    var text = container.getAttribute("data-msg-" + name) || name;
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  function say(text, kind) {
    status.textContent = text;
    status.className = "status" + (kind ? " status--" + kind : "");
  }

  function decodeBase64(data) {
    var binary = window.atob(data);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  }

  function loadXml() {
    var inline = container.getAttribute("data-xml-base64");
    if (inline) { return Promise.resolve(decodeBase64(inline)); }
    return fetch(container.getAttribute("data-xml-url"), { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    });
  }

  function currentXml() {
    if (!dirty && originalXml !== null) { return Promise.resolve(originalXml); }
    return modeler.saveXML({ format: true }).then(function (result) { return result.xml; });
  }

  function hasElement(id) {
    if (!modeler) { return false; }
    var element = modeler.get("elementRegistry").get(id);
    return Boolean(element && element !== modeler.get("canvas").getRootElement());
  }

  function missingNote(id) {
    var root = modeler && modeler.get("canvas").getRootElement();
    if (root && root.businessObject && (root.id === id || isProcessOf(root.businessObject, id))) {
      return msg("whole-process");
    }
    var where = diagramOf[id];
    if (where !== undefined && where !== currentDiagram()) {
      return msg("other-diagram", { name: diagramLabel(where) });
    }
    return msg("not-on-diagram");
  }

  function clearMarkers() {
    if (!modeler) { return; }
    var canvas = modeler.get("canvas");
    modeler.get("overlays").remove({ type: "problem" });
    marked.forEach(function (id) { try { canvas.removeMarker(id, "has-problem"); } catch (e) { /* gone */ } });
    marked = [];
  }

  var quietMarks = false;

  function markProblems(problems) {
    clearMarkers();
    if (modeler) { modeler.get("nastavnikProblems").set(problems); }
    if (!modeler) { return; }
    var canvas = modeler.get("canvas");
    var overlays = modeler.get("overlays");
    var byElement = {};
    problems.forEach(function (p) {
      if (p.element_id && hasElement(p.element_id)) {
        (byElement[p.element_id] = byElement[p.element_id] || []).push(p.message);
      }
    });
    Object.keys(byElement).forEach(function (id) {
      try { canvas.addMarker(id, "has-problem"); } catch (e) { return; }
      marked.push(id);
      var note = document.createElement("div");
      note.className = "problem-overlay";
      note.setAttribute("data-element-id", id);
      note.textContent = byElement[id].join("\n");
      note.title = byElement[id].join("\n");
      try { overlays.add(id, "problem", { position: { bottom: -8, left: 0 }, html: note }); } catch (e) { /* no shape */ }
    });
    if (marked.length && !quietMarks) { showElement(marked[0]); }
  }

  /* Center the element at 100 % zoom (a whole process fitted to the screen is too small to read). */
  function showElement(id) {
    if (!hasElement(id)) { return; }
    var element = modeler.get("elementRegistry").get(id);
    var canvas = modeler.get("canvas");
    var outer = canvas.viewbox().outer;
    var box = element.waypoints ? element.waypoints[0] : element;
    var cx = box.x + (element.width || 0) / 2;
    var cy = box.y + (element.height || 0) / 2;
    canvas.viewbox({ x: cx - outer.width / 2, y: cy - outer.height / 2, width: outer.width, height: outer.height });
  }

  function isProcessOf(shown, id) {
    return ((shown.participants || []).some(function (p) { return p.processRef && p.processRef.id === id; }));
  }

  /* Open diagram `index` of the file; problems are marked again on it. */
  function openDiagram(index) {
    var list = diagrams();
    if (!list[index]) { return Promise.resolve(); }
    return modeler.open(list[index].id).then(function () {
      shownDiagram = index;
      if (switcher) { switcher.value = String(index); }
      fit();
      quietMarks = true;
      refreshNotes();
      markProblems(problemsFromPage());
      quietMarks = false;
      container.setAttribute("data-diagram", String(index));
    });
  }

  function focusElement(id) {
    if (modeler && !hasElement(id) && diagramOf[id] !== undefined && diagramOf[id] !== currentDiagram()) {
      openDiagram(diagramOf[id]).then(function () { focusElement(id); }).catch(fail);
      return;
    }
    if (!hasElement(id)) { return; }
    modeler.get("selection").select(modeler.get("elementRegistry").get(id));
    showElement(id);
  }

  /* The note after each listed problem whose element the shown diagram does not draw. */
  function refreshNotes() {
    if (!modeler) { return; }
    Array.prototype.forEach.call(elementList.querySelectorAll("li[data-element-id]"), function (item) {
      var old = item.querySelector(".problem__where");
      if (old) { old.remove(); }
      var id = item.getAttribute("data-element-id");
      if (!hasElement(id)) {
        var note = document.createElement("span");
        note.className = "muted problem__where";
        note.textContent = " " + missingNote(id);
        item.appendChild(note);
      }
    });
  }

  function problemItem(p) {
    var item = document.createElement("li");
    item.className = "problem";
    item.setAttribute("data-element-id", p.element_id);
    item.setAttribute("data-message", p.message);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "problem__element";
    button.textContent = p.element_id + (p.element_name ? " «" + p.element_name + "»" : "");
    item.appendChild(button);
    item.appendChild(document.createTextNode(" " + p.message));
    return item;
  }

  function showProblems(problems) {
    // nothing found: the status line says so, the card would only repeat it
    panel.classList.toggle("is-hidden", problems.length === 0);
    generalList.textContent = "";
    elementList.textContent = "";
    problems.forEach(function (p) {
      if (p.element_id) {
        elementList.appendChild(problemItem(p));
      } else {
        var item = document.createElement("li");
        item.className = "problem problem--general";
        item.textContent = p.message;
        generalList.appendChild(item);
      }
    });
    summary.textContent = problems.length ? msg("problems", { n: problems.length }) : msg("ok");
    panel.setAttribute("data-check-state", problems.length ? "problems" : "ok");
    container.setAttribute("data-check-state", problems.length ? "problems" : "ok");
    refreshNotes();
    markProblems(problems);
  }

  function problemsFromPage() {
    return Array.prototype.map.call(elementList.querySelectorAll("li[data-element-id]"), function (item) {
      return { element_id: item.getAttribute("data-element-id"), message: item.getAttribute("data-message") };
    });
  }

  function post(url, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(payload)
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  function runCheck(quiet) {
    if (!quiet) { say(msg("checking")); }
    return currentXml().then(function (xml) {
      return post(container.getAttribute("data-check-url"), {
        xml: xml, filename: container.getAttribute("data-filename")
      });
    }).then(function (result) {
      if (result.problems === undefined) { throw new Error(result.message || "?"); }
      quietMarks = Boolean(quiet);
      showProblems(result.problems);
      quietMarks = false;
      say(result.problems.length ? msg("problems", { n: result.problems.length }) : msg("ok"),
          result.problems.length ? "error" : "ok");
      return result.problems.length === 0;
    });
  }

  function fail(error) {
    say(msg("request-error", { error: String(error && error.message || error) }), "error");
  }

  function save() {
    saveButton.disabled = true;
    runCheck().then(function (passed) {
      if (!passed) { say(msg("save-blocked"), "error"); return null; }
      say(msg("saving"));
      return currentXml().then(function (xml) {
        return post(container.getAttribute("data-save-url"), {
          xml: xml, filename: container.getAttribute("data-filename"), comment: commentInput.value
        });
      }).then(function (result) {
        if (!result.ok) {
          if (result.problems && result.problems.length) { showProblems(result.problems); }
          say(result.message || msg("save-blocked"), "error");
          return;
        }
        if (result.created) {
          window.location.assign(result.url);
          return;
        }
        say(result.message, "info");
        var link = document.createElement("a");
        link.href = result.url;
        link.textContent = " → " + result.process_id + " v" + result.version;
        status.appendChild(link);
      });
    }).catch(fail).then(function () { saveButton.disabled = false; });
  }

  function loadCatalog() {
    var url = container.getAttribute("data-catalog-url");
    var empty = { roles: [], forms: [], rulesets: [], hooks: [] };
    if (!url) { return Promise.resolve(empty); }
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : empty; })
      .catch(function () { return empty; });
  }

  function fit() {
    // the whole diagram in view, beside the palette (which otherwise covers its left part: the lanes' roles)
    var canvas = modeler.get("canvas");
    try { canvas.zoom("fit-viewport", "auto"); } catch (e) { return; /* an empty diagram has no size */ }
    var box = canvas.viewbox(), inner = box.inner, outer = box.outer;
    var palette = container.querySelector(".djs-palette");
    // on a phone's narrow canvas the palette takes a third of it: the diagram keeps the whole width there
    if (!palette || !inner.width || !inner.height || !outer.height || outer.width < 600) { return; }
    var margin = 12, room = palette.offsetLeft + palette.offsetWidth + margin;
    var scale = Math.min((outer.width - room - margin) / inner.width, (outer.height - 2 * margin) / inner.height, 1);
    if (!(scale > 0)) { return; }
    canvas.viewbox({ x: inner.x - room / scale, y: inner.y - (outer.height / scale - inner.height) / 2,
                     width: outer.width / scale, height: outer.height / scale });
  }

  function diagrams() {
    var definitions = modeler.getDefinitions();
    return (definitions && definitions.diagrams) || [];
  }

  var shownDiagram = 0;  // bpmn-js opens the file's first diagram

  function currentDiagram() { return shownDiagram; }

  function diagramLabel(index) {
    var diagram = diagrams()[index];
    return (diagram && (diagram.name || (diagram.plane && diagram.plane.bpmnElement &&
      (diagram.plane.bpmnElement.name || diagram.plane.bpmnElement.id)))) || msg("diagram", { n: index + 1 });
  }

  var switcher = document.getElementById("diagram-switcher");

  function indexDiagrams() {
    diagramOf = {};
    diagrams().forEach(function (diagram, index) {
      ((diagram.plane && diagram.plane.planeElement) || []).forEach(function (di) {
        if (di.bpmnElement && di.bpmnElement.id && diagramOf[di.bpmnElement.id] === undefined) {
          diagramOf[di.bpmnElement.id] = index;
        }
      });
    });
    var list = diagrams();
    var field = document.getElementById("diagram-switcher-field");
    if (!switcher || list.length < 2) { return; }
    switcher.textContent = "";
    list.forEach(function (diagram, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = diagramLabel(index);
      switcher.appendChild(option);
    });
    field.classList.remove("is-hidden");
    switcher.addEventListener("change", function () { openDiagram(Number(switcher.value)).catch(fail); });
  }

  function showWarnings(warnings) {
    var section = document.getElementById("import-warnings");
    var list = document.getElementById("import-warnings-list");
    if (!section || !list) { return; }
    var shown = (warnings || []).filter(function (w) { return !w.restored; });
    list.textContent = "";
    shown.forEach(function (warning) {
      var item = document.createElement("li");
      var id = window.NastavnikBpmn.elementOf(warning);
      if (id) { item.setAttribute("data-element-id", id); }
      item.textContent = (id ? id + ": " : "") + window.NastavnikBpmn.warningText(warning);
      list.appendChild(item);
    });
    section.classList.toggle("is-hidden", shown.length === 0);
    container.setAttribute("data-import-warnings", String(shown.length));
  }

  function scheduleLiveCheck() {
    if (liveTimer) { window.clearTimeout(liveTimer); }
    liveTimer = window.setTimeout(function () {
      liveTimer = null;
      runCheck(true).catch(fail);
    }, LIVE_DELAY);
  }

  function start() {
    var api = window.NastavnikBpmn;
    if (!api) {
      container.setAttribute("data-modeler-state", "error");
      say(msg("load-error", { error: "bpmn-js" }), "error");
      return;
    }
    loadCatalog().then(function (catalog) {
      modeler = window.nastavnikModeler = api.create({
        container: container, propertiesParent: document.getElementById("properties"), catalog: catalog,
        lang: document.documentElement.lang
      });
      return loadXml();
    }).then(function (xml) {
      originalXml = xml;
      return api.withDiagram(xml);
    }).then(function (prepared) {
      if (prepared.laidOut) {
        dirty = true;
        document.getElementById("layout-note").classList.remove("is-hidden");
        container.setAttribute("data-laid-out", "true");
      }
      return modeler.importXML(prepared.xml);
    }).then(function (result) {
      showWarnings(result.warnings);
      indexDiagrams();
      fit();
      modeler.get("eventBus").on("commandStack.changed", function () { dirty = true; scheduleLiveCheck(); });
      var initial = problemsFromPage();
      if (initial.length) {
        refreshNotes();
        markProblems(initial);
      }
      container.setAttribute("data-modeler-state", "ready");
      say(msg("loaded"));
    }).catch(function (error) {
      container.setAttribute("data-modeler-state", "error");
      say(msg("load-error", { error: String(error && error.message || error) }), "error");
    });
    checkButton.addEventListener("click", function () { runCheck().catch(fail); });
    saveButton.addEventListener("click", save);
    elementList.addEventListener("click", function (event) {
      var item = event.target.closest("li[data-element-id]");
      if (item) { focusElement(item.getAttribute("data-element-id")); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
