"""generx's trained artifacts: the spaCy pipeline, the compiled lexicons and the relation classifier.

They ship inside the package (a wheel carries them as package data), so an installed generx needs no
checkout and no download. ``GENERX_MODELS`` points generx at another copy (the Docker image uses it).
The scripts beside this file rebuild each artifact from ``../shared/data`` (``make models``).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGED = Path(__file__).parent


def models_dir() -> Path:
    """Where the artifacts are read from: ``GENERX_MODELS`` if set, else the packaged copy."""
    return Path(os.environ.get("GENERX_MODELS") or PACKAGED)
