"""What an operator does to stand up a central, without HTTP and without SQL.

Organizations and users are synced rows as well as central records: each write here also
publishes the row's wire form (:func:`sync.central.rows.publish`) into its organization, so
the registered PCs of that organization pull it, and a user's offline-login verifier with
it. Every function raises :class:`AdminError` with an English message for bad input.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain import codec, reference
from app.domain.entities import Organization, Role, User
from app.domain.ids import new_id, utcnow
from app.domain.passwords import MIN_PASSWORD, make_verifier
from app.domain.thai import normalize_text, thai_digits_to_arabic
from app.domain.usernames import clean_username, is_username
from sync.central import auth, rows
from sync.central.db import CentralDB
from sync.central.models import CentralOrganization, CentralUser
from sync.protocol import DeviceRegistration

__all__ = [
    "CSV_COLUMNS",
    "AdminError",
    "ImportSummary",
    "UsernameTaken",
    "check_new_user",
    "create_org",
    "create_user",
    "find_org",
    "import_orgs",
    "import_orgs_summary",
    "register_device_as_operator",
    "set_user_active",
]

CSV_COLUMNS = ("dla_code", "name", "org_type", "province_code", "amphoe_code")
REQUIRED_COLUMNS = CSV_COLUMNS[:4]
# Organizations written per transaction by an import: a country holds ~7,850, more than
# PostgreSQL's lock table takes advisory locks in one transaction.
IMPORT_CHUNK = 500
MAX_DISPLAY_NAME = 200


class AdminError(ValueError):
    """Bad input to an operator command; the message says what and where."""


class UsernameTaken(AdminError):
    """A new account's username is in use already."""


@dataclass(frozen=True)
class OrgFields:
    dla_code: str
    name: str
    org_type: str
    province_code: str
    amphoe_code: str | None


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int


# --- organizations ---------------------------------------------------------------------


def _digits(value: str | None) -> str:
    return thai_digits_to_arabic((value or "").strip())


def check_org_fields(
    dla_code: str,
    name: str,
    org_type: str,
    province_code: str,
    amphoe_code: str | None = None,
) -> OrgFields:
    """The fields of an organization, cleaned, or AdminError naming every problem."""
    problems = []
    code = _digits(dla_code)
    if not (len(code) == 7 and code.isascii() and code.isdigit()):
        problems.append(f"dla_code {dla_code!r} is not 7 digits (e.g. 6340101)")
    clean_name = normalize_text(name) or ""
    if not clean_name:
        problems.append("name is empty")
    kind = (org_type or "").strip()
    if not reference.is_code("org_types", kind):
        problems.append(
            f"org_type {org_type!r} is not one of {', '.join(reference.codes('org_types'))}"
        )
    province = _digits(province_code)
    if not (len(province) == 2 and province.isascii() and province.isdigit()):
        problems.append(f"province_code {province_code!r} is not 2 digits (e.g. 34)")
    amphoe = _digits(amphoe_code) or None
    if amphoe is not None:
        if not (len(amphoe) == 4 and amphoe.isascii() and amphoe.isdigit()):
            problems.append(f"amphoe_code {amphoe_code!r} is not 4 digits (e.g. 3401)")
        elif len(province) == 2 and not amphoe.startswith(province):
            problems.append(f"amphoe_code {amphoe} is not in province {province}")
    if problems:
        raise AdminError("; ".join(problems))
    return OrgFields(code, clean_name, kind, province, amphoe)


def _org_data(row: CentralOrganization, by: str | None) -> dict[str, Any]:
    org = Organization(
        id=row.id,
        org_id=row.id,
        dla_code=row.dla_code,
        name=row.name,
        org_type=row.org_type,
        province_code=row.province_code,
        amphoe_code=row.amphoe_code,
        tambon_code=row.tambon_code,
        updated_at=utcnow(),
        updated_by=by,
    )
    return codec.fields_of(org)


def _publish_org(session: Session, row: CentralOrganization) -> int:
    return rows.publish(session, "organization", row.id, row.id, _org_data(row, None))


def _apply_org(row: CentralOrganization, fields: OrgFields) -> bool:
    changed = False
    for name, value in dataclasses.asdict(fields).items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def create_org(
    db: CentralDB,
    dla_code: str,
    name: str,
    org_type: str,
    province_code: str,
    amphoe_code: str | None = None,
) -> str:
    """A new organization (อปท.); its id."""
    fields = check_org_fields(dla_code, name, org_type, province_code, amphoe_code)
    org_id = new_id()
    try:
        with db.transaction() as session:
            db.lock_orgs(session, {org_id})
            if _org_by_code(session, fields.dla_code) is not None:
                raise AdminError(f"an organization with dla_code {fields.dla_code} exists already")
            row = CentralOrganization(id=org_id, tambon_code=None, **dataclasses.asdict(fields))
            session.add(row)
            session.flush()
            _publish_org(session, row)
    except IntegrityError:
        raise AdminError(
            f"an organization with dla_code {fields.dla_code} exists already"
        ) from None
    return org_id


