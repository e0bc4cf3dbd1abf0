"""docker-compose.yml and the Dockerfile, checked without a Docker engine: they parse, every service has a
healthcheck, the worker can be scaled, images run as a non-root user, and every command exists."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from generx.worker.cli import app

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "docker" / "Dockerfile"


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text())
    return dict(document["services"])


def test_compose_has_the_five_services_each_with_a_healthcheck(services: dict[str, Any]) -> None:
    assert set(services) == {"redis", "postgres", "worker", "api", "flower"}
    for name, service in services.items():
        assert "test" in service["healthcheck"], name


def test_the_worker_scales(services: dict[str, Any]) -> None:
    # --scale worker=N needs no fixed container name and no published host port.
    worker = services["worker"]
    assert "container_name" not in worker
    assert "ports" not in worker
    assert worker["environment"]["GENERX_BROKER_URL"] == "redis://redis:6379/0"
    assert worker["environment"]["GENERX_DATABASE_URL"].startswith("postgresql+psycopg://")


def test_every_service_command_exists(services: dict[str, Any]) -> None:
    generx = {name for name in typer.main.get_command(app).commands}  # type: ignore[attr-defined]
    for name in ("api", "worker"):
        command = services[name]["command"]
        assert command[0] == "generx" and command[1] in generx, name
    flower = services["flower"]["command"]
    assert flower[:4] == ["celery", "-A", "generx.worker.celery_app", "flower"]
    assert importlib.util.find_spec("flower") is not None
    celery_app = importlib.import_module("generx.worker.celery_app").app
    assert (
        "generx.process_chunk" in celery_app.tasks or celery_app.loader.import_default_modules() is not None
    )
    assert services["redis"]["command"][0] == "redis-server"
    if shutil.which("redis-server"):
        subprocess.run(["redis-server", "--version"], check=True, capture_output=True)


def test_the_image_runs_as_a_non_root_user_with_a_healthcheck() -> None:
    lines = [line.strip() for line in DOCKERFILE.read_text().splitlines()]
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK ") for line in lines)
    assert '"generx", "api"' in DOCKERFILE.read_text()


def test_the_image_copies_the_whole_package() -> None:
    """generx/ holds links to pipelines/, worker/ and models/: the image must copy their targets too."""
    copied = {
        line.split()[1]
        for line in DOCKERFILE.read_text().splitlines()
        if line.startswith("COPY ") and "--from" not in line
    }
    package = ROOT / "generx"
    linked = {path.readlink().name for path in package.iterdir() if path.is_symlink()}
    assert linked == {"pipelines", "worker", "models"}
    assert {"generx", "pyproject.toml", *linked} <= copied
    assert all((ROOT / source).exists() for source in copied)


def test_no_secret_has_a_default(services: dict[str, Any]) -> None:
    text = COMPOSE.read_text()
    assert "${POSTGRES_PASSWORD:?" in text and "POSTGRES_PASSWORD:-" not in text
    assert "change-me" not in text
    flower = services["flower"]
    assert flower["environment"]["FLOWER_BASIC_AUTH"].startswith("${FLOWER_BASIC_AUTH:?")
    assert all(port.startswith("${GENERX_FLOWER_BIND:-127.0.0.1}:") for port in flower["ports"])
