# Hydraulics section of rackval._thermal (included by _thermal.pyx).
#
# Steady coolant-loop hydraulics by the global gradient algorithm (GGA) of
# Todini & Pilati (1988), as EPANET 2.2 implements it (src/hydsolver.c,
# src/hydcoeffs.c), in SI units: pressure [Pa], flow [m^3/s].
#
#   prepare_hydraulic      topology -> HydraulicTopology: connectivity checks,
#                          minimum-degree ordering, elimination tree, pattern
#                          of the Cholesky factor L (the symbolic factorization),
#                          link -> matrix-entry maps.  Once per topology.
#   solve_hydraulic        one steady solve on a prepared topology.
#   solve_hydraulic_batch  many scenarios (links closed, pump speeds changed)
#                          on one topology, each warm-started from a base flow.
#
# Conventions as the rest of the kernel: contiguous typed memoryviews, nogil
# inner loops, a status code and a bad index instead of exceptions for bad
# numbers.  Status codes 10-29 belong to this section.

from libc.math cimport exp, fabs, log, pow, M_PI
from libc.stdlib cimport malloc, free, realloc
from libc.string cimport memcpy


# --- status codes ---------------------------------------------------------------
cdef enum:
    _HYD_BAD_SHAPE = 10
    _HYD_BAD_NODE_INDEX = 11
    _HYD_SELF_LOOP = 12
    _HYD_BAD_FIXED_NODE = 13
    _HYD_ISOLATED_NODE = 14
    _HYD_NO_REFERENCE = 15
    _HYD_BAD_ORDER = 16
    _HYD_BAD_KIND = 17
    _HYD_BAD_LINK_VALUE = 18
    _HYD_BAD_CURVE = 19
    _HYD_BAD_NODE_VALUE = 20
    _HYD_BAD_OPTION = 21
    _HYD_ALL_PUMPS_CLOSED = 22
    _HYD_NOT_POSITIVE_DEFINITE = 23
    _HYD_NOT_FINITE = 24
    _HYD_NOT_CONVERGED = 25

# (bad_index meaning in brackets)
STATUS_HYD_BAD_SHAPE = _HYD_BAD_SHAPE              # array lengths disagree [-1]
STATUS_HYD_BAD_NODE_INDEX = _HYD_BAD_NODE_INDEX    # link end or edit out of range [link]
STATUS_HYD_SELF_LOOP = _HYD_SELF_LOOP              # link from a node to itself [link]
STATUS_HYD_BAD_FIXED_NODE = _HYD_BAD_FIXED_NODE    # fixed node out of range/twice [position]
STATUS_HYD_ISOLATED_NODE = _HYD_ISOLATED_NODE      # node without links [node]
STATUS_HYD_NO_REFERENCE = _HYD_NO_REFERENCE        # component w/o fixed node [lowest node]
STATUS_HYD_BAD_ORDER = _HYD_BAD_ORDER              # order is not a permutation [position]
STATUS_HYD_BAD_KIND = _HYD_BAD_KIND                # unknown link kind [link]
STATUS_HYD_BAD_LINK_VALUE = _HYD_BAD_LINK_VALUE    # link parameter or speed invalid [link]
STATUS_HYD_BAD_CURVE = _HYD_BAD_CURVE              # pump curve points invalid [link]
STATUS_HYD_BAD_NODE_VALUE = _HYD_BAD_NODE_VALUE    # demand/fixed pressure not finite [node]
STATUS_HYD_BAD_OPTION = _HYD_BAD_OPTION            # density, viscosity, tol, max_iter [-1]
STATUS_HYD_ALL_PUMPS_CLOSED = _HYD_ALL_PUMPS_CLOSED  # pumps present, none running [-1]
STATUS_HYD_NOT_POSITIVE_DEFINITE = _HYD_NOT_POSITIVE_DEFINITE  # pivot <= 0 [node]
STATUS_HYD_NOT_FINITE = _HYD_NOT_FINITE            # a flow became inf/NaN [link]
STATUS_HYD_NOT_CONVERGED = _HYD_NOT_CONVERGED      # max_iter reached [link, largest dQ]

# --- link kinds -------------------------------------------------------------------
cdef enum:
    _PIPE = 0
    _RESISTANCE = 1
    _PUMP = 2

LINK_PIPE = _PIPE                # Darcy-Weisbach pipe with a minor-loss coefficient
LINK_RESISTANCE = _RESISTANCE    # quadratic device resistance dp = k Q|Q|
LINK_PUMP = _PUMP                # pump with a check valve (power curve or datasheet points)

# --- EPANET 2.2 constants -------------------------------------------------------------
# hydcoeffs.c: friction factor constants (w = Re * pi / 4).
cdef double _A1 = 1000.0 * M_PI                   # Re = 4000
cdef double _A2 = 500.0 * M_PI                    # Re = 2000
cdef double _A3 = 16.0 * M_PI                     # laminar: f = 16 pi (nu d) / |Q|
cdef double _A8 = 5.74 * pow(M_PI / 4.0, 0.9)     # Swamee-Jain in terms of w
cdef double _A9 = -2.0 / log(10.0)
cdef double _AA = -2.0 * 0.9 * 2.0 / log(10.0)
cdef double _AB = 5.74 / pow(4000.0, 0.9)
cdef double _AC = _AA * _AB
# types.h / hydcoeffs.c tolerances, in feet and ft/cfs; converted to Pa with rho*g.
cdef double _FT = 0.3048                         # [m]
cdef double _CFS = 0.3048 * 0.3048 * 0.3048      # [m^3/s]
cdef double _GRAVITY = 9.80665                   # [m/s^2]
cdef double _EPANET_CBIG = 1.0e8                 # head-loss gradient of a closed link [ft/cfs]
cdef double _EPANET_RQTOL = 1.0e-7               # smallest head-loss gradient [ft/cfs]
cdef double _EPANET_HTOL = 0.0005                # head tolerance of status checks [ft]
# Below q_min = _QMIN_REL * (largest link flow of the previous iterate), resistances and
# power-curve pumps follow the chord of their law, h = k q_min Q (EPANET's "linear head
# loss function for small gradient", hydcoeffs.c, with the threshold scaled to the
# network's flow).  EPANET's fixed RQtol lets a dead-end link take P up to 1e7 cfs/ft,
# and one ulp of pressure then moves ~1e-9 m^3/s: a noise floor above the 1e-6 relative
# flow change asked here.  Only flows below 1e-6 of the largest one are affected.
cdef double _QMIN_REL = 1.0e-6
cdef Py_ssize_t _CHECK_FREQ = 2                  # status checks every 2 trials ...
cdef Py_ssize_t _MAX_CHECK = 10                  # ... up to trial 10, and at convergence


# =====================================================================================
# Symbolic analysis
# =====================================================================================

cdef class HydraulicTopology:
    """Symbolic factorization of one loop topology, reusable across solves.

    Created by :func:`prepare_hydraulic`; opaque to callers except for the
    read-only counts and the copies of its arrays exposed as properties.

    Unknown-pressure nodes are numbered by the fill-reducing elimination order
    (their *rows*); fixed-pressure nodes have no row.  The matrix ``A`` of the
    linearized node equations is kept as its lower triangle by rows (diagonal
    last in each row), ``L`` (``A = L D L^T``, unit lower triangular) by columns
    (diagonal first, holding ``D``), and for every row ``k`` of ``L`` the columns
    of its off-diagonal entries in topological order of the elimination tree, with
    their positions in ``L``.

    The connected components of the link graph (loops that share no node) are
    numbered by their lowest node.  ``A`` is block diagonal over them whatever
    the elimination order, so ``L`` is too and every elimination tree lies inside
    one component: a component's rows, factored and solved in ascending order,
    never touch another's.  The links and the rows of each component are kept
    as ascending lists, for solves that iterate some components only.
    """

    cdef readonly Py_ssize_t n_nodes
    cdef readonly Py_ssize_t n_links
    cdef readonly Py_ssize_t n_unknown
    cdef readonly Py_ssize_t nnz_a
    cdef readonly Py_ssize_t nnz_l
    cdef readonly Py_ssize_t n_components
    cdef bint _ready
    cdef Py_ssize_t[::1] _link_from
    cdef Py_ssize_t[::1] _link_to
    cdef Py_ssize_t[::1] _fixed_nodes
    cdef Py_ssize_t[::1] _row_of_node     # row of a node, -1 for fixed nodes
    cdef Py_ssize_t[::1] _node_of_row
    cdef Py_ssize_t[::1] _row_from        # row of each link's start node or -1
    cdef Py_ssize_t[::1] _row_to
    cdef Py_ssize_t[::1] _slot            # off-diagonal entry of each link in A or -1
    cdef Py_ssize_t[::1] _a_ptr
    cdef Py_ssize_t[::1] _a_col
    cdef Py_ssize_t[::1] _parent          # elimination tree, -1 at roots
    cdef Py_ssize_t[::1] _l_ptr
    cdef Py_ssize_t[::1] _l_row
    cdef Py_ssize_t[::1] _r_ptr           # row patterns of L
    cdef Py_ssize_t[::1] _r_col
    cdef Py_ssize_t[::1] _r_pos
    cdef Py_ssize_t[::1] _comp_of_node  # connected component of each node
    cdef Py_ssize_t[::1] _comp_of_link
    cdef Py_ssize_t[::1] _comp_link_ptr  # links of component c: _comp_link[ptr[c]:ptr[c+1]]
    cdef Py_ssize_t[::1] _comp_link
    cdef Py_ssize_t[::1] _comp_row_ptr   # rows of component c, ascending
    cdef Py_ssize_t[::1] _comp_row

    @property
    def link_from(self):
        """Start node of each link, int[m] (copy)."""
        return np.array(self._link_from)

    @property
    def link_to(self):
        """End node of each link, int[m] (copy)."""
        return np.array(self._link_to)

    @property
    def fixed_nodes(self):
        """Fixed-pressure nodes in the order their pressures are given, int[f] (copy)."""
        return np.array(self._fixed_nodes)

    @property
    def permutation(self):
        """Node eliminated at each step (the fill-reducing order), int[n_unknown]."""
        return np.array(self._node_of_row)

    @property
    def elimination_tree(self):
        """Parent of each row in the elimination tree (-1 for roots), int[n_unknown]."""
        return np.array(self._parent)

    @property
    def l_indptr(self):
        """Column pointers of L (CSC, diagonal first), int[n_unknown + 1]."""
        return np.array(self._l_ptr)

    @property
    def l_indices(self):
        """Row indices of L (CSC, sorted within each column), int[nnz_l]."""
        return np.array(self._l_row)

    @property
    def component_of_node(self):
        """Connected component of each node, numbered by lowest node, int[n_nodes]."""
        return np.array(self._comp_of_node)

    @property
    def component_of_link(self):
        """Connected component of each link, int[n_links]."""
        return np.array(self._comp_of_link)

    @property
    def component_rows(self):
        """Rows of each component, ascending: ``(indptr[n_components + 1], rows)``."""
        return np.array(self._comp_row_ptr), np.array(self._comp_row)


