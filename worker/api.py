"""The HTTP API (FastAPI) over the job API: submit jobs, read their status and relations.

Every route but ``/health`` and the docs needs ``Authorization: Bearer <GENERX_API_TOKEN>``. Serve it
with ``generx api``; the OpenAPI document is at ``/openapi.json`` and readable at ``/docs`` (a page
rendered here, with no script from elsewhere, so it works offline).

Submissions are streamed to a temporary file (memory past 1 MiB goes to disk) and refused with 413 as
soon as they pass GENERX_MAX_UPLOAD_BYTES; they are then read, checked and stored a batch at a time in
a worker thread, so neither a large body nor a gzip "bomb" takes the API's memory, and the event loop
(``/health``, other requests) is never blocked by parsing.
"""

from __future__ import annotations

import gzip
import json
import logging
import secrets
import tempfile
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from kombu import Connection
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from generx import __version__
from generx.exports import documents_from_records
from generx.exports.formats import EXPORTS, FORMATS, write_export
from generx.pipelines.statements import GivenEntity, Statement, statement_problem
from generx.worker import jobs
from generx.worker.apidocs import docs_page
from generx.worker.errors import (
    BrokerUnavailable,
    ConfigurationError,
    DatabaseUnavailable,
    InvalidSubmission,
    JobNotFound,
    SubmissionTooLarge,
)
from generx.worker.settings import Settings, get_settings
from generx.worker.store import RelationFilter, Store

log = logging.getLogger(__name__)

# An upload is kept in memory up to this size, then on disk.
SPOOL_BYTES = 1 << 20
# What a client is told when the database is away (never the driver's message: it names host and port).
DATABASE_DOWN = "the database is unavailable; try again later"


class EntityIn(BaseModel):
    """An entity given with a statement (used instead of generx's own mentions)."""

    model_config = ConfigDict(extra="forbid")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    type: str
    id: str


class StatementIn(BaseModel):
    """One statement of a JSON submission."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(
        default=None, description="your id for the statement; default: its 1-based position"
    )
    text: str = Field(min_length=1)
    gene: str | None = Field(
        default=None, description="the gene the statement is about, when not written in it"
    )
    entities: list[EntityIn] | None = None


class _Envelope(BaseModel):
    """A JSON submission with its statements not yet checked (each is checked as it is stored)."""

    model_config = ConfigDict(extra="forbid")
    statements: list[Any] = Field(min_length=1)
    gene: str | None = Field(default=None, max_length=100)
    name: str | None = Field(default=None, max_length=500)
    # Their values are checked by jobs.submit, with the message every front gives.
    min_confidence: float | None = None
    convention: str | None = None


MIN_CONFIDENCE_HELP = (
    "report only relations whose calibrated confidence reaches this: lower it for recall, raise it for"
    " precision (default: the workers' GENERX_MIN_CONFIDENCE, else the relation model's own threshold)"
)
CONVENTION_HELP = (
    "whose way of reading relations the relation model follows: general (the corpora pooled), or one"
    " corpus's: biored, genia, bioinfer (default: the workers' GENERX_CONVENTION, else general)"
)


class SubmitBody(BaseModel):
    """A JSON submission: the statements, a context gene for all of them, a name for the job, and how its
    statements are read."""

    model_config = ConfigDict(extra="forbid")
    statements: list[StatementIn] = Field(min_length=1)
    gene: str | None = None
    name: str | None = Field(default=None, max_length=500)
    min_confidence: float | None = Field(default=None, ge=0.0, le=1.0, description=MIN_CONFIDENCE_HELP)
    convention: str | None = Field(default=None, description=CONVENTION_HELP)


class JobOut(BaseModel):
    """A job's state and progress."""

    id: str
    name: str | None
    state: str
    total: int
    done: int
    errors: int
    relations: int
    created_at: str
    started_at: str | None
    finished_at: str | None
    error: str | None
    rate: float | None = Field(description="statements finished per second since the job started")
    eta_seconds: float | None = Field(description="seconds left at that rate")
    min_confidence: float | None = Field(description="the job's min_confidence; null: the workers' default")
    convention: str | None = Field(description="the job's convention; null: the workers' default")


