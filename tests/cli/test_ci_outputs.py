"""CI outputs: every format pinned by a golden file, SARIF against the official schema,
JUnit names, GitHub escaping, ``--output``, ``--format auto`` and ``--jobs``.

Golden files live in ``tests/golden/ci/``; the run time in them is normalised. Regenerate
with ``RACKVAL_UPDATE_GOLDEN=1 python -m pytest tests/cli/test_ci_outputs.py`` and review
the diff: a change there is a change to what CI systems read.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from rackval.cli import cli
from rackval.errors import Location
from rackval.report.github import annotation, escape_data, escape_property
from rackval.rules import Finding

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "ci"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"
DESIGNS = [
    "designs/dgx-b200-failover.yaml",
    "designs/dgx-h100-pair.yaml",
    "designs/gb200-nvl72.yaml",
    "tests/data/ci/waived.yaml",
]
SELECT = ("--select", "RV-FIT,RV-PWR,RV-DEN,RV-CAT,RV-SCN,RV-SUP")
"""Goldens pin the output formats, not the rule catalog: a fixed set of rule areas."""
SUFFIX = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "github": "github"}


def normalise(text: str) -> str:
    """Replace the run time (summary line, JSON, JUnit) by fixed values."""
    text = re.sub(r" in \d+\.\d+ s$", " in 0.00 s", text, flags=re.MULTILINE)
    text = re.sub(r'"elapsed_s": [0-9.e-]+', '"elapsed_s": 0.0', text)
    return re.sub(r'(<testsuites name="rackval" time=")[0-9.]+"', r'\g<1>0.000"', text)


def run_cli(*args: str, **env: str):
    return CliRunner(env=env or None).invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_golden(fmt):
    result = run_cli("validate", *DESIGNS, *SELECT, "--format", fmt)
    assert result.exit_code == 1, result.output
    out = normalise(result.stdout)
    golden = GOLDEN / f"examples.{SUFFIX[fmt]}"
    if os.environ.get("RACKVAL_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def _sarif(*args: str) -> dict:
    return json.loads(run_cli("validate", *args, "--format", "sarif").stdout)


def test_sarif_is_valid_against_the_official_schema():
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    doc = _sarif(*DESIGNS)
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])


def test_sarif_rules_results_and_suppressions():
    run = _sarif(*DESIGNS)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for r in rules:
        assert (ROOT / "docs" / "rules" / f"{r['id']}.md").is_file()
        assert r["helpUri"].endswith(f"docs/rules/{r['id']}.md")
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert r["shortDescription"]["text"]
    results = run["results"]
    for res in results:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        loc = res["locations"][0]
        assert loc["logicalLocations"][0]["fullyQualifiedName"]
        assert loc["physicalLocation"]["region"]["startLine"] > 0
        assert res["properties"]["scenario"]
        assert len(res["partialFingerprints"]["rackval/v1"]) == 16
        assert "baselineState" not in res  # no --baseline
    feed = next(
        r
        for r in results
        if r["ruleId"] == "RV-PWR-001"
        and r["properties"]["scenario"] == "feed-lost:A"
        and "dgx-b200-failover" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    )
    assert feed["level"] == "error" and feed["suppressions"] == []
    assert feed["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "power.feeds[B1]"
    region = feed["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (24, 7)
    waived = [r for r in results if r["suppressions"]]
    kinds = {s["kind"] for r in waived for s in r["suppressions"]}
    assert kinds == {"inSource", "external"}
    inline = next(r for r in waived if r["suppressions"][0]["kind"] == "inSource")
    assert inline["ruleId"] == "RV-PWR-001"
    assert "100 A breaker" in inline["suppressions"][0]["justification"]
    external = next(r for r in waived if r["suppressions"][0]["kind"] == "external")
    assert external["ruleId"] == "RV-PWR-003"
    assert external["suppressions"][0]["properties"]["owner"] == "infra-team"


def test_json_matches_its_published_schema(tmp_path):
    schema = json.loads((ROOT / "rackval" / "schemas" / "report-v1.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    bad = tmp_path / "bad.yaml"
    bad.write_text("rackval: 1\nname: x\nracks: [{id: r1, part: nope}]\n")
    baseline = tmp_path / "baseline.json"
    run_cli("validate", DESIGNS[0], "--write-baseline", str(baseline))
    for args in ((*DESIGNS, str(bad)), (*DESIGNS, "--baseline", str(baseline))):
        doc = json.loads(run_cli("validate", *args, "--format", "json").stdout)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
        assert not errors, "\n".join(e.message for e in errors[:5])
    assert doc["summary"]["new"] > 0 and doc["format_version"] == 1


def test_junit_is_well_formed_with_unique_names():
    result = run_cli("validate", *DESIGNS, "--format", "junit")
    root = ET.fromstring(result.stdout)
    cases = root.findall("./testsuite/testcase")
    names = [c.get("name") for c in cases]
    assert len(names) == len(set(names))
    assert [s.get("name") for s in root.findall("testsuite")] == DESIGNS
    assert int(root.get("tests")) == len(cases)
    failures = [c for c in cases if c.find("failure") is not None]
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert int(root.get("failures")) == len(failures)
    assert int(root.get("skipped")) == len(skipped)
    failing = {c.get("name") for c in failures}
    assert "RV-PWR-001 feed-overload [feed-lost:A] designs/dgx-b200-failover.yaml" in failing
    assert "RV-PWR-001 feed-overload [normal] designs/dgx-b200-failover.yaml" not in failing
    assert "RV-SUP-001 unused-suppression [normal] tests/data/ci/waived.yaml" in failing
    # the waiver and the reasoned inline comment: those checks are skipped, not failed
    skipped_names = {c.get("name") for c in skipped}
    assert "RV-PWR-003 psu-redundancy [feed-lost:A] tests/data/ci/waived.yaml" in skipped_names
    assert "RV-PWR-001 feed-overload [feed-lost:B] tests/data/ci/waived.yaml" in skipped_names
    # every error or warning finding of the run is the failure text of one test case
    text = run_cli("validate", *DESIGNS, "--format", "text").stdout
    counted = [x for x in text.splitlines() if re.search(r": (error|warning) RV-", x)]
    in_failures = [x for c in failures for x in c.find("failure").text.splitlines()]
    assert sorted(in_failures) == sorted(counted)


def test_junit_reports_an_invalid_design_as_an_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rackval: 1\nname: x\nracks: [{id: r1, part: nope}]\n")
    result = run_cli("validate", str(bad), "--format", "junit")
    assert result.exit_code == 2
    case = ET.fromstring(result.stdout).find("./testsuite/testcase")
    assert case.find("error").get("type") == "invalid-design"
    assert "unknown part 'nope'" in case.find("error").text


def test_github_escaping():
    assert escape_data("100% ok\r\nnext") == "100%25 ok%0D%0Anext"
    assert escape_data("a:b,c") == "a:b,c"  # only properties escape ':' and ','
    assert escape_property("C:\\x,y%\n") == "C%3A\\x%2Cy%25%0A"
    f = Finding(
        rule="RV-PWR-001",
        severity="error",
        scenario="feed-lost:A",
        path="power.feeds[B1]",
        message="80 % load,\nover: 48 A",
        location=Location("dir,a/d:1.yaml", 24, 7),
        name="feed-overload",
    )
    assert annotation(f) == (
        "::error file=dir%2Ca/d%3A1.yaml,line=24,col=7,title=RV-PWR-001 feed-overload::"
        "[feed-lost:A] power.feeds[B1]: 80 %25 load,%0Aover: 48 A"
    )
    info = Finding("RV-CAT-001", "info", "normal", "racks[r01].part", "no mass", name="x")
    assert annotation(info) == "::notice title=RV-CAT-001 x::[normal] racks[r01].part: no mass"


def test_github_lines_are_the_counted_findings():
    lines = run_cli("validate", *DESIGNS, "--format", "github").stdout.splitlines()
    assert all(re.match(r"^::(error|warning|notice) file=", x) for x in lines)
    assert (
        "::error file=designs/dgx-b200-failover.yaml,line=24,col=7,"
        "title=RV-PWR-001 feed-overload::[feed-lost:A] power.feeds[B1]: line L1 carries 79.6 A"
    ) in "\n".join(lines)
    # suppressed findings are not annotated: waived.yaml's RV-PWR-003 warnings
    assert not any("waived.yaml" in x and "RV-PWR-003" in x for x in lines)


def test_format_auto_is_github_under_github_actions():
    out = run_cli("validate", DESIGNS[0], GITHUB_ACTIONS="true").stdout
    assert out.startswith("::")
    assert run_cli("validate", DESIGNS[0]).stdout.startswith("designs/dgx-b200-failover.yaml")


def test_several_outputs_in_one_run(tmp_path):
    sarif, junit = tmp_path / "r.sarif", tmp_path / "report.xml"
    result = run_cli(
        "validate", *DESIGNS[:2], "--format", "github", "--output", f"sarif={sarif}",
        "--output", f"junit={junit}",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout.startswith("::")
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert ET.parse(junit).getroot().tag == "testsuites"
    assert re.search(r"2 designs checked: 4 errors, 8 warnings, \d+ infos in", result.stderr)
    bad = run_cli("validate", DESIGNS[0], "--output", "pdf=x.pdf")
    assert bad.exit_code == 2 and "FORMAT=FILE" in bad.output


def test_text_groups_by_design_and_colours_only_on_request():
    from rackval.batch import Options, run_batch
    from rackval.report.text import render_text

    batch = run_batch(DESIGNS[:2], Options())
    plain = render_text(batch)
    assert "\x1b[" not in plain
    lines = plain.splitlines()
    assert lines[0] == (
        "designs/dgx-b200-failover.yaml (dgx-b200-failover): 4 errors, 8 warnings, 4 infos"
    )
    first = [x for x in lines if x.startswith("designs/dgx-b200-failover.yaml:")]
    scenarios = [re.search(r" \[(.*?)\] ", x).group(1) for x in first]
    # grouped by scenario, in the order they ran
    assert scenarios == sorted(scenarios, key=["normal", "feed-lost:A", "feed-lost:B"].index)
    assert "\x1b[1;31merror\x1b[0m RV-PWR-001" in render_text(batch, color=True)


def test_jobs_1_and_2_give_identical_output():
    args = [sys.executable, "-m", "rackval", "validate", "designs/", "--format", "json"]
    outs = [
        subprocess.run(
            [*args, "--jobs", jobs], capture_output=True, text=True, cwd=ROOT, timeout=300
        )
        for jobs in ("1", "2")
    ]
    assert outs[0].returncode == outs[1].returncode == 1, outs[1].stderr
    assert normalise(outs[0].stdout) == normalise(outs[1].stdout)
    assert len(json.loads(outs[0].stdout)["designs"]) >= 10


def test_progress_bar_only_on_a_terminal(monkeypatch):
    from rackval import cli as cli_module

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert cli_module._progress_bar(5) == (None, None)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert cli_module._progress_bar(1) == (None, None)  # one design: nothing to show
    bar, update = cli_module._progress_bar(5)
    assert not bar.live.is_started  # started by the first update, after workers fork
    update(3, 5)
    try:
        assert bar.live.is_started
        (task,) = bar.tasks
        assert (task.completed, task.total) == (3, 5)
    finally:
        bar.stop()
