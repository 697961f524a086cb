"""`/announce now|preview|settings` as members and moderators run them on the double."""

from __future__ import annotations

from bot.discord_app.permissions import REFUSAL_TEXT
from bot.exts.announce._cog import FORCE_AUDIT_ACTION
from tests.exts.announce.harness import (
    Scene,
    audit_rows,
    is_ephemeral,
    la,
    ledger_rows,
    text_of,
)

DAY_95 = "Day 95 of the WGA strike against the AMPTP"


async def test_announce_now_twice_posts_once_and_says_already_posted(scene: Scene) -> None:
    async with scene.bot():
        first = await scene.reply(await scene.slash(scene.mod, "announce now"))
        second = await scene.reply(await scene.slash(scene.mod, "announce now"))

        # The 09:00 schedule finds today's post made, too.
        slept = scene.clock.sleeps.mark()
        scene.clock.set(la(2023, 8, 4, 9))
        await scene.clock.next_sleep(since=slept)

    assert is_ephemeral(first) and is_ephemeral(second)
    assert "Posted today's announcement (Friday, August 4, 2023)" in first.content
    assert f"<#{scene.announcements.id}>" in first.content
    assert "already posted" in second.content
    [post] = scene.posts()
    assert DAY_95 in text_of(post)
    assert str(post["id"]) in second.content  # the link to the existing post
    assert len(scene.post_requests()) == 1


async def test_a_moderator_can_force_a_second_post_and_it_is_audited(scene: Scene) -> None:
    async with scene.bot():
        await scene.reply(await scene.slash(scene.mod, "announce now"))
        forced = await scene.reply(await scene.slash(scene.mod, "announce now", {"force": True}))

    assert "Posted today's announcement again" in forced.content
    assert [DAY_95 in text_of(post) for post in scene.posts()] == [True, True]
    [entry] = await audit_rows(scene.db_path, FORCE_AUDIT_ACTION)
    guild_id, actor_id, _action, target, details = entry
    assert (guild_id, actor_id, target) == (
        scene.guild.id,
        scene.mod.user.id,
        "announcement:2023-08-04",
    )
    assert str(scene.posts()[1]["id"]) in details
    forced_rows = [row for row in await ledger_rows(scene.db_path) if row[3] == 1]
    assert {row[:3] for row in forced_rows} == {
        ("wga-2023", "2023-08-04", "posted"),
        ("sag-aftra-2023", "2023-08-04", "posted"),
    }


async def test_a_member_who_is_not_a_moderator_is_refused_and_nothing_is_posted(
    scene: Scene,
) -> None:
    async with scene.bot():
        refused = await scene.reply(
            await scene.slash(scene.member, "announce now", {"force": True})
        )
        plain = await scene.reply(await scene.slash(scene.member, "announce now"))

    assert is_ephemeral(refused) and is_ephemeral(plain)
    assert refused.content == REFUSAL_TEXT == plain.content
    assert scene.post_requests() == []
    assert await ledger_rows(scene.db_path) == []
    assert await audit_rows(scene.db_path, FORCE_AUDIT_ACTION) == []


async def test_preview_shows_any_member_todays_text_and_posts_nothing(scene: Scene) -> None:
    async with scene.bot():
        record = await scene.slash(scene.member, "announce preview")
        preview = await scene.reply(record)
        callback = await scene.double.wait_for_callback(record)

    assert is_ephemeral(preview)
    assert DAY_95 in text_of(preview.message)
    assert "Day 22 of the SAG-AFTRA strike against the AMPTP" in text_of(preview.message)
    assert callback.json["data"]["allowed_mentions"] == {"parse": []}
    assert scene.post_requests() == []
    assert await ledger_rows(scene.db_path) == []


async def test_settings_show_channel_time_zone_strikes_last_and_next_post(scene: Scene) -> None:
    async with scene.bot():
        before = await scene.reply(await scene.slash(scene.member, "announce settings"))
        await scene.reply(await scene.slash(scene.mod, "announce now"))
        after = await scene.reply(await scene.slash(scene.member, "announce settings"))

    assert is_ephemeral(before)
    assert f"Channel: <#{scene.announcements.id}>" in before.content
    assert "Post time: 09:00 America/Los_Angeles" in before.content
    assert "wga-2023, sag-aftra-2023" in before.content
    assert "Last posted: never" in before.content
    assert "Next post due: Friday, August 4, 2023 at 09:00 PDT" in before.content
    assert "Scheduler: running" in before.content
    [post] = scene.posts()
    assert "Last posted: Friday, August 4, 2023: https://discord.com/channels/" in after.content
    assert str(post["id"]) in after.content
    assert "Next post due: Saturday, August 5, 2023 at 09:00 PDT" in after.content


async def test_announce_now_without_a_channel_explains_and_posts_nothing(scene: Scene) -> None:
    await scene.configure(announce_channel_id=None)
    async with scene.bot():
        reply = await scene.reply(await scene.slash(scene.mod, "announce now"))

    assert "No announcement channel is set" in reply.content
    assert scene.double.bot_messages(scene.announcements) == []
    assert await ledger_rows(scene.db_path) == []
