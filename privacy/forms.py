from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from privacy.models import PolicyVersion


class PolicyDiffForm(forms.Form):
    """Which two published versions to compare; the fields are the page's `from` and `to`."""

    def __init__(
        self,
        data: dict[str, str | None] | None,
        *,
        versions: list[PolicyVersion],
        initial: dict[str, str | None] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self._versions = {version.label: version for version in versions}
        choices = [
            (
                version.label,
                _("%(label)s — с %(date)s")
                % {"label": version.label, "date": date_format(version.effective_date, "d.m.Y")},
            )
            for version in versions
        ]
        errors = {
            "required": _("Выберите редакцию."),
            "invalid_choice": _(
                "Опубликованной редакции «%(value)s» нет. Выберите редакцию из списка."
            ),
        }
        self.fields["from"] = forms.ChoiceField(
            label=_("Прежняя редакция"), choices=choices, error_messages=errors
        )
        self.fields["to"] = forms.ChoiceField(
            label=_("Новая редакция"), choices=choices, error_messages=errors
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("from") and cleaned.get("from") == cleaned.get("to"):
            raise ValidationError(_("Выберите две разные редакции."), code="same_version")
        return cleaned

    def selected(self) -> tuple[PolicyVersion, PolicyVersion]:
        """The two versions chosen; only after `is_valid()`."""
        return self._versions[self.cleaned_data["from"]], self._versions[self.cleaned_data["to"]]


class PolicyVersionAdminForm(forms.ModelForm):
    """A draft in the admin; when it is saved to be published, its date must allow that."""

    publishing = False  # set by the admin when the "save and publish" button was pressed

    class Meta:
        model = PolicyVersion
        fields = ["label", "title", "effective_date", "requires_renewed_consent", "body"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "body": forms.Textarea(attrs={"rows": 30, "cols": 100}),
        }

    def clean_effective_date(self):
        effective_date = self.cleaned_data["effective_date"]
        if self.publishing:
            PolicyVersion.validate_publication_date(effective_date)
        return effective_date
