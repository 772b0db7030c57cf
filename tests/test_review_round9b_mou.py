"""A healthcare partner's ninth review of the MOU (second pass), as rules over many answer sets.

Each finding came from one MOU but is a rule of the clause library, so each test drafts the MOUs
of the bundled examples, the scenario answer sets, variations of them and generated
collaboratives as `drafting lint` drafts them, and reads the text a lawyer would read. The ids
are the review's (report, document, finding).
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round7_mou import mou_sets

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


def mou(loaded: LoadedAnswers) -> Document:
    return built(loaded, "mou")


def non_binding_mous() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in mou_sets() if not la.answers.mou_is_binding]


def number(document: Document, target: str) -> str:
    return document.targets[target].number


# --------------------------------------------------------------------------- 1 (E1.1, E2.2, F1.2)


class TestBindingListIsComplete:
    """What an otherwise non-binding MOU must bind for its binding terms to work."""

    @pytest.mark.parametrize("name,loaded", non_binding_mous(), **IDS)
    def test_the_binding_list_names_every_provision_the_binding_terms_rely_on(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = mou(loaded)
        text = clause_text(doc, "status")
        listed = text[text.index("The following provisions are legally binding"):]
        wanted = {
            "status.intent": "what in this memorandum is not legally binding",
            "status.no-commitment": "no obligation to enter into a further agreement",
            "status.no-authority": "no authority to bind another Member",
            "status.personal-data": "no personal data shared before",
            "mou-review.variation": "variation), so far as it concerns the provisions listed here",
            "mou-review.new-members": "joining)",
            "dispute-resolution.mou-steps": "the steps for resolving a disagreement",
        }
        for target, words in wanted.items():
            if target in doc.targets:
                assert f"clause {number(doc, target)} ({words}" in listed, (name, target)
        # round 14 (status v13): the term binds only so far as it says when the binding
        # provisions take effect and end; the one survival list binds too
        assert re.search(r"\(commencement and term\), so far as it says when the provisions "
                         r"listed here take effect for each party and when they end", listed), name
        if "mou-review.survival" in doc.targets:
            assert f"clause {number(doc, 'mou-review.survival')} (what continues to bind" in \
                listed, name


# --------------------------------------------------------------------------- 2 (E1.4, E2.6)


class TestNoPersonalDataBeforeTheSharingAgreement:
    @pytest.mark.parametrize("name,loaded", mou_sets(), **IDS)
    def test_a_binding_holding_clause_keeps_personal_data_out_until_dsa_and_dpia(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = mou(loaded)
        text = clause_text(doc, "status")
        # round 10c: the gate covers patients' and service users' data, and names the
        # document the pack creates where an agreement follows.
        assert (f"No {'Personal Data' if 'data-protection' in doc.targets else 'personal data'} "
                "of patients or service users is shared between the parties under this "
                "memorandum until") in text, name
        assert ("and a data protection impact assessment of the sharing is in place. Until then "
                "the parties share under this memorandum only anonymised or aggregated data") \
            in text, name
        if not loaded.answers.mou_is_binding:
            assert f"clause {number(doc, 'status.personal-data')} (no personal data" in text, name


# --------------------------------------------------------------------------- 3 (E1.7, F1.3)


class TestNoLibraryCommentaryInTheOperativeText:
    @pytest.mark.parametrize("name,loaded", mou_sets(), **IDS)
    def test_no_artefacts_and_rights_not_obligations_said_once(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = flat(mou(loaded))
        assert "This is the one periodic review" not in text, name
        assert "since the Steering Group only recommends" not in text, name
        said = len(re.findall(r"rights?,? (but )?not an? obligations?|rights, not obligations|"
                              r"right, but no obligation", text))
        assert said <= 1, name

    @pytest.mark.parametrize("name,loaded", mou_sets(), **IDS)
    def test_mou_principles_speak_of_recommendations_and_each_members_own_decision(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = clause_text(mou(loaded), "principles")
        assert "support and implement" not in text, name
        assert ("each Member considers each recommendation of the Steering Group under its own "
                "governance without undue delay and, once its own board has decided, acts "
                "consistently with that decision") in text, name


# --------------------------------------------------------------------------- 5 (F1.5)


class TestTheAgreementsBoardDoesNotMeetBeforeTheOperativeDate:
    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in mou_sets()
                                             if la.answers.mou_replaced], **IDS)
    def test_does_not_meet_or_decide_before_the_operative_date(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = clause_text(mou(loaded), "mou-governance")
        assert "first meets on the Operative Date" not in text, name
        assert ("the board that agreement sets up does not meet or decide before the Operative "
                "Date") in text, name


# --------------------------------------------------------------------------- 4 (F1.1)


def replaced_mous() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in mou_sets() if la.answers.mou_replaced]


class TestTheLongStopInGeneralTerms:
    @pytest.mark.parametrize("name,loaded", replaced_mous(), **IDS)
    def test_no_clause_number_or_long_stop_date_of_the_agreement(
            self, name: str, loaded: LoadedAnswers) -> None:
        term = clause_text(mou(loaded), "commencement-term")
        # round 11b (F1.2): the agreement's conditions precedent clause is cited by its number
        assert re.search(r"under clause \d+ \(Conditions precedent\) of the Collaboration "
                         r"Agreement because its conditions precedent are not met by the "
                         r"long-stop date that clause sets", term), name
        assert not re.search(r"long-stop date \(\d", term), name

    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in replaced_mous()
                                             if "unspent balance" in clause_text(
                                                 mou(la), "mou-costs")], **IDS)
    def test_a_member_that_never_joins_the_agreement_is_refunded_pro_rata(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = clause_text(mou(loaded), "mou-costs")
        # round 11 (mou-costs v11): the carry-forward is split into sentences; "the balance"
        # there is the unspent balance named in the sentence before it
        assert re.search(r"The unspent balance is then carried into the running costs[^.]*\. "
                         r"(?:[^.]*\. )*A Member that never becomes a party to the "
                         r"Collaboration Agreement has its part of the balance, pro rata to its "
                         r"contribution, returned to it\.", text), name

    def test_cases_are_drafted(self) -> None:
        assert len(replaced_mous()) >= 2
