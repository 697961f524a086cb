"""Text -> tokens, the same way for members' questions and for the facts.

Members type in Discord: lower case, curly or straight quotes, em dashes, possessives,
"aug 4" or "8/4" or "august 4th", "one hundred" or "100th", "wut" and "rn". Everything
here folds those variants onto one spelling so that later steps (typo correction,
synonyms, the index) compare like with like. Nothing here knows about the fact base.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from bot.matching.lexicon import CHAT_WORDS, IRREGULAR_VERBS

# Unicode punctuation members paste from articles or phones, folded to ASCII.
_PUNCT_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2026": " ",
    }
)

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
# Every key of MONTHS, written as a trie: Python's regex engine tries a plain 24-way
# alternation at every word, this one rejects a word on its first letters.
_MONTH = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:tember|t)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(\d{4}))?"
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
# Numeric dates are read month first (US usage: the strikes are in Los Angeles).
_SLASH_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}){_ORD}\b{_YEAR}")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_MONTH})\b\.?{_YEAR}")

DATE_TOKEN_PREFIX = "date"
# A month name as a whole word: the cheap test before the two month-name patterns.
# And a day number right before a month name: a third of the cost of _DAY_MONTH.
_DAY_BEFORE_MONTH = re.compile(rf"\d(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH})")
_MONTH_WORD = re.compile(rf"(?<![a-z])(?:{_MONTH})(?![a-z])")

# Contractions first (so "what's" is not read as a possessive), then possessives.
# Each with a literal every match contains: most texts with an apostrophe hold one or
# two kinds, and an `in` test is far cheaper than a substitution that finds nothing.
# Replacements add no apostrophe, so a literal absent at first stays absent.
_CONTRACTIONS = (
    ("can't", re.compile(r"\b(can)'t\b"), r"\1 not"),
    ("won't", re.compile(r"\b(won)'t\b"), "will not"),
    ("n't", re.compile(r"n't\b"), " not"),
    ("'s", re.compile(r"\b(what|that|there|it|who|where|when|how|here)'s\b"), r"\1 is"),
    ("'re", re.compile(r"'re\b"), " are"),
    ("'ve", re.compile(r"'ve\b"), " have"),
    ("'ll", re.compile(r"'ll\b"), " will"),
    ("'d", re.compile(r"'d\b"), " would"),
    ("i'm", re.compile(r"\bi'm\b"), "i am"),
    ("let's", re.compile(r"\blet's\b"), "let us"),
)
_POSSESSIVE = re.compile(r"(\w)'s\b")
_PLURAL_POSSESSIVE = re.compile(r"(\w)s'(?=\W|$)")
_ORDINAL_DIGITS = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
# What every ordinal has: a search for it is a third of the cost of the substitution.
_ORDINAL_SUFFIX = re.compile(r"\d(?:st|nd|rd|th)\b")
_TOKEN = re.compile(r"[a-z0-9]+")
_ANY_DIGIT = re.compile(r"\d")

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ORDINAL_WORDS = {"hundredth": 100, "thousandth": 1000, "fiftieth": 50, "ninetieth": 90}
SCALE_WORDS = {"hundred": 100, "thousand": 1000}
# Set look-ups that let most texts skip the per-token number and chat-word passes.
_NUMBER_KEYS = frozenset(NUMBER_WORDS) | frozenset(ORDINAL_WORDS) | frozenset(SCALE_WORDS)
_CHAT_KEYS = frozenset(CHAT_WORDS)

# Function words that never decide which fact a question is about.
_STOPWORD_TEXT = """
    a an the is are am was were be been being do does did doing of to in on at for and
    or but if it its this that these those there their theirs they them i me my you your
    we our us he him his she her so any some with by as from have has had having will
    would can could should shall might must may just really please hey hi hello guys
    yall lol ok okay yet still also too very much then than into onto up out now
    about there here get got gets even ever again currently anyone anybody someone
    somebody know tell explain happen happens happened happening going go goes news
    update updates latest thing things stuff like mean means actually exactly anything
    something everything down off"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Question words: they shape the fuzzy comparison with a fact's questions but are not
# evidence of the topic, so coverage scoring ignores them.
_WH_TEXT = "what which who whom whose when where why how"
WH_WORDS = frozenset(_WH_TEXT.split())

