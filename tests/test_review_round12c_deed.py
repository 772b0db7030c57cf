"""A healthcare partner's round-12 reading of the accession deed, the purpose clause and the
confidentiality clause (findings E2.1, A3.1 to A3.4, A1.5, E1.1, E2.2 and E2.4), as rules over
many answer sets: the examples, the scenario sets and generated collaboratives. Each test reads
the text a lawyer reads.
"""

from __future__ import annotations

from functools import lru_cache

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import MERSEY
from tests.test_review_round6_data import every_document, files, generated
from tests.test_review_round9_law import answer_sets
from tests.test_review_round11b_words import KINDS
from tests.test_review_round11c_mou import all_sets as mou_sets
from tests.test_review_round11c_mou import has_is
from tests.review_sets import ALL


@lru_cache(maxsize=None)
def drafted() -> tuple[tuple[str, LoadedAnswers, Document], ...]:
    """The examples and scenarios, generated agreements, MOUs and deeds, and MOU variations."""
    found = dict(files(ALL))
    found["mersey-clean-team"] = changed(MERSEY, competition={"information_barrier": "clean_team"})
    for name, loaded in [*generated(), *answer_sets("mou", "accession_deed", limit=20),
                         *mou_sets()]:
        found.setdefault(name, loaded)
    return tuple(every_document(list(found.items()), KINDS))


def of_kind(*kinds: str) -> list[tuple[str, LoadedAnswers, Document]]:
    return [(name, loaded, doc) for name, loaded, doc in drafted() if doc.kind in kinds]


# ------------------------------- 1. (E2.1) the competition caveat attaches to information


def test_purpose_plans_capacity_together_and_exchanges_only_its_information_as_allowed() -> None:
    seen = set()
    for name, loaded, doc in of_kind("collaboration_agreement", "mou"):
        text = " ".join(clause_text(doc, "purpose-objectives").split())
        assert "using their capacity together" not in text, name
        if not (has_is(loaded) and "at scale" in text):
            continue
        via = loaded.answers.competition.information_barrier == "hub"
        seen.add(via)
        # round 13 (AE2.2): joint planning is its own sentence, only on the information allowed
        expected = ("The Members plan the use of their capacity together only on "
                    + ("aggregated capacity information received through the Information Hub"
                       if via else "capacity information that clause"))
        assert expected in text, (name, text)
    assert seen == {True, False}


def classes_offered(loaded: LoadedAnswers) -> bool:
    """Whether the agreement admits members in more than one class (as its joining clause says)."""
    a = loaded.answers
    return bool(a.governance.vehicle in ("joint_committee", "committees_in_common")
                or any(m.member_class not in ("voting", "observer") for m in a.members))


# ------------------------------- 2. (A3.1) the deed offers only the classes the agreement has


def test_the_deed_offers_only_the_classes_the_agreement_provides() -> None:
    seen = set()
    for name, loaded, doc in of_kind("accession_deed"):
        text = " ".join(clause_text(doc, "ad-accession").split())
        offered = classes_offered(loaded)
        seen.add(offered)
        if offered:
            continue
        assert "member without a vote" not in text, name
        assert "(if admitted as a Voting Member)" not in text, name
        assert "its class" not in text, name
        # round 14 (ad-accession v13): the Agreement is then read as if it named the New Member
        assert "becomes a party to it as a Voting Member, and the Agreement is read as if" in text, name

    assert seen == {True, False}


# --------------- 3. (A3.2, A1.5) where the lead commissions, the lead sets the annual value


def test_where_the_lead_commissions_the_annual_value_is_its_allocation_decision() -> None:
    seen = 0
    for name, loaded, doc in of_kind("accession_deed"):
        text = " ".join(clause_text(doc, "ad-accession").split())
        a = loaded.answers
        if not (a.commissioning.lead_commissions and "Lead Provider" in text
                and "annual value" in text):
            continue
        seen += 1
        assert "as approved in the decision that admitted it" not in text, name
        # round 24: the sub-contract is named by its date and takes effect by the Accession Date
        assert ("the annual value of the sub-contract that the Lead Provider awarded it on [●] "
                "(a decision it takes in its commissioning role under clause") in text, name
    assert seen >= 2


# ------------- 5. (E1.1, E2.2) reports to member boards and the commissioner are permitted


def test_members_may_report_to_their_boards_and_the_commissioner_in_public_with_redaction() -> None:
    seen = set()
    for name, loaded, doc in of_kind("collaboration_agreement", "mou"):
        text = " ".join(clause_text(doc, "confidentiality-foi").split())
        start = text.find("Nothing in this clause prevents a Member from reporting")
        assert start >= 0, name
        sentence = text[start:text.find(".", start)]
        for words in ("to its own Member Board or to the Commissioner", "in a meeting held in public",
                      "in papers it publishes", "Commercially Sensitive Information of another party is "
                      "redacted from anything published and is considered only in a private session"):
            assert words in sentence, (name, words, sentence)
        competition = "Competitively Sensitive Information" in flat(doc).replace(sentence, "")
        assert ("Competitively Sensitive Information or" in sentence) == competition, name
        seen.add((doc.kind, competition))
    assert len(seen) == 4, seen


# ---------- 4. (A3.3, A3.4) the successor form fits the deed; one citation per recalculation


def test_successor_form_fits_the_recital_and_each_recalculation_cites_one_sub_clause() -> None:
    successors = recalculations = 0
    for name, _loaded, doc in of_kind("accession_deed"):
        text = " ".join(clause_text(doc, "ad-accession").split())
        whole = " ".join(flat(doc).split())
        recital = whole[whole.find("have agreed to admit the New Member"):][:400]
        assert "handover date" not in text, name
        # round 24 (ad-accession v15): the successor's case is one bracketed sub-clause
        if "joins as the Successor Lead Provider" in text:
            successors += 1
            assert "[as the successor to the Lead Provider that the Commissioner chose" in recital, name
            assert "it takes over the role of the Lead Provider under the Agreement" in text
        else:
            assert "as the successor" not in recital, name
        assert "the formula in clause" not in text, name
        if "voting weights of the Voting Members are recalculated" in text:
            sentence = text.split("voting weights of the Voting Members are recalculated", 1)[1]
            sentence = sentence[:sentence.find(".", sentence.find("provides"))]
            assert sentence.count("clause ") <= 2 and "(" not in sentence, (name, sentence)
            recalculations += sentence.count("clause ") == 2  # one sub-clause of the agreement
    assert successors >= 2 and recalculations >= 2
