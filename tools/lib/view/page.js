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
 * NAME selected, #chart=sunburst with the sunburst, #hide=REGEX with the
 * functions whose filename:lineno(function) matches REGEX folded into
 * their callers, #thread=K with thread K alone (a profile of several
 * threads has D.threads, each its own table and tree).  The page of
 * prstats --diff (D.diff) draws both call trees merged by path of
 * functions, each box coloured by its change, and report_diff's table.  When it is done the body gets
 * data-ready="1"; an error is written into #errors, for the tests.
 */
"use strict";

/* D: the page's JSON; P: the part shown, D or one of D.threads. */
var D, P, F, ROOT, TREE, view = null, selected = -1;

/* The numbers a node of the chart adds up when trees merge by path: the
 * diff's also have b and a, its inclusive seconds before and after. */
var FIELDS = ["calls", "incl", "self"];

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
/* Calls as prstats prints them: "-" for a sampled row's, not counted. */
function counts(n, p, sampled) { return sampled && !n ? "-" : n === p ? "" + n : n + "/" + p; }
function ncalls(f) { return counts(f.ncalls, f.pcalls, f.sampled); }
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

/* A box's colour: the function's, or in a diff its change: red as it
 * grew, blue as it shrank, white unchanged (share of the larger side). */
function paint(n) {
  if (n.f < 0)
    return "#ddd";
  if (!D.diff)
    return colour(fname(n));
  var big = Math.max(n.a, n.b), r = big ? (n.a - n.b) / big : 0;
  var fade = Math.round(255 * (1 - Math.min(1, Math.abs(r)))), mid = Math.round((255 + fade) / 2);
  return r >= 0 ? "rgb(255," + fade + "," + fade + ")" : "rgb(" + fade + "," + mid + ",255)";
}

/* The functions, edges and call tree as objects: every thread's. */
function load() {
  D = JSON.parse($("profile").textContent);
  if (D.diff)
    return loadDiff();
  F = D.funcs.map(function (a, i) {
    return {i: i, name: a[0], file: a[1], line: a[2], ncalls: a[3], pcalls: a[4],
            tottime: a[5], cumtime: a[6], src: a[7], lineTimes: a[8],
            firstLine: a[9], nlines: a[10], lines: a[11], sampled: a[12],
            callers: [], callees: [], nodes: [], here: true};
  });
  loadTree(D);
}

/* The table's numbers, the edges and the call tree of `p`: the profile
 * D, or one of its threads (D.threads[k], numbered by the functions of D). */
function loadTree(p) {
  if (p !== D) {
    F.forEach(function (f) {
      f.ncalls = f.pcalls = f.tottime = f.cumtime = 0;
      f.here = false;
    });
    p.funcs.forEach(function (a) {
      var f = F[a[0]];
      f.ncalls = a[1]; f.pcalls = a[2]; f.tottime = a[3]; f.cumtime = a[4];
      f.here = true;
    });
  }
  F.forEach(function (f) { f.callers = []; f.callees = []; f.nodes = []; });
  p.edges.forEach(function (e) {
    F[e[1]].callers.push(e);
    F[e[0]].callees.push(e);
  });
  ROOT = {f: -1, calls: p.total_calls, incl: 0, self: 0, kids: [], parent: null};
  var nodes = p.nodes.map(function (a) {
    return {f: a[1], calls: a[2], incl: a[3], self: a[4], kids: [], parent: null};
  });
  p.nodes.forEach(function (a, k) {
    var n = nodes[k], q = a[0] < 0 ? ROOT : nodes[a[0]];
    n.parent = q;
    q.kids.push(n);
    F[n.f].nodes.push(n);
    if (q === ROOT)
      ROOT.incl += n.incl;
  });
  nodes.concat([ROOT]).forEach(sortKids);
  F.forEach(function (f) { f.allNodes = f.nodes; });
  TREE = ROOT;
  P = p;
}

