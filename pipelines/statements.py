"""Statements, the unit generx reads, and the readers of the input formats users hand it."""

from __future__ import annotations

import errno
import gzip
import io
import json
import logging
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from generx.pipelines.errors import GenerxError, InvalidStatement


@dataclass(frozen=True)
class GivenEntity:
    """An entity annotated in the input (PubTator, BioC): used instead of generx's own mentions.

    ``type`` is "gene" or "process" for what generx relates, else the source's type lowercased
    (chemical, disease, ...). ``id`` is kept exactly as the source writes it.
    """

    start: int
    end: int
    text: str
    type: str
    id: str


@dataclass(frozen=True)
class Statement:
    """One statement: its id, its text, and the gene it is about when the source says so."""

    id: str
    text: str
    gene: str | None = None
    # None: find mentions with generx's own components; a tuple: use exactly these entities.
    entities: tuple[GivenEntity, ...] | None = None


class InputTooLarge(GenerxError, ValueError):
    """An input that inflates (gunzips) to more bytes than the reader was allowed to read."""


# The widths of the store's columns (worker/store.py): a longer value is refused here, where it can be
# named, rather than by the database.
MAX_GENE_CHARS = 100
MAX_ENTITY_ID_CHARS = 100
MAX_ENTITY_TYPE_CHARS = 32


def statement_problem(statement: Statement) -> str | None:
    """Say what is wrong with a statement however it was made (a reader, the HTTP API), or None.

    A NUL character (PostgreSQL's text cannot hold one), a gene name or entity id or type wider than the
    store keeps, and entities whose offsets do not fall on their text in the statement.
    """
    for what, value in (("id", statement.id), ("text", statement.text), ("gene", statement.gene)):
        if value is not None and "\x00" in value:
            return f"a NUL character in the {what}"
    if statement.gene is not None and len(statement.gene) > MAX_GENE_CHARS:
        return f"gene of {len(statement.gene)} characters (at most {MAX_GENE_CHARS})"
    for number, entity in enumerate(statement.entities or (), start=1):
        problem = _entity_problem(statement.text, entity.start, entity.end, entity.text)
        if problem is None and len(entity.id) > MAX_ENTITY_ID_CHARS:
            problem = f"id of {len(entity.id)} characters (at most {MAX_ENTITY_ID_CHARS})"
        if problem is None and not 0 < len(entity.type) <= MAX_ENTITY_TYPE_CHARS:
            problem = f"type of {len(entity.type)} characters (1 to {MAX_ENTITY_TYPE_CHARS})"
        if problem is None and "\x00" in entity.id + entity.type:
            problem = "a NUL character in its id or type"
        if problem:
            return f"entity {number}: {problem}"
    return None


# --- Readers ------------------------------------------------------------------------------------------
#
# Every reader yields Statement objects and, for what it cannot read, InvalidStatement *instances* (never
# raised): the caller records each one as an error and goes on with the rest of the input.

FORMATS = ("text", "jsonl", "tsv", "genatlas", "pubtator", "bioc")

# A statement is a sentence or an abstract (a few kB); a longer line means a wrong file, and reading it
# whole would let one line take the worker's memory.
MAX_LINE_BYTES = 256 * 1024
# Enough of the start of a file to recognise its format.
_SNIFF_BYTES = 64 * 1024
# Text files have no NUL byte; binary files almost always have one near the start.
_BINARY_PROBE_BYTES = 1024
_DISCARD_CHUNK = 64 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_GZIP_MAGIC = b"\x1f\x8b"

_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".tsv": "tsv",
    ".pubtator": "pubtator",
    ".xml": "bioc",
    ".bioc": "bioc",
}

log = logging.getLogger(__name__)


