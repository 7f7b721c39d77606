"""Project configuration: ``[tool.rackval]`` in ``pyproject.toml`` or ``rackval.toml``.

The file is found upward from the working directory: in each directory ``rackval.toml``
(keys at the top level or under ``[tool.rackval]``) wins over a ``pyproject.toml`` that
has a ``[tool.rackval]`` table; a ``pyproject.toml`` without one is passed over. Options
on the command line override the file, which overrides the defaults. Paths in the file
(``paths``, ``catalog``, ``baseline``, ``waivers``, ``per-file-ignores`` globs) are
relative to the file's directory. Unknown keys are errors with a suggestion.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import RackvalError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Config", "ConfigError", "KEYS", "find_config", "load_config"]

KEYS = (
    "paths",
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "fail-on",
    "scenarios",
    "load",
    "catalog",
    "baseline",
    "waivers",
    "jobs",
)
"""Every key of ``[tool.rackval]``."""

FAIL_ON = ("error", "warning", "info")
LOADS = ("max", "typical")


class ConfigError(RackvalError):
    """A configuration file that cannot be used: which file, which key, what is wrong."""

    def __init__(self, file: Path, message: str, *, key: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.file = file
        self.key = key
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Config:
    """Settings from a configuration file; None (or empty) = not set there."""

    file: Path | None = None
    paths: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] | None = None
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fail_on: str | None = None
    scenarios: tuple[str, ...] | None = None
    load: str | None = None
    catalog: tuple[str, ...] = ()
    baseline: str | None = None
    waivers: str | None = None
    jobs: int | None = None

    @property
    def root(self) -> Path:
        """Directory the file's relative paths start from (the working directory without one)."""
        return self.file.parent if self.file is not None else Path.cwd()

    def ignored_for(self, design_file: str) -> tuple[str, ...]:
        """Rule prefixes that ``per-file-ignores`` drops for `design_file`."""
        try:
            relative = Path(design_file).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            relative = Path(design_file).as_posix()
        out: list[str] = []
        for pattern, rules in self.per_file_ignores.items():
            if _glob_match(relative, pattern):
                out += rules
        return tuple(out)


def _glob_match(path: str, pattern: str) -> bool:
    """Glob match of a POSIX path: ``*`` within a name, ``**`` across directories."""
    regex = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            regex += ".*"
            i += 2
        elif pattern[i] == "*":
            regex += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            regex += "[^/]"
            i += 1
        else:
            regex += re.escape(pattern[i])
            i += 1
    return re.fullmatch(regex, path) is not None


def find_config(start: Path | None = None) -> Path | None:
    """The configuration file for `start` (default: the working directory), or None."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "rackval.toml"
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    return re.search(r"^\s*\[tool\.rackval[\].]", text, re.MULTILINE) is not None


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def load_config(path: Path) -> Config:
    """Read and check a configuration file.

    Raises
    ------
    ConfigError
        Unreadable file, TOML syntax, unknown key (with a suggestion), wrong type or value.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"not valid TOML: {exc}") from None
    table: Any = doc.get("tool", {}).get("rackval")
    if table is None:
        if path.name == "pyproject.toml":
            return Config(file=path)
        table = {k: v for k, v in doc.items() if k != "tool"}
    if not isinstance(table, dict):
        raise ConfigError(path, "[tool.rackval] must be a table", key="tool.rackval")

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(path, f"'{key}': {message}", key=key, line=_line_of(text, key))

    for key in table:
        if key not in KEYS:
            close = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(KEYS)})"
            raise fail(key, f"unknown key{hint}")

    def strings(key: str) -> tuple[str, ...] | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, "expected a list of strings")
        return tuple(v.strip() for item in value for v in item.split(",") if v.strip())

    def choice(key: str, allowed: tuple[str, ...]) -> str | None:
        value = table.get(key)
        if value is not None and value not in allowed:
            raise fail(key, f"expected one of {', '.join(allowed)}, got {value!r}")
        return value

    def single(key: str) -> str | None:
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            raise fail(key, "expected a string (a path)")
        return value

    per_file: dict[str, tuple[str, ...]] = {}
    raw = table.get("per-file-ignores", {})
    if not isinstance(raw, dict):
        raise fail("per-file-ignores", 'expected a table of glob = ["RV-…"] entries')
    for pattern, rules in raw.items():
        if isinstance(rules, str):
            rules = [rules]
        if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
            raise fail(pattern, "per-file-ignores: expected a list of rule prefixes")
        per_file[pattern] = tuple(rules)
    jobs = table.get("jobs")
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0):
        raise fail("jobs", "expected a whole number ≥ 0 (0: one per CPU)")
    return Config(
        file=path,
        paths=strings("paths") or (),
        select=strings("select"),
        ignore=strings("ignore"),
        extend_select=strings("extend-select"),
        per_file_ignores=per_file,
        fail_on=choice("fail-on", FAIL_ON),
        scenarios=strings("scenarios"),
        load=choice("load", LOADS),
        catalog=strings("catalog") or (),
        baseline=single("baseline"),
        waivers=single("waivers"),
        jobs=jobs,
    )
