"""Scenarios: normal operation and the N-1 contingencies, as edits of solver inputs.

A scenario never copies the design; it names what is dead (feeds, PDUs) and the
solvers leave those out. DESIGN §5 lists the names:
``normal``, ``feed-lost:<side>``, ``upstream-lost:<id>``, ``pdu-lost:<id>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..design.model import Design

__all__ = ["Scenario", "NORMAL", "scenarios_for", "parse_scenario", "SkippedScenario"]


@dataclass(frozen=True)
class Scenario:
    """What is lost in one scenario."""

    name: str
    dead_feeds: frozenset[str] = frozenset()
    dead_pdus: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        """``normal``, ``feed-lost``, ``upstream-lost`` or ``pdu-lost``."""
        return self.name.split(":", 1)[0]


NORMAL = Scenario("normal")


@dataclass(frozen=True)
class SkippedScenario:
    """A scenario that cannot apply to this design, and why."""

    name: str
    reason: str


def _feed_lost(design: Design, side: str) -> Scenario | SkippedScenario:
    sides = sorted({f.side for f in design.power.feeds})
    if side not in sides:
        return SkippedScenario(f"feed-lost:{side}", f"the design has no feed on side {side}")
    if len(sides) < 2:
        return SkippedScenario(
            f"feed-lost:{side}",
            f"every feed is on side {side}; there is no other side to fail over to",
        )
    dead = frozenset(f.id for f in design.power.feeds if f.side == side)
    return Scenario(f"feed-lost:{side}", dead_feeds=dead)


def _upstream_lost(design: Design, upstream: str) -> Scenario | SkippedScenario:
    if upstream not in {u.id for u in design.power.upstream}:
        return SkippedScenario(
            f"upstream-lost:{upstream}", f"no upstream '{upstream}' in the design"
        )
    dead = frozenset(f.id for f in design.power.feeds if f.upstream == upstream)
    return Scenario(f"upstream-lost:{upstream}", dead_feeds=dead)


def _pdu_lost(design: Design, pdu: str) -> Scenario | SkippedScenario:
    if pdu not in {p.id for p in design.pdus}:
        return SkippedScenario(f"pdu-lost:{pdu}", f"no PDU '{pdu}' in the design")
    return Scenario(f"pdu-lost:{pdu}", dead_pdus=frozenset({pdu}))


def parse_scenario(design: Design, name: str) -> Scenario | SkippedScenario:
    """The scenario called ``name`` for this design.

    Raises
    ------
    ValueError
        The name is not a known scenario kind.
    """
    if name == "normal":
        return NORMAL
    kind, _, target = name.partition(":")
    builders = {"feed-lost": _feed_lost, "upstream-lost": _upstream_lost, "pdu-lost": _pdu_lost}
    if kind not in builders or not target:
        known = "normal, feed-lost:<side>, upstream-lost:<id>, pdu-lost:<id>, n-1, all"
        raise ValueError(f"unknown scenario '{name}' (known: {known})")
    return builders[kind](design, target)


def scenarios_for(
    design: Design, selection: str | list[str] = "n-1"
) -> list[Scenario | SkippedScenario]:
    """Scenarios to run.

    ``normal``: only normal operation. ``n-1`` (default): normal, each feed side lost,
    and each upstream lost when there are two or more. ``all``: n-1 plus every PDU
    lost. Otherwise a list of scenario names.
    """
    names = [selection] if isinstance(selection, str) else list(selection)
    out: list[Scenario | SkippedScenario] = []
    for name in names:
        if name in ("n-1", "all"):
            out.append(NORMAL)
            for side in sorted({f.side for f in design.power.feeds}):
                out.append(_feed_lost(design, side))
            if len(design.power.upstream) >= 2:
                out += [_upstream_lost(design, u.id) for u in design.power.upstream]
            if name == "all":
                out += [_pdu_lost(design, p.id) for p in design.pdus]
        else:
            out.append(parse_scenario(design, name))
    unique: dict[str, Scenario | SkippedScenario] = {}
    for s in out:
        unique.setdefault(s.name, s)
    return list(unique.values())
