"""Measure generx's gene and process mention components (the figures of MODEL_CARD.md).

Run from the repository root (nice'd: the figures do not need a quiet machine, the ratios do)::

    .venv/bin/python models/lexicons/evaluate.py genes --shared ../shared/data [--ner /tmp/gene_ner]
    .venv/bin/python models/lexicons/evaluate.py processes --shared ../shared/data
    .venv/bin/python models/lexicons/evaluate.py cost --shared ../shared/data --parser /tmp/tagger_parser \\
        --ner /tmp/gene_ner
    .venv/bin/python models/lexicons/evaluate.py load

Protocols:

- genes: BioRED train+dev (PubTator), GeneOrGeneProduct mentions. A gold mention is human when one
  of its NCBI Gene ids maps to an HGNC gene (HGNC's entrez_id column); the others (mouse, rat, ...)
  are set aside, and predictions that overlap them count neither way. Spans match exactly (strict) or
  by overlap (lenient); (span, id) also needs the predicted HGNC id to be one of the gold ids, or, for
  a family, one of its members to be.
- processes: CRAFT v5.0.2 test articles, GO_BP mentions (discontinuous ones by their outer extent).
  (span, id) needs the predicted GO id (alt ids resolved) to equal the gold id.
- cost: on the GENIA treebank test sentences, the time of abbreviation_detector + genes + processes
  over the time of the parse (tok2vec, tagger, parser) plus the trained gene NER.
"""

from __future__ import annotations

import argparse
import atexit
import gzip
import io
import json
import logging
import resource
import shutil
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

log = logging.getLogger("generx.lexicons.evaluate")
HERE = Path(__file__).resolve().parent


@dataclass
class Counts:
    """True positives, predictions and gold items of one measure."""

    tp_pred: int = 0
    tp_gold: int = 0
    pred: int = 0
    gold: int = 0

    def report(self) -> dict[str, float]:
        """Precision, recall and F1 in percent."""
        p = 100.0 * self.tp_pred / self.pred if self.pred else 0.0
        r = 100.0 * self.tp_gold / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"P": round(p, 1), "R": round(r, 1), "F1": round(f, 1), "pred": self.pred, "gold": self.gold}


