"""Network fabric rules (RV-NET-001…008).

They read the links of ``network:`` (explicit and generated) through
:func:`rackval.fabric.graph.fabric_model` and the per-scenario figures of
:mod:`rackval.fabric.analysis` (``solution.fabric``). A design without links has
nothing to check.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..design.model import Design, FabricSpec
from ..solve.solution import Solution
from .base import Finding, Need, rule

if TYPE_CHECKING:
    from ..fabric.graph import CableLink, Fabric, FabricModel

__all__ = [
    "port_mismatch",
    "port_reuse",
    "oversubscription",
    "bisection",
    "single_point_of_failure",
    "rail_misalignment",
    "cable_reach",
    "unconnected_port",
]

_TOLERANCE = 1e-9  # relative: figures equal to the limit up to float rounding pass


def fabric_model(design: Design) -> FabricModel:
    """The design's fabric graph; networkx is imported only for a design with links."""
    from ..fabric.graph import fabric_model as build

    return build(design)


def _model(design: Design) -> FabricModel | None:
    return fabric_model(design) if design.network.links else None


def _gbps(speed: float | None) -> str:
    if speed is None:
        return "unknown speed"
    if speed >= 1e12:
        return f"{speed / 1e12:g} Tb/s"
    return f"{speed / 1e9:g} Gb/s"


def _link(cl: CableLink, message: str, **kw) -> Finding:
    return Finding.at(cl.link, message, **kw)


def _device(model: FabricModel, ident: str, message: str, **kw) -> Finding:
    return Finding.at(model.devices[ident], message, **kw)


@rule("RV-NET-001", "port-mismatch", per_scenario=False, needs=[Need("interface", "speed")])
def port_mismatch(design: Design, solution: Solution) -> Iterator[Finding]:
    """The two ends of a link, or its media, do not fit together.

    What it checks: for every link (explicit or generated) the speed of both ports (a
    broken-out port's sub-port runs at the port speed divided by the breakout), the
    link's stated ``speed``, the ports' form factors when no media converts between
    them, and the media against the ports: its form factor must be one of the ends',
    and the speed it carries per far end (speed ÷ breakout) must reach the link's speed.
    Why it matters: a 400G NIC on an unsplit 800G port, an OSFP cable in a QSFP112 cage
    or a 200G splitter leg on a 400G link either does not plug in or does not come up at
    the planned speed, and every bandwidth figure of the design is then wrong.
    Limit: port speed, lanes, form factor and allowed breakouts from the NetBox
    interface type (``catalog/interfaces.yaml``, cited); media speed, breakout and form
    factor from the media catalog (``catalog/media.yaml`` or inline ``network.media``,
    cited). An interface type not in the table is reported by RV-CAT-001.
    Fails: an 800gbase-x-osfp switch port cabled straight to a 400gbase-x-osfp NIC.
    Passes: the same port declared ``breakouts: [{port: sw1:p1, into: 2}]`` and the NIC
    on ``sw1:p1/1``.
    """
    model = _model(design)
    if model is None:
        return
    for cl in model.links:
        a, b, link = cl.link.a, cl.link.b, cl.link
        if a.speed is not None and b.speed is not None and a.speed != b.speed:
            hint = ""
            faster = a if a.speed > b.speed else b
            if faster.speed and faster.breakout == 1:
                hint = f"; break {faster.name} out, or use a port of {_gbps(min(a.speed, b.speed))}"
            yield _link(
                cl,
                f"{a.name} runs at {_gbps(a.speed)}, {b.name} at {_gbps(b.speed)}{hint}",
                value=max(a.speed, b.speed),
                limit=min(a.speed, b.speed),
            )
            continue
        speed = min((v for v in (a.speed, b.speed) if v is not None), default=None)
        if link.speed is not None and speed is not None and link.speed != speed:
            yield _link(
                cl,
                f"the link is stated at {_gbps(link.speed)} but its ports run at {_gbps(speed)}",
                value=speed,
                limit=link.speed,
            )
            continue
        forms = {f for f in (a.form_factor, b.form_factor) if f is not None}
        media = cl.media
        if media is None:
            if len(forms) == 2 and not link.media_auto:
                yield _link(cl, f"{a.name} is {a.form_factor}, {b.name} is {b.form_factor}")
            elif len(forms) == 2:
                yield _link(
                    cl,
                    f"{a.name} is {a.form_factor}, {b.name} is {b.form_factor}: name the "
                    "converting cable in media:",
                )
            continue
        if media.form_factor is not None and forms and media.form_factor not in forms:
            yield _link(
                cl,
                f"media {media.id} is {media.form_factor}; the ports are "
                f"{' and '.join(sorted(forms))}",
            )
        elif speed is not None and media.link_speed is not None and media.link_speed < speed:
            yield _link(
                cl,
                f"media {media.id} carries {_gbps(media.link_speed)} per end "
                f"({_gbps(media.speed)} / {media.breakout}); the link runs at {_gbps(speed)}",
                value=speed,
                limit=media.link_speed,
            )


