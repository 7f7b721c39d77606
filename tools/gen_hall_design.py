"""Write a generated liquid-cooled hall as a rackval design, for the benchmarks.

Usage::

    python tools/gen_hall_design.py N OUT.yaml [--racks-per-loop 20] [--devices 18]
                                    [--arrangement reverse-return] [--power]

    python tools/gen_hall_design.py N OUT.yaml --layout     # also a floor plan and air

``N`` racks (a multiple of ``--racks-per-loop``) in groups of ``--racks-per-loop``; each
group is one coolant loop served by a pair of CDUs (N+1: either CDU alone carries the
loop) and each rack holds ``--devices`` cold-plate trays on that loop. With ``--power``
every rack also gets an A and a B feed, one PDU on each, and the trays' PSUs alternate
over the two PDUs; without it the design has no ``power:`` section (the power rules then
report what they cannot check).

The parts are inline **test fixtures** (``parts:`` at the end of the file), not hardware
data; their figures are chosen so that every loop solves and the design validates without
errors or warnings in normal operation and N-1 (only info findings, RV-CAT-001, for the
figures the fixtures leave out):

==========================  ==================================================================
cold-plate tray             2U, 25 kg, 5 kW max, liquid fraction 0.8 (4 kW to the coolant);
                            30 kPa at 8 L/min; min flow 4 L/min; max supply 45 °C;
                            1 kW hottest chip on 0.02 K/W, max case 85 °C; 1.5 L; PG25
CDU                         1,800 kW at 4 K approach, secondary and primary 3,000 L/min,
                            2 pumps, each on the curve 200 kPa at 0, 160 kPa at 1,000 and
                            80 kPa at 2,000 L/min; max 600 kPa, reservoir 200 L
loop                        PG25, 35 °C supply, 1,500 L, 10 s ride-through; supply and return
                            headers 0.6 m per rack + 6 m, DN150; branch hoses (and the CDU
                            outlet pipes, which rackval builds from the branch spec) 3 m,
                            80 mm, K 2; facility water W32 at 28 °C
power (``--power``)         A and B feed per rack, 415 V 3-phase 200 A; PDU 415 V 3-phase 200 A
                            10 kg, with 36 C19 outlets; trays with 2 × 5.5 kW PSUs, 1 required
layout (``--layout``)       one row per loop, rows in back-to-back pairs around 1.2 m hot
                            aisles with 1.8 m cold aisles between pairs, 1.5 m to the side
                            walls; A2 room at 22 °C, hot-aisle containment, 2 % recirculation,
                            air units of 200 kW, N+1 with 10 % margin over 1 kW of air heat
                            and 15 K per tray; floor
                            rated 1,500 kg/m²; trays front-to-rear, 35 °C maximum inlet
==========================  ==================================================================

The file is plain YAML text written line by line (no YAML library), so even 1,000 racks
take well under a second to generate. Devices are written with ``count`` (one line per
rack, expanded by rackval to ``rNNNN-n01`` …).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

RACK_PART = "apc-ar3357"
"""Catalog rack: 48U, 1,020 kg static load, 1,048 mm mounting depth."""

PARTS = """\
parts:
  - manufacturer: Test
    model: Hall cold-plate tray
    slug: test-hall-tray
    u_height: 2
    weight: 25
    weight_unit: kg{airflow}
    rackval:
      kind: gpu-node
      source: "test fixture (tools/gen_hall_design.py), not hardware data"
      depth: 800 mm
      power: {{max: 5 kW, typical: 4 kW{psus}}}
      cooling: {{liquid_fraction: 0.8{air}}}
      coolant:
        min_flow: 4 L/min
        max_supply: 45 degC
        pressure_drop: {{at: 8 L/min, dp: 30 kPa}}
        thermal_resistance: 0.02 K/W
        hottest_chip_power: 1 kW
        max_case: 85 degC
        volume: 1.5 L
        fluids: [PG25]
  - manufacturer: Test
    model: Hall CDU 1800
    slug: test-hall-cdu
    u_height: 0
    rackval:
      kind: cdu
      source: "test fixture (tools/gen_hall_design.py), not hardware data"
      cdu:
        rated_heat: 1800 kW
        approach: 4 K
        secondary_flow: 3000 L/min
        primary_flow: 3000 L/min
        pumps: 2
        pump_curve: [[0 L/min, 200 kPa], [1000 L/min, 160 kPa], [2000 L/min, 80 kPa]]
        max_pressure: 600 kPa
        reservoir: 200 L
        mounting: in-row
