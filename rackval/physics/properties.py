"""The thermophysical properties a table lookup returns, shared by coolants and air."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["FluidProperties", "grid_position"]

_KELVIN = 273.15  # [K] at 0 °C, for messages
_EDGE = 1e-9  # [K] rounding allowance at the ends of a table


@dataclass(frozen=True)
class FluidProperties:
    """Thermophysical properties of a fluid (coolant or air) at one state.

    Attributes
    ----------
    density : float
        Mass density ρ. [kg/m³]
    heat_capacity : float
        Specific isobaric heat capacity c_p. [J/(kg·K)]
    viscosity : float
        Dynamic viscosity μ. [Pa·s]
    conductivity : float
        Thermal conductivity k. [W/(m·K)]

    Examples
    --------
    >>> p = FluidProperties(1000.0, 4000.0, 1.0e-3, 0.6)
    >>> p.kinematic_viscosity, p.volumetric_heat_capacity, round(p.prandtl, 3)
    (1e-06, 4000000.0, 6.667)
    """

    density: float
    heat_capacity: float
    viscosity: float
    conductivity: float

    @property
    def kinematic_viscosity(self) -> float:
        """ν = μ / ρ. [m²/s]"""
        return self.viscosity / self.density

    @property
    def volumetric_heat_capacity(self) -> float:
        """ρ · c_p. [J/(m³·K)]"""
        return self.density * self.heat_capacity

    @property
    def prandtl(self) -> float:
        """Pr = μ · c_p / k. [1]"""
        return self.viscosity * self.heat_capacity / self.conductivity


def grid_position(
    grid: Mapping[str, float], temperature: float, what: str, table: str
) -> tuple[int, float]:
    """Interval and weight of a temperature on a table's uniform temperature grid.

    Parameters
    ----------
    grid : mapping
        The table's grid: ``min`` [K], ``step`` [K] and ``count`` [1].
    temperature : float
        Where to look up. [K]
    what : str
        What the temperature is, for the message ("air temperature").
    table : str
        Which table, for the message ("PG25 table").

    Returns
    -------
    tuple of (int, float)
        ``(i, w)``: the value lies between grid points ``i`` and ``i + 1`` at weight
        ``w`` in 0..1. [1]

    Raises
    ------
    ValueError
        The temperature is outside the grid (or NaN): "<what> … K is outside the <table>".

    Examples
    --------
    >>> grid_position({"min": 273.15, "step": 5.0, "count": 3}, 280.65, "temperature", "table")
    (1, 0.5)
    """
    t_min, step, count = grid["min"], grid["step"], grid["count"]
    t_max = t_min + step * (count - 1)
    if not (t_min - _EDGE <= temperature <= t_max + _EDGE):  # also rejects NaN
        raise ValueError(
            f"{what} {temperature:.2f} K ({temperature - _KELVIN:.2f} °C) is outside the "
            f"{table}: {t_min:.2f}–{t_max:.2f} K "
            f"({t_min - _KELVIN:.2f}–{t_max - _KELVIN:.2f} °C)"
        )
    position = min(max((temperature - t_min) / step, 0.0), count - 1.0)
    i = min(int(position), count - 2)
    return i, position - i
