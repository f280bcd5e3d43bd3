"""What preflight reports: findings with an INT code (or a workspace condition), rendered once per value set."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache

from ledgerbridge.catalog import FixPath, RenderedError, render
from ledgerbridge.domain.ids import ExpenseId
from ledgerbridge.export.preflight.conditions import is_condition, render_condition


class Restriction(enum.StrEnum):
    """Why a GL account cannot take a posting (BRIEF.md, "What restricted means")."""

    ENTITY_PRIVATE = "entity_private"
    DIMENSION_RELATIONSHIP = "dimension_relationship"
    INACTIVE = "inactive"
    CARD_OFFSET = "card_offset"
    DIRECT_POSTING = "direct_posting"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem preflight predicts: the code and message Intacct (or the workspace) would give, and where.

    `expense_id` is None for problems of the whole report. `detail` says in plain words what preflight
    compared (e.g. which entity owns the account); `restriction` tells INT860 findings apart by kind.
    A finding that is not `blocking` is a warning: the export may still go out.
    """

    error: RenderedError
    expense_id: ExpenseId | None = None
    blocking: bool = True
    detail: str = ""
    restriction: Restriction | None = None

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def message(self) -> str:
        return self.error.message

    @property
    def values(self) -> dict[str, str]:
        return dict(self.error.values)

    @property
    def fixes(self) -> tuple[FixPath, ...]:
        return self.error.fixes

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {
            "code": self.code,
            "expense_id": self.expense_id,
            "blocking": self.blocking,
            "detail": self.detail,
            "restriction": None if self.restriction is None else self.restriction.value,
            **{key: value for key, value in self.error.as_dict().items() if key != "code"},
        }


@lru_cache(maxsize=4096)
def _rendered(code: str, values: tuple[tuple[str, str | None], ...]) -> RenderedError:
    # Rendering parses templates; a report (and a batch of reports) repeats the same values many times.
    if is_condition(code):
        return render_condition(code, dict(values))
    return render(code, **dict(values))


def finding(
    code: str,
    expense_id: ExpenseId | None = None,
    *,
    blocking: bool = True,
    detail: str = "",
    restriction: Restriction | None = None,
    **values: str | None,
) -> Finding:
    """A finding for a catalog code or a workspace condition, its message filled with `values`."""
    error = _rendered(code, tuple(sorted(values.items())))
    return Finding(error, expense_id, blocking, detail, restriction)
