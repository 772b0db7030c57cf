"""A healthcare partner's ninth review of the lead provider's sub-contracts, as rules over many
answer sets.

Each finding came from one sub-contract of the lead-provider pack but is a rule of the clause
library, so each test drafts every sub-contract of the bundled examples, the scenario answer
sets, the two lead-provider sets under each payment basis and generated answer sets (as
`drafting lint` draws them), and reads the text a lawyer would read. The names (B1.2 ...) are
the review's: report B, document 1, finding 2.
"""

from __future__ import annotations

import re

import pytest

from drafting.build.pack import build_document, plan
from drafting.model import Document, Paragraph, Table, plain
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import DOMINANT, NORTH_EAST, changed, clause_text, flat, library
from tests.test_review_round6_sc import every_sub_contract, note, number_of, schedule_text
from tests.test_review_round7_sc import schedule_note

IDS = dict(ids=lambda v: v if isinstance(v, str) else "")
STANDSTILL_ROUTES = ("direct_award_c", "most_suitable_provider", "competitive")


def sub_contracts(loaded: LoadedAnswers) -> list[tuple[str, str, Document]]:
    return [(f"{loaded.file}/{p.filename}", p.partner_id or "",
             build_document(library(), loaded, p.kind, p.partner_id))
            for p in plan(loaded.answers) if p.kind == "sub_contract"]


def route_sets() -> list[tuple[str, LoadedAnswers]]:
    """The two lead-provider sets under every award route of the Provider Selection Regime."""
    routes = STANDSTILL_ROUTES + ("direct_award_a", "direct_award_b")
    return [(f"{path.stem}-{route}", changed(path, head_contract={
        "provider_selection_route": route, "considerable_change": False}))
            for path in (DOMINANT, NORTH_EAST) for route in routes]


def partner_kind(loaded: LoadedAnswers, partner: str) -> str:
    return next(m.kind for m in loaded.answers.members if m.id == partner)


# --------------------------------------------------------------------------- B1.2 standstill


class TestB12SignedOnlyAfterTheStandstill:
    """A sub-contract that needs a standstill is signed only after it ends and representations
    are closed; no operative text lets it be signed earlier with deferred effect, and the
    fallback is a drafting note only."""

    @pytest.mark.parametrize("name,loaded", route_sets(), **IDS)
    def test_over_every_route(self, name: str, loaded: LoadedAnswers) -> None:
        route = loaded.answers.head_contract.provider_selection_route
        for label, _, doc in sub_contracts(loaded):
            text = clause_text(doc, "provider-selection")
            whole = flat(doc)
            assert "If, when this Sub-Contract is signed, the Standstill Period has not ended" \
                not in whole, label
            assert "takes effect only when the Lead Provider confirms" not in whole, label
            if route in STANDSTILL_ROUTES:
                assert ("The parties signed this Sub-Contract only after the Standstill Period "
                        "had ended and every representation made during it had been finally "
                        "considered") in text, label
                assert "observed the Standstill Period" in text, label
                assert "Do not sign before the standstill period has ended" in \
                    " ".join(note(doc, "provider-selection").split()), label
            else:
                assert "Standstill Period" not in text, label
                assert "No standstill period applies to this route" in text, label

    def test_every_sub_contract_says_so(self) -> None:
        found = 0
        for label, loaded, _, doc in every_sub_contract():
            if loaded.answers.head_contract.provider_selection_route in STANDSTILL_ROUTES:
                found += 1
                assert "only after the Standstill Period had ended" in \
                    clause_text(doc, "provider-selection"), label
        assert found >= 5


# --------------------------------------------------------------------------- B1.3 data conditions


def part_a_conditions(doc: Document) -> str:
    """The list of Conditions Precedent in Schedule 1, Part A (up to the data conditions)."""
    text = schedule_text(doc, "sc-commencement")
    start = text.index("The Conditions Precedent, on which")
    return text[start:text.index("The data conditions are not Conditions Precedent", start)]


class TestB13DataConditionsGateOnlyTheSharing:
    """The DSPT evidence and a DPIA are never Conditions Precedent of the whole sub-contract:
    they hold up only the sharing they protect, never the service or its payment; the
    Conditions Precedent are the consent, CQC registration, indemnity cover and membership."""

    def test_over_every_sub_contract(self) -> None:
        dpia = 0
        for label, loaded, partner, doc in every_sub_contract():
            conditions = part_a_conditions(doc)
            assert "DSPT" not in conditions and "DPIA" not in conditions, label
            assert "has given any consent to this Sub-Contract that the Head Contract requires" \
                in conditions, label
            assert "evidence of its registration with the CQC" in conditions, label
            nhs = partner_kind(loaded, partner) in ("nhs_trust", "nhs_foundation_trust")
            assert ("membership of the NHS Resolution Schemes" if nhs
                    else "cover for clinical negligence") in conditions, label
            if "collaboration_agreement" in loaded.answers.documents:
                assert "is a party to the Collaboration Agreement" in conditions, label
            data = schedule_text(doc, "sc-commencement").split(
                "The data conditions are not Conditions Precedent")[1]
            assert data.startswith(": neither the start of the Sub-Contracted Services nor "
                                   "payment for them waits for them"), label
            assert "evidence that it meets the standard of the DSPT" in data, label  # round 22
            if loaded.answers.data.dpia == "before_go_live" and \
                    loaded.answers.data.kinds != "anonymised":
                dpia += 1
                assert "only after the DPIA of the sharing has been completed" in data, label
            else:
                assert "DPIA" not in data, label
        assert dpia >= 2


