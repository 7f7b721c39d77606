"""Every example design is validated and its exact findings are pinned.

The golden files list each finding as ``severity rule [scenario] path``; a change to one
is a change to what rackval tells integrators about that build. Regenerate with
``RACKVAL_UPDATE_GOLDEN=1 python -m pytest tests/test_designs.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rackval.validate import validate

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = sorted((ROOT / "designs").glob("*.yaml"))
GOLDEN = Path(__file__).parent / "golden"


def _lines(design: Path) -> list[str]:
    report = validate(design)
    return [f"{f.severity} {f.rule} [{f.scenario}] {f.path}" for f in report.findings]


@pytest.mark.parametrize("design", DESIGNS, ids=lambda p: p.stem)
def test_exact_findings(design):
    golden = GOLDEN / f"{design.stem}.txt"
    lines = _lines(design)
    if os.environ.get("RACKVAL_UPDATE_GOLDEN") == "1":
        golden.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert golden.read_text(encoding="utf-8").splitlines() == lines


@pytest.mark.parametrize(
    ("stem", "errors"),
    [("dgx-h100-pair", 0), ("dgx-b200-failover", 4), ("gb200-nvl72", 0), ("storage-network", 0)],
)
def test_only_the_failover_example_has_errors(stem, errors):
    report = validate(ROOT / "designs" / f"{stem}.yaml")
    assert sum(f.severity == "error" for f in report.findings) == errors


def test_failover_example_passes_in_normal_operation():
    report = validate(ROOT / "designs" / "dgx-b200-failover.yaml", scenarios="normal")
    assert not [f for f in report.findings if f.severity != "info"]
