"""Find biological-process mentions in text and ground them to GO ids (pure functions).

How a process is found (``find_process_mentions``): the text is cut into words (``PROCESS_WORD_RE``),
each normalised by ``generx.pipelines.lexicon.process_word`` (lowercase, US spelling, plural to singular,
"CD4(+)"/"CD8+" as "cd4 positive"; a number glued to the word before it; articles dropped). Runs of
words joined only by spaces or hyphens are looked up, longest first. The compiled lexicon holds, for
each non-obsolete GO biological_process term, its name and EXACT/NARROW/RELATED synonyms (not BROAD),
each also in the other word order ("T cell differentiation" <-> "differentiation of T cell"), with
"-mediated signaling pathway" also as "signaling pathway" and "signaling" ("IL2 signaling" is
GO:0038110), and with "alpha-beta" dropped from T cell terms ("proliferation of CD4(+) T cells" is
GO:0035739). The longest match is the most specific term the text supports.

Grounding: candidates are scored by how the label matched (name 1.0, EXACT 0.95, NARROW 0.75,
RELATED 0.5); the best is the mention's id and, when there are several, all are kept ranked.
``ancestors`` walks the is_a/part_of graph for roll-ups.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from generx.pipelines.lexicon import (
    ADJECTIVE_NOUNS,
    GO_LOSSY,
    GO_LOSSY_FACTOR,
    GO_SCOPE_SCORE,
    PROCESS_STOPWORDS,
    PROCESS_WORD_RE,
    CorpusForms,
    GoLexicon,
    GoTerm,
    process_key,
    process_word,
    process_words,
)

MAX_WORDS = 12
# "up-regulated", "down-modulates", "mis-regulated", "de-differentiation": the word after the prefix is
# the prefixed word's, not a process of its own (read alone "regulated" is GO's biological regulation,
# and the mention would cut the verb in two).
_SIGN_PREFIX_RE = re.compile(r"(?:^|[^A-Za-z])(?:up|down|mis|dys|de)-$", re.IGNORECASE)
# Phrases that gene function text uses in another sense than GO: a signal's "transduction" (GO's is a
# virus moving genes), "growth", "cell growth" and "cellular growth" for proliferation or a tumour's (none
# of the 12 genes the RefSeq summaries give "cellular growth" has GO's cell growth in its annotations), a
# disease's "pathogenesis", "degradation" of a protein (a mechanism); and adjectives. They are neither
# mentions nor candidates, nor are abbreviations ("ltp").
NOT_CANDIDATES = frozenset(
    """transduction growth pathogenesis pathogenic kinetic retention storage breakdown degradation
    synthetic morphogenic myogenic apoptotic opsin""".split()
) | {
    "cell growth",
    "cellular growth",
    "tumor suppressor",
    "histone chaperone",
    "chaperone activity",
    "cell cycle regulator",
}
# Words that GO (or CRAFT's methods sections) read as a process but gene function text uses for a
# chemical step: "the conjugation of glutathione" is no mating (GO:0000746 conjugation), "the ligation
# of cysteine to tRNA" no DNA ligation. Alone they are no mention; GO's longer labels still are.
CHEMICAL_SENSES = frozenset({"conjugation", "ligation"})
# Spaces and hyphens, the en dash of "protein–DNA" included.
_GAP_RE = re.compile(r"[\s\-\u2010\u2011\u2013]*")
RELATED = 3


@dataclass(frozen=True)
class ProcessMention:
    """A process found in text: character offsets, grounded GO id and name, ranked candidates."""

    start: int
    end: int
    text: str
    id: str
    name: str
    candidates: tuple[tuple[str, float], ...] = ()
    # A phrase the corpus forms suppress ("development", "signal transduction": CRAFT rarely annotates
    # them): a process only where a relation takes it as its argument (see generx.pipelines.arguments).
    weak: bool = False


def words_with_offsets(
    text: str, rewrites: Sequence[Rewrite] = (), *, known: Callable[[str], bool] | None = None
) -> list[tuple[int, int, str]]:
    """Normalised words with their character spans; a glued number extends the word before it.

    Each ``Rewrite`` replaces the words inside its span by its own words, all carrying its span (a
    gene in GO's spelling, an abbreviation by its long form). With ``known`` (does a process phrase
    begin with this word?), a word written with a glued prefix splits into the prefix and a known rest
    ("postnatal" -> "post" + "natal", see ``split_prefix``).
    """
    words = _plain_words(text, known)
    for rewrite in sorted(rewrites, key=lambda r: r.start, reverse=True):
        if not rewrite.words:
            continue
        inside = [n for n, w in enumerate(words) if rewrite.start <= w[0] and w[1] <= rewrite.end]
        if inside:
            new = [(rewrite.start, rewrite.end, w) for w in rewrite.words]
            words[inside[0] : inside[-1] + 1] = new
    return words


@dataclass(frozen=True)
class Rewrite:
    """Read the text between ``start`` and ``end`` as ``words`` (normalised process words); a gene's
    other spellings in GO are kept as ``alternatives`` (``words`` empty: read the text as written)."""

    start: int
    end: int
    words: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...] = ()


# Prefixes a word is written with, glued, in front of a process word ("postnatal", "overexpression",
# "unrepaired", "hyperproliferation", "premeiotic", "asynapsis"); longest first. Not "re", "inter",
# "trans": "recognition", "interaction", "transport" are words of their own.
WORD_PREFIXES = tuple(
    sorted(
        "post pre peri over under co un non mis hyper hypo dys de a".split(),
        key=len,
        reverse=True,
    )
)
MIN_PREFIXED_REST = 5


# Glued prefixes that make the word name something else than the process they are glued to: a time or
# place around it ("postnatal", "perinatal", "premeiotic") or its failure or reversal ("misfolding",
# "desensitization", "asynapsis", "unrepaired", "dysregulation"). The rest stays a mention (CRAFT marks it)
# but is no relation's process.
TURNING_PREFIXES = frozenset({"post", "pre", "peri", "mis", "de", "a", "un", "non", "dys"})


def turned_by_prefix(text: str, start: int) -> bool:
    """Whether the process mention starting at ``start`` is the rest of a word written with one of
    ``TURNING_PREFIXES``."""
    word_start = start
    while word_start > 0 and text[word_start - 1].isalnum():
        word_start -= 1
    return word_start < start and text[word_start:start].lower() in TURNING_PREFIXES


def split_prefix(raw: str, known: Callable[[str], bool]) -> tuple[int, str] | None:
    """Where a word ``raw`` written with a glued prefix splits: (length of the prefix, the rest
    normalised) when the rest begins a process phrase ("postnatal" -> (4, "natal"), "overexpression"
    -> (4, "expression")); None when the word has no such prefix. The GO lexicon holds its glued
    labels split the same way ("posttranscriptional" as "post transcriptional"), so that the glued,
    hyphenated and spaced spellings are one key.
    """
    lower = raw.lower()
    if not lower.startswith(WORD_PREFIXES):
        return None
    for prefix in WORD_PREFIXES:
        # One letter ("asynapsis") needs a longer rest: "a" begins many words of its own.
        if lower.startswith(prefix) and len(lower) - len(prefix) >= MIN_PREFIXED_REST + (len(prefix) == 1):
            rest = process_word(raw[len(prefix) :])
            if " " not in rest and known(rest):
                return len(prefix), rest
    return None


def _plain_words(text: str, known: Callable[[str], bool] | None = None) -> list[tuple[int, int, str]]:
    words: list[tuple[int, int, str]] = []
    prev_end = -1
    for match in PROCESS_WORD_RE.finditer(text):
        word = process_word(match.group(0))
        split = split_prefix(match.group(0), known) if known is not None else None
        if split is not None:
            cut = match.start() + split[0]
            words.append((match.start(), cut, match.group(0)[: split[0]].lower()))
            words.append((cut, match.end(), split[1]))
            prev_end = match.end()
            continue
        gap = text[prev_end : match.start()] if prev_end >= 0 else " "
        prev_end = match.end()
        if word in PROCESS_STOPWORDS:
            words.append((match.start(), match.end(), ""))
            continue
        if word.isdigit() and words and words[-1][2] and gap in ("", " ", "-"):
            s, _e, w = words[-1]
            words[-1] = (s, match.end(), w + word)
            continue
        for part in word.split(" "):
            words.append((match.start(), match.end(), part))
    return words


def rank_terms(
    lexicon: GoLexicon, entries: list[tuple[int, int]], *, related: bool = True
) -> list[tuple[str, float]]:
    """Rank GO entries ``(term index, scope)`` by scope score, then the broader term, then GO id."""
    best: dict[int, float] = {}
    for term, scope in entries:
        if scope & 3 == RELATED and not related:
            continue
        score = GO_SCOPE_SCORE[scope & 3] * (GO_LOSSY_FACTOR if scope & GO_LOSSY else 1.0)
        best[term] = max(best.get(term, 0.0), round(score, 3))
    terms = lexicon.terms
    ranked = sorted(best.items(), key=lambda item: (-item[1], -terms[item[0]].descendants, terms[item[0]].id))
    return [(lexicon.terms[t].id, s) for t, s in ranked]


def lookup_process(lexicon: GoLexicon, phrase: str, *, related: bool = True) -> list[tuple[str, float]]:
    """Ranked GO candidates ``[(id, score), ...]`` for a process phrase in any of the matched forms."""
    return rank_terms(lexicon, lexicon.entries(process_key(phrase)), related=related)


# Ions written as formulas, read by the element's name as GO's labels write it ("Ca2+ transport" is calcium
# ion transport, "Ca(2+) signaling" calcium-mediated signaling); a charge sign is required, so "Co" or "K"
# alone is no ion.
ION_NAMES = {
    "Ca": "calcium",
    "Mg": "magnesium",
    "Zn": "zinc",
    "Fe": "iron",
    "Cu": "copper",
    "Mn": "manganese",
    "Cd": "cadmium",
    "Co": "cobalt",
    "Ni": "nickel",
    "Na": "sodium",
    "K": "potassium",
    "Li": "lithium",
    "H": "proton",
    "Cl": "chloride",
}
ION_FORMULA_RE = re.compile(
    rf"(?<![\w-])({'|'.join(sorted(ION_NAMES, key=len, reverse=True))})"
    r"(?:\(\d?[+\u2212-]{1,2}\)|\d?[+\u2212]{1,2}|[\u00b2\u00b3]?[\u207a\u207b]|-(?=\s))"
)


def rewrites_for(
    lexicon: GoLexicon,
    text: str,
    *,
    genes: Sequence[tuple[int, int, str]] = (),
    abbreviations: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
) -> list[Rewrite]:
    """How to read gene mentions, abbreviations and ion formulas (``ION_FORMULA_RE``) inside process phrases.

    A gene mention ``(start, end, HGNC or family id)`` reads as GO's spelling of that gene
    (``GoLexicon.gene_spellings``: "IL6" -> "interleukin6", so "IL6 signaling" is
    interleukin-6-mediated signaling pathway); an abbreviation ``(short, long)`` found in the text
    (scispaCy's detector, after Schwartz & Hearst 2003) reads as its long form ("DSB repair" ->
    "double strand break repair"), which also keeps a GO acronym synonym from firing where the text
    defines it as something else ("AER" for apical ectodermal ridge).
    """
    found: dict[tuple[int, int], Rewrite] = {
        (m.start(), m.end()): Rewrite(m.start(), m.end(), (ION_NAMES[m.group(1)],))
        for m in ION_FORMULA_RE.finditer(text)
    }
    plain = _plain_words(text)
    starts = [w[0] for w in plain]
    for start, end, gene_id in genes:
        spellings = [tuple(s.split(" ")) for s in lexicon.gene_spellings.get(gene_id, ())]
        if not spellings:
            continue
        following = [w for _s, _e, w in plain[bisect.bisect_left(starts, end) :][:MAX_WORDS]]
        best = max(spellings, key=lambda words: _matched_after(lexicon, words, following))
        if _matched_after(lexicon, best, following) == 0 or " ".join(best) == process_key(text[start:end]):
            best = ()
        found[(start, end)] = Rewrite(start, end, best, tuple(spellings))
    defined: dict[str, tuple[str, ...]] = {}
    for (s, e), (ls, le) in abbreviations:
        long_words = tuple(process_words(text[ls:le]))
        if not found.get((s, e)) and long_words and not (ls <= s < le):
            found[(s, e)] = Rewrite(s, e, long_words)
            defined.setdefault(text[s:e], long_words)
    # An abbreviation defined in the plural is used in the singular too, and the other way round
    # ("double-strand breaks (DSBs)" ... "DSB repair").
    for short, long_words in defined.items():
        other = short[:-1] if short.endswith("s") else f"{short}s"
        if len(other) < 2 or other in defined:
            continue
        for match in re.finditer(rf"(?<![\w-]){re.escape(other)}(?![\w-])", text):
            found.setdefault((match.start(), match.end()), Rewrite(match.start(), match.end(), long_words))
    return list(found.values())


def _matched_after(lexicon: GoLexicon, words: tuple[str, ...], following: list[str]) -> int:
    """How many of the following words extend a gene's spelling into a GO key (0: none)."""
    best = 0
    for k in range(1, len(following) + 1):
        key = " ".join([*words, *following[:k]])
        if not lexicon.has_prefix(key):
            break
        if key in lexicon.index:
            best = k
    return best


