"""The portal's forms: sign-up, the parts of a need, its indicators and attachments, and the
form of a transition made from its inputs in the transition table."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import clock
from projects.attachments import ACCEPT, check_upload
from projects.credit_code import validate_credit_code
from projects.models import District, Organization, Pole
from projects.selectors.bottlenecks import bottleneck_choices
from projects.workflows._core import Input, InputKind, Transition
from projects.workflows.accounts import email_taken

# The parts of a need and what completes each are the workflow's (it refuses to submit an
# unfinished need); the portal's pages of a need read them from here.
from projects.workflows.needs import CONTENT, Part
from projects.workflows.needs import PARTS as PARTS
from projects.workflows.needs import PARTS_BY_SLUG as PARTS_BY_SLUG
from projects.workflows.needs import PartStatus as PartStatus
from projects.workflows.needs import missing_parts as missing_parts
from projects.workflows.needs import part_status as part_status


def _blank(choices: Any) -> list[tuple[str, str]]:
    return [("", gettext_lazy("Choose…")), *choices]


class PortalForm(forms.Form):
    """Errors shown at their field and, in the same words after the field's label, in the
    summary at the top (a bare "This field is required." there would not say which field)."""

    def error_summary(self) -> list[tuple[str, str]]:
        """(id of the field to focus, message) for every error, in the order of the form."""
        items: list[tuple[str, str]] = []
        for message in self.non_field_errors():
            items.append(("", str(message)))
        for field in self:
            for message in field.errors:
                named = _("%(label)s: %(message)s") % {"label": field.label, "message": message}
                items.append((field.id_for_label or "", named))
        return items


# --- Accounts ---------------------------------------------------------------------------------


class SignUpForm(PortalForm):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("You log in with it; the bureau writes to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    credit_code = forms.CharField(
        label=gettext_lazy("Your organisation's unified social credit code"),
        max_length=18,
        help_text=gettext_lazy(
            "18 characters, on the business licence, e.g. 91500106MA5U7XKX3K. If your "
            "organisation is registered here already, its administrator approves your account."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Organisation's name"), max_length=200, required=False
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of organisation"),
        choices=_blank(Organization.Kind.choices),
        required=False,
    )
    district = forms.ChoiceField(
        label=gettext_lazy("District or county"), choices=_blank(District.choices), required=False
    )
    pole = forms.ChoiceField(
        label=gettext_lazy("Innovation pole (optional)"),
        choices=_blank(Pole.choices),
        required=False,
    )

    NEW_ORGANIZATION = ("name", "kind", "district", "pole")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email_taken(email):
            raise ValidationError(
                _(
                    "An account with this e-mail address exists already: log in, or reset "
                    "its password."
                )
            )
        return email

    def clean_credit_code(self) -> str:
        code = self.cleaned_data["credit_code"].strip().upper()
        validate_credit_code(code)
        return code

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ: type the same one twice."))
        elif first:
            try:
                password_validation.validate_password(
                    first, User(username=data.get("email", ""), email=data.get("email", ""))
                )
            except ValidationError as exc:
                self.add_error("password1", exc)
        code = data.get("credit_code")
        if code and not self.code_registered:
            labels = {
                "name": _("Give your organisation's name: it is not registered here yet."),
                "kind": _("Choose the kind of your organisation."),
                "district": _("Choose the district or county where it is registered."),
            }
            for name, message in labels.items():
                if not data.get(name):
                    self.add_error(name, message)
        return data

    @property
    def code_registered(self) -> bool:
        code = self.cleaned_data.get("credit_code")
        return bool(code) and Organization.objects.filter(credit_code=code).exists()

    def organization_details(self) -> dict[str, Any] | None:
        if self.code_registered:
            return None
        return {
            "name": self.cleaned_data["name"],
            "kind": self.cleaned_data["kind"],
            "district": self.cleaned_data["district"],
            "pole": self.cleaned_data.get("pole") or "",
        }


# --- A need, in parts -------------------------------------------------------------------------


def _content_field(one: Input, *, required: bool = False) -> forms.Field:
    common: dict[str, Any] = {"label": capfirst(str(one.label)), "required": required}
    if one.kind is InputKind.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **common)
    if one.kind is InputKind.CHOICE:
        assert one.choices is not None
        return forms.ChoiceField(choices=_blank(one.choices.choices), **common)
    if one.kind is InputKind.AMOUNT:
        return forms.DecimalField(
            max_digits=16,
            decimal_places=2,
            min_value=0,
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
            **common,
        )
    if one.kind is InputKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if one.kind is InputKind.RECORD:
        return forms.ModelChoiceField(
            queryset=bottleneck_choices(), empty_label=gettext_lazy("None"), **common
        )
    if one.name == "contact_email":
        return forms.EmailField(**common)
    return forms.CharField(max_length=200, **common)


class NeedPartForm(PortalForm):
    """One part of the need form: fields of ``projects.workflows.needs.CONTENT``."""

    part: Part

    def __init__(self, *args: Any, part: Part, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.part = part
        by_name = {one.name: one for one in CONTENT}
        for name in part.fields:
            self.fields[name] = _content_field(by_name[name], required=name in part.required)
            hint = part.hints.get(name)
            if hint:
                self.fields[name].help_text = hint

    def clean_open_until(self) -> datetime.date | None:
        day = self.cleaned_data.get("open_until")
        if day is not None and day <= clock.today():
            raise ValidationError(
                _("The closing date must be after today: solvers need time to apply.")
            )
        return day

    def clean_contact_phone(self) -> str:
        phone = (self.cleaned_data.get("contact_phone") or "").strip()
        if phone and not all(c.isdigit() or c in "+-() " for c in phone):
            raise ValidationError(_("Write the phone number with digits, e.g. 023-68881234."))
        return phone

    def content(self) -> dict[str, Any]:
        values = {name: self.cleaned_data.get(name) for name in self.part.fields}
        for name, value in values.items():
            if value is None and name not in ("budget", "open_until", "bottleneck"):
                values[name] = ""
        return values


class IndicatorForm(forms.Form):
    metric = forms.CharField(label=gettext_lazy("Metric"), max_length=200, required=False)
    target_value = forms.CharField(
        label=gettext_lazy("Target value"), max_length=120, required=False
    )
    current_benchmark = forms.CharField(
        label=gettext_lazy("Current benchmark"), max_length=120, required=False
    )
    test_method = forms.CharField(label=gettext_lazy("Test method"), max_length=200, required=False)

    FIELDS = ("metric", "target_value", "current_benchmark", "test_method")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        values = {name: (data.get(name) or "").strip() for name in self.FIELDS}
        if any(values.values()):
            if not values["metric"]:
                self.add_error("metric", _("Name the metric this row measures."))
            if not values["target_value"]:
                self.add_error("target_value", _("Give the value the solution must reach."))
        return data

    @property
    def is_blank(self) -> bool:
        return not any((self.cleaned_data.get(name) or "").strip() for name in self.FIELDS)


class AttachmentForm(PortalForm):
    file = forms.FileField(
        label=gettext_lazy("Document"),
        help_text=gettext_lazy("PDF, Word, Excel, PowerPoint or an image (PNG, JPEG, GIF)."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    description = forms.CharField(
        label=gettext_lazy("What it is (optional)"), max_length=200, required=False
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        check_upload(file)
        return file


# --- A transition's form ------------------------------------------------------------------------


def offered_in_portal(transition: Transition) -> bool:
    """A transition the portal can show a form for: its record inputs choose among the
    record's own (its members, its requests), never among every record of a table."""
    return all(
        one.options is not None
        for one in transition.inputs
        if one.kind in (InputKind.RECORD, InputKind.RECORDS)
    )


