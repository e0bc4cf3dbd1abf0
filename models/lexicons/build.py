"""Compile generx's gene and process lexicons from the raw sources in ../shared/data.

Run from the repository root::

    .venv/bin/python models/lexicons/build.py --shared ../shared/data

Reads ``hgnc/hgnc_complete_set.txt.gz`` (HGNC, CC0), ``ncbi_gene_human/gene_aliases.tsv.gz`` (NCBI
Gene, public domain) and ``go/go-basic.obo.gz`` (Gene Ontology, CC BY 4.0), and writes
``genes.json.gz``, ``go_bp.json.gz`` and ``BUILD.json`` (sources, counts, sha256) next to this file.
The English word frequencies that mark ambiguous aliases as weak come from the ``spacy-lookups-data``
package (``en_lexeme_prob``), read at build time only.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import gzip
import hashlib
import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generx.pipelines.context import is_class_noun
from generx.pipelines.lexicon import (
    GENE_GROUPS_FILE,
    GENES_FILE,
    GO_CC_FILE,
    GO_FILE,
    GO_LOSSY,
    GO_MF_FILE,
    GO_SCOPES,
    GREEK_LETTERS,
    KEY_VERSION,
    encode_gene_entry,
    encode_go_entry,
    gene_key,
    group_key,
    pack_codes,
    process_key,
)

log = logging.getLogger("generx.lexicons.build")

HERE = Path(__file__).resolve().parent

# Families and complexes written as one name. Members are approved HGNC symbols; the id is
# "generx:family/<ID>". Membership follows the HGNC gene groups named in the comment. A family name
# wins over the same string as a member's alias (HGNC lists "NF-kappaB" as an alias of NFKB1 and
# "AP-1" of JUN, but statements mean the complex).
FAMILIES: list[tuple[str, str, list[str], list[str]]] = [
    # HGNC group "NF-kappa B complex subunits"
    (
        "NFKB",
        "NF-kappaB",
        [
            "NF-kappaB",
            "NF-kappa B",
            "NF-κB",
            "NFκB",
            "NF-kB",
            "NFkB",
            "nuclear factor kappa B",
            "nuclear factor of kappa B",
            "nuclear factor-kappa-B",
            "nuclear factor-kappaB",
            "nuclear factor-kappa B",
            "nuclear factor kappaB",
        ],
        ["NFKB1", "NFKB2", "RELA", "RELB", "REL"],
    ),
    # AP-1: Jun and Fos transcription factor families (HGNC groups 'Jun ...', 'Fos ...')
    (
        "AP1",
        "AP-1",
        [
            "AP-1",
            "AP1",
            "activator protein 1",
            "activator protein-1",
            "activating protein 1",
            "activating protein-1",
        ],
        ["JUN", "JUNB", "JUND", "FOS", "FOSB", "FOSL1", "FOSL2"],
    ),
    # HGNC group "Nuclear factors of activated T-cells"
    (
        "NFAT",
        "NFAT",
        [
            "NFAT",
            "NF-AT",
            "nuclear factor of activated T cells",
            "nuclear factor of activated T-cells",
            "NFATs",
        ],
        ["NFATC1", "NFATC2", "NFATC3", "NFATC4", "NFAT5"],
    ),
    (
        "ERK",
        "ERK",
        [
            "ERK",
            "ERKs",
            "ERK1/2",
            "ERK 1/2",
            "p44/42 MAPK",
            "extracellular signal-regulated kinase",
            "extracellular signal-regulated kinases",
        ],
        ["MAPK3", "MAPK1"],
    ),
    (
        "JNK",
        "JNK",
        [
            "JNK",
            "JNKs",
            "c-Jun N-terminal kinase",
            "c-Jun N-terminal kinases",
            "SAPK/JNK",
            "SAPK",
            "stress-activated protein kinase",
        ],
        ["MAPK8", "MAPK9", "MAPK10"],
    ),
    (
        "P38",
        "p38 MAPK",
        ["p38 MAPK", "p38 MAP kinase", "p38 mitogen-activated protein kinase"],
        ["MAPK14", "MAPK11", "MAPK12", "MAPK13"],
    ),
    ("IKK", "IKK", ["IKK", "IkappaB kinase", "IκB kinase", "IKK complex"], ["CHUK", "IKBKB", "IKBKG"]),
    (
        "PI3K",
        "PI3K",
        ["PI3K", "PI3-kinase", "PI 3-kinase", "phosphatidylinositol 3-kinase", "phosphoinositide 3-kinase"],
        ["PIK3CA", "PIK3CB", "PIK3CD", "PIK3R1", "PIK3R2"],
    ),
    ("AKT", "Akt", ["Akt", "AKT", "protein kinase B", "PKB"], ["AKT1", "AKT2", "AKT3"]),
    (
        "PKC",
        "PKC",
        ["PKC", "protein kinase C"],
        ["PRKCA", "PRKCB", "PRKCG", "PRKCD", "PRKCE", "PRKCH", "PRKCQ", "PRKCZ", "PRKCI"],
    ),
    (
        "PKA",
        "PKA",
        ["PKA", "protein kinase A", "cAMP-dependent protein kinase"],
        ["PRKACA", "PRKACB", "PRKAR1A", "PRKAR1B", "PRKAR2A", "PRKAR2B"],
    ),
    (
        "AMPK",
        "AMPK",
        ["AMPK", "AMP-activated protein kinase"],
        ["PRKAA1", "PRKAA2", "PRKAB1", "PRKAB2", "PRKAG1", "PRKAG2", "PRKAG3"],
    ),
    ("RAS", "Ras", ["Ras", "RAS", "ras"], ["HRAS", "KRAS", "NRAS"]),
    # Families whose name HGNC or NCBI lists as an alias of one unrelated gene (Rac of AKT1, Rap1 of TERF2IP)
    # or of one member (IL1), which the lexicon leaves out (see family_prefix)
    ("RAC", "Rac", ["Rac", "RAC"], ["RAC1", "RAC2", "RAC3"]),
    ("RAP1", "Rap1", ["Rap1", "RAP1"], ["RAP1A", "RAP1B"]),
    ("IL1", "IL-1", ["IL-1", "IL1", "interleukin-1", "interleukin 1"], ["IL1A", "IL1B"]),
    # IL-12, a heterodimer of p35 and p40; no HGNC gene holds its name
    ("IL12", "IL-12", ["IL-12", "IL12", "interleukin-12", "interleukin 12"], ["IL12A", "IL12B"]),
    ("CD3", "CD3", ["CD3", "CD3 complex"], ["CD3D", "CD3E", "CD3G", "CD247"]),
    (
        "TCR",
        "TCR",
        ["TCR", "T cell receptor", "T-cell receptor", "T cell antigen receptor"],
        ["TRA", "TRB", "CD3D", "CD3E", "CD3G", "CD247"],
    ),
    (
        "HIF1",
        "HIF-1",
        ["HIF-1", "HIF1", "hypoxia-inducible factor 1", "hypoxia inducible factor-1"],
        ["HIF1A", "ARNT"],
    ),
    (
        "TGFB",
        "TGF-beta",
        [
            "TGF-beta",
            "TGF-β",
            "TGFβ",
            "TGFbeta",
            "transforming growth factor beta",
            "transforming growth factor-beta",
            "transforming growth factor-β",
        ],
        ["TGFB1", "TGFB2", "TGFB3"],
    ),
    (
        "IFNA",
        "IFN-alpha",
        [
            "IFN-alpha",
            "IFN-α",
            "IFNα",
            "interferon alpha",
            "interferon-alpha",
            "type I IFN",
            "type I interferon",
        ],
        ["IFNA1", "IFNA2", "IFNB1"],
    ),
    ("HLADR", "HLA-DR", ["HLA-DR"], ["HLA-DRA", "HLA-DRB1"]),
    ("PP2A", "PP2A", ["PP2A", "protein phosphatase 2A"], ["PPP2CA", "PPP2CB", "PPP2R1A"]),
    ("CALCINEURIN", "calcineurin", ["calcineurin"], ["PPP3CA", "PPP3CB", "PPP3R1"]),
    ("MTORC1", "mTORC1", ["mTORC1", "mTOR complex 1"], ["MTOR", "RPTOR", "MLST8"]),
    ("STAT5", "STAT5", ["STAT5", "STAT-5"], ["STAT5A", "STAT5B"]),
    # Spelt out, the family's name holds a process ("activators of transcription") that is no mention.
    (
        "STAT",
        "STAT",
        [
            "STAT",
            "STATs",
            "STAT proteins",
            "signal transducer and activator of transcription",
            "signal transducers and activators of transcription",
        ],
        ["STAT1", "STAT2", "STAT3", "STAT4", "STAT5A", "STAT5B", "STAT6"],
    ),
    ("HSP90", "HSP90", ["HSP90", "Hsp90"], ["HSP90AA1", "HSP90AB1"]),
    ("HSP70", "HSP70", ["HSP70", "Hsp70"], ["HSPA1A", "HSPA1B"]),
    (
        "WNT",
        "Wnt",
        ["Wnt", "Wnts", "WNT", "Wnt proteins"],
        ["WNT1", "WNT2", "WNT3", "WNT3A", "WNT5A", "WNT7A"],
    ),
    ("NOTCH", "Notch", ["Notch", "NOTCH", "Notch receptors"], ["NOTCH1", "NOTCH2", "NOTCH3", "NOTCH4"]),
    (
        "SMAD",
        "Smad",
        ["Smad", "Smads", "SMAD", "SMADs", "Smad proteins"],
        ["SMAD1", "SMAD2", "SMAD3", "SMAD4", "SMAD5", "SMAD6", "SMAD7", "SMAD9"],
    ),
    (
        "MMP",
        "MMPs",
        ["MMPs", "matrix metalloproteinases", "matrix metalloproteinase"],
        ["MMP1", "MMP2", "MMP3", "MMP7", "MMP9", "MMP13"],
    ),
    ("BMP", "BMPs", ["BMPs", "bone morphogenetic proteins"], ["BMP2", "BMP4", "BMP7"]),
    (
        "MHC2",
        "MHC class II",
        ["MHC class II", "MHC-II", "MHC II", "HLA class II"],
        ["HLA-DRA", "HLA-DRB1", "HLA-DQA1", "HLA-DQB1", "HLA-DPA1", "HLA-DPB1"],
    ),
    ("MHC1", "MHC class I", ["MHC class I", "MHC-I", "HLA class I"], ["HLA-A", "HLA-B", "HLA-C"]),
    (
        "MAPK",
        "MAPK",
        [
            "MAPK",
            "MAPKs",
            "MAP kinase",
            "MAP kinases",
            "mitogen-activated protein kinase",
            "mitogen-activated protein kinases",
        ],
        ["MAPK1", "MAPK3", "MAPK8", "MAPK14"],
    ),
    ("CAMKII", "CaMKII", ["CaMKII", "CaM kinase II"], ["CAMK2A", "CAMK2B", "CAMK2G", "CAMK2D"]),
    # HGNC group "Mitogen-activated protein kinase kinases" (MEK1/2; HGNC lists "MEK" as an alias of
    # MAP2K7 alone, but statements mean MEK1/2). Not "MAPK kinase": "MAPK kinase MAP2K1" names a member.
    (
        "MEK",
        "MEK",
        ["MEK", "MEKs", "MEK1/2", "MEK 1/2"],
        ["MAP2K1", "MAP2K2"],
    ),
    # HGNC group "RAF family"
    ("RAF", "Raf", ["Raf", "RAF", "Raf kinase", "Raf kinases", "RAF kinases"], ["ARAF", "BRAF", "RAF1"]),
    # HGNC group "Platelet derived growth factors" and their receptors
    (
        "PDGF",
        "PDGF",
        ["PDGF", "PDGFs", "platelet-derived growth factor", "platelet derived growth factor"],
        ["PDGFA", "PDGFB", "PDGFC", "PDGFD"],
    ),
    (
        "PDGFR",
        "PDGF receptor",
        ["PDGFR", "PDGF receptor", "PDGF receptors", "platelet-derived growth factor receptor"],
        ["PDGFRA", "PDGFRB"],
    ),
    # HGNC group "14-3-3 phospho-serine/phospho-threonine binding proteins"
    (
        "1433",
        "14-3-3",
        ["14-3-3", "14-3-3 protein", "14-3-3 proteins"],
        ["YWHAB", "YWHAE", "YWHAG", "YWHAH", "YWHAQ", "YWHAZ", "SFN"],
    ),
    # HGNC group "Cyclins": the members of each type
    ("CCNA", "cyclin A", ["cyclin A", "Cyclin A"], ["CCNA1", "CCNA2"]),
    ("CCNB", "cyclin B", ["cyclin B", "Cyclin B"], ["CCNB1", "CCNB2", "CCNB3"]),
    ("CCND", "cyclin D", ["cyclin D", "Cyclin D", "D-type cyclins"], ["CCND1", "CCND2", "CCND3"]),
    ("CCNE", "cyclin E", ["cyclin E", "Cyclin E"], ["CCNE1", "CCNE2"]),
    # HGNC group "Ras homolog family members" (the Rho subfamily) and the Rho-associated kinases
    ("RHO", "Rho", ["Rho", "RHO"], ["RHOA", "RHOB", "RHOC"]),
    (
        "ROCK",
        "ROCK",
        ["ROCK", "ROCKs", "Rho kinase", "Rho-kinase", "Rho-associated kinase"],
        ["ROCK1", "ROCK2"],
    ),
    # Three genes of one protein (HGNC names "calmodulin 1", "calmodulin 2", "calmodulin 3"); not "CaM",
    # which begins the names of the CaM kinases
    ("CALM", "calmodulin", ["calmodulin", "Calmodulin", "calmodulins"], ["CALM1", "CALM2", "CALM3"]),
]

# Strings that an alias shares with a common non-gene abbreviation of biomedical text: never genes.
STOP_KEYS = frozenset(
    gene_key(s)
    for s in (
        "DNA RNA mRNA cDNA ATP ADP AMP GTP GDP cAMP cGMP NADH NADPH PCR RT-PCR ELISA SDS PAGE HIV HBV "
        "HCV EBV CMV HPV SNP SNPs BMI LPS PMA ROS NO CO2 MHC HLA PBMC PBMCs ChIP siRNA shRNA miRNA WT KO "
        "GFP OR CI HR SD SEM USA UK II III IV VI VII VIII IX XI XII ER MS CNS PNS AD PD HD ALS RA SLE MI "
        "CAD ICU IgG IgM IgA IgE Ig CD EC DC NK ES iPS MEF MEFs LDL HDL VLDL CSF BBB GI RBC WBC PKD CKD "
        "AML ALL CLL CML MDS T2D T1D DM IL TNF-R receptor protein gene kinase factor "
        # kinds of RNA ("tRNA" was an alias of MT-TA)
        "tRNA tRNAs rRNA rRNAs snRNA snoRNA ncRNA lncRNA piRNA pre-mRNA "
        # T cell subsets, never genes
        "Th1 Th2 Th9 Th17 Th22 Tc1 Tc2 Tc17 Tr1 Treg Tregs Tfh "
        # domains, never genes ("a homeobox protein" was LBX1)
        "homeobox homeodomain"
    ).split()
)
ENGLISH_PROB_SYMBOL = -13.0  # log-probability above which a symbol/alias is an ordinary English word
ENGLISH_PROB_NAME = -11.0  # a one-word gene *name* must be this common to count as ordinary English
ROMAN_RE = re.compile(r"^[ivxlcdm]+$")
# Previous and alias *names* that name a disease or a locus phenotype (HGNC keeps "Li-Fraumeni
# syndrome" as an alias name of TP53): in text they mean the disease, not the gene.
DISEASE_NAME_RE = re.compile(
    r"syndrome|disease|disorder|deficien|familial|dystroph|an(a)?emia|insipidus|carcinoma|leuk(a)?emia|"
    r"lymphoma|sarcoma|retardation|susceptib|ataxia|atrophy|neuropathy|myopathy|cholesterolemia|"
    r"diabetes|dysplasia|hypoplasia|deafness|blindness|epilepsy|cataract|immunodeficiency|autosomal|"
    r"linked|locus|candidate|region|homolog \(|open reading frame"
)
# A previous or alias name written inside the approved names of this many protein-coding genes
# is a class, not a name: "serine/threonine kinase" (MARK2), "heavy chain" (SLC3A2), "RNA binding
# protein" (PNO1) name whole families where a text writes them.
GENERIC_NAME_GENES = 8
NAME_WORD_RE = re.compile(r"[^\s,()/-]+")


def name_words(name: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in NAME_WORD_RE.findall(name))


def generic_names(rows: list[dict[str, str]]) -> set[tuple[str, ...]]:
    """Word sequences of two words or more inside the approved names of at least GENERIC_NAME_GENES
    protein-coding genes (pseudogenes, whose names repeat their parent's, are left out)."""
    genes_of: dict[tuple[str, ...], int] = defaultdict(int)
    for row in rows:
        if row["locus_group"] != "protein-coding gene":
            continue
        words = name_words(row["name"])
        for ngram in {words[a:b] for a in range(len(words)) for b in range(a + 2, len(words) + 1)}:
            genes_of[ngram] += 1
    return {ngram for ngram, n in genes_of.items() if n >= GENERIC_NAME_GENES}


# A previous or alias symbol that is the initialism of a class phrase ("GAP": GTPase activating
# protein; "PP1": protein phosphatase 1), where that phrase is in the approved names of this many
# protein-coding genes whose approved symbols also carry the initialism (ARHGAP*, PPP1*), names the
# class in text, not the gene HGNC lists it for (RASA1, PPA1); unless the gene's own approved symbol
# or name carries it ("VEGF" of VEGFA).
CLASS_ABBREVIATION_GENES = 5
# Words of names that make no class on their own: a phrase of only these and numbers ("protein 23",
# "associated factor 6") is a piece cut from the names, and one cannot start with the first group.
PHRASE_INNER_WORDS = frozenset(
    "and of associated binding related interacting containing like specific".split()
)
PHRASE_FILLER_WORDS = PHRASE_INNER_WORDS | frozenset(
    "protein proteins factor domain family member subunit chromosome open reading frame type".split()
)
SYMBOL_CHARS_RE = re.compile(r"[^0-9A-Z]")


def symbol_stems(symbol: str) -> Iterator[str]:
    """Strings of three characters or more inside an approved symbol, none ending inside a number
    ("PP1" is in PPP1CA, "COX2" is not in COX20)."""
    norm = SYMBOL_CHARS_RE.sub("", symbol.upper())
    for i in range(len(norm)):
        for j in range(i + 3, len(norm) + 1):
            if not (norm[j - 1].isdigit() and norm[j : j + 1].isdigit()):
                yield norm[i:j]


def initialism(words: tuple[str, ...]) -> str:
    """The upper-case initials of a phrase, numbers whole ("protein phosphatase 1" -> "PP1")."""
    return "".join(w if w.isdigit() else w[0] for w in words).upper()


def class_initialisms(rows: list[dict[str, str]]) -> dict[str, set[tuple[str, ...]]]:
    """Initialisms that name a class, each with its phrases (see CLASS_ABBREVIATION_GENES)."""
    genes_of: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    for row in rows:
        if row["locus_group"] != "protein-coding gene":
            continue
        stems = set(symbol_stems(row["symbol"]))
        words = name_words(row["name"])
        for a in range(len(words)):
            if words[a] in PHRASE_INNER_WORDS:
                continue
            for b in range(a + 2, min(len(words), a + 6) + 1):
                phrase = words[a:b]
                short = initialism(phrase)
                if short in stems and any(w not in PHRASE_FILLER_WORDS and not w.isdigit() for w in phrase):
                    genes_of[short, phrase] += 1
    classes: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for (short, phrase), n in genes_of.items():
        if n >= CLASS_ABBREVIATION_GENES:
            classes[short].add(phrase)
    return classes


def is_class_abbreviation(
    alias: str, symbol: str, name: str, classes: dict[str, set[tuple[str, ...]]], *, by_symbol: bool = True
) -> bool:
    """Whether a previous or alias symbol is a class initialism the gene itself does not carry.

    With ``by_symbol`` false (NCBI Gene's aliases, which HGNC did not choose) only the gene's name keeps
    it: CAMKMT's symbol holds "CAM" for calmodulin, not for the class "cell adhesion molecule".
    """
    short = SYMBOL_CHARS_RE.sub("", alias.upper())
    phrases = classes.get(short)
    if not phrases or (by_symbol and short in set(symbol_stems(symbol))):
        return False
    own = f" {' '.join(name_words(name))} "
    return not any(f" {' '.join(p)} " in own for p in phrases)


# A previous or alias name that HGNC writes as the name of two or more other protein-coding genes
# ("activin": "activin A" of INHBA and "activin AB beta polypeptide" of INHBB; "small GTP binding
# protein" of RAC1-3) names what they share, not the gene it is listed for (INHBE, RAP2B), unless the
# gene's own approved name says it. A name counts where it is the other gene's whole name, but for
# designators and a head noun ("X", "X 2", "X A", "X AB beta polypeptide", "(..., X Rac1)" closing the
# name), not where it names a partner ("activin A receptor", "antagonist of beta catenin", "SPARC
# (osteonectin), cwcv ...") or ends a longer name ("breast cancer metastasis suppressor 1").
SHARED_NAME_GENES = 2
NAME_HEAD_WORDS = frozenset("protein proteins polypeptide subunit chain isoform".split())
NAME_PART_RE = re.compile(r"[,;]")
INNER_GROUP_RE = re.compile(r"\(([^()]*)\)")
CLOSING_GROUP_RE = re.compile(r"\(([^()]*)\)\s*$")
# A name-like alias has a lower-case word: "activin", "beta-catenin"; "c-Myc" and "CaM" are symbols.
NAME_LIKE_RE = re.compile(r"\b[a-z]{4,}\b")
GREEK_NAMES = frozenset(GREEK_LETTERS.values())


def is_designator(word: str) -> bool:
    """A word that tells members apart: a letter, number, Roman numeral, Greek letter or symbol ("Rac1")."""
    return (
        len(word) == 1
        or any(ch.isdigit() for ch in word)
        or sum(ch.isupper() for ch in word) >= 2
        or word.lower() in GREEK_NAMES
        or ROMAN_RE.match(word.lower()) is not None
    )


def name_parts(name: str) -> Iterator[list[str]]:
    """The words of the names an HGNC name holds: the name without its bracketed groups, and each
    comma-separated part of a bracketed group that closes the name (RAC1's "(rho family, small GTP
    binding protein Rac1)"). A group inside the name glosses the word before it ("SPARC (osteonectin),
    cwcv ..."), and a comma outside groups inverts the name ("inhibin, beta A")."""
    yield NAME_WORD_RE.findall(INNER_GROUP_RE.sub(" ", name))
    if closing := CLOSING_GROUP_RE.search(name):
        for part in NAME_PART_RE.split(closing.group(1)):
            yield NAME_WORD_RE.findall(part)


def own_names(rows: list[dict[str, str]]) -> dict[tuple[str, ...], set[str]]:
    """Word sequences that name a protein-coding gene in its approved or previous names (see
    SHARED_NAME_GENES), with the symbols of the genes they name."""
    genes_of: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for row in rows:
        if row["locus_group"] != "protein-coding gene":
            continue
        for name in [row["name"], *split_multi(row["prev_name"])]:
            for words in name_parts(name):
                lower = tuple(w.lower() for w in words)
                end = len(words)
                while end > 0 and lower[end - 1] in NAME_HEAD_WORDS:
                    end -= 1
                # The name may end in designators: it names the gene up to each of them.
                stop = end
                while stop > 0 and is_designator(words[stop - 1]):
                    stop -= 1
                for b in range(max(1, stop), end + 1):
                    genes_of[lower[:b]].add(row["symbol"])
    return genes_of


def is_shared_name(alias: str, symbol: str, name: str, names: dict[tuple[str, ...], set[str]]) -> bool:
    """Whether a previous or alias name is the name of other genes and not said by its own approved name."""
    if not NAME_LIKE_RE.search(alias):
        return False
    words = name_words(alias)
    if f" {' '.join(words)} " in f" {' '.join(name_words(name))} ":
        return False
    return len(names.get(words, set()) - {symbol}) >= SHARED_NAME_GENES


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a gzip TSV with a header, as dicts."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t")


