"""Hydraulic solver (rackval._thermal GGA kernel and rackval.solve.hydraulics).

Provenance of the numbers: hand calculations written out in each test, the NumPy/scipy
oracle in tests/reference_hydraulics.py (same algorithm, written independently),
scipy.optimize.root on the raw nonlinear equations, fluids' Swamee-Jain, and invariants
(mass balance at every node, asserted on every solve through ``solved``; symmetry).
EPANET through WNTR: tests/solve/test_hydraulics_epanet.py.
"""

from __future__ import annotations

import math

import fluids.friction
import numpy as np
import pytest
import scipy.linalg
import scipy.optimize
import scipy.sparse as sp
from reference_hydraulics import (
    MU,
    RHO,
    assert_mass_balance,
    epanet_tolerances,
    friction,
    incidence,
    link_loss,
    network,
    pipe,
    pump,
    random_loop,
    raw_residual,
    reference_solve,
    resistance,
    solved,
    union,
)
from scipy.sparse.csgraph import connected_components, reverse_cuthill_mckee

from rackval import _thermal
from rackval.errors import SolverError
from rackval.solve.hydraulics import (
    PIPE,
    PUMP,
    RESISTANCE,
    HydraulicResult,
    Network,
    _error_message,
    bench_hall_network,
    initial_flow,
    prepare,
    solve,
    solve_batch,
)

H0 = 2.0e5  # pump shut-off pressure [Pa]
R_PUMP = 1.0e8  # pump curve coefficient [Pa/(m³/s)²]: gain = H0 - r Q²
P_TANK = 1.0e5  # expansion tank pressure [Pa]


def test_kinds_match_the_kernel():
    assert (PIPE, RESISTANCE, PUMP) == (0, 1, 2)
    assert (_thermal.LINK_PIPE, _thermal.LINK_RESISTANCE, _thermal.LINK_PUMP) == (0, 1, 2)
    codes = [getattr(_thermal, name) for name in dir(_thermal) if name.startswith("STATUS_HYD")]
    assert len(set(codes)) == len(codes) and all(10 <= c <= 29 for c in codes)


# --- closed forms ----------------------------------------------------------------------


def test_one_pump_one_resistance_closed_form():
    # Steady state: pump gain = resistance loss:  H0 - r Q² = k Q²  ->  Q = sqrt(H0 / (r + k)).
    # H0 = 2e5 Pa, r = 1e8, k = 3e8 Pa·s²/m⁶:  Q = sqrt(2e5 / 4e8) = sqrt(5e-4) = 0.0223607 m³/s.
    # Pump outlet pressure = P_tank + H0 - r Q² = 1e5 + 2e5 - 1e8·5e-4 = 2.5e5 Pa.
    k = 3.0e8
    net = network([pump(0, 1, H0, R_PUMP), resistance(1, 0, k)], 2)
    result = solved(net)
    assert result.flow == pytest.approx([math.sqrt(H0 / (R_PUMP + k))] * 2, rel=1e-9)
    assert result.flow[0] == pytest.approx(0.02236068, rel=1e-6)
    assert result.pressure == pytest.approx([P_TANK, 2.5e5], rel=1e-9)
    assert result.residual <= 1e-6 and result.iterations < 20


@pytest.mark.parametrize("speed", [0.5, 0.8, 1.0])
def test_pump_speed_affinity_law(speed):
    # gain = s² (H0 - r (Q/s)²) = s² H0 - r Q²  ->  s² H0 - r Q² = k Q²  ->  Q = s sqrt(H0/(r+k)).
    k = 3.0e8
    net = network([pump(0, 1, H0, R_PUMP, speed=speed), resistance(1, 0, k)], 2)
    assert solved(net).flow[0] == pytest.approx(speed * math.sqrt(H0 / (R_PUMP + k)), rel=1e-9)


@pytest.mark.parametrize("n_branches", [2, 3, 7])
def test_identical_parallel_branches_split_equally(n_branches):
    # tank 0 -pump-> 1 =N identical branches k=> 2 -return k_ret-> 0. Each branch carries Q/N:
    # H0 - r Q² = k_ret Q² + k (Q/N)²  ->  Q = sqrt(H0 / (r + k_ret + k/N²)).
    k, k_ret = 8.0e8, 1.0e8
    links = [pump(0, 1, H0, R_PUMP)] + [resistance(1, 2, k) for _ in range(n_branches)]
    links.append(resistance(2, 0, k_ret))
    result = solved(network(links, 3))
    total = math.sqrt(H0 / (R_PUMP + k_ret + k / n_branches**2))
    assert result.flow[0] == pytest.approx(total, rel=1e-9)
    assert result.flow[1 : 1 + n_branches] == pytest.approx([total / n_branches] * n_branches)


def test_series_and_parallel_equivalent_resistances():
    # Branch a: k1 and k2 in series (node 2 between), branch b: k3, both from node 1 to 3.
    # Series: k_a = k1 + k2.  Parallel at a common dp: Q_i = sqrt(dp / k_i), so
    # sqrt(1/k_eq) = sqrt(1/k_a) + sqrt(1/k3)  ->  k_eq = (k_a^-1/2 + k3^-1/2)^-2.
    # Loop: H0 - r Q² = k_eq Q²; branch flows Q_a = Q sqrt(k_eq / k_a), Q_b = Q sqrt(k_eq / k3).
    k1, k2, k3 = 2.0e8, 6.0e8, 5.0e8
    links = [
        pump(0, 1, H0, R_PUMP),
        resistance(1, 2, k1),
        resistance(2, 3, k2),
        resistance(1, 3, k3),
        pipe(3, 0, 1.0, 0.2),  # near-zero loss return to the tank
    ]
    result = solved(network(links, 4))
    k_a = k1 + k2
    k_eq = (k_a**-0.5 + k3**-0.5) ** -2
    pipe_loss = link_loss(
        network(links, 4), result.flow, np.ones(5), np.zeros(5, dtype=bool), floor=False
    )[0][4]
    total = math.sqrt((H0 - pipe_loss) / (R_PUMP + k_eq))
    assert result.flow[0] == pytest.approx(total, rel=1e-9)
    assert result.flow[1] == pytest.approx(total * math.sqrt(k_eq / k_a), rel=1e-9)
    assert result.flow[2] == pytest.approx(result.flow[1], rel=1e-12)
    assert result.flow[3] == pytest.approx(total * math.sqrt(k_eq / k3), rel=1e-9)


