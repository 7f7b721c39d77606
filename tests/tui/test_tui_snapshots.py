"""Snapshot tests of the editor's screens (Textual is pinned in pyproject.toml).

Update after an intended change of a screen: ``pytest tests/tui --snapshot-update``,
then look at the SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import DESIGNS, settle

from rackval.design.load import read_document
from rackval.tui.app import RackvalApp

SIZE = (150, 44)


def _app(tmp_path: Path, name: str) -> RackvalApp:
    # a fixed file name: the title shows it, and tmp_path differs between runs
    target = tmp_path / name
    shutil.copy(DESIGNS / name, target)
    return RackvalApp(read_document(target), autosave=False, offer_recovery=False)


def test_main_screen_dgx_h100_pair(snap_compare, tmp_path: Path) -> None:
    async def ready(pilot) -> None:
        await settle(pilot, pilot.app)

    assert snap_compare(_app(tmp_path, "dgx-h100-pair.yaml"), terminal_size=SIZE, run_before=ready)


def test_main_screen_gb200_nvl72(snap_compare, tmp_path: Path) -> None:
    async def ready(pilot) -> None:
        await settle(pilot, pilot.app)

    assert snap_compare(_app(tmp_path, "gb200-nvl72.yaml"), terminal_size=SIZE, run_before=ready)


def test_rack_view(snap_compare, tmp_path: Path) -> None:
    async def rack(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        app.select("racks[r01]")
        await pilot.pause()
        app.rack_view.focus()
        await pilot.press(*["up"] * 9)  # U10: the top of the first compute tray group
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)

    assert snap_compare(_app(tmp_path, "gb200-nvl72.yaml"), terminal_size=SIZE, run_before=rack)


def test_part_picker(snap_compare, tmp_path: Path) -> None:
    async def picker(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        app.select("racks[r01]")
        await pilot.pause()
        app.rack_view.focus()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"dgx")
        await pilot.pause()

    assert snap_compare(_app(tmp_path, "dgx-h100-pair.yaml"), terminal_size=SIZE, run_before=picker)
