"""Hydraulics: friction factor against EPANET, fluids and Colebrook; Cv/Kv; pumps."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq, curve_fit

from rackval.physics.hydraulics import (
    BAR,
    GPM,
    PSI,
    affinity_scale,
    cv_to_kv,
    darcy_pressure_drop,
    fit_pump_curve,
    friction_factor,
    kv_to_cv,
    minor_loss_pressure_drop,
    pipe_resistance,
    pump_curve_pressure,
    pump_shaft_power,
    resistance_from_cv,
    resistance_from_kv,
    resistance_from_point,
    resistance_pressure_drop,
    reynolds_number,
    velocity,
)

ROUGHNESS = [0.0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.05]


# --- an independent transcription of EPANET 2.2 src/hydcoeffs.c ----------------------
# frictionFactor(q, e, s) and the laminar branch of DWpipecoeff, constants as in the file
# (OpenWaterAnalytics/EPANET, "Last Updated: 06/15/2024"). q = |flow|, e = ε/D,
# s = viscosity · diameter, so that w = q / s = Re·π/4.
A1 = 3.14159265358979323850e03  # 1000*PI
A2 = 1.57079632679489661930e03  # 500*PI
A8 = 4.61841319859066668690e00  # 5.74*(PI/4)^.9
A9 = -8.68588963806503655300e-01  # -2/ln(10)
AB = 3.28895476345399058690e-03  # 5.74/(4000^.9)
AC = -5.14214965799093883760e-03  # AA*AB


def epanet_friction_factor(q: float, e: float, s: float) -> float:
    if q <= A2 * s:  # DWpipecoeff: Hagen-Poiseuille, hloss = 16·π·s·r·q = f·r·q²
        return 16.0 * math.pi * s / q
    w = q / s
    if w >= A1:
        y1 = A8 / w**0.9
        y2 = e / 3.7 + y1
        y3 = A9 * math.log(y2)
        return 1.0 / (y3 * y3)
    y2 = e / 3.7 + AB
    y3 = A9 * math.log(y2)
    fa = 1.0 / (y3 * y3)
    fb = (2.0 + AC / (y2 * y3)) * fa
    r = w / A2
    x1 = 7.0 * fa - fb
    x2 = 0.128 - 17.0 * fa + 2.5 * fb
    x3 = -0.128 + 13.0 * fa - (fb + fb)
    x4 = 0.032 - 3.0 * fa + 0.5 * fb
    return x1 + r * (x2 + r * (x3 + r * x4))


def epanet_at(re: float, e: float) -> float:
    nu, d = 1.0e-6, 0.05
    s = nu * d
    return epanet_friction_factor(re * math.pi / 4.0 * s, e, s)


def colebrook(re: float, e: float) -> float:
    """Colebrook (1939) solved with brentq: 1/√f = −2 log10(ε/3.7D + 2.51/(Re √f))."""

    def residual(f: float) -> float:
        return 1.0 / math.sqrt(f) + 2.0 * math.log10(e / 3.7 + 2.51 / (re * math.sqrt(f)))

    return brentq(residual, 1e-4, 1.0, xtol=1e-15, rtol=1e-14)


# --- friction factor ------------------------------------------------------------------


@pytest.mark.parametrize("re", [0.5, 10.0, 640.0, 1999.0, 2000.0])
@pytest.mark.parametrize("e", [0.0, 1e-3, 0.05])
def test_laminar_is_hagen_poiseuille(re, e):
    assert friction_factor(re, e) == pytest.approx(64.0 / re, rel=1e-15)


@pytest.mark.parametrize("re", [2000.0, 2000.001, 2300.0, 2500.0, 3000.0, 3500.0, 3999.999])
@pytest.mark.parametrize("e", ROUGHNESS)
def test_transition_is_the_epanet_cubic(re, e):
    assert friction_factor(re, e) == pytest.approx(epanet_at(re, e), rel=1e-12, abs=0)


@pytest.mark.parametrize("re", [4000.0, 4000.001, 5000.0, 1e4, 1e5, 1e6, 1e7, 1e8])
@pytest.mark.parametrize("e", ROUGHNESS)
def test_turbulent_is_epanet_and_fluids_swamee_jain(re, e):
    fluids_friction = pytest.importorskip("fluids.friction")
    f = friction_factor(re, e)
    assert f == pytest.approx(epanet_at(re, e), rel=1e-12)
    # fluids writes 5.74/Re^0.9 as (6.97/Re)^0.9 (6.97^0.9 = 5.7389): agreement to 1e-5
    assert f == pytest.approx(fluids_friction.Swamee_Jain_1976(re, e), rel=1e-5)


@pytest.mark.parametrize("re", np.logspace(np.log10(4000.0), 8, 25))
@pytest.mark.parametrize("e", ROUGHNESS[:-1])
def test_turbulent_close_to_colebrook(re, e):
    # Swamee-Jain's deviation from Colebrook: within 3.2 % over Re 4e3-1e8, ε/D ≤ 1e-2
    # (largest near Re = 4000 for ε/D = 1e-2), within 1.5 % for Re ≥ 1e4, ε/D ≤ 1e-3.
    f, exact = friction_factor(re, e), colebrook(re, e)
    assert f == pytest.approx(exact, rel=0.032)
    if re >= 1e4 and e <= 1e-3:
        assert f == pytest.approx(exact, rel=0.015)


@pytest.mark.parametrize(("re", "e"), [(1e4, 0.0), (1e5, 1e-4), (1e6, 1e-3), (3e7, 1e-5)])
def test_brentq_colebrook_agrees_with_fluids(re, e):
    # checks the oracle itself against an independent Colebrook (fluids, Lambert W form)
    fluids_friction = pytest.importorskip("fluids.friction")
    assert colebrook(re, e) == pytest.approx(fluids_friction.Colebrook(re, e), rel=1e-10)


@pytest.mark.parametrize("e", ROUGHNESS)
def test_continuous_at_2000_and_4000(e):
    assert friction_factor(2000.0, e) == 0.032
    assert friction_factor(2000.0 * (1 + 1e-12), e) == pytest.approx(0.032, rel=1e-9)
    below, at = friction_factor(4000.0 * (1 - 1e-12), e), friction_factor(4000.0, e)
    assert below == pytest.approx(at, rel=1e-9)


@pytest.mark.parametrize("e", ROUGHNESS)
def test_slope_continuous_at_2000_and_4000(e):
    h = 1e-3
    for re_b in (2000.0, 4000.0):
        left = (friction_factor(re_b, e) - friction_factor(re_b - h, e)) / h
        right = (friction_factor(re_b + h, e) - friction_factor(re_b, e)) / h
        assert left == pytest.approx(right, rel=1e-4, abs=1e-12), re_b


@pytest.mark.parametrize("e", ROUGHNESS)
def test_transition_is_the_hermite_cubic(e):
    # The cubic through (2000, 64/Re) and (4000, f_SJ) with the slopes of both laws there
    # is unique; Dunlop's polynomial must be it.
    def sj(re: float) -> float:
        return 0.25 / math.log10(e / 3.7 + 5.74 / re**0.9) ** 2

    a, b = 2000.0, 4000.0
    fa, fb = 64.0 / a, sj(b)
    da = -64.0 / a**2
    h = 1e-2
    db = (sj(b + h) - sj(b - h)) / (2 * h)
    for re in np.linspace(a, b, 11):
        t = (re - a) / (b - a)
        h00, h10 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t
        h01, h11 = -2 * t**3 + 3 * t**2, t**3 - t**2
        hermite = h00 * fa + h10 * (b - a) * da + h01 * fb + h11 * (b - a) * db
        assert friction_factor(re, e) == pytest.approx(hermite, rel=1e-7)


def test_friction_factor_arrays():
    re = np.array([500.0, 2500.0, 3900.0, 1e5])
    e = np.array([0.0, 1e-4, 1e-3, 1e-2])
    f = friction_factor(re, e)
    assert isinstance(f, np.ndarray)
    assert f.tolist() == [friction_factor(float(r), float(x)) for r, x in zip(re, e)]
    assert isinstance(friction_factor(1e5), float)


@pytest.mark.parametrize(("re", "e"), [(0.0, 0.0), (-10.0, 0.0), (float("nan"), 0.0), (1e5, -1e-4)])
def test_friction_factor_rejects(re, e):
    with pytest.raises(ValueError):
        friction_factor(re, e)


# --- pipes and fittings ---------------------------------------------------------------


def test_branch_worked_example():
    """docs/physics/liquid.md §2 worked example: 150 L/min of PG25 at 35 °C, 2-inch pipe.

    Hand calculation: A = π·0.0508²/4 = 2.0268e-3 m²; v = 2.5e-3 / A = 1.2335 m/s;
    Re = 1012.48·1.2335·0.0508/1.542e-3 = 41,142; ε/D = 1.5e-6/0.0508 = 2.95e-5;
    f_SJ = 0.25/log10(7.98e-6 + 5.74/41142^0.9)² = 0.02181;
    Δp(10 m) = 0.02181·(10/0.0508)·1012.48·1.2335²/2 = 3307 Pa;
    plus four 90° elbows (K = 0.9 each): 4·0.9·1012.48·1.2335²/2 = 2773 Pa.
    """
    q, d, rho, mu = 150.0 / 60_000, 0.0508, 1012.48, 1.542e-3
    v = velocity(q, d)
    assert v == pytest.approx(1.2335, abs=1e-4)
    re = reynolds_number(v, d, rho, mu)
    assert re == pytest.approx(41_142, abs=1)
    f = friction_factor(re, 1.5e-6 / d)
    assert f == pytest.approx(0.02181, abs=1e-5)
    assert darcy_pressure_drop(f, 10.0, d, rho, v) == pytest.approx(3307, abs=1)
    assert minor_loss_pressure_drop(4 * 0.9, rho, v) == pytest.approx(2773, abs=1)
    k = pipe_resistance(f, 10.0, d, rho, minor_loss=4 * 0.9)
    assert resistance_pressure_drop(k, q) == pytest.approx(3307 + 2773, abs=2)


def test_pipe_pressure_drop_against_fluids():
    friction = pytest.importorskip("fluids.friction")
    q, d, rho, mu, eps, length = 150.0 / 60_000, 0.0508, 1012.48, 1.542e-3, 1.5e-6, 10.0
    v = velocity(q, d)
    f = friction_factor(reynolds_number(v, d, rho, mu), eps / d)
    expected = friction.one_phase_dP(
        q * rho, rho, mu, d, roughness=eps, L=length, Method="Swamee_Jain_1976"
    )
    # fluids' Swamee-Jain constant is (6.97)^0.9 = 5.7389 rather than 5.74: 1e-5
    assert darcy_pressure_drop(f, length, d, rho, v) == pytest.approx(expected, rel=1e-5)


def test_minor_loss_against_fluids():
    core = pytest.importorskip("fluids.core")
    assert minor_loss_pressure_drop(1.7, 994.0, 2.1) == pytest.approx(
        core.dP_from_K(1.7, 994.0, 2.1), rel=1e-14
    )


@pytest.mark.parametrize("q", [-3e-3, -1e-4, 0.0, 2e-4, 5e-3])
def test_resistance_equals_darcy_plus_minor_both_directions(q):
    f, length, d, rho, k_minor = 0.025, 4.0, 0.025, 1010.0, 2.3
    v = velocity(q, d)
    direct = darcy_pressure_drop(f, length, d, rho, v) + minor_loss_pressure_drop(k_minor, rho, v)
    k = pipe_resistance(f, length, d, rho, minor_loss=k_minor)
    assert resistance_pressure_drop(k, q) == pytest.approx(direct, rel=1e-12, abs=1e-12)
    assert math.copysign(1.0, resistance_pressure_drop(k, q)) == math.copysign(1.0, q) or q == 0


def test_resistance_from_point_round_trip():
    # datasheet: 35 kPa at 1.5 L/min
    q, dp = 1.5 / 60_000, 35_000.0
    k = resistance_from_point(q, dp)
    assert resistance_pressure_drop(k, q) == pytest.approx(dp, rel=1e-14)
    assert resistance_pressure_drop(k, 2 * q) == pytest.approx(4 * dp, rel=1e-14)
    with pytest.raises(ValueError):
        resistance_from_point(0.0, dp)


# --- Cv and Kv --------------------------------------------------------------------------


@pytest.mark.parametrize("cv", [0.01, 0.5, 1.0, 2.3, 40.0])
def test_cv_kv_round_trip(cv):
    assert kv_to_cv(cv_to_kv(cv)) == pytest.approx(cv, rel=1e-15)
    assert resistance_from_kv(cv_to_kv(cv), 1.03) == pytest.approx(
        resistance_from_cv(cv, 1.03), rel=1e-14
    )


def test_cv_kv_factor_against_fluids():
    fittings = pytest.importorskip("fluids.fittings")
    assert cv_to_kv(1.0) == pytest.approx(fittings.Cv_to_Kv(1.0), rel=1e-12)
    assert kv_to_cv(1.0) == pytest.approx(fittings.Kv_to_Cv(1.0), rel=1e-12)
    # the rounded factors of the valve handbooks: Kv = 0.865 Cv, Cv = 1.156 Kv
    assert round(cv_to_kv(1.0), 3) == 0.865
    assert round(kv_to_cv(1.0), 3) == 1.156


def test_resistance_from_cv_hand_calculation():
    # Quick disconnect Cv 2, PG25 (SG 1.0135 = 1012.48 / 999.0), 5 US gpm:
    # ΔP = SG·(Q/Cv)² = 1.0135·(5/2)² = 6.334 psi = 43,673 Pa.
    sg = 1012.48 / 999.0
    k = resistance_from_cv(2.0, sg)
    dp = resistance_pressure_drop(k, 5 * GPM)
    assert dp / PSI == pytest.approx(sg * 6.25, rel=1e-14)
    assert dp == pytest.approx(43_673, abs=1)
    # same in SI units: 5 gpm = 3.1545e-4 m³/s
    assert 5 * GPM == pytest.approx(3.1545e-4, rel=1e-4)


def test_resistance_from_kv_hand_calculation():
    # Kv 10: 10 m³/h at 1 bar; 5 m³/h → 0.25 bar
    k = resistance_from_kv(10.0)
    assert resistance_pressure_drop(k, 5.0 / 3600) == pytest.approx(0.25 * BAR, rel=1e-14)


# --- pumps ------------------------------------------------------------------------------


def test_fit_recovers_a_known_curve():
    h0, r, n = 320e3, 4.0e7, 1.8  # Δp = h0 − r·Q^1.8
    pts = [(q, h0 - r * q**n) for q in (0.0, 5e-4, 1e-3, 1.5e-3, 2e-3, 2.5e-3)]
    fit = fit_pump_curve(pts)
    assert fit[0] == pytest.approx(h0, rel=1e-8)
    assert fit[1] == pytest.approx(r, rel=1e-6)
    assert fit[2] == pytest.approx(n, abs=1e-7)


def test_fit_three_points_exact_as_epanet():
    # EPANET's three-point curve (shutoff, design, max) has an exact power-law fit:
    # n = ln((h0-h2)/(h0-h1)) / ln(q2/q1), r = (h0-h1)/q1^n.
    (q1, h1), (q2, h2), h0 = (1e-3, 250e3), (2.2e-3, 120e3), 300e3
    n_exact = math.log((h0 - h2) / (h0 - h1)) / math.log(q2 / q1)
    r_exact = (h0 - h1) / q1**n_exact
    h0_fit, r_fit, n_fit = fit_pump_curve([(0.0, h0), (q1, h1), (q2, h2)])
    assert (h0_fit, n_fit) == (pytest.approx(h0, rel=1e-9), pytest.approx(n_exact, abs=1e-8))
    assert r_fit == pytest.approx(r_exact, rel=1e-6)


def test_fit_noisy_points_matches_scipy_least_squares():
    rng = np.random.default_rng(7)
    q = np.linspace(2e-4, 3e-3, 9)
    dp = 300e3 - 2.9e10 * q**2.1 + rng.normal(0.0, 2e3, q.size)
    h0, r, n = fit_pump_curve(list(zip(q.tolist(), dp.tolist(), strict=True)))

    def model(x, a, b, c):
        return a - b * 1e10 * x**c

    (a, b, c), _ = curve_fit(model, q, dp, p0=(3e5, 3.0, 2.0), maxfev=20000)
    assert h0 == pytest.approx(a, rel=1e-6)
    assert r == pytest.approx(b * 1e10, rel=1e-4)
    assert n == pytest.approx(c, abs=1e-5)


def test_fit_two_points_fixes_n_2():
    h0, r, n = fit_pump_curve([(1e-3, 250e3), (2e-3, 100e3)])
    assert n == 2.0
    # 250 = h0 − r·1e-6, 100 = h0 − r·4e-6 → r = 5e10, h0 = 300 kPa
    assert (h0, r) == (pytest.approx(300e3), pytest.approx(5e10))


def test_fit_one_point_is_epanet_single_point_curve():
    h0, r, n = fit_pump_curve([(2e-3, 150e3)])
    assert n == 2.0
    assert h0 == pytest.approx(200e3)  # 4/3 of the design pressure
    assert pump_curve_pressure(2e-3, h0, r, n) == pytest.approx(150e3)
    assert pump_curve_pressure(4e-3, h0, r, n) == pytest.approx(0.0, abs=1e-6)  # 2 × design


@pytest.mark.parametrize(
    "pts",
    [
        [],
        [(0.0, 100e3)],
        [(1e-3, 100e3), (1e-3, 90e3)],
        [(1e-3, 100e3), (2e-3, 150e3)],
        [(0.0, 1e5), (1e-3, 1.1e5), (2e-3, 1.2e5)],
    ],
)
def test_fit_rejects(pts):
    with pytest.raises(ValueError):
        fit_pump_curve(pts)


@pytest.mark.parametrize("s", [0.3, 0.7, 1.0, 1.2])
@pytest.mark.parametrize("n", [1.5, 2.0, 2.4])
def test_affinity_laws_on_the_curve(s, n):
    h0, r = 300e3, 3e10
    for q in (0.0, 5e-4, 1e-3, 2e-3):
        dp = pump_curve_pressure(q, h0, r, n)
        q2, dp2 = affinity_scale(q, dp, s)
        assert (q2, dp2) == (s * q, pytest.approx(s**2 * dp))
        assert pump_curve_pressure(q2, h0, r, n, speed=s) == pytest.approx(dp2, rel=1e-12)


def test_pump_curve_reverse_flow_and_stop():
    assert pump_curve_pressure(-1e-3, 300e3, 3e10) == pytest.approx(330e3)
    with pytest.raises(ValueError):
        pump_curve_pressure(1e-3, 300e3, 3e10, speed=0.0)


def test_pump_shaft_power():
    # OCP RPU figure (standards.md §3): 150 L/min at 276 kPa; η = 0.6 → 2.5e-3·276e3/0.6 = 1150 W
    assert pump_shaft_power(150 / 60_000, 276e3, 0.6) == pytest.approx(1150.0)
    # affinity: power ∝ s³
    q2, dp2 = affinity_scale(150 / 60_000, 276e3, 0.8)
    assert pump_shaft_power(q2, dp2, 0.6) == pytest.approx(1150.0 * 0.8**3)
    for bad in (0.0, -0.1, 1.2):
        with pytest.raises(ValueError):
            pump_shaft_power(1e-3, 1e5, bad)
