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
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: Batch-mode table rebuilds on SQLite can only drop or alter constraints that have names, so every
#: constraint is named by this convention from the first revision on.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


metadata = Base.metadata


class Sample(Base):
    __tablename__ = "sample"
    __table_args__ = (UniqueConstraint("code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String, nullable=False)
    name: Mapped[str] = mapped_column(String, nullable=False)
    collected_on: Mapped[datetime.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String)


class Measurement(Base):
    __tablename__ = "measurement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("sample.id", ondelete="CASCADE"), nullable=False, index=True
    )
    quantity: Mapped[str] = mapped_column(String, nullable=False)
    value: Mapped[float] = mapped_column(Float, nullable=False)
    unit: Mapped[str] = mapped_column(String, nullable=False)
    measured_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)


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
