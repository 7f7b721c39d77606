"""Heat in liquid-cooling loops: energy balances, the CDU heat exchanger, chips, transients.

Pure SI functions: heat in W, temperatures in K (differences in K), flows in m³/s or
kg/s, heat capacity rates in W/K. The CDU is a counterflow heat exchanger between
the secondary (technology cooling system, TCS) loop, the **hot** side, and the
primary (facility water) loop, the **cold** side, modelled with ε-NTU and one UA
calibrated from the datasheet rating point.

Approach temperature, as CDU datasheets use it (often "ATD"): the secondary
supply temperature leaving the CDU minus the facility water temperature entering it,

    ΔT_approach = T_hot,out − T_cold,in.

Functions that are plain arithmetic take floats or NumPy arrays alike; the ε-NTU
functions take floats.
"""

from __future__ import annotations

import math

__all__ = [
    "heat_capacity_rate",
    "coolant_flow_for_heat",
    "temperature_rise",
    "effectiveness_counterflow",
    "ntu_from_effectiveness_counterflow",
    "ua_from_rating",
    "ua_from_approach",
    "counterflow_outlets",
    "case_temperature",
    "adiabatic_ride_through",
    "time_constant",
    "lumped_temperature",
    "lumped_time_to_temperature",
]


def heat_capacity_rate(mass_flow: float, heat_capacity: float) -> float:
    r"""Heat capacity rate of a stream.

    .. math:: C = \dot m \, c_p

    Parameters
    ----------
    mass_flow : float
        Mass flow. [kg/s]
    heat_capacity : float
        Specific isobaric heat capacity. [J/(kg·K)]

    Returns
    -------
    float
        Heat capacity rate. [W/K]

    Examples
    --------
    >>> round(heat_capacity_rate(180.0 / 60_000 * 1012.48, 3956.7))  # 180 L/min PG25, 35 °C
    12018

    References
    ----------
    .. [1] Incropera, F. P., DeWitt, D. P., Bergman, T. L., Lavine, A. S. (2007).
       Fundamentals of Heat and Mass Transfer, 6th ed., Wiley, Eq. 11.10.
    """
    return mass_flow * heat_capacity


def coolant_flow_for_heat(
    heat: float, density: float, heat_capacity: float, temperature_rise: float
) -> float:
    r"""Volumetric coolant flow that carries `heat` at a given temperature rise.

    .. math:: \dot V = \frac{\dot Q}{\rho \, c_p \, \Delta T}

    Parameters
    ----------
    heat : float
        Heat to carry away. [W]
    density : float
        Coolant density at the mean loop temperature. [kg/m³]
    heat_capacity : float
        Specific isobaric heat capacity. [J/(kg·K)]
    temperature_rise : float
        Outlet minus inlet temperature. [K]

    Returns
    -------
    float
        Volumetric flow. [m³/s]

    Examples
    --------
    >>> round(coolant_flow_for_heat(1000.0, 994.0, 4180.0, 10.0) * 60_000, 3)  # L/min per kW
    1.444
    >>> round(coolant_flow_for_heat(1000.0, 1012.48, 3956.7, 10.0) * 60_000, 3)  # PG25, OCP
    1.498

    References
    ----------
    .. [1] Incropera et al. (2007), Fundamentals of Heat and Mass Transfer, 6th ed.,
       Eq. 1.11e (steady-flow energy balance, q = ṁ c_p ΔT).
    .. [2] OCP OAI System Liquid Cooling Guidelines v1.0 §3.2: 1.5 L/min per kW at
       ΔT ≤ 10 °C for PG25 (shared/reference/standards.md §3).
    """
    return heat / (density * heat_capacity * temperature_rise)


def temperature_rise(heat: float, mass_flow: float, heat_capacity: float) -> float:
    r"""Temperature rise of a stream that takes up `heat`.

    .. math:: \Delta T = \frac{\dot Q}{\dot m \, c_p}

    Parameters
    ----------
    heat : float
        Heat taken up (negative when given off). [W]
    mass_flow : float
        Mass flow. [kg/s]
    heat_capacity : float
        Specific isobaric heat capacity. [J/(kg·K)]

    Returns
    -------
    float
        Outlet minus inlet temperature. [K]

    Examples
    --------
    >>> round(temperature_rise(120e3, 180.0 / 60_000 * 1012.48, 3956.7), 2)  # 120 kW rack
    9.98

    References
    ----------
    .. [1] Incropera et al. (2007), Eq. 1.11e.
    """
    return heat / (mass_flow * heat_capacity)


