"""The feedback form: guests and consumers, claims, consent, validation, honeypot, rate limit."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import guest_consent
from feedback.models import FeedbackMessage
from tests.conftest import BROWSER
from tests.feedback.conftest import GUEST_EMAIL

pytestmark = pytest.mark.django_db

FORM_URL = reverse("feedback:form")
CLAIM_URL = reverse("feedback:claim")
SENT_URL = reverse("feedback:sent")
GUEST_IP = "198.51.100.20"


def post_as_guest(client, data: dict, *, ip: str = GUEST_IP, url: str = FORM_URL):
    return client.post(url, data, REMOTE_ADDR=ip, HTTP_USER_AGENT=BROWSER)


def test_a_guest_sends_a_question_and_sees_its_number(client, guest_form):
    response = post_as_guest(client, guest_form())

    assert response.status_code == 302
    assert response["Location"] == SENT_URL
    message = FeedbackMessage.objects.get()
    assert message.kind == FeedbackMessage.Kind.QUESTION
    assert message.user is None
    assert (message.guest_name, message.guest_email) == ("Петров Пётр Петрович", GUEST_EMAIL)
    assert message.status == FeedbackMessage.Status.NEW
    page = client.get(SENT_URL).content.decode()
    assert "Обращение отправлено" in page
    assert message.number in page
    assert f"Ответ придёт на адрес {GUEST_EMAIL}" in page


def test_a_guests_consent_is_kept_with_the_message_as_evidence(client, guest_form):
    before = timezone.now()

    post_as_guest(client, guest_form())

    message = FeedbackMessage.objects.get()
    assert message.guest_consent_version == guest_consent.VERSION
    assert message.guest_consent_text == guest_consent.text()
    assert "152-ФЗ" in message.guest_consent_text
    assert message.guest_consent_at >= before
    assert message.guest_ip_address == GUEST_IP
    assert message.guest_user_agent == BROWSER


def test_the_consent_checkbox_is_unticked_and_links_to_the_consent_text(client):
    page = client.get(FORM_URL).content.decode()

    checkbox = re.search(r'<input type="checkbox" name="consent"[^>]*>', page).group()
    assert "checked" not in checkbox
    assert f'href="{reverse("feedback:consent")}"' in page
    consent_page = client.get(reverse("feedback:consent")).content.decode()
    assert guest_consent.TITLE in consent_page
    assert f"Редакция № {guest_consent.VERSION}" in consent_page


def test_a_guest_cannot_send_without_consent(client, guest_form):
    response = post_as_guest(client, guest_form(consent=""))

    assert response.status_code == 200
    assert not FeedbackMessage.objects.exists()
    page = response.content.decode()
    assert "Без согласия на обработку персональных данных мы не сможем принять" in page


def test_a_guest_gives_an_email_or_a_phone(client, guest_form):
    response = post_as_guest(client, guest_form(guest_email="", guest_phone=""))

    assert not FeedbackMessage.objects.exists()
    assert "Укажите адрес электронной почты или мобильный телефон" in response.content.decode()


def test_a_phone_is_enough_for_a_guests_question(client, guest_form):
    post_as_guest(client, guest_form(guest_email="", guest_phone="8 916 555-44-33"))

    message = FeedbackMessage.objects.get()
    assert message.guest_phone == "+79165554433"
    assert "Мы позвоним по номеру +7 916 555-44-33" in client.get(SENT_URL).content.decode()


def test_a_guests_claim_needs_an_email_for_the_written_answer(client, guest_form):
    response = post_as_guest(
        client, guest_form(kind="claim", guest_email="", guest_phone="+79165554433")
    )

    assert not FeedbackMessage.objects.exists()
    assert "Для письменной претензии укажите адрес электронной почты" in response.content.decode()


def test_errors_are_in_russian_and_tied_to_their_fields(client):
    response = post_as_guest(client, {"kind": "question"})

    page = response.content.decode()
    assert not FeedbackMessage.objects.exists()
    assert "Исправьте, пожалуйста:" in page
    assert '<a href="#id_subject">Тема</a>' in page
    assert page.count("Обязательное поле.") == 6  # subject, text, name: in the summary and at each
    assert 'aria-describedby="id_subject_error"' in page
    assert 'aria-invalid="true"' in page
    bad = post_as_guest(client, {"guest_email": "not-an-address", "guest_phone": "12"})
    assert "Введите правильный адрес электронной почты." in bad.content.decode()
    assert "Введите номер мобильного телефона" in bad.content.decode()


def test_a_claim_is_its_own_kind_with_its_own_number(client, guest_form):
    post_as_guest(client, guest_form(kind="claim"), url=CLAIM_URL)

    claim = FeedbackMessage.objects.get()
    assert claim.kind == FeedbackMessage.Kind.CLAIM
    assert re.fullmatch(r"ПР-\d{4}-\d{6}", claim.number)
    page = client.get(SENT_URL).content.decode()
    assert "Претензия отправлена" in page
    assert claim.number in page


def test_the_claim_page_explains_how_a_claim_is_considered_and_what_happens_next(client):
    page = client.get(CLAIM_URL).content.decode()

    assert "<h1>Письменная претензия</h1>" in page
    assert "Претензии принимаются и рассматриваются руководством" in page
    assert "не позднее 30 дней" in page
    assert re.search(r'<input type="radio" name="kind" value="claim"[^>]*checked', page)


def test_a_signed_in_consumer_is_not_asked_for_name_contact_or_consent(
    client, alice, consumer_form
):
    client.force_login(alice)

    page = client.get(FORM_URL).content.decode()

    assert "Иванова Алиса Петровна" in page
    assert "alice@example.ru" in page
    assert 'name="guest_name"' not in page
    assert 'name="consent"' not in page


def test_a_signed_in_consumers_message_is_theirs(client, alice, consumer_form):
    client.force_login(alice)

    response = client.post(FORM_URL, consumer_form(kind="claim"))

    message = FeedbackMessage.objects.get()
    assert response["Location"] == SENT_URL
    assert message.user == alice
    assert message.guest_name == message.guest_email == ""
    assert message.guest_consent_at is None
    assert message.guest_ip_address is None
    page = client.get(SENT_URL).content.decode()
    assert message.number in page
    assert reverse("feedback:detail", args=[message.pk]) in page


def test_a_filled_honeypot_saves_nothing(client, guest_form):
    response = post_as_guest(client, guest_form(website="http://spam.example"))

    assert response.status_code == 200
    assert not FeedbackMessage.objects.exists()
    assert "поле «Не заполняйте это поле» должно остаться пустым" in response.content.decode()


def test_the_honeypot_is_out_of_peoples_way(client):
    page = client.get(FORM_URL).content.decode()

    assert re.search(r'<div class="feedback-trap" aria-hidden="true">\s*<div class="field">', page)
    assert re.search(r'<input type="text" name="website"[^>]*tabindex="-1"', page)


def test_guests_are_limited_per_address_and_keep_what_they_typed(client, guest_form, settings):
    settings.FEEDBACK_GUEST_MESSAGES_PER_IP = 2
    post_as_guest(client, guest_form())
    post_as_guest(client, guest_form(subject="Второе обращение"))

    response = post_as_guest(client, guest_form(subject="Третье обращение"))

    assert FeedbackMessage.objects.count() == 2
    page = response.content.decode()
    assert "С вашего адреса недавно отправлено много обращений" in page
    assert 'value="Третье обращение"' in page
    assert post_as_guest(client, guest_form(), ip="203.0.113.99").status_code == 302


def test_the_limit_counts_only_the_last_hour(client, guest_form, settings):
    settings.FEEDBACK_GUEST_MESSAGES_PER_IP = 1
    post_as_guest(client, guest_form())
    FeedbackMessage.objects.update(received_at=timezone.now() - datetime.timedelta(minutes=61))

    assert post_as_guest(client, guest_form()).status_code == 302


def test_signed_in_consumers_are_not_limited_by_their_address(
    client, alice, guest_form, consumer_form, settings
):
    settings.FEEDBACK_GUEST_MESSAGES_PER_IP = 1
    post_as_guest(client, guest_form())
    client.force_login(alice)

    response = client.post(FORM_URL, consumer_form(), REMOTE_ADDR=GUEST_IP)

    assert response.status_code == 302
    assert FeedbackMessage.objects.filter(user=alice).exists()


def test_the_confirmation_page_without_a_message_leads_to_the_form(client):
    response = client.get(SENT_URL)

    assert response.status_code == 302
    assert response["Location"] == FORM_URL


def test_the_confirmation_page_is_only_for_the_browser_that_sent(client, guest_form):
    post_as_guest(client, guest_form())
    number = FeedbackMessage.objects.get().number

    client.logout()  # a new session: another browser

    assert client.get(SENT_URL).status_code == 302
    assert number not in client.get(FORM_URL).content.decode()


def test_the_footer_links_to_the_form_for_everyone(client, alice):
    assert f'href="{FORM_URL}"' in client.get("/").content.decode()
    client.force_login(alice)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{FORM_URL}"' in page
    assert f'href="{reverse("feedback:mine")}"' in page