@rule("RV-NET-002", "port-reuse", per_scenario=False)
def port_reuse(design: Design, solution: Solution) -> Iterator[Finding]:
    """A port is used by more than one link.

    What it checks: every (device, port) over all links, explicit and generated; each
    link after the first on the same port is reported, naming the first, and the
    device's port count (so "more links than ports" shows as reuse).
    Why it matters: one cage takes one cable; the second cable of the plan has nowhere
    to go, and the technician finds out at the rack.
    Limit: the interfaces of the part (catalog, NetBox device type) and declared
    breakouts (sub-ports ``p1/1`` …).
    Fails: two explicit links both ending on ``leaf1:p1``; an explicit link on a port
    the generator also uses is impossible (the generator skips ports explicit links use).
    Passes: every link on its own port.
    """
    model = _model(design)
    if model is None:
        return
    first: dict[tuple[str, str], str] = {}
    for cl in model.links:
        for end in (cl.link.a, cl.link.b):
            key = (end.device, end.port)
            if key in first:
                ports = len(model.devices[end.device].part.interfaces)
                yield _link(
                    cl,
                    f"port {end.name} is already used by link {first[key]} "
                    f"({end.device} has {ports} interfaces)",
                )
            else:
                first[key] = cl.link.id


def _severity(solution: Solution) -> str | None:
    """Requirements missed in a failure scenario are warnings (degraded), else errors."""
    return "warning" if solution.scenario.domain == "fabric" else None


@rule("RV-NET-003", "oversubscription", per_scenario=False)
def oversubscription(design: Design, solution: Solution) -> Iterator[Finding]:
    """A switch's downlink bandwidth over its uplink bandwidth exceeds the requirement.

    What it checks: for every switch below the top tier of a fabric with
    ``requirements.oversubscription``, r = D / U with D the bandwidth of its live links
    to lower tiers (nodes, or leaves for a spine) and U to higher tiers; r > the
    required ratio is a finding. Tiers are hop distances from the nodes (leaf 1, spine
    2, core 3). Checked in normal operation: the ratio is what the fabric was built
    for. After a switch or link loss the bandwidth that is left is judged by RV-NET-004
    (bisection) in the ``switch-lost``/``link-lost`` scenarios; a lost spine raising
    every leaf's r is not reported again leaf by leaf.
    Why it matters: an oversubscribed leaf caps all-reduce bandwidth of every GPU below
    it; a 1:1 training fabric that is really 2:1 halves collective throughput.
    Limit: ``network.fabrics[].requirements.oversubscription`` of the design (e.g. 1:1).
    Fails: a leaf with 32 × 400G down and 16 × 400G up under a 1:1 requirement (2:1).
    Passes: 32 down and 32 up (1:1).
    """
    if solution.fabric is None:
        return
    model = fabric_model(design)
    for fid, result in solution.fabric.fabrics.items():
        spec = model.fabrics[fid].spec
        if spec is None or spec.oversubscription is None:
            continue
        limit = spec.oversubscription
        for load in result.switches.values():
            if load.ratio is None or load.ratio <= limit * (1 + _TOLERANCE):
                continue
            shown = "∞ (no live uplink)" if math.isinf(load.ratio) else f"{load.ratio:.3g}:1"
            yield _device(
                model,
                load.switch,
                f"{_gbps(load.down)} down / {_gbps(load.up)} up = {shown} > {limit:g}:1 "
                f"required by fabric {fid}",
                value=load.ratio,
                limit=limit,
                severity=_severity(solution),
            )


