// Progressive enhancement only: every page works without this file.
// 1. A changed choice re-draws the page at once, so the questions it brings up (or hides)
//    appear without pressing "Update the questions"; focus returns to the very radio or
//    checkbox that was changed.
//    Arrow keys move through radios one by one, so a choice made with the keyboard is
//    sent when focus leaves its group, not at every step.
// 2. After a submit with problems, the error summary takes focus so it is read first;
//    after adding a member, its first field does.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var CHOICES = "input[type=radio], input[type=checkbox], select";
  var ARROWS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"];

  document.querySelectorAll("form[data-autoupdate]").forEach(function (form) {
    var update = form.querySelector("button[data-update]");
    var focus = form.querySelector("input[name=focus]");
    if (!update || !focus) { return; }
    var arrowAt = 0;
    var pending = null;

    function send(id) {
      focus.value = id;
      form.requestSubmit(update);
    }

    form.addEventListener("keydown", function (event) {
      if (ARROWS.indexOf(event.key) >= 0 && event.target.matches(CHOICES)) {
        arrowAt = Date.now();
      }
    });
    form.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.matches(CHOICES)) { return; }
      if (Date.now() - arrowAt < 500) {
        pending = input;
        return;
      }
      send(input.id);
    });
    form.addEventListener("focusout", function (event) {
      if (!pending) { return; }
      var group = pending.closest("fieldset") || pending;
      if (event.relatedTarget && group.contains(event.relatedTarget)) { return; }
      var id = pending.id;
      pending = null;
      send(id);
    });
  });

  // After "load": the browser's own move to the #fragment (which blurs) has happened by then.
  window.addEventListener("load", function () {
    // A #fragment is where the person was (a changed answer, a new member): focus stays
    // there; otherwise, after a submit with problems, the error summary is read first.
    var summary = document.getElementById("error-summary");
    var target = location.hash.length > 1 &&
      document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target && summary) { summary.focus(); return; }
    if (target) {
      var first = "input:not([type=hidden]), textarea, select, button";
      // a new member: its first field; one question: its chosen answer, else its first field
      var control = target.matches("input, textarea, select, button") ? target
        : target.matches(".entry, .entries") ? target.querySelector(first)
        : (target.querySelector("input:checked") || target.querySelector(first));
      if (control) { control.focus(); }
    }
  });
})();