def _check_ntu_inputs(capacity_ratio: float) -> None:
    if not 0.0 <= capacity_ratio <= 1.0:
        raise ValueError(f"capacity ratio C_min/C_max must be in [0, 1], got {capacity_ratio!r}")


def effectiveness_counterflow(ntu: float, capacity_ratio: float) -> float:
    r"""Effectiveness of a counterflow heat exchanger.

    .. math::
        \varepsilon = \frac{1 - \exp[-\mathrm{NTU}(1 - C_r)]}
                           {1 - C_r \exp[-\mathrm{NTU}(1 - C_r)]}
        \quad (C_r < 1), \qquad
        \varepsilon = \frac{\mathrm{NTU}}{1 + \mathrm{NTU}} \quad (C_r = 1)

    Evaluated as ε = N·g / (1 + C_r·N·g) with g = (1 − e^{−x})/x, x = N(1 − C_r),
    which equals both forms and stays accurate as C_r → 1.

    Parameters
    ----------
    ntu : float
        Number of transfer units, UA / C_min, ≥ 0. [1]
    capacity_ratio : float
        C_r = C_min / C_max, in [0, 1]. [1]

    Returns
    -------
    float
        Effectiveness q / q_max, in [0, 1). [1]

    Raises
    ------
    ValueError
        ``ntu`` < 0 or ``capacity_ratio`` outside [0, 1].

    Examples
    --------
    >>> effectiveness_counterflow(1.0, 1.0)
    0.5
    >>> round(effectiveness_counterflow(2.0, 0.5), 4)
    0.7746
    >>> round(effectiveness_counterflow(1.0, 0.0), 4)  # 1 − e^{−1}: C_r = 0 (condenser)
    0.6321

    References
    ----------
    .. [1] Incropera et al. (2007), Fundamentals of Heat and Mass Transfer, 6th ed.,
       Table 11.3, Eqs. 11.29a/b (counterflow), Fig. 11.15.
    .. [2] Kays, W. M., London, A. L. (1984). Compact Heat Exchangers, 3rd ed.,
       McGraw-Hill, Table 2-2.
    """
    if not ntu >= 0.0:
        raise ValueError(f"NTU must be ≥ 0, got {ntu!r}")
    _check_ntu_inputs(capacity_ratio)
    x = ntu * (1.0 - capacity_ratio)
    g = -math.expm1(-x) / x if x > 0.0 else 1.0  # (1 − e^{−x}) / x
    return ntu * g / (1.0 + capacity_ratio * ntu * g)


def ntu_from_effectiveness_counterflow(effectiveness: float, capacity_ratio: float) -> float:
    r"""NTU of a counterflow heat exchanger with a given effectiveness (the inverse).

    .. math::
        \mathrm{NTU} = \frac{1}{C_r - 1} \ln\frac{\varepsilon - 1}{\varepsilon C_r - 1}
        \quad (C_r < 1), \qquad
        \mathrm{NTU} = \frac{\varepsilon}{1 - \varepsilon} \quad (C_r = 1)

    Evaluated as NTU = ε/(1 − ε) · ln(1 + y)/y with y = ε(1 − C_r)/(1 − ε), equal to
    both forms and accurate as C_r → 1.

    Parameters
    ----------
    effectiveness : float
        Effectiveness, in [0, 1). [1]
    capacity_ratio : float
        C_r = C_min / C_max, in [0, 1]. [1]

    Returns
    -------
    float
        Number of transfer units. [1]

    Raises
    ------
    ValueError
        ``effectiveness`` outside [0, 1) (no finite exchanger reaches ε = 1), or
        ``capacity_ratio`` outside [0, 1].

    Examples
    --------
    >>> ntu_from_effectiveness_counterflow(0.5, 1.0)
    1.0
    >>> round(ntu_from_effectiveness_counterflow(0.7746, 0.5), 3)
    2.0

    References
    ----------
    .. [1] Incropera et al. (2007), Table 11.4, Eqs. 11.30a/b (counterflow).
    """
    if not 0.0 <= effectiveness < 1.0:
        raise ValueError(f"effectiveness must be in [0, 1), got {effectiveness!r}")
    _check_ntu_inputs(capacity_ratio)
    y = effectiveness * (1.0 - capacity_ratio) / (1.0 - effectiveness)
    h = math.log1p(y) / y if y > 0.0 else 1.0  # ln(1 + y) / y
    return effectiveness / (1.0 - effectiveness) * h


