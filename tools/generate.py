"""Regenerate the committed generated files: the JSON Schema, docs/rules/ and the
floor-plan example (docs/examples/floorplan.svg).

Run after changing the design schema or a rule docstring::

    python tools/generate.py

Tests check that the committed files are current.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "rackval" / "schemas" / "design-v1.json"
RULE_DOCS = ROOT / "docs" / "rules"
FLOORPLAN = ROOT / "docs" / "examples" / "floorplan.yaml"


def schema_text() -> str:
    """The JSON Schema of the design format as committed."""
    from rackval.design.schema import json_schema

    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def floorplan_text() -> str:
    """The floor plan of the example design with its layout and density findings."""
    from rackval.report.floorplan import floorplan_svg
    from rackval.validate import validate

    report = validate(FLOORPLAN, select=("RV-LAY", "RV-DEN"), scenarios="normal")
    return floorplan_svg(report.design, report.findings)


def main() -> None:
    """Write every generated file."""
    from rackval.rules.docs import write_rule_docs

    SCHEMA.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA.write_text(schema_text(), encoding="utf-8")
    for old in RULE_DOCS.glob("*.md"):
        old.unlink()
    for path in write_rule_docs(RULE_DOCS):
        print(path.relative_to(ROOT))
    print(SCHEMA.relative_to(ROOT))
    svg = FLOORPLAN.with_suffix(".svg")
    svg.write_text(floorplan_text(), encoding="utf-8")
    print(svg.relative_to(ROOT))


if __name__ == "__main__":
    main()
