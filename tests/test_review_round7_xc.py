"""The partner's round-six findings that cross areas, as rules over many answer sets: the
sub-contract's banking-covenant and risk-share clauses, the exit, competition, MOU costs and
equality clauses, and the words the lint checks ask to be capitalised in them.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
bundled examples, the scenario answer sets, variations of them and generated answer sets (as
`drafting lint` draws them). The names (B1.3 ...) are the review's: report, document, finding.
"""

from __future__ import annotations

import re
from functools import lru_cache

from drafting.build.pack import build_document, plan
from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.test_partner_review import ALL, DOMINANT, changed, clause_text, library
from tests.test_review_round5_mou import generated_of
from tests.test_review_round6_sc import every_sub_contract, schedule_text


def drafted(sets: list[LoadedAnswers], kind: str) -> list[tuple[str, LoadedAnswers, Document]]:
    """(label, answers, document) for every document of `kind` the answer sets ask for."""
    return [(f"{loaded.file}/{p.filename}", loaded, build_document(library(), loaded, p.kind,
                                                                    p.partner_id))
            for loaded in sets for p in plan(loaded.answers) if p.kind == kind]


def has(document: Document, clause_id: str) -> bool:
    return any(c.id == clause_id for c in document.clauses)


def number_of(document: Document, key: str) -> str:
    return document.targets[key].number


@lru_cache(maxsize=1)
def covenant_sub_contracts() -> tuple[tuple[str, LoadedAnswers, str, Document], ...]:
    """Every sub-contract of a partner with banking covenants: the shared sets, plus the
    dominant scenario with a distributed surplus and with an uncapped liability."""
    extra = [changed(DOMINANT, finance={"surplus": "distribute_pro_rata"}),
             changed(DOMINANT, finance={"liability": "several_with_cap", "liability_cap_multiple": 2})]
    found = [(label, loaded, p, doc) for label, loaded, p, doc in every_sub_contract()
             if has(doc, "banking-covenants")]
    for loaded in extra:
        found += [(label, loaded, p.partner_id or "", doc) for (label, _, doc), p in zip(
            drafted([loaded], "sub_contract"),
            [p for p in plan(loaded.answers) if p.kind == "sub_contract"])
            if has(doc, "banking-covenants")]
    return tuple(found)


# --------------------------------------------------------------------------- B1.3 covenant once


class TestB13CovenantRuleOnce:
    """The sub-contract's covenant clause keeps the Sub-Contractor bound and liable for its own
    breach, in the agreement's words, and removes only the risk-sharing exposures; the nil
    share is stated there once, and the agreement's risk-share clause is named only when the
    Sub-Contract incorporates it."""

    def test_over_every_covenant_sub_contract(self) -> None:
        checked = gain = 0
        for label, loaded, partner, doc in covenant_sub_contracts():
            checked += 1
            text = clause_text(doc, "banking-covenants")
            assert ("remains bound by every obligation of this Sub-Contract and liable for its "
                    "own breach of it (including its obligations on confidentiality, data "
                    "protection, competition and intellectual property)") in text, label
            assert "removes only a Loss Share, a guarantee, joint liability, an indemnity for others and security" in text, label
            assert "exposure under this Sub-Contract is limited to" not in text, label
            if loaded.answers.finance.liability != "several_with_cap":
                # round 13: banking-covenants v12 cites the liability clause's covenant cap
                assert f"as clause {number_of(doc, 'liability-insurance.covenant-cap')} provides" in text, label
            interpretation = clause_text(doc, "interpretation")
            if "so far as this Sub-Contract incorporates it" in text or "of the Collaboration Agreement, incorporated" in text:
                number = re.search(r"Clause (\d+) \(Risk share", text)
                assert number and f"clause {number.group(1)} (Risk share" in interpretation, label
                gain += 1
            if has(doc, "risk-gain-share"):
                share = clause_text(doc, "risk-gain-share")
                assert "no deduction is made" not in share, label
                assert "Nothing in the Collaboration Agreement about the settlement" not in share, label
                assert f"takes no share of any Deficit, as clause {number_of(doc, 'banking-covenants.loss-share')} provides" in share, label
                assert "Surplus" in share, label
        assert checked >= 3 and gain >= 1


# --------------------------------------------------------------------------- B1.3 surplus


class TestB13SubContractRiskShareCoversSurplusAndDeficit:
    """Clause "Risk share and gain share" of every sub-contract says what happens to a Surplus
    and to a Deficit, and names the Collaboration Agreement as the defined term."""

    def test_over_every_sub_contract(self) -> None:
        checked = 0
        for label, _, _, doc in (*every_sub_contract(), *covenant_sub_contracts()):
            if not has(doc, "risk-gain-share"):
                continue
            checked += 1
            text = clause_text(doc, "risk-gain-share")
            assert "Surplus" in text and "Deficit" in text, label
            assert "the collaboration agreement" not in text, label
        assert checked >= 8


