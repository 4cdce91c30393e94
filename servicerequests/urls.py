from django.urls import path

from servicerequests import views

app_name = "servicerequests"

urlpatterns = [
    path("kabinet/zayavki/", views.mine, name="mine"),
    path("kabinet/zayavki/novaya/", views.choose_kind, name="choose_kind"),
    path("kabinet/zayavki/novaya/<slug:code>/", views.create, name="create"),
    path("kabinet/zayavki/<int:pk>/", views.detail, name="detail"),
    path("kabinet/zayavki/<int:pk>/dobavit/", views.add, name="add"),
    path("kabinet/zayavki/<int:pk>/otozvat/", views.withdraw, name="withdraw"),
    path("kabinet/zayavki/<int:pk>/ocenka/", views.rate, name="rate"),
    path(
        "kabinet/zayavki/<int:pk>/faily/<int:attachment_pk>/", views.attachment, name="attachment"
    ),
]