def split_multi(value: str) -> list[str]:
    """HGNC's multi-valued field ("p53|LFS1") as a list."""
    return [v.strip() for v in value.split("|") if v.strip()]


def english_words() -> dict[str, float]:
    """Log-probabilities of English words (spacy-lookups-data en_lexeme_prob, from WordNet/Wikipedia)."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        probs: dict[str, float] = json.load(handle)
    return {word: prob for word, prob in probs.items() if word.isalpha()}


ENZYME_CLASS_RE = re.compile(r"[a-z]+ase")


def is_weak(key: str, kind: int, probs: dict[str, float], *, text_is_one_word: bool = False) -> bool:
    """Whether an entry is ambiguous with ordinary text and must be confirmed before it fires.

    A symbol or alias is weak when it is an English word (CAT, SET, AIM, IMPACT, MICE), two
    characters or fewer, or a Roman numeral; an approved name is weak only when it is one very
    common word, a previous or alias name whenever it is one word.
    """
    if kind in (2, 4, 6) and ENZYME_CLASS_RE.fullmatch(key):
        return True  # an alias that names a class of enzymes ("ATPase", "helicase")
    if kind in (0, 2, 4, 6):
        return len(key) <= 2 or bool(ROMAN_RE.match(key)) or probs.get(key, -99.0) > ENGLISH_PROB_SYMBOL
    if not text_is_one_word and probs.get(key, -99.0) > -15.0:
        return True  # "protein S" joins to "proteins": a word, not the name
    if kind in (3, 5) and key.isalpha() and text_is_one_word:
        return True  # a one-word previous/alias name is generic ("protease", "polymerase")
    return probs.get(key, -99.0) > ENGLISH_PROB_NAME


# Annotated NER corpora (train and devel splits) whose token counts say how often a surface form is a
# gene where it is written: gene-type labels per corpus, and the corpora of diseases and chemicals.
GENE_CORPORA = {
    "bc2gm": {"GENE"},
    "jnlpba": {"protein", "DNA", "RNA"},
    "bionlp09": {"Protein"},
    "bionlp11epi": {"Protein"},
    "craft-ggp": {"GGP"},
}
OTHER_CORPORA = {"ncbi-disease": {"Disease"}, "bc5cdr": {"Disease", "Chemical"}}
MIN_SEEN = 3  # occurrences before a surface's gene ratio is trusted
WEAK_RATIO = 0.2  # below: the surface is mostly not a gene where written (STZ, proteins, polymerase)
STRONG_RATIO = 0.5  # at or above: a gene even if an English word (CAT in "CAT activity")


def surface_ratios(shared: Path, index: dict[str, Any]) -> dict[str, float]:
    """Gene ratio (times annotated as a gene / times seen) of corpus tokens that the lexicon matches.

    Counted over the train and devel splits of the gene NER corpora in GENE_CORPORA; a token
    annotated as a disease or chemical in OTHER_CORPORA counts as seen and not a gene. Only single
    tokens seen MIN_SEEN times or more are kept.
    """
    seen: dict[str, int] = defaultdict(int)
    gene: dict[str, int] = defaultdict(int)
    for corpora, is_gene in ((GENE_CORPORA, True), (OTHER_CORPORA, False)):
        for name, labels in corpora.items():
            for split in ("train", "devel"):
                path = shared / "ner" / name / f"{split}.tsv.gz"
                if not path.exists():
                    log.warning("no %s: its surface counts are skipped", path)
                    continue
                with gzip.open(path, "rt", encoding="utf-8") as handle:
                    for line in handle:
                        token, _sep, tag = line.rstrip("\n").partition("\t")
                        if not tag or gene_key(token) not in index:
                            continue
                        labelled = tag != "O" and tag[2:] in labels
                        # A lower-case word counts only where it starts an entity: "proteins" ends
                        # many protein names ("DNA binding proteins") without being one.
                        if labelled and is_gene and token.islower() and not tag.startswith("B-"):
                            labelled = False
                        if is_gene:
                            seen[token] += 1
                            gene[token] += labelled
                        elif labelled:
                            seen[token] += 1
    return {t: round(gene[t] / n, 2) for t, n in seen.items() if n >= MIN_SEEN}


# A previous or alias symbol that begins the approved symbols of this many numbered genes names their
# family (Rac: RAC1-3; GATA: GATA1-6; SNAP: SNAP23, SNAP25, ...; H3: H3-3A, H3-4, H3C1, ...), not the one
# gene it is listed for (AKT1, QRSL1, ..., FGFR1); a word for a class of enzymes ("ATPase") names no gene.
FAMILY_PREFIX_GENES = 3
# An approved name of a word and a capital letter ("selectin E"), which text writes letter first.
INVERTED_NAME_RE = re.compile(r"([a-z]+) ([A-Z])")
_MEMBER_RE = re.compile(r"-?([0-9]+|[A-Z])")


def family_prefix(alias: str, approved: list[str]) -> bool:
    """Whether ``alias`` begins at least FAMILY_PREFIX_GENES of the sorted upper-case approved symbols,
    each followed by another number or letter (RAC1, RAC2, RAC3; but RB1, RB1CC1 and RB1-DT are one
    number, and CDC20 is no CDC2 family member), and is none of them."""
    if alias[:1].islower():
        return False  # "pRB" is the RB1 protein, not a PRB1-4 family
    alias = alias.upper()
    i = bisect.bisect_left(approved, alias)
    numbers = set()
    while i < len(approved) and approved[i].startswith(alias):
        rest = approved[i][len(alias) :]
        if not rest:
            return False
        if alias[-1].isdigit() and rest[0].isdigit():
            i += 1
            continue
        match = _MEMBER_RE.match(rest)
        if match and (match.group(1).isdigit() or alias[-1].isdigit()):
            numbers.add(match.group(1))
        i += 1
    return len(numbers) >= FAMILY_PREFIX_GENES


def first_member(alias: str, symbol: str) -> bool:
    """Whether ``alias`` is what the gene ``symbol`` was called before its family grew and it took the
    number 1: VAV is VAV1's previous symbol, CREB and EBF are aliases of CREB1 and EBF1. Such an alias
    names that gene, not the family it begins."""
    return len(alias) >= 3 and symbol.upper() in (f"{alias.upper()}1", f"{alias.upper()}-1")


def build_genes(shared: Path, probs: dict[str, float]) -> tuple[dict[str, Any], dict[str, int]]:
    """Compile HGNC (plus NCBI Gene aliases) into the gene lexicon's JSON structure."""
    genes: list[list[Any]] = []
    by_symbol: dict[str, int] = {}
    by_entrez: dict[str, int] = {}
    entries: dict[str, dict[int, tuple[int, bool]]] = defaultdict(dict)

    spellings: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))

    hgnc_rows = list(read_tsv(shared / "hgnc" / "hgnc_complete_set.txt.gz"))
    generic = generic_names(hgnc_rows)

    classes = class_initialisms(hgnc_rows)
    shared_names = own_names(hgnc_rows)
    approved = sorted({row["symbol"].upper() for row in hgnc_rows})
    # How many genes' approved names hold each word: a name "<word> S" whose word is in two or more
    # approved names has the key of the plural, which names their class ("laminin S" of LAMB2 read
    # "laminins" as LAMB2).
    name_word_genes = Counter(w for row in hgnc_rows for w in set(row["name"].lower().split()))

    def add(text: str, gene: int, kind: int) -> None:
        if kind in (3, 5) and (DISEASE_NAME_RE.search(text.lower()) or name_words(text) in generic):
            return
        if kind in (2, 4, 6) and (
            (family_prefix(text, approved) and not first_member(text, genes[gene][1]))
            or is_class_noun(text.lower())
        ):
            return
        plural = re.fullmatch(r"([A-Za-z]+)[\s-][sS]", text)
        if plural and name_word_genes[plural.group(1).lower()] >= SHARED_NAME_GENES:
            return
        if kind in (2, 4, 6) and is_class_abbreviation(
            text, genes[gene][1], genes[gene][2], classes, by_symbol=kind != 6
        ):
            return
        if kind >= 2 and is_shared_name(text, genes[gene][1], genes[gene][2], shared_names):
            return
        key = gene_key(text)
        spellings[key][text].add(gene)
        if len(key) < 2 or key.isdigit() or key in STOP_KEYS:
            return
        weak = is_weak(key, kind, probs, text_is_one_word=re.fullmatch(r"[^\W_]+", text.strip()) is not None)
        old = entries[key].get(gene)
        if old is None or kind < old[0]:
            entries[key][gene] = (kind, weak if old is None else weak and old[1])

    for row in hgnc_rows:
        i = len(genes)
        num = int(row["hgnc_id"].split(":")[1])
        genes.append([num, row["symbol"], row["name"], row["entrez_id"], row["locus_group"], 0])
        by_symbol[row["symbol"]] = i
        if row["entrez_id"]:
            by_entrez[row["entrez_id"]] = i
        add(row["symbol"], i, 0)
        add(row["name"], i, 1)
        inverted = INVERTED_NAME_RE.fullmatch(row["name"])
        if inverted:
            # "selectin E" is written "E-selectin"
            add(f"{inverted.group(2)}-{inverted.group(1)}", i, 1)
        for kind, column in ((2, "prev_symbol"), (3, "prev_name"), (4, "alias_symbol"), (5, "alias_name")):
            for value in split_multi(row[column]):
                add(value, i, kind)
    # How well studied a gene is (distinct GO terms annotated to it in NCBI gene2go) breaks ties
    # between genes sharing an alias: COX-2 is PTGS2 far more often than MT-CO2.
    go_terms: dict[int, set[str]] = defaultdict(set)
    for row in read_tsv(shared / "ncbi_gene_human" / "gene2go.tsv.gz"):
        gene = by_entrez.get(row["entrez_id"])
        if gene is not None:
            go_terms[gene].add(row["go_id"])
    for gene, found in go_terms.items():
        genes[gene][5] = len(found)
    n_ncbi = 0
    for row in read_tsv(shared / "ncbi_gene_human" / "gene_aliases.tsv.gz"):
        gene = by_entrez.get(row["entrez_id"])
        if gene is not None and gene_key(row["alias_symbol"]) not in entries:
            add(row["alias_symbol"], gene, 6)
            n_ncbi += 1

    families: list[list[Any]] = []
    family_index: dict[str, str] = {}
    for fid, display, forms, members in FAMILIES:
        missing = [m for m in members if m not in by_symbol]
        if missing:
            log.warning("family %s left out: %s are not approved HGNC symbols", fid, missing)
            continue
        family_id = f"generx:family/{fid}"
        families.append([family_id, display, [f"HGNC:{genes[by_symbol[m]][0]}" for m in members]])
        for form in forms:
            family_index[gene_key(form)] = family_id

    # "<ligand> receptor" as a family: the approved symbols S + "R" + one letter or digit, when S + "R"
    # is not itself a gene (IL2 -> IL2RA, IL2RB, IL2RG; IFNG -> IFNGR1, IFNGR2).
    receptor_re = re.compile(r"^(.+)R[A-Z0-9]$")
    by_ligand: dict[str, list[str]] = defaultdict(list)
    for num, symbol, _name, _entrez, group, _n_go in genes:
        match = receptor_re.match(symbol)
        if match and group == "protein-coding gene" and match.group(1) in by_symbol:
            by_ligand[match.group(1)].append(f"HGNC:{num}")
    receptors = {s: m for s, m in by_ligand.items() if len(m) >= 2 and f"{s}R" not in by_symbol}

    index = {
        key: [
            encode_gene_entry(g, kind, weak)
            for g, (kind, weak) in sorted(found.items(), key=lambda x: x[1][0])
        ]
        for key, found in entries.items()
    }
    ratios = surface_ratios(shared, index)
    # For keys shared by several genes, the exact spellings each gene is listed under: "SP-D" is
    # SFTPD's alias, "SPD" HOXD13's previous symbol; the spelling the text uses breaks the tie.
    exact = {
        text: sorted(found)
        for key, forms in spellings.items()
        if key in index and len(entries[key]) > 1
        for text, found in forms.items()
        if len(found) < len(entries[key])
    }
    counts = {
        "surfaces_weak": sum(r < WEAK_RATIO for r in ratios.values()),
        "surfaces_strong": sum(r >= STRONG_RATIO for r in ratios.values()),
        "genes": len(genes),
        "keys": len(index),
        "weak_keys": sum(all(code & 1 for code in codes) for codes in index.values()),
        "ncbi_alias_entries": n_ncbi,
        "families": len(families),
        "receptor_families": len(receptors),
    }
    data = {
        "meta": {"key_version": KEY_VERSION, "counts": counts},
        "genes": genes,
        "index": index,
        "families": families,
        "family_index": family_index,
        "receptors": receptors,
        "exact": exact,
        # Keys of symbols that are English words (a looser cut than weak): never read in lower case.
        "english_keys": sorted(
            k
            for k, found in entries.items()
            if probs.get(k, -99.0) > -15.5 and any(kd in (0, 2, 4, 6) for kd, _w in found.values())
        ),
        # Surfaces written in the corpora: weak (mostly not a gene) or strong (mostly a gene).
        "weak_surfaces": sorted(t for t, r in ratios.items() if r < WEAK_RATIO),
        "strong_surfaces": sorted(t for t, r in ratios.items() if r >= STRONG_RATIO),
    }
    return data, counts


