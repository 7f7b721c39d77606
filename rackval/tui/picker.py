"""The part picker: fuzzy search over the catalog, with each part's key figures and source."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..design.parts import Part

__all__ = ["PartPicker", "fuzzy_score", "key_figures"]

DEVICE_KINDS = ("gpu-node", "cpu-node", "compute-tray", "storage", "switch", "power-shelf", "other")


def fuzzy_score(query: str, text: str) -> int | None:
    """How well ``query`` matches ``text`` (higher is better), or None for no match.

    Every word of the query must appear in the text, as a substring (best) or as its
    letters in order (a subsequence: ``dgxb2`` finds ``nvidia-dgx-b200``).
    """
    text = text.casefold()
    score = 0
    for word in query.casefold().split():
        at = text.find(word)
        if at >= 0:
            score += 100 - min(at, 50) + 10 * len(word)
            continue
        position, gaps = -1, 0
        for char in word:
            found = text.find(char, position + 1)
            if found < 0:
                return None
            gaps += found - position - 1
            position = found
        score += max(1, 50 - gaps)
    return score


def key_figures(part: Part) -> list[str]:
    """The figures people choose a part by, each with its unit; "—" when not stated."""
    from ..units import format_si

    def show(value: float | None, dimension: str) -> str:
        return format_si(value, dimension) if value is not None else "—"

    power = part.power
    lines = [
        f"{part.manufacturer} {part.model}",
        f"slug: {part.slug}   kind: {part.kind}",
        f"height: {part.u_height:g} U   full depth: {'yes' if part.is_full_depth else 'no'}",
        f"mass: {show(part.mass, 'mass')}   depth: {show(part.depth, 'length')}",
        f"power max: {show(power.max, 'power')}   typical: {show(power.typical, 'power')}",
    ]
    if power.psus:
        lines.append(
            f"PSUs: {power.psus} × {show(power.psu_rating, 'power')}, "
            f"{power.psus_required if power.psus_required is not None else '—'} required"
        )
    cooling = part.cooling
    share = cooling.liquid_fraction
    lines.append(
        f"liquid share: {'—' if share is None else f'{share * 100:.0f} %'}   "
        f"max inlet: {show(cooling.max_inlet_air, 'temperature')}"
    )
    if part.pdu is not None:
        lines.append(
            f"PDU: {show(part.pdu.voltage, 'voltage')} {part.pdu.phases}-phase "
            f"{part.pdu.wiring}, {show(part.pdu.current, 'current')}"
        )
    if part.rack is not None:
        lines.append(f"rack: {part.rack.u_height or '—'} U")
    if part.cdu is not None:
        lines.append(f"CDU rated heat: {show(part.cdu.rated_heat, 'power')}")
    lines += ["", f"source: {part.source}"]
    return lines


class PartPicker(ModalScreen[str | None]):
    """Pick a part: type to filter, arrows to move, enter to take it, escape to cancel."""

    DEFAULT_CSS = """
    PartPicker { align: center middle; }
    PartPicker > Vertical { width: 90%; height: 85%; border: thick $accent; background: $surface; }
    PartPicker #picker-title { text-style: bold; padding: 0 1; }
    PartPicker #picker-body { height: 1fr; }
    PartPicker #picker-list { width: 45%; }
    PartPicker #picker-detail { width: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]

    def __init__(
        self, parts: Sequence[Part], title: str = "Pick a part", kinds: Sequence[str] = ()
    ) -> None:
        super().__init__()
        self.parts = list(parts)
        self.kinds = tuple(kinds)
        self.title_text = title
        self.shown: list[Part] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="picker-title")
            yield Input(placeholder="search: manufacturer, model, slug, kind", id="picker-search")
            with Horizontal(id="picker-body"):
                yield OptionList(id="picker-list")
                with VerticalScroll(id="picker-detail"):
                    yield Static("", id="picker-figures", markup=False)

    def on_mount(self) -> None:
        """Show every part and focus the search."""
        self._filter("")
        self.query_one("#picker-search", Input).focus()

    def _filter(self, query: str) -> None:
        scored: list[tuple[int, int, str, Part]] = []
        for part in self.parts:
            text = f"{part.slug} {part.manufacturer} {part.model} {part.kind}"
            score = fuzzy_score(query, text) if query.strip() else 0
            if score is None:
                continue
            preferred = 0 if not self.kinds or part.kind in self.kinds else 1
            scored.append((preferred, -score, part.slug, part))
        scored.sort(key=lambda item: item[:3])
        self.shown = [item[3] for item in scored]
        options = self.query_one("#picker-list", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(
                    Text.assemble((p.slug, "bold"), "  ", (f"{p.kind}, {p.u_height:g} U", "dim")),
                    id=p.slug,
                )
                for p in self.shown
            ]
        )
        if self.shown:
            options.highlighted = 0
        self._detail(self.shown[0] if self.shown else None)

    def _detail(self, part: Part | None) -> None:
        text = "\n".join(key_figures(part)) if part is not None else "no part matches"
        self.query_one("#picker-figures", Static).update(text)

    @on(Input.Changed, "#picker-search")
    def _search(self, event: Input.Changed) -> None:
        event.stop()
        self._filter(event.value)

    @on(Input.Submitted, "#picker-search")
    def _take_highlighted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#picker-list", OptionList)
        if options.highlighted is not None and self.shown:
            self.dismiss(self.shown[options.highlighted].slug)

    @on(OptionList.OptionHighlighted, "#picker-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._detail(self._part(event.option_id))

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id:
            self.dismiss(event.option_id)

    def _part(self, slug: Any) -> Part | None:
        return next((p for p in self.shown if p.slug == slug), None)

    def action_move(self, step: int) -> None:
        """Move the highlight while the search has focus."""
        options = self.query_one("#picker-list", OptionList)
        if not self.shown:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self.shown) - 1, current + step))

    def action_cancel(self) -> None:
        """Close without a part."""
        self.dismiss(None)
