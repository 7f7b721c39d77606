"""Steady coolant-loop hydraulics: validation around the compiled GGA kernel.

A thin wrapper over :func:`rackval._thermal.prepare_hydraulic`,
:func:`~rackval._thermal.solve_hydraulic` and
:func:`~rackval._thermal.solve_hydraulic_batch`. A loop is a :class:`Network` of
nodes and links, all SI: pressure [Pa], flow [m³/s]. :func:`prepare` does the
symbolic analysis of its topology once (connectivity checks, minimum-degree
ordering, elimination tree, pattern of the Cholesky factor); :func:`solve` finds
flows and pressures by the global gradient algorithm (Todini & Pilati 1988, as
EPANET 2.2); :func:`solve_batch` solves many scenarios (pumps or CDUs lost, pump
speeds changed) on the same topology, warm-started from the base solution, iterating
only the loops (connected components) each scenario changes.
A nonzero kernel status becomes a :class:`~rackval.errors.SolverError` that names
the loop and the likely cause, in one place (:func:`_error_message`).

Link kinds (:data:`PIPE`, :data:`RESISTANCE`, :data:`PUMP`):

- PIPE: Darcy–Weisbach with ``length`` [m], ``diameter`` [m], ``roughness`` [m]:
  f = 64/Re (Re ≤ 2000), Dunlop's cubic (2000 < Re < 4000), Swamee–Jain
  (Re ≥ 4000), plus the minor loss ``minor_loss`` · ρv²/2.
- RESISTANCE: a device, quick disconnect or heat exchanger, Δp = k·Q|Q| with
  ``resistance`` k [Pa·s²/m⁶] (fitted to a datasheet point: k = Δp / Q²).
- PUMP: pressure gain s²·(H0 − r·(Q/s)ⁿ) with ``pump_shutoff`` H0 [Pa],
  ``pump_coefficient`` r [Pa/(m³/s)ⁿ], ``pump_exponent`` n and relative ``speed``
  s (affinity laws), or a piecewise-linear curve through datasheet points
  (``curve_ptr``, ``curve_flow`` [m³/s], ``curve_pressure`` [Pa]) scaled the same
  way. Every pump has a check valve (no reverse flow). A pump at speed 0 or a
  ``closed`` link of any kind is a closed link: a very large linear resistance,
  as EPANET, so the sparsity pattern does not change.

Nodes have unknown pressures and an external ``demand`` (outflow, normally 0 in a
closed loop), except the fixed-pressure nodes (``fixed_nodes`` with
``fixed_pressure``): the expansion tank, at least one per connected loop.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rackval._kernel import _thermal
from rackval.errors import SolverError

__all__ = [
    "PIPE",
    "RESISTANCE",
    "PUMP",
    "Network",
    "HydraulicResult",
    "BatchResult",
    "prepare",
    "solve",
    "solve_batch",
    "initial_flow",
    "bench_hall_network",
]

PIPE: int = _thermal.LINK_PIPE
RESISTANCE: int = _thermal.LINK_RESISTANCE
PUMP: int = _thermal.LINK_PUMP

_FT = 0.3048
"""EPANET's initial pipe velocity is 1 ft/s [m/s]."""

_DEFAULT_DEMAND_DP = 1.0e4
"""Pressure drop assumed for a resistance's first flow when no pump drives the loop [Pa]."""


def _first(mask: NDArray[np.bool_]) -> int:
    return int(np.flatnonzero(mask)[0])


def _floats(name: str, values: ArrayLike | None, size: int, default: float) -> NDArray[np.float64]:
    if values is None:
        array = np.full(size, default, dtype=np.float64)
    else:
        array = np.array(values, dtype=np.float64)
        if array.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
        if array.shape[0] != size:
            raise ValueError(f"{name} has {array.shape[0]} entries, expected {size}")
        bad = ~np.isfinite(array)
        if np.any(bad):
            raise ValueError(f"{name} must be finite; first bad index {_first(bad)}")
    array.setflags(write=False)
    return array


def _ints(name: str, values: ArrayLike | None, size: int | None) -> NDArray[np.intp]:
    raw = np.asarray([] if values is None else values)
    if raw.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {raw.shape}")
    if raw.size and raw.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integers, got dtype {raw.dtype}")
    array = np.array(raw, dtype=np.intp)
    if size is not None and array.shape[0] != size:
        raise ValueError(f"{name} has {array.shape[0]} entries, expected {size}")
    array.setflags(write=False)
    return array


