"""Quantities written as text, read into SI floats.

Every physical value in a design or a catalog part is text with a unit (``"10.2 kW"``,
``"35 degC"``, ``"80 L/min"``). :func:`parse` turns such text into a plain ``float`` in
SI units; nothing past the loader ever sees a unit again (DESIGN §2).

This is the only module in rackval that imports pint, and it imports it lazily: the
registry is built on the first :func:`parse` call, so ``import rackval.units`` (and
``rackval --version``) stays light. Link speeds (``"400G"``) are read without pint.

Pitfalls handled here (``docs/units.md`` is the user-facing list):

- Number and unit are split before pint sees the unit: pint cannot read ``"35 degC"``
  as one expression because degC is an offset unit.
- ``autoconvert_offset_to_baseunit`` is never enabled.
- ``U`` (pint: enzyme unit), lowercase ``cfm`` (pint: centi-fermi), ``G`` (pint: gauss),
  ``Gbps`` (pint: gigabaud), ``C`` (coulomb), ``kVA`` (apparent power) are refused with a
  hint instead of being read as something else.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from rackval.errors import UnitError

if TYPE_CHECKING:
    import pint

__all__ = [
    "Dimension",
    "parse",
    "split",
    "format_si",
    "parse_link_speed",
    "si_unit",
    "example",
    "describe",
]


class Dimension(str, Enum):
    """The kinds of quantity rackval reads; each maps to one SI unit."""

    POWER = "power"  #: [W]
    LENGTH = "length"  #: [m]
    MASS = "mass"  #: [kg]
    TEMPERATURE = "temperature"  #: absolute [K]
    TEMPERATURE_DIFFERENCE = "temperature_difference"  #: [K]
    VOLTAGE = "voltage"  #: [V]
    CURRENT = "current"  #: [A]
    PRESSURE = "pressure"  #: [Pa]
    VOLUME_FLOW = "volume_flow"  #: [m³/s]
    VOLUME = "volume"  #: [m³]
    TIME = "time"  #: [s]
    THERMAL_RESISTANCE = "thermal_resistance"  #: [K/W]
    AREA_LOAD = "area_load"  #: mass per floor area [kg/m²]
    FRACTION = "fraction"  #: [1]
    ENERGY = "energy"  #: [J]
    HEAT_CAPACITY = "heat_capacity"  #: [J/K]
    THERMAL_CONDUCTANCE = "thermal_conductance"  #: [W/K]


@dataclass(frozen=True)
class _Spec:
    si: str  # the SI unit as a pint expression
    symbol: str  # the SI unit as printed
    example: str  # shown in messages: expected a power like "10.2 kW"
    noun: str  # "a power"
    units: tuple[str, ...]  # documented units (docs/units.md, tests); pint may accept more


_SPECS: dict[Dimension, _Spec] = {
    Dimension.POWER: _Spec("W", "W", "10.2 kW", "a power", ("W", "kW", "MW", "BTU/h")),
    Dimension.LENGTH: _Spec(
        "m", "m", "600 mm", "a length", ("mm", "cm", "m", "km", "in", "ft", "RU", "rack_unit")
    ),
    Dimension.MASS: _Spec("kg", "kg", "142.4 kg", "a mass", ("g", "kg", "t", "lb")),
    Dimension.TEMPERATURE: _Spec(
        "K", "K", "35 degC", "a temperature", ("degC", "°C", "degF", "°F", "K", "kelvin")
    ),
    Dimension.TEMPERATURE_DIFFERENCE: _Spec(
        "K",
        "K",
        "10 K",
        "a temperature difference",
        ("K", "kelvin", "delta_degC", "delta_degF", "degC", "°C", "degF", "°F"),
    ),
    Dimension.VOLTAGE: _Spec("V", "V", "415 V", "a voltage", ("mV", "V", "kV")),
    Dimension.CURRENT: _Spec("A", "A", "32 A", "a current", ("mA", "A", "kA")),
    Dimension.PRESSURE: _Spec(
        "Pa",
        "Pa",
        "250 kPa",
        "a pressure",
        ("Pa", "kPa", "MPa", "mbar", "bar", "psi", "inH2O"),
    ),
    Dimension.VOLUME_FLOW: _Spec(
        "m^3/s",
        "m³/s",
        "80 L/min",
        "a volume flow",
        ("L/min", "L/s", "LPM", "GPM", "CFM", "ft^3/min", "m^3/h", "m³/h", "m^3/s"),
    ),
    Dimension.VOLUME: _Spec("m^3", "m³", "400 L", "a volume", ("mL", "L", "m^3", "m³", "gal")),
    Dimension.TIME: _Spec("s", "s", "60 s", "a time", ("ms", "s", "min", "h")),
    Dimension.THERMAL_RESISTANCE: _Spec(
        "K/W", "K/W", "0.02 K/W", "a thermal resistance", ("K/W", "degC/W", "°C/W")
    ),
    Dimension.AREA_LOAD: _Spec(
        "kg/m^2",
        "kg/m²",
        "1500 kg/m^2",
        "a floor load (mass per area)",
        ("kg/m^2", "kg/m²", "lb/ft^2"),
    ),
    Dimension.FRACTION: _Spec("dimensionless", "1", "80 %", "a fraction", ("%", "percent")),
    Dimension.ENERGY: _Spec("J", "J", "3.6 MJ", "an energy", ("J", "kJ", "MJ", "Wh", "kWh")),
    Dimension.HEAT_CAPACITY: _Spec(
        "J/K", "J/K", "500 kJ/K", "a heat capacity", ("J/K", "kJ/K", "J/degC")
    ),
    Dimension.THERMAL_CONDUCTANCE: _Spec(
        "W/K", "W/K", "50 W/K", "a thermal conductance", ("W/K", "kW/K", "W/degC")
    ),
}

# rackval's own units. pint's ``gallon`` is the US liquid gallon (231 in³).
_DEFINITIONS = (
    "rack_unit = 44.45 * millimeter = RU",
    "LPM = liter / minute",
    "GPM = gallon / minute",
    "CFM = foot ** 3 / minute",
)

# Names for dimensionalities that are not rackval dimensions, for "got ... (an area)".
_OTHER_NOUNS = {
    "m^2": "an area",
    "m/s": "a speed",
    "Hz": "a frequency",
    "kg/m^3": "a density",
    "C": "an electric charge",
    "F": "a capacitance",
    "tesla": "a magnetic flux density",
    "J/(kg*K)": "a specific heat capacity",
    "W/(m*K)": "a thermal conductivity",
}

_NUMBER = r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf(?:inity)?)"
_SPLIT = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<unit>.*)", re.IGNORECASE | re.DOTALL)
_REPLACEMENTS = (("\u2212", "-"), ("℃", "degC"), ("℉", "degF"), ("ºC", "degC"), ("ºF", "degF"))
_MAX_TEXT = 100

_LINK_LIKE = re.compile(r"[MGT](?:b|bps|b/s|bit|bit/s|bE)?")
_DIGIT_IN_NAME = re.compile(r"[A-Za-z]\d")
_HINTS = {
    "U": '"{u}" is not a rack unit here; write "{n} RU"',
    "u": '"{u}" is not a rack unit here; write "{n} RU"',
    "C": '"C" is the coulomb; write "{n} degC"',
    "F": '"F" is the farad; write "{n} degF"',
    "°": '"{u}" alone is an angle; write "{n} degC"',
    "deg": '"{u}" alone is an angle; write "{n} degC"',
    "L/m": '"L/m" is litres per metre; write "{n} L/min"',
}
_CASE_HINTS = {
    "CFM": 'pint reads "cfm" as centi-fermi; write "CFM" (cubic feet per minute)',
    "GPM": 'write "GPM" (US gallons per minute)',
    "LPM": 'write "LPM" (litres per minute)',
}


@functools.cache
def _registry() -> pint.UnitRegistry:
    """Build rackval's pint registry once (pint is imported here, not at module import)."""
    import pint

    # autoconvert_offset_to_baseunit stays False: "35 degC" is built as a Quantity of
    # number and unit, never multiplied as an expression.
    ureg = pint.UnitRegistry(cache_folder=":auto:")
    for definition in _DEFINITIONS:
        ureg.define(definition)
    return ureg


