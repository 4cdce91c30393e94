import pytest

from consents.demo import seed_consents
from consents.models import ConsentPurpose

pytestmark = pytest.mark.django_db


def test_the_demo_history_names_the_policy_in_force_on_each_day_and_is_not_duplicated(
    alice, publish_policy
):
    old = publish_policy("1.0", days_ago=200)
    new = publish_policy("1.1", days_ago=20)

    seed_consents(user=alice)
    seed_consents(user=alice)

    records = list(alice.consent_records.order_by("created_at", "pk"))
    assert len(records) == 4
    assert [r.policy_version for r in records] == [old, old, old, new]
    states = {p.code: p.is_given for p in ConsentPurpose.objects.with_state_for(alice)}
    assert states == {"account": True, "mailings": True}
