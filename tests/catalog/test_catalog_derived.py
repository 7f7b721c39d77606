"""Every figure the reference derives (or a part file marks ``derived:``) is recomputed here.

Constants are those of reference/hardware.md and fluids.md: dry air at 25 °C
(ρ = 1.1843 kg/m³, c_p = 1006.3 J/(kg·K), CoolProp 8.0.0), 1 m³/s = 2118.88 CFM,
1 W = 3.41214 BTU/h.
"""

from __future__ import annotations

import math

import pytest

from rackval import units
from rackval.catalog import load_catalog

CATALOG = load_catalog()
RHO_AIR = 1.1843  # [kg/m³] dry air, 25 °C, 101325 Pa (fluids.md)
CP_AIR = 1006.3  # [J/(kg·K)] same
CFM_PER_M3S = 2118.88  # (hardware.md header)
BTUH_PER_W = 3.41214  # (hardware.md header)
SQRT3 = math.sqrt(3.0)


def part(slug):
    return CATALOG.get(slug)


def air_delta_t(slug):
    p = part(slug)
    return p.power.max / (RHO_AIR * CP_AIR * p.cooling.airflow)


# (slug, provenance key, recomputed value, figure in the part or the reference, tolerance)
DERIVED = [
    # ΔT = P / (ρ c_p V̇), hardware.md §1 and §3 (values rounded to 0.1 K there)
    (
        "nvidia-dgx-h100",
        "cooling.air_delta_t",
        lambda: air_delta_t("nvidia-dgx-h100"),
        lambda: part("nvidia-dgx-h100").cooling.air_delta_t,
        0.05,
    ),
    (
        "nvidia-dgx-h200",
        "cooling.air_delta_t",
        lambda: air_delta_t("nvidia-dgx-h200"),
        lambda: 16.4,
        0.05,
    ),
    (
        "nvidia-dgx-b200",
        "cooling.air_delta_t",
        lambda: air_delta_t("nvidia-dgx-b200"),
        lambda: part("nvidia-dgx-b200").cooling.air_delta_t,
        0.05,
    ),
    (
        "nvidia-dgx-b300",
        "cooling.air_delta_t",
        lambda: air_delta_t("nvidia-dgx-b300"),
        lambda: part("nvidia-dgx-b300").cooling.air_delta_t,
        0.05,
    ),
    (
        "nvidia-dgx-b300-dc",
        "cooling.air_delta_t",
        lambda: air_delta_t("nvidia-dgx-b300-dc"),
        lambda: part("nvidia-dgx-b300-dc").cooling.air_delta_t,
        0.05,
    ),
    (
        "nvidia-ufm-enterprise-appliance",
        "cooling.air_delta_t",
        lambda: air_delta_t("nvidia-ufm-enterprise-appliance"),
        lambda: part("nvidia-ufm-enterprise-appliance").cooling.air_delta_t,
        0.05,
    ),
    # BTU/h → W: DGX H100 heat output 38,557 BTU/h = 11.3 kW; DGX B200 48,794 BTU/h = 14.3 kW
    ("nvidia-dgx-h100", "heat_output", lambda: 38557 / BTUH_PER_W, lambda: 11300.0, 50.0),
    ("nvidia-dgx-h200", "heat_output", lambda: 38557 / BTUH_PER_W, lambda: 11300.0, 50.0),
    (
        "nvidia-dgx-b200",
        "power.max.check",
        lambda: 48794 / BTUH_PER_W,
        lambda: part("nvidia-dgx-b200").power.max,
        5.0,
    ),
    # NetApp: typical / worst case BTU/h → W (the part keeps BTU/h; parse gives W)
    ("netapp-aff-a90", "power.max", lambda: part("netapp-aff-a90").power.max, lambda: 3209.0, 1.0),
    (
        "netapp-aff-a90",
        "power.typical",
        lambda: part("netapp-aff-a90").power.typical,
        lambda: 2434.0,
        1.0,
    ),
    ("netapp-aff-a70", "power.max", lambda: part("netapp-aff-a70").power.max, lambda: 2664.0, 1.0),
    (
        "netapp-aff-a70",
        "power.typical",
        lambda: part("netapp-aff-a70").power.typical,
        lambda: 2033.0,
        1.0,
    ),
    # PSU arithmetic
    (
        "nvidia-dgx-b300",
        "power.psus_required",
        lambda: part("nvidia-dgx-b300").power.psus / 2,
        lambda: part("nvidia-dgx-b300").power.psus_required,
        0.0,
    ),
    (
        "dell-poweredge-xe9680",
        "power.psu_rating",
        lambda: 19200 / 6,
        lambda: part("dell-poweredge-xe9680").power.psu_rating,
        0.0,
    ),
    (
        "ocp-orv3-hpr-power-shelf",
        "power_shelf.psus",
        lambda: 33e3 / 5.5e3,
        lambda: part("ocp-orv3-hpr-power-shelf").power_shelf.psus,
        0.0,
    ),
    # busbar currents I = P / V at 48 V (hardware.md §6)
    (
        "ocp-orv3-power-shelf",
        "power_shelf.current",
        lambda: (lambda s: s.psus * s.psu_rating / s.output_voltage)(
            part("ocp-orv3-power-shelf").power_shelf
        ),
        lambda: 375.0,
        1e-9,
    ),
    (
        "ocp-orv3-hpr-power-shelf",
        "power_shelf.current",
        lambda: (lambda s: s.psus * s.psu_rating / s.output_voltage)(
            part("ocp-orv3-hpr-power-shelf").power_shelf
        ),
        lambda: 687.5,
        1e-9,
    ),
    # PDU ratings (hardware.md §5)
    (
        "apc-ap8886",
        "pdu.rating",
        lambda: 3 * 230.0 * part("apc-ap8886").pdu.current,
        lambda: 22080.0,
        1e-9,
    ),
    (
        "apc-ap8888",
        "pdu.current",
        lambda: 23e3 / (SQRT3 * 415.0),
        lambda: part("apc-ap8888").pdu.current,
        0.05,
    ),
    (
        "raritan-px3-5878i2r-p1q1r1a5d5",
        "pdu.rating",
        lambda: (lambda d: SQRT3 * d.voltage * 0.8 * d.current)(
            part("raritan-px3-5878i2r-p1q1r1a5d5").pdu
        ),
        lambda: 34.5e3,
        10.0,
    ),
    (
        "vertiv-geist-gi10022l",
        "pdu.current",
        lambda: 7360.0 / part("vertiv-geist-gi10022l").pdu.voltage,
        lambda: part("vertiv-geist-gi10022l").pdu.current,
        1e-9,
    ),
    (
        "raritan-px3-5724v",
        "pdu.current",
        lambda: 8.6e3 / (SQRT3 * 208.0) / 0.8,
        lambda: part("raritan-px3-5724v").pdu.current,
        0.2,
    ),
]

