"""Round 13 partner review of the sub-contracts (report 2-B) and of the memorandum's competition
clause (report 2-AE, document 2), as rules over many answer sets.

Each test drafts every sub-contract of the answer sets (scenarios, examples, generated and
changed sets, through `every_sub_contract`) or every document of the bundled and scenario packs,
and asserts the rule the partner asked for. The names (B1.4 ...) are the review's: report B,
document 1, finding 4.
"""

from __future__ import annotations

import re
from functools import cache

from drafting.model import Document
from tests.test_partner_review import clause_text, ids
from tests.test_review_round6_sc import every_sub_contract, number_of, schedule_text
from tests.test_review_round11b_sub import every_pack_document

# The clauses and schedules of this round's sub-contract area, whose numbers must be in figures.
AREA_CLAUSES = ("sc-contract-management", "sc-particulars", "sc-payment", "sc-services",
                "sc-status", "sc-term-termination", "banking-covenants", "flow-down",
                "ethical-standards", "force-majeure", "liability-insurance",
                "competition-information-barrier")
AREA_SCHEDULES = ("sc-commencement", "sc-governance", "sc-payment", "sc-pensions", "sc-quality",
                  "sc-reporting", "sc-services", "sc-staff-transfer")
NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|"
    r"twenty|twenty-one|twenty-eight|thirty|sixty|ninety)(?: \(\d+\))? "
    r"(?:calendar |working |business )?(?:days?|months?|years?|weeks?)\b")


def words(text: str) -> str:
    return " ".join(text.split())


@cache
def sub_contracts() -> tuple[tuple[str, object, str, Document], ...]:
    return every_sub_contract()


@cache
def pack_documents() -> tuple[tuple[str, Document], ...]:
    return tuple(every_pack_document())  # type: ignore[arg-type]


def kind_of(loaded: object, partner: str) -> str:
    return next(m.kind for m in loaded.answers.members if m.id == partner)  # type: ignore[attr-defined]


def with_agreement(document: Document) -> bool:
    return "Collaboration Agreement" in clause_text(document, "sc-term-termination")


# ------------------------------------------------------------------ B1.2 change of control


def test_b1_2_change_of_control_information_goes_behind_the_information_barrier() -> None:
    """A partner seeking consent to a change of control gives its information to the Lead
    Provider only behind the sub-contract's information barrier, never to the Board table."""
    seen = 0
    for label, _loaded, _partner, document in sub_contracts():
        text = words(clause_text(document, "sc-term-termination"))
        if "It seeks the consent that clause" not in text:
            continue
        seen += 1
        barrier = number_of(document, "sc-contract-management")
        assert ("The Lead Provider receives, keeps and uses the information the Sub-Contractor "
                "gives about the change, so far as it is Competitively Sensitive Information, "
                f"only as clause {barrier}.") in text, label
    assert seen >= 1


# ------------------------------------------------------------------ B1.3 covenant rule once


def test_b1_3_the_covenant_liability_rule_is_stated_once() -> None:
    """The rule that a Covenant Member answers for the Lead Provider's head-contract liability
    only so far as it results from its own breach is stated once, in the covenant cap; the
    banking-covenant clause and the indemnity cite it and no sub-clause says "arises only under
    sub-clause" of the banking-covenant clause."""
    seen = 0
    for label, _loaded, _partner, document in sub_contracts():
        cap = words(clause_text(document, "liability-insurance"))
        if "covenant cap" not in cap:
            continue
        seen += 1
        everything = " ".join(words(clause_text(document, c.id)) for c in document.clauses)
        assert everything.count("results from the Sub-Contractor's own breach") == 1, label
        assert "only to the extent that the sum results from the Sub-Contractor's own breach" \
            in cap, label
        banking = words(clause_text(document, "banking-covenants"))
        assert "arises only under sub-clause" not in banking, label
        cap_number = re.search(r"Subject to sub-clause [\d.]+, the liability of the "
                               r"Sub-Contractor", cap)
        assert cap_number, label
        assert re.search(r"as clause \d+\.\d+ provides \(with the covenant cap", banking), label
        assert re.search(r"Commissioner under the Head Contract only as sub-clause \d+\.\d+ "
                         r"provides", cap), label
    assert seen >= 1


# ------------------------------------------------------------------ B1.4 empty sentence


def test_b1_4_no_conditional_expulsion_sentence_and_one_no_ground_statement() -> None:
    """The ethical-standards clause of a sub-contract no longer says a breach "may be a ground
    for its expulsion ... if it is also a ground under that clause"; the contract-management
    clause says once that the sub-contract adds no ground of expulsion."""
    seen = 0
    for label, _loaded, _partner, document in sub_contracts():
        assert "if it is also a ground under that clause" not in words(
            clause_text(document, "ethical-standards")), label
        if with_agreement(document):
            seen += 1
            everything = " ".join(words(clause_text(document, c.id)) for c in document.clauses)
            assert everything.count("adds no ground of expulsion") == 1, label
    assert seen >= 3


# ------------------------------------------------------------------ B1.5 ending by agreement


