"""Tests for rackval.design.save: edits keep comments, saves are atomic and lose nothing.

The expectations are invariants rather than numbers: an unchanged document dumps to its
own text byte for byte (DESIGN §11), an edit changes exactly the lines it names (checked
with a line diff), and a failed or refused save leaves the file on disk as it was.
"""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

import pytest

from rackval.design.load import read_document
from rackval.design.save import (
    FieldPathError,
    delete_value,
    dump,
    get_value,
    insert_value,
    save,
    set_value,
)
from rackval.errors import DesignError, SaveConflictError

ROOT = Path(__file__).resolve().parents[2]

# The example of DESIGN §3, shortened: comments at the top, inline and between items,
# flow mappings in sequences indented under their key, units, quoting, blank lines.
POD = """\
# yaml-language-server: $schema=../rackval/schemas/design-v1.json
rackval: 1                      # format version (required)
name: gb200-pod-a
description: Two GB200 NVL72 racks, one in-row CDU pair, 400G IB compute fabric

site:
  altitude: 0 m
  max_rack_power: 140 kW        # per-rack limit of the hall (RV-DEN-001), optional
  air:
    supply_temperature: 24 degC
    ashrae_class: A2            # A1 A2 A3 A4 H1: limits come from catalog/standards.yaml
    units: 4
  floor:
    rated_load: 1500 kg/m^2

power:
  feeds:
    - {id: A1, side: A, voltage: 415 V, phases: 3, breaker: 63 A}
    - {id: B1, side: B, voltage: 415 V, phases: 3, breaker: 63 A}
  max_phase_imbalance: 10 %     # RV-PWR-004 limit, optional

racks:
  - id: r01
    part: nvidia-gb200-nvl72-rack     # enclosure from the catalog
    position: {x: 1.2 m, y: 2.0 m, facing: north}
    pdus:
      - {id: r01-pdu-a, part: raritan-px4-5xxx-3ph-60a, feed: A1}
      - {id: r01-pdu-b, part: raritan-px4-5xxx-3ph-60a, feed: B1}
    devices:                    # (U positions illustrative)
      - {id: r01-c01, part: nvidia-gb200-compute-tray, u: 5, count: 10}    # U5–U14
      # the switch trays
      - {id: r01-s01, part: nvidia-nvlink-switch-tray, u: 15, count: 9}    # U15–U23
      - {id: r01-leaf, part: nvidia-qm9700, u: 42}
    # power connections: by default a device's PSUs alternate over the rack's PDUs

waivers:                        # design-local, each with reason and expiry
  - {rule: RV-AIR-003, target: "racks[r01]", reason: 'temporary CRAH', expires: 2027-03-31}
"""

ROUND_TRIP = {
    "design-example": POD,
    "sequences-at-key-column": (
        "racks:\n- id: r01\n  devices:\n  - {id: a, u: 1}\n  - id: b\n    u: 2\n"
        "feeds:\n- A1\n- B1\n"
    ),
    "sequences-indented-2": "racks:\n  - id: r01\n    devices:\n      - {id: a}\n",
    "mapping-indent-4": "site:\n    air:\n        units: 4\n    racks:\n        - id: r01\n",
    "comments-everywhere": (
        "# top comment\n\n# second block\nname: x   # inline\n# between keys\n"
        "site:\n  # first in site\n  a: 1\n\n  # after a blank line\n  b: 2\n"
        "list:\n  - 1   # one\n  # between items\n  - 2\n# at the end\n"
    ),
    "quoted-strings": (
        "a: 'single'\nb: \"double\"\nc: \"racks[r01]\"\nd: 'it''s'\ne: \"tab\\there\"\n"
        "f: '10'\ng: \"yes\"\n"
    ),
    "units-and-numbers": (
        "power: 10.2 kW\nflow: 1.5 L/min\nspeed: 400G\nhex: 0x1F\nmany: 1_000\nf: 1.50\n"
        "e: 1e3\ninf: .inf\nratio: 1:1\npct: 80 %\ndate: 2027-03-31\n"
    ),
    "nulls-and-bools": "a: ~\nb:\nc: null\nd: true\ne: yes\n",
    "aligned-values": "name:        pod   # aligned\nsite:\n  altitude:  0 m\n",
    "flow-with-spaces": "a: { x: 1, y: 2 }\nb: [ 1, 2 ]\nc: {}\nd: []\n",
    "block-scalars": "notes: |\n  line 1\n  line 2\nfolded: >-\n  some\n  text\n",
    "anchors": "base: &b {u: 1}\nx: *b\ny:\n  <<: *b\n  v: 2\n",
    "blank-lines-at-end": "a: 1\n\n\n",
    "no-final-newline": "a: 1\nb: [1, 2]",
    "crlf": "# c\r\na: 1   # x\r\nb:\r\n  - 1\r\n",
    "byte-order-mark": "\ufeffa: 1\n",
    "document-markers": "---\na: 1\n...\n",
    "comment-before-start": "# c\n---\na: 1\n",
    "yaml-directive": "%YAML 1.2\n---\na: 1\n",
    "trailing-spaces": "a: 1   \nb: 2\n",
    "folded-plain-scalar": "description: a long\n  description\nb: 1\n",
    "unicode": "name: Zürich Halle 3 — Reihe B   # ü\n",
    "comments-only": "# nothing here yet\n",
    "empty": "",
}

