"""Loop model: design -> network -> hydraulic and heat solves, checked by conservation.

Mass balance at every node and the loop's energy balance are asserted on every solve.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rackval.design.resolve import load_design
from rackval.physics.coolant import coolant_properties
from rackval.solve.loops import build_loop, solve_loop

POD = Path(__file__).resolve().parents[1] / "data" / "loops" / "pod.yaml"
SCENARIOS = {
    "normal": {},
    "pump-lost": {"closed_pumps": frozenset({"cdu-1:pump1"})},
    "cdu-lost": {"lost_cdus": frozenset({"cdu-1"})},
    "facility-water-lost": {"rejection_lost": True},
}


def pod(tmp_path, *replacements):
    text = POD.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "pod.yaml"
    path.write_text(text, encoding="utf-8")
    return load_design(path)


def check_conservation(model, sol):
    net = model.network
    net_flow = np.zeros(net.n_nodes)
    np.add.at(net_flow, net.link_from, -sol.flow)
    np.add.at(net_flow, net.link_to, sol.flow)
    scale = np.abs(sol.flow).max()
    assert np.abs(net_flow[1:]).max() <= 1e-9 * scale  # node 0 is the tank (reference)
    through_pumps = sum(sol.flow[k] for pumps in model.pump_links.values() for k in pumps)
    assert sum(sol.device_flow.values()) == pytest.approx(through_pumps, rel=1e-9)
    if sol.heat_rejected is not None:
        assert sol.heat_rejected == pytest.approx(sol.heat, rel=1e-9)


@pytest.mark.parametrize("arrangement", ["reverse-return", "direct-return"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_conservation_in_every_scenario(tmp_path, arrangement, scenario):
    d = pod(tmp_path, ("arrangement: reverse-return", f"arrangement: {arrangement}"))
    model = build_loop(d, d.loops[0])
    sol = solve_loop(d, model, **SCENARIOS[scenario])
    assert sol.solved
    check_conservation(model, sol)


def test_reverse_return_feeds_every_device_alike(tmp_path):
    d = pod(tmp_path)
    sol = solve_loop(d, build_loop(d, d.loops[0]))
    flows = list(sol.device_flow.values())
    assert max(flows) == pytest.approx(min(flows), rel=1e-6)


def test_direct_return_starves_the_far_rack(tmp_path):
    d = pod(
        tmp_path,
        ("arrangement: reverse-return", "arrangement: direct-return"),
        ("length: 20 m, diameter: 80 mm", "length: 200 m, diameter: 50 mm"),
    )
    sol = solve_loop(d, build_loop(d, d.loops[0]))
    assert sol.device_flow["r01-n01"] > sol.device_flow["r02-n01"]


def test_losing_pumps_lowers_device_flow(tmp_path):
    d = pod(tmp_path)
    model = build_loop(d, d.loops[0])
    normal = solve_loop(d, model)
    pump = solve_loop(d, model, closed_pumps=frozenset({"cdu-1:pump1"}))
    cdu = solve_loop(d, model, lost_cdus=frozenset({"cdu-1"}))
    q = [s.device_flow["r01-n01"] for s in (normal, pump, cdu)]
    assert q[0] > q[1] > q[2] > 0
    assert "cdu-1" not in cdu.pump_flow  # stopped: no operating point
    assert cdu.flow[model.pump_links["cdu-1"]].sum() == pytest.approx(
        0.0, abs=1e-4 * cdu.pump_flow["cdu-2"]
    )  # closed: a trickle


def test_return_temperature_from_the_energy_balance(tmp_path):
    # supply held at the 32 °C set-point; return = supply + P / (ρ c_p Q):
    # 64 kW / (ρ c_p(PG25, 32 °C) × Q_total)
    d = pod(tmp_path)
    sol = solve_loop(d, build_loop(d, d.loops[0]))
    props = coolant_properties("PG25", 305.15)
    total = sum(sol.pump_flow.values())
    assert sol.supply_temperature == pytest.approx(305.15)
    expected = 305.15 + 64_000 / (props.density * props.heat_capacity * total)
    assert sol.return_temperature == pytest.approx(expected, rel=1e-9)


def test_supply_warmer_than_set_point_when_cdus_fall_short(tmp_path):
    # a tiny UA (rated 2 kW at 4 K) cannot pull the loop down to 32 °C
    d = pod(tmp_path, ("rated_heat: 200 kW", "rated_heat: 2 kW"))
    sol = solve_loop(d, build_loop(d, d.loops[0]))
    assert sol.supply_temperature > 305.15
    assert sol.heat_rejected == pytest.approx(sol.heat, rel=1e-9)


def test_missing_figures_are_named(tmp_path):
    d = pod(tmp_path, ("        pressure_drop: {at: 15 L/min, dp: 60 kPa}\n", ""))
    missing = build_loop(d, d.loops[0])
    assert missing == ["part 'test-coldplate-node' coolant.pressure_drop"]


def test_all_pumps_lost_is_reported_not_solved(tmp_path):
    d = pod(tmp_path)
    model = build_loop(d, d.loops[0])
    sol = solve_loop(d, model, lost_cdus=frozenset({"cdu-1", "cdu-2"}))
    assert not sol.solved and "every pump" in sol.reason


def test_ride_through_hand_calculation(tmp_path):
    # 300 L of PG25 at 32 °C from 32 °C to the devices' 40 °C at 64 kW:
    # t = ρ c_p V ΔT / P
    from rackval.solve.loops import ride_through_time

    d = pod(tmp_path)
    props = coolant_properties("PG25", 305.15)
    expected = props.density * props.heat_capacity * 0.300 * 8.0 / 64_000
    assert ride_through_time(d, d.loops[0], "max").time == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(150.2, abs=0.1)


def test_volume_estimated_from_piping_and_parts(tmp_path):
    # no stated volume: pipes π d²/4 L — headers 2 × π 0.08²/4 × 20 m, hoses
    # (2 per rack × 2 racks + 1 per CDU × 2 CDUs) × π 0.032²/4 × 3 m — plus 8 × 1 L of
    # devices; CDU reservoirs are not stated, so the sum is a lower bound
    import math

    from rackval.solve.loops import loop_volume

    d = pod(tmp_path, ("      volume: 300 L\n", ""))
    volume, complete = loop_volume(d, d.loops[0])
    pipes = 2 * math.pi * 0.08**2 / 4 * 20 + 6 * math.pi * 0.032**2 / 4 * 3
    assert volume == pytest.approx(pipes + 8 * 0.001, rel=1e-12)
    assert complete is False


def test_one_point_pump_curve_uses_epanets_single_point_rule(tmp_path):
    # EPANET: shut-off at 4/3 of the design pressure, zero at twice the design flow
    d = pod(
        tmp_path,
        (
            "pump_curve: [[0 L/min, 300 kPa], [150 L/min, 250 kPa], [300 L/min, 100 kPa]]",
            "pump_curve: [[150 L/min, 250 kPa]]",
        ),
    )
    model = build_loop(d, d.loops[0])
    k = model.pump_links["cdu-1"][0]
    assert model.network.pump_shutoff[k] == pytest.approx(250e3 * 4 / 3)
    sol = solve_loop(d, model)
    assert sol.solved
    check_conservation(model, sol)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("fluid: PG25", "fluid: PG99", ["unknown coolant 'PG99'", "cooling.loops[tcs-1].fluid"]),
        (
            "supply_temperature: 32 degC",
            "supply_temperature: 95 degC",
            ["outside the coolant tables"],
        ),
        ("class: W32", "class: W99", ["unknown facility-water class 'W99'"]),
    ],
)
def test_bad_loop_inputs_are_design_errors(tmp_path, old, new, words):
    from rackval.errors import DesignErrors

    with pytest.raises(DesignErrors) as info:
        pod(tmp_path, (old, new))
    text = str(info.value)
    assert "pod.yaml:" in text
    for word in words:
        assert word in text
