"""The attachment's flowchart: built from this contract's terms, the same in both outputs."""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document as open_docx

from .conftest import FORM_A, FORM_B, STANDARD, generate, pdf_pages, run_cli, squash

CONTRACT = "HX-AS-2026-0158"
ALL_BUT_ONSITE = (
    "[installation, remote_support, factory_repair, replacement, consultation, maintenance, other]"
)


def chart(tmp_path: Path, *sets: str, suffix: str = "svg") -> str:
    target = tmp_path / f"chart.{suffix}"
    args = [a for s in sets for a in ("--set", s)]
    result = run_cli("flowchart", FORM_A, "--base", STANDARD, "-o", target, *args)
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8") if suffix == "svg" else ""


def attachment_page(folder: Path) -> str:
    return squash(pdf_pages(folder / f"{CONTRACT}.pdf")[-1])


def structure(svg: str) -> tuple[set[tuple[str, str]], dict[str, list[str]], dict[str, list[float]]]:
    """The chart's edges, each node's or frame's text lines, and each one's bounding box (SVG points)."""
    edges: set[tuple[str, str]] = set()
    texts: dict[str, list[str]] = {}
    boxes: dict[str, list[float]] = {}
    for kind, title, body in re.findall(
        r'<g id="\w+" class="(node|edge|cluster)">\s*<title>(.*?)</title>(.*?)</g>', svg, re.S
    ):
        name = html.unescape(title)
        if kind == "edge":
            tail, head = name.split("->")
            edges.add((tail, head))
            continue
        texts[name] = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", body)]
        numbers = [
            float(n)
            for n in re.findall(r"-?\d+\.?\d*", " ".join(re.findall(r'(?:points|d)="([^"]*)"', body)))
        ]
        xs, ys = numbers[0::2], numbers[1::2]
        boxes[name] = [min(xs), min(ys), max(xs), max(ys)]
    return edges, texts, boxes


