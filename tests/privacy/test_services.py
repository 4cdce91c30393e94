import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from privacy.models import PolicyVersion
from privacy.services import policy_import, policy_publish
from tests.privacy.conftest import POLICY_TEXT, days_from_today

pytestmark = pytest.mark.django_db


class TestPublish:
    def test_publishing_records_who_and_when(self, make_version, admin_user):
        draft = make_version("2.0", published=False, effective_in_days=7)
        before = timezone.now()

        published = policy_publish(version=draft, by=admin_user)

        published.refresh_from_db()
        assert published.is_published
        assert published.published_by == admin_user
        assert before <= published.published_at <= timezone.now()

    def test_a_version_taking_effect_today_can_be_published(self, make_version, admin_user):
        draft = make_version("2.0", published=False, effective_in_days=0)

        policy_publish(version=draft, by=admin_user)

        assert PolicyVersion.objects.current().label == "2.0"

    def test_a_version_cannot_be_published_retroactively(self, make_version, admin_user):
        draft = make_version("2.0", published=False, effective_in_days=-1)

        with pytest.raises(ValidationError, match="задним числом"):
            policy_publish(version=draft, by=admin_user)

        draft.refresh_from_db()
        assert not draft.is_published

    def test_a_published_version_cannot_be_published_again(self, make_version, admin_user):
        version = make_version("1.0")
        published_at = version.published_at

        with pytest.raises(ValidationError, match="уже опубликована"):
            policy_publish(version=version, by=admin_user)

        version.refresh_from_db()
        assert version.published_at == published_at
        assert version.published_by is None


class TestImport:
    def test_the_text_becomes_a_draft_with_its_first_line_as_title(self):
        version = policy_import(
            text="Политика портала\n\n" + POLICY_TEXT,
            label="3.0",
            effective_date=days_from_today(10),
        )

        assert version.title == "Политика портала"
        assert version.body == POLICY_TEXT
        assert version.status == PolicyVersion.Status.DRAFT

    def test_a_given_title_keeps_the_first_line_in_the_text(self):
        version = policy_import(
            text="Политика портала\n\n" + POLICY_TEXT,
            label="3.0",
            effective_date=days_from_today(10),
            title="Другой заголовок",
        )

        assert version.title == "Другой заголовок"
        assert version.body.startswith("Политика портала")

    def test_publish_imports_and_publishes_in_one_step(self):
        version = policy_import(
            text="Политика\n\n" + POLICY_TEXT,
            label="3.0",
            effective_date=days_from_today(0),
            publish=True,
        )

        assert version.is_published
        assert version.published_at is not None

    def test_a_refused_publication_leaves_no_draft_behind(self):
        with pytest.raises(ValidationError):
            policy_import(
                text="Политика\n\n" + POLICY_TEXT,
                label="3.0",
                effective_date=days_from_today(-1),
                publish=True,
            )

        assert not PolicyVersion.objects.filter(label="3.0").exists()

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "Текст политики пуст"),
            ("  \n\n ", "Текст политики пуст"),
            ("Только заголовок\n", "ничего, кроме заголовка"),
            ("1.1. Пункт без заголовка.\n", "не похожа на заголовок"),
        ],
    )
    def test_a_text_without_body_or_title_is_refused(self, text, message):
        with pytest.raises(ValidationError, match=message):
            policy_import(text=text, label="3.0", effective_date=days_from_today(1))

        assert not PolicyVersion.objects.exists()

    def test_a_taken_label_is_refused(self, make_version):
        make_version("3.0", published=False)

        with pytest.raises(ValidationError, match="уже есть"):
            policy_import(
                text="Политика\n\n" + POLICY_TEXT, label="3.0", effective_date=days_from_today(1)
            )

        assert PolicyVersion.objects.count() == 1
