"""Peak RSS of building and solving the benchmark hall, in a fresh interpreter.

Usage: ``python benchmarks/_probe_memory.py N_RACKS [--heat-n1]``; prints one JSON line::

    {"imports_kib": ..., "peak_kib": ..., "hwm_kib": ...}

``imports_kib`` is the peak resident set after importing NumPy and rackval's solvers,
``peak_kib`` after building the hall (``bench_hall_network``), ``prepare`` and ``solve``
(with ``--heat-n1`` also the steady heat step and the 150-scenario N-1 batch). Both are
``resource.getrusage(RUSAGE_SELF).ru_maxrss``, which Linux reports in KiB; ``hwm_kib`` is
``VmHWM`` of ``/proc/self/status`` as a cross-check (None where there is no /proc).

Linux carries ``ru_maxrss`` over ``fork``/``vfork`` + ``exec``: a process started by a
large parent (the benchmark runner, holding the hall, WNTR's model and EPANET) reports at
least the parent's size. So this script, started by the runner, only starts itself again
(``--child``) and relays the result: the child's parent is then this small interpreter.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _hwm_kib() -> int | None:
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def child(n_racks: int, heat_n1: bool) -> None:
    """Build and solve in this process and print the JSON line."""
    from rackval.solve import hydraulics

    if heat_n1:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import bench_hall
    imports = _peak_kib()
    if heat_n1:
        h = bench_hall.hall(n_racks)
        bench_hall.heat_step(h, h.base.flow)
        hydraulics.solve_batch(h.network, closed=h.scenarios, prepared=h.topology, base=h.base)
    else:
        net = hydraulics.bench_hall_network(n_racks)
        topology = hydraulics.prepare(net)
        hydraulics.solve(net, prepared=topology)
    print(json.dumps({"imports_kib": imports, "peak_kib": _peak_kib(), "hwm_kib": _hwm_kib()}))


def main() -> int:
    """Start the measuring child from this small interpreter, or be that child."""
    args = sys.argv[1:]
    if "--child" in args:
        child(int(args[0]), "--heat-n1" in args)
        return 0
    return subprocess.run([sys.executable, __file__, *args, "--child"], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
