"""Undoable edits of a design document, and the history that holds them.

Every change the editor makes is an :class:`Edit` object with ``do`` and ``undo`` on the
ruamel document, through :mod:`rackval.design.save` (so comments, key order and flow
style of everything else are kept). :class:`History` applies edits, undoes and redoes
them, and knows whether the document differs from what was last saved.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..design.load import Document, FieldPath
from ..design.save import _last_leaf, _put_rest, delete_value, get_value, insert_value, set_value

__all__ = ["Edit", "SetField", "InsertItem", "DeleteItem", "EditGroup", "History", "plain"]

_MISSING = object()


def _give_back_rest(mapping: Any, note: list) -> None:
    """Lines after a key's own line (blank lines, comments of what follows) that came with
    it when it was appended go back to the mapping's last key, where they were."""
    token = note[2] if len(note) > 2 else None
    if token is None:
        return
    text = token.value
    cut = text.find("\n")
    if cut < 0 or cut == len(text) - 1:
        return
    token.value = text[: cut + 1]
    last = list(mapping)[-1]
    _put_rest(_last_leaf(mapping, last), text[cut + 1 :])


class Edit(Protocol):
    """One undoable change: ``do`` then ``undo`` leaves the document as it was."""

    label: str
    focus: FieldPath

    def do(self, doc: Document) -> None:
        """Apply the change (raises without changing anything if it cannot)."""

    def undo(self, doc: Document) -> None:
        """Reverse the change."""


@dataclass
class SetField:
    """Set a field (creating it if missing); ``value=None`` with ``remove`` deletes it."""

    path: FieldPath
    value: Any
    label: str = ""
    remove: bool = False
    _old: Any = field(default=_MISSING, repr=False)
    _position: int | None = field(default=None, repr=False)

    @property
    def focus(self) -> FieldPath:
        """The field the edit changes."""
        return self.path

    def do(self, doc: Document) -> None:
        """Remember the old value and set (or remove) the field."""
        try:
            old = get_value(doc, self.path)
        except KeyError:
            old = _MISSING
        if self.remove:
            if old is not _MISSING:
                parent = get_value(doc, self.path[:-1])
                self._position = list(parent).index(self.path[-1])
                delete_value(doc, self.path)
        else:
            set_value(doc, self.path, self.value)
        self._old = old

    def undo(self, doc: Document) -> None:
        """Put the old value back (or remove a field that did not exist)."""
        if self._old is _MISSING:
            if not self.remove:
                delete_value(doc, self.path)
            return
        set_value(doc, self.path, self._old)
        if self.remove and self._position is not None:
            # a removed key comes back where it was, not at the end of its mapping
            parent = get_value(doc, self.path[:-1])
            key = self.path[-1]
            keys = list(parent)
            if isinstance(parent, dict) and keys.index(key) != self._position:
                comments = getattr(getattr(parent, "ca", None), "items", {})
                note = comments.pop(key, None)
                value = parent.pop(key)
                parent.insert(self._position, key, value)
                if note is not None:
                    comments[key] = note
                    _give_back_rest(parent, note)


@dataclass
class InsertItem:
    """Insert ``value`` into the list at ``path`` before ``index``."""

    path: FieldPath
    index: int
    value: Any
    label: str = ""

    @property
    def focus(self) -> FieldPath:
        """The new item."""
        return (*self.path, self.index)

    def do(self, doc: Document) -> None:
        """Insert the item."""
        insert_value(doc, self.path, self.index, self.value)

    def undo(self, doc: Document) -> None:
        """Remove the item again."""
        delete_value(doc, (*self.path, self.index))


@dataclass
class DeleteItem:
    """Delete the list item at ``path`` (its last element is the index)."""

    path: FieldPath
    label: str = ""
    _old: Any = field(default=None, repr=False)

    @property
    def focus(self) -> FieldPath:
        """The list the item was in."""
        return self.path[:-1]

    def do(self, doc: Document) -> None:
        """Remember the item (with its flow style) and delete it."""
        self._old = get_value(doc, self.path)
        delete_value(doc, self.path)

    def undo(self, doc: Document) -> None:
        """Insert the remembered item where it was."""
        index = self.path[-1]
        assert isinstance(index, int)
        insert_value(doc, self.path[:-1], index, self._old)


@dataclass
class EditGroup:
    """Several edits done and undone as one."""

    edits: list[Any]
    label: str = ""

    @property
    def focus(self) -> FieldPath:
        """The focus of the last edit."""
        return self.edits[-1].focus if self.edits else ()

    def do(self, doc: Document) -> None:
        """Do each edit; if one fails, undo the ones done and re-raise."""
        done: list[Any] = []
        try:
            for edit in self.edits:
                edit.do(doc)
                done.append(edit)
        except Exception:
            for edit in reversed(done):
                edit.undo(doc)
            raise

    def undo(self, doc: Document) -> None:
        """Undo each edit, last first."""
        for edit in reversed(self.edits):
            edit.undo(doc)


class History:
    """Edits applied to one document, for undo/redo and the unsaved state.

    Parameters
    ----------
    doc : Document
        The document the edits change.
    merge_seconds : float
        Consecutive :class:`SetField` edits of the same field within this time are one
        undo step (typing a value is one edit, not one per key).
    """

    def __init__(self, doc: Document, merge_seconds: float = 1.0) -> None:
        self.doc = doc
        self.done: list[Any] = []
        self.undone: list[Any] = []
        self.merge_seconds = merge_seconds
        self._saved_at: int | None = 0  # len(done) when last saved; None: unreachable
        self._changed_base = False  # the document was replaced (autosave recovered)
        self._last_time = 0.0
        self._mergeable = False

    @property
    def dirty(self) -> bool:
        """Whether the document differs from the file as last saved or loaded."""
        return self._changed_base or self._saved_at != len(self.done)

    def apply(self, edit: Any) -> None:
        """Do an edit and record it (nothing is recorded if it raises)."""
        now = time.monotonic()
        last = self.done[-1] if self.done else None
        if (
            self._mergeable
            and isinstance(edit, SetField)
            and isinstance(last, SetField)
            and last.path == edit.path
            and not edit.remove
            and not last.remove
            and now - self._last_time < self.merge_seconds
            and self._saved_at != len(self.done)
        ):
            set_value(self.doc, edit.path, edit.value)
            last.value = edit.value
        else:
            edit.do(self.doc)
            if self._saved_at is not None and self._saved_at > len(self.done):
                self._saved_at = None  # the saved state was undone and is now unreachable
            self.done.append(edit)
        self.undone.clear()
        self._last_time = now
        self._mergeable = isinstance(edit, SetField)

    def undo(self) -> Any | None:
        """Undo the last edit; returns it, or None when there is nothing to undo."""
        if not self.done:
            return None
        edit = self.done.pop()
        edit.undo(self.doc)
        self.undone.append(edit)
        self._mergeable = False
        return edit

    def redo(self) -> Any | None:
        """Redo the last undone edit; returns it, or None."""
        if not self.undone:
            return None
        edit = self.undone.pop()
        edit.do(self.doc)
        self.done.append(edit)
        self._mergeable = False
        return edit

    def mark_saved(self) -> None:
        """The document was written: the current state is the saved one."""
        self._saved_at = len(self.done)
        self._changed_base = False
        self._mergeable = False

    def mark_replaced(self) -> None:
        """The document's data was replaced (recovered): unsaved until saved."""
        self._changed_base = True
        self.done.clear()
        self.undone.clear()
        self._saved_at = 0


def plain(value: Any) -> Any:
    """A plain (dict/list/scalar) copy of a document value (mappings keep key order)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
