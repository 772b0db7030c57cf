"""A healthcare partner's review of the sub-contract's status and governing-law sentences, of
definitions and signing lines copied between documents, of the board terms' Deadlock row and
of the words for identifiable commissioning data, as rules over many answer sets.

Each rule is checked on every document of its kind drafted from the bundled examples, the
scenario answer sets and the generated sets drawn from them. The names (B1.5, D3.4 ...) are
the review's: report B or D, document, finding.
"""

from __future__ import annotations

import pytest

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import clause_text, flat, library
from tests.test_review_round6_gov import caster_holds_majority, ids_of, schedule_row
from tests.test_review_round8_gov import deadlock_sets
from tests.test_review_round9_data import of_kind
from tests.test_review_round5_mou import built


NHS_BODIES = ("nhs_trust", "nhs_foundation_trust")


def sub_contracts() -> list[tuple[str, LoadedAnswers, Document, bool]]:
    """Every sub-contract, with whether both of its parties are NHS bodies (from the answers:
    the lead provider's kind and the partner's, whose id ends the label)."""
    out = []
    for label, loaded, doc in of_kind("sub_contract"):
        a = loaded.answers
        partner_id = label.rsplit("/", 1)[1]
        partner = next(m for m in a.members if m.id == partner_id)
        both = a.lead is not None and a.lead.kind in NHS_BODIES and partner.kind in NHS_BODIES
        out.append((label, loaded, doc, both))
    return out


# --------------------------------------------------------------------------- B1.5 status


class TestB15TheStatusSentenceFollowsThePartiesKinds:
    """Between two NHS bodies the sub-contract says plainly that it is an NHS contract whose
    disputes go to the Secretary of State, with no court limb; otherwise the courts only. No
    "to the extent that this Sub-Contract is an NHS contract" hedge."""

    def test_every_sub_contract(self) -> None:
        seen = {True: 0, False: 0}
        for label, _, doc, both in sub_contracts():
            seen[both] += 1
            text = clause_text(doc, "dispute-resolution")
            assert "To the extent that this Sub-Contract is" not in text, label
            assert "To the extent that this Sub-Contract is" not in flat(doc), label
            if both:
                assert ("this Sub-Contract is an NHS contract within the meaning of section 9 "
                        "of the NHS Act") in text, label
                assert "Secretary of State for Health and Social Care" in text, label
                assert "courts of England and Wales" not in text, label
                assert "start court proceedings" not in text, label
            else:
                assert "Secretary of State" not in text, label
                assert ("may be referred by either party to the courts of England and Wales"
                        ) in text, label
        assert seen[True] >= 2 and seen[False] >= 2, seen


# --------------------------------------------------------------------------- B2.5 governing law


class TestB25TheGoverningLawSentenceCitesTheRouteChosen:
    """The sub-contract's governing-law sentence names only the one route its dispute clause
    gives, never "(under the statutory route for NHS contracts or in the courts)"; the dispute
    clause alone states the route in full (the Secretary of State, section 9, the courts)."""

    def test_every_sub_contract(self) -> None:
        for label, _, doc, both in sub_contracts():
            number = doc.targets["dispute-resolution.routing"].number
            text = clause_text(doc, "boilerplate")
            assert "under the statutory route for NHS contracts or in the courts" not in text, \
                label
            if both:
                # round 23: only a dispute under it as an NHS contract stays out of the courts
                assert (f"Clause {number} says where a dispute is resolved (a dispute arising "
                        "under this Sub-Contract as an NHS contract under the statutory route for "
                        "NHS contracts, not in the courts).") in text, label
            else:
                assert (f"Clause {number} says where a dispute is resolved (in the courts)."
                        ) in text, label


# --------------------------------------------------------------------------- D3.4, D3.6 copies


def other_documents() -> list[tuple[str, LoadedAnswers, Document]]:
    return [d for kind in ("sub_contract", "data_sharing", "committee_terms", "accession_deed")
            for d in of_kind(kind)]


class TestD34TheCollaborationAgreementDefinitionStatesNoDate:
    """A document other than the agreement defines the Collaboration Agreement as it takes
    effect under its own terms, never by a date the agreement makes conditional."""

    def test_every_other_document(self) -> None:
        found = 0
        for label, _, doc in other_documents():
            text = flat(doc)
            at = text.find("“Collaboration Agreement” means")
            if at < 0:
                continue
            found += 1
            definition = text[at:at + 300]
            assert "which takes effect on" not in definition, (label, definition)
            assert "as it takes effect under its own terms" in definition, (label, definition)
        assert found >= 5


class TestD36CopiedWordsReadSensibly:
    """The data sharing agreement's "Commercially Sensitive Information" is identified when a
    party signs or joins the Collaboration Agreement (where the pack has one), and its signing
    line uses its defined name."""

    def test_every_data_sharing_agreement(self) -> None:
        cases = of_kind("data_sharing")
        assert len(cases) >= 5
        for label, loaded, doc in cases:
            text = flat(doc)
            assert "This agreement has been signed" not in text, label
            assert "This Agreement has been signed by the authorised signatory" in text, label
            if "“Commercially Sensitive Information” means" not in text:
                continue
            assert "signs or joins the Agreement" not in text, label
            if "collaboration_agreement" in loaded.answers.documents:
                # round 12 (B3.2): one definition across the pack, the agreement's, by reference
                assert "“Commercially Sensitive Information” means the information that is " \
                    "Commercially Sensitive Information as defined in the Collaboration " \
                    "Agreement" in text, label
                assert "signs or joins this Agreement" not in text, label
            else:
                assert "signs or joins this Agreement" in text, label


# --------------------------------------------------------------------------- board terms


class TestTheDeadlockRowSaysTheCastingVoteCannotOperate:
    """Where the casting vote's holder holds more than half of the voting weight, the board
    terms' Deadlock row says so in the deadlock clause's one sentence and cites that clause."""

    @pytest.mark.parametrize("name,loaded", [s for s in deadlock_sets()
                                             if caster_holds_majority(s[1])], ids=ids_of)
    def test_the_same_sentence_as_the_deadlock_clause(self, name: str, loaded: LoadedAnswers
                                                      ) -> None:
        agreement = built(loaded, "collaboration_agreement")
        row = schedule_row(agreement, "Deadlock")
        casting = clause_text(agreement, "deadlock")
        number = agreement.targets["deadlock.casting"].number
        sentence = ("The Lead Provider has no casting vote while it holds more than half of the "
                    "voting weight") if loaded.answers.governance.deadlock == \
            "lead_provider_casting_vote" else ("The Chair has no casting vote while the Lead "
                                               "Provider, which appoints the Chair, holds more "
                                               "than half of the voting weight")
        assert sentence in casting, name
        # round 11: the row goes on to say when the casting vote operates, then cites the clause.
        row = schedule_row(agreement, "Deadlock", width=1000)
        assert sentence in row, (name, row)
        after = row[row.index(sentence):]
        assert f"(clause {number})" in after[:after.index("|")], (name, row)
        assert "falls to half or less" not in row, (name, row)


# --------------------------------------------------------------------------- data kinds


class TestIdentifiableCommissioningDataIsLabelledWithTheDsaPurposes:
    """The words for identifiable commissioning data name the data sharing agreement's
    purposes (commissioning, case management, contract management), not "planning"."""

    def test_the_glossary_words(self) -> None:
        entry = library().glossary.entries["data.kinds"]["identifiable_commissioning"]
        for words in entry:
            assert "planning" not in words, words
            assert "commissioning, case management and contract management" in words, words
