"""Run the rackval performance benchmarks and print medians, ratios and verdicts.

One command measures every benchmark in the same run, so that the ratios between them
(and against a bare interpreter start) are comparable::

    python benchmarks/run.py                     # 7 timed runs per benchmark
    python benchmarks/run.py --repeat 11 --json bench.json
    python benchmarks/run.py -k validate          # only rows whose name contains "validate"

Each benchmark is timed with :func:`time.perf_counter` around a fresh interpreter
started by :func:`subprocess.run` with ``sys.executable`` (or, for in-process
benchmarks added later, around the call itself). The table shows, per row, the median,
minimum and maximum wall time of ``--repeat`` runs (at least 5), the ratio of the median
to the median of ``python -c pass`` measured in the same run, the target from DESIGN §11
where one exists, and a verdict:

``PASS`` / ``FAIL``
    The median is below / not below the target.
``-``
    No target (baselines, reference rows).
``ERROR``
    The benchmark could not be measured: a command exited with an unexpected code
    (for ``rackval validate``, 0 = clean and 1 = findings are both fine; 2 = invalid
    design or internal error is not), timed out, or raised. The message is printed
    under the table; timings of a failing command are shown but not judged.

The exit status is 0 when no row is ``FAIL`` or ``ERROR``, otherwise 1.

Adding a benchmark
------------------
Write a function that takes a :class:`Context` and yields :class:`Result` rows, and
decorate it with :func:`benchmark`; rows appear in registry order. Use
:func:`time_command` for a subprocess, or :func:`time_call` for an in-process call
(for example the hydraulic solve of the 1,000-rack hall, whose target is on the kernel
alone, not on interpreter start-up). Both skip rows deselected with ``-k``; guard
expensive set-up with :meth:`Context.wants`::

    @benchmark
    def hall_hydraulic_solve(ctx: Context) -> Iterator[Result]:
        name = "hydraulic solve, 1,000-rack hall"
        if not ctx.wants(name):
            return
        network = build_hall()                      # set-up is not timed
        yield time_call(name, lambda: solve(network), ctx,
                        target=0.050, target_label="< 50 ms")

A raising benchmark function becomes one ``ERROR`` row; the others still run.

Speed is measured here and only here; tests never assert timings (STYLE.md, habit 14).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""Repository root; subprocesses run here so ``python -m rackval`` finds this checkout."""

BASELINE = "python -c pass"
"""Name of the row every ratio is taken against."""

DEFAULT_REPEAT = 7
MIN_REPEAT = 5
TIMEOUT = 120.0
"""Seconds before a single subprocess run is abandoned and the row marked ``ERROR``."""

COLD_VALIDATE_TARGET = 1.0
"""DESIGN §11: cold ``rackval validate designs/<pod>.yaml``, normal + N-1, < 1.0 s wall."""


@dataclass(frozen=True)
class Context:
    """What every benchmark function receives.

    Attributes
    ----------
    root : Path
        Repository root (working directory of subprocesses).
    repeat : int
        Number of timed runs per row.
    warmup : bool
        Whether to do one untimed run first (fills the page cache and ``__pycache__``;
        "cold" means a fresh interpreter, not a cold disk).
    python : str
        Interpreter used for subprocesses.
    select : str or None
        Run only rows whose name contains this text (case-insensitive); the
        ``python -c pass`` baseline always runs, since every ratio needs it.
    """

    root: Path
    repeat: int
    warmup: bool = True
    python: str = sys.executable
    select: str | None = None

    def wants(self, name: str) -> bool:
        """Return whether the row called `name` is to be measured in this run."""
        return self.select is None or name == BASELINE or self.select.lower() in name.lower()


