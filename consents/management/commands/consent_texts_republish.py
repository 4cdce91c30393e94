from typing import Any

from django.core.management.base import BaseCommand

from consents.services import consent_texts_republish


class Command(BaseCommand):
    help = (
        "Публикует новые редакции текстов согласий, если реквизиты оператора (OPERATOR_*) "
        "изменились с публикации действующих; прежние редакции остаются как были."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        published = consent_texts_republish()
        for text in published:
            self.stdout.write(f"Опубликована редакция № {text.version}: {text.title}")
        if not published:
            self.stdout.write("Тексты согласий уже называют действующие реквизиты оператора.")