cdef int _minimum_degree(Py_ssize_t n, Py_ssize_t[::1] adj_ptr, Py_ssize_t[::1] adj_idx,
                         Py_ssize_t[::1] order) noexcept nogil:
    """Minimum-degree elimination order on the explicit elimination graph.

    Tinney-Walker scheme 2 (George & Liu 1989): repeatedly eliminate a node of
    least current degree and join its neighbours into a clique; degrees are kept
    in bucket lists.  Work is about the flop count of the factorization.
    ``adj_ptr``/``adj_idx`` is a symmetric adjacency without self loops or
    duplicates.  Returns 0, or -1 if memory ran out.
    """
    cdef Py_ssize_t **adj = <Py_ssize_t **> malloc((n + 1) * sizeof(Py_ssize_t *))
    cdef Py_ssize_t *deg = <Py_ssize_t *> malloc((n + 1) * sizeof(Py_ssize_t))
    cdef Py_ssize_t *cap = <Py_ssize_t *> malloc((n + 1) * sizeof(Py_ssize_t))
    cdef Py_ssize_t *head = <Py_ssize_t *> malloc((n + 1) * sizeof(Py_ssize_t))
    cdef Py_ssize_t *nxt = <Py_ssize_t *> malloc((n + 1) * sizeof(Py_ssize_t))
    cdef Py_ssize_t *prv = <Py_ssize_t *> malloc((n + 1) * sizeof(Py_ssize_t))
    cdef Py_ssize_t *mark = <Py_ssize_t *> malloc((n + 1) * sizeof(Py_ssize_t))
    cdef Py_ssize_t v, u, w, d, t, k, p, length, old, mindeg, stamp, dv
    cdef Py_ssize_t *nv
    cdef Py_ssize_t *grown
    cdef int failed = 0
    if (adj == NULL or deg == NULL or cap == NULL or head == NULL or nxt == NULL
            or prv == NULL or mark == NULL):
        failed = 1
    else:
        for v in range(n):
            adj[v] = NULL
        for v in range(n):
            d = adj_ptr[v + 1] - adj_ptr[v]
            deg[v] = d
            cap[v] = d if d > 4 else 4
            adj[v] = <Py_ssize_t *> malloc(cap[v] * sizeof(Py_ssize_t))
            if adj[v] == NULL:
                failed = 1
                break
            for p in range(d):
                adj[v][p] = adj_idx[adj_ptr[v] + p]
    if not failed:
        for d in range(n + 1):
            head[d] = -1
        for v in range(n):
            mark[v] = 0
            d = deg[v]
            nxt[v] = head[d]
            prv[v] = -1
            if head[d] >= 0:
                prv[head[d]] = v
            head[d] = v
        mindeg = 0
        stamp = 0
        for k in range(n):
            while head[mindeg] < 0:
                mindeg += 1
            v = head[mindeg]
            head[mindeg] = nxt[v]
            if nxt[v] >= 0:
                prv[nxt[v]] = -1
            order[k] = v
            nv = adj[v]
            dv = deg[v]
            for t in range(dv):
                u = nv[t]
                stamp += 1
                mark[u] = stamp
                # drop v from adj(u), mark what stays
                length = 0
                for p in range(deg[u]):
                    w = adj[u][p]
                    if w != v:
                        adj[u][length] = w
                        length += 1
                        mark[w] = stamp
                if length + dv > cap[u]:
                    grown = <Py_ssize_t *> realloc(adj[u],
                                                   2 * (length + dv) * sizeof(Py_ssize_t))
                    if grown == NULL:
                        failed = 1
                        break
                    adj[u] = grown
                    cap[u] = 2 * (length + dv)
                # join the clique N(v) \ {u}
                for p in range(dv):
                    w = nv[p]
                    if mark[w] != stamp:
                        mark[w] = stamp
                        adj[u][length] = w
                        length += 1
                old = deg[u]
                deg[u] = length
                if length != old:
                    # move u from bucket old to bucket length
                    if prv[u] >= 0:
                        nxt[prv[u]] = nxt[u]
                    else:
                        head[old] = nxt[u]
                    if nxt[u] >= 0:
                        prv[nxt[u]] = prv[u]
                    nxt[u] = head[length]
                    prv[u] = -1
                    if head[length] >= 0:
                        prv[head[length]] = u
                    head[length] = u
                    if length < mindeg:
                        mindeg = length
            if failed:
                break
            free(adj[v])
            adj[v] = NULL
            deg[v] = 0
    if adj != NULL:
        for v in range(n):
            if adj[v] != NULL:
                free(adj[v])
    free(adj)
    free(deg)
    free(cap)
    free(head)
    free(nxt)
    free(prv)
    free(mark)
    return -1 if failed else 0


cdef Py_ssize_t _find_root(Py_ssize_t *uf, Py_ssize_t i) noexcept nogil:
    """Union-find root of ``i`` with path halving."""
    while uf[i] != i:
        uf[i] = uf[uf[i]]
        i = uf[i]
    return i


