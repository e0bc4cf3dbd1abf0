"""Exporting a million relations keeps memory flat: peak RSS of every format of ``EXPORTS`` at 10k and 1M.

    .venv/bin/python benchmarks/export_memory.py --json benchmarks/results_export_memory.json

Options: ``--n-small 10000``, ``--n-large 1000000``, ``--formats jsonl,tsv,...`` (default: all of
``generx.exports.formats.EXPORTS``), ``--records`` (the template records), ``--tmp DIR`` (where outputs go),
``--timeout`` (seconds per run), ``--json OUT``.

Input. Synthetic but built from real records: the documents cycle through the IL2 relation records of
``tests/data/exports/records.jsonl`` (12 records, every predicate), grouped by statement as ``generx
extract`` gives them (one or two relations a document), and stop at exactly N relations. Each document
gets a fresh statement id (``PMID:<n>`` or ``bench:<i>``, alternately), the record's evidence sentence as
its statement text (offsets moved so they point into it; they already do when the evidence starts at
0), its located arguments as mentions and a context gene. The gene and GO ids of each document are
drawn again, from bounded pools (5,000 HGNC-like ids, 500 GO ids, the real ones of the records first),
with Zipf weights (rank r drawn with weight 1/r: a few genes are everywhere, most are rare, as in the
literature), so the number of distinct nodes stays realistic and bounded. Every 17th relation is
negated and every 11th hedged. The documents are generated lazily (a generator, never a list), from a
seeded random source: each run sees the same documents. The parent reports how many distinct nodes and
(subject, predicate, object) triples each N holds, since some writers keep one entry per triple.

Runs. Each run is a fresh subprocess (``--child``), so its peak RSS is its own: it imports
``generx.exports.formats``, then writes the N relations with ``write_export`` to a temporary file
opened ``wb`` (as ``generx extract -o`` does), which is deleted after its size is noted. Peak RSS is
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (KiB on Linux) at the end of the run; seconds are the wall
time of the export alone (generation included, imports not). The baseline run generates and iterates
the same documents without exporting: it is the input cost, and ``above baseline`` is a format's peak
minus the baseline's peak at the same N. JSON Lines is the reference writer (``x jsonl`` is the time
against it). ``ratio`` is the peak at the large N over the peak at the small N: flat memory is a ratio
close to 1.0; a ratio above 1.3, or more than 50 MB gained between the two, is flagged ``GROWS``.
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

RECORDS = ROOT / "tests" / "data" / "exports" / "records.jsonl"
GENE_POOL = 5000
GO_POOL = 500
SEED = 0
BASELINE = "baseline"
REFERENCE = "jsonl"
FLAT_RATIO = 1.3
FLAT_GROWTH_MB = 50.0
MENTION_SIDES = ("subject", "object")


# ----------------------------------------------------------------------------------------------------
# The input


def _shifted(span: dict[str, Any] | None, base: int, text: str) -> dict[str, Any] | None:
    """The span with its offsets into ``text`` (the evidence sentence, which starts at ``base``)."""
    if not span or span.get("start") is None or span.get("end") is None:
        return span
    start, end = span["start"] - base, span["end"] - base
    if not 0 <= start <= end <= len(text) or text[start:end] != span.get("text"):
        raise ValueError(f"span {span!r} does not point into its evidence {text!r}")
    return {**span, "start": start, "end": end}


def load_templates(path: Path) -> list[list[dict[str, Any]]]:
    """The records, grouped by statement, with every offset moved into the record's evidence sentence.

    The evidence sentence becomes the statement text, so offsets must be relative to it: a record's
    offsets are into its statement, and its evidence starts at ``evidence.start`` there.
    """
    groups: list[list[dict[str, Any]]] = []
    key: tuple[Any, str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        evidence = record["evidence"]
        text, base = evidence["text"], evidence.get("start") or 0
        record = {
            **record,
            "subject": _shifted(record["subject"], base, text),
            "object": _shifted(record["object"], base, text),
            "trigger": _shifted(record.get("trigger"), base, text),
            "evidence": {**evidence, "start": 0, "end": len(text)},
        }
        if (record["statement_id"], text) != key:
            key = (record["statement_id"], text)
            groups.append([])
        groups[-1].append(record)
    return groups


class Pool:
    """A bounded set of ids with names, drawn with Zipf weights (the record's real ids first)."""

    def __init__(self, real: dict[str, str], size: int, make: Callable[[int], tuple[str, str]]) -> None:
        entries = list(real.items())[:size]
        number = 0
        while len(entries) < size:
            number += 1
            entry = make(number)
            if entry[0] not in real:
                entries.append(entry)
        self.entries = entries
        total = 0.0
        self.cumulative: list[float] = []
        for rank in range(1, size + 1):
            total += 1.0 / rank
            self.cumulative.append(total)

    def draw(self, rng: random.Random) -> tuple[str, str]:
        index = bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1])
        return self.entries[min(index, len(self.entries) - 1)]