def parse_obo(path: Path) -> Iterator[dict[str, list[str]]]:
    """The [Term] stanzas of an OBO file as {tag: [values]}."""
    stanza: dict[str, list[str]] | None = None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("["):
                if stanza is not None:
                    yield stanza
                stanza = {} if line == "[Term]" else None
            elif stanza is not None and ": " in line:
                tag, value = line.split(": ", 1)
                stanza.setdefault(tag, []).append(value)
    if stanza is not None:
        yield stanza


SYNONYM_RE = re.compile(r'^"((?:[^"\\]|\\.)*)" (EXACT|NARROW|RELATED|BROAD)')
# Labels whose last word is a process noun get the "X of Y" order too ("T cell differentiation" ->
# "differentiation of T cell"), and "X of Y" labels get "Y X".
OF_RE = re.compile(r"^(\S+) of (.+)$")


# The adjective of a one-word process noun, as statements write it alone ("meiotic", "apoptotic",
# "chondrogenic", "glycolytic", "chemotactic").
ADJECTIVE_ENDINGS = {
    "genesis": "genic",
    "taxis": "tactic",
    "osis": "otic",
    "ysis": "ytic",
    "esis": "etic",
    "ription": "riptional",
}
ADJECTIVE_RE = re.compile(r"(?:genesis|taxis|osis|ysis|esis|ription)$")
# An adjective before the head cannot stand after "of": "skeletal development" is no "development of
# skeletal" (which would read "development of skeletal muscle" as bone development).
ADJECTIVE_MODIFIER_RE = re.compile(r"(?:al|ic|ac|ar|ous|ive|ary|ory)$")
# Where a receptor is, not what it binds: "intracellular receptor signaling pathway" is no "intracellular
# signaling pathway".
RECEPTOR_PLACES = frozenset("intracellular nuclear surface transmembrane cytoplasmic membrane".split())
# GO's default sense, written as a qualifier after a comma in older names: "regulation of transcription,
# DNA-templated" is what a statement means by "regulation of transcription".
DEFAULT_QUALIFIERS = (" dna templated", " dna dependent")
# Ions GO names "<X> ion" that statements write bare: "calcium homeostasis", "potassium transport".
ION_RE = re.compile(
    r"\b(calcium|sodium|potassium|chloride|magnesium|zinc|iron|copper|manganese|cobalt|nickel|cadmium|lithium"
    r"|phosphate|sulfate|bicarbonate|ammonium|nitrate|iodide|fluoride|bromide|hydrogen|metal) ion\b"
)
# Statements' names for a process that GO gives only inside a narrower term's synonym ("membrane trafficking
# involved in floral organ shedding" under vesicle-mediated transport).
STATEMENT_SYNONYMS = {"GO:0016192": ("membrane trafficking",)}
# A numbered meiotic stage says meiotic by its number: "meiotic metaphase I" is "metaphase I".
MEIOTIC_STAGE_RE = re.compile(r"\bmeiotic (\w+ (?:i|ii))\b")


