"""Service throughput: the same 10,000 statements through Celery with 1 and 2 worker processes, against
in-process ``generx extract``; peak memory per worker; latency of a one-statement job.

    nice -n 10 .venv/bin/python benchmarks/service_throughput.py [--statements 10000] [--json out.json]

Needs redis-server on PATH and the trained pipeline (or GENERX_PIPELINE_LOADER pointing at another
loader). Starts its own redis-server on a free port and uses a temporary SQLite file. The statements are
sentences of the GENIA treebank (../shared/data/genia_treebank, CC BY 3.0), tokens joined by spaces.
Targets: 1 worker >= 0.9x in-process; 2 workers >= 1.7x one worker; peak RSS <= 500 MB per worker.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

from tests.fixtures_services import RedisServer, WorkerProcess  # noqa: E402

GENIA = ROOT.parent / "shared" / "data" / "genia_treebank" / "sd" / "train.conllx.gz"


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


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pool_pids(parent: int) -> list[int]:
    """The pool processes (children) of a Celery worker."""
    out = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def in_process(path: Path, env: dict[str, str]) -> float:
    """Seconds ``generx extract`` takes over the file, pipeline loading excluded (it is timed apart)."""
    code = (
        "import time,sys\n"
        "from generx.pipelines.extract import extract\n"
        "from generx.pipelines.statements import read_statements\n"
        "from generx.worker.nlp import get_nlp\n"
        "from generx.worker.settings import get_settings\n"
        "s=get_settings(); nlp=get_nlp(s.pipeline_loader)\n"
        f"items=[x for x in read_statements({str(path)!r}) if not isinstance(x, Exception)]\n"
        "t=time.perf_counter()\n"
        "n=sum(len(r.relations) for r in extract(nlp, items, batch_size=s.batch_size))\n"
        "print(time.perf_counter()-t, n)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    seconds, relations = out.stdout.split()
    print(f"in-process: {float(seconds):.1f} s, {relations} relations", flush=True)
    return float(seconds)


def through_service(
    path: Path, env: dict[str, str], folder: Path, workers: int
) -> tuple[float, list[float], float]:
    """(seconds from submit to done, peak RSS of each pool process in MB, one-statement latency in s)."""
    from generx.worker import jobs

    process = WorkerProcess(env, folder / f"worker{workers}.log", concurrency=workers, name=f"bench{workers}")
    try:
        process.wait_ready(timeout=300)
        time.sleep(2)  # let every pool process finish loading the pipeline
        started = time.perf_counter()
        job_id = jobs.submit_path(path)
        final = jobs.wait(job_id, poll=0.2)
        seconds = time.perf_counter() - started
        print(
            f"{workers} worker(s): {seconds:.1f} s, {final.relations} relations, {final.errors} errors",
            flush=True,
        )
        memory = [peak_rss_mb(pid) for pid in pool_pids(process.process.pid)]
        one = folder / "one.jsonl"
        one.write_text(
            json.dumps({"id": "one", "text": "PRDM1 represses IL2 transcription in T cells."}) + "\n"
        )
        latencies = []
        for _ in range(5):
            started = time.perf_counter()
            jobs.wait(jobs.submit_path(one), poll=0.01)
            latencies.append(time.perf_counter() - started)
        return seconds, memory, sorted(latencies)[len(latencies) // 2]
    finally:
        process.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--chunk-size", type=int, default=100)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="generx-bench-") as tmp:
        folder = Path(tmp)
        path = folder / "statements.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for index, text in enumerate(genia_sentences(args.statements)):
                out.write(json.dumps({"id": f"genia:{index + 1}", "text": text}) + "\n")
        redis = RedisServer(folder / "redis")
        redis.start()
        env = dict(os.environ)
        env.update(
            GENERX_BROKER_URL=redis.url,
            GENERX_DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite'}",
            GENERX_CHUNK_SIZE=str(args.chunk_size),
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        )
        os.environ.update({k: v for k, v in env.items() if k.startswith("GENERX_")})
        try:
            baseline = in_process(path, env)
            one, memory_one, latency_one = through_service(path, env, folder, 1)
            two, memory_two, latency_two = through_service(path, env, folder, 2)
        finally:
            redis.stop()
    results: dict[str, Any] = {
        "statements": args.statements,
        "cpus": os.cpu_count(),
        "in_process_s": round(baseline, 2),
        "one_worker_s": round(one, 2),
        "two_workers_s": round(two, 2),
        "one_worker_vs_in_process": round(baseline / one, 3),
        "two_workers_vs_one": round(one / two, 3),
        "peak_rss_mb_per_worker": [round(m) for m in memory_one + memory_two],
        "one_statement_latency_s": round(min(latency_one, latency_two), 3),
    }
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
