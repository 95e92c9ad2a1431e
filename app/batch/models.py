"""Tables of the batch jobs of the HTTP API (revision 0005; read and written by :mod:`app.batch.jobstore`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, UTCDateTime


class BatchJob(Base):
    """One asynchronous batch: the names of its documents, its status and when it last made progress."""

    __tablename__ = "batch_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: JSON list of the documents' names, in upload order.
    names: Mapped[str] = mapped_column(Text)
    #: running, done or failed
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The last write: a running job not written for ``batch_job_stale_seconds`` has lost its process.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)


class BatchResult(Base):
    """One document's report in a job (``Report.as_dict`` plus index, entry and archive), as JSON."""

    __tablename__ = "batch_results"
    __table_args__ = (PrimaryKeyConstraint("job_id", "idx"),)

    job_id: Mapped[str] = mapped_column(ForeignKey("batch_jobs.id", ondelete="CASCADE"))
    idx: Mapped[int] = mapped_column(Integer)
    valid: Mapped[bool] = mapped_column(Boolean)
    row: Mapped[str] = mapped_column(Text)
