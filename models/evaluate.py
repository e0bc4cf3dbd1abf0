"""Evaluate generx's biomedical pipeline: GENIA tagger/parser, BC2GM gene mentions and the tokenizer.

    .venv/bin/python models/evaluate.py [--model DIR] [--ner-model DIR] [--shared ../shared/data]
                                        [--limit N] [--json OUT]

How each number is scored:

- GENIA treebank test split (McClosky split, Stanford basic dependencies, ``models/corpus.py``): the
  pipeline runs on the gold tokens, one Doc per abstract (at most 12 sentences), so the parser also
  predicts sentence boundaries. POS is PTB tag accuracy. UAS/LAS come from spaCy's Scorer, which
  leaves out tokens labelled ``punct`` (the headline, as scispaCy reports); the same scores with
  punctuation included are printed beside them. Sentence P/R/F scores predicted sentence spans
  against gold sentences on whole abstracts.
- BC2GM test split: the NER runs on the gold tokens; a predicted GENE mention counts only if its token
  span and label match a gold mention exactly (spaCy's ``ents_p/r/f``). Gold is the primary GENE
  annotation only; BC2GM's ALTGENE alternatives are not in the data and are not credited.
- Tokenizer: raw abstract text is rebuilt from the GENIA treebank XML (the test split's PMIDs,
  sentences joined by one space) and each tokenizer's token character spans are compared with the
  GENIA tokens: a token is correct only if both its boundaries match. Whitespace tokens are ignored.
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
import time
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.vocab import Vocab

from generx.models.corpus import ner_docs, treebank_docs
from generx.pipelines.tokenizer import bio_tokenizer  # also registers generx.bio_tokenizer.v1

ROOT = Path(__file__).resolve().parent.parent

TokenSpans = list[tuple[int, int]]


def load_docs(vocab: Vocab, corpus_dir: Path, shared: Path, name: str, *, limit: int = 0) -> list[Doc]:
    """Gold Docs of one split: the DocBin built by models/corpus.py, or built in memory from ``shared``."""
    path = corpus_dir / f"{name}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(vocab))
    elif name == "genia_test":
        treebank = shared / "genia_treebank"
        docs = list(
            treebank_docs(
                vocab, treebank / "sd" / "test.conllx.gz", treebank / "pmids" / "test_per_sentence.pmids"
            )
        )
    elif name == "bc2gm_test":
        docs = list(ner_docs(vocab, shared / "ner" / "bc2gm" / "test.tsv.gz", {"GENE"}))
    else:
        raise FileNotFoundError(path)
    return docs[:limit] if limit else docs


def predict(nlp: Language, references: Iterable[Doc], *, batch_size: int = 64) -> list[Example]:
    """Run ``nlp`` on fresh Docs with the references' gold tokens; pair each prediction with its reference."""
    references = list(references)
    blanks = (
        Doc(nlp.vocab, words=[t.text for t in ref], spaces=[bool(t.whitespace_) for t in ref])
        for ref in references
    )
    return [
        Example(pred, ref)
        for pred, ref in zip(nlp.pipe(blanks, batch_size=batch_size), references, strict=True)
    ]


def _lower_dep(token: Any, attr: str) -> str:
    return str(token.vocab.strings.as_string(getattr(token, attr)).lower())


def score_parse(examples: list[Example]) -> dict[str, float]:
    """POS accuracy, UAS/LAS without and with punctuation, and sentence P/R/F, all in percent."""
    tags = Scorer.score_token_attr(examples, "tag")
    no_punct = Scorer.score_deps(examples, "dep", getter=_lower_dep, ignore_labels=("p", "punct"))
    with_punct = Scorer.score_deps(examples, "dep", getter=_lower_dep, ignore_labels=())
    sents = Scorer.score_spans(examples, "sents", has_annotation=lambda doc: doc.has_annotation("SENT_START"))
    return {
        "pos_acc": 100 * (tags["tag_acc"] or 0.0),
        "uas": 100 * (no_punct["dep_uas"] or 0.0),
        "las": 100 * (no_punct["dep_las"] or 0.0),
        "uas_with_punct": 100 * (with_punct["dep_uas"] or 0.0),
        "las_with_punct": 100 * (with_punct["dep_las"] or 0.0),
        "sents_p": 100 * (sents["sents_p"] or 0.0),
        "sents_r": 100 * (sents["sents_r"] or 0.0),
        "sents_f": 100 * (sents["sents_f"] or 0.0),
    }


