"""The cross-area requests of round 7 for the data and confidentiality clauses, as rules over
many answer sets (the examples, the scenarios, variations of them and generated collaboratives).

1. The committee terms keep Board papers confidential "except for business transacted in
   public" only where the Board meets in public (A1, F: every meeting private otherwise).
2. In a sub-contract whose Lead Provider is its only public body, the publication sentence names
   the Lead Provider, not "public bodies among them" (B2).
3. The data-protection drafting note speaks only of the variant chosen: no anonymised data where
   identifiable data is shared, no joint controllers unless they are (B1).
4. The lawyer's checklist lists a lead-processor answer the library departs from (the Lead
   Provider is a controller of its commissioning data) under "did not follow".
5. The data clauses use the document's defined terms (lint LOWER-CASE-TERM and NOTE-MODEL find
   nothing in them).
"""

from __future__ import annotations

import pytest

from drafting.read.load import LoadedAnswers
from drafting.review.lint.checks import check_lower_case_terms, check_notes
from tests.test_partner_review import ALL, DOMINANT, JOINT, NORTH_EAST, SHARED, changed, clause_text
from tests.test_review_round6_data import every_document, files, generated, note_of
from tests.test_review_round6_gov import ids_of
from tests.test_review_round7_words import NAMES, texts

OWN = {"data-protection", "dsa-purpose-data", "dsa-security-retention", "confidentiality-foi"}
PUBLIC_KINDS = {"nhs_trust", "nhs_foundation_trust", "icb", "nhs_england", "local_authority"}


def base_sets() -> list[tuple[str, LoadedAnswers]]:
    return files(ALL) + generated()


# --------------------------------------------------------------------------- 1 papers


class TestCommitteePapersCarveOutOnlyForMeetingsInPublic:
    def test_business_in_public_is_excepted_only_when_the_board_meets_in_public(self) -> None:
        sets = base_sets()
        for path in (SHARED, JOINT, NORTH_EAST):
            for public in (True, False):
                sets.append((f"{path.stem}-public-{public}",
                             changed(path, governance={"meetings_in_public": public})))
        seen = set()
        for label, loaded, doc in every_document(sets, ("committee_terms",)):
            text = clause_text(doc, "confidentiality-foi")
            if not text:
                continue
            public = bool(loaded.answers.governance.meetings_in_public)
            seen.add(public)
            assert ("business transacted in public" in text) == public, label
        assert seen == {True, False}


# --------------------------------------------------------------------------- 2 publication


class TestSubContractPublicationNamesTheLeadProvider:
    def test_the_only_public_body_is_named(self) -> None:
        sets = base_sets() + [(f"{DOMINANT.stem}", changed(DOMINANT))]
        commercial = shared = 0
        for label, loaded, doc in every_document(sets, ("sub_contract",)):
            text = clause_text(doc, "confidentiality-foi")
            partner = label.split("/")[-1]
            kinds = {m.id: m.kind for m in loaded.answers.members}
            lead_public = kinds[loaded.answers.lead_provider] in PUBLIC_KINDS
            assert "public bodies among them" not in text, label
            if lead_public and kinds[partner] not in PUBLIC_KINDS:
                commercial += 1
                assert "the Lead Provider, as a public body, publishes information about its " \
                       "activities" in text, label
            elif lead_public:
                shared += 1
                assert "each of them, as a public body, publishes information about its " \
                       "activities" in text, label
        assert commercial >= 2 and shared >= 2, (commercial, shared)

    def test_the_multi_party_documents_keep_public_bodies_among_them(self) -> None:
        for label, _, doc in every_document(files(ALL), ("collaboration_agreement",)):
            assert "public bodies among them publish information" in \
                clause_text(doc, "confidentiality-foi"), label


# --------------------------------------------------------------------------- 3 note


def data_sets() -> list[tuple[str, LoadedAnswers]]:
    sets = base_sets()
    for kinds, model, gateway in (("anonymised", "joint", None),
                                  ("anonymised", "lead_processor", None),
                                  ("identifiable_commissioning", "lead_processor", "s251"),
                                  ("identifiable_commissioning", "independent", "s251"),
                                  ("identifiable_direct_care", "joint", "direct_care"),
                                  ("pseudonymised", "independent", "s251")):
        data = {"kinds": kinds, "controller_model": model, "legal_gateway": gateway,
                "dpia": "before_go_live"}
        for path in (DOMINANT, NORTH_EAST):
            sets.append((f"{path.stem}-{kinds}-{model}", changed(path, data=data)))
    return sets


