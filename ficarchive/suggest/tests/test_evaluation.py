"""The labelled development set meets the issue's targets."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from ficarchive.suggest.evaluation import (
    SHARED_DATA,
    load_items,
    read_ao3_html,
    run_suggest_benchmark,
)


@pytest.fixture(scope="module")
def result():
    """One benchmark run shared by the tests below."""
    return run_suggest_benchmark(timing_repeat=1)


def test_shipped_texts_always_evaluate(tmp_path):
    """Without the shared data folder the shipped texts are still scored, with a note."""
    items, missing = load_items(tmp_path)
    assert items and all(i.source.startswith("text:") for i in items)
    assert missing
    got = run_suggest_benchmark(tmp_path, timing_repeat=1)
    assert "shared data not found" in got["skipped"]
    assert got["rating_within_one"] >= 0.95
    assert got["kinds"]["characters"]["recall"] >= 0.9


def test_targets_met_on_development_set(result):
    """Rating and character targets hold on the whole set (speed is a benchmark figure,
    recorded in docs/benchmarks.md, never asserted)."""
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data absent at {SHARED_DATA}")
    t = result["targets"]
    for name in ("rating_exact", "rating_within_one", "characters_recall", "characters_precision"):
        assert t[name]["met"], (name, t[name])
    assert result["ms_per_10k_words"] > 0


def test_ao3_labels_are_read_from_the_file():
    """The author's tags of an AO3 download become the gold labels."""
    path = SHARED_DATA / "ao3-downloads" / "23009290-htmlTest.html"
    if not path.exists():
        pytest.skip("shared data absent")
    chapters, gold = read_ao3_html(path)
    assert gold["rating"] == "Teen And Up Audiences"
    assert gold["relationships"] == ["Honoroit Banlardois/Emmanellain de Fortemps"]
    assert len(chapters) == 1 and "Their contact was late" in chapters[0]


def test_bench_command_prints_one_json_line(capsys):
    """bench_suggest --json prints exactly one JSON object on one line."""
    call_command("bench_suggest", "--json")
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    data = json.loads(out[0])
    assert {"kinds", "rating_confusion", "ms_per_10k_words", "targets"} <= set(data)


def test_labels_file_names_only_existing_texts():
    """Every shipped text the labels name exists."""
    labels = json.loads(
        (Path(__file__).resolve().parent.parent / "evalset" / "labels.json").read_text()
    )
    for item in labels["items"]:
        if item["source"].startswith("text:"):
            assert (
                Path(__file__).resolve().parent.parent / "evalset" / "texts" / item["source"][5:]
            ).exists()
