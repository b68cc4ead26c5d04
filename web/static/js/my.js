// Mentor's pages: warn before upload when a chosen file is too big or there are too many files
// (the server checks again and names the file; this only saves a long upload).
(function () {
  "use strict";
  function check(input) {
    var error = input.closest(".field").querySelector(".my-file-error");
    var maxBytes = parseInt(input.dataset.maxBytes, 10);
    var maxFiles = parseInt(input.dataset.maxFiles, 10);
    var message = "";
    if (input.files.length > maxFiles) {
      message = input.dataset.tooMany;
    } else {
      for (var i = 0; i < input.files.length; i += 1) {
        if (input.files[i].size > maxBytes) {
          message = input.dataset.tooBig.replace("{name}", input.files[i].name);
          break;
        }
      }
    }
    input.setCustomValidity(message);
    if (error) {
      error.textContent = message;
      error.hidden = message === "";
    }
  }
  document.querySelectorAll("input.my-file-input").forEach(function (input) {
    input.addEventListener("change", function () { check(input); });
  });
})();
