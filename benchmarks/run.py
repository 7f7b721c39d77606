"""Run the rackval performance benchmarks and print medians, ratios and verdicts.

One command measures every benchmark in the same run, so that the ratios between them
(and against a bare interpreter start, EPANET 2.2 and the scipy reference) are
comparable::

    python benchmarks/run.py                     # 7 timed runs per benchmark
    python benchmarks/run.py --repeat 11 --json bench.json
    python benchmarks/run.py -k validate          # only rows whose name contains "validate"
    python benchmarks/run.py -k "hall 1000"       # only the kernel rows of the 1,000-rack hall

Each benchmark is timed with :func:`time.perf_counter` around a fresh interpreter
started by :func:`subprocess.run` with ``sys.executable``, or around an in-process call
(the kernel rows of the hall, whose targets are on the kernel, not on interpreter
start-up). The table shows, per row, the median, minimum and maximum of ``--repeat``
runs (at least 5), the ratio of the median to the median of ``python -c pass`` measured
in the same run, the target from DESIGN §11 where one exists, and a verdict:

``PASS`` / ``FAIL``
    The median is below / not below the target (``< x``), or for speed-ups (``≥ x``)
    at least / below it.
``-``
    No target (baselines, reference rows).
``SKIP``
    A baseline that cannot run on this machine (``../shared`` or WNTR missing); the
    reason is printed under the table. Not a failure.
``ERROR``
    The benchmark could not be measured: a command exited with an unexpected code
    (for ``rackval validate``, 0 = clean and 1 = findings are both fine; 2 = invalid
    design or internal error is not), timed out, or raised. The message is printed
    under the table; timings of a failing command are shown but not judged.

Most rows are wall times in seconds; a few are other quantities with their own unit: a
speed-up (``×``, the baseline's median divided by rackval's), a relative difference of
flows (``%``) or a peak resident set size (``MiB``).

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

A raising benchmark function becomes one ``ERROR`` row; the others still run. A row
computed from other rows (a speed-up) is measured whenever any row of its function is
selected: pass ``always=True`` to :func:`time_call` for the rows it needs.

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
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""Repository root; subprocesses run here so ``python -m rackval`` finds this checkout."""

BENCH = Path(__file__).resolve().parent
"""This directory (the probes and the hall fixtures live here)."""

SHARED = ROOT.parent / "shared"
"""Default location of the shared reference anchors (``bench/epanet_hall.py``)."""

BASELINE = "python -c pass"
"""Name of the row every ratio is taken against."""

DEFAULT_REPEAT = 7
MIN_REPEAT = 5
TIMEOUT = 120.0
"""Seconds before a single subprocess run is abandoned and the row marked ``ERROR``."""

COLD_VALIDATE_TARGET = 1.0
"""DESIGN §11: cold ``rackval validate designs/<pod>.yaml``, normal + N-1, < 1.0 s wall."""