def find_process_mentions(
    lexicon: GoLexicon,
    text: str,
    *,
    related: bool = True,
    forms: CorpusForms | None = None,
    rewrites: Sequence[Rewrite] = (),
) -> list[ProcessMention]:
    """Every process mention of ``text``, leftmost-longest, in text order (see the module notes).

    ``forms`` adds a corpus's own ways of writing processes (``load_corpus_forms``: CRAFT's
    "expressed", "olfactory") and drops GO phrases that corpus does not annotate. ``rewrites``
    (``rewrites_for``) read genes in GO's spelling and abbreviations by their long form; a gene
    phrase coordinated before a gene-named process ("IL6 and LIF signaling") is its own mention too.
    """
    words = words_with_offsets(text, rewrites, known=_known_start(lexicon, forms))
    # joined[j]: word j may continue a phrase begun before it (only spaces or hyphens between).
    joined = [False] + [
        words[j][0] <= words[j - 1][1] or bool(_GAP_RE.fullmatch(text[words[j - 1][1] : words[j][0]]))
        for j in range(1, len(words))
    ]
    # A rewritten phrase is read whole or not at all: "Sam68" (Src-associated in mitosis of 68 kDa) is
    # no mitosis, "CD4+" no "CD4". Words of one rewrite or one written word share their span.
    first = [n == 0 or words[n - 1][:2] != words[n][:2] for n in range(len(words))]
    last = [n == len(words) - 1 or words[n + 1][:2] != words[n][:2] for n in range(len(words))]
    mentions: list[ProcessMention] = []
    limit = min(MAX_WORDS, lexicon.max_words)

    def on_adjective(j: int) -> bool:
        return text[words[j][0] : words[j][1]].lower() in ADJECTIVE_NOUNS

    i = 0
    while i < len(words):
        start = words[i][0]
        if (
            not words[i][2]
            or not first[i]
            or (text[start - 1 : start] == "-" and _SIGN_PREFIX_RE.search(text[max(0, start - 6) : start]))
        ):
            i += 1
            continue
        best: tuple[int, list[tuple[str, float]]] | None = None
        weak: tuple[int, list[tuple[str, float]]] | None = None
        key_words: list[str] = []
        # The rest of a prefixed word is a mention by itself only: "posttranscriptional regulation"
        # is no transcriptional regulation.
        stop = (
            i + 1 if i and words[i - 1][1] == words[i][0] and text[words[i][0] - 1].isalnum() else len(words)
        )
        for j in range(i, min(i + limit * 2, len(words), stop)):
            if j > i and not joined[j]:
                break
            if words[j][2]:
                key_words.append(words[j][2])
            if len(key_words) > limit:
                break
            if not words[j][2]:
                continue
            key = " ".join(key_words)
            if not last[j]:
                if not lexicon.has_prefix(key) and not _starts_a_form(forms, key):
                    break
                continue
            if not lexicon.has_prefix(key) and not _starts_a_form(forms, key):
                break
            if key in CHEMICAL_SENSES or key in NOT_CANDIDATES or on_adjective(j):
                continue
            if forms is not None and key in forms.forms:
                best = (j, [(forms.forms[key], 1.0)])
                continue
            if key not in lexicon.index:
                continue
            entries = lexicon.entries(key)
            ranked = rank_terms(lexicon, entries, related=related) if entries else []
            if ranked and forms is not None and key in forms.suppress:
                if key not in NOT_CANDIDATES and len(key) > 3:
                    weak = (j, ranked)
            elif ranked:
                best = (j, ranked)
        loose = _of_with_modifiers(lexicon, words, i, related=related)
        if (
            loose is not None
            and last[loose[0]]
            and not on_adjective(loose[0])
            and (best is None or loose[0] > best[0])
        ):
            best = loose
        if best is None:
            # Words inside a weak phrase may still be a process of their own, but no weaker one.
            if weak is not None and not (mentions and mentions[-1].weak and words[i][0] < mentions[-1].end):
                mentions.append(_mention(lexicon, text, words[i][0], words[weak[0]][1], weak[1], weak=True))
            i += 1
            continue
        j, ranked = best
        start, end = words[i][0], words[j][1]
        mentions.append(_mention(lexicon, text, start, end, ranked))
        mentions.extend(_coordinated(lexicon, text, words, i, j, rewrites, related=related))
        i = j + 1
    mentions.extend(_elliptic(lexicon, text, mentions, forms, related=related))
    return [_in_context(lexicon, text, m) for m in mentions if not _cell_behavior(text, m)]


