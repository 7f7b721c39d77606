"""Bad hall geometry is an invalid design: one message with file:line:column, exit 2.

Run through the real command in a subprocess, as tests/cli/test_bad_input.py does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = """\
rackval: 1
name: bad-hall
site:
  hall:
    outline: [[0 m, 0 m], [12 m, 0 m], [12 m, 8 m], [0 m, 8 m]]
    obstacles:
      - {id: col-1, outline: [[6 m, 4 m], [6.5 m, 4 m], [6.5 m, 4.5 m], [6 m, 4.5 m]]}
racks:
  - id: r01
    part: apc-ar3300
    position: {x: 2 m, y: 2 m, facing: north}
"""


def run(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("RACKVAL_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "rackval", "validate", str(path), "--select", "RV-LAY"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_base_is_valid(tmp_path):
    path = tmp_path / "design.yaml"
    path.write_text(BASE, encoding="utf-8")
    result = run(path)
    assert result.returncode == 0, result.stdout + result.stderr


CASES = {
    # name: (replacement of BASE text, line:column, expected words)
    "self-intersecting-outline": (
        (
            "[[0 m, 0 m], [12 m, 0 m], [12 m, 8 m], [0 m, 8 m]]",
            "[[0 m, 0 m], [12 m, 8 m], [12 m, 0 m], [0 m, 8 m]]",
        ),
        "5:5",
        ["site.hall.outline", "crosses itself"],
    ),
    "rack-entirely-outside": (
        ("{x: 2 m, y: 2 m,", "{x: 2000 m, y: 2 m,"),
        "11:5",
        ["racks[r01].position", "entirely outside", "units"],
    ),
    "zero-area-obstacle": (
        (
            "[[6 m, 4 m], [6.5 m, 4 m], [6.5 m, 4.5 m], [6 m, 4.5 m]]",
            "[[6 m, 4 m], [6.5 m, 4 m], [7 m, 4 m]]",
        ),
        "7:21",
        ["site.hall.obstacles[0].outline", "no area"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_hall(tmp_path, name):
    (old, new), where, words = CASES[name]
    assert old in BASE
    path = tmp_path / "design.yaml"
    path.write_text(BASE.replace(old, new), encoding="utf-8")
    result = run(path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert f"design.yaml:{where}:" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_shapely_only_for_a_design_with_a_hall(tmp_path):
    plain = tmp_path / "plain.yaml"
    plain.write_text(
        "rackval: 1\nname: p\nracks: [{id: r01, part: apc-ar3300}]\n", encoding="utf-8"
    )
    hall = tmp_path / "hall.yaml"
    hall.write_text(BASE, encoding="utf-8")
    script = (
        "import sys\nfrom rackval.validate import validate\n"
        "validate(sys.argv[1])\nprint('shapely' in sys.modules)"
    )
    for path, expected in ((plain, "False"), (hall, "True")):
        out = subprocess.run(
            [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == expected, out.stderr
