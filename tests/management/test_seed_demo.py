"""``manage.py seed_demo``: the demo data reproduces the bureau's report by the indicators'
definitions, computed here with plain queries, and its records are coherent.

The data set is seeded once for the module (about 20 s) inside a transaction that is rolled
back at the end, so other test modules see an empty database; each test runs in a savepoint.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.test import Client, override_settings

from projects.credit_code import is_valid_credit_code
from projects.demo.accounts import DEMO_ACCOUNTS
from projects.demo.vocabulary import FEW_INDICATORS_COMMENT, LATE_SUPPLEMENTS_REFUSAL
from projects.indicators.catalogue import CATALOGUE, get_indicator
from projects.indicators.computation import compute_values
from projects.indicators.scopes import CITY
from projects.models import (
    MIN_NEED_INDICATORS,
    Bottleneck,
    Certification,
    FundingAllocation,
    InnovationPlatform,
    Membership,
    NeedApplication,
    Organization,
    ProjectParticipant,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
    TransitionLog,
    YearlyStatistic,
)
from projects.roles import MANAGERS, REVIEWERS

PLAN_YEARS = range(2021, 2026)
ENTERPRISE = Organization.Kind.ENTERPRISE
ACCEPTED = ["published", "matched", "closed", "expired"]
ONE_DAY = datetime.timedelta(days=1)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The command's output; the data stays for the module's tests, then is rolled back.

    The fast hasher of the other tests is set for the whole module, so the demo accounts'
    passwords are hashed (and checked) with it.
    """
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("seed_demo", "--force", stdout=out)
            # Every reference points at a row. Checked once here: left pending, PostgreSQL's
            # deferred checks would run again at the end of every test's savepoint.
            connection.check_constraints()
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_output: str, db) -> str:
    return demo_output


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def certified(kind: str, year: int) -> int:
    return (
        Certification.objects.filter(
            kind=kind, valid_from__lte=year_end(year), valid_until__gte=year_end(year)
        )
        .values("organization")
        .distinct()
        .count()
    )


def platforms_open(year: int) -> int:
    day = year_end(year)
    return (
        InnovationPlatform.objects.filter(
            level__in=["national", "municipal"], established_on__lte=day
        )
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        .count()
    )


def contract_volume(year: int) -> Decimal:
    total = TransferContract.objects.filter(
        state=TransferContract.State.REGISTERED, registered_on__year=year
    ).aggregate(total=Sum("contract_amount"))["total"]
    return Decimal(total or 0)


def approved_projects(year: int):  # noqa: ANN201 - a queryset
    return ResearchProject.objects.exclude(state="proposed").filter(approved_on__year=year)


# --- The report's figures -------------------------------------------------------------------


def test_certifications_on_31_december_are_the_reports(demo: str) -> None:
    assert certified("high_tech", 2025) == 9_123
    assert certified("tech_enterprise", 2025) == 75_600
    assert certified("high_tech", 2020) == 4_344
    assert certified("tech_enterprise", 2020) == 27_000
    high_tech = [certified("high_tech", year) for year in range(2016, 2026)]
    assert high_tech == sorted(high_tech), "a steady ramp"


def test_one_certificate_of_a_kind_at_a_time(demo: str) -> None:
    rows = Certification.objects.order_by("organization", "kind", "valid_from").values_list(
        "organization", "kind", "valid_from", "valid_until"
    )
    previous = None
    for organization, kind, valid_from, valid_until in rows.iterator(chunk_size=20_000):
        if kind == "high_tech":
            assert valid_until == valid_from.replace(year=valid_from.year + 3) - ONE_DAY
        else:
            assert valid_from.year == valid_until.year
        if previous and previous[:2] == (organization, kind):
            assert valid_from > previous[2], (organization, kind, valid_from)
        previous = (organization, kind, valid_until)


def test_platforms_of_municipal_level_and_above_doubled(demo: str) -> None:
    assert platforms_open(2025) == 1_297
    assert platforms_open(2020) == 648
    assert InnovationPlatform.objects.filter(level="district").exists()
    assert InnovationPlatform.objects.filter(closed_on__isnull=False).exists()
    laboratories = InnovationPlatform.objects.filter(kind="chongqing_laboratory")
    assert set(laboratories.values_list("name", flat=True)) == {
        "金凤实验室",
        "嘉陵江实验室",
        "明月湖实验室",
    }


