"""The relation corpora the relation model learns from, parsed once and cached as spaCy DocBins.

    .venv/bin/python models/relation_corpora.py [--shared ../shared/data] [--cache models/training/relcache]

Each corpus of ``../shared/data/relations`` that the relation model may train on (the training parts only:
BioRED train, GENIA GE'11 train, LLL train, BioInfer train) and BioRED dev (for the final report only) is
read with generx's own gold reader (``generx.evaluation``), its statements are run through generx's pipeline
with the corpus's entities given, up to and including the mention components, and the Docs are stored in
``<cache>/<name>.spacy``. Training and cross-validation (``models/train_relations.py``) then run the
rule component and the relation model over the cached Docs, without parsing again.
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from generx.evaluation.gold import GoldCorpus
from generx.evaluation.runner import read_gold
from generx.models import models_dir
from generx.pipelines.pipeline import build_pipeline, prepare_doc

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = ROOT / "models" / "training" / "relcache"
# ../shared/data beside the checkout; GENERX_SHARED_DATA names another place (a git worktree sits deeper).
DEFAULT_SHARED = Path(os.environ.get("GENERX_SHARED_DATA", ROOT.parent / "shared" / "data"))


@dataclass(frozen=True)
class CorpusFile:
    """A relation corpus: its short name, its file under ``relations/``, and whether it may be trained on."""

    name: str
    path: str
    train: bool = True


# The corpora of ../shared/data/relations. BioRED dev is never trained or selected on.
CORPORA = (
    CorpusFile("biored", "biored/Train.PubTator.gz"),
    CorpusFile("genia", "genia_ge_2011/train.tar.gz"),
    CorpusFile("lll", "ppi/LLL-train.xml.gz"),
    CorpusFile("bioinfer", "ppi/BioInfer-train.xml.gz"),
    CorpusFile("biored_dev", "biored/Dev.PubTator.gz", train=False),
)
TRAINING = tuple(corpus.name for corpus in CORPORA if corpus.train)
BY_NAME = {corpus.name: corpus for corpus in CORPORA}

# The components run before caching: everything up to the mentions; relations are read afresh each time.
CACHED_UNTIL = "processes"


def corpus_path(name: str, shared: Path = DEFAULT_SHARED) -> Path:
    return shared / "relations" / BY_NAME[name].path


def read_corpus(name: str, shared: Path = DEFAULT_SHARED) -> GoldCorpus:
    """The gold corpus ``name`` as generx's reader gives it."""
    return read_gold(corpus_path(name, shared))


def parse_corpus(nlp: Language, gold: GoldCorpus) -> list[Doc]:
    """The corpus's statements through the pipeline up to the mentions, with the corpus's entities given."""
    statements = [statement for statement in gold.statements if statement.text.strip()]
    skip = [name for name in nlp.pipe_names[nlp.pipe_names.index(CACHED_UNTIL) + 1 :]]
    with nlp.select_pipes(disable=skip):
        docs = list(nlp.pipe(prepare_doc(nlp, statement) for statement in statements))
    for doc in docs:
        # scispaCy keeps its abbreviations as Spans in user_data, which a DocBin cannot store.
        for key in [key for key, value in doc.user_data.items() if not _storable(value)]:
            del doc.user_data[key]
    return docs


def _storable(value: object) -> bool:
    try:
        srsly.msgpack_dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def cache_file(cache: Path, name: str) -> Path:
    return cache / f"{name}.spacy"


def load_docs(nlp: Language, name: str, cache: Path = DEFAULT_CACHE) -> list[Doc]:
    """The cached Docs of corpus ``name`` (see ``main`` to build the cache)."""
    return list(DocBin().from_disk(cache_file(cache, name)).get_docs(nlp.vocab))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("names", nargs="*", default=[corpus.name for corpus in CORPORA])
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.cache.mkdir(parents=True, exist_ok=True)
    nlp = build_pipeline(models_dir(), relation_model=False)
    for name in args.names:
        started = time.perf_counter()
        docs = parse_corpus(nlp, read_corpus(name, args.shared))
        DocBin(store_user_data=True, docs=docs).to_disk(cache_file(args.cache, name))
        log.info("%s: %d documents in %.0f s", name, len(docs), time.perf_counter() - started)


if __name__ == "__main__":
    main()