def test_datasheet_curve_pump_on_one_segment():
    # Points (0, 2.0e5), (1e-3, 1.8e5), (2e-3, 1.2e5), (3e-3, 0.2e5) [m³/s, Pa].
    # With k = 2.5e10 the operating point lies on the segment 1e-3..2e-3:
    # gain = a + b Q with b = (1.2e5 - 1.8e5)/1e-3 = -6e7, a = 1.8e5 + 6e7·1e-3 = 2.4e5.
    # a + b Q = k Q²  ->  k Q² - b Q - a = 0  ->  Q = (b + sqrt(b² + 4 k a)) / (2k)
    #   = (-6e7 + sqrt(3.6e15 + 2.4e16)) / 5e10 = (-6e7 + 1.66132e8) / 5e10 = 2.1226e-3 ... beyond
    # the segment, so use k = 4e10: Q = (-6e7 + sqrt(3.6e15 + 3.84e16)) / 8e10 = 1.8117e-3.
    points = [(0.0, 2.0e5), (1e-3, 1.8e5), (2e-3, 1.2e5), (3e-3, 0.2e5)]
    k = 4.0e10
    a, b = 2.4e5, -6.0e7
    expected = (b + math.sqrt(b * b + 4 * k * a)) / (2 * k)
    assert 1e-3 < expected < 2e-3
    net = network([{"a": 0, "b": 1, "kind": PUMP, "curve": points}, resistance(1, 0, k)], 2)
    assert solved(net).flow[0] == pytest.approx(expected, rel=1e-9)
    # at speed s: gain = s² a + s b Q (affinity scaling of the same segment)
    s = 0.9
    net = network(
        [{"a": 0, "b": 1, "kind": PUMP, "curve": points, "speed": s}, resistance(1, 0, k)], 2
    )
    expected = (s * b + math.sqrt((s * b) ** 2 + 4 * k * s * s * a)) / (2 * k)
    assert 1e-3 < expected / s < 2e-3
    assert solved(net).flow[0] == pytest.approx(expected, rel=1e-9)


# --- pipes: laminar, transitional, turbulent ---------------------------------------------


def _pipe_between_tanks(dp: float, length: float, diameter: float, **extra) -> Network:
    # two tanks (fixed pressures) joined by one pipe; no pump
    return network(
        [pipe(0, 1, length, diameter, **extra)],
        2,
        fixed_nodes=[0, 1],
        fixed_pressure=[P_TANK + dp, P_TANK],
    )


def test_laminar_pipe_is_hagen_poiseuille():
    # Q = π d⁴ Δp / (128 μ L) for Re <= 2000.  d = 4 mm, L = 2 m, Δp = 500 Pa:
    # Q = π·2.56e-10·500 / (128·1.002e-3·2) = 4.0212e-7/0.256512 = 1.5677e-6 m³/s; v = 0.1247 m/s,
    # Re = ρ v d / μ = 998.2·0.1247·0.004/1.002e-3 = 497 (laminar).
    d, length, dp = 0.004, 2.0, 500.0
    result = solved(_pipe_between_tanks(dp, length, d))
    expected = math.pi * d**4 * dp / (128 * MU * length)
    assert result.flow[0] == pytest.approx(expected, rel=1e-9)
    reynolds = 4 * RHO * expected / (math.pi * d * MU)
    assert 400 < reynolds < 2000


@pytest.mark.parametrize(("dp", "regime"), [(1.0e3, "transitional"), (6.0e4, "turbulent")])
def test_pipe_friction_factor(dp, regime):
    # Solve the flow through a 10 mm, 5 m pipe at a given Δp, then recompute the friction factor
    # from Darcy-Weisbach: f = Δp · 2 d / (L ρ v²) and compare with the law at that Re:
    # turbulent: Swamee & Jain 1976, f = 0.25 / log10(ε/(3.7 d) + 5.74 / Re^0.9)² (EPANET's
    # constant 5.74; fluids.friction writes it (6.97/Re)^0.9 = 5.7436/Re^0.9, 2e-6 apart);
    # transitional: the Dunlop cubic (Hermite form in the oracle) between 64/Re and Swamee-Jain.
    d, length, eps = 0.010, 5.0, 1.5e-6
    result = solved(_pipe_between_tanks(dp, length, d, roughness=eps))
    v = result.flow[0] / (math.pi * d * d / 4)
    reynolds = RHO * v * d / MU
    f = dp * 2 * d / (length * RHO * v * v)
    if regime == "turbulent":
        assert reynolds > 4000
        assert f == pytest.approx(_swamee_jain(reynolds, eps / d), rel=1e-9)
        assert f == pytest.approx(fluids.friction.Swamee_Jain_1976(reynolds, eps / d), rel=1e-5)
    else:
        assert 2000 < reynolds < 4000
        assert f == pytest.approx(friction(np.array([reynolds]), np.array([eps / d]))[0][0])


