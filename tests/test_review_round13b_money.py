"""Round 13b: what the board and voting areas of round 13 asked of the money area, as rules of
the clause library (risk share in a sub-contract, conditions precedent, clinical model,
competition information barrier, accession deed).

Each test drafts the documents of many answer sets (scenarios, examples, changed and generated
sets) and reads the words a lawyer would read.
"""

from __future__ import annotations

import re
from functools import cache

from drafting.model import Document, Table, plain
from tests.review_sets import DOMINANT, MOU_ONLY, NORTH_EAST
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round6_gov import sets_of
from tests.test_review_round6_sc import every_sub_contract
from tests.test_review_round12b_words import definition
from tests.test_review_round13_sc import NUMBER_WORD


@cache
def sub_contracts() -> tuple[tuple[str, object, str, Document], ...]:
    return every_sub_contract()


def sharing_sub_contracts() -> list[tuple[str, Document]]:
    return [(label, doc) for label, _, _, doc in sub_contracts()
            if clause_text(doc, "risk-gain-share")]


# --------------------------------------------------------------------------- 1 risk share (SC)


def test_1_sub_contract_risk_share_uses_the_agreement_s_terms() -> None:
    """Partners and Annual Contract Value are the Collaboration Agreement's terms; the settlement
    waits for the deficit check; numbers are in figures."""
    cases = sharing_sub_contracts()
    assert len(cases) >= 5
    capped = checked = defined = 0
    for label, doc in cases:
        text = clause_text(doc, "risk-gain-share")
        assert "annual value of this Sub-Contract" not in text, label
        assert not NUMBER_WORD.search(text), label
        for term in ("Surplus", "Deficit"):
            if f"“{term}” means" in flat(doc):
                words = definition(doc, term)
                # the agreement's term: defined in the sub-contract, or by reference to the
                # agreement (the sub-contract does not define "Partner" itself)
                # round 13c: where the sub-contract now defines "Partner" itself, the defined
                # term is used
                defined += ("partners (as the Collaboration Agreement defines them)" in words
                            or ("the Partners" in words and "“Partner” means" in flat(doc)))
                assert not re.search(r"\bpartners\b(?! \(as the Collaboration Agreement "
                                     r"defines them\))", words), (label, words)
        if "but never more in any Contract Year than" in text:
            capped += 1
            assert re.search(r"than [\d.]+% of its annual contract value \(as the Collaboration "
                             r"Agreement defines it\)", text), (label, text)
        if "sc-payment.deficit-check" in doc.targets:
            settle = next((s for s in re.split(r"(?<=\.) ", text) if "share is settled within" in s), "")
            if settle:
                checked += 1
                number = doc.targets["sc-payment.deficit-check"].number
                assert settle.startswith(f"Subject to clause {number}, "), (label, settle)
    assert capped and checked and defined


# --------------------------------------------------------------------------- 2 NHS Resolution waiver


def test_2_an_nhs_partner_s_cover_waiver_takes_the_independent_partner_s_form() -> None:
    nhs = 0
    for label, loaded, partner, doc in sub_contracts():
        text = clause_text(doc, "conditions-precedent")
        waiver = next((s for s in re.split(r"(?<=\.) ", text) if "may waive, by notice" in s), "")
        if not waiver:
            continue
        kind = next(m.kind for m in loaded.answers.members if m.id == partner)  # type: ignore[attr-defined]
        nhs += kind in ("nhs_trust", "nhs_foundation_trust")
        assert "which is commercial" not in waiver, (label, waiver)
        assert "written evidence that it has applied for that cover" in waiver, (label, waiver)
        assert "provides none of the Sub-Contracted Services until it has given the Lead Provider " \
               "evidence that the cover is in place" in waiver, (label, waiver)
    assert nhs


# --------------------------------------------------------------------------- 3 clinical model


def clinical_documents() -> list[tuple[str, Document]]:
    agreements = [(n, built(la, "collaboration_agreement"))
                  for n, la in (*sets_of("collaboration_agreement", 30),
                                ("two-day", changed(NORTH_EAST, clinical={"incident_notification_days": 2})))]
    return agreements + [(label, doc) for label, _, _, doc in sub_contracts()]


