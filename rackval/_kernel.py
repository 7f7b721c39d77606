"""The one place that imports the compiled kernel :mod:`rackval._thermal`.

There is no pure-Python fallback: a missing extension is an install problem and
is reported as one.
"""

from __future__ import annotations

try:
    from rackval import _thermal
except ImportError as exc:  # pragma: no cover - only without a built extension
    raise ImportError("rackval._thermal is not built; run pip install -e .") from exc

__all__ = ["_thermal"]
