"""The HTML report and the network SVG: self-contained, escaped, highlighted, and working in a browser.

The unit tests read the written bytes. The integration test opens the report in headless Chromium
(Debian ``chromium`` and ``chromium-driver``, driven by selenium) to check what only a browser shows:
the page renders, the filters hide rows, and the network is drawn.
"""

from __future__ import annotations

import io
import json
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from generx.exports import Document, documents_from_records
from generx.exports.report import PREDICATE_COLOURS, highlight_evidence, write_network_svg, write_report
from tests.conftest import DATA

RECORDS = DATA / "exports" / "records.jsonl"
SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in RECORDS.read_text().splitlines() if line.strip()]


def report(documents: list[Document] | None = None, **options: Any) -> str:
    out = io.BytesIO()
    write_report(documents or list(documents_from_records(records())), out, title="IL2 report", **options)
    return out.getvalue().decode("utf-8")


def network() -> ET.Element:
    out = io.BytesIO()
    write_network_svg(documents_from_records(records()), out)
    return ET.fromstring(out.getvalue())


def grounded_nodes() -> dict[str, str]:
    """Each grounded argument id of the fixture and its type."""
    return {arg["id"]: arg["type"] for record in records() for arg in (record["subject"], record["object"])}


# --- unit tests -------------------------------------------------------------------------------------


def test_fixture_covers_every_predicate_and_flag() -> None:
    rows = records()
    assert {row["predicate"] for row in rows} == set(PREDICATE_COLOURS)
    assert any(row["negated"] for row in rows) and any(row["hedged"] for row in rows)


def test_report_fetches_nothing_from_outside() -> None:
    page = report()
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", page, flags=re.IGNORECASE)
    assert not re.search(r"""\b(?:src|href)\s*=|<link\b|@import|url\(\s*['"]?(?!#)""", page)


def test_report_returns_rows_and_summarises_every_relation() -> None:
    out = io.BytesIO()
    written = write_report(
        documents_from_records(records()), out, title="t", summary={"job": "job-42", "state": "done"}
    )
    page = out.getvalue().decode()
    assert written == 16 == page.count("<tr data-predicate=")
    assert "<th>job</th><td>job-42</td>" in page and "<th>state</th><td>done</td>" in page
    statements = len({record["statement_id"] for record in records()})
    for key, value in {
        "relations": 16,
        "statements": statements,
        "distinct molecular functions": 1,
        "distinct cellular components": 2,
        "distinct gene families": 1,
        "negated": 1,
        "hedged": 1,
        "implicit": 2,
    }.items():
        assert f"<th>{key}</th><td>{value}</td>" in page
    assert re.search(r"negatively_regulates</th><td>2</td>", page)


def test_report_escapes_statement_text() -> None:
    evil = "<script>alert('x')</script> PRDM1 represses IL2"
    relation = {
        "statement_id": "evil<1>",
        "subject": {
            "text": "PRDM1",
            "start": 29,
            "end": 34,
            "type": "gene",
            "id": "HGNC:9346",
            "name": "PRDM1",
        },
        "predicate": "negatively_regulates",
        "object": {
            "text": "IL2",
            "start": 44,
            "end": 47,
            "type": "gene",
            "id": "HGNC:6001",
            "name": "<b>IL2",
        },
        "negated": False,
        "hedged": False,
        "implicit": False,
        "trigger": {"text": "represses", "start": 35, "end": 44},
        "evidence": {"text": evil, "start": 0, "end": len(evil)},
        "confidence": 0.9,
    }
    page = report([Document(id="evil<1>", text=evil, relations=[relation])], summary={"note": "<img>"})
    assert page.count("<script") == 1  # the page's own filter script, nothing else
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<b>IL2" not in page and "&lt;b&gt;IL2" in page and "<img>" not in page
    assert "evil&lt;1&gt;" in page
    relation["subject"]["name"] = "PRDM1\x00\ud800"  # a NUL would break the SVG's XML, a surrogate UTF-8
    svg = io.BytesIO()
    write_network_svg([Document(id="x", relations=[relation])], svg)
    titles = [title.text for title in ET.fromstring(svg.getvalue()).iter(f"{SVG}title")]
    assert "PRDM1 (HGNC:9346)" in titles and "<b>IL2 (HGNC:6001)" in titles