def ua_from_rating(
    heat: float,
    hot_in: float,
    cold_in: float,
    hot_flow_capacity: float,
    cold_flow_capacity: float,
) -> float:
    r"""UA of a counterflow heat exchanger (a CDU) from one rating point.

    .. math::
        \varepsilon = \frac{\dot Q}{C_{min} (T_{h,in} - T_{c,in})}, \quad
        \mathrm{NTU} = \mathrm{NTU}(\varepsilon, C_{min}/C_{max}), \quad
        UA = \mathrm{NTU} \cdot C_{min}

    For a CDU the hot side is the secondary (TCS) loop and the cold side the facility
    water. A datasheet that gives the rating as heat at an approach temperature
    (T_hot,out − T_cold,in) is handled by :func:`ua_from_approach`.

    Parameters
    ----------
    heat : float
        Rated heat duty, > 0. [W]
    hot_in : float
        Hot (secondary return) inlet temperature. [K]
    cold_in : float
        Cold (facility supply) inlet temperature, < ``hot_in``. [K]
    hot_flow_capacity : float
        Heat capacity rate of the hot stream at the rating, ṁ·c_p > 0. [W/K]
    cold_flow_capacity : float
        Heat capacity rate of the cold stream at the rating, ṁ·c_p > 0. [W/K]

    Returns
    -------
    float
        Overall conductance UA. [W/K]

    Raises
    ------
    ValueError
        Non-positive heat or capacity rates, ``hot_in`` ≤ ``cold_in``, or a rating
        no counterflow exchanger can meet (ε ≥ 1).

    Examples
    --------
    >>> # 1 MW; secondary 100 kW/K (returns at 42 °C), facility 100 kW/K at 28 °C
    >>> round(ua_from_rating(1.0e6, 315.15, 301.15, 1.0e5, 1.0e5))  # ε = 1/1.4
    250000

    References
    ----------
    .. [1] Incropera et al. (2007), §11.4–11.5 (ε-NTU method), Eqs. 11.18, 11.24,
       11.30a/b.
    """
    if not heat > 0.0:
        raise ValueError(f"rated heat must be > 0, got {heat!r}")
    if not (hot_flow_capacity > 0.0 and cold_flow_capacity > 0.0):
        raise ValueError("heat capacity rates must be > 0")
    if not hot_in > cold_in:
        raise ValueError(f"hot inlet {hot_in!r} K must be above cold inlet {cold_in!r} K")
    c_min = min(hot_flow_capacity, cold_flow_capacity)
    c_max = max(hot_flow_capacity, cold_flow_capacity)
    q_max = c_min * (hot_in - cold_in)
    effectiveness = heat / q_max
    if effectiveness >= 1.0:
        raise ValueError(
            f"rating point infeasible: {heat:.6g} W needs effectiveness {effectiveness:.4f} ≥ 1 "
            f"(at most {q_max:.6g} W with these inlets and flows)"
        )
    return ntu_from_effectiveness_counterflow(effectiveness, c_min / c_max) * c_min


def ua_from_approach(
    heat: float, approach: float, hot_flow_capacity: float, cold_flow_capacity: float
) -> float:
    r"""UA of a CDU rated as heat at an approach temperature and flows.

    The approach is ΔT_a = T_hot,out − T_cold,in (secondary supply minus facility
    supply). The inlet difference follows from the hot-side balance, and UA from
    :func:`ua_from_rating`; UA depends only on temperature differences:

    .. math:: T_{h,in} - T_{c,in} = \Delta T_a + \frac{\dot Q}{C_h}

    Parameters
    ----------
    heat : float
        Rated heat duty, > 0. [W]
    approach : float
        Rated approach temperature difference, > 0. [K]
    hot_flow_capacity : float
        Secondary (hot) heat capacity rate at the rating. [W/K]
    cold_flow_capacity : float
        Facility (cold) heat capacity rate at the rating. [W/K]

    Returns
    -------
    float
        Overall conductance UA. [W/K]

    Raises
    ------
    ValueError
        As :func:`ua_from_rating`; also ``approach`` ≤ 0.

    Examples
    --------
    >>> round(ua_from_approach(1.0e6, 4.0, 1.0e5, 1.0e5))  # balanced: UA = Q / ΔT_a
    250000

    References
    ----------
    .. [1] Incropera et al. (2007), §11.4–11.5.
    .. [2] ASHRAE Standard 127 method for rating by approach, as proposed for OCP CDU
       ratings (shared/reference/standards.md §3).
    """
    if not approach > 0.0:
        raise ValueError(f"approach temperature must be > 0, got {approach!r}")
    if not hot_flow_capacity > 0.0:
        raise ValueError("heat capacity rates must be > 0")
    inlet_difference = approach + heat / hot_flow_capacity
    return ua_from_rating(heat, inlet_difference, 0.0, hot_flow_capacity, cold_flow_capacity)


