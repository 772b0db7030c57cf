"""A healthcare partner's eleventh review of the lead provider's sub-contracts, as rules over
many answer sets.

Each rule is checked on every sub-contract of the bundled examples, the scenario answer sets,
the lead-provider sets under each payment basis and generated answer sets. The names (B1.1 ...)
are the review's: report B, document 1, finding 1.
"""

from __future__ import annotations

import re

from drafting.build.pack import build_document
from tests.test_partner_review import clause_text, flat, library
from tests.test_review_round6_sc import every_sub_contract


# --------------------------------------------------------------------------- B1.4 precedence


class TestB14PrecedenceIsOneList:
    """The sub-contract's order of precedence is one ordered list; no second sub-clause ranks
    the incorporated agreement provisions with a different carve-out, and a provision that
    ranks first (the covenant clause) is not also a protected provision."""

    def test_every_sub_contract(self) -> None:
        for label, _, _, doc in every_sub_contract():
            text = clause_text(doc, "interpretation")
            assert "rank as clause" not in text, label
            assert "this Sub-Contract prevails" not in text, label
            assert "interpretation.agreement-rank" not in doc.targets, label
            order = text[text.index("take precedence in this order"):]
            protected = doc.targets["interpretation.protected"].number
            first = order.index(f"the protected provisions listed in sub-clause {protected};")
            assert first < order.index("the Flow-Down Provisions;"), label
            if "interpretation.collaboration-agreement" in doc.targets:
                assert order.index("the Flow-Down Provisions;") < order.index(
                    "the provisions of the Collaboration Agreement incorporated"), label
            if "banking-covenants" in doc.targets:
                number = doc.targets["banking-covenants"].number
                listed = order[order.index("The protected provisions are:"):]
                assert f"clause {number} (" not in listed, label
                assert order.index(f"clause {number} (") < first, label


# --------------------------------------------------------------------------- B1.3 ending


OWN = ("interpretation", "definitions", "banking-covenants", "sc-particulars", "sc-services",
       "sc-payment", "sc-contract-management", "sc-status")


class TestB13OnlyTheTerminationClauseSaysHowItEnds:
    """No clause but the termination clause says how the sub-contract ends: "through which
    alone this Sub-Contract may end early" appears in none of the general clauses."""

    def test_every_sub_contract(self) -> None:
        cases = every_sub_contract()
        assert len(cases) >= 10
        for label, _, _, doc in cases:
            for clause_id in OWN:
                assert "through which alone" not in clause_text(doc, clause_id), (label, clause_id)


# --------------------------------------------------------------------------- B1.1 payment timing


class TestB11PaymentTimingIsStatedOnce:
    """Clause 13 says when the Lead Provider pays: monthly instalments without an invoice, and
    only other sums on invoice within the payment period. The Particulars, Schedule 3 Part E
    and the finance report cite it; none of them makes an instalment wait for an invoice."""

    def test_every_sub_contract(self) -> None:
        cases = every_sub_contract()
        assert {loaded.answers.sub_contract_terms[partner].payment_basis
                for _, loaded, partner, _ in cases} >= {"block", "activity", "cost_and_volume"}
        for label, _, _, doc in cases:
            instalments = doc.targets["sc-payment.instalments"].number
            invoices = doc.targets["sc-payment.invoices"].number
            particulars = " ".join(clause_text(doc, "sc-particulars").split())
            assert "pays each valid and undisputed invoice within" not in particulars, label
            assert (f"pays the monthly instalments as sub-clause {instalments} provides and any "
                    f"other sum on invoice as sub-clause {invoices} provides") in particulars, label
            payment = flat(doc)
            assert "Payment | Within" not in payment, label
            assert "for the monthly instalment of the block price" not in payment, label
            assert f"Paid without an invoice, as clause {instalments} provides" in payment, label
            reporting = payment
            assert "Each invoice, for the monthly instalment" not in reporting, label
            assert "Monthly, with the invoice" not in reporting, label
            assert "Any invoice for a sum other than a monthly instalment" in reporting, label


