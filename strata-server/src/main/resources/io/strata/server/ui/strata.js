// Strata web UI: the live parts of server-rendered pages (docs/ui.md). Markup that arrives here was
// rendered and escaped by the server; log lines arrive as data and are added with textContent only.
"use strict";
(function () {
  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  // Builds list: rows that are new or changed replace or join the table; rows that left it go.
  function followList(table) {
    var body = table.tBodies[0];
    var note = document.getElementById("list-status");
    var limit = parseInt(table.getAttribute("data-limit"), 10) || 25;
    var source = open(table.getAttribute("data-stream"));
    source.onopen = function () { if (note) note.textContent = "Live: new builds and state changes appear here."; };
    source.onerror = function () { if (note) note.textContent = "Reconnecting\u2026"; };
    source.addEventListener("row", function (e) {
      var data = JSON.parse(e.data);
      var row = fragment(data.html).querySelector("tr");
      if (!row) return;
      var old = document.getElementById("build-" + data.id);
      if (old) {
        if (old.outerHTML === row.outerHTML) return;
        body.replaceChild(row, old);
      } else {
        var placed = false;
        for (var i = 0; i < body.rows.length; i++) {
          if (body.rows[i].getAttribute("data-id") < data.id) { body.insertBefore(row, body.rows[i]); placed = true; break; }
        }
        if (!placed) body.appendChild(row);
        while (body.rows.length > limit) body.deleteRow(body.rows.length - 1);
        var empty = document.getElementById("no-builds");
        if (empty) empty.remove();
      }
      row.classList.add("changed");
    });
    // A running build's duration goes on between its state changes; same format as the server's (Shown.duration).
    setInterval(function () {
      body.querySelectorAll("tr[data-started]").forEach(function (row) {
        var cell = row.querySelector("td.duration");
        var s = Math.max(0, Math.floor((Date.now() - Date.parse(row.getAttribute("data-started"))) / 1000));
        if (cell) cell.textContent = s < 60 ? s + "s" : s < 3600 ? Math.floor(s / 60) + "m " + String(s % 60).padStart(2, "0") + "s"
          : Math.floor(s / 3600) + "h " + String(Math.floor(s / 60) % 60).padStart(2, "0") + "m";
      });
    }, 1000);
    source.addEventListener("gone", function (e) {
      var old = document.getElementById("build-" + JSON.parse(e.data).id);
      if (old) old.remove();
    });
  }

  // Every stream of this page, closed when the page is left (a page kept in the back/forward cache
  // would otherwise hold its connections; browsers allow six per server over HTTP/1.1).
  var sources = [];
  function open(url) {
    var source = new EventSource(url);
    sources.push(source);
    return source;
  }
  window.addEventListener("pagehide", function () { sources.forEach(function (s) { s.close(); }); });
  window.addEventListener("pageshow", function (e) { if (e.persisted) location.reload(); });

  // Build page: one stream for the live section (replaced as the server renders it anew) and for the
  // lines of every log pane, until the build ends.
  function followBuild(live, panes) {
    var after = Object.keys(panes).map(function (id) { return id + ":" + panes[id].after; }).join(",");
    var source = open(live.getAttribute("data-stream") + "&after=" + encodeURIComponent(after));
    var TERMINAL = ["COMPLETE", "FAILED", "CANCELLED"];
    source.addEventListener("live", function (e) {
      var data = JSON.parse(e.data);
      var badge = document.getElementById("build-state");
      if (badge && badge.textContent !== data.state) {
        badge.textContent = data.state;
        badge.className = "badge state-" + data.state.toLowerCase();
      }
      var cancel = document.getElementById("cancel-form");
      if (cancel && TERMINAL.indexOf(data.state) >= 0) cancel.remove();
      var opened = Array.prototype.map.call(live.querySelectorAll("details[open]"), function (d) {
        return d.querySelector("summary").textContent;
      });
      live.replaceChildren(fragment(data.html));
      live.querySelectorAll("details").forEach(function (d) {
        if (opened.indexOf(d.querySelector("summary").textContent) >= 0) d.open = true;
      });
    });
    source.addEventListener("log", function (e) {
      var data = JSON.parse(e.data);
      if (panes[data.log]) panes[data.log].add(data);
    });
    source.onopen = function () { Object.keys(panes).forEach(function (id) { panes[id].state("(live)"); }); };
    source.addEventListener("end", function () {
      source.close();
      Object.keys(panes).forEach(function (id) { panes[id].state("(complete)"); });
    });
  }

  var ERROR = /\b(error|failed|fatal|denied)\b/i;

  // One log pane: follow (scroll to the newest line), pause (hold new lines back), search, first error;
  // its lines come from the page's stream (add).
  function logPane(pane) {
    var log = pane.querySelector(".log");
    var follow = pane.querySelector(".log-follow");
    var pauseButton = pane.querySelector(".log-pause");
    var search = pane.querySelector(".log-search");
    var matches = pane.querySelector(".log-matches");
    var stateNote = pane.querySelector(".log-state");
    var held = [];
    var paused = false;
    var after = pane.getAttribute("data-after") || "0";

    function matchesSearch(line) {
      var q = search.value.trim().toLowerCase();
      return !q || line.textContent.toLowerCase().indexOf(q) >= 0;
    }
    function place(line) {
      line.classList.toggle("hidden", !matchesSearch(line));
      log.appendChild(line);
    }
    function scroll() { if (follow.checked) log.scrollTop = log.scrollHeight; }
    function count() {
      var q = search.value.trim();
      var n = log.querySelectorAll(".ln:not(.hidden)").length;
      matches.textContent = q ? n + (n === 1 ? " matching line" : " matching lines") : "";
    }
    function lineOf(data) {
      var line = document.createElement("div");
      line.className = "ln";
      line.setAttribute("data-seq", String(data.seq));
      var step = document.createElement("span");
      step.className = "step";
      step.textContent = data.step;
      var text = document.createElement("span");
      text.className = "tx";
      text.textContent = data.text;
      line.append(step, text);
      return line;
    }

    follow.addEventListener("change", scroll);
    pauseButton.addEventListener("click", function () {
      paused = !paused;
      pauseButton.setAttribute("aria-pressed", String(paused));
      pauseButton.textContent = paused ? "Resume" : "Pause";
      if (!paused) { held.forEach(place); held = []; count(); scroll(); }
    });
    search.addEventListener("input", function () {
      log.querySelectorAll(".ln").forEach(function (l) { l.classList.toggle("hidden", !matchesSearch(l)); });
      count();
    });
    search.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      var shown = log.querySelector(".ln:not(.hidden)");
      if (shown) { shown.setAttribute("tabindex", "-1"); shown.focus(); }
    });
    pane.querySelector(".log-first-error").addEventListener("click", function () {
      var lines = log.querySelectorAll(".ln");
      for (var i = 0; i < lines.length; i++) {
        if (ERROR.test(lines[i].querySelector(".tx").textContent)) {
          follow.checked = false;
          lines[i].classList.add("error-line");
          lines[i].setAttribute("tabindex", "-1");
          lines[i].scrollIntoView({ block: "center" });
          lines[i].focus();
          return;
        }
      }
      matches.textContent = "no error line";
    });

    scroll();
    return {
      after: after,
      state: function (text) { stateNote.textContent = text; },
      add: function (data) {
        var line = lineOf(data);
        if (paused) { held.push(line); matches.textContent = held.length + " new lines held"; return; }
        place(line);
        count();
        scroll();
      }
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("table.builds[data-stream]");
    if (table) followList(table);
    var panes = {};
    document.querySelectorAll(".log-pane[data-log]").forEach(function (pane) {
      panes[pane.getAttribute("data-log")] = logPane(pane);
    });
    var live = document.getElementById("live");
    if (live && live.getAttribute("data-stream")) followBuild(live, panes);
    // "/" jumps to the first search field, as on many sites; not while typing in a field.
    document.addEventListener("keydown", function (e) {
      var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
      if (e.key === "/" && !typing) {
        var field = document.querySelector(".log-search") || document.querySelector(".filters input[name=component]");
        if (field) { e.preventDefault(); field.focus(); }
      }
    });
  });
})();
