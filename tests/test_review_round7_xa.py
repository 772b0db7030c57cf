"""The seventh review's requests to the definitions, the general clauses, interpretation, dispute
resolution, ethical standards, the glossary and the parties block, as rules over many answer sets.

Each request came from one document of one pack but is a rule of the clause library, so each test
drafts every document of its kind from the bundled examples, the scenario answer sets and
generated answer sets (as `drafting lint` draws them). The names (B1.1 ...) are the review's:
report B, document 1, finding 1.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

import docx

from drafting.build.pack import build_document, plan
from drafting.model import Document, plain
from drafting.read.load import LoadedAnswers, load_answers
from drafting.write.docx import write_docx
from tests.test_partner_review import ALL, clause_text, library
from tests.test_review_round5_mou import generated
from tests.test_review_round6_sc import note, number_of

HSB = {"nhs_trust", "nhs_foundation_trust", "icb", "nhs_england"}


@lru_cache(maxsize=1)
def drafted() -> tuple[tuple[str, LoadedAnswers, Document], ...]:
    """(label, answers, document) for every document of every answer set."""
    sets = [load_answers(p) for p in ALL] + list(generated())
    return tuple((f"{loaded.file}/{p.filename}", loaded,
                  build_document(library(), loaded, p.kind, p.partner_id))
                 for loaded in sets for p in plan(loaded.answers))


def of_kind(kind: str) -> list[tuple[str, LoadedAnswers, Document]]:
    return [d for d in drafted() if d[2].kind == kind]


def definition(document: Document, term: str) -> str:
    """The words of the definition of `term`, or "" when the document does not define it."""
    found = re.search(rf"“{re.escape(term)}” means (.*?)(?= “[A-Z][^”]*” means|$)",
                      clause_text(document, "definitions"))
    return found.group(1) if found else ""


def parties_of(loaded: LoadedAnswers, document: Document) -> list:
    if document.kind == "sub_contract":
        return [m for m in loaded.answers.members if m.name in document.fields["parties"]]
    if document.kind in ("accession_deed", "data_sharing"):
        return [m for m in loaded.answers.members if m.member_class != "observer"]
    return list(loaded.answers.members)


def has_observer(loaded: LoadedAnswers) -> bool:
    return any(m.member_class == "observer" for m in loaded.answers.members)


# --------------------------------------------------------------------------- B1.1 jurisdiction


class TestB11NoCourtsBetweenNhsBodies:
    """Where every party is a Health Service Body, the governing-law clause gives the courts no
    exclusive jurisdiction: the dispute goes by the dispute resolution clause."""

    def test_over_every_agreement_and_sub_contract(self) -> None:
        nhs_only = mixed = 0
        for label, loaded, doc in of_kind("sub_contract") + of_kind("collaboration_agreement"):
            law = next(p for p in clause_text(doc, "boilerplate").split(". ")
                       if "governed by the law of England" in p)
            general = clause_text(doc, "boilerplate")
            # round 9 (C1.1): the governing law only points to the dispute clause, whose
            # routing sub-clause alone sends a dispute to section 9 (to the extent of an NHS
            # contract between Health Service Bodies) or to the courts
            assert "exclusive jurisdiction" not in general, (label, law)
            assert re.search(rf"Clause {number_of(doc, 'dispute-resolution')}\.\d+ says where a "
                             "dispute is resolved", general), (label, law)
            disputes = clause_text(doc, "dispute-resolution")
            if all(m.kind in HSB for m in parties_of(loaded, doc)):
                nhs_only += 1
                assert "determination under section 9 of the NHS Act" in disputes, label
                assert "is not referred to the courts" in disputes, label
            else:
                mixed += 1
                assert "courts of England and Wales, which have exclusive jurisdiction" in disputes, label
        assert nhs_only >= 5 and mixed >= 5, (nhs_only, mixed)


# --------------------------------------------------------------------------- notices


class TestNoticesToAnObserversNamedContact:
    def test_over_every_agreement(self) -> None:
        seen = 0
        for label, loaded, doc in of_kind("collaboration_agreement"):
            notices = clause_text(doc, "boilerplate")
            # round 11: one addressee for every party, an Observer included: the person the
            # schedule of members shows for it for notices.
            # round 13: the words of Schedule 1's column heading, "person for notices".
            assert "marked for the attention of the person for notices shown for it in Schedule" \
                in notices, label
            assert "named contact" not in notices and "Representative" not in notices, label
            seen += has_observer(loaded)
        assert seen >= 3


# --------------------------------------------------------------------------- B1.5 precedence


class TestB15ParticularsRankLast:
    def test_over_every_sub_contract(self) -> None:
        subs = of_kind("sub_contract")
        for label, _, doc in subs:
            words = clause_text(doc, "interpretation")
            order = words[words.index("take precedence in this order"):]
            particulars = order.index(f"clause {number_of(doc, 'sc-particulars')} (Particulars)")
            assert particulars > order.index("any other document referred to in"), label
            assert particulars > order.index("Flow-Down Provisions"), label
            assert "leaves the collaboration" not in words, label
        assert len(subs) >= 10


# --------------------------------------------------------------------------- B1.4 contract year


class TestB14SubContractYearFromServiceCommencement:
    def test_over_every_sub_contract(self) -> None:
        for label, _, doc in of_kind("sub_contract"):
            year = definition(doc, "Contract Year")
            assert "the first Contract Year starts on the Service Commencement Date" in year, label
            assert not re.search(r"(?<!Service )Commencement Date", year), (label, year)


# --------------------------------------------------------------------------- B1.3 observers


class TestB13NoObserverInTwoPartyDocuments:
    """A document to which no observer is a party (a sub-contract, an accession deed) does not
    tell the reader that an observer signs it; its "Member" (a party to the agreement) still
    leaves the agreement's Observer out, as the agreement's own definition does (round 9, A3.1,
    B1.4: an Observer is a party to the agreement, so without the words it would be a Member)."""

    def test_over_every_document(self) -> None:
        checked = noted = 0
        for label, loaded, doc in drafted():
            if not has_observer(loaded) or doc.kind in ("committee_terms",):
                continue
            member = definition(doc, "Member")
            signs = "An observer (typically the ICB) signs as a party" in note(doc, "definitions")
            if doc.kind == "accession_deed" and not member:
                # round 14: the deed takes "Member" from the Agreement, whose definitions it
                # incorporates (that definition leaves the Observer out, checked below)
                assert "Member" in doc.incorporated_terms, label
                assert not signs, label
                continue
            if doc.kind in ("sub_contract", "accession_deed"):
                checked += 1
                assert "other than as an observer" in member.lower(), (label, member)
                assert not signs, label
            elif doc.kind == "collaboration_agreement":
                noted += 1
                assert signs, label
        assert checked >= 5 and noted >= 3, (checked, noted)


class TestObserverDefinitionFollowsTheDocument:
    def test_mou_defines_only(self) -> None:
        seen = 0
        for label, loaded, doc in of_kind("mou"):
            observer = definition(doc, "Observer")
            if not observer:
                continue
            seen += 1
            # round 13: it ends "for as long as it remains a party", as the Member definition does
            assert re.search(r"admitted as an observer under clause \d+\.\d+, which is a party only "
                             r"as an observer and is not a Member, for as long as it remains a "
                             r"party$", observer), (label, observer)
        assert seen >= 2

    def test_deed_binds_by_the_agreement_s_list(self) -> None:
        seen = 0
        for label, loaded, doc in of_kind("accession_deed"):
            observer = definition(doc, "Observer")
            if not observer:
                continue
            seen += 1
            assert re.search(r"it is bound only by the provisions of the Agreement listed in "
                             r"(its clause headed “Legal status”|clause \d+ \(Legal status\) of "
                             r"the Agreement)", observer), (label, observer)
            assert "provisions on confidentiality" not in observer, label
        assert seen >= 2

    def test_no_surplus_or_deficit_without_a_shared_budget(self) -> None:
        without = 0
        for label, loaded, doc in drafted():
            observer = definition(doc, "Observer")
            if not observer:
                continue
            shared = loaded.answers.finance.model in ("shared_control_total", "lead_holds_budget")
            # round 11: the definition carries no rules (what binds an Observer is in the
            # clause it points to), so no surplus or deficit in it under any finance model.
            assert "surplus or deficit" not in observer, (label, observer)
            without += not shared
        assert without >= 1


class TestReservedMattersOfTheVotingMembers:
    def test_over_every_document(self) -> None:
        seen = 0
        for label, _, doc in drafted():
            reserved = definition(doc, "Reserved Matters")
            if not reserved or doc.kind in ("collaboration_agreement", "committee_terms"):
                continue
            seen += 1
            # round 9: the deed cites the agreement's Reserved Matters schedule by number
            assert "unanimous decision of the Voting Members" in reserved \
                or "unanimous decision of the voting members" in reserved \
                or re.fullmatch(r"the matters listed in Schedule \d+ \(Reserved matters\) of the "
                                r"Agreement", reserved), (label, reserved)
            assert "the collaboration agreement" not in reserved, (label, reserved)
        assert seen >= 3


# --------------------------------------------------------------------------- Collaboration Agreement


class TestCollaborationAgreementDefinedOnce:
    def test_sub_contract_definition_comes_from_the_definitions_clause(self) -> None:
        lib = library()
        for label, loaded, doc in of_kind("sub_contract"):
            words = definition(doc, "Collaboration Agreement")
            if not words:
                continue
            assert words.startswith("the collaboration agreement relating to the Collaborative "
                                    "between the Members"), (label, words)
            member = definition(doc, "Member")
            if "collaboration_agreement" in loaded.answers.documents:
                assert "party to the Collaboration Agreement" in member, (label, member)
        for path in sorted((lib.root / "sc-particulars").glob("v*.md")):
            if "status: current" in path.read_text():
                assert "  Collaboration Agreement:" not in path.read_text(), path
        definitions = [p.read_text() for p in (lib.root / "definitions").glob("v*.md")
                       if "status: current" in p.read_text()]
        assert len(definitions) == 1
        assert ("the collaboration agreement the [[Member]]s intend to enter into to\n"
                "    replace this memorandum") in definitions[0]


# --------------------------------------------------------------------------- B1.2 ethical standards


class TestB12EthicalStandardsAddsNoBreachRule:
    def test_over_every_sub_contract(self) -> None:
        cited = 0
        for label, _, doc in of_kind("sub_contract"):
            words = clause_text(doc, "ethical-standards")
            assert "is a material breach of this Sub-Contract" not in words, label
            # round 13: ethical-standards v8 deletes the sub-contract's expulsion sentence; the
            # contract-management clause says once that the sub-contract adds no ground
            assert "expulsion" not in words, (label, words)
            management = clause_text(doc, "sc-contract-management")
            if "adds no ground of expulsion" in management:
                cited += 1
                assert re.search(r"clause \d+ \(Expulsion[^)]*\) of the Collaboration "
                                 r"Agreement; this Sub-Contract adds no ground of expulsion",
                                 management), (label, management)
        assert cited >= 1


# --------------------------------------------------------------------------- MOU disputes


class TestMouLastStepLeavesBindingProvisionsToStatus:
    def test_over_every_non_binding_mou(self) -> None:
        seen = 0
        for label, loaded, doc in of_kind("mou"):
            if loaded.answers.mou_is_binding:
                continue
            status = clause_text(doc, "status")
            if "The following provisions are legally binding" not in status:
                continue
            seen += 1
            words = clause_text(doc, "dispute-resolution")
            assert re.search(r"withdraw from this memorandum under clause \d+\.\d+, except that a "
                             r"dispute about a provision listed in clause \d+\.\d+ goes on as "
                             r"clause \d+\.\d+ provides\.", words), (label, words[-400:])
        assert seen >= 4


# --------------------------------------------------------------------------- parties


class TestObserverNamedAsObserver:
    def test_front_page_and_parties_block(self) -> None:
        seen = 0
        for label, loaded, doc in drafted():
            for m in loaded.answers.members:
                if m.member_class != "observer" or m.name not in doc.fields["parties"]:
                    continue
                seen += 1
                assert f"{m.name} (as observer)" in doc.fields["parties"], label
                line = next(" ".join(plain(p.inlines, {}, {}).split()) for p in doc.parties
                            if m.name.upper() in plain(p.inlines, {}, {}))
                assert line.endswith("(as observer)"), (label, line)
            for m in loaded.answers.members:
                if m.member_class != "observer":
                    assert f"{m.name} (as observer)" not in doc.fields["parties"], label
        assert seen >= 4

    def test_in_word(self) -> None:
        seen = 0
        for label, loaded, doc in drafted()[:60]:
            observers = [m for m in loaded.answers.members if m.member_class == "observer"
                         and m.name in doc.fields["parties"]]
            if not observers:
                continue
            seen += 1
            paragraphs = [p.text for p in docx.Document(io.BytesIO(write_docx(doc))).paragraphs]
            for m in observers:
                assert any(p.startswith("(") and m.name.upper() in p and p.endswith("(as observer)")
                           for p in paragraphs), label
        assert seen >= 2


# --------------------------------------------------------------------------- glossary


class TestGlossaryNamesTheDefinedTerms:
    def test_casting_vote_and_voting_tables(self) -> None:
        for label, _, doc in of_kind("collaboration_agreement"):
            text = " ".join(" ".join(plain(b.inlines, {}, {}) for b in s.blocks
                                     if hasattr(b, "inlines")) for s in doc.schedules)
            assert "The lead provider's representative has a casting vote" not in text, label
        entries = library().glossary.entries
        text, table = entries["governance.deadlock"]["lead_provider_casting_vote"]
        assert table == "The [[Lead Provider]] has a casting vote"
        assert text == "a casting vote of the [[Lead Provider]]"
        assert entries["governance.deadlock"]["chair_casting_vote"][1] == \
            "The [[Chair]] has a casting vote"
        for value in ("consensus", "simple_majority", "special_majority", "unanimity", "weighted"):
            assert "voting member" not in entries["governance.voting"][value][1], value
