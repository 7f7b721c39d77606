# Heat section of rackval._thermal (included by _thermal.pyx).
#
# Coolant temperatures in a loop network:
#   solve_advection  steady upwind advection with perfect mixing at junctions
#   step_transient   lumped capacities, implicit Euler, threshold detection
# Status codes 30-49.  Every name private to this section starts with _ht / _HT.
#
# Both solves end in the same kind of linear system,
#     diag_i T_i + sum_j a_ij T_j = r_i        (a_ij <= 0, an M-matrix),
# solved exactly by one method (``_ht_analyse`` / ``_ht_factor`` / ``_ht_solve``):
#   1. weakly connected components, each solved on its own;
#   2. strongly connected components (Tarjan) in topological order; inside each,
#      a depth-first search from the lump with the largest coupling (in a CDU
#      loop a pump or header node, through which every cycle passes);
#      reverse post-order numbers the lumps so that every coupling is lower
#      triangular except the DFS back edges, i.e. the loop closures;
#   3. the columns of those back edges ("cuts", K per component) are the only
#      unknowns the triangular sweep cannot see.  With A = L + U, U nonzero in
#      the cut columns Z only:  T = L^-1 r - W z,  W = L^-1 U_Z,  z = T_Z, so
#      (I + W_Z) z = (L^-1 r)_Z: a dense K x K system (capacitance matrix,
#      Woodbury), nonsingular exactly when A is (det A = det L det S).
# Cost: O(n + m) to order, O(sum_c K_c (n_c + m_c) + K_c^3) to factor, and per
# solve one triangular sweep plus, per component, T -= W z (K <= 8, W kept) or a
# second sweep with the cut columns fixed at z.  A coolant loop with one CDU has
# K = 1 (or the number of parallel pumps feeding the DFS root); more than
# _HT_MAX_CUTS in one connected part is refused (a mesh, not a loop network).

from libc.math cimport fabs, isfinite, NAN
from libc.stdlib cimport free, malloc

cdef enum:
    _HT_BAD_SHAPE = 30
    _HT_BAD_LINK = 31
    _HT_BAD_VALUE = 32
    _HT_NO_FLOW_HEAT = 33
    _HT_NO_INFLOW = 34
    _HT_NO_REJECTION = 35
    _HT_SINGULAR = 36
    _HT_NO_MEMORY = 37
    _HT_TOO_MANY_LOOPS = 38
    _HT_BAD_CAPACITY = 40
    _HT_BAD_POWER = 41
    _HT_BAD_INITIAL = 42
    _HT_BAD_CONDUCTANCE = 43
    _HT_BAD_ADVECTION = 44
    _HT_BAD_BOUNDARY = 45
    _HT_BAD_WATCH = 46
    _HT_BAD_STEP = 47
    _HT_TRANSIENT_SINGULAR = 48

# --- heat status codes (bad_index in brackets) --------------------------------
STATUS_HEAT_BAD_SHAPE = _HT_BAD_SHAPE          # array lengths disagree [-1]
STATUS_HEAT_BAD_LINK = _HT_BAD_LINK            # link end outside [0, n) or from == to [link]
STATUS_HEAT_BAD_VALUE = _HT_BAD_VALUE          # flow, heat, rejection or sink bad [link; -1]
STATUS_HEAT_NO_FLOW_HEAT = _HT_NO_FLOW_HEAT    # heat on a link without flow [link]
STATUS_HEAT_NO_INFLOW = _HT_NO_INFLOW          # node with outflow but no inflow [node]
STATUS_HEAT_NO_REJECTION = _HT_NO_REJECTION    # a closed loop without heat exchanger [node]
STATUS_HEAT_SINGULAR = _HT_SINGULAR            # system numerically singular [node]
STATUS_HEAT_NO_MEMORY = _HT_NO_MEMORY          # allocation failed [-1]
STATUS_HEAT_TOO_MANY_LOOPS = _HT_TOO_MANY_LOOPS  # > HEAT_MAX_LOOP_CLOSURES in one part [node]
STATUS_TRANSIENT_BAD_CAPACITY = _HT_BAD_CAPACITY      # C < 0 or not finite [lump]
STATUS_TRANSIENT_BAD_POWER = _HT_BAD_POWER            # P < 0 or not finite [lump]
STATUS_TRANSIENT_BAD_INITIAL = _HT_BAD_INITIAL        # initial T not finite [lump]
STATUS_TRANSIENT_BAD_CONDUCTANCE = _HT_BAD_CONDUCTANCE  # conduction link bad [link]
STATUS_TRANSIENT_BAD_ADVECTION = _HT_BAD_ADVECTION    # advection link bad [link]
STATUS_TRANSIENT_BAD_BOUNDARY = _HT_BAD_BOUNDARY      # boundary term bad [entry]
STATUS_TRANSIENT_BAD_WATCH = _HT_BAD_WATCH            # watch index or limit bad [entry]
STATUS_TRANSIENT_BAD_STEP = _HT_BAD_STEP              # dt, n_steps or record_every bad [-1]
STATUS_TRANSIENT_SINGULAR = _HT_TRANSIENT_SINGULAR    # lump without capacity or path [lump]

# Pivot threshold of the capacitance matrix S = I + W_Z (|entries of W| <= 1).
cdef double _HT_PIVOT_TOL = 1e-12
# A lump's diagonal after eliminating its leaves must keep this fraction of the
# original (else it has neither capacity nor a path to one: singular).
cdef double _HT_DIAG_TOL = 1e-13
# Loop closures (cut columns) per connected part: the dense S costs K^3/3 and its
# columns K sweeps.  Coolant loops have K of order the number of CDUs; a mesh with
# thousands of independent cycles is refused rather than solved for minutes.
cdef Py_ssize_t _HT_MAX_CUTS = 1000
# Keep the W columns (K n_c doubles) when K is this small: one sweep per solve
# instead of two.
cdef Py_ssize_t _HT_W_MAX_CUTS = 8
HEAT_MAX_LOOP_CLOSURES = _HT_MAX_CUTS


cdef struct _HtSys:
    Py_ssize_t n          # lumps (rows)
    Py_ssize_t n_act      # lumps in the system
    Py_ssize_t n_comp     # weakly connected components
    Py_ssize_t n_scc      # strongly connected components
    Py_ssize_t n_cut      # cut columns (unknowns of the capacitance systems)
    Py_ssize_t nnz_l      # lower entries
    Py_ssize_t *order     # [n_act] lump at each position
    Py_ssize_t *pos       # [n] position of each lump, -1 if not in the system
    Py_ssize_t *scc_id    # [n] strongly connected component of each lump
    Py_ssize_t *scc_size  # [n_scc]
    Py_ssize_t *comp_ptr  # [n_comp + 1] position range of each component
    Py_ssize_t *comp_cut  # [n_comp + 1] cut range of each component
    Py_ssize_t *cut_id    # [n] cut index of each lump, -1 if not a cut column
    Py_ssize_t *cut_lump  # [n_cut] lump of each cut column
    Py_ssize_t *cut_ws    # [n_cut] first position where its W column is nonzero
    Py_ssize_t *cut_woff  # [n_cut + 1] offsets of the W columns in w
    Py_ssize_t *s_off     # [n_comp + 1] offsets of the dense S blocks in s
    Py_ssize_t *piv       # [n_cut] row swaps of the S factorizations
    Py_ssize_t *lp        # [n_act + 1] lower entries by position
    Py_ssize_t *lc        # [nnz_l] column lump
    double *lv            # [nnz_l] value a_ij
    Py_ssize_t *up        # [n_act + 1] upper entries (cut columns) by position
    Py_ssize_t *uc        # column lump
    double *uv            # value a_ij
    Py_ssize_t *comp_w    # [n_comp] 1 if the component keeps its W columns
    double *diag          # [n]
    double *dinv          # [n] 1 / diag (the sweeps multiply: shorter dependency chain)
    double *w             # W columns, each over [cut_ws, component end)
    double *s             # LU factors of S, one dense K x K block per component
    double *z             # [max K] scratch


