"""Consistency between the clause areas of the library, as rules over many answer sets.

Each item is a place where one clause said something another clause contradicted or left
out: the binding list of a non-binding memorandum, competition law's aggregation rule, the
quorum and a conflicted member, the sub-contract's incorporation list and general provisions,
and the words for a Member without a vote. Each test drafts the bundled examples, the scenario
answer sets and, where the rule is general, generated collaboratives, and reads the text.
"""

from __future__ import annotations

import re

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.test_partner_review import ALL, clause_text, flat
from tests.test_review_round5_mou import MOUS, built, drafted, generated, generated_of


def sets_of(kind: str, limit: int = 25) -> list[tuple[str, LoadedAnswers]]:
    """The examples and scenarios that draft `kind`, then generated collaboratives that do."""
    own = [(p.stem, load_answers(p)) for p in ALL]
    return [(n, la) for n, la in own if kind in la.answers.documents] + generated_of(kind, limit)


def sub_clause(text: str, start: str) -> str:
    """The sentence(s) of a clause's text from `start` to the next full stop."""
    at = text.index(start)
    return text[at:text.index(". ", at) + 1] if ". " in text[at:] else text[at:]


# --------------------------------------------------------------------------- X1, X2 MOU status


def non_binding_mous() -> list[tuple[str, Document]]:
    found = [(p.stem, drafted(p, "mou")) for p in MOUS]
    found += [(n, built(la, "mou")) for n, la in generated_of("mou", 30)]
    return [(n, d) for n, d in found if "This memorandum records the intentions"
            in clause_text(d, "status")]


class TestX1X2TheBindingListIsBuiltFromTheMemorandum:
    @pytest.mark.parametrize("name,doc", non_binding_mous(), ids=lambda v: v if isinstance(v, str) else "")
    def test_every_binding_provision_is_listed_in_document_order(self, name: str, doc: Document) -> None:
        text = clause_text(doc, "status")
        listed = text[text.index("The following provisions are legally binding"):]
        # round 9 (C1.1): the governing-law sub-clause names only the law
        listed = listed[:listed.index("(governing law).")]
        numbers = {c.id: str(n) for n, c in enumerate(doc.clauses, start=1)}
        # round 7 (E1.5): the term clause is listed too (its end dates); round 9 (C1.1): the
        # dispute clause's routing sub-clause, which alone says where such a dispute goes
        # round 20: the host sub-clause of the governance clause binds as far as the costs
        # clause relies on it
        expected = ["definitions", "commencement-term", "mou-governance", "mou-costs",
                    "competition-information-barrier", "confidentiality-foi", "mou-review",
                    "dispute-resolution", "ethical-standards", "status"]
        # round 11: the anti-bribery sub-clause binds too, listed in the order of the clauses
        wanted = [numbers[c] for c in expected if c in numbers
                  and (c != "mou-governance" or "mou-costs" in numbers)]
        found = re.findall(r"clause (\d+)", listed)
        # each clause appears in order; the status clause's own three sub-clauses end it
        assert [n for i, n in enumerate(found) if n not in found[:i]] == wanted, name
        assert f"clause {numbers['mou-review']}." in listed, name  # its withdrawal sub-clause
        for words in ("(each party's own costs)", "(no partnership or agency)"):
            assert words in listed, name
        routing = f"clause {numbers['dispute-resolution']}."
        assert f"{routing}" in listed and "(where a dispute about these provisions is resolved)" in listed, name
        assert "(disputes about these provisions)" not in listed, name
        # round 7 (E1.6): named by its heading
        assert ("(costs)" in listed) == ("mou-costs" in numbers), name

    @pytest.mark.parametrize("name,doc", non_binding_mous(), ids=lambda v: v if isinstance(v, str) else "")
    def test_own_costs_yield_to_the_costs_clause(self, name: str, doc: Document) -> None:
        text = clause_text(doc, "status")
        numbers = {c.id: n for n, c in enumerate(doc.clauses, start=1)}
        own = sub_clause(text, "Each party bears its own costs")
        if "mou-costs" in numbers:
            assert own.endswith(f"except as clause {numbers['mou-costs']} provides."), (name, own)
        else:
            assert "except" not in own, (name, own)


# --------------------------------------------------------------------------- X3 aggregation


def competition_documents() -> list[tuple[str, Document]]:
    from drafting.build.pack import plan
    from tests.test_review_round5_mou import library
    from drafting.build.pack import build_document
    found = []
    sets = [(p.stem, load_answers(p)) for p in ALL] + [(la.file, la) for la in generated()[:40]]
    for name, loaded in sets:
        for part in plan(loaded.answers):
            if part.kind not in ("collaboration_agreement", "mou", "sub_contract"):
                continue
            doc = build_document(library(), loaded, part.kind, part.partner_id)
            if any(c.id == "competition-information-barrier" for c in doc.clauses):
                found.append((f"{name}-{part.kind}-{part.partner_id or ''}", doc))
    return found


