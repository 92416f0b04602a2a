"""Training reads a bounded sample of each long work; suggestions read every word."""

from __future__ import annotations

import pytest

from ficarchive.suggest import learning
from ficarchive.suggest.crossval import prepare, training_rows
from ficarchive.suggest.labelled import read_labelled
from ficarchive.suggest.learning import training_sample

from .labelled_factory import write_labelled


def _paragraphs(n: int, words: int = 50) -> str:
    return "\n".join(f"p{i} " + "word " * (words - 1) for i in range(n))


def test_a_short_text_is_read_whole():
    text = _paragraphs(10)
    assert training_sample(text, 2000) == (text, 500)


def test_a_long_text_is_sampled_in_windows_spread_over_it():
    text = _paragraphs(400)  # 20,000 words
    sample, words = training_sample(text, 2000)
    assert words == 20000
    assert 2000 <= len(sample.split()) <= 2000 + 4 * 2 * 50  # whole paragraphs at the edges
    kept = [int(line.split()[0][1:]) for line in sample.splitlines()]
    assert kept[0] == 0 and kept[-1] == 399  # the start and the end are read
    assert any(130 <= k <= 140 for k in kept) and any(260 <= k <= 270 for k in kept)


def test_a_text_without_paragraphs_and_a_giant_paragraph_stay_bounded():
    sample, words = training_sample("word " * 50000, 2000)
    assert words == 50000 and len(sample.split()) == 2000
    text = "intro\n" * 10 + "word " * 50000 + "\n" + "outro\n" * 10
    sample, _ = training_sample(text, 2000)
    assert len(sample.split()) <= 2000 + 40


def test_the_length_feature_is_the_whole_works():
    """A sampled work's cue row carries the whole work's length, not the sample's."""
    import math

    from ficarchive.suggest.engine import _analysis, analyse_chapters

    text = _paragraphs(400)
    sample, words = training_sample(text, 2000)
    chapters = analyse_chapters([sample])
    _, profile = _analysis(chapters)
    row = learning.cue_vector(profile, "General Audiences", words)
    assert row[-1] == pytest.approx(math.log10(20000) / 5)


def test_training_rows_replace_only_long_works(tmp_path):
    folder = write_labelled(tmp_path / "l", per_rating=3)
    prepared, x, _ = prepare(read_labelled(folder))
    same, spent = training_rows(prepared, x, 10**6)
    assert same is x and spent == 0.0
    shorter, _ = training_rows(prepared, x, 10)
    assert shorter.shape == x.shape
    assert (shorter != x).nnz > 0


def test_an_archive_work_is_cut_chapter_by_chapter_to_the_budget():
    """The archive's own training reads each chapter's share of the budget (HTML bodies
    cut at ``</p>``); a work within the budget is read whole."""
    from ficarchive.suggest.training import _sampled_bodies

    short = ["<p>" + "word " * 100 + "</p>"] * 3
    assert _sampled_bodies(short) == (short, None)
    long = [
        "".join(f"<p>c{c}p{i} " + "word " * 49 + "</p>\n" for i in range(100)) for c in range(4)
    ]
    bodies, words = _sampled_bodies(long)
    assert words == 20000 and len(bodies) == 4
    kept = sum(len(b.split()) for b in bodies)
    assert 2000 <= kept <= 2000 + 4 * 4 * 2 * 50
    assert all(b.startswith("<p>c") and b.rstrip().endswith("</p>") for b in bodies)
    assert all(f"c{c}p99 " in bodies[c] for c in range(4))  # each chapter's end is read


def test_the_bench_reports_the_sampled_training_estimate(tmp_path):
    """``bench suggest``'s ``training`` key counts the words training reads."""
    from ficarchive.suggest.crossval import cross_validate

    folder = write_labelled(tmp_path / "l", per_rating=10)
    result = cross_validate(folder, folds=2, curve=())
    training = result["training"]
    assert training["words_read_in_training"] == training["words"]  # short works: all read
    assert training["seconds_10k_works_like_these_sampled"] > 0
