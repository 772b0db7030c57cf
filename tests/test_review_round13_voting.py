"""Round 13, voting: the statement of voting power and the reserved-matter rule for expulsion.

Each test drafts several answer sets (the scenarios, changed scenarios, the examples and
generated collaboratives) and asserts the rule a partner's reader checks in the text.
"""

from __future__ import annotations

import math
import re

import pytest

from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round12_board import fact_sets, planned, words

# ------------------------------------------------------------------ 1 (F1, D1) power statement


def one_vote_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("mou-then", changed(MOU_THEN)),
            ("joint-majority", changed(JOINT, governance={"voting": "simple_majority",
                                                          "special_majority_percent": None})),
            ("dominant-special", changed(DOMINANT, governance={
                "voting": "special_majority", "special_majority_percent": 75,
                "weight_basis": None}))]
    sets += sets_of("collaboration_agreement", 40)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")
            and la.answers.governance.vehicle != "advisory_group"
            and la.answers.governance.voting in ("simple_majority", "special_majority")]


def needed(loaded: LoadedAnswers) -> tuple[int, int]:
    """Voting members, and the votes a decision needs with all of them present."""
    g = loaded.answers.governance
    n = sum(1 for m in loaded.answers.members if m.member_class == "voting")
    if g.voting == "special_majority":
        return n, min(n, max(1, math.ceil(g.special_majority_percent * n / 100 - 1e-9)))
    return n, n // 2 + 1


def majority_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [(n, la) for n, la in one_vote_sets()]
    sets += [("dominant", changed(DOMINANT)), ("shared", changed(SHARED))]
    return [(n, la) for n, la in sets if la.answers.governance.vehicle == "partnership_board"
            and la.answers.governance.voting != "consensus"]


class TestItem1PowerStatement:
    def test_the_case_is_reached(self) -> None:
        blocking = [n for n, la in one_vote_sets() if needed(la)[1] < needed(la)[0]]
        assert len(blocking) >= 3 and majority_sets()

    @pytest.mark.parametrize("name,loaded", one_vote_sets(), ids=ids_of)
    def test_smallest_blocking_group_is_stated(self, name: str, loaded: LoadedAnswers) -> None:
        n, need = needed(loaded)
        text = words(clause_text(built(loaded, "collaboration_agreement"), "voting"))
        # round 13 (13b): the numbers are figures ("Any 2 Voting Members"), not "two (2)"
        found = re.search(r"Any (\d+) Voting Members together can prevent an ordinary "
                          r"decision by voting against it\. (.{0,260})", text)
        if need == n:
            assert found is None and "each of them can block any decision" in text, name
            return
        assert found, (name, text[:600])
        group = int(found.group(1))
        assert group == n - need + 1, (name, group, n, need)
        if 2 * group == n:
            # round 14: a Deadlock only as the deadlock clause defines it (equal again at the
            # next quorate meeting)
            assert "becomes a Deadlock only if the votes are equal again at the next quorate " \
                   "meeting" in found.group(2), name
        else:
            assert found.group(2).startswith("The proposal is then not carried"), name
        assert "No Voting Member can block an ordinary decision on its own." in text, name

    @pytest.mark.parametrize("name,loaded", majority_sets(), ids=ids_of)
    def test_no_board_refusal_opt_out(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in planned(loaded, "collaboration_agreement", "committee_terms"):
            document = built(loaded, kind)
            text = words(clause_text(document, "voting"))
            assert "Member Board has refused to approve" not in text, (name, kind)
            assert "its refusal works as a block" not in text, (name, kind)
            note = " ".join(words(c.note or "") for c in document.clauses if c.id == "voting")
            assert "Option, not drafted: a voting member whose own board has refused" in note

    @pytest.mark.parametrize("name,loaded", one_vote_sets(), ids=ids_of)
    def test_the_terms_cross_refer(self, name: str, loaded: LoadedAnswers) -> None:
        if not planned(loaded, "committee_terms") or needed(loaded)[1] == needed(loaded)[0]:
            return
        agreement = built(loaded, "collaboration_agreement")
        number = next(c.number for c in agreement.clauses if c.id == "voting")
        text = words(clause_text(built(loaded, "committee_terms"), "voting"))
        # round 18: the terms state who can block in one sentence, and cite the agreement for how
        assert "No Voting Member can block an ordinary decision on its own, but any" in text, name
        assert f"clause {number} (Decisions and voting) of the Agreement says how" in text, name
        assert "together can prevent an ordinary decision" not in text, name


# ------------------------------------------------------------------ 3 (C4, D2) expulsion


class TestItem3ExpulsionIsAReservedMatterOnEveryGround:
    def test_the_case_is_reached(self) -> None:
        assert len(fact_sets()) >= 3

    @pytest.mark.parametrize("name,loaded", fact_sets(), ids=ids_of)
    def test_no_insolvency_exception(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in planned(loaded, "collaboration_agreement", "committee_terms"):
            document = built(loaded, kind)
            assert "Despite this, an expulsion" not in words(clause_text(document, "voting"))
            text = words(flat(document))
            assert "is a matter of fact" not in text, (name, kind)
            assert "not by every Voting Member" not in text, (name, kind)
            if kind == "collaboration_agreement":
                expulsion = words(clause_text(document, "expulsion"))
                # round 22: "may be expelled ... by the decision that clause X provides"
                assert "may be expelled from the Collaborative, by the decision that clause" \
                    in expulsion, name
                assert "by more than half of the other Voting Members" not in expulsion, name
                notes = " ".join(words(c.note or "") for c in document.clauses
                                 if c.id in ("voting", "expulsion"))
                assert notes.count("Option: decide those grounds by more than half") == 1


# ------------------------------------------------------------------ 5 (C10) who acts


def chair_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED)), ("mou-then", changed(MOU_THEN)),
            ("joint", changed(JOINT))]
    sets += sets_of("collaboration_agreement", 40)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")]


