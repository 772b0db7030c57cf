"""Round 13b, voting and membership: what binds an Observer, the memorandum's hand-over, the
Insolvency Event carve-out and change-of-control consent, number style in the power statement,
the head-contract liability reference, and a Leaving Member's place in a decision.

Each test drafts several answer sets (the scenarios, changed scenarios, the examples and
generated collaboratives) and asserts the rule a partner's reader checks in the text.
"""

from __future__ import annotations

import re

import pytest

from drafting.build.pack import build_document, plan
from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_ONLY, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text, flat, library
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round12_board import planned


def number(document: Document, key: str) -> str:
    return document.targets[key].number


def observers(loaded: LoadedAnswers) -> list[str]:
    return [m.name for m in loaded.answers.members if m.member_class == "observer"]


# ------------------------------------------------------------------ 1 (D3) what binds an Observer


def observer_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED)),
            ("shared-data", changed(SHARED, data={
                "kinds": "identifiable_direct_care", "controller_model": "independent",
                "legal_gateway": "direct_care", "dpia": "before_go_live"}))]
    sets += sets_of("collaboration_agreement", 60)
    return [(n, la) for n, la in sets
            if planned(la, "collaboration_agreement") and observers(la)]


def binding_list(document: Document) -> str:
    text = clause_text(document, "status")
    start = text.index("bind an Observer or give it rights are")
    return text[start:text.index("Every other provision", start)]


def as_tuple(ref: str) -> tuple[int, ...]:
    return tuple(int(part) for part in ref.split("."))


class TestItem1ObserverList:
    def test_the_case_is_reached(self) -> None:
        sets = observer_sets()
        assert len(sets) >= 2
        assert any(la.answers.governance.vehicle in ("committees_in_common", "joint_committee",
                                                     "partnership_board") for _, la in sets)

    @pytest.mark.parametrize("name,loaded", observer_sets(), ids=ids_of)
    def test_list_in_clause_order_with_conflicts_and_data_compliance(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        listed = binding_list(doc)
        refs = [as_tuple(r) for r in re.findall(r"clause (\d+(?:\.\d+)*)", listed)]
        assert refs == sorted(refs), listed
        if "conflicts-of-interest.meetings" in doc.targets:
            for part in ("register", "meetings", "decision"):
                assert f"clause {number(doc, 'conflicts-of-interest.' + part)}" in listed
        if "data-protection.compliance" in doc.targets:
            whole = number(doc, "data-protection")
            assert f"clause {whole} (" not in listed, listed
            for part in ("compliance", "security", "breach", "requests"):
                assert f"clause {number(doc, 'data-protection.' + part)}" in listed
            accuracy = f"clause {doc.targets['data-protection.accuracy'].number}" \
                if "data-protection.accuracy" in doc.targets else None
            assert accuracy is None or accuracy in listed

    @pytest.mark.parametrize("name,loaded", observer_sets(), ids=ids_of)
    def test_admission_is_an_administrative_act(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = clause_text(doc, "status")
        # round 15: the cross-reference is to the administrative-act sub-clause
        if loaded.answers.governance.vehicle in ("committees_in_common", "joint_committee") \
                and "governance-board.administrative" in doc.targets:
            admin = number(doc, "governance-board.administrative")
            assert f"as an administrative act under clause {admin}" in text
        assert "Letter of Adherence" in text

    @pytest.mark.parametrize("path", [MOU_ONLY, MOU_THEN], ids=lambda p: p.stem)
    def test_memorandum_uses_the_defined_letter(self, path) -> None:
        doc = built(changed(path), "mou")
        text = flat(doc)
        assert "joining letter" not in text
        assert "Letter of Adherence\u201d means" in text or "Letter of Adherence\" means" in text
        assert "by a Letter of Adherence" in clause_text(doc, "mou-review")


# ------------------------------------------------------------------ 2 (F5) the hand-over points


def handover_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("mou-then", changed(MOU_THEN)),
            ("mou-then-binding", changed(MOU_THEN, mou_binding=True))]
    sets += sets_of("mou", 60)
    return [(n, la) for n, la in sets if planned(la, "mou") and la.answers.mou_replaced]


class TestItem2HandOver:
    def test_the_case_is_reached(self) -> None:
        assert len(handover_sets()) >= 2

    @pytest.mark.parametrize("name,loaded", handover_sets(), ids=ids_of)
    def test_memorandum_states_both_points_in_the_agreements_words(
            self, name: str, loaded: LoadedAnswers) -> None:
        text = " ".join(clause_text(built(loaded, "mou"), "status").split())
        assert ("from the day on which its provisions on confidentiality, data protection and "
                "disputes take effect between the parties to it") in text
        assert ("every other provision of the Collaboration Agreement replaces this memorandum "
                "from the Operative Date") in text


# ------------------------------------------------- 3 (B1.1, B1.2) Insolvency Event, change of control


def expulsion_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("dominant", changed(DOMINANT)), ("joint", changed(JOINT)),
            ("shared", changed(SHARED)), ("mou-then", changed(MOU_THEN)),
            ("dominant-reserved", changed(DOMINANT, governance={
                "reserved_matters": ["expel_member", "amend_agreement"]}))]
    sets += sets_of("collaboration_agreement", 40)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")]


