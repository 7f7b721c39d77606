"""The shipped catalog: every part loads, is sourced, and carries the reference figures."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import rackval.catalog as catalog_pkg
from rackval.catalog import (
    PARTS_DIR,
    Catalog,
    build_part,
    load_catalog,
    missing_figures,
    read_part_file,
)
from rackval.catalog import build as build_mod
from rackval.catalog import netbox as netbox_mod
from rackval.catalog import standards as standards_mod
from rackval.errors import CatalogError

CATALOG = load_catalog()
SLUGS = CATALOG.slugs()

# The parts the brief requires, with their kinds (reference/hardware.md).
REQUIRED = {
    "nvidia-dgx-h100": "gpu-node",
    "nvidia-dgx-h200": "gpu-node",
    "nvidia-dgx-b200": "gpu-node",
    "nvidia-dgx-b300": "gpu-node",
    "nvidia-gb200-compute-tray": "compute-tray",
    "nvidia-nvlink-switch-tray": "switch",
    "nvidia-gb200-power-shelf": "power-shelf",
    "nvidia-gb200-nvl72-rack": "rack-system",
    "supermicro-sys-821ge-tnhr": "gpu-node",
    "dell-poweredge-xe9680": "gpu-node",
    "lenovo-sr680a-v3": "gpu-node",
    "nvidia-qm9700": "switch",
    "nvidia-qm9790": "switch",
    "nvidia-sn5600": "switch",
    "nvidia-sn5610": "switch",
    "nvidia-sn4600c": "switch",
    "nvidia-sn2201": "switch",
    "nvidia-ufm-enterprise-appliance": "cpu-node",
    "netapp-aff-a90": "storage",
    "netapp-aff-a70": "storage",
    "pure-flasharray-x90r3": "storage",
    "apc-ap8886": "pdu",
    "apc-ap8888": "pdu",
    "raritan-px3-5878i2r-p1q1r1a5d5": "pdu",
    "vertiv-geist-gi10022l": "pdu",
    "raritan-px3-5724v": "pdu",
    "ocp-orv3-power-shelf": "power-shelf",
    "vertiv-coolchip-cdu-1350": "cdu",
    "vertiv-coolchip-cdu-2300": "cdu",
    "vertiv-coolchip-cdu-600": "cdu",
    "coolit-chx2000": "cdu",
    "supermicro-in-rack-cdu": "cdu",
    "ibm-rdhx": "rdhx",
    "motivair-chilleddoor": "rdhx",
    "apc-ar3300": "rack",
    "apc-ar3357": "rack",
    "conteg-ri7-48-80-120": "rack",
    "ocp-orv3-rack": "rack",
}

TAG = re.compile(r"\[(P|S|L|C|K)(?:,[^\]]*)?\]")


def test_catalog_has_at_least_30_parts():
    assert len(CATALOG) >= 30
    assert len(list(CATALOG)) == len(CATALOG)


@pytest.mark.parametrize(("slug", "kind"), sorted(REQUIRED.items()))
def test_required_part_present_with_kind(slug, kind):
    part = CATALOG.get(slug)
    assert part is not None, slug
    assert part.kind == kind


def test_every_kind_is_represented():
    kinds = {p.kind for p in CATALOG}
    expected = {
        "gpu-node",
        "cpu-node",
        "compute-tray",
        "storage",
        "switch",
        "pdu",
        "power-shelf",
        "cdu",
        "rdhx",
        "rack",
        "rack-system",
    }
    assert expected <= kinds


@pytest.mark.parametrize("slug", SLUGS)
def test_part_loads_and_is_sourced(slug):
    part = CATALOG.get(slug)
    assert part.slug == slug
    assert part.file.endswith(f"{slug}.yaml")
    assert "http" in part.source or "gives no URL" in part.source, "source names a URL"
    assert "retrieved 2026-11-24" in part.source, "source names the retrieval date"
    tags = {m.group(1) for m in TAG.finditer(part.source)}
    assert tags, "source carries a [P]/[S]/[L] tag"
    # the part's confidence is that of its weakest figure-setting source
    if tags == {"L"}:
        assert part.confidence == "community"
    if "S" in tags or "L" in tags:
        assert part.confidence in ("secondary", "community")
    assert part.confidence in ("primary", "secondary", "community")


@pytest.mark.parametrize("slug", SLUGS)
def test_part_file_starts_with_a_comment_naming_the_part(slug):
    path = PARTS_DIR / f"{slug}.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    part = CATALOG.get(slug)
    assert first.startswith("# ")
    assert part.manufacturer.split()[0] in first


@pytest.mark.parametrize("slug", SLUGS)
def test_provenance_entries_are_tagged_or_derived(slug):
    for key, text in CATALOG.get(slug).provenance.items():
        assert TAG.search(text) or text.startswith("GAP"), (key, text)


@pytest.mark.parametrize("slug", SLUGS)
def test_psu_count_matches_power_ports(slug):
    part = CATALOG.get(slug)
    raw = _raw(slug)
    ports = raw.get("power-ports") or []
    if ports and part.kind not in ("pdu", "rack", "rack-system", "cdu", "rdhx"):
        assert part.power.psus == len(ports)


def _raw(slug: str) -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load((PARTS_DIR / f"{slug}.yaml").read_text())


def test_dgx_power_figures_from_the_reference():
    # hardware.md §1: H100/H200 6 × 3.3 kW 4+2, locking C19/C20 cords; B200 5+1.
    for slug in ("nvidia-dgx-h100", "nvidia-dgx-h200"):
        p = CATALOG.get(slug).power
        assert (p.max, p.psus, p.psu_rating, p.psus_required) == (10200.0, 6, 3300.0, 4)
        assert p.inlet == "iec-60320-c20"
        assert p.input_voltage == (200.0, 240.0)
        assert p.feed == "outlet"
    b200 = CATALOG.get("nvidia-dgx-b200").power
    assert (b200.psus, b200.psus_required, b200.psu_rating) == (6, 5, 3300.0)
    assert b200.inlet is None  # C20 is sourced for the H100 guide only
    b300 = CATALOG.get("nvidia-dgx-b300").power
    assert (b300.psus, b300.psus_required) == (12, 6)


def test_switch_interfaces_from_the_reference():
    qm = CATALOG.get("nvidia-qm9700")
    assert len(qm.interfaces) == 64  # 32 twin-port OSFP = 64 × NDR 400G
    assert {i.type for i in qm.interfaces} == {"400gbase-x-osfp"}
    assert qm.interfaces[0].name == "p1"
    sn = CATALOG.get("nvidia-sn5600")
    assert sum(i.type == "800gbase-x-osfp" for i in sn.interfaces) == 64
    assert sum(i.type == "25gbase-x-sfp28" for i in sn.interfaces) == 1
    oob = CATALOG.get("nvidia-sn2201")
    assert sum(i.type == "1000base-t" for i in oob.interfaces) == 48
    assert sum(i.type == "100gbase-x-qsfp28" for i in oob.interfaces) == 4


def test_pdus():
    wye = CATALOG.get("raritan-px3-5878i2r-p1q1r1a5d5").pdu
    assert (wye.voltage, wye.phases, wye.wiring, wye.current) == (415.0, 3, "wye", 60.0)
    assert wye.outlets == {"iec-60320-c19": 18, "iec-60320-c13": 6}
    delta = CATALOG.get("raritan-px3-5724v").pdu
    assert (delta.voltage, delta.phases, delta.wiring) == (208.0, 3, "delta")
    assert [b.line for b in delta.banks] == ["L1-L2", "L2-L3", "L3-L1"]
    single = CATALOG.get("vertiv-geist-gi10022l").pdu
    assert (single.phases, single.wiring, single.voltage) == (1, "single", 230.0)
    ap8888 = CATALOG.get("apc-ap8888").pdu
    assert [b.line for b in ap8888.banks] == ["L1", "L1", "L2", "L2", "L3", "L3"]
    assert sum(b.outlets["iec-60320-c13"] for b in ap8888.banks) == 30
    ap8886 = CATALOG.get("apc-ap8886").pdu
    assert {b.breaker for b in ap8886.banks} == {16.0}  # "2 × 16 A banks on each of 3 phases"
    for slug in ("apc-ap8886", "apc-ap8888", "raritan-px3-5724v", "vertiv-geist-gi10022l"):
        assert CATALOG.get(slug).pdu.mounting == "zero-u"
        assert CATALOG.get(slug).u_height == 0


def test_rack_figures():
    ar3300 = CATALOG.get("apc-ar3300")
    assert ar3300.rack.u_height == 42
    assert ar3300.rack.outer_width == pytest.approx(0.6)
    assert ar3300.rack.outer_height == pytest.approx(1.991)
    assert ar3300.rack.mounting_depth is None  # library's 191 mm is implausible: left out
    assert ar3300.rack.static_load == pytest.approx(1701.0)
    assert CATALOG.get("apc-ar3357").rack.u_height == 48
    assert CATALOG.get("apc-ar3357").rack.mounting_depth == pytest.approx(1.048)
    assert CATALOG.get("ocp-orv3-rack").rack.u_height == 47
    assert CATALOG.get("ocp-orv3-rack").rack.busbar_voltage == 48.0


def test_gaps_stay_missing():
    assert CATALOG.get("nvidia-sn5600").power.max is None
    assert CATALOG.get("nvidia-gb200-compute-tray").mass is None
    assert CATALOG.get("nvidia-gb200-compute-tray").cooling.liquid_fraction is None
    nvl72 = CATALOG.get("nvidia-gb200-nvl72-rack")
    assert nvl72.rack.u_height is None
    assert "rack.u_height" in missing_figures(nvl72)
    assert nvl72.rack.outer_width == pytest.approx(0.6)
    assert nvl72.rack.outer_depth == pytest.approx(1.068)
    assert nvl72.mass == pytest.approx(1360.0)
    cdu = CATALOG.get("vertiv-coolchip-cdu-1350")
    assert cdu.cdu.secondary_flow is None and cdu.cdu.pump_curve == ()
    assert "cdu.pump_curve" in missing_figures(cdu)


def test_complete_parts_have_no_missing_figures():
    assert missing_figures(CATALOG.get("nvidia-dgx-h100")) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dgx b200", ["nvidia-dgx-b200"]),
        ("DGX H1", ["nvidia-dgx-h100"]),
        ("raritan", ["raritan-px3-5724v", "raritan-px3-5878i2r-p1q1r1a5d5"]),
        (
            "cdu vertiv",
            ["vertiv-coolchip-cdu-1350", "vertiv-coolchip-cdu-2300", "vertiv-coolchip-cdu-600"],
        ),
        ("rack-system", ["nvidia-gb200-nvl72-rack"]),
        ("no such thing", []),
    ],
)
def test_search_matches_all_words(query, expected):
    assert [p.slug for p in CATALOG.search(query)] == expected


def test_search_by_kind_and_empty_query():
    assert {p.kind for p in CATALOG.search("pdu")} == {"pdu"}
    assert len(CATALOG.search("")) == len(CATALOG)


@pytest.mark.parametrize(
    ("typo", "first"),
    [
        ("nvidia-dgx-h10", "nvidia-dgx-h100"),
        ("qm9700", "nvidia-qm9700"),
        ("apc-ar-3300", "apc-ar3300"),
    ],
)
def test_suggest(typo, first):
    assert CATALOG.suggest(typo)[0] == first


def test_get_unknown_and_contains():
    assert CATALOG.get("nope") is None
    assert "nvidia-dgx-h100" in CATALOG
    assert "nope" not in CATALOG
    assert CATALOG.path("nvidia-dgx-h100") == PARTS_DIR / "nvidia-dgx-h100.yaml"


def test_builtin_catalog_is_cached():
    assert load_catalog() is load_catalog()


def test_duplicate_slugs_are_errors(tmp_path):
    part = CATALOG.get("nvidia-dgx-h100")
    with pytest.raises(CatalogError, match="duplicate"):
        Catalog(parts=[part, part])
    (tmp_path / "nvidia-dgx-h100.yaml").write_text((PARTS_DIR / "nvidia-dgx-h100.yaml").read_text())
    with pytest.raises(CatalogError, match="duplicate part slug 'nvidia-dgx-h100'"):
        load_catalog([tmp_path])


def test_extra_dir_parts_are_found(tmp_path):
    text = (
        (PARTS_DIR / "nvidia-dgx-h100.yaml")
        .read_text()
        .replace("slug: nvidia-dgx-h100", "slug: acme-dgx-clone")
    )
    (tmp_path / "acme-dgx-clone.yaml").write_text(text)
    merged = load_catalog([tmp_path])
    assert merged.get("acme-dgx-clone").power.max == 10200.0
    assert len(merged) == len(CATALOG) + 1
    assert "acme-dgx-clone" not in load_catalog()


def test_file_name_must_be_the_slug(tmp_path):
    path = tmp_path / "wrong-name.yaml"
    path.write_text((PARTS_DIR / "nvidia-dgx-h100.yaml").read_text())
    with pytest.raises(Exception, match="does not match the file name"):
        read_part_file(path)


def test_invalid_file_in_catalog_raises_catalog_error_with_details(tmp_path):
    (tmp_path / "broken.yaml").write_text(
        "# broken\nmanufacturer: X\nmodel: Y\nslug: broken\n"
        "rackval: {kind: other, source: s, power: {max: 10 kx}}\n"
    )
    catalog = Catalog({"broken": tmp_path / "broken.yaml"})
    with pytest.raises(CatalogError) as info:
        catalog.get("broken")
    (error,) = info.value.errors
    assert error.path == "parts[broken].rackval.power.max"
    assert error.location.line == 5


def test_build_part_is_reexported():
    assert build_part is build_mod.build_part


@pytest.mark.parametrize("module", [catalog_pkg, build_mod, standards_mod, netbox_mod])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.failed == 0


def test_parts_dir_holds_only_part_files():
    assert {p.suffix for p in Path(PARTS_DIR).iterdir()} == {".yaml"}


def test_docs_list_every_shipped_part():
    doc = (Path(__file__).parents[2] / "docs" / "catalog.md").read_text(encoding="utf-8")
    doc = doc.split("## Shipped parts", 1)[1]
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", doc, flags=re.MULTILINE))
    assert listed == set(SLUGS)
