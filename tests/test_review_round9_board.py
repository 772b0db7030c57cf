"""The partner's round-8 findings on the Board (its chair, quorum, financial limit, schedule of
members, managing director and clinical group), as rules over many answer sets.

Each test drafts the bundled examples, the scenario answer sets, answer sets changed to reach
the case in question and generated collaboratives (as `drafting lint` does), and reads the text
of the clauses, the schedules and the checklist, so a rule holds for every collaborative and not
one document.
"""

from __future__ import annotations

import re

import pytest
import yaml

from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, JOINT, MOU_THEN, SHARED, changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round8_gov import board_kinds, sentences


def board_sets(extra: list[tuple[str, LoadedAnswers]] | None = None) -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in sets_of("collaboration_agreement", 40) + (extra or [])
            if la.answers.governance.vehicle != "advisory_group"]


def checklist(document) -> str:
    return " ".join((document.clauses[0].note or "").split())


# --------------------------------------------------------------------------- 1 independent chair


def independent_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [("shared-independent", changed(SHARED, governance={"chair": "independent", "chair_rotation_months": None})),
             ("mou-then-independent", changed(MOU_THEN, governance={"chair": "independent"}))]
    return [(n, la) for n, la in board_sets(extra) if la.answers.governance.chair == "independent"]


class TestItem1TheIndependentChairHasATermRemovalAndAFallback:
    @pytest.mark.parametrize("name,loaded", independent_sets(), ids=ids_of)
    def test_term_removal_fallback_and_absence(self, name: str, loaded: LoadedAnswers) -> None:
        lead = loaded.answers.lead
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            text = " ".join(clause_text(document, "governance-board").split())
            assert "for a term of 3 years, which may be renewed once" in text, (name, kind)
            assert "may remove the Chair by notice given by more than half of them" in text
            fallback = next((s for s in sentences(text) if "is vacant for 90 days" in s), "")
            assert fallback, (name, kind)
            # round 10: with or without a lead, the Commissioner nominates (no member appoints)
            assert "asks the Commissioner" in fallback and "to nominate" in fallback, (  # round 20
                name, kind, lead, fallback)
            # round 13: figures ("3 years", "90 days"); the absence fallback names the meeting
            assert "If the Chair is absent from a meeting, or no Chair is in post" in text, (name, kind)
            assert "[[" not in text, (name, kind)
            assert "the independent Chair's term of 3 years" in checklist(document), (name, kind)

    def test_with_and_without_a_lead_provider(self) -> None:
        assert {la.answers.lead is None for _, la in independent_sets()} == {True, False}


# --------------------------------------------------------------------------- 2 co-chairs


def co_chair_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [("joint-co-chairs", changed(JOINT, governance={"chair": "co_chairs"})),
             ("shared-co-chairs", changed(SHARED, governance={"chair": "co_chairs", "chair_rotation_months": None}))]
    return [(n, la) for n, la in board_sets(extra) if la.answers.governance.chair == "co_chairs"]


