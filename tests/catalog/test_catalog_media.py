"""media.yaml and the network interfaces of the parts: cited, well-formed, NetBox types."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from rackval import units
from rackval.catalog import PARTS_DIR, load_catalog

MEDIA_FILE = Path(PARTS_DIR).parent / "media.yaml"
RAW = YAML(typ="safe", pure=True).load(MEDIA_FILE.read_text(encoding="utf-8"))
MEDIA = RAW["media"]
IDS = [m.get("id", f"#{i}") for i, m in enumerate(MEDIA)]
CATALOG = load_catalog()

KINDS = {"dac", "acc", "aec", "aoc", "sr4", "sr8", "dr4", "dr8", "fr4"}
FORM_FACTORS = {"osfp", "qsfp112", "qsfp56", "qsfp28"}
REQUIRED = {"id", "kind", "model", "speed", "form_factor", "breakout", "reach", "tag", "citation"}
OPTIONAL = {"lanes", "note"}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# NetBox InterfaceTypeChoices (netbox-community/netbox, netbox/dcim/choices.py), the part of the
# list that fixed and pluggable data-centre ports use; a slug outside it is a typo.
NETBOX_INTERFACE_TYPES = {
    "virtual", "bridge", "lag", "other",
    "100base-tx", "1000base-t", "1000base-x-sfp", "2.5gbase-t", "5gbase-t", "10gbase-t",
    "10gbase-x-sfpp", "25gbase-x-sfp28", "40gbase-x-qsfpp", "50gbase-x-sfp56",
    "100gbase-x-qsfp28", "100gbase-x-qsfpdd", "100gbase-x-sfp112", "100gbase-x-dsfp",
    "200gbase-x-qsfp56", "200gbase-x-qsfpdd", "400gbase-x-qsfp112", "400gbase-x-qsfpdd",
    "400gbase-x-osfp", "400gbase-x-osfp-rhs", "400gbase-x-cdfp", "800gbase-x-qsfpdd",
    "800gbase-x-osfp", "1.6tbase-x-osfp1600", "1.6tbase-x-osfp1600-rhs", "1.6tbase-x-qsfpdd1600",
    "infiniband-sdr", "infiniband-ddr", "infiniband-qdr", "infiniband-fdr10", "infiniband-fdr",
    "infiniband-edr", "infiniband-hdr", "infiniband-ndr", "infiniband-xdr",
    "infiniband-hdr-4x", "infiniband-ndr-4x", "infiniband-xdr-4x",
}  # fmt: skip


# -- media.yaml -------------------------------------------------------------------------------
def test_media_file_starts_with_its_comment_and_lists_entries():
    first = MEDIA_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# rackval media catalog")
    assert set(RAW) == {"media"}
    assert len(MEDIA) >= 15


def test_media_ids_are_unique():
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("entry", MEDIA, ids=IDS)
def test_media_entry_is_well_formed_and_cited(entry):
    assert REQUIRED <= set(entry), REQUIRED - set(entry)
    assert set(entry) <= REQUIRED | OPTIONAL, set(entry) - REQUIRED - OPTIONAL
    assert ID_PATTERN.match(entry["id"])
    assert entry["kind"] in KINDS
    ff = entry["form_factor"]
    assert ff in FORM_FACTORS or (ff is None and entry["id"].startswith("ieee-"))
    assert units.parse_link_speed(entry["speed"]) > 0
    assert units.parse(entry["reach"], "length") > 0
    if "lanes" in entry:
        assert isinstance(entry["lanes"], int) and entry["lanes"] > 0
    assert isinstance(entry["breakout"], int) and entry["breakout"] >= 1
    assert entry["tag"] in ("P", "S", "C")
    citation = entry["citation"]
    assert isinstance(citation, str) and "http" in citation
    assert "retrieved 2026-11-25" in citation
    assert f"[{entry['tag']}]" in citation, "the entry's tag is the weakest one its citation names"


@pytest.mark.parametrize("entry", MEDIA, ids=IDS)
def test_a_transceiver_says_over_which_fibre(entry):
    if entry["kind"] not in ("dac", "acc", "aec", "aoc"):
        assert re.search(r"multimode|single-mode|OM\d|OS2", entry.get("note", ""))


def _by_id(entry_id):
    return next(m for m in MEDIA if m["id"] == entry_id)


def _reach(entry_id):
    return units.parse(_by_id(entry_id)["reach"], "length")


def test_hardware_md_section_10_families_are_present():
    models = {m["model"].split(" ")[0] for m in MEDIA}
    for family in (
        "MCP4Y10-Nxxx",
        "MCP7Y00-Nxxx",
        "MCP7Y10-Nxxx",
        "MMA4Z00-NS",
        "MMA4Z00-NS400",
        "MMS4X00-NS",
        "MMS4X00-NS400",
        "MMS4X50-NM",
        "980-9I13N-00C010",
        "980-9I440-00H030",
        "400GBASE-SR8",
    ):
        assert family in models, family


def test_media_figures_from_the_reference():
    # hardware.md §10
    dac = sorted(_reach(m["id"]) for m in MEDIA if m["model"].startswith("MCP4Y10"))
    assert dac == [0.5, 1.0, 1.5, 2.0]
    splitter = sorted(_reach(m["id"]) for m in MEDIA if m["model"].startswith("MCP7Y00"))
    assert splitter == [1.0, 1.5, 2.0, 2.5, 3.0]
    assert _reach("nvidia-mcp7y10") == 3.0
    assert "QSFP112" in _by_id("nvidia-mcp7y10")["note"]  # its far ends
    assert _reach("nvidia-mma4z00-ns") == 50.0
    assert _reach("nvidia-mma4z00-ns400") == 50.0
    assert _reach("nvidia-mms4x00-ns400") == 100.0
    assert _reach("nvidia-mms4x50-nm") == 2000.0
    assert _reach("ieee-400gbase-sr8") == 100.0


def test_splitter_near_end_carries_its_far_ends():
    # a 1→2 splitter's near-end speed is the sum of its far ends (2 × 400G = 800G)
    for m in MEDIA:
        if m["kind"] in ("dac", "acc") and m["breakout"] == 2:
            assert units.parse_link_speed(m["speed"]) == 2 * 400e9, m["id"]


# -- interfaces of the parts ------------------------------------------------------------------
@pytest.mark.parametrize("slug", CATALOG.slugs())
def test_interfaces_use_netbox_types_and_unique_names(slug):
    part = CATALOG.get(slug)
    names = [i.name for i in part.interfaces]
    assert len(set(names)) == len(names)
    for iface in part.interfaces:
        assert iface.type in NETBOX_INTERFACE_TYPES, (iface.name, iface.type)


def _fabric(part):
    """The compute-fabric ports: non-management OSFP interfaces, in file order."""
    return [i for i in part.interfaces if "osfp" in i.type and not i.mgmt_only]


@pytest.mark.parametrize("slug", ["nvidia-dgx-h100", "nvidia-dgx-h200"])
def test_dgx_h100_ports_in_rail_order(slug):
    part = CATALOG.get(slug)
    # user guide Table 6: GPU 0 … 7 sit behind OSFP4P2, 3P2, 3P1, 4P1, 1P2, 2P2, 2P1, 1P1
    assert [i.name for i in _fabric(part)] == [
        "osfp4-p2",
        "osfp3-p2",
        "osfp3-p1",
        "osfp4-p1",
        "osfp1-p2",
        "osfp2-p2",
        "osfp2-p1",
        "osfp1-p1",
    ]
    assert {i.type for i in _fabric(part)} == {"400gbase-x-osfp"}
    assert sum(i.type == "400gbase-x-qsfp112" for i in part.interfaces) == 4
    assert [i.name for i in part.interfaces if i.mgmt_only] == ["bmc"]
    assert "[S]" in part.provenance["interfaces.rails"]
    assert part.confidence == "secondary"  # the rail map was read in a mirror of the guide


def test_other_compute_parts_ports():
    b200 = CATALOG.get("nvidia-dgx-b200")
    assert len(_fabric(b200)) == 8 and {i.type for i in _fabric(b200)} == {"400gbase-x-osfp"}
    assert sum(i.type == "400gbase-x-qsfp112" for i in b200.interfaces) == 4
    assert [(i.name, i.type) for i in b200.interfaces if i.mgmt_only] == [("bmc", "1000base-t")]
    for slug in ("nvidia-dgx-b300", "nvidia-dgx-b300-dc"):
        b300 = CATALOG.get(slug)
        assert len(_fabric(b300)) == 8 and {i.type for i in _fabric(b300)} == {"800gbase-x-osfp"}
    tray = CATALOG.get("nvidia-gb200-compute-tray")
    assert len(_fabric(tray)) == 4 and {i.type for i in _fabric(tray)} == {"400gbase-x-osfp"}
    assert sum(i.type == "400gbase-x-qsfp112" for i in tray.interfaces) == 4


@pytest.mark.parametrize(
    "slug",
    [
        "nvidia-dgx-h100",
        "nvidia-dgx-h200",
        "nvidia-dgx-b200",
        "nvidia-dgx-b300",
        "nvidia-dgx-b300-dc",
        "nvidia-gb200-compute-tray",
    ],
)
def test_compute_parts_say_whether_their_port_order_is_a_rail_order(slug):
    part = CATALOG.get(slug)
    assert part.provenance.get("interfaces"), "the interface counts are cited"
    rails = part.provenance["interfaces.rails"]
    assert rails.startswith("GAP") or "rail r = the port of GPU r-1" in rails


def test_compute_nic_ports_have_a_matching_transceiver():
    # a 400G OSFP NIC port takes a single-port 400G OSFP optic of the media catalog
    nic = [
        m
        for m in MEDIA
        if m["form_factor"] == "osfp" and m["breakout"] == 1 and m["kind"] in ("sr4", "dr4")
    ]
    assert {units.parse_link_speed(m["speed"]) for m in nic} == {400e9}