def prepare_hydraulic(Py_ssize_t n_nodes, const Py_ssize_t[::1] link_from,
                      const Py_ssize_t[::1] link_to, const Py_ssize_t[::1] fixed_nodes,
                      const Py_ssize_t[::1] order=None):
    """Symbolic analysis of a loop topology for :func:`solve_hydraulic`.

    Parameters
    ----------
    n_nodes : int
        Number of nodes ``n``.
    link_from, link_to : intp[m]
        Start and end node of each link; positive flow runs from start to end.
    fixed_nodes : intp[f]
        Fixed-pressure nodes (expansion tanks), at least one per connected
        component.  Their pressures are given to the solvers in this order.
    order : intp[n - f], optional
        Elimination order of the unknown-pressure nodes, as positions in the
        ascending list of unknown nodes (for measurements and tests).  Default:
        minimum degree.

    Returns
    -------
    topology : HydraulicTopology or None
        None on a nonzero status.
    status : int
        ``STATUS_OK`` or ``STATUS_HYD_BAD_SHAPE``, ``_BAD_NODE_INDEX``,
        ``_SELF_LOOP``, ``_BAD_FIXED_NODE``, ``_ISOLATED_NODE``,
        ``_NO_REFERENCE``, ``_BAD_ORDER``.
    bad_index : int
        The offending link, node or position (see the status list), or -1.

    Notes
    -----
    Checks: link ends in range and distinct, fixed nodes in range and not
    repeated, every node on a link, a fixed node in every connected component
    (union-find).  Then the minimum-degree order of the graph of unknown nodes,
    the lower triangle of ``A`` in that order, its elimination tree (Liu's
    algorithm with path compression), the row patterns of ``L`` (row subtrees
    of the elimination tree, in topological order) and the column pattern of
    ``L``.  Finally the connected components (from the union-find), each with
    its links and rows.  O(nnz(L)) after ordering.

    References
    ----------
    .. [1] T. A. Davis, "Direct Methods for Sparse Linear Systems", SIAM, 2006,
       ch. 4 (elimination tree, row subtrees, up-looking Cholesky), ch. 7.
    .. [2] A. George and J. W. H. Liu, "The evolution of the minimum degree
       ordering algorithm", SIAM Review 31(1), 1989.
    """
    cdef Py_ssize_t m = link_from.shape[0]
    cdef Py_ssize_t n = n_nodes
    cdef Py_ssize_t nf = fixed_nodes.shape[0]
    cdef Py_ssize_t k, i, j, a, b, p, q, t, r, nu, top, length, cnt, nnz_a, nnz_off
    cdef int status = _OK
    cdef Py_ssize_t bad = -1
    if link_to.shape[0] != m or n < 0:
        return None, _HYD_BAD_SHAPE, -1

    is_fixed_arr = np.zeros(n, dtype=np.intp)
    degree_arr = np.zeros(n, dtype=np.intp)
    uf_arr = np.arange(n, dtype=np.intp)
    has_fixed_arr = np.zeros(n, dtype=np.intp)
    cdef Py_ssize_t[::1] is_fixed = is_fixed_arr
    cdef Py_ssize_t[::1] degree = degree_arr
    cdef Py_ssize_t[::1] uf = uf_arr
    cdef Py_ssize_t[::1] has_fixed = has_fixed_arr

    with nogil:
        for k in range(m):
            a = link_from[k]
            b = link_to[k]
            if a < 0 or a >= n or b < 0 or b >= n:
                status = _HYD_BAD_NODE_INDEX
                bad = k
                break
            if a == b:
                status = _HYD_SELF_LOOP
                bad = k
                break
            degree[a] += 1
            degree[b] += 1
        if status == _OK:
            for k in range(nf):
                i = fixed_nodes[k]
                if i < 0 or i >= n or is_fixed[i]:
                    status = _HYD_BAD_FIXED_NODE
                    bad = k
                    break
                is_fixed[i] = 1
        if status == _OK:
            for i in range(n):
                if degree[i] == 0:
                    status = _HYD_ISOLATED_NODE
                    bad = i
                    break
        if status == _OK:
            for k in range(m):
                a = _find_root(&uf[0], link_from[k])
                b = _find_root(&uf[0], link_to[k])
                if a != b:
                    uf[a] = b
            for i in range(n):
                if is_fixed[i]:
                    has_fixed[_find_root(&uf[0], i)] = 1
            for i in range(n):
                if not has_fixed[_find_root(&uf[0], i)]:
                    status = _HYD_NO_REFERENCE
                    bad = i
                    break
    if status != _OK:
        return None, status, bad

    # --- unknown nodes and their graph (duplicates of parallel links removed) -----
    nu = n - nf
    unknown_arr = np.full(n, -1, dtype=np.intp)    # position among unknown nodes
    node_of_unknown_arr = np.empty(nu, dtype=np.intp)
    cdef Py_ssize_t[::1] unknown = unknown_arr
    cdef Py_ssize_t[::1] node_of_unknown = node_of_unknown_arr
    adj_cnt_arr = np.zeros(nu + 1, dtype=np.intp)
    cdef Py_ssize_t[::1] adj_ptr = adj_cnt_arr
    with nogil:
        j = 0
        for i in range(n):
            if not is_fixed[i]:
                unknown[i] = j
                node_of_unknown[j] = i
                j += 1
        for k in range(m):
            a = unknown[link_from[k]]
            b = unknown[link_to[k]]
            if a >= 0 and b >= 0:
                adj_ptr[a + 1] += 1
                adj_ptr[b + 1] += 1
        for i in range(nu):
            adj_ptr[i + 1] += adj_ptr[i]
    adj_idx_arr = np.empty(adj_ptr[nu], dtype=np.intp)
    fill_arr = np.array(adj_cnt_arr[:nu], dtype=np.intp)
    mark_arr = np.full(max(nu, 1), -1, dtype=np.intp)
    cdef Py_ssize_t[::1] adj_idx = adj_idx_arr
    cdef Py_ssize_t[::1] fill = fill_arr
    cdef Py_ssize_t[::1] mark = mark_arr
    with nogil:
        for k in range(m):
            a = unknown[link_from[k]]
            b = unknown[link_to[k]]
            if a >= 0 and b >= 0:
                adj_idx[fill[a]] = b
                fill[a] += 1
                adj_idx[fill[b]] = a
                fill[b] += 1
        # compact: drop repeated neighbours (parallel links)
        q = 0
        for i in range(nu):
            p = adj_ptr[i]
            adj_ptr[i] = q
            for t in range(p, fill[i]):
                j = adj_idx[t]
                if mark[j] != i:
                    mark[j] = i
                    adj_idx[q] = j
                    q += 1
        adj_ptr[nu] = q

    # --- fill-reducing order ------------------------------------------------------
    order_arr = np.empty(nu, dtype=np.intp)
    pinv_arr = np.full(max(nu, 1), -1, dtype=np.intp)
    cdef Py_ssize_t[::1] elim = order_arr
    cdef Py_ssize_t[::1] pinv = pinv_arr
    cdef int failed = 0
    if order is None:
        with nogil:
            failed = _minimum_degree(nu, adj_ptr, adj_idx, elim)
        if failed:
            raise MemoryError("prepare_hydraulic: out of memory in the ordering")
    else:
        if order.shape[0] != nu:
            return None, _HYD_BAD_SHAPE, -1
        for k in range(nu):
            elim[k] = order[k]
    with nogil:
        for k in range(nu):
            i = elim[k]
            if i < 0 or i >= nu or pinv[i] >= 0:
                status = _HYD_BAD_ORDER
                bad = k
                break
            pinv[i] = k
    if status != _OK:
        return None, status, bad

    row_of_node_arr = np.full(n, -1, dtype=np.intp)
    node_of_row_arr = np.empty(nu, dtype=np.intp)
    cdef Py_ssize_t[::1] row_of_node = row_of_node_arr
    cdef Py_ssize_t[::1] node_of_row = node_of_row_arr
    a_ptr_arr = np.zeros(nu + 1, dtype=np.intp)
    cdef Py_ssize_t[::1] a_ptr = a_ptr_arr
    with nogil:
        for i in range(nu):
            r = pinv[i]
            row_of_node[node_of_unknown[i]] = r
            node_of_row[r] = node_of_unknown[i]
        # lower triangle of A by rows: neighbours earlier in the order, then diagonal
        for i in range(nu):
            r = pinv[i]
            cnt = 1
            for p in range(adj_ptr[i], adj_ptr[i + 1]):
                if pinv[adj_idx[p]] < r:
                    cnt += 1
            a_ptr[r + 1] = cnt
        for r in range(nu):
            a_ptr[r + 1] += a_ptr[r]
    nnz_a = a_ptr[nu]
    a_col_arr = np.empty(nnz_a, dtype=np.intp)
    cdef Py_ssize_t[::1] a_col = a_col_arr
    slot_arr = np.full(m, -1, dtype=np.intp)
    row_from_arr = np.empty(m, dtype=np.intp)
    row_to_arr = np.empty(m, dtype=np.intp)
    cdef Py_ssize_t[::1] slot = slot_arr
    cdef Py_ssize_t[::1] row_from = row_from_arr
    cdef Py_ssize_t[::1] row_to = row_to_arr
    parent_arr = np.full(nu, -1, dtype=np.intp)
    ancestor_arr = np.full(nu, -1, dtype=np.intp)
    rcount_arr = np.zeros(nu + 1, dtype=np.intp)
    ccount_arr = np.ones(nu, dtype=np.intp)
    cdef Py_ssize_t[::1] parent = parent_arr
    cdef Py_ssize_t[::1] ancestor = ancestor_arr
    cdef Py_ssize_t[::1] r_ptr = rcount_arr
    cdef Py_ssize_t[::1] ccount = ccount_arr
    with nogil:
        for i in range(nu):
            r = pinv[i]
            q = a_ptr[r]
            for p in range(adj_ptr[i], adj_ptr[i + 1]):
                j = pinv[adj_idx[p]]
                if j < r:
                    a_col[q] = j
                    q += 1
            a_col[q] = r                      # diagonal last
        for k in range(m):
            a = row_of_node[link_from[k]]
            b = row_of_node[link_to[k]]
            row_from[k] = a
            row_to[k] = b
            if a >= 0 and b >= 0:
                if a < b:
                    a, b = b, a               # entry (a, b) with b < a lives in row a
                for p in range(a_ptr[a], a_ptr[a + 1] - 1):
                    if a_col[p] == b:
                        slot[k] = p
                        break
        # elimination tree (Liu), from the rows of the lower triangle
        for r in range(nu):
            for p in range(a_ptr[r], a_ptr[r + 1] - 1):
                j = a_col[p]
                while j != -1 and j < r:
                    t = ancestor[j]
                    ancestor[j] = r
                    if t == -1:
                        parent[j] = r
                    j = t
        # row counts of L (row subtrees) and column counts
        for r in range(nu):
            mark[r] = -1
        for r in range(nu):
            mark[r] = r
            cnt = 0
            for p in range(a_ptr[r], a_ptr[r + 1] - 1):
                j = a_col[p]
                while mark[j] != r:
                    mark[j] = r
                    cnt += 1
                    ccount[j] += 1
                    j = parent[j]
            r_ptr[r + 1] = cnt
        for r in range(nu):
            r_ptr[r + 1] += r_ptr[r]
    nnz_off = r_ptr[nu]
    r_col_arr = np.empty(nnz_off, dtype=np.intp)
    r_pos_arr = np.empty(nnz_off, dtype=np.intp)
    l_ptr_arr = np.zeros(nu + 1, dtype=np.intp)
    l_row_arr = np.empty(nnz_off + nu, dtype=np.intp)
    stack_arr = np.empty(max(nu, 1), dtype=np.intp)
    path_arr = np.empty(max(nu, 1), dtype=np.intp)
    nextpos_arr = np.empty(max(nu, 1), dtype=np.intp)
    cdef Py_ssize_t[::1] r_col = r_col_arr
    cdef Py_ssize_t[::1] r_pos = r_pos_arr
    cdef Py_ssize_t[::1] l_ptr = l_ptr_arr
    cdef Py_ssize_t[::1] l_row = l_row_arr
    cdef Py_ssize_t[::1] stack = stack_arr
    cdef Py_ssize_t[::1] path = path_arr
    cdef Py_ssize_t[::1] nextpos = nextpos_arr
    with nogil:
        for r in range(nu):
            l_ptr[r + 1] = l_ptr[r] + ccount[r]
            l_row[l_ptr[r]] = r               # diagonal first
            nextpos[r] = l_ptr[r] + 1
            mark[r] = -1
        for r in range(nu):
            # pattern of row r of L in topological order (Davis 2006, ereach)
            mark[r] = r
            top = nu
            for p in range(a_ptr[r], a_ptr[r + 1] - 1):
                j = a_col[p]
                length = 0
                while mark[j] != r:
                    path[length] = j
                    length += 1
                    mark[j] = r
                    j = parent[j]
                while length > 0:
                    length -= 1
                    top -= 1
                    stack[top] = path[length]
            q = r_ptr[r]
            for t in range(top, nu):
                j = stack[t]
                r_col[q] = j
                r_pos[q] = nextpos[j]
                l_row[nextpos[j]] = r
                nextpos[j] += 1
                q += 1

    # --- connected components: numbered by lowest node, links and rows listed ------
    comp_of_node_arr = np.full(n, -1, dtype=np.intp)
    comp_of_root_arr = np.full(n, -1, dtype=np.intp)
    comp_of_link_arr = np.empty(m, dtype=np.intp)
    cdef Py_ssize_t[::1] comp_of_node = comp_of_node_arr
    cdef Py_ssize_t[::1] comp_of_root = comp_of_root_arr
    cdef Py_ssize_t[::1] comp_of_link = comp_of_link_arr
    cdef Py_ssize_t nc = 0
    with nogil:
        for i in range(n):
            a = _find_root(&uf[0], i)
            if comp_of_root[a] < 0:
                comp_of_root[a] = nc
                nc += 1
            comp_of_node[i] = comp_of_root[a]
        for k in range(m):
            comp_of_link[k] = comp_of_node[link_from[k]]
    comp_link_ptr_arr = np.zeros(nc + 1, dtype=np.intp)
    comp_row_ptr_arr = np.zeros(nc + 1, dtype=np.intp)
    comp_link_arr = np.empty(m, dtype=np.intp)
    comp_row_arr = np.empty(nu, dtype=np.intp)
    comp_fill_arr = np.empty(nc + 1, dtype=np.intp)
    cdef Py_ssize_t[::1] comp_link_ptr = comp_link_ptr_arr
    cdef Py_ssize_t[::1] comp_row_ptr = comp_row_ptr_arr
    cdef Py_ssize_t[::1] comp_link = comp_link_arr
    cdef Py_ssize_t[::1] comp_row = comp_row_arr
    cdef Py_ssize_t[::1] comp_fill = comp_fill_arr
    with nogil:
        # counting sorts, stable: ascending links and rows within each component
        for k in range(m):
            comp_link_ptr[comp_of_link[k] + 1] += 1
        for r in range(nu):
            comp_row_ptr[comp_of_node[node_of_row[r]] + 1] += 1
        for t in range(nc):
            comp_link_ptr[t + 1] += comp_link_ptr[t]
            comp_row_ptr[t + 1] += comp_row_ptr[t]
        for t in range(nc):
            comp_fill[t] = comp_link_ptr[t]
        for k in range(m):
            t = comp_of_link[k]
            comp_link[comp_fill[t]] = k
            comp_fill[t] += 1
        for t in range(nc):
            comp_fill[t] = comp_row_ptr[t]
        for r in range(nu):
            t = comp_of_node[node_of_row[r]]
            comp_row[comp_fill[t]] = r
            comp_fill[t] += 1

    topo = HydraulicTopology()
    topo._ready = True
    topo.n_components = nc
    topo.n_nodes = n
    topo.n_links = m
    topo.n_unknown = nu
    topo.nnz_a = nnz_a
    topo.nnz_l = nnz_off + nu
    topo._link_from = np.array(link_from, dtype=np.intp)
    topo._link_to = np.array(link_to, dtype=np.intp)
    topo._fixed_nodes = np.array(fixed_nodes, dtype=np.intp)
    topo._row_of_node = row_of_node_arr
    topo._node_of_row = node_of_row_arr
    topo._row_from = row_from_arr
    topo._row_to = row_to_arr
    topo._slot = slot_arr
    topo._a_ptr = a_ptr_arr
    topo._a_col = a_col_arr
    topo._parent = parent_arr
    topo._l_ptr = l_ptr_arr
    topo._l_row = l_row_arr
    topo._r_ptr = rcount_arr
    topo._r_col = r_col_arr
    topo._r_pos = r_pos_arr
    topo._comp_of_node = comp_of_node_arr
    topo._comp_of_link = comp_of_link_arr
    topo._comp_link_ptr = comp_link_ptr_arr
    topo._comp_link = comp_link_arr
    topo._comp_row_ptr = comp_row_ptr_arr
    topo._comp_row = comp_row_arr
    return topo, _OK, -1


