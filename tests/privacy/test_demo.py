import pytest

from privacy.demo import seed_policies
from privacy.diff import diff_policy_texts
from privacy.models import PolicyVersion

pytestmark = pytest.mark.django_db


def test_seeding_gives_two_published_versions_that_differ_and_a_draft():
    seed_policies()

    assert PolicyVersion.objects.current().label == "1.1"
    assert [v.label for v in PolicyVersion.objects.published()] == ["1.1", "1.0"]
    assert PolicyVersion.objects.get(label="2.0").status == PolicyVersion.Status.DRAFT
    old, new = PolicyVersion.objects.get(label="1.0"), PolicyVersion.objects.get(label="1.1")
    diff = diff_policy_texts(old.body, new.body)
    assert diff.added and diff.changed


def test_seeding_twice_changes_nothing():
    seed_policies()
    before = list(PolicyVersion.objects.values_list("pk", "label", "updated_at"))

    seed_policies()

    assert list(PolicyVersion.objects.values_list("pk", "label", "updated_at")) == before
