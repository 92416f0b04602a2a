"""Kudos, comments, inbox and bookmarks: every rule the services enforce."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.feedback import services
from ficarchive.feedback.models import Bookmark, Comment, InboxItem, Kudos
from ficarchive.tags.models import Tag
from ficarchive.testing import make_user, make_work

from .factories import counters_match, works_by_state

GUEST = AnonymousUser()
pytestmark = pytest.mark.django_db


@pytest.fixture
def works(author):
    return works_by_state(author)


# --- kudos ------------------------------------------------------------------------------

# Who may leave kudos on which work: True (allowed), or the error raised.
KUDOS_RULES = {
    ("guest", "public"): True,
    ("guest", "restricted"): NotFound,
    ("guest", "draft"): NotFound,
    ("guest", "anonymous"): True,
    ("user", "public"): True,
    ("user", "restricted"): True,
    ("user", "draft"): NotFound,
    ("user", "anonymous"): True,
    ("creator", "public"): PermissionDenied,
    ("creator", "restricted"): PermissionDenied,
    ("creator", "draft"): NotFound,
    ("creator", "anonymous"): PermissionDenied,
    ("admin", "public"): True,
    ("admin", "restricted"): True,
    ("admin", "draft"): NotFound,
    ("admin", "anonymous"): True,
}


@pytest.mark.parametrize(("who", "state"), list(KUDOS_RULES))
def test_kudos_permissions(who, state, works, author, user, admin_user):
    """Kudos follow the visibility gate; creators can't kudo their own works; drafts take none."""
    actor = {"guest": GUEST, "user": user, "creator": author, "admin": admin_user}[who]
    work = works[state]
    expected = KUDOS_RULES[(who, state)]
    if expected is True:
        services.kudos_give(actor=actor, work=work, guest_address="203.0.113.5")
        assert work.kudos.count() == 1
    else:
        with pytest.raises(expected):
            services.kudos_give(actor=actor, work=work, guest_address="203.0.113.5")
        assert work.kudos.count() == 0
    assert counters_match(work)


def test_double_kudos_refused(work, user):
    """A second kudos from the same account is refused and the count stays at one."""
    services.kudos_give(actor=user, work=work)
    with pytest.raises(ValidationError):
        services.kudos_give(actor=user, work=work)
    work.refresh_from_db()
    assert work.kudos_count == 1 == Kudos.objects.filter(work=work).count()


def test_guest_kudos_once_per_address_and_hashed(work):
    """Guests get one kudos per address; the address is stored only as a keyed hash."""
    services.kudos_give(actor=GUEST, work=work, guest_address="198.51.100.7")
    with pytest.raises(ValidationError):
        services.kudos_give(actor=None, work=work, guest_address="198.51.100.7")
    services.kudos_give(actor=GUEST, work=work, guest_address="198.51.100.8")
    keys = list(Kudos.objects.filter(work=work).values_list("guest_key", flat=True))
    assert len(keys) == 2 and all(len(k) == 64 for k in keys)
    assert not any("198.51" in k for k in keys)
    assert counters_match(work)


def test_kudos_count_updated_on_passed_instance(work, user):
    """The caller's Work object shows the new kudos count."""
    services.kudos_give(actor=user, work=work)
    assert work.kudos_count == 1


# --- comments -----------------------------------------------------------------------------

COMMENT_RULES = {
    ("guest", "public"): True,
    ("guest", "restricted"): NotFound,
    ("guest", "draft"): NotFound,
    ("guest", "anonymous"): True,
    ("user", "public"): True,
    ("user", "restricted"): True,
    ("user", "draft"): NotFound,
    ("user", "anonymous"): True,
    ("creator", "public"): True,
    ("creator", "restricted"): True,
    ("creator", "draft"): NotFound,
    ("creator", "anonymous"): True,
    ("admin", "public"): True,
    ("admin", "restricted"): True,
    ("admin", "draft"): NotFound,
    ("admin", "anonymous"): True,
}


@pytest.mark.parametrize(("who", "state"), list(COMMENT_RULES))
def test_comment_permissions(who, state, works, author, user, admin_user):
    """Comments follow the visibility gate; drafts have no comments, not even the creator's."""
    actor = {"guest": GUEST, "user": user, "creator": author, "admin": admin_user}[who]
    work = works[state]
    kwargs = {"guest_name": "Visitor", "guest_email": "v@example.org"} if who == "guest" else {}
    expected = COMMENT_RULES[(who, state)]
    if expected is True:
        services.comment_create(actor=actor, work=work, body="Lovely.", **kwargs)
        assert work.comments.count() == 1
    else:
        with pytest.raises(expected):
            services.comment_create(actor=actor, work=work, body="Lovely.", **kwargs)
        assert work.comments.count() == 0
    assert counters_match(work)


