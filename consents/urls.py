app_name = "consents"

urlpatterns: list = []  # filled as the app grows
