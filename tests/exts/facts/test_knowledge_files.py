"""/kb reload, /fact export, /source add and /facts gaps on a real StrikeBot."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot.discord_app.permissions import REFUSAL_TEXT
from bot.knowledge.loader import check_knowledge
from bot.storage.database import open_database
from bot.storage.unanswered import UnansweredStore
from tests.e2e.discord_double import InteractionRecord, Member
from tests.e2e.discord_double import interaction_payloads as ip
from tests.exts.facts.harness import Scene, is_ephemeral, row_counts, text_of
from tests.exts.facts.test_fact_changes import NEW_FACT, add_fact, ask

LEFT_BEHIND = "Will any writers be left behind in the deal?"
ARTICLE_ID = "deadline-2023-09-24-tentative-deal"
ARTICLE = """By Jane Reporter
September 24, 2023 8:15pm PDT
The WGA and the AMPTP reached a tentative agreement on Sunday night after five days of talks.
Subscribe for full access to The Hollywood Reporter.
The deal still has to be ratified by the guild's members before the strike formally ends.
Related Stories
Business
Actors Strike Talks To Resume Next Week
"""
DEAL_QUOTE = (
    "The deal still has to be ratified by the guild's members before the strike formally ends."
)


async def test_broken_yaml_keeps_the_old_knowledge_and_shows_every_problem(scene: Scene) -> None:
    demands = scene.knowledge_dir / "facts" / "wga-demands.yaml"
    timeline = scene.knowledge_dir / "facts" / "strike-timeline.yaml"
    original_demands, original_timeline = demands.read_text(), timeline.read_text()
    async with scene.bot():
        demands.write_text(original_demands + "  - id: [unclosed\n")
        timeline.write_text(original_timeline.replace("source: thr-", "source: nowhere-", 1))
        record = await scene.slash(scene.mod, "kb reload")
        failed = await scene.reply(record)
        assert f"Fact {'wga-no-one-left-behind'}" in await ask(scene, LEFT_BEHIND)
        demands.write_text(original_demands)
        timeline.write_text(original_timeline)
        fixed = await scene.reply(await scene.slash(scene.mod, "kb reload"))
    assert is_ephemeral(failed)
    assert failed.content.startswith("Reload failed: 2 problem(s)")
    assert "members are still answered" in failed.content
    assert "knowledge/facts/wga-demands.yaml:" in failed.content
    assert "knowledge/facts/strike-timeline.yaml:" in failed.content
    assert "unknown source 'nowhere-" in failed.content
    assert len(failed.content) <= 2000
    assert fixed.content.startswith("Reloaded: 55 facts, 2 sources, 2 strikes")


async def test_export_unzips_to_a_base_that_passes_kb_check_with_the_new_fact(
    scene: Scene, tmp_path: Path
) -> None:
    async with scene.bot():
        await add_fact(scene, scene.mod)
        record = await scene.slash(scene.owner, "fact export")
        reply = await scene.reply(record)
    assert is_ephemeral(reply) and "`kb check`: ok" in reply.content
    uploads = [
        f
        for r in scene.double.requests
        if r.method in ("POST", "PATCH") and record.token in r.path
        for f in r.files
    ]
    assert len(uploads) == 1 and uploads[0].filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(uploads[0].data)) as archive:
        archive.extractall(tmp_path / "unzipped")
    result = check_knowledge(tmp_path / "unzipped" / "knowledge")
    assert result.issues == ()
    assert NEW_FACT in result.knowledge.facts
    assert result.knowledge.facts[NEW_FACT].tags == ("amptp", "talks")


@pytest.fixture
async def article_url() -> AsyncIterator[str]:
    """The article text served over HTTP, as Discord's CDN serves an attachment."""
    app = web.Application()

    async def article(_: web.Request) -> web.Response:
        return web.Response(text=ARTICLE, content_type="text/plain")

    app.router.add_get("/article.txt", article)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/article.txt"
    finally:
        await runner.cleanup()


async def source_add(scene: Scene, who: Member, url: str) -> InteractionRecord:
    """`/source add` with an attachment. The double cannot type attachment options yet, so
    the interaction is built here the way Discord sends it (option type 11 + resolved)."""
    command = scene.double.commands.find("source", scene.guild.id)
    attachment_id = str(scene.double.world.snowflakes.next())
    options = [
        {"type": 11, "name": "file", "value": attachment_id},
        {"type": ip.STRING, "name": "source_id", "value": ARTICLE_ID},
        {"type": ip.STRING, "name": "outlet", "value": "Deadline"},
        {"type": ip.STRING, "name": "published", "value": "2023-09-24"},
    ]
    data = {
        "id": command["id"],
        "name": "source",
        "type": 1,
        "options": [{"type": ip.SUB_COMMAND, "name": "add", "options": options}],
        "resolved": {
            "attachments": {
                attachment_id: {
                    "id": attachment_id,
                    "filename": "article.txt",
                    "size": len(ARTICLE.encode()),
                    "url": url,
                    "proxy_url": url,
                    "content_type": "text/plain; charset=utf-8",
                }
            }
        },
    }
    return await scene.double._send_interaction(
        ip.APPLICATION_COMMAND, scene.guild, scene.channel, who, data
    )


async def test_source_add_cleans_the_article_and_facts_can_quote_it(
    scene: Scene, article_url: str
) -> None:
    before = await row_counts(scene.db_path)
    async with scene.bot() as bot:
        refused = await scene.reply(await source_add(scene, scene.member, article_url))
        assert refused.content == REFUSAL_TEXT
        assert await row_counts(scene.db_path) == before
        added = await scene.reply(await source_add(scene, scene.mod, article_url))
        source = bot.runtime.knowledge.snapshot.knowledge.sources[ARTICLE_ID]
        opened = await scene.slash(
            scene.mod, "fact add", {"fact_id": "wga-deal-needs-ratification"}
        )
        await scene.modal(opened)
        question = "Does the tentative deal need to be ratified?"
        submitted = await scene.double.send_modal_submit(
            opened,
            {
                "fact:questions": question,
                "fact:answer": "Yes: the guild's members still have to ratify the tentative deal.",
                "fact:source": ARTICLE_ID,
                "fact:quote": DEAL_QUOTE,
            },
        )
        assert "Added" in text_of(await scene.reply(submitted))
        assert "Fact wga-deal-needs-ratification" in await ask(scene, question)
    assert is_ephemeral(added) and f"Added source `{ARTICLE_ID}`: 2 paragraphs" in added.content
    assert "Unknown (left empty): headline, url, authors" in added.content
    assert source.outlet == "Deadline" and source.headline is None and source.url is None
    assert "Subscribe" not in source.text and "Related Stories" not in source.text
    assert "By Jane Reporter" not in source.text


async def test_gaps_groups_similar_unanswered_questions_and_expires_old_ones(
    scene: Scene,
) -> None:
    db = await open_database(scene.db_path)
    try:
        old = datetime.now(UTC) - timedelta(days=120)
        await UnansweredStore(db).record("ancient question", guild_id=scene.guild.id, at=old)
    finally:
        await db.close()
    async with scene.bot():
        for question in (
            "What is the catering budget for picket lines?",
            "what is the catering budget for the picket lines",
            "Where do I pick up my strike fund check?",
        ):
            await ask(scene, question)
        reply = await scene.reply(await scene.slash(scene.mod, "facts gaps"))
    assert is_ephemeral(reply)
    assert "3 question(s) in 2 group(s)" in reply.content
    assert "1. **2×** What is the catering budget for picket lines?" in reply.content
    assert "ancient question" not in reply.content
    assert (await row_counts(scene.db_path))["audit_log"] == 0
