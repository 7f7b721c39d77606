"""Cited limits from standards and guidelines (``standards.yaml``), in SI.

Every entry carries ``citation``, ``tag`` (P primary, S secondary, K well-known but not
retrieved, C computed) and ``verify`` (True for K entries: confirm against the standard
before a rule relies on it). A bound no source gives is ``None``.

>>> s = load_standards()
>>> round(s.air("A2").dry_bulb.max - 273.15, 2)
35.0
>>> s.continuous_load.fraction
0.8
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import units
from ..errors import CatalogError, UnitError

__all__ = [
    "STANDARDS_FILE",
    "Range",
    "AirEnvelope",
    "WaterClass",
    "ContinuousLoad",
    "ContinuousDuration",
    "OutletRating",
    "CoolantFlowGuide",
    "CondensationMargin",
    "Clearance",
    "WorkingSpace",
    "BendRadius",
    "Standards",
    "load_standards",
    "parse_standards",
]

STANDARDS_FILE = Path(__file__).parent / "standards.yaml"
TAGS = ("P", "S", "K", "C")


@dataclass(frozen=True)
class Range:
    """A closed range; ``None`` = no bound given by the source."""

    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class _Cited:
    citation: str
    tag: str
    verify: bool
    note: str


@dataclass(frozen=True)
class AirEnvelope(_Cited):
    """An ASHRAE air-cooled equipment envelope: temperatures in K, humidity as 0..1."""

    ashrae_class: str
    envelope: str  # "allowable" | "recommended"
    edition: str
    dry_bulb: Range | None = None  # [K]
    dew_point: Range | None = None  # [K]
    relative_humidity: Range | None = None  # [1]


@dataclass(frozen=True)
class WaterClass(_Cited):
    """An ASHRAE facility-water class: the supply temperature range [K]."""

    name: str
    edition: str
    supply: Range


@dataclass(frozen=True)
class ContinuousLoad(_Cited):
    """Continuous load as a share of a breaker's rating (NEC 210.20(A): 1/1.25)."""

    fraction: float  # [1]
    derivation: str


@dataclass(frozen=True)
class ContinuousDuration(_Cited):
    """How long a load must last to count as continuous."""

    duration: float  # [s]


@dataclass(frozen=True)
class OutletRating(_Cited):
    """Current rating of an outlet type under IEC and UL rules."""

    type: str
    iec: float  # [A]
    ul: float  # [A]


@dataclass(frozen=True)
class CoolantFlowGuide(_Cited):
    """Cold-plate loop flow sizing per unit of heat."""

    flow_per_watt: float  # [m³/(s·W)]
    range_per_watt: Range  # [m³/(s·W)]
    max_delta_t: float  # [K]
    fluid: str


@dataclass(frozen=True)
class CondensationMargin(_Cited):
    """Water temperature margin above the room dew point."""

    margin: float  # [K]


@dataclass(frozen=True)
class Clearance(_Cited):
    """A service clearance or aisle width."""

    name: str
    min: float  # [m]
    preferred: float | None = None  # [m]


@dataclass(frozen=True)
class WorkingSpace(_Cited):
    """NEC 110.26(A)(1) working-space depth up to a voltage to ground, by condition 1..3."""

    max_voltage_to_ground: float  # [V]
    depth: tuple[float, float, float]  # [m] for conditions 1, 2, 3


@dataclass(frozen=True)
class BendRadius(_Cited):
    """Minimum bend radius of a cable type: a multiple of its outside diameter and/or a floor."""

    cable: str
    od_multiple: float | None = None  # [1] radius / outside diameter
    od_multiple_under_tension: float | None = None  # [1] while pulled
    min_radius: float | None = None  # [m] absolute floor

    def radius(self, outside_diameter: float, *, under_tension: bool = False) -> float | None:
        """The minimum radius [m] for a cable of `outside_diameter` [m]; None if not sourced.

        >>> BendRadius("c", "S", False, "", "fibre-cable", 10, 20, 0.03).radius(0.002)
        0.03
        """
        multiple = self.od_multiple_under_tension if under_tension else self.od_multiple
        candidates = [self.min_radius] if self.min_radius is not None else []
        if multiple is not None:
            candidates.append(multiple * outside_diameter)
        return max(candidates) if candidates else None