def read_statements(
    source: str | Path, *, gene: str | None = None, fmt: str | None = None
) -> Iterator[Statement | InvalidStatement]:
    """Read the statements of a file, or of standard input when ``source`` is "-".

    ``fmt`` is one of FORMATS, or None to detect it (see ``detect_format``). ``gene`` is the context
    gene of statements whose input names none. Statement ids default to ``<file name>:<line>``.
    A missing file raises FileNotFoundError at once; everything wrong inside the file is yielded as an
    InvalidStatement naming its line, and reading goes on.
    """
    _check_format(fmt)
    if str(source) == "-":
        return _read_stream(sys.stdin.buffer, name="stdin", gene=gene, fmt=fmt)
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a directory, not a file of statements", str(path))
    return _read_path(path, gene=gene, fmt=fmt)


def read_statement_stream(
    stream: IO[bytes],
    *,
    name: str,
    gene: str | None = None,
    fmt: str | None = None,
    max_bytes: int | None = None,
) -> Iterator[Statement | InvalidStatement]:
    """Read statements from a binary stream (an upload, a pipe); ``name`` stands for the file name.

    With ``max_bytes``, reading more than that many bytes after decompression raises InputTooLarge,
    so a small gzip "bomb" cannot inflate without bound.
    """
    _check_format(fmt)
    return _read_stream(stream, name=name, gene=gene, fmt=fmt, max_bytes=max_bytes)


def read_statements_from_bytes(
    data: bytes, *, name: str, gene: str | None = None, fmt: str | None = None
) -> Iterator[Statement | InvalidStatement]:
    """Read statements from the bytes of a file received whole."""
    return read_statement_stream(io.BytesIO(data), name=name, gene=gene, fmt=fmt)


def detect_format(name: str, head: bytes) -> str:
    """Say which of FORMATS a file is, from its name and the first bytes of its content.

    A telling extension decides (.jsonl/.ndjson, .tsv, .pubtator, .xml/.bioc, each also with .gz).
    Otherwise the content does, in this order: a BioC ``<collection>``; a PubTator ``id|t|`` line; a
    GenAtlas page (a ``Symbol XXX`` header line and bulleted lines); a JSON object on the first line;
    a tab-separated header with a ``text`` column; else plain text, one statement per line.
    """
    lowered = name.lower().removesuffix(".gz")
    extension = Path(lowered).suffix
    if extension in _EXTENSIONS:
        return _EXTENSIONS[extension]
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.lstrip().startswith("<") and "<collection" in text:
        return "bioc"
    if _PUBTATOR_TEXT.match(first):
        return "pubtator"
    if _GENATLAS_SYMBOL.search(text) and _GENATLAS_BULLET.search(text):
        return "genatlas"
    if first.lstrip().startswith("{"):
        return "jsonl"
    if "\t" in first and "text" in _tsv_columns(first):
        return "tsv"
    return "text"


def entity_type(source_type: str) -> str:
    """Map an annotation type of PubTator or BioC onto generx's entity types.

    "gene" for genes and gene products (PubTator's Gene, BioRED's GeneOrGeneProduct), "process",
    "function" and "component" for Gene Ontology biological processes, molecular functions and cellular
    components, "family" for gene families (HGNC gene groups), else the source's type lowercased
    (chemicalentity, ...).
    """
    key = re.sub(r"[^a-z]", "", source_type.lower())
    if key in _GENE_TYPES:
        return "gene"
    if key in _FAMILY_TYPES:
        return "family"
    for generx_type, source_types in _GO_TYPES.items():
        if key in source_types:
            return generx_type
    return source_type.lower()


_GENE_TYPES = frozenset({"gene", "geneorgeneproduct"})
# A gene family as an annotation type (generx's BioC export writes GeneFamily, Biolink's name).
_FAMILY_TYPES = frozenset({"genefamily", "genegroup", "family"})
# GO's three aspects as annotation types (generx's BioC export writes MolecularFunction, CellularComponent).
_GO_TYPES = {
    "process": frozenset({"go", "gobp", "biologicalprocess", "process", "goprocess"}),
    "function": frozenset({"gomf", "molecularfunction", "function", "molecularactivity"}),
    "component": frozenset({"gocc", "cellularcomponent", "component"}),
}


