"""Persistence in one SQLite file through aiosqlite: revisions, settings, votes, ledgers."""