# Light suffix stripping so that "negotiations", "negotiating" and "negotiate" meet:
# one plural step, then at most one derivational suffix, then a final silent "e".
# A stem keeps at least MIN_STEM - 1 letters so short words are not mangled. "ment"
# makes "agreement" meet "agree(d)", "involvement" meet "involved".
_SUFFIXES = ("ment", "ing", "ion", "or", "er", "ed", "ly")
# "ment" only leaves a verb behind a long stem: "comment", "element" and "moment" are
# not "com" + "ment".
MENT_MIN_STEM = 5
# Noun endings whose verb drops letters: "resumption"/"resume", "assumption"/"assume",
# "production"/"produce", "reduction"/"reduce". Rewritten before the suffix step.
_ALTERNATING_ENDINGS = (("mption", "me"), ("uction", "uce"))
MIN_STEM = 4
# Stems are pure and a fact base of 100k facts has a few hundred thousand distinct words.
STEM_CACHE_SIZE = 500_000
_NO_PLURAL_ENDINGS = ("ss", "us", "is")
_ES_PLURAL_AFTER = ("s", "x", "z", "ch", "sh")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A calendar date named in a text; `year` is None when the text leaves it out."""

    month: int
    day: int
    year: int | None

    @property
    def token(self) -> str:
        """The canonical token every spelling of this month and day becomes."""
        return f"{DATE_TOKEN_PREFIX}{self.month:02d}{self.day:02d}"

    def on(self, default_year: int) -> date | None:
        """The date in `year` (or `default_year`); None when it does not exist."""
        try:
            return date(self.year or default_year, self.month, self.day)
        except ValueError:
            return None


def fold(text: str) -> str:
    """Unicode-normalise, fold quotes and dashes to ASCII, and lower-case."""
    if text.isascii():  # nothing to normalise, and only "`" of _PUNCT_FOLD can occur
        return text.replace("`", "'").lower()
    return unicodedata.normalize("NFKC", text).translate(_PUNCT_FOLD).lower()


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw)
    return value + 2000 if value < 100 else value


def _replace_dates(text: str, found: list[DateMention] | None) -> str:
    """Replace every date spelling in folded text by its canonical token.

    Mentions are appended to `found` when it is given; tokenising passes None and so
    builds no DateMention per date (fact bases date most of their answers).
    """

    def sub(month: int, day: int, year: int | None, original: str) -> str:
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return original
        if found is not None:
            found.append(DateMention(month, day, year))
        return f" {DATE_TOKEN_PREFIX}{month:02d}{day:02d} "

    # Each pattern runs only when the text has what it needs ("-", "/", a month name):
    # the month alternation is slow to try at every word, and most texts have none.
    if "-" in text:
        text = _ISO_DATE.sub(lambda m: sub(int(m[2]), int(m[3]), int(m[1]), m[0]), text)
    if "/" in text:
        text = _SLASH_DATE.sub(lambda m: sub(int(m[1]), int(m[2]), _year(m[3]), m[0]), text)
    if _MONTH_WORD.search(text) is None:
        return text
    text = _MONTH_DAY.sub(lambda m: sub(MONTHS[m[1]], int(m[2]), _year(m[3]), m[0]), text)
    if _DAY_BEFORE_MONTH.search(text) is None:
        return text
    return _DAY_MONTH.sub(lambda m: sub(MONTHS[m[2]], int(m[1]), _year(m[3]), m[0]), text)


def find_dates(text: str) -> list[DateMention]:
    """Every date named in `text`, in the order the patterns find them."""
    found: list[DateMention] = []
    _replace_dates(fold(text), found)
    return found


def extract_date(text: str, default_year: int) -> date | None:
    """The first valid date named in a question ("aug 4", "8/4", "2023-08-04")."""
    for mention in find_dates(text):
        on = mention.on(default_year)
        if on is not None:
            return on
    return None


def _numbers(tokens: list[str]) -> list[str]:
    """Fold runs of number words ("one hundred", "ninety five") into digits."""
    out: list[str] = []
    value: int | None = None
    for token in tokens:
        if token in NUMBER_WORDS:
            value = (value or 0) + NUMBER_WORDS[token]
        elif token in SCALE_WORDS:
            value = (value or 1) * SCALE_WORDS[token]
        elif token in ORDINAL_WORDS:
            value = (value or 0) + ORDINAL_WORDS[token] if value else ORDINAL_WORDS[token]
            out.append(str(value))
            value = None
        else:
            if value is not None:
                out.append(str(value))
                value = None
            out.append(token)
    if value is not None:
        out.append(str(value))
    return out


def raw_tokens(text: str) -> list[str]:
    """Surface tokens: folded, dates canonical, numbers as digits, chat words expanded.

    Stopwords are kept (synonym phrases such as "writers guild of america" contain
    them); `is_stopword` and `stem` are applied later in the pipeline.
    """
    text = fold(text)
    # Every date spelling and ordinal has a digit, every contraction and possessive an
    # apostrophe: most texts have neither, and skipping the patterns halves index builds.
    has_digit = _ANY_DIGIT.search(text) is not None
    if has_digit:
        text = _replace_dates(text, None)
    if "'" in text:
        for literal, pattern, replacement in _CONTRACTIONS:
            if literal in text:
                text = pattern.sub(replacement, text)
        if "'s" in text:
            text = _POSSESSIVE.sub(r"\1", text)
        if "s'" in text:
            text = _PLURAL_POSSESSIVE.sub(r"\1s", text)
        text = text.replace("'", "")
    if has_digit and _ORDINAL_SUFFIX.search(text) is not None:
        text = _ORDINAL_DIGITS.sub(r"\1", text)
    found: list[str] = _TOKEN.findall(text)
    if _CHAT_KEYS.isdisjoint(found):
        tokens = found
    else:
        tokens = []
        for token in found:
            expansion = CHAT_WORDS.get(token)
            tokens.extend(expansion.split() if expansion else (token,))
    return tokens if _NUMBER_KEYS.isdisjoint(tokens) else _numbers(tokens)


def is_stopword(token: str) -> bool:
    """Whether a token is a function word that says nothing about the topic."""
    return token in STOPWORDS


def is_protected(token: str) -> bool:
    """Tokens never stemmed or typo-corrected: numbers, date tokens, function words."""
    return (
        token.isdigit()
        or (token.startswith(DATE_TOKEN_PREFIX) and token[len(DATE_TOKEN_PREFIX) :].isdigit())
        or token in STOPWORDS
        or token in WH_WORDS
    )


@functools.lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(token: str) -> str:
    """A light, rule-based stem; the same word family meets on the same stem."""
    base = IRREGULAR_VERBS.get(token)
    if base is not None and base in STOPWORDS:
        return base  # "went", "knew": function verbs like "go", "know", dropped alike
    stemmed = _strip_suffixes(token)
    # "willing" must not become the function word "will" and vanish with stopwords.
    return token if stemmed in STOPWORDS or stemmed in WH_WORDS else stemmed


def _strip_suffixes(token: str) -> str:
    if is_protected(token):
        return token
    token = IRREGULAR_VERBS.get(token, token)
    if len(token) < MIN_STEM:
        return token
    if token.endswith("ies") and len(token) > MIN_STEM:
        token = token[:-3] + "y"
    elif token.endswith("es") and token[:-2].endswith(_ES_PLURAL_AFTER):
        token = token[:-2]
    elif token.endswith("s") and not token.endswith(_NO_PLURAL_ENDINGS):
        token = token[:-1]
    if len(token) <= MIN_STEM:
        return token
    for ending, verb in _ALTERNATING_ENDINGS:
        if token.endswith(ending):
            token = token[: -len(ending)] + verb
            break
    for suffix in _SUFFIXES:
        shortest = MENT_MIN_STEM if suffix == "ment" else MIN_STEM - 1
        if token.endswith(suffix) and len(token) - len(suffix) >= shortest:
            token = token[: -len(suffix)]
            break
    if token.endswith("e") and len(token) > MIN_STEM:
        token = token[:-1]
    if token.endswith("at") and len(token) - 2 >= MIN_STEM:
        token = token[:-2]  # "negotiat(e|ion|ing)", "preservat(ion)" meet "preserv(ing)"
    if len(token) > MIN_STEM and token[-1] == token[-2] and token[-1] not in "ls":
        token = token[:-1]  # "stopped" -> "stopp" -> "stop"
    return token
