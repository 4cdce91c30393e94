from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("kabinet/", views.dashboard, name="dashboard"),
    path("kabinet/scheta/privyazat/", views.account_link, name="link"),
    path("kabinet/scheta/obrashchenie/", views.link_dispute, name="dispute"),
    path("kabinet/scheta/<int:pk>/", views.account_detail, name="account"),
    path("kabinet/scheta/<int:pk>/otvyazat/", views.account_unlink, name="unlink"),
]
