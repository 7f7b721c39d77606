"""Cables, optics and port types of the fabric, in SI (``media.yaml``, ``interfaces.yaml``).

``media.yaml`` lists cables and transceivers a design may name in a link's ``media:``
(or that ``media: auto`` chooses from): kind, speed per cable end, lanes, form factor,
breakout (ends on the far side) and maximum reach, each entry cited.
``interfaces.yaml`` maps NetBox interface types (``400gbase-x-osfp``) to speed, lanes,
form factor and the breakouts a port of that type allows, each cited.
A figure no source gives stays ``None`` (rules that need it report RV-CAT-001).

>>> types = load_interface_types()
>>> types["800gbase-x-osfp"].speed, types["800gbase-x-osfp"].breakouts
(800000000000.0, (2, 4))
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import units
from ..errors import CatalogError, UnitError

__all__ = [
    "MEDIA_FILE",
    "INTERFACES_FILE",
    "MEDIA_KINDS",
    "Media",
    "InterfaceType",
    "load_media",
    "parse_media",
    "load_interface_types",
    "parse_interface_types",
]

MEDIA_FILE = Path(__file__).parent / "media.yaml"
INTERFACES_FILE = Path(__file__).parent / "interfaces.yaml"
MEDIA_KINDS = ("dac", "acc", "aec", "aoc", "sr4", "sr8", "dr4", "dr8", "fr4")
"""Media kinds, copper first, then active copper, active optical and optics by reach."""


@dataclass(frozen=True)
class Media:
    """A cable or transceiver pair that can carry a link."""

    id: str
    kind: str  # one of MEDIA_KINDS
    model: str
    speed: float | None  # [bit/s] per cable end (a twin-port OSFP end: both ports)
    lanes: int | None
    form_factor: str | None  # "osfp", "qsfp112" …
    breakout: int  # ends on the far side (1 = straight)
    reach: float | None  # [m] maximum length
    tag: str = ""
    citation: str = ""
    origin: str = ""  # file (catalog or design) it was read from

    @property
    def slug(self) -> str:
        """The id, under the name RV-CAT-001 reports parts by."""
        return self.id

    @property
    def link_speed(self) -> float | None:
        """Speed each far end carries: ``speed / breakout`` [bit/s]."""
        return None if self.speed is None else self.speed / self.breakout


@dataclass(frozen=True)
class InterfaceType:
    """What a NetBox interface type means for a link."""

    type: str
    speed: float  # [bit/s]
    lanes: int | None
    form_factor: str | None  # None: the type does not name one (infiniband-ndr)
    breakouts: tuple[int, ...]  # allowed splits of one port into equal sub-ports
    citation: str = ""


def _read_yaml(path: Path) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _length(value: Any, where: str) -> float | None:
    if value is None:
        return None
    try:
        return units.parse(value, "length")
    except UnitError as exc:
        raise CatalogError(f"{where}: {exc.message}") from None


def _speed(value: Any, where: str) -> float | None:
    if value is None:
        return None
    try:
        return units.parse_link_speed(value)
    except UnitError as exc:
        raise CatalogError(f"{where}: {exc.message}") from None


_MEDIA_KEYS = {
    "id",
    "kind",
    "model",
    "speed",
    "lanes",
    "form_factor",
    "breakout",
    "reach",
    "tag",
    "citation",
    "verify",
    "note",
}


def media_entry(raw: Mapping[str, Any], where: str, origin: str = "") -> Media:
    """One media entry in SI.

    Raises
    ------
    CatalogError
        A missing id or citation, an unknown kind or key, or a value that cannot be read.
    """
    if not isinstance(raw, Mapping) or not raw.get("id"):
        raise CatalogError(f"{where}: every media entry needs an id")
    ident = str(raw["id"])
    here = f"{where} ({ident})"
    unknown = sorted(set(raw) - _MEDIA_KEYS)
    if unknown:
        raise CatalogError(f"{here}: unknown key(s) {', '.join(unknown)}")
    kind = str(raw.get("kind", ""))
    if kind not in MEDIA_KINDS:
        raise CatalogError(f"{here}: kind {kind!r} is not one of {', '.join(MEDIA_KINDS)}")
    if not raw.get("citation"):
        raise CatalogError(f"{here}: every media entry needs a citation")
    breakout = raw.get("breakout", 1)
    lanes = raw.get("lanes")
    for name, value in (("breakout", breakout), ("lanes", lanes)):
        if value is not None and (not isinstance(value, int) or value < 1):
            raise CatalogError(f"{here}: {name} must be a whole number ≥ 1, got {value!r}")
    form = raw.get("form_factor")
    return Media(
        id=ident,
        kind=kind,
        model=str(raw.get("model", ident)),
        speed=_speed(raw.get("speed"), here),
        lanes=lanes,
        form_factor=str(form).lower() if form else None,
        breakout=breakout,
        reach=_length(raw.get("reach"), here),
        tag=str(raw.get("tag", "")),
        citation=str(raw["citation"]),
        origin=origin,
    )


def parse_media(data: Any, origin: str = "") -> dict[str, Media]:
    """Media by id from the data of a ``media.yaml`` (``{media: [...]}``).

    Raises
    ------
    CatalogError
        A bad entry or a duplicate id.
    """
    entries = (data or {}).get("media") or []
    out: dict[str, Media] = {}
    for index, raw in enumerate(entries):
        item = media_entry(raw, f"{origin or 'media'}[{index}]", origin)
        if item.id in out:
            raise CatalogError(f"{origin or 'media'}: media id '{item.id}' is listed twice")
        out[item.id] = item
    return out


@functools.cache
def load_media() -> dict[str, Media]:
    """The shipped media catalog (empty while ``media.yaml`` is not there)."""
    if not MEDIA_FILE.exists():
        return {}
    return parse_media(_read_yaml(MEDIA_FILE), str(MEDIA_FILE))


def parse_interface_types(data: Any) -> dict[str, InterfaceType]:
    """Interface types by NetBox type name from the data of an ``interfaces.yaml``.

    Raises
    ------
    CatalogError
        A missing citation, a speed that cannot be read or a breakout that does not
        divide the lanes.
    """
    out: dict[str, InterfaceType] = {}
    for raw in (data or {}).get("interface_types") or []:
        name = str(raw["type"])
        if not raw.get("citation"):
            raise CatalogError(f"interface type {name}: needs a citation")
        speed = _speed(raw.get("speed"), f"interface type {name}")
        if speed is None:
            raise CatalogError(f"interface type {name}: needs a speed")
        lanes = raw.get("lanes")
        breakouts = tuple(int(b) for b in raw.get("breakouts") or ())
        for b in breakouts:
            if b < 2 or (lanes is not None and lanes % b):
                raise CatalogError(
                    f"interface type {name}: breakout {b} does not split {lanes} lanes evenly"
                )
        form = raw.get("form_factor")
        out[name] = InterfaceType(
            name, speed, lanes, str(form) if form else None, breakouts, str(raw["citation"])
        )
    return out


@functools.cache
def load_interface_types() -> dict[str, InterfaceType]:
    """The shipped interface-type table (read once per process)."""
    return parse_interface_types(_read_yaml(INTERFACES_FILE))
