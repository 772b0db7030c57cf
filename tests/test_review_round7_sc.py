"""A healthcare partner's seventh review of the lead provider's sub-contracts, as rules over many
answer sets.

Each finding came from one sub-contract of one pack but is a rule of the clause library, so each
test drafts every sub-contract of the bundled examples, the scenario answer sets, the two
lead-provider sets under each payment basis, and generated answer sets (as `drafting lint` draws
them). The names (B1.1 ...) are the review's: report B, document 1, finding 1.
"""

from __future__ import annotations

import re

from drafting.model import Document, Paragraph, plain
from tests.test_partner_review import clause_text, flat
from tests.test_review_round6_sc import every_sub_contract, note, number_of, schedule_text


def operative(document: Document, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Each clause's words by clause id (drafting notes apart), leaving out `skip`."""
    return {c.id: clause_text(document, c.id) for c in document.clauses if c.id not in skip}


def schedule_note(document: Document, schedule_id: str) -> str:
    return next((" ".join((s.note or "").split()) for s in document.schedules
                 if s.id == schedule_id), "")


def basis(answers, partner: str) -> str:
    return answers.answers.sub_contract_terms[partner].payment_basis


def test_the_sets_include_nhs_and_independent_partners_on_every_basis() -> None:
    drafted = every_sub_contract()
    kinds = {next(m.kind for m in a.answers.members if m.id == p) for _, a, p, _ in drafted}
    assert {"nhs_foundation_trust", "independent_sector"} <= kinds
    assert {basis(a, p) for _, a, p, _ in drafted} == {"block", "activity", "cost_and_volume"}


# --------------------------------------------------------------------------- B1.1 section 9


class TestB11NhsContractStatusOnce:
    """The NHS-contract status and the route to the Secretary of State are stated once, in the
    disputes clause, as section 9 of the NHS Act 2006 with no subsection; the status clause
    only points there."""

    def test_over_every_sub_contract(self) -> None:
        nhs = 0
        for label, _, _, doc in every_sub_contract():
            text = flat(doc)
            assert not re.search(r"section 9\((5|6|7|8|9|1\d)\)", text), label
            assert "for determination under section 9(" not in text, label
            others = operative(doc, skip=("dispute-resolution", "definitions"))
            for clause_id, words in others.items():
                assert "section 9 of" not in words, (label, clause_id)
                assert "Secretary of State for determination" not in words, (label, clause_id)
            status = clause_text(doc, "sc-status")
            assert f"clause {number_of(doc, 'dispute-resolution')}" in status, label
            if "Health Service Body" in status:
                nhs += 1
                assert "section 9 of the NHS Act" in clause_text(doc, "dispute-resolution"), label
        assert nhs >= 3


# --------------------------------------------------------------------------- B1.2 expulsion


class TestB12NoExpulsionGroundMadeHere:
    """No sub-contract clause makes its own breach a material breach for the purposes of the
    agreement's expulsion provisions: it only cross-refers to the agreement's expulsion clause."""

    def test_over_every_sub_contract(self) -> None:
        cited = 0
        for label, answers, _, doc in every_sub_contract():
            text = flat(doc)
            assert "for the purposes of the expulsion provisions" not in text, label
            managing = clause_text(doc, "sc-contract-management")
            if "expulsion" in managing:
                cited += 1
                assert "this Sub-Contract adds no ground of expulsion" in managing, label
                assert re.search(r"under clause \d+ \(Expulsion[^)]*\) of the Collaboration "
                                 r"Agreement", managing), label
        assert cited >= 5


# --------------------------------------------------------------------------- B2.1 suspension


class TestB21SuspensionKeepsUnavoidableCostsOnEveryBasis:
    """A suspension never cuts off the partner's unavoidable costs, whatever the payment basis;
    paid by activity or cost and volume, the schedule says how suspended days count."""

    UNAVOIDABLE = ("continues to pay the part of the annual price of the suspended services that "
                   "meets the costs the Sub-Contractor cannot reasonably avoid")

    def test_over_every_sub_contract(self) -> None:
        for label, answers, partner, doc in every_sub_contract():
            ending = clause_text(doc, "sc-term-termination")
            assert self.UNAVOIDABLE in ending, label
            assert "No payment is due for services not provided" not in flat(doc), label
            assert "on a block basis, does not cut off" not in note(doc, "sc-term-termination")
            schedule = schedule_text(doc, "sc-payment")
            if basis(answers, partner) == "block":
                assert "days of a suspension" not in ending, label
            else:
                number = number_of(doc, "sc-term-termination")
                assert "The days of a suspension count in the reconciliation as Schedule" in \
                    ending, label
                # round 10c: cost and volume counts an indicative volume in units
                measure = "volume" if basis(answers, partner) == "cost_and_volume" else "activity"
                # round 15: days a force majeure event prevents a service count as suspension days
                assert (f"the indicative {measure} of each such service is reduced in "
                        "proportion to the days of the suspension or of the Force Majeure Event") in schedule, label
                assert re.search(rf"under clause {number}\.\d+( or clause \d+)?, is not counted as activity and "
                                 r"is not refunded at the reconciliation", schedule), label


# --------------------------------------------------------------------------- B2.2 placement


class TestB22PlacementShortfallIsTheLeads:
    """Under a lead that places the patients, a shortfall caused by its own placement decisions
    is not refunded (cost and volume), and a drafting note raises a minimum payment (activity)."""

    # round 10c: cost and volume counts units against an indicative volume
    SHORTFALL = ("Units below the indicative volume are not refunded so far as the shortfall "
                 "results from the Lead Provider's own decisions, as commissioner, about where "
                 "patients are placed")

    def test_over_every_sub_contract(self) -> None:
        seen = set()
        for label, answers, partner, doc in every_sub_contract():
            places = answers.answers.commissioning.lead_commissions
            kind = basis(answers, partner)
            schedule = schedule_text(doc, "sc-payment")
            words = schedule_note(doc, "sc-payment")
            assert (self.SHORTFALL in schedule) == (places and kind == "cost_and_volume"), label
            assert ("Consider a minimum payment" in words) == (places and kind == "activity"), \
                label
            if places:
                seen.add(kind)
        assert {"activity", "cost_and_volume"} <= seen


# --------------------------------------------------------------------------- B1.6 not used


def schedule_paragraphs(document: Document, schedule_id: str) -> list[str]:
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    schedule = next(s for s in document.schedules if s.id == schedule_id)
    return [plain(b.inlines, document.targets, schedules) for b in schedule.blocks
            if isinstance(b, Paragraph)]


def parts_not_used(document: Document, schedule_id: str) -> set[str]:
    """The letters of the Parts whose text is "Not used"."""
    paragraphs = schedule_paragraphs(document, schedule_id)
    found = set()
    for heading, body in zip(paragraphs, paragraphs[1:]):
        match = re.match(r"Part ([A-Z]): ", heading)
        if match and body.startswith("Not used"):
            found.add(match.group(1))
    return found


class TestB16TheServicesNoteMatchesTheParts:
    """Schedule 2's drafting note lists as not used exactly the Parts it marks "Not used"."""

    def test_over_every_sub_contract(self) -> None:
        seen = set()
        for label, _, _, doc in every_sub_contract():
            unused = parts_not_used(doc, "sc-services")
            match = re.search(r"Parts ([A-Z, ]+ and [A-Z]) are not used",
                              schedule_note(doc, "sc-services"))
            assert match, label
            listed = set(re.split(r", | and ", match.group(1)))
            assert listed == unused, label
            seen.add("G" in unused)
        assert seen == {True, False}


# --------------------------------------------------------------------------- B1.4 terms


def own_parts(document: Document) -> dict[str, str]:
    """The words of the sub-contract's own clauses and schedules (sc-*, flow-down) by id."""
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    return {f"{c.id}": " ".join(plain(b.inlines, document.targets, schedules)
                                for b in c.blocks if isinstance(b, Paragraph))
            for c in (*document.clauses, *document.schedules)
            if c.id.startswith("sc-") or c.id == "flow-down"}


class TestB14DefinedTermsCapitalised:
    """The sub-contract's own clauses say "Collaboration Agreement" and "Collaborative", the
    defined terms, never the lower-case words."""

    LOWER = re.compile(r"\b(collaboration agreement|the collaborative|the collaboration|"
                       r"lead provider|voting member)\b")

    def test_over_every_sub_contract(self) -> None:
        for label, _, _, doc in every_sub_contract():
            for part, words in own_parts(doc).items():
                assert not self.LOWER.search(words), (label, part, self.LOWER.search(words))


class TestB16TheChecklistCountsEveryBlank:
    """The checklist counts every [●] of a clause (the cap multiple, the clinical negligence
    cover) against that clause's number."""

    def test_over_every_sub_contract(self) -> None:
        counted = 0
        for label, _, _, doc in every_sub_contract():
            checklist = " ".join((next(c.note for c in doc.clauses if c.id == "sc-particulars")
                                  or "").split())
            for clause in doc.clauses:
                if clause.id == "sc-particulars":
                    continue
                words = clause_text(doc, clause.id)
                blanks = words.count("[●]") + words.count("[£●]")
                listed = sum(int(n) for n in re.findall(
                    rf"clause {re.escape(clause.number)}(?:\.\d+)? \([^)]*\): (\d+) blanks?",
                    checklist))
                assert listed == blanks, (label, clause.id, blanks, listed)
                counted += blanks
        assert counted >= 10


class TestB22TheChoicesAreOnTheChecklist:
    """What the library chose for suspensions and placement shortfalls is a default the
    checklist shows, with the clause or schedule it is in."""

    def test_over_every_sub_contract(self) -> None:
        for label, answers, partner, doc in every_sub_contract():
            checklist = " ".join((next(c.note for c in doc.clauses if c.id == "sc-particulars")
                                  or "").split())
            ending = number_of(doc, "sc-term-termination")
            # round 13 (D5): numbers as figures
            assert (f"clause {ending}: the first review of a suspension within 7 days"
                    in checklist), label
            places = answers.answers.commissioning.lead_commissions
            shortfall = "no refund of a shortfall in activity that the lead provider's own " \
                        "placement decisions cause"
            assert (shortfall in checklist) == (places and basis(answers, partner)
                                                == "cost_and_volume"), label
