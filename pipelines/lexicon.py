"""The compiled gene and process lexicons: how names are normalised into keys, and how they load.

The build (``models/lexicons/build.py``) and the matchers (``pipelines/genes.py``,
``pipelines/processes.py``) share the key functions here, so a name compiled from HGNC or GO and a
phrase read in a statement meet on the same key. A change to a key function is a change to the
lexicon format: bump ``KEY_VERSION`` and rebuild.
"""

from __future__ import annotations

import bisect
import gzip
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from generx.pipelines.errors import ModelNotFound

log = logging.getLogger(__name__)

KEY_VERSION = 4
GENES_FILE = "genes.json.gz"
GO_FILE = "go_bp.json.gz"
GO_MF_FILE = "go_mf.json.gz"
GO_CC_FILE = "go_cc.json.gz"
GENE_GROUPS_FILE = "gene_groups.json.gz"
CORPUS_FORMS_FILE = "craft_forms.json.gz"

# Alphanumeric runs (letters of any script, Greek included, and digits): the pieces a gene key joins.
PIECE_RE = re.compile(r"[^\W_]+")
# Separators that may sit inside one gene name: "IL-2", "interleukin 2", "NF-κB", "TNF‑alpha".
GENE_GAPS = frozenset({" ", "-", "\u2010", "\u2011", "\u2013"})

GREEK_LETTERS = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "τ": "tau",
    "φ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
}
# Spelled Greek letters collapse to their Latin initial inside gene keys, so that TNF-alpha, TNFα and
# TNFA, or NF-kappaB, NF-κB and NFKB, share a key. Only the long spellings are replaced inside a piece
# ("NFkappaB"); the short ones (eta, mu, pi, ...) only as whole pieces, since they hide in words.
_GREEK_INITIAL = {
    "alpha": "a",
    "beta": "b",
    "gamma": "g",
    "delta": "d",
    "epsilon": "e",
    "kappa": "k",
    "lambda": "l",
    "sigma": "s",
    "omega": "o",
    "theta": "q",
    "zeta": "z",
}
_GREEK_WORD_RE = re.compile("|".join(sorted(_GREEK_INITIAL, key=len, reverse=True)))
_GREEK_WHOLE = {"eta": "h", "iota": "i", "mu": "m", "nu": "n", "xi": "x", "pi": "p", "rho": "r"}


def has_upper_or_digit(word: str) -> bool:
    """Whether a word is written like a gene symbol rather than a word: a capital or a digit in it."""
    return any(ch.isupper() or ch.isdigit() for ch in word)


def gene_piece_key(piece: str) -> str:
    """Normalise one alphanumeric piece for a gene key: lowercase, Greek letters to Latin initials."""
    text = piece.lower()
    if any(ch in GREEK_LETTERS for ch in text):
        text = "".join(GREEK_LETTERS.get(ch, ch) for ch in text)
    if text in _GREEK_WHOLE:
        return _GREEK_WHOLE[text]
    return _GREEK_WORD_RE.sub(lambda m: _GREEK_INITIAL[m.group(0)], text)


def gene_key(text: str) -> str:
    """The lookup key of a gene name or symbol: its pieces normalised and joined without separators.

    "IL-2", "IL2" and "il 2" share the key "il2"; "interleukin-2" and "interleukin 2" share
    "interleukin2"; "TNF-alpha", "TNFα" and "TNFA" share "tnfa".
    """
    return "".join(gene_piece_key(piece) for piece in PIECE_RE.findall(text))


# --- process keys -------------------------------------------------------------------------------

