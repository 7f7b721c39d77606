"""Liquid-cooling rules: CDUs, coolant supply, flows, case temperatures, pumps,
facility water, ride-through, devices without a loop, fluids (RV-LIQ-001…009)."""

from __future__ import annotations

from collections.abc import Iterator

from ..design.model import Design, Device, Loop
from ..physics.heat import case_temperature
from ..solve.loops import liquid_devices, liquid_heat, ride_through_time
from ..solve.solution import Solution
from .base import Finding, Need, rule

__all__ = [
    "cdu_capacity",
    "coolant_supply_too_warm",
    "branch_flow_low",
    "case_too_hot",
    "pump_operating_point",
    "facility_water_class",
    "ride_through_short",
    "liquid_device_without_loop",
    "fluid_mismatch",
]

L_PER_MIN = 1.0e-3 / 60.0  # [m³/s] per L/min, for messages
KELVIN = 273.15  # [K] at 0 °C, for messages


def _c(kelvin: float) -> str:
    return f"{kelvin - KELVIN:.1f} °C"


def _on_loop(device: Device) -> bool:
    return device.part.coolant is not None


def _loops_by_rack(design: Design) -> dict[str, Loop | None]:
    """The coolant loop of every rack (None without one), built once per rule call."""
    loops = {lp.id: lp for lp in design.loops}
    return {r.id: loops.get(r.loop) if r.loop else None for r in design.racks}


def _cooling_lost(loop: Loop, solution: Solution) -> bool:
    """Facility water or every pump lost: judged by RV-LIQ-007, not by steady rules."""
    scenario = solution.scenario
    return loop.id in scenario.rejection_lost or loop.id in scenario.pumps_lost


def _affected(loop: Loop, solution: Solution) -> bool:
    """Normal operation checks every loop; a coolant failure scenario only the loop it
    changes (the others are exactly as in normal operation, already reported there)."""
    scenario = solution.scenario
    return scenario.domain is None or scenario.touches_loop(loop.id, {c.id for c in loop.cdus})


def _affected_loops(design: Design, solution: Solution) -> list[Loop]:
    return [loop for loop in design.loops if _affected(loop, solution)]


def _liquid_devices_to_check(design: Design, solution: Solution) -> Iterator[tuple[Loop, Device]]:
    """(loop, device) of the loops this scenario changes that still have cooling."""
    for loop in _affected_loops(design, solution):
        if not _cooling_lost(loop, solution):
            for device in liquid_devices(design, loop):
                yield loop, device


def _live_cdus(loop: Loop, solution: Solution) -> list:
    return [c for c in loop.cdus if c.id not in solution.scenario.lost_cdus]


@rule(
    "RV-LIQ-001",
    "cdu-capacity",
    domain="liquid",
    needs=[
        Need("cdu", "cdu.rated_heat"),
        Need("device", "cooling.liquid_fraction", when=_on_loop),
    ],
)
def cdu_capacity(design: Design, solution: Solution) -> Iterator[Finding]:
    """The heat a loop collects exceeds what its live CDUs are rated to reject.

    What it checks: per loop and scenario, the coolant heat (each liquid-cooled
    device's power × its liquid fraction) against the sum of the rated heat of the
    CDUs still running (``cdu-lost:<id>`` removes one).
    Why it matters: beyond its rating a CDU cannot hold the supply temperature; the
    loop warms until devices throttle or trip.
    Limit: ``cdu.rated_heat`` of each CDU part (datasheet rating at its stated approach;
    catalog, cited). The rating holds at its approach and flows; a warmer facility
    water supply lowers it further (RV-LIQ-006).
    Fails: 2 × 600 kW CDUs (N+1) serving 700 kW of cold-plate heat, one CDU lost.
    Passes: the same CDUs serving 500 kW.
    """
    for loop in _affected_loops(design, solution):
        if _cooling_lost(loop, solution):
            continue
        devices = liquid_devices(design, loop)
        heats = [liquid_heat(d, solution.power.load_basis) for d in devices]
        ratings = [
            c.part.cdu.rated_heat if c.part.cdu else None for c in _live_cdus(loop, solution)
        ]
        if None in heats or None in ratings or not devices:
            continue
        heat, capacity = sum(heats), sum(ratings)
        if heat > capacity:
            live = len(ratings)
            yield Finding.at(
                loop,
                f"coolant heat {heat / 1000:.1f} kW > {capacity / 1000:.1f} kW rated for the "
                f"{live} running CDU{'s' if live != 1 else ''}",
                value=heat,
                limit=capacity,
            )


