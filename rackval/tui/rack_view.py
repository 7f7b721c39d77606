"""The rack view: front and rear elevation by U, with the rack's PDUs beside it.

Each device is drawn over its height in its kind's colour with its power and its
liquid/air share; free units show as dots. The cursor is a rack unit: the keys move it,
move the device under it by one U, add a part there, duplicate or delete the device.
The view only posts messages; the app turns them into undoable edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ..design.parts import Part
from ..design.resolve import expand_ids

__all__ = ["RackView", "Slot", "elevation"]

KIND_COLOURS = {
    "gpu-node": "green",
    "compute-tray": "green",
    "cpu-node": "blue",
    "storage": "magenta",
    "switch": "cyan",
    "power-shelf": "yellow",
    "pdu": "yellow",
    "cdu": "bright_blue",
    "rdhx": "bright_blue",
}
CELL = 32
DEFAULT_HEIGHT = 42


@dataclass(frozen=True)
class Slot:
    """One device instance in the elevation."""

    ident: str
    item: int  # index of its item in the rack's ``devices`` list
    u: int
    height: int
    face: str
    part: Part | None
    slug: str


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def elevation(rack: Any, part_of: Callable[[str], Part | None]) -> tuple[int, list[Slot]]:
    """The rack's height in U and its device instances (``count`` expanded)."""
    rack_part = part_of(str(rack.get("part", ""))) if isinstance(rack, dict) else None
    height = DEFAULT_HEIGHT
    if rack_part is not None and rack_part.rack is not None and rack_part.rack.u_height:
        height = int(rack_part.rack.u_height)
    slots: list[Slot] = []
    devices = rack.get("devices") if isinstance(rack, dict) else None
    for index, item in enumerate(devices if isinstance(devices, list) else []):
        if not isinstance(item, dict):
            continue
        u = _int(item.get("u"))
        if u is None:
            continue
        slug = str(item.get("part", ""))
        part = part_of(slug)
        size = max(int(round(part.u_height)), 1) if part is not None else 1
        count = _int(item.get("count")) or 1
        step = _int(item.get("step")) or size
        ident = str(item.get("id", f"#{index + 1}"))
        ids = expand_ids(ident, min(count, 999)) if count > 1 else [ident]
        face = str(item.get("face", "front"))
        for k, gid in enumerate(ids):
            slots.append(Slot(gid, index, u + k * step, size, face, part, slug))
    top = max((s.u + s.height - 1 for s in slots), default=0)
    return max(height, top), slots


def _kw(part: Part | None) -> str:
    if part is None or part.power.max is None:
        return "— kW"
    return f"{part.power.max / 1000:.1f} kW"


def _share(part: Part | None) -> str:
    if part is None:
        return ""
    fraction = part.cooling.liquid_fraction
    if fraction is None:
        return "liq ?"
    if fraction <= 0:
        return "air"
    return f"liq {fraction * 100:.0f}%"