def _swamee_jain(reynolds: float, rel_rough: float) -> float:
    return 0.25 / math.log10(rel_rough / 3.7 + 5.74 / reynolds**0.9) ** 2


def test_transition_friction_is_continuous():
    # The Dunlop cubic meets 64/Re at Re = 2000 and Swamee-Jain at Re = 4000 (value and slope).
    rel = np.array([1e-4])
    lo, dlo = friction(np.array([2000.0 + 1e-6]), rel)
    assert lo[0] == pytest.approx(64 / 2000, rel=1e-8)
    assert dlo[0] == pytest.approx(-64 / 2000**2, rel=1e-6)
    hi, _ = friction(np.array([4000.0 - 1e-6]), rel)
    assert hi[0] == pytest.approx(_swamee_jain(4000.0, 1e-4), rel=1e-8)


def test_minor_loss_adds_k_rho_v2_over_2():
    # Δp = (f L/d + K) ρ v²/2 with f from Swamee-Jain at the solved Re; K = 15.
    d, length, dp, k_minor = 0.012, 1.0, 4.0e4, 15.0
    net = _pipe_between_tanks(dp, length, d, roughness=1.5e-6, minor_loss=k_minor)
    q = solved(net).flow[0]
    v = q / (math.pi * d * d / 4)
    f = _swamee_jain(RHO * v * d / MU, 1.5e-6 / d)
    assert (f * length / d + k_minor) * RHO * v * v / 2 == pytest.approx(dp, rel=1e-9)


# --- oracle and root on random loops ----------------------------------------------------


@pytest.mark.parametrize("seed", range(120))
def test_kernel_matches_scipy_oracle(seed):
    net = random_loop(seed)
    result = solved(net, tol=1e-7)
    flow, pressure, _, _, converged = reference_solve(net, initial_flow(net), tol=1e-7)
    assert converged
    scale = np.abs(flow).max()
    np.testing.assert_allclose(result.flow, flow, rtol=0, atol=2e-6 * scale)
    span = pressure.max() - pressure.min()
    np.testing.assert_allclose(result.pressure, pressure, rtol=0, atol=1e-6 * span)


def _running_pumps(seed):
    # small loops whose pumps all run and whose links all carry flow (no dead ends: the raw
    # law k Q|Q| has a zero derivative at Q = 0, which root's Jacobian cannot handle)
    net = random_loop(seed, max_nodes=9)
    result = solved(net, tol=1e-8)
    return net, result, bool(np.all(np.abs(result.flow) > 1e-3 * np.abs(result.flow).max()))


@pytest.mark.parametrize("seed", [s for s in range(300) if _running_pumps(s)[2]][:25])
def test_kernel_matches_scipy_root_on_raw_equations(seed):
    # Every pump running (no check valve shut): solve the raw equations h(Q) = p_from - p_to,
    # Σ outflow + demand = 0 with scipy.optimize.root from a 3 % perturbed start.
    net, result, _ = _running_pumps(seed)
    unknown = np.setdiff1d(np.arange(net.n_nodes), net.fixed_nodes)
    q_scale = np.abs(result.flow).max()
    p_scale = 1e5
    x = np.concatenate([result.flow / q_scale, result.pressure[unknown] / p_scale])
    assert np.abs(raw_residual(net, x, q_scale, p_scale)).max() < 1e-6
    rng = np.random.default_rng(seed)
    start = x * (1 + 0.03 * rng.standard_normal(x.shape))
    root = scipy.optimize.root(
        lambda y: raw_residual(net, y, q_scale, p_scale), start, method="hybr", tol=1e-13
    )
    assert root.success, root.message
    m = net.n_links
    np.testing.assert_allclose(result.flow, root.x[:m] * q_scale, rtol=0, atol=1e-6 * q_scale)
    np.testing.assert_allclose(result.pressure[unknown], root.x[m:] * p_scale, rtol=1e-7)


def test_random_loops_cover_every_regime():
    # the random loops exercise laminar, transitional and turbulent pipes and shut pumps
    regimes = set()
    shut = 0
    for seed in range(120):
        net = random_loop(seed)
        result = solved(net)
        pipes = net.kind == PIPE
        reynolds = (
            4 * net.density * np.abs(result.flow[pipes]) / (math.pi * net.diameter[pipes])
        ) / net.viscosity
        regimes |= {"laminar"} if np.any((reynolds > 1) & (reynolds <= 2000)) else set()
        regimes |= {"transitional"} if np.any((reynolds > 2000) & (reynolds < 4000)) else set()
        regimes |= {"turbulent"} if np.any(reynolds >= 4000) else set()
        shut += int(np.any(result.flow[net.kind == PUMP] < 0))
    assert regimes == {"laminar", "transitional", "turbulent"}
    assert shut > 0


# --- check valves, closed links, zero flow -----------------------------------------------


def test_check_valve_blocks_reverse_flow():
    # A strong pump (H0 = 2e5) and a weak one (H0 = 0.5e5) in parallel on k = 3e8: the strong one
    # alone gives Q = sqrt(2e5 / 4e8) = 0.02236 and a gain of 1.5e5 Pa > 0.5e5, so the weak pump's
    # check valve shuts: it carries only the leakage of a closed link (gain / CBIG), never a
    # reverse flow of the order of the loop flow.
    k = 3.0e8
    net = network([pump(0, 1, H0, R_PUMP), pump(0, 1, 0.5e5, R_PUMP), resistance(1, 0, k)], 2)
    result = solved(net)
    cbig = epanet_tolerances(RHO)[0]
    assert result.flow[0] == pytest.approx(math.sqrt(H0 / (R_PUMP + k)), rel=1e-6)
    assert abs(result.flow[1]) <= 1.01 * 1.5e5 / cbig
    assert abs(result.flow[1]) < 1e-6 * result.flow[0]