@rule(
    "RV-LIQ-002",
    "coolant-supply-too-warm",
    domain="liquid",
    needs=[Need("device", "coolant.max_supply", when=_on_loop)],
)
def coolant_supply_too_warm(design: Design, solution: Solution) -> Iterator[Finding]:
    """The coolant reaches a device warmer than the device allows.

    What it checks: each liquid-cooled device's coolant inlet temperature — from the
    loop's heat solve when it runs, otherwise the loop's supply set-point — against
    the device's maximum coolant supply temperature.
    Why it matters: above that temperature the cold plate cannot hold the chips within
    their case limit at full power; the device throttles.
    Limit: ``coolant.max_supply`` of the device part (datasheet; catalog, cited).
    Fails: a loop set to 45 °C supplying a device rated for 40 °C.
    Passes: the same device on a 35 °C loop.
    """
    for loop, device in _liquid_devices_to_check(design, solution):
        c = device.part.coolant
        if c.max_supply is None:
            continue
        sol = solution.loops.get(loop.id)
        inlet = sol.device_inlet.get(device.id) if sol is not None else None
        source = "computed inlet"
        if inlet is None:
            inlet, source = loop.supply_temperature, "loop supply set-point"
        if inlet is not None and inlet > c.max_supply:
            yield Finding.at(
                device,
                f"coolant arrives at {_c(inlet)} ({source}) > {_c(c.max_supply)} maximum supply",
                value=inlet,
                limit=c.max_supply,
            )


@rule(
    "RV-LIQ-003",
    "branch-flow-low",
    domain="liquid",
    needs=[
        Need("device", "coolant.min_flow", when=_on_loop),
        Need("device", "coolant.pressure_drop", when=_on_loop),
        Need("cdu", "cdu.pump_curve"),
    ],
)
def branch_flow_low(design: Design, solution: Solution) -> Iterator[Finding]:
    """A device gets less coolant flow than it needs.

    What it checks: each liquid-cooled device's flow from the loop's hydraulic solve
    (pump curves, headers, branch hoses, the pressure drop of every device on the
    manifold) against the device's minimum flow (error), and against the OCP sizing
    guidance of 1.5 L/min per kW of coolant heat (warning).
    Why it matters: too little flow lets the coolant and the cold plate run hot; far
    racks of a direct-return loop and loops with a pump lost are starved first.
    Limit: ``coolant.min_flow`` of the device part (datasheet, catalog); OCP 1.5
    L/min/kW at ΔT ≤ 10 K for PG25 (catalog/standards.yaml, OCP OAI guidelines).
    Fails: the last rack of a long direct-return header, or any rack with one of two
    pumps lost, below the devices' minimum flow.
    Passes: the same racks on a reverse-return header with both pumps running.
    """
    from ..catalog.standards import load_standards

    guidance = load_standards().coolant_flow
    for loop in _affected_loops(design, solution):
        sol = solution.loops.get(loop.id)
        if sol is None or not sol.solved:
            continue
        for device in liquid_devices(design, loop):
            flow = abs(sol.device_flow.get(device.id, 0.0))
            c = device.part.coolant
            if c.min_flow is not None and flow < c.min_flow:
                yield Finding.at(
                    device,
                    f"{flow / L_PER_MIN:.2f} L/min < {c.min_flow / L_PER_MIN:.2f} L/min minimum",
                    value=flow,
                    limit=c.min_flow,
                )
                continue
            heat = liquid_heat(device, solution.power.load_basis) or 0.0
            wanted = heat * guidance.flow_per_watt
            if flow < wanted:
                per_kw = guidance.flow_per_watt * 1000 / L_PER_MIN
                yield Finding.at(
                    device,
                    f"{flow / L_PER_MIN:.2f} L/min < {wanted / L_PER_MIN:.2f} L/min "
                    f"({per_kw:.2f} L/min per kW for {heat / 1000:.1f} kW, OCP guidance)",
                    value=flow,
                    limit=wanted,
                    severity="warning",
                )


