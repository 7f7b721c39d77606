"""JUnit XML output, for CI test reports (GitLab, Jenkins, Azure DevOps …).

One ``testsuite`` per design file; one ``testcase`` per rule × scenario checked in it
(its name ``RULE name [scenario] file`` is unique in the document). A check with an
error or warning finding fails (``failure``, one line per finding); with info findings
only it passes and lists them in ``system-out``; with only suppressed findings or
findings in the baseline it is ``skipped`` with the reason. A design that cannot be
read is a suite with one ``load`` test case in ``error``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from ..batch import BatchResult
from ..rules import RULES, Finding
from .common import checks, rel
from .text import format_finding

__all__ = ["render_junit"]


def _case(suite: ET.Element, name: str, classname: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", name=name, classname=classname, time="0")


def render_junit(batch: BatchResult) -> str:
    """The run as a JUnit XML document (``testsuites``)."""
    root = ET.Element("testsuites", name="rackval", time=f"{batch.elapsed:.3f}")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for result in batch.results:
        file = rel(result.file)
        classname = "rackval." + file.rsplit(".", 1)[0].replace("/", ".")
        suite = ET.SubElement(root, "testsuite", name=file)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        report = result.report
        if report is None:
            case = _case(suite, f"load {file}", classname)
            lines = [f"{e.location}: {e.path}: {e.message}" for e in result.errors]
            message = result.failure or (lines[0] if lines else "invalid design")
            error = ET.SubElement(case, "error", message=message, type="invalid-design")
            error.text = "\n".join(lines) or message
            counts["tests"] += 1
            counts["errors"] += 1
        else:
            by_check: dict[tuple[str, str], list[Finding]] = defaultdict(list)
            for f in [*report.findings, *report.suppressed]:
                by_check[(f.rule, f.scenario)].append(f)
            for rule_id, scenario in checks(report):
                name = RULES[rule_id].name if rule_id in RULES else ""
                case = _case(suite, f"{rule_id} {name} [{scenario}] {file}", classname)
                counts["tests"] += 1
                found = by_check.get((rule_id, scenario), [])
                active = [f for f in found if f.suppressed is None and f.baseline != "unchanged"]
                failing = [f for f in active if f.severity in ("error", "warning")]
                if failing:
                    worst = "error" if any(f.severity == "error" for f in failing) else "warning"
                    failure = ET.SubElement(
                        case,
                        "failure",
                        message=f"{len(failing)} finding{'s' if len(failing) != 1 else ''}: "
                        f"{failing[0].path}: {failing[0].message}",
                        type=worst,
                    )
                    failure.text = "\n".join(format_finding(f) for f in failing)
                    counts["failures"] += 1
                elif found and not active:
                    reasons = sorted(
                        {
                            f"suppressed ({f.suppressed.kind}): {f.suppressed.reason}"
                            if f.suppressed is not None
                            else "in the baseline"
                            for f in found
                        }
                    )
                    ET.SubElement(case, "skipped", message="; ".join(reasons))
                    counts["skipped"] += 1
                if active and not failing:
                    out = ET.SubElement(case, "system-out")
                    out.text = "\n".join(format_finding(f) for f in active)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
