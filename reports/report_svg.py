"""Inline SVG pictures: code maps (one cell per code) and the dot-product error scatter."""
from __future__ import annotations

import math
from html import escape

from report_model import OUTCOMES, text

# Colour-blind-safe (Okabe-Ito based) outcome colours; the outcome is also carried by a
# pattern (divergence: diagonal stripes, nonconformance: cross-hatch) and by text.
OUTCOME_FILL = {
    "ok": "#8fcdb0",
    "divergence": "#e69f00",
    "nonconformance": "#d55e00",
    "untested": "#ebebe7",
}
OUTCOME_INK = {"ok": "#1d4736", "divergence": "#3d2a00", "nonconformance": "#ffffff", "untested": "#9a9a94"}
OUTCOME_LABEL = {
    "ok": "ok",
    "divergence": "divergence (implementation-defined)",
    "nonconformance": "nonconformance",
    "untested": "untested",
}
OUTCOME_MEANING = {
    "ok": "every case expecting this code passed",
    "divergence": "failed, but explained by another legitimate knob value",
    "nonconformance": "failed and not explained by any knob value",
    "untested": "no case expected this code",
}


def e(x) -> str:
    return escape(text(x) if not isinstance(x, str) else x, quote=True)


def _patterns(uid: str) -> str:
    return (
        '<defs>'
        '<pattern id="%s-div" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="2" height="6" fill="#ffffff" fill-opacity="0.35"/></pattern>'
        '<pattern id="%s-non" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="1.6" height="6" fill="#000000" fill-opacity="0.22"/>'
        '<rect width="6" height="1.6" fill="#000000" fill-opacity="0.22"/></pattern>'
        '</defs>' % (uid, uid)
    )


def _pattern_overlay(uid: str, outcome: str, x, y, w, h) -> str:
    if outcome == "divergence":
        return '<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="url(#%s-div)"/>' % (x, y, w, h, uid)
    if outcome == "nonconformance":
        return '<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="url(#%s-non)"/>' % (x, y, w, h, uid)
    return ""


def swatch(outcome: str, uid: str, size: int = 16) -> str:
    """A small legend swatch with the same colour and pattern as the map cells."""
    return ('<svg class="swatch" width="%d" height="%d" viewBox="0 0 %d %d" aria-hidden="true">%s'
            '<rect x="0.5" y="0.5" width="%d" height="%d" rx="3" fill="%s" stroke="#00000022"/>%s</svg>'
            % (size, size, size, size, _patterns(uid), size - 1, size - 1, OUTCOME_FILL[outcome],
               _pattern_overlay(uid, outcome, 0.5, 0.5, size - 1, size - 1)))


