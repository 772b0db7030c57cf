"""A healthcare partner's ninth review of the data terms, as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
collaboration agreements, sub-contracts and data sharing agreements of the bundled examples,
the scenario answer sets, variations of them and generated collaboratives (as `drafting lint`
drafts them), and reads the text a lawyer would read. The ids are the review's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from drafting.build.assemble import agreement_clauses
from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_money_review import schedule
from tests.test_partner_review import (ALL, DOMINANT, JOINT, NORTH_EAST, SHARED, changed,
                                       clause_text, flat, library)
from tests.test_review_round6_data import every_document, files, generated

Drafted = list[tuple[str, LoadedAnswers, Document]]


@lru_cache(maxsize=None)
def answer_sets() -> tuple[tuple[str, LoadedAnswers], ...]:
    """The examples, the scenarios, generated collaboratives and variations that reach the
    rules below (a lead provider that commissions with identifiable data, a shared waiting
    list on anonymised data, joint controllers with a completed assessment)."""
    sets = files(ALL) + generated()
    sets.append(("lead-provider-dominant-pseudonymised", changed(
        DOMINANT, data={"kinds": "pseudonymised", "controller_model": "independent",
                        "legal_gateway": "s251", "dpia": "completed"})))
    sets.append(("lead-provider-dominant-no-hub", changed(
        DOMINANT, commissioning={"lead_commissions": False, "separation": []})))
    sets.append(("shared-pseudonymised", changed(
        SHARED, data={"kinds": "pseudonymised", "controller_model": "independent",
                      "legal_gateway": "s251", "dpia": "before_go_live"})))
    sets.append(("north-east-anonymised-waiting-list", changed(
        NORTH_EAST, data={"kinds": "anonymised"},
        collaborative={"purpose": "To run one caseload across the members' community teams."})))
    sets.append(("joint-completed", changed(JOINT, data={"dpia": "completed"})))
    return tuple(sets)


@lru_cache(maxsize=None)
def drafted() -> Drafted:
    return every_document(list(answer_sets()))


def of_kind(kind: str) -> Drafted:
    return [d for d in drafted() if d[2].kind == kind]


def stated() -> Drafted:
    """The documents that state the data protection clause: a sub-contract drafted with its
    collaboration agreement incorporates the agreement's clause instead (round 12, B1.4)."""
    return [d for d in drafted() if not (d[2].kind == "sub_contract"
                                         and "collaboration_agreement" in d[1].answers.documents)]


def agreement_number(loaded: LoadedAnswers, clause_id: str) -> str | None:
    found = agreement_clauses(library(), loaded.answers).get(clause_id)
    return found["number"] if found else None


# --------------------------------------------------------------------------- B3.1 hub


