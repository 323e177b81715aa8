from __future__ import annotations

from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from projects import clock

from .base import TimeStampedModel
from .choices import District, Pole
from .organizations import Organization


class TransferContractKind(models.TextChoices):
    DEVELOPMENT = "development", _("technology development")
    TRANSFER = "transfer", _("technology transfer")
    LICENSING = "licensing", _("technology licensing")
    CONSULTING = "consulting", _("technology consulting")
    SERVICE = "service", _("technology service")


class TransferContractState(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("supplements requested")
    REGISTERED = "registered", _("registered")
    NOT_REGISTERED = "not_registered", _("not registered")
    CANCELLED = "cancelled", _("cancelled")


class TransferContract(TimeStampedModel):
    """A technology contract submitted for registration (技术合同认定登记).

    ``district`` and ``pole`` are the seller's, copied when the contract is created: the
    indicators group millions of contracts by them, and a join to the seller for each scan
    costs about twice as much. Database triggers (``projects.models.triggers``) refuse a
    contract whose copy differs from its seller and carry an organisation's move to its
    contracts.
    """

    Kind = TransferContractKind
    State = TransferContractState

    registration_number = models.CharField(
        _("registration number"), max_length=40, unique=True, null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    seller = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="contracts_sold",
        verbose_name=_("seller (technology provider)"),
    )
    buyer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="contracts_bought",
        verbose_name=_("buyer"),
    )
    title = models.CharField(_("title"), max_length=200)
    contract_amount = models.DecimalField(
        _("contract amount (yuan)"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    technology_transaction_amount = models.DecimalField(
        _("technology transaction amount (yuan)"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("The contract amount less equipment, materials and other non-technical costs."),
    )
    signed_on = models.DateField(_("signed on"))
    submitted_on = models.DateField(_("submitted on"))
    registered_on = models.DateField(_("registered on"), null=True, blank=True, editable=False)
    clock_started_on = models.DateField(
        _("registration clock started on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The day of the complete submission, or of the supplements handed in last."),
    )
    registration_due_on = models.DateField(
        _("registration due on"), null=True, blank=True, editable=False
    )
    registration_due_provisional = models.BooleanField(
        _("due date provisional"),
        default=False,
        editable=False,
        help_text=_("The official calendar for that year is not published yet."),
    )
    refusal_reason = models.TextField(_("reason for not registering"), blank=True, editable=False)
    need = models.ForeignKey(
        "projects.TechnicalNeed",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("technical need"),
    )
    project = models.ForeignKey(
        "projects.ResearchProject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("research project"),
    )
    district = models.CharField(
        _("district"), max_length=6, choices=District.choices, editable=False
    )
    pole = models.CharField(
        _("innovation pole"), max_length=16, choices=Pole.choices, blank=True, editable=False
    )
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.SUBMITTED, editable=False
    )

    class Meta:
        verbose_name = _("transfer contract")
        verbose_name_plural = _("transfer contracts")
        ordering = ["-submitted_on", "-id"]
        permissions = [
            (
                "register_transfercontract",
                _("Can register, return, refuse and cancel technology contracts"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_amount__gte=0),
                name="contract_amount_not_negative",
                violation_error_message=_("The contract amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(technology_transaction_amount__gte=0),
                name="contract_tech_amount_not_negative",
                violation_error_message=_("The technology transaction amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(technology_transaction_amount__lte=F("contract_amount")),
                name="contract_tech_amount_within_amount",
                violation_error_message=_(
                    "The technology transaction amount cannot exceed the contract amount."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(seller=F("buyer")),
                name="contract_seller_is_not_buyer",
                violation_error_message=_("The seller and the buyer must be different."),
            ),
            models.CheckConstraint(
                condition=Q(submitted_on__gte=F("signed_on")),
                name="contract_submitted_after_signed",
                violation_error_message=_("A contract is submitted after it is signed."),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["registered", "cancelled"])
                | (Q(registered_on__isnull=False) & Q(registration_number__isnull=False)),
                name="contract_registered_has_number_and_date",
                violation_error_message=_(
                    "A registered contract needs its registration number and date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True) | Q(registered_on__gte=F("submitted_on")),
                name="contract_registered_after_submitted",
                violation_error_message=_("A contract is registered after it is submitted."),
            ),
            models.CheckConstraint(
                condition=Q(clock_started_on__isnull=True)
                | Q(clock_started_on__gte=F("submitted_on")),
                name="contract_clock_after_submitted",
                violation_error_message=_(
                    "The registration clock cannot start before the contract is submitted."
                ),
            ),
            models.CheckConstraint(
                condition=Q(clock_started_on__isnull=True)
                | Q(registered_on__isnull=True)
                | Q(registered_on__gte=F("clock_started_on")),
                name="contract_registered_after_clock",
                violation_error_message=_(
                    "A contract cannot be registered before its registration clock started."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state="not_registered") | ~Q(refusal_reason=""),
                name="contract_refused_has_reason",
                violation_error_message=_("A contract not registered carries the reason."),
            ),
            models.CheckConstraint(
                condition=~Q(state="submitted")
                | (Q(registration_due_on__isnull=False) & Q(clock_started_on__isnull=False)),
                name="contract_submitted_has_clock",
                violation_error_message=_(
                    "A submitted contract needs the day its registration clock started and its "
                    "due date."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state="supplement_requested")
                | (Q(registration_due_on__isnull=True) & Q(clock_started_on__isnull=True)),
                name="contract_supplement_requested_clock_stopped",
                violation_error_message=_(
                    "While supplements are requested the registration clock is stopped."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TransferContractKind.values), name="contract_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(district__in=District.values), name="contract_district_known"
            ),
            models.CheckConstraint(
                condition=Q(pole__in=Pole.values) | Q(pole=""), name="contract_pole_known"
            ),
            models.CheckConstraint(
                condition=Q(state__in=TransferContractState.values), name="contract_state_known"
            ),
        ]
        indexes = [
            # Covers the indicator aggregate (PostgreSQL): it reads this index alone, a third
            # of the table's size, instead of the table.
            models.Index(
                fields=["state", "registered_on", "district", "pole"],
                include=["contract_amount", "technology_transaction_amount"],
                name="contract_registration_idx",
            ),
            models.Index(fields=["state", "registration_due_on"], name="contract_due_idx"),
            # The back office's list: newest submission first, a page at a time.
            models.Index(fields=["-submitted_on", "-id"], name="contract_submitted_idx"),
        ]

    def __str__(self) -> str:
        return self.registration_number or self.title

    @property
    def is_registration_overdue(self) -> bool:
        """The registry has not answered a complete submission by its due date.

        While supplements are requested the clock is stopped (and the due date cleared).
        """
        return (
            self.state == self.State.SUBMITTED
            and self.registration_due_on is not None
            and self.registration_due_on < clock.today()
        )

    # The seller the row was read with, to notice a change of seller on save.
    _scoped_seller_id: int | None

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> TransferContract:
        contract = super().from_db(db, field_names, values)
        contract._scoped_seller_id = contract.__dict__.get("seller_id")
        return contract

    def save(self, *args, **kwargs) -> None:
        # The district and pole are the seller's, copied when the contract is first saved and
        # again whenever its seller is changed (in the back office).
        seller_changed = self.seller_id != getattr(self, "_scoped_seller_id", None)
        if self.seller_id and (not self.district or seller_changed):
            self.district = self.seller.district
            self.pole = self.seller.pole
            fields = kwargs.get("update_fields")
            if fields is not None and "seller" in fields:
                kwargs["update_fields"] = {*fields, "district", "pole"}
        elif not self._state.adding and kwargs.get("update_fields") is None and not args:
            # When the seller moves, a trigger moves its contracts: the copy in memory may be
            # older than the row, and writing it back would be refused.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in ("district", "pole")
            ]
        super().save(*args, **kwargs)
        self._scoped_seller_id = self.seller_id