ALL_DESIGNS = sorted((ROOT / "designs").glob("**/*.yaml"))
LARGE = 20_000  # [bytes] the big fragments repeat one structure hundreds of times
DESIGNS = [p for p in ALL_DESIGNS if p.stat().st_size < LARGE] + [
    max(ALL_DESIGNS, key=lambda p: p.stat().st_size)  # the largest, once
]


def load(tmp_path: Path, text: str, name: str = "design.yaml"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return read_document(path)


def changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """Lines removed from and added to ``before``, in order."""
    old, new = before.splitlines(), after.splitlines()
    removed, added = [], []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


# ------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("text", ROUND_TRIP.values(), ids=ROUND_TRIP.keys())
def test_unchanged_document_dumps_byte_identical(tmp_path, text):
    doc = load(tmp_path, text)
    assert dump(doc) == text


@pytest.mark.parametrize("text", ROUND_TRIP.values(), ids=ROUND_TRIP.keys())
def test_unchanged_document_saves_byte_identical(tmp_path, text):
    doc = load(tmp_path, text)
    raw = doc.path.read_bytes()
    save(doc)
    assert doc.path.read_bytes() == raw


@pytest.mark.parametrize("path", ALL_DESIGNS, ids=[str(p.relative_to(ROOT)) for p in ALL_DESIGNS])
def test_example_designs_round_trip(path):
    doc = read_document(path)
    assert dump(doc) == path.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ edits

EDITS = [
    (
        "set-scalar",
        lambda d: set_value(d, ("site", "altitude"), "100 m"),
        ["  altitude: 0 m"],
        ["  altitude: 100 m"],
    ),
    (
        "set-scalar-with-comment",
        lambda d: set_value(d, ("site", "max_rack_power"), "120 kW"),
        ["  max_rack_power: 140 kW        # per-rack limit of the hall (RV-DEN-001), optional"],
        ["  max_rack_power: 120 kW        # per-rack limit of the hall (RV-DEN-001), optional"],
    ),
    (
        "set-in-flow-mapping",
        lambda d: set_value(d, ("power", "feeds", 0, "breaker"), "80 A"),
        ["    - {id: A1, side: A, voltage: 415 V, phases: 3, breaker: 63 A}"],
        ["    - {id: A1, side: A, voltage: 415 V, phases: 3, breaker: 80 A}"],
    ),
    (
        "replace-flow-mapping-stays-flow",
        lambda d: set_value(d, ("racks", 0, "position"), {"x": "1.8 m", "y": "2.0 m"}),
        ["    position: {x: 1.2 m, y: 2.0 m, facing: north}"],
        ["    position: {x: 1.8 m, y: 2.0 m}"],
    ),
    (
        "new-key-ends-its-mapping",
        lambda d: set_value(d, ("site", "floor", "height"), "600 mm"),
        [],
        ["    height: 600 mm"],
    ),
    (
        "new-mappings-created-before-blank-line",
        lambda d: set_value(d, ("site", "hall", "width"), "12 m"),
        [],
        ["  hall:", "    width: 12 m"],
    ),
    (
        "insert-device-in-the-middle",
        lambda d: insert_value(d, ("racks", 0, "devices"), 2, {"id": "r01-x", "u": 30}),
        [],
        ["      - {id: r01-x, u: 30}"],
    ),
    (
        "append-device",
        lambda d: insert_value(d, ("racks", 0, "devices"), 3, {"id": "r01-y", "u": 41}),
        [],
        ["      - {id: r01-y, u: 41}"],
    ),
    (
        "append-rack-block-style",
        lambda d: insert_value(d, ("racks",), 1, {"id": "r02", "part": "x", "devices": []}),
        [],
        ["  - id: r02", "    part: x", "    devices: []"],
    ),
    (
        "delete-device-with-comment-above-next",
        lambda d: delete_value(d, ("racks", 0, "devices", 0)),
        ["      - {id: r01-c01, part: nvidia-gb200-compute-tray, u: 5, count: 10}    # U5–U14"],
        [],
    ),
    (
        "delete-last-device",
        lambda d: delete_value(d, ("racks", 0, "devices", 2)),
        ["      - {id: r01-leaf, part: nvidia-qm9700, u: 42}"],
        [],
    ),
    (
        "delete-key-before-blank-line",
        lambda d: delete_value(d, ("site", "floor")),
        ["  floor:", "    rated_load: 1500 kg/m^2"],
        [],
    ),
    (
        "delete-first-key",
        lambda d: delete_value(d, ("rackval",)),
        ["rackval: 1                      # format version (required)"],
        [],
    ),
    (
        "delete-only-item",
        lambda d: delete_value(d, ("waivers", 0)),
        [
            "waivers:                        # design-local, each with reason and expiry",
            "  - {rule: RV-AIR-003, target: \"racks[r01]\", reason: 'temporary CRAH', "
            "expires: 2027-03-31}",
        ],
        ["waivers: []                     # design-local, each with reason and expiry"],
    ),
    (
        "delete-key-with-block-value",
        lambda d: delete_value(d, ("site", "air")),
        [
            "  air:",
            "    supply_temperature: 24 degC",
            "    ashrae_class: A2            # A1 A2 A3 A4 H1: limits come from "
            "catalog/standards.yaml",
            "    units: 4",
        ],
        [],
    ),
]


@pytest.mark.parametrize(
    ("edit", "removed", "added"), [e[1:] for e in EDITS], ids=[e[0] for e in EDITS]
)
def test_edit_changes_only_its_lines(tmp_path, edit, removed, added):
    doc = load(tmp_path, POD)
    edit(doc)
    text = dump(doc)
    assert changes(POD, text) == (removed, added)
    for line in POD.splitlines():  # every comment line survives
        if line.lstrip().startswith("#"):
            assert line in text.splitlines()


def test_set_keeps_quotes(tmp_path):
    doc = load(tmp_path, "name: \"pod-a\"   # quoted\nother: 'x'\n")
    set_value(doc, ("name",), "pod-b")
    set_value(doc, ("other",), "y")
    assert dump(doc) == "name: \"pod-b\"   # quoted\nother: 'y'\n"


CONVENTIONS = [
    ("crlf", ("a",), 2, "a: 1   # x\r\n", "a: 2   # x\r\n"),
    ("byte-order-mark", ("a",), 2, "a: 1", "a: 2"),
    ("no-final-newline", ("b", 1), 3, "b: [1, 2]", "b: [1, 3]"),
    ("document-markers", ("a",), 2, "a: 1", "a: 2"),
    ("yaml-directive", ("a",), 2, "a: 1", "a: 2"),
    ("comment-before-start", ("a",), 2, "a: 1", "a: 2"),
    ("trailing-spaces", ("b",), 3, "b: 2", "b: 3"),
    ("nulls-and-bools", ("d",), False, "d: true", "d: false"),
    ("folded-plain-scalar", ("b",), 2, "b: 1", "b: 2"),
    ("flow-with-spaces", ("c",), {"k": 1}, "c: {}", "c:\n  k: 1"),  # empty grows a block
    ("sequences-at-key-column", ("feeds", 1), "B2", "- B1", "- B2"),
    ("mapping-indent-4", ("site", "air", "units"), 5, "units: 4", "units: 5"),
]


@pytest.mark.parametrize(
    ("case", "path", "value", "old", "new"), CONVENTIONS, ids=[c[0] for c in CONVENTIONS]
)
def test_edit_keeps_file_conventions(tmp_path, case, path, value, old, new):
    """Line ends, byte-order mark, markers, indentation and the formatting ruamel would
    normalize all stay as they were; only the edited line changes."""
    text = ROUND_TRIP[case]
    doc = load(tmp_path, text)
    set_value(doc, path, value)
    assert dump(doc) == text.replace(old, new, 1)


def test_merge_keys_are_refused(tmp_path):
    doc = load(tmp_path, ROUND_TRIP["anchors"])
    for edit in (
        lambda: set_value(doc, ("y", "v"), 3),
        lambda: delete_value(doc, ("base", "u")),
        lambda: set_value(doc, ("base", "w"), 1),
    ):
        with pytest.raises(DesignError, match="merge key"):
            edit()
    assert dump(doc) == ROUND_TRIP["anchors"]


def test_set_keeps_alignment_of_other_lines(tmp_path):
    text = "name:        pod   # aligned\nsite:\n  altitude:  0 m\n  units:     4\n"
    doc = load(tmp_path, text)
    set_value(doc, ("site", "units"), 5)
    assert changes(text, dump(doc)) == (["  units:     4"], ["  units: 5"])


@pytest.mark.parametrize(
    ("text", "added"),
    [
        ("feeds:\n- {id: A1}\n# tail\n", "- {id: B1, side: B}"),
        ("feeds:\n  - {id: A1}\n# tail\n", "  - {id: B1, side: B}"),
        ("feeds:\n    - {id: A1}\n# tail\n", "    - {id: B1, side: B}"),
        ("feeds:\n  - id: A1\n# tail\n", "  - id: B1\n    side: B"),
        ("feeds: []   # none yet\n# tail\n", None),
    ],
    ids=["flow-offset-0", "flow-offset-2", "flow-offset-4", "block", "empty"],
)
def test_insert_follows_neighbours(tmp_path, text, added):
    doc = load(tmp_path, text)
    insert_value(doc, ("feeds",), len(get_value(doc, ("feeds",))), {"id": "B1", "side": "B"})
    out = dump(doc)
    if added is None:
        assert out == "feeds:      # none yet\n  - id: B1\n    side: B\n# tail\n"
    else:
        assert out == text.replace("# tail\n", added + "\n# tail\n")


def test_insert_at_start_keeps_comment_after_key(tmp_path):
    text = "devices:   # list\n  # first ones\n  - a\n  - b\n"
    doc = load(tmp_path, text)
    insert_value(doc, ("devices",), 0, "z")
    assert dump(doc) == "devices:   # list\n  # first ones\n  - z\n  - a\n  - b\n"


def test_edits_then_save_reload(tmp_path):
    doc = load(tmp_path, POD)
    set_value(doc, ("site", "air", "units"), 5)
    insert_value(doc, ("racks", 0, "devices"), 1, {"id": "r01-x", "u": 30})
    delete_value(doc, ("power", "max_phase_imbalance"))
    save(doc)
    again = read_document(doc.path)
    assert get_value(again, ("site", "air", "units")) == 5
    assert get_value(again, ("racks", 0, "devices", 1, "id")) == "r01-x"
    assert "max_phase_imbalance" not in get_value(again, ("power",))
    assert again.text == doc.text


def test_set_then_restore_gives_original_text(tmp_path):
    doc = load(tmp_path, POD)
    set_value(doc, ("racks", 0, "devices", 1, "u"), 16)
    set_value(doc, ("racks", 0, "devices", 1, "u"), 15)
    assert dump(doc) == POD


def test_get_value(tmp_path):
    doc = load(tmp_path, POD)
    assert get_value(doc, ("site", "air", "units")) == 4
    assert get_value(doc, ("racks", 0, "devices", -1, "id")) == "r01-leaf"
    assert get_value(doc, ())["name"] == "gb200-pod-a"


def test_set_value_in_empty_file(tmp_path):
    doc = load(tmp_path, "")
    set_value(doc, ("rackval",), 1)
    assert dump(doc) == "rackval: 1\n"


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call", "kind", "named"),
    [
        (lambda d: get_value(d, ("site", "nope")), KeyError, "site.nope"),
        (lambda d: get_value(d, ("racks", 5)), IndexError, "racks[5]"),
        (lambda d: get_value(d, ("name", "x")), KeyError, "name.x"),
        (lambda d: delete_value(d, ("power", "feeds", 2)), IndexError, "power.feeds[2]"),
        (lambda d: delete_value(d, ("nope",)), KeyError, "nope"),
        (lambda d: set_value(d, ("racks", 3, "id"), "x"), IndexError, "racks[3]"),
        (lambda d: set_value(d, ("site", "new", 0), "x"), KeyError, "site.new[0]"),
        (lambda d: set_value(d, (), {}), KeyError, "document root"),
        (lambda d: insert_value(d, ("site",), 0, "x"), KeyError, "site"),
        (lambda d: insert_value(d, ("power", "feeds"), 3, {}), IndexError, "power.feeds[3]"),
    ],
    ids=[
        "missing-key",
        "index-out-of-range",
        "through-a-scalar",
        "delete-missing-item",
        "delete-missing-key",
        "set-missing-item",
        "create-list-item",
        "root",
        "insert-into-mapping",
        "insert-past-end",
    ],
)
def test_missing_path_is_a_clear_design_error(tmp_path, call, kind, named):
    doc = load(tmp_path, POD)
    with pytest.raises(FieldPathError) as info:
        call(doc)
    assert isinstance(info.value, DesignError)
    assert isinstance(info.value, kind)
    assert named in str(info.value)
    assert str(doc.path) in str(info.value)
    assert dump(doc) == POD  # nothing was changed


