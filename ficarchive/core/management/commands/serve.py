"""`ficarchive serve`: migrate and collect static files when needed, then hand the process
over to gunicorn (a production WSGI server, never Django's runserver)."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from ficarchive.core.schema import migrations_pending


def static_stale() -> bool:
    """True when STATIC_ROOT misses a file the finders know, or holds an older copy."""
    from django.contrib.staticfiles.finders import get_finders

    root = settings.STATIC_ROOT
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            target = os.path.join(root, getattr(storage, "prefix", None) or "", path)
            if not os.path.exists(target):
                return True
            if os.path.getmtime(storage.path(path)) > os.path.getmtime(target):
                return True
    return False


def _site_url(host: str, port: int) -> str:
    """``http://HOST:PORT`` for the address served on; a wildcard (every interface) is no
    place to send a reader, so it names this machine's loopback address instead."""
    if host in ("0.0.0.0", "::", "[::]", ""):  # noqa: S104 - compared, not bound
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _served_url_note(url: str) -> None:
    """Keep the served address in FICARCHIVE_HOME (``config.settings.env.site_url`` reads
    it when FICARCHIVE_SITE_URL is unset); a home that cannot be written keeps the default."""
    path = Path(settings.SERVED_URL_PATH)
    try:
        path.write_text(url + "\n")
    except OSError:
        pass


def _port_free_or_fail(host: str, port: int) -> None:
    """CommandError (one line) when nothing may listen on host:port, checked before the
    migration and the note of the served address: gunicorn would log five failed tries
    over five seconds, and the note would send `import --json`'s links to a server that
    never started (a failed command must change nothing). SO_REUSEADDR as gunicorn binds,
    so a port left in TIME_WAIT by a server just stopped counts as free."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise CommandError(f"cannot serve on {host}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise CommandError(f"cannot serve on {host}:{port}: {exc.strerror}") from None


class Command(BaseCommand):
    help = "Migrate if needed, then serve the archive with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("FICARCHIVE_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("FICARCHIVE_PORT", "8000"))
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("FICARCHIVE_WORKERS", "2")),
            help="worker processes (default 2)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("FICARCHIVE_THREADS", "4")),
            help="threads per worker (default 4; 1 gives plain sync workers)",
        )
        parser.add_argument(
            "--timeout", type=int, default=60, help="seconds before a stuck worker is restarted"
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="do not migrate before serving"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {options['port']}")
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
            "gunicorn"
        )
        if not gunicorn:
            raise CommandError("gunicorn is not installed in this environment")
        _port_free_or_fail(options["host"], options["port"])
        if not options["no_migrate"] and migrations_pending():
            call_command("migrate", interactive=False, verbosity=0)
        if static_stale():
            call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()

        host = options["host"]
        bind = (
            f"[{host}]:{options['port']}"
            if ":" in host and not host.startswith("[")
            else f"{host}:{options['port']}"
        )
        argv = [
            gunicorn,
            "config.wsgi:application",
            # Hooks and preloading: one bitmap index built in the master for all workers.
            "--config",
            "python:config.gunicorn",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--worker-class",
            "gthread" if options["threads"] > 1 else "sync",
            "--timeout",
            str(options["timeout"]),
            "--graceful-timeout",
            "30",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("FICARCHIVE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
            # Workers restart after a while so a slow leak never grows without bound.
            "--max-requests",
            "5000",
            "--max-requests-jitter",
            "500",
            "--chdir",
            str(settings.BASE_DIR),
            # Several servers may run on one machine (scale-out); a shared control socket
            # in the home folder would clash, and nothing here uses it.
            "--no-control-socket",
        ]
        env = dict(os.environ)
        # Links the archive writes (API `url`, mail, OPDS, downloads) go to the address it
        # serves on, unless the operator named the public one: `make run PORT=9000` mailed
        # confirmation links to the default port 8000.
        if not env.get("FICARCHIVE_SITE_URL"):
            env["FICARCHIVE_SITE_URL"] = _site_url(host, options["port"])
            # For the commands run beside the server (``ficarchive worker`` sending mail):
            # the same links, without the operator repeating the address.
            _served_url_note(env["FICARCHIVE_SITE_URL"])
        env.setdefault(
            "DJANGO_SETTINGS_MODULE",
            os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.base"),
        )
        self.stdout.write(
            f"Serving Ficarchive on http://{bind}/ with {options['workers']} workers", ending="\n"
        )
        self.stdout.flush()
        os.execve(gunicorn, argv, env)  # noqa: S606 - argv is built here, no shell involved