@functools.cache
def _nouns() -> dict[object, str]:
    """Map pint dimensionalities to the noun used in messages ("a temperature")."""
    ureg = _registry()
    nouns = {ureg.parse_units(si).dimensionality: noun for si, noun in _OTHER_NOUNS.items()}
    for dimension in reversed(Dimension):  # first spec wins: temperature over its difference
        spec = _SPECS[dimension]
        nouns[ureg.parse_units(spec.si).dimensionality] = spec.noun
    return nouns


def _spec(dimension: Dimension | str) -> tuple[Dimension, _Spec]:
    dim = Dimension(dimension)
    return dim, _SPECS[dim]


def si_unit(dimension: Dimension | str) -> str:
    """Return the SI unit that :func:`parse` returns for `dimension`, e.g. ``"m³/s"``."""
    return _spec(dimension)[1].symbol


def example(dimension: Dimension | str) -> str:
    """Return an example text for `dimension`, e.g. ``"10.2 kW"`` for power."""
    return _spec(dimension)[1].example


def describe(dimension: Dimension | str) -> str:
    """Return the phrase used in messages, e.g. ``'a power like "10.2 kW"'``."""
    spec = _spec(dimension)[1]
    return f'{spec.noun} like "{spec.example}"'


def _shown(value: object) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "…"
        return f'"{text}"'
    if value is None:
        return "nothing"
    return repr(value)