# DGX B300 compute ports: 576 node-leaf cables for the 72 nodes of one SU (B300 XDR RA, Table 3)
DERIVED += [
    (
        slug,
        "interfaces",
        lambda: 576 / 72,
        lambda slug=slug: sum(i.type == "800gbase-x-osfp" for i in part(slug).interfaces),
        0,
    )
    for slug in ("nvidia-dgx-b300", "nvidia-dgx-b300-dc")
]

DERIVED_IDS = [f"{slug}:{key}" for slug, key, *_ in DERIVED]


@pytest.mark.parametrize(("slug", "key", "compute", "expected", "tol"), DERIVED, ids=DERIVED_IDS)
def test_derived_figure(slug, key, compute, expected, tol):
    assert part(slug).provenance.get(key), f"{slug} documents {key} in its provenance"
    assert compute() == pytest.approx(expected(), abs=tol)


def test_every_derived_provenance_entry_is_recomputed():
    covered = {(slug, key) for slug, key, *_ in DERIVED}
    for p in CATALOG:
        for key, text in p.provenance.items():
            if "derived:" in text or "derived =" in text or "(derived" in text:
                assert (p.slug, key) in covered, f"{p.slug} {key}: {text}"


def test_cfm_conversion():
    # 1 CFM = 0.3048³ m³ / 60 s = 4.719474e-4 m³/s; hardware.md uses 1 m³/s = 2118.88 CFM
    assert units.parse("2118.88 CFM", "volume_flow") == pytest.approx(1.0, rel=1e-5)
    assert part("nvidia-dgx-h100").cooling.airflow == pytest.approx(1105 / CFM_PER_M3S, rel=1e-5)


def test_heat_output_above_max_power_is_kept_as_documented():
    # hardware.md §1: 38,557 BTU/h (11.3 kW) is above the 10.2 kW maximum; both are kept
    assert 38557 / BTUH_PER_W > part("nvidia-dgx-h100").power.max


def test_pg25_flow_guideline_matches_fluid_properties():
    # fluids.md: PG25 at 35 °C, ρ = 1012.48 kg/m³, c_p = 3956.7 J/(kg·K); ΔT = 10 K
    per_kw = 60_000 / (1012.48 * 3956.7 * 10 / 1000)  # L/min per kW
    assert per_kw == pytest.approx(1.498, abs=1e-3)