# A word of a process phrase; a trailing "(+)" or "+" reads as "positive" ("CD4(+)", "CD8+").
PROCESS_WORD_RE = re.compile(r"[^\W_]+(?:\(\+\)|\+)?")
_SPELLING = {
    "signalling": "signaling",
    "signalled": "signaled",
    "tumour": "tumor",
    "haemopoiesis": "hemopoiesis",
    "haematopoiesis": "hematopoiesis",
    "haematopoietic": "hematopoietic",
    "behaviour": "behavior",
    "lymphocytic": "lymphocyte",
    "programed": "programmed",
    # Latin plurals the suffix rules of ``singular`` do not undo
    "cilia": "cilium",
    "flagella": "flagellum",
    "mitochondria": "mitochondrion",
    "nuclei": "nucleus",
    "stimuli": "stimulus",
    "bacteria": "bacterium",
    "fungi": "fungus",
}
# Adjectives read as their noun, as GO writes both ("neuronal migration" = neuron migration): a statement's
# "neuronal development" is neuron development. A process mention does not end on one ("maintenance of
# neuronal polarity" is no neuron maintenance).
ADJECTIVE_NOUNS = {
    "neuronal": "neuron",
    "mitochondrial": "mitochondrion",
    "axonal": "axon",
    "epidermal": "epidermis",
    "tubular": "tubule",
}
_SPELLING |= ADJECTIVE_NOUNS
PROCESS_STOPWORDS = frozenset({"the", "a", "an"})
_NO_SINGULAR = ("ss", "us", "is", "os", "ys", "as")


def singular(word: str) -> str:
    """A plural noun's singular by suffix rules (cells -> cell, processes -> process, bodies -> body)."""
    if word.endswith("rnas"):  # "mRNAs", "microRNAs" (not caught by "as", as in "pancreas")
        return word[:-1]
    if len(word) <= 3 or not word.endswith("s") or word.endswith(_NO_SINGULAR):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


@lru_cache(maxsize=1 << 16)  # a text's words repeat, and every statement's are read twice
def process_word(word: str) -> str:
    """Normalise one word of a process phrase: lowercase, US spelling, singular, "+" as "positive"."""
    positive = word.endswith("+") or word.endswith("(+)")
    word = word.removesuffix("(+)").removesuffix("+").lower()
    if any(ch in GREEK_LETTERS for ch in word):
        word = "".join(GREEK_LETTERS.get(ch, ch) for ch in word)
    word = singular(_SPELLING.get(word, word))
    return f"{word} positive" if positive else word


def process_words(text: str) -> list[str]:
    """The normalised words of a process phrase.

    Hyphens split ("T-cell" -> t cell) but a number stays glued to the word before it, so that
    "interleukin-2", "interleukin 2" and "IL2" give one word each ("interleukin2", "il2");
    articles are dropped.
    """
    words: list[str] = []
    for raw in PROCESS_WORD_RE.findall(text):
        word = process_word(raw)
        if word in PROCESS_STOPWORDS:
            continue
        if words and word.isdigit():
            words[-1] += word
        else:
            words.extend(word.split(" "))
    return words


def process_key(text: str) -> str:
    """The lookup key of a process phrase: its normalised words joined by single spaces."""
    return " ".join(process_words(text))


# --- loading --------------------------------------------------------------------------------------

# Kinds of gene names, in rank order (the rule: approved symbol before previous symbol
# before alias); names rank just below the symbol of the same standing.
GENE_KINDS = ("symbol", "name", "prev_symbol", "prev_name", "alias_symbol", "alias_name", "ncbi_alias")
GENE_KIND_SCORE = (1.0, 0.95, 0.8, 0.75, 0.7, 0.65, 0.5)
SYMBOL_KINDS = frozenset({0, 2, 4, 6})
GO_SCOPES = ("name", "exact", "narrow", "related")
GO_SCOPE_SCORE = (1.0, 0.95, 0.75, 0.5)
# A label form that lost words ("alpha-beta" dropped, "-mediated signaling pathway" shortened) scores
# below the same label written in full, so the full-label term wins a tie.
GO_LOSSY = 4
GO_LOSSY_FACTOR = 0.9

# Most keys and terms have one entry or one parent: written as a bare int, it costs a tenth of a list.
Codes = int | list[int]