/* The thread picked (#thread=K; "" all of them): its tree, its table. */
function pickThread() {
  var k = $("thread").value;
  loadTree(k === "" ? D : D.threads[+k]);
  if (selected >= 0 && !ran(F[selected]))
    selected = -1;
  header();
  rebuild();
  if (selected >= 0)
    select(selected, false);
  else
    $("func").innerHTML = '<p class="note">Click a row or a box to see the ' +
      "function's callers, callees and lines.</p>";
}

function node(f, parent) {
  var n = {f: f, kids: [], parent: parent, map: {}};
  FIELDS.forEach(function (k) { n[k] = 0; });
  if (parent) {
    parent.map[f] = n;
    parent.kids.push(n);
  }
  return n;
}

/* The child of m for function f, made when m has none. */
function child(m, f) { return m.map[f] || node(f, m); }

/*
 * The diff's rows as functions, and its two call trees merged by path of
 * rows (a row is a function of either profile, matched by report_diff):
 * a node's b and a are its inclusive seconds before and after, its calls
 * those after (bcalls before).  Times are seconds here: D.hz is 1.
 */
function loadDiff() {
  FIELDS = ["calls", "bcalls", "incl", "self", "b", "a"];
  F = D.rows.map(function (r, i) {
    return {i: i, name: r[0], file: r[1], line: r[2], before: r[3], after: r[4],
            nodes: []};
  });
  ROOT = node(-1, null);
  [["before", "b", "bcalls"], ["after", "a", "calls"]].forEach(function (side) {
    var p = D[side[0]], made = [];
    p.nodes.forEach(function (a) {
      var m = child(a[0] < 0 ? ROOT : made[a[0]], a[1]);
      made.push(m);
      m[side[2]] += a[2];
      m[side[1]] += a[3] / p.hz;
      if (a[0] < 0) {
        ROOT[side[1]] += a[3] / p.hz;
        ROOT[side[2]] += a[2];
      }
    });
  });
  D.hz = 1;
  TREE = ROOT;
}

/* The diff's widths: both profiles' seconds added (a path that vanished
 * still shows), or one profile's. */
function diffWidths(top) {
  var w = $("width") ? $("width").value : "both", todo = [top];
  while (todo.length) {
    var n = todo.pop();
    n.incl = w === "before" ? n.b : w === "after" ? n.a : n.a + n.b;
    todo.push.apply(todo, n.kids);
  }
}

/*
 * The tree with the hidden functions' frames folded into their callers:
 * a hidden frame's self time is its caller's, its callees are drawn
 * under the caller (merged with the caller's own calls of them).
 */
function fold(hidden) {
  var top = node(-1, null), stack = [[ROOT, top]];
  FIELDS.forEach(function (k) { top[k] = ROOT[k]; });
  F.forEach(function (f) { f.nodes = []; });
  while (stack.length) {
    var s = stack.pop(), d = s[1];
    s[0].kids.forEach(function (k) {
      if (hidden[k.f]) {
        d.self += k.self;
        stack.push([k, d]);
        return;
      }
      var m = d.map[k.f];
      if (!m) {
        m = node(k.f, d);
        F[k.f].nodes.push(m);
      }
      FIELDS.forEach(function (x) { m[x] += k[x]; });
      stack.push([k, m]);
    });
  }
  return top;
}

function sortAll(top) {
  var todo = [top];
  while (todo.length) {
    var n = todo.pop();
    sortKids(n);
    todo.push.apply(todo, n.kids);
  }
}

/* The functions whose filename:lineno(function) matches #hide. */
function hiddenFuncs() {
  var text = $("hide").value, re = null, hidden = {}, n = 0;
  $("hide").className = "";
  try {
    re = text ? new RegExp(text) : null;
  } catch (e) {
    $("hide").className = "bad";
  }
  F.forEach(function (f) {
    hidden[f.i] = re !== null && re.test(stdname(f));
    n += hidden[f.i] ? 1 : 0;
  });
  return {of: hidden, n: n};
}

