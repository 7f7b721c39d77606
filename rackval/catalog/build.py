"""Raw part data (a parsed YAML mapping) -> :class:`~rackval.design.parts.Part` in SI.

:func:`build_part` is used for the catalog's part files and for inline ``parts:`` in
designs, so it reads no files: the caller passes where the data came from (``origin``)
and a ``locate`` callable that maps a key path inside the part to (line, column).

Every problem is collected — schema errors (unknown keys with a "did you mean"),
unit errors, inconsistent figures — and raised together as
:class:`~rackval.errors.DesignErrors`.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import units
from ..design.parts import (
    CduSpec,
    Interface,
    Part,
    PartCoolant,
    PartCooling,
    PartPower,
    PduBank,
    PduSpec,
    PowerShelfSpec,
    RackSpec,
    RdhxSpec,
)
from ..errors import DesignError, DesignErrors, Location, UnitError
from .schema import KIND_BLOCKS, WEIGHT_UNITS, WIRING_LINES, Dim, PartFile

__all__ = ["build_part", "dotted", "Locator", "KeyPath"]

KeyPath = tuple[str | int, ...]
Locator = Callable[[KeyPath], tuple[int, int]]

_LENGTH_UNITS = {"mm": 1e-3, "in": 0.0254}
"""NetBox ``outer_unit`` values in metres (the inch is exactly 25.4 mm)."""

_NOT_DEVICES = ("pdu", "rack", "rack-system", "cdu", "rdhx")
"""Kinds whose NetBox power ports are not PSUs of a load (a PDU's input cord ...)."""


def dotted(path: Sequence[str | int], prefix: str = "") -> str:
    """Render a key path: ``rackval.power.max``, ``power-ports[2].type``.

    Examples
    --------
    >>> dotted(("rackval", "pdu", "banks", 0, "breaker"), "parts[apc-ap8888]")
    'parts[apc-ap8888].rackval.pdu.banks[0].breaker'
    """
    out = prefix
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else str(key)
    return out


class _Problems:
    """Collects (key path, message) pairs and turns them into DesignErrors."""

    def __init__(self, origin: str, locate: Locator | None, prefix: str) -> None:
        self.origin = origin
        self.locate = locate
        self.prefix = prefix
        self.items: list[tuple[KeyPath, str]] = []

    def add(self, path: KeyPath, message: str) -> None:
        self.items.append((tuple(path), message))

    def covers(self, path: KeyPath) -> bool:
        """True if a problem was already reported at `path` or one of its parents."""
        return any(path[: len(p)] == p for p, _ in self.items)

    def where(self, path: KeyPath) -> Location:
        if self.locate is None:
            return Location(self.origin)
        line, column = self.locate(path)
        return Location(self.origin, line, column)

    def errors(self) -> list[DesignError]:
        return [
            DesignError(message, location=self.where(path), path=dotted(path, self.prefix))
            for path, message in self.items
        ]


# -- schema traversal -----------------------------------------------------------------
def _strip(annotation: Any) -> tuple[Any, list[Any]]:
    """Split ``Annotated[T, m...]`` into (T, [m...]); unwrap nested Annotated."""
    metadata: list[Any] = []
    while typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        annotation, metadata = args[0], [*metadata, *args[1:]]
    return annotation, metadata


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _dimension(metadata: list[Any]) -> str | None:
    for item in metadata:
        if isinstance(item, Dim):
            return item.dimension
    return None


def _field_key(name: str, field: Any) -> str:
    return field.alias or name


def _child(annotation: Any, key: str | int) -> Any:
    """The annotation one step below `annotation` along `key` (None if unknown)."""
    annotation, _ = _strip(annotation)
    if _is_union(annotation):
        for arg in typing.get_args(annotation):
            found = _child(arg, key)
            if found is not None:
                return found
        return None
    if _is_model(annotation) and isinstance(key, str):
        for name, field in annotation.model_fields.items():
            if _field_key(name, field) == key:
                return (
                    typing.Annotated[(field.annotation, *field.metadata)]
                    if field.metadata
                    else (field.annotation)
                )
        return None
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and isinstance(key, int):
        return args[0]
    if origin is tuple and isinstance(key, int):
        if len(args) == 2 and args[1] is Ellipsis:
            return args[0]
        return args[key] if key < len(args) else None
    if origin is dict and isinstance(key, str):
        return args[1]
    return None


def _at(path: KeyPath) -> Any:
    annotation: Any = PartFile
    for key in path:
        annotation = _child(annotation, key)
        if annotation is None:
            return None
    return annotation


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    annotation, _ = _strip(annotation)
    if _is_model(annotation):
        return [annotation]
    if _is_union(annotation):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    return []


def _literals_in(annotation: Any) -> list[Any]:
    annotation, _ = _strip(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    if _is_union(annotation):
        return [v for arg in typing.get_args(annotation) for v in _literals_in(arg)]
    return []


def _did_you_mean(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _schema_problems(exc: ValidationError, problems: _Problems) -> None:
    for error in exc.errors(include_url=False):
        loc: KeyPath = tuple(error["loc"])
        kind = error["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1])
            known = [
                _field_key(name, field)
                for model in _models_in(_at(loc[:-1]))
                for name, field in model.model_fields.items()
            ]
            problems.add(loc, f"unknown key '{key}'{_did_you_mean(key, known)}")
        elif kind == "missing":
            problems.add(loc, f"missing required key '{loc[-1]}'")
        elif kind in ("literal_error", "enum"):
            options = _literals_in(_at(loc))
            given = error.get("input")
            hint = _did_you_mean(str(given), [str(o) for o in options]) if options else ""
            listed = ", ".join(repr(o) for o in options) if options else error["msg"]
            problems.add(loc, f"{given!r} is not one of {listed}{hint}")
        else:
            message = error["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            given = error.get("input")
            shown = repr(given) if not isinstance(given, (dict, list)) else type(given).__name__
            problems.add(loc, f"{message} (got {shown})")


# -- unit conversion -----------------------------------------------------------------
def _convert(
    annotation: Any, metadata: list[Any], raw: Any, path: KeyPath, problems: _Problems
) -> Any:
    """Walk `raw` along the schema; quantities become SI floats, the rest is kept."""
    annotation, more = _strip(annotation)
    metadata = [*metadata, *more]
    dimension = _dimension(metadata)
    if dimension is not None:
        if raw is None:
            return None
        try:
            value = units.parse(raw, dimension)
        except UnitError as exc:
            if not problems.covers(path):
                problems.add(path, exc.message)
            return None
        if dimension == "fraction" and value > 1.0:
            problems.add(path, f"expected a fraction in 0..1 (or 0–100 %), got {raw!r}")
            return None
        return value
    if raw is None:
        return None
    if _is_union(annotation):
        for arg in typing.get_args(annotation):
            inner, _ = _strip(arg)
            if _is_model(inner) and isinstance(raw, Mapping):
                return _convert(arg, metadata, raw, path, problems)
            origin = typing.get_origin(inner)
            if origin in (list, tuple) and isinstance(raw, list):
                return _convert(arg, metadata, raw, path, problems)
            if origin is dict and isinstance(raw, Mapping):
                return _convert(arg, metadata, raw, path, problems)
        return raw
    if _is_model(annotation):
        if not isinstance(raw, Mapping):
            return raw
        out: dict[str, Any] = dict(raw)
        for name, field in annotation.model_fields.items():
            key = _field_key(name, field)
            if key in raw:
                out[key] = _convert(
                    field.annotation, list(field.metadata), raw[key], (*path, key), problems
                )
        return out
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and isinstance(raw, list):
        return [_convert(args[0], [], item, (*path, i), problems) for i, item in enumerate(raw)]
    if origin is tuple and isinstance(raw, list):
        if len(args) == 2 and args[1] is Ellipsis:
            args = (args[0],) * len(raw)
        return [
            _convert(args[i], [], item, (*path, i), problems) if i < len(args) else item
            for i, item in enumerate(raw)
        ]
    if origin is dict and isinstance(raw, Mapping):
        return {k: _convert(args[1], [], v, (*path, k), problems) for k, v in raw.items()}
    return raw


# -- building the Part ---------------------------------------------------------------
def _counts(items: list[Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        kind = item.get("type") if isinstance(item, Mapping) else None
        if kind:
            out[str(kind)] = out.get(str(kind), 0) + 1
    return out


def _build(data: Mapping[str, Any], problems: _Problems, origin: str, line: int) -> Part | None:
    rv: Mapping[str, Any] = data["rackval"]
    kind: str = rv["kind"]
    R: KeyPath = ("rackval",)

    for block, kinds in KIND_BLOCKS.items():
        if rv.get(block) is not None and kind not in kinds:
            problems.add(
                (*R, block),
                f"a {block}: block is only for kind {' or '.join(kinds)} (this part is a {kind})",
            )

    mass = None
    if data.get("weight") is not None:
        if data.get("weight_unit") is None:
            problems.add(("weight",), "weight needs a weight_unit (kg, g, lb or oz)")
        else:
            mass = float(data["weight"]) * WEIGHT_UNITS[data["weight_unit"]]
    elif data.get("weight_unit") is not None:
        problems.add(("weight_unit",), "weight_unit is given without a weight")

    u_height = float(data.get("u_height") or 0.0)
    ports = list(data.get("power-ports") or [])
    device_like = kind not in _NOT_DEVICES

    # power
    pw = rv.get("power") or {}
    psus = pw.get("psus")
    if device_like and ports:
        if psus is None:
            psus = len(ports)
        elif psus != len(ports):
            problems.add(
                (*R, "power", "psus"),
                f"power.psus is {psus} but the part lists {len(ports)} power-ports",
            )
    if psus is not None and pw.get("psus_required") is not None and pw["psus_required"] > psus:
        problems.add(
            (*R, "power", "psus_required"),
            f"psus_required ({pw['psus_required']}) is more than psus ({psus})",
        )
    minimum = pw.get("psus_minimum")
    if (
        minimum is not None
        and pw.get("psus_required") is not None
        and minimum > pw["psus_required"]
    ):
        problems.add(
            (*R, "power", "psus_minimum"),
            f"psus_minimum ({minimum}) is more than psus_required ({pw['psus_required']})",
        )
    if pw.get("max") is not None and pw.get("typical") is not None and pw["typical"] > pw["max"]:
        problems.add((*R, "power", "typical"), "typical power is above max power")
    voltage = pw.get("input_voltage")
    input_voltage = None
    if voltage is not None:
        if len(voltage) != 2 or None in voltage:
            problems.add((*R, "power", "input_voltage"), "input_voltage needs [min, max]")
        elif voltage[0] > voltage[1]:
            problems.add((*R, "power", "input_voltage"), "input_voltage min is above max")
        else:
            input_voltage = (voltage[0], voltage[1])
    inlet = pw.get("inlet")
    if inlet is None and device_like and ports:
        types_ = {p.get("type") for p in ports}
        if len(types_) == 1 and None not in types_:
            inlet = types_.pop()
    power = PartPower(
        max=pw.get("max"),
        typical=pw.get("typical"),
        power_factor=pw.get("power_factor"),
        psus=psus,
        psu_rating=pw.get("psu_rating"),
        psus_required=pw.get("psus_required"),
        psus_minimum=minimum,
        input_voltage=input_voltage,
        inlet=inlet,
        feed=pw.get("feed", "outlet"),
    )

    # air and liquid
    co = rv.get("cooling") or {}
    coolant_raw = rv.get("coolant")
    if "liquid_fraction" in co:
        liquid = co["liquid_fraction"]
    else:
        liquid = None if coolant_raw is not None else 0.0
    if co.get("min_inlet_air") is not None and co.get("max_inlet_air") is not None:
        if co["min_inlet_air"] > co["max_inlet_air"]:
            problems.add((*R, "cooling", "min_inlet_air"), "min_inlet_air is above max_inlet_air")
    cooling = PartCooling(
        max_inlet_air=co.get("max_inlet_air"),
        min_inlet_air=co.get("min_inlet_air"),
        airflow=co.get("airflow"),
        air_delta_t=co.get("air_delta_t"),
        liquid_fraction=liquid,
    )
    coolant = None
    if coolant_raw is not None:
        drop = coolant_raw.get("pressure_drop") or {}
        coolant = PartCoolant(
            min_flow=coolant_raw.get("min_flow"),
            max_supply=coolant_raw.get("max_supply"),
            pressure_drop_flow=drop.get("at"),
            pressure_drop=drop.get("dp"),
            thermal_resistance=coolant_raw.get("thermal_resistance"),
            hottest_chip_power=coolant_raw.get("hottest_chip_power"),
            max_case=coolant_raw.get("max_case"),
            volume=coolant_raw.get("volume"),
            fluids=tuple(coolant_raw.get("fluids") or ()),
        )

    pdu = _pdu(rv, data, problems, u_height) if kind == "pdu" and rv.get("pdu") else None
    shelf = None
    if rv.get("power_shelf") is not None and kind == "power-shelf":
        ps = rv["power_shelf"]
        if ps.get("psus_required") is not None and ps["psus_required"] > ps["psus"]:
            problems.add(
                (*R, "power_shelf", "psus_required"),
                f"psus_required ({ps['psus_required']}) is more than psus ({ps['psus']})",
            )
        shelf = PowerShelfSpec(
            psus=ps["psus"],
            psu_rating=ps.get("psu_rating"),
            psus_required=ps.get("psus_required"),
            output_voltage=ps.get("output_voltage"),
            busbar_rating=ps.get("busbar_rating"),
        )
    rack = _rack(rv, data, u_height) if kind in ("rack", "rack-system") else None
    cdu = None
    if rv.get("cdu") is not None and kind == "cdu":
        c = rv["cdu"]
        cdu = CduSpec(
            rated_heat=c.get("rated_heat"),
            approach=c.get("approach"),
            secondary_flow=c.get("secondary_flow"),
            primary_flow=c.get("primary_flow"),
            pumps=c.get("pumps"),
            pump_curve=tuple((q, p) for q, p in (c.get("pump_curve") or ())),
            max_pressure=c.get("max_pressure"),
            reservoir=c.get("reservoir"),
            mounting=c.get("mounting", "in-row"),
        )
    rdhx = None
    if rv.get("rdhx") is not None and kind == "rdhx":
        d = rv["rdhx"]
        rdhx = RdhxSpec(
            capacity=d.get("capacity"),
            min_water_temperature=d.get("min_water_temperature"),
            active=bool(d.get("active", False)),
        )

    interfaces = tuple(
        Interface(
            name=str(i["name"]), type=str(i["type"]), mgmt_only=bool(i.get("mgmt_only", False))
        )
        for i in data.get("interfaces") or ()
    )
    if problems.items:
        return None
    return Part(
        slug=data["slug"],
        manufacturer=data["manufacturer"],
        model=data["model"],
        kind=kind,
        source=rv["source"],
        u_height=u_height,
        is_full_depth=data.get("is_full_depth", True) is not False,
        airflow=data.get("airflow"),
        mass=mass,
        depth=rv.get("depth"),
        confidence=rv.get("confidence", "primary"),
        power=power,
        cooling=cooling,
        coolant=coolant,
        pdu=pdu,
        power_shelf=shelf,
        rack=rack,
        cdu=cdu,
        rdhx=rdhx,
        interfaces=interfaces,
        provenance=dict(rv.get("provenance") or {}),
        file=origin,
        line=line,
    )


def _pdu(
    rv: Mapping[str, Any], data: Mapping[str, Any], problems: _Problems, u_height: float
) -> PduSpec:
    p = rv["pdu"]
    P: KeyPath = ("rackval", "pdu")
    wiring, phases = p["wiring"], p["phases"]
    if (wiring == "single") != (phases == 1):
        problems.add(
            (*P, "wiring"),
            f"wiring '{wiring}' does not fit phases {phases} "
            "(single for 1 phase; wye or delta for 3 phases)",
        )
    listed = _counts(list(data.get("power-outlets") or []))
    outlets = p.get("outlets")
    if outlets is None:
        outlets = listed
    elif listed and dict(outlets) != listed:
        problems.add(
            (*P, "outlets"),
            f"outlets {dict(outlets)} disagree with the power-outlets list {listed}",
        )
    lines = WIRING_LINES.get(wiring, ())
    banks = []
    summed: dict[str, int] = {}
    complete = True
    for i, bank in enumerate(p.get("banks") or ()):
        if bank["line"] not in lines:
            problems.add(
                (*P, "banks", i, "line"),
                f"line '{bank['line']}' is not valid for {wiring} wiring; use {', '.join(lines)}",
            )
        if not bank.get("outlets"):
            complete = False
        for kind, n in (bank.get("outlets") or {}).items():
            summed[kind] = summed.get(kind, 0) + n
        banks.append(
            PduBank(
                name=str(bank["name"]),
                line=bank["line"],
                breaker=bank.get("breaker"),
                outlets=dict(bank.get("outlets") or {}),
            )
        )
    if banks and complete and summed != dict(outlets):
        problems.add((*P, "banks"), f"bank outlets add up to {summed}, the PDU has {dict(outlets)}")
    mounting = p.get("mounting") or ("zero-u" if u_height == 0 else "rack")
    return PduSpec(
        voltage=p["voltage"],
        phases=phases,
        wiring=wiring,
        current=p.get("current"),
        mounting=mounting,
        outlets=dict(outlets),
        banks=tuple(banks),
    )


def _netbox_length(data: Mapping[str, Any], key: str) -> float | None:
    value, unit = data.get(key), data.get("outer_unit")
    if value is None or unit is None:
        return None
    return float(value) * _LENGTH_UNITS[unit]


def _rack(rv: Mapping[str, Any], data: Mapping[str, Any], u_height: float) -> RackSpec:
    r = rv.get("rack") or {}
    mounting = r.get("mounting_depth")
    if mounting is None and data.get("mounting_depth") is not None:
        mounting = float(data["mounting_depth"]) * 1e-3  # NetBox: always millimetres

    def pick(key: str) -> float | None:
        return r[key] if r.get(key) is not None else _netbox_length(data, key)

    return RackSpec(
        u_height=int(u_height) or None,
        outer_width=pick("outer_width"),
        outer_depth=pick("outer_depth"),
        outer_height=pick("outer_height"),
        mounting_depth=mounting,
        static_load=r.get("static_load"),
        dynamic_load=r.get("dynamic_load"),
        zero_u_slots=r.get("zero_u_slots"),
        busbar_voltage=r.get("busbar_voltage"),
        busbar_rating=r.get("busbar_rating"),
    )


def build_part(
    raw: Mapping[str, Any],
    *,
    origin: str,
    locate: Locator | None = None,
    path_prefix: str = "",
) -> Part:
    """Validate one part's raw data and convert it to SI.

    Parameters
    ----------
    raw : Mapping
        The part as parsed from YAML: NetBox keys plus the ``rackval:`` block.
    origin : str
        Where it came from (a file path); becomes ``Location.file`` and ``Part.file``.
    locate : callable, optional
        ``locate(key_path) -> (line, column)`` for a key path inside `raw`, e.g.
        ``("rackval", "power", "max")``; for a path that does not exist it should
        return the nearest existing parent. Without it errors carry the file only.
    path_prefix : str, optional
        Logical path of the part, prefixed to every error's field path
        (``"parts[nvidia-dgx-b200]"``).

    Returns
    -------
    Part
        Every figure in SI (W, m, kg, K, Pa, m³/s ...); a figure the file does not
        give is ``None``.

    Raises
    ------
    DesignErrors
        Every problem found (unknown keys with suggestions, wrong units,
        inconsistent figures), each with its location and field path.
    """
    problems = _Problems(origin, locate, path_prefix)
    if not isinstance(raw, Mapping):
        problems.add((), f"a part must be a mapping of keys, got {type(raw).__name__}")
        raise DesignErrors(problems.errors())
    try:
        PartFile.model_validate(dict(raw))
    except ValidationError as exc:
        _schema_problems(exc, problems)
    data = _convert(PartFile, [], raw, (), problems)
    if problems.items:
        raise DesignErrors(problems.errors())
    line = locate(())[0] if locate is not None else 0
    part = _build(data, problems, origin, line)
    if part is None:
        raise DesignErrors(problems.errors())
    return part
