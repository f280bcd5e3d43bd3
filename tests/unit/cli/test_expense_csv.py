"""Reading expense rows from CSV: each problem named by row and column, rows coded against the workspace."""

from __future__ import annotations

from decimal import Decimal

from ledgerbridge.cli.expense_csv import RowProblem, WorkspaceCoding, read_expenses
from ledgerbridge.domain import Category, CompanyCard, Payment, Tag

WS = "ws1"
CODING = WorkspaceCoding(
    default_currency="EUR",
    categories=(Category("c1", WS, "Travel"), Category("c2", WS, "travel")),
    tags=(Tag("t1", WS, "DEPARTMENT", "D100", "Engineering"), Tag("t2", WS, "REGION", "R1", "North")),
    cards=(CompanyCard("k1", WS, "•••• 1005"), CompanyCard("k2", WS, "•••• 7777"), CompanyCard("k3", WS, "•••• 7777")),
)


def problems(text: str) -> list[RowProblem]:
    return read_expenses(text, CODING).problems


def test_header_problems_stop_before_any_row_is_read() -> None:
    assert problems("Date,Amount,Amount,catgory\n2024-01-01,x,y,z\n") == [
        RowProblem(1, "amount", "the column appears twice"),
        RowProblem(1, "catgory", "unknown column (did you mean 'category'?)"),
        RowProblem(1, "merchant", "required column is missing"),
    ]


def test_an_empty_file_and_a_header_without_rows_are_problems() -> None:
    assert problems("") == [RowProblem(1, "", "the file is empty; the first row must name the columns")]
    assert problems("date,merchant,amount\n\n") == [RowProblem(1, "", "the file has a header but no expense rows")]


def test_defaults_come_from_the_workspace_and_user_defined_dimensions_are_columns() -> None:
    parsed = read_expenses("date,merchant,amount,region,Department\n2024-02-29,Cab,7,North,D100\n", CODING)
    assert parsed.problems == []
    (line,) = parsed.lines
    assert (line.row, line.amount.amount, line.amount.currency) == (2, Decimal("7.00"), "EUR")
    assert dict(line.tags) == {"REGION": "R1", "DEPARTMENT": "D100"}
    assert (line.payment, line.card_id, line.billable, line.category_id) == (Payment.REIMBURSABLE, None, False, None)


def test_exact_category_names_win_over_case_insensitive_ones() -> None:
    parsed = read_expenses("date,merchant,amount,category\n2024-01-01,A,1,travel\n2024-01-01,B,1,TRAVEL\n", CODING)
    assert [line.category_id for line in parsed.lines] == []
    assert parsed.problems == [
        RowProblem(3, "category", "category 'TRAVEL' matches 2 entries; use a more exact value")]
    exact = read_expenses("date,merchant,amount,category\n2024-01-01,A,1,travel\n", CODING)
    assert [line.category_id for line in exact.lines] == ["c2"]


def test_cards_are_matched_by_their_last_four_digits_only() -> None:
    text = ("date,merchant,amount,card,payment\n"
            "2024-01-01,A,1,4111111111111005,\n"
            "2024-01-01,B,1,7777,\n"
            "2024-01-01,C,1,,company_card\n"
            "2024-01-01,D,1,1005,\n")
    parsed = read_expenses(text, CODING)
    assert parsed.problems == [
        RowProblem(2, "card", "give the card's last four digits only, e.g. 1005"),
        RowProblem(3, "card", "card ending in '7777' matches 2 entries; use a more exact value"),
        RowProblem(4, "payment", "a company_card expense needs the card's last four digits in the card column"),
    ]
    assert parsed.lines == []
    (good,) = read_expenses("date,merchant,amount,card\n2024-01-01,D,1,1005\n", CODING).lines
    assert (good.payment, good.card_id) == (Payment.COMPANY_CARD, "k1")


def test_amounts_are_exact_and_dates_are_iso() -> None:
    text = ("date,merchant,amount,currency\n"
            "2024-1-5,A,1,\n"
            "2024-01-05,B,0.1,KWD\n"
            "2024-01-05,C,1.0001,KWD\n"
            "2024-01-05,D,NaN,\n"
            "2024-01-05,E,-3.50,\n")
    parsed = read_expenses(text, CODING)
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "date"), (4, "amount"), (5, "amount")]
    assert "KWD allows (3)" in parsed.problems[1].problem


def test_text_keeps_everything_but_nul_characters_and_overlong_values() -> None:
    text = 'date,merchant,amount,description,vendor\n2024-01-01,"a\x00b",1,"ok",' + "V" * 101 + "\n"
    assert [(p.column, p.problem) for p in problems(text)] == [
        ("merchant", "contains a NUL character"), ("vendor", "is 101 characters long; at most 100 fit")]


def test_a_cell_too_large_for_csv_is_a_problem_not_a_crash() -> None:
    (problem,) = problems("date,merchant,amount,description\n2024-01-01,A,1,\"" + "x" * 200_000 + "\"\n")
    assert problem.row == 2 and problem.problem.startswith("the file is not readable CSV here: field larger than")
