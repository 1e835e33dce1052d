/*
 * export_svg.c - a flame graph of the exact call tree, as one SVG file.
 *
 * Each frame is one call path of the merged calling-context tree (every
 * thread and file merged by path, calltree.h), as wide as its inclusive
 * time, on top of its caller (--icicle: below it), children in name
 * order the way flamegraph.pl places them; the "all" frame at the root
 * is the profile's total.  Its <title> gives the function, the calls on
 * that path ("sampled" for a sampled row's, which are not counted) and
 * its inclusive and self time.  Paths narrower than a
 * tenth of a pixel are not drawn, and a line under the title says how
 * many there were and which functions appear only there.  The script
 * (view/flame.js, embedded) adds flamegraph.pl's zoom and search.
 */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <string.h>

#include "cprof-read/calltree.h"
#include "cprof-read/markup.h"

#define WIDTH 1200 /* pixels, flamegraph.pl's default */
#define PAD 10     /* left and right margins */
#define FRAME 16   /* a frame's height */
#define FONT 12
#define TOP 60    /* title, buttons and the cut-off line */
#define BOTTOM 30 /* the details line */

/* A time with a unit that keeps it short: "12.35 ms". */
static void put_time(FILE *out, double seconds) {
  static const char *const unit[] = {"s", "ms", "us", "ns"};
  int u = 0;

  while (u < 3 && seconds != 0 && seconds < 1) {
    seconds *= 1000;
    u++;
  }
  fprintf(out, "%.4g %s", seconds, unit[u]);
}

/* flamegraph.pl's "hot" palette, chosen by the name so it stays put. */
static void put_colour(FILE *out, const char *name) {
  uint32_t h = 2166136261u; /* FNV-1a */

  for (const unsigned char *p = (const unsigned char *)name; *p; p++)
    h = (h ^ *p) * 16777619u;
  fprintf(out, "rgb(%u,%u,%u)", 205 + (h & 0xff) * 50 / 255,
          (h >> 8 & 0xff) * 230 / 255, (h >> 16 & 0xff) * 55 / 255);
}

/* The name as much as w pixels hold, as flame.js's fitText cuts it. */
static void put_label(FILE *out, const char *name, double w) {
  int fit = (int)((w - 6) / (FONT * 0.59));
  size_t len = strlen(name);
  char cut[256];

  if (fit < 3)
    return;
  if (len <= (size_t)fit) {
    markup_put(out, name);
    return;
  }
  if (fit > (int)sizeof cut - 1)
    fit = (int)sizeof cut - 1;
  memcpy(cut, name, (size_t)fit - 2);
  strcpy(cut + fit - 2, "..");
  markup_put(out, cut);
}

struct layout {
  const struct stats *s;
  const struct calltree *t;
  double scale;   /* pixels per tick */
  uint32_t depth; /* the deepest frame drawn */
  int icicle;
};

static void put_frame(FILE *out, const struct layout *l, size_t p) {
  const struct calltree *t = l->t;
  const char *name = p == t->n ? "all" : l->s->funcs[l->s->paths[p].func].name;
  uint64_t calls = p == t->n ? l->s->total_calls : l->s->paths[p].calls;
  double x = PAD + (double)t->start[p] * l->scale;
  double w = (double)t->incl[p] * l->scale;
  uint32_t row = l->icicle ? t->depth[p] : l->depth - t->depth[p];

  int sampled = p != t->n && l->s->funcs[l->s->paths[p].func].sampled;

  fputs("<g class=\"f\"><title>", out);
  markup_put(out, name);
  if (sampled && !calls) /* no calls were counted */
    fputs(" (sampled, ", out);
  else
    fprintf(out, " (%" PRIu64 " calls, ", calls);
  put_time(out, stats_seconds(l->s, t->incl[p]));
  if (p != t->n) {
    fputs(" inclusive, ", out);
    put_time(out, stats_seconds(l->s, l->s->paths[p].self));
    fputs(" self", out);
  }
  fprintf(out,
          ", %.2f%%)</title><rect x=\"%.2f\" y=\"%u\" width=\"%.2f\" "
          "height=\"%d\" rx=\"2\" fill=\"",
          t->total ? 100.0 * (double)t->incl[p] / (double)t->total : 100.0, x,
          TOP + row * FRAME, w, FRAME - 1);
  put_colour(out, name);
  fprintf(out, "\"/><text x=\"%.2f\" y=\"%.1f\">", x + 3,
          TOP + row * FRAME + FRAME - 4.5);
  put_label(out, name, w);
  fputs("</text></g>\n", out);
}