@rule(
    "RV-LIQ-004",
    "case-too-hot",
    domain="liquid",
    needs=[
        Need("device", "coolant.thermal_resistance", when=_on_loop),
        Need("device", "coolant.hottest_chip_power", when=_on_loop),
        Need("device", "coolant.max_case", when=_on_loop),
    ],
)
def case_too_hot(design: Design, solution: Solution) -> Iterator[Finding]:
    """A chip's computed case temperature is above its maximum.

    What it checks: for each liquid-cooled device with a solved coolant inlet
    temperature, T_case = T_coolant + P_chip · R_th (the hottest chip's power and the
    cold plate's case-to-coolant thermal resistance) against the maximum case
    temperature.
    Why it matters: above the case limit the GPU throttles or shuts down; this is the
    margin the whole loop exists to keep.
    Limit: ``coolant.max_case``, ``coolant.thermal_resistance`` and
    ``coolant.hottest_chip_power`` of the device part (datasheet; catalog, cited).
    Fails: coolant at 40 °C, a 1.2 kW chip on 0.03 K/W: 76 °C > 70 °C.
    Passes: the same chip with coolant at 30 °C: 66 °C.
    """
    for loop in _affected_loops(design, solution):
        sol = solution.loops.get(loop.id)
        if sol is None or not sol.device_inlet:
            continue
        for device in liquid_devices(design, loop):
            c = device.part.coolant
            inlet = sol.device_inlet.get(device.id)
            if None in (inlet, c.thermal_resistance, c.hottest_chip_power, c.max_case):
                continue
            case = case_temperature(inlet, c.hottest_chip_power, c.thermal_resistance)
            if case > c.max_case:
                yield Finding.at(
                    device,
                    f"case {_c(case)} = coolant {_c(inlet)} + {c.hottest_chip_power:.0f} W × "
                    f"{c.thermal_resistance:.3f} K/W > {_c(c.max_case)} maximum",
                    value=case,
                    limit=c.max_case,
                )


@rule("RV-LIQ-005", "pump-operating-point", domain="liquid", needs=[Need("cdu", "cdu.pump_curve")])
def pump_operating_point(design: Design, solution: Solution) -> Iterator[Finding]:
    """A CDU's pumps run outside their curve or above the CDU's pressure rating.

    What it checks: per running CDU, the flow of each pump at the solved operating
    point against the largest flow of the datasheet curve (beyond it the pump runs
    off its curve, where efficiency and NPSH are not rated), and the pressure rise
    against the CDU's maximum working pressure.
    Why it matters: a pump pushed beyond its curve cavitates and wears; a loop driven
    above its pressure rating opens relief valves or bursts hoses and quick disconnects.
    Limit: ``cdu.pump_curve`` and ``cdu.max_pressure`` of the CDU part (datasheet;
    catalog, cited).
    Fails: a loop so open (short, wide headers, many racks) that each pump delivers
    more than its last curve point.
    Passes: the same pumps on a loop whose resistance puts them mid-curve.
    """
    for loop in _affected_loops(design, solution):
        sol = solution.loops.get(loop.id)
        if sol is None or not sol.solved:
            continue
        for cdu in _live_cdus(loop, solution):
            spec = cdu.part.cdu
            if spec is None or not spec.pump_curve or cdu.id not in sol.pump_flow:
                continue
            running = (spec.pumps or 1) - sum(
                1 for p in solution.scenario.closed_pumps if p.startswith(f"{cdu.id}:")
            )
            per_pump = sol.pump_flow[cdu.id] / max(running, 1)
            top = spec.pump_curve[-1][0]
            if per_pump > top:
                yield Finding.at(
                    cdu,
                    f"each pump delivers {per_pump / L_PER_MIN:.0f} L/min, beyond the curve's "
                    f"last point at {top / L_PER_MIN:.0f} L/min",
                    value=per_pump,
                    limit=top,
                )
            rise = sol.pump_pressure.get(cdu.id)
            if spec.max_pressure is not None and rise is not None and rise > spec.max_pressure:
                yield Finding.at(
                    cdu,
                    f"pump pressure rise {rise / 1000:.0f} kPa > {spec.max_pressure / 1000:.0f} "
                    f"kPa maximum working pressure",
                    value=rise,
                    limit=spec.max_pressure,
                )


