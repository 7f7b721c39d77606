"""Generated files are committed and current (regenerate with tools/generate.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from rackval.rules import RULES
from rackval.rules.base import SECTIONS
from rackval.rules.docs import render_rule_doc

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "tools" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_json_schema_is_current():
    gen = _generator()
    assert gen.SCHEMA.read_text(encoding="utf-8") == gen.schema_text(), (
        "run: python tools/generate.py"
    )


def test_rule_docs_are_current():
    for r in RULES.values():
        page = ROOT / "docs" / "rules" / f"{r.id}.md"
        assert page.exists(), f"{page} missing; run: python tools/generate.py"
        assert page.read_text(encoding="utf-8") == render_rule_doc(r), (
            f"{page.name} is stale; run: python tools/generate.py"
        )


def test_rule_docstrings_have_every_section():
    for r in RULES.values():
        missing = [s for s in SECTIONS if not r.doc.get(s)]
        assert not missing, f"{r.id} docstring lacks {missing}"
        assert r.summary


def test_rule_ids_and_names_unique():
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))


def test_every_example_has_the_schema_modeline():
    for design in sorted((ROOT / "designs").glob("*.yaml")):
        first = design.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../rackval/schemas/design-v1.json", design
