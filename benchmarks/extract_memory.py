"""``generx extract`` memory against input size: peak RSS on N and on 10 N statements in one run.

    nice -n 10 .venv/bin/python benchmarks/extract_memory.py [--lines 20000] [--json out.json]

Runs ``generx extract`` (JSON Lines out, to /dev/null) on N, then 10 N, statements cycling through
short gene-function sentences, and reports each peak RSS (VmHWM, sampled every 0.2 s) and their ratio:
streaming keeps the ratio near 1. The pipeline is what GENERX_PIPELINE_LOADER names (default: the
trained one); with the test stand-in (``tests.fixtures_services:load_stub_pipeline``) the run takes a
minute and measures the reading and writing alone.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "PRDM1 inhibits IL2 in T cells.",
    "FOXK2 binds IL2 and TP53 activates MDM2.",
    "MDM2 does not activate TP53, and MDM2 may regulate TP53.",
    "MAP3K7 activates IL2 and IL2 activates CD28.",
]


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(path: Path, env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of ``generx extract`` on the file."""
    command = [sys.executable, "-m", "generx.worker", "extract", str(path)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0.0
    while process.poll() is None:
        with contextlib.suppress(OSError):
            peak = max(peak, peak_mb(process.pid))
        time.sleep(0.2)
    return time.perf_counter() - started, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    results: dict[str, object] = {"pipeline": env.get("GENERX_PIPELINE_LOADER", "trained")}
    with tempfile.TemporaryDirectory(prefix="generx-extract-mem-") as tmp:
        for count in (args.lines, 10 * args.lines):
            path = Path(tmp) / f"{count}.jsonl"
            with path.open("w", encoding="utf-8") as out:
                for index in range(count):
                    row = {"id": f"s{index}", "text": SENTENCES[index % len(SENTENCES)], "gene": "IL2"}
                    out.write(json.dumps(row) + "\n")
            seconds, peak = run(path, env)
            print(f"{count} statements: {seconds:.1f} s, peak {peak:.0f} MB", flush=True)
            results[str(count)] = {"seconds": round(seconds, 1), "peak_rss_mb": round(peak)}
    small, large = (results[str(n)]["peak_rss_mb"] for n in (args.lines, 10 * args.lines))  # type: ignore[index]
    results["peak_ratio_10x_input"] = round(large / small, 3)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
