/* The meeting form's attendance list, in place: the filter narrows the list as one types (the
   same match as the server's: every word, without diacritics, at the start of a word of the
   name), the «tất cả» buttons tick or untick the members shown, a present member is summoned,
   and the counts follow. Without this script the same buttons post the form, which comes back
   as the user left it. */
(function () {
  "use strict";

  // As thuocdo/org/names.py `fold`: lower case, đ as d, no diacritics.
  function fold(text) {
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/\p{M}/gu, "");
  }

  function enhance(form) {
    var rows = Array.prototype.slice.call(form.querySelectorAll("table.members tbody tr[data-search]"));
    var filter = form.querySelector("#id_tim");
    var shownNote = form.querySelector("#attendance-shown");
    var numerator = form.querySelector("[name=quorum_numerator]");
    var denominator = form.querySelector("[name=quorum_denominator]");

    function box(row, name) {
      return row.querySelector("input[name=" + name + "]");
    }

    function count() {
      var summoned = form.querySelectorAll("input[name=summoned]:checked").length;
      var present = form.querySelectorAll("input[name=present]:checked").length;
      var num = parseInt(numerator && numerator.value, 10);
      var den = parseInt(denominator && denominator.value, 10);
      var known = num > 0 && den > 0 && num <= den && summoned > 0;
      form.querySelector("[data-count=summoned]").textContent = summoned;
      form.querySelector("[data-count=present]").textContent = present;
      form.querySelector("[data-count=needed]").textContent = known ? Math.ceil(summoned * num / den) : "";
      form.querySelector("[data-needed]").hidden = !known;
    }

    function narrow() {
      var words = fold(filter.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.getAttribute("data-search");
        var match = words.every(function (word) { return text.indexOf(" " + word) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      shownNote.textContent = words.length
        ? "Đang hiện " + shown + "/" + rows.length + " người khớp «" + filter.value.trim() + "»."
        : "";
    }

    function tickShown(action) {
      rows.forEach(function (row) {
        if (row.hidden) { return; }
        if (action === "summon-all" || action === "present-all") { box(row, "summoned").checked = true; }
        if (action === "present-all") { box(row, "present").checked = true; }
        if (action === "clear-all") {
          box(row, "summoned").checked = false;
          box(row, "present").checked = false;
        }
      });
      count();
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=attendance]");
      if (!button) { return; }
      event.preventDefault();
      if (button.value === "filter") { narrow(); } else { tickShown(button.value); }
    });
    form.addEventListener("change", function (event) {
      var input = event.target;
      var row = input.closest("tr[data-search]");
      if (row && input.name === "present" && input.checked) { box(row, "summoned").checked = true; }
      if (row && input.name === "summoned" && !input.checked) { box(row, "present").checked = false; }
      count();
    });
    form.addEventListener("input", function (event) {
      if (event.target === filter) { narrow(); }
      if (event.target === numerator || event.target === denominator) { count(); }
    });
    // The list narrows as one types: Enter in the filter has nothing left to send.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    form.querySelector("[data-filter-button]").hidden = true;
    narrow();
    count();
  }

  function start() {
    var form = document.querySelector("form[data-attendance]");
    if (form) { enhance(form); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