# --------------------------------------------------------------------------- B2.1 covenant cap


class TestB21TheCovenantCapLimitsOnlyUninsuredLiability:
    """A covenant member's cap limits only what insurance or an indemnity scheme does not
    meet: clinical negligence and other insured liabilities fall outside it, in the agreement
    and in the covenant member's sub-contract."""

    def test_every_covenant_sub_contract(self) -> None:
        cases = [(label, loaded, doc) for label, loaded, _, doc in every_sub_contract()
                 if "banking-covenants" in doc.targets
                 and loaded.answers.finance.liability != "several_with_cap"]
        assert len(cases) >= 2
        for label, _, doc in cases:
            # round 12: the liability clause states the rule once; the covenant clause cites it
            text = " ".join(clause_text(doc, "liability-insurance").split())
            assert ("counts towards the limit only so far as insurance or an indemnity scheme "
                    "does not meet it") in text, label
            assert "(including its clinical negligence cover), whether under the indemnity" \
                in text and "is outside the limit" in text, label
            # round 13: the covenant clause cites the cap ("as clause ... provides")
            assert re.search(r"as clause \d+\.\d+ provides", clause_text(doc, "banking-covenants")), \
                label

    def test_every_agreement_with_a_covenant_member(self) -> None:
        found = 0
        for label, loaded, _, _ in every_sub_contract():
            if loaded.answers.finance.liability == "several_with_cap" or not any(
                    m.banking_covenants for m in loaded.answers.members):
                continue
            agreement = build_document(library(), loaded, "collaboration_agreement", None)
            text = " ".join(clause_text(agreement, "banking-covenants").split())
            found += 1
            # round 12: the cap is set out in lettered paragraphs
            assert ("counts towards the covenant cap only so far as insurance or an indemnity "
                    "scheme does not meet it") in text, label
            assert "is outside the covenant cap." in text, label
        assert found >= 2


# --------------------------------------------------------------------------- B2.5 head contract


class TestB25AHeadContractOutcomeBindsOnlyAPartnerThatTookPart:
    """The outcome of the head contract's dispute procedure binds a covenant sub-contractor
    only where it took part, and then only as to the facts found."""

    def test_every_covenant_sub_contract(self) -> None:
        # round 13: the covenant cap states the own-breach rule for a head-contract outcome
        cases = [(label, doc) for label, _, _, doc in every_sub_contract()
                 if "liability-insurance.covenant-cap" in doc.targets]
        assert len(cases) >= 2
        for label, doc in cases:
            text = " ".join(clause_text(doc, "liability-insurance").split())
            assert "(including one that follows from the outcome of the dispute resolution " \
                "procedure of the Head Contract), only to the extent that the sum results from " \
                "the Sub-Contractor's own breach" in text, label
            disputes = " ".join(clause_text(doc, "dispute-resolution").split())
            assert "binds the Sub-Contractor only where it took part in it" in disputes, label
            assert "only as to the facts found" in disputes, label


# --------------------------------------------------------------------------- A1.7 / F2.7 terms


def every_document() -> list[tuple[str, object]]:
    from tests.review_sets import ALL
    from tests.test_partner_review import pack
    return [(f"{path.stem}/{name}", doc) for path in ALL for name, doc in pack(path).items()]


