"""Round 21: the partner reads of the two data sharing agreements and the shared-leadership
agreement.

Each finding is a rule over many answer sets. Where the collaboration agreement ends while the
Lead Provider's Head Contract and a Partner's sub-contract run on, the two go on sharing for that
sub-contract (the run-off purposes no longer cut off contract management). Claims, inquests and
regulatory inquiries are a purpose, with a gateway and a flow, while the Members share, not only
after one leaves. Under a collaboration agreement the data sharing agreement takes that
agreement's confidentiality clause and interpretation clause instead of a second copy of each.
A complaint's gateway is the consent of the person it concerns. The commissioning hub's barrier
covers what a Partner sends it for placements. A Board's capacity decision never chooses who is
awarded a sub-contract under the Provider Selection Regime.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from drafting.build.pack import build_document, plan
from drafting.model import Document
from drafting.read.load import LoadedAnswers
from drafting.write.text import write_text
from tests.test_partner_review import clause_text
from tests.test_review_round5_mou import built, library
from tests.test_review_round6_gov import ids_of, sets_of

SHARING = sets_of("data_sharing", 30)
AGREEMENTS = sets_of("collaboration_agreement", 30)
BY_NAME = {n: la for n, la in SHARING + AGREEMENTS}


@lru_cache(maxsize=None)
def doc(name: str, kind: str) -> Document:
    return built(BY_NAME[name], kind)


def words(text: str) -> str:
    return " ".join(text.split())


def under_agreement(loaded: LoadedAnswers) -> bool:
    return "collaboration_agreement" in loaded.answers.documents


def checklist(document: Document) -> str:
    return words(document.clauses[0].note or "")


def test_the_sets_reach_every_case() -> None:
    kinds = {(under_agreement(la), la.answers.lead_provider is not None,
              la.answers.data.kinds == "anonymised") for _, la in SHARING}
    assert (True, True, False) in kinds and (True, False, False) in kinds, kinds
    assert any(not under_agreement(la) for _, la in SHARING)


class TestSharingUnderAContinuingSubContract:
    """LP DSA M1: the collaboration agreement can end while the Head Contract and the
    sub-contracts run on; the Lead Provider's contract management of them keeps its footing."""

    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_the_term(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "data_sharing")
        text = words(clause_text(document, "dsa-purpose-data"))
        if not under_agreement(loaded):
            assert "dsa-purpose-data.continuing" not in document.targets, name
            return
        continuing = document.targets["dsa-purpose-data.continuing"].number
        accession = document.targets["dsa-security-retention.accession"].number
        assert (f"A body that joins the Collaborative is bound by this Agreement from when it "
                f"becomes a party to it under clause {accession}, and a Member shares and "
                "receives Shared Data under this Agreement while it is a member of the "
                "Collaborative.") in text, name
        assert "If the Collaboration Agreement ends before the provisions that are subject to " \
            "its conditions precedent take effect, this Agreement ends with it" in text, name
        lead = loaded.answers.lead_provider is not None
        assert ("the Lead Provider and that Partner go on sharing Shared Data for the purposes "
                "of clause" in text) == lead, name
        assert (f"(apart from the sharing under a continuing sub-contract of clause "
                f"{continuing})" in text) == lead, name
        operations = words(clause_text(document, "dsa-security-retention"))
        assert ("and to the sharing under a continuing sub-contract with the Lead Provider of "
                f"clause {continuing}" in operations) == lead, name
        # the old sentence that let any of three documents keep every Member sharing is gone
        assert "Sharing under it continues while the Collaboration Agreement" not in text, name

    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_the_leaver_destroys_data_under_this_agreement_alone(
            self, name: str, loaded: LoadedAnswers) -> None:
        operations = words(clause_text(doc(name, "data_sharing"), "dsa-security-retention"))
        assert "confirming in writing that it has done so" in operations, name
        assert "as the Collaboration Agreement provides, confirming" not in operations, name


