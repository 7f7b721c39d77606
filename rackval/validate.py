"""Validate designs: load → solve each scenario → run the rules → findings + results.

The one entry point that the CLI, the TUI and library users share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from .catalog import Catalog, load_catalog
from .design.model import Design, Waiver
from .design.resolve import load_design
from .rules import RULES, Finding, select_rules, severity_rank
from .solve.air import solve_air
from .solve.loops import LoopModel, LoopSolution, build_loop, solve_loop
from .solve.power import connect, solve_power
from .solve.results import solution_results
from .solve.scenarios import NORMAL, Scenario, SkippedScenario, scenarios_for
from .solve.solution import Limits, Solution
from .waivers import SUPPRESSION_RULE, apply_suppressions

__all__ = ["DesignReport", "validate", "validate_design", "standard_limits"]


@dataclass
class DesignReport:
    """Findings and results of one design."""

    file: str
    design: Design
    findings: list[Finding]
    solutions: dict[str, Solution]
    skipped: list[SkippedScenario] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    """Findings accepted by an inline comment or a waiver (not counted for the exit code)."""
    used_waivers: set[int] = field(default_factory=set)
    """Indexes of the extra (file) waivers that accepted a finding."""

    def results(self) -> dict[str, Any]:
        """Per-scenario figures (loads, currents, live PSUs) as plain data."""
        return {name: solution_results(self.design, sol) for name, sol in self.solutions.items()}


def standard_limits() -> Limits:
    """Limits from catalog/standards.yaml that apply when the design states none."""
    from .catalog.standards import load_standards

    std = load_standards()
    return Limits(
        continuous_load_fraction=std.continuous_load.fraction,
        continuous_load_citation=std.continuous_load.citation,
    )


def validate_design(
    design: Design,
    *,
    select: tuple[str, ...] = ("ALL",),
    ignore: tuple[str, ...] = (),
    extend_select: tuple[str, ...] = (),
    scenarios: str | list[str] = "n-1",
    load: str = "max",
    waivers: Sequence[Waiver] = (),
    today: date | None = None,
) -> DesignReport:
    """Run the selected rules on a resolved design in every requested scenario.

    Inline ``# rackval: ignore[...]`` comments of the design's files, its ``waivers:``
    and the extra `waivers` (``rackval.waivers.yaml``) accept findings; those are moved
    to ``DesignReport.suppressed``. RV-SUP-001 runs last, on what they left wrong;
    waivers expire after the day `today` (default: the system date).

    Raises
    ------
    ScenarioError
        An unknown scenario name.
    SolverError
        A coolant loop could not be solved (singular network, no convergence).
    """
    rules = select_rules(select, ignore, extend_select)
    selected = tuple(r.id for r in rules)
    limits = standard_limits()
    connections = connect(design)
    models = {loop.id: build_loop(design, loop, load) for loop in design.loops}
    wanted = scenarios_for(design, scenarios)
    runnable = [s for s in wanted if isinstance(s, Scenario)]
    skipped = tuple(s for s in wanted if isinstance(s, SkippedScenario))
    solutions: dict[str, Solution] = {}
    # scenario-independent rules always look at normal operation
    for scenario in [NORMAL, *runnable]:
        if scenario.name not in solutions:
            base = solutions.get(NORMAL.name)
            if base is not None and not (scenario.dead_feeds or scenario.dead_pdus):
                power = replace(base.power, scenario=scenario)  # coolant scenarios: same power
            else:
                power = solve_power(design, scenario, load=load, connections=connections)
            loops = {
                loop.id: _solve_loop(design, models[loop.id], scenario, base, loop.id)
                for loop in design.loops
            }
            if base is not None and scenario.domain != "air":
                air = base.air  # power and coolant scenarios: the air side of normal
            else:
                air = solve_air(design, scenario, load)
            fabric = _solve_fabric(design, scenario, base)
            solutions[scenario.name] = Solution(
                scenario, power, limits, selected, skipped, loops, air, fabric
            )
    findings: list[Finding] = []
    for r in rules:
        if r.id == SUPPRESSION_RULE:
            continue  # runs after the suppressions, below
        if r.per_scenario:
            for scenario in runnable:
                if r.applies_to(scenario):
                    findings += r.run(design, solutions[scenario.name])
        else:
            findings += r.run(design, solutions[NORMAL.name])
    shown = [s.name for s in runnable]
    findings, suppressed, check, used = apply_suppressions(
        design, findings, selected=selected, scenarios=shown, waivers=waivers, on=today
    )
    if SUPPRESSION_RULE in selected:
        findings += RULES[SUPPRESSION_RULE].run(design, check)

    def key(f: Finding) -> tuple:
        return (severity_rank(f.severity), f.rule, f.scenario, f.path)

    findings.sort(key=key)
    suppressed.sort(key=key)
    solutions = {name: sol for name, sol in solutions.items() if name in shown}
    return DesignReport(design.file, design, findings, solutions, skipped, suppressed, used)


def _solve_fabric(design: Design, scenario: Scenario, base: Solution | None) -> Any:
    """The fabrics in a scenario; scenarios of other domains reuse normal operation."""
    if not design.network.links:
        return None
    if base is not None and scenario.domain != "fabric":
        return base.fabric
    from .fabric.analysis import solve_fabric

    return solve_fabric(design, scenario.dead_switches, scenario.dead_links)


def _solve_loop(
    design: Design,
    model: LoopModel | list[str],
    scenario: Scenario,
    base: Solution | None,
    loop_id: str,
) -> LoopSolution:
    """A loop in a scenario; unchanged loops reuse the normal solution."""
    if isinstance(model, list):
        return LoopSolution(loop_id, False, "cannot be solved without " + "; ".join(model))
    cdus = {c.id for c in model.loop.cdus}
    if base is not None and not scenario.touches_loop(loop_id, cdus):
        return base.loops[loop_id]
    if loop_id in scenario.pumps_lost:
        return LoopSolution(
            loop_id, False, "every pump of the loop is stopped", heat=float(model.heat.sum())
        )
    return solve_loop(
        design,
        model,
        closed_pumps=scenario.closed_pumps,
        lost_cdus=scenario.lost_cdus,
        rejection_lost=loop_id in scenario.rejection_lost,
    )


def validate(
    path: str | Path,
    *,
    catalog: Catalog | None = None,
    **options: Any,
) -> DesignReport:
    """Load a design file and validate it (options as :func:`validate_design`).

    Raises
    ------
    DesignError, DesignErrors
        The design cannot be read or resolved.
    """
    design = load_design(path, catalog if catalog is not None else load_catalog())
    return validate_design(design, **options)
