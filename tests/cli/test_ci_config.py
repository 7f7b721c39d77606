"""Configuration, suppressions, waivers and baselines as a CI pipeline uses them."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import rackval.waivers
from rackval.cli import cli
from rackval.config import ConfigError, find_config, load_config
from rackval.design.resolve import load_design
from rackval.validate import validate_design

ROOT = Path(__file__).resolve().parents[2]
FAILOVER = ROOT / "designs" / "dgx-b200-failover.yaml"
CLEAN = ROOT / "designs" / "dgx-h100-pair.yaml"
B1_LINE = "    - {id: B1, side: B, voltage: 415 V, phases: 3, wiring: wye, breaker: 60 A, max_utilization: 80 %}"  # noqa: E501


def run_cli(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project directory with two example designs, as the working directory."""
    (tmp_path / "designs").mkdir()
    shutil.copy(FAILOVER, tmp_path / "designs")
    shutil.copy(CLEAN, tmp_path / "designs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rules_in(output: str) -> set[str]:
    return {w for line in output.splitlines() for w in line.split() if w.startswith("RV-")}


# --------------------------------------------------------------------- configuration


def test_config_file_then_command_line(project):
    (project / "rackval.toml").write_text('select = ["RV-FIT", "RV-DEN"]\nfail-on = "warning"\n')
    result = run_cli("validate")  # paths default to designs/; config selects FIT + DEN
    assert result.exit_code == 0, result.output
    assert rules_in(result.stdout) <= {"RV-FIT-003", "RV-FIT-005"}  # CAT infos are off too
    cli_wins = run_cli("validate", "--select", "RV-PWR")
    assert cli_wins.exit_code == 1  # PWR-003 warnings fail with the config's fail-on
    assert rules_in(cli_wins.stdout) == {"RV-PWR-001", "RV-PWR-002", "RV-PWR-003"}
    assert run_cli("validate", "--select", "RV-PWR", "--fail-on", "error").exit_code == 1
    assert run_cli("validate", "--isolated", "--select", "RV-FIT").exit_code == 0


def test_pyproject_is_found_upward_and_rackval_toml_wins(project, monkeypatch):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.rackval]\nscenarios = ["normal"]\n'
    )
    sub = project / "designs"
    monkeypatch.chdir(sub)
    assert find_config() == project / "pyproject.toml"
    assert load_config(project / "pyproject.toml").scenarios == ("normal",)
    assert run_cli("validate", "dgx-b200-failover.yaml").exit_code == 0  # normal only
    (sub / "rackval.toml").write_text('[tool.rackval]\nscenarios = "n-1"\n')
    assert find_config() == sub / "rackval.toml"
    assert run_cli("validate", "dgx-b200-failover.yaml").exit_code == 1