@dataclass(frozen=True, kw_only=True, eq=False)
class Network:
    """One coolant loop (or several disjoint loops) as flat SI arrays.

    Every array is copied, checked and made read-only on construction; a
    ``Network`` that exists is valid input for :func:`solve`. Arrays of length
    ``m`` are per link, of length ``n`` per node; entries that do not apply to a
    link's kind are ignored (and default to 0).

    Parameters
    ----------
    n_nodes : int
        Number of nodes ``n``.
    link_from, link_to : array_like of int, shape (m,)
        Start and end node; positive flow runs from start to end.
    kind : array_like of int, shape (m,)
        :data:`PIPE`, :data:`RESISTANCE` or :data:`PUMP`.
    fixed_nodes : array_like of int, shape (f,)
        Fixed-pressure nodes (expansion tanks), one or more per loop.
    fixed_pressure : array_like of float, shape (f,)
        Their pressures. [Pa]
    density : float
        Coolant density. [kg/m³]
    viscosity : float
        Coolant dynamic viscosity. [Pa·s]
    length, diameter, roughness : array_like of float, shape (m,), optional
        Pipe length, inner diameter and absolute roughness. [m]
    minor_loss : array_like of float, shape (m,), optional
        Pipe minor-loss coefficient K (Δp = K·ρv²/2). [-]
    resistance : array_like of float, shape (m,), optional
        Resistance coefficient k of RESISTANCE links (Δp = k·Q|Q|). [Pa·s²/m⁶]
    pump_shutoff : array_like of float, shape (m,), optional
        Shut-off pressure H0 of power-curve pumps at speed 1. [Pa]
    pump_coefficient : array_like of float, shape (m,), optional
        Coefficient r of power-curve pumps. [Pa/(m³/s)ⁿ]
    pump_exponent : array_like of float, shape (m,), optional
        Exponent n of power-curve pumps, in (0, 20]; default 2. [-]
    curve_ptr : array_like of int, shape (m + 1,), optional
        Datasheet points of pump ``k`` are ``curve_ptr[k]:curve_ptr[k+1]``; an
        empty range means a power curve. Default: no curves.
    curve_flow : array_like of float, optional
        Flow of each datasheet point, strictly rising from ≥ 0, at speed 1. [m³/s]
    curve_pressure : array_like of float, optional
        Pressure gain of each datasheet point, strictly falling. [Pa]
    speed : array_like of float, shape (m,), optional
        Relative pump speed s ≥ 0 (affinity laws); 0 stops the pump. Default 1. [-]
    closed : array_like of bool, shape (m,), optional
        Closed or failed links. Default: all open.
    demand : array_like of float, shape (n,), optional
        External outflow at each node, ignored at fixed nodes. Default 0. [m³/s]

    Raises
    ------
    ValueError
        Wrong shapes or dtypes, link ends out of range or equal, unknown kinds,
        repeated or out-of-range fixed nodes, non-finite values, non-positive
        pipe length or diameter, negative roughness or K, non-positive
        resistance, pump parameters or curves out of range, negative speed,
        non-positive density or viscosity.
    """

    n_nodes: int
    link_from: NDArray[np.intp]
    link_to: NDArray[np.intp]
    kind: NDArray[np.intp]
    fixed_nodes: NDArray[np.intp]
    fixed_pressure: NDArray[np.float64]
    density: float
    viscosity: float
    length: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]
    diameter: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]
    roughness: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]
    minor_loss: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]
    resistance: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]
    pump_shutoff: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]
    pump_coefficient: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]
    pump_exponent: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]
    curve_ptr: NDArray[np.intp] = field(default=None)  # type: ignore[assignment]
    curve_flow: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]
    curve_pressure: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]
    speed: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]
    closed: NDArray[np.bool_] = field(default=None)  # type: ignore[assignment]
    demand: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        def put(name: str, value: object) -> None:
            object.__setattr__(self, name, value)

        n = int(self.n_nodes)
        if n < 0:
            raise ValueError(f"n_nodes must be >= 0, got {n}")
        put("n_nodes", n)
        link_from = _ints("link_from", self.link_from, None)
        m = link_from.shape[0]
        link_to = _ints("link_to", self.link_to, m)
        kind = _ints("kind", self.kind, m)
        for name, ends in (("link_from", link_from), ("link_to", link_to)):
            outside = (ends < 0) | (ends >= n)
            if np.any(outside):
                raise ValueError(
                    f"{name} must be node indices in 0..{n - 1}; first bad link {_first(outside)}"
                )
        same = link_from == link_to
        if np.any(same):
            raise ValueError(f"link {_first(same)} starts and ends at the same node")
        bad_kind = ~np.isin(kind, (PIPE, RESISTANCE, PUMP))
        if np.any(bad_kind):
            raise ValueError(
                f"kind must be PIPE ({PIPE}), RESISTANCE ({RESISTANCE}) or PUMP ({PUMP}); "
                f"first bad link {_first(bad_kind)}"
            )
        fixed = _ints("fixed_nodes", self.fixed_nodes, None)
        if np.any((fixed < 0) | (fixed >= n)):
            raise ValueError(f"fixed_nodes must be node indices in 0..{n - 1}")
        if np.unique(fixed).shape[0] != fixed.shape[0]:
            raise ValueError("fixed_nodes lists a node twice")
        put("link_from", link_from)
        put("link_to", link_to)
        put("kind", kind)
        put("fixed_nodes", fixed)
        put("fixed_pressure", _floats("fixed_pressure", self.fixed_pressure, fixed.shape[0], 0.0))

        for name in ("density", "viscosity"):
            value = float(getattr(self, name))
            if not (value > 0.0 and math.isfinite(value)):
                raise ValueError(f"{name} must be a positive finite number, got {value}")
            put(name, value)

        pipe = kind == PIPE
        res = kind == RESISTANCE
        pump = kind == PUMP
        for name in (
            "length",
            "diameter",
            "roughness",
            "minor_loss",
            "resistance",
            "pump_shutoff",
            "pump_coefficient",
        ):
            put(name, _floats(name, getattr(self, name), m, 0.0))
        put("pump_exponent", _floats("pump_exponent", self.pump_exponent, m, 2.0))
        put("speed", _floats("speed", self.speed, m, 1.0))
        put("demand", _floats("demand", self.demand, n, 0.0))
        closed = np.zeros(m, dtype=bool) if self.closed is None else np.array(self.closed)
        if closed.shape != (m,):
            raise ValueError(f"closed must have shape ({m},), got {closed.shape}")
        if closed.dtype != bool:
            if closed.size and closed.dtype.kind not in "iub":
                raise ValueError(f"closed must hold booleans, got dtype {closed.dtype}")
            closed = closed.astype(bool)
        closed.setflags(write=False)
        put("closed", closed)

        self._check_positive("length", pipe, strict=True)
        self._check_positive("diameter", pipe, strict=True)
        self._check_positive("roughness", pipe, strict=False)
        self._check_positive("minor_loss", pipe, strict=False)
        self._check_positive("resistance", res, strict=True)
        self._check_positive("speed", pump, strict=False)

        if self.curve_ptr is None:
            curve_ptr = np.zeros(m + 1, dtype=np.intp)
            curve_ptr.setflags(write=False)
        else:
            curve_ptr = _ints("curve_ptr", self.curve_ptr, m + 1)
        put("curve_ptr", curve_ptr)
        n_points = int(curve_ptr[-1]) if m + 1 else 0
        put("curve_flow", _floats("curve_flow", self.curve_flow, n_points, 0.0))
        put("curve_pressure", _floats("curve_pressure", self.curve_pressure, n_points, 0.0))
        self._check_pumps(pump)

    def _check_positive(self, name: str, where: NDArray[np.bool_], *, strict: bool) -> None:
        values = getattr(self, name)
        bad = where & ((values <= 0.0) if strict else (values < 0.0))
        if np.any(bad):
            relation = "> 0" if strict else ">= 0"
            raise ValueError(f"{name} must be {relation}; first bad link {_first(bad)}")

    def _check_pumps(self, pump: NDArray[np.bool_]) -> None:
        ptr = self.curve_ptr
        if ptr[0] != 0 or np.any(np.diff(ptr) < 0):
            raise ValueError("curve_ptr must start at 0 and never decrease")
        count = np.diff(ptr)
        if np.any(~pump & (count > 0)):
            raise ValueError(f"only pumps have curves; link {_first(~pump & (count > 0))} has one")
        if np.any(pump & (count == 1)):
            raise ValueError(
                f"a pump curve needs at least 2 points; pump {_first(pump & (count == 1))} has 1"
            )
        power = pump & (count == 0)
        for name, low, high in (
            ("pump_shutoff", 0.0, math.inf),
            ("pump_coefficient", 0.0, math.inf),
            ("pump_exponent", 0.0, 20.0),
        ):
            values = getattr(self, name)
            bad = power & ~((values > low) & (values <= high))
            if np.any(bad):
                raise ValueError(
                    f"{name} of power-curve pumps must be in ({low}, {high}]; "
                    f"first bad pump {_first(bad)}"
                )
        for k in np.flatnonzero(count >= 2):
            flow = self.curve_flow[ptr[k] : ptr[k + 1]]
            gain = self.curve_pressure[ptr[k] : ptr[k + 1]]
            if flow[0] < 0.0 or np.any(np.diff(flow) <= 0.0):
                raise ValueError(f"curve flows of pump {k} must rise strictly from >= 0")
            if np.any(np.diff(gain) >= 0.0):
                raise ValueError(f"curve pressures of pump {k} must fall strictly with flow")
            slope = (gain[1] - gain[0]) / (flow[1] - flow[0])
            if not gain[0] - slope * flow[0] > 0.0:
                raise ValueError(f"curve of pump {k} has no positive shut-off pressure")

    @property
    def n_links(self) -> int:
        """Number of links ``m``."""
        return int(self.link_from.shape[0])

    def link_param(self) -> NDArray[np.float64]:
        """Per-link parameters in the kernel's flat layout, float64[4m] (see ``_thermal``).

        Built once per network (the network is immutable) and shared, read-only.
        """
        return self._link_param

    @cached_property
    def _link_param(self) -> NDArray[np.float64]:
        param = np.zeros((self.n_links, 4))
        pipe = self.kind == PIPE
        param[pipe, 0] = self.length[pipe]
        param[pipe, 1] = self.diameter[pipe]
        param[pipe, 2] = self.roughness[pipe]
        param[pipe, 3] = self.minor_loss[pipe]
        res = self.kind == RESISTANCE
        param[res, 0] = self.resistance[res]
        pump = self.kind == PUMP
        param[pump, 0] = self.pump_shutoff[pump]
        param[pump, 1] = self.pump_coefficient[pump]
        param[pump, 2] = self.pump_exponent[pump]
        flat = param.ravel()
        flat.setflags(write=False)
        return flat


