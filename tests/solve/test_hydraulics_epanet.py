"""The hydraulic solver against EPANET 2.2 (through WNTR's EpanetSimulator): flows within 0.5 %.

Each rackval Network is written as an EPANET model with the same physics: Darcy-Weisbach
headloss, EPANET's relative viscosity set to the fluid's, pumps as HEAD curves (a power
curve as the 3-point curve (0, H0), (q1, h1), (q2, h2) that EPANET's ``powercurve`` fits
back to exactly H0 - r Q^n; datasheet points as a multi-point curve), resistances as TCVs
(no friction; setting K chosen so EPANET's 0.02517 K / d⁴ equals k), fixed pressures as
reservoirs. Heads convert with EPANET's own g = 32.2 ft/s² = 9.81456 m/s², so the
equations agree term by term. EPANET's accuracy is tightened to 1e-8.
"""

from __future__ import annotations

import numpy as np
import pytest
from reference_hydraulics import MU, RHO, network, pipe, pump, random_loop, resistance, solved

from rackval.solve.hydraulics import PIPE, PUMP, RESISTANCE, Network, bench_hall_network

wntr = pytest.importorskip("wntr")

G_EPANET = 32.2 * 0.3048  # EPANET's g in its Darcy-Weisbach resistance [m/s²]
NU_EPANET = 1.1e-5 * 0.3048**2  # EPANET's viscosity of water, relative viscosity 1 [m²/s]
CFS = 0.3048**3
TCV_DIAMETER = 0.05  # [m]


def to_wntr(net: Network) -> wntr.network.WaterNetworkModel:
    """The same network as an EPANET model (names n<i> and l<k>)."""
    wn = wntr.network.WaterNetworkModel()
    options = wn.options.hydraulic
    options.headloss = "D-W"
    options.viscosity = net.viscosity / net.density / NU_EPANET
    options.accuracy = 1e-8
    options.trials = 500
    options.inpfile_units = "LPS"
    wn.options.time.duration = 0
    rho_g = net.density * G_EPANET
    fixed = dict(zip(net.fixed_nodes.tolist(), net.fixed_pressure.tolist()))
    for i in range(net.n_nodes):
        if i in fixed:
            wn.add_reservoir(f"n{i}", base_head=fixed[i] / rho_g)
        else:
            wn.add_junction(f"n{i}", base_demand=float(net.demand[i]), elevation=0.0)
    ptr = net.curve_ptr
    for k in range(net.n_links):
        a, b = f"n{net.link_from[k]}", f"n{net.link_to[k]}"
        if net.kind[k] == PIPE:
            wn.add_pipe(
                f"l{k}",
                a,
                b,
                length=float(net.length[k]),
                diameter=float(net.diameter[k]),
                # WNTR refuses 0; 1e-12 m changes ε/(3.7 d) + 5.74/Re^0.9 by < 1e-8
                roughness=max(float(net.roughness[k]), 1e-12),
                minor_loss=float(net.minor_loss[k]),
            )
        elif net.kind[k] == RESISTANCE:
            # EPANET TCV: h[ft] = 0.02517 K / d_ft⁴ · Q_cfs²  ==  k Q² / (ρ g)  [in ft]
            d_ft = TCV_DIAMETER / 0.3048
            setting = net.resistance[k] * CFS**2 * d_ft**4 / (rho_g * 0.3048 * 0.02517)
            wn.add_valve(
                f"l{k}", a, b, diameter=TCV_DIAMETER, valve_type="TCV", initial_setting=setting
            )
        else:
            if ptr[k + 1] > ptr[k]:
                points = list(
                    zip(
                        net.curve_flow[ptr[k] : ptr[k + 1]].tolist(),
                        (net.curve_pressure[ptr[k] : ptr[k + 1]] / rho_g).tolist(),
                    )
                )
                if len(points) == 3 and points[0][0] == 0.0:
                    pytest.skip("a 3-point curve from Q = 0 is a power curve in EPANET")
            else:
                h0 = net.pump_shutoff[k] / rho_g
                r = net.pump_coefficient[k] / rho_g
                n = net.pump_exponent[k]
                q1 = (0.25 * h0 / r) ** (1 / n)
                q2 = (0.5 * h0 / r) ** (1 / n)
                points = [(0.0, h0), (q1, h0 - r * q1**n), (q2, h0 - r * q2**n)]
            wn.add_curve(f"c{k}", "HEAD", points)
            wn.add_pump(
                f"l{k}", a, b, pump_type="HEAD", pump_parameter=f"c{k}", speed=float(net.speed[k])
            )
    return wn