def read_pubtator(path: Path) -> Iterator[tuple[str, str, list[tuple[int, int, str, str, str]]]]:
    """(pmid, text, mentions) of a PubTator file; text is title + " " + abstract."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        block = handle.read().split("\n\n")
    for chunk in block:
        lines = [line for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        pmid, _t, title = lines[0].split("|", 2)
        _p, _a, abstract = lines[1].split("|", 2)
        mentions = []
        for line in lines[2:]:
            cols = line.split("\t")
            if len(cols) == 6:
                mentions.append((int(cols[1]), int(cols[2]), cols[3], cols[4], cols[5]))
        yield pmid, f"{title} {abstract}", mentions


def gene_pipeline(ner: Path | None) -> Any:
    """spaCy pipeline for the gene evaluation: the trained NER (if given) + abbreviations + genes."""
    import spacy

    nlp = spacy.load(ner) if ner else spacy.blank("en")
    nlp.add_pipe("abbreviation_detector")
    from generx.pipelines.components import GENES_FACTORY

    nlp.add_pipe(GENES_FACTORY, config={"use_ner": ner is not None})
    return nlp


def eval_genes(shared: Path, ner: Path | None, *, show: int = 0) -> dict[str, Any]:
    """Gene mention spans and (span, HGNC id) on BioRED train+dev (see the module notes)."""
    from generx.pipelines.annotations import MENTIONS
    from generx.pipelines.lexicon import load_gene_lexicon

    lexicon = load_gene_lexicon()
    nlp = gene_pipeline(ner)
    strict, lenient, grounded = Counts(), Counts(), Counts()
    misses: list[str] = []
    false: list[str] = []
    docs = [
        d
        for name in ("Train", "Dev")
        for d in read_pubtator(shared / "relations/biored" / f"{name}.PubTator.gz")
    ]
    for (_pmid, text, mentions), doc in zip(docs, nlp.pipe(d[1] for d in docs), strict=True):
        gold: dict[tuple[int, int], set[str]] = {}
        other: list[tuple[int, int]] = []
        for start, end, _text, kind, ncbi_ids in mentions:
            if kind != "GeneOrGeneProduct":
                continue
            hgnc = {
                lexicon.genes[lexicon.by_entrez[i]].id
                for i in ncbi_ids.replace(";", ",").split(",")
                if i in lexicon.by_entrez
            }
            if hgnc:
                gold[(start, end)] = hgnc
            else:
                other.append((start, end))
        preds: list[tuple[int, int, str, set[str]]] = []
        for span in doc.spans.get(MENTIONS, []):
            s, e = span.start_char, span.end_char
            if (s, e) not in gold and any(s < oe and os_ < e for os_, oe in other):
                continue
            preds.append((s, e, span.kb_id_, set(span._.members or [])))
        for counts in (strict, lenient, grounded):
            counts.pred += len(preds)
            counts.gold += len(gold)
        for s, e, pid, members in preds:
            ids = gold.get((s, e))
            overlapping = [g for g in gold if g[0] < e and s < g[1]]
            strict.tp_pred += ids is not None
            lenient.tp_pred += bool(overlapping)
            hit = ids is not None and (pid in ids or bool(members & ids))
            grounded.tp_pred += hit
            if not hit and len(false) < show:
                false.append(f"FP {text[s:e]!r} -> {pid} gold={sorted(ids) if ids else None}")
        pred_spans = {(s, e): (pid, members) for s, e, pid, members in preds}
        for (s, e), gold_ids in gold.items():
            found = pred_spans.get((s, e))
            strict.tp_gold += found is not None
            lenient.tp_gold += any(ps < e and s < pe for ps, pe in pred_spans)
            hit = found is not None and (found[0] in gold_ids or bool(found[1] & gold_ids))
            grounded.tp_gold += hit
            if not hit and len(misses) < show:
                misses.append(f"FN {text[s:e]!r} gold={sorted(gold_ids)} pred={found}")
    for line in false + misses:
        log.info("%s", line)
    return {
        "corpus": "BioRED train+dev, human genes",
        "ner": str(ner) if ner else None,
        "span_strict": strict.report(),
        "span_overlap": lenient.report(),
        "span_id": grounded.report(),
    }


def craft_texts(shared: Path, pmids: set[str]) -> dict[str, str]:
    """CRAFT article texts by PubMed id."""
    texts: dict[str, str] = {}
    with tarfile.open(shared / "craft/text/craft_articles_txt.tar.gz") as tar:
        for member in tar.getmembers():
            pmid = Path(member.name).stem
            if member.name.endswith(".txt") and pmid in pmids:
                handle = tar.extractfile(member)
                if handle is not None:
                    texts[pmid] = io.TextIOWrapper(handle, encoding="utf-8").read()
    return texts


def craft_process_gold(shared: Path, splits: set[str]) -> dict[str, dict[tuple[int, int], str]]:
    """CRAFT GO_BP gold by PubMed id: outer extent -> GO id (alt ids resolved to the main id)."""
    from generx.pipelines.lexicon import load_go_lexicon

    go = load_go_lexicon()
    pmids = {p for split in splits for p in (shared / f"craft/ids/craft-ids-{split}.txt").read_text().split()}
    gold: dict[str, dict[tuple[int, int], str]] = {p: {} for p in pmids}
    with gzip.open(shared / "craft/concepts/go_bp_mentions.tsv.gz", "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            pmid, sp, spans, _text, concept, _label = line.rstrip("\n").split("\t")
            if sp not in splits:
                continue
            offsets = [tuple(map(int, part.split("-"))) for part in spans.split(";")]
            main = go.by_id.get(concept)
            gold[pmid][(offsets[0][0], offsets[-1][1])] = go.terms[main].id if main is not None else concept
    return gold


def process_pipeline(*, related: bool, corpus_forms: bool) -> Any:
    """The default pipeline's mention components on a blank tokenizer: abbreviations, genes, processes."""
    import spacy

    from generx.pipelines.components import GENES_FACTORY, PROCESSES_FACTORY

    nlp = spacy.blank("en")
    nlp.add_pipe("abbreviation_detector")
    nlp.add_pipe(GENES_FACTORY, config={"use_ner": False})
    nlp.add_pipe(PROCESSES_FACTORY, config={"related_synonyms": related, "corpus_forms": corpus_forms})
    return nlp