def consent_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in expulsion_sets()
            if la.answers.membership.change_of_control == "consent"
            and la.answers.governance.voting == "weighted"
            and any(m.member_class != "observer" and m.kind in ("independent_sector", "vcse")
                    for m in la.answers.members)]


class TestItem3Expulsion:
    def test_the_case_is_reached(self) -> None:
        assert consent_sets()
        assert any(la.answers.voting_power()["dominant"] for _, la in consent_sets())

    @pytest.mark.parametrize("name,loaded", expulsion_sets(), ids=ids_of)
    def test_carve_out_is_objective(self, name: str, loaded: LoadedAnswers) -> None:
        text = flat(built(loaded, "collaboration_agreement"))
        assert "reorganisation approved by the Board" not in text
        assert "decided in the same way as an expulsion on any other ground" not in text
        if "winding up (other than" in text:
            assert ("(other than a solvent amalgamation or reconstruction in which the body that "
                    "results takes on all its obligations under this Agreement)") in text

    @pytest.mark.parametrize("name,loaded", consent_sets(), ids=ids_of)
    def test_consent_without_the_majority_holder(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = " ".join(clause_text(doc, "expulsion").split())
        # round 15: the majority holder no longer decides the consent alone, but it is
        # not kept out either: one vote each, at least two, else each Member Board approves
        assert ("has one vote, whatever its voting weight" in text
                and "at least two" in text
                and "each of them approves it" in text)
        if loaded.answers.competition.information_barrier in ("hub", "clean_team") \
                and "competition-information-barrier" in {c.id for c in doc.clauses}:
            assert "never to a meeting of the Board" in text


# --------------------------------------------- 4 (D5) figures; the head-contract liability rule


def voting_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("mou-then", changed(MOU_THEN)), ("joint", changed(JOINT)),
            ("shared", changed(SHARED)), ("dominant", changed(DOMINANT)),
            ("joint-majority", changed(JOINT, governance={"voting": "simple_majority",
                                                          "special_majority_percent": None}))]
    sets += sets_of("collaboration_agreement", 40)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")]


class TestItem4Numbers:
    @pytest.mark.parametrize("name,loaded", voting_sets(), ids=ids_of)
    def test_no_number_in_words_and_figures(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in planned(loaded, "collaboration_agreement", "committee_terms"):
            text = clause_text(built(loaded, kind), "voting")
            assert not re.search(r"\b[a-z-]+ \(\d+\)", text), (kind, text)

    def test_head_contract_liability_cites_the_covenant_cap(self) -> None:
        checked = 0
        for path in (DOMINANT, JOINT, SHARED):
            loaded = changed(path)
            for part in plan(loaded.answers):
                if part.kind != "sub_contract":
                    continue
                doc = build_document(library(), loaded, part.kind, part.partner_id)
                text = " ".join(clause_text(doc, "dispute-resolution").split())
                if "dispute resolution procedure of the Head Contract" not in text:
                    continue
                found = re.search(r"follows from the outcome arises only under clause ([\d.]+)\.",
                                  text)
                assert found, text
                if "liability-insurance.covenant-cap" in doc.targets:
                    assert found.group(1) == number(doc, "liability-insurance.covenant-cap")
                    checked += 1
        assert checked


# ------------------------------------------------- 5 (C9) a Leaving Member's place in a decision


class TestItem5Withdrawal:
    @pytest.mark.parametrize("name,loaded", voting_sets(), ids=ids_of)
    def test_all_the_voting_members(self, name: str, loaded: LoadedAnswers) -> None:
        text = " ".join(clause_text(built(loaded, "collaboration_agreement"), "withdrawal").split())
        if loaded.answers.governance.vehicle != "advisory_group":
            assert "agreement of all the Members to such a decision" not in text
            assert ("agreement of all the Voting Members to such a decision is read as referring "
                    "to the other Voting Members") in text
