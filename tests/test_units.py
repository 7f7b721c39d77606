"""Tests for rackval.units: text with units -> SI floats.

Every expected value is a hand calculation from the unit's definition, written out:
inch = 0.0254 m, foot = 0.3048 m, pound = 0.45359237 kg, g_n = 9.80665 m/s²
(exact by definition), US gallon = 231 in³, rack unit = 1.75 in = 44.45 mm (EIA-310),
Btu = 1055.056 J (pint's british_thermal_unit, the ISO 31-4 rounded value).
"""

from __future__ import annotations

import doctest
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rackval.units as units
from rackval.errors import UnitError
from rackval.units import Dimension, format_si, parse, parse_link_speed, split

ROOT = Path(__file__).resolve().parents[1]

INCH = 0.0254
FOOT = 0.3048
POUND = 0.45359237
G_N = 9.80665
US_GALLON = 231 * INCH**3
BTU = 1055.056

# (text, dimension, SI value by hand)
CASES = [
    # power [W]
    ("1 W", "power", 1.0),
    ("10.2 kW", "power", 10.2e3),
    ("1.5 MW", "power", 1.5e6),
    ("1000 BTU/h", "power", 1000 * BTU / 3600),
    # length [m]
    ("600 mm", "length", 0.6),
    ("60 cm", "length", 0.6),
    ("2 m", "length", 2.0),
    ("1.5 km", "length", 1500.0),
    ("19 in", "length", 19 * INCH),
    ("2 ft", "length", 2 * FOOT),
    ("2 RU", "length", 2 * 1.75 * INCH),
    ("42 rack_unit", "length", 42 * 0.04445),
    # mass [kg]
    ("500 g", "mass", 0.5),
    ("142.4 kg", "mass", 142.4),
    ("1.2 t", "mass", 1200.0),
    ("100 lb", "mass", 100 * POUND),
    # temperature [K absolute]
    ("35 degC", "temperature", 35 + 273.15),
    ("35 °C", "temperature", 35 + 273.15),
    ("95 degF", "temperature", (95 - 32) * 5 / 9 + 273.15),
    ("95 °F", "temperature", (95 - 32) * 5 / 9 + 273.15),
    ("300 K", "temperature", 300.0),
    ("300 kelvin", "temperature", 300.0),
    ("-10 degC", "temperature", -10 + 273.15),
    # temperature_difference [K]
    ("10 K", "temperature_difference", 10.0),
    ("10 kelvin", "temperature_difference", 10.0),
    ("10 delta_degC", "temperature_difference", 10.0),
    ("18 delta_degF", "temperature_difference", 18 * 5 / 9),
    ("10 degC", "temperature_difference", 10.0),  # a rise of 10 degC is 10 K, not 283.15 K
    ("10 °C", "temperature_difference", 10.0),
    ("18 degF", "temperature_difference", 18 * 5 / 9),
    ("18 °F", "temperature_difference", 18 * 5 / 9),
    # voltage [V]
    ("500 mV", "voltage", 0.5),
    ("415 V", "voltage", 415.0),
    ("13.8 kV", "voltage", 13.8e3),
    # current [A]
    ("500 mA", "current", 0.5),
    ("32 A", "current", 32.0),
    ("1.2 kA", "current", 1200.0),
    # pressure [Pa]
    ("100 Pa", "pressure", 100.0),
    ("250 kPa", "pressure", 250e3),
    ("1.6 MPa", "pressure", 1.6e6),
    ("50 mbar", "pressure", 50 * 100.0),
    ("2.5 bar", "pressure", 2.5e5),
    ("30 psi", "pressure", 30 * POUND * G_N / INCH**2),
    ("0.5 inH2O", "pressure", 0.5 * INCH * 1000 * G_N),  # conventional: 1000 kg/m³ x g_n
    # volume_flow [m³/s]
    ("80 L/min", "volume_flow", 80e-3 / 60),
    ("2 L/s", "volume_flow", 2e-3),
    ("80 LPM", "volume_flow", 80e-3 / 60),
    ("20 GPM", "volume_flow", 20 * US_GALLON / 60),
    ("1105 CFM", "volume_flow", 1105 * FOOT**3 / 60),
    ("1105 ft^3/min", "volume_flow", 1105 * FOOT**3 / 60),
    ("36 m^3/h", "volume_flow", 36 / 3600),
    ("36 m³/h", "volume_flow", 36 / 3600),
    ("0.01 m^3/s", "volume_flow", 0.01),
    # volume [m³]
    ("500 mL", "volume", 500e-6),
    ("400 L", "volume", 0.4),
    ("0.4 m^3", "volume", 0.4),
    ("0.4 m³", "volume", 0.4),
    ("100 gal", "volume", 100 * US_GALLON),
    # time [s]
    ("250 ms", "time", 0.25),
    ("60 s", "time", 60.0),
    ("10 min", "time", 600.0),
    ("2 h", "time", 7200.0),
    # thermal_resistance [K/W]
    ("0.02 K/W", "thermal_resistance", 0.02),
    ("0.02 degC/W", "thermal_resistance", 0.02),
    ("0.02 °C/W", "thermal_resistance", 0.02),
    # area_load [kg/m²]
    ("1500 kg/m^2", "area_load", 1500.0),
    ("1500 kg/m²", "area_load", 1500.0),
    ("250 lb/ft^2", "area_load", 250 * POUND / FOOT**2),
    # fraction [1]
    ("80 %", "fraction", 0.8),
    ("80 percent", "fraction", 0.8),
    # energy [J]
    ("500 J", "energy", 500.0),
    ("3.6 kJ", "energy", 3600.0),
    ("3.6 MJ", "energy", 3.6e6),
    ("1 Wh", "energy", 3600.0),
    ("2 kWh", "energy", 2 * 3.6e6),
    # heat_capacity [J/K]
    ("4180 J/K", "heat_capacity", 4180.0),
    ("500 kJ/K", "heat_capacity", 5e5),
    ("4180 J/degC", "heat_capacity", 4180.0),
    # thermal_conductance [W/K]
    ("50 W/K", "thermal_conductance", 50.0),
    ("1.5 kW/K", "thermal_conductance", 1500.0),
    ("50 W/degC", "thermal_conductance", 50.0),
]


