"""A resolved design: frozen dataclasses, SI floats, parts looked up.

This is what solvers and rules see. Units: W, m, kg, K (absolute temperatures and
differences), V, A, Pa, m³/s, m³, s, fractions in 0..1. Every object knows its
logical path (``racks[r01].pdus[r01-pdu-a]``) and where it was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ..catalog.media import Media
from ..errors import Location
from .parts import Part

__all__ = [
    "Feed",
    "Upstream",
    "PowerPlan",
    "AirSite",
    "Obstacle",
    "Hall",
    "Site",
    "LoopCdu",
    "Pipe",
    "Piping",
    "Loop",
    "RackPdu",
    "Device",
    "Rack",
    "Waiver",
    "Design",
]


@dataclass(frozen=True)
class Feed:
    """A facility power feed."""

    id: str
    side: str
    voltage: float  # [V] line-to-line (3 phases) or circuit voltage (1 phase)
    phases: int
    wiring: str  # "wye" | "delta" | "single"
    breaker: float  # [A] per line
    max_utilization: float | None  # [1]; None: the NEC continuous-load fraction applies
    upstream: str | None
    path: str
    where: Location


@dataclass(frozen=True)
class Upstream:
    """A UPS, panel or busway feeding several feeds."""

    id: str
    capacity: float  # [W]
    path: str
    where: Location


@dataclass(frozen=True)
class PowerPlan:
    """Feeds, upstreams and the design's electrical limits."""

    feeds: tuple[Feed, ...] = ()
    upstream: tuple[Upstream, ...] = ()
    max_phase_imbalance: float | None = None  # [1]
    max_phase_imbalance_where: Location | None = None


@dataclass(frozen=True)
class AirSite:
    """Air side of the site."""

    supply_temperature: float | None = None  # [K]
    ashrae_class: str | None = None
    containment: str = "none"
    cooling_capacity: float | None = None  # [W]
    redundancy: str | None = None
    units: int | None = None
    recirculation: float | None = None  # [1] share of inlet air that is own exhaust
    airflow: float | None = None  # [m³/s] total supply airflow of the units
    recirculation_matrix: dict[str, dict[str, float]] | None = None  # [1] a_ij, i → j
    ashrae_edition: str | None = None  # None: the newest edition in standards.yaml
    path: str = "site.air"
    where: Location | None = None


Point = tuple[float, float]  # [m] (x, y) in the hall's plan coordinates


@dataclass(frozen=True)
class Obstacle:
    """A column or other obstacle in the hall."""

    id: str
    outline: tuple[Point, ...]  # [m]
    path: str
    where: Location


@dataclass(frozen=True)
class Hall:
    """The hall floor: outline and obstacles, in plan coordinates [m]."""

    outline: tuple[Point, ...]
    obstacles: tuple[Obstacle, ...]
    path: str
    where: Location


@dataclass(frozen=True)
class Site:
    """Site limits."""

    altitude: float | None = None  # [m]
    max_rack_power: float | None = None  # [W]
    max_rack_power_where: Location | None = None
    air: AirSite | None = None
    facility_water_class: str | None = None
    facility_water_supply: float | None = None  # [K]
    floor_rated_load: float | None = None  # [kg/m²]
    floor_rated_load_where: Location | None = None
    hall: Hall | None = None


@dataclass(frozen=True)
class LoopCdu:
    """A CDU on a loop."""

    id: str
    part: Part
    path: str
    where: Location


@dataclass(frozen=True)
class Pipe:
    """A pipe run of a loop."""

    length: float  # [m]
    diameter: float  # [m] inner diameter
    roughness: float | None  # [m] absolute roughness
    fittings_k: float | None  # [-] sum of minor-loss coefficients


@dataclass(frozen=True)
class Piping:
    """Headers and branch hoses of a loop."""

    supply: Pipe | None
    return_: Pipe | None
    branch: Pipe | None
    arrangement: str  # "direct-return" | "reverse-return"


@dataclass(frozen=True)
class Loop:
    """A coolant loop (solved by the liquid-cooling solver)."""

    id: str
    fluid: str
    supply_temperature: float | None  # [K]
    cdus: tuple[LoopCdu, ...]
    redundancy: str | None
    volume: float | None  # [m³]
    ride_through: float | None  # [s]
    piping: Piping | None
    path: str
    where: Location


@dataclass(frozen=True)
class RackPdu:
    """A PDU in a rack, fed by a feed."""

    id: str
    part: Part
    feed: str
    u: int | None
    rack: str
    path: str
    where: Location


@dataclass(frozen=True)
class Device:
    """A device in a rack (after ``count`` expansion)."""

    id: str
    part: Part
    u: int | None
    face: str  # "front" | "rear"
    rack: str
    psu_map: dict[str, tuple[int, ...]] | None  # PDU id -> PSU numbers (1-based); None = default
    phase: str | None  # pin every PSU of the device to this line
    path: str
    where: Location

    @property
    def u_top(self) -> int | None:
        """Highest rack unit occupied (u + height − 1), or None without a U position."""
        if self.u is None:
            return None
        return self.u + max(int(round(self.part.u_height)), 1) - 1


