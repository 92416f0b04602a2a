"""Time one rate-limit hit in the database store (FICARCHIVE_RATELIMIT_STORE=database):
`FICARCHIVE_HOME=$(mktemp -d) PYTHONPATH=. .venv/bin/python scripts/bench_ratelimit.py`.
Migrates the archive in FICARCHIVE_HOME, then counts 2,000 hits over 50 addresses."""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from django.core.management import call_command  # noqa: E402

from ficarchive.core import ratelimit  # noqa: E402

call_command("migrate", verbosity=0)
N = 2000
started = time.perf_counter()
for i in range(N):
    ratelimit.hit("comment", f"ip:198.51.100.{i % 50}")
elapsed = time.perf_counter() - started
print(f"{N} hits: {elapsed * 1000 / N:.3f} ms per hit")
