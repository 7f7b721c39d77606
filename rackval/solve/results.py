"""Solver results as plain data (the ``results`` of JSON output and the --results table).

Every figure is SI and its key names its unit (``_w``, ``_a``, ``_v``, ``_va``).
"""

from __future__ import annotations

from typing import Any

from ..design.model import Design
from ..physics.heat import case_temperature
from .loops import loop_volume, ride_through_time
from .power import PanelLoad
from .solution import Solution

__all__ = ["solution_results"]


def _panel(load: PanelLoad, limit_a: float | None) -> dict[str, Any]:
    return {
        "live": load.live,
        "wiring": load.wiring,
        "voltage_v": load.voltage,
        "power_w": round(load.power, 3),
        "apparent_power_va": round(load.apparent, 3),
        "line_current_a": [round(c, 4) for c in load.line_current],
        "neutral_current_a": round(load.neutral_current, 4),
        "limit_a": limit_a,
    }


def solution_results(design: Design, solution: Solution) -> dict[str, Any]:
    """Figures of one scenario: feeds, PDUs, banks, devices, racks, upstream, busbars,
    loops, air and fabrics."""
    power = solution.power
    fraction = solution.limits.continuous_load_fraction
    feeds = {}
    for feed in design.power.feeds:
        util = feed.max_utilization if feed.max_utilization is not None else fraction
        feeds[feed.id] = {"side": feed.side, **_panel(power.feeds[feed.id], feed.breaker * util)}
    pdus = {}
    for pdu in design.pdus:
        rating = pdu.part.pdu.current if pdu.part.pdu else None
        pdus[pdu.id] = {"feed": pdu.feed, **_panel(power.pdus[pdu.id], rating)}
    banks = {}
    for (pdu_id, bank_name), load in power.banks.items():
        pdu = next(p for p in design.pdus if p.id == pdu_id)
        bank = next(b for b in pdu.part.pdu.banks if b.name == bank_name)
        banks[f"{pdu_id}/{bank_name}"] = {"line": bank.line, **_panel(load, bank.breaker)}
    devices = {
        d.id: {
            "power_w": round(s.power, 3),
            "psus": s.psus,
            "live_psus": s.live_psus,
            "psus_required": s.required,
            "load_per_psu_w": round(s.psu_load, 3),
        }
        for d in design.devices
        if (s := power.devices.get(d.id)) is not None
    }
    upstream = {
        u.id: {"power_w": round(power.upstream.get(u.id, 0.0), 3), "capacity_w": u.capacity}
        for u in design.power.upstream
    }
    busbars = {
        rack_id: {
            "load_w": round(b.load, 3),
            "live_shelf_psus": b.live_psus,
            "capacity_w": b.capacity,
            "voltage_v": b.voltage,
            "current_a": round(b.current, 3) if b.current is not None else None,
        }
        for rack_id, b in power.busbars.items()
    }
    loops = {}
    for loop_id, sol in solution.loops.items():
        entry: dict[str, Any] = {
            "solved": sol.solved,
            "reason": sol.reason or None,
            "heat_w": round(sol.heat, 3),
        }
        if sol.solved:
            entry.update(
                {
                    "pump_flow_m3_s": {c: round(q, 9) for c, q in sol.pump_flow.items()},
                    "pump_pressure_rise_pa": {c: round(p, 3) for c, p in sol.pump_pressure.items()},
                    "device_flow_m3_s": {d: round(q, 9) for d, q in sol.device_flow.items()},
                    "supply_temperature_k": _round(sol.supply_temperature),
                    "return_temperature_k": _round(sol.return_temperature),
                    "device_inlet_temperature_k": {
                        d: round(t, 4) for d, t in sol.device_inlet.items()
                    },
                    "heat_rejected_w": _round(sol.heat_rejected),
                    "iterations": sol.iterations,
                }
            )
        loop = next(lp for lp in design.loops if lp.id == loop_id)
        volume, complete = loop_volume(design, loop)
        entry["volume_m3"] = _round(volume, 6)
        entry["volume_complete"] = complete
        if loop_id in solution.scenario.rejection_lost:
            bound = ride_through_time(design, loop, power.load_basis)
            entry["ride_through_s"] = _round(bound.time if bound else None, 2)
        if sol.solved:
            racks = {r.id: r for r in design.racks if r.loop == loop_id}
            entry["rack_flow_m3_s"] = {
                rid: round(sum(sol.device_flow.get(d.id, 0.0) for d in r.devices), 9)
                for rid, r in racks.items()
            }
            entry["cdu_heat_w"] = {c: round(q, 3) for c, q in sol.cdu_heat.items()}
            facility = design.site.facility_water_supply
            if sol.supply_temperature is not None and facility is not None:
                # achieved approach: coolant supply minus facility-water supply
                entry["approach_k"] = round(sol.supply_temperature - facility, 4)
            cases = {}
            for r in racks.values():
                for d in r.devices:
                    c = d.part.coolant
                    inlet = sol.device_inlet.get(d.id)
                    if c is None or None in (inlet, c.thermal_resistance, c.hottest_chip_power):
                        continue
                    cases[d.id] = round(
                        case_temperature(inlet, c.hottest_chip_power, c.thermal_resistance), 4
                    )
            entry["case_temperature_k"] = cases
        loops[loop_id] = entry
    return {
        "load_basis": power.load_basis,
        "feeds": feeds,
        "pdus": pdus,
        "banks": banks,
        "devices": devices,
        "racks": {rid: {"power_w": round(p, 3)} for rid, p in power.racks.items()},
        "upstream": upstream,
        "busbars": busbars,
        "loops": loops,
        "air": _air(solution),
        "fabrics": _fabrics(solution),
    }


