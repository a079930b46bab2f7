"""Small, dependency-free SVG charts for the report and the dashboard.

Each function returns one self-contained ``<svg>`` string (escaped text, no script), sized
by its ``width``, readable in print and on screen: horizontal bars, columns, lines, a heat
map and stacked bars.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape

PALETTE = ("#2f6f8f", "#e07a3f", "#4d9a6a", "#c44e52", "#8172b3", "#b8a03a", "#6c8ead",
           "#937860", "#da8bc3", "#8c8c8c")
INK = "#1f2a33"
MUTED = "#6b7785"
GRID = "#e3e8ee"
OTHER_COLOR = "#c5ccd3"  # the "other" series, behind the named ones
FONT = "font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif"


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def _svg(width: int, height: int, body: str, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" style="max-width:{width}px;{FONT}" role="img" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>{body}</svg>')


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _empty(width: int, title: str) -> str:
    return _svg(width, 60, f'<text x="{width / 2}" y="34" text-anchor="middle" '
                f'fill="{MUTED}" font-size="13">nothing to show yet</text>', title)


def hbar(items: Sequence[tuple[str, float]], *, title: str, width: int = 560,
         color: str = PALETTE[0], fmt: Callable[[float], str] = _fmt,
         label_width: int = 170, max_items: int = 15) -> str:
    """Horizontal bars, one per item, value written at the end of each bar."""
    items = list(items)[:max_items]
    if not items or max(v for _, v in items) <= 0:
        return _empty(width, title)
    row, top = 26, 8
    height = top + row * len(items) + 6
    span = width - label_width - 70
    most = max(v for _, v in items)
    parts = []
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = max(1.5, span * value / most) if value > 0 else 0
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="12.5" '
            f'fill="{INK}">{escape(_clip(str(label).replace("_", " "), 26))}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row - 9}" rx="3" '
            f'fill="{color}"/>'
            f'<text x="{label_width + w + 6:.1f}" y="{y + 16}" font-size="12" '
            f'fill="{MUTED}">{escape(fmt(value))}</text>')
    return _svg(width, height, "".join(parts), title)


def columns(items: Sequence[tuple[str, float]], *, title: str, width: int = 560,
            height: int = 220, color: str = PALETTE[0], x_title: str = "",
            highlight: Callable[[str], bool] | None = None) -> str:
    """Vertical columns (a histogram), labels under each column."""
    items = list(items)
    if not items or max(v for _, v in items) <= 0:
        return _empty(width, title)
    left, bottom, top = 40, 42 if x_title else 26, 14
    plot_h = height - top - bottom
    step = (width - left - 10) / len(items)
    grid, most = _y_axis(left, top, plot_h, width - 8, max(v for _, v in items))
    parts = [grid]
    for i, (label, value) in enumerate(items):
        h = plot_h * value / most
        x = left + i * step + step * 0.15
        fill = PALETTE[1] if highlight and highlight(label) else color
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" rx="2" fill="{fill}"><title>{escape(label)}: '
            f'{escape(_fmt(value))}</title></rect>'
            f'<text x="{x + step * 0.35:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'font-size="11.5" fill="{INK}">{escape(label)}</text>')
    if x_title:
        parts.append(f'<text x="{left + (width - left) / 2}" y="{height - 6}" '
                     f'text-anchor="middle" font-size="11.5" fill="{MUTED}">'
                     f'{escape(x_title)}</text>')
    return _svg(width, height, "".join(parts), title)


def ticks(most: float) -> tuple[float, int]:
    """A round step (1, 2 or 5 times a power of ten) and how many steps reach ``most``."""
    import math

    if most <= 0:
        return 1.0, 1
    power = 10 ** math.floor(math.log10(most / 5)) if most >= 5 else 1
    for step in (1, 2, 5, 10, 20, 50):
        if most / (step * power) <= 5:
            return float(step * power), max(1, math.ceil(most / (step * power)))
    return float(100 * power), math.ceil(most / (100 * power))


def _y_axis(left: int, top: int, plot_h: float, right: float, most: float) -> tuple[str, float]:
    """Grid lines and labels; returns them and the axis top (a round number)."""
    step, n = ticks(most)
    axis_top = step * n
    out = []
    for k in range(n + 1):
        v = step * k
        y = top + plot_h - plot_h * v / axis_top
        out.append(f'<line x1="{left}" x2="{right:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{GRID}"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                   f'font-size="10.5" fill="{MUTED}">{escape(_fmt(v))}</text>')
    return "".join(out), axis_top


def lines(x_labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str,
          width: int = 760, height: int = 260) -> str:
    """One line per series over the x labels (months), with a legend on the right."""
    if not x_labels or not series or max((max(v) for v in series.values() if v),
                                         default=0) <= 0:
        return _empty(width, title)
    left, top, bottom, legend = 40, 14, 30, 150
    plot_w, plot_h = width - left - legend - 10, height - top - bottom
    grid, most = _y_axis(left, top, plot_h, left + plot_w + 8,
                         max(max(v) for v in series.values()))
    n = len(x_labels)
    dx = plot_w / max(1, n - 1)
    parts = [grid]
    every = max(1, n // 8)
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == n - 1:
            parts.append(f'<text x="{left + i * dx:.1f}" y="{top + plot_h + 18}" '
                         f'text-anchor="middle" font-size="10.5" fill="{MUTED}">'
                         f'{escape(label)}</text>')
    for k, (name, values) in enumerate(series.items()):
        color = PALETTE[k % len(PALETTE)]
        pts = " ".join(f"{left + i * dx:.1f},{top + plot_h - plot_h * v / most:.1f}"
                       for i, v in enumerate(values))
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" '
                     f'stroke-width="2.2" stroke-linejoin="round"/>')
        if n == 1:
            parts.append(f'<circle cx="{left}" cy="{top + plot_h - plot_h * values[0] / most}" '
                         f'r="3.5" fill="{color}"/>')
        ly = top + 6 + k * 20
        lx = left + plot_w + 24
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" rx="2" fill="{color}"/>'
                     f'<text x="{lx + 18}" y="{ly + 10}" font-size="12" fill="{INK}">'
                     f'{escape(_clip(name.replace("_", " "), 18))}</text>')
    return _svg(width, height, "".join(parts), title)


def heatmap(rows: Sequence[str], cols: Sequence[str], values: Sequence[Sequence[float]], *,
            title: str, width: int = 760) -> str:
    """A grid of counts; darker is more. Empty cells stay white."""
    if not rows or not cols:
        return _empty(width, title)
    left, top, cell_h = 170, 44, 26
    cell_w = (width - left - 10) / len(cols)
    height = top + cell_h * len(rows) + 8
    most = max((v for r in values for v in r), default=0) or 1
    parts = []
    for j, c in enumerate(cols):
        parts.append(f'<text x="{left + j * cell_w + cell_w / 2:.1f}" y="{top - 10}" '
                     f'text-anchor="middle" font-size="11.5" fill="{INK}">'
                     f'{escape(_clip(c.replace("_", " "), 22))}</text>')
    for i, r in enumerate(rows):
        y = top + i * cell_h
        parts.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="12.5" '
                     f'fill="{INK}">{escape(_clip(r.replace("_", " "), 24))}</text>')
        for j, v in enumerate(values[i]):
            share = v / most
            fill = "#ffffff" if v == 0 else _blend(share)
            ink = "#ffffff" if share > 0.55 else INK
            x = left + j * cell_w
            parts.append(f'<rect x="{x + 1:.1f}" y="{y + 1}" width="{cell_w - 2:.1f}" '
                         f'height="{cell_h - 2}" rx="3" fill="{fill}" stroke="{GRID}"/>')
            if v:
                parts.append(f'<text x="{x + cell_w / 2:.1f}" y="{y + 17}" text-anchor="middle" '
                             f'font-size="11.5" fill="{ink}">{escape(_fmt(v))}</text>')
    return _svg(width, height, "".join(parts), title)


def _blend(share: float) -> str:
    lo, hi = (0xe8, 0xf1, 0xf6), (0x1d, 0x4e, 0x6b)
    k = 0.12 + 0.88 * max(0.0, min(1.0, share))
    r, g, b = (round(a + (z - a) * k) for a, z in zip(lo, hi, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def stacked(rows: Sequence[tuple[str, Sequence[float]]], parts_names: Sequence[str], *,
            title: str, width: int = 760, colors: Sequence[str] = PALETTE) -> str:
    """One 100% bar per row, split into parts, with a legend above."""
    rows = [(r, v) for r, v in rows if sum(v) > 0]
    if not rows:
        return _empty(width, title)
    left, row_h = 170, 26
    legend: list[tuple[float, int, int]] = []  # (x, row, index)
    x, line = 10.0, 0
    for k, name in enumerate(parts_names):
        w = 26 + 6.6 * len(name)
        if x + w > width - 10 and x > 10:
            x, line = 10.0, line + 1
        legend.append((x, line, k))
        x += w
    top = 14 + (line + 1) * 20
    height = top + row_h * len(rows) + 6
    span = width - left - 60
    out = []
    for lx, row, k in legend:
        ly = 6 + row * 20
        out.append(f'<rect x="{lx:.1f}" y="{ly}" width="11" height="11" rx="2" '
                   f'fill="{colors[k % len(colors)]}"/><text x="{lx + 16:.1f}" y="{ly + 10}" '
                   f'font-size="11.5" fill="{INK}">{escape(parts_names[k])}</text>')
    for i, (label, values) in enumerate(rows):
        y = top + i * row_h
        total = sum(values)
        out.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="12.5" '
                   f'fill="{INK}">{escape(_clip(label.replace("_", " "), 24))}</text>')
        x = float(left)
        for k, v in enumerate(values):
            if v <= 0:
                continue
            w = span * v / total
            out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 9}" '
                       f'fill="{colors[k % len(colors)]}"><title>{escape(parts_names[k])}: '
                       f'{escape(_fmt(v))}</title></rect>')
            x += w
        out.append(f'<text x="{left + span + 6}" y="{y + 16}" font-size="12" fill="{MUTED}">'
                   f'{escape(_fmt(total))}</text>')
    return _svg(width, height, "".join(out), title)


def stacked_columns(x_labels: Sequence[str], series: Mapping[str, Sequence[float]], *,
                    title: str, width: int = 760, height: int = 280) -> str:
    """One column per x label (month), split by series, legend on the right."""
    if not x_labels or not series:
        return _empty(width, title)
    totals = [sum(v[i] for v in series.values()) for i in range(len(x_labels))]
    if max(totals) <= 0:
        return _empty(width, title)
    left, top, bottom, legend = 40, 14, 30, 170
    plot_w, plot_h = width - left - legend - 10, height - top - bottom
    grid, most = _y_axis(left, top, plot_h, left + plot_w + 4, max(totals))
    n = len(x_labels)
    step = plot_w / n
    bar = max(2.0, step * 0.72)
    parts = [grid]
    every = max(1, round(n / 12))
    for i, label in enumerate(x_labels):
        x = left + i * step + (step - bar) / 2
        y: float = top + plot_h
        for k, (name, values) in enumerate(series.items()):
            h = plot_h * values[i] / most
            if h <= 0:
                continue
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{_series_color(name, k)}"><title>{escape(label)} '
                         f'{escape(name)}: {escape(_fmt(values[i]))}</title></rect>')
        if i % every == 0 or i == n - 1:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 18}" '
                         f'text-anchor="middle" font-size="10.5" fill="{MUTED}">'
                         f'{escape(label)}</text>')
    for k, name in enumerate(series):
        ly, lx = top + 6 + k * 20, left + plot_w + 20
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" rx="2" '
                     f'fill="{_series_color(name, k)}"/><text x="{lx + 18}" y="{ly + 10}" '
                     f'font-size="12" fill="{INK}">{escape(_clip(name.replace("_", " "), 20))}'
                     f'</text>')
    return _svg(width, height, "".join(parts), title)


def _series_color(name: str, k: int) -> str:
    return OTHER_COLOR if name == "other" else PALETTE[k % len(PALETTE)]