@dataclass
class Result:
    """One row of the table: the timing samples of one benchmark.

    Attributes
    ----------
    name : str
        Row label, unique within a run.
    samples : list of float
        Wall time of each timed run. [s]
    target : float or None
        Upper bound on the median from DESIGN §11, or None when there is none. [s]
    target_label : str
        The target as DESIGN §11 words it.
    command : list of str or None
        The command line, for subprocess benchmarks.
    exit_codes : list of int
        Exit code of each timed run, for subprocess benchmarks.
    error : str or None
        Why the row could not be measured; set means ``ERROR``.
    skipped : bool
        Deselected with ``-k``; not timed and not reported.
    """

    name: str
    samples: list[float] = field(default_factory=list)
    target: float | None = None
    target_label: str = ""
    command: list[str] | None = None
    exit_codes: list[int] = field(default_factory=list)
    error: str | None = None
    skipped: bool = False

    @property
    def median(self) -> float | None:
        """Median of the samples [s]; None without samples."""
        return statistics.median(self.samples) if self.samples else None

    @property
    def min(self) -> float | None:
        """Fastest sample [s]; None without samples."""
        return min(self.samples) if self.samples else None

    @property
    def max(self) -> float | None:
        """Slowest sample [s]; None without samples."""
        return max(self.samples) if self.samples else None

    @property
    def status(self) -> str:
        """``ERROR``, ``PASS``, ``FAIL``, or ``-`` when there is no target."""
        if self.error is not None or self.median is None:
            return "ERROR"
        if self.target is None:
            return "-"
        return "PASS" if self.median < self.target else "FAIL"


BenchmarkFunction = Callable[[Context], Iterable[Result]]
BENCHMARKS: list[BenchmarkFunction] = []
"""The registry: benchmark functions in the order their rows are printed."""


def benchmark(func: BenchmarkFunction) -> BenchmarkFunction:
    """Register `func` as a benchmark (decorator); it yields one or more rows."""
    BENCHMARKS.append(func)
    return func


# --------------------------------------------------------------------------- timing


def _last_line(text: str, limit: int = 240) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[-1] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def time_command(
    name: str,
    args: Sequence[str],
    ctx: Context,
    *,
    ok_codes: Iterable[int] = (0,),
    target: float | None = None,
    target_label: str = "",
) -> Result:
    """Time ``python ARGS`` in a fresh interpreter, `ctx.repeat` times.

    Parameters
    ----------
    name : str
        Row label.
    args : sequence of str
        Arguments after the interpreter, e.g. ``["-m", "rackval", "--version"]``.
    ctx : Context
        Run settings.
    ok_codes : iterable of int
        Exit codes that count as a successful run.
    target : float or None
        Upper bound on the median. [s]
    target_label : str
        The target as printed.

    Returns
    -------
    Result
        All timed runs are kept even when one fails; the first failure (exit code
        outside `ok_codes`, time-out, or an OS error) is recorded as the row's error.
    """
    ok = frozenset(ok_codes)
    command = [ctx.python, *args]
    result = Result(name, target=target, target_label=target_label, command=command)
    if not ctx.wants(name):
        result.skipped = True
        return result

    def run_once() -> tuple[float, int | None, str]:
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                command,
                cwd=ctx.root,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return time.perf_counter() - start, None, f"timed out after {TIMEOUT:g} s"
        elapsed = time.perf_counter() - start
        message = _last_line(proc.stderr) or _last_line(proc.stdout)
        return elapsed, proc.returncode, message

    runs = ctx.repeat + (1 if ctx.warmup else 0)
    for index in range(runs):
        try:
            elapsed, code, message = run_once()
        except OSError as exc:
            result.error = f"cannot start: {exc}"
            break
        if code is None:
            result.error = message
            break  # a hung command would hang every repeat
        if code not in ok:
            if result.error is None:
                result.error = f"exit {code}: {message}" if message else f"exit {code}"
        if ctx.warmup and index == 0:
            continue
        result.samples.append(elapsed)
        result.exit_codes.append(code)
    return result


