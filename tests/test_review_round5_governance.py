"""A healthcare partner's fifth review of governance (voting power, reserved matters, observers,
ending the collaboration, drafting notes), as rules of the clause library.

Each test drafts whole packs with `drafting assemble` from the bundled examples, the scenario
answer sets of `tests/answers/scenarios/` and variations of them, opens the Word files with
python-docx (comments included, for the drafting notes) and reads what a lawyer would read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from drafting.read.load import load_answers
from tests.test_governance_review import (
    ALL,
    DOMINANT,
    JOINT,
    MOU_THEN,
    NORTH_EAST,
    SHARED,
    SOUTH,
    WEST,
    Drafted,
    _with,
    drafting_sets,
    read_docx,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Pack:
    """The documents of one drafted answers set, with their drafting notes."""

    docs: dict[str, Drafted]
    notes: dict[str, list[str]]  # document file name -> the text of each drafting note

    def __getitem__(self, name: str) -> Drafted:
        return self.docs[name]

    def values(self) -> Any:
        return self.docs.values()


def read_notes(path: Path) -> list[str]:
    """The drafting notes (Word comments) of a document, each as one line of text."""
    with zipfile.ZipFile(path) as package:
        if "word/comments.xml" not in package.namelist():
            return []
        root = etree.fromstring(package.read("word/comments.xml"))
    return [" ".join("".join(t.text or "" for t in c.iter(f"{W}t")).split())
            for c in root.iter(f"{W}comment")]


@pytest.fixture(scope="module")
def draft() -> Iterator[Callable[..., Pack]]:
    """Drafts an answers file (optionally changed), with notes, once per set."""
    with drafting_sets("round5-governance-", lambda f: (read_docx(f), read_notes(f)),
                       notes=True) as drafted:
        def pack(path: Path, **changes: Any) -> Pack:
            files = drafted(path, **changes)
            return Pack({n: d for n, (d, _) in files.items()},
                        {n: c for n, (_, c) in files.items()})

        yield pack


def _id(path: Path, changes: dict[str, Any]) -> str:
    leaves = [f"{k}={v}" if not isinstance(v, dict) else k for section in changes.values() if isinstance(section, dict)
              for k, v in section.items()]
    return path.stem + ("-" + "-".join(leaves) if leaves else "")


def _sets(cases: list[tuple[Path, dict[str, Any]]]) -> list[Any]:
    return [pytest.param(p, c, id=_id(p, c)) for p, c in cases]


BOARD_DOCUMENTS = ("collaboration-agreement.docx", "committee-terms.docx")


def board_documents(pack: Pack) -> list[Drafted]:
    return [d for d in pack.values() if d.name in BOARD_DOCUMENTS]


# --------------------------------------------------------------------------- G1 inert powers

INERT = re.compile(r"While it votes, its vote decides every proposal, so (?P<what>.*?) makes? no "
                   r"difference to the outcome; (?:they apply|it applies) only to a proposal on "
                   r"which it does not vote because it is absent(?: or abstains)?, or once a change of the weights leaves it with half of the "
                   r"weight or less\.")
FIXED_BDCT = {"weight_basis": "fixed", "weights": {"pennine": 30, "bdct": 60, "cygnet": 10}}

# (answers, changes, casting vote named, veto named): a member holds more than half the weight
DOMINATED = [
    (DOMINANT, {}, True, True),
    (DOMINANT, {"governance": {"deadlock": "chair_casting_vote", "lead_provider_veto": "none"}},
     True, False),
    (DOMINANT, {"governance": {"deadlock": "refer_to_boards"}}, False, True),
    (DOMINANT, {"governance": {"deadlock": "refer_to_boards", "lead_provider_veto": "none"}},
     False, False),
    # the dominant member is not the lead: the lead's veto is not inert, its casting vote is
    (DOMINANT, {"governance": FIXED_BDCT}, True, False),
]


class TestInertCastingVoteAndVeto:
    @pytest.mark.parametrize(("path", "changes", "casting", "veto"),
                             [pytest.param(p, c, k, v, id=_id(p, c)) for p, c, k, v in DOMINATED])
    def test_the_power_statement_says_what_a_majority_holder_makes_inert(
            self, draft, path, changes, casting, veto) -> None:
        pack = draft(path, **changes)
        documents = board_documents(pack)
        assert len(documents) == 2
        for doc in documents:
            voting = doc.clause("Decisions and voting")
            # round 9 (A1.2, D1.6): the statement of power is a rule for any member holding more
            # than half of the weight, when present and not conflicted; the names and figures
            # are in the Board terms schedule, and the casting vote and veto are said to operate
            # only where that member does not vote
            from tests.test_governance_review import answers_of
            inert = casting and answers_of(path, **changes).voting_power()["casting_inoperative"]
            # round 10b: the committee terms cite the agreement's statement in one sentence,
            # and a casting vote that cannot operate is one sentence in the deadlock clause
            agreement = doc.name == "collaboration-agreement.docx"
            assert ("While any Voting Member holds more than half of the voting weight, it can "
                    "block any decision of the Board on its own when present and not "
                    "conflicted" if agreement else "Who can carry or block a decision alone is "
                    "stated in clause") in voting, doc.name
            assert "its vote decides every proposal" not in voting, doc.name
            if casting and agreement and not inert:
                assert "the casting vote under clause" in voting and "operates only on a " \
                       "proposal on which that Voting Member does not vote" in voting, doc.name
            if veto and agreement:
                assert "its veto under clause" in voting, doc.name
            notes = " ".join(pack.notes[doc.name])
            live = casting and not inert
            named = " and ".join(w for w, on in (("the casting vote", live),
                                                 ("the lead provider's veto", veto)) if on)
            said = f"While it votes, {named} change{'' if live and veto else 's'} nothing"
            assert ("The casting vote you chose does nothing" in notes) == inert, doc.name
            assert (said in notes) == bool(named), (doc.name, said)
            assert ("lead provider's veto" in notes) == veto, doc.name

    @pytest.mark.parametrize("path", [NORTH_EAST, WEST, SOUTH, JOINT, SHARED, MOU_THEN],
                             ids=lambda p: p.stem)
    def test_no_such_statement_without_a_majority_holder(self, draft, path) -> None:
        for doc in board_documents(draft(path)):
            assert "its vote decides every proposal" not in doc.text, doc.name


# --------------------------------------------------------------------------- G2 consensus


CONSENSUS_IN_COMMON = [
    (SHARED, {}),
    (WEST, {"governance": {"vehicle": "committees_in_common", "voting": "consensus",
                           "deadlock": "refer_to_boards"}}),
    (JOINT, {"governance": {"vehicle": "committees_in_common", "voting": "consensus",
                            "deadlock": "refer_to_boards", "special_majority_percent": None}}),
]


class TestConsensusDividedCommittees:
    @pytest.mark.parametrize(("path", "changes"), _sets(CONSENSUS_IN_COMMON))
    def test_one_rule_for_a_divided_vote_and_an_abstention(self, draft, path, changes) -> None:
        pack = draft(path, **changes)
        documents = board_documents(pack)
        assert documents
        for doc in documents:
            voting = doc.clause("Decisions and voting")
            # round 9 (C1.13): an objection is not sent to the deadlock route as such; the
            # deadlock clause says when a proposal not adopted becomes a Deadlock
            assert "Where the committee of any Voting Member objects, the proposal is not " \
                   "adopted and binds no Member, and clause" in voting, doc.name
            assert "says when it becomes a Deadlock" in voting, doc.name
            assert "A committee that abstains stands aside: it does not block the proposal" \
                   in voting, doc.name
            # the rule for other voting rules, which would leave an abstainer unbound, is absent
            assert "a committee that has not voted in favour is not bound" not in voting
            deadlock = doc.clause("Deadlock")
            assert "is supported by the committee of at least one Voting Member but is not " \
                   "adopted because the committee of another objects to it" in deadlock
            assert "ask the Chair in writing" not in deadlock, doc.name

    @pytest.mark.parametrize(("path", "changes"), _sets([
        (SOUTH, {}), (WEST, {"governance": {"vehicle": "committees_in_common"}})]))
    def test_other_voting_rules_keep_their_own_committee_rule(self, draft, path, changes) -> None:
        for doc in board_documents(draft(path, **changes)):
            voting = doc.clause("Decisions and voting")
            if "Each committee meeting in common" not in voting:
                continue
            assert "a committee that has not voted in favour is not bound" in voting
            assert "stands aside" not in voting


# --------------------------------------------------------------------------- G3 reserved matters

# every set with an agreement that reserves matters, and the other legal forms of the board
RESERVED_SETS = [(p, {}) for p in (DOMINANT, NORTH_EAST, WEST, JOINT, SHARED, MOU_THEN)] + [
    (MOU_THEN, {"governance": {"vehicle": "committees_in_common"}}),
    (MOU_THEN, {"governance": {"vehicle": "joint_committee", "managing_director": "seconded",
                               "staffing": "secondment"}}),
]
OBSERVED = [DOMINANT, NORTH_EAST, SHARED]  # the sets whose agreement has an observer
# what the clauses said before there was one formula: each restates the rule differently
OTHER_FORMULAS = (
    "taken by the Board as one of the Reserved Matters",
    "needs the agreement of every Voting Member, as one of the Reserved Matters",
    "which still need the agreement of every Voting Member",
    "Need every Voting Member's agreement",
    "provides for the Reserved Matters",
)
FORMULA = re.compile(r"(?:[ia]s one of the Reserved Matters, decided only as|are still decided only as"
                     r"|Each of them is decided only as|Voting Member, as) clause (\d+\.\d+) provides")


class TestReservedMatterFormula:
    @pytest.mark.parametrize(("path", "changes"), _sets(RESERVED_SETS))
    def test_every_mention_refers_to_the_one_rule_in_the_same_words(
            self, draft, path, changes) -> None:
        pack = draft(path, **changes)
        agreement = pack["collaboration-agreement.docx"]
        for phrase in OTHER_FORMULAS:
            assert phrase not in agreement.text, phrase
        targets = set(FORMULA.findall(agreement.text))
        assert len(targets) == 1, targets  # every reference names the same sub-clause
        expulsion = ("Expulsion and change of control"
                     if agreement.has("Expulsion and change of control") else "Expulsion")
        for title in ("Variation", expulsion, "Reserved matters", "Board terms of reference"):
            assert FORMULA.search(agreement.clause(title)), title
        voting = agreement.clause("Decisions and voting")
        # round 11: under a joint committee the rule says the Reserved Matters are "not among
        # the functions exercised jointly by the Board" (voting v11); still the one rule.
        assert ("The Reserved Matters are not delegated to the Board" in voting
                or "The Reserved Matters are not among the functions exercised jointly by the Board"
                in voting
                or "A decision on any of the Reserved Matters is made only with" in voting)


# --------------------------------------------------------------------------- G5 quorum once


BOARD_SETS = [DOMINANT, NORTH_EAST, WEST, SOUTH, JOINT, SHARED, MOU_THEN]


class TestQuorumStatedOnce:
    @pytest.mark.parametrize("path", BOARD_SETS, ids=lambda p: p.stem)
    def test_the_quorum_is_stated_in_one_place_and_referred_to(self, draft, path) -> None:
        documents = board_documents(draft(path))
        assert documents
        for doc in documents:
            assert doc.text.count("is quorate when") == 1, doc.name
            rows = re.findall(r"Quorum \| ([^|]*?)(?= [A-Z][a-z]+ \||$)", doc.text)
            for row in rows:
                # round 13 (board-terms v14): the row gives the quorum as a number ("3 of 4
                # Voting Members") and cites the Board clause's one quorum sub-clause; it never
                # states a rule of its own in words
                assert re.fullmatch(
                    r"(?:(?:All \d+|\d+ of \d+) Voting Members(?:, including the Lead Provider)?"
                    r"|Each NHS Member)"
                    r"(?: \(each by its committee\))? \(clause \d+\.\d+\)"
                    # round 18: the first adjournment's reduced quorum is stated, and a second
                    # adjournment only where it lowers the quorum
                    r"(?:; an adjourned meeting that is short only of (?:Voting Members|NHS "
                    r"Members|the Lead Provider,) notified of both meetings: \d+ of \d+(?: \(with only 2 present, a decision needs both\))?"
                    r", never for [^|(]*\(clause \d+\.\d+\))?"
                    r"(?:; a second adjourned meeting: any 2 Voting Members(?: \(with only 2 present, a decision needs both\))?, never for [^|]*"
                    r"\(clause \d+\.\d+\)|; no second adjournment \(clause \d+\.\d+\))?", row.strip()), row
            if doc.name == "collaboration-agreement.docx":
                assert rows, doc.name  # the board's terms schedule has the row


# --------------------------------------------------------------------------- G8 observer

class TestObserverProvisions:
    @pytest.mark.parametrize("path", OBSERVED, ids=lambda p: p.stem)
    def test_the_list_names_every_clause_that_speaks_of_the_observer(self, draft, path) -> None:
        agreement = draft(path)["collaboration-agreement.docx"]
        status = agreement.clause("Legal status")
        # round 13: generated in clause-number order, and says so
        found = re.search(r"The only provisions of this Agreement that bind an Observer or give "
                          r"it rights are, in the order in which they appear, (.*?)\. Every "
                          r"other provision", status)
        assert found, status
        listed = found.group(1)
        # round 20: attending the Board includes notice of an adjourned meeting and the minutes,
        # and declaring interests includes what counts as one
        for words in ("(definitions and interpretation)",
                      "(attending the Board, notice of an adjourned meeting and the minutes)",
                      # round 13: the whole at-meeting conflicts procedure, and only the
                      # data clause's compliance sub-clauses
                      "(what counts as an interest, declaring interests, including at a meeting",
                      "(the reports an Observer receives)",
                      "(confidentiality and freedom of information)",
                      "(complying with data protection law)",
                      "(dispute resolution)",
                      "(signing a variation that changes its own rights or obligations)",
                      "(general provisions, including notices)"):
            assert words in listed, words
        numbers = [int(m) for m in re.findall(r"clause (\d+)", listed)]
        assert numbers == sorted(numbers), listed  # in the order of the agreement
        # each clause that gives the observer a right is one of those listed
        assert "A person attending for an Observer may attend and speak" in \
            agreement.clause("The Board")
        assert "Each Observer receives the reports" in agreement.clause("Reporting and accountability")

    @pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
    def test_schedule_one_names_the_classes_by_their_defined_terms(self, draft, path) -> None:
        pack = draft(path)
        answered = load_answers(path).answers.members
        schedules = 0
        for doc in pack.values():
            # round 13: the memorandum's schedule is titled "Parties and contacts".
            members = (doc.clause("Members and representatives") or doc.clause("Members and contacts")
                       or doc.clause("Parties and contacts") or doc.clause("Membership"))
            if not members:
                continue
            schedules += 1
            for word in ("Voting member", "Associate member"):
                assert f"| {word} |" not in members, (doc.name, word)
            # the Class column is shown when the parties listed are of more than one class, and
            listed = {m.member_class for m in answered if f"{m.name} |" in members}
            assert listed, (doc.name, members[:300])
            if "| Class |" not in members:
                assert len(listed) == 1, (doc.name, listed)
                continue
            # round 12: with one class listed, the column is shown only where joining can admit a
            # member of another class (an associate member, or a joint committee or committees in
            # common, which admit other bodies only without a vote)
            other_classes = load_answers(path).answers.governance.vehicle in (
                "joint_committee", "committees_in_common") or any(
                m.member_class not in ("voting", "observer") for m in answered)
            assert len(listed) > 1 or other_classes, (doc.name, listed)
            classes = set(re.findall(r"\| (Voting Member|Observer|Member|"
                                     r"Member without a vote \(an Associate Member\)|"
                                     r"Associate Member) \|", members))
            assert classes, (doc.name, members[:300])
            for term in classes:
                term = "Associate Member" if "Associate" in term else term
                assert f"“{term}” means" in doc.text, (doc.name, term)
        assert schedules, pack.docs.keys()


# --------------------------------------------------------------------------- G10 ending


# round 12: where there is an Associate Member or Observer, ending early is decided by all the
# Voting Members and binds every Member; otherwise by all the Members. Either way the agreement
# states the end date, or it is the notice period after the last signature
_ENDING = (r"{opening} (before the end of the Term|at any time) only by the agreement of all "
           r"{who}(?P<reserved>, as one of the Reserved Matters, decided only as clause "
           r"\d+\.\d+ provides)?, recorded in writing signed by {signed}\. The agreement states "
           r"the date on which this Agreement ends; if it states none, this Agreement ends "
           r"(?P<notice>\d+) months? after the last {last} signs it")  # round 13 (D5): figures
# round 18: the agreement's other ways of ending are kept ("Except where ...")
ENDING_BY_VOTING_MEMBERS = re.compile(_ENDING.format(
    opening="Except where this Agreement ends under its other terms, this Agreement may be ended",
    who="the Voting Members",
    signed="each Voting Member; that agreement binds every Member", last="Voting Member"))
ENDING_BY_ALL_MEMBERS = re.compile(_ENDING.format(
    opening="Except where this Agreement ends under its other terms, the Members may end this "
            "Agreement", who="of them", signed="every Member",
    last="Member"))
AGREEMENTS = [(p, {}) for p in (DOMINANT, NORTH_EAST, WEST, JOINT, SHARED, MOU_THEN)] + [
    (JOINT, {"governance": {"reserved_matters": ["admit_member", "expel_member"]}}),
    (NORTH_EAST, {"collaborative": {"term": {"kind": "rolling"}}}),
]


class TestEndingTheCollaboration:
    @pytest.mark.parametrize(("path", "changes"), _sets(AGREEMENTS))
    def test_an_operative_clause_ends_the_agreement_by_all_members(
            self, draft, path, changes) -> None:
        agreement = draft(path, **changes)["collaboration-agreement.docx"]
        term = agreement.clause("Commencement and term")
        members = load_answers(path).answers.members  # no case here changes the members
        without_vote = any(m.member_class in ("associate", "observer") for m in members)
        found = (ENDING_BY_VOTING_MEMBERS if without_vote else ENDING_BY_ALL_MEMBERS).search(term)
        assert found, term
        reserved = "ending the collaboration" in agreement.clause("Reserved matters")
        assert bool(found.group("reserved")) == reserved
        assert "as if every Member were a Leaving Member and that date were its Exit Date" in term
        # round 12: the defined term
        # round 18: the single Exit Plan's one deadline is in the exit clause
        assert "the single Exit Plan for the orderly ending of the Collaborative" in term
        assert re.search(r"is agreed, or applies without agreement, as clause \d+\.\d+ provides",
                         term)
        assert ("Ending this Agreement does not end the Head Contract" in term) == \
            ("Head Contract" in agreement.text)
        assert term.count("unanimous written agreement") == 0  # said once, in the clause above


# --------------------------------------------------------------------------- G13 notes by model

# the clauses and schedules of the governance area: their drafting notes are checked here
GOVERNANCE_IDS = {
    "governance-board", "voting", "deadlock", "dispute-resolution", "tor-constitution",
    "tor-membership-meetings", "conflicts-of-interest", "status", "definitions",
    "interpretation", "boilerplate", "commencement-term", "withdrawal", "expulsion",
    "lead-provider-role", "lead-provider-veto", "commissioning-separation", "provider-selection",
    "confidentiality-foi", "competition-information-barrier", "reporting", "execution",
    "variation", "complaints", "ethical-standards", "equality-health-inequalities",
    "force-majeure", "successor-lead-provider", "members", "board-terms", "reserved-matters",
}


def _note_sets() -> list[tuple[str, str]]:
    """(name, answers YAML): the examples, the scenarios and forty generated collaboratives."""
    import yaml

    from drafting.review.lint.strategies import answers, draw_many
    sets = [(p.stem, p.read_text(encoding="utf-8")) for p in ALL]
    # weighted voting with a majority holder and a casting vote, without a lead provider
    sets.append(("south-weighted", _with(SOUTH, {"governance": {
        "voting": "weighted", "special_majority_percent": None, "weight_basis": "fixed",
        "weights": {"uhs": 60, "pht": 25, "uhsussex": 15}, "deadlock": "chair_casting_vote"}})))
    sets += [(f"generated-{i:02d}", yaml.safe_dump(data, sort_keys=False))
             for i, data in enumerate(draw_many(answers(), 40, 0))]
    return sets


def notes_naming_absent(ids: set[str], models: tuple[str, ...]) -> tuple[int, list[str]]:
    """The drafting notes of the clauses and schedules `ids` read over `_note_sets`, and each
    that names one of `models` (lint's other-model vocabulary) or a kind of member the
    collaborative lacks, as "set file id: “phrase” without what"."""
    from drafting.build.pack import build_document, plan
    from drafting.errors import AnswersError
    from drafting.read.library import load_library
    from drafting.read.load import parse_answers
    from drafting.review.lint.checks import _STATUTE, Env, _hide
    from drafting.review.lint.phrases import phrase_index
    from drafting.review.lint.text import document_text
    from drafting.review.lint.vocabulary import load_vocabulary

    library, vocabulary = load_library(), load_vocabulary()
    wrong: list[str] = []
    notes_read = 0
    for name, text in _note_sets():
        try:
            loaded = parse_answers(text, f"{name}.yaml")
        except AnswersError:
            continue  # a generated set the rules refuse is not drafted
        answers = loaded.answers
        kinds = {m.kind for m in answers.members}
        env = Env(answers=answers, library=library, vocabulary=vocabulary)
        for item in plan(answers):
            document = build_document(library, loaded, item.kind, item.partner_id)
            doc = document_text(document, item.filename, answers, library)
            closed = {p: e.name for e in vocabulary.other_models
                      if e.name in models and not env.holds(doc, e.when) for p in e.phrases}
            closed |= {p: e.kind for e in vocabulary.member_kinds if e.kind not in kinds
                       for p in e.phrases}
            index = phrase_index(tuple(sorted(closed)))
            for part in [*document.clauses, *document.schedules]:
                if part.id not in ids or not part.note:
                    continue
                notes_read += 1
                for hit in index.finditer(_hide(part.note, _STATUTE)):
                    wrong.append(f"{name} {item.filename} {part.id}: "
                                 f"“{hit.phrase}” without {closed[hit.phrase]}")
    return notes_read, wrong


class TestNotesFollowTheModel:
    def test_a_note_names_no_model_or_member_kind_the_collaborative_lacks(self) -> None:
        notes_read, wrong = notes_naming_absent(
            GOVERNANCE_IDS, ("lead provider", "head contract", "casting vote", "covenant member"))
        assert notes_read > 100
        assert not wrong, "\n".join(sorted(set(wrong)))


# --------------------------------------------------------------------------- G14 overrides

OVERRIDES = "Answers this draft does not follow, and why, to confirm with the client:"
CASTING_OVERRIDE = ("the deadlock clause: the answers give {who} a casting vote, but decisions "
                    "need a special majority, which a casting vote could never make, so there is "
                    "no casting vote and a deadlock goes to the next step of the deadlock "
                    "procedure")
DATA_OVERRIDE = ("the data protection clause: the answers make the members joint controllers, "
                 "but the members share no information that identifies a patient, so each "
                 "member is a separate controller of the data it holds")
RECONFIGURATION_OVERRIDE = ("the reserved matters: the answers reserve reconfiguring services, but "
                            "the lead provider commissions the services")
# round 14: the agreement's IP clause asks every voting member's board to approve a
# commercialisation, which the NHS IP guidance answer does not say: a departure the checklist lists
IP_OVERRIDE = ("the intellectual property clause: the answers choose the NHS intellectual property "
               "guidance for commercialisation, which sets no approval rule")
SPECIAL = {"voting": "special_majority", "special_majority_percent": 75, "weight_basis": None}
# (answers, changes, the overrides the checklist must list)
OVERRIDDEN = [
    (JOINT, {}, [CASTING_OVERRIDE.format(who="the chair")]),
    (DOMINANT, {"governance": SPECIAL},
     [CASTING_OVERRIDE.format(who="the lead provider"), RECONFIGURATION_OVERRIDE]),
    (JOINT, {"data": {"kinds": "anonymised"}},
     [CASTING_OVERRIDE.format(who="the chair"), DATA_OVERRIDE]),
    (SOUTH, {}, []),
    (DOMINANT, {}, [RECONFIGURATION_OVERRIDE]),
    (SHARED, {}, [IP_OVERRIDE]),
]


class TestOverriddenAnswersInTheChecklist:
    @pytest.mark.parametrize(("path", "changes", "expected"),
                             [pytest.param(p, c, e, id=_id(p, c)) for p, c, e in OVERRIDDEN])
    def test_the_checklist_lists_each_answer_the_library_overrides(
            self, draft, path, changes, expected) -> None:
        pack = draft(path, **changes)
        checked = 0
        for name, notes in pack.notes.items():
            if name not in BOARD_DOCUMENTS:
                continue
            checked += 1
            checklist = notes[0] if notes and notes[0].startswith("Checklist") else ""
            # the IP departure is listed only where the document has the IP clause
            wanted = [o for o in expected
                      if o != IP_OVERRIDE or pack[name].has("Intellectual property")]
            if not wanted:
                assert OVERRIDES not in " ".join(notes), name
                continue
            assert OVERRIDES in checklist, (name, checklist)
            listed = checklist.split(OVERRIDES, 1)[1]
            for override in wanted:
                if override == DATA_OVERRIDE and not pack[name].has("Data protection"):
                    assert override not in listed, name
                    continue
                assert override in listed, (name, listed)
        assert checked


# --------------------------------------------------------------------------- G4 shared CEO

SHARED_CEO = re.compile(r"Because (.+?) share a chief executive, (?:where more than one of them "
                        r"is concerned )?each of them is represented at the meeting of the chief "
                        r"executives under this clause by (?:the chair of its Member Board|its "
                        r"chair) or a non-executive director whom (?:that|its) chair names\.")


class TestSharedChiefExecutive:
    @pytest.mark.parametrize(("path", "changes"), _sets([(SHARED, {}), (WEST, {})]))
    def test_every_step_of_chief_executives_has_a_substitute(self, draft, path, changes) -> None:
        pack = draft(path, **changes)
        steps = 0
        for doc in pack.values():
            for title, text in doc.parts.items():
                if "the chief executives (or, for a body without one, the accountable " \
                   "officers)" in text or "refers a Deadlock to the chief executives" in text:
                    steps += 1
                    assert SHARED_CEO.search(text), (doc.name, title)
        assert steps >= 2

    def test_no_substitute_without_a_shared_chief_executive(self, draft) -> None:
        for doc in draft(NORTH_EAST).values():
            assert "share a chief executive" not in doc.text, doc.name


# --------------------------------------------------------------------------- G9 prevails


class TestPrevailsOnlyInThePrecedenceClause:
    @pytest.mark.parametrize("path", [DOMINANT, NORTH_EAST, WEST, JOINT, SHARED, MOU_THEN],
                             ids=lambda p: p.stem)
    def test_the_board_terms_schedule_points_to_the_order_of_precedence(self, draft, path) -> None:
        agreement = draft(path)["collaboration-agreement.docx"]
        summary = agreement.clause("Board terms of reference")
        assert "prevail" not in summary
        assert re.search(r"Where it differs from the clauses of this Agreement, the clauses "
                         r"apply, in the order of precedence in clause \d+\.\d+\.", summary)
        assert "take precedence in this order" in agreement.clause("Interpretation")


# --------------------------------------------------------------------------- G11 secretariat

SECRETARIAT_SETS = [(p, {}) for p in (DOMINANT, NORTH_EAST, WEST, SOUTH, JOINT, SHARED,
                                       MOU_THEN)] + [
    (WEST, {"governance": {"managing_director": "none", "staffing": "each_employs_own"}}),
]


class TestWhoSupportsTheBoard:
    @pytest.mark.parametrize(("path", "changes"), _sets(SECRETARIAT_SETS))
    def test_the_secretariat_is_named_once_and_stands_in_for_a_missing_director(
            self, draft, path, changes) -> None:
        from tests.test_governance_review import answers_of
        answers = answers_of(path, **changes)
        documents = board_documents(draft(path, **changes))
        assert documents
        for doc in documents:
            text = doc.text
            named = re.findall(r"The Lead Provider provides the secretariat of the Board\.|The "
                               r"secretariat of the Board is provided by (?:\[●\], the Member "
                               r"that hosts the collaboration|the Host Member under clause \d+|"
                               r"the Member that hosts the Collaborative under the Agreement)",
                               text)
            assert len(named) == 1, (doc.name, named)
            assert ("Lead Provider provides" in named[0]) == (answers.lead_provider is not None)
            assert "shared team that the Board appoints" not in text
            # round 13: the defined term "the Collaborative" replaces "the collaboration"
            no_director = "The Collaborative has no managing director: the secretariat " \
                          "supports the Chair" in text
            assert no_director == (answers.governance.managing_director == "none"), doc.name
            if answers.governance.managing_director == "none":
                assert "Managing Director" not in text, doc.name


# --------------------------------------------------------------------------- G12 not delegated

NOTHING_DELEGATED = [
    (NORTH_EAST, {}), (DOMINANT, {}),
    (WEST, {"governance": {"vehicle": "partnership_board", "committee_members": None,
                           "non_executive_member": None}}),
]


class TestPartnershipBoardIsNotDelegatedTo:
    @pytest.mark.parametrize(("path", "changes"), _sets(NOTHING_DELEGATED))
    def test_no_power_is_said_to_be_delegated_to_a_partnership_board(
            self, draft, path, changes) -> None:
        pack = draft(path, **changes)
        documents = board_documents(pack)
        assert len(documents) == 2
        for doc in documents:
            assert not re.search(r"(?:matters|powers?|functions?|authority) (?:\w+ )?delegated "
                                 r"to (?:the Board|it)\b", doc.text), doc.name
            assert "has not delegated under clause" not in doc.text, doc.name
        terms = pack["committee-terms.docx"].clause("Constitution and authority")
        assert re.search(r"The Board decides by the Members' agreement, through the authority each "
                         r"Representative holds under clause 1\.\d+: no Member Board delegates a "
                         r"function to the Board itself", terms)


# --------------------------------------------------------------------------- G6 representatives

AUTHORITY_NOTE = ("A representative need not be a director of its member, but one who takes "
                  "decisions for its member under a delegation must hold that authority under "
                  "the member's own scheme of delegation")
COMMITTEE_AUTHORITY_NOTE = ("Each of them who takes decisions for its member under a delegation must "
                            "hold that authority under the member's own scheme of delegation")


class TestRepresentativesAuthorityNote:
    @pytest.mark.parametrize("path", BOARD_SETS, ids=lambda p: p.stem)
    def test_the_board_note_asks_for_the_delegated_authority(self, draft, path) -> None:
        from tests.test_governance_review import answers_of
        council = any(m.kind == "local_authority" for m in answers_of(path).members)
        pack = draft(path)
        documents = board_documents(pack)
        assert documents
        # Committee members must be directors (round 7), so their note names no exception.
        committees = answers_of(path).governance.vehicle in ("committees_in_common", "joint_committee")
        phrase = COMMITTEE_AUTHORITY_NOTE if committees else AUTHORITY_NOTE
        for doc in documents:
            notes = " ".join(pack.notes[doc.name])
            assert phrase in notes, doc.name
            assert not committees or "need not be a director" not in notes, doc.name
            said = notes.split(phrase, 1)[1][:60]
            assert ("(or, for a local authority, its constitution)" in said) == council

    def test_an_advisory_group_has_no_such_note(self, draft) -> None:
        pack = draft(SOUTH, governance={"vehicle": "advisory_group", "deadlock": "refer_to_boards",
                                        "voting": "consensus", "special_majority_percent": None,
                                        "reserved_matters": [], "delegated_matters": [],
                                        "committee_members": None, "non_executive_member": None,
                                        "lead_provider_veto": None})
        documents = board_documents(pack)
        assert documents
        for doc in documents:
            assert AUTHORITY_NOTE not in " ".join(pack.notes[doc.name]), doc.name


# --------------------------------------------------------------------------- G15 ICB names

ICB_SETS = [(p, {}) for p in (DOMINANT, NORTH_EAST, WEST, JOINT, SHARED, MOU_THEN)] + [
    (WEST, {"collaborative": {"ics": ["West Yorkshire ICS", "Humber and North Yorkshire"]}}),
]


class TestIntegratedCareBoardNames:
    @pytest.mark.parametrize(("path", "changes"), _sets(ICB_SETS))
    def test_each_board_is_called_by_its_legal_name(self, draft, path, changes) -> None:
        from tests.test_governance_review import answers_of
        systems = answers_of(path, **changes).collaborative.ics
        agreement = draft(path, **changes)["collaboration-agreement.docx"]
        reporting = agreement.clause("Reporting and accountability")
        found = re.search(r"(?:The Board|It) keeps (.*?) informed of its plans and progress",
                          reporting)
        assert found, reporting
        named = found.group(1)
        if named == "the Commissioner":
            # round 13 (reporting v10): where the integrated care boards are the Commissioner,
            # the clause calls them so; their legal names are then in that definition
            definition = re.search(r"“Commissioner” means (.*?)(?:, so far as|;|\.)",
                                   agreement.text)
            assert definition, "no Commissioner definition"
            named = definition.group(1)
        assert "integrated care board for" not in named
        for system in systems:
            plain = re.sub(r" (?:ICS|Integrated Care System)$", "", system.strip())
            assert f"NHS {plain} Integrated Care Board" in named, (system, named)
        notes = " ".join(draft(path, **changes).notes["collaboration-agreement.docx"])
        assert "check each name against NHS England's list of integrated care boards" in notes

    @pytest.mark.parametrize(("name", "flagged"), [
        ("NHS West Yorkshire Integrated Care Board", False), ("West Yorkshire ICB", True)])
    def test_the_members_note_flags_a_board_named_otherwise(self, draft, name, flagged) -> None:
        from tests.test_governance_review import answers_of
        members = [m.model_dump(mode="json", by_alias=True, exclude_none=True)
                   for m in answers_of(DOMINANT).members]
        for m in members:
            if m["kind"] == "icb":
                m["name"] = name
        notes = " ".join(draft(DOMINANT, members=members).notes["collaboration-agreement.docx"])
        assert "An integrated care board's legal name is NHS followed by the name of its " \
               "integrated care system and Integrated Care Board" in notes
        assert (f"{name} does not read so" in notes) == flagged