class TestItem2CoChairs:
    @pytest.mark.parametrize("name,loaded", co_chair_sets(), ids=ids_of)
    def test_the_chair_is_the_presiding_co_chair_and_tasks_between_meetings_have_a_holder(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            text = " ".join(clause_text(document, "governance-board").split())
            assert "the first co-chairs are [●] and [●]" in text, (name, kind)
            assert "the Chair is the co-chair presiding at it" in text, (name, kind)
            between = next((s for s in sentences(text) if "between meetings" in s), "")
            assert "setting the date of an adjourned meeting" in between, (name, kind, between)
            assert "done by the two co-chairs together" in between and "secretariat" in between
            adjourned = next(s for s in sentences(text) if "it is adjourned to a date" in s)
            assert "the secretariat notifies" in adjourned, (name, kind, adjourned)
            assert "tasks between meetings done by both co-chairs" in checklist(document)


# --------------------------------------------------------------------------- 4 committees' quorum


def committee_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [(f"shared-{n}-members", changed(SHARED, governance={"committee_members": n}))
             for n in (1, 3, 4)]
    extra += [("shared-majority-quorum", changed(SHARED, governance={"quorum": "majority"}))]
    return [(n, la) for n, la in board_sets(extra)
            if la.answers.governance.vehicle == "committees_in_common"]


class TestItem4TheCommitteesInCommonQuorumIsANumber:
    @pytest.mark.parametrize("name,loaded", committee_sets(), ids=ids_of)
    def test_each_committee_present_by_a_stated_number_also_when_adjourned(
            self, name: str, loaded: LoadedAnswers) -> None:
        g = loaded.answers.governance
        n = g.committee_members
        needed = n // 2 + 1
        voters = len([m for m in loaded.answers.members if m.member_class == "voting"])
        for kind in board_kinds(loaded):
            text = " ".join(clause_text(built(loaded, kind), "governance-board").split())
            present = next((s for s in sentences(text) if s.startswith("A committee is present when")), "")
            assert present, (name, kind)
            if needed == n == 2:
                assert "both of its members, or their deputies," in present, (name, present)
            elif needed == n == 1:
                # round 13: one style of number; a committee of one is present by that member
                assert "its one member, or their deputy, is present" in present, (name, present)
            elif needed == n:
                assert f"all {n} of its members" in present, (name, present)
            else:
                # round 13: figures ("2 of its 3 members")
                assert f" {needed} of its {n} members (or their deputies)" in present, present
            if g.quorum == "all_voting_members":
                assert f"at least {needed * voters} committee members" in present, (name, present)
            assert "counts as present only when more than half of its members" not in text
            assert "The same test of a committee's presence applies at an adjourned meeting" in text

    def test_several_committee_sizes_are_covered(self) -> None:
        assert {la.answers.governance.committee_members for _, la in committee_sets()} >= {2, 3, 4}


# --------------------------------------------------------------------------- 5 delegation limit


def limit_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in board_sets() if la.answers.governance.delegated_matters != []]


class TestItem5TheFinancialLimitIsForEachDecision:
    @pytest.mark.parametrize("name,loaded", limit_sets(), ids=ids_of)
    def test_stated_once_per_decision_and_listed_as_a_default(
            self, name: str, loaded: LoadedAnswers) -> None:
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            text = " ".join(clause_text(document, "governance-board").split())
            if "No matter is delegated to the Board" in text:
                continue
            limit = next((s for s in sentences(text) if "may commit a Member to spend" in s), "")
            assert limit.startswith("No single decision on those matters"), (name, kind, limit)
            assert "(a limit for each decision, not a total for the year)" in limit
            assert "applied to each decision, not as a total for the year" in checklist(document)



# --------------------------------------------------------------------------- 3 schedule of members


def members_table(document) -> list[str]:
    from tests.test_review_round7_bodies import schedule_text
    return schedule_text(document, "members").split("\n")


