"""Translated failures: an INT code with real values, the lines it concerns, and Intacct's own errors."""

from __future__ import annotations

from dataclasses import dataclass

from ledgerbridge.catalog import FixPath, RenderedError
from ledgerbridge.export.context import DocumentLine, ExpenseId
from ledgerbridge.intacct import Disposition, ErrorDetail


def support_ids_of(errors: tuple[ErrorDetail, ...]) -> tuple[str, ...]:
    """Each distinct Support ID, in the order Intacct gave them."""
    return tuple(dict.fromkeys(error.support_id for error in errors if error.support_id))


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing Intacct refused, as an INT code, with the lines it concerns and the error it came from."""

    error: RenderedError
    lines: tuple[DocumentLine, ...] = ()
    """The lines concerned: those the error names, or every line when it concerns the whole document."""
    intacct_error: ErrorDetail | None = None
    whole_document: bool = False

    @property
    def code(self) -> str:
        return self.error.code


@dataclass(frozen=True, slots=True)
class ExportFailure:
    """Why one export failed: the deciding problem first, then any others Intacct reported with it.

    `disposition` says what the sender does next: FATAL waits for a person, RETRY sends again later,
    UNCERTAIN reconciles by reference before anything is re-sent, REAUTHENTICATE signs in again.
    """

    problems: tuple[Problem, ...]
    intacct_errors: tuple[ErrorDetail, ...] = ()
    disposition: Disposition = Disposition.FATAL
    function: str = ""
    controlid: str = ""
    http_status: int | None = None

    def __post_init__(self) -> None:
        if not self.problems:
            raise ValueError("an export failure needs at least one problem")

    @property
    def error(self) -> RenderedError:
        """The deciding INT error, rendered."""
        return self.problems[0].error

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def message(self) -> str:
        return self.error.message

    @property
    def fixes(self) -> tuple[FixPath, ...]:
        return self.error.fixes

    @property
    def values(self) -> dict[str, str]:
        """The placeholder values filled into the deciding message."""
        return dict(self.error.values)

    @property
    def lines(self) -> tuple[DocumentLine, ...]:
        """Lines the deciding problem concerns (every line when it concerns the whole document)."""
        return self.problems[0].lines

    @property
    def line_numbers(self) -> tuple[int, ...]:
        return tuple(line.line for line in self.lines)

    @property
    def expense_ids(self) -> tuple[ExpenseId, ...]:
        return tuple(dict.fromkeys(line.expense_id for line in self.lines))

    @property
    def codes(self) -> tuple[str, ...]:
        """Every distinct code among the problems, deciding one first."""
        return tuple(dict.fromkeys(problem.code for problem in self.problems))

    @property
    def support_ids(self) -> tuple[str, ...]:
        return support_ids_of(self.intacct_errors)


@dataclass(frozen=True, slots=True)
class SyncFailure:
    """Why reading (or creating) records during Sync Now failed, as an INT code."""

    error: RenderedError
    object_name: str = ""
    intacct_errors: tuple[ErrorDetail, ...] = ()
    disposition: Disposition = Disposition.FATAL
    http_status: int | None = None

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def message(self) -> str:
        return self.error.message

    @property
    def fixes(self) -> tuple[FixPath, ...]:
        return self.error.fixes

    @property
    def values(self) -> dict[str, str]:
        return dict(self.error.values)

    @property
    def support_ids(self) -> tuple[str, ...]:
        return support_ids_of(self.intacct_errors)
