"""The design tree: site, power, cooling, racks and network of the edited document.

Each node carries a :class:`NodeRef`: the raw field path of the object in the document
(``("racks", 0, "devices", 2)``), its logical path as findings name it
(``racks[r01].devices[r01-c03]``) and what the centre shows for it. Devices with a
``count`` list their generated ids under them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..design.load import FieldPath
from ..design.resolve import expand_ids

__all__ = ["NodeRef", "DesignTree", "outline"]

# section -> (list key, child lists) shown as id-labelled items
SECTIONS: dict[str, list[tuple[str, list[str]]]] = {
    "power": [("feeds", []), ("upstream", [])],
    "cooling": [("loops", ["cdus"])],
    "network": [("fabrics", []), ("links", [])],
}
SITE_GROUPS = ("air", "facility_water", "floor", "hall")


@dataclass(frozen=True)
class NodeRef:
    """What a tree node stands for.

    ``kind`` is ``form`` (a mapping edited in a form), ``rack`` (the rack view),
    ``device`` (a device item: a form) or ``generated`` (one id of a ``count`` group,
    shown in the rack view), or ``list`` (a list of items; no form).
    """

    kind: str
    path: FieldPath
    logical: str
    label: str
    generated: str = ""


def _ident(item: Any, index: int) -> str:
    if isinstance(item, dict) and item.get("id") is not None:
        return str(item["id"])
    if isinstance(item, dict) and item.get("a") is not None:
        return f"{item.get('a')} ↔ {item.get('b')}"
    return f"#{index + 1}"


def _items(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return list(value) if isinstance(value, list) else []


def outline(data: Any) -> list[tuple[int, NodeRef]]:
    """The tree as (depth, ref) rows, in display order (no widgets; easy to compare)."""
    rows: list[tuple[int, NodeRef]] = []
    if not isinstance(data, dict):
        return rows
    rows.append((0, NodeRef("form", (), "", "design")))
    site = data.get("site")
    if isinstance(site, dict):
        rows.append((0, NodeRef("form", ("site",), "site", "site")))
        for group in SITE_GROUPS:
            if isinstance(site.get(group), dict):
                rows.append((1, NodeRef("form", ("site", group), f"site.{group}", group)))
    for section, lists in SECTIONS.items():
        body = data.get(section)
        if not isinstance(body, dict):
            continue
        rows.append((0, NodeRef("form", (section,), section, section)))
        for key, children in lists:
            items = _items(body, key)
            if not items:
                continue
            rows.append((1, NodeRef("list", (section, key), f"{section}.{key}", key)))
            for i, item in enumerate(items):
                ident = _ident(item, i)
                logical = f"{section}.{key}[{ident}]"
                rows.append((2, NodeRef("form", (section, key, i), logical, ident)))
                for child in children:
                    for j, sub in enumerate(_items(item, child)):
                        sub_id = _ident(sub, j)
                        rows.append(
                            (
                                3,
                                NodeRef(
                                    "form",
                                    (section, key, i, child, j),
                                    f"{logical}.{child}[{sub_id}]",
                                    sub_id,
                                ),
                            )
                        )
    racks = _items(data, "racks")
    if "racks" in data:
        rows.append((0, NodeRef("list", ("racks",), "racks", "racks")))
    for i, rack in enumerate(racks):
        rid = _ident(rack, i)
        logical = f"racks[{rid}]"
        part = rack.get("part", "") if isinstance(rack, dict) else ""
        rows.append((1, NodeRef("rack", ("racks", i), logical, f"{rid}  {part}")))
        rows.append((2, NodeRef("form", ("racks", i), logical, "rack fields")))
        for j, pdu in enumerate(_items(rack, "pdus")):
            pid = _ident(pdu, j)
            rows.append(
                (2, NodeRef("form", ("racks", i, "pdus", j), f"{logical}.pdus[{pid}]", pid))
            )
        for j, device in enumerate(_items(rack, "devices")):
            did = _ident(device, j)
            dlog = f"{logical}.devices[{did}]"
            count = device.get("count") if isinstance(device, dict) else None
            ids = [did]
            if isinstance(count, int) and not isinstance(count, bool) and count > 1:
                ids = expand_ids(did, min(count, 999))
            label = did if len(ids) == 1 else f"{did} ×{len(ids)}"
            rows.append((2, NodeRef("device", ("racks", i, "devices", j), dlog, label)))
            if len(ids) > 1:
                for gid in ids:
                    rows.append(
                        (
                            3,
                            NodeRef(
                                "generated",
                                ("racks", i, "devices", j),
                                f"{logical}.devices[{gid}]",
                                gid,
                                generated=gid,
                            ),
                        )
                    )
    return rows


class DesignTree(Tree[NodeRef]):
    """The design as a tree; rebuilt only when its outline changes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("design", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._outline: list[tuple[int, NodeRef]] = []

    def rebuild(self, data: Any) -> bool:
        """Show the outline of ``data``; returns whether anything changed.

        Expanded nodes and the cursor stay on the same logical paths.
        """
        rows = outline(data)
        if rows == self._outline:
            return False
        expanded = {
            n.data.logical + n.data.kind for n in self._nodes_all() if n.is_expanded and n.data
        }
        cursor = self.cursor_node.data if self.cursor_node is not None else None
        first = not self._outline
        self._outline = rows
        self.clear()
        parents: list[TreeNode[NodeRef]] = [self.root]
        for depth, ref in rows:
            del parents[depth + 1 :]
            parent = parents[-1]
            node = parent.add(self._label(ref), data=ref, allow_expand=True)
            parents.append(node)
        for node in self._nodes_all():
            if not node.children:
                node.allow_expand = False
            ref = node.data
            if ref is None:
                continue
            if first and ref.kind != "generated" and len(ref.path) <= 2:
                node.expand()
            elif ref.logical + ref.kind in expanded:
                node.expand()
        if cursor is not None:
            self.select_ref(cursor, scroll=False)
        return True

    def _nodes_all(self) -> list[TreeNode[NodeRef]]:
        out: list[TreeNode[NodeRef]] = []
        stack = list(reversed(self.root.children))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out

    @staticmethod
    def _label(ref: NodeRef) -> Text:
        styles = {"rack": "bold", "list": "dim italic", "generated": "dim"}
        return Text(ref.label, style=styles.get(ref.kind, ""))

    def find(self, logical: str, kinds: tuple[str, ...] = ()) -> TreeNode[NodeRef] | None:
        """The node with this logical path (of one of ``kinds``, if given)."""
        for node in self._nodes_all():
            ref = node.data
            if ref is not None and ref.logical == logical and (not kinds or ref.kind in kinds):
                return node
        return None

    def best_match(self, logical: str) -> tuple[TreeNode[NodeRef] | None, str]:
        """The node whose logical path is the longest prefix of ``logical``, and the rest.

        The rest is the field name left over (``breaker`` of
        ``power.feeds[A1].breaker``), or "".
        """
        best: TreeNode[NodeRef] | None = None
        best_len = -1
        for node in self._nodes_all():
            ref = node.data
            if ref is None or ref.kind == "list":
                continue
            prefix = ref.logical
            if prefix and not (
                logical == prefix
                or logical.startswith(prefix + ".")
                or logical.startswith(prefix + "[")
            ):
                continue
            rank = len(prefix) * 2 + (ref.kind in ("generated", "device"))
            if rank > best_len:
                best, best_len = node, rank
        if best is None or best.data is None:
            return None, ""
        rest = logical[len(best.data.logical) :].lstrip(".")
        return best, rest

    def select_ref(self, ref: NodeRef, scroll: bool = True) -> None:
        """Move the cursor to the node of ``ref`` (same logical path and kind)."""
        node = self.find(ref.logical, (ref.kind,)) or self.find(ref.logical)
        if node is None:
            return
        parent = node.parent
        hidden = False
        while parent is not None:
            hidden = hidden or not parent.is_expanded
            parent.expand()
            parent = parent.parent
        if hidden:  # the node gets its line once the expanded parents are laid out
            self.call_after_refresh(self._move_to, node, scroll)
        else:
            self._move_to(node, scroll)

    def _move_to(self, node: TreeNode[NodeRef], scroll: bool) -> None:
        self.move_cursor(node)
        if scroll:
            self.scroll_to_node(node, animate=False)