def label_variants(key: str) -> dict[str, bool]:
    """Other ways statements write a GO label: word orders, and shorter signaling-pathway forms.

    - "<Y> <X>" <-> "<X> of <Y>" for a one-word process noun X (Y not ending in an adjective);
    - "... mediated signaling pathway" -> "... signaling pathway", "... signaling";
    - "alpha beta T cell" qualifiers dropped ("CD4-positive, alpha-beta T cell proliferation" is
      what "CD4(+) T cell proliferation" means in a statement);
    - "<ligand> receptor signaling pathway" -> "<ligand> signaling pathway";
    - a one-word "-sis"/"-taxis"/"-ription" noun -> its adjective ("meiosis" -> "meiotic"), also before
      the head it was "of" ("regulation of transcription" -> "transcriptional regulation");
    - GO's default qualifier dropped ("transcription, DNA-templated" -> "transcription");
    - "meiotic" dropped before a numbered stage ("meiotic prophase I" -> "prophase I");
    - "<structure> assembly" -> "<structure> formation" ("spindle formation", "formation of cilia"),
      "<cargo> transport" -> "<cargo> trafficking" ("intracellular protein trafficking").

    Returns each form with whether it is lossy (lost words of the label).
    """
    forms = {key: False}
    for qualifier in DEFAULT_QUALIFIERS:
        if key.endswith(qualifier):
            key = key.removesuffix(qualifier)
            forms[key] = False
    if MEIOTIC_STAGE_RE.search(key):
        key = MEIOTIC_STAGE_RE.sub(r"\1", key)
        forms[key] = False
    if ION_RE.search(key):
        forms[ION_RE.sub(r"\1", key)] = False
    if " alpha beta " in f" {key} ":
        forms[f" {key} ".replace(" alpha beta ", " ").strip()] = True
    for form in list(forms):
        # "insulin receptor signaling pathway" is what "insulin signaling (pathway)" means.
        ligand = form.removesuffix(" receptor signaling pathway")
        if ligand != form and ligand != "t cell" and ligand.split(" ")[-1] not in RECEPTOR_PLACES:
            forms.setdefault(form.replace(" receptor signaling pathway", " signaling pathway"), True)
    for form in list(forms):
        if form.endswith(" signaling pathway"):
            short = form.removesuffix(" pathway")
            for new in (
                short,
                short.replace(" mediated signaling", " signaling"),
                form.replace(" mediated signaling", " signaling"),
            ):
                forms.setdefault(new, True)
    for form, lossy in list(forms.items()):
        # "spindle formation", "the formation of cilia": GO names the making of a structure its assembly
        if form.endswith(" assembly") and " of " not in form:
            forms.setdefault(form.removesuffix(" assembly") + " formation", lossy)
        # "intracellular (protein) trafficking" is its transport (not "membrane trafficking", which GO
        # writes as vesicle-mediated transport, not as transmembrane transport)
        if form.endswith(" transport") and " of " not in form and not form.endswith("membrane transport"):
            forms.setdefault(form.removesuffix(" transport") + " trafficking", lossy)
    if " " not in key:
        adjective = ADJECTIVE_RE.sub(lambda m: ADJECTIVE_ENDINGS[m.group(0)], key)
        if adjective != key:
            forms.setdefault(adjective, True)
    for form, lossy in list(forms.items()):
        words = form.split(" ")
        match = OF_RE.match(form)
        if match and " of " not in match.group(2):
            forms.setdefault(f"{match.group(2)} {match.group(1)}", lossy)
            if " " not in match.group(2):  # "regulation of transcription" -> "transcriptional regulation"
                adjective = ADJECTIVE_RE.sub(lambda m: ADJECTIVE_ENDINGS[m.group(0)], match.group(2))
                if adjective != match.group(2):
                    forms.setdefault(f"{adjective} {match.group(1)}", True)
        elif len(words) >= 2 and " of " not in form and not ADJECTIVE_MODIFIER_RE.search(words[-2]):
            forms.setdefault(f"{words[-1]} of {' '.join(words[:-1])}", lossy)
    return forms