def test_unwritable_value_is_refused_before_any_change(tmp_path):
    doc = load(tmp_path, POD)
    with pytest.raises(TypeError):
        set_value(doc, ("site", "new", "deep"), {"x": object()})
    assert dump(doc) == POD


# ----------------------------------------------------------------------------- saving


def files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.mark.parametrize("failing", ["replace", "fsync", "chmod"])
def test_failed_save_leaves_file_and_no_temporary(tmp_path, monkeypatch, failing):
    doc = load(tmp_path, POD)
    set_value(doc, ("name",), "changed")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(DesignError, match="No space left on device"):
        save(doc)
    monkeypatch.undo()
    assert doc.path.read_text(encoding="utf-8") == POD
    assert files_in(tmp_path) == ["design.yaml"]
    save(doc)  # the document is still good: a later save works
    assert read_document(doc.path).data["name"] == "changed"


def test_conflict_when_file_changed_on_disk(tmp_path):
    doc = load(tmp_path, POD)
    set_value(doc, ("name",), "mine")
    theirs = POD.replace("gb200-pod-a", "theirs")
    doc.path.write_text(theirs, encoding="utf-8")
    with pytest.raises(SaveConflictError) as info:
        save(doc)
    message = str(info.value)
    assert str(doc.path) in message
    assert "changed on disk since it was loaded" in message
    assert "reload" in message and "another name" in message
    assert doc.path.read_text(encoding="utf-8") == theirs
    assert files_in(tmp_path) == ["design.yaml"]


