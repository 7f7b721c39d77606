"""Rule documentation generated from the rule docstrings (``docs/rules/<ID>.md``)."""

from __future__ import annotations

from pathlib import Path

from .base import RULES, SECTIONS, Rule

__all__ = ["render_rule_doc", "write_rule_docs"]


def _when(r: Rule) -> str:
    if not r.per_scenario:
        return "Evaluated once (normal operation)."
    if r.domain is None:
        return "Evaluated in every scenario."
    return f"Evaluated in normal operation and the {r.domain} failure scenarios."


def render_rule_doc(r: Rule) -> str:
    """The Markdown page of one rule."""
    lines = [
        f"# {r.id} {r.name}",
        "",
        f"{r.summary}",
        "",
        f"Default severity: **{r.severity}**. {_when(r)}",
        "",
    ]
    for section in SECTIONS:
        text = r.doc.get(section, "")
        lines += [f"## {section}", "", text[:1].upper() + text[1:], ""]
    if r.needs:
        figures = ", ".join(f"`{n.figure}` ({n.role})" for n in r.needs)
        lines += [
            "## Part figures needed",
            "",
            f"{figures}. Missing ones are reported as [RV-CAT-001](RV-CAT-001.md).",
            "",
        ]
    lines += [f"Test cases: `tests/rules/cases/{r.id}.yaml`.", ""]
    return "\n".join(lines)


def write_rule_docs(directory: Path) -> list[Path]:
    """Write one page per rule and an index; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for r in RULES.values():
        path = directory / f"{r.id}.md"
        path.write_text(render_rule_doc(r), encoding="utf-8")
        written.append(path)
    index = ["# Rules", "", "| ID | name | severity | checks |", "|---|---|---|---|"]
    index += [
        f"| [{r.id}]({r.id}.md) | {r.name} | {r.severity} | {r.summary} |" for r in RULES.values()
    ]
    (directory / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    written.append(directory / "index.md")
    return written
