"""Parts as text for people: every figure with its unit, the gaps and the sources."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from ..catalog import missing_figures
from ..design.parts import Part
from ..units import format_si

__all__ = ["describe_part"]

# field name -> dimension used to show it (SI floats inside, units for people)
DIMENSIONS = {
    "max": "power",
    "typical": "power",
    "psu_rating": "power",
    "rated_heat": "power",
    "capacity": "power",
    "depth": "length",
    "outer_width": "length",
    "outer_depth": "length",
    "outer_height": "length",
    "mounting_depth": "length",
    "mass": "mass",
    "static_load": "mass",
    "dynamic_load": "mass",
    "max_inlet_air": "temperature",
    "min_inlet_air": "temperature",
    "max_supply": "temperature",
    "max_case": "temperature",
    "min_water_temperature": "temperature",
    "air_delta_t": "temperature_difference",
    "approach": "temperature_difference",
    "airflow": "volume_flow",
    "min_flow": "volume_flow",
    "secondary_flow": "volume_flow",
    "primary_flow": "volume_flow",
    "pressure_drop_flow": "volume_flow",
    "voltage": "voltage",
    "output_voltage": "voltage",
    "busbar_voltage": "voltage",
    "input_voltage": "voltage",
    "current": "current",
    "breaker": "current",
    "busbar_rating": "current",
    "pressure_drop": "pressure",
    "max_pressure": "pressure",
    "volume": "volume",
    "reservoir": "volume",
    "thermal_resistance": "thermal_resistance",
    "liquid_fraction": "fraction",
    "power_factor": "fraction",
    "hottest_chip_power": "power",
}
SKIP = {
    "slug",
    "manufacturer",
    "model",
    "kind",
    "source",
    "confidence",
    "provenance",
    "file",
    "line",
    "interfaces",
}


def _show(name: str, value: Any) -> str:
    dimension = DIMENSIONS.get(name)
    if dimension and isinstance(value, float):
        return format_si(value, dimension)
    if dimension and isinstance(value, tuple) and all(isinstance(v, float) for v in value):
        return " – ".join(format_si(v, dimension) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _lines(obj: Any, indent: str) -> list[str]:
    out = []
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.name in SKIP or value in (None, {}, ()):
            continue
        if is_dataclass(value):
            inner = _lines(value, indent + "  ")
            if inner:
                out += [f"{indent}{f.name}:", *inner]
        elif isinstance(value, tuple) and value and is_dataclass(value[0]):
            out.append(f"{indent}{f.name}:")
            for item in value:
                out.append(
                    f"{indent}  - "
                    + "; ".join(
                        f"{g.name} {_show(g.name, getattr(item, g.name))}"
                        for g in fields(item)
                        if getattr(item, g.name) not in (None, {}, ())
                    )
                )
        else:
            out.append(f"{indent}{f.name}: {_show(f.name, value)}")
    return out


def describe_part(part: Part) -> list[str]:
    """Lines describing a part: identity, source, figures with units, gaps, provenance."""
    lines = [
        f"{part.manufacturer} {part.model} ({part.slug}), {part.kind}",
        f"source: {part.source}",
        f"confidence: {part.confidence}",
        *_lines(part, ""),
    ]
    if part.interfaces:
        kinds: dict[str, int] = {}
        for interface in part.interfaces:
            kinds[interface.type] = kinds.get(interface.type, 0) + 1
        lines.append("interfaces: " + ", ".join(f"{n} × {t}" for t, n in kinds.items()))
    missing = missing_figures(part)
    lines.append(f"missing figures: {', '.join(missing) if missing else 'none'}")
    lines += [f"provenance {key}: {text}" for key, text in part.provenance.items()]
    return lines
