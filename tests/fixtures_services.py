"""Real services for the worker tests: a throwaway redis-server, Celery worker processes, a stand-in pipeline.

Import the fixtures into a test module (``from tests.fixtures_services import ...``). Nothing here is a
mock: the broker is a real redis-server, the database a real SQLite file or PostgreSQL, the workers real
``generx worker`` processes. Only the NLP is a stand-in, so these tests run without the trained model.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from sqlalchemy.engine import make_url

from generx.pipelines.annotations import MENTIONS, register_extensions
from tests.conftest import redis_server_binary

ROOT = Path(__file__).resolve().parent.parent
STUB_LOADER = "tests.fixtures_services:load_stub_pipeline"

# The stand-in's lexicon: a few genes with their HGNC ids, and trigger words with their predicates.
STUB_GENES = {
    "IL2": "HGNC:6001",
    "FOXK2": "HGNC:6036",
    "MAP3K7": "HGNC:6859",
    "PRDM1": "HGNC:9346",
    "CD28": "HGNC:1653",
    "TP53": "HGNC:11998",
    "MDM2": "HGNC:6973",
}
STUB_TRIGGERS = {
    "activates": "positively_regulates",
    "inhibits": "negatively_regulates",
    "binds": "binds",
    "regulates": "regulates",
    "activate": "positively_regulates",
    "regulate": "regulates",
}


@dataclass
class StubRelation:
    """A relation of the stand-in pipeline, with the ``to_record`` of generx.pipelines.relations.Relation."""

    subject: dict[str, Any]
    predicate: str
    object: dict[str, Any]
    trigger: tuple[int, int]
    negated: bool = False
    hedged: bool = False
    implicit: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_record(self, doc: Doc) -> dict[str, Any]:
        start, end = self.trigger
        return {
            "statement_id": doc._.statement_id,
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "negated": self.negated,
            "hedged": self.hedged,
            "implicit": self.implicit,
            "trigger": {"text": doc.text[start:end], "start": start, "end": end},
            "evidence": {"text": doc.text, "start": 0, "end": len(doc.text)},
            "confidence": 0.9 if not self.hedged else 0.6,
            "pipeline": "generx-test stub",
        }


def _gene(span: Span) -> dict[str, Any]:
    return {
        "text": span.text,
        "start": span.start_char,
        "end": span.end_char,
        "type": "gene",
        "id": span.kb_id_,
        "name": span._.name,
    }


@Language.component("generx_test_stub_relations")
def stub_relations(doc: Doc) -> Doc:
    """Genes from STUB_GENES; "GENE1 <trigger> GENE2" relations, the subject implicit when missing.

    "CRASH" in a statement makes it fail; GENERX_STUB_DELAY (seconds) slows every Doc down, so that
    tests can kill a worker in the middle of a job; GENERX_STUB_SLOW (seconds) is how long a statement
    with "SLOW" in it takes (a pathological statement; nothing by default).
    """
    if "CRASH" in doc.text:
        raise ValueError("the stand-in pipeline cannot read CRASH")
    delay = float(os.environ.get("GENERX_STUB_DELAY") or 0)
    if delay:
        time.sleep(delay)
    if "SLOW" in doc.text:
        time.sleep(float(os.environ.get("GENERX_STUB_SLOW") or 0))
    genes = []
    for token in doc:
        if token.text in STUB_GENES:
            span = Span(doc, token.i, token.i + 1, label="gene", kb_id=STUB_GENES[token.text])
            span._.name = token.text
            genes.append(span)
    doc.spans[MENTIONS] = genes
    relations = []
    for token in doc:
        predicate = STUB_TRIGGERS.get(token.lower_)
        if predicate is None:
            continue
        before = [span for span in genes if span.end <= token.i]
        after = [span for span in genes if span.start > token.i]
        if not after:
            continue
        if before:
            subject, implicit = _gene(before[-1]), False
        elif doc._.context_gene in STUB_GENES:
            gene = doc._.context_gene
            subject = {"text": gene, "start": None, "end": None, "type": "gene"}
            subject |= {"id": STUB_GENES[gene], "name": gene}
            implicit = True
        else:
            continue
        window = {t.lower_ for t in doc[max(token.i - 3, 0) : token.i]}
        relations.append(
            StubRelation(
                subject=subject,
                predicate=predicate,
                object=_gene(after[0]),
                trigger=(token.idx, token.idx + len(token.text)),
                negated="not" in window,
                hedged="may" in window,
                implicit=implicit,
            )
        )
    doc._.relations = relations
    return doc


def load_stub_pipeline() -> Language:
    """The stand-in pipeline: spaCy's blank English tokenizer and the stub relation component."""
    register_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("generx_test_stub_relations")
    return nlp


