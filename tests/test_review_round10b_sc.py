"""A healthcare partner's review of the sub-contracts (report B, documents 1 and 2) and the
agreement's expulsion clause, as rules over many answer sets.

Each rule is checked on the bundled examples, the scenario answer sets and those sets changed to
reach another legal form (a vehicle, reserved matters, an independent partner). The names (B1.4
...) are the review's: report B, document 1, finding 4.
"""

from __future__ import annotations

from functools import lru_cache

from drafting.build.pack import build_document, plan
from drafting.errors import AnswersError
from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from tests.review_sets import ALL, DOMINANT, JOINT, NORTH_EAST, SHARED, WEST
from tests.test_partner_review import changed, clause_text, flat, library
from tests.test_review_round6_sc import every_sub_contract


@lru_cache(maxsize=None)
def agreement_sets() -> tuple[tuple[str, LoadedAnswers], ...]:
    """Answer sets that draft a collaboration agreement, some changed to another vehicle or
    without expulsion as a reserved matter."""
    sets = [(p.stem, load_answers(p)) for p in ALL]
    for path in (DOMINANT, NORTH_EAST, JOINT):
        for vehicle in ("committees_in_common", "joint_committee", "partnership_board"):
            try:
                sets.append((f"{path.stem}+{vehicle}",
                             changed(path, governance={"vehicle": vehicle})))
            except AnswersError:  # a form these members cannot take (an IS voter in a committee)
                continue
    for path in (SHARED, WEST):
        sets.append((f"{path.stem}+insolvency", changed(
            path, membership={"expulsion_grounds": ["material_breach", "insolvency",
                                                    "loss_of_registration"]})))
    return tuple((label, loaded) for label, loaded in sets
                 if "collaboration_agreement" in {p.kind for p in plan(loaded.answers)})


@lru_cache(maxsize=None)
def agreement(label: str) -> Document:
    loaded = dict(agreement_sets())[label]
    return build_document(library(), loaded, "collaboration_agreement", None)


# --------------------------------------------------------------------------- B1.1 expulsion vote


class TestB11ObjectiveExpulsionNotBlockable:
    """Where expulsion would otherwise need every other Voting Member (a Reserved Matter, or
    the decision of each other Member Board), an expulsion for insolvency or a lost registration
    is carried by the other Voting Members holding at least half of their votes. Round 13 (D2):
    where expulsion is a Reserved Matter, every ground uses the reserved-matter rule."""

    def test_objective_grounds_by_half_of_the_others(self) -> None:
        checked = 0
        for label, loaded in agreement_sets():
            answers = loaded.answers
            grounds = answers.membership.expulsion_grounds
            unanimous = ("expel_member" in answers.governance.reserved_matters
                         or answers.governance.vehicle in ("committees_in_common",
                                                           "joint_committee"))
            if not unanimous or not {"insolvency", "loss_of_registration"} & set(grounds):
                continue
            doc = agreement(label)
            text = clause_text(doc, "expulsion")
            # round 13 (D2): where expulsion is a Reserved Matter, every ground (insolvency and
            # lost registration included) uses the reserved-matter rule: no "matter of fact"
            # exception decided by more than half of the others
            if "expel_member" in answers.governance.reserved_matters:
                rule = doc.targets["voting.reserved-rule"].number
                assert (f"The decision to expel is one of the Reserved Matters, decided only as "
                        f"clause {rule} provides") in text, label
                assert "is decided by more than half of the other Voting Members" not in text, \
                    label
                assert "matter of fact" not in text, label
                assert "it suffers an Insolvency Event" in text, label
                if "loss_of_registration" in grounds:
                    assert "registration with the CQC" in text, label
            else:
                # round 10c: counted in members; round 11c: one rule, more than half of the others
                assert "is decided by more than half of the other Voting Members" in text, label
                others = sum(1 for m in answers.members if m.member_class == "voting") - 1
                assert ("no one Voting Member can" in text) == (others >= 2), label
            assert "never by fewer than two of them" not in text, label
            checked += 1
        assert checked >= 8


# --------------------------------------------------------------------------- B1.4 Member


class TestB14OneMemberDefinition:
    """Where an observer is a party to the agreement, the sub-contract's "Member" excludes it in
    the agreement's words ("other than as an observer"); round 10c: the sub-contract defines no
    "Observer" of its own unless a clause of it uses the term (a two-party contract needs no
    definition carrying the agreement's rules for observers)."""

    def test_every_sub_contract_with_an_observer(self) -> None:
        cases = [(label, loaded, doc) for label, loaded, _, doc in every_sub_contract()
                 if loaded.answers.members and any(
                     m.member_class == "observer" for m in loaded.answers.members)]
        assert len(cases) >= 3
        for label, loaded, doc in cases:
            text = flat(doc)
            assert ("“Member” means each organisation that is a party to the Collaboration "
                    "Agreement or later joins it, other than as an observer, for as long as "
                    "it remains a party") in text, label
            defined = "“Observer” means " in text
            used = text.replace("“Observer” means ", "").count("Observer") > 0
            assert defined == used, label


