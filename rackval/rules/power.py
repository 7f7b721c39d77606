"""Power rules: feeds, PDUs, PSUs, phases, outlets, voltage, upstream, busbar (RV-PWR-*)."""

from __future__ import annotations

from collections.abc import Iterator

from ..design.model import Design
from ..physics.electrical import outlet_voltage, phase_imbalance
from ..solve.solution import Solution
from .base import Finding, Need, rule

__all__ = [
    "feed_overload",
    "pdu_overload",
    "psu_redundancy",
    "phase_imbalance_rule",
    "outlet_exhausted",
    "voltage_mismatch",
    "upstream_overload",
    "busbar_overload",
]


def _amps(values) -> str:
    return "/".join(f"{v:.1f}" for v in values) + " A"


def _outlet_fed(device) -> bool:
    return device.part.power.feed != "busbar" and device.part.kind != "power-shelf"


def _draws_own_power(device) -> bool:
    """Every device but power shelves (whose draw is the busbar load they carry)."""
    return device.part.kind != "power-shelf"


def _has_busbar_load(rack) -> bool:
    return any(d.part.power.feed == "busbar" for d in rack.devices)


@rule(
    "RV-PWR-001",
    "feed-overload",
    domain="power",
    needs=[Need("device", "power.max", when=_draws_own_power)],
)
def feed_overload(design: Design, solution: Solution) -> Iterator[Finding]:
    """A feed carries more current on a line than its breaker allows continuously.

    What it checks: the RMS current of each line of each live feed (phasor sums over
    every PDU on the feed, from the kernel) against breaker × maximum utilization, in
    every scenario: when one side is lost, the surviving feeds carry the whole load.
    Why it matters: IT load is continuous; a breaker loaded above its continuous rating
    trips, and in a failover that takes the surviving side down too.
    Limit: ``breaker`` × ``max_utilization`` of the feed (design); without
    ``max_utilization``, 80 % (NEC 210.20(A): continuous load at most 1/1.25 of the
    rating; catalog/standards.yaml).
    Fails: four DGX B200 (57.2 kW) on two 415 V 60 A feeds, side A lost: feed B1 carries
    57.2 kW = 57,200 / (√3 × 415 V) = 79.6 A per line > 60 A × 80 % = 48 A
    (designs/dgx-b200-failover.yaml).
    Passes: four DGX H100 (40.8 kW) on three 415 V 60 A feed sides, one side lost: each
    surviving feed carries 20.4 kW, 31.9 A on its most loaded line < 48 A
    (designs/dgx-h100-pair.yaml).
    """
    fraction = solution.limits.continuous_load_fraction
    for feed in design.power.feeds:
        load = solution.power.feeds.get(feed.id)
        if load is None or not load.live:
            continue
        utilization = feed.max_utilization if feed.max_utilization is not None else fraction
        limit = feed.breaker * utilization
        worst = max(load.line_current)
        if worst > limit:
            line = load.line_current.index(worst) + 1
            yield Finding.at(
                feed,
                f"line L{line} carries {worst:.1f} A (lines {_amps(load.line_current)}, "
                f"{load.power / 1000:.1f} kW) > {limit:.1f} A = {feed.breaker:.0f} A breaker × "
                f"{utilization:.0%}",
                value=worst,
                limit=limit,
            )


@rule("RV-PWR-002", "pdu-overload", domain="power", needs=[Need("pdu", "pdu.current")])
def pdu_overload(design: Design, solution: Solution) -> Iterator[Finding]:
    """A PDU input line or one of its bank breakers is over its rating.

    What it checks: each live PDU's input line currents against the PDU's rated input
    current, and each bank's current against the bank breaker, in every scenario.
    Why it matters: the PDU's input breaker or a bank breaker trips and drops every
    device plugged into it.
    Limit: ``pdu.current`` (nameplate input rating) and ``pdu.banks[].breaker`` of the
    PDU part (catalog, cited; RV-CAT-001 when the datasheet gives no bank map).
    Fails: 12 kW of C19 load on one 16 A bank of a 230 V wye PDU (52 A > 16 A).
    Passes: the same load spread over six banks (8.7 A each).
    """
    for pdu in design.pdus:
        spec = pdu.part.pdu
        load = solution.power.pdus.get(pdu.id)
        if spec is None or load is None or not load.live:
            continue
        if spec.current is not None and max(load.line_current) > spec.current:
            worst = max(load.line_current)
            yield Finding.at(
                pdu,
                f"input line current {worst:.1f} A (lines {_amps(load.line_current)}) > "
                f"{spec.current:.0f} A rating of {pdu.part.model}",
                value=worst,
                limit=spec.current,
            )
        for bank in spec.banks:
            bank_load = solution.power.banks.get((pdu.id, bank.name))
            if bank_load is None or bank.breaker is None:
                continue
            current = bank_load.line_current[0]
            if current > bank.breaker:
                yield Finding.at(
                    pdu,
                    f"bank {bank.name} ({bank.line}) carries {current:.1f} A > "
                    f"{bank.breaker:.0f} A bank breaker",
                    value=current,
                    limit=bank.breaker,
                    path=f"{pdu.path}.banks[{bank.name}]",
                )