@pytest.mark.parametrize(("text", "dimension", "expected"), CASES)
def test_parse_every_documented_unit(text: str, dimension: str, expected: float) -> None:
    assert parse(text, dimension) == pytest.approx(expected, rel=1e-12)


def test_cases_cover_every_documented_unit() -> None:
    covered = {(dim, split(text)[1]) for text, dim, _ in CASES}
    for dim, spec in units._SPECS.items():
        for unit in spec.units:
            assert (dim.value, unit) in covered, f"no test for {unit!r} as {dim.value}"


def test_docs_list_every_documented_unit() -> None:
    docs = (ROOT / "docs" / "units.md").read_text(encoding="utf-8")
    for dim, spec in units._SPECS.items():
        assert f"`{dim.value}`" in docs
        for unit in spec.units:
            assert f"`{unit}`" in docs, f"docs/units.md does not mention {unit!r}"


@pytest.mark.parametrize("dimension", list(Dimension))
def test_every_example_parses(dimension: Dimension) -> None:
    value = parse(units.example(dimension), dimension)
    assert math.isfinite(value) and value > 0
    assert units.describe(dimension).endswith(f'like "{units.example(dimension)}"')


def test_dimension_accepts_enum_and_name() -> None:
    assert parse("10.2 kW", Dimension.POWER) == parse("10.2 kW", "power") == 10200.0
    assert Dimension("volume_flow") is Dimension.VOLUME_FLOW


def test_unknown_dimension_is_a_programming_error() -> None:
    with pytest.raises(ValueError) as info:
        parse("1 W", "wattage")
    assert not isinstance(info.value, UnitError)


