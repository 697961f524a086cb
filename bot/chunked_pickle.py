"""Pickles values that hold a knowledge base as many small pieces, made and read in steps.

A 10,000-fact base pickles or unpickles in ~100 ms, one C call that holds the GIL (and,
run on the loop, the loop) throughout; at 100,000 facts, a second. Reload and export send
a base across the child process boundary (bot.child_process), so the bot's process would
stall that long for every reload (`pickle.loads` of the parsed base) and every export
(`pickle.dumps` of the effective base). Here each KnowledgeBase inside a value is pickled
apart from it, its records a few hundred at a time, so either side can do the work in
steps (bot.cooperative) between members' questions; the rest of the value is pickled
whole, with a reference in the base's place (pickle's persistent ids).

Records of different pieces no longer share equal strings (an origin's path, say) as one
object after the round trip; they are equal, which is all the model promises.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from bot.cooperative import Steps, batched
from bot.knowledge.model import KnowledgeBase

RECORDS_PER_PIECE: Final = 100
"""Strikes, sources or facts per piece: pickling or unpickling one takes about a
millisecond (10,000 facts with their sources take ~100 ms), a step's worth of work."""
PROTOCOL: Final = pickle.HIGHEST_PROTOCOL
_RECORDS: Final = ("strikes", "sources", "facts")
_REST: Final = "rest"
"""The piece holding a base's synonyms and templates: small, pickled in one go."""


@dataclass(frozen=True, slots=True)
class ChunkedPickle:
    """A value as bytes: the value with each base replaced by a reference, then the bases.

    `bases[i]` is the pieces of the base the `i`-th reference stands for, in order.
    """

    outer: bytes
    bases: tuple[tuple[bytes, ...], ...]


class _BaseSeparatingPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, bases: list[KnowledgeBase]) -> None:
        super().__init__(file, protocol=PROTOCOL)
        self._bases = bases

    def persistent_id(self, obj: Any) -> int | None:
        if type(obj) is not KnowledgeBase:
            return None
        self._bases.append(obj)
        return len(self._bases) - 1


class _BaseRestoringUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, bases: list[KnowledgeBase]) -> None:
        super().__init__(file)
        self._bases = bases

    def persistent_load(self, pid: Any) -> KnowledgeBase:
        return self._bases[pid]


def pickle_steps(value: object) -> Steps[ChunkedPickle]:
    """`value` pickled, every knowledge base in it a few hundred records per step."""
    bases: list[KnowledgeBase] = []
    outer = io.BytesIO()
    _BaseSeparatingPickler(outer, bases).dump(value)
    pickled: list[tuple[bytes, ...]] = []
    for base in bases:
        pieces: list[bytes] = []
        for name in _RECORDS:
            records: Mapping[str, object] = getattr(base, name)
            for batch in batched(records.items(), RECORDS_PER_PIECE):
                pieces.append(pickle.dumps((name, batch), protocol=PROTOCOL))
                yield
        rest = (base.synonyms, dict(base.templates))
        pieces.append(pickle.dumps((_REST, rest), protocol=PROTOCOL))
        pickled.append(tuple(pieces))
    return ChunkedPickle(outer.getvalue(), tuple(pickled))


def unpickle_steps(pickled: ChunkedPickle) -> Steps[Any]:
    """The value `pickle_steps` pickled, equal to it, every base read a piece per step."""
    bases: list[KnowledgeBase] = []
    for pieces in pickled.bases:
        records: dict[str, dict[str, Any]] = {name: {} for name in _RECORDS}
        rest: tuple[Any, ...] = ((), {})
        for piece in pieces:
            name, content = pickle.loads(piece)
            if name == _REST:
                rest = content
            else:
                records[name].update(content)
            yield
        synonyms, templates = rest
        bases.append(KnowledgeBase(**records, synonyms=synonyms, templates=templates))
        yield
    return _BaseRestoringUnpickler(io.BytesIO(pickled.outer), bases).load()
