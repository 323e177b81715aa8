"""Rules across tables that a CHECK constraint cannot state, as database triggers.

Each rule is written once per backend (PostgreSQL, SQLite) and installed by a migration with
``triggers_install``; ``TRIGGERS`` names what must exist, so a test can find a trigger that a
later migration lost (SQLite drops a table's triggers whenever Django rebuilds the table, as
it does for most ``AlterField`` and for every added constraint: a migration that rebuilds one
of these tables must run ``triggers_install`` again after it).

The messages (no quotes in them: they sit inside SQL strings) are the readable part of the
error: PostgreSQL raises them with SQLSTATE 23514
(check_violation) and SQLite with ``RAISE(ABORT, …)``; Django turns both into
``IntegrityError``.

- An organisation never applies to its own technical need.
- A need's proposer never changes.
- A contract's district and pole are its seller's: checked on insert and on a change of
  seller, district or pole, and carried to the seller's contracts when an organisation's
  district or pole changes, in the same transaction. ``TransferContract.save()`` copies them
  before the insert, so the ORM never trips over the check; raw writes (the demo's COPY, the
  benchmark) must copy them too.
"""

from __future__ import annotations

from typing import Any

APPLICATION_OWN_NEED = "an organisation cannot apply to its own technical need"
NEED_PROPOSER_FIXED = "the proposer of a technical need cannot change"
CONTRACT_SCOPE_OF_SELLER = "a contract has the district and innovation pole of its seller"

# (table, trigger) pairs that must exist once the migrations ran, on either backend.
TRIGGERS: tuple[tuple[str, str], ...] = (
    ("projects_needapplication", "application_not_own_need_insert"),
    ("projects_needapplication", "application_not_own_need_update"),
    ("projects_technicalneed", "need_proposer_fixed"),
    ("projects_transfercontract", "contract_scope_of_seller_insert"),
    ("projects_transfercontract", "contract_scope_of_seller_update"),
    ("projects_organization", "organization_scope_to_contracts"),
)

_POSTGRESQL_INSTALL = f"""
CREATE FUNCTION application_not_own_need() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM projects_technicalneed
        WHERE id = NEW.need_id AND proposer_id = NEW.applicant_id
    ) THEN
        RAISE EXCEPTION '{APPLICATION_OWN_NEED}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER application_not_own_need_insert
    BEFORE INSERT ON projects_needapplication
    FOR EACH ROW EXECUTE FUNCTION application_not_own_need();
CREATE TRIGGER application_not_own_need_update
    BEFORE UPDATE OF need_id, applicant_id ON projects_needapplication
    FOR EACH ROW EXECUTE FUNCTION application_not_own_need();

CREATE FUNCTION need_proposer_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{NEED_PROPOSER_FIXED}' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER need_proposer_fixed
    BEFORE UPDATE OF proposer_id ON projects_technicalneed
    FOR EACH ROW WHEN (OLD.proposer_id IS DISTINCT FROM NEW.proposer_id)
    EXECUTE FUNCTION need_proposer_fixed();

CREATE FUNCTION contract_scope_of_seller() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM projects_organization
        WHERE id = NEW.seller_id AND district = NEW.district AND pole = NEW.pole
    ) THEN
        RAISE EXCEPTION '{CONTRACT_SCOPE_OF_SELLER}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
-- Inserts are checked once per statement, by one join: the demo and the benchmark write up to
-- a million contracts in one COPY or INSERT, and a lookup per row cost half as much again.
CREATE FUNCTION contract_scope_of_seller_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM added
        LEFT JOIN projects_organization seller ON seller.id = added.seller_id
        WHERE seller.id IS NULL OR added.district <> seller.district OR added.pole <> seller.pole
    ) THEN
        RAISE EXCEPTION '{CONTRACT_SCOPE_OF_SELLER}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER contract_scope_of_seller_insert
    AFTER INSERT ON projects_transfercontract REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION contract_scope_of_seller_added();
CREATE TRIGGER contract_scope_of_seller_update
    BEFORE UPDATE OF seller_id, district, pole ON projects_transfercontract
    FOR EACH ROW EXECUTE FUNCTION contract_scope_of_seller();

CREATE FUNCTION organization_scope_to_contracts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE projects_transfercontract SET district = NEW.district, pole = NEW.pole
    WHERE seller_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER organization_scope_to_contracts
    AFTER UPDATE OF district, pole ON projects_organization
    FOR EACH ROW WHEN (OLD.district <> NEW.district OR OLD.pole <> NEW.pole)
    EXECUTE FUNCTION organization_scope_to_contracts();
"""  # noqa: S608 (the messages are this module's constants, not input)

