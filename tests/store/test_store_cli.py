"""``agreement users``, ``audit export``, ``backup`` and ``restore``, as a user runs them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner, Result

from generator.cli.main import cli
from generator.store import accounts, contracts
from generator.store.database import Store, open_store

from .helpers import PASSWORD, form_a, standard, user


def run(*args: str | Path, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], input=stdin, env=env, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_users_add_list_disable_and_token(store_url: str) -> None:
    added = run(
        "users",
        "add",
        "alice",
        "--role",
        "legal",
        "--password-stdin",
        "--db",
        store_url,
        stdin=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    prompted = run(
        "users", "add", "bob", "--role", "sales", "--db", store_url, stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert prompted.exit_code == 0, prompted.output
    again = run(
        "users",
        "add",
        "alice",
        "--role",
        "sales",
        "--password-stdin",
        "--db",
        store_url,
        stdin=PASSWORD + "\n",
    )
    assert (again.exit_code, again.stderr) == (1, "Error: user 'alice' already exists\n")
    listed = run("users", "list", "--db", store_url)
    assert [line.split("\t")[:3] for line in listed.stdout.splitlines()] == [
        ["alice", "legal", "active"],
        ["bob", "sales", "active"],
    ]
    token = run("users", "token", "bob", "--db", store_url).stdout.strip()
    store = open_store(store_url)
    try:
        assert accounts.authenticate(store, token).name == "bob"
        assert accounts.login(store, "alice", PASSWORD)[0].role == "legal"
        assert run("users", "disable", "bob", "--db", store_url).exit_code == 0
        assert "bob\tsales\tdisabled" in run("users", "list", "--db", store_url).stdout
    finally:
        store.close()


def test_mistakes_get_a_clear_message_and_no_traceback(tmp_path: Path) -> None:
    data = ["--data", str(tmp_path / "data")]
    wrong_role = run("users", "add", "carol", "--role", "boss", *data)
    assert wrong_role.exit_code == 2 and "'boss' is not one of 'sales', 'legal', 'admin'" in wrong_role.stderr
    short = run("users", "add", "carol", "--role", "sales", "--password-stdin", *data, stdin="short\n")
    assert short.exit_code == 1 and "the password must have 8 to" in short.stderr
    unknown = run("users", "disable", "ghost", *data)
    assert (unknown.exit_code, unknown.stderr) == (1, "Error: no user 'ghost'\n")
    unreachable = run("users", "list", "--db", "postgresql://app:s3cret@127.0.0.1:1/agreement")
    assert unreachable.exit_code == 1
    assert "cannot open the database postgresql://app:***@127.0.0.1:1/agreement" in unreachable.stderr
    assert "s3cret" not in unreachable.output
    both = run("users", "list", *data, "--db", "sqlite:///x.db")
    assert both.exit_code == 2 and "not both" in both.stderr
    other = run("users", "list", "--db", "mysql://x@localhost/y")
    assert other.exit_code == 2 and "use postgresql:// or sqlite:///" in other.stderr


def test_the_environment_names_the_database(store_url: str) -> None:
    assert (
        run(
            "users",
            "add",
            "dan",
            "--role",
            "admin",
            "--password-stdin",
            stdin=PASSWORD,
            env={"AGREEMENT_DB": store_url},
        ).exit_code
        == 0
    )
    assert run("users", "list", "--db", store_url).stdout.startswith("dan\tadmin")


def test_audit_export_writes_csv_from_a_day_on(store: Store, store_url: str, tmp_path: Path) -> None:
    contracts.save_contract(store, user(store, "sam", "sales"), form_a())
    out = tmp_path / "audit.csv"
    result = run("audit", "export", "--since", "2000-01-01", "-o", out, "--db", store_url)
    assert result.exit_code == 0 and "wrote 3 entries" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["user"], r["action"]) for r in rows] == [
        ("(command line)", "user_added"),
        ("sam", "saved"),
        ("(playbook)", "approved"),
    ]
    assert run("audit", "export", "--since", "2999-01-01", "--db", store_url).stdout.count("\n") == 1
    refused = run("audit", "export", "-o", out, "--db", store_url)
    assert refused.exit_code == 1 and "already exists" in refused.stderr
    bad_day = run("audit", "export", "--since", "yesterday", "--db", store_url)
    assert bad_day.exit_code == 2


def test_backup_while_in_use_and_restore(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = open_store(f"sqlite:///{data / 'agreement.db'}", bases=standard())
    try:
        sam = user(store, "sam", "sales")
        kept = contracts.save_contract(store, sam, form_a())
        with store.transaction():  # another connection is in the middle of an action
            assert run("backup", tmp_path / "b.db", "--data", data).exit_code == 0
        contracts.save_contract(store, sam, form_a(contract_no="HX-AS-2026-0777"))
        refused = run("restore", tmp_path / "b.db", "--data", data)
        assert refused.exit_code == 1 and "restore with --force" in refused.stderr
        assert run("restore", tmp_path / "b.db", "--data", data, "--force").exit_code == 0
        assert [c.id for c in contracts.search(store, sam)] == [kept.id]
        assert accounts.login(store, "sam", PASSWORD)[0].name == "sam"
    finally:
        store.close()
    exists = run("backup", tmp_path / "b.db", "--data", data)
    assert exists.exit_code == 1 and "already exists; use --force" in exists.stderr
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    junk = run("restore", tmp_path / "junk.db", "--data", data, "--force")
    assert junk.exit_code == 1 and "junk.db" in junk.stderr
    missing = run("backup", tmp_path / "c.db", "--data", tmp_path / "nothing")
    assert missing.exit_code == 1 and "no such store file" in missing.stderr


def test_backup_of_postgresql_points_to_its_own_tools(tmp_path: Path) -> None:
    result = run("backup", tmp_path / "b.db", "--db", "postgresql://app@127.0.0.1/agreement")
    assert result.exit_code == 1 and "pg_dump" in result.stderr
