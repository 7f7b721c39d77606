"""NumPy oracle for ``rackval._thermal.phase_currents`` — tests only, never a fallback.

Written independently of the kernel: complex phasors, ``acos`` for the current
angle and explicit ``exp(jθ)`` voltage angles, vectorized over panels.
Grainger & Stevenson, "Power System Analysis" (1994), §1.10-1.11.
"""

from __future__ import annotations

import numpy as np

WYE, DELTA, SINGLE_PHASE = 0, 1, 2

# Voltage angles, positive sequence, V_L1-N at 0°.
_WYE_ANGLES = np.deg2rad([0.0, -120.0, 120.0])  # V_1N, V_2N, V_3N
_DELTA_ANGLES = np.deg2rad([30.0, -90.0, 150.0])  # V_12, V_23, V_31


def _phasors(power, power_factor, voltage, angles):
    """Branch current phasors: |I| = P/(|V| pf), lagging the voltage by acos(pf)."""
    magnitude = power / (voltage[:, None] * power_factor)
    return magnitude * np.exp(1j * (angles[None, :] - np.arccos(power_factor)))


def phase_currents_reference(branch_power, power_factor, voltage, wiring):
    """Return ``(line_current[3n], neutral_current[n])`` from complex phasors."""
    power = np.asarray(branch_power, dtype=float).reshape(-1, 3)
    factor = np.asarray(power_factor, dtype=float).reshape(-1, 3)
    volts = np.asarray(voltage, dtype=float)
    wiring = np.asarray(wiring)

    line = np.zeros(power.shape)
    neutral = np.zeros(volts.shape)

    wye = wiring == WYE
    i_wye = _phasors(power[wye], factor[wye], volts[wye] / np.sqrt(3.0), _WYE_ANGLES)
    line[wye] = np.abs(i_wye)
    neutral[wye] = np.abs(i_wye.sum(axis=1))

    delta = wiring == DELTA
    i_ph = _phasors(power[delta], factor[delta], volts[delta], _DELTA_ANGLES)
    i_12, i_23, i_31 = i_ph[:, 0], i_ph[:, 1], i_ph[:, 2]
    line[delta] = np.abs(np.stack([i_12 - i_31, i_23 - i_12, i_31 - i_23], axis=1))

    single = wiring == SINGLE_PHASE
    current = power[single, 0] / (volts[single] * factor[single, 0])
    line[single, 0] = current
    neutral[single] = current

    return line.ravel(), neutral
