"""`{% meter_requests meter %}`: the consumer's requests about one meter, for the meter's page
(owned by the meters app, which sits below this one and cannot import it)."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from servicerequests.models import RequestKind, ServiceRequest

register = template.Library()


@register.inclusion_tag("servicerequests/_for_meter.html", takes_context=True)
def meter_requests(context: template.Context, meter) -> dict:
    """One query; only the signed-in consumer's own requests."""
    user = context["request"].user
    return {"meter_requests": list(ServiceRequest.objects.for_meter(meter).filter(user=user))}


@register.simple_tag
def meter_replacement_url(meter) -> str:
    """The meter-replacement request form with this meter already chosen (the form keeps the
    choice only if the meter is the signed-in consumer's)."""
    url = reverse("servicerequests:create", args=[RequestKind.METER_REPLACEMENT])
    return f"{url}?{urlencode({'meter': meter.pk})}"
