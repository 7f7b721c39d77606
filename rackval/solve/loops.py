"""Coolant loops: design -> loop network arrays -> hydraulic and heat kernels -> results.

A loop is built as (DESIGN §6):

- node ``tank``: pump suction and expansion tank, the loop's pressure reference;
- per CDU: its pumps in parallel from ``tank`` to the CDU outlet node; the CDU's
  heat exchanger acts on the coolant that passes its pumps;
- the supply header from the CDU outlets past each rack's tap, and the return header
  back to ``tank`` (direct return: the first rack supplied is the first returned;
  reverse return: the first supplied is the last returned), split into equal
  segments between taps;
- a header's ``fittings_k`` counts once (on its first segment); each hose has its own;
- per rack: a supply branch hose to the rack manifold, the liquid-cooled devices in
  parallel on the manifold (Δp = k·Q|Q| through their datasheet point), a return hose.

The loop is solved only when every figure it needs is known: the CDU pump curve, each
device's pressure-drop point, the loop fluid and supply temperature. Otherwise it is
reported as not solved with the figures it lacks (the liquid rules that need them
report RV-CAT-001). A one-point pump curve is extended by EPANET's single-point rule.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from ..design.model import Design, Device, Loop
from ..physics.coolant import coolant_properties
from ..physics.heat import adiabatic_ride_through, effectiveness_counterflow, ua_from_approach
from ..physics.hydraulics import fit_pump_curve
from . import heat as heat_solver
from . import hydraulics
from .power import device_power

__all__ = [
    "LoopModel",
    "LoopSolution",
    "liquid_devices",
    "liquid_heat",
    "build_loop",
    "solve_loop",
    "loop_volume",
    "ride_through_time",
    "RideThroughBound",
]


def liquid_devices(design: Design, loop: Loop) -> list[Device]:
    """Devices of the racks on ``loop`` that take coolant (their part has a coolant block)."""
    return [
        d
        for r in design.racks_by_loop.get(loop.id, ())
        for d in r.devices
        if d.part.coolant is not None
    ]


def liquid_heat(device: Device, load: str) -> float | None:
    """Heat a device gives to the coolant [W]: liquid fraction × power (None if unknown)."""
    power = device_power(device, load)
    fraction = device.part.cooling.liquid_fraction
    if power is None or fraction is None:
        return None
    return power * fraction


def loop_volume(design: Design, loop: Loop) -> tuple[float | None, bool]:
    """Coolant volume of a loop [m³] and whether it is complete.

    The design's ``volume`` when stated (complete). Otherwise the inside of the pipes
    (headers, and a supply and a return hose per rack: π d²/4 · L) plus the coolant
    volume of every device and CDU reservoir the parts state; when some part does not
    state its volume the sum is a lower bound (complete = False), which only shortens
    a computed ride-through.
    """
    if loop.volume is not None:
        return loop.volume, True
    piping = loop.piping
    if piping is None or None in (piping.supply, piping.return_, piping.branch):
        return None, False
    racks = [r for r in design.racks if r.loop == loop.id]

    def inside(pipe) -> float:
        return math.pi * pipe.diameter**2 / 4.0 * pipe.length

    volume = inside(piping.supply) + inside(piping.return_)
    volume += (2 * len(racks) + len(loop.cdus)) * inside(piping.branch)
    complete = True
    for device in liquid_devices(design, loop):
        if device.part.coolant.volume is None:
            complete = False
        else:
            volume += device.part.coolant.volume
    for cdu in loop.cdus:
        reservoir = cdu.part.cdu.reservoir if cdu.part.cdu else None
        if reservoir is None:
            complete = False
        else:
            volume += reservoir
    return volume, complete


@dataclass(frozen=True)
class RideThroughBound:
    """Adiabatic ride-through of a loop and the figures it came from."""

    time: float  # [s]
    volume: float  # [m³] coolant counted
    volume_complete: bool  # False: a lower bound (some part volumes unknown)
    limit: float  # [K] lowest maximum supply temperature of the devices
    heat: float  # [W] coolant heat


def ride_through_time(design: Design, loop: Loop, load: str) -> RideThroughBound | None:
    r"""Time until the well-mixed loop coolant, with no heat rejection, reaches the
    lowest maximum supply temperature of its devices (adiabatic lumped bound).

    .. math:: t = \rho c_p V \, (T_{max} - T_{supply}) / P

    None when the volume, the set-point, a device limit or a device's heat is unknown.
    """
    volume, complete = loop_volume(design, loop)
    devices = liquid_devices(design, loop)
    limits = [d.part.coolant.max_supply for d in devices]
    heats = [liquid_heat(d, load) for d in devices]
    if (
        volume is None
        or loop.supply_temperature is None
        or not devices
        or None in limits
        or None in heats
        or sum(heats) <= 0
    ):
        return None
    props = coolant_properties(loop.fluid, loop.supply_temperature)
    limit, heat = min(limits), sum(heats)
    margin = max(limit - loop.supply_temperature, 0.0)
    time = adiabatic_ride_through(props.density * props.heat_capacity * volume, margin, heat)
    return RideThroughBound(time, volume, complete, limit, heat)


@dataclass
class LoopModel:
    """A loop as arrays, with the names that map results back to the design."""

    loop: Loop
    network: hydraulics.Network
    node_names: list[str]
    link_names: list[str]
    pump_links: dict[str, list[int]]  # CDU id -> its pump links
    device_links: dict[str, int]  # device id -> its link
    branch_links: dict[str, int]  # rack id -> supply branch link
    heat: np.ndarray  # [W] per link
    density: float  # [kg/m³]
    heat_capacity: float  # [J/(kg·K)]
    volume: float | None  # [m³] coolant in the loop
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LoopSolution:
    """One loop in one scenario."""

    loop: str
    solved: bool
    reason: str = ""
    flow: np.ndarray | None = None  # [m³/s] per link
    pressure: np.ndarray | None = None  # [Pa] per node
    supply_temperature: float | None = None  # [K] CDU outlet (mixed)
    return_temperature: float | None = None  # [K] CDU inlet
    device_flow: dict[str, float] = field(default_factory=dict)  # [m³/s]
    device_inlet: dict[str, float] = field(default_factory=dict)  # [K]
    pump_flow: dict[str, float] = field(default_factory=dict)  # [m³/s] per CDU (all pumps)
    pump_pressure: dict[str, float] = field(default_factory=dict)  # [Pa] rise per CDU
    heat: float = 0.0  # [W] into the coolant
    heat_rejected: float | None = None  # [W]
    iterations: int = 0
    cdu_heat: dict[str, float] = field(default_factory=dict)  # [W] rejected per CDU


def _pipe_missing(loop: Loop) -> list[str]:
    missing = []
    if loop.supply_temperature is None:
        missing.append(f"{loop.path}.supply_temperature")
    if (
        loop.piping is None
        or loop.piping.supply is None
        or loop.piping.return_ is None
        or loop.piping.branch is None
    ):
        missing.append(f"{loop.path}.piping (supply, return and branch pipes)")
    return missing


def build_loop(design: Design, loop: Loop, load: str = "max") -> LoopModel | list[str]:
    """The loop network, or the list of figures that keep it from being built."""
    missing = _pipe_missing(loop)
    for cdu in loop.cdus:
        spec = cdu.part.cdu
        if spec is None or len(spec.pump_curve) < 1:
            missing.append(f"part '{cdu.part.slug}' cdu.pump_curve")
    devices = liquid_devices(design, loop)
    for d in devices:
        c = d.part.coolant
        if c.pressure_drop is None or c.pressure_drop_flow is None:
            missing.append(f"part '{d.part.slug}' coolant.pressure_drop")
        elif c.pressure_drop <= 0 or c.pressure_drop_flow <= 0:
            missing.append(f"part '{d.part.slug}' coolant.pressure_drop above zero")
        if liquid_heat(d, load) is None:
            missing.append(f"part '{d.part.slug}' power and cooling.liquid_fraction")
    if not loop.cdus:
        missing.append(f"{loop.path}.cdus")
    if missing:
        return sorted(set(missing))
    props = coolant_properties(loop.fluid, loop.supply_temperature)
    piping = loop.piping
    racks = [r for r in design.racks if r.loop == loop.id]

    names: list[str] = ["tank"]
    links: list[tuple[int, int, int]] = []
    link_names: list[str] = []
    extra: dict[str, list[float]] = {
        k: []
        for k in (
            "length",
            "diameter",
            "roughness",
            "minor_loss",
            "resistance",
            "pump_shutoff",
            "pump_coefficient",
            "pump_exponent",
        )
    }
    curve_ptr = [0]
    curve_flow: list[float] = []
    curve_pressure: list[float] = []
    heat: list[float] = []

    def node(name: str) -> int:
        names.append(name)
        return len(names) - 1

    def link(
        a: int,
        b: int,
        kind: int,
        name: str,
        *,
        length=0.0,
        diameter=0.0,
        roughness=0.0,
        minor=0.0,
        resistance=0.0,
        curve=(),
        power=0.0,
    ) -> int:
        links.append((a, b, kind))
        link_names.append(name)
        # a one-point datasheet curve becomes EPANET's single-point power curve
        h0, r, n = fit_pump_curve(curve) if len(curve) == 1 else (0.0, 0.0, 2.0)
        if len(curve) == 1:
            curve = ()
        for key, value in (
            ("length", length),
            ("diameter", diameter),
            ("roughness", roughness),
            ("minor_loss", minor),
            ("resistance", resistance),
            ("pump_shutoff", h0),
            ("pump_coefficient", r),
            ("pump_exponent", n),
        ):
            extra[key].append(value)
        for q, p in curve:
            curve_flow.append(q)
            curve_pressure.append(p)
        curve_ptr.append(len(curve_flow))
        heat.append(power)
        return len(links) - 1

    def pipe(a: int, b: int, name: str, spec, length: float, fittings: bool = True) -> int:
        return link(
            a,
            b,
            hydraulics.PIPE,
            name,
            length=length,
            diameter=spec.diameter,
            roughness=spec.roughness or 0.0,
            minor=(spec.fittings_k or 0.0) if fittings else 0.0,
        )

    header_in = node("supply-header")
    pump_links: dict[str, list[int]] = {}
    for cdu in loop.cdus:
        spec = cdu.part.cdu
        outlet = node(f"{cdu.id}:outlet")
        pumps = []
        for k in range(spec.pumps or 1):
            pumps.append(
                link(0, outlet, hydraulics.PUMP, f"{cdu.id}:pump{k + 1}", curve=spec.pump_curve)
            )
        pump_links[cdu.id] = pumps
        pipe(outlet, header_in, f"{cdu.id}:outlet-pipe", piping.branch, piping.branch.length)
    n_racks = max(len(racks), 1)
    seg_supply = piping.supply.length / n_racks
    seg_return = piping.return_.length / n_racks
    supply_taps, return_taps = [], []
    previous = header_in
    for i, rack in enumerate(racks):
        tap = node(f"{rack.id}:supply-tap")
        # a header's fittings K counts once per header: on its first segment
        pipe(previous, tap, f"supply-header:{i + 1}", piping.supply, seg_supply, i == 0)
        supply_taps.append(tap)
        previous = tap
    for rack in racks:
        return_taps.append(node(f"{rack.id}:return-tap"))
    order = return_taps[::-1] if piping.arrangement == "direct-return" else return_taps
    for i, tap in enumerate(order):
        downstream = order[i + 1] if i + 1 < len(order) else 0
        pipe(tap, downstream, f"return-header:{i + 1}", piping.return_, seg_return, i == 0)
    device_links: dict[str, int] = {}
    branch_links: dict[str, int] = {}
    for rack, s_tap, r_tap in zip(racks, supply_taps, return_taps, strict=True):
        m_in = node(f"{rack.id}:manifold-in")
        m_out = node(f"{rack.id}:manifold-out")
        branch_links[rack.id] = pipe(
            s_tap, m_in, f"{rack.id}:supply-hose", piping.branch, piping.branch.length
        )
        pipe(m_out, r_tap, f"{rack.id}:return-hose", piping.branch, piping.branch.length)
        for d in rack.devices:
            c = d.part.coolant
            if c is None:
                continue
            k = c.pressure_drop / c.pressure_drop_flow**2
            device_links[d.id] = link(
                m_in,
                m_out,
                hydraulics.RESISTANCE,
                d.id,
                resistance=k,
                power=liquid_heat(d, load) or 0.0,
            )
    arrays = np.array(links, dtype=np.intp).reshape(-1, 3)
    network = hydraulics.Network(
        n_nodes=len(names),
        link_from=arrays[:, 0],
        link_to=arrays[:, 1],
        kind=arrays[:, 2],
        fixed_nodes=[0],
        fixed_pressure=[0.0],
        density=props.density,
        viscosity=props.viscosity,
        curve_ptr=curve_ptr,
        curve_flow=curve_flow,
        curve_pressure=curve_pressure,
        **extra,
    )
    return LoopModel(
        loop,
        network,
        names,
        link_names,
        pump_links,
        device_links,
        branch_links,
        np.array(heat),
        props.density,
        props.heat_capacity,
        loop.volume,
    )


def solve_loop(
    design: Design,
    model: LoopModel,
    *,
    closed_pumps: frozenset[str] = frozenset(),
    lost_cdus: frozenset[str] = frozenset(),
    rejection_lost: bool = False,
) -> LoopSolution:
    """Flows, pressures and temperatures of a loop in one scenario.

    ``closed_pumps`` are pump link names (``cdu-1:pump1``); ``lost_cdus`` lose every
    pump and their heat exchanger; ``rejection_lost`` keeps the pumps running with no
    heat rejection (facility water lost): no steady state, temperatures unsolved.
    """
    loop = model.loop
    closed = np.zeros(len(model.link_names), dtype=bool)
    for cdu, pumps in model.pump_links.items():
        for k in pumps:
            if cdu in lost_cdus or model.link_names[k] in closed_pumps:
                closed[k] = True
    if closed[[k for pumps in model.pump_links.values() for k in pumps]].all():
        return LoopSolution(
            loop.id, False, "every pump of the loop is stopped", heat=float(model.heat.sum())
        )
    network = dataclasses.replace(model.network, closed=closed)
    result = hydraulics.solve(network, name=loop.id)
    flow = result.flow  # closed links keep the trickle of their very large resistance
    running = {c: [k for k in pumps if not closed[k]] for c, pumps in model.pump_links.items()}
    pump_flow = {c: float(sum(flow[k] for k in ks)) for c, ks in running.items() if ks}
    pump_pressure = {
        c: float(result.pressure[network.link_to[ks[0]]] - result.pressure[0])
        for c, ks in running.items()
        if ks
    }
    device_flow = {d: float(flow[k]) for d, k in model.device_links.items()}
    total_heat = float(model.heat.sum())
    base = LoopSolution(
        loop.id,
        True,
        "",
        flow,
        result.pressure,
        device_flow=device_flow,
        pump_flow=pump_flow,
        pump_pressure=pump_pressure,
        heat=total_heat,
        iterations=result.iterations,
    )
    temperatures = _steady_temperatures(design, model, flow, lost_cdus, rejection_lost)
    if temperatures is None:
        return base
    steady, supply, ret, offset = temperatures
    inlets = {
        d: float(steady.link_inlet_temperature[k]) + offset for d, k in model.device_links.items()
    }
    cdu_heat = {
        c: float(sum(steady.heat_removed[k] for k in pumps))
        for c, pumps in model.pump_links.items()
    }
    return LoopSolution(
        loop.id,
        True,
        "",
        flow,
        result.pressure,
        supply,
        ret,
        device_flow,
        inlets,
        pump_flow,
        pump_pressure,
        total_heat,
        float(steady.heat_rejected),
        result.iterations,
        cdu_heat,
    )


def _steady_temperatures(
    design: Design,
    model: LoopModel,
    flow: np.ndarray,
    lost_cdus: frozenset[str],
    rejection_lost: bool,
):
    """Steady temperatures when every CDU's heat exchanger can be rated, else None."""
    facility = design.site.facility_water_supply
    if rejection_lost or facility is None:
        return None
    m = len(model.link_names)
    rejection = np.zeros(m)
    sink = np.zeros(m)
    c_cool = model.density * model.heat_capacity
    for cdu in model.loop.cdus:
        if cdu.id in lost_cdus:
            continue
        spec = cdu.part.cdu
        if None in (spec.rated_heat, spec.approach, spec.secondary_flow, spec.primary_flow):
            return None
        water = coolant_properties("water", facility)  # facility water at its supply
        c_primary = spec.primary_flow * water.density * water.heat_capacity
        ua = ua_from_approach(
            spec.rated_heat, spec.approach, spec.secondary_flow * c_cool, c_primary
        )
        pumps = model.pump_links[cdu.id]
        c_hot = abs(sum(flow[k] for k in pumps)) * c_cool
        if c_hot <= 0:
            continue
        c_min, c_max = min(c_hot, c_primary), max(c_hot, c_primary)
        eps = effectiveness_counterflow(ua / c_min, c_min / c_max)
        for k in pumps:
            rejection[k] = eps * c_min / c_hot
            sink[k] = facility
    steady = heat_solver.steady_temperatures(
        model.network.n_nodes,
        model.network.link_from,
        model.network.link_to,
        flow,
        model.density,
        model.heat_capacity,
        heat=model.heat,
        rejection=rejection,
        sink_temperature=sink,
        # closed links keep a trickle through their very large resistance; the
        # hydraulic solver's small-flow threshold (1e-6 of the largest) marks it
        zero_flow=1e-6 * float(np.abs(flow).max()),
        name=model.loop.id,
        node_names=model.node_names,
        link_names=model.link_names,
    )
    supply = float(steady.node_temperature[1])  # the supply header node
    # CDUs throttle their facility-water valve to hold the set-point when they can:
    # the secondary temperatures then shift up uniformly (fixed heat inputs, linear
    # advection); a CDU short of capacity gives a supply warmer than the set-point.
    offset = max(model.loop.supply_temperature - supply, 0.0)
    ret = float(steady.node_temperature[0]) + offset  # the tank: mixed return
    return steady, supply + offset, ret, offset