class TestB31CommissioningDataGoesOnlyToTheCommissioningHub:
    def test_the_data_sharing_agreement_routes_it_behind_the_barrier(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in of_kind("data_sharing"):
            a = loaded.answers
            hub = a.governance.model == "lead_provider" and a.commissioning.lead_commissions
            text = clause_text(doc, "dsa-purpose-data")
            routed = "is sent to, and held only by, the team that carries out the Lead " \
                "Provider's commissioning functions" in text
            assert routed == hub, label
            table = schedule(doc, "data-sharing")
            # round 11: the hub carries the collaboration agreement's defined term, where it has one
            term = ("commissioning hub, as the Collaboration Agreement defines it"
                    if agreement_number(loaded, "commissioning-separation") else "commissioning hub")
            assert ("Only the team that carries out the Lead Provider's commissioning functions (its "
                    f"{term}), behind the information barrier" in table) == hub, label
            if hub:
                assert "does not disclose it, or give access to it, to the part of its " \
                    "organisation that provides the services" in text, label
                number = agreement_number(loaded, "commissioning-separation")
                if number:
                    assert f"(its commissioning hub, as clause {number} of the " \
                        "Collaboration Agreement defines it)" in text, label
            seen[hub] += 1
        assert all(seen.values()), seen


# --------------------------------------------------------------------------- C1.2 shared list

LIST_WORDS = ("waiting list", "patient tracking list", "clinical priority", "case management",
              "caseload",
              "care plan", "care record", "shared record")  # round 12: a shared care plan


class TestC12ASharedListOnAnonymisedDataIsGated:
    def test_a_dpia_and_data_sharing_agreement_before_the_list_and_a_bracketed_option(
            self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in drafted():
            a = loaded.answers
            said = " ".join([a.collaborative.purpose, *a.collaborative.objectives]).lower()
            # round 12 (B1.4): a sub-contract incorporates the agreement's clause instead
            incorporated = doc.kind == "sub_contract" and \
                "collaboration_agreement" in a.documents
            listed = a.data.kinds in ("anonymised", "pseudonymised") and \
                any(w in said for w in LIST_WORDS) and not incorporated
            text = clause_text(doc, "data-protection")
            # round 12 (C2.6): a positive duty with a date, then the gate until it is met
            # round 13: "the Members" where an Observer is a party (it never carries out a DPIA)
            # round 17: the gate is a condition, and the date a bracketed aim
            gate = bool(re.search(r"until:\s+\(?a?\)? ?the (parties|Members) have carried out a "
                                  r"DPIA of that processing", text)) and bool(
                re.search(r"aim to meet those conditions by \d+ \w+ \d{4}\.\]", text)) and \
                "no information that identifies a" in text.lower() and "is placed on the shared" in text
            assert gate == listed, (label, text)
            if listed:
                # round 12 (EF2.5): the controller model is a bracketed choice in the text
                assert "under Article 26 of the UK GDPR" in text and "[delete one]" in text, label
                note = " ".join(next(c.note or "" for c in doc.clauses
                                     if c.id == "data-protection").split())
                assert "Delete one with each member's Caldicott Guardian" in note, label
            seen[listed] += 1
        assert all(n >= 2 for n in seen.values()), seen


# --------------------------------------------------------------------------- B3.3 covenant cap


class TestB33TheCovenantCapReachesTheDataSharingAgreement:
    def test_the_liability_clause_cites_the_banking_covenant_clause(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in of_kind("data_sharing"):
            text = clause_text(doc, "dsa-security-retention")
            number = agreement_number(loaded, "banking-covenants")
            covenants = bool(loaded.answers.covenant_members) and number is not None
            cited = f"A Covenant Member's liability to the other Members under this Agreement " \
                f"is subject to clause {number} of the Collaboration Agreement and counts " \
                "towards the one limit of its total liability to them that clause sets." in text
            assert cited == covenants, label
            seen[covenants] += 1
        assert all(seen.values()), seen


# --------------------------------------------------------------------------- B3.4 said once


class TestB34TheIndividualCareRuleIsStatedOnceWithSubClauseNumbers:
    def test_no_in_this_clause_and_the_limits_cited_by_number(self) -> None:
        checked = 0
        for label, loaded, doc in stated():
            text = clause_text(doc, "data-protection")
            assert "in this clause govern" not in text, label
            if loaded.answers.data.legal_gateway == "s251" and loaded.answers.data.kinds in (
                    "pseudonymised", "identifiable_commissioning"):
                assert "the need for section 251 support in clause " in text, label
                checked += 1
        assert checked >= 3

    def test_the_data_sharing_agreement_cites_the_rule_instead_of_restating_it(self) -> None:
        checked = 0
        for label, loaded, doc in of_kind("data_sharing"):
            a = loaded.answers
            if a.data.kinds == "identifiable_direct_care":
                continue
            text = flat(doc)
            assert text.count("section 251B of the Health and Social Care Act 2012") <= 2, label
            assert "implied consent, section 251B" not in schedule(doc, "data-sharing"), label
            purpose = clause_text(doc, "dsa-purpose-data")
            social = any(m.kind in ("local_authority", "vcse") for m in a.members)
            # round 12 (B2.1): only a one-off disclosure about one patient that no flow lists
            assert ("one-off disclosure of information about one patient or service user for "
                    "that person's individual care" if social else "one-off disclosure of "
                    "information about one patient for that patient's individual care") \
                in purpose, label
            assert "waits for no section 251 support" not in purpose, label
            if a.governance.model == "lead_provider":
                # round 12 (B1.1): where the lead commissions, its gatekeeping is the agreement's
                # listed flow, cited from the data clause; otherwise stated once there
                hubflow = a.commissioning.lead_commissions and a.data.kinds != "anonymised"
                assert text.count("individual care (direct care)") == (0 if hubflow else 1), label
            checked += 1
        assert checked >= 3

    def test_a_dpia_before_go_live_gates_the_sharing_in_the_data_clause(self) -> None:
        checked = 0
        for label, loaded, doc in stated():
            if loaded.answers.data.kinds == "anonymised" or loaded.answers.data.dpia == "completed":
                continue
            text = clause_text(doc, "data-protection")
            # round 13 (13c): the DPIA has an owner and a date; the bar follows it
            assert "may be shared under" in text and re.search(r"Until the (parties|Members) have completed it", text) \
                is not None, label
            checked += 1
        assert checked >= 3


# --------------------------------------------------------------------------- A1.4 accession


class TestA14TheDataSharingAgreementHasAccessionAndThirdPartyClauses:
    def test_a_joiner_of_the_agreement_joins_it_and_no_third_party_rights(self) -> None:
        checked = 0
        for label, loaded, doc in of_kind("data_sharing"):
            text = clause_text(doc, "dsa-security-retention")
            joins = "A body that becomes a Member by executing a deed of accession to the " \
                "Collaboration Agreement becomes a party to this Agreement" in text
            assert joins == ("collaboration_agreement" in loaded.answers.documents), label
            if joins:
                assert "Each Member agrees to that now" in text, label
            assert "Contracts (Rights of Third Parties) Act 1999" in text, label
            # round 11: the recitals carry the background; clause 2 has no paragraph of it
            assert clause_text(doc, "dsa-purpose-data") and doc.recitals, label
            checked += 1
        assert checked >= 3


# --------------------------------------------------------------------------- B3.6 suspension


class TestB36SuspensionKeepsRequiredAndIndividualCareFlows:
    def test_the_exclusions_and_the_duty_on_the_suspending_member(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in of_kind("data_sharing"):
            text = clause_text(doc, "dsa-security-retention")
            # round 12 (B2.2): lettered paragraphs
            assert "the suspending Member ensures that patient care is not put at risk" \
                in text, label
            # round 9b (D3.1): only the disclosures a patient's safe care needs at that moment
            assert "safe care needs at that moment" in text, label
            lead = loaded.answers.governance.model == "lead_provider"
            # round 12 (B2.2): only what the lead must pass to the Commissioner is carved out
            assert ("nor to the information the Lead Provider must pass to the Commissioner "
                    "under the Head Contract" in text) == lead, label
            seen[lead] += 1
        assert all(seen.values()), seen


# --------------------------------------------------------------------------- D3 / B3 points


class TestD3AndB3DrawingPoints:
    def test_joint_controllers_only_for_jointly_determined_processing(self) -> None:
        checked = 0
        for label, loaded, doc in drafted():
            if loaded.answers.data.controller_model != "joint" or \
                    loaded.answers.data.kinds == "anonymised":
                continue
            text = clause_text(doc, "data-protection")
            assert "joint controllers only of the processing of Personal Data whose purposes " \
                "and means they determine together" in text, label
            assert "A referral or transfer of care from one party to another" in text and \
                "is sharing between separate controllers" in text, label
            checked += 1
        assert checked >= 2

    def test_an_accuracy_and_rectification_duty(self) -> None:
        checked = 0
        for label, loaded, doc in stated():
            text = clause_text(doc, "data-protection")
            duty = "tells each party to which it disclosed that data without undue delay" in text
            if doc.kind == "data_sharing" and "collaboration_agreement" in \
                    loaded.answers.documents:
                # round 11b (D3.3): the data sharing agreement cites the agreement's duty
                number = agreement_number(loaded, "data-protection")
                duty = re.search(rf"The duty of clause {number} \(Data protection\) of the "
                                 r"Collaboration Agreement to tell the other parties of a "
                                 r"correction, completion, restriction or erasure of Personal "
                                 r"Data disclosed to them, and their duty to make the same "
                                 r"change to their copies, apply to Shared Data", text) is not None
            assert duty == (loaded.answers.data.kinds != "anonymised"), label
            checked += duty
        assert checked >= 3

    def test_notices_follow_the_agreement_and_ico_guidance_is_had_regard_to(self) -> None:
        checked = 0
        for label, loaded, doc in of_kind("data_sharing"):
            text = clause_text(doc, "dsa-security-retention")
            number = agreement_number(loaded, "boilerplate")
            if number:
                assert f"A notice under this Agreement is given as clause {number} of the " \
                    "Collaboration Agreement provides" in text, label
                assert "by email or by hand" not in text, label
                checked += 1
            whole = flat(doc)
            assert "has regard to the guidance and codes of practice of the Information " \
                "Commissioner" in whole, label
            assert "on data protection or privacy, with the guidance" not in whole, label
        assert checked >= 3

    def test_dpia_entry_and_note_follow_the_answer(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in of_kind("data_sharing"):
            done = loaded.answers.data.dpia == "completed"
            table = schedule(doc, "data-sharing")
            # round 12 (B2.8): a bracketed proposal in place of a bare blank
            # round 13 (D5): one placeholder token
            assert ("Completed: dated [●], version [●]" in table) == done, label
            note = " ".join(next(s.note or "" for s in doc.schedules
                                 if s.id == "data-sharing").split())
            assert ("the data protection impact assessment completed, before" not in note), label
            assert ("The answers say the data protection impact assessment is completed" in note) \
                == done, label
            assert "a retention period of 12 months" in note, label
            seen[done] += 1
        assert all(seen.values()), seen

    def test_lead_processor_services_are_a_blank_and_the_checklist_asks(self) -> None:
        checked = 0
        for label, loaded, doc in drafted():
            a = loaded.answers
            if not (a.data.controller_model == "lead_processor" and a.data.kinds != "anonymised"
                    and a.governance.model == "lead_provider"):
                continue
            checklist = " ".join((doc.clauses[0].note or "").split())
            assert "confirm yes or no with the members' data protection officers" in checklist, \
                label
            if doc.kind == "data_sharing":
                assert "No service at signing" not in schedule(doc, "data-sharing"), label
                checked += 1
        assert checked >= 1
