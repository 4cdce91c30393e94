"""Admin lists accept only the filters their admin declares: a hand-written query parameter
(`?last_name__startswith=И`) would let staff learn masked data one character at a time."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from consents.admin import ConsentRecordAdmin, consent_history_admin_url
from consents.models import ConsentRecord
from consents.services import consent_give
from tests.staff.conftest import _staff_member

pytestmark = pytest.mark.django_db

BROWSER = {"ip_address": "203.0.113.5", "user_agent": "Firefox"}
TEXT_FIELDS = (models.CharField, models.TextField, models.GenericIPAddressField)


def _probes() -> list:
    """Every text field of every registered model, probed from its admin's list."""
    return [
        pytest.param(model, field.name, id=f"{model._meta.label}.{field.name}")
        for model in admin.site._registry
        if model._meta.concrete_fields
        for field in model._meta.concrete_fields
        if isinstance(field, TEXT_FIELDS)
    ]


@pytest.mark.parametrize(("model", "field"), _probes())
def test_a_hand_written_filter_on_any_field_is_refused(as_staff, admin_user, model, field):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = as_staff(admin_user).get(url, {f"{field}__startswith": "a"})

    if response.status_code == 200:  # a page of its own in the list's place reads no lookups
        assert "cl" not in response.context
    else:
        assert response.status_code == 400


@pytest.mark.parametrize(
    "lookup", ["user__email__startswith", "user__last_name__startswith", "ip_address", "text__id"]
)
def test_filters_through_the_subject_are_refused(as_staff, admin_user, lookup):
    response = as_staff(admin_user).get(
        reverse("admin:consents_consentrecord_changelist"), {lookup: "a"}
    )

    assert response.status_code == 400


def test_the_consent_history_link_still_filters_by_the_subjects_number(
    as_staff, admin_user, alice, bob
):
    consent_give(user=alice, purpose_code="account", source=ConsentRecord.Source.PROFILE, **BROWSER)
    consent_give(user=bob, purpose_code="account", source=ConsentRecord.Source.PROFILE, **BROWSER)

    response = as_staff(admin_user).get(consent_history_admin_url(alice))

    assert response.status_code == 200
    assert {record.user_id for record in response.context["cl"].result_list} == {alice.pk}


@pytest.mark.parametrize(
    ("changelist", "query"),
    [
        ("consents_consentrecord_changelist", {"purpose__id__exact": "1", "action__exact": "x"}),
        ("consents_consentrecord_changelist", {"created_at__gte": "2026-01-01 00:00:00+03:00"}),
        ("pdrequests_subjectrequest_changelist", {"status__exact": "new", "due": "overdue"}),
        ("feedback_specialistrating_changelist", {"specialist__id__exact": "1"}),
        ("incidents_incidentnotification_changelist", {"incident__id__exact": "1"}),
        ("accounts_user_changelist", {"groups__id__exact": "1", "is_staff__exact": "1"}),
        # The desk link of a request kind («Открытые заявки: N»).
        ("servicerequests_servicerequest_changelist", {"kind__id__exact": "1", "due": "open"}),
        ("accounts_authenticator_changelist", {"user__is_staff__exact": "1"}),
        ("meters_meter_changelist", {"status__exact": "active", "zones__exact": "2"}),
        (
            "meters_reading_changelist",
            {"source__exact": "web", "submitted_at__gte": "2026-01-01 00:00:00+03:00"},
        ),
        ("bills_charge_changelist", {"current": "yes", "period__gte": "2026-01-01"}),
        ("lkk_retentionrecord_changelist", {"ran_at__year": "2026", "ran_at__month": "11"}),
    ],
)
def test_declared_filters_still_work(as_staff, admin_user, changelist, query):
    assert as_staff(admin_user).get(reverse(f"admin:{changelist}"), query).status_code == 200


class IpFilteredConsentRecordAdmin(ConsentRecordAdmin):
    """An admin that declares a filter on a PD field (an IP address)."""

    list_filter = ("ip_address", "purpose")


@pytest.mark.parametrize(
    ("lookup", "personal"),
    [("ip_address__exact", True), ("user__id__exact", False), ("purpose__id__exact", False)],
)
def test_a_declared_filter_on_personal_data_needs_the_pd_right(django_user_model, lookup, personal):
    clerk = _staff_member(django_user_model, "clerk-filter@ivsbyt.ru")
    officer = _staff_member(django_user_model, "officer-filter@ivsbyt.ru")
    officer.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    officer = django_user_model.objects.get(pk=officer.pk)
    model_admin = IpFilteredConsentRecordAdmin(ConsentRecord, admin.site)
    model_admin.declared_lookups = ("user__id__exact",)

    def allowed(user) -> bool:
        request = RequestFactory().get("/")
        request.user = user
        return model_admin.lookup_allowed(lookup, "1", request)

    assert allowed(officer)
    assert allowed(clerk) is not personal
