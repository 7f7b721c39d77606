"""Type stub for the compiled kernel ``rackval._thermal`` (see ``_thermal.pyx``)."""

import numpy as np
from numpy.typing import NDArray

STATUS_OK: int
STATUS_BAD_SHAPE: int
STATUS_BAD_WIRING: int
STATUS_BAD_VOLTAGE: int
STATUS_BAD_POWER_FACTOR: int
STATUS_BAD_POWER: int
STATUS_BAD_SINGLE_PHASE: int

WIRING_WYE: int
WIRING_DELTA: int
WIRING_SINGLE_PHASE: int

def phase_currents(
    branch_power: NDArray[np.float64],
    power_factor: NDArray[np.float64],
    voltage: NDArray[np.float64],
    wiring: NDArray[np.intp],
) -> tuple[NDArray[np.float64], NDArray[np.float64], int, int]:
    """Per-line and neutral RMS currents of n panels.

    Returns ``(line_current[3n], neutral_current[n], status, bad_index)``.
    """
