"""Accounts and pseuds: creation rules, pseud lifecycle, preferences."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from ficarchive.accounts import services
from ficarchive.accounts.models import Pseud, User
from ficarchive.core.errors import PermissionDenied
from ficarchive.feedback import services as feedback
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_user_create_makes_default_pseud():
    """A new account gets one default pseud named as the account."""
    user = services.user_create(
        username="writer_1", email="w@example.org", password="a long passphrase 42"
    )
    assert [(p.name, p.is_default) for p in user.pseuds.all()] == [("writer_1", True)]
    assert user.check_password("a long passphrase 42") and not user.is_staff


@pytest.mark.parametrize("name", ["ab", "has space", "way" * 14, "dots.here", "bad\u202ename"])
def test_user_create_refuses_bad_names(name):
    """User names follow the model's rule: 3 to 40 letters, digits or underscores."""
    with pytest.raises(ValidationError):
        services.user_create(username=name, email="x@example.org", password="a long passphrase 42")


def test_user_create_refuses_taken_name_any_case(user):
    """A name taken in any letter case is refused."""
    with pytest.raises(ValidationError) as exc:
        services.user_create(
            username="READER", email="r@example.org", password="a long passphrase 42"
        )
    assert "taken" in str(exc.value)


def test_user_create_checks_password_strength():
    """Django's password validators apply (unless the operator's CLI turns them off)."""
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="weak", password="password")
    assert "password" in exc.value.message_dict
    assert services.user_create(
        username="weak", password="password", check_password=False
    ).check_password("password")


def test_user_create_reserved_names():
    """Reserved names are refused from sign-up and allowed to the operator."""
    with pytest.raises(ValidationError):
        services.user_create(username="admin", password="a long passphrase 42")
    assert services.user_create(
        username="admin", password=None, admin=True, allow_reserved=True
    ).is_superuser


def test_pseud_lifecycle(user):
    """Create, rename, make default, and delete a pseud without works."""
    p = services.pseud_create(actor=user, user=user, name="Night Owl", description="Sleepless")
    assert not p.is_default
    p = services.pseud_update(
        actor=user, pseud=p, name="Night Owl 2", description="", is_default=True
    )
    assert p.name == "Night Owl 2"
    assert list(user.pseuds.filter(is_default=True).values_list("name", flat=True)) == [
        "Night Owl 2"
    ]
    with pytest.raises(ValidationError):
        services.pseud_delete(actor=user, pseud=p)  # the default
    old = user.pseuds.get(name="reader")
    services.pseud_delete(actor=user, pseud=old)
    assert list(user.pseuds.values_list("name", flat=True)) == ["Night Owl 2"]


def test_pseud_names_unique_and_valid(user):
    """Pseud names are unique per user regardless of case, valid, and not "new"."""
    services.pseud_create(actor=user, user=user, name="Alpha")
    for bad in ["alpha", "new", "bad/slash", ""]:
        with pytest.raises(ValidationError):
            services.pseud_create(actor=user, user=user, name=bad)
    other = make_user("other")
    assert services.pseud_create(actor=other, user=other, name="Alpha").user == other


def test_pseud_with_works_cannot_be_deleted(user):
    """A pseud with works is kept."""
    p = services.pseud_create(actor=user, user=user, name="Poster")
    from ficarchive.works.services import ChapterInput, WorkMeta, work_create

    work_create(
        actor=user,
        pseuds=[p],
        meta=WorkMeta(
            title="T",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["F"],
        ),
        chapters=[ChapterInput(body="Text.")],
    )
    with pytest.raises(ValidationError):
        services.pseud_delete(actor=user, pseud=p)
    assert Pseud.objects.filter(pk=p.pk).exists()


def test_pseud_delete_moves_bookmarks_and_comments(author, user):
    """Deleting a pseud keeps its bookmarks and comments under the default pseud."""
    work = make_work(author)
    p = services.pseud_create(actor=user, user=user, name="Side")
    feedback.bookmark_save(actor=user, work=work, pseud=p)
    feedback.comment_create(actor=user, work=work, body="Hi", pseud=p)
    services.pseud_delete(actor=user, pseud=p)
    default = user.default_pseud()
    assert user.bookmarks.get().pseud == default and work.comments.get().pseud == default


def test_pseuds_and_preferences_only_by_owner(user):
    """Nobody but the owner (or a superuser) may manage a user's pseuds or preferences."""
    other = make_user("other")
    for actor in (other, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.pseud_create(actor=actor, user=user, name="Mine now")
        with pytest.raises(PermissionDenied):
            services.preferences_update(
                actor=actor, user=user, view_adult=True, hide_warnings=True, hide_freeform=True
            )
        with pytest.raises(PermissionDenied):
            services.pseud_update(actor=actor, pseud=user.default_pseud(), name="x")
    services.preferences_update(
        actor=user, user=user, view_adult=True, hide_warnings=False, hide_freeform=True
    )
    user = User.objects.get(pk=user.pk)
    assert (user.view_adult, user.hide_warnings, user.hide_freeform) == (True, False, True)


def test_renamed_pseud_is_searchable_by_its_new_name(user):
    """After a pseud is renamed, text search finds its works by the new name, not the old."""
    from ficarchive.discovery.selectors import OPERATOR, filter_works
    from ficarchive.works.services import ChapterInput, WorkMeta, work_create

    pseud = services.pseud_create(actor=user, user=user, name="Moth Lantern")
    meta = WorkMeta(
        title="Night Market",
        rating="General Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Original Work"],
    )
    work = work_create(
        actor=user,
        pseuds=[pseud],
        meta=meta,
        chapters=[ChapterInput(body="Stalls of paper lamps.")],
    )
    assert [w.pk for w in filter_works(OPERATOR, {"q": "lantern"}).works] == [work.pk]
    services.pseud_update(actor=user, pseud=pseud, name="Paper Crane")
    assert [w.pk for w in filter_works(OPERATOR, {"q": "crane"}).works] == [work.pk]
    assert filter_works(OPERATOR, {"q": "lantern"}).total == 0