def inside(inner: list[float], outer: list[float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


@pytest.mark.parametrize("form", [FORM_A, FORM_B])
def test_branches_carry_out_the_plan_and_end_in_the_feedback(tmp_path: Path, form: Path) -> None:
    target = tmp_path / "chart.svg"
    assert run_cli("flowchart", form, "--base", STANDARD, "-o", target).exit_code == 0
    edges, texts, boxes = structure(target.read_text(encoding="utf-8"))
    assert edges == {
        ("complaint", "confirm"),
        ("confirm", "plan"),
        ("plan", "remote"),
        ("plan", "onsite"),
        ("plan", "inspect"),
        ("inspect", "repair"),
        ("repair", "return"),
        ("remote", "feedback"),
        ("onsite", "feedback"),
        ("return", "feedback"),
    }
    # The branches are drawn inside the frame named 执行方案, no node of that name.
    assert texts["cluster_execute"] == ["执行方案"] and "execute" not in texts
    for step in ("remote", "onsite", "inspect", "repair", "return"):
        assert inside(boxes[step], boxes["cluster_execute"]), step
    assert not inside(boxes["feedback"], boxes["cluster_execute"])


@pytest.mark.parametrize(("form", "hours"), [(FORM_A, (24, 48, 72, 24)), (FORM_B, (1, 24, 48, 24))])
def test_every_limit_of_the_text_is_on_its_step(
    tmp_path: Path, form: Path, hours: tuple[int, int, int, int]
) -> None:
    generate(tmp_path, contract=form, formats=("pdf",))
    body = squash("".join(pdf_pages(next(tmp_path.glob("*.pdf")))[:-1]))
    response, onsite, inspection, back = (f"{h}小时" for h in hours)
    # 2.2 states these four limits; the chart shows each on the step it bounds.
    for limit in (response, onsite, inspection, back):
        assert limit in body
    target = tmp_path / "chart.svg"
    assert run_cli("flowchart", form, "--base", STANDARD, "-o", target).exit_code == 0
    _, texts, boxes = structure(target.read_text(encoding="utf-8"))
    # The response limit covers responding, confirming the problem and telling the plan (2.2(1)).
    assert texts["cluster_response"] == [f"≤ {response}"]
    assert inside(boxes["confirm"], boxes["cluster_response"]) and inside(
        boxes["plan"], boxes["cluster_response"]
    )
    assert not inside(boxes["complaint"], boxes["cluster_response"])
    assert texts["onsite"] == ["上门服务", f"≤ {onsite}"]
    assert texts["inspect"] == ["返厂检测并提供维修方案", f"≤ {inspection}"]
    assert texts["return"] == ["返还产品", f"≤ {back}"]


def test_without_a_branch_the_plan_is_carried_out_then_reported(tmp_path: Path) -> None:
    svg = chart(tmp_path, "scope.services=[installation, consultation]")
    edges, texts, _ = structure(svg)
    assert ("plan", "execute") in edges and ("execute", "feedback") in edges
    assert texts["execute"] == ["执行方案"] and "cluster_execute" not in texts


LIMIT_SETS = [
    (),
    ("timeliness.response_hours=7", "timeliness.onsite_hours=111", "timeliness.return_hours=11"),
    ("timeliness.clock=working", "timeliness.working_hours=09:00-18:00", "timeliness.response_hours=2"),
]


def prepared_chart(form: Path, sets: tuple[str, ...]) -> tuple[Any, Any]:
    from generator.params import file_layer, set_layers
    from generator.pipeline import Options, prepare

    layers = [file_layer(STANDARD, "base"), file_layer(form, "contract"), *set_layers(sets)]
    prepared = prepare(layers, Options())
    return prepared.params.agreement, prepared.labels


@pytest.mark.parametrize("form", [FORM_A, FORM_B])
@pytest.mark.parametrize("sets", LIMIT_SETS)
def test_shape_layout_draws_what_a_fresh_layout_draws(form: Path, sets: tuple[str, ...]) -> None:
    from generator.appendix.drawing import run_dot
    from generator.appendix.flowchart import build_figure, flowchart_source

    agreement, locale = prepared_chart(form, sets)
    ours = build_figure(agreement, locale).svg.decode().splitlines()
    fresh = run_dot(flowchart_source(agreement, locale), "svg").decode().splitlines()
    assert len(ours) == len(fresh)
    differing = [(a, b) for a, b in zip(ours, fresh, strict=True) if a != b]
    # Only the response limit may sit elsewhere: centred where its widest label
    # was, where a fresh layout right-aligns it, at most a point apart.
    for a, b in differing:
        anchor = r'<text text-anchor="middle" x="([-\d.]+)"'
        assert re.sub(anchor, "", a) == re.sub(anchor, "", b) and "≤" in a
        assert abs(float(re.findall(anchor, a)[0]) - float(re.findall(anchor, b)[0])) <= 1
    assert len(differing) <= 1


@pytest.mark.parametrize("sets", LIMIT_SETS)
def test_shape_picture_is_a_fresh_picture_but_for_the_limits_own_pixels(sets: tuple[str, ...]) -> None:
    from PIL import Image, ImageChops, ImageDraw

    from generator.appendix.drawing import greys_png, run_dot
    from generator.appendix.flowchart import PNG_DPI, build_figure, flowchart_source

    agreement, locale = prepared_chart(FORM_B, sets)
    source = flowchart_source(agreement, locale)
    fresh = greys_png(Image.open(io.BytesIO(run_dot(source, "png", PNG_DPI))).convert("L"), PNG_DPI)
    ours, theirs = (
        Image.open(io.BytesIO(png)).convert("L") for png in (build_figure(agreement, locale).png, fresh)
    )
    assert ours.size == theirs.size
    # Where each limit is written (from the fresh SVG): FreeType and cairo may
    # put its glyphs a pixel apart; everywhere else the pixels are the same.
    scale = PNG_DPI / 72
    svg = run_dot(source, "svg").decode()
    dx, dy = (float(v) for v in re.findall(r"translate\(([\d.]+) ([\d.]+)\)", svg)[0])
    texts = re.findall(r'<text text-anchor="middle" x="([-\d.]+)" y="([-\d.]+)"[^>]*>≤ ', svg)
    assert len(texts) == 4
    mask = Image.new("L", ours.size, 0)
    draw = ImageDraw.Draw(mask)
    for x, y in texts:
        px, py = (float(x) + dx) * scale, (float(y) + dy) * scale
        draw.rectangle((px - 260, py - 60, px + 260, py + 20), fill=255)
    difference = ImageChops.difference(ours, theirs)
    outside = ImageChops.subtract(difference, mask)
    assert outside.getbbox() is None

    # Inside, the same text: as much ink, to within a tenth.
    def ink(picture: Image.Image) -> int:
        return sum(Image.composite(picture, Image.new("L", picture.size, 255), mask).histogram()[:128])

    assert ink(ours) == pytest.approx(ink(theirs), rel=0.1)


def test_changed_onsite_limit_reaches_the_svg_and_the_pdf_attachment(tmp_path: Path) -> None:
    assert "≤ 48小时" in chart(tmp_path)
    faster = chart(tmp_path / "faster", "timeliness.onsite_hours=24")
    assert "≤ 48小时" not in faster and faster.count("≤ 24小时") == 3  # response, on-site, return

    generate(tmp_path / "pdf", "timeliness.onsite_hours=24", formats=("pdf",))
    page = attachment_page(tmp_path / "pdf")
    assert page.startswith("附件一：售后服务流程图")
    assert "上门服务≤24小时" in page and "48小时" not in page


def test_working_hours_clock_is_shown_on_the_steps(tmp_path: Path) -> None:
    svg = chart(tmp_path, "timeliness.clock=working", "timeliness.working_hours=09:00-18:00")
    assert "≤ 24个工作小时" in svg


def test_service_out_of_scope_has_no_node_and_no_limit(tmp_path: Path) -> None:
    svg = chart(tmp_path, f"scope.services={ALL_BUT_ONSITE}")
    assert "上门服务" not in svg and "48小时" not in svg
    assert "返厂检测并提供维修方案" in svg


def test_complaint_node_names_this_contracts_channels(tmp_path: Path) -> None:
    svg = chart(tmp_path, "complaint_channels=[{kind: wechat, value: 华信服务}]")
    assert "微信公众号" in svg and "服务电话" not in svg


def test_banded_png_redeflates_only_the_changed_bands_to_the_same_pixels() -> None:
    """A picture changed in a few rows: its PNG from the changed bands alone is the whole picture's."""
    from PIL import Image, ImageDraw

    from generator.appendix.drawing import PNG_GREYS, BandedPng

    base = Image.linear_gradient("L").resize((301, 250))
    changed = base.copy()
    ImageDraw.Draw(changed).rectangle((20, 70, 280, 100), fill=0)
    banded = BandedPng(base, 300)
    first = banded.bands(70, 100)
    top, bottom = banded.rows(first.start, first[-1])
    assert top <= 70 and bottom > 100 and (top, bottom) != (0, base.height)
    png = banded.with_bands({first.start: changed.crop((0, top, base.width, bottom))})

    def greys(picture: Image.Image) -> bytes:
        step = 255 // (PNG_GREYS - 1)
        return picture.point(lambda v: (v + step // 2) // step * step).tobytes()

    with Image.open(io.BytesIO(png)) as decoded:
        decoded.load()  # a bad checksum or deflate stream would fail here
        assert decoded.info["dpi"][0] == pytest.approx(300, abs=1)
        assert decoded.convert("L").tobytes() == greys(changed) != greys(base)
    assert png == BandedPng(changed, 300).with_bands({})


def test_docx_picture_is_the_svg_with_a_print_resolution_png_fallback(
    form_a: Path, tmp_path: Path, libreoffice: Callable[[Path], Path]
) -> None:
    from PIL import Image

    docx = form_a / f"{CONTRACT}.docx"
    with zipfile.ZipFile(docx) as package:
        document = package.read("word/document.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
        types = package.read("[Content_Types].xml").decode()
        (blip,) = re.findall(r'<a:blip r:embed="(\w+)">.*?<asvg:svgBlip [^>]*r:embed="(\w+)"/>', document)
        targets = dict(re.findall(r'Id="(\w+)"[^>]*Target="([^"]+)"', rels))
        png, svg = (package.read(f"word/{targets[rid]}") for rid in blip)
    # The very chart of the PDF: `agreement flowchart -o chart.svg` of the same contract.
    assert svg == chart(tmp_path).encode() and "≤ 72小时".encode() in svg
    assert 'ContentType="image/svg+xml"' in types
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.info["dpi"][0] == pytest.approx(300, abs=1)
    # The Open XML schema (with Office's extensions) accepts the picture and its parts.
    from openxml_audit import OpenXmlValidator

    errors = OpenXmlValidator().validate(str(docx)).errors
    about_picture = [e for e in errors if "/drawing[" in e.path or "media" in e.part_uri]
    assert not about_picture, about_picture
    # LibreOffice opens the file and prints the chart on the attachment page.
    copy = tmp_path / docx.name
    shutil.copy(docx, copy)
    printed = libreoffice(copy)
    listing = subprocess.run(["pdfimages", "-list", str(printed)], capture_output=True, text=True, check=True)
    pages = [line.split()[0] for line in listing.stdout.splitlines()[2:]]
    assert pages == [str(len(pdf_pages(printed)))]


def test_docx_holds_exactly_one_image_on_the_attachment_page(form_a: Path) -> None:
    document = open_docx(str(form_a / f"{CONTRACT}.docx"))
    assert len(document.inline_shapes) == 1
    paragraphs = document.paragraphs
    heading = next(i for i, p in enumerate(paragraphs) if p.style.name == "Attachment Heading")
    assert paragraphs[heading].paragraph_format.page_break_before
    assert paragraphs[heading].text == "附件一：售后服务流程图"
    picture = paragraphs[heading + 1]
    assert picture._p.xpath(".//pic:pic")
    assert all(not p._p.xpath(".//pic:pic") for p in paragraphs[: heading + 1])


def test_pdf_chart_labels_are_real_text_and_the_process_clause_refers_to_it(form_a: Path) -> None:
    page = attachment_page(form_a)
    for label in ("服务请求", "≤24小时", "响应并确认问题", "返厂检测并提供维修方案≤72小时", "反馈处理结果"):
        assert label in page
    body = squash("".join(pdf_pages(form_a / f"{CONTRACT}.pdf")[:-1]))
    assert "流程图见附件一" in body


def test_png_is_print_resolution(tmp_path: Path) -> None:
    from PIL import Image

    chart(tmp_path, suffix="png")
    with Image.open(tmp_path / "chart.png") as image:
        assert image.format == "PNG" and image.width > 1200


def test_wrong_suffix_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("flowchart", FORM_A, "--base", STANDARD, "-o", tmp_path / "chart.pdf")
    assert result.exit_code == 2 and ".svg or .png" in result.output
    assert not list(tmp_path.iterdir())


def test_missing_graphviz_names_the_package_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.appendix import flowchart

    # As in a new process: no chart and no shape drawn yet.
    flowchart._draw.cache_clear()
    flowchart.layout.cache_clear()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = run_cli(
        "generate", FORM_A, "--base", STANDARD, "-o", tmp_path / "out", "--set", "timeliness.onsite_hours=47"
    )
    assert result.exit_code == 1
    assert "apt-get install graphviz" in result.output
    assert not (tmp_path / "out").exists() or not os.listdir(tmp_path / "out")
