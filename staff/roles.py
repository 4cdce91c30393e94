"""The staff roles (groups created by migration 0002) and the rights the code checks."""

from django.contrib.auth.models import Group, Permission

SITE_ADMINISTRATOR = "Администратор сайта"
PD_OFFICER = "Ответственный за ПДн"
AUDITOR = "Аудитор"

VIEW_PERSONAL_DATA = "staff.view_personal_data"
EXPORT_REQUEST_JOURNAL = "staff.export_request_journal"
VIEW_REQUESTS = "consents.view_subjectrequest"
WORK_REQUESTS = "consents.change_subjectrequest"
FILE_REQUESTS = "consents.add_subjectrequest"


def site_administrators_complete(*, using: str = "default", **kwargs) -> None:
    """Give the site administrators every permission there is, those of apps installed after
    the groups were created included.

    Connected to post_migrate after Django's own permission creation, which runs then too:
    "everything" stays everything without each new app's migration having to remember it.
    """
    group = Group.objects.using(using).filter(name=SITE_ADMINISTRATOR).first()
    if group is not None:
        group.permissions.add(*Permission.objects.using(using).exclude(group=group))