# --------------------------------------------------------------------------- B1.6 complaints


def checklist(document: Document) -> str:
    return " ".join((document.clauses[0].note or "").split())


class TestB16JointComplaintDefault:
    """The seven days to agree who leads a joint complaint response have a default in every
    document that has them, and the default is on the checklist. (round 11b: the provider of
    most of the care leads, never the interested Lead Provider; a tie goes to the Chair.)"""

    def test_every_sub_contract(self) -> None:
        cases = every_sub_contract()
        assert len(cases) >= 5
        for label, loaded, _, doc in cases:
            text = clause_text(doc, "complaints")
            assert ("If they have not agreed within those seven days, the party that provided "
                    "most of the care complained about leads") in text, label
            # round 14: the checklist states periods in figures
            assert ("the provider of most of the care complained about leads a joint complaint "
                    "response if they do not agree within 7 days") in checklist(doc), label

    def test_every_agreement(self) -> None:
        for label, _ in agreement_sets():
            doc = agreement(label)
            text = clause_text(doc, "complaints")
            assert "the Lead Provider decides" not in text, label
            assert ("If they have not agreed within those seven days, the Member that "
                    "provided most of the care complained about leads") in text, label
            assert "the provider of most of the care complained about leads" \
                in checklist(doc), label



# --------------------------------------------------------------------------- B2.8 insurance


class TestB28InsuranceEvidenceNotFreelyWaived:
    """A partner that is not an NHS body may be let off the evidence of its clinical
    negligence cover and insurance only against evidence that it has applied for that cover,
    and then provides no services until the cover is in place."""

    def test_every_sub_contract_with_a_non_nhs_partner(self) -> None:
        cases = [(label, doc) for label, loaded, partner, doc in every_sub_contract()
                 if next(m for m in loaded.answers.members if m.id == partner).kind
                 not in ("nhs_trust", "nhs_foundation_trust")]
        assert len(cases) >= 2
        for label, doc in cases:
            text = clause_text(doc, "conditions-precedent")
            assert ("only where the Sub-Contractor has given it written evidence that it has "
                    "applied for that cover") in text, label
            assert ("provides none of the Sub-Contracted Services until it has given the Lead "
                    "Provider evidence that the cover is in place") in text, label
            assert "its insurance, which is commercial" not in text, label


# --------------------------------------------------------------------------- B2.9 IP licence


class TestB29LicenceScopeOnce:
    """Every licence of Foreground IP is to provide services to NHS patients and for the
    collaborative's work; any other use is commercialisation under the commercialisation
    sub-clause, cited, so the licence and the bar cannot be read against each other."""

    def test_every_sub_contract_and_agreement(self) -> None:
        documents = [(label, doc) for label, _, _, doc in every_sub_contract()]
        documents += [(label, agreement(label)) for label, _ in agreement_sets()]
        for label, doc in documents:
            text = clause_text(doc, "ip-ownership")
            number = doc.targets["ip-ownership.commercialisation"].number
            assert "for the provision of health and care services" not in text, label
            # round 10c: with a local authority or VCSE member the licence covers publicly
            # funded health and care services instead of services to NHS patients.
            public = "to provide publicly funded health and care services" in text
            # round 11c (B2.3): an independent-sector creator's licence covers all its own
            # services; any other use is still commercialisation under the cited sub-clause.
            own = doc.kind == "sub_contract" and \
                "to provide any of its own health and care services" in text
            assert public or own or "to provide health and care services to NHS patients" in text, label
            if own:
                # round 12 (r12c-ipfm, B1.1): the independent creator's wider use covers only
                # the Foreground IP it created, as the agreement allows; the licence of the rest
                # keeps the agreement's scope and its commercialisation sentence below
                assert ("The Sub-Contractor may also use the Foreground IP it created to provide "
                        "any of its own health and care services") in text, label
            scope = ("services other than publicly funded health and care services" if public
                     else "services to anyone other than NHS patients")
            # round 12 (r12c-ipfm): where the licence is followed by the creator's own-use
            # permission, "any other use" excepts that use, citing it, so the two agree.
            creator = "may also use the Foreground IP it created to provide any of its own" in text
            excepted = (f" (except the use of the Foreground IP it created that sub-clause "
                        f"{doc.targets['ip-ownership.creator-use'].number} allows)"
                        if creator else "")
            # round 13 (F4): the licence lists the uses that are commercialisation, once
            assert (f"Any other use of it{excepted}, including selling it, licensing it for a fee "
                    f"or royalty or using it to provide {scope}, is "
                    f"commercialisation and needs the approval that clause {number} requires") \
                in text, label
