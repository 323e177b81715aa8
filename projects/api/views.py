"""The API's endpoints.

Each record type is a viewset whose list and detail come from its selectors (the API sees
exactly what the portal sees for the same user) and whose writes are the transitions of its
workflow, added as actions from the transition table (``attach_transitions``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.attachments import check_upload, download

# Imported for its side effect: the recompute task is registered in the web process too, so
# starting a run from the API enqueues it by name whatever the Celery app discovered so far.
from projects.indicators import tasks as _indicator_tasks  # noqa: F401
from projects.indicators.catalogue import CATALOGUE, get_indicator
from projects.indicators.lineage import lineage
from projects.indicators.publication import indicator_year_publish
from projects.indicators.scheduling import indicator_run_request
from projects.indicators.scopes import all_scopes
from projects.indicators.selectors import latest_successful_run, run_values
from projects.models import IndicatorRun, IndicatorValue, PublishedFigure
from projects.selectors import (
    applications,
    bottlenecks,
    certifications,
    contracts,
    needs,
    organizations,
    platforms,
    projects,
)
from projects.selectors._core import sees_all
from projects.selectors.errors import RecordNotFound
from projects.selectors.memberships import organizations_for
from projects.selectors.timelines import timeline_for
from projects.workflows._core import authorize
from projects.workflows.needs import (
    need_attachment_add,
    need_attachment_remove,
    need_indicators_set,
)
from projects.workflows.registry import Machine, machine

from . import filters
from . import serializers as s
from .models import ApiToken, api_token_create
from .pagination import CursorPagination
from .schema import transition_examples
from .transitions import acting_input, acting_organization, call, request_serializer


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, in English whatever the request's language: Swagger UI, which shows
    it, reads in English only, and integrators' tools key on its words. The API's answers
    (error messages, labels) follow the request's ``Accept-Language``."""

    schema = None  # not an endpoint of its own schema

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        with translation.override("en"):
            response = super().dispatch(request, *args, **kwargs)
            # Rendered here: the schema's lazy texts must be read while English is active.
            return response.render()


# Base classes -------------------------------------------------------------------------------


class TimelinePagination(CursorPagination):
    """A record's timeline, oldest first."""

    ordering = "id"


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A record type read through its selectors: ``list_for(user=)`` and ``get_for(user=, pk=)``.

    ``get_object`` is the detail selector itself, so every action on ``{id}`` (read, write,
    transition, download) answers 404 for a record the user may not see.
    """

    list_for: ClassVar[Callable[..., QuerySet[Any]]]
    get_for: ClassVar[Callable[..., Any]]
    detail_serializer_class: ClassVar[type[serializers.Serializer]]

    def get_queryset(self) -> QuerySet[Any]:
        return type(self).list_for(user=self.request.user)

    def get_object(self) -> Any:
        record = type(self).get_for(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "list":
            return self.serializer_class
        return self.detail_serializer_class

    def answer(self, record: Any, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The record after a write, read again as the user may see it now."""
        try:
            fresh = type(self).get_for(user=self.request.user, pk=record.pk)
        except RecordNotFound:
            return Response(status=status.HTTP_204_NO_CONTENT)
        context = self.get_serializer_context()
        return Response(
            self.detail_serializer_class(fresh, context=context).data, status=status_code
        )


class WorkflowRecordViewSet(RecordViewSet):
    """A record type with a state machine: its timeline, and its transitions (attached from
    the table below)."""

    @extend_schema(
        summary="The record's timeline",
        description="Every logged transition of the record, oldest first (cursor pages).",
        responses=s.TransitionLogSerializer(many=True),
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=TimelinePagination,
        filter_backends=[],
        serializer_class=s.TransitionLogSerializer,
    )
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        page = self.paginate_queryset(timeline_for(record=record))
        data = s.TransitionLogSerializer(page, many=True).data
        return self.get_paginated_response(data)


