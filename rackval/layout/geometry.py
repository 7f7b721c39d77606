"""Plan geometry of the hall: footprints, service zones, neighbours across aisles.

Coordinates are metres in the hall's plan (x east, y north). A rack's ``position``
is the centre of its front face; ``facing`` is the direction its front looks at,
so the footprint extends ``depth`` behind the front face and ``width`` across it.

Every function here takes plain data (floats, strings, arrays, point tuples) and
returns shapely geometry or NumPy arrays; nothing here knows a design. Facings are
the four compass directions, so footprints, service zones and the strips in front of
and behind a rack are axis-aligned rectangles: distances across an aisle are read off
bounding boxes in the rack's own frame (``s`` along the facing, ``t`` across it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import Polygon, STRtree
from shapely.validation import explain_validity

__all__ = [
    "FACING",
    "LENGTH_TOLERANCE",
    "AREA_TOLERANCE",
    "KINDS",
    "Across",
    "Aisle",
    "polygon",
    "polygon_problem",
    "footprint",
    "normals",
    "footprints",
    "zones",
    "overlaps",
    "area_outside",
    "obstacle_overlaps",
    "across",
    "beside",
    "wall_gaps",
    "obstacle_gaps",
    "aisles",
]

FACING: dict[str, tuple[float, float]] = {
    "north": (0.0, 1.0),
    "east": (1.0, 0.0),
    "south": (0.0, -1.0),
    "west": (-1.0, 0.0),
}
"""Unit vector of the direction a rack front faces."""

LENGTH_TOLERANCE = 1e-6
"""[m] Lengths closer than this are equal (1 µm: far below the mm positions are given in)."""

AREA_TOLERANCE = 1e-6
"""[m²] Smaller shared or outside areas are touching edges, not overlaps (1 mm²)."""

KINDS = ("cold", "hot", "exhaust-into-inlet", "side")
"""What lies across a strip: front-to-front (cold aisle), back-to-back (hot aisle), a
front facing another rack's rear, or the side of a rack."""

Points = Sequence[tuple[float, float]]


def polygon(points: Points) -> Polygon:
    """A shapely polygon from plan points [m] (closed implicitly)."""
    return Polygon(points)


def polygon_problem(points: Points) -> str | None:
    """Why ``points`` [m] do not make a usable outline, or None when they do."""
    if len(points) < 3:
        return f"an outline needs at least 3 points, got {len(points)}"
    shape = Polygon(points)
    if shape.convex_hull.area <= 0.0:
        return "the outline encloses no area (its points lie on one line)"
    if not shape.is_valid:
        reason = explain_validity(shape)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            return f"the outline crosses itself ({reason})"
        return f"the outline is not a simple polygon ({reason})"
    if shape.area <= 0.0:
        return "the outline encloses no area"
    return None


def footprint(x: float, y: float, facing: str, width: float, depth: float) -> Polygon:
    """The rack's floor footprint.

    Parameters
    ----------
    x, y : float
        Centre of the front face [m].
    facing : str
        ``north`` | ``east`` | ``south`` | ``west``: where the front looks.
    width, depth : float
        Outer width and depth of the rack [m].

    Returns
    -------
    Polygon
        Corners: front right, front left, rear left, rear right (seen from the front).

    Examples
    --------
    >>> footprint(1.0, 2.0, "north", 0.6, 1.2).bounds
    (0.7, 0.8, 1.3, 2.0)
    """
    nx, ny = FACING[facing]
    ax, ay = ny, -nx  # across the front face
    half = width / 2.0
    corners = [
        (x + ax * half, y + ay * half),
        (x - ax * half, y - ay * half),
        (x - ax * half - nx * depth, y - ay * half - ny * depth),
        (x + ax * half - nx * depth, y + ay * half - ny * depth),
    ]
    return Polygon(corners)


def normals(facing: Sequence[str]) -> np.ndarray:
    """Unit vectors of the facings, shape (n, 2)."""
    return np.array([FACING[f] for f in facing], dtype=float).reshape(-1, 2)


def _frame(x, y, facing, width, depth):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = normals(facing)
    a = np.column_stack([n[:, 1], -n[:, 0]])  # across the front face
    return x, y, n, a, np.asarray(width, dtype=float), np.asarray(depth, dtype=float)


