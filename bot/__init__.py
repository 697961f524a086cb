"""StrikeBot: answers strike questions from a sourced, moderator-curated fact base."""

__version__ = "0.1.0"