def counterflow_outlets(
    ua: float, hot_in: float, cold_in: float, c_hot: float, c_cold: float
) -> tuple[float, float, float]:
    r"""Outlet temperatures and duty of a counterflow heat exchanger (ε-NTU).

    .. math::
        \mathrm{NTU} = \frac{UA}{C_{min}}, \quad
        \dot Q = \varepsilon \, C_{min} (T_{h,in} - T_{c,in}), \quad
        T_{h,out} = T_{h,in} - \frac{\dot Q}{C_h}, \quad
        T_{c,out} = T_{c,in} + \frac{\dot Q}{C_c}

    Parameters
    ----------
    ua : float
        Overall conductance, ≥ 0. [W/K]
    hot_in : float
        Hot (secondary return) inlet temperature. [K]
    cold_in : float
        Cold (facility supply) inlet temperature. [K]
    c_hot : float
        Hot-stream heat capacity rate, > 0. [W/K]
    c_cold : float
        Cold-stream heat capacity rate, > 0. [W/K]

    Returns
    -------
    tuple of float
        ``(hot_out [K], cold_out [K], heat [W])``; heat flows hot → cold (negative if
        ``hot_in`` < ``cold_in``).

    Raises
    ------
    ValueError
        ``ua`` < 0 or a capacity rate ≤ 0 (a stopped stream: the caller decides).

    Examples
    --------
    >>> hot_out, cold_out, q = counterflow_outlets(2.5e5, 315.15, 301.15, 1.0e5, 1.0e5)
    >>> round(hot_out - 273.15, 2), round(cold_out - 273.15, 2), round(q)
    (32.0, 38.0, 1000000)

    References
    ----------
    .. [1] Incropera et al. (2007), §11.4, Eqs. 11.18, 11.22, 11.29a/b.
    """
    if not ua >= 0.0:
        raise ValueError(f"UA must be ≥ 0, got {ua!r}")
    if not (c_hot > 0.0 and c_cold > 0.0):
        raise ValueError(f"heat capacity rates must be > 0, got {c_hot!r} and {c_cold!r}")
    c_min, c_max = min(c_hot, c_cold), max(c_hot, c_cold)
    effectiveness = effectiveness_counterflow(ua / c_min, c_min / c_max)
    heat = effectiveness * c_min * (hot_in - cold_in)
    return hot_in - heat / c_hot, cold_in + heat / c_cold, heat


def case_temperature(
    coolant_temperature: float, chip_power: float, thermal_resistance: float
) -> float:
    r"""Case temperature of a cold-plate-cooled chip.

    .. math:: T_{case} = T_{coolant} + P \, R_{th}

    Parameters
    ----------
    coolant_temperature : float
        Coolant temperature at the cold plate inlet (the reference of R_th). [K]
    chip_power : float
        Heat the chip gives to the cold plate. [W]
    thermal_resistance : float
        Case-to-coolant thermal resistance of the cold plate at its flow, as the
        datasheet defines it (usually referred to the inlet coolant). [K/W]

    Returns
    -------
    float
        Case temperature. [K]

    Examples
    --------
    >>> round(case_temperature(313.15, 1000.0, 0.02) - 273.15, 2)  # 1 kW GPU, 0.02 K/W
    60.0

    References
    ----------
    .. [1] Incropera et al. (2007), §3.1 (thermal resistance, q = ΔT / R_t).
    .. [2] JEDEC JESD51-1 (1995), Integrated circuit thermal measurement method,
       definition of a thermal resistance as ΔT / P.
    """
    return coolant_temperature + chip_power * thermal_resistance


