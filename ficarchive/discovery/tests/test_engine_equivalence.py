"""Engine equivalence: for random plans over a generated archive (filters, mutes, query
terms, sorts, viewers, a tag's or a user's works), the SQL engine and the bitmap engine
return the same works, in the same order, with the same totals, on offset pages and on
keyset cursor walks alike."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import TestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from ficarchive.core.viewers import OPERATOR
from ficarchive.discovery import bitmaps, services
from ficarchive.discovery.engines import bitmap as bitmap_engine
from ficarchive.discovery.forms import FilterParams
from ficarchive.discovery.plan import WithinWorks, build_plan, within_tag
from ficarchive.discovery.search import FIRST, search_works
from ficarchive.discovery.sorts import SORT_COLUMNS
from ficarchive.feedback.services import bookmark_save, kudos_give
from ficarchive.reading.services import history_record
from ficarchive.tags.models import Tag
from ficarchive.tags.services import tag_add_parent, tag_make_canonical, tag_make_synonym
from ficarchive.tags.vocabulary import (
    ArchiveWarning,
    Category,
    Rating,
    warnings_without_contradiction,
)
from ficarchive.testing import make_user
from ficarchive.works.selectors import works_by_user
from ficarchive.works.services import (
    ChapterInput,
    WorkMeta,
    chapter_add,
    work_create,
    work_hide,
)

WORDS = [
    "dragon",
    "library",
    "moor",
    "hound",
    "door",
    "secret",
    "tea",
    "storm",
    "lantern",
    "orchard",
]
FANDOMS = ["Fandom Alpha", "Fandom Beta", "Fandom Gamma"]
FREEFORMS = [
    "Angst",
    "Fluff",
    "AU",
    "Alternate Universe",
    "Coffee Shop AU",
    "Slow Burn",
    "Slowburn",
]
CHARACTERS = ["Ann", "Ben", "Cat"]
RELATIONSHIPS = ["Ann/Ben", "Ben & Cat"]
LANGUAGES = ["en", "fr", "de"]
AUTHORS = ["alice", "bob", "carol", "dan"]
WORK_COUNT = 40


def _sample(rng: random.Random, pool: list[str], most: int) -> list[str]:
    return rng.sample(pool, rng.randint(0, most))


def _generate(rng: random.Random) -> SimpleNamespace:
    """Works with random tags, flags, sizes, dates and kudos, made through the services."""
    authors = [make_user(name) for name in AUTHORS]
    admin = make_user("admin", is_staff=True, is_superuser=True)
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    works = []
    for n in range(WORK_COUNT):
        posted_at = start + dt.timedelta(days=rng.randrange(1500), seconds=rng.randrange(86400))
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 400)))
        in_progress = rng.random() < 0.3
        meta = WorkMeta(
            title=f"{rng.choice(WORDS).title()} {n}",
            rating=rng.choice(Rating.values),
            # a contradictory pair is one the posting rule refuses: "none apply" goes
            warnings=warnings_without_contradiction(
                rng.sample(ArchiveWarning.values, rng.randint(1, 2))
            ),
            fandoms=rng.sample(FANDOMS, rng.randint(1, 2)),
            categories=_sample(rng, Category.values, 2),
            freeforms=_sample(rng, FREEFORMS, 3),
            characters=_sample(rng, CHARACTERS, 2),
            relationships=_sample(rng, RELATIONSHIPS, 1),
            language=rng.choice(LANGUAGES),
            restricted=rng.random() < 0.2,
            anonymous=rng.random() < 0.2,
            in_progress=in_progress,
            expected_chapters=rng.choice([None, 3]) if in_progress else None,
        )
        work = work_create(
            actor=rng.choice(authors),
            meta=meta,
            chapters=[ChapterInput(body=body)],
            draft=rng.random() < 0.1,
            published_at=posted_at,
            revised_at=posted_at,
        )
        works.append(work)
    for work in works:
        if work.posted and rng.random() < 0.12:
            work_hide(actor=admin, work=work, hidden=True)
        elif work.posted:
            readers = [u for u in [*authors, admin] if not work.is_creator(u)]
            for giver in rng.sample(readers, rng.randrange(4)):
                kudos_give(actor=giver, work=work)
    canon = tag_make_canonical(actor=admin, tag="Alternate Universe")
    tag_make_synonym(actor=admin, tag=Tag.objects.get(name="AU"), canonical=canon)
    tag_add_parent(
        actor=admin, child=tag_make_canonical(actor=admin, tag="Coffee Shop AU"), parent=canon
    )
    burn = tag_make_canonical(actor=admin, tag="Slow Burn")
    tag_make_synonym(actor=admin, tag=Tag.objects.get(name="Slowburn"), canonical=burn)
    _reader_activity(random.Random(13), authors, works)
    return SimpleNamespace(authors=authors, admin=admin, work_ids=[w.pk for w in works])


def _reader_activity(rng: random.Random, authors: list, works: list) -> None:
    """The reader (dan) reads, bookmarks and kudos some works; some get a chapter later,
    so "hide read", "hide bookmarked" and "updated since I read it" have work to do."""
    reader = authors[3]
    for work in works:
        work.refresh_from_db()
        if not work.posted or work.hidden_by_admin or work.is_creator(reader):
            continue
        if rng.random() < 0.4:
            history_record(user=reader, work=work, chapter=None)
            if rng.random() < 0.5:
                creator = next(a for a in authors if work.is_creator(a))
                chapter_add(actor=creator, work=work, chapter=ChapterInput(body="More words."))
        if rng.random() < 0.25:
            bookmark_save(actor=reader, work=work, private=rng.random() < 0.5)


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """One generated archive for the whole module, rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):  # the indexing hooks
                data = _generate(random.Random(20261130))
            bitmaps.reset()
            yield data
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            bitmaps.reset()


