"""The result of one evaluation, and its JSON and Markdown forms."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generx.evaluation.scoring import LEVELS, PRF, Scores

# Errors listed in the Markdown report; the JSON report lists them all.
MARKDOWN_ERRORS = 200


@dataclass
class Report:
    """What ``evaluate`` measured on one corpus in one mode."""

    corpus: str
    format: str
    mode: str
    scores: Scores
    counts: dict[str, int] = field(default_factory=dict)
    baseline: PRF | None = None
    ignored: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    pipeline: str = ""

    @property
    def headline(self) -> PRF:
        """The pair-level score: the number the PPI and BioRED benchmarks report."""
        pair = self.scores.levels["pair"]
        assert pair is not None  # the pair level is always scored
        return pair

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""
        scores = self.scores
        return {
            "corpus": self.corpus,
            "format": self.format,
            "mode": self.mode,
            "pipeline": self.pipeline,
            "counts": self.counts,
            "levels": {level: _prf(value) for level, value in scores.levels.items()},
            "by_category": {
                category: {level: _prf(value) for level, value in levels.items()}
                for category, levels in scores.by_category.items()
            },
            "by_type": {
                "level": scores.strictest,
                "types": {name: value.to_dict() for name, value in scores.by_type.items()},
                "micro": scores.micro.to_dict(),
                "macro": scores.macro,
            },
            "tiers": scores.tiers,
            "negation": _prf(scores.negation),
            "speculation": _prf(scores.speculation),
            "cooccurrence_baseline": _prf(self.baseline),
            "ignored": self.ignored,
            "notes": self.notes,
            "calibration": [
                {"confidence": label, "predicted": n, "correct": ok} for label, n, ok in scores.calibration
            ],
            "errors": [error.to_dict() for error in scores.errors],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_markdown(self, *, max_errors: int = MARKDOWN_ERRORS) -> str:
        """A readable report: the level table, per category and type, notes, then up to ``max_errors`` errors.

        ``max_errors=0`` gives the summary alone (for a terminal).
        """
        scores = self.scores
        lines = [
            f"# generx evaluate: {self.corpus} ({self.format}, {self.mode})",
            "",
            ", ".join(f"{name.replace('_', ' ')}: {value}" for name, value in self.counts.items()),
            "",
            "| scope | level | P | R | F1 | TP | FP | FN |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        rows: list[tuple[str, str, PRF | None]] = [("all", level, scores.levels[level]) for level in LEVELS]
        for category, levels in scores.by_category.items():
            rows.extend((category, level, levels[level]) for level in LEVELS)
        rows.extend((f"type {name}", scores.strictest, value) for name, value in scores.by_type.items())
        if scores.negation is not None:
            rows.append(("negated", "directed", scores.negation))
        if scores.speculation is not None:
            rows.append(("hedged", "directed", scores.speculation))
        if self.baseline is not None:
            rows.append(("co-occurrence baseline", "pair", self.baseline))
        lines.extend(_row(scope, level, value) for scope, level, value in rows if value is not None)
        macro = scores.macro
        lines += [
            "",
            f"Macro average over {macro['types']} types ({scores.strictest} level): "
            f"P {_pct(macro['precision'])}, R {_pct(macro['recall'])}, F1 {_pct(macro['f1'])}; "
            f"micro F1 {_pct(scores.micro.f1)}.",
        ]
        for tier, count in scores.tiers.items():
            lines.append(
                f"Recall of '{tier}' gold: {count['found']}/{count['gold']} ({_pct(count['recall'])})."
            )
        if any(n for _, n, _ in scores.calibration):
            lines += [
                "",
                f"Precision by confidence ({scores.strictest} level):",
                "",
                "| confidence | predicted | precision |",
            ]
            lines.append("| --- | ---: | ---: |")
            lines += [
                f"| {label} | {n} | {_pct(ok / n) if n else '-'} |" for label, n, ok in scores.calibration
            ]
        if self.ignored:
            lines += ["", "Ignored gold: " + ", ".join(f"{why} {n}" for why, n in self.ignored.items()) + "."]
        if self.notes:
            lines += ["", *[f"- {note}" for note in self.notes]]
        errors = scores.errors
        if max_errors <= 0:
            return "\n".join(lines) + "\n"
        lines += ["", f"## Errors ({len(errors)}, {scores.strictest} level)", ""]
        if errors:
            lines += ["| unit | kind | relation | why | text |", "| --- | --- | --- | --- | --- |"]
            for error in errors[:max_errors]:
                kind = "FP" if error.kind == "false_positive" else "FN"
                said = f" ({error.predicate}: {error.trigger})" if error.predicate else ""
                relation = f"{error.subject} {error.sign or ''} -> {error.object}{said}"
                cells = (_cell(error.unit), kind, _cell(relation), error.reason, _cell(error.text))
                lines.append("| " + " | ".join(cells) + " |")
            if len(errors) > max_errors:
                lines.append(f"\n{len(errors) - max_errors} more in the JSON report.")
        return "\n".join(lines) + "\n"


def write_report(report: Report, path: Path) -> None:
    """Write the report to ``path``: Markdown for ``.md``, JSON otherwise."""
    content = report.to_markdown() if path.suffix.lower() in (".md", ".markdown") else report.to_json() + "\n"
    path.write_text(content, encoding="utf-8")


def _prf(value: PRF | None) -> dict[str, Any] | None:
    return value.to_dict() if value is not None else None


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def _row(scope: str, level: str, value: PRF) -> str:
    return (
        f"| {scope} | {level} | {_pct(value.precision)} | {_pct(value.recall)} | {_pct(value.f1)} "
        f"| {value.tp} | {value.fp} | {value.fn} |"
    )


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())