def score_mentions(examples: list[Example]) -> dict[str, float]:
    """Exact-span, exact-label precision, recall and F1 of entity mentions, in percent."""
    ents = Scorer.score_spans(examples, "ents")
    return {
        "p": 100 * (ents["ents_p"] or 0.0),
        "r": 100 * (ents["ents_r"] or 0.0),
        "f": 100 * (ents["ents_f"] or 0.0),
    }


def genia_raw_abstracts(shared: Path, split: str = "test") -> list[tuple[str, TokenSpans]]:
    """Raw text and gold token character spans of each abstract of a GENIA treebank split.

    The text is rebuilt from the GENIA Treebank v1 XML (``genia_treebank/original``): each sentence is
    the concatenation of its text nodes, which keep the original spacing; sentences are joined by one
    space. Gold tokens are the XML's ``<tok>`` elements.
    """
    treebank = shared / "genia_treebank"
    wanted = {p.lstrip("0") for p in (treebank / "pmids" / f"{split}.pmids").read_text().split()}
    abstracts = []
    with tarfile.open(treebank / "original" / "genia_treebank_v1_xml.tar.gz") as tar:
        for member in tar:
            stem = Path(member.name).stem
            if member.name.endswith(".xml") and stem in wanted:
                xml = tar.extractfile(member)
                if xml is not None:
                    abstracts.append(_abstract_text(ET.fromstring(xml.read())))
    return abstracts


def _abstract_text(root: ET.Element) -> tuple[str, TokenSpans]:
    parts: list[str] = []
    spans: TokenSpans = []
    length = 0

    def add(text: str | None) -> None:
        nonlocal length
        if text:
            parts.append(text)
            length += len(text)

    def walk(element: ET.Element) -> None:
        start = length
        add(element.text)
        if element.tag == "tok":
            spans.append((start, length))
            return
        for child in element:
            walk(child)
            add(child.tail)

    for sentence in root.iter("sentence"):
        if parts:
            add(" ")
        walk(sentence)
    return "".join(parts), spans


