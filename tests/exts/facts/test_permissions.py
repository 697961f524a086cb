"""Who may change facts: checked in the handler on every call, refusals change nothing."""

from __future__ import annotations

from typing import Any

from bot.discord_app.permissions import REFUSAL_TEXT
from tests.exts.facts.harness import Scene, is_ephemeral, row_counts, text_of

EXISTING = "wga-no-one-left-behind"
MANAGE_GUILD = 1 << 5

# Every moderator command of the facts extension with valid options: a moderator would
# change something (or see something) with each of these.
MODERATOR_COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("fact add", {"fact_id": "brand-new-fact"}),
    ("fact edit", {"fact_id": EXISTING}),
    ("fact retire", {"fact_id": EXISTING, "reason": "outdated"}),
    ("fact restore", {"fact_id": EXISTING}),
    ("fact revert", {"fact_id": EXISTING, "revision": 1}),
    ("fact show", {"fact_id": EXISTING}),
    ("fact history", {"fact_id": EXISTING}),
    ("fact export", {}),
    ("facts gaps", {}),
    ("strike end", {"strike_id": "wga-2023", "end_date": "2023-09-27"}),
    ("kb reload", {}),
]


async def test_a_member_is_refused_every_moderator_command_and_nothing_changes(
    scene: Scene,
) -> None:
    before = await row_counts(scene.db_path)
    async with scene.bot():
        for command, options in MODERATOR_COMMANDS:
            record = await scene.slash(scene.member, command, options)
            reply = await scene.reply(record)
            assert reply.content == REFUSAL_TEXT, command
            assert is_ephemeral(reply), command
            assert record.modal is None, command
        assert f"Fact {EXISTING}" in text_of(
            await scene.reply(
                await scene.slash(
                    scene.member, "ask", {"question": "Will any writers be left behind?"}
                )
            )
        )
    assert await row_counts(scene.db_path) == before


async def test_a_form_opened_by_a_moderator_is_refused_when_a_member_submits_it(
    scene: Scene,
) -> None:
    async with scene.bot():
        opened = await scene.slash(scene.mod, "fact edit", {"fact_id": EXISTING})
        await scene.modal(opened)
        before = await row_counts(scene.db_path)
        submitted = await scene.double.send_modal_submit(
            opened, {"fact:answer": "Vandalised."}, member=scene.member
        )
        reply = await scene.reply(submitted)
    assert reply.content == REFUSAL_TEXT and is_ephemeral(reply)
    assert await row_counts(scene.db_path) == before


async def test_the_moderator_role_is_enough_without_manage_server(scene: Scene) -> None:
    permissions = scene.double.world.member_permissions(scene.guild, scene.mod, None)
    assert not permissions & MANAGE_GUILD
    async with scene.bot():
        record = await scene.slash(
            scene.mod, "strike end", {"strike_id": "wga-2023", "end_date": "2023-09-27"}
        )
        reply = await scene.reply(record)
    assert is_ephemeral(reply)
    assert "now ends on 2023-09-27: 149 days" in reply.content
    counts = await row_counts(scene.db_path)
    assert counts["strike_overrides"] == 1 and counts["audit_log"] == 1


async def test_autocomplete_offers_at_most_25_choices_and_defaults_on_empty_input(
    scene: Scene,
) -> None:
    async with scene.bot():
        empty = await scene.autocomplete(scene.mod, "fact show", {"fact_id": ""}, "fact_id")
        by_question = await scene.autocomplete(
            scene.mod, "fact edit", {"fact_id": "left behind"}, "fact_id"
        )
        strikes = await scene.autocomplete(scene.mod, "strike end", {"strike_id": ""}, "strike_id")
        for_member = await scene.autocomplete(scene.member, "fact show", {"fact_id": ""}, "fact_id")
    assert len(empty) == 25  # 55 facts in the base: capped, not refused by Discord
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in empty)
    assert by_question[0]["value"] == EXISTING
    assert [c["value"] for c in strikes] == ["sag-aftra-2023", "wga-2023"]
    assert for_member == []


async def test_revision_autocomplete_lists_the_facts_revisions_newest_first(scene: Scene) -> None:
    async with scene.bot():
        await scene.reply(
            await scene.slash(scene.mod, "fact retire", {"fact_id": EXISTING, "reason": "old"})
        )
        choices = await scene.autocomplete(
            scene.mod, "fact revert", {"fact_id": EXISTING, "revision": ""}, "revision"
        )
    assert [c["value"] for c in choices] == [2, 1]
    assert choices[0]["name"].startswith("#2 retire by morgan")
