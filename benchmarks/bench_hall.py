"""Fixtures of the hall benchmarks: the 1,000-rack hall in the kernel, in EPANET and in scipy.

Used by ``run.py`` (the ``hall …`` rows); nothing here is timed by itself. Everything that
takes long to set up is cached per process, so rows that share a fixture build it once.

The hall is the topology of ``../shared/bench/epanet_hall.py`` (groups of 20 racks, a
fixed-head tank feeding two pumps in parallel, a CDU pipe, direct-return headers, 18
cold-plate branches per rack), built into kernel arrays by
:func:`rackval.solve.hydraulics.bench_hall_network` and into EPANET 2.2 through WNTR by the
``build`` function of the shared script itself (read from its source: the script runs its
own benchmark at import, so only its imports and ``build`` are executed).

Heat fixture (the ``+ heat`` and ride-through rows; test values, not hardware data):

- each cold-plate branch adds ``DEVICE_HEAT`` = 4 kW to the coolant (72 kW per rack);
- each group's CDU pipe is a counterflow heat exchanger with ``CDU_UA`` = 500 kW/K against
  facility water at ``FACILITY_SUPPLY`` = 32 °C flowing ``FACILITY_FLOW`` = 1,800 L/min
  (water, ρ c_p as the coolant): φ = ε·C_min/C_hot with ε from ε-NTU at the solved flow;
- case temperature of each device: coolant inlet + ``CHIP_POWER`` 1 kW × ``CHIP_RTH``
  0.02 K/W;
- coolant: water as the hall (ρ = 998.2 kg/m³), c_p = ``HEAT_CAPACITY`` 4,182 J/(kg·K).

Ride-through fixture (facility water lost: pumps run, no heat rejection): one lump per
hydraulic node with ρ c_p × half the volume of every pipe touching it (plus
``TANK_VOLUME`` = 500 L at each group's tank), one cold-plate lump per device
(``PLATE_CAPACITY`` = 1.5 kg copper × 385 J/(kg·K), ``PLATE_CONDUCTANCE`` = 200 W/K to the
coolant node downstream of its branch, 4 kW each), upwind advection along every flowing
link (ρ c_p |Q| of the steady solve), starting from the steady temperatures.
"""

from __future__ import annotations

import ast
import functools
import math
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rackval.physics.heat import effectiveness_counterflow
from rackval.solve import heat as heat_solver
from rackval.solve import hydraulics

RACKS_PER_GROUP = 20
DEVICES = 18

DEVICE_HEAT = 4.0e3  # W per cold-plate branch
HEAT_CAPACITY = 4182.0  # J/(kg·K), water at 20 °C
CDU_UA = 500.0e3  # W/K
FACILITY_SUPPLY = 305.15  # K (32 °C, ASHRAE W32 upper bound)
FACILITY_FLOW = 1800.0 / 60_000  # m³/s
CHIP_POWER = 1.0e3  # W, hottest chip per device
CHIP_RTH = 0.02  # K/W, case to coolant
TANK_VOLUME = 0.5  # m³ per group (reservoir + expansion tank)
PLATE_CAPACITY = 1.5 * 385.0  # J/K
PLATE_CONDUCTANCE = 200.0  # W/K
SUPPLY_LIMIT = 323.15  # K (50 °C) watched at each group's supply header start
CASE_LIMIT = 358.15  # K (85 °C) watched at every cold plate

GPM = 0.003785411784 / 60.0
"""One US gallon per minute in m³/s."""
EN_FLOW_UNITS = {
    0: 0.3048**3,  # CFS
    1: GPM,
    2: 1e6 * 0.003785411784 / 86400.0,  # MGD
    3: 1e6 * 0.00454609 / 86400.0,  # IMGD
    4: 1233.48183754752 / 86400.0,  # AFD
    5: 1e-3,  # LPS
    6: 1e-3 / 60.0,  # LPM
    7: 1e3 / 86400.0,  # MLD
    8: 1.0 / 3600.0,  # CMH
    9: 1.0 / 86400.0,  # CMD
}
"""EPANET flow-unit codes (``ENgetflowunits``) → m³/s."""
EN_FLOW = 8
EN_INITSTATUS = 4


class Skip(Exception):
    """A baseline that cannot run here (missing ``../shared`` or WNTR); the rows are SKIP."""


# ------------------------------------------------------------------------------ kernel