@rule("RV-NET-004", "bisection", domain="fabric")
def bisection(design: Design, solution: Solution) -> Iterator[Finding]:
    """The fabric's bisection bandwidth is below the requirement.

    What it checks: the maximum flow from one half of the fabric's nodes to the other
    (the first and second half in design order, or ``requirements.split``) over the live
    links, with nodes only sending or receiving and switches forwarding; compared with
    ``min_bisection`` as a share of full bisection (min of both halves' injection
    bandwidth in normal operation) or as a bandwidth. Runs in normal operation (error)
    and in ``switch-lost``/``link-lost`` scenarios (warning).
    Why it matters: all-to-all and all-reduce traffic crosses the bisection; a fabric
    whose min cut is below the GPUs' injection bandwidth cannot run collectives at line
    rate however good each switch looks alone.
    Limit: ``network.fabrics[].requirements.min_bisection`` of the design.
    Fails: four nodes with 4 × 400G NICs, each node alone on a top-of-rack leaf with
    2 × 400G uplinks (2:1), 100 % required: the cut between the first two nodes' leaves
    and the last two's is 2 × 2 × 400G = 1.6 Tb/s of 3.2 Tb/s = 50 %.
    Passes: the same fabric with 50 % required; or rail-optimized at 1:1 (both halves on
    every leaf: 3.2 Tb/s = 100 %).
    """
    if solution.fabric is None:
        return
    model = fabric_model(design)
    for fid, result in solution.fabric.fabrics.items():
        spec = model.fabrics[fid].spec
        if spec is None or result.bisection is None:
            continue
        found = _bisection_finding(spec, result.bisection, result.full_bisection)
        if found is not None:
            message, value, limit = found
            yield Finding(
                rule="",
                severity=_severity(solution) or "",
                scenario="",
                path=f"{spec.path}.requirements",
                message=message,
                value=value,
                limit=limit,
                location=spec.requirements_where or spec.where,
            )


def _bisection_finding(
    spec: FabricSpec, cut: float, full: float | None
) -> tuple[str, float, float] | None:
    if spec.min_bisection_speed is not None:
        if cut < spec.min_bisection_speed * (1 - _TOLERANCE):
            return (
                f"bisection {_gbps(cut)} < {_gbps(spec.min_bisection_speed)} required",
                cut,
                spec.min_bisection_speed,
            )
        return None
    if spec.min_bisection is None or not full:
        return None
    share = cut / full
    if share < spec.min_bisection * (1 - _TOLERANCE):
        return (
            f"bisection {_gbps(cut)} = {share:.1%} of full bisection {_gbps(full)} "
            f"< {spec.min_bisection:.0%} required",
            share,
            spec.min_bisection,
        )
    return None


@rule("RV-NET-005", "single-point-of-failure", per_scenario=False)
def single_point_of_failure(design: Design, solution: Solution) -> Iterator[Finding]:
    """The loss of one switch or one link cuts nodes off the rest of the fabric.

    What it checks: the articulation points and bridges of each fabric's switch graph,
    every switch that is a node's only switch and every link that is a node's only link;
    each candidate is confirmed by recomputing which nodes still reach each other
    (through switches only: nodes do not forward). Bandwidth after a loss is re-checked
    by RV-NET-003/004 in the ``switch-lost:<id>`` and ``link-lost:<id>`` scenarios.
    Why it matters: a single spine or a single uplink turns one hardware fault into a
    partitioned cluster; jobs spanning both sides stop.
    Limit: graph structure only (no figure).
    Fails: two leaves joined by one spine (the spine is an articulation point).
    Passes: the same leaves each linked to two spines.
    """
    model = _model(design)
    if model is None:
        return
    for fabric in model.fabrics.values():
        if len(fabric.endpoints) < 2:
            continue
        from ..fabric.analysis import single_points_of_failure

        switches, links = single_points_of_failure(fabric, model)
        by_id = {cl.id: cl for cl in model.links}
        for switch, cut in switches.items():
            yield _device(
                model,
                switch,
                f"losing switch {switch} cuts {_few(cut)} off fabric {fabric.id}",
                value=float(len(cut)),
            )
        for lid, cut in links.items():
            yield _link(
                by_id[lid],
                f"losing link {lid} cuts {_few(cut)} off fabric {fabric.id}",
                value=float(len(cut)),
            )


def _few(names: tuple[str, ...] | list[str]) -> str:
    shown = ", ".join(names[:4])
    return f"{len(names)} node(s) ({shown}{', …' if len(names) > 4 else ''})"