def pools(groups: list[list[dict[str, Any]]]) -> dict[str, Pool]:
    """The gene and GO pools: the records' ids (most frequent first) then synthetic HGNC / GO ids."""
    seen: dict[str, dict[str, int]] = {"gene": {}, "process": {}}
    names: dict[str, str] = {}
    for group in groups:
        for record in group:
            for side in MENTION_SIDES:
                mention = record[side]
                kind, grounded = mention.get("type"), mention.get("id")
                if kind in seen and grounded:
                    seen[kind][grounded] = seen[kind].get(grounded, 0) + 1
                    names[grounded] = mention.get("name") or mention.get("text") or grounded
    real = {
        kind: {grounded: names[grounded] for grounded in sorted(counts, key=lambda g: -counts[g])}
        for kind, counts in seen.items()
    }
    return {
        "gene": Pool(real["gene"], GENE_POOL, lambda k: (f"HGNC:{50000 + k}", f"GENE{k}")),
        "process": Pool(real["process"], GO_POOL, lambda k: (f"GO:{1900000 + k:07d}", f"process {k}")),
    }


def redraw(
    mention: dict[str, Any], drawn: dict[str, tuple[str, str]], by_kind: dict[str, Pool], rng: random.Random
) -> dict[str, Any]:
    """A copy of the mention with its id (and name) drawn again; ``drawn`` keeps one draw per id and
    document, so an entity named twice in a statement stays one entity."""
    kind, grounded = mention.get("type"), mention.get("id")
    if kind not in by_kind or not grounded:
        return dict(mention)
    if grounded not in drawn:
        taken = set(drawn.values())
        entry = by_kind[kind].draw(rng)
        while entry in taken:  # two arguments of a statement are two different entities
            entry = by_kind[kind].draw(rng)
        drawn[grounded] = entry
    new_id, name = drawn[grounded]
    copy = {**mention, "id": new_id, "name": name}
    if "candidates" in mention:
        copy["candidates"] = [
            {**candidate, "id": new_id if candidate["id"] == grounded else candidate["id"]}
            for candidate in mention["candidates"]
        ]
    return copy


def documents(n: int, records: Path = RECORDS, seed: int = SEED) -> Iterator[Any]:
    """N relations in Documents (one statement group each, the last one cut to make exactly N), lazily."""
    from generx.exports import Document

    groups = load_templates(records)
    by_kind = pools(groups)
    # The context gene of the records (the gene whose atlas entry they come from): the most frequent.
    context = by_kind["gene"].entries[0][0]
    rng = random.Random(seed)
    made = 0
    number = 0
    while made < n:
        group = groups[number % len(groups)][: n - made]
        statement_id = f"PMID:{10_000_000 + number}" if number % 2 else f"bench:{number}"
        drawn: dict[str, tuple[str, str]] = {}

        relations = []
        for offset, record in enumerate(group):
            index = made + offset
            relations.append(
                {
                    **record,
                    "statement_id": statement_id,
                    "subject": redraw(record["subject"], drawn, by_kind, rng),
                    "object": redraw(record["object"], drawn, by_kind, rng),
                    "negated": index % 17 == 16,
                    "hedged": index % 11 == 10,
                    "trigger": dict(record["trigger"]) if record.get("trigger") else None,
                    "evidence": dict(record["evidence"]),
                }
            )
        mentions: dict[tuple[Any, ...], dict[str, Any]] = {}
        for relation in relations:
            for side in MENTION_SIDES:
                mention = relation[side]
                if mention.get("start") is not None:
                    mentions.setdefault((mention["start"], mention["end"], mention.get("id")), mention)
        gene = drawn[context][1] if context in drawn else by_kind["gene"].draw(rng)[1]
        text = relations[0]["evidence"]["text"]
        yield Document(statement_id, text, gene, list(mentions.values()), relations)
        made += len(relations)
        number += 1


