"""Air: the fluids.md rows, CoolProp off the grid, altitude, airflow, exhaust, CFM."""

from __future__ import annotations

import doctest
import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from rackval.physics import air
from rackval.physics.air import (
    CUBIC_FOOT_PER_MINUTE,
    STANDARD_PRESSURE,
    TABLE_FILE,
    air_properties,
    airflow_for_heat,
    cfm_to_m3s,
    exhaust_temperature,
    m3s_to_cfm,
    standard_pressure,
    temperature_range,
)

ROOT = Path(__file__).resolve().parents[2]
K = 273.15

# shared/reference/fluids.md, "Dry air at 101,325 Pa" (CoolProp 8.0.0), copied row by row:
# (T °C, ρ kg/m³, c_p J/(kg·K), μ µPa·s, k W/(m·K), m³/s per kW ΔT 10 K,
#  CFM per kW ΔT 10 K, CFM per kW ΔT 15 K)
FLUIDS_MD_AIR_ROWS = [
    (15, 1.2255, 1006.0, 17.96, 0.02550, 0.08111, 171.9, 114.6),
    (18, 1.2129, 1006.1, 18.11, 0.02572, 0.08195, 173.6, 115.8),
    (20, 1.2046, 1006.1, 18.21, 0.02587, 0.08251, 174.8, 116.6),
    (22, 1.1964, 1006.2, 18.30, 0.02602, 0.08307, 176.0, 117.3),
    (25, 1.1843, 1006.3, 18.45, 0.02625, 0.08391, 177.8, 118.5),
    (27, 1.1764, 1006.4, 18.54, 0.02640, 0.08447, 179.0, 119.3),
    (30, 1.1647, 1006.5, 18.69, 0.02662, 0.08530, 180.7, 120.5),
    (32, 1.1571, 1006.6, 18.78, 0.02677, 0.08586, 181.9, 121.3),
    (35, 1.1458, 1006.7, 18.93, 0.02699, 0.08670, 183.7, 122.5),
    (40, 1.1274, 1006.9, 19.17, 0.02735, 0.08809, 186.6, 124.4),
    (45, 1.1097, 1007.2, 19.40, 0.02772, 0.08947, 189.6, 126.4),
]

OFF_GRID_C = [0.3, 7.3, 17.77, 22.5, 26.9, 35.71, 44.49, 52.05, 59.5]
OFF_GRID_P = [STANDARD_PRESSURE, 84_556.0, 70_000.0]


def _close_to_printed(value: float, printed: float, decimals: int) -> bool:
    """``value`` rounds to ``printed`` at ``decimals`` (half a unit, plus float slack)."""
    return abs(value - printed) <= 0.5 * 10.0**-decimals + 1e-9


# --- the table -------------------------------------------------------------------------


@pytest.mark.parametrize("row", FLUIDS_MD_AIR_ROWS, ids=lambda r: f"{r[0]}C")
def test_table_matches_fluids_md(row):
    t_c, rho, cp, mu_upas, k, m3s_kw, cfm_kw_10, cfm_kw_15 = row
    p = air_properties(t_c + K)
    assert _close_to_printed(p.density, rho, 4)
    assert _close_to_printed(p.heat_capacity, cp, 1)
    assert _close_to_printed(p.viscosity * 1e6, mu_upas, 2)
    assert _close_to_printed(p.conductivity, k, 5)
    # derived columns: flow per kW = 1 kW / (ρ c_p ΔT)
    flow_10 = airflow_for_heat(1000.0, p.density, p.heat_capacity, 10.0)
    flow_15 = airflow_for_heat(1000.0, p.density, p.heat_capacity, 15.0)
    assert _close_to_printed(flow_10, m3s_kw, 5)
    assert _close_to_printed(m3s_to_cfm(flow_10), cfm_kw_10, 1)
    assert _close_to_printed(m3s_to_cfm(flow_15), cfm_kw_15, 1)


