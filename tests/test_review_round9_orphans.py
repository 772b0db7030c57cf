"""A healthcare partner's ninth review of the confidentiality, equality and commissioning
separation clauses, as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
documents of the scenario answer sets, the bundled examples and generated collaboratives as
`drafting lint` drafts them, and reads the text a lawyer would read. The ids are the review's
(report, document, finding).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from drafting.build.assemble import _LITERAL_TOKEN, _definition_template, agreement_clauses, document_context
from drafting.build.pack import build_document, plan
from drafting.read.conditions import render
from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.test_partner_review import ALL, clause_text, flat, library
from tests.test_review_round5_mou import MERSEY, generated

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")
KIND_WORDS = {"nhs_trust": "an NHS trust", "nhs_foundation_trust": "an NHS foundation trust",
              "icb": "an integrated care board", "nhs_england": "NHS England",
              "local_authority": "a local authority"}


def examples() -> list[tuple[str, LoadedAnswers]]:
    """The scenario answer sets and the bundled examples (ALL holds both)."""
    paths = list(ALL) + ([MERSEY] if MERSEY not in ALL else [])
    return [(p.stem, load_answers(p)) for p in paths]


@lru_cache(maxsize=None)
def drafted_pack(name: str) -> dict[str, Document]:
    """Every document of a set's pack, by file name, drafted once per run."""
    loaded = SETS[name]
    return {p.filename: build_document(library(), loaded, p.kind, p.partner_id)
            for p in plan(loaded.answers)}


SETS: dict[str, LoadedAnswers] = {}


def sets_with(*kinds: str, generated_limit: int = 12) -> list[str]:
    """The examples and up to `generated_limit` generated sets whose pack has one of `kinds`."""
    names = []
    for name, loaded in examples():
        SETS[name] = loaded
        if set(kinds) & {p.kind for p in plan(loaded.answers)}:
            names.append(name)
    found = 0
    for loaded in generated():
        if found < generated_limit and set(kinds) & {p.kind for p in plan(loaded.answers)}:
            SETS[loaded.file] = loaded
            names.append(loaded.file)
            found += 1
    return names


def docs_of(name: str, *kinds: str) -> list[tuple[str, Document]]:
    return [(f"{name}/{file}", doc) for file, doc in drafted_pack(name).items() if doc.kind in kinds]


def definition(document: Document, term: str) -> str:
    text = flat(document)
    start = text.find(f"“{term}” means")
    assert start >= 0, term
    end = text.find("“", start + len(term) + 3)
    return text[start:end if end > 0 else None]


def checklist(document: Document) -> str:
    return " ".join((document.clauses[0].note or "").split())


def is_signatories(loaded: LoadedAnswers) -> list[str]:
    return [m.name for m in loaded.answers.members
            if m.kind == "independent_sector" and m.member_class != "observer"]


# --------------------------------------------------------------------------- 1 (E2.5)


class TestE25CommerciallySensitiveSchedule:
    """Where an independent-sector member signs an MOU or the agreement, its Commercially
    Sensitive Information has a schedule with a blank per member, the definition points to it,
    and no clause binds it to give a list "before it signs"."""

    @pytest.mark.parametrize("name", sets_with("mou", "collaboration_agreement", generated_limit=20))
    def test_schedule_blanks_and_definition(self, name: str) -> None:
        loaded = SETS[name]
        signers = is_signatories(loaded)
        for label, doc in docs_of(name, "mou", "collaboration_agreement"):
            schedule = next((s for s in doc.schedules if s.id == "commercially-sensitive"), None)
            foi = clause_text(doc, "confidentiality-foi")
            if not signers:
                assert schedule is None, label
                assert "Commercially Sensitive Information" not in flat(doc).split("SCHEDULE")[-1][:60], label
                continue
            assert schedule is not None, label
            number = schedule.number
            assert f"means the information listed in {number}," in definition(
                doc, "Commercially Sensitive Information"), label
            assert "before it signs" not in foi, label
            assert f"each Independent Sector Member identified when it signed is listed in {number}" in foi, label
            text = flat(doc)
            body = text[text.rfind(number.upper() + " COMMERCIALLY SENSITIVE INFORMATION"):]
            for member in signers:
                assert f"{member} | [●] | [●] | [●]" in body, (label, member)
            assert f"{number} (Commercially Sensitive Information): {3 * len(signers)} blanks" in checklist(doc), label

    def test_mersey_has_it(self) -> None:
        SETS.setdefault(MERSEY.stem, load_answers(MERSEY))
        (label, doc), = docs_of(MERSEY.stem, "mou")
        assert [s.id for s in doc.schedules][-1] == "commercially-sensitive", label
        assert "Spire Healthcare Limited | [●] | [●] | [●]" in flat(doc)


# --------------------------------------------------------------------------- 2 (B3.2, E1.9)


def public_kinds_named(foi: str) -> set[str]:
    found = re.search(r"each party that is (.+?) is a public authority", foi)
    assert found, foi[:200]
    return {kind for kind, words in KIND_WORDS.items() if words in found.group(1)}


