from django.urls import path

from feedback import views
from feedback.models import FeedbackMessage

app_name = "feedback"

urlpatterns = [
    path("obratnaya-svyaz/", views.feedback_form, name="form"),
    path(
        "obratnaya-svyaz/pretenziya/",
        views.feedback_form,
        {"kind": FeedbackMessage.Kind.CLAIM},
        name="claim",
    ),
    path("obratnaya-svyaz/otpravleno/", views.sent, name="sent"),
    path("obratnaya-svyaz/soglasie/", views.consent, name="consent"),
    path("kabinet/obratnaya-svyaz/", views.mine, name="mine"),
    path("kabinet/obratnaya-svyaz/<int:pk>/", views.detail, name="detail"),
    path("kabinet/obratnaya-svyaz/<int:pk>/ocenka/", views.rate_message, name="rate_message"),
]