/* The chart's tree after the filter and the diff's widths; the table
 * and the chart drawn again. */
function rebuild() {
  var h = hiddenFuncs();
  HIDDEN = h.of;
  TREE = h.n || D.diff ? fold(h.of) : ROOT;
  if (!h.n && !D.diff)
    F.forEach(function (f) { f.nodes = f.allNodes; });
  if (D.diff)
    diffWidths(TREE);
  sortAll(TREE);
  $("folded").textContent = h.n ? h.n + " functions hidden: their frames folded into " +
    "their callers (their self time counted in the caller's self, their callees drawn " +
    "under the caller), their rows left out of the table" : "";
  if (view && view.label && selected >= 0 && !HIDDEN[selected])
    setRoot(mergedTree(selected), view.label);
  else
    setRoot(TREE);
  (D.diff ? diffTable : table)();
  setHash();
}

var HIDDEN = {};
function sortKids(n) { n.kids.sort(function (a, b) { return b.incl - a.incl; }); }

function fname(n) { return n.f < 0 ? "all" : F[n.f].name; }

/*
 * The subtrees of f's outermost calls (those with no call of f above
 * them) merged by path: the tree a table row re-roots the chart at.
 */
function mergedTree(fi) {
  var top = node(fi, null);
  var stack = [];
  F[fi].nodes.forEach(function (n) {
    for (var a = n.parent; a; a = a.parent)
      if (a.f === fi)
        return;
    stack.push([n, top]);
  });
  while (stack.length) {
    var s = stack.pop(), n = s[0], m = s[1];
    FIELDS.forEach(function (x) { m[x] += n[x]; });
    n.kids.forEach(function (k) { stack.push([k, child(m, k.f)]); });
  }
  if (D.diff)
    diffWidths(top);
  sortAll(top);
  return top;
}

/* --- the icicle --- */

function details(n) {
  if (D.diff)
    return diffDetails(n);
  var pct = TREE.incl ? (100 * n.incl / TREE.incl).toFixed(2) : "100.00";
  var where = n.f < 0 ? "" : " at " + F[n.f].file + ":" + F[n.f].line;
  var calls = n.f >= 0 && F[n.f].sampled && !n.calls ? "sampled" : n.calls + " calls";
  return fname(n) + where + ": " + calls + ", " + short(n.incl) +
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
    all.onclick = function () { setRoot(TREE); return false; };
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
    b.style.background = paint(n);
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
    shape.setAttribute("fill", paint(n));
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
  $("depth").onchange = $("cutoff").onchange = draw;
  $("chart").onchange = function () {
    draw();
    setHash();
  };
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
  if (D.diff)
    return true; /* report_diff's rows all ran */
  /* A thread's table: only its functions (their lines are every thread's). */
  return f.here && (f.ncalls > 0 || f.sampled ||
                    f.lines.some(function (l) { return l[1] > 0; }));
}

var ROWS_SHOWN = 2000;

/* The search box's expression, or null (marked when it is not one). */
function search() {
  var re = null, text = $("search").value;
  $("search").className = "";
  try {
    re = text ? new RegExp(text) : null;
  } catch (e) {
    $("search").className = "bad";
  }
  return re;
}

function table() {
  var re = search(), body = $("rows");
  var rows = F.filter(function (f) {
    return ran(f) && !HIDDEN[f.i] && (!re || re.test(stdname(f)));
  });
  rows.sort(compare(KEYS[$("sort").value]));
  fillRows(body, rows, function (f) {
    var none = f.sampled && !f.ncalls; /* no calls to divide by, as prstats */
    return [ncalls(f), fixed(f.tottime), none ? "" : percall(f.tottime, f.ncalls),
            fixed(f.cumtime), none ? "" : percall(f.cumtime, f.pcalls), stdname(f)];
  }, function () { return "num"; });
}

/* The first ROWS_SHOWN rows: cellsOf(f) gives a row's cells, the last one
 * its name, numClass(k) the class of number cell k; a click selects. */