def _org_by_code(session: Session, dla_code: str) -> CentralOrganization | None:
    return session.scalar(
        select(CentralOrganization).where(CentralOrganization.dla_code == dla_code)
    )


def find_org(db: CentralDB, ref: str) -> str:
    """The id of the organization ``ref`` names: its id or its 7-digit DLA code."""
    ref = (ref or "").strip()
    with db.transaction() as session:
        code = _digits(ref)
        if len(code) == 7 and code.isdigit():
            row = _org_by_code(session, code)
        else:
            row = session.get(CentralOrganization, ref)
        if row is None:
            raise AdminError(f"no organization {ref!r} (give its id or its 7-digit DLA code)")
        return row.id


def _read_csv(csv_path: Path) -> list[tuple[int, OrgFields]]:
    try:
        text = Path(csv_path).read_text(encoding="utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError as exc:
        raise AdminError(
            f"{csv_path}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8"
        ) from None
    except OSError as exc:
        raise AdminError(f"{csv_path}: {exc.strerror or exc}") from None
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise AdminError(
            f"{csv_path}:1: the header lacks {', '.join(missing)} "
            f"(columns: {','.join(CSV_COLUMNS)})"
        )
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        raise AdminError(f"{csv_path}:1: unknown columns {', '.join(unknown)}")
    reader.fieldnames = header
    records: list[tuple[int, OrgFields]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if None in record or any(v is None for v in record.values()):
                errors.append(f"{csv_path}:{line}: expected {len(header)} columns")
                continue
            if not any((v or "").strip() for v in record.values()):
                continue  # a blank line
            try:
                fields = check_org_fields(
                    record["dla_code"],
                    record["name"],
                    record["org_type"],
                    record["province_code"],
                    record.get("amphoe_code"),
                )
            except AdminError as exc:
                errors.append(f"{csv_path}:{line}: {exc}")
                continue
            if fields.dla_code in seen:
                errors.append(
                    f"{csv_path}:{line}: dla_code {fields.dla_code} repeats line "
                    f"{seen[fields.dla_code]}"
                )
                continue
            seen[fields.dla_code] = line
            records.append((line, fields))
    except csv.Error as exc:
        errors.append(f"{csv_path}:{reader.line_num}: {exc}")
    if errors:
        shown = errors[:20]
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise AdminError("nothing imported; fix these lines:\n" + "\n".join(shown) + more)
    return records


def import_orgs_summary(db: CentralDB, csv_path: str | Path) -> ImportSummary:
    """Create or update the organizations of a CSV file (UTF-8, header
    ``dla_code,name,org_type,province_code,amphoe_code``), matched by ``dla_code``.

    Every line is checked before anything is written: one bad line and nothing is
    imported. Running it again with the same file changes nothing."""
    records = _read_csv(Path(csv_path))
    created = updated = unchanged = 0
    for start in range(0, len(records), IMPORT_CHUNK):
        chunk = [fields for _line, fields in records[start : start + IMPORT_CHUNK]]
        with db.transaction() as session:
            existing = {
                row.dla_code: row
                for row in session.scalars(
                    select(CentralOrganization).where(
                        CentralOrganization.dla_code.in_([f.dla_code for f in chunk])
                    )
                )
            }
            ids = {f.dla_code: existing[f.dla_code].id if f.dla_code in existing else new_id()
                   for f in chunk}  # fmt: skip
            db.lock_orgs(session, set(ids.values()))
            for fields in chunk:
                row = existing.get(fields.dla_code)
                if row is None:
                    row = CentralOrganization(
                        id=ids[fields.dla_code], tambon_code=None, **dataclasses.asdict(fields)
                    )
                    session.add(row)
                    session.flush()
                    created += 1
                elif _apply_org(row, fields):
                    session.flush()
                    updated += 1
                else:
                    unchanged += 1
                    continue
                _publish_org(session, row)
    return ImportSummary(created, updated, unchanged)


def import_orgs(db: CentralDB, csv_path: str | Path) -> int:
    """:func:`import_orgs_summary`; the number of organizations created or changed."""
    summary = import_orgs_summary(db, csv_path)
    return summary.created + summary.updated


# --- users -----------------------------------------------------------------------------


def _user_data(row: CentralUser, by: str | None) -> dict[str, Any]:
    """The user row PCs pull. Its ``password_verifier`` is the offline verifier, never the
    central's own; none while a one-time password waits to be changed (and
    :mod:`sync.central.pull` blanks it for PCs where the user may not log in)."""
    user = User(
        id=row.id,
        org_id=row.org_id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        password_verifier=None if row.must_change_password else row.offline_verifier,
        scope_org_ids=tuple(row.scope_org_ids or ()),
        active=row.active,
        updated_at=utcnow(),
        updated_by=by,
    )
    return codec.fields_of(user)


def publish_user(session: Session, row: CentralUser) -> int:
    """Publish the user row (see :func:`_user_data`) into the user's organization; the
    caller holds that organization's lock (:meth:`CentralDB.lock_orgs`)."""
    return rows.publish(session, "user", row.id, row.org_id, _user_data(row, None))


def new_verifiers(password: str) -> tuple[str, str]:
    """The central's verifier of ``password`` and the offline one PCs get."""
    return make_verifier(password), make_verifier(password, offline=True)


def _check_orgs(session: Session, org_ids: Iterable[str]) -> None:
    for org_id in org_ids:
        if session.get(CentralOrganization, org_id) is None:
            raise AdminError(f"no organization with id {org_id!r}")


def check_new_user(
    username: str, display_name: str, role: str | Role, password: str | None = None
) -> tuple[str, str, Role]:
    """A new account's username, display name and role, cleaned, or AdminError naming
    every problem (of ``password`` too, when given)."""
    username = clean_username(username)
    problems = []
    if not is_username(username):
        problems.append(
            f"username {username!r} must be ASCII letters, digits and dots (at most 64)"
        )
    display_name = normalize_text(display_name) or ""
    if not display_name:
        problems.append("display name is empty")
    elif len(display_name) > MAX_DISPLAY_NAME:
        problems.append(f"display name is longer than {MAX_DISPLAY_NAME} characters")
    try:
        role = Role(role)
    except ValueError:
        problems.append(f"role {role!r} is not one of {', '.join(r.value for r in Role)}")
    if password is not None and len(password) < MIN_PASSWORD:
        problems.append(f"the password must have at least {MIN_PASSWORD} characters")
    if problems:
        raise AdminError("; ".join(problems))
    return username, display_name, Role(role)


def create_user(
    db: CentralDB,
    org_id: str,
    username: str,
    display_name: str,
    role: str | Role,
    password: str,
    scope_org_ids: Iterable[str] = (),
    *,
    one_time: bool = False,
) -> str:
    """A user of ``org_id`` (and, for a provincial supervisor, of ``scope_org_ids``); its id.

    The user row, with its offline verifier, is published into ``org_id`` so that PCs
    registered there can log the user in offline. ``one_time``: the password is a one-time
    one, to be changed at the first login (online); no offline verifier until then."""
    username, display_name, role = check_new_user(username, display_name, role, password or "")
    scope = tuple(dict.fromkeys(s for s in scope_org_ids if s != org_id))
    verifier, offline = new_verifiers(password)
    user_id = new_id()
    try:
        with db.transaction() as session:
            _check_orgs(session, (org_id, *scope))
            db.lock_orgs(session, {org_id})
            taken = session.scalar(select(CentralUser.id).where(CentralUser.username == username))
            if taken is not None:
                raise UsernameTaken(f"the username {username!r} is taken")
            row = CentralUser(
                id=user_id,
                org_id=org_id,
                username=username,
                display_name=display_name,
                role=str(role),
                password_verifier=verifier,
                offline_verifier=None if one_time else offline,
                must_change_password=one_time,
                scope_org_ids=list(scope),
                active=True,
                created_at=utcnow(),
            )
            session.add(row)
            session.flush()
            publish_user(session, row)
    except IntegrityError:
        raise UsernameTaken(f"the username {username!r} is taken") from None
    return user_id


def set_user_active(db: CentralDB, user_id: str, active: bool) -> None:
    """Disable (or enable again) an account; disabling ends its sessions. PCs pull the
    change with the user row, so offline login stops there too."""
    with db.transaction() as session:
        row = session.get(CentralUser, user_id)
        if row is None:
            raise AdminError(f"no user with id {user_id!r}")
        db.lock_orgs(session, {row.org_id})
        if row.active != active:
            row.active = active
            session.flush()
            publish_user(session, row)
    if not active:
        auth.revoke_user_tokens(db, user_id)


# --- devices ---------------------------------------------------------------------------


def register_device_as_operator(
    db: CentralDB, org_id: str, name: str, *, device_id: str | None = None
) -> DeviceRegistration:
    """Register a PC of ``org_id`` from the server itself (no admin password needed).

    ``device_id``: the id the PC already has, if any. When the central knows that PC (of
    ``org_id``, not revoked) it keeps its identity and gets a fresh credential instead
    (:func:`auth.renew_device`): the ops it sent under that id stay its own."""
    name = normalize_text(name) or ""
    if not name:
        raise AdminError("the PC needs a name (e.g. 'HR desk 1')")
    with db.transaction() as session:
        _check_orgs(session, (org_id,))
        renewed = auth.renew_device(session, org_id, device_id) if device_id else None
        return renewed or auth.issue_device(session, org_id, name, auth.OPERATOR)