def adiabatic_ride_through(
    heat_capacity_total: float, temperature_margin: float, power: float
) -> float:
    r"""Time a loop rides through a cooling loss without exceeding a temperature margin.

    All heat goes into the coolant and metal (no heat removed), all at one
    temperature:

    .. math:: t = \frac{C_{total} \, \Delta T_{margin}}{P}

    An upper bound: the coolant at the hottest device warms faster than the mean.

    Parameters
    ----------
    heat_capacity_total : float
        Heat capacity of coolant and metal, Σ m·c_p = Σ ρ·c_p·V. [J/K]
    temperature_margin : float
        Allowed rise, e.g. maximum supply temperature minus present supply. [K]
    power : float
        Heat input, > 0. [W]

    Returns
    -------
    float
        Ride-through time. [s]

    Examples
    --------
    >>> # standards.md §3: 200 L PG25 at 35 °C (ρc_p 4.006 MJ/(m³·K)) + 50 kg Cu
    >>> c_total = 0.200 * 4.006e6 + 50.0 * 385.0  # 801,200 + 19,250 J/K
    >>> round(adiabatic_ride_through(c_total, 10.0, 120e3), 1)  # 120 kW, +10 K
    68.4

    References
    ----------
    .. [1] Incropera et al. (2007), §5.2 (lumped capacitance), energy balance
       C dT/dt = P with no outflow.
    .. [2] shared/reference/standards.md §3 (ride-through example, [C]).
    """
    return heat_capacity_total * temperature_margin / power


def time_constant(heat_capacity: float, conductance: float) -> float:
    r"""Time constant of a lumped heat capacity cooled through a conductance.

    .. math:: \tau = \frac{C}{G}

    Parameters
    ----------
    heat_capacity : float
        Heat capacity of the lump. [J/K]
    conductance : float
        Thermal conductance to the surroundings (UA, or ṁ·c_p of a through-flow). [W/K]

    Returns
    -------
    float
        Time constant. [s]

    Examples
    --------
    >>> time_constant(820_450.0, 12_000.0) > 68.0
    True

    References
    ----------
    .. [1] Incropera et al. (2007), Eq. 5.7 (τ = R_t C_t).
    """
    return heat_capacity / conductance


def lumped_temperature(time: float, t0: float, t_inf: float, tau: float) -> float:
    r"""Temperature of a lumped capacity approaching a steady temperature (RC response).

    .. math:: T(t) = T_\infty + (T_0 - T_\infty) \, e^{-t/\tau}

    For a lump of capacity C heated by P and cooled through G to T_amb:
    T_∞ = T_amb + P/G and τ = C/G.

    Parameters
    ----------
    time : float
        Time since the step. [s]
    t0 : float
        Temperature at t = 0. [K]
    t_inf : float
        Steady temperature after the step. [K]
    tau : float
        Time constant, > 0 (:func:`time_constant`). [s]

    Returns
    -------
    float
        Temperature at ``time``. [K]

    Examples
    --------
    >>> round(lumped_temperature(100.0, 300.0, 310.0, 100.0), 4)  # 1 − 1/e of the way
    306.3212

    References
    ----------
    .. [1] Incropera et al. (2007), §5.2, Eq. 5.6 (lumped capacitance).
    """
    return t_inf + (t0 - t_inf) * math.exp(-time / tau)


def lumped_time_to_temperature(limit: float, t0: float, t_inf: float, tau: float) -> float:
    r"""Time at which a lumped capacity reaches a limit temperature (inverse RC response).

    .. math:: t = -\tau \ln\frac{T_{lim} - T_\infty}{T_0 - T_\infty}

    Parameters
    ----------
    limit : float
        Limit temperature. [K]
    t0 : float
        Temperature at t = 0. [K]
    t_inf : float
        Steady temperature after the step. [K]
    tau : float
        Time constant, > 0. [s]

    Returns
    -------
    float
        Time to reach ``limit``: 0 when ``t0`` is already at or past it, ``inf`` when
        the response never gets there. [s]

    Examples
    --------
    >>> round(lumped_time_to_temperature(306.3212, 300.0, 310.0, 100.0), 2)
    100.0
    >>> lumped_time_to_temperature(315.0, 300.0, 310.0, 100.0)
    inf

    References
    ----------
    .. [1] Incropera et al. (2007), §5.2, Eq. 5.5 (lumped capacitance, solved for t).
    """
    rising = t_inf >= t0
    if (limit <= t0) if rising else (limit >= t0):
        return 0.0
    if (limit >= t_inf) if rising else (limit <= t_inf):
        return math.inf
    return -tau * math.log((limit - t_inf) / (t0 - t_inf))
