"""rackval: will this AI rack build work — normally and when one thing fails?

Public API (imported lazily so that ``rackval --version`` stays fast)::

    from rackval import load_design, validate, Finding, Scenario
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "load_design", "validate", "validate_design", "Finding", "Scenario"]

_LAZY = {
    "load_design": ("rackval.design.resolve", "load_design"),
    "validate": ("rackval.validate", "validate"),
    "validate_design": ("rackval.validate", "validate_design"),
    "Finding": ("rackval.rules.base", "Finding"),
    "Scenario": ("rackval.solve.scenarios", "Scenario"),
}

if TYPE_CHECKING:  # pragma: no cover
    from .design.resolve import load_design
    from .rules.base import Finding
    from .solve.scenarios import Scenario
    from .validate import validate, validate_design


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'rackval' has no attribute {name!r}")
