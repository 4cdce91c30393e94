import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from tests.accounts.conftest import link_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Совсем-новый-пароль-2027"


def test_a_reset_link_from_the_letter_sets_a_new_password(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "Alice@example.ru"})
    [letter] = mailoutbox
    assert "Восстановление пароля" in letter.subject
    assert letter.alternatives[0][1] == "text/html"

    form_page = client.get(link_in(letter), follow=True)
    assertContains(form_page, "Новый пароль")
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assertRedirects(done, reverse("accounts:password_reset_complete"))
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    # The link works once.
    again = client.get(link_in(letter), follow=True)
    assertContains(again, "Ссылка не действует")


def test_the_reset_letter_is_queued_after_commit_not_sent_in_the_request(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("accounts:password_reset"), {"email": "alice@example.ru"})

    assert mailoutbox == []
    assert len(callbacks) == 1


def test_an_unconfirmed_account_gets_no_reset_link_only_the_way_to_finish_or_replace_it(
    client, django_user_model, mailoutbox, django_capture_on_commit_callbacks
):
    django_user_model.objects.create_user(
        "waiting@example.ru", PASSWORD, is_active=False, awaiting_email_confirmation=True
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "waiting@example.ru"})

    [letter] = mailoutbox
    assert letter.subject.startswith("Регистрация не завершена")
    assert "/parol/vosstanovlenie/" not in letter.body
    assert reverse("accounts:register") in letter.body


def test_a_consumer_changes_the_password_and_stays_logged_in(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assertRedirects(response, reverse("accounts:profile"))
    assertContains(response, "Пароль изменён.")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_wrong_old_password_is_refused_in_russian(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "не тот", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.context["form"].has_error("old_password", "password_incorrect")
    assertContains(response, "Ваш старый пароль введен неправильно")


def test_password_change_needs_login(client):
    response = client.get(reverse("accounts:password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
