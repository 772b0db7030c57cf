"""Round-11b findings on the clauses the sub-contract shares with the agreement, as rules over
many answer sets.

Each rule is checked on every sub-contract of the bundled examples, the scenario answer sets,
the lead-provider sets under each payment basis and generated answer sets (and, for the
agreement's clauses, on every document of those packs). The names (B1.2 ...) are the review's:
report B, document 1, finding 2.
"""

from __future__ import annotations

from tests.test_partner_review import clause_text
from tests.test_review_round6_sc import every_sub_contract


def words(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- B1.2 head contract


class TestB12HeadContractDisputesTreatEveryPartnerAlike:
    """Every partner, NHS or not, has the right to take part in the head contract's dispute
    procedure and make representations, is liable only for its own breach and is bound by the
    outcome only where it took part; the Lead Provider never requires it to take part and the
    two are never "both bound"."""

    def test_every_sub_contract(self) -> None:
        cases = every_sub_contract()
        kinds = set()
        for label, loaded, partner, doc in cases:
            text = words(clause_text(doc, "dispute-resolution"))
            kinds.add(next(m.kind for m in loaded.answers.members if m.id == partner))
            assert "may require the Sub-Contractor to take part" not in text, label
            assert "both parties are bound" not in text, label
            assert ("the Sub-Contractor has the right to take part in the dispute resolution "
                    "procedure of the Head Contract") in text, label
            assert "and to make representations in it" in text, label
            # round 12: the liability that follows from the outcome cites the liability clause
            assert ("Any liability of the Sub-Contractor that follows from the outcome arises "
                    "only under clause") in text, label
            assert "binds the Sub-Contractor only where it took part in it" in text, label
        assert {"nhs_trust", "nhs_foundation_trust"} & kinds and kinds - {
            "nhs_trust", "nhs_foundation_trust"}


# --------------------------------------------------------------------------- B1.3 ending


class TestB13EthicsBreachDoesNotSayHowTheSubContractEnds:
    """Only the termination clause says how a sub-contract ends; round 13: the ethical-standards
    clause no longer says a breach may be a ground for expulsion "if it is also a ground" (the
    contract-management clause says once that the sub-contract adds no ground)."""

    def test_every_sub_contract(self) -> None:
        for label, _, _, doc in every_sub_contract():
            text = words(clause_text(doc, "ethical-standards"))
            assert "through which alone" not in text, label
            assert "ground for its expulsion" not in text, label  # round 13


# --------------------------------------------------------------------------- B1.1 payment, fee


class TestB11LeadProviderPaysAsThePaymentClauseProvides:
    """The Lead Provider's duties in a sub-contract cite the payment clause for when it pays,
    and the Management Fee is defined by the Sub-Contractor's own services, never by "each
    Partner"."""

    def test_every_sub_contract(self) -> None:
        kinds = set()
        for label, loaded, _, doc in every_sub_contract():
            text = words(clause_text(doc, "lead-provider-role"))
            payment = doc.targets["sc-payment"].number
            assert "valid and undisputed invoice" not in text, label
            assert f"pays the Sub-Contractor as clause {payment} provides, whether or not" \
                in text, label
            definitions = words(clause_text(doc, "definitions"))
            kind = loaded.answers.commissioning.management_fee.kind
            kinds.add(kind)
            if "“Management Fee” means" in definitions:
                fee = definitions[definitions.index("“Management Fee” means"):][:400]
                assert "Partner" not in fee, label
                if kind == "percent":
                    assert ("of the value of the services the Sub-Contractor provides under "
                            "this Sub-Contract") in fee, label
        assert "percent" in kinds


# --------------------------------------------------------------------------- B2.1 covenant cap


class TestB21CovenantCapLimitsOnlyUninsuredLiability:
    """The sub-contract's covenant cap agrees with the banking-covenant clause: a liability met
    by the Sub-Contractor's insurance or indemnity scheme cover, including under the indemnity,
    is outside the cap and does not count towards it."""

    def test_every_sub_contract(self) -> None:
        capped = 0
        for label, _, _, doc in every_sub_contract():
            if "liability-insurance.covenant-cap" not in doc.targets:
                continue
            capped += 1
            text = words(clause_text(doc, "liability-insurance"))
            indemnity = doc.targets["liability-insurance.indemnity"].number
            # round 12 (liability-insurance v11): the cap is set out in lettered paragraphs, one
            # of which limits it to liability that insurance or an indemnity scheme does not meet.
            assert ("counts towards the limit only so far as insurance or an indemnity scheme "
                    "does not meet it") in text, label
            assert (f"whether under the indemnity in sub-clause {indemnity} or otherwise, is "
                    "outside the limit and does not count towards it") in text, label
        assert capped >= 2


# --------------------------------------------------------------------------- B1.8 complaints


class TestB18TheInterestedLeadProviderDoesNotPickTheComplaintLead:
    """In a sub-contract, and in an agreement with a lead provider, the Lead Provider never
    decides who leads a joint complaint response: the provider of most of the care leads and a
    tie goes to the Chair (or the Commissioning Hub, apart from the Provider Arm)."""

    def test_every_sub_contract(self) -> None:
        for label, _, _, doc in every_sub_contract():
            text = words(clause_text(doc, "complaints"))
            assert "the Lead Provider decides" not in text, label
            assert "the party that provided most of the care complained about leads." in text
            # round 12 (complaints v5): in a sub-contract the tie is broken between its two
            # parties (the Chair, not a party, decides only in the agreement).
            assert "If they provided equal shares of that care, the party that first received " \
                "the complaint leads." in text, label
            assert "the Chair decides" not in text, label

    def test_every_agreement_with_a_lead_provider(self) -> None:
        from tests.test_review_round10b_sc import agreement, agreement_sets
        seen = 0
        for label, _ in agreement_sets():
            doc = agreement(label)
            if "lead-provider-role" not in {c.id for c in doc.clauses}:
                continue
            seen += 1
            text = words(clause_text(doc, "complaints"))
            assert "the Lead Provider decides" not in text, label
            assert "the Member that provided most of the care complained about leads." in text
        assert seen >= 2


# --------------------------------------------------------------------------- D1.8 NHS bodies


NHS_BODY_CLAUSES = ("ip-ownership", "conditions-precedent", "joining", "execution")


def every_pack_document() -> list[tuple[str, object]]:
    from tests.review_sets import ALL
    from tests.test_partner_review import pack
    return [(f"{path.stem}/{name}", doc) for path in ALL for name, doc in pack(path).items()]


class TestD18NoUndefinedNhsBodies:
    """"NHS bodies" is not a defined term: the clauses and their drafting notes use the pack's
    defined terms ("Health Service Body", "NHS Member") or say "NHS trust or NHS foundation
    trust"."""

    def test_every_document_of_every_pack(self) -> None:
        from tests.test_review_round6_sc import note
        seen: dict[str, int] = dict.fromkeys(NHS_BODY_CLAUSES, 0)
        for label, doc in every_pack_document():
            for clause_id in NHS_BODY_CLAUSES:
                text = clause_text(doc, clause_id)  # type: ignore[arg-type]
                if text:
                    seen[clause_id] += 1
                assert "NHS bodies" not in text and "NHS body" not in text, (label, clause_id)
            assert "an NHS body whose standing orders" not in note(doc, "execution"), label
            text = words(clause_text(doc, "conditions-precedent"))  # type: ignore[arg-type]
            if "may proceed only where" in text:
                assert "at least two NHS Members" in text, label
        assert all(seen.values()), seen
