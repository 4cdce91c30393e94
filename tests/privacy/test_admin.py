"""The admin: drafts edited, previewed and published; published versions read-only."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from privacy.models import PolicyVersion
from tests.privacy.conftest import POLICY_TEXT, days_from_today

pytestmark = pytest.mark.django_db


def change_url(version: PolicyVersion) -> str:
    return reverse("admin:privacy_policyversion_change", args=[version.pk])


def draft_form(version: PolicyVersion, **changes) -> dict:
    data = {
        "label": version.label,
        "title": version.title,
        "effective_date": version.effective_date.isoformat(),
        "body": version.body,
    }
    return {**data, **changes}


@pytest.fixture
def editor(django_user_model):
    """Staff who may edit drafts but not publish them."""
    user = django_user_model.objects.create_user("editor@ivsbyt.ru", "x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_policyversion", "change_policyversion", "add_policyversion"]
        )
    )
    return user


def test_publishing_from_the_change_form_saves_the_edit_and_records_who_and_when(
    client, admin_user, make_version
):
    draft = make_version("2.0", published=False, effective_in_days=0)
    client.force_login(admin_user)

    response = client.post(
        change_url(draft), draft_form(draft, title="Новая политика", _publish="1"), follow=True
    )

    draft.refresh_from_db()
    assert draft.is_published
    assert draft.title == "Новая политика"
    assert draft.published_by == admin_user
    assert draft.published_at is not None
    assert "Редакция 2.0 опубликована" in response.content.decode()
    assert client.get(reverse("privacy:current")).context["version"] == draft


def test_a_retroactive_publication_is_refused_next_to_the_date_and_nothing_is_saved(
    client, admin_user, make_version
):
    draft = make_version("2.0", published=False, effective_in_days=5)
    client.force_login(admin_user)
    yesterday = days_from_today(-1).isoformat()

    response = client.post(
        change_url(draft),
        draft_form(draft, title="Изменено", effective_date=yesterday, _publish="1"),
    )

    assert response.status_code == 200
    assert "задним числом" in str(response.context["adminform"].form.errors["effective_date"])
    draft.refresh_from_db()
    assert not draft.is_published
    assert draft.title != "Изменено"


def test_a_draft_may_be_saved_with_any_date(client, admin_user, make_version):
    draft = make_version("2.0", published=False, effective_in_days=5)
    client.force_login(admin_user)

    client.post(change_url(draft), draft_form(draft, effective_date="2020-01-01"))

    draft.refresh_from_db()
    assert draft.effective_date.isoformat() == "2020-01-01"
    assert not draft.is_published


def test_staff_without_the_publish_permission_can_edit_but_not_publish(
    client, editor, make_version
):
    draft = make_version("2.0", published=False, effective_in_days=0)
    client.force_login(editor)

    page = client.get(change_url(draft)).content.decode()
    client.post(change_url(draft), draft_form(draft, title="Правка", _publish="1"))

    assert "Сохранить и опубликовать" not in page
    draft.refresh_from_db()
    assert draft.title == "Правка"
    assert not draft.is_published


def test_a_new_draft_can_be_added(client, admin_user):
    client.force_login(admin_user)

    client.post(
        reverse("admin:privacy_policyversion_add"),
        {
            "label": "3.0",
            "title": "Политика",
            "effective_date": days_from_today(30).isoformat(),
            "body": POLICY_TEXT,
        },
    )

    assert PolicyVersion.objects.get(label="3.0").status == PolicyVersion.Status.DRAFT


def test_a_published_version_is_read_only_in_the_admin(client, admin_user, make_version):
    version = make_version("1.0")
    client.force_login(admin_user)

    page = client.get(change_url(version)).content.decode()
    response = client.post(change_url(version), draft_form(version, title="Подмена"))

    assert 'name="body"' not in page  # shown, not editable
    assert "Сохранить и опубликовать" not in page
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.title != "Подмена"


def test_a_published_version_cannot_be_deleted_in_the_admin(client, admin_user, make_version):
    version = make_version("1.0")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:privacy_policyversion_delete", args=[version.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert PolicyVersion.objects.filter(pk=version.pk).exists()


def test_the_changelist_offers_no_bulk_deletion(client, admin_user, make_version):
    make_version("1.0")
    client.force_login(admin_user)

    page = client.get(reverse("admin:privacy_policyversion_changelist")).content.decode()

    assert "delete_selected" not in page


def test_a_draft_can_be_deleted_in_the_admin(client, admin_user, make_version):
    draft = make_version("2.0", published=False)
    client.force_login(admin_user)

    client.post(reverse("admin:privacy_policyversion_delete", args=[draft.pk]), {"post": "yes"})

    assert not PolicyVersion.objects.filter(pk=draft.pk).exists()


class TestPreview:
    def test_staff_see_a_draft_as_the_public_page_would_show_it(self, client, editor, make_version):
        draft = make_version("2.0", published=False, effective_in_days=5)
        client.force_login(editor)

        response = client.get(reverse("admin:privacy_policyversion_preview", args=[draft.pk]))

        assert response.status_code == 200
        assert response.templates[0].name == "privacy/policy_detail.html"
        page = response.content.decode()
        assert "Предпросмотр черновика." in page
        assert '<h2 id="razdel-1">1. Общие положения</h2>' in page

    def test_the_change_form_links_to_the_preview(self, client, admin_user, make_version):
        draft = make_version("2.0", published=False)
        client.force_login(admin_user)

        page = client.get(change_url(draft)).content.decode()

        assert reverse("admin:privacy_policyversion_preview", args=[draft.pk]) in page

    def test_a_consumer_is_sent_to_the_admin_login(self, client, alice, make_version):
        draft = make_version("2.0", published=False)
        client.force_login(alice)

        response = client.get(reverse("admin:privacy_policyversion_preview", args=[draft.pk]))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    def test_staff_without_view_permission_are_refused(
        self, client, django_user_model, make_version
    ):
        draft = make_version("2.0", published=False)
        client.force_login(django_user_model.objects.create_user("s@ivsbyt.ru", is_staff=True))

        response = client.get(reverse("admin:privacy_policyversion_preview", args=[draft.pk]))

        assert response.status_code == 403
