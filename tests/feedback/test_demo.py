"""The demo data: something in every list, and loading it twice adds nothing."""

import pytest

from feedback.demo import seed_feedback
from feedback.models import FeedbackMessage, Specialist, SpecialistRating

pytestmark = pytest.mark.django_db


def test_demo_messages_fill_every_list_once(alice, specialist):
    seed_feedback(consumer=alice, specialist=specialist)
    seed_feedback(consumer=alice, specialist=specialist)

    assert FeedbackMessage.objects.filter(user=alice).count() == 2
    assert FeedbackMessage.objects.filter(user__isnull=True).count() == 1
    assert FeedbackMessage.objects.filter(kind=FeedbackMessage.Kind.CLAIM).count() == 1
    assert SpecialistRating.objects.get().specialist == specialist
    assert Specialist.objects.with_rating_summary().get().pk == specialist.pk
