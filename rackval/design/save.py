"""Edit a loaded design file and write it back without losing anything.

The TUI's undoable edits and the ``rackval`` commands change a :class:`Document` through
:func:`set_value`, :func:`insert_value` and :func:`delete_value`, which work on the
ruamel round-trip tree in place and keep comments, key order, quoting and flow style of
everything they do not touch. :func:`save` writes the file atomically (temporary file in
the same directory, fsync, rename) and refuses to overwrite a file that changed on disk
since it was loaded (DESIGN §10, §11).

Byte-exact output
-----------------
:func:`dump` serializes with the project's one YAML configuration
(:func:`~rackval.design.load.round_trip_yaml`), set up per file: the mapping and sequence
indentation the file uses, an explicit ``---``/``...``, a byte-order mark, CRLF line ends
and a missing final newline are detected and reproduced. What ruamel still normalizes
(aligned values ``a:    1``, ``~`` for null, ``{ a: 1 }`` spacing, trailing blanks,
folded plain scalars) is restored by a three-way line merge: the lines an edit changed
in ruamel's rendering are spliced into the original text, and the result is accepted
only if it renders exactly like the edited tree; otherwise ruamel's rendering is used.
A document that was not changed therefore dumps to its original text, byte for byte.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime
import difflib
import hashlib
import io
import math
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, merge_attrib
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from ..errors import DesignError, Location, SaveConflictError
from .load import Document, FieldPath, round_trip_yaml

__all__ = [
    "FieldPathError",
    "get_value",
    "set_value",
    "insert_value",
    "delete_value",
    "dump",
    "save",
]


class FieldPathError(DesignError, KeyError, IndexError):
    """A field path names no field of the document (missing key, index out of range).

    Catchable as :class:`~rackval.errors.DesignError`, :class:`KeyError` or
    :class:`IndexError`.
    """


def _format_path(path: FieldPath) -> str:
    """A field path as text: ``racks[0].devices[2].u``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document root)"


# --------------------------------------------------------------------------- navigation

_MISSING = object()
_BLOCK_SCALARS = (LiteralScalarString, FoldedScalarString)


def _is_map(node: Any) -> bool:
    return isinstance(node, dict)


def _is_seq(node: Any) -> bool:
    return isinstance(node, list)


def _flow(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa is not None and fa.flow_style())


def _block(node: Any) -> bool:
    """A non-empty block collection: its last item ends a line of its own."""
    return isinstance(node, (CommentedMap, CommentedSeq)) and len(node) > 0 and not _flow(node)


def _map_key(node: dict, part: str | int) -> Any:
    """The key of ``node`` that path element ``part`` names, or _MISSING."""
    if part in node and not isinstance(part, bool):
        return part
    for key in node:
        if str(key) == str(part):
            return key
    return _MISSING


def _seq_index(node: list, part: str | int) -> Any:
    if isinstance(part, int) and not isinstance(part, bool) and -len(node) <= part < len(node):
        return part % len(node)
    return _MISSING


def _error(doc: Document, path: FieldPath, message: str) -> FieldPathError:
    return FieldPathError(message, location=Location(str(doc.path)), path=_format_path(path))


def _lookup(doc: Document, node: Any, path: FieldPath, depth: int) -> Any:
    """Resolve ``path[depth]`` in ``node``: the mapping key or the list index."""
    part = path[depth]
    here = _format_path(path[:depth])
    if _is_map(node):
        key = _map_key(node, part)
        if key is _MISSING:
            raise _error(doc, path[: depth + 1], f"no field '{part}' in {here}")
        return key
    if _is_seq(node):
        index = _seq_index(node, part)
        if index is _MISSING:
            raise _error(doc, path[: depth + 1], f"no item [{part}] in {here} ({len(node)} items)")
        return index
    raise _error(doc, path[: depth + 1], f"{here} is a single value, not a mapping or list")