def score_tokenizer(
    tokenizer: Callable[[str], Doc], abstracts: list[tuple[str, TokenSpans]]
) -> dict[str, float]:
    """Precision, recall and F1 (percent) of token character spans against the gold spans."""
    tp = n_pred = n_gold = 0
    for text, gold in abstracts:
        pred = {(t.idx, t.idx + len(t)) for t in tokenizer(text) if not t.is_space}
        tp += len(pred & set(gold))
        n_pred += len(pred)
        n_gold += len(gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": 100 * p, "r": 100 * r, "f": 100 * f, "gold_tokens": n_gold}


def tokenizers(nlp: Language) -> dict[str, Callable[[str], Doc]]:
    """The tokenizers compared: spaCy's English default, scispaCy's rule tokenizer as is, generx's."""
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    blank = spacy.blank("en")
    with warnings.catch_warnings():
        # scispaCy's character classes trigger a harmless FutureWarning from the re module.
        warnings.simplefilter("ignore", FutureWarning)
        scispacy_tokenizer = combined_rule_tokenizer(blank)
    return {
        "spacy_en_default": blank.tokenizer,
        "scispacy_combined_rule": scispacy_tokenizer,
        "generx_bio_tokenizer": bio_tokenizer(blank),
        "model": nlp.tokenizer,
    }


def _has(nlp: Language, *names: str) -> bool:
    return all(name in nlp.pipe_names for name in names)


def evaluate(
    model: Path, *, ner_model: Path | None, shared: Path, corpus_dir: Path, limit: int = 0
) -> dict[str, Any]:
    """All the numbers of the model card, as one dict."""
    results: dict[str, Any] = {"model": str(model), "limit": limit}
    start = time.perf_counter()
    nlp = spacy.load(model)
    results["load_s"] = time.perf_counter() - start
    results["pipeline"] = nlp.pipe_names
    if _has(nlp, "tagger", "parser"):
        docs = load_docs(nlp.vocab, corpus_dir, shared, "genia_test", limit=limit)
        # Only what the parse needs: a model's NER would not change these numbers but would cost time.
        with nlp.select_pipes(enable=[n for n in nlp.pipe_names if n in ("tok2vec", "tagger", "parser")]):
            examples = predict(nlp, docs)
        results["genia_test"] = {
            "docs": len(docs),
            "sentences": sum(1 for doc in docs for _ in doc.sents),
            "tokens": sum(len(doc) for doc in docs),
            **score_parse(examples),
        }
    ner_nlp = spacy.load(ner_model) if ner_model else nlp
    if _has(ner_nlp, "ner"):
        docs = load_docs(ner_nlp.vocab, corpus_dir, shared, "bc2gm_test", limit=limit)
        examples = predict(ner_nlp, docs)
        results["bc2gm_test"] = {
            "model": str(ner_model or model),
            "sentences": len(docs),
            "gold_mentions": sum(len(doc.ents) for doc in docs),
            **score_mentions(examples),
        }
    abstracts = genia_raw_abstracts(shared, "test")
    results["tokenizer_genia_test"] = {
        name: score_tokenizer(tok, abstracts) for name, tok in tokenizers(nlp).items()
    }
    return results


def format_report(results: dict[str, Any]) -> str:
    """A plain-text table of the results."""
    lines = [f"model: {results['model']}  pipeline: {results['pipeline']}  load: {results['load_s']:.2f}s"]
    if results["limit"]:
        lines.append(f"(first {results['limit']} docs of each split only: not the full test sets)")
    genia = results.get("genia_test")
    if genia:
        lines += [
            "",
            f"GENIA test ({genia['docs']} abstracts, {genia['sentences']} sentences, "
            f"{genia['tokens']} tokens; the pipeline runs on the gold tokens)",
            f"  POS (PTB tag) accuracy   {genia['pos_acc']:6.2f}",
            f"  UAS  (punct excluded)    {genia['uas']:6.2f}   headline, as spaCy's scorer and scispaCy",
            f"  LAS  (punct excluded)    {genia['las']:6.2f}   Stanford basic labels",
            f"  UAS  (punct included)    {genia['uas_with_punct']:6.2f}",
            f"  LAS  (punct included)    {genia['las_with_punct']:6.2f}",
            f"  sentences P / R / F      {genia['sents_p']:6.2f} / {genia['sents_r']:6.2f} / "
            f"{genia['sents_f']:6.2f}",
        ]
    else:
        lines += ["", "GENIA test: skipped (the model has no tagger and parser)"]
    bc2gm = results.get("bc2gm_test")
    if bc2gm:
        lines += [
            "",
            f"BC2GM test ({bc2gm['sentences']} sentences, {bc2gm['gold_mentions']} gold GENE mentions; "
            "exact span on gold tokens, primary GENE only, no ALTGENE)",
            f"  GENE P / R / F           {bc2gm['p']:6.2f} / {bc2gm['r']:6.2f} / {bc2gm['f']:6.2f}",
            f"  (NER pipeline: {bc2gm['model']})",
        ]
    else:
        lines += ["", "BC2GM test: skipped (no ner component; pass --ner-model)"]
    toks = results["tokenizer_genia_test"]
    gold = next(iter(toks.values()))["gold_tokens"]
    lines += [
        "",
        f"Tokenizer vs GENIA test tokens ({gold} gold tokens; raw text from the treebank XML; "
        "a token counts if both boundaries match)",
    ]
    for name, s in toks.items():
        lines.append(f"  {name:<24} P {s['p']:6.2f}  R {s['r']:6.2f}  F {s['f']:6.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--model", type=Path, default=ROOT / "models" / "generx_bio_sm", help="pipeline directory"
    )
    parser.add_argument("--ner-model", type=Path, default=None, help="separate gene NER pipeline, if any")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data", help="raw data")
    parser.add_argument(
        "--corpus", type=Path, default=ROOT / "models" / "corpus", help="DocBins of models/corpus.py"
    )
    parser.add_argument("--limit", type=int, default=0, help="first N docs of each split only (quick checks)")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers to this JSON file")
    args = parser.parse_args(argv)
    results = evaluate(
        args.model, ner_model=args.ner_model, shared=args.shared, corpus_dir=args.corpus, limit=args.limit
    )
    print(format_report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
