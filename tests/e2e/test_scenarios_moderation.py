"""Moderators change the running bot: a fact through the /fact add form, guild settings
through /setup, the knowledge files with /kb reload; the changes outlive a restart."""

from __future__ import annotations

import re

from bot.discord_app.permissions import REFUSAL_TEXT
from tests.e2e.discord_double import interaction_payloads as ip
from tests.e2e.scenario_world import StrikeWorld, is_ephemeral, text_of
from tests.exts.facts.harness import row_counts
from tests.exts.facts.test_fact_changes import NEW_FACT, NEW_QUESTION, form

LEFT_BEHIND = "Will any writers be left behind in the deal?"
LEFT_BEHIND_FACT = "wga-no-one-left-behind"


async def ask(world: StrikeWorld, question: str) -> str:
    """A member's /ask and the text of the bot's answer (public answer or private refusal)."""
    record = await world.slash(world.alice, "ask", {"question": question})
    return text_of((await world.reply(record)).message)


async def add_fact(world: StrikeWorld) -> str:
    """The moderator runs /fact add and submits its form; the bot's (private) reply."""
    opened = await world.slash(world.mod, "fact add", {"fact_id": NEW_FACT, "tags": "amptp"})
    await world.double.wait_for_callback(opened)
    assert opened.modal is not None, "the bot did not answer /fact add with its form"
    reply = await world.reply(await world.double.send_modal_submit(opened, form()))
    assert is_ephemeral(reply)
    return text_of(reply.message)


async def test_a_moderators_fact_answers_the_next_question_and_members_are_refused(
    strike_world: StrikeWorld,
) -> None:
    world = strike_world
    bot = await world.start_bot()
    assert f"Fact {NEW_FACT}" not in await ask(world, NEW_QUESTION)
    before = await row_counts(world.db_path)

    refused = await world.slash(world.alice, "fact add", {"fact_id": NEW_FACT})
    refusal = await world.reply(refused)
    assert refusal.content == REFUSAL_TEXT and is_ephemeral(refusal)
    assert refused.modal is None
    assert await row_counts(world.db_path) == before
    assert f"Fact {NEW_FACT}" not in await ask(world, NEW_QUESTION)

    assert f"Added `{NEW_FACT}`" in await add_fact(world)
    assert f"Fact {NEW_FACT}" in await ask(world, NEW_QUESTION)
    await bot.stop_cleanly()


async def test_a_restart_keeps_the_moderators_fact_its_history_and_the_guild_settings(
    strike_world: StrikeWorld,
) -> None:
    world = strike_world
    first = await world.start_bot()
    assert f"Added `{NEW_FACT}`" in await add_fact(world)
    # Announcements switched off: this run uses the real clock, and no post is wanted.
    settings: dict[str, ip.OptionValue] = {
        "channel": world.announcements,
        "post_time": "07:30",
        "timezone": "Europe/London",
        "enabled": False,
    }
    saved = await world.reply(await world.slash(world.owner, "setup announcements", settings))
    assert saved.content.startswith("Saved."), saved.content
    added = await world.reply(
        await world.slash(world.mod, "setup ask-channels add", {"channel": world.general})
    )
    assert added.content.startswith("Saved."), added.content
    shown_before = (await world.reply(await world.slash(world.mod, "setup show"))).content
    history_before = (
        await world.reply(await world.slash(world.mod, "fact history", {"fact_id": NEW_FACT}))
    ).content
    await first.stop_cleanly()

    second = await world.start_bot()
    assert f"Fact {NEW_FACT}" in await ask(world, NEW_QUESTION)
    history = await world.reply(await world.slash(world.mod, "fact history", {"fact_id": NEW_FACT}))
    shown = await world.reply(await world.slash(world.mod, "setup show"))
    await second.stop_cleanly()

    assert history.content == history_before
    assert "#1 add** by morgan" in history.content
    assert shown.content == shown_before
    for expected in (
        f"<#{world.announcements.id}>",
        "07:30 Europe/London",
        f"<#{world.general.id}>",
        f"<#{world.ask_channel.id}>",
        f"<@&{world.mod_role.id}>",
    ):
        assert expected in shown.content, shown.content


async def test_kb_reload_of_broken_yaml_names_file_and_line_and_members_keep_old_answers(
    strike_world: StrikeWorld,
) -> None:
    world = strike_world
    bot = await world.start_bot()
    answer_before = await ask(world, LEFT_BEHIND)
    assert f"Fact {LEFT_BEHIND_FACT}" in answer_before
    demands = world.knowledge_dir / "facts" / "wga-demands.yaml"
    broken_line = len(demands.read_text(encoding="utf-8").splitlines()) + 1
    with demands.open("a", encoding="utf-8") as file:
        file.write("  - id: [unclosed\n")

    reloaded = await world.reply(await world.slash(world.mod, "kb reload"))

    assert is_ephemeral(reloaded)
    assert reloaded.content.startswith("Reload failed: 1 problem(s)"), reloaded.content
    assert "members are still answered" in reloaded.content
    located = re.search(r"facts/wga-demands\.yaml:(\d+)", reloaded.content)
    assert located is not None, reloaded.content
    assert abs(int(located.group(1)) - broken_line) <= 1, reloaded.content
    assert await ask(world, LEFT_BEHIND) == answer_before
    refused = await world.reply(await world.slash(world.alice, "kb reload"))
    assert refused.content == REFUSAL_TEXT
    await bot.stop_cleanly()
