"""The document schema at head, as SQLAlchemy 2.0 typed models.

Documents are never created from these models (``create_all`` is not used anywhere): the migrations in
``migrations/versions`` are the schema's source of truth and a test keeps these models equal to what they
build. The models serve Alembic autogenerate and readers who want the schema in one place.
"""

from __future__ import annotations

import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.naming import NAMING_CONVENTION


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


metadata = Base.metadata


#: A code's natural order (release 2.2): the code without its trailing digits (case-insensitive),
#: then those digits as a number, then the code itself, so BIG-2 comes before BIG-10. Built-in
#: functions only, so every SQLite client can maintain the index (a custom collation or function
#: would make other programs fail on every write to an export).
CODE_PREFIX = "rtrim(code, '0123456789')"
CODE_NUMBER = "CAST(substr(code, length(rtrim(code, '0123456789')) + 1) AS INTEGER)"


class Sample(Base):
    __tablename__ = "sample"
    __table_args__ = (
        UniqueConstraint("code"),
        # Every column the samples list sorts by has an index in (key, id) order (release 2.2).
        Index(
            "ix_sample_code_natural",
            text(f"{CODE_PREFIX} COLLATE NOCASE"),
            text(CODE_NUMBER),
            "code",
        ),
        # The migration makes name and location COLLATE NOCASE in these two indexes (the lists
        # sort them case-insensitively). SQLite's reflection does not report an index column's
        # collation, so autogenerate could only compare these as plain columns; the recorded
        # schema (app/document/known_schemas.py) pins the real DDL.
        Index("ix_sample_name", "name", "id"),
        Index("ix_sample_location", "location", "id"),
        Index("ix_sample_collected_on", "collected_on", "id"),
        Index("ix_sample_measurement_count", "measurement_count", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String, nullable=False)
    name: Mapped[str] = mapped_column(String, nullable=False)
    collected_on: Mapped[datetime.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String)
    #: How many measurements the sample has, kept by the document's own triggers (release 2.2;
    #: see migrations/versions/*_release_2_2.py): any SQLite client that writes measurements keeps
    #: it right, and a copied sample row is recounted when it is inserted.
    measurement_count: Mapped[int] = mapped_column(
        Integer, nullable=False, server_default=text("0")
    )


#: The lab-value rules of release 2.2 (the same text as app.domain.lab_values.CHECKS; a test keeps
#: them equal). ``IS``, not ``=``: a CHECK whose expression is NULL passes.
MEASUREMENT_CHECKS = {
    "qualifier_code": "qualifier IS NULL OR qualifier IN ('<', '>', '~', 'nd')",
    "value_unless_nd": "(value IS NULL) = (qualifier IS 'nd')",
    "uncertainty_plain": (
        "uncertainty IS NULL OR (uncertainty >= 0 AND qualifier IS NULL AND value IS NOT NULL)"
    ),
}


class Measurement(Base):
    __tablename__ = "measurement"
    __table_args__ = (
        *(
            CheckConstraint(expression, name=name)
            for name, expression in MEASUREMENT_CHECKS.items()
        ),
        # Ids are never used twice (release 2.2): how an export tells new measurements from ones
        # it held, even after the newest was deleted.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("sample.id", ondelete="CASCADE"), nullable=False, index=True
    )
    quantity: Mapped[str] = mapped_column(String, nullable=False)
    #: The number; for ``<`` and ``>`` the limit. NULL exactly when not detected (release 2.2).
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String, nullable=False)
    measured_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    #: ``<``, ``>``, ``~`` or ``nd`` (not detected); NULL for a plain value (release 2.2).
    qualifier: Mapped[str | None] = mapped_column(String)
    #: The ± part of a plain value (release 2.2).
    uncertainty: Mapped[float | None] = mapped_column(Float)


class Tag(Base):
    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # NOCASE makes the unique constraint case-insensitive for ASCII; the app also folds case for
    # other scripts before it inserts (see app.domain.tags).
    name: Mapped[str] = mapped_column(String(collation="NOCASE"), nullable=False)


sample_tag = Table(
    "sample_tag",
    metadata,
    Column("sample_id", Integer, ForeignKey("sample.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_sample_tag_tag_id", "tag_id"),
)


class DocumentInfo(Base):
    """The single row that says what the document is and which Samplebook made and saved it."""

    __tablename__ = "document_info"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String, nullable=False)
    created_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    created_by_version: Mapped[str | None] = mapped_column(String)
    saved_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    saved_by_version: Mapped[str | None] = mapped_column(String)
    #: A UUID given to every new, upgraded and exported document (release 2.2): what an export's
    #: provenance names as its source, since a path or a title identifies nothing. Copies of a
    #: document (Save As, backups) keep it: they are the same document.
    document_id: Mapped[str] = mapped_column(String, nullable=False)


class Provenance(Base):
    """One step of where an export document came from (empty in ordinary documents)."""

    __tablename__ = "provenance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_title: Mapped[str] = mapped_column(String, nullable=False)
    source_file: Mapped[str | None] = mapped_column(String)
    filter: Mapped[str] = mapped_column(Text, nullable=False)  # the SampleFilter as JSON
    description: Mapped[str] = mapped_column(String, nullable=False)  # the filter in words
    exported_at: Mapped[datetime.datetime] = mapped_column(DateTime, nullable=False)
    exported_by_version: Mapped[str] = mapped_column(String, nullable=False)
    samples: Mapped[int] = mapped_column(Integer, nullable=False)
    measurements: Mapped[int] = mapped_column(Integer, nullable=False)
    #: ``document_info.document_id`` of the source and of the export this step made (release 2.2;
    #: NULL in steps recorded by 2.1).
    source_document_id: Mapped[str | None] = mapped_column(String)
    export_document_id: Mapped[str | None] = mapped_column(String)


class ExportedSample(Base):
    """In an export: each sample as it was exported (empty in ordinary documents, release 2.2).

    ``merge-results`` attaches new measurements only to a sample that is, in the source, still the
    sample with this id and code: a deleted sample's id can be reused by a new one.
    """

    __tablename__ = "exported_sample"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String, nullable=False)


class ExportedMeasurement(Base):
    """In an export: each measurement exactly as it was exported (release 2.2).

    What tells the measurements a program added to an export (ids not listed here) from the ones
    that came from the source, and which of those were changed or deleted since. Not a foreign key:
    a deleted measurement's row stays, so the deletion can be reported.
    """

    __tablename__ = "exported_measurement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(Integer, nullable=False)
    quantity: Mapped[str] = mapped_column(String, nullable=False)
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String, nullable=False)
    measured_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    qualifier: Mapped[str | None] = mapped_column(String)
    uncertainty: Mapped[float | None] = mapped_column(Float)


class MergedMeasurement(Base):
    """In a source: each measurement brought back from an export (release 2.2).

    Keyed by the export's document id and the measurement's id in that export, so merging the same
    export again adds nothing, even after the merged measurement was edited or deleted here.
    """

    __tablename__ = "merged_measurement"

    export_document_id: Mapped[str] = mapped_column(String, primary_key=True)
    export_measurement_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The measurement it became here; NULL once that measurement is deleted.
    measurement_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("measurement.id", ondelete="SET NULL"), index=True
    )
    merged_at: Mapped[datetime.datetime] = mapped_column(DateTime, nullable=False)
