"""Contracts and their versions: save, edit, approve or reject, find, compare, download.

Each function is one action in one transaction, with its audit entries in
the same transaction; each checks the acting user's role itself (sales own
their contracts, legal see all and decide, admin see none), so that no
front door can forget a check.  Parameters are validated by the pipeline
over the company standard before anything is written: a stored version
always makes a contract.

Concurrent edits are caught by compare-and-swap on ``contracts.latest_version``
(and, as a second guard, the unique version number): the second of two
saves based on the same version gets a ``ConflictError`` saying what the
first changed, never a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..params import Layer
from . import audit
from .database import Store
from .errors import Change, ConflictError, InvalidRequest, NotFound, PermissionDenied
from .models import STATUSES, Approval, Contract, User, Version
from .roles import Account, require_role

if TYPE_CHECKING:
    from ..diff import Report
    from ..model import Document
    from ..pipeline import Prepared
    from ..playbook import Playbook

EDITORS = ("sales", "legal")
MAX_COMMENT = 2000
AUTOMATIC = "automatic: every value inside the playbook, no warnings"


@dataclass(frozen=True)
class Saved:
    """What a save returns (the API's 201 body), with the findings that decided the status."""

    id: int
    version: int
    status: str
    findings: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    user: str | None
    decision: str
    comment: str
    at: dt.datetime


@dataclass(frozen=True)
class VersionInfo:
    """One version of a contract as stored, with legal's decisions on it."""

    contract: int
    number: int
    latest: bool
    params: dict[str, Any]
    fingerprint: str
    findings: tuple[str, ...]
    status: str
    created_by: str | None
    created_at: dt.datetime
    decisions: tuple[Decision, ...]

    @property
    def final(self) -> bool:
        """Whether its files are final: only an approved version's are; the others carry the draft mark."""
        return self.status == "approved"


@dataclass(frozen=True)
class Summary:
    """A row of the contract list."""

    id: int
    contract_no: str
    customer_name: str
    owner: str | None
    status: str
    latest_version: int
    updated_at: dt.datetime


def playbook(store: Store) -> Playbook:
    """The company standard's playbook, for the form's inside/outside colours (``Playbook.classify``)."""
    from ..playbook import split_playbook

    return split_playbook(list(store.bases))[0]


def layers(store: Store, params: dict[str, Any], origin: str) -> list[Layer]:
    """The contract's layers: the company standard, then its own parameters (as ``--base`` then a file)."""
    return [*store.bases, Layer("contract", origin, params)]


def _plain(params: object) -> dict[str, Any]:
    """The parameters as JSON data (dates as YYYY-MM-DD, amounts as text): stored exactly as validated."""
    if not isinstance(params, dict):
        raise InvalidRequest("the parameters must be an object of keys to values")

    def jsonable(value: object) -> str:
        if isinstance(value, (dt.date, Decimal)):
            return str(value)
        raise InvalidRequest(f"a parameter value of type {type(value).__name__} cannot be stored")

    plain: dict[str, Any] = json.loads(json.dumps(params, default=jsonable, ensure_ascii=False))
    return plain


def _prepare(store: Store, params: dict[str, Any], origin: str) -> Prepared:
    from ..pipeline import prepare

    return prepare(layers(store, params, origin), store.options())


def _status(prepared: Prepared) -> str:
    """``approved`` when nothing needs a look (inside the playbook, no warning), else ``pending``."""
    return "pending" if prepared.findings else "approved"


def _check_access(actor: Account, contract: Contract, action: str) -> None:
    if actor.role == "legal" or (actor.role == "sales" and contract.owner_id == actor.id):
        return
    raise PermissionDenied(f"{actor.name} ({actor.role}) may not {action} contract {contract.id}")


def contract_row(session: Session, actor: Account, contract_id: int, action: str) -> Contract:
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise NotFound(f"no contract {contract_id}")
    _check_access(actor, contract, action)
    return contract


def version_row(session: Session, contract: Contract, number: int | None) -> Version:
    number = contract.latest_version if number is None else number
    version = session.scalar(
        select(Version).where(Version.contract_id == contract.id, Version.number == number)
    )
    if version is None:
        raise NotFound(f"contract {contract.id} has no version {number}")
    return version


def _record_version(
    session: Session,
    store: Store,
    actor: Account,
    contract: Contract,
    number: int,
    params: dict[str, Any],
    prepared: Prepared,
) -> Saved:
    status = _status(prepared)
    findings = tuple(str(f) for f in prepared.findings)
    now = store.clock()
    version = Version(
        contract_id=contract.id,
        number=number,
        params=params,
        fingerprint=prepared.params.fingerprint,
        findings=list(findings),
        status=status,
        created_by=actor.id,
        created_at=now,
    )
    session.add(version)
    session.flush()
    audit.record(session, store, "saved", actor, contract=contract.id, version=number, detail=status)
    if status == "approved":
        session.add(
            Approval(
                version_id=version.id, user_id=None, decision="approved", comment=AUTOMATIC, created_at=now
            )
        )
        audit.record(
            session,
            store,
            "approved",
            None,
            username="(playbook)",
            contract=contract.id,
            version=number,
            detail=AUTOMATIC,
        )
    return Saved(contract.id, number, status, findings)


def save_contract(store: Store, actor: Account, params: object) -> Saved:
    """Store a new contract (sales and legal): version 1, ``approved`` or ``pending`` by the playbook.

    Raises the pipeline's ``ParameterError``/``ConsistencyError`` for
    parameters that do not make a contract; nothing is stored then.
    """
    require_role(actor, EDITORS, "save contracts")
    plain = _plain(params)
    prepared = _prepare(store, plain, "contract")
    agreement = prepared.params.agreement
    with store.transaction() as session:
        now = store.clock()
        contract = Contract(
            contract_no=agreement.contract_no,
            customer_name=agreement.customer.name,
            owner_id=actor.id,
            latest_version=1,
            status=_status(prepared),
            created_at=now,
            updated_at=now,
        )
        session.add(contract)
        session.flush()
        return _record_version(session, store, actor, contract, 1, plain, prepared)


def update_contract(
    store: Store, actor: Account, contract_id: int, expected_version: int, params: object
) -> Saved:
    """Save a new version of a contract edited from ``expected_version``.

    Raises ``ConflictError`` (nothing saved) when ``expected_version`` is
    no longer the latest.  Saving the latest version's very parameters
    again changes nothing and returns it.
    """
    require_role(actor, EDITORS, "edit contracts")
    plain = _plain(params)
    prepared = _prepare(store, plain, f"contract {contract_id}")
    agreement = prepared.params.agreement
    try:
        with store.transaction() as session:
            contract = contract_row(session, actor, contract_id, "edit")
            if contract.latest_version != expected_version:
                _conflict(session, contract, expected_version, plain)
            latest = version_row(session, contract, expected_version)
            if latest.params == plain and latest.fingerprint == prepared.params.fingerprint:
                return Saved(contract.id, latest.number, latest.status, tuple(latest.findings))
            swapped = session.execute(
                update(Contract)
                .where(Contract.id == contract_id, Contract.latest_version == expected_version)
                .values(
                    latest_version=expected_version + 1,
                    status=_status(prepared),
                    contract_no=agreement.contract_no,
                    customer_name=agreement.customer.name,
                    updated_at=store.clock(),
                )
                .execution_options(synchronize_session=False)
            )
            if swapped.rowcount != 1:  # type: ignore[attr-defined]
                # Another save got in between our read and our write (PostgreSQL's read committed).
                session.refresh(contract)
                _conflict(session, contract, expected_version, plain)
            return _record_version(session, store, actor, contract, expected_version + 1, plain, prepared)
    except IntegrityError:
        with store.transaction() as session:
            contract = contract_row(session, actor, contract_id, "edit")
            _conflict(session, contract, expected_version, plain)


def _conflict(session: Session, contract: Contract, expected: int, yours: dict[str, Any]) -> NoReturn:
    """Raise the conflict for a save based on ``expected``, saying what the other saves changed."""
    from ..diff import leaves

    if not 1 <= expected <= contract.latest_version:
        raise NotFound(f"contract {contract.id} has no version {expected}")
    base = leaves(version_row(session, contract, expected).params)
    latest = leaves(version_row(session, contract, None).params)
    mine = leaves(yours)
    changes = tuple(
        Change(key, base.get(key), latest.get(key), mine.get(key))
        for key in dict.fromkeys([*latest, *base])
        if base.get(key) != latest.get(key)
    )
    raise ConflictError(
        f"contract {contract.id} was saved by someone else since version {expected}: the latest is "
        f"version {contract.latest_version}; nothing was saved, apply your change to the latest version",
        latest=contract.latest_version,
        changes=changes,
    )


def decide(
    store: Store, actor: Account, contract_id: int, decision: str, comment: str, version: int | None = None
) -> VersionInfo:
    """Legal approves or rejects the latest version (``decision`` is ``approved`` or ``rejected``).

    ``version``, when given, must still be the latest (``ConflictError``
    otherwise): legal decides on what they read.  A comment is required.
    """
    require_role(actor, ("legal",), "approve or reject contracts")
    if decision not in ("approved", "rejected"):
        raise InvalidRequest(f"decision {decision!r}: must be approved or rejected")
    comment = comment.strip()
    if not comment or len(comment) > MAX_COMMENT:
        raise InvalidRequest(f"a comment (1 to {MAX_COMMENT} characters) is required to approve or reject")
    with store.transaction() as session:
        contract = contract_row(session, actor, contract_id, "decide on")
        number = contract.latest_version if version is None else version
        current = version_row(session, contract, number)
        if current.status == decision:
            raise InvalidRequest(f"contract {contract_id} version {number} is already {decision}")
        swapped = session.execute(
            update(Contract)
            .where(Contract.id == contract_id, Contract.latest_version == number)
            .values(status=decision, updated_at=store.clock())
            .execution_options(synchronize_session=False)
        )
        if swapped.rowcount != 1:  # type: ignore[attr-defined]
            session.refresh(contract)
            _conflict(session, contract, number, current.params)
        current.status = decision
        session.add(
            Approval(
                version_id=current.id,
                user_id=actor.id,
                decision=decision,
                comment=comment,
                created_at=store.clock(),
            )
        )
        audit.record(session, store, decision, actor, contract=contract_id, version=number, detail=comment)
        session.flush()
        return version_info(session, contract, current)


def version_info(session: Session, contract: Contract, version: Version) -> VersionInfo:
    names = dict(session.execute(select(User.id, User.name)).tuples().all())
    decisions = session.scalars(
        select(Approval).where(Approval.version_id == version.id).order_by(Approval.id)
    )
    return VersionInfo(
        contract=contract.id,
        number=version.number,
        latest=version.number == contract.latest_version,
        params=version.params,
        fingerprint=version.fingerprint,
        findings=tuple(version.findings),
        status=version.status,
        created_by=names.get(version.created_by) if version.created_by else None,
        created_at=version.created_at,
        decisions=tuple(
            Decision(names.get(d.user_id) if d.user_id else None, d.decision, d.comment, d.created_at)
            for d in decisions
        ),
    )


def get_contract(store: Store, actor: Account, contract_id: int, version: int | None = None) -> VersionInfo:
    """A version of a contract (the latest by default), its status, findings and decisions."""
    with store.transaction() as session:
        contract = contract_row(session, actor, contract_id, "read")
        return version_info(session, contract, version_row(session, contract, version))


def history(store: Store, actor: Account, contract_id: int) -> list[VersionInfo]:
    """Every version of a contract, oldest first."""
    with store.transaction() as session:
        contract = contract_row(session, actor, contract_id, "read")
        versions = session.scalars(
            select(Version).where(Version.contract_id == contract_id).order_by(Version.number)
        )
        return [version_info(session, contract, v) for v in versions]


def search(
    store: Store,
    actor: Account,
    *,
    customer: str | None = None,
    contract_no: str | None = None,
    status: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 200,
) -> list[Summary]:
    """Contracts the actor may see, most recently changed first.

    ``customer`` and ``contract_no`` match anywhere in the name / number
    (case-insensitive); ``since``/``until`` bound the day of the last
    change, both included.
    """
    if actor.role not in EDITORS:
        raise PermissionDenied(f"{actor.name} ({actor.role}) may not list contracts; only sales or legal may")
    if status is not None and status not in STATUSES:
        raise InvalidRequest(f"status {status!r}: must be one of {', '.join(STATUSES)}")
    query = select(Contract, User.name).outerjoin(User, User.id == Contract.owner_id)
    if actor.role == "sales":
        query = query.where(Contract.owner_id == actor.id)
    if customer:
        query = query.where(Contract.customer_name.icontains(customer, autoescape=True))
    if contract_no:
        query = query.where(Contract.contract_no.icontains(contract_no, autoescape=True))
    if status:
        query = query.where(Contract.status == status)
    if since:
        query = query.where(Contract.updated_at >= dt.datetime.combine(since, dt.time()))
    if until:
        query = query.where(
            Contract.updated_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time())
        )
    query = query.order_by(Contract.updated_at.desc(), Contract.id.desc()).limit(limit)
    with store.transaction() as session:
        return [
            Summary(c.id, c.contract_no, c.customer_name, owner, c.status, c.latest_version, c.updated_at)
            for c, owner in session.execute(query).tuples()
        ]


def built_versions(
    store: Store, actor: Account, contract_id: int, old: int, new: int
) -> tuple[tuple[Prepared, Document], tuple[Prepared, Document]]:
    """Two versions of a contract, prepared and built, to be compared or marked one against the other."""
    from ..pipeline import build

    with store.transaction() as session:
        contract = contract_row(session, actor, contract_id, "read")
        params = [version_row(session, contract, number).params for number in (old, new)]
    options = store.options()
    before, after = (
        _prepare(store, p, f"contract {contract_id} v{n}") for p, n in zip(params, (old, new), strict=True)
    )
    return (before, build(before, options)), (after, build(after, options))


def compare(store: Store, actor: Account, contract_id: int, old: int, new: int) -> Report:
    """``agreement diff``'s report between two versions: parameters, clauses, added warnings."""
    from ..diff import compare as compare_prepared

    (before, before_doc), (after, after_doc) = built_versions(store, actor, contract_id, old, new)
    return compare_prepared(before, before_doc, after, after_doc, labels=(f"v{old}", f"v{new}"))