def test_closed_link_carries_no_flow_and_keeps_the_pattern():
    # Two parallel branches k1, k2; branch 2 closed: the loop is pump + k1 alone,
    # Q = sqrt(H0 / (r + k1)), and the closed branch leaks only Δp / CBIG.
    k1, k2 = 3.0e8, 1.0e8
    links = [pump(0, 1, H0, R_PUMP), resistance(1, 0, k1), resistance(1, 0, k2, closed=True)]
    net = network(links, 2)
    result = solved(net)
    assert result.flow[1] == pytest.approx(math.sqrt(H0 / (R_PUMP + k1)), rel=1e-6)
    assert abs(result.flow[2]) < 1e-6 * result.flow[1]
    open_net = network(links[:2] + [resistance(1, 0, k2)], 2)
    assert prepare(net).nnz_l == prepare(open_net).nnz_l


def test_stopped_pump_is_a_closed_link():
    k = 3.0e8
    net = network(
        [pump(0, 1, H0, R_PUMP), pump(0, 1, H0, R_PUMP, speed=0.0), resistance(1, 0, k)], 2
    )
    result = solved(net)
    assert result.flow[0] == pytest.approx(math.sqrt(H0 / (R_PUMP + k)), rel=1e-6)
    assert abs(result.flow[1]) < 1e-6 * result.flow[0]


def test_zero_flow_bridge_and_zero_start():
    # Wheatstone bridge with equal arms carries exactly no flow; starting from zero flow in
    # every branch must not divide by zero (laminar gradient of pipes, chord law and RQtol
    # floor of resistances).
    k = 4.0e8
    links = [
        pump(0, 1, H0, R_PUMP),
        resistance(1, 2, k),
        resistance(1, 3, k),
        resistance(2, 4, k),
        resistance(3, 4, k),
        resistance(2, 3, 1.0e8),  # the bridge
        pipe(4, 0, 2.0, 0.05),
    ]
    net = network(links, 5)
    zero_branches = np.zeros(len(links))
    zero_branches[0] = 0.02
    for start in (None, zero_branches):
        result = solved(net, flow0=start)
        assert abs(result.flow[5]) < 1e-9 * result.flow[0]
        assert result.flow[1] == pytest.approx(result.flow[2], rel=1e-9)


def test_demand_and_two_tanks():
    # Open network fed by two tanks at different pressures, one node with an outflow demand:
    # mass balance and the oracle.
    links = [pipe(0, 2, 10.0, 0.02), pipe(1, 2, 5.0, 0.015), resistance(2, 3, 5e9)]
    net = network(
        links, 4, fixed_nodes=[0, 1, 3], fixed_pressure=[3e5, 2.5e5, 1e5], demand=[0, 0, 1e-4, 0]
    )
    result = solved(net)
    flow, pressure, *_ = reference_solve(net, initial_flow(net))
    np.testing.assert_allclose(result.flow, flow, rtol=1e-6)
    assert result.flow[0] + result.flow[1] == pytest.approx(result.flow[2] + 1e-4, rel=1e-9)


# --- batch ----------------------------------------------------------------------------------


def _cdu_loop(n_cdus: int = 3, pumps_per_cdu: int = 2, racks: int = 4) -> Network:
    # One tank; per CDU parallel pumps into its header, racks of devices between supply and
    # return headers that are tied together (so the CDUs back each other up).
    links = []
    supply = 1
    ret = 2
    n = 3
    for c in range(n_cdus):
        out = n
        n += 1
        for _ in range(pumps_per_cdu):
            links.append(pump(0, out, 2.5e5, 6e9, pump_exponent=1.9))
        links.append(pipe(out, supply, 2.0, 0.05, minor_loss=20))
        for _ in range(racks):
            a, b = n, n + 1
            n += 2
            links += [pipe(supply, a, 3.0, 0.025, minor_loss=4.5), resistance(a, b, 2e11)]
            links += [pipe(b, ret, 3.0, 0.025, minor_loss=4.5)]
    links.append(pipe(ret, 0, 2.0, 0.06))
    return network(links, n)


def test_batch_equals_individual_solves():
    net = _cdu_loop()
    pumps = np.flatnonzero(net.kind == PUMP)
    scenarios = [[int(p)] for p in pumps]  # each pump lost
    scenarios += [[int(pumps[0]), int(pumps[1])]]  # a CDU lost (both its pumps)
    scenarios += [[int(np.flatnonzero(net.kind == RESISTANCE)[3])]]  # a device valved off
    speeds = [{int(pumps[2]): 0.7}] * len(scenarios)
    batch = solve_batch(net, closed=scenarios, speed=speeds)
    assert batch.ok.all() and batch.errors == (None,) * len(scenarios)
    for j, links in enumerate(scenarios):
        closed = net.closed.copy()
        closed[links] = True
        speed = net.speed.copy()
        speed[pumps[2]] = 0.7
        single = solved(_edit(net, closed=closed, speed=speed))
        assert_mass_balance(net, batch.flow[j], batch.pressure[j])
        scale = np.abs(single.flow).max()
        np.testing.assert_allclose(batch.flow[j], single.flow, rtol=0, atol=1e-6 * scale)
        np.testing.assert_allclose(batch.pressure[j], single.pressure, rtol=1e-7)


