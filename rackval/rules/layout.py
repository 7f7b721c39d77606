"""Layout rules: footprints, hall, clearances and aisles (RV-LAY-001…004).

They look at racks with a ``position`` in a design with a ``site.hall``; the geometry
comes from :func:`rackval.layout.plan.hall_layout` (computed once per design).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from ..design.model import Design, Rack
from ..solve.solution import Solution
from .base import Finding, Need, rule

if TYPE_CHECKING:
    from ..layout.plan import Layout

SIDES = ("front", "rear")


def hall_layout(design: Design) -> Layout | None:
    """The design's layout; shapely is imported only for a design with a hall."""
    if design.site.hall is None:
        return None
    from ..layout.plan import hall_layout as build

    return build(design)


__all__ = ["rack_overlap", "outside_hall", "clearance", "aisle_orientation"]


def _has_hall(design: Design) -> bool:
    return design.site.hall is not None


def _placed(rack: Rack) -> bool:
    return rack.placed


FOOTPRINT = [
    Need("rack", "rack.outer_width", when=_placed),
    Need("rack", "rack.outer_depth", when=_placed),
]
"""What every layout rule needs: a placed rack's outer width and depth."""


def _at(
    rack: Rack,
    message: str,
    *,
    value: float | None,
    limit: float | None,
    severity: str | None = None,
) -> Finding:
    """A finding on a rack, located at its ``position`` when it has one."""
    found = Finding.at(rack, message, value=value, limit=limit, severity=severity)
    return dataclasses.replace(found, location=rack.position_where or rack.where)


def _m(length: float) -> str:
    return f"{length:.2f} m"


@rule("RV-LAY-001", "rack-overlap", per_scenario=False, needs=FOOTPRINT, relevant=_has_hall)
def rack_overlap(design: Design, solution: Solution) -> Iterator[Finding]:
    """Two rack footprints overlap.

    What it checks: the floor footprint of every placed rack (its front-face centre
    ``position``, ``facing``, and the rack part's outer width × depth) against every
    other; a shared area above 1 mm² is an overlap, touching sides are not.
    Reported once per pair, on the rack listed later.
    Why it matters: two racks cannot stand on the same floor; the plan is wrong, and
    every aisle, clearance and cable length derived from it is wrong too.
    Limit: geometry only: ``rack.outer_width`` and ``rack.outer_depth`` of the rack
    parts (catalog, cited).
    Fails: two 0.6 m × 1.2 m racks facing north with front faces at x = 1.0 m and
    x = 1.3 m (0.3 m × 1.2 m shared).
    Passes: the same racks at x = 1.0 m and x = 1.6 m, side by side in a row.
    """
    lay = hall_layout(design)
    if lay is None:
        return
    for i, j, area in zip(*lay.overlaps, strict=True):
        shared = lay.footprints[i].intersection(lay.footprints[j])
        minx, miny, maxx, maxy = shared.bounds
        yield _at(
            lay.racks[j],
            f"footprint overlaps rack {lay.racks[i].id}'s by {_m(maxx - minx)} × "
            f"{_m(maxy - miny)} ({area:.2f} m²)",
            value=float(area),
            limit=0.0,
        )


@rule("RV-LAY-002", "outside-hall", per_scenario=False, needs=FOOTPRINT, relevant=_has_hall)
def outside_hall(design: Design, solution: Solution) -> Iterator[Finding]:
    """A rack stands partly outside the hall or on an obstacle.

    What it checks: the footprint of every placed rack against the hall outline
    (``site.hall.outline``) and every obstacle (``site.hall.obstacles``, e.g. columns);
    more than 1 mm² outside the outline or shared with an obstacle fails. A rack
    entirely outside the hall is not a finding but an error in the design (most
    likely a position in the wrong unit).
    Why it matters: the rack cannot be placed where it is drawn: it runs into a wall
    or a column, and the row has to move.
    Limit: geometry only: the hall outline and obstacles (design) and the rack part's
    outer width and depth (catalog).
    Fails: a 0.6 m × 1.2 m rack facing north at x = 11.8 m in a hall 12 m wide
    (0.1 m × 1.2 m outside); a rack on a 0.5 m × 0.5 m column.
    Passes: the same rack at x = 11.7 m (its side on the wall).
    """
    lay = hall_layout(design)
    if lay is None:
        return
    from shapely import Point

    from ..layout.geometry import polygon

    hall = polygon(lay.hall.outline)
    for i in np.flatnonzero(lay.outside > 0.0):
        shape = lay.footprints[i]
        beyond = max(hall.distance(Point(c)) for c in shape.exterior.coords)
        yield _at(
            lay.racks[i],
            f"{lay.outside[i]:.2f} m² of its {shape.area:.2f} m² footprint lies outside the hall "
            f"outline (a corner {_m(beyond)} beyond the wall)",
            value=float(lay.outside[i]),
            limit=0.0,
        )
    for i, k, shared in zip(*lay.on_obstacles, strict=True):
        obstacle = lay.hall.obstacles[k]
        yield _at(
            lay.racks[i],
            f"stands on obstacle {obstacle.id}: {shared:.2f} m² of its footprint",
            value=float(shared),
            limit=0.0,
        )


