/*
 * page.js - the page of prstats --format html (export_html.c): an icicle
 * or a sunburst of the exact call tree, pstats' table, and the selected function's
 * callers, callees and line heat map, all drawn from the JSON object in
 * the #profile element (its layout: export_html.c, docs/view.md).
 *
 * The chart's root is a call path (click a box: it becomes the root;
 * the breadcrumbs go back up) or a function (a table row: the subtrees
 * of its outermost calls merged by path).  Times are ticks / hz seconds,
 * the numbers prstats prints.  page.html#f=NAME opens with the function
 * NAME selected, #chart=sunburst with the sunburst.  When it is done the body gets
 * data-ready="1"; an error is written into #errors, for the tests.
 */
"use strict";

var D, F, ROOT, view = null, selected = -1;

function $(id) { return document.getElementById(id); }

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  for (var k in attrs || {})
    e.setAttribute(k, attrs[k]);
  if (text !== undefined)
    e.textContent = text;
  return e;
}

function seconds(ticks) { return ticks / D.hz; }
function fixed(ticks) { return seconds(ticks).toFixed(6); }

/* "12.35 ms": a time with a unit that keeps it short. */
function short(ticks) {
  var s = seconds(ticks), units = ["s", "ms", "us", "ns"], u = 0;
  while (u < 3 && s !== 0 && s < 1) {
    s *= 1000;
    u++;
  }
  var text = s.toPrecision(4);
  if (text.indexOf(".") >= 0 && text.indexOf("e") < 0)
    text = text.replace(/0+$/, "").replace(/\.$/, "");
  return text + " " + units[u];
}

function stdname(f) { return f.file + ":" + f.line + "(" + f.name + ")"; }
function ncalls(f) { return f.ncalls === f.pcalls ? "" + f.ncalls : f.ncalls + "/" + f.pcalls; }
function percall(t, n) { return n ? (seconds(t) / n).toFixed(6) : "0.000000"; }

/* Microseconds as the line report prints them: one decimal, or two
 * significant digits where that would show 0.0. */
function micro(ticks, n) {
  var v = seconds(ticks) / (n || 1) * 1e6;
  return v > 0 && v < 0.05 ? v.toPrecision(2) : v.toFixed(1);
}

/* flamegraph.pl's hot palette, chosen by the name (FNV-1a, as the SVG). */
function colour(name) {
  var h = 2166136261;
  for (var i = 0; i < name.length; i++)
    h = Math.imul(h ^ (name.charCodeAt(i) & 0xff), 16777619) >>> 0;
  return "rgb(" + (205 + Math.floor((h & 0xff) * 50 / 255)) + "," +
    Math.floor((h >>> 8 & 0xff) * 230 / 255) + "," +
    Math.floor((h >>> 16 & 0xff) * 55 / 255) + ")";
}

/* The functions, edges and call tree as objects. */
function load() {
  D = JSON.parse($("profile").textContent);
  F = D.funcs.map(function (a, i) {
    return {i: i, name: a[0], file: a[1], line: a[2], ncalls: a[3], pcalls: a[4],
            tottime: a[5], cumtime: a[6], src: a[7], lineTimes: a[8],
            firstLine: a[9], nlines: a[10], lines: a[11],
            callers: [], callees: [], nodes: []};
  });
  D.edges.forEach(function (e) {
    F[e[1]].callers.push(e);
    F[e[0]].callees.push(e);
  });
  ROOT = {f: -1, calls: D.total_calls, incl: 0, self: 0, kids: [], parent: null};
  var nodes = D.nodes.map(function (a) {
    return {f: a[1], calls: a[2], incl: a[3], self: a[4], kids: [], parent: null};
  });
  D.nodes.forEach(function (a, k) {
    var n = nodes[k], p = a[0] < 0 ? ROOT : nodes[a[0]];
    n.parent = p;
    p.kids.push(n);
    F[n.f].nodes.push(n);
    if (p === ROOT)
      ROOT.incl += n.incl;
  });
  nodes.concat([ROOT]).forEach(sortKids);
}

function sortKids(n) { n.kids.sort(function (a, b) { return b.incl - a.incl; }); }

function fname(n) { return n.f < 0 ? "all" : F[n.f].name; }

/*
 * The subtrees of f's outermost calls (those with no call of f above
 * them) merged by path: the tree a table row re-roots the chart at.
 */