def test_batch_dense_masks_equal_lists():
    net = _cdu_loop(2, 2, 3)
    pumps = np.flatnonzero(net.kind == PUMP)
    mask = np.zeros((len(pumps), net.n_links), dtype=bool)
    mask[np.arange(len(pumps)), pumps] = True
    speed = np.tile(net.speed, (len(pumps), 1))
    speed[:, pumps[-1]] = 0.8
    dense = solve_batch(net, closed=mask, speed=speed)
    listed = solve_batch(
        net, closed=[[int(p)] for p in pumps], speed=[{int(pumps[-1]): 0.8}] * len(pumps)
    )
    np.testing.assert_allclose(dense.flow, listed.flow, rtol=0, atol=1e-15)
    for j in range(len(pumps)):
        assert_mass_balance(net, dense.flow[j], dense.pressure[j])


def test_batch_on_the_hall_reuses_one_topology():
    net = bench_hall_network(40)
    topology = prepare(net)
    base = solved(net, prepared=topology)
    pumps = np.flatnonzero(net.kind == PUMP)
    batch = solve_batch(net, closed=[[int(p)] for p in pumps], prepared=topology, base=base)
    for j, p in enumerate(pumps):
        assert_mass_balance(net, batch.flow[j], batch.pressure[j])
        twin = p + 1 if p % 2 == 0 or pumps[0] % 2 != p % 2 else p - 1
        twin = pumps[j + 1] if j % 2 == 0 else pumps[j - 1]
        assert abs(batch.flow[j, p]) < 1e-6 * batch.flow[j, twin]
        assert batch.flow[j, twin] > base.flow[twin]  # the surviving pump takes more flow
    assert batch.iterations.max() <= 20


# --- batch: one connected component at a time -----------------------------------------------
# A scenario iterates only the loops (connected components) its edits change and copies the
# base solution into the others; the kernel first re-solves the base from ``base.flow``, so
# "the base solution" below is ``solve(net, flow0=base.flow)``, bit for bit. Every comparison
# with a full solve of the scenario is at the solver tolerance: Σ|ΔQ|/Σ|Q| <= 1e-6, so flows
# to 1e-6 of the largest flow (as test_batch_equals_individual_solves).


def _loops() -> Network:
    # three loops of very different sizes side by side, one fluid (water): one pump on one
    # resistance (2 nodes), a 20-rack group of the benchmark hall (804 nodes), a random CDU loop
    # (34 nodes)
    tiny = network([pump(0, 1, H0, R_PUMP), resistance(1, 0, 3.0e8)], 2)
    return union(tiny, bench_hall_network(20), random_loop(3))


def _assert_full_solve(net: Network, flow, pressure, edited: Network, start) -> None:
    full = solved(edited, flow0=start)
    assert_mass_balance(net, flow, pressure)
    scale = np.abs(full.flow).max()
    np.testing.assert_allclose(flow, full.flow, rtol=0, atol=1e-6 * scale)
    np.testing.assert_allclose(pressure, full.pressure, rtol=1e-7)


@pytest.mark.parametrize("seed", range(5))
def test_components_are_the_loops_and_the_blocks_of_l(seed):
    # Invariants against scipy's connected_components: same partition, numbered by lowest
    # node; the rows of each component partition the unknowns; L is block diagonal and the
    # elimination tree has one tree per loop (a random loop's free nodes are joined by its
    # spanning tree, so fixed nodes do not split it).
    net = union(random_loop(seed), random_loop(seed + 100), random_loop(seed + 200))
    topology = prepare(net)
    graph = sp.coo_matrix(
        (np.ones(net.n_links), (net.link_from, net.link_to)), shape=(net.n_nodes,) * 2
    )
    count, labels = connected_components(graph, directed=False)
    comp = topology.component_of_node
    assert topology.n_components == count == 3
    _, first = np.unique(comp, return_index=True)
    assert np.all(np.diff(first) > 0)  # numbered by lowest node
    assert len({(a, b) for a, b in zip(comp, labels)}) == count  # the same partition
    np.testing.assert_array_equal(topology.component_of_link, comp[net.link_from])
    ptr, rows = topology.component_rows
    row_comp = comp[topology.permutation]
    np.testing.assert_array_equal(np.sort(rows), np.arange(topology.n_unknown))
    for c in range(count):
        block = rows[ptr[c] : ptr[c + 1]]
        assert np.all(np.diff(block) > 0) and np.all(row_comp[block] == c)
    parent = topology.elimination_tree
    assert np.all(row_comp[parent[parent >= 0]] == row_comp[parent >= 0])
    assert np.count_nonzero(parent < 0) == count
    lptr, lrows = topology.l_indptr, topology.l_indices
    column_comp = np.repeat(row_comp, np.diff(lptr))
    np.testing.assert_array_equal(row_comp[lrows], column_comp)


def test_batch_scenario_touching_two_components():
    # One scenario closes a pump of the hall group and slows the random loop's pump: both loops
    # are iterated together, the tiny loop keeps the base solution; equal to the full solve.
    net = _loops()
    topology = prepare(net)
    comp = topology.component_of_link
    base = solved(net, prepared=topology)
    pumps = np.flatnonzero(net.kind == PUMP)
    hall_pump = int(pumps[comp[pumps] == 1][0])
    loop_pump = int(pumps[comp[pumps] == 2][0])
    batch = solve_batch(
        net,
        closed=[[hall_pump], []],
        speed=[{loop_pump: 0.7}, {}],
        prepared=topology,
        base=base,
    )
    assert batch.ok.all() and batch.iterations[0] > 0 and batch.iterations[1] == 0
    closed = net.closed.copy()
    closed[hall_pump] = True
    speed = net.speed.copy()
    speed[loop_pump] = 0.7
    edited = _edit(net, closed=closed, speed=speed)
    _assert_full_solve(net, batch.flow[0], batch.pressure[0], edited, base.flow)
    held = comp == 0
    np.testing.assert_array_equal(batch.flow[0, held], batch.flow[1, held])
    assert batch.flow[0, loop_pump] < 0.9 * base.flow[loop_pump]  # the slower pump moves less


