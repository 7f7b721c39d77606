"""docs/physics/liquid.md: the tests it names exist, and its worked numbers are computed."""

from __future__ import annotations

import re
from pathlib import Path

from rackval.physics.coolant import coolant_properties
from rackval.physics.heat import adiabatic_ride_through, ua_from_approach
from rackval.physics.hydraulics import (
    friction_factor,
    pipe_resistance,
    resistance_pressure_drop,
    reynolds_number,
    velocity,
)

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "physics" / "liquid.md").read_text(encoding="utf-8")


def test_named_tests_exist():
    names = set(re.findall(r"`(test_\w+)`", DOC))
    assert names
    source = "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "tests" / "physics").glob("*.py")
    )
    missing = {n for n in names if f"def {n}(" not in source}
    assert not missing


def test_worked_numbers_in_the_doc():
    p = coolant_properties("PG25", 308.15)
    assert f"{p.density:.2f}" in DOC and f"{p.heat_capacity:.1f}" in DOC
    q, d = 2.5e-3, 0.0508
    v = velocity(q, d)
    re_ = reynolds_number(v, d, 1012.48, 1.542e-3)
    f = friction_factor(re_, 1.5e-6 / d)
    total = resistance_pressure_drop(pipe_resistance(f, 10.0, d, 1012.48, 4 * 0.9), q)
    assert f"{round(re_):,}" in DOC and f"{f:.5f}" in DOC and f"{round(total):,} Pa" in DOC
    t = adiabatic_ride_through(0.200 * 4.0060e6 + 50 * 385.0, 10.0, 120e3)
    assert f"{t:.1f} s" in DOC
    assert f"UA = {ua_from_approach(1e6, 4.0, 1e5, 1e5) / 1e3:.0f} kW/K" in DOC
    assert "## Loop model" in DOC
