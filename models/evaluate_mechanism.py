"""Score the mechanism generx gives its relations against the GENIA event corpus (GE 2011 train).

    .venv/bin/python models/evaluate_mechanism.py [--limit N] [--json OUT] [--without-binds]
        [--errors N [--reading events|trigger-named|annotated]]
        [--corpus ../shared/data/relations/genia_ge_2011/train.tar.gz]

Setting: in-sample development data (GE'11 train; the devel split is held out and never read here), given
entities (the corpus's ``.a1`` proteins are handed to generx, as ``generx evaluate --mode given-entities``).

Gold. A Regulation / Positive_regulation / Negative_regulation event with a Cause protein gives a pair from
the cause to each protein its Theme reaches (through nested regulations, as
``generx.evaluation.standoff`` flattens them). The pair's mechanism is the type of the first
non-regulation event on the way: Phosphorylation, Gene_expression, Transcription, Localization, Binding,
Protein_catabolism (degradation); a Theme that is a protein itself gives a pair with no mechanism.

A second reading of the same gold is also scored (``trigger-named``): GENIA annotates "transcriptional
activation of X" and "transcriptional regulation of X" as one regulation event whose trigger holds the
word "transcriptional" and whose Theme is the protein itself, with no Transcription event; in this reading
such a regulation gives its pairs the type Transcription, as its trigger says. Everything else is the
same. A third (``annotated``) adds GENIA's Binding events to the second: a gold pair that one Binding event
also takes as its two Themes has the type Binding as well (GENIA annotates "X binds the Y promoter" as a
Binding of X and Y, the promoter its Site, while the regulation gold types the pair by the event regulated,
"X activates Y transcription"). All three tables are printed; the targets are checked on each.

Diagnostics, not scored: ``--errors N`` lists, per type, up to N pairs where generx and the gold disagree,
each with generx's records of the pair (predicate, trigger, mechanism, sentence) and whether one gold
Binding event joins the two proteins; a line counts the pairs of ``binds`` records that a gold Binding
event joins.

generx. The relations of each document, with the given proteins as subject and object; a symmetric
relation (``binds``) stands for both directions; its mechanism, binding like that of every ``binds``
record, is scored as any other. Its mechanism type is mapped onto GENIA's:
phosphorylation and dephosphorylation -> Phosphorylation (GE'11 has no dephosphorylation: "X inhibits
phosphorylation of Y" is a Negative_regulation of a Phosphorylation there), expression ->
Gene_expression, transcription -> Transcription, localization and secretion -> Localization (GENIA
annotates secretion as Localization), binding -> Binding, degradation -> Protein_catabolism.

Scores, per GENIA type T, among the gold pairs that generx relates (any predicate, the gold direction):
recall = pairs with gold type T that generx gives type T / pairs with gold type T; precision = pairs
generx gives type T whose gold has T / pairs generx gives type T. A pair may have several gold types.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "relations" / "genia_ge_2011" / "train.tar.gz"

REGULATIONS = frozenset({"Regulation", "Positive_regulation", "Negative_regulation"})
GENIA_TYPES = (
    "Phosphorylation",
    "Gene_expression",
    "Transcription",
    "Localization",
    "Binding",
    "Protein_catabolism",
)
# generx mechanism type -> the GENIA event type it corresponds to.
GENIA_TYPE = {
    "phosphorylation": "Phosphorylation",
    "dephosphorylation": "Phosphorylation",
    "expression": "Gene_expression",
    "transcription": "Transcription",
    "localization": "Localization",
    "secretion": "Localization",
    "binding": "Binding",
    "degradation": "Protein_catabolism",
}
# Words in a regulation's own trigger that name a transcription ("transcriptional activation").
TRANSCRIPTION_TRIGGER = re.compile(r"transcription", re.IGNORECASE)
TARGETS = ("Phosphorylation", "Gene_expression", "Transcription", "Localization", "Binding")
MIN_GOLD_PAIRS = 30

Pair = tuple[str, str, str]  # (document, cause, theme)


def gold_mechanisms(corpus: Path, *, trigger_names: bool = False) -> dict[Pair, set[str]]:
    """Every gold cause -> theme pair of the corpus with the GENIA types of the events between them;
    with ``trigger_names``, a regulation whose trigger names a transcription gives Transcription."""
    # The standoff reader's own parsing: the same files, protein groups and Theme walk generx evaluate uses.
    from generx.evaluation.standoff import (
        parse_standoff,
        read_standoff_files,
        standoff_groups,
        standoff_proteins,
    )

    pairs: dict[Pair, set[str]] = {}
    for base, parts in sorted(read_standoff_files(corpus).items()):
        if "txt" not in parts:
            continue
        document = parse_standoff(base, parts.get("a1", "") + "\n" + parts.get("a2", ""), parts["txt"])
        group = standoff_groups(document)
        named = _transcription_triggers(parts.get("a2", "")) if trigger_names else set()

        for event_id, event in document.events.items():
            if event.type not in REGULATIONS:
                continue
            causes = {
                group[p]
                for role, ref in event.args
                if role == "Cause"
                for p in standoff_proteins(document, ref)
            }
            for role, ref in event.args:
                if not role.startswith("Theme"):
                    continue
                for protein, kind in _reached(document, ref, named=named, by=event_id):
                    for cause in causes:
                        if cause != group[protein]:
                            kinds = pairs.setdefault((base, cause, group[protein]), set())
                            if kind:
                                kinds.add(kind)
    return pairs


def _transcription_triggers(annotation: str) -> set[str]:
    """The ids of the events of a ``.a2`` whose trigger text names a transcription."""
    names = {}
    triggers = {}
    for line in annotation.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) > 2:
            names[fields[0]] = fields[2]
        elif line.startswith("E") and len(fields) > 1 and ":" in fields[1].split()[0]:
            triggers[fields[0]] = fields[1].split()[0].split(":", 1)[1]
    return {e for e, t in triggers.items() if TRANSCRIPTION_TRIGGER.search(names.get(t, ""))}


def binding_pairs(corpus: Path) -> set[Pair]:
    """The (document, protein, protein) pairs, both ways, that one gold Binding event takes as Themes
    (GENIA annotates "X binds the Y promoter" so too, the promoter a Site)."""
    from generx.evaluation.standoff import (
        parse_standoff,
        read_standoff_files,
        standoff_groups,
        standoff_proteins,
    )

    pairs: set[Pair] = set()
    for base, parts in sorted(read_standoff_files(corpus).items()):
        if "txt" not in parts:
            continue
        document = parse_standoff(base, parts.get("a1", "") + "\n" + parts.get("a2", ""), parts["txt"])
        group = standoff_groups(document)
        for event in document.events.values():
            if event.type != "Binding":
                continue
            bound = {
                group[p]
                for role, ref in event.args
                if role.startswith("Theme")
                for p in standoff_proteins(document, ref)
            }
            pairs.update((base, a, b) for a in bound for b in bound if a != b)
    return pairs


def with_binding_events(gold: dict[Pair, set[str]], bound: set[Pair]) -> dict[Pair, set[str]]:
    """The gold pairs, each also typed Binding where one gold Binding event takes both as Themes: GENIA's
    own annotation of "X binds the Y promoter" (the promoter a Site) between the two."""
    return {pair: kinds | {"Binding"} if pair in bound else kinds for pair, kinds in gold.items()}


def _reached(
    document: Any, ref: str, depth: int = 0, *, named: set[str] | None = None, by: str = ""
) -> list[tuple[str, str | None]]:
    """(protein, GENIA type or None) for each protein a regulation's Theme reaches; ``by`` is the
    regulation, Transcription for its proteins when it is in ``named``."""
    from generx.evaluation.standoff import standoff_proteins

    if ref in document.proteins:
        return [(ref, "Transcription" if named and by in named else None)]
    event = document.events.get(ref)
    if event is None or depth > 10:
        return []
    themes = [arg for role, arg in event.args if role.startswith("Theme")]
    if event.type in REGULATIONS:
        # The regulation nearest the protein decides ("inhibits transcriptional activation of X").
        return [
            found
            for arg in themes
            for found in _reached(
                document, arg, depth + 1, named=named, by=ref if named and ref in named else by
            )
        ]
    kind = event.type if event.type in GENIA_TYPES else None
    return [(p, kind) for arg in themes for p in standoff_proteins(document, arg)]


def predicted_mechanisms(
    corpus: Path,
    limit: int,
    *,
    binds_mechanism: bool = True,
    evidence: dict[Pair, list[str]] | None = None,
) -> tuple[dict[Pair, set[str]], Counter[str], int]:
    """generx's related pairs with the GENIA types of their mechanisms, the generx types seen, and how
    many statements failed; without ``binds_mechanism`` a ``binds`` record relates its pair but its
    mechanism (binding) is not scored. ``evidence``, when given, is filled with one line per record of
    each pair (predicate, trigger, mechanism, sentence) for the error listings."""
    from generx.evaluation.standoff import read_standoff
    from generx.pipelines.extract import extract, load_pipeline

    statements = read_standoff(corpus).statements
    statements = statements[:limit] if limit else statements
    nlp = load_pipeline()
    pairs: dict[Pair, set[str]] = defaultdict(set)
    seen: Counter[str] = Counter()
    failed = 0
    for result in extract(nlp, statements):
        failed += bool(result.error)
        for record in result.relations:
            subject, obj = record["subject"].get("id"), record["object"].get("id")
            if not subject or not obj:
                continue
            mechanism = record.get("mechanism") or {}
            kind = GENIA_TYPE.get(mechanism.get("type") or "")
            if record["predicate"] == "binds" and not binds_mechanism:
                kind = None
            seen[mechanism.get("type") or "none"] += 1
            keys = [(result.statement.id, subject, obj)]
            if record["predicate"] in ("binds", "associated_with"):
                keys.append((result.statement.id, obj, subject))
            for key in keys:
                pairs[key].update([kind] if kind else [])
                if evidence is not None:
                    evidence.setdefault(key, []).append(_described(record))
    return dict(pairs), seen, failed


def _described(record: dict[str, Any]) -> str:
    """One record as an error listing shows it: "X -predicate-> Y [trigger] mechanism | sentence"."""
    mechanism = (record.get("mechanism") or {}).get("type")
    return (
        f"{record['subject'].get('text')} -{record['predicate']}-> {record['object'].get('text')} "
        f"[{record['trigger']['text']}] {mechanism} | {' '.join(record['evidence']['text'].split())[:300]}"
    )


def score(gold: dict[Pair, set[str]], predicted: dict[Pair, set[str]]) -> dict[str, dict[str, Any]]:
    """Per GENIA type: gold pairs, gold pairs generx relates, and mechanism precision and recall there."""
    related = {pair for pair in gold if pair in predicted}
    table: dict[str, dict[str, Any]] = {}
    for kind in GENIA_TYPES:
        gold_pairs = [pair for pair in gold if kind in gold[pair]]
        reachable = [pair for pair in gold_pairs if pair in related]
        found = [pair for pair in reachable if kind in predicted[pair]]
        given = [pair for pair in related if kind in predicted[pair]]
        right = [pair for pair in given if kind in gold[pair]]
        table[kind] = {
            "gold_pairs": len(gold_pairs),
            "related": len(reachable),
            "recall": len(found) / len(reachable) if reachable else None,
            "given": len(given),
            "precision": len(right) / len(given) if given else None,
            "target": kind in TARGETS and len(gold_pairs) >= MIN_GOLD_PAIRS,
        }
    return table


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="score the first N documents only")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--errors", type=int, default=0, help="list up to N disagreements per type")
    parser.add_argument("--reading", default="events", help="the gold reading the errors are listed against")
    parser.add_argument(
        "--without-binds",
        action="store_true",
        help="do not score the mechanism of binds records (they still relate their pair)",
    )
    args = parser.parse_args()

    bound = binding_pairs(args.corpus)
    trigger_named = gold_mechanisms(args.corpus, trigger_names=True)
    readings = {
        "events": gold_mechanisms(args.corpus),
        "trigger-named": trigger_named,
        "annotated": with_binding_events(trigger_named, bound),
    }
    evidence: dict[Pair, list[str]] = {}
    predicted, seen, failed = predicted_mechanisms(
        args.corpus, args.limit, binds_mechanism=not args.without_binds, evidence=evidence
    )
    if args.limit:
        scored = {pair[0] for pair in predicted}
        readings = {
            name: {pair: kinds for pair, kinds in gold.items() if pair[0] in scored}
            for name, gold in readings.items()
        }
    gold = readings["events"]
    related = sum(pair in predicted for pair in gold)
    print(
        f"{args.corpus.name}: {len(gold)} gold pairs, {related} related by generx; failed statements {failed}"
    )
    print(f"generx mechanism types on all its relations: {dict(seen.most_common())}")
    # The binds records' pairs against GENIA's own Binding events.
    binds = {pair for pair, lines in evidence.items() if any(" -binds-> " in line for line in lines)}
    print(
        f"binds records: {len(binds)} pairs (both ways), {len(binds & bound)} joined by a gold Binding "
        f"event, {sum(pair in gold for pair in binds)} in the regulation gold"
    )
    results: dict[str, Any] = {}
    for name, reading in readings.items():
        table = score(reading, predicted)
        met = _print_table(name, table)
        results[name] = {"types": table, "met": met}
    if args.errors:
        gold = readings[args.reading]
        for kind in GENIA_TYPES:
            wrong = [
                (pair, sorted(gold[pair]), sorted(predicted[pair]))
                for pair in gold
                if pair in predicted and (kind in gold[pair]) != (kind in predicted[pair])
            ]
            for pair, want, got in wrong[: args.errors]:
                joined = " (a gold Binding event joins the two)" if pair in bound else ""
                print(f"  {kind}: {pair} gold {want} generx {got}{joined}", file=sys.stderr)
                for line in evidence.get(pair, []):
                    print(f"      {line}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"corpus": str(args.corpus), "readings": results}, indent=2) + "\n")


def _print_table(name: str, table: dict[str, dict[str, Any]]) -> bool:
    """Print one reading's table; whether every target type meets the targets."""
    print(f"\ngold reading: {name}")
    print(f"{'GENIA type':<20}{'gold':>6}{'related':>9}{'recall':>9}{'given':>7}{'precision':>11}  target")
    met = True
    for kind, row in table.items():
        ok = "-"
        if row["target"]:
            passed = (row["precision"] or 0) >= 0.85 and (row["recall"] or 0) >= 0.60
            met &= passed
            ok = "met" if passed else "MISSED"
        print(
            f"{kind:<20}{row['gold_pairs']:>6}{row['related']:>9}{_pct(row['recall']):>9}{row['given']:>7}"
            f"{_pct(row['precision']):>11}  {ok}"
        )
    return met


if __name__ == "__main__":
    main()
