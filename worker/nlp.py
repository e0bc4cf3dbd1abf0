"""Where the worker gets its pipeline: one load per process, through a loader named in the settings.

``GENERX_PIPELINE_LOADER`` ("module:function", default ``generx.pipelines.extract:load_pipeline``) names a
function that returns a spaCy ``Language``; tests point it at a small stand-in. It is called with no
arguments, or with the keyword options a job or the command line sets (``min_confidence``,
``convention``), which a loader must then take.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import time
from collections import OrderedDict
from typing import Any

from generx.pipelines.memory import bound_caches, release_memory
from generx.worker.errors import ConfigurationError

log = logging.getLogger(__name__)

# Pipelines kept per process, the least recently used let go first: each job may name its own options,
# and each set of options is a pipeline of its own (some 65 MB past the first), so jobs with many
# different thresholds must not take a worker's memory.
MAX_PIPELINES = 4

_loaded: OrderedDict[str, Any] = OrderedDict()


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
    process and kept (the MAX_PIPELINES used last). ConfigurationError when the loader does not take
    the options."""
    key = f"{spec} {sorted(options.items())}"
    if key in _loaded:
        _loaded.move_to_end(key)
        return _loaded[key]
    loader = resolve_loader(spec)
    try:
        inspect.signature(loader).bind(**options)
    except TypeError as err:  # checked here: a TypeError raised inside the loader is its own
        raise ConfigurationError(
            f"pipeline loader {spec!r} does not take the options {', '.join(sorted(options))}: {err}"
        ) from err
    started = time.perf_counter()
    nlp = loader(**options)
    elapsed = time.perf_counter() - started
    log.info("loaded pipeline %s with %s in %.1f s", spec, options or "its defaults", elapsed)
    _loaded[key] = nlp
    while len(_loaded) > MAX_PIPELINES:
        _loaded.popitem(last=False)
    return nlp


def tidy() -> None:
    """Between two chunks: bound the caches of every pipeline loaded here, and give the memory they and
    the chunk's Docs freed back to the system."""
    for nlp in _loaded.values():
        bound_caches(nlp)
    release_memory()
