"""Round 14, competition and conflicts: awards under the Provider Selection Regime and the
shared-interest rule, the open book between competing trusts, the Annual Contract Value in the
competition clause, the licences on leaving, and the quorum for an item a conflicted member
leaves.

Each test drafts several answer sets (the scenarios, changed scenarios and generated
collaboratives) and asserts the rule a partner's reader checks in the text.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import sets_of
from tests.test_review_round12_board import planned


def number(document: Document, key: str) -> str:
    return document.targets[key].number


def agreement_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED)), ("joint", changed(JOINT)),
            ("dominant", changed(DOMINANT)), ("mou-then", changed(MOU_THEN)),
            ("shared-majority", changed(SHARED, governance={"quorum": "majority"})),
            ("shared-nhs", changed(SHARED, governance={"quorum": "one_per_nhs_member"})),
            ("joint-all", changed(JOINT, governance={"quorum": "all_voting_members"}))]
    sets += sets_of("collaboration_agreement", 12)
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")]


# ------------------------------------------------------------------ 1 awards under the PSR


class TestItem1ProviderSelectionAwards:
    @pytest.mark.parametrize("name,loaded", agreement_sets(), ids=lambda v: v if isinstance(v, str) else "")
    def test_awards_are_outside_the_shared_interest_rule(self, name: str,
                                                          loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        text = clause_text(document, "conflicts-of-interest")
        psr = number(document, "conflicts-of-interest.psr")
        assert ("That shared-interest rule never applies to an award of a contract under the "
                "PSR Regulations, or to the Board's advice on one.") in text
        assert f"as a candidate for an award under the PSR Regulations, as clause {psr} provides" in text
        assert "is the decision of the Member that awards it alone" in text
        assert "The Board never takes an award." in text
        if "commissioning-separation" not in {c.id for c in document.clauses}:
            assert "each Member that is, or may be, a provider under it (a candidate)" in text
            assert "the awarding Member decides without it" in text

    def test_the_shared_set_cites_the_inter_provider_award(self) -> None:
        document = built(changed(SHARED), "collaboration_agreement")
        text = clause_text(document, "conflicts-of-interest")
        award = number(document, "inter-provider-activity.provider-selection")
        assert f"(for a sub-contract between Members, the originating Member under clause {award})" in text

    def test_the_committee_terms_carry_the_same_rule(self) -> None:
        for path in (SHARED, DOMINANT):
            loaded = changed(path)
            if planned(loaded, "committee_terms"):
                text = clause_text(built(loaded, "committee_terms"), "conflicts-of-interest")
                assert "never applies to an award of a contract under the PSR Regulations" in text

    def test_the_sub_contract_records_the_boards_part(self) -> None:
        loaded = changed(DOMINANT)
        agreement = built(loaded, "collaboration_agreement")
        separation = number(agreement, "commissioning-separation")
        from drafting.build.pack import build_document, plan
        from tests.test_partner_review import library
        subs = [build_document(library(), loaded, p.kind, p.partner_id)
                for p in plan(loaded.answers) if p.kind == "sub_contract"]
        assert subs
        for sub in subs:
            text = clause_text(sub, "provider-selection")
            assert "The award was the Lead Provider's decision alone, not a decision of the Board" in text
            assert f"as clause {separation} (" in text
            assert "did not apply to the award" in text


# ------------------------------------------------------------------ 2 open book between competitors


def competing_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED)),
            ("shared-two", changed(SHARED, members=[m for m in changed_members(SHARED)
                                                     if m["id"] != "iow"]))]
    return [(n, la) for n, la in sets if planned(la, "collaboration_agreement")]


def changed_members(path) -> list[dict]:
    import yaml
    return yaml.safe_load(path.read_text(encoding="utf-8"))["members"]


class TestItem2OpenBookHub:
    @pytest.mark.parametrize("name,loaded", competing_sets(), ids=lambda v: v if isinstance(v, str) else "")
    def test_current_figures_go_only_to_a_named_hub(self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        assert "competition-information-barrier.open-book-outputs" in document.targets
        text = clause_text(document, "competition-information-barrier")
        finance = number(document, "finance.open-book")
        outputs = number(document, "competition-information-barrier.open-book-outputs")
        hub = number(document, "competition-information-barrier.open-book-hub")
        # the finance clause itself sends the figures to the hub: no clause has to prevail
        assert "prevail" not in text
        money = clause_text(document, "finance")
        assert f"only to the open-book hub under clause {hub}" in money, finance
        assert "gives the directors of finance of the other Members" not in money
        assert f"as the open-book hub gives them under clause {outputs}" in money
        assert "go only to the open-book hub: the individuals (staff of a Member or independent advisers) whom the Board appoints to receive them, named with their roles in a register" in text
        assert "(at the date of this Agreement, [●])" in text
        assert "preparing its bids or its commercial strategy" in text
        assert "so a total of only two Members' figures is never given to either of them" in text
        assert f"figures are presented only in the form clause {outputs} allows" in text
        assert "the item is on an agenda circulated in advance" in text
        assert "Who receives them, and in what form" not in text


# ------------------------------------------------------------------ 3 the Annual Contract Value


class TestItem3AnnualContractValue:
    def test_the_competition_clause_states_it_between_nhs_trusts(self) -> None:
        document = built(changed(SHARED), "collaboration_agreement")
        text = clause_text(document, "competition-information-barrier")
        schedule = document.targets["sched:financial-framework"].number
        assert ("Nor does it apply to each Member's Annual Contract Value, a single annual total of "
                "the value of its part of the Services") in text
        assert f"which this Agreement shows in {schedule} and which is re-based" in text
        definitions = clause_text(document, "definitions")
        assert "Annual Contract Value” means the annual value of the services that a Member provides or arranges within the Services" in definitions

    def test_it_is_an_exception_where_an_independent_provider_sits(self) -> None:
        document = built(changed(DOMINANT), "collaboration_agreement")
        text = clause_text(document, "competition-information-barrier")
        values = number(document, "finance.contract-values")
        assert f"each Member's Annual Contract Value, a single annual total of the value of its part of the Services (not a price, a cost or a service line's figures), which this Agreement shows in Schedule" in text
        assert f"re-based only as clause {values} provides" in text

    def test_it_is_not_named_where_no_figure_is_worked_out_from_it(self) -> None:
        loaded = changed(SHARED, finance={"running_cost_split": "equal"})
        text = clause_text(built(loaded, "collaboration_agreement"), "competition-information-barrier")
        assert "Annual Contract Value" not in text


# ------------------------------------------------------------------ 4 IP as answered


class TestItem4IntellectualProperty:
    @pytest.mark.parametrize("on_exit", ["stays_with_collaborative", "leaver_takes_own", "mutual_licences"])
    def test_the_leaver_may_use_background_ip_built_into_what_it_keeps(self, on_exit: str) -> None:
        document = built(changed(SHARED, ip={"on_exit": on_exit}), "collaboration_agreement")
        text = clause_text(document, "ip-on-exit")
        assert ("where the Leaving Member keeps a licence of Foreground IP under this clause, it may "
                "go on using, royalty-free, any of their Background IP built into that Foreground IP") in text

    @pytest.mark.parametrize("foreground,words", [
        ("joint", "Foreground IP is owned jointly, in equal undivided shares"),
        ("creator_owns_with_licence", "Foreground IP belongs to the Member whose staff or contractors create it"),
    ])
    def test_ownership_is_as_answered(self, foreground: str, words: str) -> None:
        document = built(changed(SHARED, ip={"foreground": foreground}), "collaboration_agreement")
        text = clause_text(document, "ip-ownership")
        assert words in text
        assert "licence, for the term of its membership, to use its Background IP" in text

    def test_mutual_licences_run_both_ways(self) -> None:
        text = clause_text(built(changed(SHARED), "collaboration_agreement"), "ip-on-exit")
        assert ("The Leaving Member grants to the remaining Members, and the remaining Members grant "
                "to the Leaving Member, non-exclusive, royalty-free, perpetual and irrevocable licences") in text


# ------------------------------------------------------------------ 5 the quorum for a conflicted item


QUORUM_WORDS = {
    "all_voting_members": "of every Voting Member entitled to take part in it must be present",
    "majority": "of more than half of the Voting Members entitled to take part in it must be present",
    "majority_including_lead": ("of more than half of the Voting Members entitled to take part in it, "
                                "including the Lead Provider's where it is entitled to take part, must be present"),
    "one_per_nhs_member": "of each NHS Member entitled to take part in it must be present",
}


class TestItem5ConflictedQuorum:
    @pytest.mark.parametrize("name,loaded", agreement_sets(), ids=lambda v: v if isinstance(v, str) else "")
    def test_the_quorum_is_stated(self, name: str, loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        text = clause_text(document, "conflicts-of-interest")
        board_quorum = number(document, "governance-board.quorum")
        assert (f"the quorum for that item is the quorum of clause {board_quorum} counted only among "
                "the Voting Members entitled to take part in it") in text
        assert QUORUM_WORDS[loaded.answers.governance.quorum] in text
        assert re.search(r"in every case (the committees|Representatives) of at least two of them", text)
        assert "counted neither as present nor as absent" in text
        assert "as if its Representative were present" not in text
