"""Lets `python -m bot` behave exactly like the `strikebot` console script."""

from bot.cli import main

raise SystemExit(main())
