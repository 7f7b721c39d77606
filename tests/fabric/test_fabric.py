"""Fabric: generators, graph figures against hand calculations and networkx, routes, errors."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from rackval.design.model import LinkEnd
from rackval.design.resolve import load_design
from rackval.errors import DesignErrors
from rackval.fabric.analysis import bisection_bandwidth, endpoint_groups, solve_fabric
from rackval.fabric.cables import RACK_UNIT
from rackval.fabric.generators import GenerateError, Roles, generate_links
from rackval.fabric.graph import fabric_model
from rackval.fabric.schedule import FIELDS, cable_schedule

ROOT = Path(__file__).resolve().parents[2]
POD = ROOT / "tests" / "data" / "fabric" / "pod.yaml"
LINKS = ROOT / "tests" / "data" / "fabric" / "links.yaml"
G400 = 400e9


def _variant(tmp_path: Path, base: Path, *pairs: tuple[str, str]) -> Path:
    text = base.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    out = tmp_path / "case.yaml"
    out.write_text(text, encoding="utf-8")
    return out


# -- generators ---------------------------------------------------------------------------


def _ends(device: str, count: int, speed: float = G400, prefix: str = "p") -> list[LinkEnd]:
    return [
        LinkEnd(device, f"{prefix}{k + 1}", f"{prefix}{k + 1}", "400gbase-x-osfp", speed, "osfp")
        for k in range(count)
    ]


def _roles(nodes, rails, leaves, spines, cores, pods, radix, ratio=1.0, topology="rail-optimized"):
    node_ids = [f"n{i}" for i in range(nodes)]
    sw = {
        **{f"l{i}": radix for i in range(leaves)},
        **{f"s{i}": radix for i in range(spines)},
        **{f"c{i}": radix for i in range(cores)},
    }
    return Roles(
        topology,
        node_ids,
        rails,
        {n: _ends(n, rails, prefix="nic") for n in node_ids},
        [f"l{i}" for i in range(leaves)],
        [f"s{i}" for i in range(spines)],
        [f"c{i}" for i in range(cores)],
        pods,
        ratio,
        {s: _ends(s, k) for s, k in sw.items()},
    )


CONFIGS = [
    # nodes, rails, leaves, spines, cores, pods, radix, ratio
    (32, 8, 8, 4, 0, None, 64, 1.0),  # a SuperPOD-style SU: 8 leaves 32/32, 4 spines 64 down
    (64, 8, 16, 16, 0, None, 64, 1.0),  # two SUs
    (16, 4, 8, 2, 0, None, 16, 2.0),  # 2:1: 4 down, 2 up per leaf
    (32, 4, 16, 16, 8, 4, 16, 1.0),  # 3-tier: 4 pods; spine j of each pod -> cores 2j, 2j+1
    (12, 2, 4, 2, 0, None, 16, 3.0),  # odd SU size: ceil(12 / 2) = 6 nodes per SU
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c[0]}x{c[1]}-{c[2]}L{c[3]}S{c[4]}C")
def test_generator_invariants(config):
    nodes, rails, leaves, spines, cores, pods, radix, ratio = config
    roles = _roles(nodes, rails, leaves, spines, cores, pods, radix, ratio)
    pairs = generate_links(roles)
    # every node one link per rail, NIC k to leaf (SU, k)
    per_node = Counter(a.device for a, _ in pairs if a.device.startswith("n"))
    assert per_node == dict.fromkeys(roles.nodes, rails)
    per_unit = -(-nodes // (leaves // rails))
    for a, b in pairs:
        if a.device.startswith("n"):
            i, k = int(a.device[1:]), int(a.port[3:]) - 1
            assert b.device == f"l{(i // per_unit) * rails + k}"
    # no port used twice
    used = Counter((e.device, e.port) for pair in pairs for e in pair)
    assert max(used.values()) == 1
    # switch radix respected (a port exists for every link: ports come from the lists)
    links_per_switch = Counter(e.device for pair in pairs for e in pair if not e.device[0] == "n")
    assert all(count <= radix for count in links_per_switch.values())
    # every leaf with uplinks is within the ratio it was built for
    for leaf in roles.leaves:
        down = sum(1 for a, b in pairs if b.device == leaf and a.device.startswith("n"))
        up = sum(1 for a, b in pairs if a.device == leaf)
        if spines:
            assert down / up <= ratio + 1e-12
            assert down / (up - 1 if up > 1 else 0.5) > ratio  # no more uplinks than needed


def test_generator_refuses_too_few_ports():
    roles = _roles(32, 8, 8, 4, 0, None, 48)  # 32 down + 32 up > 48
    with pytest.raises(GenerateError, match="needs 32 uplinks"):
        generate_links(roles)


def test_generator_refuses_leaves_not_a_multiple_of_rails():
    with pytest.raises(GenerateError, match="scalable units"):
        generate_links(_roles(8, 4, 6, 0, 0, None, 16))


def test_fat_tree_puts_every_nic_of_a_node_on_one_leaf():
    pairs = generate_links(_roles(8, 4, 4, 0, 0, None, 16, topology="fat-tree"))
    leaves = {}
    for a, b in pairs:
        leaves.setdefault(a.device, set()).add(b.device)
    assert all(len(v) == 1 for v in leaves.values())
    assert leaves["n0"] == leaves["n1"] == {"l0"}  # ceil(8 / 4) = 2 nodes per leaf


# -- oversubscription and bisection: hand calculations -----------------------------------


def test_pod_figures_by_hand():
    design = load_design(POD)
    result = solve_fabric(design).fabrics["compute"]
    # each leaf: 4 nodes × 400G down, 4 × 400G up (2 per spine) -> 1:1; spines top tier
    assert {s: r.ratio for s, r in result.switches.items()} == {
        **{f"leaf{k}": 1.0 for k in range(1, 5)},
        "spine1": None,
        "spine2": None,
    }
    assert result.switches["leaf1"].down == 4 * G400 == result.switches["leaf1"].up
    # halves {n01, n02} / {n03, n04}: each node 4 × 400G; all share the leaves: cut = 3.2T
    assert result.halves == (("n01", "n02"), ("n03", "n04"))
    assert result.bisection == result.full_bisection == 2 * 4 * G400
    # spine1 lost: leaves keep 2 × 400G up -> 2:1, bisection unchanged (leaves connect)
    lost = solve_fabric(design, frozenset({"spine1"})).fabrics["compute"]
    assert lost.switches["leaf1"].ratio == 2.0
    assert lost.bisection == 2 * 4 * G400
    # leaf1 lost: 3 rails left per node -> 2 × 3 × 400G
    assert solve_fabric(design, frozenset({"leaf1"})).fabrics["compute"].bisection == 2.4e12


def test_top_of_rack_two_to_one_bisection_by_hand(tmp_path):
    path = _variant(
        tmp_path,
        POD,
        ("topology: rail-optimized", "topology: fat-tree"),
        ("media: auto}", 'media: auto, oversubscription: "2:1"}'),
    )
    result = solve_fabric(load_design(path)).fabrics["compute"]
    # node i alone on leaf i: 4 × 400G down, ceil(1600 / 800) = 2 × 400G up -> 2:1
    assert result.switches["leaf1"].ratio == 2.0
    # cut between {n01, n02} (leaf1, leaf2) and {n03, n04}: 2 leaves × 2 uplinks × 400G
    assert result.bisection == 2 * 2 * G400
    assert result.bisection_share == pytest.approx(0.5)


# -- bisection equals networkx max-flow on random fat trees ------------------------------


def _random_fat_tree(rng: random.Random):
    leaves = rng.randint(2, 6)
    spines = rng.randint(1, 4)
    nodes = rng.randint(2, 10)
    edges = []
    for n in range(nodes):
        for leaf in rng.sample(range(leaves), rng.randint(1, min(3, leaves))):
            edges.append((f"n{n}", f"l{leaf}", rng.choice([100, 200, 400]) * 1e9))
    for leaf in range(leaves):
        for s in range(spines):
            for _ in range(rng.randint(0, 2)):  # parallel links and missing ones
                edges.append((f"l{leaf}", f"s{s}", rng.choice([200, 400, 800]) * 1e9))
    ids = [f"n{n}" for n in range(nodes)]
    rng.shuffle(ids)
    half = len(ids) // 2
    return edges, set(ids[:half]), set(ids[half:])


def _reference_max_flow(edges, half_a, half_b) -> float:
    """Independent model: endpoints kept as nodes, A only sends, B only receives."""
    g = nx.DiGraph()

    def add(u, v, c):
        if g.has_edge(u, v):
            g.edges[u, v]["capacity"] += c
        else:
            g.add_edge(u, v, capacity=c)

    eps = half_a | half_b
    for u, v, c in edges:
        for x, y in ((u, v), (v, u)):
            if x in half_b or y in half_a:
                continue  # B never sends, A never receives
            if x in eps and y in eps:
                continue
            add(x, y, c)
    for e in half_a:
        g.add_edge("S", e)  # no capacity attribute: infinite
    for e in half_b:
        g.add_edge(e, "T")
    if "S" not in g or "T" not in g or not nx.has_path(g, "S", "T"):
        return 0.0
    return nx.maximum_flow_value(g, "S", "T")


@pytest.mark.parametrize("seed", range(25))
def test_bisection_equals_networkx_max_flow(seed):
    rng = random.Random(seed)
    edges, a, b = _random_fat_tree(rng)
    assert bisection_bandwidth(edges, a, b) == pytest.approx(_reference_max_flow(edges, a, b))


def test_rule_bisection_equals_networkx_on_generated_three_tier(tmp_path):
    # 3-tier from the pod fixture's parts: 8 nodes in 2 SUs (4 leaves each), 2 pods of
    # 4 leaves and 4 spines; leaf 4 down / 4 up (1 per spine), spine 4 down / 4 up to its
    # core (4 cores, spine j of each pod -> core j), core 2 pods × 4 = 8 ports
    text = POD.read_text(encoding="utf-8")
    for old, new in (
        ("n01, part: test-gpu-node, u: 2, count: 4}", "n01, part: test-gpu-node, u: 2, count: 8}"),
        ("leaf1, part: test-leaf, u: 30, count: 4}", "leaf1, part: test-leaf, u: 18, count: 8}"),
        (
            "spine1, part: test-spine, u: 40, count: 2}",
            "spine1, part: test-spine, u: 30, count: 8}",
        ),
        ('spines: "spine*",', 'spines: "spine*", cores: "core*", pods: 2,'),
    ):
        text = text.replace(old, new)
    text = text.replace(
        "u: 30, count: 8}\n",
        "u: 30, count: 8}\n      - {id: core1, part: test-spine, u: 38, count: 4}\n",
    )
    path = tmp_path / "three.yaml"
    path.write_text(text, encoding="utf-8")
    design = load_design(path)
    model = fabric_model(design)
    fabric = model.fabrics["compute"]
    assert {fabric.tier[s] for s in fabric.switches} == {1, 2, 3}
    result = solve_fabric(design).fabrics["compute"]
    edges = [(cl.link.a.device, cl.link.b.device, cl.capacity) for cl in model.links]
    a, b = (set(h) for h in result.halves)
    assert result.bisection == pytest.approx(_reference_max_flow(edges, a, b))
    assert result.bisection == result.full_bisection  # built 1:1 at every tier


# -- connectivity ----------------------------------------------------------------------


def test_endpoint_groups_do_not_pass_through_nodes():
    # n1 and n2 both reach l1 and l2, but l1 and l2 are not linked: still one group,
    # while n3 only on l3 (not linked to anything else) is a group of its own
    edges = [("n1", "l1", 1.0), ("n1", "l2", 1.0), ("n2", "l2", 1.0), ("n3", "l3", 1.0)]
    assert endpoint_groups(edges, ["n1", "n2", "n3"]) == [["n1", "n2"], ["n3"]]
    # a node without links is alone
    assert endpoint_groups([], ["n1", "n2"]) == [["n1"], ["n2"]]


# -- routes ------------------------------------------------------------------------------


def test_routed_lengths_by_hand():
    model = fabric_model(load_design(LINKS))
    by_id = {cl.id: cl for cl in model.links}
    # same rack: n1 at U2–U3 (middle 2 U above the bottom of U1) to leaf-a at U30 (29.5 U)
    assert by_id["l1"].route.length == pytest.approx((29.5 - 2.0) * 0.04445)
    # leaf-a U30 in r01 to far U30 in r02, 3 m apart: 3 m + 2 × (42 − 29.5) U
    assert by_id["up1"].route.length == pytest.approx(3.0 + 2 * 12.5 * 0.04445)
    assert by_id["up1"].route.horizontal == pytest.approx(3.0)
    assert RACK_UNIT == pytest.approx(1.75 * 0.0254)


def test_routed_length_adds_slack():
    model = fabric_model(load_design(POD))
    by_id = {cl.id: cl for cl in model.links}
    # leaf1 (U30) to spine1 (U40 in r02, 0.6 m east) + 0.5 m slack
    expected = 0.6 + (42 - 29.5) * 0.04445 + (42 - 39.5) * 0.04445 + 0.5
    assert by_id["compute-17"].link.b.device == "spine1"
    assert by_id["compute-17"].route.length == pytest.approx(expected)


# -- bad input: clear errors with file:line, exit 2 ---------------------------------------

BAD = [
    (
        ("{id: l1, a: n1:nic1, b: leaf-a:p1}", "{id: l1, a: n1:nic1, b: leaf-a:p99}"),
        "has no interface 'p99'",
    ),
    (
        ("{id: l1, a: n1:nic1, b: leaf-a:p1}", "{id: l1, a: n1:nic1, b: leaf-z:p1}"),
        "no device 'leaf-z'",
    ),
    (
        ("{id: l1, a: n1:nic1, b: leaf-a:p1}", "{id: l1, a: n1:nic1, b: leaf-a:p1, speed: 400Q}"),
        "expected a link speed",
    ),
    (
        ("{id: l1, a: n1:nic1, b: leaf-a:p1}", "{id: l1, a: n1:qsfp1, b: leaf-a:p1, breakout: 4}"),
        "cannot break n1:qsfp1 out into 4",
    ),
    (
        ("{id: l1, a: n1:nic1, b: leaf-a:p1}", "{id: l1, a: n1:nic1, b: leaf-a:p1/2}"),
        "is not broken out",
    ),
    (
        ("media: test-aoc-30m}\n    - {id: up2", "media: test-aoc-3m}\n    - {id: up2"),
        "unknown media 'test-aoc-3m'",
    ),
]


@pytest.mark.parametrize(("pair", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_links_are_design_errors_with_a_line(tmp_path, pair, message):
    path = _variant(tmp_path, LINKS, pair)
    with pytest.raises(DesignErrors) as info:
        load_design(path)
    errors = [e for e in info.value.errors if message in e.message]
    assert errors, [e.message for e in info.value.errors]
    line = path.read_text(encoding="utf-8").splitlines()[errors[0].location.line - 1]
    assert "l1" in line or "up1" in line or "breakout" in line


def test_did_you_mean_for_a_port(tmp_path):
    path = _variant(tmp_path, LINKS, ("b: leaf-a:p1}", "b: leaf-a:p01}"))
    with pytest.raises(DesignErrors, match="did you mean 'p1'"):
        load_design(path)


def test_generate_with_too_few_ports_is_an_error(tmp_path):
    path = _variant(tmp_path, POD, ('spines: "spine*"', 'spines: "spine1"'))
    with pytest.raises(DesignErrors, match="cannot generate fabric 'compute'"):
        load_design(path)


def test_cli_exit_2_with_file_and_line(tmp_path):
    path = _variant(tmp_path, LINKS, ("b: leaf-a:p1}", "b: leaf-a:p1, speed: 400Q}"))
    for command in (["validate", str(path)], ["cables", str(path)]):
        out = subprocess.run(
            [sys.executable, "-m", "rackval", *command], capture_output=True, text=True
        )
        assert out.returncode == 2
        assert "case.yaml:" in out.stderr and "400Q" in out.stderr


# -- cable schedule ---------------------------------------------------------------------


def test_cable_schedule_rows_and_order():
    rows = cable_schedule(load_design(POD))
    assert len(rows) == 16 + 16  # 4 nodes × 4 rails, 4 leaves × 4 uplinks
    assert all(set(r) == set(FIELDS) for r in rows)
    assert {r["source"] for r in rows} == {"generated"}
    keys = [(r["a_device"], r["a_port"]) for r in rows]
    assert keys[0] == ("leaf1", "p5") and ("n01", "nic1") in keys
    assert rows == cable_schedule(load_design(POD))  # stable


def test_cli_cables_csv_and_json(tmp_path):
    out_csv = tmp_path / "cables.csv"
    done = subprocess.run(
        [sys.executable, "-m", "rackval", "cables", str(LINKS), "-o", str(out_csv)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    lines = out_csv.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(FIELDS) and len(lines) == 1 + 8
    assert "up1,compute,explicit,r01,30,leaf-a,p8,r02,30,far,p1,test-aoc-30m,aoc,4.11" in lines[1]
    done = subprocess.run(
        [sys.executable, "-m", "rackval", "cables", str(LINKS), "--format", "json"],
        capture_output=True,
        text=True,
    )
    data = json.loads(done.stdout)
    assert data["design"] == "fabric-links" and len(data["cables"]) == 8


# -- scenarios ----------------------------------------------------------------------------


def test_fabric_scenarios_and_skips():
    from rackval.solve.scenarios import Scenario, SkippedScenario, parse_scenario, scenarios_for

    design = load_design(POD)
    names = [s.name for s in scenarios_for(design, "n-1")]
    switches = ["leaf1", "leaf2", "leaf3", "leaf4", "spine1", "spine2"]
    assert names == ["normal", *(f"switch-lost:{s}" for s in switches)]
    every = [s.name for s in scenarios_for(design, "all")]
    assert sum(n.startswith("link-lost:") for n in every) == 16  # the leaf-spine links
    lost = parse_scenario(design, "link-lost:compute-17")
    assert isinstance(lost, Scenario) and lost.domain == "fabric"
    assert lost.dead_links == frozenset({"compute-17"})
    assert isinstance(parse_scenario(design, "switch-lost:n01"), SkippedScenario)  # a node
    assert isinstance(parse_scenario(design, "link-lost:nope"), SkippedScenario)


def test_link_lost_by_hand():
    design = load_design(POD)
    result = solve_fabric(design, dead_links=frozenset({"compute-17"})).fabrics["compute"]
    # leaf1 keeps 3 of its 4 uplinks: 1.6 T / 1.2 T
    assert result.switches["leaf1"].ratio == pytest.approx(4 / 3)
    assert result.switches["leaf2"].ratio == 1.0
