"""Suppressions: inline ``# rackval: ignore[RULE] reason`` comments and waivers.

A suppressed finding is kept (SARIF and JUnit show it) but marked, and does not count
for the exit code. Inline comments sit on the line a finding points at; waivers name a
rule (ID or prefix), a logical target path (the finding's path or an ancestor of it),
a reason, an expiry date and optionally an owner and a scenario. They come from the
design's ``waivers:`` section or from ``rackval.waivers.yaml`` (whose entries also say
which design files they are for). What the suppressions leave wrong (no reason, an
unknown rule, expired, matched nothing) is reported by RV-SUP-001.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .design.model import Design, Waiver
from .errors import DesignError, DesignErrors, Location
from .rules import RULES, Finding
from .rules.base import Suppressed
from .solve.scenarios import NORMAL

__all__ = [
    "SUPPRESSION_RULE",
    "WAIVERS_FILE",
    "Inline",
    "Problem",
    "SuppressionCheck",
    "apply_suppressions",
    "file_waiver_problems",
    "inline_suppressions",
    "load_waivers_file",
    "today",
]

SUPPRESSION_RULE = "RV-SUP-001"
"""The rule that reports suppression problems; it runs after the suppressions."""

WAIVERS_FILE = "rackval.waivers.yaml"
"""Name of the project's waiver file (found next to the configuration file)."""

_INLINE = re.compile(r"(?:^|\s)#\s*rackval:\s*ignore\[([^\]]*)\](.*)$")


def today() -> date:
    """The date waivers are judged on (tests replace it with a fixed clock)."""
    return date.today()


@dataclass(frozen=True)
class Inline:
    """One ``# rackval: ignore[...] reason`` comment."""

    rules: tuple[str, ...]
    reason: str
    where: Location  # file, line and column of the comment

    @property
    def path(self) -> str:
        """How RV-SUP-001 names it: the comment's rule list."""
        return f"ignore[{', '.join(self.rules)}]"


@dataclass(frozen=True)
class Problem:
    """Something wrong with a suppression (a future RV-SUP-001 finding)."""

    path: str
    where: Location | None
    message: str


@dataclass
class SuppressionCheck:
    """What RV-SUP-001 reads: the problems the suppressions left (in normal operation)."""

    problems: list[Problem] = field(default_factory=list)
    scenario: object = NORMAL


def inline_suppressions(files: Iterable[str]) -> list[Inline]:
    """Every inline suppression comment in `files` (unreadable files are skipped)."""
    found: list[Inline] = []
    for file in files:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            match = _INLINE.search(line)
            if match is None:
                continue
            rules = tuple(r.strip() for r in match.group(1).split(",") if r.strip())
            column = line.index("#", match.start()) + 1
            found.append(Inline(rules, match.group(2).strip(), Location(file, number, column)))
    return found


def _rule_matches(pattern: str, rule_id: str) -> bool:
    return rule_id == pattern or rule_id.startswith(pattern + "-")


def _target_matches(target: str, path: str) -> bool:
    return path == target or path.startswith(target + ".") or path.startswith(target + "[")


def _same_file(a: str, b: str) -> bool:
    return a == b or Path(a).resolve() == Path(b).resolve()


def waiver_matches(waiver: Waiver, finding: Finding) -> bool:
    """Whether `waiver` accepts `finding` (rule, target path and scenario)."""
    return (
        _rule_matches(waiver.rule, finding.rule)
        and _target_matches(waiver.target, finding.path)
        and (waiver.scenario is None or waiver.scenario == finding.scenario)
    )


def _inline_matches(inline: Inline, finding: Finding) -> bool:
    loc = finding.location
    return (
        loc is not None
        and loc.line == inline.where.line
        and _same_file(loc.file, inline.where.file)
        and any(_rule_matches(r, finding.rule) for r in inline.rules)
    )


def _could_match(rules: Iterable[str], selected: Sequence[str]) -> bool:
    return any(_rule_matches(r, s) for r in rules for s in selected)


def _waiver_label(waiver: Waiver) -> str:
    return f"waiver of {waiver.rule} at {waiver.target}"


