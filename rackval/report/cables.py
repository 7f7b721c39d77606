"""Renderers of the cable schedule (``rackval cables``): CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..fabric.schedule import FIELDS

__all__ = ["render_cables_csv", "render_cables_json"]


def render_cables_csv(rows: list[dict[str, Any]]) -> str:
    """The schedule as CSV with a header row; unknown values are empty cells."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row[k] is None else row[k] for k in FIELDS})
    return out.getvalue()


def render_cables_json(design_name: str, rows: list[dict[str, Any]]) -> str:
    """The schedule as JSON: ``{"design": name, "cables": [rows]}``."""
    return json.dumps({"design": design_name, "cables": rows}, indent=2) + "\n"
