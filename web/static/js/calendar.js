// «Календарь сроков»: the «Копировать» buttons put the feed's address on the clipboard (or select it, where the
// browser does not allow the clipboard: the person copies it by hand).
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    var label = button.textContent;
    button.addEventListener("click", function () {
      input.focus();
      input.select();
      var done = function () {
        button.textContent = button.dataset.copied;
        window.setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
      } else if (document.execCommand && document.execCommand("copy")) {
        done();
      }
    });
  });
})();