# "T-cell behavior", "cellular behaviour": what cells do, not GO's behavior (an organism's response).
_CELL_BEFORE_RE = re.compile(r"(?:cells?|cellular|cytes?)[\s-]*$", re.IGNORECASE)


def _cell_behavior(text: str, mention: ProcessMention) -> bool:
    return mention.text.lower() in ("behavior", "behaviour") and bool(
        _CELL_BEFORE_RE.search(text[max(0, mention.start - 20) : mention.start])
    )


# A word GO reads one way that its context reads another: "cell surface expression" (or "expression on the
# plasma membrane") is the protein's localization to the cell surface, not gene expression; "replication of
# HIV-1" and "retroviral replication" are viral genome replication, not DNA replication. (word, what is
# written before it, what is written after it, GO's name of the sense)
_CONTEXT_SENSES = (
    (
        "expression",
        re.compile(r"surface(?:\s+\w+)?\s*$", re.IGNORECASE),
        re.compile(r"\s+(?:on|at) the (?:cell )?(?:surface|plasma membrane)", re.IGNORECASE),
        "protein localization to cell surface",
    ),
    (
        "replication",
        re.compile(r"(?:vir(?:al|us|uses)|HIV(?:-\d)?)\s*$", re.IGNORECASE),
        re.compile(
            r"\s+(?:process\s+)?of\s+(?:[\w()-]+\s+){0,6}?[\w-]*(?:vir(?:us|uses)\b|HIV)", re.IGNORECASE
        ),
        "viral genome replication",
    ),
)