# --------------------------------------------------------------------------- B2.1 / B3.3 one cap


def agreement_of(loaded: LoadedAnswers) -> Document:
    return build_document(library(), loaded, "collaboration_agreement", None)


def covenant_sub_contracts() -> list[tuple[str, LoadedAnswers, str, Document]]:
    """Every sub-contract of a Covenant Member whose liability the covenant clause limits."""
    return [(label, loaded, partner, doc) for label, loaded, partner, doc in every_sub_contract()
            if next(m for m in loaded.answers.members if m.id == partner).banking_covenants
            and loaded.answers.finance.liability != "several_with_cap"]


class TestB21OneCapForACovenantMember:
    """A Covenant Member has one limit, a sum of [£●] per Contract Year, set once by the
    agreement's banking-covenant clause for every pack document; its sub-contract cites it and
    sets no multiple of its own."""

    def test_the_sub_contract_cites_the_agreements_one_limit(self) -> None:
        cited = 0
        for label, loaded, _, doc in covenant_sub_contracts():
            text = clause_text(doc, "liability-insurance")
            assert "times the expected annual value" not in text, label
            assert "[●] times" not in flat(doc), label
            if "collaboration_agreement" in loaded.answers.documents:
                cited += 1
                number = number_of(agreement_of(loaded), "banking-covenants")
                assert ("counts towards, and is limited by, the one limit of the Sub-Contractor's "
                        "total liability in each Contract Year shown as its covenant cap in its row "
                        f"of Schedule") in text and (f"which clause {number} (Members with banking "
                        "covenants) of that agreement applies") in text, label
                cap = text[text.index("the liability of the Sub-Contractor to the Lead Provider"):]
                # round 11c: the agreement's blank is repeated once, beside the reference
                # round 14: the exclusion sub-clause after the cap now goes on past "the prices
                # of the Sub-Contracted Services" (passed-on commissioner sums), so the cap is
                # read up to the indemnity-claims sub-clause that follows it
                cap = cap[:cap.index("A party claiming under an indemnity")]
                assert cap.count("[£●]") <= 1, label
                assert "the one sum per contract year" in " ".join(
                    note(doc, "liability-insurance").split()), label
            else:
                assert "is limited in each Contract Year to [£●]" in text, label
        assert cited >= 2

    def test_the_agreement_states_the_one_limit_for_every_pack_document(self) -> None:
        seen = set()
        for _, loaded, _, _ in covenant_sub_contracts():
            if loaded.file in seen or "collaboration_agreement" not in loaded.answers.documents:
                continue
            seen.add(loaded.file)
            text = clause_text(agreement_of(loaded), "banking-covenants")
            assert "[£●]" not in text, loaded.file
            assert "is limited to one sum, its covenant cap, which is shown in its row of" in text, loaded.file
            assert "any sub-contract of its own with the Lead Provider" in text, loaded.file
            if "data_sharing" in loaded.answers.documents:
                assert "the data sharing agreement between the Members" in text, loaded.file
            assert "none of them sets a limit of its own that adds to it" in text, loaded.file
        assert len(seen) >= 2


# --------------------------------------------------------------------------- B2.2 head contract


class TestB22HeadContractOutcomeBindsOnlyAsToFacts:
    """A Covenant Member is bound by the outcome of a head-contract dispute only as to facts,
    and only within the covenant clause and its limit."""

    def test_over_every_covenant_sub_contract(self) -> None:
        found = 0
        for label, loaded, _, doc in covenant_sub_contracts():
            text = clause_text(doc, "banking-covenants")
            # round 12: the covenant clause cites the dispute clause for when an outcome binds,
            # and its own-breach sub-clause (which cites the limit) for the liability
            # round 13: banking-covenants v12 states the rule once: the dispute clause says when
            # an outcome binds (below); the own-breach sub-clause cites the covenant cap
            assert "(which binds it only as clause" not in text, label
            assert (f"as clause {doc.targets['liability-insurance.covenant-cap'].number} "
                    "provides" in text), label
            # round 20: under or in connection with it, in contract, tort or otherwise
            assert "liability of the Sub-Contractor to the Lead Provider under or in connection " \
                "with this Sub-Contract" in clause_text(doc, "liability-insurance"), label
            assert "only as to the facts found" in clause_text(doc, "dispute-resolution"), label
            found += 1
        assert found >= 3


