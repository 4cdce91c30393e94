"""The destruction act and the extract from the event log, as Roskomnadzor's Order № 179 of
28.10.2022 requires them for automated processing: one set of rows that the printable page and
the PDF both show, so the two never disagree.

The act states (Order 179 p. 3): the operator; the processors acting on its instruction, if any;
whose data (a pseudonymous reference: the person's data are gone); who destroyed them, with their
position and signature; the categories destroyed; the information system; the method; the
reason; the date. The extract (p. 4) is generated from the request's journal and the counts the
registry's erase operations reported, one row per kind of record. Both are kept at least three
years from the destruction (p. 6): acts are append-only and no retention period removes them.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from lkk.pdf import FONT, PortalPdf
from pdrequests.models import DestructionAct

METHOD = (
    "удаление и необратимое обезличивание записей в базе данных средствами информационной системы"
)
KEPT_FOR = "не менее трёх лет с даты уничтожения (п. 6 приказа Роскомнадзора № 179)"

# Acts made before the registry labelled its counts in words (November 2026) stored these keys:
# a signed document says what, never a column name.
LEGACY_COUNT_LABELS = {
    "consent_records": "записи о согласиях (обезличены)",
    "policy_acknowledgements": "ознакомления с политикой (обезличены)",
    "requests": "обращения по ПДн (обезличены)",
    "request_events": "записи истории обращений (обезличены)",
    "account_links_ended": "привязки лицевых счетов (прекращены)",
    "link_attempts": "попытки привязки счетов (обезличены)",
    "feedback_messages": "сообщения в обратную связь (тексты уничтожены)",
    "specialist_ratings": "оценки специалистов (комментарии уничтожены)",
    "visits": "просмотры страниц (обезличены)",
    "login_records": "записи журнала входа (удалены)",
}

EXTRACT_HEADER = (
    "Дата и время",
    "Событие",
    "Кто",
    "Субъект",
    "Записей",
    "Информационная система",
)


def act_counts(act: DestructionAct) -> list[tuple[str, int]]:
    """The records the destruction touched, each labelled in words."""
    return [
        (LEGACY_COUNT_LABELS.get(label, label), count)
        for label, count in act.counts.items()
        if count
    ]


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")


def _person(user) -> str:
    return user.get_full_name() or user.email


@dataclass(frozen=True)
class ActDocument:
    title: str
    rows: list[tuple[str, list[str]]]  # (heading, its lines)
    extract: list[tuple[str, ...]] = field(default_factory=list)  # rows of EXTRACT_HEADER
    performer: str = ""


def act_document(act: DestructionAct) -> ActDocument:
    """The act and its extract; `act` with its request and performer loaded."""
    operator = settings.OPERATOR
    requisites = ", ".join(
        part
        for part in (
            operator["name"],
            operator["address"],
            f"ИНН {operator['inn']}" if operator.get("inn") else "",
            f"ОГРН {operator['ogrn']}" if operator.get("ogrn") else "",
        )
        if part
    )
    performer = _person(act.performed_by)
    if act.performer_position:
        performer = f"{performer}, {act.performer_position}"
    counts = act_counts(act)
    rows = [
        ("Оператор", [requisites]),
        (
            "Лица, обрабатывающие персональные данные по поручению оператора",
            list(act.processors) or ["не привлекались"],
        ),
        (
            "Субъект персональных данных",
            [
                f"{act.subject_reference} (псевдоним; соответствие псевдонима лицу "
                "устанавливается только в информационной системе оператора)"
            ],
        ),
        ("Обращение", [f"№ {act.request.number} — {act.request.get_kind_display()}"]),
        ("Причина уничтожения", [act.reason]),
        ("Категории уничтоженных персональных данных", list(act.categories)),
        ("Информационная система персональных данных", list(act.systems)),
        ("Способ уничтожения", [METHOD]),
        ("Затронуто записей", [f"{label}: {count}" for label, count in counts] or ["—"]),
        ("Дата и время уничтожения", [f"{_moment(act.destroyed_at)} (московское время)"]),
        ("Уничтожение выполнил", [performer]),
        ("Срок хранения акта и выгрузки", [KEPT_FOR]),
    ]
    return ActDocument(
        title=f"Акт об уничтожении персональных данных № {act.pk}",
        rows=rows,
        extract=_extract(act, counts),
        performer=performer,
    )


def _extract(act: DestructionAct, counts: list[tuple[str, int]]) -> list[tuple[str, ...]]:
    """The extract from the event log: the request's journal up to the destruction, then what
    each erase operation reported."""
    system = "; ".join(act.systems)
    rows: list[tuple[str, ...]] = []
    events = act.request.events.select_related("actor").filter(at__lte=act.destroyed_at)
    for event in events.order_by("at", "pk"):
        if event.actor is None:
            actor = "система"
        elif event.actor.is_staff and event.actor_id != act.request.subject_id:
            actor = _person(event.actor)
        else:
            actor = "заявитель"
        rows.append((_moment(event.at), str(event.title), actor, act.subject_reference, "", system))
    performer = _person(act.performed_by)
    for label, count in counts:
        rows.append(
            (
                _moment(act.destroyed_at),
                f"уничтожено: {label}",
                performer,
                act.subject_reference,
                str(count),
                system,
            )
        )
    return rows


def act_pdf(act: DestructionAct) -> bytes:
    """The act with its extract as a PDF to print, sign and keep."""
    document = act_document(act)
    pdf = PortalPdf()
    pdf.set_title(document.title)
    pdf.add_page()
    pdf.text_line(document.title, size=13, bold=True, height=7)
    pdf.ln(2)
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=(35, 65), text_align="LEFT", line_height=4.6) as table:
        for heading, lines in document.rows:
            table.row((heading, "\n".join(lines)))
    pdf.ln(4)
    pdf.text_line(f"Уничтожение выполнил: ______________________ / {document.performer} /")
    pdf.ln(2)
    pdf.text_line(
        "Ответственный за организацию обработки персональных данных: "
        "______________________ / ______________________ /"
    )
    pdf.ln(2)
    pdf.text_line("Дата подписания: «____» ______________ 20___ г.")
    pdf.add_page()
    pdf.text_line(
        "Выгрузка из журнала регистрации событий в информационной системе персональных данных",
        size=11,
        bold=True,
        height=6,
    )
    pdf.text_line(f"К акту № {act.pk}. Причина уничтожения: {act.reason}", size=8)
    pdf.ln(2)
    pdf.set_font(FONT, "", 7.5)
    with pdf.table(col_widths=(17, 30, 20, 14, 9, 30), text_align="LEFT", line_height=3.8) as table:
        table.row(EXTRACT_HEADER)
        for row in document.extract:
            table.row(row)
    return bytes(pdf.output())


def act_file_name(act: DestructionAct) -> str:
    return f"akt-unichtozheniya-pdn-{act.pk}.pdf"
