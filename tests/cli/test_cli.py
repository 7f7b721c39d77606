"""The command line as integrators and CI use it: outputs, options and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rackval.cli import cli

ROOT = Path(__file__).resolve().parents[2]
FAILOVER = str(ROOT / "designs" / "dgx-b200-failover.yaml")
CLEAN = str(ROOT / "designs" / "dgx-h100-pair.yaml")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((CLEAN,), 0),
        ((FAILOVER,), 1),
        ((FAILOVER, "--exit-zero"), 0),
        ((FAILOVER, "--scenarios", "normal"), 0),
        ((FAILOVER, "--ignore", "RV-PWR"), 0),
        ((FAILOVER, "--select", "RV-FIT,RV-DEN"), 0),
        ((FAILOVER, "--select", "RV-PWR-001"), 1),
        ((CLEAN, "--fail-on", "info"), 1),  # CAT-001 infos
        ((CLEAN, "--fail-on", "warning"), 0),
        ((FAILOVER, "--scenarios", "nonsense"), 2),
        ((FAILOVER, "--select", "RV-XYZ"), 2),
        ((str(ROOT / "designs"),), 1),
    ],
)
def test_exit_codes(args, code):
    assert invoke("validate", *args).exit_code == code


def test_text_lines_carry_location_rule_and_scenario():
    out = invoke("validate", FAILOVER).output
    line = next(x for x in out.splitlines() if "RV-PWR-001" in x and "feed-lost:A" in x)
    assert line.startswith("designs/dgx-b200-failover.yaml:") or "dgx-b200-failover.yaml:" in line
    assert "error RV-PWR-001 [feed-lost:A] power.feeds[B1]:" in line
    assert "79.6 A" in line
    assert out.splitlines()[-1].startswith("1 design checked: 4 errors")


def test_json_has_findings_and_results():
    result = invoke("validate", FAILOVER, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    design = doc["designs"][0]
    assert design["scenarios"] == ["normal", "feed-lost:A", "feed-lost:B"]
    finding = next(f for f in design["findings"] if f["rule"] == "RV-PWR-001")
    assert finding["line"] > 0 and finding["file"].endswith("dgx-b200-failover.yaml")
    assert finding["value"] == pytest.approx(57_200 / (3**0.5 * 415))
    results = design["results"]["feed-lost:A"]
    assert results["feeds"]["A1"]["live"] is False
    assert results["feeds"]["B1"]["line_current_a"] == pytest.approx([79.58] * 3, abs=0.01)
    assert results["devices"]["r01-n01"]["live_psus"] == 3
    assert results["racks"]["r01"]["power_w"] == pytest.approx(57_200)
    assert doc["summary"]["error"] == 4


def test_typical_load_basis_changes_the_results():
    doc = json.loads(invoke("validate", CLEAN, "--format", "json", "--load", "typical").stdout)
    assert doc["designs"][0]["results"]["normal"]["load_basis"] == "typical"


def test_results_table():
    out = invoke("validate", FAILOVER, "--results").output
    assert "scenario feed-lost:A (load: max)" in out
    assert "B1         feed  yes   57.20  79.6  79.6  79.6" in out


def test_named_scenarios():
    doc = json.loads(
        invoke(
            "validate", FAILOVER, "--format", "json", "--scenarios", "normal,pdu-lost:r01-pdu-a"
        ).stdout
    )
    assert doc["designs"][0]["scenarios"] == ["normal", "pdu-lost:r01-pdu-a"]


def test_rules_and_explain():
    out = invoke("rules").output
    assert "RV-PWR-001  feed-overload" in out
    page = invoke("explain", "RV-PWR-001").output
    assert page.startswith("# RV-PWR-001 feed-overload")
    assert "## Limit" in page
    assert invoke("explain", "feed-overload").output == page
    assert invoke("explain", "RV-ZZZ-999").exit_code == 2


def test_parts_search_and_show():
    out = invoke("parts", "dgx", "h100").output
    assert "nvidia-dgx-h100" in out and "nvidia-dgx-b200" not in out
    shown = invoke("parts", "show", "nvidia-dgx-b200").output
    assert "max: 14.3 kW" in shown and "psus_required: 5" in shown
    assert "source: NVIDIA DGX B200 User Guide" in shown
    bad = invoke("parts", "show", "nvidia-dgx-b20")
    assert bad.exit_code == 2 and "did you mean" in bad.output
    assert invoke("parts", "no-such-thing-anywhere").exit_code == 1


def test_parts_import(tmp_path):
    src = ROOT / "tests" / "data" / "netbox"
    result = invoke("parts", "import", str(src), "--to", str(tmp_path))
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.glob("*.yaml"))
    assert len(written) >= 5
    assert "incomplete" in result.output


def test_schema_command():
    doc = json.loads(invoke("schema").output)
    assert doc["title"].startswith("rackval design")
    assert "racks" in doc["properties"]


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rackval", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
        timeout=120,
    )


def test_version():
    result = run("--version")
    assert result.returncode == 0 and "rackval" in result.stdout


def test_stdout_has_results_only_and_errors_go_to_stderr(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rackval: 1\nname: x\nracks: [{id: r1, part: nope}]\n")
    result = run("validate", CLEAN, str(bad), "--format", "json")
    assert result.returncode == 2
    doc = json.loads(result.stdout)  # stdout stays valid JSON
    assert doc["summary"]["invalid"] == 1
    assert "unknown part 'nope'" in result.stderr


def test_internal_error_is_one_line_and_debug_shows_traceback(tmp_path, monkeypatch):
    # a bug inside rackval (simulated by replacing validate_design) must not leak a traceback
    script = (
        "import rackval.validate as v\n"
        "def boom(*a, **k):\n    raise RuntimeError('kaboom')\n"
        "v.validate_design = boom\n"
        f"import rackval.cli as c\nc.main(['validate', {CLEAN!r}])\n"
    )
    plain = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert plain.returncode == 2
    assert plain.stderr.strip().count("\n") == 0
    assert "internal error: RuntimeError: kaboom" in plain.stderr
    debug = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "RACKVAL_DEBUG": "1"},
    )
    assert debug.returncode == 2 and "Traceback" in debug.stderr


def test_include_merges_files(tmp_path):
    (tmp_path / "power.yaml").write_text(
        "power:\n  feeds:\n    - {id: A1, side: A, voltage: 415 V, breaker: 60 A}\n"
        "    - {id: B1, side: B, voltage: 415 V, breaker: 60 A}\n"
    )
    (tmp_path / "racks").mkdir()
    (tmp_path / "racks" / "r01.yaml").write_text(
        "racks:\n  - id: r01\n    part: apc-ar3357\n    pdus:\n"
        "      - {id: pa, part: raritan-px3-5878i2r-p1q1r1a5d5, feed: A1}\n"
        "      - {id: pb, part: raritan-px3-5878i2r-p1q1r1a5d5, feed: B9}\n"
    )
    main = tmp_path / "site.yaml"
    main.write_text("rackval: 1\nname: split\ninclude: [power.yaml, racks/*.yaml]\n")
    result = run("validate", str(main))
    assert result.returncode == 2
    # the dangling reference is reported in the included file, naming where feeds live
    assert "r01.yaml:6:" in result.stderr and "power.yaml:2:" in result.stderr
    (tmp_path / "racks" / "r01.yaml").write_text(
        (tmp_path / "racks" / "r01.yaml").read_text().replace("B9", "B1")
    )
    ok = run("validate", str(tmp_path))  # a directory: included fragments are not run alone
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 design checked" in ok.stdout


def test_unsolvable_loop_is_a_clear_error_and_other_designs_still_run(monkeypatch):
    # a singular or non-converging loop (simulated) makes that design invalid (exit 2),
    # names the loop, and the other designs are still validated
    from rackval.errors import SolverError
    from rackval.solve import hydraulics

    def fail(network, *, name="loop", **kwargs):
        raise SolverError(f"loop '{name}': did not converge in 100 iterations (residual 0.1)")

    monkeypatch.setattr(hydraulics, "solve", fail)
    pod = str(ROOT / "tests" / "data" / "loops" / "pod.yaml")
    result = CliRunner().invoke(cli, ["validate", pod, CLEAN], catch_exceptions=False)
    assert result.exit_code == 2
    assert "pod.yaml: error: loop 'tcs-1': did not converge" in result.output
    assert "2 designs checked, 1 invalid" in result.output


def test_unknown_scenario_is_a_usage_error():
    result = invoke("validate", FAILOVER, "--scenarios", "pump-lost")
    assert result.exit_code == 2 and "unknown scenario 'pump-lost'" in result.output


def test_json_carries_loop_figures():
    pod = str(ROOT / "tests" / "data" / "loops" / "pod.yaml")
    doc = json.loads(invoke("validate", pod, "--format", "json", "--select", "RV-LIQ").stdout)
    results = doc["designs"][0]["results"]
    loop = results["normal"]["loops"]["tcs-1"]
    assert loop["solved"] and loop["heat_w"] == pytest.approx(64_000)
    assert loop["supply_temperature_k"] == pytest.approx(305.15)
    assert sum(loop["device_flow_m3_s"].values()) == pytest.approx(
        sum(loop["pump_flow_m3_s"].values()), rel=1e-6
    )
    assert set(loop["rack_flow_m3_s"]) == {"r01", "r02"}
    assert loop["approach_k"] == pytest.approx(32.0 - 25.0)  # set-point held: 32 − 25 °C
    assert loop["case_temperature_k"]["r01-n01"] == pytest.approx(305.15 + 1000 * 0.03)
    lost = results["cdu-lost:cdu-1"]["loops"]["tcs-1"]
    assert "cdu-1" not in lost["pump_flow_m3_s"]
    assert results["facility-water-lost:tcs-1"]["loops"]["tcs-1"]["ride_through_s"] == (
        pytest.approx(150.2, abs=0.1)
    )
    assert results["pumps-lost:tcs-1"]["loops"]["tcs-1"]["solved"] is False


def test_results_table_has_the_loop_line():
    pod = str(ROOT / "tests" / "data" / "loops" / "pod.yaml")
    out = invoke("validate", pod, "--results", "--select", "RV-LIQ").output
    assert "loop tcs-1: 64.0 kW, supply 32.0 °C, return 36.2 °C; pumps cdu-1 115 L/min" in out
    assert "loop tcs-1: not solved (every pump of the loop is stopped)" in out