def _check_format(fmt: str | None) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown input format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _read_path(path: Path, *, gene: str | None, fmt: str | None) -> Iterator[Statement | InvalidStatement]:
    with path.open("rb") as stream:
        yield from _read_stream(stream, name=path.name, gene=gene, fmt=fmt)


def _read_stream(
    stream: IO[bytes], *, name: str, gene: str | None, fmt: str | None, max_bytes: int | None = None
) -> Iterator[Statement | InvalidStatement]:
    head = stream.read(_SNIFF_BYTES)
    if head.startswith(_GZIP_MAGIC):
        # GzipFile reads like any binary file; typeshed just does not call it IO[bytes].
        stream = cast(IO[bytes], gzip.GzipFile(fileobj=_rejoin(head, stream), mode="rb"))
        if max_bytes is not None:
            stream = io.BufferedReader(_Capped(stream, max_bytes, name))
        try:
            head = stream.read(_SNIFF_BYTES)
        except (OSError, EOFError) as err:
            yield InvalidStatement(f"not a readable gzip file: {err}", statement_id=name)
            return
    if not head:
        yield InvalidStatement("empty file: no statements", statement_id=name)
        return
    problem = _binary_problem(head)
    if problem:
        yield InvalidStatement(problem, statement_id=name)
        return
    fmt = fmt or detect_format(name, head)
    log.debug("reading %s as %s", name, fmt)
    reader = _READERS[fmt]
    found = False
    for item in reader(_rejoin(head, stream), name=name, gene=gene):
        found = True
        problem = statement_problem(item) if isinstance(item, Statement) else None
        if problem and isinstance(item, Statement):
            yield InvalidStatement(problem, statement_id=item.id)
        else:
            yield item
    if not found:
        yield InvalidStatement(f"no statements found (read as {fmt})", statement_id=name)


def _binary_problem(head: bytes) -> str | None:
    """Say why the start of a file is not text we read, or None when it is."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "a UTF-16 file; save it as UTF-8"
    if b"\x00" in head[:_BINARY_PROBE_BYTES]:
        return "a binary file (NUL bytes), not text"
    return None


class _Rejoined(io.RawIOBase):
    """The bytes already read from a stream to detect its format, followed by the rest of the stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if len(self._head):
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Capped(io.RawIOBase):
    """A stream that raises InputTooLarge once more than ``limit`` bytes have been read from it."""

    def __init__(self, stream: IO[bytes], limit: int, name: str) -> None:
        self._stream = stream
        self._left = limit
        self._limit = limit
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(min(len(buffer), self._left + 1))
        self._left -= len(data)
        if self._left < 0:
            raise InputTooLarge(f"{self._name} inflates to more than {self._limit} bytes")
        buffer[: len(data)] = data
        return len(data)


def _rejoin(head: bytes, rest: IO[bytes]) -> IO[bytes]:
    return io.BufferedReader(_Rejoined(head, rest))


def _line_error(name: str, number: int, message: str) -> InvalidStatement:
    return InvalidStatement(message, statement_id=f"{name}:{number}", line=number)


