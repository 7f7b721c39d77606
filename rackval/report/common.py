"""What every renderer shares: relative paths, the grid of checks, counts, the summary."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable

from ..batch import BatchResult
from ..rules import RULES, Finding
from ..validate import DesignReport

__all__ = ["rel", "checks", "scenario_order", "severity_counts", "summary_line", "HELP_URI"]

HELP_URI = "https://github.com/rackval/rackval/blob/main/docs/rules/{rule}.md"
"""Where a rule's documentation is published (``docs/rules/<ID>.md``)."""


def rel(path: str) -> str:
    """`path` relative to the working directory when it lies below it, POSIX separators."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path.replace(os.sep, "/")
    return (path if relative.startswith("..") else relative).replace(os.sep, "/")


def scenario_order(report: DesignReport) -> list[str]:
    """Scenarios of a report: those run (normal first), then skipped ones."""
    names = list(report.solutions)
    names += [s.name for s in report.skipped if s.name not in names]
    for f in [*report.findings, *report.suppressed]:
        if f.scenario not in names:
            names.append(f.scenario)
    return names


def checks(report: DesignReport) -> list[tuple[str, str]]:
    """Every (rule, scenario) pair checked for a design, in rule then scenario order.

    A per-scenario rule is checked in each scenario of its domain that ran, any other
    rule in normal operation; pairs with findings outside that grid (a skipped scenario
    reported by RV-SCN-001) are added.
    """
    solution = next(iter(report.solutions.values()), None)
    selected = solution.selected if solution is not None else ()
    pairs: list[tuple[str, str]] = []
    for rule_id in selected:
        rule = RULES[rule_id]
        for name, sol in report.solutions.items():
            if rule.per_scenario and rule.applies_to(sol.scenario):
                pairs.append((rule_id, name))
            elif not rule.per_scenario and name == "normal":
                pairs.append((rule_id, name))
    seen = set(pairs)
    for f in [*report.findings, *report.suppressed]:
        if (f.rule, f.scenario) not in seen:
            seen.add((f.rule, f.scenario))
            pairs.append((f.rule, f.scenario))
    order = {name: k for k, name in enumerate(scenario_order(report))}
    rule_order = {rule_id: k for k, rule_id in enumerate(RULES)}
    return sorted(pairs, key=lambda p: (rule_order.get(p[0], 999), order.get(p[1], 999)))


def severity_counts(findings: Iterable[Finding]) -> Counter[str]:
    """Findings per severity."""
    return Counter(f.severity for f in findings)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def summary_line(batch: BatchResult) -> str:
    """``N designs checked[, k invalid]: E errors, W warnings, I infos[; …] in T s``."""
    active = [f for r in batch.reports for f in r.findings]
    counts = severity_counts(active)
    text = ", ".join(_plural(counts[s], s) for s in ("error", "warning", "info"))
    n = len(batch.results)
    bad = f", {batch.invalid} invalid" if batch.invalid else ""
    extra = []
    suppressed = sum(len(r.suppressed) for r in batch.reports)
    if suppressed:
        extra.append(f"{suppressed} suppressed")
    if batch.baseline:
        old = sum(1 for f in active if f.baseline == "unchanged")
        extra.append(f"{old} in the baseline, {len(active) - old} new")
    more = f" ({'; '.join(extra)})" if extra else ""
    return f"{_plural(n, 'design')} checked{bad}: {text}{more} in {batch.elapsed:.2f} s"