function mergedTree(fi) {
  var top = {f: fi, calls: 0, incl: 0, self: 0, kids: [], parent: null, map: {}};
  var stack = [];
  F[fi].nodes.forEach(function (n) {
    for (var a = n.parent; a; a = a.parent)
      if (a.f === fi)
        return;
    stack.push([n, top]);
  });
  while (stack.length) {
    var s = stack.pop(), n = s[0], m = s[1];
    m.calls += n.calls;
    m.incl += n.incl;
    m.self += n.self;
    n.kids.forEach(function (k) {
      var mk = m.map[k.f];
      if (!mk) {
        mk = m.map[k.f] = {f: k.f, calls: 0, incl: 0, self: 0, kids: [], parent: m, map: {}};
        m.kids.push(mk);
      }
      stack.push([k, mk]);
    });
  }
  (function sortAll() {
    var todo = [top];
    while (todo.length) {
      var n = todo.pop();
      sortKids(n);
      todo.push.apply(todo, n.kids);
    }
  })();
  return top;
}

/* --- the icicle --- */

function details(n) {
  var pct = ROOT.incl ? (100 * n.incl / ROOT.incl).toFixed(2) : "100.00";
  var where = n.f < 0 ? "" : " at " + F[n.f].file + ":" + F[n.f].line;
  return fname(n) + where + ": " + n.calls + " calls, " + short(n.incl) +
    " inclusive (" + pct + "% of the total), " + short(n.self) + " self";
}

/* Roots the chart at n; `label` names a function root in the crumbs. */
function setRoot(n, label) {
  view = {root: n, label: label || null};
  draw();
}

function crumbs() {
  var box = $("crumbs"), trail = [];
  box.textContent = "";
  for (var n = view.root; n; n = n.parent)
    trail.unshift(n);
  if (view.label) {
    var all = el("a", {href: "#"}, "all");
    all.onclick = function () { setRoot(ROOT); return false; };
    box.appendChild(all);
    box.appendChild(document.createTextNode(" \u203a " + view.label + ": "));
  }
  trail.forEach(function (n, k) {
    var a = el("a", {href: "#"}, fname(n));
    a.onclick = function () { setRoot(n, view.label); return false; };
    if (k)
      box.appendChild(document.createTextNode(" \u203a "));
    box.appendChild(a);
  });
}

function depthLimit() { return Math.max(1, +$("depth").value || 1); }

/*
 * Calls visit(n, at, share, depth) for each path drawn under the root,
 * down to maxDepth rows,
 * at and share its place along the root's width as fractions of it;
 * returns how many were not drawn (narrower than the cut-off, deeper
 * than the depth).
 */
function layout(root, maxDepth, visit) {
  var min = Math.max(0, +$("cutoff").value || 0) / 100;
  var scale = root.incl ? 1 / root.incl : 0, stack = [[root, 0, 0]], hidden = 0;
  while (stack.length) {
    var s = stack.pop(), n = s[0], at = s[1], d = s[2];
    var share = n === root ? 1 : n.incl * scale;
    if (share < min || d >= maxDepth) {
      hidden++;
      continue;
    }
    visit(n, at, share, d);
    for (var k = n.kids.length - 1, x = at + n.incl * scale; k >= 0; k--) {
      x -= n.kids[k].incl * scale;
      stack.push([n.kids[k], x, d + 1]);
    }
  }
  return hidden;
}

/* Rows of boxes, the root at the top. */
function drawIcicle(box) {
  var width = box.clientWidth || 1000, row = 18, depth = 0;
  var frag = document.createDocumentFragment();
  var hidden = layout(view.root, depthLimit(), function (n, at, share, d) {
    var w = share * width, b = el("div", {"class": "node", title: details(n)},
                                  w > 30 ? fname(n) : "");
    depth = Math.max(depth, d + 1);
    b.style.left = at * width + "px";
    b.style.top = d * row + "px";
    b.style.width = Math.max(w - 1, 1) + "px";
    b.style.background = n.f < 0 ? "#ddd" : colour(fname(n));
    b.node = n;
    frag.appendChild(b);
  });
  box.appendChild(frag);
  box.style.height = depth * row + "px";
  return hidden;
}

var SVGNS = "http://www.w3.org/2000/svg"; /* a name, nothing fetched */

