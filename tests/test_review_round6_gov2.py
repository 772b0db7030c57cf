"""The partner's round-6 findings on the Board's legal footing, as rules over many answer sets.

C4: the committee terms of reference are a document of the agreement: the agreement names them,
ranks them in its order of precedence and counts them in its entire-agreement clause; its
Schedule 3 says that it only summarises them and that they govern. D3: no catch-all clause turns
the powers the agreement gives the Board into powers to recommend.
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, SHARED, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of


def agreement_and_terms() -> list[tuple[str, LoadedAnswers]]:
    """Answer sets whose pack holds both the agreement and the separate terms of reference."""
    return [(n, la) for n, la in sets_of("committee_terms", 30)
            if "collaboration_agreement" in la.answers.documents]


def clause_number(document, target: str) -> str:
    return document.targets[target].number


# --------------------------------------------------------------------------- C4 terms of reference


class TestC4TheTermsOfReferenceAreADocumentOfTheAgreement:
    @pytest.mark.parametrize("name,loaded", agreement_and_terms(), ids=ids_of)
    def test_the_agreement_names_ranks_and_keeps_them(self, name: str, loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        terms = built(loaded, "committee_terms")
        naming = clause_number(agreement, "governance-board.terms-of-reference")
        board = clause_text(agreement, "governance-board")
        # Named: by the title the separate document carries.
        assert f'the document titled "{terms.title}"' in board, name
        assert "with the terms of reference in Schedule" not in board, name
        # Ranked: above the other schedules (and so above the summary in Schedule 3).
        order = clause_text(agreement, "interpretation")
        ranked = order.find(f"the Board's terms of reference (clause {naming})")
        assert ranked >= 0, name
        assert ranked < order.find("the other schedules", ranked), name
        # Not cut off: the entire-agreement sub-clause lists them.
        entire = next(s for s in re.split(r"(?<=\.) ", clause_text(agreement, "boilerplate"))
                      if "the entire agreement" in s)
        assert f"the Board's terms of reference under clause {naming}" in entire, name
        assert "together are the entire agreement" in entire, name

    @pytest.mark.parametrize("name,loaded", agreement_and_terms(), ids=ids_of)
    def test_schedule_3_summarises_them_and_they_govern(self, name: str, loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        naming = clause_number(agreement, "governance-board.terms-of-reference")
        text = flat(agreement)
        schedule = text[text.rfind("This Schedule summarises"):][:600]
        assert schedule.startswith(
            "This Schedule summarises the Board's terms of reference, the separate document "
            f"named in clause {naming}; it does not set them out"), name
        assert "it does not set them out, and where it differs from them, they govern." in schedule
        assert re.search(r"Where it differs from the clauses of this Agreement, the clauses apply, "
                         r"in the order of precedence in clause \d+\.\d+\.", schedule), name

    @pytest.mark.parametrize("name,loaded", agreement_and_terms(), ids=ids_of)
    def test_the_terms_say_the_same_of_themselves(self, name: str, loaded: LoadedAnswers) -> None:
        terms = built(loaded, "committee_terms")
        own = clause_text(terms, "tor-constitution")
        # the agreement names them and ranks them; the terms cite that and restate nothing
        # round 11: the cross-reference carries the sub-clause's number (clause 10.4 of the Agreement)
        assert re.search(r"form part of the arrangements it sets up, as clause \d+\.\d+ of "
                         r"the Agreement provides", own), name
        assert "these terms of reference rank as stated there" in own, name
        assert "ranks its parts" not in own and "entire agreement" not in own, name
        assert "the Agreement prevails" not in own, name

    @pytest.mark.parametrize("path", [DOMINANT, SHARED], ids=lambda p: p.stem)
    def test_without_separate_terms_schedule_3_is_the_terms(self, path) -> None:
        loaded = changed(path, documents=[d for d in changed(path).answers.documents
                                          if d != "committee_terms"])
        agreement = built(loaded, "collaboration_agreement")
        text = flat(agreement)
        assert "governance-board.terms-of-reference" not in agreement.targets
        assert "Board's terms of reference" not in text
        assert "with the terms of reference in Schedule 3" in clause_text(agreement, "governance-board")
        assert "This Schedule summarises the terms of reference of the Board." in text


# --------------------------------------------------------------------------- D3 kinds of power


CATCH_ALL = re.compile(r"(Every|Each) other power that (this|the) Agreement[^.]*is a power to recommend")


def board_sets() -> list[tuple[str, LoadedAnswers]]:
    """Agreements whose Board is committees in common, a joint committee or a partnership board."""
    sets = sets_of("collaboration_agreement", 40)
    sets += [("shared-joint-committee", changed(SHARED, governance={"vehicle": "joint_committee"})),
             ("dominant-committees-in-common", changed(DOMINANT, governance={
                 "vehicle": "committees_in_common", "committee_members": 2}))]
    return [(n, la) for n, la in sets if la.answers.governance.vehicle in
            ("committees_in_common", "joint_committee", "partnership_board")]


def limit_sentence(document) -> str:
    text = clause_text(document, "governance-board")
    at = text.find("No single decision on those matters may commit")
    return text[at:] if at >= 0 else ""


class TestD3NoCatchAllTurnsTheBoardsPowersIntoRecommendations:
    @pytest.mark.parametrize("name,loaded", board_sets(), ids=ids_of)
    def test_a_power_the_agreement_gives_the_board_keeps_its_kind(self, name: str,
                                                                  loaded: LoadedAnswers) -> None:
        kinds = ["collaboration_agreement"] + (
            ["committee_terms"] if "committee_terms" in loaded.answers.documents else [])
        for kind in kinds:
            document = built(loaded, kind)
            assert not CATCH_ALL.search(flat(document)), (name, kind)
            if "governance-board.limit" not in document.targets:
                continue  # nothing is delegated: every decision goes to the Member Boards
            limit = limit_sentence(document)
            assert limit, (name, kind)
            if loaded.answers.governance.vehicle == "partnership_board":
                assert "on any matter not listed" not in limit, (name, kind)
                assert "nor another clause of" in limit, (name, kind)
                continue
            delegated = document.targets["governance-board.delegated"].number
            # Each kind of power is stated: a decision within the delegation, an administrative
            # act under the agreement, and the recommendations that are never the Board's.
            assert "says that the Board approves, agrees, appoints, settles or decides a matter, " \
                   "the Board takes that decision itself" in limit, (name, kind)
            # round 11: the administrative act only carries out a decision already taken
            # round 13 (governance-board v16, C8): the long sub-clause is split, so the
            # delegation and the kinds of decision never the Board's cite the limit's sub-clause
            cap = document.targets["governance-board.limit"].number
            assert f"On a matter delegated under clause {delegated}, it decides within that " \
                   f"delegation and the limit in clause {cap}" in limit, (name, kind)
            assert "it only carries out a decision already taken by" in limit, (name, kind)
            assert "Three kinds of decision are never the Board's: a decision above the limit " \
                   f"in clause {cap}" in limit, (name, kind)
            if loaded.answers.governance.reserved_matters:
                assert "a decision on one of the Reserved Matters" in limit, (name, kind)
