"""standards.yaml: every entry cited, values as in reference/standards.md, read to SI."""

from __future__ import annotations

import copy
import math

import pytest
from ruamel.yaml import YAML

from rackval.catalog.standards import STANDARDS_FILE, load_standards, parse_standards
from rackval.errors import CatalogError

RAW = YAML(typ="safe", pure=True).load(STANDARDS_FILE.read_text(encoding="utf-8"))
S = load_standards()
K0 = 273.15


def _entries(node, where="standards"):
    """Every mapping that carries a value (it has a tag) with its location."""
    if isinstance(node, dict):
        if "tag" in node:
            yield where, node
        for key, value in node.items():
            yield from _entries(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _entries(value, f"{where}[{i}]")


ENTRIES = list(_entries(RAW))


@pytest.mark.parametrize(("where", "entry"), ENTRIES, ids=[w for w, _ in ENTRIES])
def test_every_entry_has_citation_and_tag(where, entry):
    assert isinstance(entry.get("citation"), str) and entry["citation"].strip()
    assert entry["tag"] in ("P", "S", "K", "C")
    if entry["tag"] == "K":
        assert entry.get("verify") is True, "[K] values must be marked verify: true"


def test_every_table_row_is_an_entry():
    tables = [
        RAW["ashrae_air"],
        RAW["water_classes"],
        RAW["electrical"]["outlets"],
        RAW["layout"]["clearances"],
        RAW["layout"]["working_space"],
    ]
    for table in tables:
        for row in table:
            assert "tag" in row and "citation" in row
    for name in ("continuous_load", "continuous_duration"):
        assert "citation" in RAW["electrical"][name]
    for name in ("coolant_flow", "condensation_margin"):
        assert "citation" in RAW["liquid"][name]


def test_loaded_entries_all_cited():
    labels = [label for label, _ in S.entries()]
    assert len(labels) == len(ENTRIES)
    for _, entry in S.entries():
        assert entry.citation and entry.tag in ("P", "S", "K", "C")


# EnergyPlus CalcZoneITEq() allowable table (ASHRAE 2011), standards.md §1 [P]
ALLOWABLE_2011 = {
    "A1": (15, 32, None, 17, 20, 80),
    "A2": (10, 35, None, 21, 20, 80),
    "A3": (5, 40, -12, 24, 8, 85),
    "A4": (5, 45, -12, 24, 8, 90),
    "B": (5, 35, None, 28, 8, 80),
    "C": (5, 40, None, 28, 8, 80),
}


@pytest.mark.parametrize(("name", "row"), sorted(ALLOWABLE_2011.items()))
def test_ashrae_2011_allowable(name, row):
    env = S.air(name)
    assert env.edition == "2011" and env.tag == "P"
    db_min, db_max, dp_min, dp_max, rh_min, rh_max = row
    assert env.dry_bulb.min == pytest.approx(db_min + K0)
    assert env.dry_bulb.max == pytest.approx(db_max + K0)
    assert env.dew_point.min == (None if dp_min is None else pytest.approx(dp_min + K0))
    assert env.dew_point.max == pytest.approx(dp_max + K0)
    assert env.relative_humidity.min == pytest.approx(rh_min / 100)
    assert env.relative_humidity.max == pytest.approx(rh_max / 100)


def test_ashrae_recommended_and_h1():
    for name in ("A1", "A2", "A3", "A4"):
        rec = S.air(name, "recommended")
        assert (rec.dry_bulb.min - K0, rec.dry_bulb.max - K0) == pytest.approx((18, 27))
        assert rec.tag == "S"
    h1 = S.air("H1")
    assert h1.edition == "2021" and h1.verify
    assert h1.dry_bulb.max - K0 == pytest.approx(25)
    assert S.air("H1", "recommended").dry_bulb.max - K0 == pytest.approx(22)
    assert S.air_classes() == ["A1", "A2", "A3", "A4", "B", "C", "H1"]


def test_ashrae_later_editions_are_separate_entries():
    a1_2015 = S.air("A1", "allowable", "2015")
    assert a1_2015.relative_humidity.min == pytest.approx(0.08)
    assert a1_2015.dry_bulb is None and a1_2015.verify
    assert S.air("A3", "recommended", "2021").relative_humidity.max == pytest.approx(0.70)
    assert S.air("A1", "allowable", "1999") is None


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("W1", 2, 17),
        ("W2", 2, 27),
        ("W3", 2, 32),
        ("W4", 2, 45),
        ("W5", 45, None),
        ("W17", None, 17),
        ("W27", None, 27),
        ("W32", None, 32),
        ("W40", None, 40),
        ("W45", None, 45),
        ("W+", 45, None),
    ],
)
def test_water_classes(name, low, high):
    w = S.water(name)
    assert w.supply.min == (None if low is None else pytest.approx(low + K0))
    assert w.supply.max == (None if high is None else pytest.approx(high + K0))