def _in_context(lexicon: GoLexicon, text: str, mention: ProcessMention) -> ProcessMention:
    for word, before, after, sense in _CONTEXT_SENSES:
        if mention.text.lower() == word and (
            before.search(text[max(0, mention.start - 30) : mention.start]) or after.match(text, mention.end)
        ):
            ranked = lookup_process(lexicon, sense, related=False)
            if ranked:
                return _mention(lexicon, text, mention.start, mention.end, ranked, weak=mention.weak)
    return mention


def closest_common_ancestor(lexicon: GoLexicon, go_ids: Sequence[str]) -> str | None:
    """The most specific GO term that is or lies above every one of ``go_ids`` (is_a/part_of)."""
    common: set[str] | None = None
    for go_id in go_ids:
        lineage = {go_id, *ancestors(lexicon, go_id)}
        common = lineage if common is None else common & lineage
    if not common:
        return None
    return min(common, key=lambda t: (lexicon.terms[lexicon.by_id[t]].descendants, t))


def _mention(
    lexicon: GoLexicon,
    text: str,
    start: int,
    end: int,
    ranked: list[tuple[str, float]],
    *,
    weak: bool = False,
) -> ProcessMention:
    # Several terms tied on a related synonym only ("mRNA splicing" for group I, II and III intron
    # splicing): the words support what they share, their closest common ancestor; the rest stay ranked.
    tied = [go_id for go_id, score in ranked if score == ranked[0][1]]
    if len(tied) > 1 and ranked[0][1] <= GO_SCOPE_SCORE[RELATED]:
        shared = closest_common_ancestor(lexicon, tied)
        # A grouping term near the root ("cellular process" for "necrosis") says less than the first reading.
        if (
            shared is not None
            and shared not in tied
            and lexicon.terms[lexicon.by_id[shared]].descendants <= 1000
        ):
            ranked = [(shared, ranked[0][1]), *ranked]
    term = (
        lexicon.terms[lexicon.by_id[ranked[0][0]]]
        if ranked[0][0] in lexicon.by_id
        else GoTerm(ranked[0][0], "")
    )
    return ProcessMention(
        start, end, text[start:end], term.id, term.name, tuple(ranked) if len(ranked) > 1 else (), weak
    )


