"""A healthcare partner's seventh review of the accession deed, its execution and the joining
clause, as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
accession deed (and, where the rule is shared, the agreement and the other documents) of the
bundled examples, the scenario answer sets and generated collaboratives (as `drafting lint`
drafts them), and reads the text a lawyer would read. The ids are the review's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from drafting.build.pack import build_document, plan
from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from drafting.write.text import write_text
from tests.test_partner_review import ALL, DOMINANT, JOINT, clause_text, flat, library
from tests.test_review_round5_mou import generated

NHS_KINDS = ("nhs_trust", "nhs_foundation_trust", "icb", "nhs_england")


@lru_cache(maxsize=1)
def agreement_sets() -> tuple[tuple[str, LoadedAnswers], ...]:
    """Every answer set with a collaboration agreement a body can accede to: the examples, the
    scenarios and generated collaboratives."""
    sets = [(p.stem, load_answers(p)) for p in ALL]
    sets += [(la.file, la) for la in generated()]
    return tuple((n, la) for n, la in sets if "collaboration_agreement" in la.answers.documents)


def deed(loaded: LoadedAnswers) -> Document:
    """The accession deed of a set, whether or not its answers ask for one in the pack."""
    return build_document(library(), loaded, "accession_deed")


@lru_cache(maxsize=None)
def deeds() -> tuple[tuple[str, LoadedAnswers, Document], ...]:
    return tuple((name, la, deed(la)) for name, la in agreement_sets())


def block_of(text: str, name: str) -> str:
    found = re.search(rf"Executed as a deed by {re.escape(name)}(.*?)(?=Executed as a deed by|$)",
                      text, re.S)
    assert found, name
    return found.group(1)


# --------------------------------------------------------------------------- A3.3 execution


class TestA33OneFormOfExecutionPerParty:
    def test_each_block_is_one_form_chosen_by_the_kind_of_body(self) -> None:
        kinds = set()
        for label, loaded, doc in deeds():
            text = clause_text(doc, "execution")
            for m in loaded.answers.members:
                if m.member_class == "observer":
                    continue
                block = block_of(text, m.name)
                kinds.add(m.kind)
                assert " or " not in block, (label, m.name, block)
                assert "attorney" not in block, (label, m.name)
                if m.kind in NHS_KINDS:
                    # round 14 (execution v12): an ICB seals under its constitution and
                    # standing orders
                    orders = ("constitution and standing orders" if m.kind == "icb"
                              else "standing orders")
                    assert "by affixing its common seal in the presence of " \
                        f"{m.signatory.name}, {m.signatory.role}, and [●], its authorised " \
                        f"signatories under its {orders}" in block, (label, m.name)
                elif m.kind == "local_authority":
                    assert "by affixing its common seal in the presence of [●], its authorised " \
                        "officer" in block, (label, m.name)
                elif m.kind == "independent_sector" or m.company_number:
                    assert "under section 44(2)(a) of the Companies Act 2006, acting by two " \
                        f"directors, {m.signatory.name} and [●]" in block, (label, m.name)
            new = block_of(text, "[●], the New Member")
            assert " or " not in new and "if a company" not in new, label
        assert {"nhs_foundation_trust", "independent_sector", "local_authority"} <= kinds

    def test_the_alternatives_are_in_the_note_of_the_deed_only(self) -> None:
        for label, loaded, doc in deeds():
            note = " ".join(next(c.note or "" for c in doc.clauses if c.id == "execution").split())
            assert "attorney" in note and "one form" in note, label
            companies = any(m.kind in ("independent_sector", "vcse") and m.member_class != "observer"
                            for m in loaded.answers.members)
            # round 14 (execution v12): the note also gives the New Member's form for every
            # kind of body, so the members' part is read up to it
            members_part = note.split("Complete the New Member's block")[0]
            assert ("section 44(2)" in members_part) == companies, label
            assert "limited liability partnership" in note, label
        for label, loaded in agreement_sets()[:12]:
            for part in plan(loaded.answers):
                if part.kind == "accession_deed":
                    continue
                doc = build_document(library(), loaded, part.kind, part.partner_id)
                note = " ".join(next(c.note or "" for c in doc.clauses
                                     if c.id == "execution").split())
                assert "deed" not in note.replace("not executed as a deed", ""), \
                    (label, part.kind)
                assert "section 44" not in note, (label, part.kind)


# --------------------------------------------------------------------------- A3.2 definitions


class TestA32DefinitionsComeFirstAndOnce:
    def test_definitions_precede_their_use_and_each_term_is_defined_once(self) -> None:
        for label, loaded, doc in deeds():
            order = [c.id for c in doc.clauses]
            assert order.index("definitions") < order.index("ad-accession"), label
            text = flat(doc)
            assert "(the original parties)" not in text, label
            assert "(the New Member)" not in text, label
            assert "(the Accession Date)" not in text, label
            definitions = clause_text(doc, "definitions")
            assert "“Accession Date” means [●], the date with effect from which the New " \
                "Member accedes" in definitions, label
            assert "“New Member” means [●], the body that joins the Agreement by this deed" \
                in definitions, label
            # round 10 (recitals): the Background between the parties and clause 1 uses the
            # terms that clause 1 defines for the whole deed; the parties define none inline
            front = write_text(doc).split("\n1 ")[0]
            parties, _, background = front.partition("\nBACKGROUND\n")
            assert background, label
            assert "New Member" not in parties, label


# --------------------------------------------------------------------------- A3.4 criteria


def criteria_of(text: str, opening: str) -> str:
    start = text.index(opening) + len(opening)
    return text[start:]


class TestA34TheDeedWarrantsTheAgreementsOwnCriteria:
    def test_the_criteria_are_the_agreements_words_given_as_warranties(self) -> None:
        checked = 0
        for label, loaded, doc in deeds():
            criteria = [c for c in loaded.answers.membership.joining_criteria
                        if c != "accession_deed"]
            text = clause_text(doc, "joining")
            assert "having shown that it" not in text, label
            assert 'has achieved "Standards Met" in the DSPT' not in text, label
            if not criteria:
                assert "joining criterion" not in text, label
                continue
            checked += 1
            agreement = build_document(library(), loaded, "collaboration_agreement")
            theirs = criteria_of(clause_text(agreement, "joining"),
                                 "An applicant may be admitted only if it: ").split(
                "signs an Accession Deed")[0].rstrip("; and")
            ours = criteria_of(text, "it meets each joining criterion of the Agreement, that "
                                     "is, that it: ")
            assert ours.startswith(theirs.replace("; and", ";").rstrip(";")[:60]), label
            for piece in theirs.replace("; and", ";").split("; "):
                assert piece.strip("; ") in ours, (label, piece)
            if "dspt" in criteria:
                assert "or shows an equivalent standard of data security" in ours, label
            # round 14 (joining v15): given on signing and again on the Accession Date
            assert "The New Member warrants to each existing Member that, on the date of this " \
                "deed and on the Accession Date, it meets each joining criterion" in text, label
            covenants = clause_text(doc, "ad-covenants")
            assert "evidence that it meets the joining criteria set out in clause 3.2" \
                in covenants, label
            assert "registration with the CQC that the services" not in covenants, label
        assert checked >= 5


# --------------------------------------------------------------------------- A3.5 law and disputes


class TestA35LawAndDisputesFollowTheAgreement:
    def test_the_section_9_route_and_third_party_rights(self) -> None:
        for label, loaded, doc in deeds():
            # since round 8 the deed's general clause holds law, disputes and third parties
            text = clause_text(doc, "ad-general")
            assert "exclusive jurisdiction, subject to the dispute resolution" not in text, label
            assert "resolved under the dispute resolution procedure of the Agreement" in text
            assert "each of which is a Health Service Body, it is an NHS contract within " \
                "section 9 of the NHS Act" in text, label
            assert "referred to the Secretary of State for Health and Social Care" in text
            # round 9 (C1.1): section 9 is cited with no subsection
            # round 14: the deed takes the term from the Agreement's definitions, which it
            # incorporates; it defines it itself only where the Agreement does not
            assert "“Health Service Body” means a body that is a health service body within " \
                "the meaning of section 9 of the NHS Act" in clause_text(doc, "definitions") \
                or "Health Service Body" in doc.incorporated_terms, label
            assert "No one who is not a party to this deed has any right under the Contracts " \
                "(Rights of Third Parties) Act 1999" in text, label
            observers = any(m.member_class == "observer" for m in loaded.answers.members)
            # round 11 (C1.9): existing Members join by the deed, each Observer by its consent
            assert ("by the consent to accession the Observer gave in " in text) == observers, \
                label
            # round 13 (AE1.4): the joining clause's words, not a narrower confidentiality link
            assert ("as to the provisions that bind an Observer" in text) == observers, label
        agreement = flat(build_document(library(), load_answers(DOMINANT),
                                        "collaboration_agreement"))
        assert "No one who is not a party to this Agreement has any right under the Contracts " \
            "(Rights of Third Parties) Act 1999" in agreement


# --------------------------------------------------------------------------- A3.6 D3.1 details


class TestA36TheDeedGathersWhatTheAgreementNeeds:
    def test_details_other_documents_minimum_term_and_note(self) -> None:
        seen = {"data": 0, "terms": 0, "weighted": 0, "minimum": 0}
        for label, loaded, doc in deeds():
            answers = loaded.answers
            covenants = clause_text(doc, "ad-covenants")
            for detail in ("email address for notices [●]", "representative [●] (name and role)",
                           "named deputy of the representative [●] (name and role)",
                           ):
                assert detail in covenants, (label, detail)
            # round 13 (AE1.7): "class of membership" only where the agreement has classes
            assert ("class of membership, as clause 2.3 states it" in covenants) == bool(
                "class of membership" in flat(build_document(library(), loaded, "collaboration_agreement"))), label
            assert "the interests that the Agreement requires a representative to declare: [●]" \
                in covenants, label
            joining = clause_text(doc, "joining")
            data = "data_sharing" in answers.documents and \
                "also accedes to, and becomes a party to, the data sharing agreement" in joining
            assert data == ("data_sharing" in answers.documents
                            and any(p.kind == "data_sharing" for p in plan(answers))), label
            terms = "is bound by the terms of reference of the Board" in joining
            assert terms == ("committee_terms" in answers.documents), label
            seen["data"] += data
            seen["terms"] += terms
            minimum = answers.membership.minimum_term_years > 0
            # since round 8 the deed's accession clause says it, conditionally
            assert ("the minimum term of membership under the Agreement applies to the New "
                    "Member" in clause_text(doc, "ad-accession")) == minimum, label
            seen["minimum"] += minimum
            note = " ".join(next(c.note or "" for c in doc.clauses if c.id == "joining").split())
            weighted = answers.governance.voting == "weighted"
            assert ("re-check the statement of each member's voting power" in note) == weighted
            seen["weighted"] += weighted
            if "collaboration_agreement" in answers.documents:
                agreement = clause_text(build_document(library(), loaded,
                                                       "collaboration_agreement"), "joining")
                if terms:
                    # round 13: "is also bound" (word order, r13-deed)
                    assert re.search(r"By its Accession Deed a new Member (is also bound|also "
                                     r"becomes[^.]*and is bound) by the Board's terms of reference",
                                     agreement), label
                    assert ("is bound by the Board's terms of reference" in agreement
                            or "is also bound by the Board's terms of reference" in agreement), label
                if minimum:
                    assert "applies to a new Member as to the others, and ends for it on the " \
                        "same day" in agreement, label
        assert all(n >= 2 for n in seen.values()), seen


# --------------------------------------------------------------------------- D1.1 joining


class TestD11WhoMayVoteIsTheGovernanceClausesRule:
    def test_joining_refers_to_the_board_clause(self) -> None:
        checked = 0
        for label, loaded in agreement_sets():
            agreement = build_document(library(), loaded, "collaboration_agreement")
            text = clause_text(agreement, "joining")
            assert "National Health Service Act 2006" not in text, label
            assert "only a body that is a relevant body under section 65Z5" not in text, label
            if loaded.answers.governance.vehicle != "joint_committee":
                continue
            checked += 1
            number = next(v.number for k, v in agreement.targets.items()
                          if k == "governance-board.relevant-bodies")
            assert f"a body is admitted as a Voting Member only if clause {number} allows it " \
                "to be one" in text, label
            assert "Only a body that is a relevant body" not in \
                clause_text(deed(loaded), "ad-accession"), label
        assert checked >= 2
