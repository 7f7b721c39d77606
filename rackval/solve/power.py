"""Rack power: design -> PSU connections -> per-line loads -> kernel -> results.

Each device draws its ``max`` (or ``typical``) power shared equally by its live
PSUs. PSUs go to the rack's PDUs alternately (PSU1 → first PDU, PSU2 → second …)
unless the design maps them (``psus:``). On a PDU, each PSU takes an outlet of the
mating type, banks in rotation (so load spreads over the lines); a PDU whose part
has no bank map spreads PSUs over its lines in rotation. Busbar-fed devices (GB200
trays) load the rack busbar, which the live PSUs of the rack's power shelves share;
each shelf PSU then loads its PDU outlet like any device.

Per-line currents of every feed, PDU input and bank come from one kernel call.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..design.model import Design, Device, Rack, RackPdu
from ..physics.electrical import mating_outlet, outlet_voltage
from .electrical_kernel import DELTA, SINGLE_PHASE, WYE, line_currents
from .scenarios import Scenario

__all__ = [
    "PsuLink",
    "Connections",
    "PanelLoad",
    "DeviceSupply",
    "BusbarLoad",
    "PowerSolution",
    "connect",
    "device_power",
    "rack_power",
    "solve_power",
]

WIRING_CODES = {"wye": WYE, "delta": DELTA, "single": SINGLE_PHASE}
LINES = {"wye": ("L1", "L2", "L3"), "delta": ("L1-L2", "L2-L3", "L3-L1"), "single": ("L1",)}


@dataclass(frozen=True)
class PsuLink:
    """One PSU of one device plugged into a PDU outlet."""

    device: str
    psu: int  # 1-based
    pdu: str | None  # None: not plugged in
    line: int  # branch index 0..2 on that PDU
    bank: str | None
    outlet_type: str | None


@dataclass
class Connections:
    """How every PSU is plugged in (scenario-independent)."""

    links: dict[str, list[PsuLink]] = field(default_factory=dict)  # device id -> PSUs
    outlets_needed: dict[str, dict[str, int]] = field(default_factory=dict)  # pdu -> type -> n
    outlets_short: dict[str, dict[str, int]] = field(default_factory=dict)  # pdu -> type -> n
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PanelLoad:
    """Loads and currents of a feed, a PDU input or a PDU bank."""

    id: str
    kind: str  # "feed" | "pdu" | "bank"
    wiring: str
    voltage: float  # [V]
    power: float  # [W] real power
    apparent: float  # [VA]
    line_power: tuple[float, ...]  # [W] per branch
    line_current: tuple[float, ...]  # [A] per line
    neutral_current: float  # [A]
    live: bool = True


@dataclass(frozen=True)
class DeviceSupply:
    """How a device is powered in one scenario."""

    id: str
    power: float  # [W] drawn (0 when it is down)
    psus: int
    live_psus: int
    required: int | None
    psu_load: float  # [W] per live PSU
    unplugged: int  # PSUs not connected to any PDU


@dataclass(frozen=True)
class BusbarLoad:
    """A rack's DC busbar and its power shelves in one scenario."""

    rack: str
    load: float  # [W] busbar-fed devices
    live_psus: int  # live power-shelf PSUs
    capacity: float | None  # [W] live PSUs × rating (None: rating unknown)
    voltage: float | None  # [V]
    current: float | None  # [A]


@dataclass
class PowerSolution:
    """Everything the power rules read, for one scenario."""

    scenario: Scenario
    load_basis: str
    feeds: dict[str, PanelLoad]
    pdus: dict[str, PanelLoad]
    banks: dict[tuple[str, str], PanelLoad]
    devices: dict[str, DeviceSupply]
    racks: dict[str, float]  # [W] power drawn by each rack's devices
    upstream: dict[str, float]  # [W] real power per upstream
    busbars: dict[str, BusbarLoad]
    connections: Connections


def device_power(device: Device, load: str) -> float | None:
    """Power a device draws at the chosen load basis [W].

    ``max`` falls back to ``typical`` (and the other way round) when the part gives only
    one; RV-CAT-001 reports the missing figure. None when the part gives neither.
    """
    p = device.part.power
    if load == "typical":
        return p.typical if p.typical is not None else p.max
    return p.max if p.max is not None else p.typical


def rack_power(rack: Rack, load: str) -> float:
    """Power of every device in a rack at the load basis, however it is connected [W].

    Power shelves are left out: they pass on the busbar-fed devices' power.
    """
    return sum(device_power(d, load) or 0.0 for d in rack.devices if d.part.kind != "power-shelf")


def psu_count(device: Device) -> int:
    """Number of power inputs of a device (1 when the part does not say)."""
    part = device.part
    if part.kind == "power-shelf" and part.power_shelf is not None:
        return part.power_shelf.psus
    return part.power.psus or 1