def _rail_ports(
    fabric: Fabric, model: FabricModel, node: str, rails: int | None = None
) -> tuple[str, ...]:
    """A node's NIC ports in rail order: the generator's, else the first ``rails`` (the
    fabric's, else all) interfaces of the types the node uses in the fabric."""
    spec = fabric.spec
    if spec is not None and node in spec.node_ports:
        return spec.node_ports[node]
    used_types = {
        end.type
        for k in fabric.links
        for end in (model.links[k].link.a, model.links[k].link.b)
        if end.device == node
    }
    names = [i.name for i in model.devices[node].part.interfaces if i.type in used_types]
    count = rails or (spec.rails if spec is not None and spec.rails else len(names))
    return tuple(names[:count])


def _node_links(fabric: Fabric, model: FabricModel) -> dict[tuple[str, str], CableLink]:
    """(node, interface) -> the link on it (a broken-out NIC counts by its interface)."""
    out = {}
    eps = set(fabric.endpoints)
    for k in fabric.links:
        cl = model.links[k]
        for end in (cl.link.a, cl.link.b):
            if end.device in eps:
                out.setdefault((end.device, end.port), cl)
                out.setdefault((end.device, end.interface), cl)
    return out


class _Rails:
    """The rail layout of a fabric: node links by NIC index and the rail of every leaf."""

    def __init__(self, fabric: Fabric, model: FabricModel) -> None:
        eps = set(fabric.endpoints)
        on_nic = _node_links(fabric, model)
        votes: dict[str, Counter[int]] = {}
        self.placed: list[tuple[str, int, str, CableLink]] = []
        for node in fabric.endpoints:
            for k, port in enumerate(_rail_ports(fabric, model, node)):
                cl = on_nic.get((node, port))
                if cl is None:
                    continue
                far = cl.link.b if cl.link.a.device == node else cl.link.a
                if far.device in eps:
                    continue
                votes.setdefault(far.device, Counter())[k] += 1
                self.placed.append((node, k, far.device, cl))
        self.rail_of = {leaf: count.most_common(1)[0][0] for leaf, count in votes.items()}
        self.majority = all(
            2 * count.most_common(1)[0][1] > sum(count.values()) for count in votes.values()
        )
        self.count = len(set(self.rail_of.values()))


def _rail_layout(fabric: Fabric, model: FabricModel) -> _Rails | None:
    """The rails of a rail-optimized fabric: stated (``generate`` rail-optimized or
    ``rails:``), or inferred for a fabric of explicit links when every leaf takes most
    of its node links from one NIC index; None otherwise."""
    spec = fabric.spec
    if spec is None or spec.topology not in (None, "rail-optimized"):
        return None
    rails = _Rails(fabric, model)
    if spec.topology is None and (not rails.rail_of or not rails.majority or rails.count < 2):
        return None
    return rails


@rule("RV-NET-006", "rail-misalignment", per_scenario=False)
def rail_misalignment(design: Design, solution: Solution) -> Iterator[Finding]:
    """NIC k of a node is not on the leaf that carries rail k.

    What it checks: in a rail-optimized fabric, the rail of every leaf is the NIC index
    most of its node links come from; a node link on NIC k that lands on a leaf of
    another rail is reported. A fabric is rail-optimized when ``generate`` says so, when
    it states ``rails:``, or — a fabric of explicit links — when every leaf takes more
    than half of its node links from one NIC index and there are at least two rails
    (a top-of-rack fabric spreads every index over each leaf and is left alone). Rail
    order: the generator's ``ports``, else the node part's interface order.
    Why it matters: rail-optimized fabrics keep GPU k of every node one hop apart on
    leaf k; one crossed cable sends that GPU's collective traffic through the spines
    and makes the job's slowest rank.
    Limit: structure only: the rail order of the node part's interfaces (catalog,
    from the vendor's port map).
    Fails: a node whose NIC 1 and NIC 2 cables are swapped at the leaves.
    Passes: the generated rail-optimized wiring.
    """
    model = _model(design)
    if model is None:
        return
    for fabric in model.fabrics.values():
        rails = _rail_layout(fabric, model)
        if rails is None:
            continue
        for node, k, leaf, cl in rails.placed:
            rail = rails.rail_of[leaf]
            if rail != k:
                yield _link(
                    cl,
                    f"NIC {k + 1} of {node} lands on {leaf}, the leaf of rail {rail + 1}",
                    value=float(k + 1),
                    limit=float(rail + 1),
                )


