"""The catalogue's filter form and the application (揭榜) form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.attachments import ACCEPT, check_upload
from projects.formatting import amount
from projects.models import IndustrialChain, Organization, Pole

# Budget bands offered by the filter, in yuan: (value, lowest, highest excluded).
BUDGET_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("lt1m", None, 1_000_000),
    ("1m-5m", 1_000_000, 5_000_000),
    ("5m-10m", 5_000_000, 10_000_000),
    ("gte10m", 10_000_000, None),
)


def _band_label(lowest: int | None, highest: int | None) -> str:
    if lowest is None:
        return gettext("under %(highest)s") % {"highest": amount(highest)}
    if highest is None:
        return gettext("%(lowest)s or more") % {"lowest": amount(lowest)}
    return gettext("%(lowest)s to %(highest)s") % {
        "lowest": amount(lowest),
        "highest": amount(highest),
    }


def _budget_choices() -> list[tuple[str, str]]:
    # A callable: the amounts are written in the language of the request.
    return [("", gettext("any budget"))] + [
        (value, _band_label(lowest, highest)) for value, lowest, highest in BUDGET_BANDS
    ]


class CatalogueFilterForm(forms.Form):
    """The GET form above the catalogue; every field is optional."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels above fields need no colon
        super().__init__(*args, **kwargs)

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Words of the title or summary, e.g. 机器人 or 芯片."),
    )
    pole = forms.ChoiceField(
        label=_("Innovation pole"),
        required=False,
        choices=[("", _("all poles")), *Pole.choices],
    )
    chain = forms.ChoiceField(
        label=_("Industrial chain"),
        required=False,
        choices=[("", _("all chains")), *IndustrialChain.choices],
    )
    budget = forms.ChoiceField(label=_("Budget"), required=False, choices=_budget_choices)
    open_on = forms.DateField(
        label=_("Still open on"),
        required=False,
        # ISO dates whatever the language: what <input type="date"> reads and sends.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Needs still taking applications on that day."),
    )

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments for the valid fields (an invalid one is ignored,
        and said beside its field)."""
        self.is_valid()  # keeps the valid fields in cleaned_data, the others in errors
        data = getattr(self, "cleaned_data", {})
        filters: dict[str, Any] = {
            "text": data.get("q") or "",
            "pole": data.get("pole") or None,
            "industrial_chain": data.get("chain") or None,
            "open_on": data.get("open_on"),
        }
        for value, lowest, highest in BUDGET_BANDS:
            if data.get("budget") == value:
                filters["budget_min"] = None if lowest is None else Decimal(lowest)
                filters["budget_max"] = None if highest is None else Decimal(highest)
        return filters


class ApplicationForm(forms.Form):
    """What an organisation sends to take up a need: its proposal and a document."""

    applicant = forms.ModelChoiceField(
        label=_("Applying organisation"),
        queryset=Organization.objects.none(),
        empty_label=None,
    )
    proposal = forms.CharField(
        label=_("Proposal"),
        help_text=_(
            "How your organisation would solve the need: approach, team, schedule, results."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        error_messages={"required": _("Describe how you would solve the need (the proposal).")},
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("A PDF, an Office document or an image."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        validators=[check_upload],
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["applicant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
