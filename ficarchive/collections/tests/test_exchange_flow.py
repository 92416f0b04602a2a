"""A gift exchange through its pages: sign-ups (and the bad ones refused with a message and
nothing changed), matching, sending, fills posted as anonymous, unrevealed gifts, the
reveal; gifts and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ficarchive.collections.models import Assignment, Collection, Gift, Signup
from ficarchive.collections.services import challenge_set, collection_create, tag_set_add
from ficarchive.core.viewers import OPERATOR
from ficarchive.tags.services import tag_make_canonical
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db

FANDOMS = ("Fandom Alpha", "Fandom Beta", "Fandom Gamma")


@pytest.fixture
def exchange():
    mod = make_user("exmod")
    for name in FANDOMS:
        tag_make_canonical(actor=OPERATOR, tag=name, kind="fandom")
    tag_make_canonical(actor=OPERATOR, tag="Fandom Outside", kind="fandom")
    c = collection_create(
        actor=OPERATOR, owner=mod, name="Swap_2026", title="Swap 2026",
        anonymous=True, unrevealed=True, challenge="gift_exchange",
    )  # fmt: skip
    tag_set_add(actor=OPERATOR, collection=c, kind="fandom", names=FANDOMS)
    challenge_set(actor=OPERATOR, collection=c, requests_max=1, offers_max=1)
    return c


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sign_up(client: Client, request: str, offer: str):
    form = client.get("/collections/Swap_2026/signups/new").content.decode()
    assert 'name="request_1_fandoms"' in form and 'name="offer_1_fandoms"' in form
    return client.post(
        "/collections/Swap_2026/signups/new",
        {"request_1_fandoms": request, "offer_1_fandoms": offer},
        follow=True,
    )


def test_exchange_end_to_end(exchange):
    """Three people sign up, are matched in a ring, get their assignments, post fills that
    stay mysteries (and anonymous) until the maintainer reveals them."""
    people = {n: make_user(n) for n in ("ana", "bo", "cy")}
    wants = {"ana": ("Fandom Alpha", "Fandom Beta"), "bo": ("Fandom Beta", "Fandom Gamma"),
             "cy": ("Fandom Gamma", "Fandom Alpha")}  # fmt: skip
    for name, (request, offer) in wants.items():
        page = _sign_up(_client(people[name]), request, offer)
        assert "You are signed up" in page.content.decode()
    mod = _client(exchange.participants.get().user)
    page = mod.post("/collections/Swap_2026/assignments", {"action": "match"}, follow=True)
    assert "3 sign-ups: 3 assigned, 0 unassigned" in page.content.decode()
    mod.post("/collections/Swap_2026/assignments", {"action": "send"})
    assert Assignment.objects.filter(sent_at__isnull=False).count() == 3
    for name, user in people.items():
        a = Assignment.objects.get(giver__pseud__user=user)
        work = make_work(user, title=f"Fill by {name}")
        page = _client(user).get("/collections/Swap_2026/assignments")
        assert (
            f"You are writing for <strong>{a.recipient.participant}</strong>"
            in page.content.decode()
        )
        _client(user).post(
            "/collections/Swap_2026/assignments",
            {"action": "fill", "assignment": a.pk, "work": work.pk},
        )
    fill = Assignment.objects.get(giver__pseud__user=people["ana"]).work
    assert fill is not None and fill.in_unrevealed_collection
    guest = Client()
    mystery = guest.get(f"/works/{fill.pk}")  # AO3's notice, nothing more
    assert mystery.status_code == 404 and "Mystery Work" in mystery.content.decode()
    assert "Fill by ana" not in mystery.content.decode()
    listing = guest.get("/collections/Swap_2026/works").content.decode()
    assert "Fill by ana" not in listing and "3 Mystery Works" in listing
    # The recipient's gifts page does not show the mystery either.
    assert "Fill by ana" not in guest.get("/users/bo/gifts").content.decode()
    mod.post("/collections/Swap_2026/reveal")
    page = guest.get(f"/works/{fill.pk}")
    assert page.status_code == 200 and "ana" in page.content.decode()
    assert "Fill by ana" in guest.get("/users/bo/gifts").content.decode()
    again = mod.post("/collections/Swap_2026/reveal", follow=True).content.decode()
    assert "already revealed" in again


def test_anonymous_collection_byline_until_reveal(exchange):
    """An anonymous (not unrevealed) collection's work is listed with the byline
    "Anonymous" on its page, the listing and the feed, until the reveal."""
    from ficarchive.collections.services import collection_reveal, item_add

    c = collection_create(actor=OPERATOR, owner=make_user("anonmod"), name="Anon_Fest",
                          title="Anon Fest", anonymous=True)  # fmt: skip
    writer = make_user("hiddenhand")
    work = make_work(writer, title="Signed Nowhere")
    item_add(actor=writer, collection=c, work=work)
    guest = Client()
    page = guest.get(f"/works/{work.pk}").content.decode()
    assert "Signed Nowhere" in page and "hiddenhand" not in page
    feed = guest.get("/collections/Anon_Fest/works/feed.atom").content.decode()
    assert "Signed Nowhere" in feed and "hiddenhand" not in feed and "Anonymous" in feed
    listing = guest.get("/collections/Anon_Fest/works").content.decode()
    assert "Signed Nowhere" in listing and "hiddenhand" not in listing
    assert "hiddenhand" in _client(writer).get(f"/works/{work.pk}").content.decode()
    collection_reveal(actor=OPERATOR, collection=c)
    assert "hiddenhand" in guest.get(f"/works/{work.pk}").content.decode()


def test_bad_signups_change_nothing(exchange):
    """Twice, outside the tag set, after the window: a message and nothing changed."""
    ana = make_user("ana")
    client = _client(ana)
    page = _sign_up(client, "Fandom Outside", "Fandom Alpha").content.decode()
    assert "Fandom Outside is not in this challenge&#x27;s tag set" in page
    assert not Signup.objects.exists()
    _sign_up(client, "Fandom Alpha", "Fandom Beta")
    page = _sign_up(client, "Fandom Beta", "Fandom Alpha").content.decode()
    assert "already signed up" in page
    assert Signup.objects.count() == 1
    challenge_set(
        actor=OPERATOR, collection=exchange,
        signups_close_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    # After the close date the page shows no form; a sign-up posted anyway is refused.
    page = (
        _client(make_user("late"))
        .post(
            "/collections/Swap_2026/signups/new",
            {"request_1_fandoms": "Fandom Alpha", "offer_1_fandoms": "Fandom Beta"},
            follow=True,
        )
        .content.decode()
    )
    assert "Sign-ups closed on" in page
    assert Signup.objects.count() == 1


def test_swap_refuses_self_assignment_and_regenerate_keeps_others(exchange, tmp_path):
    """A swap that would assign someone to themselves is refused; regenerating one
    participant leaves everyone else's assignment as it was."""
    from ficarchive.collections.services import (
        assignment_regenerate,
        assignments_swap,
        challenge_match,
        signups_import,
    )

    rows = [
        {"user": "p1", "requests": [{"fandoms": ["Fandom Alpha"]}], "offers": [{"fandoms": ["Fandom Beta"]}]},
        {"user": "p2", "requests": [{"fandoms": ["Fandom Beta"]}], "offers": [{"fandoms": ["Fandom Alpha"]}]},
        {"user": "p3", "requests": [{"fandoms": ["Fandom Gamma"]}], "offers": [{"fandoms": ["Fandom Gamma"]}]},
        {"user": "p4", "requests": [{"fandoms": ["Fandom Gamma"]}], "offers": [{"fandoms": ["Fandom Gamma"]}]},
    ]  # fmt: skip
    signups_import(collection=exchange, rows=rows)
    result = challenge_match(actor=OPERATOR, collection=exchange)
    assert result["assigned"] == 4
    one = Assignment.objects.get(giver__pseud__name="p1")  # p1 -> p2
    two = Assignment.objects.get(giver__pseud__name="p2")  # p2 -> p1
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="themselves"):
        assignments_swap(actor=OPERATOR, first=one, second=two)
    assert Assignment.objects.get(pk=one.pk).giver_id == one.giver_id
    before = set(Assignment.objects.exclude(giver__pseud__name__in=["p3", "p4"]).exclude(
        recipient__pseud__name__in=["p3", "p4"]).values_list("giver_id", "recipient_id"))  # fmt: skip
    p3 = Signup.objects.get(pseud__name="p3")
    made = assignment_regenerate(actor=OPERATOR, signup=p3)
    assert {(a.giver.participant, a.recipient.participant) for a in made} <= {
        ("p4", "p3"), ("p3", "p4")}  # fmt: skip
    after = set(Assignment.objects.exclude(giver__pseud__name__in=["p3", "p4"]).exclude(
        recipient__pseud__name__in=["p3", "p4"]).values_list("giver_id", "recipient_id"))  # fmt: skip
    assert before == after


