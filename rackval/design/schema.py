"""The design format, version 1, as pydantic models.

Values with units stay text here (``"10.2 kW"``); :mod:`rackval.design.resolve`
turns them into SI floats. Unknown keys are errors everywhere. The JSON Schema
that editors use (``rackval schema``) is generated from these models.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DesignSchema", "FileWaivers", "json_schema", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1

Quantity = Annotated[
    str | float | int,
    Field(
        description="A number with its unit as text, e.g. '10.2 kW', '35 degC', '80 L/min'.",
        json_schema_extra={"examples": ["10.2 kW"]},
    ),
]
Fraction = Annotated[
    str | float | int,
    Field(description="A fraction: a bare number in 0..1 or a percentage like '80 %'."),
]
Identifier = Annotated[
    str,
    Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$", description="Unique id."),
]


class Strict(BaseModel):
    """Base of every design model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Air(Strict):
    """Air side of the site serving these racks."""

    supply_temperature: Quantity | None = None
    ashrae_class: Literal["A1", "A2", "A3", "A4", "H1"] | None = None
    containment: Literal["none", "hot-aisle", "cold-aisle"] = "none"
    cooling_capacity: Quantity | None = None
    redundancy: Literal["N", "N+1", "N+2", "2N"] | None = None
    units: Annotated[int, Field(ge=1)] | None = None
    airflow: Quantity | None = Field(
        default=None, description="Total supply airflow of the air units, e.g. '40 m^3/s'."
    )
    recirculation: Fraction | None = Field(
        default=None,
        description="Share of each rack's inlet air that is its own exhaust (fraction model).",
    )
    recirculation_matrix: dict[str, dict[str, Fraction]] | None = Field(
        default=None,
        description=(
            "Share of rack i's exhaust reaching rack j's inlet, {i: {j: a_ij}} "
            "(Tang et al. 2008); replaces the fraction model."
        ),
    )
    ashrae_edition: Literal["2011", "2015", "2021"] | None = Field(
        default=None, description="Edition of the ASHRAE Thermal Guidelines; default the newest."
    )


class FacilityWater(Strict):
    """Facility water supplied to CDUs."""

    class_: Annotated[str | None, Field(alias="class")] = None
    supply_temperature: Quantity | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Floor(Strict):
    """Floor rating."""

    rated_load: Quantity | None = None


class Obstacle(Strict):
    """A column or other obstacle in the hall."""

    id: Identifier
    outline: list[tuple[Quantity, Quantity]]


class Hall(Strict):
    """Hall outline and obstacles (enables layout rules)."""

    outline: list[tuple[Quantity, Quantity]]
    obstacles: list[Obstacle] = []


class Site(Strict):
    """Where the racks stand."""

    altitude: Quantity | None = None
    max_rack_power: Quantity | None = None
    air: Air | None = None
    facility_water: FacilityWater | None = None
    floor: Floor | None = None
    hall: Hall | None = None


class Feed(Strict):
    """A power feed (circuit) from the facility to one or more rack PDUs."""

    id: Identifier
    side: Annotated[str, Field(min_length=1, description="Redundancy side, e.g. A or B.")]
    voltage: Quantity = Field(description="Line-to-line voltage for 3 phases, e.g. '415 V'.")
    phases: Literal[1, 3] = 3
    wiring: Literal["wye", "delta", "single"] | None = None
    breaker: Quantity = Field(description="Breaker rating per line, e.g. '63 A'.")
    max_utilization: Fraction | None = None
    upstream: Identifier | None = None


class Upstream(Strict):
    """A UPS, panel or busway that feeds several feeds."""

    id: Identifier
    capacity: Quantity


class Power(Strict):
    """Facility power: feeds and what feeds them."""

    feeds: list[Feed] = []
    max_phase_imbalance: Fraction | None = None
    upstream: list[Upstream] = []


class Cdu(Strict):
    """A CDU serving a loop."""

    id: Identifier
    part: str


class Pipe(Strict):
    """A pipe run."""

    length: Quantity
    diameter: Quantity
    roughness: Quantity | None = None
    fittings_k: Annotated[float, Field(ge=0)] | None = None


