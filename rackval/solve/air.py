r"""Air side: device and rack air heat, airflow, rack inlet temperatures, air units.

Pure functions of SI data, then :func:`solve_air`, which builds them from a design
for one scenario (docs/physics/air.md gives the equations and their sources).

What is not known is never guessed. A device whose liquid fraction the datasheet
does not give puts between 0 and all of its power into the air, so air heats are
carried as bounds ``(low, high)``; rack inlet temperatures are bounds too, and rules
fail only when a bound is beyond the limit (RV-CAT-001 names the missing figure).

Air properties ρ, c_p are taken at the supply temperature and the site pressure
(standard atmosphere at ``site.altitude``; sea level when the altitude is not
stated, which gives the densest air: the smallest airflow demand and inlet rise, so
a rule that fails on them fails for any site at or above sea level).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..design.model import Design, Device, Rack
from ..physics.air import air_properties, airflow_for_heat, standard_pressure
from .power import device_power
from .scenarios import Scenario

__all__ = [
    "DeviceAir",
    "RackAir",
    "AirSolution",
    "device_air_heat",
    "rear_door_heat",
    "rack_temperature_rise",
    "fraction_model_rise",
    "heat_to_inlet_matrix",
    "inlet_temperatures",
    "live_share",
    "moves_air",
    "solve_air",
]

Bounds = tuple[float, float]  # (low, high), the same unit as the quantity
AirState = tuple[float, float]  # (ρ [kg/m³], c_p [J/(kg·K)]) at supply temperature and pressure


# --- pure functions ---------------------------------------------------------------


def device_air_heat(power: float, liquid_fraction: float | None) -> Bounds:
    r"""Heat a device gives to the air, as bounds.

    .. math:: \dot Q_{air} = (1 - f_{liq})\,P

    With the liquid fraction not published, the air heat lies anywhere in [0, P].

    Parameters
    ----------
    power : float
        Device power at the load basis. [W]
    liquid_fraction : float or None
        Share of the power removed by coolant; None when the datasheet does not give
        it. [1]

    Returns
    -------
    tuple of float
        Lowest and highest air heat. [W]

    Examples
    --------
    >>> device_air_heat(10_000.0, 0.75)
    (2500.0, 2500.0)
    >>> device_air_heat(5400.0, None)
    (0.0, 5400.0)
    """
    if liquid_fraction is None:
        return 0.0, power
    heat = (1.0 - liquid_fraction) * power
    return heat, heat


def rear_door_heat(heat: float, capacity: float) -> float:
    r"""Heat a rear-door heat exchanger takes out of a rack's exhaust.

    .. math:: \dot Q_{door} = \min(\dot Q_{cap}, \dot Q_{air})

    The door removes up to its rated capacity (at the conditions its datasheet
    states). A door whose capacity is not published removes an unknown share: the
    caller bounds it between nothing and all of the heat.

    Parameters
    ----------
    heat : float
        Air heat of the rack's devices. [W]
    capacity : float
        Rated capacity of the door. [W]

    Returns
    -------
    float
        Heat removed by the door. [W]

    Examples
    --------
    >>> rear_door_heat(40_000.0, 75_000.0), rear_door_heat(90_000.0, 75_000.0)
    (40000.0, 75000.0)
    """
    if capacity is None:
        raise ValueError("rear_door_heat needs the door's capacity")
    return min(capacity, heat)


def rack_temperature_rise(
    heat: float, airflow: float, density: float, heat_capacity: float
) -> float:
    r"""Mean air temperature rise across a rack (exhaust minus inlet).

    .. math:: \Delta T_{rack} = \frac{\dot Q}{\rho\, c_p\, \dot V}

    Parameters
    ----------
    heat : float
        Air heat leaving with the exhaust (after a rear door). [W]
    airflow : float
        Rack airflow, the sum of its devices' airflows. [m³/s]
    density : float
        Air density. [kg/m³]
    heat_capacity : float
        Specific isobaric heat capacity of air. [J/(kg·K)]

    Returns
    -------
    float
        Temperature rise. [K]

    Examples
    --------
    >>> round(rack_temperature_rise(14_300.0, 0.8, 1.1843, 1006.3), 2)
    15.0
    """
    return heat / (density * heat_capacity * airflow)


def fraction_model_rise(recirculation: float, rack_rise: float) -> float:
    r"""Inlet temperature rise when a share of a rack's inlet air is its own exhaust.

    The inlet air is a mix of supply air (share 1 − r) and the rack's own exhaust
    (share r), and the exhaust is the inlet warmed by the rack's rise ΔT:

    .. math::
        T_{in} = (1 - r)\,T_{sup} + r\,T_{out}, \quad T_{out} = T_{in} + \Delta T
        \;\Rightarrow\; (1 - r)\,T_{in} = (1 - r)\,T_{sup} + r\,\Delta T
        \;\Rightarrow\; T_{in} - T_{sup} = \frac{r}{1 - r}\,\Delta T

    (the mixing of EnergyPlus's ITE model, with the rack's own exhaust as the
    recirculated air).

    Parameters
    ----------
    recirculation : float
        Share r of the inlet air that is the rack's own exhaust, 0 ≤ r < 1. [1]
    rack_rise : float
        Temperature rise ΔT across the rack. [K]

    Returns
    -------
    float
        Inlet minus supply temperature. [K]

    Raises
    ------
    ValueError
        r ≥ 1: the inlet would be all exhaust and the rise unbounded.

    Examples
    --------
    >>> round(fraction_model_rise(0.05, 15.0), 6)  # 0.05/0.95 × 15 K
    0.789474

    References
    ----------
    .. [1] U.S. DOE, EnergyPlus Engineering Reference, "Electric Equipment – ITE
       (Air-Cooled)": inlet temperature from supply and recirculated air.
    """
    if not 0.0 <= recirculation < 1.0:
        raise ValueError(f"recirculation share must be in [0, 1), got {recirculation!r}")
    return recirculation / (1.0 - recirculation) * rack_rise


def heat_to_inlet_matrix(
    capacity_rates: Sequence[float] | np.ndarray, recirculation: Sequence[Sequence[float]]
) -> np.ndarray:
    r"""Tang et al.'s heat-distribution matrix D: inlet rise per watt of each rack.

    With K = diag(ρ c_p V̇_i) and A = [a_ij], a_ij the share of rack i's exhaust that
    reaches rack j's inlet, the energy balances of the inlets and outlets

    .. math::
        K_j T_{in,j} = \sum_i a_{ij} K_i T_{out,i}
                     + \Bigl(K_j - \sum_i a_{ij} K_i\Bigr) T_{sup}, \qquad
        K_i T_{out,i} = K_i T_{in,i} + P_i

    give :math:`(K - A^T K)\,T_{in} = (K - A^T K)\,\mathbf 1\,T_{sup} + A^T P`, so

    .. math::
        T_{in} = T_{sup} + D\,P, \qquad
        D = (K - A^T K)^{-1} A^T = (K - A^T K)^{-1} - K^{-1}

    (the two forms are equal: (K − AᵀK)⁻¹[K − (K − AᵀK)]K⁻¹ = (K − AᵀK)⁻¹Aᵀ).

    Parameters
    ----------
    capacity_rates : array_like, shape (n,)
        K_i = ρ c_p V̇_i of each rack, all positive. [W/K]
    recirculation : array_like, shape (n, n)
        a_ij: share of rack i's exhaust reaching rack j's inlet. [1]

    Returns
    -------
    numpy.ndarray, shape (n, n)
        D. [K/W]

    Raises
    ------
    ValueError
        The shapes do not match, a rate is not positive, more air reaches an inlet
        than the rack draws (Σ_i a_ij K_i > K_j), or K − AᵀK is singular (some racks
        send all their exhaust to each other: the rise is unbounded).

    Examples
    --------
    >>> import numpy as np
    >>> k = np.array([1000.0, 2000.0])
    >>> d = heat_to_inlet_matrix(k, [[0.0, 0.1], [0.0, 0.0]])
    >>> round(float(d[1, 0]), 8)  # 0.1 of rack 1's 1 kW/K-flow into rack 2's 2 kW/K inlet
    5e-05

    References
    ----------
    .. [1] Tang, Q., Gupta, S. K. S., Varsamopoulos, G. (2008). Energy-efficient
       thermal-aware task scheduling for homogeneous high-performance computing data
       centers: a cyber-physical approach. IEEE Trans. Parallel Distrib. Syst.
       19(11), 1458–1472, eq. (5)–(7).
    """
    k = np.asarray(capacity_rates, dtype=float)
    a = np.asarray(recirculation, dtype=float)
    n = k.shape[0]
    if k.ndim != 1 or a.shape != (n, n):
        raise ValueError(f"capacity rates of shape {k.shape} and a matrix of {a.shape}")
    if not np.all(k > 0.0):
        raise ValueError("every rack in the recirculation matrix needs a positive airflow")
    incoming = a.T @ k
    over = np.flatnonzero(incoming > k * (1.0 + 1e-12))
    if over.size:
        j = int(over[0])
        raise ValueError(
            f"inlet {j} receives {incoming[j] / k[j]:.3g} of its own airflow as recirculated "
            "exhaust (more than it draws)"
        )
    system = np.diag(k) - a.T * k[np.newaxis, :]  # K − AᵀK: (AᵀK)_ji = a_ij K_i
    try:
        d = np.linalg.solve(system, a.T)
    except np.linalg.LinAlgError:
        raise ValueError(
            "some racks send all their exhaust to each other's inlets: no air returns to "
            "the air units and the inlet temperature is unbounded"
        ) from None
    if not np.all(np.isfinite(d)) or np.linalg.cond(system) > 1e12:
        raise ValueError(
            "some racks send (almost) all their exhaust to each other's inlets: the inlet "
            "temperature is unbounded"
        )
    return d


def inlet_temperatures(
    supply: float, distribution: np.ndarray, heat: Sequence[float] | np.ndarray
) -> np.ndarray:
    r"""Rack inlet temperatures from the heat-distribution matrix.

    .. math:: T_{in} = T_{sup}\,\mathbf 1 + D\,P

    Parameters
    ----------
    supply : float
        Supply air temperature of the air units. [K]
    distribution : numpy.ndarray, shape (n, n)
        D from :func:`heat_to_inlet_matrix`. [K/W]
    heat : array_like, shape (n,)
        Air heat of each rack's exhaust. [W]

    Returns
    -------
    numpy.ndarray, shape (n,)
        Inlet temperatures. [K]

    Examples
    --------
    >>> import numpy as np
    >>> d = heat_to_inlet_matrix([1000.0, 2000.0], [[0.0, 0.1], [0.0, 0.0]])
    >>> [round(float(t), 3) for t in inlet_temperatures(297.15, d, [10_000.0, 0.0])]
    [297.15, 297.65]
    """
    return supply + distribution @ np.asarray(heat, dtype=float)


def live_share(total: float | None, units: int | None, lost: int) -> float | None:
    r"""What is left of a total shared equally by air units when some are lost.

    .. math:: X_{live} = X \, \frac{n - n_{lost}}{n}

    Parameters
    ----------
    total : float or None
        Capacity [W] or airflow [m³/s] of all units together.
    units : int or None
        Number of units; None when not stated (then nothing is taken away).
    lost : int
        Units lost.

    Returns
    -------
    float or None
        The share of the live units, in the unit of ``total``.

    Examples
    --------
    >>> live_share(120_000.0, 4, 1)
    90000.0
    """
    if total is None:
        return None
    if not units or lost <= 0:
        return total
    return total * max(units - lost, 0) / units


# --- design -> air solution -------------------------------------------------------


def moves_air(device: Device) -> bool:
    """True when a device may put heat into the air (or states an airflow).

    Power shelves pass on the busbar load and are left out; a device whose liquid
    fraction is 1 and which states no airflow moves no air.
    """
    part = device.part
    if part.kind == "power-shelf" or part.airflow == "passive":
        return False
    if (part.cooling.airflow or 0.0) > 0.0:
        return True
    power = device_power(device, "max") or 0.0
    return power > 0.0 and part.cooling.liquid_fraction != 1.0


@dataclass(frozen=True)
class DeviceAir:
    """Air figures of one device."""

    id: str
    rack: str
    heat: Bounds  # [W] air heat
    airflow: float | None  # [m³/s] required airflow; None when not certain
    airflow_low: float  # [m³/s] certain lower bound of the required airflow
    airflow_source: str  # "stated" | "delta-t" | "none" | "unknown"


@dataclass(frozen=True)
class RackAir:
    """Air figures of one rack."""

    id: str
    heat: Bounds  # [W] air heat of its devices
    door: Bounds  # [W] removed by its rear door, at the low and at the high heat bound
    airflow: float | None  # [m³/s] None when not certain
    inlet: Bounds | None  # [K] inlet temperature bounds; None when it cannot be computed
    inlet_reason: str = ""  # why the inlet is not computed

    @property
    def exhaust_heat(self) -> Bounds:
        """Air heat leaving the rack after its rear door [W]."""
        return self.heat[0] - self.door[0], self.heat[1] - self.door[1]


@dataclass(frozen=True)
class AirSolution:
    """The air side in one scenario."""

    supply_temperature: float | None  # [K]
    density: float | None  # [kg/m³] at supply temperature and site pressure
    heat_capacity: float | None  # [J/(kg·K)]
    model: str  # "fraction" | "matrix"
    devices: dict[str, DeviceAir]
    racks: dict[str, RackAir]
    units: int | None
    live_units: int | None
    capacity: float | None  # [W] of the live units
    supplied_airflow: float | None  # [m³/s] of the live units
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def room_heat(self) -> Bounds:
        """Air heat the air units must remove: every rack's exhaust heat [W]."""
        heats = [r.exhaust_heat for r in self.racks.values()]
        return float(sum(h[0] for h in heats)), float(sum(h[1] for h in heats))

    @property
    def required_airflow(self) -> tuple[float, bool]:
        """Σ device airflow [m³/s] (a certain lower bound) and whether it is exact."""
        low = sum(d.airflow_low for d in self.devices.values())
        exact = all(d.airflow is not None for d in self.devices.values())
        return float(low), exact


