"""Features of two gene mentions in one sentence, for ``generx.pipelines.relation_model``.

They follow the dependency-path kernels of PPI extraction (Bunescu & Mooney 2005, Airola et al. 2008):
the words and dependencies on the shortest path between the two mentions, the words between them and
around them, and the trigger classes met on the way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from spacy.tokens import Span, Token

from generx.pipelines.triggers import trigger_class

MAX_PATH_STRING = 6
MAX_BETWEEN = 15
# How many of the mentions that follow a mention in its sentence it is paired with (``near_pairs``).
MAX_PARTNERS = 32
# The longest sentence whose mentions the relation model pairs: twice the longest of the relation corpora
# here (145 tokens). A longer one is a table or a list run together, or hostile input, whose pairs would
# cost time in the square of its length; the rules still read it.
MAX_SENTENCE_TOKENS = 300
# Words between mentions that only separate the items of a list: "IL2, IL4 and IL10".
LIST_WORDS = frozenset({",", "and", "or", "/", "(", ")", "as", "well"})


def sentence_marks(
    sent: Span, by_token: Mapping[int, Sequence[Span]]
) -> tuple[dict[int, str], dict[int, str]]:
    """What ``pair_features`` reads of a sentence besides the pair: the label of the mention at each token
    (``by_token``: the mentions covering a token), and the class of each trigger word outside mentions."""
    mention_at = {i: spans[0].label_ for i, spans in by_token.items()}
    trigger_kind: dict[int, str] = {}
    for token in sent:
        found = trigger_class(token)
        if found is not None and token.i not in mention_at:
            trigger_kind[token.i] = found[0].kind
    return mention_at, trigger_kind


def near_pairs(mentions: Sequence[Span], most: int = MAX_PARTNERS) -> Iterator[tuple[Span, Span]]:
    """Every two of ``mentions`` (in text order) with fewer than ``most`` of them between: every pair of
    any sentence of the relation corpora here (at most 25 gene mentions), and in a hostile sentence of
    thousands of mentions a number of pairs that grows with its length, not with its square."""
    for i, first in enumerate(mentions):
        for second in mentions[i + 1 : i + 1 + most]:
            yield first, second


def dependency_path(a: Token, b: Token) -> list[Token]:
    """The words on the dependency path from ``a`` to ``b``, both included; [] across sentences."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    on_b = {token.i: n for n, token in enumerate(up_b)}
    common = next((n for n, token in enumerate(up_a) if token.i in on_b), None)
    if common is None:
        return []
    return up_a[: common + 1] + up_b[: on_b[up_a[common].i]][::-1]


def path_head(path: Sequence[Token]) -> Token:
    """The word of a dependency path that stands highest in the tree (the one the others hang from)."""
    return min(path, key=lambda token: len(list(token.ancestors)))


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def pair_features(
    a: Span,
    b: Span,
    *,
    mention_at: dict[int, str],
    trigger_kind: dict[int, str],
) -> list[str]:
    """The features of the gene pair ``a`` (first in the text) and ``b`` in one sentence.

    ``mention_at`` maps a token index inside any mention to its label, so that other mentions are read
    as "GENE"/"PROCESS" rather than by their names; ``trigger_kind`` maps a trigger word's index to its
    class (positive, negative, binding, ...).
    """
    doc = a.doc
    features = ["bias"]

    def word(token: Token) -> str:
        if token.i in mention_at:
            return mention_at[token.i].upper()
        return token.lemma_.lower()

    path = dependency_path(a.root, b.root)
    inner = path[1:-1]
    features.append(f"path_len={_bucket(len(path), (2, 3, 4, 5, 6, 8, 10, 14))}")
    if not path:
        features.append("no_path")
    for token in inner:
        features.append(f"pw={word(token)}")
        features.append(f"pwd={word(token)}/{token.dep_}")
        if token.i in trigger_kind:
            features.append(f"ptc={trigger_kind[token.i]}")
    if path and len(path) <= MAX_PATH_STRING:
        arcs = [f"{token.dep_}:{word(token)}" for token in inner]
        ends = f"{a.root.dep_}>{b.root.dep_}"
        features.append(f"path={ends}|{'|'.join(arcs)}")
        features.append(f"pdeps={ends}|{'|'.join(token.dep_ for token in inner)}")
    if not any(token.i in trigger_kind for token in inner):
        features.append("ptc=none")
    if path:
        top = path_head(path)
        features.append(f"top={word(top)}/{top.pos_}")

    between = doc[a.end : b.start] if a.end <= b.start else doc[b.end : a.start]
    words = [word(token) for token in between]
    features.append(f"n_between={_bucket(len(words), (0, 1, 2, 3, 5, 8, 12, 20))}")
    others = sum(1 for t in between if t.i in mention_at and (t.i == 0 or t.i - 1 not in mention_at))
    features.append(f"mentions_between={_bucket(others, (0, 1, 2, 3))}")
    if words and all(w in LIST_WORDS or w.isupper() for w in words):
        features.append("list_between")
    if len(words) <= MAX_BETWEEN:
        features.extend(f"bw={w}" for w in set(words))
    features.extend(f"btc={trigger_kind[t.i]}" for t in between if t.i in trigger_kind)
    before = doc[a.start - 1] if a.start > a.sent.start else None
    after = doc[b.end] if b.end < b.sent.end else None
    features.append(f"before={word(before) if before is not None else '<s>'}")
    features.append(f"after={word(after) if after is not None else '</s>'}")
    if a.start <= b.start < a.end or b.start <= a.start < b.end:
        features.append("overlap")
    return features
