"""`bench suggest --repeats R`: the spread of the figures over splits, bootstrap intervals."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from ficarchive.suggest import crossval
from ficarchive.suggest.crossval import cross_validate, splits
from ficarchive.suggest.crossval_repeats import (
    COLUMNS,
    HEADLINE,
    bootstrap_intervals,
    figures_of,
    headline,
)
from ficarchive.suggest.labelled import read_labelled

from .labelled_factory import write_labelled

# What may differ between two runs of the same cross-validation: CPU times and clocks.
TIMED = ("speed", "training", "model")
TIMED_TARGETS = ("ms_cpu_per_10k_words", "training_seconds_10k_works")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Forty synthetic labelled works, ten of each rating."""
    return write_labelled(tmp_path_factory.mktemp("labelled"))


@pytest.fixture(scope="module")
def twice(folder):
    """A 4-fold cross-validation repeated with two splits (seeds 0 and 1)."""
    return cross_validate(folder, folds=4, curve=(), repeats=2)


def _untimed(result):
    out = {k: v for k, v in result.items() if k not in TIMED}
    out["targets"] = {k: v for k, v in out["targets"].items() if k not in TIMED_TARGETS}
    return out


def test_one_repeat_is_todays_output(folder):
    """`repeats=1` gives the same keys and the same figures as a call without it, and
    no `repeated` or `intervals` object."""
    plain = cross_validate(folder, folds=4, curve=(20,))
    once = cross_validate(folder, folds=4, curve=(20,), repeats=1)
    assert set(once) == set(plain)
    assert "repeated" not in once and "intervals" not in once
    assert _untimed(once) == _untimed(plain)
    for part in ("speed", "training"):
        assert set(once[part]) == set(plain[part])


def test_repeats_one_on_the_command_line_keeps_the_keys(folder, capsys):
    """`bench suggest --repeats 1 --json` prints exactly the keys of the plain command."""
    call_command("bench", "suggest", "--labelled", str(folder), "--folds", "2", "--json")
    plain = json.loads(capsys.readouterr().out)
    call_command(
        "bench", "suggest", "--labelled", str(folder), "--folds", "2", "--repeats", "1", "--json"
    )
    once = json.loads(capsys.readouterr().out)
    assert set(once) == set(plain)
    assert _untimed({k: v for k, v in once.items() if k != "suggest_cpu"}) == _untimed(
        {k: v for k, v in plain.items() if k != "suggest_cpu"}
    )


def test_two_repeats_use_two_different_splits(folder, monkeypatch):
    """The second repeat splits with seed 1: its folds differ from the first's."""
    works = read_labelled(folder)
    assert splits(works, 4, 0) != splits(works, 4, 1)
    seeds = []
    real = crossval.splits

    def recording(works, folds, seed=0):
        seeds.append((folds, seed))
        return real(works, folds, seed)

    monkeypatch.setattr(crossval, "splits", recording)
    cross_validate(folder, folds=4, curve=(), repeats=2)
    assert seeds.count((4, 0)) == 1 and seeds.count((4, 1)) == 1


def test_aggregate_is_over_the_repeats(twice):
    """The first repeat's values are the result's own figures; mean, sd, min and max
    are those of the per-repeat values."""
    repeated = twice["repeated"]
    assert repeated["repeats"] == 2 and repeated["folds"] == 4 and repeated["seeds"] == [0, 1]
    first = headline(twice)
    for name in HEADLINE:
        entry = repeated[name]
        assert len(entry["values"]) == 2
        assert entry["values"][0] == first[name]
        known = [v for v in entry["values"] if v is not None]
        if not known:
            continue
        assert entry["mean"] == pytest.approx(statistics.fmean(known), abs=1e-4)
        assert entry["min"] == min(known) and entry["max"] == max(known)
        assert entry["std"] == pytest.approx(statistics.stdev(known), abs=1e-4)
    target = repeated["targets"]["rating_exact"]
    assert target["met_in_repeats"] == sum(v >= 0.8 for v in repeated["rating_exact"]["values"])


def test_intervals_contain_their_point_figures(twice):
    """Each bootstrap interval holds the first split's own figure, which is the
    result's figure."""
    intervals = twice["intervals"]
    assert intervals["works"] == 40 and intervals["resamples"] == 2000
    first = headline(twice)
    for name, b in intervals["figures"].items():
        if b["value"] is None:
            continue
        assert b["value"] == pytest.approx(first[name], abs=1e-3), name
        assert b["low"] <= b["value"] <= b["high"], name


def test_bootstrap_on_known_counts():
    """On counts whose figure is known the interval is about it, narrower with more
    works, and the same on every run (fixed seed)."""
    rated, exact = COLUMNS.index("rated"), COLUMNS.index("exact")

    def rows(n):
        out = np.zeros((n, len(COLUMNS)), dtype=int)
        out[:, rated] = 1
        out[: n * 3 // 5, exact] = 1  # 60% exact
        return out

    small = bootstrap_intervals(rows(50))["figures"]["rating_exact"]
    large = bootstrap_intervals(rows(1000))["figures"]["rating_exact"]
    assert small["value"] == large["value"] == 0.6
    assert small["low"] < 0.6 < small["high"]
    assert large["high"] - large["low"] < small["high"] - small["low"]
    assert bootstrap_intervals(rows(50))["figures"]["rating_exact"] == small
    # A figure with no work to say it (no category on any work) has no interval.
    assert bootstrap_intervals(rows(50))["figures"]["category_exact"]["value"] is None


def test_figures_of_follow_the_tallies():
    """Precision with nothing proposed is 1.0 (as `Tally` says), a ratio over nothing
    is undefined."""
    sums = np.zeros(len(COLUMNS))
    out = figures_of(sums)
    assert out["explicit_precision"] == 1.0 and np.isnan(out["rating_exact"])


def test_zero_repeats_is_a_one_line_error(folder):
    """`--repeats 0` is refused before any work is read."""
    with pytest.raises(CommandError, match="--repeats must be at least 1"):
        call_command("bench", "suggest", "--labelled", str(folder), "--repeats", "0")
    with pytest.raises(ValueError, match="--repeats"):
        cross_validate(folder, repeats=0)


def test_zero_repeats_exits_non_zero(folder, tmp_path):
    """From the console script: exit status not zero, one line on stderr."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["FICARCHIVE_HOME"] = str(tmp_path)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[3])
    done = subprocess.run(
        [sys.executable, "-c", "from ficarchive.cli import main; main()", "bench", "suggest"]
        + ["--labelled", str(folder), "--repeats", "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines[-1].endswith("--repeats must be at least 1.")
    assert "Traceback" not in done.stderr


def test_text_report_shows_the_spread(folder, capsys):
    """The text report lists each figure's spread over the repeats and the targets."""
    call_command("bench", "suggest", "--labelled", str(folder), "--folds", "2", "--repeats", "2")
    out = capsys.readouterr().out
    assert "over 2 repeats of 2-fold cross-validation (seeds 0, 1)" in out
    assert "rating_within_one" in out and "met in" in out


def test_repeats_need_a_labelled_folder(monkeypatch):
    """Without a labelled folder (the development set's report) `--repeats 2` is a
    one-line error, not silently ignored."""
    from ficarchive.suggest import labelled

    monkeypatch.setattr(labelled, "default_labelled_dir", lambda: None)
    with pytest.raises(CommandError, match="--repeats needs a labelled folder"):
        call_command("bench", "suggest", "--repeats", "2")