# =====================================================================================
# Numeric solve
# =====================================================================================

cdef struct _Hyd:
    # topology
    Py_ssize_t n_nodes
    Py_ssize_t n_links
    Py_ssize_t n_unknown
    Py_ssize_t nnz_a
    const Py_ssize_t *link_from
    const Py_ssize_t *link_to
    const Py_ssize_t *row_from
    const Py_ssize_t *row_to
    const Py_ssize_t *slot
    const Py_ssize_t *node_of_row
    const Py_ssize_t *a_ptr
    const Py_ssize_t *a_col
    const Py_ssize_t *l_ptr
    const Py_ssize_t *l_row
    const Py_ssize_t *r_ptr
    const Py_ssize_t *r_col
    const Py_ssize_t *r_pos
    # links and nodes
    const Py_ssize_t *kind
    const double *coef                  # 4 per link, see _link_constants
    const Py_ssize_t *curve_ptr
    const double *curve_flow
    const double *curve_dp
    const double *demand
    double rq_tol                       # smallest head-loss gradient [Pa s/m^3]
    double r_closed                     # gradient of a closed link [Pa s/m^3]
    double htol                         # pressure tolerance of status checks [Pa]
    double q_min                        # flow floor of gradients [m^3/s]
    # one scenario
    const double *speed
    const unsigned char *closed
    # the part iterated: all links and rows for a full solve, or the links and rows of
    # some connected components while the others hold a solution (held links)
    const Py_ssize_t *act_link
    Py_ssize_t n_act_link
    const Py_ssize_t *act_row           # ascending within each component
    Py_ssize_t n_act_row
    double held_qsum                    # sum |Q| of the held links [m^3/s]
    double held_qmax                    # largest |Q| of the held links [m^3/s]
    Py_ssize_t held_pumps               # pumps among the held links
    Py_ssize_t held_running             # ... of which running
    # work
    unsigned char *cv_closed
    double *p_coef                      # 1 / (dh/dQ)
    double *y_coef                      # h / (dh/dQ)
    double *a_val
    double *l_val
    double *l_inv                       # 1 / D, per row (A = L D L^T)
    double *x
    double *rhs
    # pressures less a reference per component (the pressure of its first fixed
    # node): the system is solved for these offsets and link pressure differences are
    # taken from them, so a node level with its reference carries no rounding of the
    # absolute pressure (a stagnant loop then converges to zero flow, not to noise)
    const double *p_ref                 # per node [Pa]
    double *p_off                       # per node [Pa]; fixed nodes set by the caller
    # in/out
    double *flow
    double *pressure


cdef inline double _friction(double q, double e, double s, double *dfdq) noexcept nogil:
    """Darcy friction factor and d f / d|Q| for |Q| = q above Re = 2000.

    ``e`` relative roughness / 3.7, ``s`` = nu * d [m^2/s]; ``w = q / s = Re pi / 4``.
    ``w^-0.9`` is taken as ``exp(-0.9 log w)`` (a few ulp from ``pow``, about 40 %
    cheaper with glibc; this is most of the time of an iteration).
    Re >= 4000: Swamee & Jain (1976).  2000 < Re < 4000: Dunlop's cubic between
    f = 64/2000 at Re = 2000 and Swamee-Jain at Re = 4000, as EPANET hydcoeffs.c.
    """
    cdef double w = q / s
    cdef double f, y1, y2, y3, fa, fb, r, x1, x2, x3, x4
    if w >= _A1:
        y1 = _A8 * exp(-0.9 * log(w))
        y2 = e + y1
        y3 = _A9 * log(y2)
        f = 1.0 / (y3 * y3)
        dfdq[0] = 1.8 * f * y1 * _A9 / (y2 * y3 * q)
    else:
        y2 = e + _AB
        y3 = _A9 * log(y2)
        fa = 1.0 / (y3 * y3)
        fb = (2.0 + _AC / (y2 * y3)) * fa
        r = w / _A2
        x1 = 7.0 * fa - fb
        x2 = 0.128 - 17.0 * fa + 2.5 * fb
        x3 = -0.128 + 13.0 * fa - (fb + fb)
        x4 = 0.032 - 3.0 * fa + 0.5 * fb
        f = x1 + r * (x2 + r * (x3 + r * x4))
        dfdq[0] = (x2 + r * (2.0 * x3 + r * 3.0 * x4)) / s / _A2
    return f


cdef inline void _curve_segment(const double *xs, const double *ys, Py_ssize_t npts,
                                double x, double *h0, double *slope) noexcept nogil:
    """Intercept and slope of the curve segment bracketing ``x`` (EPANET curvecoeff)."""
    cdef Py_ssize_t k2 = 0
    while k2 < npts and xs[k2] < x:
        k2 += 1
    if k2 == 0:
        k2 = 1
    elif k2 == npts:
        k2 = npts - 1
    slope[0] = (ys[k2] - ys[k2 - 1]) / (xs[k2] - xs[k2 - 1])
    h0[0] = ys[k2 - 1] - slope[0] * xs[k2 - 1]


cdef int _link_constants(const Py_ssize_t[::1] kind, const double[::1] param,
                         const Py_ssize_t[::1] curve_ptr, const double[::1] curve_flow,
                         const double[::1] curve_dp, double density, double viscosity,
                         double[::1] coef, Py_ssize_t *bad) noexcept nogil:
    """Check link parameters and precompute per-link constants ``coef[4k:4k+4]``.

    PIPE: ``r = rho L / (2 d A^2)`` [Pa/(m^3/s)^2] (dp = f r Q^2),
    ``ml = K rho / (2 A^2)`` (dp = ml Q^2), ``e = eps / d / 3.7``, ``s = nu d``.
    RESISTANCE: ``k``.  PUMP: ``H0, r, n`` of the power curve (points: 0, 0, 0)
    and the shut-off pressure at speed 1 (points: first segment at Q = 0).
    """
    cdef Py_ssize_t m = kind.shape[0]
    cdef Py_ssize_t k, c, c0, c1
    cdef double length, diam, rough, minor, area, nu_kin, h0, slope
    nu_kin = viscosity / density
    for k in range(m):
        bad[0] = k
        c0 = curve_ptr[k]
        c1 = curve_ptr[k + 1]
        if c0 < 0 or c1 < c0 or c1 > curve_flow.shape[0]:
            return _HYD_BAD_CURVE
        if kind[k] == _PIPE:
            length = param[4 * k]
            diam = param[4 * k + 1]
            rough = param[4 * k + 2]
            minor = param[4 * k + 3]
            if not (length > 0.0 and isfinite(length) and diam > 0.0 and isfinite(diam)
                    and rough >= 0.0 and isfinite(rough) and minor >= 0.0
                    and isfinite(minor)):
                return _HYD_BAD_LINK_VALUE
            if c1 != c0:
                return _HYD_BAD_CURVE
            area = M_PI * diam * diam / 4.0
            coef[4 * k] = density * length / (2.0 * diam * area * area)
            coef[4 * k + 1] = minor * density / (2.0 * area * area)
            coef[4 * k + 2] = rough / diam / 3.7
            coef[4 * k + 3] = nu_kin * diam
        elif kind[k] == _RESISTANCE:
            if not (param[4 * k] > 0.0 and isfinite(param[4 * k])):
                return _HYD_BAD_LINK_VALUE
            if c1 != c0:
                return _HYD_BAD_CURVE
            coef[4 * k] = param[4 * k]
            coef[4 * k + 1] = 0.0
            coef[4 * k + 2] = 0.0
            coef[4 * k + 3] = 0.0
        elif kind[k] == _PUMP:
            if c1 == c0:
                # power curve: dp_gain = H0 - r Q^n (EPANET 0 < n <= 20)
                if not (param[4 * k] > 0.0 and isfinite(param[4 * k])
                        and param[4 * k + 1] > 0.0 and isfinite(param[4 * k + 1])
                        and param[4 * k + 2] > 0.0 and param[4 * k + 2] <= 20.0):
                    return _HYD_BAD_LINK_VALUE
                coef[4 * k] = param[4 * k]
                coef[4 * k + 1] = param[4 * k + 1]
                coef[4 * k + 2] = param[4 * k + 2]
                coef[4 * k + 3] = param[4 * k]
            else:
                # datasheet points: flow strictly rising from >= 0, dp strictly falling
                if c1 - c0 < 2:
                    return _HYD_BAD_CURVE
                for c in range(c0, c1):
                    if not (isfinite(curve_flow[c]) and isfinite(curve_dp[c])
                            and curve_flow[c] >= 0.0):
                        return _HYD_BAD_CURVE
                    if c > c0 and not (curve_flow[c] > curve_flow[c - 1]
                                       and curve_dp[c] < curve_dp[c - 1]):
                        return _HYD_BAD_CURVE
                _curve_segment(&curve_flow[c0], &curve_dp[c0], c1 - c0, 0.0, &h0, &slope)
                if not h0 > 0.0:
                    return _HYD_BAD_CURVE
                coef[4 * k] = 0.0
                coef[4 * k + 1] = 0.0
                coef[4 * k + 2] = 0.0
                coef[4 * k + 3] = h0
        else:
            return _HYD_BAD_KIND
    bad[0] = -1
    return _OK


