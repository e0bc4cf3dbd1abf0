"""generx as a package: the Python API, its spaCy components in plain spaCy scripts, and the wheel.

What a user of the package checks: ``generx.extract`` gives the records ``generx extract`` prints; a script
that imports only spaCy finds generx's components by name; a wheel installed in a fresh virtual
environment runs ``generx extract`` from any directory with the models inside it and gives the same
relations as this checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

import generx
from generx.models import models_dir
from generx.pipelines.statements import Statement, read_statements

ROOT = Path(__file__).resolve().parent.parent
IL2_PAGE = ROOT / "examples" / "genatlas_IL2.txt"
STATEMENTS = [
    "PRDM1 is a transcription repressor that is known to negatively regulate the expression of IL2.",
    "FOXP3 binds NFAT and represses IL2 transcription.",
    "required for T-cell proliferation",
]


def cli_records(*args: str, cwd: Path = ROOT, executable: list[str] | None = None) -> list[dict[str, Any]]:
    """The records ``generx extract`` prints (JSON Lines), run as a user runs it."""
    command = [*(executable or [sys.executable, "-m", "generx.worker"]), "extract", *args]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GENERX_MODELS")}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def run_script(code: str, *args: str) -> Any:
    """Run a script in a fresh interpreter (no generx import of ours in it) and read its JSON output."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT.parent,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_import_generx_is_light() -> None:
    loaded = run_script("import json, sys, generx; print(json.dumps(sorted(sys.modules)))")
    assert "spacy" not in loaded and "celery" not in loaded


@pytest.mark.model
def test_python_api_gives_the_records_of_the_cli(nlp: Language) -> None:
    statements = [s for s in read_statements(IL2_PAGE) if isinstance(s, Statement)]
    assert list(generx.extract(statements, nlp=nlp)) == cli_records(str(IL2_PAGE))


@pytest.mark.model
def test_python_api_takes_plain_texts_and_a_context_gene(nlp: Language) -> None:
    records = list(generx.extract(STATEMENTS, gene="IL2", nlp=nlp))
    assert {r["statement_id"] for r in records} <= {"1", "2", "3"}
    implicit = [r for r in records if r["statement_id"] == "3"]
    assert implicit and implicit[0]["subject"]["name"] == "IL2" and implicit[0]["implicit"]
    assert any(r["subject"]["name"] == "PRDM1" and r["object"]["name"] == "IL2" for r in records)


PLAIN_SPACY = """
    import json, sys
    import spacy

    nlp = spacy.load(sys.argv[1], exclude=["ner"])
    lexicons = sys.argv[2]
    nlp.add_pipe("generx_abbreviations_v1", name="abbreviation_detector")
    nlp.add_pipe("generx_genes_v1", config={"lexicon_dir": lexicons, "use_ner": False})
    nlp.add_pipe("generx_processes_v1", config={"lexicon_dir": lexicons})
    nlp.add_pipe("generx_context_v1", config={"lexicon_dir": lexicons})
    nlp.add_pipe("generx_relations_v1", config={"lexicon_dir": lexicons})
    nlp.add_pipe("generx_relation_model_v1", config={"model": sys.argv[4]})
    out = []
    for doc in nlp.pipe(json.loads(sys.argv[3])):
        out.append([(r.subject.record["id"], r.predicate, r.object.record["id"]) for r in doc._.relations])
    print(json.dumps(out))
"""


def triples(nlp: Language, texts: list[str]) -> list[list[list[str]]]:
    return [
        [[r.subject.record["id"], r.predicate, r.object.record["id"]] for r in doc._.relations]
        for doc in nlp.pipe(texts)
    ]


@pytest.mark.model
def test_components_join_a_users_own_spacy_pipeline_by_name(nlp: Language) -> None:
    found = run_script(
        PLAIN_SPACY,
        str(models_dir() / "generx_bio_sm"),
        str(models_dir() / "lexicons"),
        json.dumps(STATEMENTS[:2]),
        str(models_dir() / "relation_model" / "relation_model.json.gz"),
    )
    assert found == triples(nlp, STATEMENTS[:2])
    assert all(found)


@pytest.mark.model
def test_a_saved_generx_pipeline_loads_with_spacy_load(nlp: Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "generx_pipeline")
    code = """
        import json, sys
        import spacy

        nlp = spacy.load(sys.argv[1])
        out = [[[r.subject.record["id"], r.predicate, r.object.record["id"]] for r in doc._.relations]
               for doc in nlp.pipe(json.loads(sys.argv[2]))]
        print(json.dumps(out))
    """
    found = run_script(code, str(tmp_path / "generx_pipeline"), json.dumps(STATEMENTS[:2]))
    assert found == triples(nlp, STATEMENTS[:2])


@pytest.mark.slow
@pytest.mark.model
def test_the_wheel_runs_generx_extract_in_a_fresh_venv(tmp_path: Path) -> None:
    """Build the wheel, install it (without its dependencies, which this environment lends through a
    .pth file so no download is needed) into a new venv, and run its ``generx`` from another directory."""
    # Built from a copy of the tree, so that no earlier build folder leaks into the wheel.
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__", "corpus", "training")
    shutil.copytree(ROOT, source, symlinks=True, ignore=ignore)
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(wheels), "-q"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    (wheel,) = wheels.glob("generx-*.whl")
    assert wheel.stat().st_size > 20_000_000, "the wheel should carry the trained models"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    lent = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(site) / "generx_test_dependencies.pth").write_text("\n".join(sorted(lent)) + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run_in(python, elsewhere, "import generx, generx.models; print(generx.models.models_dir())")
    assert where.startswith(site), where
    installed = cli_records(str(IL2_PAGE), cwd=elsewhere, executable=[str(venv / "bin" / "generx")])
    assert installed and installed == cli_records(str(IL2_PAGE))


def run_in(python: Path, cwd: Path, code: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GENERX_MODELS")}
    done = subprocess.run([str(python), "-c", code], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


@pytest.mark.model
@pytest.mark.parametrize("block", [0, 1])
def test_the_readme_python_examples_run(block: int, tmp_path: Path) -> None:
    section = (ROOT / "README.md").read_text().split("## Using generx from Python", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n")[block + 1].split("```", 1)[0]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    expected = ["PRDM1 negatively_regulates IL2", "IL2 positively_regulates T cell proliferation"]
    expected = expected if block == 0 else ["binds FOXP3 NFAT"]
    assert all(line in done.stdout.splitlines() for line in expected), done.stdout
