// Recompute without a reload: start (or follow) a run, then poll its state until it ends.
(function () {
  "use strict";

  function follow(panel, url) {
    var bar = panel.querySelector("progress");
    var message = panel.querySelector(".run-message");
    var error = panel.querySelector(".run-error");
    var done = panel.querySelector(".run-done");
    panel.hidden = false;
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
          return response.json();
        })
        .then(function (run) {
          bar.value = run.progress;
          bar.textContent = run.progress + " %";
          message.textContent = run.message;
          if (run.status === "failed") {
            error.textContent = run.error || run.message;
            error.hidden = false;
          }
          if (run.finished) {
            panel.dataset.finished = run.status;
            if (run.status === "succeeded") { done.hidden = false; }
            return;
          }
          window.setTimeout(poll, 700);
        })
        .catch(function (problem) {
          error.textContent = problem.message;
          error.hidden = false;
          window.setTimeout(poll, 3000);
        });
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector("[data-run-progress]");
    if (panel && panel.dataset.statusUrl) { follow(panel, panel.dataset.statusUrl); }
    var form = document.querySelector("form[data-recompute]");
    if (form && panel) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = form.querySelector("button");
        button.disabled = true;
        fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) {
            return response.json().then(function (body) {
              if (!response.ok) { throw new Error(body.message || response.statusText); }
              return body;
            });
          })
          .then(function (run) {
            panel.querySelector(".run-error").hidden = true;
            panel.querySelector(".run-done").hidden = true;
            panel.dataset.statusUrl = run.status_url;
            follow(panel, run.status_url);
          })
          .catch(function (problem) {
            var error = panel.querySelector(".run-error");
            panel.hidden = false;
            error.textContent = problem.message;
            error.hidden = false;
          })
          .finally(function () { button.disabled = false; });
      });
    }
    var print = document.querySelector("[data-print]");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  });
})();
