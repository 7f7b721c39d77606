"""Fabric generators: rail-optimized or top-of-rack leaves, spines and a 3-tier core.

:func:`generate_links` turns the roles of a ``generate:`` block (nodes, leaves, spines,
cores, already resolved to device ids and free ports) into cable pairs. The port
assignment is what a technician follows: every switch fills its ports in order,
downlinks first (node by node), then uplinks (upper switch by upper switch). The links
are ordinary links afterwards: the rules check them like explicit ones.

Leaf layer
    ``rail-optimized``: the nodes are cut into scalable units (SUs) of
    ``ceil(nodes / SUs)`` nodes, one SU per group of ``rails`` leaves; NIC k of every
    node of SU s goes to leaf ``s·rails + k``.
    ``fat-tree``: top of rack; every NIC of node i goes to leaf ``i // ceil(nodes / leaves)``.
Upper layers
    A leaf with downlink bandwidth D and uplink ports of speed u gets
    ``ceil(D / (r·u))`` uplinks for the oversubscription r, spread round-robin over the
    spines (of its pod, with ``pods``); a spine likewise over the cores (core group j of
    ``len(cores)/spines-per-pod`` cores for the spine j of every pod, when that divides).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..design.model import LinkEnd

__all__ = ["GenerateError", "Roles", "generate_links"]

_EPS = 1e-9


class GenerateError(ValueError):
    """The roles cannot be wired as asked (too few ports, counts that do not divide)."""


@dataclass(frozen=True)
class Roles:
    """What a ``generate:`` block names, resolved."""

    topology: str  # "rail-optimized" | "fat-tree"
    nodes: Sequence[str]
    rails: int
    node_ports: dict[str, Sequence[LinkEnd]]  # node -> NIC ends in rail order (len = rails)
    leaves: Sequence[str]
    spines: Sequence[str]
    cores: Sequence[str]
    pods: int | None
    ratio: float  # [1] down:up bandwidth to build
    switch_ports: dict[str, Sequence[LinkEnd]]  # switch -> free ports in order


class _Ports:
    """The free ports of every switch, handed out in order."""

    def __init__(self, ports: dict[str, Sequence[LinkEnd]]) -> None:
        self.ports = ports
        self.next = dict.fromkeys(ports, 0)

    def peek(self, switch: str) -> LinkEnd | None:
        k = self.next[switch]
        free = self.ports[switch]
        return free[k] if k < len(free) else None

    def take(self, switch: str, purpose: str) -> LinkEnd:
        end = self.peek(switch)
        if end is None:
            raise GenerateError(
                f"switch '{switch}' has no free port left for {purpose} "
                f"(its {len(self.ports[switch])} free ports are used)"
            )
        self.next[switch] += 1
        return end

    def left(self, switch: str) -> int:
        return len(self.ports[switch]) - self.next[switch]


def _chunks(items: Sequence[str], parts: int, what: str, of: str) -> list[Sequence[str]]:
    if parts < 1 or len(items) % parts:
        raise GenerateError(f"{len(items)} {what} do not split evenly into {parts} {of}")
    size = len(items) // parts
    return [items[k * size : (k + 1) * size] for k in range(parts)]


def _uplinks(
    lower: Sequence[str],
    upper_of: dict[str, Sequence[str]],
    down_bw: dict[str, float],
    ports: _Ports,
    ratio: float,
    label: str,
) -> list[tuple[LinkEnd, LinkEnd]]:
    """Uplinks of every switch in ``lower`` to its upper group, round-robin."""
    out = []
    for switch in lower:
        group = upper_of[switch]
        if not group or down_bw.get(switch, 0.0) <= 0.0:
            continue
        first = ports.peek(switch)
        if first is None or first.speed is None:
            raise GenerateError(f"switch '{switch}' has no free port of known speed for uplinks")
        count = math.ceil(down_bw[switch] / (ratio * first.speed) - _EPS)
        if count > ports.left(switch):
            raise GenerateError(
                f"{label} '{switch}' needs {count} uplinks for {down_bw[switch] / 1e9:g} Gb/s "
                f"down at {ratio:g}:1 but has {ports.left(switch)} free ports"
            )
        for t in range(count):
            upper = group[t % len(group)]
            mine = ports.take(switch, f"uplink {t + 1}")
            theirs = ports.take(upper, f"a downlink from '{switch}'")
            out.append((mine, theirs))
            if mine.speed is not None:
                down_bw[upper] = down_bw.get(upper, 0.0) + mine.speed
    return out


def generate_links(roles: Roles) -> list[tuple[LinkEnd, LinkEnd]]:
    """Cable pairs (lower end, upper end) for the roles, in technician order.

    Parameters
    ----------
    roles : Roles
        Resolved nodes, switches and their free ports.

    Returns
    -------
    list of (LinkEnd, LinkEnd)
        Node–leaf links node by node (rail order), then leaf–spine, then spine–core.

    Raises
    ------
    GenerateError
        Counts that do not divide (leaves by rails, switches by pods) or a switch
        without enough free ports.

    Notes
    -----
    Linear in the number of links. No port is handed out twice; every node gets one
    link per rail; a switch never gets more links than it has free ports.
    """
    nodes, leaves, rails = list(roles.nodes), list(roles.leaves), roles.rails
    if not nodes:
        raise GenerateError("no node matches the nodes glob")
    if not leaves:
        raise GenerateError("no leaf matches the leaves glob")
    if roles.ratio <= 0.0:
        raise GenerateError("the oversubscription must be positive")
    ports = _Ports(roles.switch_ports)
    if roles.topology == "rail-optimized":
        if len(leaves) % rails:
            raise GenerateError(
                f"{len(leaves)} leaves are not a whole number of scalable units of {rails} "
                "(one leaf per rail)"
            )
        units = [leaves[s * rails : (s + 1) * rails] for s in range(len(leaves) // rails)]
        per_unit = math.ceil(len(nodes) / len(units))

        def leaf_of(i: int, k: int) -> str:
            return units[i // per_unit][k]
    else:
        per_leaf = math.ceil(len(nodes) / len(leaves))

        def leaf_of(i: int, k: int) -> str:
            return leaves[i // per_leaf]

    out: list[tuple[LinkEnd, LinkEnd]] = []
    down_bw: dict[str, float] = {}
    for i, node in enumerate(nodes):
        nics = roles.node_ports[node]
        for k in range(rails):
            leaf = leaf_of(i, k)
            end = ports.take(leaf, f"rail {k + 1} of node '{node}'")
            out.append((nics[k], end))
            down_bw[leaf] = down_bw.get(leaf, 0.0) + (nics[k].speed or 0.0)
    spines, cores = list(roles.spines), list(roles.cores)
    if not spines:
        if cores:
            raise GenerateError("cores need spines")
        return out
    pods = roles.pods or 1
    leaf_groups = _chunks(leaves, pods, "leaves", "pods")
    spine_groups = _chunks(spines, pods, "spines", "pods")
    upper_of = {leaf: spine_groups[p] for p, group in enumerate(leaf_groups) for leaf in group}
    out += _uplinks(leaves, upper_of, down_bw, ports, roles.ratio, "leaf")
    if not cores:
        return out
    per_pod = len(spine_groups[0])
    core_groups = (
        _chunks(cores, per_pod, "cores", "groups") if len(cores) % per_pod == 0 else [cores]
    )
    core_of = {
        spine: core_groups[j % len(core_groups)]
        for group in spine_groups
        for j, spine in enumerate(group)
    }
    out += _uplinks(spines, core_of, down_bw, ports, roles.ratio, "spine")
    return out
