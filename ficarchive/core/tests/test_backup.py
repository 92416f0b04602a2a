"""`ficarchive backup` / `restore`: one file holds the archive; restore gives it back equal,
and refuses damaged or foreign files without touching the archive."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ficarchive.discovery.backends import get_backend
from ficarchive.discovery.engine import build_documents
from ficarchive.discovery.selectors import OPERATOR, filter_works
from ficarchive.testing import make_user, make_work
from ficarchive.transfer.backup import FORMAT, model_tables, table_rows
from ficarchive.works.models import Work
from ficarchive.works.services import ChapterInput, chapter_add, work_orphan

from .serverproc import REPO, cli_argv, server_env


@pytest.fixture
def home(settings, tmp_path, transactional_db):
    settings.FICARCHIVE_HOME = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "icons").mkdir(parents=True)
    (tmp_path / "media" / "icons" / "a.png").write_bytes(b"\x89PNG fake icon")
    return tmp_path


def fill_archive():
    author = make_user("backupauthor")
    other = make_user("cocreator")
    first = make_work(author, title="<b>Bold</b> & Brave", chapters=["One.", "Two."])
    chapter_add(actor=author, work=first, chapter=ChapterInput(body="Three, added later."))
    make_work(other, title="Draft", draft=True)
    make_work(other, title="Restricted", restricted=True)
    orphaned = make_work(author, title="Orphaned")
    work_orphan(actor=author, work=orphaned)
    # A busy archive (the contract's round trip): feedback, a collection, a subscription
    # and an API token come back too.
    from ficarchive.accounts.tokens import token_create
    from ficarchive.collections.services.collections import collection_create, item_add
    from ficarchive.feedback.services import bookmark_save, comment_create, kudos_give
    from ficarchive.notify.services import subscription_create

    reader = make_user("busyreader")
    comment_create(actor=reader, work=first, body="Lovely.")
    kudos_give(actor=reader, work=first)
    bookmark_save(actor=reader, work=first, notes="Keep", tags=["favourite"])
    subscription_create(actor=reader, work=first.pk)
    token_create(actor=reader, name="script", scope="write")
    shelf = collection_create(actor=author, owner=author, name="backup_shelf", title="Shelf")
    item_add(actor=author, collection=shelf, work=first)


def _auto_link_tables() -> set[str]:
    """The tables Django makes for ManyToManyFields without a ``through`` model."""
    from django.apps import apps

    return {
        field.remote_field.through._meta.db_table
        for model in apps.get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["auto", "json"])
def test_round_trip_restores_every_table_row_by_row(home, fmt):
    """Back up a filled archive, wipe it, write something else, restore: every table equal,
    and search finds the restored works."""
    fill_archive()
    # Restore brings an older backup up to the code's migrations; bring the test database
    # there first, so a migration file added to the tree during the run is not counted as
    # a difference the backup made.
    call_command("migrate", interactive=False, verbosity=0)
    before = table_rows()
    assert sum(len(rows) for rows in before.values()) > 20
    target = home / "archive.tar.gz"
    summary = home / "summary.json"
    with open(summary, "w") as out:
        call_command(
            "backup",
            str(target),
            "--json",
            *([] if fmt == "auto" else ["--format", fmt]),
            stdout=out,
        )
    # A whole-database payload brings the index back as it was (a SQLite test database may
    # hold other tests' entries: Django's flush leaves the FTS5 table alone); a JSON restore
    # rebuilds it for exactly the restored works.
    indexed_after_backup = (
        get_backend().indexed_count()
        if fmt == "auto"
        else len(build_documents(list(Work.objects.values_list("pk", flat=True)))[0])
    )
    assert indexed_after_backup > 0
    payload = json.loads(summary.read_text())["payload"]
    expected = {"json": "json", "auto": "sqlite" if connection.vendor == "sqlite" else "pgdump"}[
        fmt
    ]
    assert payload == expected
    call_command("flush", interactive=False, verbosity=0, allow_cascade=True)
    make_work(make_user("intruder"), title="Written after the backup")
    (home / "media" / "icons" / "a.png").unlink()
    call_command("restore", str(target))
    after = table_rows()
    if fmt == "json":
        # JSON carries model tables; the full-text tables are rebuilt by the restore.
        before = {k: v for k, v in before.items() if k in model_tables()}
        after = {k: v for k, v in after.items() if k in model_tables()}
        # Django's serializer writes a many-to-many as a list on its model, so loading
        # makes the link rows anew: the same pairs under new row ids, which nothing uses.
        for table in _auto_link_tables():
            before[table] = sorted(row[1:] for row in before[table])
            after[table] = sorted(row[1:] for row in after[table])
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert (home / "media" / "icons" / "a.png").read_bytes() == b"\x89PNG fake icon"
    assert get_backend().indexed_count() == indexed_after_backup
    found = filter_works(OPERATOR, {"q": "Brave"}, facets=False, snippets=False).works
    assert ["Brave" in work.title for work in found] == [True]


@pytest.mark.django_db(transaction=True)
def test_backup_json_output_is_one_object(home, capsys):
    """`backup --json` prints exactly one JSON object with the row and table counts."""
    fill_archive()
    call_command("backup", str(home / "b.tar.gz"), "--json")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert summary["rows"] == sum(len(r) for r in table_rows().values())
    with tarfile.open(home / "b.tar.gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["format"] == FORMAT and manifest["vendor"] in {"sqlite", "postgresql"}
    assert ["works", "0001_initial"] in manifest["migrations"]


def _tamper(source, target, member, mutate):
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for info in old.getmembers():
            data = old.extractfile(info).read()
            if info.name == member:
                data = mutate(data)
                info.size = len(data)
            new.addfile(info, io.BytesIO(data))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_foreign_and_damaged_files_and_changes_nothing(home):
    """Random bytes, a tar without manifest, a flipped byte and a newer format are all refused."""
    fill_archive()
    good = home / "good.tar.gz"
    call_command("backup", str(good))
    before = table_rows()
    junk = home / "junk.bin"
    junk.write_bytes(b"not a backup at all" * 100)
    no_manifest = home / "plain.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as tar:
        tar.add(junk, arcname="database.sqlite3")
    flipped = home / "flipped.tar.gz"
    with tarfile.open(good) as tar:
        member = next(n for n in tar.getnames() if n.startswith("database."))
    _tamper(good, flipped, member, lambda d: d[:200] + bytes([d[200] ^ 0xFF]) + d[201:])
    newer = home / "newer.tar.gz"
    _tamper(
        good,
        newer,
        "manifest.json",
        lambda d: json.dumps({**json.loads(d), "version": 99}).encode(),
    )
    truncated = home / "truncated.tar.gz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    cases = {
        junk: "not a Ficarchive backup",
        no_manifest: "no manifest",
        flipped: "checksum mismatch",
        newer: "format version 99",
        truncated: "damaged or truncated",
    }
    for path, message in cases.items():
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(path))
        assert table_rows() == before, path.name
    assert (home / "media" / "icons" / "a.png").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_backup_from_newer_code(home):
    """A backup listing a migration this code lacks is refused: upgrading comes first."""
    fill_archive()
    good = home / "good.tar.gz"
    call_command("backup", str(good))
    before = table_rows()

    def add_migration(data):
        manifest = json.loads(data)
        manifest["migrations"].append(["works", "9999_from_the_future"])
        return json.dumps(manifest).encode()

    future = home / "future.tar.gz"
    _tamper(good, future, "manifest.json", add_migration)
    with pytest.raises(CommandError, match="newer Ficarchive"):
        call_command("restore", str(future))
    assert table_rows() == before


@pytest.mark.slow
def test_backup_while_another_process_writes_is_consistent(tmp_path):
    """Backups taken while another process keeps creating works are consistent snapshots:
    integrity ok, counts as the manifest says, every work's chapter_count equal to its rows."""
    home = tmp_path / "live"
    home.mkdir()
    env = server_env(home)
    subprocess.run(cli_argv("migrate", "-v0"), cwd=REPO, env=env, check=True)
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-m", "ficarchive.core.tests.writer_proc", str(stop)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.5)
        backups = []
        for i in range(3):
            target = tmp_path / f"b{i}.tar.gz"
            done = subprocess.run(
                cli_argv("backup", str(target), "--json"),
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)["rows"] > 0
            backups.append(target)
            time.sleep(0.3)
    finally:
        stop.touch()
        written = int(writer.communicate(timeout=60)[0].strip())
    assert written > 0
    works_seen = []
    for target in backups:
        with tarfile.open(target) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
            tar.extract("database.sqlite3", tmp_path / target.stem, filter="data")
        db = sqlite3.connect(tmp_path / target.stem / "database.sqlite3")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table, count in manifest["counts"].items():
            assert db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == count  # noqa: S608
        half = db.execute(
            "SELECT COUNT(*) FROM works_work w WHERE w.chapter_count != "
            "(SELECT COUNT(*) FROM works_chapter c WHERE c.work_id = w.id) OR w.chapter_count != 3"
        ).fetchone()[0]
        assert half == 0
        works_seen.append(manifest["counts"]["works_work"])
        db.close()
    assert works_seen == sorted(works_seen) and works_seen[-1] > 0
    # The last backup restores into a fresh home through the command line.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    fresh_env = server_env(fresh)
    done = subprocess.run(
        cli_argv("restore", str(backups[-1]), "--json"),
        cwd=REPO,
        env=fresh_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    restored = sqlite3.connect(fresh / "ficarchive.sqlite3")
    assert restored.execute("SELECT COUNT(*) FROM works_work").fetchone()[0] == works_seen[-1]