def _boxes(x, y, n, a, t_lo, t_hi, s_lo, s_hi) -> np.ndarray:
    """Axis-aligned rectangles given in each rack's frame (origin at the front-face centre)."""
    x0 = x + a[:, 0] * t_lo + n[:, 0] * s_lo
    y0 = y + a[:, 1] * t_lo + n[:, 1] * s_lo
    x1 = x + a[:, 0] * t_hi + n[:, 0] * s_hi
    y1 = y + a[:, 1] * t_hi + n[:, 1] * s_hi
    return shapely.box(
        np.minimum(x0, x1), np.minimum(y0, y1), np.maximum(x0, x1), np.maximum(y0, y1)
    )


def footprints(
    x: Sequence[float],
    y: Sequence[float],
    facing: Sequence[str],
    width: Sequence[float],
    depth: Sequence[float],
) -> np.ndarray:
    """Footprints of many racks at once (as :func:`footprint`), an array of polygons.

    Parameters
    ----------
    x, y : array_like
        Centres of the front faces [m].
    facing : sequence of str
        Facing of each rack.
    width, depth : array_like
        Outer widths and depths [m].
    """
    x, y, n, a, w, d = _frame(x, y, facing, width, depth)
    return _boxes(x, y, n, a, -w / 2, w / 2, -d, np.zeros_like(d))


def zones(
    x: Sequence[float],
    y: Sequence[float],
    facing: Sequence[str],
    width: Sequence[float],
    depth: Sequence[float],
    side: str,
    reach: float | Sequence[float],
) -> np.ndarray:
    """Rectangles of floor ``reach`` deep in front of (``side="front"``) or behind
    (``"rear"``) each rack, as wide as the rack: service clearance zones, or the strips
    searched for the rack across an aisle.

    Parameters
    ----------
    x, y, facing, width, depth
        As :func:`footprints` [m].
    side : str
        ``front`` | ``rear``.
    reach : float or array_like
        Depth of the zone from the rack face [m].
    """
    x, y, n, a, w, d = _frame(x, y, facing, width, depth)
    reach = np.broadcast_to(np.asarray(reach, dtype=float), w.shape)
    if side == "front":
        return _boxes(x, y, n, a, -w / 2, w / 2, np.zeros_like(d), reach)
    if side == "rear":
        return _boxes(x, y, n, a, -w / 2, w / 2, -d - reach, -d)
    raise ValueError(f"side must be 'front' or 'rear', not {side!r}")


