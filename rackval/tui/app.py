"""``rackval edit``: the Textual design editor.

Layout: the design tree (left), the rack view or a field form (centre), the findings
panel (right), the summary bar and the key footer (bottom). Every change is an
undoable edit on the ruamel document (:mod:`rackval.tui.edits`). After each edit an
exclusive thread worker dumps the document, validates it through the same API as
``rackval validate`` (:mod:`rackval.tui.checker`) and writes the crash-safe autosave
copy; only the newest edit's result is shown, and typing never waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Static
from textual.worker import get_current_worker

from ..catalog import Catalog, load_catalog
from ..design.load import Document, FieldPath, parse_document, read_document
from ..design.parts import Part
from ..design.resolve import expand_ids
from ..design.save import dump, get_value, save
from ..errors import DesignError, DesignErrors, RackvalError, SaveConflictError
from ..rules import Finding
from .checker import Check, check_text
from .edits import DeleteItem, EditGroup, History, InsertItem, SetField, plain
from .findings import ALL, FindingsPanel, SummaryBar
from .forms import FieldForm
from .picker import DEVICE_KINDS, PartPicker
from .rack_view import RackView
from .screens import HelpScreen, Question, SaveAs, TextScreen
from .tree import DesignTree, NodeRef

__all__ = ["RackvalApp", "autosave_path"]

ID_PREFIX = {
    "gpu-node": "n",
    "cpu-node": "n",
    "compute-tray": "c",
    "switch": "sw",
    "storage": "st",
    "power-shelf": "ps",
}


def autosave_path(path: Path) -> Path:
    """Where the crash-safe copy of ``path`` is kept: ``.NAME.rackval-autosave`` beside it."""
    return path.with_name(f".{path.name}.rackval-autosave")


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _ids(data: Any) -> set[str]:
    """Every id in the document, ``count`` groups expanded."""
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ident = node.get("id")
            if isinstance(ident, str):
                count = node.get("count")
                if isinstance(count, int) and not isinstance(count, bool) and count > 1:
                    found.update(expand_ids(ident, min(count, 999)))
                else:
                    found.add(ident)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


class RackvalApp(App[None]):
    """The design editor for one file."""

    CSS_PATH = "app.tcss"
    TITLE = "rackval edit"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+z", "undo", "Undo", priority=True),
        Binding("ctrl+y", "redo", "Redo", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1,question_mark", "help", "Help"),
        Binding("f2", "pick_part", "Pick part"),
        Binding("ctrl+e", "explain", "Explain"),
        Binding("ctrl+n", "next_scenario", "Scenario"),
    ]

    def __init__(
        self,
        doc: Document,
        catalog: Catalog | None = None,
        *,
        autosave: bool = True,
        offer_recovery: bool = True,
    ) -> None:
        super().__init__()
        self.doc = doc
        self.catalog = catalog if catalog is not None else load_catalog()
        self.history = History(doc)
        self.autosave = autosave
        self.offer_recovery = offer_recovery
        self.generation = 0
        self.check: Check | None = None
        self.current: NodeRef | None = None
        self.problems: list[str] = []  # tracebacks of internal errors (RACKVAL_DEBUG prints them)
        self.crash_message = ""  # set when an internal error closed the editor
        self.shown_at = 0.0  # perf_counter() when the newest findings were shown
        self._last_problem = ""  # the solver or internal error last notified
        self._lock = threading.Lock()
        self._parts: list[Part] | None = None
        self.rack_view: RackView | None = None  # what the centre shows
        self._centre_lock = asyncio.Lock()
        self._centre_latest: Any = None
        self.form: FieldForm | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield DesignTree(id="tree")
            yield Container(id="centre")
            yield FindingsPanel(id="findings-panel")
        yield SummaryBar(id="summary")
        yield Footer()

    def on_mount(self) -> None:
        """Show the design, validate it, and offer an autosaved copy if there is one."""
        self._update_title()
        tree = self.query_one(DesignTree)
        tree.rebuild(self.doc.data)
        tree.focus()
        self.show_ref(NodeRef("form", (), "", "design"))
        self.validate_now()
        if self.offer_recovery:
            self._offer_autosave()

    # ------------------------------------------------------------------ errors

    def _handle_exception(self, error: Exception) -> None:
        """No traceback reaches the user: an internal error closes the editor cleanly.

        The edits are written to the autosave copy first (offered on the next open);
        ``crash_message`` says what happened, and ``rackval edit`` prints it.
        """
        if os.environ.get("RACKVAL_DEBUG") == "1":
            super()._handle_exception(error)
            return
        self.problems.append("".join(traceback.format_exception(error)))
        kept = ""
        if self.history.dirty and self._lock.acquire(timeout=2):
            try:
                self._write_autosave(dump(self.doc), from_thread=False)
                kept = f"; your unsaved edits are in {autosave_path(self.path)}"
            except Exception:  # the copy is best effort; the message says if it was kept
                kept = ""
            finally:
                self._lock.release()
        self.crash_message = f"internal error: {type(error).__name__}: {error}{kept}"
        self.exit(return_code=2)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification; its text is shown as written (``racks[r01]`` is no markup)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _fail(self, what: str, exc: BaseException) -> None:
        """Show an expected error (bad value, I/O) as a notification."""
        if isinstance(exc, DesignErrors):
            text = "; ".join(e.message for e in exc.errors)
        elif isinstance(exc, DesignError):
            text = exc.message
        else:
            text = str(exc)
        self.notify(f"{what}: {text}", severity="error", timeout=8)

    # ------------------------------------------------------------------ state

    @property
    def path(self) -> Path:
        """The file being edited."""
        return Path(self.doc.path)

    def part_of(self, slug: str) -> Part | None:
        """A part of the catalog or of the design's inline ``parts:``."""
        try:
            part = self.catalog.get(slug)
        except RackvalError:
            part = None
        if part is not None:
            return part
        report = self.check.report if self.check is not None else None
        if report is not None:
            return report.design.parts.get(slug)
        return None

    def all_parts(self) -> list[Part]:
        """Every catalog part (read on first use)."""
        if self._parts is None:
            parts: list[Part] = []
            for slug in self.catalog.slugs():
                try:
                    part = self.catalog.get(slug)
                except RackvalError:
                    continue
                if part is not None:
                    parts.append(part)
            self._parts = parts
        return self._parts

    def _update_title(self) -> None:
        mark = "● " if self.history.dirty else ""
        self.title = f"{mark}rackval edit — {self.path.name}"
        self.sub_title = "unsaved changes" if self.history.dirty else "saved"

    # ------------------------------------------------------------------ edits

    def apply(self, edit: Any) -> bool:
        """Do an edit, then refresh the views and validate; False if it could not be done."""
        try:
            with self._lock:
                self.history.apply(edit)
        except (RackvalError, KeyError, IndexError, TypeError, ValueError) as exc:
            self._fail("cannot change the design", exc)
            return False
        self._after_edit(edit)
        return True

    def action_undo(self) -> None:
        """Undo the last edit."""
        with self._lock:
            edit = self.history.undo()
        if edit is None:
            self.notify("nothing to undo")
            return
        self._after_edit(edit)
        self.notify(f"undone: {edit.label or 'edit'}", timeout=2)

    def action_redo(self) -> None:
        """Redo the last undone edit."""
        with self._lock:
            edit = self.history.redo()
        if edit is None:
            self.notify("nothing to redo")
            return
        self._after_edit(edit)
        self.notify(f"redone: {edit.label or 'edit'}", timeout=2)

    def _after_edit(self, edit: Any) -> None:
        structural = isinstance(edit, (InsertItem, DeleteItem, EditGroup))
        self._update_title()
        tree = self.query_one(DesignTree)
        tree.rebuild(self.doc.data)
        self._refresh_centre(structural)
        self.validate_now()

    def _refresh_centre(self, structural: bool) -> None:
        """Show the current object again with the document's new values."""
        current = self.current
        if current is None:
            return
        tree = self.query_one(DesignTree)
        try:
            value = get_value(self.doc, current.path)
        except (KeyError, IndexError):
            value = None
        if self.rack_view is not None and current.kind in ("rack", "generated"):
            try:
                rack = get_value(self.doc, self.rack_view.rack_path)
            except (KeyError, IndexError):
                rack = None
            if rack is not None:
                self.rack_view.show(rack, self.part_of)
                return
        elif self.form is not None and value is not None and not structural:
            self.form.update_values(value)
            return
        node = tree.find(current.logical, (current.kind,)) if current.logical else None
        if node is not None and node.data is not None:
            self.show_ref(node.data)
        elif tree.cursor_node is not None and tree.cursor_node.data is not None:
            self.show_ref(tree.cursor_node.data)

    # ------------------------------------------------------------------ validation

    def validate_now(self) -> None:
        """Start validating the current document (a newer edit cancels an older run)."""
        self.generation += 1
        self.query_one(SummaryBar).show(self._summary(), self.check, pending=True)
        self._validate(self.generation)

    @work(exclusive=True, thread=True, group="validate", exit_on_error=False)
    def _validate(self, generation: int) -> None:
        worker = get_current_worker()
        with self._lock:
            if generation != self.generation:
                return
            text = dump(self.doc)
            dirty = self.history.dirty
        if worker.is_cancelled:
            return
        self._write_autosave(text if dirty else None)
        if worker.is_cancelled:
            return
        check = check_text(self.path, text, self.catalog, generation)
        if worker.is_cancelled or generation != self.generation:
            return
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(self._show_check, check)

    def _show_check(self, check: Check) -> None:
        if check.generation != self.generation:
            return  # a newer edit is being validated
        self.check = check
        self.shown_at = time.perf_counter()
        if check.problem and check.problem != self._last_problem:
            self.notify(f"not validated: {check.problem} (the edit is kept)", severity="error")
        self._last_problem = check.problem
        panel = self.query_one(FindingsPanel)
        panel.show(check)
        self.query_one(SummaryBar).show(panel.summary(), check, pending=False)
        view = self.rack_view
        if view is not None:
            with contextlib.suppress(KeyError, IndexError):
                view.show(get_value(self.doc, view.rack_path), self.part_of)

    def _summary(self) -> Any:
        panel = self.query(FindingsPanel)
        return panel.first().summary() if panel else None

    @property
    def validated(self) -> bool:
        """Whether the findings shown belong to the newest edit."""
        return self.check is not None and self.check.generation == self.generation

    @on(FindingsPanel.ScenarioChanged)
    def _scenario_changed(self) -> None:
        self.query_one(SummaryBar).show(self._summary(), self.check, pending=not self.validated)

    def action_next_scenario(self) -> None:
        """Switch the findings panel to the next scenario."""
        panel = self.query_one(FindingsPanel)
        names = [ALL, *(self.check.scenarios() if self.check else [])]
        from textual.widgets import Select

        select = panel.query_one("#scenario", Select)
        current = select.value if select.value in names else ALL
        select.value = names[(names.index(current) + 1) % len(names)]

    # ------------------------------------------------------------------ autosave

    def _write_autosave(self, text: str | None, from_thread: bool = True) -> None:
        """Keep the crash-safe copy (``None``: the document is saved; remove it)."""
        if not self.autosave:
            return
        target = autosave_path(self.path)
        try:
            if text is None:
                target.unlink(missing_ok=True)
            else:
                _write_atomic(target, text)
        except OSError as exc:
            message = f"cannot write the autosave copy: {exc.strerror}"
            if not from_thread:
                raise
            with contextlib.suppress(RuntimeError):
                self.call_from_thread(self.notify, message, severity="warning")

    def _remove_autosave(self) -> None:
        with contextlib.suppress(OSError):
            autosave_path(self.path).unlink(missing_ok=True)

    def _offer_autosave(self) -> None:
        copy = autosave_path(self.path)
        try:
            text = copy.read_text(encoding="utf-8")
        except OSError:
            return
        if text == self.doc.text:
            self._remove_autosave()
            return

        def answer(choice: str | None) -> None:
            if choice == "recover":
                self.recover(text)
            elif choice == "discard":
                self._remove_autosave()

        self.push_screen(
            Question(
                f"An autosaved copy of {self.path.name} with unsaved changes was found "
                f"({copy.name}). Recover those changes?",
                [("recover", "Recover"), ("discard", "Discard the copy"), ("cancel", "Later")],
            ),
            answer,
        )

    def recover(self, text: str) -> None:
        """Replace the document's data with recovered text (unsaved until saved)."""
        try:
            recovered = parse_document(self.path, text)
        except DesignError as exc:
            self._fail("cannot recover the autosaved copy", exc)
            return
        with self._lock:
            self.doc.data = recovered.data
            self.history.mark_replaced()
        self.current = None
        self._after_edit(EditGroup([], "recover"))
        self.show_ref(NodeRef("form", (), "", "design"))
        self.notify("recovered the autosaved changes (not saved yet)")

    # ------------------------------------------------------------------ centre

    def show_ref(self, ref: NodeRef, *, field: str = "", device: str = "") -> None:
        """Show the rack view or the form of ``ref`` in the centre.

        The new widget is known at once (``rack_view``/``form``); it replaces the old one
        in the centre in order, each swap waiting for the previous one to finish, and a
        swap that a newer one has overtaken is skipped.
        """
        self.current = ref
        self.rack_view, self.form = None, None
        after: Any = None
        widget: Any
        try:
            value = get_value(self.doc, ref.path) if ref.path else self.doc.data
            missing = False
        except (KeyError, IndexError):
            value, missing = None, True
        if missing:
            widget = Static(f"{ref.logical} is no longer in the design", markup=False)
        elif ref.kind in ("rack", "generated"):
            rack_path = ref.path[:2]
            view = RackView(rack_path)
            widget = VerticalScroll(view, classes="rack-scroll")
            self.rack_view = view
            view.show(get_value(self.doc, rack_path), self.part_of)
            target = device or ref.generated
            if target:
                view.focus_device(target)
        elif ref.kind == "list":
            count = len(value) if isinstance(value, list) else 0
            plural = "s" if count != 1 else ""
            widget = Static(
                f"{ref.logical}: {count} item{plural}; select one in the tree", markup=False
            )
        else:
            form = FieldForm(ref.path, ref.logical or "design", value)
            widget = self.form = form
            if field:
                after = lambda: form.focus_field(field)  # noqa: E731
        self._centre_latest = widget
        self.run_worker(self._swap(widget, after), group="centre")

    async def _swap(self, widget: Any, after: Any) -> None:
        async with self._centre_lock:
            if widget is not self._centre_latest:
                return  # a newer selection replaced this one
            centre = self.query_one("#centre", Container)
            await centre.remove_children()
            await centre.mount(widget)
            if after is not None:
                after()

    @on(DesignTree.NodeHighlighted)
    def _highlighted(self, event: DesignTree.NodeHighlighted) -> None:
        ref = event.node.data
        tree = self.query_one(DesignTree)
        # only the user's moves in the tree change the centre; a rebuild or a jump moves
        # the cursor while something else has the focus (none: the terminal is not focused)
        focused = self.focused
        if ref is None or ref == self.current or (focused is not None and focused is not tree):
            return
        self.show_ref(ref)

    @on(DesignTree.NodeSelected)
    def _selected(self, event: DesignTree.NodeSelected) -> None:
        ref = event.node.data
        if ref is None:
            return
        if ref != self.current:
            self.show_ref(ref)
        if ref.kind in ("rack", "generated") and self.rack_view is not None:
            self.rack_view.focus()

    def select(self, logical: str) -> NodeRef | None:
        """Select the object with this logical path in the tree and show it."""
        tree = self.query_one(DesignTree)
        node = tree.find(logical)
        if node is None or node.data is None:
            return None
        tree.select_ref(node.data)
        self.show_ref(node.data)
        return node.data

    # ------------------------------------------------------------------ forms

    @on(FieldForm.Edited)
    def _field_edited(self, event: FieldForm.Edited) -> None:
        event.stop()
        name = str(event.path[-1])
        self.apply(SetField(event.path, event.value, f"set {name}", remove=event.remove))

    @on(FieldForm.PickPart)
    def _pick_for_field(self, event: FieldForm.PickPart) -> None:
        event.stop()
        self._pick_field(event.path)

    def action_pick_part(self) -> None:
        """Open the part picker for the focused part field."""
        focused = self.focused
        form = self.form
        if (
            isinstance(focused, Input)
            and form is not None
            and (focused.id or "").startswith("field-")
        ):
            name = (focused.id or "").removeprefix("field-")
            spec = next((s for s in form.specs if s.name == name), None)
            if spec is not None and spec.kind == "part":
                self._pick_field((*form.path, name))
                return
        if self.rack_view is not None:
            self.rack_view.action_add()
            return
        self.notify("focus a part field (or a rack) to pick a part")

    def _pick_field(self, path: FieldPath) -> None:
        def picked(slug: str | None) -> None:
            if slug:
                self.apply(SetField(path, slug, f"part {slug}"))

        self.push_screen(PartPicker(self.all_parts(), f"Part for {path[-1]}"), picked)

    # ------------------------------------------------------------------ rack view

    @on(RackView.Request)
    def _rack_request(self, event: RackView.Request) -> None:
        event.stop()
        view = event.control if isinstance(event.control, RackView) else self.rack_view
        if view is None:
            return
        rack_path = view.rack_path
        devices_path = (*rack_path, "devices")
        try:
            rack = get_value(self.doc, rack_path)
        except (KeyError, IndexError) as exc:
            self._fail("cannot find the rack", exc)
            return
        devices = rack.get("devices") if isinstance(rack, dict) else None
        item = devices[event.item] if isinstance(devices, list) and event.item is not None else None
        if event.action == "move" and isinstance(item, dict):
            u = item.get("u")
            if not isinstance(u, int):
                return
            new = u + event.delta
            top = max((s.u + s.height - 1 for s in view.slots if s.item == event.item), default=u)
            if new < 1 or top + event.delta > view.height_u:
                self.notify("the device would leave the rack", severity="warning")
                return
            if self.apply(
                SetField((*devices_path, event.item, "u"), new, f"move {item.get('id')}")
            ):
                view.cursor_u = max(1, min(view.height_u, event.u + event.delta))
        elif event.action == "add":
            self._add_device(rack_path, event.u)
        elif event.action == "duplicate" and isinstance(item, dict):
            self._duplicate(rack_path, event.item or 0, item, view)
        elif event.action == "delete" and isinstance(item, dict):
            assert event.item is not None
            self.apply(DeleteItem((*devices_path, event.item), f"delete {item.get('id')}"))
        elif event.action == "fields":
            if event.item is not None and isinstance(item, dict):
                rack_id = rack.get("id", "")
                ref = NodeRef(
                    "device",
                    (*devices_path, event.item),
                    f"racks[{rack_id}].devices[{item.get('id')}]",
                    str(item.get("id")),
                )
            else:
                ref = NodeRef("form", rack_path, f"racks[{rack.get('id', '')}]", "rack fields")
            self.query_one(DesignTree).select_ref(ref)
            self.show_ref(ref)

    def _new_id(self, rack_id: str, kind: str) -> str:
        used = _ids(self.doc.data)
        prefix = f"{rack_id}-{ID_PREFIX.get(kind, 'd')}" if rack_id else ID_PREFIX.get(kind, "d")
        number = 1
        while f"{prefix}{number:02d}" in used:
            number += 1
        return f"{prefix}{number:02d}"

    def _add_device(self, rack_path: FieldPath, u: int) -> None:
        def picked(slug: str | None) -> None:
            if not slug:
                return
            part = self.part_of(slug)
            rack = get_value(self.doc, rack_path)
            ident = self._new_id(str(rack.get("id", "")), part.kind if part else "")
            item = CommentedMap([("id", ident), ("part", slug), ("u", u)])
            item.fa.set_flow_style()  # one line per device, as in the examples
            devices = rack.get("devices")
            if not isinstance(devices, list):
                self.apply(SetField((*rack_path, "devices"), [item], f"add {ident}"))
                return
            index = len(devices)
            for j, other in enumerate(devices):
                if isinstance(other, dict) and isinstance(other.get("u"), int) and other["u"] > u:
                    index = j
                    break
            self.apply(InsertItem((*rack_path, "devices"), index, item, f"add {ident}"))

        self.push_screen(
            PartPicker(self.all_parts(), f"Add a part at U{u}", kinds=DEVICE_KINDS), picked
        )

    def _duplicate(self, rack_path: FieldPath, index: int, item: Any, view: RackView) -> None:
        copy = plain(item)
        group = [s for s in view.slots if s.item == index]
        top = max((s.u + s.height - 1 for s in group), default=int(item.get("u") or 0))
        part = group[0].part if group else None
        rack = get_value(self.doc, rack_path)
        ident = self._new_id(str(rack.get("id", "")), part.kind if part else "")
        copy["id"] = ident
        copy.pop("psus", None)  # the copy's PSUs follow the default, not the original's pins
        if isinstance(copy.get("u"), int):
            copy["u"] = top + 1
        if self.apply(
            InsertItem((*rack_path, "devices"), index + 1, copy, f"duplicate as {ident}")
        ):
            view.cursor_u = min(view.height_u, top + 1)

    # ------------------------------------------------------------------ findings

    @on(FindingsPanel.Chosen)
    def _finding_chosen(self, event: FindingsPanel.Chosen) -> None:
        event.stop()
        self.jump_to(event.finding)

    def jump_to(self, finding: Finding) -> None:
        """Show the field or device a finding is about."""
        tree = self.query_one(DesignTree)
        node, rest = tree.best_match(finding.path)
        if node is None or node.data is None:
            self.notify(f"{finding.path or 'the design'}: nothing to show for this finding")
            return
        ref = node.data
        field = rest.split(".")[0].split("[")[0] if rest else ""
        if ref.kind in ("device", "generated") and not field:
            rack_ref = tree.find(ref.logical.split(".devices[")[0], ("rack",))
            device = finding.path.split(".devices[")[-1].split("]")[0]
            if rack_ref is not None and rack_ref.data is not None:
                tree.select_ref(node.data)
                self.show_ref(rack_ref.data, device=device)
                if self.rack_view is not None:
                    self.rack_view.focus()
                return
        if ref.kind == "rack":
            form_node = tree.find(ref.logical, ("form",))
            if field and form_node is not None and form_node.data is not None:
                ref = form_node.data
        if ref.kind == "generated":  # a field of a generated device: its item's form
            ref = NodeRef("device", ref.path, ref.logical, ref.label)
        tree.select_ref(ref)
        self.show_ref(ref, field=field)

    def action_explain(self) -> None:
        """Show the documentation of the highlighted finding's rule."""
        finding = self.query_one(FindingsPanel).selected()
        if finding is None:
            self.notify("highlight a finding first (in the findings panel)")
            return
        from ..rules import RULES
        from ..rules.docs import render_rule_doc

        rule = RULES.get(finding.rule)
        if rule is None:
            self.push_screen(TextScreen(f"{finding.rule}: {finding.message}"))
            return
        self.push_screen(TextScreen(render_rule_doc(rule)))

    def action_help(self) -> None:
        """Show the keys."""
        self.push_screen(HelpScreen())

    # ------------------------------------------------------------------ saving

    def action_save(self) -> None:
        """Save through design/save.py; a file changed on disk offers reload or save-as."""
        self.save_file()

    def save_file(self, path: Path | None = None) -> bool:
        """Write the document (to ``path`` for save-as); False if it was not written."""
        old = self.path
        try:
            with self._lock:
                save(self.doc, path)
        except SaveConflictError as exc:
            self._conflict(str(exc))
            return False
        except (DesignError, DesignErrors, OSError) as exc:
            self._fail("not saved", exc)
            return False
        if path is not None and Path(path) != old:
            with contextlib.suppress(OSError):
                autosave_path(old).unlink(missing_ok=True)
        self.history.mark_saved()
        self._remove_autosave()
        self._update_title()
        self.notify(f"saved {self.path}", timeout=3)
        return True

    def _conflict(self, message: str) -> None:
        def answer(choice: str | None) -> None:
            if choice == "reload":
                self.reload()
            elif choice == "save-as":
                self.action_save_as()

        self.push_screen(
            Question(
                message,
                [
                    ("reload", "Reload (discard my changes)"),
                    ("save-as", "Save as…"),
                    ("cancel", "Cancel"),
                ],
            ),
            answer,
        )

    def action_save_as(self) -> None:
        """Ask for a file name and save there."""

        def chosen(name: str | None) -> None:
            if name:
                target = Path(name)
                if target.exists() and target.resolve() != self.path.resolve():
                    self._confirm_overwrite(target)
                    return
                self.save_file(target)

        self.push_screen(
            SaveAs(str(self.path.with_name(f"{self.path.stem}-mine{self.path.suffix}"))), chosen
        )

    def _confirm_overwrite(self, target: Path) -> None:
        def answer(choice: str | None) -> None:
            if choice == "overwrite":
                self.save_file(target)

        self.push_screen(
            Question(
                f"{target} exists. Replace it?", [("overwrite", "Replace"), ("cancel", "Cancel")]
            ),
            answer,
        )

    def reload(self) -> None:
        """Read the file again, discarding unsaved changes."""
        try:
            doc = read_document(self.path)
        except DesignError as exc:
            self._fail("cannot reload", exc)
            return
        with self._lock:
            self.doc = doc
            self.history = History(doc)
        self._remove_autosave()
        self.current = None
        self._update_title()
        self.query_one(DesignTree).rebuild(doc.data)
        self.show_ref(NodeRef("form", (), "", "design"))
        self.validate_now()
        self.notify(f"reloaded {self.path.name} from disk")

    # ------------------------------------------------------------------ quitting

    async def action_quit(self) -> None:
        """Quit; with unsaved changes, ask to save, discard or cancel."""
        if not self.history.dirty:
            self._remove_autosave()
            self.exit()
            return

        def answer(choice: str | None) -> None:
            if choice == "save":
                if self.save_file():
                    self.exit()
            elif choice == "discard":
                self._remove_autosave()
                self.exit()

        self.push_screen(
            Question(
                f"{self.path.name} has unsaved changes.",
                [
                    ("save", "Save and quit"),
                    ("discard", "Quit without saving"),
                    ("cancel", "Cancel"),
                ],
            ),
            answer,
        )
