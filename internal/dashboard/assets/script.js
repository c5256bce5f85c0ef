// okr dashboard: filters by team, owner, status and tag (also from the
// URL fragment, e.g. #team=platform&status=at_risk&tag=board), expand and collapse, and
// print with every objective open. Errors are written into the page
// (#okr-errors, data-errors on <html>) so a headless browser test sees
// them. Workspace text is never parsed as HTML here: the script only reads
// data attributes and toggles hidden.
(function () {
  "use strict";
  var root = document.documentElement;
  var errors = [];
  function report(msg) {
    errors.push(String(msg));
    root.setAttribute("data-errors", String(errors.length));
    var el = document.getElementById("okr-errors");
    if (el) {
      el.textContent = errors.join("\n");
      el.hidden = false;
    }
  }
  root.setAttribute("data-errors", "0");
  window.addEventListener("error", function (e) {
    report("error: " + (e.message || "resource failed to load") + (e.filename ? " (" + e.filename + ":" + e.lineno + ")" : ""));
  }, true);
  window.addEventListener("unhandledrejection", function (e) {
    report("unhandled rejection: " + e.reason);
  });
  var consoleError = console.error;
  console.error = function () {
    report("console.error: " + Array.prototype.join.call(arguments, " "));
    return consoleError.apply(console, arguments);
  };

  function $(id) { return document.getElementById(id); }
  var tree = $("tree");
  var select = { team: $("filter-team"), owner: $("filter-owner"), status: $("filter-status"), tag: $("filter-tag") };
  var collapsed = !!tree.querySelector("details:not([open])");

  function children(el, selector) {
    var out = [];
    for (var i = 0; i < el.children.length; i++) {
      if (el.children[i].matches(selector)) out.push(el.children[i]);
    }
    return out;
  }
  function hasWord(list, word) {
    return !word || (" " + (list || "") + " ").indexOf(" " + word + " ") >= 0;
  }
  // hasTag: data-tags is a JSON array of strings (a tag may hold spaces).
  function hasTag(li, tag) {
    if (!tag) return true;
    var tags = li.getAttribute("data-tags");
    return !!tags && JSON.parse(tags).indexOf(tag) >= 0;
  }

  // apply shows the objectives that pass the filters, their ancestors as
  // context (dimmed), and only the key results with the chosen status.
  function apply() {
    var team = select.team.value, owner = select.owner.value, status = select.status.value, tag = select.tag.value;
    // Mirror the choices in attributes, where a DOM dump shows them.
    Object.keys(select).forEach(function (k) { select[k].setAttribute("data-value", select[k].value); });
    var active = !!(team || owner || status || tag);
    var n = { obj: 0, objAll: 0, kr: 0, krAll: 0 };
    function visit(li) {
      n.objAll++;
      var details = children(li, "details")[0];
      var match = hasWord(li.getAttribute("data-team"), team) && hasWord(li.getAttribute("data-owner"), owner) && hasTag(li, tag);
      var anyKR = false;
      var tables = children(details, "table.krs");
      var rows = tables.length ? tables[0].tBodies[0].rows : [];
      for (var i = 0; i < rows.length; i++) {
        n.krAll++;
        var ok = !status || rows[i].getAttribute("data-status") === status;
        rows[i].hidden = !ok;
        if (ok) anyKR = true;
      }
      if (status && !anyKR) match = false;
      if (match) {
        n.obj++;
        for (var j = 0; j < rows.length; j++) if (!rows[j].hidden) n.kr++;
      }
      var below = false;
      children(details, "ul").forEach(function (ul) {
        children(ul, "li.obj").forEach(function (c) { if (visit(c)) below = true; });
      });
      li.hidden = !(match || below);
      li.classList.toggle("context", !match && below);
      if (active && collapsed && below) details.open = true;
      return match || below;
    }
    var t0 = performance.now();
    children(tree, "li.obj").forEach(visit);
    root.setAttribute("data-filter-ms", String(Math.round(performance.now() - t0)));
    var out = $("shown");
    out.textContent = active
      ? "Showing " + n.obj + " of " + n.objAll + " objectives and " + n.kr + " of " + n.krAll + " key results."
      : n.objAll + " objectives, " + n.krAll + " key results.";
    root.setAttribute("data-shown-objectives", String(n.obj));
    root.setAttribute("data-shown-key-results", String(n.kr));
  }

  // The URL fragment holds the filters, so a filtered view is a link.
  function fromHash() {
    var h = location.hash.replace(/^#/, "");
    if (h.indexOf("=") < 0) return false;
    var params = new URLSearchParams(h);
    Object.keys(select).forEach(function (k) {
      var v = params.get(k) || "";
      var known = Array.prototype.some.call(select[k].options, function (o) { return o.value === v; });
      select[k].value = known ? v : "";
    });
    return true;
  }
  function toHash() {
    var params = new URLSearchParams();
    Object.keys(select).forEach(function (k) { if (select[k].value) params.set(k, select[k].value); });
    var s = params.toString();
    try {
      history.replaceState(null, "", s ? "#" + s : location.pathname + location.search);
    } catch (e) {
      // Some viewers (file:// in a sandbox) refuse; the filter still applies.
    }
  }

  Object.keys(select).forEach(function (k) {
    select[k].addEventListener("change", function () { apply(); toHash(); });
  });
  $("filter-clear").addEventListener("click", function () {
    Object.keys(select).forEach(function (k) { select[k].value = ""; });
    apply();
    toHash();
  });
  function openAll(open) {
    var all = tree.querySelectorAll("details");
    for (var i = 0; i < all.length; i++) all[i].open = open;
  }
  $("expand-all").addEventListener("click", function () { openAll(true); });
  $("collapse-all").addEventListener("click", function () { openAll(false); });
  window.addEventListener("hashchange", function () { if (fromHash()) apply(); });

  // Print every objective open, then restore what the reader had.
  var before = null;
  window.addEventListener("beforeprint", function () {
    before = Array.prototype.map.call(document.querySelectorAll("details"), function (d) { return d.open; });
    var all = document.querySelectorAll("details");
    for (var i = 0; i < all.length; i++) all[i].open = true;
  });
  window.addEventListener("afterprint", function () {
    if (!before) return;
    var all = document.querySelectorAll("details");
    for (var i = 0; i < all.length; i++) all[i].open = before[i];
    before = null;
  });

  fromHash();
  apply();
  root.setAttribute("data-ready-ms", String(Math.round(performance.now())));
  root.setAttribute("data-ready", "1");
})();