class TestX3AggregationWorksForAnyNumberOfMembers:
    @pytest.mark.parametrize("name,doc", competition_documents(), ids=lambda v: v if isinstance(v, str) else "")
    def test_no_party_s_own_figures_can_be_identified(self, name: str, doc: Document) -> None:
        text = clause_text(doc, "competition-information-barrier")
        assert "at least three providers" not in flat(doc), name
        # a two-party sub-contract says "neither party's", every other document "no party's"
        whose = "neither party's" if doc.kind == "sub_contract" else "no party's"
        if "may disclose its own Competitively Sensitive Information" in text:
            assert (f"aggregated so that {whose} own figures can be identified or deduced from it"
                    in text), name
        definitions = clause_text(doc, "definitions")
        if "Competitively Sensitive Information" in definitions:
            # round 7 (E2.3): the exception is in the operative clause only, not the definition
            assert "other than information that is aggregated" not in definitions, name


# --------------------------------------------------------------------------- sub-contracts


def sub_contract_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in sets_of("sub_contracts", 40)
            if "collaboration_agreement" in la.answers.documents]


def sub_contracts() -> list[tuple[str, LoadedAnswers, Document, Document]]:
    """(name, answers, the agreement, one partner's sub-contract) for every partner."""
    from drafting.build.pack import build_document, plan
    from tests.test_review_round5_mou import library
    found = []
    for name, loaded in sub_contract_sets():
        parts = plan(loaded.answers)
        agreement = built(loaded, "collaboration_agreement")
        for part in parts:
            if part.kind == "sub_contract":
                doc = build_document(library(), loaded, part.kind, part.partner_id)
                found.append((f"{name}-{part.partner_id}", loaded, agreement, doc))
    return found


SUB_CONTRACTS = sub_contracts()
SC_IDS = [s[0] for s in SUB_CONTRACTS]


class TestX5TheIncorporatedRiskShareFitsTheCovenantPartner:
    @pytest.mark.parametrize("name,loaded,agreement,doc", SUB_CONTRACTS, ids=SC_IDS)
    def test_a_covenant_partner_settles_no_deficit_through_the_incorporation(
            self, name: str, loaded: LoadedAnswers, agreement: Document, doc: Document) -> None:
        text = clause_text(doc, "interpretation")
        partner_id = name.rsplit("-", 1)[1]
        answers = loaded.answers
        partner = next(m for m in answers.members if m.id == partner_id)
        has_risk = any(c.id == "risk-gain-share" for c in agreement.clauses)
        settles = "share of any Surplus or Deficit is calculated and settled" in text
        gain_line = "Gain Share of any distributed Surplus is calculated" in text
        if getattr(partner, "banking_covenants", False):
            assert not settles, name
            gains = clause_text(doc, "risk-gain-share") if any(
                c.id == "risk-gain-share" for c in doc.clauses) else ""
            assert gain_line == (has_risk and "This is its Gain Share" in gains), name
        else:
            assert settles == has_risk, name
            assert not gain_line, name


HSB = {"nhs_trust", "nhs_foundation_trust", "icb", "nhs_england"}
STATUTORY = "including the statutory route for disputes under NHS contracts"


ROUTING_STARTS = ("If a Dispute is not resolved by the steps above",
                  "The Lead Provider and the Sub-Contractor are each a Health Service Body, and",
                  "A Dispute that is not resolved by the steps above")
ROUTING_ENDS = (" No party may start", " Neither party may start", " Where a Dispute under this",
                " Each step of this procedure")


def routing_number(doc: Document) -> str:
    """The number of the dispute clause's sub-clause that says where a dispute goes, as drafted."""
    from drafting.write.text import write_text
    rendered = write_text(doc)
    at = max(rendered.find(f" {start}") for start in ROUTING_STARTS)
    return rendered[rendered.rindex("\n", 0, at) + 1:at]


def routing_text(doc: Document) -> str:
    """The routing sub-clause of the dispute clause (its last unresolved-dispute sentence)."""
    text = clause_text(doc, "dispute-resolution")
    start = max(text.find(start) for start in ROUTING_STARTS)
    return text[start:min(text.find(end, start) for end in ROUTING_ENDS if end in text[start:])]


def agreements() -> list[tuple[str, LoadedAnswers, Document]]:
    return [(n, la, built(la, "collaboration_agreement"))
            for n, la in sets_of("collaboration_agreement", 30)]


AGREEMENTS = agreements()