STUB_STATEMENTS = [
    "PRDM1 inhibits IL2 in T cells.",
    "FOXK2 binds IL2 and TP53 activates MDM2.",
    "activates CD28 signalling.",
    "MDM2 does not activate TP53, and MDM2 may regulate TP53.",
    "No gene here at all.",
    "This statement will CRASH the stand-in.",
    "MAP3K7 activates IL2 and IL2 activates CD28.",
]


def write_statements(path: Path, count: int, *, gene: str | None = "IL2") -> Path:
    """A JSON Lines file of ``count`` statements cycling through STUB_STATEMENTS."""
    import json

    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            record: dict[str, Any] = {
                "id": f"s{index + 1}",
                "text": STUB_STATEMENTS[index % len(STUB_STATEMENTS)],
            }
            if gene:
                record["gene"] = gene
            out.write(json.dumps(record) + "\n")
    return path


# -- redis-server ---------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A throwaway redis-server; with ``persist`` an append-only file keeps the queued chunks over a
    restart, without it a restart loses them (Redis's default of a cache)."""

    def __init__(self, folder: Path, port: int | None = None, *, persist: bool = True) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.persist = persist
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--dir", str(self.folder), "--appendonly", "yes" if self.persist else "no"]
        command += ["--appendfsync", "always", "--save", "", "--protected-mode", "no"]
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: redis flushes its append-only file and exits
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A redis-server of the module's own, on a free port (restartable)."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker_url(redis_server: RedisServer) -> str:
    """GENERX_TEST_BROKER_URL when set, else the module's throwaway redis-server (emptied first)."""
    url = os.environ.get("GENERX_TEST_BROKER_URL")
    if url:
        return url
    redis.Redis(port=redis_server.port).flushall()
    return redis_server.url


# -- worker processes -----------------------------------------------------------------------------


def service_env(broker: str, database: str, **extra: str) -> dict[str, str]:
    """The environment of a worker (or of the test itself) for this broker and database."""
    env = dict(os.environ)
    env.update(
        {
            "GENERX_BROKER_URL": broker,
            "GENERX_DATABASE_URL": database,
            "GENERX_PIPELINE_LOADER": STUB_LOADER,
            "GENERX_API_TOKEN": "test-token",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        }
    )
    env.update(extra)
    return env


class WorkerProcess:
    """A ``generx worker`` process in its own process group, its log in a file."""

    def __init__(self, env: dict[str, str], log: Path, *, concurrency: int = 1, name: str = "w1") -> None:
        self.log = log
        command = [sys.executable, "-m", "generx.worker", "worker", f"--concurrency={concurrency}"]
        command += ["--loglevel=info", f"--hostname={name}@%h"]
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"worker did not start:\n{self.log.read_text(errors='replace')[-3000:]}")

    def kill_main(self) -> None:
        """SIGKILL the worker's main process alone, as the OOM killer or ``kill -9 PID`` would."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: no warm shutdown, no acknowledgement."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError):  # pool processes orphaned by kill_main
            os.killpg(self.process.pid, signal.SIGKILL)


# -- a cuttable TCP link --------------------------------------------------------------------------


def proxied_postgresql(url: str) -> tuple[TcpProxy, str]:
    """A started TcpProxy in front of the PostgreSQL of ``url`` (TCP, or the Unix socket of a throwaway
    cluster), and the URL that goes through it."""
    direct = make_url(url)
    socket_dir = direct.query.get("host")
    if isinstance(socket_dir, str) and socket_dir.startswith("/"):
        proxy = TcpProxy(f"{socket_dir}/.s.PGSQL.{direct.port or 5432}")
    else:
        proxy = TcpProxy(direct.host or "127.0.0.1", direct.port or 5432)
    proxy.start()
    through = direct.difference_update_query(["host"]).set(host="127.0.0.1", port=proxy.port)
    return proxy, through.render_as_string(hide_password=False)


class TcpProxy:
    """A TCP relay from a free local port to ``target`` (host and port, or a Unix socket's path);
    ``cut()`` closes it and every connection through it, so the target looks down (connections
    refused) until ``restore()``."""

    def __init__(self, host: str, port: int | None = None) -> None:
        self.target: tuple[str, int] | str = (host, port) if port is not None else host
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                if isinstance(self.target, str):
                    upstream = socket.socket(socket.AF_UNIX)
                    upstream.settimeout(5)
                    upstream.connect(self.target)
                else:
                    upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        if self.listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would leave it accepting.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            for end in self.sockets:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.sockets = []

    def restore(self) -> None:
        self.start()
