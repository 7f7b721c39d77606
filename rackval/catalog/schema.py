"""The format of a part file: a NetBox device type (or rack type) plus a ``rackval:`` block.

The NetBox keys follow the devicetype-library schema (``schema/devicetype.json`` and
``schema/racktype.json`` of netbox-community/devicetype-library); their values are
NetBox's own (numbers with ``weight_unit`` / ``outer_unit``). Everything NetBox does not
hold lives in the ``rackval:`` block, where every physical value is text with a unit
(``"10.2 kW"``, ``"35 degC"``) that :mod:`rackval.catalog.build` converts to SI.

Unknown keys are errors at the top level and in the ``rackval:`` block; NetBox
component items (``power-ports``, ``interfaces`` ...) may carry keys rackval does not
use. A quantity field carries its dimension as :class:`Dim` metadata, which the
converter reads; pydantic only checks that it is a number or text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    WithJsonSchema,
    field_validator,
)

from ..design.parts import KINDS

__all__ = [
    "Dim",
    "PartFile",
    "RackvalBlock",
    "PowerBlock",
    "CoolingBlock",
    "CoolantBlock",
    "PressureDropPoint",
    "PduBlock",
    "BankBlock",
    "PowerShelfBlock",
    "RackBlock",
    "CduBlock",
    "RdhxBlock",
    "PowerPortItem",
    "PowerOutletItem",
    "InterfaceItem",
    "ComponentItem",
    "KIND_BLOCKS",
    "AIRFLOWS",
    "WEIGHT_UNITS",
    "WIRING_LINES",
]


@dataclass(frozen=True)
class Dim:
    """Metadata on a quantity field: the :class:`rackval.units.Dimension` it must have."""

    dimension: str


def _quantity(value: Any) -> Any:
    """Accept unit text or a bare number; the unit converter checks the rest."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError('expected a quantity written as text with a unit, like "10.2 kW"')
    return value


def _name(value: Any) -> Any:
    """NetBox component names may be read as numbers from YAML (``name: 08``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


_QuantitySchema = WithJsonSchema(
    {"type": ["string", "number"], "description": "number with a unit"}
)
_Q = Annotated[Any, BeforeValidator(_quantity), _QuantitySchema]


def _q(dimension: str) -> Any:
    return Annotated[_Q | None, Dim(dimension)]


Power = _q("power")
Length = _q("length")
Temperature = _q("temperature")
TemperatureDifference = _q("temperature_difference")
Voltage = _q("voltage")
Current = _q("current")
Pressure = _q("pressure")
VolumeFlow = _q("volume_flow")
Volume = _q("volume")
ThermalResistance = _q("thermal_resistance")
Fraction = _q("fraction")
Name = Annotated[str, BeforeValidator(_name)]
Count = Annotated[StrictInt, Field(ge=0)]

AIRFLOWS = (
    "front-to-rear",
    "rear-to-front",
    "left-to-right",
    "right-to-left",
    "side-to-rear",
    "rear-to-side",
    "bottom-to-top",
    "top-to-bottom",
    "passive",
    "mixed",
)
"""NetBox airflow choices (devicetype-library ``generated_schema.json``)."""

WEIGHT_UNITS = {"kg": 1.0, "g": 1e-3, "lb": 0.45359237, "oz": 0.028349523125}
"""NetBox weight units and their size in kg (exact definitions of lb and oz)."""

WIRING_LINES = {
    "wye": ("L1", "L2", "L3"),
    "delta": ("L1-L2", "L2-L3", "L3-L1"),
    "single": ("L1",),
}
"""Valid ``line`` of a PDU bank per wiring: wye and single-phase banks are line to
neutral, delta banks are line to line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=False)


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=False)


# -- NetBox component items ---------------------------------------------------------
class ComponentItem(_Open):
    """Any NetBox component (console port, module bay ...): a name and whatever else."""

    name: Name | None = None


class PowerPortItem(_Open):
    """A NetBox power port: for a device, one PSU inlet; for a PDU, its input cord."""

    name: Name
    type: str | None = None
    maximum_draw: StrictInt | None = Field(default=None, ge=0)
    allocated_draw: StrictInt | None = Field(default=None, ge=0)


class PowerOutletItem(_Open):
    """A NetBox power outlet of a PDU."""

    name: Name
    type: str | None = None
    feed_leg: Literal["A", "B", "C"] | None = None
    power_port: Name | None = None


