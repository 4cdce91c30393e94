"""Whether a logged-in consumer still has to see the policy version in force.

One query per request, shared by the middleware (renewed consent required) and the context
processor (dismissible notice), and none for anonymous users or staff.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from consents.models import ConsentPurpose, ConsentRecord, PolicyAcknowledgement
from lkk.person_cache import Shown, person_cached
from privacy.models import PolicyVersion
from privacy.public_pages import GENERATION_KEY

_CACHE_ATTRIBUTE = "_consents_policy_pending"


@dataclass(frozen=True)
class PendingPolicy:
    """A policy version the consumer has neither accepted nor acknowledged."""

    version: PolicyVersion

    @property
    def requires_acceptance(self) -> bool:
        return self.version.requires_renewed_consent


def pending_policy_for(user) -> PendingPolicy | None:
    """The version in force, if the user has neither consented under it nor dismissed its notice.

    Consenting under a version (at registration, or on renewal) counts as having seen it.
    """
    version = (
        PolicyVersion.objects.in_force()
        .defer("body")  # the whole policy text, on every request: not needed here
        .annotate(
            accepted=Exists(
                ConsentRecord.objects.filter(
                    user=user,
                    purpose__code=ConsentPurpose.ACCOUNT,
                    action=ConsentRecord.Action.GIVEN,
                    policy_version=OuterRef("pk"),
                )
            ),
            acknowledged=Exists(
                PolicyAcknowledgement.objects.filter(user=user, policy_version=OuterRef("pk"))
            ),
        )
        .first()
    )
    if version is None or version.accepted:
        return None
    # Dismissing the notice is enough only where no renewed consent is asked for.
    if version.acknowledged and not version.requires_renewed_consent:
        return None
    return PendingPolicy(version=version)


def pending_policy_for_request(request: HttpRequest) -> PendingPolicy | None:
    """Computed once per request and kept per person until they accept or read a version, or one
    is published (`person_changed`, the publication generation); consumers only (staff accept
    the policy as employees)."""
    if not hasattr(request, _CACHE_ATTRIBUTE):
        user = request.user
        pending = None
        if user.is_authenticated and not user.is_staff:
            pending = person_cached(
                Shown.PENDING_POLICY,
                user.pk,
                lambda: pending_policy_for(user),
                depends_on=GENERATION_KEY,
                request=request,
            )
        setattr(request, _CACHE_ATTRIBUTE, pending)
    return getattr(request, _CACHE_ATTRIBUTE)
