from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("kabinet/soobshcheniya/<int:pk>/", views.notice, name="notice"),
    path(
        "kabinet/soobshcheniya/<int:pk>/prochitano/",
        views.notice_dismiss,
        name="notice_dismiss",
    ),
]
