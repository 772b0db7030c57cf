"""Round-13b requests to the Board, schedules, definitions, boilerplate, staffing and finance clauses.

Each test drafts the examples, the scenario sets, sets changed to reach the case and generated
collaboratives, and asserts the rule where it applies.
"""

from __future__ import annotations

import re

import pytest

from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_ONLY, MOU_THEN, SHARED
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import ids_of, sets_of
from tests.test_review_round12_board import words


def limit_sets() -> list[tuple[str, LoadedAnswers, str]]:
    """Sets whose agreement or committee terms set a financial limit for each decision."""
    sets = []
    for kind in ("collaboration_agreement", "committee_terms"):
        sets += [(n, la, kind) for n, la in sets_of(kind, 12)
                 if "a limit for each decision" in clause_text(built(la, kind), "governance-board")]
    return sets


# ------------------------------------------------------------------ 1 the part-year rule's one home

NEVER_REDUCED = re.compile(r"never reduced (for|in) a (\[\[)?Contract Year(\]\])? shorter")


class TestItem1PartYearRuleHasOneHome:
    def test_the_case_is_reached(self) -> None:
        assert {kind for _n, _la, kind in limit_sets()} == {"collaboration_agreement",
                                                             "committee_terms"}

    @pytest.mark.parametrize("name,loaded,kind", limit_sets(), ids=ids_of)
    def test_board_and_schedule_cite_the_finance_clause(self, name: str, loaded: LoadedAnswers,
                                                        kind: str) -> None:
        document = built(loaded, kind)
        board = words(clause_text(document, "governance-board"))
        if "collaboration_agreement" not in loaded.answers.documents:
            # Terms of reference with no agreement: the terms are the rule's only home.
            assert NEVER_REDUCED.search(clause_text(document, "governance-board")), name
            return
        assert not NEVER_REDUCED.search(board), name
        # round 14: it says what the finance clause's sub-clause does to the limit (nothing)
        assert re.search(r"The limit is the same in a part year: clause [\d.]+ (of the Agreement )?"
                         r"never reduces a limit for each decision", board), name
        text = flat(document)
        assert "never reduced in a Contract Year shorter than 12 months" not in text, name
        if kind == "collaboration_agreement":
            finance = words(clause_text(document, "finance"))
            assert "It never reduces a limit for each decision" in finance, name


# ------------------------------------------------------------------ 2 committees in common cite voting


def cic_sets() -> list[tuple[str, LoadedAnswers, str]]:
    sets = [("shared", changed(SHARED), "collaboration_agreement"),
            ("shared-terms", changed(SHARED), "committee_terms"),
            ("shared-consensus", changed(SHARED, governance={"voting": "consensus"}),
             "collaboration_agreement")]
    for kind in ("collaboration_agreement", "committee_terms"):
        sets += [(n, la, kind) for n, la in sets_of(kind, 40)
                 if la.answers.governance.vehicle == "committees_in_common"]
    return sets


class TestItem2CommitteesCiteVotingAndConflicts:
    def test_the_case_is_reached(self) -> None:
        assert len(cic_sets()) >= 4

    @pytest.mark.parametrize("name,loaded,kind", cic_sets(), ids=ids_of)
    def test_one_home_for_each_rule(self, name: str, loaded: LoadedAnswers, kind: str) -> None:
        document = built(loaded, kind)
        board = words(clause_text(document, "governance-board"))
        assert "such as its expulsion" not in board, name
        if "Nothing is done to one Member by the Board" in board:
            assert "a decision to expel a Member or about its breach is taken by the Member " \
                "Boards" in board, name
            assert re.search(r"any other item about one Member is decided as clause [\d.]+ "
                             r"provides", board), name
        assert "is not bound by the decision until" not in board, name
        assert "whose committee was absent only when" not in board, name
        assert "decides by the agreement of a majority of its members present" not in board, name
        if "who are its Representatives, and each of them has a named deputy" in board:
            assert re.search(r"The committee decides as clause [\d.]+ provides", board), name


# ------------------------------------------------------------------ 3 recommendations to the Member Boards