# --------------------------------------------------------------------------- C1.2 exit plan


def agreement_sets() -> list[LoadedAnswers]:
    """The examples and scenarios that draft an agreement, generated agreements, and the
    examples turned into committees in common."""
    from tests.test_partner_review import NORTH_EAST, SOUTH
    sets = [load_answers(p) for p in ALL]
    sets += [loaded for _, loaded in generated_of("collaboration_agreement", 12)]
    sets += [changed(p, governance={"vehicle": "committees_in_common"}) for p in (NORTH_EAST, SOUTH)]
    return [s for s in sets if "collaboration_agreement" in s.answers.documents]


@lru_cache(maxsize=1)
def agreements() -> tuple[tuple[str, LoadedAnswers, Document], ...]:
    return tuple(drafted(agreement_sets(), "collaboration_agreement"))


class TestC12ExitPlanUnderCommitteesInCommon:
    """With committees in common nothing is done to one Member by the Board: the other Members'
    boards settle an Exit Plan that is not agreed, and the Members (not the Board) prepare the
    outline plan and agree the single plan at the end. A joint committee or an advisory board
    cannot bind a Member that refuses either, so the other Members' boards settle it there too;
    only a partnership board, whose decisions bind by contract, settles it, without the leaving
    Member's Representative. The leaving Member is bound by the plan so settled."""

    def test_over_every_agreement(self) -> None:
        cic = other = 0
        for label, loaded, doc in agreements():
            text = clause_text(doc, "exit-consequences")
            outline = schedule_text(doc, "exit-plan")
            assert "leaves the collaborative" not in text, label
            if loaded.answers.governance.vehicle == "committees_in_common":
                cic += 1
                assert "the Board settles the Exit Plan" not in text, label
                assert "the other Voting Members settle the Exit Plan, acting reasonably, each by " \
                    "a decision of its Member Board" in text, label
                assert "the Board agrees a single Exit Plan" not in text, label
                assert "the Board meets" not in text, label
                assert "The Board prepares" not in outline and "the Board confirms" not in outline, label
            elif loaded.answers.governance.vehicle == "partnership_board":
                other += 1
                assert "the Board settles the Exit Plan, acting reasonably, and the Leaving " \
                    "Member's Representative takes no part in that decision" in text, label
            else:
                # a joint committee or an advisory board cannot bind an unwilling member:
                # the other members' boards settle it, as under committees in common
                cic += 1
                assert "the Board settles the Exit Plan" not in text, label
                assert "the other Voting Members settle the Exit Plan, acting reasonably, each by " \
                    "a decision of its Member Board" in text, label
            if "settle the Exit Plan" in text or "settles the Exit Plan" in text:
                assert "The Leaving Member carries out the Exit Plan so settled as if it had " \
                    "agreed it" in text, label
        assert cic >= 2 and other >= 4


# --------------------------------------------------------------------------- B1.4 one barrier


class TestB14OneInformationBarrier:
    """One information barrier: a sub-contract sends the Sub-Contractor's competitively
    sensitive information to the Lead Provider's barrier in its own lead-provider clause (no
    Information Hub, no Board or working-group protocol there), and an agreement whose Lead
    Provider has a Commissioning Hub uses it, with no Information Hub beside it."""

    def test_over_every_sub_contract_with_the_clause(self) -> None:
        checked = 0
        for label, loaded, _, doc in every_sub_contract():
            if not has(doc, "competition-information-barrier"):
                continue
            checked += 1
            text = clause_text(doc, "competition-information-barrier")
            assert "Information Hub" not in text, label
            assert "in the form permitted" not in text, label
            assert "meeting of the Board" not in text and "any group working for" not in text, label
            assert "collaboration agreement" not in text and "clean team" not in text, label
            if loaded.answers.competition.information_barrier == "hub":
                barrier = number_of(doc, "sc-contract-management.information-barrier")
                assert f"only as clause {barrier} provides" in text, label
        assert checked >= 3

    def test_over_every_agreement_with_a_commissioning_hub(self) -> None:
        checked = 0
        for label, loaded, doc in agreements():
            a = loaded.answers
            if not has(doc, "competition-information-barrier") or a.competition.information_barrier != "hub":
                continue
            text = clause_text(doc, "competition-information-barrier")
            if a.commissioning.lead_commissions and "commissioning_hub" in a.commissioning.separation:
                checked += 1
                assert "Information Hub" not in text, label
                assert "disclosed only to the Commissioning Hub" in text, label
            else:
                assert "disclosed only to the Information Hub" in text, label
        assert checked >= 1


# --------------------------------------------------------------------------- E mou costs, equality


