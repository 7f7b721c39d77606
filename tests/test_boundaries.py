"""Layer boundaries (DESIGN §1): what each layer may import, and what the CLI loads."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "rackval"
FORBIDDEN = {"textual", "rich", "click", "pint"}
LAYERS = ["physics", "solve", "rules"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_no_ui_or_units(layer):
    for path in sorted((PKG / layer).rglob("*.py")):
        bad = _imports(path) & FORBIDDEN
        assert not bad, f"{path.relative_to(PKG)} imports {bad}"


def test_kernel_source_imports_no_ui_or_units():
    bad = _imports_pyx(PKG / "_thermal.pyx") & FORBIDDEN
    assert not bad


def _imports_pyx(path: Path) -> set[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts[:1] in (["import"], ["from"]) and len(parts) > 1:
            words.add(parts[1].split(".")[0])
    return words


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_version_imports_nothing_heavy():
    mods = _modules_after(
        "import sys\nfrom rackval.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass"
    )
    heavy = {"numpy", "pint", "pydantic", "textual", "ruamel", "networkx", "shapely", "rich"}
    assert not (heavy & {m.split(".")[0] for m in mods})


def test_validate_never_imports_textual(tmp_path):
    design = Path(__file__).resolve().parents[1] / "designs" / "dgx-h100-pair.yaml"
    mods = _modules_after(
        "from rackval.cli import main\n"
        f"try:\n    main(['validate', {str(design)!r}])\nexcept SystemExit:\n    pass"
    )
    top = {m.split(".")[0] for m in mods}
    assert "textual" not in top
    # a design without a hall or network links needs neither shapely nor networkx
    assert not {"shapely", "networkx"} & top
