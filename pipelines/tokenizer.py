"""generx's tokenizer for biomedical text: scispaCy's rule-based tokenizer, adjusted to GENIA's tokens.

scispaCy's ``combined_rule_tokenizer`` already keeps hyphenated names ("IL-2", "NF-kappaB", "T-cell",
"p53-dependent") and dotted names ("PU.1", "B7.1") whole. Measured against the GENIA treebank's own
tokens (``models/evaluate.py``), it still splits or merges a few shapes that are frequent in gene
statements; the edits below fix those, each named where it is made:

- marker suffixes: "CD4+", "Ca2+" stay whole (scispaCy splits "+" after a digit);
- bracketed markers: "CD4(+)", "10(-7)", "p56(lck)", "t(9;14)(p13;q32)" stay whole, while "factor(s)"
  is split as GENIA splits it;
- "(HIV)-positive" becomes "(", "HIV", ")", "-positive" as in GENIA;
- digit-hyphen-digit names and ranges ("G28-5", "1.3-1.5") stay whole;
- "+/-", "-/-", "3'" and "5'" are single tokens;
- a sentence-final period after a capital that follows a lower-case letter or a digit
  ("NF-kappaB.", "CsA.", "nM.") is split off; "24 h." too (spaCy keeps "h." as an abbreviation);
- abbreviations that must not end a sentence ("et al.", "e.g.", "i.e.", "vs.", "Fig.", "approx.",
  "cf.", ...) keep their period, so the parser never sees a sentence-final "." after them.

Only regular expressions and exception tables are used, so the rules are saved with a pipeline and
restored from disk. Loading a pipeline whose config names ``generx.bio_tokenizer.v1`` still needs
the name registered: import this module, or install generx (its ``spacy_tokenizers`` entry point).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

import spacy
from scispacy.custom_tokenizer import combined_rule_tokenizer
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer

__all__ = ["ABBREVIATIONS", "bio_tokenizer", "create_bio_tokenizer"]

# Abbreviations whose period is part of the token (so it never reads as a sentence end). scispaCy
# and spaCy's English exceptions cover "al.", "Fig.", "e.g.", "i.e.", "vs."; these are the others
# found in MEDLINE abstracts.
ABBREVIATIONS = (
    "approx.",
    "Approx.",
    "ca.",
    "cf.",
    "Cf.",
    "resp.",
    "viz.",
    "Figs.",
    "fig.",
    "Fig.",
    "figs.",
    "Ref.",
    "Refs.",
    "Nos.",
    "Suppl.",
    "Tab.",
    "Eqs.",
    "spp.",
    "sp.",
    "var.",
    "vs.",
    "e.g.",
    "i.e.",
    "al.",
    "Dr.",
)

# Whole tokens in GENIA that the affix rules would cut: genotype markers and primes of nucleic-acid ends.
_SINGLE_TOKENS = ("+/-", "-/-", "+/+", "-/+", "3'", "5'")

# spaCy's English exceptions keep "h." whole; in abstracts it is nearly always the hour unit ending a
# sentence ("cultured for 24 h."), where GENIA splits the period off.
_DROPPED_EXCEPTIONS = ("h.",)

# A name with bracketed markers, kept whole: "CD4(+)", "10(-7)", "p21(WAF1/CIP1)", "t(9;14)(p13;q32)",
# "CD8(+)-T-cell". It must start and end inside the word (no bracket or trailing punctuation outside),
# and "(s)" plurals ("factor(s)") are left to the affix rules, as GENIA splits them.
_BRACKETED_NAME = (
    r"^[^\s()\[\]{}\"']*[A-Za-z0-9]\((?!s\))[^\s()]+\)"
    r"(?:[^\s()\[\]{}]*\([^\s()]+\))*"
    r"(?:[^\s()\[\]{}]*[A-Za-z0-9+\-])?$"
)

# (old piece, new piece) edits of scispaCy's compiled affix patterns. Each old piece must be present:
# a scispaCy release that changes them should fail loudly here, not tokenise differently in silence.
_PREFIX_EDITS = (
    # "(" stays on "(IL-2)alpha" as in scispaCy, but is split off "(HIV)-positive" and "(IL),1".
    (r"^\((?![^\(\s]+\)\S+)", r"^\((?![^\(\s]+\)[^\s,\-]\S*)"),
)
_INFIX_EDITS = (
    # No split at a hyphen between digits: "G28-5", "09-2210", "1.3-1.5" are single GENIA tokens.
    # Split ")" off "(HIV)-positive", and "(" off plurals "factor(s)", "retrovirus(es)", as GENIA does.
    (
        r"(?<=[0-9])[+\-\*^](?=[0-9-])",
        r"(?<=[0-9])[+\*^](?=[0-9-])|(?<=[A-Za-z0-9])\)(?=[,\-][A-Za-z0-9])|(?<=[a-z])\((?=e?s$)",
    ),
)
_SUFFIX_EDITS = (
    # "CD4+", "Ca2+" keep their "+".
    (r"(?<=[0-9])\+$|", ""),
    # Single capitals are not units after a number in cell-line and clone names ("ATL-16T", "IEXL320G").
    ("|T|G|M|K|", "|"),
)
_EXTRA_SUFFIXES = (
    # Sentence-final period after "kappaB", "CsA", "IgE", "nM", "Bcl-xL" (scispaCy needs two capitals).
    # Not after "-E" or a lone capital: GENIA keeps "anti-E." and initials ("E. coli") whole.
    r"(?<=[a-z0-9][A-Z])\.$",
)


def _edit(pattern: str, edits: tuple[tuple[str, str], ...]) -> str:
    for old, new in edits:
        if old not in pattern:
            raise RuntimeError(f"scispaCy tokenizer pattern changed: {old!r} not found")
        pattern = pattern.replace(old, new, 1)
    return pattern


def bio_tokenizer(nlp: Language) -> Tokenizer:
    """Build generx's biomedical tokenizer for ``nlp``'s vocabulary.

    Starts from scispaCy's ``combined_rule_tokenizer`` (Neumann et al. 2019, scispaCy) and applies
    the edits listed in this module's docstring, which bring its tokens closer to the GENIA treebank's
    (Tateisi et al. 2005). Token boundaries against GENIA test tokens are reported by
    ``models/evaluate.py``.
    """
    with warnings.catch_warnings():
        # scispaCy's own character classes trigger a harmless FutureWarning from the re module.
        warnings.simplefilter("ignore", FutureWarning)
        # scispaCy reads nlp.tokenizer, which does not exist yet while spaCy builds a pipeline from its
        # config; its rules depend only on the language's defaults, so a blank twin serves.
        base = combined_rule_tokenizer(nlp if hasattr(nlp, "tokenizer") else spacy.blank(nlp.lang or "en"))
        prefix = _edit(base.prefix_search.__self__.pattern, _PREFIX_EDITS)
        infix = _edit(base.infix_finditer.__self__.pattern, _INFIX_EDITS)
        suffix = _edit(base.suffix_search.__self__.pattern, _SUFFIX_EDITS)
        suffix = "|".join((suffix, *_EXTRA_SUFFIXES))
        rules = dict(base.rules or {})
        for orth in _DROPPED_EXCEPTIONS:
            rules.pop(orth, None)
        for orth in (*ABBREVIATIONS, *_SINGLE_TOKENS):
            rules[orth] = [{ORTH: orth}]
        return Tokenizer(
            nlp.vocab,
            rules=rules,
            prefix_search=re.compile(prefix).search,
            suffix_search=re.compile(suffix).search,
            infix_finditer=re.compile(infix).finditer,
            token_match=re.compile(_BRACKETED_NAME).match,
        )


@spacy.registry.tokenizers("generx.bio_tokenizer.v1")
def create_bio_tokenizer() -> Callable[[Language], Tokenizer]:
    """Registered factory for ``[nlp.tokenizer] @tokenizers = "generx.bio_tokenizer.v1"``."""
    return bio_tokenizer
