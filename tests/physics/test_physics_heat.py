"""Heat: OCP flow figure, ε-NTU against the textbook and an ODE, UA calibration, transients."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from rackval.physics.coolant import coolant_properties
from rackval.physics.heat import (
    adiabatic_ride_through,
    case_temperature,
    coolant_flow_for_heat,
    counterflow_outlets,
    effectiveness_counterflow,
    heat_capacity_rate,
    lumped_temperature,
    lumped_time_to_temperature,
    ntu_from_effectiveness_counterflow,
    temperature_rise,
    time_constant,
    ua_from_approach,
    ua_from_rating,
)

K = 273.15
NTUS = [0.0, 0.01, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 40.0]
CRS = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999, 1.0]


# --- energy balance and the OCP figure --------------------------------------------------

# shared/reference/fluids.md, column "L/min per kW, ΔT 10 K" (fluid, T °C, value)
FLOW_PER_KW = [
    ("water", 20, 1.437),
    ("water", 35, 1.444),
    ("water", 50, 1.452),
    ("PG25", 20, 1.501),
    ("PG25", 35, 1.498),
    ("PG25", 50, 1.496),
    ("PG30", 30, 1.516),
    ("EG25", 40, 1.521),
    ("EG30", 50, 1.542),
]


@pytest.mark.parametrize(("fluid", "t_c", "l_min_per_kw"), FLOW_PER_KW)
def test_flow_per_kw_matches_fluids_md(fluid, t_c, l_min_per_kw):
    p = coolant_properties(fluid, t_c + K)
    flow = coolant_flow_for_heat(1000.0, p.density, p.heat_capacity, 10.0)
    assert round(flow * 60_000, 3) == l_min_per_kw


def test_ocp_flow_figure_pg25():
    # standards.md §3: OCP 1.5 L/min per kW at ΔT ≤ 10 K; PG25 at 35 °C, ΔT 10 K → 1.498
    p = coolant_properties("PG25", 35 + K)
    flow = coolant_flow_for_heat(1000.0, p.density, p.heat_capacity, 10.0)
    assert flow * 60_000 == pytest.approx(1.498, abs=5e-4)
    assert flow * 60_000 == pytest.approx(1.5, rel=3e-3)  # "within 0.3 %" (fluids.md)


def test_energy_balance_functions_agree():
    # 120 kW on 180 L/min of PG25 at 35 °C: ΔT = Q / (ρ V̇ c_p)
    p = coolant_properties("PG25", 35 + K)
    m_dot = 180.0 / 60_000 * p.density
    dt = temperature_rise(120e3, m_dot, p.heat_capacity)
    assert dt == pytest.approx(120e3 / heat_capacity_rate(m_dot, p.heat_capacity), rel=1e-15)
    assert coolant_flow_for_heat(120e3, p.density, p.heat_capacity, dt) == pytest.approx(
        180.0 / 60_000, rel=1e-14
    )
    assert dt == pytest.approx(9.985, abs=1e-3)  # 120e3 / (3.0372 kg/s · 3956.7)


# --- ε-NTU ------------------------------------------------------------------------------


def textbook_effectiveness(ntu: float, cr: float) -> float:
    """Incropera 6th ed. Table 11.3, Eq. 11.29a (C_r < 1) and 11.29b (C_r = 1), verbatim."""
    if cr == 1.0:
        return ntu / (1.0 + ntu)
    e = math.exp(-ntu * (1.0 - cr))
    return (1.0 - e) / (1.0 - cr * e)


def textbook_ntu(eps: float, cr: float) -> float:
    """Incropera 6th ed. Table 11.4, Eq. 11.30a (C_r < 1) and 11.30b (C_r = 1), verbatim."""
    if cr == 1.0:
        return eps / (1.0 - eps)
    return 1.0 / (cr - 1.0) * math.log((eps - 1.0) / (eps * cr - 1.0))


@pytest.mark.parametrize("cr", CRS)
@pytest.mark.parametrize("ntu", NTUS)
def test_effectiveness_is_the_textbook_relation(ntu, cr):
    assert effectiveness_counterflow(ntu, cr) == pytest.approx(
        textbook_effectiveness(ntu, cr), rel=1e-12, abs=1e-15
    )


@pytest.mark.parametrize("ntu", [0.5, 1.0, 3.0, 10.0])
def test_effectiveness_special_cases(ntu):
    assert effectiveness_counterflow(ntu, 1.0) == pytest.approx(ntu / (1 + ntu), rel=1e-15)
    # C_r = 0 (one stream of infinite capacity): ε = 1 − exp(−NTU), any exchanger
    assert effectiveness_counterflow(ntu, 0.0) == pytest.approx(-math.expm1(-ntu), rel=1e-15)


@pytest.mark.parametrize("ntu", [0.1, 1.0, 4.0])
def test_effectiveness_continuous_as_cr_goes_to_1(ntu):
    at_one = effectiveness_counterflow(ntu, 1.0)
    for d in (1e-4, 1e-8, 1e-12, 1e-15):
        assert effectiveness_counterflow(ntu, 1.0 - d) == pytest.approx(at_one, abs=10 * d + 1e-15)


def test_effectiveness_monotone_and_bounded():
    for cr in CRS:
        eps = [effectiveness_counterflow(n, cr) for n in np.linspace(0, 30, 301)]
        assert all(b >= a for a, b in zip(eps, eps[1:]))
        assert 0.0 <= eps[0] and eps[-1] < 1.0
    assert effectiveness_counterflow(200.0, 0.5) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("cr", CRS)
@pytest.mark.parametrize("ntu", NTUS[1:-1])
def test_ntu_inverse_round_trip(ntu, cr):
    eps = effectiveness_counterflow(ntu, cr)
    assert ntu_from_effectiveness_counterflow(eps, cr) == pytest.approx(ntu, rel=1e-9)
    assert ntu_from_effectiveness_counterflow(eps, cr) == pytest.approx(
        textbook_ntu(eps, cr), rel=1e-9
    )


@pytest.mark.parametrize(
    ("func", "args"),
    [
        (effectiveness_counterflow, (-0.1, 0.5)),
        (effectiveness_counterflow, (1.0, 1.1)),
        (effectiveness_counterflow, (1.0, -0.1)),
        (effectiveness_counterflow, (float("nan"), 0.5)),
        (ntu_from_effectiveness_counterflow, (1.0, 0.5)),
        (ntu_from_effectiveness_counterflow, (-0.1, 0.5)),
        (ntu_from_effectiveness_counterflow, (0.5, 2.0)),
    ],
)
def test_ntu_functions_reject(func, args):
    with pytest.raises(ValueError):
        func(*args)


def ode_counterflow(ua, hot_in, cold_in, c_hot, c_cold):
    """Counterflow exchanger by direct integration along its length x ∈ [0, 1] (shooting).

    Hot enters at x = 0, cold at x = 1 (flowing toward x = 0); local flux
    dq = UA·(T_h − T_c)·dx: dT_h/dx = −UA/C_h·(T_h − T_c), dT_c/dx = −UA/C_c·(T_h − T_c).
    """

    def rhs(x, y):
        d = y[0] - y[1]
        return [-ua / c_hot * d, -ua / c_cold * d]

    def shoot(cold_out):  # integrate from the hot inlet with a guessed cold outlet
        sol = solve_ivp(rhs, (0.0, 1.0), [hot_in, cold_out], method="LSODA", rtol=1e-12, atol=1e-12)
        return sol.y[:, -1]

    cold_out = brentq(lambda t: shoot(t)[1] - cold_in, cold_in, hot_in, xtol=1e-12)
    hot_out = shoot(cold_out)[0]
    return hot_out, cold_out


@pytest.mark.parametrize(
    ("ua", "c_hot", "c_cold"),
    [(2.5e5, 1e5, 1e5), (1e5, 4e4, 1e5), (3e5, 1.2e5, 6e4), (5e4, 2e5, 2.1e5), (1e6, 1e5, 3e5)],
)
def test_outlets_match_direct_integration(ua, c_hot, c_cold):
    hot_in, cold_in = 318.15, 302.15
    hot_out, cold_out, q = counterflow_outlets(ua, hot_in, cold_in, c_hot, c_cold)
    ode_hot, ode_cold = ode_counterflow(ua, hot_in, cold_in, c_hot, c_cold)
    assert hot_out == pytest.approx(ode_hot, abs=1e-6)
    assert cold_out == pytest.approx(ode_cold, abs=1e-6)


@pytest.mark.parametrize(("c_hot", "c_cold"), [(1e5, 1e5), (5e4, 1.5e5), (2e5, 6e4)])
@pytest.mark.parametrize("ua", [0.0, 1e4, 2e5, 5e6])
def test_outlets_energy_balance_and_second_law(ua, c_hot, c_cold):
    hot_in, cold_in = 315.15, 301.15
    hot_out, cold_out, q = counterflow_outlets(ua, hot_in, cold_in, c_hot, c_cold)
    assert c_hot * (hot_in - hot_out) == pytest.approx(q, rel=1e-12, abs=1e-9)
    assert c_cold * (cold_out - cold_in) == pytest.approx(q, rel=1e-12, abs=1e-9)
    assert cold_in <= hot_out <= hot_in and cold_in <= cold_out <= hot_in
    assert q <= min(c_hot, c_cold) * (hot_in - cold_in)


def test_outlets_reversed_temperatures_and_rejects():
    hot_out, cold_out, q = counterflow_outlets(1e5, 300.0, 310.0, 5e4, 5e4)
    assert q < 0 and hot_out > 300.0 and cold_out < 310.0
    for bad in ((-1.0, 310.0, 300.0, 1e4, 1e4), (1e5, 310.0, 300.0, 0.0, 1e4)):
        with pytest.raises(ValueError):
            counterflow_outlets(*bad)


# --- UA calibration -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heat", "approach", "c_hot", "c_cold"),
    [
        (1.0e6, 4.0, 1.0e5, 1.0e5),  # balanced
        (1.35e6, 4.0, 1.35e5, 2.0e5),  # facility side larger
        (2.0e6, 5.0, 2.2e5, 1.6e5),  # facility side smaller
        (120e3, 3.0, 1.2e4, 1.5e4),
    ],
)
def test_ua_calibration_round_trip(heat, approach, c_hot, c_cold):
    ua = ua_from_approach(heat, approach, c_hot, c_cold)
    cold_in = 30.0 + K
    hot_in = cold_in + approach + heat / c_hot
    assert ua_from_rating(heat, hot_in, cold_in, c_hot, c_cold) == pytest.approx(ua, rel=1e-12)
    hot_out, cold_out, q = counterflow_outlets(ua, hot_in, cold_in, c_hot, c_cold)
    assert q == pytest.approx(heat, rel=1e-10)
    assert hot_out - cold_in == pytest.approx(approach, rel=1e-9)  # the rated approach


def test_balanced_exchanger_ua_is_heat_over_approach():
    # C_h = C_c: the temperature difference is the approach everywhere, so Q = UA·ΔT_a
    assert ua_from_approach(1.0e6, 4.0, 1.0e5, 1.0e5) == pytest.approx(2.5e5, rel=1e-12)


def test_ua_rating_rejects_infeasible_points():
    with pytest.raises(ValueError, match="infeasible"):
        ua_from_rating(2.0e6, 315.15, 301.15, 1.0e5, 1.0e5)  # needs ε = 1.43
    with pytest.raises(ValueError):
        ua_from_rating(1.0e6, 300.0, 301.0, 1.0e5, 1.0e5)
    with pytest.raises(ValueError):
        ua_from_approach(1.0e6, 0.0, 1.0e5, 1.0e5)
    with pytest.raises(ValueError):
        ua_from_approach(1.0e6, 4.0, 1.0e5, 0.0)


# --- chips and transients -----------------------------------------------------------------


def test_case_temperature_hand_calculation():
    # 1.2 kW at 0.015 K/W over 45 °C coolant: 45 + 18 = 63 °C
    assert case_temperature(45.0 + K, 1200.0, 0.015) == pytest.approx(63.0 + K)


def test_ride_through_standards_example():
    """standards.md §3: 200 L PG25 at 35 °C + 50 kg Cu at 120 kW → ≈ 68 s to +10 K.

    ρc_p(PG25, 35 °C) = 1012.48 · 3956.7 = 4.0060 MJ/(m³·K) → 0.2 m³: 0.8012 MJ/K;
    Cu 50 kg · 385 J/(kg·K) = 0.01925 MJ/K; t = 0.82045e6 · 10 / 120e3 = 68.37 s.
    """
    p = coolant_properties("PG25", 35 + K)
    c_total = 0.200 * p.volumetric_heat_capacity + 50.0 * 385.0
    assert c_total == pytest.approx(0.820_45e6, rel=1e-4)
    t = adiabatic_ride_through(c_total, 10.0, 120e3)
    assert t == pytest.approx(68.37, abs=0.01)
    assert round(t) == 68


def test_lumped_response_matches_ode():
    c, g, p, t_amb = 8.2e5, 1.2e4, 1.2e5, 303.15  # lump cooled through G while heated by P
    tau, t_inf = time_constant(c, g), t_amb + p / g
    sol = solve_ivp(
        lambda t, y: (p - g * (y - t_amb)) / c,
        (0, 400),
        [t_amb],
        rtol=1e-11,
        atol=1e-9,
        dense_output=True,
    )
    for t in (0.0, 10.0, 68.0, 200.0, 400.0):
        assert lumped_temperature(t, t_amb, t_inf, tau) == pytest.approx(sol.sol(t)[0], abs=1e-6)


def test_lumped_small_times_approach_adiabatic_bound():
    # For t ≪ τ the lumped rise is P·t/C: the adiabatic ride-through is its limit
    c, g, p = 8.2e5, 10.0, 1.2e5
    tau, t_inf = time_constant(c, g), 300.0 + p / g
    t_adiabatic = adiabatic_ride_through(c, 10.0, p)
    t_lumped = lumped_time_to_temperature(310.0, 300.0, t_inf, tau)
    assert t_lumped == pytest.approx(t_adiabatic, rel=1e-3)
    assert t_lumped >= t_adiabatic  # any cooling can only lengthen it


def test_lumped_time_to_temperature_inverse_and_edges():
    tau = 75.0
    for t in (1.0, 30.0, 200.0):
        temp = lumped_temperature(t, 300.0, 320.0, tau)
        assert lumped_time_to_temperature(temp, 300.0, 320.0, tau) == pytest.approx(t)
        temp = lumped_temperature(t, 320.0, 300.0, tau)  # cooling down
        assert lumped_time_to_temperature(temp, 320.0, 300.0, tau) == pytest.approx(t)
    assert lumped_time_to_temperature(299.0, 300.0, 320.0, tau) == 0.0
    assert lumped_time_to_temperature(320.0, 300.0, 320.0, tau) == math.inf
    assert lumped_time_to_temperature(305.0, 300.0, 300.0, tau) == math.inf