@pytest.mark.parametrize(
    ("permission", "guest_ok", "user_ok"),
    [("anyone", True, True), ("users", False, True), ("disabled", False, False)],
)
def test_comment_permission_setting(permission, guest_ok, user_ok, author, user):
    """Work.comment_permission: anyone (guests too), users (login needed), disabled (nobody)."""
    work = make_work(author, comment_permission=permission)
    for actor, ok, extra in [
        (GUEST, guest_ok, {"guest_name": "G", "guest_email": "g@example.org"}),
        (user, user_ok, {}),
    ]:
        if ok:
            services.comment_create(actor=actor, work=work, body="Hi", **extra)
        else:
            with pytest.raises(PermissionDenied):
                services.comment_create(actor=actor, work=work, body="Hi", **extra)
    assert work.comments.count() == int(guest_ok) + int(user_ok)


def test_guest_comment_needs_name_and_email(works):
    """A guest must give a name and a valid email; nothing is written otherwise."""
    with pytest.raises(ValidationError) as exc:
        services.comment_create(
            actor=GUEST, work=works["public"], body="Hi", guest_name="", guest_email="nope"
        )
    assert set(exc.value.message_dict) == {"guest_name", "guest_email"}
    assert Comment.objects.count() == 0


def test_comment_sanitized_and_paragraphs(work, user):
    """Comment HTML is sanitized; plain text becomes paragraphs and line breaks."""
    c = services.comment_create(
        actor=user, work=work, body='<script>alert(1)</script><b onclick="x()">Bold</b>'
    )
    assert "<script" not in c.body and "onclick" not in c.body and "<b>Bold</b>" in c.body
    c2 = services.comment_create(
        actor=user, work=work, body="First line\nsecond line\n\nNew para <i>x</i>"
    )
    assert c2.body == "<p>First line<br>second line</p>\n<p>New para <i>x</i></p>"
    c3 = services.comment_create(actor=user, work=work, body="1 < 2 & 3 > 2")
    assert c3.body == "<p>1 &lt; 2 &amp; 3 &gt; 2</p>"


def test_comment_length_limit(work, user):
    """Comments are limited to 10,000 characters, as on AO3; empty ones are refused."""
    services.comment_create(actor=user, work=work, body="a" * 10_000)
    with pytest.raises(ValidationError):
        services.comment_create(actor=user, work=work, body="a" * 10_001)
    with pytest.raises(ValidationError):
        services.comment_create(actor=user, work=work, body="   ")
    with pytest.raises(ValidationError):
        services.comment_create(actor=user, work=work, body="<script>x</script>")
    assert work.comments.count() == 1


def test_comment_on_chapter_and_reply(author, user):
    """A comment may be on a chapter; a reply stays on its parent's chapter."""
    work = make_work(author, chapters=["One.", "Two."])
    ch2 = work.chapters.get(position=2)
    c = services.comment_create(actor=user, work=work, body="On two", chapter=ch2)
    r = services.comment_create(actor=author, work=work, body="Thanks", parent=c)
    assert c.chapter_id == ch2.pk and r.chapter_id == ch2.pk and r.parent_id == c.pk
    other = make_work(author, title="Other")
    with pytest.raises(NotFound):
        services.comment_create(actor=user, work=other, body="x", chapter=ch2)
    with pytest.raises(NotFound):
        services.comment_create(actor=user, work=other, body="x", parent=c)


def test_inbox_notifications(work, author, user):
    """Creators are notified of comments not their own; authors of replies' parents too."""
    other = make_user("other")
    c = services.comment_create(actor=user, work=work, body="Nice")
    assert list(InboxItem.objects.filter(comment=c).values_list("user__username", flat=True)) == [
        "author"
    ]
    r = services.comment_create(actor=author, work=work, body="Thank you", parent=c)
    assert list(InboxItem.objects.filter(comment=r).values_list("user__username", flat=True)) == [
        "reader"
    ]
    r2 = services.comment_create(actor=other, work=work, body="Agreed", parent=c)
    assert sorted(
        InboxItem.objects.filter(comment=r2).values_list("user__username", flat=True)
    ) == ["author", "reader"]
    own = services.comment_create(actor=author, work=work, body="Note from me")
    assert not InboxItem.objects.filter(comment=own).exists()


