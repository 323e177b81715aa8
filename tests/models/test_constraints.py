"""The database refuses what the domain forbids, whoever writes the row.

Each case writes a forbidden row with ``update()`` (no model validation, no workflow) and
expects the database to refuse it, naming the constraint; next to it, the row one step away
is accepted, so a constraint that refused everything would fail too. Deleting any one of
these constraints or triggers from the migrations makes a test here fail.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction

from projects.credit_code import credit_code_check_character
from projects.models import (
    IndicatorRevision,
    IndicatorValue,
    NeedApplication,
    Notification,
    Organization,
    PublishedFigure,
    TechnicalNeed,
    TransferContract,
)
from projects.models.notifications import NotificationTemplate
from projects.models.triggers import (
    APPLICATION_OWN_NEED,
    CONTRACT_SCOPE_OF_SELLER,
    NEED_PROPOSER_FIXED,
    triggers_missing,
    triggers_sql,
)
from tests import factories
from tests.factories import MOMENT

pytestmark = pytest.mark.django_db

Values = dict[str, Any] | Callable[[models.Model], dict[str, Any]]

A_REAL_CODE = "91440300708461136T"  # a company's published code
A_WRONG_CHECK_CHARACTER = "91440300708461136U"
# A right check character, but letters where the division code's six digits belong.
A_CODE_OF_THE_WRONG_SHAPE = "91ABCDEF708461136" + credit_code_check_character("91ABCDEF708461136")


def _notification() -> Notification:
    need = factories.TechnicalNeedFactory()
    member = factories.MembershipFactory(organization=need.proposer)
    return Notification.objects.create(
        recipient=member.user,
        email=member.user.email,
        template="need_published",
        content_type=ContentType.objects.get_for_model(need),
        object_id=need.pk,
    )


def _case(
    make: Callable[[], models.Model],
    constraint: str,
    refused: Values,
    accepted: Values,
    *,
    id: str,  # noqa: A002 (pytest's name)
    triggers_off: bool = False,
) -> Any:
    return pytest.param(make, constraint, refused, accepted, triggers_off, id=id)


def _resolved_bottleneck() -> models.Model:
    return factories.BottleneckFactory(state="resolved")


def _completed_project() -> models.Model:
    return factories.ResearchProjectFactory(state="completed")


def _registered_contract() -> models.Model:
    return factories.TransferContractFactory(state="registered")


D = datetime.date
ORG = factories.OrganizationFactory
NEED = factories.TechnicalNeedFactory
CONTRACT = factories.TransferContractFactory
PROJECT = factories.ResearchProjectFactory
BOTTLENECK = factories.BottleneckFactory
PLATFORM = factories.InnovationPlatformFactory

CASES = [
    # --- choices -------------------------------------------------------------------------------
    _case(
        ORG,
        "organization_kind_known",
        {"kind": "startup"},
        {"kind": "university"},
        id="organisation kind",
    ),
    _case(
        ORG,
        "organization_district_known",
        {"district": "110101"},
        {"district": "500112"},
        id="organisation district",
    ),
    _case(ORG, "organization_pole_known", {"pole": "space"}, {"pole": ""}, id="organisation pole"),
    _case(
        ORG,
        "organization_state_known",
        {"state": "approved"},
        {"state": "rejected"},
        id="organisation state",
    ),
    _case(
        factories.MembershipFactory,
        "membership_role_known",
        {"role": "owner"},
        {"role": "admin"},
        id="membership role",
    ),
    _case(
        factories.MembershipFactory,
        "membership_language_known",
        {"language": "de"},
        {"language": "fr"},
        id="membership language",
    ),
    _case(
        factories.CertificationFactory,
        "certification_kind_known",
        {"kind": "iso9001"},
        {"kind": "tech_enterprise"},
        id="certification kind",
    ),
    _case(
        PLATFORM,
        "platform_kind_known",
        {"kind": "museum"},
        {"kind": "incubator"},
        id="platform kind",
    ),
    _case(
        PLATFORM,
        "platform_level_known",
        {"level": "provincial"},
        {"level": "national"},
        id="platform level",
    ),
    _case(PLATFORM, "platform_pole_known", {"pole": ""}, {"pole": "health"}, id="platform pole"),
    _case(
        BOTTLENECK,
        "bottleneck_chain_known",
        {"industrial_chain": "tourism"},
        {"industrial_chain": "light_alloys"},
        id="bottleneck chain",
    ),
    _case(
        BOTTLENECK,
        "bottleneck_pole_known",
        {"pole": ""},
        {"pole": "materials"},
        id="bottleneck pole",
    ),
    _case(
        BOTTLENECK,
        "bottleneck_state_known",
        {"state": "solved"},
        {"state": "dropped"},
        id="bottleneck state",
    ),
    _case(NEED, "need_pole_known", {"pole": "space"}, {"pole": "health"}, id="need pole"),
    _case(
        NEED,
        "need_chain_known",
        {"industrial_chain": "tourism"},
        {"industrial_chain": "biomedicine"},
        id="need chain",
    ),
    _case(NEED, "need_state_known", {"state": "approved"}, {"state": "withdrawn"}, id="need state"),
    _case(
        lambda: NEED(state="rejected"),
        "need_rejection_reason_known",
        {"rejection_reason": "too_expensive"},
        {"rejection_reason": "duplicate"},
        id="need rejection reason",
    ),
    _case(
        factories.NeedApplicationFactory,
        "application_state_known",
        {"state": "accepted"},
        {"state": "declined"},
        id="application state",
    ),
    _case(
        PROJECT,
        "project_programme_known",
        {"programme": "minor"},
        {"programme": "key"},
        id="project programme",
    ),
    _case(PROJECT, "project_pole_known", {"pole": "space"}, {"pole": "digital"}, id="project pole"),
    _case(
        PROJECT,
        "project_state_known",
        {"state": "paused", "approved_on": D(2024, 1, 10)},
        {"state": "terminated"},
        id="project state",
    ),
    _case(
        factories.ProjectParticipantFactory,
        "participant_role_known",
        {"role": "sponsor"},
        {"role": "user"},
        id="participant role",
    ),
    _case(
        factories.FundingAllocationFactory,
        "funding_source_known",
        {"source": "loan"},
        {"source": "self_raised"},
        id="funding source",
    ),
    _case(
        CONTRACT, "contract_kind_known", {"kind": "sale"}, {"kind": "licensing"}, id="contract kind"
    ),
    _case(
        CONTRACT,
        "contract_state_known",
        {"state": "approved"},
        {"state": "not_registered", "refusal_reason": "材料不全。"},
        id="contract state",
    ),
    # The seller's district and pole reach the contract by trigger, which would refuse first.
    _case(
        CONTRACT,
        "contract_district_known",
        {"district": "110101"},
        {"district": "500112"},
        id="contract district",
        triggers_off=True,
    ),
    _case(
        CONTRACT,
        "contract_pole_known",
        {"pole": "space"},
        {"pole": ""},
        id="contract pole",
        triggers_off=True,
    ),
    _case(
        _notification,
        "notification_template_known",
        {"template": "need_loved"},
        {"template": "contract_refused"},
        id="notification template",
    ),
    _case(
        _notification,
        "notification_language_known",
        {"language": "de"},
        {"language": "en"},
        id="notification language",
    ),
    _case(
        _notification,
        "notification_state_known",
        {"state": "lost"},
        {"state": "failed"},
        id="notification state",
    ),
    _case(
        factories.IndicatorRunFactory,
        "indicator_run_trigger_known",
        {"trigger": "cron"},
        {"trigger": "nightly"},
        id="indicator run trigger",
    ),
    _case(
        factories.IndicatorRunFactory,
        "indicator_run_status_known",
        {"status": "done"},
        {"status": "succeeded"},
        id="indicator run status",
    ),
    # --- amounts and numbers -------------------------------------------------------------------
    _case(
        factories.IndicatorRunFactory,
        "indicator_run_progress_percent",
        {"progress": 101},
        {"progress": 100},
        id="indicator run progress",
    ),
    _case(
        NEED,
        "need_budget_not_negative",
        {"budget": Decimal("-1")},
        {"budget": Decimal("0")},
        id="need budget",
    ),
    _case(
        factories.FundingAllocationFactory,
        "funding_amount_not_negative",
        {"amount": Decimal("-1")},
        {"amount": Decimal("0")},
        id="funding amount",
    ),
    _case(
        factories.FundingAllocationFactory,
        "funding_year_plausible",
        {"year": 1999},
        {"year": 2000},
        id="funding year",
    ),
    _case(
        CONTRACT,
        "contract_amount_not_negative",
        {"contract_amount": Decimal("-1"), "technology_transaction_amount": Decimal("-2")},
        {"contract_amount": Decimal("0"), "technology_transaction_amount": Decimal("0")},
        id="contract amount",
    ),
    _case(
        CONTRACT,
        "contract_tech_amount_not_negative",
        {"technology_transaction_amount": Decimal("-1")},
        {"technology_transaction_amount": Decimal("0")},
        id="contract technology amount",
    ),
    _case(
        CONTRACT,
        "contract_tech_amount_within_amount",
        {"technology_transaction_amount": Decimal("2000000.01")},
        {"technology_transaction_amount": Decimal("2000000.00")},
        id="contract technology amount within amount",
    ),
    _case(
        CONTRACT,
        "contract_seller_is_not_buyer",
        lambda c: {"buyer": c.seller},
        lambda c: {"buyer": ORG()},
        id="contract buyer is not the seller",
    ),
    _case(
        factories.YearlyStatisticFactory,
        "statistic_gdp_positive",
        {"gdp": Decimal("0")},
        {"gdp": Decimal("0.01")},
        id="statistic gdp",
    ),
    _case(
        factories.YearlyStatisticFactory,
        "statistic_rd_not_negative",
        {"rd_expenditure": Decimal("-1")},
        {"rd_expenditure": Decimal("0")},
        id="statistic rd",
    ),
    _case(
        factories.YearlyStatisticFactory,
        "statistic_population_positive",
        {"population": 0},
        {"population": 1},
        id="statistic population",
    ),
    _case(
        factories.YearlyStatisticFactory,
        "statistic_year_plausible",
        {"year": 2101},
        {"year": 2100},
        id="statistic year",
    ),
    # --- the credit code -----------------------------------------------------------------------
    _case(
        ORG,
        "organization_credit_code_shape",
        {"credit_code": A_CODE_OF_THE_WRONG_SHAPE},
        {"credit_code": A_REAL_CODE},
        id="credit code shape",
    ),
    _case(
        ORG,
        "organization_credit_code_check_character",
        {"credit_code": A_WRONG_CHECK_CHARACTER},
        {"credit_code": A_REAL_CODE},
        id="credit code check character",
    ),
    # --- date orders ---------------------------------------------------------------------------
    _case(
        CONTRACT,
        "contract_submitted_after_signed",
        {"signed_on": D(2024, 3, 6)},
        {"signed_on": D(2024, 3, 5)},
        id="contract signed before submitted",
    ),
    _case(
        _registered_contract,
        "contract_registered_after_submitted",
        {"registered_on": D(2024, 3, 4), "clock_started_on": None},
        {"registered_on": D(2024, 3, 5), "clock_started_on": None},
        id="contract submitted before registered",
    ),
    _case(
        CONTRACT,
        "contract_clock_after_submitted",
        {"clock_started_on": D(2024, 3, 4)},
        {"clock_started_on": D(2024, 3, 6)},
        id="contract submitted before its clock",
    ),
    _case(
        _registered_contract,
        "contract_registered_after_clock",
        {"clock_started_on": D(2024, 3, 20)},
        {"clock_started_on": D(2024, 3, 19)},
        id="contract clock before registered",
    ),
    _case(
        factories.CertificationFactory,
        "certification_valid_until_after_from",
        {"valid_until": D(2024, 10, 31)},
        {"valid_until": D(2024, 11, 1)},
        id="certificate from before until",
    ),
    _case(
        PLATFORM,
        "platform_closed_after_established",
        {"closed_on": D(2021, 5, 31)},
        {"closed_on": D(2021, 6, 1)},
        id="platform established before closed",
    ),
    _case(
        _resolved_bottleneck,
        "bottleneck_resolved_after_identified",
        {"resolved_on": D(2021, 2, 28)},
        {"resolved_on": D(2021, 3, 1)},
        id="bottleneck identified before resolved",
    ),
    _case(
        PROJECT,
        "project_end_after_start",
        {"end_on": D(2023, 12, 31)},
        {"end_on": D(2024, 1, 1)},
        id="project starts before it ends",
    ),
    _case(
        _completed_project,
        "project_completed_after_approved",
        {"completed_on": D(2023, 12, 14)},
        {"completed_on": D(2023, 12, 15)},
        id="project approved before completed",
    ),
    # --- fields a state requires ---------------------------------------------------------------
    _case(
        lambda: CONTRACT(state="not_registered"),
        "contract_refused_has_reason",
        {"refusal_reason": ""},
        {"refusal_reason": "合同标的不属于技术合同。"},
        id="refused contract has its reason",
    ),
    _case(
        CONTRACT,
        "contract_submitted_has_clock",
        {"clock_started_on": None},
        {"clock_started_on": D(2024, 3, 8)},
        id="submitted contract has its clock",
    ),
    _case(
        CONTRACT,
        "contract_submitted_has_clock",
        {"registration_due_on": None},
        {"registration_due_on": D(2024, 3, 27)},
        id="submitted contract has its due date",
    ),
    _case(
        CONTRACT,
        "contract_supplement_requested_clock_stopped",
        {"state": "supplement_requested"},
        {"state": "supplement_requested", "clock_started_on": None, "registration_due_on": None},
        id="contract waiting for supplements has no clock",
    ),
    _case(
        CONTRACT,
        "contract_registered_has_number_and_date",
        {"state": "registered"},
        {
            "state": "registered",
            "registered_on": D(2024, 3, 20),
            "registration_number": "2024500106X1",
        },
        id="registered contract has number and date",
    ),
    _case(
        lambda: NEED(state="rejected"),
        "need_rejected_has_reason",
        {"rejection_reason": ""},
        {"rejection_reason": "not_technical"},
        id="rejected need has its reason",
    ),
    _case(
        lambda: NEED(state="in_review"),
        "need_reason_only_when_rejected",
        {"rejection_reason": "duplicate"},
        {"state": "rejected", "rejection_reason": "duplicate"},
        id="rejection reason only on a rejected need",
    ),
    *[
        _case(
            lambda: NEED(state="in_review"),
            "need_published_has_time",
            {"state": state},
            {"state": state, "published_at": MOMENT},
            id=f"{state} need has its publication time",
        )
        for state in ("published", "matched", "closed", "expired")
    ],
    *[
        _case(
            NEED,
            "need_submitted_has_time",
            {"state": state},
            {"state": state, "submitted_at": MOMENT},
            id=f"{state} need has its submission time",
        )
        for state in ("submitted", "in_review", "returned")
    ],
    _case(
        PROJECT,
        "project_approved_has_date",
        {"state": "approved"},
        {"state": "approved", "approved_on": D(2024, 1, 10)},
        id="approved project has its date",
    ),
    _case(
        _completed_project,
        "project_completed_has_date",
        {"completed_on": None},
        {"state": "failed", "completed_on": None},
        id="completed project has its date",
    ),
    _case(
        lambda: PROJECT(state="in_progress"),
        "project_completed_on_only_when_completed",
        {"completed_on": D(2026, 6, 30)},
        {"state": "completed", "completed_on": D(2026, 6, 30)},
        id="completion date only on a completed project",
    ),
    _case(
        _resolved_bottleneck,
        "bottleneck_resolved_has_date",
        {"resolved_on": None},
        {"resolved_on": D(2024, 7, 1)},
        id="resolved bottleneck has its date",
    ),
    _case(
        BOTTLENECK,
        "bottleneck_resolved_on_only_when_resolved",
        {"resolved_on": D(2024, 6, 30)},
        {"state": "resolved", "resolved_on": D(2024, 6, 30)},
        id="resolution date only on a resolved bottleneck",
    ),
    _case(
        lambda: BOTTLENECK(state="targeted"),
        "bottleneck_resolved_by_only_when_resolved",
        lambda b: {"resolved_by": _completed_project()},
        lambda b: {
            "state": "resolved",
            "resolved_on": D(2024, 6, 30),
            "resolved_by": _completed_project(),
        },
        id="resolving project only on a resolved bottleneck",
    ),
]


def _values(values: Values, row: models.Model) -> dict[str, Any]:
    return values(row) if callable(values) else values


@contextmanager
def _triggers_dropped() -> Iterator[None]:
    """Without the triggers, inside the test's transaction (its rollback restores them)."""
    with connection.cursor() as cursor:
        for statement in triggers_sql(vendor=connection.vendor, install=False):
            cursor.execute(statement)
    yield


