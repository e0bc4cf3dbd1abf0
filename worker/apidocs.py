"""The API's documentation page, rendered from its OpenAPI document on the server.

FastAPI's Swagger UI and ReDoc pages load their scripts from a CDN and are blank without internet;
this page is plain HTML with no script, so it works on an offline deployment. The full machine-readable
document stays at ``/openapi.json``.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font:13px ui-monospace,monospace;background:#f4f4f4;padding:.1em .3em}
pre{padding:.6em;overflow-x:auto} h2{margin-top:2rem;border-bottom:1px solid #ddd}
.method{font-weight:bold;text-transform:uppercase;margin-right:.5em}
table{border-collapse:collapse} td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}
"""


def _schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False)


def _operation(path: str, method: str, operation: dict[str, Any]) -> str:
    parts = [f"<h2><span class=method>{escape(method)}</span><code>{escape(path)}</code></h2>"]
    if operation.get("description") or operation.get("summary"):
        parts.append(f"<p>{escape(operation.get('description') or operation['summary'])}</p>")
    parameters = operation.get("parameters", [])
    if parameters:
        rows = "".join(
            f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
            f"<td>{'yes' if p.get('required') else ''}</td>"
            f"<td>{escape(p.get('description') or p.get('schema', {}).get('description', ''))}</td></tr>"
            for p in parameters
        )
        parts.append(f"<table><tr><th>parameter</th><th>in</th><th>required</th><th></th></tr>{rows}</table>")
    for media, content in operation.get("requestBody", {}).get("content", {}).items():
        schema = content.get("schema", {})
        parts.append(f"<p>Body, <code>{escape(media)}</code>:</p><pre>{escape(_schema_text(schema))}</pre>")
    responses = ", ".join(
        f"<code>{escape(code)}</code> {escape(response.get('description', ''))}"
        for code, response in operation.get("responses", {}).items()
    )
    parts.append(f"<p>Responses: {responses}</p>")
    return "\n".join(parts)


def docs_page(openapi: dict[str, Any]) -> str:
    """An HTML page listing every route of the OpenAPI document with its parameters, body and responses."""
    info = openapi.get("info", {})
    title = escape(f"{info.get('title', 'API')} {info.get('version', '')}".strip())
    sections = [
        _operation(path, method, operation)
        for path, methods in openapi.get("paths", {}).items()
        for method, operation in methods.items()
    ]
    schemas = openapi.get("components", {}).get("schemas", {})
    models = "".join(
        f"<h3 id='{escape(name)}'>{escape(name)}</h3><pre>{escape(_schema_text(schema))}</pre>"
        for name, schema in schemas.items()
    )
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{title}</h1>"
        f"<p>{escape(info.get('description', ''))}</p>"
        "<p>Every route but <code>/health</code> needs the header "
        "<code>Authorization: Bearer $GENERX_API_TOKEN</code>. "
        "The machine-readable document: <a href='/openapi.json'>/openapi.json</a>.</p>"
        + "\n".join(sections)
        + f"<h2>Schemas</h2>{models}</body></html>"
    )