def test_batch_scenario_touching_no_component_returns_the_base():
    # No edit, closing a link that is already closed, a speed edit of a pipe (speeds apply to
    # pumps only) and a pump set to its own speed change nothing: 0 iterations, the base
    # solution bit for bit, and that within the tolerance of the `base` passed in.
    links = np.arange(_loops().n_links)
    net = _edit(_loops(), closed=links == 40)  # a cold-plate branch of the hall group valved off
    topology = prepare(net)
    base = solved(net, prepared=topology)
    pipe_link = int(np.flatnonzero(net.kind == PIPE)[0])
    pump_link = int(np.flatnonzero(net.kind == PUMP)[0])
    batch = solve_batch(
        net,
        closed=[[], [40], [], []],
        speed=[{}, {}, {pipe_link: 0.5}, {pump_link: float(net.speed[pump_link])}],
        prepared=topology,
        base=base,
    )
    assert batch.ok.all() and np.all(batch.iterations == 0)
    again = solve(net, prepared=topology, flow0=base.flow)
    for j in range(4):
        np.testing.assert_array_equal(batch.flow[j], again.flow)
        np.testing.assert_array_equal(batch.pressure[j], again.pressure)
    assert batch.residual[0] == again.residual <= 1e-6
    scale = np.abs(base.flow).max()
    np.testing.assert_allclose(batch.flow[0], base.flow, rtol=0, atol=1e-6 * scale)


def test_batch_components_of_very_different_sizes():
    # Every pump lost, the hall group's CDU pipe closed (that loop then carries only the
    # leakage of a closed link: converged on the network's Σ|Q| as a full solve is), and the
    # tiny loop's pump with the CDU: each equals the full solve; the loops a scenario leaves
    # alone are the base solution bit for bit.
    net = _loops()
    topology = prepare(net)
    comp = topology.component_of_link
    base = solved(net, prepared=topology)
    pumps = np.flatnonzero(net.kind == PUMP)
    cdu = int(pumps[comp[pumps] == 1][-1]) + 1  # the pipe after the hall group's two pumps
    assert net.kind[cdu] == PIPE and comp[cdu] == 1
    scenarios = [[int(p)] for p in pumps] + [[cdu], [int(pumps[0]), cdu], []]
    batch = solve_batch(net, closed=scenarios, prepared=topology, base=base)
    assert batch.ok.all()
    for j, links in enumerate(scenarios[:-1]):
        closed = net.closed.copy()
        closed[links] = True
        _assert_full_solve(
            net, batch.flow[j], batch.pressure[j], _edit(net, closed=closed), base.flow
        )
        held = ~np.isin(comp, comp[links])
        np.testing.assert_array_equal(batch.flow[j, held], batch.flow[-1, held])
    # CDU closed: at most the closed pipe's leakage, shut-off pressure / CBIG (about 4e-8 m³/s)
    cbig = epanet_tolerances(net.density)[0]
    leak = net.pump_shutoff[pumps].max() / cbig
    assert np.abs(batch.flow[len(pumps), comp == 1]).max() <= 1.01 * leak


def test_batch_warm_start_equivalence():
    # The scenarios start from the base solution the kernel finds from `base.flow`: a converged
    # base, EPANET's cold start and a base with 20 % noise on every flow give the same results,
    # each the full solve of the scenario warm-started from the converged base.
    net = _loops()
    topology = prepare(net)
    base = solved(net, prepared=topology)
    rng = np.random.default_rng(1)
    cold = HydraulicResult(initial_flow(net), np.zeros(net.n_nodes), 0, math.inf)
    noisy = HydraulicResult(
        base.flow * (1 + 0.2 * rng.standard_normal(net.n_links)), base.pressure, 0, math.inf
    )
    pumps = np.flatnonzero(net.kind == PUMP)
    scenarios = [[int(p)] for p in pumps]
    batches = [
        solve_batch(net, closed=scenarios, prepared=topology, base=start)
        for start in (base, cold, noisy)
    ]
    for j, links in enumerate(scenarios):
        closed = net.closed.copy()
        closed[links] = True
        edited = _edit(net, closed=closed)
        for batch in batches:
            _assert_full_solve(net, batch.flow[j], batch.pressure[j], edited, base.flow)


def test_batch_counts_running_pumps_over_the_whole_network():
    # Closing both pumps of one loop leaves the network with running pumps (that loop's flow
    # goes to zero, as in a full solve); closing every pump is "all pumps closed".
    net = union(_cdu_loop(1, 2, 2), _cdu_loop(2, 2, 2))
    topology = prepare(net)
    comp = topology.component_of_link
    pumps = np.flatnonzero(net.kind == PUMP)
    first = [int(p) for p in pumps[comp[pumps] == 0]]
    batch = solve_batch(
        net, closed=[first, [int(p) for p in pumps]], prepared=topology, raise_errors=False
    )
    assert batch.status.tolist() == [_thermal.STATUS_OK, _thermal.STATUS_HYD_ALL_PUMPS_CLOSED]
    closed = net.closed.copy()
    closed[first] = True
    base = solved(net, prepared=topology)
    _assert_full_solve(net, batch.flow[0], batch.pressure[0], _edit(net, closed=closed), base.flow)
    loop = comp == 0
    assert np.abs(batch.flow[0, loop]).max() < 1e-6 * np.abs(base.flow[loop]).max()