@dataclass(frozen=True)
class Standards:
    """All tables of ``standards.yaml``."""

    air_envelopes: tuple[AirEnvelope, ...]
    water_classes: tuple[WaterClass, ...]
    continuous_load: ContinuousLoad
    continuous_duration: ContinuousDuration
    outlets: Mapping[str, OutletRating]
    coolant_flow: CoolantFlowGuide
    condensation_margin: CondensationMargin
    clearances: Mapping[str, Clearance]
    working_space: tuple[WorkingSpace, ...]
    bend_radius: Mapping[str, BendRadius] = field(default_factory=dict)
    file: str = field(default=str(STANDARDS_FILE))

    def air(
        self, ashrae_class: str, envelope: str = "allowable", edition: str | None = None
    ) -> AirEnvelope | None:
        """The envelope of an ASHRAE class.

        With no `edition`, the first listed one: the 2011 table [P] for A1–A4, B, C and
        the 2021 figures for H1. Later partial updates (humidity) are separate entries.
        """
        for entry in self.air_envelopes:
            if entry.ashrae_class == ashrae_class and entry.envelope == envelope:
                if edition is None or entry.edition == edition:
                    return entry
        return None

    def air_classes(self) -> list[str]:
        """The ASHRAE air classes with an allowable envelope, in file order."""
        seen: dict[str, None] = {}
        for entry in self.air_envelopes:
            if entry.envelope == "allowable":
                seen.setdefault(entry.ashrae_class, None)
        return list(seen)

    def water(self, name: str) -> WaterClass | None:
        """A facility-water class by name (``W32``, ``W3``, ``W+``)."""
        for entry in self.water_classes:
            if entry.name == name:
                return entry
        return None

    def entries(self) -> Iterator[tuple[str, _Cited]]:
        """Every cited entry with a label, e.g. ``("air A1 allowable 2011", entry)``."""
        for a in self.air_envelopes:
            yield f"air {a.ashrae_class} {a.envelope} {a.edition}", a
        for w in self.water_classes:
            yield f"water {w.name} {w.edition}", w
        yield "electrical continuous_load", self.continuous_load
        yield "electrical continuous_duration", self.continuous_duration
        for name, o in self.outlets.items():
            yield f"outlet {name}", o
        yield "liquid coolant_flow", self.coolant_flow
        yield "liquid condensation_margin", self.condensation_margin
        for name, c in self.clearances.items():
            yield f"clearance {name}", c
        for ws in self.working_space:
            yield f"working_space ≤ {ws.max_voltage_to_ground:g} V", ws
        for name, b in self.bend_radius.items():
            yield f"bend_radius {name}", b


