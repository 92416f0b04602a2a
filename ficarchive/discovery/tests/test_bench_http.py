"""`ficarchive bench http --json` on a tiny archive: both servers start, every page class
answers, and the rows have the documented keys (timings are never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ficarchive.core.tests.serverproc import REPO, server_env
from ficarchive.discovery.bench.http import PAGE_CLASSES


@pytest.mark.slow
def test_bench_http_json_shape(tmp_path):
    """One line for the archive, then one per page class with mean, p95 and ratio."""
    proc = subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", "bench", "http", "--works", "25"]
        + ["--repeat", "2", "--warmup", "1", "--json"],
        cwd=REPO,
        env=server_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    archive = next(r for r in rows if r.get("query") == "http_archive")
    assert archive["works"] == 25
    assert archive["database"] == "sqlite"
    pages = [r for r in rows if r.get("query") == "http"]
    assert [r["page"] for r in pages] == list(PAGE_CLASSES)
    for row in pages:
        assert {"mean_ms", "p95_ms", "p50_ms", "n", "ratio", "ratio_p95"} <= row.keys()
        assert row["n"] == 2
        assert row["mean_ms"] > 0
    assert pages[0]["ratio"] == 1.0


def test_bench_http_refuses_bad_numbers(tmp_path):
    """A zero repeat is refused with one line and a non-zero status."""
    proc = subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", "bench", "http", "--repeat", "0", "--json"],
        cwd=REPO,
        env=server_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "--repeat" in proc.stderr
    assert proc.stdout == ""
