"""Convert the raw corpora in ../shared/data into spaCy DocBin files for training and evaluation.

GENIA treebank (Stanford basic dependencies, McClosky split) -> tagger/parser corpora, one Doc per
abstract so the parser learns sentence boundaries; BC2GM (IOB2) -> gene-mention NER corpora.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin
from spacy.training import biluo_tags_to_spans, iob_to_biluo

# McClosky's trees write brackets and XML specials as escapes, as whole tokens and inside words
# (see genia_treebank/README.md); undo them so the model sees the characters real text has.
_ESCAPES = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
    "&amp;": "&",
    "&lt;": "<",
    "&gt;": ">",
}
_ESCAPE_RE = re.compile("|".join(re.escape(k) for k in _ESCAPES))


def unescape_token(text: str) -> str:
    """Turn PTB bracket escapes and XML entities back into the characters they stand for."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


def read_conllx(path: Path) -> Iterator[list[tuple[str, str, int, str]]]:
    """Yield sentences as lists of (word, PTB tag, head index 0-based or -1 for root, label)."""
    sentence: list[tuple[str, str, int, str]] = []
    with gzip.open(path, "rt", encoding="utf8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line:
                if sentence:
                    yield sentence
                sentence = []
                continue
            cols = line.split("\t")
            head = int(cols[6])
            sentence.append((unescape_token(cols[1]), cols[4], head - 1, cols[7]))
    if sentence:
        yield sentence


def treebank_docs(vocab: spacy.Vocab, conllx: Path, pmids: Path, max_sents: int = 12) -> Iterator[Doc]:
    """One Doc per abstract (split after max_sents sentences), with tags, heads, deps and sentence starts."""
    sentence_pmids = pmids.read_text().split()
    group: list[list[tuple[str, str, int, str]]] = []
    last_pmid = None
    for sentence, pmid in zip(read_conllx(conllx), sentence_pmids, strict=True):
        if group and (pmid != last_pmid or len(group) >= max_sents):
            yield _doc_from_sentences(vocab, group)
            group = []
        group.append(sentence)
        last_pmid = pmid
    if group:
        yield _doc_from_sentences(vocab, group)


def _doc_from_sentences(vocab: spacy.Vocab, sentences: list[list[tuple[str, str, int, str]]]) -> Doc:
    words: list[str] = []
    tags: list[str] = []
    heads: list[int] = []
    deps: list[str] = []
    sent_starts: list[bool | int | None] = []
    for sentence in sentences:
        offset = len(words)
        for i, (word, tag, head, dep) in enumerate(sentence):
            words.append(word)
            tags.append(tag)
            heads.append(offset + (i if head < 0 else head))
            deps.append("ROOT" if dep == "root" else dep)
            sent_starts.append(i == 0)
    return Doc(vocab, words=words, tags=tags, heads=heads, deps=deps, sent_starts=sent_starts)


def read_iob(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """Yield (words, IOB2 tags) per sentence of an MTL-style token<TAB>tag file."""
    words: list[str] = []
    tags: list[str] = []
    with gzip.open(path, "rt", encoding="utf8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line or line.startswith("-DOCSTART-"):
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            word, tag = line.split("\t")[:2]
            words.append(word)
            tags.append(tag)
    if words:
        yield words, tags


def ner_docs(vocab: spacy.Vocab, path: Path, keep: set[str], label: str = "GENE") -> Iterator[Doc]:
    """Docs with the mentions of the entity types in `keep`, all relabelled as `label`."""
    for words, tags in read_iob(path):
        tags = [t if t == "O" or t[2:] in keep else "O" for t in tags]
        doc = Doc(vocab, words=words)
        spans = biluo_tags_to_spans(doc, iob_to_biluo(tags))
        doc.ents = [doc.char_span(s.start_char, s.end_char, label=label) for s in spans]  # type: ignore[misc]
        yield doc


def write(docs: Iterator[Doc], out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    docbin = DocBin(store_user_data=False)
    n = 0
    for doc in docs:
        docbin.add(doc)
        n += 1
    docbin.to_disk(out)
    return n


def build_corpora(shared: Path, out: Path) -> None:
    vocab = spacy.blank("en").vocab
    treebank = shared / "genia_treebank"
    for split in ("train", "dev", "test"):
        n = write(
            treebank_docs(
                vocab,
                treebank / "sd" / f"{split}.conllx.gz",
                treebank / "pmids" / f"{split}_per_sentence.pmids",
            ),
            out / f"genia_{split}.spacy",
        )
        print(f"genia {split}: {n} docs")
    for split, name in (("train", "train"), ("devel", "dev"), ("test", "test")):
        n = write(
            ner_docs(vocab, shared / "ner" / "bc2gm" / f"{split}.tsv.gz", {"GENE"}),
            out / f"bc2gm_{name}.spacy",
        )
        print(f"bc2gm {name}: {n} docs")


if __name__ == "__main__":
    import sys

    build_corpora(Path(sys.argv[1]), Path(sys.argv[2]))