def _device_air(device: Device, load: str, props: AirState | None) -> DeviceAir:
    part = device.part
    if not moves_air(device):
        return DeviceAir(device.id, device.rack, (0.0, 0.0), 0.0, 0.0, "none")
    power = device_power(device, load) or 0.0
    heat = device_air_heat(power, part.cooling.liquid_fraction)
    c = part.cooling
    if c.airflow is not None:
        return DeviceAir(device.id, device.rack, heat, c.airflow, c.airflow, "stated")
    if heat[1] == 0.0:
        return DeviceAir(device.id, device.rack, heat, 0.0, 0.0, "none")
    if c.air_delta_t is not None and c.air_delta_t > 0.0 and props is not None:
        low = airflow_for_heat(heat[0], props[0], props[1], c.air_delta_t)
        exact = low if heat[0] == heat[1] else None
        return DeviceAir(device.id, device.rack, heat, exact, low, "delta-t")
    return DeviceAir(device.id, device.rack, heat, None, 0.0, "unknown")


def _rack_heat(rack: Rack, devices: Mapping[str, DeviceAir]) -> tuple[Bounds, Bounds]:
    low = sum(devices[d.id].heat[0] for d in rack.devices)
    high = sum(devices[d.id].heat[1] for d in rack.devices)
    door = rack.rear_door
    capacity = door.rdhx.capacity if door is not None and door.rdhx is not None else None
    if door is None:
        removed = (0.0, 0.0)
    elif capacity is None:
        # capacity not published: the door takes anything from none to all of the heat,
        # so the exhaust is only bounded, [0, high] (at the low bound it took it all)
        removed = (float(low), 0.0)
    else:
        removed = (rear_door_heat(low, capacity), rear_door_heat(high, capacity))
    return (float(low), float(high)), removed


