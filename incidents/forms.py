from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models import DataCategory, Incident
from incidents.subjects import subject_list_parse

ENTRIES_SHOWN = 20


def _listed(entries) -> str:
    entries = sorted(map(str, entries))
    more = len(entries) - ENTRIES_SHOWN
    return ", ".join(entries[:ENTRIES_SHOWN]) + (f" и ещё {more}" if more > 0 else "")


class IncidentForm(forms.ModelForm):
    """The register's form: whose data, when, and the dates that the deadlines are checked by."""

    data_categories = forms.MultipleChoiceField(
        label=_("Какие данные затронуты"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Отметьте хотя бы одну категорию данных.")},
    )

    class Meta:
        model = Incident
        fields = (
            "title",
            "kind",
            "detected_at",
            "description",
            "data_categories",
            "subjects",
            "subject_list",
            "logged_in_from",
            "logged_in_until",
            "causes",
            "harm",
            "measures",
            "contact_person",
            "authority_notified_at",
            "investigation_results",
            "investigation_reported_at",
            "notice_text",
        )
        widgets = {"subjects": forms.RadioSelect}

    def _not_in_future(self, field: str):
        moment = self.cleaned_data.get(field)
        if moment is not None and moment > timezone.now():
            raise forms.ValidationError(_("Это время ещё не наступило."))
        return moment

    def clean_detected_at(self):
        return self._not_in_future("detected_at")

    def clean_authority_notified_at(self):
        return self._not_in_future("authority_notified_at")

    def clean_investigation_reported_at(self):
        return self._not_in_future("investigation_reported_at")

    def clean(self) -> dict:
        cleaned = super().clean()
        detected_at = cleaned.get("detected_at")
        for field in ("authority_notified_at", "investigation_reported_at"):
            sent_at = cleaned.get(field)
            if detected_at and sent_at and sent_at < detected_at:
                self.add_error(field, _("Уведомление не может быть раньше выявления инцидента."))
        if "subjects" in self.fields:  # read-only once the people have been notified
            self._clean_subjects(cleaned)
        return cleaned

    def _clean_subjects(self, cleaned: dict) -> None:
        subjects = cleaned.get("subjects")
        if subjects == Incident.Subjects.LIST:
            self._clean_subject_list(cleaned.get("subject_list", ""))
        elif subjects == Incident.Subjects.LOGGED_IN:
            start, end = cleaned.get("logged_in_from"), cleaned.get("logged_in_until")
            for field, moment in (("logged_in_from", start), ("logged_in_until", end)):
                if moment is None and field not in self.errors:
                    self.add_error(field, _("Укажите начало и конец периода."))
            if start and end and start > end:
                self.add_error("logged_in_until", _("Конец периода раньше его начала."))

    def _clean_subject_list(self, text: str) -> None:
        listed = subject_list_parse(text)
        if listed.unreadable:
            self.add_error(
                "subject_list",
                _("Не похоже ни на адрес, ни на номер пользователя: %(entries)s.")
                % {"entries": _listed(listed.unreadable)},
            )
            return
        if not (listed.emails or listed.user_ids):
            self.add_error("subject_list", _("Вставьте адреса или номера затронутых."))
            return
        found = list(listed.users().values_list("pk", "email"))
        found_ids = {pk for pk, _email in found}
        found_emails = {email for _pk, email in found}
        unknown = [*(listed.emails - found_emails), *(listed.user_ids - found_ids)]
        if unknown:
            self.add_error(
                "subject_list",
                _("Таких пользователей нет: %(entries)s. Исправьте или уберите их из списка.")
                % {"entries": _listed(unknown)},
            )
