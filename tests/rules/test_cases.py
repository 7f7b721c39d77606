"""Data-driven rule cases: ``tests/rules/cases/<ID>.yaml`` (one test per case).

Each case names a design (a file under the repository, a variant of one made by exact
``replace`` pairs, or an ``inline`` design), the
scenarios to run and the findings of the rule it must produce, as (rule, scenario,
path) triples; the set must match exactly, so a rule that fires too often fails too.
An expected finding may also give its ``severity``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml_helpers

from rackval.rules import RULES
from rackval.validate import validate

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def _collect():
    for file in CASES:
        spec = yaml_helpers.read(file)
        for name, case in spec["cases"].items():
            yield pytest.param(spec["rule"], case, id=f"{spec['rule']}:{name}")


@pytest.mark.parametrize(("rule_id", "case"), list(_collect()))
def test_rule_case(rule_id, case, tmp_path):
    if "inline" in case:
        design = tmp_path / "case.yaml"
        design.write_text(case["inline"], encoding="utf-8")
    elif "replace" in case:  # a variant of a design: exact text replacements
        text = (ROOT / case["design"]).read_text(encoding="utf-8")
        for old, new in case["replace"]:
            assert old in text, f"{old!r} not in {case['design']}"
            text = text.replace(old, new)
        design = tmp_path / "case.yaml"
        design.write_text(text, encoding="utf-8")
    else:
        design = ROOT / case["design"]
    select = tuple(case.get("select", [rule_id]))
    report = validate(
        design, select=select, scenarios=case.get("scenarios", "n-1"), load=case.get("load", "max")
    )
    got = sorted((f.rule, f.scenario, f.path) for f in report.findings if f.rule == rule_id)
    want = sorted((e["rule"], e.get("scenario", "normal"), e["path"]) for e in case["expect"])
    assert got == want, "\n".join(str(f) for f in report.findings)
    severities = {(f.scenario, f.path): f.severity for f in report.findings if f.rule == rule_id}
    for e in case["expect"]:
        if "severity" in e:  # optional: the severity of that finding
            assert severities[(e.get("scenario", "normal"), e["path"])] == e["severity"], e


def test_every_rule_has_cases():
    ids = {f.stem for f in CASES}
    assert set(RULES) <= ids, f"rules without cases: {sorted(set(RULES) - ids)}"


@pytest.mark.parametrize("file", CASES, ids=lambda p: p.stem)
def test_each_rule_passes_and_fails(file):
    spec = yaml_helpers.read(file)
    outcomes = {bool(case["expect"]) for case in spec["cases"].values()}
    assert outcomes == {True, False}, f"{file.name} needs a passing and a failing case"
