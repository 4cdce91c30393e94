from django.urls import path

from bills import views

app_name = "bills"

urlpatterns = [
    path("kabinet/scheta/<int:pk>/nachisleniya/", views.charges, name="charges"),
    path(
        "kabinet/scheta/<int:pk>/nachisleniya/<int:year>/<int:month>/",
        views.charge_detail,
        name="charge",
    ),
    path(
        "kabinet/scheta/<int:pk>/nachisleniya/<int:year>/<int:month>/kvitanciya.pdf",
        views.receipt,
        name="receipt",
    ),
    path("kabinet/scheta/<int:pk>/platezhi/", views.payments, name="payments"),
    path("kabinet/scheta/<int:pk>/oplatit/", views.pay, name="pay"),
    path(
        "kabinet/scheta/<int:pk>/elektronnaya-kvitanciya/",
        views.electronic_receipt,
        name="electronic_receipt",
    ),
]