@dataclass(frozen=True, eq=False)
class HydraulicResult:
    """Steady solution of one loop network.

    Attributes
    ----------
    flow : ndarray of float64, shape (m,)
        Link flows, positive from start to end node. [m³/s]
    pressure : ndarray of float64, shape (n,)
        Node pressures. [Pa]
    iterations : int
        Iterations (linear solves) used.
    residual : float
        Σ|ΔQ| / Σ|Q| of the last iteration. [-]
    """

    flow: NDArray[np.float64]
    pressure: NDArray[np.float64]
    iterations: int
    residual: float


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Solutions of ``s`` scenarios of one network.

    Attributes
    ----------
    flow : ndarray of float64, shape (s, m)
        Link flows per scenario. [m³/s]
    pressure : ndarray of float64, shape (s, n)
        Node pressures per scenario. [Pa]
    iterations : ndarray of intp, shape (s,)
    residual : ndarray of float64, shape (s,)
    status : ndarray of intp, shape (s,)
        Kernel status per scenario (0 = solved).
    errors : tuple of (str or None)
        The :class:`~rackval.errors.SolverError` message of each failed scenario.
    """

    flow: NDArray[np.float64]
    pressure: NDArray[np.float64]
    iterations: NDArray[np.intp]
    residual: NDArray[np.float64]
    status: NDArray[np.intp]
    errors: tuple[str | None, ...]

    @property
    def ok(self) -> NDArray[np.bool_]:
        """Which scenarios were solved."""
        return self.status == _thermal.STATUS_OK


def _error_message(
    name: str,
    status: int,
    bad: int,
    iterations: int,
    residual: float,
    scenario: int | None = None,
) -> str:
    """The one place a hydraulic kernel status becomes words (loop name and likely cause)."""
    t = _thermal
    causes = {
        t.STATUS_HYD_ISOLATED_NODE: f"isolated node {bad}: no link connects it",
        t.STATUS_HYD_NO_REFERENCE: (
            f"no pressure reference (expansion tank) in the component containing node {bad}"
        ),
        t.STATUS_HYD_ALL_PUMPS_CLOSED: "all pumps closed or stopped: nothing drives the flow",
        t.STATUS_HYD_NOT_CONVERGED: (
            f"did not converge in {iterations} iterations (residual {residual:.3g}; "
            f"largest flow change in link {bad})"
        ),
        t.STATUS_HYD_NOT_POSITIVE_DEFINITE: (
            f"singular network at node {bad} (non-positive pivot): a node without a path "
            "to a pressure reference, or non-finite coefficients"
        ),
        t.STATUS_HYD_NOT_FINITE: f"a flow became non-finite in link {bad}",
        t.STATUS_HYD_BAD_SHAPE: "array lengths disagree with the prepared topology",
        t.STATUS_HYD_BAD_NODE_INDEX: f"link {bad} refers to a node or link outside the network",
        t.STATUS_HYD_SELF_LOOP: f"link {bad} starts and ends at the same node",
        t.STATUS_HYD_BAD_FIXED_NODE: f"fixed node entry {bad} is out of range or repeated",
        t.STATUS_HYD_BAD_ORDER: "the elimination order is not a permutation",
        t.STATUS_HYD_BAD_KIND: f"link {bad} has an unknown kind",
        t.STATUS_HYD_BAD_LINK_VALUE: f"link {bad} has an invalid parameter or speed",
        t.STATUS_HYD_BAD_CURVE: f"the pump curve of link {bad} is invalid",
        t.STATUS_HYD_BAD_NODE_VALUE: f"node {bad} has a non-finite demand or pressure",
        t.STATUS_HYD_BAD_OPTION: "density, viscosity, tol or max_iter out of range",
    }
    where = f"loop {name!r}" if scenario is None else f"loop {name!r} (scenario {scenario})"
    return f"{where}: {causes.get(status, f'kernel status {status} at index {bad}')}"


def prepare(network: Network, *, name: str = "loop") -> _thermal.HydraulicTopology:
    """Symbolic analysis of a network's topology, reusable by :func:`solve` and :func:`solve_batch`.

    Parameters
    ----------
    network : Network
        The loop; only its nodes, links and fixed nodes are used.
    name : str
        Loop name for error messages.

    Returns
    -------
    HydraulicTopology
        Minimum-degree order, elimination tree and pattern of the Cholesky factor.

    Raises
    ------
    SolverError
        An isolated node, or a connected component without a fixed-pressure node.

    Notes
    -----
    Connectivity by union-find, O(m α(n)); ordering by minimum degree on the
    explicit elimination graph, about the flop count of the factorization;
    elimination tree and patterns in O(nnz(L)).
    """
    topology, status, bad = _thermal.prepare_hydraulic(
        network.n_nodes, network.link_from, network.link_to, network.fixed_nodes
    )
    if status != _thermal.STATUS_OK:
        raise SolverError(_error_message(name, status, bad, 0, 0.0))
    return topology


def _check_prepared(network: Network, prepared: _thermal.HydraulicTopology, name: str) -> None:
    if (
        prepared.n_nodes != network.n_nodes
        or prepared.n_links != network.n_links
        or not np.array_equal(prepared.link_from, network.link_from)
        or not np.array_equal(prepared.link_to, network.link_to)
        or not np.array_equal(prepared.fixed_nodes, network.fixed_nodes)
    ):
        raise ValueError(f"loop {name!r}: `prepared` was made for a different topology")


def initial_flow(network: Network) -> NDArray[np.float64]:
    """First flows of the iteration, as EPANET's ``initlinkflow``, in SI.

    Pipes: 1 ft/s times the bore area. Pumps: s·(H0 / 4r)^(1/n), the flow at 3/4 of
    the shut-off pressure (the design flow of a one-point EPANET curve), or s times
    the middle of the datasheet flow range. Resistances: the flow at half the largest
    running pump's shut-off pressure, sqrt(Δp / k). Closed links: 0.

    Parameters
    ----------
    network : Network

    Returns
    -------
    ndarray of float64, shape (m,)
        Initial flows. [m³/s]
    """
    kind = network.kind
    flow = np.zeros(network.n_links)
    pipe = kind == PIPE
    flow[pipe] = _FT * math.pi * network.diameter[pipe] ** 2 / 4.0
    count = np.diff(network.curve_ptr)
    shutoff = np.zeros(network.n_links)
    for k in np.flatnonzero(kind == PUMP):
        s = network.speed[k]
        if count[k] == 0:
            shutoff[k] = s * s * network.pump_shutoff[k]
            design = (network.pump_shutoff[k] / (4.0 * network.pump_coefficient[k])) ** (
                1.0 / network.pump_exponent[k]
            )
        else:
            points = network.curve_flow[network.curve_ptr[k] : network.curve_ptr[k + 1]]
            gain = network.curve_pressure[network.curve_ptr[k] : network.curve_ptr[k + 1]]
            slope = (gain[1] - gain[0]) / (points[1] - points[0])
            shutoff[k] = s * s * (gain[0] - slope * points[0])
            design = 0.5 * (points[0] + points[-1])
        flow[k] = s * design
    running = (kind == PUMP) & ~network.closed & (network.speed > 0.0)
    drive = 0.5 * float(shutoff[running].max()) if np.any(running) else _DEFAULT_DEMAND_DP
    res = kind == RESISTANCE
    flow[res] = np.sqrt(drive / network.resistance[res])
    flow[network.closed] = 0.0
    return flow


def _kernel_inputs(network: Network) -> tuple:
    return (
        network.kind,
        network.link_param(),
        network.curve_ptr,
        network.curve_flow,
        network.curve_pressure,
        network.speed,
        network.closed.view(np.uint8),
        network.demand,
        network.fixed_pressure,
        network.density,
        network.viscosity,
    )


def _check_options(tol: float, max_iter: int) -> None:
    if not (tol > 0.0 and math.isfinite(tol)):
        raise ValueError(f"tol must be a positive finite number, got {tol}")
    if max_iter < 1:
        raise ValueError(f"max_iter must be >= 1, got {max_iter}")


def solve(
    network: Network,
    *,
    name: str = "loop",
    tol: float = 1e-6,
    max_iter: int = 100,
    prepared: _thermal.HydraulicTopology | None = None,
    flow0: ArrayLike | None = None,
) -> HydraulicResult:
    r"""Steady flows and pressures of a loop network by the global gradient algorithm.

    Each iteration linearizes every link's pressure loss h(Q) about the current
    flow, solves the symmetric positive definite system for the unknown node
    pressures with a sparse Cholesky factorization, and updates the flows:

    .. math::

        A\,p = F, \quad A_{ii} = \sum_k P_k, \quad A_{ij} = -P_{ij}, \quad
        Q_k \leftarrow Q_k - \left(Y_k - P_k\,(p_{from} - p_{to})\right),

    with :math:`P = 1/h'(Q)` and :math:`Y = h(Q)/h'(Q)`, until
    :math:`\sum|\Delta Q| / \sum|Q| \le` ``tol`` and no pump check valve changes.

    Parameters
    ----------
    network : Network
        The loop.
    name : str
        Loop name for error messages.
    tol : float
        Convergence tolerance on Σ|ΔQ|/Σ|Q| (EPANET's default is 1e-3). [-]
    max_iter : int
        Largest number of iterations.
    prepared : HydraulicTopology, optional
        From :func:`prepare` on a network with the same topology (saves the
        symbolic analysis).
    flow0 : array_like of float, shape (m,), optional
        Initial flows (warm start); default :func:`initial_flow`. [m³/s]

    Returns
    -------
    HydraulicResult
        Flows [m³/s], pressures [Pa], iterations and residual.

    Raises
    ------
    SolverError
        Isolated node, no pressure reference in a component, all pumps closed,
        no convergence within ``max_iter``, a singular matrix or non-finite values;
        the message names ``name`` and the cause.
    ValueError
        Bad options, or ``prepared`` made for another topology.

    Notes
    -----
    Per iteration O(m + flops of the factorization); the symbolic analysis is
    done once per topology. Zero flows do not divide by zero: head-loss gradients
    are bounded below by EPANET's RQtol (laminar pipes have a finite gradient at
    zero flow anyway).

    Examples
    --------
    One pump (gain H0 − r·Q²) drives one resistance k: Q = sqrt(H0 / (r + k)).

    >>> net = Network(n_nodes=2, link_from=[0, 1], link_to=[1, 0], kind=[PUMP, RESISTANCE],
    ...               fixed_nodes=[0], fixed_pressure=[1e5], density=998.0, viscosity=1e-3,
    ...               pump_shutoff=[2e5, 0], pump_coefficient=[1e8, 0], resistance=[0, 3e8])
    >>> round(float(solve(net).flow[0]) * 60_000, 2)  # L/min
    1341.64

    References
    ----------
    .. [1] E. Todini and S. Pilati, "A gradient algorithm for the analysis of pipe
       networks", Computer Applications in Water Supply, vol. 1, 1988.
    .. [2] L. A. Rossman et al., "EPANET 2.2 User Manual", EPA/600/R-20/133, 2020.
    .. [3] P. K. Swamee and A. K. Jain, "Explicit equations for pipe-flow problems",
       J. Hydraulics Div. ASCE 102(5), 1976.
    .. [4] E. J. Dunlop, "WADI Users Manual", 1991, as cited by EPANET hydcoeffs.c.
    """
    _check_options(tol, max_iter)
    if prepared is None:
        prepared = prepare(network, name=name)
    else:
        _check_prepared(network, prepared, name)
    start = initial_flow(network) if flow0 is None else _floats("flow0", flow0, network.n_links, 0)
    flow, pressure, iterations, residual, status, bad = _thermal.solve_hydraulic(
        prepared, *_kernel_inputs(network), np.ascontiguousarray(start), tol, max_iter
    )
    if status != _thermal.STATUS_OK:
        raise SolverError(_error_message(name, status, bad, iterations, residual))
    return HydraulicResult(flow, pressure, int(iterations), float(residual))


def _closed_edits(
    network: Network, closed: ArrayLike | Sequence[Sequence[int]] | None
) -> tuple[int | None, NDArray[np.intp], NDArray[np.intp], NDArray[np.uint8]]:
    m = network.n_links
    if closed is None:
        return None, np.zeros(1, np.intp), np.zeros(0, np.intp), np.zeros(0, np.uint8)
    if isinstance(closed, np.ndarray) and closed.ndim == 2:
        if closed.shape[1] != m:
            raise ValueError(f"closed must have shape (s, {m}), got {closed.shape}")
        mask = closed.astype(bool)
        changed = mask != network.closed[None, :]
        scen, link = np.nonzero(changed)
        ptr = np.zeros(mask.shape[0] + 1, dtype=np.intp)
        np.cumsum(np.bincount(scen, minlength=mask.shape[0]), out=ptr[1:])
        return mask.shape[0], ptr, link.astype(np.intp), mask[scen, link].astype(np.uint8)
    lists = [np.asarray(links, dtype=np.intp).ravel() for links in closed]
    for j, links in enumerate(lists):
        if np.any((links < 0) | (links >= m)):
            raise ValueError(f"closed links of scenario {j} must be link indices in 0..{m - 1}")
    ptr = np.zeros(len(lists) + 1, dtype=np.intp)
    np.cumsum([len(links) for links in lists], out=ptr[1:])
    link = np.concatenate(lists) if lists else np.zeros(0, np.intp)
    return len(lists), ptr, link, np.ones(link.shape[0], dtype=np.uint8)


def _speed_edits(
    network: Network, speed: ArrayLike | Sequence[Mapping[int, float]] | None
) -> tuple[int | None, NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    m = network.n_links
    if speed is None:
        return None, np.zeros(1, np.intp), np.zeros(0, np.intp), np.zeros(0)
    if isinstance(speed, np.ndarray) and speed.ndim == 2:
        if speed.shape[1] != m:
            raise ValueError(f"speed must have shape (s, {m}), got {speed.shape}")
        values = speed.astype(np.float64)
        if not np.all(np.isfinite(values)) or np.any(values < 0.0):
            raise ValueError("speed must be finite and >= 0")
        changed = (values != network.speed[None, :]) & (network.kind == PUMP)[None, :]
        scen, link = np.nonzero(changed)
        ptr = np.zeros(values.shape[0] + 1, dtype=np.intp)
        np.cumsum(np.bincount(scen, minlength=values.shape[0]), out=ptr[1:])
        return values.shape[0], ptr, link.astype(np.intp), values[scen, link]
    links: list[int] = []
    values_list: list[float] = []
    ptr_list = [0]
    for j, edits in enumerate(speed):
        for link, value in dict(edits).items():
            if not 0 <= int(link) < m:
                raise ValueError(f"speed edit of scenario {j}: link {link} outside 0..{m - 1}")
            if not (float(value) >= 0.0 and math.isfinite(float(value))):
                raise ValueError(f"speed edit of scenario {j}: speed {value} must be >= 0")
            links.append(int(link))
            values_list.append(float(value))
        ptr_list.append(len(links))
    return (
        len(ptr_list) - 1,
        np.array(ptr_list, dtype=np.intp),
        np.array(links, dtype=np.intp),
        np.array(values_list, dtype=np.float64),
    )


def solve_batch(
    network: Network,
    *,
    closed: ArrayLike | Sequence[Sequence[int]] | None = None,
    speed: ArrayLike | Sequence[Mapping[int, float]] | None = None,
    name: str = "loop",
    tol: float = 1e-6,
    max_iter: int = 100,
    prepared: _thermal.HydraulicTopology | None = None,
    base: HydraulicResult | None = None,
    raise_errors: bool = True,
) -> BatchResult:
    """Solve many scenarios of one network (N-1 sweeps) on one symbolic factorization.

    Each scenario is an edit of the network's ``closed`` and ``speed`` arrays and is
    warm-started from the base solution.

    Parameters
    ----------
    network : Network
        The base loop.
    closed : ndarray of bool, shape (s, m), or sequence of sequences of int, optional
        Either the full closed state of every link per scenario, or per scenario
        the links to close in addition to ``network.closed``.
    speed : ndarray of float, shape (s, m), or sequence of mappings, optional
        Either the full pump speeds per scenario (entries of non-pumps are
        ignored), or per scenario a mapping ``{link: speed}`` of changes. [-]
    name : str
        Loop name for error messages.
    tol, max_iter
        As for :func:`solve`.
    prepared : HydraulicTopology, optional
        From :func:`prepare`.
    base : HydraulicResult, optional
        The base solution to warm-start from; solved here if not given. The kernel
        solves the base network again from ``base.flow`` (one iteration when it is
        converged) and copies that solution into the loops a scenario leaves alone.
    raise_errors : bool
        Raise the first scenario's :class:`~rackval.errors.SolverError`; if False,
        report failures in :attr:`BatchResult.status` and :attr:`BatchResult.errors`.

    Returns
    -------
    BatchResult
        Flows (s, m) [m³/s], pressures (s, n) [Pa], iterations, residuals, status.

    Raises
    ------
    SolverError
        The base network cannot be solved, or (with ``raise_errors``) a scenario
        fails; the message names ``name``, the scenario and the cause.
    ValueError
        Inconsistent scenario counts or shapes, edits outside the network.

    Notes
    -----
    Scenarios run one after another in the kernel without the GIL. A scenario
    iterates only the connected components (independent loops) holding a link whose
    closed state or pump speed it changes; the numeric factorization and the
    triangular solves run over those components' block of the Cholesky factor, and
    every other loop keeps the base solution. The other loops still count in the
    network-wide stopping test Σ|ΔQ|/Σ|Q| ≤ ``tol``, so each result is the full solve
    of the scenario warm-started from the base solution, to the tolerance (a loop
    that loses its CDU carries no flow, and a relative test on its own flows alone
    would stall at rounding noise). A scenario that changes nothing returns the base
    solution with 0 iterations. Per scenario O(size of the changed loops) per
    iteration, plus copying the base solution; if the base network cannot be solved,
    every scenario is solved in full from ``base.flow``.
    """
    _check_options(tol, max_iter)
    if prepared is None:
        prepared = prepare(network, name=name)
    else:
        _check_prepared(network, prepared, name)
    n_closed, closed_ptr, closed_link, closed_value = _closed_edits(network, closed)
    n_speed, speed_ptr, speed_link, speed_value = _speed_edits(network, speed)
    if n_closed is not None and n_speed is not None and n_closed != n_speed:
        raise ValueError(f"closed gives {n_closed} scenarios but speed gives {n_speed}")
    count = n_closed if n_closed is not None else (n_speed if n_speed is not None else 0)
    if n_closed is None:
        closed_ptr = np.zeros(count + 1, dtype=np.intp)
    if n_speed is None:
        speed_ptr = np.zeros(count + 1, dtype=np.intp)
    if base is None:
        base = solve(network, name=name, tol=tol, max_iter=max_iter, prepared=prepared)
    flow, pressure, iterations, residual, status, bad, batch_status, batch_bad = (
        _thermal.solve_hydraulic_batch(
            prepared,
            *_kernel_inputs(network),
            np.ascontiguousarray(base.flow, dtype=np.float64),
            closed_ptr,
            closed_link,
            closed_value,
            speed_ptr,
            speed_link,
            speed_value,
            tol,
            max_iter,
        )
    )
    if batch_status != _thermal.STATUS_OK:
        raise SolverError(_error_message(name, batch_status, batch_bad, 0, 0.0))
    errors: list[str | None] = []
    for j in range(count):
        if status[j] == _thermal.STATUS_OK:
            errors.append(None)
            continue
        message = _error_message(
            name,
            int(status[j]),
            int(bad[j]),
            int(iterations[j]),
            float(residual[j]),
            scenario=j,
        )
        if raise_errors:
            raise SolverError(message)
        errors.append(message)
    return BatchResult(flow, pressure, iterations, residual, status, tuple(errors))


def bench_hall_network(
    n_racks: int = 1000, *, devices: int = 18, racks_per_group: int = 20
) -> Network:
    """The liquid-loop benchmark hall of ``shared/bench/epanet_hall.py`` as a :class:`Network`.

    Same nodes and links, in the same order as the EPANET model is built: per group
    of ``racks_per_group`` racks an expansion tank (fixed pressure, 10 m of water)
    feeding two identical pumps in parallel (EPANET one-point curve 600 L/min at
    30 m: H0 = 1.33334·30 m, exponent and coefficient as EPANET's ``powercurve``),
    a CDU pipe (2 m, DN100, K = 20), a direct-return supply and return header
    (1.2 m of DN100 per rack) and per rack a supply and a return hose (3 m, 40 mm,
    K = 4.5) and two manifold chains (0.089 m, 35 mm per segment) with ``devices``
    cold-plate branches (1 m, 12 mm, K = 15) between them. Roughness 0.0015 mm;
    water at 20 °C as EPANET (ν = 1.1e-5 ft²/s, ρ = 998.2 kg/m³); heads converted
    with g = 9.80665 m/s².

    Parameters
    ----------
    n_racks : int
        Racks in the hall, a multiple of ``racks_per_group``.
    devices : int
        Cold-plate branches per rack.
    racks_per_group : int
        Racks per CDU loop.

    Returns
    -------
    Network
        1,000 racks: 40,200 nodes, 58,200 links, 50 fixed nodes.
    """
    if n_racks <= 0 or n_racks % racks_per_group:
        raise ValueError(f"n_racks must be a positive multiple of {racks_per_group}")
    rho = 998.2
    g = 9.80665
    nu = 1.1e-5 * _FT * _FT
    q1, h1 = 0.010, 30.0
    h0 = 1.33334 * h1
    exponent = math.log(h0 / (h0 - h1)) / math.log(2.0)
    coefficient = (h0 - h1) / q1**exponent

    names: dict[str, int] = {}
    links: list[tuple[int, int, int, float, float, float]] = []  # from, to, kind, L, D, K
    fixed: list[int] = []

    def node(label: str) -> int:
        names[label] = len(names)
        return names[label]

    def pipe(a: str, b: str, length: float, diameter: float, minor: float = 0.0) -> None:
        links.append((names[a], names[b], PIPE, length, diameter, minor))

    for grp in range(n_racks // racks_per_group):
        tank = f"R{grp}"
        node(tank)
        fixed.append(names[tank])
        node(f"g{grp}s0")
        node(f"g{grp}ps")
        for _ in range(2):
            links.append((names[tank], names[f"g{grp}ps"], PUMP, 0.0, 0.0, 0.0))
        pipe(f"g{grp}ps", f"g{grp}s0", 2.0, 0.1, 20.0)
        for r in range(racks_per_group):
            node(f"g{grp}s{r + 1}")
            pipe(f"g{grp}s{r}", f"g{grp}s{r + 1}", 1.2, 0.1)
            if r == 0:
                node(f"g{grp}r0")
            node(f"g{grp}r{r + 1}")
            pipe(f"g{grp}r{r + 1}", f"g{grp}r{r}", 1.2, 0.1)
            ms, mr = f"g{grp}k{r}ms0", f"g{grp}k{r}mr0"
            node(ms)
            node(mr)
            pipe(f"g{grp}s{r + 1}", ms, 3.0, 0.04, 4.5)
            pipe(mr, f"g{grp}r{r + 1}", 3.0, 0.04, 4.5)
            for d in range(devices):
                ms_next, mr_next = f"g{grp}k{r}ms{d + 1}", f"g{grp}k{r}mr{d + 1}"
                node(ms_next)
                node(mr_next)
                pipe(ms, ms_next, 0.0445 * 2, 0.035)
                pipe(mr_next, mr, 0.0445 * 2, 0.035)
                pipe(ms_next, mr_next, 1.0, 0.012, 15.0)
                ms, mr = ms_next, mr_next
        pipe(f"g{grp}r0", tank, 2.0, 0.1)

    table = np.array(links, dtype=np.float64)
    kind = table[:, 2].astype(np.intp)
    is_pump = kind == PUMP
    return Network(
        n_nodes=len(names),
        link_from=table[:, 0].astype(np.intp),
        link_to=table[:, 1].astype(np.intp),
        kind=kind,
        fixed_nodes=np.array(fixed, dtype=np.intp),
        fixed_pressure=np.full(len(fixed), 10.0 * rho * g),
        density=rho,
        viscosity=nu * rho,
        length=table[:, 3],
        diameter=table[:, 4],
        roughness=np.where(is_pump, 0.0, 0.0015e-3),
        minor_loss=table[:, 5],
        pump_shutoff=np.where(is_pump, h0 * rho * g, 0.0),
        pump_coefficient=np.where(is_pump, coefficient * rho * g, 0.0),
        pump_exponent=np.where(is_pump, exponent, 2.0),
    )
