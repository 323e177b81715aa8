from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.attachments import stored_name

from .base import TimeStampedModel
from .choices import IndustrialChain, Pole
from .organizations import Organization

MIN_NEED_INDICATORS = 5


class TechnicalNeedState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    IN_REVIEW = "in_review", _("in review")
    RETURNED = "returned", _("returned for changes")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    MATCHED = "matched", _("matched")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired")


# The states a need reaches only through its publication, and those only through a
# submission (a need is withdrawn from a draft as well).
_S = TechnicalNeedState
PUBLISHED_STATES = (_S.PUBLISHED, _S.MATCHED, _S.CLOSED, _S.EXPIRED)
SUBMITTED_STATES = (_S.SUBMITTED, _S.IN_REVIEW, _S.RETURNED, _S.REJECTED, *PUBLISHED_STATES)


class TechnicalNeedRejectionReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", _("outside the bureau's scope")
    NOT_TECHNICAL = "not_technical", _("not a technical need")
    DUPLICATE = "duplicate", _("duplicate of another need")
    INSUFFICIENT_DETAIL = "insufficient_detail", _("insufficient detail after return")
    PROPOSER_INELIGIBLE = "proposer_ineligible", _("proposer not eligible")


class TechnicalNeed(TimeStampedModel):
    """A technical need (技术需求) an organisation asks the bureau to publish for take-up.

    ``summary`` is public once published; the problem, key technology, goals, indicators,
    budget, attachments and contact stay confidential to the proposer and the reviewers.
    """

    State = TechnicalNeedState
    RejectionReason = TechnicalNeedRejectionReason

    proposer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="technical_needs",
        verbose_name=_("proposer"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("public summary"))
    problem = models.TextField(_("problem"), blank=True)
    key_technology = models.TextField(_("key technology"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    pole = models.CharField(_("innovation pole"), max_length=16, choices=Pole.choices)
    industrial_chain = models.CharField(
        _("industrial chain"), max_length=40, choices=IndustrialChain.choices
    )
    bottleneck = models.ForeignKey(
        "projects.Bottleneck",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="technical_needs",
        verbose_name=_("bottleneck"),
    )
    budget = models.DecimalField(
        _("budget (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    open_until = models.DateField(_("open until"), null=True, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=80, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DRAFT, editable=False
    )
    rejection_reason = models.CharField(
        _("rejection reason"),
        max_length=32,
        choices=RejectionReason.choices,
        blank=True,
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("technical need")
        verbose_name_plural = _("technical needs")
        ordering = ["-created_at"]
        permissions = [
            (
                "review_technicalneed",
                _("Can review, return, publish, reject, match, close and expire technical needs"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="need_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=TechnicalNeedState.values), name="need_state_known"
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""),
                name="need_rejected_has_reason",
                violation_error_message=_("A rejected need carries its reason code."),
            ),
            models.CheckConstraint(
                condition=Q(state="rejected") | Q(rejection_reason=""),
                name="need_reason_only_when_rejected",
                violation_error_message=_("Only a rejected need carries a rejection reason."),
            ),
            models.CheckConstraint(
                condition=Q(rejection_reason__in=TechnicalNeedRejectionReason.values)
                | Q(rejection_reason=""),
                name="need_rejection_reason_known",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=PUBLISHED_STATES) | Q(published_at__isnull=False),
                name="need_published_has_time",
                violation_error_message=_("A published need needs its publication time."),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=SUBMITTED_STATES) | Q(submitted_at__isnull=False),
                name="need_submitted_has_time",
                violation_error_message=_("A submitted need needs its submission time."),
            ),
            models.CheckConstraint(condition=Q(pole__in=Pole.values), name="need_pole_known"),
            models.CheckConstraint(
                condition=Q(industrial_chain__in=IndustrialChain.values), name="need_chain_known"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "published_at"], name="need_state_published_idx"),
            models.Index(fields=["proposer", "state"], name="need_proposer_state_idx"),
            models.Index(fields=["state", "open_until"], name="need_open_until_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class NeedIndicator(TimeStampedModel):
    """One measurable technical indicator of a need; the bureau asks for at least five."""

    need = models.ForeignKey(
        TechnicalNeed,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("technical need"),
    )
    metric = models.CharField(_("metric"), max_length=200)
    target_value = models.CharField(_("target value"), max_length=120)
    current_benchmark = models.CharField(_("current benchmark"), max_length=120, blank=True)
    test_method = models.CharField(_("test method"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("technical indicator")
        verbose_name_plural = _("technical indicators")
        ordering = ["need", "position", "id"]

    def __str__(self) -> str:
        return f"{self.metric}: {self.target_value}"


def need_attachment_path(instance: NeedAttachment, filename: str) -> str:
    # A random name: nothing to guess from the need or from the uploader's file name (kept
    # in ``original_name`` for the download).
    return stored_name(f"needs/{instance.need_id}", filename)


class NeedAttachment(TimeStampedModel):
    need = models.ForeignKey(
        TechnicalNeed,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("technical need"),
    )
    file = models.FileField(_("file"), upload_to=need_attachment_path, max_length=200)
    original_name = models.CharField(
        _("file name"),
        max_length=200,
        blank=True,
        help_text=_("The name the file had when it was uploaded; the download keeps it."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.description or self.download_name

    @property
    def download_name(self) -> str:
        return self.original_name or PurePath(self.file.name).name


class NeedApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    SHORTLISTED = "shortlisted", _("shortlisted")
    SELECTED = "selected", _("selected")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class NeedApplication(TimeStampedModel):
    """An organisation's application to solve a published need (揭榜)."""

    State = NeedApplicationState

    need = models.ForeignKey(
        TechnicalNeed,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("technical need"),
    )
    applicant = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="need_applications",
        verbose_name=_("applicant"),
    )
    proposal = models.TextField(_("proposal"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SUBMITTED, editable=False
    )
    project = models.ForeignKey(
        "projects.ResearchProject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="need_applications",
        verbose_name=_("resulting project"),
    )
    contract = models.ForeignKey(
        "projects.TransferContract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="need_applications",
        verbose_name=_("resulting contract"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        verbose_name = _("need application")
        verbose_name_plural = _("need applications")
        ordering = ["-created_at"]
        permissions = [
            ("review_needapplication", _("Can shortlist, select and decline need applications"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "applicant"], name="application_one_per_need_applicant"
            ),
            models.UniqueConstraint(
                fields=["need"],
                condition=Q(state="selected"),
                name="application_one_selected_per_need",
                violation_error_message=_("A need has at most one selected application."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=NeedApplicationState.values), name="application_state_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.need}"


def application_attachment_path(instance: ApplicationAttachment, filename: str) -> str:
    # A random name: neither the application nor the uploader's file name can be guessed
    # from it (the page shows ``original_name``).
    return stored_name("applications", filename)


class ApplicationAttachment(TimeStampedModel):
    """A document an applicant joins to its application (a technical proposal, a CV…)."""

    application = models.ForeignKey(
        NeedApplication,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("need application"),
    )
    file = models.FileField(_("file"), upload_to=application_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("application attachment")
        verbose_name_plural = _("application attachments")
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        return self.original_name