def _rack_airflow(rack: Rack, devices: Mapping[str, DeviceAir]) -> float | None:
    flows = [devices[d.id].airflow for d in rack.devices]
    if any(f is None for f in flows):
        return None
    return float(sum(flows))  # type: ignore[arg-type]


def _reachable(starts: Iterable[str], edges: Mapping[str, Mapping[str, float]]) -> set[str]:
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack += [j for j, a in edges.get(node, {}).items() if a > 0.0]
    return seen


def _fraction_inlets(
    racks: Sequence[tuple[Rack, Bounds, Bounds, float | None]],
    supply: float,
    recirculation: float,
    props: AirState | None,
) -> tuple[dict[str, tuple[Bounds | None, str]], list[str]]:
    out: dict[str, tuple[Bounds | None, str]] = {}
    problems: list[str] = []
    for rack, heat, door, airflow in racks:
        exhaust = (heat[0] - door[0], heat[1] - door[1])
        if recirculation == 0.0 or exhaust[1] == 0.0:
            out[rack.id] = ((supply, supply), "")
            continue
        if recirculation >= 1.0:
            problems.append(f"recirculation 1: rack '{rack.id}' would breathe only its own exhaust")
            out[rack.id] = (None, "recirculation 1 leaves the inlet unbounded")
            continue
        if airflow is None or props is None:
            why = (
                "a device's airflow is not certain" if airflow is None else "no supply temperature"
            )
            out[rack.id] = (None, why)
            continue
        if airflow == 0.0:
            problems.append(f"rack '{rack.id}' gives heat to the air but states no airflow")
            out[rack.id] = (None, "heat into the air with no airflow")
            continue
        rises = [
            fraction_model_rise(recirculation, rack_temperature_rise(q, airflow, *props))
            for q in exhaust
        ]
        out[rack.id] = ((supply + rises[0], supply + rises[1]), "")
    return out, problems


