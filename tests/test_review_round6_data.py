"""A healthcare partner's sixth review of the data terms and the conditions precedent, as rules
over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
collaboration agreements, sub-contracts and data sharing agreements of the bundled examples,
the scenario answer sets, variations of them and generated collaboratives (as `drafting lint`
drafts them), and reads the text a lawyer would read. The ids are the review's.
"""

from __future__ import annotations

import re

from pathlib import Path

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.test_money_review import schedule
from tests.test_partner_review import ALL, DOMINANT, MOU_THEN, NORTH_EAST, SHARED, changed, clause_text
from tests.test_review_round5_mou import built, generated_of

WEST = NORTH_EAST.parent / "west-community-partnership.yaml"
MERSEY = NORTH_EAST.parent / "mersey-elective-hub.yaml"
KINDS = ("collaboration_agreement", "sub_contract", "data_sharing")

# round 12 (B1.4): where the collaboration agreement is in the pack, a sub-contract incorporates
# its data protection clause by reference and adds only what concerns its two parties, citing the
# agreement's sub-clauses; the rules themselves are checked in the agreement's own clause.
INCORPORATED = re.compile(r"Clause \d+ \(Data protection\) of the Collaboration Agreement, as in force "
                          r"from time to time, is incorporated into this Sub-Contract")
ONE_OFF = re.compile(r"A one-off disclosure between the parties of the information about a patient that "
                     r"the patient's individual care needs is made as clause \d+\.\d+ of the "
                     r"Collaboration Agreement provides")


def incorporated(doc, text: str) -> bool:
    """A sub-contract that incorporates the agreement's clause and keeps the individual-care route."""
    if doc.kind != "sub_contract" or not INCORPORATED.search(text):
        return False
    assert ONE_OFF.search(text), text
    return True



def every_document(sets: list[tuple[str, LoadedAnswers]], kinds: tuple[str, ...] = KINDS,
                   ) -> list[tuple[str, LoadedAnswers, Document]]:
    """Every document of `kinds` that each answer set asks for (each partner's sub-contract)."""
    from drafting.build.pack import build_document, plan
    from tests.test_partner_review import library
    out = []
    for name, loaded in sets:
        for part in plan(loaded.answers):
            if part.kind in kinds:
                doc = build_document(library(), loaded, part.kind, part.partner_id)
                out.append((f"{name}/{part.kind}/{part.partner_id or ''}", loaded, doc))
    return out


def files(paths: list[Path]) -> list[tuple[str, LoadedAnswers]]:
    return [(p.stem, load_answers(p)) for p in paths]


def generated(limit: int = 15) -> list[tuple[str, LoadedAnswers]]:
    found: dict[str, LoadedAnswers] = {}
    for kind in KINDS:
        for name, loaded in generated_of(kind.replace("sub_contract", "sub_contracts"), limit):
            found[name] = loaded
    return list(found.items())


def anonymised_sets() -> list[tuple[str, LoadedAnswers]]:
    """Answer sets sharing only anonymised data, with and without a lead provider."""
    sets = [(n, la) for n, la in files(ALL) + generated() if la.answers.data.kinds == "anonymised"]
    anonymised = {"kinds": "anonymised", "controller_model": "independent", "legal_gateway": None,
                  "dpia": "completed"}
    sets.append(("lead-provider-dominant-anonymised", changed(DOMINANT, data=anonymised)))
    sets.append(("north-east-anonymised", changed(NORTH_EAST, data=anonymised)))
    return sets


def s251_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [(n, la) for n, la in files(ALL) + generated()
            if la.answers.data.kinds != "anonymised" and la.answers.data.legal_gateway == "s251"]
    assert len(sets) >= 3
    return sets


def note_of(doc: Document, clause_id: str) -> str:
    return " ".join(next((c.note or "") for c in doc.clauses if c.id == clause_id).split())


# --------------------------------------------------------------------------- C1 individual care


class TestC1AnonymisedSharingLeavesIndividualCareToEachMember:
    def test_the_clause_carves_out_disclosures_for_individual_care(self) -> None:
        checked = 0
        for label, _, doc in every_document(anonymised_sets()):
            text = clause_text(doc, "data-protection")
            if not text:
                continue
            checked += 1
            if incorporated(doc, text):
                continue
            assert "The parties share no information that identifies a patient" not in text, label
            carve = next(s for s in text.split(". ") if "individual care needs" in s)
            # round 13 (C1): a Member where an Observer is a party
            assert re.search(r"stops a (party|Member) disclosing", carve) and "transfer of care" in carve, label
            assert "as the controller of its own records" in text, label
            assert "other than a disclosure for individual care under clause" in text, label
        assert checked >= 8


# --------------------------------------------------------------------------- F2 section 251


class TestF2Section251IsAConditionOfTheSharingNotTheAgreement:
    def test_not_a_condition_precedent_of_the_agreement(self) -> None:
        checked = 0
        for label, _, doc in every_document(s251_sets(), ("collaboration_agreement",)):
            checked += 1
            conditions = clause_text(doc, "conditions-precedent")
            assert "section 251" not in conditions, label
            assert "conditions-precedent.s251" not in doc.targets, label
            assert "Section 251 support is not a condition of this agreement" in \
                note_of(doc, "conditions-precedent"), label
        assert checked >= 3

    def test_the_sharing_that_needs_it_waits_for_it(self) -> None:
        checked = 0
        for label, _, doc in every_document(s251_sets()):
            text = clause_text(doc, "data-protection")
            checked += 1
            if incorporated(doc, text):
                continue
            assert "No confidential patient information that needs that support is shared" in text
            assert "until the support has been given" in text, label
            assert "the support is a condition of that sharing only" in text, label
            assert "usually takes several months" in note_of(doc, "data-protection"), label
            if doc.kind == "data_sharing":
                term = clause_text(doc, "dsa-purpose-data")
                # Round 7 (B3.3): the data sharing agreement's term refers to the data
                # protection clause for the support instead of stating the rule again.
                gateway = doc.targets["data-protection.gateway"].number
                assert f"section 251 support under clause {gateway}" in term, label
                assert "usually takes several months" in note_of(doc, "dsa-purpose-data"), label
        assert checked >= 6

    def test_without_s251_nothing_is_said(self) -> None:
        for label, _, doc in every_document(files([MERSEY, NORTH_EAST, SHARED])):
            assert "section 251" not in clause_text(doc, "dsa-purpose-data"), label
            assert "needs that support" not in clause_text(doc, "data-protection"), label


