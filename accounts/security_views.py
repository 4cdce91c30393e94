"""The second sign-in step, the second factor's page in «Мои данные» and «Где выполнен вход».
Views parse the request and call `accounts.second_factor` / `accounts.signed_in`."""

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import second_factor, signed_in
from accounts.security_forms import CodeForm, CurrentPasswordForm, EnrolmentForm
from accounts.signed_in import signed_in_user
from lkk.request_info import safe_next_url


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _code_first(request: HttpRequest) -> HttpResponse | None:
    """Managing a factor that is on needs a session that passed it: a session signed in with the
    password alone (before the factor was turned on) is asked for a code first."""
    user = signed_in_user(request)
    if second_factor.session_verified(request) or not second_factor.is_enrolled(user):
        return None
    return redirect(_with_next("accounts:second_factor_code", request.get_full_path()))


def _lockout(request: HttpRequest, credentials: dict) -> HttpResponse:
    second_factor.login_pending_clear(request)
    return get_lockout_response(request, None, credentials)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_code(request: HttpRequest) -> HttpResponse:
    """The second sign-in step: after the password (a pending sign-in), or for a signed-in
    session that has not passed the second factor yet (the admin sends staff here)."""
    pending = second_factor.login_pending(request)
    if pending is not None:
        user, next_url = pending.user, pending.next_url
    elif request.user.is_authenticated and not second_factor.session_verified(request):
        user = request.user
        next_url = safe_next_url(request, default=resolve_url(settings.LOGIN_REDIRECT_URL))
        if not second_factor.is_enrolled(user):
            return redirect(_with_next("accounts:second_factor", next_url))
    elif request.user.is_authenticated:
        return redirect(safe_next_url(request, default=resolve_url(settings.LOGIN_REDIRECT_URL)))
    else:
        return redirect("accounts:login")

    # Wrong codes count with wrong passwords, for the same address and IP address (django-axes).
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        return _lockout(request, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.code_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            if pending is not None:
                second_factor.login_pending_clear(request)
                auth_login(request, user, backend=pending.backend)
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = second_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _("Вы вошли по резервному коду. Осталось резервных кодов: %(count)d.")
                    % {"count": left}
                    if left
                    else _("Вы вошли по последнему резервному коду. Получите новые коды."),
                )
            return redirect(next_url)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            return _lockout(request, credentials)
        form.add_error(
            "code",
            _(
                "Неверный код или слишком много попыток подряд. Подождите минуту и введите "
                "новый код, который приложение покажет."
            )
            if second_factor.code_throttled(user)
            else _(
                "Неверный код. Проверьте, что время на телефоне установлено верно, и введите "
                "код, который приложение показывает сейчас."
            ),
        )
    return render(request, "accounts/second_factor_code.html", {"form": form})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_settings(request: HttpRequest) -> HttpResponse:
    """Turning the second factor on (a QR code and a code from the app), or what is on."""
    user = signed_in_user(request)
    next_url = safe_next_url(request, default="")
    if (code_first := _code_first(request)) is not None:
        return code_first
    if second_factor.is_enrolled(user):
        return render(
            request,
            "accounts/second_factor.html",
            {
                "codes_left": second_factor.recovery_codes_left(user),
                "renew_form": CurrentPasswordForm(user=user, prefix="renew"),
                "off_form": CurrentPasswordForm(user=user, prefix="off"),
            },
        )
    enrolment = second_factor.enrolment_start(user=user)
    form = EnrolmentForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.enrolment_confirm(
            user=user, device=enrolment.device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            django_otp.login(request, enrolment.device)
            return _recovery_codes_page(request, codes, next_url=next_url, enrolled=True)
        form.add_error(
            "code",
            _("Код не подошёл. Проверьте время на телефоне и введите код, который видите сейчас."),
        )
    return render(
        request,
        "accounts/second_factor_setup.html",
        {"form": form, "enrolment": enrolment, "next": next_url},
    )


def _recovery_codes_page(
    request: HttpRequest, codes: list[str], *, next_url: str, enrolled: bool
) -> HttpResponse:
    response = render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": next_url, "enrolled": enrolled},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    if (code_first := _code_first(request)) is not None:
        return code_first
    user = signed_in_user(request)
    form = CurrentPasswordForm(request.POST, user=user, prefix="renew")
    if not second_factor.is_enrolled(user):
        return redirect("accounts:second_factor")
    if not form.is_valid():
        return render(
            request,
            "accounts/second_factor.html",
            {
                "codes_left": second_factor.recovery_codes_left(user),
                "renew_form": form,
                "off_form": CurrentPasswordForm(user=user, prefix="off"),
            },
            status=400,
        )
    codes = second_factor.recovery_codes_renew(user=user)
    return _recovery_codes_page(request, codes, next_url="", enrolled=False)


@login_required
@require_POST
def second_factor_turn_off(request: HttpRequest) -> HttpResponse:
    if (code_first := _code_first(request)) is not None:
        return code_first
    user = signed_in_user(request)
    form = CurrentPasswordForm(request.POST, user=user, prefix="off")
    if not form.is_valid():
        return render(
            request,
            "accounts/second_factor.html",
            {
                "codes_left": second_factor.recovery_codes_left(user),
                "renew_form": CurrentPasswordForm(user=user, prefix="renew"),
                "off_form": form,
            },
            status=400,
        )
    try:
        second_factor.second_factor_turn_off(user=user)
    except second_factor.SecondFactorRequired:
        messages.error(request, _("Сотрудникам вход по коду отключить нельзя."))
        return redirect("accounts:second_factor")
    messages.success(request, _("Вход по коду отключён: теперь для входа нужен только пароль."))
    return redirect("accounts:profile")


@login_required
@require_http_methods(["GET"])
def sessions(request: HttpRequest) -> HttpResponse:
    """«Где выполнен вход»."""
    return render(
        request, "accounts/sessions.html", {"sessions": signed_in.sessions_shown(request)}
    )


@login_required
@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Ends one other session of the person; someone else's is a 404."""
    if not signed_in.session_end(
        user=signed_in_user(request), pk=pk, keep_session_key=request.session.session_key
    ):
        raise Http404
    messages.success(request, _("Сеанс завершён: на том устройстве нужно будет войти снова."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = signed_in.sessions_end(
        user=signed_in_user(request), keep_session_key=request.session.session_key
    )
    messages.success(
        request,
        _("Завершено сеансов на других устройствах: %(count)d.") % {"count": count}
        if count
        else _("Других сеансов нет."),
    )
    return redirect("accounts:sessions")