def _fabrics(solution: Solution) -> dict[str, Any] | None:
    """Per fabric: bisection (and its share of full bisection), nodes cut off, and per
    switch down- and uplink bandwidth and oversubscription (``null`` at the top tier)."""
    if solution.fabric is None:
        return None
    out = {}
    for fid, f in solution.fabric.fabrics.items():
        out[fid] = {
            "bisection_bit_s": f.bisection,
            "full_bisection_bit_s": f.full_bisection,
            "bisection_share": _round(f.bisection_share, 6),
            "halves": [len(f.halves[0]), len(f.halves[1])],
            "cut_off": list(f.cut_off),
            "switches": {
                s.switch: {
                    "tier": s.tier,
                    "down_bit_s": s.down,
                    "up_bit_s": s.up,
                    "oversubscription": (
                        None
                        if s.ratio is None
                        else (_round(s.ratio, 6) if s.ratio != float("inf") else "inf")
                    ),
                }
                for s in f.switches.values()
            },
        }
    return out


def _bounds(bounds: tuple[float, float] | None, digits: int) -> dict[str, float] | None:
    """``{"min": …, "max": …}`` of a figure known only within bounds (equal when exact)."""
    if bounds is None:
        return None
    return {"min": round(bounds[0], digits), "max": round(bounds[1], digits)}


def _air(solution: Solution) -> dict[str, Any] | None:
    """Air side: per rack heat, rear-door heat, airflow, inlet; room heat and airflow."""
    air = solution.air
    if air is None:
        return None
    racks = {
        rid: {
            "air_heat_w": _bounds(r.heat, 3),
            "rear_door_heat_w": _bounds((min(r.door), max(r.door)), 3),
            "exhaust_heat_w": _bounds(r.exhaust_heat, 3),
            "airflow_m3_s": _round(r.airflow, 6),
            "inlet_temperature_k": _bounds(r.inlet, 4),
            "inlet_reason": r.inlet_reason or None,
        }
        for rid, r in air.racks.items()
    }
    required, exact = air.required_airflow
    return {
        "model": air.model,
        "supply_temperature_k": _round(air.supply_temperature),
        "density_kg_m3": _round(air.density, 6),
        "heat_capacity_j_kg_k": _round(air.heat_capacity, 3),
        "units": air.units,
        "live_units": air.live_units,
        "air_heat_w": _bounds(air.room_heat, 3),
        "capacity_w": _round(air.capacity, 3),
        "required_airflow_m3_s": round(required, 6),
        "required_airflow_exact": exact,
        "supplied_airflow_m3_s": _round(air.supplied_airflow, 6),
        "problems": list(air.problems),
        "racks": racks,
    }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)
