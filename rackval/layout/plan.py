"""A design's hall as geometry: the placed racks as arrays, and what lies around them.

:func:`hall_layout` turns a :class:`~rackval.design.model.Design` into the plain inputs
of :mod:`rackval.layout.geometry` and computes, once per design, everything the layout
rules and the floor-plan picture read: footprints, overlaps, area outside the hall and
on obstacles, the rack, wall and obstacle in front of and behind every rack, and the
aisles between rows.

Only racks with a position and known outer width and depth take part; without a
``site.hall`` there is no layout (the layout rules then check nothing).
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np

from ..catalog.standards import Clearance, load_standards
from ..design.model import Design, Hall, Rack
from . import geometry as g

__all__ = ["SIDES", "Layout", "hall_layout", "rack_dimensions", "clearances"]

SIDES = ("front", "rear")


def rack_dimensions(rack: Rack) -> tuple[float, float] | None:
    """Outer width and depth of a rack [m], or None when the part does not give both."""
    spec = rack.part.rack
    if spec is None or not spec.outer_width or not spec.outer_depth:
        return None
    if spec.outer_width <= 0.0 or spec.outer_depth <= 0.0:
        return None
    return spec.outer_width, spec.outer_depth


def clearances() -> dict[str, Clearance]:
    """Service clearances and the cold-aisle width (``standards.yaml`` ``layout``, cited)."""
    return dict(load_standards().clearances)


@dataclass(frozen=True)
class Layout:
    """Geometry of the placed racks of one design (arrays indexed like ``racks``)."""

    hall: Hall
    racks: tuple[Rack, ...]
    x: np.ndarray  # [m] front-face centres
    y: np.ndarray  # [m]
    facing: tuple[str, ...]
    width: np.ndarray  # [m]
    depth: np.ndarray  # [m]
    footprints: np.ndarray  # shapely polygons
    reach: float  # [m] how far across the hall neighbours are searched (its diagonal)
    overlaps: tuple[np.ndarray, np.ndarray, np.ndarray]  # i, j, shared area [m²]
    outside: np.ndarray  # [m²] footprint area outside the hall outline
    on_obstacles: tuple[np.ndarray, np.ndarray, np.ndarray]  # rack, obstacle, area [m²]
    across: dict[str, g.Across]  # per side: the rack across
    beside: tuple[np.ndarray, np.ndarray]  # i, j: racks side by side in a row
    wall: dict[str, np.ndarray]  # per side: free floor to the hall wall [m]
    obstacle: dict[str, tuple[np.ndarray, np.ndarray]]  # per side: gap [m], obstacle index
    aisles: list[g.Aisle]

    def args(self) -> tuple:
        """``x, y, facing, width, depth`` for the geometry functions."""
        return self.x, self.y, self.facing, self.width, self.depth

    @property
    def overlapping(self) -> set[tuple[int, int]]:
        """Pairs of racks whose footprints overlap, in both orders (RV-LAY-001)."""
        i, j, _ = self.overlaps
        pairs = {(int(a), int(b)) for a, b in zip(i, j, strict=True)}
        return pairs | {(b, a) for a, b in pairs}

    @property
    def misplaced(self) -> np.ndarray:
        """Racks partly outside the hall or standing on an obstacle (RV-LAY-002)."""
        bad = self.outside > 0.0
        bad[self.on_obstacles[0]] = True
        return bad


def _build(design: Design) -> Layout | None:
    hall = design.site.hall
    if hall is None:
        return None
    racks, dims = [], []
    for rack in design.racks:
        size = rack_dimensions(rack)
        if rack.placed and size is not None:
            racks.append(rack)
            dims.append(size)
    x = np.array([r.x for r in racks], dtype=float)
    y = np.array([r.y for r in racks], dtype=float)
    facing = tuple(r.facing for r in racks)
    width = np.array([s[0] for s in dims], dtype=float)
    depth = np.array([s[1] for s in dims], dtype=float)
    args = (x, y, facing, width, depth)
    shapes = g.footprints(*args)
    minx, miny, maxx, maxy = g.polygon(hall.outline).bounds
    reach = math.hypot(maxx - minx, maxy - miny)
    outlines = [o.outline for o in hall.obstacles]
    wall = {side: g.wall_gaps(*args, side, reach, hall.outline) for side in SIDES}
    # a wall ends the search for the rack across: beyond it is another room
    across = {side: g.across(*args, side, np.minimum(wall[side], reach)) for side in SIDES}
    return Layout(
        hall=hall,
        racks=tuple(racks),
        x=x,
        y=y,
        facing=facing,
        width=width,
        depth=depth,
        footprints=shapes,
        reach=reach,
        overlaps=g.overlaps(shapes),
        outside=g.area_outside(shapes, hall.outline),
        on_obstacles=g.obstacle_overlaps(shapes, outlines),
        across=across,
        beside=g.beside(*args),
        wall=wall,
        obstacle={side: g.obstacle_gaps(*args, side, reach, outlines) for side in SIDES},
        aisles=g.aisles(*args, [across[s] for s in SIDES]),
    )


_last: tuple[weakref.ref[Design], Layout | None] | None = None


def hall_layout(design: Design) -> Layout | None:
    """The layout of a design's placed racks, or None without a hall.

    Computed once per design (the layout rules and the floor plan share it).
    """
    global _last
    if _last is not None and _last[0]() is design:
        return _last[1]
    result = _build(design)
    _last = (weakref.ref(design), result)
    return result
