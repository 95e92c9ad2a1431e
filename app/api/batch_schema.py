"""The answers of ``POST /v1/validate/batch`` and ``GET /v1/validate/batch/{id}`` as typed models, for the
OpenAPI document: a batch job (or the whole batch, answered at once) and one report per document."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.problems import IssueOut

_STRICT = ConfigDict(extra="forbid")


class StageOut(BaseModel):
    model_config = _STRICT

    name: str = Field(examples=["xsd", "PEPPOL-EN16931-UBL.xslt"])
    status: Literal["passed", "failed", "not_run"]
    detail: str | None = None


class Counts(BaseModel):
    model_config = _STRICT

    fatal: int
    error: int
    warning: int


class FileReport(BaseModel):
    """One document's report: its verdict, the rule set applied, each stage and every issue."""

    model_config = _STRICT

    file: str = Field(description="The row name: the file, or `archive.zip!entry` for a zip entry")
    index: int = Field(description="Position in the batch (0-based), in upload order")
    entry: str = Field(description="The file name, or the entry's name inside its archive")
    archive: str | None = Field(description="The zip archive the entry came from")
    valid: bool
    verdict: Literal["valid", "invalid", "unreadable"] = Field(
        description="`unreadable`: the input's bytes could not be read (not a zip archive, over the file "
        "limit); a file that is not well-formed XML, not UBL or of no installed rule set is `invalid`, "
        "as in the CLI"
    )
    ruleset: str | None = Field(examples=["peppol-billing"])
    release: str | None = Field(examples=["2026.5"])
    document: str | None = Field(examples=["Invoice"])
    counts: Counts
    stages: list[StageOut]
    issues: list[IssueOut]


class BatchJob(BaseModel):
    """A batch: answered at once (200), or a job (202) polled at its ``Location`` until ``done``."""

    model_config = _STRICT

    id: str | None = Field(None, description="The job's id (a job only)")
    status: Literal["running", "done", "failed"]
    total: int = Field(description="Documents in the batch")
    done: int = Field(description="Documents reported so far")
    valid: int
    invalid: int
    since: int = Field(description="`files` starts at this index (the `since` query parameter)")
    names: list[str] | None = Field(None, description="Every document's row name (with `since=0`)")
    files: list[FileReport]
