"""Rules: registry, findings and the runner.

A rule is one function registered with a stable ID. It receives the resolved design
and the solution of one scenario and yields findings; it never prints or raises for
a bad design. Its docstring, with the sections *What it checks*, *Why it matters*,
*Limit*, *Fails* and *Passes*, is its published documentation (``docs/rules/``).

A rule that needs a part figure declares it (``needs=``); when a part lacks it, the
rule skips that part and RV-CAT-001 reports the gap once per part.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import Location

__all__ = [
    "Finding",
    "Need",
    "Suppressed",
    "Rule",
    "RULES",
    "REDIRECTS",
    "SECTIONS",
    "SEVERITIES",
    "rule",
    "select_rules",
    "severity_rank",
]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
SECTIONS = ("What it checks", "Why it matters", "Limit", "Fails", "Passes")
ID_PATTERN = re.compile(r"^RV-[A-Z]{3}-\d{3}$")


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info (lower is more severe)."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Suppressed:
    """Why a finding is accepted: an inline comment (``inline``) or a waiver (``waiver``)."""

    kind: str
    reason: str
    owner: str | None = None
    expires: str | None = None  # ISO date
    where: Location | None = None  # of the comment or the waiver


@dataclass(frozen=True)
class Finding:
    """One problem found in one scenario.

    ``value`` and ``limit`` are SI floats in the unit the message states.
    """

    rule: str
    severity: str
    scenario: str
    path: str
    message: str
    value: float | None = None
    limit: float | None = None
    location: Location | None = None
    name: str = ""
    suppressed: Suppressed | None = None  # set when a waiver or an inline comment accepts it
    baseline: str | None = None  # "new" | "unchanged" when compared with a baseline

    @classmethod
    def at(
        cls,
        obj: Any,
        message: str,
        *,
        value: float | None = None,
        limit: float | None = None,
        severity: str | None = None,
        path: str | None = None,
    ) -> Finding:
        """A finding about a design object (its path and location are taken from it).

        The runner fills in rule, default severity and scenario.
        """
        return cls(
            rule="",
            severity=severity or "",
            scenario="",
            path=path if path is not None else obj.path,
            message=message,
            value=value,
            limit=limit,
            location=getattr(obj, "where", None),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        loc = self.location
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "scenario": self.scenario,
            "path": self.path,
            "message": self.message,
            "value": self.value,
            "limit": self.limit,
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "suppressed": None
            if self.suppressed is None
            else {
                "kind": self.suppressed.kind,
                "reason": self.suppressed.reason,
                "owner": self.suppressed.owner,
                "expires": self.suppressed.expires,
            },
            "baseline": self.baseline,
        }


@dataclass(frozen=True)
class Need:
    """A part figure a rule needs: ``figure`` is a dotted path on :class:`Part`.

    ``role`` says which parts: ``device`` (every rack device), ``pdu``, ``rack``, ``cdu``,
    ``rear-door`` (a rack's rear-door heat exchanger), ``media`` (the cable or optic of
    each link), ``interface`` (the NetBox interface type of each link end);
    ``when`` narrows it (e.g. only outlet-fed devices).
    """

    role: str
    figure: str
    when: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Rule:
    """A registered rule."""

    id: str
    name: str
    severity: str
    check: Callable[..., Iterable[Finding]]
    per_scenario: bool
    needs: tuple[Need, ...] = ()
    domain: str | None = None  # "power" | "liquid" | "air": the failure scenarios it runs in
    relevant: Callable[[Any], bool] | None = None  # does the design ask for this check?
    doc: dict[str, str] = field(default_factory=dict)
    summary: str = ""

    def applies_to(self, scenario: Any) -> bool:
        """True when the rule runs in ``scenario``: normal operation, and the failure
        scenarios of its domain (power, coolant and air are solved independently: a lost
        pump cannot overload a feed, a lost feed does not stop a pump, a lost air unit
        changes neither)."""
        return self.domain is None or scenario.domain in (None, self.domain)

    def run(self, design: Any, solution: Any) -> Iterator[Finding]:
        """Run the check and complete its findings."""
        for found in self.check(design, solution):
            yield dataclasses.replace(
                found,
                rule=found.rule or self.id,
                name=found.name or self.name,
                severity=found.severity or self.severity,
                scenario=found.scenario or solution.scenario.name,
            )


RULES: dict[str, Rule] = {}
"""Every registered rule by ID, in registration order."""

REDIRECTS: dict[str, str] = {}
"""Old rule IDs (and names) -> current IDs; IDs are never reused."""


def parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """Split a rule docstring into its summary line and its named sections."""
    lines = [line.rstrip() for line in (doc or "").strip().splitlines()]
    summary = lines[0].strip() if lines else ""
    sections: dict[str, str] = {}
    current: str | None = None
    body: list[str] = []
    for raw in lines[1:]:
        line = raw.strip()
        header = next((s for s in SECTIONS if line.startswith(f"{s}:")), None)
        if header:
            if current:
                sections[current] = " ".join(body).strip()
            current, body = header, [line[len(header) + 1 :].strip()]
        elif current:
            body.append(line)
    if current:
        sections[current] = " ".join(body).strip()
    return summary, sections


def rule(
    rule_id: str,
    name: str,
    *,
    severity: Severity = "error",
    per_scenario: bool = True,
    needs: Iterable[Need] = (),
    domain: str | None = None,
    relevant: Callable[[Any], bool] | None = None,
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a rule function under a stable ID.

    ``relevant(design)`` says whether the design asks for the check at all (e.g. the
    floor-load rule without a floor rating does not); when it is False the rule finds
    nothing and RV-CAT-001 does not report the figures it would need.
    """
    if not ID_PATTERN.match(rule_id):
        raise ValueError(f"bad rule id {rule_id!r}")

    def register(func: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        summary, sections = parse_docstring(func.__doc__ or "")
        RULES[rule_id] = Rule(
            rule_id,
            name,
            severity,
            func,
            per_scenario,
            tuple(needs),
            domain,
            relevant,
            sections,
            summary,
        )
        return func

    return register


def _matches(rule_id: str, prefixes: Iterable[str]) -> bool:
    for prefix in prefixes:
        prefix = REDIRECTS.get(prefix, prefix)
        if prefix == "ALL" or rule_id.startswith(prefix):
            return True
    return False


def select_rules(
    select: Iterable[str] = ("ALL",),
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
) -> list[Rule]:
    """Rules whose IDs start with a selected prefix and with no ignored prefix."""
    select = [*select, *extend_select]
    ignore = list(ignore)
    return [r for r in RULES.values() if _matches(r.id, select) and not _matches(r.id, ignore)]


def figure(part: Any, dotted: str) -> Any:
    """The value of a dotted figure path on a part (None if any step is missing).

    An empty collection (no pump-curve points, no accepted fluids) counts as missing.
    """
    value = part
    for step in dotted.split("."):
        value = getattr(value, step, None)
        if value is None or (isinstance(value, (tuple, list, dict)) and not value):
            return None
    return value
