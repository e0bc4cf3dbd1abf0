"""The mechanism of a relation: the vocabulary, residue parsing, and hand-made statements read end to end.

tests/data/mechanisms/statements.jsonl holds hand-written statements, each with the records a reader
expects (subject, predicate, object as written, and the mechanism): every mechanism type of the record's
vocabulary, the residue forms ("Ser-473", "Ser473", "serine 473", "S473", "Tyr694", "'Lys-48'-linked",
"Lys63-linked", "tyrosine phosphorylation"), verbs, passives, nominalisations, chains, means clauses,
coordinated verbs, and statements that state no mechanism. The readings by linguistic class (a presence
with a place, an amount qualified by an event, a clause on the object, coordinated events, the parse
between two mentions) are also tested on Docs built by hand, without a trained model.
"""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from generx.pipelines.annotations import GENE
from generx.pipelines.mechanism import (
    mechanism_of,
    pair_mechanism,
    parse_residue,
    pooled_mechanism,
    word_mechanism,
)
from generx.pipelines.statements import Statement
from generx.record import Mechanism, MechanismType
from tests.conftest import DATA

CASES = [json.loads(line) for line in (DATA / "mechanisms" / "statements.jsonl").read_text().splitlines()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ser-473", ("S", "473")),
        ("Ser473", ("S", "473")),
        ("serine 473", ("S", "473")),
        ("serine residue 473", ("S", "473")),
        ("S473", ("S", "473")),
        ("T308", ("T", "308")),
        ("Tyr-705", ("Y", "705")),
        ("'Lys-48'-linked", ("K", "48")),
        ("Lys63-linked", ("K", "63")),
        ("tyrosine residues", ("Y", None)),
        ("tyrosyl", ("Y", None)),
        ("K562 cells", (None, None)),  # a cell line, not lysine 562
        ("histone", (None, None)),  # "his" inside a word is no histidine
        ("the kinase domain", (None, None)),
    ],
)
def test_parse_residue(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_residue(text) == expected


def test_hand_made_file_covers_every_mechanism_and_residue_form() -> None:
    assert len(CASES) >= 40
    mechanisms = [r["mechanism"] for case in CASES for r in case["expected"]]
    assert {m["type"] for m in mechanisms if m} == set(get_args(MechanismType))
    assert any(m is None for m in mechanisms)  # statements that state no mechanism
    texts = " ".join(case["text"] for case in CASES)
    for form in ("Ser-", "Ser4", "threonine 3", "Tyr6", " S3", " T4", "'Lys-48'-linked", "Lys63-linked"):
        assert form in texts, form
    assert any(m and m["residue"] and not m["position"] for m in mechanisms)  # "tyrosine phosphorylation"


def _found(record: dict[str, Any]) -> tuple[str, str, str, str | None, str | None, str | None]:
    mechanism = record.get("mechanism") or {}
    return (
        record["subject"]["text"],
        record["predicate"],
        record["object"]["text"],
        mechanism.get("type"),
        mechanism.get("residue"),
        mechanism.get("position"),
    )


@pytest.mark.model
def test_hand_made_statements(nlp: Language) -> None:
    from generx.pipelines.extract import extract

    statements = [Statement(f"mechanism:{i}", case["text"]) for i, case in enumerate(CASES)]
    wrong = []
    for case, result in zip(CASES, extract(nlp, statements), strict=True):
        assert result.error is None
        found = {_found(record) for record in result.relations}
        for record in case["expected"]:
            mechanism = record["mechanism"] or {}
            expected = (
                record["subject"],
                record["predicate"],
                record["object"],
                *(mechanism.get(key) for key in ("type", "residue", "position")),
            )
            if expected not in found:
                wrong.append((case["text"], expected, sorted(found, key=str)))
    assert not wrong, "\n".join(map(str, wrong))


@pytest.mark.model
def test_sign_stays_what_the_text_says(nlp: Language) -> None:
    """ "phosphorylates" alone is unsigned; "phosphorylates and activates" is positive; both say how."""
    from generx.pipelines.extract import extract

    texts = ["PLK1 phosphorylates CDC25C.", "CHEK1 phosphorylates and activates WEE1."]
    results = list(extract(nlp, [Statement(f"s{i}", text) for i, text in enumerate(texts)]))
    (alone,), (activates,) = (result.relations for result in results)
    assert alone["predicate"] == "regulates" and alone["mechanism"]["type"] == "phosphorylation"
    assert activates["predicate"] == "positively_regulates"
    assert activates["mechanism"]["type"] == "phosphorylation"


def _parsed(rows: str) -> Doc:
    """A Doc from "word/TAG/dep/head[/lemma]" rows, heads as token indices."""
    parts = [row.split("/") for row in rows.split()]
    return Doc(
        spacy.blank("en").vocab,
        words=[p[0] for p in parts],
        tags=[p[1] for p in parts],
        deps=[p[2] for p in parts],
        heads=[int(p[3]) for p in parts],
        lemmas=[p[4] if len(p) > 4 else p[0].lower() for p in parts],
    )


def _genes(doc: Doc, *indices: int) -> dict[int, list[Span]]:
    return {i: [Span(doc, i, i + 1, label=GENE)] for i in indices}


@pytest.mark.parametrize(
    ("rows", "index", "expected"),
    [
        # A presence with a place is a localization; without one it names nothing by itself.
        ("nuclear/JJ/amod/1 accumulation/NN/ROOT/1 of/IN/prep/1 RELA/NN/pobj/2", 1, "localization"),
        ("accumulation/NN/ROOT/0 of/IN/prep/0 RELA/NN/pobj/1 in/IN/prep/0 the/DT/det/5 nucleus/NN/pobj/3", 0,
         "localization"),
        ("accumulation/NN/ROOT/0 of/IN/prep/0 RELA/NN/pobj/1", 0, None),
        # An amount or activity qualified by an event is that event, by a transcript transcription.
        ("DNA-binding/JJ/amod/1 activity/NN/ROOT/1", 1, "binding"),
        ("phosphorylation/NN/nn/1 levels/NNS/ROOT/1", 1, "phosphorylation"),
        ("transcript/NN/nn/1 levels/NNS/ROOT/1", 1, "transcription"),
        ("kinase/NN/nn/1 activity/NN/ROOT/1", 1, "activity"),
        # "transcription factor" names a protein, not a transcription.
        ("transcription/NN/nn/2 factor/NN/nn/2 activation/NN/ROOT/2", 2, "activity"),
        ("transcriptional/JJ/amod/1 activation/NN/ROOT/1", 1, "transcription"),
        # The things bound are not a binding: "the p50-p65 complex".
        ("the/DT/det/1 complex/NN/ROOT/1", 1, None),
        # The place may be that of what is present: "presence of a cytoplasmic pool of RELA".
        ("presence/NN/ROOT/0 of/IN/prep/0 a/DT/det/4 cytoplasmic/JJ/amod/4 pool/NN/pobj/1 of/IN/prep/4 "
         "RELA/NN/pobj/5", 0, "localization"),
        # A form the table leaves out stays out whatever its lemma: "associated with" is no binding.
        ("associated/VBN/ROOT/0/associate with/IN/prep/0", 0, None),
        ("bound/VBN/ROOT/0/bind to/IN/prep/0", 0, "binding"),
        # The making of a complex is a binding; a making of something else is not.
        ("complex/NN/nn/1 formation/NN/ROOT/1", 1, "binding"),
        ("formation/NN/ROOT/0 of/IN/prep/0 heterodimers/NNS/pobj/1", 0, "binding"),
        ("bone/NN/nn/1 formation/NN/ROOT/1", 1, None),
        # A protein recruited is brought to bind, as "X recruits Y" reads.
        ("recruitment/NN/ROOT/0 of/IN/prep/0 EP300/NN/pobj/1", 0, "binding"),
    ],
)  # fmt: skip
def test_word_mechanism_by_class(rows: str, index: int, expected: str | None) -> None:
    assert word_mechanism(_parsed(rows)[index]) == expected


def test_clause_on_the_object_reads_the_event_that_governs_it() -> None:
    """ "phosphorylation of STAT3 induced by IL6": the parser hangs "induced" on STAT3."""
    doc = _parsed(
        "phosphorylation/NN/ROOT/0 of/IN/prep/0 STAT3/NN/pobj/1 induced/VBN/partmod/2/induce by/IN/prep/3 "
        "IL6/NN/pobj/4"
    )
    found = mechanism_of(doc[3], doc[2:3], mentions=_genes(doc, 2, 5))
    assert found is not None and found["type"] == "phosphorylation"


def test_an_event_of_another_conjunct_is_not_read() -> None:
    """ "TNF induces degradation of NFKBIA and translocation of RELA": RELA is translocated, not degraded."""
    doc = _parsed(
        "TNF/NN/nsubj/1 induces/VBZ/ROOT/1/induce degradation/NN/dobj/1 of/IN/prep/2 NFKBIA/NN/pobj/3 "
        "and/CC/cc/4 translocation/NN/conj/4 of/IN/prep/6 RELA/NN/pobj/7"
    )
    genes = _genes(doc, 0, 4, 8)
    translocated, degraded = (mechanism_of(doc[1], doc[i : i + 1], mentions=genes) for i in (8, 4))
    assert translocated is not None and translocated["type"] == "localization"
    assert degraded is not None and degraded["type"] == "degradation"


def test_a_coordinated_verb_beside_a_passive_trigger_is_the_objects_own() -> None:
    """ "RELA is induced by TNF and dimerizes": RELA dimerizes; TNF does not act on it by binding."""
    doc = _parsed(
        "RELA/NN/nsubjpass/2 is/VBZ/auxpass/2/be induced/VBN/ROOT/2/induce by/IN/prep/2 TNF/NN/pobj/3 "
        "and/CC/cc/2 dimerizes/VBZ/conj/2/dimerize"
    )
    assert mechanism_of(doc[2], doc[0:1], mentions=_genes(doc, 0, 4)) is None


def test_pair_mechanism_reads_the_parse_between_two_mentions() -> None:
    doc = _parsed("TNF/NN/nsubj/1 induces/VBZ/ROOT/1/induce IL6/NN/nn/3 expression/NN/dobj/1")
    found = pair_mechanism(doc[0:1], doc[2:3], predicate="positively_regulates", mentions=_genes(doc, 0, 2))
    assert found == {"type": "expression", "residue": None, "position": None}
    # No word of action joins two genes that only share a phrase.
    doc = _parsed("TNF/NN/nn/3 and/CC/cc/0 IL6/NN/conj/0 expression/NN/ROOT/3")
    assert pair_mechanism(doc[0:1], doc[2:3], predicate="regulates", mentions=_genes(doc, 0, 2)) is None


def test_pooled_mechanism_binds_is_binding_and_association_none() -> None:
    stated: list[Mechanism | None] = [None, {"type": "expression", "residue": None, "position": None}]
    binding: Mechanism = {"type": "binding", "residue": None, "position": None}
    assert pooled_mechanism(stated, [], predicate="binds") == binding
    assert pooled_mechanism(stated, [], predicate="associated_with") is None
    assert pooled_mechanism(stated, [], predicate="positively_regulates") == stated[1]
    # a regulation the statement states no mechanism of, of a gene it reads the subject as binding (its
    # promoter, another sentence): binding; but never over a mechanism stated
    assert pooled_mechanism([None], [], predicate="regulates", bound=True) == binding
    assert pooled_mechanism(stated, [], predicate="regulates", bound=True) == stated[1]
    assert pooled_mechanism([None], [], predicate="regulates") is None


def test_an_event_of_a_conjunct_with_its_own_gene_is_not_read() -> None:
    """ "ITGA4 induces IL2 secretion and IL2RA expression": IL2RA is expressed, IL2 secreted."""
    doc = _parsed(
        "ITGA4/NN/nsubj/1 induces/VBZ/ROOT/1/induce IL2/NN/nn/3 secretion/NN/dobj/1 and/CC/cc/3 "
        "IL2RA/NN/nn/6 expression/NN/conj/3"
    )
    genes = _genes(doc, 0, 2, 5)
    expressed, secreted = (mechanism_of(doc[1], doc[i : i + 1], mentions=genes) for i in (5, 2))
    assert expressed is not None and expressed["type"] == "expression"
    assert secreted is not None and secreted["type"] == "secretion"


def test_a_participle_on_the_object_names_the_event_it_underwent() -> None:
    """ "IL6 increases phosphorylated STAT3"; an amount participle ("activated STAT3") says nothing of how."""
    for word, expected in (("phosphorylated", "phosphorylation"), ("activated", None)):
        doc = _parsed(f"IL6/NN/nsubj/1 increases/VBZ/ROOT/1/increase {word}/VBN/amod/3 STAT3/NN/dobj/1")
        found = mechanism_of(doc[1], doc[3:4], mentions=_genes(doc, 0, 3))
        assert (found and found["type"]) == expected


def test_the_object_as_agent_of_a_compound_has_no_mechanism() -> None:
    """ "no effect on POU2F1-dependent transcription": POU2F1 drives it, is not transcribed."""
    doc = _parsed(
        "removal/NN/nsubj/3 of/IN/prep/0 PC4/NN/pobj/1 has/VBZ/ROOT/3/have no/DT/det/5 effect/NN/dobj/3 "
        "on/IN/prep/3 POU2F1/NN/npadvmod/8 -dependent/JJ/amod/9 transcription/NN/pobj/6"
    )
    assert mechanism_of(doc[5], doc[7:8], mentions=_genes(doc, 2, 7)) is None


def test_pair_mechanism_reads_an_amount_qualified_by_a_change() -> None:
    """ "RB1 expression leads to reduced POU2F1 DNA binding activity": the change is stated on the amount."""
    doc = _parsed(
        "RB1/NN/nn/1 expression/NN/nsubj/2 leads/VBZ/ROOT/2/lead to/TO/prep/2 reduced/VBN/amod/8/reduce "
        "POU2F1/NN/nn/8 DNA/NN/nn/7 binding/NN/nn/8/binding activity/NN/pobj/3"
    )
    found = pair_mechanism(doc[0:1], doc[5:6], predicate="negatively_regulates", mentions=_genes(doc, 0, 5))
    assert found is not None and found["type"] == "binding"


def test_nothing_beyond_an_association_on_the_path_is_read() -> None:
    """ "reduced NFATC2 function, associated with increased IL4 transcription": the two go together."""
    doc = _parsed(
        "reduced/VBN/amod/2/reduce NFATC2/NN/nn/2 function/NN/ROOT/2 associated/VBN/partmod/2/associate "
        "with/IN/prep/3 increased/VBN/amod/7/increase IL4/NN/nn/7 transcription/NN/pobj/4"
    )
    assert mechanism_of(doc[2], doc[6:7], mentions=_genes(doc, 1, 6)) is None


def test_a_conjunct_with_its_own_determiner_is_a_phrase_of_its_own() -> None:
    """ "did not affect NFKB DNA binding activity nor the concentrations of RELA": RELA is not bound."""
    doc = _parsed(
        "TNF/NN/nsubj/2 did/VBD/aux/2 affect/VB/ROOT/2 DNA/NN/nn/5 binding/NN/nn/5 activity/NN/dobj/2 "
        "nor/CC/cc/5 the/DT/det/8 concentrations/NNS/conj/5 of/IN/prep/8 RELA/NN/pobj/9"
    )
    assert mechanism_of(doc[2], doc[10:11], mentions=_genes(doc, 0, 10)) is None


def test_a_means_clause_that_holds_the_subject_is_not_its_mechanism() -> None:
    """ "Tax transactivates PDGFB through interactions with SP1": SP1 does not act on PDGFB by binding."""
    doc = _parsed(
        "Tax/NN/nsubj/1 transactivates/VBZ/ROOT/1/transactivate PDGFB/NN/dobj/1 through/IN/prep/1 "
        "interactions/NNS/pobj/3/interaction with/IN/prep/4 SP1/NN/pobj/5"
    )
    genes = _genes(doc, 0, 2, 6)
    by_tax = mechanism_of(doc[1], doc[2:3], mentions=genes, subject=doc[0:1])
    assert by_tax is not None and by_tax["type"] == "binding"
    assert mechanism_of(doc[1], doc[2:3], mentions=genes, subject=doc[6:7]) is None
    # With no agent of its own, the means is the subject's: "regulation of ELF1 by binding to RB1".
    doc = _parsed(
        "regulation/NN/ROOT/0 of/IN/prep/0 ELF1/NN/pobj/1 by/IN/prep/0 binding/VBG/pcomp/3/bind "
        "to/TO/prep/4 RB1/NN/pobj/5"
    )
    found = mechanism_of(doc[0], doc[2:3], mentions=_genes(doc, 2, 6), subject=doc[6:7])
    assert found is not None and found["type"] == "binding"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # "The TNF-induced complex consists of RELA": TNF makes the complex RELA binds into.
        ("The/DT/det/3 TNF/NN/npadvmod/2 -induced/JJ/amod/3 complex/NN/nsubj/4 consists/VBZ/ROOT/4/consist "
         "of/IN/prep/4 RELA/NN/pobj/5", "binding"),
        # "The TNF-activated complex": TNF acts on the complex, it does not make it.
        ("The/DT/det/3 TNF/NN/npadvmod/2 -activated/JJ/amod/3 complex/NN/nsubj/4 consists/VBZ/ROOT/4/consist "
         "of/IN/prep/4 RELA/NN/pobj/5", None),
        # "TNF-induced NFKB is a heterodimer of RELA": TNF induces NFKB, not the heterodimer's making.
        ("The/DT/det/3 TNF/NN/npadvmod/2 -induced/JJ/amod/3 NFKB/NN/nsubj/5 is/VBZ/cop/5/be "
         "heterodimer/NN/ROOT/5 of/IN/prep/5 RELA/NN/pobj/6", None),
    ],
)  # fmt: skip
def test_pair_mechanism_reads_a_complex_the_subject_makes(rows: str, expected: str | None) -> None:
    doc = _parsed(rows)
    obj = len(doc) - 1
    found = pair_mechanism(
        doc[1:2], doc[obj : obj + 1], predicate="positively_regulates", mentions=_genes(doc, 1, obj)
    )
    assert (found and found["type"]) == expected


