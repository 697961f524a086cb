"""Discord features, one extension per area, discovered by walking this package.

A module or package here with `async def setup(bot)` is loaded by `StrikeBot.setup_hook`;
names starting with an underscore are private helpers and are never loaded on their own.
"""
