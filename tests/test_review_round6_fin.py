"""A healthcare partner's sixth review of the money, joining, the term and leaving, as rules
over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
bundled examples, the scenario answer sets, variations of them and generated answer sets (as
`drafting lint` draws them) and reads the text a lawyer would read. The names (A2, F4...) are
the review's.
"""

from __future__ import annotations

from functools import lru_cache

from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.test_partner_review import ALL, JOINT, MOU_THEN, SHARED, changed, clause_text, flat
from tests.test_review_round5_money import drafted, every_set, finance_variations


def _agreements(sets: list[LoadedAnswers]) -> list[tuple[LoadedAnswers, str, Document]]:
    return [(loaded, label, doc) for loaded in sets
            for label, doc in drafted(loaded, {"collaboration_agreement"})]


@lru_cache(maxsize=1)
def agreements() -> tuple[tuple[LoadedAnswers, str, Document], ...]:
    """The collaboration agreement of every example, scenario, finance variation and
    generated set."""
    return tuple(_agreements(every_set() + finance_variations()))


def number(doc: Document, key: str) -> str:
    return doc.targets[key].number


def definition(doc: Document, term: str) -> str:
    text = clause_text(doc, "definitions")
    start = text.find(f"“{term}” means")
    assert start >= 0, term
    end = text.find("“", start + len(term) + 3)
    return text[start:end if end > 0 else None]


# --------------------------------------------------------------------------- A2 one source


class TestA2EachCostCountedOnce:
    """Under a lead-held budget the Running Costs are met by the members' shares, so the
    Surplus or Deficit never deducts them again; the lead's purchases from providers that are
    not members are a cost of the budget and are counted."""

    def test_over_every_lead_held_budget(self) -> None:
        checked = 0
        for loaded, label, doc in agreements():
            answers = loaded.answers
            risk = clause_text(doc, "risk-gain-share")
            if not risk or answers.finance.model != "lead_holds_budget":
                continue
            checked += 1
            other = number(doc, "lead-provider-role.other-providers")
            for term in ("Surplus", "Deficit"):
                meaning = definition(doc, term)
                assert "Running Costs" not in meaning, (label, term)
                assert f"providers that are not Members under clause {other}" in meaning, \
                    (label, term)
            assert f"buys from providers that are not Members under clause {other}" in risk, label
            assert (f"The Running Costs are not counted in it: they are met by the Members' "
                    f"shares under clause {number(doc, 'finance.running-costs')}") in risk, label
        assert checked >= 10

    def test_a_shared_control_total_counts_the_running_costs_once(self) -> None:
        checked = 0
        for loaded, label, doc in agreements():
            risk = clause_text(doc, "risk-gain-share")
            if not risk or loaded.answers.finance.model != "shared_control_total":
                continue
            checked += 1
            assert "Each cost is counted once" in risk, label
        assert checked >= 5


# --------------------------------------------------------------------------- A3 covenant sum


class TestA3CovenantShortfall:
    """A covenant member pays a fixed running-cost sum: the agreement says who bears the
    difference when that sum is below its share (the other members, pro rata)."""

    def test_over_every_covenant_member_paying_running_costs(self) -> None:
        checked = 0
        for loaded, label, doc in agreements():
            answers = loaded.answers
            payers = [m for m in answers.members
                      if m.banking_covenants and m.member_class != "observer"] \
                if answers.finance.model != "no_pooling" else []
            text = clause_text(doc, "finance")
            # round 18: the others' contributions are set in the budget, in proportion to their
            # own shares recalculated without the covenant member
            said = ("the budget sets the contributions of the other Members, in proportion to "
                    "their own shares recalculated without it")
            assert (said in text) == bool(payers), label
            checked += bool(payers)
        assert checked >= 5


# --------------------------------------------------------------------------- F1 admission


class TestF1AdmissionReservedDecides:
    """Where admission is a Reserved Matter, the reserved rule decides it; the joining
    criteria are minimum conditions, never a right to be admitted by the Board."""

    def sets(self) -> list[LoadedAnswers]:
        found = [load_answers(p) for p in ALL]
        for path in (MOU_THEN, SHARED, JOINT):
            for joining in ("criteria", "majority", "unanimous"):
                found.append(changed(path, membership={"joining": joining}))
        return found

    def test_over_every_reserved_admission(self) -> None:
        checked = 0
        for loaded, label, doc in _agreements(self.sets()):
            answers = loaded.answers
            if "admit_member" not in answers.governance.reserved_matters:
                continue
            checked += 1
            text = clause_text(doc, "joining")
            reserved = number(doc, "voting.reserved-rule")
            assert "admits an applicant that meets them" not in text, label
            assert "The Board decides whether the applicant is admitted" not in text, label
            assert f"decided only as clause {reserved} provides" in text, label
            if answers.membership.joining == "criteria":
                assert "The criteria are minimum conditions only" in text, label
                assert "has no right to be admitted" in text, label
        assert checked >= 10


