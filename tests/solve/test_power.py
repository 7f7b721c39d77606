"""Power solver against hand calculations (each written out in the test)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from rackval.design.resolve import load_design
from rackval.physics.electrical import phase_imbalance, three_phase_power
from rackval.solve.power import connect, solve_power
from rackval.solve.scenarios import NORMAL, parse_scenario

ROOT = Path(__file__).resolve().parents[2]

PARTS = """
parts:
  - manufacturer: Test
    model: Delta PDU 415
    slug: test-delta-pdu
    u_height: 0
    rackval:
      kind: pdu
      source: "test fixture: a 415 V delta PDU with one C19 bank per line pair"
      pdu:
        voltage: 415 V
        phases: 3
        wiring: delta
        current: 60 A
        outlets: {iec-60320-c19: 12}
        banks:
          - {name: AB, line: L1-L2, breaker: 50 A, outlets: {iec-60320-c19: 4}}
          - {name: BC, line: L2-L3, breaker: 50 A, outlets: {iec-60320-c19: 4}}
          - {name: CA, line: L3-L1, breaker: 50 A, outlets: {iec-60320-c19: 4}}
  - manufacturer: Test
    model: Wye PDU 400
    slug: test-wye-pdu
    u_height: 0
    rackval:
      kind: pdu
      source: "test fixture: a 400 V wye PDU with one C19 bank per line"
      pdu:
        voltage: 400 V
        phases: 3
        wiring: wye
        current: 32 A
        outlets: {iec-60320-c19: 12}
        banks:
          - {name: L1, line: L1, breaker: 16 A, outlets: {iec-60320-c19: 4}}
          - {name: L2, line: L2, breaker: 16 A, outlets: {iec-60320-c19: 4}}
          - {name: L3, line: L3, breaker: 16 A, outlets: {iec-60320-c19: 4}}
  - manufacturer: Test
    model: Load 1 kW
    slug: test-load-1kw
    u_height: 1
    rackval:
      kind: other
      source: "test fixture: a 1 kW load with one C20 inlet"
      depth: 500 mm
      power: {max: 1 kW, psus: 1, psus_required: 1, inlet: iec-60320-c20,
              input_voltage: [200 V, 415 V]}
  - manufacturer: Test
    model: Load 2 PSU
    slug: test-load-2psu
    u_height: 1
    rackval:
      kind: other
      source: "test fixture: a 6 kW load with two C20 inlets, one required"
      depth: 500 mm
      power: {max: 6 kW, psus: 2, psus_required: 1, inlet: iec-60320-c20,
              input_voltage: [200 V, 240 V]}
"""


def design(tmp_path, body: str):
    path = tmp_path / "d.yaml"
    path.write_text("rackval: 1\nname: t\n" + body + PARTS, encoding="utf-8")
    return load_design(path)


def devices(phase: str, kw: int, start_u: int) -> str:
    """``kw`` one-kilowatt loads pinned to ``phase``."""
    if kw == 0:
        return ""
    return (
        f"      - {{id: d-{phase}-01, part: test-load-1kw, u: {start_u}, count: {kw}, "
        f"phase: {phase}}}\n"
    )


def test_balanced_feed_capacity_18_4_kw():
    # 415 V × 32 A × √3 × 0.8 = 415 × 25.6 × 1.7321 = 18,401 W
    assert three_phase_power(415.0, 32.0 * 0.8) == pytest.approx(18_401.8, abs=0.5)


def test_delta_10_5_0_kw_line_currents(tmp_path):
    # Delta at 415 V, PF 1: I_AB = 10,000/415 = 24.10 A ∠30°, I_BC = 5,000/415 = 12.05 A ∠−90°,
    # I_CA = 0.  I_A = |I_AB − I_CA| = 24.10 A;  I_C = |I_CA − I_BC| = 12.05 A;
    # I_B = |I_BC − I_AB| = √(12.05² + 24.10² − 2·12.05·24.10·cos 120°) = √1016 = 31.88 A.
    d = design(
        tmp_path,
        f"""
power:
  feeds: [{{id: F, side: A, voltage: 415 V, phases: 3, wiring: delta, breaker: 60 A}}]
racks:
  - id: r
    part: apc-ar3357
    pdus: [{{id: p, part: test-delta-pdu, feed: F}}]
    devices:
{devices("L1-L2", 10, 1)}{devices("L2-L3", 5, 20)}""",
    )
    sol = solve_power(d, NORMAL)
    assert sol.pdus["p"].line_current == pytest.approx((24.096, 31.877, 12.048), abs=1e-3)
    assert sol.feeds["F"].line_current == pytest.approx((24.096, 31.877, 12.048), abs=1e-3)
    assert sol.banks[("p", "AB")].line_current[0] == pytest.approx(10_000 / 415, rel=1e-9)
    assert sol.pdus["p"].neutral_current == 0.0


def test_wye_neutral_current(tmp_path):
    # Wye at 400 V: V_LN = 400/√3 = 230.94 V.  3 kW on L1 → 12.99 A ∠0°, 2 kW on L2 →
    # 8.66 A ∠−120°, L3 empty.  Neutral = |12.99 + 8.66∠−120°|
    # = √(12.99² + 8.66² − 12.99·8.66) = √(168.75 + 75.00 − 112.50) = √131.25 = 11.46 A.
    d = design(
        tmp_path,
        f"""
