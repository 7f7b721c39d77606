"""Fit rules: rack units, depth, mass and zero-U slots (RV-FIT-001…005)."""

from __future__ import annotations

from collections.abc import Iterator

from ..design.model import Design, Device
from .base import Finding, Need, rule

__all__ = ["u_overlap", "outside_rack", "rack_overweight", "too_deep", "no_zero_u_slot"]


def _racked(device: Device) -> bool:
    return device.u is not None and device.part.u_height > 0


def _zero_u(pdu) -> bool:
    spec = pdu.part.pdu
    return pdu.u is None and (spec is None or spec.mounting == "zero-u")


@rule("RV-FIT-001", "u-overlap", per_scenario=False)
def u_overlap(design: Design, solution) -> Iterator[Finding]:
    """Two devices share a rack unit.

    What it checks: for every rack, the rack units each device occupies (``u`` up to
    ``u + u_height − 1``). Two full-depth devices, or two devices on the same face,
    must not share a unit; a half-depth device on the front and one on the rear may.
    Why it matters: the build cannot be racked as drawn; one device has to move, and
    moving it changes cabling, airflow and power.
    Limit: geometry only: the part's ``u_height`` and ``is_full_depth`` (NetBox fields).
    Fails: a DGX H100 (8U) at U10 and a switch at U15 in the same rack.
    Passes: devices stacked at U10 (8U) and U18; a half-depth switch at the front and a
    half-depth PDU at the rear of the same unit.
    """
    for rack in design.racks:
        placed = [d for d in rack.devices if _racked(d)]
        for i, a in enumerate(placed):
            for b in placed[i + 1 :]:
                if a.u > b.u_top or b.u > a.u_top:
                    continue
                depth_shared = a.part.is_full_depth or b.part.is_full_depth or a.face == b.face
                if not depth_shared:
                    continue
                low, high = max(a.u, b.u), min(a.u_top, b.u_top)
                units = f"U{low}" if low == high else f"U{low}–U{high}"
                yield Finding.at(
                    b,
                    f"{b.id} (U{b.u}–U{b.u_top}) overlaps {a.id} (U{a.u}–U{a.u_top}) at {units}",
                    value=float(high - low + 1),
                    limit=0.0,
                )


@rule("RV-FIT-002", "outside-rack", per_scenario=False, needs=[Need("rack", "rack.u_height")])
def outside_rack(design: Design, solution) -> Iterator[Finding]:
    """A device sits beyond the rack's U range.

    What it checks: every device's lowest unit is at least 1 and its top unit
    (``u + u_height − 1``) is at most the rack's ``u_height``.
    Why it matters: the device does not fit into the enclosure that was ordered.
    Limit: the rack part's ``u_height`` (NetBox rack-type field, from the catalog).
    Fails: a 10U DGX B200 at U35 in a 42U rack (top unit 44).
    Passes: the same server at U30 (top unit 39).
    """
    for rack in design.racks:
        spec = rack.part.rack
        if spec is None or not spec.u_height:
            continue
        for device in rack.devices:
            if not _racked(device):
                continue
            if device.u_top > spec.u_height:
                yield Finding.at(
                    device,
                    f"{device.id} occupies U{device.u}–U{device.u_top} but rack {rack.id} "
                    f"({rack.part.model}) has {spec.u_height}U",
                    value=float(device.u_top),
                    limit=float(spec.u_height),
                )


def _mass(obj) -> float:
    return obj.part.mass or 0.0