cdef void _coefficients(_Hyd *h) noexcept nogil:
    """P = 1/(dh/dQ) and Y = h/(dh/dQ) of every iterated link at the current flows.

    ``h`` is the pressure loss from start to end node [Pa] (a pump's is minus its
    gain).  As EPANET hydcoeffs.c (pipecoeff/DWpipecoeff, pumpcoeff, valvecoeff):
    closed links (closed, speed 0, or check valve shut) get h = CBIG Q; gradients
    below RQtol are raised to RQtol (zero-flow branches never divide by zero), and
    below q_min resistances and power-curve pumps follow the chord of their law
    (k q_min Q; h0 + r s^(2-n) q_min^(n-1) Q), as EPANET's linear law below RQtol.
    """
    cdef Py_ssize_t t, k, c0, npts
    cdef double q, flow, grad, loss, r, ml, e, s, rl, f, dfdq, r1, sp, h0, n, rs, slope
    cdef const double *c
    for t in range(h.n_act_link):
        k = h.act_link[t]
        flow = h.flow[k]
        q = fabs(flow)
        c = &h.coef[4 * k]
        if h.closed[k] or h.cv_closed[k] or (h.kind[k] == _PUMP and h.speed[k] <= 0.0):
            h.p_coef[k] = 1.0 / h.r_closed
            h.y_coef[k] = flow
            continue
        if h.kind[k] == _PIPE:
            r = c[0]
            ml = c[1]
            e = c[2]
            s = c[3]
            if q <= _A2 * s:
                # Hagen-Poiseuille, Re <= 2000: f = 64/Re = 16 pi s / q
                rl = _A3 * s * r
                loss = flow * (rl + ml * q)
                grad = rl + 2.0 * ml * q
            else:
                f = _friction(q, e, s, &dfdq)
                r1 = f * r + ml
                loss = r1 * q * flow
                grad = 2.0 * r1 * q + dfdq * r * q * q
            if grad < h.rq_tol:
                grad = h.rq_tol
        elif h.kind[k] == _RESISTANCE:
            if q < h.q_min:
                grad = c[0] * h.q_min
                if grad < h.rq_tol:
                    grad = h.rq_tol
                loss = grad * flow
            else:
                loss = c[0] * q * flow
                grad = 2.0 * c[0] * q
        else:
            sp = h.speed[k]
            c0 = h.curve_ptr[k]
            npts = h.curve_ptr[k + 1] - c0
            if npts == 0:
                h0 = -sp * sp * c[0]
                n = c[2]
                if fabs(n - 1.0) < 1e-6:
                    grad = c[1] * sp
                    loss = h0 + grad * flow
                else:
                    rs = c[1] * pow(sp, 2.0 - n)
                    if q < h.q_min:
                        grad = rs * pow(h.q_min, n - 1.0)
                        if grad < h.rq_tol:
                            grad = h.rq_tol
                        loss = h0 + grad * flow
                    else:
                        grad = n * rs * pow(q, n - 1.0)
                        if grad < h.rq_tol:
                            grad = h.rq_tol
                            loss = h0 + grad * flow
                        else:
                            loss = h0 + grad * flow / n
            else:
                _curve_segment(&h.curve_flow[c0], &h.curve_dp[c0], npts, q / sp, &h0, &slope)
                grad = -slope * sp
                if grad < h.rq_tol:
                    grad = h.rq_tol
                loss = -h0 * sp * sp + grad * flow
        h.p_coef[k] = 1.0 / grad
        h.y_coef[k] = loss / grad


cdef void _assemble(_Hyd *h) noexcept nogil:
    """A = sum of P over links at each node, F = flow imbalance + Y terms (EPANET).

    Rows and links of the iterated part only (a union of components: its links
    touch no other row).
    """
    cdef Py_ssize_t t, p, k, i, j, r
    cdef double pk, yk, qk
    for t in range(h.n_act_row):
        r = h.act_row[t]
        for p in range(h.a_ptr[r], h.a_ptr[r + 1]):
            h.a_val[p] = 0.0
        h.rhs[r] = -h.demand[h.node_of_row[r]]
    for t in range(h.n_act_link):
        k = h.act_link[t]
        i = h.row_from[k]
        j = h.row_to[k]
        pk = h.p_coef[k]
        yk = h.y_coef[k]
        qk = h.flow[k]
        if i >= 0:
            h.a_val[h.a_ptr[i + 1] - 1] += pk
            h.rhs[i] += yk - qk
            if j < 0:
                h.rhs[i] += pk * h.p_off[h.link_to[k]]
        if j >= 0:
            h.a_val[h.a_ptr[j + 1] - 1] += pk
            h.rhs[j] += qk - yk
            if i < 0:
                h.rhs[j] += pk * h.p_off[h.link_from[k]]
        if h.slot[k] >= 0:
            h.a_val[h.slot[k]] -= pk


cdef Py_ssize_t _factor(_Hyd *h) noexcept nogil:
    """Up-looking numeric factorization A = L D L^T on the precomputed pattern.

    L is unit lower triangular (its stored diagonal holds D) and ``l_inv`` 1/D:
    no square root and no division on the dependency chain from row to row.

    Rows of the iterated part, in ascending order within each component (a row
    needs only earlier rows of its own component).  Returns -1, or the row whose
    pivot is not positive.  ``x`` must be zero on those rows on entry and is zero
    again on exit.
    """
    cdef Py_ssize_t a, k, p, t, i, pos, end
    cdef double d, lki, yi
    cdef double *x = h.x
    cdef double *lx = h.l_val
    cdef double *li = h.l_inv
    for a in range(h.n_act_row):
        k = h.act_row[a]
        end = h.a_ptr[k + 1] - 1
        for p in range(h.a_ptr[k], end):
            x[h.a_col[p]] = h.a_val[p]
        d = h.a_val[end]
        for t in range(h.r_ptr[k], h.r_ptr[k + 1]):
            i = h.r_col[t]
            pos = h.r_pos[t]
            yi = x[i]
            x[i] = 0.0
            for p in range(h.l_ptr[i] + 1, pos):
                x[h.l_row[p]] -= lx[p] * yi
            lki = yi * li[i]
            d -= lki * yi
            lx[pos] = lki
        if not d > 0.0:
            for t in range(h.r_ptr[k], h.r_ptr[k + 1]):
                x[h.r_col[t]] = 0.0
            return k
        lx[h.l_ptr[k]] = d
        li[k] = 1.0 / d
    return -1


cdef void _solve_factored(_Hyd *h) noexcept nogil:
    """rhs <- L^-T D^-1 L^-1 rhs on the rows of the iterated part."""
    cdef Py_ssize_t a, j, p
    cdef double v
    cdef double *b = h.rhs
    cdef double *lx = h.l_val
    cdef double *li = h.l_inv
    for a in range(h.n_act_row):
        j = h.act_row[a]
        v = b[j]
        for p in range(h.l_ptr[j] + 1, h.l_ptr[j + 1]):
            b[h.l_row[p]] -= lx[p] * v
    for a in range(h.n_act_row - 1, -1, -1):
        j = h.act_row[a]
        v = b[j] * li[j]
        for p in range(h.l_ptr[j] + 1, h.l_ptr[j + 1]):
            v -= lx[p] * b[h.l_row[p]]
        b[j] = v


cdef int _pump_status(_Hyd *h) noexcept nogil:
    """Check valves of running pumps (EPANET linkstatus/pumpstatus, flow-based shutting).

    A running pump whose flow has reversed is shut (no reverse flow); a shut one is
    reopened once its pressure gain falls below its speed-scaled shut-off pressure
    less HTOL.  At a converged point Q < 0 is the same test as EPANET's gain above
    shut-off (the curves fall with flow), but mid-iteration pressures overshoot and
    EPANET's head test can shut the only pump of a loop while it delivers forward
    flow.  Returns 1 if any status changed.
    """
    cdef Py_ssize_t t, k
    cdef double gain, hmax, sp
    cdef int changed = 0
    for t in range(h.n_act_link):
        k = h.act_link[t]
        if h.kind[k] != _PUMP or h.closed[k] or not h.speed[k] > 0.0:
            continue
        if h.cv_closed[k]:
            sp = h.speed[k]
            gain = h.pressure[h.link_to[k]] - h.pressure[h.link_from[k]]
            hmax = sp * sp * h.coef[4 * k + 3]
            if gain < hmax - h.htol:
                h.cv_closed[k] = 0
                changed = 1
        elif h.flow[k] < 0.0:
            h.cv_closed[k] = 1
            changed = 1
    return changed


