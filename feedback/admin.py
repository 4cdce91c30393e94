"""Staff screens: the messages to answer, the ratings, and the averages per specialist.

A message is never edited by hand: staff assign it, answer it (the answer is emailed) or close
it, each through a service. Ratings are the consumers' words and stay as they were given.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.admin import AssigneeFilter, DueFilter, history_table
from feedback import services
from feedback.models import FeedbackMessage, Specialist, SpecialistRating
from lkk.admin import ReadOnlyEvidenceAdmin
from staff.personal_data import SubjectRecordAdminMixin
from staff.roles import VIEW_PERSONAL_DATA

LATIN_LOOKALIKES = str.maketrans("OCP", "ОСР")


class FeedbackMessageAdminForm(forms.ModelForm):
    """The two things staff do on the page: assign the message, and answer it."""

    class Meta:
        model = FeedbackMessage
        fields = ("assignee", "answer_text")
        help_texts = {
            "answer_text": _(
                "Ответ уйдёт автору письмом сразу после сохранения и появится в его кабинете; "
                "изменить его потом нельзя."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = User.objects.filter(
                is_staff=True, is_active=True
            ).order_by("last_name", "first_name", "email")


@admin.register(FeedbackMessage)
class FeedbackMessageAdmin(SubjectRecordAdminMixin, admin.ModelAdmin):
    """The author's name, contacts and words show only to staff allowed to see PD, and a look
    at a consumer's message is recorded (`staff.personal_data`); a guest has no account to
    record it against. Only those who see the message answer it."""

    form = FeedbackMessageAdminForm
    search_is_personal_data = False  # checked by the search itself
    personal_data_fields = {
        "author": "hidden_personal_data",
        "contact": "",
        "subject": "",  # the author's own words, like the text
        "message_text": "",
        "answer_text": "",
        "guest_consent": "",
        "history": "history_without_comments",
    }
    list_display = (
        "number",
        "kind",
        "subject",
        "status",
        "received_at",
        "due_on",
        "overdue_marker",
        "assignee",
    )
    list_filter = ("status", "kind", DueFilter, AssigneeFilter)
    search_fields = ("number",)
    search_help_text = _(
        "Номер обращения (ОС-2026-000045) или адрес электронной почты автора, полностью."
    )
    actions = ("take_into_work", "close_without_answer")
    fieldsets = (
        (None, {"fields": ("number", "kind", "status", "received_at", "due_on", "overdue_marker")}),
        (_("Автор"), {"fields": ("author", "contact")}),
        (_("Обращение"), {"fields": ("subject", "message_text")}),
        (
            _("Рассмотрение"),
            {"fields": ("assignee", "answer_text", "answered_at", "closed_at", "rating")},
        ),
        (_("История рассмотрения"), {"fields": ("history",)}),
        (
            _("Согласие гостя на обработку ПДн"),
            {"classes": ("collapse",), "fields": ("guest_consent",)},
        ),
    )
    readonly_fields = (
        "number",
        "kind",
        "status",
        "received_at",
        "due_on",
        "overdue_marker",
        "author",
        "contact",
        "subject",
        "message_text",
        "answered_at",
        "closed_at",
        "rating",
        "guest_consent",
        "history",
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("user", "assignee", "specialist_rating")

    def get_list_display(self, request: HttpRequest):
        """The subject is the author's words (a name, an address): the list shows it only to
        staff who may see personal data, the others work by number and kind."""
        if request.user.has_perm(VIEW_PERSONAL_DATA):
            return self.list_display
        return tuple(field for field in self.list_display if field != "subject")

    def get_fieldsets(self, request: HttpRequest, obj: FeedbackMessage | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.user_id:  # a consumer consented when registering
            return fieldsets[:-1]
        return fieldsets

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        """The exact number or the author's exact address, through indexes, not LIKE."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if "@" in term:
            if not request.user.has_perm(VIEW_PERSONAL_DATA):
                return queryset.none(), False  # an address is personal data
            email = User.objects.normalize_email(term)
            return queryset.filter(user__email=email) | queryset.filter(guest_email=email), False
        # Prefixes are Cyrillic; staff often type them in the Latin layout.
        return queryset.filter(number=term.upper().translate(LATIN_LOOKALIKES)), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages come from the site's form

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # An answered or closed message is done: its page only shows what happened.
        return super().has_change_permission(request, obj) and (
            obj is None or (obj.is_open and self.shows_personal_data(request, obj))
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a received message is a record of the operator's work

    def save_model(self, request: HttpRequest, obj: FeedbackMessage, form, change: bool) -> None:
        """Not a plain save: the services assign and answer, and queue the answer letter."""
        one = FeedbackMessage.objects.filter(pk=obj.pk)
        if "assignee" in form.changed_data and form.cleaned_data["assignee"] is not None:
            services.feedback_messages_assign(
                messages=one, assignee=form.cleaned_data["assignee"], by=request.user
            )
        if form.cleaned_data.get("answer_text"):
            try:
                services.feedback_message_answer(
                    message=obj, answer_text=form.cleaned_data["answer_text"], by=request.user
                )
            except services.FeedbackMessageNotOpen:
                self.message_user(
                    request,
                    _("Обращение уже рассмотрено другим сотрудником: ответ не отправлен."),
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("Ответ отправлен автору."), messages.SUCCESS)

    @admin.display(description=_("просрочено"))
    def overdue_marker(self, message: FeedbackMessage) -> str:
        return "⚠ просрочено" if message.is_overdue else ""

    @admin.display(description=_("автор"))
    def author(self, message: FeedbackMessage) -> str:
        if message.user_id:
            return f"{message.author_name} (пользователь кабинета)"
        return f"{message.guest_name} (гость, без входа в кабинет)"

    @admin.display(description=_("контакты"))
    def contact(self, message: FeedbackMessage) -> str:
        if message.user_id:
            email, phone = message.user.email, message.user.phone
        else:
            email, phone = message.guest_email, message.guest_phone
        return ", ".join(part for part in (email, phone) if part)

    @admin.display(description=_("текст обращения"))
    def message_text(self, message: FeedbackMessage) -> str:
        return linebreaks_filter(message.text, autoescape=True)

    @admin.display(description=_("оценка автора"))
    def rating(self, message: FeedbackMessage) -> str:
        rating = getattr(message, "specialist_rating", None)
        return f"{rating.score} из 5" if rating else "—"

    @admin.display(description=_("шаги"))
    def history(self, message: FeedbackMessage) -> str:
        return history_table(
            message, statuses=dict(FeedbackMessage.Status.choices), with_comments=True
        )

    @admin.display(description=_("шаги"))
    def history_without_comments(self, message: FeedbackMessage) -> str:
        return history_table(
            message, statuses=dict(FeedbackMessage.Status.choices), with_comments=False
        )

    @admin.display(description=_("подтверждение"))
    def guest_consent(self, message: FeedbackMessage) -> str:
        return format_html(
            "Редакция № {} · {} (МСК) · IP {} · {}<br>{}",
            message.guest_consent_version,
            date_format(localtime(message.guest_consent_at), "d.m.Y H:i:s"),
            message.guest_ip_address or "—",
            message.guest_user_agent or "—",
            linebreaks_filter(message.guest_consent_text, autoescape=True),
        )

    @admin.action(description=_("Взять в работу (назначить мне)"), permissions=["change"])
    def take_into_work(self, request: HttpRequest, queryset) -> None:
        taken = services.feedback_messages_assign(
            messages=queryset, assignee=request.user, by=request.user
        )
        self.message_user(request, _("Взято в работу: %d.") % taken, messages.SUCCESS)

    @admin.action(description=_("Закрыть без ответа (спам, повтор)"), permissions=["change"])
    def close_without_answer(self, request: HttpRequest, queryset) -> None:
        closed = services.feedback_messages_close(messages=queryset, by=request.user)
        self.message_user(request, _("Закрыто без ответа: %d.") % closed, messages.SUCCESS)


@admin.register(SpecialistRating)
class SpecialistRatingAdmin(SubjectRecordAdminMixin, admin.ModelAdmin):
    # A comment is the consumer's own words and may name them: on the rating's page only.
    list_display = ("created_at", "specialist", "score", "rated", "has_comment")
    list_filter = ("score",)
    declared_lookups = ("specialist__id__exact",)  # SpecialistAdmin's link
    list_select_related = ("specialist", "feedback_message", "subject_request")
    fields = ("created_at", "specialist", "author", "score", "comment", "rated")
    readonly_fields = fields
    subject_field = "author"
    personal_data_fields = {"author": "masked_subject", "comment": "hidden_personal_data"}

    @admin.display(description=_("комментарий"), boolean=True)
    def has_comment(self, rating: SpecialistRating) -> bool:
        return bool(rating.comment)

    @admin.display(description=_("что оценено"))
    def rated(self, rating: SpecialistRating) -> str:
        if rating.feedback_message_id:
            return format_html(
                '<a href="{}">Обращение № {}</a>',
                reverse("admin:feedback_feedbackmessage_change", args=[rating.feedback_message_id]),
                rating.feedback_message.number,
            )
        return f"Обращение по ПДн № {rating.subject_request.number}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Specialist)
class SpecialistAdmin(ReadOnlyEvidenceAdmin):
    """Averages per specialist: one grouped query for the page, whatever the number of ratings."""

    list_display = ("name", "ratings_count", "average_score", "last_rated_at", "ratings_link")
    list_display_links = None
    ordering = ("last_name", "first_name", "email")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).with_rating_summary()

    @admin.display(description=_("специалист"), ordering="last_name")
    def name(self, specialist: Specialist) -> str:
        return specialist.get_full_name() or specialist.email

    @admin.display(description=_("оценок"), ordering="ratings_count")
    def ratings_count(self, specialist: Specialist) -> int:
        return specialist.ratings_count

    @admin.display(description=_("средняя оценка"), ordering="average_score")
    def average_score(self, specialist: Specialist) -> str:
        return f"{specialist.average_score:.2f}".replace(".", ",")

    @admin.display(description=_("последняя оценка"), ordering="last_rated_at")
    def last_rated_at(self, specialist: Specialist):
        return specialist.last_rated_at

    @admin.display(description=_("оценки"))
    def ratings_link(self, specialist: Specialist) -> str:
        return format_html(
            '<a href="{}?specialist__id__exact={}">Все оценки</a>',
            reverse("admin:feedback_specialistrating_changelist"),
            specialist.pk,
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # The list of averages only: a specialist's own page would show their account.
        return obj is None and super().has_view_permission(request)
