"""The Discord layer's core: the client, its permissions and testing-only endpoint overrides.

Cogs live in `bot/exts/`; this package holds what every cog shares.
"""
