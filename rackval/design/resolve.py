"""Validated design data -> :class:`~rackval.design.model.Design` in SI.

Checks the schema (unknown keys with "did you mean"), converts every unit text to an
SI float, looks parts up (catalog + inline ``parts:``), expands ``count``, and checks
ids and references. Every problem is collected with its file, line, column and field
path, and raised together as :class:`~rackval.errors.DesignErrors`.
"""

from __future__ import annotations

import difflib
import fnmatch
import math
import re
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import units
from ..catalog import Catalog, build_part, load_catalog
from ..errors import DesignError, DesignErrors, Location, UnitError
from . import schema as s
from .load import FieldPath, LoadedDesign, load_files
from .model import (
    AirSite,
    Design,
    Device,
    FabricSpec,
    Feed,
    Hall,
    Link,
    LinkEnd,
    Loop,
    LoopCdu,
    Network,
    Obstacle,
    Pipe,
    Piping,
    PowerPlan,
    Rack,
    RackPdu,
    Site,
    Upstream,
    Waiver,
)
from .parts import Part

__all__ = ["load_design", "resolve", "expand_ids"]

RACK_KINDS = ("rack", "rack-system")


def load_design(path: str | Path, catalog: Catalog | None = None) -> Design:
    """Load, check and resolve a design file.

    Raises
    ------
    DesignError, DesignErrors
        Everything wrong with the file, each with file:line:column and field path.
    """
    loaded = load_files(Path(path))
    return resolve(loaded, catalog if catalog is not None else load_catalog())


def dotted(path: Iterable[str | int]) -> str:
    """Render a raw field path: ``racks[0].devices[2].u``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_at(model: type[BaseModel], loc: FieldPath) -> type[BaseModel] | None:
    """The pydantic model class that holds the last element of ``loc``."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


_PYDANTIC_HINTS = {
    "missing": "this field is required",
    "literal_error": None,
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "string_type": "expected text",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping of fields",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "greater_than_equal": None,
    "string_pattern_mismatch": "ids use letters, digits and - _ . :",
}


