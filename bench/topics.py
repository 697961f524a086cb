"""What generated facts are about: one template per strike topic a member asks about.

Each topic holds several ways a member asks it (a fact gets three or four of them), the
answer the bot would give, and the sentence of the news article that is its evidence.
Slots in braces are filled per strike and per fact by `bench.generate`:
{union} {union_name} {members} {employer} {city} {date} {date2} {pct} {pct2} {share} {amount}
{amount2} {person} {role} {place} {weeks} {hours} {n} {n2} {year}.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Topic:
    """One kind of fact: how members ask it, how the bot answers, and the evidence."""

    key: str
    tags: tuple[str, ...]
    questions: tuple[str, ...]
    answer: str
    quote: str


TOPICS: tuple[Topic, ...] = (
    Topic(
        "start",
        ("timeline", "start"),
        (
            "When did the {union} strike at {employer} start?",
            "what day did {members} at {employer} walk out",
            "when did the {city} {union} strike begin?",
            "how long ago did the {employer} strike start",
            "what date did the {union} go on strike in {city}",
        ),
        "{union} {members} at {employer} in {city} walked off the job on {date}.",
        "{members_cap} represented by the {union_name} walked off the job at {employer} on {date}.",
    ),
    Topic(
        "authorization-vote",
        ("vote", "authorization"),
        (
            "how many {union} members voted to authorize the strike at {employer}?",
            "what was the strike authorization vote in {city}",
            "did the {union} strike vote pass at {employer}",
            "what % voted yes to strike at {employer}",
        ),
        "{share}% of {union} members at {employer} who voted backed a strike, in a vote that "
        "closed on {date}.",
        "The strike authorization passed with {share}% of voting members in favor, the "
        "{union} said on {date}.",
    ),
    Topic(
        "wages",
        ("pay", "wages"),
        (
            "what raise is the {union} asking {employer} for?",
            "how much of a pay increase do {members} in {city} want",
            "what are the {union} wage demands at {employer}",
            "how big a raise is {employer} offering",
            "whats the pay gap between the {union} and {employer} offers",
        ),
        "As of {date}, the {union} is asking {employer} for a {pct}% raise over the contract; "
        "{employer} has offered {pct2}%.",
        "The union is seeking raises of {pct}% over the life of the contract, while {employer} "
        "has offered {pct2}%.",
    ),
    Topic(
        "minimums",
        ("pay", "minimums"),
        (
            "will {employer} raise minimums for {members}?",
            "what is the new minimum rate the {union} wants in {city}",
            "are minimum pay rates going up at {employer}",
            "what's {employer}'s offer on minimums",
        ),
        "As of {date}, the {union} wants the minimum hourly rate at {employer} raised to "
        "${amount}; {employer} proposed ${amount2}.",
        "The {union} proposed a minimum rate of ${amount} an hour; {employer} countered with "
        "${amount2}.",
    ),
    Topic(
        "residuals",
        ("residuals", "pay"),
        (
            "what are the {union} asking for on residuals from {employer}?",
            "do {members} at {employer} get residuals for streaming",
            "is {employer} offering better residuals",
            "what's happening with residuals in the {employer} talks",
        ),
        "As of {date}, the {union} is asking {employer} for residuals on reuse and streaming, "
        "worth about ${amount} per title; {employer} has not agreed.",
        "The {union} wants residuals on reuse and streaming, worth about ${amount} per title, "
        "a demand {employer} has so far rejected.",
    ),
    Topic(
        "ai",
        ("ai", "technology"),
        (
            "what protections against AI does the {union} want from {employer}?",
            "will {employer} agree to limits on artificial intelligence",
            "is AI part of the {union} contract fight in {city}",
            "what did {employer} say about AI replacing {members}",
        ),
        "As of {date}, the {union} is asking {employer} for consent and pay whenever AI is used "
        "to replicate {members}' work; {employer} offered notice only.",
        "On artificial intelligence, the {union} demanded consent and compensation, while "
        "{employer} offered only to notify workers, {person} said.",
    ),
    Topic(
        "health-plan",
        ("health", "benefits"),
        (
            "what's going on with the {union} health plan at {employer}?",
            "will {members} lose health insurance during the {employer} strike",
            "is {employer} raising health care premiums",
            "who pays for health coverage while {union} is on strike in {city}",
        ),
        "{employer} ended health coverage for striking {union} members on {date}; the union's "
        "fund covers premiums of up to ${amount} a month.",
        "{employer} cut off health insurance for strikers on {date}, and the union said its "
        "fund would cover premiums of up to ${amount} a month.",
    ),
    Topic(
        "pension",
        ("pension", "benefits"),
        (
            "what does the {union} want on pensions at {employer}?",
            "is {employer} getting rid of the pension",
            "will new hires in {city} get a pension",
            "what happened to retirement benefits in the {employer} talks",
        ),
        "As of {date}, the {union} wants {employer} to restore the defined-benefit pension for "
        "workers hired after {year}; {employer} offered a {pct}% 401(k) match instead.",
        "The union wants the pension restored for workers hired after {year}, while the "
        "company offered a {pct}% 401(k) match.",
    ),
    Topic(
        "staffing",
        ("staffing", "safety"),
        (
            "what staffing ratios is the {union} asking {employer} for?",
            "are {members} at {employer} understaffed",
            "how many {members} per shift does the {union} want in {city}",
            "whats the staffing demand at {employer}",
        ),
        "As of {date}, the {union} is asking {employer} for a guaranteed minimum of {n} "
        "{members} per shift; {employer} offered {n2}.",
        "The {union} wants a guaranteed minimum of {n} {members} on every shift; {employer} "
        "has offered {n2}.",
    ),
    Topic(
        "picket-rules",
        ("picket", "rules"),
        (
            "where is the {union} picket line at {employer}?",
            "what are the picket rules in {city}",
            "what hours do {union} pickets run at {employer}",
            "can i bring my kids to the {employer} picket",
            "where do i sign up for picket shifts in {city}",
        ),
        "{union} pickets at {employer} in {city} run at {place} from {hours} a.m., in "
        "four-hour shifts; sign up with your strike captain, {person}.",
        "Pickets will be held at {place} starting at {hours} a.m., in four-hour shifts "
        "organised by strike captain {person}.",
    ),
    Topic(
        "strike-pay",
        ("strike pay", "benefits"),
        (
            "how much is {union} strike pay?",
            "when do {members} at {employer} get strike pay",
            "does the {union} pay us while we strike in {city}",
            "how much strike pay per week from the {union}",
        ),
        "The {union} pays ${amount} a week in strike pay to members on the {employer} picket "
        "line, starting from week {weeks} of the strike.",
        "Members will receive ${amount} a week from the strike fund, starting in week {weeks}, "
        "the {union} said.",
    ),
    Topic(
        "arbitration",
        ("arbitration", "legal"),
        (
            "is the {employer} dispute going to arbitration?",
            "did the {union} agree to binding arbitration",
            "what happened with the arbitration case in {city}",
            "who is the arbitrator in the {employer} case",
        ),
        "As of {date}, the {union} has rejected binding arbitration with {employer}; the "
        "grievance before arbitrator {person} is set for {date2}.",
        "The union rejected binding arbitration, {person} said, and a hearing on the "
        "grievance is set for {date2}.",
    ),
    Topic(
        "mediator",
        ("mediation", "negotiations"),
        (
            "is there a mediator in the {employer} talks?",
            "who is mediating between the {union} and {employer}",
            "did a federal mediator get involved in {city}",
            "when did mediation start at {employer}",
        ),
        "Federal mediator {person} joined the {union}–{employer} talks on {date}.",
        "Federal mediator {person} joined the talks on {date}, both sides confirmed.",
    ),
    Topic(
        "next-session",
        ("negotiations", "schedule"),
        (
            "when is the next bargaining session with {employer}?",
            "are the {union} and {employer} meeting again",
            "when do talks resume in {city}",
            "any news on the next negotiation date at {employer}",
        ),
        "As of {date}, the {union} and {employer} are scheduled to return to the bargaining "
        "table on {date2}.",
        "The {union} and {employer} will return to the bargaining table on {date2}, a union "
        "spokesperson said.",
    ),
    Topic(
        "tentative-agreement",
        ("agreement", "deal"),
        (
            "is there a tentative agreement at {employer}?",
            "did the {union} reach a deal with {employer}",
            "when do we vote on the {employer} tentative agreement",
            "whats in the {city} tentative deal",
        ),
        "The {union} reached a tentative agreement with {employer} on {date}; members vote on "
        "ratification until {date2}.",
        "A tentative agreement was reached on {date}, and ratification voting will run through "
        "{date2}.",
    ),
    Topic(
        "ratification",
        ("agreement", "vote", "end"),
        (
            "did {union} members ratify the {employer} contract?",
            "what was the ratification vote at {employer}",
            "is the {city} strike over",
            "when did the {employer} strike end",
        ),
        "{union} members ratified the {employer} contract with {share}% in favor on {date}, "
        "ending the strike.",
        "Members voted {share}% in favor of ratifying the contract on {date}, ending the strike.",
    ),
    Topic(
        "contract-length",
        ("contract", "terms"),
        (
            "how long is the {employer} contract?",
            "when does the {union} contract with {employer} expire",
            "how many years is the new {city} deal",
            "when did the old {employer} contract run out",
        ),
        "The {union} contract with {employer} expired on {date}; the union proposes a "
        "{n}-year term, {employer} {n2} years.",
        "The previous contract expired on {date}; the union proposed a {n}-year deal and the "
        "company a {n2}-year deal.",
    ),
    Topic(
        "cost-of-living",
        ("pay", "cola"),
        (
            "does the {union} want a cost of living adjustment from {employer}?",
            "is COLA in the {employer} offer",
            "what about inflation raises in {city}",
            "will {members} get cost-of-living raises",
        ),
        "As of {date}, the {union} is asking {employer} to restore cost-of-living adjustments "
        "of up to {pct}% a year; {employer} has refused.",
        "The union wants cost-of-living adjustments of up to {pct}% a year restored, which "
        "{employer} has refused.",
    ),
    Topic(
        "replacement-workers",
        ("scabs", "picket"),
        (
            "is {employer} hiring replacement workers?",
            "are there scabs crossing the {union} picket in {city}",
            "did {employer} bring in temps during the strike",
            "how many replacement workers has {employer} hired",
        ),
        "As of {date}, {employer} has brought in about {n} replacement workers in {city}, the "
        "{union} said.",
        "About {n} replacement workers have been brought in by {employer}, according to the "
        "{union}.",
    ),
    Topic(
        "return-to-work",
        ("return", "rights"),
        (
            "will striking {members} get their jobs back at {employer}?",
            "can {employer} fire us for striking",
            "what are the return to work rules in {city}",
            "is there a back to work agreement with {employer}",
        ),
        "The {union} demands that {employer} return every striker to their job within {weeks} "
        "weeks of a deal, with no retaliation, as of {date}.",
        "Any deal must return every striker to their job within {weeks} weeks with no "
        "retaliation, {person} said.",
    ),
    Topic(
        "overtime",
        ("overtime", "scheduling"),
        (
            "what does the {union} want on mandatory overtime at {employer}?",
            "is forced overtime an issue in {city}",
            "how many overtime hours can {employer} require",
            "whats the overtime cap in the {union} proposal",
        ),
        "As of {date}, the {union} is asking {employer} to cap mandatory overtime at {n} hours "
        "a week; {employer} wants {n2}.",
        "The {union} wants mandatory overtime capped at {n} hours a week, while {employer} "
        "proposed {n2}.",
    ),
    Topic(
        "scheduling",
        ("scheduling", "hours"),
        (
            "what is the {union} asking for on schedules at {employer}?",
            "do {members} in {city} get their schedules in advance",
            "is {employer} changing shift scheduling",
            "how much notice for schedules does the {union} want",
        ),
        "As of {date}, the {union} wants {employer} to post schedules {n} weeks in advance; "
        "{employer} offered {n2} weeks.",
        "Schedules would be posted {n} weeks ahead under the union's proposal; {employer} "
        "offered {n2} weeks.",
    ),
    Topic(
        "safety",
        ("safety", "conditions"),
        (
            "what safety issues is the {union} raising at {employer}?",
            "is {employer} safe to work at",
            "were there injuries at the {city} site",
            "what does the {union} say about heat safety",
        ),
        "As of {date}, the {union} reported {n} injuries at {employer}'s {city} site this year "
        "and is asking for a joint safety committee.",
        "There have been {n} injuries at the {city} site this year, the union said, calling "
        "for a joint safety committee.",
    ),
    Topic(
        "remote-work",
        ("remote", "conditions"),
        (
            "does the {union} want remote work at {employer}?",
            "can {members} work from home under the {employer} deal",
            "what's the work from home proposal in {city}",
            "is hybrid work in the {employer} contract",
        ),
        "As of {date}, the {union} is asking {employer} to guarantee {n} remote days a week; "
        "{employer} has offered {n2}.",
        "The {union} proposed {n} remote days a week; {employer} has offered {n2}.",
    ),
    Topic(
        "layoffs",
        ("layoffs", "jobs"),
        (
            "is {employer} planning layoffs?",
            "how many {union} jobs are being cut in {city}",
            "did {employer} announce job cuts during the strike",
            "are {members} at {employer} at risk of layoffs",
        ),
        "{employer} announced {n} layoffs in {city} on {date}; the {union} called them "
        "retaliation.",
        "{employer} said on {date} that it would lay off {n} workers in {city}, a move the "
        "union called retaliation.",
    ),
    Topic(
        "leader-statement",
        ("people", "statements"),
        (
            "what did {person} say about the {employer} strike?",
            "who is {person}",
            "what did the {union} {role} say in {city}",
            "any statement from {person}",
        ),
        "{person}, the {union}'s {role} in {city}, said on {date} that {members} would stay out "
        "until {employer} bargains in good faith.",
        "\u201cWe stay out until {employer} bargains in good faith,\u201d said {person}, the "
        "{union}'s {role}, on {date}.",
    ),
    Topic(
        "company-statement",
        ("employer", "statements"),
        (
            "what did {employer} say about the {union} strike?",
            "has {employer} responded to the strike",
            "what is {employer}'s position in {city}",
            "did {employer} put out a statement",
        ),
        "{employer} said on {date} that its offer to the {union} is \u201cfair and "
        "competitive\u201d and that it is ready to meet.",
        "In a statement on {date}, {employer} called its offer \u201cfair and "
        "competitive\u201d and said it was ready to meet.",
    ),
    Topic(
        "solidarity",
        ("solidarity", "picket"),
        (
            "are other unions honoring the {union} picket at {employer}?",
            "will delivery drivers cross the {city} picket line",
            "who is supporting the {employer} strikers",
            "is there a solidarity rally in {city}",
        ),
        "As of {date}, {n} other unions have pledged to honor the {union} picket lines at "
        "{employer}; a rally is set for {date2} in {city}.",
        "{n} unions have pledged to honor the picket lines, and a solidarity rally is set for "
        "{date2} in {city}.",
    ),
    Topic(
        "childcare",
        ("childcare", "benefits"),
        (
            "does the {union} want childcare benefits from {employer}?",
            "is there a childcare stipend in the {employer} offer",
            "what about child care for {members} in {city}",
            "how much is the proposed childcare benefit",
        ),
        "As of {date}, the {union} is asking {employer} for a childcare stipend of ${amount} a "
        "month; {employer} has not responded.",
        "The union proposed a childcare stipend of ${amount} a month, to which {employer} has "
        "not responded.",
    ),
    Topic(
        "unfair-labor-practice",
        ("legal", "nlrb"),
        (
            "did the {union} file an unfair labor practice charge against {employer}?",
            "is the NLRB involved in the {employer} strike",
            "what ULP charges were filed in {city}",
            "is this an unfair labor practice strike",
        ),
        "The {union} filed {n} unfair labor practice charges against {employer} with the labor "
        "board on {date}.",
        "The {union} said it filed {n} unfair labor practice charges against {employer} on {date}.",
    ),
    Topic(
        "hardship-fund",
        ("strike fund", "benefits"),
        (
            "is there a hardship fund for {union} strikers?",
            "how do i apply for emergency help during the {employer} strike",
            "what help is there for rent during the {city} strike",
            "how much is in the {union} strike fund",
        ),
        "The {union} hardship fund for {employer} strikers holds ${amount}; members can apply "
        "for rent help of up to ${amount2} since {date}.",
        "The hardship fund now holds ${amount}, and strikers can apply for up to ${amount2} in "
        "rent help, the union said on {date}.",
    ),
)