class TestClaimsAreAPurposeWhileTheMembersShare:
    """JC DSA M2: the closed list of purposes and gateways left a Member that co-operates on a
    claim, as the collaboration agreement requires, outside the data sharing agreement."""

    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_purpose_subclause_flow_and_run_off(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "data_sharing")
        text = words(clause_text(document, "dsa-purpose-data"))
        personal = loaded.answers.data.kinds != "anonymised"
        assert ("dsa-purpose-data.claims" in document.targets) == personal, name
        if not personal:
            assert "responding to claims, inquests" not in text, name
            return
        claims = document.targets["dsa-purpose-data.claims"].number
        assert (f"responding to claims, inquests and regulatory inquiries about the care the "
                f"Members give, as clause {claims} provides.") in text, name
        assert "with Article 9(2)(f) (legal claims) or 9(2)(g)" in text, name
        assert "For an inquest or a regulatory inquiry it is made at the request, or under the " \
            "powers, of the coroner or regulator concerned." in text, name
        if under_agreement(loaded):
            assert (f"claims, inquests and regulatory inquiries about that care, as clause "
                    f"{claims} provides.") in text, name
            liability = doc(name, "collaboration_agreement").targets.get("liability-insurance")
            if liability is not None:
                assert re.search(rf"that clause {liability.number} \([^)]+\) of the Collaboration "
                                 r"Agreement requires them to share", text), name
        flows = words(write_text(document))
        assert f"Claims, inquests and regulatory inquiries (clause {claims}) |" in flows, name
        assert "| Each claim or request" in flows, name

    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_the_purpose_list_reads_as_one_list(self, name: str, loaded: LoadedAnswers) -> None:
        text = write_text(doc(name, "data_sharing"))
        start = text.index("only for these purposes")
        items = re.findall(r"^\s+\(([a-z])\) (.*)$", text[start:start + 4000], re.M)
        ends = []
        for letter, item in items:
            ends.append(item[-5:])
            if item.endswith("."):
                break
        assert ends[-1].endswith("."), (name, ends)
        assert all(e.endswith(";") for e in ends[:-2]), (name, ends)
        assert ends[-2].endswith("; and") if len(ends) > 1 else True, (name, ends)

    @pytest.mark.parametrize("name,loaded", SHARING + AGREEMENTS, ids=ids_of)
    def test_the_gateways(self, name: str, loaded: LoadedAnswers) -> None:
        kind = "data_sharing" if "data_sharing" in loaded.answers.documents else \
            "collaboration_agreement"
        document = doc(name, kind)
        text = words(clause_text(document, "data-protection"))
        if not text:
            return
        assert "the complainant's consent" not in text, name
        assert "Art 9(2)(h); the complainant's consent" not in words(write_text(document)), name
        if "is shared only through these gateways" in text and "For a complaint" in text:
            assert "For a complaint, it is the consent of the " in text, name
            assert "or of the complainant where the complainant is entitled to act for that " \
                in text, name
            assert "Local Authority Social Services and National Health Service Complaints " \
                "(England) Regulations 2009" in text, name
        ids = {c.id for c in document.clauses}
        if "is shared only through these gateways" in text and (
                kind == "data_sharing" or "liability-insurance" in ids):
            assert "For a claim, an inquest or a regulatory inquiry about a " in text, name
            assert "and otherwise the establishment, exercise or defence of legal claims." \
                in text, name
        if "Except in a mandated return" in text:
            assert "Except in a mandated return, in sharing that a legal duty requires (such " \
                "as for safeguarding), in sharing with the explicit consent of the " in text, name
            assert "in sharing that the public interest justifies (such as to protect a person " \
                "from serious harm) and in sharing for a claim, an inquest or a regulatory " \
                "inquiry" in text, name


class TestTheAgreementsClausesAreNotCopied:
    """JC DSA M1: the data sharing agreement copied the collaboration agreement's
    confidentiality clause, leaving out its reporting permission and adding a second survival
    period; and it counted periods by a rule of its own."""

    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_confidentiality(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "data_sharing")
        text = words(clause_text(document, "confidentiality-foi"))
        notes = checklist(document)
        if not under_agreement(loaded):
            assert "continue for five years after" in text, name
            return
        agreement = doc(name, "collaboration_agreement")
        number = agreement.targets["confidentiality-foi"].number
        assert text.startswith(f"Clause {number} (Confidentiality and freedom of information) "
                               "of the Collaboration Agreement governs the confidentiality of "
                               "the information that a Member discloses under this Agreement"), \
            name
        assert "its permitted disclosures (including a Member's reports on the work of the " \
            "Collaborative to its own board and to a commissioner)" in text, name
        assert "five years" not in text and "five years" not in notes, name
        assert "“Confidential Information” means" not in write_text(document), name
        assert "Neither this clause nor that clause of the Collaboration Agreement restricts a " \
            "disclosure of Personal Data" in text, name

    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_interpretation(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "data_sharing")
        text = words(clause_text(document, "definitions"))
        if not under_agreement(loaded):
            assert "Every period is counted in calendar days" in text, name
            return
        number = doc(name, "collaboration_agreement").targets["interpretation"].number
        assert (f"Clause {number} (Interpretation) of the Collaboration Agreement applies to "
                "this Agreement as if it were set out in it, except its order of precedence (the "
                "place of this Agreement below that agreement is as clause "
                f"{document.targets['dsa-security-retention.precedence'].number} provides)") \
            in text, name
        assert "each term that clause uses having the meaning that agreement gives it: every " \
            "period is counted in calendar days" in text, name

    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_the_checklist_lists_only_this_agreements_periods(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "data_sharing")
        notes = checklist(document)
        data = words(clause_text(document, "data-protection"))
        if under_agreement(loaded) and "data-protection" in {
                c.id for c in doc(name, "collaboration_agreement").clauses}:
            assert "24 hours to tell the party that disclosed personal data" not in notes, name
        if "the others give it the help it needs within seven days" in data:
            assert "7 days for the other joint controllers to give the help needed to " \
                "answer a data subject's request" in notes, name