def overlaps(shapes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of shapes that share a positive area.

    Returns
    -------
    i, j : ndarray of int
        Indices with ``i < j``, sorted.
    area : ndarray of float
        Shared area of each pair [m²].
    """
    tree = STRtree(shapes)
    i, j = tree.query(shapes, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    area = shapely.area(shapely.intersection(shapes[i], shapes[j]))
    keep = area > AREA_TOLERANCE
    order = np.lexsort((j[keep], i[keep]))
    return i[keep][order], j[keep][order], area[keep][order]


def area_outside(shapes: np.ndarray, outline: Points) -> np.ndarray:
    """Area of each shape outside the outline [m²] (0 for a shape inside it)."""
    hall = polygon(outline)
    shapely.prepare(hall)
    out = np.zeros(len(shapes))
    partial = ~shapely.covers(hall, shapes)
    out[partial] = shapely.area(shapely.difference(shapes[partial], hall))
    out[out <= AREA_TOLERANCE] = 0.0
    return out


def obstacle_overlaps(
    shapes: np.ndarray, obstacles: Sequence[Points]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shapes standing on obstacles.

    Returns
    -------
    i : ndarray of int
        Index of the shape.
    k : ndarray of int
        Index of the obstacle.
    area : ndarray of float
        Shared area [m²], above :data:`AREA_TOLERANCE`.
    """
    if not len(obstacles) or not len(shapes):
        empty = np.zeros(0, dtype=int)
        return empty, empty, np.zeros(0)
    solid = np.array([polygon(p) for p in obstacles], dtype=object)
    k, i = STRtree(solid).query(shapes, predicate="intersects")[::-1]
    area = shapely.area(shapely.intersection(shapes[i], solid[k]))
    keep = area > AREA_TOLERANCE
    order = np.lexsort((k[keep], i[keep]))
    return i[keep][order], k[keep][order], area[keep][order]


def _faces(x, y, n, d, side):
    """Centre of the front or rear face and the outward direction on that side."""
    if side == "front":
        return x, y, n
    return x - n[:, 0] * d, y - n[:, 1] * d, -n


def _in_frame(bounds, fx, fy, out, a):
    """Bounds (xmin, ymin, xmax, ymax) as ranges along ``out`` (s) and across (t) from a face."""
    xmin, ymin, xmax, ymax = bounds.T
    s0 = (xmin - fx) * out[:, 0] + (ymin - fy) * out[:, 1]
    s1 = (xmax - fx) * out[:, 0] + (ymax - fy) * out[:, 1]
    t0 = (xmin - fx) * a[:, 0] + (ymin - fy) * a[:, 1]
    t1 = (xmax - fx) * a[:, 0] + (ymax - fy) * a[:, 1]
    return np.minimum(s0, s1), np.maximum(s0, s1), np.minimum(t0, t1), np.maximum(t0, t1)


@dataclass(frozen=True)
class Across:
    """For one side of every rack, the nearest rack across.

    Arrays indexed by rack; ``other`` is -1 where no rack lies within reach on that side.
    """

    side: str  # "front" | "rear"
    other: np.ndarray  # int: index of the nearest rack across, or -1
    gap: np.ndarray  # [m] free floor from the face to that rack (inf without one)
    kind: np.ndarray  # object: one of KINDS, or "" without a rack across
    t_lo: np.ndarray  # [m] part of the face the rack across covers, across the face
    t_hi: np.ndarray  # [m]


def _first_per_rack(count: int, rack: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """Index into the pair arrays of the smallest gap of each rack (-1 for none)."""
    best = np.full(count, -1, dtype=int)
    if not len(rack):
        return best
    order = np.lexsort((gap, rack))
    first = np.ones(len(order), dtype=bool)
    first[1:] = rack[order][1:] != rack[order][:-1]
    best[rack[order][first]] = order[first]
    return best


def across(
    x: Sequence[float],
    y: Sequence[float],
    facing: Sequence[str],
    width: Sequence[float],
    depth: Sequence[float],
    side: str,
    reach: float | Sequence[float],
) -> Across:
    """The nearest rack in front of (``side="front"``) or behind each rack.

    The strip as wide as the rack and ``reach`` deep on that side is searched for
    other footprints (an STRtree query); the nearest one that covers part of the
    strip's width is the rack across, and the free floor between the faces is the gap.
    A rack that overlaps this one across its face is the nearest, at gap 0: it hides
    what lies behind it (callers leave overlapping pairs to RV-LAY-001).

    Kind, seen from this rack's ``side``: front-to-front is ``cold`` (a cold aisle),
    back-to-back ``hot``, a front facing a rear ``exhaust-into-inlet`` (from either
    side), anything else ``side``.

    Parameters
    ----------
    x, y, facing, width, depth
        As :func:`footprints` [m].
    side : str
        ``front`` | ``rear``.
    reach : float or array_like
        How far to look from each rack [m]; pass the distance to the hall wall to
        leave out racks beyond a wall.
    """
    x, y, n, a, w, d = _frame(x, y, facing, width, depth)
    count = len(x)
    reach = np.broadcast_to(np.asarray(reach, dtype=float), w.shape)
    shapes = _boxes(x, y, n, a, -w / 2, w / 2, -d, np.zeros_like(d))
    strips = zones(x, y, facing, w, d, side, reach)
    i, j = STRtree(shapes).query(strips, predicate="intersects")
    keep = i != j
    i, j = i[keep], j[keep]
    fx, fy, out = _faces(x, y, n, d, side)
    s_lo, s_hi, t_lo, t_hi = _in_frame(shapely.bounds(shapes[j]), fx[i], fy[i], out[i], a[i])
    t_lo, t_hi = np.maximum(t_lo, -w[i] / 2), np.minimum(t_hi, w[i] / 2)
    valid = (t_hi - t_lo > LENGTH_TOLERANCE) & (s_hi > LENGTH_TOLERANCE) & (s_lo < reach[i])
    i, j, s_lo, t_lo, t_hi = i[valid], j[valid], s_lo[valid], t_lo[valid], t_hi[valid]
    best = _first_per_rack(count, i, s_lo)
    found = best >= 0
    other = np.full(count, -1, dtype=int)
    gap = np.full(count, np.inf)
    lo = np.zeros(count)
    hi = np.zeros(count)
    other[found] = j[best[found]]
    gap[found] = np.maximum(s_lo[best[found]], 0.0)
    lo[found], hi[found] = t_lo[best[found]], t_hi[best[found]]
    kind = np.full(count, "", dtype=object)
    # -1: the rack across shows this face its front; +1: its rear; 0: its side
    dot = np.einsum("ij,ij->i", n[other[found]], out[found])
    front, rear = (
        ("cold", "exhaust-into-inlet") if side == "front" else ("exhaust-into-inlet", "hot")
    )
    kind[found] = np.where(dot < -0.5, front, np.where(dot > 0.5, rear, "side"))
    return Across(side, other, gap, kind, lo, hi)


def beside(
    x: Sequence[float],
    y: Sequence[float],
    facing: Sequence[str],
    width: Sequence[float],
    depth: Sequence[float],
) -> tuple[np.ndarray, np.ndarray]:
    """Racks standing side by side in a row: footprints that touch side to side.

    A pair counts when the racks face along the same axis (the same or the opposite
    way), their footprints touch (closer than :data:`LENGTH_TOLERANCE`) along a side of
    ``i`` and share part of its depth. Racks with a gap between them are not neighbours.

    Returns
    -------
    i, j : ndarray of int
        Both orders of every pair, sorted.
    """
    x, y, n, a, w, d = _frame(x, y, facing, width, depth)
    shapes = _boxes(x, y, n, a, -w / 2, w / 2, -d, np.zeros_like(d))
    grown = shapely.buffer(shapes, LENGTH_TOLERANCE, join_style="mitre")
    i, j = STRtree(shapes).query(grown, predicate="intersects")
    keep = i != j
    i, j = i[keep], j[keep]
    s_lo, s_hi, t_lo, t_hi = _in_frame(shapely.bounds(shapes[j]), x[i], y[i], n[i], a[i])
    half = w[i] / 2
    at_side = (t_lo > half - LENGTH_TOLERANCE) | (t_hi < -half + LENGTH_TOLERANCE)
    shared_depth = np.minimum(s_hi, 0.0) - np.maximum(s_lo, -d[i]) > LENGTH_TOLERANCE
    parallel = np.abs(np.einsum("ij,ij->i", n[i], n[j])) > 0.5
    keep = at_side & shared_depth & parallel
    order = np.lexsort((j[keep], i[keep]))
    return i[keep][order], j[keep][order]


def wall_gaps(
    x: Sequence[float],
    y: Sequence[float],
    facing: Sequence[str],
    width: Sequence[float],
    depth: Sequence[float],
    side: str,
    reach: float,
    outline: Points,
) -> np.ndarray:
    """Free floor from each rack's face to the hall wall on that side [m] (inf beyond reach).

    The nearest point of the strip (as :func:`zones`) that lies outside the outline.
    """
    x, y, n, a, w, d = _frame(x, y, facing, width, depth)
    strips = zones(x, y, facing, w, d, side, reach)
    hall = polygon(outline)
    shapely.prepare(hall)
    gap = np.full(len(x), np.inf)
    partial = ~shapely.covers(hall, strips)
    if partial.any():
        outside = shapely.difference(strips[partial], hall)
        area = shapely.area(outside)
        fx, fy, out = _faces(x, y, n, d, side)
        s_lo, _, _, _ = _in_frame(
            shapely.bounds(outside), fx[partial], fy[partial], out[partial], a[partial]
        )
        gap[np.flatnonzero(partial)[area > AREA_TOLERANCE]] = np.maximum(s_lo, 0.0)[
            area > AREA_TOLERANCE
        ]
    return gap


def obstacle_gaps(
    x: Sequence[float],
    y: Sequence[float],
    facing: Sequence[str],
    width: Sequence[float],
    depth: Sequence[float],
    side: str,
    reach: float,
    obstacles: Sequence[Points],
) -> tuple[np.ndarray, np.ndarray]:
    """Free floor from each rack's face to the nearest obstacle on that side.

    Returns
    -------
    gap : ndarray of float
        [m], inf where no obstacle lies within reach.
    which : ndarray of int
        Index of that obstacle, -1 for none.
    """
    x, y, n, a, w, d = _frame(x, y, facing, width, depth)
    count = len(x)
    gap = np.full(count, np.inf)
    which = np.full(count, -1, dtype=int)
    if not len(obstacles) or not count:
        return gap, which
    strips = zones(x, y, facing, w, d, side, reach)
    solid = np.array([polygon(p) for p in obstacles], dtype=object)
    k, i = STRtree(solid).query(strips, predicate="intersects")[::-1]
    shared = shapely.intersection(strips[i], solid[k])
    keep = shapely.area(shared) > AREA_TOLERANCE
    i, k, shared = i[keep], k[keep], shared[keep]
    fx, fy, out = _faces(x, y, n, d, side)
    s_lo, _, _, _ = _in_frame(shapely.bounds(shared), fx[i], fy[i], out[i], a[i])
    best = _first_per_rack(count, i, s_lo)
    found = best >= 0
    gap[found] = np.maximum(s_lo[best[found]], 0.0)
    which[found] = k[best[found]]
    return gap, which


@dataclass(frozen=True)
class Aisle:
    """Floor between facing racks, merged into one region per kind where strips touch."""

    kind: str  # one of KINDS
    width: float  # [m] narrowest gap between the faces
    widest: float  # [m] widest gap
    shape: Polygon
    racks: tuple[int, ...]  # indices of the racks whose faces border it


def aisles(
    x: Sequence[float],
    y: Sequence[float],
    facing: Sequence[str],
    width: Sequence[float],
    depth: Sequence[float],
    sides: Sequence[Across],
) -> list[Aisle]:
    """Aisles: the floor between each rack face and the rack across, merged by kind.

    Parameters
    ----------
    x, y, facing, width, depth
        As :func:`footprints` [m].
    sides : sequence of Across
        The result of :func:`across` for the front and the rear.
    """
    x, y, n, a, w, d = _frame(x, y, facing, width, depth)
    pieces: dict[str, list[tuple[Polygon, float, int, int]]] = {}
    for found in sides:
        fx, fy, out = _faces(x, y, n, d, found.side)
        idx = np.flatnonzero(found.other >= 0)
        # the strip between the face and the rack across, where that rack covers it
        s_hi = found.gap[idx]
        boxes = _boxes(
            fx[idx], fy[idx], out[idx], a[idx], found.t_lo[idx], found.t_hi[idx], 0.0 * s_hi, s_hi
        )
        for box, r, gap in zip(boxes, idx, s_hi, strict=True):
            if gap > LENGTH_TOLERANCE:
                pieces.setdefault(found.kind[r], []).append(
                    (box, float(gap), int(r), int(found.other[r]))
                )
    result: list[Aisle] = []
    for kind in KINDS:
        items = pieces.get(kind, [])
        if not items:
            continue
        # grow by a hair before the union so strips that touch only up to rounding merge
        grown = shapely.buffer([p[0] for p in items], LENGTH_TOLERANCE, join_style="mitre")
        merged = shapely.buffer(shapely.unary_union(grown), -LENGTH_TOLERANCE, join_style="mitre")
        parts = list(getattr(merged, "geoms", [merged]))
        tree = STRtree([p[0] for p in items])
        for part in parts:
            members = [items[m] for m in tree.query(part, predicate="intersects")]
            members = [
                m
                for m in members
                if shapely.area(shapely.intersection(m[0], part)) > AREA_TOLERANCE
            ]
            if not members:
                continue
            gaps = [m[1] for m in members]
            racks = sorted({r for m in members for r in m[2:]})
            result.append(Aisle(kind, min(gaps), max(gaps), part, tuple(racks)))
    result.sort(key=lambda s: (KINDS.index(s.kind), s.shape.bounds))
    return result
