"""The serial number of requests (one PostgreSQL sequence), and the kinds the portal starts with.

The kinds are data: staff change their wording and terms, and add kinds, in the admin. The terms
here: a claim about the quality of supply is answered within 3 working days (Rules of providing
utility services, Government decree № 354, p. 31 «к»); putting a new meter into service within
15 working days (the same Rules, p. 81); the operator's own terms for the rest.
"""

from django.db import migrations

METER_FIELDS = ["meter", "visit_dates", "contact_phone", "text"]

KINDS = [
    {
        "code": "zamena-schetchika",
        "title": "Замена прибора учёта",
        "position": 10,
        "term_working_days": 15,
        "term_basis": "",
        "fields": METER_FIELDS,
        "text_label": "Что случилось со счётчиком",
        "text_required": False,
        "what_happens_next": (
            "Специалист позвонит по указанному телефону и согласует время визита в выбранные вами "
            "даты. Он проверит счётчик и, если его нужно заменить, скажет, какой прибор учёта "
            "подойдёт и сколько стоит замена. Время визита появится на странице заявки и придёт "
            "письмом. После замены новый счётчик опломбируют и введут в эксплуатацию, а его "
            "показания появятся в кабинете."
        ),
    },
    {
        "code": "poverka-schetchika",
        "title": "Поверка прибора учёта",
        "position": 20,
        "term_working_days": 15,
        "term_basis": "",
        "fields": METER_FIELDS,
        "text_label": "Комментарий",
        "text_required": False,
        "what_happens_next": (
            "Специалист согласует с вами время визита, снимет показания и опломбировку, а "
            "счётчик передадут на поверку аккредитованной организации (или поверят на месте, "
            "если это возможно). Результат поверки и новая дата очередной поверки появятся на "
            "странице заявки."
        ),
    },
    {
        "code": "vvod-v-ekspluataciyu",
        "title": "Ввод в эксплуатацию (опломбировка) нового прибора учёта",
        "position": 30,
        "term_working_days": 15,
        "term_basis": "п. 81 Правил предоставления коммунальных услуг (ПП РФ № 354)",
        "fields": METER_FIELDS,
        "text_label": "Когда и кем установлен счётчик",
        "text_required": False,
        "what_happens_next": (
            "Приложите фотографию счётчика с видимым заводским номером и паспорт прибора. "
            "Специалист приедет в согласованное время, проверит установку, опломбирует счётчик "
            "и составит акт ввода в эксплуатацию. С этого дня расчёт ведётся по его показаниям."
        ),
    },
    {
        "code": "kontrolnoe-snyatie",
        "title": "Контрольное снятие показаний",
        "position": 40,
        "term_working_days": 10,
        "term_basis": "",
        "fields": METER_FIELDS,
        "text_label": "Зачем нужно контрольное снятие",
        "text_required": False,
        "what_happens_next": (
            "Специалист согласует время визита, снимет показания и проверит состояние счётчика "
            "и пломб. Снятые показания появятся на странице заявки; если они расходятся с "
            "переданными, начисления будут пересчитаны."
        ),
    },
    {
        "code": "pereraschet",
        "title": "Перерасчёт начислений",
        "position": 50,
        "term_working_days": 10,
        "term_basis": "",
        "fields": ["account", "months", "text"],
        "text_label": "Причина перерасчёта",
        "text_required": True,
        "what_happens_next": (
            "Специалист проверит начисления за выбранные месяцы. Если перерасчёт положен, он "
            "отразится в ближайшей квитанции, а ответ с расчётом появится на странице заявки. "
            "Приложите документы, которые подтверждают причину (акт, справку, фото счётчика)."
        ),
    },
    {
        "code": "kachestvo-elektrosnabzheniya",
        "title": "Претензия о качестве или надёжности электроснабжения",
        "position": 60,
        "term_working_days": 3,
        "term_basis": "п. 31 «к» Правил предоставления коммунальных услуг (ПП РФ № 354)",
        "fields": ["claimant_name", "account", "address", "violation_period", "text"],
        "text_label": "Что произошло (отключение, пониженное или повышенное напряжение, скачки)",
        "text_required": True,
        "what_happens_next": (
            "Претензию зарегистрируют и передадут сетевой организации, отвечающей за линию. "
            "В течение 3 рабочих дней вы получите ответ: подтверждено ли нарушение, его причина "
            "и будет ли снижена плата за время, когда электроснабжение было ненадлежащего "
            "качества. Если нарушение продолжается, позвоните в аварийную службу."
        ),
    },
]


def create_kinds(apps, schema_editor) -> None:
    RequestKind = apps.get_model("servicerequests", "RequestKind")
    for kind in KINDS:
        RequestKind.objects.get_or_create(code=kind["code"], defaults=kind)


class Migration(migrations.Migration):
    dependencies = [("servicerequests", "0001_kinds_requests_attachments")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE servicerequests_number_seq",
            "DROP SEQUENCE servicerequests_number_seq",
        ),
        migrations.RunPython(create_kinds, migrations.RunPython.noop),
    ]
