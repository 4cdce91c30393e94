"""Benchmark, not a test: machine instructions per request of one page, counted by valgrind.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkk_bench \\
        .venv/bin/python benchmarks/instructions.py /kabinet/ [--anonymous] [--settings MODULE]

Run it after `make bench`, which migrates and seeds that database and collects the static
files. CPU time on a shared virtual machine moves by a third from one minute to the next;
callgrind (`apt-get install valgrind`) counts instructions, which repeat to within 0.1 %. The
portal's WSGI handler serves the page in a loop in one process with the production settings
`benchmarks/pages.py` starts the portal with (the Redis cache in database 12), signed in as the
demo consumer (the consumer with 200 consent records for «Мои согласия») unless `--anonymous`.
Callgrind counts only the measured requests: it starts with its instrumentation off (start-up
runs six times faster so), `callgrind_control` switches it on after a warm-up, and the process
leaves with `os._exit` right after the last request, before the interpreter's shutdown.
The hash seed is fixed and the garbage collector off, so that two versions of the code compare
by what they do and not by where a collection happens to fall. PostgreSQL's and Redis's own work
is not counted: `make bench` measures everything together.
"""

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, cast

from pages import production_env  # this folder's page benchmark: the same production settings

ROOT = Path(__file__).resolve().parent.parent
CACHE_DB = 12  # Redis database; `make bench` uses 11
WARM_UP_REQUESTS = 50
MEASURED_REQUESTS = 200


def serve(path: str, requests: int, *, anonymous: bool) -> None:
    """Inside valgrind: signs in, warms up, then serves the page `requests` times."""
    import gc

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client
    from pages import BENCH_CONSUMER

    from lkk.management.commands.seed_demo import DEMO_CONSUMER

    cookie = ""
    if not anonymous:
        email = BENCH_CONSUMER if "soglasiya" in path else DEMO_CONSUMER[0]
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(email=email))
        names = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        client.get(path, secure=True)  # the CSRF cookie, if the page gives one
        cookie = ";".join(f"{n}={client.cookies[n].value}" for n in names if n in client.cookies)
    application = WSGIHandler()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "443",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_COOKIE": cookie,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "https",
    }
    statuses: list[str] = []

    def start_response(status, headers, exc_info=None, /):
        statuses.append(status)

    def one() -> None:
        b"".join(application(dict(environ, **{"wsgi.input": io.BytesIO()}), start_response))

    for _ in range(WARM_UP_REQUESTS):
        one()
    if not statuses[-1].startswith("200"):
        raise SystemExit(f"{path} answers {statuses[-1]}, not 200")
    gc.collect()
    gc.disable()
    print("warm", flush=True)
    sys.stdin.readline()  # until `callgrind_control` has switched the instrumentation on
    for _ in range(requests):
        one()
    os._exit(0)  # the interpreter's shutdown is no part of a request


def counted(path: str, requests: int, *, anonymous: bool, settings_module: str) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        env = dict(
            production_env(os.environ["DATABASE_URL"], CACHE_DB, metrics_dir=scratch),
            DJANGO_SETTINGS_MODULE=settings_module,
            PYTHONHASHSEED="0",
        )
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            path,
            "--serve",
            str(requests),
            *(["--anonymous"] if anonymous else []),
        ]
        log = Path(scratch) / "valgrind.log"
        with (
            log.open("w") as errors,
            subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            ) as served,
        ):
            to_portal, from_portal = cast(IO[str], served.stdin), cast(IO[str], served.stdout)
            if from_portal.readline().strip() != "warm":
                raise SystemExit(f"{path}: the portal did not start\n{log.read_text()}")
            subprocess.run(
                ["callgrind_control", "--instr=on", str(served.pid)],
                check=True,
                capture_output=True,
            )
            to_portal.write("go\n")
            to_portal.flush()
        if served.returncode != 0:
            raise SystemExit(
                f"{path}: the portal stopped, code {served.returncode}\n{log.read_text()}"
            )
        summary = re.search(r"^summary: (\d+)", out.read_text(), re.MULTILINE)
        if summary is None:
            raise SystemExit("callgrind wrote no summary")
        return int(summary.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", help="the page, e.g. /kabinet/")
    parser.add_argument("--anonymous", action="store_true", help="without signing in")
    parser.add_argument("--settings", default="lkk.settings", help="settings module")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # inside valgrind
    arguments = parser.parse_args()
    if arguments.serve is not None:
        serve(arguments.path, arguments.serve, anonymous=arguments.anonymous)
        return
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("DATABASE_URL must name the database `make bench` seeded")
    total = counted(
        arguments.path,
        MEASURED_REQUESTS,
        anonymous=arguments.anonymous,
        settings_module=arguments.settings,
    )
    print(f"{arguments.path}: {total / MEASURED_REQUESTS / 1e6:.2f} M instructions per request")


if __name__ == "__main__":
    main()
