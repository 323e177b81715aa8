"""What the API shows of each record, and the error format's schema.

Read-only: every write goes through a transition (``transitions.py``), whose request bodies are
built from the transition tables.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.models import (
    Bottleneck,
    Certification,
    FundingAllocation,
    IndicatorRun,
    IndicatorValue,
    InnovationPlatform,
    Membership,
    NeedApplication,
    NeedAttachment,
    NeedIndicator,
    Organization,
    ProjectParticipant,
    PublishedFigure,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
    TransitionLog,
)
from projects.workflows.registry import available_transitions

from .models import ApiToken


class OrganizationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name"]


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class TransitionsField(serializers.Field):
    """The transitions the requesting user may take on the record now (their URL names)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", "The transitions you may take on this record now (POST …/{id}/<name>/)."
        )
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> list[str]:
        request = self.context.get("request")
        user = request.user if request else None
        return [t.name.replace("_", "-") for t in available_transitions(user=user, record=value)]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "district",
            "pole",
            "industry",
            "state",
            "created_at",
            "updated_at",
        ]


class OrganizationDetailSerializer(OrganizationSerializer):
    transitions = TransitionsField()

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "transitions"]


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "role"]


class NeedIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedIndicator
        fields = ["position", "metric", "target_value", "current_benchmark", "test_method"]


class NeedIndicatorInputSerializer(serializers.Serializer):
    metric = serializers.CharField(max_length=200)
    target_value = serializers.CharField(max_length=120)
    current_benchmark = serializers.CharField(max_length=120, required=False, allow_blank=True)
    test_method = serializers.CharField(max_length=200, required=False, allow_blank=True)


class NeedIndicatorsInputSerializer(serializers.Serializer):
    indicators = NeedIndicatorInputSerializer(many=True, max_length=100)


class NeedAttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        source="download_name", read_only=True, help_text="The file's name when it was uploaded."
    )
    download = serializers.SerializerMethodField(help_text="Where to download the file.")

    class Meta:
        model = NeedAttachment
        fields = ["id", "name", "description", "created_at", "download"]

    def get_download(self, attachment: NeedAttachment) -> str:
        return reverse(
            "api:need-attachment-download",
            kwargs={"pk": attachment.need_id, "attachment_id": attachment.pk},
        )


class NeedAttachmentInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)


_NEED_FIELDS = [
    "id",
    "proposer",
    "title",
    "summary",
    "problem",
    "key_technology",
    "goals",
    "pole",
    "industrial_chain",
    "bottleneck",
    "budget",
    "open_until",
    "contact_name",
    "contact_phone",
    "contact_email",
    "state",
    "rejection_reason",
    "submitted_at",
    "published_at",
    "created_at",
    "updated_at",
]


class NeedSerializer(serializers.ModelSerializer):
    """A need in full: for its proposer's members, the selected solver and staff."""

    proposer = OrganizationRefSerializer(read_only=True)
    rejection_reason = serializers.ChoiceField(
        choices=[("", "—"), *TechnicalNeed.RejectionReason.choices],
        read_only=True,
        help_text="Why the bureau rejected it; empty unless rejected.",
    )

    class Meta:
        model = TechnicalNeed
        fields = _NEED_FIELDS


class NeedDetailSerializer(NeedSerializer):
    indicators = NeedIndicatorSerializer(many=True, read_only=True)
    attachments = NeedAttachmentSerializer(many=True, read_only=True)
    transitions = TransitionsField()

    class Meta(NeedSerializer.Meta):
        fields = [*_NEED_FIELDS, "indicators", "attachments", "transitions"]


class NeedSummarySerializer(serializers.Serializer):
    """The public summary of a need published or later: all anybody else may know of it."""

    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    summary = serializers.CharField()
    pole = serializers.ChoiceField(choices=TechnicalNeed._meta.get_field("pole").choices)
    industrial_chain = serializers.ChoiceField(
        choices=TechnicalNeed._meta.get_field("industrial_chain").choices
    )
    budget = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    open_until = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(choices=TechnicalNeed.State.choices)
    proposer_name = serializers.CharField()


