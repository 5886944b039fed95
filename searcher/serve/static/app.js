// searcher's page, enhanced: suggestions as you type (people, countries, title words),
// "/" to reach the search box, a new sort applied at once. Plain search needs none of it.
(function () {
  "use strict";
  var box = document.getElementById("q");
  var list = document.getElementById("suggestions");
  var form = document.getElementById("search");
  if (!box || !list) return;

  var timer = null, asked = "", controller = null;

  function quoted(text) {
    return /\s/.test(text) ? '"' + text + '"' : text;
  }

  function show(prefix, suggestions) {
    while (list.firstChild) list.removeChild(list.firstChild);
    suggestions.forEach(function (s) {
      var option = document.createElement("option");
      option.value = prefix.slice(0, s.start) + quoted(s.text);
      option.label = s.kind + " · " + s.releases + (s.releases === 1 ? " release" : " releases");
      option.dataset.kind = s.kind;
      list.appendChild(option);
    });
  }

  function ask() {
    var prefix = box.value;
    if (prefix === asked) return;
    asked = prefix;
    if (!prefix.trim()) { show("", []); return; }
    if (controller) controller.abort();
    controller = "AbortController" in window ? new AbortController() : null;
    fetch("/api/suggest?limit=8&prefix=" + encodeURIComponent(prefix),
          controller ? { signal: controller.signal } : {})
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) { if (box.value === prefix) show(prefix, data.suggestions || []); })
      .catch(function () { /* typing on; the next keystroke asks again */ });
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA");
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      box.focus();
      box.select();
    }
  });

  // Shorter addresses to share: fields left empty (and the default order) are not sent.
  if (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el !== box && (el.value === "" || (el.name === "sort" && el.value === "relevance"))) {
          el.disabled = true;
        }
      });
    });
    window.addEventListener("pageshow", function () {  // back to this page: usable again
      Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
    });
  }

  var sort = document.getElementById("sort");
  if (sort && form) {
    sort.addEventListener("change", function () { form.submit(); });
  }
})();
