from django.http import HttpRequest

from consents.policy_renewal import pending_policy_for_request


def policy_notice(request: HttpRequest) -> dict:
    """The dismissible notice of a new policy version (one needing no renewed consent)."""
    pending = pending_policy_for_request(request)
    if pending is None or pending.requires_acceptance:
        return {"policy_notice": None}
    return {"policy_notice": pending.version}
