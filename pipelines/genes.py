"""Find gene mentions in text and ground them to HGNC ids (pure functions over the compiled lexicon).

How a gene is found (``find_gene_mentions``):

1. The text is cut into alphanumeric pieces (so a mention can be part of a token: "IL2-induced",
   "IL7-", "CD4(+)", "p53-dependent"). Runs of pieces joined only by a space or a hyphen are looked up,
   longest first, under ``generx.pipelines.lexicon.gene_key`` (a point before a digit joins pieces too:
   "PU.1", "Kv1.3"): "IL-2", "IL2" and "il 2" meet, as do
   "TNF-alpha"/"TNFα"/"TNFA" and "NF-kappaB"/"NF-κB". The mention never includes a following word
   such as gene, protein, mRNA, promoter or expression ("the IL2 promoter" is IL2).
2. Case: a symbol, previous symbol or alias is only read where the text has a capital or a digit
   ("cat" is never CAT), or where it is five or more characters and no English word ("survivin",
   "c-myc"). An ion ("Ca2+") is no gene.
   Written Title-case without a digit, a symbol of three letters or one that is an English word
   ("Arg", "Epo", "Set") needs support like a weak entry (a word starting a sentence); a longer one
   is read (mouse style, "Eomes"; a protein's name, "Dicer").
3. Weak entries (aliases that are English words, two characters or fewer, Roman numerals: CAT, SET,
   MICE, AIM, IMPACT, CD, II; spellings that annotated NER corpora show are mostly not genes where
   written, like STZ or "proteins") fire only with support; spellings those corpora show are mostly
   genes ("CAT", "APP") fire without: the trained recogniser tagged the same text, a
   cue word follows ("SET protein"), or an abbreviation definition says so (``apply_abbreviations``).
4. Families and complexes (NF-kappaB, AP-1, NFAT, ...; see ``models/lexicons/build.py``) win over a
   member's alias of the same spelling and are grounded to ``generx:family/<NAME>`` with their member
   HGNC ids. "<ligand> receptor" where no gene is named that way is the family of the approved symbols
   ligand + R + one letter or digit ("IL-2 receptor" -> IL2RA, IL2RB, IL2RG as ``generx:family/IL2R``).
5. A lower-case prefix glued to a name says its species, form or state: "hGATA-3", "mCD14", "rhIL-2",
   "pSTAT3", "cRel". The mention keeps it; the rest is grounded, when it is a name read without support
   of three characters or more with a digit, a family, or a spelling the NER corpora show is mostly a
   gene ("mAb", "cGMP", "hMSC" are none). "<gene> ligand" is the gene's symbol + LG ("FLT3 ligand").
6. Elided coordination: "IL-4 and -13", "IL-2/-4", "IL-2/4" add the gene the prefix and the bare
   number name; "IL7- or IL2-induced" needs nothing special (both pieces are found).

Grounding: every gene sharing a key is a candidate, scored by the kind of name matched (approved
symbol 1.0, approved name 0.95, previous symbol 0.8, previous name 0.75, alias symbol 0.7, alias name
0.65, NCBI Gene alias 0.5), plus 0.02 for a protein-coding gene and up to 0.025 for a well-studied
gene (log of its number of GO annotations in NCBI gene2go), so that neither outranks a better kind
of name; the statement's context gene wins ties. The best candidate is the mention's id.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from generx.pipelines.lexicon import (
    GENE_GAPS,
    GENE_KIND_SCORE,
    GREEK_LETTERS,
    SYMBOL_KINDS,
    GeneLexicon,
    gene_key,
    gene_piece_key,
    has_upper_or_digit,
    iter_pieces,
)

MAX_PIECES = 12
# Words after a gene that say it is a gene ("the IL2 promoter"): support for weak aliases.
CUE_WORDS = frozenset(
    "gene genes protein proteins mrna mrnas promoter promoters expression transcript transcripts "
    "transcription signaling signalling pathway receptor kinase locus allele alleles mutation "
    "mutations mutant deficiency knockout polymorphism variant variants level levels activity "
    "phosphorylation binding".split()
)
PROTEIN_CODING_BONUS = 0.02
STUDIED_BONUS = 0.025  # at 1000 GO annotations; log-scaled
# The last words of long forms that name a disease or a toxin, not a gene: "occult macular dystrophy (OMD)".
NOT_GENE_HEADS = frozenset(
    """disease diseases syndrome syndromes disorder disorders dystrophy deficiency cancer cancers carcinoma
    tumor tumors tumour tumours anemia anaemia dysplasia atrophy myopathy neuropathy lymphoma leukemia
    leukaemia toxin enterotoxin exotoxin endotoxin""".split()
)
EXACT_BONUS = 0.12  # the text spells the name exactly as this gene's entry: beats a better kind of name
FAMILY_KIND = -1
# "P20", "E12": postnatal and embryonic days far more often than the aliases they spell. A mouse is
# born by E21, so "E47" is the TCF3 protein.
_STAGE_RE = re.compile(r"^(P\d{1,2}|E1?\d|E2[01])$")
_PREFIX_RE = re.compile(r"(rh|[hmrpc])(?=[A-Z])")
_PLURAL_ABBREVIATION_RE = re.compile(r"^[A-Z][A-Z0-9]+s$")
_ION_RE = re.compile(r"^[A-Z][a-z]?\d?$")
# A Greek letter spelled out, a word of its own inside a name ("IL-1 beta").
GREEK_NAMES = frozenset(GREEK_LETTERS.values())
_ELIDED_RE = re.compile(
    r"(?:\s*/\s*-?|\s*,\s*-|\s+(?:and|or)\s+-|\s*,\s*(?:and|or)\s+-)(\d+[A-Za-z]?)(?![\w-])"
)


@dataclass(frozen=True)
class GeneMention:
    """A gene found in text: character offsets, grounded id and name, ranked candidates, members."""

    start: int
    end: int
    text: str
    id: str
    name: str
    candidates: tuple[tuple[str, float], ...] = ()
    members: tuple[str, ...] = ()
    weak: bool = False
    source: str = "lexicon"
    kind: int = 0


def rank_candidates(
    lexicon: GeneLexicon,
    entries: Iterable[tuple[int, int, bool]],
    *,
    context_gene: str | None = None,
    surface: str | None = None,
) -> list[tuple[str, float]]:
    """Rank the genes of lexicon entries: best name kind first, protein-coding first, context gene on ties.

    When ``surface`` is given and the lexicon lists it, spelled exactly so, for only some of the
    candidates, those get EXACT_BONUS ("SP-D" is SFTPD's alias; "SPD" is HOXD13's previous symbol).
    """
    exact = set(lexicon.exact.get(surface, ())) if surface else set()
    best: dict[int, float] = {}
    for gene, kind, _weak in entries:
        score = GENE_KIND_SCORE[kind] + (EXACT_BONUS if gene in exact else 0.0)
        info = lexicon.genes[gene]
        if info.locus_group == "protein-coding gene":
            score += PROTEIN_CODING_BONUS
        score += STUDIED_BONUS * min(1.0, math.log10(1 + info.n_go) / 3)
        best[gene] = max(best.get(gene, 0.0), score)
    # Scores within 0.005 tie (the well-studied bonus is a hint, not evidence): the context gene wins.
    ranked = sorted(
        best.items(),
        key=lambda item: (
            -round(item[1], 2),
            lexicon.genes[item[0]].symbol != context_gene,
            -item[1],
            item[0],
        ),
    )
    return [(lexicon.genes[gene].id, round(score, 3)) for gene, score in ranked]


def lookup_gene(
    lexicon: GeneLexicon, name: str, *, context_gene: str | None = None
) -> list[tuple[str, float]]:
    """Ranked HGNC candidates ``[(id, score), ...]`` for any symbol, alias or name (case-blind).

    Families answer with their family id and score 1.0. An unknown name gives an empty list.
    """
    key = gene_key(name)
    if key in lexicon.family_index:
        return [(lexicon.family_index[key], 1.0)]
    return rank_candidates(lexicon, lexicon.entries(key), context_gene=context_gene, surface=name)


def _case_ok(lexicon: GeneLexicon, surface: str, key: str, kind: int, weak: bool) -> bool:
    """Whether a symbol-like entry may be read from this surface (see the module notes, step 2)."""
    if kind not in SYMBOL_KINDS or surface in lexicon.strong_surfaces:
        return True
    if _PLURAL_ABBREVIATION_RE.match(surface):
        return False  # "OSCs", "CMs": the plural of an abbreviation (cells, samples), not a symbol
    if " " in surface:
        # Symbols have no spaces: "IL 2" may be one, "and 1" or "the S-1" is not; a Greek letter spelled
        # out is part of one ("IL-1 beta", "I kappa B alpha").
        words = surface.split()
        if not any(ch.isupper() for ch in words[0]) or not all(
            has_upper_or_digit(w) or w.lower() in GREEK_NAMES for w in words
        ):
            return False
    if any(ch.isdigit() or ch.isupper() for ch in surface):
        # "Set", "Cat", "Aim" at the start of a sentence are words: one capital is not enough
        # for a weak alias.
        return not weak or sum(ch.isupper() for ch in surface) >= 2 or any(ch.isdigit() for ch in surface)
    # All lower case without a digit: a name-like alias that is no English word ("survivin"), never a
    # short one unless written as a cellular oncogene ("c-maf", "c-src").
    return not weak and (len(key) >= 5 or surface.startswith("c-")) and key not in lexicon.english_keys


def _strength(lexicon: GeneLexicon, surface: str, entry: tuple[int, int, bool]) -> tuple[int, int, bool]:
    """The entry, with its weak flag set for this surface (module notes, step 2)."""
    gene, kind, weak = entry
    if surface in lexicon.weak_surfaces or _STAGE_RE.match(surface):
        return gene, kind, True
    if surface in lexicon.strong_surfaces:
        return gene, kind, False
    if kind in SYMBOL_KINDS and surface[:1].isupper() and surface[1:].islower() and surface.isalpha():
        weak = weak or len(surface) < 4 or gene_key(surface) in lexicon.english_keys
    return gene, kind, weak


def _gap_ok(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    """Whether two pieces may belong to one name: a space or hyphen, a slash between words
    ("subtilisin/kexin"), never between numbers ("IL-2/4" is two genes), or a point before a number
    ("PU.1", "Kv1.3")."""
    gap = text[left[1] : right[0]]
    if gap == ".":
        return text[right[0]].isdigit()
    return gap in GENE_GAPS or (gap == "/" and left[2].isalpha() and right[2].isalpha())


def _make_mention(
    lexicon: GeneLexicon,
    text: str,
    start: int,
    end: int,
    entries: Sequence[tuple[int, int, bool]],
    *,
    context_gene: str | None,
    source: str = "lexicon",
) -> GeneMention:
    ranked = rank_candidates(lexicon, entries, context_gene=context_gene, surface=text[start:end])
    top = lexicon.genes[lexicon.by_id[ranked[0][0]]]
    top_index = lexicon.by_id[top.id]
    return GeneMention(
        start,
        end,
        text[start:end],
        top.id,
        top.symbol,
        tuple(ranked) if len(ranked) > 1 else (),
        weak=all(weak for _g, _k, weak in entries),
        source=source,
        kind=min(k for g, k, _w in entries if g == top_index),
    )


def _family_mention(lexicon: GeneLexicon, text: str, start: int, end: int, family_id: str) -> GeneMention:
    family = lexicon.families[family_id]
    return GeneMention(
        start,
        end,
        text[start:end],
        family.id,
        family.name,
        members=family.members,
        source="family",
        kind=FAMILY_KIND,
    )


def find_gene_mentions(
    lexicon: GeneLexicon,
    text: str,
    *,
    context_gene: str | None = None,
    support: Iterable[tuple[int, int]] = (),
) -> list[GeneMention]:
    """Every gene mention of ``text``, leftmost-longest, in text order (see the module notes).

    ``support`` holds character spans (from a trained recogniser) that confirm weak entries when a
    candidate mention lies inside one of them.
    """
    supported = sorted(support)
    pieces = list(iter_pieces(text))
    mentions: list[GeneMention] = []
    i = 0
    while i < len(pieces):
        found, found_j = _longest_at(lexicon, text, pieces, i, supported, context_gene)
        if found is None:
            found, found_j = _prefixed(lexicon, text, pieces, i, supported, context_gene)
        if found is None:
            i += 1
            continue
        found, found_j = _extend_receptor(lexicon, text, pieces, found, found_j)
        found, found_j = _extend_isoform(lexicon, text, pieces, found, found_j)
        found = _extend_leading_isoform(text, pieces, found, i, mentions)
        mentions.append(found)
        mentions.extend(_elided(lexicon, text, found, context_gene=context_gene))
        i = found_j + 1
    mentions.sort(key=lambda m: (m.start, -m.end))
    return _drop_overlaps(mentions)


def _longest_at(
    lexicon: GeneLexicon,
    text: str,
    pieces: list[tuple[int, int, str]],
    i: int,
    supported: list[tuple[int, int]],
    context_gene: str | None,
) -> tuple[GeneMention | None, int]:
    """The longest mention that starts at piece ``i``, and the index of its last piece."""
    found: GeneMention | None = None
    found_j = i
    key = ""
    family_only = False
    for j in range(i, min(i + MAX_PIECES, len(pieces))):
        if j > i and not _gap_ok(text, pieces[j - 1], pieces[j]):
            # "ERK1/2" is written as one family; across such a slash only a family name counts.
            if text[pieces[j - 1][1] : pieces[j][0]] != "/":
                break
            family_only = True
        key += pieces[j][2]
        if not lexicon.has_prefix(key):
            break
        start, end = pieces[i][0], pieces[j][1]
        if key in lexicon.family_index:
            found, found_j = _family_mention(lexicon, text, start, end, lexicon.family_index[key]), j
            continue
        if family_only or key not in lexicon.index:
            continue
        entries = lexicon.entries(key)
        surface = text[start:end]
        if text[end : end + 1] == "+" and _ION_RE.match(surface):
            continue
        ok = [_strength(lexicon, surface, e) for e in entries if _case_ok(lexicon, surface, key, e[1], e[2])]
        if (
            ok
            and all(weak for _g, _k, weak in ok)
            and not _is_supported(text, pieces, j, start, end, supported)
        ):
            ok = []
        if ok:
            found = _make_mention(lexicon, text, start, end, ok, context_gene=context_gene)
            found_j = j
    return found, found_j


def _prefixed(
    lexicon: GeneLexicon,
    text: str,
    pieces: list[tuple[int, int, str]],
    i: int,
    supported: list[tuple[int, int]],
    context_gene: str | None,
) -> tuple[GeneMention | None, int]:
    """A gene written with a lower-case prefix glued on, which the mention keeps and the grounding
    ignores: the species ("hGATA-3", "mCD14"), a recombinant form ("rhIL-2"), a phosphorylated one
    ("pSTAT3") or the cellular gene ("cRel"). The name after the prefix must be one that is read
    without support, of three characters or more, and have a digit or be a family or a spelling the
    NER corpora show is mostly a gene, unless the trained recogniser tagged the whole: "mAb", "cGMP",
    "hMSC" are no genes."""
    start, end, _key = pieces[i]
    prefix = _PREFIX_RE.match(text, start, end)
    if prefix is None:
        return None, i
    # the pieces a mention starting here may span (and the cue word after them), the first without prefix
    window = [
        (prefix.end(), end, gene_piece_key(text[prefix.end() : end])),
        *pieces[i + 1 : i + MAX_PIECES + 1],
    ]
    found, j = _longest_at(lexicon, text, window, 0, supported, context_gene)
    j += i
    if found is None or found.weak or len(found.text) < 3:
        return None, i
    named = (
        any(ch.isdigit() for ch in found.text) or bool(found.members) or found.text in lexicon.strong_surfaces
    )
    if not named and not any(s <= start and found.end <= e for s, e in supported):
        return None, i
    return replace(found, start=start, text=text[start : found.end]), j


def _is_supported(
    text: str,
    pieces: list[tuple[int, int, str]],
    j: int,
    start: int,
    end: int,
    supported: list[tuple[int, int]],
) -> bool:
    if any(s <= start and end <= e for s, e in supported):
        return True
    if j + 1 < len(pieces) and text[pieces[j][1] : pieces[j + 1][0]] in GENE_GAPS:
        return pieces[j + 1][2] in CUE_WORDS
    return False


def _extend_receptor(
    lexicon: GeneLexicon, text: str, pieces: list[tuple[int, int, str]], found: GeneMention, j: int
) -> tuple[GeneMention, int]:
    """ "GH receptor" is GHR when the ligand's symbol + R is a gene; "IL-2 receptor" is the family of
    the ligand's receptor subunits (IL2RA, IL2RB, IL2RG) when it is not. "FLT3 ligand" is FLT3LG."""
    word = pieces[j + 1][2] if j + 1 < len(pieces) else ""
    if found.members or word not in ("receptor", "receptors", "ligand", "ligands"):
        return found, j
    if text[pieces[j][1] : pieces[j + 1][0]] not in GENE_GAPS:
        return found, j
    end = pieces[j + 1][1]
    receptor = lexicon.by_symbol.get(f"{found.name}{'R' if word.startswith('receptor') else 'LG'}")
    if receptor is not None:
        gene = lexicon.genes[receptor]
        return GeneMention(
            found.start, end, text[found.start : end], gene.id, gene.symbol, source="receptor"
        ), j + 1
    if found.name not in lexicon.receptors or word.startswith("ligand"):
        return found, j
    return (
        GeneMention(
            found.start,
            end,
            text[found.start : end],
            f"generx:family/{found.name}R",
            f"{found.name} receptor",
            members=lexicon.receptors[found.name],
            source="receptor",
            kind=FAMILY_KIND,
        ),
        j + 1,
    )