def activity_variants(key: str) -> dict[str, bool]:
    """A molecular function as statements name what has it: "protein kinase activity" is written "a
    protein kinase" ("encodes a protein kinase", "acts as a transcriptional coactivator")."""
    forms = {key: False}
    short = key.removesuffix(" activity")
    forms.setdefault(short, False)
    # "tyrosine kinase", "serine/threonine phosphatase": statements leave out that the substrate is a protein.
    if short.startswith("protein ") and short.endswith(("kinase", "phosphatase")):
        forms.setdefault(short.removeprefix("protein "), True)
    # "calcium-binding", "binds zinc": the ion is understood.
    if short.endswith(" ion binding"):
        forms.setdefault(short.replace(" ion binding", " binding"), True)
    # "a transcriptional coactivator", "transcriptional repressor activity".
    if short.startswith("transcription "):
        forms.setdefault("transcriptional " + short.removeprefix("transcription "), False)
    return forms


# What a complex transports, which statements leave out: "mitochondrial ATP synthase" is GO's
# mitochondrial proton-transporting ATP synthase complex.
TRANSPORTING_RE = re.compile(r"\b\w+ transporting (?=\w)")
# GO names a collagen by its trimer ("collagen type IX trimer"); statements write "type IX collagen".
COLLAGEN_RE = re.compile(r"^collagen type (\w+) trimer$")