class _Reader:
    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, message: str) -> CatalogError:
        return CatalogError(f"{self.origin}: {where}: {message}")

    def cited(self, entry: Mapping[str, Any], where: str) -> dict[str, Any]:
        citation, tag = entry.get("citation"), entry.get("tag")
        if not isinstance(citation, str) or not citation.strip():
            raise self.fail(where, "entry has no citation")
        if tag not in TAGS:
            raise self.fail(where, f"tag must be one of {', '.join(TAGS)}, got {tag!r}")
        verify = bool(entry.get("verify", tag == "K"))
        if tag == "K" and not verify:
            raise self.fail(where, "a [K] entry must say verify: true")
        return {"citation": citation, "tag": tag, "verify": verify, "note": entry.get("note", "")}

    def q(self, value: Any, dimension: str, where: str) -> float:
        try:
            return units.parse(value, dimension, nonnegative=False)
        except UnitError as exc:
            raise self.fail(where, exc.message) from None

    def multiple(self, value: Any, where: str) -> float:
        """A positive plain number (a ratio such as 10 × the outside diameter)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise self.fail(where, f"expected a positive number, got {value!r}")
        return float(value)

    def range(self, value: Any, dimension: str, where: str) -> Range | None:
        if value is None:
            return None
        if not isinstance(value, list) or len(value) != 2:
            raise self.fail(where, "a range is [min, max] (null for no bound)")
        lo, hi = (None if v is None else self.q(v, dimension, where) for v in value)
        if lo is not None and hi is not None and lo > hi:
            raise self.fail(where, "range min is above max")
        return Range(lo, hi)


def parse_standards(data: Mapping[str, Any], origin: str = str(STANDARDS_FILE)) -> Standards:
    """Build :class:`Standards` from the parsed YAML of ``standards.yaml``.

    Raises
    ------
    CatalogError
        An entry without citation or tag, a bad unit or a malformed range.
    """
    r = _Reader(origin)
    air = []
    for i, e in enumerate(data.get("ashrae_air") or ()):
        where = f"ashrae_air[{i}] ({e.get('class')})"
        air.append(
            AirEnvelope(
                **r.cited(e, where),
                ashrae_class=str(e["class"]),
                envelope=str(e["envelope"]),
                edition=str(e["edition"]),
                dry_bulb=r.range(e.get("dry_bulb"), "temperature", where),
                dew_point=r.range(e.get("dew_point"), "temperature", where),
                relative_humidity=r.range(e.get("relative_humidity"), "fraction", where),
            )
        )
    water = []
    for i, e in enumerate(data.get("water_classes") or ()):
        where = f"water_classes[{i}] ({e.get('class')})"
        supply = r.range(e.get("supply"), "temperature", where) or Range()
        water.append(
            WaterClass(
                **r.cited(e, where), name=str(e["class"]), edition=str(e["edition"]), supply=supply
            )
        )
    el = data["electrical"]
    cl = el["continuous_load"]
    cd = el["continuous_duration"]
    outlets = {
        str(o["type"]): OutletRating(
            **r.cited(o, f"outlets ({o.get('type')})"),
            type=str(o["type"]),
            iec=r.q(o["iec"], "current", "outlets"),
            ul=r.q(o["ul"], "current", "outlets"),
        )
        for o in el["outlets"]
    }
    liq = data["liquid"]
    cf = liq["coolant_flow"]
    per_kw = 1e-3  # a flow "per kW" is read as a flow, then divided by 1000 W
    lo, hi = (r.q(v, "volume_flow", "coolant_flow") * per_kw for v in cf["range_per_kw"])
    cm = liq["condensation_margin"]
    lay = data["layout"]
    clearances = {
        str(c["name"]): Clearance(
            **r.cited(c, f"clearances ({c.get('name')})"),
            name=str(c["name"]),
            min=r.q(c["min"], "length", "clearances"),
            preferred=None if c.get("preferred") is None else r.q(c["preferred"], "length", "x"),
        )
        for c in lay["clearances"]
    }
    working = tuple(
        WorkingSpace(
            **r.cited(w, f"working_space[{i}]"),
            max_voltage_to_ground=r.q(w["max_voltage_to_ground"], "voltage", "working_space"),
            depth=tuple(r.q(d, "length", "working_space") for d in w["depth"]),  # type: ignore[arg-type]
        )
        for i, w in enumerate(lay["working_space"])
    )
    bend = {}
    for i, b in enumerate((data.get("cabling") or {}).get("bend_radius") or ()):
        where = f"cabling.bend_radius[{i}] ({b.get('cable')})"
        multiples = {
            key: None if b.get(key) is None else r.multiple(b[key], f"{where}.{key}")
            for key in ("od_multiple", "od_multiple_under_tension")
        }
        floor = None if b.get("min_radius") is None else r.q(b["min_radius"], "length", where)
        if floor is None and multiples["od_multiple"] is None:
            raise r.fail(where, "a bend radius needs od_multiple or min_radius")
        bend[str(b["cable"])] = BendRadius(
            **r.cited(b, where), cable=str(b["cable"]), min_radius=floor, **multiples
        )
    return Standards(
        air_envelopes=tuple(air),
        water_classes=tuple(water),
        continuous_load=ContinuousLoad(
            **r.cited(cl, "continuous_load"),
            fraction=r.q(cl["fraction"], "fraction", "continuous_load"),
            derivation=str(cl["derivation"]),
        ),
        continuous_duration=ContinuousDuration(
            **r.cited(cd, "continuous_duration"),
            duration=r.q(cd["duration"], "time", "continuous_duration"),
        ),
        outlets=outlets,
        coolant_flow=CoolantFlowGuide(
            **r.cited(cf, "coolant_flow"),
            flow_per_watt=r.q(cf["flow_per_kw"], "volume_flow", "coolant_flow") * per_kw,
            range_per_watt=Range(lo, hi),
            max_delta_t=r.q(cf["max_delta_t"], "temperature_difference", "coolant_flow"),
            fluid=str(cf["fluid"]),
        ),
        condensation_margin=CondensationMargin(
            **r.cited(cm, "condensation_margin"),
            margin=r.q(cm["margin"], "temperature_difference", "condensation_margin"),
        ),
        clearances=clearances,
        working_space=working,
        bend_radius=bend,
        file=origin,
    )


@functools.cache
def load_standards() -> Standards:
    """The shipped standards tables (read once per process).

    Raises
    ------
    CatalogError
        ``standards.yaml`` is invalid (a test keeps it valid).
    """
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=True).load(STANDARDS_FILE.read_text(encoding="utf-8"))
    return parse_standards(data)
