"""The gene groundings generx gives in RefSeq summaries, and how two runs differ.

    .venv/bin/python benchmarks/refseq_groundings.py --shared ../shared/data --limit 2000 --out before.tsv
    .venv/bin/python benchmarks/refseq_groundings.py --shared ../shared/data --limit 2000 --out after.tsv \\
        --compare before.tsv

Each gene mention of the runtime pipeline (``pipelines/configs/generx.cfg`` up to its gene recogniser; the
later components do not change a gene mention) is written
as one TSV row: statement id, context gene, offsets, text, HGNC id (or family id, "" when none), name.
With ``--compare``, the mentions whose grounding changed (added, dropped or another id) are printed with
the sentence around them, for a hand check. The summaries are read as ``refseq_summaries.py`` reads them.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from generx.models.refseq import summaries

ROOT = Path(__file__).resolve().parents[1]

FIELDS = ["id", "gene", "start", "end", "text", "hgnc", "name"]


def mention_rows(shared: Path, limit: int) -> tuple[list[dict[str, str]], dict[str, str]]:
    """One row per gene mention of the first ``limit`` summaries, and each summary's text by id."""
    from generx.models import models_dir
    from generx.pipelines.annotations import GENE, MENTIONS
    from generx.pipelines.pipeline import build_pipeline, prepare_doc
    from generx.pipelines.statements import Statement

    nlp = build_pipeline(models_dir(), relation_model=False)
    names = nlp.pipe_names
    nlp.select_pipes(enable=names[: names.index("genes") + 1])
    texts: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    summaries_ = summaries(shared, limit)
    docs = (prepare_doc(nlp, Statement(id=s["id"], text=s["text"], gene=s["gene"])) for s in summaries_)
    for summary, doc in zip(summaries_, nlp.pipe(docs), strict=True):
        texts[summary["id"]] = summary["text"]
        for span in doc.spans.get(MENTIONS, []):
            if span.label_ != GENE:
                continue
            rows.append(
                {
                    "id": summary["id"],
                    "gene": summary["gene"],
                    "start": str(span.start_char),
                    "end": str(span.end_char),
                    "text": span.text,
                    "hgnc": span.kb_id_,
                    "name": span._.name,
                }
            )
    return rows, texts


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start) + 2, 0)
    right = text.find(". ", end)
    return text[left : right + 1 if right >= 0 else len(text)]


def changes(before: list[dict[str, str]], after: list[dict[str, str]], texts: dict[str, str]) -> list[str]:
    """Lines for the mentions whose grounding differs: ``-`` only before, ``+`` only after, ``~`` other id."""
    old = {(r["id"], int(r["start"]), int(r["end"])): r for r in before}
    new = {(r["id"], int(r["start"]), int(r["end"])): r for r in after}
    lines = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a and b and a["hgnc"] == b["hgnc"]:
            continue
        sid, start, end = key
        if a and b:
            what = f"~ {a['text']!r} {a['name']} -> {b['name']}"
        elif a:
            what = f"- {a['text']!r} {a['name']}"
        else:
            what = f"+ {b['text']!r} {b['name']}"  # type: ignore[index]
        lines.append(f"{sid}\t{what}\t{sentence_around(texts.get(sid, ''), start, end)}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=2000, help="only the first N summaries (0: all)")
    parser.add_argument("--out", type=Path, required=True, help="TSV of this run's gene mentions")
    parser.add_argument("--compare", type=Path, default=None, help="an earlier run's TSV: print the changes")
    args = parser.parse_args()
    rows, texts = mention_rows(args.shared, args.limit)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} gene mentions in {len(texts)} summaries -> {args.out}")
    if args.compare:
        lines = changes(read_rows(args.compare), rows, texts)
        print(f"{len(lines)} groundings changed")
        for line in lines:
            print(line)


if __name__ == "__main__":
    main()
