"""A healthcare partner's sixth review of the lead provider's sub-contracts, as rules over many
answer sets.

Each finding came from one sub-contract of one pack but is a rule of the clause library, so
each test drafts every sub-contract of the bundled examples, the scenario answer sets, the two
lead-provider sets under each payment basis, and generated answer sets (as `drafting lint`
draws them), and reads the text a lawyer would read. The names (B1...) are the review's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from drafting.build.pack import build_document, plan
from drafting.model import Document, Paragraph, plain
from drafting.read.load import LoadedAnswers, load_answers, parse_answers
from tests.test_partner_review import ALL, DOMINANT, NORTH_EAST, clause_text, flat, library
from tests.test_review_round5_money import generated

BASES = ("block", "activity", "cost_and_volume")


def with_basis(path: Path, basis: str) -> LoadedAnswers:
    """An answers file with every partner paid on one payment basis."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for terms in data["sub_contract_terms"].values():
        terms["payment_basis"] = basis
    return parse_answers(yaml.safe_dump(data, sort_keys=False), file=f"{path.stem}-{basis}.yaml")


@lru_cache(maxsize=1)
def every_sub_contract() -> tuple[tuple[str, LoadedAnswers, str, Document], ...]:
    """(label, answers, partner id, document) for each sub-contract of every answer set."""
    sets = [load_answers(p) for p in ALL] + list(generated())
    sets += [with_basis(p, b) for p in (DOMINANT, NORTH_EAST) for b in BASES]
    return tuple((f"{loaded.file}/{p.filename}", loaded, p.partner_id or "",
                  build_document(library(), loaded, p.kind, p.partner_id))
                 for loaded in sets for p in plan(loaded.answers) if p.kind == "sub_contract")


def schedule_text(document: Document, schedule_id: str) -> str:
    """The words of one schedule's paragraphs, references shown as numbers, on one line."""
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    for schedule in document.schedules:
        if schedule.id == schedule_id:
            return " ".join(plain(b.inlines, document.targets, schedules)
                            for b in schedule.blocks if isinstance(b, Paragraph))
    return ""


def note(document: Document, clause_id: str) -> str:
    return next((c.note or "" for c in (*document.clauses, *document.schedules)
                 if c.id == clause_id), "")


def number_of(document: Document, clause_id: str) -> str:
    return next(c.number for c in document.clauses if c.id == clause_id)


def test_the_answer_sets_cover_every_payment_basis_and_kind_of_partner() -> None:
    drafted = every_sub_contract()
    assert len(drafted) >= 15
    bases = {a.answers.sub_contract_terms[p].payment_basis for _, a, p, _ in drafted}
    assert bases == set(BASES)


# --------------------------------------------------------------------------- B1 suspension


class TestB1NoBoardExtendsASuspension:
    """The Board takes no Allocation Decisions, so it never extends a partner's suspension: only
    the partner's consent or the dispute procedure does, for a stated, limited period."""

    def test_over_every_sub_contract(self) -> None:
        for label, _, _, doc in every_sub_contract():
            text = clause_text(doc, "sc-term-termination")
            # round 13 (D5): numbers as figures, "3 months" not "three months"
            assert "lasts no longer than 3 months" in text, label
            assert "Board approves" not in text and "the Board approves" not in flat(doc), label
            dispute = number_of(doc, "dispute-resolution")
            assert (f"to which the Sub-Contractor agrees in writing or that is decided under "
                    f"clause {dispute}") in text, label
            assert "of no more than 3 months at a time" in text, label
            assert "The Lead Provider may not extend it on its own" in text, label
            assert "Board approves" not in note(doc, "sc-term-termination"), label

    def test_with_an_agreement_the_board_is_said_to_have_no_power(self) -> None:
        doc = next(d for _, a, p, d in every_sub_contract() if a.file.endswith("lead-provider-dominant.yaml")
                   and p == "bdct")
        assert "the Board has no power to extend it" in clause_text(doc, "sc-term-termination")


# --------------------------------------------------------------------------- B2 withholding


class TestB2OneWithholdingRule:
    """Money withheld is repaid when the plan is agreed or the step completed, or kept after three
    months: the clause, both schedule summaries and the drafting note say the same."""

    # round 13 (D5): numbers as figures
    RULE = ("repaid when the plan is agreed or the step completed, or kept by the Lead Provider "
            "if that has still not happened 3 months after withholding starts")

    def test_over_every_sub_contract(self) -> None:
        for label, _, _, doc in every_sub_contract():
            clause = clause_text(doc, "sc-contract-management")
            assert "3 months after withholding starts, the Lead Provider may keep the sums " \
                   "withheld" in clause, label
            # round 10c: Schedule 4 cites the withholding clause instead of restating its rule
            withholding = doc.targets["sc-contract-management.withholding"].number
            assert f"money is withheld only as clause {withholding} provides" in \
                schedule_text(doc, "sc-quality"), label
            assert self.RULE not in schedule_text(doc, "sc-quality"), label
            assert self.RULE in flat(doc), label
            assert "repaid when it is" not in flat(doc), label
            text = " ".join(note(doc, "sc-contract-management").split())
            assert "paid back when the failure is put right" not in text, label
            assert "3 months after withholding starts, the lead provider may keep it" in text, \
                label

    def test_the_payment_schedule_table_states_the_rule(self) -> None:
        drafted = every_sub_contract()
        assert all(f"and {self.RULE} (clause" in flat(d) for _, _, _, d in drafted)