def _trail(doc: Document, path: FieldPath) -> list[tuple[Any, Any]]:
    """(container, key) from the root down to the field ``path`` names."""
    if not path:
        raise _error(doc, path, "an edit needs a field path, not the document root")
    trail: list[tuple[Any, Any]] = []
    node = doc.data
    for depth in range(len(path)):
        key = _lookup(doc, node, path, depth)
        trail.append((node, key))
        node = node[key]
    return trail


def get_value(doc: Document, path: FieldPath) -> Any:
    """The value at ``path``: a scalar or the live ruamel mapping/sequence.

    Parameters
    ----------
    doc : Document
        A document from :func:`~rackval.design.load.read_document`.
    path : tuple of str and int
        Mapping keys and list indices, e.g. ``("racks", 0, "devices", 2, "u")``.

    Returns
    -------
    Any
        The value; mappings and sequences are the document's own nodes (changing them
        changes the document).

    Raises
    ------
    FieldPathError
        No such field (a :class:`KeyError`/:class:`IndexError` and a DesignError).
    """
    if not path:
        return doc.data
    container, key = _trail(doc, path)[-1]
    return container[key]


# ------------------------------------------------------------------ comments on edits
#
# ruamel keeps the comment and blank lines *after* an item in the token of the line the
# item ends on: ``ca.items[key][2]`` of a mapping, ``ca.items[index][0]`` of a sequence
# (shared with ``child.ca.comment[0]`` when the value is a collection), ``ca.end`` of a
# collection, or the root's ``ca.comment[1]`` before the first key. The first line of a
# token is the item's own end-of-line comment; the rest belongs to whatever comes next.
# Edits move that rest so it stays in front of the item it preceded.


@dataclass
class _Slot:
    """Where the lines after one line of the document are kept."""

    kind: str  # "item", "end" or "pre"
    node: Any
    key: Any = None


def _token(text: str) -> CommentToken:
    return CommentToken(text, CommentMark(0), None)


def _last_leaf(container: Any, key: Any) -> _Slot:
    value = container[key]
    if _block(value):
        if value.ca.end:
            return _Slot("end", value)
        last = next(reversed(value)) if _is_map(value) else len(value) - 1
        return _last_leaf(value, last)
    return _Slot("item", container, key)


def _before_first(trail: list[tuple[Any, Any]]) -> _Slot:
    """The slot of the line before the first item of the container ``trail`` ends in."""
    if len(trail) == 1:
        return _Slot("pre", trail[0][0])
    return _Slot("item", *trail[-2])


def _item_entry(slot: _Slot, create: bool) -> tuple[list, int] | None:
    """The comment list of an item and the position of its end-of-line token in it."""
    ca = getattr(slot.node, "ca", None)
    if ca is None or (not create and slot.key not in ca.items):
        return None
    position = 2 if _is_map(slot.node) else 0
    return ca.items.setdefault(slot.key, [None, None, None, None]), position


def _take_rest(slot: _Slot) -> str:
    """Remove and return the lines after the first line of a slot's token."""
    if slot.kind == "end":
        rest = "".join(
            " " * t.column + t.value if t.value.lstrip(" ").startswith("#") else t.value
            for t in slot.node.ca.end
        )
        slot.node.ca.end = []
        return rest
    entry = _item_entry(slot, create=False)
    if entry is None or entry[0][entry[1]] is None:
        return ""
    token = entry[0][entry[1]]
    value = token.value
    cut = value.find("\n")
    if cut < 0 or cut == len(value) - 1:
        return ""
    token.value = value[: cut + 1]
    return value[cut + 1 :]


def _put_rest(slot: _Slot, rest: str) -> None:
    """Append full lines ``rest`` after the line of ``slot``."""
    if not rest:
        return
    if slot.kind == "end":
        slot.node.ca.end.append(_token(rest))
        return
    if slot.kind == "pre":
        ca = slot.node.ca
        if ca.comment is None:
            ca.comment = [None, []]
        if ca.comment[1] is None:
            ca.comment[1] = []
        ca.comment[1].append(_token(rest))
        return
    token = _line_end(slot)
    if token is not None:
        token.value = token.value + rest


