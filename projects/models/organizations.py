from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from projects.credit_code import (
    CREDIT_CODE_PATTERN,
    credit_code_check_condition,
    validate_credit_code,
)

from .base import TimeStampedModel
from .choices import District, Pole


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("enterprise")
    UNIVERSITY = "university", _("university")
    RESEARCH_INSTITUTE = "research_institute", _("research institute")
    NEW_RD_INSTITUTION = "new_rd_institution", _("new R&D institution")
    LABORATORY = "laboratory", _("laboratory")
    GOVERNMENT = "government", _("government body")
    OTHER = "other", _("other")


class OrganizationState(models.TextChoices):
    PENDING = "pending", _("pending verification")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")


class Organization(TimeStampedModel):
    Kind = OrganizationKind
    State = OrganizationState

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, GB 32100-2015, with its check character."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    district = models.CharField(_("district"), max_length=6, choices=District.choices)
    pole = models.CharField(_("innovation pole"), max_length=16, choices=Pole.choices, blank=True)
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING, editable=False
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [("verify_organization", _("Can verify or reject organisations"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_code__regex=CREDIT_CODE_PATTERN),
                name="organization_credit_code_shape",
                violation_error_message=_("The credit code is not 18 characters of GB 32100."),
            ),
            models.CheckConstraint(
                condition=credit_code_check_condition(field="credit_code"),
                name="organization_credit_code_check_character",
                violation_error_message=_("The check character of this credit code is wrong."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="organization_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(district__in=District.values), name="organization_district_known"
            ),
            models.CheckConstraint(
                condition=Q(pole__in=Pole.values) | Q(pole=""), name="organization_pole_known"
            ),
            models.CheckConstraint(
                condition=Q(state__in=OrganizationState.values), name="organization_state_known"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "district", "pole"], name="organization_scope_idx"),
            models.Index(fields=["state"], name="organization_state_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_enterprise(self) -> bool:
        return self.kind == self.Kind.ENTERPRISE


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("organisation administrator")
    MEMBER = "member", _("member")


class MembershipLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", _("Chinese")
    EN = "en", _("English")
    FR = "fr", _("French")


class Membership(TimeStampedModel):
    """A user acting for an organisation in the portal."""

    Role = MembershipRole
    Language = MembershipLanguage

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=Language.choices,
        default=Language.ZH_HANS,
        help_text=_("The language of the e-mails this member receives."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_one_per_user_organization"
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="membership_role_known"
            ),
            models.CheckConstraint(
                condition=Q(language__in=MembershipLanguage.values),
                name="membership_language_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class MembershipRequestState(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class MembershipRequest(TimeStampedModel):
    """Someone who signed up under the credit code of an organisation already known asks to
    act for it; its administrator or a reviewer approves (a ``Membership`` follows) or
    refuses, logged on the organisation's timeline."""

    State = MembershipRequestState

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("organisation"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=MembershipLanguage.choices,
        default=MembershipLanguage.ZH_HANS,
        help_text=_("The language of the e-mails this member receives."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING, editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=Q(state="pending"),
                name="membership_request_one_pending",
                violation_error_message=_("This person already waits for a decision."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=MembershipRequestState.values),
                name="membership_request_state_known",
            ),
            models.CheckConstraint(
                condition=Q(language__in=MembershipLanguage.values),
                name="membership_request_language_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organization}"


class CertificationKind(models.TextChoices):
    HIGH_TECH = "high_tech", _("high-tech enterprise")
    TECH_ENTERPRISE = "tech_enterprise", _("technology-based SME")


class Certification(TimeStampedModel):
    """A high-tech enterprise certificate (three years) or a technology-based enterprise
    registration (one year)."""

    Kind = CertificationKind

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="certifications",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("certificate number"), max_length=40)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")),
                name="certification_valid_until_after_from",
                violation_error_message=_("A certificate cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CertificationKind.values), name="certification_kind_known"
            ),
            models.UniqueConstraint(
                fields=["kind", "number"], name="certification_number_unique_per_kind"
            ),
        ]
        indexes = [
            models.Index(
                fields=["kind", "valid_until", "valid_from"], name="certification_validity_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
