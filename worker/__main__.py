"""``python -m generx.worker``: the ``generx`` command without an installed console script."""

from generx.worker.cli import app

app(prog_name="generx")