def is_busbar_fed(device: Device) -> bool:
    """True for devices powered from the rack busbar rather than PDU outlets."""
    return device.part.power.feed == "busbar"


def _interleaved(banks: list) -> list:
    """Banks ordered L1, L2, L3, L1, L2, L3 … so consecutive PSUs land on different lines."""
    seen: dict[str, int] = {}
    keyed = []
    for position, bank in enumerate(banks):
        nth = seen.get(bank.line, 0)
        seen[bank.line] = nth + 1
        keyed.append((nth, position, bank))
    return [bank for _, _, bank in sorted(keyed, key=lambda item: (item[0], item[1]))]


class _OutletPool:
    """Free outlets of one PDU, handed out bank by bank in rotation.

    Banks are visited with the lines interleaved. Banks that list their outlets give
    from their own; banks without an outlet list (datasheets that state banks but not
    which outlets sit on them) give from the PDU's total. A PDU with no bank map rotates
    over its lines.
    """

    def __init__(self, pdu: RackPdu) -> None:
        spec = pdu.part.pdu
        self.wiring = spec.wiring if spec else "single"
        self.lines = LINES[self.wiring]
        self.banks = _interleaved(list(spec.banks)) if spec else []
        self.free_bank = [dict(b.outlets) for b in self.banks]
        self.free = dict(spec.outlets) if spec else {}
        self.turn = 0

    @staticmethod
    def _take_from(free: dict[str, int], outlet_type: str | None) -> bool:
        if not free:
            return outlet_type is None  # nothing listed: an untyped inlet cannot be checked
        kind = outlet_type or next((t for t, n in free.items() if n > 0), None)
        if kind is None or free.get(kind, 0) <= 0:
            return False
        free[kind] -= 1
        return True

    def take(self, outlet_type: str | None, line: str | None) -> tuple[int, str | None, bool]:
        """(branch index, bank name, an outlet was free) for the next PSU."""
        if not self.banks:
            index = self.lines.index(line) if line in self.lines else self.turn % len(self.lines)
            self.turn += 1
            return index, None, self._take_from(self.free, outlet_type)
        candidates = [
            k
            for k in ((self.turn + j) % len(self.banks) for j in range(len(self.banks)))
            if line is None or self.banks[k].line == line
        ]
        for k in candidates:
            pool = self.free_bank[k] if self.banks[k].outlets else self.free
            if self._take_from(pool, outlet_type):
                self.turn = k + 1
                return self._index(self.banks[k].line), self.banks[k].name, True
        k = candidates[0] if candidates else self.turn % len(self.banks)
        self.turn = k + 1
        bank_line = line or self.banks[k].line
        return self._index(bank_line), (self.banks[k].name if candidates else None), False

    def _index(self, line: str) -> int:
        return self.lines.index(line) if line in self.lines else 0


def connect(design: Design) -> Connections:
    """Plug every PSU of every device into a PDU outlet (scenario-independent)."""
    out = Connections()
    for rack in design.racks:
        pools = {p.id: _OutletPool(p) for p in rack.pdus}
        pdu_order = [p.id for p in rack.pdus]
        for device in rack.devices:
            if is_busbar_fed(device):
                continue
            n = psu_count(device)
            outlet_type = mating_outlet(device.part.power.inlet)
            assignment: dict[int, str | None] = {}
            if device.psu_map:
                for pdu_id, numbers in device.psu_map.items():
                    for number in numbers:
                        assignment[number] = pdu_id
            elif pdu_order:
                assignment = {k: pdu_order[(k - 1) % len(pdu_order)] for k in range(1, n + 1)}
            links = []
            for k in range(1, n + 1):
                pdu_id = assignment.get(k)
                if pdu_id is None or pdu_id not in pools:
                    links.append(PsuLink(device.id, k, None, 0, None, outlet_type))
                    continue
                line, bank, found = pools[pdu_id].take(outlet_type, device.phase)
                kind = outlet_type or "any"
                out.outlets_needed.setdefault(pdu_id, {}).setdefault(kind, 0)
                out.outlets_needed[pdu_id][kind] += 1
                if not found:
                    out.outlets_short.setdefault(pdu_id, {}).setdefault(kind, 0)
                    out.outlets_short[pdu_id][kind] += 1
                links.append(PsuLink(device.id, k, pdu_id, line, bank, outlet_type))
            out.links[device.id] = links
    return out


def _apparent(power: float, pf: float) -> float:
    return power / pf if pf > 0 else power