def attach_transitions(
    viewset: type[WorkflowRecordViewSet], chosen: Machine, *, create: bool
) -> None:
    """Add one POST action per transition of ``chosen``'s table (``/{id}/<name>/``), and the
    creation as ``POST /`` when ``create``; each calls the workflow function."""
    for transition in chosen.on_records.values():
        setattr(viewset, f"transition_{transition.name}", _transition_action(chosen, transition))
    if create:
        viewset.create = _create_action(chosen)


def _transition_action(chosen: Machine, transition: Any) -> Callable[..., Response]:
    body = request_serializer(chosen, transition)
    kind = chosen.model._meta.verbose_name
    sources = ", ".join(sorted(transition.sources))
    target = transition.target or "(unchanged)"

    def perform(self: WorkflowRecordViewSet, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        # Refused before the body is read: an actor without the right learns nothing more.
        authorize(transition, record, request.user)
        context = {**self.get_serializer_context(), "record": record}
        given = body(data=request.data, context=context)
        given.is_valid(raise_exception=True)
        call(
            transition,
            values=dict(given.validated_data),
            actor=request.user,
            **{chosen.name: record},
        )
        return self.answer(record)

    perform.__name__ = f"transition_{transition.name}"
    perform.__doc__ = f"{transition.button_label}"
    acted = action(
        detail=True,
        methods=["post"],
        url_path=transition.name.replace("_", "-"),
        url_name=transition.name.replace("_", "-"),
        serializer_class=body,
        filter_backends=[],
        pagination_class=None,
    )(perform)
    # Outside the action: drf-spectacular reads the schema the action's view was given.
    # Lazy texts: the schema is generated in English (SchemaView), long after this import.
    return extend_schema(
        operation_id=f"{chosen.name}_{transition.name}",
        summary=_title(transition.button_label),
        description=format_lazy(
            "Transition “{name}” of the {kind} workflow: from {sources} to {target}. Performed "
            "by `{function}`; refused with the workflow's own message (403 when you may not "
            "take it, 409 when the record's state or a rule of the domain forbids it).",
            name=transition.name,
            kind=kind,
            sources=sources,
            target=target,
            function=getattr(transition.function, "__name__", ""),
        ),
        request=body,
        responses={200: viewset_detail_placeholder(chosen)},
        examples=transition_examples(chosen, transition),
        filters=False,
    )(acted)


def _title(label: Any) -> Any:
    """A transition's label as a title, still lazy (read in the schema's language). Typed
    ``Any``: django-stubs' ``capfirst`` refuses a ``Promise``, the type of a lazy label."""
    return capfirst(label)


def _create_action(chosen: Machine) -> Callable[..., Response]:
    transition = chosen.creation
    body = request_serializer(chosen, transition)
    acting = acting_input(chosen, transition)

    def create(self: WorkflowRecordViewSet, request: Request) -> Response:
        given = body(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        if acting is not None:
            values[acting.name] = acting_organization(
                acting, user=request.user, transition=transition, given=values.get(acting.name)
            )
        record = call(transition, values=values, actor=request.user)
        return self.answer(record, status_code=status.HTTP_201_CREATED)

    return extend_schema(
        operation_id=f"{chosen.name}_{transition.name}",
        summary=_title(transition.button_label),
        description=(
            f"Creates the record (transition “{transition.name}”) through "
            f"`{getattr(transition.function, '__name__', '')}`."
            + (
                f" `{acting.name}` is the organisation you act for: one of yours, never "
                "another's (unless you hold the bureau's permission)."
                if acting
                else ""
            )
        ),
        request=body,
        responses={201: viewset_detail_placeholder(chosen)},
        examples=transition_examples(chosen, transition),
    )(create)


_DETAIL_BY_MACHINE: dict[str, type[serializers.Serializer]] = {}


def viewset_detail_placeholder(chosen: Machine) -> type[serializers.Serializer]:
    return _DETAIL_BY_MACHINE[chosen.name]


# Records ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Organisations you may see",
        description="Your own organisations; staff with the view permission: all.",
    ),
    retrieve=extend_schema(summary="One organisation"),
)
class OrganizationViewSet(WorkflowRecordViewSet):
    list_for = staticmethod(organizations.organization_list_for)
    get_for = staticmethod(organizations.organization_get_for)
    serializer_class = s.OrganizationSerializer
    detail_serializer_class = s.OrganizationDetailSerializer
    pagination_class = CursorPagination
    filterset_class = filters.OrganizationFilter
    search_fields = ["name", "credit_code"]
    ordering_fields = ["id", "name", "created_at"]

    @extend_schema(
        summary="Who acts for the organisation",
        responses=s.MembershipSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def members(self, request: Request, pk: str | None = None) -> Response:
        organization = self.get_object()
        rows = organizations.organization_members_for(user=request.user, organization=organization)
        return Response(s.MembershipSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Needs you may see in full",
        description=(
            "Your organisations' needs (every state), those your organisation was selected to "
            "solve, and for staff with the view permission every need. Others' published needs: "
            "see /published-needs/."
        ),
    ),
    retrieve=extend_schema(summary="One need in full, with indicators and attachments"),
)
class NeedViewSet(WorkflowRecordViewSet):
    list_for = staticmethod(needs.need_list_for)
    get_for = staticmethod(needs.need_get_for)
    serializer_class = s.NeedSerializer
    detail_serializer_class = s.NeedDetailSerializer
    filterset_class = filters.NeedFilter
    search_fields = ["title", "summary"]
    ordering_fields = ["id", "updated_at", "published_at", "open_until", "budget"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="Replace the need's technical indicators",
        description=(
            "The full list, in order (the bureau publishes a need with at least five). Only "
            "while the proposer holds the need (draft, returned)."
        ),
        request=s.NeedIndicatorsInputSerializer,
        responses=s.NeedDetailSerializer,
        examples=[
            OpenApiExample(
                "indicators",
                request_only=True,
                value={
                    "indicators": [
                        {
                            "metric": "-20℃快充至80%用时",
                            "target_value": "≤ 30 min",
                            "current_benchmark": "55 min",
                            "test_method": "GB/T 31486-2015",
                        }
                    ]
                },
            )
        ],
        filters=False,
    )
    @action(
        detail=True,
        methods=["put"],
        serializer_class=s.NeedIndicatorsInputSerializer,
        filter_backends=[],
    )
    def indicators(self, request: Request, pk: str | None = None) -> Response:
        need = self.get_object()
        given = s.NeedIndicatorsInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        need_indicators_set(
            need=need, actor=request.user, indicators=given.validated_data["indicators"]
        )
        return self.answer(need)

    @extend_schema(
        summary="Attach a document to the need",
        description=(
            "multipart/form-data with `file` (pdf, doc(x), xls(x), images…) and `description`."
        ),
        request={"multipart/form-data": s.NeedAttachmentInputSerializer},
        responses={201: s.NeedAttachmentSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        serializer_class=s.NeedAttachmentInputSerializer,
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
    )
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        need = self.get_object()
        given = s.NeedAttachmentInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        try:
            check_upload(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"file": exc.messages}) from exc
        attachment = need_attachment_add(
            need=need,
            actor=request.user,
            file=upload,
            description=given.validated_data.get("description", ""),
        )
        return Response(s.NeedAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    def _attachment(self, request: Request, pk: str | None, attachment_id: str) -> Any:
        return needs.need_attachment_get_for(user=request.user, pk=attachment_id, need_pk=pk)

    @extend_schema(
        summary="Download an attachment",
        description="The file itself; 404 unless you see the need in full.",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)/download",
        url_name="attachment-download",
        filter_backends=[],
        pagination_class=None,
    )
    def download(self, request: Request, pk: str | None = None, attachment_id: str = "") -> Any:
        attachment = self._attachment(request, pk, attachment_id)
        return download(attachment.file, attachment.download_name)

    @extend_schema(
        summary="Remove an attachment",
        responses={204: None},
        filters=False,
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        url_name="attachment",
        filter_backends=[],
        pagination_class=None,
    )
    def remove_attachment(
        self, request: Request, pk: str | None = None, attachment_id: str = ""
    ) -> Response:
        attachment = self._attachment(request, pk, attachment_id)
        need_attachment_remove(attachment=attachment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


_SUMMARY_FILTERS = [
    OpenApiParameter(
        "pole", str, enum=[c for c, _l in s.NeedSummarySerializer().fields["pole"].choices.items()]
    ),
    OpenApiParameter(
        "industrial_chain",
        str,
        enum=list(s.NeedSummarySerializer().fields["industrial_chain"].choices),
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="Published needs (public summaries)",
        description=(
            "Every need published or later, newest publication first, as its public summary: "
            "what anybody may know of it, signed in or not."
        ),
        parameters=_SUMMARY_FILTERS,
    ),
    retrieve=extend_schema(summary="One published need's public summary"),
)
class PublishedNeedViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.NeedSummarySerializer
    filter_backends: ClassVar[list[Any]] = []
    queryset = needs.TechnicalNeed.objects.none()

    def list(self, request: Request) -> Response:
        pole = request.query_params.get("pole") or None
        chain = request.query_params.get("industrial_chain") or None
        choices = self.get_serializer().fields
        if pole and pole not in choices["pole"].choices:
            raise serializers.ValidationError({"pole": [_("Not an innovation pole.")]})
        if chain and chain not in choices["industrial_chain"].choices:
            raise serializers.ValidationError({"industrial_chain": [_("Not an industrial chain.")]})
        rows = needs.need_summary_list(user=request.user, pole=pole, industrial_chain=chain)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        summary = needs.need_summary_get(user=request.user, pk=pk)
        return Response(self.get_serializer(summary).data)


@extend_schema_view(
    list=extend_schema(
        summary="Applications you may see",
        description="Your organisations' applications, and those to your organisations' needs.",
    ),
    retrieve=extend_schema(summary="One application"),
)
class ApplicationViewSet(WorkflowRecordViewSet):
    list_for = staticmethod(applications.application_list_for)
    get_for = staticmethod(applications.application_get_for)
    serializer_class = s.ApplicationSerializer
    detail_serializer_class = s.ApplicationDetailSerializer
    filterset_class = filters.ApplicationFilter
    search_fields = ["proposal"]
    ordering_fields = ["id", "created_at"]


@extend_schema_view(
    list=extend_schema(
        summary="Research projects you may see",
        description="Projects your organisations lead or take part in (read-only); staff: all.",
    ),
    retrieve=extend_schema(summary="One project, with participants, funding and bottlenecks"),
)
class ProjectViewSet(WorkflowRecordViewSet):
    list_for = staticmethod(projects.project_list_for)
    get_for = staticmethod(projects.project_get_for)
    serializer_class = s.ProjectSerializer
    detail_serializer_class = s.ProjectDetailSerializer
    filterset_class = filters.ProjectFilter
    search_fields = ["code", "title"]
    ordering_fields = ["id", "approved_on", "code"]


@extend_schema_view(
    list=extend_schema(
        summary="Industrial-chain bottlenecks",
        description="The bureau's list, for every signed-in user.",
    ),
    retrieve=extend_schema(summary="One bottleneck"),
)
class BottleneckViewSet(WorkflowRecordViewSet):
    list_for = staticmethod(bottlenecks.bottleneck_list_for)
    get_for = staticmethod(bottlenecks.bottleneck_get_for)
    serializer_class = s.BottleneckSerializer
    detail_serializer_class = s.BottleneckDetailSerializer
    filterset_class = filters.BottleneckFilter
    search_fields = ["title", "description"]
    ordering_fields = ["id", "identified_on", "resolved_on"]


@extend_schema_view(
    list=extend_schema(
        summary="Technology contracts you may see",
        description=(
            "Contracts your organisations sell or buy (read-only); staff with the view "
            "permission: all. Cursor pages: follow `next`, whatever the depth."
        ),
    ),
    retrieve=extend_schema(summary="One contract"),
)
class ContractViewSet(WorkflowRecordViewSet):
    list_for = staticmethod(contracts.contract_list_for)
    get_for = staticmethod(contracts.contract_get_for)
    serializer_class = s.ContractSerializer
    detail_serializer_class = s.ContractDetailSerializer
    pagination_class = CursorPagination
    filterset_class = filters.ContractFilter
    search_fields = ["registration_number", "title"]
    ordering_fields = ["id", "submitted_on", "registered_on", "contract_amount"]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The same rows as the selector's, read as columns (see ``s.contract_columns``).
        rows = s.contract_columns(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows) or []
        return self.get_paginated_response(s.contract_rows(page))


@extend_schema_view(
    list=extend_schema(summary="Innovation platforms", description="For every signed-in user."),
    retrieve=extend_schema(summary="One innovation platform"),
)
class PlatformViewSet(RecordViewSet):
    list_for = staticmethod(platforms.platform_list_for)
    get_for = staticmethod(platforms.platform_get_for)
    serializer_class = s.PlatformSerializer
    detail_serializer_class = s.PlatformSerializer
    filterset_class = filters.PlatformFilter
    search_fields = ["name"]
    ordering_fields = ["id", "name", "established_on"]


@extend_schema_view(
    list=extend_schema(
        summary="Certifications you may see",
        description="Your organisations' certificates; staff with the view permission: all.",
    ),
    retrieve=extend_schema(summary="One certification"),
)
class CertificationViewSet(RecordViewSet):
    list_for = staticmethod(certifications.certification_list_for)
    get_for = staticmethod(certifications.certification_get_for)
    serializer_class = s.CertificationSerializer
    detail_serializer_class = s.CertificationSerializer
    pagination_class = CursorPagination
    filterset_class = filters.CertificationFilter
    search_fields = ["number", "organization__name"]
    ordering_fields = ["id", "valid_from", "valid_until"]


for _viewset, _name, _create in (
    (OrganizationViewSet, "organization", True),
    (NeedViewSet, "need", True),
    (ApplicationViewSet, "application", True),
    (ProjectViewSet, "project", True),
    (BottleneckViewSet, "bottleneck", True),
    (ContractViewSet, "contract", True),
):
    _DETAIL_BY_MACHINE[_name] = _viewset.detail_serializer_class
    attach_transitions(_viewset, machine(_name), create=_create)


# Indicators ---------------------------------------------------------------------------------


class HasPermission(permissions.BasePermission):
    """Staff holding ``permission`` (managers, for the indicators' internals)."""

    permission: ClassVar[str] = ""
    message = gettext_lazy("Only managers may use this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and user.is_active and user.has_perm(self.permission)
        )


class ViewsIndicatorValues(HasPermission):
    permission = "projects.view_indicatorvalue"


class ViewsIndicatorRuns(HasPermission):
    permission = "projects.view_indicatorrun"


class _FigureQuery(serializers.Serializer):
    code = serializers.ChoiceField(choices=[i.code for i in CATALOGUE], required=False)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    scope = serializers.ChoiceField(choices=all_scopes(), required=False)


class _ValueQuery(_FigureQuery):
    run = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        help_text="Default: the latest successful run.",
    )