def _line_end(slot: _Slot) -> CommentToken | None:
    """The token that ends an item's line, created (``\\n``) if it has none."""
    entry = _item_entry(slot, create=True)
    if entry is None:
        return None
    items, position = entry
    if items[position] is None:
        items[position] = _token("\n")
        value = slot.node[slot.key]
        if isinstance(value, (CommentedMap, CommentedSeq)):
            before = value.ca.comment[1] if value.ca.comment else None
            value.ca.comment = [items[position], before]
    return items[position]


def _drop_empty_token(slot: _Slot) -> None:
    """Remove an item's token that holds no comment (a block value would get a blank line
    or a stray ``-`` from it)."""
    entry = _item_entry(slot, create=False)
    if entry is not None and entry[0][entry[1]] is not None:
        if not entry[0][entry[1]].value.strip():
            entry[0][entry[1]] = None


def _column(container: Any) -> int | None:
    """Column the items of a loaded block collection start at (a key or a ``-``)."""
    lc = getattr(container, "lc", None)
    column = getattr(lc, "col", None) if lc is not None else None
    return column if isinstance(column, int) else None


def _split_rest(rest: str, column: int | None) -> tuple[str, str]:
    """Split lines after an item into its own (comments indented deeper than the item's
    ``column``) and the ones before whatever comes next (from the first blank line or
    comment at or left of ``column``)."""
    if column is None:
        return "", rest
    lines = rest.splitlines(keepends=True)
    for at, line in enumerate(lines):
        text = line.lstrip(" ")
        if not text.strip() or len(line) - len(text) <= column:
            return "".join(lines[:at]), "".join(lines[at:])
    return rest, ""


# ---------------------------------------------------------------------------- edits


def _node(value: Any, flow: bool = False) -> Any:
    """A fresh round-trip node for ``value`` (dicts/lists copied, styles of nodes kept)."""
    if isinstance(value, Mapping):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = _node(item)
    elif isinstance(value, (list, tuple)):
        node = CommentedSeq(_node(item) for item in value)
    elif isinstance(value, (str, int, float, type(None))):
        return value  # immutable: never written as an alias
    elif isinstance(value, datetime.date) or type(value).__module__.startswith("ruamel."):
        return copy.deepcopy(value)  # a date or tagged value, shared would become an alias
    else:
        raise TypeError(
            f"cannot write a {type(value).__name__} to a design file; "
            "use str, int, float, bool, None, dict or list"
        )
    if flow or _flow(value):
        node.fa.set_flow_style()
    return node


def _commented(trail: list[tuple[Any, Any]]) -> bool:
    """Whether the container ``trail`` ends in is a block collection outside flow style
    (an empty one counts: it becomes a block when it gets items)."""
    container = trail[-1][0]
    if not isinstance(container, (CommentedMap, CommentedSeq)):
        return False
    if _flow(container) and len(container) > 0:
        return False
    return not any(_flow(node) for node, _ in trail[:-1])


def _previous(container: Any, key: Any) -> Any:
    """The key (or index) before ``key`` in ``container``, or _MISSING."""
    if _is_seq(container):
        return key - 1 if key > 0 else _MISSING
    keys = list(container)
    at = keys.index(key)
    return keys[at - 1] if at > 0 else _MISSING


def _delete(trail: list[tuple[Any, Any]]) -> None:
    container, key = trail[-1]
    if not _commented(trail):
        del container[key]
        return
    _, rest = _split_rest(_take_rest(_last_leaf(container, key)), _column(container))
    previous = _previous(container, key)
    del container[key]
    if _is_map(container):
        container.ca.items.pop(key, None)
    if not container:
        container.fa.set_flow_style()  # an empty collection is written [] or {}
    if previous is not _MISSING:
        _put_rest(_last_leaf(container, previous), rest)
    else:
        _put_rest(_before_first(trail), rest)