TAG_NAMES = FANDOMS + FREEFORMS + CHARACTERS + RELATIONSHIPS + ["No Such Tag"]


def _term(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            [
                "word",
                "word",
                "word",
                "not",
                "or",
                "tag",
                "notag",
                "creator",
                "rating",
                "language",
                "language",
                "complete",
                "words",
                "title",
            ]
        )
    )
    word = draw(st.sampled_from(WORDS))
    if kind == "word":
        return word
    if kind == "not":
        return f"-{word}"
    if kind == "or":
        return f"{word} OR {draw(st.sampled_from(WORDS))}"
    if kind in ("tag", "notag"):
        return f'{"-" if kind == "notag" else ""}tag:"{draw(st.sampled_from(TAG_NAMES))}"'
    if kind == "creator":
        return f"creator:{draw(st.sampled_from(AUTHORS))}"
    if kind == "rating":
        return (
            f"rating:{draw(st.sampled_from(['general', 'teen', 'mature', 'explicit', 'unrated']))}"
        )
    if kind == "language":
        return f"language:{draw(st.sampled_from(LANGUAGES))}"
    if kind == "complete":
        return f"complete:{draw(st.sampled_from(['yes', 'no']))}"
    if kind == "words":
        return f"words:{draw(st.sampled_from(['>', '<', '>=', '']))}{draw(st.integers(0, 400))}"
    return f"title:{word}"


FILTERS = {
    "tag": st.lists(st.sampled_from(TAG_NAMES), min_size=1, max_size=2),
    "exclude_tag": st.lists(st.sampled_from(TAG_NAMES), min_size=1, max_size=2),
    "rating": st.lists(st.sampled_from(Rating.values), min_size=1, max_size=3),
    "exclude_rating": st.lists(st.sampled_from(Rating.values), min_size=1, max_size=2),
    "warning": st.sampled_from(ArchiveWarning.values),
    "exclude_warning": st.sampled_from(ArchiveWarning.values),
    "category": st.sampled_from(Category.values),
    "exclude_category": st.sampled_from(Category.values),
    "crossover": st.sampled_from(["only", "exclude"]),
    "complete": st.sampled_from(["complete", "in_progress"]),
    "language": st.sampled_from(LANGUAGES),
    "hide": st.lists(st.sampled_from(["read", "kudosed", "bookmarked"]), min_size=1, max_size=2),
    "updated_since_read": st.just("1"),
    "words_from": st.integers(0, 400).map(str),
    "words_to": st.integers(0, 400).map(str),
    "date_from": st.integers(0, 1500).map(
        lambda d: (dt.date(2020, 1, 1) + dt.timedelta(days=d)).isoformat()
    ),
    "date_to": st.integers(0, 1500).map(
        lambda d: (dt.date(2020, 1, 1) + dt.timedelta(days=d)).isoformat()
    ),
}


@st.composite
def requests(draw: st.DrawFn) -> dict:
    """Filter parameters (a few at a time, as readers set them), a query and an order."""
    chosen = draw(st.lists(st.sampled_from(sorted(FILTERS)), max_size=3, unique=True))
    params: dict = {name: draw(FILTERS[name]) for name in chosen}
    params["q"] = " ".join(_term(draw) for _ in range(draw(st.integers(0, 2))))
    params["sort"] = draw(
        st.one_of(st.sampled_from(["relevance", ""]), st.sampled_from(list(SORT_COLUMNS)))
    )
    params["dir"] = draw(st.sampled_from(["", "asc", "desc"]))
    return params


VIEWERS = ["guest", "reader", "admin", "operator"]
MUTES = st.lists(
    st.one_of(
        st.tuples(st.just("tag"), st.sampled_from(TAG_NAMES[:-1])),
        st.tuples(st.just("creator"), st.sampled_from(AUTHORS[:2])),
        st.tuples(st.just("language"), st.sampled_from(LANGUAGES)),
        st.tuples(st.just("work"), st.integers(0, WORK_COUNT - 1)),
        st.tuples(st.just("scoped"), st.sampled_from(FREEFORMS + CHARACTERS)),
    ),
    max_size=3,
    unique=True,
)


