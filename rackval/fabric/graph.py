"""A design's network as graphs: devices are nodes, links are edges with capacity.

:func:`fabric_model` builds, once per design, every link with its routed length and
media (``auto`` chosen by length) and, per fabric, an undirected
:class:`networkx.Graph` whose edges carry ``capacity`` (bit/s, parallel links summed)
and ``links`` (the indices of the links they stand for). Endpoints (GPU and CPU nodes,
storage) never forward traffic; switches do. A switch's *tier* is its hop distance from
the nearest endpoint over switches (leaf 1, spine 2, core 3).

A node's NICs in rail order are its *rails*: for a generated fabric the order the
generator used (``FabricSpec.node_ports``), otherwise the part's interface order
(RV-NET-006 and RV-NET-008 read them).
"""

from __future__ import annotations

import weakref
from collections import deque
from dataclasses import dataclass, field

import networkx as nx

from ..catalog.media import Media
from ..design.model import Design, FabricSpec, Link
from .cables import MediaChooser, Route, route

__all__ = ["CableLink", "Fabric", "FabricModel", "fabric_model", "link_capacity"]


@dataclass(frozen=True)
class CableLink:
    """A link with what the fabric layer adds: routed length and the media in use."""

    link: Link
    route: Route
    media: Media | None  # stated, or chosen by ``auto``; None: unknown or nothing fits
    capacity: float  # [bit/s] the slower end (and stated speed); 0 when no speed is known

    @property
    def id(self) -> str:
        """The link id."""
        return self.link.id


def link_capacity(link: Link) -> float:
    """Bandwidth of a link [bit/s]: the slowest known of both ends and the stated speed."""
    known = [v for v in (link.a.speed, link.b.speed, link.speed) if v is not None]
    return min(known) if known else 0.0


@dataclass
class Fabric:
    """One fabric: its links, graph, endpoints and switch tiers."""

    id: str
    spec: FabricSpec | None
    links: list[int]  # indices into FabricModel.links
    graph: nx.Graph
    endpoints: list[str]  # design order
    switches: list[str]
    tier: dict[str, int] = field(default_factory=dict)  # switch -> 1, 2, 3 …


@dataclass
class FabricModel:
    """Every link of a design and its fabrics."""

    links: list[CableLink]
    fabrics: dict[str, Fabric]
    devices: dict
    racks: dict


def _is_switch(design_device) -> bool:
    return design_device.part.kind == "switch"


def _tiers(graph: nx.Graph, endpoints: list[str], switches: set[str]) -> dict[str, int]:
    """Hop distance of every switch from the nearest endpoint, over switches only."""
    tier: dict[str, int] = {}
    queue: deque[str] = deque()
    for e in endpoints:
        for n in graph.adj[e]:
            if n in switches and n not in tier:
                tier[n] = 1
                queue.append(n)
    while queue:
        s = queue.popleft()
        for n in graph.adj[s]:
            if n in switches and n not in tier:
                tier[n] = tier[s] + 1
                queue.append(n)
    return tier


def _build(design: Design) -> FabricModel:
    net = design.network
    devices = {d.id: d for d in design.devices}
    racks = {r.id: r for r in design.racks}
    links: list[CableLink] = []
    choose = MediaChooser(net.media)
    for link in net.links:
        r = route(link, devices, racks, net.slack)
        capacity = link_capacity(link)
        media = link.media
        if media is None and link.media_auto:
            media = choose(link, r.length, capacity or None)
        links.append(CableLink(link, r, media, capacity))
    specs = {f.id: f for f in net.fabrics}
    members: dict[str, list[int]] = {f.id: [] for f in net.fabrics}
    for k, cl in enumerate(links):
        if cl.link.fabric is not None:
            members.setdefault(cl.link.fabric, []).append(k)
    fabrics: dict[str, Fabric] = {}
    order = {d: k for k, d in enumerate(devices)}
    for fid, ks in members.items():
        spec = specs.get(fid)
        graph = nx.Graph()
        named = set(spec.nodes) if spec is not None else set()
        graph.add_nodes_from(named)
        for k in ks:
            a, b = links[k].link.a.device, links[k].link.b.device
            if graph.has_edge(a, b):
                data = graph.edges[a, b]
                data["capacity"] += links[k].capacity
                data["links"].append(k)
            else:
                graph.add_edge(a, b, capacity=links[k].capacity, links=[k])
        switches = sorted((n for n in graph if _is_switch(devices[n])), key=order.__getitem__)
        endpoints = sorted((n for n in graph if not _is_switch(devices[n])), key=order.__getitem__)
        fabric = Fabric(fid, spec, ks, graph, endpoints, switches)
        fabric.tier = _tiers(graph, endpoints, set(switches))
        fabrics[fid] = fabric
    return FabricModel(links, fabrics, devices, racks)


_last: tuple[weakref.ref[Design], FabricModel] | None = None


def fabric_model(design: Design) -> FabricModel:
    """The design's links and fabrics (computed once per design).

    Notes
    -----
    Linear in the number of links (one route and, for ``auto``, one pass over the media
    catalog per link).
    """
    global _last
    if _last is not None and _last[0]() is design:
        return _last[1]
    model = _build(design)
    _last = (weakref.ref(design), model)
    return model
