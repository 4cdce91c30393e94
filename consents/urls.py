from django.urls import path

from consents import views

app_name = "consents"

urlpatterns = [
    path("soglasie/<slug:purpose_code>/", views.document, name="document"),
    path(
        "soglasie/<slug:purpose_code>/redakciya-<int:version>/",
        views.document,
        name="document_version",
    ),
    path("kabinet/soglasiya/", views.mine, name="mine"),
    path("kabinet/soglasiya/<slug:purpose_code>/dat/", views.give, name="give"),
    path("kabinet/soglasiya/<slug:purpose_code>/otozvat/", views.withdraw, name="withdraw"),
    path("kabinet/politika/", views.policy_review, name="policy_review"),
    path(
        "kabinet/politika/uvedomlenie-prochitano/",
        views.policy_notice_dismiss,
        name="policy_notice_dismiss",
    ),
]
