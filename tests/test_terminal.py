"""`drafting questionnaire` in a real terminal (a pseudo-terminal driven by pexpect).

What a company secretary does at the keyboard: goes back, changes an earlier answer, gets
out of a set of weights that cannot add up, resumes a hand-written file without losing its
comments, fills a partner's sub-contract terms (its services and key performance
indicators), and drafts the documents at the end.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from drafting.read.load import load_answers
from drafting.read.yamlsource import read_yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "questionnaire" / "lead-provider-with-independent.yaml"
NORTH_EAST = ROOT / "answers" / "north-east-mental-health.yaml"


def spawn(*args: str, cwd: Path) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable, ["-m", "drafting", "questionnaire", *args], cwd=str(cwd),
        env={**os.environ, "COLUMNS": "100", "TERM": "dumb"}, encoding="utf-8", timeout=60,
        dimensions=(40, 100),
    )
    return child


def answer(child: pexpect.spawn, question: str, typed: str) -> None:
    child.expect_exact(question)
    child.expect_exact(">")
    child.sendline(typed)


def finish(child: pexpect.spawn) -> None:
    child.expect(pexpect.EOF)
    child.close()


def test_back_and_change_return_to_earlier_answers(tmp_path: Path) -> None:
    out = tmp_path / "ours.yaml"
    child = spawn("-o", str(out), cwd=tmp_path)
    answer(child, "What is the collaborative's full name?", "Frist Collaborative")
    answer(child, "What is its short name, for page headers?", "FC")
    answer(child, "What kind of collaborative is it?", "back")
    # back: the short name again, with the answer given shown as the default
    child.expect_exact("What is its short name, for page headers?")
    child.expect_exact("Enter for FC")
    child.sendline("")
    answer(child, "What kind of collaborative is it?", "change 1")
    child.expect_exact("What is the collaborative's full name?")
    child.expect_exact("Enter for Frist Collaborative")
    child.sendline("First Collaborative")
    # after the change, on where it stopped
    answer(child, "What kind of collaborative is it?", "change")
    child.expect_exact("1. What is the collaborative's full name?: First Collaborative")
    child.expect_exact("2. What is its short name, for page headers?: FC")
    child.expect_exact("Type change N to change answer N.")
    child.sendcontrol("d")
    finish(child)
    data = read_yaml(out).data
    assert data["collaborative"] == {"name": "First Collaborative", "short_name": "FC"}
    assert child.exitstatus == 1


def test_weights_that_cannot_add_up_are_caught_at_once_with_a_way_back(tmp_path: Path) -> None:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    del data["governance"]["weights"]
    out = tmp_path / "ours.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    child = spawn("--resume", str(out), cwd=tmp_path)
    answer(child, "What is the voting weight of Humber Teaching NHS Foundation Trust (%)?", "60")
    answer(child, "What is the voting weight of Tees, Esk and Wear Valleys", "50")
    child.expect_exact(
        "The weights add up to 110. They must add up to 100: this one can be at most 40")
    child.expect_exact("Type back to change the weight before this one.")
    child.sendline("back")
    answer(child, "What is the voting weight of Humber Teaching NHS Foundation Trust (%)?", "45")
    answer(child, "What is the voting weight of Tees, Esk and Wear Valleys", "35")
    answer(child, "What is the voting weight of Cygnet Health Care Limited (%)?", "25")
    child.expect_exact(
        "The weights add up to 105. They must add up to 100: this one can be at most 20")
    child.sendline("20")
    child.expect_exact("Draft the documents now?")
    child.sendline("n")
    finish(child)
    assert child.exitstatus == 0
    weights = load_answers(out).answers.governance.weights
    assert weights == {"humber": 45, "tewv": 35, "cygnet": 20}


def test_a_rule_that_needs_an_answer_refuses_a_blank(tmp_path: Path) -> None:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    del data["competition"]
    out = tmp_path / "ours.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    child = spawn("--resume", str(out), cwd=tmp_path)
    answer(child, "How is competitively sensitive information kept apart?", "")
    child.expect_exact("! Select how competitively sensitive information is kept apart.")
    child.sendline("2")
    child.expect_exact("Draft the documents now?")
    child.sendline("n")
    finish(child)
    assert load_answers(out).answers.competition.information_barrier == "clean_team"


def test_resume_keeps_the_comments_and_does_not_ask_what_was_left_out(tmp_path: Path) -> None:
    text = NORTH_EAST.read_text(encoding="utf-8")
    # a hand-written file that has not yet said who mediates
    note = "  # Our own note on disputes, kept through every save.\n"
    text = text.replace("  tiers: [", note + "  tiers: [", 1)
    data = yaml.safe_load(text)
    assert data["disputes"]["mediator"] == "CEDR"
    lines = [line for line in text.splitlines() if "mediator:" not in line]
    out = tmp_path / "ours.yaml"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    child = spawn("--resume", str(out), cwd=tmp_path)
    answer(child, "Who mediates, or appoints the mediator?", "CEDR")
    child.expect_exact("Draft the documents now?")
    child.sendline("n")
    finish(child)
    assert child.exitstatus == 0
    saved = out.read_text(encoding="utf-8")
    # every comment of the original is still there, and only the answer was added
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            assert line in saved, line
    assert "mediator: CEDR" in saved
    # and every answer line is as the author wrote it (a flow list wrapped over two lines is
    # joined onto one: the round-trip writer does not keep such a break)
    kept = [line for line in lines if line.strip() and not line.startswith(" " * 10)
            and not line.rstrip().endswith(",")]
    assert [line for line in kept if line not in saved.splitlines()] == []
    # optional questions the file leaves out (ODS codes, short references...) were not asked
    assert "ODS code" not in child.before


def test_draft_now_asks_for_a_folder_and_never_overwrites_unasked(tmp_path: Path) -> None:
    out = tmp_path / "ours.yaml"
    out.write_bytes(NORTH_EAST.read_bytes())
    child = spawn("--resume", str(out), cwd=tmp_path)
    child.expect_exact("Draft the documents now? [y/N]")
    child.sendline("y")
    child.expect_exact("Folder for the documents [drafts]")
    child.sendline("")
    child.expect_exact("Drafted 6 documents in drafts:")
    finish(child)
    assert child.exitstatus == 0
    drafted = tmp_path / "drafts" / "collaboration-agreement.docx"
    assert drafted.stat().st_size > 10_000
    before = drafted.read_bytes()
    drafted.write_bytes(b"edited by a lawyer")
    # again, into the same folder: asked first, and nothing is replaced on "no"
    child = spawn("--resume", str(out), cwd=tmp_path)
    child.expect_exact("Draft the documents now? [y/N]")
    child.sendline("y")
    child.expect_exact("Folder for the documents [drafts]")
    child.sendline("drafts")
    child.expect_exact("drafts already has 6 of these documents")
    child.expect_exact("Replace them? [y/N]")
    child.sendline("n")
    child.expect_exact("Choose another folder? [Y/n]")
    child.sendline("n")
    child.expect_exact("Nothing was drafted.")
    finish(child)
    assert drafted.read_bytes() == b"edited by a lawyer"
    assert "Traceback" not in (child.before or "")
    assert len(before) > 10_000


@pytest.mark.parametrize("folder", ["not-a-folder.txt"])
def test_draft_now_into_an_impossible_folder_says_so(tmp_path: Path, folder: str) -> None:
    out = tmp_path / "ours.yaml"
    out.write_bytes(NORTH_EAST.read_bytes())
    (tmp_path / folder).write_text("a file, not a folder", encoding="utf-8")
    child = spawn("--resume", str(out), cwd=tmp_path)
    child.expect_exact("Draft the documents now? [y/N]")
    child.sendline("y")
    child.expect_exact("Folder for the documents [drafts]")
    child.sendline(folder)
    child.expect_exact("! The documents could not be drafted:")
    child.expect_exact("Try another folder? [Y/n]")
    child.sendline("n")
    finish(child)
    assert "Traceback" not in (child.before or "")


PRIORY = "Priory Healthcare Limited"


def test_a_partner_s_sub_contract_terms_are_filled_at_the_keyboard(tmp_path: Path) -> None:
    """A file without one partner's terms: every question of its sub-contract is asked,
    lists included (a file that never had the block left nothing out), refused answers are
    explained in words naming the partner, and the sub-contract drafted from the file
    carries what was typed."""
    from docx import Document

    data = yaml.safe_load(NORTH_EAST.read_text(encoding="utf-8"))
    del data["sub_contract_terms"]["priory"]
    out = tmp_path / "ours.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    child = spawn("--resume", str(out), cwd=tmp_path)
    child.expect_exact(f"Add at least one service that {PRIORY} provides under its sub-contract")
    child.expect_exact(f"The sub-contract of {PRIORY}")
    child.expect_exact("Service 1")
    answer(child, "What is the service called?", "Low secure inpatient beds")
    answer(child, f"How much of it does {PRIORY} provide in a year?", "15 beds")
    answer(child, "What is its annual price (£)?", "a lot")
    child.expect_exact("! The annual price must be a number.")
    child.sendline("£2,500,000")
    answer(child, "Where is it provided?", "Middleton St George")
    answer(child, f"Add another service for {PRIORY}?", "y")
    child.expect_exact("Service 2")
    answer(child, "What is the service called?", "Eating disorder day care")
    answer(child, f"How much of it does {PRIORY} provide in a year?", "")
    child.expect_exact("! Enter how much of the service is provided.")
    child.sendline("10 places")
    answer(child, "What is its annual price (£)?", "")  # not agreed yet: a placeholder
    answer(child, "Where is it provided?", "")
    answer(child, f"Add another service for {PRIORY}?", "n")
    answer(child, f"How is {PRIORY} paid?", "2")
    answer(child, f"Within how many days must the lead provider pay {PRIORY}'s valid invoices?",
           "45")
    child.expect_exact(f"! The number of days to pay {PRIORY} must be between 1 and 30.")
    child.sendline("20")
    answer(child, f"When does {PRIORY} start providing its services?", "1/4/2040")
    child.expect_exact(f"! {PRIORY} must start within the head contract's term, "
                       "from 1 April 2027 to 31 March 2032.")
    child.sendline("1/10/2027")
    answer(child, f"Add a key performance indicator for {PRIORY}?", "y")
    child.expect_exact("Key performance indicator 1")
    answer(child, "What is measured?", "Restrictive interventions reviewed within 24 hours")
    answer(child, "What is the target?", "100%")
    answer(child, "How is it measured?", "monthly incident data")
    answer(child, f"Add another key performance indicator for {PRIORY}?", "n")
    answer(child, f"Who manages the sub-contract for {PRIORY}? Their name", "Hannah Moss")
    answer(child, "The contract manager's role or job title", "")
    child.expect_exact(f"! Enter the role of the contract manager of {PRIORY}.")
    child.sendline("Contracts Manager")
    answer(child, f"Who manages the sub-contract with {PRIORY} for the lead provider? "
           "Their name", "")
    child.expect_exact("All questions answered")
    child.expect_exact("Draft the documents now? [y/N]")
    child.sendline("y")
    child.expect_exact("Folder for the documents [drafts]")
    child.sendline("")
    child.expect_exact("Drafted 6 documents in drafts:")
    finish(child)
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")
    terms = load_answers(out).answers.sub_contract_terms["priory"]
    assert [(s.name, s.activity, s.annual_price, s.location) for s in terms.services] == [
        ("Low secure inpatient beds", "15 beds", 2500000, "Middleton St George"),
        ("Eating disorder day care", "10 places", None, None),
    ]
    assert terms.payment_basis == "activity" and terms.payment_days == 20
    assert str(terms.service_commencement) == "2027-10-01"
    assert [(k.name, k.target, k.measure) for k in terms.kpis] == [
        ("Restrictive interventions reviewed within 24 hours", "100%", "monthly incident data")]
    assert terms.contract_manager is not None and terms.contract_manager.name == "Hannah Moss"
    assert terms.lead_contract_manager is None
    # the other partner's terms are as the file had them
    assert load_answers(out).answers.sub_contract_terms["cntw"] == \
        load_answers(NORTH_EAST).answers.sub_contract_terms["cntw"]
    drafted = sorted((tmp_path / "drafts").glob("sub-contract-*priory*.docx"))
    assert len(drafted) == 1, sorted(p.name for p in (tmp_path / "drafts").iterdir())
    doc = Document(str(drafted[0]))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in doc.paragraphs] + cells)
    for typed in ("Low secure inpatient beds", "Eating disorder day care", "2,500,000",
                  "Restrictive interventions reviewed within 24 hours",
                  "Monthly incident data", "Hannah Moss"):  # (a table cell starts upper case)
        assert typed in text, typed
    assert "[£●]" in text  # the price not agreed yet
    assert "Ferndene" not in text  # nothing of the other partner's


def _drafted_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_memorandum_starting_with_its_agreement_goes_back_to_its_date(tmp_path: Path) -> None:
    """An MOU that a collaboration agreement replaces starts before it (R24): a file giving
    both the same date is refused at the end with a way back to the MOU's own question,
    which refuses a date on or after the agreement's, and the documents carry the date."""
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["mou_commencement_date"] = data["collaborative"]["commencement_date"]  # 1 October 2027
    out = tmp_path / "ours.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    child = spawn("--resume", str(out), cwd=tmp_path)
    child.expect_exact("The MOU must start before the collaboration agreement that replaces it "
                       "takes effect on 1 October 2027")
    child.expect_exact("Go back to “When does the memorandum of understanding start?”? [Y/n]")
    child.sendline("y")
    child.expect_exact("It must be before the collaboration agreement starts")
    child.expect_exact("Enter for 2027-10-01")
    child.expect_exact(">")
    child.sendline("")  # the same date again: refused where it is typed
    child.expect_exact("! The memorandum must start before the collaboration agreement starts "
                       "(1 October 2027).")
    child.sendline("30/2/2027")
    child.expect_exact("! The memorandum's start date must be a real date.")
    child.sendline("4/1/2027")
    child.expect_exact("All questions answered")
    child.expect_exact("Draft the documents now? [y/N]")
    child.sendline("y")
    child.expect_exact("Folder for the documents [drafts]")
    child.sendline("")
    child.expect_exact("Drafted ")
    finish(child)
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")
    assert str(load_answers(out).answers.mou_commencement_date) == "2027-01-04"
    drafts = tmp_path / "drafts"
    assert "“Commencement Date” means 4 January 2027" in _drafted_text(drafts / "mou.docx")
    agreement = _drafted_text(drafts / "collaboration-agreement.docx")
    assert "“Commencement Date” means 1 October 2027" in agreement
    assert "memorandum of understanding between the Members that took effect on 4 January " \
           "2027" in agreement


