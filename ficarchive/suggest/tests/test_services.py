"""suggestion_accept / suggestion_dismiss / suggestion_restore, and the panel selector."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ficarchive.core.errors import PermissionDenied
from ficarchive.suggest.models import DismissedSuggestion
from ficarchive.suggest.selectors import suggestion_panel, suggestions_for_work
from ficarchive.suggest.services import suggestion_accept, suggestion_dismiss, suggestion_restore
from ficarchive.tags.vocabulary import ArchiveWarning, Rating, TagKind
from ficarchive.testing import make_user
from ficarchive.works.selectors import work_get_for_viewer

pytestmark = pytest.mark.django_db


def _fresh(work, viewer):
    return work_get_for_viewer(work.pk, viewer)


def _open(work, viewer, kind=None):
    panel = suggestion_panel(_fresh(work, viewer))
    return [i.name for g in panel.groups for i in g.items if kind is None or i.kind == kind]


def test_panel_lists_characters_named_in_the_text(holmes_work, author):
    """The panel proposes the canonical characters the text names, with the cue marked out."""
    panel = suggestion_panel(_fresh(holmes_work, author))
    characters = next(g for g in panel.groups if g.kind == TagKind.CHARACTER)
    assert {i.name for i in characters.items} == {"Sherlock Holmes", "John Watson", "Irene Adler"}
    watson = next(i for i in characters.items if i.name == "John Watson")
    first = watson.passages[0]
    assert first.chapter == 1 and first.cue == "John Watson"
    assert (first.before + first.cue + first.after).startswith(
        "Sherlock Holmes stood at the window"
    )


def test_panel_leaves_out_tags_the_work_carries(author):
    """A tag already on the work (compared as tag names are) is not proposed."""
    from .factories import make_canon, make_holmes_work

    make_canon()
    work = make_holmes_work(author, characters=["john watson"])
    names = _open(work, author, TagKind.CHARACTER)
    assert "John Watson" not in names and "Sherlock Holmes" in names


def test_panel_counts_a_synonym_as_its_canonical(author, admin_user):
    """Carrying a synonym of a canonical character counts as carrying the character."""
    from ficarchive.tags.services import tag_make_synonym

    from .factories import make_canon, make_holmes_work

    sherlock = make_canon()[0]
    work = make_holmes_work(author, characters=["Sherlock"])
    from ficarchive.tags.models import Tag

    tag_make_synonym(actor=admin_user, tag=Tag.objects.get(name="Sherlock"), canonical=sherlock)
    assert "Sherlock Holmes" not in _open(work, author, TagKind.CHARACTER)


def test_accept_character_adds_it_and_keeps_the_rest(holmes_work, author):
    """Accepting a character adds that tag through work_update, leaving the other metadata as it was."""
    before = _fresh(holmes_work, author)
    summary, rating, fandoms = before.summary, before.rating, [t.name for t in before.fandoms]
    suggestion_accept(actor=author, work=before, kind="character", name="John Watson")
    after = _fresh(holmes_work, author)
    assert [t.name for t in after.characters] == ["John Watson"]
    assert (
        after.summary == summary
        and after.rating == rating
        and [t.name for t in after.fandoms] == fandoms
    )
    assert "John Watson" not in _open(holmes_work, author)


def test_accept_rating_replaces_the_rating(author):
    """Accepting a rating suggestion replaces the work's rating."""
    from ficarchive.testing import make_work

    text = "They kissed and then they made love all night, naked, moaning, in bed. " * 30
    work = make_work(author, chapters=(text,), rating=Rating.GENERAL)
    proposed = suggestions_for_work(work)["rating"]
    new = proposed[0]["name"]
    assert proposed and new != Rating.GENERAL
    suggestion_accept(
        actor=author,
        work=_fresh(work, author),
        kind="rating",
        name=new,
        confirm_from=Rating.GENERAL.value,
        confirm_to=new,
    )
    assert _fresh(work, author).rating == new


def test_a_rating_never_changes_without_confirmation(author):
    """Accepting a rating without a confirmation naming the old and new rating (or with a
    stale one) changes nothing and says what to confirm."""
    from ficarchive.suggest.services import ConfirmationNeeded
    from ficarchive.testing import make_work

    text = "They kissed and then they made love all night, naked, moaning, in bed. " * 30
    work = make_work(author, chapters=(text,), rating=Rating.GENERAL)
    new = suggestions_for_work(work)["rating"][0]["name"]
    for confirm in ((None, None), (Rating.TEEN.value, new), (Rating.GENERAL.value, "Explicit!")):
        with pytest.raises(ConfirmationNeeded, match=f"from General Audiences to {new}"):
            suggestion_accept(
                actor=author,
                work=_fresh(work, author),
                kind="rating",
                name=new,
                confirm_from=confirm[0],
                confirm_to=confirm[1],
            )
    assert _fresh(work, author).rating == Rating.GENERAL


