app_name = "privacy"

urlpatterns: list = []  # filled as the app grows
