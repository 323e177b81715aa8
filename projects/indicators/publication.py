"""Publishing a run's figures for a year, and the revisions later runs record against them.

A published figure is what the bureau has said in public. A later run never overwrites it:
where its value differs, the run records an ``IndicatorRevision`` (published value, new value,
note) in the transaction that stores its values, and the figure stays as published until a
manager publishes again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects import clock
from projects.models import IndicatorRevision, IndicatorRun, PublishedFigure

from .errors import IndicatorError

if TYPE_CHECKING:
    from .computation import ComputedValue

PUBLISH_PERMISSION = "projects.publish_indicators"


def can_publish(user: Any) -> bool:
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def indicator_year_publish(*, run: IndicatorRun, year: int, actor: Any) -> list[PublishedFigure]:
    """Publish every figure of ``run`` for ``year`` (all indicators, all scopes).

    Replaces what was published for that year; the revisions recorded against the previous
    figures stay as history.
    """
    if not can_publish(actor):
        raise PermissionDenied(_("Only managers can publish indicator figures."))
    with transaction.atomic():
        # Locks the run so a concurrent prune cannot delete it under the new figures.
        run = IndicatorRun.objects.select_for_update().get(pk=run.pk)
        if run.status != IndicatorRun.Status.SUCCEEDED:
            raise IndicatorError(
                _("Run #%(run)s has not succeeded: only complete runs can be published.")
                % {"run": run.pk}
            )
        now = timezone.now()
        figures = [
            PublishedFigure(
                code=value.code,
                year=value.year,
                scope=value.scope,
                value=value.value,
                numerator=value.numerator,
                denominator=value.denominator,
                run=run,
                published_at=now,
                published_by=actor,
            )
            for value in run.values.filter(year=year).order_by()
        ]
        if not figures:
            raise IndicatorError(
                _("Run #%(run)s has no figures for %(year)s.") % {"run": run.pk, "year": year}
            )
        PublishedFigure.objects.bulk_create(
            figures,
            update_conflicts=True,
            unique_fields=["code", "year", "scope"],
            update_fields=[
                "value",
                "numerator",
                "denominator",
                "run",
                "published_at",
                "published_by",
            ],
        )
    return figures


def revisions_record(
    *, run: IndicatorRun, values: Iterable[ComputedValue]
) -> list[IndicatorRevision]:
    """Record where ``run`` differs from a published figure; called in the run's write
    transaction so revisions exist exactly when the run's values do.

    A figure is recorded each time a run finds it different from the published value and
    different from what the run before found: a figure that changes, changes back and changes
    again is recorded twice. The same difference is not recorded again by every later run
    (until a manager republishes, each nightly run would repeat it and keep from being
    pruned), unless no revision since the publication holds it yet (an older run published).

    The published figures are locked first: two runs finishing at once take turns here, and
    the second sees the first's values and revisions, so a difference is recorded once.
    """
    published = {
        (code, year, scope): (value, published_at, run_id)
        for code, year, scope, value, published_at, run_id in PublishedFigure.objects.order_by()
        .select_for_update()
        .values_list("code", "year", "scope", "value", "published_at", "run")
    }
    if not published:
        return []
    first_published = min(published_at for _value, published_at, _run in published.values())
    years = sorted({year for _code, year, _scope in published})
    # The latest revision of each figure since the first publication, oldest first so later
    # ones win.
    latest_revision = {
        (code, year, scope): (new_value, created_at)
        for code, year, scope, new_value, created_at in IndicatorRevision.objects.filter(
            created_at__gte=first_published, year__in=years
        )
        .order_by("created_at", "id")
        .values_list("code", "year", "scope", "new_value", "created_at")
        .iterator()
    }
    before = (
        IndicatorRun.objects.filter(status=IndicatorRun.Status.SUCCEEDED)
        .exclude(pk=run.pk)
        .order_by("-finished_at", "-id")
        .first()
    )
    found_before: dict[tuple[str, int, str], Any] = {}
    if before is not None:
        found_before = {
            (code, year, scope): value
            for code, year, scope, value in before.values.filter(year__in=years)
            .order_by()
            .values_list("code", "year", "scope", "value")
            .iterator()
        }
    revisions = []
    for value in values:
        key = (value.code, value.year, value.scope)
        figure = published.get(key)
        if figure is None:
            continue
        published_value, published_at, published_run = figure
        if published_value == value.value:
            continue
        recorded = latest_revision.get(key)
        already_recorded = (
            recorded is not None and recorded[1] >= published_at and recorded[0] == value.value
        )
        unchanged = key in found_before and found_before[key] == value.value
        if already_recorded and unchanged:
            continue
        revisions.append(
            IndicatorRevision(
                run=run,
                code=value.code,
                year=value.year,
                scope=value.scope,
                published_value=published_value,
                new_value=value.value,
                note=gettext(
                    "Run #%(run)s (%(trigger)s) computes %(new)s; %(published)s was published "
                    "on %(date)s from run #%(published_run)s."
                )
                % {
                    "run": run.pk,
                    "trigger": run.get_trigger_display(),
                    "new": _plain(value.value),
                    "published": _plain(published_value),
                    "date": clock.day_of(published_at).isoformat(),
                    "published_run": published_run,
                },
            )
        )
    return IndicatorRevision.objects.bulk_create(revisions)


def _plain(number: Any) -> str:
    return "—" if number is None else f"{number.normalize():f}"
