"""Registration, address confirmation, sign-in and «Мои данные». Views parse the request and
call a form or a service; the rules live there."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from accounts import second_factor, services
from accounts.forms import (
    EmailChangeForm,
    LoginForm,
    PasswordResetRequestForm,
    PhoneChangeForm,
    RegistrationForm,
    VerificationForm,
    VerificationResendForm,
)
from accounts.tokens import LinkError, email_change_token_read, verification_token_read
from lkk import personal_data
from lkk.limits import RateLimited, rate_limited_message
from lkk.request_info import client_ip, client_user_agent

# The page every registration and every "send again" ends on, whatever the address: the same
# answer for a new address and a known one is what keeps accounts from being enumerated.
CHECK_EMAIL_TEMPLATE = "accounts/check_email.html"
# The browser session that registered keeps its registration's proof here (`verify`).
REGISTERED_SESSION_KEY = "registration_proof"


def personal_data_not_blocked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages that change the person's data are closed while a request blocks it (policy 6.2.4)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if personal_data.subject_is_blocked(request.user):
            messages.error(request, str(services.PersonalDataBlocked()))
            return redirect("accounts:profile")
        return view(request, *args, **kwargs)

    return wrapper


def _link_error(request: HttpRequest, error: LinkError, *, email_change: bool) -> HttpResponse:
    """A clear page for a link that expired or was broken, with the way to a new one."""
    context = {"expired": error.expired, "email_change": email_change}
    return render(request, "accounts/link_error.html", context, status=400)


@login_not_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("/")
    if not services.registration_open():
        return render(request, "accounts/registration_closed.html", status=503)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                email=data["email"],
                password=data["password1"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                patronymic=data["patronymic"],
                phone=data["phone"],
                mailings=data["consent_mailings"],
                representative=form.representative,
                ip_address=client_ip(request),
                user_agent=client_user_agent(request),
            )
        except RateLimited as limited:
            form.add_error(None, rate_limited_message(limited))
        else:
            # This browser may later confirm without the password. Written for an address that
            # has an account too (with nothing in it), so that the answer is the same.
            request.session[REGISTERED_SESSION_KEY] = (
                services.registration_proof(user) if user is not None else ""
            )
            return render(request, CHECK_EMAIL_TEMPLATE, {"email": data["email"]})
    return render(request, "accounts/register.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def verification_resend(request: HttpRequest) -> HttpResponse:
    form = VerificationResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.email_verification_resend(
                email=form.cleaned_data["email"], ip_address=client_ip(request)
            )
        except RateLimited as limited:
            form.add_error(None, rate_limited_message(limited))
        else:
            return render(request, CHECK_EMAIL_TEMPLATE, {"email": form.cleaned_data["email"]})
    return render(request, "accounts/verification_resend.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the form, POST confirms with the registration's password (mail scanners that
    open links must not open accounts) or, with `cancel`, sets the registration aside.

    In the browser session that registered, the button alone confirms and signs the person in:
    that session proves the registration as the password does. Any other browser — the owner of
    an address someone else registered, a mail scanner — still needs the password."""
    try:
        user = verification_token_read(token)
    except LinkError as error:
        return _link_error(request, error, email_change=False)
    if not user.awaiting_email_confirmation:
        return render(request, "accounts/verified.html", {"verified_email": user.email})
    if request.method == "POST" and "cancel" in request.POST:
        services.registration_cancel(user=user)
        return render(request, "accounts/registration_cancelled.html")
    proof = request.session.get(REGISTERED_SESSION_KEY, "")
    if services.registered_in_session(user=user, proof=proof) and "password" not in request.POST:
        if request.method == "POST":
            user = services.email_verify(user=user, proof=proof)
            del request.session[REGISTERED_SESSION_KEY]
            auth_login(request, user, backend="accounts.backends.ModelBackend")
            messages.success(request, "Адрес подтверждён, вы вошли в личный кабинет.")
            return redirect(settings.LOGIN_REDIRECT_URL)
        return render(request, "accounts/verify.html", {"verified_email": user.email})
    form = VerificationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.email_verify(user=user, password=form.cleaned_data["password"])
        except services.RegistrationPasswordWrong:
            pass  # replaced meanwhile: the link is dead, as the next click will say
        else:
            return render(request, "accounts/verified.html", {"verified_email": user.email})
    return render(request, "accounts/verify.html", {"verified_email": user.email, "form": form})


class LoginView(auth_views.LoginView):
    """The password step. With a second factor it does not sign in yet: the code step does
    (`accounts.security_views.second_factor_code`). Staff without one sign in and enrol first."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        user = form.get_user()
        next_url = self.get_success_url()
        if second_factor.is_enrolled(user):
            second_factor.login_pending_start(
                self.request, user=user, backend=user.backend, next_url=next_url
            )
            return redirect("accounts:second_factor_code")
        response = super().form_valid(form)
        if user.is_staff:
            return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': next_url})}")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetRequestForm) -> HttpResponse:
        try:
            return super().form_valid(form)
        except RateLimited as limited:
            form.add_error(None, rate_limited_message(limited))
            return self.form_invalid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = "Пароль изменён."


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html")


@login_required
@personal_data_not_blocked
@require_http_methods(["GET", "POST"])
def phone_change(request: HttpRequest) -> HttpResponse:
    form = PhoneChangeForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Номер телефона изменён.")
        return redirect("accounts:profile")
    return render(request, "accounts/phone_change.html", {"form": form})


@login_required
@personal_data_not_blocked
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        try:
            services.email_change_request(user=request.user, new_email=new_email)
        except RateLimited as limited:
            form.add_error(None, rate_limited_message(limited))
        else:
            return render(request, "accounts/email_change_sent.html", {"new_email": new_email})
    return render(request, "accounts/email_change.html", {"form": form})


@login_required
@personal_data_not_blocked
@require_http_methods(["GET", "POST"])
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will change, POST changes it. Someone else's link is a 404."""
    try:
        link_user, new_email = email_change_token_read(token)
    except LinkError as error:
        return _link_error(request, error, email_change=True)
    if link_user.pk != request.user.pk:
        raise Http404
    if request.method == "POST":
        try:
            services.email_change_confirm(user=request.user, new_email=new_email)
        except services.EmailTaken:
            return render(
                request, "accounts/email_change_taken.html", {"new_email": new_email}, status=409
            )
        messages.success(request, "Адрес электронной почты изменён.")
        return redirect("accounts:profile")
    return render(request, "accounts/email_change_confirm.html", {"new_email": new_email})
