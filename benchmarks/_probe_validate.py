"""Cold ``rackval validate`` with timers around its stages, in a fresh interpreter.

Usage: ``python benchmarks/_probe_validate.py TIMES.json validate FILE [options]``.

Runs rackval's own command-line entry point (``rackval.cli.main``) with the arguments after
``TIMES.json``, exactly as ``python -m rackval`` does, after wrapping these functions with
``time.perf_counter`` timers (rackval's code is not changed; the wrappers are installed on
the modules the CLI looks them up in):

``load``        ``rackval.design.resolve.load_design``: ruamel round-trip parse, schema,
                resolve (parts, ``count`` expansion, units)
``power``       ``rackval.validate.solve_power``: the power solve of every scenario
``loops``       ``rackval.validate.build_loop`` and ``rackval.validate._solve_loop``: loop
                networks, hydraulic and heat kernels of every scenario
``validate``    ``rackval.validate.validate_design`` as a whole (power + loops + rules)
``rule_times``  ``rackval.rules.base.Rule.run`` per rule id (all scenarios), for the
                breakdown of ``rules``

``rules`` = validate − power − loops (rule evaluation and sorting); ``total`` is the time
from the first line of this script to the CLI's exit, ``startup`` the time before
``load`` started (imports, catalog), ``output`` = total − startup − load − validate
(rendering the findings, exit). The timings are written to TIMES.json when the CLI
exits; the exit code is the CLI's.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import functools  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

TIMES: dict[str, float] = {"load": 0.0, "power": 0.0, "loops": 0.0, "validate": 0.0}
CALLS: dict[str, int] = {key: 0 for key in TIMES}
FIRST: dict[str, float] = {}
RULE_TIMES: dict[str, float] = {}


def _timed(key: str, func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        FIRST.setdefault(key, start)
        try:
            return func(*args, **kwargs)
        finally:
            TIMES[key] += time.perf_counter() - start
            CALLS[key] += 1

    return wrapper


def _timed_rule_run(run):
    @functools.wraps(run)
    def wrapper(self, design, solution):
        start = time.perf_counter()
        try:
            yield from run(self, design, solution)
        finally:
            RULE_TIMES[self.id] = RULE_TIMES.get(self.id, 0.0) + time.perf_counter() - start

    return wrapper


def main() -> None:
    """Install the timers, run the CLI, write the timings."""
    out = Path(sys.argv[1])
    import rackval.design.resolve as resolve
    import rackval.rules.base as rules_base
    import rackval.validate as validate
    from rackval import cli

    rules_base.Rule.run = _timed_rule_run(rules_base.Rule.run)

    resolve.load_design = _timed("load", resolve.load_design)
    validate.solve_power = _timed("power", validate.solve_power)
    validate.build_loop = _timed("loops", validate.build_loop)
    validate._solve_loop = _timed("loops", validate._solve_loop)
    validate.validate_design = _timed("validate", validate.validate_design)
    try:
        cli.main(sys.argv[2:])
    finally:
        total = time.perf_counter() - START
        result = dict(TIMES)
        result["rules"] = TIMES["validate"] - TIMES["power"] - TIMES["loops"]
        result["startup"] = FIRST.get("load", START + total) - START
        result["total"] = total
        result["output"] = total - result["startup"] - TIMES["load"] - TIMES["validate"]
        result["calls"] = CALLS
        result["rule_times"] = RULE_TIMES
        out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