def raw_members(path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["members"]


def member_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [("joint-no-associate", changed(JOINT, members=[
                 m for m in raw_members(JOINT) if m.get("class") != "associate"])),
             ("shared-associate", changed(SHARED, members=[
                 {**m, "class": "associate", "annual_contract_value": 1000000}
                 if m.get("class") == "observer" else m for m in raw_members(SHARED)]))]
    return sets_of("collaboration_agreement", 40) + extra


class TestItem3Schedule1HasEveryColumnAClauseCites:
    @pytest.mark.parametrize("name,loaded", member_sets(), ids=ids_of)
    def test_class_email_deputy_and_a_row_for_each_member_without_a_vote(
            self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        committees = a.governance.vehicle in ("committees_in_common", "joint_committee")
        for kind in board_kinds(loaded):
            document = built(loaded, kind)
            table = members_table(document)
            # the contacts are a second table after the members' (seven columns do not fit a
            # page without breaking words): every "Member | ..." header line counts
            # round 11 (E1.2): with an observer party the first column is headed "Party"
            header = [h for line in table if line.startswith(("Member | ", "Party | "))
                      for h in line.split(" | ")]
            definitions = " ".join(clause_text(document, "definitions").split())
            if "shown as such in Schedule" in definitions:
                assert "Class" in header, (name, kind, header)
            if kind == "collaboration_agreement":
                assert "Email for notices" in header, (name, kind, header)
            if not committees:
                assert "Deputy" in header, (name, kind, header)
            else:
                for m in a.members:
                    if m.member_class == "associate":
                        row = next((r for r in table if r.startswith(m.name + " | [●], Representative")), "")
                        assert row.endswith("| [●], deputy without a vote"), (name, kind, row)
            note = " ".join((next(s.note for s in document.schedules if s.id == "members") or "").split())
            assert note.count("Check each address") == 1, (name, kind, note)
            blanks = checklist(document)
            assert "[●]" in blanks or "blank" in blanks, (name, kind)

    def test_committees_with_an_associate_and_boards_with_deputies_are_covered(self) -> None:
        sets = member_sets()
        assert any(la.answers.governance.vehicle in ("committees_in_common", "joint_committee")
                   and any(m.member_class == "associate" for m in la.answers.members) for _, la in sets)
        assert any(la.answers.governance.vehicle == "partnership_board" for _, la in sets)


# --------------------------------------------------------------------------- 7 managing director


def md_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [("joint-md-seconded", changed(JOINT, governance={"managing_director": "seconded"})),
             ("shared-md-joint", changed(SHARED, governance={"managing_director": "joint_appointment"}))]
    return [(n, la) for n, la in sets_of("collaboration_agreement", 40) + extra
            if la.answers.governance.managing_director != "none"]


class TestItem7AManagingDirectorsAuthorityComesFromItsSource:
    @pytest.mark.parametrize("name,loaded", md_sets(), ids=ids_of)
    def test_the_board_delegates_only_as_a_partnership_board(self, name: str, loaded: LoadedAnswers) -> None:
        text = " ".join(clause_text(built(loaded, "collaboration_agreement"), "staffing").split())
        said = next(s for s in sentences(text) if "has only the authority" in s)
        if loaded.answers.governance.vehicle == "partnership_board":
            assert "the authority the Board delegates in writing" in said, (name, said)
        else:
            assert "Board delegates in writing" not in said, (name, said)
            assert "under its own scheme of delegation" in said, (name, said)
            assert "the Board delegates no authority to the Managing Director" in text, (name, text)

    def test_both_kinds_of_board_are_covered(self) -> None:
        vehicles = {la.answers.governance.vehicle for _, la in md_sets()}
        assert {"partnership_board", "committees_in_common", "joint_committee"} <= vehicles


# --------------------------------------------------------------------------- 9 clinical group verbs


def clinical_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [("joint-no-pathways", changed(JOINT, governance={"delegated_matters": ["strategy_and_plans"]})),
             ("dominant-group", changed(DOMINANT, clinical={"accountability": "joint_clinical_group"}))]
    return [(n, la) for n, la in sets_of("collaboration_agreement", 40) + extra
            if la.answers.clinical.accountability == "joint_clinical_group"]


class TestItem9TheClinicalGroupRecommendsTheBoardAdoptsEachProviderImplements:
    @pytest.mark.parametrize("name,loaded", clinical_sets(), ids=ids_of)
    def test_verbs(self, name: str, loaded: LoadedAnswers) -> None:
        g = loaded.answers.governance
        text = " ".join(clause_text(built(loaded, "collaboration_agreement"), "clinical-model").split())
        assert "recommends shared pathway protocols and quality standards" in text, (name, text)
        assert "agrees shared pathway" not in text and "are adopted by each provider" not in text
        adopt = next(s for s in sentences(text) if "whether to adopt" in s)
        delegated = "pathways_and_standards" in loaded.answers.delegated_matters
        if g.vehicle == "committees_in_common" and delegated:
            assert "each committee for its own Member" in adopt, (name, adopt)
        elif g.vehicle in ("partnership_board", "joint_committee") and delegated:
            assert adopt.startswith("The Board decides whether to adopt"), (name, adopt)
        elif g.vehicle != "individual_decision_makers" or not delegated:
            assert "Member Boards" in adopt, (name, adopt)
        # round 19: under a joint committee the duty is stated member by member
        assert ("Each provider implements an adopted protocol or standard under its own clinical "
                "governance" in text) or (g.vehicle == "joint_committee" and "Each provider "
                "implements, under its own clinical governance, a protocol or standard that the "
                "Board adopts" in text), (name, text)

    def test_the_sub_contract_uses_the_same_verbs(self) -> None:
        loaded = changed(DOMINANT, clinical={"accountability": "joint_clinical_group"})
        text = " ".join(clause_text(built(loaded, "sub_contract"), "clinical-model").split())
        assert "recommends shared pathway protocols and quality standards for adoption" in text
        assert "Each provider implements an adopted protocol or standard" in text

    def test_committees_a_board_and_a_referral_to_member_boards_are_covered(self) -> None:
        sets = clinical_sets()
        assert {"committees_in_common", "joint_committee"} <= {la.answers.governance.vehicle for _, la in sets}


# --------------------------------------------------------------------------- 8 joining


def joining_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [("joint-committees-in-common", changed(JOINT, governance={"vehicle": "committees_in_common"}))]
    return sets_of("collaboration_agreement", 40) + extra


class TestItem8JoiningBindsEveryPartyAndTheJoinersBoard:
    @pytest.mark.parametrize("name,loaded", joining_sets(), ids=ids_of)
    def test_standing_consent_committee_condition_and_first_year(
            self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        text = " ".join(clause_text(built(loaded, "collaboration_agreement"), "joining").split())
        # round 11 (joining v12): one mechanism binds every party: each existing Member
        # executes the Accession Deed (itself or by attorney); only an Observer, which signs
        # no deed, agrees now to be bound with the new Member
        assert "Each existing Member executes the Accession Deed itself" in text, (name,)
        consent = next((s for s in sentences(text) if s.startswith("Each Observer agrees now")), "")
        assert bool(consent) == any(m.member_class == "observer" for m in a.members), (name, consent)
        if consent:
            assert "becomes a party to this Agreement with it" in consent, (name, consent)
        first = next((s for s in sentences(text) if s.startswith("For the Contract Year in which")), "")
        # round 10b: the first-year apportionment is drafted only where the finance model
        # creates a share (of the running costs, a distributed surplus or a shared deficit)
        f = a.finance
        risk = a.context()["derived"]["risk_share"]  # round 10b
        shares = f.model != "no_pooling" or (risk and (
            f.surplus in ("distribute_pro_rata", "split") or f.deficit != "lead_bears"))
        if shares:  # round 10b
            # round 11 (joining v13): apportioned by days under the finance clause's one rule (cited)
            assert re.search(r"apportioned under clause \d+(\.\d+)* to the days from that date to the end",
                             first), (name, first)
        else:
            assert first == "", (name, first)  # round 10b
        effect = next(s for s in sentences(text) if s.startswith("Admission takes effect"))
        if a.governance.vehicle in ("committees_in_common", "joint_committee"):
            assert "the admission of a Voting Member takes effect only when its Member Board has" in effect
            assert "adopted the Board's terms of reference" in effect or "adopted the terms of reference in Schedule" in effect, (name, effect)
            assert "updated its scheme of delegation" in effect, (name, effect)
            if a.governance.vehicle == "committees_in_common":
                assert "established its own committee and delegated to it" in effect, (name, effect)
        else:
            assert "Member Board" not in effect, (name, effect)
        assert "joint committee of relevant bodies" not in text, (name,)

    def test_committees_an_observer_and_a_joint_committee_are_covered(self) -> None:
        sets = joining_sets()
        assert {"committees_in_common", "joint_committee", "partnership_board"} <= {
            la.answers.governance.vehicle for _, la in sets}
        assert any(m.member_class == "observer" for _, la in sets for m in la.answers.members)


# --------------------------------------------------------------------------- 6 joint committee


def joint_sets() -> list[tuple[str, LoadedAnswers]]:
    extra = [("shared-joint-committee", changed(SHARED, governance={"vehicle": "joint_committee"}))]
    return [(n, la) for n, la in sets_of("collaboration_agreement", 60) + extra
            if la.answers.governance.vehicle == "joint_committee"]


class TestItem6TheJointCommitteeArrangesJointExercise:
    @pytest.mark.parametrize("name,loaded", joint_sets(), ids=ids_of)
    def test_words_functions_council_row_and_one_trigger(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        councils = [m for m in a.members if m.member_class == "voting" and m.kind == "local_authority"]
        for kind in board_kinds(loaded):
            text = " ".join(clause_text(built(loaded, kind), "governance-board").split())
            assert "delegate to the Board, to exercise jointly" not in text, (name, kind)
            if not a.delegated_matters:
                continue
            assert "arrange for their functions on the following matters, so far as they relate " \
                   "to the Services, to be exercised jointly by the Board" in text, (name, kind)
            at = text.find("The functions are those the NHS Act gives each relevant body")
            functions = text[at:text.find("the provisions to be confirmed: [●]", at)]
            assert at >= 0 and "its functions under section" in functions, (name, kind, functions)
            if councils:
                # round 22: none of its own functions (it takes part in the trusts')
                council = next(s for s in sentences(text) if "own functions is exercised jointly:" in s)
                assert "part under section 65Z5(1)(b)" in council, (name, kind, council)
                assert "Care Act 2014 are exercised only through an agreement under section 75" in council
            if kind == "collaboration_agreement":
                constitution = next(s for s in sentences(text) if "establish the Board as" in s)
                assert constitution.startswith("The Voting Members establish the Board as a joint "
                                               "committee of the relevant bodies" + (
                                                   " and a local authority under section 65Z5"
                                                   if councils else " under section 65Z5")), constitution
                assert "from the Operative Date" in text or "from the date of this Agreement" in text
                assert "from the date on which the condition" not in text, (name, kind)

    def test_with_and_without_a_council(self) -> None:
        has = {any(m.kind == "local_authority" and m.member_class == "voting" for m in la.answers.members)
               for _, la in joint_sets()}
        assert has == {True, False}


# --------------------------------------------------------------------------- in Word


def _word(path):
    """The table rows (cells joined by " | ") and the Word comments of a drafted .docx."""
    import zipfile

    import docx
    from lxml import etree

    document = docx.Document(str(path))
    rows = [" | ".join(c.text for c in r.cells) for t in document.tables for r in t.rows]
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        root = etree.fromstring(package.read("word/comments.xml")) if "word/comments.xml" in names else []
    return rows, [" ".join("".join(c.itertext()).split()) for c in root]


def test_the_word_agreement_shows_the_new_columns_rows_and_checklist_entries() -> None:
    """`drafting assemble --notes` as a user runs it: Schedule 1 of the joint committee's
    agreement has the email and associate rows; the checklist lists the new defaults."""
    from tests.review_sets import drafting_sets

    with drafting_sets("round9-board-", _word, notes=True) as drafted:
        rows, comments = drafted(JOINT)["collaboration-agreement.docx"]
        header = [h for r in rows if r.startswith("Member | ") for h in r.split(" | ")]
        assert "Email for notices" in header and "Class" in header
        assert any(r.startswith("Age UK Lincoln and South Lincolnshire | [●], Representative without a vote")
                   for r in rows), rows
        assert "the independent Chair's term of 3 years" in comments[0]  # round 13: figures
        assert "applied to each decision, not as a total for the year" in comments[0]
        rows, comments = drafted(MOU_THEN)["collaboration-agreement.docx"]
        header = next(r for r in rows if r.startswith("Member | Email for notices"))
        assert header.split(" | ")[-1] == "Deputy", header
        assert "tasks between meetings done by both co-chairs" in comments[0]
        assert sum(c.count("Check each address") for c in comments) == 1