_POSTGRESQL_REMOVE = """
DROP TRIGGER IF EXISTS organization_scope_to_contracts ON projects_organization;
DROP FUNCTION IF EXISTS organization_scope_to_contracts();
DROP TRIGGER IF EXISTS contract_scope_of_seller_update ON projects_transfercontract;
DROP TRIGGER IF EXISTS contract_scope_of_seller_insert ON projects_transfercontract;
DROP FUNCTION IF EXISTS contract_scope_of_seller_added();
DROP FUNCTION IF EXISTS contract_scope_of_seller();
DROP TRIGGER IF EXISTS need_proposer_fixed ON projects_technicalneed;
DROP FUNCTION IF EXISTS need_proposer_fixed();
DROP TRIGGER IF EXISTS application_not_own_need_update ON projects_needapplication;
DROP TRIGGER IF EXISTS application_not_own_need_insert ON projects_needapplication;
DROP FUNCTION IF EXISTS application_not_own_need();
"""

# SQLite has no trigger functions: each trigger carries its own body, and one statement each
# (Python's sqlite3 runs one statement per execute).
_SQLITE_APPLICATION_CHECK = f"""
    WHEN EXISTS (
        SELECT 1 FROM projects_technicalneed
        WHERE id = NEW.need_id AND proposer_id = NEW.applicant_id
    )
BEGIN
    SELECT RAISE(ABORT, '{APPLICATION_OWN_NEED}');
END"""  # noqa: S608 (a constant of this module)

_SQLITE_CONTRACT_CHECK = f"""
    WHEN NOT EXISTS (
        SELECT 1 FROM projects_organization
        WHERE id = NEW.seller_id AND district = NEW.district AND pole = NEW.pole
    )
BEGIN
    SELECT RAISE(ABORT, '{CONTRACT_SCOPE_OF_SELLER}');
END"""  # noqa: S608 (a constant of this module)

_SQLITE_INSTALL = (
    "CREATE TRIGGER application_not_own_need_insert BEFORE INSERT ON projects_needapplication"
    + _SQLITE_APPLICATION_CHECK,
    "CREATE TRIGGER application_not_own_need_update"
    " BEFORE UPDATE OF need_id, applicant_id ON projects_needapplication"
    + _SQLITE_APPLICATION_CHECK,
    f"""CREATE TRIGGER need_proposer_fixed BEFORE UPDATE OF proposer_id ON projects_technicalneed
    WHEN OLD.proposer_id IS NOT NEW.proposer_id
BEGIN
    SELECT RAISE(ABORT, '{NEED_PROPOSER_FIXED}');
END""",
    "CREATE TRIGGER contract_scope_of_seller_insert BEFORE INSERT ON projects_transfercontract"
    + _SQLITE_CONTRACT_CHECK,
    "CREATE TRIGGER contract_scope_of_seller_update"
    " BEFORE UPDATE OF seller_id, district, pole ON projects_transfercontract"
    + _SQLITE_CONTRACT_CHECK,
    """CREATE TRIGGER organization_scope_to_contracts
    AFTER UPDATE OF district, pole ON projects_organization
    WHEN OLD.district <> NEW.district OR OLD.pole <> NEW.pole
BEGIN
    UPDATE projects_transfercontract SET district = NEW.district, pole = NEW.pole
    WHERE seller_id = NEW.id;
END""",
)


def triggers_sql(*, vendor: str, install: bool) -> list[str]:
    """The statements that create (``install``) or drop the triggers on ``vendor``."""
    if vendor == "postgresql":
        # psycopg runs several statements in one execute; the functions' $$ bodies hold ';'.
        return [_POSTGRESQL_INSTALL if install else _POSTGRESQL_REMOVE]
    if vendor == "sqlite":
        if install:
            return list(_SQLITE_INSTALL)
        return [f"DROP TRIGGER IF EXISTS {name}" for _table, name in reversed(TRIGGERS)]
    raise NotImplementedError(f"no triggers written for the {vendor} backend")


def triggers_install(apps: Any, schema_editor: Any) -> None:
    """Create the triggers (a ``RunPython`` forward step); any earlier copy is dropped first,
    so a later migration that rebuilt a table can run this again."""
    vendor = schema_editor.connection.vendor
    statements = triggers_sql(vendor=vendor, install=False) + triggers_sql(
        vendor=vendor, install=True
    )
    for statement in statements:
        schema_editor.execute(statement, params=None)


def triggers_remove(apps: Any, schema_editor: Any) -> None:
    """Drop the triggers (the reverse step)."""
    for statement in triggers_sql(vendor=schema_editor.connection.vendor, install=False):
        schema_editor.execute(statement, params=None)


def triggers_missing(*, connection: Any) -> list[tuple[str, str]]:
    """The (table, trigger) pairs of ``TRIGGERS`` that the database does not have."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t"
                " JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        present = set(cursor.fetchall())
    return [pair for pair in TRIGGERS if pair not in present]
