/*
 * flame.js - the interactions of prstats --format svg (export_svg.c),
 * after flamegraph.pl's: hover shows a frame's details, click zooms to
 * it (its ancestors span the width, dimmed), "Reset Zoom" or Escape
 * undoes it, "Search" or Ctrl-F highlights the frames whose function
 * matches a regular expression and says how much of the time they cover.
 * export_svg.c defines FLAME = {icicle, width, pad, font} before it.
 */
"use strict";
var frames = [], details, unzoomButton, matchedText, searchButton;

function frameName(g) {
  var t = g.querySelector("title").textContent;
  return t.substring(0, t.lastIndexOf(" ("));
}

function init() {
  var all = document.querySelectorAll("g.f");
  for (var i = 0; i < all.length; i++) {
    var g = all[i], r = g.querySelector("rect");
    g.x0 = +r.getAttribute("x");
    g.w0 = +r.getAttribute("width");
    g.y0 = +r.getAttribute("y");
    g.fill0 = r.getAttribute("fill");
    g.name = frameName(g);
    g.addEventListener("mouseover", function () {
      details.textContent = this.querySelector("title").textContent;
    });
    g.addEventListener("mouseout", function () { details.textContent = " "; });
    g.addEventListener("click", function () { zoom(this); });
    frames.push(g);
  }
  details = document.getElementById("details");
  unzoomButton = document.getElementById("unzoom");
  matchedText = document.getElementById("matched");
  searchButton = document.getElementById("search");
  unzoomButton.addEventListener("click", unzoom);
  searchButton.addEventListener("click", searchPrompt);
  window.addEventListener("keydown", function (e) {
    if (e.keyCode === 114 || ((e.ctrlKey || e.metaKey) && e.keyCode === 70)) {
      e.preventDefault();
      searchPrompt();
    } else if (e.keyCode === 27) {
      unzoom();
      search(null);
    }
  });
}

/* The frame's text: its name, cut with ".." to what its width holds. */
function fitText(g, x, w) {
  var t = g.querySelector("text"), fit = Math.floor((w - 6) / (FLAME.font * 0.59));
  t.setAttribute("x", (x + 3).toFixed(2));
  if (fit < 3)
    t.textContent = "";
  else if (g.name.length > fit)
    t.textContent = g.name.substring(0, fit - 2) + "..";
  else
    t.textContent = g.name;
}

function place(g, x, w, shown, dim) {
  var r = g.querySelector("rect");
  g.style.display = shown ? "" : "none";
  g.style.opacity = dim ? "0.5" : "";
  r.setAttribute("x", x.toFixed(2));
  r.setAttribute("width", w.toFixed(2));
  fitText(g, x, w);
}

/* Above z: nearer the root, which is at the bottom of a flame graph. */
function above(g, z) {
  return FLAME.icicle ? g.y0 < z.y0 : g.y0 > z.y0;
}

function zoom(z) {
  var eps = 1e-6, full = FLAME.width - 2 * FLAME.pad, scale = full / z.w0;
  for (var i = 0; i < frames.length; i++) {
    var g = frames[i];
    var inside = g.x0 >= z.x0 - eps && g.x0 + g.w0 <= z.x0 + z.w0 + eps;
    var covers = g.x0 <= z.x0 + eps && g.x0 + g.w0 >= z.x0 + z.w0 - eps;
    if (covers && above(g, z))
      place(g, FLAME.pad, full, true, true);
    else if (inside && !above(g, z))
      place(g, FLAME.pad + (g.x0 - z.x0) * scale, g.w0 * scale, true, false);
    else
      place(g, g.x0, g.w0, false, false);
  }
  unzoomButton.style.opacity = "1";
}

function unzoom() {
  for (var i = 0; i < frames.length; i++)
    place(frames[i], frames[i].x0, frames[i].w0, true, false);
  unzoomButton.style.opacity = "0";
}

function searchPrompt() {
  var term = window.prompt("Search for (regular expression):", "");
  if (term !== null)
    search(term === "" ? null : term);
}

/* Highlights the matching frames; the share of the width they cover
 * counts a frame inside another matching one once. */
function search(term) {
  var re = null, spans = [], covered = 0, end = -1;
  try {
    re = term === null ? null : new RegExp(term);
  } catch (e) {
    window.alert("Not a regular expression: " + term);
    return;
  }
  for (var i = 0; i < frames.length; i++) {
    var g = frames[i], hit = re !== null && re.test(g.name);
    g.querySelector("rect").setAttribute("fill", hit ? "rgb(230,0,230)" : g.fill0);
    if (hit)
      spans.push([g.x0, g.x0 + g.w0]);
  }
  spans.sort(function (a, b) { return a[0] - b[0]; });
  for (var k = 0; k < spans.length; k++) {
    if (spans[k][0] >= end)
      covered += spans[k][1] - spans[k][0];
    else if (spans[k][1] > end)
      covered += spans[k][1] - end;
    end = Math.max(end, spans[k][1]);
  }
  matchedText.textContent = re === null ? " " : "Matched: " +
      (100 * covered / (FLAME.width - 2 * FLAME.pad)).toFixed(1) + "%";
  searchButton.textContent = re === null ? "Search" : "Search: " + term;
}
