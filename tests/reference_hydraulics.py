"""NumPy + scipy.sparse oracle for the hydraulic kernel: tests only, never a fallback.

The same global gradient algorithm (Todini & Pilati 1988, as EPANET 2.2) written
independently of the kernel: vectorized per link kind, the network matrix as
``B_uᵀ diag(P) B_u`` from the incidence matrix, solved by ``scipy.sparse.linalg.spsolve``,
and the transitional friction factor written as the cubic Hermite interpolation it is
(value and slope of 64/Re at Re = 2000 and of Swamee–Jain at Re = 4000) rather than
EPANET's coefficient form. Also the raw nonlinear equations for ``scipy.optimize.root``.

After the oracle: the loop networks of the hydraulic tests (seeded random loops and small
hand-made ones) and :func:`solved`, which every test solve goes through and which asserts
mass balance at every free node.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from rackval.solve.hydraulics import PIPE, PUMP, RESISTANCE, HydraulicResult, Network, solve

FT = 0.3048
CFS = FT**3
G = 9.80665


def epanet_tolerances(density: float) -> tuple[float, float, float]:
    """EPANET's CBIG (1e8 ft/cfs), RQtol (1e-7 ft/cfs), Htol (0.0005 ft) in Pa units."""
    rho_g = density * G
    return 1e8 * FT / CFS * rho_g, 1e-7 * FT / CFS * rho_g, 0.0005 * FT * rho_g