def _add(trail: list[tuple[Any, Any]], value: Any) -> None:
    """Add a new item: ``trail[-1]`` is (mapping, new key) or (sequence, insert index)."""
    container, key = trail[-1]
    previous = _MISSING
    if _is_map(container):
        if len(container):
            previous = next(reversed(container))
    elif key > 0:
        previous = key - 1
    rest = ""
    if _commented(trail) and previous is not _MISSING:
        before = _last_leaf(container, previous)
        own, rest = _split_rest(_take_rest(before), _column(container))
        _put_rest(before, own)
    elif _commented(trail) and not container:
        # `key: []` becomes a block: the lines after `key: []` now follow the new item
        container.fa.set_block_style()
        if len(trail) > 1:
            rest = _take_rest(_Slot("item", *trail[-2]))
    if _is_map(container):
        container[key] = value
    else:
        container.insert(key, value)
    if _commented(trail) and not _block(value) and not isinstance(value, _BLOCK_SCALARS):
        _line_end(_Slot("item", container, key))  # ruamel may run a bare item into the next
    _put_rest(_last_leaf(container, key), rest)


def _replace(trail: list[tuple[Any, Any]], value: Any) -> None:
    """Set an existing item to ``value``, updating mappings and lists in place."""
    container, key = trail[-1]
    old = container[key]
    if value is old:
        return
    if _is_map(old) and isinstance(value, Mapping):
        _update_mapping(trail, old, value)
        return
    if _is_seq(old) and isinstance(value, (list, tuple)):
        _update_sequence(trail, old, value)
        return
    value = _node(value, flow=_flow(old))
    if not _commented(trail):
        container[key] = value
        return
    rest = _take_rest(_last_leaf(container, key))
    container[key] = value  # keeps a quoted string quoted (ruamel)
    if _block(value):
        _drop_empty_token(_Slot("item", container, key))
    _put_rest(_last_leaf(container, key), rest)


def _update_mapping(trail: list[tuple[Any, Any]], old: Any, value: Mapping) -> None:
    # add before deleting: a mapping that never becomes empty keeps its flow or block style
    added = set()
    for key, item in value.items():
        if _map_key(old, key) is _MISSING:
            _add([*trail, (old, key)], _node(item))
            added.add(key)
    for key in [k for k in old if _map_key(value, k) is _MISSING]:
        _delete([*trail, (old, key)])
    for key, item in value.items():
        if key not in added:
            _replace([*trail, (old, _map_key(old, key))], item)


def _update_sequence(trail: list[tuple[Any, Any]], old: Any, value: list | tuple) -> None:
    for index in range(len(old) - 1, len(value) - 1, -1):
        _delete([*trail, (old, index)])
    for index, item in enumerate(value):
        if index < len(old):
            _replace([*trail, (old, index)], item)
        else:
            _add([*trail, (old, index)], _node(item, flow=_neighbour_flow(old, index, item)))


def _neighbour_flow(sequence: Any, index: int, value: Any) -> bool:
    """Whether a new collection at ``index`` should follow its neighbours' flow style."""
    neighbours = [sequence[i] for i in (index - 1, index) if 0 <= i < len(sequence)]
    for item in neighbours:
        same_kind = (_is_map(item) and isinstance(value, Mapping)) or (
            _is_seq(item) and isinstance(value, (list, tuple))
        )
        if same_kind:
            return _flow(item)
    return False


def _merged(node: Any) -> bool:
    """A mapping with a ``<<`` merge key, or one merged into another mapping."""
    return isinstance(node, CommentedMap) and bool(getattr(node, merge_attrib, None) or node._ref)


