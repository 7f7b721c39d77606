"""The results of one scenario, as rules and renderers read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .air import AirSolution
from .loops import LoopSolution
from .power import PowerSolution
from .scenarios import Scenario, SkippedScenario

if TYPE_CHECKING:
    from ..fabric.analysis import FabricSolution  # networkx only for designs with links

__all__ = ["Limits", "Solution"]


@dataclass(frozen=True)
class Limits:
    """Standard limits that apply when the design does not state its own."""

    continuous_load_fraction: float  # [1] NEC 210.20(A): continuous load ≤ 80 % of rating
    continuous_load_citation: str


@dataclass(frozen=True)
class Solution:
    """Everything solved for one scenario."""

    scenario: Scenario
    power: PowerSolution
    limits: Limits
    selected: tuple[str, ...] = ()  # ids of the rules being run (RV-CAT-001 reads their needs)
    skipped: tuple[SkippedScenario, ...] = ()  # scenarios asked for that cannot apply
    loops: dict[str, LoopSolution] = field(default_factory=dict)  # per coolant loop
    air: AirSolution | None = None  # the air side (solved again only in air scenarios)
    fabric: FabricSolution | None = None  # the fabrics (solved again in fabric scenarios)