/* The line under the title: what the cut-off left out. */
static void put_cut(FILE *out, const struct stats *s,
                    const struct calltree_cut *c) {
  if (!c->pruned) {
    fputs("every call path drawn", out);
    return;
  }
  fprintf(out, "%zu call paths of less than ", c->pruned);
  put_time(out, stats_seconds(s, c->min));
  fputs(" (0.1 pixel) not drawn", out);
  if (!c->nonly)
    return;
  fprintf(out, "; %zu functions only there: ", c->nonly);
  for (size_t k = 0; k < c->nonly && k < CALLTREE_NAMES; k++) {
    fputs(k ? ", " : "", out);
    markup_put(out, s->funcs[c->only[k]].name);
  }
  if (c->nonly > CALLTREE_NAMES)
    fputs(", ...", out);
}

static void put_head(FILE *out, const struct layout *l,
                     const struct calltree_cut *c, unsigned height,
                     const struct report_opts *o) {
  fprintf(out,
          "<?xml version=\"1.0\" standalone=\"no\"?>\n"
          "<svg version=\"1.1\" width=\"%d\" height=\"%u\" "
          "viewBox=\"0 0 %d %u\" xmlns=\"http://www.w3.org/2000/svg\" "
          "onload=\"init()\">\n"
          "<style>text{font-family:Verdana,sans-serif;font-size:%dpx;"
          "fill:#000}g.f:hover rect{stroke:#000;stroke-width:0.5}"
          "g.f{cursor:pointer}#title{font-size:17px}"
          "#unzoom,#search{cursor:pointer}#unzoom{opacity:0}</style>\n"
          "<script type=\"text/ecmascript\"><![CDATA[\n"
          "var FLAME = {icicle: %d, width: %d, pad: %d, font: %d};\n%s"
          "]]></script>\n"
          "<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f0\"/>\n"
          "<text id=\"title\" x=\"%d\" y=\"24\" text-anchor=\"middle\">",
          WIDTH, height, WIDTH, height, FONT, l->icicle, WIDTH, PAD, FONT,
          view_flame_js, WIDTH / 2);
  fputs(l->icicle ? "Icicle graph: " : "Flame graph: ", out);
  for (int i = 0; i < o->nfiles; i++) {
    fputs(i ? ", " : "", out);
    markup_put(out, o->files[i]);
  }
  fprintf(out,
          "</text>\n<text x=\"%d\" y=\"42\" text-anchor=\"middle\">"
          "exact call tree, threads merged; width: inclusive time (",
          WIDTH / 2);
  put_time(out, stats_seconds(l->s, l->t->total));
  fprintf(out,
          " in all)</text>\n<text id=\"cut\" x=\"%d\" y=\"56\" "
          "text-anchor=\"middle\">",
          WIDTH / 2);
  put_cut(out, l->s, c);
  fprintf(out,
          "</text>\n<text id=\"unzoom\" x=\"%d\" y=\"24\">Reset Zoom</text>\n"
          "<text id=\"search\" x=\"%d\" y=\"24\" text-anchor=\"end\">"
          "Search</text>\n<text id=\"matched\" x=\"%d\" y=\"%u\" "
          "text-anchor=\"end\"> </text>\n<text id=\"details\" x=\"%d\" "
          "y=\"%u\"> </text>\n",
          PAD, WIDTH - PAD, WIDTH - PAD, height - 10, PAD, height - 10);
}

int export_svg(FILE *out, const struct stats *s, const struct report_opts *o) {
  struct calltree t;
  struct calltree_cut c;
  struct layout l = {s, &t, 0, 0, o->icicle};
  double min;

  calltree_build(&t, s);
  /* A tenth of a pixel, and never nothing: a path without time has no
   * width to draw. */
  min = (double)t.total * 0.1 / (WIDTH - 2 * PAD);
  calltree_cut(&t, s, min < 1 ? 1 : (int64_t)min + 1, &c);
  if (t.total)
    l.scale = (WIDTH - 2 * PAD) / (double)t.total;
  for (size_t p = 0; p < t.n; p++)
    if (c.keep[p] && t.depth[p] > l.depth)
      l.depth = t.depth[p];
  put_head(out, &l, &c, TOP + (l.depth + 1) * FRAME + BOTTOM, o);
  fputs("<g id=\"frames\">\n", out);
  put_frame(out, &l, t.n);
  for (size_t p = 0; p < t.n; p++)
    if (c.keep[p])
      put_frame(out, &l, p);
  fputs("</g>\n</svg>\n", out);
  calltree_cut_free(&c);
  calltree_free(&t);
  return 0;
}