class ApplicationSerializer(serializers.ModelSerializer):
    applicant = OrganizationRefSerializer(read_only=True)
    need_title = serializers.CharField(read_only=True)
    need_state = serializers.ChoiceField(choices=TechnicalNeed.State.choices, read_only=True)
    need_proposer_name = serializers.CharField(read_only=True)

    class Meta:
        model = NeedApplication
        fields = [
            "id",
            "need",
            "need_title",
            "need_state",
            "need_proposer_name",
            "applicant",
            "proposal",
            "state",
            "project",
            "contract",
            "created_at",
            "updated_at",
        ]


class ApplicationDetailSerializer(ApplicationSerializer):
    transitions = TransitionsField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "transitions"]


class ParticipantSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True)

    class Meta:
        model = ProjectParticipant
        fields = ["organization", "role"]


class FundingSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True)

    class Meta:
        model = FundingAllocation
        fields = ["organization", "source", "amount", "year"]


_PROJECT_FIELDS = [
    "id",
    "code",
    "title",
    "programme",
    "pole",
    "lead",
    "participants",
    "start_on",
    "end_on",
    "approved_on",
    "completed_on",
    "state",
    "created_at",
    "updated_at",
]


class ProjectSerializer(serializers.ModelSerializer):
    lead = OrganizationRefSerializer(read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = ResearchProject
        fields = _PROJECT_FIELDS


class ProjectDetailSerializer(ProjectSerializer):
    funding = FundingSerializer(many=True, read_only=True)
    bottlenecks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    transitions = TransitionsField()

    class Meta(ProjectSerializer.Meta):
        fields = [*_PROJECT_FIELDS, "funding", "bottlenecks", "transitions"]


_BOTTLENECK_FIELDS = [
    "id",
    "title",
    "industrial_chain",
    "pole",
    "description",
    "resolution_criteria",
    "identified_on",
    "resolved_on",
    "resolved_by",
    "state",
    "created_at",
    "updated_at",
]


class BottleneckSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bottleneck
        fields = _BOTTLENECK_FIELDS


class BottleneckDetailSerializer(BottleneckSerializer):
    transitions = TransitionsField()

    class Meta(BottleneckSerializer.Meta):
        fields = [*_BOTTLENECK_FIELDS, "transitions"]


_CONTRACT_FIELDS = [
    "id",
    "registration_number",
    "kind",
    "seller",
    "buyer",
    "title",
    "contract_amount",
    "technology_transaction_amount",
    "signed_on",
    "submitted_on",
    "registered_on",
    "registration_due_on",
    "registration_due_provisional",
    "refusal_reason",
    "district",
    "pole",
    "need",
    "project",
    "state",
    "created_at",
    "updated_at",
]


class ContractSerializer(serializers.ModelSerializer):
    seller = OrganizationRefSerializer(read_only=True)
    buyer = OrganizationRefSerializer(read_only=True)

    class Meta:
        model = TransferContract
        fields = _CONTRACT_FIELDS


# The list reads these columns alone (no model instances): at a million contracts, building
# fifty instances and running fifty ModelSerializers cost ten times the page's query.
CONTRACT_COLUMNS = (
    *(f for f in _CONTRACT_FIELDS if f not in ("seller", "buyer", "need", "project")),
    "seller_id",
    "buyer_id",
    "need_id",
    "project_id",
)


def contract_columns(contracts: QuerySet[TransferContract]) -> QuerySet[TransferContract]:
    """``contracts`` as rows of ``CONTRACT_COLUMNS`` and the seller's and buyer's names.

    The names are read by a subquery per row kept, not by joining the organisations: for a join
    PostgreSQL plans a cache of organisations sized for the whole table, and setting it up costs
    a page of fifty contracts four times its reading.
    """
    names = {
        f"{side}_name": Subquery(
            Organization.objects.filter(pk=OuterRef(f"{side}_id")).order_by().values("name")
        )
        for side in _ORGANIZATION_REFS
    }
    return contracts.annotate(**names).values(*CONTRACT_COLUMNS, *names)


def contract_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of ``contract_columns`` as ``ContractSerializer`` writes each contract (a test holds
    the two to the same output).

    Each column's conversion is chosen once from its model field, and the current time zone is
    read once per page: per value, they cost more than the page's query.
    """
    zone = timezone.get_current_timezone()
    converters = [(name, _CONTRACT_CONVERTERS.get(name)) for name in _CONTRACT_FIELDS]
    out = []
    for row in rows:
        item: dict[str, Any] = {}
        for name, convert in converters:
            if name in _ORGANIZATION_REFS:
                item[name] = {"id": row[f"{name}_id"], "name": row[f"{name}_name"]}
            elif name in _FOREIGN_KEYS:
                item[name] = row[f"{name}_id"]
            else:
                value = row[name]
                item[name] = value if convert is None or value is None else convert(value, zone)
        out.append(item)
    return out


def _decimal(value: Decimal, zone: Any) -> str:
    return f"{value:f}"


def _date(value: datetime.date, zone: Any) -> str:
    return value.isoformat()


def _datetime(value: datetime.datetime, zone: Any) -> str:
    shown = value.astimezone(zone).isoformat()
    return shown[:-6] + "Z" if shown.endswith("+00:00") else shown


_ORGANIZATION_REFS = frozenset({"seller", "buyer"})
_FOREIGN_KEYS = frozenset({"need", "project"})
_CONTRACT_CONVERTERS: dict[str, Callable[[Any, Any], str]] = {}
for _field in TransferContract._meta.concrete_fields:
    if isinstance(_field, models.DecimalField):
        _CONTRACT_CONVERTERS[_field.name] = _decimal
    elif isinstance(_field, models.DateTimeField):
        _CONTRACT_CONVERTERS[_field.name] = _datetime
    elif isinstance(_field, models.DateField):
        _CONTRACT_CONVERTERS[_field.name] = _date


class ContractDetailSerializer(ContractSerializer):
    transitions = TransitionsField()

    class Meta(ContractSerializer.Meta):
        fields = [*_CONTRACT_FIELDS, "transitions"]


class PlatformSerializer(serializers.ModelSerializer):
    host = OrganizationRefSerializer(read_only=True)

    class Meta:
        model = InnovationPlatform
        fields = [
            "id",
            "name",
            "kind",
            "level",
            "host",
            "pole",
            "established_on",
            "closed_on",
            "created_at",
            "updated_at",
        ]


class CertificationSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True)

    class Meta:
        model = Certification
        fields = [
            "id",
            "organization",
            "kind",
            "number",
            "valid_from",
            "valid_until",
            "created_at",
            "updated_at",
        ]


class TransitionLogSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = TransitionLog
        fields = ["id", "transition", "from_state", "to_state", "actor", "comment", "changes", "at"]


# Indicators ---------------------------------------------------------------------------------


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    definition = serializers.CharField()
    population = serializers.CharField()
    plan_period = serializers.BooleanField(
        help_text="A total over the five-year plan's years up to the year asked for; otherwise "
        "a yearly figure, compared with the base year of its plan (2020 for 2021-2025, 2025 for "
        "2026-2030)."
    )
    variant_of = serializers.CharField(
        help_text="The headline indicator this one is another definition of; empty for a "
        "headline indicator."
    )
    target = serializers.DecimalField(
        max_digits=24, decimal_places=6, allow_null=True, source="target.value", default=None
    )
    headline = serializers.BooleanField()
    city_only = serializers.BooleanField()


class IndicatorValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["run", "code", "year", "scope", "value", "numerator", "denominator"]


class PublishedFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublishedFigure
        fields = [
            "run",
            "code",
            "year",
            "scope",
            "value",
            "numerator",
            "denominator",
            "published_at",
        ]


class IndicatorRunSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = IndicatorRun
        fields = [
            "id",
            "trigger",
            "actor",
            "task_id",
            "status",
            "progress",
            "created_at",
            "started_at",
            "finished_at",
            "error",
        ]


class PublishInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class LineageRecordSerializer(serializers.Serializer):
    """One record a figure counts, named as the back office names it."""

    type = serializers.CharField(help_text="The record type (model), e.g. transfercontract.")
    id = serializers.IntegerField()
    label = serializers.CharField()


# Tokens -------------------------------------------------------------------------------------


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80, help_text="What the token is for (“ERP sync”).")


class TokenCreatedSerializer(TokenSerializer):
    key = serializers.CharField(
        read_only=True, help_text="The key itself: shown in this answer only, never again."
    )

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]
