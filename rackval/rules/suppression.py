"""RV-SUP-001: a suppression that matched nothing, lacks a reason, or has expired."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..design.model import Design
from .base import Finding, rule

__all__ = ["unused_suppression"]


@rule("RV-SUP-001", "unused-suppression", severity="warning", per_scenario=False)
def unused_suppression(design: Design, check: Any) -> Iterator[Finding]:
    """An inline suppression or a waiver that matched nothing, has no reason, or expired.

    What it checks: after the other rules ran, every ``# rackval: ignore[RULE] reason``
    comment in the design's files and every waiver (``waivers:`` of the design,
    ``rackval.waivers.yaml``): a comment without a reason or naming an unknown rule, a
    waiver past its ``expires`` date, and a suppression of a rule that ran (in a
    scenario that ran) but accepted no finding. It runs after the suppressions are
    applied (``rackval.waivers``), on the list of problems they left; its findings
    cannot themselves be suppressed.
    Why it matters: a stale suppression hides the next real problem at the same place;
    an expired waiver means an accepted risk is due for review, and the finding it
    accepted is reported again; an unexplained suppression cannot be reviewed.
    Limit: none — the suppressions as written (reason required, ``expires`` in the
    past counts from the day after it).
    Fails: a waiver ``{rule: RV-PWR-001, target: power.feeds[B1], expires: 2020-01-31}``
    (expired); ``# rackval: ignore[RV-FIT-001]`` on a line without a finding.
    Passes: ``# rackval: ignore[RV-PWR-001] A side replaced in Q3`` on the line of a
    feed that overloads when side A is lost.
    """
    for problem in check.problems:
        yield Finding.at(problem, problem.message)
