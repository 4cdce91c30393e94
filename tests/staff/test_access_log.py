"""The journal of staff access to personal data: append-only, read by auditors, filterable."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from staff.models import PersonalDataAccess
from staff.services import pd_access_log

pytestmark = pytest.mark.django_db

LOG = reverse("admin:staff_personaldataaccess_changelist")


@pytest.fixture
def log(pd_officer):
    def write(subject, *, staff_user=None, action=PersonalDataAccess.Action.VIEWED):
        pd_access_log(
            staff_user=staff_user or pd_officer,
            subject_ids=[subject.pk],
            action=action,
            page=f"/admin/accounts/user/{subject.pk}/change/",
            object_label=f"учётная запись № {subject.pk}",
        )
        return PersonalDataAccess.objects.latest("pk")

    return write


def test_an_entry_can_be_neither_changed_nor_deleted(log, alice, bob):
    entry = log(alice)

    with pytest.raises(DatabaseError, match="pgtrigger"), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=entry.pk).update(subject=bob)
    with pytest.raises(DatabaseError, match="pgtrigger"), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=entry.pk).delete()
    assert PersonalDataAccess.objects.get().subject == alice


def test_many_subjects_are_written_in_one_statement(
    pd_officer, alice, bob, django_assert_num_queries
):
    with django_assert_num_queries(3):  # a savepoint around one INSERT
        written = pd_access_log(
            staff_user=pd_officer,
            subject_ids=[alice.pk, bob.pk, alice.pk],
            action=PersonalDataAccess.Action.EXPORTED,
            page="/admin/consents/subjectrequest/zhurnal/",
            object_label="журнал",
        )

    assert written == 2
    assert set(PersonalDataAccess.objects.values_list("subject", flat=True)) == {alice.pk, bob.pk}


class TestInTheAdmin:
    def test_the_auditor_reads_it_filtered_by_staff_member_and_by_consumer(
        self, as_staff, auditor, pd_officer, other_officer, log, alice, bob
    ):
        alices = log(alice)
        log(bob)
        others = log(alice, staff_user=other_officer)
        client = as_staff(auditor)

        def shown(**params) -> set[int]:
            return {e.pk for e in client.get(LOG, params).context["cl"].result_list}

        assert len(shown()) == 3
        assert shown(subject=alice.pk) == {alices.pk, others.pk}
        assert shown(q=str(alice.pk)) == {alices.pk, others.pk}
        assert shown(staff_user=other_officer.pk) == {others.pk}
        assert shown(staff_user=pd_officer.pk, subject=alice.pk) == {alices.pk}

    def test_it_names_consumers_by_reference_only(self, as_staff, auditor, log, alice):
        log(alice)

        page = as_staff(auditor).get(LOG).content.decode()

        assert f"субъект-{alice.pk}" in page
        for value in ("Иванова", "alice@example.ru"):
            assert value not in page

    def test_nobody_adds_changes_or_deletes_entries(self, as_staff, admin_user, log, alice):
        entry = log(alice)
        client = as_staff(admin_user)
        change = reverse("admin:staff_personaldataaccess_change", args=[entry.pk])
        delete = reverse("admin:staff_personaldataaccess_delete", args=[entry.pk])

        assert client.get(change).status_code == 200
        assert client.post(change, {"action": "changed"}).status_code == 403
        assert client.get(reverse("admin:staff_personaldataaccess_add")).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert PersonalDataAccess.objects.get().action == PersonalDataAccess.Action.VIEWED

    def test_staff_outside_the_auditors_do_not_read_it(self, as_staff, pd_officer):
        assert as_staff(pd_officer).get(LOG).status_code == 403
