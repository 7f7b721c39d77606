"""Field forms: every field of the selected object, checked as you type.

A quantity input checks its text with :func:`rackval.units.parse` on every change and
shows the error under the field (``expected a current like "32 A"``); the document
keeps its last valid value and the input keeps what was typed. Valid changes go up as
:class:`FieldForm.Edited` messages; the app turns them into undoable edits.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from ..design.load import FieldPath
from .edits import plain
from .fields import FieldSpec, check_value, fields_at

__all__ = ["FieldForm"]


def _shown(value: Any) -> str:
    """A document value as the text of an input."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _summary(value: Any) -> str:
    """A nested value in one line."""
    if isinstance(value, list):
        return f"{len(value)} item{'s' if len(value) != 1 else ''} (in the tree)"
    if isinstance(value, dict):
        text = ", ".join(
            f"{k}: {_summary(v) if isinstance(v, (dict, list)) else v}" for k, v in value.items()
        )
        return "{" + text + "}"
    return _shown(value)


class FieldForm(VerticalScroll):
    """The form of the mapping at ``path`` of the document (it keeps a plain copy)."""

    DEFAULT_CSS = """
    FieldForm { padding: 0 1; }
    FieldForm .form-title { text-style: bold; margin-bottom: 1; }
    FieldForm .row { height: auto; margin-top: 1; }
    FieldForm .name { width: 22; padding: 0 1 0 0; }
    FieldForm Input, FieldForm Select { width: 1fr; }
    FieldForm .pick { width: 8; min-width: 8; height: 1; border: none; }
    FieldForm .error { color: $error; padding-left: 22; height: auto; }
    FieldForm .nested { color: $text-muted; width: 1fr; }
    """

    class Edited(Message):
        """A field was changed to a valid value (``remove``: the field was cleared)."""

        def __init__(self, path: FieldPath, value: Any, remove: bool) -> None:
            super().__init__()
            self.path = path
            self.value = value
            self.remove = remove

    class PickPart(Message):
        """The user asked for the part picker for a part field."""

        def __init__(self, path: FieldPath) -> None:
            super().__init__()
            self.path = path

    def __init__(self, path: FieldPath, title: str, values: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = path
        self.title = title
        self.specs = fields_at(path)
        self._values: dict[str, Any] = plain(values) if isinstance(values, dict) else {}
        self._by_id: dict[str, FieldSpec] = {}

    def compose(self) -> ComposeResult:
        yield Label(self.title or "design", classes="form-title", markup=False)
        if not self.specs:
            yield Static("This object has no form; edit its items in the tree.")
        for spec in self.specs:
            key = f"field-{spec.name}"
            self._by_id[key] = spec
            value = self._values.get(spec.name)
            label = spec.name + ("*" if spec.required else "")
            if spec.kind == "nested":
                with Horizontal(classes="row"):
                    yield Label(label, classes="name")
                    yield Static(
                        _summary(value) if value is not None else "—",
                        classes="nested",
                        markup=False,
                    )
                continue
            with Horizontal(classes="row"):
                yield Label(label, classes="name")
                if spec.kind in ("choice", "bool"):
                    choices = spec.choices if spec.kind == "choice" else (True, False)
                    options = [(_shown(c), c) for c in choices]
                    current = value if value in choices else Select.NULL
                    yield Select(
                        options,
                        value=current,
                        allow_blank=not spec.required,
                        id=key,
                        prompt="—",
                        compact=True,
                    )
                else:
                    placeholder = ""
                    if spec.kind == "quantity" and spec.dimension:
                        from .. import units

                        placeholder = f"e.g. {units.example(spec.dimension)}"
                    yield Input(_shown(value), placeholder=placeholder, id=key, compact=True)
                    if spec.kind == "part":
                        yield Button("pick", id=f"pick-{spec.name}", classes="pick", compact=True)
            yield Label("", id=f"error-{spec.name}", classes="error", markup=False)

    def focus_field(self, name: str) -> bool:
        """Focus the input of field ``name``; returns whether there is one."""
        for key, spec in self._by_id.items():
            if spec.name == name:
                widget = self.query(f"#{key}")
                if widget:
                    widget.first().focus()
                    return True
        return False

    def update_values(self, values: Any) -> None:
        """Show new values (after undo/redo or an edit elsewhere) without posting edits."""
        self._values = plain(values) if isinstance(values, dict) else {}
        for key, spec in self._by_id.items():
            value = self._values.get(spec.name)
            for widget in self.query(f"#{key}"):
                if isinstance(widget, Input):
                    text = _shown(value)
                    if widget.value != text:
                        with widget.prevent(Input.Changed):
                            widget.value = text
                        self._show_error(spec, "")
                elif isinstance(widget, Select):
                    choices = spec.choices if spec.kind == "choice" else (True, False)
                    target = value if value in choices else Select.NULL
                    if widget.value != target:
                        with widget.prevent(Select.Changed):
                            widget.value = target

    def _show_error(self, spec: FieldSpec, message: str) -> None:
        for label in self.query(f"#error-{spec.name}"):
            assert isinstance(label, Label)
            label.update(message)
            label.display = bool(message)

    def error_of(self, name: str) -> str:
        """The error shown under field ``name`` ("" if none)."""
        for label in self.query(f"#error-{name}"):
            assert isinstance(label, Label)
            return str(label.render()) if label.display else ""
        return ""

    def on_mount(self) -> None:
        """Hide the empty error lines."""
        for spec in self.specs:
            self._show_error(spec, "")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        spec = self._by_id.get(event.input.id or "")
        if spec is None:
            return
        value, error = check_value(spec, event.value)
        self._show_error(spec, error)
        if error:
            return
        current = self._values.get(spec.name)
        if value is None and current is None:
            return
        if value is not None and _shown(value) == _shown(current) and type(value) is type(current):
            return
        self._values[spec.name] = value
        self.post_message(self.Edited((*self.path, spec.name), value, value is None))

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        event.stop()
        spec = self._by_id.get(event.select.id or "")
        if spec is None:
            return
        value = None if event.value is Select.NULL else event.value
        if value == self._values.get(spec.name):
            return
        self._values[spec.name] = value
        self.post_message(self.Edited((*self.path, spec.name), value, value is None))

    @on(Button.Pressed, ".pick")
    def _pick(self, event: Button.Pressed) -> None:
        event.stop()
        name = (event.button.id or "").removeprefix("pick-")
        self.post_message(self.PickPart((*self.path, name)))
