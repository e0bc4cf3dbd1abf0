"""Named errors of the NLP side. Each says what was wrong and where."""

from __future__ import annotations


class GenerxError(Exception):
    """Base of generx's own errors."""


class InvalidStatement(GenerxError, ValueError):
    """A statement that cannot be read or processed (bad bytes, malformed row, empty, too long)."""

    def __init__(self, message: str, *, statement_id: str | None = None, line: int | None = None) -> None:
        where = statement_id or (f"line {line}" if line is not None else None)
        super().__init__(f"{where}: {message}" if where else message)
        self.statement_id = statement_id
        self.line = line
        self.reason = message


class ModelNotFound(GenerxError, FileNotFoundError):
    """The trained pipeline or a compiled lexicon is missing from models/."""


class InvalidSetting(GenerxError, ValueError):
    """A pipeline setting out of range or of the wrong kind (a confidence threshold outside [0, 1])."""