def test_si_units() -> None:
    assert units.si_unit("volume_flow") == "m³/s"
    assert units.si_unit(Dimension.TEMPERATURE) == "K"
    assert units.si_unit("fraction") == "1"


# --- spelling: spaces, unicode -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dimension", "expected"),
    [
        ("10.2kW", "power", 10.2e3),
        ("  10.2   kW  ", "power", 10.2e3),
        ("80 L / min", "volume_flow", 80e-3 / 60),
        ("80%", "fraction", 0.8),
        ("1e3 W", "power", 1000.0),
        ("1.5E-3 m", "length", 1.5e-3),
        ("+35 degC", "temperature", 308.15),
        (".5 m", "length", 0.5),
        ("35℃", "temperature", 308.15),  # U+2103 DEGREE CELSIUS
        ("35 ºC", "temperature", 308.15),  # U+00BA ordinal indicator typed for a degree
        ("95 ℉", "temperature", (95 - 32) * 5 / 9 + 273.15),
        ("\u221210 degC", "temperature", 263.15),  # U+2212 MINUS SIGN
    ],
)
def test_spellings(text: str, dimension: str, expected: float) -> None:
    assert parse(text, dimension) == pytest.approx(expected, rel=1e-12)


# --- pitfalls --------------------------------------------------------------------------


def test_pitfall_pint_cannot_read_degC_as_one_string() -> None:
    # Why parse() splits first: pint reads "35 degC" as 35 * degC, ambiguous for offsets.
    import pint

    with pytest.raises(pint.OffsetUnitCalculusError):
        units._registry().Quantity("35 degC")
    assert parse("35 degC", "temperature") == pytest.approx(308.15, rel=1e-12)


def test_pitfall_no_offset_autoconversion() -> None:
    ureg = units._registry()
    assert ureg.autoconvert_offset_to_baseunit is False
    assert units._registry() is ureg  # created once


def test_rackval_definitions_in_the_registry() -> None:
    ureg = units._registry()
    assert ureg.Quantity(1, "RU").to("mm").magnitude == pytest.approx(44.45, rel=1e-12)
    assert ureg.Quantity(1, "rack_unit").to("mm").magnitude == pytest.approx(44.45, rel=1e-12)
    assert ureg.Quantity(1, "GPM").to("L/min").magnitude == pytest.approx(
        US_GALLON * 1000, rel=1e-12
    )


@pytest.mark.parametrize("text", ["2 U", "2U", "2 u"])
def test_pitfall_bare_U_is_not_a_rack_unit(text: str) -> None:
    # pint reads U as the enzyme unit ("2 U" would be a catalytic activity).
    with pytest.raises(UnitError, match=r'is not a rack unit here; write "2 RU"'):
        parse(text, "length")


@pytest.mark.parametrize("text", ["1105 cfm", "1105 Cfm", "1105cfm"])
def test_pitfall_lowercase_cfm(text: str) -> None:
    # pint reads cfm as centi-fermi (a length of 1e-17 m).
    with pytest.raises(UnitError, match=r'write "CFM" \(cubic feet per minute\)'):
        parse(text, "volume_flow")


@pytest.mark.parametrize(("text", "hint"), [("20 gpm", 'write "GPM"'), ("80 lpm", 'write "LPM"')])
def test_lowercase_gpm_lpm_hint(text: str, hint: str) -> None:
    with pytest.raises(UnitError, match=hint):
        parse(text, "volume_flow")


@pytest.mark.parametrize("text", ["400G", "400 G", "200 Gb/s", "200 Gbps", "400 GbE", "1.6T"])
def test_pitfall_link_speeds_are_not_quantities(text: str) -> None:
    # pint reads G as gauss, Gbps as gigabaud, T as tesla.
    with pytest.raises(UnitError, match="link speeds"):
        parse(text, "power")