def test_b1_5_the_closed_list_of_ways_to_end_includes_written_agreement() -> None:
    """The parties may end a sub-contract by written agreement where the PSR Regulations allow
    it, and the closed list of ways to end cites that sub-clause, as the agreement's withdrawal
    clause lets the Lead Provider end a sub-contract with the Partner's agreement."""
    seen = 0
    for label, _loaded, _partner, document in sub_contracts():
        text = words(clause_text(document, "sc-term-termination"))
        assert ("The parties may end this Sub-Contract, in whole or for any of the "
                "Sub-Contracted Services, by agreement in writing, on the date they agree and "
                "where the PSR Regulations allow it.") in text, label
        if with_agreement(document):
            seen += 1
            agreed = document.targets["sc-term-termination.by-agreement"].number
            closed = re.search(r"ends early only as sub-clauses ([\d., and]+) provide", text)
            assert closed and agreed in closed.group(1).replace(",", " ").split(), label
        else:
            assert "ends early only as this clause provides" in text, label
    assert seen >= 3


def test_b1_7_force_majeure_withdrawal_cites_the_withdrawal_clause() -> None:
    """A sub-contract says that a prolonged force majeure withdrawal is made under the
    agreement's withdrawal clause, as its force majeure clause allows."""
    seen = 0
    for label, _loaded, _partner, document in sub_contracts():
        text = words(clause_text(document, "force-majeure"))
        if "withdrawal from the Collaborative under clause" not in text:
            continue
        seen += 1
        assert re.search(r"withdrawal from the Collaborative under clause \d+ \(Withdrawal[^)]*\) "
                         r"of the Collaboration Agreement, as clause \d+ \(Force majeure[^)]*\) "
                         r"of that agreement allows", text), label
    assert seen >= 3


def test_b1_8_numbers_in_figures_in_the_sub_contract_clauses_and_schedules() -> None:
    """The sub-contract's clauses and schedules write periods in figures ("30 days"), never
    "thirty (30) days" or "fourteen days"."""
    for label, _loaded, _partner, document in sub_contracts():
        present = ids(document)
        for clause_id in AREA_CLAUSES:
            if clause_id in present:
                found = NUMBER_WORD.search(words(clause_text(document, clause_id)))
                assert not found, (label, clause_id, found and found.group(0))
        for schedule_id in AREA_SCHEDULES:
            found = NUMBER_WORD.search(words(schedule_text(document, schedule_id)))
            assert not found, (label, schedule_id, found and found.group(0))


# ------------------------------------------------------------------ B2.1 one settlement trigger


def test_b2_1_deficit_verification_runs_from_approval_and_cites_settlement() -> None:
    """A partner's request to verify its deficit share runs from the approval of the year-end
    reconciliation, the event from which the share is settled, and cites the settlement
    sub-clause."""
    seen = 0
    for label, _loaded, _partner, document in sub_contracts():
        text = words(clause_text(document, "sc-payment"))
        if "require its share to be verified" not in text:
            continue
        seen += 1
        assert "after receiving the year-end reconciliation" not in text, label
        # round 15 (m15): the certified reconciliation's issue starts the period, not a vote
        assert "after the year-end reconciliation that shows its share of a Deficit is issued" \
            in text, label
        if "risk-gain-share" in ids(document):
            assert re.search(r"the share as verified or decided, which is settled as clause "
                             r"\d+\.\d+ provides\.", text), label
    assert seen >= 2


# ------------------------------------------------------------------ B2.3 competition clause


def test_b2_3_every_sub_contract_carries_the_competition_clause_with_an_is_member() -> None:
    """Where the collaborative has an independent-sector member, every sub-contract (an NHS
    partner's too) carries the competition clause."""
    kinds = set()
    for label, loaded, partner, document in sub_contracts():
        if not any(m.kind == "independent_sector" for m in loaded.answers.members):  # type: ignore[attr-defined]
            continue
        kinds.add(kind_of(loaded, partner))
        assert "competition-information-barrier" in ids(document), label
    assert {"nhs_trust", "nhs_foundation_trust"} & kinds and "independent_sector" in kinds


# ------------------------------------------------------------------ AE2.1 no loophole


def test_ae2_1_contract_exception_is_limited_to_the_counterparty() -> None:
    """The exception for information needed to perform a contract for the Services is no route
    for competitors to exchange prices: it covers only what that contract requires, disclosed
    only to the other party to it."""
    seen = 0
    for label, document in pack_documents():
        text = words(clause_text(document, "competition-information-barrier"))
        if "may disclose its own Competitively Sensitive Information" not in text:
            continue
        seen += 1
        assert "needed to perform a contract for the Services and is limited" not in text, label
        if document.kind == "sub_contract":
            assert ("where it is needed to perform this Sub-Contract, limited to what this "
                    "Sub-Contract requires (for example the prices payable under it), and given "
                    "only to the other party;") in text, label
        else:
            assert ("where a party must give it to the other party to a contract between them "
                    "for the Services to perform that contract: it then discloses only what that "
                    "contract requires (for example the prices payable under it), and only to "
                    "that other party;") in text, label
    assert seen >= 3