def _matrix_inlets(
    racks: Sequence[tuple[Rack, Bounds, Bounds, float | None]],
    supply: float,
    matrix: Mapping[str, Mapping[str, float]],
    props: AirState | None,
) -> tuple[dict[str, tuple[Bounds | None, str]], list[str]]:
    out: dict[str, tuple[Bounds | None, str]] = {}
    problems: list[str] = []
    flows = {rack.id: airflow for rack, _, _, airflow in racks}
    if props is None:
        return {r.id: (None, "no supply temperature") for r, *_ in racks}, problems
    # A rack of unknown airflow K_i changes the inlets its exhaust reaches (directly or
    # through other racks) and its own inlet when exhaust reaches it (the supply share
    # is K_i − Σ a_ki K_k); one that receives no exhaust breathes supply air.
    receives = {j for row in matrix.values() for j, share in row.items() if share > 0.0}
    blind = [rid for rid, f in flows.items() if f is None]
    successors = (j for i in blind for j, share in matrix.get(i, {}).items() if share > 0.0)
    unknown = _reachable(successors, matrix) | (set(blind) & receives)
    for rid in unknown:
        out[rid] = (
            None,
            "the airflow of this rack, or of one whose exhaust reaches it, is not certain",
        )
    for rid in set(blind) - unknown:
        out[rid] = ((supply, supply), "")
    solved = [(r, h, d, f) for r, h, d, f in racks if f is not None and r.id not in unknown]
    moving = [item for item in solved if item[3] > 0.0]
    still = [item for item in solved if item[3] == 0.0]
    for rack, heat, door, _ in still:
        incoming = [i for i, row in matrix.items() if row.get(rack.id, 0.0) > 0.0]
        if heat[1] - door[1] > 0.0:
            problems.append(f"rack '{rack.id}' gives heat to the air but states no airflow")
            out[rack.id] = (None, "heat into the air with no airflow")
        elif incoming:
            problems.append(
                f"rack '{rack.id}' moves no air, yet the recirculation matrix sends exhaust "
                f"of {', '.join(sorted(incoming))} to its inlet"
            )
            out[rack.id] = (None, "recirculated exhaust into a rack that draws no air")
        else:
            out[rack.id] = ((supply, supply), "")
    if not moving:
        return out, problems
    ids = [r.id for r, *_ in moving]
    index = {rid: k for k, rid in enumerate(ids)}
    a = np.zeros((len(ids), len(ids)))
    for i, row in matrix.items():
        for j, share in row.items():
            if i in index and j in index:
                a[index[i], index[j]] = share
    k = np.array([props[0] * props[1] * f for *_, f in moving])  # K_i = ρ c_p V̇_i
    try:
        d = heat_to_inlet_matrix(k, a)
    except ValueError as exc:
        message = str(exc)
        for j, rid in enumerate(ids):
            message = message.replace(f"inlet {j} ", f"rack '{rid}' ", 1)
        problems.append(f"recirculation matrix: {message}")
        for rid in ids:
            out[rid] = (None, "the recirculation matrix cannot be solved")
        return out, problems
    lows = inlet_temperatures(supply, d, [h[0] - dr[0] for _, h, dr, _ in moving])
    highs = inlet_temperatures(supply, d, [h[1] - dr[1] for _, h, dr, _ in moving])
    for n, rid in enumerate(ids):
        out[rid] = ((float(lows[n]), float(highs[n])), "")
    return out, problems


