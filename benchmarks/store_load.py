"""The team server's store under load: 50 contracts saved at once, on SQLite and on PostgreSQL.

    python benchmarks/store_load.py [--saves N]

Each save runs in its own thread through the service layer (validation
over the company standard, the playbook, one transaction with its audit
entries), all released together by a barrier, as the web app's thread pool
would run 50 requests arriving at once.  Reports the error rate (target: 0)
and the median and 95th-percentile latency.  PostgreSQL is a throwaway
cluster, as in the tests.  (The same over HTTP is added with the API.)
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from run import BASE, CONTRACT, Report  # noqa: E402

from generator.params import file_layer  # noqa: E402
from generator.store import accounts, contracts  # noqa: E402
from generator.store.database import open_store  # noqa: E402
from generator.store.roles import OPERATOR  # noqa: E402
from tests.store.postgres import PostgresUnavailable, cluster  # noqa: E402

SAVES = 50
SALES_USERS = 5


def saves(url: str, count: int) -> tuple[list[float], list[str]]:
    """Save ``count`` contracts at once on the store at ``url``: each one's seconds, and the errors."""
    store = open_store(url, bases=(file_layer(BASE, "base"),), pool_size=count)
    try:
        users = [
            accounts.add_user(store, OPERATOR, f"sales{i}", "sales", "bench-password")
            for i in range(SALES_USERS)
        ]
        own = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
        start = threading.Barrier(count)
        seconds: list[float] = []
        errors: list[str] = []

        def save(index: int) -> None:
            params = copy.deepcopy(own)
            params["contract_no"] = f"HX-LOAD-{index:04}"
            params["timeliness"] = {
                "response_hours": 12 + index % 24,  # some inside the playbook, some outside
                "onsite_hours": 48,
                "inspection_hours": 72,
                "return_hours": 24,
            }
            start.wait()
            began = time.perf_counter()
            try:
                contracts.save_contract(store, users[index % SALES_USERS], params)
                seconds.append(time.perf_counter() - began)
            except Exception as error:  # every failure counts, whatever it is
                errors.append(f"{type(error).__name__}: {error}")

        threads = [threading.Thread(target=save, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return seconds, errors
    finally:
        store.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=SAVES, help=f"contracts saved at once (default {SAVES})")
    count = parser.parse_args().saves
    report = Report()
    report.section(f"team server store: {count} contracts saved at once, service layer (ms per save)")
    results: dict[str, tuple[list[float], list[str]]] = {}
    with tempfile.TemporaryDirectory(prefix="agreement-store-bench-") as folder:
        results["SQLite"] = saves(f"sqlite:///{folder}/agreement.db", count)
    try:
        with cluster() as postgres:
            results["PostgreSQL"] = saves(postgres.new_database(), count)
    except PostgresUnavailable as error:
        report.line("PostgreSQL", f"could not start: {str(error).splitlines()[0]}", "errors = 0", False)
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