# --------------------------------------------------------------------------- C5/A3 signing


class TestC5ProvisionsInForceFromEveryMembersSignature:
    def test_signed_by_every_member_with_conflicts_and_competition(self) -> None:
        checked = 0
        sets = files(ALL) + generated()
        for label, _, doc in every_document(sets, ("collaboration_agreement",)):
            checked += 1
            text = clause_text(doc, "conditions-precedent")
            signing = next(s for s in text.split(". ") if "take effect when this Agreement" in s)
            assert "has been signed by every Member:" in signing, label
            assert "every party" not in signing, label
            # round 11 (conditions-precedent v11): the conflicts clause is in force on signing
            # only where the Board holds preparatory meetings; competition always is
            preparatory = "for the preparatory meetings" in signing
            for clause_id in ("conflicts-of-interest", "competition-information-barrier"):
                target = doc.targets.get(clause_id)
                if target is not None and (clause_id != "conflicts-of-interest" or preparatory):
                    assert f" {target.number}," in signing or f" {target.number} " in signing, \
                        (label, clause_id, signing)
        assert checked >= 8

    def test_the_lead_provider_agreement_protects_board_meetings_from_signature(self) -> None:
        doc = built(load_answers(DOMINANT), "collaboration_agreement")
        signing = clause_text(doc, "conditions-precedent").split(". ")[0]
        for clause_id in ("conflicts-of-interest", "competition-information-barrier"):
            assert f" {doc.targets[clause_id].number}," in signing, (clause_id, signing)


# --------------------------------------------------------------------------- DSA 4 observers


class TestDsa4AnObserverIsNoPartyToTheDataSharingAgreement:
    def test_no_party_no_contacts_no_signature(self) -> None:
        checked = 0
        sets = [(n, la) for n, la in files(ALL) + generated()
                if any(m.member_class == "observer" for m in la.answers.members)]
        for label, loaded, doc in every_document(sets, ("data_sharing",)):
            observers = [m.name for m in loaded.answers.members if m.member_class == "observer"]
            others = [m.name for m in loaded.answers.members if m.member_class != "observer"]
            checked += 1
            parties = " ".join(i.text for p in doc.parties for i in p.inlines if hasattr(i, "text"))
            parties += " ".join(i.text for p in doc.parties for i in p.inlines
                                for i in getattr(i, "inlines", ()) if hasattr(i, "text"))
            execution = clause_text(doc, "execution")
            contacts = schedule(doc, "data-sharing").split("Contacts")[-1]
            signed = {s.party for s in doc.signatures}
            for name in observers:
                assert name.upper() not in parties.upper(), label
                assert name not in execution and name not in contacts, label
                assert name not in signed, label
            for name in others:
                assert name in execution and name in contacts, label
        assert checked >= 3

    def test_an_observer_still_signs_the_collaboration_agreement(self) -> None:
        doc = built(load_answers(DOMINANT), "collaboration_agreement")
        assert "(as an observer)" in clause_text(doc, "execution")


# --------------------------------------------------------------------------- DSA 3 purposes


class TestDsa3PurposesCoverReportingAndDirectCare:
    def test_purposes(self) -> None:
        checked = 0
        sets = files(ALL) + generated() + anonymised_sets()
        for label, loaded, doc in every_document(sets, ("data_sharing",)):
            checked += 1
            answers = loaded.answers
            text = clause_text(doc, "dsa-purpose-data")
            # the purposes sub-clause follows the unnumbered background paragraph
            purpose = text[text.index("The Members share data"):].split(". ")[0]
            reporting = "the Lead Provider's reporting to the Commissioner under the Head Contract"
            assert (reporting in purpose) == bool(answers.lead_provider), label
            if answers.data.kinds == "identifiable_direct_care":
                assert "referrals and transfers of care between the Members" in purpose, label
            else:
                # said once, in the data protection clause, and cited here (round 9, B3.4)
                # round 12 (B2.1): a one-off disclosure that no flow lists is not Shared Data
                assert "that no flow of Schedule 1 lists is made under clause" in text, label
            spec = schedule(doc, "data-sharing")
            number = doc.targets["dsa-purpose-data"].number
            assert f"Purposes | As set out in clause {number}" in spec, label
            assert f"Data shared | As described in clause {number}.2" in spec, label
            assert "planning |" not in spec and "commissioning and planning" not in spec, label
        assert checked >= 8


# --------------------------------------------------------------------------- pinned versions


def test_a_superseded_version_keeps_its_references_to_its_own_sub_clauses() -> None:
    """Conditions precedent v3 refers to its own section 251 condition, which v4 no longer has:
    a draft pinned to v3 still builds, so `drafting check` resolves the reference in v3."""
    from drafting.read.check import check
    report = check()
    assert not [p for p in report.errors if p.rule == "reference"], report.errors
    pinned = changed(DOMINANT, clause_versions={"conditions-precedent": 3})
    conditions = clause_text(built(pinned, "collaboration_agreement"), "conditions-precedent")
    assert "support under section 251 of the NHS Act" in conditions
