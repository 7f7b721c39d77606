r"""Coolant temperatures in a loop network: steady advection and ride-through transients.

A thin wrapper over :func:`rackval._thermal.solve_advection` and
:func:`rackval._thermal.step_transient`. It checks shapes and values once in Python,
hands contiguous float64 / intp arrays to the compiled kernel and turns a nonzero
kernel status into a :class:`~rackval.errors.SolverError` that names the network and
the cause.

Steady state (:func:`steady_temperatures`) — the network is the hydraulic graph:
``n`` nodes, ``m`` links ``link_from[k] → link_to[k]`` with signed flows ``flow[k]``
(positive from ``link_from`` to ``link_to``). Along its flow, link ``k`` maps its inlet
to its outlet temperature

.. math:: T_{out} = (1 - \varphi_k)\,T_{in} + \varphi_k\,T_{sink,k}
          + \frac{P_k}{\rho c_p |Q_k|}

(a pipe: ``φ = 0, P = 0``; a cold plate: ``P > 0``; a CDU heat exchanger:
``φ = ε·C_min/C_hot`` with ε from ε-NTU and ``T_sink`` the facility-water supply), and
a node is the flow-weighted mix of the link outlets flowing into it.

Transient (:func:`ride_through`) — lumps ``0..n-1`` with capacities ``C`` and powers
``P``; conduction links (symmetric), upwind advection links (from the upstream lump
into the downstream one) and conductances to fixed temperatures, stepped by implicit
Euler until ``t_end`` or the first watched lump reaching its limit (DESIGN §5:
``facility-water-lost``, ``pumps-lost``).

Temperatures are absolute [K] (the relations are affine, so any consistent offset
scale gives the same differences).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rackval._kernel import _thermal
from rackval.errors import SolverError

__all__ = ["SteadyTemperatures", "RideThrough", "steady_temperatures", "ride_through"]

#: Flows at or below this fraction of the largest flow count as no flow.
ZERO_FLOW_FRACTION: float = 1e-9


@dataclass(frozen=True)
class SteadyTemperatures:
    """Steady coolant temperatures of one loop network.

    Attributes
    ----------
    node_temperature : ndarray of float64, shape (n,)
        Mixed coolant temperature at each node; NaN where no coolant flows. [K]
    link_inlet_temperature : ndarray of float64, shape (m,)
        Temperature entering each link at its upstream end; NaN without flow. [K]
    link_outlet_temperature : ndarray of float64, shape (m,)
        Temperature leaving each link at its downstream end; NaN without flow. [K]
    heat_added : ndarray of float64, shape (m,)
        Heat each link adds to the coolant (its ``P``). [W]
    heat_removed : ndarray of float64, shape (m,)
        Heat each link rejects, ``ρ c_p |Q| φ (T_in − T_sink)``; 0 without flow. [W]
    no_flow : ndarray of bool, shape (n,)
        Nodes without any flow (temperature undefined).
    loop_closures : int
        Unknowns of the dense part of the exact solve (one per loop closure).
    """

    node_temperature: NDArray[np.float64]
    link_inlet_temperature: NDArray[np.float64]
    link_outlet_temperature: NDArray[np.float64]
    heat_added: NDArray[np.float64]
    heat_removed: NDArray[np.float64]
    no_flow: NDArray[np.bool_]
    loop_closures: int

    @property
    def heat_in(self) -> float:
        """Total heat put into the coolant [W]."""
        return float(np.sum(self.heat_added))

    @property
    def heat_rejected(self) -> float:
        """Total heat the heat exchangers remove [W]."""
        return float(np.sum(self.heat_removed))

    @property
    def energy_imbalance(self) -> float:
        """Heat in minus heat rejected [W]; 0 up to rounding when flows conserve mass."""
        return self.heat_in - self.heat_rejected


@dataclass(frozen=True)
class RideThrough:
    """Result of an implicit-Euler ride-through run.

    Attributes
    ----------
    first_crossing : float or None
        Time at which the first watched lump reaches its limit (linear inside the
        step), ``None`` if none does before ``t_end``. [s]
    first_watch : int or None
        Entry of ``watch`` that crossed first.
    first_lump : int or None
        Lump that crossed first (``watch[first_watch]``).
    crossing_time : ndarray of float64, shape (nw,)
        First upward crossing of each watched lump; NaN if it did not cross (with
        ``stop_at_first`` only the crossings of the last step taken are known). [s]
    temperature : ndarray of float64, shape (n,)
        Lump temperatures at ``time``. [K]
    time : float
        Time reached: ``t_end``, or the end of the crossing step. [s]
    steps : int
        Implicit-Euler steps taken.
    dt : float
        Step used: ``t_end / ceil(t_end / dt)``, so steps land on ``t_end``. [s]
    history_time : ndarray of float64, shape (rows,)
        Times of the recorded rows (empty without ``history_every``). [s]
    history : ndarray of float64, shape (rows, nw)
        Watched temperatures at ``history_time``. [K]
    loop_closures : int
        Unknowns of the dense part of the exact solve (one per loop closure).
    residual : float
        Relative residual of the last step's linear solve. [-]
    """

    first_crossing: float | None
    first_watch: int | None
    first_lump: int | None
    crossing_time: NDArray[np.float64]
    temperature: NDArray[np.float64]
    time: float
    steps: int
    dt: float
    history_time: NDArray[np.float64]
    history: NDArray[np.float64]
    loop_closures: int
    residual: float


# --- validation helpers --------------------------------------------------------------


def _first(mask: NDArray[np.bool_]) -> int:
    return int(np.flatnonzero(mask)[0])


def _floats(name: str, values: ArrayLike, size: int | None = None) -> NDArray[np.float64]:
    array = np.ascontiguousarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if size is not None and array.shape[0] != size:
        raise ValueError(f"{name} has {array.shape[0]} entries, expected {size}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite; first bad index {_first(~np.isfinite(array))}")
    return array


def _non_negative(name: str, values: ArrayLike, size: int | None = None) -> NDArray[np.float64]:
    array = _floats(name, values, size)
    if np.any(array < 0.0):
        raise ValueError(f"{name} must be >= 0; first bad index {_first(array < 0.0)}")
    return array


def _indices(name: str, values: ArrayLike, n: int, size: int | None = None) -> NDArray[np.intp]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.size and array.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integer indices, got dtype {array.dtype}")
    array = np.ascontiguousarray(array, dtype=np.intp)
    if size is not None and array.shape[0] != size:
        raise ValueError(f"{name} has {array.shape[0]} entries, expected {size}")
    outside = (array < 0) | (array >= n)
    if np.any(outside):
        k = _first(outside)
        raise ValueError(f"{name}[{k}] = {array[k]} is not a node index in [0, {n})")
    return array


def _positive(name: str, value: float) -> float:
    value = float(value)
    if not (math.isfinite(value) and value > 0.0):
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return value


def _label(names: Sequence[str] | None, kind: str, index: int) -> str:
    if names is not None and 0 <= index < len(names):
        return f"{kind} {index} ({names[index]})"
    return f"{kind} {index}"


def _links(
    name: str,
    links: tuple[ArrayLike, ArrayLike, ArrayLike] | None,
    n: int,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    if links is None:
        return np.empty(0, np.intp), np.empty(0, np.intp), np.empty(0, np.float64)
    if len(links) != 3:
        raise ValueError(f"{name} must be a tuple (from, to, conductance)")
    g = _non_negative(f"{name} conductance", links[2])
    a = _indices(f"{name} from", links[0], n, g.shape[0])
    b = _indices(f"{name} to", links[1], n, g.shape[0])
    if np.any(a == b):
        k = _first(a == b)
        raise ValueError(f"{name} link {k} connects lump {a[k]} to itself")
    return a, b, g


# --- steady state --------------------------------------------------------------------


def steady_temperatures(
    n_nodes: int,
    link_from: ArrayLike,
    link_to: ArrayLike,
    flow: ArrayLike,
    density: float,
    heat_capacity: float,
    *,
    heat: ArrayLike | None = None,
    rejection: ArrayLike | None = None,
    sink_temperature: ArrayLike | None = None,
    zero_flow: float | None = None,
    name: str = "loop",
    node_names: Sequence[str] | None = None,
    link_names: Sequence[str] | None = None,
) -> SteadyTemperatures:
    r"""Steady coolant temperatures of a loop network with known flows.

    Parameters
    ----------
    n_nodes : int
        Number of nodes ``n``.
    link_from, link_to : array_like of int, shape (m,)
        End nodes of each link (the hydraulic graph's orientation).
    flow : array_like, shape (m,)
        Volumetric flow of each link from the hydraulic solve; positive from
        ``link_from`` to ``link_to``. [m³/s]
    density : float
        Coolant density at the mean loop temperature. [kg/m³]
    heat_capacity : float
        Coolant specific isobaric heat capacity at the mean loop temperature. [J/(kg·K)]
    heat : array_like, shape (m,), optional
        Heat each link adds to the coolant, >= 0 (cold plates, pump losses);
        default 0. [W]
    rejection : array_like, shape (m,), optional
        Heat-exchanger links: ``φ = ε·C_min/C_hot`` in [0, 1], the fraction of the
        inlet-to-sink temperature difference removed (ε from ε-NTU at this scenario's
        flows); 0 for every other link (default). [-]
    sink_temperature : array_like, shape (m,), optional
        Cold-side inlet temperature of each heat exchanger (facility-water supply);
        ignored where ``rejection`` is 0; default 0. [K]
    zero_flow : float, optional
        Links with ``|flow| <= zero_flow`` carry no heat; default
        ``ZERO_FLOW_FRACTION`` × the largest ``|flow|``. Closed links should come
        with a flow of exactly 0. [m³/s]
    name : str
        Network name used in error messages (the loop id).
    node_names, link_names : sequence of str, optional
        Names used in error messages for the offending node or link.

    Returns
    -------
    SteadyTemperatures
        Node, link inlet and outlet temperatures [K], heat added and removed per
        link [W], the nodes without flow and the size of the dense part.

    Raises
    ------
    ValueError
        Inconsistent shapes, non-finite values, an index outside ``[0, n)``, a link
        from a node to itself, negative heat, ``rejection`` outside [0, 1], or
        non-positive ``density`` / ``heat_capacity``.
    SolverError
        A link carries heat but no flow; a node has outflow but no inflow (the flows
        violate mass balance); a closed loop passes through no heat exchanger (no
        steady state: use :func:`ride_through`); the system is numerically singular;
        one connected part has more than ``HEAT_MAX_LOOP_CLOSURES`` (1000) loop
        closures (a mesh, not coolant loops).

    Notes
    -----
    With :math:`\dot C_k = \rho c_p |Q_k|`, perfect mixing at node :math:`v` reads

    .. math:: \Big(\sum_{k \to v} \dot C_k\Big) T_v
              - \sum_{k \to v} \dot C_k (1 - \varphi_k)\, T_{up(k)}
              = \sum_{k \to v} \big(P_k + \dot C_k \varphi_k T_{sink,k}\big),

    upwind in the flow direction (Patankar 1980, §5.2-5.4) and triangular in flow
    order except where a loop closes. The kernel solves it exactly: lumps numbered
    by strongly connected components in topological order and, inside each, by a
    depth-first search from the node with the largest through-flow; the few loop
    closures left above the diagonal become a dense capacitance system of size K
    (K = 1 for a loop with one CDU). Cost O(n + m) plus O(K (n_c + m_c) + K³) per
    connected part of n_c nodes and m_c links; more than 1000 closures in one part
    (a random mesh, not a loop network) is refused rather than solved for minutes.
    Summing the rows gives the loop's energy balance,
    :math:`\sum P_k = \sum \dot C_k \varphi_k (T_{in,k} - T_{sink,k})`, which
    :attr:`SteadyTemperatures.energy_imbalance` exposes.

    Examples
    --------
    One cold plate (10 kW) and one heat exchanger (φ = 0.5, facility water at
    300 K) in a loop of 1 L/s water (ρ c_p = 4.18 MJ/(m³·K), Ċ = 4180 W/K):
    the rise over the plate is 10000/4180 = 2.392 K and the exchanger removes half
    of the supply-to-sink difference, so ``T_supply = 300 + 2.392 = 302.392 K`` and
    ``T_return = 304.785 K``.

    >>> result = steady_temperatures(2, [0, 1], [1, 0], [1e-3, 1e-3], 1000.0, 4180.0,
    ...                              heat=[10e3, 0.0], rejection=[0.0, 0.5],
    ...                              sink_temperature=[0.0, 300.0])
    >>> [round(float(t), 3) for t in result.node_temperature]
    [302.392, 304.785]
    >>> abs(result.energy_imbalance) < 1e-9
    True

    References
    ----------
    .. [1] F. P. Incropera, D. P. DeWitt, T. L. Bergman, A. S. Lavine, "Fundamentals of
       Heat and Mass Transfer", 7th ed., Wiley, 2011, §1.3.1 (energy balance on a
       flow), §11.4 (effectiveness-NTU method).
    .. [2] S. V. Patankar, "Numerical Heat Transfer and Fluid Flow", Hemisphere, 1980,
       §5.2-5.4 (upwind scheme).
    .. [3] R. Tarjan, "Depth-first search and linear graph algorithms", SIAM J. Comput.
       1(2), 1972 (strongly connected components).
    """
    n = int(n_nodes)
    if n < 0:
        raise ValueError(f"n_nodes must be >= 0, got {n}")
    q = _floats("flow", flow)
    m = q.shape[0]
    source = _indices("link_from", link_from, n, m)
    target = _indices("link_to", link_to, n, m)
    if np.any(source == target):
        k = _first(source == target)
        raise ValueError(f"link {k} connects node {source[k]} to itself")
    p = np.zeros(m) if heat is None else _non_negative("heat", heat, m)
    phi = np.zeros(m) if rejection is None else _non_negative("rejection", rejection, m)
    if np.any(phi > 1.0):
        raise ValueError(f"rejection must be in [0, 1]; first bad index {_first(phi > 1.0)}")
    sink = (
        np.zeros(m)
        if sink_temperature is None
        else _floats("sink_temperature", sink_temperature, m)
    )
    rho_cp = _positive("density", density) * _positive("heat_capacity", heat_capacity)
    if zero_flow is None:
        threshold = ZERO_FLOW_FRACTION * float(np.max(np.abs(q))) if m else 0.0
    else:
        threshold = float(zero_flow)
        if not (math.isfinite(threshold) and threshold >= 0.0):
            raise ValueError(f"zero_flow must be a finite number >= 0, got {zero_flow}")

    node_t, link_out, n_cut, status, bad = _thermal.solve_advection(
        n, source, target, q, p, phi, sink, rho_cp, threshold
    )
    if status != _thermal.STATUS_OK:
        raise SolverError(f"{name}: {_steady_cause(status, bad, p, node_names, link_names)}")

    flowing = np.abs(q) > threshold
    upstream = np.where(q >= 0.0, source, target)
    link_in = np.where(flowing, node_t[upstream] if m else np.empty(0), np.nan)
    capacity_rate = rho_cp * np.abs(q)
    removed = np.where(flowing, capacity_rate * phi * (link_in - sink), 0.0)
    return SteadyTemperatures(
        node_temperature=node_t,
        link_inlet_temperature=link_in,
        link_outlet_temperature=link_out,
        heat_added=p,
        heat_removed=removed,
        no_flow=np.isnan(node_t),
        loop_closures=int(n_cut),
    )


_SHARED_CAUSES = {
    _thermal.STATUS_HEAT_NO_MEMORY: lambda where: "out of memory in the heat kernel",
    _thermal.STATUS_HEAT_TOO_MANY_LOOPS: lambda where: (
        f"the part of the network containing {where} has more than "
        f"{_thermal.HEAT_MAX_LOOP_CLOSURES} independent loop closures (a mesh rather than "
        "coolant loops); the exact solver refuses it instead of running for minutes"
    ),
}


def _steady_cause(
    status: int,
    bad: int,
    heat: NDArray[np.float64],
    node_names: Sequence[str] | None,
    link_names: Sequence[str] | None,
) -> str:
    if status == _thermal.STATUS_HEAT_NO_FLOW_HEAT:
        return (
            f"{_label(link_names, 'link', bad)} carries {heat[bad]:.6g} W but has no flow "
            "(closed valve, lost pump or dead branch): no steady state; use ride_through"
        )
    if status == _thermal.STATUS_HEAT_NO_INFLOW:
        return (
            f"{_label(node_names, 'node', bad)} has outflow but no inflow: the flows "
            "violate mass balance"
        )
    if status == _thermal.STATUS_HEAT_NO_REJECTION:
        return (
            f"the closed loop through {_label(node_names, 'node', bad)} passes through no "
            "heat exchanger (no heat rejection): no steady state; use ride_through"
        )
    if status == _thermal.STATUS_HEAT_SINGULAR:
        return (
            f"temperature system singular at {_label(node_names, 'node', bad)} "
            "(heat-exchanger rejection too small to fix the loop temperature)"
        )
    if status in _SHARED_CAUSES:
        return _SHARED_CAUSES[status](_label(node_names, "node", bad))
    return f"solve_advection failed with status {status} at index {bad}"


# --- transient -----------------------------------------------------------------------


def ride_through(
    capacity: ArrayLike,
    power: ArrayLike,
    initial: ArrayLike,
    *,
    dt: float,
    t_end: float,
    conduction: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
    advection: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
    boundary: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
    watch: ArrayLike = (),
    limit: ArrayLike = (),
    stop_at_first: bool = True,
    history_every: float | None = None,
    name: str = "loop",
    lump_names: Sequence[str] | None = None,
) -> RideThrough:
    r"""Implicit-Euler transient of lumped capacities until a limit is reached.

    Parameters
    ----------
    capacity : array_like, shape (n,)
        Heat capacity of each lump, >= 0: coolant ``ρ c_p V``, cold plates and metal
        ``m c``. A lump with 0 is algebraic (it must be connected to one with
        capacity or to a boundary). [J/K]
    power : array_like, shape (n,)
        Heat put into each lump, >= 0, constant over the run. [W]
    initial : array_like, shape (n,)
        Temperatures at t = 0 (e.g. the steady solution). [K]
    dt : float
        Time step; reduced to ``t_end / ceil(t_end / dt)`` so steps land on
        ``t_end``. [s]
    t_end : float
        End of the run, >= 0. [s]
    conduction : (array_like of int, array_like of int, array_like), optional
        Symmetric conductances ``(a, b, g)`` between lumps: conduction, plate to
        coolant ``1/R_th``; g >= 0. [-, -, W/K]
    advection : (array_like of int, array_like of int, array_like), optional
        Upwind advection ``(upstream, downstream, ρ c_p |Q|)``: the downstream lump
        receives coolant at the upstream lump's temperature; g >= 0. [-, -, W/K]
    boundary : (array_like of int, array_like, array_like), optional
        Conductances ``(lump, g, T_b)`` to fixed temperatures, e.g. a heat exchanger
        to facility water (``ε C_min``); g >= 0. [-, W/K, K]
    watch : array_like of int, shape (nw,)
        Watched lumps (coolant supply, device cases).
    limit : array_like, shape (nw,)
        Upper limit of each watched lump (``inf`` for none). [K]
    stop_at_first : bool
        Stop after the step in which the first watched lump reaches its limit.
    history_every : float, optional
        Record the watched temperatures about every this many seconds (rounded to
        whole steps), plus t = 0 and the last step. [s]
    name : str
        Network name used in error messages.
    lump_names : sequence of str, optional
        Names used in error messages for the offending lump.

    Returns
    -------
    RideThrough
        First crossing time [s] and lump, each watched lump's crossing time, the
        final temperatures [K] and the optional history.

    Raises
    ------
    ValueError
        Inconsistent shapes, non-finite values, negative capacity, power or
        conductance, an index out of range, a link from a lump to itself, a NaN
        limit, or ``dt <= 0`` / ``t_end < 0``.
    SolverError
        The system is singular: a lump (or a group of lumps) with neither capacity
        nor a conductance to a lump with capacity or to a boundary; or one connected
        part has more than ``HEAT_MAX_LOOP_CLOSURES`` (1000) loop closures.

    Notes
    -----
    Each step solves

    .. math:: \Big(\frac{C}{\Delta t} + G\Big)\, T^{n+1} = \frac{C}{\Delta t}\, T^n + P
              + \sum_b g_b T_b

    (implicit Euler: unconditionally stable, first order, Patankar 1980 §4.3).
    :math:`C/\Delta t + G` is an M-matrix; the kernel solves it exactly, not
    iteratively: lumps hanging off the coolant network as trees (cold plates,
    chips) are eliminated leaf by leaf, which creates no fill, and the coolant
    network by the same bordered triangular solve as :func:`steady_temperatures`,
    factored once per run. Per step O(n + links), plus O(K n_c) for the loop
    closures (one per CDU loop, or two sweeps above 8 closures). The crossing time is
    interpolated linearly inside the step; only upward crossings count, and a lump
    already at its limit at t = 0 crosses at 0.

    Examples
    --------
    Adiabatic bound of standards.md §3: 200 L PG25 (ρ c_p 4.006 MJ/(m³·K)) plus
    50 kg of copper (385 J/(kg·K)) at 120 kW reach +10 K after
    ``(0.8012e6 + 19250) × 10 / 120e3 = 68.4 s``:

    >>> result = ride_through([0.2 * 4.006e6 + 50 * 385.0], [120e3], [308.15],
    ...                       dt=0.5, t_end=120.0, watch=[0], limit=[318.15])
    >>> round(result.first_crossing, 1)
    68.4

    References
    ----------
    .. [1] S. V. Patankar, "Numerical Heat Transfer and Fluid Flow", Hemisphere, 1980,
       §4.3 (fully implicit scheme), §5.2-5.4 (upwind scheme).
    .. [2] F. P. Incropera et al., "Fundamentals of Heat and Mass Transfer", 7th ed.,
       2011, §5.3 (lumped capacitance method).
    """
    c = _non_negative("capacity", capacity)
    n = c.shape[0]
    p = _non_negative("power", power, n)
    t0 = _floats("initial", initial, n)
    cond = _links("conduction", conduction, n)
    adv = _links("advection", advection, n)
    if boundary is None:
        bnd = (np.empty(0, np.intp), np.empty(0, np.float64), np.empty(0, np.float64))
    else:
        if len(boundary) != 3:
            raise ValueError("boundary must be a tuple (lump, conductance, temperature)")
        g_b = _non_negative("boundary conductance", boundary[1])
        bnd = (
            _indices("boundary lump", boundary[0], n, g_b.shape[0]),
            g_b,
            _floats("boundary temperature", boundary[2], g_b.shape[0]),
        )
    watched = _indices("watch", watch, n)
    limits = np.ascontiguousarray(limit, dtype=np.float64)
    if limits.ndim != 1 or limits.shape[0] != watched.shape[0]:
        raise ValueError(
            f"limit must have one entry per watched lump ({watched.shape[0]}), "
            f"got shape {limits.shape}"
        )
    if np.any(np.isnan(limits)):
        raise ValueError(f"limit must not be NaN; first bad index {_first(np.isnan(limits))}")
    step = _positive("dt", dt)
    end = float(t_end)
    if not (math.isfinite(end) and end >= 0.0):
        raise ValueError(f"t_end must be a finite number >= 0, got {t_end}")
    n_steps = math.ceil(end / step - 1e-9) if end > 0.0 else 0
    if n_steps > 0:
        step = end / n_steps
    record_every = 0
    if history_every is not None:
        record_every = max(1, round(_positive("history_every", history_every) / step))

    out = _thermal.step_transient(
        c,
        p,
        t0,
        *cond,
        *adv,
        *bnd,
        watched,
        limits,
        step,
        n_steps,
        bool(stop_at_first),
        record_every,
    )
    temperature, steps, first_t, first_w, crossing, h_time, h_temp, rows = out[:8]
    n_cut, residual, status, bad = out[8:]
    if status != _thermal.STATUS_OK:
        raise SolverError(f"{name}: {_transient_cause(status, bad, lump_names)}")
    found = first_w >= 0
    return RideThrough(
        first_crossing=float(first_t) if found else None,
        first_watch=int(first_w) if found else None,
        first_lump=int(watched[first_w]) if found else None,
        crossing_time=crossing,
        temperature=temperature,
        time=steps * step,
        steps=int(steps),
        dt=step,
        history_time=h_time[:rows],
        history=h_temp[:rows],
        loop_closures=int(n_cut),
        residual=float(residual),
    )


def _transient_cause(status: int, bad: int, lump_names: Sequence[str] | None) -> str:
    if status == _thermal.STATUS_TRANSIENT_SINGULAR:
        return (
            f"{_label(lump_names, 'lump', bad)} has no heat capacity and no conductance to "
            "a lump with capacity or to a boundary: the transient system is singular"
        )
    if status in _SHARED_CAUSES:
        return _SHARED_CAUSES[status](_label(lump_names, "lump", bad))
    return f"step_transient failed with status {status} at index {bad}"