def _refuse_merges(doc: Document, path: FieldPath, container: Any, *values: Any) -> None:
    """Refuse, before changing anything, to edit a mapping in a ``<<`` merge (as either
    side) in ``container`` or inside ``values``: ruamel cannot keep those consistent."""
    pending = [container, *values]
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if _merged(node):
            raise DesignError(
                "this part of the file uses a YAML merge key (<<: *anchor); rackval cannot "
                "edit it without changing what it means: edit it in a text editor",
                location=Location(str(doc.path)),
                path=_format_path(path),
            )
        if node is not container and _is_map(node):
            pending.extend(node.values())
        elif node is not container and _is_seq(node):
            pending.extend(node)


def set_value(doc: Document, path: FieldPath, value: Any) -> None:
    """Set the field at ``path``, creating missing mappings on the way.

    Comments, key order, quoting and flow style of everything else are kept. A new key
    goes to the end of its mapping. Setting a mapping or list where one already is
    updates it in place (kept keys keep their place and comments, missing ones are
    deleted, new ones appended; a flow mapping stays a flow mapping). A string set where
    a quoted string was keeps its quotes.

    Parameters
    ----------
    doc : Document
        The document to change (``doc.data`` is changed in place).
    path : tuple of str and int
        Mapping keys and list indices, e.g. ``("site", "air", "units")``.
    value : Any
        str, int, float, bool, None, or dicts/lists of these (copied into the tree).

    Raises
    ------
    FieldPathError
        An index out of range, a missing key where a list index follows, or a path that
        runs through a single value.
    TypeError
        A value that cannot be written to YAML.
    """
    if not path:
        raise _error(doc, path, "an edit needs a field path, not the document root")
    _node(value)  # refuse unwritable values before changing anything
    if doc.data is None:
        doc.data = CommentedMap()
    trail: list[tuple[Any, Any]] = []
    node = doc.data
    depth = 0
    while depth < len(path) - 1:
        part = path[depth]
        if _is_map(node) and _map_key(node, part) is _MISSING:
            break
        key = _lookup(doc, node, path, depth)
        trail.append((node, key))
        node = node[key]
        depth += 1
    missing = path[depth:]
    if len(missing) > 1 or (_is_map(node) and _map_key(node, missing[0]) is _MISSING):
        wrong = [p for p in missing if not isinstance(p, str)]
        if wrong:
            at = path[: depth + missing.index(wrong[0]) + 1]
            raise _error(
                doc,
                at,
                f"cannot create {_format_path(at)}: list items are added "
                "with insert_value, not created by set_value",
            )
        _refuse_merges(doc, path, node)
        for part in missing[:-1]:
            _add([*trail, (node, part)], CommentedMap())
            trail.append((node, part))
            node = node[part]
        _add([*trail, (node, missing[-1])], _node(value))
        return
    key = _lookup(doc, node, path, depth)
    _refuse_merges(doc, path, node, node[key])
    _replace([*trail, (node, key)], value)


def insert_value(doc: Document, path: FieldPath, index: int, value: Any) -> None:
    """Insert ``value`` into the list at ``path`` before position ``index``.

    ``index == len(list)`` appends. Comment and blank lines that preceded the item now at
    ``index`` still precede it. A mapping or list inserted next to flow-style ones
    (``- {id: A1, side: A}``) is written in flow style too.

    Parameters
    ----------
    doc : Document
        The document to change.
    path : tuple of str and int
        Path of the list, e.g. ``("racks", 0, "devices")``.
    index : int
        Position of the new item, ``0 <= index <= len(list)``.
    value : Any
        As for :func:`set_value`.

    Raises
    ------
    FieldPathError
        ``path`` is missing or not a list, or ``index`` is out of range.
    TypeError
        A value that cannot be written to YAML.
    """
    sequence = get_value(doc, path)
    if not _is_seq(sequence):
        raise _error(doc, path, f"{_format_path(path)} is not a list")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= len(sequence):
        raise _error(
            doc,
            (*path, index),
            f"cannot insert at [{index}] of {_format_path(path)} "
            f"({len(sequence)} items; use 0 to {len(sequence)})",
        )
    node = _node(value, flow=_neighbour_flow(sequence, index, value))
    trail = _trail(doc, path) if path else []
    _add([*trail, (sequence, index)], node)