# --------------------------------------------------------------------------- B3 barrier


BARRIER = "to no one responsible for the Lead Provider's own provision of services that compete " \
          "with the Sub-Contractor's"


class TestB3EveryPartnerHasTheLeadsInformationBarrier:
    """The lead as provider may compete with any partner, NHS or independent sector: every
    sub-contract puts the lead's own information barrier on it, once."""

    def test_over_every_sub_contract(self) -> None:
        kinds = set()
        for label, answers, partner, doc in every_sub_contract():
            assert flat(doc).count(BARRIER) == 1, label
            kinds.add(next(m.kind for m in answers.answers.members if m.id == partner))
        assert {"nhs_foundation_trust", "independent_sector"} <= kinds

    def test_the_nhs_partner_of_the_dominant_lead(self) -> None:
        doc = next(d for _, a, p, d in every_sub_contract() if a.file.endswith("lead-provider-dominant.yaml")
                   and p == "bdct")
        text = clause_text(doc, "sc-contract-management")
        assert BARRIER in text
        assert "or for its commissioning functions under the Head Contract" in text


# --------------------------------------------------------------------------- B cygnet 1 tolerance


class TestBCygnet1ThePartnerIsPaidForWhatTheLeadPlaced:
    """A partner that may not refuse a referral is paid for the patients the lead places: a
    placement by the lead counts as agreed activity, and other referrals beyond what is paid
    for may be declined. A block price needs neither."""

    PLACED = ("A patient whom the Lead Provider refers to or places with the Sub-Contractor "
              "counts as activity the Lead Provider agreed to beforehand")

    def test_over_every_sub_contract(self) -> None:
        seen = set()
        for label, answers, partner, doc in every_sub_contract():
            basis = answers.answers.sub_contract_terms[partner].payment_basis
            seen.add(basis)
            payment = schedule_text(doc, "sc-payment")
            services = clause_text(doc, "sc-services")
            paid_beforehand = re.search(r"paid for only where the Lead Provider agreed to it in "
                                        r"writing beforehand", payment)
            if basis == "block":
                assert not paid_beforehand, label
                assert self.PLACED not in payment and "did not make or arrange" not in services, \
                    label
            else:
                assert paid_beforehand, label
                assert self.PLACED in payment, label
                assert "for a referral that the Lead Provider did not make or arrange" in services, \
                    label
                assert "A patient the Lead Provider refers or places is paid for as activity it " \
                       "agreed to beforehand" in services, label
        assert seen == set(BASES)


# --------------------------------------------------------------------------- B7 long-stop


class TestB7TheLongStopFollowsTheAgreementsDecision:
    """With a collaboration agreement, the lead ends a sub-contract at the long-stop date of its
    conditions only to give effect to the members' long-stop decision under the agreement (to
    proceed without the partner, or the agreement's end), and extends it when they extend."""

    def test_over_every_sub_contract(self) -> None:
        with_agreement = 0
        for label, answers, _, doc in every_sub_contract():
            # round 19: the limit moves to the conditions precedent clause, which takes effect
            # on signing, so that it binds when the right at the long-stop date can be used.
            assert "only to give effect to what happens" not in clause_text(
                doc, "sc-term-termination"), label
            text = clause_text(doc, "conditions-precedent") if "conditions-precedent" in \
                doc.targets else ""
            said = "only to give effect to what happens under clause"
            if "collaboration_agreement" in answers.answers.documents:
                with_agreement += 1
                long_stop = number_of(doc, "conditions-precedent")
                assert f"The Lead Provider may end this Sub-Contract under clause {long_stop}" in \
                    text, label
                assert said in text, label
                assert "a decision of the Members under it to proceed without the " \
                       "Sub-Contractor, or the end of that agreement" in text, label
                assert "the Lead Provider agrees to extend the Long-Stop Date of this " \
                       "Sub-Contract to the same date" in text, label
            else:
                assert said not in text, label
        assert with_agreement >= 10

    def test_the_agreement_clause_cited_is_its_conditions_precedent(self) -> None:
        doc = next(d for _, a, p, d in every_sub_contract()
                   if a.file.endswith("lead-provider-dominant.yaml") and p == "bdct")
        assert "under clause 4 (Conditions precedent) of the Collaboration Agreement" in \
            clause_text(doc, "conditions-precedent")