def test_default_and_pinch_hit(exchange):
    """A giver defaults; a pinch hitter takes the recipient; the recipient cannot pinch
    hit for themselves."""
    from django.core.exceptions import ValidationError

    from ficarchive.collections.services import (
        assignment_default,
        challenge_match,
        pinch_hit_claim,
        signups_import,
    )

    for n in ("g1", "g2"):
        make_user(n)
    signups_import(collection=exchange, rows=[
        {"user": "g1", "requests": [{"fandoms": ["Fandom Alpha"]}], "offers": [{"fandoms": ["Fandom Alpha"]}]},
        {"user": "g2", "requests": [{"fandoms": ["Fandom Alpha"]}], "offers": [{"fandoms": ["Fandom Alpha"]}]},
    ])  # fmt: skip
    challenge_match(actor=OPERATOR, collection=exchange)
    a = Assignment.objects.get(giver__pseud__user__username="g1")
    assignment_default(actor=a.giver.pseud.user, assignment=a)
    with pytest.raises(ValidationError, match="already"):
        assignment_default(actor=a.giver.pseud.user, assignment=a)
    recipient = a.recipient
    with pytest.raises(ValidationError, match="your own gift"):
        pinch_hit_claim(actor=recipient.pseud.user, recipient=recipient, pseud=recipient.pseud)
    hitter = make_user("hitter")
    made = pinch_hit_claim(actor=hitter, recipient=recipient, pseud=hitter.default_pseud())
    assert made.pinch_hitter.user == hitter
    with pytest.raises(ValidationError, match="already has a giver"):
        late = make_user("late")
        pinch_hit_claim(actor=late, recipient=recipient, pseud=late.default_pseud())


