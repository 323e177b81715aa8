"""Bulk import and export of organisations, certifications and contracts (django-import-export).

An import is first a dry run: every row is checked and the page lists each bad row with its
number, the field and the message, before anything is written. Only a file without errors can
be confirmed, and it is written in one transaction (all or nothing), in batches of
``bulk_create`` rather than one save per row. The rows are checked with the workflows' own
rules (credit codes with their check character, choices, amounts, dates, a verified seller)
and their messages; organisations a row names are read once per file, not once per row.

Imported records enter as the registry's files hold them and carry no timeline row: a
contract with a registration number and date is registered, one without is submitted, with its
registration clock started; an organisation waits for verification.

Exports write the filtered list on screen; a text cell that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a
leading apostrophe.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.results import RowResult

from projects import clock
from projects.credit_code import validate_credit_code
from projects.indicators.scheduling import request_indicator_refresh
from projects.models import Certification, District, Organization, Pole, TransferContract
from projects.workflows._core import check_event_date
from projects.workflows.errors import RuleViolation, WorkflowError
from projects.workflows.imports import contract_imported, organization_imported

# The workflows' labels, translated only when a message names them.
_SIGNING = gettext_lazy("signing date")
_SUBMISSION = gettext_lazy("submission date")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH_SIZE = 5_000


def neutralised(value: Any) -> Any:
    """A cell a spreadsheet shows as text, never runs: numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        try:
            Decimal(value)
        except InvalidOperation:
            return "'" + value
    return value


class BulkResource(resources.ModelResource):
    """Rows checked in Python, written with ``bulk_create`` in batches, no per-row query.

    ``import_row`` is the package's, trimmed to what a file of new records needs: a new
    instance, each column cleaned by its field's widget, the row's checks, then the instance
    queued for the next batch. The package still reads the file, batches, wraps the import in
    its transaction, and reports the rows (their number, field and message) in the admin.
    """

    def export_resource(self, instance: Any, selected_fields: Any = None, **kwargs: Any) -> list:
        return [
            neutralised(v) for v in super().export_resource(instance, selected_fields, **kwargs)
        ]

    def import_row(self, row: Any, instance_loader: Any, **kwargs: Any) -> RowResult:
        result = RowResult()
        instance = self._meta.model()
        errors: dict[str, list[str]] = {}
        plan = getattr(self, "_plan", None)
        if plan is None:
            plan = self._plan = [
                (f.attribute, f.column_name, f.widget)
                for f in self.get_import_fields()
                if not f.readonly
            ]
        for attribute, column, widget in plan:
            if column not in row:
                continue
            try:
                value = widget.clean(row[column], row=row)
            except ValueError as exc:
                errors[attribute] = [str(exc)]
            else:
                setattr(instance, attribute, value)
        if not errors:
            self.check_row(instance, errors)
        if errors:
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = ValidationError(errors)
            return result
        result.import_type = RowResult.IMPORT_TYPE_NEW
        self.create_instances.append(instance)
        if self._meta.store_instance or kwargs.get("retain_instance_in_row_result"):
            result.instance = instance
        return result

    def check_row(self, instance: Any, errors: dict[str, list[str]]) -> None:
        """Add each field's problems to ``errors`` (field name → messages)."""


def _required_text(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValueError(_("This field is required."))
    return text


class TextWidget(widgets.CharWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value).strip()


class RequiredTextWidget(widgets.CharWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return _required_text(value)


class ChoiceWidget(widgets.CharWidget):
    """A code among ``choices`` (its label, in any of the site's languages, is accepted too)."""

    # Up to this many choices, a refusal lists them all; beyond (the 38 districts), an example.
    LISTED = 12

    def __init__(self, choices: Any, *, required: bool = True) -> None:
        super().__init__()
        self.choices = choices
        self.values = frozenset(choices.values)  # read once: ``values`` is rebuilt per call
        self.required = required
        self._by_label: dict[str, str] | None = None

    def by_label(self) -> dict[str, str]:
        """Each choice's label in every language of the site (北碚区, Beibei, …), to its code."""
        if self._by_label is None:
            found: dict[str, str] = {}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for code, label in self.choices.choices:
                        found.setdefault(str(label).casefold(), code)
            self._by_label = found
        return self._by_label

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = "" if value is None else str(value).strip()
        if not text and not self.required:
            return ""
        if text in self.values:
            return text
        code = self.by_label().get(text.casefold())
        if code is not None:
            return code
        pairs = [f"{code} ({label})" for code, label in self.choices.choices]
        if len(pairs) <= self.LISTED:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(pairs)}
            )
        raise ValueError(
            _("“%(value)s” is not a known code or name (for example: %(example)s).")
            % {"value": text, "example": pairs[0]}
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class DayWidget(widgets.DateWidget):
    def __init__(self, *, required: bool = True) -> None:
        super().__init__(format="%Y-%m-%d")
        self.required = required

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> datetime.date | None:
        if value in (None, ""):
            if self.required:
                raise ValueError(_("This field is required."))
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date written as YYYY-MM-DD.") % {"value": value}
            ) from None


