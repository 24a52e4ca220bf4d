"""Hostile values stay text; the PDF engine fetches nothing and attaches nothing.

Parameter values carrying Jinja, HTML, CSS or Markdown must come out of
both writers exactly as typed, and change no structure: the same
paragraphs and styles in the DOCX, the same elements in the HTML the PDF is
laid out from.  A real HTTP server on 127.0.0.1 records every request, so
"never requested" is observed, not assumed.
"""

from __future__ import annotations

import http.server
import threading
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from docx import Document as open_docx
from pypdf import PdfReader

from generator.errors import RenderError
from generator.model import Document
from generator.output import safe_stem
from generator.pipeline import Options, build, contract_layers, prepare
from generator.writers import pdf
from generator.writers.html import render_html

from .conftest import FORM_A, STANDARD, docx_blocks, pdf_body, run_cli, squash


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with a tiny stylesheet and remembers its path."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads ``hits``."""


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server for the length of one test: its base URL and the paths requested."""
    hits: ClassVar[list[str]] = []
    handler = type("Handler", (Recorder,), {"hits": hits})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.timeout = 5
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def hostile_values(url: str) -> dict[str, str]:
    """Dotted key → a value that would be code or markup if it were ever interpreted."""
    return {
        "contract_no": "HX-{{ 7*7 }}-<i>",
        "title": "售后处理时效协议书<script>alert(1)</script>",
        "customer.name": "{{ 7*7 }}{% if true %}真{% endif %}<b>粗</b>有限公司",
        "customer.address": f'<img src="{url}/img.png">',
        "customer.representative": f'<link rel="attachment" href="{url}/secret.txt">',
        "customer.phone": "<style>body { display: none }</style>",
        "customer.email": f"**粗体** _斜体_ [链接]({url}/md) `code`",
        "scope.products": f'</p><h2>伪造条款</h2><p style="background: url({url}/bg)">',
        "signing.place": "- 列表项 1. 编号 > 引用 # 标题",
        "complaint_channels": f"{{{{ cycler.__init__.__globals__ }}}} @import url({url}/import);",
    }


def contract(values: dict[str, str], folder: Path) -> Path:
    """Form A with ``values`` written into a parameter file (as YAML, quoted by the dumper)."""
    tree = yaml.safe_load(FORM_A.read_text(encoding="utf-8"))
    for key, value in values.items():
        if key == "complaint_channels":
            tree[key] = [{"kind": "online", "value": value}]
            continue
        node = tree
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    folder.mkdir(exist_ok=True)
    path = folder / "client.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    return path


def generate(values: dict[str, str], folder: Path) -> Path:
    out = folder / "out"
    result = run_cli(
        "generate", contract(values, folder), "--base", STANDARD, "-o", out, "-f", "docx", "-f", "pdf"
    )
    assert result.exit_code == 0, result.output
    return out / safe_stem(values["contract_no"])


class Tags(HTMLParser):
    """The element structure of an HTML document: start tags with their attribute names.

    The writer's own ``<span class="nohyph">`` around a URL or an e-mail address (which
    English hyphenation must not split) is left out: it holds the value as text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if (tag, attrs) != ("span", [("class", "nohyph")]):
            self.tags.append(f"{tag}[{','.join(name for name, _ in attrs)}]")


def elements(values: dict[str, str], folder: Path) -> list[str]:
    """The elements of the HTML that the PDF is laid out from."""
    layers = contract_layers(contract(values, folder), (STANDARD,), ())
    document = build(prepare(layers, Options()), Options())
    parser = Tags()
    parser.feed(render_html(document, standalone=False))
    return parser.tags


