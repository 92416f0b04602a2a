"""`bench suggest --labelled DIR [--folds K] [--json]`: cross-validated figures."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from ficarchive.suggest.crossval import cross_validate, is_held_out, splits
from ficarchive.suggest.labelled import LabelledError, default_labelled_dir, read_labelled

from .labelled_factory import write_labelled

KEYS = {
    "works",
    "folds",
    "rating_exact",
    "rating_within_one",
    "rating_confusion",
    "explicit_recall",
    "explicit_precision",
    "warnings",
    "false_grave",
    "false_grave_rate",
    "category_exact",
    "characters",
    "relationships",
    "speed",
    "training",
    "learning_curve",
    "targets",
    "held_out",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Forty synthetic labelled works, ten of each rating."""
    return write_labelled(tmp_path_factory.mktemp("labelled"))


def test_reads_the_labelled_layout(folder):
    """Every line of labels.jsonl becomes a work with its text and the author's tags."""
    works = read_labelled(folder)
    assert len(works) == 40
    assert works[0].rating == "General Audiences" and "Anna Berg" in works[0].text
    assert works[0].characters == ["Anna Berg", "Ben Ortiz"]


@pytest.mark.parametrize(
    ("line", "fault"),
    [
        ("not json", "not JSON"),
        ('{"id": "1"}', "needs an 'id' and a 'text'"),
        ('{"id": "1", "text": "text/0001.txt", "rating": "PG-13"}', "not an AO3 rating"),
        ('{"id": "1", "text": "../../etc/passwd"}', "leaves the folder"),
        ('{"id": "1", "text": "text/missing.txt"}', "cannot read"),
    ],
)
def test_a_bad_folder_is_one_clear_error(tmp_path, line, fault):
    """A malformed labelled folder raises LabelledError naming the fault."""
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "0001.txt").write_text("Hello there.")
    (tmp_path / "labels.jsonl").write_text(line + "\n")
    with pytest.raises(LabelledError, match=fault):
        read_labelled(tmp_path)


def test_folds_never_score_a_work_they_trained_on(folder):
    """Each work is held out exactly once and never in its own fold's training works."""
    works = read_labelled(folder)
    seen = []
    for train, test in splits(works, 5):
        assert not set(train) & set(test)
        seen += test
    assert sorted(seen) == list(range(len(works)))


def test_cross_validation_learns_the_ratings(folder):
    """On texts whose rating follows their content the held-out ratings are mostly right,
    and every figure the issue asks for is reported."""
    result = cross_validate(folder, folds=4, curve=(20,))
    assert KEYS <= set(result)
    assert result["rating_works"] == 40
    assert result["rating_exact"] >= 0.75
    assert result["explicit_recall"] >= 0.8
    assert sum(sum(row.values()) for row in result["rating_confusion"].values()) == 40
    assert result["learning_curve"][0]["train_works"] == 20
    assert result["speed"]["ms_cpu_per_10k_words"] > 0
    assert set(result["warnings"]) >= {"Graphic Depictions Of Violence", "Rape/Non-Con"}


def test_held_out_part_is_fixed_and_about_a_fifth():
    """The held-out part is chosen by the work's id alone (same on every run), about 20%."""
    ids = [f"{n:04d}" for n in range(1, 1001)]
    chosen = [i for i in ids if is_held_out(i)]
    assert chosen == [i for i in ids if is_held_out(i)]
    assert 150 <= len(chosen) <= 250


def test_held_out_figures_come_from_a_model_that_never_saw_them(folder):
    """The held-out works are scored by a model trained on the other works only."""
    held = cross_validate(folder, folds=2, curve=())["held_out"]
    works = read_labelled(folder)
    expected = [w.id for w in works if is_held_out(w.id)]
    assert held["ids"] == expected and expected
    assert held["train_works"] == len(works) - len(expected)
    assert held["rating_works"] == len(expected)
    assert held["rating_exact"] is not None


def test_bench_suggest_prints_one_json_object(folder, capsys):
    """`bench suggest --labelled DIR --folds 3 --json` prints one JSON object on one line."""
    call_command("bench", "suggest", "--labelled", str(folder), "--folds", "3", "--json")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert KEYS <= set(data) and data["folds"] == 3


def test_bench_suggest_text_report(folder, capsys):
    """Without --json the report is text naming the figures."""
    call_command("bench", "suggest", "--labelled", str(folder), "--folds", "2")
    out = capsys.readouterr().out
    assert "2-fold cross-validation on 40 labelled works" in out
    assert "learning curve" in out and "Explicit: recall" in out
    assert "held-out part" in out and "never tuned on" in out


@pytest.mark.parametrize("args", [["--folds", "1"], ["--folds", "99"]])
def test_bench_suggest_rejects_bad_folds(folder, args):
    """Fewer than two folds, or more folds than works, is a one-line error."""
    with pytest.raises(CommandError, match="--folds"):
        call_command("bench", "suggest", "--labelled", str(folder), *args)


def test_bench_suggest_rejects_a_folder_without_labels(tmp_path):
    """A folder without labels.jsonl is a one-line error."""
    with pytest.raises(CommandError, match="labels.jsonl"):
        call_command("bench", "suggest", "--labelled", str(tmp_path))


def test_shared_set_reads():
    """The shared labelled set (when present) reads whole: 337 works with their texts."""
    folder = default_labelled_dir()
    if folder is None:
        pytest.skip("../shared/data/labelled is absent")
    works = read_labelled(folder)
    assert len(works) == 337 and all(w.text for w in works)


def test_bench_suggest_without_a_labelled_folder_says_its_figures_are_not_a_test(
    monkeypatch, capsys
):
    """With no labelled folder the development set is scored, with its caveat."""
    from ficarchive.suggest import labelled

    monkeypatch.setattr(labelled, "default_labelled_dir", lambda: None)
    call_command("bench", "suggest", "--json")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert "not cross-validated" in data["caveat"] and "rating_exact" in data