class TestTheHubsBarrierCoversPlacements:
    """LP DSA S1: bed availability sent for gatekeeping was outside the barrier on the face of
    the data sharing agreement; the provider arm receives only what a patient placed with it
    needs."""

    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_barrier(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "data_sharing")
        if "dsa-purpose-data.hub" not in document.targets:
            return
        text = words(clause_text(document, "dsa-purpose-data"))
        care = "dsa-purpose-data.hub-care" in document.targets
        assert ("or for its gatekeeping of admissions, case management and placement of "
                "patients (including each Member's bed availability)" in text) == care, name
        assert ("never another Member's capacity or bed availability" in text) == care, name
        if care:
            # the hub uses what it receives for a patient's care for nothing else, except in
            # aggregated or anonymised form or with section 251 support
            assert "The commissioning hub uses that information only for the care of the " \
                "patient concerned: it uses it for commissioning, contract management, analysis " \
                "or reporting only in aggregated or anonymised form" in text, name
            s251 = loaded.answers.data.legal_gateway == "s251"
            assert ("or with the section 251 support under clause" in text) == s251, name
            flows = words(write_text(document))
            assert "where the hub places the patient with the Lead Provider's own services, " \
                "to them (only what that patient's care needs)" in flows, name
            assert "care programme approach and care and treatment review" not in flows, name
            assert "Care (Education) and Treatment Reviews where they apply" in flows, name
            # the schedule's recipient row and the agreement's barrier carry the same exception
            assert "never the part of its organisation that provides the services, except the " \
                "information about a patient that the hub places with the Lead Provider's own " \
                "services that they need to care for that patient" in flows, name
            if under_agreement(loaded):
                barrier = words(clause_text(doc(name, "collaboration_agreement"),
                                            "commissioning-separation"))
                if "reaches the Provider Arm only aggregated or anonymised" in barrier:
                    assert "except the information about a patient that the Provider Arm " \
                        "needs to care for that patient where the Commissioning Hub places the " \
                        "patient with it" in barrier, name


