"""Does a message read as a question? Pure text rules for ask channels and mentions.

Ask channels are busy picket-line chat; the bot only looks at messages that read as
questions, and even then answers only when the engine is confident. So these rules may
be generous (a false positive costs one engine call, never a reply), but they match
whole words, never substrings ("show" must not read as "how").
"""

from __future__ import annotations

import re
from typing import Final

# Words that open a question in English: interrogatives and auxiliary verbs.
QUESTION_OPENERS: Final = frozenset((
    "what", "whats", "what's", "when", "whens", "when's", "where", "wheres", "where's",
    "who", "whos", "who's", "whom", "whose", "why", "how", "hows", "how's", "which",
    "is", "are", "was", "were", "am", "do", "does", "did", "can", "could", "will", "would",
    "should", "shall", "may", "might", "must", "has", "have", "had",
    "isnt", "isn't", "arent", "aren't", "wasnt", "wasn't", "werent", "weren't",
    "dont", "don't", "doesnt", "doesn't", "didnt", "didn't", "cant", "can't",
    "couldnt", "couldn't", "wont", "won't", "wouldnt", "wouldn't", "shouldnt", "shouldn't",
    "hasnt", "hasn't", "havent", "haven't",
))  # fmt: skip
# Chatty lead-ins skipped before looking for the opener ("so when is the rally").
LEAD_INS: Final = frozenset((
    "so", "hey", "hi", "hello", "ok", "okay", "and", "but", "um", "uh", "also", "yo",
    "quick", "question",
))  # fmt: skip
# At most this many lead-in words are skipped: beyond it the sentence is not a question.
MAX_LEAD_INS: Final = 3
# Indirect questions without an opener or a question mark.
QUESTION_PHRASES: Final = (
    "anyone know",
    "anybody know",
    "someone know",
    "any idea",
    "any ideas",
    "any news",
    "any update",
    "any updates",
    "i wonder",
    "wondering",
    "can someone tell",
    "can anyone tell",
    "could someone tell",
    "tell me",
    "not sure if",
    "not sure when",
    "not sure what",
    "does anyone",
)

_URL: Final = re.compile(r"https?://\S+|<[@#][!&]?\d+>|<a?:\w+:\d+>")
_WORD: Final = re.compile(r"[a-z]+(?:'[a-z]+)?")
_PHRASES: Final = tuple(
    re.compile(r"\b" + r"\s+".join(map(re.escape, p.split())) + r"\b") for p in QUESTION_PHRASES
)


def looks_like_question(text: str) -> bool:
    """True for a question mark, an opening question word, or an indirect question phrase."""
    cleaned = _URL.sub(" ", text).replace("’", "'").lower()
    if "?" in cleaned:
        return True
    words = _WORD.findall(cleaned)
    skipped = 0
    while words and words[0] in LEAD_INS and skipped < MAX_LEAD_INS:
        words = words[1:]
        skipped += 1
    if words and words[0] in QUESTION_OPENERS:
        return True
    return any(phrase.search(cleaned) for phrase in _PHRASES)


_USER_MENTION: Final = re.compile(r"<@!?(\d+)>")


def strip_bot_mention(text: str, bot_id: int) -> str:
    """The question with mentions of the bot removed and spaces tidied."""
    without = _USER_MENTION.sub(lambda m: "" if int(m.group(1)) == bot_id else m.group(0), text)
    return " ".join(without.split())


# Discord markup that names people, roles, channels or emoji: not words of a question.
_MARKUP: Final = re.compile(r"<@[!&]?\d+>|<#\d+>|<a?:\w+:\d+>|(?<!\S)@(?:everyone|here)\b")


def without_discord_markup(text: str) -> str:
    """The question as words only: "@everyone <@&1> when did it start?" asks the same."""
    return " ".join(_MARKUP.sub(" ", text).split())