def committee_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("shared", changed(SHARED)), ("joint", changed(JOINT)),
            ("joint-md", changed(JOINT, governance={"managing_director": "seconded"})),
            ("shared-running", changed(SHARED, finance={"model": "running_costs"}))]
    sets += sets_of("collaboration_agreement", 40)
    return [(n, la) for n, la in sets
            if la.answers.governance.vehicle in ("committees_in_common", "joint_committee")]


class TestItem3BudgetAndObjectivesAreRecommendations:
    def test_the_case_is_reached(self) -> None:
        texts = [flat(built(la, "collaboration_agreement")) for _n, la in committee_sets()]
        assert any("the Member Boards approve it on the Board's recommendation" in t
                   for t in texts)
        assert any("agree their objectives on the recommendation of the Board" in t
                   for t in texts)

    @pytest.mark.parametrize("name,loaded", committee_sets(), ids=ids_of)
    def test_the_giving_clauses_match_the_boards_list(self, name: str,
                                                      loaded: LoadedAnswers) -> None:
        document = built(loaded, "collaboration_agreement")
        finance = words(clause_text(document, "finance"))
        assert "and the Board approves it before the Contract Year starts" not in finance, name
        staffing = words(clause_text(document, "staffing"))
        assert "which agrees their objectives" not in staffing, name
        assert "The Board appoints the Managing Director" not in staffing, name


# ------------------------------------------------------------------ 4 Annual Contract Value in a deed


def deed_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = [("dominant", changed(DOMINANT)),
            ("dominant-weighted", changed(DOMINANT, governance={
                "voting": "weighted", "weight_basis": "contract_value"}))]
    sets += sets_of("accession_deed", 6)
    return [(n, la) for n, la in sets if "accession_deed" in la.answers.documents
            and "“Annual Contract Value” means" in flat(built(la, "collaboration_agreement"))]


@pytest.fixture(scope="module")
def deed_library(tmp_path_factory: pytest.TempPathFactory):
    """The library with the accession deed's current clause using the defined term."""
    from pathlib import Path
    import shutil

    from drafting.read.library import load_library

    root = tmp_path_factory.mktemp("library") / "clauses"
    shutil.copytree(Path(__file__).parent.parent / "clauses", root)
    folder = root / "ad-accession"
    latest = max(folder.glob("v*.md"), key=lambda p: int(p.stem[1:]))
    text = latest.read_text(encoding="utf-8")
    text = text.replace("uses: [", "uses: [Annual Contract Value, ", 1)
    head, _, body = text.partition("\n---\n")
    text = f"{head}\n---\n{body.rstrip()}\n\n- The [[Annual Contract Value]] of the [[New Member]] " \
        "is [●].\n"
    latest.write_text(text, encoding="utf-8")
    return load_library(root)


class TestItem4AnnualContractValueIsUsableInTheDeed:
    def test_the_case_is_reached(self) -> None:
        assert len(deed_sets()) >= 3

    @pytest.mark.parametrize("name,loaded", deed_sets(), ids=ids_of)
    def test_the_deed_defines_it_citing_the_agreement(self, name: str, loaded: LoadedAnswers,
                                                      deed_library) -> None:
        from drafting.build.pack import build_document

        deed = build_document(deed_library, loaded, "accession_deed")
        text = flat(deed)
        found = re.search(r"“Annual Contract Value” means [^“]*", text)
        if not found:
            # round 14: the deed incorporates the Agreement's definitions, so a term the
            # Agreement defines is used with its meaning there and not listed again
            assert "Annual Contract Value" in deed.incorporated_terms, name
            return
        meaning = found.group(0)
        assert re.search(r"as Schedule \d+ \([^)]*\) of the Agreement shows", meaning), name
        assert "this Agreement" not in meaning, name
        assert "[[" not in meaning and "{" not in meaning, name


# ------------------------------------------------------------------ 5 definitions in the deed and the MOU


def definition(document, term: str) -> str:
    found = re.search(rf"“{re.escape(term)}” means [^“]*", flat(document))
    return found.group(0).strip() if found else ""


