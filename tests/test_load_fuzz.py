"""Fuzz the loader: whatever the bytes, loading ends in a design or in DesignError(s).

Mutations of the real example designs (bytes dropped, duplicated, replaced) and random
text must never raise anything else — no traceback ever reaches a user.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rackval.catalog import load_catalog
from rackval.design.resolve import load_design
from rackval.errors import DesignError, DesignErrors
from rackval.validate import validate_design

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [p.read_bytes() for p in sorted((ROOT / "designs").glob("*.yaml"))]
CATALOG = load_catalog()


def _load(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    try:
        design = load_design(path, CATALOG)
    except (DesignError, DesignErrors) as exc:
        errors = exc.errors if isinstance(exc, DesignErrors) else [exc]
        assert errors and all(isinstance(e, DesignError) and e.message for e in errors)
        return
    validate_design(design, scenarios="all")


mutation = st.tuples(
    st.sampled_from(range(len(EXAMPLES))),
    st.lists(
        st.tuples(
            st.sampled_from(["drop", "dup", "replace"]),
            st.floats(0, 1),
            st.integers(1, 40),
            st.binary(min_size=0, max_size=8),
        ),
        min_size=1,
        max_size=4,
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutation)
def test_mutated_examples_never_crash(tmp_path, case):
    index, edits = case
    data = bytearray(EXAMPLES[index])
    for kind, where, length, payload in edits:
        at = int(where * len(data))
        if kind == "drop":
            del data[at : at + length]
        elif kind == "dup":
            data[at:at] = data[at : at + length]
        else:
            data[at : at + len(payload)] = payload
    _load(tmp_path, bytes(data))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(alphabet=st.sampled_from(list("rackval:1 name-{}[]&*!|>\n\t#'\"0.5 kW%")), max_size=200)
)
def test_random_text_never_crashes(tmp_path, text):
    _load(tmp_path, ("rackval: 1\n" + text).encode())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "---\n...\n",
        "[1, 2, 3]\n",
        "rackval: 1\n",
        "rackval: 2\nname: x\n",
        "rackval: 1\nname: x\nracks: 5\n",
        "rackval: 1\nname: x\nracks: [{id: r, part: apc-ar3357, devices: "
        "[{id: d, part: nvidia-dgx-h100, u: 99999999999999999999}]}]\n",
        "rackval: 1\nname: x\n!!python/object:os.system {}\n",
        "rackval: 1\nname: !!binary aGVsbG8=\n",
        "\ufeffrackval: 1\nname: bom\n",
        "rackval: 1\nname: x\npower: {feeds: [{id: A, side: A, voltage: 1e400 V, "
        "breaker: 60 A}]}\n",
    ],
)
def test_odd_documents(tmp_path, text):
    _load(tmp_path, text.encode())
