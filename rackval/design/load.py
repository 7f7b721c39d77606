"""Read design files: YAML text -> plain data + a location for every field path.

The round-trip loader of ruamel.yaml keeps comments and key order (for saving) and
line/column of every key and item (for error messages and findings). Before the
document is built, the event stream is scanned so that an alias bomb is rejected
without being expanded. ``include:`` pulls in further files; their sections are
merged into the main document and each field keeps the file it came from.
"""

from __future__ import annotations

import glob
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarbool import ScalarBoolean

from ..errors import DesignError, DesignErrors, Location

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_EXPANDED_NODES",
    "Document",
    "LoadedDesign",
    "FieldPath",
    "read_document",
    "parse_document",
    "load_files",
]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Largest design file read [bytes]; bigger files are refused (DESIGN §11)."""

MAX_EXPANDED_NODES = 200_000
"""Largest node count after alias expansion; more is treated as an alias bomb."""

FieldPath = tuple[str | int, ...]


def round_trip_yaml() -> YAML:
    """The one YAML configuration used for reading and writing design files."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    yaml.width = 4096
    return yaml


@dataclass
class Document:
    """One design file as loaded: its text, the round-trip tree and a fingerprint."""

    path: Path
    text: str
    data: Any
    sha256: str


@dataclass
class LoadedDesign:
    """A design and its includes merged into plain data, with field locations."""

    main: Document
    documents: list[Document]
    data: dict[str, Any]
    locations: dict[FieldPath, Location] = field(default_factory=dict)

    def locate(self, path: FieldPath) -> Location:
        """Location of ``path``, or of its nearest located ancestor."""
        for cut in range(len(path), -1, -1):
            found = self.locations.get(tuple(path[:cut]))
            if found is not None:
                return found
        return Location(str(self.main.path))


def _error(path: Path, message: str, line: int = 0, column: int = 0, field_path: str = ""):
    return DesignError(message, location=Location(str(path), line, column), path=field_path)


def _check_alias_expansion(yaml: YAML, text: str, path: Path) -> None:
    """Refuse documents whose aliases expand to more than MAX_EXPANDED_NODES nodes."""
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # [anchor, node count so far]
    try:
        for event in yaml.parse(text):
            kind = type(event).__name__
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                stack.append([event.anchor, 0])
                continue
            if kind == "ScalarEvent":
                size = 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif kind == "AliasEvent":
                size = sizes.get(event.anchor, 1)
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                anchor, count = stack.pop()
                size = count + 1
                if anchor:
                    sizes[anchor] = size
            else:
                continue
            stack[-1][1] += size
            if stack[0][1] + sum(frame[1] for frame in stack[1:]) > MAX_EXPANDED_NODES:
                mark = event.start_mark
                raise _error(
                    path,
                    f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes "
                    "(an alias bomb?); write the values out instead",
                    mark.line + 1,
                    mark.column + 1,
                )
    except MarkedYAMLError as exc:
        raise _yaml_error(path, exc) from None
    except YAMLError as exc:  # e.g. ReaderError: control characters in the text
        raise _error(path, f"malformed YAML: {exc}") from None


def _yaml_error(path: Path, exc: MarkedYAMLError) -> DesignError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = exc.problem or str(exc)
    if isinstance(exc, DuplicateKeyError):
        first = exc.context_mark
        problem = f"{exc.problem.strip()}"
        if first is not None:
            problem += f" (first defined at line {first.line + 1})"
    context = f" {exc.context}" if exc.context and not isinstance(exc, DuplicateKeyError) else ""
    return _error(path, f"malformed YAML: {problem}{context}".strip(), line, column)


