"""Builds the whole demo world in memory, then writes it, table by table."""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType

from projects.models import (
    Bottleneck,
    Certification,
    FundingAllocation,
    InnovationPlatform,
    Membership,
    NeedApplication,
    NeedIndicator,
    Organization,
    ProjectParticipant,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
    TransitionLog,
    YearlyStatistic,
)

from .certifications import certifications_build
from .contracts import contracts_build, contracts_write
from .figures import AS_OF, STATISTICS, STATISTICS_SOURCE
from .funding import funding_build, funding_write
from .needs import needs_build, needs_write
from .organizations import institutions_build, unverified_build
from .platforms import platforms_build
from .research import research_build, research_write
from .showcase import showcase_assign, showcase_pick
from .tables import Table, sequences_reset, table_write
from .vocabulary import (
    BOTTLENECK_ASPECTS,
    CHAIN_OBJECTS,
    GIVEN_NAMES,
    NAMED_NEW_RD_INSTITUTIONS,
    SURNAMES,
)
from .world import CST, OWNER, Ids, Org, Record, after, day_in, moment

if TYPE_CHECKING:
    from .contracts import Contract
    from .funding import Allocation
    from .needs import Application, Need
    from .platforms import Platform
    from .research import Bottleneck as BottleneckRecord
    from .research import Project

SEED = 20251025  # the report's month; any fixed value keeps the demo reproducible
# Organisations registered on the portal from its launch on; older certificates are imported.
PORTAL_LAUNCH = datetime.date(2015, 6, 1)
PHASES = {2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}


class Tables:
    """Every table the demo fills, with the columns it gives."""

    def __init__(self) -> None:
        stamps = ("created_at", "updated_at")
        user = get_user_model()
        self.users = Table(
            user,
            ("id", "password", "last_login", "is_superuser", "username", "first_name")
            + ("last_name", "email", "is_staff", "is_active", "date_joined"),
        )
        self.organizations = Table(
            Organization,
            ("id", *stamps, "name", "credit_code", "kind", "district", "pole", "industry", "state"),
        )
        self.memberships = Table(Membership, (*stamps, "user", "organization", "role"))
        self.certifications = Table(
            Certification, (*stamps, "organization", "kind", "number", "valid_from", "valid_until")
        )
        self.platforms = Table(
            InnovationPlatform,
            (*stamps, "name", "kind", "level", "host", "pole", "established_on", "closed_on"),
        )
        self.bottlenecks = Table(
            Bottleneck,
            ("id", *stamps, "title", "industrial_chain", "pole", "description")
            + ("resolution_criteria", "identified_on", "resolved_on", "resolved_by", "state"),
        )
        self.projects = Table(
            ResearchProject,
            ("id", *stamps, "code", "title", "programme", "pole", "lead", "start_on", "end_on")
            + ("approved_on", "completed_on", "rectification_used", "state"),
        )
        self.participants = Table(ProjectParticipant, (*stamps, "project", "organization", "role"))
        through = ResearchProject.bottlenecks.through
        self.project_bottlenecks = Table(through, ("researchproject", "bottleneck"))
        self.project_needs = Table(
            ResearchProject.needs.through, ("researchproject", "technicalneed")
        )
        self.funding = Table(
            FundingAllocation, (*stamps, "project", "organization", "source", "amount", "year")
        )
        self.needs = Table(
            TechnicalNeed,
            ("id", *stamps, "proposer", "title", "summary", "problem", "key_technology", "goals")
            + ("pole", "industrial_chain", "bottleneck", "budget", "open_until", "contact_name")
            + ("contact_phone", "contact_email", "state", "rejection_reason", "submitted_at")
            + ("published_at", "created_by"),
        )
        self.indicators = Table(
            NeedIndicator,
            (*stamps, "need", "metric", "target_value", "current_benchmark", "test_method")
            + ("position",),
        )
        self.applications = Table(
            NeedApplication,
            ("id", *stamps, "need", "applicant", "proposal", "state", "project", "contract")
            + ("submitted_by",),
        )
        self.contracts = Table(
            TransferContract,
            ("id", *stamps, "registration_number", "kind", "seller", "buyer", "title")
            + ("contract_amount", "technology_transaction_amount", "signed_on", "submitted_on")
            + ("registered_on", "registration_due_on", "registration_due_provisional")
            + ("refusal_reason", "need", "project", "district", "pole", "state")
            + ("clock_started_on",),
        )
        self.statistics = Table(
            YearlyStatistic,
            (*stamps, "year", "gdp", "rd_expenditure", "population", "invention_patents", "source"),
        )
        self.logs = Table(
            TransitionLog,
            ("content_type", "object_id", "transition", "from_state", "to_state", "actor")
            + ("comment", "at"),
        )

    def all(self) -> list[Table]:
        return [
            self.users,
            self.organizations,
            self.memberships,
            self.certifications,
            self.platforms,
            self.bottlenecks,
            self.projects,
            self.participants,
            self.project_bottlenecks,
            self.needs,
            self.project_needs,
            self.indicators,
            self.contracts,
            self.applications,
            self.funding,
            self.statistics,
            self.logs,
        ]


