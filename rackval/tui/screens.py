"""Modal screens: questions (quit, save conflict, autosave), save-as, help and explain."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

__all__ = ["Question", "SaveAs", "HelpScreen", "TextScreen", "KEYS"]

KEYS: list[tuple[str, str]] = [
    ("ctrl+s", "save (atomic; refuses if the file changed on disk)"),
    ("ctrl+z / ctrl+y", "undo / redo"),
    ("ctrl+q", "quit (asks when there are unsaved changes)"),
    ("tab / shift+tab", "move between tree, centre and findings"),
    ("f1 or ?", "this help"),
    ("f2", "part picker for the focused part field"),
    ("ctrl+e", "explain the highlighted finding's rule"),
    ("ctrl+n", "next scenario in the findings panel"),
    ("tree: arrows, enter", "select site, power, cooling, racks, network objects"),
    ("rack: up / down", "move the cursor by one U (pageup/pagedown: 10 U)"),
    ("rack: shift+up / shift+down (K / J)", "move the device under the cursor by one U"),
    ("rack: a", "add a part from the picker at the cursor U"),
    ("rack: d", "duplicate the device under the cursor"),
    ("rack: x / delete", "delete the device under the cursor"),
    ("rack: enter / e", "edit the fields of the device under the cursor"),
    ("findings: enter", "jump to the field or device of the finding"),
]


class Question(ModalScreen[str]):
    """A question with buttons; dismissed with the id of the button pressed."""

    DEFAULT_CSS = """
    Question { align: center middle; }
    Question > Vertical {
        width: 72;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    Question #question-text { margin-bottom: 1; }
    Question Horizontal { height: auto; }
    Question Button { margin-right: 1; }
    """
    BINDINGS = [Binding("escape", "dismiss('cancel')", "Cancel")]

    def __init__(self, text: str, buttons: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.text = text
        self.buttons = list(buttons)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.text, id="question-text", markup=False)
            with Horizontal():
                for ident, label in self.buttons:
                    yield Button(
                        label, id=ident, variant="primary" if ident != "cancel" else "default"
                    )

    def on_mount(self) -> None:
        """Focus the first button."""
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "cancel")


class SaveAs(ModalScreen[str | None]):
    """Ask for a file name to save under."""

    DEFAULT_CSS = """
    SaveAs { align: center middle; }
    SaveAs > Vertical {
        width: 80;
        height: auto;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, suggestion: str) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Save as (enter to save, escape to cancel):")
            yield Input(self.suggestion, id="save-as-path")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)


class TextScreen(ModalScreen[None]):
    """A scrollable page of text (rule documentation)."""

    DEFAULT_CSS = """
    TextScreen { align: center middle; }
    TextScreen > VerticalScroll {
        width: 90%;
        height: 85%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.text, markup=False)


class HelpScreen(TextScreen):
    """The key bindings."""

    def __init__(self) -> None:
        width = max(len(k) for k, _ in KEYS)
        lines = ["rackval edit — keys", ""] + [f"{k:<{width}}  {v}" for k, v in KEYS]
        lines += ["", "Every change is undoable. Escape closes this page."]
        super().__init__("\n".join(lines))
