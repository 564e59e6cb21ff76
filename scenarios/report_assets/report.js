/* Hearth replay report: draws every scenario's swimlane timeline from the embedded JSON.
 *
 * Time runs left to right in arrival order, spaced by bus time on a log scale (a millisecond
 * apart stays readable next to a second apart); jumps over GAP_S seconds (`advance: 5m`) are
 * cut to a band labelled with the time skipped. Hover a mark to follow its interaction,
 * click to pin the message. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hearth-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var LANE_H = 50, TOP = 30, PAD = 28, MIN_DX = 18, GAP_S = 5, GAP_W = 64, NAME_W = 150;
  var CHAR_W = 6.1, MARK_Y = 18, LABEL_Y = 38, CHECK_GAP = 40;
  var COLORS = {
    utterance: "#2563eb", perception: "#0891b2", addressed: "#16a34a", ignored: "#9ca3af",
    turn: "#65a30d", intent: "#7c3aed", skill: "#ea580c", say: "#db2777", speech: "#c026d3",
    dialogue: "#64748b", device: "#1d4ed8", suggestion: "#ca8a04", translation: "#0d9488",
    learning: "#4d7c0f", audio: "#0e7490", system: "#94a3b8", error: "#dc2626",
    other: "#475569"
  };
  var NAMES = {
    utterance: "utterance", perception: "perceived utterance", addressed: "turn: addressed",
    ignored: "turn: ignored", turn: "turn", intent: "intent", skill: "skill call / result / event",
    say: "response / device says", speech: "speech start / end", dialogue: "dialogue state",
    device: "device", suggestion: "suggestion", translation: "translation",
    learning: "learning", audio: "audio frames (one mark per run)", system: "system",
    error: "rejected / error", other: "other"
  };
  var SHAPES = {
    addressed: "diamond", ignored: "diamond", turn: "diamond", intent: "square",
    skill: "triangle", utterance: "bubble", say: "bubble", speech: "dot", dialogue: "dot",
    system: "dot", error: "cross", suggestion: "star", translation: "square", audio: "wave"
  };
  var pinned = null;

  function h(tag, attrs, parent, text) {
    var node = document.createElement(tag);
    setAll(node, attrs);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (parent) parent.appendChild(node);
    return node;
  }
  function s(tag, attrs, parent, text) {
    var node = document.createElementNS(SVG, tag);
    setAll(node, attrs);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (parent) parent.appendChild(node);
    return node;
  }
  function setAll(node, attrs) {
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, attrs[k]);
    });
  }
  function hms(ts) { return new Date(ts * 1000).toISOString().substring(11, 23); }
  function span(sec) {
    sec = Math.round(sec);
    var out = [], d = Math.floor(sec / 86400), hr = Math.floor(sec % 86400 / 3600),
        m = Math.floor(sec % 3600 / 60), r = sec % 60;
    if (d) out.push(d + "d");
    if (hr) out.push(hr + "h");
    if (m) out.push(m + "m");
    if (r || !out.length) out.push(r + "s");
    return out.slice(0, 2).join(" ");
  }
  function num(v, digits) { return v === null || v === undefined ? "–" : v.toFixed(digits); }
  function pct(v) { return v === null || v === undefined ? "–" : Math.round(v * 100) + "%"; }
  function hue(text) {
    var x = 0;
    for (var i = 0; i < text.length; i++) x = (x * 31 + text.charCodeAt(i)) % 360;
    return x;
  }
  function fit(text, width) {
    var n = Math.floor(width / CHAR_W);
    if (n < 4) return "";
    return text.length <= n ? text : text.substring(0, n - 1) + "…";
  }
  function step(dt) {
    if (!(dt > 0)) return MIN_DX;
    return Math.max(MIN_DX, Math.min(150, 55 * Math.log10(1 + dt * 100)));
  }

  function layout(sec) {
    var xs = [], gaps = [], ticks = [], x = PAD, last = null, lastTick = -1e9;
    sec.marks.forEach(function (m) {
      var jumped = false;
      if (last !== null) {
        var dt = m.ts - last;
        if (dt > GAP_S) {
          gaps.push({ x: x + MIN_DX / 2, dt: dt });
          x += GAP_W + MIN_DX;
          jumped = true;
        } else {
          x += step(dt);
        }
      }
      xs.push(x);
      if (jumped || x - lastTick >= 130) { ticks.push({ x: x, ts: m.ts }); lastTick = x; }
      last = last === null ? m.ts : Math.max(last, m.ts);
    });
    var checkX = [], lastCheck = -1e9;
    sec.checks.forEach(function (c) {
      var cx = c.at !== null ? xs[c.at] : (c.after >= 0 ? xs[c.after] + MIN_DX / 2 : PAD);
      cx = Math.max(cx, lastCheck + CHECK_GAP);
      checkX.push(cx);
      lastCheck = cx;
    });
    var right = Math.max(x, lastCheck);
    return { xs: xs, gaps: gaps, ticks: ticks, checkX: checkX, width: right + 280 };
  }

  function shape(kind, parent) {
    var color = COLORS[kind] || COLORS.other, form = SHAPES[kind] || "circle";
    var a = { "class": "shape", fill: color };
    if (form === "diamond") a.d = "M0,-7.5 L7.5,0 L0,7.5 L-7.5,0Z";
    else if (form === "triangle") a.d = "M0,-7.5 L7.5,6 L-7.5,6Z";
    else if (form === "star") a.d = "M0,-8 L2.4,-2.5 L8,-2.5 L3.5,1.2 L5,7.5 L0,3.8 L-5,7.5 L-3.5,1.2 L-8,-2.5 L-2.4,-2.5Z";
    else if (form === "wave") a.d = "M-8,0 L-5,-6 L-2,5 L1,-7 L4,4 L7,-3 L8,0 L7,3 L4,-4 L1,7 L-2,-5 L-5,6Z";
    else if (form === "cross") { a.d = "M-6,-6 L6,6 M6,-6 L-6,6"; a.stroke = color; a["stroke-width"] = 3; }
    if (a.d) return s("path", a, parent);
    if (form === "square") return s("rect", Object.assign(a, { x: -6, y: -6, width: 12, height: 12, rx: 2 }), parent);
    if (form === "bubble") return s("rect", Object.assign(a, { x: -8, y: -6, width: 16, height: 12, rx: 4 }), parent);
    return s("circle", Object.assign(a, { r: form === "dot" ? 4.5 : 6 }), parent);
  }

  function showDetail(title, sub, obj) {
    var box = document.getElementById("detail");
    box.hidden = false;
    box.textContent = "";
    h("h4", {}, box, title);
    if (sub) h("div", {}, box, sub);
    var hint = h("div", { "class": "hint" }, box, pinned ? "pinned · " : "click a mark to pin it");
    if (pinned) {
      h("a", { href: "#" }, hint, "close").addEventListener("click", function (ev) {
        ev.preventDefault();
        pinned = null;
        document.querySelectorAll("svg.focusing").forEach(unfocus);
        box.hidden = true;
      });
    }
    h("pre", {}, box, JSON.stringify(obj, null, 2));
  }
  function hideDetail() { if (!pinned) document.getElementById("detail").hidden = true; }

  function drawTimeline(sec, si, host) {
    var lay = layout(sec), lanes = sec.lanes, laneIndex = {};
    lanes.forEach(function (l, i) { laneIndex[l.id] = i; });
    var height = TOP + lanes.length * LANE_H + 8;
    var box = h("div", { "class": "timeline" }, host);
    var names = s("svg", { "class": "lanes-svg", width: NAME_W, height: height }, box);
    var scroll = h("div", { "class": "scroll" }, box);
    var svg = s("svg", { "class": "lanes-plot", width: lay.width, height: height,
                         "data-section": si }, scroll);
    var defs = s("defs", {}, svg);
    var marker = s("marker", { id: "head-" + si, viewBox: "0 0 10 10", refX: 9, refY: 5,
                               markerWidth: 8, markerHeight: 8, markerUnits: "userSpaceOnUse",
                               orient: "auto-start-reverse" }, defs);
    s("path", { d: "M0,0 L10,5 L0,10 Z", fill: "#6b7280" }, marker);

    lanes.forEach(function (lane, i) {
      var y = TOP + i * LANE_H, cls = "lane-bg" + (i % 2 ? " odd" : "");
      s("rect", { "class": cls, x: 0, y: y, width: NAME_W, height: LANE_H }, names);
      var g = s("g", { "class": "lane lane-" + lane.kind, "data-lane": lane.id,
                       "data-lane-kind": lane.kind }, names);
      s("text", { "class": "lane-name", x: 12, y: y + 21 }, g, fit(lane.id, NAME_W - 16));
      s("text", { "class": "lane-kind", x: 12, y: y + 36 }, g, lane.kind);
      s("rect", { "class": cls, x: 0, y: y, width: lay.width, height: LANE_H,
                  "data-lane-row": lane.id }, svg);
    });
    var laneY = function (id) { return TOP + laneIndex[id] * LANE_H; };

    lay.gaps.forEach(function (gap) {
      var g = s("g", { "class": "gap" }, svg);
      s("rect", { x: gap.x, y: TOP, width: GAP_W, height: height - TOP - 8 }, g);
      s("line", { x1: gap.x + GAP_W / 2, y1: TOP, x2: gap.x + GAP_W / 2, y2: height - 8 }, g);
      s("text", { x: gap.x + GAP_W / 2, y: TOP - 6, "text-anchor": "middle" }, g,
        "+" + span(gap.dt));
    });
    lay.ticks.forEach(function (t) {
      var g = s("g", { "class": "tick" }, svg);
      s("line", { x1: t.x, y1: TOP - 2, x2: t.x, y2: height - 8 }, g);
      s("text", { x: t.x + 3, y: 12 }, g, hms(t.ts));
    });

    var byId = {};
    sec.marks.forEach(function (m) { byId[m.id] = m; });
    var arrows = s("g", { "class": "arrows" }, svg);
    sec.marks.forEach(function (m) {
      var p = m.cause && byId[m.cause];
      if (!p) return;
      var x1 = lay.xs[p.n] + 7, y1 = laneY(p.lane) + MARK_Y;
      var x2 = lay.xs[m.n] - 9, y2 = laneY(m.lane) + MARK_Y;
      var k = Math.max(14, Math.abs(x2 - x1) / 2);
      var d = y1 === y2 && Math.abs(x2 - x1) > 40
        ? "M" + x1 + "," + y1 + " C" + (x1 + k / 2) + "," + (y1 - 22) + " " + (x2 - k / 2) + "," + (y2 - 22) + " " + x2 + "," + y2
        : "M" + x1 + "," + y1 + " C" + (x1 + k) + "," + y1 + " " + (x2 - k) + "," + y2 + " " + x2 + "," + y2;
      s("path", { "class": "arrow", d: d, stroke: "hsl(" + hue(m.cid) + ",65%,42%)",
                  "marker-end": "url(#head-" + si + ")", "data-from": p.id, "data-to": m.id,
                  "data-cid": m.cid }, arrows);
    });

    // The next mark in the same lane bounds how much of a label fits.
    var room = [], nextInLane = {};
    for (var i = sec.marks.length - 1; i >= 0; i--) {
      var lane = sec.marks[i].lane;
      room[i] = (lane in nextInLane ? nextInLane[lane] : lay.xs[i] + 300) - lay.xs[i] - 10;
      nextInLane[lane] = lay.xs[i];
    }
    var markNodes = s("g", { "class": "marks" }, svg);
    sec.marks.forEach(function (m) {
      var g = s("g", { "class": "mark k-" + m.kind, "data-type": m.type, "data-lane": m.lane,
                       "data-kind": m.kind, "data-id": m.id, "data-cid": m.cid,
                       transform: "translate(" + lay.xs[m.n] + "," + (laneY(m.lane) + MARK_Y) + ")" },
                markNodes);
      (m.checks || []).forEach(function (c) {
        s("circle", { "class": "ring " + (c.passed ? "pass" : "fail"), r: 11 }, g);
      });
      if (m.verdict === "wrong") s("circle", { "class": "wrong", r: 14 }, g);
      shape(m.kind, g);
      s("title", {}, g, m.type + " — " + m.label);
      s("text", { "class": "label", x: -6, y: LABEL_Y - MARK_Y }, g, fit(m.label, room[m.n]));
      var about = function () {
        var verdict = m.truth ? " · truth: " + m.truth + (m.verdict ? " (" + m.verdict + ")" : "") : "";
        showDetail(m.type + " @ " + m.lane, hms(m.ts) + " bus time · +" +
                   (m.wall * 1000).toFixed(1) + " ms · " + m.label + verdict, m.msg);
      };
      g.addEventListener("mouseenter", function () { if (!pinned) { focus(svg, m.cid, g); about(); } });
      g.addEventListener("mouseleave", function () { if (!pinned) { unfocus(svg); hideDetail(); } });
      g.addEventListener("click", function (ev) {
        ev.stopPropagation();
        pinned = null;
        focus(svg, m.cid, g);
        pinned = g;
        about();
      });
    });

    if (sec.checks.length) {
      var cy = laneY("checks") + MARK_Y;
      sec.checks.forEach(function (c, i) {
        var x = lay.checkX[i], target = c.at !== null ? sec.marks[c.at] : null;
        var cls = "check " + (c.passed ? "pass" : "fail");
        var g = s("g", { "class": cls, "data-line": c.line, "data-passed": String(c.passed),
                         "data-cid": target ? target.cid : "" }, svg);
        if (target) {
          s("line", { "class": "tie", x1: x, y1: cy - 9, x2: lay.xs[target.n],
                      y2: laneY(target.lane) + MARK_Y + 11 }, g);
        }
        s("rect", { x: x - 17, y: cy - 9, width: 34, height: 18, rx: 9 }, g);
        s("text", { x: x, y: cy + 4, "text-anchor": "middle" }, g,
          (c.passed ? "✓ " : "✗ ") + c.line);
        s("title", {}, g, "line " + c.line + ": " + c.expected);
        var about = function () {
          showDetail((c.passed ? "✓ passed" : "✗ FAILED") + " — line " + c.line,
                     c.expected + (c.latency_ms !== null ? " · " + num(c.latency_ms, 1) + " ms" : ""), c);
        };
        g.addEventListener("mouseenter", function () {
          if (pinned) return;
          if (target) focus(svg, target.cid, null);
          about();
        });
        g.addEventListener("mouseleave", function () { if (!pinned) { unfocus(svg); hideDetail(); } });
        g.addEventListener("click", function (ev) { ev.stopPropagation(); pinned = g; about(); });
      });
    }
    svg.addEventListener("click", function () { pinned = null; unfocus(svg); hideDetail(); });
  }

  function focus(svg, cid, current) {
    unfocus(svg);
    svg.classList.add("focusing");
    svg.querySelectorAll("[data-cid]").forEach(function (n) {
      if (n.getAttribute("data-cid") === cid) n.classList.add("related");
    });
    if (current) current.classList.add("current");
  }
  function unfocus(svg) {
    svg.classList.remove("focusing");
    svg.querySelectorAll(".related, .current").forEach(function (n) {
      n.classList.remove("related");
      n.classList.remove("current");
    });
  }

  function legend(sec, host) {
    var box = h("div", { "class": "legend" }, host), seen = {};
    sec.marks.forEach(function (m) { seen[m.kind] = true; });
    Object.keys(COLORS).forEach(function (kind) {
      if (!seen[kind]) return;
      var item = h("span", {}, box);
      var icon = s("svg", { width: 18, height: 18, viewBox: "-9 -9 18 18" }, item);
      shape(kind, icon);
      item.appendChild(document.createTextNode(NAMES[kind]));
    });
    h("span", {}, box, "arrows: caused by · ✓/✗ rings: expectation met or broken · dashed red: " +
      "wrong turn decision vs ground truth · bands: skipped bus time");
  }

  function table(host, heads, rows, numeric) {
    var t = h("table", {}, host), tr = h("tr", {}, h("thead", {}, t));
    heads.forEach(function (x) { h("th", {}, tr, x); });
    var body = h("tbody", {}, t);
    rows.forEach(function (row) {
      var r = h("tr", { "class": row.failed ? "failed" : null }, body);
      row.cells.forEach(function (cell, i) {
        var cls = numeric.indexOf(i) >= 0 ? "num" : null;
        if (cell === "✓") cls = "ok"; else if (cell === "✗") cls = "bad";
        h("td", { "class": cls }, r, cell);
      });
    });
    return t;
  }

  function overview(host) {
    h("h2", {}, host, "Summary");
    var rows = data.sections.map(function (sec, i) {
      var sm = sec.summary;
      return { failed: !sec.passed, cells: [
        sec.name, sec.passed ? "✓" : "✗", sm.expectations_passed + "/" + sm.expectations,
        pct(sm.addressee_accuracy) + " (" + sm.decisions_correct + "/" + sm.decisions + ")",
        num(sm.reply_latency_ms_p50, 1), num(sm.reply_latency_ms_max, 1), sm.messages,
        num(sm.wall_s, 1), i] };
    });
    var t = table(host, ["scenario", "passed", "expectations", "addressee accuracy",
                         "reply p50 ms", "reply max ms", "messages", "wall s"],
                  rows.map(function (r) { return { failed: r.failed, cells: r.cells.slice(0, 8) }; }),
                  [4, 5, 6, 7]);
    t.id = "summary";
    t.querySelectorAll("tbody tr").forEach(function (tr, i) {
      var cell = tr.firstChild, name = cell.textContent;
      cell.textContent = "";
      h("a", { href: "#s-" + i }, cell, name);
    });
    var tot = data.totals;
    if (tot) {
      h("p", { "class": "sub", id: "totals" }, host,
        tot.scenarios_passed + "/" + tot.scenarios + " scenarios passed · " +
        tot.expectations_passed + "/" + tot.expectations + " expectations · addressee accuracy " +
        pct(tot.addressee_accuracy) + " over " + tot.decisions + " turns · reply latency p50 " +
        num(tot.reply_latency_ms_p50, 1) + " ms, max " + num(tot.reply_latency_ms_max, 1) + " ms");
    }
  }

  function section(sec, si, host) {
    var box = h("section", { id: "s-" + si, "data-scenario": sec.name }, host);
    var title = h("h2", {}, box, sec.name);
    h("span", { "class": "badge " + (sec.passed ? "pass" : "fail") }, title, sec.passed ? "PASS" : "FAIL");
    h("p", { "class": "sub" }, box, sec.file + " · household " + sec.household + " · " +
      sec.summary.messages + " messages · " + num(sec.summary.wall_s, 1) + " s");
    if (sec.error) h("p", { "class": "error" }, box, "scenario error: " + sec.error);
    if (!sec.marks.length) { h("p", { "class": "sub" }, box, "No messages were recorded."); }
    else { legend(sec, box); drawTimeline(sec, si, box); }
    if (sec.checks.length) {
      h("h3", {}, box, "Expectations");
      table(box, ["line", "", "expected", "latency ms", "detail"], sec.checks.map(function (c) {
        return { failed: !c.passed, cells: [c.line, c.passed ? "✓" : "✗", c.expected,
                                            num(c.latency_ms, 1), c.detail] };
      }), [0, 3]).classList.add("checks");
    }
    if (sec.decisions.length) {
      h("h3", {}, box, "Turn decisions vs ground truth");
      table(box, ["line", "by", "said", "truth", "decision", "score", "reasons", "", "reply ms"],
        sec.decisions.map(function (d) {
          var decided = d.addressed === null ? "none in time" : (d.addressed ? "addressed" : "ignored");
          return { failed: d.correct === false, cells: [d.line, d.by, d.text, d.truth, decided,
            num(d.score, 2), (d.reasons || []).join(", "),
            d.correct === null ? "?" : (d.correct ? "✓" : "✗"), num(d.reply_latency_ms, 1)] };
        }), [0, 5, 8]).classList.add("decisions");
    }
  }

  var main = document.getElementById("report");
  main.textContent = "";
  document.getElementById("meta").textContent = data.sections.length + " scenario" +
    (data.sections.length === 1 ? "" : "s") + " · generated " + data.generated +
    " · times are bus time (UTC)";
  overview(main);
  data.sections.forEach(function (sec, i) {
    try { section(sec, i, main); }
    catch (err) { h("p", { "class": "error render-error" }, main, sec.name + ": " + err); }
  });
  document.body.setAttribute("data-rendered", "true");
})();