def swamee_jain(re: np.ndarray, rel_rough: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Swamee & Jain (1976) friction factor and its derivative d f / d Re."""
    y = rel_rough / 3.7 + 5.74 / re**0.9
    log_y = np.log10(y)
    f = 0.25 / log_y**2
    dy = -0.9 * 5.74 / re**1.9
    df = -0.5 / log_y**3 / (y * math.log(10.0)) * dy
    return f, df


def friction(re: np.ndarray, rel_rough: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Darcy friction factor and d f / d Re for Re > 2000 (Dunlop blend below 4000)."""
    f, df = swamee_jain(np.maximum(re, 4000.0), rel_rough)
    trans = re < 4000.0
    if np.any(trans):
        # Hermite cubic on R = Re/2000 in [1, 2]: laminar 64/Re (value 0.032, slope -0.032 per
        # unit R) at R = 1 and Swamee-Jain (value f4, slope 2000 f4') at R = 2.
        f4, df4 = swamee_jain(np.full(np.count_nonzero(trans), 4000.0), rel_rough[trans])
        t = re[trans] / 2000.0 - 1.0
        y0, m0, y1, m1 = 0.032, -0.032, f4, 2000.0 * df4
        h00 = 2 * t**3 - 3 * t**2 + 1
        h10 = t**3 - 2 * t**2 + t
        h01 = -2 * t**3 + 3 * t**2
        h11 = t**3 - t**2
        f[trans] = h00 * y0 + h10 * m0 + h01 * y1 + h11 * m1
        d00 = 6 * t**2 - 6 * t
        d10 = 3 * t**2 - 4 * t + 1
        d01 = -6 * t**2 + 6 * t
        d11 = 3 * t**2 - 2 * t
        df[trans] = (d00 * y0 + d10 * m0 + d01 * y1 + d11 * m1) / 2000.0
    return f, df


def link_loss(
    net: Network,
    flow: np.ndarray,
    speed: np.ndarray,
    shut: np.ndarray,
    *,
    floor: bool = True,
    q_min: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Pressure loss h(Q) from start to end node [Pa] and dh/dQ of every link.

    ``shut`` marks links treated as closed (closed, stopped or check valve shut).
    With ``floor`` the small-flow rules apply: gradients at least RQtol, resistances and
    power-curve pumps on the chord of their law below ``q_min``; without, the raw law.
    """
    cbig, rqtol, _ = epanet_tolerances(net.density)
    h = np.zeros(net.n_links)
    g = np.zeros(net.n_links)
    q = np.abs(flow)
    rho = net.density
    nu = net.viscosity / net.density

    pipe = (net.kind == PIPE) & ~shut
    d = net.diameter[pipe]
    area = math.pi * d**2 / 4.0
    friction_r = rho * net.length[pipe] / (2.0 * d * area**2)  # dp = f * friction_r * Q^2
    minor = net.minor_loss[pipe] * rho / (2.0 * area**2)
    re = 4.0 * q[pipe] / (math.pi * d * nu)
    laminar = re <= 2000.0
    # laminar: f = 64/Re -> dp = 64 nu pi d / 4 * friction_r * Q (linear)
    lam_r = 16.0 * math.pi * nu * d * friction_r
    f, df = friction(np.where(laminar, 4000.0, re), net.roughness[pipe] / d)
    qp, fp = q[pipe], flow[pipe]
    with np.errstate(divide="ignore", invalid="ignore"):
        dre_dq = np.where(qp > 0, re / qp, 0.0)
    h_pipe = np.where(laminar, fp * (lam_r + minor * qp), (f * friction_r + minor) * qp * fp)
    g_pipe = np.where(
        laminar,
        lam_r + 2 * minor * qp,
        2 * (f * friction_r + minor) * qp + friction_r * qp**2 * df * dre_dq,
    )
    h[pipe], g[pipe] = h_pipe, g_pipe

    res = (net.kind == RESISTANCE) & ~shut
    k = net.resistance[res]
    h[res] = k * q[res] * flow[res]
    g[res] = 2 * k * q[res]
    if floor:  # chord law below q_min
        low = q[res] < q_min
        g[res] = np.where(low, np.maximum(k * q_min, rqtol), g[res])
        h[res] = np.where(low, g[res] * flow[res], h[res])

    count = np.diff(net.curve_ptr)
    for i in np.flatnonzero((net.kind == PUMP) & ~shut):
        s = speed[i]
        if count[i] == 0:
            h0, r, n = net.pump_shutoff[i], net.pump_coefficient[i], net.pump_exponent[i]
            grad = n * r * s ** (2 - n) * q[i] ** (n - 1)
            if floor and q[i] < q_min:
                g[i] = max(r * s ** (2 - n) * q_min ** (n - 1), rqtol)
                h[i] = -s * s * h0 + g[i] * flow[i]
            elif floor and grad < rqtol:
                g[i] = rqtol
                h[i] = -s * s * h0 + rqtol * flow[i]
            else:
                g[i] = grad
                h[i] = -s * s * h0 + r * s ** (2 - n) * q[i] ** (n - 1) * flow[i]
        else:
            xs = net.curve_flow[net.curve_ptr[i] : net.curve_ptr[i + 1]]
            ys = net.curve_pressure[net.curve_ptr[i] : net.curve_ptr[i + 1]]
            seg = int(np.clip(np.searchsorted(xs, q[i] / s, side="left"), 1, len(xs) - 1))
            slope = (ys[seg] - ys[seg - 1]) / (xs[seg] - xs[seg - 1])
            intercept = ys[seg - 1] - slope * xs[seg - 1]
            g[i] = -slope * s
            h[i] = -intercept * s * s - slope * s * flow[i]
    if floor:
        g = np.where(~shut & (g < rqtol), rqtol, g)
    h[shut] = cbig * flow[shut]
    g[shut] = cbig
    return h, g


def incidence(net: Network) -> sp.csr_matrix:
    """B (m × n): +1 at a link's start node, −1 at its end node; B p = p_from − p_to."""
    m = net.n_links
    rows = np.repeat(np.arange(m), 2)
    cols = np.column_stack([net.link_from, net.link_to]).ravel()
    vals = np.tile([1.0, -1.0], m)
    return sp.csr_matrix((vals, (rows, cols)), shape=(m, net.n_nodes))


def shutoff(net: Network) -> np.ndarray:
    """Shut-off pressure of each pump at speed 1 (first curve segment at Q = 0) [Pa]."""
    out = np.zeros(net.n_links)
    count = np.diff(net.curve_ptr)
    for i in np.flatnonzero(net.kind == PUMP):
        if count[i] == 0:
            out[i] = net.pump_shutoff[i]
        else:
            xs = net.curve_flow[net.curve_ptr[i] : net.curve_ptr[i + 1]]
            ys = net.curve_pressure[net.curve_ptr[i] : net.curve_ptr[i + 1]]
            out[i] = ys[0] - (ys[1] - ys[0]) / (xs[1] - xs[0]) * xs[0]
    return out


def reference_solve(
    net: Network,
    flow0: np.ndarray,
    *,
    closed: np.ndarray | None = None,
    speed: np.ndarray | None = None,
    tol: float = 1e-6,
    max_iter: int = 100,
) -> tuple[np.ndarray, np.ndarray, int, float, bool]:
    """GGA with scipy.sparse: ``(flow, pressure, iterations, residual, converged)``."""
    closed = net.closed if closed is None else np.asarray(closed, dtype=bool)
    speed = net.speed if speed is None else np.asarray(speed, dtype=float)
    _, _, htol = epanet_tolerances(net.density)
    pump = net.kind == PUMP
    stopped = closed | (pump & (speed <= 0.0))
    cv = np.zeros(net.n_links, dtype=bool)
    hmax = speed**2 * shutoff(net)

    b = incidence(net)
    unknown = np.ones(net.n_nodes, dtype=bool)
    unknown[net.fixed_nodes] = False
    b_u = b[:, unknown].tocsc()
    b_f = b[:, ~unknown].tocsc()
    p_fixed = np.zeros(net.n_nodes)
    p_fixed[net.fixed_nodes] = net.fixed_pressure
    p_f = p_fixed[~unknown]

    flow = np.array(flow0, dtype=float)
    pressure = p_fixed.copy()
    nextcheck = 2
    relerr = math.inf
    for it in range(1, max_iter + 1):
        q_min = 1e-6 * np.abs(flow).max()  # the kernel's small-flow threshold
        h, g = link_loss(net, flow, speed, stopped | cv, q_min=q_min)
        p_coef, y_coef = 1.0 / g, h / g
        a = (b_u.T @ sp.diags(p_coef) @ b_u).tocsc()
        rhs = -b_u.T @ (flow - y_coef) - net.demand[unknown] - b_u.T @ (p_coef * (b_f @ p_f))
        pressure[unknown] = spsolve(a, rhs)
        dq = y_coef - p_coef * (b @ pressure)
        flow = flow - dq
        total = np.abs(flow).sum()
        relerr = np.abs(dq).sum() / total if total > 0 else np.abs(dq).sum()

        def check() -> bool:
            # running pumps shut on reverse flow, reopen when the gain is below shut-off
            gain = -(b @ pressure)
            running = pump & ~stopped
            new = np.where(cv, gain >= hmax - htol, flow < 0.0) & running
            changed = bool(np.any(new != cv))
            cv[:] = new
            return changed

        if relerr <= tol:
            if not check():
                return flow, pressure, it, relerr, True
            nextcheck = it + 2
        elif it <= 10 and it == nextcheck:
            check()
            nextcheck += 2
    return flow, pressure, max_iter, relerr, False


def raw_residual(net: Network, x: np.ndarray, q_scale: float, p_scale: float) -> np.ndarray:
    """Nonlinear GGA equations for ``scipy.optimize.root`` (every pump running, no floors).

    ``x = [Q / q_scale, p_unknown / p_scale]``. Residuals: the head-loss law of each link,
    ``(h(Q) − (p_from − p_to)) / p_scale``, and mass balance at each unknown node,
    ``(Σ outflow + demand) / q_scale``.
    """
    m = net.n_links
    flow = x[:m] * q_scale
    unknown = np.ones(net.n_nodes, dtype=bool)
    unknown[net.fixed_nodes] = False
    pressure = np.zeros(net.n_nodes)
    pressure[net.fixed_nodes] = net.fixed_pressure
    pressure[unknown] = x[m:] * p_scale
    b = incidence(net)
    h, _ = link_loss(net, flow, net.speed, np.zeros(m, dtype=bool), floor=False)
    law = (h - b @ pressure) / p_scale
    balance = (b.T @ flow + net.demand)[unknown] / q_scale
    return np.concatenate([law, balance])


def node_imbalance(net: Network, flow: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Net outflow + demand at each free node, and the sum of |flows| through it."""
    b = incidence(net)
    unknown = np.ones(net.n_nodes, dtype=bool)
    unknown[net.fixed_nodes] = False
    imbalance = (b.T @ flow + net.demand)[unknown]
    through = (abs(b).T @ np.abs(flow) + np.abs(net.demand))[unknown]
    return imbalance, through


# --- networks and assertions for the tests ---------------------------------------------

RHO = 998.2  # water at 20 °C [kg/m³]
MU = 1.002e-3  # [Pa·s]


def assert_mass_balance(
    net: Network, flow: np.ndarray, pressure: np.ndarray, rel: float = 1e-9
) -> None:
    """Σ inflow = Σ outflow at every free node to ``rel`` of the flow through the node.

    Plus the rounding bound of the flows themselves: a link's flow is computed from
    P·(p_from − p_to) with pressures of ~1e5 Pa, so it is known to about
    ε·P·(|p_from| + |p_to|); dead ends carry zero flow up to that.
    """
    imbalance, through = node_imbalance(net, flow)
    h, g = link_loss(net, flow, net.speed, net.closed, q_min=1e-6 * np.abs(flow).max())
    ends = np.abs(pressure[net.link_from]) + np.abs(pressure[net.link_to])
    rounding = abs(incidence(net)).T @ (1024 * np.finfo(float).eps * ends / g)
    unknown = np.ones(net.n_nodes, dtype=bool)
    unknown[net.fixed_nodes] = False
    allowed = rel * through + rounding[unknown]
    excess = np.abs(imbalance) / np.maximum(allowed, 1e-300)
    worst = int(np.argmax(excess)) if imbalance.size else 0
    assert not imbalance.size or excess[worst] <= 1.0, (
        f"mass imbalance {np.abs(imbalance)[worst]:.3g} m³/s through "
        f"{through[worst]:.3g} m³/s exceeds {rel:g} relative"
    )


def solved(net: Network, **kwargs) -> HydraulicResult:
    """:func:`solve` plus the mass-balance assertion every test makes."""
    result = solve(net, **kwargs)
    assert np.all(np.isfinite(result.flow)) and np.all(np.isfinite(result.pressure))
    assert_mass_balance(net, result.flow, result.pressure)
    return result


def network(links: list[dict], n_nodes: int, **kwargs) -> Network:
    """A Network from a list of per-link dicts (``a``, ``b``, ``kind`` and parameters)."""
    m = len(links)
    columns = {
        name: np.zeros(m)
        for name in (
            "length",
            "diameter",
            "roughness",
            "minor_loss",
            "resistance",
            "pump_shutoff",
            "pump_coefficient",
        )
    }
    exponent = np.full(m, 2.0)
    speed = np.ones(m)
    closed = np.zeros(m, dtype=bool)
    curve_ptr = [0]
    curve_flow: list[float] = []
    curve_pressure: list[float] = []
    for k, link in enumerate(links):
        for name in columns:
            columns[name][k] = link.get(name, 0.0)
        exponent[k] = link.get("pump_exponent", 2.0)
        speed[k] = link.get("speed", 1.0)
        closed[k] = link.get("closed", False)
        points = link.get("curve", ())
        curve_flow += [q for q, _ in points]
        curve_pressure += [p for _, p in points]
        curve_ptr.append(len(curve_flow))
    options = {
        "fixed_nodes": [0],
        "fixed_pressure": [1.0e5],
        "density": RHO,
        "viscosity": MU,
    }
    options.update(kwargs)
    return Network(
        n_nodes=n_nodes,
        link_from=[link["a"] for link in links],
        link_to=[link["b"] for link in links],
        kind=[link["kind"] for link in links],
        pump_exponent=exponent,
        speed=speed,
        closed=closed,
        curve_ptr=curve_ptr,
        curve_flow=curve_flow,
        curve_pressure=curve_pressure,
        **columns,
        **options,
    )


def pump(a: int, b: int, h0: float, r: float, **extra) -> dict:
    return {"a": a, "b": b, "kind": PUMP, "pump_shutoff": h0, "pump_coefficient": r, **extra}


def resistance(a: int, b: int, k: float, **extra) -> dict:
    return {"a": a, "b": b, "kind": RESISTANCE, "resistance": k, **extra}


def pipe(a: int, b: int, length: float, diameter: float, **extra) -> dict:
    return {"a": a, "b": b, "kind": PIPE, "length": length, "diameter": diameter, **extra}


def union(*nets: Network) -> Network:
    """Disjoint union: the loops side by side, nodes and links numbered in order, one fluid.

    The fluid (density, viscosity) is the first network's.
    """
    node_offset = np.cumsum([0] + [net.n_nodes for net in nets])
    point_offset = np.cumsum([0] + [int(net.curve_ptr[-1]) for net in nets])
    per_link = (
        "kind length diameter roughness minor_loss resistance pump_shutoff pump_coefficient "
        "pump_exponent speed closed curve_flow curve_pressure"
    ).split()
    return Network(
        n_nodes=int(node_offset[-1]),
        link_from=np.concatenate([net.link_from + o for net, o in zip(nets, node_offset)]),
        link_to=np.concatenate([net.link_to + o for net, o in zip(nets, node_offset)]),
        fixed_nodes=np.concatenate([net.fixed_nodes + o for net, o in zip(nets, node_offset)]),
        fixed_pressure=np.concatenate([net.fixed_pressure for net in nets]),
        demand=np.concatenate([net.demand for net in nets]),
        curve_ptr=np.concatenate(
            [[0]] + [net.curve_ptr[1:] + o for net, o in zip(nets, point_offset)]
        ),
        density=nets[0].density,
        viscosity=nets[0].viscosity,
        **{name: np.concatenate([getattr(net, name) for net in nets]) for name in per_link},
    )


def random_loop(seed: int, *, max_nodes: int = 40) -> Network:
    """A seeded random CDU loop: parallel pumps, a tree of pipes and devices, extra loops.

    Node 0 is the expansion tank (fixed pressure), the pumps run from it to node 1; a
    random spanning tree of pipes and resistances over nodes 1..n-1 (random orientation),
    extra links closing loops, and one to three return pipes back to the tank. Pumps mix
    power curves (exponent 1.6–2.4) and datasheet points, speeds 0.6–1; fluids from water
    to thick glycol so that laminar, transitional and turbulent pipes all occur.
    """
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, max_nodes + 1))
    links: list[dict] = []
    for _ in range(int(rng.integers(1, 4))):
        h0 = rng.uniform(0.8e5, 3e5)
        q1 = rng.uniform(2e-4, 3e-3)
        speed = rng.uniform(0.6, 1.0)
        if rng.random() < 0.3:
            flows = np.sort(rng.uniform(0.0, 2.5 * q1, 4))
            flows[0] = 0.0 if rng.random() < 0.5 else flows[0]
            gains = h0 * (1.0 - 0.6 * (flows / flows[-1]) ** 2) - np.arange(4) * 10.0
            links.append(
                {"a": 0, "b": 1, "kind": PUMP, "curve": list(zip(flows, gains)), "speed": speed}
            )
        else:
            exponent = rng.uniform(1.6, 2.4)
            links.append(
                pump(0, 1, h0, 0.25 * h0 / q1**exponent, pump_exponent=exponent, speed=speed)
            )

    def element(a: int, b: int) -> dict:
        if rng.random() < 0.5:
            a, b = b, a
        if rng.random() < 0.35:
            dp = rng.uniform(5e3, 5e4)
            q = rng.uniform(5e-5, 1e-3)
            return resistance(a, b, dp / q**2)
        return pipe(
            a,
            b,
            rng.uniform(0.3, 10.0),
            rng.uniform(0.006, 0.05),
            roughness=rng.uniform(1.5e-6, 5e-5),
            minor_loss=rng.uniform(0.0, 10.0) if rng.random() < 0.6 else 0.0,
        )

    for i in range(2, n):
        links.append(element(int(rng.integers(1, i)), i))
    for _ in range(int(rng.integers(1, max(2, n // 2)))):
        a, b = rng.choice(np.arange(1, n), size=2, replace=False)
        links.append(element(int(a), int(b)))
    for node in rng.choice(
        np.arange(2, n), size=min(n - 2, int(rng.integers(1, 4))), replace=False
    ):
        links.append(pipe(int(node), 0, rng.uniform(1.0, 5.0), rng.uniform(0.02, 0.06)))
    viscosity = float(rng.choice([1.0e-3, 4.0e-3, 2.0e-2]))
    return network(links, n, density=float(rng.uniform(990.0, 1060.0)), viscosity=viscosity)