class TestItem5NoTieBreakByAnInvolvedChair:
    def test_the_case_is_reached(self) -> None:
        chairs = {la.answers.governance.chair for _, la in chair_sets()}
        assert "independent" in chairs and len(chairs) >= 3

    @pytest.mark.parametrize("name,loaded", chair_sets(), ids=ids_of)
    def test_the_chair_of_an_involved_member_steps_aside(self, name: str, loaded: LoadedAnswers
                                                         ) -> None:
        document = built(loaded, "collaboration_agreement")
        representative_chair = loaded.answers.governance.chair != "independent"
        complaints = words(clause_text(document, "complaints"))
        if "the Chair decides which of them leads" in complaints:
            stepped = "Where the Member whose Representative is the Chair is one of them, the " \
                      "chief executives of those Members decide it instead" in complaints
            assert stepped == representative_chair, name
        disputes = words(clause_text(document, "dispute-resolution"))
        assert "(or their Representatives)" not in disputes, name
        if "with a copy to the Chair of the Board" in disputes:
            assert ("to the Representative of a Voting Member that is not a party"
                    in disputes) == representative_chair, name
        if "seek to broker a resolution" in disputes:
            assert "where the parties to the Dispute are all the Voting Members, " + (
                "this step is skipped" if representative_chair
                else "the independent Chair of the Board alone seeks to broker it") in disputes


# ------------------------------------------------------------------ 6 (C7, C9, F4) one home


class TestItem6OneHomePerRule:
    @pytest.mark.parametrize("name,loaded", chair_sets(), ids=ids_of)
    def test_deadlock_route_excludes_minister_and_court_once(self, name: str,
                                                             loaded: LoadedAnswers) -> None:
        if loaded.answers.governance.vehicle == "advisory_group":
            return
        for kind in planned(loaded, "collaboration_agreement", "committee_terms"):
            deadlock = words(clause_text(built(loaded, kind), "deadlock"))
            assert deadlock.count("Secretary of State") == 1, (name, kind)
            assert "A Deadlock is not referred to the Secretary of State for Health and Social " \
                   "Care or to a court." in deadlock, (name, kind)

    @pytest.mark.parametrize("name,loaded", [
        ("shared", changed(SHARED)),
        ("shared-four", changed(SHARED, collaborative={
            "purpose": "To share theatre capacity across the four trusts."}))], ids=ids_of)
    def test_the_terms_word_the_purpose_as_the_agreement(self, name: str,
                                                         loaded: LoadedAnswers) -> None:
        agreement = words(clause_text(built(loaded, "collaboration_agreement"),
                                      "purpose-objectives"))
        terms = words(clause_text(built(loaded, "committee_terms"), "tor-constitution"))
        purpose = re.search(r"whose purpose is to (.*?\.)", terms)
        assert purpose and "across the Members" in purpose.group(1), (name, terms[:300])
        assert purpose.group(1) in agreement, name


# ------------------------------------------------------------------ 4 (C5, D3) observers


def observer_agreements() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED))] + sets_of("collaboration_agreement", 60)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")
            and any(m.member_class == "observer" for m in la.answers.members)]


class TestItem4Observers:
    def test_the_case_is_reached(self) -> None:
        assert len(observer_agreements()) >= 2

    @pytest.mark.parametrize("name,loaded", observer_agreements(), ids=ids_of)
    def test_one_term_for_the_joining_document(self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        status = words(clause_text(document, "status"))
        assert "joining letter" not in words(flat(document)).lower(), name
        assert "signs a Letter of Adherence" in status, name
        assert "may remove an Observer" in status and "commits no money" in status, name
        assert "An Observer that leaves or is removed remains bound by clause" in status, name
        assert "“Letter of Adherence” means" in words(clause_text(document, "definitions"))