/* Rings: the root a disc in the middle, each level a ring around it,
 * angles as the icicle's widths. */
function drawSunburst(box) {
  var size = Math.min(box.clientWidth || 700, 700), c = size / 2, rows = 0;
  var svg = document.createElementNS(SVGNS, "svg");
  svg.setAttribute("width", size);
  svg.setAttribute("height", size);
  svg.setAttribute("id", "sunburst");
  function point(a, r) {
    return (c + r * Math.sin(a)).toFixed(2) + "," + (c - r * Math.cos(a)).toFixed(2);
  }
  /* Rings of at least 14 pixels, as many as the rows drawn. */
  layout(view.root, depthLimit(), function (n, at, share, d) { rows = Math.max(rows, d + 1); });
  var ring = Math.max(14, c / rows), maxDepth = Math.min(rows, Math.floor(c / ring));
  var hidden = layout(view.root, maxDepth, function (n, at, share, d) {
    var shape;
    if (d === 0) {
      shape = document.createElementNS(SVGNS, "circle");
      shape.setAttribute("cx", c);
      shape.setAttribute("cy", c);
      shape.setAttribute("r", ring);
    } else {
      var a0 = at * 2 * Math.PI, a1 = Math.min(at + share, at + 0.999999) * 2 * Math.PI;
      var ri = d * ring, ro = ri + ring, large = a1 - a0 > Math.PI ? 1 : 0;
      shape = document.createElementNS(SVGNS, "path");
      shape.setAttribute("d", "M" + point(a0, ri) + "L" + point(a0, ro) + "A" + ro + "," + ro +
        " 0 " + large + " 1 " + point(a1, ro) + "L" + point(a1, ri) + "A" + ri + "," + ri +
        " 0 " + large + " 0 " + point(a0, ri) + "Z");
    }
    shape.setAttribute("fill", n.f < 0 ? "#ddd" : colour(fname(n)));
    shape.setAttribute("class", "arc");
    var title = document.createElementNS(SVGNS, "title");
    title.textContent = details(n);
    shape.appendChild(title);
    shape.node = n;
    svg.appendChild(shape);
  });
  box.appendChild(svg);
  box.style.height = size + "px";
  return hidden;
}

function draw() {
  var box = $("icicle"), hidden;
  crumbs();
  box.textContent = "";
  hidden = $("chart").value === "sunburst" ? drawSunburst(box) : drawIcicle(box);
  $("hidden").textContent = hidden ? hidden + " paths narrower than the cut-off or " +
    "deeper than the depth not drawn" : "";
}

function chartEvents() {
  var box = $("icicle");
  box.onmouseover = function (e) {
    if (e.target.node)
      $("details").textContent = details(e.target.node);
  };
  box.onclick = function (e) {
    var n = e.target.node;
    if (!n)
      return;
    if (n === view.root && n.parent)
      setRoot(n.parent, view.label);
    else
      setRoot(n, view.label);
    if (n.f >= 0)
      select(n.f, false);
  };
  $("depth").onchange = $("cutoff").onchange = $("chart").onchange = draw;
  window.onresize = draw;
}

/* --- pstats' table --- */

/* pstats' keys: [field, descending]; ties by name, file, line. */
var KEYS = {
  calls: [["ncalls", 1]], cumulative: [["cumtime", 1]], filename: [["file", 0]],
  line: [["line", 0]], name: [["name", 0]],
  nfl: [["name", 0], ["file", 0], ["line", 0]], pcalls: [["pcalls", 1]],
  stdname: [["std", 0]], time: [["tottime", 1]]
};

function compare(keys) {
  keys = keys.concat([["name", 0], ["file", 0], ["line", 0]]);
  return function (a, b) {
    for (var k = 0; k < keys.length; k++) {
      var f = keys[k][0], x = f === "std" ? stdname(a) : a[f];
      var y = f === "std" ? stdname(b) : b[f];
      if (x !== y)
        return (x < y ? -1 : 1) * (keys[k][1] ? -1 : 1);
    }
    return 0;
  };
}

function ran(f) {
  return f.ncalls > 0 || f.lines.some(function (l) { return l[1] > 0; });
}

var ROWS_SHOWN = 2000;

