"""`ficarchive suggest train`: a model from a labelled folder or the archive's public works;
retraining when due; the learned model in suggestions."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from ficarchive.suggest import learning, training
from ficarchive.suggest.engine import suggest_for_text
from ficarchive.suggest.learning import SuggestModel, model_load
from ficarchive.tags.vocabulary import Rating

from .labelled_factory import EXPLICIT, QUIET, write_labelled


@pytest.fixture
def model_file(tmp_path):
    return tmp_path / "home" / "model.joblib"


def test_train_on_a_labelled_folder(tmp_path, model_file, capsys):
    """`suggest train --labelled DIR --json` saves a model and prints one JSON object."""
    folder = write_labelled(tmp_path / "labelled")
    call_command(
        "suggest", "train", "--labelled", str(folder), "--output", str(model_file), "--json"
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["trained"] and data["source"] == "labelled" and data["works"] == 40
    assert set(data["ratings"]) == {r.value for r in Rating} - {Rating.NOT_RATED.value}
    assert isinstance(model_load(model_file), SuggestModel)
    assert data["rating_decision"] == "ordinal"


def test_the_learned_model_rates_with_a_confidence(tmp_path, model_file):
    """With a model, the rating comes from it, best first, each with its probability."""
    training.model_train_from_labelled(write_labelled(tmp_path / "l"), model_file)
    model = model_load(model_file)
    text = " ".join(QUIET * 3 + EXPLICIT * 6)
    got = suggest_for_text([text], model=model)
    assert got.rating[0].name == Rating.EXPLICIT.value
    assert got.rating[0].details["source"] == "model"
    assert 0.0 < got.rating[0].score <= 1.0
    # The first is the model's decision (test_rating_decision.py); the others follow,
    # most probable first.
    rest = [s.score for s in got.rating[1:]]
    assert rest == sorted(rest, reverse=True)
    quiet = suggest_for_text([" ".join(QUIET * 10)], model=model)
    assert quiet.rating[0].name == Rating.GENERAL.value


def test_train_rejects_a_bad_folder(tmp_path):
    """A folder without labels, or with too few works, is a one-line error."""
    with pytest.raises(CommandError, match="labels.jsonl"):
        call_command("suggest", "train", "--labelled", str(tmp_path))
    small = write_labelled(tmp_path / "small", per_rating=2)
    with pytest.raises(CommandError, match="at least"):
        call_command("suggest", "train", "--labelled", str(small))


def test_a_damaged_model_file_falls_back_to_the_rules(model_file):
    """An unreadable model file is no model: the rules answer."""
    model_file.parent.mkdir(parents=True)
    model_file.write_bytes(b"not a model")
    assert model_load(model_file) is None


@pytest.mark.django_db
def test_archive_training_learns_only_public_posted_works(author, monkeypatch, tmp_path):
    """Drafts, restricted and hidden works never reach the model."""
    from ficarchive.testing import make_work
    from ficarchive.works.services import work_hide

    monkeypatch.setattr(training, "MIN_WORKS", 2)
    monkeypatch.setattr(learning, "MIN_WORKS", 2)
    for i in range(3):
        make_work(author, title=f"Public {i}", chapters=(f"Public text number {i}.",))
    make_work(author, title="Draft", chapters=("Secret draft words.",), draft=True)
    make_work(author, title="Locked", chapters=("Secret restricted words.",), restricted=True)
    hidden = make_work(author, title="Hidden", chapters=("Secret hidden words.",))
    from ficarchive.core.viewers import OPERATOR

    work_hide(actor=OPERATOR, work=hidden, hidden=True)
    texts, _, labels = training.archive_training_set()
    assert len(texts) == 3 and not any("Secret" in t for t in texts)
    result = training.model_train_from_archive(tmp_path / "m.joblib")
    assert result["trained"] and result["works"] == 3 and result["source"] == "archive"


@pytest.mark.django_db
def test_an_archive_with_too_few_works_keeps_the_rules(author, tmp_path, capsys, settings):
    """`suggest train` on a small archive saves nothing and says why."""
    from ficarchive.testing import make_work

    settings.FICARCHIVE_HOME = tmp_path
    make_work(author, chapters=("Only one work.",))
    call_command("suggest", "train", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "trained": False,
        "source": "archive",
        "works": 1,
        "reason": data["reason"],
    }
    assert "at least 30" in data["reason"]
    assert not (tmp_path / "suggest" / "model.joblib").exists()


@pytest.mark.django_db
def test_retrain_when_due(author, monkeypatch, tmp_path):
    """model_retrain_if_due trains when there is no model, then only after enough new works."""
    from ficarchive.testing import make_work

    monkeypatch.setattr(training, "MIN_WORKS", 2)
    monkeypatch.setattr(learning, "MIN_WORKS", 2)
    monkeypatch.setattr(training, "RETRAIN_MIN_NEW", 2)
    path = tmp_path / "m.joblib"
    assert training.model_retrain_if_due(path) is None  # no works yet
    for i in range(2):
        make_work(author, title=f"W{i}", chapters=(f"Text {i}.",))
    assert training.model_retrain_if_due(path)["works"] == 2
    make_work(author, title="W2", chapters=("Text 2.",))
    assert training.model_retrain_if_due(path) is None  # one new work: not yet
    make_work(author, title="W3", chapters=("Text 3.",))
    assert training.model_retrain_if_due(path)["works"] == 4
    from ficarchive.suggest.services import model_retrain_if_due

    assert model_retrain_if_due(path) is None  # the service the worker calls
