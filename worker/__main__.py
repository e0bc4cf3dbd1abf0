"""``python -m worker``: the ``generx`` command without an installed console script."""

from worker.cli import app

app(prog_name="generx")
