"""A healthcare partner's third review (finance and risk share, MOU, data, placeholders), as
rules over many answer sets.

Each finding came from one generated pack but is a rule of the clause library, so each test
drafts whole packs from the bundled examples, the scenario answer sets and variations of
them, and reads the text a lawyer would read. The numbers are the review's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafting.build.checklist import BLANK
from drafting.build.pack import build_document, plan
from drafting.errors import AnswersError
from drafting.model import Document
from drafting.read.load import LoadedAnswers, load_answers
from drafting.write.text import write_text
from tests.test_partner_review import (
    ALL,
    DOMINANT,
    JOINT,
    MOU_ONLY,
    MOU_THEN,
    NORTH_EAST,
    SHARED,
    SOUTH,
    changed,
    clause_text,
    flat,
    library,
    pack,
)

WEST = NORTH_EAST.parent / "west-community-partnership.yaml"
MERSEY = NORTH_EAST.parent / "mersey-elective-hub.yaml"


def built(loaded: LoadedAnswers) -> dict[str, Document]:
    """Every document of a pack drafted from answers in memory, by file name."""
    return {p.filename: build_document(library(), loaded, p.kind, p.partner_id)
            for p in plan(loaded.answers)}


def schedule(document: Document, schedule_id: str) -> str:
    """The text of one schedule, tables as `a | b` rows."""
    text = write_text(document)
    titles = {s.id: f"{s.number} {s.title}".upper() for s in document.schedules}
    start = text.upper().index(titles[schedule_id])
    following = [text.upper().index(t) for i, t in titles.items()
                 if i != schedule_id and text.upper().index(t) > start]
    return text[start:min(following) if following else len(text)]


def shares_listed(text: str) -> dict[str, float]:
    """Member name -> Loss Share percent, from the shares sub-clause of the risk share clause."""
    found = re.finditer(r"(?:: |; )(?:and )?([A-Z][^:;]+?): (?:Gain Share [\d.]+%; )?"
                        r"Loss Share (nil|[\d.]+)", text)
    return {m.group(1): (0.0 if m.group(2) == "nil" else float(m.group(2))) for m in found}


# --------------------------------------------------------------------------- 1 who shares


class TestEveryMemberInsideThePoolShares:
    def test_a_local_authority_in_a_control_total_takes_its_share(self) -> None:
        doc = pack(JOINT)["collaboration-agreement.docx"]
        text = clause_text(doc, "risk-gain-share")
        assert "Lincolnshire County Council: Gain Share 25.57%; Loss Share 25.57%" in text
        # round 13: the rule as its own sentence
        assert "Every Member whose expenditure counts in the Shared Control Total shares in a " \
               "Surplus or Deficit" in text
        assert "a Member not listed takes no share" not in flat(doc)
        financial = schedule(doc, "financial-framework")
        # round 13: a running-cost share the answers do not give is a bracketed proposal
        assert "Lincolnshire County Council | £90,000,000 | [25.57%]\n" in financial
        assert "Lincolnshire County Council | 25.57% |" in financial

    @pytest.mark.parametrize("path", [JOINT, NORTH_EAST, DOMINANT, WEST], ids=lambda p: p.stem)
    def test_shares_cover_every_member_but_an_observer_and_add_up(self, path: Path) -> None:
        answers = load_answers(path).answers
        doc = pack(path)["collaboration-agreement.docx"]
        text = clause_text(doc, "risk-gain-share")
        listed = {name for name in shares_listed(text)}
        if answers.finance.model == "shared_control_total":
            expected = {m.name for m in answers.members if m.member_class != "observer"}
        else:
            expected = {answers.lead.name, *(m.name for m in answers.partners)}
        assert listed == expected, path.stem
        assert abs(sum(answers.loss_shares().values()) - 100) < 0.05
        assert "a Member not listed" not in flat(doc)

    def test_a_member_outside_a_lead_held_budget_is_named_in_the_clause(self) -> None:
        data = load_answers(DOMINANT).answers.model_dump(mode="json", by_alias=True)
        council = {**data["members"][1], "id": "calderdale", "name": "Calderdale Council",
                   "kind": "local_authority", "ods_code": None, "banking_covenants": None,
                   "company_number": None}
        loaded = changed(DOMINANT, members=[*data["members"], council],
                         governance={"weights": None})
        text = clause_text(built(loaded)["collaboration-agreement.docx"], "risk-gain-share")
        assert ("Calderdale Council is not paid from the budget that the Lead Provider holds "
                "for the Services, and so takes no share of a Deficit") in text
        assert "Calderdale Council:" not in text

    def test_a_sharing_local_authority_needs_its_contract_value(self) -> None:
        data = load_answers(JOINT).answers.model_dump(mode="json", by_alias=True)
        members = [dict(m) for m in data["members"]]
        members[2]["annual_contract_value"] = None
        with pytest.raises(AnswersError) as caught:
            changed(JOINT, members=members)
        problems = [p for p in caught.value.problems if p.rule == "shares"]
        assert problems and "Lincolnshire County Council" in problems[0].message


# --------------------------------------------------------------------------- 2 one cycle


class TestOneReconciliationCycle:
    @pytest.mark.parametrize("path", [JOINT, WEST, NORTH_EAST], ids=lambda p: p.stem)
    def test_quarterly_figures_are_forecasts_and_the_year_end_settles(self, path: Path) -> None:
        answers = load_answers(path).answers
        doc = pack(path)["collaboration-agreement.docx"]
        finance = clause_text(doc, "finance")
        # round 13 (D5): numbers as figures
        # round 14: a quarterly reconciliation is followed: each quarter's balance is paid on
        # account and the year-end reconciliation settles the year (one cycle still: the year end
        # gives credit for the payments on account, so nothing is settled twice)
        if answers.finance.reconciliation == "quarterly":
            assert "within 2 months after the last day of the Contract Year, for the whole year " \
                "(the year-end reconciliation)" in finance
            # round 15 (m15): due on the certified reconciliation's issue, with no Board vote
            assert "giving credit for the sums paid on account, and any balance is paid within " \
                "30 days after it is issued" in finance
            assert "settles the Surplus or Deficit for the year as a whole, giving credit for the " \
                "payments on account" in clause_text(doc, "risk-gain-share")
        else:
            assert "reconciled at the end of each Contract Year, within 2 months of its last day" \
                in finance
            assert "paid within 30 days after that year-end reconciliation is issued" \
                in finance
        text = flat(doc)
        assert "next quarterly reconciliation" not in text
        assert "at the next year-end reconciliation" not in text
        if answers.finance.model in ("shared_control_total", "lead_holds_budget"):
            # round 22: a leaver's share is measured on an exit-date reconciliation and settled
            # after the year-end reconciliation for that Contract Year
            assert "after that year-end reconciliation is issued" in \
                clause_text(doc, "exit-consequences")


# --------------------------------------------------------------------------- 3 above the caps


class TestDeficitAboveTheCaps:
    def test_without_a_lead_it_stays_with_the_members_that_caused_it(self) -> None:
        for loaded in (load_answers(JOINT), changed(WEST, finance={"deficit": "capped",
                                                                     "loss_cap_percent": 2})):
            text = clause_text(built(loaded)["collaboration-agreement.docx"], "risk-gain-share")
            assert ("Any part of a Deficit above the Members' loss caps remains with the Member "
                    "or Members whose expenditure gave rise to it") in text
            assert "is not borne by any Member" not in text


# --------------------------------------------------------------------------- 4 the lead's own


class TestTheLeadsOwnProvision:
    def test_priced_like_a_partner_and_the_fee_counted_once(self) -> None:
        doc = pack(DOMINANT)["collaboration-agreement.docx"]
        text = flat(doc)
        assert "own costs of providing the Services" not in text
        assert ("“Deficit” means the amount by which the total, for a Contract Year, of the "
                "prices payable to the Partners under their sub-contracts (before the Management "
                "Fee is deducted), the price of the Lead Provider's own provision of the "
                "Services") in text
        risk = clause_text(doc, "risk-gain-share")
        # the partners are paid on different bases here: the head contract's basis (round 9, A1.6)
        # round 19: fixed by the clause, never by a decision of the Board
        # round 23: every Voting Member agrees the figure, the Lead Provider never sets it alone,
        # and a Partner's auditors may check the hub's certification
        # round 24: short sentences; the price then moves with the Partners' prices, the
        # Commissioner's changes or a decision the Lead Provider does not vote on
        assert ("is never set by the Lead Provider alone. For the first Contract Year it is the "
                "annual figure for those services that every Voting Member agrees in writing with "
                "the first Annual Budget ([£62,000,000, the Lead Provider's Annual Contract Value "
                "in Schedule 5, to confirm]), worked out on the payment basis, and at the prices, "
                "that the Head Contract gives for those services where it gives them") in risk
        assert ("Until every Voting Member has agreed it, it is the Lead Provider's Annual "
                "Contract Value.") in risk
        assert "It is never an Allocation Decision." in risk
        assert ("After that it changes only when the prices in the Partners' sub-contracts change "
                "under their terms (by the same percentage and from the same date), in proportion "
                "to any change that the Commissioner makes to the activity or prices of those "
                "services under the Head Contract, or by a decision of the Board on which the Lead "
                "Provider does not vote.") in risk
        assert "because the Partners' sub-contracts" not in risk
        assert ("any Partner may have its own auditors check that certification before the "
                "year-end reconciliation is issued") in risk
        assert "it is not a cost of the budget and is not counted in the reconciliation" in risk
        assert ("for the Lead Provider, the annual value of its own provision of the Services") \
            in clause_text(doc, "definitions")

    def test_every_fee_percentage_has_its_figure(self) -> None:
        for path in (DOMINANT, NORTH_EAST):
            answers = load_answers(path).answers
            fee = answers.commissioning.management_fee
            table = schedule(pack(path)["collaboration-agreement.docx"], "financial-framework")
            assert "Management fee a year" in table
            for partner in answers.partners:
                figure = partner.annual_contract_value * fee.value / 100
                assert re.search(rf"^{re.escape(partner.name)} \|.*\| £{figure:,.0f}$", table,
                                 re.MULTILINE), (path.stem, partner.id)
        table = schedule(pack(DOMINANT)["collaboration-agreement.docx"], "financial-framework")
        assert "Bradford District Care NHS Foundation Trust | £28,000,000 |" in table
        assert table.count("| £420,000\n") == 1
        fixed = changed(DOMINANT, commissioning={"management_fee": {"kind": "fixed",
                                                                    "value": 390000}})
        table = schedule(built(fixed)["collaboration-agreement.docx"], "financial-framework")
        assert "| £280,000\n" in table and "| £110,000\n" in table  # 28:11 of £390,000


# --------------------------------------------------------------------------- 5 reinvested


class TestNoGainShareWhenTheSurplusIsReinvested:
    @pytest.mark.parametrize("loaded", [
        pytest.param(lambda: load_answers(DOMINANT), id="dominant"),
        pytest.param(lambda: changed(NORTH_EAST, finance={"surplus": "reinvest",
                                                          "surplus_reinvest_percent": None}),
                     id="north-east-reinvest"),
        pytest.param(lambda: load_answers(WEST), id="west"),
    ])
    def test_no_gain_share_anywhere_in_the_pack(self, loaded) -> None:  # type: ignore[no-untyped-def]
        answers = loaded()
        assert answers.answers.finance.surplus == "reinvest"
        for name, doc in built(answers).items():
            text = flat(doc)
            assert "Gain Share" not in text, name
            assert "gain share are settled" not in text, name
            assert "distributed Surplus" not in text, name

    def test_a_covenant_partner_gets_one_sentence(self) -> None:
        doc = pack(DOMINANT)["sub-contract-cygnet.docx"]
        clause = next(c for c in doc.clauses if c.id == "risk-gain-share")
        # round 7 (B2.3): the clause covers a Surplus and a Deficit both, and the covenant rule is
        # one cross-reference, not a second statement of it
        assert len(clause.blocks) == 2
        text = clause_text(doc, "risk-gain-share")
        assert text.startswith("Any Surplus is reinvested")
        assert "The Sub-Contractor takes no share of any Deficit, as clause" in text
        banking = next(c.number for c in doc.clauses if c.id == "banking-covenants")
        assert re.search(rf"as clause {banking}(\.\d+)? provides\.$", text)
        # a partner without covenants keeps its full clause
        other = pack(DOMINANT)["sub-contract-bdct.docx"]
        assert "bears 31.11% of any Deficit" in clause_text(other, "risk-gain-share")


# --------------------------------------------------------------------------- 7 the lead's cap


class TestTheLeadsUncappedShareIsFlagged:
    def test_the_note_says_the_lead_is_not_capped(self) -> None:
        for path in (DOMINANT, NORTH_EAST):
            doc = pack(path)["collaboration-agreement.docx"]
            note = next(c.note for c in doc.clauses if c.id == "risk-gain-share") or ""
            assert "the lead provider's share is not capped" in note, path.stem
            assert ", not capped;" in clause_text(doc, "risk-gain-share")


# --------------------------------------------------------------------------- 8 checklist


class TestTheLawyersChecklist:
    @pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
    def test_every_blank_is_counted_in_the_first_note(self, path: Path) -> None:
        for name, doc in pack(path).items():
            text = write_text(doc)
            assert "[  ]" not in text and "[To be" not in text, name
            blanks = len(BLANK.findall(text))
            note = doc.clauses[0].note or ""
            if not blanks:
                assert "Blanks to complete" not in note, name
                continue
            assert note.startswith("Checklist for this draft"), name
            counted = sum(int(n) for n in re.findall(r": (\d+) blanks?[;.]", note))
            assert counted == blanks, (name, counted, blanks)

    def test_defaults_the_library_chose_are_listed(self) -> None:
        ca = pack(MOU_THEN)["collaboration-agreement.docx"]
        note = ca.clauses[0].note or ""
        cp = next(c.number for c in ca.clauses if c.id == "conditions-precedent")
        # round 14: the checklist states periods in figures
        assert (f"clause {cp}: the long-stop date for the conditions precedent, 1 July 2027, "
                "3 months after the commencement date") in note
        # round 22: counted from the Operative Date, when the Board can first decide
        assert "the exit plan is completed within 3 months after the Operative Date" in note
        mou = pack(MOU_THEN)["mou.docx"].clauses[0].note or ""
        assert "1 month's notice to leave the memorandum" in mou
        assert "clause 8.1 (Costs): 1 blank" in mou  # the budget [£●]


# --------------------------------------------------------------------------- 9-12 MOU


MOUS = [p for p in ALL if "mou" in load_answers(p).answers.documents]


class TestMemorandumTerms:
    @pytest.mark.parametrize("path", MOUS, ids=lambda p: p.stem)
    def test_its_own_short_notice_and_a_review_that_fits_its_term(self, path: Path) -> None:
        answers = load_answers(path).answers
        text = clause_text(pack(path)["mou.docx"], "mou-review")
        assert "by giving the other Members one month's written notice" in text
        months = answers.mou_term_months
        if months is not None and months <= 12:
            assert "reviews the work under this memorandum every three months" in text
        else:
            assert "reviews the work under this memorandum every six months" in text

    @pytest.mark.parametrize("path", [p for p in MOUS
                                      if load_answers(p).answers.finance.model != "no_pooling"],
                             ids=lambda p: p.stem)
    def test_costs_have_one_budget_and_the_members_decide(self, path: Path) -> None:
        answers = load_answers(path).answers
        text = clause_text(pack(path)["mou.docx"], "mou-costs")
        assert "are met from a budget of [£●] for the Term" in text
        # round 11c: the rule is its own sentence
        assert "ny increase of the budget is agreed by the Members in writing" in text
        assert "Steering Group nominates" not in text and "Steering Group records" not in text
        holder = (answers.lead.name if answers.lead
                  else "The Member that provides the secretariat under clause")  # round 7 (F1.6)
        assert holder in text

    @pytest.mark.parametrize("path", MOUS, ids=lambda p: p.stem)
    def test_an_escalation_clause_from_the_answers_with_a_final_step(self, path: Path) -> None:
        answers = load_answers(path).answers
        doc = pack(path)["mou.docx"]
        text = clause_text(doc, "dispute-resolution")
        days = answers.tier_days
        assert f"each lasting no more than {days} days" in re.sub(r"[\w-]+ \((\d+)\)", r"\1", text)
        if "operational_leads" in answers.disputes.tiers:
            assert "the operational leads of the Members concerned meet" in text
        if "icb_facilitation" in answers.disputes.tiers:
            assert "is asked to facilitate a discussion" in text
        assert "finally, if the disagreement is still not resolved, each Member concerned " \
               "decides for itself" in text
        # round 9 (C1.1): the steps never end in the courts; only the routing sub-clause for a
        # dispute about a provision that binds says where such a dispute goes
        steps = text.split("A dispute about a provision of this memorandum that is legally binding")[0]
        assert "courts" not in steps


# --------------------------------------------------------------------------- 13 one trigger


class TestOneTriggerDate:
    def test_the_mou_ends_on_the_operative_date_or_a_long_stop(self) -> None:
        mou = pack(MOU_THEN)["mou.docx"]
        text = clause_text(mou, "commencement-term")
        # round 9 (F1.1): never a bare long-stop date the agreement's own procedure outlasts
        # round 11c (F1.4, F1.5): the end of the day before; only the agreement's own way of
        # ending before its Operative Date, cited by its number (round 11b, F1.2)
        assert ("continues in force until the earliest of: the end of the day before the "
                "Operative Date; the date on which the Collaboration Agreement ends under clause 4 "
                "(Conditions precedent) of the Collaboration Agreement") in text
        assert "abandon" not in text
        assert "1 July 2027" not in text  # round 9b (F1.1): the agreement sets the long-stop date
        # round 11b (F1.3): a proposed final date six months after the agreement's start
        assert "[1 October 2027], if the Collaboration Agreement has not been signed" in text
        assert "remains in force in the meantime" not in text
        assert "“Operative Date” means the date on which the provisions of the Collaboration " \
               "Agreement that are subject to its conditions precedent take effect" in flat(mou)
        # round 12 (mou-costs v12): "the collaboration" is the defined "Collaborative"
        assert "carried into the running costs of the Collaborative under the Collaboration " \
               "Agreement" in clause_text(mou, "mou-costs")

    @pytest.mark.parametrize("path", [MOU_THEN, WEST], ids=lambda p: p.stem)
    def test_the_agreement_supersedes_the_mou_only_from_that_date(self, path: Path) -> None:
        ca = pack(path)["collaboration-agreement.docx"]
        boiler = clause_text(ca, "boilerplate")
        # "it supersedes", or "they supersede" when the terms of reference are part of it too
        # round 13: the entire-agreement clause cites the commencement clause, which states the
        # rule once: the memorandum is replaced from the Operative Date (confidentiality, data
        # and disputes from their earlier day) and accrued rights under it are kept
        cited = re.search(r"(it supersedes|they supersede) the memorandum of understanding between "
                          r"the Members only as clause (\d+)\.\d+ provides", boiler)
        assert cited
        term = next(c for c in ca.clauses if c.number == cited.group(2))
        assert term.id == "commencement-term"
        start = clause_text(ca, "commencement-term")
        assert "every other provision of this Agreement replaces that memorandum from the " \
               "Operative Date" in start
        assert "Its ending does not affect the rights and obligations that arose under it" in start
        assert "including the memorandum of understanding" not in boiler
        assert "that date is the Operative Date" in clause_text(ca, "conditions-precedent")
        # round 11c: at the end of the day before
        assert "That memorandum ends at the end of the day before the Operative Date" in \
            clause_text(ca, "commencement-term")

    def test_without_an_mou_the_agreement_mentions_none(self) -> None:
        for path in (JOINT, DOMINANT, SHARED):
            assert "memorandum" not in clause_text(pack(path)["collaboration-agreement.docx"],
                                                   "boilerplate")


# --------------------------------------------------------------------------- 18-19 data


DSAS = [p for p in ALL if "data_sharing" in load_answers(p).answers.documents]


class TestDataSharingAgreement:
    @pytest.mark.parametrize("path", DSAS, ids=lambda p: p.stem)
    def test_a_data_specification_and_named_contacts(self, path: Path) -> None:
        answers = load_answers(path).answers
        doc = pack(path)["data-sharing-agreement.docx"]
        spec = schedule(doc, "data-sharing")
        for row in ("Data fields |", "Categories of data subject |", "Systems used |",
                    "Methods of transfer |", "Access controls |", "Retention |", "Processors |",
                    "Transfers outside the United Kingdom |"):
            assert row in spec, (path.stem, row)
        assert "Party | Caldicott Guardian | Data protection officer | Information governance " \
               "lead" in spec
        for m in answers.members:  # an observer receives no data and is no party to it
            # round 12 (B2.8): proposed content in brackets for each contact
            # round 13 (report-B DSA): the DSPT organisation code is the member's ODS code
            code = m.ods_code or "[●]"
            row = f"{m.name} (DSPT organisation code {code}) | [Caldicott Guardian]"
            assert (row in spec) == (m.member_class != "observer")
        purpose = clause_text(doc, "dsa-purpose-data")
        assert answers.collaborative.purpose.strip()[:40] not in purpose
        assert "have stated as follows" not in purpose
        for service in answers.collaborative.services:
            first = service.split()[0]
            assert service not in purpose or first.islower() or first.isupper(), service

    @pytest.mark.parametrize("path", [p for p in DSAS
                                      if load_answers(p).answers.data.kinds != "anonymised"],
                             ids=lambda p: p.stem)
    def test_the_same_periods_as_the_agreement_from_one_clause(self, path: Path) -> None:
        dsa = clause_text(pack(path)["data-sharing-agreement.docx"], "data-protection")
        assert "Caldicott principles" in dsa
        docs = pack(path)
        if "collaboration-agreement.docx" not in docs:
            assert "in any case within 24 hours" in dsa
            assert "within seven days, any request from a data subject" in dsa
            assert "Records Management Code of Practice" in dsa
        if "collaboration-agreement.docx" in docs:
            ca = clause_text(docs["collaboration-agreement.docx"], "data-protection")
            assert "in any case within 24 hours" in ca
            assert "within seven days, any request from a data subject" in ca
            assert "Records Management Code of Practice" in ca
            # round 11b (D3.3): the DSA cites the agreement's periods instead of copying them
            number = next(c.number for c in docs["collaboration-agreement.docx"].clauses
                          if c.id == "data-protection")
            cited = f"clause {number} (Data protection) of the Collaboration Agreement"
            assert "in any case within 24 hours" not in dsa
            assert f"as {cited} provides for Personal Data under that agreement and within " \
                   "the periods that clause sets" in dsa
            assert f"as {cited} provides and within the period that clause sets" in dsa
            assert "Records Management Code of Practice" in \
                schedule(docs["data-sharing-agreement.docx"], "data-sharing")
            ops = clause_text(docs["data-sharing-agreement.docx"], "dsa-security-retention")
            assert "it ranks below the provisions of that agreement, in the order of precedence" \
                   in ops
            assert "resolved under the dispute resolution procedure of the Collaboration " \
                   "Agreement" in ops
            # a leaver keeps only the run-off flows, then returns or destroys (round 10, B3.1)
            assert "returns or securely destroys any other Shared Data as soon as it no longer " \
                   "needs it for those purposes" in ops
        term = clause_text(docs["data-sharing-agreement.docx"], "dsa-purpose-data")
        # round 12 (B2.7): sharing while a member, then after it leaves, in sub-clauses of their own
        assert "only while it is a member of the Collaborative" in term \
            or ("while it is a member of the Collaborative." in term
                and "After a Member leaves the Collaborative" in term)

    def test_specific_purposes_by_kind_of_data(self) -> None:
        direct = clause_text(pack(NORTH_EAST)["data-sharing-agreement.docx"], "dsa-purpose-data")
        assert "referrals and transfers of care" in direct
        assert "multidisciplinary team meetings" in direct
        commissioning = clause_text(pack(DOMINANT)["data-sharing-agreement.docx"],
                                    "dsa-purpose-data")
        assert "the Lead Provider's commissioning and contract management" in commissioning
        # the lead's gatekeeping, case management and placement are a patient's individual care
        # (round 11c: a systematic flow of this agreement, first among its purposes)
        assert ("gatekeeping of admissions, case management and placement of patients, through "
                "its commissioning hub, for the individual care of each patient concerned") \
            in commissioning
        assert "are that patient's individual care" in commissioning
        assert "(in these service areas: adult low and medium secure and adult eating disorders)" \
            in commissioning


class TestTheLeadIsAController:
    def test_in_every_document_of_a_processor_model(self) -> None:
        docs = pack(DOMINANT)
        agreement = docs["collaboration-agreement.docx"]
        for name in ("collaboration-agreement.docx", "data-sharing-agreement.docx",
                     "sub-contract-bdct.docx", "sub-contract-cygnet.docx"):
            text = clause_text(docs[name], "data-protection")
            if name.startswith("sub-contract-"):
                # round 12 (data-protection v14): the sub-contract incorporates the agreement's
                # data protection clause by reference, so the lead's controller role binds it
                number = agreement.targets["data-protection"].number
                assert (f"Clause {number} (Data protection) of the Collaboration Agreement, as in "
                        "force from time to time, is incorporated into this Sub-Contract") in text, name
                text = clause_text(agreement, "data-protection")
            assert "the Lead Provider is a controller of the Personal Data it uses for its own " \
                   "functions under the Head Contract, including case management" in text, name
            assert "The Lead Provider is a processor only when it performs a service" in text
            assert "processes Personal Data on behalf of each other Member" not in text
        spec = schedule(docs["data-sharing-agreement.docx"], "data-sharing")
        for particular in ("Subject matter |", "Duration |", "Nature of the processing |",
                           "Purpose |", "Types of Personal Data |",
                           "Categories of data subjects |",
                           "Obligations and rights of the controller |"):
            assert particular in spec, particular


# --------------------------------------------------------------------------- 20 conditions


class TestConditionsPrecedent:
    def test_dpia_gates_only_the_sharing_and_s251_is_a_condition_of_the_sharing(self) -> None:
        agreement = pack(DOMINANT)["collaboration-agreement.docx"]
        text = clause_text(agreement, "conditions-precedent")
        # round 9 (F2.6): a DPIA still to come never conditions the whole agreement; the data
        # protection clause holds up the sharing it covers
        assert "impact assessment" not in text and "DPIA" not in text
        assert "section 251" not in text
        # round 13 (13c): the DPIA has an owner and a date; the bar spares care and legal duties
        assert ("no Personal Data may be shared under this Agreement except in a one-off disclosure "
                "for individual care under clause") in clause_text(agreement, "data-protection")
        # round 13 (C1): the dominant set has an Observer, so the Members complete the DPIA
        assert "Until the Members have completed it" in clause_text(agreement, "data-protection")
        # The support's reference is recorded once, in the data specification (round 7, B3.3).
        sharing = schedule(pack(DOMINANT)["data-sharing-agreement.docx"], "data-sharing")
        assert "Confidentiality Advisory Group reference [●]" in sharing
        plain = clause_text(pack(JOINT)["collaboration-agreement.docx"], "conditions-precedent")
        assert "reference [●]" not in plain

    @pytest.mark.parametrize("path", [JOINT, NORTH_EAST, DOMINANT, WEST, SHARED],
                             ids=lambda p: p.stem)
    def test_met_by_the_members_in_writing_never_by_the_board(self, path: Path) -> None:
        text = clause_text(pack(path)["collaboration-agreement.docx"], "conditions-precedent")
        conditions = text[text.index("The conditions are that"):text.index("The provisions that")]
        # round 12: the section 75 condition names its pooled fund itself, as one "for the
        # functions that the Board exercises jointly"; that describes the fund, it gives the
        # Board no part in meeting a condition, which stays the Members' in writing
        conditions = conditions.replace("for the functions that the Board exercises jointly", "")
        # round 13: a condition that each Voting Member confirms in writing its Representative's
        # authority "to take part in the decisions of the Board" describes that authority; the
        # Board still has no part in meeting a condition
        conditions = re.sub(r"to take part in the decisions of the Board under clause \d+", "",
                            conditions)
        assert "Reserved Matters" not in conditions and "the Board" not in conditions
        if load_answers(path).answers.finance.model != "no_pooling":
            # round 12: met by the Voting Members where a member has no vote (D2.5)
            assert ("the Members have all agreed in writing the Annual Budget" in conditions
                    or "the Voting Members have all agreed in writing the Annual Budget" in conditions)


# --------------------------------------------------------------------------- 12 steering group


class TestSteeringGroup:
    @pytest.mark.parametrize("path", MOUS, ids=lambda p: p.stem)
    def test_quorum_no_consensus_conflicts_secretariat_and_observers(self, path: Path) -> None:
        answers = load_answers(path).answers
        doc = pack(path)["mou.docx"]
        text = clause_text(doc, "mou-governance")
        assert "A meeting is quorate when" in text
        assert "If the Steering Group cannot reach consensus on a recommendation" in text
        if answers.governance.deadlock == "dispute_procedure":
            assert "may escalate the matter under clause" in text
        else:
            assert "to the Member Boards, and each Member decides for itself" in text
        assert "casting vote" not in text
        assert "At the start of each meeting each Representative declares any personal interest" in text
        assert "provides the secretariat of the Steering Group" in text
        observers = [m.name for m in answers.members if m.member_class == "observer"]
        for name in observers:
            assert f"{name} attends the Steering Group as an Observer" in text
        terms = schedule(doc, "mou-steering-group")
        for row in ("Quorum |", "Without consensus |", "Conflicts of interest |", "Secretariat |"):
            assert row in terms
        assert ("Observers |" in terms) == bool(observers)
        assert "voting member" not in terms.lower()
        assert "Voting member" not in schedule(doc, "members")


# --------------------------------------------------------------------------- 15 workplan dates


class TestWorkplanDates:
    @pytest.mark.parametrize("path", MOUS, ids=lambda p: p.stem)
    def test_no_target_date_at_a_weekend_or_on_a_bank_holiday(self, path: Path) -> None:
        from drafting.read.answers import bank_holidays

        import datetime as dt
        import re

        answers = load_answers(path).answers
        # round 11c: the workplan's dates come from its timetable, one per step
        timetable = {dt.date.fromisoformat(d) for d in answers.mou_timetable["dates"].values()}
        plan = schedule(pack(path)["mou.docx"], "mou-workplan")
        shown = [dt.datetime.strptime(d, "%d %B %Y").date()
                 for d in re.findall(r"\| (\d{1,2} [A-Z][a-z]+ \d{4})", plan)]
        assert len(shown) >= 4, path.stem
        for day in shown:
            assert day in timetable, (path.stem, day)
            assert day.weekday() < 5 and day not in bank_holidays(day.year), (path.stem, day)

    def test_a_sunday_moves_to_the_monday(self) -> None:
        # five months before 1 April 2027 is Sunday 1 November 2026
        assert load_answers(MOU_THEN).answers.mou_workplan_dates[0].isoformat() == "2026-11-02"


# --------------------------------------------------------------------------- 16 competition


class TestCompetitionClause:
    def test_merger_control_only_with_an_independent_or_voluntary_member(self) -> None:
        with_is = clause_text(pack(NORTH_EAST)["collaboration-agreement.docx"],
                              "competition-information-barrier")
        assert "Competition and Markets Authority" in with_is
        nhs_only = changed(SOUTH, documents=["mou", "committee_terms", "data_sharing"])
        text = clause_text(built(nhs_only)["mou.docx"], "competition-information-barrier")
        assert text and "Competition and Markets Authority" not in text

    def test_an_mous_hub_is_appointed_by_the_members_in_writing(self) -> None:
        loaded = changed(MERSEY, competition={"information_barrier": "hub"})
        text = clause_text(built(loaded)["mou.docx"], "competition-information-barrier")
        # round 11 (E2.2): the appointment power sits in the hub sub-clause alone, with no
        # pointer to the workplan; no blank for a future appointment
        assert "The Members appoint the Information Hub jointly in writing." in text
        assert "step of the workplan" not in text
        # round 8 (E2.2): its cost is dealt with in the costs clause; no Member hosts it as such
        assert re.search(r"The cost of the Information Hub is dealt with as clause \d+ provides", text)
        assert "Steering Group" not in text
        assert "is otherwise held" not in text


# --------------------------------------------------------------------------- 17 objectives


class TestPurposeAndObjectives:
    @pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
    def test_sentences_not_quotations(self, path: Path) -> None:
        answers = load_answers(path).answers
        for name, doc in pack(path).items():
            text = clause_text(doc, "purpose-objectives")
            if not text:
                continue
            assert "have stated the purpose" not in text and '"' not in text, name
            # round 9 (F1.5): a purpose answered as a gerund is what the Collaborative exists for
            assert "The purpose of the Collaborative is " in text or \
                "The Collaborative exists for the purpose of " in text
            objectives = answers.collaborative.objectives
            if len(objectives) == 1:
                assert "The objective of the Collaborative is " in text
                assert ":" not in text.split("The objective of the Collaborative is ")[1][:40]
            elif answers.objectives_are_actions:
                assert "The objectives of the Collaborative are to:" in text
            else:
                assert "The objectives of the Collaborative are:" in text

    def test_verbs_and_things_to_achieve(self) -> None:
        assert load_answers(MOU_ONLY).answers.objectives_are_actions
        assert not load_answers(WEST).answers.objectives_are_actions


# --------------------------------------------------------------------------- 21 one name


class TestOneNameForTheBoard:
    def test_the_icb_is_called_by_its_statutory_name(self) -> None:
        text = clause_text(pack(MOU_THEN)["mou.docx"], "purpose-objectives")
        # round 11 (E2.5): the one board that commissions is the defined Commissioner
        assert "The Members work with the Commissioner" in text
        north = clause_text(pack(NORTH_EAST)["collaboration-agreement.docx"], "purpose-objectives")
        icb = next(m.name for m in load_answers(NORTH_EAST).answers.members if m.kind == "icb")
        north_answers = load_answers(NORTH_EAST).answers
        if north_answers.head_contract or north_answers.nhs_england_commissions:
            assert f"The Members work with {icb}" in north
        else:
            assert "The Members work with the Commissioner" in north
        two = clause_text(pack(SHARED)["collaboration-agreement.docx"], "purpose-objectives")
        assert "the integrated care boards for those footprints" in two


# --------------------------------------------------------------------------- 14 MOU status


class TestMemorandumTakesEffect:
    @pytest.mark.parametrize("path", MOUS, ids=lambda p: p.stem)
    def test_for_each_member_from_the_later_of_the_date_and_its_signature(self,
                                                                        path: Path) -> None:
        doc = pack(path)["mou.docx"]
        text = clause_text(doc, "commencement-term")
        # round 9 (E1.5): for each party, an Observer too, on its own signature
        assert ("takes effect for each party") in text
        assert "on the later of the Commencement Date and the date on which that party signs it" \
            in text
        assert "That period is the Term" not in text
        assert flat(doc).count("“Term” means") <= 1


class TestOneCaseForTheCollaborative:
    @pytest.mark.parametrize("path", DSAS, ids=lambda p: p.stem)
    def test_the_defined_term_keeps_its_capital(self, path: Path) -> None:
        doc = pack(path)["data-sharing-agreement.docx"]
        for clause_id in ("dsa-purpose-data", "dsa-security-retention"):
            assert "the collaborative" not in clause_text(doc, clause_id), clause_id
        assert "the collaborative's" not in schedule(doc, "data-sharing")
