"""`ficarchive user token NAME [--write] [--json]`: a personal access token for the API and OPDS."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from ficarchive.testing import make_user, make_work

ROOT = Path(__file__).resolve().parents[3]


def _token(*args: str) -> str:
    out = io.StringIO()
    call_command("user", "token", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_json_token_reads_restricted_work_through_api_and_opds(client):
    """The --json token is {"token": "fa_..."} and lets its user read a restricted work by API Bearer and OPDS Basic or Bearer."""
    work = make_work(make_user("writer"), title="Members Only", restricted=True)
    make_user("reader")
    printed = json.loads(_token("reader", "--json"))
    raw = printed["token"]
    assert list(printed) == ["token"] and raw.startswith("fa_")
    assert client.get(f"/api/v1/works/{work.pk}").status_code == 404
    assert (
        client.get(f"/api/v1/works/{work.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["title"]
        == "Members Only"
    )
    basic = base64.b64encode(f"reader:{raw}".encode()).decode()
    for header in (f"Bearer {raw}", f"Basic {basic}"):
        feed = client.get("/opds/new", HTTP_AUTHORIZATION=header)
        assert feed.status_code == 200 and b"Members Only" in feed.content


@pytest.mark.django_db
def test_plain_token_reads_and_write_token_writes(client):
    """Without --json the token alone is printed; it may read but not give kudos, a --write token may."""
    work = make_work(make_user("writer"), title="Open")
    make_user("Reader")
    read = _token("reader")
    write = _token("Reader", "--write")
    assert read.startswith("fa_") and "\n" not in read and read != write
    url = f"/api/v1/works/{work.pk}/kudos"
    assert client.post(url, HTTP_AUTHORIZATION=f"Bearer {read}").status_code == 403
    assert client.post(url, HTTP_AUTHORIZATION=f"Bearer {write}").status_code in {200, 201}


def test_unknown_user_is_a_one_line_error(tmp_path):
    """`ficarchive user token nobody` fails with one line on stderr and prints no token."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=str(ROOT),
        FICARCHIVE_HOME=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings.base",
    )
    result = subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", "user", "token", "nobody", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == ["CommandError: No account is named 'nobody'."]
