"""The notice to Roskomnadzor of an incident (152-FZ art. 21 p. 3.1), drafted from the register.

Roskomnadzor takes the notice through its form on pd.rkn.gov.ru (Order of 14.11.2022 № 187): the
first within 24 hours, with what is known by then; the results of the internal investigation
within 72 hours. The draft follows the form's fields in its order, so that staff copy it field
by field; a field the register does not fill yet says so rather than being left out. It names no
affected person — their number and categories only — so showing it needs no right to personal data.
"""

from django.conf import settings
from django.template.loader import render_to_string

from incidents.models import Incident

NOT_FILLED = "[не заполнено: {}]"


def authority_notice_text(incident: Incident) -> str:
    def filled(value: str, what: str) -> str:
        return value.strip() or NOT_FILLED.format(what)

    return render_to_string(
        "incidents/authority_notice.txt",
        {
            "incident": incident,
            "operator": settings.OPERATOR,
            "site_url": settings.SITE_URL,
            "subjects_count": incident.affected_users().count(),
            "description": filled(incident.description, "описание инцидента"),
            "causes": filled(incident.causes, "предполагаемые причины"),
            "harm": filled(incident.harm, "предполагаемый вред"),
            "measures": filled(incident.measures, "принятые меры"),
            "contact": filled(incident.contact_person, "уполномоченное лицо"),
            "results": filled(incident.investigation_results, "результаты расследования"),
        },
    ).strip()
