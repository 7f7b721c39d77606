"""Fabric figures per scenario: oversubscription, bisection, connectivity, SPOFs.

Definitions (``docs/fabric.md`` has the drawings):

Oversubscription of a switch
    :math:`r = D / U`: bandwidth of its live links to lower tiers (endpoints, or
    switches of a lower tier) over bandwidth of its live links to higher tiers. A switch
    of the top tier of its fabric has none (not applicable); a lower switch without live
    uplinks has :math:`r = \\infty`.
Bisection bandwidth
    the maximum flow from one half of the endpoints (A) to the other (B): the
    endpoints of A send, those of B receive, switches forward, every link carries its
    capacity in each direction. Endpoints are contracted into the source and sink (an
    endpoint's supply is the sum of its links, so it never binds). Full bisection is
    :math:`\\min(\\sum_A c, \\sum_B c)` over the endpoints' links in normal operation.
Connectivity
    endpoints reach each other only through switches; an endpoint is cut off when it is
    not in the largest group of endpoints that still reach each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from ..design.model import Design
from .graph import Fabric, FabricModel, fabric_model

__all__ = [
    "SwitchLoad",
    "FabricResult",
    "FabricSolution",
    "solve_fabric",
    "bisection_bandwidth",
    "endpoint_groups",
    "single_points_of_failure",
]


@dataclass(frozen=True)
class SwitchLoad:
    """Down- and uplink bandwidth of one switch [bit/s]."""

    switch: str
    tier: int
    down: float
    up: float
    ratio: float | None  # D/U; inf without live uplinks; None at the top tier


@dataclass(frozen=True)
class FabricResult:
    """One fabric in one scenario."""

    id: str
    switches: dict[str, SwitchLoad]
    bisection: float | None  # [bit/s]; None without two halves
    full_bisection: float | None  # [bit/s] in normal operation
    halves: tuple[tuple[str, ...], tuple[str, ...]]
    cut_off: tuple[str, ...]  # endpoints no longer reaching the largest group

    @property
    def bisection_share(self) -> float | None:
        """Bisection over full bisection (normal operation) [1]."""
        if self.bisection is None or not self.full_bisection:
            return None
        return self.bisection / self.full_bisection


@dataclass(frozen=True)
class FabricSolution:
    """Every fabric of a design in one scenario."""

    fabrics: dict[str, FabricResult] = field(default_factory=dict)
    dead_switches: frozenset[str] = frozenset()
    dead_links: frozenset[str] = frozenset()


def _live_edges(fabric: Fabric, model: FabricModel, dead_switches, dead_links):
    """(u, v, capacity) of every live edge, parallel links summed."""
    for u, v, data in fabric.graph.edges(data=True):
        if u in dead_switches or v in dead_switches:
            continue
        if dead_links:
            live = [k for k in data["links"] if model.links[k].id not in dead_links]
            if not live:
                continue
            cap = sum(model.links[k].capacity for k in live)
        else:
            cap = data["capacity"]
        yield u, v, cap


def bisection_bandwidth(
    edges: Iterable[tuple[str, str, float]], half_a: set[str], half_b: set[str]
) -> float:
    """Maximum flow from endpoints ``half_a`` to endpoints ``half_b`` [bit/s].

    Parameters
    ----------
    edges : iterable of (u, v, capacity)
        Undirected links [bit/s]; nodes not in either half are switches.
    half_a, half_b : set of str
        The sending and the receiving endpoints.

    Returns
    -------
    float
        The max-flow value, equal to the min cut between the halves.

    Notes
    -----
    Endpoints are contracted into a super source and sink (exact: an endpoint's supply
    is the sum of its own links); a direct cable between two endpoints counts only from
    A to B, never as a path through a node (endpoints do not forward). networkx
    ``preflow_push`` (highest-label push-relabel, O(V² √E)); on the 2,048-node 3-tier
    benchmark fabric it was the most even of networkx's algorithms across failure
    scenarios (Boykov–Kolmogorov slows down once the fabric is asymmetric).

    References
    ----------
    .. [1] Goldberg, Tarjan, A new approach to the maximum-flow problem, JACM 35(4), 1988.
    """
    source, sink = ("__A__",), ("__B__",)
    flow = nx.DiGraph()
    supply: dict = {}
    demand: dict = {}

    def add(u, v, c) -> None:
        if flow.has_edge(u, v):
            flow.edges[u, v]["capacity"] += c
        else:
            flow.add_edge(u, v, capacity=c)

    for u, v, c in edges:
        if c <= 0.0:
            continue
        ua, va = u in half_a, v in half_a
        ub, vb = u in half_b, v in half_b
        if (ua or ub) and (va or vb):
            if (ua and vb) or (ub and va):  # endpoint to endpoint, a direct cable
                supply[("direct",)] = supply.get(("direct",), 0.0) + c
            continue
        if ua or va:
            switch = v if ua else u
            supply[switch] = supply.get(switch, 0.0) + c
        elif ub or vb:
            switch = v if ub else u
            demand[switch] = demand.get(switch, 0.0) + c
        else:
            add(u, v, c)
            add(v, u, c)
    direct = supply.pop(("direct",), 0.0)
    for s, c in supply.items():
        add(source, s, c)
    for s, c in demand.items():
        add(s, sink, c)
    if source not in flow or sink not in flow:
        return direct
    value = nx.maximum_flow_value(flow, source, sink, flow_func=nx.algorithms.flow.preflow_push)
    return float(value) + direct


def endpoint_groups(
    edges: Iterable[tuple[str, str, float]], endpoints: list[str]
) -> list[list[str]]:
    """Groups of endpoints that reach each other through switches, largest first.

    An endpoint without a live link is a group of its own.
    """
    eps = set(endpoints)
    switch_graph = nx.Graph()
    attach: dict[str, list[str]] = {e: [] for e in endpoints}
    for u, v, _c in edges:
        if u in eps and v in eps:
            continue
        if u in eps or v in eps:
            e, s = (u, v) if u in eps else (v, u)
            attach[e].append(s)
            switch_graph.add_node(s)
        else:
            switch_graph.add_edge(u, v)
    component = {}
    for n, comp in enumerate(nx.connected_components(switch_graph)):
        for s in comp:
            component[s] = n
    groups: dict[object, list[str]] = {}
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in endpoints:
        comps = [component[s] for s in attach[e]]
        for c in comps[1:]:
            parent[find(comps[0])] = find(c)
    for e in endpoints:
        comps = [component[s] for s in attach[e]]
        key: object = find(comps[0]) if comps else ("alone", e)
        groups.setdefault(key, []).append(e)
    return sorted(groups.values(), key=lambda g: (-len(g), endpoints.index(g[0])))


def _halves(fabric: Fabric) -> tuple[list[str], list[str]]:
    eps = fabric.endpoints
    if fabric.spec is not None and fabric.spec.split is not None:
        chosen = set(fabric.spec.split)
        return [e for e in eps if e in chosen], [e for e in eps if e not in chosen]
    half = len(eps) // 2
    return eps[:half], eps[half:]


def _loads(fabric: Fabric, edges) -> dict[str, SwitchLoad]:
    tier = fabric.tier
    top = max(tier.values(), default=0)
    down: dict[str, float] = dict.fromkeys(fabric.switches, 0.0)
    up: dict[str, float] = dict.fromkeys(fabric.switches, 0.0)
    switches = set(fabric.switches)
    for u, v, c in edges:
        # endpoints are tier 0; a switch no node reaches has no tier and is left out
        tu = tier.get(u, None if u in switches else 0)
        tv = tier.get(v, None if v in switches else 0)
        if tu is None or tv is None or tu == tv:
            continue
        low, high = (u, v) if tu < tv else (v, u)
        if low in up:
            up[low] += c
        if high in down:
            down[high] += c
    out = {}
    for s in fabric.switches:
        if s not in tier:
            continue
        if tier[s] == top:
            ratio = None
        elif up[s] > 0.0:
            ratio = down[s] / up[s]
        else:
            ratio = float("inf") if down[s] > 0.0 else None
        out[s] = SwitchLoad(s, tier[s], down[s], up[s], ratio)
    return out


def _result(
    fabric: Fabric, model: FabricModel, dead_switches, dead_links, full: float | None
) -> FabricResult:
    edges = list(_live_edges(fabric, model, dead_switches, dead_links))
    a, b = _halves(fabric)
    bisection = bisection_bandwidth(edges, set(a), set(b)) if a and b else None
    groups = endpoint_groups(edges, fabric.endpoints)
    cut = tuple(e for g in groups[1:] for e in g) if len(fabric.endpoints) > 1 else ()
    return FabricResult(
        fabric.id, _loads(fabric, edges), bisection, full, (tuple(a), tuple(b)), cut
    )


def _injection(fabric: Fabric, half: list[str]) -> float:
    g = fabric.graph
    return sum(g.edges[e, n]["capacity"] for e in half for n in g.adj[e])


def solve_fabric(
    design: Design,
    dead_switches: frozenset[str] = frozenset(),
    dead_links: frozenset[str] = frozenset(),
) -> FabricSolution:
    """Every fabric's figures with the given switches and links out of service."""
    model = fabric_model(design)
    out = {}
    for fid, fabric in model.fabrics.items():
        a, b = _halves(fabric)
        full = min(_injection(fabric, a), _injection(fabric, b)) if a and b else None
        out[fid] = _result(fabric, model, dead_switches, dead_links, full)
    return FabricSolution(out, dead_switches, dead_links)