def hall_names(
    n_racks: int, devices: int = DEVICES, racks_per_group: int = RACKS_PER_GROUP
) -> tuple[list[str], list[str]]:
    """Node and link names of the hall in the order of ``bench_hall_network`` (EPANET ids)."""
    nodes: list[str] = []
    links: list[str] = []
    for g in range(n_racks // racks_per_group):
        nodes += [f"R{g}", f"g{g}s0", f"g{g}ps"]
        links += [f"g{g}p0", f"g{g}p1", f"g{g}hx"]
        for r in range(racks_per_group):
            nodes.append(f"g{g}s{r + 1}")
            links.append(f"g{g}sh{r}")
            if r == 0:
                nodes.append(f"g{g}r0")
            nodes.append(f"g{g}r{r + 1}")
            links.append(f"g{g}rh{r}")
            nodes += [f"g{g}k{r}ms0", f"g{g}k{r}mr0"]
            links += [f"g{g}k{r}in", f"g{g}k{r}out"]
            for d in range(devices):
                nodes += [f"g{g}k{r}ms{d + 1}", f"g{g}k{r}mr{d + 1}"]
                links += [f"g{g}k{r}msp{d}", f"g{g}k{r}mrp{d}", f"g{g}k{r}dev{d}"]
        links.append(f"g{g}ret")
    return nodes, links


@dataclass(frozen=True)
class Hall:
    """The hall in kernel arrays, prepared and solved once."""

    n_racks: int
    network: hydraulics.Network
    topology: object
    base: hydraulics.HydraulicResult
    node_names: list[str]
    link_names: list[str]
    pumps: np.ndarray  # link indices, 2 per group
    cdu_pipes: np.ndarray  # link index of each group's CDU pipe
    supply_nodes: np.ndarray  # node g{g}s0 of each group
    devices: np.ndarray  # link indices of every cold-plate branch
    first_device: np.ndarray  # per group: first device of the first rack
    first_device_last_rack: np.ndarray  # per group: first device of the last rack
    last_device: np.ndarray  # per group: last device of the last rack

    @property
    def scenarios(self) -> list[list[int]]:
        """N-1: every pump lost (one link closed), then every CDU lost (both its pumps)."""
        pumps = [[int(p)] for p in self.pumps]
        cdus = [[int(a), int(b)] for a, b in zip(self.pumps[0::2], self.pumps[1::2], strict=True)]
        return pumps + cdus


@functools.cache
def hall(n_racks: int = 1000) -> Hall:
    """Build, prepare and solve the hall (cached)."""
    net = hydraulics.bench_hall_network(n_racks)
    topology = hydraulics.prepare(net)
    base = hydraulics.solve(net, prepared=topology)
    nodes, links = hall_names(n_racks)
    if len(nodes) != net.n_nodes or len(links) != net.n_links:
        raise RuntimeError("hall_names disagrees with bench_hall_network")
    index = {name: k for k, name in enumerate(links)}
    node_index = {name: k for k, name in enumerate(nodes)}
    groups = range(n_racks // RACKS_PER_GROUP)
    last = RACKS_PER_GROUP - 1
    return Hall(
        n_racks=n_racks,
        network=net,
        topology=topology,
        base=base,
        node_names=nodes,
        link_names=links,
        pumps=np.flatnonzero(net.kind == hydraulics.PUMP),
        cdu_pipes=np.array([index[f"g{g}hx"] for g in groups]),
        supply_nodes=np.array([node_index[f"g{g}s0"] for g in groups]),
        devices=np.array([k for k, name in enumerate(links) if "dev" in name]),
        first_device=np.array([index[f"g{g}k0dev0"] for g in groups]),
        first_device_last_rack=np.array([index[f"g{g}k{last}dev0"] for g in groups]),
        last_device=np.array([index[f"g{g}k{last}dev{DEVICES - 1}"] for g in groups]),
    )


# ------------------------------------------------------------------------------- scipy


def scipy_solver(root: Path) -> Callable[[Hall], object]:
    """``reference_solve`` of ``tests/reference_hydraulics.py`` (the scipy.sparse oracle)."""
    tests = str(root / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    import reference_hydraulics  # noqa: PLC0415 (tests/ is not a package)

    def solve(h: Hall) -> object:
        flow0 = hydraulics.initial_flow(h.network)
        out = reference_hydraulics.reference_solve(h.network, flow0)
        if not out[4]:
            raise RuntimeError("scipy reference did not converge")
        return out

    return solve


# ------------------------------------------------------------------------------ EPANET


def epanet_builder(shared: Path) -> Callable[..., object]:
    """``build`` of ``shared/bench/epanet_hall.py`` without running the script's benchmark.

    Raises
    ------
    Skip
        The script or WNTR is missing.
    """
    script = shared / "bench" / "epanet_hall.py"
    if not script.is_file():
        raise Skip(f"{script} not found: EPANET baseline rows skipped")
    try:
        import wntr  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise Skip(f"wntr is not importable ({exc}); pip install wntr six") from exc
    tree = ast.parse(script.read_text(encoding="utf-8"), filename=str(script))
    keep = [
        node
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        or (isinstance(node, ast.FunctionDef) and node.name == "build")
    ]
    if not any(isinstance(node, ast.FunctionDef) for node in keep):
        raise Skip(f"{script} has no build() function")
    namespace: dict[str, object] = {"__name__": "epanet_hall"}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(script), "exec"), namespace)
    return namespace["build"]  # type: ignore[return-value]


@dataclass
class Epanet:
    """The hall as an EPANET 2.2 input file, solved through WNTR's toolkit wrapper."""

    inp: Path
    n_links: int
    build_seconds: float
    workdir: tempfile.TemporaryDirectory

    def _open(self):
        from wntr.epanet import toolkit

        en = toolkit.ENepanet()
        en.ENopen(str(self.inp), str(self.inp.with_suffix(".rpt")), "")
        return en

    def solve_times(self, runs: int) -> tuple[list[float], np.ndarray]:
        """``runs`` timings of ``ENsolveH``, each in a freshly opened project (as the shared
        script); and the link flows of the last run [m³/s] in EPANET link order."""
        times = []
        flows = np.zeros(0)
        for _ in range(runs):
            en = self._open()
            try:
                start = time.perf_counter()
                en.ENsolveH()
                times.append(time.perf_counter() - start)
                flows = self._flows(en)
            finally:
                en.ENclose()
        return times, flows

    def _flows(self, en) -> np.ndarray:
        scale = EN_FLOW_UNITS[en.ENgetflowunits()]
        return np.array([en.ENgetlinkvalue(k, EN_FLOW) for k in range(1, self.n_links + 1)]) * scale

    def link_index(self, names: list[str]) -> np.ndarray:
        """EPANET link index (1-based) of each kernel link name."""
        en = self._open()
        try:
            return np.array([en.ENgetlinkindex(name) for name in names])
        finally:
            en.ENclose()

    def scenario_times(
        self, closed: list[list[int]], link_index: np.ndarray, pump_index: np.ndarray
    ) -> tuple[list[float], np.ndarray]:
        """``ENsolveH`` time of each scenario (its links closed as initial status, reopened
        afterwards) in one open project, and the pump flows of each scenario [m³/s]."""
        en = self._open()
        times = []
        pump_flows = []
        scale = EN_FLOW_UNITS[en.ENgetflowunits()]
        try:
            for links in closed:
                for k in links:
                    en.ENsetlinkvalue(int(link_index[k]), EN_INITSTATUS, 0.0)
                start = time.perf_counter()
                en.ENsolveH()
                times.append(time.perf_counter() - start)
                pump_flows.append([en.ENgetlinkvalue(int(i), EN_FLOW) * scale for i in pump_index])
                for k in links:
                    en.ENsetlinkvalue(int(link_index[k]), EN_INITSTATUS, 1.0)
        finally:
            en.ENclose()
        return times, np.array(pump_flows)


@functools.cache
def epanet(shared: Path, n_racks: int = 1000) -> Epanet:
    """Build the hall with the shared script's ``build`` and write it as an .inp (cached).

    Raises
    ------
    Skip
        The script or WNTR is missing.
    """
    build = epanet_builder(shared)
    import warnings

    import wntr

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "changing the headloss formula" notice of WNTR
        wn = build(n_racks)
    workdir = tempfile.TemporaryDirectory(prefix="rackval-bench-")
    inp = Path(workdir.name) / f"hall{n_racks}.inp"
    wntr.network.write_inpfile(wn, str(inp))
    seconds = time.perf_counter() - start
    h = hall(n_racks)
    for k in (0, 2, len(h.link_names) - 1):  # same link, same ends, in both models
        link = wn.get_link(h.link_names[k])
        ends = (h.node_names[h.network.link_from[k]], h.node_names[h.network.link_to[k]])
        if (link.start_node_name, link.end_node_name) != ends:
            raise RuntimeError(f"EPANET link {h.link_names[k]} joins other nodes than the kernel")
    return Epanet(inp, wn.num_links, seconds, workdir)


def max_relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b| / |b| over the entries (b is the reference)."""
    return float(np.max(np.abs(a - b) / np.abs(b)))


# -------------------------------------------------------------------------------- heat


@dataclass(frozen=True)
class HeatInputs:
    """Per-link heat and the constants of the heat step."""

    heat: np.ndarray  # W per link
    rho_cp: float


@functools.cache
def heat_inputs(n_racks: int = 1000) -> HeatInputs:
    """Device heat on every cold-plate branch (cached)."""
    h = hall(n_racks)
    heat = np.zeros(h.network.n_links)
    heat[h.devices] = DEVICE_HEAT
    return HeatInputs(heat, h.network.density * HEAT_CAPACITY)


def heat_step(h: Hall, flow: np.ndarray) -> tuple[heat_solver.SteadyTemperatures, np.ndarray]:
    """What the ``+ heat`` row times: CDU effectiveness at the solved flows, steady advection,
    device case temperatures. Returns the temperatures and the case temperature per device."""
    inputs = heat_inputs(h.n_racks)
    net = h.network
    rejection = np.zeros(net.n_links)
    sink = np.zeros(net.n_links)
    c_facility = FACILITY_FLOW * inputs.rho_cp
    for k in h.cdu_pipes:
        c_hot = abs(flow[k]) * inputs.rho_cp
        if c_hot <= 0.0:
            continue
        c_min, c_max = min(c_hot, c_facility), max(c_hot, c_facility)
        eps = effectiveness_counterflow(CDU_UA / c_min, c_min / c_max)
        rejection[k] = eps * c_min / c_hot
        sink[k] = FACILITY_SUPPLY
    steady = heat_solver.steady_temperatures(
        net.n_nodes,
        net.link_from,
        net.link_to,
        flow,
        net.density,
        HEAT_CAPACITY,
        heat=inputs.heat,
        rejection=rejection,
        sink_temperature=sink,
        name="hall",
    )
    case = steady.link_inlet_temperature[h.devices] + CHIP_POWER * CHIP_RTH
    return steady, case


@dataclass(frozen=True)
class RideThroughInputs:
    """Arguments of :func:`rackval.solve.heat.ride_through` for the hall."""

    capacity: np.ndarray
    power: np.ndarray
    initial: np.ndarray
    conduction: tuple[np.ndarray, np.ndarray, np.ndarray]
    advection: tuple[np.ndarray, np.ndarray, np.ndarray]
    watch: np.ndarray
    limit: np.ndarray


@functools.cache
def ride_through_inputs(n_racks: int = 1000) -> RideThroughInputs:
    """The hall as lumps: coolant nodes, then one cold plate per device (cached)."""
    h = hall(n_racks)
    net = h.network
    rho_cp = net.density * HEAT_CAPACITY
    flow = h.base.flow
    steady, _ = heat_step(h, flow)
    n = net.n_nodes
    d = len(h.devices)
    pipe = net.kind == hydraulics.PIPE
    volume = np.where(pipe, math.pi * net.diameter**2 / 4.0 * net.length, 0.0)
    node_volume = 0.5 * (
        np.bincount(net.link_from, volume, minlength=n)
        + np.bincount(net.link_to, volume, minlength=n)
    )
    node_volume[net.fixed_nodes] += TANK_VOLUME
    capacity = np.concatenate([rho_cp * node_volume, np.full(d, PLATE_CAPACITY)])
    power = np.concatenate([np.zeros(n), np.full(d, DEVICE_HEAT)])
    downstream = np.where(flow[h.devices] >= 0.0, net.link_to[h.devices], net.link_from[h.devices])
    plates = n + np.arange(d)
    initial = np.concatenate(
        [
            steady.node_temperature,
            steady.node_temperature[downstream] + DEVICE_HEAT / PLATE_CONDUCTANCE,
        ]
    )
    flowing = np.abs(flow) > 1e-9 * np.max(np.abs(flow))
    upstream = np.where(flow >= 0.0, net.link_from, net.link_to)[flowing]
    down = np.where(flow >= 0.0, net.link_to, net.link_from)[flowing]
    watch = np.concatenate([h.supply_nodes, plates])
    limit = np.concatenate([np.full(len(h.supply_nodes), SUPPLY_LIMIT), np.full(d, CASE_LIMIT)])
    return RideThroughInputs(
        capacity=capacity,
        power=power,
        initial=initial,
        conduction=(plates, downstream, np.full(d, PLATE_CONDUCTANCE)),
        advection=(upstream, down, rho_cp * np.abs(flow[flowing])),
        watch=watch,
        limit=limit,
    )


def ride_through(n_racks: int = 1000) -> heat_solver.RideThrough:
    """What the ride-through row times: 10 minutes at 0.5 s, every step taken."""
    inputs = ride_through_inputs(n_racks)
    return heat_solver.ride_through(
        inputs.capacity,
        inputs.power,
        inputs.initial,
        dt=0.5,
        t_end=600.0,
        conduction=inputs.conduction,
        advection=inputs.advection,
        watch=inputs.watch,
        limit=inputs.limit,
        stop_at_first=False,
        history_every=10.0,
        name="hall",
    )