DELEGATED = "Which matters do the members' boards delegate to the board?"
LIMIT = "Up to how much may a delegated decision commit a member to in a year (£)?"


def test_the_delegated_matters_are_changed_at_the_keyboard(tmp_path: Path) -> None:
    """From a later question, `change N` returns to the delegated matters: "none" leaves
    the board nothing to decide, and forgets the financial limit that no longer applies;
    choosing matters again asks for the limit again, and the agreement lists them."""
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    del data["competition"]
    out = tmp_path / "ours.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    child = spawn("--resume", str(out), cwd=tmp_path)
    barrier = "How is competitively sensitive information kept apart?"
    answer(child, barrier, "change")
    child.expect(r"(\d+)\. " + re.escape(DELEGATED) + r": ([^\r\n]*)")
    number = child.match.group(1)
    assert child.match.group(2).startswith("Agreeing the strategy, annual plan and workplan")
    answer(child, barrier, f"change {number}")
    child.expect_exact(DELEGATED)
    child.expect_exact("Approving spending within the approved running-costs budget  (current)")
    child.expect_exact("numbers separated by commas, or none")
    child.expect_exact(">")
    child.sendline("1, 9")
    child.expect_exact("! Enter a number from 1 to 7.")
    child.sendline("none")
    child.expect_exact(f"(That answer means these are no longer asked: {LIMIT})")
    answer(child, barrier, f"change {number}")
    child.expect_exact(DELEGATED)
    child.expect_exact(">")
    child.sendline("1, 2, business")
    answer(child, LIMIT, "about a million")
    child.expect_exact("! The financial limit of a delegated decision must be a number.")
    child.sendline("£1,000,000")
    answer(child, barrier, "2")
    child.expect_exact("Draft the documents now? [y/N]")
    child.sendline("y")
    child.expect_exact("Folder for the documents [drafts]")
    child.sendline("")
    child.expect_exact("Drafted ")
    finish(child)
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")
    governance = load_answers(out).answers.governance
    assert governance.delegated_matters == [
        "strategy_and_plans", "pathways_and_standards", "business_cases"]
    assert governance.delegation_limit == 1000000
    agreement = _drafted_text(tmp_path / "drafts" / "collaboration-agreement.docx")
    assert "approving business cases for investment in the Services" in agreement
    assert "more than £1,000,000 in any Contract Year" in agreement
    assert "running costs of the collaboration" not in agreement


