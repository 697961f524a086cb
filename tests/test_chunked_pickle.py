"""A value holding knowledge bases crosses processes as small pieces and comes back equal."""

from __future__ import annotations

import pickle

import pytest

from bot import chunked_pickle
from bot.chunked_pickle import pickle_steps, unpickle_steps
from bot.cooperative import drain, run_cooperatively
from bot.knowledge.loader import LoadResult, load_knowledge
from bot.knowledge.model import KnowledgeBase
from tests.conftest import REPO_ROOT

KNOWLEDGE_DIR = REPO_ROOT / "knowledge"


def _same(copy: KnowledgeBase, base: KnowledgeBase) -> None:
    assert copy == base
    for name in ("strikes", "sources", "facts"):
        records, original = getattr(copy, name), getattr(base, name)
        assert list(records) == list(original)  # order kept: export writes in it
        assert [r.origin for r in records.values()] == [r.origin for r in original.values()]
    assert copy.synonyms == base.synonyms and dict(copy.templates) == dict(base.templates)


def test_the_real_base_round_trips_exactly_in_many_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chunked_pickle, "RECORDS_PER_PIECE", 7)
    base = load_knowledge(KNOWLEDGE_DIR)
    pickled = drain(pickle_steps(LoadResult(base, ())))
    assert len(pickled.bases) == 1 and len(pickled.bases[0]) > len(base.facts) // 7
    result = drain(unpickle_steps(pickle.loads(pickle.dumps(pickled))))
    assert isinstance(result, LoadResult) and result.issues == ()
    _same(result.knowledge, base)
    with pytest.raises(TypeError):
        result.knowledge.facts["new"] = next(iter(base.facts.values()))  # type: ignore[index]


async def test_several_bases_in_one_value_come_back_in_their_places() -> None:
    base = load_knowledge(KNOWLEDGE_DIR)
    empty = KnowledgeBase.build()
    value = (base, "export", empty, [base])
    pickled = await run_cooperatively(pickle_steps(value))
    assert len(pickled.bases) == 3
    copy = await run_cooperatively(unpickle_steps(pickled))
    _same(copy[0], base)
    assert copy[1] == "export" and copy[2] == empty
    _same(copy[3][0], base)


def test_a_value_without_a_base_is_pickled_whole() -> None:
    pickled = drain(pickle_steps({"data": b"zip", "count": 3}))
    assert pickled.bases == ()
    assert drain(unpickle_steps(pickled)) == {"data": b"zip", "count": 3}
