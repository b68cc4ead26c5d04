// The curator's pages: choosing another organization on the pair form reloads the choices
// (mentors appointed there, mentees waiting there). No inline handlers: CSP allows 'self' scripts only.
(function () {
  "use strict";
  document.querySelectorAll("select[data-reload-param]").forEach(function (select) {
    select.addEventListener("change", function () {
      var url = new URL(window.location.href);
      url.search = "";
      url.searchParams.set(select.getAttribute("data-reload-param"), select.value);
      window.location.assign(url.toString());
    });
  });
})();