def test_contract_volume_is_97_424_billion_in_2024_five_times_2020(demo: str) -> None:
    assert contract_volume(2024) == Decimal("97424000000.00")
    assert contract_volume(2020) == Decimal("19484800000.00")
    assert contract_volume(2024) == 5 * contract_volume(2020)
    volumes = [contract_volume(year) for year in range(2016, 2026)]
    assert all(v > 0 for v in volumes) and volumes == sorted(volumes)
    assert contract_volume(2026) > 0


def test_600_projects_resolved_304_bottlenecks_in_the_plan(demo: str) -> None:
    approved = ResearchProject.objects.exclude(state="proposed").filter(
        approved_on__gte=datetime.date(2021, 1, 1), approved_on__lte=datetime.date(2025, 12, 31)
    )
    assert 600 <= approved.count() < 700
    resolved = Bottleneck.objects.filter(
        state="resolved",
        resolved_on__gte=datetime.date(2021, 1, 1),
        resolved_on__lte=datetime.date(2025, 12, 31),
    )
    assert resolved.count() == 304
    for bottleneck in resolved.select_related("resolved_by"):
        project = bottleneck.resolved_by
        assert project is not None and project.state == "completed"
        assert project.completed_on <= bottleneck.resolved_on
        assert project.bottlenecks.filter(pk=bottleneck.pk).exists()
    for state in ("identified", "targeted", "dropped"):
        assert Bottleneck.objects.filter(state=state).exists()


def test_enterprises_hold_70_percent_of_each_share_every_year_of_the_plan(demo: str) -> None:
    enterprise_participant = Exists(
        ProjectParticipant.objects.filter(project=OuterRef("pk"), organization__kind=ENTERPRISE)
    )
    for year in PLAN_YEARS:
        needs = TechnicalNeed.objects.filter(state__in=ACCEPTED, published_at__year=year)
        need_share = needs.filter(proposer__kind=ENTERPRISE).count() / needs.count()

        projects = approved_projects(year)
        involved = projects.filter(Q(lead__kind=ENTERPRISE) | Q(enterprise_participant)).count()
        led = projects.filter(lead__kind=ENTERPRISE).count()

        funding = FundingAllocation.objects.filter(year=year)
        public = funding.filter(source="public")
        public_total = public.aggregate(s=Sum("amount"))["s"]
        public_enterprise = public.filter(organization__kind=ENTERPRISE).aggregate(s=Sum("amount"))[
            "s"
        ]
        all_total = funding.aggregate(s=Sum("amount"))["s"]
        self_enterprise = funding.filter(
            source="self_raised", organization__kind=ENTERPRISE
        ).aggregate(s=Sum("amount"))["s"]

        shares = {
            "needs": need_share,
            "projects": involved / projects.count(),
            "public funds": public_enterprise / public_total,
            "self-raised": self_enterprise / all_total,
        }
        for name, share in shares.items():
            assert 0.70 <= share <= 0.80, f"{name} {year}: {share:.3f}"
        assert 0.5 <= led / projects.count() <= 0.68, f"led {year}"


