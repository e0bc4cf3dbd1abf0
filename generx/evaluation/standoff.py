"""BioNLP shared-task standoff (``.txt`` text, ``.a1`` given proteins, ``.a2`` events): regulation pairs.

The format of the BioNLP'09 and '11 GENIA event tasks (Kim et al. 2009, 2011): ``T1<TAB>Protein 19 24
<TAB>TRAF2`` (end-exclusive character offsets into the ``.txt``), ``E2<TAB>Negative_regulation:T16
Theme:E3 Cause:T1``, ``M1<TAB>Negation E2`` / ``Speculation``, ``*<TAB>Equiv T1 T2``.

Regulation events nest; they are flattened to gene -> gene pairs: each Regulation / Positive_regulation
/ Negative_regulation event with a Cause gives a pair from every protein of the cause (a protein, or the
proteins an event is about: "TRAF2 phosphorylation" stands for TRAF2) to every protein reached through
its Theme (a protein, the protein of a Gene_expression / Transcription / Phosphorylation / ... event, or
the theme of a nested regulation). Signs multiply along the chain (Positive +1, Negative -1, Regulation
0, degradation -- Protein_catabolism -- -1): "X inhibits the induction of Y" gives X -| Y. A pair is
negated or speculated when any event on its chain carries the Negation or Speculation modifier.
Binding events are not regulation and are not scored.

Other BioNLP-ST schemas (the Gene Regulation Network and Bacteria Gene Interaction tasks, ``.rel``
files of the REL task) are read generically:

- entities: ``T`` lines of a gene-like type (``GENE_TYPES``: Protein, Gene, Gene_or_gene_product,
  Protein_Family, Gene_Family, Protein_Complex) are the given entities; a relation with an argument of
  another type (Regulatory_Network, Regulon, a trigger) is counted as ignored, by that type;
- relations: an ``R`` line, or an ``E`` line of a type that is not a GENIA event, with one agent-like
  role (Agent, Cause) and one target-like role (Target, Theme) is a directed agent -> target pair. Its
  sign comes from its type (the last dotted part, case, ``_`` and ``-`` ignored; ``GENERIC_SIGNS``):
  Activation, Positive_regulation, Requirement, Transcription (the agent transcribes the target) +;
  Inhibition, Negative_regulation, Repression -; Regulation, Interaction unsigned; Binding bind
  (undirected). Static relations of the REL task (Subunit-Complex, Protein-Component, Member) are no
  regulation and are counted as ignored.

A relation type outside these tables, or an ``R`` line without an agent and a target role, raises
``UnmappedRelations`` naming them, rather than scoring against a gold read in part.
"""

from __future__ import annotations

import logging
import tarfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generx.evaluation.gold import (
    GoldArgument,
    GoldCorpus,
    GoldFormatError,
    GoldRelation,
    UnmappedRelations,
)
from generx.pipelines.statements import GivenEntity, Statement

log = logging.getLogger(__name__)

REGULATION_SIGNS = {"Regulation": 0, "Positive_regulation": 1, "Negative_regulation": -1}
# Events about a protein whose regulation changes the sign: more degradation is less protein.
EVENT_SIGNS = {"Protein_catabolism": -1}
SIGN_NAMES = {1: "+", -1: "-", 0: "0"}
# Deeply nested events do not occur; the bound stops a malformed (cyclic) file.
MAX_DEPTH = 10
# Entity types read as genes, compared lower-case without "_" and "-".
GENE_TYPES = frozenset(
    {"protein", "gene", "geneorgeneproduct", "proteinfamily", "genefamily", "proteincomplex"}
)
# GENIA events about one protein (Theme only): the steps a regulation's Theme is followed through.
THEME_EVENTS = frozenset(
    {
        "Gene_expression",
        "Transcription",
        "Translation",
        "Protein_catabolism",
        "Phosphorylation",
        "Dephosphorylation",
        "Localization",
        "Binding",
        "Ubiquitination",
        "Acetylation",
        "Deacetylation",
        "Protein_modification",
    }
)
AGENT_ROLES = frozenset({"agent", "cause"})
TARGET_ROLES = frozenset({"target", "theme"})
# Relation types of other schemas as generx signs, by the last dotted part of the type, normalised.
GENERIC_SIGNS = {
    "activation": "+",
    "positiveregulation": "+",
    "upregulation": "+",
    "requirement": "+",
    "transcription": "+",
    "transcriptionby": "+",
    "inhibition": "-",
    "negativeregulation": "-",
    "downregulation": "-",
    "repression": "-",
    "regulation": "0",
    "interaction": "0",
    "binding": "bind",
    "bind": "bind",
}
# Static relations (the REL task): parts and members, not regulation.
STATIC_RELATIONS = frozenset({"subunitcomplex", "proteincomponent", "member", "equiv", "coreference"})


