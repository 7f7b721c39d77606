"""Every class of bad input: one clear message with file:line:column and field, exit 2.

Each test runs the real command in a subprocess, as a user or a CI job would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = """\
rackval: 1
name: bad-input-base
power:
  feeds:
    - {id: A1, side: A, voltage: 415 V, phases: 3, wiring: wye, breaker: 60 A}
    - {id: B1, side: B, voltage: 415 V, phases: 3, wiring: wye, breaker: 60 A}
racks:
  - id: r01
    part: apc-ar3357
    pdus:
      - {id: r01-pdu-a, part: raritan-px3-5878i2r-p1q1r1a5d5, feed: A1}
      - {id: r01-pdu-b, part: raritan-px3-5878i2r-p1q1r1a5d5, feed: B1}
    devices:
      - {id: r01-n01, part: nvidia-dgx-h100, u: 3}
"""


def run(path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("RACKVAL_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "rackval", "validate", str(path), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "design.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_base_is_valid(tmp_path):
    result = run(write(tmp_path, BASE))
    assert result.returncode in (0, 1), result.stderr


CASES = {
    # name: (text, line, expected words in the message)
    "malformed-yaml": (BASE.replace("  - id: r01\n", "  - id: [r01\n"), 9, ["malformed YAML"]),
    "duplicate-key": (
        BASE.replace("name: bad-input-base\n", "name: a\nname: b\n"),
        3,
        ["duplicate key", "name"],
    ),
    "unknown-key": (
        BASE.replace("    part: apc-ar3357\n", "    part: apc-ar3357\n    colour: red\n"),
        10,
        ["unknown key 'colour'", "racks[0].colour"],
    ),
    "misspelt-key": (BASE.replace("    pdus:\n", "    pdu:\n"), 10, ["did you mean 'pdus'"]),
    "unknown-part": (
        BASE.replace("nvidia-dgx-h100", "nvidia-dgx-h10"),
        14,
        ["unknown part 'nvidia-dgx-h10'", "did you mean", "nvidia-dgx-h100"],
    ),
    "wrong-unit": (
        BASE.replace("breaker: 60 A}\n    - {id: B1", "breaker: 60 V}\n    - {id: B1"),
        5,
        ["power.feeds[A1].breaker", "current"],
    ),
    "negative-value": (
        BASE.replace(
            "voltage: 415 V, phases: 3, wiring: wye, breaker: 60 A}\n    - {id: B1",
            "voltage: -415 V, phases: 3, wiring: wye, breaker: 60 A}\n    - {id: B1",
        ),
        5,
        ["power.feeds[A1].voltage", "negative"],
    ),
    "nan-value": (
        BASE.replace("breaker: 60 A}\n    - {id: B1", "breaker: nan A}\n    - {id: B1"),
        5,
        ["power.feeds[A1].breaker"],
    ),
    "inf-value": (
        BASE.replace("breaker: 60 A}\n    - {id: B1", "breaker: inf A}\n    - {id: B1"),
        5,
        ["power.feeds[A1].breaker"],
    ),
    "dangling-reference": (
        BASE.replace("feed: B1}", "feed: B9}"),
        12,
        ["feed 'B9' is not defined", "power.feeds", ":4:"],
    ),
    "duplicate-id": (
        BASE.replace("{id: r01-pdu-b,", "{id: r01-pdu-a,"),
        12,
        ["id 'r01-pdu-a' is used twice", ":11:"],
    ),
    "bad-count": (BASE.replace("u: 3}", "u: 3, count: 0}"), 14, ["racks[0].devices[0].count"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(tmp_path, name):
    text, line, words = CASES[name]
    path = write(tmp_path, text)
    result = run(path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert f"design.yaml:{line}:" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_alias_bomb(tmp_path):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for k, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[k]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, BASE + "\n".join(levels) + "\n")
    result = run(path)
    assert result.returncode == 2
    assert "alias bomb" in result.stderr
    assert "design.yaml:" in result.stderr


def test_oversize_file(tmp_path):
    path = tmp_path / "design.yaml"
    with path.open("w") as fh:
        fh.write(BASE)
        fh.write("#" + "x" * (11 * 1024 * 1024) + "\n")
    result = run(path)
    assert result.returncode == 2
    assert "limited to 10 MB" in result.stderr


def test_missing_file(tmp_path):
    result = run(tmp_path / "nope.yaml")
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_internal_error_is_one_line(tmp_path, monkeypatch):
    # a design whose rack part is a device: caught as a design error, not a crash
    path = write(tmp_path, BASE.replace("part: apc-ar3357", "part: nvidia-dgx-h100"))
    result = run(path)
    assert result.returncode == 2
    assert "expected a rack or rack-system" in result.stderr
    assert "Traceback" not in result.stderr