def test_the_readme_figures_come_out_of_an_indicator_run(demo: str) -> None:
    """What the README says of the demo, as the indicator engine computes it."""
    values = {
        (v.code, v.year): v.value
        for v in compute_values(years=range(2016, 2027))
        if v.scope == CITY
    }

    def plan(code: str) -> list[Decimal]:
        return [values[code, year] for year in PLAN_YEARS]

    assert values["contract_volume", 2024] == Decimal("97424000000.00")
    assert values["contract_volume", 2024] == 5 * values["contract_volume", 2020]
    assert (values["high_tech_enterprises", 2025], values["tech_enterprises", 2025]) == (
        9_123,
        75_600,
    )
    assert values["platforms", 2025] == 1_297 == 2 * values["platforms", 2020] + 1
    assert sum(plan("bottlenecks_resolved")) == 304
    assert sum(plan("projects_approved")) == 645
    headline = [i.code for i in CATALOGUE if i.target is not None]
    assert len(headline) == 4 and all(get_indicator(code).headline for code in headline)
    for code in headline:
        shares = [value for (c, _year), value in values.items() if c == code and value is not None]
        assert min(shares) >= Decimal("0.70"), code
    assert Decimal("0.73") <= min(plan("projects_enterprise_share"))
    assert max(plan("projects_enterprise_share")) < Decimal("0.77")
    led = plan("projects_enterprise_led_share")
    assert Decimal("0.58") <= min(led) and max(led) < Decimal("0.63")
    assert get_indicator("projects_enterprise_led_share").variant_of == "projects_enterprise_share"


def test_yearly_statistics_show_the_doubling(demo: str) -> None:
    stats = {s.year: s for s in YearlyStatistic.objects.all()}
    assert sorted(stats) == list(range(2016, 2026))
    assert stats[2020].gdp == Decimal("2500300000000.00")
    assert stats[2024].rd_expenditure > Decimal("80000000000")
    intensity = {year: s.rd_expenditure / s.gdp for year, s in stats.items()}
    assert round(intensity[2020], 4) == Decimal("0.0211")
    assert intensity[2025] > intensity[2016] * Decimal("1.45")
    per_10k = {year: s.invention_patents / s.population * 10_000 for year, s in stats.items()}
    assert per_10k[2025] >= 2 * per_10k[2020]
    assert {s.source for s in stats.values()} == {"重庆市统计局"}


# --- Coherence of the records -----------------------------------------------------------------


def test_every_organisation_has_a_valid_unique_credit_code_in_its_district(demo: str) -> None:
    codes = list(Organization.objects.values_list("credit_code", "district", "kind"))
    assert len(codes) > 75_600
    for code, district, kind in codes:
        assert is_valid_credit_code(code), code
        assert code[2:8] == district, code
        if kind == ENTERPRISE:
            assert code.startswith("91"), code
    assert len({code for code, _d, _k in codes}) == len(codes)
    kinds = set(Organization.objects.values_list("kind", flat=True).distinct())
    assert kinds == set(Organization.Kind.values)
    states = dict(Organization.objects.values_list("state").annotate(n=Count("id")))
    assert states["verified"] > states["pending"] > states["rejected"] > 0
    for name in ("重庆大学", "西南大学", "金凤实验室", "嘉陵江实验室", "明月湖实验室"):
        assert Organization.objects.filter(name=name).exists()
    central = Organization.objects.filter(
        district__in=["500103", "500104", "500105", "500106", "500107", "500108", "500109"]
        + ["500112", "500113"]
    ).count()
    assert central / len(codes) > 0.6


def _last_review_comments(content_type: ContentType) -> dict[int, tuple[str, str]]:
    """Each need's latest return or resubmission: (transition, comment)."""
    last: dict[int, tuple[str, str]] = {}
    for object_id, transition, comment in (
        TransitionLog.objects.filter(
            content_type=content_type, transition__in=["return", "resubmit"]
        )
        .order_by("at", "id")
        .values_list("object_id", "transition", "comment")
    ):
        last[object_id] = (transition, comment)
    return last


def test_needs_lack_indicators_exactly_when_their_review_says_so(demo: str) -> None:
    """A need returned for having fewer than the minimum of indicators has fewer until it is
    resubmitted; one rejected for lacking them never got them; every other need beyond draft
    has the minimum."""
    few = FEW_INDICATORS_COMMENT
    assert str(MIN_NEED_INDICATORS) in few
    last_review = _last_review_comments(ContentType.objects.get_for_model(TechnicalNeed))
    cited = {pk for pk, review in last_review.items() if review == ("return", few)}
    counts = dict(
        TechnicalNeed.objects.exclude(state="draft")
        .annotate(n=Count("indicators"))
        .values_list("pk", "n")
    )
    lacking = set(
        TechnicalNeed.objects.filter(
            state="rejected", rejection_reason="insufficient_detail"
        ).values_list("pk", flat=True)
    )
    returned = set(TechnicalNeed.objects.filter(state="returned").values_list("pk", flat=True))
    assert cited & returned and lacking, "the demo shows both cases"
    for pk, count in counts.items():
        if pk in cited or pk in lacking:
            assert count < MIN_NEED_INDICATORS, (pk, count)
        else:
            assert count >= MIN_NEED_INDICATORS, (pk, count)
    # Rejected for lacking indicators after a return that asked for them.
    for pk in lacking:
        assert ("return", few) in TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(TechnicalNeed), object_id=pk
        ).values_list("transition", "comment")


