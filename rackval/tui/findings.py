"""The findings panel (scenario switcher + findings) and the summary bar."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..rules import Finding
from .checker import Check, Summary, summarize

__all__ = ["FindingsPanel", "SummaryBar", "ALL"]

ALL = "__all__"
SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "cyan"}


class SummaryBar(Static):
    """Total kW, kW to liquid, coolant flow, worst margin, errors and warnings."""

    DEFAULT_CSS = """
    SummaryBar { height: 1; background: $panel; padding: 0 1; }
    """

    def show(self, summary: Summary | None, check: Check | None, pending: bool) -> None:
        """Show the figures of the chosen scenario (or why there are none)."""
        text = Text()
        if check is None:
            text.append("validating…", "italic")
        elif summary is None:
            count = len(check.errors)
            what = f"{count} design error{'s' if count != 1 else ''}" if count else check.problem
            text.append(f"not validated: {what}", "bold red")
        else:
            margin = (
                f"{summary.worst_margin * 100:.0f} % ({summary.worst_what})"
                if summary.worst_margin is not None
                else "—"
            )
            text.append(f"{summary.power / 1000:.1f} kW", "bold")
            text.append(f"  liquid {summary.liquid / 1000:.1f} kW")
            text.append(f"  coolant {summary.flow * 60_000:.0f} L/min")
            text.append(f"  worst margin {margin}")
            text.append(f"  errors {summary.errors}", "bold red" if summary.errors else "green")
            text.append(
                f"  warnings {summary.warnings}", "bold yellow" if summary.warnings else "green"
            )
        if pending:
            text.append("  ⟳", "dim")
        self.update(text)


def _line(f: Finding) -> Text:
    text = Text()
    text.append(f"{f.severity:<7} ", SEVERITY_STYLE.get(f.severity, ""))
    text.append(f"{f.rule} ", "bold")
    text.append(f"[{f.scenario}] ", "dim")
    text.append(f"{f.path}\n", "italic")
    text.append(f"  {f.message}")
    return text


class FindingsPanel(Vertical):
    """Findings of the chosen scenario, newest validation only."""

    DEFAULT_CSS = """
    FindingsPanel { width: 1fr; }
    FindingsPanel #scenario { width: 1fr; }
    FindingsPanel #findings-title { text-style: bold; padding: 0 1; }
    FindingsPanel #findings { height: 1fr; }
    """

    class Chosen(Message):
        """A finding (or design error, as a finding) was selected."""

        def __init__(self, finding: Finding) -> None:
            super().__init__()
            self.finding = finding

    class ScenarioChanged(Message):
        """The scenario switcher changed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check: Check | None = None
        self.shown: list[Finding] = []
        self._scenarios: list[str] = []

    def compose(self) -> ComposeResult:
        yield Select([("all scenarios", ALL)], value=ALL, allow_blank=False, id="scenario")
        yield Label("findings", id="findings-title")
        yield OptionList(id="findings")

    @property
    def scenario(self) -> str | None:
        """The chosen scenario (None: all)."""
        value = self.query_one("#scenario", Select).value
        return None if value in (ALL, Select.NULL) else str(value)

    def summary(self) -> Summary | None:
        """The summary of the chosen scenario."""
        return summarize(self.check, self.scenario) if self.check is not None else None

    def show(self, check: Check) -> None:
        """Show the findings of a new validation."""
        self.check = check
        names = check.scenarios()
        if names and names != self._scenarios:
            self._scenarios = names
            select = self.query_one("#scenario", Select)
            current = select.value
            with select.prevent(Select.Changed):
                select.set_options([("all scenarios", ALL), *[(n, n) for n in names]])
                select.value = current if current in (ALL, *names) else ALL
        self._fill()

    def _fill(self) -> None:
        check = self.check
        options = self.query_one("#findings", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        if check is None:
            return
        if check.report is None:
            self.shown = [
                Finding(
                    rule="design",
                    severity="error",
                    scenario="-",
                    path=e.path,
                    message=e.message,
                    location=e.location,
                )
                for e in check.errors
            ]
            if check.problem:
                self.shown.append(Finding("solver", "error", "-", "", check.problem))
        else:
            self.shown = check.findings(self.scenario)
        options.add_options([Option(_line(f)) for f in self.shown])
        counts = {s: sum(f.severity == s for f in self.shown) for s in ("error", "warning", "info")}
        errors, warnings = counts["error"], counts["warning"]
        self.query_one("#findings-title", Label).update(
            f"findings: {errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}, {counts['info']} info"
        )
        if highlighted is not None and self.shown:
            options.highlighted = min(highlighted, len(self.shown) - 1)

    def selected(self) -> Finding | None:
        """The highlighted finding."""
        options = self.query_one("#findings", OptionList)
        if options.highlighted is None or options.highlighted >= len(self.shown):
            return None
        return self.shown[options.highlighted]

    @on(Select.Changed, "#scenario")
    def _scenario(self, event: Select.Changed) -> None:
        event.stop()
        self._fill()
        self.post_message(self.ScenarioChanged())

    @on(OptionList.OptionSelected, "#findings")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.shown):
            self.post_message(self.Chosen(self.shown[event.option_index]))
