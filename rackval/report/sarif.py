"""SARIF 2.1.0 output, for code scanning (GitHub) and other SARIF viewers.

One run: ``tool.driver.rules`` lists every rule that ran (id, name, short and full
description, ``helpUri`` to ``docs/rules/<ID>.md``, default level); each finding is a
result with its rule, level, message, the physical location (file, line, column) and
the logical one (the field path), its scenario and figures in ``properties``, a
``partialFingerprints`` entry that does not depend on line numbers, ``suppressions``
(empty when not suppressed) and, with ``--baseline``, its ``baselineState``. Designs
that could not be read are ``toolExecutionNotifications`` of the invocation.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..baseline import fingerprint
from ..batch import BatchResult
from ..errors import Location
from ..rules import RULES, Finding
from .common import HELP_URI, rel

__all__ = ["render_sarif", "SARIF_SCHEMA"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "SRCROOT"


def _artifact(file: str) -> dict[str, Any]:
    path = rel(file)
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": path, "uriBaseId": SRCROOT}


def _physical(loc: Location | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    out: dict[str, Any] = {"artifactLocation": _artifact(loc.file)}
    if loc.line:
        out["region"] = {"startLine": loc.line, "startColumn": max(loc.column, 1)}
    return out


def _rule(rule_id: str) -> dict[str, Any]:
    rule = RULES[rule_id]
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.name},
        "fullDescription": {"text": rule.doc.get("What it checks", rule.summary or rule.name)},
        "helpUri": HELP_URI.format(rule=rule.id),
        "help": {"text": f"{rule.summary} See {HELP_URI.format(rule=rule.id)}"},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.id.split("-")[1].lower()]},
    }


def _result(f: Finding, index: dict[str, int], baseline: bool) -> dict[str, Any]:
    location: dict[str, Any] = {
        "logicalLocations": [{"fullyQualifiedName": f.path, "kind": "object"}]
    }
    physical = _physical(f.location)
    if physical is not None:
        location["physicalLocation"] = physical
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": LEVELS[f.severity],
        "message": {"text": f"[{f.scenario}] {f.path}: {f.message}"},
        "locations": [location],
        "partialFingerprints": {"rackval/v1": fingerprint(f)},
        "properties": {"scenario": f.scenario, "value": f.value, "limit": f.limit},
        "suppressions": [],
    }
    if f.suppressed is not None:
        s = f.suppressed
        suppression: dict[str, Any] = {
            "kind": "inSource" if s.kind == "inline" else "external",
            "status": "accepted",
            "justification": s.reason,
        }
        where = _physical(s.where)
        if where is not None:
            suppression["location"] = {"physicalLocation": where}
        props = {k: v for k, v in (("owner", s.owner), ("expires", s.expires)) if v}
        if props:
            suppression["properties"] = props
        out["suppressions"] = [suppression]
    if baseline and f.baseline is not None:
        out["baselineState"] = f.baseline
    return out


def render_sarif(batch: BatchResult) -> str:
    """The run as a SARIF 2.1.0 log (one run, every finding, suppressed ones included)."""
    used: list[str] = []
    for report in batch.reports:
        solution = next(iter(report.solutions.values()), None)
        for rule_id in solution.selected if solution is not None else ():
            if rule_id not in used:
                used.append(rule_id)
        for f in [*report.findings, *report.suppressed]:
            if f.rule not in used:
                used.append(f.rule)
    ordered = [r for r in RULES if r in used]
    index = {rule_id: k for k, rule_id in enumerate(ordered)}
    results = [
        _result(f, index, batch.baseline)
        for report in batch.reports
        for f in [*report.findings, *report.suppressed]
    ]
    notifications = []
    for e in batch.errors:
        note: dict[str, Any] = {"level": "error", "message": {"text": f"{e.path}: {e.message}"}}
        physical = _physical(e.location)
        if physical is not None:
            note["locations"] = [{"physicalLocation": physical}]
        notifications.append(note)
    for r in batch.results:
        if r.failure:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": r.failure},
                    "locations": [{"physicalLocation": {"artifactLocation": _artifact(r.file)}}],
                }
            )
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "rackval",
                        "version": __version__,
                        "informationUri": "https://github.com/rackval/rackval",
                        "rules": [_rule(r) for r in ordered],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": batch.invalid == 0,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"
