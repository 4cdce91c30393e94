"""Letters to the author of a request, sent by `django.tasks` once the step is committed: the
answer, and the time of a visit. They take the request's id, not an address (see lkk.letters)."""

from lkk.letters import WhenBlocked, greeting_name, letter_send, letter_task, site_link
from servicerequests.models import ServiceRequest

SUBJECTS = {
    "answer": "Ответ по заявке № {number}",
    "visit": "Время визита по заявке № {number}",
}


@letter_task(when_blocked=WhenBlocked.HOLD)
def service_request_letter_send(*, request_id: int, about: str) -> None:
    request = ServiceRequest.objects.select_related("user", "kind").filter(pk=request_id).first()
    if request is None or not request.user.email:
        return
    if about == "answer" and request.status != ServiceRequest.Status.ANSWERED:
        return
    if about == "visit" and (not request.is_open or request.visit_starts_at is None):
        return
    letter_send(
        to=request.user,
        subject=SUBJECTS[about].format(number=request.number),
        template=f"emails/servicerequests/{about}",
        html=False,
        request=request,
        name=greeting_name(request.user),
        link=site_link("servicerequests:detail", request.pk),
    )
