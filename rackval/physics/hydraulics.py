"""Hydraulics of liquid-cooling loops: pipes, fittings, devices and pumps.

Pure SI functions: flows in m³/s, pressures in Pa, lengths in m. Pressure, not head,
is the potential: a loop may hold any coolant, and pressure drops of devices are given
in kPa or psi. A hydraulic resistance ``k`` is the coefficient of Δp = k·Q|Q|
[Pa/(m³/s)² = kg/m⁷].

The friction factor follows EPANET 2.2 (``src/hydcoeffs.c``, ``frictionFactor`` and
``DWpipecoeff``): Hagen–Poiseuille for Re ≤ 2000, Swamee–Jain for Re ≥ 4000 and
Dunlop's cubic in between, which meets both with equal value and slope.

Functions that are plain arithmetic take floats or NumPy arrays alike;
:func:`friction_factor` takes either and returns the same kind.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import overload

import numpy as np
import numpy.typing as npt

__all__ = [
    "velocity",
    "reynolds_number",
    "friction_factor",
    "darcy_pressure_drop",
    "minor_loss_pressure_drop",
    "pipe_resistance",
    "resistance_pressure_drop",
    "resistance_from_point",
    "cv_to_kv",
    "kv_to_cv",
    "resistance_from_cv",
    "resistance_from_kv",
    "fit_pump_curve",
    "pump_curve_pressure",
    "affinity_scale",
    "pump_shaft_power",
    "RE_LAMINAR",
    "RE_TURBULENT",
    "PSI",
    "BAR",
    "GPM",
    "M3_PER_H",
    "CV_PER_KV",
]

RE_LAMINAR = 2000.0  # [1] laminar up to and including this Reynolds number (EPANET)
RE_TURBULENT = 4000.0  # [1] Swamee–Jain from this Reynolds number on (EPANET)

PSI = 6894.757293168361  # [Pa] 1 lbf/in² (NIST SP 811)
BAR = 1.0e5  # [Pa]
GPM = 3.785411784e-3 / 60.0  # [m³/s] 1 US gallon per minute (231 in³/min)
M3_PER_H = 1.0 / 3600.0  # [m³/s]
# Kv [m³/h at 1 bar] per Cv [US gpm at 1 psi]: the flow Cv gives at 1 bar, in m³/h.
CV_PER_KV = (M3_PER_H / GPM) * math.sqrt(PSI / BAR)  # ≈ 1.156
_KV_PER_CV = 1.0 / CV_PER_KV  # ≈ 0.8650

_LN10 = math.log(10.0)
_SJ_A = 5.74  # Swamee–Jain constant
_SJ_E = 3.7  # Swamee–Jain roughness divisor


def velocity(flow: float, diameter: float) -> float:
    r"""Mean velocity of a flow in a round pipe.

    .. math:: v = \frac{4 Q}{\pi D^2}

    Parameters
    ----------
    flow : float
        Volumetric flow; negative for reverse flow. [m³/s]
    diameter : float
        Inner diameter. [m]

    Returns
    -------
    float
        Mean (bulk) velocity, with the sign of ``flow``. [m/s]

    Examples
    --------
    >>> round(velocity(150.0 / 60_000, 0.0508), 3)  # 150 L/min in a 2-inch bore
    1.233

    References
    ----------
    .. [1] White, F. M. (2011). Fluid Mechanics, 7th ed., McGraw-Hill, §3.2 (continuity).
    """
    area = math.pi * diameter**2 / 4.0
    return flow / area


def reynolds_number(velocity: float, diameter: float, density: float, viscosity: float) -> float:
    r"""Reynolds number of a pipe flow.

    .. math:: \mathrm{Re} = \frac{\rho \, |v| \, D}{\mu}

    Parameters
    ----------
    velocity : float
        Mean velocity (its sign is ignored). [m/s]
    diameter : float
        Inner (or hydraulic) diameter. [m]
    density : float
        Coolant density. [kg/m³]
    viscosity : float
        Dynamic viscosity. [Pa·s]

    Returns
    -------
    float
        Reynolds number. [1]

    Examples
    --------
    >>> v = velocity(150.0 / 60_000, 0.0508)  # 150 L/min of PG25 at 35 °C, 2-inch bore
    >>> round(reynolds_number(v, 0.0508, 1012.48, 1.542e-3))
    41142

    References
    ----------
    .. [1] White, F. M. (2011). Fluid Mechanics, 7th ed., McGraw-Hill, §6.1.
    """
    return density * abs(velocity) * diameter / viscosity


@overload
def friction_factor(reynolds: float, relative_roughness: float = ...) -> float: ...
@overload
def friction_factor(
    reynolds: npt.ArrayLike, relative_roughness: npt.ArrayLike = ...
) -> npt.NDArray[np.float64]: ...


def friction_factor(reynolds, relative_roughness=0.0):
    r"""Darcy friction factor over laminar, transitional and turbulent flow, as EPANET.

    .. math::
        f = \begin{cases}
          64 / \mathrm{Re} & \mathrm{Re} \le 2000 \\
          X_1 + R\,(X_2 + R\,(X_3 + R\,X_4)) & 2000 < \mathrm{Re} < 4000 \\
          0.25 \big/ \left[\log_{10}\!\left(\dfrac{\varepsilon}{3.7}
              + \dfrac{5.74}{\mathrm{Re}^{0.9}}\right)\right]^2 & \mathrm{Re} \ge 4000
        \end{cases}

    In the transition, :math:`R = \mathrm{Re}/2000` and, with the Swamee–Jain factor
    :math:`f_a` at Re = 4000 and :math:`y_2 = \varepsilon/3.7 + 5.74/4000^{0.9}`,
    :math:`y_3 = -2\ln y_2/\ln 10`, :math:`f_b = \left(2 + \dfrac{-3.6\cdot 5.74 /
    (4000^{0.9} \ln 10)}{y_2 \, y_3}\right) f_a`:

    .. math::
        X_1 = 7 f_a - f_b,\quad X_2 = 0.128 - 17 f_a + 2.5 f_b,\quad
        X_3 = -0.128 + 13 f_a - 2 f_b,\quad X_4 = 0.032 - 3 f_a + 0.5 f_b

    This cubic (Dunlop) equals 64/Re with its slope at Re = 2000 and the Swamee–Jain
    factor with its slope at Re = 4000, so f and df/dRe are continuous.

    Parameters
    ----------
    reynolds : float or array_like
        Reynolds number, > 0. [1]
    relative_roughness : float or array_like
        Absolute roughness over inner diameter, ε/D ≥ 0 (0 = smooth). [1]

    Returns
    -------
    float or numpy.ndarray
        Darcy (Moody) friction factor, four times the Fanning factor; a float for
        scalar input. [1]

    Raises
    ------
    ValueError
        A Reynolds number ≤ 0 (or NaN), or a negative relative roughness.

    Examples
    --------
    >>> friction_factor(1000.0)  # laminar: 64 / Re
    0.064
    >>> round(friction_factor(3000.0, 1e-4), 5)  # transition (Dunlop cubic)
    0.03313
    >>> round(friction_factor(1e5, 1e-4), 5)  # Swamee-Jain; Colebrook gives 0.01851
    0.01845

    References
    ----------
    .. [1] Rossman, L. A., et al. (2020). EPANET 2.2 User Manual, EPA/600/R-20/133,
       §3.1 (friction factor: Hagen–Poiseuille, Swamee–Jain, Dunlop cubic);
       source ``src/hydcoeffs.c``, ``frictionFactor``.
    .. [2] Swamee, P. K., Jain, A. K. (1976). Explicit equations for pipe-flow
       problems. J. Hydraulics Div. ASCE 102(5), 657–664.
    .. [3] Dunlop, E. J. (1991). WADI Users Manual. Local Government Computer
       Services Board, Dublin.
    .. [4] Colebrook, C. F. (1939). Turbulent flow in pipes, with particular
       reference to the transition region between the smooth and rough pipe laws.
       J. Inst. Civil Eng. 11(4), 133–156.
    """
    re = np.asarray(reynolds, dtype=float)
    eps = np.asarray(relative_roughness, dtype=float)
    if not np.all(re > 0.0):
        raise ValueError(f"Reynolds number must be > 0, got {reynolds!r}")
    if not np.all(eps >= 0.0):
        raise ValueError(f"relative roughness must be ≥ 0, got {relative_roughness!r}")

    laminar = 64.0 / re

    # Swamee–Jain at the actual Re (used for Re ≥ 4000)
    y1 = _SJ_A / np.maximum(re, RE_TURBULENT) ** 0.9
    turbulent = 0.25 / np.log10(eps / _SJ_E + y1) ** 2

    # Dunlop cubic between 2000 and 4000 (EPANET constants AB, AC, A9)
    ab = _SJ_A / RE_TURBULENT**0.9  # 5.74 / 4000^0.9
    a9 = -2.0 / _LN10
    ac = -2.0 * 0.9 * 2.0 / _LN10 * ab
    y2 = eps / _SJ_E + ab
    y3 = a9 * np.log(y2)
    fa = 1.0 / (y3 * y3)
    fb = (2.0 + ac / (y2 * y3)) * fa
    r = re / RE_LAMINAR
    x1 = 7.0 * fa - fb
    x2 = 0.128 - 17.0 * fa + 2.5 * fb
    x3 = -0.128 + 13.0 * fa - (fb + fb)
    x4 = 0.032 - 3.0 * fa + 0.5 * fb
    transition = x1 + r * (x2 + r * (x3 + r * x4))

    f = np.where(re <= RE_LAMINAR, laminar, np.where(re < RE_TURBULENT, transition, turbulent))
    return float(f) if f.ndim == 0 else f


def darcy_pressure_drop(
    friction_factor: float, length: float, diameter: float, density: float, velocity: float
) -> float:
    r"""Friction pressure drop along a straight pipe (Darcy–Weisbach).

    .. math:: \Delta p = f \, \frac{L}{D} \, \frac{\rho \, v |v|}{2}

    Parameters
    ----------
    friction_factor : float
        Darcy friction factor, e.g. from :func:`friction_factor`. [1]
    length : float
        Pipe length. [m]
    diameter : float
        Inner diameter. [m]
    density : float
        Coolant density. [kg/m³]
    velocity : float
        Mean velocity; the drop takes its sign. [m/s]

    Returns
    -------
    float
        Pressure drop in the flow direction. [Pa]

    Examples
    --------
    >>> v = velocity(150.0 / 60_000, 0.0508)  # 150 L/min of PG25 at 35 °C, 2-inch bore
    >>> f = friction_factor(41142.0, 1.5e-6 / 0.0508)  # drawn tubing, ε = 1.5 µm
    >>> round(f, 5), round(darcy_pressure_drop(f, 10.0, 0.0508, 1012.48, v))  # 10 m
    (0.02181, 3307)

    References
    ----------
    .. [1] White, F. M. (2011). Fluid Mechanics, 7th ed., McGraw-Hill, Eq. 6.10.
    """
    return friction_factor * (length / diameter) * density * velocity * abs(velocity) / 2.0


def minor_loss_pressure_drop(loss_coefficient: float, density: float, velocity: float) -> float:
    r"""Pressure drop across a fitting, valve or bend with loss coefficient K.

    .. math:: \Delta p = K \, \frac{\rho \, v |v|}{2}

    Parameters
    ----------
    loss_coefficient : float
        Minor-loss coefficient K of the fitting (sum for several). [1]
    density : float
        Coolant density. [kg/m³]
    velocity : float
        Mean velocity in the reference section of K; the drop takes its sign. [m/s]

    Returns
    -------
    float
        Pressure drop in the flow direction. [Pa]

    Examples
    --------
    >>> round(minor_loss_pressure_drop(0.9, 1012.48, 1.5), 1)  # a standard 90° elbow
    1025.1

    References
    ----------
    .. [1] Idelchik, I. E. (2008). Handbook of Hydraulic Resistance, 4th ed.,
       Begell House, ch. 1 (definition of the loss coefficient).
    """
    return loss_coefficient * density * velocity * abs(velocity) / 2.0


def pipe_resistance(
    friction_factor: float,
    length: float,
    diameter: float,
    density: float,
    minor_loss: float = 0.0,
) -> float:
    r"""Resistance k of a pipe with fittings, for Δp = k·Q|Q| at a fixed friction factor.

    .. math:: k = \left(f \frac{L}{D} + \sum K\right) \frac{8 \rho}{\pi^2 D^4}

    Exact for fully rough turbulent flow and for minor losses, where f and K do not
    depend on the flow; elsewhere evaluate f at the operating flow and iterate.

    Parameters
    ----------
    friction_factor : float
        Darcy friction factor. [1]
    length : float
        Pipe length. [m]
    diameter : float
        Inner diameter. [m]
    density : float
        Coolant density. [kg/m³]
    minor_loss : float
        Sum of the minor-loss coefficients on the pipe. [1]

    Returns
    -------
    float
        Resistance. [Pa/(m³/s)²]

    Examples
    --------
    >>> k = pipe_resistance(0.021813, 10.0, 0.0508, 1012.48)
    >>> round(resistance_pressure_drop(k, 150.0 / 60_000))  # as darcy_pressure_drop
    3307

    References
    ----------
    .. [1] White, F. M. (2011). Fluid Mechanics, 7th ed., McGraw-Hill, Eqs. 6.10
       and 6.78 (v = 4Q/πD²).
    """
    loss = friction_factor * length / diameter + minor_loss  # total K, friction included
    return loss * 8.0 * density / (math.pi**2 * diameter**4)


def resistance_pressure_drop(resistance: float, flow: float) -> float:
    r"""Pressure drop of a quadratic resistance.

    .. math:: \Delta p = k \, Q |Q|

    Parameters
    ----------
    resistance : float
        Resistance k. [Pa/(m³/s)²]
    flow : float
        Volumetric flow; the drop takes its sign. [m³/s]

    Returns
    -------
    float
        Pressure drop in the flow direction. [Pa]

    Examples
    --------
    >>> round(resistance_pressure_drop(1.0e10, -1.0e-3))
    -10000

    References
    ----------
    .. [1] Todini, E., Pilati, S. (1988). A gradient algorithm for the analysis of
       pipe networks. In Computer Applications in Water Supply, Vol. 1, 1–20
       (link head loss h = r Q|Q|^(n−1)).
    """
    return resistance * flow * abs(flow)


def resistance_from_point(flow: float, pressure_drop: float) -> float:
    r"""Resistance of a device from one datasheet point (Δp at a flow).

    .. math:: k = \frac{\Delta p}{Q^2}

    Assumes the quadratic law Δp ∝ Q² of turbulent and minor losses, the usual
    basis of cold-plate, manifold and quick-disconnect datasheets. A device in
    laminar flow (Δp ∝ Q) is under-predicted below the rated flow and
    over-predicted above it.

    Parameters
    ----------
    flow : float
        Rated flow, > 0. [m³/s]
    pressure_drop : float
        Pressure drop at the rated flow. [Pa]

    Returns
    -------
    float
        Resistance k. [Pa/(m³/s)²]

    Raises
    ------
    ValueError
        ``flow`` ≤ 0.

    Examples
    --------
    >>> k = resistance_from_point(1.5 / 60_000, 35_000.0)  # 35 kPa at 1.5 L/min
    >>> round(resistance_pressure_drop(k, 3.0 / 60_000))  # twice the flow, four times Δp
    140000

    References
    ----------
    .. [1] White, F. M. (2011). Fluid Mechanics, 7th ed., McGraw-Hill, §6.9 (minor
       losses ∝ v²).
    """
    if not flow > 0.0:
        raise ValueError(f"rated flow must be > 0, got {flow!r}")
    return pressure_drop / flow**2


def cv_to_kv(cv: float) -> float:
    r"""Flow coefficient Kv (m³/h at 1 bar) of a valve rated Cv (US gpm at 1 psi).

    .. math:: K_v = C_v \, \frac{1\ \mathrm{gpm}}{1\ \mathrm{m^3/h}}
              \sqrt{\frac{1\ \mathrm{bar}}{1\ \mathrm{psi}}} \approx 0.8650 \, C_v

    Parameters
    ----------
    cv : float
        Flow coefficient Cv. [US gpm/psi^½]

    Returns
    -------
    float
        Flow coefficient Kv. [m³/h/bar^½]

    Examples
    --------
    >>> round(cv_to_kv(1.0), 4)
    0.865

    References
    ----------
    .. [1] IEC 60534-2-1:2011, Industrial-process control valves — flow capacity —
       sizing equations for fluid flow under installed conditions, Annex (Kv, Cv).
    """
    return cv * _KV_PER_CV


def kv_to_cv(kv: float) -> float:
    r"""Flow coefficient Cv of a valve rated Kv; the inverse of :func:`cv_to_kv`.

    .. math:: C_v \approx 1.156 \, K_v

    Parameters
    ----------
    kv : float
        Flow coefficient Kv. [m³/h/bar^½]

    Returns
    -------
    float
        Flow coefficient Cv. [US gpm/psi^½]

    Examples
    --------
    >>> round(kv_to_cv(1.0), 4)
    1.1561

    References
    ----------
    .. [1] IEC 60534-2-1:2011, Annex (Kv, Cv).
    """
    return kv * CV_PER_KV


def resistance_from_cv(cv: float, specific_gravity: float = 1.0) -> float:
    r"""Resistance k of a valve or quick disconnect rated by its Cv.

    Cv is the flow of water at 60 °F in US gpm at a 1 psi drop:
    ΔP[psi] = SG·(Q[gpm]/Cv)². In SI, with 1 psi = 6894.757 Pa and
    1 gpm = 6.309×10⁻⁵ m³/s:

    .. math:: \Delta p = k Q^2, \qquad k = \frac{\mathrm{SG} \cdot 6894.757}
              {(6.309 \times 10^{-5} \, C_v)^2}

    Parameters
    ----------
    cv : float
        Flow coefficient Cv, > 0. [US gpm/psi^½]
    specific_gravity : float
        Coolant density over that of water at 60 °F (999.0 kg/m³). [1]

    Returns
    -------
    float
        Resistance k. [Pa/(m³/s)²]

    Examples
    --------
    >>> k = resistance_from_cv(2.0)  # water, 10 gpm through Cv 2: 25 psi
    >>> round(resistance_pressure_drop(k, 10 * GPM) / PSI, 6)
    25.0

    References
    ----------
    .. [1] ISA-75.01.01-2012 / IEC 60534-2-1:2011, flow equation for incompressible
       fluids, Q = Cv·√(ΔP/SG).
    .. [2] http://www.maxbar.com/Flow_Capacity/Cv.htm (ΔP = SG·(Q/Cv)², via
       shared/reference/standards.md §3).
    """
    return specific_gravity * PSI / (GPM * cv) ** 2


def resistance_from_kv(kv: float, specific_gravity: float = 1.0) -> float:
    r"""Resistance k of a valve rated by its Kv.

    Kv is the flow of water in m³/h at a 1 bar drop: ΔP[bar] = SG·(Q[m³/h]/Kv)².

    .. math:: \Delta p = k Q^2, \qquad k = \frac{\mathrm{SG} \cdot 10^5}{(K_v / 3600)^2}

    Parameters
    ----------
    kv : float
        Flow coefficient Kv, > 0. [m³/h/bar^½]
    specific_gravity : float
        Coolant density over that of water (IEC 60534: at 15 °C). [1]

    Returns
    -------
    float
        Resistance k. [Pa/(m³/s)²]

    Examples
    --------
    >>> k = resistance_from_kv(3.6)  # 3.6 m³/h = 1 L/s at 1 bar
    >>> round(resistance_pressure_drop(k, 1.0e-3))
    100000

    References
    ----------
    .. [1] IEC 60534-2-1:2011, flow equation for incompressible fluids,
       Q = Kv·√(ΔP/ (ρ/ρ₀)).
    """
    return specific_gravity * BAR / (M3_PER_H * kv) ** 2


def _pump_lsq(points: Sequence[tuple[float, float]], n: float) -> tuple[float, float, float]:
    """Least squares of H = h0 − r·Qⁿ at fixed n: (h0, r, sum of squared residuals)."""
    m = len(points)
    xs = [abs(q) ** n for q, _ in points]
    ys = [h for _, h in points]
    sx, sy = sum(xs), sum(ys)
    sxx = sum(x * x for x in xs)
    sxy = sum(x * y for x, y in zip(xs, ys, strict=True))
    det = m * sxx - sx * sx
    if det <= 1e-12 * max(m * sxx, 1e-300):
        raise ValueError("pump curve points need at least two different flows")
    slope = (m * sxy - sx * sy) / det  # = −r
    h0 = (sy - slope * sx) / m
    sse = sum((y - h0 - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return h0, -slope, sse


def fit_pump_curve(points: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    r"""Fit the pump curve Δp = h₀ − r·Qⁿ to datasheet points.

    .. math:: \min_{h_0,\,r,\,n} \sum_i \left(\Delta p_i - h_0 + r Q_i^n\right)^2

    * one point (Q₁, Δp₁): EPANET's single-point curve, shutoff at 4/3·Δp₁ and
      zero pressure at 2·Q₁: h₀ = 4/3·Δp₁, r = Δp₁ / (3 Q₁²), n = 2;
    * two points: n = 2 (the affinity-law exponent), h₀ and r solve both points;
    * three or more: least squares in pressure. For each n the problem is linear in
      (h₀, r); n is searched on 0.5 … 5 (grid of 0.01, then golden section to
      1e-10). Three points with one at Q = 0 are fitted exactly, as EPANET's
      three-point curve.

    The second coordinate may be pressure [Pa] or head [m]; h₀ has its unit.

    Parameters
    ----------
    points : sequence of (float, float)
        (flow [m³/s], pressure rise [Pa]) pairs from the pump's datasheet curve at
        rated speed.

    Returns
    -------
    tuple of float
        ``(h0, r, n)``: shutoff pressure [Pa], coefficient [Pa/(m³/s)ⁿ], exponent [1].

    Raises
    ------
    ValueError
        No points, fewer than two distinct flows (from two points on), a single
        point with flow ≤ 0, or a fit in which pressure does not fall with flow
        (r ≤ 0).

    Examples
    --------
    >>> h0, r, n = fit_pump_curve([(0.0, 300e3), (1e-3, 270e3), (2e-3, 180e3)])
    >>> round(h0), round(r * 1e-9, 6), round(n, 6)
    (300000, 30.0, 2.0)

    References
    ----------
    .. [1] Rossman, L. A., et al. (2020). EPANET 2.2 User Manual, EPA/600/R-20/133,
       §3.1 "Pumps" (single-point and three-point curves, h = h₀ − r·Qⁿ).
    """
    pts = [(float(q), float(h)) for q, h in points]
    if not pts:
        raise ValueError("a pump curve needs at least one (flow, pressure) point")
    if len(pts) == 1:
        q1, h1 = pts[0]
        if not q1 > 0.0:
            raise ValueError(f"a single-point pump curve needs a flow > 0, got {q1!r}")
        h0, r, n = 4.0 / 3.0 * h1, h1 / (3.0 * q1 * q1), 2.0
    elif len(pts) == 2:
        n = 2.0
        h0, r, _ = _pump_lsq(pts, n)
    else:
        lo, hi, step = 0.5, 5.0, 0.01
        grid = [lo + i * step for i in range(round((hi - lo) / step) + 1)]
        best = min(grid, key=lambda n_: _pump_lsq(pts, n_)[2])
        a, b = max(lo, best - step), min(hi, best + step)
        g = (math.sqrt(5.0) - 1.0) / 2.0
        c, d = b - g * (b - a), a + g * (b - a)
        fc, fd = _pump_lsq(pts, c)[2], _pump_lsq(pts, d)[2]
        while b - a > 1e-10:
            if fc <= fd:
                b, d, fd = d, c, fc
                c = b - g * (b - a)
                fc = _pump_lsq(pts, c)[2]
            else:
                a, c, fc = c, d, fd
                d = a + g * (b - a)
                fd = _pump_lsq(pts, d)[2]
        n = (a + b) / 2.0
        h0, r, _ = _pump_lsq(pts, n)
    if not r > 0.0:
        raise ValueError(f"pump curve points must fall with flow; the fit gives r = {r:.4g}")
    return h0, r, n


def pump_curve_pressure(
    flow: float, h0: float, r: float, n: float = 2.0, speed: float = 1.0
) -> float:
    r"""Pressure rise of a pump at a flow and relative speed (affinity laws).

    .. math:: \Delta p = s^2 h_0 - r \, s^{2-n} \, Q |Q|^{n-1}

    so that a point (Q, Δp) of the rated-speed curve maps to (s·Q, s²·Δp). Reverse
    flow (Q < 0) raises the pressure above h₀, as in EPANET; a check valve is the
    caller's business.

    Parameters
    ----------
    flow : float
        Flow through the pump. [m³/s]
    h0 : float
        Shutoff pressure at rated speed. [Pa]
    r : float
        Curve coefficient at rated speed. [Pa/(m³/s)ⁿ]
    n : float
        Curve exponent. [1]
    speed : float
        Speed over rated speed, > 0. [1]

    Returns
    -------
    float
        Pressure rise. [Pa]

    Raises
    ------
    ValueError
        ``speed`` ≤ 0 (a stopped pump has no curve: treat it as a closed link).

    Examples
    --------
    >>> pump_curve_pressure(1e-3, 300e3, 30e9)
    270000.0
    >>> round(pump_curve_pressure(0.8e-3, 300e3, 30e9, speed=0.8))  # 0.8² × 270 kPa
    172800

    References
    ----------
    .. [1] Rossman, L. A., et al. (2020). EPANET 2.2 User Manual, §3.1 (pump speed
       setting); ``src/hydcoeffs.c`` ``pumpcoeff``: h₀·s², r·s^(2−n).
    .. [2] Karassik, I. J., et al. (2008). Pump Handbook, 4th ed., McGraw-Hill,
       §2.3 (affinity laws).
    """
    if not speed > 0.0:
        raise ValueError(f"pump speed ratio must be > 0, got {speed!r}")
    return speed**2 * h0 - r * speed ** (2.0 - n) * flow * abs(flow) ** (n - 1.0)


def affinity_scale(flow: float, pressure_rise: float, speed_ratio: float) -> tuple[float, float]:
    r"""Move a pump operating point to another speed (affinity laws).

    .. math:: Q_2 = s \, Q_1, \qquad \Delta p_2 = s^2 \, \Delta p_1
              \qquad (P_2 = s^3 P_1 \text{ for the shaft power})

    Parameters
    ----------
    flow : float
        Flow at the original speed. [m³/s]
    pressure_rise : float
        Pressure rise at the original speed. [Pa]
    speed_ratio : float
        New speed over original speed. [1]

    Returns
    -------
    tuple of float
        ``(flow [m³/s], pressure_rise [Pa])`` at the new speed.

    Examples
    --------
    >>> affinity_scale(2.0e-3, 180e3, 0.5)
    (0.001, 45000.0)

    References
    ----------
    .. [1] Karassik, I. J., et al. (2008). Pump Handbook, 4th ed., McGraw-Hill, §2.3.
    """
    return flow * speed_ratio, pressure_rise * speed_ratio**2


def pump_shaft_power(flow: float, pressure_rise: float, efficiency: float) -> float:
    r"""Shaft power a pump needs for a flow and pressure rise.

    .. math:: P = \frac{Q \, \Delta p}{\eta}

    Parameters
    ----------
    flow : float
        Flow. [m³/s]
    pressure_rise : float
        Pressure rise across the pump. [Pa]
    efficiency : float
        Pump (hydraulic) efficiency, 0 < η ≤ 1; divide by the motor and drive
        efficiencies too for electrical input power. [1]

    Returns
    -------
    float
        Shaft power. [W]

    Raises
    ------
    ValueError
        ``efficiency`` outside (0, 1].

    Examples
    --------
    >>> round(pump_shaft_power(150.0 / 60_000, 276e3, 0.6))  # OCP RPU: 150 L/min, 40 psi
    1150

    References
    ----------
    .. [1] Karassik, I. J., et al. (2008). Pump Handbook, 4th ed., McGraw-Hill, §2.1
       (water power Q·Δp).
    """
    if not 0.0 < efficiency <= 1.0:
        raise ValueError(f"pump efficiency must be in (0, 1], got {efficiency!r}")
    return flow * pressure_rise / efficiency
