"""Steady coolant temperatures: rackval.solve.heat.steady_temperatures and its kernel.

Provenance of the numbers: closed-form loop energy balances written out below
(Incropera §1.3.1, ε-NTU §11.4), the dense NumPy oracle in tests/reference_heat.py
(node and link-outlet unknowns, no ordering), and invariants — energy balance on every
solve, orientation symmetry, linearity in the heat.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from reference_heat import advection_reference, cdu_loop, random_loop_network

from rackval import _thermal
from rackval.errors import SolverError
from rackval.solve import heat as heat_module
from rackval.solve.heat import SteadyTemperatures, steady_temperatures

WATER_RHO, WATER_CP = 1000.0, 4180.0  # ρ c_p = 4.18 MJ/(m³·K), round numbers for hand work


def solve(net, *, rho=WATER_RHO, cp=WATER_CP, **kwargs) -> SteadyTemperatures:
    """Solve a network dict and assert the loop energy balance (every solve)."""
    result = steady_temperatures(
        net["n"],
        net["link_from"],
        net["link_to"],
        net["flow"],
        rho,
        cp,
        heat=net.get("heat"),
        rejection=net.get("rejection"),
        sink_temperature=net.get("sink"),
        **kwargs,
    )
    assert_energy_balance(result)
    return result


def assert_energy_balance(result: SteadyTemperatures) -> None:
    # Σ heat in = Σ heat removed by the heat-exchanger links (mass is conserved); to
    # rounding relative to the gross heat flows (exchangers at different sink
    # temperatures can move heat between each other).
    gross = result.heat_in + float(np.sum(np.abs(result.heat_removed)))
    assert abs(result.energy_imbalance) <= 1e-11 * gross + 1e-6  # [W]


def reference(net, rho=WATER_RHO, cp=WATER_CP):
    return advection_reference(
        net["n"],
        net["link_from"],
        net["link_to"],
        net["flow"],
        net["heat"],
        net["rejection"],
        net["sink"],
        rho * cp,
    )


def network(links, n, **extra):
    """Network dict from ``(from, to, flow, heat, rejection, sink)`` tuples."""
    a, b, q, p, phi, sink = (np.array(x) for x in zip(*links))
    return {
        "n": n,
        "link_from": a.astype(np.intp),
        "link_to": b.astype(np.intp),
        "flow": q.astype(float),
        "heat": p.astype(float),
        "rejection": phi.astype(float),
        "sink": sink.astype(float),
        **extra,
    }


def test_docstring_examples_run():
    # pyproject has no --doctest-modules: the examples (one loop, the §3 bound) run here.
    result = doctest.testmod(heat_module)
    assert result.failed == 0 and result.attempted >= 4


def test_status_codes_are_in_the_heat_range_and_distinct():
    names = [n for n in dir(_thermal) if n.startswith(("STATUS_HEAT_", "STATUS_TRANSIENT_"))]
    codes = {name: getattr(_thermal, name) for name in names}
    assert len(codes) == 18
    assert all(30 <= code <= 49 for code in codes.values()), codes
    assert len(set(codes.values())) == len(codes)


# --- hand cases ----------------------------------------------------------------------


def counterflow_effectiveness(ntu: float, cr: float) -> float:
    """ε of a counterflow exchanger, Incropera Table 11.3 (Cr < 1)."""
    x = math.exp(-ntu * (1.0 - cr))
    return (1.0 - x) / (1.0 - cr * x)


@pytest.mark.parametrize("flip", [(), (0,), (1, 3), (0, 1, 2, 3)])
def test_one_heater_one_exchanger_closed_form(flip):
    # OCP sizing (standards.md §3): a 100 kW rack at 150 L/min of water.
    #   Ċ = ρ c_p Q = 1000 · 4180 · 150/60000 = 4180 · 2.5 = 10450 W/K
    #   rise over the rack  P/Ċ = 100000 / 10450 = 9.5694 K
    # CDU: counterflow, hot side = loop (C_hot = C_min = 10450 W/K), facility water
    # 1.2 × that (Cr = 1/1.2), UA = 20 kW/K:
    #   NTU = 20000 / 10450 = 1.91388;  NTU (1 − Cr) = 0.31898;  e^{−0.31898} = 0.72690
    #   ε = (1 − 0.72690) / (1 − 0.83333 · 0.72690) = 0.27310 / 0.39425 = 0.6927
    #   φ = ε C_min / C_hot = ε
    # Loop balance: T_ret = T_sup + P/Ċ and T_sup = T_ret − φ (T_ret − T_f), so
    #   T_sup = T_f + (1 − φ)/φ · P/Ċ,   T_ret = T_f + P/(φ Ċ).
    cdot = 1000.0 * 4180.0 * 2.5e-3
    rise = 100e3 / cdot
    assert cdot == pytest.approx(10450.0)
    assert rise == pytest.approx(9.5694, abs=1e-4)
    phi = counterflow_effectiveness(20e3 / cdot, 1.0 / 1.2)
    assert phi == pytest.approx(0.6927, abs=1e-4)
    t_f = 305.15  # 32 °C facility water (ASHRAE W32)
    t_sup = t_f + (1.0 - phi) / phi * rise
    t_ret = t_f + rise / phi

    # 0 -pipe-> 1 -rack(100 kW)-> 2 -pipe-> 3 -CDU-> 0
    links = [
        [0, 1, 2.5e-3, 0.0, 0.0, 0.0],
        [1, 2, 2.5e-3, 100e3, 0.0, 0.0],
        [2, 3, 2.5e-3, 0.0, 0.0, 0.0],
        [3, 0, 2.5e-3, 0.0, phi, t_f],
    ]
    for k in flip:  # same loop, link stored the other way round: negative flow
        links[k][0], links[k][1], links[k][2] = links[k][1], links[k][0], -links[k][2]
    result = solve(network(links, 4))

    assert result.node_temperature == pytest.approx([t_sup, t_sup, t_ret, t_ret], abs=1e-9)
    assert result.link_outlet_temperature == pytest.approx([t_sup, t_ret, t_ret, t_sup], abs=1e-9)
    assert result.link_inlet_temperature == pytest.approx([t_sup, t_sup, t_ret, t_ret], abs=1e-9)
    assert result.heat_removed == pytest.approx([0, 0, 0, 100e3], abs=1e-6)
    assert result.loop_closures == 1
    assert not result.no_flow.any()


def test_two_parallel_branches_mix_at_the_return_node():
    # Supply node 0 splits into branch A (0→1→3, 30 kW at 0.5 L/s) and branch B
    # (0→2→3, 10 kW at 1.0 L/s); node 3 mixes; 3→4 pipe; 4→0 CDU, φ = 0.5, T_f = 300 K.
    #   Ċ_A = 4.18e6 · 0.5e-3 = 2090 W/K   rise A = 30000/2090 = 14.3541 K
    #   Ċ_B = 4.18e6 · 1.0e-3 = 4180 W/K   rise B = 10000/4180 =  2.3923 K
    #   mixed rise = (2090·14.3541 + 4180·2.3923)/6270 = 40000/6270 = 6.3796 K
    #   T_0 = T_f + (1 − φ)/φ · 6.3796 = 306.3796 K;  T_3 = T_f + 6.3796/φ = 312.7592 K
    rise_a, rise_b, rise = 30e3 / 2090.0, 10e3 / 4180.0, 40e3 / 6270.0
    assert rise == pytest.approx((2090.0 * rise_a + 4180.0 * rise_b) / 6270.0)
    t0, t3 = 300.0 + rise, 300.0 + 2.0 * rise
    assert (t0, t3) == pytest.approx((306.3796, 312.7592), abs=1e-4)
    net = network(
        [
            (0, 1, 0.5e-3, 0.0, 0.0, 0.0),
            (1, 3, 0.5e-3, 30e3, 0.0, 0.0),
            (0, 2, 1.0e-3, 0.0, 0.0, 0.0),
            (2, 3, 1.0e-3, 10e3, 0.0, 0.0),
            (3, 4, 1.5e-3, 0.0, 0.0, 0.0),
            (4, 0, 1.5e-3, 0.0, 0.5, 300.0),
        ],
        5,
    )
    result = solve(net)
    assert result.node_temperature == pytest.approx([t0, t0, t0, t3, t3], abs=1e-9)
    assert result.link_outlet_temperature[[1, 3]] == pytest.approx(
        [t0 + rise_a, t0 + rise_b], abs=1e-9
    )
    assert result.heat_removed[5] == pytest.approx(40e3, rel=1e-12)


def test_doctest_loop_numbers():
    # The docstring example: 10 kW, 1 L/s water, φ = 0.5, T_f = 300 K.
    #   rise = 10000/4180 = 2.3923 K; T_sup = 300 + 2.3923; T_ret = 300 + 2·2.3923
    net = network([(0, 1, 1e-3, 10e3, 0.0, 0.0), (1, 0, 1e-3, 0.0, 0.5, 300.0)], 2)
    result = solve(net)
    rise = 10e3 / 4180.0
    assert result.node_temperature == pytest.approx([300.0 + rise, 300.0 + 2 * rise])


def test_exchanger_with_full_rejection_sets_the_supply_to_the_sink():
    # φ = 1 (ε = 1, C_min = C_hot): the supply leaves at the facility temperature,
    # whatever the return; T_ret = T_f + P/Ċ.
    net = network([(0, 1, 2e-3, 50e3, 0.0, 0.0), (1, 0, 2e-3, 0.0, 1.0, 298.0)], 2)
    result = solve(net)
    assert result.node_temperature == pytest.approx([298.0, 298.0 + 50e3 / (4180.0 * 2.0)])


# --- against the dense oracle -------------------------------------------------------


@pytest.mark.parametrize("seed", range(60))
def test_random_loop_networks_match_the_dense_oracle(seed):
    rng = np.random.default_rng(seed)
    net = random_loop_network(rng, int(rng.integers(3, 40)), int(rng.integers(1, 15)))
    node_t, outlet = reference(net)
    result = solve(net)
    assert np.array_equal(np.isnan(result.node_temperature), np.isnan(node_t))
    assert np.array_equal(result.no_flow, np.isnan(node_t))
    scale = np.max(np.abs(node_t), initial=0.0, where=~np.isnan(node_t))
    np.testing.assert_allclose(result.node_temperature, node_t, rtol=0, atol=1e-11 * scale)
    np.testing.assert_allclose(result.link_outlet_temperature, outlet, rtol=0, atol=1e-11 * scale)


@pytest.mark.parametrize("seed", range(3))
def test_many_loop_closures_match_the_oracle(seed):
    # A dense mesh of cycles: more than 8 loop closures in one part, so the kernel
    # solves without keeping the W columns (a second sweep with the cuts fixed).
    rng = np.random.default_rng(300 + seed)
    net = random_loop_network(rng, 60, 60, max_cycle=12)
    result = solve(net)
    assert result.loop_closures > 8
    node_t, outlet = reference(net)
    np.testing.assert_allclose(result.node_temperature, node_t, rtol=1e-11)
    np.testing.assert_allclose(result.link_outlet_temperature, outlet, rtol=1e-11)


def test_a_mesh_with_too_many_loop_closures_is_refused_quickly():
    # Thousands of independent cycles through one part: refused (status, not minutes).
    rng = np.random.default_rng(7)
    net = random_loop_network(rng, 4000, 1500, max_cycle=30)
    with pytest.raises(SolverError, match=r"hall: the part .* more than 1000 independent loop"):
        solve(net, name="hall")


@pytest.mark.parametrize("seed", range(10))
def test_link_orientation_does_not_matter(seed):
    # Invariant: storing a link the other way round with the opposite flow sign is
    # the same network.
    rng = np.random.default_rng(100 + seed)
    net = random_loop_network(rng, 20, 8)
    flip = rng.random(net["flow"].size) < 0.5
    other = dict(net)
    other["link_from"] = np.where(flip, net["link_to"], net["link_from"])
    other["link_to"] = np.where(flip, net["link_from"], net["link_to"])
    other["flow"] = np.where(flip, -net["flow"], net["flow"])
    a, b = solve(net), solve(other)
    np.testing.assert_allclose(a.node_temperature, b.node_temperature, rtol=1e-13)
    np.testing.assert_allclose(a.link_outlet_temperature, b.link_outlet_temperature, rtol=1e-13)


@pytest.mark.parametrize("seed", range(5))
def test_temperature_rise_is_linear_in_the_heat(seed):
    # Invariant: T − T_f is linear in P for one facility temperature; without heat
    # every flowing node sits at T_f.
    rng = np.random.default_rng(200 + seed)
    net = random_loop_network(rng, 15, 6)
    net["sink"] = np.where(net["rejection"] > 0, 300.0, 0.0)
    base = solve(net)
    doubled = solve(dict(net, heat=2.0 * net["heat"]))
    cold = solve(dict(net, heat=np.zeros_like(net["heat"])))
    flowing = ~base.no_flow
    np.testing.assert_allclose(cold.node_temperature[flowing], 300.0, rtol=1e-14)
    np.testing.assert_allclose(
        doubled.node_temperature[flowing] - 300.0,
        2.0 * (base.node_temperature[flowing] - 300.0),
        rtol=1e-10,
        atol=1e-12,
    )


@pytest.mark.parametrize("reverse_pump", [False, True])
def test_cdu_loop_with_parallel_pumps_matches_the_oracle(reverse_pump):
    # A 3-rack, 6-device loop shaped like the benchmark hall. With the second pump
    # running backwards, tank → pump 1 → header → pump 2 → tank is a cycle that
    # bypasses the exchanger: the loop still has a steady state (its part is not
    # closed: the exchanger is in the same strongly connected part). A loop with
    # one CDU needs one loop-closure unknown (DFS from the pump header, which every
    # cycle passes); the bypass cycle may add one.
    net = cdu_loop(3, 6, reverse_pump=reverse_pump)
    node_t, outlet = reference(net)
    result = solve(net)
    np.testing.assert_allclose(result.node_temperature, node_t, rtol=1e-12)
    np.testing.assert_allclose(result.link_outlet_temperature, outlet, rtol=1e-12)
    # 18 devices at 2 kW all leave through the one exchanger
    assert result.heat_rejected == pytest.approx(36e3, rel=1e-12)
    assert result.loop_closures in ((1, 2) if reverse_pump else (1,))


def test_independent_loops_in_one_call():
    # Two CDU loops side by side (node indices of the second shifted): each keeps its
    # own solution, and the loop-closure unknowns add up.
    a = cdu_loop(2, 4)
    b = cdu_loop(3, 3, device_heat=5e3, reverse_pump=True)
    both = {
        "n": a["n"] + b["n"],
        "link_from": np.concatenate([a["link_from"], b["link_from"] + a["n"]]),
        "link_to": np.concatenate([a["link_to"], b["link_to"] + a["n"]]),
        **{k: np.concatenate([a[k], b[k]]) for k in ("flow", "heat", "rejection", "sink")},
    }
    ra, rb, rab = solve(a), solve(b), solve(both)
    np.testing.assert_allclose(
        rab.node_temperature, np.concatenate([ra.node_temperature, rb.node_temperature])
    )
    assert rab.loop_closures == ra.loop_closures + rb.loop_closures


# --- flow edge cases -----------------------------------------------------------------


def dead_branch_loop(dead_flow=0.0, dead_heat=0.0):
    # The one-heater loop plus a branch 1 → 4 → 2 in parallel with the rack (no flow:
    # a closed valve); whatever it carries is taken from the rack link (mass balance).
    return network(
        [
            (0, 1, 2.5e-3, 0.0, 0.0, 0.0),
            (1, 2, 2.5e-3 - dead_flow, 100e3, 0.0, 0.0),
            (2, 3, 2.5e-3, 0.0, 0.0, 0.0),
            (3, 0, 2.5e-3, 0.0, 0.7, 305.0),
            (1, 4, dead_flow, 0.0, 0.0, 0.0),
            (4, 2, dead_flow, dead_heat, 0.0, 0.0),
        ],
        5,
    )


@pytest.mark.parametrize("dead_flow", [0.0, 1e-15, -1e-15])
def test_zero_flow_branch_without_heat_is_left_undefined(dead_flow):
    # Flows within ZERO_FLOW_FRACTION of the largest count as none: the dead node has
    # no temperature (NaN) and the rest matches the loop without the branch.
    result = solve(dead_branch_loop(dead_flow))
    rise = 100e3 / 10450.0
    t_sup, t_ret = 305.0 + 0.3 / 0.7 * rise, 305.0 + rise / 0.7
    assert result.node_temperature[:4] == pytest.approx([t_sup, t_sup, t_ret, t_ret])
    assert np.isnan(result.node_temperature[4])
    assert result.no_flow.tolist() == [False, False, False, False, True]
    assert np.isnan(result.link_outlet_temperature[4:]).all()
    assert result.heat_removed[4:].tolist() == [0.0, 0.0]


def test_heat_on_a_zero_flow_link_is_a_solver_error_naming_it():
    net = dead_branch_loop(0.0, dead_heat=1.5e3)
    with pytest.raises(SolverError, match=r"cdu-3: link 5 \(r03-c07\) carries 1500 W but has no"):
        solve(net, name="cdu-3", link_names=[f"l{k}" for k in range(5)] + ["r03-c07"])


def test_explicit_zero_flow_threshold():
    # 1e-6 m³/s is 0.04 % of the loop flow: real flow by default, none with zero_flow=1e-5.
    net = dead_branch_loop(1e-6)
    assert not solve(net).no_flow.any()
    args = [net[k] for k in ("n", "link_from", "link_to", "flow")]
    cut = steady_temperatures(
        *args,
        WATER_RHO,
        WATER_CP,
        heat=net["heat"],
        rejection=net["rejection"],
        sink_temperature=net["sink"],
        zero_flow=1e-5,
    )
    assert cut.no_flow.tolist() == [False] * 4 + [True]
    # Dropping a real flow breaks mass balance by that flow (1e-6 of 2.5e-3 m³/s), so
    # the energy balance closes only to about that fraction.
    assert abs(cut.energy_imbalance) <= 1.01 * 1e-6 / 2.5e-3 * cut.heat_in


def test_loop_without_exchanger_has_no_steady_state():
    net = network(
        [(0, 1, 1e-3, 5e3, 0.0, 0.0), (1, 2, 1e-3, 0.0, 0.0, 0.0), (2, 0, 1e-3, 0, 0, 0)], 3
    )
    with pytest.raises(
        SolverError, match=r"pod-a: the closed loop through node 0 .*no heat rejection"
    ):
        solve(net, name="pod-a")


def test_second_loop_without_exchanger_is_reported_with_its_node():
    # One good loop (nodes 0-1) and one without exchanger (nodes 2-4): the error names
    # the bad loop's node.
    net = network(
        [
            (0, 1, 1e-3, 5e3, 0.0, 0.0),
            (1, 0, 1e-3, 0.0, 0.5, 300.0),
            (2, 3, 1e-3, 5e3, 0.0, 0.0),
            (3, 4, 1e-3, 0.0, 0.0, 0.0),
            (4, 2, 1e-3, 0.0, 0.0, 0.0),
        ],
        5,
    )
    with pytest.raises(SolverError, match=r"node 2 \(n2\)"):
        solve(net, node_names=[f"n{i}" for i in range(5)])


def test_node_with_outflow_but_no_inflow_violates_mass_balance():
    # 0 → 1 → 2 → 1? No: 0 only sends (a source), so its temperature is undefined.
    net = network([(0, 1, 1e-3, 0.0, 0.0, 0.0), (1, 2, 1e-3, 1e3, 0.5, 300.0)], 3)
    with pytest.raises(SolverError, match="node 0 has outflow but no inflow.*mass balance"):
        solve(net)


def test_tiny_rejection_is_singular_not_garbage():
    # φ = 1e-14: in exact arithmetic solvable, numerically T_ret − T_f = P/(φĊ) ~ 1e17 K.
    net = network([(0, 1, 1e-3, 1e3, 0.0, 0.0), (1, 0, 1e-3, 0.0, 1e-14, 300.0)], 2)
    with pytest.raises(SolverError, match="singular"):
        solve(net)


def test_empty_network():
    result = steady_temperatures(0, [], [], [], 1000.0, 4180.0)
    assert result.node_temperature.shape == (0,)
    assert result.energy_imbalance == 0.0
    isolated = steady_temperatures(3, [], [], [], 1000.0, 4180.0)
    assert isolated.no_flow.tolist() == [True] * 3


# --- bad input -----------------------------------------------------------------------


GOOD = dict(
    n_nodes=2,
    link_from=[0, 1],
    link_to=[1, 0],
    flow=[1e-3, 1e-3],
    density=1000.0,
    heat_capacity=4180.0,
    heat=[1e3, 0.0],
    rejection=[0.0, 0.5],
    sink_temperature=[0.0, 300.0],
)


def call(**changes):
    kwargs = dict(GOOD, **changes)
    args = [kwargs.pop(k) for k in ("n_nodes", "link_from", "link_to", "flow")]
    return steady_temperatures(*args, kwargs.pop("density"), kwargs.pop("heat_capacity"), **kwargs)


def test_good_input_solves():
    assert call().energy_imbalance == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"flow": [1e-3]}, "link_from has 2 entries, expected 1"),
        ({"heat": [1e3]}, "heat has 1 entries, expected 2"),
        ({"flow": [[1e-3, 1e-3]]}, "one-dimensional"),
        ({"flow": [np.nan, 1e-3]}, "flow must be finite; first bad index 0"),
        ({"heat": [1e3, np.inf]}, "heat must be finite"),
        ({"heat": [-1.0, 0.0]}, "heat must be >= 0"),
        ({"rejection": [0.0, 1.5]}, r"rejection must be in \[0, 1\]"),
        ({"rejection": [0.0, -0.1]}, "rejection must be >= 0"),
        ({"sink_temperature": [0.0, np.nan]}, "sink_temperature must be finite"),
        ({"link_to": [1, 2]}, r"link_to\[1\] = 2 is not a node index in \[0, 2\)"),
        ({"link_from": [-1, 1]}, r"link_from\[0\] = -1"),
        ({"link_from": [0.0, 1.0]}, "integer indices"),
        ({"link_to": [0, 0]}, "link 0 connects node 0 to itself"),
        ({"density": 0.0}, "density must be a positive finite number"),
        ({"heat_capacity": np.nan}, "heat_capacity must be a positive finite number"),
        ({"zero_flow": -1.0}, "zero_flow must be a finite number >= 0"),
        ({"n_nodes": -1}, "n_nodes must be >= 0"),
    ],
)
def test_bad_input_is_a_value_error(changes, message):
    with pytest.raises(ValueError, match=message):
        call(**changes)


def kernel_args(**changes):
    args = dict(
        n=2,
        link_from=np.array([0, 1], np.intp),
        link_to=np.array([1, 0], np.intp),
        flow=np.array([1e-3, 1e-3]),
        heat=np.array([1e3, 0.0]),
        rejection=np.array([0.0, 0.5]),
        sink=np.array([0.0, 300.0]),
        rho_cp=4.18e6,
        zero_flow=0.0,
    )
    args.update(changes)
    return list(args.values())


@pytest.mark.parametrize(
    ("changes", "status", "bad"),
    [
        ({}, _thermal.STATUS_OK, -1),
        ({"flow": np.array([1e-3])}, _thermal.STATUS_HEAT_BAD_SHAPE, -1),
        ({"link_to": np.array([1, 5], np.intp)}, _thermal.STATUS_HEAT_BAD_LINK, 1),
        ({"link_to": np.array([0, 0], np.intp)}, _thermal.STATUS_HEAT_BAD_LINK, 0),
        ({"flow": np.array([1e-3, np.nan])}, _thermal.STATUS_HEAT_BAD_VALUE, 1),
        ({"heat": np.array([-1.0, 0.0])}, _thermal.STATUS_HEAT_BAD_VALUE, 0),
        ({"rejection": np.array([0.0, np.nan])}, _thermal.STATUS_HEAT_BAD_VALUE, 1),
        ({"rho_cp": 0.0}, _thermal.STATUS_HEAT_BAD_VALUE, -1),
        ({"zero_flow": np.nan}, _thermal.STATUS_HEAT_BAD_VALUE, -1),
        ({"flow": np.array([0.0, 0.0])}, _thermal.STATUS_HEAT_NO_FLOW_HEAT, 0),
        ({"rejection": np.array([0.0, 0.0])}, _thermal.STATUS_HEAT_NO_REJECTION, 0),
        ({"flow": np.array([1e-3, 0.0]), "heat": np.zeros(2)}, _thermal.STATUS_HEAT_NO_INFLOW, 0),
    ],
)
def test_kernel_reports_bad_numbers_with_a_status(changes, status, bad):
    # The kernel never raises for bad numbers: a status and the offending index.
    node_t, outlet, _, got, index = _thermal.solve_advection(*kernel_args(**changes))
    assert (got, index) == (status, bad)
    if status != _thermal.STATUS_OK:
        assert np.isnan(node_t).all() and np.isnan(outlet).all()