@pytest.mark.parametrize("pressure", OFF_GRID_P, ids=lambda p: f"{p:.0f}Pa")
@pytest.mark.parametrize("t_c", OFF_GRID_C)
def test_table_matches_coolprop_off_grid(t_c, pressure):
    cp_mod = pytest.importorskip("CoolProp.CoolProp")
    p = air_properties(t_c + K, pressure)
    for attr, key in (
        ("density", "D"),
        ("heat_capacity", "C"),
        ("viscosity", "V"),
        ("conductivity", "L"),
    ):
        exact = cp_mod.PropsSI(key, "T", t_c + K, "P", pressure, "Air")
        # the bound: 0.1 %
        assert getattr(p, attr) == pytest.approx(exact, rel=1e-3), (t_c, pressure, attr)
        if pressure == STANDARD_PRESSURE:
            # the documented interpolation error at p₀: below 1e-6
            assert getattr(p, attr) == pytest.approx(exact, rel=1e-6), (t_c, attr)


def test_recorded_interpolation_error_is_small():
    table = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    errors = table["max_interpolation_error"]
    assert errors["density"] <= 2e-8
    for prop in ("heat_capacity", "viscosity", "conductivity"):
        assert errors[prop] <= 1e-6, prop


def test_table_header_records_coolprop_and_calls():
    table = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    assert table["source"]["coolprop_version"] == "8.0.0"
    assert table["source"]["calls"] == [
        "PropsSI(key, 'T', T, 'P', 101325.0, 'Air') for key in D, C, V, L"
    ]
    assert table["pressure"] == STANDARD_PRESSURE == 101325.0
    assert table["fluid"] == "Air"
    count = table["temperature"]["count"]
    for column in ("density", "heat_capacity", "viscosity", "conductivity"):
        assert len(table[column]) == count == 61


def _generator():
    path = ROOT / "tools" / "gen_air_table.py"
    spec = importlib.util.spec_from_file_location("gen_air_table", path)
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
    assert gen.dumps(gen.build_table()) == TABLE_FILE.read_text(encoding="utf-8"), (
        "run: python tools/gen_air_table.py"
    )


def test_interpolation_between_rows():
    # Halfway: mean of c_p, μ, k; density the harmonic mean (linear in 1/ρ).
    lo, hi, mid = (air_properties(t) for t in (300.15, 301.15, 300.65))
    assert mid.heat_capacity == pytest.approx((lo.heat_capacity + hi.heat_capacity) / 2)
    assert mid.viscosity == pytest.approx((lo.viscosity + hi.viscosity) / 2, rel=1e-14)
    assert mid.conductivity == pytest.approx((lo.conductivity + hi.conductivity) / 2)
    assert mid.density == pytest.approx(2 / (1 / lo.density + 1 / hi.density), rel=1e-14)


def test_ends_of_the_table_are_exact():
    table = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    low, high = temperature_range()
    assert (low, high) == (273.15, 333.15)
    assert air_properties(low).density == table["density"][0]
    assert air_properties(high).heat_capacity == table["heat_capacity"][-1]


@pytest.mark.parametrize("t", [273.14, 333.16, 400.0, -1.0, float("nan"), float("inf")])
def test_out_of_range_names_the_range(t):
    with pytest.raises(ValueError, match=r"273\.15–333\.15 K \(0\.00–60\.00 °C\)"):
        air_properties(t)