def test_batch_solves_in_full_when_the_base_cannot_be_solved():
    # Base: every pump closed (nothing drives the flow: no base solution to copy). Each
    # scenario reopens one pump (dense masks) and is solved in full from `base.flow`: the
    # same computation as solve(flow0=base.flow) on the edited network, bit for bit.
    net = union(_cdu_loop(1, 2, 2), _cdu_loop(2, 2, 2))
    pumps = np.flatnonzero(net.kind == PUMP)
    stopped = _edit(net, closed=net.kind == PUMP)
    start = initial_flow(net)
    masks = np.tile(stopped.closed, (len(pumps), 1))
    masks[np.arange(len(pumps)), pumps] = False
    cold = HydraulicResult(start, np.zeros(net.n_nodes), 0, math.inf)
    batch = solve_batch(stopped, closed=masks, base=cold)
    assert batch.ok.all()
    for j in range(len(pumps)):
        full = solved(_edit(net, closed=masks[j]), flow0=start)
        np.testing.assert_array_equal(batch.flow[j], full.flow)
        np.testing.assert_array_equal(batch.pressure[j], full.pressure)


def _edit(net: Network, **changes) -> Network:
    fields = {
        name: getattr(net, name)
        for name in (
            "n_nodes link_from link_to kind fixed_nodes fixed_pressure density viscosity length "
            "diameter roughness minor_loss resistance pump_shutoff pump_coefficient pump_exponent "
            "curve_ptr curve_flow curve_pressure speed closed demand"
        ).split()
    }
    fields.update(changes)
    return Network(**fields)


# --- symbolic factorization -------------------------------------------------------------------


def _matrix(net: Network, topology) -> np.ndarray:
    # A = B_uᵀ diag(P) B_u with random positive P, in the topology's elimination order
    rng = np.random.default_rng(0)
    b = incidence(net).tocsc()[:, topology.permutation]
    return (b.T @ sp.diags(rng.uniform(0.5, 2.0, net.n_links)) @ b).toarray()


@pytest.mark.parametrize("seed", range(10))
def test_symbolic_pattern_and_etree_match_dense_cholesky(seed):
    net = random_loop(seed)
    topology = prepare(net)
    a = _matrix(net, topology)
    lower = scipy.linalg.cholesky(a, lower=True)
    n = topology.n_unknown
    pattern = np.zeros((n, n), dtype=bool)
    ptr, rows = topology.l_indptr, topology.l_indices
    for j in range(n):
        pattern[rows[ptr[j] : ptr[j + 1]], j] = True
        assert rows[ptr[j]] == j  # diagonal first
    assert topology.nnz_l == ptr[-1] == pattern.sum()
    assert np.all(pattern[np.abs(lower) > 1e-12])  # numeric nonzeros lie in the pattern
    assert (np.abs(lower) > 1e-12).sum() == topology.nnz_l  # and fill it (no cancellation)
    parent = topology.elimination_tree
    for j in range(n):  # parent = first off-diagonal row of column j
        below = np.flatnonzero(pattern[j + 1 :, j])
        assert parent[j] == (j + 1 + below[0] if below.size else -1)