"""

PDU_PART = """\
  - manufacturer: Test
    model: Hall PDU 200 A
    slug: test-hall-pdu
    u_height: 0
    weight: 10
    weight_unit: kg
    rackval:
      kind: pdu
      source: "test fixture (tools/gen_hall_design.py), not hardware data"
      pdu:
        voltage: 415 V
        phases: 3
        wiring: wye
        current: 200 A
        mounting: zero-u
        outlets: {iec-60320-c19: 36}
"""

TRAY_AIR = ", air_delta_t: 15 K, max_inlet_air: 35 degC"
COLD_AISLE, HOT_AISLE, SIDE = 1.8, 1.2, 1.5  # [m] layout of --layout
RACK_WIDTH, RACK_DEPTH = 0.75, 1.2  # [m] apc-ar3357 outer width and depth (catalog)

TRAY_PSUS = (
    ", psus: 2, psus_required: 1, psu_rating: 5.5 kW, input_voltage: [200 V, 277 V],"
    " inlet: iec-60320-c20"
)


def generate(
    n_racks: int,
    *,
    racks_per_loop: int = 20,
    devices: int = 18,
    arrangement: str = "reverse-return",
    power: bool = False,
    layout: bool = False,
) -> str:
    """The design text of a hall of ``n_racks`` racks.

    Raises
    ------
    ValueError
        ``n_racks`` is not a positive multiple of ``racks_per_loop``, or the trays do
        not fit the 48U rack.
    """
    if racks_per_loop < 1 or n_racks < 1 or n_racks % racks_per_loop:
        raise ValueError(f"N must be a positive multiple of {racks_per_loop}, got {n_racks}")
    if not 1 <= devices <= 22:
        raise ValueError(
            f"--devices must be in 1..22 (2U trays from U3 of a 48U rack), got {devices}"
        )
    loops = n_racks // racks_per_loop
    header = 0.6 * racks_per_loop + 6.0
    out = [
        "# Generated by tools/gen_hall_design.py: a benchmark hall, not a real site.",
        f"# {n_racks} racks, {loops} coolant loops of {racks_per_loop} racks with a CDU pair,",
        f"# {devices} cold-plate trays per rack; every part below is a test fixture.",
        "rackval: 1",
        f"name: hall-{n_racks}",
        f"description: Generated hall of {n_racks} racks ({loops} loops, {arrangement})",
        "site:",
        "  facility_water: {class: W32, supply_temperature: 28 degC}",
    ]
    rows = loops
    if layout:
        air_heat = n_racks * devices * 5.0 * 0.2  # [kW] trays: 5 kW max, 20 % to air
        units = max(2, math.ceil(air_heat * 1.1 / 200.0)) + 1  # 200 kW units, 10 % margin, N+1
        pairs = -(-rows // 2)
        width = 2 * SIDE + racks_per_loop * RACK_WIDTH
        length = COLD_AISLE + pairs * (2 * RACK_DEPTH + HOT_AISLE + COLD_AISLE)
        out += [
            "  air:",
            "    supply_temperature: 22 degC",
            "    ashrae_class: A2",
            "    containment: hot-aisle",
            f"    cooling_capacity: {units * 200} kW",
            f"    units: {units}",
            "    redundancy: N+1",
            f"    airflow: {units * 15} m^3/s",
            "    recirculation: 2 %",
            "  floor: {rated_load: 1500 kg/m^2}",
            "  hall:",
            f"    outline: [[0 m, 0 m], [{width:g} m, 0 m], [{width:g} m, {length:g} m], "
            f"[0 m, {length:g} m]]",
        ]
    if power:
        out += ["power:", "  feeds:"]
        for r in range(1, n_racks + 1):
            for side in "AB":
                out.append(
                    f"    - {{id: {side}{r:04d}, side: {side}, voltage: 415 V, phases: 3, "
                    f"wiring: wye, breaker: 200 A}}"
                )
    out += ["cooling:", "  loops:"]
    for g in range(1, loops + 1):
        loop = f"tcs-{g:03d}"
        out += [
            f"    - id: {loop}",
            "      fluid: PG25",
            "      supply_temperature: 35 degC",
            f"      cdus: [{{id: {loop}-cdu-a, part: test-hall-cdu}}, "
            f"{{id: {loop}-cdu-b, part: test-hall-cdu}}]",
            "      redundancy: N+1",
            "      volume: 1500 L",
            "      ride_through: 10 s",
            "      piping:",
            f"        supply: {{length: {header:g} m, diameter: 150 mm, roughness: 0.0015 mm}}",
            f"        return: {{length: {header:g} m, diameter: 150 mm, roughness: 0.0015 mm}}",
            "        branch: {length: 3 m, diameter: 80 mm, roughness: 0.0015 mm, fittings_k: 2}",
            f"        arrangement: {arrangement}",
        ]
    out.append("racks:")
    for r in range(1, n_racks + 1):
        rack = f"r{r:04d}"
        loop = f"tcs-{(r - 1) // racks_per_loop + 1:03d}"
        out += [f"  - id: {rack}", f"    part: {RACK_PART}", f"    loop: {loop}"]
        if layout:
            row, slot = divmod(r - 1, racks_per_loop)
            pair, back = divmod(row, 2)
            x = SIDE + (slot + 0.5) * RACK_WIDTH
            y0 = COLD_AISLE + pair * (2 * RACK_DEPTH + HOT_AISLE + COLD_AISLE)
            y, facing = (y0, "south") if back == 0 else (y0 + 2 * RACK_DEPTH + HOT_AISLE, "north")
            out.append(f"    position: {{x: {x:g} m, y: {y:g} m, facing: {facing}}}")
        if power:
            out += [
                "    pdus:",
                f"      - {{id: {rack}-pdu-a, part: test-hall-pdu, feed: A{r:04d}}}",
                f"      - {{id: {rack}-pdu-b, part: test-hall-pdu, feed: B{r:04d}}}",
            ]
        out += [
            "    devices:",
            f"      - {{id: {rack}-n01, part: test-hall-tray, u: 3, count: {devices}}}",
        ]
    parts = PARTS.format(
        psus=TRAY_PSUS if power else "",
        air=TRAY_AIR if layout else "",
        airflow="\n    airflow: front-to-rear" if layout else "",
    )
    out.append(parts.rstrip("\n"))
    if power:
        out.append(PDU_PART.rstrip("\n"))
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python tools/gen_hall_design.py",
        description="Write a generated liquid-cooled hall (test-fixture parts) as a design.",
    )
    parser.add_argument("n_racks", type=int, metavar="N", help="racks in the hall")
    parser.add_argument("out", type=Path, metavar="OUT.yaml", help="design file to write")
    parser.add_argument("--racks-per-loop", type=int, default=20, metavar="R")
    parser.add_argument("--devices", type=int, default=18, metavar="D", help="trays per rack")
    parser.add_argument(
        "--arrangement", choices=("direct-return", "reverse-return"), default="reverse-return"
    )
    parser.add_argument("--power", action="store_true", help="add A/B feeds and PDUs per rack")
    parser.add_argument(
        "--layout", action="store_true", help="add a floor plan (rows, hall) and the air side"
    )
    args = parser.parse_args(argv)
    try:
        text = generate(
            args.n_racks,
            racks_per_loop=args.racks_per_loop,
            devices=args.devices,
            arrangement=args.arrangement,
            power=args.power,
            layout=args.layout,
        )
    except ValueError as exc:
        parser.error(str(exc))
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
