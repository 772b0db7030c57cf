"""A healthcare partner's review of the MOU and the members schedule (round 11b), as rules over
many answer sets.

Each finding came from one document (the review's E1 and F1) but is a rule of the clause
library, so each test drafts the bundled examples, the scenario answer sets, variations of them
and generated collaboratives, and reads the text a lawyer would read.
"""

from __future__ import annotations

import datetime as dt

import pytest

from drafting.read.answers import add_months
from drafting.read.load import LoadedAnswers, load_answers
from tests.test_money_review import schedule
from tests.test_partner_review import ALL, clause_text
from tests.test_review_round5_mou import built, generated_of
from tests.test_review_round7_mou import mou_sets

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def replaced_sets() -> list[tuple[str, LoadedAnswers]]:
    """The MOUs that a collaboration agreement in the same pack replaces."""
    return [(n, la) for n, la in mou_sets() if la.answers.mou_replaced]


# --------------------------------------------------------------------------- 1 (F1.2)


class TestTheTermCitesTheAgreementsClause:
    @pytest.mark.parametrize("name,loaded", replaced_sets(), **IDS)
    def test_the_long_stop_ending_cites_the_conditions_precedent_clause_by_number(
            self, name: str, loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        number = agreement.targets["conditions-precedent"].number
        term = clause_text(built(loaded, "mou"), "commencement-term")
        assert "under its conditions precedent clause" not in term, name
        assert (f"under clause {number} (Conditions precedent) of the Collaboration Agreement "
                "because its conditions precedent are not met by the long-stop date") in term, name


# --------------------------------------------------------------------------- 2 (F1.3)


class TestTheFinalEndDateIsProposed:
    @pytest.mark.parametrize("name,loaded", replaced_sets(), **IDS)
    def test_a_bracketed_date_six_months_after_the_agreements_start_with_a_note(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "mou")
        proposed = long_date(add_months(loaded.answers.collaborative.commencement_date, 6))
        term = clause_text(doc, "commencement-term")
        assert "[●], if the Collaboration Agreement has not been signed" not in term, name
        assert f"[{proposed}], if the Collaboration Agreement has not been signed" in term, name
        clause = next(c for c in doc.clauses if c.id == "commencement-term")
        assert "six months after the agreement's planned start" in (clause.note or ""), name
        checklist = " ".join((doc.clauses[0].note or "").split())
        # round 14: the checklist states periods in figures
        assert (f"the memorandum's final end date if no collaboration agreement is signed, "
                f"{proposed}, 6 months after the agreement's planned start") in checklist, name


# --------------------------------------------------------------------------- 3 (E1.5, F1.5)


class TestOneCountingRule:
    @pytest.mark.parametrize("name,loaded", mou_sets(), **IDS)
    def test_the_memorandum_states_the_business_day_exception_it_applies(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "mou")
        notices = doc.targets["mou-review.notices"].number
        definitions = clause_text(doc, "definitions")
        assert ("Every period is counted in calendar days, except the time at which a notice is "
                f"treated as received, which is worked out in Business Days as clause {notices} "
                "provides.") in definitions, name
        assert "\u201cBusiness Day\u201d" in definitions, name
        assert "Business Day" in clause_text(doc, "mou-review"), name

    @pytest.mark.parametrize("name,loaded", [(p.stem, load_answers(p)) for p in ALL
                                             if "committee_terms" in load_answers(p).answers.documents],
                             **IDS)
    def test_a_document_without_business_days_keeps_the_plain_rule(
            self, name: str, loaded: LoadedAnswers) -> None:
        definitions = clause_text(built(loaded, "committee_terms"), "definitions")
        assert "Every period is counted in calendar days." in definitions, name
        assert "Business Day" not in definitions, name


# --------------------------------------------------------------------------- 4 (E1.2)


def observer_documents() -> list[tuple[str, str, LoadedAnswers]]:
    """(name, kind, answers) for every document with the members schedule and an observer."""
    sets = [(p.stem, load_answers(p)) for p in ALL]
    sets += [*mou_sets(), *generated_of("collaboration_agreement", 15)]
    found = []
    for name, loaded in sets:
        if not any(m.member_class == "observer" for m in loaded.answers.members):
            continue
        for kind in ("collaboration_agreement", "committee_terms", "mou"):
            if kind in loaded.answers.documents:
                found.append((f"{name}-{kind}", kind, loaded))
    return found


class TestObserversAreNotListedAsMembers:
    @pytest.mark.parametrize("name,kind,loaded", observer_documents(), **IDS)
    def test_every_party_table_is_headed_party_and_shows_the_class(
            self, name: str, kind: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, kind)
        lines = schedule(doc, "members").splitlines()
        heads = [ln for ln in lines if ln.startswith(("Party |", "Member |"))
                 and "Member of the" not in ln]
        assert heads, name
        assert all(h.startswith("Party | ") and "Class" in h.split(" | ") for h in heads), (
            name, heads)
        observers = [m.name for m in loaded.answers.members if m.member_class == "observer"]
        for observer in observers:
            rows = [ln for ln in lines if ln.startswith(observer + " | ")]
            assert len(rows) == len(heads), (name, rows)
            assert all("Observer" in row.split(" | ") for row in rows), (name, rows)
