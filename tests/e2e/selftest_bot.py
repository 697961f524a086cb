"""The discord.py bot the double's self-tests drive: one of each interaction kind.

Plain discord.py, no mocks; only ``before_identify_hook`` is overridden, because the
library's default sleeps 5 s before every re-IDENTIFY.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

GUILD_READY_TIMEOUT = 0.05
"""discord.py waits this long after the last GUILD_CREATE before on_ready (default 2 s)."""


class PanelView(discord.ui.View):
    """One button that edits its own message when clicked."""

    @discord.ui.button(label="Acknowledge", custom_id="panel:ack")
    async def acknowledge(
        self, interaction: discord.Interaction, _: discord.ui.Button[Any]
    ) -> None:
        await interaction.response.edit_message(content="acknowledged", view=None)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    """One text input, answered with an ephemeral thank-you."""

    text: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Your feedback", custom_id="fb:text"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class DoubleTestBot(commands.Bot):
    """A plain discord.py bot with one of each interaction kind the double must carry."""

    def __init__(self, *, message_content: bool = True, **options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = message_content
        options.setdefault("guild_ready_timeout", GUILD_READY_TIMEOUT)
        super().__init__(command_prefix="!", intents=intents, **options)
        self.choice_count = 25
        self.errors: asyncio.Queue[Exception] = asyncio.Queue()
        self.resumed = asyncio.Event()
        self.seen_content: asyncio.Queue[str] = asyncio.Queue()

    async def setup_hook(self) -> None:
        self.tree.add_command(ask)
        self.tree.add_command(panel)
        self.tree.add_command(feedback)
        self.tree.add_command(quote)
        self.tree.add_command(upload)
        self.tree.add_command(badmodal)
        self.tree.add_command(cleanup)
        self.tree.on_error = self._tree_error  # type: ignore[method-assign]

    async def _tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await self.errors.put(error)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py's default sleeps 5 s before every re-IDENTIFY; tests need no pause."""

    async def on_resumed(self) -> None:
        self.resumed.set()

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        await self.seen_content.put(message.content)
        if message.content == "hello":
            await message.reply("hi there", allowed_mentions=discord.AllowedMentions.none())
        elif message.content == "too long":
            try:
                await message.channel.send("x" * 2001)
            except discord.HTTPException as exc:
                await self.errors.put(exc)
        elif message.content == "ping":
            await message.channel.send("pong")


@app_commands.command(description="Ask the bot a question")
@app_commands.describe(topic="What the question is about")
async def ask(interaction: discord.Interaction, topic: str, detail: bool = False) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.edit_original_response(content=f"answer about {topic} (detail={detail})")


@ask.autocomplete("topic")
async def ask_topic(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    bot = interaction.client
    assert isinstance(bot, DoubleTestBot)
    return [
        app_commands.Choice(name=f"{current} {i}", value=f"t{i}") for i in range(bot.choice_count)
    ]


@app_commands.command(description="Post a panel with a button")
async def panel(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("panel", view=PanelView())


@app_commands.command(description="Send feedback")
async def feedback(interaction: discord.Interaction) -> None:
    await interaction.response.send_modal(FeedbackModal())


@app_commands.command(description="Upload a file, then a follow-up")
async def upload(interaction: discord.Interaction) -> None:
    attached = discord.File(io.BytesIO(b"strike data"), filename="facts.txt")
    await interaction.response.send_message("here", file=attached)
    await interaction.followup.send("and more", ephemeral=True)


@app_commands.command(description="Open a modal that breaks a Discord limit")
@app_commands.choices(
    broken=[
        app_commands.Choice(name="title", value="title"),
        app_commands.Choice(name="label", value="label"),
    ]
)
async def badmodal(interaction: discord.Interaction, broken: str) -> None:
    title = "t" * 46 if broken == "title" else "ok"
    modal = discord.ui.Modal(title=title, custom_id="bad")
    modal.add_item(discord.ui.TextInput(label="l" * 46 if broken == "label" else "ok"))
    await interaction.response.send_modal(modal)


@app_commands.command(description="Post, edit and delete through the interaction webhook")
async def cleanup(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("temporary")
    await interaction.delete_original_response()
    followup = await interaction.followup.send("draft", wait=True)
    await followup.edit(content="final")
    fetched = await interaction.followup.fetch_message(followup.id)
    await interaction.followup.send(f"fetched {fetched.content}")
    await followup.delete()


@app_commands.context_menu(name="Quote")
async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
    await interaction.response.send_message(f"> {message.content}")
