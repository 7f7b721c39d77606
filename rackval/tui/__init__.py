"""The design editor behind ``rackval edit`` (Textual).

Imported only by the ``edit`` command, so ``rackval validate`` never loads Textual.
"""

from __future__ import annotations

__all__ = ["RackvalApp", "TEMPLATES", "template_text"]

from .app import RackvalApp
from .templates import TEMPLATES, template_text