# --------------------------------------------------------------------------- F4 early exits


class TestF4EveryEarlyExitIsAnException:
    """The minimum term lists every early-exit route (shorter notice, force majeure,
    expulsion, ending by agreement); a rolling term has no "end of the Term"."""

    def test_over_every_minimum_term(self) -> None:
        checked = 0
        for loaded, label, doc in agreements():
            if loaded.answers.membership.minimum_term_years == 0:
                continue
            checked += 1
            text = clause_text(doc, "withdrawal")
            for key in ("withdrawal.shorter-notice", "expulsion", "commencement-term.ending",
                        "force-majeure.prolonged"):
                assert f"under clause {number(doc, key)}" in text, (label, key)
            fm = clause_text(doc, "force-majeure")
            assert (f"even before the minimum term in clause "
                    f"{number(doc, 'withdrawal.minimum-term')} ends") in fm, label
        assert checked >= 10

    def test_a_rolling_term_has_no_end_of_the_term(self) -> None:
        checked = 0
        for loaded, label, doc in agreements():
            if loaded.answers.collaborative.term.kind != "rolling":
                continue
            checked += 1
            text = clause_text(doc, "commencement-term")
            assert "before the end of the Term" not in text, label
            # round 12 (commencement-term v12): ended early by the agreement of all the Voting
            # Members where there are Associate Members or Observers, else of all the Members
            # round 18: "Except where this Agreement ends under its other terms, ..."
            assert ("this Agreement may be ended at any time only by the agreement of all the "
                    "Voting Members" in text or "the Members may end this Agreement at any time "
                    "only by the agreement of all of them" in text), label
        assert checked >= 3


# --------------------------------------------------------------------------- F5 heading


class TestF5ExpulsionHeading:
    """The expulsion clause is headed "and change of control" exactly when it holds
    change-of-control provisions."""

    def test_over_every_agreement(self) -> None:
        seen = set()
        for _, label, doc in agreements():
            clause = next(c for c in doc.clauses if c.id == "expulsion")
            has = "expulsion.change-of-control" in doc.targets
            assert ("change of control" in clause.title) == has, label
            assert ("Change of Control" in clause_text(doc, "expulsion")) == has, label
            seen.add(has)
        assert seen == {True, False}


# --------------------------------------------------------------------------- D2 section 75


class TestD2LocalAuthorityShareNeedsSection75:
    """A local authority inside the risk share takes its share only once the section 75
    agreement is in place; until then the shares are recalculated without it."""

    def test_over_every_local_authority_in_the_risk_share(self) -> None:
        checked = 0
        sets = every_set() + finance_variations() + [
            changed(JOINT, finance={"deficit": d, "loss_cap_percent": 2 if d == "capped" else None})
            for d in ("equal", "capped", "pro_rata")]
        for loaded, label, doc in _agreements(sets):
            answers = loaded.answers
            risk = clause_text(doc, "risk-gain-share")
            las = [m for m in answers.risk_sharers if m.kind == "local_authority"]
            inside = bool(risk) and bool(las) and answers.finance.model in (
                "shared_control_total", "lead_holds_budget")
            # round 9 (D1.4): the section 75 agreement is a condition precedent, so the share
            # is paid only through it and no case before it is in place is drafted
            # round 10b: the section 75 agreement is a condition of the council's share only,
            # which runs from the date, and to the extent, of that agreement
            said = "is paid or received only from the date, and to the extent, of the agreement " \
                   "under section 75 of the NHS Act"  # round 10b
            assert (said in risk) == inside, label
            if inside:
                checked += 1
                if "conditions-precedent.section-75" in doc.targets:  # round 10b
                    # round 12 (r12-money 1): the condition and its heads of terms are stated
                    # once, in the conditions precedent, which the risk share cites
                    assert ("referred to in clause "
                            f"{number(doc, 'conditions-precedent.section-75')}.") in risk, label
                    precedent = clause_text(doc, "conditions-precedent")
                    assert ("That agreement is a condition of that part and share only, not of "
                            "this Agreement") in precedent, label
                    assert "make it on at least these heads of terms" in precedent, label
                else:
                    assert f"referred to in clause {number(doc, 'finance.local-authority')}" in risk
                assert "before it is in place" not in risk, label
                if "Share of a" in flat(doc):
                    assert "only under, and to the extent of, the section 75 agreement" in \
                           flat(doc) and f"as clause {number(doc, 'risk-gain-share.local-authority')}" \
                           " provides" in flat(doc), label
        assert checked >= 3
