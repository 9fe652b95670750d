// Small behaviours of every page, kept out of the markup: the Content-Security-Policy runs no
// inline script and no inline event handler (config/settings.py, CONTENT_SECURITY_POLICY).
//   <select data-autosubmit>      sends its form when the choice changes;
//   <button data-action="print">  prints the page;
//   <a data-action="back">        goes back a page (its href works without JavaScript).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var control = event.target.closest && event.target.closest("[data-action]");
    if (!control) {
      return;
    }
    if (control.dataset.action === "print") {
      event.preventDefault();
      window.print();
    } else if (control.dataset.action === "back" && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
