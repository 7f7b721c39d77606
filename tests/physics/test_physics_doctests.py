"""The examples in the physics docstrings run (pyproject has no --doctest-modules)."""

from __future__ import annotations

import doctest

import pytest

from rackval.physics import coolant, heat, hydraulics, properties

MODULES = [coolant, hydraulics, heat, properties]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def _parameters(doc: str) -> dict[str, tuple[str, str]]:
    """name -> (type, description) from the numpydoc Parameters section."""
    if "Parameters\n" not in doc:
        return {}
    section = doc.split("Parameters\n", 1)[1].split("\n\n", 1)[0]
    params: dict[str, tuple[str, str]] = {}
    current = None
    for line in section.splitlines()[1:]:  # skip the ---------- underline
        if line.startswith("        ") and current:
            kind, text = params[current]
            params[current] = (kind, text + " " + line.strip())
        elif " : " in line:
            current, kind = (part.strip() for part in line.split(" : ", 1))
            params[current] = (kind, "")
    return params


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_function_has_an_example_and_units(module):
    for name in module.__all__:
        obj = getattr(module, name)
        if not callable(obj) or isinstance(obj, type):
            continue
        doc = obj.__doc__ or ""
        assert ">>>" in doc, f"{module.__name__}.{name} has no doctest"
        for pname, (kind, text) in _parameters(doc).items():
            if kind != "str":
                assert "[" in text and "]" in text, f"{name}({pname}): no [unit]"
