"""Validate many design files: one task per file, in-process or on a process pool.

:func:`check_file` is the task (load, validate, apply the project's waivers); it is a
plain function of picklable arguments so that ``--jobs N`` can run it in N worker
processes. :func:`run_batch` keeps the results in the order of the files whatever the
number of workers, then judges the project waivers over the whole run and compares
with a baseline. Nothing here prints; ``cli.py`` renders and chooses the exit code.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .design.model import Waiver
from .errors import DesignError, DesignErrors, ScenarioError, SolverError
from .rules import RULES, Finding, severity_rank
from .validate import DesignReport

__all__ = ["Options", "FileResult", "BatchResult", "check_file", "run_batch", "mark_baseline"]


@dataclass(frozen=True)
class Options:
    """How every design of a run is validated (picklable: sent to the workers)."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    config_root: str = "."
    scenarios: str | tuple[str, ...] = "n-1"
    load: str = "max"
    catalog: tuple[str, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    waivers_base: str = "."
    today: date | None = None

    def ignored_for(self, file: str) -> tuple[str, ...]:
        """``ignore`` plus what ``per-file-ignores`` drops for `file`."""
        from .config import Config

        config = Config(
            file=Path(self.config_root) / "rackval.toml",
            per_file_ignores=dict(self.per_file_ignores),
        )
        return (*self.ignore, *config.ignored_for(file))


@dataclass
class FileResult:
    """What one design file gave: a report, or why there is none."""

    file: str
    report: DesignReport | None = None
    errors: list[DesignError] = field(default_factory=list)
    failure: str | None = None  # a loop that cannot be solved
    usage: str | None = None  # an unknown scenario: a usage error of the whole run
    matched_waivers: list[int] = field(default_factory=list)


@dataclass
class BatchResult:
    """Every file's result, in the order given, and the run's duration."""

    results: list[FileResult]
    elapsed: float = 0.0
    baseline: bool = False  # findings carry baseline states

    @property
    def reports(self) -> list[DesignReport]:
        """Reports of the designs that could be validated."""
        return [r.report for r in self.results if r.report is not None]

    @property
    def errors(self) -> list[DesignError]:
        """Design errors of the files that could not be validated."""
        return [e for r in self.results for e in r.errors]

    @property
    def invalid(self) -> int:
        """Files that could not be validated."""
        return sum(1 for r in self.results if r.report is None)

    def counted(self) -> list[Finding]:
        """Findings that count for the exit code: neither suppressed nor in the baseline."""
        return [f for rep in self.reports for f in rep.findings if f.baseline != "unchanged"]

    def failing(self, fail_on: str) -> bool:
        """Whether a counted finding is at or above `fail_on`."""
        threshold = severity_rank(fail_on)
        return any(severity_rank(f.severity) <= threshold for f in self.counted())


_CATALOGS: dict[tuple[str, ...], object] = {}


def _catalog(dirs: tuple[str, ...]):
    from .catalog import load_catalog

    if dirs not in _CATALOGS:
        _CATALOGS[dirs] = load_catalog([Path(d) for d in dirs])
    return _CATALOGS[dirs]


def check_file(file: str, options: Options) -> FileResult:
    """Load and validate one design file (the task of a worker)."""
    from . import validate as validating
    from .design import resolve
    from .waivers import waivers_for

    result = FileResult(file)
    matched = waivers_for(options.waivers, file, Path(options.waivers_base))
    result.matched_waivers = matched
    scenarios = options.scenarios
    try:
        design = resolve.load_design(file, _catalog(options.catalog))
        result.report = validating.validate_design(
            design,
            select=options.select,
            ignore=options.ignored_for(file),
            extend_select=options.extend_select,
            scenarios=scenarios if isinstance(scenarios, str) else list(scenarios),
            load=options.load,
            waivers=[options.waivers[i] for i in matched],
            today=options.today,
        )
    except (DesignError, DesignErrors) as exc:
        result.errors = exc.errors if isinstance(exc, DesignErrors) else [exc]
    except SolverError as exc:
        result.failure = str(exc)
    except ScenarioError as exc:
        result.usage = str(exc)
    return result


def run_batch(
    files: Sequence[str],
    options: Options,
    *,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> BatchResult:
    """Validate `files` with `jobs` worker processes (1: in this process).

    `progress(done, total)` is called after each file; `on_result` with each result as
    it arrives (in completion order). The returned results are in the order of `files`.
    """
    start = time.perf_counter()
    total = len(files)
    results: list[FileResult | None] = [None] * total
    workers = min(jobs if jobs > 0 else os.cpu_count() or 1, total)
    if workers <= 1:
        for index, file in enumerate(files):
            results[index] = check_file(file, options)
            _report(results[index], on_result, progress, index + 1, total)
    else:
        from concurrent.futures import as_completed

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(check_file, file, options): i for i, file in enumerate(files)}
            for done, future in enumerate(as_completed(futures), start=1):
                index = futures[future]
                results[index] = future.result()
                _report(results[index], on_result, progress, done, total)
    batch = BatchResult([r for r in results if r is not None])
    _judge_file_waivers(batch, options)
    batch.elapsed = time.perf_counter() - start
    return batch


def _report(result, on_result, progress, done: int, total: int) -> None:
    if on_result is not None:
        on_result(result)
    if progress is not None:
        progress(done, total)


def _judge_file_waivers(batch: BatchResult, options: Options) -> None:
    """RV-SUP-001 for ``rackval.waivers.yaml`` entries, over the whole run.

    Each problem is reported once, with the first design the waiver applies to.
    """
    from .solve.scenarios import NORMAL
    from .waivers import SUPPRESSION_RULE, SuppressionCheck, file_waiver_problems

    if not options.waivers:
        return
    matched: dict[int, FileResult] = {}
    used: set[int] = set()
    selected: set[str] = set()
    for result in batch.results:
        if result.report is None:
            continue
        solution = next(iter(result.report.solutions.values()), None)
        if solution is not None:
            selected |= set(solution.selected)
        for index in result.matched_waivers:
            matched.setdefault(index, result)
        used |= {result.matched_waivers[k] for k in result.report.used_waivers}
    problems = file_waiver_problems(
        options.waivers, matched, used, selected=sorted(selected), on=options.today
    )
    for problem in problems:
        index = int(problem.path.split("[")[1].rstrip("]"))
        result = matched[index]
        report = result.report
        assert report is not None
        solution = next(iter(report.solutions.values()), None)
        if solution is None or SUPPRESSION_RULE not in solution.selected:
            continue
        check = SuppressionCheck([problem], NORMAL)
        report.findings += RULES[SUPPRESSION_RULE].run(report.design, check)


def mark_baseline(batch: BatchResult, baseline) -> None:
    """Set ``baseline`` on every finding (``unchanged`` or ``new``)."""
    for result in batch.results:
        if result.report is not None:
            report = result.report
            report.findings = baseline.mark(report.file, report.findings)
            report.suppressed = baseline.mark(report.file, report.suppressed)
    batch.baseline = True
