"""Import of real NetBox devicetype-library files (tests/data/netbox, CC0)."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from rackval.catalog import Catalog, load_catalog, read_part_file
from rackval.catalog.netbox import guess_kind, import_device_types, library_path, slugify, summarize

LIBRARY = Path(__file__).parents[1] / "data" / "netbox"
DAY = datetime.date(2026, 11, 24)

EXPECTED = {
    # library path: (kind, slug written)
    "device-types/APC/AP8886.yaml": ("pdu", "apc-ap8886-2"),  # apc-ap8886 is a built-in part
    "device-types/APC/AP8888.yaml": ("pdu", "apc-ap8888-2"),
    "device-types/Lenovo/ThinkSystem-SR680a-v3.yaml": ("other", "lenovo-thinksystem-sr680a-v3"),
    "device-types/Mellanox/SN2201.yml": ("switch", "mellanox-sn2201"),
    "device-types/Mellanox/SN4600C.yml": ("switch", "sn4600c"),
    "device-types/NetApp/AFF-A90-Chassis.yaml": ("other", "netapp-aff-a90-chassis"),
    "device-types/Raritan/PX3-5724V.yaml": ("pdu", "px3-5724v"),
    "device-types/Vertiv/GI10022L.yaml": ("pdu", "vertiv-geist-rpdu-gi10022l"),
    "rack-types/APC/AR3300.yaml": ("rack", "apc-ar3300-2"),
    "rack-types/APC/AR3357.yaml": ("rack", "apc-ar3357-2"),
}


def load(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    dest = tmp_path_factory.mktemp("imported")
    return dest, import_device_types(LIBRARY, dest, today=DAY)


def test_every_file_imported_with_expected_kind_and_slug(imported):
    _, results = imported
    got = {r.library_path: (r.kind, r.slug) for r in results}
    assert got == EXPECTED
    assert all(r.status == "written" for r in results), [r.errors for r in results]
    assert summarize(results) == {"written": len(EXPECTED)}


def test_imported_parts_load_as_a_catalog_and_are_incomplete(imported):
    dest, results = imported
    catalog = load_catalog([dest])
    for result in results:
        part = catalog.get(result.slug)
        assert part.kind == result.kind
        assert part.confidence == "community"
        assert (
            part.source
            == f"NetBox devicetype-library {result.library_path} [L], imported 2026-11-24"
        )
        assert result.incomplete, f"{result.slug} is marked incomplete"


def test_netbox_fields_are_kept_as_is(imported):
    dest, results = imported
    for result in results:
        original = load(result.source)
        written = load(result.dest)
        assert written.pop("rackval")["kind"] == result.kind
        assert written.pop("slug") == result.slug
        original.pop("slug")
        assert written == original
        assert result.dest.read_text().startswith("# ")


def test_comments_of_the_library_file_survive(imported):
    dest, _ = imported
    text = (dest / "apc-ap8888-2.yaml").read_text()
    assert "# L1 - Line 1, Bank 1" in text
    assert "# allocated_draw: Leave blank for PDUs" in text


def test_mapped_figures(imported):
    dest, _ = imported
    catalog = Catalog({p.stem: p for p in dest.glob("*.yaml")})
    sn2201 = catalog.get("mellanox-sn2201")
    assert sn2201.power.psus == 2  # = number of power-ports
    assert sn2201.power.inlet == "iec-60320-c14"
    assert sn2201.mass == pytest.approx(7.41)
    assert len(sn2201.interfaces) == 53
    assert "power.max" in next(r for r in imported[1] if r.slug == "mellanox-sn2201").incomplete
    assert catalog.get("apc-ap8888-2").mass == pytest.approx(30.97 * 0.45359237)
    assert catalog.get("apc-ap8888-2").pdu is None  # voltage/phases/wiring are not in NetBox
    ar3357 = catalog.get("apc-ar3357-2").rack
    assert ar3357.u_height == 48
    assert ar3357.outer_width == pytest.approx(0.75)
    assert ar3357.mounting_depth == pytest.approx(1.048)
    assert ar3357.static_load is None  # max_weight: static or rolling is not said
    lenovo = catalog.get("lenovo-thinksystem-sr680a-v3")
    assert lenovo.power.psus is None  # PSU bays are module bays, not power ports


def test_renamed_slugs_are_reported(imported):
    _, results = imported
    renamed = {r.slug: r.renamed_from for r in results if r.renamed_from}
    assert renamed == {
        "apc-ap8886-2": "apc-ap8886",
        "apc-ap8888-2": "apc-ap8888",
        "apc-ar3300-2": "apc-ar3300",
        "apc-ar3357-2": "apc-ar3357",
    }


def test_reimport_never_overwrites(imported, tmp_path):
    dest, _ = imported
    before = {p.name: p.read_bytes() for p in dest.glob("*.yaml")}
    again = import_device_types(LIBRARY, dest, today=datetime.date(2027, 1, 1))
    assert {r.status for r in again} == {"exists"}
    assert {p.name: p.read_bytes() for p in dest.glob("*.yaml")} == before
    assert {r.slug for r in again} == {r[1] for r in EXPECTED.values()}


def test_foreign_file_keeps_its_slug_and_overwrite_replaces(tmp_path):
    src = tmp_path / "lib" / "device-types" / "Mellanox"
    src.mkdir(parents=True)
    shutil.copy(LIBRARY / "device-types/Mellanox/SN4600C.yml", src / "SN4600C.yml")
    dest = tmp_path / "parts"
    dest.mkdir()
    foreign = dest / "sn4600c.yaml"
    foreign.write_text("# someone else's part\n")
    (result,) = import_device_types(tmp_path / "lib", dest, today=DAY)
    assert result.slug == "sn4600c-2" and result.status == "written"
    assert foreign.read_text() == "# someone else's part\n"
    (result,) = import_device_types(tmp_path / "lib", dest, today=DAY, overwrite=True)
    assert result.slug == "sn4600c" and result.status == "overwritten"
    assert read_part_file(foreign).slug == "sn4600c"


def test_slug_collisions_within_one_run(tmp_path):
    lib = tmp_path / "lib" / "device-types" / "Vertiv"
    lib.mkdir(parents=True)
    text = (LIBRARY / "device-types/Vertiv/GI10022L.yaml").read_text()
    (lib / "GI10022L.yaml").write_text(text)
    (lib / "geist-rpdu-gi10022l.yaml").write_text(text)
    results = import_device_types(tmp_path / "lib", tmp_path / "out", today=DAY)
    assert sorted(r.slug for r in results) == [
        "vertiv-geist-rpdu-gi10022l",
        "vertiv-geist-rpdu-gi10022l-2",
    ]
    assert len(load_catalog([tmp_path / "out"])) == len(load_catalog()) + 2


def test_uppercase_library_slug_is_normalized(tmp_path):
    lib = tmp_path / "device-types" / "Raritan"
    lib.mkdir(parents=True)
    text = (
        (LIBRARY / "device-types/Raritan/PX3-5724V.yaml")
        .read_text()
        .replace("slug: px3-5724v", "slug: PX3-5724V")
    )
    (lib / "PX3-5724V.yaml").write_text(text)
    (result,) = import_device_types(tmp_path, tmp_path / "out", today=DAY)
    assert result.slug == "px3-5724v" and result.renamed_from == "PX3-5724V"


def test_kind_hint_and_invalid_files(tmp_path):
    lib = tmp_path / "device-types" / "Lenovo"
    lib.mkdir(parents=True)
    shutil.copy(LIBRARY / "device-types/Lenovo/ThinkSystem-SR680a-v3.yaml", lib / "SR680a.yaml")
    (lib / "notes.yaml").write_text("just: a note\n")
    (lib / "broken.yaml").write_text("manufacturer: [x\n")
    results = {
        r.library_path: r
        for r in import_device_types(tmp_path, tmp_path / "out", kind_hint="gpu-node", today=DAY)
    }
    assert results["device-types/Lenovo/SR680a.yaml"].kind == "gpu-node"
    assert results["device-types/Lenovo/notes.yaml"].status == "invalid"
    assert results["device-types/Lenovo/broken.yaml"].status == "invalid"
    assert not results["device-types/Lenovo/broken.yaml"].ok
    with pytest.raises(ValueError, match="kind_hint"):
        import_device_types(tmp_path, tmp_path / "out", kind_hint="server")


def test_a_vendor_folder_can_be_imported_alone(tmp_path):
    results = import_device_types(LIBRARY / "device-types" / "Mellanox", tmp_path, today=DAY)
    assert [r.library_path for r in results] == [
        "device-types/Mellanox/SN2201.yml",
        "device-types/Mellanox/SN4600C.yml",
    ]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ({"power-outlets": [{"name": "1"}], "u_height": 0}, "pdu"),
        ({"form_factor": "4-post-cabinet"}, "rack"),
        ({"interfaces": [{"name": f"e{i}", "type": "1000base-t"} for i in range(48)]}, "switch"),
        (
            {"interfaces": [{"name": f"e{i}", "type": "100gbase-x-qsfp28"} for i in range(8)]},
            "switch",
        ),
        ({"interfaces": [{"name": f"e{i}", "type": "1000base-t"} for i in range(8)]}, "other"),
        ({"interfaces": [{"name": "bmc", "type": "1000base-t", "mgmt_only": True}]}, "other"),
        ({}, "other"),
    ],
)
def test_guess_kind(data, kind):
    assert guess_kind(data) == kind


def test_helpers():
    assert slugify("ThinkSystem SR680a V3") == "thinksystem-sr680a-v3"
    assert (
        library_path(Path("/x/lib/device-types/APC/AP8888.yaml")) == "device-types/APC/AP8888.yaml"
    )
    assert library_path(Path("AP8888.yaml")) == "AP8888.yaml"
