"""Baselines: accept the findings a project already has, fail only on new ones.

A baseline file (``--write-baseline FILE``) lists each finding by design file (relative
to the baseline file), rule, logical path, scenario and a fingerprint of its figures
(rule, path, scenario, value and limit to four significant digits) — never by line
number, so that editing a design elsewhere does not make old findings new. With
``--baseline FILE`` a finding whose key is in the file is ``unchanged`` and does not
count for the exit code; every other finding is ``new`` (also when only its figures
changed: the overload got worse or better and needs another look).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import RackvalError
from .rules import Finding

__all__ = ["BASELINE_VERSION", "fingerprint", "design_key", "write_baseline", "Baseline"]

BASELINE_VERSION = 1


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def fingerprint(finding: Finding) -> str:
    """A stable hash of what a finding says (no line numbers, no message wording)."""
    text = "|".join(
        (
            finding.rule,
            finding.path,
            finding.scenario,
            _figure(finding.value),
            _figure(finding.limit),
        )
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def design_key(design_file: str, base: Path) -> str:
    """The design's file relative to `base` (the baseline file's directory), POSIX."""
    try:
        return Path(os.path.relpath(Path(design_file).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive
        return Path(design_file).as_posix()


def _entry(design: str, f: Finding) -> dict[str, str]:
    return {
        "design": design,
        "rule": f.rule,
        "path": f.path,
        "scenario": f.scenario,
        "fingerprint": fingerprint(f),
    }


def write_baseline(path: Path, findings: Iterable[tuple[str, Finding]]) -> int:
    """Write the (design file, finding) pairs as a baseline; return how many keys it holds.

    Findings with the same key (two figures missing from one part) share an entry.
    """
    base = path.parent
    entries = sorted(
        {tuple(_entry(design_key(d, base), f).items()) for d, f in findings},
    )
    doc = {"tool": "rackval", "version": BASELINE_VERSION, "findings": [dict(e) for e in entries]}
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return len(entries)


@dataclasses.dataclass
class Baseline:
    """A loaded baseline file."""

    path: Path
    keys: set[tuple[str, str, str, str, str]]

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Read a baseline written by :func:`write_baseline`.

        Raises
        ------
        RackvalError
            Unreadable, not JSON, or not a rackval baseline.
        """
        try:
            doc: Any = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise RackvalError(f"{path}: cannot read the baseline: {exc.strerror}") from None
        except json.JSONDecodeError as exc:
            raise RackvalError(f"{path}:{exc.lineno}:{exc.colno}: baseline is not JSON") from None
        if (
            not isinstance(doc, dict)
            or doc.get("tool") != "rackval"
            or doc.get("version") != BASELINE_VERSION
            or not isinstance(doc.get("findings"), list)
        ):
            raise RackvalError(
                f"{path}: not a rackval baseline (version {BASELINE_VERSION}); "
                "write one with --write-baseline"
            )
        keys = set()
        for e in doc["findings"]:
            try:
                keys.add((e["design"], e["rule"], e["path"], e["scenario"], e["fingerprint"]))
            except (KeyError, TypeError):
                raise RackvalError(f"{path}: baseline entry without its keys: {e!r}") from None
        return cls(path, keys)

    def mark(self, design_file: str, findings: list[Finding]) -> list[Finding]:
        """The findings with ``baseline`` set to ``unchanged`` or ``new``."""
        design = design_key(design_file, self.path.parent)
        return [
            dataclasses.replace(
                f,
                baseline="unchanged" if tuple(_entry(design, f).values()) in self.keys else "new",
            )
            for f in findings
        ]
