"""``generx extract -j N``: the pipeline in N processes of this machine, results in input order.

Where the platform can fork (Linux and the other POSIX systems but macOS), the pipeline is loaded once,
in this process, and the N processes are forked from it: they start at once, without loading anything,
and share the loaded pipeline's memory pages copy-on-write. ``gc.freeze()`` before the fork moves the
pipeline's objects out of the collector's reach, so that a collection in a child does not write to (and
so copy) every page that holds them. Where it cannot (Windows; macOS, where forking a process that has
loaded system frameworks is unsafe), the processes are spawned and each loads the pipeline itself.

Statements go out in batches; at most ``IN_FLIGHT_PER_PROCESS`` batches per process are in flight, so
memory stays flat whatever the size of the input (the results waiting for their turn to be written are
at most that many batches). Each process runs ``generx.pipelines.extract.extract``, as ``-j 1`` does
in-process, so a statement the pipeline fails on gets its error and costs only itself.

What the parent does per statement (read it, write its records) is a small fraction of a per cent of
what the pipeline does with it: the time ``-j N`` loses against N times ``-j 1`` is the processes
waiting, which the window and the small batches at the end of the input (``batches``) keep short.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
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

# Batches in flight per process. The results are written in input order, so the batch at the head of the
# queue holds back those after it: with a window of two per process, a process that ran through its
# batches (shorter statements, or the other process held back by the system) waited for the head one.
# Four keep it busy through a head batch three times the length of the others; the results held for
# their turn stay at most this many batches per process.
IN_FLIGHT_PER_PROCESS = 4

# The input's last statements go out in batches this many times smaller than the others: the processes
# then finish within a small batch of each other, rather than one waiting for the other's last full batch.
TAIL_SPLIT = 4


class PipelineProcessDied(GenerxError, RuntimeError):
    """A pipeline process of ``extract -j`` ended without returning its batch (killed by the system,
    a crash in native code) or could not load the pipeline."""


def can_fork() -> bool:
    """Whether the pipeline processes can be forked from this one (the default where it is safe)."""
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


# prctl's option that has the kernel send a process a signal when its parent ends (Linux).
_PR_SET_PDEATHSIG = 1


def _start_child(parent: int) -> None:
    """What a pipeline process does first."""
    # Ctrl-C reaches the whole process group: the parent stops the run; the children finish their batch
    # rather than each printing a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent killed outright (kill -9, the out-of-memory killer) cannot stop its pipeline processes,
    # which would then wait for a batch forever, each holding a pipeline's memory: where the kernel can
    # (Linux), it ends them when the parent ends (strictly, the thread that started them: the one that
    # entered the with block, which outlives them).
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # it ended before the request was made
            os._exit(1)


def _load(parent: int, loader: str, options: dict[str, Any]) -> None:
    global _nlp
    from generx.worker.nlp import get_nlp

    _start_child(parent)
    _nlp = get_nlp(loader, **options)


def _run(batch: list[Statement], batch_size: int) -> list[StatementResult]:
    from generx.pipelines.extract import extract

    return list(extract(_nlp, batch, batch_size=batch_size))


def batches(statements: Iterable[Statement], batch_size: int, processes: int) -> Iterator[list[Statement]]:
    """The statements in batches of ``batch_size``, in order, but for the last ``processes *
    batch_size`` or so, which go out in batches ``TAIL_SPLIT`` times smaller.

    The end of a stream is known only once reached: so many statements are read ahead of the batch
    given out, and when the input ends they are what is left.
    """
    iterator = iter(statements)
    ahead = batch_size + processes * batch_size
    buffer: deque[Statement] = deque()
    while True:
        buffer.extend(itertools.islice(iterator, ahead - len(buffer)))
        if len(buffer) < ahead:
            break
        yield [buffer.popleft() for _ in range(batch_size)]
    small = max(1, -(-batch_size // TAIL_SPLIT))
    while buffer:
        yield [buffer.popleft() for _ in range(min(small, len(buffer)))]


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
                self.processes,
                mp_context=context,
                initializer=_load,
                initargs=(os.getpid(), self.loader, self.options),
            )
            return self
        from generx.worker.nlp import get_nlp

        _nlp = get_nlp(self.loader, **self.options)
        executor = ProcessPoolExecutor(
            self.processes, mp_context=context, initializer=_start_child, initargs=(os.getpid(),)
        )
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
        todo = batches(statements, batch_size, self.processes)
        in_flight: deque[Future[list[StatementResult]]] = deque()
        while True:
            while len(in_flight) < IN_FLIGHT_PER_PROCESS * self.processes and (batch := next(todo, None)):
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
