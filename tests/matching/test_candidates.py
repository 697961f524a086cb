"""Candidate generation: the facts the index hands to re-ranking."""

from __future__ import annotations

from datetime import date

from bot.knowledge.model import Citation, Fact
from bot.matching.analysis import TextAnalyser
from bot.matching.index import CANDIDATE_POOL, FactIndex


def _fact(fact_id: str, question: str) -> Fact:
    return Fact(
        id=fact_id,
        questions=(question,),
        answer="An answer.",
        citations=(Citation("src", "a quote"),),
        as_of=date(2023, 8, 4),
    )


def test_a_fact_without_the_rarest_word_still_reaches_re_ranking() -> None:
    """The rarest word of a question alone can fill the pool (at 100,000 facts: 'fight'
    in 2,852 facts); the fact that answers, which lacks it but has the next rarest words,
    must still be a candidate."""
    fights = [_fact(f"fight-{n}", f"Who won fight number {n}?") for n in range(CANDIDATE_POOL + 50)]
    arbitrations = [
        _fact(f"arbitration-{n}", f"Is arbitration number {n} scheduled?")
        for n in range(CANDIDATE_POOL + 60)
    ]
    legal = [_fact(f"legal-{n}", f"Is legal team {n} ready?") for n in range(CANDIDATE_POOL + 70)]
    wanted = _fact("wanted", "What about arbitration for legal disputes?")
    facts = [*fights, *arbitrations, *legal, wanted]
    analyser = TextAnalyser((), [t for f in facts for t in (*f.questions, f.answer)])
    index = FactIndex.from_facts(facts, analyser)
    question = analyser.analyse("arbitration for legal fights")
    rarest_first = sorted(question.terms, key=index.document_frequency)
    assert rarest_first == ["fight", "arbitr", "legal"]
    candidates = {index.docs[p].fact.id for p in index.candidates(question.terms)}
    assert "wanted" in candidates