def test_evidence_marks_subject_object_and_trigger() -> None:
    prdm1 = next(record for record in records() if record["subject"]["name"] == "PRDM1")
    marked = highlight_evidence(prdm1)
    assert '<mark class="subject" data-label="subj gene">PRDM1</mark>' in marked
    assert '<mark class="object" data-label="obj gene">IL2</mark>' in marked
    assert '<mark class="trigger" data-label="trigger">negatively regulate</mark>' in marked
    assert re.sub(r"<[^>]+>", "", marked) == prdm1["evidence"]["text"]
    # an implicit argument has no offsets and nothing in the evidence to mark
    implicit = next(record for record in records() if record["implicit"])
    assert 'class="subject"' not in highlight_evidence(implicit)
    assert highlight_evidence(implicit).count("<mark") == 2


def test_table_is_truncated_but_counts_stay_whole() -> None:
    page = report(max_rows=5)
    assert page.count("<tr data-predicate=") == 5
    assert 'id="truncated"' in page and "first 5 of 16 relations" in page
    assert "<th>relations</th><td>16</td>" in page


def test_network_svg_has_one_node_per_gene_or_process_and_coloured_edges() -> None:
    root = network()
    assert root.tag == f"{SVG}svg"
    nodes = {g.get("data-id"): g.get("class") for g in root.iter(f"{SVG}g") if g.get("data-id")}
    assert nodes == {node_id: f"node {kind}" for node_id, kind in grounded_nodes().items()}
    edges = [path for path in root.iter(f"{SVG}path") if path.get("class") == "edge"]
    assert {edge.get("data-predicate") for edge in edges} == set(PREDICATE_COLOURS)
    for edge in edges:
        assert edge.get("stroke") == PREDICATE_COLOURS[edge.get("data-predicate", "")]
    dashed = [edge for edge in edges if edge.get("stroke-dasharray")]
    assert len(dashed) == 1 and "HGNC:3488" in (dashed[0].findtext(f"{SVG}title") or "")  # ETS1, negated
    directed = {edge.get("data-predicate"): edge.get("marker-end") for edge in edges}
    assert directed["positively_regulates"] == "url(#end-positively_regulates)"
    assert directed["binds"] is None
    for predicate in ("enables", "located_in", "part_of", "member_of"):  # gene -> GO term or family, directed
        assert directed[predicate] == f"url(#end-{predicate})"
    caption = root.findtext(f"{SVG}desc") or ""
    assert "1 molecular functions, 2 cellular components, 1 gene families and" in caption


def test_go_terms_and_families_have_their_own_shapes_and_legend_rows() -> None:
    root = network()
    # a node is <g><title/>shape<text/></g>
    shapes = {g.get("data-id"): list(g)[1] for g in root.iter(f"{SVG}g") if g.get("data-id")}
    assert shapes["HGNC:391"].tag == f"{SVG}circle" and shapes["GO:0042098"].tag == f"{SVG}rect"
    corners = {
        node_id: len(shapes[node_id].get("points", "").split())
        for node_id in ("GO:0004674", "GO:0005739", "GO:0016592", "HGNC.FAMILY:488")
        if shapes[node_id].tag == f"{SVG}polygon"
    }
    # a diamond, hexagons, a triangle
    assert corners == {"GO:0004674": 4, "GO:0005739": 6, "GO:0016592": 6, "HGNC.FAMILY:488": 3}
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    labels = [text.text for text in legend.iter(f"{SVG}text")]
    assert labels[-5:] == ["gene", "process", "molecular function", "cellular component", "gene family"]
    assert {"enables", "located_in", "part_of", "member_of"} <= set(labels)
    # the legend, a row per predicate and per type, still fits in the smallest picture (two nodes)
    out = io.BytesIO()
    write_network_svg(documents_from_records([r for r in records() if r["predicate"] == "member_of"]), out)
    small = ET.fromstring(out.getvalue())
    small_legend = next(g for g in small.iter(f"{SVG}g") if g.get("class") == "legend")
    top = float((small_legend.get("transform") or "").split(",")[1].rstrip(")"))
    box = next(small_legend.iter(f"{SVG}rect"))
    assert top + float(box.get("height") or 0) <= float(small.get("height") or 0)
    page = report()
    assert '<span class="arg component">mitochondrion</span>' in page
    assert '<span class="arg function">protein serine/threonine kinase activity</span>' in page
    assert '<span class="arg family">Claudins</span>' in page