class TestTheBoardNeverChoosesTheProvider:
    """Shared CA M1: a capacity decision of the Board and an award under the Provider
    Selection Regime did not meet, and the Board's power to recommend a provider could never
    be used with three voting members."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_capacity_decisions_stop_short_of_the_award(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        text = words(clause_text(document, "inter-provider-activity"))
        if not text:
            return
        assert "The Board may recommend which Member should provide the activity" not in text
        assert "A decision of the Board about shared capacity fixes only the capacity each " \
            "Member makes available and the protocols for its use: it does not choose the " \
            "provider, the activity or the price of such a sub-contract" in text, name
        note = words(next(c.note for c in document.clauses
                          if c.id == "inter-provider-activity") or "")
        if "conflicts-of-interest" in {c.id for c in document.clauses}:
            psr = document.targets["conflicts-of-interest.psr"].number
            assert f"The Board advises the originating Member on the award only as clause " \
                f"{psr} allows." in text, name
            members = [m for m in loaded.answers.members if m.member_class != "observer"]
            assert ("which with this membership is never" in note) == (len(members) <= 3), name

    def test_both_memberships_are_reached(self) -> None:
        seen = set()
        for name, loaded in AGREEMENTS:
            document = doc(name, "collaboration_agreement")
            ids = {c.id for c in document.clauses}
            if {"inter-provider-activity", "conflicts-of-interest"} <= ids:
                seen.add(len([m for m in loaded.answers.members
                              if m.member_class != "observer"]) <= 3)
        assert seen == {True, False}, seen


class TestTheSecondReads:
    """The second and third reads of the two data sharing agreements: where a Head Contract
    return goes, a leaver still bound, suspension against the agreement's own duties, and a
    DPIA bar cited only where there is one."""

    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_a_leaver_stays_bound_and_suspension_spares_the_duties(
            self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "data_sharing")
        operations = words(clause_text(document, "dsa-security-retention"))
        assert "A Member that has left remains bound by this Agreement, as a former Member, " \
            "for the Shared Data it holds or receives after it leaves" in operations, name
        assert "it does not extend to sharing that a legal duty requires (such as for " \
            "safeguarding, or at the request of a coroner or regulator under its powers)" \
            in operations, name
        assert ("nor does it extend to the sharing about a particular" in operations) == \
            under_agreement(loaded), name
        assert "Within this Agreement, the clauses rank above Schedule 1, and that schedule " \
            "above the data flow register" in operations, name
        contacts = words(write_text(document))
        assert "| Information governance lead | Email for notices" in contacts, name
        assert "[its information governance mailbox]" in contacts, name

    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_no_bar_is_cited_where_there_is_none(self, name: str, loaded: LoadedAnswers) -> None:
        text = words(clause_text(doc(name, "data_sharing"), "data-protection"))
        if "The bar on sharing in this sub-clause" in text:
            assert "no Personal Data may be shared under this Agreement except" in text, name
        if loaded.answers.data.dpia == "completed":
            assert "The bar on sharing in this sub-clause" not in text, name

    @pytest.mark.parametrize("name,loaded", SHARING, ids=ids_of)
    def test_returns_and_the_head_contract(self, name: str, loaded: LoadedAnswers) -> None:
        a = loaded.answers
        if a.lead_provider is None or "sub_contracts" not in a.documents:
            return
        table = words(write_text(doc(name, "data_sharing")))
        if "Reporting to the Commissioner under the Head Contract" in table:
            assert "Reporting to the Commissioner under the Head Contract (for information: not " \
                "Shared Data, as it goes to no Member)" in table, name
        if a.data.kinds == "identifiable_commissioning":
            assert "including each sub-contract's activity report and the data the Head " \
                "Contract requires" in table, name
            assert "| Quarterly, with the quality report of each sub-contract" in table, name
        partner = next(m for m in a.members if m.id != a.lead_provider
                       and m.member_class != "observer")
        part = next(p for p in plan(a) if p.kind == "sub_contract" and p.partner_id == partner.id)
        contract = words(write_text(build_document(library(), loaded, part.kind, part.partner_id)))
        assert "including national data sets" not in contract, name
        assert "requires of the Sub-Contractor itself is not part of it: the Sub-Contractor " \
            "submits that return direct to NHS England" in contract, name


class TestTheAgreementsOwnWords:
    """The shared-leadership agreement's second read: a joint post is a director or senior
    management post of each Member, and an open book between only two sides gives the Board
    historic figures only, which the agreement and its note say."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_joint_posts_and_two_sided_open_books(self, name: str,
                                                  loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        conflicts = words(clause_text(document, "conflicts-of-interest"))
        if "(a joint post" in conflicts:
            assert "as a director, or in another senior management post, of each of them (a " \
                "joint post, such as a joint chief executive)" in conflicts, name
            assert "is not a joint post." in conflicts, name
        staffing = words(clause_text(document, "staffing"))
        assert "holds a post with more than one Member (a joint post), each" not in staffing
        barrier = words(clause_text(document, "competition-information-barrier"))
        if "competition-information-barrier.open-book-outputs" not in document.targets:
            return
        sides = len([m for m in loaded.answers.members if m.member_class != "observer"])
        for post in loaded.answers.context()["derived"]["joint_posts"]:
            sides -= len(post["members"]) - 1
        assert ("no current total can meet that test" in barrier) == (sides <= 2), name


def test_two_sided_open_books_are_reached() -> None:
    seen = set()
    for name, loaded in AGREEMENTS:
        document = doc(name, "collaboration_agreement")
        if "competition-information-barrier.open-book-outputs" in document.targets:
            seen.add("no current total can meet that test" in
                     words(clause_text(document, "competition-information-barrier")))
    assert seen == {True, False}, seen


SUB_CONTRACTING = sets_of("sub_contracts", 12)


def sub_contracts(loaded: LoadedAnswers) -> list[Document]:
    return [build_document(library(), loaded, p.kind, p.partner_id)
            for p in plan(loaded.answers) if p.kind == "sub_contract"]