_COORDINATION_RE = re.compile(r"\s*-?\s*(?:,|/|and|or|,\s*and|,\s*or)\s*")


def _coordinated(
    lexicon: GoLexicon,
    text: str,
    words: list[tuple[int, int, str]],
    i: int,
    j: int,
    rewrites: Sequence[Rewrite],
    *,
    related: bool,
) -> list[ProcessMention]:
    """ "IL6 and LIF signaling": a rewritten gene coordinated before a mention that begins with a
    rewritten gene gets the mention's head too (interleukin-6-mediated signaling pathway), as a mention
    from its own start to the head's end. Genes further left in the list ("IL6, LIF and OSM") too."""
    first = next((r for r in rewrites if r.start == words[i][0] and r.alternatives), None)
    if first is None:
        return []
    rest = [w for s, _e, w in words[i : j + 1] if w and s >= first.end]
    found: list[ProcessMention] = []
    left = first.start
    while True:
        other = next(
            (
                r
                for r in rewrites
                if left - 8 <= r.end <= left and _COORDINATION_RE.fullmatch(text[r.end : left])
            ),
            None,
        )
        if other is None:
            return found
        for spelling in other.alternatives:
            entries = lexicon.entries(" ".join([*spelling, *rest]))
            ranked = rank_terms(lexicon, entries, related=related) if entries else []
            if ranked:
                found.append(_mention(lexicon, text, other.start, words[j][1], ranked))
                break
        left = other.start