def _blocker(
    lay: Layout, i: int, side: str, overlapping: set[tuple[int, int]]
) -> tuple[float, str] | None:
    """The nearest thing on one side of rack ``i``: (gap [m], what it is).

    A rack overlapping ``i`` is RV-LAY-001's, not a blocked clearance.
    """
    options: list[tuple[float, str]] = []
    found = lay.across[side]
    if found.other[i] >= 0 and (i, int(found.other[i])) not in overlapping:
        options.append((float(found.gap[i]), f"rack {lay.racks[found.other[i]].id}"))
    if np.isfinite(lay.wall[side][i]):
        options.append((float(lay.wall[side][i]), "the hall wall"))
    gap, k = lay.obstacle[side]
    if k[i] >= 0:
        options.append((float(gap[i]), f"obstacle {lay.hall.obstacles[k[i]].id}"))
    return min(options, default=None)


@rule("RV-LAY-003", "clearance", per_scenario=False, needs=FOOTPRINT, relevant=_has_hall)
def clearance(design: Design, solution: Solution) -> Iterator[Finding]:
    """A rack's service clearance is blocked, or a cold aisle is too narrow.

    What it checks: the floor in front of every placed rack, as wide as the rack and
    as deep as the front service clearance, and behind it as deep as the rear
    clearance, must be free of other racks, obstacles and the hall wall (one finding
    per rack side, naming the nearest). Between two rows whose fronts face each other
    (a cold aisle, found from the racks' facings), the free width must be at least the
    cold-aisle width (warning; once per pair of racks). Racks that RV-LAY-002 reports
    (partly outside the hall or on an obstacle) are left to it.
    Why it matters: servers slide out of the front and PDUs, cables and rear doors are
    worked on from the rear; without the space, nothing can be installed or replaced
    once the row stands. A narrow cold aisle also starves the inlets of cold air.
    Limit: front 1.0 m and rear 0.6 m (TIA-942 rack clearances, well known but not
    retrieved, marked verify), cold aisle 1.2 m (ANSI/TIA-942-A, two 0.6 m tiles);
    ``layout.clearances`` in catalog/standards.yaml with their citations. Hot aisles
    have no cited minimum, only the rear clearance.
    Fails: two rows facing each other with 0.8 m between their fronts (both front
    clearances); the same rows 1.1 m apart (a cold aisle < 1.2 m, warning); a rack
    whose rear is 0.4 m from the wall.
    Passes: two rows 1.2 m apart front to front with 0.6 m behind each.
    """
    lay = hall_layout(design)
    if lay is None:
        return
    from ..layout.geometry import LENGTH_TOLERANCE
    from ..layout.plan import clearances

    limits = clearances()
    misplaced = lay.misplaced
    overlapping = lay.overlapping
    blocked: dict[str, np.ndarray] = {}
    for side in SIDES:
        need = limits[side].min
        blocked[side] = np.zeros(len(lay.racks), dtype=bool)
        where = "in front" if side == "front" else "behind"
        for i in np.flatnonzero(~misplaced):
            near = _blocker(lay, i, side, overlapping)
            if near is None or near[0] >= need - LENGTH_TOLERANCE:
                continue
            blocked[side][i] = True
            gap, what = near
            yield _at(
                lay.racks[i],
                f"{side} service clearance blocked: {what} is {_m(gap)} {where} "
                f"< {_m(need)} {side} clearance",
                value=gap,
                limit=need,
            )
    aisle = limits["cold-aisle"].min
    front = lay.across["front"]
    seen: set[tuple[int, int]] = set()
    for i in np.flatnonzero((front.kind == "cold") & ~misplaced):
        j = int(front.other[i])
        pair = (min(i, j), max(i, j))
        if pair in seen or pair in overlapping or misplaced[j]:
            continue
        if blocked["front"][i] or blocked["front"][j]:  # already reported as clearance
            continue
        seen.add(pair)
        gap = float(front.gap[i])
        if gap < aisle - LENGTH_TOLERANCE:
            first, second = lay.racks[pair[0]], lay.racks[pair[1]]
            yield _at(
                first,
                f"cold aisle between {first.id} and {second.id} is {_m(gap)} wide "
                f"< {_m(aisle)} cold-aisle width",
                value=gap,
                limit=aisle,
                severity="warning",
            )


OPPOSITE = {"north": "south", "south": "north", "east": "west", "west": "east"}


