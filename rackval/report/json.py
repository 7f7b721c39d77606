"""JSON output: findings and the figures behind them, per design and scenario.

The document's shape is versioned (``format_version``) and documented in
``docs/index.md`` (JSON output); ``rackval/schemas/report-v1.json`` is its JSON Schema.
Version 1: ``tool``, ``version``, ``format_version``, ``designs`` (file, name, scenarios,
skipped scenarios, findings, suppressed findings, results), ``errors`` and ``summary``.
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..batch import BatchResult
from ..errors import DesignError

__all__ = ["render_json", "FORMAT_VERSION"]

FORMAT_VERSION = 1
"""Version of the JSON report's shape; bumped when a key changes meaning or goes away."""


def _error(e: DesignError) -> dict[str, Any]:
    loc = e.location
    return {
        "file": loc.file if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "path": e.path,
        "message": e.message,
    }


def render_json(batch: BatchResult) -> str:
    """A JSON document with every design's findings, skipped scenarios and results."""
    designs = []
    for report in batch.reports:
        designs.append(
            {
                "file": report.file,
                "name": report.design.name,
                "scenarios": list(report.solutions),
                "skipped_scenarios": [{"name": s.name, "reason": s.reason} for s in report.skipped],
                "findings": [f.to_dict() for f in report.findings],
                "suppressed": [f.to_dict() for f in report.suppressed],
                "results": report.results(),
            }
        )
    active = [f for r in batch.reports for f in r.findings]
    counts = {s: sum(1 for f in active if f.severity == s) for s in ("error", "warning", "info")}
    errors = [_error(e) for e in batch.errors]
    errors += [
        {"file": r.file, "line": None, "column": None, "path": "", "message": r.failure}
        for r in batch.results
        if r.failure
    ]
    doc = {
        "tool": "rackval",
        "version": __version__,
        "format_version": FORMAT_VERSION,
        "designs": designs,
        "errors": errors,
        "summary": {
            "designs": len(batch.reports),
            "invalid": batch.invalid,
            **counts,
            "suppressed": sum(len(r.suppressed) for r in batch.reports),
            "new": sum(1 for f in active if f.baseline == "new") if batch.baseline else None,
            "elapsed_s": round(batch.elapsed, 3),
        },
    }
    return json.dumps(doc, indent=2, sort_keys=False) + "\n"