def _known_start(lexicon: GoLexicon, forms: CorpusForms | None) -> Callable[[str], bool]:
    """Whether a process phrase (a GO key or a corpus form) is or begins with the word."""

    def known(word: str) -> bool:
        return (
            word in lexicon.index
            or lexicon.has_prefix(word + " ")
            or (forms is not None and (word in forms.forms or word + " " in forms.prefixes))
        )

    return known


_CONJUNCTION = r"\s*(?:,\s*and|,\s*or|,|/|\band\b|\bor\b)\s*"
_LEFT_CONJUNCT_RE = re.compile(r"([^\W_][\w\-]*)(?:\s+([^\W_][\w\-]*))?" + _CONJUNCTION + r"$")
_RIGHT_CONJUNCT_RE = re.compile(_CONJUNCTION + r"([^\W_][\w\-]*)")
_WINDOW = 60


def _elliptic(
    lexicon: GoLexicon,
    text: str,
    mentions: list[ProcessMention],
    forms: CorpusForms | None,
    *,
    related: bool,
) -> list[ProcessMention]:
    """Processes written with a shared word left out of one conjunct, as one mention from the first
    conjunct to the end of the shared part (the outer extent of the discontinuous phrase):

    - a modifier conjunct before a mention: "diaphragm and lung development" is diaphragm development;
    - a head conjunct after a mention: "cell migration and differentiation" is cell differentiation;
    - a head conjunct before an "of" mention: "generation or maintenance of cartilage".
    """
    found: list[ProcessMention] = []
    for m in mentions:
        if m.weak:
            continue
        own = process_words(m.text)
        if not own:
            continue
        left = _LEFT_CONJUNCT_RE.search(text, max(0, m.start - _WINDOW), m.start)
        if left is not None:
            near = process_words(left.group(2) or left.group(1))
            both = process_words(left.group(0)[: left.end(2) - left.start(0)]) if left.group(2) else []
            tails = [own[1:], own] if len(own) > 1 else []
            if len(own) > 2 and own[1] == "of":  # "generation or maintenance of cartilage"
                tails.append(own[1:])
            starts = ((near, left.start(2) if left.group(2) else left.start(1)), (both, left.start(1)))
            hits = (
                (start, hit)
                for head, start in starts
                if head
                for tail in tails
                if (hit := _ranked(lexicon, forms, [*head, *tail], related))
            )
            first = next(hits, None)
            if first is not None and first[1][0][0] != m.id:
                found.append(_mention(lexicon, text, first[0], m.end, first[1]))
        right = _RIGHT_CONJUNCT_RE.match(text, m.end)
        if right is not None and len(own) > 1 and own[-2] != "of":
            # A conjunct that is a process by itself is no head left out: "cell cycle and apoptosis".
            other = process_words(right.group(1))
            alone = _ranked(lexicon, forms, other, related)
            hit = None if alone else _ranked(lexicon, forms, [*own[:-1], *other], related)
            if hit:
                found.append(_mention(lexicon, text, m.start, right.end(1), hit))
    return found


