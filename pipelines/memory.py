"""Memory a long run gives back: spaCy's lemma cache bounded, the C heap's free pages returned.

``generx extract`` does both after each batch and a worker after each chunk, so that memory stays flat in
the number of statements read.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any

# The most entries a pipeline's lemmatizer keeps in its cache between chunks. spaCy's rule lemmatizer
# caches the forms of every (word, tag, morphology) it meets and never lets go: some 3,000 new entries
# (about 1 MB) per 1,000 RefSeq summaries still after the first 2,000, without end on a long-lived worker.
LEMMA_CACHE_ENTRIES = 10_000


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
