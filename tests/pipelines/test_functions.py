"""GO molecular functions and cellular components said of a gene (enables, located_in, part_of), and the
HGNC gene family the text puts it in (member_of)."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from generx.models.lexicons.build import activity_variants, component_variants, label_variants
from generx.pipelines.extract import extract
from generx.pipelines.lexicon import group_key, load_gene_groups
from generx.pipelines.statements import Statement


def test_a_molecular_function_is_written_without_activity() -> None:
    forms = activity_variants("protein serine threonine kinase activity")
    assert forms["protein serine threonine kinase"] is False
    assert forms["serine threonine kinase"] is True  # lossy: the substrate is understood
    assert "calcium binding" in activity_variants("calcium ion binding")
    assert "transcriptional coactivator" in activity_variants("transcription coactivator activity")


def test_a_component_is_written_as_go_names_it() -> None:
    assert component_variants("nuclear pore") == {"nuclear pore": False}
    assert "mitochondrial atp synthase complex" in component_variants(
        "mitochondrial proton transporting atp synthase complex"
    )
    assert "type ix collagen" in component_variants("collagen type ix trimer")


def test_an_ion_is_written_bare_before_its_process() -> None:
    assert "calcium homeostasis" in label_variants("calcium ion homeostasis")
    assert "regulation of transport" not in label_variants("regulation of ion transport")


def test_the_assembly_of_a_structure_is_its_formation() -> None:
    forms = label_variants("cilium assembly")
    assert "cilium formation" in forms
    assert "formation of cilium" in forms
    assert "intracellular protein trafficking" in label_variants("intracellular protein transport")
    assert "membrane trafficking" not in label_variants("membrane transport")


def test_a_family_name_meets_its_hgnc_group_written_either_way() -> None:
    assert group_key("Claudins") == group_key("claudin family") == "claudin"
    assert group_key("RNA-binding motif family") == group_key("RNA binding motif containing")
    assert group_key("WAP-type four-disulfide core domain family") == group_key(
        "WAP four-disulfide core domain containing"
    )
    assert group_key("ATP binding cassette subfamily A") != group_key("ATP binding cassette subfamily B")
    groups = load_gene_groups()
    assert groups[group_key("tripartite motif family")].name == "Tripartite motif family"
    assert not any(key.endswith("complex") for key in groups)  # a subunit is part of a complex


def read(nlp: Language, gene: str, text: str) -> list[dict[str, Any]]:
    [result] = extract(nlp, [Statement(id="s:1", text=text, gene=gene)])
    return [r for r in result.relations if r["object"]["type"] in ("function", "component", "family")]


def facts(records: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(r["subject"]["name"], r["predicate"], r["object"]["name"]) for r in records}


CASES = [
    (
        "AKT1",
        "This gene encodes a serine/threonine protein kinase that localizes to the nucleus and cytoplasm.",
        {
            ("AKT1", "enables", "protein serine/threonine kinase activity"),
            ("AKT1", "located_in", "nucleus"),
            ("AKT1", "located_in", "cytoplasm"),
        },
    ),
    (
        "MED1",
        "The protein encoded by this gene is a subunit of the mediator complex.",
        {("MED1", "part_of", "mediator complex")},
    ),
    (
        "RAB5A",
        "The encoded protein is a GTP-binding protein. It has GTPase activity and binds calcium.",
        {
            ("RAB5A", "enables", "GTP binding"),
            ("RAB5A", "enables", "GTPase activity"),
            ("RAB5A", "enables", "calcium ion binding"),
        },
    ),
    (
        "EPHA1",
        "This gene belongs to the ephrin receptor subfamily of the protein-tyrosine kinase family.",
        {
            ("EPHA1", "enables", "ephrin receptor activity"),
            ("EPHA1", "enables", "protein tyrosine kinase activity"),
        },
    ),
    (
        "MED12",
        "This gene encodes a component of the Mediator, which is required for transcription.",
        {("MED12", "part_of", "mediator complex")},
    ),
    (
        "EIF1AX",  # a factor, not the initiation complex
        "This gene encodes a translation initiation factor.",
        {("EIF1AX", "enables", "translation initiation factor activity")},
    ),
    (
        "CYB5A",  # "cytochrome" names no function of its own in GO
        "This gene encodes a membrane-bound cytochrome.",
        {("CYB5A", "located_in", "membrane")},
    ),
    (
        "TMCO1",  # "this locus" is the gene, and the lemmatizer's "locu" does not hide it
        "This locus encodes a transmembrane protein.",
        {("TMCO1", "located_in", "membrane")},
    ),
    (
        "FOXA2",  # ... nor its "clas"
        "This gene encodes a member of the forkhead class of DNA-binding proteins.",
        {("FOXA2", "enables", "DNA binding")},
    ),
    (
        "PLS3",
        "Plastins are a family of actin-binding proteins.",
        {("PLS3", "enables", "actin binding")},
    ),
    (
        "DPYS",
        "Dihydropyrimidinase catalyzes the conversion of 5,6-dihydrouracil to 3-ureidopropionate.",
        {("DPYS", "enables", "dihydropyrimidinase activity")},
    ),
    (
        "TOMM20",
        "The encoded protein is a mitochondrial outer membrane protein.",
        {("TOMM20", "located_in", "mitochondrial outer membrane")},
    ),
    ("IL6", "The encoded cytokine is secreted.", {("IL6", "located_in", "extracellular region")}),
    (
        "PTPN4",  # the abbreviation in parentheses is no part of the name
        "This gene encodes a member of the protein tyrosine phosphatase (PTP) family.",
        {
            ("PTPN4", "enables", "protein tyrosine phosphatase activity"),
            # the family no group is named as, but one of the gene's own groups begins with
            ("PTPN4", "member_of", "Protein tyrosine phosphatases non-receptor type"),
        },
    ),
    (
        "LGALS7",  # the class with "the"; a hyphenated word's tail; the class is an HGNC gene group
        "The galectins are a family of beta-galactoside-binding proteins.",
        {("LGALS7", "enables", "galactoside binding"), ("LGALS7", "member_of", "Galectins")},
    ),
    (
        "TRIM5",
        "This gene encodes a member of the tripartite motif (TRIM) family.",
        {("TRIM5", "member_of", "Tripartite motif family")},
    ),
    (
        "CCNE1",  # adjectives and adverbs before the name leave the family as it is
        "The protein encoded by this gene belongs to the highly conserved cyclin family.",
        {("CCNE1", "member_of", "Cyclins")},
    ),
    (
        "FER",  # a negated adjective makes another family; "tyrosine kinases" still says the function
        "This gene encodes a member of the FPS/FES family of non-transmembrane receptor tyrosine kinases.",
        {("FER", "enables", "protein tyrosine kinase activity")},
    ),
    (
        "ACYP2",  # the gene's name without its number, as a bare subject, is its class
        "Acylphosphatase can hydrolyze the phosphoenzyme intermediate of membrane pumps.",
        {("ACYP2", "enables", "acylphosphatase activity")},
    ),
    (
        "ATP5F1A",  # GO's name says what the complex transports; the longer name wins
        "This gene encodes a subunit of mitochondrial ATP synthase.",
        {("ATP5F1A", "part_of", "mitochondrial proton-transporting ATP synthase complex")},
    ),
    (
        "RMND1",  # the subject of the verb that raises the location's participle
        "This protein is thought to be localized in the mitochondria.",
        {("RMND1", "located_in", "mitochondrion")},
    ),
    (
        "NOL7",  # a clause on the place says what the gene does there, not where it is
        "The protein encoded by this gene localizes to the nucleolus, where it maintains nucleolar "
        "structure.",
        {("NOL7", "located_in", "nucleolus")},
    ),
    (
        "POGLUT2",  # a participle read as an adjective; the place written "X of Y"
        "This gene encodes a protein product localized to the lumen of the endoplasmic reticulum.",
        {("POGLUT2", "located_in", "endoplasmic reticulum lumen")},
    ),
    (
        "PML",  # what a verb holds somewhere is there, as is what holds it
        "The encoded protein recruits DAXX and SP100 to nuclear bodies.",
        {
            ("PML", "located_in", "nuclear body"),
            ("DAXX", "located_in", "nuclear body"),
            ("SP100", "located_in", "nuclear body"),
        },
    ),
    (
        "CYP1B1",  # a verb that places its subject places no object the parser hangs on it
        "The enzyme encoded by this gene localizes to the endoplasmic reticulum and metabolizes "
        "procarcinogens such as polycyclic aromatic hydrocarbons and 17beta-estradiol.",
        {("CYP1B1", "located_in", "endoplasmic reticulum")},
    ),
    (
        "VPS36",  # GO names the complex by the short form in parentheses
        "This gene encodes a protein that is a subunit of the endosomal sorting complex required for "
        "transport II (ESCRT-II).",
        {("VPS36", "part_of", "ESCRT II complex")},
    ),
    (
        "NCAPG2",  # GO has no condensin II complex: the complex the name says, without its number
        "The encoded protein is a regulatory subunit of the condensin II complex.",
        {("NCAPG2", "part_of", "condensin complex")},
    ),
    (
        "TSPAN31",  # the family's other name
        "The protein encoded by this gene is a member of the transmembrane 4 superfamily, also known as the "
        "tetraspanin family.",
        {("TSPAN31", "member_of", "Tetraspanins")},
    ),
    (
        "KRT84",  # no HGNC group is named "keratins"; the gene's own group begins so
        "The protein encoded by this gene is a member of the keratin gene family.",
        {("KRT84", "member_of", "Keratins, type II")},
    ),
    (
        "PCDHGB3",  # a cluster named by the head of its group's name
        "This gene is a member of the protocadherin gamma gene cluster, one of three related clusters.",
        {("PCDHGB3", "member_of", "Clustered protocadherins")},
    ),
    (
        "NBPF12",  # the family's short form, right after its name, is its group's name
        "This gene is a member of the neuroblastoma breakpoint family (NBPF) which consists of many genes.",
        {("NBPF12", "member_of", "NBPF members")},
    ),
    (
        "FBXO45",  # the gene as the example of the family's members
        "Members of the F-box protein family, such as FBXO45, are characterized by a motif, the F-box.",
        {("FBXO45", "member_of", "F-boxes other")},
    ),
    (
        "CDH18",  # the class it encodes is one of its groups
        "This gene encodes a type II classical cadherin.",
        {("CDH18", "member_of", "Type II classical cadherins")},
    ),
    (
        "KLHL17",  # a domain HGNC groups its genes by
        "The encoded protein contains an N-terminal BTB domain and six Kelch repeats.",
        {("KLHL17", "member_of", "BTB domain containing")},
    ),
]


@pytest.mark.model
@pytest.mark.parametrize(("gene", "text", "expected"), CASES)
def test_what_a_summary_says_of_its_gene(nlp: Language, gene: str, text: str, expected: set[Any]) -> None:
    records = read(nlp, gene, text)
    assert facts(records) == expected
    for record in records:
        obj = record["object"]
        assert record["statement_id"] == "s:1" and obj["id"].startswith(("GO:", "HGNC.FAMILY:"))
        assert text[obj["start"] : obj["end"]] == obj["text"]
        # the gene as named, or read through "this gene", "the encoded protein" or its class ("Plastins")
        assert record["subject"]["id"] and record["subject"].get("resolved") in (None, "context", "class")


@pytest.mark.model
@pytest.mark.parametrize(
    ("gene", "text"),
    [
        ("FRZB", "The protein encoded by this gene is a secreted protein."),  # no "Secreted frizzled-related"
        ("GCG", "Glucagon is a ligand for a specific G-protein linked receptor."),  # no "Receptor ligands"
        # a partner's name and symbol are no family of its own ("VCP-Ufd1-Npl4 complex subunits")
        (
            "UBXN4",
            "UBXD2 is a protein of the endoplasmic reticulum that binds valosin-containing protein (VCP).",
        ),
    ],
)
def test_no_family_where_the_text_names_none(nlp: Language, gene: str, text: str) -> None:
    assert not [r for r in read(nlp, gene, text) if r["predicate"] == "member_of"]


@pytest.mark.model
def test_a_denied_location_is_kept_negated(nlp: Language) -> None:
    [record] = read(nlp, "TP53", "The encoded protein does not localize to mitochondria.")
    assert record["predicate"] == "located_in" and record["negated"] is True


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "This gene is expressed in the brain and in T cells.",  # tissues and cells are no components
        "Mutations in this gene are found in patients with Li-Fraumeni syndrome.",
        "This gene encodes an enzyme.",  # GO's "catalytic activity" says nothing
        "The encoded protein binds MDM2.",  # a gene: a binds relation, not a function
        "This gene is located on chromosome 4.",  # where the gene lies is no component
        "This gene is located on the X chromosome.",
        "This gene is a member of the keratin gene family.",  # none of TP53's groups
        "The encoded protein contains a BTB domain.",  # HGNC does not list TP53 among them
    ],
)
def test_no_function_or_component_where_none_is_said(nlp: Language, text: str) -> None:
    assert read(nlp, "TP53", text) == []


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The encoded protein plays a role in replication and repair.", {"DNA replication", "DNA repair"}),
        ("The encoded protein is involved in damage repair.", {"DNA repair"}),
        # what is repaired or replicated is no DNA: CRAFT's one-word forms do not hold
        ("The encoded protein is involved in tissue repair.", set()),
        ("The encoded protein functions in HIV-1 replication.", {"viral genome replication"}),
    ],
)
def test_a_form_that_leaves_dna_understood_yields_to_another_substrate(
    nlp: Language, text: str, expected: set[str]
) -> None:
    (result,) = extract(nlp, [Statement("s:1", text, "POLD1")])
    assert {r["object"]["name"] for r in result.relations if r["object"]["type"] == "process"} == expected


@pytest.mark.model
@pytest.mark.parametrize(
    ("gene", "text", "expected"),
    [
        ("SLC30A1", "This gene encodes a zinc transporter.", {"zinc ion transport"}),
        ("KCNA1", "This gene encodes a voltage-gated potassium channel.", {"potassium ion transport"}),
        ("SLC2A5", "The encoded protein transports fructose.", {"fructose transmembrane transport"}),
        (
            "NOS2",
            "This enzyme synthesizes nitric oxide from L-arginine.",
            {"nitric oxide biosynthetic process"},
        ),
        ("TDO2", "The encoded enzyme metabolizes tryptophan.", {"tryptophan metabolic process"}),
        ("HDAC1", "This gene encodes a histone deacetylase.", {"histone deacetylation"}),
        ("AKT1", "This gene encodes a serine/threonine protein kinase.", {"protein phosphorylation"}),
        ("MDM2", "The encoded protein is an E3 ubiquitin ligase.", {"protein ubiquitination"}),
        ("CKB", "This gene encodes a creatine kinase.", set()),  # GO names no creatine phosphorylation
        ("PRSS1", "This gene encodes a serine protease.", {"proteolysis"}),
        ("HSPA5", "The encoded protein acts as a molecular chaperone.", {"protein folding"}),
        ("ASF1A", "This gene encodes a histone chaperone.", set()),
        # what is carried is a place, or a whole name GO has no process of
        ("KIF5A", "The encoded protein transports mitochondria along axons.", set()),
        ("SPNS2", "The encoded protein is a transporter of sphingosine 1-phosphate.", set()),
        # done to the gene itself
        ("NUP62", "The encoded protein is transported to the nucleus.", set()),
    ],
)
def test_a_transporter_an_enzyme_or_a_verb_names_the_process_on_its_object(
    nlp: Language, gene: str, text: str, expected: set[str]
) -> None:
    (result,) = extract(nlp, [Statement("s:1", text, gene)])
    processes = [r for r in result.relations if r["object"]["type"] == "process"]
    assert {r["object"]["name"] for r in processes} == expected
    assert all(r["predicate"] == "involved_in" and r["subject"]["name"] == gene for r in processes)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The encoded protein regulates the cell surface expression of odorant receptors.",
         "protein localization to cell surface"),
        ("The encoded protein regulates their expression on the plasma membrane.",
         "protein localization to cell surface"),
        ("The encoded protein is required for the replication of human immunodeficiency virus type 1.",
         "viral genome replication"),
        ("The encoded protein is required for retroviral replication.", "viral genome replication"),
        ("The encoded protein is required for DNA replication.", "DNA replication"),
    ],
)  # fmt: skip
def test_a_process_word_is_read_in_the_sense_its_context_gives(
    nlp: Language, text: str, expected: str
) -> None:
    (result,) = extract(nlp, [Statement("s:1", text, "DDX1")])
    assert {r["object"]["name"] for r in result.relations if r["object"]["type"] == "process"} == {expected}
