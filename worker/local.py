"""``generx extract -j N``: the pipeline in N processes of this machine, results in input order.

Each process loads the pipeline once (through the loader GENERX_PIPELINE_LOADER names) and takes
batches of statements; at most two batches per process are in flight, so memory stays flat whatever
the size of the input.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.pool import AsyncResult
from typing import Any

from generx.pipelines.extract import StatementResult
from generx.pipelines.statements import Statement

_nlp: Any = None


def _load(loader: str, options: dict[str, Any]) -> None:
    global _nlp
    from generx.worker.nlp import get_nlp

    _nlp = get_nlp(loader, **options)


def _run(batch: list[Statement], batch_size: int) -> list[StatementResult]:
    from generx.pipelines.extract import extract

    return list(extract(_nlp, batch, batch_size=batch_size))


def extract_parallel(
    loader: str,
    statements: Iterable[Statement],
    *,
    processes: int,
    batch_size: int = 64,
    options: dict[str, Any] | None = None,
) -> Iterator[StatementResult]:
    """Yield one StatementResult per statement, in input order, computed in ``processes`` processes;
    ``options`` are passed to the loader.

    The processes are spawned (not forked): each starts clean and loads the pipeline itself.
    """
    context = multiprocessing.get_context("spawn")
    iterator = iter(statements)
    with context.Pool(processes, initializer=_load, initargs=(loader, options or {})) as pool:
        in_flight: deque[AsyncResult[list[StatementResult]]] = deque()
        while True:
            while len(in_flight) < 2 * processes and (batch := list(itertools.islice(iterator, batch_size))):
                in_flight.append(pool.apply_async(_run, (batch, batch_size)))
            if not in_flight:
                return
            yield from in_flight.popleft().get()
