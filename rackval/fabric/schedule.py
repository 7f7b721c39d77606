"""The cable schedule: one row per link, in an order a technician can follow.

Rows are sorted by fabric, then naturally by the first end's rack, device and port
(``p2`` before ``p10``), then the second end. A link's ends keep the order they were
written in (generated links: the lower tier first: node, leaf, spine).
"""

from __future__ import annotations

import re
from typing import Any

from ..design.model import Design
from .graph import fabric_model

__all__ = ["FIELDS", "cable_schedule", "natural_key"]

FIELDS = (
    "cable",
    "fabric",
    "source",
    "a_rack",
    "a_u",
    "a_device",
    "a_port",
    "b_rack",
    "b_u",
    "b_device",
    "b_port",
    "media",
    "media_kind",
    "length_m",
    "reach_m",
    "length_basis",
)
"""Columns of the schedule; lengths in metres."""


def natural_key(text: str) -> tuple[Any, ...]:
    """Sort key that orders embedded numbers by value.

    >>> sorted(["p10", "p2", "p1/2"], key=natural_key)
    ['p1/2', 'p2', 'p10']
    """
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def cable_schedule(design: Design) -> list[dict[str, Any]]:
    """One row per link (explicit and generated) with both ends, media and length.

    ``length_m`` is the measured or routed length rounded to the centimetre, or None
    when the link cannot be routed (``length_basis`` then gives the reason).
    """
    if not design.network.links:
        return []
    model = fabric_model(design)
    rows = []
    for cl in model.links:
        link = cl.link
        da, db = model.devices[link.a.device], model.devices[link.b.device]
        length = cl.route.length
        basis = "measured" if cl.route.measured else ("routed" if length is not None else "")
        rows.append(
            {
                "cable": link.id,
                "fabric": link.fabric or "",
                "source": "generated" if link.generated else "explicit",
                "a_rack": da.rack,
                "a_u": da.u,
                "a_device": da.id,
                "a_port": link.a.port,
                "b_rack": db.rack,
                "b_u": db.u,
                "b_device": db.id,
                "b_port": link.b.port,
                "media": cl.media.id if cl.media else "",
                "media_kind": cl.media.kind if cl.media else "",
                "length_m": round(length, 2) if length is not None else None,
                "reach_m": cl.media.reach if cl.media and cl.media.reach is not None else None,
                "length_basis": basis or cl.route.reason,
            }
        )
    rows.sort(
        key=lambda r: (
            r["fabric"],
            natural_key(r["a_rack"]),
            natural_key(r["a_device"]),
            natural_key(r["a_port"]),
            natural_key(r["b_device"]),
            natural_key(r["b_port"]),
        )
    )
    return rows