class Piping(Strict):
    """Headers and branch hose sets of a loop."""

    supply: Pipe | None = None
    return_: Annotated[Pipe | None, Field(alias="return")] = None
    branch: Pipe | None = None
    arrangement: Literal["direct-return", "reverse-return"] = "direct-return"

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Loop(Strict):
    """A technology cooling system (TCS) loop."""

    id: Identifier
    fluid: str = "PG25"
    supply_temperature: Quantity | None = None
    cdus: list[Cdu] = []
    redundancy: Literal["N", "N+1", "N+2", "2N"] | None = None
    volume: Quantity | None = None
    piping: Piping | None = None
    ride_through: Quantity | None = None


class Cooling(Strict):
    """Liquid cooling loops."""

    loops: list[Loop] = []


class Position(Strict):
    """Where a rack stands in the hall and which way its front faces."""

    x: Quantity
    y: Quantity
    facing: Literal["north", "east", "south", "west"] = "north"


class RackPdu(Strict):
    """A PDU mounted in (or beside) a rack, fed by a feed."""

    id: Identifier
    part: str
    feed: Identifier
    u: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="U position for rack-mounted (not zero-U) PDUs."
    )


class Device(Strict):
    """A device in a rack; ``count`` expands it into consecutive ids."""

    id: Identifier
    part: str
    u: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="Lowest rack unit occupied (bare number)."
    )
    count: Annotated[int, Field(ge=1)] = 1
    step: Annotated[int, Field(ge=1)] | None = None
    face: Literal["front", "rear"] = "front"
    psus: dict[str, list[Annotated[int, Field(ge=1)]]] | None = Field(
        default=None, description="PSU numbers per PDU id, e.g. {r01-pdu-a: [1, 2, 3]}."
    )
    phase: Literal["L1", "L2", "L3", "L1-L2", "L2-L3", "L3-L1"] | None = None


class Rack(Strict):
    """A rack (enclosure or integrated rack system) with its PDUs and devices."""

    id: Identifier
    part: str
    position: Position | None = None
    loop: Identifier | None = None
    rear_door: str | None = Field(
        default=None, description="Part slug of a rear-door heat exchanger (kind rdhx)."
    )
    shipped_racked: bool = False
    pdus: list[RackPdu] = []
    devices: list[Device] = []


class Waiver(Strict):
    """An accepted finding: which rule, where, why, who, until when (DESIGN §3, §8)."""

    rule: Annotated[str, Field(pattern=r"^RV-[A-Z]{3}(-\d{3})?$", description="Rule ID or area.")]
    target: Annotated[
        str,
        Field(min_length=1, description="Logical path of the finding, e.g. 'racks[r01]'."),
    ]
    reason: Annotated[str, Field(min_length=1, description="Why the finding is accepted.")]
    expires: date = Field(description="Last day the waiver applies (YYYY-MM-DD).")
    owner: str | None = Field(default=None, description="Who accepted it.")
    scenario: str | None = Field(
        default=None, description="Only in this scenario (default: every scenario)."
    )


class FileWaiver(Waiver):
    """A waiver in ``rackval.waivers.yaml``: also says which design files it is for."""

    design: str | None = Field(
        default=None,
        description="Glob of the design files, relative to the waiver file (default: all).",
    )


class FileWaivers(Strict):
    """``rackval.waivers.yaml``: the project's waivers."""

    waivers: list[FileWaiver] = []


class FabricRequirements(Strict):
    """What the fabric must deliver (RV-NET-003, RV-NET-004)."""

    oversubscription: str | None = Field(
        default=None,
        description="Largest downlink:uplink bandwidth ratio of any switch, e.g. '1:1', '2:1'.",
    )
    min_bisection: Quantity | None = Field(
        default=None,
        description=(
            "Smallest bisection bandwidth: a share of full bisection ('100 %') or a speed "
            "('51.2T')."
        ),
    )
    split: list[str] | None = Field(
        default=None,
        description="Device-id globs of one half of the endpoints for the bisection cut.",
    )


