from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from privacy.models import PolicyVersion
from tests.privacy.conftest import days_from_today

pytestmark = pytest.mark.django_db


@contextmanager
def refused_by_the_database():
    """The protecting trigger raises; the savepoint keeps the test's transaction usable."""
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        yield


class TestPublishedVersionIsImmutable:
    def test_the_database_refuses_to_save_a_changed_published_version(self, make_version):
        version = make_version("1.0")
        version.body = "Подменённый текст."

        with refused_by_the_database():
            version.save()

        version.refresh_from_db()
        assert "Подменённый" not in version.body

    def test_a_raw_sql_update_of_a_published_row_is_refused(self, make_version):
        version = make_version("1.0")

        with refused_by_the_database(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE privacy_policyversion SET body = 'Подмена' WHERE id = %s", [version.pk]
            )

        version.refresh_from_db()
        assert version.body != "Подмена"

    def test_a_raw_sql_delete_of_a_published_row_is_refused(self, make_version):
        version = make_version("1.0")

        with refused_by_the_database(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM privacy_policyversion WHERE id = %s", [version.pk])

        assert PolicyVersion.objects.filter(pk=version.pk).exists()

    def test_a_published_version_cannot_be_turned_back_into_a_draft(self, make_version):
        version = make_version("1.0")

        with refused_by_the_database():
            PolicyVersion.objects.filter(pk=version.pk).update(status="draft")

        version.refresh_from_db()
        assert version.is_published

    def test_a_queryset_delete_reaching_a_published_version_is_refused(self, make_version):
        make_version("1.0")
        make_version("2.0", published=False)

        with refused_by_the_database():
            PolicyVersion.objects.all().delete()

        assert PolicyVersion.objects.count() == 2

    def test_a_draft_can_be_edited_and_deleted(self, make_version):
        draft = make_version("2.0", published=False)

        draft.body = "Исправленный текст."
        draft.save()
        draft.delete()

        assert not PolicyVersion.objects.filter(label="2.0").exists()

    def test_the_database_allows_the_one_transition_from_draft_to_published(self, make_version):
        draft = make_version("2.0", published=False)

        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE privacy_policyversion SET status = 'published', published_at = now() "
                "WHERE id = %s",
                [draft.pk],
            )

        draft.refresh_from_db()
        assert draft.is_published

    def test_a_published_version_without_a_publication_time_is_refused(self, make_version):
        draft = make_version("2.0", published=False)

        with pytest.raises(IntegrityError, match="published_has_date"), transaction.atomic():
            PolicyVersion.objects.filter(pk=draft.pk).update(status="published")


class TestCurrentVersion:
    def test_the_latest_published_version_in_force_is_current(self, make_version):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-10)

        assert PolicyVersion.objects.current().label == "1.1"

    def test_a_version_taking_effect_today_is_current(self, make_version):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=0)

        assert PolicyVersion.objects.current().label == "1.1"

    def test_a_published_version_with_a_future_date_is_not_yet_current(self, make_version):
        make_version("1.0", effective_in_days=-300)
        future = make_version("2.0", effective_in_days=1)

        assert PolicyVersion.objects.current().label == "1.0"
        assert future.is_future

    def test_a_draft_is_never_current_even_when_its_date_has_come(self, make_version):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-1, published=False)

        assert PolicyVersion.objects.current().label == "1.0"

    def test_there_is_no_current_version_before_anything_is_published(self, make_version):
        make_version("1.0", published=False)
        make_version("2.0", effective_in_days=5)

        assert PolicyVersion.objects.current() is None

    def test_in_force_lists_only_published_versions_whose_date_has_come(self, make_version):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-10)
        make_version("1.2", effective_in_days=-5, published=False)
        make_version("2.0", effective_in_days=10)

        assert [v.label for v in PolicyVersion.objects.in_force()] == ["1.1", "1.0"]


class TestRenderedText:
    def test_a_published_version_renders_its_markdown(self, make_version):
        version = make_version("1.0", body="## 1. Раздел\n\n**Жирный** термин.\n")

        assert '<h2 id="razdel-1">1. Раздел</h2>' in version.rendered.html
        assert "<strong>Жирный</strong>" in version.rendered.html

    def test_a_draft_renders_its_current_text_for_the_preview(self, make_version):
        draft = make_version("2.0", published=False, body="Первый вариант.")
        draft.body = "Второй вариант."

        assert "Второй вариант." in draft.rendered.html

    def test_a_label_must_be_safe_in_an_address(self):
        version = PolicyVersion(
            label="2.0/../x", title="Т", body="Текст", effective_date=days_from_today(1)
        )

        with pytest.raises(ValidationError, match="Номер редакции"):
            version.full_clean()
