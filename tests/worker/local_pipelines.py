"""Stand-in pipelines for the tests of ``generx extract -j`` (worker/local.py) and of job options, named
by loader spec."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from tests.fixtures_services import load_stub_pipeline

# The file each load of load_counted_pipeline appends its process id to.
LOAD_LOG = "GENERX_TEST_LOAD_LOG"
# The file each load of load_optioned_pipeline appends the options it was given to (a JSON object a line).
OPTIONS_LOG = "GENERX_TEST_OPTIONS_LOG"
OPTIONED_LOADER = "tests.worker.local_pipelines:load_optioned_pipeline"
# The stand-in's own threshold: its hedged relations (confidence 0.6) fall below it, the others (0.9) not.
STUB_THRESHOLD = 0.7


def load_counted_pipeline() -> Language:
    """The stand-in pipeline; each load writes the loading process's id to the file LOAD_LOG names."""
    with open(os.environ[LOAD_LOG], "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()}\n")
    return load_stub_pipeline()


class _DyingTokenizer:
    """The stand-in's tokenizer, except that "DIE" in a statement ends its process at once, as the
    system's out-of-memory killer or a crash in native code would."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Any:
        if "DIE" in text:
            os._exit(3)
        return self.tokenizer(text)


def load_dying_pipeline() -> Language:
    """The stand-in pipeline, whose process dies on a statement with "DIE" in it."""
    nlp = load_stub_pipeline()
    nlp.tokenizer = _DyingTokenizer(nlp.tokenizer)
    return nlp


@Language.factory("generx_test_min_confidence", default_config={"min_confidence": STUB_THRESHOLD})
def make_min_confidence(nlp: Language, name: str, min_confidence: float) -> Callable[[Doc], Doc]:
    """Drop the stand-in's relations below ``min_confidence``, as generx's relation model does."""

    def keep_confident(doc: Doc) -> Doc:
        doc._.relations = [r for r in doc._.relations if r.to_record(doc)["confidence"] >= min_confidence]
        return doc

    return keep_confident


def load_optioned_pipeline(*, min_confidence: float | None = None, convention: str | None = None) -> Language:
    """The stand-in pipeline with the options of generx's own loader: it reports the relations at or above
    ``min_confidence`` (default STUB_THRESHOLD), and writes what it was given to the file OPTIONS_LOG names
    (the stand-in has no conventions to follow)."""
    with open(os.environ[OPTIONS_LOG], "a", encoding="utf-8") as log:
        log.write(json.dumps({"min_confidence": min_confidence, "convention": convention}) + "\n")
    nlp = load_stub_pipeline()
    threshold = STUB_THRESHOLD if min_confidence is None else min_confidence
    nlp.add_pipe("generx_test_min_confidence", config={"min_confidence": threshold})
    return nlp