def _numbered_lines(stream: IO[bytes], name: str) -> Iterator[tuple[int, str | InvalidStatement]]:
    """Yield (1-based line number, line without its line end) or the InvalidStatement of that line.

    Each line is decoded on its own, so one bad byte costs one line; a line over MAX_LINE_BYTES is
    skipped without being held in memory. CRLF line ends and a UTF-8 byte order mark are accepted.
    """
    number = 0
    while True:
        try:
            raw = stream.readline(MAX_LINE_BYTES + 1)
        except (OSError, EOFError) as err:  # a truncated gzip stream, a failing disk
            yield number + 1, _line_error(name, number + 1, f"cannot read on: {err}")
            return
        if not raw:
            return
        number += 1
        if number == 1:
            raw = raw.removeprefix(_UTF8_BOM)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            size = len(raw) + _discard_rest_of_line(stream)
            yield number, _line_error(name, number, f"line too long ({size} bytes; at most {MAX_LINE_BYTES})")
            continue
        raw = raw.removesuffix(b"\n").removesuffix(b"\r")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            message = f"not valid UTF-8: byte 0x{raw[err.start]:02x} at byte {err.start + 1} of the line"
            yield number, _line_error(name, number, message)
            continue
        if "\x00" in line:
            yield number, _line_error(name, number, "NUL bytes in the line (binary data?)")
            continue
        yield number, line


def _discard_rest_of_line(stream: IO[bytes]) -> int:
    """Read up to the end of the current line in chunks and return how many bytes were dropped."""
    dropped = 0
    while True:
        chunk = stream.readline(_DISCARD_CHUNK)
        dropped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return dropped


# --- Plain text, JSON Lines, TSV ---------------------------------------------------------------------


def _read_text(stream: IO[bytes], *, name: str, gene: str | None) -> Iterator[Statement | InvalidStatement]:
    """One statement per line; blank lines are skipped, not errors."""
    for number, line in _numbered_lines(stream, name):
        if isinstance(line, InvalidStatement):
            yield line
        elif line.strip():
            yield Statement(id=f"{name}:{number}", text=line.strip(), gene=gene)


def _read_jsonl(stream: IO[bytes], *, name: str, gene: str | None) -> Iterator[Statement | InvalidStatement]:
    """One JSON object a line: ``text`` required, ``id`` (default ``name:line``) and ``gene`` optional."""
    seen: dict[str, int] = {}
    for number, line in _numbered_lines(stream, name):
        if isinstance(line, InvalidStatement):
            yield line
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            yield _line_error(name, number, f"malformed JSON: {err.msg} at column {err.colno}")
            continue
        except (ValueError, RecursionError) as err:
            # An integer of more than 4,300 digits (Python's int limit), or nesting deeper than the
            # parser's recursion limit: valid JSON, but not a statement we can read.
            reason = "nested too deeply" if isinstance(err, RecursionError) else str(err)
            yield _line_error(name, number, f"unreadable JSON: {reason}")
            continue
        if not isinstance(row, dict):
            yield _line_error(name, number, f"expected a JSON object, found {type(row).__name__}")
            continue
        yield _row_statement(
            row.get("id"), row.get("text"), row.get("gene"), name=name, number=number, gene=gene, seen=seen
        )


def _tsv_columns(header: str) -> list[str]:
    return [column.strip().lower() for column in header.split("\t")]


def _read_tsv(stream: IO[bytes], *, name: str, gene: str | None) -> Iterator[Statement | InvalidStatement]:
    """A header naming the columns (``text`` required; ``id``, ``gene`` optional; others ignored), then rows.

    Split on tabs only: TSV has no quoting, so a quote character in a statement is part of its text.
    """
    columns: list[str] | None = None
    seen: dict[str, int] = {}
    for number, line in _numbered_lines(stream, name):
        if isinstance(line, InvalidStatement):
            yield line
            if columns is None:  # without its header no row can be read
                return
            continue
        if not line.strip():
            continue
        if columns is None:
            columns = _tsv_columns(line)
            if "text" not in columns:
                yield _line_error(
                    name, number, "the TSV header names no 'text' column (expected id, gene, text)"
                )
                return
            continue
        fields = line.split("\t")
        if len(fields) != len(columns):
            message = (
                f"{len(fields)} tab-separated columns, the header has {len(columns)} ({', '.join(columns)})"
            )
            yield _line_error(name, number, message)
            continue
        row = dict(zip(columns, fields, strict=True))
        yield _row_statement(
            row.get("id", "").strip() or None,
            row["text"],
            row.get("gene", "").strip() or None,
            name=name,
            number=number,
            gene=gene,
            seen=seen,
        )