def _ranked(
    lexicon: GoLexicon, forms: CorpusForms | None, words: list[str], related: bool
) -> list[tuple[str, float]] | None:
    """The ranked GO ids of a phrase that is a GO key (not suppressed) or a corpus form; else None."""
    key = " ".join(words)
    if forms is not None and key in forms.forms:
        return [(forms.forms[key], 1.0)]
    if key not in lexicon.index or (forms is not None and key in forms.suppress):
        return None
    return rank_terms(lexicon, lexicon.entries(key), related=related) or None


def _starts_a_form(forms: CorpusForms | None, key: str) -> bool:
    return forms is not None and key in forms.prefixes


_NOT_ONLY = ("not", "only")
# Process nouns whose "of" phrase names cells, where statements put modifiers GO leaves out.
_CELL_PROCESS_NOUNS = frozenset(
    "differentiation proliferation activation apoptosis migration development maturation expansion "
    "survival death chemotaxis adhesion division growth polarization priming".split()
)
# And process nouns whose "of" phrase names a kind of macromolecule, which modifiers narrow to some of it
# ("degradation of misfolded glycoproteins", "transport of small RNAs"); a chemical's name is whole
# ("synthesis of cyclic AMP" is no AMP biosynthesis).
_MOLECULE_PROCESS_NOUNS = frozenset(
    "degradation synthesis biosynthesis catabolism metabolism transport uptake secretion import export "
    "processing sorting trafficking".split()
)
_MACROMOLECULES = frozenset(
    "protein glycoprotein lipoprotein peptide receptor rna mrna lipid phospholipid".split()
)
MAX_MODIFIERS = 4