@pytest.mark.parametrize(
    ("text", "dimension", "hint"),
    [
        ("35 C", "temperature", '"C" is the coulomb; write "35 degC"'),
        ("95 F", "temperature", '"F" is the farad; write "95 degF"'),
        ("35 °", "temperature", 'write "35 degC"'),
        ("35 deg", "temperature", 'write "35 degC"'),
        ("80 L/m", "volume_flow", 'write "80 L/min"'),
        ("17.3 kVA", "power", "apparent power"),
        ("36 m3/h", "volume_flow", 'write powers with "\\^"'),
        ("10 kw", "power", 'did you mean "kW"'),
        ("10 KW", "power", 'did you mean "kW"'),
        ("1105 cfs", "volume_flow", 'unknown unit "cfs"'),
        ("10 kW)", "power", 'cannot read the unit "kW\\)"'),
        ("5 m**", "length", 'cannot read the unit "m\\*\\*"'),
        ("2 rad", "fraction", 'write a fraction as "80 %"'),
    ],
)
def test_hints(text: str, dimension: str, hint: str) -> None:
    with pytest.raises(UnitError, match=hint):
        parse(text, dimension)


# --- wrong dimension -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dimension", "got"),
    [
        ("35 degC", "power", "a temperature"),
        ("10 delta_degC", "temperature", "a temperature difference"),
        ("10 delta_degC", "power", "a temperature difference"),
        ("10.2 kW", "temperature", "a power"),
        ("2 RU", "mass", "a length"),
        ("80 L/min", "volume", "a volume flow"),
        ("400 L", "volume_flow", "a volume"),
        ("1500 kg/m^2", "pressure", "a floor load \\(mass per area\\)"),
        ("250 kPa", "area_load", "a pressure"),
        ("80 %", "power", "a fraction"),
        ("5 W/K", "heat_capacity", "a thermal conductance"),
        ("2 m/s", "volume_flow", "a speed"),
        ("2 m^2", "length", "an area"),
        ("1 Hz", "time", "a frequency"),
        ("2 m^4", "length", r"dimension \[length\] \*\* 4"),
    ],
)
def test_wrong_dimension(text: str, dimension: str, got: str) -> None:
    with pytest.raises(UnitError, match=rf'got "{re.escape(text)}" \({got}\)$') as info:
        parse(text, dimension)
    assert info.value.expected == dimension
    assert info.value.example == units.example(dimension)


def test_wrong_dimension_message_exactly() -> None:
    with pytest.raises(UnitError) as info:
        parse("35 degC", "power")
    assert str(info.value) == 'expected a power like "10.2 kW", got "35 degC" (a temperature)'
    assert info.value.message == str(info.value)
    assert (info.value.expected, info.value.example) == ("power", "10.2 kW")
    assert isinstance(info.value, ValueError)


# --- non-finite, negative, empty, bare numbers -----------------------------------------


@pytest.mark.parametrize(
    "value", ["nan kW", "NaN kW", "inf kW", "-inf degC", "infinity W", "1e400 W", math.nan]
)
def test_non_finite(value: object) -> None:
    dimension = "fraction" if isinstance(value, float) else "power"
    with pytest.raises(UnitError, match="not a finite number"):
        parse(value, dimension)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [math.inf, -math.inf])
def test_non_finite_floats(value: float) -> None:
    with pytest.raises(UnitError, match="not a finite number"):
        parse(value, "fraction")


def test_overflow_after_conversion() -> None:
    # 1e307 TW = 1e319 W, beyond the largest float (~1.8e308).
    with pytest.raises(UnitError, match="too large"):
        parse("1e307 TW", "power")


def test_negative_refused_by_default() -> None:
    with pytest.raises(UnitError, match="negative"):
        parse("-5 kW", "power")
    with pytest.raises(UnitError, match="negative"):
        parse("-5 K", "temperature_difference")
    with pytest.raises(UnitError, match="negative"):
        parse("-0.1", "fraction")


def test_negative_allowed_on_request() -> None:
    assert parse("-5 kW", "power", nonnegative=False) == -5000.0
    assert parse("-5 K", "temperature_difference", nonnegative=False) == -5.0
    assert parse("-9 degF", "temperature_difference", nonnegative=False) == pytest.approx(-5.0)