def cell_hover(cm, cell, run) -> str:
    """The hover text of one cell: code, exact value, outcome, first failure."""
    width = max(1, (cm.bits + 3) // 4)
    lines = ["%s 0x%0*x = %s" % (cm.format, width, cell.code, cell.value or "?")]
    oc = cell.raw_outcome if cell.raw_outcome != cell.outcome else OUTCOME_LABEL[cell.outcome]
    lines.append("outcome: %s%s" % (oc, " (%d cases)" % cell.cases if cell.cases else ""))
    ff = cell.first_failure
    if ff:
        lines.append("first failure: %s" % text(ff.get("suite"), "?"))
        lines.append("  input %s \u2192 expected %s, actual %s"
                     % (text(ff.get("input"), "?"), text(ff.get("expected"), "?"), text(ff.get("actual"), "?")))
        f = run.find_failure(text(ff.get("suite")), text(ff.get("input"))) if run else None
        if f and f.explained_by:
            lines.append("  explained by %s" % f.explained_by)
    return "\n".join(lines)


def grid_shape(bits: int):
    cols = 1 << ((bits + 1) // 2)
    rows = 1 << (bits // 2)
    return rows, cols


def code_map_svg(cm, run, uid: str) -> str:
    """The grid of all codes of one format: row = high bits, column = low bits."""
    rows, cols = grid_shape(cm.bits)
    cell = {8: 30, 6: 50, 4: 68}.get(cm.bits, max(14, 480 // cols))
    gap = 2
    left, top = 38, 20
    show_values = cell >= 46
    width = left + cols * cell + 2
    height = top + rows * cell + 2
    hexw = max(1, (cm.bits + 3) // 4)
    low_bits = (cm.bits + 1) // 2
    out = ['<svg class="codemap" data-format="%s" data-cells="%d" viewBox="0 0 %d %d" width="%d" height="%d" '
           'role="img" aria-label="%s code map: %d ok, %d divergence, %d nonconformance, %d untested" '
           'xmlns="http://www.w3.org/2000/svg">'
           % (e(cm.format), len(cm.cells), width, height, width, height, e(cm.format), cm.counts["ok"],
              cm.counts["divergence"], cm.counts["nonconformance"], cm.counts["untested"])]
    out.append(_patterns(uid))
    # column headers: the low bits; row headers: the code of the row's first cell
    for c in range(cols):
        out.append('<text class="axis" x="%.1f" y="%d" text-anchor="middle">%X</text>'
                   % (left + c * cell + cell / 2, top - 7, c) if cols <= 16 else "")
    for r in range(rows):
        out.append('<text class="axis" x="%d" y="%.1f" text-anchor="end" dominant-baseline="central">%0*X</text>'
                   % (left - 6, top + r * cell + cell / 2, hexw, r << low_bits))
    for cl in cm.cells:
        r, c = cl.code >> low_bits, cl.code & (cols - 1)
        x, y = left + c * cell + gap / 2, top + r * cell + gap / 2
        w = h = cell - gap
        hover = cell_hover(cm, cl, run)
        label = "%0*x" % (hexw, cl.code)
        # only failing cells are keyboard stops: tabbing walks the interesting codes
        tab = ' tabindex="0"' if cl.outcome in ("divergence", "nonconformance") else ""
        out.append('<g class="cell %s" data-code="0x%s"%s><title>%s</title>'
                   '<rect x="%.1f" y="%.1f" width="%d" height="%d" rx="3" fill="%s"/>%s'
                   % (cl.outcome, label, tab, e(hover), x, y, w, h, OUTCOME_FILL[cl.outcome],
                      _pattern_overlay(uid, cl.outcome, "%.1f" % x, "%.1f" % y, w, h)))
        ink = OUTCOME_INK[cl.outcome]
        cx = x + w / 2
        if show_values:
            out.append('<text x="%.1f" y="%.1f" text-anchor="middle" class="code" fill="%s">%s</text>'
                       % (cx, y + h * 0.42, ink, label))
            v = cl.short if len(cl.short) <= 7 else cl.short[:6] + "\u2026"
            out.append('<text x="%.1f" y="%.1f" text-anchor="middle" class="val" fill="%s">%s</text>'
                       % (cx, y + h * 0.75, ink, e(v)))
        else:
            out.append('<text x="%.1f" y="%.1f" text-anchor="middle" dominant-baseline="central" class="code" '
                       'fill="%s">%s</text>' % (cx, y + h / 2 + 0.5, ink, label))
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


# ----------------------------------------------------------------------------------------
# scatter plot of dot-product errors


def _nice_ticks(lo: float, hi: float, n: int = 5):
    if hi <= lo:
        hi = lo + 1.0
    span = hi - lo
    step = 10 ** math.floor(math.log10(span / n))
    for m in (1, 2, 2.5, 5, 10):
        if span / (step * m) <= n:
            step *= m
            break
    start = math.ceil(lo / step) * step
    ticks = []
    t = start
    while t <= hi + step * 1e-9:
        ticks.append(0.0 if abs(t) < step * 1e-9 else t)
        t += step
    return ticks


def _fmt_tick(v: float) -> str:
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1e5 or a < 1e-3:
        return "%.0e" % v
    return ("%.4f" % v).rstrip("0").rstrip(".")


def scatter_svg(points, max_points: int = 1500) -> str:
    """Target error (ulps) against the exact result; symmetric-log x axis when the exact
    results span many orders of magnitude."""
    pts = points
    if len(pts) > max_points:  # even thinning keeps the shape and the file small
        step = len(pts) / max_points
        pts = [pts[int(i * step)] for i in range(max_points)]
    W, H = 640, 280
    L, R, T, B = 58, 14, 12, 40
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    nz = sorted(abs(x) for x in xs if x != 0)
    symlog = False
    c = 1.0
    if nz and nz[-1] / max(nz[len(nz) // 10], 1e-300) > 1e3:
        symlog = True
        c = nz[len(nz) // 10]

    def fx(x):
        return math.copysign(math.log10(1 + abs(x) / c), x) if symlog else x

    txs = [fx(x) for x in xs]
    x0, x1 = (min(txs), max(txs)) if txs else (0.0, 1.0)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    pad = (x1 - x0) * 0.03
    x0, x1 = x0 - pad, x1 + pad
    ymax = max([abs(y) for y in ys] + [0.5])
    y0, y1 = -ymax * 1.1, ymax * 1.1

    def sx(t):
        return L + (t - x0) / (x1 - x0) * (W - L - R)

    def sy(y):
        return T + (y1 - y) / (y1 - y0) * (H - T - B)

    out = ['<svg class="scatter" viewBox="0 0 %d %d" width="%d" height="%d" role="img" '
           'aria-label="dot-product error against exact result, %d points" xmlns="http://www.w3.org/2000/svg">'
           % (W, H, W, H, len(pts))]
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="#fbfbf9" stroke="#d9d9d4"/>'
               % (L, T, W - L - R, H - T - B))
    for t in _nice_ticks(y0, y1, 6):
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s"/>'
                   % (L, W - R, sy(t), sy(t), "#9a9a94" if t == 0 else "#ececE8"))
        out.append('<text class="axis" x="%d" y="%.1f" text-anchor="end" dominant-baseline="central">%s</text>'
                   % (L - 6, sy(t), _fmt_tick(t)))
    if symlog:
        # powers of ten, biggest first, kept only where they do not crowd a kept one
        lo_e, hi_e = math.floor(math.log10(c)), math.ceil(math.log10(max(nz[-1], c)))
        cand = [0.0] + [s * 10.0 ** k for k in range(hi_e, lo_e - 1, -1) for s in (1, -1)]
        xt = []
        for v in cand:
            if x0 <= fx(v) <= x1 and all(abs(sx(fx(v)) - sx(fx(w))) >= 44 for w in xt):
                xt.append(v)
        xt.sort()
    else:
        xt = _nice_ticks(x0, x1, 6)
    for v in xt:
        X = sx(fx(v))
        out.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#ececE8"/>' % (X, X, T, H - B))
        out.append('<text class="axis" x="%.1f" y="%d" text-anchor="middle">%s</text>' % (X, H - B + 15, _fmt_tick(v)))
    out.append('<text class="axis-title" x="%.1f" y="%d" text-anchor="middle">exact result%s</text>'
               % (L + (W - L - R) / 2, H - 6, " (symmetric log scale)" if symlog else ""))
    out.append('<text class="axis-title" transform="translate(13,%.1f) rotate(-90)" text-anchor="middle">'
               'error (ulps)</text>' % (T + (H - T - B) / 2))
    titled = len(pts) <= 400
    for x, y in pts:
        col = "#0072b2" if abs(y) <= 0.5 else "#d55e00"
        circ = '<circle cx="%.1f" cy="%.1f" r="2.6" fill="%s" fill-opacity="0.7"' % (sx(fx(x)), sy(y), col)
        if titled:
            out.append(circ + '><title>exact %s, error %s ulps</title></circle>' % (e(repr(x)), e(repr(y))))
        else:
            out.append(circ + "/>")
    out.append("</svg>")
    return "".join(out)