def delete_value(doc: Document, path: FieldPath) -> None:
    """Delete the key or list item at ``path``.

    Its own end-of-line comment goes with it; comment and blank lines after it are kept
    (they now follow the item before it). Comment lines above it are kept too.

    Raises
    ------
    FieldPathError
        No such field.
    """
    trail = _trail(doc, path)
    container, key = trail[-1]
    _refuse_merges(doc, path, container, container[key])
    _delete(trail)


# ---------------------------------------------------------------------------- dumping


@dataclass(frozen=True)
class _Style:
    """How a file is laid out, as far as ruamel can be told to reproduce it."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2
    explicit_start: bool = False
    explicit_end: bool = False
    bom: bool = False
    crlf: bool = False
    final_newline: bool = True
    version: tuple[int, int] | None = None  # of a %YAML directive


def _measure(node: Any, maps: Counter, seqs: Counter, seen: set[int]) -> None:
    """Count the indentation of block collections nested under mapping keys."""
    if id(node) in seen or not isinstance(node, (CommentedMap, CommentedSeq)):
        return
    seen.add(id(node))
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if _block(value) and not _flow(node):
                try:
                    key_column = node.lc.key(key)[1]
                    if isinstance(value, CommentedMap):
                        maps[value.lc.col - key_column] += 1
                    else:
                        item_column = value.lc.item(0)[1]
                        seqs[(item_column - key_column, value.lc.col - key_column)] += 1
                except (KeyError, TypeError, AttributeError):
                    pass
            _measure(value, maps, seqs, seen)
    else:
        for value in node:
            _measure(value, maps, seqs, seen)


def _marker_lines(text: str) -> list[str]:
    return [
        line.rstrip("\r")
        for line in text.lstrip("\ufeff").split("\n")
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _version(lines: list[str]) -> tuple[int, int] | None:
    for line in lines:
        parts = line.split()
        if parts[0] == "%YAML" and len(parts) > 1:
            with contextlib.suppress(ValueError):
                major, minor = parts[1].split(".")
                return int(major), int(minor)
        if not line.startswith("%"):
            break
    return None


@lru_cache(maxsize=8)
def _analyse(text: str) -> tuple[_Style, str | None]:
    """The layout of ``text`` and ruamel's rendering of it (None: unparsable)."""
    lines = _marker_lines(text)
    body = [line for line in lines if not line.startswith("%")]
    style = _Style(
        # after a %directive ruamel writes the --- itself (and drops the directive if told)
        explicit_start=len(body) == len(lines)
        and bool(body)
        and (body[0] == "---" or body[0].startswith("--- ")),
        explicit_end=bool(body) and body[-1] == "...",
        bom=text.startswith("\ufeff"),
        crlf="\r\n" in text,
        final_newline=text.endswith("\n") or not text,
        version=_version(lines),
    )
    try:
        data = round_trip_yaml().load(text)
    except YAMLError:
        return style, None
    maps: Counter = Counter()
    seqs: Counter = Counter()
    _measure(data, maps, seqs, set())
    mapping = maps.most_common(1)[0][0] if maps else style.mapping
    sequence, offset = seqs.most_common(1)[0][0] if seqs else (style.sequence, style.offset)
    if mapping < 1 or sequence < 2 or offset < 0 or offset > sequence - 2:
        mapping, sequence, offset = style.mapping, style.sequence, style.offset
    style = dataclasses.replace(style, mapping=mapping, sequence=sequence, offset=offset)
    try:
        return style, _render(data, style)
    except YAMLError:
        return style, None


def _yaml(style: _Style) -> YAML:
    yaml = round_trip_yaml()
    yaml.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    yaml.explicit_start = style.explicit_start or None
    yaml.explicit_end = style.explicit_end or None
    if style.version:
        yaml.version = style.version
    return yaml


