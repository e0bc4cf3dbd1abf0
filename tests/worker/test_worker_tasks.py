"""The worker's chunk runner, apart from Celery: batches bounded in statements and characters, outcomes
the same as in-process extraction, and the heap handed back between chunks."""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
import spacy

from generx.pipelines.extract import extract
from generx.pipelines.memory import bound_caches, keep_words, release_memory
from generx.pipelines.statements import Statement
from generx.worker import nlp as nlp_module
from generx.worker.errors import ConfigurationError
from generx.worker.nlp import get_nlp
from generx.worker.store import NewStatement, PipelineOptions
from generx.worker.tasks import batches, run_chunk
from tests.fixtures_services import STUB_LOADER, STUB_STATEMENTS, load_stub_pipeline
from tests.worker.local_pipelines import OPTIONED_LOADER, OPTIONS_LOG


def chunk(lengths: list[int]) -> list[tuple[int, NewStatement]]:
    return [(seq, NewStatement(f"s{seq}", "x" * length)) for seq, length in enumerate(lengths)]


def sizes(todo: list[tuple[int, NewStatement]], *, size: int, chars: int) -> list[list[int]]:
    return [[seq for seq, _ in batch] for batch in batches(todo, size=size, chars=chars)]


def test_batches_stop_at_the_count_or_the_characters_whichever_comes_first() -> None:
    assert sizes(chunk([10] * 7), size=3, chars=1000) == [[0, 1, 2], [3, 4, 5], [6]]
    assert sizes(chunk([40, 40, 40, 10, 90]), size=64, chars=100) == [[0, 1], [2, 3], [4]]


def test_a_statement_longer_than_the_character_budget_is_a_batch_of_its_own() -> None:
    assert sizes(chunk([5, 500, 5, 5]), size=64, chars=100) == [[0], [1], [2, 3]]
    assert sizes(chunk([]), size=64, chars=100) == []


def test_run_chunk_gives_what_in_process_extraction_gives() -> None:
    nlp = load_stub_pipeline()
    texts = [STUB_STATEMENTS[i % len(STUB_STATEMENTS)] for i in range(40)]
    todo = [(seq, NewStatement(f"s{seq}", text, gene="IL2")) for seq, text in enumerate(texts)]
    outcomes, timed_out = run_chunk(nlp, todo, batch_size=64, batch_chars=120)
    expected = list(extract(nlp, [Statement(id=f"s{i}", text=t, gene="IL2") for i, t in enumerate(texts)]))
    assert not timed_out
    assert [o.seq for o in outcomes] == list(range(40))
    assert [o.relations for o in outcomes] == [r.relations for r in expected]
    assert [o.error for o in outcomes] == [r.error for r in expected]
    assert any(o.error for o in outcomes) and any(o.relations for o in outcomes)


def test_words_met_in_a_batch_are_kept_past_its_memory_zone_up_to_the_bound() -> None:
    nlp = spacy.blank("en")
    with nlp.memory_zone():
        nlp("IL-2 binds IL2RA")
    assert "IL2RA" not in nlp.vocab  # met only inside a zone: spaCy let it go
    assert keep_words(nlp, ["IL-2 binds IL2RA", "IL2RA binds IL-2 (CD25)"], most=4) == 4
    with nlp.memory_zone():
        tokens = [token.text for token in nlp("IL2RA binds IL-2 (CD25)")]
    assert tokens == ["IL2RA", "binds", "IL-2", "(", "CD25", ")"]
    assert all(word in nlp.vocab for word in ("IL-2", "binds", "IL2RA", "CD25"))
    assert keep_words(nlp, ["STAT5 binds"], most=4) == 4 and "STAT5" not in nlp.vocab


def test_extraction_keeps_the_words_it_met() -> None:
    nlp = load_stub_pipeline()
    text = STUB_STATEMENTS[0]
    with nlp.memory_zone():
        words = [token.text for token in nlp.make_doc(text)]
    assert not all(word in nlp.vocab for word in words)
    list(extract(nlp, [Statement(id="s0", text=text)]))
    assert all(word in nlp.vocab for word in words)


def test_memory_is_handed_back_on_linux() -> None:
    assert release_memory() is True


def test_the_lemmatizer_cache_is_emptied_once_past_its_bound() -> None:
    nlp = spacy.blank("en")
    cache = nlp.add_pipe("lemmatizer", config={"mode": "lookup"}).cache
    cache.update({(orth, 0, 0): [f"w{orth}"] for orth in range(20)})
    assert bound_caches(nlp, entries=50) == 0 and len(cache) == 20
    assert bound_caches(nlp, entries=10) == 20 and not cache


@pytest.fixture
def options_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The file the optioned stand-in logs its loads to; no pipeline loaded yet in this process."""
    monkeypatch.setattr(nlp_module, "_loaded", OrderedDict())
    log = tmp_path / "options.log"
    monkeypatch.setenv(OPTIONS_LOG, str(log))
    return log


def loads(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_a_pipeline_is_loaded_once_per_set_of_options(options_log: Path) -> None:
    plain = get_nlp(OPTIONED_LOADER)
    # A job without options asks for what a worker always loaded: the same pipeline, not a second one.
    assert get_nlp(OPTIONED_LOADER, **PipelineOptions().loader_kwargs()) is plain
    options = PipelineOptions(min_confidence=0.5, convention="genia").loader_kwargs()
    recall = get_nlp(OPTIONED_LOADER, **options)
    assert recall is not plain and get_nlp(OPTIONED_LOADER, **options) is recall
    assert loads(options_log) == [
        {"min_confidence": None, "convention": None},
        {"min_confidence": 0.5, "convention": "genia"},
    ]


def test_the_pipelines_kept_are_bounded_the_least_recently_used_let_go(
    options_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nlp_module, "MAX_PIPELINES", 2)
    plain = get_nlp(OPTIONED_LOADER)
    get_nlp(OPTIONED_LOADER, min_confidence=0.5)
    assert get_nlp(OPTIONED_LOADER) is plain  # used last now
    get_nlp(OPTIONED_LOADER, min_confidence=0.3)  # lets 0.5 go
    assert get_nlp(OPTIONED_LOADER) is plain
    get_nlp(OPTIONED_LOADER, min_confidence=0.5)  # loaded again
    assert [load["min_confidence"] for load in loads(options_log)] == [None, 0.5, 0.3, 0.5]


def test_a_loader_that_takes_no_options_is_named_when_given_some(options_log: Path) -> None:
    with pytest.raises(ConfigurationError) as refused:
        get_nlp(STUB_LOADER, min_confidence=0.5, convention="genia")
    assert str(refused.value) == (
        f"pipeline loader {STUB_LOADER!r} does not take the options convention, min_confidence: "
        "got an unexpected keyword argument 'min_confidence'"
    )
    assert get_nlp(STUB_LOADER) is get_nlp(STUB_LOADER)  # without options it loads as ever