class AmountWidget(widgets.DecimalWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal:
        text = "" if value is None else str(value).strip().replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not an amount in yuan.") % {"value": value}
            ) from None
        if not amount.is_finite() or amount < 0:
            raise ValueError(_("An amount cannot be negative."))
        if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e14"):
            raise ValueError(_("An amount in yuan has at most two decimal places."))
        return amount.quantize(Decimal("0.01"))


class OrganizationByCreditCode(widgets.ForeignKeyWidget):
    """An organisation named by its credit code, looked up in a map read once per file."""

    def __init__(self) -> None:
        super().__init__(Organization, field="credit_code")
        self.known: dict[str, Organization] | None = None
        # A file names the same organisations again and again: each code is checked once.
        self.refused: dict[str, str] = {}

    def load(self) -> None:
        self.known = {
            code: Organization(
                pk=pk, credit_code=code, name=name, district=district, pole=pole, state=state
            )
            for pk, code, name, district, pole, state in Organization.objects.values_list(
                "pk", "credit_code", "name", "district", "pole", "state"
            )
        }

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Organization:
        code = _required_text(value).upper()
        if self.known is None:
            self.load()
        assert self.known is not None
        organization = self.known.get(code)
        if organization is not None:
            # Registered, so its code passed the check (the database holds it to it too).
            return organization
        if code not in self.refused:
            try:
                validate_credit_code(code)
            except ValidationError as exc:
                self.refused[code] = " ".join(exc.messages)
        if code in self.refused:
            raise ValueError(self.refused[code])
        if organization is None:
            raise ValueError(
                _("No organisation is registered with the credit code %(code)s.") % {"code": code}
            )
        return organization

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.credit_code if value else ""


def _already_there(seen: set[str], taken: set[str], value: str) -> bool:
    """Whether ``value`` is in the database or an earlier row of the file (then it is noted)."""
    if value in seen or value in taken:
        return True
    seen.add(value)
    return False


class OrganizationResource(BulkResource):
    name = fields.Field("name", "name", widget=RequiredTextWidget())
    credit_code = fields.Field("credit_code", "credit_code", widget=RequiredTextWidget())
    kind = fields.Field("kind", "kind", widget=ChoiceWidget(Organization.Kind))
    district = fields.Field("district", "district", widget=ChoiceWidget(District))
    pole = fields.Field("pole", "pole", widget=ChoiceWidget(Pole, required=False))
    industry = fields.Field("industry", "industry", widget=TextWidget())
    state = fields.Field("state", "state", readonly=True)

    class Meta:
        model = Organization
        fields = ("name", "credit_code", "kind", "district", "pole", "industry", "state")
        import_id_fields = ()
        force_init_instance = True
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_diff = True
        clean_model_instances = False

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        codes = [str(c).strip().upper() for c in dataset["credit_code"]] if dataset.headers else []
        self._taken = set(
            Organization.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True)
        )
        self._seen: set[str] = set()

    def check_row(self, instance: Organization, errors: dict[str, list[str]]) -> None:
        instance.credit_code = instance.credit_code.upper()
        try:
            validate_credit_code(instance.credit_code)
        except ValidationError as exc:
            errors.setdefault("credit_code", []).extend(exc.messages)
            return
        if _already_there(self._seen, self._taken, instance.credit_code):
            errors.setdefault("credit_code", []).append(
                _("An organisation with the credit code %(code)s is already registered.")
                % {"code": instance.credit_code}
            )
        organization_imported(instance)


class CertificationResource(BulkResource):
    organization = fields.Field(
        "organization", "organization_credit_code", widget=OrganizationByCreditCode()
    )
    kind = fields.Field("kind", "kind", widget=ChoiceWidget(Certification.Kind))
    number = fields.Field("number", "number", widget=RequiredTextWidget())
    valid_from = fields.Field("valid_from", "valid_from", widget=DayWidget())
    valid_until = fields.Field("valid_until", "valid_until", widget=DayWidget())

    class Meta:
        model = Certification
        fields = ("organization", "kind", "number", "valid_from", "valid_until")
        import_id_fields = ()
        force_init_instance = True
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_diff = True
        clean_model_instances = False

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self.fields["organization"].widget.load()
        self._taken = {
            f"{kind}:{number}"
            for kind, number in Certification.objects.values_list("kind", "number")
        }
        self._seen: set[str] = set()

    def check_row(self, instance: Certification, errors: dict[str, list[str]]) -> None:
        if instance.valid_until < instance.valid_from:
            errors.setdefault("valid_until", []).append(
                _("A certificate cannot end before it starts.")
            )
        if _already_there(self._seen, self._taken, f"{instance.kind}:{instance.number}"):
            errors.setdefault("number", []).append(
                _("The certificate number %(number)s is already recorded for this kind.")
                % {"number": instance.number}
            )