def _row_statement(
    row_id: object,
    text: object,
    row_gene: object,
    *,
    name: str,
    number: int,
    gene: str | None,
    seen: dict[str, int],
) -> Statement | InvalidStatement:
    """Check the fields of one JSON or TSV row and make its Statement; the row's gene wins over ``gene``."""
    if not isinstance(text, str) or not text.strip():
        return _line_error(name, number, "no text: a row needs a non-empty 'text'")
    if isinstance(row_id, bool) or not isinstance(row_id, str | int | None):
        return _line_error(name, number, f"'id' must be a string, not {type(row_id).__name__}")
    if row_gene is not None and not isinstance(row_gene, str):
        return _line_error(name, number, f"'gene' must be a string, not {type(row_gene).__name__}")
    statement_id = str(row_id).strip() if row_id is not None and str(row_id).strip() else f"{name}:{number}"
    if statement_id in seen:
        return _line_error(
            name, number, f"duplicate id {statement_id!r} (first on line {seen[statement_id]})"
        )
    seen[statement_id] = number
    return Statement(id=statement_id, text=text, gene=(row_gene or "").strip() or gene)


# --- GenAtlas gene pages -----------------------------------------------------------------------------

_GENATLAS_SYMBOL = re.compile(r"^Symbol\s+(\S+)", re.MULTILINE)
_GENATLAS_BULLET = re.compile(r"^\s*•", re.MULTILINE)
_GENATLAS_BULLET_TEXT = re.compile(r"^\s*•\s*(.*?)\s*$")
# Field labels that flattening the web page glued to the start of a bullet ("• MAPPING cloned Y ...").
_GENATLAS_FIELDS = re.compile(
    r"^(?:MAPPING|CATEGORY|CELLULAR PROCESS|PHYSIOLOGICAL PROCESS|FAMILY|SUBCELLULAR|PATHWAY|METABOLISM"
    r"|INTERACTION|DOMAIN|REGULATION|TYPE|STRUCTURE|TRANSCRIPTS|EXPRESSION|PROTEIN|MOTIF|HOMOLOGY"
    r"|Synonym symbol)\b"
)
# Sub-headings of the page that come out as bullets of their own ("• cell & other").
_GENATLAS_HEADINGS = frozenset(
    {"cell & other", "a component", "small molecule", "text structure", "text secreted", "basic function"}
)
# Indented fields that read like text but state homology or expression, never a relation.
_GENATLAS_FIELD_TEXT = re.compile(r"^(?:interspecies|ortholog|homolog|paralog|expressed in)\b", re.IGNORECASE)
# "activated by JUNB", "repressed by TP53": short, but the regulation statements of the page.
_GENATLAS_PASSIVE_BY = re.compile(r"^[a-z]+ed by\b")
_GENATLAS_MIN_WORDS = 6


def genatlas_statement(line: str) -> str | None:
    """Return the statement text of one line of a GenAtlas gene page, or None when it is no statement.

    GenAtlas pages (genatlas.medecine.univ-paris5.fr), flattened to text, hold the gene's function and
    regulation as free text. The rule, checked on examples/genatlas_IL2.txt and its gold file:

    - a bulleted line (``  • text``) is a statement, unless its text starts with an upper-case page field
      (``MAPPING``, ``CATEGORY``, ``CELLULAR PROCESS``, ...) or is a sub-heading (``cell & other``);
    - an indented line without a bullet is a statement when it is free text: it starts with a lower-case
      word and has at least six words or reads ``<verb>ed by ...`` ("activated by JUNB, ..."), and is not
      a homology or expression field (``interspecies ortholog to rattus Il2``, ``expressed in ...``);
    - a line at the left margin (the header: symbol, names, ids, location) is never one.

    The text is the line without its bullet and surrounding spaces, so offsets count from its first
    word. Which block a line is in (synonyms, physical map) is left to the reader: see ``_read_genatlas``.
    """
    bullet = _GENATLAS_BULLET_TEXT.match(line)
    if bullet:
        text = bullet.group(1)
        if not text or _GENATLAS_FIELDS.match(text) or text.lower() in _GENATLAS_HEADINGS:
            return None
        return text
    if not line[:1].isspace():
        return None
    text = line.strip()
    if not text[:1].islower() or _GENATLAS_FIELD_TEXT.match(text):
        return None
    if len(text.split()) >= _GENATLAS_MIN_WORDS or _GENATLAS_PASSIVE_BY.match(text):
        return text
    return None


