// The administrator's people: the workplace choice on the new person's form reloads its fields (the organization's
// rule files decide them); «Копировать» copies the link shown once. No inline handlers: CSP allows 'self' only.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.querySelectorAll("select[data-reload-param]").forEach(function (select) {
    select.addEventListener("change", function () {
      var url = new URL(window.location.href);
      url.search = "";
      url.searchParams.set(select.getAttribute("data-reload-param"), select.value);
      window.location.assign(url.toString());
    });
  });
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) { return; }
      input.select();
      var done = function () { button.textContent = button.getAttribute("data-copied"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