def test_pyproject_without_the_table_is_passed_over(tmp_path, monkeypatch):
    (tmp_path / "rackval.toml").write_text('load = "typical"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(sub)
    assert find_config() == tmp_path / "rackval.toml"
    assert load_config(find_config()).load == "typical"


def test_per_file_ignores(project):
    (project / "rackval.toml").write_text(
        '[tool.rackval]\nper-file-ignores = { "designs/dgx-b200-*.yaml" = ["RV-PWR"] }\n'
    )
    result = run_cli("validate", "designs/", "--fail-on", "warning")
    assert result.exit_code == 0, result.output
    assert not any("RV-PWR" in x for x in result.stdout.splitlines())
    # the other design is still checked for power: its pattern does not match
    other = run_cli("validate", "designs/dgx-h100-pair.yaml", "--select", "RV-PWR", "-j", "1")
    assert "0 errors" in other.stdout
    assert load_config(project / "rackval.toml").ignored_for(
        str(project / "designs" / "dgx-b200-failover.yaml")
    ) == ("RV-PWR",)


@pytest.mark.parametrize(
    ("text", "key", "line", "words"),
    [
        ('fail-on = "error"\nselct = ["RV-PWR"]\n', "selct", 2, "did you mean 'select'"),
        ('[tool.rackval]\nfail_on = "error"\n', "fail_on", 2, "did you mean 'fail-on'"),
        ('fail-on = "fatal"\n', "fail-on", 1, "expected one of error, warning, info"),
        ('jobs = "two"\n', "jobs", 1, "whole number"),
        ('select = ["RV-XYZ"]\n', "", 0, "no rule matches 'RV-XYZ'"),
        ("select = [\n", "", 0, "not valid TOML"),
    ],
)
def test_bad_config_is_exit_2_with_the_file_and_key(project, text, key, line, words):
    (project / "rackval.toml").write_text(text)
    result = run_cli("validate")
    assert result.exit_code == 2
    assert "rackval.toml" in result.stderr and words in result.stderr
    if key:
        assert f"rackval.toml:{line}: error: '{key}'" in result.stderr
        with pytest.raises(ConfigError) as exc:
            load_config(project / "rackval.toml")
        assert exc.value.key == key and exc.value.line == line


# ----------------------------------------------------------------------- suppressions


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_inline_suppression_with_and_without_reason(project):
    design = project / "designs" / "dgx-b200-failover.yaml"
    text = design.read_text()
    design.write_text(_with(text, B1_LINE, B1_LINE + "  # rackval: ignore[RV-PWR-001]"))
    unreasoned = run_cli("validate", design, "--select", "RV-PWR-001,RV-SUP")
    assert unreasoned.exit_code == 1
    assert "warning RV-SUP-001 [normal] ignore[RV-PWR-001]: suppression without a reason" in (
        unreasoned.stdout
    )
    assert "error RV-PWR-001 [feed-lost:A] power.feeds[B1]" in unreasoned.stdout  # not applied
    design.write_text(_with(text, B1_LINE, B1_LINE + "  # rackval: ignore[RV-PWR-001] B1 → 100 A"))
    reasoned = run_cli("validate", design, "--select", "RV-PWR-001,RV-SUP")
    assert "RV-SUP-001" not in reasoned.stdout
    assert "[feed-lost:A] power.feeds[B1]" not in reasoned.stdout
    assert "[feed-lost:B] power.feeds[A1]" in reasoned.stdout  # A1 is on another line
    assert "(1 suppressed)" in reasoned.stdout.splitlines()[-1]
    doc = json.loads(run_cli("validate", design, "--format", "json").stdout)
    (waived,) = doc["designs"][0]["suppressed"]
    assert waived["suppressed"] == {
        "kind": "inline",
        "reason": "B1 → 100 A",
        "owner": None,
        "expires": None,
    }


def test_suppressed_findings_do_not_count_for_the_exit_code(project):
    design = project / "designs" / "dgx-b200-failover.yaml"
    design.write_text(
        _with(
            design.read_text(),
            "racks:\n",
            "waivers:\n  - {rule: RV-PWR, target: power.feeds, reason: upgraded,"
            " expires: 2999-01-01}\n  - {rule: RV-PWR, target: 'racks[r01]', reason: upgraded,"
            " owner: ops,"
            " expires: 2999-01-01}\nracks:\n",
        )
    )
    result = run_cli("validate", design)
    assert result.exit_code == 0, result.output
    assert "(12 suppressed)" in result.stdout


def test_waiver_expiry_by_a_fixed_clock():
    text = FAILOVER.read_text().replace(
        "racks:\n",
        "waivers:\n  - rule: RV-PWR-001\n    target: power.feeds\n    reason: temporary feed\n"
        "    owner: ops\n    expires: 2027-03-31\nracks:\n",
        1,
    )
    path = ROOT / "tests" / "data" / "ci" / "_expiring.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        design = load_design(path)
        (waiver,) = design.waivers
        assert waiver.where.line == text.splitlines().index("waivers:") + 2
        last_day = validate_design(design, select=("RV-PWR-001", "RV-SUP"), today=date(2027, 3, 31))
        assert last_day.findings == [] and len(last_day.suppressed) == 2
        assert last_day.suppressed[0].suppressed.expires == "2027-03-31"
        after = validate_design(design, select=("RV-PWR-001", "RV-SUP"), today=date(2027, 4, 1))
        assert [f.rule for f in after.findings] == ["RV-PWR-001", "RV-PWR-001", "RV-SUP-001"]
        expired = after.findings[-1]
        assert expired.path == "waivers[0]" and expired.location == waiver.where
        assert "expired on 2027-03-31 (owner ops)" in expired.message
    finally:
        path.unlink()


def test_waivers_file_and_unused_entries(project, monkeypatch):
    monkeypatch.setattr(rackval.waivers, "today", lambda: date(2027, 1, 15))
    (project / "rackval.waivers.yaml").write_text(
        "waivers:\n"
        "  - design: designs/dgx-b200-*.yaml\n"
        "    rule: RV-PWR-002\n    target: racks[r01]\n    reason: PDUs replaced in Q2\n"
        "    owner: dc-ops\n    expires: 2027-06-30\n"
        "  - rule: RV-FIT-001\n    target: racks\n    reason: nothing overlaps\n"
        "    owner: dc-ops\n    expires: 2027-06-30\n"
        "  - rule: RV-PWR-001\n    target: power\n    reason: old\n    expires: 2027-01-14\n"
    )
    result = run_cli("validate", "designs/", "--format", "json")
    doc = json.loads(result.stdout)
    failover = next(d for d in doc["designs"] if d["name"] == "dgx-b200-failover")
    assert {f["rule"] for f in failover["suppressed"]} == {"RV-PWR-002"}
    sup = [f for d in doc["designs"] for f in d["findings"] if f["rule"] == "RV-SUP-001"]
    assert sorted((f["path"], f["line"]) for f in sup) == [("waivers[1]", 8), ("waivers[2]", 13)]
    assert all(f["file"].endswith("rackval.waivers.yaml") for f in sup)
    assert "expired on 2027-01-14" in next(f for f in sup if f["path"] == "waivers[2]")["message"]
    (project / "rackval.waivers.yaml").write_text("waivers:\n  - {rule: RV-PWR-001}\n")
    bad = run_cli("validate", "designs/")
    assert bad.exit_code == 2 and "rackval.waivers.yaml:2:5: error: waivers[0].target" in (
        bad.stderr
    )


# --------------------------------------------------------------------------- baseline


def test_baseline_round_trip_only_new_findings_fail(project):
    baseline = project / "rackval-baseline.json"
    written = run_cli("validate", "designs/", "--write-baseline", baseline)
    assert written.exit_code == 0
    assert "baseline of 18 findings written" in written.stderr
    entries = json.loads(baseline.read_text())["findings"]
    assert {e["design"] for e in entries} == {
        "designs/dgx-b200-failover.yaml",
        "designs/dgx-h100-pair.yaml",
    }
    assert not any("line" in e for e in entries)
    same = run_cli("validate", "designs/", "--baseline", baseline, "--fail-on", "info")
    assert same.exit_code == 0, same.stdout
    assert "(18 in the baseline, 0 new)" in same.stdout
    # a new finding (a rack power limit the rack exceeds); the inserted line moves every
    # old finding down one line, which must not make them new
    design = project / "designs" / "dgx-b200-failover.yaml"
    design.write_text(
        _with(design.read_text(), "  altitude: 0 m\n", "  altitude: 0 m\n  max_rack_power: 40 kW\n")
    )
    new = run_cli("validate", "designs/", "--baseline", baseline)
    assert new.exit_code == 1
    shown = [x for x in new.stdout.splitlines() if " RV-" in x]
    assert len(shown) == 1 and "error RV-DEN-001 [normal] racks[r01]" in shown[0]
    sarif = json.loads(
        run_cli("validate", "designs/", "--baseline", baseline, "--format", "sarif").stdout
    )
    states = {(r["ruleId"], r["baselineState"]) for r in sarif["runs"][0]["results"]}
    assert ("RV-DEN-001", "new") in states
    assert {s for rule, s in states if rule != "RV-DEN-001"} == {"unchanged"}
    github = run_cli("validate", "designs/", "--baseline", baseline, "--format", "github")
    assert github.stdout.count("::error") == 1 and github.stdout.count("::") == 2


def test_bad_baseline_is_exit_2(project):
    (project / "b.json").write_text('{"tool": "other"}')
    result = run_cli("validate", "designs/", "--baseline", "b.json")
    assert result.exit_code == 2 and "not a rackval baseline" in result.stderr


# ------------------------------------------------------------------------ pre-commit


def test_pre_commit_hook_skips_files_that_are_not_designs(project):
    import yaml_helpers

    (hook,) = yaml_helpers.read(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "rackval" and hook["language"] == "python"
    args = hook["entry"].split()
    assert args[:2] == ["rackval", "validate"]
    fragment = project / "designs" / "power.yaml"
    fragment.write_text("power:\n  feeds: []\n")
    files = [fragment, project / "designs" / "dgx-h100-pair.yaml"]
    result = run_cli(*args[1:], *files)  # as pre-commit passes the changed files
    assert result.exit_code == 0, result.output
    assert "1 design checked" in result.stdout
    assert run_cli("validate", fragment).exit_code == 2  # named alone, it is not a design
