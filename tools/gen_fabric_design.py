"""Write a generated 3-tier rail-optimized fabric as a rackval design, for the benchmarks.

Usage::

    python tools/gen_fabric_design.py NODES OUT.yaml [--rails 8] [--nodes-per-rack 4]

``NODES`` DGX H100 (8 rails of 400G each, catalog part ``nvidia-dgx-h100``), four per
42U rack (``apc-ar3300``, U2, U10, U18, U26), on NVIDIA Quantum-2 QM9700 switches
(``nvidia-qm9700``, 64 × 400G) built 1:1: scalable units of 32 nodes on ``rails`` leaves
(32 down, 32 up), pods of 4 SUs (32 leaves, 32 spines: 32 down, 32 up), and cores taking
32 spine uplinks each 4 × from 16 pods. For 2,048 nodes: 512 leaves, 512 spines, 256 cores,
16 pods, 49,152 links. Switches stand 16 to a rack. Racks are placed in rows of 32 at
0.6 m pitch, rows 2.4 m apart, switch rows after the compute rows; ``media: auto``
picks the cable by routed length from the media catalog.

Counts must divide: NODES a multiple of 32 × 4 (one pod) and the pod count a divisor of
the core groups (see :mod:`rackval.fabric.generators`).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

SU_NODES = 32  # QM9700: 64 ports = 32 down + 32 up at 1:1
SUS_PER_POD = 4
SWITCHES_PER_RACK = 16
ROW = 32
PITCH = 0.6  # [m] rack width of apc-ar3300
ROW_GAP = 2.4  # [m] front to front of facing rows


def generate(nodes: int, rails: int = 8, per_rack: int = 4) -> str:
    """The design text."""
    if nodes % (SU_NODES * SUS_PER_POD):
        raise SystemExit(f"NODES must be a multiple of {SU_NODES * SUS_PER_POD}")
    sus = nodes // SU_NODES
    pods = sus // SUS_PER_POD
    leaves = sus * rails
    spines = leaves  # 1:1, 32 up per leaf = 32 down per spine
    cores = spines * 32 // 64
    out = [
        "rackval: 1",
        f"name: fabric-{nodes}-nodes",
        f"description: generated benchmark fabric, {nodes} DGX H100 x {rails} rails, 3-tier",
        "racks:",
    ]
    place = 0

    def rack(ident: str) -> None:
        nonlocal place
        row, col = divmod(place, ROW)
        place += 1
        out.append(f"  - id: {ident}")
        out.append("    part: apc-ar3300")
        out.append(f"    position: {{x: {col * PITCH:.1f} m, y: {row * ROW_GAP:.1f} m}}")
        out.append("    devices:")

    racks = math.ceil(nodes / per_rack)
    width = len(str(nodes))
    n = 0
    for r in range(racks):
        rack(f"r{r + 1:04d}")
        for k in range(per_rack):
            if n < nodes:
                n += 1
                out.append(f"      - {{id: n{n:0{width}d}, part: nvidia-dgx-h100, u: {2 + 8 * k}}}")
    for role, count in (("leaf", leaves), ("spine", spines), ("core", cores)):
        w = len(str(count))
        for s in range(0, count, SWITCHES_PER_RACK):
            rack(f"{role}-rack{s // SWITCHES_PER_RACK + 1:03d}")
            for k in range(min(SWITCHES_PER_RACK, count - s)):
                out.append(
                    f"      - {{id: {role}{s + k + 1:0{w}d}, part: nvidia-qm9700, u: {10 + 2 * k}}}"
                )
    out += [
        "network:",
        "  cabling: {slack: 1 m}",
        "  fabrics:",
        "    - id: compute",
        "      kind: infiniband",
        '      requirements: {oversubscription: "1:1", min_bisection: 100 %}',
        "      generate:",
        "        topology: rail-optimized",
        '        nodes: "n*"',
        f"        rails: {rails}",
        '        leaves: "leaf*"',
        '        spines: "spine*"',
        '        cores: "core*"',
        f"        pods: {pods}",
        "        media: auto",
    ]
    return "\n".join(out) + "\n"


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nodes", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--rails", type=int, default=8)
    parser.add_argument("--nodes-per-rack", type=int, default=4)
    args = parser.parse_args()
    args.out.write_text(generate(args.nodes, args.rails, args.nodes_per_rack), encoding="utf-8")


if __name__ == "__main__":
    main()
