"""The round-7 cross-area requests for the board clauses, as rules over many answer sets.

Each test drafts the bundled examples, the scenario answer sets, answer sets changed to reach
the case in question and generated collaboratives, and reads the text of the clauses, the
schedules and the drafting notes, so a rule holds for every collaborative and not one document.
The clauses are voting, deadlock, the Board's terms and the reserved matters schedules, the lead
provider's role, provider selection, reporting, commissioning separation, the Board, expulsion,
conditions precedent and the committee terms' constitution.
"""

from __future__ import annotations

import re

import pytest
import yaml

from drafting.model import Document
from drafting.read.load import parse_answers
from drafting.read.load import LoadedAnswers
from drafting.review.lint.checks import check_lower_case_terms, check_notes
from tests.test_partner_review import DOMINANT, JOINT, MOU_THEN, SHARED, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round7_words import NAMES, texts

# the clauses and schedules this area owns: lint must find nothing in them
OWN = {"voting", "deadlock", "board-terms", "reserved-matters", "lead-provider-role",
       "lead-provider-veto", "provider-selection", "reporting", "commissioning-separation",
       "governance-board", "expulsion", "conditions-precedent", "tor-constitution",
       "tor-membership-meetings", "members", "staffing", "host-member"}
NHS_KINDS = {"nhs_trust", "nhs_foundation_trust", "icb", "nhs_england"}


def board_kinds(loaded: LoadedAnswers) -> list[str]:
    return ["collaboration_agreement"] + (
        ["committee_terms"] if "committee_terms" in loaded.answers.documents else [])


def note_of(document: Document, item_id: str) -> str:
    """The drafting note of a clause or schedule."""
    items = [*document.clauses, *document.schedules]
    return " ".join((next((c.note for c in items if c.id == item_id), None) or "").split())


def agreement_sets(extra: list[tuple[str, LoadedAnswers]] | None = None
                   ) -> list[tuple[str, LoadedAnswers]]:
    return sets_of("collaboration_agreement", 30) + (extra or [])


# --------------------------------------------------------------------------- lint in these clauses


class TestLintFindsNothingInTheseClauses:
    @pytest.mark.parametrize("name", NAMES, ids=ids_of)
    def test_no_lower_case_defined_term_and_no_note_naming_what_the_pack_lacks(
            self, name: str) -> None:
        docs, env = texts(name)
        wrong = [f.line() for doc in docs
                 for f in [*check_lower_case_terms(doc, env), *check_notes(doc, env)]
                 if f.source in OWN]
        assert not wrong, "\n".join(wrong)


# --------------------------------------------------------------------------- voting (r7-bodies)


def cic_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = agreement_sets([("shared-consensus", changed(SHARED, governance={"voting": "consensus"})),
                           ("shared-majority", changed(SHARED, governance={
                               "voting": "simple_majority"}))])
    return [(n, la) for n, la in sets if la.answers.governance.vehicle == "committees_in_common"]


class TestAnAbstainingCommitteeIsNotBoundUntilItAdopts:
    @pytest.mark.parametrize("name,loaded", cic_sets(), ids=ids_of)
    def test_abstention_and_minutes(self, name: str, loaded: LoadedAnswers) -> None:
        for kind in board_kinds(loaded):
            text = clause_text(built(loaded, kind), "voting")
            assert "accepts the joint position" not in text, (name, kind)
            assert "how each Voting Member voted" not in text, (name, kind)
            if loaded.answers.governance.voting == "consensus":
                assert "is not bound by the joint position until that committee or its Member " \
                       "Board adopts it" in text, (name, kind)
            if kind == "committee_terms":
                # round 14: the terms carry the Board clause's minutes sub-clause word for word
                board = clause_text(built(loaded, kind), "governance-board")
                assert "each committee's decision or recommendation for its own Member (and any " \
                       "committee that abstained or was absent)" in board, (name, kind)

    def test_the_consensus_case_is_covered(self) -> None:
        assert any(la.answers.governance.voting == "consensus" for _, la in cic_sets())