def single_points_of_failure(
    fabric: Fabric, model: FabricModel
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Switches and links whose loss alone cuts endpoints off: {id: endpoints cut off}.

    Notes
    -----
    Candidates are the articulation points and bridges of the switch graph (Tarjan,
    linear), switches that are an endpoint's only switch, and an endpoint's only link;
    each candidate is confirmed by recomputing the endpoint groups without it.
    """
    eps = set(fabric.endpoints)
    g = fabric.graph
    switch_graph = g.subgraph(fabric.switches)
    base = endpoint_groups(list(_live_edges(fabric, model, (), ())), fabric.endpoints)
    base_cut = {e for grp in base[1:] for e in grp}
    candidates_sw = set(nx.articulation_points(switch_graph))
    candidates_ln: set[str] = set()
    for u, v in nx.bridges(switch_graph):
        ks = g.edges[u, v]["links"]
        if len(ks) == 1:
            candidates_ln.add(model.links[ks[0]].id)
    for e in fabric.endpoints:
        nbrs = [n for n in g.adj[e] if n not in eps]
        if len(nbrs) == 1:
            candidates_sw.add(nbrs[0])
            ks = g.edges[e, nbrs[0]]["links"]
            if len(ks) == 1:
                candidates_ln.add(model.links[ks[0]].id)
    switches: dict[str, tuple[str, ...]] = {}
    links: dict[str, tuple[str, ...]] = {}
    for s in sorted(candidates_sw, key=fabric.switches.index):
        groups = endpoint_groups(list(_live_edges(fabric, model, {s}, ())), fabric.endpoints)
        cut = tuple(e for grp in groups[1:] for e in grp if e not in base_cut)
        if cut:
            switches[s] = cut
    for lid in sorted(candidates_ln):
        groups = endpoint_groups(list(_live_edges(fabric, model, (), {lid})), fabric.endpoints)
        cut = tuple(e for grp in groups[1:] for e in grp if e not in base_cut)
        if cut:
            links[lid] = cut
    return switches, links