def test_an_object_in_a_clause_with_its_own_subject_has_no_mechanism() -> None:
    """ "RUNX3 is required for EOMES expression, and TBX21 binds at the PRF1 locus": TBX21 binds there, not
    RUNX3; with no subject of its own ("and binds at the PRF1 locus") the clause is RUNX3's."""
    doc = _parsed(
        "RUNX3/NN/nsubjpass/2 is/VBZ/auxpass/2/be required/VBN/ROOT/2/require for/IN/prep/2 EOMES/NN/nn/5 "
        "expression/NN/pobj/3 ,/,/punct/2 and/CC/cc/2 TBX21/NN/nsubj/9 binds/VBZ/conj/2/bind at/IN/prep/9 "
        "the/DT/det/13 PRF1/NN/nn/13 locus/NN/pobj/10"
    )
    genes = _genes(doc, 0, 4, 8, 12)
    assert pair_mechanism(doc[0:1], doc[12:13], predicate="positively_regulates", mentions=genes) is None
    doc = _parsed(
        "RUNX3/NN/nsubjpass/2 is/VBZ/auxpass/2/be required/VBN/ROOT/2/require for/IN/prep/2 EOMES/NN/nn/5 "
        "expression/NN/pobj/3 and/CC/cc/2 binds/VBZ/conj/2/bind at/IN/prep/7 the/DT/det/11 PRF1/NN/nn/11 "
        "locus/NN/pobj/8"
    )
    genes = _genes(doc, 0, 4, 10)
    found = pair_mechanism(doc[0:1], doc[10:11], predicate="positively_regulates", mentions=genes)
    assert found is not None and found["type"] == "binding"