@rule(
    "RV-FIT-003",
    "rack-overweight",
    per_scenario=False,
    needs=[Need("device", "mass"), Need("pdu", "mass"), Need("rack", "rack.static_load")],
)
def rack_overweight(design: Design, solution) -> Iterator[Finding]:
    """Total mass of a rack's contents exceeds its load rating.

    What it checks: the sum of the masses of every device and PDU in a rack against the
    rack's static load rating, or its dynamic (rolling) rating when the rack is shipped
    racked (``shipped_racked: true``). Integrated rack systems are checked against
    their own rating, contents included.
    Why it matters: an overloaded frame deforms, casters and levelling feet fail, and a
    rack shipped loaded can collapse in transit.
    Limit: ``rack.static_load`` / ``rack.dynamic_load`` of the rack part (catalog, cited;
    RV-CAT-001 when the datasheet does not give it).
    Fails: eight DGX B200 (8 × 142.4 kg = 1,139 kg) in a rack rated for 1,020 kg.
    Passes: four DGX H100 (4 × 130.45 kg = 522 kg) in the same rack.
    """
    for rack in design.racks:
        spec = rack.part.rack
        if spec is None:
            continue
        limit = spec.dynamic_load if rack.shipped_racked else spec.static_load
        kind = "dynamic" if rack.shipped_racked else "static"
        if limit is None:
            continue
        total = sum(_mass(d) for d in rack.devices) + sum(_mass(p) for p in rack.pdus)
        if total > limit:
            yield Finding.at(
                rack,
                f"contents weigh {total:,.1f} kg; {rack.part.model} is rated for {limit:,.0f} kg "
                f"({kind} load)",
                value=total,
                limit=limit,
            )


@rule(
    "RV-FIT-004",
    "too-deep",
    per_scenario=False,
    needs=[
        Need("device", "depth", when=lambda d: d.part.u_height > 0),
        Need("rack", "rack.mounting_depth"),
    ],
)
def too_deep(design: Design, solution) -> Iterator[Finding]:
    """A device is deeper than the rack's mounting depth.

    What it checks: each racked device's depth against the rack's usable mounting
    depth (rail to rail plus what the enclosure allows behind the rails).
    Why it matters: a device that does not fit the depth blocks the rear door, cable
    management and zero-U PDUs, or cannot be mounted at all.
    Limit: ``depth`` of the device part and ``rack.mounting_depth`` of the rack part
    (catalog, cited).
    Fails: an 897 mm DGX H100 in a rack with 800 mm mounting depth.
    Passes: the same server in a rack with 1,048 mm mounting depth.
    """
    for rack in design.racks:
        spec = rack.part.rack
        if spec is None or spec.mounting_depth is None:
            continue
        for device in rack.devices:
            depth = device.part.depth
            if depth is None or device.part.u_height <= 0:
                continue
            if depth > spec.mounting_depth:
                yield Finding.at(
                    device,
                    f"{device.id} is {depth * 1000:.0f} mm deep; rack {rack.id} mounts "
                    f"{spec.mounting_depth * 1000:.0f} mm",
                    value=depth,
                    limit=spec.mounting_depth,
                )


@rule(
    "RV-FIT-005",
    "no-zero-u-slot",
    per_scenario=False,
    needs=[Need("rack", "rack.zero_u_slots", when=lambda r: any(_zero_u(p) for p in r.pdus))],
)
def no_zero_u_slot(design: Design, solution) -> Iterator[Finding]:
    """More zero-U PDUs than the rack has zero-U slots.

    What it checks: the number of zero-U (vertical) PDUs in a rack against the zero-U
    slots of the rack part.
    Why it matters: a vertical PDU without a slot cannot be mounted; it ends up on the
    floor or blocking the rear door.
    Limit: ``rack.zero_u_slots`` of the rack part (catalog, cited).
    Fails: three zero-U PDUs in a rack with two slots.
    Passes: two zero-U PDUs in that rack.
    """
    for rack in design.racks:
        spec = rack.part.rack
        if spec is None or spec.zero_u_slots is None:
            continue
        vertical = [p for p in rack.pdus if _zero_u(p)]
        if len(vertical) > spec.zero_u_slots:
            yield Finding.at(
                rack,
                f"{len(vertical)} zero-U PDUs ({', '.join(p.id for p in vertical)}) but "
                f"{rack.part.model} has {spec.zero_u_slots} zero-U slots",
                value=float(len(vertical)),
                limit=float(spec.zero_u_slots),
            )
