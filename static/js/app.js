// Small behaviours of every page, kept out of the markup: the Content-Security-Policy runs no
// inline script and no inline event handler (config/settings.py, CONTENT_SECURITY_POLICY).
//   <select data-autosubmit>      sends its form when the choice changes;
//   <button data-action="print">  prints the page;
//   <a data-action="back">        goes back a page (its href works without JavaScript);
//   a form with a one-time token (a form that creates something, accounts/once.py) disables
//   its submit buttons once sent, so that a double click shows the first answer.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.querySelector || !form.querySelector("input[name=form_token]")) {
      return;
    }
    // After the browser has taken the form's values (a button's own value included).
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        if (!b.disabled) {
          b.disabled = true;
          b.dataset.sent = "1";
        }
      });
    }, 0);
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {  // back to a page kept by the browser: its buttons work again
      document.querySelectorAll("[data-sent]").forEach(function (b) {
        b.disabled = false;
        delete b.dataset.sent;
      });
    }
  });
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
