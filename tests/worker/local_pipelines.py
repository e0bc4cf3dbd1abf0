"""Stand-in pipelines for the tests of ``generx extract -j`` (worker/local.py), named by loader spec."""

from __future__ import annotations

import os
from typing import Any

from spacy.language import Language

from tests.fixtures_services import load_stub_pipeline

# The file each load of load_counted_pipeline appends its process id to.
LOAD_LOG = "GENERX_TEST_LOAD_LOG"


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