def test_conflict_when_file_changes_while_saving(tmp_path, monkeypatch):
    doc = load(tmp_path, POD)
    set_value(doc, ("name",), "mine")
    chmod = os.chmod

    def other_writer(path, mode, **kwargs):  # runs after the temporary file is written
        doc.path.write_text("name: theirs\n", encoding="utf-8")
        chmod(path, mode, **kwargs)

    monkeypatch.setattr(os, "chmod", other_writer)
    with pytest.raises(SaveConflictError):
        save(doc)
    assert doc.path.read_text(encoding="utf-8") == "name: theirs\n"
    assert files_in(tmp_path) == ["design.yaml"]


def test_conflict_when_file_deleted(tmp_path):
    doc = load(tmp_path, POD)
    doc.path.unlink()
    with pytest.raises(SaveConflictError, match="deleted"):
        save(doc)
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o664])
def test_save_keeps_permission_bits(tmp_path, mode):
    doc = load(tmp_path, POD)
    os.chmod(doc.path, mode)
    set_value(doc, ("name",), "changed")
    save(doc)
    assert stat.S_IMODE(os.stat(doc.path).st_mode) == mode


def test_second_save_works(tmp_path):
    doc = load(tmp_path, POD)
    set_value(doc, ("name",), "first")
    save(doc)
    set_value(doc, ("name",), "second")
    save(doc)
    assert read_document(doc.path).data["name"] == "second"
    assert doc.text == doc.path.read_text(encoding="utf-8")
    doc.path.write_text("name: other\n", encoding="utf-8")  # and conflicts still show
    set_value(doc, ("name",), "third")
    with pytest.raises(SaveConflictError):
        save(doc)


