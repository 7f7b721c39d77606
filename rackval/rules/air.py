"""Air-cooling rules: inlet class and device limits, air capacity, airflow direction and
demand (RV-AIR-001…005)."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog.standards import AirEnvelope, Standards, load_standards
from ..design.model import Design, Device
from ..physics.air import m3s_to_cfm
from ..solve.air import moves_air
from ..solve.solution import Solution
from .base import Finding, Need, rule

__all__ = [
    "inlet_out_of_class",
    "inlet_over_device_max",
    "air_capacity",
    "airflow_direction",
    "airflow_demand",
    "dry_bulb_bound",
]

KELVIN = 273.15  # [K] at 0 °C, for messages


def _c(kelvin: float) -> str:
    return f"{kelvin - KELVIN:.1f} °C"


def _inlet(bounds: tuple[float, float], side: str) -> str:
    """The inlet as a message states it: exact, or the certain bound."""
    low, high = bounds
    if low == high:
        return _c(low)
    return f"at least {_c(low)}" if side == "low" else f"at most {_c(high)}"


def _not_liquid_only(device: Device) -> bool:
    return moves_air(device)


def _derived_airflow(device: Device) -> bool:
    return moves_air(device) and device.part.cooling.airflow is None


def _has_supply(design: Design) -> bool:
    air = design.site.air
    return air is not None and air.supply_temperature is not None


def _has_capacity(design: Design) -> bool:
    air = design.site.air
    return air is not None and air.cooling_capacity is not None


def _has_airflow(design: Design) -> bool:
    air = design.site.air
    return air is not None and air.airflow is not None


def dry_bulb_bound(
    standards: Standards, ashrae_class: str, envelope: str, side: str, edition: str | None
) -> AirEnvelope | None:
    """The entry that gives a class's dry-bulb ``min`` or ``max`` in an edition.

    Editions update the guidelines in part (2015 changed only humidity), so the bound
    is the one of the newest edition up to ``edition`` that gives it; with no edition,
    the newest edition that gives it. None when no such entry exists.
    """
    found = [
        e
        for e in standards.air_envelopes
        if e.ashrae_class == ashrae_class
        and e.envelope == envelope
        and e.dry_bulb is not None
        and getattr(e.dry_bulb, side) is not None
        and (edition is None or int(e.edition) <= int(edition))
    ]
    return max(found, key=lambda e: int(e.edition), default=None)


def _limit_text(entry: AirEnvelope, side: str) -> str:
    value = getattr(entry.dry_bulb, side)
    word = "maximum" if side == "max" else "minimum"
    check = ", unverified" if entry.verify else ""
    return (
        f"{_c(value)} ASHRAE class {entry.ashrae_class} {entry.envelope} {word} "
        f"({entry.edition} edition, catalog/standards.yaml [{entry.tag}]{check})"
    )


@rule(
    "RV-AIR-001",
    "inlet-out-of-class",
    per_scenario=False,
    relevant=_has_supply,
    needs=[Need("device", "cooling.liquid_fraction", when=_not_liquid_only)],
)
def inlet_out_of_class(design: Design, solution: Solution) -> Iterator[Finding]:
    """A rack's inlet air is outside the ASHRAE envelope of the site's class.

    What it checks: each rack's inlet temperature — supply air plus the recirculation
    rise (the fraction model, or Tang's recirculation matrix) — against the dry-bulb
    range of ``site.air.ashrae_class``: outside the allowable range is an error,
    inside it but outside the recommended range a warning. Where a liquid fraction is
    not published the inlet is known only within bounds, and only a bound beyond the
    range fails. A recirculation that cannot be solved (more exhaust reaching an inlet
    than the rack draws, exhaust with no way back to the air units) is an error at
    ``site.air``.
    Why it matters: the class is what the equipment was bought and the room was built
    for; outside the allowable range vendors do not warrant operation, outside the
    recommended range fans speed up, power rises and reliability drops.
    Limit: dry-bulb ranges of ASHRAE TC 9.9 Thermal Guidelines classes A1–A4 and H1
    (catalog/standards.yaml, cited), of ``site.air.ashrae_edition`` or, when absent,
    the newest edition that gives the bound.
    Fails: class H1 (allowable maximum 25 °C) with 24 °C supply air and 10 %
    recirculation of a 40 kW rack; class A1 with a 33 °C supply.
    Passes: class A2 with 24 °C supply air and 5 % recirculation behind DGX H100 racks.
    """
    air = design.site.air
    sol = solution.air
    if air is None or sol is None:
        return
    for problem in sol.problems:
        yield Finding.at(air, f"inlet temperature cannot be computed: {problem}")
    if air.ashrae_class is None:
        return
    standards = load_standards()
    bounds = {
        (envelope, side): dry_bulb_bound(
            standards, air.ashrae_class, envelope, side, air.ashrae_edition
        )
        for envelope in ("allowable", "recommended")
        for side in ("min", "max")
    }
    if bounds[("allowable", "min")] is None or bounds[("allowable", "max")] is None:
        edition = air.ashrae_edition or "any"
        yield Finding.at(
            air,
            f"catalog/standards.yaml gives no allowable dry-bulb range of class "
            f"{air.ashrae_class} in edition {edition}; inlets not checked against it",
            severity="info",
        )
    for rack in design.racks:
        inlet = sol.racks[rack.id].inlet
        if inlet is None:
            continue
        for envelope, severity in (("allowable", "error"), ("recommended", "warning")):
            high, low = bounds[(envelope, "max")], bounds[(envelope, "min")]
            if high is not None and inlet[0] > high.dry_bulb.max:
                yield Finding.at(
                    rack,
                    f"inlet air {_inlet(inlet, 'low')} > {_limit_text(high, 'max')}",
                    value=inlet[0],
                    limit=high.dry_bulb.max,
                    severity=severity,
                )
                break
            if low is not None and inlet[1] < low.dry_bulb.min:
                yield Finding.at(
                    rack,
                    f"inlet air {_inlet(inlet, 'high')} < {_limit_text(low, 'min')}",
                    value=inlet[1],
                    limit=low.dry_bulb.min,
                    severity=severity,
                )
                break


@rule(
    "RV-AIR-002",
    "inlet-over-device-max",
    per_scenario=False,
    relevant=_has_supply,
    needs=[
        Need("device", "cooling.max_inlet_air", when=_not_liquid_only),
        Need("device", "cooling.liquid_fraction", when=_not_liquid_only),
    ],
)
def inlet_over_device_max(design: Design, solution: Solution) -> Iterator[Finding]:
    """The air reaching a device is warmer than its maximum (or colder than its minimum).

    What it checks: the computed inlet temperature of each rack (as RV-AIR-001) against
    the inlet range of every device in it that moves air: above ``max_inlet_air`` or
    below ``min_inlet_air`` (checked when the datasheet gives it) is an error. Where the
    inlet is known only within bounds, only a bound beyond the limit fails.
    Why it matters: a device's operating range is often narrower than the room's
    class (DGX H100: 5–30 °C in an A2 room allowing 35 °C); above it the device
    throttles or shuts down.
    Limit: ``cooling.max_inlet_air`` and ``cooling.min_inlet_air`` of the device part
    (datasheet; catalog, cited).
    Fails: DGX H100 (maximum 30 °C) with 29 °C supply air and 10 % recirculation.
    Passes: the same racks with 24 °C supply air.
    """
    sol = solution.air
    if sol is None:
        return
    for rack in design.racks:
        inlet = sol.racks[rack.id].inlet
        if inlet is None:
            continue
        for device in rack.devices:
            if not moves_air(device):
                continue
            c = device.part.cooling
            if c.max_inlet_air is not None and inlet[0] > c.max_inlet_air:
                yield Finding.at(
                    device,
                    f"inlet air {_inlet(inlet, 'low')} > {_c(c.max_inlet_air)} maximum of "
                    f"'{device.part.slug}'",
                    value=inlet[0],
                    limit=c.max_inlet_air,
                )
            elif c.min_inlet_air is not None and inlet[1] < c.min_inlet_air:
                yield Finding.at(
                    device,
                    f"inlet air {_inlet(inlet, 'high')} < {_c(c.min_inlet_air)} minimum of "
                    f"'{device.part.slug}'",
                    value=inlet[1],
                    limit=c.min_inlet_air,
                )


def _units_text(units: int | None, live: int | None) -> str:
    if units is None or live is None:
        return "the air units"
    if live == units:
        return f"the {units} air units"
    return f"the {live} running of {units} air units"


@rule(
    "RV-AIR-003",
    "air-capacity",
    domain="air",
    relevant=_has_capacity,
    needs=[
        Need("device", "cooling.liquid_fraction", when=_not_liquid_only),
        Need("rear-door", "rdhx.capacity"),
    ],
)
def air_capacity(design: Design, solution: Solution) -> Iterator[Finding]:
    """The heat left in the air exceeds what the running air units can remove.

    What it checks: the room's air heat — every device's power at the load basis ×
    (1 − its liquid fraction), less what each rack's rear-door heat exchanger removes
    (up to its rated capacity) — against ``site.air.cooling_capacity`` of the air units
    still running (``air-unit-lost`` leaves (n − 1)/n of it). A device whose liquid
    fraction is not published counts as putting nothing into the air (certain lower
    bound); a door whose capacity is not published removes between nothing and all
    of its rack's air heat, so only the rest of the room can make the rule fail.
    Why it matters: beyond their sensible capacity the air units cannot hold the
    supply temperature; every inlet in the room warms.
    Limit: ``site.air.cooling_capacity`` and ``site.air.units`` (design).
    Fails: 100 kW of air heat with 4 × 30 kW units (N+1): 90 kW with one lost.
    Passes: the same units serving 80 kW.
    """
    air, sol = design.site.air, solution.air
    if air is None or sol is None or sol.capacity is None:
        return
    low, high = sol.room_heat
    if low > sol.capacity:
        amount = f"{low / 1000:.1f} kW" if low == high else f"at least {low / 1000:.1f} kW"
        units = _units_text(sol.units, sol.live_units)
        yield Finding.at(
            air,
            f"air heat {amount} > {sol.capacity / 1000:.1f} kW cooling capacity of {units}",
            value=low,
            limit=sol.capacity,
        )


_INTAKE_EXHAUST = {"front", "rear", "left", "right", "side", "top", "bottom"}
_FLIP = {"front": "rear", "rear": "front"}


def _directions(airflow: str, face: str) -> tuple[str, str] | None:
    """(intake, exhaust) side of the rack for a NetBox airflow at a mounting face."""
    intake, sep, exhaust = airflow.partition("-to-")
    if not sep or intake not in _INTAKE_EXHAUST or exhaust not in _INTAKE_EXHAUST:
        return None  # passive, mixed or unknown
    if face == "rear":
        intake, exhaust = _FLIP.get(intake, intake), _FLIP.get(exhaust, exhaust)
    return intake, exhaust


@rule(
    "RV-AIR-004",
    "airflow-direction",
    per_scenario=False,
    needs=[Need("device", "airflow", when=_not_liquid_only)],
)
def airflow_direction(design: Design, solution: Solution) -> Iterator[Finding]:
    """A device blows its exhaust toward the rack front or draws air from the rear.

    What it checks: for each device that moves air, its NetBox ``airflow`` turned by
    its mounting face (``face: rear`` swaps front and rear) against the rack's
    front-to-rear flow: an exhaust toward the rack front (``rear-to-front`` mounted at
    the front, ``front-to-rear`` mounted at the rear) or an intake from the rack rear
    (``rear-to-side`` at the front) fails. Side, top and bottom openings pass;
    ``passive`` and ``mixed`` devices are not judged.
    Why it matters: the cold aisle is in front of the rack and the hot aisle behind it;
    a reversed switch blows hot air into the cold aisle and breathes the hot aisle's
    exhaust, so it and its neighbours run hot.
    Limit: the part's NetBox ``airflow`` (catalog) and the device's ``face`` (design).
    Fails: a switch with ``airflow: rear-to-front`` (port-side intake) mounted at the
    front.
    Passes: the same switch mounted ``face: rear``; a DGX H100 (front-to-rear) at the
    front.
    """
    for device in design.devices:
        airflow = device.part.airflow
        if airflow is None or not moves_air(device):
            continue
        sides = _directions(airflow, device.face)
        if sides is None:
            continue
        intake, exhaust = sides
        if exhaust == "front" or intake == "rear":
            what = (
                "exhausts toward the rack front"
                if exhaust == "front"
                else "draws air from the rack rear"
            )
            yield Finding.at(
                device,
                f"'{device.part.slug}' ({airflow}) mounted at the {device.face} {what} "
                "(the rack breathes front to rear)",
            )


@rule(
    "RV-AIR-005",
    "airflow-demand",
    domain="air",
    relevant=_has_airflow,
    needs=[
        Need("device", "cooling.air_delta_t", when=_derived_airflow),
        Need("device", "cooling.liquid_fraction", when=_derived_airflow),
    ],
)
def airflow_demand(design: Design, solution: Solution) -> Iterator[Finding]:
    """The devices need more air than the running air units supply.

    What it checks: the sum of every device's airflow — as its datasheet states it, or
    else V̇ = P_air/(ρ c_p ΔT) from its stated air temperature rise, with ρ, c_p at the
    supply temperature and site pressure — against ``site.air.airflow`` of the air
    units still running (``air-unit-lost`` leaves (n − 1)/n of it). Airflows that
    cannot be known count as zero (a certain lower bound).
    Why it matters: when the devices draw more air than the units supply, the
    shortfall is made up by exhaust drawn back to the inlets (recirculation), whatever
    the heat capacity of the units.
    Limit: ``site.air.airflow`` and ``site.air.units`` (design).
    Fails: 8 DGX H100 (8 × 1,105 CFM = 4.17 m³/s) with 4 units supplying 5 m³/s in
    total, one lost (3.75 m³/s).
    Passes: the same racks with 6 m³/s from 4 units (4.5 m³/s with one lost).
    """
    air, sol = design.site.air, solution.air
    if air is None or sol is None or sol.supplied_airflow is None:
        return
    required, exact = sol.required_airflow
    if required > sol.supplied_airflow:
        amount = f"{required:.3g} m³/s" if exact else f"at least {required:.3g} m³/s"
        cfm = m3s_to_cfm(required)
        yield Finding.at(
            air,
            f"devices need {amount} ({cfm:,.0f} CFM) of air > {sol.supplied_airflow:.3g} m³/s "
            f"supplied by {_units_text(sol.units, sol.live_units)}",
            value=required,
            limit=sol.supplied_airflow,
        )
