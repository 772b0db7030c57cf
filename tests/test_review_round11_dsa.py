"""The round-11 review of the data terms (reports B, C, D, F), as rules over many answer sets.

Each test reads the collaboration agreements, sub-contracts and data sharing agreements drafted
from the bundled examples, the scenario answer sets, variations of them (pseudonymised,
anonymised, no commissioning hub, a completed assessment) and generated collaboratives, so a
rule holds for every collaborative a user can draft. The ids are the review's (D3.1: report D,
document 3, finding 1).
"""

from __future__ import annotations

import re

from drafting.build.assemble import agreement_clauses
from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_money_review import schedule
from tests.test_partner_review import clause_text, library
from tests.test_review_round9_data import of_kind
from tests.test_review_round10c_dsa import flow_rows

NHS_KINDS = ("nhs_trust", "nhs_foundation_trust", "icb", "nhs_england", "local_authority")
# round 14: the incidents are patient safety incidents (PSIRF), and the duty names safeguarding
DUTIES = {"clinical-model": "notifying patient safety incidents", "complaints": "passing on complaints",
          "equality-health-inequalities": "by protected characteristic and by deprivation"}


def dsas() -> list[tuple[str, LoadedAnswers, Document]]:
    return of_kind("data_sharing")


def member_kinds(loaded: LoadedAnswers) -> list[str]:
    return [m.kind for m in loaded.answers.members]


# --------------------------------------------------------------- D1.1, D3.1, F2.5 the CA's flows


def test_purposes_and_flows_cover_every_data_duty_of_the_agreement() -> None:
    """Every duty of the collaboration agreement that moves data about patients (incidents and
    joint reviews, complaints, equality data) is a purpose of the DSA, cited by clause number,
    and has a row in the proposed data flows."""
    seen = 0
    for label, loaded, doc in dsas():
        if "collaboration_agreement" not in loaded.answers.documents:
            continue
        found = agreement_clauses(library(), loaded.answers)
        text = clause_text(doc, "dsa-purpose-data")
        purposes = [r[0] for r in flow_rows(doc)]
        for clause_id, words in DUTIES.items():
            if clause_id not in found:
                continue
            seen += 1
            number = found[clause_id]["number"]
            assert re.search(rf"{re.escape(words)}[^;.]*under clause {number} \(", text), \
                (label, clause_id)
            assert any(f"(clause {number} of the Collaboration Agreement)" in p for p in purposes), \
                (label, clause_id, purposes)
        if "equality-health-inequalities" in found:
            assert "Equality and outcome data is shared only in aggregated form" in text, label
    assert seen >= 9


# --------------------------------------------------------------- D3.2 the note follows the flows


def test_the_checklist_frequencies_are_those_of_the_flows() -> None:
    for label, _loaded, doc in dsas():
        note = doc.clauses[0].note or ""
        assert "the proposed data flows of the data sharing agreement" in note, label
        listed = note[note.index("the proposed data flows of the data sharing agreement"):]
        listed = listed[:listed.index(")")]
        when = {r[4].lower() for r in flow_rows(doc)}
        purposes = " ".join(r[0] for r in flow_rows(doc)).lower()
        assert ("monthly" in listed) == ("monthly" in when), (label, listed, when)
        assert ("quarterly" in listed) == ("quarterly" in when), (label, listed, when)
        assert ("for individual care" not in listed), (label, listed)
        assert ("incidents" in listed) == ("incidents" in purposes), (label, listed)
        assert ("complaints" in listed) == ("complaints" in purposes), (label, listed)


# --------------------------------------------------------------- B3.2, B2.4 NHS-funded providers


def test_an_nhs_funded_independent_provider_relies_on_public_task_and_the_dspt() -> None:
    """Art 6(1)(e) for the NHS-funded care of an independent or voluntary-sector party, 6(1)(f)
    only outside it, and the DSPT with no equivalence route (that stays for a council only):
    in the agreement, the data sharing agreement and the sub-contract with that provider."""
    seen: dict[str, int] = {}
    for kind in ("collaboration_agreement", "sub_contract", "data_sharing"):
        for label, loaded, doc in of_kind(kind):
            text = clause_text(doc, "data-protection")
            if "expect to rely on Article 6(1)(e)" not in text:
                continue
            assert "6(1)(e) or 6(1)(f) as it determines" not in text, label
            assert "Cyber Essentials" not in text or "local_authority" in member_kinds(loaded), \
                label
            if doc.kind == "data_sharing":
                assert "6(1)(f) for a non-public body" not in schedule(doc, "data-sharing"), label
            # round 13: "a Member" where an Observer is a party to the agreement
            private = ("A party that is not a public authority" in text
                       or "A Member that is not a public authority" in text)
            if doc.kind != "sub_contract":
                assert private == any(k not in NHS_KINDS for k in member_kinds(loaded)), label
            if private:
                seen[kind] = seen.get(kind, 0) + 1
                # round 11c (D3.2): publicly funded care under a contract with an NHS body (or a
                # local authority where one is a member), with its basis in law
                assert "relies on Article 6(1)(e) for the publicly funded care it provides under " \
                    "a contract with an NHS body" in text, label
                assert "Article 6(1)(f) (legitimate interests) only for processing outside that " \
                    "care" in text, label
                assert "is required to complete it for this purpose" in text, label
    assert set(seen) == {"collaboration_agreement", "sub_contract", "data_sharing"}, seen


# --------------------------------------------------------------- B3.4, B1.5 case management