def apply_suppressions(
    design: Design,
    findings: Sequence[Finding],
    *,
    selected: Sequence[str],
    scenarios: Sequence[str],
    waivers: Sequence[Waiver] = (),
    on: date | None = None,
) -> tuple[list[Finding], list[Finding], SuppressionCheck, set[int]]:
    """Mark the findings that inline comments and waivers accept.

    Parameters
    ----------
    design : Design
        Its ``waivers`` and the inline comments of its ``sources`` apply.
    findings : sequence of Finding
        The findings of every rule but RV-SUP-001.
    selected : sequence of str
        IDs of the rules that ran (a suppression of another rule is not judged unused).
    scenarios : sequence of str
        Scenarios that ran (likewise for a waiver of one scenario).
    waivers : sequence of Waiver
        Further waivers (from ``rackval.waivers.yaml``) for this design; their problems
        are judged over every design by :func:`file_waiver_problems`.
    on : date, optional
        The day waivers are judged on (default :func:`today`).

    Returns
    -------
    active, suppressed : list of Finding
        Findings that count, and accepted ones (with ``suppressed`` set).
    check : SuppressionCheck
        Problems of the design's own suppressions, for RV-SUP-001.
    used : set of int
        Indexes into `waivers` of the file waivers that accepted a finding.
    """
    day = on or today()
    check = SuppressionCheck()
    inlines: list[Inline] = []
    for inline in inline_suppressions(design.sources):
        unknown = [r for r in inline.rules if not any(_rule_matches(r, rid) for rid in RULES)]
        if not inline.rules or unknown:
            what = ", ".join(unknown) if unknown else "no rule"
            check.problems.append(
                Problem(inline.path, inline.where, f"suppression names {what}: not a rule ID")
            )
        elif not inline.reason:
            check.problems.append(
                Problem(
                    inline.path,
                    inline.where,
                    "suppression without a reason is not applied; write why after the "
                    "bracket: # rackval: ignore[RV-…] reason",
                )
            )
        else:
            inlines.append(inline)
    live: list[tuple[int | None, Waiver]] = []
    for waiver in design.waivers:
        if waiver.expires < day:
            check.problems.append(_expired(waiver))
        else:
            live.append((None, waiver))
    live += [(i, w) for i, w in enumerate(waivers) if w.expires >= day]
    used_inline: set[int] = set()
    used_waivers: set[int] = set()
    used_file: set[int] = set()
    active: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        mark = None
        for k, inline in enumerate(inlines):
            if _inline_matches(inline, finding):
                used_inline.add(k)
                mark = mark or Suppressed("inline", inline.reason, where=inline.where)
        for k, (file_index, waiver) in enumerate(live):
            if waiver_matches(waiver, finding):
                if file_index is None:
                    used_waivers.add(k)
                else:
                    used_file.add(file_index)
                mark = mark or Suppressed(
                    "waiver", waiver.reason, waiver.owner, waiver.expires.isoformat(), waiver.where
                )
        if mark is None:
            active.append(finding)
        else:
            suppressed.append(dataclasses.replace(finding, suppressed=mark))
    for k, inline in enumerate(inlines):
        if k not in used_inline and _could_match(inline.rules, selected):
            check.problems.append(
                Problem(inline.path, inline.where, "suppression matched no finding; remove it")
            )
    for k, (file_index, waiver) in enumerate(live):
        if file_index is not None or k in used_waivers:
            continue
        if _could_match([waiver.rule], selected) and (
            waiver.scenario is None or waiver.scenario in scenarios
        ):
            check.problems.append(
                Problem(waiver.path, waiver.where, f"{_waiver_label(waiver)} matched no finding")
            )
    return active, suppressed, check, used_file


def _expired(waiver: Waiver) -> Problem:
    owner = f" (owner {waiver.owner})" if waiver.owner else ""
    return Problem(
        waiver.path,
        waiver.where,
        f"{_waiver_label(waiver)} expired on {waiver.expires.isoformat()}{owner}; "
        "its findings are reported again",
    )


def file_waiver_problems(
    waivers: Sequence[Waiver],
    matched: Iterable[int],
    used: Iterable[int],
    *,
    selected: Sequence[str],
    on: date | None = None,
) -> list[Problem]:
    """Problems of ``rackval.waivers.yaml`` entries over a whole run.

    Only entries that matched a design of this run are judged: expired ones, and live
    ones whose rule ran but that accepted no finding in any design.
    """
    day = on or today()
    used = set(used)
    problems = []
    for index in sorted(set(matched)):
        waiver = waivers[index]
        if waiver.expires < day:
            problems.append(_expired(waiver))
        elif index not in used and _could_match([waiver.rule], selected):
            problems.append(
                Problem(waiver.path, waiver.where, f"{_waiver_label(waiver)} matched no finding")
            )
    return problems


def waivers_for(waivers: Sequence[Waiver], design_file: str, base: Path) -> list[int]:
    """Indexes of the file waivers whose ``design`` glob (relative to `base`) matches."""
    try:
        relative = Path(design_file).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        relative = Path(design_file).as_posix()
    return [
        i
        for i, w in enumerate(waivers)
        if w.design is None or fnmatch.fnmatchcase(relative, w.design)
    ]


def load_waivers_file(path: Path) -> list[Waiver]:
    """Read ``rackval.waivers.yaml``: ``waivers:`` entries like the design's plus ``design``.

    Raises
    ------
    DesignError, DesignErrors
        Unreadable file, malformed YAML, unknown keys, missing fields.
    """
    from pydantic import ValidationError

    from .design.load import _plain, read_document
    from .design.resolve import dotted
    from .design.schema import FileWaivers

    doc = read_document(path)
    locations: dict = {}
    data = _plain(doc.data, (), str(path), locations) if doc.data is not None else {}
    try:
        parsed = FileWaivers.model_validate(data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if isinstance(p, (int, str)))
            where = next(
                (locations[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in locations),
                Location(str(path)),
            )
            errors.append(DesignError(err["msg"], location=where, path=dotted(loc)))
        raise DesignErrors(errors) from None
    return [
        Waiver(
            rule=w.rule,
            target=w.target,
            reason=w.reason,
            expires=w.expires,
            owner=w.owner,
            scenario=w.scenario,
            path=f"waivers[{index}]",
            where=locations.get(("waivers", index), Location(str(path))),
            design=w.design,
        )
        for index, w in enumerate(parsed.waivers)
    ]
