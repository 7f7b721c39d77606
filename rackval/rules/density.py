"""Density rules (RV-DEN-*)."""

from __future__ import annotations

from collections.abc import Iterator

from ..design.model import Design
from ..solve.power import rack_power
from ..solve.solution import Solution
from .base import Finding, Need, rule

__all__ = ["rack_density"]


@rule(
    "RV-DEN-001",
    "rack-density",
    per_scenario=False,
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
