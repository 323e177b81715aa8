"""The figures the demo reproduces, and the yearly series around them.

The bureau's report (October 2025, on the 14th Five-Year Plan) gives the anchors marked
"report"; the years between are a plausible ramp. ``--scale`` multiplies every volume here, so
the anchors become ``round(anchor × scale)``; the statistics bureau's inputs are not volumes and
are never scaled.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

# The demo's "today": every timeline is cut here, so the data set does not depend on the day
# it is generated. Late January 2026 keeps all of 2025 complete and a few 2026 records open.
AS_OF = datetime.date(2026, 1, 30)

PLAN_YEARS = range(2021, 2026)  # 14th Five-Year Plan

# --- Certifications: organisations holding a valid certificate on 31 December ----------------

# Technology-based enterprises (annual registration). Report: 75,600 in 2025, 2.8× 2020.
TECH_ENTERPRISES = {
    2016: 9_000,
    2017: 12_500,
    2018: 16_800,
    2019: 21_500,
    2020: 27_000,  # report
    2021: 36_900,
    2022: 42_900,
    2023: 51_200,
    2024: 63_000,
    2025: 75_600,  # report
}
# Share of last year's registered enterprises that register again.
TECH_RETENTION = 0.98

# High-tech enterprises (three-year certificates). A certificate issued in year Y is valid on
# 31 December of Y, Y+1 and Y+2, so the count in Y is the certificates issued in Y-2..Y. These
# are the certificates issued per year; 2020 and 2025 are solved so that the report's counts
# come out exactly.
HIGH_TECH_ISSUED = {
    2014: 560,
    2015: 640,
    2016: 800,
    2017: 1_000,
    2018: 1_200,
    2019: 1_400,
    2021: 2_000,
    2022: 2_300,
    2023: 2_700,
    2024: 3_050,
}
HIGH_TECH_VALID = {2020: 4_344, 2025: 9_123}  # report: 9,123 in 2025, 2.1× 2020
HIGH_TECH_RENEWAL = 0.8

# Established enterprises that never registered as technology-based SMEs (large manufacturers
# among them); some hold high-tech certificates, many buy technology.
ESTABLISHED_ENTERPRISES = 3_000
PENDING_ORGANISATIONS = 400
REJECTED_ORGANISATIONS = 120

# --- Innovation platforms of municipal level and above, open on 31 December ------------------

PLATFORMS = {
    2016: 400,
    2017: 450,
    2018: 510,
    2019: 575,
    2020: 648,  # report: half of 2025
    2021: 760,
    2022: 880,
    2023: 1_020,
    2024: 1_160,
    2025: 1_297,  # report
}
PLATFORM_CLOSURES = {2017: 3, 2018: 4, 2019: 4, 2020: 5, 2021: 6, 2022: 6, 2023: 7, 2024: 8}
DISTRICT_PLATFORMS = 320
NATIONAL_SHARE = 0.06

# --- Research projects and bottlenecks -------------------------------------------------------

# Projects approved per year; 2021–2025 add up to 645 (report: "600+").
PROJECT_APPROVALS = {2019: 60, 2020: 80, 2021: 115, 2022: 125, 2023: 130, 2024: 135, 2025: 140}
PROJECTS_PROPOSED = 35
PROPOSALS_WITHDRAWN = 8
RESOLVED_BOTTLENECKS = 304  # report: resolved in 2021–2025
BOTTLENECKS_IDENTIFIED = 90
BOTTLENECKS_DROPPED = 25

# --- Technical needs ---------------------------------------------------------------------------

NEEDS_PUBLISHED = {
    2019: 90,
    2020: 120,
    2021: 170,
    2022: 210,
    2023: 250,
    2024: 290,
    2025: 320,
    2026: 18,
}
NEEDS_REJECTED_SHARE = 0.08
NEEDS_WITHDRAWN_SHARE = 0.03
NEEDS_PENDING = {"draft": 14, "submitted": 10, "in_review": 12, "returned": 8}

# --- Enterprise shares (report: 70 %); the demo aims a little above, year by year ------------

NEED_ENTERPRISE_SHARE = {
    2019: 0.71,
    2020: 0.72,
    2021: 0.73,
    2022: 0.74,
    2023: 0.75,
    2024: 0.76,
    2025: 0.74,
    2026: 0.74,
}
PROJECT_ENTERPRISE_LED_SHARE = {
    2019: 0.55,
    2020: 0.57,
    2021: 0.58,
    2022: 0.60,
    2023: 0.61,
    2024: 0.62,
    2025: 0.60,
}
PROJECT_ENTERPRISE_INVOLVED_SHARE = {
    2019: 0.71,
    2020: 0.72,
    2021: 0.73,
    2022: 0.75,
    2023: 0.74,
    2024: 0.76,
    2025: 0.75,
}
PUBLIC_FUNDS_ENTERPRISE_SHARE = {
    2019: 0.70,
    2020: 0.71,
    2021: 0.72,
    2022: 0.73,
    2023: 0.75,
    2024: 0.76,
    2025: 0.74,
    2026: 0.74,
}
SELF_RAISED_ENTERPRISE_SHARE = {
    2019: 0.70,
    2020: 0.71,
    2021: 0.73,
    2022: 0.72,
    2023: 0.74,
    2024: 0.75,
    2025: 0.76,
    2026: 0.75,
}

# --- Technology contracts registered per year ----------------------------------------------

# Σ contract amount of the contracts registered in the year (yuan). Report: 97.424 bn in 2024,
# 5× 2020. 2026 holds January only.
CONTRACT_VOLUME = {
    2016: Decimal("6120000000"),
    2017: Decimal("7860000000"),
    2018: Decimal("11730000000"),
    2019: Decimal("15210000000"),
    2020: Decimal("19484800000"),  # report
    2021: Decimal("32350000000"),
    2022: Decimal("54900000000"),
    2023: Decimal("76700000000"),
    2024: Decimal("97424000000"),  # report
    2025: Decimal("112600000000"),
    2026: Decimal("4180000000"),
}
CONTRACTS_REGISTERED = {
    2016: 700,
    2017: 800,
    2018: 950,
    2019: 1_100,
    2020: 1_300,
    2021: 1_700,
    2022: 2_200,
    2023: 2_600,
    2024: 3_000,
    2025: 3_200,
    2026: 110,
}
CONTRACTS_REFUSED_SHARE = 0.015
CONTRACTS_CANCELLED_SHARE = 0.006
CONTRACTS_PENDING = {"submitted": 35, "supplement_requested": 15}

# --- Statistics bureau inputs (not scaled) --------------------------------------------------

# year: (GDP, R&D expenditure, resident population, invention patents in force)
STATISTICS = {
    2016: (Decimal("1802300000000"), Decimal("30218000000"), 30_480_000, 14_200),
    2017: (Decimal("2006600000000"), Decimal("36480000000"), 30_750_000, 17_500),
    2018: (Decimal("2158900000000"), Decimal("41020000000"), 31_020_000, 20_700),
    2019: (Decimal("2360600000000"), Decimal("46760000000"), 31_240_000, 24_400),
    2020: (Decimal("2500300000000"), Decimal("52680000000"), 32_090_000, 28_900),
    2021: (Decimal("2789400000000"), Decimal("60350000000"), 32_120_000, 34_300),
    2022: (Decimal("2912900000000"), Decimal("68660000000"), 32_130_000, 40_200),
    2023: (Decimal("3014600000000"), Decimal("74160000000"), 31_910_000, 46_800),
    2024: (Decimal("3219300000000"), Decimal("80600000000"), 31_905_000, 52_900),
    2025: (Decimal("3390000000000"), Decimal("89500000000"), 31_880_000, 59_000),
}
STATISTICS_SOURCE = "重庆市统计局"


def scaled(value: float, scale: float) -> int:
    """A volume at ``scale`` (never negative)."""
    return max(0, round(value * scale))


def scaled_amount(value: Decimal, scale: float) -> Decimal:
    """A money figure at ``scale``, in whole yuan (whole yuan keep SQLite's sums exact)."""
    return (value * Decimal(str(scale))).quantize(Decimal(1))


def high_tech_issued(scale: float) -> dict[int, int]:
    """Certificates issued per year, 2014–2025, with 2020 and 2025 solved for the anchors."""
    issued = {year: scaled(count, scale) for year, count in HIGH_TECH_ISSUED.items()}
    for year, valid in HIGH_TECH_VALID.items():
        issued[year] = scaled(valid, scale) - issued[year - 1] - issued[year - 2]
        if issued[year] < 0:
            raise ValueError(f"scale {scale} is too small for the high-tech series")
    return dict(sorted(issued.items()))
