"""Service throughput and memory: the same statements through Celery with 1 and 2 worker processes,
against in-process extraction; ``generx extract -j 2`` against ``-j 1``; memory per worker after the first
1,000 statements and at the end; peak memory of ``generx extract`` on 1,000 statements and on all.

    nice -n 10 .venv/bin/python benchmarks/service_throughput.py --json out.json            # all 15k
    nice -n 10 .venv/bin/python benchmarks/service_throughput.py --limit 600 --json out.json

Every ratio is taken against a baseline measured in the same invocation (``--only`` runs one half:
the service against in-process extraction, or ``extract -j 2`` against ``-j 1``). On a subset the
"first 1,000 statements" reading is taken at half the statements when there are fewer than 2,000.

Needs redis-server on PATH and the trained pipeline (or GENERX_PIPELINE_LOADER pointing at another
loader). Starts its own redis-server on a free port and uses a temporary SQLite file. The statements are
the NCBI RefSeq gene summaries (../shared/data/corpora/refseq_summaries, 15,149 paragraphs; ``--source
genia`` takes GENIA treebank sentences instead). The numbers are written to ``--json`` after each step,
so a run cut short still leaves what it measured.
Targets (issue 17): 1 worker >= 0.95x in-process; 2 workers >= 1.8x one; peak RSS per worker <= 400 MB
and flat from the first 1,000 statements to the last; ``extract -j 2`` >= 1.8x ``-j 1``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# The throwaway redis-server and worker processes of the test fixtures: the checkout's tests/ folder,
# which the installed package does not carry.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from tests.fixtures_services import RedisServer, WorkerProcess  # noqa: E402

# ../shared/data of the checkout (or of the folder holding the worktrees).
DATA = next((p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT.parent)
GENIA = DATA / "genia_treebank" / "sd" / "train.conllx.gz"
REFSEQ = DATA / "corpora" / "refseq_summaries" / "refseq_gene_summary_human.tsv.gz"


def refseq_summaries(count: int | None) -> list[tuple[str, str]]:
    """(NCBI Gene id, summary) of the first ``count`` RefSeq summaries with a gene id (all for None)."""
    rows: list[tuple[str, str]] = []
    with gzip.open(REFSEQ, "rt", encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 5 and fields[0].strip() and fields[4].strip():
                rows.append((f"NCBIGene:{fields[0]}", fields[4]))
                if count is not None and len(rows) == count:
                    break
    return rows


def genia_sentences(count: int) -> list[str]:
    """The first ``count`` sentences of the GENIA treebank's training part."""
    sentences: list[str] = []
    tokens: list[str] = []
    with gzip.open(GENIA, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                tokens.append(line.split("\t")[1])
            elif tokens:
                sentences.append(" ".join(tokens))
                tokens = []
                if len(sentences) == count:
                    break
    return sentences


def memory_mb(pid: int, field: str = "VmHWM") -> float:
    """A memory figure of a process in MB: VmHWM (peak resident) or VmRSS (resident now)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def pss_mb(pid: int) -> float:
    """The proportional set size of a process in MB: its private pages, and its share of the pages it
    shares with others (a forked child's copy-on-write pages count half to each of two processes)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pool_pids(parent: int) -> list[int]:
    """The pool processes (children) of a Celery worker."""
    out = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def in_process(path: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds ``generx extract`` takes over the file, pipeline loading excluded, and seconds the
    loading took (timed apart)."""
    code = (
        "import time,sys\n"
        "from generx.pipelines.extract import extract\n"
        "from generx.pipelines.statements import read_statements\n"
        "from generx.worker.nlp import get_nlp\n"
        "from generx.worker.settings import get_settings\n"
        "s=get_settings(); t=time.perf_counter(); nlp=get_nlp(s.pipeline_loader)\n"
        "load=time.perf_counter()-t; t=time.perf_counter()\n"
        f"items=(x for x in read_statements({str(path)!r}) if not isinstance(x, Exception))\n"
        "n=sum(len(r.relations) for r in extract(nlp, items, batch_size=s.batch_size))\n"
        "print(time.perf_counter()-t, n, load)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    seconds, relations, load = out.stdout.split()
    print(
        f"in-process: {float(seconds):.1f} s, {relations} relations (loading {float(load):.1f} s)", flush=True
    )
    return float(seconds), float(load)


def through_service(
    path: Path, env: dict[str, str], folder: Path, workers: int, window: int
) -> dict[str, Any]:
    """Seconds from submit to done, and the memory of each pool process: resident once the pipeline is
    loaded; the least and the most resident (read every half second) while the job's first ``window``
    statements were done, and while its last ``window`` were; at the end; the peak (VmHWM, loading
    included); and the worker's main process at the end. The least of a window is the memory between
    chunks, the most that and the working memory of a batch: flat means both are the same at the end as
    at the start."""
    from generx.worker import jobs

    process = WorkerProcess(env, folder / f"worker{workers}.log", concurrency=workers, name=f"bench{workers}")
    try:
        process.wait_ready(timeout=600)
        # Every pool process loads the pipeline as it starts: wait until each has (its RSS stops growing).
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            log = process.log.read_text(errors="replace")
            if log.count("loaded pipeline") >= workers:
                break
            time.sleep(1)
        time.sleep(1)  # the memory given back after loading
        pids = pool_pids(process.process.pid)
        loaded = [memory_mb(pid, "VmRSS") for pid in pids]
        first: list[list[float]] = [[] for _ in pids]
        last: list[list[float]] = [[] for _ in pids]
        started = time.perf_counter()
        job_id = jobs.submit_path(path)
        while True:
            current = jobs.status(job_id)
            now = [memory_mb(pid, "VmRSS") for pid in pids]
            if current.done < window:
                for readings, reading in zip(first, now, strict=True):
                    readings.append(reading)
            elif current.done >= current.total - window:
                for readings, reading in zip(last, now, strict=True):
                    readings.append(reading)
            if current.finished:
                break
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        print(
            f"{workers} worker(s): {seconds:.1f} s, {current.relations} relations, {current.errors} errors",
            flush=True,
        )

        def span(readings: list[list[float]]) -> list[list[int]]:
            return [[round(min(r)), round(max(r))] if r else [] for r in readings]

        result = {
            "seconds": round(seconds, 2),
            "relations": current.relations,
            "errors": current.errors,
            "rss_mb_loaded": [round(m) for m in loaded],
            f"rss_mb_least_most_first_{window}": span(first),
            f"rss_mb_least_most_last_{window}": span(last),
            "rss_mb_at_end": [round(memory_mb(pid, "VmRSS")) for pid in pids],
            "peak_rss_mb": [round(memory_mb(pid)) for pid in pids],
            "main_process_rss_mb": round(memory_mb(process.process.pid, "VmRSS")),
        }
        print(f"  memory: {result}", flush=True)
        return result
    finally:
        process.stop()


def child_pids(pid: int) -> list[int]:
    """The child processes of a process, from /proc (no pgrep: starting a process every reading would
    take CPU from what is measured)."""
    pids: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                pids.extend(int(child) for child in (task / "children").read_text().split())
    return pids


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a process so far (its own, not its children's)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def extract_command(path: Path, env: dict[str, str], processes: int) -> dict[str, Any]:
    """Wall seconds of ``generx extract -j N`` (pipeline loading included), its CPU seconds (all its
    processes, and the parent's own), the peak RSS (VmHWM) of its largest process, and the largest sum of
    the PSS of all its processes (what they take together, each page shared copy-on-write counted once),
    in MB."""
    command = [sys.executable, "-m", "generx.worker", "extract", str(path), "-j", str(processes)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = total = parent_cpu = 0.0
    # The end is looked for every tenth of a second, the peak RSS (a counter of the kernel's: reading it
    # costs nothing) every half second, the PSS every five seconds from the second one. Reading the PSS
    # walks every page of a process, some 10 ms for one of 500 MB; with -j 2 keeping both cores busy,
    # what this loop takes is taken from the pipeline processes: read every half second, with a pgrep to
    # find them, it took 86-109 ms of CPU a second during -j 2 (-j 1 leaves a core idle for it).
    for tick in itertools.count():
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError):  # it just exited
            parent_cpu = cpu_seconds(process.pid)
        if tick % 5 == 0:
            pids = [process.pid, *child_pids(process.pid)]
            for pid in pids:
                with contextlib.suppress(OSError):
                    peak = max(peak, memory_mb(pid))
            if tick % 50 == 20:  # not at the start, when the process has barely begun
                together = 0.0
                for pid in pids:
                    with contextlib.suppress(OSError):
                        together += pss_mb(pid)
                total = max(total, together)
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    # CPU seconds of the command and its pipeline processes (reaped by it, so counted in its children's).
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(
        f"generx extract -j {processes}: {seconds:.1f} s ({cpu:.1f} s CPU, {parent_cpu:.1f} s of it the "
        f"parent's), peak {peak:.0f} MB, all processes {total:.0f} MB",
        flush=True,
    )
    return {
        "seconds": round(seconds, 2),
        "cpu_s": round(cpu, 2),
        # Read up to a tenth of a second before the parent ended: a few hundredths short at most.
        "parent_cpu_s": round(parent_cpu, 2),
        "peak_rss_mb": round(peak),
        "total_pss_mb": round(total),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--limit", "--statements", type=int, dest="limit", help="the first N statements (default: all)"
    )
    parser.add_argument("--source", choices=("refseq", "genia"), default="refseq")
    parser.add_argument("--chunk-size", type=int, default=100)
    parser.add_argument(
        "--only",
        choices=("service", "extract"),
        help="only the service against in-process extraction, or only extract -j 2 against -j 1",
    )
    parser.add_argument("--json", type=Path, help="write the numbers here (after each step)")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "source": args.source,
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }

    def record(key: str, value: Any) -> None:
        results[key] = value
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")

    with tempfile.TemporaryDirectory(prefix="generx-bench-") as tmp:
        folder = Path(tmp)
        path = folder / "statements.jsonl"
        if args.source == "refseq":
            rows = refseq_summaries(args.limit)
        else:
            rows = [(f"genia:{i + 1}", text) for i, text in enumerate(genia_sentences(args.limit or 10_000))]
        with path.open("w", encoding="utf-8") as out:
            for statement_id, text in rows:
                out.write(json.dumps({"id": statement_id, "text": text}) + "\n")
        # "The first 1,000 statements" (and the last 1,000), or halves of a smaller subset.
        early = min(1000, len(rows) // 2)
        first = folder / "first.jsonl"
        with path.open(encoding="utf-8") as lines, first.open("w", encoding="utf-8") as out:
            out.writelines(itertools.islice(lines, early))
        one_line = folder / "one.jsonl"
        with path.open(encoding="utf-8") as lines:
            one_line.write_text(next(lines))
        record("statements", len(rows))
        redis = RedisServer(folder / "redis")
        redis.start()
        env = dict(os.environ)
        env.update(
            GENERX_BROKER_URL=redis.url,
            GENERX_DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite'}",
            GENERX_CHUNK_SIZE=str(args.chunk_size),
            GENERX_QUEUE="generx.bench",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        )
        os.environ.update({k: v for k, v in env.items() if k.startswith("GENERX_")})
        try:
            if args.only in (None, "service"):
                baseline, load = in_process(path, env)
                record("in_process_s", round(baseline, 2))
                record("pipeline_load_s", round(load, 2))
                one = through_service(path, env, folder, 1, early)
                record("one_worker", one)
                record("one_worker_vs_in_process", round(baseline / one["seconds"], 3))
                two = through_service(path, env, folder, 2, early)
                record("two_workers", two)
                record("two_workers_vs_one", round(one["seconds"] / two["seconds"], 3))
            if args.only in (None, "extract"):
                small = extract_command(first, env, 1)
                record(f"extract_first_{early}_peak_rss_mb", small["peak_rss_mb"])
                j1 = extract_command(path, env, 1)
                record("extract_j1", j1)
                record("extract_all_peak_rss_mb", j1["peak_rss_mb"])
                j2 = extract_command(path, env, 2)
                record("extract_j2", j2)
                record("extract_j2_vs_j1", round(j1["seconds"] / j2["seconds"], 3))
                # What either costs before its first statement (start, imports, loading the pipeline,
                # starting the processes), timed on one statement (the median of three): on a subset it
                # weighs more than on the 15k, so the ratio without it says what a long input gets.
                fixed = {
                    n: statistics.median(extract_command(one_line, env, n)["seconds"] for _ in range(3))
                    for n in (1, 2)
                }
                record("extract_fixed_s", {f"j{n}": seconds for n, seconds in fixed.items()})
                record(
                    "extract_j2_vs_j1_without_fixed_costs",
                    round((j1["seconds"] - fixed[1]) / (j2["seconds"] - fixed[2]), 3),
                )
        finally:
            redis.stop()
    record("load_average_at_end", [round(x, 2) for x in os.getloadavg()])
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
