"""A healthcare partner's second reading of round 11's packs: the money clauses, as rules.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
collaboration agreements (and accession deeds) of the bundled examples, the scenario answer sets,
variations of them and generated collaboratives, and reads the text a lawyer would read. The ids
are the review's (report, document, finding).
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, JOINT, SHARED, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round9_money import agreements

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")


# --------------------------------------------------------------------------- 1 (A1.3, D1.3)


def apportioning_agreements() -> list[tuple[str, LoadedAnswers]]:
    extra = [
        ("joint", changed(JOINT)),
        ("dominant", changed(DOMINANT)),
        ("shared-control-total", changed(SHARED, finance={"model": "shared_control_total"})),
    ]
    return agreements(extra, 60)


class TestA13OnePartYearFormula:
    @pytest.mark.parametrize("name,loaded", apportioning_agreements(), **IDS)
    def test_one_formula_counts_leap_years_and_every_apportioning_clause_cites_it(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = flat(doc)
        finance = clause_text(doc, "finance")
        assert "divided by 365" not in text, name
        assert "divided by the number of days in that Contract Year" not in text, name
        # round 12: the rule no longer calls itself the only rule (C2.7)
        assert finance.count("This rule reduces every annual sum or total") == 1, name
        assert ("multiplied by the number of days in the period and divided by the number of days "
                "in the year from 1 April to 31 March in which the period falls (366 where that "
                "year includes 29 February)") in finance, name
        assert "It never reduces a figure agreed for the actual period" in finance, name
        if loaded.answers.finance.model == "shared_control_total":
            assert ("such as the Annual Budget and the Shared Control Total agreed for a short first "
                    "Contract Year") in finance, name
        number = doc.targets["finance.part-year"].number
        for clause, marker in (("joining", "For the Contract Year in which its admission takes effect"),
                               # round 22: measured on an exit-date reconciliation
                               ("exit-consequences", "but for the part of that year up to the "
                                                     "Exit Date only")):
            body = clause_text(doc, clause) if clause in {c.id for c in doc.clauses} else ""
            if marker in body:
                sentence = body[body.index(marker):][:700]
                assert f"under clause {number}" in sentence, (name, clause)


# --------------------------------------------------------------------------- 3 (A1.6, A3.4)


def reinvesting_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [
        ("dominant", changed(DOMINANT)),
        ("joint-reinvest", changed(JOINT, finance={"surplus": "reinvest", "surplus_reinvest_percent": None})),
    ]
    return [(n, la) for n, la in agreements(extra, 60)
            if la.answers.finance.surplus not in ("distribute_pro_rata", "split")]


class TestA16NoSurplusSharesWhereASurplusIsReinvested:
    @pytest.mark.parametrize("name,loaded", reinvesting_sets(), **IDS)
    def test_no_money_clause_or_deed_speaks_of_surplus_shares(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        ids = {c.id for c in doc.clauses}
        for clause in ("finance", "joining", "exit-consequences", "risk-gain-share"):
            if clause in ids:
                body = clause_text(doc, clause).lower()
                assert "shares of any surplus" not in body, (name, clause)
                assert "share of a surplus or deficit" not in body, (name, clause)
        if "accession_deed" in loaded.answers.documents:
            deed = flat(built(loaded, "accession_deed")).lower()
            assert "surplus or deficit" not in deed, name
            assert "has no share of any deficit arising before it" in deed, name


# --------------------------------------------------------------------------- 5 (A3.1, A3.3)


def weighted_deeds() -> list[tuple[str, LoadedAnswers]]:
    extra = [
        ("dominant", changed(DOMINANT)),
    ]
    return [(n, la) for n, la in agreements(extra, 80)
            if "accession_deed" in la.answers.documents and la.answers.governance.voting == "weighted"]


class TestA31TheDeedStatesPowerAsTheAgreementDoes:
    @pytest.mark.parametrize("name,loaded", weighted_deeds(), **IDS)
    def test_no_member_carries_alone_and_the_formula_prevails_over_the_table(
            self, name: str, loaded: LoadedAnswers) -> None:
        deed = flat(built(loaded, "accession_deed"))
        assert "can carry a decision alone" not in deed, name
        assert "always needs the support of at least two Voting Members, so no Voting Member carries a decision alone" in deed, name
        # round 13 (r13-deed AE1.5): the power statement is worked out from the figures; where no
        # existing Voting Member can hold more than half of the weight the deed says so instead
        majority = ("holds more than half of the weight, so it can block any decision alone when present "
                    "and not conflicted, and carries one only with the vote of one other Voting Member")
        none_blocks = ("no existing Voting Member holds half of the weight or more, so none of them can "
                       "block a decision alone")
        # round 13c (A3.3): the successor form adds its own bracketed statement for the members
        # that remain after the hand-over; the ordinary admission's statement is the one checked
        ordinary = re.sub(r"\[Where the New Member joins as the successor to the Lead Provider:.*?\]\.\]",
                          "", deed)
        assert (majority in ordinary) != (none_blocks in ordinary), name
        if loaded.answers.governance.weight_basis == "contract_value":
            # round 12: the weights are those the one cited sub-clause recalculates
            # round 13 (r13-deed AE1.2): the recalculating clause is cited; its weights prevail
            # round 13: said positively (the weights are the recalculated ones; the table records
            # them), so "prevails" stays the order of precedence's word alone
            assert re.search(r"The weights from the Accession Date are those recalculated under "
                             r"clause \d+(\.\d+)*; the table records them\.", deed), name
            assert "which replace those in" not in deed, name


# --------------------------------------------------------------------------- 4 (A1.2, A3.2)


def lead_provider_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in agreements([("dominant", changed(DOMINANT))], 80)
            if la.answers.governance.model == "lead_provider"]


class TestA12ASuccessorLeadProviderJoinsWithoutAVeto:
    @pytest.mark.parametrize("name,loaded", lead_provider_sets(), **IDS)
    def test_each_member_approves_the_successor_now_and_the_deed_has_its_form(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        if "successor-lead-provider" not in {c.id for c in doc.clauses}:
            return
        body = clause_text(doc, "successor-lead-provider")
        assert ("Each Member approves now the admission of the Successor Lead Provider that the "
                "Commissioner chooses") in body, name
        if "admit_member" in (loaded.answers.governance.reserved_matters or []):
            assert "that admission is not one of the Reserved Matters" in body, name
        if "accession_deed" in loaded.answers.documents:
            deed = flat(built(loaded, "accession_deed"))
            number = doc.targets["successor-lead-provider.choice"].number.split(".")[0]
            # round 24 (ad-accession v15): the successor's case is one bracketed sub-clause
            assert (f"as the Successor Lead Provider that the Commissioner chose under clause "
                    f"{number} (Change of Lead Provider) of the Agreement, this clause applies to "
                    "it") in deed, name
            assert "its admission was approved by that clause and needs no other approval" \
                in deed, name
            assert "takes over the role of the Lead Provider under the Agreement" in deed, name


# --------------------------------------------------------------------------- 2 (D1.1, F2.1, B1.1)


def risk_or_cost_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [
        ("joint", changed(JOINT)),
        ("shared-hub-only", changed(SHARED, finance={"open_book": "hub_only"})),
        ("dominant", changed(DOMINANT)),
    ]
    return agreements(extra, 80)


class TestD11FiguresHaveOneNamedRoute:
    @pytest.mark.parametrize("name,loaded", risk_or_cost_sets(), **IDS)
    def test_no_uncreated_certifier_and_a_named_route_for_the_figures(
            self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = flat(doc)
        assert "the independent person or team" not in text, name
        assert "The Members do not exchange detailed cost information" not in text, name
        a = loaded.answers
        hub = (a.governance.model == "lead_provider" and a.commissioning.lead_commissions
               and "commissioning_hub" in a.commissioning.separation)
        finance = clause_text(doc, "finance")
        if a.finance.open_book == "full" or (a.finance.open_book == "hub_only" and hub):
            return
        restrict = (a.context()["derived"]["has_is_member"]
                    or a.competition.information_barrier != "none")
        if restrict:
            assert ("It reports to each Member only that Member's own figures and the aggregate"
                    in finance), name
        elif a.finance.open_book == "hub_only":
            # round 12: hub only with no hub answered makes a finance team the hub behind an
            # information barrier, never open book between the members
            assert "which receives them as the hub for that information" in finance, name
            assert "to the Board only in aggregated form" in finance, name
        else:
            # round 12: "the Collaborative" replaces "the collaboration" (C2.11)
            assert "The NHS Members operate open-book accounting for the Collaborative's costs" in finance, name
            assert "aggregates the figures of every Member and reports them to the Board" in finance, name


# --------------------------------------------------------------------------- 6 (F2.5)


class TestF25AMembershipClassOnlyWhereAnswered:
    @pytest.mark.parametrize("name,loaded", agreements([("joint", changed(JOINT))], 80), **IDS)
    def test_no_member_without_a_vote_unless_the_answers_have_one(
            self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        classes = (any(m.member_class == "associate" for m in a.members)
                   or a.governance.vehicle in ("joint_committee", "committees_in_common"))
        doc = built(loaded, "collaboration_agreement")
        if "joining" not in {c.id for c in doc.clauses}:
            return
        joining = clause_text(doc, "joining")
        if not classes:
            assert "member without a vote" not in joining, name
            assert "the class of membership it seeks" not in joining, name
            assert "An applicant is admitted as a Voting Member." in joining, name
