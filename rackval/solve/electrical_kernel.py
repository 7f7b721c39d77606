"""Per-line and neutral currents of many panels: validation around the kernel.

A thin wrapper over :func:`rackval._thermal.phase_currents`. It checks shapes and
values once in Python, hands contiguous float64 / intp arrays to the compiled
kernel and turns a nonzero kernel status into a :class:`~rackval.errors.SolverError`.

Array layout (``n`` panels: PDU inputs or feeds):

- ``branch_power[3i + k]``, ``power_factor[3i + k]``: branch ``k`` of panel ``i``.
  Wye: line-to-neutral loads on L1, L2, L3. Delta: line-to-line loads L1-L2, L2-L3,
  L3-L1. Single phase: branch 0 only, branches 1 and 2 must be 0.
- ``voltage[i]``: line-to-line voltage for 3-phase panels, circuit voltage for
  single phase (DESIGN §6: feed voltage is always line-to-line).
- ``wiring[i]``: :data:`WYE` (0), :data:`DELTA` (1) or :data:`SINGLE_PHASE` (2).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rackval._kernel import _thermal
from rackval.errors import SolverError

__all__ = ["WYE", "DELTA", "SINGLE_PHASE", "line_currents"]

WYE: int = _thermal.WIRING_WYE
DELTA: int = _thermal.WIRING_DELTA
SINGLE_PHASE: int = _thermal.WIRING_SINGLE_PHASE

_STATUS_MESSAGES = {
    _thermal.STATUS_BAD_SHAPE: "array lengths disagree",
    _thermal.STATUS_BAD_WIRING: "unknown wiring code",
    _thermal.STATUS_BAD_VOLTAGE: "voltage is not a positive finite number",
    _thermal.STATUS_BAD_POWER_FACTOR: "a power factor is outside (0, 1]",
    _thermal.STATUS_BAD_POWER: "a branch power is negative or not finite",
    _thermal.STATUS_BAD_SINGLE_PHASE: "a single-phase panel has load on branch 1 or 2",
}


def _float_array(name: str, values: ArrayLike) -> NDArray[np.float64]:
    array = np.ascontiguousarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite; first bad index {_first(~np.isfinite(array))}")
    return array


def _first(mask: NDArray[np.bool_]) -> int:
    return int(np.flatnonzero(mask)[0])


def line_currents(
    branch_power: ArrayLike,
    power_factor: ArrayLike,
    voltage: ArrayLike,
    wiring: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """RMS line and neutral currents of ``n`` wye, delta or single-phase panels.

    Parameters
    ----------
    branch_power : array_like, shape (3n,)
        Real power of each branch, three per panel (see the module docstring). [W]
    power_factor : array_like, shape (3n,)
        Lagging power factor of each branch, in (0, 1]. [-]
    voltage : array_like, shape (n,)
        Line-to-line voltage (3-phase) or circuit voltage (single phase). [V]
    wiring : array_like of int, shape (n,)
        :data:`WYE`, :data:`DELTA` or :data:`SINGLE_PHASE` per panel.

    Returns
    -------
    line_current : ndarray of float64, shape (3n,)
        RMS current of lines L1, L2, L3 of each panel; single phase: line 0 only. [A]
    neutral_current : ndarray of float64, shape (n,)
        Wye: ``|I1 + I2 + I3|``; delta: 0; single phase: the circuit current. [A]

    Raises
    ------
    ValueError
        Inconsistent shapes, non-finite values, negative power, power factor outside
        (0, 1], voltage <= 0, an unknown wiring code, or load on branch 1 or 2 of a
        single-phase panel.
    SolverError
        The kernel reported a nonzero status (only if validation here missed a case).

    Notes
    -----
    Wye: ``I_k = P_k / (V_LL/√3 · pf_k)`` at ``θ_k − acos(pf_k)``, θ = 0°, −120°, +120°.
    Delta: ``I_kl = P_kl / (V_LL · pf_kl)`` at θ = 30°, −90°, 150° for L1-L2, L2-L3,
    L3-L1; ``I_1 = I_12 − I_31``, ``I_2 = I_23 − I_12``, ``I_3 = I_31 − I_23``.

    Examples
    --------
    Delta at 415 V, unity power factor, 10/5/0 kW on L1-L2/L2-L3/L3-L1:

    >>> line, neutral = line_currents([10e3, 5e3, 0.0], [1.0, 1.0, 1.0], [415.0], [DELTA])
    >>> [round(float(i), 1) for i in line]
    [24.1, 31.9, 12.0]

    References
    ----------
    .. [1] J. J. Grainger and W. D. Stevenson, "Power System Analysis", 1994, §1.10-1.11.
    .. [2] IEEE Std 141-1993 (Red Book), ch. 3.
    """
    power = _float_array("branch_power", branch_power)
    factor = _float_array("power_factor", power_factor)
    volts = _float_array("voltage", voltage)
    codes = np.asarray(wiring)
    if codes.ndim != 1:
        raise ValueError(f"wiring must be one-dimensional, got shape {codes.shape}")
    if codes.size and codes.dtype.kind not in "iu":
        raise ValueError(f"wiring must hold integer codes, got dtype {codes.dtype}")
    codes = np.ascontiguousarray(codes, dtype=np.intp)

    n = volts.shape[0]
    for name, array, expected in (
        ("branch_power", power, 3 * n),
        ("power_factor", factor, 3 * n),
        ("wiring", codes, n),
    ):
        if array.shape[0] != expected:
            raise ValueError(
                f"{name} has {array.shape[0]} entries, expected {expected} "
                f"for {n} panels (voltage has {n})"
            )

    if np.any(power < 0.0):
        raise ValueError(f"branch_power must be >= 0; first bad index {_first(power < 0.0)}")
    bad_factor = (factor <= 0.0) | (factor > 1.0)
    if np.any(bad_factor):
        raise ValueError(f"power_factor must be in (0, 1]; first bad index {_first(bad_factor)}")
    if np.any(volts <= 0.0):
        raise ValueError(f"voltage must be > 0; first bad panel {_first(volts <= 0.0)}")
    bad_wiring = ~np.isin(codes, (WYE, DELTA, SINGLE_PHASE))
    if np.any(bad_wiring):
        raise ValueError(
            f"wiring codes must be {WYE} (wye), {DELTA} (delta) or {SINGLE_PHASE} "
            f"(single phase); first bad panel {_first(bad_wiring)}"
        )
    single = codes == SINGLE_PHASE
    unused_load = single & np.any(power.reshape(n, 3)[:, 1:] != 0.0, axis=1)
    if np.any(unused_load):
        raise ValueError(
            "single-phase panels carry load on branch 0 only; first panel with load on "
            f"branch 1 or 2: {_first(unused_load)}"
        )

    line, neutral, status, bad_index = _thermal.phase_currents(power, factor, volts, codes)
    if status != _thermal.STATUS_OK:
        reason = _STATUS_MESSAGES.get(status, f"unknown status {status}")
        raise SolverError(f"phase_currents failed at panel {bad_index}: {reason}")
    return line, neutral
