"""RV-SCN-001: a requested scenario does not apply to the design."""

from __future__ import annotations

from collections.abc import Iterator

from ..design.model import Design
from ..solve.solution import Solution
from .base import Finding, rule

__all__ = ["scenario_skipped"]


@rule("RV-SCN-001", "scenario-skipped", severity="info", per_scenario=False)
def scenario_skipped(design: Design, solution: Solution) -> Iterator[Finding]:
    """A requested failure scenario cannot apply to this design and was skipped.

    What it checks: every scenario asked for (by ``--scenarios`` or the default N-1
    set) that is structurally impossible: ``feed-lost:B`` when every feed is on side A,
    an upstream, PDU, CDU or loop id the design does not have, ``pump-lost`` of a CDU
    whose pump count the datasheet does not give.
    Why it matters: a design with one feed side has no A/B redundancy; the integrator
    should see that the failover was not evaluated rather than read silence as a pass.
    Limit: none — the design's structure (feed sides, upstream and PDU ids).
    Fails: a rack whose two PDUs are both on side A (``feed-lost:A`` is skipped: there
    is no other side to fail over to).
    Passes: a rack with an A and a B feed.
    """
    for skip in solution.skipped:
        yield Finding(
            rule="",
            severity="",
            scenario=skip.name,
            path=skip.path,
            message=f"scenario skipped: {skip.reason}",
            location=design.where,
        )