def test_temperatures_are_checked_in_kelvin() -> None:
    # -10 degC = 263.15 K > 0: fine; -300 degC = -26.85 K: never, whatever the flag.
    assert parse("-10 degC", "temperature") == pytest.approx(263.15, rel=1e-12)
    assert parse("-40 degF", "temperature") == pytest.approx(233.15, rel=1e-12)
    for nonnegative in (True, False):
        with pytest.raises(UnitError, match="below absolute zero"):
            parse("-300 degC", "temperature", nonnegative=nonnegative)


def test_zero_is_fine() -> None:
    assert parse("0 m", "length") == 0.0
    assert parse("0 kW", "power") == 0.0
    assert parse("0 %", "fraction") == 0.0


@pytest.mark.parametrize(("value", "reason"), [("", "empty"), ("   ", "empty"), (None, "not a")])
def test_empty(value: object, reason: str) -> None:
    with pytest.raises(UnitError, match=reason):
        parse(value, "power")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", ["kW", "ten kW", "1 500 W", "1,5 kW", "--5 kW", "1 1/0", "W 10", "1" * 101 + " W"]
)
def test_unreadable(value: str) -> None:
    reason = "longer than" if len(value) > 100 else "not a number followed by a unit"
    with pytest.raises(UnitError, match=reason):
        parse(value, "power")


@pytest.mark.parametrize("value", [True, False, [1, "W"], {"value": 1}])
def test_not_a_quantity(value: object) -> None:
    with pytest.raises(UnitError, match="not a quantity"):
        parse(value, "fraction")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["10.2", "0", 0, 10, 10.2])
def test_bare_numbers_need_a_unit(value: object) -> None:
    with pytest.raises(UnitError, match="a bare number needs a unit"):
        parse(value, "power")  # type: ignore[arg-type]
    with pytest.raises(UnitError, match="a bare number needs a unit"):
        parse(value, "length")  # type: ignore[arg-type]


def test_bare_yaml_zero_altitude_needs_a_unit() -> None:
    with pytest.raises(UnitError) as info:
        parse(0, "length")
    assert str(info.value) == 'expected a length like "600 mm", got 0 (a bare number needs a unit)'


@pytest.mark.parametrize(
    ("value", "expected"), [("0.05", 0.05), (0.05, 0.05), (1, 1.0), (0, 0.0), ("1", 1.0)]
)
def test_bare_fraction(value: object, expected: float) -> None:
    assert parse(value, "fraction") == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [80, "80", 1.5])
def test_bare_fraction_above_one_hints_percent(value: object) -> None:
    with pytest.raises(UnitError, match=rf'must be in 0..1; write "{value} %"'):
        parse(value, "fraction")  # type: ignore[arg-type]


def test_percent_above_hundred_is_allowed() -> None:
    assert parse("120 %", "fraction") == pytest.approx(1.2, rel=1e-12)


# --- split -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("35 degC", (35.0, "degC")),
        ("1105CFM", (1105.0, "CFM")),
        ("  -1.5e3  L / min ", (-1500.0, "L / min")),
        ("0.05", (0.05, "")),
        (7, (7.0, "")),
        (0.5, (0.5, "")),
    ],
)
def test_split(text: object, expected: tuple[float, str]) -> None:
    assert split(text) == expected  # type: ignore[arg-type]


def test_split_nan_is_syntax_only() -> None:
    number, unit = split("nan kW")
    assert math.isnan(number) and unit == "kW"


@pytest.mark.parametrize("text", ["", "kW", "ten kW", True, None])
def test_split_refuses(text: object) -> None:
    with pytest.raises(UnitError):
        split(text)  # type: ignore[arg-type]


