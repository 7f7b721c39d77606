"""The floor-plan SVG: what it draws, the CLI option, and the committed example."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from rackval.cli import cli
from rackval.report.floorplan import COLOURS, floorplan_svg, rack_severities
from rackval.rules.base import Finding
from rackval.validate import validate

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"

# a01 faces north (front y = 2.0), b01 south (front y = 3.2): a 1.2 m cold aisle;
# c01 faces east with its rear 0.3 m from the west wall (RV-LAY-003 error)
DESIGN = """\
rackval: 1
name: plan
site:
  hall:
    outline: [[0 m, 0 m], [8 m, 0 m], [8 m, 6 m], [0 m, 6 m]]
    obstacles: [{id: col-1, outline: [[6 m, 4 m], [6.5 m, 4 m], [6.5 m, 4.5 m], [6 m, 4.5 m]]}]
racks:
  - {id: a01, part: apc-ar3300, position: {x: 2 m, y: 2 m, facing: north}}
  - {id: b01, part: apc-ar3300, position: {x: 2 m, y: 3.2 m, facing: south}}
  - {id: c01, part: apc-ar3300, position: {x: 1.5 m, y: 5 m, facing: east}}
  - {id: d01, part: apc-ar3300}
"""


@pytest.fixture
def design_file(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(DESIGN, encoding="utf-8")
    return path


def _svg(path):
    report = validate(path, select=("RV-LAY",), scenarios="normal")
    return report, ET.fromstring(floorplan_svg(report.design, report.findings))


def test_racks_are_coloured_by_their_worst_finding(design_file):
    report, root = _svg(design_file)
    assert {(f.rule, f.path) for f in report.findings} == {("RV-LAY-003", "racks[c01]")}
    labels = {t.text: t for t in root.iter(f"{SVG}text")}
    assert {"a01", "b01", "c01"} <= set(labels)
    assert "d01" not in labels  # no position: not drawn, named in the legend
    assert any("not drawn" in (t.text or "") and "d01" in t.text for t in root.iter(f"{SVG}text"))
    fills = [p.get("fill") for p in root.iter(f"{SVG}polygon") if p.get("class") == "rack"]
    assert sorted(fills) == sorted([COLOURS["error"], COLOURS[""], COLOURS[""]])  # c01; a01, b01


def test_front_edges_aisles_and_scale(design_file):
    _, root = _svg(design_file)
    heavy = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-width") == "3.5"]
    assert len(heavy) == 3 + 1  # one front edge per drawn rack, one in the legend
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "cold aisle 1.20 m" in texts
    assert "col-1" in texts
    assert "1 m" in texts  # scale bar: a fifth of the 8 m hall, rounded down to 1, 2 or 5 m
    # the hall outline is 8 m wide: 900 px, so a01's front edge (0.6 m) is 67.5 px long
    a01 = heavy[0]
    length = abs(float(a01.get("x2")) - float(a01.get("x1")))
    assert length == pytest.approx(0.6 * 900 / 8, abs=0.2)  # ends rounded to 0.1 px


def test_front_edge_is_on_the_facing_side(design_file):
    _, root = _svg(design_file)
    heavy = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-width") == "3.5"]
    # c01 faces east: its front edge is vertical, at x = 1.5 m -> 30 + 1.5 × 112.5 px
    c01 = heavy[2]
    assert c01.get("x1") == c01.get("x2") == f"{30 + 1.5 * 112.5:.1f}"


def test_rack_severities_take_the_worst():
    def f(path, severity):
        return Finding("RV-X", severity, "normal", path, "")

    worst = rack_severities(
        [f("racks[r1].devices[d]", "info"), f("racks[r1]", "warning"), f("power.feeds[A]", "error")]
    )
    assert worst == {"r1": "warning"}


def test_no_hall_is_an_error(tmp_path):
    path = tmp_path / "nohall.yaml"
    path.write_text("rackval: 1\nname: x\nracks: [{id: r1, part: apc-ar3300}]\n", encoding="utf-8")
    report = validate(path, select=("RV-LAY",), scenarios="normal")
    with pytest.raises(ValueError, match="site.hall"):
        floorplan_svg(report.design, report.findings)
    result = CliRunner().invoke(
        cli, ["validate", str(path), "--floorplan", str(tmp_path / "x.svg")]
    )
    assert result.exit_code == 2
    assert "site.hall" in result.output


def test_cli_writes_the_floorplan(design_file, tmp_path):
    out = tmp_path / "plan.svg"
    result = CliRunner().invoke(
        cli, ["validate", str(design_file), "--select", "RV-LAY", "--floorplan", str(out)]
    )
    assert result.exit_code == 1, result.output  # the clearance error
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert root.tag == f"{SVG}svg"


def test_cli_floorplan_needs_one_design(design_file, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(DESIGN.replace("name: plan", "name: other"), encoding="utf-8")
    out = tmp_path / "plan.svg"
    result = CliRunner().invoke(
        cli, ["validate", str(design_file), str(other), "--floorplan", str(out)]
    )
    assert result.exit_code == 2
    assert "one design" in result.output
    assert not out.exists()


def test_committed_example_is_current():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "tools" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    committed = gen.FLOORPLAN.with_suffix(".svg").read_text(encoding="utf-8")
    assert committed == gen.floorplan_text(), "run: python tools/generate.py"
