"""The rule catalog: importing this package registers every rule."""

from . import air, catalog, density, fit, layout, liquid, power, scenario  # noqa: F401  (registration)
from .base import REDIRECTS, RULES, Finding, Need, Rule, rule, select_rules, severity_rank

__all__ = ["RULES", "REDIRECTS", "Finding", "Need", "Rule", "rule", "select_rules", "severity_rank"]