def test_pinch_hitter_is_mailed_and_the_defaulter_cannot_claim_back(
    exchange, django_capture_on_commit_callbacks
):
    """AO3 sends a pinch hitter their assignment; the giver who defaulted neither sees the
    recipient among the pinch hits nor may claim it back."""
    from django.core import mail
    from django.core.exceptions import ValidationError

    from ficarchive.collections.selectors import open_for_pinch_hit
    from ficarchive.collections.services import (
        assignment_default,
        challenge_match,
        pinch_hit_claim,
        signups_import,
    )

    for n in ("d1", "d2"):
        make_user(n)
    signups_import(collection=exchange, rows=[
        {"user": "d1", "requests": [{"fandoms": ["Fandom Alpha"]}], "offers": [{"fandoms": ["Fandom Alpha"]}]},
        {"user": "d2", "requests": [{"fandoms": ["Fandom Alpha"]}], "offers": [{"fandoms": ["Fandom Alpha"]}]},
    ])  # fmt: skip
    challenge_match(actor=OPERATOR, collection=exchange)
    a = Assignment.objects.get(giver__pseud__user__username="d1")
    defaulter = a.giver.pseud.user
    assignment_default(actor=defaulter, assignment=a)
    hitter = make_user("hitter2")
    assert a.recipient in open_for_pinch_hit(exchange, hitter)
    assert a.recipient not in open_for_pinch_hit(exchange, defaulter)
    with pytest.raises(ValidationError, match="You defaulted on this assignment"):
        pinch_hit_claim(actor=defaulter, recipient=a.recipient, pseud=defaulter.default_pseud())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pinch_hit_claim(actor=hitter, recipient=a.recipient, pseud=hitter.default_pseud())
    assert [m.to for m in mail.outbox] == [[hitter.email]]
    assert "Your assignment" in mail.outbox[0].subject
    assert str(a.recipient.participant) in mail.outbox[0].body


