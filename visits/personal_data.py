"""What the visits app holds about a person: the pages they viewed while signed in (see
`lkk.personal_data`). The export says which parts of the portal were viewed, in words."""

from django.db.models import Count, Max, Min

from lkk import personal_data as pd
from visits.models import Visit

# The portal's sections by the start of their address, most specific first: how the export
# tells a person what they viewed without showing URL routes.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("/kabinet/moi-dannye", "выгрузка «Мои данные»"),
    ("/kabinet/soglasiya", "согласия на обработку данных"),
    ("/kabinet/politika", "политика обработки персональных данных"),
    ("/kabinet/obrashcheniya", "обращения по персональным данным"),
    ("/kabinet/obratnaya-svyaz", "мои вопросы и претензии"),
    ("/kabinet/soobshcheniya", "сообщения об инцидентах"),
    ("/kabinet/scheta", "лицевые счета"),
    ("/kabinet/dannye", "личные данные и контакты"),
    ("/kabinet/parol", "смена пароля"),
    ("/kabinet", "главная страница кабинета"),
    ("/obratnaya-svyaz", "обратная связь"),
    ("/soglasie", "тексты согласий"),
    ("/politika", "политика обработки персональных данных"),
    ("/registratsiya", "регистрация"),
    ("/vhod", "вход"),
    ("/vyhod", "выход"),
    ("/parol", "восстановление пароля"),
    ("/podtverzhdenie-pochty", "подтверждение адреса почты"),
    ("/rassylki", "отписка от рассылок"),
    ("/admin", "рабочее место сотрудника"),
)


def section_of(path: str) -> str:
    """«лицевые счета» for `/kabinet/scheta/<int:pk>/`; «другие страницы» if none matches."""
    path = "/" + path.lstrip("/")
    if path == "/":
        return "главная страница"
    for prefix, title in SECTIONS:
        if path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "."):
            return title
    return "другие страницы"


def _export(user) -> list[pd.Row]:
    """One row per section: how many views, first and last; no addresses of pages."""
    rows: dict[str, dict] = {}
    per_path = (
        Visit.objects.for_user(user)
        .order_by()
        .values("path")
        .annotate(views=Count("pk"), first=Min("time"), last=Max("time"))
    )
    for item in per_path:
        title = section_of(item["path"])
        row = rows.setdefault(title, {"views": 0, "first": item["first"], "last": item["last"]})
        row["views"] += item["views"]
        row["first"] = min(row["first"], item["first"])
        row["last"] = max(row["last"], item["last"])
    ips = list(
        Visit.objects.for_user(user)
        .exclude(ip__isnull=True)
        .order_by()
        .values_list("ip", flat=True)
        .distinct()[:50]
    )
    result = [
        {
            "Раздел": title,
            "Просмотров": row["views"],
            "Первый просмотр": row["first"],
            "Последний просмотр": row["last"],
        }
        for title, row in sorted(rows.items(), key=lambda item: -item[1]["views"])
    ]
    if result:
        result[0]["IP-адреса, с которых вы заходили"] = ", ".join(ips)
    return result


def _erase(erasure: pd.Erasure) -> pd.Counts:
    """The page views stay as counts for the statistics, tied to no one."""
    count = Visit.objects.for_user(erasure.user).update(user=None, ip=None, referrer="")
    return {"просмотры страниц (обезличены)": count}


def _expire(now, dry_run: bool) -> pd.Counts:
    old = Visit.objects.older_than(pd.older_than(now, "VISIT_RETENTION_DAYS"))
    return {"записи о просмотрах страниц (удалены)": pd.expire_rows(old, dry_run=dry_run)}


pd.register(
    pd.Category(
        key="visits.page_views",
        title="Посещения страниц личного кабинета",
        data=("просмотренные разделы и время", "IP-адрес", "браузер", "откуда пришли"),
        purpose=(
            "статистика посещений и обеспечение работы сайта "
            "(раздел «Зачем мы их обрабатываем» Политики)"
        ),
        legal_basis=pd.Basis.LEGITIMATE_INTEREST,
        source=pd.Source.PORTAL,
        retention=pd.Retention("VISIT_RETENTION_DAYS", 180),
        models=("visits.Visit",),
        export=_export,
        erase=_erase,
        expire=_expire,
    ),
)