def _transition_field(one: Input, record: Any) -> forms.Field:
    common: dict[str, Any] = {
        "label": capfirst(str(one.label)),
        "required": one.required,
        "help_text": one.help_text,
    }
    if one.kind is InputKind.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if one.kind is InputKind.CHOICE:
        assert one.choices is not None
        return forms.ChoiceField(choices=_blank(one.choices.choices), **common)
    if one.kind is InputKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if one.kind is InputKind.AMOUNT:
        return forms.DecimalField(max_digits=16, decimal_places=2, min_value=0, **common)
    if one.kind is InputKind.RECORD:
        return forms.ModelChoiceField(queryset=one.queryset(record), **common)
    if one.kind is InputKind.RECORDS:
        return forms.ModelMultipleChoiceField(
            queryset=one.queryset(record), widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(max_length=200, **common)


def transition_form_class(transition: Transition, record: Any) -> type[PortalForm]:
    fields: dict[str, forms.Field] = {
        one.name: _transition_field(one, record) for one in transition.inputs
    }
    fields["comment"] = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the record's timeline."),
    )
    return type("TransitionForm", (PortalForm,), fields)


def transition_arguments(form: forms.Form, transition: Transition) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for one in transition.inputs:
        value = form.cleaned_data.get(one.name)
        if one.kind is InputKind.RECORDS:
            values[one.name] = list(value or [])
        elif value not in (None, ""):
            values[one.name] = value
    return values


def transition_initial(transition: Transition, record: Any) -> dict[str, Any]:
    if transition.target is not None:
        return {}
    return {
        one.name: getattr(record, one.name)
        for one in transition.inputs
        if one.kind is not InputKind.RECORDS and hasattr(record, one.name)
    }


def posted(request: Any) -> Any:
    """The data a form is bound to: the POST, even an empty one (``request.POST or None``
    would leave a form posted empty unbound, and silently not validated)."""
    return request.POST if request.method == "POST" else None


def posted_with_files(request: Any) -> tuple[Any, Any]:
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def acting(request: Any) -> User:
    """The signed-in user of a request, as the workflows type their actor (the views that
    act are behind ``login_required``)."""
    assert request.user.is_authenticated
    return cast("User", request.user)
