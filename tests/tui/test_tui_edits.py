"""Edits, history, fields, picker search and the ``edit`` command (no app running)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DESIGNS

from rackval.cli import cli
from rackval.design.load import read_document
from rackval.design.save import dump, get_value
from rackval.tui.edits import DeleteItem, EditGroup, History, InsertItem, SetField
from rackval.tui.fields import check_value, fields_at
from rackval.tui.picker import fuzzy_score
from rackval.tui.templates import TEMPLATES, template_text
from rackval.validate import validate

EXAMPLES = ["dgx-h100-pair.yaml", "gb200-nvl72.yaml"]


def _edits() -> list:
    return [
        SetField(("power", "feeds", 0, "breaker"), "40 A"),
        SetField(("site", "altitude"), None, remove=True),
        SetField(("racks", 0, "devices", 0, "face"), "rear"),  # a new key in a flow mapping
        InsertItem(("racks", 0, "devices"), 1, {"id": "r01-x01", "part": "nvidia-qm9700", "u": 40}),
        DeleteItem(("racks", 0, "pdus", 1)),
        EditGroup(
            [
                SetField(("racks", 0, "devices", 0, "u"), 2),
                DeleteItem(("power", "feeds", 1)),
            ]
        ),
    ]


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_edit_undoes_to_the_same_bytes(name: str) -> None:
    doc = read_document(DESIGNS / name)
    for edit in _edits():
        history = History(doc)
        history.apply(edit)
        assert history.dirty
        assert dump(doc) != doc.text
        history.undo()
        assert not history.dirty
        assert dump(doc) == doc.text, edit
        history.redo()
        history.undo()
        assert dump(doc) == doc.text, edit


def test_typing_one_field_is_one_undo_step() -> None:
    doc = read_document(DESIGNS / "dgx-h100-pair.yaml")
    history = History(doc)
    for text in ("4", "40", "40 ", "40 A"):
        history.apply(SetField(("power", "feeds", 0, "breaker"), text))
    assert len(history.done) == 1
    history.undo()
    assert get_value(doc, ("power", "feeds", 0, "breaker")) == "60 A"


def test_saved_state_is_lost_when_a_new_edit_replaces_an_undone_one() -> None:
    doc = read_document(DESIGNS / "dgx-h100-pair.yaml")
    history = History(doc, merge_seconds=0)
    history.apply(SetField(("power", "feeds", 0, "breaker"), "40 A"))
    history.mark_saved()
    history.undo()
    assert history.dirty
    history.apply(SetField(("power", "feeds", 0, "breaker"), "50 A"))
    assert history.dirty
    history.undo()
    assert history.dirty  # back at the loaded state, which is not the saved one


def test_a_failing_group_changes_nothing() -> None:
    doc = read_document(DESIGNS / "dgx-h100-pair.yaml")
    group = EditGroup(
        [SetField(("power", "feeds", 0, "breaker"), "40 A"), DeleteItem(("racks", 9))]
    )
    with pytest.raises(KeyError):
        History(doc).apply(group)
    assert dump(doc) == doc.text


def test_fields_know_units_and_choices() -> None:
    feed = {f.name: f for f in fields_at(("power", "feeds", 0))}
    assert feed["breaker"].dimension == "current"
    assert feed["wiring"].choices == ("wye", "delta", "single")
    assert check_value(feed["breaker"], "63 A") == ("63 A", "")
    value, error = check_value(feed["breaker"], "35 degC")
    assert value is None and 'expected a current like "32 A"' in error
    assert check_value(feed["max_utilization"], "0.8") == (0.8, "")
    device = {f.name: f for f in fields_at(("racks", 0, "devices", 0))}
    assert device["part"].kind == "part" and device["u"].kind == "int"
    assert check_value(device["u"], "x")[1]


def test_fuzzy_search() -> None:
    assert fuzzy_score("dgx b200", "nvidia-dgx-b200 NVIDIA DGX B200 gpu-node") is not None
    assert fuzzy_score("dgxb2", "nvidia-dgx-b200") is not None
    assert fuzzy_score("zzz", "nvidia-dgx-b200") is None
    assert fuzzy_score("dgx", "nvidia-dgx-b200") > fuzzy_score("dgx", "d-g-x")


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_templates_validate_clean(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(template_text(name), encoding="utf-8")
    report = validate(path)
    assert not [f for f in report.findings if f.severity != "info"]


def test_edit_new_refuses_an_existing_file_and_unknown_templates(tmp_path: Path) -> None:
    runner = CliRunner()
    existing = tmp_path / "there.yaml"
    existing.write_text("rackval: 1\n", encoding="utf-8")
    result = runner.invoke(cli, ["edit", "--new", str(existing)])
    assert result.exit_code == 2 and "exists" in result.output
    assert existing.read_text(encoding="utf-8") == "rackval: 1\n"
    result = runner.invoke(cli, ["edit", "--new", str(tmp_path / "x.yaml"), "--template", "nope"])
    assert result.exit_code == 2 and "unknown template" in result.output
    result = runner.invoke(cli, ["edit", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "--new" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("rackval: 1\nname: [unclosed\n", encoding="utf-8")
    result = runner.invoke(cli, ["edit", str(bad)])
    assert result.exit_code == 2 and "malformed YAML" in result.output
    assert "Traceback" not in result.output
