"""NumPy/SciPy oracle for the heat kernel — tests only, never a fallback.

Written independently of ``rackval/_heat.pxi``:

- steady advection: a dense system in *both* node temperatures and link outlet
  temperatures (no elimination, no ordering), ``numpy.linalg.solve``;
- transient: the dense matrix ``C/dt + G`` built with ``numpy.add.at`` and one
  ``numpy.linalg.solve`` per step; the same network as an ODE right-hand side for
  ``scipy.integrate.solve_ivp``;
- random loop networks whose flows are sums of random directed cycles, so mass
  balance holds at every node by construction.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

# --- steady advection ----------------------------------------------------------------


def advection_reference(n, link_from, link_to, flow, heat, rejection, sink, rho_cp, zero_flow=0.0):
    """Return ``(node_temperature[n], link_outlet[m])``; NaN where nothing flows.

    Unknowns: ``T_v`` for each node with inflow and ``y_k`` for each flowing link.
    Equations: ``y_k - (1 - φ_k) T_up(k) = φ_k T_sink,k + P_k / (ρ c_p |Q_k|)`` and
    ``(Σ_in |Q|) T_v - Σ_in |Q_k| y_k = 0`` (perfect mixing).
    """
    link_from = np.asarray(link_from)
    link_to = np.asarray(link_to)
    flow = np.asarray(flow, dtype=float)
    flowing = np.flatnonzero(np.abs(flow) > zero_flow)
    up = np.where(flow >= 0, link_from, link_to)
    down = np.where(flow >= 0, link_to, link_from)
    inflow = np.zeros(n)
    np.add.at(inflow, down[flowing], np.abs(flow[flowing]))
    nodes = np.flatnonzero(inflow > 0)
    node_row = -np.ones(n, dtype=int)
    node_row[nodes] = np.arange(nodes.size)
    size = nodes.size + flowing.size
    a = np.zeros((size, size))
    b = np.zeros(size)
    for r, k in enumerate(flowing, start=nodes.size):
        q = abs(flow[k])
        a[r, r] = 1.0
        a[r, node_row[up[k]]] -= 1.0 - rejection[k]
        b[r] = rejection[k] * sink[k] + heat[k] / (rho_cp * q)
        v = node_row[down[k]]
        a[v, v] += q
        a[v, r] -= q
    x = np.linalg.solve(a, b)
    node_t = np.full(n, np.nan)
    node_t[nodes] = x[: nodes.size]
    outlet = np.full(flow.shape[0], np.nan)
    outlet[flowing] = x[nodes.size :]
    return node_t, outlet


def random_loop_network(rng, n_nodes, n_cycles, *, max_cycle=8, hx_fraction=0.3):
    """A random loop network with mass-conserving flows.

    Flows are the superposition of ``n_cycles`` random directed cycles with random
    circulations, so every node conserves mass exactly. Each cycle gets one link
    flagged as a heat exchanger (so every closed loop rejects heat); further links
    become exchangers with probability ``hx_fraction`` and heat sources otherwise.
    Links are stored with a random orientation (the flow sign carries direction).

    Returns a dict with ``n, link_from, link_to, flow, heat, rejection, sink``.
    """
    edges: dict[tuple[int, int], float] = {}
    hx_edges = set()
    for _ in range(n_cycles):
        length = int(rng.integers(2, max_cycle + 1))
        cycle = rng.choice(n_nodes, size=min(length, n_nodes), replace=False)
        q = float(rng.uniform(1e-4, 5e-3))
        pairs = [(int(cycle[i]), int(cycle[(i + 1) % cycle.size])) for i in range(cycle.size)]
        for u, v in pairs:
            if (v, u) in edges:
                edges[(v, u)] -= q
            else:
                edges[(u, v)] = edges.get((u, v), 0.0) + q
        hx_edges.add(pairs[int(rng.integers(len(pairs)))])
    link_from, link_to, flow, heat, rejection, sink = [], [], [], [], [], []
    for (u, v), q in edges.items():
        if abs(q) < 1e-9:  # opposite cycles cancelled on this pair
            continue
        if rng.random() < 0.5:
            u, v, q = v, u, -q
        link_from.append(u)
        link_to.append(v)
        flow.append(q)
        is_hx = (u, v) in hx_edges or (v, u) in hx_edges or rng.random() < hx_fraction
        if is_hx:
            rejection.append(float(rng.uniform(0.05, 1.0)))
            sink.append(float(rng.uniform(290.0, 310.0)))
            heat.append(0.0)
        else:
            rejection.append(0.0)
            sink.append(0.0)
            heat.append(float(rng.uniform(0.0, 20e3)) if rng.random() < 0.7 else 0.0)
    link_from, link_to = (np.array(x, dtype=np.intp) for x in (link_from, link_to))
    flow = np.array(flow, dtype=float)
    rejection, sink, heat = (np.array(x, dtype=float) for x in (rejection, sink, heat))
    # A strongly connected part whose links (after superposition) include no
    # exchanger would have no steady state: make one of its links an exchanger.
    up = np.where(flow >= 0, link_from, link_to)
    down = np.where(flow >= 0, link_to, link_from)
    graph = coo_matrix((np.ones(up.size), (up, down)), shape=(n_nodes, n_nodes))
    _, label = connected_components(graph, directed=True, connection="strong")
    inside = label[up] == label[down]
    for part in np.unique(label[up[inside]]):
        links = np.flatnonzero(inside & (label[up] == part))
        if not np.any(rejection[links] > 0):
            k = links[0]
            rejection[k], sink[k], heat[k] = 0.5, 300.0, 0.0
    return {
        "n": n_nodes,
        "link_from": np.array(link_from, dtype=np.intp),
        "link_to": np.array(link_to, dtype=np.intp),
        "flow": flow,
        "heat": heat,
        "rejection": rejection,
        "sink": sink,
    }


# --- transient -----------------------------------------------------------------------


def transient_matrix(n, conduction=None, advection=None, boundary=None):
    """Dense ``G`` [W/K] and boundary source ``s`` [W] with ``C dT/dt = P + s - G T``."""
    g = np.zeros((n, n))
    s = np.zeros(n)
    if conduction is not None:
        a, b = (np.asarray(x, dtype=np.intp) for x in conduction[:2])
        c = np.asarray(conduction[2], dtype=float)
        np.add.at(g, (a, a), c)
        np.add.at(g, (b, b), c)
        np.add.at(g, (a, b), -c)
        np.add.at(g, (b, a), -c)
    if advection is not None:
        u, d = (np.asarray(x, dtype=np.intp) for x in advection[:2])
        c = np.asarray(advection[2], dtype=float)
        np.add.at(g, (d, d), c)
        np.add.at(g, (d, u), -c)
    if boundary is not None:
        i = np.asarray(boundary[0], dtype=np.intp)
        c, t = (np.asarray(x, dtype=float) for x in boundary[1:])
        np.add.at(g, (i, i), c)
        np.add.at(s, i, c * t)
    return g, s


def implicit_euler_reference(
    capacity, power, initial, dt, n_steps, conduction=None, advection=None, boundary=None
):
    """Temperatures after each implicit-Euler step: array ``(n_steps + 1, n)``."""
    capacity = np.asarray(capacity, dtype=float)
    n = capacity.size
    g, s = transient_matrix(n, conduction, advection, boundary)
    a = np.diag(capacity / dt) + g
    t = np.asarray(initial, dtype=float).copy()
    out = [t.copy()]
    for _ in range(n_steps):
        t = np.linalg.solve(a, capacity / dt * t + power + s)
        out.append(t.copy())
    return np.array(out)


def ode_right_hand_side(capacity, power, conduction=None, advection=None, boundary=None):
    """``(f, jacobian)`` of ``dT/dt = C⁻¹ (P + s − G T)`` for ``solve_ivp``."""
    capacity = np.asarray(capacity, dtype=float)
    g, s = transient_matrix(capacity.size, conduction, advection, boundary)
    jac = -g / capacity[:, None]
    src = (np.asarray(power, dtype=float) + s) / capacity

    def f(_t, t):
        return src + jac @ t

    return f, jac


def first_crossing_reference(times, temperatures, watch, limit):
    """First upward crossing by linear interpolation between samples: ``(t, entry)``."""
    best = (np.nan, -1)
    for w, (lump, lim) in enumerate(zip(watch, limit)):
        series = temperatures[:, lump]
        if series[0] >= lim:
            t = times[0]
        else:
            above = np.flatnonzero(series >= lim)
            if above.size == 0:
                continue
            j = above[0]
            t0, t1, y0, y1 = times[j - 1], times[j], series[j - 1], series[j]
            t = t0 + (t1 - t0) * (lim - y0) / (y1 - y0)
        if best[1] < 0 or t < best[0]:
            best = (t, w)
    return best


def cdu_loop(n_racks, devices, *, device_flow=1.3e-4, device_heat=2e3, reverse_pump=False):
    """One CDU loop shaped like ``../shared/bench/epanet_hall.py`` (direct return).

    Tank ``0`` → two parallel pumps → pump header ``1`` → heat exchanger → supply
    header → per rack a supply manifold chain, one device branch per segment, a return
    manifold chain → return header → tank. Device flows fall by 20 % along each
    manifold; headers carry the running sums, so mass balance holds exactly.
    With ``reverse_pump`` the second pump runs backwards (a failed pump without a
    check valve): a cycle tank → pump 1 → header → pump 2 → tank that bypasses the
    heat exchanger.

    Returns a dict with ``n, link_from, link_to, flow, heat, rejection, sink, kind``
    (kind: 0 pipe, 1 pump, 2 heat exchanger, 3 device).
    """
    links = []

    def link(a, b, q, p=0.0, kind=0):
        links.append((a, b, q, p, kind))

    tank, pump_head = 0, 1
    supply = [2 + i for i in range(n_racks + 1)]
    ret = [3 + n_racks + i for i in range(n_racks + 1)]
    nxt = 4 + 2 * n_racks
    rack_flows = []
    rack_nodes = []
    for _ in range(n_racks):
        q = device_flow * (1.0 - 0.2 * np.arange(devices) / max(devices, 1))
        ms = list(range(nxt, nxt + devices + 1))
        mr = list(range(nxt + devices + 1, nxt + 2 * devices + 2))
        nxt += 2 * devices + 2
        rack_flows.append(q)
        rack_nodes.append((ms, mr))
    total = float(sum(q.sum() for q in rack_flows))
    if reverse_pump:
        link(tank, pump_head, 1.5 * total, kind=1)
        link(tank, pump_head, -0.5 * total, kind=1)
    else:
        link(tank, pump_head, 0.5 * total, kind=1)
        link(tank, pump_head, 0.5 * total, kind=1)
    link(pump_head, supply[0], total, kind=2)
    link(ret[0], tank, total)
    for k in range(n_racks):
        down = float(sum(q.sum() for q in rack_flows[k:]))
        link(supply[k], supply[k + 1], down)
        link(ret[k + 1], ret[k], down)
        ms, mr = rack_nodes[k]
        q = rack_flows[k]
        link(supply[k + 1], ms[0], float(q.sum()))
        link(mr[0], ret[k + 1], float(q.sum()))
        for d in range(devices):
            rest = float(q[d:].sum())
            link(ms[d], ms[d + 1], rest)
            link(mr[d + 1], mr[d], rest)
            link(ms[d + 1], mr[d + 1], float(q[d]), device_heat, 3)
    a, b, q, p, kind = (np.array(x) for x in zip(*links))
    return {
        "n": nxt,
        "link_from": a.astype(np.intp),
        "link_to": b.astype(np.intp),
        "flow": q.astype(float),
        "heat": p.astype(float),
        "rejection": np.where(kind == 2, 0.6, 0.0),
        "sink": np.where(kind == 2, 305.15, 0.0),
        "kind": kind,
    }
