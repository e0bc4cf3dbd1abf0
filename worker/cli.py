"""The ``generx`` command: extract in-process, or submit to and read from the job service.

``generx extract`` needs no services. ``submit``, ``status`` and ``results`` talk to the database (and
``submit`` to the broker) named by GENERX_DATABASE_URL and GENERX_BROKER_URL; ``worker`` and ``api``
run the service's processes.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from generx.exports import Document, documents_from_records
from generx.exports.formats import EXPORTS, FORMATS, write_export
from generx.pipelines.errors import GenerxError, InvalidStatement
from generx.worker.errors import (
    BrokerUnavailable,
    ConfigurationError,
    DatabaseUnavailable,
    InvalidSubmission,
    JobNotFound,
)
from generx.worker.settings import Settings, check_api_token, get_settings
from generx.worker.store import PipelineOptions, RelationFilter

app = typer.Typer(
    name="generx",
    help="Extract signed, grounded gene–gene and gene–process relations from gene function statements.",
    no_args_is_help=True,
    add_completion=False,
)
# Exit statuses: 0 all went well, 1 some statements failed, 2 usage error or unreadable input.
OK, SOME_FAILED, USAGE = 0, 1, 2


OutputFormat = StrEnum("OutputFormat", {name: name for name in FORMATS})  # type: ignore[misc]
JSONL = OutputFormat("jsonl")


def _fail(message: str, code: int = USAGE) -> typer.Exit:
    typer.echo(f"generx: {message}", err=True)
    return typer.Exit(code)


def _settings() -> Settings:
    try:
        return get_settings()
    except ConfigurationError as err:
        raise _fail(str(err)) from err


def _loader_options(min_confidence: float | None, convention: str | None) -> dict[str, Any]:
    """What the command line passes to the pipeline loader (nothing it did not set, so that any loader
    that takes no options still works)."""
    return PipelineOptions(min_confidence=min_confidence, convention=convention).loader_kwargs()


def _load(settings: Settings, *, min_confidence: float | None, convention: str | None) -> Any:
    from generx.worker.nlp import get_nlp

    return get_nlp(settings.pipeline_loader, **_loader_options(min_confidence, convention))


def _progress() -> Progress:
    # Quiet when stderr is a pipe or a file: no bar codes in logs.
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not sys.stderr.isatty(),
        transient=True,
    )


def _rate(count: float, started: float) -> str:
    elapsed = time.perf_counter() - started
    return f"{count / elapsed:.1f}/s" if elapsed > 0 and count else ""


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return (
        f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"
    )


@contextmanager
def _output(out: Path | None) -> Iterator[BinaryIO]:
    if out is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    try:
        handle = out.open("wb")
    except OSError as err:
        raise _fail(f"cannot write {out}: {err}") from err
    with handle:
        yield handle


def _write(documents: Iterable[Document], out: Path | None, fmt: str) -> int:
    """Write the documents in ``fmt``; a format that cannot hold them is a usage error, named."""
    with _output(out) as handle:
        try:
            return write_export(documents, handle, fmt=fmt)
        except ValueError as err:
            raise _fail(f"cannot write {fmt}: {err}") from err


PathArg = Annotated[str, typer.Argument(help="input file, or - for standard input")]
MinConfidenceOpt = Annotated[
    float | None,
    typer.Option(
        "--min-confidence",
        min=0.0,
        max=1.0,
        help="report only relations whose calibrated confidence reaches this (default: the model's own)",
    ),
]
ConventionOpt = Annotated[
    str | None,
    typer.Option(
        "--convention",
        help="whose way of reading relations the relation model follows: general (default: the corpora"
        " pooled), or one corpus's: biored, genia, bioinfer",
    ),
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="jsonl, tsv; indra, bel, sif, cx, graphml, kgx (tools); bioc, pubtator (documents); html, svg",
    ),
]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="write here instead of standard output")]
InputFormatOpt = Annotated[
    str | None, typer.Option("--input-format", help="input format (default: detected from the file)")
]


@app.command()
def extract(
    path: PathArg,
    fmt: FormatOpt = JSONL,
    gene: Annotated[
        str | None,
        typer.Option("--gene", help="the gene the statements are about (a GenAtlas page's symbol)"),
    ] = None,
    input_format: InputFormatOpt = None,
    out: OutOpt = None,
    min_confidence: MinConfidenceOpt = None,
    convention: ConventionOpt = None,
    processes: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="pipeline processes on this machine (forked from this one, which loads the pipeline once)",
        ),
    ] = 1,
) -> None:
    """Extract relations in-process (no services) and write one record per relation.

    The input is read, processed and written a batch at a time: memory does not grow with its size.
    """
    from generx.pipelines.extract import extract as run_extract
    from generx.pipelines.statements import Statement, read_statements
    from generx.worker.local import PipelineProcessDied, PipelineProcesses

    settings = _settings()
    started = time.perf_counter()
    try:
        items = read_statements(path, gene=gene, fmt=input_format)
    except (OSError, ValueError) as err:
        raise _fail(f"cannot read {path}: {err}") from err
    counts = {"statements": 0, "relations": 0, "errors": 0}

    def statements() -> Iterator[Statement]:
        for item in items:
            counts["statements"] += 1
            if isinstance(item, InvalidStatement):
                counts["errors"] += 1
                typer.echo(f"generx: error: {item}", err=True)
            else:
                yield item

    with ExitStack() as stack:
        if processes > 1:
            try:
                # Started before the progress bar: where they are forked, the processes are forked from
                # this one with the pipeline loaded (it is loaded here, once), before any other thread.
                pool = stack.enter_context(
                    PipelineProcesses(
                        settings.pipeline_loader,
                        processes=processes,
                        options=_loader_options(min_confidence, convention),
                    )
                )
            except (GenerxError, OSError) as err:
                raise _fail(f"cannot load the pipeline: {err}") from err
            results = pool.extract(statements(), batch_size=settings.batch_size)
        else:
            try:
                nlp = _load(settings, min_confidence=min_confidence, convention=convention)
            except (GenerxError, OSError) as err:
                raise _fail(f"cannot load the pipeline: {err}") from err
            results = run_extract(nlp, statements(), batch_size=settings.batch_size)

        def documents(progress: Progress) -> Iterator[Document]:
            # The total is unknown while the input streams: the bar counts statements and shows the rate.
            task = progress.add_task("extracting", total=None, rate="")
            for done, result in enumerate(results, start=1):
                progress.update(task, completed=done, rate=_rate(done, started))
                if result.error:
                    counts["errors"] += 1
                    typer.echo(f"generx: error: {result.statement.id}: {result.error}", err=True)
                    continue
                counts["relations"] += len(result.relations)
                statement = result.statement
                yield Document(
                    statement.id, statement.text, statement.gene, result.mentions, result.relations
                )

        try:
            with _progress() as progress:
                _write(documents(progress), out, fmt.value)
        except PipelineProcessDied as err:
            raise _fail(str(err), SOME_FAILED) from err
    typer.echo(
        f"generx: {counts['statements']} statements, {counts['relations']} relations, "
        f"{counts['errors']} errors in {time.perf_counter() - started:.1f} s",
        err=True,
    )
    raise typer.Exit(SOME_FAILED if counts["errors"] else OK)


@app.command()
def evaluate(
    corpus: Annotated[
        Path, typer.Argument(help="gold corpus: PPI XML, PubTator, BioC, standoff, BEL, generx")
    ],
    gold_format: Annotated[
        str | None,
        typer.Option("--format", help="ppi, pubtator, bioc, standoff, bel or generx (default: detected)"),
    ] = None,
    mode: Annotated[
        str,
        typer.Option(
            "--mode", help="given-entities, end-to-end, or auto (given entities when the corpus has them)"
        ),
    ] = "auto",
    report: Annotated[
        Path | None, typer.Option("--report", help="write the full report: .md or .json")
    ] = None,
    min_confidence: MinConfidenceOpt = None,
    convention: ConventionOpt = None,
) -> None:
    """Score generx against a gold corpus in its own format: P/R/F1 by pair, direction and sign."""
    from generx.evaluation import GoldFormatError, UnsupportedMode, write_report
    from generx.evaluation import evaluate as run_evaluate

    settings = _settings()
    try:
        nlp = _load(settings, min_confidence=min_confidence, convention=convention)
    except (GenerxError, OSError) as err:
        raise _fail(f"cannot load the pipeline: {err}") from err
    try:
        result = run_evaluate(corpus, fmt=gold_format, mode=mode, nlp=nlp)
    except (GoldFormatError, UnsupportedMode, OSError) as err:
        raise _fail(str(err)) from err
    typer.echo(result.to_markdown(max_errors=0))
    if report is not None:
        write_report(result, report)


@app.command()
def submit(
    path: PathArg,
    wait: Annotated[bool, typer.Option("--wait", help="wait for the job, with a progress bar")] = False,
    gene: Annotated[str | None, typer.Option("--gene", help="the gene the statements are about")] = None,
    input_format: InputFormatOpt = None,
    name: Annotated[str | None, typer.Option("--name", help="a name for the job")] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="give up waiting after so many s")
    ] = None,
    min_confidence: MinConfidenceOpt = None,
    convention: ConventionOpt = None,
) -> None:
    """Submit a file's statements as a job; print the job id. The workers read them with the job's
    --min-confidence and --convention, as ``generx extract`` would (default: the workers' own)."""
    from generx.worker import jobs

    settings = _settings()
    try:
        job_id = jobs.submit_path(
            path,
            gene=gene,
            fmt=input_format,
            name=name,
            min_confidence=min_confidence,
            convention=convention,
            settings=settings,
        )
    except InvalidSubmission as err:
        raise _fail(str(err)) from err
    except GenerxError as err:
        raise _fail(str(err), SOME_FAILED) from err
    typer.echo(job_id)
    if not wait:
        return
    with _progress() as progress:
        task = progress.add_task(f"job {job_id[:8]}", total=None, rate="")

        def show(current: Any) -> None:
            rate = f"{current.rate:.1f}/s" if current.rate else ""
            progress.update(task, total=current.total, completed=current.done, rate=rate)

        try:
            final = jobs.wait(job_id, timeout=timeout, on_progress=show, settings=settings)
        except TimeoutError as err:
            raise _fail(str(err), SOME_FAILED) from err
    typer.echo(
        f"generx: job {job_id} {final.state}: {final.total} statements, {final.relations} relations, "
        f"{final.errors} errors",
        err=True,
    )
    raise typer.Exit(OK if final.state == "done" and not final.errors else SOME_FAILED)


@app.command()
def status(job: Annotated[str, typer.Argument(help="job id")]) -> None:
    """Print a job's state and progress as JSON (done/total, rate, eta_seconds), and a line for people
    on standard error."""
    from generx.worker import jobs

    try:
        current = jobs.status(job, settings=_settings())
    except JobNotFound as err:
        raise _fail(str(err)) from err
    except DatabaseUnavailable as err:
        raise _fail(str(err), SOME_FAILED) from err
    typer.echo(json.dumps(current.to_dict(), indent=2))
    line = f"generx: job {current.id} {current.state}: {current.done}/{current.total} statements"
    if current.min_confidence is not None:
        line += f", min confidence {current.min_confidence:g}"
    if current.convention is not None:
        line += f", {current.convention} convention"
    if current.rate:
        line += f", {current.rate:.1f}/s"
    if current.eta_seconds and not current.finished:
        line += f", about {_duration(current.eta_seconds)} left"
    if current.error:
        line += f" ({current.error})"
    typer.echo(line, err=True)


@app.command()
def resume(job: Annotated[str, typer.Argument(help="job id")]) -> None:
    """Queue again now every unfinished chunk of a job nobody is running (after an outage, or a job
    failed because the broker was away when it was submitted)."""
    from generx.worker import jobs

    settings = _settings()
    try:
        queued = jobs.resume(job, settings=settings)
    except JobNotFound as err:
        raise _fail(str(err)) from err
    except BrokerUnavailable as err:
        raise _fail(str(err), SOME_FAILED) from err
    typer.echo(f"generx: job {job}: {queued} chunk{'' if queued == 1 else 's'} queued", err=True)


@app.command()
def results(
    job: Annotated[str, typer.Argument(help="job id")],
    fmt: FormatOpt = JSONL,
    gene: Annotated[
        str | None, typer.Option("--gene", help="only relations with this gene (symbol or id)")
    ] = None,
    process: Annotated[
        str | None, typer.Option("--process", help="only relations with this GO process")
    ] = None,
    function: Annotated[
        str | None, typer.Option("--function", help="only relations with this GO molecular function")
    ] = None,
    component: Annotated[
        str | None, typer.Option("--component", help="only relations with this GO cellular component")
    ] = None,
    family: Annotated[
        str | None, typer.Option("--family", help="only relations with this gene family (HGNC gene group)")
    ] = None,
    predicate: Annotated[str | None, typer.Option("--predicate", help="only this predicate")] = None,
    negated: Annotated[
        bool | None, typer.Option("--negated/--affirmed", help="only negated / affirmed")
    ] = None,
    min_confidence: Annotated[float | None, typer.Option("--min-confidence", min=0.0, max=1.0)] = None,
    out: OutOpt = None,
) -> None:
    """Write a job's relation records, filtered."""
    from generx.worker import jobs

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
    settings = _settings()
    try:
        current = jobs.status(job, settings=settings)
        with _progress() as progress:
            started = time.perf_counter()
            if EXPORTS[fmt.value].needs_text:
                task = progress.add_task("statements", total=current.done - current.errors, rate="")
                documents: Iterable[Document] = _counted(
                    jobs.documents(job, where=where, settings=settings), progress, task, started
                )
            else:
                task = progress.add_task("relations", total=current.relations, rate="")
                records = _counted(
                    jobs.relations(job, where=where, settings=settings), progress, task, started
                )
                documents = documents_from_records(records)
            _write(documents, out, fmt.value)
    except JobNotFound as err:
        raise _fail(str(err)) from err


def _counted(items: Iterable[Any], progress: Progress, task: Any, started: float) -> Iterator[Any]:
    for count, item in enumerate(items, start=1):
        progress.update(task, completed=count, rate=_rate(count, started))
        yield item


@app.command()
def schema() -> None:
    """Print the JSON Schema of the relation record (in the repository: schema/relation.schema.json)."""
    from generx.record import json_schema_text

    sys.stdout.write(json_schema_text())


@app.command()
def report(
    source: Annotated[str, typer.Argument(help="a job id, or a JSON Lines file of relation records")],
    out: Annotated[Path, typer.Option("--output", "-o", help="the HTML file to write")],
    svg: Annotated[
        Path | None, typer.Option("--svg", help="also write the network picture alone, as SVG")
    ] = None,
) -> None:
    """Write a self-contained HTML report: summary, relations, evidence and the gene network."""
    from generx.exports.report import write_network_svg, write_report

    summary: dict[str, Any]
    if Path(source).is_file():
        summary = {"source": Path(source).name}

        def documents() -> Iterator[Document]:
            return documents_from_records(_read_records(Path(source)))
    else:
        from generx.worker import jobs

        settings = _settings()
        try:
            current = jobs.status(source, settings=settings)
        except JobNotFound as err:
            raise _fail(f"{source} is neither a file nor a job: {err}") from err
        summary = {"job": current.id, "state": current.state, "errors": current.errors}

        def documents() -> Iterator[Document]:
            return jobs.documents(source, settings=settings)

    with _output(out) as handle:
        rows = write_report(documents(), handle, title=f"generx: {Path(source).name}", summary=summary)
    if svg is not None:
        with _output(svg) as handle:
            write_network_svg(documents(), handle)
    typer.echo(f"generx: wrote {out} ({rows} relations in the table)", err=True)


def _read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The relation records of a JSON Lines file; a line that is not a record is a usage error."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise _fail(f"{path}:{number}: not JSON: {err}") from err
            if not isinstance(record, dict) or "predicate" not in record:
                raise _fail(f"{path}:{number}: not a relation record")
            yield record


@app.command()
def worker(
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", "-c", min=1, help="pool processes (GENERX_WORKER_CONCURRENCY)"),
    ] = None,
    pool: Annotated[str, typer.Option("--pool", help="Celery pool: prefork or solo")] = "prefork",
    loglevel: Annotated[str, typer.Option("--loglevel", "-l")] = "info",
    hostname: Annotated[str | None, typer.Option("--hostname", "-n")] = None,
) -> None:
    """Run a Celery worker on the job queue (each pool process loads the pipeline once)."""
    from generx.worker.celery_app import app as celery

    settings = _settings()
    from generx.worker.store import get_store

    try:
        # Before the worker takes any chunk: a database it cannot write would swallow them.
        get_store(settings.database_url).check()
    except DatabaseUnavailable as err:
        raise _fail(str(err)) from err
    from celery.utils.log import mlevel

    # Started as an object rather than through Celery's command line (``worker_main``), which imports
    # every installed Celery command plugin (Flower with Tornado and Prometheus, the REPL's
    # prompt_toolkit): some 20 MB in this process that each pool process, forked from it, would carry.
    try:
        level = mlevel(loglevel)
    except KeyError as err:
        raise _fail(f"unknown log level {loglevel!r}") from err
    instance = celery.Worker(
        hostname=hostname,
        pool_cls=pool,
        loglevel=level,
        concurrency=concurrency or settings.worker_concurrency,
        queues=[settings.queue],
    )
    instance.start()
    raise typer.Exit(instance.exitcode or 0)


@app.command()
def api(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
) -> None:
    """Serve the HTTP API (needs GENERX_API_TOKEN)."""
    import uvicorn

    settings = _settings()
    try:
        check_api_token(settings.api_token, host)
    except ConfigurationError as err:
        raise _fail(str(err)) from err
    logging.basicConfig(level=logging.INFO)
    uvicorn.run("generx.worker.api:create_app", factory=True, host=host, port=port)
