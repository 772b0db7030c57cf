"""Round 11c of the review of the agreement's framing clauses (reports A, B, C, D, F), as rules
over many answer sets.

Each test reads the collaboration agreements, sub-contracts and memoranda drafted from the
bundled examples, the scenario answer sets, variations of them and generated collaboratives,
so a rule holds for every collaborative a user can draft. The ids are the review's (C1.2:
report C, document 1, finding 2).
"""

from __future__ import annotations

import re
from functools import lru_cache

from drafting.model import Document
from drafting.read.conditions import as_members, join_words, lower_first, service_name, trim_end
from drafting.read.load import LoadedAnswers
from tests.test_money_review import schedule
from tests.test_partner_review import (ALL, DOMINANT, JOINT, MOU_THEN, SHARED, changed,
                                       clause_text)
from tests.test_review_round6_data import every_document, files, generated

Drafted = list[tuple[str, LoadedAnswers, Document]]


@lru_cache(maxsize=None)
def drafted() -> Drafted:
    sets = files(ALL) + generated()
    sets.append(("shared-weighted", changed(
        SHARED, governance={"voting": "weighted", "weight_basis": "contract_value"})))
    sets.append(("dominant-eating-disorders", changed(
        DOMINANT, collaborative={"services": ["CAMHS inpatient", "Adult eating disorders"]})))
    sets.append(("joint-three-trusts", changed(
        JOINT, collaborative={"purpose": "To join up frailty care across the three trusts."})))
    return every_document(sets, ("collaboration_agreement", "sub_contract", "mou"))


def of_kind(kind: str) -> Drafted:
    return [d for d in drafted() if d[2].kind == kind]


def numbers(doc: Document) -> dict[str, str]:
    return {c.id: c.number for c in doc.clauses}


def notes(doc: Document) -> str:
    return " ".join(" ".join((x.note or "").split()) for x in (*doc.clauses, *doc.schedules))


def paragraph(doc: Document, clause_id: str, start: str) -> str:
    text = clause_text(doc, clause_id)
    return text[text.index(start):] if start in text else ""


# --------------------------------------------------------------- 1. A1.8, B1.6, B2.7 service nouns


def test_service_names_get_their_head_noun_in_running_text() -> None:
    seen = 0
    for label, loaded, doc in of_kind("collaboration_agreement") + of_kind("sub_contract"):
        for service in loaded.answers.collaborative.services:
            bare = lower_first(trim_end(service))
            named = service_name(service)
            places = [clause_text(doc, "definitions")]
            if doc.kind == "collaboration_agreement":
                places += [clause_text(doc, "purpose-objectives"), schedule(doc, "services")]
            for text in places:
                if named != bare:
                    seen += 1
                    assert not re.search(rf"{re.escape(bare)}(?! services)", text), (label, bare)
            if doc.kind == "collaboration_agreement":
                assert named in clause_text(doc, "purpose-objectives"), (label, named)
    assert seen >= 6


# --------------------------------------------------------------- 2. C1.2, D1.6 Schedule 2 columns


def test_schedule_2_columns_follow_the_clauses_included() -> None:
    weighted = 0
    for label, loaded, doc in of_kind("collaboration_agreement"):
        a = loaded.answers
        text = schedule(doc, "services")
        heading = re.search(r"Annual value used for ([^|\n]*)", text)
        by_weight = a.governance.voting == "weighted" and a.governance.weight_basis == "contract_value"
        running = a.finance.model != "no_pooling" and a.finance.running_cost_split == "pro_rata"
        if heading:
            assert ("voting weights" in heading.group(1)) == by_weight, (label, heading.group(1))
            assert ("running costs" in heading.group(1)) == running, (label, heading.group(1))
            weighted += by_weight
        assert "also hosts the Collaborative" not in text, label
        lead = a.lead.id if a.lead else None
        partners = {m.id for m in a.partners}
        roles = {"lead" if m.id == lead else "partner" if m.id in partners else m.member_class
                 for m in a.members if m.member_class != "observer"}
        assert ("| Role |" in text) == (len(roles) > 1), (label, roles)
    assert weighted >= 2


# --------------------------------------------------------------- 3. C1.3, F2.9 purpose, footprint


def test_schedule_2_words_the_purpose_and_footprint_as_clause_5() -> None:
    changed_seen = 0
    for label, loaded, doc in of_kind("collaboration_agreement"):
        a = loaded.answers
        text = " ".join(schedule(doc, "services").split())
        purpose = a.collaborative.purpose
        if as_members(purpose) != purpose:
            changed_seen += 1
        assert not re.search(r"\b(?:the|our) (?:\w+ )?(?:trusts|partners|organisations)\b",
                             text.split("Who delivers")[0]), label
        # round 23: each system is named as its own ("the X integrated care system and the Y
        # integrated care system"), so names containing "and" do not run together
        ics = join_words([f"the {s} integrated care system" for s in a.collaborative.ics])
        assert f"{ics}." in text, (label, ics)
        assert "integrated care systems" not in text, label
    assert changed_seen >= 2


# --------------------------------------------------------------- 4. F2.3, B2.1 signing list