def _turned_round(lay: Layout) -> dict[int, list[int]]:
    """Racks facing against their row, with the racks beside them.

    A row is a chain of racks standing side by side. A rack is turned round when it
    faces against most of its row; in a row split evenly, when every rack beside it
    faces the other way (so both racks of a row of two facing apart).
    """
    near: dict[int, list[int]] = {}
    for i, j in zip(*lay.beside, strict=True):
        near.setdefault(int(i), []).append(int(j))
    row = list(range(len(lay.racks)))  # union-find: rows as connected components

    def root(k: int) -> int:
        while row[k] != k:
            row[k] = row[row[k]]
            k = row[k]
        return k

    for i, others in near.items():
        for j in others:
            row[root(i)] = root(j)
    votes: dict[int, dict[str, int]] = {}
    for i in near:
        count = votes.setdefault(root(i), {})
        count[lay.facing[i]] = count.get(lay.facing[i], 0) + 1
    out: dict[int, list[int]] = {}
    for i, others in sorted(near.items()):
        mine = votes[root(i)].get(lay.facing[i], 0)
        theirs = votes[root(i)].get(OPPOSITE[lay.facing[i]], 0)
        alone = all(lay.facing[j] == OPPOSITE[lay.facing[i]] for j in others)
        if mine < theirs or (mine == theirs and alone):
            out[i] = others
    return out


@rule(
    "RV-LAY-004",
    "aisle-orientation",
    severity="warning",
    per_scenario=False,
    needs=FOOTPRINT,
    relevant=_has_hall,
)
def aisle_orientation(design: Design, solution: Solution) -> Iterator[Finding]:
    """A rack's front faces another rack's rear: hot exhaust into a cold aisle.

    What it checks: for every placed rack, the nearest rack in front of it (in the
    strip as wide as the rack, up to the hall wall): when that rack shows its rear,
    the aisle between them takes exhaust on one side and feeds inlets on the other
    (one finding per pair, on the rack whose inlet faces the exhaust). And a rack
    turned round in its row (racks standing side by side, footprints touching): it
    faces against most of its row, or, in a row split evenly, against every rack
    beside it (in a row of two facing apart, both), so its rear blows into the aisle
    the row's fronts draw from. One finding per rack. With
    ``site.air.containment`` (``hot-aisle`` or ``cold-aisle``) the finding names the
    contained aisle that is wrong and is an error: the design contradicts itself.
    Why it matters: hot/cold aisle separation is what keeps inlet temperatures at
    the supply temperature; a row facing another row's rear breathes its exhaust,
    and a contained aisle with an inlet (or exhaust) in it defeats the containment.
    Limit: facing rules only (front-to-front = cold aisle, back-to-back = hot
    aisle); no figure.
    Fails: two rows both facing north one behind the other (the rear row's fronts
    face the front row's rears); one rack facing south in a row facing north.
    Passes: the rear row turned to face south: its fronts and the front row's fronts
    share a cold aisle.
    """
    lay = hall_layout(design)
    if lay is None:
        return
    air = design.site.air
    containment = air.containment if air is not None else "none"
    overlapping = lay.overlapping  # RV-LAY-001's
    pairs: dict[tuple[int, int], float] = {}  # (inlet rack, exhaust rack) -> gap
    for side in SIDES:
        found = lay.across[side]
        for i in np.flatnonzero(found.kind == "exhaust-into-inlet"):
            j = int(found.other[i])
            key = (int(i), j) if side == "front" else (j, int(i))
            if key not in overlapping:
                pairs.setdefault(key, float(found.gap[i]))
    reasons: dict[int, list[str]] = {}
    gaps: dict[int, float] = {}
    for (i, j), gap in sorted(pairs.items()):
        inlet, exhaust = lay.racks[i].id, lay.racks[j].id
        text = (
            f"front of {inlet} faces the rear of {exhaust} across {_m(gap)}: "
            f"{exhaust}'s hot exhaust blows into {inlet}'s inlet"
        )
        if containment == "hot-aisle":
            text += f"; the contained hot aisle behind {exhaust} has {inlet}'s inlet in it"
        elif containment == "cold-aisle":
            text += f"; the contained cold aisle in front of {inlet} takes {exhaust}'s exhaust"
        reasons.setdefault(i, []).append(text)
        gaps.setdefault(i, gap)
    for i, others in _turned_round(lay).items():
        rack = lay.racks[i].id
        names = " and ".join(lay.racks[j].id for j in others)
        text = (
            f"{rack} faces {lay.facing[i]} but its row ({names} beside it) faces "
            f"{OPPOSITE[lay.facing[i]]}: {rack}'s exhaust blows into the aisle their inlets "
            "draw from"
        )
        if containment == "hot-aisle":
            text += f"; the contained hot aisle behind {names} has {rack}'s inlet in it"
        elif containment == "cold-aisle":
            text += f"; the contained cold aisle in front of {names} takes {rack}'s exhaust"
        reasons.setdefault(i, []).append(text)
    for i in sorted(reasons):
        yield _at(
            lay.racks[i],
            "; ".join(reasons[i]),
            value=gaps.get(i),
            limit=None,
            severity="error" if containment in ("hot-aisle", "cold-aisle") else None,
        )