class InterfaceItem(_Open):
    """A NetBox interface; ``type`` is a NetBox interface type slug (``400gbase-x-osfp``)."""

    name: Name
    type: str
    mgmt_only: StrictBool = False


# -- the rackval: block -------------------------------------------------------------
class PowerBlock(_Strict):
    """Electrical input of a device."""

    max: Power = Field(None, description="maximum input power")
    typical: Power = Field(None, description="typical input power")
    power_factor: Fraction = Field(None, description="input power factor (0..1)")
    psus: Count | None = Field(None, description="number of power supplies")
    psu_rating: Power = Field(None, description="output rating of one PSU")
    psus_required: Count | None = Field(None, description="live PSUs for full performance")
    psus_minimum: Count | None = Field(
        None, description="fewest live PSUs it keeps running on, power-capped (degraded mode)"
    )
    input_voltage: tuple[Voltage, Voltage] | None = Field(
        None, description="accepted input voltage range [min, max]"
    )
    inlet: str | None = Field(None, description="NetBox power-port type of each PSU inlet")
    feed: Literal["outlet", "busbar"] = Field("outlet", description="plugs into a PDU or a busbar")


class CoolingBlock(_Strict):
    """Air side of a device."""

    max_inlet_air: Temperature = None
    min_inlet_air: Temperature = None
    airflow: VolumeFlow = Field(None, description="airflow at max power")
    air_delta_t: TemperatureDifference = Field(
        None, description="air temperature rise at max power"
    )
    liquid_fraction: Fraction = Field(None, description="share of power removed by coolant")


class PressureDropPoint(_Strict):
    """One datasheet point of a device's coolant pressure drop."""

    at: VolumeFlow = Field(..., description="flow of the datasheet point")
    dp: Pressure = Field(..., description="pressure drop at that flow")


class CoolantBlock(_Strict):
    """Liquid side of a cold-plate device (every figure optional)."""

    min_flow: VolumeFlow = None
    max_supply: Temperature = None
    pressure_drop: PressureDropPoint | None = None
    thermal_resistance: ThermalResistance = None
    hottest_chip_power: Power = None
    max_case: Temperature = None
    volume: Volume = None
    fluids: list[str] = Field(default_factory=list)


class BankBlock(_Strict):
    """A breaker-protected outlet group of a PDU."""

    name: Name
    line: str = Field(..., description="L1|L2|L3 (wye, single) or L1-L2|L2-L3|L3-L1 (delta)")
    breaker: Current = None
    outlets: dict[str, Count] = Field(default_factory=dict)


class PduBlock(_Strict):
    """A rack PDU: input, outlets and banks."""

    voltage: Voltage = Field(
        ..., description="line-to-line (3 phases) or circuit voltage (1 phase)"
    )
    phases: Literal[1, 3]
    wiring: Literal["wye", "delta", "single"]
    current: Current = Field(None, description="rated input current per line")
    mounting: Literal["zero-u", "rack"] | None = None
    outlets: dict[str, Count] | None = Field(None, description="outlet type -> count")
    banks: list[BankBlock] = Field(default_factory=list)


class PowerShelfBlock(_Strict):
    """A DC power shelf feeding a rack busbar."""

    psus: Count
    psu_rating: Power = None
    psus_required: Count | None = None
    output_voltage: Voltage = None
    busbar_rating: Current = None


class RackBlock(_Strict):
    """Enclosure figures NetBox does not hold (or holds without units)."""

    outer_width: Length = None
    outer_depth: Length = None
    outer_height: Length = None
    mounting_depth: Length = None
    static_load: _q("mass") = None
    dynamic_load: _q("mass") = None
    zero_u_slots: Count | None = None
    busbar_voltage: Voltage = None
    busbar_rating: Current = None


class CduBlock(_Strict):
    """A coolant distribution unit's rating."""

    rated_heat: Power = None
    approach: TemperatureDifference = None
    secondary_flow: VolumeFlow = None
    primary_flow: VolumeFlow = None
    pumps: Count | None = None
    pump_curve: list[tuple[Annotated[_Q, Dim("volume_flow")], Annotated[_Q, Dim("pressure")]]] = (
        Field(default_factory=list, description="[flow, head pressure] points")
    )
    max_pressure: Pressure = None
    reservoir: Volume = None
    mounting: Literal["in-row", "in-rack", "facility"] = "in-row"


