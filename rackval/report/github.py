"""GitHub Actions workflow commands: one annotation per finding on the pull request.

``::error file=F,line=L,col=C,title=RV-…::message`` (``warning`` for warnings,
``notice`` for infos). Suppressed findings and findings in the baseline are not
annotated. Values are escaped as the Actions runner expects: in the message ``%``,
``\\r`` and ``\\n``; in properties also ``:`` and ``,``.
"""

from __future__ import annotations

from ..batch import BatchResult
from ..rules import Finding
from .common import rel

__all__ = ["render_github", "escape_data", "escape_property"]

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    """One finding as a workflow command."""
    props = []
    loc = f.location
    if loc is not None:
        props.append(f"file={escape_property(rel(loc.file))}")
        if loc.line:
            props += [f"line={loc.line}", f"col={max(loc.column, 1)}"]
    props.append(f"title={escape_property(f'{f.rule} {f.name}'.strip())}")
    message = escape_data(f"[{f.scenario}] {f.path}: {f.message}")
    return f"::{COMMANDS[f.severity]} {','.join(props)}::{message}"


def render_github(batch: BatchResult) -> str:
    """Every counted finding as an annotation, and each unreadable design as an error."""
    lines = [
        annotation(f)
        for report in batch.reports
        for f in report.findings
        if f.baseline != "unchanged"
    ]
    for e in batch.errors:
        props = []
        if e.location is not None:
            props.append(f"file={escape_property(rel(e.location.file))}")
            if e.location.line:
                props += [f"line={e.location.line}", f"col={max(e.location.column, 1)}"]
        props.append("title=invalid design")
        lines.append(f"::error {','.join(props)}::{escape_data(f'{e.path}: {e.message}')}")
    for r in batch.results:
        if r.failure:
            lines.append(
                f"::error file={escape_property(rel(r.file))},title=invalid design::"
                f"{escape_data(r.failure)}"
            )
    return "".join(line + "\n" for line in lines)
