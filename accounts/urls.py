from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import security_views, views
from privacy.public_pages import public_page

app_name = "accounts"

urlpatterns = [
    path("registratsiya/", views.register, name="register"),
    path(
        "registratsiya/pismo-eshchyo-raz/",
        views.verification_resend,
        name="verification_resend",
    ),
    path("podtverzhdenie-pochty/<str:token>/", views.verify, name="verify"),
    # A visitor's sign-in form is the same for everyone: from the shared cache, with their own
    # CSRF token. Not with `next`, which the page shows: each value would be a page to keep.
    path("vhod/", public_page()(views.LoginView.as_view()), name="login"),
    path("vhod/kod/", security_views.second_factor_code, name="second_factor_code"),
    path("vyhod/", auth_views.LogoutView.as_view(), name="logout"),
    path("parol/vosstanovlenie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "parol/vosstanovlenie/otpravleno/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "parol/vosstanovlenie/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "parol/vosstanovlenie/gotovo/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("kabinet/parol/", views.PasswordChangeView.as_view(), name="password_change"),
    path("kabinet/dannye/", views.profile, name="profile"),
    path("kabinet/dannye/telefon/", views.phone_change, name="phone_change"),
    path("kabinet/dannye/pochta/", views.email_change, name="email_change"),
    path(
        "kabinet/dannye/pochta/<str:token>/",
        views.email_change_confirm,
        name="email_change_confirm",
    ),
    # The second factor and «Где выполнен вход» (accounts.security_views).
    path(
        "kabinet/dannye/vhod-po-kodu/", security_views.second_factor_settings, name="second_factor"
    ),
    path(
        "kabinet/dannye/vhod-po-kodu/novye-kody/",
        security_views.recovery_codes_renew,
        name="recovery_codes_renew",
    ),
    path(
        "kabinet/dannye/vhod-po-kodu/otklyuchit/",
        security_views.second_factor_turn_off,
        name="second_factor_turn_off",
    ),
    path("kabinet/dannye/vhody/", security_views.sessions, name="sessions"),
    path(
        "kabinet/dannye/vhody/<int:pk>/zavershit/", security_views.session_end, name="session_end"
    ),
    path(
        "kabinet/dannye/vhody/zavershit-drugie/",
        security_views.sessions_end_others,
        name="sessions_end_others",
    ),
]
