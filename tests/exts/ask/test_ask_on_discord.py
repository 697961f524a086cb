"""Members ask, end to end: real discord.py against the local Discord double."""

from __future__ import annotations

from typing import Any

from bot.exts.errors import SOMETHING_WENT_WRONG
from bot.storage.votes import VoteTally
from tests.exts.ask.conftest import EPHEMERAL, NO_MENTIONS, AskScene, eventually

ANSWERED = "When did the strike start?"
REFUSED_WITH_SUGGESTIONS = "writers pay?"
OFF_TOPIC = "anyone know a good pizza recipe?"


async def _has_rows(store: Any) -> bool:
    return bool(await store.recent())


def custom_ids(message: dict[str, Any]) -> list[str]:
    buttons = [c for row in message["components"] for c in row["components"]]
    return [c["custom_id"] for c in buttons if "custom_id" in c]


async def test_ask_answers_publicly_with_sources_and_vote_buttons(scene: AskScene) -> None:
    expected = scene.engine_answer(ANSWERED)
    assert expected.answered and expected.citations, "precondition: the fact base answers it"
    body = await scene.slash_ask(scene.alice, ANSWERED)
    data = body["data"]
    assert body["type"] == 4 and not (data.get("flags", 0) & EPHEMERAL)
    assert data["allowed_mentions"] == NO_MENTIONS
    [embed] = data["embeds"]
    assert embed["footer"]["text"] == f"Fact {expected.fact_id}"
    assert expected.text is not None and embed["description"].startswith(expected.text)
    assert "*As of " in embed["description"]
    assert len(embed["fields"]) == len(expected.citations)
    assert expected.citations[0].quote[:40] in embed["fields"][0]["value"]
    assert custom_ids(data)[:2] == [
        f"strikebot:vote:helpful:{expected.fact_id}",
        f"strikebot:vote:unhelpful:{expected.fact_id}",
    ]


async def test_refusal_offers_suggestions_and_clicking_one_asks_it(scene: AskScene) -> None:
    refused = scene.engine_answer(REFUSED_WITH_SUGGESTIONS)
    assert not refused.answered and refused.suggestions, "precondition: a refusal with ideas"
    record = await scene.double.send_slash_command(
        scene.guild, scene.general, scene.alice, "ask", {"question": REFUSED_WITH_SUGGESTIONS}
    )
    data = (await scene.callback_json(record))["data"]
    assert data["flags"] & EPHEMERAL and "won't guess" in data["content"]
    first = refused.suggestions[0]
    assert custom_ids(data) == [f"strikebot:ask:{s.fact_id}" for s in refused.suggestions[:3]]
    store = scene.runtime.stores.unanswered
    await eventually(lambda: _has_rows(store))
    assert [(q.text, q.channel_id, q.guild_id) for q in await store.recent()] == [
        (REFUSED_WITH_SUGGESTIONS, scene.general.id, scene.guild.id)
    ]

    click = await scene.double.send_button_click(
        scene.alice, scene.stored(record), f"strikebot:ask:{first.fact_id}"
    )
    answer = (await scene.callback_json(click))["data"]
    assert not (answer.get("flags", 0) & EPHEMERAL)
    assert answer["embeds"][0]["footer"]["text"] == f"Fact {first.fact_id}"
    assert answer["allowed_mentions"] == NO_MENTIONS


async def test_votes_are_stored_once_per_member_and_can_change(scene: AskScene) -> None:
    record = await scene.double.send_slash_command(
        scene.guild, scene.general, scene.alice, "ask", {"question": ANSWERED}
    )
    await scene.callback_json(record)
    message = scene.stored(record)
    fact_id = scene.engine_answer(ANSWERED).fact_id
    helpful, unhelpful = (f"strikebot:vote:{v}:{fact_id}" for v in ("helpful", "unhelpful"))

    async def click(who: Any, custom_id: str) -> dict[str, Any]:
        record = await scene.double.send_button_click(who, message, custom_id)
        data: dict[str, Any] = (await scene.callback_json(record))["data"]
        assert data["flags"] & EPHEMERAL and data["allowed_mentions"] == NO_MENTIONS
        return data

    assert "helpful" in (await click(scene.alice, helpful))["content"]
    votes = scene.runtime.stores.votes
    assert await votes.tally(int(message["id"])) == VoteTally(1, 0)
    assert "not helpful" in (await click(scene.alice, unhelpful))["content"]
    assert await votes.tally(int(message["id"])) == VoteTally(0, 1)  # changed, not added
    await click(scene.bob, helpful)
    assert await votes.tally(int(message["id"])) == VoteTally(1, 1)
    assert await votes.fact_tallies() == {fact_id: VoteTally(1, 1)}
    metrics = scene.runtime.metrics.render_prometheus()
    assert 'strikebot_votes_total{vote="helpful"} 2' in metrics


