"""JSON output: findings and the figures behind them, per design and scenario."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .. import __version__
from ..errors import DesignError
from ..validate import DesignReport

__all__ = ["render_json"]


def _error(e: DesignError) -> dict[str, Any]:
    loc = e.location
    return {
        "file": loc.file if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "path": e.path,
        "message": e.message,
    }


def render_json(
    reports: Sequence[DesignReport], errors: Sequence[DesignError] = (), *, invalid: int = 0
) -> str:
    """A JSON document with every design's findings, skipped scenarios and results."""
    designs = []
    for report in reports:
        designs.append(
            {
                "file": report.file,
                "name": report.design.name,
                "scenarios": list(report.solutions),
                "skipped_scenarios": [{"name": s.name, "reason": s.reason} for s in report.skipped],
                "findings": [f.to_dict() for f in report.findings],
                "results": report.results(),
            }
        )
    counts = {
        s: sum(1 for r in reports for f in r.findings if f.severity == s)
        for s in ("error", "warning", "info")
    }
    doc = {
        "tool": "rackval",
        "version": __version__,
        "designs": designs,
        "errors": [_error(e) for e in errors],
        "summary": {"designs": len(reports), "invalid": invalid, **counts},
    }
    return json.dumps(doc, indent=2, sort_keys=False) + "\n"