class FabricGenerate(Strict):
    """Links generated from a topology; they are ordinary links afterwards."""

    topology: Literal["rail-optimized", "fat-tree"] = Field(
        description="rail-optimized: NIC k of every node of a scalable unit to leaf k; "
        "fat-tree: every NIC of a node to the same leaf (top of rack)."
    )
    nodes: str = Field(description="Device-id glob of the endpoints, e.g. 'r0[1-4]-c*'.")
    rails: Annotated[int, Field(ge=1)] = Field(description="Fabric NICs per node.")
    ports: str | None = Field(
        default=None,
        description="Interface-name glob of the node NICs in rail order (default: the "
        "node's fastest non-management interfaces).",
    )
    leaves: str = Field(description="Device-id glob of the leaf switches.")
    spines: str | None = Field(default=None, description="Device-id glob of the spines.")
    cores: str | None = Field(
        default=None, description="Device-id glob of the core switches (3-tier fat tree)."
    )
    pods: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="3-tier: number of pods the leaves and spines split into."
    )
    oversubscription: str | None = Field(
        default=None,
        description="Down:up ratio to build (default: requirements.oversubscription, else 1:1).",
    )
    media: str = Field(
        default="auto",
        description="Media id for every generated link, or 'auto' (shortest reach that fits).",
    )


class Fabric(Strict):
    """A network fabric: its requirements and (optionally) the links it generates."""

    id: Identifier
    kind: Literal["infiniband", "ethernet"]
    requirements: FabricRequirements | None = None
    rails: Annotated[int, Field(ge=1)] | None = Field(
        default=None,
        description="Explicit links only: rail-optimized with this many NICs per node "
        "(rail order: the node part's interface order); generate: states its own.",
    )
    generate: FabricGenerate | None = None


class Link(Strict):
    """A cable between two ports, each written 'device:interface' ('sw1:p1/2' = sub-port 2)."""

    id: Identifier | None = None
    a: str
    b: str
    fabric: Identifier | None = None
    media: str | None = Field(default=None, description="Media id, or 'auto'.")
    speed: str | None = Field(default=None, description="Expected link speed, e.g. '400G'.")
    breakout: Annotated[int, Field(ge=2)] | None = Field(
        default=None, description="Split end a's port into this many sub-ports ('p1/1' …)."
    )
    length: Quantity | None = Field(
        default=None, description="Measured cable length; replaces the routed estimate."
    )


class Breakout(Strict):
    """A port split into equal sub-ports, named 'port/1' … 'port/n'."""

    port: str = Field(description="'device:interface'")
    into: Annotated[int, Field(ge=2)]


class Cabling(Strict):
    """Cable routing figures (RV-NET-007); no standard gives them, so the design does."""

    slack: Quantity | None = Field(
        default=None,
        description="Length added to every routed cable (service loops, tray drops), e.g. '1 m'.",
    )


class Network(Strict):
    """Fabrics, links and media."""

    fabrics: list[Fabric] = []
    links: list[Link] = []
    breakouts: list[Breakout] = []
    cabling: Cabling | None = None
    media: list[dict[str, Any]] = Field(
        default=[], description="Inline media, same format as catalog/media.yaml."
    )


class DesignSchema(Strict):
    """A rackval design file (format version 1)."""

    rackval: Literal[1] = Field(description="Format version.")
    name: str
    description: str | None = None
    site: Site = Site()
    power: Power = Power()
    cooling: Cooling = Cooling()
    racks: list[Rack] = []
    network: Network = Network()
    parts: list[dict[str, Any]] = Field(
        default=[], description="Inline parts, same format as the catalog (NetBox + rackval:)."
    )
    waivers: list[Waiver] = Field(
        default=[], description="Accepted findings, each with a reason and an expiry date."
    )


def json_schema() -> dict[str, Any]:
    """JSON Schema of the design format (with ``include`` allowed at the top)."""
    schema = DesignSchema.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "rackval design, format version 1"
    schema["properties"]["include"] = {
        "description": "Files (glob patterns) whose sections are merged into this design.",
        "type": "array",
        "items": {"type": "string"},
    }
    return schema
