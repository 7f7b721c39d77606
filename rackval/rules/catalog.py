"""RV-CAT-001: a rule cannot check a part because the part lacks a figure."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from ..design.model import Design
from ..solve.solution import Solution
from .base import RULES, Finding, figure, rule

__all__ = ["cannot_check"]


def _holders(design: Design, role: str):
    if role == "device":
        return design.devices
    if role == "pdu":
        return design.pdus
    if role == "rack":
        return design.racks
    if role == "cdu":
        return tuple(c for loop in design.loops for c in loop.cdus)
    if role == "rear-door":  # a rack's rear-door heat exchanger, reported at the rack
        return tuple(
            SimpleNamespace(
                part=r.rear_door, path=r.path, part_path=f"{r.path}.rear_door", where=r.where
            )
            for r in design.racks
            if r.rear_door is not None
        )
    if role in ("media", "interface"):
        return _network_holders(design, role)
    raise ValueError(f"unknown role {role!r}")


def _network_holders(design: Design, role: str) -> tuple[SimpleNamespace, ...]:
    """Media in use (stated or chosen by ``auto``) or link ends, reported at the link."""
    if not design.network.links:
        return ()
    from ..fabric.graph import fabric_model

    out = []
    for cl in fabric_model(design).links:
        link = cl.link
        if role == "media" and cl.media is not None:
            out.append(
                SimpleNamespace(
                    part=cl.media, path=link.path, part_path=f"{link.path}.media", where=link.where
                )
            )
        elif role == "interface":
            for side, end in (("a", link.a), ("b", link.b)):
                stand_in = SimpleNamespace(slug=end.type, speed=end.speed)
                out.append(
                    SimpleNamespace(
                        part=stand_in,
                        path=link.path,
                        part_path=f"{link.path}.{side}",
                        where=link.where,
                    )
                )
    return tuple(out)


@rule("RV-CAT-001", "cannot-check", severity="info", per_scenario=False)
def cannot_check(design: Design, solution: Solution) -> Iterator[Finding]:
    """A part lacks a figure that a selected rule needs, so that check was skipped.

    What it checks: for every selected rule, the part figures it declares it needs
    (e.g. RV-FIT-004 needs the device ``depth`` and the rack ``rack.mounting_depth``);
    one finding per part and missing figure, at the first place the part is used,
    naming the rules that could not check it. Media (cables, optics) and the NetBox
    interface types of link ends count as parts here: a media entry without ``reach``,
    or an interface type missing from ``catalog/interfaces.yaml``, is reported once.
    Why it matters: a figure the datasheet does not give is never guessed; the
    integrator must know which checks did not run and get the figure from the vendor
    (or add it to an inline part with its source).
    Limit: none — it reports missing data (catalog ``rackval:`` block; GAPs in
    ``../shared/reference`` stay missing).
    Fails: a GB200 NVL72 rack system, whose busbar rating no public source gives
    (RV-PWR-008 cannot check the busbar current).
    Passes: a DGX H100 rack whose parts carry every figure the selected rules need.
    """
    missing: dict[tuple[str, str], tuple[object, list[str]]] = {}
    for rule_id in solution.selected:
        checker = RULES.get(rule_id)
        if checker is None or (checker.relevant is not None and not checker.relevant(design)):
            continue
        for need in checker.needs:
            for holder in _holders(design, need.role):
                if need.when is not None and not need.when(holder):
                    continue
                if figure(holder.part, need.figure) is not None:
                    continue
                key = (holder.part.slug, need.figure)
                first, rules = missing.setdefault(key, (holder, []))
                if rule_id not in rules:
                    rules.append(rule_id)
    for (slug, name), (holder, rules) in missing.items():
        yield Finding.at(
            holder,
            f"part '{slug}' has no {name}; {', '.join(rules)} could not check it",
            path=getattr(holder, "part_path", f"{holder.path}.part"),
        )
