"""API memory and responsiveness under large submissions: a 20 MiB JSON body and a gzip "bomb".

    nice -n 10 .venv/bin/python benchmarks/api_memory.py [--json out.json]

Starts its own redis-server and ``generx api`` (uvicorn, one process) on a temporary SQLite file; no
worker runs and no pipeline is loaded. For each submission it reports the API process's peak resident
memory (VmHWM) against its idle memory measured first in the same run, the HTTP status, and the slowest
``/health`` answer while the submission was being received and stored (parsing must not block the
event loop). Target (issue 17): peak under 300 MB for both.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# The throwaway redis-server and worker processes of the test fixtures: the checkout's tests/ folder,
# which the installed package does not carry.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from tests.fixtures_services import RedisServer, free_port  # noqa: E402

TOKEN = "benchmark-token-of-more-than-32-characters"


def memory_mb(pid: int, field: str) -> float:
    """A memory field of /proc/PID/status (VmRSS, VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak(pid: int) -> None:
    """Reset VmHWM to the current RSS (Linux: write 5 to clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def post(url: str, body: bytes, content_type: str) -> tuple[int, str]:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type},
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, response.read().decode()[:200]
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()[:200]


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "generxbenchboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def measure(base: str, pid: int, body: bytes, content_type: str) -> dict[str, Any]:
    """Submit ``body`` while polling /health; the status, peak memory and slowest /health answer."""
    reset_peak(pid)
    slowest = [0.0]
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            started = time.perf_counter()
            with urllib.request.urlopen(base + "/health", timeout=60):
                pass
            slowest[0] = max(slowest[0], time.perf_counter() - started)
            time.sleep(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    started = time.perf_counter()
    code, text = post(base + "/jobs", body, content_type)
    seconds = time.perf_counter() - started
    done.set()
    poller.join()
    return {
        "status": code,
        "answer": text,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(memory_mb(pid, "VmHWM")),
        "slowest_health_s": round(slowest[0], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="generx-api-bench-") as tmp:
        folder = Path(tmp)
        redis = RedisServer(folder / "redis")
        redis.start()
        port = free_port()
        env = dict(os.environ)
        env.update(
            GENERX_BROKER_URL=redis.url,
            GENERX_DATABASE_URL=f"sqlite:///{folder / 'api.sqlite'}",
            GENERX_API_TOKEN=TOKEN,
            GENERX_QUEUE="generx.bench",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        )
        command = [sys.executable, "-m", "generx.worker", "api", "--port", str(port)]
        api = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(base + "/health", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            idle = memory_mb(api.pid, "VmRSS")
            # 20 MiB of JSON: about 110,000 statements of a realistic length.
            statements = []
            size = 0
            index = 0
            while size < 20 * 1024 * 1024 - 300:
                item = {
                    "id": f"s{index}",
                    "text": f"PRDM1 represses IL2 transcription in T cells ({index}).",
                    "gene": "IL2",
                }
                size += len(json.dumps(item)) + 2
                statements.append(item)
                index += 1
            body = json.dumps({"statements": statements}).encode()[: 20 * 1024 * 1024]
            if not body.endswith(b"]}"):
                statements.pop()
                body = json.dumps({"statements": statements}).encode()
            big = measure(base, api.pid, body, "application/json")
            big["body_bytes"] = len(body)
            big["statements"] = len(statements)
            # A gzip "bomb": about 20 kB that inflates to 20 MB of one-character lines.
            bomb = gzip.compress(b"x\n" * 10_000_000, compresslevel=9)
            data, content_type = multipart("bomb.txt.gz", bomb)
            gz = measure(base, api.pid, data, content_type)
            gz["body_bytes"] = len(bomb)
            gz["inflated_bytes"] = 20_000_000
        finally:
            api.terminate()
            api.wait(timeout=30)
            redis.stop()
    results = {"idle_rss_mb": round(idle), "json_20_mib": big, "gzip_bomb": gz}
    for name in ("json_20_mib", "gzip_bomb"):
        results[name]["peak_vs_idle"] = round(results[name]["peak_rss_mb"] / idle, 2)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