@dataclass
class _Event:
    type: str
    args: list[tuple[str, str]]
    negated: bool = False
    speculated: bool = False


@dataclass
class _Document:
    """The parsed annotation of one document: proteins (id -> span, text), events, equivalences."""

    proteins: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    # Entities of other types (Regulatory_Network, triggers): id -> type.
    others: dict[str, str] = field(default_factory=dict)
    events: dict[str, _Event] = field(default_factory=dict)
    # R lines: binary relations of other schemas.
    relations: dict[str, _Event] = field(default_factory=dict)
    equivalences: list[list[str]] = field(default_factory=list)


def read_standoff(path: Path) -> GoldCorpus:
    """Read a folder (or a ``.tar.gz`` of one) of ``.txt``/``.a1``/``.a2`` files into regulation pairs.

    One statement per document, its ``.a1`` proteins as given entities. Mentions of one protein (same
    text, ignoring case, or declared ``Equiv``) share one id, the text of their first mention, so a
    pair is scored once per document whichever mention the text uses.
    """
    files = read_standoff_files(path)
    statements: list[Statement] = []
    relations: list[GoldRelation] = []
    ignored: Counter[str] = Counter()
    unmapped: Counter[str] = Counter()
    for base in sorted(files):
        parts = files[base]
        if "txt" not in parts:
            ignored["annotation file without its .txt"] += 1
            continue
        text = parts["txt"]
        annotation = "\n".join(parts.get(suffix, "") for suffix in ("a1", "a2", "rel"))
        document = parse_standoff(base, annotation, text)
        group = standoff_groups(document)
        entities = tuple(
            GivenEntity(start, end, mention, "gene", group[tid])
            for tid, (start, end, mention) in sorted(document.proteins.items(), key=lambda item: item[1])
        )
        statements.append(Statement(id=base, text=text, entities=entities))
        relations.extend(_flatten(base, document, group, ignored))
        relations.extend(_generic(base, document, group, ignored, unmapped))
    if unmapped:
        raise UnmappedRelations(
            f"{path}: relations with no generx predicate: "
            + ", ".join(f"{what} ({count})" for what, count in unmapped.most_common())
            + "; read are GENIA regulation events and relations with an agent (Agent, Cause) and a target "
            f"(Target, Theme) role of the types {', '.join(sorted(GENERIC_SIGNS))}"
        )
    log.info("%s: %s documents, %s regulation pairs", path, len(statements), len(relations))
    binds = any(relation.sign == "bind" for relation in relations)
    corpus = GoldCorpus(
        name=path.name,
        format="standoff",
        statements=statements,
        relations=relations,
        match="offset",
        ignored=ignored,
        unscored_signs=frozenset() if binds else frozenset({"bind"}),
    )
    corpus.notes.append(
        "standoff: regulation events flattened to cause -> theme gene pairs, signs multiplied along nested "
        "events; agent -> target relations of other schemas signed by their type"
        + ("" if binds else "; no binding relation is read, so generx's binds relations are not scored")
    )
    return corpus


def read_standoff_files(path: Path) -> dict[str, dict[str, str]]:
    """base name -> {"txt"|"a1"|"a2": content}, from a folder or a tar archive of one."""
    files: dict[str, dict[str, str]] = {}

    def add(name: str, data: bytes) -> None:
        stem, _, suffix = Path(name).name.rpartition(".")
        if suffix in ("txt", "a1", "a2", "rel") and stem:
            # Decoded as is: the offsets count every character, a CR of a CRLF line end included.
            files.setdefault(stem, {})[suffix] = data.decode("utf-8", errors="replace")

    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file():
                add(child.name, child.read_bytes())
    elif tarfile.is_tarfile(path):
        try:
            with tarfile.open(path) as archive:
                for member in archive.getmembers():
                    extracted = archive.extractfile(member) if member.isfile() else None
                    if extracted is not None:
                        add(member.name, extracted.read())
        except (tarfile.TarError, OSError, EOFError) as err:
            raise GoldFormatError(f"{path}: not a readable tar archive: {err}") from err
    else:
        raise GoldFormatError(f"{path}: standoff gold is a folder or a .tar.gz of .txt/.a1/.a2/.rel files")
    if not any("txt" in parts for parts in files.values()):
        raise GoldFormatError(f"{path}: no .txt files of a standoff corpus")
    return files