@rule(
    "RV-PWR-003",
    "psu-redundancy",
    domain="power",
    needs=[
        Need("device", "power.psus_required", when=_outlet_fed),
        Need("device", "power.psu_rating", when=_outlet_fed),
    ],
)
def psu_redundancy(design: Design, solution: Solution) -> Iterator[Finding]:
    """A device has fewer live PSUs than it needs.

    What it checks: for every device, the PSUs that are plugged into a live PDU in the
    scenario against the number the vendor requires for full performance (unplugged
    PSUs count as dead), and whether the live PSUs together can deliver the device's
    power (live PSUs × PSU rating). Power shelves are checked the same way. Below the
    required count the finding is a warning while the device keeps running power-capped
    (at least ``power.psus_minimum`` live, where the vendor states one) and an error
    below that minimum or when no minimum is stated.
    Why it matters: with too few PSUs a node throttles or shuts down (DGX B200 caps its
    GPUs with 3–4 live PSUs; DGX H100 runs reduced on 3); if every PSU is on one side,
    losing that side takes the node down.
    Limit: ``power.psus_required`` of the part (vendor redundancy, e.g. 5 of 6 for DGX
    B200, 4 of 6 for DGX H100), ``power.psus_minimum`` (3 for both) and
    ``power.psu_rating`` (catalog, cited).
    Fails: a DGX B200 (5+1) with its PSUs alternating over an A and a B PDU, when side A
    is lost (3 live < 5: warning, it runs power-capped); the same with every PSU on
    the A PDU (0 live: error).
    Passes: a DGX H100 (4+2) whose PSUs alternate over three PDUs on sides A, B and C
    (2 + 2 + 2): with any one side lost, 4 PSUs stay live (designs/dgx-h100-pair.yaml).
    """
    for device in design.devices:
        supply = solution.power.devices.get(device.id)
        if supply is None or device.part.power.feed == "busbar":
            continue
        required = supply.required
        rating = device.part.power.psu_rating
        if (
            (required is None or supply.live_psus >= required)
            and rating
            and supply.power > 0
            and supply.live_psus * rating < supply.power
        ):
            yield Finding.at(
                device,
                f"{supply.live_psus} live PSUs × {rating / 1000:.2f} kW = "
                f"{supply.live_psus * rating / 1000:.2f} kW < {supply.power / 1000:.2f} kW drawn",
                value=supply.power,
                limit=supply.live_psus * rating,
            )
        if required is None:
            continue
        if supply.live_psus < required:
            minimum = device.part.power.psus_minimum
            degraded = minimum is not None and supply.live_psus >= minimum
            unplugged = f"; {supply.unplugged} not plugged in" if supply.unplugged else ""
            short = ""
            if rating and supply.live_psus and supply.live_psus * rating < supply.power:
                capacity = f"{supply.live_psus} × {rating / 1000:.2f} kW = "
                capacity += f"{supply.live_psus * rating / 1000:.2f} kW"
                short = (
                    f" ({capacity} of its {supply.power / 1000:.2f} kW)"
                    if degraded
                    else f"; {capacity} cannot carry {supply.power / 1000:.2f} kW"
                )
            mode = (
                f"; it runs power-capped (vendor minimum {minimum}){short}" if degraded else short
            )
            yield Finding.at(
                device,
                f"{supply.live_psus} of {supply.psus} PSUs live, {device.part.model} needs "
                f"{required} for full performance{unplugged}{mode}",
                value=float(supply.live_psus),
                limit=float(required),
                severity="warning" if degraded else "error",
            )