HALL = 1000
"""Racks of the benchmark hall (40,200 nodes, 58,200 links, 50 CDU groups)."""
HALL_SOLVE_TARGET = 0.050
"""DESIGN §11: steady hydraulic solve of the 1,000-rack hall in the kernel, < 50 ms."""
HALL_EPANET_SPEEDUP = 2.5
"""… and ≥ 2.5× faster than EPANET 2.2 ``ENsolveH`` on the same network in the same run."""
HALL_SCIPY_SPEEDUP = 10.0
"""… and ≥ 10× faster than a scipy.sparse reference of the same algorithm."""
HALL_FLOW_AGREEMENT = 0.5
"""DESIGN §11: flows against EPANET within 0.5 % (pumps, first and last devices). [%]"""
HALL_HEAT_TARGET = 0.020
"""DESIGN §11: + heat (advection, CDU, case temperatures) on that hall, < 20 ms more."""
HALL_N1_TARGET = 2.0
"""DESIGN §11: N-1 sweep of that hall (every pump and CDU lost, 150 scenarios), < 2 s."""
HALL_N1_EPANET_SPEEDUP = 10.0
"""… and ≥ 10× faster than EPANET solving each scenario."""
HALL_N1_EPANET_SAMPLE = 10
"""Scenarios EPANET solves (evenly spread over the 150); its sweep is extrapolated."""
RIDE_THROUGH_TARGET = 1.0
"""Brief of the benchmarks: 10-minute ride-through at 0.5 s steps on the hall, < 1 s."""
MEMORY_TARGET = 500.0
"""DESIGN §11: memory, 1,000-rack hall, < 500 MB RSS (judged in MiB, which is stricter)."""
MEMORY_RUNS = 3
"""Fresh interpreters per memory row (the peak RSS hardly varies between runs)."""
GENERATED_HALLS = (100, 1000)
"""Racks of the generated designs validated end to end (no target: DESIGN says report)."""
SLOW_RACKS = 1000
"""Generated designs this large run ``--slow-repeat`` times (default once), no warm-up."""


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
    shared : Path
        Directory holding ``bench/epanet_hall.py`` (the EPANET baseline); rows that
        need it are ``SKIP`` when it is missing.
    slow_repeat : int
        Timed runs of the slowest rows (``rackval validate`` of the generated
        1,000-rack design, about a minute and a half each).
    """

    root: Path
    repeat: int
    warmup: bool = True
    python: str = sys.executable
    select: str | None = None
    shared: Path = SHARED
    slow_repeat: int = 1

    def wants(self, name: str) -> bool:
        """Return whether the row called `name` is to be measured in this run."""
        return self.select is None or name == BASELINE or self.select.lower() in name.lower()


@dataclass
class Result:
    """One row of the table: the samples of one benchmark.

    Attributes
    ----------
    name : str
        Row label, unique within a run.
    samples : list of float
        Each timed run [s], or each measurement in ``unit``.
    target : float or None
        Bound on the median from DESIGN §11 (in ``unit``), or None when there is none.
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
    unit : str
        ``s`` (wall time), ``×`` (speed-up), ``%`` or ``MiB``.
    at_least : bool
        The target is a lower bound (speed-ups): PASS when the median is ≥ ``target``.
    derived : bool
        Computed from other rows' medians (one value; no min and max).
    skip_reason : str or None
        A baseline that cannot run here; set means ``SKIP``.
    note : str or None
        Printed under the table (the figures behind a row, how it was measured).
    """

    name: str
    samples: list[float] = field(default_factory=list)
    target: float | None = None
    target_label: str = ""
    command: list[str] | None = None
    exit_codes: list[int] = field(default_factory=list)
    error: str | None = None
    skipped: bool = False
    unit: str = "s"
    at_least: bool = False
    derived: bool = False
    skip_reason: str | None = None
    note: str | None = None

    @property
    def median(self) -> float | None:
        """Median of the samples (in ``unit``); None without samples."""
        return statistics.median(self.samples) if self.samples else None

    @property
    def min(self) -> float | None:
        """Smallest sample; None without samples."""
        return min(self.samples) if self.samples else None

    @property
    def max(self) -> float | None:
        """Largest sample; None without samples."""
        return max(self.samples) if self.samples else None

    @property
    def status(self) -> str:
        """``SKIP``, ``ERROR``, ``PASS``, ``FAIL``, or ``-`` when there is no target."""
        if self.skip_reason is not None and self.error is None:
            return "SKIP"
        if self.error is not None or self.median is None:
            return "ERROR"
        if self.target is None:
            return "-"
        if self.at_least:
            return "PASS" if self.median >= self.target else "FAIL"
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
    always: bool = False,
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
    always : bool
        Measure even when ``-k`` deselects the row (another row of the same benchmark,
        a speed-up, needs its median); :func:`run` still leaves it out of the table.

    Returns
    -------
    Result
        An exception from `func` becomes the row's error and ends the row.
    """
    result = Result(name, target=target, target_label=target_label)
    if not (always or ctx.wants(name)):
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


# ------------------------------------------------------------------- derived rows


def speedup(
    name: str,
    baseline: Result,
    ours: Result,
    *,
    target: float | None,
    target_label: str,
    note: str | None = None,
) -> Result:
    """A row with the baseline's median divided by ours (× faster), judged as ``≥ target``
    (not judged when `target` is None).

    SKIP when the baseline is SKIP; ERROR when either median is missing.
    """
    result = Result(
        name, target=target, target_label=target_label, unit="×", at_least=True, derived=True
    )
    result.note = note
    if baseline.status == "SKIP":
        result.skip_reason = baseline.skip_reason
    elif baseline.median is None or ours.median is None or ours.error or baseline.error:
        missing = baseline if baseline.median is None or baseline.error else ours
        result.error = f"needs the median of {missing.name!r}"
    else:
        result.samples = [baseline.median / ours.median]
    return result


def skipped(name: str, reason: str, **fields: object) -> Result:
    """A ``SKIP`` row (a baseline that cannot run on this machine)."""
    return Result(name, skip_reason=reason, **fields)  # type: ignore[arg-type]


def _wants_any(ctx: Context, names: Iterable[str]) -> bool:
    return any(ctx.wants(n) for n in names)


