"""Suggestion speed."""

from ficarchive.suggest.engine import time_per_10k_words
from ficarchive.suggest.evaluation import load_lexicon


def test_speed_is_measured():
    """Speed is measured per 10,000 words (the figure goes in docs/benchmarks.md; a shared
    machine's timing is never asserted)."""
    paragraph = (
        "Anna walked to the market with her brother, and they argued about the price of apples. "
        "It was raining; the stalls were crowded and a dog barked at a passing cart. "
    ) * 20
    result = time_per_10k_words([[paragraph] * 16], load_lexicon(), repeat=2)
    assert result["words"] > 9000
    print(f"{result['ms_per_10k_words']} ms per 10,000 words")
    assert result["ms_per_10k_words"] > 0


def test_cues_found_alike_in_any_case():
    """The cue scan of lowercased text finds the spans the case-insensitive scan finds,
    at the same offsets (a trailing letter whose lowercase is longer forces the
    case-insensitive path on the same text)."""
    from ficarchive.suggest.cues import find_cues

    text = (
        "He KISSED her and she Moaned; later the Guard STABBED him and blood ran. "
        "They Made Love that night. He was Killed in the war."
    )
    fast = find_cues(text)
    slow = find_cues(text + " İ")
    assert fast and [(h.family, h.start, h.end, h.weight) for h in fast] == [
        (h.family, h.start, h.end, h.weight) for h in slow
    ]


def test_cpu_figures_of_a_labelled_folder(tmp_path):
    """`bench suggest`'s CPU figures: labelled works and one long generated work, in
    CPU milliseconds per 10,000 words, with the load average."""
    from ficarchive.suggest.speed import generated_long_work, suggest_cpu

    from .labelled_factory import write_labelled

    chapters = generated_long_work(None, words=12_000)
    assert len(chapters) == 3 and sum(len(c.split()) for c in chapters) == 12_000
    result = suggest_cpu(write_labelled(tmp_path / "l"), None, long_words=6_000)
    assert result["labelled"]["works"] == 40 and result["labelled"]["words"] > 0
    assert result["long_work"]["words"] == 6_000
    assert result["ms_cpu_per_10k_words"] == result["labelled"]["ms_cpu_per_10k_words"] > 0
    assert "load_average" in result


def test_bench_suggest_json_reports_cpu_per_10k_words(tmp_path, capsys):
    """`bench suggest --labelled DIR --json` keeps its keys and adds ``suggest_cpu``."""
    import json

    from django.core.management import call_command

    from .labelled_factory import write_labelled

    folder = write_labelled(tmp_path / "l")
    call_command("bench", "suggest", "--labelled", str(folder), "--folds", "2", "--json")
    data = json.loads(capsys.readouterr().out.strip())
    assert data["speed"]["ms_cpu_per_10k_words"] > 0  # the cross-validation's, kept
    cpu = data["suggest_cpu"]
    assert cpu["ms_cpu_per_10k_words"] == cpu["labelled"]["ms_cpu_per_10k_words"] > 0
    assert cpu["long_work"]["words"] > 0 and cpu["target_ms"] == 50.0