cdef int _gga(_Hyd *h, double tol, Py_ssize_t max_iter, Py_ssize_t *iterations,
              double *residual, Py_ssize_t *bad) noexcept nogil:
    """Todini-Pilati iterations as EPANET hydsolve(); flows and pressures in place.

    Iterates the links and rows of ``h.act_link``/``h.act_row``; held links keep
    their flows and enter only the network-wide quantities, as they would with
    zero flow change in a full solve: sum|Q| of the convergence test, the
    largest flow (small-flow threshold) and the count of running pumps.
    """
    cdef Py_ssize_t t, k, i, it, row, nextcheck, kmax
    cdef Py_ssize_t n_pumps = h.held_pumps
    cdef Py_ssize_t running = h.held_running
    cdef double dh, dq, qnew, qsum, dqsum, dqmax, relerr, qbig
    iterations[0] = 0
    residual[0] = 0.0
    bad[0] = -1
    for t in range(h.n_act_link):
        k = h.act_link[t]
        h.cv_closed[k] = 0
        if not isfinite(h.flow[k]):
            bad[0] = k
            return _HYD_NOT_FINITE
        if h.kind[k] == _PUMP:
            n_pumps += 1
            if not h.closed[k] and h.speed[k] > 0.0:
                running += 1
    if n_pumps > 0 and running == 0:
        return _HYD_ALL_PUMPS_CLOSED
    qbig = h.held_qmax
    for t in range(h.n_act_link):
        k = h.act_link[t]
        if fabs(h.flow[k]) > qbig:
            qbig = fabs(h.flow[k])
    h.q_min = _QMIN_REL * qbig
    for t in range(h.n_act_row):
        h.x[h.act_row[t]] = 0.0
    nextcheck = _CHECK_FREQ
    kmax = -1
    for it in range(1, max_iter + 1):
        iterations[0] = it
        _coefficients(h)
        _assemble(h)
        row = _factor(h)
        if row >= 0:
            bad[0] = h.node_of_row[row]
            return _HYD_NOT_POSITIVE_DEFINITE
        _solve_factored(h)
        for t in range(h.n_act_row):
            row = h.act_row[t]
            i = h.node_of_row[row]
            h.p_off[i] = h.rhs[row]
            h.pressure[i] = h.rhs[row] + h.p_ref[i]
        # new flows: dq = Y - P (p_from - p_to)  (EPANET newlinkflows)
        qsum = h.held_qsum
        dqsum = 0.0
        dqmax = -1.0
        qbig = h.held_qmax
        for t in range(h.n_act_link):
            k = h.act_link[t]
            dh = h.p_off[h.link_from[k]] - h.p_off[h.link_to[k]]
            dq = h.y_coef[k] - h.p_coef[k] * dh
            qnew = h.flow[k] - dq
            if not isfinite(qnew):
                bad[0] = k
                return _HYD_NOT_FINITE
            h.flow[k] = qnew
            if fabs(qnew) > qbig:
                qbig = fabs(qnew)
            qsum += fabs(qnew)
            dqsum += fabs(dq)
            if fabs(dq) > dqmax:
                dqmax = fabs(dq)
                kmax = k
        relerr = dqsum / qsum if qsum > 0.0 else dqsum
        residual[0] = relerr
        h.q_min = _QMIN_REL * qbig
        if relerr <= tol:
            if not _pump_status(h):
                return _OK
            nextcheck = it + _CHECK_FREQ
        elif it <= _MAX_CHECK and it == nextcheck:
            _pump_status(h)
            nextcheck += _CHECK_FREQ
    bad[0] = kmax
    return _HYD_NOT_CONVERGED


cdef class _Workspace:
    """Per-call work arrays (kept out of HydraulicTopology so calls never share)."""

    cdef double[::1] coef, p_coef, y_coef, a_val, l_val, l_inv, x, rhs, p_ref, p_off
    cdef unsigned char[::1] cv_closed
    cdef Py_ssize_t[::1] all_link, all_row    # 0..m-1 and 0..n_unknown-1

    def __init__(self, HydraulicTopology topo):
        m = topo.n_links
        nu = topo.n_unknown
        self.coef = np.zeros(4 * m + 1)
        self.p_coef = np.zeros(m + 1)
        self.y_coef = np.zeros(m + 1)
        self.a_val = np.zeros(topo.nnz_a + 1)
        self.l_val = np.zeros(topo.nnz_l + 1)
        self.l_inv = np.zeros(nu + 1)
        self.p_ref = np.zeros(topo.n_nodes + 1)
        self.p_off = np.zeros(topo.n_nodes + 1)
        self.x = np.zeros(nu + 1)
        self.rhs = np.zeros(nu + 1)
        self.cv_closed = np.zeros(m + 1, dtype=np.uint8)
        self.all_link = np.arange(m + 1, dtype=np.intp)
        self.all_row = np.arange(nu + 1, dtype=np.intp)


cdef int _check_inputs(HydraulicTopology topo, const Py_ssize_t[::1] kind,
                       const double[::1] link_param, const Py_ssize_t[::1] curve_ptr,
                       const double[::1] curve_flow, const double[::1] curve_dp,
                       const double[::1] speed, const unsigned char[::1] closed,
                       const double[::1] demand, const double[::1] fixed_pressure,
                       double density, double viscosity, double tol, Py_ssize_t max_iter,
                       _Workspace ws, Py_ssize_t *bad) noexcept:
    """Shapes, options, node values and link constants; fills ``ws.coef``."""
    cdef Py_ssize_t m = topo.n_links
    cdef Py_ssize_t n = topo.n_nodes
    cdef Py_ssize_t i, k
    bad[0] = -1
    if (kind.shape[0] != m or link_param.shape[0] != 4 * m or curve_ptr.shape[0] != m + 1
            or curve_flow.shape[0] != curve_dp.shape[0] or speed.shape[0] != m
            or closed.shape[0] != m or demand.shape[0] != n
            or fixed_pressure.shape[0] != topo._fixed_nodes.shape[0]):
        return _HYD_BAD_SHAPE
    if not (density > 0.0 and isfinite(density) and viscosity > 0.0 and isfinite(viscosity)
            and tol > 0.0 and isfinite(tol) and max_iter >= 1):
        return _HYD_BAD_OPTION
    for i in range(n):
        if not isfinite(demand[i]):
            bad[0] = i
            return _HYD_BAD_NODE_VALUE
    for i in range(fixed_pressure.shape[0]):
        if not isfinite(fixed_pressure[i]):
            bad[0] = topo._fixed_nodes[i]
            return _HYD_BAD_NODE_VALUE
    for k in range(m):
        if kind[k] == _PUMP and not (speed[k] >= 0.0 and isfinite(speed[k])):
            bad[0] = k
            return _HYD_BAD_LINK_VALUE
    return _link_constants(kind, link_param, curve_ptr, curve_flow, curve_dp, density,
                           viscosity, ws.coef, bad)


cdef void _bind(_Hyd *h, HydraulicTopology topo, const Py_ssize_t[::1] kind,
                const Py_ssize_t[::1] curve_ptr, const double[::1] curve_flow,
                const double[::1] curve_dp, const double[::1] demand, double density,
                _Workspace ws) noexcept:
    """Point the solver state at the topology, link data and work arrays.

    The iterated part is the whole network (every link and row, nothing held).
    """
    cdef double rho_g = density * _GRAVITY
    h.n_nodes = topo.n_nodes
    h.n_links = topo.n_links
    h.n_unknown = topo.n_unknown
    h.nnz_a = topo.nnz_a
    h.link_from = &topo._link_from[0] if topo.n_links else NULL
    h.link_to = &topo._link_to[0] if topo.n_links else NULL
    h.row_from = &topo._row_from[0] if topo.n_links else NULL
    h.row_to = &topo._row_to[0] if topo.n_links else NULL
    h.slot = &topo._slot[0] if topo.n_links else NULL
    h.node_of_row = &topo._node_of_row[0] if topo.n_unknown else NULL
    h.a_ptr = &topo._a_ptr[0]
    h.a_col = &topo._a_col[0] if topo.nnz_a else NULL
    h.l_ptr = &topo._l_ptr[0]
    h.l_row = &topo._l_row[0] if topo.nnz_l else NULL
    h.r_ptr = &topo._r_ptr[0]
    h.r_col = &topo._r_col[0] if topo._r_col.shape[0] else NULL
    h.r_pos = &topo._r_pos[0] if topo._r_pos.shape[0] else NULL
    h.kind = &kind[0] if topo.n_links else NULL
    h.coef = &ws.coef[0]
    h.curve_ptr = &curve_ptr[0]
    h.curve_flow = &curve_flow[0] if curve_flow.shape[0] else NULL
    h.curve_dp = &curve_dp[0] if curve_dp.shape[0] else NULL
    h.demand = &demand[0] if topo.n_nodes else NULL
    # EPANET's tolerances (ft, ft/cfs) as pressures for this fluid
    h.rq_tol = _EPANET_RQTOL * _FT / _CFS * rho_g
    h.r_closed = _EPANET_CBIG * _FT / _CFS * rho_g
    h.htol = _EPANET_HTOL * _FT * rho_g
    h.cv_closed = &ws.cv_closed[0]
    h.p_coef = &ws.p_coef[0]
    h.y_coef = &ws.y_coef[0]
    h.a_val = &ws.a_val[0]
    h.l_val = &ws.l_val[0]
    h.l_inv = &ws.l_inv[0]
    h.p_ref = &ws.p_ref[0]
    h.p_off = &ws.p_off[0]
    h.x = &ws.x[0]
    h.rhs = &ws.rhs[0]
    h.act_link = &ws.all_link[0]
    h.n_act_link = topo.n_links
    h.act_row = &ws.all_row[0]
    h.n_act_row = topo.n_unknown
    h.held_qsum = 0.0
    h.held_qmax = 0.0
    h.held_pumps = 0
    h.held_running = 0


cdef void _set_reference(HydraulicTopology topo, const double[::1] fixed_pressure,
                         _Workspace ws) noexcept:
    """Reference pressure of every node (its component's first fixed node) and the
    offsets of the fixed nodes (``_Hyd.p_ref``, ``_Hyd.p_off``)."""
    cdef Py_ssize_t i, c, f
    cdef Py_ssize_t nc = topo.n_components
    comp_ref_arr = np.zeros(nc + 1)
    comp_set_arr = np.zeros(nc + 1, dtype=np.uint8)
    cdef double[::1] comp_ref = comp_ref_arr
    cdef unsigned char[::1] comp_set = comp_set_arr
    for f in range(topo._fixed_nodes.shape[0]):
        c = topo._comp_of_node[topo._fixed_nodes[f]]
        if not comp_set[c]:
            comp_set[c] = 1
            comp_ref[c] = fixed_pressure[f]
    for i in range(topo.n_nodes):
        ws.p_ref[i] = comp_ref[topo._comp_of_node[i]]
    for f in range(topo._fixed_nodes.shape[0]):
        i = topo._fixed_nodes[f]
        ws.p_off[i] = fixed_pressure[f] - ws.p_ref[i]


