"""Filters of the list endpoints: state, year, pole, district, organisation and date ranges.

Each filters a queryset the selectors already cut to what the user may see, on columns the user
sees anyway, so a filter cannot probe a hidden field.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django_filters.rest_framework import DjangoFilterBackend

from projects.models import (
    Bottleneck,
    Certification,
    District,
    InnovationPlatform,
    NeedApplication,
    Organization,
    Pole,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
)

# The pagination's parameters, which no filter reads.
_PAGING = frozenset({"cursor", "page", "page_size"})


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the query names no filter (none, or only a page):
    building a filter set copies every filter of it, a cost each unfiltered page would pay for
    nothing."""

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        if _PAGING.issuperset(request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)


class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number the database's ids can hold (anything else is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class YearFilter(IdFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_value", 9998)
        super().__init__(*args, **kwargs)


class _Base(django_filters.FilterSet):
    pole = django_filters.ChoiceFilter(choices=Pole.choices)


class OrganizationFilter(_Base):
    district = django_filters.ChoiceFilter(choices=District.choices)
    state = django_filters.ChoiceFilter(choices=Organization.State.choices)
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)

    class Meta:
        model = Organization
        fields = ["state", "kind", "district", "pole"]


class NeedFilter(_Base):
    state = django_filters.MultipleChoiceFilter(choices=TechnicalNeed.State.choices)
    industrial_chain = django_filters.ChoiceFilter(
        choices=TechnicalNeed._meta.get_field("industrial_chain").choices
    )
    organization = IdFilter(field_name="proposer_id", label="proposer id")
    district = django_filters.ChoiceFilter(
        field_name="proposer__district", choices=District.choices
    )
    year = YearFilter(field_name="published_at__year", label="year published")
    published_after = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="lt")
    open_until_after = django_filters.DateFilter(field_name="open_until", lookup_expr="gte")
    open_until_before = django_filters.DateFilter(field_name="open_until", lookup_expr="lte")

    class Meta:
        model = TechnicalNeed
        fields = ["state", "pole", "industrial_chain", "organization", "district", "year"]


class ApplicationFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=NeedApplication.State.choices)
    need = IdFilter(field_name="need_id")
    organization = IdFilter(field_name="applicant_id", label="applicant id")
    year = YearFilter(field_name="created_at__year")

    class Meta:
        model = NeedApplication
        fields = ["state", "need", "organization", "year"]


class ProjectFilter(_Base):
    state = django_filters.MultipleChoiceFilter(choices=ResearchProject.State.choices)
    programme = django_filters.ChoiceFilter(choices=ResearchProject.Programme.choices)
    organization = IdFilter(method="filter_organization", label="lead or participant id")
    district = django_filters.ChoiceFilter(field_name="lead__district", choices=District.choices)
    year = YearFilter(field_name="approved_on__year", label="year approved")
    approved_after = django_filters.DateFilter(field_name="approved_on", lookup_expr="gte")
    approved_before = django_filters.DateFilter(field_name="approved_on", lookup_expr="lte")

    class Meta:
        model = ResearchProject
        fields = ["state", "programme", "pole", "organization", "district", "year"]

    def filter_organization(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(Q(lead_id=value) | Q(participants__organization_id=value)).distinct()


class BottleneckFilter(_Base):
    state = django_filters.MultipleChoiceFilter(choices=Bottleneck.State.choices)
    industrial_chain = django_filters.ChoiceFilter(
        choices=Bottleneck._meta.get_field("industrial_chain").choices
    )
    year = YearFilter(field_name="identified_on__year", label="year identified")
    resolved_after = django_filters.DateFilter(field_name="resolved_on", lookup_expr="gte")
    resolved_before = django_filters.DateFilter(field_name="resolved_on", lookup_expr="lte")

    class Meta:
        model = Bottleneck
        fields = ["state", "pole", "industrial_chain", "year"]


class ContractFilter(_Base):
    state = django_filters.MultipleChoiceFilter(choices=TransferContract.State.choices)
    kind = django_filters.ChoiceFilter(choices=TransferContract.Kind.choices)
    district = django_filters.ChoiceFilter(choices=District.choices)
    organization = IdFilter(method="filter_organization", label="seller or buyer id")
    seller = IdFilter(field_name="seller_id")
    buyer = IdFilter(field_name="buyer_id")
    # __year on a date column is a BETWEEN of the year's first and last days: an index on
    # registered_on answers it.
    year = YearFilter(field_name="registered_on__year", label="year registered")
    registered_after = django_filters.DateFilter(field_name="registered_on", lookup_expr="gte")
    registered_before = django_filters.DateFilter(field_name="registered_on", lookup_expr="lte")
    submitted_after = django_filters.DateFilter(field_name="submitted_on", lookup_expr="gte")
    submitted_before = django_filters.DateFilter(field_name="submitted_on", lookup_expr="lte")

    class Meta:
        model = TransferContract
        fields = ["state", "kind", "pole", "district", "organization", "seller", "buyer", "year"]

    def filter_organization(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(Q(seller_id=value) | Q(buyer_id=value))


class PlatformFilter(_Base):
    kind = django_filters.ChoiceFilter(choices=InnovationPlatform.Kind.choices)
    level = django_filters.ChoiceFilter(choices=InnovationPlatform.Level.choices)
    organization = IdFilter(field_name="host_id", label="host id")
    district = django_filters.ChoiceFilter(field_name="host__district", choices=District.choices)
    established_after = django_filters.DateFilter(field_name="established_on", lookup_expr="gte")
    established_before = django_filters.DateFilter(field_name="established_on", lookup_expr="lte")
    active_on = django_filters.DateFilter(method="filter_active_on", label="active on (date)")

    class Meta:
        model = InnovationPlatform
        fields = ["kind", "level", "pole", "organization", "district"]

    def filter_active_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(
            Q(established_on__lte=value) & (Q(closed_on__isnull=True) | Q(closed_on__gt=value))
        )


class CertificationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Certification.Kind.choices)
    organization = IdFilter(field_name="organization_id")
    district = django_filters.ChoiceFilter(
        field_name="organization__district", choices=District.choices
    )
    pole = django_filters.ChoiceFilter(field_name="organization__pole", choices=Pole.choices)
    valid_on = django_filters.DateFilter(method="filter_valid_on", label="valid on (date)")
    valid_from_after = django_filters.DateFilter(field_name="valid_from", lookup_expr="gte")
    valid_from_before = django_filters.DateFilter(field_name="valid_from", lookup_expr="lte")

    class Meta:
        model = Certification
        fields = ["kind", "organization", "district", "pole"]

    def filter_valid_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(valid_from__lte=value, valid_until__gte=value)