async def test_mention_gets_a_reply_that_pings_nobody(scene: AskScene) -> None:
    double = scene.double
    asked = await double.send_message_create(
        scene.guild,
        scene.general,
        scene.alice,
        f"<@{double.bot.id}> {ANSWERED}",
        mentions=[double.bot],
    )
    reply = await double.wait_for_bot_message()
    assert reply.message["message_reference"]["message_id"] == asked["id"]
    expected = scene.engine_answer(ANSWERED)
    assert reply.message["embeds"][0]["footer"]["text"] == f"Fact {expected.fact_id}"
    request = await double.wait_for_request(
        lambda r: r.method == "POST" and r.path == f"/channels/{scene.general.id}/messages"
    )
    assert request.json["allowed_mentions"] == {**NO_MENTIONS, "replied_user": False}
    assert reply.message["mentions"] == []


async def test_ask_channel_answers_only_confident_questions(scene: AskScene) -> None:
    double = scene.double
    assert not scene.engine_answer(OFF_TOPIC).answered, "precondition: off-topic is refused"
    await double.send_message_create(scene.guild, scene.ask_channel, scene.alice, OFF_TOPIC)
    # The same confident question outside the ask channel: not for the bot either.
    await double.send_message_create(scene.guild, scene.general, scene.bob, ANSWERED)
    asked = await double.send_message_create(scene.guild, scene.ask_channel, scene.bob, ANSWERED)
    reply = await double.wait_for_bot_message()
    assert reply.message["message_reference"]["message_id"] == asked["id"]
    # Messages are handled in order, so the earlier two were already passed over.
    assert [m["id"] for m in double.bot_messages()] == [reply.message["id"]]
    assert await scene.runtime.stores.unanswered.recent() == []  # chatter is not stored


async def test_auto_answer_cooldown_tells_once_then_stays_quiet(scene: AskScene) -> None:
    double = scene.double
    cog: Any = scene.bot.get_cog("Ask")
    cog.cooldown_note_seconds = 0.05

    async def ask_in_channel() -> None:
        await double.send_message_create(scene.guild, scene.ask_channel, scene.alice, ANSWERED)

    await ask_in_channel()
    first = await double.wait_for_bot_message()
    assert first.message["embeds"]
    since = len(double.messages.changes)
    await ask_in_channel()
    note = await double.wait_for_bot_message(since=since)
    assert "/ask works any time" in note.content and not note.message["embeds"]
    deleted = await double.wait_for_bot_message(kind="delete", since=since)
    assert deleted.message["id"] == note.message["id"]
    since = len(double.messages.changes)
    await ask_in_channel()  # still cooling down, already told: silence
    scene.clock.advance(60)
    await ask_in_channel()
    after = await double.wait_for_bot_message(since=since)
    assert after.message["embeds"], "the first bot message after the silent one is an answer"


async def test_context_menu_refuses_non_moderators_and_changes_nothing(scene: AskScene) -> None:
    double = scene.double
    target = await double.send_message_create(scene.guild, scene.general, scene.bob, ANSWERED)
    record = await double.send_message_command(
        scene.guild, scene.general, scene.alice, "Answer with strike facts", target
    )
    data = (await scene.callback_json(record))["data"]
    assert data["flags"] & EPHEMERAL and "Only moderators" in data["content"]
    assert not data.get("embeds")
    assert [m for m in double.bot_messages() if not (m["flags"] & EPHEMERAL)] == []


async def test_context_menu_lets_a_moderator_answer_someone_elses_message(
    scene: AskScene,
) -> None:
    double = scene.double
    owner = scene.guild.members[scene.guild.owner_id]  # Manage Server, implicitly
    target = await double.send_message_create(scene.guild, scene.general, scene.bob, ANSWERED)
    record = await double.send_message_command(
        scene.guild, scene.general, owner, "Answer with strike facts", target
    )
    reply = await double.wait_for_bot_message(lambda c: bool(c.message["embeds"]))
    assert reply.message["message_reference"]["message_id"] == target["id"]
    followup = await double.wait_for_request(
        lambda r: r.method == "POST" and r.path.startswith("/webhooks/")
    )
    assert followup.json["flags"] & EPHEMERAL and "Answered" in followup.json["content"]
    assert record.acknowledged


async def test_unexpected_errors_reach_members_as_a_generic_apology(scene: AskScene) -> None:
    def broken(question: str, **kwargs: Any) -> Any:
        raise RuntimeError("database password is hunter2")

    scene.runtime.knowledge.answer = broken  # type: ignore[method-assign]
    data = (await scene.slash_ask(scene.alice, ANSWERED))["data"]
    assert data["content"] == SOMETHING_WENT_WRONG and data["flags"] & EPHEMERAL
    assert "hunter2" not in str(data)
