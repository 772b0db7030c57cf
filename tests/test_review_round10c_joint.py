"""A healthcare partner's tenth review (short round) of the intellectual property, force
majeure and mutual aid terms, as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
collaboration agreements and sub-contracts of the bundled examples, the scenario answer sets
and generated collaboratives (as `drafting lint` drafts them), and reads the text a lawyer
would read. The ids (D1.4, C1.7 ...) are the review's: report, document, finding.
"""

from __future__ import annotations

from functools import lru_cache

from drafting.model import Document
from drafting.read.load import LoadedAnswers
from tests.test_partner_review import ALL, JOINT, changed, clause_text, flat
from tests.test_review_round6_data import every_document, files, generated

Drafted = list[tuple[str, LoadedAnswers, Document]]
PUBLIC_KINDS = ("local_authority", "vcse")


@lru_cache(maxsize=None)
def drafted() -> Drafted:
    sets = files(ALL) + generated()
    sets.append(("joint-ip-jointly-owned", changed(JOINT, ip={"foreground": "joint"})))
    return every_document(sets, ("collaboration_agreement", "sub_contract"))


def of_kind(kind: str) -> Drafted:
    return [d for d in drafted() if d[2].kind == kind]


def number(doc: Document, clause_id: str) -> str:
    return next(c.number for c in doc.clauses if c.id == clause_id)


# --------------------------------------------------------------------------- D1.4 licence