class TransferContractResource(BulkResource):
    registration_number = fields.Field(
        "registration_number", "registration_number", widget=TextWidget()
    )
    kind = fields.Field("kind", "kind", widget=ChoiceWidget(TransferContract.Kind))
    seller = fields.Field("seller", "seller_credit_code", widget=OrganizationByCreditCode())
    buyer = fields.Field("buyer", "buyer_credit_code", widget=OrganizationByCreditCode())
    title = fields.Field("title", "title", widget=RequiredTextWidget())
    contract_amount = fields.Field("contract_amount", "contract_amount", widget=AmountWidget())
    technology_transaction_amount = fields.Field(
        "technology_transaction_amount", "technology_transaction_amount", widget=AmountWidget()
    )
    signed_on = fields.Field("signed_on", "signed_on", widget=DayWidget())
    submitted_on = fields.Field("submitted_on", "submitted_on", widget=DayWidget())
    registered_on = fields.Field("registered_on", "registered_on", widget=DayWidget(required=False))
    state = fields.Field("state", "state", readonly=True)

    class Meta:
        model = TransferContract
        fields = (
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
            "state",
        )
        import_id_fields = ()
        force_init_instance = True
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_diff = True
        clean_model_instances = False

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        # One organisation map for both parties.
        seller = self.fields["seller"].widget
        seller.load()
        self.fields["buyer"].widget.known = seller.known
        numbers = (
            [str(n).strip() for n in dataset["registration_number"] if n]
            if "registration_number" in (dataset.headers or [])
            else []
        )
        self._taken = {
            number
            for number in TransferContract.objects.filter(
                registration_number__in=numbers
            ).values_list("registration_number", flat=True)
            if number
        }
        self._seen: set[str] = set()
        self._today = clock.today()

    def check_row(self, contract: TransferContract, errors: dict[str, list[str]]) -> None:
        if contract.seller.state != Organization.State.VERIFIED:
            errors.setdefault("seller", []).append(
                _(
                    "“%(organization)s” is not verified: only a verified organisation can "
                    "submit contracts for registration."
                )
                % {"organization": contract.seller.name}
            )
        if contract.technology_transaction_amount > contract.contract_amount:
            errors.setdefault("technology_transaction_amount", []).append(
                _(
                    "The technology transaction amount (%(technology)s yuan) cannot exceed the "
                    "contract amount (%(amount)s yuan)."
                )
                % {
                    "technology": contract.technology_transaction_amount,
                    "amount": contract.contract_amount,
                }
            )
        number = contract.registration_number or None
        contract.registration_number = number
        if number:
            if _already_there(self._seen, self._taken, number):
                errors.setdefault("registration_number", []).append(
                    _("The registration number %(number)s is already used by another contract.")
                    % {"number": number}
                )
            if contract.registered_on is None:
                errors.setdefault("registered_on", []).append(
                    _("A registered contract needs its registration date.")
                )
        elif contract.registered_on is not None:
            errors.setdefault("registration_number", []).append(
                _("A registered contract needs its registration number.")
            )
        if errors:
            return
        # The rest of the rules a submission checks (``contracts._check_facts``: the kind and
        # the amounts were checked above), with its helpers and words.
        try:
            if contract.seller_id == contract.buyer_id:
                raise RuleViolation(_("The seller and the buyer must be different organisations."))
            check_event_date(contract.signed_on, label=_SIGNING)
            check_event_date(
                contract.submitted_on,
                label=_SUBMISSION,
                after=contract.signed_on,
                after_label=_SIGNING,
            )
        except WorkflowError as exc:
            errors.setdefault(NON_FIELD_ERRORS, []).append(str(exc))
            return
        if contract.registered_on is not None and not (
            contract.submitted_on <= contract.registered_on <= self._today
        ):
            errors.setdefault("registered_on", []).append(
                _("A contract is registered after it is submitted, and not in the future.")
            )
            return
        contract_imported(contract)


class ImportExportAdmin(ImportExportMixin, admin.ModelAdmin):
    """Import and export buttons on a list: import with the add permission, export with the
    view permission; a confirmed import that meets an error writes nothing."""

    import_formats = [base_formats.CSV, base_formats.XLSX]
    export_formats = [base_formats.CSV, base_formats.XLSX]
    # Every row error in plain sight, and the preview scrolls inside the page at 1366 px.
    import_template_name = "admin/projects/import.html"
    # The admin's own log would get one row per imported row.
    skip_admin_log = True

    def _has(self, request: HttpRequest, action: str) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self._has(request, "add")

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self._has(request, "view")

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        # The file may have changed meaning since its dry run (an organisation rejected): a
        # row that fails then undoes the whole import.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result: Any, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                _(
                    "Nothing was imported: %(count)d rows no longer pass the checks. Run the "
                    "import again to see them."
                )
                % {"count": len(result.invalid_rows) + len(result.row_errors())},
                messages.ERROR,
            )
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            )
        # Certifications and registered contracts are figures' inputs.
        request_indicator_refresh()
        return super().process_result(result, request)
