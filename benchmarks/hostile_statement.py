"""What one statement of the longest allowed size, dense with mentions, costs against the same words as
many short statements.

    .venv/bin/python benchmarks/hostile_statement.py [--chars 99000] [--json OUT]

Each case builds about ``--chars`` characters of clauses joined by "and" ("A1BG activates A2M and ..."),
as one statement: with no full stop (one sentence), with a full stop after every clause (thousands of
sentences), with a full stop every 60 clauses, and, with IL2 as the
context gene, "IL2 promotes apoptosis of A1BG cells and ..." every 60 clauses (gene–process pairs). The
baseline, in the same invocation, is the same gene–gene clauses read as one statement each. Reported: the
seconds of each (wall clock, one process) and each case's time over the baseline's.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

PROCESSES = ("apoptosis", "cell proliferation", "angiogenesis", "autophagy", "cell migration", "DNA repair")


def clauses(symbols: list[str], chars: int, clause: Any) -> list[str]:
    found: list[str] = []
    total = 0
    while total < chars:
        found.append(clause(len(found), symbols))
        total += len(found[-1]) + 5
    return found


def joined(parts: list[str], every: int) -> str:
    """The clauses joined by "and", with a full stop after every ``every`` (0: none)."""
    text = ""
    for i, part in enumerate(parts):
        text += part + (". " if every and i % every == every - 1 else " and ")
    return text.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=99_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    import generx
    from generx.pipelines.lexicon import load_gene_lexicon
    from generx.pipelines.statements import Statement

    symbols = [g.symbol for g in load_gene_lexicon().genes if g.symbol.isalnum() and len(g.symbol) > 3]
    nlp = generx.load()
    regulation = clauses(symbols, args.chars, lambda i, s: f"{s[i]} activates {s[i + 1]}")
    processes = clauses(symbols, args.chars, lambda i, s: f"IL2 promotes {PROCESSES[i % 6]} of {s[i]} cells")
    cases = {
        "short statements (baseline)": [Statement(id=str(i), text=t) for i, t in enumerate(regulation)],
        "one statement, one sentence": [Statement(id="x", text=joined(regulation, 0))],
        "one statement, sentences of one clause": [Statement(id="x", text=joined(regulation, 1))],
        "one statement, sentences of 60 clauses": [Statement(id="x", text=joined(regulation, 60))],
        "one statement, gene-process, sentences of 60 clauses": [
            Statement(id="x", text=joined(processes, 60), gene="IL2")
        ],
    }
    list(generx.extract(cases["short statements (baseline)"][:50], nlp=nlp))  # warm-up
    report: dict[str, Any] = {"chars": args.chars, "cases": {}}
    for name, statements in cases.items():
        start = time.perf_counter()
        records = list(generx.extract(statements, nlp=nlp))
        seconds = time.perf_counter() - start
        report["cases"][name] = {"seconds": round(seconds, 2), "records": len(records)}
    baseline = report["cases"]["short statements (baseline)"]["seconds"]
    for name, found in report["cases"].items():
        found["over_baseline"] = round(found["seconds"] / baseline, 2)
        print(
            f"{name:<55}{found['seconds']:>8.1f} s{found['over_baseline']:>8.2f}x  {found['records']} records"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