def _normalize(text: str) -> str:
    text = text.strip()
    for old, new in _REPLACEMENTS:
        text = text.replace(old, new)
    return text


def _split(text: str) -> tuple[str, str] | None:
    """Return (number text, unit text) of normalized `text`, or None."""
    match = _SPLIT.fullmatch(text)
    if match is None:
        return None
    number, unit = match["number"], match["unit"].strip()
    if unit and (unit[0].isdigit() or unit[0] in "+-.,"):
        return None
    return number, unit


def split(text: str | int | float) -> tuple[float, str]:
    """Split a value into its number and its unit text (``""`` when there is none).

    Parameters
    ----------
    text : str or int or float
        ``"35 degC"``, ``"80L/min"``, ``"0.05"`` or a number from YAML.

    Returns
    -------
    tuple of (float, str)
        The number (may be nan or inf) and the unit text, stripped.

    Raises
    ------
    UnitError
        If `text` does not start with a number.

    Examples
    --------
    >>> split("35 degC")
    (35.0, 'degC')
    >>> split("1105CFM")
    (1105.0, 'CFM')
    """
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise UnitError(f"expected a number and a unit, got {_shown(text)}")
    if not isinstance(text, str):
        return float(text), ""
    parts = _split(_normalize(text))
    if parts is None:
        raise UnitError(f"expected a number and a unit, got {_shown(text)}")
    return float(parts[0]), parts[1]


def _hint(number: str, unit: str) -> str | None:
    """Return a message for units pint would misread (checked before pint sees them)."""
    if unit in _HINTS:
        return _HINTS[unit].format(u=unit, n=number)
    upper = unit.upper()
    if upper in _CASE_HINTS and unit != upper:
        return _CASE_HINTS[upper].format(u=unit)
    if _LINK_LIKE.fullmatch(unit):
        misread = '; pint reads "G" as gauss' if unit.startswith("G") else ""
        return f'link speeds like "400G" are not physical quantities here{misread}'
    return None


@functools.lru_cache(maxsize=1024)
def _conversion(unit: str, dimension: Dimension) -> tuple[float, float] | str:
    """Return (a, b) with ``si = a * number + b`` for `unit`, or the reason it is refused."""
    ureg = _registry()
    spec = _SPECS[dimension]
    try:
        parsed = ureg.parse_units(unit)  # compound offset units become deltas: degC/W
    except Exception as exc:  # pint raises many kinds on odd text
        names = getattr(exc, "unit_names", None)
        if names:
            reason = f'unknown unit "{unit}"'
            wanted = unit.casefold()
            for other in _SPECS.values():
                for known in other.units:
                    if known.casefold() == wanted:
                        return f'{reason}; did you mean "{known}"?'
            if _DIGIT_IN_NAME.search(unit):
                return f'{reason}; write powers with "^", e.g. "m^3/h"'
            return reason
        return f'cannot read the unit "{unit}"'
    names = tuple(parsed._units)  # {name: exponent}; pint has no public accessor
    deltas = any(name.startswith("delta_") for name in names)
    single = len(names) == 1 and parsed._units[names[0]] == 1
    offset = single and f"delta_{names[0]}" in ureg  # degC, degF: not multiplicative

    if parsed.dimensionality != ureg.parse_units(spec.si).dimensionality:
        noun = _nouns().get(parsed.dimensionality)
        if noun == "a temperature" and deltas:
            noun = "a temperature difference"
        return noun or f"dimension {parsed.dimensionality}"
    if dimension is Dimension.TEMPERATURE and deltas:
        return "a temperature difference"
    if dimension is Dimension.FRACTION and names != ("percent",):
        return 'write a fraction as "80 %" or as a bare number in 0..1'
    if dimension is Dimension.POWER and any("volt_ampere" in name for name in names):
        return f'"{unit}" is apparent power; write real power in W or kW'

    try:
        if offset:
            delta = ureg.Unit(f"delta_{names[0]}")
            scale = float(ureg.Quantity(1.0, delta).to(spec.si).magnitude)
            if dimension is Dimension.TEMPERATURE:
                return scale, float(ureg.Quantity(0.0, parsed).to(spec.si).magnitude)
            return scale, 0.0  # temperature difference: "10 degC" is a rise of 10 K
        return float(ureg.Quantity(1.0, parsed).to(spec.si).magnitude), 0.0
    except Exception:  # offset calculus on exotic expressions
        return f'cannot convert "{unit}" to {spec.symbol}'