power:
  feeds: [{{id: F, side: A, voltage: 400 V, phases: 3, wiring: wye, breaker: 32 A}}]
racks:
  - id: r
    part: apc-ar3357
    pdus: [{{id: p, part: test-wye-pdu, feed: F}}]
    devices:
{devices("L1", 3, 1)}{devices("L2", 2, 10)}""",
    )
    sol = solve_power(d, NORMAL)
    v_ln = 400 / math.sqrt(3)
    assert sol.pdus["p"].line_current == pytest.approx((3000 / v_ln, 2000 / v_ln, 0.0))
    assert sol.pdus["p"].neutral_current == pytest.approx(math.sqrt(131.25), rel=1e-6)
    # imbalance: mean = (12.99 + 8.66 + 0)/3 = 7.217; max deviation 7.217 → 100 %
    assert phase_imbalance(sol.pdus["p"].line_current) == pytest.approx(1.0)


AB = """
power:
  feeds:
    - {id: FA, side: A, voltage: 400 V, phases: 3, wiring: wye, breaker: 32 A}
    - {id: FB, side: B, voltage: 400 V, phases: 3, wiring: wye, breaker: 32 A}
racks:
  - id: r
    part: apc-ar3357
    pdus:
      - {id: pa, part: test-wye-pdu, feed: FA}
      - {id: pb, part: test-wye-pdu, feed: FB}
    devices:
      - {id: n1, part: test-load-2psu, u: 1}
"""


def test_ab_failover_moves_the_whole_load(tmp_path):
    # 6 kW on two PSUs: 3 kW on PSU1 (pa, L1) and 3 kW on PSU2 (pb, L1) normally;
    # with side A lost the single live PSU carries all 6 kW: 6,000 / 230.94 = 25.98 A on pb L1.
    d = design(tmp_path, AB)
    conn = connect(d)
    normal = solve_power(d, NORMAL, connections=conn)
    lost = solve_power(d, parse_scenario(d, "feed-lost:A"), connections=conn)
    v_ln = 400 / math.sqrt(3)
    assert normal.pdus["pa"].power == pytest.approx(3000.0)
    assert normal.pdus["pb"].power == pytest.approx(3000.0)
    assert lost.pdus["pa"].power == 0.0 and not lost.pdus["pa"].live
    assert lost.pdus["pb"].power == pytest.approx(6000.0)
    assert lost.pdus["pb"].line_current[0] == pytest.approx(6000.0 / v_ln)
    assert lost.devices["n1"].live_psus == 1
    # conservation: the device's power appears once on the feeds in every scenario
    for sol in (normal, lost):
        assert sum(f.power for f in sol.feeds.values()) == pytest.approx(6000.0)


@pytest.mark.parametrize(
    ("design_file", "device", "psus", "required", "live_on_one_side"),
    [
        # DGX B200: 6 PSUs, 5 required (5+1); alternating over A and B → 3 per side.
        ("designs/dgx-b200-failover.yaml", "r01-n01", 6, 5, 3),
    ],
)
def test_psus_on_one_feed_side(design_file, device, psus, required, live_on_one_side):
    d = load_design(ROOT / design_file)
    lost = solve_power(d, parse_scenario(d, "feed-lost:A"))
    supply = lost.devices[device]
    assert (supply.psus, supply.required, supply.live_psus) == (psus, required, live_on_one_side)
    # the whole 14.3 kW is shared by the 3 survivors: 4.77 kW each
    assert supply.psu_load == pytest.approx(supply.power / live_on_one_side)


def test_dgx_h100_4_plus_2_on_two_sides_is_short(tmp_path):
    # DGX H100: 6 PSUs, 4 required.  On an A/B pair the PSUs alternate 3 + 3; with side A
    # lost 3 remain < 4.  On three sides (designs/dgx-h100-pair.yaml) 2 + 2 + 2: 4 remain.
    d = design(
        tmp_path,
        AB.replace("test-load-2psu", "nvidia-dgx-h100").replace(
            "test-wye-pdu", "raritan-px3-5878i2r-p1q1r1a5d5"
        ),
    )
    lost = solve_power(d, parse_scenario(d, "feed-lost:A"))
    assert (lost.devices["n1"].live_psus, lost.devices["n1"].required) == (3, 4)
    pair = load_design(ROOT / "designs/dgx-h100-pair.yaml")
    for side in "ABC":
        sol = solve_power(pair, parse_scenario(pair, f"feed-lost:{side}"))
        assert all(s.live_psus == 4 for s in sol.devices.values())