class TestD14TheForegroundLicenceFollowsTheMembersKinds:
    """With a local authority or VCSE member the licences cover publicly funded health and
    care services and free sharing reaches other public bodies; otherwise NHS patients."""

    def test_every_agreement_and_sub_contract(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in drafted():
            text = clause_text(doc, "ip-ownership")
            if not text:
                continue
            public = any(m.kind in PUBLIC_KINDS and m.member_class != "observer"
                         for m in loaded.answers.members)
            seen[public] += 1
            if public:
                assert "to provide publicly funded health and care services" in text, label
                assert "NHS patients" not in text, label
                # round 11b: the defined term (or, in a sub-contract, the bodies it names)
                assert ("any Health Service Body and other public bodies" in text
                        or "NHS England and other public bodies" in text), label
            else:
                # round 11c (B2.3): an independent-sector creator keeps a licence for all its own
                # services, and the lead may not use what it created for its own services.
                own = (doc.kind == "sub_contract"
                       and "to provide any of its own health and care services" in text)
                assert "health and care services to NHS patients" in text or own, label
                if own:
                    assert "without the Sub-Contractor's written consent" in text, label
                assert "publicly funded" not in text, label
        assert seen[True] and seen[False], seen


# --------------------------------------------------------------------------- C1.7 mutual aid


class TestC17MutualAidIsDistinctFromPlannedCapacitySharing:
    """Mutual aid is emergency, temporary and at cost; planned capacity sharing goes through
    the inter-provider route, and each clause points to the other."""

    def test_every_collaboration_agreement(self) -> None:
        crossed = 0
        for label, _, doc in of_kind("collaboration_agreement"):
            fm = clause_text(doc, "force-majeure")
            # round 12: mutual aid set out in lettered paragraphs
            assert "is temporary, lasting only while the emergency does" in fm, label
            assert "recharged at cost" in fm, label
            ipa = clause_text(doc, "inter-provider-activity")
            if not ipa:
                assert "capacity sharing under clause" not in fm, label
                continue
            crossed += 1
            fm_n, ipa_n = number(doc, "force-majeure"), number(doc, "inter-provider-activity")
            assert f"is capacity sharing under clause {ipa_n}," in fm, label
            assert f"It does not apply to mutual aid under clause {fm_n}." in ipa, label
        assert crossed, "no agreement has the inter-provider clause"


# --------------------------------------------------------------------------- A1.8 lead leaves


class TestA18ForceMajeureNeverLetsTheLeadProviderLeave:
    """The affected Member's right to withdraw after a prolonged force majeure event carves
    out the Lead Provider, which leaves only as the withdrawal clause allows it."""

    def test_every_collaboration_agreement(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in of_kind("collaboration_agreement"):
            fm = clause_text(doc, "force-majeure")
            lead = loaded.answers.lead is not None
            seen[lead] += 1
            # round 12: the Lead Provider's carve-out is a sub-clause of its own
            carve = "does not apply to the Lead Provider" in fm
            assert carve == lead, label
            if lead:
                w = number(doc, "withdrawal")
                assert (f"the Lead Provider leaves only as clause {w}." in fm
                        and "with the Commissioner's written consent" in fm), label
        assert seen[True] and seen[False], seen


# --------------------------------------------------------------------------- D1.8 counter-fraud


class TestD18CounterFraudFollowsTheMembersKinds:
    """A local authority meets counter-fraud, modern slavery and speaking up through its own
    statutory arrangements (s.151 officer, CIPFA), never the NHS Standard Contract's; the NHS
    Standard Contract's requirements stay for other parties that are not NHS bodies."""

    def test_every_agreement_and_sub_contract(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in drafted():
            text = clause_text(doc, "ethical-standards")
            if not text:
                continue
            if doc.kind == "sub_contract":
                partner = next(m for m in loaded.answers.members
                               if m.id == label.rsplit("/", 1)[1])
                la = partner.kind == "local_authority"
            else:
                la = any(m.kind == "local_authority" and m.member_class != "observer"
                         for m in loaded.answers.members)
            seen[la] += 1
            fraud = "section 151 of the Local Government Act 1972" in text
            assert fraud == la, label
            assert ("CIPFA Code of Practice on Managing the Risk of Fraud and Corruption"
                    in text) == la, label
            assert ("whistleblowing policy" in text) == la, label
            if la:
                assert "a local authority under its own statutory arrangements" in text \
                    or doc.kind == "sub_contract", label
                assert "that the NHS Counter Fraud Authority requires of a body of its kind" \
                    not in text, label
        assert seen[True] and seen[False], seen


# --------------------------------------------------------------------------- D1.5 approval


class TestD15CommercialisationApprovalFollowsTheReservedMatters:
    """Commercialising Foreground IP is a Reserved Matter only where the answers make it one;
    otherwise the Board approves it under its ordinary rule, or, where the Board is committees
    in common or a joint committee to which no board delegated it, each Member Board on the
    Board's recommendation."""

    def test_every_collaboration_agreement(self) -> None:
        seen = {True: 0, False: 0}
        for label, loaded, doc in of_kind("collaboration_agreement"):
            text = clause_text(doc, "ip-ownership")
            if not text:
                continue
            a = loaded.answers
            reserved = "ip_commercialisation" in a.reserved_matters
            seen[reserved] += 1
            assert ("one of the Reserved Matters" in text) == reserved, label
            if reserved or a.ip.commercialisation == "unanimous_approval":
                continue
            if a.governance.vehicle in ("committees_in_common", "joint_committee"):
                # no board delegated commercialisation to its committee: the Member Boards
                # approve it on the Board's recommendation
                assert "the Member Board of each Voting Member, on the recommendation of the " \
                       "Board" in text, label
            else:
                assert "the Member Board of each Voting Member" not in text, label
                assert "the Board under its ordinary rule for decisions" in text, label
        assert seen[True] and seen[False], seen


# --------------------------------------------------------------------------- D1.2 conditional


class TestD12ALocalAuthoritysConditionalShareHasOneRule:
    """Before its section 75 agreement takes effect a local authority's expenditure is outside
    the pool and the other shares are recalculated, said in the risk share clause and wherever
    the shares are shown (the financial framework schedule cites it)."""

    RULE = "the other Members' shares are recalculated without"

    def test_every_collaboration_agreement(self) -> None:
        seen = {True: 0, False: 0}
        for label, _, doc in of_kind("collaboration_agreement"):
            share = clause_text(doc, "risk-gain-share")
            conditional = "is paid or received only from the date, and to the extent" in share
            seen[conditional] += 1
            if not conditional:
                continue
            n = number(doc, "risk-gain-share")
            assert "Until that agreement takes effect" in share, label
            assert self.RULE in share, label
            assert "takes no share of a" in share or "take no share of a" in share, label
            words = flat(doc)
            shown = words.split("is paid or received only under, and to the extent of, the "
                                "section 75 agreement", 1)
            assert len(shown) == 2, label
            cited = shown[1][:600]
            assert "outside the" in cited and "recalculated without" in cited, label
            assert f"as clause {n}." in cited, label
        assert seen[True] and seen[False], seen


# --------------------------------------------------------------------------- C1.3 joining


class TestC13JoiningFollowsWhatTheBoardsFormCanHold:
    """Under committees in common only an NHS trust or foundation trust can be a Voting
    Member; a member without a vote has stated rights; lenders' covenants are asked about only
    where the Board's form can take an independent-sector member."""

    def test_every_collaboration_agreement(self) -> None:
        seen: dict[str, int] = {}
        for label, loaded, doc in of_kind("collaboration_agreement"):
            text = clause_text(doc, "joining")
            if not text:
                continue
            a = loaded.answers
            vehicle = a.governance.vehicle
            seen[vehicle] = seen.get(vehicle, 0) + 1
            cic = vehicle == "committees_in_common"
            assert ("only if it can form a committee of its own board under its statutory "
                    "powers" in text) == cic, label
            if cic:
                assert "an NHS trust or an NHS foundation trust" in text, label
            # round 11c (F2.5): a member without a vote is described only where the answers
            # have such a class (an associate, or a statutory vehicle's other members).
            classes = (vehicle in ("committees_in_common", "joint_committee")
                       or any(m.member_class not in ("voting", "observer") for m in a.members))
            assert ("does not vote and is not counted in the quorum; and it bears the costs of "
                    "its own participation" in text) == classes, label
            statutory = vehicle in ("committees_in_common", "joint_committee")
            is_member = any(m.kind == "independent_sector" for m in a.members)
            if statutory and not is_member and "Covenant Member" not in text:
                assert "lenders' covenants" not in text, label
            if not statutory:
                assert "lenders' covenants" in text, label
        assert seen.get("committees_in_common") and len(seen) > 2, seen