class RdhxBlock(_Strict):
    """A rear-door heat exchanger's capacity."""

    capacity: Power = None
    min_water_temperature: Temperature = None
    active: StrictBool = False


class RackvalBlock(_Strict):
    """What NetBox does not hold: kind, source and the figures the checks need."""

    kind: Literal[KINDS]  # type: ignore[valid-type]
    source: str = Field(..., min_length=1, description="document, URL, tag, retrieval date")
    confidence: Literal["primary", "secondary", "community"] = "primary"
    provenance: dict[str, str] = Field(default_factory=dict)
    depth: Length = None
    power: PowerBlock | None = None
    cooling: CoolingBlock | None = None
    coolant: CoolantBlock | None = None
    pdu: PduBlock | None = None
    power_shelf: PowerShelfBlock | None = None
    rack: RackBlock | None = None
    cdu: CduBlock | None = None
    rdhx: RdhxBlock | None = None


KIND_BLOCKS = {
    "pdu": ("pdu",),
    "power_shelf": ("power-shelf",),
    "rack": ("rack", "rack-system"),
    "cdu": ("cdu",),
    "rdhx": ("rdhx",),
}
"""The kind-specific blocks and the kinds that may carry them."""


# -- the whole file ---------------------------------------------------------------
class PartFile(_Strict):
    """A part file: NetBox device-type (and rack-type) keys plus ``rackval:``."""

    manufacturer: str = Field(..., min_length=1)
    model: str = Field(..., min_length=1)
    slug: str = Field(..., pattern=r"^[a-z0-9][-a-z0-9_]*$")
    part_number: Name | None = None
    u_height: float | None = Field(None, ge=0)
    is_full_depth: StrictBool | None = None
    airflow: Literal[AIRFLOWS] | None = None  # type: ignore[valid-type]
    weight: float | None = Field(None, ge=0)
    weight_unit: Literal["kg", "g", "lb", "oz"] | None = None
    subdevice_role: Literal["parent", "child"] | None = None
    comments: str | None = None
    description: str | None = None
    front_image: StrictBool | None = None
    rear_image: StrictBool | None = None
    exclude_from_utilization: StrictBool | None = None
    is_powered: StrictBool | None = None
    default_platform: str | None = None
    power_ports: list[PowerPortItem] = Field(default_factory=list, alias="power-ports")
    power_outlets: list[PowerOutletItem] = Field(default_factory=list, alias="power-outlets")
    interfaces: list[InterfaceItem] = Field(default_factory=list)
    console_ports: list[ComponentItem] = Field(default_factory=list, alias="console-ports")
    console_server_ports: list[ComponentItem] = Field(
        default_factory=list, alias="console-server-ports"
    )
    front_ports: list[ComponentItem] = Field(default_factory=list, alias="front-ports")
    rear_ports: list[ComponentItem] = Field(default_factory=list, alias="rear-ports")
    module_bays: list[ComponentItem] = Field(default_factory=list, alias="module-bays")
    device_bays: list[ComponentItem] = Field(default_factory=list, alias="device-bays")
    inventory_items: list[ComponentItem] = Field(default_factory=list, alias="inventory-items")
    # NetBox rack-type keys (outer_* in outer_unit, mounting_depth in mm, max_weight in weight_unit)
    form_factor: (
        Literal[
            "wall-cabinet",
            "4-post-frame",
            "2-post-frame",
            "4-post-cabinet",
            "wall-frame",
            "wall-frame-vertical",
            "wall-cabinet-vertical",
        ]
        | None
    ) = None
    width: Literal[10, 19, 20, 23] | None = None
    starting_unit: StrictInt | None = Field(None, ge=1)
    outer_width: float | None = Field(None, ge=0)
    outer_height: float | None = Field(None, ge=0)
    outer_depth: float | None = Field(None, ge=0)
    outer_unit: Literal["mm", "in"] | None = None
    mounting_depth: float | None = Field(None, ge=0)
    max_weight: float | None = Field(None, ge=0)
    desc_units: StrictBool | None = None
    rackval: RackvalBlock

    @field_validator("u_height")
    @classmethod
    def _half_units(cls, value: float | None) -> float | None:
        if value is not None and (value * 2) != int(value * 2):
            raise ValueError("u_height must be a multiple of 0.5")
        return value