def input_stats(n: int, records: Path) -> dict[str, int]:
    """Documents, distinct nodes and distinct (subject, predicate, object) triples of the input at N."""
    nodes: set[str] = set()
    triples: set[tuple[str, str, str]] = set()
    count = 0
    for document in documents(n, records):
        count += 1
        for relation in document.relations:
            subject, obj = relation["subject"]["id"], relation["object"]["id"]
            nodes.update((subject, obj))
            triples.add((subject, relation["predicate"], obj))
    return {"documents": count, "distinct_nodes": len(nodes), "distinct_triples": len(triples)}


# ----------------------------------------------------------------------------------------------------
# One run (the child process)


def child(fmt: str, n: int, out: Path, records: Path) -> dict[str, Any]:
    """Generate N relations and export them in ``fmt`` (or only iterate them: the baseline)."""
    from generx.exports.formats import write_export

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    if fmt == BASELINE:
        returned = sum(len(document.relations) for document in documents(n, records))
        size = 0
    else:
        with out.open("wb") as handle:
            returned = write_export(documents(n, records), handle, fmt=fmt)
        size = out.stat().st_size
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "returned": returned,
        "seconds": seconds,
        "peak_rss_mb": peak,
        "rss_before_mb": rss_before,
        "output_bytes": size,
    }