@rule("RV-NET-007", "cable-reach", per_scenario=False, needs=[Need("media", "reach")])
def cable_reach(design: Design, solution: Solution) -> Iterator[Finding]:
    """A cable's routed length is longer than its media reaches.

    What it checks: every link's length, its stated ``length`` or the route (device U
    up to the top of its rack, a Manhattan run between the racks' positions, down to the
    other device's U, plus ``network.cabling.slack``), against the media's maximum
    reach; for ``media: auto`` that some catalog media of the right form factor and
    speed reaches at all. Links between racks without a position cannot be routed: one
    info finding per fabric says how many.
    Why it matters: a passive DAC is 3 m at most; a plan that needs 7 m of copper is
    found at cabling time, after the optics were ordered.
    Limit: media ``reach`` (vendor datasheet or IEEE PHY reach, cited in the media
    catalog); slack from the design (no standard gives one, so without it the route
    has no slack and the finding says so); rack U height from the rack part.
    Fails: a 2 m DAC between devices of two racks 3 m apart.
    Passes: the same DAC between a node and the leaf above it in one rack.
    """
    model = _model(design)
    if model is None:
        return
    slack = design.network.slack
    note = "" if slack is not None else " (no slack: network.cabling.slack not set)"
    unrouted: dict[str | None, list[CableLink]] = {}
    for cl in model.links:
        length = cl.route.length
        if length is None:
            unrouted.setdefault(cl.link.fabric, []).append(cl)
            continue
        how = "measured" if cl.route.measured else "routed"
        if cl.media is None:
            if cl.link.media_auto and design.network.media:
                yield _link(
                    cl,
                    f"no media in the catalog fits {cl.link.a.name}–{cl.link.b.name} "
                    f"over {length:.2f} m {how}{note}",
                    value=length,
                )
            continue
        if cl.media.reach is not None and length > cl.media.reach * (1 + _TOLERANCE):
            yield _link(
                cl,
                f"{how} length {length:.2f} m > {cl.media.reach:g} m reach of "
                f"{cl.media.id} ({cl.media.kind}){note}",
                value=length,
                limit=cl.media.reach,
            )
    for fid, cls in unrouted.items():
        first = cls[0]
        yield _link(
            first,
            f"{len(cls)} link(s) of fabric {fid or '(none)'} cannot be routed "
            f"({first.route.reason}); their reach is not checked",
            severity="info",
            path=f"network.fabrics[{fid}]" if fid else first.link.path,
        )


@rule("RV-NET-008", "unconnected-port", severity="warning", per_scenario=False)
def unconnected_port(design: Design, solution: Solution) -> Iterator[Finding]:
    """A fabric NIC of a node has no link.

    What it checks: every NIC of every node of a fabric: the generator's ``nodes`` and
    their rail ports, or, for a rail-optimized fabric of explicit links (``rails:`` stated
    or inferred as in RV-NET-006, then one rail per leaf rail found), the first ``rails``
    interfaces of the types the node already uses there.
    Why it matters: a GPU whose NIC is not cabled cannot take part in collectives at
    full rate (or at all on its rail); usually a cable forgotten in the plan.
    Limit: the node part's interfaces (catalog, vendor port map) and the fabric's
    ``rails``.
    Fails: a node with 8 rails of which 7 are cabled.
    Passes: every rail cabled.
    """
    model = _model(design)
    if model is None:
        return
    for fabric in model.fabrics.values():
        spec = fabric.spec
        if spec is None:
            continue
        rails = spec.rails
        if not rails:
            layout = _rail_layout(fabric, model)
            if layout is None:
                continue
            rails = layout.count
        on_nic = _node_links(fabric, model)
        nodes = spec.nodes or tuple(fabric.endpoints)
        for node in nodes:
            if node not in model.devices:
                continue
            ports = _rail_ports(fabric, model, node, rails) if node in fabric.graph else ()
            if not ports and spec.node_ports.get(node):
                ports = spec.node_ports[node]
            missing = [p for p in ports if (node, p) not in on_nic]
            if missing:
                yield _device(
                    model,
                    node,
                    f"{len(missing)} of {len(ports)} fabric NICs of {node} have no link in "
                    f"fabric {fabric.id}: {', '.join(missing)}",
                    value=float(len(missing)),
                )