@pytest.mark.parametrize(("second", "expected"), [("this", "transcription"), ("IL2", None)])
def test_a_subject_in_a_clause_of_its_own_acts_through_it_only_by_anaphora(
    second: str, expected: str | None
) -> None:
    """ "IL4 transcription is induced by STAT6, and this is abrogated by IL12": "this" is the induction, so
    IL12 acts on IL4 transcription; "..., and IL2 is abrogated by IL12" says nothing of how it acts on IL4."""
    doc = _parsed(
        "IL4/NN/nn/1 transcription/NN/nsubjpass/3 is/VBZ/auxpass/3/be induced/VBN/ROOT/3/induce by/IN/prep/3 "
        f"STAT6/NN/pobj/4 ,/,/punct/3 and/CC/cc/3 {second}/DT/nsubjpass/10 is/VBZ/auxpass/10/be "
        "abrogated/VBN/conj/3/abrogate by/IN/prep/10 IL12/NN/pobj/11"
    )
    genes = _genes(doc, 0, 5, 12, *((8,) if second != "this" else ()))
    found = pair_mechanism(doc[12:13], doc[0:1], predicate="negatively_regulates", mentions=genes)
    assert (found and found["type"]) == expected


def test_a_coordinated_verb_with_its_own_subject_is_not_how_the_subject_acts() -> None:
    """ "IL2 induces FOS expression, and JUN binds at the FOS promoter": JUN binds, IL2 induces expression."""
    doc = _parsed(
        "IL2/NN/nsubj/1 induces/VBZ/ROOT/1/induce FOS/NN/nn/3 expression/NN/dobj/1 ,/,/punct/1 and/CC/cc/1 "
        "JUN/NN/nsubj/7 binds/VBZ/conj/1/bind at/IN/prep/7 the/DT/det/11 FOS/NN/nn/11 promoter/NN/pobj/8"
    )
    found = mechanism_of(doc[1], doc[2:3], mentions=_genes(doc, 0, 2, 6, 10))
    assert found is not None and found["type"] == "expression"