def test_comment_edit_only_own(work, author, user, admin_user):
    """Only the comment's author may edit it; editing marks it edited."""
    c = services.comment_create(actor=user, work=work, body="Tpyo")
    for actor in (author, admin_user, GUEST):
        with pytest.raises(PermissionDenied):
            services.comment_edit(actor=actor, comment=c, body="Hacked")
    edited = services.comment_edit(actor=user, comment=c, body="Typo")
    assert edited.body == "<p>Typo</p>" and edited.edited_at is not None


@pytest.mark.parametrize("who", ["commenter", "creator", "admin"])
def test_comment_delete_allowed(who, work, author, user, admin_user):
    """The commenter, the work's creators and admins may delete a comment."""
    actor = {"commenter": user, "creator": author, "admin": admin_user}[who]
    c = services.comment_create(actor=user, work=work, body="Hi")
    services.comment_delete(actor=actor, comment=c)
    assert not Comment.objects.filter(pk=c.pk).exists()
    assert counters_match(work)


def test_comment_delete_refused_for_others(work, user):
    """Another user or a guest cannot delete someone's comment."""
    c = services.comment_create(actor=user, work=work, body="Hi")
    for actor in (make_user("other"), GUEST):
        with pytest.raises(PermissionDenied):
            services.comment_delete(actor=actor, comment=c)
    assert Comment.objects.filter(pk=c.pk).exists()


def test_deleted_comment_with_replies_stays_as_placeholder(work, author, user):
    """A deleted comment with replies stays (emptied); deleting the last reply removes both."""
    c = services.comment_create(actor=user, work=work, body="Parent")
    r = services.comment_create(actor=author, work=work, body="Reply", parent=c)
    services.comment_delete(actor=user, comment=c)
    c.refresh_from_db()
    assert c.deleted and c.body == ""
    assert counters_match(work) and work.comment_count == 1
    with pytest.raises(ValidationError):
        services.comment_create(actor=author, work=work, body="x", parent=c)
    services.comment_delete(actor=author, comment=r)
    assert not Comment.objects.filter(work=work).exists()
    assert counters_match(work) and work.comment_count == 0


def test_comments_on_restricted_work_hidden_from_guest_after_the_fact(author, user):
    """A guest cannot act on comments of a work that became restricted."""
    work = make_work(author)
    c = services.comment_create(actor=user, work=work, body="Hi")
    work.restricted = True
    work.save(update_fields=["restricted"])
    with pytest.raises(NotFound):
        services.comment_delete(actor=GUEST, comment=c)


# --- inbox ----------------------------------------------------------------------------------


def test_inbox_mark_read_and_delete_only_own(work, author, user):
    """Inbox items can be marked read and deleted by their owner only."""
    c = services.comment_create(actor=user, work=work, body="Hi")
    item = InboxItem.objects.get(user=author, comment=c)
    assert services.inbox_mark_read(actor=user, item_ids=[item.pk]) == 0
    assert services.inbox_mark_read(actor=author, item_ids=[item.pk]) == 1
    item.refresh_from_db()
    assert item.read
    assert services.inbox_delete(actor=user, item_ids=[item.pk]) == 0
    with pytest.raises(PermissionDenied):
        services.inbox_delete(actor=GUEST, item_ids=[item.pk])
    assert services.inbox_delete(actor=author, item_ids=[item.pk]) == 1
    assert Comment.objects.filter(pk=c.pk).exists()


# --- bookmarks ------------------------------------------------------------------------------

BOOKMARK_RULES = {
    ("guest", "public"): PermissionDenied,
    ("guest", "restricted"): PermissionDenied,
    ("guest", "draft"): PermissionDenied,
    ("guest", "anonymous"): PermissionDenied,
    ("user", "public"): True,
    ("user", "restricted"): True,
    ("user", "draft"): NotFound,
    ("user", "anonymous"): True,
    ("creator", "public"): True,
    ("creator", "restricted"): True,
    ("creator", "draft"): NotFound,
    ("creator", "anonymous"): True,
    ("admin", "public"): True,
    ("admin", "restricted"): True,
    ("admin", "draft"): NotFound,
    ("admin", "anonymous"): True,
}


