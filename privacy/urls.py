from django.urls import path
from django.views.generic import RedirectView

from privacy import views

app_name = "privacy"

# The address the policy itself names (its section 9.3); it must not change.
POLICY_PATH = "politika-obrabotki-i-zashchity-personalnykh-dannykh"

urlpatterns = [
    path(POLICY_PATH, views.policy_current, name="current"),
    path(f"{POLICY_PATH}/", RedirectView.as_view(pattern_name="privacy:current", permanent=True)),
    path(f"{POLICY_PATH}/versions/", views.policy_versions, name="versions"),
    path(f"{POLICY_PATH}/versions/<str:label>/", views.policy_version, name="version"),
    path(f"{POLICY_PATH}/changes/", views.policy_diff, name="diff"),
    path("cookie-notice/dismiss/", views.cookie_notice_dismiss, name="cookie_notice_dismiss"),
]