def test_gift_refusal_and_gifts_page():
    """A gift shows on the recipient's gifts page until refused; free-text gifts are kept
    by name; a gift to yourself is refused."""
    from django.core.exceptions import ValidationError

    from ficarchive.collections.services import gift_add

    giver, friend = make_user("giver"), make_user("friend")
    work = make_work(giver, title="For Friend")
    gift_add(actor=giver, work=work, name="friend")
    free = gift_add(actor=giver, work=work, name="My Old Penpal")
    assert free.pseud is None and free.recipient_name == "My Old Penpal"
    with pytest.raises(ValidationError, match="yourself"):
        gift_add(actor=giver, work=work, name="giver")
    page = Client().get("/users/friend/gifts").content.decode()
    assert "For Friend" in page
    gift = Gift.objects.get(pseud__user=friend)
    client = _client(friend)
    client.post("/users/friend/gifts", {"gift": gift.pk})
    assert Gift.objects.get(pk=gift.pk).refused
    assert "For Friend" not in Client().get("/users/friend/gifts").content.decode()
    # Someone else cannot refuse for them.
    other = Gift.objects.create(work=work, pseud=make_user("third").default_pseud())
    _client(giver).post("/users/third/gifts", {"gift": other.pk})
    assert not Gift.objects.get(pk=other.pk).refused


def test_moderated_collection_holds_items_for_approval():
    """In a moderated collection a creator's work waits; the maintainer approves it, and
    only then is it listed."""
    from ficarchive.collections.services import item_add

    mod = make_user("gatekeeper")
    c = collection_create(
        actor=OPERATOR, owner=mod, name="Mod_Col", title="Mod Col", moderated=True
    )
    writer = make_user("submitter")
    item = item_add(actor=writer, collection=c, work=make_work(writer, title="Waiting Work"))
    assert not item.approved
    assert "Waiting Work" not in Client().get("/collections/Mod_Col/works").content.decode()
    _client(mod).post("/collections/Mod_Col/items", {"item": item.pk, "action": "approve"})
    assert "Waiting Work" in Client().get("/collections/Mod_Col/works").content.decode()
    closed = collection_create(actor=OPERATOR, owner=mod, name="Shut", title="Shut", closed=True)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="closed"):
        item_add(actor=writer, collection=closed, work=make_work(writer, title="Late"))
    assert Collection.objects.get(name="Shut").items.count() == 0


def test_settings_page_sets_window_overlap_and_tag_set(exchange):
    """Maintainers change the challenge and the tag set from the settings page; a bad value
    is refused with a message and nothing changed; others get a 404."""
    mod = _client(exchange.participants.get().user)
    url = "/collections/Swap_2026/settings"
    base = {"form": "challenge", "signups_open": "on", "requests_min": 1, "requests_max": 2,
            "offers_min": 1, "offers_max": 2, "match_fandoms": 1, "match_characters": 1,
            "match_relationships": 0, "match_freeforms": 0, "claims_per_prompt": 0,
            "signups_close_at": "2030-01-01 12:00", "add_fandom": "Fandom Outside"}  # fmt: skip
    page = mod.post(url, base, follow=True).content.decode()
    assert "Settings saved" in page
    challenge = exchange.challenge
    challenge.refresh_from_db()
    assert (challenge.requests_max, challenge.match_characters) == (2, 1)
    assert challenge.signups_close_at.year == 2030
    assert challenge.tag_set.filter(tag__name="Fandom Outside").exists()
    page = mod.post(url, {**base, "requests_min": 3, "add_fandom": "Nope Fandom"}, follow=True)
    assert "minimum number of prompts is above its maximum" in page.content.decode()
    challenge.refresh_from_db()
    assert challenge.requests_min == 1
    mod.post(url, {"form": "profile", "title": "Swap Renamed", "rules": "<p>Be kind</p>"})
    exchange.refresh_from_db()
    assert exchange.title == "Swap Renamed" and exchange.rules == "<p>Be kind</p>"
    assert _client(make_user("nosy")).get(url).status_code == 404
