"""The contract's commands: `collection create/reveal`, `challenge import-signups/set/
match/assignments`, driven through Django's command runner as `ficarchive` runs them."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from ficarchive.accounts.models import Pseud
from ficarchive.collections.models import Assignment, Collection, Signup
from ficarchive.testing import make_user, make_work


def run(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def _set(fandoms, characters=()):
    return {
        "fandoms": list(fandoms),
        "characters": list(characters),
        "relationships": [],
        "freeforms": [],
    }


@pytest.fixture
def exchange(db):
    make_user("mod")
    (row,) = run("collection", "create", "Yuletide_Test", "--title", "Yuletide Test",
                 "--owner", "mod", "--gift-exchange", "--anonymous", "--unrevealed", "--json")  # fmt: skip
    return row


@pytest.mark.django_db
def test_collection_create_json(exchange):
    """`collection create --json` prints the collection, with its flags, and makes it."""
    assert exchange["name"] == "Yuletide_Test"
    assert exchange["anonymous"] and exchange["unrevealed"]
    assert exchange["challenge"] == "gift_exchange"
    # Absolute, as a work's `url` in `import --json`.
    assert exchange["url"] == settings.SITE_URL + "/collections/Yuletide_Test"
    c = Collection.objects.get(name="Yuletide_Test")
    assert c.participants.get().user.username == "mod"


@pytest.mark.django_db
def test_collection_create_refuses_taken_name_and_unknown_owner(exchange):
    """A taken name or an unknown owner: one-line error, nothing made."""
    with pytest.raises(CommandError, match="already exists"):
        call_command("collection", "create", "yuletide_test", "--title", "X", "--owner", "mod")
    with pytest.raises(CommandError, match="No account"):
        call_command("collection", "create", "Other", "--title", "X", "--owner", "nobody")
    with pytest.raises(CommandError, match="letters, numbers and underscores"):
        call_command("collection", "create", "bad name", "--title", "X", "--owner", "mod")
    assert Collection.objects.count() == 1


def _signups(tmp_path, rows):
    path = tmp_path / "signups.json"
    path.write_text(json.dumps(rows))
    return str(path)


@pytest.mark.django_db
def test_import_match_and_list_assignments(exchange, tmp_path):
    """Three people who can write for each other in a ring are all assigned, nobody to
    themselves; an unknown name gets an unclaimed pseud (no account, no password)."""
    make_user("alice")
    make_user("bob")
    rows = [
        {"user": "alice", "requests": [_set(["F1"])], "offers": [_set(["F2"])]},
        {"user": "bob", "requests": [_set(["F2"])], "offers": [_set(["F3"])]},
        {"user": "Carol Newcomer", "requests": [_set(["F3"])], "offers": [_set(["F1"])]},
    ]
    assert run(
        "challenge", "import-signups", "Yuletide_Test", _signups(tmp_path, rows), "--json"
    ) == [{"signups": 3}]
    carol = Pseud.objects.get(name="Carol Newcomer")
    assert carol.user_id is None
    (result,) = run("challenge", "match", "Yuletide_Test", "--json")
    assert set(result) == {"signups", "assigned", "unassigned", "seconds"}
    assert (result["signups"], result["assigned"], result["unassigned"]) == (3, 3, 0)
    pairs = run("challenge", "assignments", "Yuletide_Test", "--json")
    assert {(p["giver"], p["recipient"]) for p in pairs} == {
        ("alice", "bob"), ("bob", "Carol Newcomer"), ("Carol Newcomer", "alice")}  # fmt: skip


@pytest.mark.django_db
def test_import_is_all_or_nothing(exchange, tmp_path):
    """A bad row (a duplicate sign-up) refuses the whole file, naming the row."""
    rows = [
        {"user": "dana", "requests": [_set(["F1"])], "offers": [_set(["F2"])]},
        {"user": "dana", "requests": [_set(["F1"])], "offers": [_set(["F2"])]},
    ]
    with pytest.raises(CommandError, match=r"sign-up 2 \(dana\).*already signed up"):
        call_command("challenge", "import-signups", "Yuletide_Test", _signups(tmp_path, rows))
    assert Signup.objects.count() == 0


@pytest.mark.django_db
def test_challenge_set_required_overlap_changes_matches(exchange, tmp_path):
    """`challenge set --match-characters 1` demands a shared character: two people who
    share only a fandom are no longer matched."""
    rows = [
        {"user": "ann", "requests": [_set(["F"], ["A"])], "offers": [_set(["F"], ["B"])]},
        {"user": "ben", "requests": [_set(["F"], ["C"])], "offers": [_set(["F"], ["D"])]},
    ]
    call_command("challenge", "import-signups", "Yuletide_Test", _signups(tmp_path, rows))
    assert run("challenge", "match", "Yuletide_Test", "--json")[0]["assigned"] == 2
    (row,) = run("challenge", "set", "Yuletide_Test", "--match-characters", "1", "--json")
    assert row["match_characters"] == 1 and row["match_fandoms"] == 1
    assert run("challenge", "match", "Yuletide_Test", "--json")[0]["assigned"] == 0
    assert Assignment.objects.count() == 0
    with pytest.raises(CommandError, match="whole number"):
        call_command("challenge", "set", "Yuletide_Test", "--match-fandoms", "-1")


@pytest.mark.django_db
def test_reveal_twice_is_refused(exchange, tmp_path):
    """`collection reveal` reveals once; a second time is a clear error."""
    assert run("collection", "reveal", "Yuletide_Test", "--json")[0]["name"] == "Yuletide_Test"
    c = Collection.objects.get(name="Yuletide_Test")
    assert not c.anonymous and not c.unrevealed and c.revealed_at
    with pytest.raises(CommandError, match="already revealed"):
        call_command("collection", "reveal", "Yuletide_Test")


@pytest.mark.django_db
def test_reveal_hides_then_shows_a_work(exchange):
    """A work in an anonymous, unrevealed collection is anonymous and a mystery until the
    reveal, then neither."""
    from ficarchive.collections.services import item_add

    author = make_user("writer")
    work = make_work(author, title="Secret Gift")
    item_add(actor=author, collection=Collection.objects.get(name="Yuletide_Test"), work=work)
    work.refresh_from_db()
    assert work.in_anonymous_collection and work.in_unrevealed_collection
    call_command("collection", "reveal", "Yuletide_Test", stdout=io.StringIO())
    work.refresh_from_db()
    assert not work.in_anonymous_collection and not work.in_unrevealed_collection


@pytest.mark.django_db
def test_errors_name_unknown_collection():
    with pytest.raises(CommandError, match="No collection named Nope"):
        call_command("challenge", "match", "Nope")


@pytest.mark.django_db
def test_reveal_due_reveals_only_collections_whose_date_came(exchange):
    """`collection reveal --due` reveals collections whose reveal date has passed, no others."""
    import datetime as dt

    from django.utils import timezone

    from ficarchive.collections.services import collection_create
    from ficarchive.core.viewers import OPERATOR

    Collection.objects.filter(name="Yuletide_Test").update(
        reveal_at=timezone.now() - dt.timedelta(hours=1)
    )
    later = collection_create(
        actor=OPERATOR, owner=make_user("latermod"), name="Later", title="Later",
        unrevealed=True, reveal_at=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip
    assert run("collection", "reveal", "--due", "--json") == [{"name": "Yuletide_Test"}]
    later.refresh_from_db()
    assert later.unrevealed and not later.revealed_at
    assert run("collection", "reveal", "--due", "--json") == []


def test_challenge_set_bad_date_is_a_usage_error_not_a_traceback(capsys):
    """From the shell, a date argparse cannot read ends with the usage and one line on
    stderr and exit status 2, as every other bad argument does (a CommandError raised inside
    argparse's type function escaped Django's handler as a traceback)."""
    from ficarchive.collections.management.commands.challenge import Command

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(
            ["ficarchive", "challenge", "set", "Nope", "--signups-close-at", "yesterday"]
        )
    assert exit_.value.code == 2
    assert "Not a date: 'yesterday'" in capsys.readouterr().err


def test_challenge_set_refuses_sign_ups_closing_before_they_open(exchange):
    """Sign-ups cannot close before they open (AO3's challenge settings refuse it); the
    refused change leaves the dates as they were."""
    run("challenge", "set", "Yuletide_Test", "--signups-open-at", "2030-01-01", "--json")
    with pytest.raises(CommandError, match="close after they open"):
        call_command("challenge", "set", "Yuletide_Test", "--signups-close-at", "2029-12-01")
    with pytest.raises(CommandError, match="close after they open"):
        call_command(
            "challenge", "set", "Yuletide_Test",
            "--signups-open-at", "2026-12-05", "--signups-close-at", "2026-12-01",
        )  # fmt: skip
    challenge = Collection.objects.get(name="Yuletide_Test").challenge
    assert challenge.signups_open_at.year == 2030 and challenge.signups_close_at is None


def test_challenge_help_describes_import_signups(capsys):
    """`ficarchive challenge --help` lists import-signups with what it does, as the other
    actions are listed (it had no line of its own), and its own help names the file's shape."""
    from ficarchive.collections.management.commands.challenge import Command

    Command().create_parser("ficarchive", "challenge").print_help()
    assert "add sign-ups from a JSON file" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        Command().run_from_argv(["ficarchive", "challenge", "import-signups", "--help"])
    assert '"offers": [SET]' in capsys.readouterr().out
