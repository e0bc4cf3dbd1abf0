"""Write models/generx_bio_sm/MODEL_CARD.md from models/metrics.json and the files on disk (sha256 of each)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODEL = HERE / "generx_bio_sm"

SOURCES = """\
| source | version | licence | used for |
|---|---|---|---|
| GENIA Treebank v1.0, McClosky split, Stanford basic dependencies (converted with Stanford Parser 2.0.5) | allenai/genia-dependency-trees a155b14 | GENIA Project License: annotations CC BY 3.0 (Tateisi et al. 2005, the GENIA Project) | tagger, parser |
| BioCreative II Gene Mention corpus (BC2GM), MTL-Bioinformatics-2016 IOB split | cambridgeltl/MTL-Bioinformatics-2016 df0df02 | released publicly for research; MTL repository CC BY 4.0 (Smith et al. 2008) | gene-mention NER |
| spaCy English lemmatizer tables (spacy-lookups-data) | 1.0.5 | MIT | lemmatizer |
| scispaCy tokenizer rules (imported, not copied) | scispacy 0.6.2 | Apache 2.0 | tokenizer |
"""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main() -> None:
    metrics = json.loads((HERE / "metrics.json").read_text())
    files = sorted(p for p in MODEL.rglob("*") if p.is_file() and p.name != "MODEL_CARD.md")
    total = sum(p.stat().st_size for p in files)
    lines = [
        "# generx_bio_sm 0.1.0: model card",
        "",
        "generx's biomedical spaCy pipeline: a tokenizer for biomedical text, a PTB part-of-speech tagger and a",
        "dependency parser (Stanford basic labels) trained on the GENIA treebank, a rule lemmatizer, and a",
        "gene/protein mention recogniser trained on BC2GM. It is loaded by path from `models/generx_bio_sm`; no",
        "network is used.",
        "",
        "## Sources",
        "",
        SOURCES,
        "## Rebuild",
        "",
        "`make models` (= `python models/build.py --shared ../shared/data`): corpora, training of the tagger/parser",
        "and the NER side by side on 2 cores, assembly, lexicons, evaluation, this card. Configs:",
        "`models/configs/tagger_parser.cfg`, `models/configs/gene_ner.cfg`.",
        "",
        "## Metrics (`python models/evaluate.py --shared ../shared/data`)",
        "",
        "```json",
        json.dumps(metrics, indent=2, sort_keys=True),
        "```",
        "",
        f"## Files ({total / 1e6:.1f} MB)",
        "",
        "| file | bytes | sha256 |",
        "|---|---|---|",
    ]
    lines += [f"| `{p.relative_to(MODEL)}` | {p.stat().st_size} | `{sha256(p)}` |" for p in files]
    (MODEL / "MODEL_CARD.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
