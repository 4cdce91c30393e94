"""`{% specialist_rating target %}`: the rating block of a feedback message or a PD request.

It lets a page owned by another app (the PD request's detail page) show the rating form with
one line, without its view knowing about ratings.
"""

from django import template
from django.urls import reverse

from feedback.forms import SpecialistRatingForm
from feedback.services import NOT_THE_AUTHOR, RatedWork

register = template.Library()


@register.inclusion_tag("feedback/_rating.html", takes_context=True)
def specialist_rating(context: template.Context, target) -> dict:
    """The owner's rating, or why the work cannot be rated yet, or the form to rate it.

    Costs a query only when the target was fetched without `select_related("specialist_rating")`.
    """
    request = context["request"]
    work = RatedWork.of(target)
    refusal = work.refusal(author=request.user)
    return {
        "shown": refusal != str(NOT_THE_AUTHOR),
        "rating": work.rating(),
        "refusal": refusal,
        "form": SpecialistRatingForm(author=request.user, work=work),
        "action": reverse(work.rating_view, args=[target.pk]),
        "next": request.get_full_path(),
    }
