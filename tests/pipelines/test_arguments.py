"""How a statement's mentions are shared out among its sentences."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from generx.pipelines.arguments import Sentence

VOCAB = spacy.blank("en").vocab


def test_each_sentence_gets_the_mentions_inside_it_as_of_gives_them() -> None:
    words = "IL2 binds CD28 . CD28 activates IL4 and IL2 . IL4 .".split()
    starts = [1 if i in (0, 4, 10) else 0 for i in range(len(words))]
    doc = Doc(VOCAB, words=words, sent_starts=starts)
    # Out of text order, as a Doc's span group may hold them; the last crosses a full stop.
    mentions = [doc[8:9], doc[0:1], doc[2:3], doc[4:5], doc[6:7], doc[10:11], doc[2:5]]
    candidates = [doc[1:2], doc[5:6]]
    found = list(Sentence.each(doc, mentions, candidates))
    expected = [Sentence.of(sent, mentions, candidates) for sent in doc.sents]
    assert [s.sent for s in found] == [s.sent for s in expected]
    assert [s.by_token for s in found] == [s.by_token for s in expected]
    assert [s.candidates for s in found] == [s.candidates for s in expected]
    assert [[m.text for m in s.mentions] for s in found] == [["IL2", "CD28"], ["IL2", "CD28", "IL4"], ["IL4"]]
