"""What every gold reader returns: the statements to run and the gold relations to score them against.

A gold corpus is read into one ``GoldCorpus``: the statements (one per scoring unit: a sentence for the PPI
corpora, a document for BioRED and GENIA, an evidence text for BEL, a page line for generx's own gold),
each with the corpus's entities when it has them, and the gold relations of each unit. Relations are
reduced to what generx says: a subject, an object, a sign (``+``, ``-``, ``0`` for unsigned, ``bind``,
or None where the corpus has no sign, like the PPI corpora) and whether the direction is meaningful.
"""

from __future__ import annotations

import gzip
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

from generx.pipelines.errors import GenerxError
from generx.pipelines.statements import Statement

SIGNS = ("+", "-", "0", "bind")
# Relation type names of the score tables, by sign; None is a corpus without signs (PPI).
TYPE_BY_SIGN = {"+": "positive", "-": "negative", "0": "unsigned", "bind": "binding", None: "interaction"}


class GoldFormatError(GenerxError, ValueError):
    """A gold file that cannot be read as the format it was given or detected as."""


class EmptyGold(GoldFormatError):
    """A gold corpus with no relation generx can be scored on: a score against nothing is no score."""


class UnmappedRelations(GoldFormatError):
    """Gold relation types (or argument roles) that have no generx predicate to be scored against."""


class UnsupportedMode(GenerxError, ValueError):
    """An evaluation mode the gold corpus cannot support (given entities without entity offsets)."""


@dataclass(frozen=True)
class GoldArgument:
    """A relation argument: ``keys`` are the ids it may be matched by, the first one canonical.

    Several keys are alternatives ("GO:0042098" or its parent "GO:0008283"; a given entity id or the
    NCBI Gene id behind it); a prediction matches the argument when one of its own keys is among them.
    ``type`` is "gene" or "process"; ``text`` is only for the error listing.
    """

    keys: tuple[str, ...]
    type: str = "gene"
    text: str = ""

    @property
    def key(self) -> str:
        return self.keys[0]


@dataclass(frozen=True)
class GoldRelation:
    """One gold relation of one scoring unit (``unit`` is the id of the statement it belongs to)."""

    unit: str
    subject: GoldArgument
    object: GoldArgument
    sign: str | None
    directed: bool = True
    negated: bool = False
    hedged: bool = False
    # The corpus's own name for the relation (Positive_Correlation, Negative_regulation, PPI, increases).
    source_type: str = ""
    # generx's own gold ranks relations must / should; other corpora leave it empty.
    tier: str = ""

    @property
    def category(self) -> str:
        """The argument classes: "gene-gene" or "gene-process"."""
        return f"{self.subject.type}-{self.object.type}"


@dataclass
class GoldCorpus:
    """A gold corpus as read: statements, gold relations and what the reader had to say about them.

    ``match`` says how predictions find gold arguments end to end: "id" (grounded ids) or "offset"
    (a predicted mention that overlaps a gold entity stands for it; corpora without ids).
    ``categories`` are the argument classes scored; predictions of other classes are left out.
    ``candidate_pairs`` counts the entity pairs of all units (PPI: for the co-occurrence baseline).
    """

    name: str
    format: str
    statements: list[Statement]
    relations: list[GoldRelation]
    match: str = "id"
    categories: frozenset[str] = frozenset({"gene-gene"})
    candidate_pairs: int | None = None
    # Signs of predictions the gold does not judge (standoff: Binding events are not made into pairs).
    unscored_signs: frozenset[str] = frozenset()
    # False where the gold cannot judge family or complex arguments (BEL: SFAM families are not read).
    judges_families: bool = True
    ignored: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def has_entities(self) -> bool:
        return any(statement.entities is not None for statement in self.statements)


SELF_RELATION = "self-relation (one entity on both sides)"


def drop_self_relations(corpus: GoldCorpus) -> GoldCorpus:
    """Leave out gold relations of an entity with itself, counted in ``ignored``, in every reader alike.

    generx relates two different entities (it drops same-entity pairs of its own), so such gold could
    never be found: a BEL ``kin(p(AKT1)) increases p(AKT1, pmod(P))``, a BioRED homodimer, a PPI
    interaction whose e1 is its e2, a standoff regulation of a protein by itself.
    """
    kept = [relation for relation in corpus.relations if relation.subject.key != relation.object.key]
    if len(kept) < len(corpus.relations):
        corpus.ignored[SELF_RELATION] += len(corpus.relations) - len(kept)
        corpus.relations = kept
    return corpus


def require_gold(corpus: GoldCorpus) -> None:
    """Raise ``EmptyGold`` when the corpus holds no gold relation to score against."""
    if corpus.relations:
        return
    why = ", ".join(f"{reason} {count}" for reason, count in corpus.ignored.most_common()) or "none found"
    raise EmptyGold(
        f"{corpus.name}: 0 gold relations to score against (read as {corpus.format}; ignored: {why}); "
        "a score against no gold would be meaningless"
    )


def open_gold(path: Path) -> IO[bytes]:
    """Open a gold file for reading bytes, gunzipping it when it starts with the gzip magic number."""
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    if compressed:
        # GzipFile reads like any binary file; typeshed just does not call it IO[bytes].
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")