@rule("RV-PWR-004", "phase-imbalance", domain="power", severity="warning")
def phase_imbalance_rule(design: Design, solution: Solution) -> Iterator[Finding]:
    """Line currents of a three-phase feed differ too much, or its neutral is overloaded.

    What it checks: for every live three-phase feed and PDU, the imbalance (largest
    deviation of a line current from the mean, over the mean) against the design's
    ``max_phase_imbalance``; for wye feeds and PDUs, the neutral current (phasor sum of
    the line currents, from the kernel) against the line rating.
    Why it matters: an imbalanced feed reaches its breaker on one line long before the
    others, wasting capacity; neutral current heats a conductor that has no breaker.
    Limit: ``power.max_phase_imbalance`` (design; not checked when absent — no
    standard limit is sourced in catalog/standards.yaml); neutral: the feed breaker /
    PDU rated current (the neutral is sized like a line).
    Fails: 10/5/0 kW on the lines of a delta PDU (24.1/31.9/12.0 A, imbalance 47 %)
    with ``max_phase_imbalance: 10 %``.
    Passes: 5/5/5 kW (20.9 A on every line, imbalance 0).
    """
    limit = design.power.max_phase_imbalance
    panels = [(f, solution.power.feeds.get(f.id), f.breaker) for f in design.power.feeds]
    panels += [
        (p, solution.power.pdus.get(p.id), p.part.pdu.current if p.part.pdu else None)
        for p in design.pdus
    ]
    for obj, load, rating in panels:
        if load is None or not load.live or len(load.line_current) != 3 or load.power <= 0:
            continue
        if limit is not None:
            imbalance = phase_imbalance(load.line_current)
            if imbalance > limit:
                yield Finding.at(
                    obj,
                    f"line currents {_amps(load.line_current)} are {imbalance:.0%} imbalanced "
                    f"> {limit:.0%} (power.max_phase_imbalance)",
                    value=imbalance,
                    limit=limit,
                )
        if load.wiring == "wye" and rating is not None and load.neutral_current > rating:
            yield Finding.at(
                obj,
                f"neutral carries {load.neutral_current:.1f} A > {rating:.0f} A line rating",
                value=load.neutral_current,
                limit=rating,
                severity="error",
            )


@rule(
    "RV-PWR-005",
    "outlet-exhausted",
    per_scenario=False,
    needs=[Need("device", "power.inlet", when=_outlet_fed)],
)
def outlet_exhausted(design: Design, solution: Solution) -> Iterator[Finding]:
    """A PDU has too few outlets of the type its PSUs need.

    What it checks: each PSU inlet takes an outlet of the mating type (C20 → C19,
    C14 → C13, IEC 60320); per PDU, the outlets needed against those the part has.
    Why it matters: PSUs that cannot be plugged in leave the device without redundancy
    or without power; adapters and extension cords are not acceptable in a rack.
    Limit: ``pdu.outlets`` (and ``pdu.banks[].outlets``) of the PDU part (catalog, cited).
    Fails: eight DGX B200 with 6 C20 inlets each, alternating over two PDUs with
    12 C19 outlets each (24 needed per PDU).
    Passes: two DGX B200 (6 C19 per PDU) on the same PDUs.
    """
    conn = solution.power.connections
    for pdu in design.pdus:
        short = conn.outlets_short.get(pdu.id, {})
        for kind, missing in sorted(short.items()):
            needed = conn.outlets_needed[pdu.id][kind]
            have = needed - missing
            yield Finding.at(
                pdu,
                f"needs {needed} × {kind} outlets, {pdu.part.model} has {have} free",
                value=float(needed),
                limit=float(have),
            )


