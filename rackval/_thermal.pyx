"""rackval's compiled kernel: arrays in, arrays and a status code out.

Private module. Callers go through the wrappers in :mod:`rackval.solve`, which
validate shapes and values in Python, call the kernel and turn a nonzero status
into an exception in one place. Every function here takes contiguous typed
memoryviews (float64 and intp), runs its inner loop without the GIL and never
raises for bad numbers: it returns a status code and the index of the first
offending element instead.

Functions
---------
phase_currents
    Per-line and neutral RMS currents of many 3-phase (wye or delta) or
    single-phase panels at once.
"""

from libc.math cimport isfinite, sqrt, hypot

import numpy as np

cdef enum:
    _OK = 0
    _BAD_SHAPE = 1
    _BAD_WIRING = 2
    _BAD_VOLTAGE = 3
    _BAD_POWER_FACTOR = 4
    _BAD_POWER = 5
    _BAD_SINGLE_PHASE = 6

cdef enum:
    _WYE = 0
    _DELTA = 1
    _SINGLE = 2

# --- status codes (returned by every kernel function; 0 = success) ----------
STATUS_OK = _OK
STATUS_BAD_SHAPE = _BAD_SHAPE                # array lengths disagree (bad_index = -1)
STATUS_BAD_WIRING = _BAD_WIRING              # wiring code not 0, 1 or 2
STATUS_BAD_VOLTAGE = _BAD_VOLTAGE            # voltage <= 0 or not finite
STATUS_BAD_POWER_FACTOR = _BAD_POWER_FACTOR  # power factor not in (0, 1] (NaN included)
STATUS_BAD_POWER = _BAD_POWER                # branch power < 0 or not finite
STATUS_BAD_SINGLE_PHASE = _BAD_SINGLE_PHASE  # single phase loaded on branch 1 or 2

# --- wiring codes ------------------------------------------------------------
WIRING_WYE = _WYE              # 3 wires + neutral; L1-N, L2-N, L3-N loads
WIRING_DELTA = _DELTA          # 3 wires, no neutral; L1-L2, L2-L3, L3-L1 loads
WIRING_SINGLE_PHASE = _SINGLE  # one circuit; only branch 0 carries load

cdef double _SQRT3 = sqrt(3.0)
cdef double _HALF_SQRT3 = 0.5 * sqrt(3.0)

# Voltage phasor angles for positive (L1-L2-L3) sequence with V_L1-N at 0 deg.
# Wye, line-to-neutral: theta = 0, -120, +120 deg.  Delta, line-to-line:
# V_12 = sqrt(3) V_1N at +30 deg, V_23 at -90 deg, V_31 at +150 deg.
# Grainger & Stevenson, "Power System Analysis" (1994), sec. 1.10-1.11;
# IEEE Std 141-1993 (Red Book), ch. 3.  Stored as (cos, sin) pairs.
cdef double[3] _WYE_COS = [1.0, -0.5, -0.5]
cdef double[3] _WYE_SIN = [0.0, -_HALF_SQRT3, _HALF_SQRT3]
cdef double[3] _DELTA_COS = [_HALF_SQRT3, 0.0, -_HALF_SQRT3]
cdef double[3] _DELTA_SIN = [0.5, -1.0, 0.5]


cdef inline int _check_branch(double p, double pf) noexcept nogil:
    """Return the status for one branch's power [W] and power factor [-]."""
    if not (p >= 0.0 and isfinite(p)):
        return _BAD_POWER
    if not (pf > 0.0 and pf <= 1.0):
        return _BAD_POWER_FACTOR
    return _OK


cdef inline void _branch_phasor(double p, double pf, double v, double c, double s,
                                double *re, double *im) noexcept nogil:
    """Current phasor of a branch drawing p [W] at pf [-] from voltage v [V] at (c, s).

    With S = P + jQ and Q = P tan(phi), phi = acos(pf) (lagging):
    I = conj(S / V) = (P - jQ) / |V| * e^(j theta), so |I| = P / (|V| pf) and the
    current lags the voltage by phi.  Avoids acos/cos/sin in the loop.
    """
    cdef double i_p = p / v                           # in-phase (active) part [A]
    cdef double i_q = i_p * sqrt(1.0 - pf * pf) / pf  # quadrature (reactive) part [A]
    re[0] = i_p * c + i_q * s
    im[0] = i_p * s - i_q * c


