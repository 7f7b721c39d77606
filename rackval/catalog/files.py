"""Reading part files: YAML text -> raw mapping -> :class:`Part`, with locations.

Files are parsed with ruamel's safe loader (no comment bookkeeping, so it is the
cheaper of the two); only when a file has a problem is it parsed again with the
round-trip loader to find the line and column of each offending key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..design.parts import Part
from ..errors import DesignError, DesignErrors, Location
from .build import KeyPath, build_part

__all__ = ["MAX_PART_BYTES", "read_part_file", "parse_yaml", "locator", "LazyLocator"]

MAX_PART_BYTES = 1024 * 1024
"""Largest part file read [bytes]."""


def _safe_yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_duplicate_keys = False
    return yaml


def _rt_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def parse_yaml(text: str, origin: str, *, round_trip: bool = False) -> Any:
    """Parse YAML text; a syntax error becomes a :class:`DesignError` with its line."""
    try:
        return (_rt_yaml() if round_trip else _safe_yaml()).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p) or str(exc)
        raise DesignError(
            f"invalid YAML: {message}", location=Location(origin, line, column)
        ) from None
    except YAMLError as exc:
        raise DesignError(f"invalid YAML: {exc}", location=Location(origin)) from None


def locator(tree: Any) -> Any:
    """A ``locate(key_path) -> (line, column)`` over a round-trip YAML tree.

    A path that does not exist (a missing key) resolves to its nearest parent.
    """

    def locate(path: KeyPath) -> tuple[int, int]:
        node = tree
        if isinstance(node, (CommentedMap, CommentedSeq)):
            line, column = node.lc.line + 1, node.lc.col + 1
        else:
            line, column = 1, 1
        for key in path:
            if isinstance(node, CommentedMap) and key in node:
                at = node.lc.key(key)
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                at = node.lc.item(key)
            else:
                break
            line, column = at[0] + 1, at[1] + 1
            node = node[key]
        return line, column

    return locate


class LazyLocator:
    """Parse the text with the round-trip loader only when a location is asked for."""

    def __init__(self, text: str, origin: str) -> None:
        self._text = text
        self._origin = origin
        self._locate: Any = None

    def __call__(self, path: KeyPath) -> tuple[int, int]:
        if not path and self._locate is None:  # the part itself: its first key, no parse
            for number, text in enumerate(self._text.splitlines(), start=1):
                stripped = text.strip()
                if stripped and not stripped.startswith(("#", "---", "%")):
                    return number, len(text) - len(text.lstrip()) + 1
            return 1, 1
        if self._locate is None:
            self._locate = locator(parse_yaml(self._text, self._origin, round_trip=True))
        return self._locate(path)


def read_part_file(path: Path) -> Part:
    """Read and build one part file.

    Raises
    ------
    DesignErrors
        Unreadable or invalid YAML, or an invalid part; every error names the file,
        line, column and field path (``parts[<slug>].rackval.power.max``).
    """
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_PART_BYTES:
            raise DesignErrors(
                [
                    DesignError(
                        f"part file is {size} bytes; the limit is {MAX_PART_BYTES}",
                        location=Location(origin),
                    )
                ]
            )
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DesignErrors(
            [
                DesignError(
                    f"cannot read part file: {exc.strerror or exc}", location=Location(origin)
                )
            ]
        ) from None
    except UnicodeDecodeError:
        raise DesignErrors(
            [DesignError("part file is not UTF-8 text", location=Location(origin))]
        ) from None
    try:
        raw = parse_yaml(text, origin)
    except DesignError as exc:
        raise DesignErrors([exc]) from None
    slug = raw.get("slug") if isinstance(raw, dict) else None
    prefix = f"parts[{slug if isinstance(slug, str) else path.stem}]"
    part = build_part(raw, origin=origin, locate=LazyLocator(text, origin), path_prefix=prefix)
    if part.slug != path.stem:
        locate = LazyLocator(text, origin)
        line, column = locate(("slug",))
        raise DesignErrors(
            [
                DesignError(
                    f"slug '{part.slug}' does not match the file name '{path.name}' "
                    "(name part files <slug>.yaml)",
                    location=Location(origin, line, column),
                    path=f"{prefix}.slug",
                )
            ]
        )
    return part
