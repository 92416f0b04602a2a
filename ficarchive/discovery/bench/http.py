"""`ficarchive bench http`: pages as a reader gets them, against a bare Django view.

Two gunicorns run side by side in the same run, with the same options: ``ficarchive serve
--workers N`` over the current archive, and the bare project (``bench/bare``: the default
middleware, one small template). Each page class is requested one request at a time
(as ``ab -c 1`` would) over a fresh connection per request, after a warm-up, and reported
as mean and p95 in milliseconds of wall time at the client, and as the ratio of its mean
(and p95) to the bare view's. Page classes: a work page, ``/works``, a tag's works page, a
phrase search, and ``/works`` and a tag's works page for a signed-in reader."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.test import Client

from ficarchive.tags.models import tag_url_name
from ficarchive.tags.vocabulary import TagKind
from ficarchive.works.models import Work

from .client import fetch, free_port
from .run import percentiles, phrases, top_tags

PAGE_CLASSES = (
    "bare",
    "work_page",
    "works",
    "tag_works",
    "phrase_search",
    "reader_works",
    "reader_tag_works",
)
READER_NAME = "bench_reader"


def _gunicorn() -> str:
    path = Path(sys.executable).parent / "gunicorn"
    if not path.exists():
        raise RuntimeError("gunicorn is not installed in this environment")
    return str(path)


@dataclass
class Process:
    """A server started for the run, in its own process group, logging to a file."""

    name: str
    port: int
    proc: subprocess.Popen
    log: Path

    def wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
            try:
                if fetch(self.port, path)[0] < 500:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)


def _start(name: str, argv: list[str], env: dict[str, str], folder: Path, port: int) -> Process:
    log = folder / f"{name}-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - argv built here from our own executables
            argv,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Process(name, port, proc, log)


def start_archive(workers: int, folder: Path) -> Process:
    """``ficarchive serve --workers N`` on a free loopback port, over this process's archive
    (same FICARCHIVE_HOME, DATABASE_URL and REDIS_URL)."""
    port = free_port()
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    argv = [sys.executable, "-m", "ficarchive.cli", "serve", "--port", str(port)]
    argv += ["--workers", str(workers), "--no-migrate"]
    return _start("archive", argv, env, folder, port)


def start_bare(workers: int, threads: int, folder: Path) -> Process:
    """The bare project under gunicorn with ``ficarchive serve``'s worker options."""
    port = free_port()
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "ficarchive.discovery.bench.bare.settings"
    argv = [_gunicorn(), "ficarchive.discovery.bench.bare.wsgi:application"]
    argv += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    argv += ["--threads", str(threads), "--worker-class", "gthread" if threads > 1 else "sync"]
    argv += ["--access-logfile", "-", "--error-logfile", "-", "--no-control-socket"]
    return _start("bare", argv, env, folder, port)


@dataclass
class PageClass:
    """A class of pages: the server it is asked of, its addresses (taken in turn), and the
    cookie sent (a signed-in reader's session)."""

    name: str
    port: int
    paths: list[str]
    cookie: str = ""
    samples: list[float] = field(default_factory=list)

    def addresses(self, count: int) -> Iterator[str]:
        for i in range(count):
            yield self.paths[i % len(self.paths)]


def reader_cookie() -> str:
    """A session cookie of a signed-in reader (created once, through the accounts services)."""
    from ficarchive.accounts.models import User
    from ficarchive.accounts.services import user_create

    user = User.objects.filter(username=READER_NAME).first() or user_create(
        username=READER_NAME, check_password=False
    )
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def page_paths(repeat: int, seed: int) -> dict[str, list[str]]:
    """The addresses of each archive page class, drawn from the archive with a fixed seed."""
    rng = random.Random(seed)
    ids = list(
        Work.objects.filter(posted=True, restricted=False, hidden_by_admin=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        raise RuntimeError("The archive has no public posted works to request.")
    picked = [rng.choice(ids) for _ in range(repeat)]
    pages = max(1, min(50, len(ids) // 20))
    fandoms = top_tags(TagKind.FANDOM, 5) or ["No Fandom"]
    texts = phrases(max(5, min(repeat, 50)), rng)
    return {
        "work_page": [f"/works/{i}?view_adult=true" for i in picked],
        "works": [f"/works?page={rng.randint(1, pages)}" for _ in range(repeat)],
        "tag_works": [
            f"/tags/{quote(tag_url_name(fandoms[i % len(fandoms)]))}/works"
            f"?page={rng.randint(1, max(1, pages // 5))}"
            for i in range(repeat)
        ],
        "phrase_search": [f"/works/search?q={quote(t)}" for t in texts],
        "reader_works": [f"/works?page={rng.randint(1, pages)}" for _ in range(repeat)],
        "reader_tag_works": [
            f"/tags/{quote(tag_url_name(fandoms[i % len(fandoms)]))}/works"
            f"?page={rng.randint(1, max(1, pages // 5))}"
            for i in range(repeat)
        ],
    }


def measure(page: PageClass, repeat: int, warmup: int) -> None:
    """Warm up, then time ``repeat`` requests one after another (ms at the client)."""
    for path in page.addresses(warmup):
        fetch(page.port, path, page.cookie)
    for path in page.addresses(repeat):
        start = time.perf_counter()
        status, _ = fetch(page.port, path, page.cookie)
        elapsed = (time.perf_counter() - start) * 1000
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        page.samples.append(elapsed)


def run_http(*, repeat: int, warmup: int, workers: int, threads: int, seed: int, folder: Path):
    """Start both servers, time every page class, stop them. Yields one row per class:
    ``page``, ``n``, ``mean_ms``, ``p50_ms``, ``p95_ms``, ``p99_ms``, ``ratio`` (mean over
    the bare view's mean) and ``ratio_p95``. Raises RuntimeError when a server does not
    start or a page does not answer 200."""
    paths = page_paths(repeat, seed)
    cookie = reader_cookie()
    archive = start_archive(workers, folder)
    bare = start_bare(workers, threads, folder)
    try:
        archive.wait_ready("/healthz")
        bare.wait_ready("/bare")
        pages = [PageClass("bare", bare.port, ["/bare"])]
        for name in PAGE_CLASSES[1:]:
            pages.append(
                PageClass(
                    name,
                    archive.port,
                    paths[name],
                    cookie if name.startswith("reader_") else "",
                )
            )
        for page in pages:
            measure(page, repeat, warmup)
    finally:
        archive.stop()
        bare.stop()
    floor = percentiles(pages[0].samples)
    for page in pages:
        row = percentiles(page.samples)
        yield {
            "query": "http",
            "page": page.name,
            **row,
            "ratio": round(row["mean_ms"] / floor["mean_ms"], 1) if floor["mean_ms"] else None,
            "ratio_p95": round(row["p95_ms"] / floor["p95_ms"], 1) if floor["p95_ms"] else None,
        }