def parse_standoff(base: str, annotation: str, text: str) -> _Document:
    document = _Document()
    modifiers: list[tuple[str, str]] = []
    for number, raw in enumerate(annotation.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        kind = fields[0][:1]
        body = fields[1].split() if len(fields) > 1 else []
        if not body:
            raise GoldFormatError(f"{base}: annotation line {number} has no content: {line!r}")
        if kind == "T" and _normal(body[0]) not in GENE_TYPES:
            document.others[fields[0]] = body[0]
        elif kind == "T":
            spans = [piece.split() for piece in " ".join(body[1:]).split(";")]
            try:
                start, end = int(spans[-1][0]), int(spans[-1][1])
            except (ValueError, IndexError) as err:
                raise GoldFormatError(f"{base}: bad offsets on line {number}: {line!r}") from err
            if not 0 <= start < end <= len(text):
                raise GoldFormatError(f"{base}: offsets of {fields[0]} outside the text")
            document.proteins[fields[0]] = (start, end, text[start:end])
        elif kind == "E":
            event_type = body[0].split(":")[0]
            args = [tuple(arg.split(":", 1)) for arg in body[1:] if ":" in arg]
            document.events[fields[0]] = _Event(event_type, [(role, ref) for role, ref in args])
        elif kind == "R":
            args = [tuple(arg.split(":", 1)) for arg in body[1:] if ":" in arg]
            document.relations[fields[0]] = _Event(body[0], [(role, ref) for role, ref in args])
        elif kind == "M" and len(body) >= 2:
            modifiers.append((body[0], body[1]))
        elif kind == "*" and body[0] == "Equiv":
            document.equivalences.append(body[1:])
    for modifier, target in modifiers:
        event = document.events.get(target) or document.relations.get(target)
        if event is not None:
            event.negated |= modifier == "Negation"
            event.speculated |= modifier == "Speculation"
    return document


def standoff_groups(document: _Document) -> dict[str, str]:
    """Protein id -> the id of its group (same text ignoring case, or Equiv): its first mention's text."""
    parent = {tid: tid for tid in document.proteins}

    def find(tid: str) -> str:
        while parent[tid] != tid:
            parent[tid] = parent[parent[tid]]
            tid = parent[tid]
        return tid

    def union(a: str, b: str) -> None:
        if a in parent and b in parent:
            parent[find(a)] = find(b)

    by_text: dict[str, str] = {}
    for tid, (_, _, mention) in document.proteins.items():
        key = " ".join(mention.lower().split())
        union(tid, by_text.setdefault(key, tid))
    for members in document.equivalences:
        for other in members[1:]:
            union(members[0], other)
    first: dict[str, tuple[int, str]] = {}
    for tid, (start, _, mention) in document.proteins.items():
        root = find(tid)
        if root not in first or start < first[root][0]:
            first[root] = (start, " ".join(mention.split()))
    return {tid: first[find(tid)][1] for tid in document.proteins}


def standoff_proteins(document: _Document, ref: str, depth: int = 0) -> set[str]:
    """The proteins an argument stands for: itself, or the themes of the event it names."""
    if ref in document.proteins:
        return {ref}
    event = document.events.get(ref)
    if event is None or depth > MAX_DEPTH:
        return set()
    found: set[str] = set()
    for role, arg in event.args:
        if role.startswith("Theme"):
            found |= standoff_proteins(document, arg, depth + 1)
    return found


def _targets(document: _Document, ref: str, depth: int = 0) -> list[tuple[str, int, bool, bool]]:
    """(protein, sign, negated, speculated) for each protein a regulation's Theme reaches."""
    if ref in document.proteins:
        return [(ref, 1, False, False)]
    event = document.events.get(ref)
    if event is None or depth > MAX_DEPTH:
        return []
    sign = REGULATION_SIGNS.get(event.type, EVENT_SIGNS.get(event.type, 1))
    found = []
    for role, arg in event.args:
        if role.startswith("Theme"):
            for protein, inner, negated, speculated in _targets(document, arg, depth + 1):
                found.append(
                    (protein, sign * inner, negated or event.negated, speculated or event.speculated)
                )
    return found


def _flatten(
    base: str, document: _Document, group: dict[str, str], ignored: Counter[str]
) -> list[GoldRelation]:
    relations: dict[tuple[str, str, str, bool, bool], GoldRelation] = {}
    for event in document.events.values():
        if event.type not in REGULATION_SIGNS:
            continue
        causes = [ref for role, ref in event.args if role == "Cause"]
        themes = [ref for role, ref in event.args if role.startswith("Theme")]
        if not causes:
            ignored["regulation without a Cause"] += 1
            continue
        sign = REGULATION_SIGNS[event.type]
        agents = {group[p] for ref in causes for p in standoff_proteins(document, ref)}
        for ref in themes:
            for protein, inner, negated, speculated in _targets(document, ref):
                target = group[protein]
                for agent in agents:
                    signed = SIGN_NAMES[sign * inner]
                    key = (agent, target, signed, negated or event.negated, speculated or event.speculated)
                    relations.setdefault(
                        key,
                        GoldRelation(
                            unit=base,
                            subject=GoldArgument((agent,), "gene", agent),
                            object=GoldArgument((target,), "gene", target),
                            sign=signed,
                            directed=True,
                            negated=key[3],
                            hedged=key[4],
                            source_type=event.type,
                        ),
                    )
    return list(relations.values())


def _normal(name: str) -> str:
    """A type name compared loosely: lower case, without "_" and "-"."""
    return name.lower().replace("_", "").replace("-", "")


def _role(role: str) -> str:
    """A role without its number: Theme2 -> theme."""
    return role.rstrip("0123456789").lower()


def _generic(
    base: str,
    document: _Document,
    group: dict[str, str],
    ignored: Counter[str],
    unmapped: Counter[str],
) -> list[GoldRelation]:
    """Agent -> target pairs of R lines and of events that are not GENIA's (see the module docstring)."""
    found: dict[tuple[str, str, str, bool, bool], GoldRelation] = {}
    events = [
        e for e in document.events.values() if e.type not in REGULATION_SIGNS and e.type not in THEME_EVENTS
    ]
    for relation, is_event in [(r, False) for r in document.relations.values()] + [(e, True) for e in events]:
        kind = _normal(relation.type.rsplit(".", 1)[-1])
        agents = [ref for role, ref in relation.args if _role(role) in AGENT_ROLES]
        targets = [ref for role, ref in relation.args if _role(role) in TARGET_ROLES]
        if kind in STATIC_RELATIONS:
            ignored[f"{relation.type} relation (not regulation)"] += 1
            continue
        if not agents and is_event:  # an event about one protein, like GENIA's Gene_expression
            ignored[f"{relation.type} event without an agent"] += 1
            continue
        if not agents or not targets:
            roles = "/".join(role for role, _ in relation.args) or "no arguments"
            unmapped[f"{relation.type} with roles {roles}"] += 1
            continue
        sign = GENERIC_SIGNS.get(kind)
        if sign is None:
            unmapped[relation.type] += 1
            continue
        other = [document.others[ref] for ref in agents + targets if ref in document.others]
        if other:
            ignored[f"relation with a {other[0]} argument"] += 1
            continue
        sources = {group[p] for ref in agents for p in standoff_proteins(document, ref)}
        for ref in targets:
            for protein, inner, negated, speculated in _targets(document, ref):
                signed = sign if sign in ("bind", "0") else SIGN_NAMES[(1 if sign == "+" else -1) * inner]
                hedged = speculated or relation.speculated
                for source in sources:
                    key = (source, group[protein], signed, negated or relation.negated, hedged)
                    found.setdefault(
                        key,
                        GoldRelation(
                            unit=base,
                            subject=GoldArgument((source,), "gene", source),
                            object=GoldArgument((group[protein],), "gene", group[protein]),
                            sign=signed,
                            directed=sign != "bind",
                            negated=key[3],
                            hedged=hedged,
                            source_type=relation.type,
                        ),
                    )
    return list(found.values())