class TestA17DefinitionsCarryNoRules:
    """A definition defines: "Observer" carries no rule on voting, costs, approvals or
    attendance, and "Member Board" covers the governing body of any Member, whatever kind of
    body joins later."""

    def test_every_document(self) -> None:
        observers = boards = 0
        for label, doc in every_document():
            text = " ".join(clause_text(doc, "definitions").split())
            if "“Observer” means" in text:
                observers += 1
                observer = text[text.index("“Observer” means"):]
                observer = observer[:observer.index("“", 2)] if "“" in observer[2:] else observer
                assert "approves nothing" not in observer, label
                assert "has no vote" not in observer, label
                assert "may attend and speak" not in observer, label
            if "“Member Board” means" in text:
                boards += 1
                # round 11 (definitions v12): the kinds of body named follow the Members (a
                # local authority's executive, a company or a voluntary-sector body only where
                # one is a Member); the catch-all for any other Member still closes it
                board = text[text.index("“Member Board” means"):]
                board = board[:board.index("“", 2)] if "“" in board[2:] else board
                # round 12 (definitions v13): only the kinds of NHS body that are Members
                assert board.startswith("“Member Board” means the board of directors of a Member "
                                        "that is an NHS "), label
                assert board.rstrip(" .;").endswith(
                    "and the equivalent governing body of any other Member"), (label, board)
        assert observers >= 2 and boards >= 2



# --------------------------------------------------------------------------- B1.6 unsupported fact


class TestB16NoUnsupportedFactAboutTheLeadsOwnServices:
    """The information barrier never states as a fact that the Lead Provider provides
    services that compete with the Sub-Contractor's; the answers do not say so."""

    def test_every_sub_contract(self) -> None:
        found = 0
        for label, _, _, doc in every_sub_contract():
            text = " ".join(clause_text(doc, "sc-contract-management").split())
            assert "also provides services of its own, through its Provider Arm, that compete" \
                not in text, label
            if "commissions the Services under the Head Contract" in text:
                found += 1
                assert "may also provide services of its own through its Provider Arm" in text, \
                    label
        assert found >= 2


# --------------------------------------------------------------------------- B2.8 change of control


class TestB28ChangeOfControlDutyInTheSubContract:
    """Where the answers choose consent for a change of control, the sub-contract of a
    partner that is a company itself imposes the duty to notify and to seek consent."""

    def test_every_sub_contract(self) -> None:
        found = 0
        for label, loaded, partner, doc in every_sub_contract():
            member = next(m for m in loaded.answers.members if m.id == partner)
            text = " ".join(clause_text(doc, "sc-term-termination").split())
            expected = (
                loaded.answers.membership.change_of_control == "consent"
                and member.kind in ("independent_sector", "vcse")
                and "sc-term-termination.withdrawal" in doc.targets)
            assert ("sc-term-termination.change-of-control" in doc.targets) == expected, label
            if expected:
                found += 1
                assert "tells the Lead Provider in writing of any proposed change in the " \
                       "person or persons who control it" in text, label
                assert "It seeks the consent that clause" in text, label
        assert found >= 2


# --------------------------------------------------------------------------- B2.2 cost and volume


class TestB22TheCostAndVolumeTableIsFilledFromTheAnswers:
    """Under cost and volume, where a service's activity answer states a yearly count and it
    has an annual price, the table proposes the currency, volume, unit price and 5% tolerance
    in square brackets (derived, for confirmation) and the note says so."""

    def test_every_cost_and_volume_sub_contract(self) -> None:
        from drafting.read.conditions import money
        found = 0
        for label, loaded, partner, doc in every_sub_contract():
            terms = loaded.answers.sub_contract_terms[partner]
            if terms.payment_basis != "cost_and_volume":
                continue
            text = flat(doc)
            for service in terms.services:
                volume = _yearly(service.activity)
                if volume is None or not service.annual_price:
                    continue
                found += 1
                row = (f"[{volume:,}] units | [{money(round(service.annual_price / volume, 2))}]"
                       f" | [{round(volume * 0.05):,}] units")
                assert row in text, (label, service.name)
            notes = " ".join(c.note or "" for c in doc.schedules if c.id == "sc-payment")
            if any(_yearly(s.activity) and s.annual_price for s in terms.services):
                assert "The table in Part A proposes, in square brackets" in notes, label
        assert found >= 3


def _yearly(activity: str) -> int | None:
    import re
    found = re.findall(r"(\d[\d,]*) [a-z ]+? a year", activity)
    return int(found[-1].replace(",", "")) if found else None
