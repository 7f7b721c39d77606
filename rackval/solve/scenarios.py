"""Scenarios: normal operation and the N-1 contingencies, as edits of solver inputs.

A scenario never copies the design; it names what is dead (feeds, PDUs) and the
solvers leave those out. DESIGN §5 lists the names:
``normal``, ``feed-lost:<side>``, ``upstream-lost:<id>``, ``pdu-lost:<id>``,
``pump-lost:<cdu>``, ``cdu-lost:<cdu>``, ``facility-water-lost:<loop>``,
``pumps-lost:<loop>``, ``air-unit-lost`` (one of ``site.air.units``),
``switch-lost:<id>`` and ``link-lost:<id>`` (fabric connectivity and bandwidth).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..design.model import Design
from ..errors import ScenarioError

__all__ = [
    "Scenario",
    "NORMAL",
    "AIR_UNIT_LOST",
    "SWITCH_LOST",
    "LINK_LOST",
    "scenarios_for",
    "parse_scenario",
    "SkippedScenario",
]


@dataclass(frozen=True)
class Scenario:
    """What is lost in one scenario."""

    name: str
    dead_feeds: frozenset[str] = frozenset()
    dead_pdus: frozenset[str] = frozenset()
    closed_pumps: frozenset[str] = frozenset()  # pump links, "<cdu>:pump<k>"
    lost_cdus: frozenset[str] = frozenset()
    rejection_lost: frozenset[str] = frozenset()  # loops without facility water
    pumps_lost: frozenset[str] = frozenset()  # loops with every pump stopped
    air_units_lost: int = 0  # air units out of service (site.air.units)
    dead_switches: frozenset[str] = frozenset()  # fabric switches out of service
    dead_links: frozenset[str] = frozenset()  # fabric link ids out of service

    @property
    def kind(self) -> str:
        """The scenario kind: ``normal``, ``feed-lost``, ``pump-lost`` …"""
        return self.name.split(":", 1)[0]

    @property
    def domain(self) -> str | None:
        """``power``, ``liquid``, ``air`` or ``fabric`` for a failure scenario; None for
        normal operation."""
        if self.name == "normal":
            return None
        if self.kind in ("feed-lost", "upstream-lost", "pdu-lost"):
            return "power"
        if self.kind == AIR_UNIT_LOST:
            return "air"
        if self.kind in (SWITCH_LOST, LINK_LOST):
            return "fabric"
        return "liquid"

    def touches_loop(self, loop: str, cdus: set[str]) -> bool:
        """True when this scenario changes the loop ``loop`` (whose CDUs are ``cdus``)."""
        pumps = {p.split(":", 1)[0] for p in self.closed_pumps}
        return bool(
            loop in self.rejection_lost
            or loop in self.pumps_lost
            or cdus & self.lost_cdus
            or cdus & pumps
        )


NORMAL = Scenario("normal")
AIR_UNIT_LOST = "air-unit-lost"
SWITCH_LOST = "switch-lost"
LINK_LOST = "link-lost"


@dataclass(frozen=True)
class SkippedScenario:
    """A scenario that cannot apply to this design, and why."""

    name: str
    reason: str

    @property
    def path(self) -> str:
        """The design section the scenario is about (where a finding points)."""
        kind = self.name.split(":", 1)[0]
        return {
            "feed-lost": "power.feeds",
            "upstream-lost": "power.upstream",
            "pdu-lost": "racks",
            AIR_UNIT_LOST: "site.air",
            SWITCH_LOST: "network.fabrics",
            LINK_LOST: "network.links",
        }.get(kind, "cooling.loops")


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


def _cdu(design: Design, cdu: str):
    return next((c for loop in design.loops for c in loop.cdus if c.id == cdu), None)


def _pump_lost(design: Design, cdu: str) -> Scenario | SkippedScenario:
    found = _cdu(design, cdu)
    if found is None:
        return SkippedScenario(f"pump-lost:{cdu}", f"no CDU '{cdu}' in the design")
    pumps = found.part.cdu.pumps if found.part.cdu else None
    if not pumps or pumps < 1:
        return SkippedScenario(
            f"pump-lost:{cdu}", f"the pump count of '{found.part.slug}' is not known"
        )
    return Scenario(f"pump-lost:{cdu}", closed_pumps=frozenset({f"{cdu}:pump1"}))


def _cdu_lost(design: Design, cdu: str) -> Scenario | SkippedScenario:
    if _cdu(design, cdu) is None:
        return SkippedScenario(f"cdu-lost:{cdu}", f"no CDU '{cdu}' in the design")
    return Scenario(f"cdu-lost:{cdu}", lost_cdus=frozenset({cdu}))


def _loop_scenario(kind: str, field: str):
    def build(design: Design, loop: str) -> Scenario | SkippedScenario:
        if loop not in {lp.id for lp in design.loops}:
            return SkippedScenario(f"{kind}:{loop}", f"no loop '{loop}' in the design")
        return Scenario(f"{kind}:{loop}", **{field: frozenset({loop})})

    return build


def _air_unit_lost(design: Design) -> Scenario | SkippedScenario:
    air = design.site.air
    if air is None:
        return SkippedScenario(AIR_UNIT_LOST, "the design has no site.air")
    if air.units is None:
        return SkippedScenario(AIR_UNIT_LOST, "site.air does not give the number of air units")
    return Scenario(AIR_UNIT_LOST, air_units_lost=1)


def _fabric_switches(design: Design) -> list[str]:
    """Every switch of every fabric, in design order."""
    if not design.network.links:
        return []
    from ..fabric.graph import fabric_model

    seen: dict[str, None] = {}
    for fabric in fabric_model(design).fabrics.values():
        seen.update(dict.fromkeys(fabric.switches))
    return list(seen)


def _switch_lost(design: Design, switch: str) -> Scenario | SkippedScenario:
    if switch not in _fabric_switches(design):
        return SkippedScenario(
            f"{SWITCH_LOST}:{switch}", f"no switch '{switch}' with links in a fabric"
        )
    return Scenario(f"{SWITCH_LOST}:{switch}", dead_switches=frozenset({switch}))


def _link_lost(design: Design, link: str) -> Scenario | SkippedScenario:
    if link not in {lk.id for lk in design.network.links}:
        return SkippedScenario(f"{LINK_LOST}:{link}", f"no link '{link}' in the design")
    return Scenario(f"{LINK_LOST}:{link}", dead_links=frozenset({link}))


def _switch_links(design: Design) -> list[str]:
    """Ids of links between two switches (the ``all`` set of link-lost scenarios)."""
    kinds = {d.id: d.part.kind for d in design.devices}
    return [
        lk.id
        for lk in design.network.links
        if lk.fabric is not None
        and kinds.get(lk.a.device) == "switch"
        and kinds.get(lk.b.device) == "switch"
    ]


_BUILDERS = {
    "feed-lost": _feed_lost,
    "upstream-lost": _upstream_lost,
    "pdu-lost": _pdu_lost,
    "pump-lost": _pump_lost,
    "cdu-lost": _cdu_lost,
    "facility-water-lost": _loop_scenario("facility-water-lost", "rejection_lost"),
    "pumps-lost": _loop_scenario("pumps-lost", "pumps_lost"),
    SWITCH_LOST: _switch_lost,
    LINK_LOST: _link_lost,
}


def parse_scenario(design: Design, name: str) -> Scenario | SkippedScenario:
    """The scenario called ``name`` for this design.

    Raises
    ------
    ScenarioError
        The name is not a known scenario kind.
    """
    if name == "normal":
        return NORMAL
    if name == AIR_UNIT_LOST:
        return _air_unit_lost(design)
    kind, _, target = name.partition(":")
    if kind not in _BUILDERS or not target:
        kinds = [f"{k}:<id>" for k in _BUILDERS]
        known = ", ".join(["normal", *kinds, AIR_UNIT_LOST, "n-1", "all"])
        raise ScenarioError(f"unknown scenario '{name}' (known: {known})")
    return _BUILDERS[kind](design, target)


def scenarios_for(
    design: Design, selection: str | list[str] = "n-1"
) -> list[Scenario | SkippedScenario]:
    """Scenarios to run.

    ``normal``: only normal operation. ``n-1`` (default): normal, each feed side lost,
    each upstream lost when there are two or more, per coolant loop one pump of
    each CDU lost, each CDU lost, facility water lost and every pump lost, and each
    fabric switch lost. ``all``: n-1 plus every PDU lost and every switch-to-switch
    link lost. Otherwise a list of scenario names.
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
            for loop in design.loops:
                for cdu in loop.cdus:
                    out += [_pump_lost(design, cdu.id), _cdu_lost(design, cdu.id)]
                out.append(
                    Scenario(f"facility-water-lost:{loop.id}", rejection_lost=frozenset({loop.id}))
                )
                out.append(Scenario(f"pumps-lost:{loop.id}", pumps_lost=frozenset({loop.id})))
            if design.site.air is not None:
                out.append(_air_unit_lost(design))
            out += [
                Scenario(f"{SWITCH_LOST}:{s}", dead_switches=frozenset({s}))
                for s in _fabric_switches(design)
            ]
            if name == "all":
                out += [_pdu_lost(design, p.id) for p in design.pdus]
                out += [
                    Scenario(f"{LINK_LOST}:{lk}", dead_links=frozenset({lk}))
                    for lk in _switch_links(design)
                ]
        else:
            out.append(parse_scenario(design, name))
    unique: dict[str, Scenario | SkippedScenario] = {}
    for s in out:
        unique.setdefault(s.name, s)
    return list(unique.values())
