"""Score generx against gold relation corpora in their own formats: ``generx evaluate``.

One reader per gold format (``ppi``, ``pubtator``, ``bioc``, ``standoff``, ``bel``, ``generx``) turns a
corpus into statements and gold relations (``gold.GoldCorpus``); ``evaluate`` runs the pipeline over the
statements, with the corpus's entities or with generx's own, and ``scoring`` compares the relations at
pair, directed pair and signed levels; ``report`` writes the result as JSON or Markdown.
"""

from generx.evaluation.gold import (
    EmptyGold,
    GoldCorpus,
    GoldFormatError,
    GoldRelation,
    UnmappedRelations,
    UnsupportedMode,
)
from generx.evaluation.report import Report, write_report
from generx.evaluation.runner import FORMATS, MODES, detect_gold_format, evaluate, read_gold, score_results

__all__ = [
    "FORMATS",
    "MODES",
    "EmptyGold",
    "GoldCorpus",
    "GoldFormatError",
    "GoldRelation",
    "Report",
    "UnmappedRelations",
    "UnsupportedMode",
    "detect_gold_format",
    "evaluate",
    "read_gold",
    "score_results",
    "write_report",
]
