"""A small crafted data set and every figure it must give, computed by hand.

Two districts with records (Shapingba 500106, Yubei 500112), one without (Wanzhou 500101);
poles digital and health, a bottleneck in materials. Each record sits on a boundary the
definitions care about: a certificate ending on 31 December, a platform closing on it, a
need published half an hour after midnight Beijing time on New Year's Day, a cancelled
contract, a project terminated after approval, overlapping certificates of one enterprise.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

from projects.models import (
    Bottleneck,
    Certification,
    FundingAllocation,
    InnovationPlatform,
    Organization,
    Pole,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
)
from tests import factories

SHAPINGBA = "500106"
YUBEI = "500112"
WANZHOU = "500101"  # no record at all

CITY = "city"
D_SPB = f"district:{SHAPINGBA}"
D_YB = f"district:{YUBEI}"
D_EMPTY = f"district:{WANZHOU}"
P_DIG = "pole:digital"
P_HEA = "pole:health"
P_MAT = "pole:materials"
CHECKED_SCOPES = (CITY, D_SPB, D_YB, D_EMPTY, P_DIG, P_HEA, P_MAT)
CHECKED_YEARS = (2020, 2023, 2024, 2025)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = Decimal


def build() -> dict[str, Any]:
    """Create the records; returns them by name for tests that change them."""
    org = factories.OrganizationFactory
    e1 = org(kind=Organization.Kind.ENTERPRISE, district=SHAPINGBA, pole=Pole.DIGITAL)
    e2 = org(kind=Organization.Kind.ENTERPRISE, district=YUBEI, pole=Pole.HEALTH)
    e3 = org(kind=Organization.Kind.ENTERPRISE, district=YUBEI, pole=Pole.DIGITAL)
    e_nopole = org(kind=Organization.Kind.ENTERPRISE, district=SHAPINGBA, pole="")
    u1 = org(kind=Organization.Kind.UNIVERSITY, district=SHAPINGBA, pole=Pole.DIGITAL)
    u2 = org(kind=Organization.Kind.RESEARCH_INSTITUTE, district=YUBEI, pole=Pole.HEALTH)
    records: dict[str, Any] = {"e1": e1, "e2": e2, "e3": e3, "u1": u1, "u2": u2}

    # Contracts: scoped by the seller's district and pole, copied onto the contract.
    def contract(seller: Organization, buyer: Organization, state: str, **kwargs: Any) -> Any:
        day = kwargs.get("registered_on") or datetime.date(2024, 1, 2)
        return factories.TransferContractFactory(
            seller=seller,
            buyer=buyer,
            state=state,
            signed_on=day - datetime.timedelta(days=20),
            submitted_on=day - datetime.timedelta(days=10),
            registration_number=(
                f"2024500{TransferContract.objects.count():06d}"
                if state in ("registered", "cancelled")
                else None
            ),
            **kwargs,
        )

    registered = TransferContract.State.REGISTERED
    records["c1"] = contract(
        u1,
        e1,
        registered,
        registered_on=datetime.date(2024, 3, 10),
        contract_amount=D("1000000.00"),
        technology_transaction_amount=D("900000.00"),
    )
    records["c2"] = contract(
        e2,
        e1,
        registered,
        registered_on=datetime.date(2024, 12, 31),
        contract_amount=D("2000000.00"),
        technology_transaction_amount=D("1500000.00"),
    )
    contract(
        e3,
        u1,
        registered,
        registered_on=datetime.date(2023, 6, 1),
        contract_amount=D("500000.00"),
        technology_transaction_amount=D("500000.00"),
    )
    contract(  # cancelled after registration: out
        u1,
        e2,
        TransferContract.State.CANCELLED,
        registered_on=datetime.date(2024, 5, 1),
        contract_amount=D("9999.00"),
        technology_transaction_amount=D("9999.00"),
    )
    contract(u1, e2, TransferContract.State.SUBMITTED)  # not registered: out
    contract(  # New Year's Day: 2025, not 2024
        e2,
        e3,
        registered,
        registered_on=datetime.date(2025, 1, 1),
        contract_amount=D("7000.00"),
        technology_transaction_amount=D("7000.00"),
    )
    contract(  # the seller has no pole: city and district only
        e_nopole,
        e2,
        registered,
        registered_on=datetime.date(2024, 8, 8),
        contract_amount=D("100000.00"),
        technology_transaction_amount=D("50000.00"),
    )
    contract(  # the base year
        u1,
        e3,
        registered,
        registered_on=datetime.date(2020, 7, 1),
        contract_amount=D("600000.00"),
        technology_transaction_amount=D("500000.00"),
    )

    # Certifications: counted per organisation valid on 31 December.
    cert = factories.CertificationFactory
    high_tech, tech = Certification.Kind.HIGH_TECH, Certification.Kind.TECH_ENTERPRISE
    day = datetime.date
    cert(
        organization=e1, kind=high_tech, valid_from=day(2022, 11, 1), valid_until=day(2025, 10, 31)
    )
    # Renewed before the old certificate ended: both valid on 2024-12-31, E1 counts once.
    cert(
        organization=e1, kind=high_tech, valid_from=day(2024, 11, 1), valid_until=day(2027, 10, 31)
    )
    cert(organization=e2, kind=high_tech, valid_from=day(2021, 1, 1), valid_until=day(2024, 12, 31))
    cert(organization=e3, kind=high_tech, valid_from=day(2025, 1, 1), valid_until=day(2027, 12, 31))
    cert(organization=e1, kind=tech, valid_from=day(2024, 1, 1), valid_until=day(2024, 12, 31))
    cert(organization=e3, kind=tech, valid_from=day(2024, 3, 1), valid_until=day(2025, 2, 28))
    # Ends the day before 31 December: never counted.
    cert(organization=e2, kind=tech, valid_from=day(2023, 1, 1), valid_until=day(2023, 12, 30))

    # Platforms: municipal and above, open on 31 December; host district, platform pole.
    platform = factories.InnovationPlatformFactory
    municipal, national = InnovationPlatform.Level.MUNICIPAL, InnovationPlatform.Level.NATIONAL
    platform(host=u1, level=municipal, pole=Pole.DIGITAL, established_on=day(2021, 6, 1))
    platform(
        host=e2,
        level=national,
        pole=Pole.HEALTH,
        established_on=day(2020, 1, 1),
        closed_on=day(2024, 12, 31),  # closed on the day: not open on 2024-12-31
    )
    platform(
        host=e1,
        level=InnovationPlatform.Level.DISTRICT,
        pole=Pole.DIGITAL,
        established_on=day(2019, 1, 1),
    )
    # The platform's pole (digital) differs from its host's (health); the platform's counts.
    platform(host=u2, level=municipal, pole=Pole.DIGITAL, established_on=day(2024, 12, 31))
    platform(host=u1, level=municipal, pole=Pole.HEALTH, established_on=day(2025, 1, 1))

    # Projects: lead district, project pole.
    project = factories.ResearchProjectFactory
    state = ResearchProject.State
    r1 = project(lead=e1, pole=Pole.DIGITAL, approved_on=day(2024, 2, 1), state=state.IN_PROGRESS)
    factories.ProjectParticipantFactory(project=r1, organization=u1)
    r2 = project(lead=u1, pole=Pole.HEALTH, approved_on=day(2024, 5, 1), state=state.APPROVED)
    factories.ProjectParticipantFactory(project=r2, organization=e2)
    r3 = project(lead=u2, pole=Pole.HEALTH, approved_on=day(2024, 7, 1), state=state.TERMINATED)
    factories.ProjectParticipantFactory(project=r3, organization=u1)
    project(lead=e3, pole=Pole.DIGITAL, state=state.PROPOSED)
    # Proposed but carrying a date (allowed by the constraint): not approved, out.
    project(lead=e3, pole=Pole.DIGITAL, approved_on=day(2024, 3, 1), state=state.PROPOSED)
    r5 = project(lead=u2, pole=Pole.DIGITAL, approved_on=day(2023, 9, 1), state=state.COMPLETED)
    factories.ProjectParticipantFactory(project=r5, organization=e3)
    records.update(r1=r1, r2=r2, r3=r3, r5=r5)

    # Bottlenecks: pole of the bottleneck, district of the resolving project's lead.
    bottleneck = factories.BottleneckFactory
    resolved = Bottleneck.State.RESOLVED
    bottleneck(pole=Pole.DIGITAL, state=resolved, resolved_on=day(2024, 6, 1), resolved_by=r1)
    bottleneck(pole=Pole.MATERIALS, state=resolved, resolved_on=day(2024, 11, 11), resolved_by=r3)
    bottleneck(pole=Pole.HEALTH, state=resolved, resolved_on=day(2024, 8, 1))
    bottleneck(pole=Pole.DIGITAL, state=Bottleneck.State.TARGETED)
    bottleneck(pole=Pole.DIGITAL, state=resolved, resolved_on=day(2023, 3, 3), resolved_by=r5)

    # Needs: published in the year (Beijing time), proposer's district, need's pole.
    need = factories.TechnicalNeedFactory
    needs = TechnicalNeed.State

    def at(*args: int) -> datetime.datetime:
        return datetime.datetime(*args, tzinfo=SHANGHAI)

    need(proposer=e1, pole=Pole.DIGITAL, state=needs.PUBLISHED, published_at=at(2024, 4, 1, 10))
    need(proposer=u1, pole=Pole.DIGITAL, state=needs.MATCHED, published_at=at(2024, 5, 1, 9))
    need(proposer=e2, pole=Pole.HEALTH, state=needs.CLOSED, published_at=at(2024, 12, 31, 23, 30))
    # 2024-12-31 16:30 UTC, but 2025 in Beijing.
    need(proposer=e2, pole=Pole.HEALTH, state=needs.EXPIRED, published_at=at(2025, 1, 1, 0, 30))
    need(proposer=e3, pole=Pole.DIGITAL, state=needs.WITHDRAWN)
    need(proposer=e3, pole=Pole.DIGITAL, state=needs.DRAFT)

    # Funding: receiving organisation's district, project's pole, allocation year.
    fund = factories.FundingAllocationFactory
    public, self_raised = FundingAllocation.Source.PUBLIC, FundingAllocation.Source.SELF_RAISED
    fund(project=r1, organization=e1, source=public, amount=D("600000.00"), year=2024)
    fund(project=r1, organization=u1, source=public, amount=D("400000.00"), year=2024)
    fund(project=r1, organization=e1, source=self_raised, amount=D("1000000.00"), year=2024)
    fund(project=r2, organization=e2, source=public, amount=D("300000.00"), year=2024)
    fund(project=r2, organization=e2, source=self_raised, amount=D("200000.00"), year=2024)
    fund(project=r2, organization=u1, source=self_raised, amount=D("500000.00"), year=2024)
    fund(project=r3, organization=u2, source=public, amount=D("100000.00"), year=2023)

    stat = factories.YearlyStatisticFactory
    stat(
        year=2024,
        gdp=D("3000000000000.00"),
        rd_expenditure=D("75000000000.00"),
        population=32_000_000,
        invention_patents=48_000,
    )
    stat(
        year=2020,
        gdp=D("2500000000000.00"),
        rd_expenditure=D("50000000000.00"),
        population=32_000_000,
        invention_patents=32_000,
    )
    return records


# (code, year, scope) -> value. Every (code, year, scope) of CHECKED_* not listed is 0 for
# counts and amounts, and None (nothing to divide by) for ratios.
EXPECTED: dict[tuple[str, int, str], Decimal | None] = {
    # contracts
    ("contract_volume", 2024, CITY): D("3100000"),
    ("contract_volume", 2024, D_SPB): D("1100000"),
    ("contract_volume", 2024, D_YB): D("2000000"),
    ("contract_volume", 2024, P_DIG): D("1000000"),
    ("contract_volume", 2024, P_HEA): D("2000000"),
    ("contract_volume", 2023, CITY): D("500000"),
    ("contract_volume", 2023, D_YB): D("500000"),
    ("contract_volume", 2023, P_DIG): D("500000"),
    ("contract_volume", 2025, CITY): D("7000"),
    ("contract_volume", 2025, D_YB): D("7000"),
    ("contract_volume", 2025, P_HEA): D("7000"),
    ("contract_volume", 2020, CITY): D("600000"),
    ("contract_volume", 2020, D_SPB): D("600000"),
    ("contract_volume", 2020, P_DIG): D("600000"),
    ("tech_transaction_amount", 2024, CITY): D("2450000"),
    ("tech_transaction_amount", 2024, D_SPB): D("950000"),
    ("tech_transaction_amount", 2024, D_YB): D("1500000"),
    ("tech_transaction_amount", 2024, P_DIG): D("900000"),
    ("tech_transaction_amount", 2024, P_HEA): D("1500000"),
    ("tech_transaction_amount", 2023, CITY): D("500000"),
    ("tech_transaction_amount", 2023, D_YB): D("500000"),
    ("tech_transaction_amount", 2023, P_DIG): D("500000"),
    ("tech_transaction_amount", 2025, CITY): D("7000"),
    ("tech_transaction_amount", 2025, D_YB): D("7000"),
    ("tech_transaction_amount", 2025, P_HEA): D("7000"),
    ("tech_transaction_amount", 2020, CITY): D("500000"),
    ("tech_transaction_amount", 2020, D_SPB): D("500000"),
    ("tech_transaction_amount", 2020, P_DIG): D("500000"),
    ("contracts_registered", 2024, CITY): D(3),
    ("contracts_registered", 2024, D_SPB): D(2),
    ("contracts_registered", 2024, D_YB): D(1),
    ("contracts_registered", 2024, P_DIG): D(1),
    ("contracts_registered", 2024, P_HEA): D(1),
    ("contracts_registered", 2023, CITY): D(1),
    ("contracts_registered", 2023, D_YB): D(1),
    ("contracts_registered", 2023, P_DIG): D(1),
    ("contracts_registered", 2025, CITY): D(1),
    ("contracts_registered", 2025, D_YB): D(1),
    ("contracts_registered", 2025, P_HEA): D(1),
    ("contracts_registered", 2020, CITY): D(1),
    ("contracts_registered", 2020, D_SPB): D(1),
    ("contracts_registered", 2020, P_DIG): D(1),
    # certifications
    ("high_tech_enterprises", 2024, CITY): D(2),
    ("high_tech_enterprises", 2024, D_SPB): D(1),
    ("high_tech_enterprises", 2024, D_YB): D(1),
    ("high_tech_enterprises", 2024, P_DIG): D(1),
    ("high_tech_enterprises", 2024, P_HEA): D(1),
    ("high_tech_enterprises", 2023, CITY): D(2),
    ("high_tech_enterprises", 2023, D_SPB): D(1),
    ("high_tech_enterprises", 2023, D_YB): D(1),
    ("high_tech_enterprises", 2023, P_DIG): D(1),
    ("high_tech_enterprises", 2023, P_HEA): D(1),
    ("high_tech_enterprises", 2025, CITY): D(2),
    ("high_tech_enterprises", 2025, D_SPB): D(1),
    ("high_tech_enterprises", 2025, D_YB): D(1),
    ("high_tech_enterprises", 2025, P_DIG): D(2),
    ("high_tech_enterprises", 2020, CITY): D(0),
    ("tech_enterprises", 2024, CITY): D(2),
    ("tech_enterprises", 2024, D_SPB): D(1),
    ("tech_enterprises", 2024, D_YB): D(1),
    ("tech_enterprises", 2024, P_DIG): D(2),
    # platforms
    ("platforms", 2024, CITY): D(2),
    ("platforms", 2024, D_SPB): D(1),
    ("platforms", 2024, D_YB): D(1),
    ("platforms", 2024, P_DIG): D(2),
    ("platforms", 2023, CITY): D(2),
    ("platforms", 2023, D_SPB): D(1),
    ("platforms", 2023, D_YB): D(1),
    ("platforms", 2023, P_DIG): D(1),
    ("platforms", 2023, P_HEA): D(1),
    ("platforms", 2020, CITY): D(1),
    ("platforms", 2020, D_YB): D(1),
    ("platforms", 2020, P_HEA): D(1),
    ("platforms", 2025, CITY): D(3),
    ("platforms", 2025, D_SPB): D(2),
    ("platforms", 2025, D_YB): D(1),
    ("platforms", 2025, P_DIG): D(2),
    ("platforms", 2025, P_HEA): D(1),
    # projects
    ("projects_approved", 2024, CITY): D(3),
    ("projects_approved", 2024, D_SPB): D(2),
    ("projects_approved", 2024, D_YB): D(1),
    ("projects_approved", 2024, P_DIG): D(1),
    ("projects_approved", 2024, P_HEA): D(2),
    ("projects_approved", 2023, CITY): D(1),
    ("projects_approved", 2023, D_YB): D(1),
    ("projects_approved", 2023, P_DIG): D(1),
    ("projects_enterprise_share", 2024, CITY): D("0.666667"),
    ("projects_enterprise_share", 2024, D_SPB): D(1),
    ("projects_enterprise_share", 2024, D_YB): D(0),
    ("projects_enterprise_share", 2024, P_DIG): D(1),
    ("projects_enterprise_share", 2024, P_HEA): D("0.5"),
    ("projects_enterprise_share", 2023, CITY): D(1),
    ("projects_enterprise_share", 2023, D_YB): D(1),
    ("projects_enterprise_share", 2023, P_DIG): D(1),
    ("projects_enterprise_led_share", 2024, CITY): D("0.333333"),
    ("projects_enterprise_led_share", 2024, D_SPB): D("0.5"),
    ("projects_enterprise_led_share", 2024, D_YB): D(0),
    ("projects_enterprise_led_share", 2024, P_DIG): D(1),
    ("projects_enterprise_led_share", 2024, P_HEA): D(0),
    ("projects_enterprise_led_share", 2023, CITY): D(0),
    ("projects_enterprise_led_share", 2023, D_YB): D(0),
    ("projects_enterprise_led_share", 2023, P_DIG): D(0),
    # bottlenecks
    ("bottlenecks_resolved", 2024, CITY): D(3),
    ("bottlenecks_resolved", 2024, D_SPB): D(1),
    ("bottlenecks_resolved", 2024, D_YB): D(1),
    ("bottlenecks_resolved", 2024, P_DIG): D(1),
    ("bottlenecks_resolved", 2024, P_HEA): D(1),
    ("bottlenecks_resolved", 2024, P_MAT): D(1),
    ("bottlenecks_resolved", 2023, CITY): D(1),
    ("bottlenecks_resolved", 2023, D_YB): D(1),
    ("bottlenecks_resolved", 2023, P_DIG): D(1),
    # needs
    ("needs_enterprise_share", 2024, CITY): D("0.666667"),
    ("needs_enterprise_share", 2024, D_SPB): D("0.5"),
    ("needs_enterprise_share", 2024, D_YB): D(1),
    ("needs_enterprise_share", 2024, P_DIG): D("0.5"),
    ("needs_enterprise_share", 2024, P_HEA): D(1),
    ("needs_enterprise_share", 2025, CITY): D(1),
    ("needs_enterprise_share", 2025, D_YB): D(1),
    ("needs_enterprise_share", 2025, P_HEA): D(1),
    # funding
    ("public_funds_enterprise_share", 2024, CITY): D("0.692308"),
    ("public_funds_enterprise_share", 2024, D_SPB): D("0.6"),
    ("public_funds_enterprise_share", 2024, D_YB): D(1),
    ("public_funds_enterprise_share", 2024, P_DIG): D("0.6"),
    ("public_funds_enterprise_share", 2024, P_HEA): D(1),
    ("public_funds_enterprise_share", 2023, CITY): D(0),
    ("public_funds_enterprise_share", 2023, D_YB): D(0),
    ("public_funds_enterprise_share", 2023, P_HEA): D(0),
    ("project_funds_enterprise_share", 2024, CITY): D("0.4"),
    ("project_funds_enterprise_share", 2024, D_SPB): D("0.4"),
    ("project_funds_enterprise_share", 2024, D_YB): D("0.4"),
    ("project_funds_enterprise_share", 2024, P_DIG): D("0.5"),
    ("project_funds_enterprise_share", 2024, P_HEA): D("0.2"),
    ("project_funds_enterprise_share", 2023, CITY): D(0),
    ("project_funds_enterprise_share", 2023, D_YB): D(0),
    ("project_funds_enterprise_share", 2023, P_HEA): D(0),
    # yearly statistics (city only)
    ("rd_intensity", 2024, CITY): D("0.025"),
    ("rd_intensity", 2020, CITY): D("0.02"),
    ("patents_per_10k", 2024, CITY): D(15),
    ("patents_per_10k", 2020, CITY): D(10),
}

# Numerator and denominator of a few ratios, to pin what is stored beside the value.
EXPECTED_PARTS: dict[tuple[str, int, str], tuple[Decimal, Decimal]] = {
    ("projects_enterprise_share", 2024, CITY): (D(2), D(3)),
    ("projects_enterprise_led_share", 2024, P_HEA): (D(0), D(2)),
    ("needs_enterprise_share", 2024, D_SPB): (D(1), D(2)),
    ("needs_enterprise_share", 2024, D_EMPTY): (D(0), D(0)),
    ("public_funds_enterprise_share", 2024, CITY): (D("900000"), D("1300000")),
    ("project_funds_enterprise_share", 2024, P_HEA): (D("200000"), D("1000000")),
    ("rd_intensity", 2024, CITY): (D("75000000000"), D("3000000000000")),
    ("patents_per_10k", 2024, CITY): (D(48000), D(32000000)),
}


# Plan-period figures add up the yearly ones from the plan's first year (the crafted records
# fall in the checked years only, so the others add nothing).
PLAN_TOTAL_OF = {
    "plan_projects_approved": "projects_approved",
    "plan_bottlenecks_resolved": "bottlenecks_resolved",
    "plan_contract_volume": "contract_volume",
}
# Bottlenecks resolved by a project approved in the same plan: the health one of 2024 has no
# recorded project; r1 (Shapingba, digital) and r3 (Yubei, materials) resolve 2024's others,
# r5 (Yubei, digital) 2023's.
BY_PLAN_PROJECTS = {
    (2023, CITY): D(1),
    (2023, D_YB): D(1),
    (2023, P_DIG): D(1),
    (2024, CITY): D(3),
    (2024, D_SPB): D(1),
    (2024, D_YB): D(2),
    (2024, P_DIG): D(2),
    (2024, P_MAT): D(1),
}


def expected_value(code: str, year: int, scope: str, *, is_ratio: bool) -> Decimal | None:
    default = None if is_ratio else D(0)
    if code == "plan_bottlenecks_resolved_by_plan_projects":
        # 2025 adds nothing to 2024 in the same plan.
        return BY_PLAN_PROJECTS.get((min(year, 2024), scope), D(0)) if year > 2020 else D(0)
    if code in PLAN_TOTAL_OF:
        first = 2016 if year <= 2020 else 2021
        return sum(
            (EXPECTED.get((PLAN_TOTAL_OF[code], y, scope), D(0)) for y in range(first, year + 1)),
            start=D(0),
        )
    return EXPECTED.get((code, year, scope), default)