class _LineageQuery(serializers.Serializer):
    code = serializers.ChoiceField(choices=[i.code for i in CATALOGUE])
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    scope = serializers.ChoiceField(choices=all_scopes(), default="city")
    part = serializers.ChoiceField(choices=["value", "numerator", "denominator"], required=False)


def _query(serializer: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    given = serializer(data=request.query_params)
    given.is_valid(raise_exception=True)
    return dict(given.validated_data)


class IndicatorViewSet(viewsets.ViewSet):
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9_]+"
    serializer_class = s.IndicatorSerializer

    @extend_schema(summary="The indicator catalogue", responses=s.IndicatorSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response(s.IndicatorSerializer(CATALOGUE, many=True).data)

    @extend_schema(summary="One indicator's definition", responses=s.IndicatorSerializer)
    def retrieve(self, request: Request, code: str | None = None) -> Response:
        try:
            indicator = get_indicator(code or "")
        except ValueError:
            raise RecordNotFound(IndicatorRun) from None
        return Response(s.IndicatorSerializer(indicator).data)


class _QueryParams:
    @staticmethod
    def of(serializer: type[serializers.Serializer]) -> list[OpenApiParameter]:
        return [
            OpenApiParameter(
                name,
                OpenApiTypes.INT
                if isinstance(field, serializers.IntegerField)
                else OpenApiTypes.STR,
                required=field.required,
                enum=list(field.choices) if isinstance(field, serializers.ChoiceField) else None,
                description=str(field.help_text or ""),
            )
            for name, field in serializer().fields.items()
        ]


@extend_schema_view(
    list=extend_schema(
        summary="Published indicator figures",
        description="What the bureau has published, by code, year and scope; for anybody.",
        parameters=_QueryParams.of(_FigureQuery),
    )
)
class PublishedFigureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.PublishedFigureSerializer
    filter_backends: ClassVar[list[Any]] = []

    def get_queryset(self) -> QuerySet[PublishedFigure]:
        wanted = _query(_FigureQuery, self.request)
        return PublishedFigure.objects.filter(**wanted).order_by("code", "year", "scope")


@extend_schema_view(
    list=extend_schema(
        summary="A run's indicator values (provisional included)",
        description="Managers: every value of a run (default: the latest successful one).",
        parameters=_QueryParams.of(_ValueQuery),
    )
)
class IndicatorValueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [ViewsIndicatorValues]
    serializer_class = s.IndicatorValueSerializer
    filter_backends: ClassVar[list[Any]] = []

    def get_queryset(self) -> QuerySet[Any]:
        wanted = _query(_ValueQuery, self.request)
        run_id = wanted.pop("run", None)
        run = (
            IndicatorRun.objects.filter(pk=run_id).first()
            if run_id is not None
            else latest_successful_run()
        )
        if run is None:
            return IndicatorValue.objects.none()
        values = run_values(run=run, year=wanted.get("year"), scope=wanted.get("scope"))
        if "code" in wanted:
            values = values.filter(code=wanted["code"])
        return values


@extend_schema_view(
    list=extend_schema(
        summary="The records behind a figure",
        description=(
            "Lineage: the exact records the run counted for (code, year, scope); for a ratio the "
            "population, or `part=numerator` for those counted above the line. Managers only, "
            "and only record types they may view."
        ),
        parameters=_QueryParams.of(_LineageQuery),
    )
)
class LineageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [ViewsIndicatorValues]
    serializer_class = s.LineageRecordSerializer
    filter_backends: ClassVar[list[Any]] = []

    def get_queryset(self) -> QuerySet[Any]:
        wanted = _query(_LineageQuery, self.request)
        try:
            records = lineage(**wanted)
        except ValueError as exc:
            raise serializers.ValidationError({"scope": [str(exc)]}) from exc
        if not sees_all(user=self.request.user, model=records.model):
            raise RecordNotFound(records.model)
        return records.order_by("pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = [
            {"type": record._meta.model_name, "id": record.pk, "label": str(record)}
            for record in page or []
        ]
        return self.get_paginated_response(s.LineageRecordSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Indicator runs", description="Managers: every run, newest first."),
    retrieve=extend_schema(summary="One indicator run (status, progress, error)"),
)
class IndicatorRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [ViewsIndicatorRuns]
    serializer_class = s.IndicatorRunSerializer
    filter_backends: ClassVar[list[Any]] = []
    queryset = IndicatorRun.objects.select_related("actor").order_by("-created_at", "-id")

    @extend_schema(
        summary="Start a recompute",
        description=(
            "A new run, computed by a worker (202); or, while a run is pending or running, that "
            "run (200): a second request does not queue a second computation. Follow it at "
            "/indicator-runs/{id}/."
        ),
        request=None,
        responses={202: s.IndicatorRunSerializer, 200: s.IndicatorRunSerializer},
    )
    def create(self, request: Request) -> Response:
        run, started = indicator_run_request(
            trigger=IndicatorRun.Trigger.MANUAL, actor=request.user
        )
        run.refresh_from_db()
        answer = status.HTTP_202_ACCEPTED if started else status.HTTP_200_OK
        return Response(s.IndicatorRunSerializer(run).data, status=answer)

    @extend_schema(
        summary="Publish the run's figures for a year",
        description=(
            "Every figure of the year (all indicators, all scopes) becomes the published one."
        ),
        request=s.PublishInputSerializer,
        responses={200: s.PublishedFigureSerializer(many=True)},
        examples=[OpenApiExample("year", request_only=True, value={"year": 2024})],
    )
    @action(
        detail=True,
        methods=["post"],
        serializer_class=s.PublishInputSerializer,
        pagination_class=None,
    )
    def publish(self, request: Request, pk: str | None = None) -> Response:
        run = self.get_object()
        given = s.PublishInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        figures = indicator_year_publish(
            run=run, year=given.validated_data["year"], actor=request.user
        )
        return Response(s.PublishedFigureSerializer(figures, many=True).data)


# The user's own -----------------------------------------------------------------------------


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    organizations = s.OrganizationRefSerializer(many=True)
    is_staff = serializers.BooleanField()


class MeView(APIView):
    @extend_schema(
        summary="Who you are",
        description=(
            "Your account and the organisations you act for (their ids are the ones a need's "
            "proposer or a contract's seller may name)."
        ),
        responses=MeSerializer,
        tags=["me"],
    )
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "username": user.get_username(),
            "organizations": list(organizations_for(user=user)),
            "is_staff": user.is_staff,
        }
        return Response(MeSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        summary="Your API tokens",
        description="Revoked ones included, with the day they were revoked.",
    ),
    retrieve=extend_schema(summary="One of your tokens"),
    destroy=extend_schema(
        summary="Revoke a token", description="It stops working at once.", responses={204: None}
    ),
)
class TokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.TokenSerializer
    filter_backends: ClassVar[list[Any]] = []

    def get_queryset(self) -> QuerySet[ApiToken]:
        user = self.request.user
        if not user.is_authenticated:
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user_id=user.pk)

    @extend_schema(
        summary="Create a token",
        description="The answer holds the key: keep it, it is never shown again.",
        request=s.TokenCreateSerializer,
        responses={201: s.TokenCreatedSerializer},
        examples=[
            OpenApiExample("name", request_only=True, value={"name": "ERP 同步"}),
            OpenApiExample(
                "created",
                response_only=True,
                status_codes=["201"],
                value={
                    "id": 3,
                    "name": "ERP 同步",
                    "prefix": "tt_Xk3v9Q",
                    "created_at": "2025-06-30T09:00:00+08:00",
                    "last_used_at": None,
                    "revoked_at": None,
                    "key": "tt_Xk3v9Q…(43 characters, shown once)",
                },
            ),
        ],
    )
    def create(self, request: Request) -> Response:
        given = s.TokenCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        token, key = api_token_create(user=request.user, name=given.validated_data["name"])
        data = {**s.TokenSerializer(token).data, "key": key}
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ApiToken) -> None:
        instance.revoke()
