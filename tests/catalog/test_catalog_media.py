"""The media catalog and the interface-type table: shipped files, entries in SI, bad entries."""

from __future__ import annotations

import pytest

from rackval.catalog.media import (
    MEDIA_KINDS,
    load_interface_types,
    load_media,
    parse_interface_types,
    parse_media,
)
from rackval.errors import CatalogError


def test_shipped_media_and_interface_types_load():
    media = load_media()
    for m in media.values():
        assert m.kind in MEDIA_KINDS and m.citation
        assert m.reach is None or m.reach > 0
    for t in load_interface_types().values():
        assert t.speed > 0 and t.citation
        assert all(t.lanes is None or t.lanes % b == 0 for b in t.breakouts)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"id": "x", "kind": "dac", "reach": "2 m"}, "citation"),
        ({"id": "x", "kind": "copper", "citation": "c"}, "kind"),
        ({"id": "x", "kind": "dac", "speed": "400Q", "citation": "c"}, "link speed"),
        ({"id": "x", "kind": "dac", "reach": "2 kg", "citation": "c"}, "length"),
        ({"id": "x", "kind": "dac", "colour": "red", "citation": "c"}, "unknown key"),
    ],
)
def test_bad_media_entries(entry, message):
    with pytest.raises(CatalogError, match=message):
        parse_media({"media": [entry]})


def test_media_in_si():
    media = parse_media(
        {
            "media": [
                {
                    "id": "m",
                    "kind": "dac",
                    "speed": "800 Gb/s",
                    "breakout": 2,
                    "reach": "1.5 m",
                    "citation": "c",
                }
            ]
        }
    )
    assert media["m"].reach == 1.5 and media["m"].link_speed == 400e9


def test_interface_breakout_must_split_the_lanes():
    with pytest.raises(CatalogError, match="does not split"):
        parse_interface_types(
            {
                "interface_types": [
                    {"type": "x", "speed": "400G", "lanes": 4, "breakouts": [3], "citation": "c"}
                ]
            }
        )


def test_duplicate_media_id():
    entry = {"id": "m", "kind": "dac", "citation": "c"}
    with pytest.raises(CatalogError, match="twice"):
        parse_media({"media": [entry, entry]})
