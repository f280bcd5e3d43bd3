"""Charge card accounts: offset account, vendor, expiry and status."""

from __future__ import annotations

import re

from starlette.responses import Response

from ledgerbridge.sandbox.console.records import MONTHS, STATUSES, choice, matches, save_record
from ledgerbridge.sandbox.console.web import Visit, version_of
from ledgerbridge.sandbox.store import Fields


def card_list(visit: Visit) -> Response:
    search = visit.param("q")
    cards = [c for c in visit.store.records(visit.companyid, "CREDITCARD")
             if matches(search, c.get("CARDID"), c.get("DESCRIPTION"), c.get("VENDORID"))]
    return visit.render("cards.html", cards=cards, search=search)


def _offset_accounts(visit: Visit) -> list[Fields]:
    """Balance sheet accounts: the only kind a card's offset (liability) account can be."""
    return [a for a in visit.store.records(visit.companyid, "GLACCOUNT")
            if a.get("ACCOUNTTYPE", "balancesheet") == "balancesheet"]


def card_page(visit: Visit, problems: list[str] | None = None, status: int = 200) -> Response:
    cardid = visit.request.path_params["cardid"]
    card = visit.store.record_by_key(visit.companyid, "CREDITCARD", cardid)
    if card is None:
        return visit.refuse(404, "Charge card not found", f"There is no charge card account {cardid}.",
                            back=visit.url("/cards"))
    return visit.render(
        "card.html", status=status, card=card, accounts=_offset_accounts(visit), months=MONTHS,
        vendors=visit.store.records(visit.companyid, "VENDOR"), version=version_of(card), problems=problems or [],
    )


def save_card(visit: Visit) -> Response:
    cardid = visit.request.path_params["cardid"]
    card = visit.store.record_by_key(visit.companyid, "CREDITCARD", cardid)
    if card is None:
        return visit.refuse(404, "Charge card not found", f"There is no charge card account {cardid}.",
                            back=visit.url("/cards"))
    if visit.arg("version") != version_of(card):
        return card_page(visit, [f"Charge card {cardid} was changed by {card.get('MODIFIEDBY', 'someone')} after "
                                 "you opened it. Your changes were not saved; review and save again."], status=409)
    problems: list[str] = []
    accounts = {str(a["ACCOUNTNO"]): a for a in _offset_accounts(visit)}
    vendors = [str(v["VENDORID"]) for v in visit.store.records(visit.companyid, "VENDOR")]
    offset = visit.arg("OFFSETGLACCOUNTNO")
    if offset and offset not in accounts:
        problems.append(f"Offset account {offset} is not a balance sheet account of this company.")
    if card.get("LIABILITYTYPE", "Credit") == "Credit" and not offset:
        problems.append("A credit card needs an offset account.")
    year = visit.arg("EXP_YEAR")
    if year and not re.fullmatch(r"\d{4}", year):
        problems.append("Expiration year must be four digits, such as 2028.")
    changes = {
        "OFFSETGLACCOUNTNO": offset,
        "VENDORID": choice(visit.arg("VENDORID"), ["", *vendors], "Vendor", problems),
        "EXP_MONTH": choice(visit.arg("EXP_MONTH"), ["", *MONTHS], "Expiration month", problems),
        "EXP_YEAR": year,
        "STATUS": choice(visit.arg("STATUS"), STATUSES, "Status", problems),
    }
    if problems:
        return card_page(visit, problems, status=422)
    if "OFFSETGLACCOUNTTITLE" in card or offset != card.get("OFFSETGLACCOUNTNO"):
        changes["OFFSETGLACCOUNTTITLE"] = str(accounts[offset].get("TITLE", "")) if offset else ""
    saved = save_record(visit, "CREDITCARD", card, changes)
    notice = f"Charge card {cardid} saved." if saved else "No changes to save."
    return visit.redirect(visit.url("/cards", cardid, notice=notice))
