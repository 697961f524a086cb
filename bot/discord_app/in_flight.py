"""The handlers discord.py is running when the bot is told to stop.

A member's /ask may be mid-way when SIGTERM arrives: its reply not yet sent, or sent
with the unanswered question still to be written. Closing the gateway and then the
database under it loses that write ("Cannot operate on a closed database", seen in the
SIGTERM scenario) and the member's reply. So shutdown first lets the running handlers
finish, for a bounded time, and says how many it had to leave.

discord.py runs every handler as a task of its own, named by what started it; those
names are how they are told apart from the bot's long-lived tasks (gateway, scheduler,
health server), which must not be waited for.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final

log = logging.getLogger(__name__)

HANDLER_TASK_PREFIXES: Final = (
    "CommandTree-invoker",  # slash commands, context menus, autocomplete
    "discord.py: ",  # events: on_message, on_interaction, ...
    "discord-ui-view-dispatch-",  # buttons and selects
    "discord-ui-modal-dispatch-",  # submitted forms
)


def running_handlers() -> set[asyncio.Task[object]]:
    """Handler tasks not yet done, other than the caller's own."""
    current = asyncio.current_task()
    return {
        task
        for task in asyncio.all_tasks()
        if task is not current
        and not task.done()
        and task.get_name().startswith(HANDLER_TASK_PREFIXES)
    }


async def finish_handlers(timeout: float) -> int:  # noqa: ASYNC109 - a bound, not a wait API
    """Wait up to `timeout` seconds for the handlers running now; how many did not finish.

    Those left are not cancelled here: the caller goes on closing, and says so.
    """
    handlers = running_handlers()
    if not handlers:
        return 0
    log.info("waiting for handlers to finish", extra={"fields": {"running": len(handlers)}})
    _, pending = await asyncio.wait(handlers, timeout=timeout)
    if pending:
        log.warning(
            "stopping with handlers still running",
            extra={"fields": {"running": len(pending), "waited_s": timeout}},
        )
    return len(pending)
