/* Confirmation in the product's own dialog (templates/components/confirm_dialog.html),
   instead of the browser's confirm(). Put data-confirm="question" on a form, on its
   submit button or on a link; optional data-confirm-title and data-confirm-ok (button text).
   The form is sent, or the link followed, only after 确定 in the dialog. */
(function () {
  "use strict";

  var pending = null;  // {form, submitter} or {href}

  function dialog() {
    return document.getElementById("app-confirm");
  }

  function ask(source, onOk) {
    var el = dialog();
    if (!el || !window.bootstrap) {
      onOk();  // no dialog on the page: the server still checks everything
      return;
    }
    var title = el.querySelector("[data-confirm-title]");
    var body = el.querySelector("[data-confirm-body]");
    var ok = el.querySelector("[data-confirm-ok]");
    if (!title.dataset.defaultText) { title.dataset.defaultText = title.textContent; }
    if (!ok.dataset.defaultText) { ok.dataset.defaultText = ok.textContent; }
    title.textContent = source.dataset.confirmTitle || title.dataset.defaultText;
    body.textContent = source.dataset.confirm;
    ok.textContent = source.dataset.confirmOk || ok.dataset.defaultText;
    ok.className = "btn btn-touch " + (source.dataset.confirmStyle ? "btn-" + source.dataset.confirmStyle : "btn-primary");
    pending = onOk;
    window.bootstrap.Modal.getOrCreateInstance(el).show();
  }

  document.addEventListener("click", function (event) {
    var ok = event.target.closest("#app-confirm [data-confirm-ok]");
    if (ok) {
      var run = pending;
      pending = null;
      window.bootstrap.Modal.getOrCreateInstance(dialog()).hide();
      if (run) { run(); }
      return;
    }
    var link = event.target.closest("a[data-confirm]");
    if (link) {
      event.preventDefault();
      ask(link, function () { window.location.href = link.href; });
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var source = submitter && submitter.dataset.confirm ? submitter : (form.dataset.confirm ? form : null);
    if (!source || form.dataset.confirmed === "1") {
      return;
    }
    event.preventDefault();
    ask(source, function () {
      form.dataset.confirmed = "1";
      if (form.requestSubmit) {
        form.requestSubmit(submitter);
      } else {
        form.submit();
      }
      form.dataset.confirmed = "";
    });
  }, true);
})();