def epanet_flows(net: Network, tmp_path) -> np.ndarray:
    wn = to_wntr(net)
    results = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "epanet"))
    flow = results.link["flowrate"].iloc[0]
    return np.array([flow[f"l{k}"] for k in range(net.n_links)])


def assert_flows_match(net: Network, tmp_path, rel: float = 0.005) -> float:
    ours = solved(net).flow
    theirs = epanet_flows(net, tmp_path)
    big = np.abs(ours) > 1e-3 * np.abs(ours).max()  # links that carry flow
    error = np.abs(ours[big] - theirs[big]) / np.abs(theirs[big])
    assert error.max() < rel, f"largest flow difference {error.max():.2e} (link {np.argmax(error)})"
    small = ~big
    assert np.all(np.abs(theirs[small]) < 2e-3 * np.abs(ours).max())
    return float(error.max())


def test_twenty_rack_hall_group_matches_epanet(tmp_path):
    # one CDU group of the benchmark hall: 804 nodes, 1,164 links (bench/epanet_hall.py)
    assert assert_flows_match(bench_hall_network(20), tmp_path) < 1e-3


def test_cdu_loop_with_devices_curve_pump_and_speed_matches_epanet(tmp_path):
    # Two CDUs feeding shared headers: a power-curve pump at 80 % speed and a datasheet-curve
    # pump; racks of cold plates (resistances) with hoses; a cross-tie that closes loops.
    curve = [(0.0, 2.6e5), (1.0e-3, 2.4e5), (2.0e-3, 1.9e5), (3.0e-3, 1.1e5), (4.0e-3, 0.2e5)]
    links = [
        pump(0, 1, 2.5e5, 1.5e10, pump_exponent=1.9, speed=0.8),
        {"a": 0, "b": 2, "kind": PUMP, "curve": curve},
        pipe(1, 3, 2.0, 0.04, minor_loss=20.0, roughness=1.5e-6),
        pipe(2, 3, 2.0, 0.04, minor_loss=20.0, roughness=1.5e-6),
        pipe(3, 4, 6.0, 0.04, roughness=1.5e-6),
    ]
    n = 5
    for rack in range(4):
        supply, ret = n, n + 1
        n += 2
        links += [pipe(3 if rack < 2 else 4, supply, 3.0, 0.025, minor_loss=4.5)]
        for _ in range(3):
            links += [resistance(supply, ret, 6e11)]
        links += [pipe(ret, 0, 3.0, 0.025, minor_loss=4.5)]
    links.append(resistance(5, 9, 2e11))  # cross-tie between two racks' supply manifolds
    net = network(links, n)
    assert assert_flows_match(net, tmp_path) < 1e-3


@pytest.mark.parametrize("seed", [2, 11, 17])
def test_random_loops_match_epanet(seed, tmp_path):
    # laminar, transitional and turbulent pipes in glycol-like fluids, devices, loops
    net = random_loop(seed)
    assert assert_flows_match(net, tmp_path) < 5e-3


def test_two_tanks_and_demand_match_epanet(tmp_path):
    links = [pipe(0, 2, 10.0, 0.02, roughness=2e-5), pipe(1, 2, 5.0, 0.015), resistance(2, 3, 5e9)]
    links.append(pipe(3, 4, 4.0, 0.01, minor_loss=2.0))
    net = network(
        links,
        5,
        fixed_nodes=[0, 1, 4],
        fixed_pressure=[3e5, 2.5e5, 1e5],
        demand=[0, 0, 1e-4, 0, 0],
        density=RHO,
        viscosity=MU,
    )
    assert assert_flows_match(net, tmp_path) < 1e-3
