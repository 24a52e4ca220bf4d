"""Property: whatever the parameters, ``generate`` writes both formats or raises ``AgreementError``.

Hypothesis changes the values (and the types) of form A's keys, adds junk
keys, and checks that no other exception escapes the library and no
traceback reaches a CLI user.  CI runs a bounded number of examples; set
``AGREEMENT_HYPOTHESIS_EXAMPLES`` for a longer search, e.g.::

    AGREEMENT_HYPOTHESIS_EXAMPLES=2000 .venv/bin/pytest tests/test_properties.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.errors import AgreementError
from generator.params import Layer
from generator.params.schema import ServiceItem
from generator.pipeline import Options, contract_layers, generate

from .conftest import FORM_A, STANDARD, run_cli

EXAMPLES = int(os.environ.get("AGREEMENT_HYPOTHESIS_EXAMPLES", "25"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Text a one-line value may hold, markup and template syntax included.
LINE = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")) | st.sampled_from("{}%#<>*_-[]/\\"),
    min_size=1,
    max_size=60,
).filter(str.strip)
HOURS = st.integers(min_value=1, max_value=720)
SERVICES = list(get_args(ServiceItem))

#: Every key of the schema with values it accepts; junk values are mixed in below.
VALID: dict[str, st.SearchStrategy[Any]] = {
    "contract_no": LINE,
    "title": LINE,
    "enterprise.name": LINE,
    "enterprise.address": LINE,
    "enterprise.phone": LINE,
    "enterprise.by_hand": st.just(["email"]),
    "customer.name": LINE,
    "customer.kind": st.sampled_from(["business", "consumer"]),
    "customer.representative": LINE,
    "customer.email": LINE | st.none(),
    "customer.by_hand": st.lists(st.sampled_from(["email"]), max_size=1),
    "scope.services": st.lists(st.sampled_from(SERVICES), min_size=1, max_size=8, unique=True),
    "timeliness.response_hours": HOURS,
    "timeliness.onsite_hours": HOURS,
    "timeliness.inspection_hours": HOURS,
    "timeliness.return_hours": HOURS,
    "timeliness.clock": st.sampled_from(["calendar", "working"]),
    "timeliness.working_hours": st.sampled_from(["08:30-17:30", "09:00-18:00", None]),
    "timeliness.working_days": st.sampled_from(["mon-fri", "mon-sat", "mon-sun"]),
    "timeliness.count_public_holidays": st.booleans(),
    "timeliness.explain_delay": st.sampled_from(["promptly", "in_advance"]),
    "complaint_channels": st.lists(
        st.fixed_dictionaries(
            {"kind": st.sampled_from(["phone", "email", "online", "wechat", "letter"]), "value": LINE}
        ),
        min_size=1,
        max_size=4,
    ),
    "process.collect_opinion": st.booleans(),
    "term.months": st.integers(min_value=0, max_value=120),
    "liabilities.penalty_per_hour": st.decimals(min_value=0, max_value=10**6, places=2) | st.none(),
    "liabilities.penalty_cap": st.decimals(min_value=0, max_value=10**8, places=2) | st.none(),
    "disputes.method": st.sampled_from(["litigation", "arbitration"]),
    "disputes.court": LINE,
    "disputes.arbitration_commission": LINE,
    "signing.copies": st.integers(min_value=2, max_value=10),
    "signing.date": st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)) | st.none(),
    "signing.place": LINE | st.none(),
}
KEYS = ["template", "language", *VALID]

SCALARS = st.one_of(
    st.integers(min_value=-5, max_value=800),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, places=3, min_value=-10, max_value=10**9),
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=150, max_size=300),
    st.text(alphabet="{}%#<>*_-[]()/\\.:\"' \n\t\x00\x1f\u2028", max_size=40),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["after-sales", "zh-CN", "en", "../after-sales", "2026-02-30", "1,005.50"]),
)
JUNK = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=8,
)


@st.composite
def changes(draw: st.DrawFn) -> dict[str, Any]:
    """A few keys of form A changed: mostly to values they accept (so that the writers
    run), sometimes to junk of any type, now and then with a key the schema lacks."""
    keys = draw(st.lists(st.sampled_from(KEYS), max_size=5, unique=True))
    result = {}
    for key in keys:
        junk = key not in VALID or draw(st.integers(min_value=0, max_value=4)) == 0
        result[key] = draw(JUNK if junk else VALID[key])
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        result[draw(st.text(min_size=1, max_size=20).filter(lambda k: "." not in k))] = draw(JUNK)
    return result


CHANGES = changes()


def changed_form_a(changes: dict[str, Any]) -> dict[str, Any]:
    """Form A's tree with each dotted key set to its new value (groups replaced as needed)."""
    tree: dict[str, Any] = yaml.safe_load(FORM_A.read_text(encoding="utf-8"))
    for key, value in changes.items():
        node = tree
        *parents, last = key.split(".")
        for part in parents:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[last] = value
    return tree


@SETTINGS
@given(changes=CHANGES)
def test_generate_writes_both_formats_or_raises_its_own_error(changes: dict[str, Any]) -> None:
    layers = [
        *contract_layers(None, (STANDARD,), ()),
        Layer("contract", "generated", changed_form_a(changes)),
    ]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        try:
            written, _ = generate(layers, out, ("docx", "pdf"), Options())
        except AgreementError as error:
            event(f"refused: {type(error).__name__}")
            assert not out.exists() or not any(out.iterdir())
        else:
            event("written")
            assert sorted(p.suffix for p in written) == [".docx", ".pdf"]
            assert all(p.is_file() and p.stat().st_size > 0 for p in written)


class _Dumper(yaml.SafeDumper):
    """Writes decimals as the numbers they are (PyYAML has no representer for them)."""


_Dumper.add_representer(
    Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value))
)


def _as_text(tree: dict[str, Any], suffix: str) -> str:
    """The tree as a parameter file; JSON takes dates and decimals as text."""
    if suffix == ".json":
        return json.dumps(tree, ensure_ascii=False, default=str)
    return yaml.dump(tree, Dumper=_Dumper, allow_unicode=True)


@SETTINGS
@given(changes=CHANGES, suffix=st.sampled_from([".yaml", ".json"]))
def test_the_cli_never_shows_a_traceback(changes: dict[str, Any], suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        client = Path(folder) / f"client{suffix}"
        client.write_text(_as_text(changed_form_a(changes), suffix), encoding="utf-8")
        out = Path(folder) / "out"
        result = run_cli("generate", client, "--base", STANDARD, "-o", out)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1), result.output
        if result.exit_code:
            assert result.output.startswith("Error: ")
            assert len(result.output) < 4000
            assert not out.exists() or not any(out.iterdir())
        else:
            assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".pdf"]


def test_form_a_with_plausible_changes_is_valid() -> None:
    """The starting point is a valid contract: examples fail because of their changes only."""
    valid = changed_form_a({"timeliness.response_hours": 2, "signing.date": dt.date(2026, 12, 1)})
    layers = [*contract_layers(None, (STANDARD,), ()), Layer("contract", "generated", valid)]
    with tempfile.TemporaryDirectory() as folder:
        written, _ = generate(layers, Path(folder), ("docx", "pdf"), Options())
        assert len(written) == 2