cdef inline Py_ssize_t *_ht_ialloc(Py_ssize_t k) noexcept nogil:
    return <Py_ssize_t *>malloc((k if k > 0 else 1) * sizeof(Py_ssize_t))


cdef inline double *_ht_dalloc(Py_ssize_t k) noexcept nogil:
    return <double *>malloc((k if k > 0 else 1) * sizeof(double))


cdef void _ht_init(_HtSys *h) noexcept nogil:
    h.n = 0
    h.n_act = 0
    h.n_comp = 0
    h.n_scc = 0
    h.n_cut = 0
    h.nnz_l = 0
    h.order = NULL
    h.pos = NULL
    h.scc_id = NULL
    h.scc_size = NULL
    h.comp_ptr = NULL
    h.comp_cut = NULL
    h.cut_id = NULL
    h.cut_lump = NULL
    h.cut_ws = NULL
    h.cut_woff = NULL
    h.s_off = NULL
    h.piv = NULL
    h.lp = NULL
    h.lc = NULL
    h.lv = NULL
    h.up = NULL
    h.uc = NULL
    h.uv = NULL
    h.comp_w = NULL
    h.diag = NULL
    h.dinv = NULL
    h.w = NULL
    h.s = NULL
    h.z = NULL


cdef void _ht_free(_HtSys *h) noexcept nogil:
    free(h.order)
    free(h.pos)
    free(h.scc_id)
    free(h.scc_size)
    free(h.comp_ptr)
    free(h.comp_cut)
    free(h.cut_id)
    free(h.cut_lump)
    free(h.cut_ws)
    free(h.cut_woff)
    free(h.s_off)
    free(h.piv)
    free(h.lp)
    free(h.lc)
    free(h.lv)
    free(h.up)
    free(h.uc)
    free(h.uv)
    free(h.comp_w)
    free(h.diag)
    free(h.dinv)
    free(h.w)
    free(h.s)
    free(h.z)
    _ht_init(h)


