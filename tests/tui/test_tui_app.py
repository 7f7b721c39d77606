"""Pilot tests: the editor driven by keys on real example designs."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from conftest import DESIGNS, rules_of, settle
from textual.widgets import Input

from rackval.design.load import read_document
from rackval.design.save import get_value
from rackval.rules import Finding
from rackval.tui.app import RackvalApp, autosave_path
from rackval.tui.picker import PartPicker
from rackval.tui.rack_view import RackView
from rackval.tui.screens import Question
from rackval.tui.tree import DesignTree

SIZE = (160, 50)
OVERLOAD = ("RV-PWR-001", "normal", "power.feeds[r01-A]")


def _app(path: Path, **kwargs) -> RackvalApp:
    return RackvalApp(read_document(path), **kwargs)


async def _type(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def _form_input(pilot, app: RackvalApp, logical: str, field: str) -> Input:
    app.select(logical)
    await pilot.pause()
    assert app.form is not None
    assert app.form.focus_field(field)
    await pilot.pause()
    focused = app.focused
    assert isinstance(focused, Input)
    return focused


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


async def test_add_b200_from_picker_then_undo(pair: Path) -> None:
    app = _app(pair, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert OVERLOAD not in rules_of(app)
        before = len(app.check.report.findings)
        app.select("racks[r01]")
        await pilot.pause()
        view = app.rack_view
        assert isinstance(view, RackView)
        view.focus()
        for _ in range(34):  # from U1 to U35, above the four DGX H100 (U3–U34)
            await pilot.press("up")
        assert view.cursor_u == 35
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PartPicker)
        await _type(pilot, "dgx b200")
        await pilot.press("enter")
        await settle(pilot, app)
        devices = get_value(app.doc, ("racks", 0, "devices"))
        assert [d["part"] for d in devices] == ["nvidia-dgx-h100", "nvidia-dgx-b200"]
        assert devices[1]["u"] == 35
        assert OVERLOAD in rules_of(app)  # 55.1 kW on three 32 A feeds
        assert app.history.dirty and app.title.startswith("●")
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert OVERLOAD not in rules_of(app)
        assert len(app.check.report.findings) == before
        assert not app.history.dirty
        assert not app.problems


async def test_breaker_in_form_clears_the_overload(pair: Path) -> None:
    text = pair.read_text(encoding="utf-8").replace("breaker: 32 A", "breaker: 16 A", 1)
    pair.write_text(text, encoding="utf-8")
    app = _app(pair, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert OVERLOAD in rules_of(app)
        field = await _form_input(pilot, app, "power.feeds[r01-A]", "breaker")
        field.value = ""
        await _type(pilot, "60 A")
        await settle(pilot, app)
        assert get_value(app.doc, ("power", "feeds", 0, "breaker")) == "60 A"
        assert OVERLOAD not in rules_of(app)
        assert len(app.history.done) == 1  # typing a value is one undo step
        assert not app.problems


async def test_wrong_unit_shows_inline_error_and_loses_nothing(pair: Path) -> None:
    app = _app(pair, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        field = await _form_input(pilot, app, "power.feeds[r01-A]", "breaker")
        field.value = ""
        await _type(pilot, "35 degC")
        await pilot.pause()
        assert field.value == "35 degC"  # what was typed stays
        error = app.form.error_of("breaker")
        assert 'expected a current like "32 A"' in error
        assert get_value(app.doc, ("power", "feeds", 0, "breaker")) == "32 A"
        assert not app.history.done
        await pilot.press("backspace", "backspace", "backspace", "backspace", "A")
        await settle(pilot, app)
        assert app.form.error_of("breaker") == ""
        assert get_value(app.doc, ("power", "feeds", 0, "breaker")) == "35 A"
        assert not app.problems


async def test_save_keeps_comments_and_changes_only_the_value(pair: Path) -> None:
    original = pair.read_text(encoding="utf-8")
    app = _app(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        field = await _form_input(pilot, app, "power.feeds[r01-B]", "breaker")
        field.value = ""
        await _type(pilot, "40 A")
        await settle(pilot, app)
        assert autosave_path(pair).exists()  # the crash-safe copy follows the edits
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.history.dirty and not app.title.startswith("●")
        assert not autosave_path(pair).exists()
    saved = pair.read_text(encoding="utf-8")
    old = next(line for line in original.splitlines() if "id: r01-B" in line)
    assert _changed_lines(original, saved) == [
        f"-{old}",
        f"+{old.replace('breaker: 32 A', 'breaker: 40 A')}",
    ]
    assert "# the hall's per-rack limit" in saved


async def test_unchanged_save_is_byte_identical(example) -> None:
    path = example("gb200-nvl72.yaml")
    original = path.read_bytes()
    app = _app(path, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        field = await _form_input(pilot, app, "power.feeds[A1]", "breaker")
        field.value = "63 A"
        await settle(pilot, app)
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert path.read_bytes() == original


async def test_external_change_refuses_the_save(pair: Path) -> None:
    app = _app(pair, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        field = await _form_input(pilot, app, "power.feeds[r01-A]", "breaker")
        field.value = "40 A"
        await settle(pilot, app)
        changed = pair.read_text(encoding="utf-8") + "# changed by someone else\n"
        pair.write_text(changed, encoding="utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Question)
        assert "changed on disk" in app.screen.text
        assert pair.read_text(encoding="utf-8") == changed  # not overwritten
        assert app.history.dirty
        await pilot.click("#reload")
        await settle(pilot, app)
        assert not app.history.dirty
        assert get_value(app.doc, ("power", "feeds", 0, "breaker")) == "32 A"


async def test_quit_with_unsaved_changes_asks(pair: Path) -> None:
    app = _app(pair, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        field = await _form_input(pilot, app, "power.feeds[r01-A]", "breaker")
        field.value = "40 A"
        await settle(pilot, app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, Question)
        await pilot.press("escape")  # cancel: still editing
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, Question)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
        assert not app.is_running
    assert "breaker: 32 A" in pair.read_text(encoding="utf-8")


async def test_autosave_is_offered_on_the_next_open(pair: Path) -> None:
    app = _app(pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        field = await _form_input(pilot, app, "power.feeds[r01-C]", "breaker")
        field.value = "50 A"
        await settle(pilot, app)
    # the app ended without saving or asking (a crash, a killed terminal)
    assert autosave_path(pair).exists()
    again = _app(pair)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again)
        assert isinstance(again.screen, Question)
        await pilot.click("#recover")
        await settle(pilot, again)
        assert get_value(again.doc, ("power", "feeds", 2, "breaker")) == "50 A"
        assert again.history.dirty


async def test_finding_jumps_to_the_field(pair: Path) -> None:
    text = pair.read_text(encoding="utf-8").replace("breaker: 32 A", "breaker: 16 A", 1)
    pair.write_text(text, encoding="utf-8")
    app = _app(pair, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        overload = next(f for f in app.check.findings("normal") if f.rule == "RV-PWR-001")
        assert overload.path == "power.feeds[r01-A]"
        app.jump_to(overload)
        await pilot.pause()
        assert app.current is not None and app.current.path == ("power", "feeds", 0)
        assert app.form is not None
        gap = next(f for f in app.check.report.findings if f.path == "racks[r01].part")
        app.jump_to(gap)  # a field of the rack: its form, with the field focused
        await pilot.pause()
        assert app.current.path == ("racks", 0) and app.current.kind == "form"
        assert isinstance(app.focused, Input) and app.focused.id == "field-part"
        device = Finding("RV-PWR-003", "warning", "feed-lost:A", "racks[r01].devices[r01-n03]", "")
        app.jump_to(device)  # a generated device: the rack view with the cursor on it
        await pilot.pause()
        assert app.rack_view is not None
        assert app.rack_view.cursor_u == 19  # r01-n03: the third DGX H100 from U3, 8 U each


async def test_template_to_clean_design_saved(tmp_path: Path) -> None:
    from rackval.tui.templates import template_text

    path = tmp_path / "new.yaml"
    template = template_text("empty-ab")
    path.write_text(template, encoding="utf-8")
    app = _app(path, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.select("racks[r01]")
        await pilot.pause()
        app.rack_view.focus()
        for _ in range(39):
            await pilot.press("up")
        await pilot.press("a")
        await pilot.pause()
        await _type(pilot, "sn5600")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("d")  # a second switch above the first
        await settle(pilot, app)
        assert not [f for f in app.check.report.findings if f.severity != "info"]
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = path.read_text(encoding="utf-8")
    changes = _changed_lines(template, saved)
    assert changes[0] == "-    devices: []"
    assert all("r01-sw0" in line or line == "+    devices:" for line in changes[1:])
    assert read_document(path).data["racks"][0]["devices"][1]["u"] == 42


async def test_move_duplicate_delete_in_rack_view(pair: Path) -> None:
    app = _app(pair, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.select("racks[r01]")
        await pilot.pause()
        view = app.rack_view
        view.focus()
        await pilot.press("up", "up")  # U3: the first DGX H100
        await pilot.press("shift+down")  # the group of four moves down by one U
        assert get_value(app.doc, ("racks", 0, "devices", 0, "u")) == 2
        await pilot.press("x")
        await settle(pilot, app)
        assert len(get_value(app.doc, ("racks", 0, "devices"))) == 0
        await pilot.press("ctrl+z", "ctrl+z")
        await settle(pilot, app)
        assert get_value(app.doc, ("racks", 0, "devices", 0, "u")) == 3
        assert not app.history.dirty
        assert not app.problems


async def test_help_and_explain(pair: Path) -> None:
    text = pair.read_text(encoding="utf-8").replace("breaker: 32 A", "breaker: 16 A", 1)
    pair.write_text(text, encoding="utf-8")
    app = _app(pair, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f1")
        await pilot.pause()
        assert "ctrl+z" in app.screen.text
        await pilot.press("escape")
        panel = app.query_one("#findings")
        panel.focus()
        panel.highlighted = 0
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert "RV-PWR-001" in app.screen.text or "feed" in app.screen.text.lower()


EXAMPLES = [  # one of each kind: air, liquid, a hall with includes, storage and network
    "dgx-h100-pair.yaml",
    "gb200-nvl72.yaml",
    "dgx-b200-failover.yaml",
    "hall-b200-gb200.yaml",
    "storage-network.yaml",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
async def test_every_object_of_every_example_opens(name: str) -> None:
    # the file in place (includes are relative to it); nothing is written without autosave
    app = _app(DESIGNS / name, autosave=False, offer_recovery=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        tree = app.query_one(DesignTree)
        for node in tree._nodes_all():
            if node.data is not None:
                app.show_ref(node.data)
                await pilot.pause()
        assert app.is_running and not app.problems
        assert app.check.report is not None, app.check.errors


async def test_solver_error_is_a_notification_and_the_edit_stays(pair: Path, monkeypatch) -> None:
    from rackval.errors import SolverError
    from rackval.tui import checker

    app = _app(pair, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)

        def singular(*args, **kwargs):
            raise SolverError("loop tcs-1: singular network (a branch without a path back)")

        monkeypatch.setattr(checker, "validate_design", singular)
        field = await _form_input(pilot, app, "power.feeds[r01-A]", "breaker")
        field.value = "40 A"
        await settle(pilot, app)
        assert app.is_running and not app.problems
        assert "singular network" in app.check.problem
        assert any("singular network" in n.message for n in app._notifications)
        assert get_value(app.doc, ("power", "feeds", 0, "breaker")) == "40 A"
        assert app.history.dirty
