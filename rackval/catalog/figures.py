"""Which figures a part lacks: the catalog's "incomplete" marking.

The names are dotted paths on :class:`~rackval.design.parts.Part`, the same paths a
rule declares in ``Need(role, figure)`` (``"power.max"``, ``"rack.static_load"``), so
``rackval parts show`` and RV-CAT-001 speak about the same figures.
"""

from __future__ import annotations

from ..design.parts import Part

__all__ = ["missing_figures", "DEVICE_KINDS"]

DEVICE_KINDS = ("gpu-node", "cpu-node", "compute-tray", "storage", "switch", "other")
"""Kinds that draw power and give off heat as rack devices."""

_COOLANT = (
    "min_flow",
    "max_supply",
    "pressure_drop",
    "thermal_resistance",
    "hottest_chip_power",
    "max_case",
    "volume",
)


def _none(obj: object, prefix: str, names: tuple[str, ...]) -> list[str]:
    return [f"{prefix}.{name}" for name in names if getattr(obj, name) is None]


def _device(part: Part) -> list[str]:
    missing: list[str] = []
    if part.u_height == 0 and part.kind != "other":
        missing.append("u_height")
    missing += [name for name in ("mass", "depth") if getattr(part, name) is None]
    power = part.power
    missing += _none(power, "power", ("max",))
    if power.feed == "outlet":
        missing += _none(power, "power", ("psus", "psus_required", "input_voltage", "inlet"))
    cooling = part.cooling
    missing += _none(cooling, "cooling", ("max_inlet_air",))
    if cooling.airflow is None and cooling.air_delta_t is None:
        missing.append("cooling.airflow")
    missing += _none(cooling, "cooling", ("liquid_fraction",))
    if part.coolant is not None:
        missing += _none(part.coolant, "coolant", _COOLANT)
        if not part.coolant.fluids:
            missing.append("coolant.fluids")
    return missing


def _pdu(part: Part) -> list[str]:
    missing = [] if part.mass is not None else ["mass"]
    pdu = part.pdu
    if pdu is None:
        return [*missing, "pdu"]
    missing += _none(pdu, "pdu", ("current",))
    if not pdu.outlets:
        missing.append("pdu.outlets")
    if not pdu.banks:
        missing.append("pdu.banks")
    else:
        if any(bank.breaker is None for bank in pdu.banks):
            missing.append("pdu.banks.breaker")
        if any(not bank.outlets for bank in pdu.banks):
            missing.append("pdu.banks.outlets")
    return missing


def _shelf(part: Part) -> list[str]:
    missing = [] if part.u_height else ["u_height"]
    missing += [] if part.mass is not None else ["mass"]
    if part.power_shelf is None:
        return [*missing, "power_shelf"]
    return missing + _none(
        part.power_shelf,
        "power_shelf",
        ("psu_rating", "psus_required", "output_voltage", "busbar_rating"),
    )


def _rack(part: Part) -> list[str]:
    missing = [] if part.mass is not None else ["mass"]
    rack = part.rack
    if rack is None:
        return [*missing, "rack"]
    if not rack.u_height:
        missing.append("rack.u_height")
    names = ["outer_width", "outer_depth", "static_load", "dynamic_load", "zero_u_slots"]
    if part.kind == "rack":
        names.insert(2, "mounting_depth")
    else:
        names += ["busbar_voltage", "busbar_rating"]
    return missing + _none(rack, "rack", tuple(names))


def _cdu(part: Part) -> list[str]:
    if part.cdu is None:
        return ["cdu"]
    cdu = part.cdu
    missing = _none(
        cdu, "cdu", ("rated_heat", "approach", "secondary_flow", "primary_flow", "pumps")
    )
    if not cdu.pump_curve:
        missing.append("cdu.pump_curve")
    return missing + _none(cdu, "cdu", ("max_pressure", "reservoir"))


def _rdhx(part: Part) -> list[str]:
    if part.rdhx is None:
        return ["rdhx"]
    return _none(part.rdhx, "rdhx", ("capacity", "min_water_temperature"))


_BY_KIND = {
    "pdu": _pdu,
    "power-shelf": _shelf,
    "rack": _rack,
    "rack-system": _rack,
    "cdu": _cdu,
    "rdhx": _rdhx,
}


def missing_figures(part: Part) -> list[str]:
    """Name the figures the checks would need from `part` but the source does not give.

    Parameters
    ----------
    part : Part
        A catalog or inline part.

    Returns
    -------
    list of str
        Dotted figure paths on :class:`Part`, e.g. ``["power.max", "cooling.airflow"]``;
        empty when the part is complete for its kind. ``rack.u_height`` is listed when
        the enclosure's U count is 0 (no source gives it).
    """
    return _BY_KIND.get(part.kind, _device)(part)