function table() {
  var re = null, text = $("search").value, body = $("rows");
  $("search").className = "";
  try {
    re = text ? new RegExp(text) : null;
  } catch (e) {
    $("search").className = "bad";
  }
  var rows = F.filter(function (f) { return ran(f) && (!re || re.test(stdname(f))); });
  rows.sort(compare(KEYS[$("sort").value]));
  body.textContent = "";
  rows.slice(0, ROWS_SHOWN).forEach(function (f) {
    var tr = el("tr", {"data-func": f.i});
    [ncalls(f), fixed(f.tottime), percall(f.tottime, f.ncalls), fixed(f.cumtime),
     percall(f.cumtime, f.pcalls), stdname(f)].forEach(function (v, k) {
      tr.appendChild(el("td", k < 5 ? {"class": "num"} : {}, v));
    });
    if (f.i === selected)
      tr.className = "sel";
    tr.onclick = function () { select(f.i, true); };
    body.appendChild(tr);
  });
  $("count").textContent = rows.length + " functions" +
    (rows.length > ROWS_SHOWN ? ", the first " + ROWS_SHOWN + " shown" : "");
}

function tableEvents() {
  Object.keys(KEYS).forEach(function (k) { $("sort").appendChild(el("option", {value: k}, k)); });
  $("sort").value = "cumulative";
  $("sort").onchange = $("search").oninput = table;
  var heads = document.querySelectorAll("#stats th[data-key]");
  for (var i = 0; i < heads.length; i++)
    heads[i].onclick = function () {
      $("sort").value = this.getAttribute("data-key");
      table();
    };
}

/* --- the selected function --- */

function select(fi, reroot) {
  var f = F[fi];
  selected = fi;
  if (reroot)
    setRoot(mergedTree(fi), "function " + f.name);
  var box = $("func");
  box.textContent = "";
  box.appendChild(el("h2", {}, stdname(f)));
  box.appendChild(el("p", {}, ncalls(f) + " calls, " + fixed(f.tottime) + " s self, " +
    fixed(f.cumtime) + " s cumulative"));
  edgeTable(box, "Called by", f.callers, 0);
  edgeTable(box, "Calls", f.callees, 1);
  lineTable(box, f);
  var rows = document.querySelectorAll("#rows tr");
  for (var i = 0; i < rows.length; i++)
    rows[i].className = +rows[i].getAttribute("data-func") === fi ? "sel" : "";
}

function edgeTable(box, title, edges, end) {
  box.appendChild(el("h3", {}, title + (edges.length ? "" : ": none")));
  if (!edges.length)
    return;
  var t = el("table", {"class": "edges"}), head = el("tr");
  ["ncalls", "tottime", "cumtime", "function"].forEach(function (h) { head.appendChild(el("th", {}, h)); });
  t.appendChild(head);
  edges.slice().sort(function (a, b) { return b[5] - a[5]; }).forEach(function (e) {
    var g = F[e[end]], tr = el("tr");
    [e[2] === e[3] ? "" + e[2] : e[2] + "/" + e[3], fixed(e[4]), fixed(e[5])].forEach(function (v) {
      tr.appendChild(el("td", {"class": "num"}, v));
    });
    var a = el("a", {href: "#"}, stdname(g));
    a.onclick = function () { select(g.i, true); return false; };
    var td = el("td");
    td.appendChild(a);
    tr.appendChild(td);
    t.appendChild(tr);
  });
  box.appendChild(t);
}