def _refuses(update: Callable[[], Any], message: str) -> None:
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        update()
    assert message in str(refusal.value)


@pytest.mark.parametrize(("make", "constraint", "refused", "accepted", "triggers_off"), CASES)
def test_the_database_refuses_the_forbidden_row(
    make: Callable[[], models.Model],
    constraint: str,
    refused: Values,
    accepted: Values,
    triggers_off: bool,
) -> None:
    row = make()
    rows = type(row).objects.filter(pk=row.pk)
    if triggers_off:
        with _triggers_dropped():
            _refuses(lambda: rows.update(**_values(refused, row)), constraint)
    else:
        _refuses(lambda: rows.update(**_values(refused, row)), constraint)


@pytest.mark.parametrize(("make", "constraint", "refused", "accepted", "triggers_off"), CASES)
def test_the_database_accepts_the_row_next_to_the_forbidden_one(
    make: Callable[[], models.Model],
    constraint: str,
    refused: Values,
    accepted: Values,
    triggers_off: bool,
) -> None:
    row = make()
    rows = type(row).objects.filter(pk=row.pk)
    if triggers_off:
        with _triggers_dropped():
            assert rows.update(**_values(accepted, row)) == 1
    else:
        assert rows.update(**_values(accepted, row)) == 1


def test_a_need_withdrawn_from_its_draft_needs_no_submission_time() -> None:
    need = factories.TechnicalNeedFactory()
    assert TechnicalNeed.objects.filter(pk=need.pk).update(state="withdrawn") == 1