def solve_air(design: Design, scenario: Scenario, load: str = "max") -> AirSolution:
    """The air side of a design in one scenario.

    Per device its air heat (bounds) and required airflow; per rack its air heat, what
    its rear door removes, its airflow and its inlet temperature (fraction model, or
    Tang's matrix when ``site.air.recirculation_matrix`` is given); the capacity and
    airflow of the air units still running (``air-unit-lost`` removes one).
    """
    air = design.site.air
    supply = air.supply_temperature if air is not None else None
    density = heat_capacity = None
    problems: list[str] = []
    if supply is not None:
        altitude = design.site.altitude or 0.0
        try:
            props = air_properties(supply, standard_pressure(altitude))
            density, heat_capacity = props.density, props.heat_capacity
        except ValueError as exc:
            problems.append(f"air properties at the supply temperature: {exc}")
    props = (density, heat_capacity) if density is not None and heat_capacity else None
    devices = {d.id: _device_air(d, load, props) for d in design.devices}
    rows = []
    for rack in design.racks:
        heat, door = _rack_heat(rack, devices)
        rows.append((rack, heat, door, _rack_airflow(rack, devices)))
    matrix = air.recirculation_matrix if air is not None else None
    if supply is None:
        inlets = {rack.id: (None, "no supply temperature") for rack, *_ in rows}
    elif matrix is not None:
        inlets, found = _matrix_inlets(rows, supply, matrix, props)
        problems += found
    else:
        share = air.recirculation if air is not None and air.recirculation is not None else 0.0
        inlets, found = _fraction_inlets(rows, supply, share, props)
        problems += found
    racks = {
        rack.id: RackAir(rack.id, heat, door, airflow, *inlets[rack.id])
        for rack, heat, door, airflow in rows
    }
    units = air.units if air is not None else None
    lost = scenario.air_units_lost
    live = None if units is None else max(units - lost, 0)
    return AirSolution(
        supply_temperature=supply,
        density=density,
        heat_capacity=heat_capacity,
        model="matrix" if matrix is not None else "fraction",
        devices=devices,
        racks=racks,
        units=units,
        live_units=live,
        capacity=live_share(air.cooling_capacity if air else None, units, lost),
        supplied_airflow=live_share(air.airflow if air else None, units, lost),
        problems=tuple(problems),
    )