def test_a_blank_optional_answer_keeps_the_head_contract_answered_before_it(
    tmp_path: Path,
) -> None:
    """Enter on "Is this a considerable change?" (optional, usually no) keeps the head
    contract whose commissioner, dates and reference were typed just before, asks the
    questions after it, and the file is the lead-provider scenario's answers."""
    from tests.test_questionnaire import script, titles

    scenario = ROOT / "tests" / "answers" / "scenarios" / "lead-provider-dominant.yaml"
    target = read_yaml(scenario).data
    entries = script(target)
    paths = [e[0] for e in entries]
    blank = paths.index("head_contract.considerable_change")
    entries[blank] = ["head_contract.considerable_change", ""]
    out = tmp_path / "answers.yaml"
    child = spawn("-o", str(out), cwd=tmp_path)
    for (_, *lines), title in zip(entries, titles(paths, target), strict=True):
        child.expect_exact(title)
        for line in lines:
            child.expect_exact(">")
            child.sendline(line)
    child.expect_exact("All questions answered")
    child.expect_exact("Draft the documents now?")
    child.sendline("n")
    finish(child)
    assert child.exitstatus == 0
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert saved["head_contract"]["commissioner"] == "NHS England"
    assert saved["head_contract"]["considerable_change"] is False  # the usual answer
    assert load_answers(out).answers == load_answers(scenario).answers
