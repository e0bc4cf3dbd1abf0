"""Assemble the shipped pipeline models/generx_bio_sm from the trained tagger/parser and gene NER.

generx_bio_sm = generx's biomedical tokenizer, tok2vec + PTB tagger + GENIA parser, an attribute ruler that
maps PTB tags to universal POS, spaCy's rule lemmatizer (its English tables are copied into the model, so
spacy-lookups-data is needed only here), and the BC2GM gene-mention NER with its own tok2vec.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import spacy

HERE = Path(__file__).resolve().parent


def assemble(parser_dir: Path, ner_dir: Path | None, out: Path) -> None:
    nlp = spacy.load(parser_dir)
    nlp.tokenizer = spacy.util.registry.tokenizers.get("generx.bio_tokenizer.v1")()(nlp)
    nlp.config["nlp"]["tokenizer"] = {"@tokenizers": "generx.bio_tokenizer.v1"}

    tag_map = json.loads((HERE / "ptb_to_upos.json").read_text())
    ruler: Any = nlp.add_pipe("attribute_ruler", after="tagger")
    for tag, pos in tag_map.items():
        ruler.add([[{"TAG": tag}]], {"POS": pos})
    lemmatizer: Any = nlp.add_pipe("lemmatizer", after="attribute_ruler", config={"mode": "rule"})
    lemmatizer.initialize()

    if ner_dir is not None:
        ner_nlp = spacy.load(ner_dir)
        # The NER was trained with its own tok2vec: give it a private copy so it can live beside the parser's.
        ner_nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
        nlp.add_pipe("ner", source=ner_nlp)

    nlp.meta["name"] = "bio_sm"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = "generx biomedical pipeline: GENIA tagger and parser, BC2GM gene mentions"
    nlp.meta["license"] = "CC BY 3.0 (trained on GENIA treebank and BC2GM; see MODEL_CARD.md)"
    nlp.to_disk(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parser", type=Path, default=HERE / "training" / "tagger_parser" / "model-best")
    parser.add_argument("--ner", type=Path, default=HERE / "training" / "gene_ner" / "model-best")
    parser.add_argument("--out", type=Path, default=HERE / "generx_bio_sm")
    args = parser.parse_args()
    assemble(args.parser, args.ner, args.out)


if __name__ == "__main__":
    main()
