"""Numbered SQL migrations, discovered by `bot.storage.database`."""
