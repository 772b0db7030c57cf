"""A healthcare partner's ninth review of the data sharing agreement (report D, document 3, and
the agreement's data sharing schedule), as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
data sharing agreements and collaboration agreements of the bundled examples, the scenario
answer sets, variations of them and generated collaboratives (as `drafting lint` drafts them),
and reads the text a lawyer would read. The ids are the review's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_money_review import schedule
from tests.test_partner_review import JOINT, SHARED, changed, clause_text, variant_of
from tests.test_review_round6_data import every_document
from tests.test_review_round9_data import agreement_number, answer_sets

Drafted = list[tuple[str, LoadedAnswers, Document]]
SOCIAL_KINDS = ("local_authority", "vcse")


@lru_cache(maxsize=None)
def drafted() -> Drafted:
    """The ninth round's data sets, plus joint controllers on analytics data and a collaborative
    sharing social care records for individual care."""
    sets = list(answer_sets())
    sets.append(("joint-pseudonymised", changed(
        JOINT, data={"kinds": "pseudonymised", "legal_gateway": "s251", "dpia": "completed"})))
    sets.append(("shared-direct-care-joint", changed(
        SHARED, data={"kinds": "identifiable_direct_care", "controller_model": "joint",
                      "legal_gateway": "direct_care", "dpia": "completed"})))
    return every_document(sets, ("collaboration_agreement", "data_sharing"))


def of_kind(kind: str) -> Drafted:
    return [d for d in drafted() if d[2].kind == kind]


def has_schedule(doc: Document) -> bool:
    return any(s.id == "data-sharing" for s in doc.schedules)


def row(doc: Document, matter: str) -> str:
    """The arrangement in one row of the data sharing schedule."""
    for line in schedule(doc, "data-sharing").splitlines():
        if line.startswith(f"{matter} | "):
            return line[len(matter) + 3:]
    raise AssertionError(f"no row {matter!r}")


def social(loaded: LoadedAnswers) -> bool:
    return any(m.kind in SOCIAL_KINDS for m in loaded.answers.members)


# --------------------------------------------------------------------------- D3.1 suspension


class TestD31TheSuspensionKeepsOnlyDisclosuresForSafeCareNow:
    def test_shared_system_access_and_routine_flows_can_be_suspended(self) -> None:
        checked = 0
        for label, loaded, doc in of_kind("data_sharing"):
            text = clause_text(doc, "dsa-security-retention")
            assert "It does not extend to a disclosure for a patient's individual care" \
                not in text, label
            # round 12 (B2.2): lettered paragraphs
            # round 21: only the suspending Member's own data, never another Member's
            assert "it may cover the other Member's access to the suspending Member's own " \
                "Shared Data on any system the Members use together, and any bulk or routine " \
                "flow of that Member's Shared Data, whatever its purpose, but never another " \
                "Member's data;" in text, label
            person = "patient or service user" if social(loaded) else "patient"
            assert f"it does not extend to a disclosure about a particular {person} that the " \
                f"{'person' if social(loaded) else 'patient'}'s safe care needs at that moment" \
                in text, label
            checked += 1
        assert checked >= 8


# --------------------------------------------------------------------------- D3.2 controllers


class TestD32TheControllerSummaryFollowsTheOperativeClause:
    def test_the_controllers_row_is_the_data_protection_clause_variant(self) -> None:
        seen: dict[str, int] = {}
        for label, loaded, doc in drafted():
            if not has_schedule(doc):
                continue
            controllers = row(doc, "Controllers")
            variant = variant_of(doc, "data-protection")
            assert controllers != "Joint controllers (Article 26 UK GDPR)", label
            if variant == "joint":
                operative = clause_text(doc, "data-protection")
                assert controllers.startswith("Joint controllers (Article 26 UK GDPR, clause "), \
                    label
                assert "Separate controllers of everything else: a referral or transfer of care" \
                    in controllers, label
                system = ("the shared care record"
                          if loaded.answers.data.kinds == "identifiable_direct_care"
                          else "the shared analytics platform")
                assert f"only of {system} and any other system the Members use together" \
                    in controllers, label
                assert "joint controllers only of the processing of Personal Data whose " \
                    "purposes and means they determine together" in operative, label
                assert system in operative, label
            elif variant == "lead-processor":
                assert "the Lead Provider is a processor (Article 28 UK GDPR) only for services" \
                    in controllers, label
            elif loaded.answers.data.controller_model or variant == "no-patient-data":
                assert "Joint" not in controllers and "is a separate controller" in controllers, \
                    label
            seen[variant or ""] = seen.get(variant or "", 0) + 1
        assert seen.get("joint", 0) >= 3 and seen.get("independent", 0) >= 2, seen
        assert seen.get("lead-processor", 0) >= 1, seen


# --------------------------------------------------------------------------- D3.3 status


class TestD33OneStatusFormulaAndOneDisputeSentence:
    def test_an_nhs_contract_only_to_the_extent_that_it_is_one(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in of_kind("data_sharing"):
            text = clause_text(doc, "dsa-security-retention")
            assert "it is an NHS contract, and" not in text, label
            assert "then to the extent that it is an NHS contract within the meaning of that " \
                "section, it does not give rise to contractual rights or liabilities between " \
                "them" in text, label
            with_agreement = "collaboration_agreement" in loaded.answers.documents
            if with_agreement:
                assert "exclusive jurisdiction" not in text, label
                assert "section 9(5)" not in text, label
                assert text.count("A dispute under this Agreement is resolved under") == 1, label
                number = agreement_number(loaded, "dispute-resolution")
                if number:
                    assert "is resolved under the dispute resolution procedure of the " \
                        f"Collaboration Agreement (clause {number} of that agreement)" in text, label
            seen[with_agreement] += 1
        assert seen[True] >= 5, seen


# --------------------------------------------------------------------------- D3.5 social care


class TestD35PatientOrServiceUserWhereSocialCareIsShared:
    def test_the_legal_basis_and_the_individual_care_rule(self) -> None:
        checked = 0
        for label, loaded, doc in drafted():
            if not has_schedule(doc):
                continue
            basis = row(doc, "Legal basis for sharing confidential patient information")
            if loaded.answers.data.legal_gateway == "direct_care":
                expected = "Individual care of the patient" + \
                    (" or service user" if social(loaded) else "")
                if doc.kind == "data_sharing":  # round 12 (B2.6): drawn from the flow rows
                    assert basis.startswith("As the proposed data flows below show: "), label
                elif doc.kind == "collaboration_agreement" and basis.startswith("The gateways"):
                    # round 17: the agreement's schedule cites the clause's list of gateways
                    assert re.match(r"The gateways listed in clause \d+\.\d+: " +
                                    re.escape(expected[0].lower() + expected[1:]) +
                                    r", and each other route that clause lists", basis), label
                else:
                    assert basis == expected or basis.startswith(
                        (expected + " (", expected + ";")), label
                checked += social(loaded)
            if doc.kind == "data_sharing" and social(loaded) and \
                    loaded.answers.data.kinds != "identifiable_direct_care":
                purpose = clause_text(doc, "dsa-purpose-data")
                assert "about one patient or service user for that person's individual care" \
                    in purpose or "about a patient or service user to another for that " \
                    "person's individual care" in purpose, label
        assert checked >= 2