def test_save_as_another_file(tmp_path):
    doc = load(tmp_path, POD)
    set_value(doc, ("name",), "copy")
    target = tmp_path / "copy.yaml"
    save(doc, target)
    assert (tmp_path / "design.yaml").read_text(encoding="utf-8") == POD
    assert doc.path == target
    assert read_document(target).data["name"] == "copy"
    save(doc)  # the document now belongs to the new file


def test_save_through_symlink_keeps_link(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text(POD, encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    doc = read_document(link)
    set_value(doc, ("name",), "via-link")
    save(doc)
    assert link.is_symlink()
    assert read_document(real).data["name"] == "via-link"
    assert files_in(tmp_path) == ["link.yaml", "real.yaml"]


def list_paths(node, path=()):
    """Paths of every non-empty list in a ruamel tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from list_paths(value, (*path, str(key)))
    elif isinstance(node, list):
        if node:
            yield path
        for index, value in enumerate(node):
            yield from list_paths(value, (*path, index))


@pytest.mark.parametrize(
    "text",
    [POD, *(p.read_text(encoding="utf-8") for p in DESIGNS)],
    ids=["pod", *(p.name for p in DESIGNS)],
)
def test_insert_adds_and_delete_removes_lines_only(tmp_path, text):
    """In every list: appending a copy of the last item only adds lines, deleting it again
    gives the original text back; deleting the first of several items only removes lines."""
    doc = load(tmp_path, text)
    lists = list(list_paths(doc.data))
    for path in lists[:: max(1, len(lists) // 15)]:  # at most ~15 evenly spread lists
        items = get_value(doc, path)
        end = len(items)
        flow = items.fa.flow_style()  # a flow list is one line: it changes
        insert_value(doc, path, end, items[-1])
        removed, added = changes(text, dump(doc))
        assert (len(removed), len(added)) == (1, 1) if flow else (removed == [] and added), path
        assert "&" not in added[-1], path  # a copy, not an alias
        delete_value(doc, (*path, end))
        assert dump(doc) == text, path
        if end == 1:
            continue  # the list would become `key: []`
        fresh = load(tmp_path, text)
        delete_value(fresh, (*path, 0))
        removed, added = changes(text, dump(fresh))
        assert (len(removed), len(added)) == (1, 1) if flow else (added == [] and removed), path


def test_dump_edit_dump(tmp_path):
    """A tree dumped once dumps right again after an edit (ruamel marks the comments it
    wrote; the TUI saves, edits and saves the same tree)."""
    doc = load(tmp_path, "site:\n  # first in site\n  a: 1\nlast: 1\n")
    assert dump(doc) == dump(doc) == doc.text
    set_value(doc, ("site",), ["a", "b"])
    assert dump(doc) == "site:\n  # first in site\n  - a\n  - b\nlast: 1\n"


def scalar_paths(node, path=()):
    """Paths of every scalar in a ruamel tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from scalar_paths(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from scalar_paths(value, (*path, index))
    else:
        yield path


@pytest.mark.parametrize(
    "text",
    [POD, *(p.read_text(encoding="utf-8") for p in DESIGNS)],
    ids=["pod", *(p.name for p in DESIGNS)],
)
def test_setting_any_field_changes_one_line(tmp_path, text):
    """A field set to a new value changes its line only; its old value back gives the
    original text."""
    doc = load(tmp_path, text)
    paths = list(scalar_paths(doc.data))
    for path in paths[:: max(1, len(paths) // 30)]:  # at most ~30 evenly spread fields
        old = get_value(doc, path)
        set_value(doc, path, "changed value")
        removed, added = changes(text, dump(doc))
        assert len(removed) == len(added) == 1, path
        assert "changed value" in added[0], path
        set_value(doc, path, old)
        assert dump(doc) == text, path