def test_case_management_is_one_rule() -> None:
    seen = 0
    for kind in ("sub_contract", "data_sharing", "collaboration_agreement"):
        for label, loaded, doc in of_kind(kind):
            text = clause_text(doc, "data-protection")
            assert "for case management and commissioning decisions only where" not in text, label
            # round 12 (B1.4): a sub-contract with its agreement incorporates the agreement's
            # clause, which states the rule
            incorporated = kind == "sub_contract" and \
                "collaboration_agreement" in loaded.answers.documents
            if loaded.answers.data.kinds == "identifiable_commissioning" and text and \
                    not incorporated:
                seen += 1
                assert "A decision about an identified patient (case management, gatekeeping of " \
                    "admissions or placement) uses the identifiable data that decision needs." \
                    in text, label
    assert seen >= 3


# --------------------------------------------------------------- B3.3, D3.5 no Background paragraph


def test_clause_two_opens_with_the_operative_purposes() -> None:
    for label, _loaded, doc in dsas():
        text = clause_text(doc, "dsa-purpose-data")
        assert "Background." not in text, label
        assert text.startswith("The Members share data under this Agreement only for"), label
        assert doc.recitals, label


# --------------------------------------------------------------- B3.5, D3.4 suspension periods


def test_a_suspension_dispute_uses_the_cited_procedures_periods() -> None:
    for label, loaded, doc in dsas():
        text = clause_text(doc, "dsa-security-retention")
        suspension = text[text.index("may suspend its disclosures"):]
        suspension = suspension[:suspension.index("the suspending Member lifts")]
        assert "fourteen days" not in suspension, label
        assert "within the periods that procedure sets for each step" in suspension, label
        if "collaboration_agreement" in loaded.answers.documents:
            assert "fourteen days" not in text, label


# --------------------------------------------------------------- B3.6 known defaults in brackets


def test_known_defaults_are_bracketed_not_blank() -> None:
    for label, _loaded, doc in dsas():
        table = schedule(doc, "data-sharing")
        assert "counts below [●]" not in table, label
        assert "Any other copy: [12] months after the purpose" in table, label
        note = doc.clauses[0].note or ""
        assert "a retention period of [12] months" in note, label
        if "counts below [8]" in table:
            assert "small-number suppression of counts below [8]" in note, label


# --------------------------------------------------------------- B3.1 the controller model


def test_a_controller_model_the_library_departs_from_is_on_the_checklist() -> None:
    """The answers make the lead a processor; the library makes it a controller of the data it
    uses for its own functions. The drafting note and the checklist say so, as a decision for
    the members' data protection officers, in every document with the data clause."""
    seen = 0
    for kind in ("collaboration_agreement", "sub_contract", "data_sharing"):
        for label, loaded, doc in of_kind(kind):
            a = loaded.answers
            clause = next((c for c in doc.clauses if c.id == "data-protection"), None)
            if clause is None or clause.variant != "lead-processor":
                continue
            seen += 1
            checklist = doc.clauses[0].note or ""
            assert "although the answers chose the lead provider as processor: confirm yes or no " \
                "with the members' data protection officers" in checklist, label
            assert "the answers make the lead provider a processor for the others, but" in checklist, \
                label
            assert "The answers chose the lead provider as processor" in (clause.note or ""), label
            assert a.data.controller_model == "lead_processor", label
    assert seen >= 3


# --------------------------------------------------------------- B3.7 defined terms of the pack


def test_the_hub_and_the_provider_arm_carry_the_agreements_meaning() -> None:
    seen = 0
    for label, loaded, doc in dsas():
        number = agreement_clauses(library(), loaded.answers).get("commissioning-separation")
        text = clause_text(doc, "dsa-purpose-data")
        if number is None or "commissioning hub, as clause" not in text:
            assert "its commissioning hub under clause" not in text, label
            continue
        seen += 1
        assert f"(its commissioning hub, as clause {number['number']} of the Collaboration " \
            "Agreement defines it)" in text, label
        assert "(its provider arm, as that agreement defines it)" in text, label
        assert "commissioning hub, as the Collaboration Agreement defines it" in \
            schedule(doc, "data-sharing"), label
    assert seen >= 2


# --------------------------------------------------------------- C1.5 one gate, stated once


def test_the_gate_for_identifiable_sharing_is_stated_once() -> None:
    """Where no patient data is shared, one sub-clause states the gate (DPIA, controller, legal
    basis, recorded); individual care, the shared list and the scope cite it by number."""
    seen = 0
    for kind in ("collaboration_agreement", "sub_contract", "mou"):
        for label, _loaded, doc in of_kind(kind):
            clause = next((c for c in doc.clauses if c.id == "data-protection"), None)
            if clause is None or clause.variant != "no-patient-data":
                continue
            seen += 1
            text = clause_text(doc, "data-protection")
            gate = re.search(r"clause (\d+\.\d+) provides\. ", text)
            assert gate, label
            number = gate.group(1)
            assert "it starts only once the parties have completed a DPIA of it" not in text, label
            assert "Until the parties have completed a DPIA" not in text, label
            assert text.count("must carry out a DPIA") == 1, label
            assert "Apart from disclosures for individual care under clause " in text, label
            assert f"and sharing that meets the conditions of clause {number}, no information" \
                in text, label
            if "placed on a list shared between the parties" in text:
                assert f"until the conditions of clause {number} are met for that processing" \
                    in text, label
    assert seen >= 3