@rule("RV-LIQ-006", "facility-water-class", per_scenario=False, needs=[Need("cdu", "cdu.approach")])
def facility_water_class(design: Design, solution: Solution) -> Iterator[Finding]:
    """Facility water is warmer than its class allows or than the CDUs need.

    What it checks: the facility-water supply temperature against the upper bound of
    the stated ASHRAE W-class; and, per loop, facility supply + each CDU's rated
    approach against the loop's coolant supply set-point (a CDU cannot deliver coolant
    colder than the facility water plus its approach).
    Why it matters: a plant delivering warmer water than its class, or a set-point the
    CDUs cannot reach, leaves every device on the loop short of cooling on the first
    warm day.
    Limit: W-class bounds from catalog/standards.yaml (ASHRAE liquid-cooling
    guidelines, cited); ``cdu.approach`` of the CDU part (datasheet rating).
    Fails: W32 water at 34 °C; or 32 °C water through a 4 K-approach CDU for a 35 °C
    set-point (36 °C is the best it can do).
    Passes: 30 °C W32 water, 4 K approach, 35 °C set-point.
    """
    from ..catalog.standards import load_standards

    site = design.site
    supply = site.facility_water_supply
    if supply is None:
        return
    klass = load_standards().water(site.facility_water_class) if site.facility_water_class else None
    if klass is not None and klass.supply.max is not None and supply > klass.supply.max:
        yield Finding(
            rule="",
            severity="",
            scenario="",
            path="site.facility_water.supply_temperature",
            message=f"facility water {_c(supply)} > {_c(klass.supply.max)} upper bound of "
            f"{klass.name} ({klass.edition})",
            value=supply,
            limit=klass.supply.max,
            location=design.where,
        )
    for loop in design.loops:
        if loop.supply_temperature is None:
            continue
        for cdu in loop.cdus:
            approach = cdu.part.cdu.approach if cdu.part.cdu else None
            if approach is None:
                continue
            best = supply + approach
            if best > loop.supply_temperature:
                yield Finding.at(
                    cdu,
                    f"facility {_c(supply)} + {approach:.1f} K approach = {_c(best)} > "
                    f"{_c(loop.supply_temperature)} coolant supply set-point",
                    value=best,
                    limit=loop.supply_temperature,
                )


@rule(
    "RV-LIQ-007",
    "ride-through-short",
    domain="liquid",
    needs=[
        Need("device", "coolant.max_supply", when=_on_loop),
        Need("device", "coolant.volume", when=_on_loop),
    ],
)
def ride_through_short(design: Design, solution: Solution) -> Iterator[Finding]:
    """The loop reaches a device limit sooner than the required ride-through time.

    What it checks: in ``facility-water-lost:<loop>`` (pumps run, no heat rejection),
    the time for the well-mixed loop coolant to warm from its supply set-point to the
    lowest maximum supply temperature of its devices at full coolant heat:
    t = ρ c_p V · ΔT / P (adiabatic lumped bound; metal is left out, so the bound is
    conservative), against the loop's required ride-through. In ``pumps-lost:<loop>``
    (no flow), each device on its own: the coolant held in its cold plates warms from
    the set-point to its maximum supply temperature, t = ρ c_p V_device · ΔT / P_device.
    Why it matters: when the plant or its pumps stop, the CDU's reservoir and loop
    volume must carry the load until the standby plant or UPS-backed pumps take over.
    Limit: ``ride_through`` of the loop and the loop ``volume`` (design; when absent,
    estimated from the piping and the volumes the parts state — a lower bound);
    ``coolant.max_supply`` and ``coolant.volume`` of the devices (catalog); coolant
    properties from the shipped CoolProp tables.
    Fails: 400 L of PG25 at 35 °C serving 264 kW with devices limited to 40 °C:
    4.006 MJ/(m³·K) × 0.4 m³ × 5 K / 264 kW = 30 s < 60 s required.
    Passes: the same loop at 120 kW: 67 s.
    """
    if solution.scenario.kind == "pumps-lost":
        yield from _pumps_lost_ride_through(design, solution)
        return
    if solution.scenario.kind != "facility-water-lost":
        return
    for loop in design.loops:
        if loop.id not in solution.scenario.rejection_lost or loop.ride_through is None:
            continue
        bound = ride_through_time(design, loop, solution.power.load_basis)
        if bound is None or bound.time >= loop.ride_through:
            continue
        basis = ""
        if loop.volume is None:
            basis = ", volume estimated from piping and parts"
            basis += "" if bound.volume_complete else " (lower bound)"
        yield Finding.at(
            loop,
            f"coolant reaches {_c(bound.limit)} after {bound.time:.0f} s "
            f"({bound.volume * 1000:.0f} L{basis}, {bound.heat / 1000:.1f} kW) < "
            f"{loop.ride_through:.0f} s required",
            value=bound.time,
            limit=loop.ride_through,
        )