class RackView(Widget, can_focus=True):
    """Elevation of one rack; the cursor is a rack unit."""

    DEFAULT_CSS = """
    RackView { height: auto; width: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("up", "cursor(1)", "U up", show=False),
        Binding("down", "cursor(-1)", "U down", show=False),
        Binding("pageup", "cursor(10)", show=False),
        Binding("pagedown", "cursor(-10)", show=False),
        Binding("shift+up,K", "move(1)", "Move up"),
        Binding("shift+down,J", "move(-1)", "Move down"),
        Binding("a", "add", "Add part"),
        Binding("d", "duplicate", "Duplicate"),
        Binding("x,delete", "delete", "Delete"),
        Binding("enter,e", "fields", "Fields"),
    ]

    cursor_u: reactive[int] = reactive(1)

    class Request(Message):
        """An edit the user asked for: ``action`` is move, add, duplicate, delete or fields."""

        def __init__(self, action: str, item: int | None, u: int, delta: int = 0) -> None:
            super().__init__()
            self.action = action
            self.item = item
            self.u = u
            self.delta = delta

    def __init__(self, rack_path: tuple, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rack_path = rack_path
        self.rack: dict[str, Any] = {}
        self.height_u = DEFAULT_HEIGHT
        self.slots: list[Slot] = []
        self.pdus: list[tuple[str, str, str]] = []

    def show(self, rack: Any, part_of: Callable[[str], Part | None]) -> None:
        """Draw ``rack`` (the document's rack item)."""
        self.rack = rack if isinstance(rack, dict) else {}
        self.height_u, self.slots = elevation(self.rack, part_of)
        pdus = self.rack.get("pdus") if isinstance(self.rack.get("pdus"), list) else []
        self.pdus = [
            (str(p.get("id", "")), str(p.get("part", "")), str(p.get("feed", "")))
            for p in pdus
            if isinstance(p, dict)
        ]
        self.cursor_u = max(1, min(self.cursor_u, self.height_u))
        self.refresh(layout=True)

    def slot_at(self, u: int, face: str = "") -> Slot | None:
        """The device instance occupying ``u`` (on ``face``, if given; front first)."""
        found = [s for s in self.slots if s.u <= u < s.u + s.height]
        if face:
            found = [s for s in found if s.face == face]
        found.sort(key=lambda s: s.face != "front")
        return found[0] if found else None

    def focus_device(self, ident: str) -> None:
        """Put the cursor on the device instance ``ident`` (or its group)."""
        for slot in self.slots:
            if slot.ident == ident:
                self.cursor_u = slot.u
                return

    def watch_cursor_u(self, _old: int, new: int) -> None:
        """Redraw and keep the cursor line in view."""
        self.refresh()
        line = 2 + max(len(self.pdus), 1) + (self.height_u - new)
        self.call_after_refresh(self._scroll_to, line)

    def _scroll_to(self, line: int) -> None:
        """Scroll the cursor line to the middle of the view (same place however it got there)."""
        parent = self.parent
        if parent is not None and hasattr(parent, "scroll_to"):
            top = max(0, line - parent.size.height // 2)
            parent.scroll_to(y=top, animate=False, immediate=True)

    def get_content_width(self, container: Any, viewport: Any) -> int:
        """The U column, front and rear, and one strip per PDU."""
        return 5 + 2 * CELL + 4 + len(self.pdus)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        """A header, a rule and one line per U."""
        return self.height_u + 2 + max(len(self.pdus), 1)

    def _cell(self, u: int, face: str) -> Text:
        here = [s for s in self.slots if s.u <= u < s.u + s.height]
        own = [s for s in here if s.face == face]
        other = [s for s in here if s.face != face and (s.part is None or s.part.is_full_depth)]
        if len(own) > 1:
            names = ", ".join(s.ident for s in own)
            return Text(f" overlap: {names}"[:CELL].ljust(CELL), style="bold white on red")
        if own:
            slot = own[0]
            colour = KIND_COLOURS.get(slot.part.kind if slot.part else "", "white")
            if u == slot.u + slot.height - 1:
                label = f" {slot.ident} {slot.slug}"
                figures = f" {_kw(slot.part)} {_share(slot.part)} "
                body = label[: CELL - len(figures)].ljust(CELL - len(figures)) + figures
                return Text(body[:CELL], style=f"bold black on {colour}")
            return Text(" ┆".ljust(CELL), style=f"black on {colour}")
        if other:
            slot = other[0]
            text = f" ({slot.ident})" if u == slot.u + slot.height - 1 else " ┆"
            return Text(text.ljust(CELL)[:CELL], style="dim")
        return Text(" ·".ljust(CELL), style="bright_black")

    def render(self) -> Text:
        """The elevation as text."""
        rack_id = self.rack.get("id", "")
        part = self.rack.get("part", "")
        used = sum(s.height for s in self.slots if s.face == "front")
        out = Text()
        out.append(
            f"{rack_id}  {part}  {self.height_u} U, {self.height_u - used} U free (front)\n", "bold"
        )
        for number, (ident, slug, feed) in enumerate(self.pdus, start=1):
            out.append(f"PDU {number} {ident} → feed {feed}  ({slug})\n", "yellow")
        if not self.pdus:
            out.append("no PDUs\n", "yellow")
        out.append("     " + "front".center(CELL) + "  " + "rear".center(CELL), "bold")
        out.append(
            "  " + "".join(str(n % 10) for n in range(1, len(self.pdus) + 1)) + "\n", "yellow"
        )
        for u in range(self.height_u, 0, -1):
            cursor = u == self.cursor_u
            out.append(f"U{u:<3} ", "reverse bold" if cursor else "dim")
            front = self._cell(u, "front")
            rear = self._cell(u, "rear")
            if cursor:
                front.stylize("reverse")
                rear.stylize("reverse")
            out.append_text(front)
            out.append("  ")
            out.append_text(rear)
            out.append("  " + "┃" * len(self.pdus) + "\n", "yellow")  # the PDUs, beside the rack
        return out

    # ------------------------------------------------------------------ actions

    def action_cursor(self, step: int) -> None:
        """Move the cursor by ``step`` U."""
        self.cursor_u = max(1, min(self.height_u, self.cursor_u + step))

    def _item(self) -> int | None:
        slot = self.slot_at(self.cursor_u)
        return slot.item if slot is not None else None

    def action_move(self, delta: int) -> None:
        """Move the device under the cursor by ``delta`` U."""
        item = self._item()
        if item is None:
            self.notify("no device at the cursor to move", severity="warning")
            return
        self.post_message(self.Request("move", item, self.cursor_u, delta))

    def action_add(self) -> None:
        """Add a part at the cursor U."""
        self.post_message(self.Request("add", None, self.cursor_u))

    def action_duplicate(self) -> None:
        """Duplicate the device under the cursor."""
        item = self._item()
        if item is None:
            self.notify("no device at the cursor to duplicate", severity="warning")
            return
        self.post_message(self.Request("duplicate", item, self.cursor_u))

    def action_delete(self) -> None:
        """Delete the device under the cursor."""
        item = self._item()
        if item is None:
            self.notify("no device at the cursor to delete", severity="warning")
            return
        self.post_message(self.Request("delete", item, self.cursor_u))

    def action_fields(self) -> None:
        """Edit the fields of the device under the cursor (or of the rack)."""
        self.post_message(self.Request("fields", self._item(), self.cursor_u))