def _read_genatlas(
    stream: IO[bytes], *, name: str, gene: str | None
) -> Iterator[Statement | InvalidStatement]:
    """Statements of a GenAtlas page, about the page's gene (``Symbol IL2 ...``) unless ``gene`` is given.

    Two blocks are skipped whole: the bullets after ``Synonym name`` (names of the gene, not statements)
    and the line after ``Physical map`` (a list of neighbouring genes, no relation between them).
    """
    page_gene: str | None = None
    block: str | None = None
    for number, line in _numbered_lines(stream, name):
        if isinstance(line, InvalidStatement):
            yield line
            continue
        stripped = line.strip()
        if not stripped:
            continue
        symbol = _GENATLAS_SYMBOL.match(line)
        if symbol and page_gene is None:
            page_gene = symbol.group(1)
            continue
        if stripped == "Synonym name":
            block = "synonyms"
            continue
        if stripped == "Physical map":
            block = "map"
            continue
        if block == "map":
            block = None
            continue
        if block == "synonyms":
            if _GENATLAS_BULLET_TEXT.match(line):
                continue
            block = None
        text = genatlas_statement(line)
        if text:
            yield Statement(id=f"{name}:{number}", text=text, gene=gene or page_gene)


# --- PubTator -----------------------------------------------------------------------------------------

_PUBTATOR_TEXT = re.compile(r"^([^|\t]+)\|([ta])\|(.*)$")
# A mention line's offsets: numbers, a minus sign included so a negative one is named, not skipped.
_PUBTATOR_OFFSET = re.compile(r"^-?\d{1,18}$")


@dataclass
class _PubTatorDocument:
    """A PubTator document while its lines are read."""

    id: str
    line: int
    title: str
    abstract: str | None = None
    mentions: list[tuple[int, list[str]]] = field(default_factory=list)
    problem: tuple[int, str] | None = None

    def fail(self, number: int, message: str) -> None:
        """Keep the first problem: the document is reported with it."""
        if self.problem is None:
            self.problem = (number, message)