def solve_power(
    design: Design,
    scenario: Scenario,
    *,
    load: str = "max",
    connections: Connections | None = None,
) -> PowerSolution:
    """Loads and currents of every feed, PDU, bank, device and busbar in a scenario."""
    conn = connections if connections is not None else connect(design)
    pdus = {p.id: p for p in design.pdus}
    feeds = {f.id: f for f in design.power.feeds}
    live_pdu = {
        pid: pid not in scenario.dead_pdus and p.feed not in scenario.dead_feeds
        for pid, p in pdus.items()
    }
    # real and reactive power per PDU branch, per bank
    pdu_p: dict[str, list[float]] = {pid: [0.0, 0.0, 0.0] for pid in pdus}
    pdu_q: dict[str, list[float]] = {pid: [0.0, 0.0, 0.0] for pid in pdus}
    bank_pq: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    devices: dict[str, DeviceSupply] = {}
    racks: dict[str, float] = {}
    busbars: dict[str, BusbarLoad] = {}

    def place(device: Device, power: float) -> DeviceSupply:
        links = conn.links.get(device.id, [])
        live = [lk for lk in links if lk.pdu is not None and live_pdu.get(lk.pdu, False)]
        n = psu_count(device)
        required = (
            device.part.power_shelf.psus_required
            if device.part.kind == "power-shelf" and device.part.power_shelf
            else device.part.power.psus_required
        )
        unplugged = sum(1 for lk in links if lk.pdu is None)
        if not live or power <= 0.0:
            return DeviceSupply(
                device.id, 0.0 if not live else power, n, len(live), required, 0.0, unplugged
            )
        share = power / len(live)
        pf = device.part.power.power_factor or 1.0
        q_share = share * math.tan(math.acos(pf))
        for lk in live:
            pdu_p[lk.pdu][lk.line] += share
            pdu_q[lk.pdu][lk.line] += q_share
            if lk.bank is not None:
                bank_pq[(lk.pdu, lk.bank)][0] += share
                bank_pq[(lk.pdu, lk.bank)][1] += q_share
        return DeviceSupply(device.id, power, n, len(live), required, share, unplugged)

    for rack in design.racks:
        total = 0.0
        busbar_load = 0.0
        shelves = [d for d in rack.devices if d.part.kind == "power-shelf"]
        busbar_fed = [d for d in rack.devices if is_busbar_fed(d)]
        for device in rack.devices:
            if device in shelves or device in busbar_fed:
                continue
            supply = place(device, device_power(device, load) or 0.0)
            devices[device.id] = supply
            total += supply.power
        busbar_load = sum(device_power(d, load) or 0.0 for d in busbar_fed)
        bus = _busbar(rack, shelves, busbar_load, conn, live_pdu)
        if bus is not None:
            busbars[rack.id] = bus
            per_psu = busbar_load / bus.live_psus if bus.live_psus else 0.0
            for shelf in shelves:
                live_links = [
                    lk
                    for lk in conn.links.get(shelf.id, [])
                    if lk.pdu is not None and live_pdu.get(lk.pdu, False)
                ]
                devices[shelf.id] = place(shelf, per_psu * len(live_links))
            for device in busbar_fed:
                power = (device_power(device, load) or 0.0) if bus.live_psus else 0.0
                devices[device.id] = DeviceSupply(device.id, power, 0, 0, None, 0.0, 0)
                total += power
        racks[rack.id] = total

    # one kernel call for every PDU input, feed and bank
    rows: list[tuple[str, str, str, float, list[float], list[float], bool]] = []
    for pid, pdu in pdus.items():
        feed = feeds[pdu.feed]
        rows.append(
            (
                "pdu",
                pid,
                _pdu_wiring(pdu, feed.wiring),
                feed.voltage,
                pdu_p[pid],
                pdu_q[pid],
                live_pdu[pid],
            )
        )
    feed_p: dict[str, list[float]] = {fid: [0.0, 0.0, 0.0] for fid in feeds}
    feed_q: dict[str, list[float]] = {fid: [0.0, 0.0, 0.0] for fid in feeds}
    for pid, pdu in pdus.items():
        for k in range(3):
            feed_p[pdu.feed][k] += pdu_p[pid][k]
            feed_q[pdu.feed][k] += pdu_q[pid][k]
    mixed: set[str] = set()
    for fid, feed in feeds.items():
        wirings = {_pdu_wiring(p, feed.wiring) for p in pdus.values() if p.feed == fid}
        if len(wirings) > 1:
            mixed.add(fid)  # wye and delta PDUs on one feed: summed after the kernel call
        wiring = wirings.pop() if len(wirings) == 1 else feed.wiring
        rows.append(
            (
                "feed",
                fid,
                wiring,
                feed.voltage,
                feed_p[fid],
                feed_q[fid],
                fid not in scenario.dead_feeds,
            )
        )
    for (pid, bank_name), (p, q) in bank_pq.items():
        pdu = pdus[pid]
        feed = feeds[pdu.feed]
        voltage = outlet_voltage(feed.voltage, pdu.part.pdu.wiring)
        rows.append(
            (
                "bank",
                f"{pid}/{bank_name}",
                "single",
                voltage,
                [p, 0.0, 0.0],
                [q, 0.0, 0.0],
                live_pdu[pid],
            )
        )

    panels = _currents(rows)
    pdu_loads = {r.id: r for r in panels if r.kind == "pdu"}
    feed_loads = {r.id: r for r in panels if r.kind == "feed"}
    for fid in mixed:
        feed_loads[fid] = _bounded_sum(
            feed_loads[fid], [pdu_loads[p] for p in pdus if pdus[p].feed == fid]
        )
    bank_loads = {tuple(r.id.split("/", 1)): r for r in panels if r.kind == "bank"}
    upstream: dict[str, float] = {u.id: 0.0 for u in design.power.upstream}
    for fid, feed in feeds.items():
        if feed.upstream in upstream:
            upstream[feed.upstream] += feed_loads[fid].power
    return PowerSolution(
        scenario, load, feed_loads, pdu_loads, bank_loads, devices, racks, upstream, busbars, conn
    )