class World:
    """Everything the generators share: the random source, the records and the tables."""

    def __init__(
        self, *, scale: float, reviewers: list[int], demo_reviewer: int, demo_member: int
    ) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not a secret
        self.scale = scale
        self.epoch = datetime.datetime.combine(PORTAL_LAUNCH, datetime.time(9), CST)
        self.ids = Ids(
            [
                Organization,
                Bottleneck,
                ResearchProject,
                TechnicalNeed,
                NeedApplication,
                TransferContract,
                get_user_model(),
            ]
        )
        self.tables = Tables()
        self.taken_credit_codes: set[str] = set(
            Organization.objects.values_list("credit_code", flat=True)
        )
        self.organisation_codes: set[str] = set()
        self.names: set[str] = set()
        self.orgs: list[Org] = []
        self.by_kind: dict[str, list[Org]] = {}
        self.enterprises: list[Org] = []
        self.established: list[Org] = []
        self.high_tech: list[Org] = []
        self.high_tech_by_pole: dict[str, list[Org]] = {}
        self.laboratories: dict[str, Org] = {}
        self.named_new_rd = list(NAMED_NEW_RD_INSTITUTIONS)
        self.technology_centres: set[int] = set()
        self.tech_registrants: dict[int, list[Org]] = {}
        self.tech_newcomers: dict[int, list[Org]] = {}
        self.showcase: Org | None = None
        self.platforms: list[Platform] = []
        self.projects: list[Project] = []
        self.proposal_serials: dict[int, dict[str, int]] = {}
        self.bottlenecks: list[BottleneckRecord] = []
        self.projects_by_pole: dict[str, list[Project]] = {}
        self.bottlenecks_by_chain: dict[str, list[BottleneckRecord]] = {}
        self.needs: list[Need] = []
        self.applications: list[Application] = []
        self.contracts: list[Contract] = []
        self.allocations: list[Allocation] = []
        self._reviewers = reviewers
        self._demo_reviewer = demo_reviewer
        self._members: dict[int, int] = {}
        self._demo_member = demo_member
        self._topics: dict[str, set[tuple[str, str]]] = {}
        self._phases: dict[str, int] = {}
        self.statistic_years = set(YearlyStatistic.objects.values_list("year", flat=True))

    def reviewer(self) -> int:
        """A reviewer for a past decision; the demo reviewer took some of them."""
        if self.rng.random() < 0.12:
            return self._demo_reviewer
        return self.rng.choice(self._reviewers)

    def institution(self, kind: str, pole: str = "") -> Org:
        """A university, institute, new R&D institution or laboratory (``kind``), mostly one
        working in ``pole``."""
        candidates = self.by_kind.get(kind) or self.by_kind["university"]
        if pole and self.rng.random() < 0.75:
            candidates = [org for org in candidates if org.pole == pole] or candidates
        return self.rng.choice(candidates)

    def topic(self, chain: str) -> tuple[str, str]:
        """A subject (object, aspect) of the chain no bottleneck has taken yet; once a chain's
        subjects run out (large scales), their next phases (二期, 三期, …)."""
        rng = self.rng
        used = self._topics.setdefault(chain, set())
        while True:
            phase = self._phases.get(chain, 1)
            suffix = "" if phase == 1 else f"（{PHASES.get(phase, phase)}期）"
            for _attempt in range(40):
                topic = (rng.choice(CHAIN_OBJECTS[chain]), rng.choice(BOTTLENECK_ASPECTS) + suffix)
                if topic not in used:
                    used.add(topic)
                    return topic
            self._phases[chain] = phase + 1

    def member(self, org: Org) -> int:
        """The user acting for ``org`` in the portal, created the first time it acts."""
        user_id = self._members.get(org.id)
        if user_id is not None:
            return user_id
        if org is self.showcase:
            user_id = self._demo_member
        else:
            rng = self.rng
            surname, surname_py = rng.choice(SURNAMES)
            given, given_py = rng.choice(GIVEN_NAMES)
            user_id = self.ids.next(get_user_model())
            # No password: these members stand for the portal's users in the history only.
            password = UNUSABLE_PASSWORD_PREFIX + f"{rng.getrandbits(160):040x}"
            username = f"{surname_py}{given_py}.{org.credit_code[8:17].lower()}"
            self.tables.users.add(
                user_id,
                password,
                None,
                False,
                username,
                given,
                surname,
                f"{username}@example.cn",
                False,
                True,
                org.created_at,
            )
        self.tables.memberships.add(org.created_at, org.created_at, user_id, org.id, "admin")
        self._members[org.id] = user_id
        return user_id


