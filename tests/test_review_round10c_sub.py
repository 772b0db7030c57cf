"""A healthcare partner's review of the sub-contracts (report B, documents 1 and 2, round 10),
as rules over many answer sets.

Each rule is checked on every sub-contract the bundled examples, the scenario sets, the
generated sets and the sets changed to another payment basis draft. The names (B1.1 ...) are the
review's: report B, document 1, finding 1.
"""

from __future__ import annotations

import re

from drafting.build.pack import build_document
from tests.test_partner_review import clause_text, library
from tests.test_review_round6_sc import every_sub_contract
from tests.test_review_round10b_sc import agreement_sets

NHS_KINDS = ("nhs_trust", "nhs_foundation_trust")


def partner_kind(loaded, partner_id: str) -> str:
    return next(m.kind for m in loaded.answers.members if m.id == partner_id)


# ------------------------------------------------------------------ B1.1 / B2.1 lead's default


class TestB11PartnerMayEndForLeadDefault:
    """The partner may end its sub-contract for the lead's unremedied material breach, in
    particular non-payment of undisputed sums after notice; the agreement's withdrawal clause
    has the matching short-notice ground; a non-NHS sub-contract states late-payment interest."""

    def test_sub_contract_gives_the_partner_a_termination_right(self) -> None:
        checked = 0
        for label, _loaded, _partner, document in every_sub_contract():
            text = clause_text(document, "sc-term-termination")
            assert re.search(r"The Sub-Contractor may end this Sub-Contract by notice", text) or \
                re.search(r"Either party may end this Sub-Contract by notice to the other if the "
                          r"other commits a material breach of it \(including the Lead Provider's "
                          r"failure to pay", text), label
            assert "does not pay a sum due under this Sub-Contract" in text \
                or "failure to pay a sum due under this Sub-Contract" in text, label
            checked += 1
        assert checked >= 10

    def test_the_ending_is_also_withdrawal_on_the_agreement_ground(self) -> None:
        checked = 0
        for label, _loaded, _partner, document in every_sub_contract():
            text = clause_text(document, "sc-term-termination")
            if "Collaboration Agreement" not in text:
                continue
            assert "is also the Sub-Contractor's notice of withdrawal from the Collaborative" \
                in text, label
            checked += 1
        assert checked >= 3
        leads = 0
        for label, loaded in agreement_sets():
            document = build_document(library(), loaded, "collaboration_agreement", None)
            text = clause_text(document, "withdrawal")
            if "The Lead Provider may withdraw only with" not in text:
                continue
            leads += 1
            assert "ends its sub-contract, as that sub-contract allows, because the Lead " \
                "Provider has not paid an undisputed sum" in text, label
        assert leads >= 2

    def test_non_nhs_sub_contract_states_late_payment_interest(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, partner, document in every_sub_contract():
            text = clause_text(document, "sc-payment")
            nhs = partner_kind(loaded, partner) in NHS_KINDS
            # round 14: between two NHS bodies the sub-contract says the Act does not apply
            # (an NHS contract is not a contract in law) and no interest is charged
            stated = "at the rate and on the terms of the Late Payment of Commercial Debts " \
                "(Interest) Act 1998" in text
            assert stated is (not nhs), label
            assert ("neither party charges the other interest on a sum paid late" in text) is nhs, \
                label
            seen[nhs] += 1
        assert seen[True] and seen[False]



# ------------------------------------------------------------------------ B1.3 deficit check


class TestB13LossShareVerifiedBeforeSetOff:
    """A partner with a Loss Share may have the year-end reconciliation verified and dispute it
    before any share of a Deficit is set off against its payments; a partner without one has no
    such clause (nothing is set off)."""

    def test_verification_and_dispute_before_set_off(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, partner, document in every_sub_contract():
            derived = loaded.answers.context()["derived"]
            bears = bool(derived.get("risk_share")) and derived["loss_shares"].get(partner, 0) > 0
            text = clause_text(document, "sc-payment")
            if bears:
                # round 11c: the share is verified by an independent auditor only
                assert "require its share to be verified" in text, label
                assert "may dispute the reconciliation, or its share, under clause" in text, label
                assert "Nothing is set off against, or deducted from, a payment" in text, label
                assert "once sub-clause" in text, label
            else:
                assert "share of a Deficit" not in text, label
            seen[bears] += 1
        assert seen[True] >= 2 and seen[False] >= 2


# ----------------------------------------------------------------------- B1.6 monthly timing


class TestB16InstalmentsInTheMonth:
    """Block prices (and the monthly payment on account of the other bases) are paid as one
    twelfth in the month, on the head contract's timing; invoice plus the payment days only for
    variable sums."""

    def test_instalments_paid_in_the_month_without_invoice(self) -> None:
        bases: set[str] = set()
        for label, loaded, partner, document in every_sub_contract():
            text = clause_text(document, "sc-payment")
            assert "pays each monthly instalment of the annual price" in text, label
            assert "in the month to which it relates, no later than the day in that month on " \
                "which the Head Contract requires the Commissioner to make its monthly " \
                "payment" in text, label
            assert "An instalment needs no invoice" in text, label
            assert "invoices it for any sum due under this Sub-Contract other than an " \
                "instalment" in text, label
            assert "invoices the Lead Provider monthly in arrears" not in text, label
            bases.add(loaded.answers.sub_contract_terms[partner].payment_basis)
        assert bases == {"block", "activity", "cost_and_volume"}


# ------------------------------------------------------------------ B2.2 cost and volume figures


class TestB22CostAndVolumeInFigures:
    """With cost and volume, the payment schedule states per service the currency, the exact
    indicative volume, the unit price in pounds and the tolerance in units: no "about", no
    adjustment "in proportion" to a percentage."""

    def test_table_of_currency_volume_unit_price_and_tolerance(self) -> None:
        from tests.test_review_round6_sc import schedule_text  # noqa: PLC0415
        checked = 0
        for label, loaded, partner, document in every_sub_contract():
            terms = loaded.answers.sub_contract_terms[partner]
            text = schedule_text(document, "sc-payment")
            if terms.payment_basis != "cost_and_volume":
                assert "Volume a year" not in text, label
                continue
            assert "the currency (the unit in which activity is counted), the indicative " \
                "volume (the exact number of units a year), the unit price in pounds" in text, label
            assert "each unit beyond the tolerance is paid for, or refunded, at the unit price" \
                in text, label
            assert "in proportion to the annual price" not in text, label
            rows = [t for t in document.schedules if t.id == "sc-payment"]
            cells = " ".join(str(b) for b in rows[0].blocks)
            assert cells.count("units") >= 2 * len(terms.services), label
            checked += 1
        assert checked >= 2


# ----------------------------------------------------------------------- B1.5 Schedule 4 Parts


class TestB15QualityScheduleParts:
    """Schedule 4 carries the head contract's Part letters A to E, an unused Part "Not used"."""

    def test_parts_a_to_e(self) -> None:
        from tests.test_review_round6_sc import schedule_text  # noqa: PLC0415
        checked = 0
        for label, loaded, partner, document in every_sub_contract():
            schedule = next(s for s in document.schedules if s.id == "sc-quality")
            assert schedule.number == "Schedule 4", label
            text = schedule_text(document, "sc-quality")
            positions = [text.find(f"Part {letter}: ") for letter in "ABCDE"]
            assert all(p >= 0 for p in positions) and positions == sorted(positions), label
            assert "Part D: Commissioning for Quality and Innovation (CQUIN) Not used." in text, \
                label
            if not loaded.answers.sub_contract_terms[partner].kpis:
                assert "Part C: Local quality requirements Not used." in text, label
            checked += 1
        assert checked >= 10


# ------------------------------------------------- B2.4 / B2.5 head-contract disputes and ranks


class TestB24HeadContractDisputeAndRanks:
    """A non-NHS partner takes part in the head contract's dispute procedure with a right to make
    representations, bound only as to facts (and subject to the covenant clause), in the
    dispute clause itself; a clause that ranks first is not also a protected provision."""

    def test_non_nhs_partner_bound_only_as_to_facts(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, partner, document in every_sub_contract():
            text = clause_text(document, "dispute-resolution")
            nhs = partner_kind(loaded, partner) in NHS_KINDS and \
                loaded.answers.lead.kind in NHS_KINDS
            # round 11b: every partner has the right to take part and is bound only where it
            # took part; only a non-NHS partner is bound as to the facts alone
            assert "both parties are bound by the outcome" not in text, label
            assert "and to make representations in it" in text, label
            if not nhs:
                assert "only where it took part in it, and then only as to the facts found" \
                    in text, label
                # round 13: the outcome's liability cites the covenant cap (its one home) only
                cites = re.search(r"follows from the outcome arises only under clause ([\d.]+)\.",
                                  text)
                assert cites, label
                if "liability-insurance.covenant-cap" in document.targets:
                    cap = document.targets["liability-insurance.covenant-cap"].number
                    assert cites.group(1) == cap, label
            seen[nhs] += 1
        assert seen[True] and seen[False]

    def test_each_rank_stated_once(self) -> None:
        checked = 0
        for label, _loaded, _partner, document in every_sub_contract():
            if not any(c.id == "banking-covenants" for c in document.clauses):
                continue
            text = clause_text(document, "interpretation")
            protected = text[text.index("The protected provisions are:"):]
            # round 11: one ordered list; the protected list is its own sentence after it.
            protected = protected[:protected.index(". ") + 1]
            assert "banking covenants" not in protected, label
            assert "prevails over both" not in text, label
            checked += 1
        assert checked >= 1