def test_the_signing_list_includes_variation_data_competition_and_covenants() -> None:
    seen = 0
    for label, loaded, doc in of_kind("collaboration_agreement") + of_kind("sub_contract"):
        found = numbers(doc)
        start = "The following provisions take effect" if doc.kind == "collaboration_agreement" \
            else "This clause, the Particulars"
        signing = paragraph(doc, "conditions-precedent", start)
        if not signing:
            continue
        signing = signing[:signing.index("take effect")] if doc.kind == "sub_contract" else \
            signing[:signing.index(". ")]
        listed = set(re.findall(r"\b(\d+)\b", signing))
        for cid in ("variation", "data-protection", "competition-information-barrier",
                    "banking-covenants", "confidentiality-foi", "dispute-resolution"):
            if cid in found:
                seen += 1
                assert found[cid] in listed, (label, cid, signing)
        if doc.kind == "collaboration_agreement" and "mou" in loaded.answers.documents \
                and "conflicts-of-interest" in found:
            assert found["conflicts-of-interest"] not in listed, (label, signing)
    assert seen >= 20


# --------------------------------------------------------------- 5. F2.2 IP defaults, assurance


def test_ip_defaults_are_on_the_checklist_and_a_transfer_has_further_assurance() -> None:
    unanswered = 0
    for label, loaded, doc in of_kind("collaboration_agreement"):
        a = loaded.answers
        given = a.ip.model_fields_set if "ip" in a.model_fields_set else set()
        said = notes(doc)
        joint_default = "foreground" not in given and a.ip.foreground == "joint"
        assert ("the answers do not say who owns IP" in said) == joint_default, label
        assert ("the answers do not say what happens to IP when a member leaves" in said) == \
            ("on_exit" not in given), label
        unanswered += "on_exit" not in given
        if a.ip.on_exit == "leaver_takes_own":
            assert "reasonably needed to complete that transfer" in \
                clause_text(doc, "ip-on-exit"), label
    assert unanswered >= 1


# --------------------------------------------------------------- 6. B2.3 independent creator


def test_an_independent_sector_creator_keeps_a_licence_for_all_its_services() -> None:
    seen = 0
    for label, loaded, doc in of_kind("sub_contract"):
        a = loaded.answers
        if a.ip.foreground != "lead_owns":
            continue
        text = clause_text(doc, "ip-ownership")
        partner = a.members_by_id[label.rsplit("/", 1)[1]]
        keeps = "to provide any of its own health and care services" in text
        assert keeps == (partner.kind == "independent_sector"), label
        if keeps:
            seen += 1
            assert "without the Sub-Contractor's written consent" in text, label
            # round 12 (r12c-ipfm): the licence of the rest of the Foreground IP keeps the
            # agreement's NHS-patients scope, so that wording now appears; what stays protected
            # is that neither the licence nor the commercialisation rule catches the creator's
            # own use of what it created.
            creator_use = re.search(r"may also use the Foreground IP it created to provide any "
                                    r"of its own health and care services", text)
            assert creator_use, label
            for sentence in re.split(r"(?<=\.) ", text):
                if "anyone other than NHS patients" in sentence:
                    assert "except the use" in sentence and "it created" in sentence, \
                        (label, sentence)
    assert seen >= 1


# --------------------------------------------------------------- 7. F2.4 fewer than two


def test_the_agreement_ends_when_fewer_than_two_nhs_members_would_remain() -> None:
    seen = 0
    for label, _loaded, doc in of_kind("collaboration_agreement"):
        if "exit-consequences" not in numbers(doc):
            continue
        seen += 1
        text = clause_text(doc, "commencement-term")
        # round 23: six months to admit a second NHS Member after any NHS Member leaves
        assert "fewer than two NHS Members would remain, this Agreement does not end on that " \
            "Member's Exit Date but continues for six months after it" in text, label
    assert seen >= 5


# --------------------------------------------------------------- 8. D1.5 Member Board


def test_member_board_names_a_councils_executive_and_only_kinds_present() -> None:
    councils = 0
    for label, loaded, doc in of_kind("collaboration_agreement"):
        kinds = {m.kind for m in loaded.answers.members if m.member_class != "observer"}
        text = clause_text(doc, "definitions")
        board = text[text.index("“Member Board”"):] if "“Member Board”" in text else ""
        if not board:
            continue
        board = board[:board.index("“", 2)] if "“" in board[2:] else board
        assert ("its executive or the committee or officer" in board) == \
            ("local_authority" in kinds), label
        assert ("or a company" in board) == ("independent_sector" in kinds), label
        councils += "local_authority" in kinds
    assert councils >= 1


# --------------------------------------------------------------- 9. C1.6 Annual Contract Value


def test_schedule_2_asks_what_the_annual_values_are_where_no_sub_contract_fixes_them() -> None:
    seen = 0
    for label, loaded, doc in of_kind("collaboration_agreement"):
        a = loaded.answers
        table = schedule(doc, "services")
        note = " ".join((next(s.note for s in doc.schedules if s.id == "services") or "").split())
        asks = "whole income" in note
        assert asks == (a.governance.model != "lead_provider" and "Annual value used" in table), \
            label
        seen += asks
    assert seen >= 2


# --------------------------------------------------------------- 10. F1.5 the MOU's last day


def test_the_memorandum_ends_at_the_end_of_the_day_before_the_operative_date() -> None:
    seen = 0
    for label, _loaded, doc in of_kind("mou"):
        text = clause_text(doc, "commencement-term")
        if "Operative Date" not in text:
            continue
        seen += 1
        assert "the end of the day before the Operative Date" in text, label
        assert not re.search(r"(?<!end of )the day before the Operative Date", text), label
    assert seen >= 1
    assert MOU_THEN.exists()
