"""BEL script corpora (OpenBEL, BEL 1.0 and 2.0): signed, directed statements with their evidence text.

A BEL script sets an annotation context and then states relations under it::

    SET Citation = {"PubMed", "Some journal", "12345"}
    SET Evidence = "EGF induced p21 (CDKN1A) mRNA ..."
    p(HGNC:EGF) increases r(HGNC:CDKN1A)
    p(HGNC:MYC) increases bp(GOBP:"apoptotic process")

Every distinct evidence text is one statement to run generx on (end to end: BEL has no offsets, so
there are no given entities), and the BEL statements under it are its gold. ``increases`` /
``directlyIncreases`` (``->``, ``=>``) are +, ``decreases`` / ``directlyDecreases`` (``-|``, ``=|``)
are -, ``regulates`` is a directed unsigned relation; correlations and ``association`` are unsigned and
undirected. Genes are ``p()``, ``r()``, ``g()``, ``m()`` of HGNC (MGI and RGD symbols are compared as
upper-case symbols, EGID as NCBI Gene ids), also inside activities (``kin(p(HGNC:MAPK1))``), transport
and degradation (which turns the sign over); processes are ``bp()`` of GO. What generx does not model is
counted and ignored: chemicals (``a()``), pathologies, composites, families, nested statements, other
relationships.

Choices where BEL and generx differ:

- complexes are binding: a ``complex(p(A), p(B), ...)`` term standing alone, or in the form generx's
  own BEL export writes ``binds`` (``p(A) directlyIncreases complex(p(A), p(B))``), gives an undirected
  ``bind`` relation between every two genes of the complex; a complex elsewhere (as the subject or object
  of a regulation) is ignored;
- families (``SFAM``, ``FPLX`` and other namespaces that are no gene's) are ignored, and as their members
  are not in the script, generx's predictions about a family or complex (an argument with ``members``,
  such as NF-kappaB) are not judged either (``GoldCorpus.judges_families``);
- a ``SET`` stays in force until it is ``UNSET`` or set again, whatever the order of the ``SET`` lines
  of a statement group (``SET Evidence`` may come before ``SET Citation``). Only a new ``SET Citation``
  after statements have used the evidence ends it: statements of another citation are not stated by
  the old evidence text (PyBEL clears the evidence on every new citation);
- a trailing ``// comment`` on a line is dropped, as PyBEL does; a line that still cannot be read is
  counted as skipped, with its line number and why, and the rest of the script is read;
- relations of a gene with itself (``kin(p(AKT1)) increases p(AKT1, pmod(P))``) are left out and counted,
  as in every reader.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from generx.evaluation.gold import GoldArgument, GoldCorpus, GoldRelation, open_gold
from generx.pipelines.statements import Statement

log = logging.getLogger(__name__)

RELATIONSHIPS: dict[str, tuple[str, bool]] = {
    "increases": ("+", True),
    "->": ("+", True),
    "directlyincreases": ("+", True),
    "=>": ("+", True),
    "decreases": ("-", True),
    "-|": ("-", True),
    "directlydecreases": ("-", True),
    "=|": ("-", True),
    "regulates": ("0", True),
    "reg": ("0", True),
    "positivecorrelation": ("0", False),
    "pos": ("0", False),
    "negativecorrelation": ("0", False),
    "neg": ("0", False),
    "correlation": ("0", False),
    "association": ("0", False),
    "--": ("0", False),
}
GENE_FUNCTIONS = frozenset(
    {"p", "proteinabundance", "r", "rnaabundance", "g", "geneabundance", "m", "micrornaabundance"}
)
PROCESS_FUNCTIONS = frozenset({"bp", "biologicalprocess"})
# Functions of a protein that stand for the protein itself here: its activity, transport, secretion.
WRAPPERS = frozenset(
    {
        "act",
        "activity",
        "kin",
        "kinaseactivity",
        "tscript",
        "transcriptionalactivity",
        "cat",
        "catalyticactivity",
        "gtp",
        "gtpboundactivity",
        "pep",
        "peptidaseactivity",
        "phos",
        "phosphataseactivity",
        "ribo",
        "ribosylationactivity",
        "tport",
        "transportactivity",
        "chap",
        "chaperoneactivity",
        "tloc",
        "translocation",
        "sec",
        "cellsecretion",
        "surf",
        "cellsurfaceexpression",
    }
)
DEGRADATION = frozenset({"deg", "degradation"})
IGNORED_FUNCTIONS = {
    "a": "chemical",
    "abundance": "chemical",
    "path": "pathology",
    "pathology": "pathology",
    "composite": "composite",
    "compositeabundance": "composite",
    "rxn": "reaction",
    "reaction": "reaction",
    "fus": "fusion",
    "fusion": "fusion",
}
GENE_NAMESPACES = frozenset({"HGNC", "MGI", "RGD"})
ENTREZ_NAMESPACES = frozenset({"EGID", "EG", "ENTREZ", "NCBIGENE"})
GO_NAMESPACES = frozenset({"GOBP", "GO", "GOBPID", "GOBPACC"})
_SET = re.compile(r"^SET\s+(\w+)\s*=\s*(.*)$", re.IGNORECASE | re.DOTALL)
_UNSET = re.compile(r"^UNSET\s+(.*)$", re.IGNORECASE)
_GO_ID = re.compile(r"^(?:GO:)?(\d{7})$")
COMPLEX_FUNCTIONS = frozenset({"complex", "complexabundance"})
# Unreadable lines named in the corpus notes; the rest are counted.
SHOWN_SKIPPED = 5


class _Ignored(Exception):
    """A BEL term or statement that generx does not model; the message names what it was."""


@dataclass(frozen=True)
class _Term:
    argument: GoldArgument
    sign: int = 1


@dataclass(frozen=True)
class _Relation:
    subject: GoldArgument
    object: GoldArgument
    sign: str
    directed: bool
    source_type: str


def read_bel(path: Path) -> GoldCorpus:
    """Read a BEL script into one statement per evidence text and its gene/process gold relations."""
    statements: dict[str, Statement] = {}
    relations: list[GoldRelation] = []
    ignored: Counter[str] = Counter()
    skipped: list[str] = []
    citation = ""
    evidence: tuple[str, int] | None = None
    evidence_used = False
    units: dict[tuple[str, str], str] = {}
    lines, unclosed = _logical_lines(path)
    for number, line in lines:
        if line.startswith("#") or line.upper().startswith("DEFINE"):
            continue
        set_line = _SET.match(line)
        if set_line:
            key, value = set_line.group(1).lower(), set_line.group(2).strip()
            if key == "citation":
                citation = value
                if evidence_used:  # the evidence of the previous group
                    evidence = None
            elif key in ("evidence", "supportingtext"):
                evidence, evidence_used = (_unquote(value), number), False
            continue
        if line.upper().startswith("SET "):  # SET DOCUMENT ..., and annotations that name no evidence
            continue
        unset = _UNSET.match(line)
        if unset:
            if unset.group(1).strip().lower() in ("evidence", "supportingtext", "all", "statement_group"):
                evidence = None
            continue
        if evidence is None or not evidence[0].strip():
            ignored["statement without evidence"] += 1
            continue
        try:
            found = _relations(line)
        except _Ignored as why:
            ignored[str(why)] += 1
            continue
        except (ValueError, IndexError) as err:
            ignored["unreadable line"] += 1
            skipped.append(f"line {number}: {err}")
            continue
        text, first_line = evidence
        evidence_used = True
        unit = units.setdefault((citation, text), f"{path.name}:{first_line}")
        statements.setdefault(unit, Statement(id=unit, text=text))
        relations.extend(
            GoldRelation(
                unit=unit,
                subject=relation.subject,
                object=relation.object,
                sign=relation.sign,
                directed=relation.directed,
                source_type=relation.source_type,
            )
            for relation in found
        )
    if unclosed is not None:
        ignored["unreadable line"] += 1
        skipped.append(f"line {unclosed}: a quoted string is never closed; the rest of the script is lost")
    log.info(
        "%s: %s evidence texts, %s relations, %s ignored",
        path,
        len(statements),
        len(relations),
        sum(ignored.values()),
    )
    corpus = GoldCorpus(
        name=path.name,
        format="bel",
        statements=list(statements.values()),
        relations=relations,
        match="id",
        categories=frozenset({"gene-gene", "gene-process"}),
        ignored=ignored,
        judges_families=False,
    )
    if ignored:
        corpus.notes.append(
            f"BEL: {sum(ignored.values())} statements ignored: "
            + ", ".join(f"{why} {count}" for why, count in ignored.most_common())
        )
    if skipped:
        more = f"; {len(skipped) - SHOWN_SKIPPED} more" if len(skipped) > SHOWN_SKIPPED else ""
        corpus.notes.append("BEL: unreadable lines skipped: " + "; ".join(skipped[:SHOWN_SKIPPED]) + more)
    corpus.notes.append(
        "BEL: complexes are read as binding between their genes; families are not read, so predictions "
        "about a family or complex are not judged"
    )
    return corpus


def _logical_lines(path: Path) -> tuple[list[tuple[int, str]], int | None]:
    """(first line number, line) with quoted strings that span lines and ``\\`` continuations joined,
    ``// comments`` dropped; and the line number of a quoted string never closed, if any."""
    with open_gold(path) as stream:
        raw_lines = stream.read().decode("utf-8-sig", errors="replace").splitlines()
    lines: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(raw_lines, start=1):
        line = raw.rstrip("\r")
        line = _without_comment(line, quoted=bool(pending) and _open_quote(" ".join(pending)))
        if not pending:
            start = number
            if not line.strip():
                continue
        if line.endswith("\\") and not line.endswith("\\\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        # A line break inside a statement or an evidence text is a space.
        joined = " ".join(pending)
        if _open_quote(joined):
            continue
        lines.append((start, joined.strip()))
        pending = []
    return lines, start if pending else None


def _without_comment(line: str, *, quoted: bool) -> str:
    """The line without a trailing ``// comment`` outside quotes (``quoted``: it starts inside one)."""
    escaped = False
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif not quoted and line.startswith("//", index):
            return line[:index].rstrip()
    return line


def _open_quote(text: str) -> bool:
    quoted = False
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
    return quoted


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    # A multi-line evidence is one text: its line breaks are spaces.
    return " ".join(value.replace('\\"', '"').split())


def _relations(line: str) -> list[_Relation]:
    """The gold relations of one BEL statement line; ``_Ignored`` when generx does not model it."""
    subject_text, rest = _take_term(line)
    relationship, _, object_text = rest.strip().partition(" ")
    relationship_key = relationship if relationship in RELATIONSHIPS else relationship.lower()
    object_text = object_text.strip()
    if not relationship:
        function = _function(subject_text)
        if function in COMPLEX_FUNCTIONS:
            return _binding(subject_text)
        raise _Ignored(f"{IGNORED_FUNCTIONS.get(function, function)} term without a relationship")
    if relationship_key not in RELATIONSHIPS:
        raise _Ignored(f"relationship {relationship}")
    if object_text.startswith("("):
        raise _Ignored("nested statement")
    if _function(object_text) in COMPLEX_FUNCTIONS and RELATIONSHIPS[relationship_key] == ("+", True):
        # generx's own export of "A binds B": A directlyIncreases complex(A, B)
        subject = _term(subject_text)
        binding = _binding(object_text)
        if any(subject.argument.key in (r.subject.key, r.object.key) for r in binding):
            return binding
    subject, obj = _term(subject_text), _term(object_text)
    if subject.argument.type != "gene":
        raise _Ignored(f"{subject.argument.type} as subject")
    sign, directed = RELATIONSHIPS[relationship_key]
    if sign in ("+", "-") and subject.sign * obj.sign < 0:
        sign = "-" if sign == "+" else "+"
    return [_Relation(subject.argument, obj.argument, sign, directed, relationship_key)]


def _function(text: str) -> str:
    return text.partition("(")[0].strip().lower()


def _binding(text: str) -> list[_Relation]:
    """Undirected ``bind`` relations between every two genes of a ``complex(...)`` term."""
    term, rest = _take_term(text)
    if rest.strip():
        raise ValueError(f"text after the term: {rest!r}")
    genes: dict[str, GoldArgument] = {}
    for member in _split_args(term.partition("(")[2][:-1]):
        try:
            argument = _term(member).argument
        except _Ignored:
            continue
        if argument.type == "gene":
            genes.setdefault(argument.key, argument)
    if len(genes) < 2:
        raise _Ignored("complex without two genes")
    members = list(genes.values())
    return [
        _Relation(a, b, "bind", False, "complex")
        for index, a in enumerate(members)
        for b in members[index + 1 :]
    ]


def _take_term(text: str) -> tuple[str, str]:
    """Split ``f(...)`` off the start of ``text``, honouring quotes and nested parentheses."""
    text = text.strip()
    depth = 0
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[: index + 1], text[index + 1 :]
    raise ValueError(f"unbalanced term {text!r}")


def _split_args(text: str) -> list[str]:
    args: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if char == "," and depth == 0 and not quoted:
            args.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    args.append("".join(current).strip())
    return [arg for arg in args if arg]


def _term(text: str) -> _Term:
    term, rest = _take_term(text)
    if rest.strip():
        raise ValueError(f"text after the term: {rest!r}")
    function, _, inner = term.partition("(")
    function = function.strip().lower()
    args = _split_args(inner[:-1])
    if not args:
        raise ValueError(f"empty term {term!r}")
    if function in IGNORED_FUNCTIONS:
        raise _Ignored(IGNORED_FUNCTIONS[function])
    if function in COMPLEX_FUNCTIONS:
        raise _Ignored("complex")
    if function in WRAPPERS or function in DEGRADATION:
        inner_term = _term(args[0])
        return _Term(inner_term.argument, -inner_term.sign if function in DEGRADATION else inner_term.sign)
    namespace, _, value = args[0].partition(":")
    namespace = namespace.strip().upper()
    value = value.strip().strip('"')
    if function in GENE_FUNCTIONS:
        if namespace in GENE_NAMESPACES:
            key = f"HGNC:{value}" if namespace == "HGNC" and value.isdigit() else f"sym:{value.upper()}"
            return _Term(GoldArgument((key,), "gene", value))
        if namespace in ENTREZ_NAMESPACES:
            return _Term(GoldArgument((f"NCBIGene:{value}",), "gene", value))
        raise _Ignored(f"{namespace} namespace (family, complex or other)")
    if function in PROCESS_FUNCTIONS:
        if namespace in GO_NAMESPACES:
            go_id = _GO_ID.match(value)
            key = f"GO:{go_id.group(1)}" if go_id else f"go_name:{' '.join(value.lower().split())}"
            return _Term(GoldArgument((key,), "process", value))
        raise _Ignored(f"{namespace} process")
    raise _Ignored(f"function {function}")
