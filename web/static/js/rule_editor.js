// The rule file editor: line numbers, problems marked on their lines, checking as you type
// (debounced POST to the validate endpoint with the CSRF token in a header). Also the regulation pack
// file editor, which names the version the edit starts from (data-base-version).
(function () {
  "use strict";

  var editor = document.getElementById("rule-editor");
  if (!editor) { return; }
  var text = editor.querySelector("textarea");
  var gutter = editor.querySelector(".rf-editor__gutter");
  var list = document.getElementById("rule-problems");
  var status = document.getElementById("rule-problems-status");
  var messages = editor.dataset;
  var badLines = {};
  var timer = null;
  var sequence = 0;

  function format(template, n) { return template.replace("{n}", String(n)); }

  function renderGutter() {
    var count = text.value.split("\n").length;
    var fragment = document.createDocumentFragment();
    for (var i = 1; i <= count; i++) {
      var span = document.createElement("span");
      span.textContent = String(i);
      if (badLines[i]) { span.className = "is-bad"; }
      fragment.appendChild(span);
      fragment.appendChild(document.createTextNode("\n"));
    }
    gutter.textContent = "";
    gutter.appendChild(fragment);
    gutter.scrollTop = text.scrollTop;
  }

  function goToLine(line) {
    var lines = text.value.split("\n");
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) { start += lines[i].length + 1; }
    var end = start + (lines[line - 1] || "").length;
    text.focus();
    text.setSelectionRange(start, end);
    var height = parseFloat(window.getComputedStyle(text).lineHeight) || 20;
    text.scrollTop = Math.max(0, (line - 4) * height);
    gutter.scrollTop = text.scrollTop;
  }

  function problemItem(problem) {
    var item = document.createElement("li");
    item.className = "rf-problem";
    if (problem.line) {
      item.dataset.line = String(problem.line);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rf-problem__line";
      button.textContent = format(messages.msgLine, problem.line);
      item.appendChild(button);
    }
    var where = document.createElement("span");
    where.className = "rf-problem__item";
    where.textContent = problem.item;
    item.appendChild(where);
    var message = document.createElement("span");
    message.className = "rf-problem__text";
    message.textContent = problem.message;
    item.appendChild(message);
    return item;
  }

  function showProblems(problems) {
    badLines = {};
    list.textContent = "";
    problems.forEach(function (problem) {
      if (problem.line) { badLines[problem.line] = true; }
      list.appendChild(problemItem(problem));
    });
    status.textContent = problems.length ? format(messages.msgCount, problems.length) : messages.msgOk;
    status.className = "rf-problems__status" + (problems.length ? " is-bad" : " is-ok");
    editor.classList.toggle("has-problems", problems.length > 0);
    renderGutter();
  }

  function validate() {
    var mine = ++sequence;
    status.textContent = messages.msgChecking;
    fetch(editor.dataset.validateUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": editor.dataset.csrf,
                "Accept": "application/json"},
      body: JSON.stringify({content: text.value, base_version: editor.dataset.baseVersion})
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (mine === sequence) { showProblems(data.problems || []); }
    }).catch(function () {
      if (mine === sequence) { status.textContent = messages.msgFailed; status.className = "rf-problems__status is-bad"; }
    });
  }

  text.addEventListener("input", function () {
    renderGutter();
    window.clearTimeout(timer);
    timer = window.setTimeout(validate, 400);
  });
  text.addEventListener("scroll", function () { gutter.scrollTop = text.scrollTop; });
  list.addEventListener("click", function (event) {
    var button = event.target.closest(".rf-problem__line");
    if (button) { goToLine(parseInt(button.parentNode.dataset.line, 10)); }
  });

  Array.prototype.forEach.call(list.querySelectorAll("[data-line]"), function (item) {
    var line = parseInt(item.dataset.line, 10);
    if (line) { badLines[line] = true; }
  });
  renderGutter();
})();
