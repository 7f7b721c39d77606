"""Coolant tables: the rows of shared/reference/fluids.md, CoolProp off the grid, names."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from rackval.physics import coolant
from rackval.physics.coolant import (
    TABLE_FILE,
    canonical_name,
    coolant_properties,
    fluids,
    freezing_point,
    temperature_range,
)

ROOT = Path(__file__).resolve().parents[2]
K = 273.15

# shared/reference/fluids.md (CoolProp 8.0.0, 200 kPa), copied row by row:
# (fluid, T °C, ρ kg/m³, c_p J/(kg·K), μ mPa·s, k W/(m·K))
FLUIDS_MD_ROWS = [
    ("water", 20, 998.25, 4183.7, 1.002, 0.5981),
    ("water", 25, 997.09, 4181.0, 0.890, 0.6066),
    ("water", 30, 995.69, 4179.6, 0.797, 0.6144),
    ("water", 35, 994.08, 4179.0, 0.719, 0.6218),
    ("water", 40, 992.26, 4179.2, 0.653, 0.6285),
    ("water", 45, 990.26, 4179.9, 0.596, 0.6348),
    ("water", 50, 988.08, 4181.1, 0.547, 0.6407),
    ("PG25", 20, 1019.28, 3920.5, 2.445, 0.4679),
    ("PG25", 25, 1017.17, 3932.6, 2.071, 0.4724),
    ("PG25", 30, 1014.90, 3944.6, 1.776, 0.4769),
    ("PG25", 35, 1012.48, 3956.7, 1.542, 0.4814),
    ("PG25", 40, 1009.91, 3968.6, 1.353, 0.4858),
    ("PG25", 45, 1007.21, 3980.6, 1.199, 0.4903),
    ("PG25", 50, 1004.38, 3992.4, 1.073, 0.4946),
    ("PG30", 20, 1023.78, 3857.0, 2.965, 0.4444),
    ("PG30", 30, 1018.89, 3883.9, 2.104, 0.4525),
    ("PG30", 40, 1013.43, 3910.4, 1.573, 0.4606),
    ("PG30", 50, 1007.49, 3936.6, 1.229, 0.4686),
    ("EG25", 20, 1031.05, 3810.7, 1.899, 0.4859),
    ("EG25", 30, 1027.10, 3834.3, 1.447, 0.4959),
    ("EG25", 40, 1022.55, 3857.4, 1.141, 0.5056),
    ("EG25", 50, 1017.43, 3880.1, 0.929, 0.5149),
    ("EG30", 20, 1038.05, 3718.3, 2.166, 0.4649),
    ("EG30", 30, 1033.70, 3747.2, 1.639, 0.4741),
    ("EG30", 40, 1028.80, 3775.4, 1.286, 0.4830),
    ("EG30", 50, 1023.38, 3802.5, 1.041, 0.4917),
]

# fluids.md section headings: freezing point °C
FLUIDS_MD_FREEZING = {"water": 0.0, "PG25": -9.79, "PG30": -12.79, "EG25": -10.97, "EG30": -14.58}

COOLPROP_NAMES = {
    "water": "Water",
    "PG25": "INCOMP::MPG[0.25]",
    "PG30": "INCOMP::MPG[0.30]",
    "EG25": "INCOMP::MEG[0.25]",
    "EG30": "INCOMP::MEG[0.30]",
}
OFF_GRID_C = [0.3, 7.3, 17.77, 22.5, 35.71, 44.49, 58.9, 66.05, 79.5]


def _close_to_printed(value: float, printed: float, decimals: int) -> bool:
    """``value`` rounds to ``printed`` at ``decimals`` (half a unit, plus float slack)."""
    return abs(value - printed) <= 0.5 * 10.0**-decimals + 1e-9


@pytest.mark.parametrize("row", FLUIDS_MD_ROWS, ids=lambda r: f"{r[0]}-{r[1]}C")
def test_table_matches_fluids_md(row):
    fluid, t_c, rho, cp, mu_mpas, k = row
    p = coolant_properties(fluid, t_c + K)
    assert _close_to_printed(p.density, rho, 2)
    assert _close_to_printed(p.heat_capacity, cp, 1)
    assert _close_to_printed(p.viscosity * 1e3, mu_mpas, 3)
    assert _close_to_printed(p.conductivity, k, 4)


@pytest.mark.parametrize("fluid", list(FLUIDS_MD_FREEZING))
def test_freezing_point_matches_fluids_md(fluid):
    assert _close_to_printed(freezing_point(fluid) - K, FLUIDS_MD_FREEZING[fluid], 2)


def test_pg25_at_35c_headline_values():
    # fluids.md PG25 row at 35 °C: ρ 1012.48, c_p 3956.7, ρ·c_p 4.0060 MJ/(m³·K), Pr 12.67
    p = coolant_properties("PG25", 35 + K)
    assert round(p.density, 2) == 1012.48
    assert round(p.heat_capacity, 1) == 3956.7
    assert round(p.volumetric_heat_capacity / 1e6, 4) == 4.0060
    assert round(p.prandtl, 2) == 12.67
    assert round(p.kinematic_viscosity * 1e6, 3) == 1.523


@pytest.mark.parametrize("fluid", list(COOLPROP_NAMES))
@pytest.mark.parametrize("t_c", OFF_GRID_C)
def test_table_matches_coolprop_off_grid(fluid, t_c):
    cp_mod = pytest.importorskip("CoolProp.CoolProp")
    p = coolant_properties(fluid, t_c + K)
    name = COOLPROP_NAMES[fluid]
    for attr, key in (
        ("density", "D"),
        ("heat_capacity", "C"),
        ("viscosity", "V"),
        ("conductivity", "L"),
    ):
        exact = cp_mod.PropsSI(key, "T", t_c + K, "P", 2e5, name)
        assert getattr(p, attr) == pytest.approx(exact, rel=1e-3), (fluid, t_c, attr)
        # the documented bound: 1e-4 for viscosity (log-linear), 1e-5 otherwise
        assert getattr(p, attr) == pytest.approx(exact, rel=1.2e-4), (fluid, t_c, attr)


def test_recorded_interpolation_error_is_small():
    table = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    for name, entry in table["fluids"].items():
        errors = entry["max_interpolation_error"]
        assert errors["viscosity"] <= 1.2e-4, name
        for prop in ("density", "heat_capacity", "conductivity"):
            assert errors[prop] <= 2e-5, (name, prop)


def test_table_header_records_coolprop_and_calls():
    table = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    assert table["source"]["coolprop_version"] == "8.0.0"
    assert any("PropsSI" in call for call in table["source"]["calls"])
    assert table["pressure"] == 2e5
    assert [e["coolprop"] for e in table["fluids"].values()] == list(COOLPROP_NAMES.values())


def _generator():
    path = ROOT / "tools" / "gen_coolant_tables.py"
    spec = importlib.util.spec_from_file_location("gen_coolant_tables", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_shipped_table_is_current():
    """Regenerate with CoolProp and compare (DESIGN §6)."""
    coolprop = pytest.importorskip("CoolProp")
    gen = _generator()
    shipped = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    if coolprop.__version__ != shipped["source"]["coolprop_version"]:
        pytest.skip(f"table made with CoolProp {shipped['source']['coolprop_version']}")
    fresh = gen.build_table()
    assert gen.dumps(fresh) == TABLE_FILE.read_text(encoding="utf-8"), (
        "run: python tools/gen_coolant_tables.py"
    )


def test_linear_between_rows():
    # Halfway between two rows: the mean (ρ, c_p, k) and the geometric mean (μ).
    lo, hi = coolant_properties("EG30", 300.15), coolant_properties("EG30", 301.15)
    mid = coolant_properties("EG30", 300.65)
    assert mid.density == pytest.approx((lo.density + hi.density) / 2, rel=1e-14)
    assert mid.heat_capacity == pytest.approx((lo.heat_capacity + hi.heat_capacity) / 2)
    assert mid.conductivity == pytest.approx((lo.conductivity + hi.conductivity) / 2)
    assert mid.viscosity == pytest.approx(math.sqrt(lo.viscosity * hi.viscosity), rel=1e-14)


def test_ends_of_the_table_are_exact():
    table = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    low, high = temperature_range()
    assert (low, high) == (273.15, 353.15)
    assert coolant_properties("water", low).density == table["fluids"]["water"]["density"][0]
    assert coolant_properties("water", high).density == table["fluids"]["water"]["density"][-1]


@pytest.mark.parametrize("t", [273.14, 353.16, 400.0, -1.0, float("nan"), float("inf")])
def test_out_of_range_names_the_range(t):
    with pytest.raises(ValueError, match=r"273\.15–353\.15 K \(0\.00–80\.00 °C\)"):
        coolant_properties("PG25", t)


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("water", "water"),
        ("WATER", "water"),
        ("H2O", "water"),
        ("Water", "water"),
        ("pg25", "PG25"),
        ("PG-25", "PG25"),
        ("pg 25%", "PG25"),
        ("Propylene Glycol 25%", "PG25"),
        ("INCOMP::MPG[0.25]", "PG25"),
        ("INCOMP::MPG-25%", "PG25"),
        ("pg30", "PG30"),
        ("eg25", "EG25"),
        ("ethylene-glycol 30", "EG30"),
        ("INCOMP::MEG[0.30]", "EG30"),
        ("PG40", None),
        ("diesel", None),
    ],
)
def test_names_and_aliases(alias, name):
    assert canonical_name(alias) == name
    if name is not None:
        assert coolant_properties(alias, 310.0) == coolant_properties(name, 310.0)


def test_fluids_lists_the_tables():
    assert fluids() == ("water", "PG25", "PG30", "EG25", "EG30")


def test_untabulated_fluid_through_coolprop():
    cp_mod = pytest.importorskip("CoolProp.CoolProp")
    p = coolant_properties("PG40", 308.15)
    assert p.density == cp_mod.PropsSI("D", "T", 308.15, "P", 2e5, "INCOMP::MPG[0.4]")
    assert p.viscosity == cp_mod.PropsSI("V", "T", 308.15, "P", 2e5, "INCOMP::MPG[0.4]")
    assert coolant_properties("INCOMP::MEG[0.45]", 300.0).density == cp_mod.PropsSI(
        "D", "T", 300.0, "P", 2e5, "INCOMP::MEG[0.45]"
    )
    assert freezing_point("PG40") == cp_mod.PropsSI(
        "T_FREEZE", "T", 300.0, "P", 2e5, "INCOMP::MPG[0.4]"
    )
    with pytest.raises(ValueError, match="tabulated fluids: water, PG25"):
        coolant_properties("no-such-coolant", 300.0)


def test_untabulated_fluid_without_coolprop(monkeypatch):
    monkeypatch.setitem(sys.modules, "CoolProp", None)
    monkeypatch.setitem(sys.modules, "CoolProp.CoolProp", None)
    coolant._coolprop_properties.cache_clear()
    with pytest.raises(ImportError, match=r"install rackval\[fluids\]"):
        coolant_properties("PG40", 308.15)
    with pytest.raises(ImportError, match=r"install rackval\[fluids\]"):
        freezing_point("EG45")
    # tabulated fluids need no CoolProp
    assert coolant_properties("PG25", 308.15).density > 1000.0


def test_tables_never_import_coolprop():
    code = (
        "import sys\n"
        "from rackval.physics import coolant\n"
        "loaded_at_import = coolant._table.cache_info().currsize\n"
        "coolant.coolant_properties('PG25', 308.15)\n"
        "coolant.freezing_point('EG30')\n"
        "print(loaded_at_import, 'CoolProp' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["0", "False"]
