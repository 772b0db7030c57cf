"""Round 14 partner review of the collaboration agreement and its sub-contracts (the
lead-provider-dominant pack: Cygnet, an independent-sector member with banking covenants, and
BDCT, an NHS trust), as rules over many answer sets.

Each test drafts every sub-contract of the answer sets (scenarios, examples, generated sets and
the lead-provider sets under each payment basis, through `every_sub_contract`) and, where the
pack has one, the collaboration agreement of the same answers, and asserts the rule the partner
asked for. The numbers are the review's findings.
"""

from __future__ import annotations

from functools import cache

from drafting.build.pack import build_document
from drafting.model import Document
from tests.test_partner_review import clause_text, library
from tests.test_review_round6_sc import every_sub_contract, schedule_text

NHS_KINDS = ("nhs_trust", "nhs_foundation_trust")


def words(text: str) -> str:
    return " ".join(text.split())


@cache
def sub_contracts() -> tuple[tuple[str, object, str, Document], ...]:
    return every_sub_contract()


_AGREEMENTS: dict[int, Document] = {}


def agreement_of(loaded: object) -> Document | None:
    """The collaboration agreement drafted from the same answers, or None without one."""
    if "collaboration_agreement" not in loaded.answers.documents:  # type: ignore[attr-defined]
        return None
    key = id(loaded)
    if key not in _AGREEMENTS:
        _AGREEMENTS[key] = build_document(library(), loaded, "collaboration_agreement", None)
    return _AGREEMENTS[key]


def kind_of(loaded: object, partner: str) -> str:
    return next(m.kind for m in loaded.answers.members if m.id == partner)  # type: ignore[attr-defined]


def number_of(document: Document, clause_id: str) -> str:
    return next(c.number for c in document.clauses if c.id == clause_id)


# ------------------------------------------------------------ 1 one order of precedence


def test_1_agreement_and_sub_contract_state_one_order_with_the_flow_down_tier() -> None:
    """The agreement's sub-contracts rule and the sub-contract's precedence clause give the same
    tiers in the same order: banking covenants, protected provisions, the head contract as it
    flows down, the incorporated agreement provisions, the rest of the sub-contract, the rest of
    the agreement. The sub-contract cites the agreement's rule by number."""
    checked = 0
    for label, loaded, partner, document in sub_contracts():
        agreement = agreement_of(loaded)
        if agreement is None:
            continue
        said = words(clause_text(agreement, "interpretation"))
        rule = said[said.index("As between the Lead Provider and a Partner"):]
        ca_tiers = ["protected provisions", "the provisions of the Head Contract that flow down",
                    "the provisions of this Agreement that the sub-contract incorporates",
                    "the other clauses of the sub-contract", "the other provisions of this Agreement"]
        places = [rule.index(t) for t in ca_tiers]
        assert places == sorted(places), (label, rule)
        text = words(clause_text(document, "interpretation"))
        order = text[text.index("take precedence in this order"):]
        sc_tiers = ["the protected provisions listed", "the Flow-Down Provisions",
                    "the provisions of the Collaboration Agreement incorporated",
                    "clauses, except clause", "the schedules",
                    "the other provisions of the Collaboration Agreement"]
        places = [order.index(t) for t in sc_tiers]
        assert places == sorted(places), (label, order)
        cited = [n for n in ("2.11", "2.12", "2.13", "2.14", "3.12", "3.13")
                 if f"clause {n} of the Collaboration Agreement gives" in text]
        assert cited and cited[0].split(".")[0] == number_of(agreement, "interpretation"), \
            (label, text)
        covenant = any(m.id == partner and m.banking_covenants
                       for m in loaded.answers.members)  # type: ignore[attr-defined]
        if covenant:
            assert order.index("(Members with banking covenants)") < \
                order.index("the protected provisions listed"), label
            assert "the sub-contract's clause on banking covenants" in rule, label
        checked += 1
    assert checked >= 3


# ------------------------------------------------- 2 the shared figure is disputed one way


def test_2_a_reconciliation_dispute_is_resolved_once_under_either_document() -> None:
    """A partner with a Loss Share may dispute the reconciliation under the sub-contract or the
    agreement, and either way it is resolved once, by the agreement's procedure."""
    seen = 0
    for label, loaded, partner, document in sub_contracts():
        text = words(clause_text(document, "sc-payment"))
        if "require its share to be verified" not in text:
            continue
        agreement = agreement_of(loaded)
        assert "may dispute the reconciliation, or its share, under clause" in text, label
        if agreement is not None:
            number = number_of(agreement, "dispute-resolution")
            assert f"or under clause {number} (Dispute resolution) of the Collaboration " \
                "Agreement" in text, label
            assert "so a dispute about it is resolved once, under whichever of the two it is " \
                f"raised: by the steps and the final route of clause {number}" in text, label
            seen += 1
    assert seen >= 1


# --------------------------------------------------------------- 3 novation mirrored