def test_accept_real_warning_drops_placeholder_warnings(author, monkeypatch):
    """A real warning replaces "No Archive Warnings Apply" and "Creator Chose Not To Use Archive Warnings"."""
    from ficarchive.suggest import selectors
    from ficarchive.testing import make_work

    # One placeholder: the pair is refused at posting (tags.vocabulary.warnings_problem).
    work = make_work(author, warnings=[ArchiveWarning.CHOSE_NOT_TO_WARN])
    fake = {
        "warnings": [
            {
                "name": ArchiveWarning.MAJOR_CHARACTER_DEATH.value,
                "kind": "warning",
                "score": 0.8,
                "evidence": [],
            }
        ]
    }
    monkeypatch.setattr(selectors, "suggestions_for_work", lambda w: fake)
    mcd = ArchiveWarning.MAJOR_CHARACTER_DEATH.value
    with pytest.raises(ValidationError, match="needs your confirmation"):
        suggestion_accept(actor=author, work=_fresh(work, author), kind="warning", name=mcd)
    suggestion_accept(
        actor=author,
        work=_fresh(work, author),
        kind="warning",
        name=mcd,
        confirm_from=ArchiveWarning.CHOSE_NOT_TO_WARN.value,
        confirm_to=mcd,
    )
    assert [t.name for t in _fresh(work, author).warnings] == [
        ArchiveWarning.MAJOR_CHARACTER_DEATH.value
    ]


def test_no_warnings_apply_is_not_proposed_over_the_creators_choice(author):
    """ "No Archive Warnings Apply" is never proposed to a work that already carries warnings."""
    from ficarchive.testing import make_work

    work = make_work(author, warnings=[ArchiveWarning.CHOSE_NOT_TO_WARN])
    assert suggestions_for_work(work)["warnings"][0]["name"] == ArchiveWarning.NONE_APPLY.value
    assert ArchiveWarning.NONE_APPLY.value not in _open(work, author)


def test_accept_refuses_what_is_not_proposed(holmes_work, author):
    """Only the engine's proposals for this text can be accepted; nothing changes otherwise."""
    with pytest.raises(ValidationError):
        suggestion_accept(
            actor=author, work=_fresh(holmes_work, author), kind="character", name="Mycroft Holmes"
        )
    with pytest.raises(ValidationError):
        suggestion_accept(
            actor=author, work=_fresh(holmes_work, author), kind="sparkle", name="John Watson"
        )
    assert _fresh(holmes_work, author).characters == []


def test_only_creators_decide(holmes_work, author):
    """Someone who did not make the work can neither accept nor dismiss."""
    stranger = make_user("stranger")
    work = _fresh(holmes_work, author)
    with pytest.raises(PermissionDenied):
        suggestion_accept(actor=stranger, work=work, kind="character", name="John Watson")
    with pytest.raises(PermissionDenied):
        suggestion_dismiss(actor=stranger, work=work, kind="character", name="John Watson")
    assert DismissedSuggestion.objects.count() == 0 and _fresh(holmes_work, author).characters == []


def test_dismissed_suggestion_does_not_return(holmes_work, author):
    """A dismissed tag stays off the panel after the text changes, and dismissing twice is harmless."""
    from ficarchive.works.services import ChapterInput, chapter_update

    suggestion_dismiss(
        actor=author, work=_fresh(holmes_work, author), kind="character", name="irene  adler"
    )
    suggestion_dismiss(
        actor=author, work=_fresh(holmes_work, author), kind="character", name="Irene Adler"
    )
    assert DismissedSuggestion.objects.get().name == "Irene Adler"
    chapter = holmes_work.chapters.get()
    chapter_update(
        actor=author,
        chapter=chapter,
        data=ChapterInput(body=chapter.body + "<p>Irene Adler again.</p>"),
    )
    names = _open(holmes_work, author, TagKind.CHARACTER)
    assert "Irene Adler" not in names and "John Watson" in names
    assert _fresh(holmes_work, author).characters == []


def test_restore_brings_a_dismissal_back(holmes_work, author):
    """Restoring a dismissal proposes the tag again."""
    suggestion_dismiss(
        actor=author, work=_fresh(holmes_work, author), kind="character", name="Irene Adler"
    )
    assert suggestion_restore(
        actor=author, work=_fresh(holmes_work, author), kind="character", name="Irene Adler"
    )
    assert "Irene Adler" in _open(holmes_work, author)


def test_suggestions_cached_per_revision(
    holmes_work, author, django_assert_max_num_queries, monkeypatch
):
    """The engine runs once per revision of the text: a second read is served from the cache,
    and editing a chapter makes it run again."""
    from ficarchive.suggest import engine
    from ficarchive.works.services import ChapterInput, chapter_update

    calls = []
    real = engine.suggest_for_work
    monkeypatch.setattr(engine, "suggest_for_work", lambda w: calls.append(w.pk) or real(w))
    work = _fresh(holmes_work, author)
    suggestions_for_work(work)
    with django_assert_max_num_queries(3):
        suggestions_for_work(work)
    assert calls == [work.pk]
    chapter = work.chapters.get()
    chapter_update(actor=author, chapter=chapter, data=ChapterInput(body="<p>Mycroft waited.</p>"))
    assert "John Watson" not in [
        c["name"] for c in suggestions_for_work(_fresh(work, author))["characters"]
    ]
    assert calls == [work.pk, work.pk]


def test_accepting_a_tag_does_not_rerun_the_engine(holmes_work, author, monkeypatch):
    """Adding a character changes the work, not its text: the cached proposals still serve."""
    from ficarchive.suggest import engine

    calls = []
    real = engine.suggest_for_work
    monkeypatch.setattr(engine, "suggest_for_work", lambda w: calls.append(w.pk) or real(w))
    suggestion_panel(_fresh(holmes_work, author))
    suggestion_accept(
        actor=author, work=_fresh(holmes_work, author), kind="character", name="John Watson"
    )
    suggestion_panel(_fresh(holmes_work, author))
    assert len(calls) == 1