# --------------------------------------------------------------------------- B1.7 barrier


class TestB17TheBarrierIsAFactInTheAgreementsTerms:
    """Where the lead commissions (and so provides services of its own beside its partners'),
    the information barrier is stated as a fact, in the agreement's terms (Commissioning Hub,
    Provider Arm), once in each sub-contract."""

    def test_over_every_sub_contract(self) -> None:
        stated = 0
        for label, loaded, _, doc in every_sub_contract():
            text = flat(doc)
            assert text.count("keeps on systems, or in folders, that only those staff can "
                              "access") <= 1, label
            barrier = clause_text(doc, "sc-contract-management")
            if "keeps on systems, or in folders" not in barrier:
                # until the lead-provider-role clause gives it up, an independent-sector
                # partner's barrier sits in that clause
                assert "competition-information-barrier" in {c.id for c in doc.clauses}, label
                continue
            commissioning = loaded.answers.commissioning
            if not commissioning.lead_commissions:
                assert "Where the Lead Provider provides services of its own" in barrier, label
                continue
            stated += 1
            # round 11: the lead "may also provide" services of its own; that they compete with
            # the partner's is not stated as a fact the answers do not give.
            assert ("The Lead Provider commissions the Services under the Head Contract and may "
                    "also provide services of its own through its Provider Arm") in barrier, label
            assert "also provides services of its own, through its Provider Arm, that compete" \
                not in barrier, label
            assert "Where the Lead Provider provides services of its own" not in barrier, label
            assert "(no one in its Provider Arm), or for its bids or pricing" in barrier, label
            if "commissioning_hub" in commissioning.separation and \
                    "collaboration_agreement" in loaded.answers.documents:
                number = number_of(agreement_of(loaded), "commissioning-separation")
                assert (f"through the team that clause {number} (Separation of the Lead "
                        "Provider's commissioning and provider roles) of the Collaboration "
                        "Agreement sets up for them (the \"Commissioning Hub\"), kept separate "
                        "from its Provider Arm") in barrier, label
                assert "makes available only to the staff of its Commissioning Hub" in barrier, label
        assert stated >= 3


# --------------------------------------------------------------------------- B1.4-B1.8 minor


def schedule_text_and_tables(document: Document, schedule_id: str) -> str:
    """One schedule's paragraphs and table cells in document order, on one line."""
    schedules = {k[6:]: v.number for k, v in document.targets.items() if k.startswith("sched:")}
    words: list[str] = []
    for schedule in document.schedules:
        if schedule.id != schedule_id:
            continue
        for block in schedule.blocks:
            if isinstance(block, Paragraph):
                words.append(plain(block.inlines, document.targets, schedules))
            elif isinstance(block, Table):
                words.extend(block.header)
                words.extend(plain(cell, document.targets, schedules)
                             for row in block.rows for cell in row)
    return " ".join(words)


class TestB18MinorPoints:
    """An invoice is "valid and undisputed" everywhere; a key performance indicator named in a
    sentence is quoted with its capitals; prices move by a stated measure or a marked blank."""

    def test_over_every_sub_contract(self) -> None:
        quoted = 0
        for label, loaded, partner, doc in every_sub_contract():
            text = flat(doc)
            assert "valid invoice" not in text and "valid, undisputed" not in text, label
            # round 11: the Particulars cite clause 13 for payment timing
            assert "valid and undisputed invoice" in clause_text(doc, "sc-payment"), label
            payment = schedule_text(doc, "sc-payment")
            assert "in the same proportion as the prices payable to the Lead Provider" \
                not in payment, label
            # round 12: Part C names every route by which prices change
            assert ("They change only in these ways: by [●] (the measure of price change the "
                    "parties agree) from the start of each later Contract Year") in payment, label
            assert "cost uplift factor less the efficiency factor" in schedule_note(
                doc, "sc-payment"), label
            # round 11c (sc-quality v8): such indicators sit in their own table, reported for
            # information, so the table's cells are read in place after the sentence
            quality = schedule_text_and_tables(doc, "sc-quality")
            found = re.search(r"reports the following indicators? for information only(.+)",
                              quality, re.S)
            if found:
                quoted += 1
                for kpi in loaded.answers.lead_decision_kpis()[partner]:
                    name = getattr(kpi, "name", kpi).strip().rstrip(".")
                    assert name[1:].lower() in found.group(1).lower(), (label, name)
                    # and not also among the binding targets before it
                    assert name[1:].lower() not in quality[:found.start()].lower(), (label, name)
        assert quoted >= 2
