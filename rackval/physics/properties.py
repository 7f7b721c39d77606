"""The thermophysical properties a table lookup returns, shared by coolants and air."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FluidProperties"]


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