def _data_path(data: Any, loc: tuple[str | int, ...]) -> FieldPath:
    """The part of a pydantic error location that names fields of the input.

    Union members add their type names to the location (``str``, ``float``,
    ``tuple[...]``); they are dropped by following the location through the data.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in node:
            # a missing field is named in the location but absent from the data
            if part.isidentifier() and "[" not in part and part not in _UNION_TAGS:
                path.append(part)
                node = None
    return tuple(path)


_UNION_TAGS = {"str", "int", "float", "bool", "list", "dict", "tuple", "none"}


def _schema_errors(exc: ValidationError, loaded: LoadedDesign) -> list[DesignError]:
    errors: list[DesignError] = []
    seen: set[tuple[FieldPath, str]] = set()
    for err in exc.errors():
        loc = _data_path(loaded.data, err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden" and loc:
            key = str(loc[-1])
            holder = _model_at(s.DesignSchema, loc)
            allowed = _field_names(holder) if holder else []
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            options = f" (allowed: {', '.join(sorted(allowed))})" if allowed and not close else ""
            message = f"unknown key '{key}'{hint}{options}"
        elif kind == "missing" and loc:
            message = f"'{loc[-1]}' is required here"
            loc_for_place = loc[:-1]
            if (loc_for_place, message) in seen:
                continue
            seen.add((loc_for_place, message))
            errors.append(
                DesignError(message, location=loaded.locate(loc_for_place), path=dotted(loc))
            )
            continue
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            message = f"got {err['input']!r}; expected one of {expected}"
        else:
            hint = _PYDANTIC_HINTS.get(kind)
            message = f"{hint}, got {err['input']!r}" if hint else err["msg"]
        key = (loc, message)
        if key in seen:
            continue
        seen.add(key)
        errors.append(DesignError(message, location=loaded.locate(loc), path=dotted(loc)))
    return errors


class _Resolver:
    """Collects errors while converting one design."""

    def __init__(self, loaded: LoadedDesign, catalog: Catalog) -> None:
        self.loaded = loaded
        self.catalog = catalog
        self.errors: list[DesignError] = []
        self.inline: dict[str, Part] = {}
        self.ids: dict[str, tuple[str, Location]] = {}

    # -- helpers ------------------------------------------------------------------
    def where(self, raw: FieldPath) -> Location:
        return self.loaded.locate(raw)

    def error(self, message: str, raw: FieldPath, logical: str | None = None) -> None:
        self.errors.append(
            DesignError(message, location=self.where(raw), path=logical or dotted(raw))
        )

    def quantity(
        self,
        value: Any,
        dimension: str,
        raw: FieldPath,
        logical: str | None = None,
        *,
        allow_negative: bool = False,
    ) -> float | None:
        """SI value of a unit text, or None (error recorded) when it cannot be read.

        ``logical`` is the field's path in findings; by default the raw path (fields
        outside id-keyed lists have the same path in both).
        """
        if value is None:
            return None
        try:
            return units.parse(value, dimension, nonnegative=not allow_negative)
        except UnitError as exc:
            self.error(exc.message, raw, logical)
            return None

    def fraction(self, value: Any, raw: FieldPath, logical: str | None = None) -> float | None:
        result = self.quantity(value, "fraction", raw, logical)
        if result is not None and not 0.0 <= result <= 1.0:
            self.error(f"expected a fraction in 0..1 (or 0–100 %), got {value!r}", raw, logical)
            return None
        return result

    def claim_id(self, ident: str, raw: FieldPath, logical: str) -> None:
        if ident in self.ids:
            first_path, first_where = self.ids[ident]
            self.error(
                f"id '{ident}' is used twice (first as {first_path} at {first_where})", raw, logical
            )
        else:
            self.ids[ident] = (logical, self.where(raw))

    def part(
        self, slug: str, raw: FieldPath, logical: str, kinds: tuple[str, ...] = ()
    ) -> Part | None:
        found = self.inline.get(slug) or self.catalog.get(slug)
        if found is None:
            close = difflib.get_close_matches(slug, [*self.inline, *self.catalog.slugs()], n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            self.error(
                f"unknown part '{slug}'{hint} (search with: rackval parts {slug.split('-')[0]})",
                raw,
                logical,
            )
            return None
        if kinds and found.kind not in kinds:
            self.error(
                f"part '{slug}' is a {found.kind}; expected a {' or '.join(kinds)}", raw, logical
            )
            return None
        return found

    # -- sections -----------------------------------------------------------------
    def parts(self, raw_parts: list[dict[str, Any]]) -> None:
        for index, raw in enumerate(raw_parts):
            here: FieldPath = ("parts", index)
            slug = raw.get("slug") if isinstance(raw, dict) else None
            prefix = f"parts[{slug or index}]"
            try:
                part = build_part(
                    raw,
                    origin=str(self.where(here).file),
                    locate=lambda sub, here=here: _line_col(self.where((*here, *sub))),
                    path_prefix=prefix,
                )
            except DesignErrors as exc:
                self.errors += exc.errors
                continue
            except DesignError as exc:
                self.errors.append(exc)
                continue
            if part.slug in self.inline:
                self.error(f"part slug '{part.slug}' is defined twice", here, prefix)
            elif self.catalog.get(part.slug) is not None:
                self.error(
                    f"part slug '{part.slug}' is already in the catalog; give the inline part "
                    "its own slug",
                    here,
                    prefix,
                )
            else:
                self.inline[part.slug] = part

    def site(self, site: s.Site) -> Site:
        air = None
        if site.air is not None:
            a = site.air
            here: FieldPath = ("site", "air")
            air = AirSite(
                supply_temperature=self.quantity(
                    a.supply_temperature, "temperature", (*here, "supply_temperature")
                ),
                ashrae_class=a.ashrae_class,
                containment=a.containment,
                cooling_capacity=self.quantity(
                    a.cooling_capacity, "power", (*here, "cooling_capacity")
                ),
                redundancy=a.redundancy,
                units=a.units,
                recirculation=self.fraction(a.recirculation, (*here, "recirculation")),
                airflow=self.quantity(a.airflow, "volume_flow", (*here, "airflow")),
                recirculation_matrix=self.recirculation_matrix(a.recirculation_matrix),
                ashrae_edition=a.ashrae_edition,
                where=self.where(here),
            )
        water = site.facility_water
        if water is not None and water.class_ is not None:
            from ..catalog.standards import load_standards

            standards = load_standards()
            if standards.water(water.class_) is None:
                known = ", ".join(w.name for w in standards.water_classes)
                self.error(
                    f"unknown facility-water class '{water.class_}' (known: {known})",
                    ("site", "facility_water", "class"),
                )
        return Site(
            altitude=self.quantity(
                site.altitude, "length", ("site", "altitude"), allow_negative=True
            ),
            max_rack_power=self.quantity(site.max_rack_power, "power", ("site", "max_rack_power")),
            max_rack_power_where=self.where(("site", "max_rack_power")),
            air=air,
            facility_water_class=water.class_ if water else None,
            facility_water_supply=self.quantity(
                water.supply_temperature if water else None,
                "temperature",
                ("site", "facility_water", "supply_temperature"),
            ),
            floor_rated_load=self.quantity(
                site.floor.rated_load if site.floor else None,
                "area_load",
                ("site", "floor", "rated_load"),
            ),
            floor_rated_load_where=self.where(("site", "floor", "rated_load")),
            hall=self.hall(site.hall) if site.hall is not None else None,
        )

    def recirculation_matrix(
        self, matrix: dict[str, dict[str, Any]] | None
    ) -> dict[str, dict[str, float]] | None:
        """Fractions a_ij in SI; rack ids are checked once the racks are known."""
        if matrix is None:
            return None
        out: dict[str, dict[str, float]] = {}
        for source, row in matrix.items():
            raw: FieldPath = ("site", "air", "recirculation_matrix", source)
            out[source] = {}
            for target, value in row.items():
                share = self.fraction(value, (*raw, target))
                if share is not None:
                    out[source][target] = share
            total = sum(out[source].values())
            if total > 1.0:
                self.error(
                    f"rack '{source}' sends {total:.3g} of its exhaust to inlets; the shares "
                    "of one row must add up to at most 1",
                    raw,
                )
        return out

    def outline(self, points: list[tuple[Any, Any]], raw: FieldPath) -> tuple | None:
        """Plan points in metres, or None (error recorded) when they are not a polygon."""
        converted = []
        for k, (x, y) in enumerate(points):
            px = self.quantity(x, "length", (*raw, k, 0), allow_negative=True)
            py = self.quantity(y, "length", (*raw, k, 1), allow_negative=True)
            if px is None or py is None:
                return None
            converted.append((px, py))
        from ..layout.geometry import polygon_problem  # shapely only when a hall is given

        problem = polygon_problem(converted)
        if problem is not None:
            self.error(problem, raw)
            return None
        return tuple(converted)

    def hall(self, hall: s.Hall) -> Hall | None:
        here: FieldPath = ("site", "hall")
        outline = self.outline(hall.outline, (*here, "outline"))
        obstacles = []
        for i, obstacle in enumerate(hall.obstacles):
            raw: FieldPath = (*here, "obstacles", i)
            logical = f"site.hall.obstacles[{obstacle.id}]"
            self.claim_id(obstacle.id, raw, logical)
            points = self.outline(obstacle.outline, (*raw, "outline"))
            if points is not None:
                obstacles.append(Obstacle(obstacle.id, points, logical, self.where(raw)))
        if outline is None:
            return None
        return Hall(outline, tuple(obstacles), "site.hall", self.where(here))

    def power(self, power: s.Power) -> PowerPlan:
        upstream = []
        for i, u in enumerate(power.upstream):
            raw: FieldPath = ("power", "upstream", i)
            logical = f"power.upstream[{u.id}]"
            self.claim_id(u.id, raw, logical)
            capacity = self.quantity(u.capacity, "power", (*raw, "capacity"), f"{logical}.capacity")
            if capacity is not None:
                upstream.append(Upstream(u.id, capacity, logical, self.where(raw)))
        upstream_ids = {u.id for u in power.upstream}
        feeds = []
        for i, f in enumerate(power.feeds):
            raw = ("power", "feeds", i)
            logical = f"power.feeds[{f.id}]"
            self.claim_id(f.id, raw, logical)
            voltage = self.quantity(f.voltage, "voltage", (*raw, "voltage"), f"{logical}.voltage")
            breaker = self.quantity(f.breaker, "current", (*raw, "breaker"), f"{logical}.breaker")
            utilization = self.fraction(
                f.max_utilization, (*raw, "max_utilization"), f"{logical}.max_utilization"
            )
            wiring = f.wiring or ("single" if f.phases == 1 else "wye")
            if (f.phases == 1) != (wiring == "single"):
                self.error(
                    f"wiring '{wiring}' does not fit phases: {f.phases}",
                    (*raw, "wiring"),
                    f"{logical}.wiring",
                )
            if f.upstream is not None and f.upstream not in upstream_ids:
                self.error(
                    f"upstream '{f.upstream}' is not defined under power.upstream "
                    f"(at {self.where(('power', 'upstream'))})",
                    (*raw, "upstream"),
                    f"{logical}.upstream",
                )
            if voltage is not None and breaker is not None:
                if voltage <= 0 or breaker <= 0:
                    self.error("voltage and breaker must be positive", raw, logical)
                    continue
                feeds.append(
                    Feed(
                        f.id,
                        f.side,
                        voltage,
                        f.phases,
                        wiring,
                        breaker,
                        utilization,
                        f.upstream,
                        logical,
                        self.where(raw),
                    )
                )
        return PowerPlan(
            feeds=tuple(feeds),
            upstream=tuple(upstream),
            max_phase_imbalance=self.fraction(
                power.max_phase_imbalance,
                ("power", "max_phase_imbalance"),
                "power.max_phase_imbalance",
            ),
            max_phase_imbalance_where=self.where(("power", "max_phase_imbalance")),
        )

    def loops(self, cooling: s.Cooling) -> tuple[Loop, ...]:
        out = []
        for i, loop in enumerate(cooling.loops):
            raw: FieldPath = ("cooling", "loops", i)
            logical = f"cooling.loops[{loop.id}]"
            self.claim_id(loop.id, raw, logical)
            cdus = []
            for j, cdu in enumerate(loop.cdus):
                craw = (*raw, "cdus", j)
                clog = f"{logical}.cdus[{cdu.id}]"
                self.claim_id(cdu.id, craw, clog)
                part = self.part(cdu.part, (*craw, "part"), f"{clog}.part", ("cdu",))
                if part is not None:
                    cdus.append(LoopCdu(cdu.id, part, clog, self.where(craw)))
            self.check_fluid(loop, raw, logical)
            out.append(
                Loop(
                    id=loop.id,
                    fluid=loop.fluid,
                    supply_temperature=self.quantity(
                        loop.supply_temperature,
                        "temperature",
                        (*raw, "supply_temperature"),
                        f"{logical}.supply_temperature",
                    ),
                    cdus=tuple(cdus),
                    redundancy=loop.redundancy,
                    volume=self.quantity(
                        loop.volume, "volume", (*raw, "volume"), f"{logical}.volume"
                    ),
                    ride_through=self.quantity(
                        loop.ride_through, "time", (*raw, "ride_through"), f"{logical}.ride_through"
                    ),
                    piping=self.piping(loop.piping, (*raw, "piping"), f"{logical}.piping"),
                    path=logical,
                    where=self.where(raw),
                )
            )
        return tuple(out)

    def check_fluid(self, loop: s.Loop, raw: FieldPath, logical: str) -> None:
        """The loop's coolant is tabulated (or a CoolProp string) at its set-point."""
        from ..physics.coolant import canonical_name, fluids, temperature_range

        if canonical_name(loop.fluid) is None and not loop.fluid.startswith("INCOMP::"):
            self.error(
                f"unknown coolant '{loop.fluid}' (tabulated: {', '.join(fluids())}; other "
                "fluids as CoolProp strings like 'INCOMP::MPG[0.40]' with rackval[fluids])",
                (*raw, "fluid"),
                f"{logical}.fluid",
            )
            return
        setpoint = loop.supply_temperature
        if setpoint is None or canonical_name(loop.fluid) is None:
            return
        try:
            value = units.parse(setpoint, "temperature")
        except UnitError:
            return  # reported by the conversion
        low, high = temperature_range()
        if not low <= value <= high:
            self.error(
                f"supply temperature outside the coolant tables ({low - 273.15:.0f}–"
                f"{high - 273.15:.0f} °C)",
                (*raw, "supply_temperature"),
                f"{logical}.supply_temperature",
            )

    def pipe(self, pipe: s.Pipe | None, raw: FieldPath, logical: str) -> Pipe | None:
        if pipe is None:
            return None
        length = self.quantity(pipe.length, "length", (*raw, "length"), f"{logical}.length")
        diameter = self.quantity(pipe.diameter, "length", (*raw, "diameter"), f"{logical}.diameter")
        roughness = self.quantity(
            pipe.roughness, "length", (*raw, "roughness"), f"{logical}.roughness"
        )
        if length is None or diameter is None:
            return None
        if length <= 0 or diameter <= 0:
            self.error("pipe length and diameter must be positive", raw, logical)
            return None
        return Pipe(length, diameter, roughness, pipe.fittings_k)

    def piping(self, piping: s.Piping | None, raw: FieldPath, logical: str) -> Piping | None:
        if piping is None:
            return None
        return Piping(
            supply=self.pipe(piping.supply, (*raw, "supply"), f"{logical}.supply"),
            return_=self.pipe(piping.return_, (*raw, "return"), f"{logical}.return"),
            branch=self.pipe(piping.branch, (*raw, "branch"), f"{logical}.branch"),
            arrangement=piping.arrangement,
        )

    def racks(self, racks: list[s.Rack], feeds: set[str], loops: set[str]) -> tuple[Rack, ...]:
        out = []
        for i, rack in enumerate(racks):
            raw: FieldPath = ("racks", i)
            logical = f"racks[{rack.id}]"
            self.claim_id(rack.id, raw, logical)
            part = self.part(rack.part, (*raw, "part"), f"{logical}.part", RACK_KINDS)
            if rack.loop is not None and rack.loop not in loops:
                self.error(
                    f"loop '{rack.loop}' is not defined under cooling.loops "
                    f"(at {self.where(('cooling', 'loops'))})",
                    (*raw, "loop"),
                    f"{logical}.loop",
                )
            pdus = []
            for j, pdu in enumerate(rack.pdus):
                praw = (*raw, "pdus", j)
                plog = f"{logical}.pdus[{pdu.id}]"
                self.claim_id(pdu.id, praw, plog)
                ppart = self.part(pdu.part, (*praw, "part"), f"{plog}.part", ("pdu",))
                if pdu.feed not in feeds:
                    self.error(
                        f"feed '{pdu.feed}' is not defined under power.feeds "
                        f"(at {self.where(('power', 'feeds'))})",
                        (*praw, "feed"),
                        f"{plog}.feed",
                    )
                elif ppart is not None:
                    pdus.append(
                        RackPdu(pdu.id, ppart, pdu.feed, pdu.u, rack.id, plog, self.where(praw))
                    )
            pdu_ids = {p.id for p in rack.pdus}
            devices = []
            for j, dev in enumerate(rack.devices):
                draw = (*raw, "devices", j)
                dpart = self.part(dev.part, (*draw, "part"), f"{logical}.devices[{dev.id}].part")
                if dev.psus:
                    for pdu_id in dev.psus:
                        if pdu_id not in pdu_ids:
                            self.error(
                                f"PDU '{pdu_id}' is not a PDU of rack '{rack.id}' "
                                f"(its PDUs: {', '.join(sorted(pdu_ids)) or 'none'}; "
                                f"defined at {self.where((*raw, 'pdus'))})",
                                (*draw, "psus", pdu_id),
                                f"{logical}.devices[{dev.id}].psus",
                            )
                if dpart is None:
                    continue
                self.check_power_pins(dev, dpart, rack, draw, f"{logical}.devices[{dev.id}]")
                step = dev.step or max(int(math.ceil(dpart.u_height)), 1)
                for k, ident in enumerate(expand_ids(dev.id, dev.count)):
                    dlog = f"{logical}.devices[{ident}]"
                    self.claim_id(ident, draw, dlog)
                    u = dev.u + k * step if dev.u is not None else None
                    psu_map = {p: tuple(n) for p, n in dev.psus.items()} if dev.psus else None
                    devices.append(
                        Device(
                            ident,
                            dpart,
                            u,
                            dev.face,
                            rack.id,
                            psu_map,
                            dev.phase,
                            dlog,
                            self.where(draw),
                        )
                    )
            if part is not None:
                pos = rack.position
                x = y = None
                if pos is not None:
                    x = self.quantity(
                        pos.x,
                        "length",
                        (*raw, "position", "x"),
                        f"{logical}.position.x",
                        allow_negative=True,
                    )
                    y = self.quantity(
                        pos.y,
                        "length",
                        (*raw, "position", "y"),
                        f"{logical}.position.y",
                        allow_negative=True,
                    )
                door = None
                if rack.rear_door is not None:
                    door = self.part(
                        rack.rear_door, (*raw, "rear_door"), f"{logical}.rear_door", ("rdhx",)
                    )
                out.append(
                    Rack(
                        rack.id,
                        part,
                        x,
                        y,
                        pos.facing if pos else "north",
                        rack.loop,
                        rack.shipped_racked,
                        tuple(pdus),
                        tuple(devices),
                        logical,
                        self.where(raw),
                        rear_door=door,
                        position_where=self.where((*raw, "position")) if pos else None,
                    )
                )
        return tuple(out)

    # -- network --------------------------------------------------------------------
    def network(self, net: s.Network, racks: tuple[Rack, ...]) -> Network:
        """Links (explicit and generated), fabrics and media of the ``network`` section."""
        if not (net.fabrics or net.links or net.breakouts or net.media or net.cabling):
            return Network()  # nothing to resolve: the media catalogs stay unread
        from ..catalog.media import load_interface_types, load_media, media_entry
        from ..errors import CatalogError

        devices = {d.id: d for r in racks for d in r.devices}
        self._types = load_interface_types()
        media = dict(load_media())
        for i, raw in enumerate(net.media):
            here: FieldPath = ("network", "media", i)
            try:
                item = media_entry(raw, f"network.media[{i}]", str(self.where(here).file))
            except CatalogError as exc:
                self.error(str(exc), here)
                continue
            if item.id in media:
                self.error(f"media id '{item.id}' is already defined", here)
            media[item.id] = item
        self._media = media
        self._devices = devices
        self._interfaces: dict[str, dict[str, Any]] = {}
        self._breakouts: dict[tuple[str, str], int] = {}
        for j, b in enumerate(net.breakouts):
            self.declare_breakout(b.port, b.into, ("network", "breakouts", j, "port"))
        for k, link in enumerate(net.links):
            if link.breakout is not None:
                self.declare_breakout(link.a.split("/")[0], link.breakout, ("network", "links", k))
        slack = None
        if net.cabling is not None:
            slack = self.quantity(net.cabling.slack, "length", ("network", "cabling", "slack"))
        fabrics = []
        links: list[Link] = []
        used: set[tuple[str, str]] = set()
        explicit: list[tuple[int, s.Link, LinkEnd, LinkEnd]] = []
        for k, link in enumerate(net.links):
            raw: FieldPath = ("network", "links", k)
            a = self.link_end(link.a, (*raw, "a"))
            b = self.link_end(link.b, (*raw, "b"))
            if a is not None and b is not None:
                explicit.append((k, link, a, b))
                used |= {(a.device, a.port), (b.device, b.port)}
        fabric_ids = [f.id for f in net.fabrics]
        for i, fab in enumerate(net.fabrics):
            spec, generated = self.fabric(fab, i, devices, used)
            if spec is not None:
                fabrics.append(spec)
                links += generated
        for k, link, a, b in explicit:
            raw = ("network", "links", k)
            ident = link.id or f"link-{k + 1}"
            logical = f"network.links[{ident}]"
            if link.id is not None:
                self.claim_id(link.id, raw, logical)
            fabric = link.fabric
            if fabric is not None and fabric not in fabric_ids:
                close = difflib.get_close_matches(fabric, fabric_ids, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.error(f"no fabric '{fabric}' under network.fabrics{hint}", (*raw, "fabric"))
            if fabric is None:
                fabric = self.fabric_of(fabrics, a.device, b.device)
            speed = None
            if link.speed is not None:
                try:
                    speed = units.parse_link_speed(link.speed)
                except UnitError as exc:
                    self.error(exc.message, (*raw, "speed"), f"{logical}.speed")
            chosen, auto = self.media_ref(link.media, (*raw, "media"), f"{logical}.media")
            links.append(
                Link(
                    ident,
                    a,
                    b,
                    fabric,
                    chosen,
                    auto,
                    speed,
                    self.quantity(link.length, "length", (*raw, "length"), f"{logical}.length"),
                    False,
                    logical,
                    self.where(raw),
                )
            )
        return Network(tuple(fabrics), tuple(links), media, slack, self.where(("network",)))

    def media_ref(self, ident: str | None, raw: FieldPath, logical: str) -> tuple[Any, bool]:
        """The media a link names: (media, False), or (None, True) for 'auto' / unstated."""
        if ident is None or ident == "auto":
            return None, True
        found = self._media.get(ident)
        if found is None:
            close = difflib.get_close_matches(ident, list(self._media), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            known = "" if close else f" ({len(self._media)} media known; see catalog/media.yaml)"
            self.error(f"unknown media '{ident}'{hint}{known}", raw, logical)
        return found, False

    def fabric_of(self, fabrics: list[FabricSpec], *devices: str) -> str | None:
        """The fabric an explicit link without ``fabric:`` belongs to."""
        for spec in fabrics:
            members = {*spec.nodes, *spec.leaves, *spec.spines, *spec.cores}
            if members & set(devices):
                return spec.id
        return fabrics[0].id if len(fabrics) == 1 else None

    def split_port(self, text: str, raw: FieldPath) -> tuple[Device, str, int | None] | None:
        """('device:interface[/k]') -> device, interface, sub-port; None (error recorded)."""
        device_id, sep, port = str(text).rpartition(":")
        if not sep or not device_id or not port:
            self.error(f"expected 'device:interface', got {text!r}", raw)
            return None
        device = self._devices.get(device_id)
        if device is None:
            close = difflib.get_close_matches(device_id, list(self._devices), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            self.error(f"no device '{device_id}' in the racks{hint}", raw)
            return None
        name, slash, sub = port.partition("/")
        names = [i.name for i in device.part.interfaces]
        if name not in names:
            close = difflib.get_close_matches(name, names, n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            listed = "" if names else " (its part lists no interfaces)"
            self.error(
                f"device '{device_id}' ({device.part.slug}) has no interface "
                f"'{name}'{hint}{listed}",
                raw,
            )
            return None
        if slash and not sub.isdigit():
            self.error(f"sub-port of {name} must be a number, got {port!r}", raw)
            return None
        return device, name, int(sub) if slash else None

    def declare_breakout(self, text: str, into: int, raw: FieldPath) -> None:
        found = self.split_port(text, raw)
        if found is None:
            return
        device, name, _ = found
        iface = next(i for i in device.part.interfaces if i.name == name)
        kind = self._types.get(iface.type)
        if kind is None or into not in kind.breakouts:
            allowed = (
                f"{iface.type} ports split into {' or '.join(map(str, kind.breakouts))}"
                if kind and kind.breakouts
                else f"a {iface.type} port cannot be broken out"
            )
            self.error(f"cannot break {device.id}:{name} out into {into}: {allowed}", raw)
            return
        before = self._breakouts.setdefault((device.id, name), into)
        if before != into:
            self.error(f"{device.id}:{name} is broken out into {before} elsewhere", raw)

    def port_end(self, device: Device, name: str, sub: int | None) -> LinkEnd:
        by_name = self._interfaces.get(device.part.slug)
        if by_name is None:
            by_name = self._interfaces[device.part.slug] = {
                i.name: i for i in device.part.interfaces
            }
        iface = by_name[name]
        kind = self._types.get(iface.type)
        split = self._breakouts.get((device.id, name), 1)
        speed = kind.speed / split if kind is not None else None
        port = name if sub is None else f"{name}/{sub}"
        form = kind.form_factor if kind is not None else None
        return LinkEnd(device.id, port, name, iface.type, speed, form, split)

    def link_end(self, text: str, raw: FieldPath) -> LinkEnd | None:
        found = self.split_port(text, raw)
        if found is None:
            return None
        device, name, sub = found
        split = self._breakouts.get((device.id, name), 1)
        if sub is not None and split == 1:
            self.error(
                f"{device.id}:{name} is not broken out; declare it under network.breakouts "
                "or with breakout: on the link",
                raw,
            )
            return None
        if sub is not None and not 1 <= sub <= split:
            self.error(f"{device.id}:{name} has sub-ports 1…{split}, not {sub}", raw)
            return None
        if sub is None and split > 1:
            self.error(
                f"{device.id}:{name} is broken out into {split}; name a sub-port "
                f"{name}/1 … {name}/{split}",
                raw,
            )
            return None
        return self.port_end(device, name, sub)

    def switch_ports(self, device: Device) -> list[LinkEnd]:
        """A switch's fastest non-management ports (sub-ports where broken out), in order."""
        return [
            self.port_end(device, name, sub)
            for name in self.fastest(device)
            for sub in self.subs(device, name)
        ]

    def subs(self, device: Device, name: str) -> list[int | None]:
        split = self._breakouts.get((device.id, name), 1)
        return [None] if split == 1 else list(range(1, split + 1))

    def fastest(self, device: Device, pattern: str | None = None) -> list[str]:
        """Interface names matching ``pattern``; by default those of the fastest
        non-management interface type (the most numerous such type on a tie of speeds)."""
        ifaces = [i for i in device.part.interfaces if not i.mgmt_only]
        if pattern is not None:
            return [i.name for i in ifaces if fnmatch.fnmatchcase(i.name, pattern)]
        known = [i for i in ifaces if i.type in self._types]
        if not known:
            return []
        top = max(self._types[i.type].speed for i in known)
        counts: dict[str, int] = {}
        for i in known:
            if self._types[i.type].speed == top:
                counts[i.type] = counts.get(i.type, 0) + 1
        chosen = max(counts, key=lambda name: counts[name])  # first listed on a tie
        return [i.name for i in known if i.type == chosen]

    def glob(self, pattern: str | None, raw: FieldPath, what: str) -> list[str]:
        if pattern is None:
            return []
        found = [d for d in self._devices if fnmatch.fnmatchcase(d, pattern)]
        if not found:
            self.error(f"no device matches the {what} glob {pattern!r}", raw)
        return found

    def fabric(
        self, fab: s.Fabric, i: int, devices: dict[str, Device], used: set[tuple[str, str]]
    ) -> tuple[FabricSpec | None, list[Link]]:
        raw: FieldPath = ("network", "fabrics", i)
        logical = f"network.fabrics[{fab.id}]"
        self.claim_id(fab.id, raw, logical)
        req = fab.requirements
        ratio = fraction = bisection = None
        split = None
        if req is not None:
            rraw = (*raw, "requirements")
            ratio = self.ratio(req.oversubscription, (*rraw, "oversubscription"))
            fraction, bisection = self.bisection(req.min_bisection, (*rraw, "min_bisection"))
            if req.split is not None:
                split = tuple(
                    d
                    for k, g in enumerate(req.split)
                    for d in self.glob(g, (*rraw, "split", k), "split")
                )
        gen = fab.generate
        roles: dict[str, list[str]] = {"nodes": [], "leaves": [], "spines": [], "cores": []}
        node_ports: dict[str, tuple[str, ...]] = {}
        links: list[Link] = []
        if gen is not None:
            graw = (*raw, "generate")
            for key in roles:
                roles[key] = self.glob(getattr(gen, key), (*graw, key), key)
            links, node_ports = self.generated(fab, gen, graw, logical, roles, ratio, used)
        spec = FabricSpec(
            id=fab.id,
            kind=fab.kind,
            oversubscription=ratio,
            min_bisection=fraction,
            min_bisection_speed=bisection,
            split=split,
            topology=gen.topology if gen else ("rail-optimized" if fab.rails else None),
            nodes=tuple(roles["nodes"]),
            rails=gen.rails if gen else fab.rails,
            node_ports=node_ports,
            leaves=tuple(roles["leaves"]),
            spines=tuple(roles["spines"]),
            cores=tuple(roles["cores"]),
            path=logical,
            where=self.where(raw),
            requirements_where=self.where((*raw, "requirements")) if req else None,
        )
        return spec, links

    def ratio(self, text: str | None, raw: FieldPath) -> float | None:
        """'2:1' -> 2.0."""
        if text is None:
            return None
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*", str(text))
        if match is None or float(match[2]) == 0.0 or float(match[1]) == 0.0:
            self.error(f'expected a ratio like "1:1" or "2:1", got {text!r}', raw)
            return None
        return float(match[1]) / float(match[2])

    def bisection(self, value: Any, raw: FieldPath) -> tuple[float | None, float | None]:
        """A share of full bisection ('100 %', 0.5) or a bandwidth ('51.2T')."""
        if value is None:
            return None, None
        if isinstance(value, (int, float)) or "%" in str(value):
            return self.fraction(value, raw), None
        try:
            return None, units.parse_link_speed(value)
        except UnitError:
            self.error(
                f'expected a share of full bisection like "100 %" or a bandwidth like '
                f'"51.2T", got {value!r}',
                raw,
            )
            return None, None

    def generated(
        self,
        fab: s.Fabric,
        gen: s.FabricGenerate,
        graw: FieldPath,
        logical: str,
        roles: dict[str, list[str]],
        ratio: float | None,
        used: set[tuple[str, str]],
    ) -> tuple[list[Link], dict[str, tuple[str, ...]]]:
        from ..fabric.generators import GenerateError, Roles, generate_links

        if not roles["nodes"] or not roles["leaves"]:
            return [], {}
        build_ratio = self.ratio(gen.oversubscription, (*graw, "oversubscription")) or ratio
        node_ports: dict[str, tuple[str, ...]] = {}
        node_ends: dict[str, list[LinkEnd]] = {}
        for node in roles["nodes"]:
            device = self._devices[node]
            names = self.fastest(device, gen.ports)
            ends = [self.port_end(device, n, sub) for n in names for sub in self.subs(device, n)]
            if len(ends) != gen.rails:
                split = gen.rails // len(ends) if ends and gen.rails % len(ends) == 0 else 0
                kinds = {self._types.get(i.type) for i in device.part.interfaces if i.name in names}
                if split > 1 and all(k is not None and split in k.breakouts for k in kinds):
                    for n in names:
                        self._breakouts.setdefault((node, n), split)
                    ends = [self.port_end(device, n, k) for n in names for k in range(1, split + 1)]
                else:
                    which = f"matching {gen.ports!r}" if gen.ports else "fastest non-management"
                    self.error(
                        f"node '{node}' ({device.part.slug}) has {len(ends)} {which} "
                        f"interfaces for {gen.rails} rails; name the NICs with ports: "
                        "(an interface-name glob)",
                        (*graw, "ports" if gen.ports else "rails"),
                    )
                    return [], {}
            node_ports[node] = tuple(e.port for e in ends)
            node_ends[node] = ends
        switches = [*roles["leaves"], *roles["spines"], *roles["cores"]]
        free = {
            sw: [e for e in self.switch_ports(self._devices[sw]) if (sw, e.port) not in used]
            for sw in switches
        }
        try:
            pairs = generate_links(
                Roles(
                    gen.topology,
                    roles["nodes"],
                    gen.rails,
                    node_ends,
                    roles["leaves"],
                    roles["spines"],
                    roles["cores"],
                    gen.pods,
                    build_ratio if build_ratio is not None else 1.0,
                    free,
                )
            )
        except GenerateError as exc:
            self.error(f"cannot generate fabric '{fab.id}': {exc}", graw)
            return [], node_ports
        chosen, auto = self.media_ref(gen.media, (*graw, "media"), f"{logical}.generate.media")
        width = len(str(len(pairs)))
        where = self.where(graw)
        links = [
            Link(
                f"{fab.id}-{n + 1:0{width}d}",
                a,
                b,
                fab.id,
                chosen,
                auto,
                None,
                None,
                True,
                f"{logical}.links[{fab.id}-{n + 1:0{width}d}]",
                where,
            )
            for n, (a, b) in enumerate(pairs)
        ]
        return links, node_ports

    def check_placement(self, site: Site, racks: tuple[Rack, ...]) -> None:
        """Rack ids in the recirculation matrix exist; placed racks touch the hall."""
        ids = {r.id for r in racks}
        matrix = site.air.recirculation_matrix if site.air else None
        for source, row in (matrix or {}).items():
            base: FieldPath = ("site", "air", "recirculation_matrix", source)
            for name, raw in [(source, base), *((t, (*base, t)) for t in row)]:
                if name not in ids:
                    close = difflib.get_close_matches(name, sorted(ids), n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    self.error(f"no rack '{name}' in the design{hint}", raw)
        if site.hall is None:
            return
        from ..layout.geometry import footprint, polygon

        hall = polygon(site.hall.outline)
        for rack in racks:
            spec = rack.part.rack
            if not rack.placed or spec is None or not spec.outer_width or not spec.outer_depth:
                continue
            shape = footprint(rack.x, rack.y, rack.facing, spec.outer_width, spec.outer_depth)
            if not shape.intersects(hall):
                minx, miny, maxx, maxy = hall.bounds
                self.errors.append(
                    DesignError(
                        f"rack '{rack.id}' at ({rack.x:g} m, {rack.y:g} m) lies entirely outside "
                        f"the hall outline (x {minx:g}…{maxx:g} m, y {miny:g}…{maxy:g} m); "
                        "check the position's units",
                        location=rack.position_where or rack.where,
                        path=f"{rack.path}.position",
                    )
                )

    def check_power_pins(
        self, dev: s.Device, part: Part, rack: s.Rack, raw: FieldPath, logical: str
    ) -> None:
        """PSU numbers within the part's PSU count, each used once; ``phase`` fits the PDUs."""
        count = (
            part.power_shelf.psus
            if part.kind == "power-shelf" and part.power_shelf
            else part.power.psus
        )
        seen: dict[int, str] = {}
        for pdu_id, numbers in (dev.psus or {}).items():
            for number in numbers:
                if count is not None and number > count:
                    self.error(
                        f"PSU {number} does not exist: {part.model} has {count} PSUs",
                        (*raw, "psus", pdu_id),
                        f"{logical}.psus",
                    )
                if number in seen:
                    self.error(
                        f"PSU {number} is plugged into both {seen[number]} and {pdu_id}",
                        (*raw, "psus", pdu_id),
                        f"{logical}.psus",
                    )
                seen[number] = pdu_id
        if dev.phase is None:
            return
        for pdu in rack.pdus:
            pdu_part = self.inline.get(pdu.part) or self.catalog.get(pdu.part)
            spec = pdu_part.pdu if pdu_part else None
            if spec is None:
                continue
            lines = {
                "wye": ("L1", "L2", "L3"),
                "delta": ("L1-L2", "L2-L3", "L3-L1"),
                "single": ("L1",),
            }[spec.wiring]
            if dev.phase not in lines:
                self.error(
                    f"phase {dev.phase} does not exist on {spec.wiring} PDU {pdu.id} "
                    f"(its lines: {', '.join(lines)})",
                    (*raw, "phase"),
                    f"{logical}.phase",
                )

    def waivers(self, waivers: list[s.Waiver]) -> tuple[Waiver, ...]:
        """The design's waivers, each located with the loader's location map."""
        return tuple(
            Waiver(
                rule=w.rule,
                target=w.target,
                reason=w.reason,
                expires=w.expires,
                owner=w.owner,
                scenario=w.scenario,
                path=f"waivers[{index}]",
                where=self.where(("waivers", index)),
            )
            for index, w in enumerate(waivers)
        )


def _line_col(location: Location) -> tuple[int, int]:
    return location.line, location.column


_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")


def expand_ids(ident: str, count: int) -> list[str]:
    """Ids for ``count`` devices: the trailing number counts up, its width kept.

    >>> expand_ids("r01-c01", 3)
    ['r01-c01', 'r01-c02', 'r01-c03']
    >>> expand_ids("node", 2)
    ['node-1', 'node-2']
    """
    if count == 1:
        return [ident]
    match = _TRAILING_NUMBER.match(ident)
    if match is None:
        return [f"{ident}-{k + 1}" for k in range(count)]
    stem, digits = match.groups()
    start = int(digits)
    return [f"{stem}{start + k:0{len(digits)}d}" for k in range(count)]


def resolve(loaded: LoadedDesign, catalog: Catalog) -> Design:
    """Check and convert loaded design data.

    Raises
    ------
    DesignErrors
        Every problem found, each with its location and field path.
    """
    try:
        doc = s.DesignSchema.model_validate(loaded.data)
    except ValidationError as exc:
        raise DesignErrors(_schema_errors(exc, loaded)) from None
    r = _Resolver(loaded, catalog)
    r.parts(doc.parts)
    site = r.site(doc.site)
    power = r.power(doc.power)
    loops = r.loops(doc.cooling)
    racks = r.racks(doc.racks, {f.id for f in doc.power.feeds}, {lp.id for lp in doc.cooling.loops})
    r.check_placement(site, racks)
    network = r.network(doc.network, racks)
    waivers = r.waivers(doc.waivers)
    if r.errors:
        raise DesignErrors(r.errors)
    return Design(
        name=doc.name,
        description=doc.description,
        file=str(loaded.main.path),
        site=site,
        power=power,
        loops=loops,
        racks=racks,
        parts=dict(r.inline),
        where=Location(str(loaded.main.path), 1, 1),
        waivers=waivers,
        sources=tuple(str(d.path) for d in loaded.documents),
        network=network,
    )
