"""Where the worker gets its pipeline: one load per process, through a loader named in the settings.

``GENERX_PIPELINE_LOADER`` ("module:function", default ``generx.pipelines.extract:load_pipeline``) names a
function that takes no arguments and returns a spaCy ``Language``; tests point it at a small stand-in.
"""

from __future__ import annotations

import importlib
import logging
import time
from typing import Any

from generx.pipelines.memory import bound_caches, release_memory
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


def tidy() -> None:
    """Between two chunks: bound the caches of every pipeline loaded here, and give the memory they and
    the chunk's Docs freed back to the system."""
    for nlp in _loaded.values():
        bound_caches(nlp)
    release_memory()