def test_the_factories_make_valid_rows_in_every_state() -> None:
    for state in TechnicalNeed.State.values:
        factories.TechnicalNeedFactory(state=state)
    for state in TransferContract.State.values:
        factories.TransferContractFactory(state=state)
    for state in ("proposed", "approved", "in_progress", "completed", "failed", "terminated"):
        factories.ResearchProjectFactory(state=state)
    for state in ("identified", "targeted", "resolved", "dropped"):
        factories.BottleneckFactory(state=state)


def test_every_notification_template_the_database_accepts_has_its_files() -> None:
    from django.template.loader import get_template

    for template in NotificationTemplate.values:
        for part in ("subject", "body"):
            get_template(f"notifications/{template}_{part}.txt")


# --- triggers ----------------------------------------------------------------------------------


def test_every_trigger_is_in_the_database() -> None:
    # SQLite drops a table's triggers when a migration rebuilds the table.
    assert triggers_missing(connection=connection) == []


@pytest.fixture
def need() -> TechnicalNeed:
    return factories.TechnicalNeedFactory(state="published")


def test_an_organisation_cannot_apply_to_its_own_need(need: TechnicalNeed) -> None:
    _refuses(
        lambda: NeedApplication.objects.create(need=need, applicant=need.proposer, proposal="x"),
        APPLICATION_OWN_NEED,
    )