def test_nec_continuous_load_is_one_over_125_percent():
    assert S.continuous_load.fraction == pytest.approx(1 / 1.25)
    assert "210.20(A)" in S.continuous_load.citation
    assert S.continuous_duration.duration == 3 * 3600 and S.continuous_duration.verify


def test_outlet_ratings_are_marked_for_verification():
    c13, c19 = S.outlets["iec-60320-c13"], S.outlets["iec-60320-c19"]
    assert (c13.iec, c13.ul, c19.iec, c19.ul) == (10.0, 15.0, 16.0, 20.0)
    assert c13.verify and c19.verify and c13.tag == "K"


def test_ocp_flow_guideline():
    guide = S.coolant_flow
    per_kw_lpm = guide.flow_per_watt * 1000 * 60_000  # m³/(s·W) → L/min per kW
    assert per_kw_lpm == pytest.approx(1.5)
    assert guide.range_per_watt.min * 1000 * 60_000 == pytest.approx(1.25)
    assert guide.range_per_watt.max * 1000 * 60_000 == pytest.approx(2.0)
    assert guide.max_delta_t == 10.0 and guide.fluid == "PG25"


def test_clearances_and_working_space():
    assert S.clearances["front"].min == 1.0 and S.clearances["front"].preferred == 1.2
    assert S.clearances["rear"].min == 0.6 and S.clearances["front"].verify
    assert S.clearances["cold-aisle"].min == 1.2 and S.clearances["cold-aisle"].tag == "S"
    assert S.working_space[1].depth == (0.9, 1.0, 1.2)
    assert S.condensation_margin.margin == 2.0


def test_feed_capacity_table_of_standards_md():
    # standards.md §5: S = √3·V_LL·I and the 80 % continuous column
    for volts, amps, kva, kva80 in (
        (400, 32, 22.17, 17.74),
        (415, 32, 23.00, 18.40),
        (415, 60, 43.13, 34.50),
        (208, 60, 21.62, 17.29),
    ):
        s = math.sqrt(3) * volts * amps / 1000
        assert s == pytest.approx(kva, abs=0.01)
        assert s * S.continuous_load.fraction == pytest.approx(kva80, abs=0.01)


def test_missing_citation_is_refused():
    broken = copy.deepcopy(RAW)
    del broken["ashrae_air"][0]["citation"]
    with pytest.raises(CatalogError, match="no citation"):
        parse_standards(broken)
    broken = copy.deepcopy(RAW)
    broken["electrical"]["outlets"][0]["verify"] = False
    with pytest.raises(CatalogError, match="verify"):
        parse_standards(broken)


def test_load_standards_is_cached():
    assert load_standards() is load_standards()


def test_bend_radius_from_standards_md_section_8():
    b = S.bend_radius
    assert set(b) == {"twisted-pair", "copper-backbone", "fibre-cable", "fibre-cord"}
    assert b["twisted-pair"].od_multiple == 4.0
    assert b["copper-backbone"].od_multiple == 10.0
    fibre = b["fibre-cable"]
    assert (fibre.od_multiple, fibre.od_multiple_under_tension) == (10.0, 20.0)
    assert fibre.min_radius == pytest.approx(0.030)
    assert fibre.radius(0.002) == pytest.approx(0.030)  # 10 × 2 mm = 20 mm, floor 30 mm
    assert fibre.radius(0.005, under_tension=True) == pytest.approx(0.100)
    assert b["fibre-cord"].radius(0.003) == pytest.approx(0.025)
    assert b["twisted-pair"].radius(0.00635) == pytest.approx(0.0254)  # Cat 6A ≈ 1/4 in → 1 in
    assert all(entry.tag == "S" for entry in b.values())


def test_no_slack_length_is_invented():
    # no source gives a cable slack / service-loop length: the file carries none
    assert set(RAW["cabling"]) == {"bend_radius"}


def test_bend_radius_needs_a_figure():
    bad = copy.deepcopy(RAW)
    bad["cabling"]["bend_radius"][0].pop("od_multiple")
    with pytest.raises(CatalogError, match="od_multiple or min_radius"):
        parse_standards(bad)
    bad = copy.deepcopy(RAW)
    bad["cabling"]["bend_radius"][0]["od_multiple"] = "4 x"
    with pytest.raises(CatalogError, match="positive number"):
        parse_standards(bad)