@rule(
    "RV-PWR-006",
    "voltage-mismatch",
    per_scenario=False,
    needs=[Need("device", "power.input_voltage", when=_outlet_fed)],
)
def voltage_mismatch(design: Design, solution: Solution) -> Iterator[Finding]:
    """Outlet voltage is outside a PSU's input range, or a PDU does not fit its feed.

    What it checks: the voltage at each PSU's outlet (wye PDU: V_LL/√3; delta PDU and
    single phase: the feed voltage) against the PSU input range; and that a wye PDU
    (which needs a neutral) is not on a delta feed and a PDU's phase count matches.
    Why it matters: a 200–240 V PSU on a 277 V outlet (480 V wye) is destroyed; one on
    a 120 V outlet does not start.
    Limit: ``power.input_voltage`` of the device part (datasheet range, catalog);
    wiring of the PDU part and the feed.
    Fails: DGX H100 (200–240 V) on a wye PDU fed at 480 V (277 V outlets).
    Passes: DGX H100 on a wye PDU fed at 415 V (240 V outlets).
    """
    feeds = {f.id: f for f in design.power.feeds}
    for pdu in design.pdus:
        feed = feeds[pdu.feed]
        spec = pdu.part.pdu
        if spec is None:
            continue
        if (spec.phases == 3) != (feed.phases == 3) or (
            spec.wiring == "wye" and feed.wiring == "delta"
        ):
            yield Finding.at(
                pdu,
                f"{pdu.part.model} is {spec.phases}-phase {spec.wiring}, feed {feed.id} is "
                f"{feed.phases}-phase {feed.wiring}",
            )
            continue
        volts = outlet_voltage(feed.voltage, spec.wiring)
        for device in design.devices:
            if device.rack != pdu.rack or not _outlet_fed(device):
                continue
            rng = device.part.power.input_voltage
            links = solution.power.connections.links.get(device.id, [])
            if rng is None or not any(lk.pdu == pdu.id for lk in links):
                continue
            if not rng[0] <= volts <= rng[1]:
                yield Finding.at(
                    device,
                    f"outlets of {pdu.id} give {volts:.0f} V; {device.part.model} PSUs accept "
                    f"{rng[0]:.0f}–{rng[1]:.0f} V",
                    value=volts,
                    limit=rng[1] if volts > rng[1] else rng[0],
                )


@rule("RV-PWR-007", "upstream-overload", domain="power")
def upstream_overload(design: Design, solution: Solution) -> Iterator[Finding]:
    """A UPS, panel or busway feeds more than its capacity.

    What it checks: the real power of every live feed summed per upstream against
    the upstream's capacity, in every scenario (when one UPS is lost the other carries
    both sides of every rack).
    Why it matters: an overloaded UPS goes to bypass or drops its load.
    Limit: ``power.upstream[].capacity`` (design).
    Fails: two racks of 57 kW on upstream ``ups-a`` of 100 kW when side B is lost.
    Passes: the same racks on 150 kW upstreams.
    """
    for upstream in design.power.upstream:
        load = solution.power.upstream.get(upstream.id, 0.0)
        if load > upstream.capacity:
            yield Finding.at(
                upstream,
                f"feeds draw {load / 1000:.1f} kW > {upstream.capacity / 1000:.1f} kW capacity",
                value=load,
                limit=upstream.capacity,
            )


@rule(
    "RV-PWR-008",
    "busbar-overload",
    domain="power",
    needs=[
        Need("device", "power_shelf.psu_rating", when=lambda d: d.part.kind == "power-shelf"),
        Need("rack", "rack.busbar_rating", when=_has_busbar_load),
    ],
)
def busbar_overload(design: Design, solution: Solution) -> Iterator[Finding]:
    """A rack busbar carries more than its power shelves or its rating allow.

    What it checks: the load of busbar-fed devices (GB200 trays, ORv3 sleds) against
    the output of the live power-shelf PSUs (count × rating), and the busbar current
    (load / busbar voltage) against the rack's busbar rating.
    Why it matters: shelves over capacity shut down or shed load; an overloaded busbar
    overheats.
    Limit: ``power_shelf.psu_rating`` of the shelf part and ``rack.busbar_rating`` of
    the rack part (catalog, cited; RV-CAT-001 where the datasheet does not give them).
    Fails: 120 kW of trays on three 33 kW shelves (99 kW).
    Passes: the same trays on eight 33 kW shelves (264 kW).
    """
    racks = {r.id: r for r in design.racks}
    for rack_id, bus in solution.power.busbars.items():
        rack = racks[rack_id]
        if bus.load > 0 and bus.live_psus == 0:
            yield Finding.at(
                rack,
                f"{bus.load / 1000:.1f} kW of busbar-fed devices but no live power-shelf PSU",
                value=bus.load,
                limit=0.0,
            )
            continue
        if bus.capacity is not None and bus.load > bus.capacity:
            yield Finding.at(
                rack,
                f"busbar load {bus.load / 1000:.1f} kW > {bus.capacity / 1000:.1f} kW from "
                f"{bus.live_psus} live power-shelf PSUs",
                value=bus.load,
                limit=bus.capacity,
            )
        rating = rack.part.rack.busbar_rating if rack.part.rack else None
        if rating is not None and bus.current is not None and bus.current > rating:
            yield Finding.at(
                rack,
                f"busbar current {bus.current:,.0f} A > {rating:,.0f} A rating",
                value=bus.current,
                limit=rating,
            )