def _pumps_lost_ride_through(design: Design, solution: Solution) -> Iterator[Finding]:
    """Per device, the coolant standing in its cold plates heats up with no flow."""
    from ..physics.coolant import coolant_properties
    from ..physics.heat import adiabatic_ride_through

    for loop in design.loops:
        if loop.id not in solution.scenario.pumps_lost or loop.ride_through is None:
            continue
        if loop.supply_temperature is None:
            continue
        props = coolant_properties(loop.fluid, loop.supply_temperature)
        for device in liquid_devices(design, loop):
            c = device.part.coolant
            heat = liquid_heat(device, solution.power.load_basis)
            if c.volume is None or c.max_supply is None or not heat:
                continue
            margin = max(c.max_supply - loop.supply_temperature, 0.0)
            time = adiabatic_ride_through(
                props.density * props.heat_capacity * c.volume, margin, heat
            )
            if time < loop.ride_through:
                yield Finding.at(
                    device,
                    f"with no flow its {c.volume * 1000:.2f} L of coolant reaches "
                    f"{_c(c.max_supply)} after {time:.1f} s ({heat / 1000:.1f} kW) < "
                    f"{loop.ride_through:.0f} s required",
                    value=time,
                    limit=loop.ride_through,
                )


@rule("RV-LIQ-008", "liquid-device-without-loop", per_scenario=False)
def liquid_device_without_loop(design: Design, solution: Solution) -> Iterator[Finding]:
    """A device that needs coolant sits in a rack with no coolant loop.

    What it checks: every device whose part has a coolant block (cold plates) is in a
    rack that names a ``loop``.
    Why it matters: a cold-plate device without coolant overheats within seconds of
    power-on; the rack needs a loop (in-row or in-rack CDU) before it is energized.
    Limit: none — the design's structure (``racks[].loop``) and the part's coolant
    block (catalog).
    Fails: GB200 compute trays in a rack without ``loop:``.
    Passes: the same rack with ``loop: tcs-1``.
    """
    loop_of_rack = _loops_by_rack(design)
    for device in design.devices:
        if device.part.coolant is not None and loop_of_rack[device.rack] is None:
            yield Finding.at(
                device,
                f"{device.part.model} is liquid-cooled but rack {device.rack} has no coolant loop",
            )


@rule(
    "RV-LIQ-009",
    "fluid-mismatch",
    per_scenario=False,
    needs=[Need("device", "coolant.fluids", when=_on_loop)],
)
def fluid_mismatch(design: Design, solution: Solution) -> Iterator[Finding]:
    """A loop's coolant is not one its devices accept.

    What it checks: the loop's fluid against each liquid-cooled device's list of
    accepted coolants (names compared case-insensitively).
    Why it matters: cold plates are qualified for one coolant chemistry; a different
    glycol or inhibitor package voids the warranty and can corrode plates or clog
    micro-channels.
    Limit: ``coolant.fluids`` of the device part (datasheet; catalog, cited); names
    compared as the coolant tables read them (``PG25`` = ``pg-25`` = ``INCOMP::MPG[0.25]``).
    Fails: a device accepting only PG25 on an EG25 loop.
    Passes: the same device on a PG25 loop.
    """
    for loop in design.loops:
        for device in liquid_devices(design, loop):
            accepted = device.part.coolant.fluids
            if accepted and _fluid_key(loop.fluid) not in {_fluid_key(f) for f in accepted}:
                yield Finding.at(
                    device,
                    f"loop {loop.id} carries {loop.fluid}; {device.part.model} accepts "
                    f"{', '.join(accepted)}",
                )


def _fluid_key(name: str) -> str:
    from ..physics.coolant import canonical_name

    return canonical_name(name) or name.strip().lower()