# --------------------------------------------------------------------------- weights (r7-money)


def contract_value_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in agreement_sets()
            if la.answers.governance.voting == "weighted"
            and la.answers.governance.weight_basis == "contract_value"
            and la.answers.governance.vehicle != "advisory_group"]


class TestWeightsFollowTheAnnualContractValues:
    @pytest.mark.parametrize("name,loaded", contract_value_sets(), ids=ids_of)
    def test_recalculated_from_the_defined_term(self, name: str, loaded: LoadedAnswers) -> None:
        doc = built(loaded, "collaboration_agreement")
        text = clause_text(doc, "voting")
        assert "from the annual contract values" not in text, name
        # round 10b (voting): where the lead commissions, the weights are fixed and move only
        # when the contract values are re-based or recalculated under the finance sub-clause
        a = loaded.answers
        cited = doc.targets["finance.contract-values"].number
        if a.governance.model == "lead_provider" and a.commissioning.lead_commissions:
            assert ("from the Annual Contract Values only when those values are re-based or "
                    f"recalculated under clause {cited}") in text, name  # round 10b
        else:
            assert f"from the Annual Contract Values then in force under clause {cited}" \
                in text, name  # round 10b

    def test_the_dominant_scenario_is_covered(self) -> None:
        assert DOMINANT.stem in {n for n, _ in contract_value_sets()}


# --------------------------------------------------------------------------- board terms (r7-bodies)


def council_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in agreement_sets()
            if la.answers.governance.vehicle == "joint_committee"
            and "committee_terms" in la.answers.documents]


class TestTheBoardTermsCiteSection75OfTheNhsAct:
    @pytest.mark.parametrize("name,loaded", council_sets(), ids=ids_of)
    def test_functions_rows_agree_with_the_terms_of_reference(
            self, name: str, loaded: LoadedAnswers) -> None:
        agreement = flat(built(loaded, "collaboration_agreement"))
        terms = flat(built(loaded, "committee_terms"))
        assert "section 75 of that Act" not in agreement, name
        for member in loaded.answers.voting_members:
            text = flat(built(loaded, "collaboration_agreement"))
            at = text.rfind(f" Functions exercised jointly: {member.name} ")
            row = text[at:at + 1500] if at >= 0 else ""  # a row longer than schedule_row's
            assert row, (name, member.name)
            words = row.split(f"Functions exercised jointly: {member.name} ", 1)[1]
            words = re.split(r" Functions exercised jointly: | Matters the Board decides | Chair ",
                             words)[0].strip()
            assert f"{member.name} {words}" in terms, (name, member.name, words)

    def test_a_council_is_covered(self) -> None:
        assert any(m.kind == "local_authority" for _, la in council_sets()
                   for m in la.answers.voting_members)


# --------------------------------------------------------------------------- reserved matters (r7-money)


def reconfiguration_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = agreement_sets([("dominant-no-reconfiguration", changed(DOMINANT, governance={
        "reserved_matters": ["admit_member", "expel_member", "amend_agreement"]}))])
    return [(n, la) for n, la in sets if la.answers.governance.vehicle != "advisory_group"]