cdef inline Py_ssize_t _ht_find(Py_ssize_t *parent, Py_ssize_t i) noexcept nogil:
    """Union-find root with path halving."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


cdef int _ht_analyse(_HtSys *h, Py_ssize_t n, const Py_ssize_t *active,
                     const Py_ssize_t *rp, const Py_ssize_t *rc,
                     const double *weight, Py_ssize_t *bad) noexcept nogil:
    """Number the active lumps and find the cut columns (steps 1-3 above).

    The off-diagonal entries of row ``i`` are ``rc[rp[i]:rp[i+1]]`` (column
    lumps; entries touching an inactive lump are ignored); ``weight`` picks
    the DFS root of each strongly connected component (largest first).
    """
    cdef Py_ssize_t i, j, e, k, q, v, w, u, top, sp, nscc, emitted, counter
    cdef Py_ssize_t a, b, best, cnt, nxt, c, p, ra, rb, n_act, n_comp
    cdef int status = _OK
    cdef Py_ssize_t *parent = _ht_ialloc(n)
    cdef Py_ssize_t *lab = _ht_ialloc(n)
    cdef Py_ssize_t *byc = _ht_ialloc(n)
    cdef Py_ssize_t *cstart = _ht_ialloc(n + 1)
    cdef Py_ssize_t *tp = _ht_ialloc(n + 1)
    cdef Py_ssize_t *tr = _ht_ialloc(rp[n])
    cdef Py_ssize_t *idx = _ht_ialloc(n)
    cdef Py_ssize_t *low = _ht_ialloc(n)
    cdef Py_ssize_t *flag = _ht_ialloc(n)
    cdef Py_ssize_t *stk = _ht_ialloc(n)
    cdef Py_ssize_t *cs_v = _ht_ialloc(n)
    cdef Py_ssize_t *cs_e = _ht_ialloc(n)
    cdef Py_ssize_t *scc_nodes = _ht_ialloc(n)
    cdef Py_ssize_t *scc_ptr = _ht_ialloc(n + 1)

    h.n = n
    h.order = _ht_ialloc(n)
    h.pos = _ht_ialloc(n)
    h.scc_id = _ht_ialloc(n)
    h.cut_id = _ht_ialloc(n)
    if (parent == NULL or lab == NULL or byc == NULL or cstart == NULL or tp == NULL
            or tr == NULL or idx == NULL or low == NULL or flag == NULL or stk == NULL
            or cs_v == NULL or cs_e == NULL or scc_nodes == NULL or scc_ptr == NULL
            or h.order == NULL or h.pos == NULL or h.scc_id == NULL or h.cut_id == NULL):
        status = _HT_NO_MEMORY
    else:
        # 1. weakly connected components (union-find, smallest index as root)
        for i in range(n):
            parent[i] = i
        for i in range(n):
            if not active[i]:
                continue
            for e in range(rp[i], rp[i + 1]):
                j = rc[e]
                if not active[j]:
                    continue
                ra = _ht_find(parent, i)
                rb = _ht_find(parent, j)
                if ra < rb:
                    parent[rb] = ra
                elif rb < ra:
                    parent[ra] = rb
        n_comp = 0
        n_act = 0
        for i in range(n):
            lab[i] = -1
            if not active[i]:
                continue
            n_act += 1
            ra = _ht_find(parent, i)
            if ra == i:
                lab[i] = n_comp
                n_comp += 1
            else:
                lab[i] = lab[ra]
        for c in range(n_comp + 1):
            cstart[c] = 0
        for i in range(n):
            if active[i]:
                cstart[lab[i] + 1] += 1
        for c in range(n_comp):
            cstart[c + 1] += cstart[c]
        for i in range(n):
            if active[i]:
                byc[cstart[lab[i]]] = i
                cstart[lab[i]] += 1
        h.n_act = n_act
        h.n_comp = n_comp

        # out-adjacency: entry (i, j) means T_i depends on T_j, edge j -> i
        for i in range(n + 1):
            tp[i] = 0
        for i in range(n):
            if not active[i]:
                continue
            for e in range(rp[i], rp[i + 1]):
                j = rc[e]
                if active[j]:
                    tp[j + 1] += 1
        for i in range(n):
            tp[i + 1] += tp[i]
        for i in range(n):
            idx[i] = tp[i]
        for i in range(n):
            if not active[i]:
                continue
            for e in range(rp[i], rp[i + 1]):
                j = rc[e]
                if active[j]:
                    tr[idx[j]] = i
                    idx[j] += 1

        # 2a. Tarjan, roots grouped by component: SCCs come out in reverse
        # topological order, the SCCs of one component consecutively
        for i in range(n):
            idx[i] = -1
            flag[i] = 0
        counter = 0
        sp = 0
        nscc = 0
        emitted = 0
        for q in range(n_act):
            u = byc[q]
            if idx[u] != -1:
                continue
            top = 0
            cs_v[0] = u
            cs_e[0] = tp[u]
            idx[u] = counter
            low[u] = counter
            counter += 1
            stk[sp] = u
            sp += 1
            flag[u] = 1
            while top >= 0:
                v = cs_v[top]
                e = cs_e[top]
                if e < tp[v + 1]:
                    cs_e[top] = e + 1
                    w = tr[e]
                    if idx[w] == -1:
                        idx[w] = counter
                        low[w] = counter
                        counter += 1
                        stk[sp] = w
                        sp += 1
                        flag[w] = 1
                        top += 1
                        cs_v[top] = w
                        cs_e[top] = tp[w]
                    elif flag[w] and idx[w] < low[v]:
                        low[v] = idx[w]
                else:
                    top -= 1
                    if low[v] == idx[v]:
                        scc_ptr[nscc] = emitted
                        while True:
                            sp -= 1
                            w = stk[sp]
                            flag[w] = 0
                            h.scc_id[w] = nscc
                            scc_nodes[emitted] = w
                            emitted += 1
                            if w == v:
                                break
                        nscc += 1
                    if top >= 0:
                        u = cs_v[top]
                        if low[v] < low[u]:
                            low[u] = low[v]
        scc_ptr[nscc] = emitted
        h.n_scc = nscc
        h.scc_size = _ht_ialloc(nscc)
        h.comp_ptr = _ht_ialloc(n_comp + 1)
        h.comp_cut = _ht_ialloc(n_comp + 1)
        if h.scc_size == NULL or h.comp_ptr == NULL or h.comp_cut == NULL:
            status = _HT_NO_MEMORY

    if status == _OK:
        # 2b. SCCs in topological order; DFS inside each from the heaviest lump;
        # reverse post-order gives the positions
        for i in range(n):
            h.pos[i] = -1
        nxt = 0
        c = 0
        for k in range(nscc - 1, -1, -1):
            a = scc_ptr[k]
            b = scc_ptr[k + 1]
            h.scc_size[k] = b - a
            best = scc_nodes[a]
            for q in range(a + 1, b):
                v = scc_nodes[q]
                if weight[v] > weight[best] or (weight[v] == weight[best] and v < best):
                    best = v
            cnt = 0
            top = 0
            cs_v[0] = best
            cs_e[0] = tp[best]
            flag[best] = 1
            while top >= 0:
                v = cs_v[top]
                e = cs_e[top]
                if e < tp[v + 1]:
                    cs_e[top] = e + 1
                    w = tr[e]
                    if flag[w] == 0 and h.scc_id[w] == k:
                        flag[w] = 1
                        top += 1
                        cs_v[top] = w
                        cs_e[top] = tp[w]
                else:
                    flag[v] = 2
                    stk[cnt] = v
                    cnt += 1
                    top -= 1
            if nxt == 0 or lab[h.order[nxt - 1]] != lab[best]:
                h.comp_ptr[c] = nxt
                c += 1
            for q in range(cnt):
                v = stk[cnt - 1 - q]
                h.order[nxt + q] = v
                h.pos[v] = nxt + q
            nxt += cnt
        h.comp_ptr[c] = nxt

        # 3. cut columns: upper entries (column numbered after the row)
        h.cut_lump = _ht_ialloc(n_act)
        h.cut_ws = _ht_ialloc(n_act)
        if h.cut_lump == NULL or h.cut_ws == NULL:
            status = _HT_NO_MEMORY
        else:
            for i in range(n):
                h.cut_id[i] = -1
            h.n_cut = 0
            for c in range(h.n_comp):
                h.comp_cut[c] = h.n_cut
                for p in range(h.comp_ptr[c], h.comp_ptr[c + 1]):
                    i = h.order[p]
                    for e in range(rp[i], rp[i + 1]):
                        j = rc[e]
                        if active[j] and h.pos[j] > p and h.cut_id[j] == -1:
                            h.cut_id[j] = h.n_cut
                            h.cut_lump[h.n_cut] = j
                            h.cut_ws[h.n_cut] = p
                            h.n_cut += 1
                if h.n_cut - h.comp_cut[c] > _HT_MAX_CUTS:
                    bad[0] = h.order[h.comp_ptr[c]]
                    status = _HT_TOO_MANY_LOOPS
                    break
            h.comp_cut[h.n_comp] = h.n_cut

    free(parent)
    free(lab)
    free(byc)
    free(cstart)
    free(tp)
    free(tr)
    free(idx)
    free(low)
    free(flag)
    free(stk)
    free(cs_v)
    free(cs_e)
    free(scc_nodes)
    free(scc_ptr)
    return status


cdef int _ht_factor(_HtSys *h, const Py_ssize_t *active, const Py_ssize_t *rp,
                    const Py_ssize_t *rc, const double *rv, const double *diag,
                    Py_ssize_t *bad) noexcept nogil:
    """Lower and upper rows by position, the S blocks (LU) and the small W columns."""
    cdef Py_ssize_t n = h.n
    cdef Py_ssize_t i, j, e, p, g, c, k, col, kk, K, a, b, ws, off, big, max_k = 0
    cdef Py_ssize_t nnz_u = 0, ku = 0, total_w = 0, total_s = 0
    cdef double x_i, t, pivot
    cdef double *blk
    cdef int status = _OK
    cdef Py_ssize_t *upc = _ht_ialloc(h.n_cut + 1)
    cdef Py_ssize_t *ur = NULL
    cdef double *urv = NULL
    cdef double *x = _ht_dalloc(n)

    h.diag = _ht_dalloc(n)
    h.dinv = _ht_dalloc(n)
    h.lp = _ht_ialloc(h.n_act + 1)
    h.up = _ht_ialloc(h.n_act + 1)
    h.cut_woff = _ht_ialloc(h.n_cut + 1)
    h.s_off = _ht_ialloc(h.n_comp + 1)
    h.piv = _ht_ialloc(h.n_cut)
    h.comp_w = _ht_ialloc(h.n_comp)
    if (upc == NULL or x == NULL or h.diag == NULL or h.dinv == NULL or h.lp == NULL
            or h.up == NULL
            or h.cut_woff == NULL or h.s_off == NULL or h.piv == NULL or h.comp_w == NULL):
        status = _HT_NO_MEMORY
    else:
        for i in range(n):
            h.diag[i] = diag[i]
            h.dinv[i] = 1.0 / diag[i] if diag[i] != 0.0 else 0.0
            x[i] = 0.0
            if h.pos[i] >= 0 and not (diag[i] > 0.0 and isfinite(diag[i])):
                bad[0] = i
                status = _HT_SINGULAR
                break

    if status == _OK:
        # count lower and upper entries per position, upper entries per cut
        h.lp[0] = 0
        h.up[0] = 0
        for g in range(h.n_cut + 1):
            upc[g] = 0
        for p in range(h.n_act):
            i = h.order[p]
            h.lp[p + 1] = h.lp[p]
            h.up[p + 1] = h.up[p]
            for e in range(rp[i], rp[i + 1]):
                j = rc[e]
                if not active[j]:
                    continue
                if h.pos[j] < p:
                    h.lp[p + 1] += 1
                else:
                    h.up[p + 1] += 1
                    upc[h.cut_id[j] + 1] += 1
        for g in range(h.n_cut):
            upc[g + 1] += upc[g]
        nnz_u = upc[h.n_cut]
        h.nnz_l = h.lp[h.n_act]
        h.lc = _ht_ialloc(h.nnz_l)
        h.lv = _ht_dalloc(h.nnz_l)
        h.uc = _ht_ialloc(nnz_u)
        h.uv = _ht_dalloc(nnz_u)
        ur = _ht_ialloc(nnz_u)
        urv = _ht_dalloc(nnz_u)
        if (h.lc == NULL or h.lv == NULL or h.uc == NULL or h.uv == NULL or ur == NULL
                or urv == NULL):
            status = _HT_NO_MEMORY

    if status == _OK:
        k = 0
        for p in range(h.n_act):
            i = h.order[p]
            for e in range(rp[i], rp[i + 1]):
                j = rc[e]
                if not active[j]:
                    continue
                if h.pos[j] < p:
                    h.lc[k] = j
                    h.lv[k] = rv[e]
                    k += 1
                else:
                    h.uc[ku] = j
                    h.uv[ku] = rv[e]
                    ku += 1
                    g = h.cut_id[j]
                    ur[upc[g]] = i
                    urv[upc[g]] = rv[e]
                    upc[g] += 1
        for g in range(h.n_cut, 0, -1):
            upc[g] = upc[g - 1]
        upc[0] = 0

        # offsets of the S blocks and of the W columns kept (small K only)
        h.cut_woff[0] = 0
        h.s_off[0] = 0
        for c in range(h.n_comp):
            K = h.comp_cut[c + 1] - h.comp_cut[c]
            if K > max_k:
                max_k = K
            h.s_off[c + 1] = h.s_off[c] + K * K
            h.comp_w[c] = K <= _HT_W_MAX_CUTS
            for g in range(h.comp_cut[c], h.comp_cut[c + 1]):
                h.cut_woff[g + 1] = h.cut_woff[g]
                if h.comp_w[c]:
                    h.cut_woff[g + 1] += h.comp_ptr[c + 1] - h.cut_ws[g]
        total_w = h.cut_woff[h.n_cut]
        total_s = h.s_off[h.n_comp]
        h.w = _ht_dalloc(total_w)
        h.s = _ht_dalloc(total_s)
        h.z = _ht_dalloc(max_k)
        if h.w == NULL or h.s == NULL or h.z == NULL:
            status = _HT_NO_MEMORY

    if status == _OK:
        for c in range(h.n_comp):
            b = h.comp_ptr[c + 1]
            a = h.comp_cut[c]
            K = h.comp_cut[c + 1] - a
            blk = h.s + h.s_off[c]
            # column g of W = L^-1 (column g of U), nonzero on positions [ws, b);
            # S = I + W restricted to the cut rows
            for g in range(a, a + K):
                ws = h.cut_ws[g]
                off = h.cut_woff[g] - ws
                for e in range(upc[g], upc[g + 1]):
                    x[ur[e]] += urv[e]
                for p in range(ws, b):
                    i = h.order[p]
                    x_i = x[i]
                    for e in range(h.lp[p], h.lp[p + 1]):
                        x_i -= h.lv[e] * x[h.lc[e]]
                    x_i /= h.diag[i]
                    x[i] = x_i
                    if h.comp_w[c]:
                        h.w[off + p] = x_i
                col = g - a
                for k in range(K):
                    blk[k * K + col] = (1.0 if k == col else 0.0) + x[h.cut_lump[a + k]]
                for p in range(ws, b):
                    x[h.order[p]] = 0.0
            # LU with partial pivoting
            for k in range(K):
                big = k
                for kk in range(k + 1, K):
                    if fabs(blk[kk * K + k]) > fabs(blk[big * K + k]):
                        big = kk
                h.piv[a + k] = big
                if big != k:
                    for col in range(K):
                        t = blk[k * K + col]
                        blk[k * K + col] = blk[big * K + col]
                        blk[big * K + col] = t
                pivot = blk[k * K + k]
                if not (fabs(pivot) > _HT_PIVOT_TOL):
                    bad[0] = h.cut_lump[a + k]
                    status = _HT_SINGULAR
                    break
                for kk in range(k + 1, K):
                    blk[kk * K + k] /= pivot
                    t = blk[kk * K + k]
                    if t != 0.0:
                        for col in range(k + 1, K):
                            blk[kk * K + col] -= t * blk[k * K + col]
            if status != _OK:
                break

    free(upc)
    free(ur)
    free(urv)
    free(x)
    return status


cdef void _ht_solve(const _HtSys *h, const double *rhs, double *t) noexcept nogil:
    """Solve diag T + A_off T = rhs on the active lumps (rhs, t lump-indexed).

    Per component: y = L^-1 rhs (one sweep); z = S^-1 y_Z; then T = y - W z with
    the W columns kept, else a second sweep with the cut columns fixed at z.
    """
    cdef Py_ssize_t c, p, e, i, a, b, K, k, col, g, ws, off
    cdef double s
    cdef double *blk
    cdef double *z = h.z
    for c in range(h.n_comp):
        b = h.comp_ptr[c + 1]
        for p in range(h.comp_ptr[c], b):
            i = h.order[p]
            s = rhs[i]
            for e in range(h.lp[p], h.lp[p + 1]):
                s -= h.lv[e] * t[h.lc[e]]
            t[i] = s * h.dinv[i]
        a = h.comp_cut[c]
        K = h.comp_cut[c + 1] - a
        if K == 0:
            continue
        blk = h.s + h.s_off[c]
        for k in range(K):
            z[k] = t[h.cut_lump[a + k]]
        for k in range(K):
            col = h.piv[a + k]
            if col != k:
                s = z[k]
                z[k] = z[col]
                z[col] = s
        for k in range(K):
            s = z[k]
            for col in range(k):
                s -= blk[k * K + col] * z[col]
            z[k] = s
        for k in range(K - 1, -1, -1):
            s = z[k]
            for col in range(k + 1, K):
                s -= blk[k * K + col] * z[col]
            z[k] = s / blk[k * K + k]
        if h.comp_w[c]:
            for col in range(K):
                g = a + col
                s = z[col]
                if s == 0.0:
                    continue
                ws = h.cut_ws[g]
                off = h.cut_woff[g] - ws
                for p in range(ws, b):
                    t[h.order[p]] -= s * h.w[off + p]
        else:
            # rows before the first cut's first upper entry are already final
            for p in range(h.cut_ws[a], b):
                i = h.order[p]
                s = rhs[i]
                for e in range(h.lp[p], h.lp[p + 1]):
                    s -= h.lv[e] * t[h.lc[e]]
                for e in range(h.up[p], h.up[p + 1]):
                    s -= h.uv[e] * z[h.cut_id[h.uc[e]] - a]
                t[i] = s * h.dinv[i]


cdef void _ht_to_positions(_HtSys *h, double *work_d, Py_ssize_t *work_i) noexcept nogil:
    """Renumber a factored system so that lump = position (identity order).

    ``_ht_solve`` then reads and writes ``rhs`` and ``t`` indexed by position.
    ``work_d`` and ``work_i`` need ``n_act`` entries.
    """
    cdef Py_ssize_t e, g, p, i
    for e in range(h.nnz_l):
        h.lc[e] = h.pos[h.lc[e]]
    if h.up != NULL:
        for e in range(h.up[h.n_act]):
            h.uc[e] = h.pos[h.uc[e]]
    for g in range(h.n_cut):
        h.cut_lump[g] = h.pos[h.cut_lump[g]]
    for p in range(h.n_act):
        work_d[p] = h.diag[h.order[p]]
        work_i[p] = h.cut_id[h.order[p]]
    for p in range(h.n_act):
        h.diag[p] = work_d[p]
        h.cut_id[p] = work_i[p]
    for p in range(h.n_act):
        work_d[p] = h.dinv[h.order[p]]
    for p in range(h.n_act):
        h.dinv[p] = work_d[p]
        h.order[p] = p
    for i in range(h.n):
        h.pos[i] = i if i < h.n_act else -1


cdef void _ht_csr(Py_ssize_t n, Py_ssize_t ne, const Py_ssize_t *row,
                  const Py_ssize_t *col, const double *val, Py_ssize_t *rp,
                  Py_ssize_t *rc, double *rv) noexcept nogil:
    """Entries (row, col, val) to CSR by row (counting sort, order kept)."""
    cdef Py_ssize_t i, k
    for i in range(n + 1):
        rp[i] = 0
    for k in range(ne):
        rp[row[k] + 1] += 1
    for i in range(n):
        rp[i + 1] += rp[i]
    for k in range(ne):
        i = row[k]
        rc[rp[i]] = col[k]
        rv[rp[i]] = val[k]
        rp[i] += 1
    for i in range(n, 0, -1):
        rp[i] = rp[i - 1]
    rp[0] = 0


def solve_advection(Py_ssize_t n, const Py_ssize_t[::1] link_from,
                    const Py_ssize_t[::1] link_to, const double[::1] flow,
                    const double[::1] heat, const double[::1] rejection,
                    const double[::1] sink_temperature, double rho_cp,
                    double zero_flow):
    """Steady coolant temperatures of a loop network with known flows.

    Parameters
    ----------
    n : int
        Number of nodes.
    link_from, link_to : intp[m]
        End nodes of each link; flow > 0 runs from ``link_from`` to ``link_to``.
    flow : float64[m]
        Volumetric flow of each link, signed. [m³/s]
    heat : float64[m]
        Heat added to the coolant in each link (>= 0). [W]
    rejection : float64[m]
        Fraction phi = eps C_min / C_hot of the inlet-to-sink temperature
        difference a heat exchanger removes, in [0, 1] (0 for other links). [-]
    sink_temperature : float64[m]
        Cold-side inlet temperature of each heat exchanger (any finite value
        where rejection is 0). [K]
    rho_cp : float
        Volumetric heat capacity of the coolant. [J/(m³·K)]
    zero_flow : float
        Links with ``|flow| <= zero_flow`` carry no heat. [m³/s]

    Returns
    -------
    node_temperature : float64[n]
        Mixed temperature of each node; NaN where no coolant flows. [K]
    link_outlet : float64[m]
        Temperature leaving each link at its downstream end; NaN without flow. [K]
    n_cut : int
        Size of the dense capacitance systems (loop closures), summed.
    status : int
        ``STATUS_OK`` or one of the ``STATUS_HEAT_*`` codes.
    bad_index : int
        Offending link or node (see the status), -1 if none.

    Notes
    -----
    Along its flow, link k maps inlet to outlet temperature
    ``T_out = (1 - phi) T_in + phi T_sink + P / (rho c_p |Q|)``; a node mixes
    its inflows, ``C_in,v T_v = sum_k C_k T_out,k`` with ``C = rho c_p |Q|``.
    Multiplied out, node v's row is
    ``C_in,v T_v - sum_k C_k (1 - phi_k) T_up,k = sum_k (P_k + C_k phi_k T_sink,k)``,
    an M-matrix solved exactly (see the section header).  A strongly connected
    part of the flow graph without a rejecting link has no steady state.
    """
    cdef Py_ssize_t m = link_from.shape[0]
    node_t = np.full(n if n > 0 else 0, np.nan, dtype=np.float64)
    link_out = np.full(m, np.nan, dtype=np.float64)
    if (n < 0 or link_to.shape[0] != m or flow.shape[0] != m or heat.shape[0] != m
            or rejection.shape[0] != m or sink_temperature.shape[0] != m):
        return node_t, link_out, 0, _HT_BAD_SHAPE, -1
    if not (rho_cp > 0.0 and isfinite(rho_cp)) or not (zero_flow >= 0.0 and isfinite(zero_flow)):
        return node_t, link_out, 0, _HT_BAD_VALUE, -1

    cdef double[::1] tv = node_t
    cdef double[::1] ov = link_out
    cap_a = np.zeros(m, dtype=np.float64)
    er_a = np.empty(m, dtype=np.intp)
    ec_a = np.empty(m, dtype=np.intp)
    ev_a = np.empty(m, dtype=np.float64)
    act_a = np.zeros(n, dtype=np.intp)
    rp_a = np.empty(n + 1, dtype=np.intp)
    rc_a = np.empty(m, dtype=np.intp)
    rv_a = np.empty(m, dtype=np.float64)
    inflow_a = np.zeros(n, dtype=np.float64)
    outflow_a = np.zeros(n, dtype=np.float64)
    rhs_a = np.zeros(n, dtype=np.float64)
    closed_a = np.ones(max(n, 1), dtype=np.intp)
    cdef double[::1] cap = cap_a
    cdef Py_ssize_t[::1] er = er_a
    cdef Py_ssize_t[::1] ec = ec_a
    cdef double[::1] ev = ev_a
    cdef Py_ssize_t[::1] act = act_a
    cdef Py_ssize_t[::1] rp = rp_a
    cdef Py_ssize_t[::1] rc = rc_a
    cdef double[::1] rv = rv_a
    cdef double[::1] inflow = inflow_a
    cdef double[::1] outflow = outflow_a
    cdef double[::1] rhs = rhs_a
    cdef Py_ssize_t[::1] closed = closed_a
    cdef Py_ssize_t k, i, u, d, s, ne = 0, n_cut = 0
    cdef Py_ssize_t bad = -1
    cdef int status = _OK
    cdef double q, phi, cdot, p
    cdef _HtSys h
    _ht_init(&h)

    with nogil:
        for k in range(m):
            u = link_from[k]
            d = link_to[k]
            if u < 0 or u >= n or d < 0 or d >= n or u == d:
                status = _HT_BAD_LINK
                break
            q = flow[k]
            p = heat[k]
            phi = rejection[k]
            if (not isfinite(q) or not (p >= 0.0 and isfinite(p))
                    or not (phi >= 0.0 and phi <= 1.0)
                    or not isfinite(sink_temperature[k])):
                status = _HT_BAD_VALUE
                break
            if q < 0.0:
                u, d = d, u
                q = -q
            if q <= zero_flow:
                if p > 0.0:
                    status = _HT_NO_FLOW_HEAT
                    break
                continue
            cdot = rho_cp * q
            cap[k] = cdot
            inflow[d] += cdot
            outflow[u] += cdot
            rhs[d] += p + cdot * phi * sink_temperature[k]
            if phi < 1.0:
                # entry (d, u): T_d depends on T_u
                er[ne] = d
                ec[ne] = u
                ev[ne] = -cdot * (1.0 - phi)
                ne += 1
        if status != _OK:
            bad = k
        else:
            for i in range(n):
                if inflow[i] > 0.0:
                    act[i] = 1
                elif outflow[i] > 0.0:
                    status = _HT_NO_INFLOW
                    bad = i
                    break
        if status == _OK and n > 0:
            _ht_csr(n, ne, &er[0] if m > 0 else NULL, &ec[0] if m > 0 else NULL,
                    &ev[0] if m > 0 else NULL, &rp[0], &rc[0] if m > 0 else NULL,
                    &rv[0] if m > 0 else NULL)
            status = _ht_analyse(&h, n, &act[0], &rp[0], &rc[0] if m > 0 else NULL,
                                 &inflow[0], &bad)
            if status == _OK:
                # A strongly connected part is singular when it is closed: every
                # inflow of its nodes comes from inside it through a link that
                # rejects nothing (a loop without heat exchanger).
                for k in range(m):
                    if cap[k] > 0.0:
                        u = link_from[k]
                        d = link_to[k]
                        if flow[k] < 0.0:
                            u, d = d, u
                        s = h.scc_id[d]
                        if rejection[k] > 0.0 or h.scc_id[u] != s:
                            closed[s] = 0
                for i in range(n):
                    if act[i] and h.scc_size[h.scc_id[i]] > 1 and closed[h.scc_id[i]]:
                        status = _HT_NO_REJECTION
                        bad = i
                        break
            if status == _OK:
                status = _ht_factor(&h, &act[0], &rp[0], &rc[0] if m > 0 else NULL,
                                    &rv[0] if m > 0 else NULL, &inflow[0], &bad)
            if status == _OK:
                _ht_solve(&h, &rhs[0], &tv[0])
                for k in range(m):
                    if cap[k] > 0.0:
                        u = link_from[k]
                        if flow[k] < 0.0:
                            u = link_to[k]
                        phi = rejection[k]
                        ov[k] = ((1.0 - phi) * tv[u] + phi * sink_temperature[k]
                                 + heat[k] / cap[k])
            n_cut = h.n_cut
            _ht_free(&h)
    if status != _OK:
        node_t[:] = np.nan
        link_out[:] = np.nan
    return node_t, link_out, n_cut, status, bad


def step_transient(const double[::1] capacity, const double[::1] power,
                   const double[::1] initial,
                   const Py_ssize_t[::1] cond_a, const Py_ssize_t[::1] cond_b,
                   const double[::1] cond_g,
                   const Py_ssize_t[::1] adv_from, const Py_ssize_t[::1] adv_to,
                   const double[::1] adv_g,
                   const Py_ssize_t[::1] bnd_node, const double[::1] bnd_g,
                   const double[::1] bnd_temp,
                   const Py_ssize_t[::1] watch, const double[::1] limit,
                   double dt, Py_ssize_t n_steps, bint stop_at_first,
                   Py_ssize_t record_every):
    """Implicit-Euler steps of a lumped thermal network with threshold detection.

    Parameters
    ----------
    capacity : float64[n]
        Heat capacity C of each lump (>= 0). [J/K]
    power : float64[n]
        Heat input P of each lump (>= 0), constant over the run. [W]
    initial : float64[n]
        Temperatures at t = 0. [K]
    cond_a, cond_b, cond_g : intp[lc], intp[lc], float64[lc]
        Symmetric conductances between lumps a and b (conduction, plate to
        coolant 1/R_th), g >= 0. [W/K]
    adv_from, adv_to, adv_g : intp[la], intp[la], float64[la]
        Upwind advection from the upstream lump to the downstream lump,
        g = rho c_p |Q| >= 0; enters the downstream row only. [W/K]
    bnd_node, bnd_g, bnd_temp : intp[lb], float64[lb], float64[lb]
        Conductance g >= 0 from a lump to a fixed temperature. [-, W/K, K]
    watch, limit : intp[nw], float64[nw]
        Watched lumps and their upper limits. [-, K]
    dt : float
        Time step (> 0). [s]
    n_steps : int
        Steps to take (>= 0).
    stop_at_first : bool
        Stop after the step in which the first watched lump reaches its limit.
    record_every : int
        Record watched temperatures every this many steps (0: no history).

    Returns
    -------
    temperature : float64[n]
        Temperatures after the last step taken. [K]
    steps : int
        Steps taken.
    first_time : float
        Earliest limit crossing, linear inside the step; NaN if none. [s]
    first_watch : int
        Entry of ``watch`` that crossed first, -1 if none.
    crossing_time : float64[nw]
        First upward crossing of each watched lump, NaN if none. [s]
    history_time : float64[rows]
        Times of the recorded rows (step 0, every ``record_every`` steps and
        the last step). [s]
    history : float64[rows, nw]
        Watched temperatures at those times. [K]
    rows : int
        Rows of the history filled.
    n_cut : int
        Size of the dense capacitance systems (loop closures), summed.
    residual : float
        max_i |A T - r|_i / max_i(|diag_i T_i|, |r_i|) of the last step.
    status : int
        ``STATUS_OK`` or one of the ``STATUS_HEAT_*`` / ``STATUS_TRANSIENT_*`` codes.
    bad_index : int
        Offending lump or list entry (see the status), -1 if none.

    Notes
    -----
    Each step solves ``(C/dt + G) T^{n+1} = C/dt T^n + P + sum g_b T_b``
    exactly: lumps hanging off the network as trees (cold plates, chips) are
    eliminated leaf by leaf (no fill), the rest by the bordered triangular
    solve of the section header, factored once for the run.
    """
    cdef Py_ssize_t n = capacity.shape[0]
    cdef Py_ssize_t lc = cond_a.shape[0]
    cdef Py_ssize_t la = adv_from.shape[0]
    cdef Py_ssize_t lb = bnd_node.shape[0]
    cdef Py_ssize_t nw = watch.shape[0]
    cdef Py_ssize_t rows_max = 0
    if record_every > 0 and n_steps >= 0:
        rows_max = n_steps // record_every + 2
    buf_a = np.array(initial, dtype=np.float64, copy=True)
    buf_b = np.empty(n, dtype=np.float64)
    cross_a = np.full(nw, np.nan, dtype=np.float64)
    htime_a = np.zeros(rows_max, dtype=np.float64)
    hist_a = np.zeros((rows_max, nw), dtype=np.float64)
    if (power.shape[0] != n or initial.shape[0] != n or cond_b.shape[0] != lc
            or cond_g.shape[0] != lc or adv_to.shape[0] != la or adv_g.shape[0] != la
            or bnd_g.shape[0] != lb or bnd_temp.shape[0] != lb or limit.shape[0] != nw):
        return (buf_a, 0, np.nan, -1, cross_a, htime_a, hist_a, 0, 0, 0.0,
                _HT_BAD_SHAPE, -1)
    if not (dt > 0.0 and isfinite(dt)) or n_steps < 0 or record_every < 0:
        return (buf_a, 0, np.nan, -1, cross_a, htime_a, hist_a, 0, 0, 0.0,
                _HT_BAD_STEP, -1)

    cdef Py_ssize_t ne_max = 2 * lc + la
    cdef double[::1] ta = buf_a
    cdef double[::1] tb = buf_b
    cdef double[::1] cross = cross_a
    cdef double[::1] htime = htime_a
    cdef double[:, ::1] hist = hist_a
    r_a = np.zeros(max(n, 1), dtype=np.float64)
    cdt_a = np.zeros(max(n, 1), dtype=np.float64)
    base_a = np.zeros(max(n, 1), dtype=np.float64)
    diag0_a = np.zeros(max(n, 1), dtype=np.float64)
    dg_a = np.zeros(max(n, 1), dtype=np.float64)
    wt_a = np.zeros(max(n, 1), dtype=np.float64)
    er_a = np.empty(max(ne_max, 1), dtype=np.intp)
    ec_a = np.empty(max(ne_max, 1), dtype=np.intp)
    ev_a = np.empty(max(ne_max, 1), dtype=np.float64)
    rp_a = np.zeros(n + 1, dtype=np.intp)
    rc_a = np.empty(max(ne_max, 1), dtype=np.intp)
    rv_a = np.empty(max(ne_max, 1), dtype=np.float64)
    ap_a = np.zeros(n + 1, dtype=np.intp)
    aj_a = np.empty(max(2 * ne_max, 1), dtype=np.intp)
    act_a = np.ones(max(n, 1), dtype=np.intp)
    deg_a = np.zeros(max(n, 1), dtype=np.intp)
    mark_a = np.full(max(n, 1), -1, dtype=np.intp)
    queue_a = np.empty(max(n, 1), dtype=np.intp)
    ep_a = np.empty(max(n, 1), dtype=np.intp)
    ed_a = np.empty(max(n, 1), dtype=np.intp)
    ef_a = np.empty(max(n, 1), dtype=np.float64)
    eo_a = np.empty(max(n, 1), dtype=np.float64)
    done_a = np.zeros(max(nw, 1), dtype=np.intp)
    nu_a = np.empty(max(n, 1), dtype=np.intp)
    inv_a = np.empty(max(n, 1), dtype=np.intp)
    edp_a = np.empty(max(n, 1), dtype=np.intp)
    wp_a = np.empty(max(nw, 1), dtype=np.intp)
    cdtp_a = np.empty(max(n, 1), dtype=np.float64)
    basep_a = np.empty(max(n, 1), dtype=np.float64)
    dgp_a = np.empty(max(n, 1), dtype=np.float64)  # 1 / diagonal
    pa_a = np.empty(max(n, 1), dtype=np.float64)
    pb_a = np.empty(max(n, 1), dtype=np.float64)
    cdef double[::1] r = r_a
    cdef double[::1] cdt = cdt_a
    cdef double[::1] base = base_a
    cdef double[::1] diag0 = diag0_a
    cdef double[::1] dg = dg_a
    cdef double[::1] wt = wt_a
    cdef Py_ssize_t[::1] er = er_a
    cdef Py_ssize_t[::1] ec = ec_a
    cdef double[::1] ev = ev_a
    cdef Py_ssize_t[::1] rp = rp_a
    cdef Py_ssize_t[::1] rc = rc_a
    cdef double[::1] rv = rv_a
    cdef Py_ssize_t[::1] ap = ap_a
    cdef Py_ssize_t[::1] aj = aj_a
    cdef Py_ssize_t[::1] act = act_a
    cdef Py_ssize_t[::1] deg = deg_a
    cdef Py_ssize_t[::1] mark = mark_a
    cdef Py_ssize_t[::1] queue = queue_a
    cdef Py_ssize_t[::1] ep = ep_a
    cdef Py_ssize_t[::1] ed = ed_a
    cdef double[::1] ef = ef_a
    cdef double[::1] eo = eo_a
    cdef Py_ssize_t[::1] done = done_a
    cdef Py_ssize_t[::1] nu = nu_a
    cdef Py_ssize_t[::1] inv = inv_a
    cdef Py_ssize_t[::1] edp = edp_a
    cdef Py_ssize_t[::1] wp = wp_a
    cdef double[::1] cdtp = cdtp_a
    cdef double[::1] basep = basep_a
    cdef double[::1] dgp = dgp_a
    cdef double[::1] pa = pa_a
    cdef double[::1] pb = pb_a

    cdef Py_ssize_t i, j, k, e, p, d, w, s, a, b, v, n_act, ne = 0, n_elim = 0, head, tail
    cdef Py_ssize_t steps = 0, rows = 0, last_row = -1, first_w = -1, step_w, n_cut = 0
    cdef Py_ssize_t bad = -1
    cdef int status = _OK
    cdef double g, a_pd, a_dp, t_prev, t_new, lim, tc, first_t = NAN
    cdef double step_min, res, scale, resid = 0.0
    cdef double *tcur = NULL
    cdef double *tnxt = NULL
    cdef double *tswap
    cdef _HtSys h
    _ht_init(&h)

    with nogil:
        # --- validate and assemble ------------------------------------------------
        for i in range(n):
            if not (capacity[i] >= 0.0 and isfinite(capacity[i])):
                status = _HT_BAD_CAPACITY
            elif not (power[i] >= 0.0 and isfinite(power[i])):
                status = _HT_BAD_POWER
            elif not isfinite(initial[i]):
                status = _HT_BAD_INITIAL
            if status != _OK:
                bad = i
                break
            cdt[i] = capacity[i] / dt
            diag0[i] = cdt[i]
            base[i] = power[i]
        if status == _OK:
            for k in range(lc):
                a = cond_a[k]
                b = cond_b[k]
                g = cond_g[k]
                if (a < 0 or a >= n or b < 0 or b >= n or a == b
                        or not (g >= 0.0 and isfinite(g))):
                    status = _HT_BAD_CONDUCTANCE
                    bad = k
                    break
                if g > 0.0:
                    er[ne] = a
                    ec[ne] = b
                    ev[ne] = -g
                    er[ne + 1] = b
                    ec[ne + 1] = a
                    ev[ne + 1] = -g
                    ne += 2
                    diag0[a] += g
                    diag0[b] += g
        if status == _OK:
            for k in range(la):
                a = adv_from[k]
                b = adv_to[k]
                g = adv_g[k]
                if (a < 0 or a >= n or b < 0 or b >= n or a == b
                        or not (g >= 0.0 and isfinite(g))):
                    status = _HT_BAD_ADVECTION
                    bad = k
                    break
                if g > 0.0:
                    er[ne] = b
                    ec[ne] = a
                    ev[ne] = -g
                    ne += 1
                    diag0[b] += g
        if status == _OK:
            for k in range(lb):
                a = bnd_node[k]
                g = bnd_g[k]
                if (a < 0 or a >= n or not (g >= 0.0 and isfinite(g))
                        or not isfinite(bnd_temp[k])):
                    status = _HT_BAD_BOUNDARY
                    bad = k
                    break
                diag0[a] += g
                base[a] += g * bnd_temp[k]
        if status == _OK:
            for k in range(nw):
                if watch[k] < 0 or watch[k] >= n or limit[k] != limit[k]:
                    status = _HT_BAD_WATCH
                    bad = k
                    break

        if status == _OK and n > 0:
            _ht_csr(n, ne, &er[0], &ec[0], &ev[0], &rp[0], &rc[0], &rv[0])
            # undirected pattern and distinct-neighbour degrees
            for k in range(ne):
                ap[er[k] + 1] += 1
                ap[ec[k] + 1] += 1
            for i in range(n):
                ap[i + 1] += ap[i]
            for k in range(ne):
                aj[ap[er[k]]] = ec[k]
                ap[er[k]] += 1
                aj[ap[ec[k]]] = er[k]
                ap[ec[k]] += 1
            for i in range(n, 0, -1):
                ap[i] = ap[i - 1]
            ap[0] = 0
            for i in range(n):
                dg[i] = diag0[i]
                for e in range(ap[i], ap[i + 1]):
                    j = aj[e]
                    if mark[j] != i:
                        mark[j] = i
                        deg[i] += 1

            # --- eliminate trees leaf by leaf (exact, no fill) ------------------------
            tail = 0
            for i in range(n):
                if deg[i] == 1:
                    queue[tail] = i
                    tail += 1
            head = 0
            while head < tail:
                p = queue[head]
                head += 1
                if not act[p] or deg[p] != 1:
                    continue
                d = -1
                for e in range(ap[p], ap[p + 1]):
                    if act[aj[e]]:
                        d = aj[e]
                        break
                if not (dg[p] > _HT_DIAG_TOL * diag0[p] and dg[p] > 0.0):
                    status = _HT_TRANSIENT_SINGULAR
                    bad = p
                    break
                a_pd = 0.0
                for e in range(rp[p], rp[p + 1]):
                    if rc[e] == d:
                        a_pd += rv[e]
                a_dp = 0.0
                for e in range(rp[d], rp[d + 1]):
                    if rc[e] == p:
                        a_dp += rv[e]
                act[p] = 0
                ep[n_elim] = p
                ed[n_elim] = d
                ef[n_elim] = a_dp / dg[p]
                eo[n_elim] = a_pd
                n_elim += 1
                dg[d] -= a_dp * a_pd / dg[p]
                deg[d] -= 1
                if deg[d] == 1:
                    queue[tail] = d
                    tail += 1

        if status == _OK and n > 0:
            for i in range(n):
                if not act[i]:
                    continue
                if not (dg[i] > _HT_DIAG_TOL * diag0[i] and dg[i] > 0.0):
                    status = _HT_TRANSIENT_SINGULAR
                    bad = i
                    break
                for e in range(rp[i], rp[i + 1]):
                    if act[rc[e]]:
                        wt[i] += fabs(rv[e])
        if status == _OK and n > 0:
            status = _ht_analyse(&h, n, &act[0], &rp[0], &rc[0], &wt[0], &bad)
            if status == _OK:
                status = _ht_factor(&h, &act[0], &rp[0], &rc[0], &rv[0], &dg[0], &bad)
                if status == _HT_SINGULAR:
                    status = _HT_TRANSIENT_SINGULAR
            n_cut = h.n_cut

        # --- time steps, in solve order --------------------------------------------
        # Working index v: the core lumps by position (the order of the sweeps),
        # then the eliminated lumps in elimination order, so every pass of a step
        # streams through memory.
        if status == _OK:
            n_act = h.n_act
            for i in range(n):
                if act[i]:
                    nu[i] = h.pos[i]
            for k in range(n_elim):
                nu[ep[k]] = n_act + k
            for i in range(n):
                inv[nu[i]] = i
            _ht_to_positions(&h, &pa[0], &edp[0])
            for v in range(n):
                i = inv[v]
                cdtp[v] = cdt[i]
                basep[v] = base[i]
                dgp[v] = 1.0 / dg[i] if dg[i] != 0.0 else 0.0
                pa[v] = initial[i]
            for k in range(n_elim):
                edp[k] = nu[ed[k]]
            for w in range(nw):
                wp[w] = nu[watch[w]]
            tcur = &pa[0]
            tnxt = &pb[0]

            for w in range(nw):
                if initial[watch[w]] >= limit[w]:
                    cross[w] = 0.0
                    done[w] = 1
                    if first_w < 0:
                        first_w = w
                        first_t = 0.0
            if rows_max > 0:
                htime[0] = 0.0
                for w in range(nw):
                    hist[0, w] = tcur[wp[w]]
                rows = 1
                last_row = 0
            s = 0
            while s < n_steps and not (stop_at_first and first_w >= 0):
                s += 1
                for v in range(n):
                    r[v] = cdtp[v] * tcur[v] + basep[v]
                for k in range(n_elim):
                    r[edp[k]] -= ef[k] * r[n_act + k]
                _ht_solve(&h, &r[0], tnxt)
                for k in range(n_elim - 1, -1, -1):
                    v = n_act + k
                    tnxt[v] = (r[v] - eo[k] * tnxt[edp[k]]) * dgp[v]
                step_w = -1
                step_min = 0.0
                for w in range(nw):
                    if done[w]:
                        continue
                    t_prev = tcur[wp[w]]
                    t_new = tnxt[wp[w]]
                    lim = limit[w]
                    if t_prev < lim and lim <= t_new:
                        # linear in the step; ties go to the lowest watch entry
                        tc = (s - 1) * dt + dt * (lim - t_prev) / (t_new - t_prev)
                        cross[w] = tc
                        done[w] = 1
                        if step_w < 0 or tc < step_min:
                            step_w = w
                            step_min = tc
                if first_w < 0 and step_w >= 0:
                    first_w = step_w
                    first_t = step_min
                tswap = tcur
                tcur = tnxt
                tnxt = tswap
                steps = s
                if rows_max > 0 and s % record_every == 0:
                    htime[rows] = s * dt
                    for w in range(nw):
                        hist[rows, w] = tcur[wp[w]]
                    last_row = s
                    rows += 1
            if rows_max > 0 and last_row != steps:
                htime[rows] = steps * dt
                for w in range(nw):
                    hist[rows, w] = tcur[wp[w]]
                rows += 1

            # back to lump order: ta = last step, tb = the step before
            for v in range(n):
                ta[inv[v]] = tcur[v]
                tb[inv[v]] = tnxt[v]

            # relative residual of the last step on the full (unreduced) system
            if steps > 0:
                scale = 0.0
                for i in range(n):
                    t_prev = cdt[i] * tb[i] + base[i]
                    res = diag0[i] * ta[i] - t_prev
                    for e in range(rp[i], rp[i + 1]):
                        res += rv[e] * ta[rc[e]]
                    if fabs(res) > resid:
                        resid = fabs(res)
                    if fabs(t_prev) > scale:
                        scale = fabs(t_prev)
                    if fabs(diag0[i] * ta[i]) > scale:
                        scale = fabs(diag0[i] * ta[i])
                if scale > 0.0:
                    resid /= scale
        _ht_free(&h)

    return (buf_a, steps, first_t, first_w, cross_a, htime_a, hist_a, rows, n_cut,
            resid, status, bad)