def solve_hydraulic(HydraulicTopology topology not None, const Py_ssize_t[::1] kind,
                    const double[::1] link_param, const Py_ssize_t[::1] curve_ptr,
                    const double[::1] curve_flow, const double[::1] curve_dp,
                    const double[::1] speed, const unsigned char[::1] closed,
                    const double[::1] demand, const double[::1] fixed_pressure,
                    double density, double viscosity, const double[::1] flow0,
                    double tol=1e-6, Py_ssize_t max_iter=100):
    """Steady flows and pressures of one loop network (global gradient algorithm).

    Parameters
    ----------
    topology : HydraulicTopology
        From :func:`prepare_hydraulic` (``n`` nodes, ``m`` links, ``f`` fixed nodes).
    kind : intp[m]
        ``LINK_PIPE``, ``LINK_RESISTANCE`` or ``LINK_PUMP``.
    link_param : float64[4m]
        Parameters of link ``k`` at ``4k .. 4k+3``:
        PIPE: length [m], inner diameter [m], absolute roughness [m], minor-loss
        coefficient K [-].  RESISTANCE: k [Pa s^2/m^6] (dp = k Q|Q|), 0, 0, 0.
        PUMP with a power curve: shut-off pressure H0 [Pa], r [Pa/(m^3/s)^n],
        exponent n [-] (gain = s^2 (H0 - r (Q/s)^n)), 0; with datasheet points: ignored.
    curve_ptr : intp[m + 1]
        Points of pump ``k`` are ``curve_ptr[k]:curve_ptr[k+1]`` (empty for
        power-curve pumps and other links).
    curve_flow, curve_dp : float64[c]
        Datasheet points: flow [m^3/s] strictly rising from >= 0 and pressure
        gain [Pa] strictly falling, at speed 1; gain = s^2 g(Q/s), piecewise linear,
        extrapolated from the end segments.
    speed : float64[m]
        Relative pump speed s >= 0 (affinity laws); 0 = stopped (closed link).
        Ignored for pipes and resistances.
    closed : uint8[m]
        1 = link closed or failed (very large linear resistance, as EPANET).
    demand : float64[n]
        External outflow at each node [m^3/s] (0 in a closed loop); ignored at
        fixed nodes.
    fixed_pressure : float64[f]
        Pressure of each fixed node, in the topology's order [Pa].
    density : float
        Coolant density [kg/m^3].
    viscosity : float
        Coolant dynamic viscosity [Pa s].
    flow0 : float64[m]
        Initial flows [m^3/s] (warm start).  Zero flows are allowed.
    tol : float
        Stop when sum|dQ| / sum|Q| <= tol and no check valve changes.
    max_iter : int
        Largest number of iterations (linear solves).

    Returns
    -------
    flow : float64[m]
        Link flows, positive from start to end node [m^3/s].
    pressure : float64[n]
        Node pressures [Pa].
    iterations : int
    residual : float
        sum|dQ| / sum|Q| of the last iteration.
    status : int
        ``STATUS_OK`` or a ``STATUS_HYD_*`` code.
    bad_index : int
        Offending link or node (see the status codes), or -1.

    Notes
    -----
    Each iteration linearizes every link, h(Q) ~ h + h' dQ, with
    ``P = 1/h'`` and ``Y = h/h'``; assembles ``A p = F`` over the unknown
    pressures (``A_ii = sum P``, ``A_ij = -P``, ``F_i`` = flow imbalance
    + ``sum(+-Y)`` + ``P p`` of fixed neighbours); factorizes ``A = L D L^T`` on
    the topology's pattern; updates ``Q <- Q - (Y - P (p_from - p_to))``.
    Pipes: Darcy-Weisbach with f = 64/Re (Re <= 2000), Dunlop's cubic
    (2000 < Re < 4000), Swamee-Jain (Re >= 4000), plus K rho v^2 / 2.  Closed
    links: h = CBIG Q.  Pumps carry a check valve: shut when their flow
    reverses, reopened when their gain falls below the shut-off pressure;
    checked every 2 iterations up to 10 and at convergence (EPANET's schedule).
    Per iteration O(m + flops(L)).

    References
    ----------
    .. [1] E. Todini and S. Pilati, "A gradient algorithm for the analysis of pipe
       networks", in Computer Applications in Water Supply, vol. 1, 1988.
    .. [2] L. A. Rossman et al., "EPANET 2.2 User Manual", EPA/600/R-20/133, 2020;
       source src/hydsolver.c, src/hydcoeffs.c.
    .. [3] P. K. Swamee and A. K. Jain, "Explicit equations for pipe-flow problems",
       J. Hydraulics Div. ASCE 102(5), 1976.
    .. [4] E. J. Dunlop, "WADI Users Manual", 1991 (transition friction
       interpolation, as cited in EPANET hydcoeffs.c).
    """
    cdef Py_ssize_t m = topology.n_links
    cdef Py_ssize_t n = topology.n_nodes
    cdef Py_ssize_t i, iterations = 0
    cdef Py_ssize_t bad = -1
    cdef double residual = 0.0
    cdef int status
    cdef _Hyd h
    flow = np.zeros(m, dtype=np.float64)
    pressure = np.zeros(n, dtype=np.float64)
    if not topology._ready or flow0.shape[0] != m:
        return flow, pressure, 0, 0.0, _HYD_BAD_SHAPE, -1
    ws = _Workspace(topology)
    status = _check_inputs(topology, kind, link_param, curve_ptr, curve_flow, curve_dp,
                           speed, closed, demand, fixed_pressure, density, viscosity, tol,
                           max_iter, ws, &bad)
    if status != _OK:
        return flow, pressure, 0, 0.0, status, bad
    cdef double[::1] flow_v = flow
    cdef double[::1] pressure_v = pressure
    for i in range(m):
        flow_v[i] = flow0[i]
    for i in range(topology._fixed_nodes.shape[0]):
        pressure_v[topology._fixed_nodes[i]] = fixed_pressure[i]
    _bind(&h, topology, kind, curve_ptr, curve_flow, curve_dp, demand, density, ws)
    _set_reference(topology, fixed_pressure, ws)
    h.speed = &speed[0] if m else NULL
    h.closed = &closed[0] if m else NULL
    h.flow = &flow_v[0] if m else NULL
    h.pressure = &pressure_v[0] if n else NULL
    with nogil:
        status = _gga(&h, tol, max_iter, &iterations, &residual, &bad)
    return flow, pressure, iterations, residual, status, bad


