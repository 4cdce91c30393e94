from django.urls import path

from mailings import views

app_name = "mailings"

urlpatterns = [
    path("rassylki/otpiska/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
