from django.urls import path

from pdrequests import views

app_name = "pdrequests"

urlpatterns = [
    path("kabinet/obrashcheniya/", views.requests, name="requests"),
    path("kabinet/obrashcheniya/novoe/", views.request_new, name="request_new"),
    path("kabinet/obrashcheniya/<int:pk>/", views.request_detail, name="request_detail"),
    path(
        "kabinet/obrashcheniya/<int:pk>/otozvat/",
        views.request_withdraw,
        name="request_withdraw",
    ),
    path("kabinet/moi-dannye/", views.data_export, name="data_export"),
    path("kabinet/moi-dannye.json", views.data_export_json, name="data_export_json"),
]
