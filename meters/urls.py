from django.urls import path

from meters import views

app_name = "meters"

urlpatterns = [
    path("kabinet/schetchiki/<int:pk>/", views.history, name="history"),
    path("kabinet/schetchiki/<int:pk>/pokazaniya/", views.reading_pass, name="pass"),
    path("kabinet/schetchiki/<int:pk>/istoriya.csv", views.history_csv, name="history_csv"),
    path("kabinet/pokazaniya/<str:number>/", views.receipt, name="receipt"),
    path("kabinet/dannye/napominaniya/", views.reminders, name="reminders"),
]