def test_only_a_contract_asked_for_supplements_is_refused_for_late_supplements(
    demo: str,
) -> None:
    late = TransferContract.objects.filter(refusal_reason=LATE_SUPPLEMENTS_REFUSAL)
    asked = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(TransferContract),
        transition="request_supplements",
    ).values("object_id")
    assert late.exists()
    assert not late.exclude(pk__in=asked).exists()


def test_needs_beyond_draft_are_coherent(demo: str) -> None:
    assert set(TechnicalNeed.objects.values_list("state", flat=True).distinct()) == set(
        TechnicalNeed.State.values
    )
    assert not TechnicalNeed.objects.filter(state="rejected", rejection_reason="").exists()
    assert not TechnicalNeed.objects.filter(state__in=ACCEPTED, published_at__isnull=True).exists()
    assert (
        not TechnicalNeed.objects.exclude(state="draft").filter(submitted_at__isnull=True).exists()
    )
    published = TechnicalNeed.objects.filter(state="published")
    assert not published.filter(open_until__lt=datetime.date(2026, 1, 30)).exists()


def test_a_matched_need_has_exactly_one_selected_application(demo: str) -> None:
    matched = TechnicalNeed.objects.filter(state__in=["matched", "closed"]).annotate(
        selected=Count("applications", filter=Q(applications__state="selected"))
    )
    assert matched.exists()
    assert set(matched.values_list("selected", flat=True)) == {1}
    assert (
        not NeedApplication.objects.filter(state="selected")
        .exclude(need__state__in=["matched", "closed"])
        .exists()
    )
    assert not NeedApplication.objects.filter(applicant=F("need__proposer")).exists()
    assert set(NeedApplication.objects.values_list("state", flat=True).distinct()) == set(
        NeedApplication.State.values
    )


def test_projects_in_every_state_with_coherent_dates(demo: str) -> None:
    assert set(ResearchProject.objects.values_list("state", flat=True).distinct()) == set(
        ResearchProject.State.values
    )
    assert not ResearchProject.objects.filter(
        state="completed", completed_on__lt=F("approved_on")
    ).exists()
    assert not ResearchProject.objects.filter(state="completed", completed_on__isnull=True).exists()
    assert not ResearchProject.objects.filter(start_on__lt=F("approved_on")).exists()
    assert ResearchProject.objects.filter(rectification_used=True, state="completed").exists()
    leads = ProjectParticipant.objects.filter(role="lead", organization=F("project__lead"))
    assert leads.count() == ResearchProject.objects.count()


def test_contracts_are_coherent(demo: str) -> None:
    assert not TransferContract.objects.filter(
        technology_transaction_amount__gt=F("contract_amount")
    ).exists()
    registered = TransferContract.objects.filter(state="registered")
    ratios = registered.aggregate(
        tech=Sum("technology_transaction_amount"), amount=Sum("contract_amount")
    )
    assert 0.85 <= ratios["tech"] / ratios["amount"] <= 0.95
    assert set(TransferContract.objects.values_list("kind", flat=True).distinct()) == set(
        TransferContract.Kind.values
    )
    assert set(TransferContract.objects.values_list("state", flat=True).distinct()) == set(
        TransferContract.State.values
    )
    assert not TransferContract.objects.filter(state="not_registered", refusal_reason="").exists()
    assert not registered.exclude(district=F("seller__district")).exists()
    assert not registered.exclude(pole=F("seller__pole")).exists()
    assert not registered.filter(registered_on__lt=F("submitted_on")).exists()
    submitted = TransferContract.objects.filter(state="submitted", registered_on__isnull=True)
    assert not submitted.filter(registration_due_on__isnull=True).exists()
    per_year = registered.values("registered_on__year").annotate(n=Count("id"))
    assert max(row["n"] for row in per_year) < 5_000
    smallest = registered.order_by("contract_amount").first().contract_amount
    largest = registered.order_by("-contract_amount").first().contract_amount
    assert Decimal("10000") <= smallest < Decimal("100000") < Decimal("100000000") < largest


