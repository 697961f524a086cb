"""`strikebot console`: the bot's engine, knowledge and storage driven by text lines.

`session.ConsoleSession` interprets lines, `commands` parses them, `fact_actions` makes
moderator changes through the same editor as Discord, `render` prints results as text.
"""