def _viewer(corpus: SimpleNamespace, role: str):
    return {
        "guest": AnonymousUser(),
        "reader": corpus.authors[3],
        "admin": corpus.admin,
        "operator": OPERATOR,
    }[role]


def _within(corpus: SimpleNamespace, viewer, name: str):
    """None, a tag's works (its closure) or a user's works page (that page's own rule)."""
    kind, _, value = name.partition(":")
    if kind == "tag":
        return within_tag(Tag.objects.get(name=value))
    if kind == "user":
        owner = next(u for u in corpus.authors if u.username == value)
        return WithinWorks(works_by_user(owner, viewer), is_gate=True)
    return None


WITHIN = st.sampled_from(
    ["", "", "tag:Alternate Universe", "tag:Fandom Alpha", "user:bob", "user:dan"]
)


def _mute(corpus: SimpleNamespace, viewer, kind: str, value) -> None:
    """A mute of each kind: a work by its index (those the reader cannot see are refused,
    as the site refuses them), and a tag limited to the first fandom."""
    if kind == "work":
        try:
            services.mute_add(actor=viewer, kind="work", value=str(corpus.work_ids[value]))
        except ValidationError:
            pass
    elif kind == "scoped":
        services.mute_add(actor=viewer, kind="tag", value=value, fandom=FANDOMS[0])
    else:
        services.mute_add(actor=viewer, kind=kind, value=value)


def _both(viewer, params: dict, **options) -> tuple:
    sql = search_works(viewer, params, engine="sql", facets=False, snippets=False, **options)
    bitmap = search_works(viewer, params, engine="bitmap", facets=False, snippets=False, **options)
    return sql, bitmap


@pytest.mark.django_db
@settings(max_examples=300)
@given(params=requests(), role=st.sampled_from(VIEWERS), mutes=MUTES, within_name=WITHIN)
def test_both_engines_answer_every_plan_alike(corpus, params, role, mutes, within_name):
    """The same ids in the same order and the same total from both engines, whole result,
    a later offset page, and the first two pages of a cursor walk."""
    with transaction.atomic():
        viewer = _viewer(corpus, role)
        if role == "reader":
            for kind, value in mutes:
                _mute(corpus, viewer, kind, value)
        within = _within(corpus, viewer, within_name)
        plan = build_plan(viewer, FilterParams.from_data(params), within)
        assert bitmap_engine.can_answer(plan), plan
        sql, bitmap = _both(viewer, params, within=within, page_size=WORK_COUNT)
        assert sql.query_error == bitmap.query_error == ""
        assert (sql.total, [w.pk for w in sql.works]) == (
            bitmap.total,
            [w.pk for w in bitmap.works],
        )
        sql, bitmap = _both(viewer, {**params, "page": "2"}, within=within, page_size=3)
        assert [w.pk for w in sql.works] == [w.pk for w in bitmap.works]
        sql, bitmap = _both(viewer, params, within=within, page_size=3, cursor=FIRST)
        assert [w.pk for w in sql.works] == [w.pk for w in bitmap.works]
        assert sql.next_cursor == bitmap.next_cursor
        if sql.next_cursor is not None:
            sql, bitmap = _both(viewer, params, within=within, page_size=3, cursor=sql.next_cursor)
            assert [w.pk for w in sql.works] == [w.pk for w in bitmap.works]
            assert sql.next_cursor == bitmap.next_cursor
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_generated_archive_exercises_the_rule(corpus):
    """The archive holds what the plans must tell apart: every role lists a different set,
    and filters narrow it (so the property above compares real answers, not empty ones)."""
    totals = {
        role: search_works(_viewer(corpus, role), {}, engine="bitmap").total for role in VIEWERS
    }
    assert totals["guest"] < totals["reader"] < totals["admin"] == totals["operator"] < WORK_COUNT
    assert (
        0
        < search_works(AnonymousUser(), {"tag": "Alternate Universe"}, engine="sql").total
        < totals["guest"]
    )
    found = search_works(AnonymousUser(), {"q": "dragon"}, engine="sql")
    assert found.sort == "relevance" and 1 < found.total < totals["guest"]
    by_date = search_works(AnonymousUser(), {"q": "dragon", "sort": "updated"}, engine="sql")
    assert [w.pk for w in found.works] != [w.pk for w in by_date.works]


@pytest.mark.django_db
def test_the_generated_archive_exercises_read_state(corpus):
    """The reader's read, kudos'd, bookmarked and updated-since-read works are each a real
    part of what they can list, so the property above compares those filters for real."""
    reader = _viewer(corpus, "reader")
    listed = search_works(reader, {}, engine="sql").total
    for params in (
        {"hide": "read"},
        {"hide": "kudosed"},
        {"hide": "bookmarked"},
        {"updated_since_read": "1"},
    ):
        total = search_works(reader, params, engine="sql").total
        assert 0 < total < listed, params
    guest = search_works(AnonymousUser(), {"hide": "read"}, engine="sql")
    assert guest.total == search_works(AnonymousUser(), {}, engine="sql").total
    assert guest.errors