def _bench_hall():
    """The hall fixtures (imported on first use: NumPy, rackval's solvers, scipy, WNTR)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import bench_hall

    return bench_hall


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# -------------------------------------------------------------- the 1,000-rack hall

H = f"hall {HALL}: "
"""Prefix of the kernel rows of the hall (``-k "hall 1000"`` selects them)."""


@benchmark
def hall_steady(ctx: Context) -> Iterator[Result]:
    """Steady hydraulic solve of the hall: kernel, EPANET 2.2 and scipy in the same run.

    The kernel row times :func:`rackval.solve.hydraulics.solve` on a prepared topology
    (``prepare`` once, outside the timing; cold start from ``initial_flow``, tol 1e-6).
    EPANET: ``ENsolveH`` on the shared script's network written as an .inp, each run in a
    freshly opened project (as ``epanet_hall.py``; its own default ACCURACY 0.001).
    scipy: ``reference_solve`` of ``tests/reference_hydraulics.py`` (same GGA, SuperLU).
    """
    names = {
        "kernel": H + "steady solve, kernel (prepared)",
        "prepare": H + "prepare + steady solve, kernel",
        "loose": H + "steady solve, kernel at EPANET's accuracy (tol 1e-3)",
        "epanet": H + "steady solve, EPANET 2.2 ENsolveH",
        "scipy": H + "steady solve, scipy.sparse GGA reference",
        "vs_epanet": H + "steady solve, speed-up vs EPANET",
        "vs_scipy": H + "steady solve, speed-up vs scipy",
        "loose_vs_epanet": H + "steady solve at tol 1e-3, speed-up vs EPANET",
        "flows": H + "flows vs EPANET (pumps, first/last devices)",
    }
    if not _wants_any(ctx, names.values()):
        return
    bh = _bench_hall()
    from rackval.solve import hydraulics

    h = bh.hall(HALL)
    net = h.network
    kernel = time_call(
        names["kernel"],
        lambda: hydraulics.solve(net, prepared=h.topology),
        ctx,
        target=HALL_SOLVE_TARGET,
        target_label="< 50 ms",
        always=True,
    )
    kernel.note = (
        f"{net.n_nodes:,} nodes, {net.n_links:,} links; {h.base.iterations} GGA iterations "
        f"to Σ|ΔQ|/Σ|Q| = {h.base.residual:.1e} (tol 1e-6), cold start from initial_flow"
    )
    yield kernel
    yield time_call(
        names["prepare"],
        lambda: hydraulics.solve(net, prepared=hydraulics.prepare(net)),
        ctx,
    )
    loose = time_call(
        names["loose"],
        lambda: hydraulics.solve(net, prepared=h.topology, tol=1e-3),
        ctx,
        always=True,
    )
    loose.note = (
        f"{hydraulics.solve(net, prepared=h.topology, tol=1e-3).iterations} iterations: "
        "EPANET's own stopping rule (Σ|ΔQ|/Σ|Q| ≤ ACCURACY 0.001), for the like-for-like ratio"
    )
    yield loose

    # EPANET 2.2 through WNTR, on the shared script's network
    try:
        en = bh.epanet(ctx.shared, HALL)
    except bh.Skip as exc:
        reason = str(exc)
        epanet = skipped(names["epanet"], reason)
        flows = skipped(
            names["flows"], reason, unit="%", target=HALL_FLOW_AGREEMENT, target_label="< 0.5 %"
        )
    else:
        epanet = Result(names["epanet"])
        needs_epanet = ("epanet", "vs_epanet", "loose_vs_epanet", "flows")
        if _wants_any(ctx, (names[key] for key in needs_epanet)):
            runs = ctx.repeat + (1 if ctx.warmup else 0)
            times, q_epanet = en.solve_times(runs)
            epanet.samples = times[1:] if ctx.warmup else times
            epanet.note = (
                f"network built by shared/bench/epanet_hall.py build() and written as .inp in "
                f"{en.build_seconds:.1f} s (not timed); each run opens the .inp afresh"
            )
            index = en.link_index(h.link_names) - 1  # kernel link k is EPANET link index[k]
            q_epanet = q_epanet[index]
            flows = _flow_agreement(names["flows"], bh, h, q_epanet)
        else:
            flows = Result(names["flows"])
    yield epanet

    scipy_solve = bh.scipy_solver(ctx.root)
    scipy = time_call(names["scipy"], lambda: scipy_solve(h), ctx, always=True)
    scipy.note = "tests/reference_hydraulics.py reference_solve: same GGA, scipy spsolve, tol 1e-6"
    yield scipy
    yield speedup(
        names["vs_epanet"],
        epanet,
        kernel,
        target=HALL_EPANET_SPEEDUP,
        target_label="≥ 2.5×",
    )
    yield speedup(names["vs_scipy"], scipy, kernel, target=HALL_SCIPY_SPEEDUP, target_label="≥ 10×")
    yield speedup(names["loose_vs_epanet"], epanet, loose, target=None, target_label="")
    yield flows


def _flow_agreement(name: str, bh, h, q_epanet) -> Result:
    """Largest relative difference of the kernel's flows to EPANET's on the checked links."""
    import numpy as np

    q = h.base.flow
    lmin = 60_000.0
    checked = {
        "pumps": h.pumps,
        "first device, first rack": h.first_device,
        "first device, last rack": h.first_device_last_rack,
        "last device, last rack": h.last_device,
    }
    worst = {label: bh.max_relative_difference(q[k], q_epanet[k]) for label, k in checked.items()}
    every = float(np.max(np.abs(q - q_epanet)) / np.max(np.abs(q_epanet)))
    shown = "; ".join(
        f"{label} {q[k[0]] * lmin:.2f} vs {q_epanet[k[0]] * lmin:.2f} L/min"
        f" (max {worst[label] * 100:.3f} % over {len(k)})"
        for label, k in checked.items()
    )
    result = Result(
        name,
        samples=[max(worst.values()) * 100.0],
        target=HALL_FLOW_AGREEMENT,
        target_label="< 0.5 %",
        unit="%",
        derived=True,
    )
    result.note = (
        f"kernel vs EPANET, group 0: {shown}; all {len(q):,} links: max |ΔQ| = "
        f"{every * 100:.3f} % of the largest flow"
    )
    return result


@benchmark
def hall_heat(ctx: Context) -> Iterator[Result]:
    """Heat on the solved hall: CDU ε-NTU, steady advection, device case temperatures."""
    name = H + "+ heat (CDU ε-NTU, steady advection, case temps)"
    if not ctx.wants(name):
        return
    bh = _bench_hall()
    h = bh.hall(HALL)
    result = time_call(
        name,
        lambda: bh.heat_step(h, h.base.flow),
        ctx,
        target=HALL_HEAT_TARGET,
        target_label="< 20 ms",
    )
    steady, case = bh.heat_step(h, h.base.flow)
    supply = steady.node_temperature[h.supply_nodes]
    result.note = (
        f"{bh.DEVICE_HEAT / 1e3:g} kW per cold plate ({steady.heat_in / 1e6:.1f} MW), CDU UA "
        f"{bh.CDU_UA / 1e3:g} kW/K vs facility water {bh.FACILITY_SUPPLY - 273.15:g} °C at "
        f"{bh.FACILITY_FLOW * 60_000:g} L/min; supply {supply.mean() - 273.15:.2f} °C, "
        f"case max {case.max() - 273.15:.2f} °C; energy imbalance "
        f"{abs(steady.energy_imbalance) / steady.heat_in:.1e} of the heat; "
        f"{steady.loop_closures} loop closures"
    )
    yield result


@benchmark
def hall_n1(ctx: Context) -> Iterator[Result]:
    """N-1 sweep of the hall: every pump lost, every CDU lost (its two pumps), 150 scenarios.

    rackval: one :func:`~rackval.solve.hydraulics.solve_batch` call on the prepared
    topology, warm-started from the base solution (solved outside the timing). EPANET:
    ``ENsolveH`` of ``HALL_N1_EPANET_SAMPLE`` scenarios spread evenly over the 150 (links
    closed as initial status in one open project), each solved once; its sweep is the
    median per scenario × 150.
    """
    names = {
        "kernel": H + "N-1 sweep, 150 scenarios, kernel solve_batch",
        "epanet": H + "N-1 sweep, EPANET ENsolveH per scenario (extrapolated)",
        "vs_epanet": H + "N-1 sweep, speed-up vs EPANET",
    }
    if not _wants_any(ctx, names.values()):
        return
    bh = _bench_hall()
    from rackval.solve import hydraulics

    h = bh.hall(HALL)
    scenarios = h.scenarios
    kernel = time_call(
        names["kernel"],
        lambda: hydraulics.solve_batch(
            h.network, closed=scenarios, prepared=h.topology, base=h.base
        ),
        ctx,
        target=HALL_N1_TARGET,
        target_label="< 2 s",
        always=True,
    )
    batch = hydraulics.solve_batch(h.network, closed=scenarios, prepared=h.topology, base=h.base)
    kernel.note = (
        f"{len(scenarios)} scenarios ({len(h.pumps)} pump-lost, {len(h.pumps) // 2} CDU-lost), "
        f"all solved: {bool(batch.ok.all())}; iterations {int(batch.iterations.min())}…"
        f"{int(batch.iterations.max())}, warm start from the base solution"
    )
    yield kernel

    try:
        en = bh.epanet(ctx.shared, HALL)
    except bh.Skip as exc:
        epanet = skipped(names["epanet"], str(exc))
    else:
        epanet = Result(names["epanet"])
        if ctx.wants(names["epanet"]) or ctx.wants(names["vs_epanet"]):
            import numpy as np

            count = len(scenarios)
            picks = sorted(
                {
                    round(i * (count - 1) / (HALL_N1_EPANET_SAMPLE - 1))
                    for i in range(HALL_N1_EPANET_SAMPLE)
                }
            )
            index = en.link_index(h.link_names)
            times, pump_flows = en.scenario_times(
                [scenarios[j] for j in picks], index, index[h.pumps]
            )
            epanet.samples = [t * count for t in times]
            ours = batch.flow[np.ix_(picks, h.pumps)]
            running = np.abs(pump_flows) > 1e-9
            agree = bh.max_relative_difference(ours[running], pump_flows[running])
            epanet.note = (
                f"{len(picks)} of {count} scenarios solved by EPANET (indices {picks}), "
                f"{_ms(statistics.median(times))} median per scenario × {count}; min/max "
                f"likewise; running pump flows vs kernel within {agree * 100:.3f} %"
            )
    yield epanet
    yield speedup(
        names["vs_epanet"],
        epanet,
        kernel,
        target=HALL_N1_EPANET_SPEEDUP,
        target_label="≥ 10×",
    )


@benchmark
def hall_ride_through(ctx: Context) -> Iterator[Result]:
    """10-minute facility-water-lost ride-through of the hall as lumps, 0.5 s steps."""
    name = H + "ride-through 10 min at 0.5 s (1,200 steps)"
    if not ctx.wants(name):
        return
    bh = _bench_hall()
    inputs = bh.ride_through_inputs(HALL)
    result = time_call(
        name,
        lambda: bh.ride_through(HALL),
        ctx,
        target=RIDE_THROUGH_TARGET,
        target_label="< 1 s",
    )
    run = bh.ride_through(HALL)
    first = "none" if run.first_crossing is None else f"{run.first_crossing:.1f} s"
    result.note = (
        f"{len(inputs.capacity):,} lumps ({len(inputs.capacity) - len(inputs.power.nonzero()[0]):,}"
        f" coolant, {len(inputs.power.nonzero()[0]):,} cold plates), "
        f"{len(inputs.advection[0]):,} advection and {len(inputs.conduction[0]):,} conduction "
        f"links, {len(inputs.watch):,} watched; {run.steps} steps taken (no stop at the first "
        f"crossing, {first}); no heat rejection and no boiling in the model, so the coolant "
        "keeps warming — the row measures the cost of the steps"
    )
    yield result


@benchmark
def hall_memory(ctx: Context) -> Iterator[Result]:
    """Peak RSS of a fresh interpreter building and solving the hall (``_probe_memory.py``)."""
    rows = [
        (H + "peak RSS, build + prepare + solve", [], MEMORY_TARGET, "< 500 MB"),
        (H + "peak RSS, + heat + N-1 sweep", ["--heat-n1"], None, ""),
    ]
    for name, extra, target, label in rows:
        if not ctx.wants(name):
            continue
        command = [ctx.python, str(BENCH / "_probe_memory.py"), str(HALL), *extra]
        result = Result(name, target=target, target_label=label, unit="MiB", command=command)
        imports: list[float] = []
        hwm: list[float] = []
        for _ in range(MEMORY_RUNS):
            proc = subprocess.run(
                command, cwd=ctx.root, capture_output=True, text=True, timeout=TIMEOUT, check=False
            )
            result.exit_codes.append(proc.returncode)
            if proc.returncode != 0:
                result.error = f"exit {proc.returncode}: {_last_line(proc.stderr)}"
                break
            figures = json.loads(proc.stdout.strip().splitlines()[-1])
            result.samples.append(figures["peak_kib"] / 1024.0)
            imports.append(figures["imports_kib"] / 1024.0)
            if figures.get("hwm_kib") is not None:
                hwm.append(figures["hwm_kib"] / 1024.0)
        if imports:
            result.note = (
                f"ru_maxrss of a fresh interpreter (started from a small one: see "
                f"_probe_memory.py), {MEMORY_RUNS} runs; {statistics.median(imports):.0f} MiB "
                f"of it after the imports alone"
                + (f"; VmHWM {statistics.median(hwm):.0f} MiB" if hwm else "")
            )
        yield result


# ------------------------------------------------------------- generated designs


@benchmark
def validate_generated(ctx: Context) -> Iterator[Result]:
    """Cold ``rackval validate`` (normal + N-1) of generated halls, with a stage breakdown.

    ``tools/gen_hall_design.py N`` writes the design to a temporary directory (never
    committed); ``_probe_validate.py`` runs rackval's CLI entry point in a fresh
    interpreter with timers around loading, the power and loop solves and
    ``validate_design``. The total is the subprocess wall time. No target (DESIGN §11
    sets one only for the example pods); reported.
    """
    stages = (
        ("startup", "start-up (imports, catalog)"),
        ("load", "load_design (ruamel + schema + resolve)"),
        ("power", "power solve, all scenarios"),
        ("loops", "loop build + hydraulics + heat, all scenarios"),
        ("rules", "rules"),
        ("output", "output (render findings, exit)"),
    )
    for n_racks in GENERATED_HALLS:
        design = f"hall-{n_racks}.yaml"
        name = f"rackval validate {design} (generated, cold, N-1)"
        parts = {key: f"rackval validate {design}: {label}" for key, label in stages}
        if not _wants_any(ctx, [name, *parts.values()]):
            continue
        slow = n_racks >= SLOW_RACKS
        with tempfile.TemporaryDirectory(prefix="rackval-bench-") as tmp:
            path = Path(tmp) / design
            times_file = Path(tmp) / "times.json"
            gen = subprocess.run(
                [
                    ctx.python,
                    str(ctx.root / "tools" / "gen_hall_design.py"),
                    str(n_racks),
                    str(path),
                ],
                cwd=ctx.root,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
            if gen.returncode != 0:
                yield Result(
                    name, error=f"generator exit {gen.returncode}: {_last_line(gen.stderr)}"
                )
                continue
            command = [
                ctx.python,
                str(BENCH / "_probe_validate.py"),
                str(times_file),
                "validate",
                str(path),
                "--scenarios",
                "n-1",
            ]
            result = Result(name, command=command)
            breakdown: dict[str, list[float]] = {key: [] for key, _ in stages}
            summary = ""
            scenarios = 0
            rule_times: dict[str, list[float]] = {}
            runs = ctx.slow_repeat if slow else ctx.repeat
            warm = ctx.warmup and not slow
            for index in range(runs + (1 if warm else 0)):
                start = time.perf_counter()
                try:
                    proc = subprocess.run(
                        command,
                        cwd=ctx.root,
                        stdin=subprocess.DEVNULL,
                        capture_output=True,
                        text=True,
                        errors="replace",
                        timeout=max(TIMEOUT, 600.0) if slow else TIMEOUT,
                        check=False,
                    )
                except subprocess.TimeoutExpired:
                    result.error = "timed out"
                    break
                elapsed = time.perf_counter() - start
                if proc.returncode not in (0, 1):
                    result.error = f"exit {proc.returncode}: {_last_line(proc.stderr)}"
                    break
                summary = _last_line(proc.stdout)
                if warm and index == 0:
                    continue
                result.samples.append(elapsed)
                result.exit_codes.append(proc.returncode)
                figures = json.loads(times_file.read_text(encoding="utf-8"))
                for key, _ in stages:
                    breakdown[key].append(figures[key])
                scenarios = figures["calls"]["power"]
                for rule, seconds in figures.get("rule_times", {}).items():
                    rule_times.setdefault(rule, []).append(seconds)
            slowest = sorted(rule_times.items(), key=lambda kv: -statistics.median(kv[1]))[:3]
            result.note = (
                f"{n_racks} racks, {n_racks * 18:,} devices, {n_racks // 20} loops, "
                f"{scenarios} scenarios; "
                f"{runs} run{'s' if runs != 1 else ''}"
                + ("" if warm else " without warm-up")
                + f"; rackval says: {summary}"
                + (
                    "; slowest rules: "
                    + ", ".join(f"{rule} {statistics.median(t):.2f} s" for rule, t in slowest)
                    if slowest
                    else ""
                )
            )
            yield result
            for key, _ in stages:
                if breakdown[key]:
                    yield Result(parts[key], samples=breakdown[key])


# ---------------------------------------------------------- batch validation in CI

BATCH_DESIGNS = 200
"""Designs in the batch rows (``rackval validate DIR``, as a CI job runs it)."""
BATCH_RACKS = 4
"""Racks of each batch design (``tools/gen_hall_design.py 4 --racks-per-loop 2 --power``)."""
BATCH_JOBS = 2
BATCH_REPEAT = 3
"""Timed runs of each batch row (each is about ten seconds), at most ``--repeat``."""


@benchmark
def batch_validate(ctx: Context) -> Iterator[Result]:
    """``rackval validate DIR`` of 200 small designs with ``--jobs 1`` and ``--jobs 2``.

    One generated design (4 racks on 2 coolant loops with A/B feeds, 72 trays; test-fixture
    parts) is copied 200 times into a temporary directory; ``--isolated --scenarios n-1``
    so that no project configuration changes what is timed. Rows: the wall time of each
    run, designs per second in the notes, and the speed-up of ``--jobs 2`` over
    ``--jobs 1`` (no target; it is bounded by the CPUs the machine gives the pool, which
    the header of the table shows, and by the parent rendering the findings).
    """
    one = f"rackval validate {BATCH_DESIGNS} designs --jobs 1"
    two = f"rackval validate {BATCH_DESIGNS} designs --jobs {BATCH_JOBS}"
    ratio = f"speed-up of --jobs {BATCH_JOBS} over --jobs 1, {BATCH_DESIGNS} designs"
    if not _wants_any(ctx, [one, two, ratio]):
        return
    # the speed-up needs both rows: measure them when it is selected (run() shows only
    # the rows -k selects)
    select = None if ctx.wants(ratio) else ctx.select
    runs = replace(ctx, repeat=min(ctx.repeat, BATCH_REPEAT), select=select)
    with tempfile.TemporaryDirectory(prefix="rackval-batch-") as tmp:
        folder = Path(tmp) / "designs"
        folder.mkdir()
        first = folder / "d0001.yaml"
        gen = subprocess.run(
            [
                ctx.python,
                str(ctx.root / "tools" / "gen_hall_design.py"),
                str(BATCH_RACKS),
                str(first),
                "--racks-per-loop",
                "2",
                "--power",
            ],
            cwd=ctx.root,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        if gen.returncode != 0:
            yield Result(one, error=f"generator exit {gen.returncode}: {_last_line(gen.stderr)}")
            return
        text = first.read_text(encoding="utf-8")
        for k in range(2, BATCH_DESIGNS + 1):
            (folder / f"d{k:04d}.yaml").write_text(text, encoding="utf-8")
        rows = {}
        for name, jobs in ((one, 1), (two, BATCH_JOBS)):
            args = ["-m", "rackval", "validate", str(folder), "--isolated", "--scenarios", "n-1"]
            result = time_command(name, [*args, "--jobs", str(jobs)], runs, ok_codes=(0, 1))
            if result.median:
                result.note = f"{BATCH_DESIGNS / result.median:.1f} designs/s"
            rows[jobs] = result
            yield result
        yield speedup(ratio, rows[1], rows[BATCH_JOBS], target=None, target_label="")


# ------------------------------------------------------------ layout and air


LAYOUT_RACKS = 1000


@benchmark
def layout_air(ctx: Context) -> Iterator[Result]:
    """Layout and air checks of a generated 1,000-rack hall, geometry included.

    ``tools/gen_hall_design.py 1000 --layout`` (20 rows of 20… racks in back-to-back
    pairs, a hall outline, air units N+1). The design is loaded and validated once
    outside the timer; each timed call rebuilds the hall geometry (footprints,
    overlaps, clearances, aisles), solves the air side in ``normal`` and
    ``air-unit-lost`` and runs RV-LAY-*, RV-DEN-002 and RV-AIR-* on them.
    Target < 1 s (issue #5).
    """
    name = f"layout + air checks, {LAYOUT_RACKS} racks (generated)"
    if not ctx.wants(name):
        return
    sys.path.insert(0, str(ctx.root / "tools"))
    from dataclasses import replace

    from gen_hall_design import generate

    from rackval.catalog import load_catalog
    from rackval.design.resolve import load_design
    from rackval.layout import plan
    from rackval.rules import select_rules
    from rackval.solve.air import solve_air
    from rackval.validate import validate_design

    with tempfile.TemporaryDirectory(prefix="rackval-bench-") as tmp:
        path = Path(tmp) / f"hall-{LAYOUT_RACKS}.yaml"
        path.write_text(generate(LAYOUT_RACKS, layout=True, power=True), encoding="utf-8")
        design = load_design(path, load_catalog())
    selected = ("RV-LAY", "RV-DEN-002", "RV-AIR")
    report = validate_design(design, select=selected, scenarios=["normal", "air-unit-lost"])
    rules = select_rules(selected)
    findings: list[object] = []

    def checks() -> None:
        plan._last = None  # rebuild the geometry every call
        findings.clear()
        for scenario_name, solution in report.solutions.items():
            air = solve_air(design, solution.scenario)
            solution = replace(solution, air=air)
            for r in rules:
                if r.per_scenario and r.applies_to(solution.scenario):
                    findings.extend(r.run(design, solution))
                elif not r.per_scenario and scenario_name == "normal":
                    findings.extend(r.run(design, solution))

    result = time_call(name, checks, ctx, target=1.0, target_label="< 1 s")
    result.note = (
        f"{len(design.racks)} racks, {len(design.devices):,} devices, "
        f"{len(report.solutions)} scenarios, {len(findings)} findings"
    )
    yield result


FABRIC_NODES = 2048
"""DESIGN §11: fabric checks, 2,048 nodes × 8 rails (16,384 GPUs), 3-tier, < 5 s."""


@benchmark
def fabric_checks(ctx: Context) -> Iterator[Result]:
    """Generation and fabric checks of a 3-tier fat tree of 2,048 nodes × 8 rails.

    ``tools/gen_fabric_design.py 2048``: DGX H100 nodes on QM9700 switches, 1:1,
    rail-optimized scalable units of 32 nodes, 16 pods, 512 leaves, 512 spines, 256 cores,
    49,152 links, media chosen by routed length. The file is read once outside the timer
    (YAML parsing is not fabric work); each timed call resolves the design (which runs
    the generator), builds the fabric graph (routes, media), solves the fabric in normal
    operation (per-switch oversubscription, exact max-flow bisection) and runs
    RV-NET-001…008 (ports, reuse, oversubscription, bisection, SPOF, rails, reach,
    unconnected NICs). The note gives the peak of Python allocations of one call
    (tracemalloc, measured in a separate untimed call). Target < 5 s (DESIGN §11).
    """
    name = f"fabric checks, {FABRIC_NODES:,} nodes × 8 rails, 3-tier"
    if not ctx.wants(name):
        return
    sys.path.insert(0, str(ctx.root / "tools"))
    import tracemalloc
    from dataclasses import replace

    from gen_fabric_design import generate

    from rackval.catalog import load_catalog
    from rackval.design.load import load_files
    from rackval.design.resolve import resolve
    from rackval.fabric import graph
    from rackval.fabric.analysis import solve_fabric
    from rackval.rules import select_rules
    from rackval.solve.scenarios import NORMAL
    from rackval.validate import validate_design

    catalog = load_catalog()
    with tempfile.TemporaryDirectory(prefix="rackval-bench-") as tmp:
        path = Path(tmp) / f"fabric-{FABRIC_NODES}.yaml"
        path.write_text(generate(FABRIC_NODES), encoding="utf-8")
        loaded = load_files(path)
    design = resolve(loaded, catalog)
    report = validate_design(design, select=("RV-NET",), scenarios="normal")
    base = report.solutions[NORMAL.name]
    rules = select_rules(("RV-NET",))
    findings: list[object] = []
    counts: dict[str, int] = {}

    def checks() -> None:
        findings.clear()
        fresh = resolve(loaded, catalog)
        graph._last = None  # rebuild the graph every call
        model = graph.fabric_model(fresh)
        counts["links"] = len(model.links)
        counts["switches"] = sum(len(f.switches) for f in model.fabrics.values())
        solution = replace(base, fabric=solve_fabric(fresh))
        for r in rules:
            findings.extend(r.run(fresh, solution))

    result = time_call(name, checks, ctx, target=5.0, target_label="< 5 s")
    tracemalloc.start()
    checks()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result.note = (
        f"{counts.get('links', 0):,} links, {counts.get('switches', 0):,} switches, "
        f"{len(findings)} findings; peak Python allocations {peak / 2**20:.0f} MiB (tracemalloc)"
    )
    yield result


# --------------------------------------------------------------------- the editor


TUI_EDITS = 50
"""Edits timed by the editor benchmark (DESIGN §11: edit → findings updated < 100 ms)."""


@benchmark
def tui_edit_findings(ctx: Context) -> Iterator[Result]:
    """``rackval edit`` on ``designs/gb200-nvl72.yaml``: edit → findings updated, 50 edits.

    The app runs headless under Textual's Pilot (``run_test``) on a copy of the example.
    Each edit sets the breaker of feed A1 through the app's undoable-edit path (what a
    form or a key does); the time runs from the edit until the findings panel shows the
    validation of that edit (the exclusive worker dumps the document, loads, resolves and
    validates it in every scenario, then the panel and summary bar are updated). One
    sample per edit; ``--repeat`` does not apply (the row is the median of the 50).
    """
    name = f"rackval edit: edit → findings updated, gb200-nvl72, median of {TUI_EDITS}"
    if not ctx.wants(name):
        return
    import asyncio
    import shutil

    from rackval.design.load import read_document
    from rackval.tui.app import RackvalApp
    from rackval.tui.edits import SetField

    samples: list[float] = []

    async def drive(path: Path) -> None:
        app = RackvalApp(read_document(path), autosave=False, offer_recovery=False)
        async with app.run_test(size=(150, 44)) as pilot:
            while not app.validated:
                await pilot.pause(0.01)
            for k in range(TUI_EDITS):
                start = time.perf_counter()
                app.apply(SetField(("power", "feeds", 0, "breaker"), f"{60 + k % 2} A"))
                while not app.validated:
                    await asyncio.sleep(0.001)
                samples.append(app.shown_at - start)

    with tempfile.TemporaryDirectory(prefix="rackval-tui-") as tmp:
        path = Path(tmp) / "gb200-nvl72.yaml"
        shutil.copy(ctx.root / "designs" / "gb200-nvl72.yaml", path)
        asyncio.run(drive(path))
    yield Result(
        name,
        samples=samples,
        target=0.100,
        target_label="< 100 ms",
        note=f"{len(samples)} edits; slowest {max(samples) * 1000:.0f} ms" if samples else None,
    )


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


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.4f}" if value < 0.1 else f"{value:.3f}"
    if unit == "×":
        return f"{value:.2f}"
    if unit == "%":
        return f"{value:.3f}"
    return f"{value:.0f}"


def _ratio(result: Result, baseline: float | None) -> float | None:
    if result.unit != "s" or result.median is None or not baseline:
        return None
    return result.median / baseline


def render_table(results: Sequence[Result], env: dict[str, object]) -> str:
    """Render the report: environment lines, the table, notes, skips and errors."""
    baseline = next((r.median for r in results if r.name == BASELINE), None)
    header = ["benchmark", "median", "min", "max", "unit", "× pass", "target", "status"]
    rows = []
    for r in results:
        ratio = _ratio(r, baseline)
        rows.append(
            [
                r.name,
                _value(r.median, r.unit),
                "-" if r.derived else _value(r.min, r.unit),
                "-" if r.derived else _value(r.max, r.unit),
                r.unit,
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
        + (", after 1 untimed warm-up" if env["warmup"] else "")
        + " (exceptions in the notes)",
        "",
        line(header),
        line(["-" * w for w in widths]),
        *(line(row) for row in rows),
    ]
    for title, items in (
        ("Notes:", [(r.name, r.note) for r in results if r.note]),
        ("Skipped:", [(r.name, r.skip_reason) for r in results if r.status == "SKIP"]),
        ("Errors:", [(r.name, r.error) for r in results if r.error]),
    ):
        if items:
            out += ["", title]
            out += [f"  {name}: {text}" for name, text in items]
    return "\n".join(out)


def to_json(results: Sequence[Result], env: dict[str, object]) -> dict[str, object]:
    """Return the results as a JSON-serialisable document (values in each row's unit)."""
    baseline = next((r.median for r in results if r.name == BASELINE), None)
    return {
        "environment": env,
        "baseline": BASELINE,
        "results": [
            {
                "name": r.name,
                "unit": r.unit,
                "median": r.median,
                "min": r.min,
                "max": r.max,
                "ratio_to_baseline": _ratio(r, baseline),
                "target_value": r.target,
                "target_bound": None if r.target is None else (">=" if r.at_least else "<"),
                "target": r.target_label or None,
                "status": r.status,
                "error": r.error,
                "skip_reason": r.skip_reason,
                "note": r.note,
                "command": r.command,
                "exit_codes": r.exit_codes,
                "samples": r.samples,
            }
            for r in results
        ],
    }


def run(ctx: Context) -> list[Result]:
    """Run every registered benchmark and return its rows (progress on stderr).

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
                    print(f"  {result.name}: {result.status}", file=sys.stderr, flush=True)
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
    parser.add_argument(
        "--slow-repeat",
        type=int,
        default=1,
        metavar="N",
        help="timed runs of the slowest rows (validate of the generated 1,000-rack design; "
        "default 1)",
    )
    parser.add_argument(
        "--shared",
        type=Path,
        default=SHARED,
        metavar="DIR",
        help="directory holding bench/epanet_hall.py for the EPANET rows (default ../shared)",
    )
    args = parser.parse_args(argv)
    if args.slow_repeat < 1:
        parser.error("--slow-repeat must be at least 1")

    ctx = Context(
        root=ROOT,
        repeat=args.repeat,
        warmup=args.warmup,
        select=args.select,
        shared=args.shared.resolve(),
        slow_repeat=args.slow_repeat,
    )
    env = environment(ctx)
    results = run(ctx)
    print(render_table(results, env))
    if args.json is not None:
        args.json.write_text(json.dumps(to_json(results, env), indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}", file=sys.stderr)
    return 1 if any(r.status in ("FAIL", "ERROR") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