@pytest.mark.parametrize("pressure", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_pressure(pressure):
    with pytest.raises(ValueError, match="positive and finite"):
        air_properties(300.0, pressure)


def test_density_scales_with_pressure_only():
    # ideal gas at fixed T: ρ ∝ p; c_p, μ, k taken at p₀
    base, half = air_properties(310.0), air_properties(310.0, STANDARD_PRESSURE / 2)
    assert half.density == pytest.approx(base.density / 2, rel=1e-15)
    assert (half.heat_capacity, half.viscosity, half.conductivity) == (
        base.heat_capacity,
        base.viscosity,
        base.conductivity,
    )


def test_density_falls_and_heat_capacity_rises_with_temperature():
    temps = [273.15 + 0.37 * i for i in range(163)]
    props = [air_properties(t) for t in temps]
    assert all(a.density > b.density for a, b in zip(props, props[1:]))
    assert all(a.heat_capacity <= b.heat_capacity for a, b in zip(props, props[1:]))


def test_table_never_imports_coolprop():
    code = (
        "import sys\n"
        "from rackval.physics import air\n"
        "loaded_at_import = air._table.cache_info().currsize\n"
        "air.air_properties(298.15, air.standard_pressure(1500.0))\n"
        "print(loaded_at_import, 'CoolProp' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["0", "False"]


# --- altitude --------------------------------------------------------------------------


def test_standard_pressure_at_1500_m_by_hand():
    # p = 101325 · (1 − 2.25577e-5 · 1500)^5.25588
    #   = 101325 · 0.96616345^5.25588
    #   = 101325 · exp(5.25588 · ln 0.96616345) = 101325 · exp(−0.180919) = 84,556 Pa
    base = 1 - 2.25577e-5 * 1500
    assert base == pytest.approx(0.96616345, abs=1e-9)
    assert standard_pressure(1500.0) == pytest.approx(101325 * base**5.25588, rel=1e-15)
    assert standard_pressure(1500.0) == pytest.approx(84_556.0, abs=1.0)
    # density at the same temperature scales with pressure: ratio 0.8345
    ratio = standard_pressure(1500.0) / 101325
    assert ratio == pytest.approx(0.8345, abs=5e-5)
    # 25 °C air at 1,500 m: 1.1843 · 0.8345 = 0.9883 kg/m³, so 1/0.8345 = 1.198 × the airflow
    rho = air_properties(298.15, standard_pressure(1500.0)).density
    assert rho == pytest.approx(0.9883, abs=1e-4)
    assert rho / air_properties(298.15).density == pytest.approx(ratio, rel=1e-15)
    sea = airflow_for_heat(1000.0, air_properties(298.15).density, 1006.3, 10.0)
    high = airflow_for_heat(1000.0, rho, 1006.3, 10.0)
    assert high / sea == pytest.approx(1 / 0.8345, abs=1e-4)


@pytest.mark.parametrize(
    ("altitude", "pressure"),
    [
        (0.0, 101_325.0),  # sea level, p₀ (definition)
        (1_500.0, 84_556.0),  # ISO 2533 table, geopotential altitude
        (11_000.0, 22_632.06),  # tropopause base pressure, U.S. Standard Atmosphere 1976 Table 4
    ],
)
def test_standard_pressure_published_values(altitude, pressure):
    assert standard_pressure(altitude) == pytest.approx(pressure, abs=1.0)


def test_standard_pressure_falls_with_altitude():
    heights = [-2000.0 + 250.0 * i for i in range(53)]
    pressures = [standard_pressure(h) for h in heights]
    assert heights[-1] == 11_000.0
    assert all(a > b for a, b in zip(pressures, pressures[1:]))


@pytest.mark.parametrize("altitude", [-2000.1, 11_000.1, float("nan"), float("inf")])
def test_standard_pressure_outside_troposphere(altitude):
    with pytest.raises(ValueError, match="troposphere"):
        standard_pressure(altitude)


# --- airflow, exhaust, units -----------------------------------------------------------


def test_dgx_h100_derived_delta_t_by_hand():
    # hardware.md: DGX H100 10.2 kW max, 1105 CFM front-to-back; air at 25 °C (fluids.md row)
    # V̇ = 1105 · 0.3048³ / 60 = 0.521502 m³/s
    # ρ c_p = 1.1843 · 1006.3 = 1191.76 J/(m³·K)
    # ΔT = 10,200 / (1191.76 · 0.521502) = 10,200 / 621.50 = 16.41 K  (hardware.md: 16.4 K)
    flow = cfm_to_m3s(1105.0)
    assert flow == pytest.approx(0.521502, abs=1e-6)
    assert 10_200 / (1.1843 * 1006.3 * 0.521502) == pytest.approx(16.41, abs=0.005)
    a = air_properties(25 + K)
    t_out = exhaust_temperature(25 + K, 10_200.0, flow, a.density, a.heat_capacity)
    assert round(t_out - (25 + K), 1) == 16.4
    assert t_out - (25 + K) == pytest.approx(16.41, abs=0.005)
    # and back: the airflow for 10.2 kW at that rise is the rated 1105 CFM
    back = airflow_for_heat(10_200.0, a.density, a.heat_capacity, t_out - (25 + K))
    assert m3s_to_cfm(back) == pytest.approx(1105.0, rel=1e-12)


def test_cfm_per_kw_at_10_k_by_hand():
    # fluids.md: 1 kW / (1.1843 · 1006.3 · 10) = 0.083910 m³/s = 0.083910 · 2118.88 = 177.8 CFM
    a = air_properties(25 + K)
    flow = airflow_for_heat(1000.0, a.density, a.heat_capacity, 10.0)
    assert flow == pytest.approx(1000 / (1.1843 * 1006.3 * 10), rel=5e-5)
    assert round(m3s_to_cfm(flow), 1) == 177.8


@pytest.mark.parametrize("heat", [500.0, 10_200.0, 132_000.0])
@pytest.mark.parametrize("rise", [5.0, 10.0, 16.4, 20.0])
def test_airflow_and_exhaust_are_inverse(heat, rise):
    a = air_properties(300.0)
    flow = airflow_for_heat(heat, a.density, a.heat_capacity, rise)
    t_out = exhaust_temperature(300.0, heat, flow, a.density, a.heat_capacity)
    assert t_out - 300.0 == pytest.approx(rise, rel=1e-12)
    # linear in heat, inverse in ΔT
    assert airflow_for_heat(2 * heat, a.density, a.heat_capacity, rise) == pytest.approx(2 * flow)
    assert airflow_for_heat(heat, a.density, a.heat_capacity, 2 * rise) == pytest.approx(flow / 2)


def test_airflow_accepts_arrays():
    np = pytest.importorskip("numpy")
    heat = np.array([1000.0, 2000.0])
    flow = airflow_for_heat(heat, 1.1843, 1006.3, 10.0)
    assert flow.shape == (2,)
    assert flow[1] == pytest.approx(2 * flow[0])


def test_cfm_is_exact():
    # 1 ft = 0.3048 m exactly (NIST SP 811): 1 CFM = 0.028316846592 m³ / 60 s
    assert CUBIC_FOOT_PER_MINUTE == 0.3048**3 / 60
    assert 0.3048**3 == pytest.approx(0.028316846592, rel=1e-15)
    assert cfm_to_m3s(1.0) == pytest.approx(4.7194744320e-4, rel=1e-12)
    assert m3s_to_cfm(1.0) == pytest.approx(2118.880003, rel=1e-9)
    assert round(m3s_to_cfm(1.0), 2) == 2118.88  # fluids.md


@pytest.mark.parametrize("cfm", [0.0, 1.0, 177.8, 1105.0, 1e6])
def test_cfm_round_trip(cfm):
    assert m3s_to_cfm(cfm_to_m3s(cfm)) == pytest.approx(cfm, rel=1e-15, abs=0.0)


# --- docstrings ------------------------------------------------------------------------
# tests/physics/test_physics_doctests.py lists its modules explicitly; air is run here.


def test_doctests():
    result = doctest.testmod(air, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def _parameters(doc: str) -> dict[str, tuple[str, str]]:
    """name -> (type, description) from the numpydoc Parameters section."""
    if "Parameters\n" not in doc:
        return {}
    section = doc.split("Parameters\n", 1)[1].split("\n\n", 1)[0]
    params: dict[str, tuple[str, str]] = {}
    current = None
    for line in section.splitlines()[1:]:  # skip the ---------- underline
        if line.startswith("        ") and current:
            kind, text = params[current]
            params[current] = (kind, text + " " + line.strip())
        elif " : " in line:
            current, kind = (part.strip() for part in line.split(" : ", 1))
            params[current] = (kind, "")
    return params


@pytest.mark.parametrize("name", air.__all__)
def test_every_public_function_has_an_example_units_and_references(name):
    obj = getattr(air, name)
    if not callable(obj) or isinstance(obj, type):
        return
    doc = obj.__doc__ or ""
    assert ">>>" in doc, f"{name} has no doctest"
    params = _parameters(doc)
    for pname, (kind, text) in params.items():
        assert "[" in text and "]" in text, f"{name}({pname}): no [unit]"
    if params:
        assert "References\n" in doc, f"{name} has no References"
        assert ".. math::" in doc, f"{name} has no formula"


def test_math_is_finite_at_the_limits():
    a = air_properties(333.15, standard_pressure(11_000.0))
    assert all(math.isfinite(v) for v in (a.density, a.heat_capacity, a.prandtl))
