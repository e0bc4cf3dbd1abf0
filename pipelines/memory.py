"""Memory a long run gives back: spaCy's lemma cache bounded, the C heap's free pages returned; and the
bounded set of words it keeps so that each batch need not tokenize them afresh.

``generx extract`` does all three after each batch and a worker bounds and returns after each chunk, so
that memory stays flat in the number of statements read.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import weakref
from collections.abc import Iterable
from functools import cache
from typing import Any

# The most entries a pipeline's lemmatizer keeps in its cache between chunks. spaCy's rule lemmatizer
# caches the forms of every (word, tag, morphology) it meets and never lets go: some 3,000 new entries
# (about 1 MB) per 1,000 RefSeq summaries still after the first 2,000, without end on a long-lived worker.
LEMMA_CACHE_ENTRIES = 10_000
# The most words a pipeline keeps for good between batches. spaCy keeps no lexeme and caches no
# tokenization for a word first met inside a memory zone, so every batch would otherwise split and build
# each of its words afresh (about a tenth of `generx extract`'s time on the GENIA test sentences). The
# first words met are kept, up to this many (under 1 MB): the frequent words of the field come early.
KEPT_WORDS = 20_000
_kept: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def bound_caches(nlp: Any, entries: int = LEMMA_CACHE_ENTRIES) -> int:
    """Empty the lemmatizer caches of ``nlp`` that hold more than ``entries``; how many entries went.

    The cache only saves recomputing a lemma from its rules, so emptying it changes no result.
    """
    from spacy.pipeline import Lemmatizer

    dropped = 0
    for _, component in getattr(nlp, "pipeline", ()):
        if isinstance(component, Lemmatizer) and len(component.cache) > entries:
            dropped += len(component.cache)
            component.cache.clear()
    return dropped


def keep_words(nlp: Any, texts: Iterable[str], most: int = KEPT_WORDS) -> int:
    """Tokenize the words (whitespace-separated) of ``texts`` outside any memory zone, so that spaCy keeps
    their lexemes and caches their tokenization, until ``nlp`` keeps ``most``; how many it keeps now.

    spaCy tokenizes each such word on its own, so a cached one is split as it would be afresh.
    """
    kept = _kept.setdefault(nlp, set())
    for text in texts:
        if len(kept) >= most:
            break
        for word in text.split():
            if word not in kept and len(kept) < most:
                kept.add(word)
                nlp.tokenizer(word)
    return len(kept)


@cache
def _malloc_trim() -> Any:
    # glibc only (the Docker image's Debian has it); None on musl, macOS and Windows.
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


def release_memory() -> bool:
    """Hand the memory the C heap holds free back to the system; whether it could.

    Python frees a Doc's arrays and objects to the C allocator, which keeps the pages for later rather
    than return them: a worker's resident memory then drifts up by whatever its largest batch needed
    (tens of MB) and stays there. ``malloc_trim`` returns every free page, at the cost of a pass over
    the heap (3 to 7 ms with the trained pipeline, against some 3 s for a chunk of 100 statements).
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
