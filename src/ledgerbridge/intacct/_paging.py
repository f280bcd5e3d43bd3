"""Reading whole result sets: readByQuery/readMore in sequence, ``query`` pages in parallel."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable

from ledgerbridge.intacct._exceptions import FunctionFailedError, ProtocolError
from ledgerbridge.intacct._functions import (
    QUERY_MAX_PAGESIZE,
    READ_BY_QUERY_MAX_PAGESIZE,
    Filter,
    Function,
    Order,
    query,
    read_by_query,
    read_more,
)
from ledgerbridge.intacct._results import Data, Record, Result

logger = logging.getLogger("ledgerbridge.intacct")

RunOne = Callable[[Function], Awaitable[Result]]
OnPage = Callable[[tuple[Record, ...]], None]


def _page(result: Result) -> Data:
    if not result.ok:
        raise FunctionFailedError(result)
    if result.data is None:
        raise ProtocolError(f"{result.function} {result.controlid!r} succeeded without <data>")
    return result.data


async def read_all_by_query(
    run: RunOne,
    object_name: str,
    query_text: str = "",
    *,
    fields: str = "*",
    pagesize: int = READ_BY_QUERY_MAX_PAGESIZE,
) -> tuple[Record, ...]:
    """Every row of a readByQuery; readMore is a cursor, so pages follow one another."""
    data = _page(await run(read_by_query(object_name, query_text, fields=fields, pagesize=pagesize)))
    records = list(data.records)
    while data.numremaining and data.result_id:
        data = _page(await run(read_more(data.result_id)))
        if not data.records:
            # A cursor that claims more rows but yields none would loop forever.
            raise ProtocolError("readMore returned no rows while rows were said to remain")
        records.extend(data.records)
    return tuple(records)


async def query_all(
    run: RunOne,
    object_name: str,
    select: Iterable[str],
    *,
    run_first: RunOne | None = None,
    filter: Filter | None = None,
    orderby: Iterable[Order] = (),
    pagesize: int = QUERY_MAX_PAGESIZE,
    caseinsensitive: bool = False,
    showprivate: bool = False,
    on_page: OnPage | None = None,
) -> tuple[Record, ...]:
    """Every row of a ``query``: the first page tells the total, the rest are fetched at once.

    Each offset is a separate query, so rows added meanwhile can shift pages; without an explicit
    order the pages are ordered by RECORDNO so that at least the order is stable. ``on_page`` sees each
    page as it arrives (in arrival order, not offset order), so a caller can work while others are in flight.
    The first page is asked through ``run_first`` when given, the others through ``run``.
    """
    fields = tuple(select)
    orders = tuple(orderby) or (Order("RECORDNO"),)

    def page(offset: int) -> Function:
        return query(
            object_name,
            fields,
            filter=filter,
            orderby=orders,
            pagesize=pagesize,
            offset=offset,
            caseinsensitive=caseinsensitive,
            showprivate=showprivate,
        )

    async def fetch(offset: int) -> Data:
        data = _page(await (run_first if run_first is not None and offset == 0 else run)(page(offset)))
        if on_page is not None:
            on_page(data.records)
        return data

    first = await fetch(0)
    total = first.totalcount if first.totalcount is not None else len(first.records)
    if not first.numremaining or total <= len(first.records):
        return first.records
    step = len(first.records) or pagesize
    rest = await asyncio.gather(*(fetch(offset) for offset in range(step, total, step)))
    records = list(first.records)
    for data in rest:
        if data.totalcount is not None and data.totalcount != total:
            logger.warning("query on %s: total moved from %d to %d while paging", object_name, total, data.totalcount)
        records.extend(data.records)
    return tuple(records)