def pack_codes(codes: list[int]) -> Codes:
    """A list of packed entries as the compiled file keeps it: the bare int when there is one."""
    return codes[0] if len(codes) == 1 else codes


def unpack_codes(codes: Codes) -> list[int]:
    """The entries that ``pack_codes`` packed, as a list."""
    return [codes] if isinstance(codes, int) else codes


@dataclass(frozen=True)
class Gene:
    """One HGNC gene: its id ("HGNC:6001"), approved symbol and name, NCBI Gene id, locus group."""

    id: str
    symbol: str
    name: str
    entrez: str
    locus_group: str
    n_go: int = 0


@dataclass(frozen=True)
class Family:
    """A gene family or complex written as one name (NF-kappaB): a stable id and its member genes."""

    id: str
    name: str
    members: tuple[str, ...]


@dataclass(eq=False, repr=False)
class GeneLexicon:
    """The compiled gene lexicon.

    ``index`` maps a gene key to its packed entries (``encode_gene_entry``; kept packed to save
    memory), which ``entries`` unpacks as ``(gene index, kind, weak)``; a weak entry (an alias that
    is also an English word or too short, like CAT, SET, AIM) fires only with support.
    ``weak_surfaces``/``strong_surfaces`` are exact spellings that annotated corpora show to be
    mostly not genes / mostly genes where written; they override the entry's flag.
    """

    genes: list[Gene]
    index: dict[str, list[int]]
    families: dict[str, Family]
    family_index: dict[str, str]
    receptors: dict[str, tuple[str, ...]]
    weak_surfaces: frozenset[str] = frozenset()
    strong_surfaces: frozenset[str] = frozenset()
    english_keys: frozenset[str] = frozenset()
    exact: dict[str, list[int]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    by_id: dict[str, int] = field(default_factory=dict)
    by_symbol: dict[str, int] = field(default_factory=dict)
    by_entrez: dict[str, int] = field(default_factory=dict)
    sorted_keys: list[str] = field(default_factory=list)

    def has_prefix(self, prefix: str) -> bool:
        """Whether some gene or family key starts with ``prefix`` (lets matching stop early)."""
        return _has_prefix(self.sorted_keys, prefix)

    def entries(self, key: str) -> list[tuple[int, int, bool]]:
        """The entries of a gene key as ``(gene index, kind, weak)``; [] for an unknown key."""
        return [(code >> 4, (code >> 1) & 7, bool(code & 1)) for code in self.index.get(key, ())]

    def __post_init__(self) -> None:
        for i, gene in enumerate(self.genes):
            self.by_id[gene.id] = i
            self.by_symbol[gene.symbol] = i
            if gene.entrez:
                self.by_entrez[gene.entrez] = i
        self.sorted_keys = sorted({*self.index, *self.family_index})


@dataclass(frozen=True, slots=True)
class GoTerm:
    """One non-obsolete GO biological_process term."""

    id: str
    name: str
    descendants: int = 0


@dataclass(eq=False, repr=False)
class GoLexicon:
    """The compiled GO biological-process lexicon: terms, key index, and the is_a/part_of graph.

    ``index`` maps a process key to packed entries that ``entries`` unpacks as ``(term index,
    scope)``: scope & 3 indexes ``GO_SCOPES``, and the ``GO_LOSSY`` bit marks a shortened label form;
    ``parents`` holds each term's packed edges (by term index), which ``parents_of`` gives as
    ``(parent index, "is_a" | "part_of")``; both pack as ``pack_codes`` does; ``gene_spellings`` maps
    an HGNC or family id to the phrases GO's labels write that gene with ("HGNC:6596" -> ["lif",
    "leukemia inhibitory factor", ...]).
    """

    terms: list[GoTerm]
    index: dict[str, Codes]
    parents: list[Codes]
    meta: dict[str, Any] = field(default_factory=dict)
    by_id: dict[str, int] = field(default_factory=dict)
    max_words: int = 0
    sorted_keys: list[str] = field(default_factory=list)
    gene_spellings: dict[str, list[str]] = field(default_factory=dict)

    def has_prefix(self, prefix: str) -> bool:
        """Whether some process key starts with ``prefix`` (lets matching stop early)."""
        return _has_prefix(self.sorted_keys, prefix)

    def entries(self, key: str) -> list[tuple[int, int]]:
        """The entries of a process key as ``(term index, scope)``; [] for an unknown key."""
        return [(code >> 3, code & 7) for code in unpack_codes(self.index.get(key, []))]

    def parents_of(self, term: int) -> list[tuple[int, str]]:
        """The is_a and part_of parents of a term index."""
        return [(p >> 1, "part_of" if p & 1 else "is_a") for p in unpack_codes(self.parents[term])]

    def __post_init__(self) -> None:
        self.by_id = {term.id: i for i, term in enumerate(self.terms)}
        for alt, main in self.meta.get("alt_ids", {}).items():
            self.by_id.setdefault(alt, self.by_id[main])
        self.max_words = max((key.count(" ") + 1 for key in self.index), default=0)
        self.sorted_keys = sorted(self.index)


def _has_prefix(sorted_keys: list[str], prefix: str) -> bool:
    i = bisect.bisect_left(sorted_keys, prefix)
    return i < len(sorted_keys) and sorted_keys[i].startswith(prefix)


def default_lexicon_dir() -> Path:
    """``<models>/lexicons``, where ``<models>`` is ``generx.models.models_dir()`` (env GENERX_MODELS)."""
    from generx.models import models_dir

    return models_dir() / "lexicons"


def _read_json(path: Path) -> Any:
    if not path.exists():
        raise ModelNotFound(f"compiled lexicon {path} is missing; run models/lexicons/build.py")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as err:
        raise ModelNotFound(f"compiled lexicon {path} cannot be read: {err}") from err


def _check_version(data: dict[str, Any], path: Path) -> None:
    if data.get("meta", {}).get("key_version") != KEY_VERSION:
        raise ModelNotFound(
            f"{path} was built with another key version; rebuild it with models/lexicons/build.py"
        )


@cache
def load_gene_lexicon(directory: Path | None = None) -> GeneLexicon:
    """Load (once per process and directory) the compiled gene lexicon."""
    path = Path(directory or default_lexicon_dir()) / GENES_FILE
    data = _read_json(path)
    _check_version(data, path)
    genes = [
        Gene(f"HGNC:{num}", sym, name, entrez, group, n_go)
        for num, sym, name, entrez, group, n_go in data["genes"]
    ]
    index = data["index"]
    families = {fid: Family(fid, name, tuple(members)) for fid, name, members in data["families"]}
    receptors = {sym: tuple(members) for sym, members in data["receptors"].items()}
    log.info("gene lexicon %s: %s genes, %s keys", path, len(genes), len(index))
    return GeneLexicon(
        genes,
        index,
        families,
        dict(data["family_index"]),
        receptors,
        frozenset(data["weak_surfaces"]),
        frozenset(data["strong_surfaces"]),
        frozenset(data["english_keys"]),
        data["exact"],
        data["meta"],
    )


# Words a family's name is written with or without: "the claudin family" is HGNC's "Claudins".
# "type" goes too: "the WAP-type four-disulfide core domain family" is HGNC's "WAP four-disulfide core
# domain containing", as "RNA-binding motif family" is "RNA binding motif containing".
GROUP_WORDS = frozenset({"family", "superfamily", "subfamily", "type"})
GROUP_TAIL_WORDS = frozenset({"gene", "protein", "member", "group", "containing"})


def group_key(text: str) -> str:
    """The lookup key of a gene family's name: its words, normalised as process words are but keeping
    every letter and number ("subfamily A", "family 30"), without "family" or "type" and without a
    trailing "gene", "protein", "member" or "containing"."""
    words = [process_word(w) for w in re.findall(r"[A-Za-z0-9]+", text)]
    words = [w for w in words if w not in GROUP_WORDS]
    while words and words[-1] in GROUP_TAIL_WORDS:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class GeneGroup:
    """An HGNC gene group: its CURIE (Biolink's HGNC.FAMILY prefix), name and number of member genes."""

    id: str
    name: str
    size: int

    @cached_property
    def key(self) -> str:
        """``group_key`` of its name, made once (a gene's own groups are matched against many names)."""
        return group_key(self.name)


@cache
def _gene_groups_file(directory: Path | None) -> tuple[list[GeneGroup], dict[str, Any]]:
    path = Path(directory or default_lexicon_dir()) / GENE_GROUPS_FILE
    data = _read_json(path)
    _check_version(data, path)
    return [GeneGroup(f"HGNC.FAMILY:{num}", name, size) for num, name, size in data["groups"]], data


def load_gene_groups(directory: Path | None = None) -> dict[str, GeneGroup]:
    """The compiled HGNC gene groups (read once per process and directory), by ``group_key`` of their name."""
    groups, data = _gene_groups_file(directory)
    return {key: groups[i] for key, i in data["index"].items()}


def load_gene_memberships(directory: Path | None = None) -> dict[str, tuple[GeneGroup, ...]]:
    """Each gene's own HGNC gene groups (read once per process and directory), by its HGNC id."""
    groups, data = _gene_groups_file(directory)
    return {gene: tuple(groups[i] for i in found) for gene, found in data["members"].items()}


@cache
def load_go_lexicon(directory: Path | None = None, file_name: str = GO_FILE) -> GoLexicon:
    """Load (once per process, directory and file) a compiled GO lexicon: the biological-process one, or
    ``GO_MF_FILE`` (molecular functions) or ``GO_CC_FILE`` (cellular components), built the same way."""
    path = Path(directory or default_lexicon_dir()) / file_name
    data = _read_json(path)
    _check_version(data, path)
    terms = [GoTerm(f"GO:{num:07d}", name, size) for num, name, size in data["terms"]]
    index = data["index"]
    parents = data["parents"]
    log.info("GO lexicon %s: %s terms, %s keys", path, len(terms), len(index))
    return GoLexicon(terms, index, parents, data["meta"], gene_spellings=data.get("gene_spellings", {}))


@dataclass(frozen=True)
class CorpusForms:
    """How an annotated corpus writes processes (learned from CRAFT's train and dev articles).

    ``forms`` maps a process key to the GO id the corpus gives it; ``suppress`` holds GO-lexicon
    keys the corpus writes but almost never annotates.
    """

    forms: dict[str, str]
    suppress: frozenset[str]
    # Every beginning of a form, so that a match can ask "does some form go on from here?" in one lookup.
    prefixes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        prefixes = frozenset(form[:n] for form in self.forms for n in range(1, len(form) + 1))
        object.__setattr__(self, "prefixes", prefixes)


@cache
def load_corpus_forms(directory: Path | None = None) -> CorpusForms:
    """Load (once per process and directory) the corpus-learned process forms."""
    path = Path(directory or default_lexicon_dir()) / CORPUS_FORMS_FILE
    data = _read_json(path)
    _check_version(data, path)
    return CorpusForms(dict(data["forms"]), frozenset(data["suppress"]))


def encode_gene_entry(gene_index: int, kind: int, weak: bool) -> int:
    """Pack a gene entry into one int for the compiled file (gene << 4 | kind << 1 | weak)."""
    return gene_index << 4 | kind << 1 | int(weak)


def encode_go_entry(term_index: int, scope: int) -> int:
    """Pack a GO entry into one int for the compiled file (term << 3 | scope)."""
    return term_index << 3 | scope


def iter_pieces(text: str) -> Iterator[tuple[int, int, str]]:
    """The alphanumeric pieces of ``text`` as (start, end, gene piece key)."""
    for match in PIECE_RE.finditer(text):
        yield match.start(), match.end(), gene_piece_key(match.group(0))
