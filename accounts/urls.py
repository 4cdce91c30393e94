app_name = "accounts"

urlpatterns: list = []  # filled as the app grows