def time_call(
    name: str,
    func: Callable[[], object],
    ctx: Context,
    *,
    target: float | None = None,
    target_label: str = "",
) -> Result:
    """Time an in-process call, `ctx.repeat` times (after one untimed warm-up call).

    Parameters
    ----------
    name : str
        Row label.
    func : callable
        Zero-argument callable doing only the work under test; set-up belongs outside.
    ctx : Context
        Run settings.
    target : float or None
        Upper bound on the median. [s]
    target_label : str
        The target as printed.

    Returns
    -------
    Result
        An exception from `func` becomes the row's error and ends the row.
    """
    result = Result(name, target=target, target_label=target_label)
    if not ctx.wants(name):
        result.skipped = True
        return result
    runs = ctx.repeat + (1 if ctx.warmup else 0)
    for index in range(runs):
        start = time.perf_counter()
        try:
            func()
        except Exception as exc:  # report per row, keep the other benchmarks running
            result.error = f"{type(exc).__name__}: {exc}"
            break
        elapsed = time.perf_counter() - start
        if not (ctx.warmup and index == 0):
            result.samples.append(elapsed)
    return result


# ----------------------------------------------------------------------- benchmarks


@benchmark
def baselines(ctx: Context) -> Iterator[Result]:
    """Interpreter start-up, and start-up plus ``import rackval``."""
    yield time_command(BASELINE, ["-c", "pass"], ctx)
    yield time_command("python -c 'import rackval'", ["-c", "import rackval"], ctx)


@benchmark
def cli_version(ctx: Context) -> Iterator[Result]:
    """``python -m rackval --version``: CLI start-up without any design work."""
    yield time_command("rackval --version", ["-m", "rackval", "--version"], ctx)


@benchmark
def cold_validate(ctx: Context) -> Iterator[Result]:
    """Cold ``rackval validate designs/<file>.yaml``, normal + N-1, one row per design.

    ``--scenarios n-1`` (normal plus every N-1 contingency) is the CLI default; it is
    passed explicitly so that a ``[tool.rackval]`` config cannot change what is timed.
    Exit 0 (no findings) and 1 (findings) are both valid outcomes of a validation.
    """
    designs = sorted((ctx.root / "designs").glob("*.yaml"))
    if not designs:
        yield Result(
            "rackval validate designs/*.yaml",
            error="no designs/*.yaml found",
            target=COLD_VALIDATE_TARGET,
            target_label="< 1.0 s",
        )
        return
    for design in designs:
        relative = design.relative_to(ctx.root).as_posix()
        yield time_command(
            f"rackval validate {relative}",
            ["-m", "rackval", "validate", relative, "--scenarios", "n-1"],
            ctx,
            ok_codes=(0, 1),
            target=COLD_VALIDATE_TARGET,
            target_label="< 1.0 s",
        )


# Planned (DESIGN §11), to be registered here when their code lands:
#   steady hydraulic solve, 1,000-rack hall   < 50 ms kernel; ≥ 2.5× EPANET, ≥ 10× scipy
#   + heat on that hall                       < 20 ms more
#   N-1 sweep of that hall (150 scenarios)    < 2 s; ≥ 10× EPANET per scenario
#   fabric checks, 2,048 nodes × 8 rails      < 5 s
#   TUI edit → findings, 2-rack pod           < 100 ms
#   memory, 1,000-rack hall                   < 500 MB RSS


# -------------------------------------------------------------------------- report


