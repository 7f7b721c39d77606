"""Floor plan of a design's hall as SVG text (``rackval validate --floorplan PATH``).

Drawn from the same layout the RV-LAY rules check (:func:`rackval.layout.plan.hall_layout`):
the hall outline and obstacles; every placed rack's footprint coloured by the worst
finding on that rack (in any scenario), its front edge drawn heavy; the front and rear
service clearance zones; the cold and hot aisles between rows (and floor between a
front and a rear) labelled with their kind and width;
a legend and a scale bar. North is up. Plain SVG 1.1, no dependency.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from ..design.model import Design
from ..layout import geometry as g
from ..layout.plan import SIDES, Layout, clearances, hall_layout
from ..rules.base import Finding, severity_rank

__all__ = ["floorplan_svg", "rack_severities"]

DRAWING = 900.0
"""[px] The longer side of the hall in the picture."""
MARGIN = 30.0  # [px] around the hall
LEGEND = 230.0  # [px] column on the right for the legend

COLOURS = {
    "error": "#d62728",
    "warning": "#f28e2b",
    "info": "#4e79a7",
    "": "#59a14f",  # no finding
}
LABELS = {"error": "error", "warning": "warning", "info": "info only", "": "no finding"}
AISLE_FILL = {
    "cold": "#cfe6fb",
    "hot": "#fbd5cc",
    "exhaust-into-inlet": "#f7a8a8",
}
AISLE_LABEL = {
    "cold": "cold aisle",
    "hot": "hot aisle",
    "exhaust-into-inlet": "exhaust → inlet",
    "side": "",
}
ZONE_FILL = {"front": "#1f77b4", "rear": "#d62728"}

_RACK_PATH = re.compile(r"^racks\[([^\]]+)\]")


def rack_severities(findings: Iterable[Finding]) -> dict[str, str]:
    """The worst severity of the findings on each rack (and on anything in it)."""
    worst: dict[str, str] = {}
    for f in findings:
        match = _RACK_PATH.match(f.path)
        if match is None:
            continue
        rack = match.group(1)
        if rack not in worst or severity_rank(f.severity) < severity_rank(worst[rack]):
            worst[rack] = f.severity
    return worst


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _nice_length(target: float) -> float:
    """A round scale-bar length [m] at most ``target``: 1, 2 or 5 × 10ⁿ."""
    target = max(target, 1e-3)
    power = 10.0 ** math.floor(math.log10(target))
    return max(step * power for step in (1.0, 2.0, 5.0) if step * power <= target)


class _Canvas:
    """Plan metres to SVG pixels, north up."""

    def __init__(self, bounds: Sequence[float]) -> None:
        self.minx, self.miny, self.maxx, self.maxy = bounds
        span = max(self.maxx - self.minx, self.maxy - self.miny)
        self.scale = DRAWING / span  # [px/m]
        self.width = (self.maxx - self.minx) * self.scale + 2 * MARGIN + LEGEND
        self.height = max((self.maxy - self.miny) * self.scale + 2 * MARGIN + 40.0, 330.0)
        self.items: list[str] = []

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return (
            MARGIN + (x - self.minx) * self.scale,
            MARGIN + (self.maxy - y) * self.scale,
        )

    def points(self, coords: Iterable[tuple[float, float]]) -> str:
        return " ".join(f"{_num(px)},{_num(py)}" for px, py in (self.xy(x, y) for x, y in coords))

    def shape(self, geom, attrs: str) -> None:
        for part in getattr(geom, "geoms", [geom]):
            if part.is_empty or part.geom_type != "Polygon":
                continue
            self.items.append(
                f'<polygon points="{self.points(part.exterior.coords[:-1])}" {attrs}/>'
            )

    def text(self, x: float, y: float, text: str, attrs: str = "") -> None:
        px, py = self.xy(x, y)
        self.items.append(f'<text x="{_num(px)}" y="{_num(py)}" {attrs}>{escape(text)}</text>')


def floorplan_svg(design: Design, findings: Iterable[Finding] = ()) -> str:
    """The design's floor plan as SVG text.

    Parameters
    ----------
    design : Design
        A resolved design with a ``site.hall``.
    findings : iterable of Finding
        Findings of the design (any scenarios); each rack is coloured by its worst.

    Raises
    ------
    ValueError
        The design has no ``site.hall``.
    """
    lay = hall_layout(design)
    if lay is None:
        raise ValueError(f"design '{design.name}' has no site.hall: there is no floor plan to draw")
    hall = g.polygon(lay.hall.outline)
    canvas = _Canvas(hall.bounds)
    worst = rack_severities(findings)
    _hall(canvas, lay, hall)
    _aisles(canvas, lay)
    _zones(canvas, lay)
    _racks(canvas, lay, worst)
    _legend(canvas, design, lay, worst)
    head = (
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'width="{_num(canvas.width)}" height="{_num(canvas.height)}" '
        f'viewBox="0 0 {_num(canvas.width)} {_num(canvas.height)}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">'
    )
    title = f"<title>{escape(design.name)}: floor plan</title>"
    background = (
        f'<rect width="{_num(canvas.width)}" height="{_num(canvas.height)}" fill="#ffffff"/>'
    )
    return "\n".join([head, title, background, *canvas.items, "</svg>"]) + "\n"


def _hall(canvas: _Canvas, lay: Layout, hall) -> None:
    canvas.shape(hall, 'fill="#fafafa" stroke="#333333" stroke-width="2"')
    for obstacle in lay.hall.obstacles:
        shape = g.polygon(obstacle.outline)
        canvas.shape(shape, 'fill="#8c8c8c" stroke="#444444" stroke-width="1"')
        c = shape.centroid
        canvas.text(c.x, c.y, obstacle.id, 'font-size="9" text-anchor="middle" fill="#ffffff"')


def _fit(text: str, length: float, thickness: float) -> float:
    """Font size [px] that fits ``text`` into a box ``length`` × ``thickness`` px (≤ 11)."""
    return min(11.0, length / (0.6 * max(len(text), 1)), thickness * 0.7)


def _aisles(canvas: _Canvas, lay: Layout) -> None:
    for aisle in lay.aisles:
        if aisle.kind == "side":  # floor beside a rack's side is no aisle to draw
            continue
        fill = AISLE_FILL[aisle.kind]
        canvas.shape(aisle.shape, f'fill="{fill}" stroke="none"')
    for aisle in lay.aisles:
        name = AISLE_LABEL[aisle.kind]
        if not name:
            continue
        width = f"{aisle.width:.2f} m"
        if aisle.widest - aisle.width > g.LENGTH_TOLERANCE:
            width = f"{aisle.width:.2f}–{aisle.widest:.2f} m"
        minx, miny, maxx, maxy = aisle.shape.bounds
        # an aisle runs along its rows, across the racks' facing
        along_y = lay.facing[aisle.racks[0]] in ("east", "west")
        length, thickness = (maxy - miny, maxx - minx) if along_y else (maxx - minx, maxy - miny)
        length, thickness = length * canvas.scale, thickness * canvas.scale
        text = f"{name} {width}"
        size = _fit(text, length, thickness)
        if size < 6.0:  # too small for the words: the width alone
            text = width
            size = _fit(text, length, thickness)
        if size < 4.0:
            continue
        c = aisle.shape.representative_point()
        px, py = canvas.xy(c.x, c.y)
        turn = f' transform="rotate(-90 {_num(px)} {_num(py)})"' if along_y else ""
        canvas.items.append(
            f'<text x="{_num(px)}" y="{_num(py + size / 3)}" text-anchor="middle" '
            f'font-size="{_num(size)}" fill="#333333"{turn}>{escape(text)}</text>'
        )


def _zones(canvas: _Canvas, lay: Layout) -> None:
    limits = clearances()
    for side in SIDES:
        shapes = g.zones(*lay.args(), side, limits[side].min)
        colour = ZONE_FILL[side]
        for shape in shapes:
            canvas.shape(
                shape,
                f'fill="{colour}" fill-opacity="0.08" stroke="{colour}" stroke-opacity="0.5" '
                'stroke-width="0.8" stroke-dasharray="3,2"',
            )


def _racks(canvas: _Canvas, lay: Layout, worst: dict[str, str]) -> None:
    for k, (rack, shape) in enumerate(zip(lay.racks, lay.footprints, strict=True)):
        fill = COLOURS[worst.get(rack.id, "")]
        canvas.shape(
            shape,
            f'class="rack" fill="{fill}" fill-opacity="0.85" stroke="#222222" stroke-width="1"',
        )
        # the front face: the first two corners of the footprint (geometry.footprint)
        front = g.footprint(rack.x, rack.y, rack.facing, float(lay.width[k]), float(lay.depth[k]))
        (x0, y0), (x1, y1) = front.exterior.coords[0], front.exterior.coords[1]
        (a, b), (c, d) = canvas.xy(x0, y0), canvas.xy(x1, y1)
        canvas.items.append(
            f'<line x1="{_num(a)}" y1="{_num(b)}" x2="{_num(c)}" y2="{_num(d)}" '
            'stroke="#000000" stroke-width="3.5" stroke-linecap="butt"/>'
        )
        centre = shape.centroid
        minx, miny, maxx, maxy = shape.bounds
        short = min(maxx - minx, maxy - miny) * canvas.scale  # [px]
        size = max(min(short * 0.45, 11.0), 5.0)
        px, py = canvas.xy(centre.x, centre.y)
        turn = (
            f' transform="rotate(-90 {_num(px)} {_num(py)})"'
            if (maxy - miny) > (maxx - minx)
            else ""
        )
        canvas.items.append(
            f'<text x="{_num(px)}" y="{_num(py + size / 3)}" text-anchor="middle" '
            f'font-size="{_num(size)}" fill="#ffffff"{turn}>{escape(rack.id)}</text>'
        )


def _legend(canvas: _Canvas, design: Design, lay: Layout, worst: dict[str, str]) -> None:
    hall_right = MARGIN + (canvas.maxx - canvas.minx) * canvas.scale
    x = hall_right + 25.0
    y = MARGIN + 4.0
    items = canvas.items
    items.append(
        f'<text x="{_num(x)}" y="{_num(y + 8)}" font-size="14" font-weight="bold">'
        f"{escape(design.name)}</text>"
    )
    y += 28.0
    for severity in ("error", "warning", "info", ""):
        count = sum(1 for r in lay.racks if worst.get(r.id, "") == severity)
        items.append(
            f'<rect x="{_num(x)}" y="{_num(y - 10)}" width="16" height="12" '
            f'fill="{COLOURS[severity]}" stroke="#222222" stroke-width="1"/>'
        )
        items.append(
            f'<text x="{_num(x + 24)}" y="{_num(y)}">rack: {LABELS[severity]} ({count})</text>'
        )
        y += 18.0
    items.append(
        f'<line x1="{_num(x)}" y1="{_num(y - 4)}" x2="{_num(x + 16)}" y2="{_num(y - 4)}" '
        'stroke="#000000" stroke-width="3.5"/>'
    )
    items.append(f'<text x="{_num(x + 24)}" y="{_num(y)}">front edge of a rack</text>')
    y += 18.0
    limits = clearances()
    for side in SIDES:
        colour = ZONE_FILL[side]
        items.append(
            f'<rect x="{_num(x)}" y="{_num(y - 10)}" width="16" height="12" fill="{colour}" '
            f'fill-opacity="0.08" stroke="{colour}" stroke-opacity="0.5" stroke-dasharray="3,2"/>'
        )
        items.append(
            f'<text x="{_num(x + 24)}" y="{_num(y)}">{side} clearance '
            f"{limits[side].min:.1f} m</text>"
        )
        y += 18.0
    for kind in ("cold", "hot", "exhaust-into-inlet"):
        items.append(
            f'<rect x="{_num(x)}" y="{_num(y - 10)}" width="16" height="12" '
            f'fill="{AISLE_FILL[kind]}" stroke="#999999" stroke-width="0.5"/>'
        )
        items.append(f'<text x="{_num(x + 24)}" y="{_num(y)}">{escape(AISLE_LABEL[kind])}</text>')
        y += 18.0
    items.append(
        f'<rect x="{_num(x)}" y="{_num(y - 10)}" width="16" height="12" fill="#8c8c8c" '
        'stroke="#444444"/>'
    )
    items.append(f'<text x="{_num(x + 24)}" y="{_num(y)}">obstacle</text>')
    y += 18.0
    drawn = {r.id for r in lay.racks}
    missing = [r.id for r in design.racks if r.id not in drawn]
    if missing:
        shown = ", ".join(missing[:4]) + (" …" if len(missing) > 4 else "")
        items.append(
            f'<text x="{_num(x)}" y="{_num(y + 4)}" font-size="10" fill="#555555">'
            f"not drawn (no position or size): {escape(shown)}</text>"
        )
        y += 18.0
    # scale bar and north arrow
    span = max(canvas.maxx - canvas.minx, canvas.maxy - canvas.miny)
    length = _nice_length(min(span / 5.0, (LEGEND - 50.0) / canvas.scale))  # fits the column
    bar = length * canvas.scale
    y += 16.0
    items.append(
        f'<path d="M {_num(x)} {_num(y - 5)} V {_num(y)} H {_num(x + bar)} V {_num(y - 5)}" '
        'fill="none" stroke="#000000" stroke-width="1.5"/>'
    )
    items.append(
        f'<text x="{_num(x + bar / 2)}" y="{_num(y + 14)}" text-anchor="middle">{length:g} m</text>'
    )
    y += 40.0
    items.append(
        f'<path d="M {_num(x + 8)} {_num(y)} l 6 14 l -6 -4 l -6 4 z" fill="#000000"/>'
        f'<text x="{_num(x + 8)}" y="{_num(y + 28)}" text-anchor="middle">N</text>'
    )
