"""``generx extract -j N``: the pipeline in N processes of this machine, results in input order.

Where the platform can fork (Linux and the other POSIX systems but macOS), the pipeline is loaded once,
in this process, and the N processes are forked from it: they start at once, without loading anything,
and share the loaded pipeline's memory pages copy-on-write. ``gc.freeze()`` before the fork moves the
pipeline's objects out of the collector's reach, so that a collection in a child does not write to (and
so copy) every page that holds them. Where it cannot (Windows; macOS, where forking a process that has
loaded system frameworks is unsafe), the processes are spawned and each loads the pipeline itself.

Statements go out in batches; at most two batches per process are in flight, so memory stays flat
whatever the size of the input. Each process runs ``generx.pipelines.extract.extract``, as ``-j 1``
does in-process, so a statement the pipeline fails on gets its error and costs only itself.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any

from generx.pipelines.errors import GenerxError
from generx.pipelines.extract import StatementResult
from generx.pipelines.statements import Statement

# The pipeline of a pipeline process: inherited from the parent when forked, loaded by _load when spawned.
_nlp: Any = None


class PipelineProcessDied(GenerxError, RuntimeError):
    """A pipeline process of ``extract -j`` ended without returning its batch (killed by the system,
    a crash in native code) or could not load the pipeline."""


def can_fork() -> bool:
    """Whether the pipeline processes can be forked from this one (the default where it is safe)."""
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the run; the children finish their batch
    # rather than each printing a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _load(loader: str, options: dict[str, Any]) -> None:
    global _nlp
    from generx.worker.nlp import get_nlp

    _ignore_interrupt()
    _nlp = get_nlp(loader, **options)


def _run(batch: list[Statement], batch_size: int) -> list[StatementResult]:
    from generx.pipelines.extract import extract

    return list(extract(_nlp, batch, batch_size=batch_size))


def _started() -> None:
    """The first task of a pool: submitting it starts the processes."""


class PipelineProcesses:
    """N pipeline processes, started on entering (``with``) and stopped on leaving.

    ``start_method`` is "fork" or "spawn"; the default is "fork" where ``can_fork()``. With "fork" the
    pipeline is loaded in this process on entering, so a loader that fails raises here, as in-process.
    """

    def __init__(
        self,
        loader: str,
        *,
        processes: int,
        options: dict[str, Any] | None = None,
        start_method: str | None = None,
    ) -> None:
        self.loader = loader
        self.processes = processes
        self.options = options or {}
        self.start_method = start_method or ("fork" if can_fork() else "spawn")
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> PipelineProcesses:
        global _nlp
        context = multiprocessing.get_context(self.start_method)
        if self.start_method != "fork":
            self._executor = ProcessPoolExecutor(
                self.processes, mp_context=context, initializer=_load, initargs=(self.loader, self.options)
            )
            return self
        from generx.worker.nlp import get_nlp

        _nlp = get_nlp(self.loader, **self.options)
        executor = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_ignore_interrupt)
        # What is garbage now is collected once here rather than in every child; the rest is frozen.
        gc.collect()
        gc.freeze()
        try:
            # The first submission forks all the processes, before the pool's own threads start (and
            # before the caller starts any, such as a progress bar's): a child never inherits a lock
            # held by a thread that does not exist in it.
            executor.submit(_started)
        finally:
            gc.unfreeze()  # the children keep their frozen copy; this process collects as before
        self._executor = executor
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._executor is not None:
            # Batches not begun are dropped; those running finish (a few seconds at most).
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def extract(self, statements: Iterable[Statement], *, batch_size: int = 64) -> Iterator[StatementResult]:
        """Yield one StatementResult per statement, in input order; PipelineProcessDied when a process
        is lost (the run cannot go on without its batch)."""
        if self._executor is None:
            raise RuntimeError("PipelineProcesses.extract outside its with block")
        executor = self._executor
        iterator = iter(statements)
        in_flight: deque[Future[list[StatementResult]]] = deque()
        while True:
            while len(in_flight) < 2 * self.processes and (
                batch := list(itertools.islice(iterator, batch_size))
            ):
                try:
                    in_flight.append(executor.submit(_run, batch, batch_size))
                except BrokenProcessPool as err:
                    raise _died(err) from err
            if not in_flight:
                return
            try:
                results = in_flight.popleft().result()
            except BrokenProcessPool as err:
                raise _died(err) from err
            yield from results


def _died(err: BrokenProcessPool) -> PipelineProcessDied:
    return PipelineProcessDied(
        f"a pipeline process ended before returning its batch (killed by the system, a crash, or a "
        f"pipeline that cannot load): {err}"
    )


def extract_parallel(
    loader: str,
    statements: Iterable[Statement],
    *,
    processes: int,
    batch_size: int = 64,
    options: dict[str, Any] | None = None,
    start_method: str | None = None,
) -> Iterator[StatementResult]:
    """Yield one StatementResult per statement, in input order, computed in ``processes`` processes;
    ``options`` are passed to the loader. The processes start with the first result asked for and stop
    when the generator ends or is closed."""
    with PipelineProcesses(loader, processes=processes, options=options, start_method=start_method) as pool:
        yield from pool.extract(statements, batch_size=batch_size)