def solve_hydraulic_batch(HydraulicTopology topology not None, const Py_ssize_t[::1] kind,
                          const double[::1] link_param, const Py_ssize_t[::1] curve_ptr,
                          const double[::1] curve_flow, const double[::1] curve_dp,
                          const double[::1] speed, const unsigned char[::1] closed,
                          const double[::1] demand, const double[::1] fixed_pressure,
                          double density, double viscosity, const double[::1] base_flow,
                          const Py_ssize_t[::1] closed_ptr, const Py_ssize_t[::1] closed_link,
                          const unsigned char[::1] closed_value,
                          const Py_ssize_t[::1] speed_ptr, const Py_ssize_t[::1] speed_link,
                          const double[::1] speed_value,
                          double tol=1e-6, Py_ssize_t max_iter=100):
    """Solve ``s`` scenarios of one network, each an edit of the base inputs.

    Parameters
    ----------
    topology, kind, link_param, curve_ptr, curve_flow, curve_dp, speed, closed,
    demand, fixed_pressure, density, viscosity, tol, max_iter
        The base network, as for :func:`solve_hydraulic`.
    base_flow : float64[m]
        Warm start of the base network, normally its solution [m^3/s]; the
        scenarios start from the base solution found from it.
    closed_ptr : intp[s + 1]
        Closed-state edits of scenario ``j`` are ``closed_ptr[j]:closed_ptr[j+1]``.
    closed_link : intp[e]
        Link of each closed-state edit.
    closed_value : uint8[e]
        New closed state (1 closed, 0 open) of that link.
    speed_ptr : intp[s + 1]
        Speed edits of scenario ``j`` are ``speed_ptr[j]:speed_ptr[j+1]``.
    speed_link : intp[g]
        Link of each speed edit.
    speed_value : float64[g]
        New relative speed (>= 0) of that link.

    Returns
    -------
    flow : float64[s, m]
        Link flows per scenario [m^3/s].
    pressure : float64[s, n]
        Node pressures per scenario [Pa].
    iterations : intp[s]
    residual : float64[s]
    status : intp[s]
        Per-scenario status, as :func:`solve_hydraulic` (an edit outside
        ``0..m-1`` gives ``STATUS_HYD_BAD_NODE_INDEX``, a bad speed
        ``STATUS_HYD_BAD_LINK_VALUE``).
    bad_index : intp[s]
    batch_status : int
        ``STATUS_OK``, or a status of the base inputs that stops every scenario.
    batch_bad_index : int

    Notes
    -----
    The symbolic factorization of ``topology`` and the per-link constants are
    shared by all scenarios.  The base network is solved first, from
    ``base_flow``, exactly as :func:`solve_hydraulic` would; a scenario then
    iterates only the connected components holding a link its edits change (a
    closed state, or a pump's speed) and copies the base solution everywhere
    else: the numeric factorization and the triangular solves run over those
    components' rows of ``L``, the flow update over their links.  The other
    components' flows count in the network-wide quantities as in a full solve
    (sum|Q| of the convergence test, largest flow, running pumps), so the
    result is the full solve of the scenario, warm-started from the base
    solution, to the tolerance.  A scenario that changes nothing returns the
    base solution (0 iterations, the base residual).  If the base network
    itself cannot be solved, every scenario is solved in full from
    ``base_flow``.  Per scenario O(size of the changed components) per
    iteration, plus copying the base solution.
    """
    cdef Py_ssize_t m = topology.n_links
    cdef Py_ssize_t n = topology.n_nodes
    cdef Py_ssize_t nu = topology.n_unknown
    cdef Py_ssize_t nc = topology.n_components
    cdef Py_ssize_t ns = closed_ptr.shape[0] - 1
    cdef Py_ssize_t j, i, e, k, c, t, p, n_edit, n_closed_edit, n_touch, na_link, na_row
    cdef Py_ssize_t bad = -1
    cdef int status
    cdef _Hyd h
    if ns < 0 or speed_ptr.shape[0] != ns + 1 or not topology._ready:
        ns = 0 if ns < 0 else ns
        return (np.zeros((ns, m)), np.zeros((ns, n)), np.zeros(ns, dtype=np.intp),
                np.zeros(ns), np.zeros(ns, dtype=np.intp), np.zeros(ns, dtype=np.intp),
                _HYD_BAD_SHAPE, -1)
    flows = np.zeros((ns, m), dtype=np.float64)
    pressures = np.zeros((ns, n), dtype=np.float64)
    iterations = np.zeros(ns, dtype=np.intp)
    residual = np.zeros(ns, dtype=np.float64)
    statuses = np.zeros(ns, dtype=np.intp)
    bads = np.full(ns, -1, dtype=np.intp)
    if (base_flow.shape[0] != m or closed_link.shape[0] != closed_value.shape[0]
            or speed_link.shape[0] != speed_value.shape[0]
            or closed_ptr[0] != 0 or closed_ptr[ns] != closed_link.shape[0]
            or speed_ptr[0] != 0 or speed_ptr[ns] != speed_link.shape[0]):
        return flows, pressures, iterations, residual, statuses, bads, _HYD_BAD_SHAPE, -1
    for j in range(ns):
        if closed_ptr[j + 1] < closed_ptr[j] or speed_ptr[j + 1] < speed_ptr[j]:
            return (flows, pressures, iterations, residual, statuses, bads,
                    _HYD_BAD_SHAPE, -1)
    ws = _Workspace(topology)
    status = _check_inputs(topology, kind, link_param, curve_ptr, curve_flow, curve_dp,
                           speed, closed, demand, fixed_pressure, density, viscosity, tol,
                           max_iter, ws, &bad)
    if status != _OK:
        return flows, pressures, iterations, residual, statuses, bads, status, bad

    cdef Py_ssize_t[::1] fixed = topology._fixed_nodes
    cdef Py_ssize_t[::1] comp_of_link = topology._comp_of_link
    cdef Py_ssize_t[::1] comp_link_ptr = topology._comp_link_ptr
    cdef Py_ssize_t[::1] comp_link = topology._comp_link
    cdef Py_ssize_t[::1] comp_row_ptr = topology._comp_row_ptr
    cdef Py_ssize_t[::1] comp_row = topology._comp_row

    # --- the base solution, from base_flow (a full solve) ---------------------------
    base_flow_arr = np.zeros(m + 1, dtype=np.float64)
    base_pressure_arr = np.zeros(n + 1, dtype=np.float64)
    cdef double[::1] base_f = base_flow_arr
    cdef double[::1] base_p = base_pressure_arr
    for k in range(m):
        base_f[k] = base_flow[k]
    for i in range(fixed.shape[0]):
        base_p[fixed[i]] = fixed_pressure[i]
    cdef Py_ssize_t base_it = 0
    cdef double base_res = 0.0
    cdef Py_ssize_t base_bad = -1
    cdef int base_status
    _bind(&h, topology, kind, curve_ptr, curve_flow, curve_dp, demand, density, ws)
    _set_reference(topology, fixed_pressure, ws)
    h.speed = &speed[0] if m else NULL
    h.closed = &closed[0] if m else NULL
    h.flow = &base_f[0]
    h.pressure = &base_p[0]
    with nogil:
        base_status = _gga(&h, tol, max_iter, &base_it, &base_res, &base_bad)
    cdef bint by_component = base_status == _OK

    scen_speed_arr = np.empty(m + 1, dtype=np.float64)
    scen_closed_arr = np.empty(m + 1, dtype=np.uint8)
    cdef double[::1] scen_speed = scen_speed_arr
    cdef unsigned char[::1] scen_closed = scen_closed_arr
    # per component: sum and largest |Q| of the base solution, pumps, running pumps
    comp_qsum_arr = np.zeros(nc + 1, dtype=np.float64)
    comp_qmax_arr = np.zeros(nc + 1, dtype=np.float64)
    comp_pumps_arr = np.zeros(nc + 1, dtype=np.intp)
    comp_running_arr = np.zeros(nc + 1, dtype=np.intp)
    stamp_arr = np.full(nc + 1, -1, dtype=np.intp)     # scenario that changed component c
    touched_arr = np.empty(nc + 1, dtype=np.intp)
    act_link_arr = np.empty(m + 1, dtype=np.intp)
    act_row_arr = np.empty(nu + 1, dtype=np.intp)
    cdef double[::1] comp_qsum = comp_qsum_arr
    cdef double[::1] comp_qmax = comp_qmax_arr
    cdef Py_ssize_t[::1] comp_pumps = comp_pumps_arr
    cdef Py_ssize_t[::1] comp_running = comp_running_arr
    cdef Py_ssize_t[::1] stamp = stamp_arr
    cdef Py_ssize_t[::1] touched = touched_arr
    cdef Py_ssize_t[::1] act_link = act_link_arr
    cdef Py_ssize_t[::1] act_row = act_row_arr
    cdef double[:, ::1] flows_v = flows
    cdef double[:, ::1] pressures_v = pressures
    cdef Py_ssize_t[::1] it_v = iterations
    cdef double[::1] res_v = residual
    cdef Py_ssize_t[::1] st_v = statuses
    cdef Py_ssize_t[::1] bad_v = bads
    cdef Py_ssize_t it_j = 0
    cdef double res_j = 0.0
    cdef double q
    cdef Py_ssize_t bad_j = -1
    cdef int st_j
    h.speed = &scen_speed[0]
    h.closed = &scen_closed[0]
    with nogil:
        for k in range(m):
            scen_speed[k] = speed[k]
            scen_closed[k] = 1 if closed[k] else 0
            c = comp_of_link[k]
            q = fabs(base_f[k])
            comp_qsum[c] += q
            if q > comp_qmax[c]:
                comp_qmax[c] = q
            if kind[k] == _PUMP:
                comp_pumps[c] += 1
                if not closed[k] and speed[k] > 0.0:
                    comp_running[c] += 1
        for j in range(ns):
            st_j = _OK
            bad_j = -1
            it_j = 0
            res_j = 0.0
            for e in range(closed_ptr[j], closed_ptr[j + 1]):
                k = closed_link[e]
                if k < 0 or k >= m:
                    st_j = _HYD_BAD_NODE_INDEX
                    bad_j = k
                    break
                scen_closed[k] = 1 if closed_value[e] else 0
            if st_j == _OK:
                for e in range(speed_ptr[j], speed_ptr[j + 1]):
                    k = speed_link[e]
                    if k < 0 or k >= m:
                        st_j = _HYD_BAD_NODE_INDEX
                        bad_j = k
                        break
                    if not (speed_value[e] >= 0.0 and isfinite(speed_value[e])):
                        st_j = _HYD_BAD_LINK_VALUE
                        bad_j = k
                        break
                    scen_speed[k] = speed_value[e]
            if st_j == _OK and not by_component:
                for k in range(m):
                    flows_v[j, k] = base_flow[k]
                for i in range(fixed.shape[0]):
                    pressures_v[j, fixed[i]] = fixed_pressure[i]
                h.flow = &flows_v[j, 0] if m else NULL
                h.pressure = &pressures_v[j, 0] if n else NULL
                st_j = _gga(&h, tol, max_iter, &it_j, &res_j, &bad_j)
            elif st_j == _OK:
                if m:
                    memcpy(&flows_v[j, 0], &base_f[0], m * sizeof(double))
                if n:
                    memcpy(&pressures_v[j, 0], &base_p[0], n * sizeof(double))
                # components holding a link whose closed state or pump speed changed
                n_closed_edit = closed_ptr[j + 1] - closed_ptr[j]
                n_edit = n_closed_edit + speed_ptr[j + 1] - speed_ptr[j]
                n_touch = 0
                for e in range(n_edit):
                    if e < n_closed_edit:
                        k = closed_link[closed_ptr[j] + e]
                    else:
                        k = speed_link[speed_ptr[j] + e - n_closed_edit]
                    if (scen_closed[k] != (1 if closed[k] else 0)
                            or (kind[k] == _PUMP and scen_speed[k] != speed[k])):
                        c = comp_of_link[k]
                        if stamp[c] != j:
                            stamp[c] = j
                            touched[n_touch] = c
                            n_touch += 1
                if n_touch == 0:
                    res_j = base_res
                else:
                    na_link = 0
                    na_row = 0
                    for t in range(n_touch):
                        c = touched[t]
                        for p in range(comp_link_ptr[c], comp_link_ptr[c + 1]):
                            act_link[na_link] = comp_link[p]
                            na_link += 1
                        for p in range(comp_row_ptr[c], comp_row_ptr[c + 1]):
                            act_row[na_row] = comp_row[p]
                            na_row += 1
                    h.act_link = &act_link[0]
                    h.n_act_link = na_link
                    h.act_row = &act_row[0]
                    h.n_act_row = na_row
                    h.held_qsum = 0.0
                    h.held_qmax = 0.0
                    h.held_pumps = 0
                    h.held_running = 0
                    for c in range(nc):
                        if stamp[c] != j:
                            h.held_qsum += comp_qsum[c]
                            if comp_qmax[c] > h.held_qmax:
                                h.held_qmax = comp_qmax[c]
                            h.held_pumps += comp_pumps[c]
                            h.held_running += comp_running[c]
                    h.flow = &flows_v[j, 0]
                    h.pressure = &pressures_v[j, 0]
                    st_j = _gga(&h, tol, max_iter, &it_j, &res_j, &bad_j)
            # back to the base state for the next scenario
            for e in range(closed_ptr[j], closed_ptr[j + 1]):
                k = closed_link[e]
                if k >= 0 and k < m:
                    scen_closed[k] = 1 if closed[k] else 0
            for e in range(speed_ptr[j], speed_ptr[j + 1]):
                k = speed_link[e]
                if k >= 0 and k < m:
                    scen_speed[k] = speed[k]
            st_v[j] = st_j
            bad_v[j] = bad_j
            it_v[j] = it_j
            res_v[j] = res_j
    return flows, pressures, iterations, residual, statuses, bads, _OK, -1
