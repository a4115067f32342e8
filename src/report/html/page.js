(function () {
  "use strict";
  var PAGE = 25;
  function byId(id) { return document.getElementById(id); }
  function each(selector, f) { Array.prototype.forEach.call(document.querySelectorAll(selector), f); }

  // The totals row: the sum of every jail's counts.
  each("#totals td[data-total]", function (cell) {
    var key = cell.getAttribute("data-total");
    var sum = 0;
    each("tr.jail td[data-count='" + key + "']", function (td) { sum += Number(td.getAttribute("data-n")); });
    cell.setAttribute("data-n", String(sum));
    cell.textContent = sum.toLocaleString("en-US");
  });

  var cases = Array.prototype.slice.call(document.querySelectorAll("article.case"));
  var filters = { jail: byId("f-jail"), group: byId("f-group"), kind: byId("f-kind") };
  var status = byId("page-status");
  var page = 0;

  function matches(c) {
    return (!filters.jail.value || c.getAttribute("data-jail") === filters.jail.value) &&
      (!filters.group.value || c.getAttribute("data-group") === filters.group.value) &&
      (!filters.kind.value || c.getAttribute("data-kind") === filters.kind.value);
  }

  function show() {
    var shown = cases.filter(matches);
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(Math.max(page, 0), pages - 1);
    cases.forEach(function (c) { c.hidden = true; });
    shown.slice(page * PAGE, (page + 1) * PAGE).forEach(function (c) { c.hidden = false; });
    var first = shown.length ? page * PAGE + 1 : 0;
    var last = Math.min((page + 1) * PAGE, shown.length);
    status.setAttribute("data-matching", String(shown.length));
    status.textContent = "cases " + first + "–" + last + " of " + shown.length +
      " (page " + (page + 1) + " of " + pages + ")";
    byId("prev").disabled = page === 0;
    byId("next").disabled = page >= pages - 1;
  }

  Object.keys(filters).forEach(function (k) {
    filters[k].addEventListener("change", function () { page = 0; show(); });
  });
  byId("prev").addEventListener("click", function () { page -= 1; show(); });
  byId("next").addEventListener("click", function () { page += 1; show(); });

  // "show them" on a group: filter to its cases.
  each("a.filter", function (a) {
    a.addEventListener("click", function () {
      filters.jail.value = a.getAttribute("data-jail");
      filters.group.value = a.getAttribute("data-group");
      filters.kind.value = "";
      page = 0;
      show();
    });
  });

  // A link to one case: show the page that holds it.
  function reveal() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (!target || cases.indexOf(target) < 0) { return; }
    filters.jail.value = ""; filters.group.value = ""; filters.kind.value = "";
    page = Math.floor(cases.indexOf(target) / PAGE);
    show();
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);

  show();
  reveal();
  document.body.setAttribute("data-ready", "yes");
})();