def _read_pubtator(
    stream: IO[bytes], *, name: str, gene: str | None
) -> Iterator[Statement | InvalidStatement]:
    """One statement per PubTator document: text = title + " " + abstract, its mentions as entities.

    Mention lines are ``id<TAB>start<TAB>end<TAB>text<TAB>type[<TAB>ids]`` with offsets on that text;
    relation lines (``id<TAB>Type<TAB>id1<TAB>id2...``) are skipped. A document with a bad line is
    reported whole, naming the line, since its entities would be incomplete.
    """
    document: _PubTatorDocument | None = None
    seen: dict[str, int] = {}
    for number, line in _numbered_lines(stream, name):
        if isinstance(line, InvalidStatement):
            if document is None:
                yield line
            else:
                document.fail(number, line.reason)
            continue
        if not line.strip():
            if document is not None:
                yield _pubtator_statement(document, name=name, gene=gene, seen=seen)
                document = None
            continue
        text_line = _PUBTATOR_TEXT.match(line)
        if text_line:
            doc_id, kind, text = text_line.groups()
            if kind == "t":
                if document is not None:
                    yield _pubtator_statement(document, name=name, gene=gene, seen=seen)
                document = _PubTatorDocument(id=doc_id, line=number, title=text)
            elif document is None or document.id != doc_id:
                yield _line_error(name, number, f"abstract of {doc_id} without its title line")
            elif document.abstract is not None:
                document.fail(number, "a second abstract line")
            else:
                document.abstract = text
            continue
        fields = line.split("\t")
        if document is None:
            yield _line_error(name, number, "not in a PubTator document (no title line before it)")
        elif fields[0] != document.id:
            document.fail(number, f"a line of document {fields[0]} inside document {document.id}")
        elif len(fields) >= 3 and _PUBTATOR_OFFSET.match(fields[1]) and _PUBTATOR_OFFSET.match(fields[2]):
            if len(fields) < 5:
                document.fail(number, "a mention line needs id, start, end, text and type")
            else:
                document.mentions.append((number, fields))
        elif len(fields) < 4:
            document.fail(number, "neither a mention nor a relation line")
        # else: a relation line; relations are what generx finds, not what it reads
    if document is not None:
        yield _pubtator_statement(document, name=name, gene=gene, seen=seen)


def _pubtator_statement(
    document: _PubTatorDocument, *, name: str, gene: str | None, seen: dict[str, int]
) -> Statement | InvalidStatement:
    text = document.title if document.abstract is None else f"{document.title} {document.abstract}"
    entities = []
    for number, fields in document.mentions:
        start, end, mention, source_type = int(fields[1]), int(fields[2]), fields[3], fields[4]
        problem = _entity_problem(text, start, end, mention)
        if problem:
            document.fail(number, problem)
            break
        # Kept as written ("3172,3651,6927" stays one string) but for stray spaces around it.
        ids = fields[5].strip() if len(fields) > 5 else ""
        entities.append(GivenEntity(start, end, mention, entity_type(source_type), ids))
    if document.id in seen:
        document.fail(document.line, f"duplicate document id (first on line {seen[document.id]})")
    seen.setdefault(document.id, document.line)
    if document.problem:
        number, message = document.problem
        return InvalidStatement(f"line {number}: {message}", statement_id=document.id, line=number)
    return Statement(id=document.id, text=text, gene=gene, entities=tuple(entities))


def _entity_problem(text: str, start: int, end: int, mention: str | None) -> str | None:
    """Say what is wrong with an annotated entity's offsets in ``text``, or None when they fit."""
    if not 0 <= start < end <= len(text):
        return f"mention offsets {start}-{end} outside the text of {len(text)} characters"
    if mention is not None and text[start:end] != mention:
        return f"mention {mention!r} does not match the text at {start}-{end} ({text[start:end]!r})"
    return None


# --- BioC XML -----------------------------------------------------------------------------------------

# Infon keys that carry an annotation's concept id in BioC files of PubTator, BioRED and others.
_BIOC_ID_KEYS = ("identifier", "NCBI Gene", "MESH", "GO", "Identifier")


def _read_bioc(stream: IO[bytes], *, name: str, gene: str | None) -> Iterator[Statement | InvalidStatement]:
    """One statement per BioC ``<document>``: its passages joined by a space, its annotations as entities.

    The context gene is the document's infon ``gene`` when it has one, else ``gene``. Annotations and
    relations outside passages (generx's implicit arguments, its relations) are not read.

    Passages are joined as PubTator joins title and abstract, and each annotation's document offset is
    moved onto the joined text, so a BioC file and its PubTator twin give the same statements. The file
    is parsed one document at a time and each is dropped once read.
    """
    seen: dict[str, int] = {}
    count = 0
    root: ET.Element | None = None
    try:
        for event, element in ET.iterparse(stream, events=("start", "end")):
            if root is None:
                root = element
                if root.tag != "collection":
                    yield InvalidStatement(f"not BioC: the root element is <{root.tag}>", statement_id=name)
                    return
            elif event == "end" and element.tag == "document":
                count += 1
                yield _bioc_statement(element, name=name, count=count, gene=gene, seen=seen)
                root.clear()
    except (OSError, EOFError) as err:  # a truncated gzip stream, a failing disk
        yield InvalidStatement(f"cannot read on after document {count}: {err}", statement_id=name)
    except ET.ParseError as err:
        line, column = err.position
        yield InvalidStatement(
            f"malformed XML at line {line}, column {column}: {err}", statement_id=name, line=line
        )


