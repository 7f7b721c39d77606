"""Ride-through transients: rackval.solve.heat.ride_through and its kernel.

Provenance of the numbers: closed forms written out below (standards.md §3 adiabatic
bound; the one-node RC and its implicit-Euler recurrence), the dense NumPy
implicit-Euler oracle and the ``scipy.integrate.solve_ivp`` (BDF) reference in
tests/reference_heat.py, and invariants (energy conservation, first-order convergence).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from reference_heat import (
    cdu_loop,
    first_crossing_reference,
    implicit_euler_reference,
    ode_right_hand_side,
    random_loop_network,
)
from scipy.integrate import solve_ivp

from rackval import _thermal
from rackval.errors import SolverError
from rackval.solve.heat import ride_through, steady_temperatures

RHO_CP = 4.18e6  # water, J/(m³·K)

# standards.md §3, adiabatic ride-through bound:
#   200 L PG25 at 35 °C: ρ c_p = 4.006 MJ/(m³·K) → 0.2 · 4.006e6 = 801 200 J/K
#   50 kg copper, c_p 385 J/(kg·K)                →    50 · 385 =  19 250 J/K
#   C = 820 450 J/K;  at 120 kW, +10 K after C · 10 / 120e3 = 68.3708 s
C_POD = 0.2 * 4.006e6 + 50 * 385.0
T_35C = 308.15


def test_adiabatic_bound_of_standards_section_3():
    assert C_POD == pytest.approx(820_450.0)
    assert C_POD * 10.0 / 120e3 == pytest.approx(68.3708, abs=1e-4)


@pytest.mark.parametrize("dt", [0.1, 0.5, 1.0, 7.0, 30.0])
def test_adiabatic_rise_is_linear_and_the_crossing_exact(dt):
    # No conductance: C (T^{n+1} − T^n)/dt = P, so implicit Euler is exact at every
    # step and linear interpolation inside the step is exact too.
    result = ride_through(
        [C_POD], [120e3], [T_35C], dt=dt, t_end=120.0, watch=[0], limit=[T_35C + 10.0]
    )
    # (rounding: each step adds ~1 ulp of 308 K = 6e-14 K; over 684 steps at dt = 0.1
    # that is < 4e-11 K, i.e. < 3e-10 s at 0.146 K/s)
    assert result.first_crossing == pytest.approx(C_POD * 10.0 / 120e3, rel=1e-11)
    assert (result.first_watch, result.first_lump) == (0, 0)
    assert result.steps == math.ceil(68.3708 / result.dt)  # stopped in the crossing step
    assert result.temperature[0] == pytest.approx(T_35C + 120e3 * result.time / C_POD, rel=1e-13)


def test_adiabatic_run_to_the_end_without_stopping():
    result = ride_through(
        [C_POD],
        [120e3],
        [T_35C],
        dt=0.5,
        t_end=120.0,
        watch=[0],
        limit=[T_35C + 10.0],
        stop_at_first=False,
    )
    assert result.time == 120.0 and result.steps == 240
    assert result.temperature[0] == pytest.approx(T_35C + 120e3 * 120.0 / C_POD, rel=1e-13)
    assert result.crossing_time == pytest.approx([68.3708], abs=1e-4)


# --- one-node RC ---------------------------------------------------------------------

# The pod volume cooled by a heat exchanger to facility water at 305.15 K with
# ε C_min = 20 kW/K, 120 kW in:  τ = C/G = 820450/20000 = 41.0225 s,
# T∞ = T_f + P/G = 305.15 + 6 = 311.15 K.  From T0 = 305.15 K:
#   T(t) = T∞ + (T0 − T∞) e^{−t/τ}
# Implicit Euler: (C/dt + G) T^{n+1} = C/dt T^n + P + G T_f, i.e.
#   T^n − T∞ = (T0 − T∞) (1 + dt/τ)^{−n}.
G_HX, T_F, P_IN = 20e3, 305.15, 120e3
TAU = C_POD / G_HX
T_INF = T_F + P_IN / G_HX


def rc(dt, t_end, **kwargs):
    return ride_through(
        [C_POD], [P_IN], [T_F], dt=dt, t_end=t_end, boundary=([0], [G_HX], [T_F]), **kwargs
    )


def test_rc_numbers():
    assert TAU == pytest.approx(41.0225)
    assert T_INF == pytest.approx(311.15)


@pytest.mark.parametrize("dt", [0.5, 2.0, 10.0])
def test_rc_matches_the_implicit_euler_recurrence_exactly(dt):
    result = rc(dt, 100 * dt, history_every=dt, watch=[0], limit=[np.inf])
    n = np.arange(101)
    expected = T_INF + (T_F - T_INF) * (1.0 + dt / TAU) ** (-n)
    np.testing.assert_allclose(result.history_time, n * dt, rtol=1e-14)
    np.testing.assert_allclose(result.history[:, 0], expected, rtol=1e-14)


def test_rc_converges_at_first_order():
    # Error at t = τ against the exact exponential, halving dt: E(dt)/E(dt/2) → 2.
    exact = T_INF + (T_F - T_INF) * math.exp(-1.0)
    errors = [abs(rc(TAU / k, TAU).temperature[0] - exact) for k in (20, 40, 80, 160, 320)]
    ratios = [a / b for a, b in zip(errors, errors[1:])]
    assert all(1.9 < r < 2.1 for r in ratios), ratios
    assert ratios[-1] == pytest.approx(2.0, abs=0.02)
    # leading term of the error: (T0 − T∞) e^{−1} (t/τ) (dt/τ) / 2 at t = τ
    assert errors[-1] == pytest.approx(6.0 * math.exp(-1.0) / 320 / 2, rel=0.01)


def test_rc_crossing_interpolates_the_discrete_trajectory():
    # limit 310 K: the exact solution crosses at τ ln((T∞ − T0)/(T∞ − 310)) = τ ln(6/1.15);
    # the kernel interpolates linearly between the two implicit-Euler samples around it.
    result = rc(3.0, 200.0, watch=[0], limit=[310.0], history_every=3.0)
    dt = result.dt  # 200 s in 67 steps of 2.985 s
    assert dt == pytest.approx(200.0 / 67)
    steps = np.arange(result.history_time.size)
    samples = T_INF + (T_F - T_INF) * (1.0 + dt / TAU) ** (-steps)
    t_ref, w_ref = first_crossing_reference(steps * dt, samples[:, None], [0], [310.0])
    assert (result.first_crossing, result.first_watch) == (pytest.approx(t_ref, rel=1e-13), w_ref)
    # Between samples the discrete solution is T∞ + (T0 − T∞)(1 + dt/τ)^{−t/dt}:
    #   t = dt ln(6/1.15) / ln(1 + dt/τ) = 2.98507 · 1.65202 / 0.070240 = 70.21 s,
    # later than the exact 41.0225 · 1.65202 = 67.77 s by the first-order lag
    # (ln(1 + x)/x ≈ 1 − x/2 with x = dt/τ = 0.0728: 3.6 %).
    discrete = dt * math.log(6.0 / 1.15) / math.log(1.0 + dt / TAU)
    assert discrete == pytest.approx(70.21, abs=0.01)
    assert result.first_crossing == pytest.approx(discrete, abs=0.05)
    assert result.first_crossing == pytest.approx(TAU * math.log(6.0 / 1.15), rel=0.04)


# --- networks ------------------------------------------------------------------------


def loop_lumps(n_racks=2, devices=3, plate_capacity=1.5 * 385.0, r_th=0.02, hx=True):
    """Coolant lumps (one per node, 0.5 L each) + one cold plate per device.

    Plates conduct (1/R_th) to their device's outlet node; the heat exchanger's
    outlet node is tied to facility water with ε C_min = 0.6 · ρ c_p Q when ``hx``.
    Initial temperatures: the steady solution of the same loop.
    """
    net = cdu_loop(n_racks, devices)
    n = net["n"]
    q = net["flow"]
    up = np.where(q >= 0, net["link_from"], net["link_to"])
    down = np.where(q >= 0, net["link_to"], net["link_from"])
    dev = np.flatnonzero(net["kind"] == 3)
    hx_link = int(np.flatnonzero(net["kind"] == 2)[0])
    steady = steady_temperatures(
        n,
        net["link_from"],
        net["link_to"],
        q,
        1000.0,
        4180.0,
        heat=net["heat"],
        rejection=net["rejection"],
        sink_temperature=net["sink"],
    )
    plates = n + np.arange(dev.size)
    capacity = np.concatenate([np.full(n, 0.5e-3 * RHO_CP), np.full(dev.size, plate_capacity)])
    power = np.concatenate([np.zeros(n), net["heat"][dev]])
    initial = np.concatenate(
        [steady.node_temperature, steady.node_temperature[down[dev]] + net["heat"][dev] * r_th]
    )
    # the loop's advection links; the heat exchanger link carries coolant too
    advection = (up, down, RHO_CP * np.abs(q))
    conduction = (plates, down[dev], np.full(dev.size, 1.0 / r_th))
    boundary = None
    if hx:
        g = 0.6 * RHO_CP * abs(q[hx_link])
        boundary = ([down[hx_link]], [g], [305.15])
    return {
        "capacity": capacity,
        "power": power,
        "initial": initial,
        "advection": advection,
        "conduction": conduction,
        "boundary": boundary,
        "plates": plates,
    }


def run(model, dt, t_end, **kwargs):
    return ride_through(
        model["capacity"],
        model["power"],
        model["initial"],
        dt=dt,
        t_end=t_end,
        conduction=model["conduction"],
        advection=model["advection"],
        boundary=model["boundary"],
        **kwargs,
    )


def oracle(model, dt, n_steps):
    return implicit_euler_reference(
        model["capacity"],
        model["power"],
        model["initial"],
        dt,
        n_steps,
        model["conduction"],
        model["advection"],
        model["boundary"],
    )


def test_facility_water_lost_conserves_energy_exactly():
    # No boundary: with mass-conserving advection the columns of G sum to 0, so
    # implicit Euler keeps Σ C_i (T_i − T_i(0)) = P_total t to rounding.
    model = loop_lumps(hx=False)
    result = run(model, 0.5, 60.0)
    stored = np.sum(model["capacity"] * (result.temperature - model["initial"]))
    assert stored == pytest.approx(model["power"].sum() * 60.0, rel=1e-11)
    assert result.loop_closures == 1  # the loop closes once, at the CDU
    assert result.residual < 1e-14


def test_loop_matches_solve_ivp_bdf_with_first_order_error():
    # The same network as an ODE, solved by BDF at tight tolerances; implicit Euler's
    # error shrinks about linearly with dt.
    model = loop_lumps()
    model["power"] = model["power"] * 1.5  # a 50 % load step from the steady state
    f, jac = ode_right_hand_side(
        model["capacity"],
        model["power"],
        model["conduction"],
        model["advection"],
        model["boundary"],
    )
    t_end = 20.0
    ivp = solve_ivp(f, (0.0, t_end), model["initial"], method="BDF", jac=jac, rtol=1e-11, atol=1e-9)
    assert ivp.success
    exact = ivp.y[:, -1]
    errors = [np.max(np.abs(run(model, dt, t_end).temperature - exact)) for dt in (0.04, 0.02)]
    assert errors[1] < 0.02  # K, on a rise of several kelvin
    assert errors[0] / errors[1] == pytest.approx(2.0, abs=0.15)


def test_loop_matches_the_dense_oracle_step_by_step():
    model = loop_lumps()
    model["power"] = model["power"] * 1.3
    result = run(
        model,
        0.25,
        10.0,
        history_every=0.25,
        watch=model["plates"],
        limit=np.inf * np.ones(model["plates"].size),
    )
    ref = oracle(model, 0.25, 40)
    np.testing.assert_allclose(result.temperature, ref[-1], rtol=1e-13)
    np.testing.assert_allclose(result.history, ref[:, model["plates"]], rtol=1e-13)
    assert np.isnan(result.crossing_time).all() and result.first_crossing is None


def test_pumps_lost_leaves_only_trees():
    # No flow: each plate and its coolant lump form a tree, eliminated exactly, no
    # loop closures; the rest of the coolant just sits (no power, no coupling).
    model = loop_lumps(hx=False)
    model["advection"] = None
    result = run(model, 1.0, 30.0)
    np.testing.assert_allclose(result.temperature, oracle(model, 1.0, 30)[-1], rtol=1e-13)
    assert result.loop_closures == 0


@pytest.mark.parametrize("seed", range(30))
def test_random_networks_match_the_dense_oracle(seed):
    # Random mass-conserving loops as advection, random plates and chains hanging off
    # them (trees), a few conduction links between coolant lumps (more loops), an
    # occasional zero-capacity (algebraic) lump and an occasional boundary.
    rng = np.random.default_rng(seed)
    net = random_loop_network(rng, int(rng.integers(3, 25)), int(rng.integers(1, 10)))
    n = net["n"]
    up = np.where(net["flow"] >= 0, net["link_from"], net["link_to"])
    down = np.where(net["flow"] >= 0, net["link_to"], net["link_from"])
    extra = int(rng.integers(0, 10))
    a = [n + k for k in range(extra)]
    b = [int(rng.integers(0, n + k)) for k in range(extra)]
    for _ in range(int(rng.integers(0, 3))):
        x, y = rng.choice(n, 2, replace=False)
        a.append(int(x))
        b.append(int(y))
    g = rng.uniform(1.0, 200.0, len(a))
    total = n + extra
    capacity = rng.uniform(100.0, 5e4, total)
    if seed % 3 == 0:
        capacity[int(rng.integers(total))] = 0.0
    model = {
        "capacity": capacity,
        "power": rng.uniform(0.0, 2e3, total),
        "initial": rng.uniform(290.0, 320.0, total),
        "advection": (up, down, RHO_CP * np.abs(net["flow"])),
        "conduction": (np.array(a, dtype=np.intp), np.array(b, dtype=np.intp), g),
        "boundary": ([int(up[0])], [500.0], [300.0]) if seed % 2 else None,
    }
    dt = float(rng.uniform(0.1, 20.0))
    steps = int(rng.integers(1, 20))
    ref = oracle(model, dt, steps)
    result = run(model, dt, dt * steps)
    np.testing.assert_allclose(result.temperature, ref[-1], rtol=1e-12)
    assert result.residual < 1e-13


def test_many_loop_closures_match_the_dense_oracle():
    # More than 8 loop closures in one part: solved with the second sweep.
    rng = np.random.default_rng(11)
    net = random_loop_network(rng, 60, 60, max_cycle=12)
    up = np.where(net["flow"] >= 0, net["link_from"], net["link_to"])
    down = np.where(net["flow"] >= 0, net["link_to"], net["link_from"])
    model = {
        "capacity": rng.uniform(100.0, 5e4, 60),
        "power": rng.uniform(0.0, 2e3, 60),
        "initial": rng.uniform(290.0, 320.0, 60),
        "advection": (up, down, RHO_CP * np.abs(net["flow"])),
        "conduction": None,
        "boundary": ([0], [100.0], [300.0]),
    }
    result = run(model, 2.0, 20.0)
    assert result.loop_closures > 8
    np.testing.assert_allclose(result.temperature, oracle(model, 2.0, 10)[-1], rtol=1e-12)


def test_a_mesh_with_too_many_loop_closures_is_refused():
    rng = np.random.default_rng(7)
    net = random_loop_network(rng, 4000, 1500, max_cycle=30)
    up = np.where(net["flow"] >= 0, net["link_from"], net["link_to"])
    down = np.where(net["flow"] >= 0, net["link_to"], net["link_from"])
    with pytest.raises(SolverError, match="more than 1000 independent loop closures"):
        ride_through(
            np.full(4000, 1e3),
            np.zeros(4000),
            np.full(4000, 300.0),
            dt=1.0,
            t_end=10.0,
            advection=(up, down, RHO_CP * np.abs(net["flow"])),
        )


# --- thresholds and history ---------------------------------------------------------


def two_ramps(**kwargs):
    # Two independent adiabatic lumps: 1 K/s and 3 K/s (C = 1000 J/K, P = 1 and 3 kW).
    return ride_through([1000.0, 1000.0], [1e3, 3e3], [300.0, 300.0], **kwargs)


def test_earliest_crossing_inside_one_step_wins():
    # dt = 2 s: in the step 8 → 10 s lump 0 reaches +10 K at 10 s, lump 1 +27 K at 9 s.
    result = two_ramps(dt=2.0, t_end=20.0, watch=[0, 1], limit=[310.0, 327.0])
    assert (result.first_crossing, result.first_watch, result.first_lump) == (
        pytest.approx(9.0),
        1,
        1,
    )
    assert result.time == 10.0
    np.testing.assert_allclose(result.crossing_time, [10.0, 9.0])


def test_ties_go_to_the_first_watch_entry():
    result = two_ramps(dt=1.0, t_end=20.0, watch=[1, 0], limit=[315.0, 305.0])
    assert (result.first_crossing, result.first_watch, result.first_lump) == (5.0, 0, 1)


def test_every_watched_lump_gets_its_crossing_when_running_on():
    result = two_ramps(
        dt=0.7, t_end=20.0, watch=[0, 1, 1], limit=[315.5, 312.0, np.inf], stop_at_first=False
    )
    np.testing.assert_allclose(result.crossing_time[:2], [15.5, 4.0], rtol=1e-12)
    assert np.isnan(result.crossing_time[2])  # an infinite limit is never reached
    assert result.first_crossing == pytest.approx(4.0) and result.first_watch == 1
    assert result.time == pytest.approx(20.0)


def test_already_at_the_limit_crosses_at_zero_without_a_step():
    result = two_ramps(dt=1.0, t_end=20.0, watch=[0, 1], limit=[310.0, 300.0])
    assert (result.first_crossing, result.first_watch, result.steps, result.time) == (0.0, 1, 0, 0)
    np.testing.assert_array_equal(result.temperature, [300.0, 300.0])


def test_no_crossing():
    result = two_ramps(dt=1.0, t_end=5.0, watch=[0], limit=[400.0])
    assert result.first_crossing is None and result.first_watch is None
    assert result.first_lump is None and result.steps == 5


def test_history_rows_and_stop():
    # Every 3 steps of 0.5 s (history_every = 1.5 s) plus t = 0 and the stopping step.
    result = two_ramps(dt=0.5, t_end=20.0, watch=[0, 1], limit=[310.0, 330.0], history_every=1.5)
    # lump 0 reaches 310 K at 10 s = step 20: rows at 0, 1.5, ..., 9.0 and 10.0
    np.testing.assert_allclose(result.history_time, [*np.arange(0.0, 9.1, 1.5), 10.0])
    np.testing.assert_allclose(result.history[:, 0], 300.0 + result.history_time)
    np.testing.assert_allclose(result.history[:, 1], 300.0 + 3.0 * result.history_time)
    assert result.first_crossing == pytest.approx(10.0) and result.steps == 20


def test_no_history_by_default():
    result = two_ramps(dt=1.0, t_end=3.0, watch=[0], limit=[400.0])
    assert result.history.shape == (0, 1) and result.history_time.shape == (0,)


def test_step_is_shortened_to_land_on_t_end():
    # 10 s in steps of at most 3 s: 4 steps of 2.5 s.
    result = two_ramps(dt=3.0, t_end=10.0)
    assert (result.steps, result.dt, result.time) == (4, 2.5, 10.0)
    np.testing.assert_allclose(result.temperature, [310.0, 330.0])


def test_zero_length_run():
    result = two_ramps(dt=1.0, t_end=0.0, watch=[0], limit=[305.0], history_every=1.0)
    assert (result.steps, result.time, result.first_crossing) == (0, 0.0, None)
    assert result.history_time.tolist() == [0.0]


def test_empty_network():
    result = ride_through([], [], [], dt=1.0, t_end=5.0, history_every=1.0)
    assert (result.steps, result.time, result.temperature.shape) == (5, 5.0, (0,))
    assert result.history.shape == (6, 0)


# --- bad input -----------------------------------------------------------------------


GOOD = dict(
    capacity=[1000.0, 2000.0, 0.0],
    power=[100.0, 0.0, 0.0],
    initial=[300.0, 300.0, 300.0],
    dt=1.0,
    t_end=10.0,
    conduction=([0, 1], [1, 2], [5.0, 5.0]),
    advection=([0], [2], [10.0]),
    boundary=([1], [20.0], [295.0]),
    watch=[0],
    limit=[320.0],
)


def call(**changes):
    kwargs = dict(GOOD, **changes)
    return ride_through(
        kwargs.pop("capacity"), kwargs.pop("power"), kwargs.pop("initial"), **kwargs
    )


def test_good_input_runs():
    assert call().steps == 10


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": [1000.0, -1.0, 0.0]}, "capacity must be >= 0; first bad index 1"),
        ({"capacity": [[1000.0, 1.0, 0.0]]}, "one-dimensional"),
        ({"power": [100.0, 0.0]}, "power has 2 entries, expected 3"),
        ({"power": [np.nan, 0.0, 0.0]}, "power must be finite"),
        ({"power": [-5.0, 0.0, 0.0]}, "power must be >= 0"),
        ({"initial": [300.0, np.inf, 300.0]}, "initial must be finite; first bad index 1"),
        ({"conduction": ([0, 1], [1, 1], [5.0, 5.0])}, "conduction link 1 connects lump 1"),
        ({"conduction": ([0, 1], [1, 3], [5.0, 5.0])}, r"conduction to\[1\] = 3"),
        ({"conduction": ([0, 1], [1, 2], [5.0, -5.0])}, "conduction conductance must be >= 0"),
        ({"conduction": ([0, 1], [1, 2], [5.0])}, "conduction from has 2 entries, expected 1"),
        ({"conduction": ([0], [1])}, r"conduction must be a tuple \(from, to, conductance\)"),
        ({"advection": ([0.5], [2], [10.0])}, "integer indices"),
        ({"advection": ([0], [2], [np.nan])}, "advection conductance must be finite"),
        ({"boundary": ([1], [20.0], [np.nan])}, "boundary temperature must be finite"),
        ({"boundary": ([7], [20.0], [295.0])}, r"boundary lump\[0\] = 7"),
        ({"watch": [3]}, r"watch\[0\] = 3 is not a node index in \[0, 3\)"),
        ({"limit": [np.nan]}, "limit must not be NaN"),
        ({"limit": [320.0, 330.0]}, "limit must have one entry per watched lump"),
        ({"dt": 0.0}, "dt must be a positive finite number"),
        ({"dt": np.inf}, "dt must be a positive finite number"),
        ({"t_end": -1.0}, "t_end must be a finite number >= 0"),
        ({"history_every": 0.0}, "history_every must be a positive finite number"),
    ],
)
def test_bad_input_is_a_value_error(changes, message):
    with pytest.raises(ValueError, match=message):
        call(**changes)


@pytest.mark.parametrize(
    ("model", "lumps"),
    [
        # a lump with no capacity and nothing attached
        (dict(capacity=[1.0, 0.0], power=[0, 0], initial=[300, 300]), {1}),
        # two massless lumps tied only to each other
        (
            dict(
                capacity=[1.0, 0.0, 0.0],
                power=[0, 0, 0],
                initial=[300] * 3,
                conduction=([1], [2], [3.0]),
            ),
            {1, 2},
        ),
        # a massless advection loop (no capacity anywhere on it)
        (
            dict(
                capacity=[0.0, 0.0, 0.0],
                power=[0, 0, 0],
                initial=[300] * 3,
                advection=([0, 1, 2], [1, 2, 0], [5.0, 5.0, 5.0]),
            ),
            {0, 1, 2},
        ),
    ],
)
def test_singular_networks_are_solver_errors_naming_the_lump(model, lumps):
    names = ["cdu", "plate", "chip"]
    with pytest.raises(SolverError, match="pod-7: lump .* no heat capacity") as info:
        ride_through(**model, dt=1.0, t_end=5.0, name="pod-7", lump_names=names)
    assert any(f"lump {i} ({names[i]})" in str(info.value) for i in lumps)


def kernel_args(**changes):
    i0 = np.empty(0, np.intp)
    f0 = np.empty(0)
    args = dict(
        capacity=np.array([1000.0, 2000.0]),
        power=np.array([100.0, 0.0]),
        initial=np.array([300.0, 300.0]),
        cond_a=np.array([0], np.intp),
        cond_b=np.array([1], np.intp),
        cond_g=np.array([5.0]),
        adv_from=i0,
        adv_to=i0,
        adv_g=f0,
        bnd_node=np.array([1], np.intp),
        bnd_g=np.array([20.0]),
        bnd_temp=np.array([295.0]),
        watch=np.array([0], np.intp),
        limit=np.array([320.0]),
        dt=1.0,
        n_steps=3,
        stop_at_first=True,
        record_every=0,
    )
    args.update(changes)
    return list(args.values())


@pytest.mark.parametrize(
    ("changes", "status", "bad"),
    [
        ({}, _thermal.STATUS_OK, -1),
        ({"power": np.array([1.0])}, _thermal.STATUS_HEAT_BAD_SHAPE, -1),
        ({"capacity": np.array([1000.0, np.nan])}, _thermal.STATUS_TRANSIENT_BAD_CAPACITY, 1),
        ({"capacity": np.array([-1.0, 1.0])}, _thermal.STATUS_TRANSIENT_BAD_CAPACITY, 0),
        ({"power": np.array([-1.0, 0.0])}, _thermal.STATUS_TRANSIENT_BAD_POWER, 0),
        ({"initial": np.array([300.0, np.nan])}, _thermal.STATUS_TRANSIENT_BAD_INITIAL, 1),
        ({"cond_b": np.array([0], np.intp)}, _thermal.STATUS_TRANSIENT_BAD_CONDUCTANCE, 0),
        ({"cond_g": np.array([-1.0])}, _thermal.STATUS_TRANSIENT_BAD_CONDUCTANCE, 0),
        (
            {
                "adv_from": np.array([0], np.intp),
                "adv_to": np.array([9], np.intp),
                "adv_g": np.array([1.0]),
            },
            _thermal.STATUS_TRANSIENT_BAD_ADVECTION,
            0,
        ),
        ({"bnd_temp": np.array([np.inf])}, _thermal.STATUS_TRANSIENT_BAD_BOUNDARY, 0),
        ({"watch": np.array([2], np.intp)}, _thermal.STATUS_TRANSIENT_BAD_WATCH, 0),
        ({"limit": np.array([np.nan])}, _thermal.STATUS_TRANSIENT_BAD_WATCH, 0),
        ({"dt": 0.0}, _thermal.STATUS_TRANSIENT_BAD_STEP, -1),
        ({"n_steps": -1}, _thermal.STATUS_TRANSIENT_BAD_STEP, -1),
        (
            {"capacity": np.array([0.0, 0.0]), "bnd_g": np.array([0.0])},
            _thermal.STATUS_TRANSIENT_SINGULAR,
            (0, 1),  # either lump of the massless pair
        ),
    ],
)
def test_kernel_reports_bad_numbers_with_a_status(changes, status, bad):
    # The kernel never raises for bad numbers: a status and the offending index.
    out = _thermal.step_transient(*kernel_args(**changes))
    assert out[-2] == status
    assert out[-1] in (bad if isinstance(bad, tuple) else (bad,))
