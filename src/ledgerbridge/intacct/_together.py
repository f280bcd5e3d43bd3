"""Functions asked for at the same moment by separate callers, sent together in shared requests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from ledgerbridge.intacct._exceptions import IntacctError
from ledgerbridge.intacct._functions import Function
from ledgerbridge.intacct._limits import current_priority, request_priority
from ledgerbridge.intacct._results import Result

SendMany = Callable[[Sequence[Function]], Awaitable[tuple[Result | IntacctError, ...]]]


class Together:
    """Collects the functions asked for during one turn of the event loop and sends them as one batch.

    Several small reads started at once (the first page of each of a dozen objects, say) then take one round
    trip and one request slot instead of one each. Each caller still gets its own result, or the exception
    that ended the request its function went in.
    """

    def __init__(self, send_many: SendMany) -> None:
        self._send_many = send_many
        self._asked: list[tuple[Function, asyncio.Future[Result], int]] = []
        self._sending: set[asyncio.Task[None]] = set()

    def ask(self, function: Function) -> asyncio.Future[Result]:
        loop = asyncio.get_running_loop()
        if not self._asked:
            # Sent once every caller started in this turn of the loop has asked.
            loop.call_soon(self._send)
        answer: asyncio.Future[Result] = loop.create_future()
        self._asked.append((function, answer, current_priority()))
        return answer

    def _send(self) -> None:
        asked, self._asked = self._asked, []
        task = asyncio.ensure_future(self._answer(asked))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _answer(self, asked: list[tuple[Function, asyncio.Future[Result], int]]) -> None:
        try:
            with request_priority(max(priority for _, _, priority in asked)):
                outcomes = await self._send_many([function for function, _, _ in asked])
        except asyncio.CancelledError:
            for _, answer, _ in asked:
                answer.cancel()
            raise
        except Exception as exc:  # refused before sending (two functions with one controlid, say)
            for _, answer, _ in asked:
                if not answer.done():
                    answer.set_exception(exc)
            return
        for (_, answer, _), outcome in zip(asked, outcomes, strict=True):
            if answer.done():  # its caller gave up meanwhile
                continue
            if isinstance(outcome, IntacctError):
                answer.set_exception(outcome)
            else:
                answer.set_result(outcome)

    async def aclose(self) -> None:
        for task in list(self._sending):
            task.cancel()
        await asyncio.gather(*self._sending, return_exceptions=True)