def _of_with_modifiers(
    lexicon: GoLexicon, words: list[tuple[int, int, str]], i: int, *, related: bool
) -> tuple[int, list[tuple[str, float]]] | None:
    """ "Read X [not only] of <modifiers> Y as "X of Y" when that is a GO label.

    "the differentiation not only of primary effector CD8+ T cells" is differentiation of CD8+
    T cells (GO:0043374): up to MAX_MODIFIERS words before Y are skipped, the fewest first, and
    the match runs to Y's end.
    """
    head = words[i][2]
    if head not in _CELL_PROCESS_NOUNS and head not in _MOLECULE_PROCESS_NOUNS:
        return None
    k = i + 1
    if [w for _s, _e, w in words[k : k + 2]] == list(_NOT_ONLY):
        k += 2
    if k >= len(words) or words[k][2] != "of":
        return None
    tail = [w for w in words[k + 1 : k + 1 + MAX_MODIFIERS + 6]]
    stop = ("", "of", "and", "or", "but")
    if any(w[2] in stop for w in tail):
        tail = tail[: next(n for n, w in enumerate(tail) if w[2] in stop)]
    for end in range(len(tail), 0, -1):
        for skip in range(1, min(MAX_MODIFIERS, end - 1) + 1):
            key = " ".join([head, "of", *(w[2] for w in tail[skip:end])])
            if key not in lexicon.index or (
                head not in _CELL_PROCESS_NOUNS
                and (end - skip != 1 or tail[end - 1][2] not in _MACROMOLECULES)
            ):
                continue
            entries = lexicon.entries(key)
            ranked = rank_terms(lexicon, entries, related=related) if entries else []
            if ranked:
                return k + end, ranked
    return None


def ancestors(lexicon: GoLexicon, go_id: str) -> list[str]:
    """All is_a/part_of ancestors of a GO term (nearest first), for roll-ups; [] for an unknown id."""
    if go_id not in lexicon.by_id:
        return []
    return [lexicon.terms[t].id for t in _ancestor_indices(lexicon, lexicon.by_id[go_id])]


@lru_cache(maxsize=65536)
def _ancestor_indices(lexicon: GoLexicon, term: int) -> tuple[int, ...]:
    seen: dict[int, None] = {}
    queue = deque(p for p, _rel in lexicon.parents_of(term))
    while queue:
        parent = queue.popleft()
        if parent in seen:
            continue
        seen[parent] = None
        queue.extend(p for p, _rel in lexicon.parents_of(parent))
    return tuple(seen)


def is_a_or_part_of(lexicon: GoLexicon, go_id: str, ancestor_id: str) -> bool:
    """Whether ``go_id`` is ``ancestor_id`` or lies below it in the is_a/part_of graph."""
    return go_id == ancestor_id or ancestor_id in ancestors(lexicon, go_id)


def term_name(lexicon: GoLexicon, go_id: str) -> str | None:
    """The name of a GO term (alt ids resolved), or None for an unknown id."""
    index = lexicon.by_id.get(go_id)
    return None if index is None else lexicon.terms[index].name