function fillRows(body, rows, cellsOf, numClass) {
  body.textContent = "";
  rows.slice(0, ROWS_SHOWN).forEach(function (f) {
    var tr = el("tr", {"data-func": f.i}), cells = cellsOf(f);
    cells.forEach(function (v, k) {
      tr.appendChild(el("td", k < cells.length - 1 ? {"class": numClass(k)} : {}, "" + v));
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
  $("hide").onchange = rebuild;
  if (D.diff) {
    $("search").oninput = diffTable;
    $("width").onchange = rebuild;
    return;
  }
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
  setHash();
  if (D.diff) {
    diffSelect(box, f);
    markRow(fi);
    return;
  }
  box.appendChild(el("p", {}, (f.sampled && !f.ncalls ? "sampled, no calls counted" :
    ncalls(f) + " calls") + ", " + fixed(f.tottime) + " s self, " +
    fixed(f.cumtime) + " s cumulative"));
  edgeTable(box, "Called by", f.callers, 0);
  edgeTable(box, "Calls", f.callees, 1);
  lineTable(box, f);
  markRow(fi);
}

function markRow(fi) {
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
    [counts(e[2], e[3], F[e[1]].sampled), fixed(e[4]), fixed(e[5])].forEach(function (v) {
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
    box.appendChild(el("p", {"class": "note"}, "no line data: the function was built without " +
      "line probes" + (D.memory ? " (its allocations: the memory table, grouped by line)" : "")));
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
  var mem = D.memory ? D.memory.byLine : null;
  ["Line #", "Hits", "Time (us)", "Per hit (us)", "% Time"].concat(mem ? ["Allocs", "Allocated",
    "Live"] : []).concat(["Line Contents"]).forEach(function (h) {
    head.appendChild(el("th", {}, h));
  });
  t.appendChild(head);
  var lo = f.line && f.line < f.firstLine && f.firstLine - f.line <= 100 ? f.line : f.firstLine;
  for (var n = lo; n < f.firstLine + f.nlines; n++) {
    var l = data[n], tr = el("tr", {"data-line": n});
    var cells = [n, "", "", "", ""];
    if (l) {
      cells[1] = f.sampled && !f.ncalls ? "" : l[1]; /* hits not counted */
      if (f.lineTimes) {
        cells[2] = micro(l[2], 1);
        cells[3] = l[1] ? micro(l[2], l[1]) : "";
        cells[4] = total > 0 ? (100 * l[2] / total).toFixed(1) : "";
      }
      var heat = most ? (f.lineTimes ? l[2] : l[1]) / most : 0;
      tr.style.background = "rgba(255,90,0," + (0.75 * heat).toFixed(3) + ")";
    }
    var m = mem && mem[f.file + ":" + n];
    if (mem)
      cells = cells.concat(m ? [m.allocs, size(m.bytes), size(m.size)] : ["", "", ""]);
    cells.forEach(function (v) { tr.appendChild(el("td", {"class": "num"}, "" + v)); });
    tr.appendChild(el("td", {"class": "code"}, src && src.lines ? src.lines[n - 1] || "" : ""));
    t.appendChild(tr);
  }
  box.appendChild(t);
}

/* --- memory (CPROF_MEMORY=1) --- */

/* tracemalloc's _format_size(), as report_memory.c writes it. */
function size(n) {
  var units = ["B", "KiB", "MiB", "GiB", "TiB"];
  for (var u = 0; ; u++, n /= 1024) {
    if (Math.abs(n) < 100 && u)
      return n.toFixed(1) + " " + units[u];
    if (Math.abs(n) < 10 * 1024 || u === 4)
      return n.toFixed(0) + " " + units[u];
  }
}

/* prstats --memory's rows as objects: [file, line, (name,) size, count,
 * peak, allocs, alloc_bytes]. */
function memRows(rows, named) {
  return rows.map(function (r) {
    var k = named ? 3 : 2;
    return {file: r[0], line: r[1], name: named ? r[2] : null, size: r[k], count: r[k + 1],
            peak: r[k + 2], allocs: r[k + 3], bytes: r[k + 4]};
  });
}

var MEM_SHOWN = 50;

function memTable() {
  var M = D.memory, by = $("memby").value, key = $("memsort").value, body = $("memrows");
  var rows = (by === "function" ? M.funcRows : M.lineRows).slice();
  rows.sort(function (a, b) { return b[key] - a[key]; });
  body.textContent = "";
  rows.slice(0, MEM_SHOWN).forEach(function (r) {
    var tr = el("tr");
    [size(r.size), r.count, size(r.peak), r.allocs, size(r.bytes)].forEach(function (v) {
      tr.appendChild(el("td", {"class": "num"}, "" + v));
    });
    tr.appendChild(el("td", {}, r.file === null ? "<unprofiled>" :
      r.file + ":" + r.line + (r.name ? "(" + r.name + ")" : "")));
    body.appendChild(tr);
  });
}

/* The memory tab: the trace's totals, and tracemalloc's top lines or
 * functions by live bytes, allocations or bytes allocated. */
function memory() {
  var M = D.memory;
  if (!M)
    return;
  M.lineRows = memRows(M.lines, false);
  M.funcRows = memRows(M.funcs, true);
  M.byLine = {};
  M.lineRows.forEach(function (r) { M.byLine[r.file + ":" + r.line] = r; });
  var box = el("section", {id: "memory"});
  box.innerHTML = '<h2>Memory</h2><p id="memsum"></p><div class="controls">Group by ' +
    '<select id="memby"><option value="line">line</option><option value="function">function' +
    '</option></select> Order by <select id="memsort"><option value="size">live bytes</option>' +
    '<option value="allocs">allocations</option><option value="bytes">bytes allocated</option>' +
    '<option value="peak">peak</option></select> (the first ' + MEM_SHOWN + ')</div>' +
    '<table id="memtable"><thead><tr><th>size</th><th>count</th><th>peak</th><th>allocs</th>' +
    '<th>allocated</th><th>where</th></tr></thead><tbody id="memrows"></tbody></table>';
  document.querySelector("main").appendChild(box);
  $("memsum").textContent = "Peak " + size(M.peak) + "; " + size(M.current) + " live " +
    (M.at_exit ? "at exit: leaked" : "when written") +
    (M.dropped ? "; " + M.dropped + " blocks not traced" : "") +
    (M.untracked_frees ? "; " + M.untracked_frees + " frees of blocks from before tracing" : "");
  $("memby").onchange = $("memsort").onchange = memTable;
  memTable();
}

/* --- the diff --- */

/* report_diff's numbers: "+12", "-0.000120" (a change too small to show
 * is +0). */
function delta(b, a, time) {
  var d = a - b;
  if (!time)
    return (d >= 0 ? "+" : "-") + Math.abs(d);
  if (Math.abs(d) < 0.5e-6)
    d = 0;
  return (d >= 0 ? "+" : "-") + Math.abs(d).toFixed(6);
}

function diffDetails(n) {
  return fname(n) + (n.f < 0 ? "" : " at " + F[n.f].file + ":" + F[n.f].line) + ": " +
    short(n.b) + " before, " + short(n.a) + " after (" + delta(n.b, n.a, 1) + " s), " +
    n.bcalls + " calls before, " + n.calls + " after";
}

/* A side of a row in seconds of its profile: [ncalls, pcalls, tottime,
 * cumtime], zeros where the profile lacks the function. */
function side(r, which) {
  var p = D[which], v = r[which];
  return v ? [v[0], v[1], v[2] / p.hz, v[3] / p.hz] : [0, 0, 0, 0];
}

/* report_diff's rows, in its order (the largest change first). */
function diffTable() {
  var re = search(), body = $("rows");
  var rows = F.filter(function (f) { return !HIDDEN[f.i] && (!re || re.test(stdname(f))); });
  fillRows(body, rows, function (f) {
    var b = side(f, "before"), a = side(f, "after");
    return [b[0], a[0], delta(b[0], a[0], 0), b[2].toFixed(6), a[2].toFixed(6),
            delta(b[2], a[2], 1), b[3].toFixed(6), a[3].toFixed(6), delta(b[3], a[3], 1),
            stdname(f)];
  }, function (k) { return k % 3 === 2 ? "num delta" : "num"; });
}

function diffHeader() {
  var b = D.before, a = D.after;
  $("title").textContent = "cprof diff: " + b.title + " \u2192 " + a.title;
  $("summary").textContent = "Total: calls=" + a.total_calls + " (" +
    delta(b.total_calls, a.total_calls, 0) + "), time=" + (a.total / a.hz).toFixed(6) + "s (" +
    delta(b.total / b.hz, a.total / a.hz, 1) + "s); call paths matched by their functions' " +
    "names, files and lines; red grew, blue shrank";
  $("clock").textContent = "Before: " + b.clock + ". After: " + a.clock;
  $("cut").textContent = [["before", b], ["after", a]].map(function (x) {
    return x[1].cut.pruned ? x[0] + ": " + x[1].cut.pruned + " call paths of less than " +
      short(x[1].cut.min / x[1].hz) + " left out" : x[0] + ": every call path included";
  }).join("; ");
}

/* A row of the diff: its numbers both sides. */
function diffSelect(box, f) {
  var b = side(f, "before"), a = side(f, "after");
  box.appendChild(el("p", {}, "calls=" + a[0] + " (" + delta(b[0], a[0], 0) + "), tottime=" +
    a[2].toFixed(6) + "s (" + delta(b[2], a[2], 1) + "s), cumtime=" + a[3].toFixed(6) + "s (" +
    delta(b[3], a[3], 1) + "s)"));
  if (!f.before || !f.after)
    box.appendChild(el("p", {"class": "note"}, "only in the " + (f.before ? "before" : "after") +
      " profile"));
}

/* --- the page --- */

function header() {
  $("title").textContent = "cprof: " + D.title;
  $("summary").textContent = P.total_calls + " function calls (" + P.prim_calls +
    " primitive calls) in " + fixed(P.total) + " seconds; " +
    (D.total_calls ? "exact call tree, " : "call tree of the sampled stacks, ") +
    (P === D ? (D.threads ? D.threads.length + " threads merged" : "threads merged") :
     P.label + " only" + (P.lines_merged ? " (a function's lines are of every thread)" : ""));
  $("clock").textContent = D.clock;
  var c = P.cut;
  $("cut").textContent = c.pruned ? c.pruned + " call paths of less than " + short(c.min) +
    " left out of the page" + (c.nonly ? "; functions only there: " + c.only.join(", ") +
    (c.nonly > c.only.length ? ", ..." : "") : "") : "every call path included";
}

var LAYOUT =
  '<header><h1 id="title"></h1><p id="summary"></p><p id="clock" class="note"></p>' +
  '<p id="cut" class="note"></p><p id="errors"></p></header>' +
  '<section><div class="controls"><select id="chart"><option value="icicle">icicle' +
  '</option><option value="sunburst">sunburst</option></select> THREAD Depth <input id="depth" type="number" min="1" value="40"> ' +
  'Cut-off <input id="cutoff" type="number" min="0" step="0.05" value="0.05">% of the width ' +
  'WIDTH Hide <input id="hide" placeholder="regular expression"> ' +
  '<span id="crumbs"></span></div><p id="folded" class="note"></p><div id="icicle"></div>' +
  '<p id="details" class="note">&nbsp;</p><p id="hidden" class="note"></p></section>' +
  '<div class="split"><section id="tablebox"><div class="controls">SORT' +
  'Search <input id="search" placeholder="regular expression"> <span id="count"></span></div>' +
  '<table id="stats"><thead><tr>HEAD<th data-key="stdname">filename:lineno(function)</th></tr>' +
  '</thead><tbody id="rows"></tbody></table></section><section id="func"><p class="note">' +
  'Click a row or a box to see the function\'s FUNC.</p></section></div>';

function layoutHtml() {
  var cols = D.diff ? ["calls before", "after", "\u0394", "tottime before", "after", "\u0394",
                       "cumtime before", "after", "\u0394"] : null;
  var threads = (D.threads || []).map(function (t, k) {
    return '<option value="' + k + '"></option>';
  }).join("");
  return LAYOUT.replace("THREAD", threads ? '<select id="thread"><option value="">' +
      "all threads</option>" + threads + "</select>" : "")
    .replace("WIDTH", D.diff ? 'Width <select id="width"><option value="both">' +
      'before + after</option><option value="after">after</option><option value="before">' +
      'before</option></select> ' : "")
    .replace("SORT", D.diff ? "Ordered by the largest change (cumtime, tottime, calls) " :
      'Sort by <select id="sort"></select> ')
    .replace("HEAD", cols ? cols.map(function (c) { return "<th>" + c + "</th>"; }).join("") :
      '<th data-key="calls">ncalls</th><th data-key="time">tottime</th><th>percall</th>' +
      '<th data-key="cumulative">cumtime</th><th>percall</th>')
    .replace("FUNC", D.diff ? "numbers before and after" : "callers, callees and lines");
}

/* page.html#f=NAME selects the function NAME, as a click on its row;
 * #chart=sunburst picks the chart, #hide=REGEX hides functions, #thread=K
 * shows thread K of D.threads only (several joined by &).  The page keeps
 * the hash up to date. */
function fromHash() {
  var want = null;
  window.location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var k = kv.split("=")[0], v = decodeURIComponent(kv.substring(k.length + 1));
    if (k === "chart" && (v === "icicle" || v === "sunburst"))
      $("chart").value = v;
    else if (k === "hide")
      $("hide").value = v;
    else if (k === "thread" && $("thread") && D.threads[+v])
      $("thread").value = v;
    else if (k === "f")
      want = v;
  });
  if ($("thread") && $("thread").value !== "")
    pickThread();
  else
    rebuild();
  for (var i = 0; want !== null && i < F.length; i++)
    if (F[i].name === want && ran(F[i]) && !HIDDEN[i])
      return select(i, true);
}

var hashReady = false; /* not before fromHash has read it */

function setHash() {
  if (!hashReady)
    return;
  var kv = [];
  if ($("chart").value !== "icicle")
    kv.push("chart=" + $("chart").value);
  if ($("hide").value)
    kv.push("hide=" + encodeURIComponent($("hide").value));
  if ($("thread") && $("thread").value !== "")
    kv.push("thread=" + $("thread").value);
  if (selected >= 0)
    kv.push("f=" + encodeURIComponent(F[selected].name));
  history.replaceState(null, "", "#" + kv.join("&"));
}

window.onerror = function (msg, where, line) {
  var e = $("errors");
  if (e)
    e.textContent += "error: " + msg + " (" + where + ":" + line + ")\n";
};

document.addEventListener("DOMContentLoaded", function () {
  var main = el("main");
  load();
  main.innerHTML = layoutHtml();
  document.body.appendChild(main);
  (D.threads || []).forEach(function (t, k) {
    $("thread").options[k + 1].textContent = t.label; /* text, not markup */
  });
  if ($("thread"))
    $("thread").onchange = function () { pickThread(); setHash(); };
  (D.diff ? diffHeader : header)();
  memory();
  chartEvents();
  tableEvents();
  fromHash();
  hashReady = true;
  setHash();
  /* Milliseconds from the navigation's start: the page's load time. */
  document.body.setAttribute("data-ms", Math.round(performance.now()));
  document.body.setAttribute("data-ready", "1");
});