def test_another_organisation_can_apply_to_the_need(need: TechnicalNeed) -> None:
    NeedApplication.objects.create(need=need, applicant=ORG(), proposal="相变材料方案。")


def test_an_application_cannot_be_moved_to_the_applicants_own_need(need: TechnicalNeed) -> None:
    application = factories.NeedApplicationFactory(need=need)
    own = factories.TechnicalNeedFactory(proposer=application.applicant, state="published")
    rows = NeedApplication.objects.filter(pk=application.pk)
    _refuses(lambda: rows.update(need=own), APPLICATION_OWN_NEED)
    _refuses(lambda: rows.update(applicant=application.need.proposer), APPLICATION_OWN_NEED)
    assert rows.update(need=need) == 1


def test_a_needs_proposer_never_changes(need: TechnicalNeed) -> None:
    rows = TechnicalNeed.objects.filter(pk=need.pk)
    _refuses(lambda: rows.update(proposer=factories.OrganizationFactory()), NEED_PROPOSER_FIXED)
    assert rows.update(proposer=need.proposer, title="新标题") == 1


def _contract_row(seller: Organization, **scope: str) -> TransferContract:
    # bulk_create skips save(), which would copy the seller's district and pole.
    contract = factories.TransferContractFactory.build(seller=seller, buyer=ORG(), **scope)
    return TransferContract.objects.bulk_create([contract])[0]


