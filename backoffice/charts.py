"""The dashboard's charts as SVG drawn on the server: no script, no library, no request to anyone else.

Each chart is an image with a French name and description (role="img"); the same figures are in the table beside
it, so that a screen reader or a CSV export gives them all. Colours come from the stylesheet's palette, with text
contrasts of at least 4.5:1 on white.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

INK = "#1b1b1f"
MUTED = "#4a4a55"
LINE = "#c9c9d2"
SERIES = ("#1f4e9c", "#b3541e", "#17623a", "#6b3fa0")  # brand blue, rust, green, purple
WIDTH = 720


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as written beside the bar (« 12 », « 62 % »)


def _svg(title: str, description: str, height: int, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{body}</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", fill: str = INK, size: int = 13) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">'
            f"{escape(text)}</text>")


def bars(title: str, items: list[Bar], colour: str = SERIES[0]) -> Markup:
    """Horizontal bars, one per item, largest first as given; labels on the left, values on the right."""
    row, label_width, value_width = 26, 260, 70
    top = max((item.value for item in items), default=0) or 1
    body = []
    for index, item in enumerate(items):
        y = index * row + 4
        length = (WIDTH - label_width - value_width) * item.value / top
        label = item.label if len(item.label) <= 36 else item.label[:35] + "…"
        body.append(_text(label_width - 8, y + 15, label, "end"))
        body.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" fill="{colour}"/>')
        body.append(_text(label_width + length + 6, y + 15, item.shown))
    description = "; ".join(f"{item.label} : {item.shown}" for item in items) or "aucune donnée"
    return _svg(title, description, max(1, len(items)) * row + 8, "".join(body))


def columns(title: str, labels: list[str], series: list[tuple[str, list[int]]]) -> Markup:
    """Grouped columns: one group per label (a day), one column per series, with a legend and the top value."""
    height, bottom, left, legend = 240, 200, 44, 24
    top = max((v for _, values in series for v in values), default=0) or 1
    group = (WIDTH - left) / max(1, len(labels))
    width = max(1.0, group * 0.8 / max(1, len(series)))
    body = [f'<line x1="{left}" y1="{bottom}" x2="{WIDTH}" y2="{bottom}" stroke="{LINE}"/>',
            _text(left - 6, legend + 12, str(top), "end", MUTED), _text(left - 6, bottom, "0", "end", MUTED)]
    for number, (name, _) in enumerate(series):
        x = left + number * 190
        body.append(f'<rect x="{x}" y="2" width="14" height="14" fill="{SERIES[number]}"/>')
        body.append(_text(x + 20, 14, name))
    for index, label in enumerate(labels):
        x0 = left + index * group + group * 0.1
        for number, (_, values) in enumerate(series):
            h = (bottom - legend - 6) * values[index] / top
            body.append(f'<rect x="{x0 + number * width:.1f}" y="{bottom - h:.1f}" width="{width:.1f}" '
                        f'height="{h:.1f}" fill="{SERIES[number]}"/>')
        every = max(1, len(labels) // 10)  # at most about ten dates under the axis
        if index % every == 0:
            body.append(_text(x0 + group * 0.4, bottom + 18, label, "middle", MUTED, 12))
    description = "; ".join(
        f"{label} : " + ", ".join(f"{values[index]} {name.lower()}" for name, values in series)
        for index, label in enumerate(labels))
    return _svg(title, description, height, "".join(body))


def shares(title: str, parts: list[Bar]) -> Markup:
    """One bar cut in parts proportional to their values, with a legend of each part's share."""
    total = sum(part.value for part in parts) or 1
    body, x = [], 0.0
    for number, part in enumerate(parts):
        width = WIDTH * part.value / total
        body.append(f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="28" fill="{SERIES[number]}"/>')
        x += width
        legend_x = (number % 2) * 360
        legend_y = 44 + (number // 2) * 24
        body.append(f'<rect x="{legend_x}" y="{legend_y - 12}" width="14" height="14" fill="{SERIES[number]}"/>')
        body.append(_text(legend_x + 20, legend_y, f"{part.label} : {part.shown}"))
    description = "; ".join(f"{part.label} : {part.shown}" for part in parts)
    return _svg(title, description, 44 + ((len(parts) + 1) // 2) * 24, "".join(body))