def test_3_the_clinical_clause_states_every_number_in_figures() -> None:
    found = 0
    for label, doc in clinical_documents():
        text = clause_text(doc, "clinical-model")
        if not text:
            continue
        found += 1
        assert not NUMBER_WORD.search(text), (label, NUMBER_WORD.search(text))
        assert not re.search(r"\(\d+\)", text), label
        assert "within 3 days of any enforcement action" in text, label
        if label == "two-day":
            assert "within 2 days of becoming aware of it" in text, text
    assert found > 10


# --------------------------------------------------------------------------- 4 open book (E1.3)


def open_book_memoranda() -> list[tuple[str, Document]]:
    found = []
    for name, loaded in (*sets_of("mou", 30), ("mou-only-full", changed(MOU_ONLY, finance={"open_book": "full"}))):
        context = loaded.answers.context()
        if context["derived"]["has_is_member"] or context["finance"]["open_book"] != "full" \
                or context["collaborative"]["kind"] != "horizontal":
            continue
        found.append((name, built(loaded, "mou")))
    return found


def test_4_competing_trusts_current_figures_go_through_the_open_book_hub() -> None:
    cases = open_book_memoranda()
    assert cases
    for name, doc in cases:
        text = clause_text(doc, "competition-information-barrier")
        hub = doc.targets["competition-information-barrier.open-book-hub"].number
        assert f"They are given as clause {hub} provides." in text, name
        assert "go only to a person or team that the Members appoint in writing" in text, name
        assert "only figures that are aggregated so that no Member's own figures can be identified" \
            in text, name
        assert "It gives them only to the Members' representatives" not in text, name
        assert "This does not apply to the service-line figures" not in text, name
        note = next(c.note or "" for c in doc.clauses if c.id == "competition-information-barrier")
        assert "Provider Selection Regime" in note and "open-book hub" in note, name


# --------------------------------------------------------------------------- 5 accession deed


def tables_of(document: Document, clause_id: str) -> list[str]:
    """Each table of one clause as one line: its header and its cells' words."""
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    clause = next(c for c in document.clauses if c.id == clause_id)
    return [" ".join((*b.header, *(plain(cell, document.targets, schedules)
                                   for row in b.rows for cell in row)))
            for b in clause.blocks if isinstance(b, Table)]


def deeds() -> list[tuple[str, object, Document]]:
    loaded_sets = (*sets_of("accession_deed", 30),
                   ("dominant-fixed-fee", changed(DOMINANT, commissioning={
                       "management_fee": {"kind": "fixed", "value": 120000}})),
                   ("dominant-equal", changed(DOMINANT, finance={"running_cost_split": "equal"})))
    return [(n, la, built(la, "accession_deed")) for n, la in loaded_sets]


def test_5_the_deed_replaces_the_running_cost_shares_and_the_management_fees() -> None:
    fees = costs = 0
    for name, loaded, doc in deeds():
        context = loaded.answers.context()  # type: ignore[attr-defined]
        text = clause_text(doc, "ad-accession")
        has_costs = context["finance"]["model"] != "no_pooling"
        has_fee = context["derived"]["has_lead_provider"] \
            and context["commissioning"]["management_fee"]["kind"] != "none"
        # round 13: the defined terms Running Costs and Management Fee (round 13c)
        # round 24: the shares apply from the next Contract Year, the joining year apportioned
        assert ("share of each Member of the Running Costs from the next Contract Year" in text
                or "share of each Member of the Running Costs from the Accession Date" in text) \
            == has_costs, name
        assert ("Management Fee for a year of each Member that holds a sub-contract" in text) \
            == has_fee, name
        costs += has_costs
        fees += has_fee
        tables = tables_of(doc, "ad-accession")
        if has_costs:
            # round 13: the headings use the defined terms (round 13c)
            # round 24: from the next Contract Year where the agreement apportions the first
            assert any(("Share of the Running Costs from the Accession Date" in t
                        or "Share of the Running Costs from the next Contract Year" in t)
                       and "The New Member" in t for t in tables), name
        if has_fee:
            table = next(t for t in tables if "Management Fee a year from the Accession Date" in t)
            for partner in context["derived"]["partners"]:
                assert partner["name"] in table, (name, partner["name"])
    assert costs and fees >= 2