def mou_sets() -> list[LoadedAnswers]:
    """The MOU scenarios, each with contributions pro rata, and generated MOUs."""
    from tests.test_partner_review import MOU_ONLY, MOU_THEN
    sets = [load_answers(p) for p in (MOU_ONLY, MOU_THEN)]
    sets += [changed(p, finance={"running_cost_split": "pro_rata"}) for p in (MOU_ONLY, MOU_THEN)]
    sets += [loaded for _, loaded in generated_of("mou", 15)]
    return sets


@lru_cache(maxsize=1)
def mous() -> tuple[tuple[str, LoadedAnswers, Document], ...]:
    return tuple(drafted(mou_sets(), "mou"))


class TestE2MouCostsBasis:
    """An MOU sharing costs "in proportion to" contract values says what is measured."""

    def test_over_every_mou(self) -> None:
        pro_rata = 0
        for label, loaded, doc in mous():
            text = clause_text(doc, "mou-costs")
            if "in proportion to" in text:
                pro_rata += 1
                assert "in proportion to their annual contract values" not in text, label
                assert ("the annual value of each Member's contracts with its commissioners for "
                        "the services within the scope of this memorandum") in text, label
        assert pro_rata >= 2


class TestE3MouEqualityReportByTerm:
    """An MOU's equality report follows its term, not a fixed year: it goes with each review
    under the memorandum's one review clause, whose cycle is fitted to the term."""

    def test_over_every_mou(self) -> None:
        checked = 0
        for label, _, doc in mous():
            text = clause_text(doc, "equality-health-inequalities")
            review = doc.targets["mou-review.review"].number
            checked += 1
            assert "reports at least once a year" not in text, label
            assert "once a year if it runs longer" not in text, label
            assert f"of each review under clause {review} covers" in text, label
        assert checked >= 5


# --------------------------------------------------------------------------- lint warnings


MINE = {"banking-covenants", "risk-gain-share", "finance", "financial-framework",
        "exit-consequences", "exit-plan", "withdrawal", "ip-ownership", "ip-on-exit",
        "successor-lead-provider", "liability-insurance", "mou-costs", "mou-governance",
        "mou-review", "mou-workplan", "mou-steering-group", "competition-information-barrier",
        "joining", "execution", "equality-health-inequalities"}


def mine(source: str) -> bool:
    return source in MINE or source.startswith("sc-")


def from_elsewhere(finding) -> bool:
    """Words these clauses print that come from the glossary or the answers, not their text:
    the financial model's glossary wording and a quality measure typed in the answers."""
    return ("with a risk share and a gain share" in finding.quote
            or "Quarterly return to the lead provider" in finding.quote)


class TestLintWarningsInTheseClauses:
    """LOWER-CASE-TERM, NOTE-MODEL and CLAUSE-LIST find nothing in the text of these clauses
    over the examples and generated answer sets (as `drafting lint` draws them)."""

    def test_lint(self) -> None:
        from drafting.review.lint.run import lint
        report = lint(samples=60)
        left = [f.line() for f in report.warnings if mine(f.source) and not from_elsewhere(f)]
        assert left == []



# --------------------------------------------------------------------------- C1.6 defaults


class TestC16DefaultsOnTheChecklist:
    """The periods these clauses choose themselves are on the checklist: the days to give
    reasons for disputing an invoice (sub-contract) and for the Board to meet on a Withdrawal
    Notice (agreement)."""

    def test_sub_contracts_and_agreements(self) -> None:
        subs = agrs = 0
        for label, _, _, doc in every_sub_contract():
            # round 13 (D5): numbers as figures, in the clause and on the checklist alike
            if "within 14 days why it disputes" in clause_text(doc, "sc-payment"):
                subs += 1
                assert "14 days for the Lead Provider to give its reasons" in (doc.clauses[0].note or ""), label
        for label, _, doc in agreements():
            if "within 28 days to consider its consequences" in clause_text(doc, "withdrawal"):
                agrs += 1
                assert "within 28 days after a Withdrawal Notice" in (doc.clauses[0].note or ""), label
        assert subs >= 5 and agrs >= 5


# --------------------------------------------------------------------------- definitions


class TestDefinitionsPullNoUnusedTerms:
    """A sub-contract defines the Surplus, Deficit, Annual Budget and Shared Control Total
    without pulling in terms its operative text never uses (Running Costs, Shared Control
    Total, Annual Budget, Partner through those definitions)."""

    def test_over_every_sub_contract(self) -> None:
        checked = 0
        for label, loaded, _, doc in every_sub_contract():
            definitions = clause_text(doc, "definitions")
            if loaded.answers.finance.model == "shared_control_total" and "\u201cSurplus\u201d means" in definitions:
                checked += 1
            rest = " ".join(clause_text(doc, c.id) for c in doc.clauses if c.id != "definitions")
            rest += " " + " ".join(schedule_text(doc, s.id) for s in doc.schedules)
            for term in ("Running Costs", "Shared Control Total", "Annual Budget"):
                if f"\u201c{term}\u201d means" in definitions:
                    assert term in rest, (label, term)
        assert checked >= 1
