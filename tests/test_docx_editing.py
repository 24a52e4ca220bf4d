"""``--track-changes``, ``--protect-tracking`` and ``--protect-password-file``: the DOCX comes back
with every edit recorded."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from generator.writers.protection import legacy_key, password_hash

from .conftest import FORM_A, STANDARD, run_cli
from .test_batch import batch, contract_rows, manifest, write_csv

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONTRACT = "HX-AS-2026-0158"


def settings(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/settings.xml"))


def made(tmp_path: Path, *flags: str) -> Path:
    result = run_cli("generate", FORM_A, "--base", STANDARD, "-o", tmp_path, "-f", "docx", *flags)
    assert result.exit_code == 0, result.output
    return tmp_path / f"{CONTRACT}.docx"


def password_file(folder: Path, text: str) -> str:
    path = folder / "protect-password.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


#: The password attributes in the schema's order (CT_DocProtect's AG_TransitionalPassword).
PASSWORD_ATTRIBUTES = [
    "cryptProviderType",
    "cryptAlgorithmClass",
    "cryptAlgorithmType",
    "cryptAlgorithmSid",
    "cryptSpinCount",
    "hash",
    "salt",
]


@pytest.mark.parametrize(
    ("flags", "tracked", "protected"),
    [((), False, False), (("--track-changes",), True, False), (("--protect-tracking",), True, True)],
    ids=["plain", "tracked", "protected"],
)
def test_settings_say_what_the_options_ask(
    tmp_path: Path, flags: tuple[str, ...], tracked: bool, protected: bool
) -> None:
    path = made(tmp_path, *flags)
    root = settings(path)
    assert (root.find(f"{W}trackRevisions") is not None) is tracked
    protection = root.find(f"{W}documentProtection")
    if protected:
        assert dict(protection.attrib) == {f"{W}edit": "trackedChanges", f"{W}enforcement": "1"}
    else:
        assert protection is None
    result = OpenXmlValidator(max_errors=0).validate(path)
    assert [str(error) for error in result.errors] == []


def test_word_password_hash_of_a_file_word_wrote() -> None:
    """The vector is Word's own: Apache POI's test-data/document/bug56076.docx, whose settings.xml
    protects it (w:edit="trackedChanges") with the password "Example", as POI's TestDocumentProtection
    checks (validateProtectionPassword("Example")).  Word hashed it with SHA-1
    (w:cryptAlgorithmSid="4"); the steps are the same for SHA-512.  The legacy keys are the vectors
    of POI's bug56076_read."""
    assert f"{legacy_key('Example'):08X}" == "64CEED7E"
    assert f"{legacy_key('34579'):08X}" == "0005CB00"
    salt = base64.b64decode("2Z+i7o/0EZyUNakVeWzU/w==")
    word_hash = "MUHbcmpC9AnlLsd9v3lW0j30y6E="
    assert base64.b64encode(password_hash("Example", salt, 100000, "sha1")).decode() == word_hash
    assert base64.b64encode(password_hash("example", salt, 100000, "sha1")).decode() != word_hash


def test_a_password_protects_with_words_hash_reproducibly(tmp_path: Path) -> None:
    path = made(tmp_path / "a", "--protect-password-file", password_file(tmp_path, "Example\n"))
    root = settings(path)
    assert root.find(f"{W}trackRevisions") is not None
    protection = root.find(f"{W}documentProtection")
    assert [etree.QName(name).localname for name in protection.attrib] == [
        "edit",
        "enforcement",
        *PASSWORD_ATTRIBUTES,
    ]
    assert protection.get(f"{W}edit") == "trackedChanges" and protection.get(f"{W}enforcement") == "1"
    assert protection.get(f"{W}cryptAlgorithmSid") == "14"  # SHA-512
    assert protection.get(f"{W}cryptProviderType") == "rsaAES"
    salt = base64.b64decode(protection.get(f"{W}salt"))
    spin_count = int(protection.get(f"{W}cryptSpinCount"))
    assert len(salt) == 16 and spin_count == 100000
    stored = base64.b64decode(protection.get(f"{W}hash"))
    assert stored == password_hash("Example", salt, spin_count)
    assert stored != password_hash("Exampl", salt, spin_count)
    result = OpenXmlValidator(max_errors=0).validate(path)
    assert [str(error) for error in result.errors] == []
    # Same parameters, same password: the same bytes; another password: another hash.
    again = made(tmp_path / "b", "--protect-password-file", password_file(tmp_path, "Example"))
    assert again.read_bytes() == path.read_bytes()
    other = made(tmp_path / "c", "--protect-password-file", password_file(tmp_path, "Other"))
    other_protection = settings(other).find(f"{W}documentProtection")
    assert other_protection.get(f"{W}salt") == protection.get(f"{W}salt")
    assert other_protection.get(f"{W}hash") != protection.get(f"{W}hash")