def _reset_comments(node: Any, seen: set[int]) -> None:
    """Forget what an earlier dump wrote: ruamel marks comments it wrote as done and then
    misplaces them in the next dump of the same tree."""
    if id(node) in seen:
        return
    seen.add(id(node))
    ca = getattr(node, "ca", None)
    if ca is not None:
        pending = [ca.comment, list(ca.items.values()), ca.end]
        while pending:
            item = pending.pop()
            if isinstance(item, list):
                pending.extend(item)
            elif isinstance(item, CommentToken):
                item.reset()
    if _is_map(node):
        for value in node.values():
            _reset_comments(value, seen)
    elif _is_seq(node):
        for value in node:
            _reset_comments(value, seen)


def _render(data: Any, style: _Style) -> str:
    _reset_comments(data, set())
    buffer = io.StringIO()
    _yaml(style).dump(data, buffer)
    out = buffer.getvalue().replace("\r\n", "\n")  # comments read from CRLF files keep \r
    if not style.final_newline and out.endswith("\n"):
        out = out[:-1]
    if style.crlf:
        out = out.replace("\n", "\r\n")
    if style.bom:
        out = "\ufeff" + out
    return out


def _merge(base: str, ours: str, theirs: str) -> str | None:
    """Apply the line changes base -> theirs to ours (base ≈ ours), or None if they clash."""
    b, o, t = (s.splitlines(keepends=True) for s in (base, ours, theirs))
    same: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, b, o, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            same.update((i1 + k, j1 + k) for k in range(i2 - i1))  # a line ruamel reformats

    hunks = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, b, t, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:  # lines changed or deleted: each must be at a known line of ours
            start = same.get(i1)
            if start is None or any(same.get(k) != start + k - i1 for k in range(i1, i2)):
                return None
        elif i1 > 0 and i1 - 1 in same:  # lines inserted after a known line
            start = same[i1 - 1] + 1
        elif i1 < len(b) and i1 in same:  # ... or before one
            start = same[i1]
        else:
            return None
        hunks.append((start, start + i2 - i1, t[j1:j2]))
    for start, end, lines in reversed(hunks):
        o[start:end] = lines
    return "".join(o)


def dump(doc: Document) -> str:
    """The document as YAML text, equal to ``doc.text`` byte for byte if nothing changed.

    Parameters
    ----------
    doc : Document
        A loaded (and possibly edited) document.

    Returns
    -------
    str
        The text to write: the original lines wherever the edits did not change them.
    """
    return _dump(doc)[0]


def _dump(doc: Document) -> tuple[str, bool]:
    """The text of :func:`dump`, and whether it is known to load back as ``doc.data``."""
    style, base = _analyse(doc.text)
    theirs = _render(doc.data, style)
    if base is None or base == doc.text:
        return theirs, False
    if theirs == base:
        return doc.text, True  # renders like the text it was loaded from
    merged = _merge(base, doc.text, theirs)
    if merged is not None:
        try:
            if _render(round_trip_yaml().load(merged), style) == theirs:
                return merged, True
        except YAMLError:
            pass
    return theirs, False


# ----------------------------------------------------------------------------- saving


