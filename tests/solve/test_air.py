"""Air model against hand calculations (each written out in the test) and invariants."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import numpy as np
import pytest

import rackval.solve.air
from rackval.design.resolve import load_design
from rackval.physics.air import air_properties, m3s_to_cfm, standard_pressure
from rackval.report.text import render_results
from rackval.solve.air import (
    device_air_heat,
    fraction_model_rise,
    heat_to_inlet_matrix,
    inlet_temperatures,
    live_share,
    rack_temperature_rise,
    rear_door_heat,
    solve_air,
)
from rackval.solve.scenarios import NORMAL, Scenario, SkippedScenario, parse_scenario, scenarios_for
from rackval.validate import validate

ROOT = Path(__file__).resolve().parents[2]
KELVIN = 273.15

DELTA_T_NODE = """
parts:
  - manufacturer: Test
    model: Delta-T node
    slug: test-delta-t-node
    u_height: 10
    airflow: front-to-rear
    rackval:
      kind: gpu-node
      source: "test fixture: 14.3 kW, air temperature rise 15 K, airflow not stated"
      power: {max: 14.3 kW}
      cooling: {air_delta_t: 15 K}
  - manufacturer: Test
    model: 30 kW door
    slug: test-door-30kw
    u_height: 0
    rackval:
      kind: rdhx
      source: "test fixture: a rear door rated 30 kW"
      rdhx: {capacity: 30 kW}
"""


def _design(tmp_path, air: str, racks: str, parts: str = ""):
    path = tmp_path / "air.yaml"
    path.write_text(
        f"rackval: 1\nname: air\nsite:\n  altitude: 0 m\n  air: {air}\n{parts}racks:\n{racks}",
        encoding="utf-8",
    )
    return load_design(path)


H100_RACKS = """
  - id: r01
    part: apc-ar3357
    devices:
      - {id: r01-n01, part: nvidia-dgx-h100, u: 3, count: 4}
  - id: r02
    part: apc-ar3357
    devices:
      - {id: r02-n01, part: nvidia-dgx-h100, u: 3, count: 4}