def test_3_the_partner_consents_in_its_sub_contract_to_novation_to_a_successor() -> None:
    seen = 0
    for label, loaded, _partner, document in sub_contracts():
        agreement = agreement_of(loaded)
        if agreement is None or not any(c.id == "successor-lead-provider"
                                        for c in agreement.clauses):
            continue
        number = number_of(agreement, "successor-lead-provider")
        ca = words(clause_text(agreement, "successor-lead-provider"))
        assert "each Partner consents now to that novation" in ca, label
        text = words(clause_text(document, "sc-term-termination"))
        assert f"under clause {number} (Change of Lead Provider) of the Collaboration " \
            "Agreement, this Sub-Contract does not end" in text, label
        assert "The Sub-Contractor consents now to that novation" in text, label
        seen += 1
    assert seen >= 2


# ----------------------------------------------------- 4 no convenience right survives


def test_4_no_right_to_end_for_convenience_survives_in_the_sub_contract() -> None:
    seen = 0
    for label, _loaded, _partner, document in sub_contracts():
        text = words(clause_text(document, "sc-term-termination"))
        assert "Neither party may end it for convenience" in text, label
        for clause in document.clauses:
            assert "without cause" not in words(clause_text(document, clause.id)), \
                (label, clause.id)
        if "Collaboration Agreement" in text:
            assert "no provision of the Collaboration Agreement that this Sub-Contract " \
                "incorporates gives either party a right to do so" in text, label
            seen += 1
    assert seen >= 2


# -------------------------------------- 5 passed-on commissioner sums are never excluded


def test_5_loss_of_revenue_exclusion_never_excludes_sums_passed_on_from_the_commissioner() -> None:
    seen = 0
    for label, _loaded, _partner, document in sub_contracts():
        text = words(clause_text(document, "liability-insurance"))
        if "loss of profit, revenue" not in text:
            continue
        assert "nor any sum that this Sub-Contract passes between the parties from the Head " \
            "Contract" in text, label
        assert "a sum the Commissioner withholds from, deducts from or recovers against the " \
            "Lead Provider under the Head Contract" in text, label
        assert "a payment the Commissioner makes under the Head Contract that is due to the " \
            "Sub-Contractor" in text, label
        seen += 1
    assert seen >= 5


# ----------------------------------------------------------- 7 one reconciliation timetable


def test_7_activity_reconciliation_timetable_fits_the_agreement_year_end() -> None:
    seen = 0
    for label, loaded, _partner, document in sub_contracts():
        text = words(clause_text(document, "sc-payment"))
        if "Payments are reconciled" not in text:
            continue
        assert "the Lead Provider sends the Sub-Contractor its reconciliation for that period" \
            in text, label
        assert "within 14 days after receiving it the Sub-Contractor agrees it or disputes it" \
            in text, label
        agreement = agreement_of(loaded)
        if agreement is not None and any(c.id == "risk-gain-share" for c in agreement.clauses):
            ca = words(clause_text(agreement, "risk-gain-share"))
            assert "Within 2 months after the end of each Contract Year" in ca, label
            # round 15 (m15): prepared by the Lead Provider, certified and issued within the
            # agreement's 2 months, with no vote
            assert "in the year-end reconciliation that the Lead Provider prepares under clause" \
                in text, label
            assert "which is certified and issued within 2 months after the end of the Contract " \
                "Year, without a vote of the collaboration's board" in text, label
            seen += 1
    assert seen >= 1


# -------------------------------------------------------------- 8 what "Agreement" means


def test_8_the_sub_contract_says_what_agreement_means() -> None:
    seen = 0
    for label, _loaded, _partner, document in sub_contracts():
        text = words(clause_text(document, "interpretation"))
        if "Collaboration Agreement, as in force from time to time, are incorporated" not in text:
            continue
        assert "In a provision of the Collaboration Agreement that this Sub-Contract " \
            "incorporates, a reference to that agreement itself is to the Collaboration " \
            "Agreement, never to this Sub-Contract" in text, label
        definitions = words(clause_text(document, "definitions"))
        assert "“Agreement” means" not in definitions, label
        seen += 1
    assert seen >= 2


# ------------------------------------------------------ 9 late payment by kind of partner


def test_9_late_payment_interest_follows_the_kind_of_partner() -> None:
    seen = {True: 0, False: 0}
    for label, loaded, partner, document in sub_contracts():
        text = words(clause_text(document, "sc-payment"))
        nhs = kind_of(loaded, partner) in NHS_KINDS
        statutory = "at the rate and on the terms of the Late Payment of Commercial Debts " \
            "(Interest) Act 1998" in text
        assert statutory is (not nhs), label
        if nhs:
            assert "the Late Payment of Commercial Debts (Interest) Act 1998 does not apply to " \
                "it and neither party charges the other interest on a sum paid late" in text, label
            assert "may refer the non-payment to the procedure in clause" in text, label
        seen[nhs] += 1
    assert seen[True] and seen[False]


# ------------------------------------------- 10 the reports name the data sharing flows


def test_10_reports_carry_only_the_data_sets_of_the_data_sharing_agreement() -> None:
    seen = 0
    for label, loaded, _partner, document in sub_contracts():
        if "data_sharing" not in loaded.answers.documents:  # type: ignore[attr-defined]
            continue
        text = words(schedule_text(document, "sc-reporting"))
        assert "of the data sharing agreement between the Members" in text, label
        if loaded.answers.data.kinds == "identifiable_commissioning":  # type: ignore[attr-defined]
            assert 'its flow "Commissioning and contract management under the Head Contract"' \
                in text, label
            assert '"Monitoring the quality and outcomes of care"' in text, label
            seen += 1
    assert seen >= 2