def read_document(path: Path) -> Document:
    """Read one YAML file into a round-trip document.

    Raises
    ------
    DesignError
        Unreadable, oversized or malformed file, duplicate keys, alias bombs.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _error(path, f"cannot read file: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise _error(
            path,
            f"file is {size / 1e6:.1f} MB; design files are limited to "
            f"{MAX_FILE_BYTES / 1024 / 1024:.0f} MB",
        )
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _error(path, f"file is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise _error(path, f"cannot read file: {exc.strerror or exc}") from None
    return parse_document(path, text, raw)


def parse_document(
    path: Path, text: str, raw: bytes | None = None, *, check_aliases: bool = True
) -> Document:
    """Parse YAML text (the file's or an edited copy of it) into a round-trip document.

    Parameters
    ----------
    path : Path
        The file the text belongs to; errors and locations name it.
    text : str
        The YAML text.
    raw : bytes, optional
        The file's bytes for the fingerprint; default the text encoded as UTF-8.
    check_aliases : bool
        Refuse alias bombs (a second pass over the text). Only text written by
        :func:`~rackval.design.save.dump` from a document that was checked when it was
        read may skip it: edits never add aliases.

    Raises
    ------
    DesignError
        Malformed YAML, duplicate keys, alias bombs.
    """
    if raw is None:
        raw = text.encode("utf-8")
    yaml = round_trip_yaml()
    if check_aliases:
        _check_alias_expansion(yaml, text, path)
    try:
        data = yaml.load(text)
    except DuplicateKeyError as exc:
        raise _yaml_error(path, exc) from None
    except MarkedYAMLError as exc:
        raise _yaml_error(path, exc) from None
    except YAMLError as exc:
        raise _error(path, f"malformed YAML: {exc}") from None
    return Document(path=path, text=text, data=data, sha256=hashlib.sha256(raw).hexdigest())


def _plain(node: Any, path: FieldPath, file: str, locations: dict[FieldPath, Location]) -> Any:
    """Copy a ruamel tree into plain dict/list/scalars, recording each field's location."""
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key, value in node.items():
            line, column = node.lc.key(key)
            child = (*path, str(key))
            locations[child] = Location(file, line + 1, column + 1)
            out[str(key)] = _plain(value, child, file, locations)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            line, column = node.lc.item(index)
            child = (*path, index)
            locations[child] = Location(file, line + 1, column + 1)
            items.append(_plain(value, child, file, locations))
        return items
    if isinstance(node, (dict, list)):  # produced by merges of anchors
        return {str(k): v for k, v in node.items()} if isinstance(node, dict) else list(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, (bool, ScalarBoolean)):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def _merge(
    target: dict[str, Any],
    extra: dict[str, Any],
    extra_locations: dict[FieldPath, Location],
    locations: dict[FieldPath, Location],
    prefix: FieldPath = (),
) -> list[DesignError]:
    """Merge an included document into the main data: lists append, mappings merge."""
    errors: list[DesignError] = []
    for key, value in extra.items():
        here = (*prefix, key)
        if key not in target:
            target[key] = value
            _move_locations(extra_locations, here, here, locations)
            continue
        if isinstance(target[key], list) and isinstance(value, list):
            offset = len(target[key])
            target[key].extend(value)
            for index in range(len(value)):
                _move_locations(extra_locations, (*here, index), (*here, index + offset), locations)
        elif isinstance(target[key], dict) and isinstance(value, dict):
            errors += _merge(target[key], value, extra_locations, locations, here)
        else:
            first = locations.get(here)
            loc = extra_locations.get(here)
            errors.append(
                DesignError(
                    f"'{key}' is defined twice (first at {first})",
                    location=loc,
                    path=".".join(str(p) for p in here),
                )
            )
    return errors


def _move_locations(
    source: dict[FieldPath, Location],
    old: FieldPath,
    new: FieldPath,
    into: dict[FieldPath, Location],
) -> None:
    n = len(old)
    for path, loc in source.items():
        if path[:n] == old:
            into[(*new, *path[n:])] = loc


def _as_mapping(doc: Document) -> CommentedMap:
    if doc.data is None:
        raise _error(doc.path, "file is empty; a design starts with 'rackval: 1'")
    if not isinstance(doc.data, CommentedMap):
        raise _error(
            doc.path, "a design file must be a mapping of sections (site, power, racks …)", 1, 1
        )
    return doc.data


def load_files(path: Path, *, text: str | None = None, dumped: bool = False) -> LoadedDesign:
    """Read a design file and the files it includes.

    Parameters
    ----------
    path : Path
        The main design file.
    text : str, optional
        The main file's text as edited but not yet saved (the TUI); default read the
        file. Locations and includes are still relative to `path`.
    dumped : bool
        `text` is a :func:`~rackval.design.save.dump` of a document read with
        :func:`read_document` (its alias check is not repeated).

    Returns
    -------
    LoadedDesign
        Merged plain data with a location for every field path.

    Raises
    ------
    DesignError, DesignErrors
        The first unreadable file, or every merge conflict.
    """
    if text is None:
        main = read_document(path)
    else:
        main = parse_document(path, text, check_aliases=not dumped)
    root = _as_mapping(main)
    locations: dict[FieldPath, Location] = {}
    data = _plain(root, (), str(path), locations)
    documents = [main]
    includes = data.pop("include", None)
    if includes is None:
        return LoadedDesign(main=main, documents=documents, data=data, locations=locations)
    include_loc = locations.get(("include",))
    if isinstance(includes, str):
        includes = [includes]
    if not isinstance(includes, list) or not all(isinstance(i, str) for i in includes):
        raise DesignError(
            "include must be a list of file names or glob patterns",
            location=include_loc,
            path="include",
        )
    errors: list[DesignError] = []
    seen = {path.resolve()}
    for index, pattern in enumerate(includes):
        matches = sorted(glob.glob(str(path.parent / pattern)))
        if not matches:
            errors.append(
                DesignError(
                    f"include '{pattern}' matches no file next to {path.name}",
                    location=locations.get(("include", index), include_loc),
                    path=f"include[{index}]",
                )
            )
            continue
        for match in matches:
            sub_path = Path(match)
            if sub_path.resolve() in seen:
                continue
            seen.add(sub_path.resolve())
            doc = read_document(sub_path)
            sub_locations: dict[FieldPath, Location] = {}
            sub = _plain(_as_mapping(doc), (), str(sub_path), sub_locations)
            if "include" in sub:
                errors.append(
                    DesignError(
                        "included files cannot include further files",
                        location=sub_locations.get(("include",)),
                        path="include",
                    )
                )
                continue
            sub.pop("rackval", None)
            documents.append(doc)
            errors += _merge(data, sub, sub_locations, locations)
    if errors:
        raise DesignErrors(errors)
    return LoadedDesign(main=main, documents=documents, data=data, locations=locations)