def component_variants(key: str) -> dict[str, bool]:
    """A cellular component is written with its GO name or synonym, also without what a complex
    transports ("mitochondrial ATP synthase complex") and a collagen trimer as "type <N> collagen"."""
    forms = {key: False}
    if TRANSPORTING_RE.search(key):
        forms.setdefault(TRANSPORTING_RE.sub("", key), True)
    if match := COLLAGEN_RE.match(key):
        forms.setdefault(f"type {match.group(1)} collagen", False)
    return forms


# Each GO aspect's lexicon: its file and the forms its labels take in statements. A molecular function or a
# cellular component keeps GO's broad synonyms as its weakest forms ("transcription factor activity" is
# only a broad synonym of DNA-binding transcription factor activity, yet what statements write); a process
# keeps them out, as process words are the relations' own triggers.
GO_ASPECTS: dict[str, tuple[str, Callable[[str], dict[str, bool]], bool]] = {
    "biological_process": (GO_FILE, label_variants, False),
    "molecular_function": (GO_MF_FILE, activity_variants, True),
    "cellular_component": (GO_CC_FILE, component_variants, True),
}


def build_go(
    shared: Path, probs: dict[str, float], namespace: str = "biological_process"
) -> tuple[dict[str, Any], dict[str, int]]:
    """Compile go-basic.obo's non-obsolete terms of one aspect into the GO lexicon's structure."""
    _file, variants, broad = GO_ASPECTS[namespace]
    stanzas = [s for s in parse_obo(shared / "go" / "go-basic.obo.gz") if s.get("namespace") == [namespace]]
    live = [s for s in stanzas if s.get("is_obsolete") != ["true"]]
    term_of = {s["id"][0]: i for i, s in enumerate(live)}
    alt_ids = {alt: s["id"][0] for s in live for alt in s.get("alt_id", [])}
    terms = [[int(s["id"][0].split(":")[1]), s["name"][0]] for s in live]
    index: dict[str, dict[int, int]] = defaultdict(dict)
    parents: dict[int, list[int]] = {}
    n_syn: dict[str, int] = defaultdict(int)
    for i, s in enumerate(live):
        labels = [(s["name"][0], 0)]
        if namespace == "biological_process":
            related = GO_SCOPES.index("related")
            labels += [(label, related) for label in STATEMENT_SYNONYMS.get(s["id"][0], ())]
        for value in s.get("synonym", []):
            match = SYNONYM_RE.match(value)
            if match and (broad or match.group(2) != "BROAD"):
                scope = GO_SCOPES.index("related" if match.group(2) == "BROAD" else match.group(2).lower())
                labels.append((match.group(1), scope))
                n_syn[match.group(2)] += 1
        # The head noun of the term's name ("receptor" of signaling receptor activity).
        head = process_key(s["name"][0]).removesuffix(" activity").rsplit(" ", 1)[-1]
        for label, scope in labels:
            base = process_key(label)
            if not base:
                continue
            for form, lossy in variants(base).items():
                # A one-word synonym that is a common English word ("growth" aside) is no evidence.
                if scope > 0 and " " not in form and probs.get(form, -99.0) > -10.0:
                    continue
                # A function's or component's one-word narrow, related or broad synonym is mostly an enzyme's
                # acronym or a neighbouring thing ("cytochrome" for a reductase, "antibody" for antigen
                # binding); kept only where it is the head of the term's own name ("receptor").
                if broad and scope > 1 and " " not in form and form != head:
                    continue
                code = scope | (GO_LOSSY if lossy else 0)
                old = index[form].get(i)
                if old is None or code < old:
                    index[form][i] = code
        edges = [term_of[v.split(" ")[0]] << 1 for v in s.get("is_a", []) if v.split(" ")[0] in term_of]
        for v in s.get("relationship", []):
            rel, target = v.split(" ")[:2]
            if rel == "part_of" and target in term_of:
                edges.append(term_of[target] << 1 | 1)
        if edges:
            parents[i] = edges
    # A glued prefix is read apart where the rest begins a label ("postnatal", "overexpression"), so
    # GO's glued spellings are keys split the same way ("posttranscriptional" = "post-transcriptional").
    from generx.pipelines.processes import split_prefix

    starts = {key.split(" ", 1)[0] for key in index}
    n_split = 0
    for key, found in list(index.items()):
        words = key.split(" ")
        cuts = [split_prefix(w, starts.__contains__) for w in words]
        if not any(cuts):
            continue
        split = " ".join(
            w if cut is None else f"{w[: cut[0]]} {cut[1]}" for w, cut in zip(words, cuts, strict=True)
        )
        n_split += split not in index
        for term_index, code in found.items():
            old = index[split].get(term_index)
            if old is None or code < old:
                index[split][term_index] = code
    # Descendant counts break ties between terms sharing a label: the broader, better-known term wins
    # ("apoptosis" is apoptotic process, not execution phase of apoptosis).
    children: dict[int, list[int]] = defaultdict(list)
    for child, edges in parents.items():
        for edge in edges:
            children[edge >> 1].append(child)
    for i, term in enumerate(terms):
        seen: set[int] = set()
        stack = list(children.get(i, []))
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(children.get(node, []))
        term.append(len(seen))
    packed = {
        key: pack_codes([encode_go_entry(t, scope) for t, scope in sorted(found.items(), key=lambda x: x[1])])
        for key, found in index.items()
    }
    counts = {
        "terms": len(stanzas),
        "live_terms": len(terms),
        "synonyms_exact": n_syn["EXACT"],
        "synonyms_narrow": n_syn["NARROW"],
        "synonyms_related": n_syn["RELATED"],
        "keys": len(packed),
        "prefix_split_keys": n_split,
        "edges": sum(len(v) for v in parents.values()),
    }
    data = {
        "meta": {"key_version": KEY_VERSION, "counts": counts, "alt_ids": alt_ids},
        "terms": terms,
        "index": packed,
        "parents": [pack_codes(parents.get(i, [])) for i in range(len(terms))],
    }
    return data, counts