def parse(
    text: str | int | float, dimension: Dimension | str, *, nonnegative: bool = True
) -> float:
    """Read a quantity written as text into an SI float.

    Parameters
    ----------
    text : str or int or float
        Number and unit, e.g. ``"10.2 kW"``. A bare number (text or an int/float from
        YAML) is accepted only for ``fraction``, and must then lie in 0..1.
    dimension : Dimension or str
        What the value must be, e.g. ``Dimension.POWER`` or ``"power"``.
    nonnegative : bool, optional
        Refuse values below zero (default). Temperatures are checked in kelvin, so
        ``"-10 degC"`` passes; a temperature below absolute zero is always refused.

    Returns
    -------
    float
        The value in the SI unit of `dimension` (:func:`si_unit`): W, m, kg, K (absolute
        temperatures and differences), V, A, Pa, m³/s, m³, s, K/W, kg/m², 1, J, J/K, W/K.

    Raises
    ------
    UnitError
        Unreadable, empty, bare (where a unit is needed), non-finite, negative, misread
        units or the wrong dimension. ``.expected`` is the dimension name and
        ``.example`` an example text.
    ValueError
        If `dimension` is not a :class:`Dimension` (a programming error).

    Examples
    --------
    >>> parse("10.2 kW", "power")
    10200.0
    >>> parse("35 degC", Dimension.TEMPERATURE)
    308.15
    >>> parse("10 degC", "temperature_difference")
    10.0
    >>> parse("80 %", "fraction")
    0.8
    """
    dim, spec = _spec(dimension)

    def error(reason: str) -> UnitError:
        message = f'expected {spec.noun} like "{spec.example}", got {_shown(text)} ({reason})'
        return UnitError(message, expected=dim.value, example=spec.example)

    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise error("not a quantity")
    if isinstance(text, str):
        normalized = _normalize(text)
        if not normalized:
            raise error("empty")
        if len(normalized) > _MAX_TEXT:
            raise error(f"longer than {_MAX_TEXT} characters")
        parts = _split(normalized)
        if parts is None:
            raise error("not a number followed by a unit")
        number_text, unit = parts
        number = float(number_text)
    else:
        number_text, unit, number = repr(text), "", float(text)
    if not math.isfinite(number):
        raise error("not a finite number")

    if not unit:
        if dim is not Dimension.FRACTION:
            raise error("a bare number needs a unit")
        if number > 1.0:
            raise error(f'a bare fraction must be in 0..1; write "{number_text} %" for percent')
        value = number
    else:
        hint = _hint(number_text, unit)
        if hint is not None:
            raise error(hint)
        conversion = _conversion(unit, dim)
        if isinstance(conversion, str):
            raise error(conversion)
        scale, offset = conversion
        value = scale * number + offset
        if not math.isfinite(value):
            raise error("too large")

    if dim is Dimension.TEMPERATURE and value < 0.0:
        raise error("below absolute zero")
    if nonnegative and value < 0.0:
        raise error("negative; must be zero or more")
    return value


# Display units for format_si: (below this SI magnitude, symbol, SI value of one symbol).
_INF = math.inf
_DISPLAY: dict[Dimension, tuple[tuple[float, str, float], ...]] = {
    Dimension.POWER: ((1e3, "W", 1.0), (1e6, "kW", 1e3), (_INF, "MW", 1e6)),
    Dimension.LENGTH: ((1.0, "mm", 1e-3), (_INF, "m", 1.0)),
    Dimension.MASS: ((_INF, "kg", 1.0),),
    Dimension.TEMPERATURE_DIFFERENCE: ((_INF, "K", 1.0),),
    Dimension.VOLTAGE: ((1e3, "V", 1.0), (_INF, "kV", 1e3)),
    Dimension.CURRENT: ((_INF, "A", 1.0),),
    Dimension.PRESSURE: ((_INF, "kPa", 1e3),),
    Dimension.VOLUME_FLOW: ((1.0 / 60.0, "L/min", 1e-3 / 60.0), (_INF, "m³/h", 1.0 / 3600.0)),
    Dimension.VOLUME: ((_INF, "L", 1e-3),),
    Dimension.TIME: ((120.0, "s", 1.0), (7200.0, "min", 60.0), (_INF, "h", 3600.0)),
    Dimension.THERMAL_RESISTANCE: ((_INF, "K/W", 1.0),),
    Dimension.AREA_LOAD: ((_INF, "kg/m²", 1.0),),
    Dimension.FRACTION: ((_INF, "%", 0.01),),
    Dimension.ENERGY: ((1e3, "J", 1.0), (1e6, "kJ", 1e3), (1e9, "MJ", 1e6), (_INF, "GJ", 1e9)),
    Dimension.HEAT_CAPACITY: ((1e3, "J/K", 1.0), (1e6, "kJ/K", 1e3), (_INF, "MJ/K", 1e6)),
    Dimension.THERMAL_CONDUCTANCE: ((1e3, "W/K", 1.0), (_INF, "kW/K", 1e3)),
}