_ISOFORM_PIECES = frozenset({"a", "b", "g", "d", "k", "e"})  # gene keys of alpha, beta, gamma, ...


def _extend_isoform(
    lexicon: GeneLexicon, text: str, pieces: list[tuple[int, int, str]], found: GeneMention, j: int
) -> tuple[GeneMention, int]:
    """A Greek-letter isoform after a gene that names no other gene ("NRG-1 beta", "tumor necrosis
    factor-alpha") belongs to the mention, which keeps its gene."""
    if (
        j + 1 >= len(pieces)
        or pieces[j + 1][2] not in _ISOFORM_PIECES
        or len(text[pieces[j + 1][0] : pieces[j + 1][1]]) < 4
    ):
        return found, j
    if text[pieces[j][1] : pieces[j + 1][0]] not in GENE_GAPS:
        return found, j
    end = pieces[j + 1][1]
    return replace(found, end=end, text=text[found.start : end]), j + 1


def _extend_leading_isoform(
    text: str, pieces: list[tuple[int, int, str]], found: GeneMention, i: int, before: list[GeneMention]
) -> GeneMention:
    """A hyphenated Greek letter before a gene belongs to the mention ("gamma-H2AX", "α-GST")."""
    if i == 0 or pieces[i - 1][2] not in _ISOFORM_PIECES or text[pieces[i - 1][1] : pieces[i][0]] != "-":
        return found
    letter = text[pieces[i - 1][0] : pieces[i - 1][1]]
    if len(letter) < 4 and letter.lower() not in GREEK_LETTERS:
        return found
    if before and before[-1].end > pieces[i - 1][0]:
        return found
    return replace(found, start=pieces[i - 1][0], text=text[pieces[i - 1][0] : found.end])