class TestX6TheStatutoryRouteOnlyBetweenNhsBodies:
    @pytest.mark.parametrize("name,loaded,agreement,doc", SUB_CONTRACTS, ids=SC_IDS)
    def test_a_sub_contract_names_it_only_with_an_nhs_partner(
            self, name: str, loaded: LoadedAnswers, agreement: Document, doc: Document) -> None:
        partner_id = name.rsplit("-", 1)[1]
        partner = next(m for m in loaded.answers.members if m.id == partner_id)
        # round 9 (C1.1): the governing-law sub-clause states only the law and points to the
        # dispute clause's routing sub-clause, which alone names the statutory route
        text = clause_text(doc, "boilerplate")
        law = text[text.index("This Sub-Contract, and any dispute"):]
        routing_ref = routing_number(doc)
        # round 10c (B2.5): it cites the one route the routing sub-clause gives
        assert f"Clause {routing_ref} says where a dispute is resolved" in law, (name, law)
        assert "section 9" not in law and "exclusive jurisdiction" not in law, (name, law)
        nhs = {"nhs_trust", "nhs_foundation_trust"}
        both = partner.kind in nhs and loaded.answers.lead.kind in nhs
        # round 23: only a dispute under it as an NHS contract stays out of the courts
        assert ("(a dispute arising under this Sub-Contract as an NHS contract under the statutory "
                "route for NHS contracts, not in the courts)" in law) == both, (name, law)
        assert ("(in the courts)" in law) == (not both), (name, law)
        routing = routing_text(doc)
        assert ("Secretary of State for Health and Social Care for determination under section 9 "
                "of the NHS Act" in routing) == both, (name, routing)
        # round 10c (B1.5): between two NHS bodies the sub-contract is an NHS contract, stated
        # plainly, and a dispute never goes to the courts (no "to the extent that" hedge)
        if both:
            assert ("A Dispute arising under it as an NHS contract is not referred to the courts"
                    in routing), name  # round 23
            assert "To the extent that" not in routing, name
            assert "courts of England and Wales" not in routing, name
        else:
            assert "courts of England and Wales, which have exclusive jurisdiction" in routing, name

    @pytest.mark.parametrize("name,loaded,doc", AGREEMENTS, ids=[a[0] for a in AGREEMENTS])
    def test_an_agreement_names_it_only_when_every_party_is_an_nhs_body(
            self, name: str, loaded: LoadedAnswers, doc: Document) -> None:
        # round 9 (C1.1): the governing law never routes a dispute nor says every party is a
        # Health Service Body (a body joining could make it untrue); the routing sub-clause
        # sends a dispute to section 9 only to the extent it is between Health Service Bodies
        text = clause_text(doc, "boilerplate")
        law = text[text.index("This Agreement, and any dispute"):]
        assert f"Clause {routing_number(doc)} says where a dispute is resolved" in law, (name, law)
        assert "section 9" not in text and "exclusive jurisdiction" not in text, name
        assert STATUTORY not in text, name
        routing = routing_text(doc)
        assert ("to the extent that it is between parties each of which is a Health Service Body"
                in routing), (name, routing)
        assert "determination under section 9 of the NHS Act" in routing, (name, routing)
        assert "courts of England and Wales, which have exclusive jurisdiction" in routing, name


class TestX7TheEntireAgreementNamesScheduleFivePartA:
    @pytest.mark.parametrize("name,loaded,agreement,doc", SUB_CONTRACTS, ids=SC_IDS)
    def test_every_document_relied_on_is_named(
            self, name: str, loaded: LoadedAnswers, agreement: Document, doc: Document) -> None:
        text = clause_text(doc, "boilerplate")
        entire = text[text.index("This Sub-Contract (including"):text.index("earlier arrangement")]
        entire = entire[entire.index(")"):]  # after the incorporated provisions
        schedule = flat(doc)
        start = schedule.index("Part A: Documents relied on")
        part_a = schedule[start:schedule.index("Part B:", start)]
        for words in ("Collaboration Agreement", "Clinical Governance Framework",
                      "data sharing agreement between the Members"):
            assert (f"the {words}" in part_a) == (f"the {words}" in entire), (name, words)


# --------------------------------------------------------------------------- X4 quorum


def board_documents() -> list[tuple[str, Document]]:
    found = [(n, d) for n, _, d in AGREEMENTS]
    found += [(n, built(la, "committee_terms")) for n, la in sets_of("committee_terms", 15)]
    return found


