"""Text output: one line per finding (``file:line:col: severity RULE [scenario] path: message``)."""

from __future__ import annotations

import os

from ..batch import BatchResult
from ..rules.base import Finding, severity_rank
from ..validate import DesignReport
from .common import scenario_order, severity_counts, summary_line

__all__ = ["render_text", "format_finding", "render_results"]


def _rel(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def format_finding(f: Finding) -> str:
    """One finding on one line, ``file:line:col`` first so editors can jump to it."""
    loc = f.location
    where = ""
    if loc is not None:
        where = f"{_rel(loc.file)}:{loc.line}:{loc.column}: " if loc.line else f"{_rel(loc.file)}: "
    return f"{where}{f.severity} {f.rule} [{f.scenario}] {f.path}: {f.message}"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def render_results(report: DesignReport) -> list[str]:
    """The figures behind the findings: per scenario, feeds and PDUs with line currents."""
    lines: list[str] = []
    for scenario, res in report.results().items():
        lines.append(f"  scenario {scenario} (load: {res['load_basis']})")
        rows = [["panel", "kind", "live", "kW", "L1 A", "L2 A", "L3 A", "N A", "limit A"]]
        for kind in ("feeds", "pdus"):
            for ident, p in res[kind].items():
                currents = [f"{c:.1f}" for c in p["line_current_a"]] + [""] * 3
                limit = p["limit_a"]
                rows.append(
                    [
                        ident,
                        kind[:-1],
                        "yes" if p["live"] else "no",
                        f"{p['power_w'] / 1000:.2f}",
                        *currents[:3],
                        f"{p['neutral_current_a']:.1f}",
                        f"{limit:.1f}" if limit is not None else "-",
                    ]
                )
        lines += ["    " + row for row in _table(rows)]
        racks = ", ".join(f"{r} {v['power_w'] / 1000:.1f} kW" for r, v in res["racks"].items())
        lines.append(f"    racks: {racks}")
        for loop, lp in res["loops"].items():
            if not lp["solved"]:
                lines.append(f"    loop {loop}: not solved ({lp['reason']})")
                continue
            flows = [q * 60_000 for q in lp["device_flow_m3_s"].values()]
            pumps = ", ".join(
                f"{c} {q * 60_000:.0f} L/min at {lp['pump_pressure_rise_pa'][c] / 1000:.0f} kPa"
                for c, q in lp["pump_flow_m3_s"].items()
            )
            temps = ""
            if lp["supply_temperature_k"] is not None:
                temps = (
                    f", supply {lp['supply_temperature_k'] - 273.15:.1f} °C, return "
                    f"{lp['return_temperature_k'] - 273.15:.1f} °C"
                )
            lines.append(
                f"    loop {loop}: {lp['heat_w'] / 1000:.1f} kW{temps}; pumps {pumps}; "
                f"device flow {min(flows, default=0):.2f}–{max(flows, default=0):.2f} L/min"
            )
        lines += _air_lines(res.get("air"))
        lines += _fabric_lines(res.get("fabrics"))
        for rack, bus in res["busbars"].items():
            cap = bus["capacity_w"]
            cap_text = f"{cap / 1000:.1f} kW" if cap is not None else "unknown"
            lines.append(
                f"    busbar {rack}: {bus['load_w'] / 1000:.1f} kW on "
                f"{bus['live_shelf_psus']} shelf PSUs (capacity {cap_text})"
            )
    return lines


def _fabric_lines(fabrics: dict | None) -> list[str]:
    """Per fabric in one line: bisection (share of full) and the worst oversubscription."""
    lines = []
    for fid, f in (fabrics or {}).items():
        cut = "no bisection (fewer than 2 nodes)"
        if f["bisection_bit_s"] is not None:
            share = f["bisection_share"]
            cut = f"bisection {f['bisection_bit_s'] / 1e12:g} Tb/s" + (
                f" ({share:.0%} of full)" if share is not None else ""
            )
        ratios = [s["oversubscription"] for s in f["switches"].values()]
        ratios = [r for r in ratios if r is not None]
        worst = ""
        if ratios:
            top = max(ratios, key=lambda r: float(r))
            worst = f"; worst oversubscription {top if top == 'inf' else f'{top:.3g}'}:1"
        off = f"; {len(f['cut_off'])} node(s) cut off" if f["cut_off"] else ""
        lines.append(f"    fabric {fid}: {cut}{worst}{off}")
    return lines


def _kw(bounds: dict[str, float]) -> str:
    low, high = bounds["min"] / 1000, bounds["max"] / 1000
    return f"{low:.1f} kW" if low == high else f"{low:.1f}–{high:.1f} kW"


def _air_lines(air: dict | None) -> list[str]:
    """The air side in one line: room heat and airflow against the live units, hottest inlet."""
    if not air or not air["racks"]:
        return []
    units = ""
    if air["units"] is not None:
        units = f" ({air['live_units']} of {air['units']} units)"
    capacity = air["capacity_w"]
    heat = _kw(air["air_heat_w"])
    if capacity is not None:
        heat += f" of {capacity / 1000:.1f} kW"
    need = air["required_airflow_m3_s"]
    flow = f"{'≥ ' if not air['required_airflow_exact'] else ''}{need:.2f} m³/s"
    if air["supplied_airflow_m3_s"] is not None:
        flow += f" of {air['supplied_airflow_m3_s']:.2f} m³/s"
    inlets = [
        (r["inlet_temperature_k"]["min"], rid)
        for rid, r in air["racks"].items()
        if r["inlet_temperature_k"] is not None
    ]
    hottest = ""
    if inlets:
        t, rid = max(inlets, key=lambda item: item[0])  # the first rack of the hottest
        hottest = f"; hottest inlet {rid} {t - 273.15:.1f} °C"
    return [f"    air{units}: heat {heat}; airflow {flow}{hottest}"]


_COLOURS = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def render_text(batch: BatchResult, *, results: bool = False, color: bool = False) -> str:
    """Findings grouped by design (a header line each) and scenario, then the summary.

    Each finding keeps the one-line ``file:line:col: severity RULE [scenario] path:
    message`` form that editors and problem matchers parse; `color` adds ANSI colours
    (the CLI asks for them on a terminal only). Suppressed findings and findings in the
    baseline are counted in the summary, not listed.
    """
    lines: list[str] = []
    for report in batch.reports:
        shown = [f for f in report.findings if f.baseline != "unchanged"]
        if shown:
            counts = severity_counts(shown)
            head = ", ".join(
                f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
                for s in ("error", "warning", "info")
                if counts[s]
            )
            header = f"{_rel(report.file)} ({report.design.name}): {head}"
            lines.append(f"{_BOLD}{header}{_RESET}" if color else header)
        order = {name: k for k, name in enumerate(scenario_order(report))}
        shown.sort(
            key=lambda f: (order.get(f.scenario, 999), severity_rank(f.severity), f.rule, f.path)
        )
        for f in shown:
            line = format_finding(f)
            if color:
                word = f" {f.severity} "
                line = line.replace(word, f" {_COLOURS[f.severity]}{f.severity}{_RESET} ", 1)
            lines.append(line)
        if results:
            lines.append(f"results for {_rel(report.file)} ({report.design.name}):")
            lines += render_results(report)
    lines.append(summary_line(batch))
    return "\n".join(lines) + "\n"
