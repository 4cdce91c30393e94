"""The consent a guest gives to have their message answered (152-FZ art. 9).

Not a `consents.ConsentPurpose`: a purpose there is a standing consent of an account holder, shown
on «Мои согласия» with give and withdraw buttons, and its records need a user. A guest has no
account; their consent lives and ends with one message. So each guest message keeps its own
evidence: this wording's version and the whole text as shown, the time, IP address and browser.

The wording is `templates/feedback/guest_consent.txt`. A changed wording is a new version: raise
`VERSION` with it. Messages already received keep the text their author saw.
"""

from django.conf import settings
from django.template.loader import render_to_string

VERSION = 2

TITLE = "Согласие на обработку персональных данных для ответа на обращение"


def text() -> str:
    """The wording in force, naming the operator as the settings do now."""
    return render_to_string(
        "feedback/guest_consent.txt",
        {"site": settings.SITE_URL + "/", "operator": settings.OPERATOR},
    ).strip()