"""


# --- airflow ----------------------------------------------------------------------


def test_airflow_of_14_3_kw_at_15_k(tmp_path):
    # fluids.md, dry air at 25 °C: ρ = 1.1843 kg/m³, c_p = 1006.3 J/(kg·K)
    # V̇ = 14,300 / (1.1843 × 1006.3 × 15) = 14,300 / 17,877.2 = 0.79990 m³/s
    # × 2118.88 CFM per m³/s = 1,694.9 CFM
    design = _design(
        tmp_path,
        "{supply_temperature: 25 degC}",
        "  - id: r01\n    part: apc-ar3357\n"
        "    devices: [{id: n1, part: test-delta-t-node, u: 3}]\n",
        DELTA_T_NODE,
    )
    sol = solve_air(design, NORMAL)
    flow = sol.devices["n1"].airflow
    assert sol.devices["n1"].airflow_source == "delta-t"
    assert flow == pytest.approx(14_300 / (1.1843 * 1006.3 * 15), rel=1e-4)
    assert round(flow, 3) == 0.800
    assert round(m3s_to_cfm(flow)) == 1695
    assert sol.required_airflow == (pytest.approx(flow), True)


def test_stated_airflow_is_taken_as_stated(tmp_path):
    # DGX H100: 1,105 CFM each (catalog) → 4 × 1,105 × 0.3048³/60 = 2.08601 m³/s per rack
    sol = solve_air(_design(tmp_path, "{supply_temperature: 24 degC}", H100_RACKS), NORMAL)
    assert sol.racks["r01"].airflow == pytest.approx(4 * 1105 * 0.3048**3 / 60)
    assert sol.racks["r01"].heat == (40_800.0, 40_800.0)


def test_unknown_liquid_fraction_gives_bounds():
    # GB200 compute tray: 5.4 kW, liquid share not published → 0 … 5.4 kW into the air
    assert device_air_heat(5400.0, None) == (0.0, 5400.0)
    assert device_air_heat(10_000.0, 0.85) == pytest.approx((1500.0, 1500.0))


def test_gb200_rack_air_heat_is_only_bounded():
    design = load_design(ROOT / "designs" / "gb200-nvl72.yaml")
    sol = solve_air(design, NORMAL)
    # 18 trays × 5.4 kW = 97.2 kW, all of it or none of it in the air; switch trays'
    # power is not published (counted 0, RV-CAT-001); power shelves pass the busbar load
    assert sol.racks["r01"].heat == (0.0, pytest.approx(97_200.0))
    assert sol.racks["r01"].inlet is None  # no site.air: no supply temperature


# --- fraction model -----------------------------------------------------------------


def test_fraction_model_against_a_hand_mix():
    # r = 0.1 of the inlet is own exhaust, rack rise 12 K, supply 297.15 K:
    # T_in = 297.15 + 0.1/0.9 × 12 = 297.15 + 1.3333 = 298.4833 K
    t_sup, r, rise = 297.15, 0.1, 12.0
    t_in = t_sup + fraction_model_rise(r, rise)
    assert t_in == pytest.approx(298.483333, abs=1e-6)
    # the mix it stands for: 0.9 of supply air and 0.1 of the exhaust (T_in + 12 K)
    assert (1 - r) * t_sup + r * (t_in + rise) == pytest.approx(t_in, abs=1e-12)
    assert fraction_model_rise(0.0, 50.0) == 0.0
    with pytest.raises(ValueError):
        fraction_model_rise(1.0, 10.0)


def test_fraction_model_in_the_solver(tmp_path):
    # 40.8 kW through 2.08601 m³/s at 24 °C: ρ c_p from the table at 297.15 K
    air = air_properties(297.15)
    rack_rise = 40_800 / (air.density * air.heat_capacity * 4 * 1105 * 0.3048**3 / 60)
    expected = 297.15 + 0.05 / 0.95 * rack_rise  # ≈ 297.15 + 0.05/0.95 × 16.36 K
    sol = solve_air(
        _design(tmp_path, "{supply_temperature: 24 degC, recirculation: 5 %}", H100_RACKS),
        NORMAL,
    )
    assert sol.racks["r01"].inlet == pytest.approx((expected, expected), abs=1e-9)
    assert rack_rise == pytest.approx(16.36, abs=0.01)


def test_altitude_lowers_density_and_raises_the_rise(tmp_path):
    low = solve_air(
        _design(tmp_path, "{supply_temperature: 24 degC, recirculation: 5 %}", H100_RACKS),
        NORMAL,
    )
    path = tmp_path / "high.yaml"
    path.write_text(
        (tmp_path / "air.yaml").read_text().replace("altitude: 0 m", "altitude: 1500 m")
    )
    high = solve_air(load_design(path), NORMAL)
    # ideal gas at fixed T: ρ ∝ p, so the rise scales by p₀/p(1500 m) = 101325/84556
    ratio = 101325.0 / standard_pressure(1500.0)
    rise_low = low.racks["r01"].inlet[0] - 297.15
    rise_high = high.racks["r01"].inlet[0] - 297.15
    assert rise_high / rise_low == pytest.approx(ratio, rel=1e-9)


# --- Tang et al. recirculation matrix ----------------------------------------------


def _random_case(seed: int):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    k = rng.uniform(500.0, 5000.0, n)  # [W/K]
    a = rng.uniform(0.0, 1.0, (n, n)) * (rng.uniform(size=(n, n)) < 0.6)
    a *= rng.uniform(0.05, 0.9) / np.maximum(a.sum(axis=1, keepdims=True), 1e-12)
    incoming = a.T @ k
    a *= np.minimum(1.0, 0.95 * k / np.maximum(incoming, 1e-12))[np.newaxis, :]
    p = rng.uniform(0.0, 60_000.0, n)  # [W]
    t_sup = rng.uniform(288.15, 300.15)
    return k, a, p, t_sup


@pytest.mark.parametrize("seed", range(12))
def test_matrix_inlets_satisfy_the_energy_balance(seed):
    k, a, p, t_sup = _random_case(seed)
    assert np.all(a.sum(axis=1) <= 1.0) and np.all(a.T @ k <= k)
    t_in = inlet_temperatures(t_sup, heat_to_inlet_matrix(k, a), p)
    t_out = t_in + p / k
    # each inlet: K_j T_in,j = Σ_i a_ij K_i T_out,i + (K_j − Σ_i a_ij K_i) T_sup
    incoming = a.T @ (k * t_out) + (k - a.T @ k) * t_sup
    assert np.max(np.abs(incoming / k - t_in)) < 1e-9
    # and the room as a whole: Σ P leaves in the air returning to the units
    returned = ((1.0 - a.sum(axis=1)) * k * (t_out - t_sup)).sum()
    assert returned == pytest.approx(p.sum(), rel=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_matrix_equals_tangs_form(seed):
    k, a, _, _ = _random_case(seed)
    kk = np.diag(k)
    tang = np.linalg.inv(kk - a.T @ kk) - np.linalg.inv(kk)
    assert np.allclose(heat_to_inlet_matrix(k, a), tang, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("share", [0.0, 0.05, 0.3, 0.9])
def test_diagonal_matrix_is_the_fraction_model(share):
    k = np.array([1200.0, 2500.0, 800.0])
    p = np.array([20_000.0, 45_000.0, 3_000.0])
    t_in = inlet_temperatures(296.15, heat_to_inlet_matrix(k, np.diag([share] * 3)), p)
    expected = [296.15 + fraction_model_rise(share, q / kj) for q, kj in zip(p, k, strict=True)]
    assert t_in == pytest.approx(expected, abs=1e-9)


def test_matrix_rejects_impossible_recirculation():
    with pytest.raises(ValueError, match="more than it draws"):
        heat_to_inlet_matrix([2000.0, 500.0], [[0.0, 0.5], [0.0, 0.0]])
    with pytest.raises(ValueError, match="unbounded"):
        heat_to_inlet_matrix([1000.0, 1000.0], [[0.0, 1.0], [1.0, 0.0]])


def test_matrix_in_the_solver(tmp_path):
    # r01 → r02: 0.3, equal airflows: T_in,2 = T_sup + 0.3 × ΔT_1, T_in,1 = T_sup
    air = air_properties(297.15)
    rise = 40_800 / (air.density * air.heat_capacity * 4 * 1105 * 0.3048**3 / 60)
    sol = solve_air(
        _design(
            tmp_path,
            "{supply_temperature: 24 degC, recirculation_matrix: {r01: {r02: 0.3}}}",
            H100_RACKS,
        ),
        NORMAL,
    )
    assert sol.model == "matrix"
    assert sol.racks["r01"].inlet[0] == pytest.approx(297.15, abs=1e-9)
    assert sol.racks["r02"].inlet[0] == pytest.approx(297.15 + 0.3 * rise, abs=1e-9)


def test_matrix_with_a_rack_of_unknown_airflow(tmp_path):
    # r03 (a storage array stating no airflow) sends 0.2 of its exhaust to r02: r02's
    # inlet depends on r03's unknown airflow; r03 receives nothing, so it breathes
    # supply air; r01 is untouched and solved (it sends 0.1 to itself: fraction model)
    parts = DELTA_T_NODE.replace("parts:\n", "parts:\n" + NO_AIRFLOW)
    racks = H100_RACKS + (
        "  - id: r03\n    part: apc-ar3357\n    devices: [{id: s1, part: test-no-airflow, u: 3}]\n"
    )
    sol = solve_air(
        _design(
            tmp_path,
            "{supply_temperature: 24 degC, recirculation_matrix: {r03: {r02: 0.2}, "
            "r01: {r01: 0.1}}}",
            racks,
            parts,
        ),
        NORMAL,
    )
    assert sol.racks["r03"].airflow is None
    assert sol.racks["r03"].inlet == (297.15, 297.15)
    assert sol.racks["r02"].inlet is None and "not certain" in sol.racks["r02"].inlet_reason
    air = air_properties(297.15)
    rise = 40_800 / (air.density * air.heat_capacity * 4 * 1105 * 0.3048**3 / 60)
    expected = 297.15 + fraction_model_rise(0.1, rise)
    assert sol.racks["r01"].inlet == pytest.approx((expected, expected), abs=1e-9)


NO_AIRFLOW = """  - manufacturer: Test
    model: No-airflow array
    slug: test-no-airflow
    u_height: 2
    rackval:
      kind: storage
      source: "test fixture: 2 kW, airflow and air temperature rise not stated"
      power: {max: 2 kW}