def lead_deed_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in [("dominant", changed(DOMINANT))] + sets_of("accession_deed", 12)
            if "accession_deed" in la.answers.documents
            and "Lead Provider" in flat(built(la, "accession_deed"))]


def mou_observer_sets() -> list[tuple[str, LoadedAnswers]]:
    return [(n, la) for n, la in [("mou-only", changed(MOU_ONLY)), ("mou-then", changed(MOU_THEN))]
            + sets_of("mou", 20)
            if "“Observer” means" in flat(built(la, "mou"))]


class TestItem5DeedAndMouDefinitions:
    def test_the_case_is_reached(self) -> None:
        assert len(lead_deed_sets()) >= 2 and len(mou_observer_sets()) >= 2

    @pytest.mark.parametrize("name,loaded", [("dominant", changed(DOMINANT))]
                             + sets_of("accession_deed", 12), ids=ids_of)
    def test_the_deed_counts_no_periods(self, name: str, loaded: LoadedAnswers) -> None:
        deed = built(loaded, "accession_deed")
        assert "Every period is counted in calendar days" not in flat(deed), name

    @pytest.mark.parametrize("name,loaded", lead_deed_sets(), ids=ids_of)
    def test_the_deeds_lead_provider_is_whoever_holds_the_head_contract(
            self, name: str, loaded: LoadedAnswers) -> None:
        meaning = definition(built(loaded, "accession_deed"), "Lead Provider")
        agreement = definition(built(loaded, "collaboration_agreement"), "Lead Provider")
        # round 13c (A3.1): the deed takes the Agreement's definition word for word, never a
        # meaning of its own ("from time to time" was round 13b's, which the readers found to differ)
        # round 14: the deed incorporates the Agreement's definitions and lists only its own, so
        # "Lead Provider" is the Agreement's by incorporation, never a meaning of the deed's
        assert agreement, name
        assert meaning in ("", agreement), name
        assert "from time to time" not in meaning, name

    @pytest.mark.parametrize("name,loaded", mou_observer_sets(), ids=ids_of)
    def test_the_mou_observer_is_one_while_a_party(self, name: str,
                                                   loaded: LoadedAnswers) -> None:
        meaning = definition(built(loaded, "mou"), "Observer")
        assert meaning.endswith("for as long as it remains a party"), (name, meaning)


# ------------------------------------------------------------------ 6 Schedule 1 columns and title


def mou_sets() -> list[tuple[str, LoadedAnswers]]:
    return [("mou-only", changed(MOU_ONLY)), ("mou-then", changed(MOU_THEN))] + sets_of("mou", 12)


class TestItem6ScheduleOneHasWhatClausesRelyOn:
    @pytest.mark.parametrize("name,loaded", mou_sets(), ids=ids_of)
    def test_the_memorandums_parties_table_names_deputies(self, name: str,
                                                          loaded: LoadedAnswers) -> None:
        mou = built(loaded, "mou")
        text = flat(mou)
        assert "the deputy that Member has named" in text, name
        assert "| Deputy" in text, name
        titles = {s.number: s.title for s in mou.schedules}
        observer = any(m.member_class == "observer" for m in loaded.answers.members)
        if observer:
            assert mou.targets["sched:members"].number in titles, name
            assert titles[mou.targets["sched:members"].number] == "Parties and contacts", name

    @pytest.mark.parametrize("name,loaded", [("dominant", changed(DOMINANT)),
                                             ("shared", changed(SHARED)),
                                             ("joint", changed(JOINT))]
                             + sets_of("collaboration_agreement", 12), ids=ids_of)
    def test_notices_go_to_the_column_the_schedule_has(self, name: str,
                                                       loaded: LoadedAnswers) -> None:
        agreement = built(loaded, "collaboration_agreement")
        schedule = agreement.targets["sched:members"].number
        notices = words(clause_text(agreement, "boilerplate"))
        assert f"the person for notices shown for it in {schedule}" in notices, name
        assert "and person for notices" in flat(agreement), name
