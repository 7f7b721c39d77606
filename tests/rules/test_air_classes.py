"""RV-AIR-001 at each ASHRAE class boundary: just inside and just outside.

The bounds are read from catalog/standards.yaml (newest edition that gives each), never
written here; with no recirculation the rack inlet is the supply temperature, so the
supply is set on the bound (inside: ranges are closed) and 0.01 K beyond it.
"""

from __future__ import annotations

import pytest

from rackval.catalog.standards import load_standards
from rackval.rules.air import dry_bulb_bound
from rackval.validate import validate

KELVIN = 273.15
STEP = 0.01  # [K] "just outside"
CLASSES = ("A1", "A2", "A3", "A4", "H1")  # the classes the design schema accepts


def _cases():
    std = load_standards()
    for cls in CLASSES:
        for envelope in ("allowable", "recommended"):
            for side, sign in (("min", -1.0), ("max", 1.0)):
                entry = dry_bulb_bound(std, cls, envelope, side, None)
                assert entry is not None, f"{cls} {envelope} {side} missing from standards.yaml"
                bound = getattr(entry.dry_bulb, side)
                # on an allowable bound the inlet is outside the (narrower) recommended range
                inside = "warning" if envelope == "allowable" else None
                outside = "error" if envelope == "allowable" else "warning"
                for where, offset, want in (("inside", 0.0, inside), ("outside", STEP, outside)):
                    yield pytest.param(
                        cls,
                        bound + sign * offset,
                        want,
                        bound,
                        id=f"{cls}-{envelope}-{side}-{where}",
                    )


@pytest.mark.parametrize(("cls", "supply", "severity", "bound"), list(_cases()))
def test_class_boundary(cls, supply, severity, bound, tmp_path):
    design = tmp_path / "class.yaml"
    design.write_text(
        "rackval: 1\nname: class\nsite:\n"
        f"  air: {{supply_temperature: {supply - KELVIN:.2f} degC, ashrae_class: {cls}}}\n"
        "racks:\n  - id: r01\n    part: apc-ar3357\n"
        "    devices: [{id: n1, part: nvidia-dgx-h100, u: 3}]\n",
        encoding="utf-8",
    )
    report = validate(design, select=("RV-AIR-001",), scenarios="normal")
    found = [f for f in report.findings if f.rule == "RV-AIR-001"]
    if severity is None:
        assert found == []
        return
    assert [(f.severity, f.path) for f in found] == [(severity, "racks[r01]")]
    if severity == "error":
        assert found[0].limit == pytest.approx(bound)