"""


# --- rear doors, air units, scenarios -------------------------------------------------


def test_rear_door_removes_up_to_its_capacity(tmp_path):
    assert rear_door_heat(40_800.0, 30_000.0) == 30_000.0
    assert rear_door_heat(20_000.0, 30_000.0) == 20_000.0
    racks = H100_RACKS.replace(
        "  - id: r02\n    part: apc-ar3357\n",
        "  - id: r02\n    part: apc-ar3357\n    rear_door: test-door-30kw\n",
    )
    sol = solve_air(
        _design(
            tmp_path, "{supply_temperature: 24 degC, cooling_capacity: 100 kW}", racks, DELTA_T_NODE
        ),
        NORMAL,
    )
    # r02: 40.8 kW of air heat, 30 kW into the door's water, 10.8 kW left in the air
    assert sol.racks["r02"].door == (30_000.0, 30_000.0)
    assert sol.racks["r02"].exhaust_heat == pytest.approx((10_800.0, 10_800.0))
    assert sol.room_heat == pytest.approx((51_600.0, 51_600.0))  # 40.8 + 10.8 kW


def test_rear_door_of_unknown_capacity_only_bounds_the_exhaust(tmp_path):
    # the IBM door's capacity is not published: r02's exhaust heat lies in [0, 40.8 kW]
    racks = H100_RACKS.replace(
        "  - id: r02\n    part: apc-ar3357\n",
        "  - id: r02\n    part: apc-ar3357\n    rear_door: ibm-rdhx\n",
    )
    sol = solve_air(
        _design(
            tmp_path, "{supply_temperature: 24 degC, cooling_capacity: 100 kW}", racks, DELTA_T_NODE
        ),
        NORMAL,
    )
    assert sol.racks["r02"].exhaust_heat == pytest.approx((0.0, 40_800.0))
    assert sol.room_heat == pytest.approx((40_800.0, 81_600.0))


def test_live_share_of_the_air_units():
    assert live_share(120_000.0, 4, 1) == 90_000.0  # 120 kW × 3/4
    assert live_share(120_000.0, 4, 0) == 120_000.0
    assert live_share(50_000.0, 1, 1) == 0.0
    assert live_share(None, 4, 1) is None
    assert live_share(10.0, None, 1) == 10.0


def test_air_unit_lost_scenario(tmp_path):
    design = _design(
        tmp_path,
        "{supply_temperature: 24 degC, cooling_capacity: 120 kW, units: 4, airflow: 8 m^3/s}",
        H100_RACKS,
    )
    scenario = parse_scenario(design, "air-unit-lost")
    assert isinstance(scenario, Scenario)
    assert scenario.domain == "air" and scenario.air_units_lost == 1
    assert "air-unit-lost" in [s.name for s in scenarios_for(design, "n-1")]
    sol = solve_air(design, scenario)
    assert (sol.live_units, sol.capacity, sol.supplied_airflow) == (3, 90_000.0, 6.0)


def test_air_unit_lost_is_skipped_without_units(tmp_path):
    design = _design(tmp_path, "{supply_temperature: 24 degC}", H100_RACKS)
    skipped = parse_scenario(design, "air-unit-lost")
    assert isinstance(skipped, SkippedScenario) and skipped.path == "site.air"
    bare = load_design(ROOT / "designs" / "dgx-h100-pair.yaml")
    assert "air-unit-lost" not in [s.name for s in scenarios_for(bare, "n-1")]
    assert isinstance(parse_scenario(bare, "air-unit-lost"), SkippedScenario)


def test_air_solved_again_only_in_air_scenarios(tmp_path):
    text = (ROOT / "designs" / "dgx-h100-pair.yaml").read_text(encoding="utf-8")
    path = tmp_path / "pair.yaml"
    path.write_text(
        text.replace(
            "  max_rack_power: 45 kW",
            "  max_rack_power: 45 kW\n  air: {supply_temperature: 24 degC, "
            "cooling_capacity: 120 kW, units: 4}",
        ),
        encoding="utf-8",
    )
    report = validate(path)
    normal = report.solutions["normal"].air
    assert report.solutions["feed-lost:A"].air is normal  # power scenarios reuse it
    lost = report.solutions["air-unit-lost"].air
    assert lost is not normal and lost.capacity == pytest.approx(90_000.0)  # 120 kW × 3/4
    text = "\n".join(render_results(report))
    # normal: 81.6 kW of 120 kW; air-unit-lost: of 90 kW; no recirculation: inlet 24.0 °C
    assert "air (4 of 4 units): heat 81.6 kW of 120.0 kW" in text
    assert "air (3 of 4 units): heat 81.6 kW of 90.0 kW" in text
    assert "hottest inlet r01 24.0 °C" in text
    air = report.results()["air-unit-lost"]["air"]
    assert air["capacity_w"] == pytest.approx(90_000.0)
    assert air["air_heat_w"] == {"min": 81_600.0, "max": 81_600.0}
    assert air["racks"]["r01"]["inlet_temperature_k"] == {"min": 297.15, "max": 297.15}


def test_docstring_examples_run():
    result = doctest.testmod(rackval.solve.air, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# --- docs/physics/air.md -----------------------------------------------------------------

DOC = ROOT / "docs" / "physics" / "air.md"


def test_worked_example_in_the_doc():
    text = DOC.read_text(encoding="utf-8")
    air = air_properties(297.15)
    assert f"ρ = {air.density:.4f} kg/m³" in text and f"c_p = {air.heat_capacity:.1f}" in text
    flow = 4 * 1105 * 0.3048**3 / 60
    rise = rack_temperature_rise(40_800.0, flow, air.density, air.heat_capacity)
    assert f"ΔT_rack = {rise:.2f} K" in text
    assert f"{fraction_model_rise(0.05, rise):.3f} K" in text
    k = np.array([air.density * air.heat_capacity * flow] * 2)
    d = heat_to_inlet_matrix(k, [[0.0, 0.3], [0.1, 0.0]])
    t_in = inlet_temperatures(297.15, d, [40_800.0, 40_800.0]) - KELVIN
    for t in t_in:
        assert f"{t:.2f} °C" in text
    names = set(re.findall(r"`(test_\w+)`", text))
    source = Path(__file__).read_text(encoding="utf-8")
    assert names and all(f"def {n}(" in source for n in names)
