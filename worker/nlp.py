"""Where the worker gets its pipeline: one load per process, through a loader named in the settings.

``GENERX_PIPELINE_LOADER`` ("module:function", default ``generx.pipelines.extract:load_pipeline``) names a
function that takes no arguments and returns a spaCy ``Language``; tests point it at a small stand-in.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import logging
import time
from functools import cache
from typing import Any

from generx.worker.errors import ConfigurationError

log = logging.getLogger(__name__)

_loaded: dict[str, Any] = {}


def resolve_loader(spec: str) -> Any:
    """The function a "module:function" spec names; ConfigurationError when it cannot be found."""
    module_name, _, function_name = spec.partition(":")
    if not module_name or not function_name:
        raise ConfigurationError(f"pipeline loader {spec!r} is not of the form module:function")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, function_name)
    except (ImportError, AttributeError) as err:
        raise ConfigurationError(f"cannot import pipeline loader {spec!r}: {err}") from err


def get_nlp(spec: str, **options: Any) -> Any:
    """The pipeline ``spec`` loads with ``options`` (keyword arguments of the loader), loaded once per
    process and kept."""
    key = f"{spec} {sorted(options.items())}"
    if key not in _loaded:
        started = time.perf_counter()
        _loaded[key] = resolve_loader(spec)(**options)
        log.info("loaded pipeline %s in %.1f s", spec, time.perf_counter() - started)
    return _loaded[key]


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


def tidy() -> None:
    """Between two chunks: bound the caches of every pipeline loaded here, and give the memory they and
    the chunk's Docs freed back to the system."""
    for nlp in _loaded.values():
        bound_caches(nlp)
    release_memory()


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
