"""Factories for every record, and the personas the tests act as."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from projects import clock
from projects.credit_code import credit_code_check_character
from projects.models import (
    Bottleneck,
    Certification,
    District,
    FundingAllocation,
    IndicatorRun,
    IndustrialChain,
    InnovationPlatform,
    Membership,
    NeedApplication,
    NeedAttachment,
    NeedIndicator,
    Organization,
    Pole,
    ProjectParticipant,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
    YearlyStatistic,
)
from projects.models.needs import PUBLISHED_STATES, SUBMITTED_STATES
from projects.roles import (
    DECIDING_ROLES,
    MANAGER,
    PROJECT_OFFICER,
    REGISTRAR,
    REVIEWER,
    role_group,
)
from projects.workflows.contracts import registration_due_date

# A fixed moment for the timestamps a state requires: the tests do not depend on today.
MOMENT = datetime.datetime(2024, 5, 6, 10, 30, tzinfo=datetime.UTC)


def make_credit_code(district: str, serial: int) -> str:
    """A valid enterprise credit code registered in ``district``."""
    prefix = f"91{district}{serial:09d}"
    return prefix + credit_code_check_character(prefix)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def groups(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            for name in extracted:
                self.groups.add(role_group(name))
        if create:
            self.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"重庆测试科技有限公司{n}")
    district = District.SHAPINGBA
    credit_code = factory.Sequence(lambda n: make_credit_code("500106", n))
    kind = Organization.Kind.ENTERPRISE
    pole = Pole.DIGITAL
    industry = "软件和信息技术服务业"
    state = Organization.State.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    organization = factory.SubFactory(OrganizationFactory)
    kind = Certification.Kind.HIGH_TECH
    number = factory.Sequence(lambda n: f"GR2024510{n:05d}")
    valid_from = datetime.date(2024, 11, 1)
    valid_until = datetime.date(2027, 10, 31)


class InnovationPlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InnovationPlatform

    name = factory.Sequence(lambda n: f"重庆市重点实验室{n}")
    kind = InnovationPlatform.Kind.KEY_LABORATORY
    level = InnovationPlatform.Level.MUNICIPAL
    host = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.UNIVERSITY)
    pole = Pole.DIGITAL
    established_on = datetime.date(2021, 6, 1)


class BottleneckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bottleneck

    title = factory.Sequence(lambda n: f"车规级芯片关键工艺{n}")
    industrial_chain = IndustrialChain.NEV
    pole = Pole.DIGITAL
    description = "国产车规级MCU良率不足。"
    resolution_criteria = "良率达到95%并通过AEC-Q100认证。"
    identified_on = datetime.date(2021, 3, 1)
    state = Bottleneck.State.IDENTIFIED
    # The database asks a resolved bottleneck for its date, and no other.
    resolved_on = factory.LazyAttribute(
        lambda b: datetime.date(2024, 6, 30) if b.state == Bottleneck.State.RESOLVED else None
    )


class TechnicalNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicalNeed

    proposer = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"新能源汽车电池热管理技术需求{n}")
    summary = "寻求动力电池热管理系统的低温快充方案。"
    problem = "低温环境下充电效率不足60%。"
    key_technology = "电池包液冷板设计与热泵集成。"
    goals = "-20℃下30分钟充至80%。"
    pole = Pole.LOW_CARBON
    industrial_chain = IndustrialChain.NEV
    budget = Decimal("3000000.00")
    # A year ahead of whatever day the tests run on: a fixed date expires with time.
    open_until = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=365))
    contact_name = "张工"
    contact_phone = "023-68881234"
    contact_email = "zhang@example.cn"
    state = TechnicalNeed.State.DRAFT
    # The timestamps and reason the database asks of the state.
    submitted_at = factory.LazyAttribute(lambda n: MOMENT if n.state in SUBMITTED_STATES else None)
    published_at = factory.LazyAttribute(
        lambda n: MOMENT + datetime.timedelta(days=3) if n.state in PUBLISHED_STATES else None
    )
    rejection_reason = factory.LazyAttribute(
        lambda n: (
            TechnicalNeed.RejectionReason.OUT_OF_SCOPE
            if n.state == TechnicalNeed.State.REJECTED
            else ""
        )
    )


class NeedIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedIndicator

    need = factory.SubFactory(TechnicalNeedFactory)
    metric = factory.Sequence(lambda n: f"指标{n}")
    target_value = "≥ 95%"
    current_benchmark = "80%"
    test_method = "GB/T 31486-2015"
    position = factory.Sequence(int)


class NeedApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedApplication

    need = factory.SubFactory(TechnicalNeedFactory)
    applicant = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.UNIVERSITY)
    proposal = "基于相变材料的热管理方案。"


class ResearchProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchProject

    code = factory.Sequence(lambda n: f"CSTB2024TIAD-KPX{n:04d}")
    title = factory.Sequence(lambda n: f"高性能轻合金关键技术研究{n}")
    programme = ResearchProject.Programme.MAJOR
    pole = Pole.MATERIALS
    lead = factory.SubFactory(OrganizationFactory)
    start_on = datetime.date(2024, 1, 1)
    end_on = datetime.date(2026, 12, 31)
    state = ResearchProject.State.PROPOSED
    # The dates the database asks of the state.
    approved_on = factory.LazyAttribute(
        lambda p: None if p.state in ("proposed", "terminated") else datetime.date(2023, 12, 15)
    )
    completed_on = factory.LazyAttribute(
        lambda p: datetime.date(2026, 6, 30) if p.state == ResearchProject.State.COMPLETED else None
    )


class ProjectParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectParticipant

    project = factory.SubFactory(ResearchProjectFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = ProjectParticipant.Role.PARTNER


class FundingAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingAllocation

    project = factory.SubFactory(ResearchProjectFactory)
    organization = factory.SubFactory(OrganizationFactory)
    source = FundingAllocation.Source.PUBLIC
    amount = Decimal("1000000.00")
    year = 2024


class TransferContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransferContract

    kind = TransferContract.Kind.DEVELOPMENT
    seller = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.UNIVERSITY)
    buyer = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"智能网联汽车感知算法技术开发合同{n}")
    contract_amount = Decimal("2000000.00")
    technology_transaction_amount = Decimal("1800000.00")
    signed_on = datetime.date(2024, 3, 1)
    submitted_on = datetime.date(2024, 3, 5)
    state = TransferContract.State.SUBMITTED
    # What the database asks of the state: a submitted contract's clock and due date (stopped
    # while supplements are requested), a refused one's reason, a registered one's number.
    clock_started_on = factory.LazyAttribute(
        lambda c: None if c.state == TransferContract.State.SUPPLEMENT_REQUESTED else c.submitted_on
    )
    registration_due_on = factory.LazyAttribute(
        lambda c: (
            registration_due_date(
                submitted_on=c.clock_started_on, contract_amount=c.contract_amount
            )[0]
            if c.state == TransferContract.State.SUBMITTED
            else None
        )
    )
    refusal_reason = factory.LazyAttribute(
        lambda c: "合同主体不明确。" if c.state == TransferContract.State.NOT_REGISTERED else ""
    )
    registered_on = factory.LazyAttribute(
        lambda c: (
            c.submitted_on + datetime.timedelta(days=14)
            if c.state in ("registered", "cancelled")
            else None
        )
    )
    registration_number = factory.LazyAttributeSequence(
        lambda c, n: (
            f"2024{c.seller.district}{n:08d}" if c.state in ("registered", "cancelled") else None
        )
    )


class YearlyStatisticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyStatistic
        django_get_or_create = ("year",)

    year = 2024
    gdp = Decimal("3219314000000.00")
    rd_expenditure = Decimal("80000000000.00")
    population = 31905000
    invention_patents = 45000
    source = "重庆市统计局"


def role_user(*roles: str, **kwargs) -> object:
    """A staff member in exactly these roles (``projects.roles``)."""
    return UserFactory(is_staff=True, groups=list(roles), **kwargs)


def reviewer_user(**kwargs) -> object:
    """A back-office officer who takes every decision: the three deciding roles, as the one
    reviewers' group held before the roles were split. Tests of a single role use
    ``reviewer_only_user``, ``registrar_user``, ``project_officer_user``."""
    return role_user(*DECIDING_ROLES, **kwargs)


def reviewer_only_user(**kwargs) -> object:
    return role_user(REVIEWER, **kwargs)


def registrar_user(**kwargs) -> object:
    return role_user(REGISTRAR, **kwargs)


def project_officer_user(**kwargs) -> object:
    return role_user(PROJECT_OFFICER, **kwargs)


def manager_user(**kwargs) -> object:
    return role_user(MANAGER, **kwargs)


class IndicatorRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorRun

    trigger = IndicatorRun.Trigger.MANUAL


class NeedAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedAttachment

    need = factory.SubFactory(TechnicalNeedFactory)
    file = factory.django.FileField(filename="技术规格书.pdf", data=b"%PDF-1.4 demo")
    description = "技术规格书"