def test_network_counts_relations_is_deterministic_and_capped() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    assert write_network_svg(documents_from_records(records()), first) == 16
    write_network_svg(documents_from_records(records()), second)
    assert first.getvalue() == second.getvalue()
    capped = io.BytesIO()
    write_network_svg(documents_from_records(records()), capped, max_nodes=3)
    root = ET.fromstring(capped.getvalue())
    assert len([g for g in root.iter(f"{SVG}g") if g.get("data-id")]) == 3
    assert "showing the 3 most connected of" in (root.findtext(f"{SVG}desc") or "")


def test_empty_report_and_network() -> None:
    page = report([Document(id="nothing")])
    assert "<th>relations</th><td>0</td>" in page and "no grounded relations to draw" in page


# --- in a browser -----------------------------------------------------------------------------------


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered scanlines of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, idat, header = 8, b"", b""
    while offset < len(data):
        (length,), kind = struct.unpack(">I", data[offset : offset + 4]), data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), f"unexpected PNG format depth={depth} colour={colour}"
    channels = 3 if colour == 2 else 4
    stride, raw = width * channels, zlib.decompress(idat)
    lines, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        lines.append(bytes(line))
        previous = line
    return width, height, [bytes(line[i] for i in range(len(line)) if i % channels < 3) for line in lines]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium under selenium, with the Debian binaries named so nothing is downloaded."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: run `apt-get install -y chromium chromium-driver`")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as err:
        pytest.fail(f"selenium is not installed ({err}): run `pip install selenium`")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1200,1000")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.mark.integration
def test_report_renders_filters_and_draws_in_headless_chromium(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(report(), encoding="utf-8")
    with chromium() as driver:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        driver.get(path.as_uri())
        assert driver.title == "IL2 report"
        # nothing was fetched: the page is self-contained
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
        rows = driver.find_elements(By.CSS_SELECTOR, "#relations tbody tr")

        def visible() -> int:
            return sum(row.is_displayed() for row in rows)

        assert len(rows) == len(records()) == visible()
        text = driver.find_element(By.ID, "filter-text")
        text.send_keys("IRF4")  # matches any column: IRF4's own row and REL's, whose evidence names IRF4
        assert visible() == 2
        assert all("IRF4" in row.text for row in rows if row.is_displayed())
        assert driver.find_element(By.ID, "row-count").text == f"2 of {len(rows)} rows shown"
        text.clear()
        text.send_keys("PRDM1")
        assert visible() == 1
        text.clear()
        text.send_keys(" ")  # clear() fires no input event; a blank query shows all rows again
        assert visible() == len(rows)

        predicate = Select(driver.find_element(By.ID, "filter-predicate"))
        predicate.select_by_value("negatively_regulates")
        assert visible() == sum(r["predicate"] == "negatively_regulates" for r in records()) == 2
        predicate.select_by_value("")
        confidence = driver.find_element(By.ID, "filter-confidence")
        confidence.clear()
        confidence.send_keys("0.8")
        assert visible() == sum(r["confidence"] >= 0.8 for r in records())
        confidence.clear()
        confidence.send_keys("0")
        driver.find_element(By.ID, "filter-negated").click()
        assert visible() == len(rows) - 1

        png = driver.find_element(By.ID, "network-svg").screenshot_as_png
    width, height, lines = decode_png(png)
    pixels = [line[i : i + 3] for line in lines for i in range(0, len(line), 3)]
    drawn = sum(pixel != b"\xff\xff\xff" for pixel in pixels)
    assert width > 300 and height > 200
    assert drawn > 0.03 * width * height, f"only {drawn} drawn pixels in the {width}x{height} network"
    green = sum(g > r + 60 and g > b + 40 for r, g, b in pixels)  # positively_regulates edges
    red = sum(r > g + 80 and r > b + 80 for r, g, b in pixels)  # negatively_regulates edges
    assert green > 100 and red > 50, (green, red)


def test_the_network_keeps_a_bounded_edge_table_but_counts_every_relation() -> None:
    from generx.exports.report import _Network

    network = _Network(max_edges=2)
    for target in ("B", "C", "D", "E", "B"):
        network.add({"subject": {"id": "A"}, "predicate": "binds", "object": {"id": target}})
    assert len(network.edges) == 2 and network.unkept == 2
    assert network.relations == 5 and network.degree["A"] == 5 and network.degree["B"] == 2
