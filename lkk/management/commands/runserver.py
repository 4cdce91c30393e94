"""`make run`'s server: WhiteNoise serves the static files (as in production), and once it
listens the demo logins are the last lines on the screen, framed so that they stand out."""

from django.conf import settings
from whitenoise.runserver_nostatic.management.commands.runserver import (
    Command as WhiteNoiseRunserver,
)

from lkk.management.commands.seed_demo import demo_logins


class Command(WhiteNoiseRunserver):
    def on_bind(self, server_port: int) -> None:
        super().on_bind(server_port)
        lines = demo_logins() if settings.DEBUG else []
        if lines:
            rule = "═" * max(len(line) for line in lines)
            framed = "\n".join([rule, "Демо-входы:", *lines, rule])
            self.stdout.write(self.style.SUCCESS(f"\n{framed}\n"))