def test_every_state_change_is_in_the_transition_log(demo: str) -> None:
    initial = {
        TechnicalNeed: "draft",
        ResearchProject: "proposed",
        TransferContract: "submitted",
        Bottleneck: "identified",
        NeedApplication: "submitted",
        Organization: "pending",
    }
    for model, first in initial.items():
        content_type = ContentType.objects.get_for_model(model)
        logs = TransitionLog.objects.filter(content_type=content_type)
        last: dict[int, tuple[str, str]] = {}
        previous: dict[int, str] = {}
        for object_id, from_state, to_state in logs.order_by("at", "id").values_list(
            "object_id", "from_state", "to_state"
        ):
            assert from_state == previous.get(object_id, from_state), (model, object_id)
            previous[object_id] = to_state
            last[object_id] = (from_state, to_state)
        for pk, state in model.objects.values_list("pk", "state"):
            if state == first and pk not in last:
                continue
            assert pk in last, f"{model.__name__} {pk} in {state} has no history"
            assert last[pk][1] == state, f"{model.__name__} {pk}: log ends in {last[pk]}"
    assert not TransitionLog.objects.filter(
        Q(actor__isnull=True) & ~Q(transition__in=["expire", "decline"])
    ).exists()


# --- The accounts, idempotence, options --------------------------------------------------


def test_the_printed_accounts_can_log_in(demo: str) -> None:
    for account in DEMO_ACCOUNTS:
        assert f"{account.username:<16} {account.password}" in demo
        assert Client().login(username=account.username, password=account.password)
    user = get_user_model().objects
    assert user.get(username="demo.reviewer").groups.filter(name=REVIEWERS).exists()
    assert user.get(username="demo.manager").groups.filter(name=MANAGERS).exists()
    assert user.get(username="demo.reviewer").is_staff
    enterprise = Membership.objects.get(user__username="demo.enterprise").organization
    assert enterprise.kind == ENTERPRISE and enterprise.state == "verified"
    need_states = set(enterprise.technical_needs.values_list("state", flat=True))
    assert {"draft", "published", "matched", "closed", "rejected"} <= need_states
    assert enterprise.led_projects.count() >= 2
    contracts = TransferContract.objects.filter(Q(seller=enterprise) | Q(buyer=enterprise))
    assert {"registered", "submitted"} <= set(contracts.values_list("state", flat=True))


def test_a_second_run_adds_nothing(demo: str) -> None:
    models = (Organization, Certification, TechnicalNeed, TransferContract, TransitionLog)
    before = [m.objects.count() for m in models] + [get_user_model().objects.count()]
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    after = [m.objects.count() for m in models] + [get_user_model().objects.count()]
    assert after == before
    assert "already there" in out.getvalue()
    assert Client().login(username="demo.enterprise", password=DEMO_ACCOUNTS[0].password)


def test_reset_rebuilds_at_another_scale(demo: str) -> None:
    call_command("seed_demo", "--force", "--reset", "--scale", "0.05", stdout=io.StringIO())
    assert certified("high_tech", 2025) == round(9_123 * 0.05)
    assert contract_volume(2024) == Decimal("4871200000.00")
    assert Bottleneck.objects.filter(
        state="resolved", resolved_on__year__in=list(PLAN_YEARS)
    ).count() == round(304 * 0.05)
    assert Membership.objects.filter(user__username="demo.enterprise").count() == 1


def test_refuses_without_debug_unless_forced(demo: str, settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="positive"):
        call_command("seed_demo", "--force", "--scale", "0", stdout=io.StringIO())