def test_the_password_may_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGREEMENT_PROTECT_PASSWORD", "Example")
    from_environment = made(tmp_path / "env")
    from_file = made(tmp_path / "file", "--protect-password-file", password_file(tmp_path, "Example"))
    assert from_environment.read_bytes() == from_file.read_bytes()
    monkeypatch.setenv("AGREEMENT_PROTECT_PASSWORD", "")
    assert settings(made(tmp_path / "none")).find(f"{W}documentProtection") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot be read (No such file or directory)"),
        ("", "is empty: its first line must be the password"),
        ("\nsecret\n", "is empty: its first line must be the password"),
        ("a" * 16, "has 16 characters; Word uses at most 15"),
        ("密码", "only printable ASCII characters"),
    ],
    ids=["missing", "empty", "blank-first-line", "too-long", "not-ascii"],
)
def test_a_bad_password_file_is_a_clear_error(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "protect-password.txt"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(
        "generate", FORM_A, "--base", STANDARD, "-o", out, "-f", "docx", "--protect-password-file", path
    )
    assert result.exit_code == 2
    assert f"--protect-password-file {path}: " in result.output and message in result.output
    assert "Traceback" not in result.output and not out.exists()


@pytest.mark.parametrize("flag", ["--track-changes", "--protect-tracking", "--protect-password-file"])
def test_libreoffice_opens_it_recording_changes(tmp_path: Path, flag: str) -> None:
    """LibreOffice reads the settings: saved again by LibreOffice, the DOCX still records changes
    (and still allows only tracked changes, behind the same password)."""
    flags = [flag, password_file(tmp_path, "Example")] if flag == "--protect-password-file" else [flag]
    path = made(tmp_path, *flags)
    before = settings(path).find(f"{W}documentProtection")
    soffice = shutil.which("soffice")
    assert soffice
    again = tmp_path / "libreoffice"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(again),
            str(path),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},
        timeout=240,
    )
    root = settings(again / path.name)
    assert root.find(f"{W}trackRevisions") is not None
    protection = root.find(f"{W}documentProtection")
    if flag == "--track-changes":
        assert protection is None
    else:
        assert protection.get(f"{W}edit") == "trackedChanges" and protection.get(f"{W}enforcement") == "1"
    if flag == "--protect-password-file":  # the same password lifts it
        assert dict(protection.attrib) == dict(before.attrib)


def test_batch_tracks_changes_and_remakes_when_the_option_changes(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "clients.csv", contract_rows(2))
    out = tmp_path / "out"
    assert batch(table, out, "--track-changes").exit_code == 0
    first = sorted(out.glob("*.docx"))
    assert len(first) == 2
    assert all(settings(p).find(f"{W}trackRevisions") is not None for p in first)
    assert {entry["render_options"] for entry in manifest(out).values()} == {"tracked"}
    assert batch(table, out).exit_code == 0
    assert all(settings(p).find(f"{W}trackRevisions") is None for p in sorted(out.glob("*.docx")))
    assert {entry["render_options"] for entry in manifest(out).values()} == {""}


def test_batch_protects_with_the_password_and_remakes_when_it_changes(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "clients.csv", contract_rows(2))
    out = tmp_path / "out"
    assert batch(table, out, "--protect-password-file", password_file(tmp_path, "Example")).exit_code == 0
    first = {p.name: settings(p).find(f"{W}documentProtection") for p in sorted(out.glob("*.docx"))}
    assert len(first) == 2
    assert all(p.get(f"{W}hash") and p.get(f"{W}edit") == "trackedChanges" for p in first.values())
    labels = {entry["render_options"] for entry in manifest(out).values()}
    assert labels == {f"protected {p.get(f'{W}hash')}" for p in first.values()}
    assert "Example" not in (out / "manifest.json").read_text(encoding="utf-8")
    assert batch(table, out, "--protect-password-file", password_file(tmp_path, "Other")).exit_code == 0
    second = {p.name: settings(p).find(f"{W}documentProtection") for p in sorted(out.glob("*.docx"))}
    assert second.keys() == first.keys()
    assert all(second[name].get(f"{W}hash") != first[name].get(f"{W}hash") for name in first)