def score_processes(
    nlp: Any, texts: dict[str, str], gold: dict[str, dict[tuple[int, int], str]], *, show: int = 0
) -> dict[str, Any]:
    """Span and (span, GO id) counts of the pipeline's process mentions against CRAFT gold."""
    from generx.pipelines.annotations import MENTIONS, PROCESS

    strict, lenient, grounded = Counts(), Counts(), Counts()
    shown: list[str] = []
    for pmid, doc in zip(texts, nlp.pipe(texts.values()), strict=True):
        text = texts[pmid]
        preds: dict[tuple[int, int], str] = {}
        for span in doc.spans.get(MENTIONS, []):
            if span.label_ == PROCESS:
                preds.setdefault((span.start_char, span.end_char), span.kb_id_)
        g = gold[pmid]
        for counts in (strict, lenient, grounded):
            counts.pred += len(preds)
            counts.gold += len(g)
        for (s, e), pid in preds.items():
            strict.tp_pred += (s, e) in g
            lenient.tp_pred += any(gs < e and s < ge for gs, ge in g)
            grounded.tp_pred += g.get((s, e)) == pid
            if g.get((s, e)) != pid and len(shown) < show:
                shown.append(f"FP {text[s:e]!r} {pid} gold={g.get((s, e))}")
        for (s, e), gid in g.items():
            strict.tp_gold += (s, e) in preds
            lenient.tp_gold += any(ps < e and s < pe for ps, pe in preds)
            grounded.tp_gold += preds.get((s, e)) == gid
            if preds.get((s, e)) != gid and len(shown) < 2 * show:
                shown.append(f"FN {text[s:e]!r} {gid} pred={preds.get((s, e))}")
    for line in shown:
        log.info("%s", line)
    return {"span_strict": strict, "span_overlap": lenient, "span_id": grounded}


def process_report(counts: dict[str, Counts]) -> dict[str, Any]:
    """The figures of ``score_processes`` counts, with the share of found gold mentions given the exact id."""
    found = counts["span_strict"].tp_gold
    return {
        **{measure: c.report() for measure, c in counts.items()},
        "exact_id_of_found": round(100.0 * counts["span_id"].tp_gold / found, 1) if found else 0.0,
    }


def eval_processes(
    shared: Path, *, split: str = "test", related: bool = True, corpus_forms: bool = True, show: int = 0
) -> dict[str, Any]:
    """Process mention spans and (span, GO id) on CRAFT's GO_BP annotations of one split, with the
    default pipeline's mention components (the shipped lexicons, corpus forms from train+dev)."""
    gold = craft_process_gold(shared, {split})
    texts = craft_texts(shared, set(gold))
    nlp = process_pipeline(related=related, corpus_forms=corpus_forms)
    return {
        "corpus": f"CRAFT v5.0.2 {split} GO_BP ({len(texts)} articles)",
        "related_synonyms": related,
        "corpus_forms": corpus_forms,
        **process_report(score_processes(nlp, texts, gold, show=show)),
    }


