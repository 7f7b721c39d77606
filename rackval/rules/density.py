"""Density rules (RV-DEN-*)."""

from __future__ import annotations

from collections.abc import Iterator

from ..design.model import Design, Rack
from ..solve.power import rack_power
from ..solve.solution import Solution
from .base import Finding, Need, rule
from .fit import _mass

__all__ = ["rack_density", "floor_load", "rack_mass"]


@rule(
    "RV-DEN-001",
    "rack-density",
    per_scenario=False,
    relevant=lambda design: design.site.max_rack_power is not None,
    needs=[Need("device", "power.max", when=lambda d: d.part.kind != "power-shelf")],
)
def rack_density(design: Design, solution: Solution) -> Iterator[Finding]:
    """A rack draws more power than the site allows per rack.

    What it checks: the power of every device in a rack at the chosen load basis
    (``--load max`` by default; power shelves excluded, they pass on the busbar load),
    against the hall's per-rack limit.
    Why it matters: the per-rack limit is what the hall's power distribution and
    cooling were built for; a denser rack needs a different row, more cooling or a
    liquid loop.
    Limit: ``site.max_rack_power`` (design); not checked when absent.
    Fails: a GB200 NVL72 rack (18 trays × 5.4 kW = 97.2 kW of trays) in a hall with
    ``max_rack_power: 40 kW``.
    Passes: two DGX H100 (20.4 kW) in the same hall.
    """
    limit = design.site.max_rack_power
    if limit is None:
        return
    for rack in design.racks:
        power = rack_power(rack, solution.power.load_basis)
        if power > limit:
            yield Finding.at(
                rack,
                f"rack draws {power / 1000:.1f} kW > {limit / 1000:.1f} kW per-rack limit of "
                f"the site",
                value=power,
                limit=limit,
            )


def rack_mass(rack: Rack) -> float:
    """Mass standing on a rack's footprint [kg]; unknown masses count as 0 (RV-CAT-001).

    The rack part, its devices and PDUs (as RV-FIT-003 sums them) and a rear door.
    An integrated rack system's catalog mass is the populated rack, so its contents
    are not added again.
    """
    total = _mass(rack)
    if rack.part.kind != "rack-system":
        total += sum(_mass(d) for d in rack.devices) + sum(_mass(p) for p in rack.pdus)
    if rack.rear_door is not None:
        total += rack.rear_door.mass or 0.0
    return total


@rule(
    "RV-DEN-002",
    "floor-load",
    per_scenario=False,
    relevant=lambda design: design.site.floor_rated_load is not None,
    needs=[
        Need("rack", "mass"),
        Need("rack", "rack.outer_width"),
        Need("rack", "rack.outer_depth"),
        Need("device", "mass"),
        Need("pdu", "mass"),
        Need("rear-door", "mass"),
    ],
)
def floor_load(design: Design, solution: Solution) -> Iterator[Finding]:
    """A rack loads the floor more than it is rated for.

    What it checks: the mass of every rack — the rack part, its devices and PDUs
    (an integrated rack system's mass is the populated rack) and a rear door — over
    its footprint (outer width × outer depth), against the floor's rated load.
    Racks need no position for this.
    Why it matters: a raised floor or slab loaded above its rating deflects, and
    tiles or pedestals can fail under a dense AI rack; the rack needs a spreader
    plate, a reinforced slab or another place.
    Limit: ``site.floor.rated_load`` (design, from the floor's structural rating);
    not checked when absent. Masses and dimensions from the catalog (cited).
    Fails: a GB200 NVL72 rack, 1,360 kg on 0.600 m × 1.068 m = 2,122 kg/m², on a floor
    rated 1,500 kg/m².
    Passes: the same rack on a floor rated 2,500 kg/m².
    """
    limit = design.site.floor_rated_load
    if limit is None:
        return
    for rack in design.racks:
        spec = rack.part.rack
        if spec is None or not spec.outer_width or not spec.outer_depth:
            continue
        area = spec.outer_width * spec.outer_depth
        mass = rack_mass(rack)
        load = mass / area
        if load > limit:
            yield Finding.at(
                rack,
                f"{mass:,.1f} kg on {spec.outer_width:.3f} m × {spec.outer_depth:.3f} m = "
                f"{area:.3f} m² is {load:,.0f} kg/m² > {limit:,.0f} kg/m² floor rating",
                value=load,
                limit=limit,
            )
