"""rackval._thermal.phase_currents and its wrapper rackval.solve.electrical_kernel.

Provenance of the numbers: hand calculations written out below (standards.md §5),
the NumPy phasor oracle in tests/reference_phase.py, and invariants.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from reference_phase import phase_currents_reference

from rackval import _thermal
from rackval.errors import SolverError
from rackval.solve.electrical_kernel import DELTA, SINGLE_PHASE, WYE, line_currents

SQRT3 = math.sqrt(3.0)


def test_wiring_codes_match_the_kernel():
    assert (WYE, DELTA, SINGLE_PHASE) == (0, 1, 2)
    assert (_thermal.WIRING_WYE, _thermal.WIRING_DELTA, _thermal.WIRING_SINGLE_PHASE) == (0, 1, 2)


# --- hand calculations ---------------------------------------------------------------


def test_delta_unbalanced_415v_10_5_0_kw():
    # standards.md §5: 415 V delta, PF 1, 10/5/0 kW on L1-L2/L2-L3/L3-L1 -> 24.1/31.9/12.0 A.
    # I_12 = 10000 / 415 = 24.096 A at +30°  = 20.868 + j12.048
    # I_23 =  5000 / 415 = 12.048 A at -90°  =  0     - j12.048
    # I_31 = 0
    # I_1 = |I_12 - I_31| = 24.096 A
    # I_2 = |I_23 - I_12| = |-20.868 - j24.096| = sqrt(435.5 + 580.6) = 31.877 A
    # I_3 = |I_31 - I_23| = 12.048 A
    line, neutral = line_currents([10e3, 5e3, 0.0], [1.0] * 3, [415.0], [DELTA])
    assert line == pytest.approx([24.096, 31.877, 12.048], abs=1e-3)
    assert np.round(line, 1).tolist() == [24.1, 31.9, 12.0]
    assert neutral.tolist() == [0.0]  # delta has no neutral


def test_delta_balanced_415v_5_kw_per_branch():
    # standards.md §5: 5/5/5 kW at 415 V, PF 1 -> 20.87 A per line.
    # I_ph = 5000 / 415 = 12.048 A;  I_L = sqrt(3) * 12.048 = 20.868 A
    line, neutral = line_currents([5e3] * 3, [1.0] * 3, [415.0], [DELTA])
    assert line == pytest.approx([20.868] * 3, abs=1e-3)
    assert neutral.tolist() == [0.0]


@pytest.mark.parametrize("wiring", [WYE, DELTA])
def test_415v_32a_feed_at_80_percent_is_25_6_a(wiring):
    # standards.md §5: 415 V × 32 A × √3 = 23.0 kVA; × 0.8 = 18.4 kW continuous limit.
    # At PF 1 the balanced load 18.4 kW = √3 · 415 · I
    #   ->  I = 18400 / 718.80 = 25.6 A = 0.8 × 32 A.
    # Each of the three branches carries 18400 / 3 = 6133.3 W (wye L-N or delta L-L).
    power = 415.0 * 32.0 * SQRT3 * 0.8
    assert power == pytest.approx(18_400, rel=1e-3)
    line, _ = line_currents([power / 3] * 3, [1.0] * 3, [415.0], [wiring])
    assert line == pytest.approx([25.6] * 3, rel=1e-12)


@pytest.mark.parametrize("wiring", [WYE, DELTA])
def test_18_4_kw_at_pf_0_8_draws_the_full_32_a(wiring):
    # Same 18.4 kW real power at PF 0.8: I = P / (√3 · V_LL · PF) = 18400 / (718.80 · 0.8) = 32 A.
    power = 415.0 * 32.0 * SQRT3 * 0.8
    line, _ = line_currents([power / 3] * 3, [0.8] * 3, [415.0], [wiring])
    assert line == pytest.approx([32.0] * 3, rel=1e-12)


def test_balanced_wye_230v_neutral_is_zero():
    # V_LL = 230·√3 = 398.4 V, so V_LN = 230 V.  4600 W per phase at PF 1:
    # I = 4600 / 230 = 20 A per line; the three 20 A phasors 120° apart sum to 0.
    line, neutral = line_currents([4600.0] * 3, [1.0] * 3, [230.0 * SQRT3], [WYE])
    assert line == pytest.approx([20.0] * 3, rel=1e-12)
    assert neutral[0] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("phase", [0, 1, 2])
def test_single_loaded_wye_phase_returns_on_the_neutral(phase):
    # Only L(phase+1) loaded: 4600 W at 230 V L-N, PF 0.8 -> I = 4600 / (230 · 0.8) = 25 A;
    # the other two phasors are 0, so I_N = |I_k| = 25 A.
    power = [0.0, 0.0, 0.0]
    power[phase] = 4600.0
    line, neutral = line_currents(power, [0.8] * 3, [230.0 * SQRT3], [WYE])
    expected = [0.0, 0.0, 0.0]
    expected[phase] = 25.0
    assert line == pytest.approx(expected, rel=1e-12)
    assert neutral[0] == pytest.approx(25.0, rel=1e-12)


def test_two_loaded_wye_phases_neutral_equals_phase_current():
    # L1 and L2 each 20 A at PF 1 (4600 W at 230 V); L3 open.
    # I_N = |20∠0° + 20∠-120°| = |20 - 10 - j17.32| = |10 - j17.32| = 20 A.
    line, neutral = line_currents([4600.0, 4600.0, 0.0], [1.0] * 3, [230.0 * SQRT3], [WYE])
    assert line == pytest.approx([20.0, 20.0, 0.0], rel=1e-12)
    assert neutral[0] == pytest.approx(20.0, rel=1e-12)


def test_single_phase_230v_3680w_is_16a():
    # I = P / (V · PF) = 3680 / (230 · 1.0) = 16 A on the line and on the neutral.
    line, neutral = line_currents([3680.0, 0.0, 0.0], [1.0] * 3, [230.0], [SINGLE_PHASE])
    assert line == pytest.approx([16.0, 0.0, 0.0], rel=1e-12)
    assert neutral == pytest.approx([16.0], rel=1e-12)


def test_panels_are_independent_in_one_call():
    # The three cases above in one call give the same answers panel by panel.
    line, neutral = line_currents(
        [10e3, 5e3, 0.0, 4600.0, 4600.0, 4600.0, 3680.0, 0.0, 0.0],
        [1.0] * 9,
        [415.0, 230.0 * SQRT3, 230.0],
        [DELTA, WYE, SINGLE_PHASE],
    )
    assert line == pytest.approx([24.096, 31.877, 12.048, 20, 20, 20, 16, 0, 0], abs=1e-3)
    assert neutral == pytest.approx([0.0, 0.0, 16.0], abs=1e-9)


def test_no_panels():
    line, neutral = line_currents([], [], [], np.array([], dtype=np.intp))
    assert line.shape == (0,) and neutral.shape == (0,)


# --- against the NumPy phasor oracle ---------------------------------------------------


def random_panels(seed: int, n: int):
    """Mixed wye / delta / single-phase panels with realistic ranges and edge values."""
    rng = np.random.default_rng(seed)
    wiring = rng.integers(0, 3, size=n).astype(np.intp)
    power = rng.uniform(0.0, 12e3, size=(n, 3))
    power[rng.random((n, 3)) < 0.1] = 0.0  # open branches
    power[wiring == SINGLE_PHASE, 1:] = 0.0
    factor = rng.uniform(0.5, 1.0, size=(n, 3))
    factor[rng.random((n, 3)) < 0.2] = 1.0
    voltage = rng.choice([208.0, 230.0, 240.0, 400.0, 415.0, 480.0], size=n)
    return power.ravel(), factor.ravel(), voltage, wiring


@pytest.mark.parametrize("n", [1, 3, 17, 1000, 10_000])
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_matches_numpy_reference(seed, n):
    power, factor, voltage, wiring = random_panels(seed, n)
    line, neutral = line_currents(power, factor, voltage, wiring)
    ref_line, ref_neutral = phase_currents_reference(power, factor, voltage, wiring)
    assert line.dtype == np.float64 and line.shape == (3 * n,)
    assert neutral.dtype == np.float64 and neutral.shape == (n,)
    np.testing.assert_allclose(line, ref_line, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(neutral, ref_neutral, rtol=1e-12, atol=1e-9)


def test_kernel_called_directly_matches_wrapper():
    power, factor, voltage, wiring = random_panels(7, 200)
    line, neutral, status, bad_index = _thermal.phase_currents(power, factor, voltage, wiring)
    assert (status, bad_index) == (_thermal.STATUS_OK, -1)
    wrapped = line_currents(power, factor, voltage, wiring)
    np.testing.assert_array_equal(line, wrapped[0])
    np.testing.assert_array_equal(neutral, wrapped[1])


# --- invariants --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [10, 11, 12])
def test_doubling_power_doubles_currents(seed):
    power, factor, voltage, wiring = random_panels(seed, 500)
    line, neutral = line_currents(power, factor, voltage, wiring)
    line2, neutral2 = line_currents(2.0 * power, factor, voltage, wiring)
    np.testing.assert_allclose(line2, 2.0 * line, rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(neutral2, 2.0 * neutral, rtol=1e-13, atol=1e-12)


@pytest.mark.parametrize("seed", [20, 21, 22])
def test_balanced_wye_neutral_vanishes(seed):
    # Same P and PF on all three phases: three equal phasors 120° apart sum to zero.
    rng = np.random.default_rng(seed)
    n = 300
    power = np.repeat(rng.uniform(0.0, 12e3, n), 3)
    factor = np.repeat(rng.uniform(0.5, 1.0, n), 3)
    voltage = rng.uniform(200.0, 480.0, n)
    line, neutral = line_currents(power, factor, voltage, np.full(n, WYE, dtype=np.intp))
    np.testing.assert_allclose(neutral, 0.0, atol=1e-9 * line.max())


@pytest.mark.parametrize("seed", [30, 31, 32])
def test_balanced_delta_line_is_sqrt3_phase_current(seed):
    # Balanced delta: I_L = √3 · I_ph with I_ph = P / (V_LL · PF).
    rng = np.random.default_rng(seed)
    n = 300
    p = rng.uniform(0.0, 12e3, n)
    pf = rng.uniform(0.5, 1.0, n)
    voltage = rng.uniform(200.0, 480.0, n)
    line, neutral = line_currents(
        np.repeat(p, 3), np.repeat(pf, 3), voltage, np.full(n, DELTA, dtype=np.intp)
    )
    expected = SQRT3 * p / (voltage * pf)
    np.testing.assert_allclose(
        line.reshape(n, 3), np.repeat(expected[:, None], 3, axis=1), rtol=1e-12
    )
    assert not neutral.any()


@pytest.mark.parametrize("wiring", [WYE, DELTA])
def test_rotating_branches_rotates_lines(wiring):
    # Positive-sequence symmetry: moving every load one phase on moves every line current too.
    power, factor, voltage, _ = random_panels(40, 100)
    codes = np.full(100, wiring, dtype=np.intp)
    line, neutral = line_currents(power, factor, voltage, codes)

    def roll(a):
        return np.roll(a.reshape(-1, 3), 1, axis=1).ravel()

    rolled_line, rolled_neutral = line_currents(roll(power), roll(factor), voltage, codes)
    np.testing.assert_allclose(rolled_line, roll(line), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(rolled_neutral, neutral, rtol=1e-12, atol=1e-9)


def test_wye_neutral_at_most_sum_of_lines():
    power, factor, voltage, _ = random_panels(50, 1000)
    line, neutral = line_currents(power, factor, voltage, np.zeros(1000, dtype=np.intp))
    assert np.all(neutral <= line.reshape(-1, 3).sum(axis=1) * (1 + 1e-12))


# --- invalid input -------------------------------------------------------------------------

GOOD = ([1000.0, 2000.0, 3000.0], [1.0, 0.9, 0.8], [415.0], [WYE])


def _with(index, value):
    args = [list(a) for a in GOOD]
    args[index] = value
    return args


@pytest.mark.parametrize(
    ("args", "match"),
    [
        pytest.param(
            _with(0, [1000.0, np.nan, 0.0]), "branch_power must be finite", id="nan-power"
        ),
        pytest.param(_with(0, [np.inf, 0.0, 0.0]), "branch_power must be finite", id="inf-power"),
        pytest.param(
            _with(0, [1000.0, -1.0, 0.0]), "branch_power must be >= 0", id="negative-power"
        ),
        pytest.param(_with(1, [1.0, 0.0, 1.0]), r"power_factor must be in \(0, 1\]", id="pf-zero"),
        pytest.param(_with(1, [1.0, -0.5, 1.0]), r"power_factor must be in \(0, 1\]", id="pf-neg"),
        pytest.param(_with(1, [1.0, 1.01, 1.0]), r"power_factor must be in \(0, 1\]", id="pf-gt-1"),
        pytest.param(_with(1, [1.0, np.nan, 1.0]), "power_factor must be finite", id="nan-pf"),
        pytest.param(_with(2, [0.0]), "voltage must be > 0", id="zero-voltage"),
        pytest.param(_with(2, [-415.0]), "voltage must be > 0", id="negative-voltage"),
        pytest.param(_with(2, [np.nan]), "voltage must be finite", id="nan-voltage"),
        pytest.param(_with(3, [3]), "wiring codes must be", id="wiring-3"),
        pytest.param(_with(3, [-1]), "wiring codes must be", id="wiring-neg"),
        pytest.param(_with(3, [0.5]), "wiring must hold integer codes", id="wiring-float"),
        pytest.param(
            _with(0, [1000.0, 2000.0]), "branch_power has 2 entries, expected 3", id="short-power"
        ),
        pytest.param(_with(1, [1.0] * 6), "power_factor has 6 entries, expected 3", id="long-pf"),
        pytest.param(_with(3, [WYE, WYE]), "wiring has 2 entries, expected 1", id="long-wiring"),
        pytest.param(
            _with(2, [415.0, 415.0]), "branch_power has 3 entries, expected 6", id="long-voltage"
        ),
        pytest.param(
            _with(0, [[1000.0, 2000.0, 3000.0]]), "must be one-dimensional", id="2d-power"
        ),
        pytest.param(
            _with(3, [SINGLE_PHASE]),
            "single-phase panels carry load on branch 0 only",
            id="single-phase-extra-load",
        ),
    ],
)
def test_invalid_input_is_rejected(args, match):
    with pytest.raises(ValueError, match=match):
        line_currents(*args)


# --- the kernel's own status codes (defence behind the wrapper) ----------------------------


def _kernel(power, factor, voltage, wiring):
    return _thermal.phase_currents(
        np.asarray(power, dtype=np.float64),
        np.asarray(factor, dtype=np.float64),
        np.asarray(voltage, dtype=np.float64),
        np.asarray(wiring, dtype=np.intp),
    )


OK_PANEL = ([1000.0, 2000.0, 3000.0], [1.0, 0.9, 0.8], [415.0], [WYE])


@pytest.mark.parametrize(
    ("second_panel", "status"),
    [
        (([0.0] * 3, [1.0] * 3, [415.0], [7]), _thermal.STATUS_BAD_WIRING),
        (([0.0] * 3, [1.0] * 3, [0.0], [WYE]), _thermal.STATUS_BAD_VOLTAGE),
        (([0.0] * 3, [1.0] * 3, [np.inf], [WYE]), _thermal.STATUS_BAD_VOLTAGE),
        (([0.0] * 3, [1.0, 0.0, 1.0], [415.0], [DELTA]), _thermal.STATUS_BAD_POWER_FACTOR),
        (([0.0] * 3, [1.0, np.nan, 1.0], [415.0], [DELTA]), _thermal.STATUS_BAD_POWER_FACTOR),
        (([0.0, -1.0, 0.0], [1.0] * 3, [415.0], [WYE]), _thermal.STATUS_BAD_POWER),
        (([np.nan, 0.0, 0.0], [1.0] * 3, [415.0], [WYE]), _thermal.STATUS_BAD_POWER),
        (([1.0, 1.0, 0.0], [1.0] * 3, [230.0], [SINGLE_PHASE]), _thermal.STATUS_BAD_SINGLE_PHASE),
    ],
)
def test_kernel_reports_bad_panel(second_panel, status):
    args = [a + b for a, b in zip(OK_PANEL, second_panel)]
    *_, got_status, bad_index = _kernel(*args)
    assert (got_status, bad_index) == (status, 1)


def test_kernel_reports_shape_mismatch():
    *_, status, bad_index = _kernel([0.0] * 3, [1.0] * 3, [415.0, 415.0], [WYE, WYE])
    assert (status, bad_index) == (_thermal.STATUS_BAD_SHAPE, -1)


def test_status_codes_are_distinct_and_ok_is_zero():
    # every status code of the kernel (all sections) is distinct; phase_currents owns 0-6
    codes = [getattr(_thermal, name) for name in dir(_thermal) if name.startswith("STATUS_")]
    assert _thermal.STATUS_OK == 0
    assert len(codes) == len(set(codes))
    phase = [
        "OK",
        "BAD_SHAPE",
        "BAD_WIRING",
        "BAD_VOLTAGE",
        "BAD_POWER_FACTOR",
        "BAD_POWER",
        "BAD_SINGLE_PHASE",
    ]
    assert sorted(getattr(_thermal, f"STATUS_{n}") for n in phase) == list(range(7))


def test_kernel_requires_intp_wiring():
    with pytest.raises(ValueError, match="Buffer dtype mismatch"):
        _thermal.phase_currents(np.zeros(3), np.ones(3), np.ones(1), np.zeros(1, dtype=np.int32))


def test_wrapper_accepts_lists_and_other_int_dtypes():
    line, _ = line_currents(
        [4600.0] * 3, [1.0] * 3, [230.0 * SQRT3], np.array([WYE], dtype=np.int32)
    )
    assert line == pytest.approx([20.0] * 3)


def test_nonzero_kernel_status_becomes_solver_error(monkeypatch):
    def failing_kernel(power, factor, voltage, wiring):
        return np.zeros(power.shape), np.zeros(voltage.shape), _thermal.STATUS_BAD_POWER, 0

    from rackval.solve import electrical_kernel

    monkeypatch.setattr(electrical_kernel._thermal, "phase_currents", failing_kernel)
    with pytest.raises(SolverError, match="panel 0: a branch power is negative"):
        line_currents(*OK_PANEL)