class TestX4AConflictedMemberCountsTowardsTheQuorum:
    @pytest.mark.parametrize("name,doc", board_documents(), ids=lambda v: v if isinstance(v, str) else "")
    def test_the_quorum_is_stated_once_and_a_withdrawal_never_defeats_it(
            self, name: str, doc: Document) -> None:
        numbers = {c.id: str(n) for n, c in enumerate(doc.clauses, start=1)}
        conflicts = clause_text(doc, "conflicts-of-interest")
        assert "is not counted in the quorum" not in conflicts, name
        # round 14 (comp): the quorum for the item is stated (the Board's own rule, counted among
        # the Voting Members entitled to take part, at least two), and the withdrawal of the
        # conflicted Member still never makes the meeting inquorate
        assert "counted only among the Voting Members entitled to take part in it" in conflicts, name
        assert ("is counted neither as present nor as absent, so its withdrawal never makes the "
                "meeting inquorate") in conflicts, name
        assert f"adjourned as clause {numbers['governance-board']}." in conflicts, name
        board = clause_text(doc, "governance-board")
        assert "A meeting of the Board is quorate when" in board, name
        assert f"Clause {numbers['conflicts-of-interest']}." in board, name  # its quorum sub-clause
        assert "If a meeting is not quorate within 30 minutes" in board, name  # round 13 (D5)
        for other in doc.clauses:
            if other.id not in ("governance-board",):
                assert "is quorate when" not in clause_text(doc, other.id), (name, other.id)
        schedule = flat(doc)
        if "Quorum |" in schedule:
            # round 13 (board-terms v14): the row gives the quorum as a number and cites the
            # Board clause's quorum sub-clause, the one place the rule is stated
            quorum = re.escape(doc.targets["governance-board.quorum"].number)
            assert re.search(r"Quorum \| (?:(?:All \d+|\d+ of \d+) Voting Members|Each NHS Member)[^|]*?\(clause "
                             + quorum + r"\)", schedule), name


# --------------------------------------------------------------------------- X8 representative


def committee_documents() -> list[tuple[str, LoadedAnswers, Document]]:
    return [(n, la, d) for n, la, d in AGREEMENTS
            if la.answers.governance.vehicle in ("joint_committee", "committees_in_common")]


class TestX8AMemberWithoutAVoteNominatesAnAttendee:
    @pytest.mark.parametrize("name,loaded,doc", committee_documents(),
                             ids=[c[0] for c in committee_documents()])
    def test_no_member_without_a_vote_appoints_anyone_to_the_board(
            self, name: str, loaded: LoadedAnswers, doc: Document) -> None:
        definitions = clause_text(doc, "definitions")
        definition = definitions[definitions.index("Representative” means"):]
        definition = definition[:definition.index("has named")]
        board = clause_text(doc, "governance-board")
        associates = any(m.member_class == "associate" for m in loaded.answers.members)
        assert "each individual a Member appoints to the Board" not in definition, name
        assert "it appoints to attend" not in definition, name
        assert "that is not a Voting Member appoints" not in board, name
        if associates:
            who = ("for a Member without a committee"
                   if loaded.answers.governance.vehicle == "committees_in_common"
                   else "for a Member that is not a Voting Member")
            assert (f"{who}, the individual it nominates to attend meetings of the Board "
                    "without a vote") in definition, name
            assert ("Each Member that is not a Voting Member nominates one Representative, with "
                    "a named deputy, to attend meetings of the Board without a vote.") in board, name
        else:
            assert "nominates" not in definition, name


# --------------------------------------------------------------------------- X9 one label


class TestX9TheClassWithoutAVoteHasOneLabel:
    @pytest.mark.parametrize("name,loaded,doc", AGREEMENTS, ids=[a[0] for a in AGREEMENTS])
    def test_the_members_schedule_uses_the_joining_clause_s_words(
            self, name: str, loaded: LoadedAnswers, doc: Document) -> None:
        associates = [m for m in loaded.answers.members if m.member_class == "associate"]
        text = flat(doc)
        label = "Member without a vote (an Associate Member)"
        # under consensus an Associate Member still has no vote where a Voting Member has one
        votes = loaded.answers.governance.vehicle != "advisory_group"
        schedule = text
        # round 9 (D1.2, F2.4): a Voting Member is one "shown as such in Schedule 1", so the
        # agreement that says so shows the Class column; round 12: with one class of member the
        # column goes, and the definition no longer points to it
        shown_as_such = "admitted as a voting member and shown as such in Schedule 1" in text
        assert ("| Class |" in schedule) == shown_as_such, (name, schedule[:200])
        if associates:
            assert shown_as_such, name
        for m in associates:
            row = re.search(re.escape(m.name) + r" \| [^|]+ \| ([^|]+) \|", schedule)
            assert row, (name, m.name)
            assert row.group(1).strip() == (label if votes else "Associate Member"), (name, row.group(1))
        if associates and votes and "joining" in {c.id for c in doc.clauses}:
            joining = clause_text(doc, "joining")
            assert "a member without a vote (an Associate Member)" in joining, name