class TestTheLaterReads:
    """The agreement's and the sub-contract's later reads: a loss cap that limits the Loss
    Share only, says so once; the standing exit plan binds once the boards approve it; the
    standstill runs on after representations as the statutory guidance says; the withholding
    and the indemnity for one failure are not added together."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_loss_cap_and_exit_plan(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        shares = words(clause_text(document, "risk-gain-share"))
        if "(its loss cap)" in shares:
            lead = loaded.answers.lead_provider is not None
            assert ("Member's Loss Share in any Contract Year is more than" in shares) == \
                (not lead), name
            assert ("bears more in any Contract Year than" in shares) == lead, name
        if "Any other change to the Loss Shares" in shares:
            assert re.search(r"it raises a Member's share (or loss cap )?only if that Member "
                             r"signs the variation\.", shares), name
        text = words(write_text(document))
        if "a standing Exit Plan from this outline" in text and \
                loaded.answers.governance.vehicle != "committees_in_common":
            # round 22: each Voting Member approves it (an Associate Member has no veto)
            assert "and recommends it to the Members; it binds the Members once each Voting " \
                "Member has approved it, by a decision of its Member Board" in text, name

    @pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
    def test_standstill_and_withholding(self, name: str, loaded: LoadedAnswers) -> None:
        for contract in sub_contracts(loaded):
            text = words(write_text(contract))
            if "“Standstill Period” means" in text:
                assert "it continues until the Lead Provider has considered them, told that " \
                    "provider of its further decision and then waited five working days" in text
                assert "Independent Patient Choice and Procurement Panel" in text, name
                assert "extended for as long as the Lead Provider is considering" not in text
            management = words(clause_text(contract, "sc-contract-management"))
            if "are the only financial consequences" in management:
                assert "and they are not cumulative: a sum the Lead Provider keeps under " \
                    "sub-clause" in management, name
                assert "never exceeds the greater of the two" in management, name
            if "or for its bids or pricing" in management:
                assert "or for its bids or pricing, except that it may give it to the " \
                    "Commissioner, NHS England, a regulator or its auditors so far as the Head " \
                    "Contract or the Law requires, or in aggregated form" in management, name


def test_the_standstill_case_is_reached() -> None:
    assert any("“Standstill Period” means" in write_text(c)
               for _, la in SUB_CONTRACTING for c in sub_contracts(la))


class TestTheChairsContractHasOneRule:
    """JC CA, third read: three clauses gave three rules for the independent Chair's terms, and
    the Host Member carried the Chair's cost alone if the conditions precedent failed."""

    @pytest.mark.parametrize("name,loaded", AGREEMENTS, ids=ids_of)
    def test_one_rule_and_shared_costs(self, name: str, loaded: LoadedAnswers) -> None:
        document = doc(name, "collaboration_agreement")
        host = words(clause_text(document, "host-member"))
        if "enters into the contract with the independent chair" not in host:
            return
        contract = document.targets["governance-board.chair-contract"].number
        # round 22: the Voting Members approve the terms, not the Board (and the Board's list
        # of decisions no longer names them)
        assert f"on the terms approved under clause {contract};" in host, name
        board = words(clause_text(document, "governance-board"))
        assert "the terms of the contract with the independent Chair, approved as clause" \
            not in board, name
        pooled = loaded.answers.finance.model != "no_pooling"
        assert ("The costs of engaging the independent Chair before the provisions that are "
                "subject to the Conditions Precedent take effect, and of ending that engagement "
                "if this Agreement ends before they do, are shared equally by the Voting Members, "
                "up to a total of [£●] that each of them approves when it signs" in host) == \
            pooled, name


@pytest.mark.parametrize("name,loaded", SUB_CONTRACTING, ids=ids_of)
def test_the_placement_flow_waits_for_the_dpia_in_the_schedule_too(
        name: str, loaded: LoadedAnswers) -> None:
    """LP SC, third read: the commencement schedule said the DPIA never held up a disclosure
    for individual care, while the gatekeeping and placement flow waits for it."""
    for contract in sub_contracts(loaded):
        text = words(write_text(contract))
        assert "up a disclosure for the individual care of a patient under clause" not in text
        a = loaded.answers
        waits = a.data.kinds != "anonymised" and a.data.dpia == "before_go_live" and \
            a.commissioning.lead_commissions and "commissioning_hub" in a.commissioning.separation
        if "Neither holds up a one-off disclosure" in text:
            assert ("the flow for the Lead Provider's gatekeeping of admissions, case management "
                    "and placement waits for the DPIA" in text) == waits, name