def world_build(w: World) -> None:
    institutions_build(w)
    certifications_build(w)
    for org in w.high_tech:
        w.high_tech_by_pole.setdefault(org.pole, []).append(org)
    showcase_pick(w)
    unverified_build(w)
    platforms_build(w)
    research_build(w)
    needs_build(w)
    contracts_build(w)
    showcase_assign(w)
    funding_build(w)
    _registrations(w)


def world_write(w: World) -> None:
    t = w.tables
    assert w.showcase is not None
    w.member(w.showcase)  # the demo account's membership, whatever its organisation did
    for org in w.orgs:
        t.organizations.add(
            org.id,
            org.created_at,
            org.updated_at,
            org.name,
            org.credit_code,
            org.kind,
            org.district,
            org.pole,
            org.industry,
            org.state,
        )
    research_write(w)
    needs_write(w)
    contracts_write(w)
    funding_write(w)
    for year, (gdp, rd, population, patents) in STATISTICS.items():
        if year in w.statistic_years:
            continue  # entered by staff already: theirs stays
        stamp = datetime.datetime.combine(datetime.date(year + 1, 1, 20), datetime.time(10), CST)
        t.statistics.add(stamp, stamp, year, gdp, rd, population, patents, STATISTICS_SOURCE)
    _logs(w)
    for table in t.all():
        table_write(table)
    sequences_reset(w.ids.models)


def _registrations(w: World) -> None:
    """When each organisation registered on the portal (before anything of it appears) and the
    reviewer's verification that followed."""
    rng = w.rng
    for need in w.needs:
        need.owner.seen(need.created_at.date())
    for application in w.applications:
        application.owner.seen(application.created_at.date())
    for project in w.projects:
        for org in project.organisations():
            org.seen(project.created_at.date())
    for contract in w.contracts:
        contract.owner.seen(contract.signed_on)
        assert contract.buyer is not None
        contract.buyer.seen(contract.signed_on)
    for org in w.orgs:
        if not org.verified:
            continue  # pending and rejected registrations have their dates already
        if org.first_seen is None:
            day = day_in(rng, datetime.date(2016, 1, 4), datetime.date(2025, 12, 19))
        else:
            earliest = org.first_seen - datetime.timedelta(days=rng.randint(15, 200))
            day = max(earliest, PORTAL_LAUNCH + datetime.timedelta(days=rng.randint(0, 60)))
        org.created_at = moment(rng, day)
        org.happen("verify", "verified", after(rng, org.created_at, 1, 6), w.reviewer())


def _logs(w: World) -> None:
    table = w.tables.logs
    groups: list[tuple[type[Any], list[Any]]] = [
        (Organization, w.orgs),
        (Bottleneck, w.bottlenecks),
        (ResearchProject, w.projects),
        (TechnicalNeed, w.needs),
        (NeedApplication, w.applications),
        (TransferContract, w.contracts),
    ]
    for model, records in groups:
        content_type = ContentType.objects.get_for_model(model).pk
        record: Record
        for record in records:
            for e in record.events:
                actor = w.member(record.owner) if e.actor == OWNER else e.actor  # type: ignore[attr-defined]
                table.add(
                    content_type,
                    record.id,
                    e.transition,
                    e.from_state,
                    e.to_state,
                    actor,
                    e.comment,
                    e.at,
                )


def world_counts(w: World) -> dict[str, int]:
    return {
        "organisations": len(w.orgs),
        "certifications": len(w.tables.certifications),
        "platforms": len(w.platforms),
        "bottlenecks": len(w.bottlenecks),
        "projects": len(w.projects),
        "technical needs": len(w.needs),
        "applications": len(w.applications),
        "contracts": len(w.contracts),
        "funding allocations": len(w.allocations),
        "users": len(w.tables.users),
        "transition log entries": len(w.tables.logs),
    }


__all__ = ["AS_OF", "SEED", "World", "world_build", "world_counts", "world_write"]