def _number(x: float, *, fixed: bool = False) -> str:
    text = f"{x:.1f}" if fixed or abs(x) >= 1.0 or x == 0.0 or not math.isfinite(x) else f"{x:.3g}"
    return "0.0" if text == "-0.0" else text


def format_si(value: float, dimension: Dimension | str) -> str:
    """Write an SI value for a message, in the unit people read for `dimension`.

    One decimal (three significant digits below 1); the display unit is chosen by
    magnitude: W/kW/MW, mm below 1 m, °C for temperatures, kPa, L/min below
    1000 L/min and m³/h above, s/min/h, % for fractions. Deterministic, no pint.

    Parameters
    ----------
    value : float
        The value in the SI unit of `dimension`.
    dimension : Dimension or str
        What the value is.

    Returns
    -------
    str
        For example ``"18.4 kW"``.

    Examples
    --------
    >>> format_si(18400.0, "power")
    '18.4 kW'
    >>> format_si(308.15, Dimension.TEMPERATURE)
    '35.0 °C'
    """
    dim = Dimension(dimension)
    if dim is Dimension.TEMPERATURE:
        return f"{_number(value - 273.15, fixed=True)} °C"
    for below, symbol, size in _DISPLAY[dim]:
        if abs(value) < below or below == _INF:
            return f"{_number(value / size)} {symbol}"
    raise AssertionError("unreachable: every display table ends with infinity")


_LINK_SPEED = re.compile(
    r"(?P<number>\d+(?:\.\d+)?)\s*(?P<prefix>[MGT])(?:b|bps|b/s|bit|bit/s|bE)?",
)
_LINK_BYTES = re.compile(r"\d+(?:\.\d+)?\s*[MGT](?:B|B/s|Bps)")
_LINK_EXPONENT = {"M": 6, "G": 9, "T": 12}


def parse_link_speed(text: str | int | float) -> float:
    """Read a network link speed such as ``"400G"`` into bits per second, without pint.

    Accepted: a number, an optional space, ``M``, ``G`` or ``T`` and optionally ``b``,
    ``bps``, ``b/s``, ``bit``, ``bit/s`` or ``bE``: ``"400G"``, ``"200 Gb/s"``,
    ``"200Gbps"``, ``"400 GbE"``, ``"1.6T"``, ``"100M"``. (pint would read ``G`` as gauss
    and ``Gbps`` as gigabaud.)

    Parameters
    ----------
    text : str
        The link speed.

    Returns
    -------
    float
        The speed. [bit/s]

    Raises
    ------
    UnitError
        For anything else, including bare numbers, bytes (``"50 GB/s"``) and zero.

    Examples
    --------
    >>> parse_link_speed("400G")
    400000000000.0
    >>> parse_link_speed("1.6T")
    1600000000000.0
    """

    def error(reason: str) -> UnitError:
        message = f'expected a link speed like "400G", got {_shown(text)} ({reason})'
        return UnitError(message, expected="link_speed", example="400G")

    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise error("not a link speed")
    if not isinstance(text, str):
        raise error('a bare number needs a unit: write "400G"')
    normalized = text.strip()
    match = _LINK_SPEED.fullmatch(normalized)
    if match is None:
        if _LINK_BYTES.fullmatch(normalized):
            raise error('"B" is bytes; link speeds are bits: write "400G" or "400 Gb/s"')
        raise error('write a number and M, G or T, e.g. "400G", "200 Gb/s", "1.6T"')
    # Parse "1.6e12" as one literal so 1.6T is exactly 1.6e12.
    value = float(f"{match['number']}e{_LINK_EXPONENT[match['prefix']]}")
    if value <= 0.0:
        raise error("must be positive")
    return value