def test_minimum_degree_fill_beats_natural_and_rcm_on_the_hall():
    # Fill of L (nnz) on the 100-rack hall: minimum degree vs the natural (build) order and
    # reverse Cuthill-McKee (scipy) passed in as explicit orders.
    net = bench_hall_network(100)
    md = prepare(net).nnz_l
    unknown = np.setdiff1d(np.arange(net.n_nodes), net.fixed_nodes)
    natural = _thermal.prepare_hydraulic(
        net.n_nodes, net.link_from, net.link_to, net.fixed_nodes, np.arange(len(unknown))
    )[0].nnz_l
    b = incidence(net).tocsc()[:, unknown]
    graph = sp.csr_matrix((b.T @ b) != 0)
    rcm_order = reverse_cuthill_mckee(graph, symmetric_mode=True).astype(np.intp)
    rcm = _thermal.prepare_hydraulic(
        net.n_nodes, net.link_from, net.link_to, net.fixed_nodes, rcm_order
    )[0].nnz_l
    assert md < rcm and md < natural
    assert md <= 1.3 * (len(unknown) + (graph.nnz - len(unknown)) // 2)  # little fill


def test_topology_is_reused_across_networks_of_the_same_shape():
    net = random_loop(3)
    topology = prepare(net)
    slow = _edit(net, speed=net.speed * 0.8)
    a = solved(slow, prepared=topology)
    b = solved(slow)
    np.testing.assert_array_equal(a.flow, b.flow)
    other = random_loop(4)
    with pytest.raises(ValueError, match="different topology"):
        solve(other, prepared=topology)


# --- errors -------------------------------------------------------------------------------------


def test_isolated_node_is_named():
    net = network([pump(0, 1, H0, R_PUMP), resistance(1, 0, 3e8)], 3)
    with pytest.raises(SolverError, match=r"loop 'cdu-2': isolated node 2"):
        solve(net, name="cdu-2")


def test_component_without_reference_is_named():
    links = [pump(0, 1, H0, R_PUMP), resistance(1, 0, 3e8), resistance(2, 3, 3e8)]
    with pytest.raises(SolverError, match=r"no pressure reference .* containing node 2"):
        solve(network(links, 4), name="hall")


@pytest.mark.parametrize("how", ["closed", "speed"])
def test_all_pumps_closed(how):
    off = {"closed": True} if how == "closed" else {"speed": 0.0}
    net = network([pump(0, 1, H0, R_PUMP, **off), resistance(1, 0, 3e8)], 2)
    with pytest.raises(SolverError, match=r"loop 'loop': all pumps closed"):
        solve(net)


def test_iteration_cap_reports_instead_of_hanging():
    net = random_loop(7)
    with pytest.raises(SolverError, match=r"did not converge in 2 iterations \(residual "):
        solve(net, max_iter=2)


def test_batch_reports_failed_scenarios():
    net = network([pump(0, 1, H0, R_PUMP), pump(0, 1, H0, R_PUMP), resistance(1, 0, 3e8)], 2)
    scenarios = [[0], [0, 1]]
    with pytest.raises(SolverError, match=r"loop 'cdu' \(scenario 1\): all pumps closed"):
        solve_batch(net, closed=scenarios, name="cdu")
    batch = solve_batch(net, closed=scenarios, raise_errors=False)
    assert batch.ok.tolist() == [True, False]
    assert batch.errors[0] is None and "all pumps closed" in batch.errors[1]
    assert_mass_balance(net, batch.flow[0], batch.pressure[0])


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (_thermal.STATUS_HYD_NOT_POSITIVE_DEFINITE, "singular network at node 5"),
        (_thermal.STATUS_HYD_NOT_FINITE, "non-finite in link 5"),
        (_thermal.STATUS_HYD_NOT_CONVERGED, "did not converge in 9 iterations (residual 0.25"),
        (_thermal.STATUS_HYD_BAD_CURVE, "pump curve of link 5"),
    ],
)
def test_every_status_has_words(status, words):
    assert words in _error_message("x", status, 5, 9, 0.25)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"link_to": [1, 5]}, "link_to must be node indices"),
        ({"link_to": [1, 1]}, "starts and ends at the same node"),
        ({"kind": [PUMP, 7]}, "kind must be"),
        ({"resistance": [0.0, -1.0]}, "resistance must be > 0"),
        ({"resistance": [0.0, math.nan]}, "resistance must be finite"),
        ({"pump_shutoff": [0.0, 0.0]}, "pump_shutoff of power-curve pumps"),
        ({"pump_exponent": [25.0, 2.0]}, "pump_exponent"),
        ({"speed": [-1.0, 1.0]}, "speed must be >= 0"),
        ({"fixed_nodes": [0, 0], "fixed_pressure": [1.0, 1.0]}, "twice"),
        ({"density": 0.0}, "density must be a positive"),
        ({"demand": [0.0]}, "demand has 1 entries, expected 2"),
        ({"curve_ptr": [0, 1, 1], "curve_flow": [0.0], "curve_pressure": [1.0]}, "at least 2"),
        (
            {"curve_ptr": [0, 2, 2], "curve_flow": [0.0, 1e-3], "curve_pressure": [1e5, 2e5]},
            "must fall strictly",
        ),
    ],
)
def test_invalid_networks_are_rejected_before_the_kernel(change, message):
    base = {
        "n_nodes": 2,
        "link_from": [0, 1],
        "link_to": [1, 0],
        "kind": [PUMP, RESISTANCE],
        "fixed_nodes": [0],
        "fixed_pressure": [1e5],
        "density": RHO,
        "viscosity": MU,
        "pump_shutoff": [H0, 0.0],
        "pump_coefficient": [R_PUMP, 0.0],
        "resistance": [0.0, 3e8],
    }
    base.update(change)
    with pytest.raises(ValueError, match=message):
        Network(**base)


def test_kernel_reports_bad_inputs_without_raising():
    net = network([pump(0, 1, H0, R_PUMP), resistance(1, 0, 3e8)], 2)
    topology = prepare(net)
    args = [
        net.kind,
        net.link_param(),
        net.curve_ptr,
        net.curve_flow,
        net.curve_pressure,
        net.speed,
        net.closed.view(np.uint8),
        net.demand,
        net.fixed_pressure,
        RHO,
        MU,
        np.zeros(2),
    ]
    param = net.link_param().copy()
    param[4] = -1.0
    bad = list(args)
    bad[1] = param
    assert _thermal.solve_hydraulic(topology, *bad)[4:] == (_thermal.STATUS_HYD_BAD_LINK_VALUE, 1)
    bad = list(args)
    bad[7] = np.array([0.0, math.inf])
    assert _thermal.solve_hydraulic(topology, *bad)[4:] == (_thermal.STATUS_HYD_BAD_NODE_VALUE, 1)
    bad = list(args)
    bad[-1] = np.zeros(3)
    assert _thermal.solve_hydraulic(topology, *bad)[4] == _thermal.STATUS_HYD_BAD_SHAPE
    bad = list(args)
    bad[0] = np.array([PUMP, 9], dtype=np.intp)
    assert _thermal.solve_hydraulic(topology, *bad)[4:] == (_thermal.STATUS_HYD_BAD_KIND, 1)
    status = _thermal.prepare_hydraulic(2, np.array([0, 1]), np.array([1, 1]), np.array([0]))[1:]
    assert status == (_thermal.STATUS_HYD_SELF_LOOP, 1)
    status = _thermal.prepare_hydraulic(
        3, np.array([0, 1]), np.array([1, 0]), np.array([0]), np.array([0, 0])
    )[1:]
    assert status[0] in (_thermal.STATUS_HYD_ISOLATED_NODE, _thermal.STATUS_HYD_BAD_ORDER)
