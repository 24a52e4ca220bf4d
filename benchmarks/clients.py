"""The benchmark's client rows: deterministic, varied like a real client list.

Every row differs in its party details, number and date.  Two scenarios for
the time limits: four standard offers (two of them form B), so a batch draws
four distinct flowcharts, as a list of a few standard offers would; or every
row its own limits, as when sales customise them per client, so that no two
rows share a flowchart.
"""

from __future__ import annotations

import csv
from pathlib import Path

CITIES = (
    ("浙江省", "杭州市", "0571"),
    ("江苏省", "苏州市", "0512"),
    ("江苏省", "南京市", "025"),
    ("浙江省", "宁波市", "0574"),
    ("安徽省", "合肥市", "0551"),
    ("江苏省", "无锡市", "0510"),
    ("广东省", "深圳市", "0755"),
)
TRADES = ("明远商贸", "瑞丰精密机械", "恒信电子", "华泰物流", "金石建材", "博远科技", "东升医疗器械")
STREETS = ("文三路", "星湖街", "中山北路", "解放东路", "长江西路", "人民中路", "深南大道")
PEOPLE = ("王芳", "陈刚", "李娜", "张伟", "刘洋", "赵敏", "周杰", "吴静", "孙磊")

#: (response, on-site, inspection, return) hours, delay explanation, opinion collected.
OFFERS = (
    ((24, 48, 72, 24), "promptly", False),
    ((1, 24, 48, 24), "in_advance", True),
    ((4, 24, 72, 48), "promptly", False),
    ((8, 48, 96, 48), "in_advance", True),
)


#: Rows of the "own limits" scenario with distinct (response, on-site) pairs, so distinct charts.
OWN_LIMITS_MAX = 24 * 48


def own_limits(i: int) -> tuple[tuple[int, int, int, int], str, bool]:
    """Row ``i``'s own limits: response 1–24 h, on-site 24–71 h, no pair twice below ``OWN_LIMITS_MAX``."""
    response, onsite = 1 + i % 24, 24 + (i // 24) % 48
    inspection, back = 48 + i % 49, 12 + i % 37
    return (response, onsite, inspection, back), ("promptly", "in_advance")[i % 2], i % 3 == 0


def client_rows(count: int, scenario: str = "offers") -> list[dict[str, str]]:
    """``count`` rows keyed by dotted parameter keys, the same on every run.

    ``scenario`` is ``offers`` (four standard offers) or ``own`` (every row its own limits).
    """
    if scenario == "own" and count > OWN_LIMITS_MAX:
        raise ValueError(f"at most {OWN_LIMITS_MAX} rows have limits of their own")
    rows = []
    for i in range(count):
        province, city, area = CITIES[i % len(CITIES)]
        trade = TRADES[(i // len(CITIES)) % len(TRADES)]
        offer = own_limits(i) if scenario == "own" else OFFERS[i % len(OFFERS)]
        (response, onsite, inspection, back), delay, opinion = offer
        rows.append(
            {
                "contract_no": f"BM-2026-{i + 1:05d}",
                "customer.name": f"{city[:-1]}{trade}有限公司（{i + 1}）",
                "customer.address": f"{province}{city}{STREETS[i % len(STREETS)]} {10 + i % 390} 号",
                "customer.representative": PEOPLE[i % len(PEOPLE)],
                "customer.phone": f"{area}-{8000 + i % 2000:04d} {1000 + (i * 37) % 9000:04d}",
                "customer.email": f"service{i + 1}@client-{i % 97}.example.cn",
                "timeliness.response_hours": str(response),
                "timeliness.onsite_hours": str(onsite),
                "timeliness.inspection_hours": str(inspection),
                "timeliness.return_hours": str(back),
                "timeliness.explain_delay": delay,
                "process.collect_opinion": "true" if opinion else "false",
                "signing.date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
            }
        )
    return rows


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    """The rows as the CSV table ``agreement batch`` reads."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def assignments(row: dict[str, str]) -> tuple[str, ...]:
    """The row as ``--set`` assignments (values parsed as in a parameter file)."""
    return tuple(f"{key}={value}" for key, value in row.items())
