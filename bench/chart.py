"""chart.py - docs/bench.svg: per-call overhead as horizontal bars.

One panel per workload (fib, leaf), one bar per variant, each panel on
its own linear scale with the value written beside the bar.  Plain SVG
written by hand: no plotting library needed.
"""
from xml.sax.saxutils import escape

LABEL_W, PANEL_W, GAP, ROW_H, TOP = 330, 330, 90, 24, 78
CHAR_W = 7.6  # about the width of a bold 12 px DejaVu Sans character
COLOURS = {"cprof": "#2b6cb0", "peer": "#a0aec0"}


def text(x, y, s, anchor="start", size=12, weight="normal", fill="#1a202c"):
    return ('<text x="%.1f" y="%.1f" font-size="%d" font-weight="%s" fill="%s" '
            'text-anchor="%s">%s</text>' % (x, y, size, weight, fill, anchor,
                                            escape(s)))


def nice_max(v):
    """A round axis end at or above v, whose quarters are round too."""
    step = 1
    while step * 10 < v:
        step *= 10
    for m in (1, 2, 4, 8, 10):
        if step * m >= v:
            return step * m
    return step * 10


def panel(x0, title, values, rows):
    """Bars for one workload; `values` is a list aligned with `rows`."""
    top = max([v for v in values if v is not None] + [1])
    end = nice_max(top * 1.15)
    out = [text(x0, TOP - 30, title, weight="bold", size=13)]
    for i in range(5):  # grid and axis labels
        x = x0 + PANEL_W * i / 4
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e2e8f0"/>'
                   % (x, TOP - 12, x, TOP + ROW_H * len(rows)))
        out.append(text(x, TOP - 14, "%g" % (end * i / 4), "middle", 10, fill="#4a5568"))
    for i, ((label, kind), v) in enumerate(zip(rows, values)):
        y = TOP + i * ROW_H
        if v is None:
            out.append(text(x0 + 4, y + 16, "not run", size=11, fill="#718096"))
            continue
        w = max(0.0, v) / end * PANEL_W
        out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>'
                   % (x0, y + 4, w, ROW_H - 8, COLOURS[kind]))
        out.append(text(x0 + w + 4, y + 16, "%.1f" % (v if round(v, 1) else 0.0),
                        size=11))
    return out


def svg(rows, series, title, note):
    """rows: [(label, kind)]; series: [(panel title, [ns or None per row])]."""
    label_w = max([LABEL_W] + [24 + CHAR_W * len(label) for label, _ in rows])
    width = label_w + len(series) * (PANEL_W + GAP)
    height = TOP + ROW_H * len(rows) + 44
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="DejaVu Sans, Arial, sans-serif">' % (width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           text(12, 22, title, weight="bold", size=15)]
    for i, (label, kind) in enumerate(rows):
        out.append(text(label_w - 10, TOP + i * ROW_H + 16, label, "end",
                        weight="bold" if kind == "cprof" else "normal"))
    for n, (ptitle, values) in enumerate(series):
        out += panel(label_w + n * (PANEL_W + GAP), ptitle, values, rows)
    out.append(text(12, height - 14, note, size=11, fill="#4a5568"))
    out.append("</svg>")
    return "\n".join(out) + "\n"
