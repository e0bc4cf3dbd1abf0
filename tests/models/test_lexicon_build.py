"""The lexicon build (models/lexicons/build.py) on a few hand-made HGNC, NCBI Gene and GO lines."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from generx.pipelines.genes import lookup_gene
from generx.pipelines.lexicon import load_corpus_forms, load_gene_lexicon, load_go_lexicon
from generx.pipelines.processes import ancestors, is_a_or_part_of, lookup_process, term_name
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = DATA / "lexicon"


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lexicon_build", ROOT / "models" / "lexicons" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gzip_to(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as raw, gzip.open(target, "wb") as packed:
        shutil.copyfileobj(raw, packed)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shared = tmp_path_factory.mktemp("shared")
    gzip_to(FIXTURES / "hgnc_complete_set.txt", shared / "hgnc" / "hgnc_complete_set.txt.gz")
    gzip_to(FIXTURES / "gene_aliases.tsv", shared / "ncbi_gene_human" / "gene_aliases.tsv.gz")
    gzip_to(FIXTURES / "gene2go.tsv", shared / "ncbi_gene_human" / "gene2go.tsv.gz")
    gzip_to(FIXTURES / "go-basic.obo", shared / "go" / "go-basic.obo.gz")
    out = tmp_path_factory.mktemp("lexicons")
    assert load_build().main(["--shared", str(shared), "--out", str(out)]) == 0
    return out


def test_build_writes_artifacts_with_their_checksums(built: Path) -> None:
    info = json.loads((built / "BUILD.json").read_text())
    for name, digest in info["artifacts"].items():
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == digest
    assert info["counts"]["genes"]["genes"] == 13
    assert info["counts"]["go"]["live_terms"] == 6  # the obsolete and the molecular-function terms are out
    assert info["sources"]["go"]["version"] == "releases/2021-12-15"
    # a group of one gene (Interleukins here) is no family
    assert info["counts"]["gene_groups"] == {
        "groups": 3,
        "keys": 3,
        "genes": 8,
    }  # genes in a group of two or more


def test_build_is_reproducible(built: Path, tmp_path: Path) -> None:
    info = json.loads((built / "BUILD.json").read_text())
    shared = tmp_path / "shared"
    gzip_to(FIXTURES / "hgnc_complete_set.txt", shared / "hgnc" / "hgnc_complete_set.txt.gz")
    gzip_to(FIXTURES / "gene_aliases.tsv", shared / "ncbi_gene_human" / "gene_aliases.tsv.gz")
    gzip_to(FIXTURES / "gene2go.tsv", shared / "ncbi_gene_human" / "gene2go.tsv.gz")
    gzip_to(FIXTURES / "go-basic.obo", shared / "go" / "go-basic.obo.gz")
    load_build().main(["--shared", str(shared), "--out", str(tmp_path / "again")])
    again = json.loads((tmp_path / "again" / "BUILD.json").read_text())
    assert again["artifacts"] == info["artifacts"]


def test_gene_names_of_every_kind_are_compiled(built: Path) -> None:
    lexicon = load_gene_lexicon(built)
    for name in ("IL2", "IL-2", "il 2", "interleukin 2", "interleukin-2", "TCGF", "T cell growth factor"):
        assert lookup_gene(lexicon, name)[0][0] == "HGNC:6001", name
    assert lookup_gene(lexicon, "p53")[0][0] == "HGNC:11998"
    assert lookup_gene(lexicon, "TRP53X")[0][0] == "HGNC:11998"  # an NCBI Gene alias
    assert lookup_gene(lexicon, "NFKB3")[0][0] == "HGNC:9955"  # a previous symbol
    assert lexicon.by_entrez["7157"] == lexicon.by_id["HGNC:11998"]


def test_disease_alias_names_are_left_out(built: Path) -> None:
    assert lookup_gene(load_gene_lexicon(built), "Li-Fraumeni syndrome") == []


def test_class_initialisms_are_no_alias_of_another_gene() -> None:
    build = load_build()

    def row(symbol: str, name: str) -> dict[str, str]:
        return {"symbol": symbol, "name": name, "locus_group": "protein-coding gene"}

    members = [row(f"ARHGAP{i}", f"Rho GTPase activating protein {i}") for i in range(1, 6)]
    classes = build.class_initialisms([*members, row("RASA1", "RAS p21 protein activator 1")])
    assert ("gtpase", "activating", "protein") in classes["GAP"]
    # "GAP" of RASA1 names the class; a member's own symbol or name keeps it.
    assert build.is_class_abbreviation("GAP", "RASA1", "RAS p21 protein activator 1", classes)
    assert not build.is_class_abbreviation("GAP", "ARHGAP1", "Rho GTPase activating protein 1", classes)
    assert not build.is_class_abbreviation("GAP", "SYNGAP", "synaptic Ras GTPase activating protein", classes)
    # Four genes are no class; a phrase of filler words and numbers is none either.
    assert "GAP" not in build.class_initialisms(members[:4])
    fragments = [row(f"AP{i}X", f"kinase associated protein {i}") for i in range(5)]
    assert "AP1" not in build.class_initialisms(fragments)
    # An NCBI Gene alias is kept by the gene's name only, not by a symbol that holds the letters.
    assert build.is_class_abbreviation("GAP", "GAPX", "glycine amide phosphate", classes, by_symbol=False)
    assert not build.is_class_abbreviation("GAP", "ARHGAP1", "Rho GTPase activating protein 1", classes)


def test_names_of_other_genes_are_no_alias() -> None:
    build = load_build()

    def row(symbol: str, name: str, prev_name: str = "") -> dict[str, str]:
        return {"symbol": symbol, "name": name, "prev_name": prev_name, "locus_group": "protein-coding gene"}

    rows = [
        row("FOOA", "foo subunit alpha", "fooin, alpha (fooin A, fooin AB alpha polypeptide)"),
        row("FOOB", "foo subunit beta", "fooin, beta (fooin AB beta polypeptide)"),
        row("FOOR1", "fooin A receptor type 1"),
        row("FOOR2", "fooin A receptor type 2"),
        row("BARP1", "bar protein 1", "antagonist of quux kinase 1"),
        row("BARP2", "bar protein 2", "antagonist of quux kinase 2"),
    ]
    names = build.own_names(rows)
    assert names[("fooin",)] == {"FOOA", "FOOB"}  # the receptors are named after it, not by it
    assert build.is_shared_name("fooin", "FOOE", "foo subunit epsilon", names)
    assert not build.is_shared_name("fooin", "FOOA", "foo subunit alpha", names)  # one other gene
    assert not build.is_shared_name("fooin", "FOOE", "fooin subunit epsilon", names)  # its own name says it
    assert not build.is_shared_name("quux kinase", "QUUX", "quux", names)  # only a partner in those names
    assert not build.is_shared_name("FOOIN", "FOOE", "foo subunit epsilon", names)  # a symbol


def test_a_family_prefix_is_no_alias_of_one_gene() -> None:
    build = load_build()
    approved = sorted(
        [
            "RAC1",
            "RAC2",
            "RAC3",
            "RB1",
            "RB1CC1",
            "RB1-DT",
            "CDC20",
            "CDC23",
            "CDC25A",
            "H3-3A",
            "H3-4",
            "H3C1",
        ]
    )
    assert build.family_prefix("Rac", approved)  # three numbered members
    assert build.family_prefix("H3", approved)  # H3-3A, H3-4, H3C1
    assert not build.family_prefix("RB", approved)  # one number: RB1's own name
    assert not build.family_prefix("CDC2", approved)  # CDC20 is no member of a CDC2 family
    assert not build.family_prefix("pRB", ["PRB1", "PRB2", "PRB3"])  # the protein of RB1, by its "p"
    assert not build.family_prefix("RAC1", approved)  # an approved symbol itself


def test_english_word_symbols_are_weak(built: Path) -> None:
    lexicon = load_gene_lexicon(built)
    assert all(weak for _gene, _kind, weak in lexicon.entries("cat"))
    assert all(weak for _gene, _kind, weak in lexicon.entries("set"))
    assert not any(weak for _gene, _kind, weak in lexicon.entries("il2"))


def test_families_and_receptors(built: Path) -> None:
    lexicon = load_gene_lexicon(built)
    assert lookup_gene(lexicon, "NF-kappaB") == [("generx:family/NFKB", 1.0)]
    assert lookup_gene(lexicon, "NF-κB") == [("generx:family/NFKB", 1.0)]
    assert lexicon.families["generx:family/NFKB"].members == (
        "HGNC:7794",
        "HGNC:7795",
        "HGNC:9955",
        "HGNC:9956",
        "HGNC:9954",
    )
    assert "generx:family/AP1" not in lexicon.families  # its members are not in the fixture
    assert lexicon.receptors["IL2"] == ("HGNC:6008", "HGNC:6009", "HGNC:6010")


def test_go_terms_synonyms_and_hierarchy(built: Path) -> None:
    go = load_go_lexicon(built)
    assert lookup_process(go, "T-cell proliferation")[0] == ("GO:0042098", 1.0)  # same key as the name
    assert lookup_process(go, "T lymphocyte proliferation")[0] == ("GO:0042098", 0.95)
    assert lookup_process(go, "proliferation of T lymphocytes")[0][0] == "GO:0042098"
    assert lookup_process(go, "apoptosis")[0] == ("GO:0006915", 0.75)
    assert lookup_process(go, "cell suicide") == []  # BROAD synonyms are not read
    assert lookup_process(go, "mitochondrion inheritance") == []  # obsolete
    assert ancestors(go, "GO:0042098") == ["GO:0046651", "GO:0042110", "GO:0008283", "GO:0008150"]
    assert is_a_or_part_of(go, "GO:0042098", "GO:0042110")
    assert term_name(go, "GO:9999999") == "T cell proliferation"  # alt id


def test_missing_corpora_leave_corpus_forms_empty(built: Path) -> None:
    forms = load_corpus_forms(built)
    assert forms.forms == {}
    assert forms.suppress == frozenset()
