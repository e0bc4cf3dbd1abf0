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
counted and ignored: chemicals (``a()``), pathologies, complexes, composites, families, nested
statements, other relationships.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from generx.evaluation.gold import GoldArgument, GoldCorpus, GoldFormatError, GoldRelation, open_gold
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
    "complex": "complex",
    "complexabundance": "complex",
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


class _Ignored(Exception):
    """A BEL term or statement that generx does not model; the message names what it was."""


@dataclass(frozen=True)
class _Term:
    argument: GoldArgument
    sign: int = 1


def read_bel(path: Path) -> GoldCorpus:
    """Read a BEL script into one statement per evidence text and its gene/process gold relations."""
    statements: dict[str, Statement] = {}
    relations: list[GoldRelation] = []
    ignored: Counter[str] = Counter()
    citation = ""
    evidence: tuple[str, int] | None = None
    units: dict[tuple[str, str], str] = {}
    for number, line in _logical_lines(path):
        if line.startswith("#") or line.upper().startswith("DEFINE"):
            continue
        set_line = _SET.match(line)
        if set_line:
            key, value = set_line.group(1).lower(), set_line.group(2).strip()
            if key == "citation":
                citation, evidence = value, None
            elif key in ("evidence", "supportingtext"):
                evidence = (_unquote(value), number)
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
            subject, relationship, obj = _statement(line)
        except _Ignored as why:
            ignored[str(why)] += 1
            continue
        except (ValueError, IndexError) as err:
            raise GoldFormatError(f"{path}:{number}: not a BEL statement: {line!r}") from err
        text, first_line = evidence
        unit = units.setdefault((citation, text), f"{path.name}:{first_line}")
        statements.setdefault(unit, Statement(id=unit, text=text))
        sign, directed = RELATIONSHIPS[relationship]
        if sign in ("+", "-") and subject.sign * obj.sign < 0:
            sign = "-" if sign == "+" else "+"
        relations.append(
            GoldRelation(
                unit=unit,
                subject=subject.argument,
                object=obj.argument,
                sign=sign,
                directed=directed,
                source_type=relationship,
            )
        )
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
    )
    if ignored:
        corpus.notes.append(
            f"BEL: {sum(ignored.values())} statements ignored: "
            + ", ".join(f"{why} {count}" for why, count in ignored.most_common())
        )
    return corpus


def _logical_lines(path: Path) -> list[tuple[int, str]]:
    """(first line number, line) with quoted strings that span lines and ``\\`` continuations joined."""
    with open_gold(path) as stream:
        raw_lines = stream.read().decode("utf-8-sig", errors="replace").splitlines()
    lines: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(raw_lines, start=1):
        line = raw.rstrip("\r")
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
    if pending:
        raise GoldFormatError(f"{path}:{start}: a quoted string is never closed")
    return lines


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


def _statement(line: str) -> tuple[_Term, str, _Term]:
    subject_text, rest = _take_term(line)
    relationship, _, object_text = rest.strip().partition(" ")
    relationship_key = relationship if relationship in RELATIONSHIPS else relationship.lower()
    object_text = object_text.strip()
    if not relationship:
        function = subject_text.partition("(")[0].strip().lower()
        raise _Ignored(f"{IGNORED_FUNCTIONS.get(function, function)} term without a relationship")
    if relationship_key not in RELATIONSHIPS:
        raise _Ignored(f"relationship {relationship}")
    if object_text.startswith("("):
        raise _Ignored("nested statement")
    subject = _term(subject_text)
    obj = _term(object_text)
    if subject.argument.type != "gene":
        raise _Ignored(f"{subject.argument.type} as subject")
    return subject, relationship_key, obj


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
