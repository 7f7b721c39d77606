"""Plan geometry against hand calculations (tests/layout).

Racks are 0.600 m wide × 1.200 m deep unless stated; a position is the centre of the
front face, and the footprint extends the depth behind it (docs/layout.md).
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest
import shapely

from rackval.layout import geometry as g

W, D = 0.6, 1.2

# rack at (2, 3): corners counter-clockwise from the front face's ends (hand-derived:
# front at the position, back face D behind it, W/2 to either side)
CORNERS = {
    "north": [(2.3, 3.0), (1.7, 3.0), (1.7, 1.8), (2.3, 1.8)],
    "south": [(1.7, 3.0), (2.3, 3.0), (2.3, 4.2), (1.7, 4.2)],
    "east": [(2.0, 2.7), (2.0, 3.3), (0.8, 3.3), (0.8, 2.7)],
    "west": [(2.0, 3.3), (2.0, 2.7), (3.2, 2.7), (3.2, 3.3)],
}
# (xmin, ymin, xmax, ymax) of the 1.0 m front and 0.6 m rear zone of that rack
FRONT = {
    "north": (1.7, 3.0, 2.3, 4.0),
    "south": (1.7, 2.0, 2.3, 3.0),
    "east": (2.0, 2.7, 3.0, 3.3),
    "west": (1.0, 2.7, 2.0, 3.3),
}
REAR = {
    "north": (1.7, 1.2, 2.3, 1.8),
    "south": (1.7, 4.2, 2.3, 4.8),
    "east": (0.2, 2.7, 0.8, 3.3),
    "west": (3.2, 2.7, 3.8, 3.3),
}


def close(a, b):
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), atol=1e-12)


def test_doctests():
    result = doctest.testmod(g)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("facing", sorted(CORNERS))
def test_footprint_corners(facing):
    shape = g.footprint(2.0, 3.0, facing, W, D)
    assert close(shape.exterior.coords[:-1], CORNERS[facing])
    assert shape.exterior.is_ccw
    assert shape.area == pytest.approx(W * D)


@pytest.mark.parametrize("facing", sorted(CORNERS))
def test_footprints_vectorized_match_single(facing):
    shapes = g.footprints([2.0], [3.0], [facing], [W], [D])
    assert shapes[0].equals(g.footprint(2.0, 3.0, facing, W, D))


@pytest.mark.parametrize("facing", sorted(CORNERS))
def test_clearance_zones(facing):
    front = g.zones([2.0], [3.0], [facing], [W], [D], "front", 1.0)[0]
    rear = g.zones([2.0], [3.0], [facing], [W], [D], "rear", 0.6)[0]
    assert close(front.bounds, FRONT[facing])
    assert close(rear.bounds, REAR[facing])
    body = g.footprint(2.0, 3.0, facing, W, D)
    # the zones touch the footprint along a whole face and share no area with it
    assert front.intersection(body).length == pytest.approx(W)
    assert rear.intersection(body).length == pytest.approx(W)
    assert front.intersection(body).area == 0.0


def test_zone_side_is_checked():
    with pytest.raises(ValueError, match="front"):
        g.zones([0.0], [0.0], ["north"], [W], [D], "left", 1.0)


def _rotate(x, y, facing, outline, turns):
    """The same plan turned by 90° steps counter-clockwise about the origin."""
    order = ["north", "west", "south", "east"]  # counter-clockwise
    for _ in range(turns):
        x, y = [-v for v in y], list(x)
        facing = [order[(order.index(f) + 1) % 4] for f in facing]
        outline = [(-py, px) for px, py in outline]
    return x, y, facing, outline


# Three rows in a 12 m × 8 m hall:
#   a01 faces north, front at y = 2.00: rear at 0.80 (0.80 m to the south wall)
#   b01 faces south, front at y = 3.35: 1.35 m cold aisle with a01; rear at 4.55
#   c01 faces north, front at y = 6.75: rear at 5.55, 1.00 m hot aisle with b01;
#       1.25 m to the north wall
ROWS = ([1.0, 1.0, 1.0], [2.0, 3.35, 6.75], ["north", "south", "north"])
HALL = [(0.0, 0.0), (12.0, 0.0), (12.0, 8.0), (0.0, 8.0)]


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_aisle_widths_and_kinds(turns):
    x, y, facing, outline = _rotate(*ROWS, HALL, turns)
    args = (x, y, facing, [W] * 3, [D] * 3)
    reach = 20.0
    wall = {s: g.wall_gaps(*args, s, reach, outline) for s in ("front", "rear")}
    assert close(wall["front"], [6.0, 3.35, 1.25])
    assert close(wall["rear"], [0.8, 3.45, 5.55])
    front = g.across(*args, "front", np.minimum(wall["front"], reach))
    rear = g.across(*args, "rear", np.minimum(wall["rear"], reach))
    assert list(front.other) == [1, 0, -1]
    assert close(front.gap[:2], [1.35, 1.35]) and front.gap[2] == np.inf
    assert list(front.kind) == ["cold", "cold", ""]
    assert list(rear.other) == [-1, 2, 1]
    assert close(rear.gap[1:], [1.0, 1.0])
    assert list(rear.kind) == ["", "hot", "hot"]
    found = g.aisles(*args, [front, rear])
    assert [(a.kind, round(a.width, 9), a.racks) for a in found] == [
        ("cold", 1.35, (0, 1)),
        ("hot", 1.0, (1, 2)),
    ]
    assert found[0].shape.area == pytest.approx(W * 1.35)
    assert found[1].shape.area == pytest.approx(W * 1.0)


def test_exhaust_into_inlet_seen_from_both_racks():
    # both face east; r0: front x = 5.0, rear x = 3.8; r1: front x = 3.0 -> 0.8 m
    # from r1's inlet to r0's exhaust
    args = ([5.0, 3.0], [1.0, 1.0], ["east", "east"], [W, W], [D, D])
    front = g.across(*args, "front", 10.0)
    rear = g.across(*args, "rear", 10.0)
    assert list(front.other) == [-1, 0] and front.kind[1] == "exhaust-into-inlet"
    assert list(rear.other) == [1, -1] and rear.kind[0] == "exhaust-into-inlet"
    assert front.gap[1] == pytest.approx(0.8) and rear.gap[0] == pytest.approx(0.8)


def test_side_kind_and_partial_cover():
    # r0 faces north at (0, 0): strip x -0.3..0.3; r1 faces east, footprint x -0.9..0.3
    # y 1.7..2.3: covers the whole strip 1.7 m ahead, showing its side
    # r2 faces south at (0.5, 1.0): footprint x 0.2..0.8 covers 0.1 m of the strip, 1.0 m ahead
    args = ([0.0, 0.3, 0.5], [0.0, 2.0, 1.0], ["north", "east", "south"], [W] * 3, [D] * 3)
    front = g.across(*args, "front", 10.0)
    assert front.other[0] == 2 and front.gap[0] == pytest.approx(1.0)
    assert front.kind[0] == "cold"
    assert (front.t_lo[0], front.t_hi[0]) == pytest.approx((0.2, 0.3))  # across = +x for north
    alone = g.across(*([v[:2] for v in args]), "front", 10.0)
    assert alone.other[0] == 1 and alone.kind[0] == "side" and alone.gap[0] == pytest.approx(1.7)


def test_reach_limits_the_search():
    args = ([0.0, 0.0], [0.0, 2.2], ["north", "south"], [W, W], [D, D])
    assert g.across(*args, "front", 2.3).other[0] == 1
    assert g.across(*args, "front", 2.1).other[0] == -1
    assert g.across(*args, "front", [2.1, 2.3]).other.tolist() == [-1, 0]


def test_overlaps_touching_is_not_overlap():
    shapes = g.footprints([1.0, 1.6, 1.9], [2.0] * 3, ["north"] * 3, [W] * 3, [D] * 3)
    i, j, area = g.overlaps(shapes)
    # 1 and 2 share x 1.6..1.9 (0.3 m × 1.2 m); 0 and 1 only touch at x = 1.3
    assert i.tolist() == [1] and j.tolist() == [2]
    assert area == pytest.approx([0.36])


def test_area_outside_and_obstacles():
    shapes = g.footprints(
        [11.8, 6.2, 3.0], [2.0, 4.2, 3.0], ["north", "south", "east"], [W] * 3, [D] * 3
    )
    outside = g.area_outside(shapes, HALL)
    assert outside == pytest.approx([0.1 * 1.2, 0.0, 0.0])
    column = [(6.0, 4.0), (6.5, 4.0), (6.5, 4.5), (6.0, 4.5)]
    i, k, area = g.obstacle_overlaps(shapes, [column])
    assert i.tolist() == [1] and k.tolist() == [0]
    assert area == pytest.approx([0.5 * 0.3])  # x 6.0–6.5 × y 4.2–4.5


def test_obstacle_gaps():
    column = [(6.0, 4.0), (6.5, 4.0), (6.5, 4.5), (6.0, 4.5)]
    # faces west with front at x = 7.0: the column's east side is 0.5 m ahead
    args = ([7.0, 7.0], [4.25, 1.0], ["west", "west"], [W, W], [D, D])
    gap, which = g.obstacle_gaps(*args, "front", 10.0, [column])
    assert gap[0] == pytest.approx(0.5) and which.tolist() == [0, -1] and gap[1] == np.inf
    gap, which = g.obstacle_gaps(*args, "rear", 10.0, [column])
    assert which.tolist() == [-1, -1]


def test_wall_gap_in_an_l_shaped_hall():
    # the hall lacks x 6–12, y 5–8: a rack facing north at x = 8 sees the wall at y = 5
    hall = [(0, 0), (12, 0), (12, 5), (6, 5), (6, 8), (0, 8)]
    gaps = g.wall_gaps(
        [8.0, 3.0], [2.0, 2.0], ["north", "north"], [W, W], [D, D], "front", 20.0, hall
    )
    assert gaps == pytest.approx([3.0, 6.0])


def test_no_racks():
    empty: list[float] = []
    shapes = g.footprints(empty, empty, [], empty, empty)
    assert len(shapes) == 0
    assert len(g.overlaps(shapes)[0]) == 0
    found = g.across(empty, empty, [], empty, empty, "front", 5.0)
    assert len(found.other) == 0
    assert g.aisles(empty, empty, [], empty, empty, [found]) == []


@pytest.mark.parametrize(
    ("points", "words"),
    [
        ([(0, 0), (4, 4), (4, 0), (0, 4)], "crosses itself"),
        ([(0, 0), (1, 1), (2, 2)], "no area"),
        ([(0, 0), (1, 0)], "at least 3 points"),
    ],
)
def test_polygon_problems(points, words):
    assert words in g.polygon_problem(points)


def test_good_polygon_has_no_problem():
    assert g.polygon_problem(HALL) is None
    assert shapely.area(g.polygon(HALL)) == 96.0


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_beside_finds_touching_racks_of_a_row(turns):
    # footprints x 0.7–1.3, 1.3–1.9 (turned round: y 0.8–2.0 as well), 1.9–2.5 touch;
    # the fourth stands 1 cm further (x 2.51–3.11): not beside; the fifth faces east
    # with its side on the first rack's rear face, not in the row
    x = [1.0, 1.6, 2.2, 2.81, 1.0]
    y = [2.0, 0.8, 2.0, 2.0, 0.5]
    facing = ["north", "south", "north", "north", "east"]
    outline = [(-20.0, -20.0), (20.0, -20.0), (20.0, 20.0), (-20.0, 20.0)]
    x, y, facing, _ = _rotate(x, y, facing, outline, turns)
    i, j = g.beside(x, y, facing, [W] * 5, [D] * 5)
    assert sorted(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 1), (1, 0), (1, 2), (2, 1)]


def test_an_overlapping_rack_hides_what_is_behind_it():
    # r0 faces east, front x = 2.0; r1 faces west, front x = 3.2 (cold aisle 1.2 m);
    # r2 faces east with its rear at x = 4.2, overlapping r1 (x 3.2–4.4) by 0.2 m:
    # from r2's rear, r1 is the nearest (gap 0), not r0 behind it
    args = ([2.0, 3.2, 5.4], [2.0, 2.0, 2.0], ["east", "west", "east"], [W] * 3, [D] * 3)
    rear = g.across(*args, "rear", 10.0)
    assert rear.other[2] == 1 and rear.gap[2] == 0.0
    front = g.across(*args, "front", 10.0)
    assert front.other[0] == 1 and front.gap[0] == pytest.approx(1.2)
