"""Parts in SI: what the catalog and inline ``parts:`` resolve to.

Every figure is an SI float or ``None`` when the source does not give it (a
missing figure is never guessed; rules that need it report RV-CAT-001).
Units: W, m, kg, K (absolute temperatures), K (differences), V, A, Pa, m³/s, m³,
K/W, fractions in 0..1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "PartPower",
    "PartCooling",
    "PartCoolant",
    "PduBank",
    "PduSpec",
    "PowerShelfSpec",
    "RackSpec",
    "CduSpec",
    "RdhxSpec",
    "Interface",
    "Part",
    "KINDS",
]

KINDS = (
    "gpu-node",
    "cpu-node",
    "compute-tray",
    "storage",
    "switch",
    "pdu",
    "power-shelf",
    "cdu",
    "rdhx",
    "rack",
    "rack-system",
    "other",
)


@dataclass(frozen=True)
class PartPower:
    """Electrical input of a device."""

    max: float | None = None  # [W] maximum input power
    typical: float | None = None  # [W]
    power_factor: float | None = None  # [1]; None = 1.0 assumed (stated in findings)
    psus: int | None = None  # number of power supplies (inputs)
    psu_rating: float | None = None  # [W] output rating of one PSU
    psus_required: int | None = None  # live PSUs needed for full performance
    psus_minimum: int | None = None  # fewest live PSUs it keeps running on (power-capped)
    input_voltage: tuple[float, float] | None = None  # [V] accepted range (min, max)
    inlet: str | None = None  # NetBox power-port type of each PSU inlet, e.g. iec-60320-c20
    feed: str = "outlet"  # "outlet" (plugs into a PDU) | "busbar" (rack busbar / power shelf)


@dataclass(frozen=True)
class PartCooling:
    """Air side of a device."""

    max_inlet_air: float | None = None  # [K]
    min_inlet_air: float | None = None  # [K]
    airflow: float | None = None  # [m³/s] at max power
    air_delta_t: float | None = None  # [K] air temperature rise at max power
    liquid_fraction: float | None = 0.0  # [1] share of power removed by coolant; None = not stated


@dataclass(frozen=True)
class PartCoolant:
    """Liquid side of a cold-plate device (all optional: GAPs stay None)."""

    min_flow: float | None = None  # [m³/s]
    max_supply: float | None = None  # [K]
    pressure_drop_flow: float | None = None  # [m³/s] flow of the datasheet ΔP point
    pressure_drop: float | None = None  # [Pa] ΔP at that flow
    thermal_resistance: float | None = None  # [K/W] case to coolant
    hottest_chip_power: float | None = None  # [W]
    max_case: float | None = None  # [K]
    volume: float | None = None  # [m³]
    fluids: tuple[str, ...] = ()  # accepted coolants; empty = not stated


@dataclass(frozen=True)
class PduBank:
    """One breaker-protected outlet group of a PDU, on one line (wye) or line pair (delta)."""

    name: str
    line: str  # "L1" | "L2" | "L3" (wye, single phase) or "L1-L2" | "L2-L3" | "L3-L1" (delta)
    breaker: float | None = None  # [A]
    outlets: dict[str, int] = field(default_factory=dict)  # NetBox outlet type -> count


@dataclass(frozen=True)
class PduSpec:
    """A rack PDU: its input and outlets."""

    voltage: float  # [V] line-to-line for 3 phases, circuit voltage for 1 phase
    phases: int  # 1 or 3
    wiring: str  # "wye" | "delta" | "single"
    current: float | None = None  # [A] rated input current per line
    mounting: str = "zero-u"  # "zero-u" | "rack"
    outlets: dict[str, int] = field(default_factory=dict)  # NetBox outlet type -> count
    banks: tuple[PduBank, ...] = ()  # empty when the datasheet gives no bank map


@dataclass(frozen=True)
class PowerShelfSpec:
    """A DC power shelf feeding a rack busbar (ORv3, GB200 NVL72)."""

    psus: int
    psu_rating: float | None = None  # [W]
    psus_required: int | None = None
    output_voltage: float | None = None  # [V] busbar voltage
    busbar_rating: float | None = None  # [A]


@dataclass(frozen=True)
class RackSpec:
    """An enclosure (or the enclosure of an integrated rack system)."""

    u_height: int | None  # None when no source gives the U count
    outer_width: float | None = None  # [m]
    outer_depth: float | None = None  # [m]
    outer_height: float | None = None  # [m]
    mounting_depth: float | None = None  # [m]
    static_load: float | None = None  # [kg]
    dynamic_load: float | None = None  # [kg]
    zero_u_slots: int | None = None
    busbar_voltage: float | None = None  # [V] rack systems with a DC busbar
    busbar_rating: float | None = None  # [A]


@dataclass(frozen=True)
class CduSpec:
    """Coolant distribution unit rating (most vendors publish only part of it)."""

    rated_heat: float | None = None  # [W]
    approach: float | None = None  # [K] at the rated heat
    secondary_flow: float | None = None  # [m³/s] at the rated point
    primary_flow: float | None = None  # [m³/s]
    pumps: int | None = None
    pump_curve: tuple[tuple[float, float], ...] = ()  # ([m³/s], [Pa]) points
    max_pressure: float | None = None  # [Pa]
    reservoir: float | None = None  # [m³]
    mounting: str = "in-row"  # "in-row" | "in-rack" | "facility"


@dataclass(frozen=True)
class RdhxSpec:
    """Rear-door heat exchanger capacity at stated conditions."""

    capacity: float | None = None  # [W]
    min_water_temperature: float | None = None  # [K]
    active: bool = False


@dataclass(frozen=True)
class Interface:
    """A network port (NetBox interface)."""

    name: str
    type: str
    mgmt_only: bool = False


@dataclass(frozen=True)
class Part:
    """A catalog or inline part, resolved to SI."""

    slug: str
    manufacturer: str
    model: str
    kind: str
    source: str
    u_height: float = 0.0  # [RU]; 0 for zero-U
    is_full_depth: bool = True
    airflow: str | None = None  # NetBox airflow, e.g. "front-to-rear"
    mass: float | None = None  # [kg]
    depth: float | None = None  # [m]
    confidence: str = "primary"  # "primary" | "secondary" | "community"
    power: PartPower = field(default_factory=PartPower)
    cooling: PartCooling = field(default_factory=PartCooling)
    coolant: PartCoolant | None = None
    pdu: PduSpec | None = None
    power_shelf: PowerShelfSpec | None = None
    rack: RackSpec | None = None
    cdu: CduSpec | None = None
    rdhx: RdhxSpec | None = None
    interfaces: tuple[Interface, ...] = ()
    provenance: dict[str, str] = field(default_factory=dict)
    file: str = ""  # where the part was defined (catalog file or design)
    line: int = 0
