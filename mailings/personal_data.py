"""What the mailings app holds about a person: which mailings were sent to them (see
`lkk.personal_data`)."""

from django.utils import timezone

from lkk import personal_data as pd
from mailings.models import Mailing, MailingDelivery


def _export(user) -> list[pd.Row]:
    deliveries = (
        MailingDelivery.objects.filter(user=user)
        .select_related("mailing")
        .order_by("created_at", "pk")
    )
    return [
        {
            "Рассылка": delivery.mailing.subject,
            "Письмо отправлено": timezone.localtime(delivery.sent_at) if delivery.sent_at else None,
        }
        for delivery in deliveries
    ]


def _erase(erasure: pd.Erasure) -> pd.Counts:
    count, _ = MailingDelivery.objects.filter(user=erasure.user).delete()
    return {"отметки об отправке рассылок (удалены)": count}


def _expire(now, dry_run: bool) -> pd.Counts:
    old = MailingDelivery.objects.filter(
        created_at__lt=pd.older_than(now, "MAILING_DELIVERY_RETENTION_DAYS")
    )
    return {"отметки об отправке рассылок (удалены)": pd.expire_rows(old, dry_run=dry_run)}


pd.register(
    pd.Category(
        key="mailings.deliveries",
        title="Новости и предложения по электронной почте",
        data=("какие рассылки и когда отправлены на ваш адрес",),
        purpose="рассылка новостей и предложений оператора с согласия на рассылки",
        legal_basis=pd.Basis.CONSENT,
        source=pd.Source.PORTAL,
        retention=pd.Retention("MAILING_DELIVERY_RETENTION_DAYS", 365),
        models=("mailings.MailingDelivery",),
        export=_export,
        erase=_erase,
        expire=_expire,
    ),
)
pd.register_staff_records(Mailing._meta.label)
