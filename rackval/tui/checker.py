"""Validate the text being edited, the way ``rackval validate`` does, and sum it up.

:func:`check_text` runs in the editor's validation worker (a thread): it reads the
edited text with :func:`~rackval.design.load.load_files` (``text=``, so locations name
the file and its lines), resolves it and runs :func:`~rackval.validate.validate_design`
in every scenario. Nothing here raises: design errors, solver errors and internal
errors become :attr:`Check.errors` lines, which the editor shows as findings.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalog import Catalog
from ..design.load import load_files
from ..design.resolve import resolve
from ..errors import DesignError, DesignErrors, RackvalError
from ..rules import Finding
from ..validate import DesignReport, validate_design

__all__ = ["Check", "Summary", "check_text", "summarize"]


@dataclass(frozen=True)
class Summary:
    """Key figures of one scenario for the summary bar (SI)."""

    power: float  # [W] total electrical load of the racks
    liquid: float  # [W] heat carried by the coolant loops
    flow: float  # [m³/s] coolant flow of the pumps
    worst_margin: float | None  # [1] smallest headroom of a feed or PDU line current
    worst_what: str  # the feed or PDU with that headroom
    errors: int
    warnings: int


@dataclass
class Check:
    """The outcome of validating one state of the document."""

    generation: int
    report: DesignReport | None = None
    errors: list[DesignError] = field(default_factory=list)
    problem: str = ""  # a solver or internal error, one line
    elapsed: float = 0.0  # [s]

    @property
    def ok(self) -> bool:
        """Whether the design was read and validated."""
        return self.report is not None

    def scenarios(self) -> list[str]:
        """Scenario names with results, normal first."""
        if self.report is None:
            return []
        names = list(self.report.solutions)
        return sorted(names, key=lambda n: (n != "normal", n))

    def findings(self, scenario: str | None) -> list[Finding]:
        """Findings of one scenario (``None``: all)."""
        if self.report is None:
            return []
        return [f for f in self.report.findings if scenario is None or f.scenario == scenario]


def check_text(
    path: Path, text: str, catalog: Catalog, generation: int = 0, scenarios: str = "n-1"
) -> Check:
    """Validate ``text`` as the content of the design file ``path``.

    Parameters
    ----------
    path : Path
        The design file (for locations and includes).
    text : str
        The edited YAML text: a ``dump`` of a document read with ``read_document``
        (its alias check is not repeated).
    catalog : Catalog
        Parts to resolve against.
    generation : int
        The edit counter this text belongs to (returned in the result).
    scenarios : str
        As ``rackval validate --scenarios``.

    Returns
    -------
    Check
        The report, or the errors that kept the design from being validated.
    """
    start = time.perf_counter()
    result = Check(generation)
    try:
        design = resolve(load_files(path, text=text, dumped=True), catalog)
        result.report = validate_design(design, scenarios=scenarios)
    except DesignErrors as exc:
        result.errors = list(exc.errors)
    except DesignError as exc:
        result.errors = [exc]
    except RackvalError as exc:  # solver, scenario, catalog errors
        result.problem = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # an internal error must not reach the user as a traceback
        result.problem = f"internal error: {type(exc).__name__}: {exc}"
    result.elapsed = time.perf_counter() - start
    return result


def summarize(check: Check, scenario: str | None) -> Summary | None:
    """Total kW, kW to liquid, coolant flow, worst margin and counts for a scenario."""
    report = check.report
    if report is None:
        return None
    findings = check.findings(scenario)
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    solution = report.solutions.get(scenario or "normal")
    if solution is None:
        return Summary(0.0, 0.0, 0.0, None, "", errors, warnings)
    power = sum(solution.power.racks.values())
    liquid = sum(sol.heat for sol in solution.loops.values())
    flow = sum(sum(sol.pump_flow.values()) for sol in solution.loops.values() if sol.solved)
    worst: tuple[float, str] | None = None
    # all scenarios: the worst margin of any of them
    for sol in report.solutions.values() if scenario is None else [solution]:
        for ident, load, limit in _panels(report, sol):
            if not load.live or not limit:
                continue
            margin = 1.0 - max(load.line_current, default=0.0) / limit
            if worst is None or margin < worst[0]:
                worst = (
                    margin,
                    ident if scenario is not None else f"{ident} [{sol.scenario.name}]",
                )
    return Summary(
        power=power,
        liquid=liquid,
        flow=flow,
        worst_margin=worst[0] if worst else None,
        worst_what=worst[1] if worst else "",
        errors=errors,
        warnings=warnings,
    )


def _panels(report: DesignReport, solution: Any) -> list[tuple[str, Any, float | None]]:
    """(id, load, limit in A) of every feed and PDU."""
    design = report.design
    fraction = solution.limits.continuous_load_fraction
    out: list[tuple[str, Any, float | None]] = []
    for feed in design.power.feeds:
        util = feed.max_utilization if feed.max_utilization is not None else fraction
        load = solution.power.feeds.get(feed.id)
        if load is not None:
            out.append((feed.id, load, feed.breaker * util))
    for pdu in design.pdus:
        load = solution.power.pdus.get(pdu.id)
        rating = pdu.part.pdu.current if pdu.part.pdu else None
        if load is not None:
            out.append((pdu.id, load, rating))
    return out
