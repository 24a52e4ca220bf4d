"""The team server's store under load: 50 contracts saved at once, on SQLite and on PostgreSQL.

    python benchmarks/store_load.py [--saves N]

1. through the service layer: each save in its own thread (validation over
   the company standard, the playbook, one transaction with its audit
   entries), all released together by a barrier, as the web app's thread
   pool would run 50 requests arriving at once;
2. over HTTP: ``agreement serve --db URL`` started for real (``web_load``'s
   ``serving``), 50 ``POST /api/contracts`` at once, each with a sales
   user's API token.

Reports the error rate (target: 0) and the median and 95th-percentile
latency of each.  PostgreSQL is a throwaway cluster, as in the tests.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from run import BASE, CONTRACT, Report, agreement  # noqa: E402
from web_load import serving  # noqa: E402

from generator.params import file_layer  # noqa: E402
from generator.store import accounts, contracts  # noqa: E402
from generator.store.database import open_store  # noqa: E402
from generator.store.roles import OPERATOR  # noqa: E402
from tests.store.postgres import PostgresUnavailable, cluster  # noqa: E402

SAVES = 50
SALES_USERS = 5


def _params(own: dict[str, object], index: int) -> dict[str, object]:
    """The example contract as contract ``index``: some inside the playbook, some outside."""
    params = copy.deepcopy(own)
    params["contract_no"] = f"HX-LOAD-{index:04}"
    params["timeliness"] = {
        "response_hours": 12 + index % 24,
        "onsite_hours": 48,
        "inspection_hours": 72,
        "return_hours": 24,
    }
    return params


def _at_once(count: int, save: Callable[[int], None]) -> None:
    """Run ``save(i)`` for ``count`` indices, each in a thread, all released together."""
    start = threading.Barrier(count)

    def released(index: int) -> None:
        start.wait()
        save(index)

    threads = [threading.Thread(target=released, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def saves(url: str, count: int, over_http: bool) -> tuple[list[float], list[str]]:
    """Save ``count`` contracts at once on the store at ``url``: each one's seconds, and the errors."""
    store = open_store(url, bases=(file_layer(BASE, "base"),), pool_size=count)
    try:
        users = [
            accounts.add_user(store, OPERATOR, f"sales{i}", "sales", "bench-password")
            for i in range(SALES_USERS)
        ]
        tokens = [accounts.issue_token(store, OPERATOR, user.name) for user in users]
    except BaseException:
        store.close()
        raise
    own = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    seconds: list[float] = []
    errors: list[str] = []

    def timed(action: Callable[[], object]) -> None:
        """Time ``action``; a failure (an exception, or the text it returns) is an error."""
        began = time.perf_counter()
        try:
            outcome = action()
            error = outcome if isinstance(outcome, str) else None
        except Exception as failure:  # every failure counts, whatever it is
            error = f"{type(failure).__name__}: {failure}"
        if error is None:
            seconds.append(time.perf_counter() - began)
        else:
            errors.append(error)

    if not over_http:
        try:
            _at_once(
                count,
                lambda i: timed(
                    lambda: contracts.save_contract(store, users[i % SALES_USERS], _params(own, i))
                ),
            )
        finally:
            store.close()
        return seconds, errors
    store.close()
    body = json.loads(json.dumps(own, default=str))
    with serving(agreement(), 1, "--db", url) as server, httpx.Client(timeout=120) as client:

        def post(index: int) -> str | None:
            answer = client.post(
                f"{server}/api/contracts",
                json=_params(body, index),
                headers={"Authorization": f"Bearer {tokens[index % SALES_USERS]}"},
            )
            return None if answer.status_code == 201 else f"HTTP {answer.status_code}: {answer.text[:200]}"

        _at_once(count, lambda i: timed(lambda: post(i)))
    return seconds, errors


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=SAVES, help=f"contracts saved at once (default {SAVES})")
    count = parser.parse_args().saves
    report = Report()
    for over_http, how in ((False, "service layer"), (True, "HTTP POST /api/contracts, agreement serve")):
        report.section(f"team server: {count} contracts saved at once, {how} (ms per save)")
        show(report, count, measure(count, over_http))


def measure(count: int, over_http: bool) -> dict[str, tuple[list[float], list[str]]]:
    """Saves on a fresh SQLite store and on a fresh database of a throwaway PostgreSQL cluster."""
    results: dict[str, tuple[list[float], list[str]]] = {}
    with tempfile.TemporaryDirectory(prefix="agreement-store-bench-") as folder:
        results["SQLite"] = saves(f"sqlite:///{folder}/agreement.db", count, over_http)
    try:
        with cluster() as postgres:
            results["PostgreSQL"] = saves(postgres.new_database(), count, over_http)
    except PostgresUnavailable as error:
        results["PostgreSQL"] = ([], [f"could not start: {str(error).splitlines()[0]}"] * count)
    return results


def show(report: Report, count: int, results: dict[str, tuple[list[float], list[str]]]) -> None:
    for name, (seconds, errors) in results.items():
        report.line(f"{name}: error rate", f"{len(errors)}/{count}", "= 0", not errors)
        if seconds:
            report.line(
                f"{name}: latency p95",
                f"{p95(seconds) * 1000:.0f} ms (median {statistics.median(seconds) * 1000:.0f})",
            )
        for error in dict.fromkeys(errors):
            print(f"    {error}")


if __name__ == "__main__":
    main()