def _bioc_statement(
    document: ET.Element, *, name: str, count: int, gene: str | None, seen: dict[str, int]
) -> Statement | InvalidStatement:
    doc_id = (document.findtext("id") or "").strip() or f"{name}#{count}"
    if doc_id in seen:
        return InvalidStatement(
            f"duplicate document id (document {count}, first {seen[doc_id]})", statement_id=doc_id
        )
    seen[doc_id] = count
    pieces: list[str] = []
    length = 0
    entities: list[GivenEntity] = []
    for passage in document.iter("passage"):
        passage_text = passage.findtext("text") or ""
        try:
            passage_offset = int(passage.findtext("offset") or "0")
        except ValueError:
            return InvalidStatement(
                f"passage offset {passage.findtext('offset')!r} is not a number", statement_id=doc_id
            )
        start_here = length + 1 if pieces else 0
        for annotation in passage.iter("annotation"):
            entity = _bioc_entity(annotation, passage_text, passage_offset, start_here)
            if isinstance(entity, str):
                where = annotation.get("id")
                return InvalidStatement(f"annotation {where}: {entity}", statement_id=doc_id)
            entities.append(entity)
        pieces.append(passage_text)
        length = start_here + len(passage_text)
    text = " ".join(pieces)
    # A document's own context gene (the infon generx's BioC export writes) wins over ``gene``, as a JSON
    # Lines row's does.
    own_gene = next((i.text or "" for i in document.findall("infon") if i.get("key") == "gene"), "").strip()
    return Statement(id=doc_id, text=text, gene=own_gene or gene, entities=tuple(entities))


def _bioc_entity(
    annotation: ET.Element, passage_text: str, passage_offset: int, moved_to: int
) -> GivenEntity | str:
    """Make the GivenEntity of a BioC annotation on the joined text, or say what is wrong with it.

    A discontinuous annotation (several locations) becomes the span that covers them all.
    """
    infons = {infon.get("key", ""): (infon.text or "").strip() for infon in annotation.iter("infon")}
    lowered = {key.lower(): value for key, value in infons.items()}
    ids = lowered.get("identifier") or next((infons[key] for key in _BIOC_ID_KEYS if infons.get(key)), "")
    spans = []
    for location in annotation.iter("location"):
        try:
            offset, size = int(location.get("offset", "")), int(location.get("length", ""))
        except ValueError:
            return (
                f"location offset {location.get('offset')!r}, length {location.get('length')!r} not numbers"
            )
        spans.append((offset - passage_offset, offset - passage_offset + size))
    if not spans:
        return "no location"
    start, end = min(span[0] for span in spans), max(span[1] for span in spans)
    mention = annotation.findtext("text") if len(spans) == 1 else None
    problem = _entity_problem(passage_text, start, end, mention)
    if problem:
        return problem
    return GivenEntity(
        start + moved_to, end + moved_to, passage_text[start:end], entity_type(lowered.get("type", "")), ids
    )


_READERS: dict[str, Callable[..., Iterator[Statement | InvalidStatement]]] = {
    "text": _read_text,
    "jsonl": _read_jsonl,
    "tsv": _read_tsv,
    "genatlas": _read_genatlas,
    "pubtator": _read_pubtator,
    "bioc": _read_bioc,
}
