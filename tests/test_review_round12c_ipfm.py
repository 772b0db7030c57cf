"""Round 12 partner review, follow-up: intellectual property, force majeure and the referral duty
of the sub-contracts (report B, documents 1 and 2; reports A and D on mutual aid).

Each test drafts every sub-contract of the answer sets (scenarios, examples, generated sets and
the lead-provider sets under each payment basis, through `every_sub_contract`), with the
collaboration agreement of the same pack where there is one, and asserts the rule the partner
asked for.
"""

from __future__ import annotations

import re
from collections import defaultdict

from drafting.build.pack import build_document, plan
from drafting.model import Document
from tests.test_partner_review import clause_text, flat, library
from tests.test_review_round6_sc import every_sub_contract

DEFINITION = re.compile(r"“Foreground IP” means (.*?)(?= “[^”]+” means|$)")


def foreground_ip_definition(document: Document) -> str:
    match = DEFINITION.search(flat(document))
    return match.group(1).strip() if match else ""


def agreements() -> dict[str, Document]:
    """The collaboration agreement of each pack that has sub-contracts, by answers file."""
    made: dict[str, Document] = {}
    for _label, loaded, _partner, _document in every_sub_contract():
        if loaded.file in made:
            continue
        for part in plan(loaded.answers):
            if part.kind == "collaboration_agreement":
                made[loaded.file] = build_document(library(), loaded, part.kind, None)
    return made


# ------------------------------------------------------------ B1.1 / B1.2 / B2.1 Foreground IP


def test_b1_1_foreground_ip_is_defined_once_for_the_pack_and_licensed_no_wider() -> None:
    """Foreground IP reads word for word the same in the agreement and every sub-contract, and
    leaves with every party the materials it creates only for its own services. A partner's
    licence is the agreement's: its wider use (any of its own services) covers only what it
    created; commercialisation has one definition; a licensee sub-licenses only to its own
    contractors."""
    by_pack: dict[str, set[str]] = defaultdict(set)
    for file, document in agreements().items():
        by_pack[file].add(foreground_ip_definition(document))
    checked = 0
    for label, loaded, _partner, document in every_sub_contract():
        definition = foreground_ip_definition(document)
        assert definition, label
        assert "only to deliver its own services" in definition, (label, definition)
        assert "performance of this Sub-Contract" not in definition, (label, definition)
        by_pack[loaded.file].add(definition)
        ip = clause_text(document, "ip-ownership")
        assert "other party's contractors" not in ip, label
        for sentence in re.split(r"(?<=\.)\s+", ip):
            if "to provide any of its own health and care services" in sentence:
                assert "Foreground IP it created" in sentence, (label, sentence)
        # round 13 (F4): the uses that are commercialisation are listed once, in the licence,
        # and the commercialisation sub-clause cites it
        assert ip.count("licensing it for a fee or royalty") == 1, label
        assert "licensing it for a fee or royalty or using it to provide services" in ip, label
        checked += 1
    assert checked >= 15
    assert all(len(definitions) == 1 for definitions in by_pack.values()), {
        file: definitions for file, definitions in by_pack.items() if len(definitions) > 1}


# ------------------------------------------------------------ B1.3 / B2.2 force majeure payment


def test_b1_3_force_majeure_payment_follows_the_suspension_rule_not_the_leads_receipts() -> None:
    """No payment is tied to what the Lead Provider is itself paid under the Head Contract: the
    services a force majeure event prevents are paid as suspended services are (unavoidable
    costs, with evidence), and the period goes into the reconciliation or activity review."""
    checked = 0
    for label, loaded, partner, document in every_sub_contract():
        text = clause_text(document, "force-majeure")
        assert "itself paid for them" not in text, label
        assert "under the Head Contract" not in text.split("Force Majeure Event prevents the")[-1]\
            .split(".")[0], label
        suspension = document.targets["sc-term-termination.suspension-payment"].number
        assert f"as sub-clause {suspension} provides for suspended services" in text, label
        assert "cannot reasonably avoid, as it shows with evidence" in text, label
        if loaded.answers.sub_contract_terms[partner].payment_basis == "block":
            reconciliation = document.targets["sc-payment.reconciliation"].number
            assert f"reviewed against the indicative activity plan as clause {reconciliation} provides" \
                in text, label
        else:
            # round 15: otherwise the days count in the reconciliation as days of suspension
            assert re.search(r"count in the reconciliation as Schedule \d+, Part A provides for days of "
                             r"suspension", text), label
        checked += 1
    assert checked >= 15


# ------------------------------------------------------------ A1.5 / B1.5 / D1.9 mutual aid words


def test_a1_5_mutual_aid_has_no_referral_route_limb() -> None:
    """"is given without a referral route" meant nothing: the mutual aid limb says only that aid
    is given so far as the Provider Selection Regime permits, recorded as it requires; in a
    two-party sub-contract it is "the parties", not "the parties concerned"."""
    documents = [(label, document) for label, _l, _p, document in every_sub_contract()]
    documents += list(agreements().items())
    for label, document in documents:
        text = clause_text(document, "force-majeure")
        assert "referral route" not in text, label
        assert "(including the urgency exemption), recorded as they require" in text, label
    for label, loaded, partner, document in every_sub_contract():
        assert "parties concerned" not in clause_text(document, "force-majeure"), label
    assert len(documents) >= 20


# ------------------------------------------------------------ B2.3 block price referral duty


def test_b2_3_block_price_referral_duty_is_limited_to_commissioned_capacity() -> None:
    """On a block price the partner need not take a patient beyond the commissioned capacity in
    the indicative activity plan, and occupancy above it triggers a review of the plan; on the
    other bases neither sentence appears."""
    blocks = 0
    for label, loaded, partner, document in every_sub_contract():
        text = clause_text(document, "sc-services")
        block = loaded.answers.sub_contract_terms[partner].payment_basis == "block"
        capacity = re.search(r"beyond the commissioned capacity in the indicative activity plan"
                             r" in Schedule \d+, Part B", text)
        # round 13: numbers in figures ("2 consecutive months")
        review = re.search(r"runs above its commissioned capacity in Schedule \d+, Part B for 2"
                           r" consecutive months, either party may by notice require a review",
                           text)
        assert bool(capacity) == block and bool(review) == block, label
        blocks += block
    assert blocks >= 3