def phase_currents(const double[::1] branch_power, const double[::1] power_factor,
                   const double[::1] voltage, const Py_ssize_t[::1] wiring):
    """Per-line and neutral RMS currents of ``n`` panels (PDU inputs or feeds).

    Parameters
    ----------
    branch_power : float64[3n]
        Real power of the three branches of panel ``i`` at ``3i, 3i+1, 3i+2``. [W]
        Wye: L1-N, L2-N, L3-N loads.  Delta: L1-L2, L2-L3, L3-L1 loads.
        Single phase: branch 0 only (branches 1 and 2 must be 0).
    power_factor : float64[3n]
        Lagging power factor of each branch, in (0, 1]. [-]
    voltage : float64[n]
        Line-to-line voltage for 3-phase panels, circuit voltage for single
        phase. [V]
    wiring : intp[n]
        ``WIRING_WYE`` (0), ``WIRING_DELTA`` (1) or ``WIRING_SINGLE_PHASE`` (2).

    Returns
    -------
    line_current : float64[3n]
        RMS current of lines L1, L2, L3 of each panel (single phase: line 0
        carries the current, lines 1 and 2 are 0). [A]
    neutral_current : float64[n]
        Wye: magnitude of the phasor sum of the three line currents; delta: 0;
        single phase: the circuit current. [A]
    status : int
        ``STATUS_OK`` or one of the ``STATUS_*`` codes.
    bad_index : int
        Index of the first offending panel, -1 if none (or for ``STATUS_BAD_SHAPE``).
        On a nonzero status the contents of the current arrays are undefined.

    Notes
    -----
    Wye: V_LN = V_LL / sqrt(3); I_k = P_k / (V_LN pf_k) at angle
    theta_k - acos(pf_k), theta = 0, -120, +120 deg; I_N = |I_1 + I_2 + I_3|.
    Delta: I_12 = P_12 / (V_LL pf_12) at angle theta_12 - acos(pf_12), with
    theta_12, theta_23, theta_31 = 30, -90, 150 deg; line currents by Kirchhoff's
    current law at each corner: I_1 = I_12 - I_31, I_2 = I_23 - I_12,
    I_3 = I_31 - I_23.  O(n).

    References
    ----------
    .. [1] J. J. Grainger and W. D. Stevenson, "Power System Analysis",
       McGraw-Hill, 1994, secs. 1.10-1.11 (balanced three-phase circuits,
       delta-wye relations).
    .. [2] IEEE Std 141-1993 (Red Book), "Recommended Practice for Electric
       Power Distribution for Industrial Plants", ch. 3.
    """
    cdef Py_ssize_t n = voltage.shape[0]
    line = np.zeros(3 * n, dtype=np.float64)
    neutral = np.zeros(n, dtype=np.float64)
    if (branch_power.shape[0] != 3 * n or power_factor.shape[0] != 3 * n
            or wiring.shape[0] != n):
        return line, neutral, STATUS_BAD_SHAPE, -1

    cdef double[::1] line_v = line
    cdef double[::1] neutral_v = neutral
    cdef Py_ssize_t i, k, j
    cdef int status = _OK
    cdef Py_ssize_t bad = -1
    cdef double v, v_ln, p, pf
    cdef double re[3]
    cdef double im[3]
    cdef double sum_re, sum_im

    with nogil:
        for i in range(n):
            v = voltage[i]
            if not (v > 0.0 and isfinite(v)):
                status = _BAD_VOLTAGE
                bad = i
                break
            for k in range(3):
                status = _check_branch(branch_power[3 * i + k], power_factor[3 * i + k])
                if status != _OK:
                    break
            if status != _OK:
                bad = i
                break

            if wiring[i] == _WYE:
                v_ln = v / _SQRT3
                sum_re = 0.0
                sum_im = 0.0
                for k in range(3):
                    j = 3 * i + k
                    p = branch_power[j]
                    pf = power_factor[j]
                    _branch_phasor(p, pf, v_ln, _WYE_COS[k], _WYE_SIN[k],
                                   &re[k], &im[k])
                    line_v[j] = p / (v_ln * pf)
                    sum_re += re[k]
                    sum_im += im[k]
                neutral_v[i] = hypot(sum_re, sum_im)
            elif wiring[i] == _DELTA:
                for k in range(3):
                    j = 3 * i + k
                    _branch_phasor(branch_power[j], power_factor[j], v,
                                   _DELTA_COS[k], _DELTA_SIN[k], &re[k], &im[k])
                # KCL at the corners:
                # I_1 = I_12 - I_31, I_2 = I_23 - I_12, I_3 = I_31 - I_23
                line_v[3 * i] = hypot(re[0] - re[2], im[0] - im[2])
                line_v[3 * i + 1] = hypot(re[1] - re[0], im[1] - im[0])
                line_v[3 * i + 2] = hypot(re[2] - re[1], im[2] - im[1])
                neutral_v[i] = 0.0
            elif wiring[i] == _SINGLE:
                if branch_power[3 * i + 1] != 0.0 or branch_power[3 * i + 2] != 0.0:
                    status = _BAD_SINGLE_PHASE
                    bad = i
                    break
                line_v[3 * i] = branch_power[3 * i] / (v * power_factor[3 * i])
                line_v[3 * i + 1] = 0.0
                line_v[3 * i + 2] = 0.0
                neutral_v[i] = line_v[3 * i]
            else:
                status = _BAD_WIRING
                bad = i
                break

    return line, neutral, status, bad


# --- further kernel sections, one file each (Cython textual includes) ----------
# Hydraulics (GGA with sparse Cholesky): status codes 10-29.
include "_hydraulics.pxi"
# Heat: advection in the loop and implicit-Euler transients: status codes 30-49.
include "_heat.pxi"
