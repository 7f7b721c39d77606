"""Plan geometry of the hall: polygons, rack footprints, facing directions.

Coordinates are metres in the hall's plan (x east, y north). A rack's ``position``
is the centre of its front face; ``facing`` is the direction its front looks at,
so the footprint extends ``depth`` behind the front face and ``width`` across it.
"""

from __future__ import annotations

from collections.abc import Sequence

from shapely import Polygon
from shapely.validation import explain_validity

__all__ = ["FACING", "polygon", "polygon_problem", "footprint"]

FACING: dict[str, tuple[float, float]] = {
    "north": (0.0, 1.0),
    "east": (1.0, 0.0),
    "south": (0.0, -1.0),
    "west": (-1.0, 0.0),
}
"""Unit vector of the direction a rack front faces."""


def polygon(points: Sequence[tuple[float, float]]) -> Polygon:
    """A shapely polygon from plan points [m] (closed implicitly)."""
    return Polygon(points)


def polygon_problem(points: Sequence[tuple[float, float]]) -> str | None:
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