def test_a_contract_is_refused_outside_its_sellers_district_and_pole() -> None:
    seller = ORG(district="500106", pole="digital")
    _refuses(
        lambda: _contract_row(seller, district="500112", pole="digital"), CONTRACT_SCOPE_OF_SELLER
    )
    _refuses(
        lambda: _contract_row(seller, district="500106", pole="health"), CONTRACT_SCOPE_OF_SELLER
    )
    _contract_row(seller, district="500106", pole="digital")


def test_a_contract_keeps_its_sellers_district_and_pole_on_update() -> None:
    contract = factories.TransferContractFactory()
    rows = TransferContract.objects.filter(pk=contract.pk)
    other = ORG(district="500112", pole="health")
    _refuses(lambda: rows.update(district="500112"), CONTRACT_SCOPE_OF_SELLER)
    _refuses(lambda: rows.update(pole="health"), CONTRACT_SCOPE_OF_SELLER)
    _refuses(lambda: rows.update(seller=other), CONTRACT_SCOPE_OF_SELLER)
    assert rows.update(seller=other, district="500112", pole="health") == 1


def test_when_an_organisation_moves_its_contracts_follow_in_the_same_statement() -> None:
    seller = ORG(district="500106", pole="digital")
    sold = [factories.TransferContractFactory(seller=seller) for _ in range(2)]
    bought = factories.TransferContractFactory(buyer=seller)

    Organization.objects.filter(pk=seller.pk).update(district="500112", pole="health")

    scopes = TransferContract.objects.filter(pk__in=[c.pk for c in sold]).values_list(
        "district", "pole"
    )
    assert list(scopes) == [("500112", "health")] * 2
    # Bought contracts stay with their own seller.
    bought.refresh_from_db()
    assert (bought.district, bought.pole) == (bought.seller.district, bought.seller.pole)
    assert bought.seller.district == "500106"