class TestDataProtectionNoteFollowsTheVariant:
    def test_the_note_names_only_the_chosen_model_and_data(self) -> None:
        seen = set()
        documents = every_document(data_sets(), ("collaboration_agreement", "sub_contract",
                                                 "data_sharing"))
        agreement_variant = {label.split("/")[0]: next(
            (c.variant for c in doc.clauses if c.id == "data-protection"), None)
            for label, _, doc in documents if doc.kind == "collaboration_agreement"}
        for label, loaded, doc in documents:
            variant = next((c.variant for c in doc.clauses if c.id == "data-protection"), None)
            if variant is None:
                continue
            # round 12 (B1.4): a sub-contract incorporates the agreement's data protection clause,
            # so its note speaks of the model of the agreement's variant.
            if variant == "sc-incorporated":
                assert doc.kind == "sub_contract", label
                variant = agreement_variant[label.split("/")[0]]
            seen.add((doc.kind, variant))
            note = note_of(doc, "data-protection")
            assert ("Joint controllers" in note) == (variant == "joint"), label
            assert ("only anonymised or aggregated" in note) == (variant == "no-patient-data"), label
            assert ("A processor (Article 28)" in note) == (variant == "lead-processor"), label
            if variant in ("independent", "no-patient-data"):
                assert "separate controller" in note, label
        assert {v for k, v in seen if k == "sub_contract"} >= {"no-patient-data", "joint",
                                                                 "independent", "lead-processor"}


# --------------------------------------------------------------------------- 4 checklist


class TestChecklistListsTheLeadProcessorDeparture:
    OVERRIDE = "the answers make the lead provider a processor for the others, but it decides why"

    def test_the_departure_is_an_answer_not_followed(self) -> None:
        listed = 0
        for label, loaded, doc in every_document(data_sets(), ("collaboration_agreement",
                                                               "sub_contract")):
            if not clause_text(doc, "data-protection"):
                continue
            data, answers = loaded.answers.data, loaded.answers
            departs = (data.controller_model == "lead_processor" and data.kinds != "anonymised"
                       and answers.governance.model == "lead_provider")
            checklist = " ".join((doc.clauses[0].note or "").split())
            assert (self.OVERRIDE in checklist) == departs, label
            if departs:
                listed += 1
                overrides = checklist.split("Answers this draft does not follow", 1)[1]
                assert self.OVERRIDE in overrides, label
        assert listed >= 3


# --------------------------------------------------------------------------- 5 lint


@pytest.mark.parametrize("name", NAMES, ids=ids_of)
def test_the_data_clauses_use_the_defined_terms_and_notes_follow_the_pack(name: str) -> None:
    docs, env = texts(name)
    wrong = [f.line() for doc in docs
             for f in [*check_lower_case_terms(doc, env), *check_notes(doc, env)]
             if f.source in OWN]
    assert not wrong, "\n".join(wrong)


# --------------------------------------------------------------------------- 6 defaults


class TestConfidentialityTailIsADefault:
    def test_the_checklist_lists_the_tail_and_the_foi_periods(self) -> None:
        checked = 0
        for label, _, doc in every_document(base_sets(), ("collaboration_agreement", "sub_contract",
                                                          "data_sharing", "mou")):
            clause = next((c for c in doc.clauses if c.id == "confidentiality-foi"), None)
            if clause is None:
                continue
            checklist = " ".join((doc.clauses[0].note or "").split())
            if doc.kind == "data_sharing" and "Confidentiality and freedom of information) of " \
                    "the Collaboration Agreement governs" in clause_text(doc, "confidentiality-foi"):
                # round 21: under a collaboration agreement its periods are that agreement's
                assert "the duties of confidentiality continue for" not in checklist, label
                assert "to tell a party of a request for information" not in checklist, label
                continue
            defaults = checklist.split("Defaults this draft uses", 1)[1]
            # round 14: the checklist states periods in figures
            assert "the duties of confidentiality continue for 5 years after" in defaults, label
            assert "7 days to tell a party of a request for information" in defaults, label
            checked += 1
        assert checked >= 20