def test_hostile_values_appear_literally_and_change_no_structure(
    server: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, hits = server
    values = hostile_values(url)
    benign = {key: f"普通文字{n}" for n, key in enumerate(values)}
    stem = generate(values, tmp_path / "hostile")
    plain = generate(benign, tmp_path / "benign")

    words = [v for k, v in values.items() if k != "contract_no"]
    docx_text = "\n".join(docx_blocks(stem.with_suffix(".docx")))
    header = open_docx(str(stem.with_suffix(".docx"))).sections[0].header.paragraphs[0].text
    pdf_text = pdf_body(stem.with_suffix(".pdf"), f"合同编号：{values['contract_no']}")
    for value in words:
        assert value in docx_text
        assert squash(value) in pdf_text
    assert values["contract_no"] in header
    assert "49真" not in docx_text

    # The same paragraphs in the same styles, the same HTML elements.
    def styles(docx: Path) -> list[str]:
        return [p.style.name for p in open_docx(str(docx)).paragraphs]

    assert styles(stem.with_suffix(".docx")) == styles(plain.with_suffix(".docx"))
    assert elements(values, tmp_path / "hostile") == elements(benign, tmp_path / "benign")

    assert hits == []
    assert attachments(stem.with_suffix(".pdf")) == {}


def attachments(path: Path) -> dict[str, list[bytes]]:
    """The files embedded in a PDF, as pypdf finds them (its document-level EmbeddedFiles)."""
    return dict(PdfReader(path).attachments)


@pytest.fixture(scope="module")
def document_and_html() -> tuple[Document, str]:
    layers = contract_layers(FORM_A, (STANDARD,), ())
    prepared = prepare(layers, Options())
    document = build(prepared, Options())
    return document, render_html(document, standalone=False)


ROOTS = prepare(contract_layers(FORM_A, (STANDARD,), ()), Options()).library.roots


def inject(html: str, markup: str) -> str:
    """The contract's HTML with ``markup`` added, as a broken template would add it."""
    return html.replace("<body>", f"<body>{markup}", 1)


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="{url}/img.png">',
        '<link rel="stylesheet" href="{url}/style.css">',
        "<style>@import url({url}/import.css);</style>",
        '<p style="background: url({url}/bg.png)">x</p>',
        '<embed src="{url}/embed.svg">',
        '<object data="{url}/object.svg"></object>',
        '<svg><image href="{url}/image.png" width="10" height="10"/></svg>',
    ],
)
def test_the_pdf_engine_requests_no_url(
    markup: str, server: tuple[str, list[str]], document_and_html: tuple[Document, str]
) -> None:
    url, hits = server
    document, html = document_and_html
    # Some URLs are fetched as the page is laid out, others (an SVG's images) as it is written.
    with pytest.raises(RenderError, match=f"refused to fetch {url}"):
        pdf.write(pdf.layout(inject(html, markup.replace("{url}", url)), ROOTS), document)
    assert hits == []
    # The server does answer: a plain client's request is recorded.
    with urllib.request.urlopen(f"{url}/probe", timeout=5) as response:
        assert response.status == 200
    assert hits == ["/probe"]


@pytest.mark.parametrize(
    "src",
    ["file:///etc/hostname", "../../../../../../etc/hostname", "file://otherhost/etc/hostname"],
)
def test_the_pdf_engine_reads_no_file_outside_its_folders(
    src: str, document_and_html: tuple[Document, str]
) -> None:
    _, html = document_and_html
    with pytest.raises(RenderError, match="refused to fetch"):
        pdf.layout(inject(html, f'<img src="{src}">'), ROOTS)


def test_a_symlink_out_of_a_clause_folder_is_refused(
    tmp_path: Path, document_and_html: tuple[Document, str]
) -> None:
    (tmp_path / "escape.svg").symlink_to("/etc/hostname")
    _, html = document_and_html
    link = (tmp_path / "escape.svg").as_uri()
    with pytest.raises(RenderError, match="refused to fetch"):
        pdf.layout(inject(html, f'<img src="{link}">'), (*ROOTS, tmp_path))


def test_only_files_inside_the_folders_can_be_attached(
    tmp_path: Path, document_and_html: tuple[Document, str]
) -> None:
    document, html = document_and_html
    inside = ROOTS[0] / "html" / "contract.css"
    # A file inside the template folder is served (and pypdf does see an attachment) ...
    allowed = pdf.write(
        pdf.layout(inject(html, f'<link rel="attachment" href="{inside.as_uri()}">'), ROOTS), document
    )
    (tmp_path / "allowed.pdf").write_bytes(allowed)
    assert list(attachments(tmp_path / "allowed.pdf")) == ["contract.css"]
    # ... any other file stops the writing with the project's error.
    laid_out = pdf.layout(inject(html, '<link rel="attachment" href="file:///etc/passwd">'), ROOTS)
    with pytest.raises(RenderError, match="refused to fetch file:///etc/passwd"):
        pdf.write(laid_out, document)


@pytest.mark.parametrize(
    ("contract_no", "stem"),
    [
        ("HX-AS-2026-0158", "HX-AS-2026-0158"),
        ("../../etc/passwd", "_._etc_passwd"),
        ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
        ("..", "contract"),
        ("...", "contract"),
        (" . ", "contract"),
        ("CON", "_CON"),
        ("con.2026", "_con.2026"),
        ("LPT9", "_LPT9"),
        ("COM1 ", "_COM1"),
        ("com¹", "_com¹"),
        ("CONIN$", "_CONIN$"),
        ("con .2026", "_con .2026"),
        ("合同/2026：第1号", "合同_2026：第1号"),
        ("x" * 300, "x" * 120),
        ("合" * 64, "合" * 40),
    ],
)
def test_file_names_from_contract_numbers_are_safe(contract_no: str, stem: str) -> None:
    assert safe_stem(contract_no) == stem
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert len(stem.encode()) <= 120


def test_a_contract_number_cannot_write_outside_the_output_folder(tmp_path: Path) -> None:
    client = tmp_path / "client.yaml"
    client.write_text(
        FORM_A.read_text(encoding="utf-8").replace("HX-AS-2026-0158", "'../../escaped'"), encoding="utf-8"
    )
    out = tmp_path / "a" / "b" / "out"
    result = run_cli("generate", client, "--base", STANDARD, "-o", out, "-f", "docx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["_._escaped.docx"]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["_._escaped.docx", "client.yaml"]
