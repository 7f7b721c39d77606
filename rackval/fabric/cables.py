"""Cable routes between rack positions, and the choice of media by length.

A cable leaves its device at the middle of the device's rack units, runs up to the top
of the rack's U space, across the overhead tray along a Manhattan route between the two
racks' front-face centres (``position``), and down to the other device; inside one rack
it runs only vertically. The design's ``network.cabling.slack`` is added to every cable
(no standard gives a slack; without it the bare route is used, and findings say so).

.. math:: L = |x_a - x_b| + |y_a - y_b| + (H_a - h_a) + (H_b - h_b) + s

with rack U-space heights H, device mid-heights h = (u − 1 + n/2)·1 U and slack s.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..catalog.media import MEDIA_KINDS, Media
from ..design.model import Device, Link, Rack

__all__ = ["RACK_UNIT", "Route", "route", "device_height", "MediaChooser", "choose_media"]

RACK_UNIT = 0.04445
"""One rack unit [m]: 1.75 in (EIA-310), as ``RU`` in :mod:`rackval.units`."""


@dataclass(frozen=True)
class Route:
    """The routed length of one cable and its parts [m]."""

    length: float | None  # None: cannot be routed (reason says why)
    horizontal: float = 0.0
    vertical: float = 0.0
    slack: float = 0.0
    measured: bool = False  # the link states its length
    reason: str = ""


def device_height(device: Device) -> float | None:
    """Height of the middle of a device above the bottom of U1 [m], or None without ``u``.

    >>> from types import SimpleNamespace
    >>> dev = SimpleNamespace(u=1, part=SimpleNamespace(u_height=2))
    >>> round(device_height(dev), 5)
    0.04445
    """
    if device.u is None:
        return None
    return (device.u - 1 + max(device.part.u_height, 1) / 2) * RACK_UNIT


def _top(rack: Rack) -> float | None:
    spec = rack.part.rack
    return spec.u_height * RACK_UNIT if spec is not None and spec.u_height else None


def route(
    link: Link,
    devices: dict[str, Device],
    racks: dict[str, Rack],
    slack: float | None,
) -> Route:
    """The routed length of a link (its stated ``length`` when given).

    Parameters
    ----------
    link : Link
        The cable.
    devices, racks : dict
        Devices and racks by id.
    slack : float or None
        Length added to every routed cable. [m]

    Returns
    -------
    Route
        Length and its parts; ``length`` None with a reason when a device has no U
        position, or the racks differ and one is not placed or has no U count.
    """
    extra = slack or 0.0
    if link.length is not None:
        return Route(link.length, measured=True)
    da, db = devices[link.a.device], devices[link.b.device]
    ha, hb = device_height(da), device_height(db)
    if ha is None or hb is None:
        missing = da.id if ha is None else db.id
        return Route(None, reason=f"device '{missing}' has no U position")
    if da.rack == db.rack:
        vertical = abs(ha - hb)
        return Route(vertical + extra, 0.0, vertical, extra)
    ra, rb = racks[da.rack], racks[db.rack]
    for rack in (ra, rb):
        if not rack.placed:
            return Route(None, reason=f"rack '{rack.id}' has no position")
    ta, tb = _top(ra), _top(rb)
    if ta is None or tb is None:
        slug = (ra if ta is None else rb).part.slug
        return Route(None, reason=f"rack part '{slug}' has no U count")
    horizontal = abs(ra.x - rb.x) + abs(ra.y - rb.y)
    vertical = max(ta - ha, 0.0) + max(tb - hb, 0.0)
    return Route(horizontal + vertical + extra, horizontal, vertical, extra)


def _fits(media: Media, forms: frozenset[str], speed: float | None, split: int) -> bool:
    if media.form_factor is not None and forms and media.form_factor not in forms:
        return False
    if speed is not None and (media.link_speed is None or media.link_speed < speed):
        return False
    return split == 1 or media.breakout >= split


class MediaChooser:
    """``media: auto``: the compatible media with the shortest reach that covers a length.

    Compatible: same form factor as an end (when both are known), a speed per far end
    at least the link's, and a splitter for a broken-out port. Ties go to the kind
    listed first in :data:`~rackval.catalog.media.MEDIA_KINDS` (copper before optics),
    then the id. The compatible list of each kind of link is sorted once.
    """

    def __init__(self, catalog: dict[str, Media]) -> None:
        self.catalog = [m for m in catalog.values() if m.reach is not None]
        self.catalog.sort(key=lambda m: (m.reach, MEDIA_KINDS.index(m.kind), m.id))
        self._lists: dict[tuple, tuple[list[float], list[Media]]] = {}

    def __call__(self, link: Link, length: float | None, speed: float | None) -> Media | None:
        """The media for ``link`` over ``length`` [m]; None when unknown or nothing reaches."""
        if length is None:
            return None
        forms = frozenset(f for f in (link.a.form_factor, link.b.form_factor) if f)
        key = (forms, speed, max(link.a.breakout, link.b.breakout))
        found = self._lists.get(key)
        if found is None:
            fitting = [m for m in self.catalog if _fits(m, *key)]
            found = self._lists[key] = ([m.reach for m in fitting], fitting)
        reaches, fitting = found
        k = bisect.bisect_left(reaches, length)
        return fitting[k] if k < len(fitting) else None


def choose_media(
    link: Link, length: float | None, catalog: dict[str, Media], speed: float | None
) -> Media | None:
    """One ``media: auto`` choice (see :class:`MediaChooser`, which caches across links)."""
    return MediaChooser(catalog)(link, length, speed)
