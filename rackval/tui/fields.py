"""What each field of the design format is, for the forms: its kind, unit and choices.

Read from the pydantic models of :mod:`rackval.design.schema` (so a new field shows up
in the forms by itself); the dimension of a quantity comes from its name, as
:mod:`rackval.design.resolve` reads it.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .. import units
from ..design import schema as s
from ..design.load import FieldPath
from ..errors import UnitError

__all__ = ["FieldSpec", "fields_at", "check_value", "DIMENSIONS"]

DIMENSIONS: dict[str, str] = {
    "altitude": "length",
    "max_rack_power": "power",
    "supply_temperature": "temperature",
    "cooling_capacity": "power",
    "airflow": "volume_flow",
    "rated_load": "area_load",
    "voltage": "voltage",
    "breaker": "current",
    "capacity": "power",
    "volume": "volume",
    "ride_through": "time",
    "length": "length",
    "diameter": "length",
    "roughness": "length",
    "x": "length",
    "y": "length",
    "max_utilization": "fraction",
    "max_phase_imbalance": "fraction",
    "recirculation": "fraction",
}
"""Field name -> dimension of its quantity (as resolve.py reads it)."""

SIGNED = {"altitude", "x", "y"}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form.

    ``kind``: ``quantity`` (text with a unit of ``dimension``), ``int``, ``text``,
    ``part`` (a catalog slug, picked from the catalog), ``choice`` (one of ``choices``),
    ``bool``, or ``nested`` (a mapping or list, edited elsewhere).
    """

    name: str
    kind: str
    required: bool
    dimension: str = ""
    choices: tuple[Any, ...] = ()
    minimum: int | None = None
    description: str = ""


def _strip(annotation: Any) -> tuple[Any, bool]:
    """(annotation without Optional/Annotated, whether None is allowed)."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) == 1:
                annotation = args[0]
                continue
            return tuple(args), optional
        return annotation, optional


def _model(annotation: Any) -> type[BaseModel] | None:
    inner, _ = _strip(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return inner
    return None


def model_at(path: FieldPath) -> type[BaseModel] | None:
    """The schema model of the mapping at ``path`` (None if it is not one)."""
    current: Any = s.DesignSchema
    for part in path:
        if isinstance(part, int):
            inner, _ = _strip(current)
            if typing.get_origin(inner) is list:
                current = typing.get_args(inner)[0]
                continue
            return None
        model = _model(current)
        if model is None:
            return None
        info = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return None
        current = info.annotation
    return _model(current)


def _minimum(annotation: Any) -> int | None:
    for arg in typing.get_args(annotation):
        for meta in getattr(arg, "metadata", ()) or ():
            if hasattr(meta, "ge"):
                return int(meta.ge)
    return None


def _spec(name: str, info: Any) -> FieldSpec:
    inner, optional = _strip(info.annotation)
    required = info.is_required()
    description = info.description or ""
    if typing.get_origin(inner) is typing.Literal:
        return FieldSpec(name, "choice", required, choices=typing.get_args(inner))
    if inner is bool:
        return FieldSpec(name, "bool", required)
    if inner is int:
        return FieldSpec(
            name, "int", required, minimum=_minimum(info.annotation), description=description
        )
    if isinstance(inner, tuple) and set(inner) == {str, float, int}:
        dimension = DIMENSIONS.get(name, "")
        if not dimension and "fraction" in description.lower():
            dimension = "fraction"
        return FieldSpec(name, "quantity", required, dimension=dimension, description=description)
    if inner is str:
        kind = "part" if name in ("part", "rear_door") else "text"
        return FieldSpec(name, kind, required, description=description)
    return FieldSpec(name, "nested", required, description=description)


def fields_at(path: FieldPath) -> list[FieldSpec]:
    """The fields of the mapping at ``path``, in the schema's order ([] if unknown)."""
    model = model_at(path)
    if model is None:
        return []
    return [_spec(info.alias or name, info) for name, info in model.model_fields.items()]


def check_value(spec: FieldSpec, text: str) -> tuple[Any, str]:
    """Turn what was typed into the value to write, or an error message.

    Returns
    -------
    (value, error)
        ``error`` is "" when the text is valid; an empty optional field gives
        ``(None, "")`` (the field is removed).
    """
    text = text.strip()
    if not text:
        if spec.required:
            return None, f"{spec.name} is required"
        return None, ""
    if spec.kind == "quantity":
        if not spec.dimension:
            return text, ""
        try:
            units.parse(text, spec.dimension, nonnegative=spec.name not in SIGNED)
        except UnitError as exc:
            return None, exc.message
        if spec.dimension == "fraction":
            try:
                return float(text), ""
            except ValueError:
                return text, ""
        return text, ""
    if spec.kind == "int":
        try:
            value = int(text)
        except ValueError:
            return None, f"{spec.name} is a whole number, e.g. 3"
        if spec.minimum is not None and value < spec.minimum:
            return None, f"{spec.name} must be at least {spec.minimum}"
        return value, ""
    return text, ""