/* line_profiler's table, each row's background as hot as its share. */
function lineTable(box, f) {
  box.appendChild(el("h3", {}, "Lines"));
  if (!f.nlines) {
    box.appendChild(el("p", {"class": "note"}, "no line data: the function was built without line probes"));
    return;
  }
  var src = f.src >= 0 ? D.sources[f.src] : null, data = {}, total = 0, most = 0;
  f.lines.forEach(function (l) {
    data[l[0]] = l;
    total += l[2];
  });
  f.lines.forEach(function (l) { most = Math.max(most, f.lineTimes ? l[2] : l[1]); });
  if (!src || src.error)
    box.appendChild(el("p", {"class": "note"}, "source not available: " +
      (src ? src.path + ": " + src.error : f.file)));
  if (!f.lineTimes)
    box.appendChild(el("p", {"class": "note"}, "line times not measured (built with line-hits): hits only"));
  var t = el("table", {"class": "lines"}), head = el("tr");
  ["Line #", "Hits", "Time (us)", "Per hit (us)", "% Time", "Line Contents"].forEach(function (h) {
    head.appendChild(el("th", {}, h));
  });
  t.appendChild(head);
  var lo = f.line && f.line < f.firstLine && f.firstLine - f.line <= 100 ? f.line : f.firstLine;
  for (var n = lo; n < f.firstLine + f.nlines; n++) {
    var l = data[n], tr = el("tr", {"data-line": n});
    var cells = [n, "", "", "", ""];
    if (l) {
      cells[1] = l[1];
      if (f.lineTimes) {
        cells[2] = micro(l[2], 1);
        cells[3] = l[1] ? micro(l[2], l[1]) : "";
        cells[4] = total > 0 ? (100 * l[2] / total).toFixed(1) : "";
      }
      var heat = most ? (f.lineTimes ? l[2] : l[1]) / most : 0;
      tr.style.background = "rgba(255,90,0," + (0.75 * heat).toFixed(3) + ")";
    }
    cells.forEach(function (v) { tr.appendChild(el("td", {"class": "num"}, "" + v)); });
    tr.appendChild(el("td", {"class": "code"}, src && src.lines ? src.lines[n - 1] || "" : ""));
    t.appendChild(tr);
  }
  box.appendChild(t);
}

/* --- the page --- */

function header() {
  $("title").textContent = "cprof: " + D.title;
  $("summary").textContent = D.total_calls + " function calls (" + D.prim_calls +
    " primitive calls) in " + fixed(D.total) + " seconds; exact call tree, threads merged";
  $("clock").textContent = D.clock;
  var c = D.cut;
  $("cut").textContent = c.pruned ? c.pruned + " call paths of less than " + short(c.min) +
    " left out of the page" + (c.nonly ? "; functions only there: " + c.only.join(", ") +
    (c.nonly > c.only.length ? ", ..." : "") : "") : "every call path included";
}

var LAYOUT =
  '<header><h1 id="title"></h1><p id="summary"></p><p id="clock" class="note"></p>' +
  '<p id="cut" class="note"></p><p id="errors"></p></header>' +
  '<section><div class="controls"><select id="chart"><option value="icicle">icicle' +
  '</option><option value="sunburst">sunburst</option></select> Depth <input id="depth" type="number" min="1" value="40"> ' +
  'Cut-off <input id="cutoff" type="number" min="0" step="0.05" value="0.05">% of the width ' +
  '<span id="crumbs"></span></div><div id="icicle"></div><p id="details" class="note">&nbsp;</p>' +
  '<p id="hidden" class="note"></p></section>' +
  '<div class="split"><section id="tablebox"><div class="controls">Sort by <select id="sort"></select> ' +
  'Search <input id="search" placeholder="regular expression"> <span id="count"></span></div>' +
  '<table id="stats"><thead><tr><th data-key="calls">ncalls</th><th data-key="time">tottime</th>' +
  '<th>percall</th><th data-key="cumulative">cumtime</th><th>percall</th>' +
  '<th data-key="stdname">filename:lineno(function)</th></tr></thead><tbody id="rows"></tbody>' +
  '</table></section><section id="func"><p class="note">Click a row or a box to see the ' +
  'function\'s callers, callees and lines.</p></section></div>';

/* page.html#f=NAME selects the function NAME, as a click on its row;
 * #chart=sunburst picks the chart (several joined by &). */
function fromHash() {
  window.location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var k = kv.split("=")[0], v = decodeURIComponent(kv.substring(k.length + 1));
    if (k === "chart" && (v === "icicle" || v === "sunburst")) {
      $("chart").value = v;
      draw();
    }
    for (var i = 0; k === "f" && i < F.length; i++)
      if (F[i].name === v && ran(F[i]))
        return select(i, true);
  });
}

window.onerror = function (msg, where, line) {
  var e = $("errors");
  if (e)
    e.textContent += "error: " + msg + " (" + where + ":" + line + ")\n";
};

document.addEventListener("DOMContentLoaded", function () {
  var main = el("main");
  main.innerHTML = LAYOUT;
  document.body.appendChild(main);
  load();
  header();
  chartEvents();
  tableEvents();
  setRoot(ROOT);
  table();
  fromHash();
  /* Milliseconds from the navigation's start: the page's load time. */
  document.body.setAttribute("data-ms", Math.round(performance.now()));
  document.body.setAttribute("data-ready", "1");
});