class RelationsOut(BaseModel):
    """One page of relation records (DESIGN.md) and the cursor of the next page."""

    job_id: str
    relations: list[dict[str, Any]]
    next_cursor: str | None


SUBMIT_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": SubmitBody.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "an input file"},
                        "format": {"type": "string", "description": "input format; default: detected"},
                        "gene": {"type": "string", "description": "context gene of the statements"},
                        "name": {"type": "string"},
                        "min_confidence": {
                            "type": "number",
                            "minimum": 0,
                            "maximum": 1,
                            "description": MIN_CONFIDENCE_HELP,
                        },
                        "convention": {"type": "string", "description": CONVENTION_HELP},
                    },
                }
            },
        },
    }
}


bearer = HTTPBearer(auto_error=False, description="GENERX_API_TOKEN")


def authorized(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """Let the request through only with the configured bearer token (compared in constant time)."""
    token: str = request.app.state.api_token
    if credentials is None or not secrets.compare_digest(credentials.credentials.encode(), token.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing or wrong bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )


def _validation_message(err: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}" for error in err.errors()
    )


router = APIRouter()


def _store(request: Request) -> Store:
    return request.app.state.store


def _config(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[Store, Depends(_store)]
SettingsDep = Annotated[Settings, Depends(_config)]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI app; ConfigurationError when no API token is configured."""
    settings = settings or get_settings()
    if not settings.api_token:
        raise ConfigurationError("set GENERX_API_TOKEN: the HTTP API does not run without a token")
    app = FastAPI(
        title="generx",
        version=__version__,
        description="Submit gene function statements; read back signed, grounded relations.",
        # FastAPI's own pages load their scripts from a CDN: blank on a deployment without internet.
        docs_url=None,
        redoc_url=None,
    )
    app.state.api_token = settings.api_token
    app.state.settings = settings
    app.state.store = jobs.open_store(settings, migrate=True)
    for error, code in ERROR_STATUS.items():
        app.add_exception_handler(error, _error_response(code))
    for error in (OperationalError, InterfaceError, DatabaseUnavailable):
        app.add_exception_handler(error, _database_down)
    app.include_router(router)
    return app


# Named errors and the status each is answered with (the message is the error's own).
ERROR_STATUS: dict[type[Exception], int] = {
    SubmissionTooLarge: status.HTTP_413_CONTENT_TOO_LARGE,
    InvalidSubmission: 422,
    JobNotFound: status.HTTP_404_NOT_FOUND,
    BrokerUnavailable: status.HTTP_503_SERVICE_UNAVAILABLE,
}


def _error_response(code: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def respond(_: Request, err: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(err)}, status_code=code)

    return respond


async def _database_down(_: Request, err: Exception) -> JSONResponse:
    log.warning("database unavailable: %s", err)
    return JSONResponse(
        {"detail": DATABASE_DOWN},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": "30"},
    )


@router.get("/health")
def health(store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """ "ok" when the database and the broker answer, else "degraded" with 503 (no token needed; the
    reason is logged, never shown)."""
    try:
        with store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        with Connection(settings.broker_url, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1)
    except Exception as err:
        log.warning("health check: %s: %s", type(err).__name__, err)
        return JSONResponse({"status": "degraded"}, status_code=503)
    return JSONResponse({"status": "ok"})


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(docs_page(request.app.openapi()))


@router.post(
    "/jobs",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobOut,
    dependencies=[Depends(authorized)],
    openapi_extra=SUBMIT_OPENAPI,
)
async def submit_job(request: Request, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """Submit statements as JSON, or an input file as multipart/form-data (field ``file``).

    413 for a body over GENERX_MAX_UPLOAD_BYTES, a file that inflates past
    GENERX_MAX_INFLATED_BYTES, or more than GENERX_MAX_STATEMENTS statements; 422 for a body
    that is not a submission."""
    length = request.headers.get("content-length")
    if length is not None and not length.isdigit():
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="invalid Content-Length header")
    if length is not None and int(length) > settings.max_upload_bytes:
        raise SubmissionTooLarge(
            f"the submission of {length} bytes exceeds the limit of {settings.max_upload_bytes}"
        )
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        job_id = await _submit_json(request, settings)
    elif content_type.startswith("multipart/form-data"):
        job_id = await _submit_file(request, settings)
    else:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            detail="send application/json or multipart/form-data with a 'file' field",
        )
    return (await run_in_threadpool(store.status, job_id)).to_dict()


@router.get("/jobs/{job_id}", response_model=JobOut, dependencies=[Depends(authorized)])
def get_job(job_id: str, store: StoreDep) -> dict[str, Any]:
    """The job's state (queued, running, done, failed) and progress."""
    return store.status(job_id).to_dict()


@router.get(
    "/jobs/{job_id}/relations",
    response_model=RelationsOut,
    dependencies=[Depends(authorized)],
    responses={200: {"content": {EXPORTS[name].media_type: {} for name in FORMATS}}},
)
def get_relations(
    job_id: str,
    store: StoreDep,
    gene: Annotated[str | None, Query(description="approved symbol or HGNC id on either side")] = None,
    process: Annotated[
        str | None, Query(description="GO biological process (id or name) on either side")
    ] = None,
    function: Annotated[
        str | None, Query(description="GO molecular function (id or name) on either side")
    ] = None,
    component: Annotated[
        str | None, Query(description="GO cellular component (id or name) on either side")
    ] = None,
    family: Annotated[
        str | None, Query(description="gene family, an HGNC gene group (id or name), on either side")
    ] = None,
    predicate: str | None = None,
    negated: bool | None = None,
    min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    format: Annotated[
        str | None,
        Query(description=f"export every relation at once in one of: {', '.join(FORMATS)}"),
    ] = None,
) -> Any:
    """The job's relation records in statement order, a page at a time; with ``format``, all of
    them as one file in that format (INDRA, BEL, SIF, CX, GraphML, KGX, BioC, PubTator, ...)."""
    where = RelationFilter(
        gene=gene,
        process=process,
        function=function,
        component=component,
        family=family,
        predicate=predicate,
        negated=negated,
        min_confidence=min_confidence,
    )
    if format is not None:
        return _export(store, job_id, format, where)
    records, next_cursor = store.relations_page(job_id, where=where, limit=limit, cursor=cursor)
    return {"job_id": job_id, "relations": records, "next_cursor": next_cursor}


def _export(store: Store, job_id: str, fmt: str, where: RelationFilter) -> StreamingResponse:
    if fmt not in EXPORTS:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            detail=f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}",
        )
    store.status(job_id)  # JobNotFound -> 404 before any byte is sent
    documents = (
        store.iter_documents(job_id, where=where)
        if EXPORTS[fmt].needs_text
        else documents_from_records(store.iter_relations(job_id, where=where))
    )
    # Written to a spooled file (disk past 8 MiB), so a million relations keep memory flat.
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115  (closed by chunks())
    try:
        write_export(documents, spool, fmt=fmt)  # type: ignore[arg-type]
    except ValueError as err:
        spool.close()
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, detail=str(err)) from err
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while chunk := spool.read(1 << 16):
                yield chunk

    filename = f"{job_id}{EXPORTS[fmt].suffix}"
    return StreamingResponse(
        chunks(),
        media_type=EXPORTS[fmt].media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def _capped_body(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    """The request body as it arrives; SubmissionTooLarge as soon as it passes ``limit`` bytes (whatever
    Content-Length said)."""
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise SubmissionTooLarge(f"the submission exceeds the limit of {limit} bytes")
        yield chunk


async def _spool(request: Request, limit: int) -> IO[bytes]:
    """The request body in a temporary file (in memory up to SPOOL_BYTES), positioned at its start."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115  (closed by the caller)
    try:
        async for chunk in _capped_body(request, limit):
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def _json_statements(body: IO[bytes], settings: Settings) -> str:
    """Read, check and submit a JSON submission (in a worker thread: parsing must not block the loop)."""
    try:
        payload = json.load(body)
    except (ValueError, RecursionError) as err:  # JSONDecodeError, 5,000-digit ints, 50,000-deep nesting
        reason = "nested too deeply" if isinstance(err, RecursionError) else str(err)
        detail = f"the body is not valid JSON: {reason}"
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=detail) from err
    try:
        envelope = _Envelope.model_validate(payload)
    except ValidationError as err:
        raise InvalidSubmission(_validation_message(err)) from err
    del payload
    # Taken off the front as they are stored, so what is stored is no longer held.
    items = deque(envelope.statements)
    envelope.statements = []

    def statements() -> Iterator[Statement]:
        index = 0
        while items:
            raw = items.popleft()
            try:
                item = StatementIn.model_validate(raw)
            except ValidationError as err:
                message = _validation_message(err)
                raise InvalidSubmission(f"statements.{index}.{message}") from err
            statement = Statement(
                id=item.id or str(index + 1),
                text=item.text,
                gene=item.gene or envelope.gene,
                entities=None
                if item.entities is None
                else tuple(GivenEntity(**entity.model_dump()) for entity in item.entities),
            )
            problem = statement_problem(statement)
            if problem:
                raise InvalidSubmission(f"statements.{index}: {problem}")
            yield statement
            index += 1

    return jobs.submit(
        statements(),
        name=envelope.name,
        min_confidence=envelope.min_confidence,
        convention=envelope.convention,
        settings=settings,
    )


def _check_upload(file: IO[bytes], settings: Settings) -> None:
    """SubmissionTooLarge when the upload inflates past GENERX_MAX_INFLATED_BYTES or holds more than
    GENERX_MAX_LINES lines: one pass at the speed of zlib, before any statement is parsed or stored."""
    file.seek(0)
    gzipped = file.read(2) == b"\x1f\x8b"
    file.seek(0)
    stream: IO[bytes] = gzip.GzipFile(fileobj=file, mode="rb") if gzipped else file  # type: ignore[assignment]
    size = lines = 0
    try:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            lines += chunk.count(b"\n")
            if size > settings.max_inflated_bytes:
                raise SubmissionTooLarge(
                    f"the upload inflates to more than {settings.max_inflated_bytes} bytes"
                )
            if lines > settings.max_lines:
                raise SubmissionTooLarge(f"the upload has more than {settings.max_lines} lines")
    except (OSError, EOFError):
        pass  # a broken gzip stream: the reader names the problem as it reads
    file.seek(0)


async def _submit_json(request: Request, settings: Settings) -> str:
    body = await _spool(request, settings.max_upload_bytes)
    with body:
        return await run_in_threadpool(_json_statements, body, settings)


def _form_number(key: str, value: str | None) -> float | None:
    """A form field's number; InvalidSubmission for text that is not one."""
    if value is None:
        return None
    try:
        return float(value)
    except ValueError as err:
        raise InvalidSubmission(f"the form field {key!r} must be a number, not {value[:100]!r}") from err


async def _submit_file(request: Request, settings: Settings) -> str:
    parser = MultiPartParser(request.headers, _capped_body(request, settings.max_upload_bytes), max_files=1)
    try:
        form = await parser.parse()
    except MultiPartException as err:
        raise InvalidSubmission(f"a malformed form: {err.message}") from err
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidSubmission("the form has no file in its 'file' field")
        fields: dict[str, str | None] = {}
        for key in ("format", "gene", "name", "min_confidence", "convention"):
            value = form.get(key)
            if value is not None and not isinstance(value, str):
                raise InvalidSubmission(f"the form field {key!r} must be text, not a file")
            fields[key] = value or None
        min_confidence = _form_number("min_confidence", fields["min_confidence"])
        filename = Path(upload.filename or "upload.txt").name

        def read_and_submit() -> str:
            # Before the upload is read: a submission refused for its options costs nothing.
            jobs.check_options(min_confidence, fields["convention"])
            _check_upload(upload.file, settings)
            statements = jobs.read_stream(
                upload.file, name=filename, gene=fields["gene"], fmt=fields["format"], settings=settings
            )
            return jobs.submit(
                statements,
                name=fields["name"] or filename,
                min_confidence=min_confidence,
                convention=fields["convention"],
                settings=settings,
            )

        return await run_in_threadpool(read_and_submit)
    finally:
        await form.close()
