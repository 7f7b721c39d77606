"""Starter designs for ``rackval edit --new FILE --template NAME``."""

from __future__ import annotations

from pathlib import Path

__all__ = ["TEMPLATES", "template_text"]

_HERE = Path(__file__).parent

TEMPLATES: dict[str, str] = {
    "empty-ab": "an empty 48U rack with one PDU on each of two 415 V feeds (A, B)",
    "dgx-h100": "a rack of four DGX H100 on three 415 V feed sides (A, B, C)",
}
"""Template name -> what it holds."""


def template_text(name: str) -> str:
    """The YAML text of template ``name``.

    Raises
    ------
    KeyError
        No template has that name.
    """
    if name not in TEMPLATES:
        raise KeyError(name)
    return (_HERE / f"{name}.yaml").read_text(encoding="utf-8")