class TestTheNarrowedReservedMatterIsExplained:
    @pytest.mark.parametrize("name,loaded", reconfiguration_sets(), ids=ids_of)
    def test_the_note_says_when_service_reconfiguration_is_narrowed(
            self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        narrowed = (a.lead is not None and a.commissioning.lead_commissions
                    and "service_reconfiguration" in a.governance.reserved_matters)
        note = note_of(built(loaded, "collaboration_agreement"), "reserved-matters")
        assert ("reserves only bringing a service within or taking it out of scope" in note) \
            == narrowed, (name, note)

    def test_both_cases_are_covered(self) -> None:
        a = dict(reconfiguration_sets())
        assert DOMINANT.stem in a and "dominant-no-reconfiguration" in a


# --------------------------------------------------------------------------- lead provider (r7-money, r7-sc)


def lead_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = agreement_sets([("dominant-fixed-fee", changed(DOMINANT, commissioning={
        "management_fee": {"kind": "fixed", "value": 120000}}))])
    return [(n, la) for n, la in sets if la.answers.lead is not None]


def sub_contract_sets() -> list[tuple[str, LoadedAnswers]]:
    """The lead-provider sets whose pack holds at least one sub-contract."""
    return [(n, la) for n, la in lead_sets()
            if "sub_contracts" in la.answers.documents and la.answers.partners]


class TestTheLeadProvidersFeeAndBarrier:
    @pytest.mark.parametrize("name,loaded", lead_sets(), ids=ids_of)
    def test_fee_leaves_running_costs_to_finance(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        text = clause_text(built(loaded, "collaboration_agreement"), "lead-provider-role")
        once = "other than the costs that are Running Costs, as clause"
        charged = a.commissioning.management_fee.kind != "none" and a.finance.model != "no_pooling"
        assert (once in text) == charged, (name, text[-900:])

    @pytest.mark.parametrize("name,loaded", sub_contract_sets(), ids=ids_of)
    def test_sub_contract_barrier(self, name: str, loaded: LoadedAnswers) -> None:
        for partner in loaded.answers.partners:
            from drafting.build.pack import build_document, plan
            from drafting.read.library import load_library
            part = next(p for p in plan(loaded.answers)
                        if p.kind == "sub_contract" and p.partner_id == partner.id)
            document = build_document(load_library(), loaded, part.kind, part.partner_id)
            text = clause_text(document, "lead-provider-role")
            assert "role as lead provider" not in text, (name, partner.id)
            if "keeps on systems" in text:
                assert "never to gain an advantage for its own services; and" in text, name
                hub = (loaded.answers.commissioning.lead_commissions
                       and "commissioning_hub" in loaded.answers.commissioning.separation)
                assert ("behind the information barrier" in text) == hub, (name, partner.id)

    def test_the_barrier_with_a_hub_is_covered(self) -> None:
        assert any(m.kind == "independent_sector" for _, la in sub_contract_sets()
                   for m in la.answers.partners
                   if "commissioning_hub" in la.answers.commissioning.separation)


# --------------------------------------------------------------------------- the Board (r7-vote, r7-money)


def board_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = agreement_sets([("dominant-rotating", changed(DOMINANT, governance={
        "chair": "rotating", "chair_rotation_months": 12}))])
    return [(n, la) for n, la in sets if la.answers.governance.vehicle != "advisory_group"]


class TestTheBoardsChairAbsenceAndSecretariat:
    @pytest.mark.parametrize("name,loaded", board_sets(), ids=ids_of)
    def test_allocation_item_deferred_and_host_member_secretariat(
            self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        independent = (a.lead is not None and a.commissioning.lead_commissions
                       and "independent_chair" in a.commissioning.separation)
        host = a.lead is None and a.governance.vehicle in (
            "partnership_board", "committees_in_common", "joint_committee")
        for kind in board_kinds(loaded):
            text = clause_text(built(loaded, kind), "governance-board")
            assert ("which is deferred as that clause provides" in text) == independent, (name, kind)
            assert "commercially sensitive information" not in text, (name, kind)
            if host:
                assert "the Member that hosts the collaboration" not in text, (name, kind)
                if kind == "collaboration_agreement":
                    assert "is provided by the Host Member under clause" in text, (name, kind)

    def test_both_cases_are_covered(self) -> None:
        sets = board_sets()
        assert any(la.answers.lead is None for _, la in sets)
        assert "dominant-rotating" in dict(sets)


# --------------------------------------------------------------------------- deadlock (r7-words)


def facilitation_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = agreement_sets([("mou-then-mixed", changed(MOU_THEN, members=[
        *yaml.safe_load(MOU_THEN.read_text(encoding="utf-8"))["members"],
        {"id": "vcse", "name": "Black Country Voluntary Care Ltd", "kind": "vcse",
         "class": "voting", "address": "1 High Street, Dudley DY1 1AA",
         "company_number": "01234567",
         "representative": {"name": "Sam Lee", "role": "Chief Executive"},
         "signatory": {"name": "Sam Lee", "role": "Chief Executive"}}]))])
    return [(n, la) for n, la in sets if "icb_facilitation" in la.answers.disputes.tiers
            and la.answers.disputes.facilitating_body]


class TestDeadlockNamesNhsBodiesOnlyWhenSomeAreNot:
    @pytest.mark.parametrize("name,loaded", facilitation_sets(), ids=ids_of)
    def test_facilitation(self, name: str, loaded: LoadedAnswers) -> None:
        members = [m for m in loaded.answers.members if m.member_class != "observer"]
        mixed = any(m.kind not in NHS_KINDS for m in members)
        text = clause_text(built(loaded, "collaboration_agreement"), "deadlock")
        assert "where the Members are NHS bodies" not in text, name
        if "with facilitation by" in text:
            assert ("where the Members concerned are NHS bodies" in text) == mixed, name

    def test_both_cases_are_covered(self) -> None:
        kinds = {any(m.kind not in NHS_KINDS for m in la.answers.members
                     if m.member_class != "observer") for _, la in facilitation_sets()}
        assert kinds == {True, False}
        text = clause_text(built(dict(facilitation_sets())["mou-then-mixed"],
                                 "collaboration_agreement"), "deadlock")
        assert "where the Members concerned are NHS bodies" in text


# --------------------------------------------------------------------------- reporting (r7-words)


def icb_sets() -> list[tuple[str, LoadedAnswers]]:
    data = yaml.safe_load(DOMINANT.read_text(encoding="utf-8"))
    for member in data["members"]:
        if member["kind"] == "icb":
            member["name"] = "NHS West Yorkshire ICB"
    own = parse_answers(yaml.safe_dump(data, sort_keys=False), file="dominant-icb-name.yaml")
    return [(n, la) for n, la in agreement_sets([("dominant-icb-name", own)])
            if la.answers.collaborative.ics]


class TestReportingNamesEachIcbAsTheRestOfTheText:
    @pytest.mark.parametrize("name,loaded", icb_sets(), ids=ids_of)
    def test_names_from_the_one_list(self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        text = clause_text(document, "reporting")
        full = flat(document)
        for icb in loaded.answers.icb_names:
            if f"{icb}" in text:
                continue
            # round 13 (reporting v10): an ICB that is the Commissioner is called "the
            # Commissioner" in the clause; the name still comes from the one list, through the
            # Commissioner definition, and the duty to keep it informed is still there.
            defined = re.search(r"Commissioner” means (.*?), so far as (it|each) commissions", full)
            assert defined and icb in defined.group(1), (name, icb)
            assert "keeps the Commissioner informed of its plans and progress" in text, (name, icb)

    def test_an_icb_member_with_its_own_name_is_covered(self) -> None:
        assert "NHS West Yorkshire ICB" in dict(icb_sets())["dominant-icb-name"].answers.icb_names


# --------------------------------------------------------------------------- staffing (r7-vote)


class TestTheManagingDirectorDefinitionCitesItsClauseOnlyInTheAgreement:
    @pytest.mark.parametrize("name,loaded", [(n, la) for n, la in agreement_sets()
                                             if la.answers.governance.managing_director != "none"],
                             ids=ids_of)
    def test_definition(self, name: str, loaded: LoadedAnswers) -> None:
        text = flat(built(loaded, "collaboration_agreement"))
        assert re.search(r"Managing Director” means the managing director of the Collaborative "
                         r"appointed under clause \d+", text), name
        from drafting.read.library import load_library
        meaning = load_library().get("staffing").defines["Managing Director"]
        assert "{% if document == 'collaboration_agreement' %}" in meaning
