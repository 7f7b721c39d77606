"""Every example design is validated and its exact findings are pinned.

The golden files list each finding as ``severity rule [scenario] path``; a change to one
is a change to what rackval tells integrators about that build. Regenerate with
``RACKVAL_UPDATE_GOLDEN=1 python -m pytest tests/test_designs.py`` and review the diff.
"""

from __future__ import annotations

import os
from collections import Counter
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
    [
        ("dgx-h100-pair", 0),
        ("dgx-b200-failover", 4),
        ("gb200-nvl72", 0),
        ("storage-network", 0),
        ("hall-b200-gb200", 0),
        ("hall-a1-recirculation", 0),
        ("hall-air-unit-lost", 2),
        ("hall-narrow-aisle", 10),
        ("hall-rack-on-column", 1),
        ("hall-rack-reversed", 1),
        ("superpod-su", 0),
        ("superpod-su-as-built", 0),
        ("superpod-su-oversubscribed", 8),
        ("superpod-su-dac-reach", 256),
        ("superpod-su-wrong-rail", 2),
        ("superpod-su-single-uplink", 1),
        ("gb200-pod-fabric", 0),
    ],
)
def test_error_counts_of_the_examples(stem, errors):
    report = validate(ROOT / "designs" / f"{stem}.yaml")
    assert sum(f.severity == "error" for f in report.findings) == errors


def test_failover_example_passes_in_normal_operation():
    report = validate(ROOT / "designs" / "dgx-b200-failover.yaml", scenarios="normal")
    assert not [f for f in report.findings if f.severity != "info"]


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("hall-a1-recirculation", {("RV-AIR-001", "normal"): 10}),  # every B200 rack: warning
        (
            "hall-air-unit-lost",
            {("RV-AIR-003", "air-unit-lost"): 1, ("RV-AIR-005", "air-unit-lost"): 1},
        ),
        ("hall-narrow-aisle", {("RV-LAY-003", "normal"): 10}),  # every rack of row B
        ("hall-rack-on-column", {("RV-LAY-002", "normal"): 1}),
        ("hall-rack-reversed", {("RV-LAY-004", "normal"): 1}),
    ],
)
def test_each_hall_variant_fails_for_its_reason(stem, expected):
    """What a variant adds to the base hall (besides the DGX B200 throttling warnings of
    its racks on a lost feed side, RV-PWR-003, and info findings) is exactly its fault."""
    base_report = validate(ROOT / "designs" / "hall-b200-gb200.yaml")
    base = {(f.rule, f.scenario, f.path) for f in base_report.findings}
    report = validate(ROOT / "designs" / f"{stem}.yaml")
    new = Counter(
        (f.rule, f.scenario)
        for f in report.findings
        if (f.rule, f.scenario, f.path) not in base
        and f.severity != "info"
        and f.rule != "RV-PWR-003"
    )
    assert new == Counter(expected)


@pytest.mark.parametrize(
    ("stem", "base", "expected"),
    [
        ("superpod-su-as-built", "superpod-su", {}),
        ("superpod-su-oversubscribed", "superpod-su", {("RV-NET-003", "normal"): 8}),
        ("superpod-su-dac-reach", "superpod-su", {("RV-NET-007", "normal"): 256}),
        ("superpod-su-wrong-rail", "superpod-su-as-built", {("RV-NET-006", "normal"): 2}),
        ("superpod-su-single-uplink", "superpod-su-as-built", {("RV-NET-003", "normal"): 1}),
    ],
)
def test_each_fabric_variant_fails_for_its_reason(stem, base, expected):
    """What a SuperPOD SU variant adds to its base (besides info findings) is its fault."""
    known = {
        (f.rule, f.scenario, f.path) for f in validate(ROOT / "designs" / f"{base}.yaml").findings
    }
    report = validate(ROOT / "designs" / f"{stem}.yaml")
    new = Counter(
        (f.rule, f.scenario)
        for f in report.findings
        if (f.rule, f.scenario, f.path) not in known and f.severity != "info"
    )
    assert new == Counter(expected)


def test_the_superpod_su_is_one_to_one_with_full_bisection():
    """Hand calculation: each leaf has 32 × 400G down and 32 × 400G up (1:1); the two
    halves of the 32 nodes exchange 16 nodes × 8 rails × 400 Gb/s = 51.2 Tb/s."""
    report = validate(ROOT / "designs" / "superpod-su.yaml", scenarios="normal")
    fabric = report.solutions["normal"].fabric.fabrics["compute"]
    leaves = {k: v for k, v in fabric.switches.items() if k.startswith("leaf-")}
    assert len(leaves) == 8
    for load in leaves.values():
        assert load.down == pytest.approx(32 * 400e9)
        assert load.up == pytest.approx(32 * 400e9)
    assert fabric.bisection == pytest.approx(16 * 8 * 400e9)
