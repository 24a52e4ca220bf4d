"""The deviation report as text (a terminal), JSON (a script) or Markdown (a ticket, an e-mail)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .diff import Report

NOT_SET = "—"

HEADINGS = {
    "parameters": "参数差异 Parameters that differ",
    "clauses": "条款变化 Clauses whose text changes",
    "findings": "新增警告 Consistency warnings the client adds",
}
CHANGES = {"changed": "改变 changed", "added": "新增 added", "removed": "删除 removed"}


def value_text(value: Any) -> str:
    """A parameter value as a parameter file would spell it."""
    if value is None:
        return NOT_SET
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _clause_label(number: str, title: str) -> str:
    return f"{number} {title}" if number else title


def as_text(report: Report) -> str:
    lines = [
        "偏离报告 Deviation report",
        f"  standard: {report.standard}",
        f"  client:   {report.client}",
        "",
        f"{HEADINGS['parameters']} ({len(report.parameters)}):",
    ]
    lines += [f"  {p.key}: {value_text(p.standard)} → {value_text(p.client)}" for p in report.parameters] or [
        "  none"
    ]
    lines.append(f"{HEADINGS['clauses']} ({len(report.clauses)}):")
    lines += [f"  {_clause_label(c.number, c.title)} ({CHANGES[c.change]})" for c in report.clauses] or [
        "  none"
    ]
    lines.append(f"{HEADINGS['findings']} ({len(report.findings)}):")
    lines += [f"  {finding}" for finding in report.findings] or ["  none"]
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    data = {
        "standard": report.standard,
        "client": report.client,
        "parameters": [{"key": p.key, "standard": p.standard, "client": p.client} for p in report.parameters],
        "clauses": [
            {"key": c.key, "number": c.number, "title": c.title, "change": c.change} for c in report.clauses
        ],
        "findings": [
            {
                "code": f.rule.code,
                "severity": f.rule.severity,
                "key": f.rule.key,
                "zh": f.rule.zh,
                "en": f.rule.en,
            }
            for f in report.findings
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    if not rows:
        return ["无 None."]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return lines


def as_markdown(report: Report) -> str:
    lines = [
        "## 偏离报告 Deviation report",
        "",
        f"- Standard: `{report.standard}`",
        f"- Client: `{report.client}`",
        "",
        f"### {HEADINGS['parameters']} ({len(report.parameters)})",
        "",
        *_table(
            ("参数 Key", "标准 Standard", "客户 Client"),
            [(f"`{p.key}`", value_text(p.standard), value_text(p.client)) for p in report.parameters],
        ),
        "",
        f"### {HEADINGS['clauses']} ({len(report.clauses)})",
        "",
        *_table(
            ("条款 Clause", "变化 Change"),
            [(_clause_label(c.number, c.title), CHANGES[c.change]) for c in report.clauses],
        ),
        "",
        f"### {HEADINGS['findings']} ({len(report.findings)})",
        "",
        *_table(
            ("代码 Code", "级别 Severity", "参数 Key", "说明 Meaning"),
            [
                (f.rule.code, f.rule.severity, f"`{f.rule.key}`", f"{f.rule.zh} / {f.rule.en}")
                for f in report.findings
            ],
        ),
    ]
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[[Report], str]] = {"text": as_text, "json": as_json, "md": as_markdown}