def _same_data(a: Any, b: Any) -> bool:
    """Whether two YAML trees hold the same data (key order included, NaN equal to NaN)."""
    if _is_map(a) and _is_map(b):
        if _merged(a) or _merged(b):  # merged keys come last on load, wherever they were
            return set(a) == set(b) and all(_same_data(a[k], b[k]) for k in a)
        return list(a) == list(b) and all(_same_data(a[k], b[k]) for k in a)
    if _is_seq(a) and _is_seq(b):
        return len(a) == len(b) and all(_same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if hasattr(a, "tag") and hasattr(a, "value"):  # a TaggedScalar: compared by identity
        return str(a.tag) == str(getattr(b, "tag", None)) and a.value == getattr(b, "value", None)
    return bool(a == b)


def _check_unchanged(doc: Document, real: Path) -> None:
    """Raise SaveConflictError if ``real`` no longer holds what ``doc`` was loaded from."""
    try:
        current = real.read_bytes()
    except FileNotFoundError:
        raise SaveConflictError(
            f"{doc.path}: the file was deleted or moved since it was loaded, so it was not "
            "written; save under another name (or restore the file) to keep your changes"
        ) from None
    except OSError as exc:
        raise DesignError(
            f"cannot save: cannot read the file to check it is unchanged: "
            f"{exc.strerror or exc}; nothing was written",
            location=Location(str(doc.path)),
        ) from exc
    if hashlib.sha256(current).hexdigest() != doc.sha256:
        raise SaveConflictError(
            f"{doc.path}: the file changed on disk since it was loaded, so it was not "
            "overwritten; save under another name and merge, or reload the file "
            "(discarding your unsaved changes)"
        )


def _check_reads_back(text: str, data: Any, target: Path) -> None:
    """Refuse to write text that would not load as ``data`` again (DESIGN §11)."""
    try:
        written = round_trip_yaml().load(text)
    except YAMLError as exc:
        problem = f": {exc}"
    else:
        if _same_data(written, data):
            return
        problem = ""
    raise DesignError(
        f"not saved: the YAML written would not read back as the same data{problem} "
        "(a rackval bug; please report it)",
        location=Location(str(target)),
    )


def _default_mode() -> int:
    """0o666 less the process umask, read without changing it."""
    umask = 0o022
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                umask = int(line.split()[1], 8)
    return 0o666 & ~umask


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # not supported (Windows)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(doc: Document, path: Path | None = None) -> None:
    """Write the document atomically; never overwrite a file changed since loading.

    The text of :func:`dump` goes to a temporary file in the target's directory, is
    flushed and fsynced, gets the original file's permission bits (and owner, where
    allowed) and replaces the target with :func:`os.replace`; the directory is fsynced
    where supported. On any error the temporary file is removed and the target is left as
    it was. A symbolic link is followed: the file it points to is replaced.

    Parameters
    ----------
    doc : Document
        The document; on success its ``text`` and ``sha256`` (and ``path``, when saved
        under another name) describe the file as written, so it can be saved again.
    path : Path, optional
        Save under another name ("save as"). The file loaded is then not checked; an
        existing file at ``path`` is replaced (the caller asks first).

    Raises
    ------
    SaveConflictError
        The file was changed or deleted on disk since ``doc`` was loaded or last saved.
    DesignError
        The text would not read back as the same data (a writer bug; nothing written),
        or the file could not be written (the message says why; nothing changed).
    """
    target = doc.path if path is None else Path(path)
    real = Path(os.path.realpath(target))
    check = path is None or real == Path(os.path.realpath(doc.path))
    text, checked = _dump(doc)
    data = text.encode("utf-8")
    if not checked:
        _check_reads_back(text, doc.data, target)
    if check:
        _check_unchanged(doc, real)
    temporary: str | None = None
    try:
        try:
            owner: os.stat_result | None = os.stat(real)
        except FileNotFoundError:
            owner = None
        mode = stat.S_IMODE(owner.st_mode) if owner else _default_mode()
        with tempfile.NamedTemporaryFile(
            "wb", dir=real.parent, prefix=f".{real.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = handle.name
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if owner is not None and hasattr(os, "chown"):
            mine = os.stat(temporary)
            if (mine.st_uid, mine.st_gid) != (owner.st_uid, owner.st_gid):
                with contextlib.suppress(OSError):
                    os.chown(temporary, owner.st_uid, owner.st_gid)
        if check:
            _check_unchanged(doc, real)  # again: it may have changed while we wrote
        os.replace(temporary, real)
        temporary = None
    except OSError as exc:
        raise DesignError(
            f"cannot save: {exc.strerror or exc}; the file on disk is unchanged",
            location=Location(str(target)),
        ) from exc
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    _fsync_directory(real.parent)
    doc.text = text
    doc.sha256 = hashlib.sha256(data).hexdigest()
    doc.path = target