MAX_GENE_WORDS = 4
MAX_SPELLINGS = 4


def gene_spellings(go_data: dict[str, Any], gene_data: dict[str, Any]) -> dict[str, list[str]]:
    """How GO's labels spell each gene or family they begin with, as a process key.

    A label such as "interleukin-6-mediated signaling pathway" or "insulin receptor signaling
    pathway" starts with a gene's name; statements write the gene as the gene lexicon finds it
    ("IL6", "LIF", "insulin"). For each HGNC id (or family id) up to MAX_SPELLINGS phrases GO
    uses are kept, so the matcher can read a gene mention in GO's spelling ("LIF signaling" is
    leukemia inhibitory factor signaling pathway). Weak (English-like) gene keys are skipped.
    """
    from generx.pipelines.lexicon import gene_key

    genes = gene_data["genes"]
    index = gene_data["index"]
    families = gene_data["family_index"]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    kinds: dict[str, dict[str, int]] = defaultdict(dict)
    for form in go_data["index"]:
        words = form.split(" ")
        for k in range(1, min(MAX_GENE_WORDS, len(words) - 1) + 1):
            phrase = " ".join(words[:k])
            key = gene_key(phrase)
            # Only the gene the key names first (entries are in rank order): "HGF" is an alias of IL6,
            # but "HGF production" is about HGF.
            strong = [code for code in index.get(key, ()) if not code & 1]
            if key in families:
                ids, kind = [families[key]], 0
            elif strong:
                kind = (strong[0] >> 1) & 7
                ids = [f"HGNC:{genes[c >> 4][0]}" for c in strong if (c >> 1) & 7 == kind]
            else:
                ids = []
            for gene_id in ids:
                kinds[gene_id][phrase] = kind
                counts[gene_id][phrase] += 1
    # The gene's best-standing names GO writes (approved before previous before alias), then the most used.
    return {
        gene_id: sorted(phrases, key=lambda p: (kinds[gene_id][p], -phrases[p], -len(p), p))[:MAX_SPELLINGS]
        for gene_id, phrases in counts.items()
    }


CRAFT_FORMS_FILE = "craft_forms.json.gz"
MAX_FORM_WORDS = 6


