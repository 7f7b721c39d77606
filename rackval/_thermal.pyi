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
STATUS_HEAT_TOO_MANY_LOOPS: int
HEAT_MAX_LOOP_CLOSURES: int
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

# --- hydraulics (status codes 10-29; see _hydraulics.pxi) --------------------------------

STATUS_HYD_BAD_SHAPE: int
STATUS_HYD_BAD_NODE_INDEX: int
STATUS_HYD_SELF_LOOP: int
STATUS_HYD_BAD_FIXED_NODE: int
STATUS_HYD_ISOLATED_NODE: int
STATUS_HYD_NO_REFERENCE: int
STATUS_HYD_BAD_ORDER: int
STATUS_HYD_BAD_KIND: int
STATUS_HYD_BAD_LINK_VALUE: int
STATUS_HYD_BAD_CURVE: int
STATUS_HYD_BAD_NODE_VALUE: int
STATUS_HYD_BAD_OPTION: int
STATUS_HYD_ALL_PUMPS_CLOSED: int
STATUS_HYD_NOT_POSITIVE_DEFINITE: int
STATUS_HYD_NOT_FINITE: int
STATUS_HYD_NOT_CONVERGED: int

LINK_PIPE: int
LINK_RESISTANCE: int
LINK_PUMP: int

class HydraulicTopology:
    """Symbolic factorization of one loop topology (from ``prepare_hydraulic``)."""

    @property
    def n_nodes(self) -> int: ...
    @property
    def n_links(self) -> int: ...
    @property
    def n_unknown(self) -> int: ...
    @property
    def nnz_a(self) -> int: ...
    @property
    def nnz_l(self) -> int: ...
    @property
    def link_from(self) -> NDArray[np.intp]: ...
    @property
    def link_to(self) -> NDArray[np.intp]: ...
    @property
    def fixed_nodes(self) -> NDArray[np.intp]: ...
    @property
    def permutation(self) -> NDArray[np.intp]: ...
    @property
    def elimination_tree(self) -> NDArray[np.intp]: ...
    @property
    def l_indptr(self) -> NDArray[np.intp]: ...
    @property
    def l_indices(self) -> NDArray[np.intp]: ...
    @property
    def n_components(self) -> int: ...
    @property
    def component_of_node(self) -> NDArray[np.intp]: ...
    @property
    def component_of_link(self) -> NDArray[np.intp]: ...
    @property
    def component_rows(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]: ...

def prepare_hydraulic(
    n_nodes: int,
    link_from: NDArray[np.intp],
    link_to: NDArray[np.intp],
    fixed_nodes: NDArray[np.intp],
    order: NDArray[np.intp] | None = None,
) -> tuple[HydraulicTopology | None, int, int]:
    """Connectivity checks, minimum-degree order, etree and pattern of L.

    Returns ``(topology or None, status, bad_index)``.
    """

def solve_hydraulic(
    topology: HydraulicTopology,
    kind: NDArray[np.intp],
    link_param: NDArray[np.float64],
    curve_ptr: NDArray[np.intp],
    curve_flow: NDArray[np.float64],
    curve_dp: NDArray[np.float64],
    speed: NDArray[np.float64],
    closed: NDArray[np.uint8],
    demand: NDArray[np.float64],
    fixed_pressure: NDArray[np.float64],
    density: float,
    viscosity: float,
    flow0: NDArray[np.float64],
    tol: float = 1e-6,
    max_iter: int = 100,
) -> tuple[NDArray[np.float64], NDArray[np.float64], int, float, int, int]:
    """Global gradient algorithm on a prepared topology.

    Returns ``(flow[m], pressure[n], iterations, residual, status, bad_index)``.
    """

def solve_hydraulic_batch(
    topology: HydraulicTopology,
    kind: NDArray[np.intp],
    link_param: NDArray[np.float64],
    curve_ptr: NDArray[np.intp],
    curve_flow: NDArray[np.float64],
    curve_dp: NDArray[np.float64],
    speed: NDArray[np.float64],
    closed: NDArray[np.uint8],
    demand: NDArray[np.float64],
    fixed_pressure: NDArray[np.float64],
    density: float,
    viscosity: float,
    base_flow: NDArray[np.float64],
    closed_ptr: NDArray[np.intp],
    closed_link: NDArray[np.intp],
    closed_value: NDArray[np.uint8],
    speed_ptr: NDArray[np.intp],
    speed_link: NDArray[np.intp],
    speed_value: NDArray[np.float64],
    tol: float = 1e-6,
    max_iter: int = 100,
) -> tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.intp],
    NDArray[np.float64],
    NDArray[np.intp],
    NDArray[np.intp],
    int,
    int,
]:
    """Scenarios as edits of closed states and pump speeds of a solved base network.

    The base is solved from ``base_flow``; each scenario iterates only the connected
    components its edits change and copies the base solution elsewhere.

    Returns ``(flow[s, m], pressure[s, n], iterations[s], residual[s], status[s],
    bad_index[s], batch_status, batch_bad_index)``.
    """
