"""Electrical relations for rack power: three-phase power, phase voltages, imbalance.

Pure SI functions. Per-line currents of many panels at once are computed by the
kernel (:func:`rackval.solve.electrical_kernel.line_currents`); these functions are
the scalar relations used around it and in documentation.
"""

from __future__ import annotations

import math

__all__ = [
    "three_phase_power",
    "phase_voltage",
    "outlet_voltage",
    "phase_imbalance",
    "mating_outlet",
]

SQRT3 = math.sqrt(3.0)


def three_phase_power(line_voltage: float, line_current: float, power_factor: float = 1.0) -> float:
    r"""Real power of a balanced three-phase circuit.

    .. math:: P = \sqrt{3} \, V_{LL} \, I_L \, \mathrm{PF}

    Parameters
    ----------
    line_voltage : float
        Line-to-line voltage. [V]
    line_current : float
        Current in each line. [A]
    power_factor : float
        Power factor. [1]

    Returns
    -------
    float
        Real power. [W]

    Examples
    --------
    >>> round(three_phase_power(415.0, 32.0 * 0.8) / 1000, 1)  # 415 V 32 A feed at 80 %
    18.4

    References
    ----------
    .. [1] IEEE Std 141-1993 (Red Book), ch. 3, three-phase power.
    """
    return SQRT3 * line_voltage * line_current * power_factor


def phase_voltage(line_voltage: float) -> float:
    r"""Line-to-neutral voltage of a wye system.

    .. math:: V_{LN} = V_{LL} / \sqrt{3}

    Parameters
    ----------
    line_voltage : float
        Line-to-line voltage. [V]

    Returns
    -------
    float
        Line-to-neutral voltage. [V]

    Examples
    --------
    >>> round(phase_voltage(400.0), 1)
    230.9

    References
    ----------
    .. [1] IEEE Std 141-1993 (Red Book), ch. 3.
    """
    return line_voltage / SQRT3


def outlet_voltage(line_voltage: float, wiring: str) -> float:
    """Voltage at an outlet of a PDU fed at ``line_voltage``.

    Wye PDUs load line-to-neutral, delta PDUs line-to-line, single-phase PDUs the
    circuit voltage.

    Parameters
    ----------
    line_voltage : float
        Feed voltage: line-to-line for three phases, the circuit voltage for one. [V]
    wiring : str
        ``"wye"``, ``"delta"`` or ``"single"``.

    Returns
    -------
    float
        Outlet voltage. [V]

    Examples
    --------
    >>> round(outlet_voltage(415.0, "wye"))
    240
    >>> outlet_voltage(208.0, "delta")
    208.0
    """
    return phase_voltage(line_voltage) if wiring == "wye" else line_voltage


def phase_imbalance(currents: tuple[float, float, float]) -> float:
    r"""Largest deviation of a line current from the mean, relative to the mean.

    .. math:: u = \max_k |I_k - \bar I| / \bar I

    Parameters
    ----------
    currents : tuple of float
        RMS line currents of L1, L2, L3. [A]

    Returns
    -------
    float
        Imbalance; 0 for a balanced load, 0 when no current flows. [1]

    Examples
    --------
    >>> round(phase_imbalance((24.1, 31.9, 12.0)), 3)  # mean 22.67, |12.0 − 22.67| / 22.67
    0.471

    References
    ----------
    .. [1] NEMA MG 1, 14.36 (definition of percent unbalance: maximum deviation from
       the average divided by the average), applied to currents.
    """
    mean = sum(currents) / 3.0
    if mean <= 0.0:
        return 0.0
    return max(abs(c - mean) for c in currents) / mean


def mating_outlet(inlet: str | None) -> str | None:
    """The NetBox outlet type that mates with a NetBox power-port (inlet) type.

    IEC 60320 names appliance inlets with the even number one above the mating
    connector (C14 takes C13, C20 takes C19); an outlet on a PDU is the mating
    connector of that pair.

    Examples
    --------
    >>> mating_outlet("iec-60320-c20")
    'iec-60320-c19'
    >>> mating_outlet("iec-60320-c14")
    'iec-60320-c13'
    >>> mating_outlet(None) is None
    True

    References
    ----------
    .. [1] IEC 60320-1:2021, appliance couplers: connector/inlet pairs C13/C14, C19/C20.
    """
    if not inlet:
        return None
    prefix = "iec-60320-c"
    if inlet.startswith(prefix) and inlet[len(prefix) :].isdigit():
        number = int(inlet[len(prefix) :])
        if number % 2 == 0:
            return f"{prefix}{number - 1}"
    return inlet