def craft_gold(shared: Path, splits: set[str]) -> dict[str, list[tuple[int, int, str]]]:
    """CRAFT GO_BP gold mentions (continuous ones) of the given splits, by PubMed id."""
    gold: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    with gzip.open(shared / "craft/concepts/go_bp_mentions.tsv.gz", "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            pmid, split, spans, _text, concept, _label = line.rstrip("\n").split("\t")
            if split in splits and ";" not in spans:
                start, end = map(int, spans.split("-"))
                gold[pmid].append((start, end, concept))
    return gold


def _inside_longer(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """Whether ``(start, end)`` lies inside one of the sorted ``spans`` that is longer than it."""
    starts = [s for s, _e in spans]
    longest = max((e - s for s, e in spans), default=0)

    def inside(start: int, end: int) -> bool:
        k = bisect.bisect_right(starts, start)
        lo = bisect.bisect_left(starts, start - longest)
        return any(e >= end and e - s > end - start for s, e in spans[lo:k])

    return inside


def build_craft_forms(
    shared: Path, go_data: dict[str, Any], *, pmids: set[str] | None = None
) -> tuple[dict[str, Any], dict[str, int]]:
    """Learn CRAFT's way of writing processes from its train and dev articles (never test).

    CRAFT annotates word forms GO lists nowhere ("expressed" is gene expression, "olfactory" is
    sensory perception of smell, "regulated" is biological regulation). ``forms`` keeps each
    annotated phrase (as a process key) seen annotated twice or more and annotated at least half
    the times it is written, with its most frequent GO id; ``suppress`` lists GO-lexicon keys
    written three times or more but annotated less than 15% of the time ("binding", "development"
    in CRAFT's sense). ``pmids`` narrows train+dev to those articles (cross-validation).
    """
    import io
    import tarfile

    from generx.pipelines.processes import words_with_offsets

    if not (shared / "craft/concepts/go_bp_mentions.tsv.gz").exists():
        log.warning("no CRAFT under %s: corpus forms are left empty", shared)
        empty = {"articles": 0, "forms": 0, "suppressed_keys": 0}
        return {"meta": {"key_version": KEY_VERSION, "counts": empty}, "forms": {}, "suppress": []}, empty
    gold = craft_gold(shared, {"train", "dev"})
    if pmids is not None:
        gold = defaultdict(list, {p: m for p, m in gold.items() if p in pmids})
    texts: dict[str, str] = {}
    with tarfile.open(shared / "craft/text/craft_articles_txt.tar.gz") as tar:
        for member in tar.getmembers():
            pmid = Path(member.name).stem
            if member.name.endswith(".txt") and pmid in gold:
                handle = tar.extractfile(member)
                if handle is not None:
                    texts[pmid] = io.TextIOWrapper(handle, encoding="utf-8").read()
    go_index = go_data["index"]
    spans = [
        texts[pmid][start:end]
        for pmid, mentions in gold.items()
        if pmid in texts
        for start, end, _c in mentions
    ]
    # Glued prefixes split as the matcher splits them ("postnatal" -> "post" + "natal"), so that a form
    # is keyed and counted as the matcher reads it.
    starts = {key.split(" ", 1)[0] for key in go_index} | {
        key.split(" ", 1)[0] for key in map(process_key, spans) if key
    }
    annotated: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pmid, mentions in gold.items():
        for start, end, concept in mentions:
            words = (
                words_with_offsets(texts[pmid][start:end], known=starts.__contains__) if pmid in texts else []
            )
            key = " ".join(w for _s, _e, w in words if w)
            if key:
                annotated[key][concept] += 1
    written: dict[str, int] = defaultdict(int)
    for pmid, text in texts.items():
        words = [w for w in words_with_offsets(text, known=starts.__contains__) if w[2]]
        inside = _inside_longer(sorted((s, e) for s, e, _c in gold[pmid]))
        for i in range(len(words)):
            key = ""
            for j in range(i, min(i + MAX_FORM_WORDS, len(words))):
                key = f"{key} {words[j][2]}" if key else words[j][2]
                # Written inside a longer annotated phrase is no evidence against the shorter one: the
                # matcher reads the longer ("repair" in "DNA repair", "cell differentiation" in
                # "T cell differentiation").
                if (key in annotated or key in go_index) and not inside(words[i][0], words[j][1]):
                    written[key] += 1
    live = {f"GO:{num:07d}" for num, _name, _size in go_data["terms"]}
    alt = go_data["meta"]["alt_ids"]
    forms: dict[str, str] = {}
    # Where a statement's name is given its term on purpose, the corpus's other reading yields.
    statement_keys = {process_key(label) for labels in STATEMENT_SYNONYMS.values() for label in labels}
    for key, concepts in annotated.items():
        if key in statement_keys:
            continue
        concept, n = max(concepts.items(), key=lambda item: item[1])
        concept = alt.get(concept, concept)
        if concept in live and n >= 2 and n >= 0.5 * max(written[key], 1):
            forms[key] = concept
    suppress = sorted(
        key
        for key in go_index
        if written[key] >= 3 and sum(annotated.get(key, {}).values()) < 0.15 * written[key]
    )
    counts = {"articles": len(texts), "forms": len(forms), "suppressed_keys": len(suppress)}
    return {
        "meta": {"key_version": KEY_VERSION, "counts": counts},
        "forms": forms,
        "suppress": suppress,
    }, counts


MIN_GROUP_SIZE = 2


def build_gene_groups(shared: Path, probs: dict[str, float]) -> tuple[dict[str, Any], dict[str, int]]:
    """HGNC's gene groups by the key of their name ("Claudins" -> "claudin"). A key shared by two groups
    goes to the larger; a group of one gene is no family, nor is a complex; a one-word key that is a common
    English word names no family on its own."""
    members: dict[tuple[int, str], list[str]] = defaultdict(list)
    for row in read_tsv(shared / "hgnc" / "hgnc_complete_set.txt.gz"):
        ids, names = split_multi(row["gene_group_id"]), split_multi(row["gene_group"])
        for gid, name in zip(ids, names, strict=False):
            members[(int(gid), name.strip())].append(row["hgnc_id"])
    sizes = {group: len(genes) for group, genes in members.items()}
    groups = sorted((g for g, n in sizes.items() if n >= MIN_GROUP_SIZE), key=lambda g: (-sizes[g], g[0]))
    # Each gene's own groups, for a family its text names in words of its own ("a member of the keratin
    # gene family" of KRT84 is its group "Keratins, type II").
    memberships: dict[str, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        for hgnc_id in members[group]:
            memberships[hgnc_id].append(i)
    index: dict[str, int] = {}
    for i, (_gid, name) in enumerate(groups):
        # A complex is what a subunit is part of, no family.
        key = group_key(name)
        if not key or key in index or key.endswith("complex"):
            continue
        if " " not in key and probs.get(key, -99.0) > -10.0:
            continue
        index[key] = i
    data = {
        "meta": {"key_version": KEY_VERSION},
        "groups": [[gid, name, sizes[(gid, name)]] for gid, name in groups],
        "index": index,
        "members": dict(memberships),
    }
    return data, {"groups": len(groups), "keys": len(index), "genes": len(memberships)}


def obo_version(path: Path) -> str:
    """The data-version line of an OBO file's header."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("data-version:"):
                return line.split(":", 1)[1].strip()
            if line.startswith("["):
                break
    return "unknown"


def write_json_gz(path: Path, data: Any) -> str:
    """Write compact, reproducible gzip JSON (mtime 0) and return its sha256."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with path.open("wb") as handle, gzip.GzipFile(fileobj=handle, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sha256_of(path: Path) -> str:
    """sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    """Build both lexicons into --out (default: this folder)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"), help="the raw data folder")
    parser.add_argument("--out", type=Path, default=HERE, help="where to write the compiled lexicons")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    shared: Path = args.shared
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    probs = english_words()
    gene_data, gene_counts = build_genes(shared, probs)
    go_data, go_counts = build_go(shared, probs)
    go_data["gene_spellings"] = gene_spellings(go_data, gene_data)
    go_counts["gene_spellings"] = len(go_data["gene_spellings"])
    craft_data, craft_counts = build_craft_forms(shared, go_data)
    group_data, group_counts = build_gene_groups(shared, probs)
    artifacts = {
        GENES_FILE: write_json_gz(out / GENES_FILE, gene_data),
        GO_FILE: write_json_gz(out / GO_FILE, go_data),
        CRAFT_FORMS_FILE: write_json_gz(out / CRAFT_FORMS_FILE, craft_data),
        GENE_GROUPS_FILE: write_json_gz(out / GENE_GROUPS_FILE, group_data),
    }
    aspect_counts = {}
    for namespace in ("molecular_function", "cellular_component"):
        file_name = GO_ASPECTS[namespace][0]
        aspect_data, aspect_counts[namespace] = build_go(shared, probs, namespace)
        artifacts[file_name] = write_json_gz(out / file_name, aspect_data)
    build = {
        "key_version": KEY_VERSION,
        "command": "python models/lexicons/build.py --shared ../shared/data",
        "sources": {
            "hgnc": {
                "file": "hgnc/hgnc_complete_set.txt.gz",
                "sha256": sha256_of(shared / "hgnc/hgnc_complete_set.txt.gz"),
                "version": "HGNC complete set, 2024-10-18",
                "licence": "CC0",
            },
            "ncbi_gene": {
                "file": "ncbi_gene_human/gene_aliases.tsv.gz + gene2go.tsv.gz",
                "sha256": sha256_of(shared / "ncbi_gene_human/gene_aliases.tsv.gz"),
                "sha256_gene2go": sha256_of(shared / "ncbi_gene_human/gene2go.tsv.gz"),
                "version": "NCBI Gene 2022-09-12 (org.Hs.eg.db 3.16.0)",
                "licence": "public domain",
            },
            "craft": {
                "file": "craft/concepts/go_bp_mentions.tsv.gz (train+dev) + craft/text",
                "sha256": sha256_of(shared / "craft/concepts/go_bp_mentions.tsv.gz")
                if (shared / "craft/concepts/go_bp_mentions.tsv.gz").exists()
                else None,
                "version": "CRAFT v5.0.2",
                "licence": "CC BY 3.0 (annotations)",
            },
            "go": {
                "file": "go/go-basic.obo.gz",
                "sha256": sha256_of(shared / "go/go-basic.obo.gz"),
                "version": obo_version(shared / "go/go-basic.obo.gz"),
                "licence": "CC BY 4.0",
            },
        },
        "counts": {
            "genes": gene_counts,
            "go": go_counts,
            "craft_forms": craft_counts,
            "gene_groups": group_counts,
            **aspect_counts,
        },
        "artifacts": artifacts,
    }
    (out / "BUILD.json").write_text(json.dumps(build, indent=2) + "\n", encoding="utf-8")
    for name, digest in artifacts.items():
        log.info("%s %s bytes sha256 %s", name, (out / name).stat().st_size, digest)
    log.info("counts %s", json.dumps(build["counts"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