# --- format_si ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "dimension", "expected"),
    [
        (18400.0, "power", "18.4 kW"),
        (500.0, "power", "500.0 W"),
        (1.2e6, "power", "1.2 MW"),
        (80e-3 / 60, "volume_flow", "80.0 L/min"),
        (0.001333, "volume_flow", "80.0 L/min"),
        (1105 * FOOT**3 / 60, "volume_flow", "1877.4 m³/h"),  # 0.5215 m³/s x 3600
        (308.15, "temperature", "35.0 °C"),
        (273.15, "temperature", "0.0 °C"),
        (263.15, "temperature", "-10.0 °C"),
        (10.0, "temperature_difference", "10.0 K"),
        (250e3, "pressure", "250.0 kPa"),
        (50.0, "pressure", "0.05 kPa"),
        (0.6, "length", "600.0 mm"),
        (1.5e-6, "length", "0.0015 mm"),
        (20.0, "length", "20.0 m"),
        (142.4, "mass", "142.4 kg"),
        (0.8, "fraction", "80.0 %"),
        (415.0, "voltage", "415.0 V"),
        (13.8e3, "voltage", "13.8 kV"),
        (32.0, "current", "32.0 A"),
        (0.4, "volume", "400.0 L"),
        (60.0, "time", "60.0 s"),
        (600.0, "time", "10.0 min"),
        (7200.0, "time", "2.0 h"),
        (0.02, "thermal_resistance", "0.02 K/W"),
        (1500.0, "area_load", "1500.0 kg/m²"),
        (3.6e6, "energy", "3.6 MJ"),
        (5e5, "heat_capacity", "500.0 kJ/K"),
        (50.0, "thermal_conductance", "50.0 W/K"),
        (-5000.0, "power", "-5.0 kW"),
        (-0.0, "power", "0.0 W"),
    ],
)
def test_format_si(value: float, dimension: str, expected: str) -> None:
    assert format_si(value, dimension) == expected


@pytest.mark.parametrize("dimension", list(Dimension))
def test_format_si_then_parse_round_trips(dimension: Dimension) -> None:
    value = parse(units.example(dimension), dimension)
    text = format_si(value, dimension).replace("°C", "degC").replace("³", "^3").replace("²", "^2")
    assert parse(text, dimension) == pytest.approx(value, rel=1e-3)


# --- link speeds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("400G", 400e9),
        ("800G", 800e9),
        ("100G", 100e9),
        ("25G", 25e9),
        ("1G", 1e9),
        ("200 Gb/s", 200e9),
        ("200Gbps", 200e9),
        ("400 GbE", 400e9),
        ("400 Gbit/s", 400e9),
        ("1.6T", 1.6e12),
        ("100M", 100e6),
        (" 400G ", 400e9),
    ],
)
def test_parse_link_speed(text: str, expected: float) -> None:
    assert parse_link_speed(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("400", "write a number and M, G or T"),
        (400, "a bare number needs a unit"),
        ("50 GB/s", '"B" is bytes'),
        ("400g", "write a number and M, G or T"),
        ("0G", "must be positive"),
        ("-400G", "write a number and M, G or T"),
        ("nan G", "write a number and M, G or T"),
        ("400 Gauss", "write a number and M, G or T"),
        ("", "write a number and M, G or T"),
        (None, "not a link speed"),
    ],
)
def test_parse_link_speed_refuses(text: object, reason: str) -> None:
    with pytest.raises(UnitError, match=reason) as info:
        parse_link_speed(text)  # type: ignore[arg-type]
    assert (info.value.expected, info.value.example) == ("link_speed", "400G")


def test_link_speed_G_is_not_gauss() -> None:
    # pint would read "400 G" as 400 gauss; rackval reads bits per second.
    ureg = units._registry()
    assert str(ureg.Quantity(400, "G").units) == "gauss"
    assert parse_link_speed("400 G") == 400e9


# --- import weight, doctests ----------------------------------------------------------


def test_import_does_not_import_pint() -> None:
    code = "import rackval.units, sys; assert 'pint' not in sys.modules, 'pint imported'"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_doctests() -> None:
    result = doctest.testmod(units)
    assert result.attempted >= 8
    assert result.failed == 0
