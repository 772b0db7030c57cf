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
                    assert "by affixing its common seal in the presence of " \
                        f"{m.signatory.name}, {m.signatory.role}, and [●], its authorised " \
                        "signatories under its standing orders" in block, (label, m.name)
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
            assert "section 44(2)" in note and "attorney" in note, label
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
            parties = write_text(doc).split("\n1 ")[0]
            assert "New Member" not in parties, label
