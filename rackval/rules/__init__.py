"""The rule catalog: importing this package registers every rule."""

from . import (  # noqa: F401  (registration)
    air,
    catalog,
    density,
    fit,
    layout,
    liquid,
    network,
    power,
    scenario,
    suppression,
)
from .base import REDIRECTS, RULES, Finding, Need, Rule, rule, select_rules, severity_rank

__all__ = ["RULES", "REDIRECTS", "Finding", "Need", "Rule", "rule", "select_rules", "severity_rank"]
