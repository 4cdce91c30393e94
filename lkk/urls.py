from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from lkk import views
from privacy.public_pages import public_page

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

urlpatterns = [
    # The same for every visitor: served from the cache (the decorator lives with the policy,
    # whose publication renews the cached pages, above lkk in the stack of apps).
    path("", public_page()(views.home), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),
    path("kontakty/", views.contacts, name="contacts"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("consents.urls")),
    path("", include("privacy.urls")),
    path("", include("billing.urls")),
    path("", include("bills.urls")),
    path("", include("feedback.urls")),
    path("", include("incidents.urls")),
    path("", include("mailings.urls")),
    path("", include("meters.urls")),
    path("", include("servicerequests.urls")),
    path("", include("pdrequests.urls")),
]

if settings.DEBUG:
    # The development mailbox (lkk.dev_mailbox): there is no such page in production.
    dev_mailbox_patterns = [
        path("", views.dev_mailbox, name="list"),
        path("<str:letter_id>/", views.dev_letter, name="letter"),
    ]
    urlpatterns.append(path("dev/pochta/", include((dev_mailbox_patterns, "dev_mailbox"))))
