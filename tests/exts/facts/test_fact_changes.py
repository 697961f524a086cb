"""Moderators change facts through the real commands; members' next question sees it."""

from __future__ import annotations

import aiosqlite

from bot.storage.fact_revisions import FactRevisionStore
from tests.e2e.discord_double import Member
from tests.exts.facts.harness import Scene, is_ephemeral, prefilled, row_counts, text_of

NEW_FACT = "amptp-silent-on-resumption"
NEW_QUESTION = "Did the AMPTP comment on the resumption of labor talks?"
NEW_ANSWER = (
    "As of Aug 11, 2023, there was no official statement from the AMPTP about the "
    "talks resuming, per the wire report."
)
GOOD_QUOTE = "There was no official statement from the AMPTP regarding a resumption of labor talks."
# Same words, but the source says "regarding a resumption", not "about a resumption".
BAD_QUOTE = "There was no official statement from the AMPTP about a resumption of labor talks."
WIRE = "wire-2023-08-11-wga-talks-resume"
EXISTING = "wga-no-one-left-behind"
EXISTING_QUESTION = "Will any writers be left behind in the deal?"


def form(quote: str = GOOD_QUOTE, answer: str = NEW_ANSWER) -> dict[str, str]:
    """What the moderator types into the /fact add form."""
    return {
        "fact:questions": f"{NEW_QUESTION}\nwhat did the studios say about talks resuming?",
        "fact:answer": answer,
        "fact:source": WIRE,
        "fact:quote": quote,
    }


async def add_fact(scene: Scene, who: Member, quote: str = GOOD_QUOTE) -> str:
    """Run /fact add and submit its form; returns the bot's reply text."""
    opened = await scene.slash(who, "fact add", {"fact_id": NEW_FACT, "tags": "amptp, talks"})
    await scene.modal(opened)
    submitted = await scene.double.send_modal_submit(opened, form(quote))
    reply = await scene.reply(submitted)
    assert is_ephemeral(reply)
    return text_of(reply)


async def ask(scene: Scene, question: str) -> str:
    """A member's /ask and the bot's answer (public answer or private refusal)."""
    record = await scene.slash(scene.member, "ask", {"question": question})
    return text_of(await scene.reply(record))


async def test_added_fact_answers_the_next_question_and_survives_a_restart(scene: Scene) -> None:
    async with scene.bot():
        assert f"Fact {NEW_FACT}" not in await ask(scene, NEW_QUESTION)
        assert f"Added `{NEW_FACT}`" in await add_fact(scene, scene.mod)
        assert f"Fact {NEW_FACT}" in await ask(scene, NEW_QUESTION)
    async with scene.bot():
        assert f"Fact {NEW_FACT}" in await ask(scene, NEW_QUESTION)


async def test_bad_quote_is_rejected_with_the_reason_and_nothing_is_written(scene: Scene) -> None:
    before = await row_counts(scene.db_path)
    async with scene.bot():
        text = await add_fact(scene, scene.mod, quote=BAD_QUOTE)
        assert f"Fact {NEW_FACT}" not in await ask(scene, NEW_QUESTION)
    assert "Rejected; nothing was changed" in text
    assert "does not appear verbatim in the source text" in text
    assert await row_counts(scene.db_path) == before


async def test_edit_is_in_the_history_with_who_when_and_what(scene: Scene) -> None:
    new_answer = "The WGA said no part of its membership would be left behind (Aug 4, 2023)."
    async with scene.bot():
        opened = await scene.slash(scene.owner, "fact edit", {"fact_id": EXISTING})
        modal = await scene.modal(opened)
        values = prefilled(modal)
        assert values["fact:questions"].splitlines()[0] == EXISTING_QUESTION
        assert "no segment of the membership" in values["fact:answer"]
        submitted = await scene.double.send_modal_submit(opened, {"fact:answer": new_answer})
        assert "Edited" in text_of(await scene.reply(submitted))
        assert new_answer in await ask(scene, EXISTING_QUESTION)

        shown = await scene.reply(
            await scene.slash(scene.mod, "fact history", {"fact_id": EXISTING})
        )
    history = shown.content
    assert is_ephemeral(shown)
    assert "#2 edit** by owner <t:" in history  # who, and when as a Discord timestamp
    assert "answer: " in history and "→ The WGA said no part" in history  # what changed
    assert "#1 base** by knowledge base (YAML)" in history


async def test_revert_to_revision_1_brings_the_original_answer_back(scene: Scene) -> None:
    async with scene.bot():
        original = await ask(scene, EXISTING_QUESTION)
        opened = await scene.slash(scene.mod, "fact edit", {"fact_id": EXISTING})
        await scene.modal(opened)
        changed = await scene.double.send_modal_submit(opened, {"fact:answer": "Changed text."})
        await scene.reply(changed)
        assert "Changed text." in await ask(scene, EXISTING_QUESTION)
        reverted = await scene.reply(
            await scene.slash(scene.mod, "fact revert", {"fact_id": EXISTING, "revision": 1})
        )
        assert "Reverted" in text_of(reverted) and "revision #3" in text_of(reverted)
        assert await ask(scene, EXISTING_QUESTION) == original
    async with aiosqlite.connect(scene.db_path) as db:
        history = await FactRevisionStore(db).history(EXISTING)
    assert [(r.number, r.action, r.reverted_to) for r in history] == [
        (1, "base", None),
        (2, "edit", None),
        (3, "revert", 1),
    ]


async def test_retired_fact_is_no_longer_answered_and_the_audit_trail_says_who(
    scene: Scene,
) -> None:
    async with scene.bot():
        assert f"Fact {EXISTING}" in await ask(scene, EXISTING_QUESTION)
        retired = await scene.reply(
            await scene.slash(
                scene.mod, "fact retire", {"fact_id": EXISTING, "reason": "superseded by the deal"}
            )
        )
        assert "Retired" in text_of(retired)
        assert f"Fact {EXISTING}" not in await ask(scene, EXISTING_QUESTION)
    async with (
        aiosqlite.connect(scene.db_path) as db,
        db.execute("SELECT actor_id, actor_name, action, target, details FROM audit_log") as cursor,
    ):
        rows = list(await cursor.fetchall())
    assert rows == [
        (
            scene.mod.user.id,
            "morgan",
            "fact.retire",
            f"fact:{EXISTING}",
            "changed: retired; reason: superseded by the deal",
        )
    ]