def test_a_refused_move_leaves_the_contracts_where_they_were() -> None:
    seller = ORG(district="500106", pole="digital")
    contract = factories.TransferContractFactory(seller=seller)
    rows = Organization.objects.filter(pk=seller.pk)
    _refuses(lambda: rows.update(district="500112", kind="startup"), "organization_kind_known")
    contract.refresh_from_db()
    assert contract.district == "500106"


# --- uniqueness ----------------------------------------------------------------------------------
# Each case makes two rows that differ in one column of a unique key, then gives the second the
# first one's value. The message names that column on both backends (SQLite's "UNIQUE
# constraint failed: table.column", PostgreSQL's "Key (column)=… already exists").


def _two(factory: Callable[..., models.Model], **shared: Any) -> tuple[Any, Any]:
    return factory(**shared), factory(**shared)


def _pair_of_values() -> tuple[Any, Any]:
    run = factories.IndicatorRunFactory()
    first, second = (
        IndicatorValue.objects.create(run=run, code="contract_volume", year=year, scope="city")
        for year in (2024, 2025)
    )
    return first, second


def _pair_of_published_figures() -> tuple[Any, Any]:
    run = factories.IndicatorRunFactory()
    first, second = (
        PublishedFigure.objects.create(
            run=run, code="contract_volume", year=year, scope="city", published_at=MOMENT
        )
        for year in (2024, 2025)
    )
    return first, second


