"""The partner's round-7 findings on words shared by every document, as rules over many answer
sets (the examples, the scenarios and generated collaboratives).

1. No lower-case use of a defined term where the term is meant (a lint check, LOWER-CASE-TERM).
2. A drafting note names nothing the pack lacks (a lint check, NOTE-MODEL).
3. "Commissioner" is built from each integrated care board's legal name, with NHS England only
   when it commissions a Service.
4. A term the shared definitions need but the operative text never uses is written out inside
   the definition, not defined.
5. A list of provisions never names a clause and its own sub-clause (a lint check, CLAUSE-LIST).
7. "Member Board" names only the kinds of member the collaborative has; "the other Member" or
   "the others" follows the number of Members.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest

from drafting.build.pack import build_document, plan
from drafting.read.library import load_library
from drafting.read.load import LoadedAnswers, load_answers
from drafting.review.lint.checks import (
    WARNINGS,
    Env,
    Finding,
    check_clause_lists,
    check_lower_case_terms,
    check_notes,
)
from drafting.review.lint import run
from drafting.review.lint.run import LintReport
from drafting.review.lint.text import DocumentText, Passage, document_text
from drafting.review.lint.vocabulary import load_vocabulary
from tests.test_partner_review import ALL, DOMINANT, MOU_ONLY, SHARED, changed
from tests.test_review_round5_mou import generated
from tests.test_review_round6_gov import ids_of

# the shared clauses this area owns: lint must find nothing in them
OWN = {"definitions", "interpretation", "boilerplate", "dispute-resolution", "variation",
       "commencement-term", "complaints", "force-majeure", "ethical-standards", "clinical-model"}


def answer_sets() -> list[tuple[str, LoadedAnswers]]:
    own = [(p.stem, load_answers(p)) for p in ALL]
    return own + [(la.file, la) for la in generated()[:30]]


@cache
def texts(name: str) -> tuple[list[DocumentText], Env]:
    loaded = dict(answer_sets())[name]
    library, answers = load_library(), loaded.answers
    env = Env(answers=answers, library=library, vocabulary=load_vocabulary())
    docs = [document_text(build_document(library, loaded, p.kind, p.partner_id), p.filename,
                          answers, library) for p in plan(answers)]
    env.pack_terms = {term for doc in docs for term in doc.definitions}
    return docs, env


NAMES = [name for name, _ in answer_sets()]


def _passage(text: str) -> Passage:
    return Passage("fx", "body", text, text)


def _with(doc: DocumentText, *passages: Passage) -> DocumentText:
    return dataclasses.replace(doc, passages=[*doc.passages, *passages], memo={})


# --------------------------------------------------------------------------- 1 lower case


class TestLowerCaseDefinedTerms:
    def test_the_check_fires_on_a_lower_case_defined_term(self) -> None:
        docs, env = texts(DOMINANT.stem)
        agreement = next(d for d in docs if d.kind == "collaboration_agreement")
        assert not [f for f in check_lower_case_terms(agreement, env) if f.source == "fx"]
        found = list(check_lower_case_terms(_with(
            agreement, _passage("The lead provider reports to each voting member of the "
                                "collaborative.")), env))
        fired = [f for f in found if f.source == "fx"]
        assert {f.kind for f in fired} == {"LOWER-CASE-TERM"}
        assert [f.what.split("”")[0] for f in fired] == \
            ["“lead provider", "“voting member", "“collaborative"]

    def test_generic_words_headings_and_a_terms_own_definition_do_not_fire(self) -> None:
        docs, env = texts(DOMINANT.stem)
        agreement = next(d for d in docs if d.kind == "collaboration_agreement")
        quiet = _with(agreement,
                      _passage("NHS England's guidance on a provider collaborative applies."),
                      _passage("as clause 21 (Risk share and gain share) provides"),
                      Passage("fx", "definition", "“Lead Provider” means X as lead provider",
                              "“Lead Provider” means X as lead provider", term="Lead Provider"))
        assert not [f for f in check_lower_case_terms(quiet, env) if f.source == "fx"]

    @pytest.mark.parametrize("name", NAMES, ids=ids_of)
    def test_the_shared_clauses_use_the_defined_terms(self, name: str) -> None:
        docs, env = texts(name)
        wrong = [f.line() for doc in docs for f in check_lower_case_terms(doc, env)
                 if f.source in OWN]
        assert not wrong, "\n".join(wrong)


# --------------------------------------------------------------------------- 2 notes


class TestNotesNameOnlyWhatThePackHas:
    def test_the_check_fires_on_a_note_naming_an_absent_model(self) -> None:
        docs, env = texts(DOMINANT.stem)  # a partnership board: no committees in common
        agreement = next(d for d in docs if d.kind == "collaboration_agreement")
        clause = agreement.document.clauses[0]
        noted = dataclasses.replace(clause, note="Check the committees in common approve it.")
        document = dataclasses.replace(agreement.document,
                                       clauses=[noted, *agreement.document.clauses[1:]])
        found = list(check_notes(dataclasses.replace(agreement, document=document, memo={}), env))
        assert [f.kind for f in found if f.source == clause.id] == ["NOTE-MODEL"]
        assert "committees in common" in found[0].what

    def test_the_check_fires_on_a_term_the_document_does_not_define(self) -> None:
        docs, env = texts(MOU_ONLY.stem)
        mou = next(d for d in docs if d.kind == "mou")
        assert "Lead Provider" not in mou.definitions
        clause = mou.document.clauses[0]
        noted = dataclasses.replace(clause, note="The Head Contract Manager checks this.")
        document = dataclasses.replace(mou.document, clauses=[noted, *mou.document.clauses[1:]])
        found = [f for f in check_notes(dataclasses.replace(mou, document=document, memo={}), env)
                 if f.source == clause.id]
        assert found and all(f.kind == "NOTE-MODEL" for f in found)

    @pytest.mark.parametrize("name", NAMES, ids=ids_of)
    def test_the_shared_clauses_notes_follow_the_pack(self, name: str) -> None:
        docs, env = texts(name)
        wrong = [f.line() for doc in docs for f in check_notes(doc, env) if f.source in OWN]
        assert not wrong, "\n".join(wrong)

    def test_the_new_checks_are_problems_now_the_library_is_clean(self, monkeypatch) -> None:
        assert not {"LOWER-CASE-TERM", "NOTE-MODEL", "CLAUSE-LIST"} & WARNINGS
        note = Finding("NOTE-MODEL", "x", "what", "quote")
        problem = Finding("RAW-VALUE", "x", "what", "quote")
        assert LintReport([note, problem]).problems == [note, problem]
        # a check landed as a warning is printed but does not count as a problem
        monkeypatch.setattr(run, "WARNINGS", frozenset({"NOTE-MODEL"}))
        report = LintReport([note, problem], answers=1, documents=2)
        assert report.problems == [problem] and report.warnings == [note]
        assert report.summary() == "1 answers, 2 documents, 1 problems, 1 warnings"
        assert LintReport([problem]).summary().endswith("1 problems")


# --------------------------------------------------------------------------- 3 Commissioner


def _definition(doc: DocumentText, term: str) -> str:
    return " ".join(p.text for p in doc.definitions.get(term, []))


class TestCommissionerByLegalName:
    @pytest.mark.parametrize("name", NAMES, ids=ids_of)
    def test_each_icb_by_its_legal_name_and_nhs_england_only_as_commissioner(self,
                                                                             name: str) -> None:
        docs, env = texts(name)
        answers = env.answers
        for doc in docs:
            meaning = _definition(doc, "Commissioner")
            if not meaning or answers.head_contract:
                continue
            assert "each integrated care board for" not in meaning, doc.name
            for footprint in answers.collaborative.ics:
                place = footprint.strip().removesuffix(" ICS")
                assert f"NHS {place} Integrated Care Board" in meaning or any(
                    place in m.name and m.name in meaning for m in answers.members), doc.name
            nhse = "NHS England" in meaning
            assert nhse == any(m.kind == "nhs_england" for m in answers.members), doc.name

    def test_nhs_england_when_it_takes_part(self) -> None:
        loaded = changed(SHARED)
        members = [m.model_dump(by_alias=True, mode="json") for m in loaded.answers.members]
        members.append({**members[-1], "id": "nhse", "name": "NHS England",
                        "kind": "nhs_england", "class": "observer"})
        with_nhse = changed(SHARED, members=members)
        assert with_nhse.answers.nhs_england_commissions
        assert not loaded.answers.nhs_england_commissions


# --------------------------------------------------------------------------- 4 definitions by use

# terms that the shared definitions clause writes out where only a definition needs them
WRITTEN_OUT = ("CQC", "NHS Act", "Commencement Date", "Observer", "Voting Member", "Services")


class TestDefinitionsFilteredByOperativeUse:
    @pytest.mark.parametrize("name", NAMES, ids=ids_of)
    def test_each_written_out_term_is_defined_only_where_the_text_uses_it(self,
                                                                          name: str) -> None:
        docs, _env = texts(name)
        for doc in docs:
            operative = " ".join(p.text for p in doc.passages
                                 if p.role in ("body", "list", "row", "header"))
            for term in WRITTEN_OUT:
                if term in doc.definitions:
                    assert term in operative, (doc.name, term)

    def test_the_definition_writes_the_term_out_instead(self) -> None:
        docs, _env = texts(SHARED.stem)
        terms = next(d for d in docs if d.kind == "committee_terms")
        assert "CQC" not in terms.definitions
        assert "the Care Quality Commission" in _definition(terms, "Law")


# --------------------------------------------------------------------------- 5 clause lists


class TestClauseListsCountEachProvisionOnce:
    def test_the_check_fires_on_a_clause_and_its_sub_clause(self) -> None:
        docs, env = texts(DOMINANT.stem)
        agreement = next(d for d in docs if d.kind == "collaboration_agreement")
        listed = _with(agreement, _passage(
            "It is bound by clause 12 (reports), clause 38.1 (notices) and clause 38 (general). "
            "Clause 9.1 (voting) applies under clause 9 (the Board)."))
        found = [f for f in check_clause_lists(listed, env) if f.source == "fx"]
        assert [f.what.split(",")[0] for f in found] == ["clause 38.1 and clause 38"]

    def test_different_clauses_and_separate_sentences_do_not_fire(self) -> None:
        docs, env = texts(DOMINANT.stem)
        agreement = next(d for d in docs if d.kind == "collaboration_agreement")
        listed = _with(agreement, _passage(
            "It is bound by clause 3 (status) and clause 31.1 (notices). Clause 31 (general) "
            "applies to every party."))
        assert not [f for f in check_clause_lists(listed, env) if f.source == "fx"]

    @pytest.mark.parametrize("name", NAMES, ids=ids_of)
    def test_the_shared_clauses_list_each_provision_once(self, name: str) -> None:
        docs, env = texts(name)
        wrong = [f.line() for doc in docs for f in check_clause_lists(doc, env)
                 if f.source in OWN]
        assert not wrong, "\n".join(wrong)


# --------------------------------------------------------------------------- 7 member kinds


class TestMemberBoardByKind:
    @pytest.mark.parametrize("name", NAMES, ids=ids_of)
    def test_only_the_kinds_the_collaborative_has(self, name: str) -> None:
        docs, env = texts(name)
        kinds = {m.kind for m in env.answers.members if m.member_class != "observer"}
        for doc in docs:
            meaning = _definition(doc, "Member Board")
            if not meaning:
                continue
            # round 11c (definitions v12): a company and a voluntary-sector body are named
            # only where one is a Member, and a local authority's executive only where one is
            assert ("a company" in meaning) == ("independent_sector" in kinds), doc.kind
            assert ("voluntary, community or social enterprise body" in meaning) == \
                ("vcse" in kinds), doc.kind
            assert ("local authority" in meaning) == ("local_authority" in kinds), doc.kind
            # round 11 (definitions v11): the NHS boards and the catch-all for any other
            # Member are always stated, so a body of another kind that joins later is covered
            # round 12 (definitions v13): an NHS trust and an NHS foundation trust only where
            # one is a Member
            assert ("an NHS trust" in meaning) == ("nhs_trust" in kinds), doc.kind
            assert ("an NHS foundation trust" in meaning) == ("nhs_foundation_trust" in kinds)
            assert meaning.rstrip(". ").endswith(
                "and the equivalent governing body of any other Member"), meaning


OTHERS = ("tells the others promptly", "tells the other Members within",
          "and tells the other Members within 3 days")  # round 13: figures


class TestTheOtherByCount:
    @pytest.mark.parametrize("name", NAMES, ids=ids_of)
    def test_the_other_member_or_the_others_by_count(self, name: str) -> None:
        docs, env = texts(name)
        count = sum(m.member_class != "observer" for m in env.answers.members)
        for doc in docs:
            if doc.kind == "sub_contract":
                continue
            text = " ".join(p.text for p in doc.passages if p.source in OWN)
            if count == 2:
                assert not [o for o in OTHERS if o in text], doc.name

    def test_some_set_has_two_members(self) -> None:
        assert any(sum(m.member_class != "observer" for m in la.answers.members) == 2
                   and "collaboration_agreement" in la.answers.documents
                   for _n, la in answer_sets())