def _pdu_wiring(pdu: RackPdu, feed_wiring: str) -> str:
    return pdu.part.pdu.wiring if pdu.part.pdu else feed_wiring


def _bounded_sum(feed: PanelLoad, parts: list[PanelLoad]) -> PanelLoad:
    """Feed currents from PDUs of different wiring: per-line sum of magnitudes.

    Without the phasors, |ΣI| ≤ Σ|I| (triangle inequality) gives an upper bound, which
    is what a capacity check needs.
    """
    lines = tuple(
        sum(p.line_current[k] for p in parts if len(p.line_current) > k) for k in range(3)
    )
    return PanelLoad(
        feed.id,
        feed.kind,
        "mixed",
        feed.voltage,
        feed.power,
        feed.apparent,
        feed.line_power,
        lines,
        sum(p.neutral_current for p in parts),
        feed.live,
    )


def _busbar(
    rack: Rack,
    shelves: list[Device],
    busbar_load: float,
    conn: Connections,
    live_pdu: dict[str, bool],
) -> BusbarLoad | None:
    if busbar_load <= 0.0 and not shelves:
        return None
    live = 0
    capacity: float | None = 0.0
    for shelf in shelves:
        links = conn.links.get(shelf.id, [])
        n_live = sum(1 for lk in links if lk.pdu is not None and live_pdu.get(lk.pdu, False))
        live += n_live
        rating = shelf.part.power_shelf.psu_rating if shelf.part.power_shelf else None
        capacity = None if rating is None or capacity is None else capacity + n_live * rating
    voltage = rack.part.rack.busbar_voltage if rack.part.rack else None
    if voltage is None:
        voltage = next(
            (
                s.part.power_shelf.output_voltage
                for s in shelves
                if s.part.power_shelf and s.part.power_shelf.output_voltage
            ),
            None,
        )
    current = busbar_load / voltage if voltage else None
    return BusbarLoad(rack.id, busbar_load, live, capacity, voltage, current)


def _currents(
    rows: list[tuple[str, str, str, float, list[float], list[float], bool]],
) -> list[PanelLoad]:
    n = len(rows)
    if n == 0:
        return []
    power = np.zeros(3 * n)
    pf = np.ones(3 * n)
    voltage = np.empty(n)
    wiring = np.empty(n, dtype=np.intp)
    for i, (_, _, wire, volts, p, q, _) in enumerate(rows):
        voltage[i] = volts
        wiring[i] = WIRING_CODES[wire]
        branches = 1 if wire == "single" else 3
        if wire == "single":
            p = [sum(p), 0.0, 0.0]
            q = [sum(q), 0.0, 0.0]
        for k in range(branches):
            power[3 * i + k] = p[k]
            s = math.hypot(p[k], q[k])
            pf[3 * i + k] = p[k] / s if s > 0 else 1.0
    line, neutral = line_currents(power, pf, voltage, wiring)
    out = []
    for i, (kind, ident, wire, volts, p, q, live) in enumerate(rows):
        branches = 1 if wire == "single" else 3
        real = float(sum(power[3 * i : 3 * i + 3]))
        apparent = float(sum(math.hypot(a, b) for a, b in zip(p, q, strict=True)))
        out.append(
            PanelLoad(
                id=ident,
                kind=kind,
                wiring=wire,
                voltage=volts,
                power=real,
                apparent=apparent,
                line_power=tuple(float(x) for x in power[3 * i : 3 * i + branches]),
                line_current=tuple(float(x) for x in line[3 * i : 3 * i + branches]),
                neutral_current=float(neutral[i]),
                live=live,
            )
        )
    return out
