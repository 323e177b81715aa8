from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from projects.models import (
    Bottleneck,
    NeedApplication,
    Notification,
    Organization,
    ResearchProject,
    TechnicalNeed,
    TransferContract,
    TransitionLog,
    YearlyStatistic,
)
from projects.notifications.outbox import notification_requeue
from projects.notifications.tasks import notification_send_task
from projects.workflows.registry import MACHINES, state_label_of, transition_label

from .figures import FiguresInputAdmin
from .paging import LargeTableAdmin
from .readonly import ReadOnlyAdmin


@admin.register(YearlyStatistic)
class YearlyStatisticAdmin(FiguresInputAdmin):
    list_display = ("year", "gdp", "rd_expenditure", "population", "invention_patents", "source")
    search_fields = ("year", "source")


# What a record is found by in the transition log's search box.
_RECORD_SEARCH: dict[type[Any], tuple[str, ...]] = {
    Organization: ("name__icontains", "credit_code__iexact"),
    TechnicalNeed: ("title__icontains",),
    NeedApplication: ("need__title__icontains", "applicant__name__icontains"),
    ResearchProject: ("code__iexact", "title__icontains"),
    Bottleneck: ("title__icontains",),
    TransferContract: ("registration_number__iexact", "title__icontains"),
}


def _record_link(record: Any) -> SafeString | str:
    if record is None:
        return "—"
    opts = record._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return str(record)
    return format_html('<a href="{}">{}</a>', url, Truncator(str(record)).chars(60))


class RecordTypeFilter(admin.SimpleListFilter):
    """Only the record types that have a workflow (and so a timeline)."""

    title = _("record type")
    parameter_name = "record_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        types = ContentType.objects.get_for_models(*(m.model for m in MACHINES.values()))
        return [(str(ct.pk), model._meta.verbose_name_plural) for model, ct in types.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(content_type_id=self.value())
        return queryset


@admin.register(TransitionLog)
class TransitionLogAdmin(LargeTableAdmin, ReadOnlyAdmin):
    list_display = ("at", "record_type", "record_link", "what", "from_label", "to_label", "actor")
    list_filter = (RecordTypeFilter,)
    search_fields = ("comment", "actor__username")
    search_help_text = _("A record's id, name, title, code or registration number; a comment.")
    list_select_related = ("content_type", "actor")
    # One row per state change of every record: newest first by key, no date drill-down (it
    # scans them all).
    ordering = ("-id",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TransitionLog]:
        # Each row's record, one query per record type on the page.
        return super().get_queryset(request).prefetch_related("record")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        found = Q(comment__icontains=term) | Q(actor__username__iexact=term)
        if term.isdigit():
            found |= Q(object_id=int(term))
        types = ContentType.objects.get_for_models(*_RECORD_SEARCH)
        for model, lookups in _RECORD_SEARCH.items():
            matches = Q()
            for lookup in lookups:
                matches |= Q(**{lookup: term})
            found |= Q(
                content_type=types[model],
                object_id__in=model._default_manager.filter(matches).values("pk")[:500],
            )
        return queryset.filter(found), False

    @admin.display(description=_("record type"))
    def record_type(self, row: TransitionLog) -> str:
        model = row.content_type.model_class()
        return str(model._meta.verbose_name) if model else row.content_type.model

    @admin.display(description=_("record"))
    def record_link(self, row: TransitionLog) -> SafeString | str:
        return _record_link(row.record)

    @admin.display(description=_("transition"))
    def what(self, row: TransitionLog) -> str:
        return transition_label(model=row.content_type.model_class(), name=row.transition)  # type: ignore[arg-type]

    @admin.display(description=_("from state"))
    def from_label(self, row: TransitionLog) -> str:
        if not row.from_state:
            return "—"
        return state_label_of(model=row.content_type.model_class(), state=row.from_state)  # type: ignore[arg-type]

    @admin.display(description=_("to state"))
    def to_label(self, row: TransitionLog) -> str:
        return state_label_of(model=row.content_type.model_class(), state=row.to_state)  # type: ignore[arg-type]


@admin.register(Notification)
class NotificationAdmin(LargeTableAdmin, ReadOnlyAdmin):
    """The delivery log of the outbox: what was queued, sent or failed, after how many
    attempts and with which last error; a failed e-mail can be sent again."""

    list_display = (
        "created_at",
        "email",
        "template",
        "state_shown",
        "attempts",
        "error",
        "sent_at",
        "record_link",
    )
    list_filter = ("state", "template", "language")
    search_fields = ("email", "recipient__username", "last_error")
    list_select_related = ("recipient", "content_type")
    ordering = ("-created_at", "-id")
    actions = ["resend"]
    readonly_fields = (
        "recipient",
        "email",
        "template",
        "record_link",
        "language",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "claimed_at",
    )
    exclude = ("content_type", "object_id", "context")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        return super().get_queryset(request).prefetch_related("record")

    @admin.display(description=_("state"), ordering="state")
    def state_shown(self, row: Notification) -> SafeString:
        return format_html(
            '<span class="delivery delivery-{}">{}</span>', row.state, row.get_state_display()
        )

    @admin.display(description=_("last error"))
    def error(self, row: Notification) -> str:
        return Truncator(row.last_error).chars(80) if row.last_error else "—"

    @admin.display(description=_("record"))
    def record_link(self, row: Notification) -> SafeString | str:
        return _record_link(row.record)

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("projects.change_notification")

    @admin.action(description=_("Send the selected failed e-mails again"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        requeued: list[int] = []
        for notification in queryset.order_by("pk"):
            if notification_requeue(notification_id=notification.pk):
                requeued.append(notification.pk)
            else:
                self.message_user(
                    request,
                    _("Not sent again: “%(email)s” (%(template)s) is %(state)s, not failed.")
                    % {
                        "email": notification.email,
                        "template": notification.get_template_display(),
                        "state": notification.get_state_display(),
                    },
                    messages.WARNING,
                )
        if requeued:
            transaction.on_commit(lambda: notification_send_task.delay(*requeued))
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail is queued to be sent again.",
                    "%(count)d e-mails are queued to be sent again.",
                    len(requeued),
                )
                % {"count": len(requeued)},
                messages.SUCCESS,
            )