@dataclass(frozen=True)
class Rack:
    """A rack with its PDUs and devices."""

    id: str
    part: Part
    x: float | None  # [m]
    y: float | None  # [m]
    facing: str
    loop: str | None
    shipped_racked: bool
    pdus: tuple[RackPdu, ...]
    devices: tuple[Device, ...]
    path: str
    where: Location
    rear_door: Part | None = None  # rear-door heat exchanger (kind rdhx)
    position_where: Location | None = None

    @property
    def placed(self) -> bool:
        """True when the rack has a position in the hall."""
        return self.x is not None and self.y is not None


@dataclass(frozen=True)
class Waiver:
    """An accepted finding (``waivers:`` of the design or ``rackval.waivers.yaml``).

    It suppresses findings of ``rule`` (an ID or an ID prefix) at ``target`` or below it,
    in ``scenario`` (None: every scenario), until the end of ``expires``.
    """

    rule: str
    target: str
    reason: str
    expires: date
    owner: str | None
    scenario: str | None
    path: str  # where the waiver itself is: "waivers[0]"
    where: Location | None
    design: str | None = None  # rackval.waivers.yaml: glob of the design files it is for


@dataclass(frozen=True)
class LinkEnd:
    """One end of a link: a device's port (or sub-port ``p1/2`` of a broken-out port)."""

    device: str
    port: str  # interface name, with "/k" for sub-port k of a breakout
    interface: str  # the interface of the part the port belongs to
    type: str  # NetBox interface type
    speed: float | None  # [bit/s] of the (sub-)port; None: type not in interfaces.yaml
    form_factor: str | None
    breakout: int = 1  # sub-ports the interface is split into

    @property
    def name(self) -> str:
        """``device:port``."""
        return f"{self.device}:{self.port}"


@dataclass(frozen=True)
class Link:
    """A cable between two ports (explicit in ``network.links`` or generated)."""

    id: str
    a: LinkEnd
    b: LinkEnd
    fabric: str | None
    media: Media | None  # None with media_auto: chosen by length when the fabric is built
    media_auto: bool
    speed: float | None  # [bit/s] speed the design expects, if stated
    length: float | None  # [m] measured length, if stated (else routed)
    generated: bool
    path: str
    where: Location


@dataclass(frozen=True)
class FabricSpec:
    """A fabric: requirements and the generator's roles (device ids in design order)."""

    id: str
    kind: str  # "infiniband" | "ethernet"
    oversubscription: float | None  # [1] required max down:up ratio
    min_bisection: float | None  # [1] share of full bisection, or …
    min_bisection_speed: float | None  # [bit/s] … an absolute bisection bandwidth
    split: tuple[str, ...] | None  # device ids of one half, when stated
    topology: str | None  # "rail-optimized" | "fat-tree" | None (explicit links only)
    nodes: tuple[str, ...]  # endpoint device ids
    rails: int | None
    node_ports: dict[str, tuple[str, ...]]  # node -> its fabric NIC ports in rail order
    leaves: tuple[str, ...]
    spines: tuple[str, ...]
    cores: tuple[str, ...]
    path: str
    where: Location
    requirements_where: Location | None = None


@dataclass(frozen=True)
class Network:
    """The network section, with generated links expanded."""

    fabrics: tuple[FabricSpec, ...] = ()
    links: tuple[Link, ...] = ()
    media: dict[str, Media] = field(default_factory=dict)  # catalog + inline, by id
    slack: float | None = None  # [m] added to each routed cable (design figure)
    where: Location | None = None


@dataclass(frozen=True)
class Design:
    """A resolved design."""

    name: str
    description: str | None
    file: str
    site: Site
    power: PowerPlan
    loops: tuple[Loop, ...]
    racks: tuple[Rack, ...]
    parts: dict[str, Part] = field(default_factory=dict)
    where: Location | None = None
    network: Network = field(default_factory=Network)
    waivers: tuple[Waiver, ...] = ()
    sources: tuple[str, ...] = ()  # the design file and the files it includes

    def feed(self, feed_id: str) -> Feed:
        """The feed with this id."""
        return next(f for f in self.power.feeds if f.id == feed_id)

    @cached_property
    def pdus(self) -> tuple[RackPdu, ...]:
        """Every PDU of every rack."""
        return tuple(p for r in self.racks for p in r.pdus)

    @cached_property
    def devices(self) -> tuple[Device, ...]:
        """Every device of every rack."""
        return tuple(d for r in self.racks for d in r.devices)

    @cached_property
    def racks_by_loop(self) -> dict[str, tuple[Rack, ...]]:
        """The racks on each coolant loop."""
        out: dict[str, list[Rack]] = {}
        for rack in self.racks:
            if rack.loop is not None:
                out.setdefault(rack.loop, []).append(rack)
        return {loop: tuple(racks) for loop, racks in out.items()}