class TestB32PublicBodiesPresentAndWhoseCost:
    @pytest.mark.parametrize("name", sets_with("mou", "collaboration_agreement", "data_sharing"))
    def test_only_kinds_among_the_parties_and_each_at_its_own_cost(self, name: str) -> None:
        loaded = SETS[name]
        checked = 0
        for label, doc in docs_of(name, "mou", "collaboration_agreement", "data_sharing"):
            parties = [m for m in loaded.answers.members
                       if not (doc.kind == "data_sharing" and m.member_class == "observer")]
            foi = clause_text(doc, "confidentiality-foi")
            if not foi:
                continue
            if doc.kind == "data_sharing" and re.match(
                    r"Clause \d+ \(Confidentiality and freedom of information\) of the "
                    r"Collaboration Agreement governs", foi):
                # round 21: under a collaboration agreement the data sharing agreement takes
                # that agreement's freedom of information rules instead of a copy of them
                assert "public authority" not in foi, label
                continue
            checked += 1
            assert public_kinds_named(foi) == {m.kind for m in parties} & set(KIND_WORDS), label
            assert "at its own cost, the help" not in foi, label
            assert ("each other party gives it the help it reasonably asks for to respond within the "
                    "time the FOI Legislation allows, each other party bearing its own cost of doing so") in foi, label
        assert checked, name

    def test_sub_contract_says_whose_cost(self) -> None:
        checked = 0
        for name in sets_with("sub_contract"):
            for label, doc in docs_of(name, "sub_contract"):
                foi = clause_text(doc, "confidentiality-foi")
                checked += 1
                assert "at its own cost, the help" not in foi, label
                assert "the other party bearing its own cost of doing so" in foi, label
        assert checked >= 3

    def test_dsa_with_an_observer_icb_names_no_icb(self) -> None:
        """The lead-provider pack's ICB observes: it is no party to the data sharing agreement."""
        name = "lead-provider-dominant"
        SETS.setdefault(name, dict(examples())[name])
        (label, doc), = docs_of(name, "data_sharing")
        foi = clause_text(doc, "confidentiality-foi")
        # round 21: its freedom of information rules are the collaboration agreement's
        assert "integrated care board" not in foi, label
        assert "of the Collaboration Agreement governs the confidentiality of the information " \
            "that a Member discloses under this Agreement, and any request for that information " \
            "under the FOI Legislation" in foi, label


# --------------------------------------------------------------------------- 3 (E1.7, F1.3)


class TestE17EqualityReportWithTheReview:
    @pytest.mark.parametrize("name", sets_with("mou", generated_limit=20))
    def test_goes_with_each_review(self, name: str) -> None:
        for label, doc in docs_of(name, "mou"):
            text = clause_text(doc, "equality-health-inequalities")
            review = doc.targets["mou-review.review"].number
            assert ("The report to each Member Board of each review under clause "
                    f"{review} covers what the Collaborative has done") in text, label  # round 12
            assert "once a year" not in text and "before this memorandum ends" not in text, label


# --------------------------------------------------------------------------- 4 (r9-data, r9-sc)


def lead_commissioning() -> list[str]:
    names = []
    for name, loaded in examples() + [(la.file, la) for la in generated()]:
        a = loaded.answers
        if a.lead is not None and a.commissioning.lead_commissions \
                and "commissioning_hub" in a.commissioning.separation \
                and "collaboration_agreement" in {p.kind for p in plan(a)}:
            SETS[name] = loaded
            names.append(name)
    return names[:8]


class TestCommissioningHubDefinedInEveryDocument:
    """The definition of Commissioning Hub cites the clause that sets the hub up: the
    document's own, or that clause of the Collaboration Agreement."""

    @pytest.mark.parametrize("name", lead_commissioning())
    def test_cites_the_clause_that_exists(self, name: str) -> None:
        agreement = next((d for d in drafted_pack(name).values()
                          if d.kind == "collaboration_agreement"), None)
        checked = 0
        for label, doc in docs_of(name, "collaboration_agreement", "committee_terms", "data_sharing",
                                  "sub_contract", "mou", "accession_deed"):
            if "“Commissioning Hub” means" not in flat(doc):
                continue
            checked += 1
            text = definition(doc, "Commissioning Hub")
            if "commissioning-separation.hub" in doc.targets:
                assert f"under clause {doc.targets['commissioning-separation.hub'].number}" in text, label
                assert "of the Collaboration Agreement" not in text, label
            else:
                assert agreement is not None, label
                own = agreement.targets["commissioning-separation"].number
                assert re.search(rf"under clause {own} of the (Collaboration )?Agreement\b", text), (label, text)
        assert checked, name

    @pytest.mark.parametrize("kind", ["sub_contract", "data_sharing"])
    def test_a_document_without_the_clause_could_use_the_term(self, kind: str) -> None:
        """The definition as a sub-contract or data sharing agreement would print it, were one
        of its clauses to use the term: it names the agreement's clause, never a reference to a
        clause that document lacks."""
        checked = 0
        for name in lead_commissioning():
            loaded = SETS[name]
            agreement = next(d for d in drafted_pack(name).values() if d.kind == "collaboration_agreement")
            number = agreement.targets["commissioning-separation"].number
            for part in plan(loaded.answers):
                if part.kind != kind:
                    continue
                doc = drafted_pack(name)[part.filename]
                assert "commissioning-separation" not in {c.id for c in doc.clauses}, name
                context = document_context(loaded.answers, kind, part.partner_id, library().glossary.entries)
                context["agreement_clauses"] = agreement_clauses(library(), loaded.answers)
                context["included"] = {c.id: 1 for c in doc.clauses}
                definer = library().definitions["Commissioning Hub"]
                rendered = render(_definition_template(definer, "Commissioning Hub"), context,
                                  file="test", what="definition")
                text = " ".join(_LITERAL_TOKEN.sub(lambda m: rendered.literals[int(m.group(1))],
                                                   rendered.text).split())
                checked += 1
                assert "{ref:" not in text, (name, text)
                assert text.endswith(f"under clause {number} of the [[Collaboration Agreement]]"), (name, text)
        assert checked, kind