def _elided(
    lexicon: GeneLexicon, text: str, found: GeneMention, *, context_gene: str | None
) -> list[GeneMention]:
    """Genes named by a bare number after a gene ("IL-4 and -13", "IL-2/4"): prefix + number."""
    prefix = found.text.rstrip("0123456789")
    if prefix == found.text or not prefix.rstrip("-"):
        return []
    extra: list[GeneMention] = []
    pos = found.end
    while match := _ELIDED_RE.match(text, pos):
        entries = lexicon.entries(gene_key(prefix + match.group(1)))
        if not entries:
            break
        extra.append(
            _make_mention(
                lexicon,
                text,
                match.start(1),
                match.end(1),
                entries,
                context_gene=context_gene,
                source="elided",
            )
        )
        pos = match.end()
    return extra


def _drop_overlaps(mentions: list[GeneMention]) -> list[GeneMention]:
    kept: list[GeneMention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def ground_span(
    lexicon: GeneLexicon, text: str, start: int, end: int, *, context_gene: str | None = None
) -> GeneMention | None:
    """Ground a span another recogniser found (a trained NER's GENE entity), or None.

    Tries the whole span, then the span without leading/trailing words that are not part of a name
    (determiners, "human", gene/protein/mRNA), then the longest gene found inside it.
    """
    surface = text[start:end]
    words = list(re.finditer(r"\S+", surface))
    drop_lead = {"the", "a", "an", "human", "h", "recombinant", "soluble", "mature", "active", "total"}
    while words and words[0].group(0).lower() in drop_lead:
        words.pop(0)
    while len(words) > 1 and gene_key(words[-1].group(0)) in CUE_WORDS:
        words.pop()
    if not words:
        return None
    s, e = start + words[0].start(), start + words[-1].end()
    key = gene_key(text[s:e])
    if key in lexicon.family_index:
        return _family_mention(lexicon, text, s, e, lexicon.family_index[key])
    entries = lexicon.entries(key)
    if entries:
        return _make_mention(lexicon, text, s, e, entries, context_gene=context_gene, source="ner")
    inside = find_gene_mentions(lexicon, text[s:e], context_gene=context_gene, support=[(0, e - s)])
    if not inside:
        return None
    best = max(inside, key=lambda m: m.end - m.start)
    return replace(best, start=s + best.start, end=s + best.end, source="ner")


def _long_form_fits(short: GeneMention, long: str) -> bool:
    """Whether a long form with no gene in it could name what an approved symbol names: not a disease or a
    toxin that shares the letters ("occult macular dystrophy (OMD)", "Clostridium perfringens enterotoxin
    (CPE)"), where a gene named after a disease carries a number or a word of its own ("breast cancer 1").
    A name the lexicon lacks may still be the gene's former one ("leukemia inhibitory factor (LIF)")."""
    return bool(short.members) or long.split()[-1].lower().rstrip(".,;") not in NOT_GENE_HEADS


def _named_by_long_form(
    lexicon: GeneLexicon, short: str, long: str, *, context_gene: str | None
) -> GeneMention | None:
    """The gene a short form names when its long form is close to that gene's name.

    For a short form the lexicon lists (even as a weak alias) but whose long form it does not
    match exactly: "thymidylate synthase (TS)" is TYMS, "thymidylate synthetase", whose previous
    symbol is TS. Close means a difflib ratio of 0.85 or more between the two name keys.
    """
    entries = lexicon.entries(gene_key(short))
    if not entries:
        return None
    long_key = gene_key(long)
    close = [
        e
        for e in entries
        if difflib.SequenceMatcher(None, long_key, gene_key(lexicon.genes[e[0]].name)).ratio() >= 0.85
    ]
    if not close:
        return None
    return _make_mention(
        lexicon, short, 0, len(short), close, context_gene=context_gene, source="abbreviation"
    )


# "long form (SHORT; EC 2.3.1.50)", "long form (SHORT, also called ...)": a definition scispaCy's detector
# does not read (it takes a parenthesis of four tokens or more for a long form).
_LISTED_SHORT_RE = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9-]{1,8})\s*[;,]")