def eval_processes_cv(shared: Path, *, folds: int = 5, show: int = 0) -> dict[str, Any]:
    """Cross-validated on CRAFT train+dev: the corpus forms of each fold are learned from the others."""
    import importlib.util

    from generx.pipelines.lexicon import CorpusForms

    spec = importlib.util.spec_from_file_location("lexicon_build", HERE / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    with gzip.open(HERE / "go_bp.json.gz", "rt", encoding="utf-8") as handle:
        go_data = json.load(handle)
    gold = craft_process_gold(shared, {"train", "dev"})
    texts = craft_texts(shared, set(gold))
    pmids = sorted(texts)
    nlp = process_pipeline(related=True, corpus_forms=True)
    recognizer = nlp.get_pipe(nlp.pipe_names[-1])
    totals = {measure: Counts() for measure in ("span_strict", "span_overlap", "span_id")}
    for fold in range(folds):
        held = set(pmids[fold::folds])
        forms, _counts = build.build_craft_forms(shared, go_data, pmids=set(pmids) - held)
        recognizer.forms = CorpusForms(dict(forms["forms"]), frozenset(forms["suppress"]))
        part = score_processes(nlp, {p: texts[p] for p in pmids if p in held}, gold, show=show)
        for measure, counts in part.items():
            for attr in ("tp_pred", "tp_gold", "pred", "gold"):
                setattr(totals[measure], attr, getattr(totals[measure], attr) + getattr(counts, attr))
    return {
        "corpus": f"CRAFT v5.0.2 train+dev GO_BP ({len(texts)} articles), {folds}-fold cross-validated forms",
        **process_report(totals),
    }


def genia_sentences(shared: Path) -> list[str]:
    """The GENIA treebank test sentences, tokens joined by spaces (brackets restored)."""
    brackets = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
    sentences, words = [], []
    with gzip.open(shared / "genia_treebank/sd/test.conllx.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 1:
                words.append(brackets.get(cols[1], cols[1]))
            elif words:
                sentences.append(" ".join(words))
                words = []
    if words:
        sentences.append(" ".join(words))
    return sentences


def _copy(model: Path) -> Path:
    # Training snapshots change under our feet: load a private copy, removed when the run ends.
    folder = Path(tempfile.mkdtemp(prefix="generx-eval-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = folder / model.name
    shutil.copytree(model, target)
    return target


def eval_cost(shared: Path, parser: Path, ner: Path, *, repeats: int = 3) -> dict[str, Any]:
    """Time of the mention components over the time of the parse (+ gene NER), GENIA test sentences."""
    import spacy

    import generx.pipelines.components as components

    texts = genia_sentences(shared)
    nlp_parse = spacy.load(_copy(parser))
    nlp_ner = spacy.load(_copy(ner))
    mention_nlp = spacy.blank("en")
    pipes = [
        mention_nlp.add_pipe("abbreviation_detector"),
        mention_nlp.add_pipe(components.GENES_FACTORY),
        mention_nlp.add_pipe(components.PROCESSES_FACTORY),
    ]
    best = {"parse": 1e9, "ner": 1e9, "mentions": 1e9}
    n_mentions = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        list(nlp_parse.pipe(texts))
        t1 = time.perf_counter()
        docs = list(nlp_ner.pipe(texts))
        t2 = time.perf_counter()
        n_mentions = 0
        for doc in docs:
            for pipe in pipes:
                doc = pipe(doc)
            n_mentions += len(doc.spans["generx_mentions"])
        t3 = time.perf_counter()
        best = {
            "parse": min(best["parse"], t1 - t0),
            "ner": min(best["ner"], t2 - t1),
            "mentions": min(best["mentions"], t3 - t2),
        }
    base = best["parse"] + best["ner"]
    return {
        "sentences": len(texts),
        "seconds": {k: round(v, 2) for k, v in best.items()},
        "mention_ratio_vs_parse_plus_ner": round(best["mentions"] / base, 3),
        "mention_ratio_vs_parse": round(best["mentions"] / best["parse"], 3),
        "mentions": n_mentions,
    }


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def eval_load() -> dict[str, Any]:
    """Load time and resident memory of the compiled lexicons (first load in this process): genes, then
    the three GO lexicons (biological process, molecular function, cellular component) and their total."""
    from generx.pipelines.lexicon import (
        GENES_FILE,
        GO_CC_FILE,
        GO_FILE,
        GO_MF_FILE,
        load_gene_lexicon,
        load_go_lexicon,
    )

    def measure(name: str, load: Callable[[], object]) -> dict[str, Any]:
        before = _rss_mb()
        t0 = time.perf_counter()
        load()
        seconds = time.perf_counter() - t0
        return {
            "seconds": round(seconds, 2),
            "rss_mb": round(_rss_mb() - before, 1),
            "file_mb": round((HERE / name).stat().st_size / 1e6, 2),
        }

    result: dict[str, Any] = {"genes": measure(GENES_FILE, partial(load_gene_lexicon, HERE))}
    for name in (GO_FILE, GO_MF_FILE, GO_CC_FILE):
        result[name] = measure(name, partial(load_go_lexicon, HERE, name))
    result["go_total_rss_mb"] = round(
        sum(result[name]["rss_mb"] for name in (GO_FILE, GO_MF_FILE, GO_CC_FILE)), 1
    )
    return result


def main(argv: list[str] | None = None) -> int:
    """Run one measurement and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["genes", "processes", "cost", "load"])
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--ner", type=Path, default=None, help="a trained gene NER pipeline (copied first)")
    parser.add_argument("--parser", type=Path, default=None, help="a trained tagger/parser pipeline")
    parser.add_argument("--split", default="test", help="CRAFT split for processes")
    parser.add_argument("--no-related", action="store_true", help="processes: skip RELATED synonyms")
    parser.add_argument("--no-corpus-forms", action="store_true", help="processes: GO's own labels only")
    parser.add_argument("--cv", type=int, default=0, help="processes: K-fold cross-validation on train+dev")
    parser.add_argument("--show", type=int, default=0, help="log this many errors of each kind")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if args.what == "genes":
        result = eval_genes(args.shared, _copy(args.ner) if args.ner else None, show=args.show)
    elif args.what == "processes" and args.cv:
        result = eval_processes_cv(args.shared, folds=args.cv, show=args.show)
    elif args.what == "processes":
        result = eval_processes(
            args.shared,
            split=args.split,
            related=not args.no_related,
            corpus_forms=not args.no_corpus_forms,
            show=args.show,
        )
    elif args.what == "cost":
        if not (args.parser and args.ner):
            parser.error("cost needs --parser and --ner")
        result = eval_cost(args.shared, args.parser, args.ner)
    else:
        result = eval_load()
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
