"""NumPy + scipy.sparse oracle for the hydraulic kernel: tests only, never a fallback.

The same global gradient algorithm (Todini & Pilati 1988, as EPANET 2.2) written
independently of the kernel: vectorized per link kind, the network matrix as
``B_uᵀ diag(P) B_u`` from the incidence matrix, solved by ``scipy.sparse.linalg.spsolve``,
and the transitional friction factor written as the cubic Hermite interpolation it is
(value and slope of 64/Re at Re = 2000 and of Swamee–Jain at Re = 4000) rather than
EPANET's coefficient form. Also the raw nonlinear equations for ``scipy.optimize.root``.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from rackval.solve.hydraulics import PIPE, PUMP, RESISTANCE, Network

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
    net: Network, flow: np.ndarray, speed: np.ndarray, shut: np.ndarray, *, floor: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Pressure loss h(Q) from start to end node [Pa] and dh/dQ of every link.

    ``shut`` marks links treated as closed (closed, stopped or check valve shut).
    With ``floor`` the EPANET small-gradient rules apply (RQtol); without, the raw law.
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

    count = np.diff(net.curve_ptr)
    for i in np.flatnonzero((net.kind == PUMP) & ~shut):
        s = speed[i]
        if count[i] == 0:
            h0, r, n = net.pump_shutoff[i], net.pump_coefficient[i], net.pump_exponent[i]
            grad = n * r * s ** (2 - n) * q[i] ** (n - 1)
            if floor and grad < rqtol:
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
        h, g = link_loss(net, flow, speed, stopped | cv)
        p_coef, y_coef = 1.0 / g, h / g
        a = (b_u.T @ sp.diags(p_coef) @ b_u).tocsc()
        rhs = -b_u.T @ (flow - y_coef) - net.demand[unknown] - b_u.T @ (p_coef * (b_f @ p_f))
        pressure[unknown] = spsolve(a, rhs)
        dq = y_coef - p_coef * (b @ pressure)
        flow = flow - dq
        total = np.abs(flow).sum()
        relerr = np.abs(dq).sum() / total if total > 0 else np.abs(dq).sum()

        def check() -> bool:
            gain = -(b @ pressure)
            new = pump & ~stopped & (gain > hmax + htol)
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