def _pair_of_revisions() -> tuple[Any, Any]:
    run = factories.IndicatorRunFactory()
    first, second = (
        IndicatorRevision.objects.create(run=run, code="contract_volume", year=year, scope="city")
        for year in (2024, 2025)
    )
    return first, second


def _applications_of_one_need() -> tuple[Any, Any]:
    need = factories.TechnicalNeedFactory(state="published")
    return _two(factories.NeedApplicationFactory, need=need)


def _members_of_one_organisation() -> tuple[Any, Any]:
    return _two(factories.MembershipFactory, organization=factories.OrganizationFactory())


def _participants_of_one_project() -> tuple[Any, Any]:
    return _two(factories.ProjectParticipantFactory, project=factories.ResearchProjectFactory())


def _funding_of_one_organisation() -> tuple[Any, Any]:
    project, organization = factories.ResearchProjectFactory(), factories.OrganizationFactory()
    first = factories.FundingAllocationFactory(
        project=project, organization=organization, year=2023
    )
    second = factories.FundingAllocationFactory(
        project=project, organization=organization, source=first.source, year=2024
    )
    return first, second


UNIQUE_CASES = [
    pytest.param(lambda: _two(ORG), "credit_code", id="one organisation per credit code"),
    pytest.param(_members_of_one_organisation, "user_id", id="one membership per user"),
    pytest.param(lambda: _two(factories.CertificationFactory), "number", id="certificate numbers"),
    pytest.param(_participants_of_one_project, "organization_id", id="one participant row"),
    pytest.param(_funding_of_one_organisation, "year", id="one funding row per year"),
    pytest.param(_applications_of_one_need, "applicant_id", id="one application per applicant"),
    pytest.param(
        lambda: _two(_registered_contract), "registration_number", id="registration numbers"
    ),
    pytest.param(lambda: _two(PROJECT), "code", id="project codes"),
    pytest.param(
        lambda: (
            factories.YearlyStatisticFactory(year=2023),
            factories.YearlyStatisticFactory(year=2024),
        ),
        "year",
        id="one statistic per year",
    ),
    pytest.param(_pair_of_values, "year", id="one value per run, code, year and scope"),
    pytest.param(_pair_of_published_figures, "year", id="one published figure per cell"),
    pytest.param(_pair_of_revisions, "year", id="one revision per run and cell"),
]


@pytest.mark.parametrize(("make_pair", "column"), UNIQUE_CASES)
def test_the_database_refuses_a_second_row_with_the_same_key(
    make_pair: Callable[[], tuple[Any, Any]], column: str
) -> None:
    first, second = make_pair()
    rows = type(second).objects.filter(pk=second.pk)

    _refuses(lambda: rows.update(**{column: getattr(first, column)}), column)

    assert type(second).objects.count() == 2


def test_a_need_has_one_selected_application() -> None:
    first, second = _applications_of_one_need()
    type(first).objects.filter(pk=first.pk).update(state="selected")
    rows = type(second).objects.filter(pk=second.pk)

    _refuses(lambda: rows.update(state="selected"), "need_id")
    assert rows.update(state="declined") == 1