def _long_form_start(text: str, start: int, short: str) -> int | None:
    """Where the long form of ``short`` starts in ``text[:start]``, or None (Schwartz & Hearst 2003).

    The short form's letters and digits are matched right to left in the words before it, the first
    one at the start of a word; at most min(len + 5, 2 * len) words are looked at, as scispaCy does.
    """
    words = list(re.finditer(r"\S+", text[:start]))
    n_chars = sum(ch.isalnum() for ch in short)
    words = words[-min(n_chars + 5, 2 * n_chars) :]
    if not words:
        return None
    first = words[0].start()
    window = text[first:start].rstrip()
    chars = [ch.lower() for ch in short if ch.isalnum()]
    i = len(window) - 1
    for k in range(len(chars) - 1, -1, -1):
        while i >= 0 and (window[i].lower() != chars[k] or (k == 0 and i > 0 and window[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
    return first + i + 1


def listed_abbreviations(
    text: str, found: Iterable[tuple[tuple[int, int], tuple[int, int]]] = ()
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Abbreviations defined as the first item of a list in brackets ("serine palmitoyltransferase (SPT;
    EC 2.3.1.50)"), with every later occurrence of the short form, in ``apply_abbreviations``' shape;
    short forms ``found`` already holds are left out."""
    known = {text[s:e] for (s, e), _long in found}
    pairs: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for match in _LISTED_SHORT_RE.finditer(text):
        short = match.group(1)
        if short in known or not any(ch.isupper() for ch in short):
            continue
        if sum(ch.isalpha() for ch in short) < len(short) / 2:
            continue
        long_start = _long_form_start(text, match.start(), short)
        if long_start is None:
            continue
        long_span = (long_start, len(text[: match.start()].rstrip()))
        known.add(short)
        for occurrence in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text):
            pairs.append(((occurrence.start(), occurrence.end()), long_span))
    return pairs


def apply_abbreviations(
    lexicon: GeneLexicon,
    text: str,
    mentions: list[GeneMention],
    abbreviations: Iterable[tuple[tuple[int, int], tuple[int, int]]],
    *,
    context_gene: str | None = None,
) -> list[GeneMention]:
    """Use abbreviations defined in the text ("T cell growth factor (TCGF)") to add or drop mentions.

    ``abbreviations`` holds ``((short start, short end), (long start, long end))`` for every
    occurrence of a short form. When the long form is a gene mention, each short form is that gene
    (added if missing); when the short form names a specific gene and the long form a family of which
    it is a member, the long form takes the short form's gene ("nuclear factor of activated T-cells
    (NFATC1)"). When the long form has no gene in it, a short form read as a previous symbol or an
    alias is not a gene ("chloramphenicol acetyltransferase (CAT)", "DiGeorge syndrome (DGS)"), nor an
    approved symbol defined by a disease or a toxin ("occult macular dystrophy (OMD)"); other approved
    symbols and families stay ("Proprotein convertase subtilisin/kexin type 9 (PCSK9)").
    Definitions the detector misses, as the first item of a bracketed list, are added
    (``listed_abbreviations``).
    """
    abbreviations = list(abbreviations)
    abbreviations += listed_abbreviations(text, abbreviations)
    by_span = {(m.start, m.end): m for m in mentions}
    result = list(mentions)
    for (ss, se), (ls, le) in abbreviations:
        # The detector's long form may miss a word of the name ("cell growth factor" for "T cell
        # growth factor"), so mentions overlapping it count.
        long_mentions = [m for m in mentions if m.start < le and ls < m.end and (m.start, m.end) != (ss, se)]
        whole = next((m for m in long_mentions if min(m.end, le) - max(m.start, ls) >= 0.6 * (le - ls)), None)
        short = by_span.get((ss, se))
        if whole is None and not long_mentions and short is None:
            named = _named_by_long_form(lexicon, text[ss:se], text[ls:le], context_gene=context_gene)
            if named is not None:
                result = [m for m in result if m.end <= ls or m.start >= le]
                result.append(replace(named, start=ls, end=le, text=text[ls:le], source="abbreviation"))
                result.append(replace(named, start=ss, end=se, text=text[ss:se], source="abbreviation"))
                continue
        if whole is None:
            if (
                not long_mentions
                and short is not None
                and len(text[ls:le].split()) >= 2
                and (short.kind > 1 or not _long_form_fits(short, text[ls:le]))
            ):
                result = [m for m in result if m is not short]
            continue
        if short is None:
            if any(m.start <= ss and se <= m.end for m in result):
                continue  # a longer mention holds the short form ("NRG-1 beta", "Epo-R")
            result = [m for m in result if m.end <= ss or m.start >= se]
            result.append(replace(whole, start=ss, end=se, text=text[ss:se], source="abbreviation"))
        elif whole.members and short.id in whole.members:
            result = [
                replace(m, id=short.id, name=short.name, members=(), candidates=(), source="abbreviation")
                if m is whole
                else m
                for m in result
            ]
    result.sort(key=lambda m: (m.start, -m.end))
    return _drop_overlaps(result)
