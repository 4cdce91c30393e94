"""The reminder letter to staff, built when it goes out (a case closed meanwhile is left out)."""

from django.apps import apps
from django.utils import timezone

from accounts.models import User
from lkk.letters import WhenBlocked, greeting_name, letter_send, letter_task, site_link
from workcalendar.terms import moscow_date


@letter_task(when_blocked=WhenBlocked.DROP)  # repeated daily while due
def due_cases_letter_send(*, recipient_id: int, case_ids: list[list]) -> None:
    """Numbers, terms and links only: the letter names no consumer (mailboxes are forwarded;
    the admin checks rights). `case_ids` are (model label, id) pairs."""
    recipient = User.objects.filter(pk=recipient_id, is_active=True, is_staff=True).first()
    if recipient is None:
        return
    ids_by_label: dict[str, list[int]] = {}
    for label, pk in case_ids:
        ids_by_label.setdefault(label, []).append(pk)
    today = moscow_date(timezone.now())
    rows = []
    for label, ids in ids_by_label.items():
        model = apps.get_model(label)
        meta = model._meta
        for case in model.objects.open().filter(pk__in=ids).order_by("due_on", "pk"):
            rows.append(
                {
                    "number": case.number,
                    "kind": meta.verbose_name,
                    "due_on": case.due_on,
                    "overdue": case.due_on < today,
                    "link": site_link(f"admin:{meta.app_label}_{meta.model_name}_change", case.pk),
                }
            )
    if not rows:
        return
    overdue = sum(row["overdue"] for row in rows)
    letter_send(
        to=recipient,
        subject=f"Сроки обращений и заявок: просрочено {overdue}, истекает {len(rows) - overdue}",
        template="emails/cases/due_cases",
        html=False,
        name=greeting_name(recipient),
        rows=rows,
        overdue=overdue,
        soon=len(rows) - overdue,
        today=today,
    )