def environment(ctx: Context) -> dict[str, object]:
    """Machine and interpreter facts printed above the table and stored in the JSON."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = None
    try:
        commit = (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                cwd=ctx.root,
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": ctx.python,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "cpu_usable": usable,
        "git_commit": commit,
        "repeat": ctx.repeat,
        "warmup": ctx.warmup,
    }


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _ratio(result: Result, baseline: float | None) -> float | None:
    if result.median is None or not baseline:
        return None
    return result.median / baseline


def render_table(results: Sequence[Result], env: dict[str, object]) -> str:
    """Render the report: environment lines, the table, one line per ``ERROR`` row."""
    baseline = next((r.median for r in results if r.name == BASELINE), None)
    header = ["benchmark", "median s", "min s", "max s", "× pass", "target", "status"]
    rows = []
    for r in results:
        ratio = _ratio(r, baseline)
        rows.append(
            [
                r.name,
                _seconds(r.median),
                _seconds(r.min),
                _seconds(r.max),
                "-" if ratio is None else f"{ratio:.1f}",
                r.target_label or "-",
                r.status,
            ]
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:-1], widths[1:-1], strict=True)]
        return "  ".join([first, *rest, cells[-1].ljust(widths[-1])]).rstrip()

    cpus = f"{env['cpu_count']}"
    if env["cpu_usable"] not in (None, env["cpu_count"]):
        cpus += f" ({env['cpu_usable']} usable)"
    out = [
        f"Python    {env['python']} ({env['implementation']}) {env['executable']}",
        f"Platform  {env['platform']} ({env['machine']})",
        f"CPUs      {cpus}",
        f"Commit    {env['git_commit'] or '-'}",
        f"Runs      median of {env['repeat']} per row"
        + (", after 1 untimed warm-up" if env["warmup"] else ""),
        "",
        line(header),
        line(["-" * w for w in widths]),
        *(line(row) for row in rows),
    ]
    errors = [r for r in results if r.error]
    if errors:
        out += ["", "Errors:"]
        out += [f"  {r.name}: {r.error}" for r in errors]
    return "\n".join(out)


def to_json(results: Sequence[Result], env: dict[str, object]) -> dict[str, object]:
    """Return the results as a JSON-serialisable document (times in seconds)."""
    baseline = next((r.median for r in results if r.name == BASELINE), None)
    return {
        "environment": env,
        "baseline": BASELINE,
        "results": [
            {
                "name": r.name,
                "median_s": r.median,
                "min_s": r.min,
                "max_s": r.max,
                "ratio_to_baseline": _ratio(r, baseline),
                "target_s": r.target,
                "target": r.target_label or None,
                "status": r.status,
                "error": r.error,
                "command": r.command,
                "exit_codes": r.exit_codes,
                "samples_s": r.samples,
            }
            for r in results
        ],
    }


def run(ctx: Context) -> list[Result]:
    """Run every registered benchmark and return its rows.

    Parameters
    ----------
    ctx : Context
        Run settings, including the ``-k`` selection.

    Returns
    -------
    list of Result
        In registry order, deselected rows left out. A benchmark function that raises
        becomes one ``ERROR`` row named after the function (its earlier rows are kept).
    """
    results: list[Result] = []
    for func in BENCHMARKS:
        try:
            for result in func(ctx):
                if not result.skipped and ctx.wants(result.name):
                    results.append(result)
        except Exception as exc:  # one broken benchmark must not hide the others
            results.append(Result(func.__name__, error=f"{type(exc).__name__}: {exc}"))
    return results


def _repeat(text: str) -> int:
    value = int(text)
    if value < MIN_REPEAT:
        raise argparse.ArgumentTypeError(f"at least {MIN_REPEAT} runs are needed, got {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns 1 if any row is ``FAIL`` or ``ERROR``."""
    parser = argparse.ArgumentParser(
        prog="python benchmarks/run.py",
        description="rackval performance benchmarks (DESIGN §11), medians in one run.",
    )
    parser.add_argument(
        "--repeat",
        type=_repeat,
        default=DEFAULT_REPEAT,
        metavar="N",
        help=f"timed runs per benchmark, ≥ {MIN_REPEAT} (default {DEFAULT_REPEAT})",
    )
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="also write the results to FILE as JSON"
    )
    parser.add_argument(
        "-k",
        dest="select",
        metavar="TEXT",
        help="only rows whose name contains TEXT (baseline always runs)",
    )
    parser.add_argument(
        "--no-warmup",
        dest="warmup",
        action="store_false",
        help="skip the untimed first run of each benchmark",
    )
    args = parser.parse_args(argv)

    ctx = Context(root=ROOT, repeat=args.repeat, warmup=args.warmup, select=args.select)
    env = environment(ctx)
    results = run(ctx)
    print(render_table(results, env))
    if args.json is not None:
        args.json.write_text(json.dumps(to_json(results, env), indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}", file=sys.stderr)
    return 1 if any(r.status in ("FAIL", "ERROR") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
