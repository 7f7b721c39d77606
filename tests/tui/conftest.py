"""Helpers for the editor's Pilot and snapshot tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DESIGNS = ROOT / "designs"


async def settle(pilot, app, timeout: float = 15.0) -> None:
    """Wait until the findings shown belong to the newest edit."""
    waited = 0.0
    while not app.validated and waited < timeout:
        await pilot.pause(0.05)
        waited += 0.05
    await pilot.pause()
    assert app.validated, "validation did not finish"


def rules_of(app, scenario: str | None = None) -> set[tuple[str, str, str]]:
    """(rule, scenario, path) of the findings of the newest validation."""
    return {(f.rule, f.scenario, f.path) for f in app.check.findings(scenario)}


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    """A copy of designs/dgx-h100-pair.yaml whose r01 feeds have 32 A breakers."""
    path = tmp_path / "pair.yaml"
    text = (DESIGNS / "dgx-h100-pair.yaml").read_text(encoding="utf-8")
    lines = [
        line.replace("breaker: 60 A", "breaker: 32 A") if "id: r01-" in line else line
        for line in text.splitlines(keepends=True)
    ]
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def example(tmp_path: Path):
    """Copy an example design into tmp_path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copy(DESIGNS / name, target)
        return target

    return copy


def pytest_collection_modifyitems(items):
    """Async tests here run in their own event loop (no pytest-asyncio needed)."""
    import asyncio
    import functools
    import inspect

    for item in items:
        func = getattr(item, "obj", None)
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            def sync(*args, __func=func, **kwargs):
                return asyncio.run(__func(*args, **kwargs))

            item.obj = sync
