"""build_part and part files: schema errors, unit errors, locations, SI conversion."""

from __future__ import annotations

import copy
import textwrap

import pytest

from rackval.catalog import build_part, read_part_file
from rackval.errors import DesignErrors

BASE = {
    "manufacturer": "ACME",
    "model": "Node 1",
    "slug": "acme-node-1",
    "u_height": 2,
    "weight": 20,
    "weight_unit": "kg",
    "power-ports": [
        {"name": "PSU1", "type": "iec-60320-c14"},
        {"name": "PSU2", "type": "iec-60320-c14"},
    ],
    "rackval": {
        "kind": "cpu-node",
        "source": "ACME datasheet — https://example.invalid/acme [P], retrieved 2026-11-24",
        "depth": "800 mm",
        "power": {"max": "1.2 kW", "psus_required": 1, "input_voltage": ["200 V", "240 V"]},
        "cooling": {"max_inlet_air": "35 degC", "airflow": "100 CFM"},
    },
}


def raw(**changes):
    """A copy of BASE with ``rackval.<key>`` or top-level changes (None deletes)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        target, name = (data["rackval"], key[3:]) if key.startswith("rv_") else (data, key)
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
    return data


def errors_of(data, **kwargs):
    with pytest.raises(DesignErrors) as info:
        build_part(data, origin="inline.yaml", **kwargs)
    return info.value.errors


def test_valid_part_in_si():
    part = build_part(raw(), origin="inline.yaml")
    assert part.power.max == 1200.0
    assert part.power.psus == 2  # from the two NetBox power-ports
    assert part.power.inlet == "iec-60320-c14"  # the PSUs' common inlet
    assert part.depth == pytest.approx(0.8)
    assert part.cooling.max_inlet_air == pytest.approx(308.15)
    assert part.cooling.airflow == pytest.approx(100 / 2118.88, rel=1e-4)  # 1 m³/s = 2118.88 CFM
    assert part.cooling.liquid_fraction == 0.0  # no coolant block: air-cooled
    assert part.mass == 20.0
    assert part.file == "inline.yaml"


def test_unknown_keys_suggest_the_right_one():
    data = raw(weigth=3, rv_powr={"max": "1 kW"})
    data["rackval"]["power"]["mx"] = "1 kW"
    messages = {e.path: e.message for e in errors_of(data)}
    assert messages["weigth"] == "unknown key 'weigth'; did you mean 'weight'?"
    assert messages["rackval.powr"] == "unknown key 'powr'; did you mean 'power'?"
    assert messages["rackval.power.mx"] == "unknown key 'mx'; did you mean 'max'?"


def test_kind_typo_lists_kinds_and_suggests():
    (error,) = errors_of(raw(rv_kind="gpu_node"))
    assert error.path == "rackval.kind"
    assert error.message.endswith("did you mean 'gpu-node'?")


def test_missing_source_and_block():
    (error,) = errors_of(raw(rv_source=None))
    assert error.message == "missing required key 'source'"
    data = raw()
    del data["rackval"]
    (error,) = errors_of(data)
    assert error.path == "rackval" and "missing" in error.message


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("10.2 kx", 'unknown unit "kx"'),
        ("10 kg", "a mass"),
        ("10.2", "a bare number needs a unit"),
        ("-1 kW", "negative"),
        (True, "quantity"),
    ],
)
def test_unit_errors_name_the_field(value, fragment):
    data = raw()
    data["rackval"]["power"]["max"] = value
    (error,) = errors_of(data, path_prefix="parts[acme-node-1]")
    assert error.path == "parts[acme-node-1].rackval.power.max"
    assert fragment in error.message


def test_all_problems_are_reported_together():
    data = raw(weigth=1, rv_depth="80 kg")
    data["rackval"]["power"]["max"] = "1 kx"
    data["rackval"]["cooling"]["airflow"] = "100 cfm"  # lowercase: centi-fermi in pint
    paths = sorted(e.path for e in errors_of(data))
    assert paths == ["rackval.cooling.airflow", "rackval.depth", "rackval.power.max", "weigth"]


def test_locate_is_called_with_key_paths():
    seen = []

    def locate(path):
        seen.append(path)
        return (40 + len(path), 3)

    data = raw()
    data["rackval"]["power"]["max"] = "1 kx"
    (error,) = errors_of(data, locate=locate, path_prefix="parts[acme-node-1]")
    assert ("rackval", "power", "max") in seen
    assert (error.location.file, error.location.line, error.location.column) == (
        "inline.yaml",
        43,
        3,
    )
    assert str(error).startswith("inline.yaml:43:3: parts[acme-node-1].rackval.power.max: ")


def test_unknown_key_in_file_reports_line_and_suggestion(tmp_path):
    path = tmp_path / "acme-node-1.yaml"
    path.write_text(
        textwrap.dedent("""\
        # ACME Node 1
        manufacturer: ACME
        model: Node 1
        slug: acme-node-1
        u_height: 1
        rackval:
          kind: cpu-node
          source: "ACME datasheet — https://example.invalid [P], retrieved 2026-11-24"
          powr:
            max: 1 kW
        """)
    )
    with pytest.raises(DesignErrors) as info:
        read_part_file(path)
    (error,) = info.value.errors
    assert error.location.line == 9
    assert error.location.column == 3
    assert error.path == "parts[acme-node-1].rackval.powr"
    assert "did you mean 'power'?" in error.message
    assert str(error).startswith(f"{path}:9:3: ")


def test_bad_unit_in_file_names_file_line_and_field(tmp_path):
    path = tmp_path / "acme-node-1.yaml"
    path.write_text(
        textwrap.dedent("""\
        # ACME Node 1
        manufacturer: ACME
        model: Node 1
        slug: acme-node-1
        u_height: 1
        rackval:
          kind: cpu-node
          source: "ACME datasheet — https://example.invalid [P], retrieved 2026-11-24"
          power:
            psus: 2
            max: 10.2 kx
        """)
    )
    with pytest.raises(DesignErrors) as info:
        read_part_file(path)
    (error,) = info.value.errors
    assert str(error) == (
        f'{path}:11:5: parts[acme-node-1].rackval.power.max: expected a power like "10.2 kW", '
        'got "10.2 kx" (unknown unit "kx")'
    )


def test_yaml_syntax_and_duplicate_keys(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("manufacturer: ACME\nmodel: [unclosed\n")
    with pytest.raises(DesignErrors) as info:
        read_part_file(path)
    assert info.value.errors[0].location.line >= 2
    path.write_text("manufacturer: ACME\nmanufacturer: ACME\n")
    with pytest.raises(DesignErrors, match="duplicate|found duplicate"):
        read_part_file(path)


def test_psu_consistency():
    (error,) = errors_of(raw(rv_power={"psus": 3}))
    assert error.path == "rackval.power.psus" and "2 power-ports" in error.message
    (error,) = errors_of(raw(rv_power={"psus_required": 3}))
    assert "more than psus" in error.message
    (error,) = errors_of(raw(rv_power={"max": "1 kW", "typical": "2 kW"}))
    assert "typical" in error.message
    (error,) = errors_of(raw(rv_power={"input_voltage": ["240 V", "200 V"]}))
    assert "min is above max" in error.message


def test_kind_blocks_belong_to_their_kind():
    pdu = {"voltage": "230 V", "phases": 1, "wiring": "single"}
    (error,) = errors_of(raw(rv_pdu=pdu))
    assert error.path == "rackval.pdu" and "only for kind pdu" in error.message


def pdu_part(**pdu):
    data = raw(rv_kind="pdu", u_height=0)
    data.pop("power-ports")
    data["rackval"].pop("power")
    data["rackval"]["pdu"] = pdu
    return data


def test_pdu_banks_and_wiring():
    ok = build_part(
        pdu_part(
            voltage="208 V",
            phases=3,
            wiring="delta",
            current="30 A",
            outlets={"iec-60320-c13": 2},
            banks=[
                {"name": "A", "line": "L1-L2", "breaker": "20 A", "outlets": {"iec-60320-c13": 2}}
            ],
        ),
        origin="x",
    )
    assert ok.pdu.banks[0].breaker == 20.0
    assert ok.pdu.mounting == "zero-u"  # u_height 0
    (error,) = errors_of(
        pdu_part(voltage="208 V", phases=3, wiring="delta", banks=[{"name": "A", "line": "L1"}])
    )
    assert error.path == "rackval.pdu.banks[0].line" and "L1-L2" in error.message
    (error,) = errors_of(pdu_part(voltage="230 V", phases=3, wiring="single"))
    assert "does not fit phases 3" in error.message
    (error,) = errors_of(
        pdu_part(
            voltage="400 V",
            phases=3,
            wiring="wye",
            outlets={"iec-60320-c13": 3},
            banks=[{"name": "1", "line": "L1", "outlets": {"iec-60320-c13": 2}}],
        )
    )
    assert "add up to" in error.message


def test_pdu_outlets_counted_from_netbox_outlets():
    data = pdu_part(voltage="230 V", phases=1, wiring="single")
    data["power-outlets"] = [
        {"name": "1", "type": "iec-60320-c13"},
        {"name": 2, "type": "iec-60320-c19"},
        {"name": "3", "type": "iec-60320-c13"},
    ]
    part = build_part(data, origin="x")
    assert part.pdu.outlets == {"iec-60320-c13": 2, "iec-60320-c19": 1}
    assert part.power.psus is None  # a PDU's power port is its input cord, not a PSU


@pytest.mark.parametrize(
    ("cooling", "coolant", "expected"),
    [
        ({}, None, 0.0),
        ({}, {}, None),
        ({"liquid_fraction": "80 %"}, {}, 0.8),
        ({"liquid_fraction": 0.75}, {}, 0.75),
    ],
)
def test_liquid_fraction(cooling, coolant, expected):
    data = raw(rv_cooling=cooling)
    if coolant is not None:
        data["rackval"]["coolant"] = coolant
    assert build_part(data, origin="x").cooling.liquid_fraction == expected


def test_liquid_fraction_above_one_is_an_error():
    (error,) = errors_of(raw(rv_cooling={"liquid_fraction": "150 %"}))
    assert error.path == "rackval.cooling.liquid_fraction"


def test_coolant_and_cdu_in_si():
    data = raw(
        rv_coolant={
            "min_flow": "2 L/min",
            "max_supply": "45 degC",
            "pressure_drop": {"at": "2 L/min", "dp": "35 kPa"},
            "thermal_resistance": "0.02 K/W",
            "volume": "1.5 L",
            "fluids": ["PG25"],
        }
    )
    coolant = build_part(data, origin="x").coolant
    assert coolant.min_flow == pytest.approx(2e-3 / 60)
    assert coolant.pressure_drop == 35000.0 and coolant.pressure_drop_flow == pytest.approx(
        2e-3 / 60
    )
    assert coolant.volume == pytest.approx(1.5e-3)
    assert coolant.fluids == ("PG25",)
    cdu = raw(
        rv_kind="cdu",
        rv_cdu={
            "rated_heat": "1350 kW",
            "approach": "4 K",
            "pumps": 2,
            "pump_curve": [["100 L/min", "250 kPa"], ["200 L/min", "150 kPa"]],
        },
    )
    spec = build_part(cdu, origin="x").cdu
    assert spec.rated_heat == 1.35e6 and spec.approach == 4.0
    flat = [value for point in spec.pump_curve for value in point]
    assert flat == pytest.approx([100e-3 / 60, 250e3, 200e-3 / 60, 150e3])


def test_weight_units():
    assert build_part(raw(weight=30.97, weight_unit="lb"), origin="x").mass == pytest.approx(
        14.0477, abs=1e-4
    )
    assert build_part(raw(weight=500, weight_unit="g"), origin="x").mass == pytest.approx(0.5)
    (error,) = errors_of(raw(weight_unit=None))
    assert error.path == "weight"
    (error,) = errors_of(raw(weight_unit="stone"))
    assert "'kg'" in error.message


def test_rack_from_netbox_rack_type_keys():
    data = {
        "manufacturer": "ACME",
        "model": "R42",
        "slug": "acme-r42",
        "form_factor": "4-post-cabinet",
        "width": 19,
        "u_height": 42,
        "starting_unit": 1,
        "outer_width": 24,
        "outer_depth": 48,
        "outer_unit": "in",
        "mounting_depth": 1000,
        "weight": 100,
        "max_weight": 1000,
        "weight_unit": "kg",
        "desc_units": False,
        "rackval": {
            "kind": "rack",
            "source": "s [L]",
            "rack": {"static_load": "1000 kg", "zero_u_slots": 2},
        },
    }
    rack = build_part(data, origin="x").rack
    assert rack.u_height == 42
    assert rack.outer_width == pytest.approx(0.6096)
    assert rack.outer_depth == pytest.approx(1.2192)
    assert rack.mounting_depth == pytest.approx(1.0)  # NetBox mounting_depth is in mm
    assert rack.static_load == 1000.0 and rack.dynamic_load is None
    assert rack.zero_u_slots == 2


def test_netbox_component_items_may_carry_extra_keys():
    data = raw()
    data["power-ports"][0]["label"] = "left"
    data["interfaces"] = [{"name": 8, "type": "1000base-t", "mgmt_only": True, "enabled": True}]
    part = build_part(data, origin="x")
    assert part.interfaces[0].name == "8" and part.interfaces[0].mgmt_only


def test_u_height_half_units_only():
    (error,) = errors_of(raw(u_height=1.3))
    assert error.path == "u_height"


def test_not_a_mapping():
    (error,) = errors_of(["not", "a", "part"])
    assert "mapping" in error.message