@pytest.mark.parametrize(("who", "state"), list(BOOKMARK_RULES))
def test_bookmark_permissions(who, state, works, author, user, admin_user):
    """Bookmarks need an account and a posted work the account may see."""
    actor = {"guest": GUEST, "user": user, "creator": author, "admin": admin_user}[who]
    work = works[state]
    expected = BOOKMARK_RULES[(who, state)]
    if expected is True:
        services.bookmark_save(actor=actor, work=work, notes="Good")
        assert work.bookmarks.count() == 1
    else:
        with pytest.raises(expected):
            services.bookmark_save(actor=actor, work=work)
        assert work.bookmarks.count() == 0
    assert counters_match(work)


def test_bookmark_update_private_toggle_keeps_count(work, user):
    """Saving again updates the one bookmark; the count follows public bookmarks only."""
    b = services.bookmark_save(
        actor=user, work=work, notes="<p>Great</p><script>x</script>", tags="fluff, Re-read"
    )
    assert "<script" not in b.notes and "Great" in b.notes
    assert counters_match(work) and work.bookmark_count == 1
    b2 = services.bookmark_save(actor=user, work=work, private=True, rec=True, tags=["fluff"])
    assert b2.pk == b.pk and Bookmark.objects.count() == 1
    assert counters_match(work) and work.bookmark_count == 0
    assert [t.name for t in b2.tags.all()] == ["fluff"]
    services.bookmark_save(actor=user, work=work, private=False)
    assert counters_match(work) and work.bookmark_count == 1


def test_bookmark_tags_reuse_existing_tags_of_any_kind(work, user):
    """Bookmarker tags reuse an existing tag (a fandom here) and create new ones as freeform."""
    fandom = work.fandoms[0]
    b = services.bookmark_save(actor=user, work=work, tags=f"{fandom.name.upper()}, brand new tag")
    tags = {t.name: t.kind for t in b.tags.all()}
    assert tags[fandom.name] == "fandom" and tags["brand new tag"] == "freeform"
    assert Tag.objects.filter(name="brand new tag").count() == 1
    with pytest.raises(ValidationError):
        services.bookmark_save(actor=user, work=work, tags="bad<tag")


def test_bookmark_delete_owner_or_admin(work, user, admin_user):
    """Only the bookmark's owner or an admin may delete it; the count follows."""
    b = services.bookmark_save(actor=user, work=work)
    with pytest.raises(NotFound):
        services.bookmark_delete(actor=make_user("other"), bookmark=b)
    services.bookmark_delete(actor=admin_user, bookmark=b)
    assert not Bookmark.objects.exists()
    assert counters_match(work) and work.bookmark_count == 0


def test_bookmark_with_other_users_pseud_refused(work, user, author):
    """A bookmark can only be made under one's own pseud."""
    with pytest.raises(PermissionDenied):
        services.bookmark_save(actor=user, work=work, pseud=author.default_pseud())


def test_counters_stay_right_through_a_mixed_history(work, author, user, admin_user):
    """After a mix of kudos, comments, replies, deletions and bookmarks, counters equal rows."""
    readers = [make_user(f"reader{i}") for i in range(3)]
    for r in readers:
        services.kudos_give(actor=r, work=work)
        c = services.comment_create(actor=r, work=work, body="Hi")
        services.comment_create(actor=author, work=work, body="Thanks", parent=c)
        services.bookmark_save(actor=r, work=work, private=r.username.endswith("1"))
    services.comment_delete(
        actor=admin_user, comment=Comment.objects.filter(parent__isnull=True).first()
    )
    services.bookmark_delete(actor=readers[0], bookmark=Bookmark.objects.get(user=readers[0]))
    assert counters_match(work)
    work.refresh_from_db()
    assert (work.kudos_count, work.comment_count, work.bookmark_count) == (3, 5, 1)


def test_bookmark_tag_is_offered_by_autocomplete_by_a_word_inside_it(client, user, author):
    """A tag first made by a bookmark is found by autocomplete from a word inside its name,
    as a tag made by an author is (both go through the tags app)."""
    work = make_work(author, freeforms=["Gentle Slowburn"])
    services.bookmark_save(actor=user, work=work, tags="Delicious Slowburn")
    client.force_login(user)
    found = client.get("/tags/autocomplete", {"kind": "freeform", "term": "slowburn"}).json()[
        "results"
    ]
    assert sorted(r["name"] for r in found) == ["Delicious Slowburn", "Gentle Slowburn"]
