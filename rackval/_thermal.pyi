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

# --- heat (rackval/_heat.pxi): status codes 30-49 --------------------------------------

STATUS_HEAT_BAD_SHAPE: int
STATUS_HEAT_BAD_LINK: int
STATUS_HEAT_BAD_VALUE: int
STATUS_HEAT_NO_FLOW_HEAT: int
STATUS_HEAT_NO_INFLOW: int
STATUS_HEAT_NO_REJECTION: int
STATUS_HEAT_SINGULAR: int
STATUS_HEAT_NO_MEMORY: int
STATUS_TRANSIENT_BAD_CAPACITY: int
STATUS_TRANSIENT_BAD_POWER: int
STATUS_TRANSIENT_BAD_INITIAL: int
STATUS_TRANSIENT_BAD_CONDUCTANCE: int
STATUS_TRANSIENT_BAD_ADVECTION: int
STATUS_TRANSIENT_BAD_BOUNDARY: int
STATUS_TRANSIENT_BAD_WATCH: int
STATUS_TRANSIENT_BAD_STEP: int
STATUS_TRANSIENT_SINGULAR: int

def solve_advection(
    n: int,
    link_from: NDArray[np.intp],
    link_to: NDArray[np.intp],
    flow: NDArray[np.float64],
    heat: NDArray[np.float64],
    rejection: NDArray[np.float64],
    sink_temperature: NDArray[np.float64],
    rho_cp: float,
    zero_flow: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64], int, int, int]:
    """Steady coolant temperatures of a loop network with known flows.

    Returns ``(node_temperature[n], link_outlet[m], n_cut, status, bad_index)``.
    """

def step_transient(
    capacity: NDArray[np.float64],
    power: NDArray[np.float64],
    initial: NDArray[np.float64],
    cond_a: NDArray[np.intp],
    cond_b: NDArray[np.intp],
    cond_g: NDArray[np.float64],
    adv_from: NDArray[np.intp],
    adv_to: NDArray[np.intp],
    adv_g: NDArray[np.float64],
    bnd_node: NDArray[np.intp],
    bnd_g: NDArray[np.float64],
    bnd_temp: NDArray[np.float64],
    watch: NDArray[np.intp],
    limit: NDArray[np.float64],
    dt: float,
    n_steps: int,
    stop_at_first: bool,
    record_every: int,
) -> tuple[
    NDArray[np.float64],
    int,
    float,
    int,
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    int,
    int,
    float,
    int,
    int,
]:
    """Implicit-Euler steps of a lumped thermal network with threshold detection.

    Returns ``(temperature[n], steps, first_time, first_watch, crossing_time[nw],
    history_time[rows], history[rows, nw], rows, n_cut, residual, status, bad_index)``.
    """