def run(fmt: str, n: int, tmp: Path, records: Path, timeout: float) -> dict[str, Any]:
    """One run in a fresh interpreter; its output file is deleted whatever happens."""
    from generx.exports.formats import EXPORTS

    suffix = EXPORTS[fmt].suffix if fmt in EXPORTS else ".none"
    handle, name = tempfile.mkstemp(prefix=f"export_memory_{fmt}_", suffix=suffix, dir=tmp)
    os.close(handle)
    out = Path(name)
    command = [sys.executable, __file__, "--child", fmt, str(n), str(out), "--records", str(records)]
    env = {**os.environ, "TMPDIR": str(tmp)}  # where sif and kgx spool their members past 8 MB
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    finally:
        out.unlink(missing_ok=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------------------------------
# The comparison


def summarise(rows: dict[str, dict[str, Any]], small: int, large: int) -> None:
    """Add ratio, MB above the baseline, relations/s and time against JSON Lines to each format's row."""
    base = rows.get(BASELINE, {})
    reference = rows.get(REFERENCE, {}).get("large", {})
    for fmt, row in rows.items():
        lo, hi = row.get("small", {}), row.get("large", {})
        if "peak_rss_mb" not in lo or "peak_rss_mb" not in hi:
            row["flat"] = None
            continue
        row["ratio"] = hi["peak_rss_mb"] / lo["peak_rss_mb"]
        row["growth_mb"] = hi["peak_rss_mb"] - lo["peak_rss_mb"]
        for size, n in (("small", small), ("large", large)):
            part = row[size]
            part["relations_per_s"] = n / part["seconds"]
            if fmt != BASELINE and "peak_rss_mb" in base.get(size, {}):
                part["above_baseline_mb"] = part["peak_rss_mb"] - base[size]["peak_rss_mb"]
                part["seconds_above_baseline"] = part["seconds"] - base[size]["seconds"]
        if "seconds" in reference:
            row["x_jsonl_seconds"] = hi["seconds"] / reference["seconds"]
        row["flat"] = row["ratio"] <= FLAT_RATIO and row["growth_mb"] <= FLAT_GROWTH_MB


def print_table(rows: dict[str, dict[str, Any]], small: int, large: int) -> None:
    head = (
        f"{'format':<10}{f'RSS {small:,}':>14}{f'RSS {large:,}':>16}{'ratio':>7}{'+base':>8}"
        f"{'seconds':>9}{'rel/s':>10}{'x jsonl':>8}{'output':>10}  flat"
    )
    print(head)
    print("-" * len(head))
    for fmt, row in rows.items():
        lo, hi = row.get("small", {}), row.get("large", {})
        if row.get("flat") is None:
            error = hi.get("error") or lo.get("error") or "no result"
            print(f"{fmt:<10}  {error}")
            continue
        above = f"{hi['above_baseline_mb']:.0f}" if "above_baseline_mb" in hi else "-"
        output = f"{hi['output_bytes'] / 1e6:.0f} MB" if fmt != BASELINE else "-"
        times = f"{row['x_jsonl_seconds']:.2f}" if "x_jsonl_seconds" in row else "-"
        flag = "yes" if row["flat"] else "GROWS"
        print(
            f"{fmt:<10}{lo['peak_rss_mb']:>11.0f} MB{hi['peak_rss_mb']:>13.0f} MB{row['ratio']:>7.2f}"
            f"{above:>8}{hi['seconds']:>9.1f}{hi['relations_per_s']:>10.0f}{times:>8}{output:>10}  {flag}"
        )
    print(
        f"RSS: peak resident memory of the run's own process; +base: MB above the baseline at {large:,};"
        f" seconds, rel/s, x jsonl and output at {large:,} relations"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n-small", type=int, default=10_000)
    parser.add_argument("--n-large", type=int, default=1_000_000)
    parser.add_argument("--formats", help="comma-separated names of EXPORTS (default: all)")
    parser.add_argument("--records", type=Path, default=RECORDS)
    parser.add_argument("--tmp", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per run")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=3, metavar=("FORMAT", "N", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fmt, n, out = args.child
        print(json.dumps(child(fmt, int(n), Path(out), args.records)))
        return

    from generx.exports.formats import FORMATS

    formats = args.formats.split(",") if args.formats else list(FORMATS)
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        parser.error(f"unknown formats {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    if REFERENCE not in formats:
        formats.insert(0, REFERENCE)
    sizes = {"small": args.n_small, "large": args.n_large}
    rows: dict[str, dict[str, Any]] = {}
    for fmt in [BASELINE, *formats]:
        rows[fmt] = {}
        for size, n in sizes.items():
            result = run(fmt, n, args.tmp, args.records, args.timeout)
            rows[fmt][size] = result
            shown = result.get("error") or (
                f"peak {result['peak_rss_mb']:.0f} MB, {result['seconds']:.1f} s, "
                f"{result['output_bytes'] / 1e6:.1f} MB written"
            )
            print(f"{fmt} at {n:,}: {shown}", file=sys.stderr, flush=True)
    summarise(rows, args.n_small, args.n_large)
    stats = {size: input_stats(n, args.records) for size, n in sizes.items()}
    print(
        f"input: {args.n_large:,} relations in {stats['large']['documents']:,} documents, "
        f"{stats['large']['distinct_nodes']:,} distinct nodes, "
        f"{stats['large']['distinct_triples']:,} distinct (subject, predicate, object) triples "
        f"({stats['small']['distinct_nodes']:,} and {stats['small']['distinct_triples']:,} at "
        f"{args.n_small:,}); one subprocess per run"
    )
    print_table(rows, args.n_small, args.n_large)
    if args.json:
        report = {
            "date": datetime.date.today().isoformat(),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "n_small": args.n_small,
            "n_large": args.n_large,
            "records": str(
                args.records.relative_to(ROOT) if args.records.is_relative_to(ROOT) else args.records
            ),
            "gene_pool": GENE_POOL,
            "go_pool": GO_POOL,
            "input": stats,
            "flat_when": {"ratio_at_most": FLAT_RATIO, "growth_mb_at_most": FLAT_GROWTH_MB},
            "formats": rows,
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
