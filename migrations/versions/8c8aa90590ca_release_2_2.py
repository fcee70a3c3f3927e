"""Release 2.2: lab values, sorting backed by the schema, and results brought back from exports.

* **Lab values.** A measurement may carry a ``qualifier`` (``<`` below, ``>`` above, ``~``
  approximate, ``nd`` not detected) and an ``uncertainty`` (the ± part of a plain value). ``value``
  becomes nullable, and is NULL exactly when the qualifier is ``nd`` (the CHECKs say so, with
  ``IS`` rather than ``=``: a CHECK whose expression is NULL passes). Existing rows are unchanged:
  they are plain values.
* **Sorting.** Every column the samples list sorts by has an index in (key, id) order: the code in
  natural order (BIG-2 before BIG-10) by an expression index of built-in functions only, which any
  SQLite client maintains; name and location case-insensitively (NOCASE); collected-on; and the
  measurement count, which is now stored in ``sample.measurement_count`` and kept by triggers on
  ``measurement`` (so any client that adds or removes measurements keeps it right). A sample row
  inserted with a count — a copy made by an export, a repair or another program — is recounted
  by a trigger on ``sample``, so copies never count twice. The initial counts are computed here
  in SQL.
* **Results brought back.** Every document gets an identity, ``document_info.document_id`` (a
  UUID; new documents get theirs from ``app.document.create``, upgraded ones here). An export's
  provenance step records the id of its source and of the export; the export keeps, in
  ``exported_sample`` and ``exported_measurement``, what it held when it was made, so
  ``merge-results`` can tell what a program added from what was exported, and see what was
  changed or deleted (measurement ids are AUTOINCREMENT from now on, so no id is ever used for two
  measurements); the source records in ``merged_measurement`` what it brought back, so
  merging the same export twice adds nothing.

Revision authors after 2.2: a batch rebuild of ``sample`` or ``measurement`` drops their triggers
(SQLite drops a table's triggers with the table): create them again afterwards (``TRIGGERS``).

Revision ID: 8c8aa90590ca
Revises: 5d8f2a7c3b21
Create Date: 2026-12-01
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.document import migration as runner

revision: str = "8c8aa90590ca"
down_revision: str | Sequence[str] | None = "5d8f2a7c3b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELEASE = "2.2"

#: Written out here, not imported: a revision is history and must build the same schema forever.
MEASUREMENT_CHECKS = {
    "qualifier_code": "qualifier IS NULL OR qualifier IN ('<', '>', '~', 'nd')",
    "value_unless_nd": "(value IS NULL) = (qualifier IS 'nd')",
    "uncertainty_plain": (
        "uncertainty IS NULL OR (uncertainty >= 0 AND qualifier IS NULL AND value IS NOT NULL)"
    ),
}

#: The definition 2.2 gives ``measurement`` (lab values, checks, AUTOINCREMENT).
MEASUREMENT = (
    'CREATE TABLE "measurement" (\n\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, '
    "\n\tsample_id INTEGER NOT NULL, \n\tquantity VARCHAR NOT NULL, \n\tvalue FLOAT, "
    "\n\tunit VARCHAR NOT NULL, \n\tmeasured_at DATETIME, \n\tqualifier VARCHAR, "
    "\n\tuncertainty FLOAT, "
    "\n\tCONSTRAINT fk_measurement_sample_id_sample FOREIGN KEY(sample_id) REFERENCES sample "
    "(id) ON DELETE CASCADE, "
    "\n\tCONSTRAINT ck_measurement_qualifier_code CHECK (qualifier IS NULL OR qualifier IN "
    "('<', '>', '~', 'nd')), "
    "\n\tCONSTRAINT ck_measurement_value_unless_nd CHECK ((value IS NULL) = (qualifier IS "
    "'nd')), "
    "\n\tCONSTRAINT ck_measurement_uncertainty_plain CHECK (uncertainty IS NULL OR "
    "(uncertainty >= 0 AND qualifier IS NULL AND value IS NOT NULL))\n)"
)

_DIGITS = "'0123456789'"
CODE_PREFIX = f"rtrim(code, {_DIGITS})"
CODE_NUMBER = f"CAST(substr(code, length(rtrim(code, {_DIGITS})) + 1) AS INTEGER)"

#: name → statement. Built-in SQL only: documents are also written by other programs (analysis
#: programs write into exports), and every one of them must keep the counts right.
TRIGGERS = {
    "measurement_counted_on_insert": (
        "CREATE TRIGGER measurement_counted_on_insert AFTER INSERT ON measurement "
        "BEGIN "
        "UPDATE sample SET measurement_count = measurement_count + 1 WHERE id = NEW.sample_id; "
        "END"
    ),
    "measurement_counted_on_delete": (
        "CREATE TRIGGER measurement_counted_on_delete AFTER DELETE ON measurement "
        "BEGIN "
        "UPDATE sample SET measurement_count = measurement_count - 1 WHERE id = OLD.sample_id; "
        "END"
    ),
    "measurement_counted_on_move": (
        "CREATE TRIGGER measurement_counted_on_move AFTER UPDATE OF sample_id ON measurement "
        "WHEN NEW.sample_id IS NOT OLD.sample_id "
        "BEGIN "
        "UPDATE sample SET measurement_count = measurement_count - 1 WHERE id = OLD.sample_id; "
        "UPDATE sample SET measurement_count = measurement_count + 1 WHERE id = NEW.sample_id; "
        "END"
    ),
    # A sample row is new: whatever count it was inserted with (a copied row carries its source's
    # count, and the copied measurements then count themselves again), it holds what it holds.
    # The WHEN keeps the ordinary insert (count 0, no measurements yet) from writing the row twice.
    "sample_counted_on_insert": (
        "CREATE TRIGGER sample_counted_on_insert AFTER INSERT ON sample "
        "WHEN NEW.measurement_count IS NOT "
        "(SELECT count(*) FROM measurement WHERE sample_id = NEW.id) "
        "BEGIN "
        "UPDATE sample SET measurement_count = "
        "(SELECT count(*) FROM measurement WHERE sample_id = NEW.id) WHERE id = NEW.id; "
        "END"
    ),
}


def upgrade() -> None:
    # -- lab values: a table rebuild (SQLite cannot make a column nullable in place) -------------
    # AUTOINCREMENT on the way: a measurement's id is then never given to another one, even after
    # the newest measurement is deleted. An export's new measurements are those with ids it did
    # not hold; without it, a program that deletes the export's newest measurement and adds one
    # would get that id back, and its new result would look like a change to an exported one.
    #
    # The table's pages do not change for any of this — two columns added at the end (NULL in
    # every row, as ADD COLUMN leaves them), NOT NULL dropped from ``value``, CHECKs that every
    # existing row meets (plain values), AUTOINCREMENT on the rowid — so its stored definition is
    # replaced (exactly as batch mode wrote it when 2.2 was made) instead of rebuilding a million
    # rows and their index. AUTOINCREMENT keeps its high-water mark in ``sqlite_sequence``,
    # which SQLite makes with the first such table: made here the same way, holding the largest
    # id so far, as copying the rows into a new AUTOINCREMENT table would have left it.
    op.add_column("measurement", sa.Column("qualifier", sa.String(), nullable=True))
    op.add_column("measurement", sa.Column("uncertainty", sa.Float(), nullable=True))
    op.execute("CREATE TABLE _sequence_maker (id INTEGER PRIMARY KEY AUTOINCREMENT)")
    op.execute("DROP TABLE _sequence_maker")
    op.execute(
        # A bare max() of the rowid is one step down the tree; inside an aggregate query with
        # HAVING, SQLite scans all the rows (0.1 s at a million).
        "INSERT INTO sqlite_sequence (name, seq) "
        "SELECT 'measurement', (SELECT max(id) FROM measurement) "
        "WHERE EXISTS (SELECT 1 FROM measurement)"
    )
    runner.redefine_table(
        op.get_bind(),
        "measurement",
        MEASUREMENT,
        holds=" AND ".join(f"({check})" for check in MEASUREMENT_CHECKS.values()),
    )

    # -- the measurement count, computed once here in SQL, then kept by triggers ----------------
    op.add_column(
        "sample",
        sa.Column("measurement_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    # One probe of ix_measurement_sample_id per sample; the indexes come after, so this update
    # does not maintain them row by row.
    op.execute(
        "UPDATE sample SET measurement_count = "
        "(SELECT count(*) FROM measurement m WHERE m.sample_id = sample.id)"
    )

    # -- sort indexes: (key, id), the order page_samples reads pages in -------------------------
    op.create_index(
        "ix_sample_code_natural",
        "sample",
        [sa.text(f"{CODE_PREFIX} COLLATE NOCASE"), sa.text(CODE_NUMBER), "code"],
    )
    op.create_index("ix_sample_name", "sample", [sa.text("name COLLATE NOCASE"), "id"])
    op.create_index("ix_sample_location", "sample", [sa.text("location COLLATE NOCASE"), "id"])
    op.create_index("ix_sample_collected_on", "sample", ["collected_on", "id"])
    op.create_index("ix_sample_measurement_count", "sample", ["measurement_count", "id"])
    for statement in TRIGGERS.values():
        op.execute(statement)

    # -- identity and provenance ----------------------------------------------------------------
    op.add_column("document_info", sa.Column("document_id", sa.String(), nullable=True))
    # Each upgraded document is a document of its own: a fresh id (documents from before 2.0 got
    # their document_info row from the 2.0 revision, so there is always exactly row 1).
    op.get_bind().execute(
        sa.text("UPDATE document_info SET document_id = :id"), {"id": str(uuid.uuid4())}
    )
    with op.batch_alter_table("document_info") as batch:
        batch.alter_column("document_id", existing_type=sa.String(), nullable=False)
    op.add_column("provenance", sa.Column("source_document_id", sa.String(), nullable=True))
    op.add_column("provenance", sa.Column("export_document_id", sa.String(), nullable=True))
    op.create_table(
        "exported_sample",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_exported_sample"),
    )
    op.create_table(
        "exported_measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.String(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("measured_at", sa.DateTime(), nullable=True),
        sa.Column("qualifier", sa.String(), nullable=True),
        sa.Column("uncertainty", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_exported_measurement"),
    )
    op.create_table(
        "merged_measurement",
        sa.Column("export_document_id", sa.String(), nullable=False),
        sa.Column("export_measurement_id", sa.Integer(), nullable=False),
        sa.Column("measurement_id", sa.Integer(), nullable=True),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measurement_id"],
            ["measurement.id"],
            name="fk_merged_measurement_measurement_id_measurement",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint(
            "export_document_id", "export_measurement_id", name="pk_merged_measurement"
        ),
    )
    # Deleting a measurement looks here for rows to set NULL: without the index, every delete
    # would scan the table.
    op.create_index(
        "ix_merged_measurement_measurement_id", "merged_measurement", ["measurement_id"]
    )


def downgrade() -> None:
    """Back to the 2.1 schema. What 2.1 cannot hold is lost, and only that:

    * measurements **not detected** (no value) are deleted: 2.1 requires a number, and inventing
      one (0, or a limit nobody gave) would put a fake result into the document;
    * **qualifiers** are dropped and the value kept: ``<0.05`` becomes ``0.05``, ``>100`` becomes
      ``100``, ``~3`` becomes ``3`` (the limit or estimate the lab gave, now without its meaning);
    * **uncertainties** are dropped: ``1.2 ± 0.1`` becomes ``1.2``;
    * the document's **identity** (``document_id``), the provenance steps' source and export ids,
      what exports recorded of their contents (``exported_sample``, ``exported_measurement``) and
      what was brought back (``merged_measurement``) are dropped. So an export made before the
      downgrade can no longer be merged back (upgrading again gives the document a new identity),
      and an export document itself can no longer be merged into its source;
    * the measurement counts, sort indexes and triggers are dropped; they hold nothing that the
      rows do not (2.1 counts measurements when it sorts). Measurement ids lose AUTOINCREMENT:
      2.1 may give a deleted measurement's id to a new one again.
    """
    op.drop_index("ix_merged_measurement_measurement_id", table_name="merged_measurement")
    op.drop_table("merged_measurement")
    op.drop_table("exported_measurement")
    op.drop_table("exported_sample")
    with op.batch_alter_table("provenance") as batch:
        batch.drop_column("export_document_id")
        batch.drop_column("source_document_id")
    with op.batch_alter_table("document_info") as batch:
        batch.drop_column("document_id")

    for name in reversed(TRIGGERS):
        op.execute(f"DROP TRIGGER {name}")
    for index in (
        "ix_sample_measurement_count",
        "ix_sample_collected_on",
        "ix_sample_location",
        "ix_sample_name",
        "ix_sample_code_natural",
    ):
        op.drop_index(index, table_name="sample")
    with op.batch_alter_table("sample") as batch:
        batch.drop_column("measurement_count")

    op.execute("DELETE FROM measurement WHERE value IS NULL")
    # Without AUTOINCREMENT again (sqlite_sequence stays, empty of measurement: SQLite's own).
    # The inline AUTOINCREMENT key has no name; 2.1's is pk_measurement.
    with op.batch_alter_table(
        "measurement",
        table_kwargs={"sqlite_autoincrement": False},
        naming_convention={"pk": "pk_%(table_name)s"},
    ) as batch:
        for name in reversed(MEASUREMENT_CHECKS):
            batch.drop_constraint(op.f(f"ck_measurement_{name}"), type_="check")
        batch.drop_column("uncertainty")
        batch.drop_column("qualifier")
        batch.alter_column("value", existing_type=sa.Float(), nullable=False)
