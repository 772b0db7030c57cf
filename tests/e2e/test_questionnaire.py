"""A company secretary fills a whole collaborative in a real browser and downloads the result.

Conditional questions appear and disappear as answers change, a broken rule is shown next
to its field and fixed, each partner's sub-contract terms are entered (a service and a key
performance indicator added, saved, still there on reload), each page is saved as a
screenshot for a person to look at, and the downloaded answers and documents open: the
answers validate, the collaboration agreement and each partner's sub-contract open in
python-docx, the sub-contract with what was typed for that partner and nothing of another's.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import docx

from drafting.read.load import parse_answers
from drafting.web.forms.paths import html_id

from .conftest import SCREENSHOTS

# --------------------------------------------------------------------------- helpers


def field(path: str) -> str:
    return f"#{html_id(path)}"


def fill(page: Any, path: str, value: str) -> None:
    """Type an answer; a date goes into its day, month and year fields."""
    if page.locator(field(path) + "-day").count():
        year, month, day = value.split("-")
        for part, text in (("day", day), ("month", month), ("year", year)):
            page.fill(f"{field(path)}-{part}", text)
        return
    page.fill(field(path), value)


def member_keys(page: Any) -> list[str]:
    """The members' stable keys, in order, as their remove buttons name them."""
    values = page.eval_on_selector_all(
        'button[value^="remove:"]', "els => els.map(e => e.value.slice(7))"
    )
    return list(values)


def choose(page: Any, path: str, value: str) -> None:
    """Click a radio or tick a checkbox; the page re-draws itself at once (JavaScript)."""
    control = page.locator(f'input[name="{path}"][value="{value}"]')
    if control.is_checked():  # already the answer (or the default): nothing changes
        return
    with page.expect_navigation():
        control.check()
    assert page.locator(f'input[name="{path}"][value="{value}"]').is_checked()


def untick(page: Any, path: str, value: str) -> None:
    with page.expect_navigation():
        page.locator(f'input[name="{path}"][value="{value}"]').uncheck()


def continue_(page: Any) -> None:
    with page.expect_navigation():
        page.click("#continue")


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def heading(page: Any) -> str:
    return page.locator("h1").inner_text()


MEMBERS = [
    {
        "id": "tewv", "name": "Tees, Esk and Wear Valleys NHS Foundation Trust",
        "kind": "nhs_foundation_trust", "address": "West Park Hospital, Darlington DL2 2TS",
        "rep": ("Jane Doe", "Director of Strategy"), "sign": ("John Roe", "Chief Executive"),
        "value": "42,000,000",
    },
    {
        "id": "cntw", "name": "Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust",
        "kind": "nhs_foundation_trust", "address": "St Nicholas Hospital, Newcastle NE3 3XT",
        "rep": ("Amira Khan", "Director of Commissioning"),
        "sign": ("Peter Lowe", "Chief Executive"), "value": "38000000",
    },
    {
        "id": "priory", "name": "Priory Healthcare Limited", "kind": "independent_sector",
        "address": "80 Hammersmith Road, London W14 8UD", "rep": ("Sam Patel", "Regional Director"),
        "sign": ("Claire Wynn", "Managing Director"), "value": "12000000", "company": "02671879",
    },
]


def fill_collaborative(page: Any) -> None:
    assert heading(page) == "The collaborative and its documents"
    fill(page, "collaborative.name", "North East Specialised Mental Health Provider Collaborative")
    fill(page, "collaborative.short_name", "NESMHPC")
    choose(page, "collaborative.kind", "specialised_mental_health")
    fill(page, "collaborative.ics", "North East and North Cumbria")
    fill(page, "collaborative.purpose", "To take responsibility for the budget and pathway of "
         "specialised mental health services, close to home.")
    fill(page, "collaborative.objectives", "Reduce out-of-area placements\nReinvest savings")
    fill(page, "collaborative.services", "CAMHS inpatient\nAdult eating disorders")
    fill(page, "collaborative.commencement_date", "2027-04-01")
    choose(page, "governance.model", "lead_provider")
    choose(page, "governance.vehicle", "partnership_board")
    # sub-contracts are open only with a lead provider: the choice is there now
    choose(page, "documents", "collaboration_agreement")
    assert page.locator('input[name="documents"][value="sub_contracts"]').is_visible()
    choose(page, "documents", "sub_contracts")
    # the MOU question appears with an MOU and goes away without one
    assert page.locator(field("mou_binding")).count() == 0
    choose(page, "documents", "mou")
    assert page.locator(field("mou_binding")).is_visible()
    untick(page, "documents", "mou")
    assert page.locator(field("mou_binding")).count() == 0
    choose(page, "collaborative.term.kind", "fixed_years")
    fill(page, "collaborative.term.years", "5")
    # text typed before a choice re-drew the page is kept
    assert page.input_value(field("collaborative.name")).startswith("North East")
    shoot(page, "collaborative")
    continue_(page)


def fill_members(page: Any) -> None:
    assert heading(page) == "Members"
    for i, m in enumerate(MEMBERS):
        with page.expect_navigation():
            page.click("#add-member")
        p = f"members[{member_keys(page)[i]}]"
        # the new member's first field has the keyboard focus
        assert page.evaluate("document.activeElement.id") == html_id(f"{p}.id")
        fill(page, f"{p}.id", m["id"])
        fill(page, f"{p}.name", m["name"])
        assert page.locator(field(f"{p}.banking_covenants")).count() == 0
        choose(page, f"{p}.kind", m["kind"])
        choose(page, f"{p}.class", "voting")
        fill(page, f"{p}.address", m["address"])
        fill(page, f"{p}.representative.name", m["rep"][0])
        fill(page, f"{p}.representative.role", m["rep"][1])
        fill(page, f"{p}.signatory.name", m["sign"][0])
        fill(page, f"{p}.signatory.role", m["sign"][1])
        fill(page, f"{p}.annual_contract_value", m["value"])
        if m["kind"] == "independent_sector":
            # a company gets the company-number and banking-covenant questions
            fill(page, f"{p}.company_number", m["company"])
            assert page.locator(field(f"{p}.banking_covenants")).is_visible()
            choose(page, f"{p}.banking_covenants", "yes")
        else:
            assert page.locator(field(f"{p}.company_number")).count() == 0
        if i == 0:
            # one member breaks rule R1: the validator's finding is shown on the page
            continue_(page)
            assert heading(page) == "Members"
            summary = page.locator("#error-summary").inner_text()
            assert "at least two NHS trusts or foundation trusts" in summary
            assert "at least two NHS trusts" in page.locator("#page-errors").inner_text()
            shoot(page, "members-error")
    shoot(page, "members")
    continue_(page)


def fill_lead_provider(page: Any) -> None:
    assert heading(page) == "Lead provider and conflicts"
    # only NHS members can lead
    assert page.locator('input[name="lead_provider"][value="priory"]').count() == 0
    choose(page, "lead_provider", "tewv")
    fill(page, "head_contract.commissioner", "NHS England")
    fill(page, "head_contract.reference", "NHSE/SPEC/2027/014")
    fill(page, "head_contract.start", "2027-04-01")
    fill(page, "head_contract.end", "2032-03-31")
    choose(page, "head_contract.considerable_change", "no")
    choose(page, "head_contract.provider_selection_route", "direct_award_c")
    assert page.locator(field("commissioning.separation")).count() == 0
    choose(page, "commissioning.lead_commissions", "yes")
    choose(page, "commissioning.separation", "commissioning_hub")
    choose(page, "commissioning.management_fee.kind", "percent")
    fill(page, "commissioning.management_fee.value", "2")
    shoot(page, "lead-provider")
    continue_(page)


def entry_keys(page: Any, list_name: str) -> list[str]:
    """The stable keys of one list's entries (a partner's services), from their fields."""
    names = page.eval_on_selector_all(
        f'input[name^="{list_name}["][name$="].name"]', "els => els.map(e => e.name)")
    return [n[len(list_name) + 1:].split("]")[0] for n in names]


def add_entry(page: Any, list_name: str) -> str:
    """Press the list's add button; the new entry's first field has the focus: its key."""
    with page.expect_navigation():
        page.click(f"#{html_id(list_name)}-add")
    key = entry_keys(page, list_name)[-1]
    assert page.evaluate("document.activeElement.id") == html_id(f"{list_name}[{key}].name")
    return key


CNTW_SERVICE = "Adult eating disorders inpatient beds"
CNTW_KPI = "Admissions within 4 weeks of referral"


def fill_sub_contracts(page: Any) -> None:
    """Each partner of the lead provider (cntw, priory; not tewv, the lead): its services,
    how it is paid and its key performance indicators, saved and still there on reload."""
    assert heading(page) == "The partners' sub-contracts"
    blocks = page.locator("h2.block__title").all_inner_texts()
    assert blocks == [f"The sub-contract of {MEMBERS[1]['name']}",
                      f"The sub-contract of {MEMBERS[2]['name']}"]
    cntw = "sub_contract_terms.cntw"
    assert "No services yet: add the first one." in page.locator(
        f"#{html_id(cntw + '.services')}-list").inner_text()
    service = add_entry(page, f"{cntw}.services")
    s = f"{cntw}.services[{service}]"
    fill(page, f"{s}.name", CNTW_SERVICE)
    fill(page, f"{s}.activity", "8 commissioned beds, about 2,900 occupied bed days a year")
    fill(page, f"{s}.annual_price", "£6,200,000")
    fill(page, f"{s}.location", "Ferndene, Prudhoe")
    choose(page, f"{cntw}.payment_basis", "block")  # re-draws: what was typed is kept
    assert page.input_value(field(f"{s}.name")) == CNTW_SERVICE
    kpi = add_entry(page, f"{cntw}.kpis")
    k = f"{cntw}.kpis[{kpi}]"
    fill(page, f"{k}.name", CNTW_KPI)
    fill(page, f"{k}.target", "at least 90%")
    fill(page, f"{k}.measure", "monthly referral data")
    fill(page, f"{cntw}.payment_days", "45")  # more than 30: refused, naming the partner
    priory = "sub_contract_terms.priory"
    p_service = add_entry(page, f"{priory}.services")
    assert page.input_value(field(f"{s}.annual_price")) in ("6200000", "£6,200,000")
    fill(page, f"{priory}.services[{p_service}].name", "Adult low secure inpatient beds")
    fill(page, f"{priory}.services[{p_service}].activity", "15 commissioned beds")
    choose(page, f"{priory}.payment_basis", "cost_and_volume")
    continue_(page)
    assert heading(page) == "The partners' sub-contracts"
    summary = page.locator("#error-summary").inner_text()
    assert f"The number of days to pay {MEMBERS[1]['name']} must be between 1 and 30" in summary
    shoot(page, "sub-contracts-error")
    fill(page, f"{cntw}.payment_days", "20")
    continue_(page)
    assert heading(page) == "Governance, voting and reporting"
    # saved: the page drawn again from the stored answers, and after a reload, has them
    page.goto("/section/sub-contracts")
    page.reload()
    assert entry_keys(page, f"{cntw}.services") == [service]
    assert entry_keys(page, f"{cntw}.kpis") == [kpi]
    assert page.input_value(field(f"{s}.name")) == CNTW_SERVICE
    assert page.input_value(field(f"{s}.annual_price")) == "6200000"
    assert page.input_value(field(f"{k}.name")) == CNTW_KPI
    assert page.input_value(field(f"{cntw}.payment_days")) == "20"
    assert page.locator(f'input[name="{cntw}.payment_basis"][value="block"]').is_checked()
    shoot(page, "sub-contracts")
    continue_(page)


def fill_governance(page: Any) -> None:
    assert heading(page) == "Governance, voting and reporting"
    # weighted voting brings up how weights are set; another voting rule takes it away
    assert page.locator(field("governance.weight_basis")).count() == 0
    choose(page, "governance.voting", "weighted")
    assert page.locator(field("governance.weight_basis")).is_visible()
    choose(page, "governance.voting", "simple_majority")
    assert page.locator(field("governance.weight_basis")).count() == 0
    choose(page, "governance.voting", "weighted")
    choose(page, "governance.weight_basis", "fixed")
    for mid in ("tewv", "cntw", "priory"):
        assert page.locator(field(f"governance.weights.{mid}")).is_visible()
    # a broken rule: the weights add up to 90, not 100
    fill(page, "governance.weights.tewv", "40")
    fill(page, "governance.weights.cntw", "35")
    fill(page, "governance.weights.priory", "15")
    choose(page, "governance.deadlock", "refer_to_boards")
    continue_(page)
    assert heading(page) == "Governance, voting and reporting"
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "add up to 100" in summary.inner_text()
    bad = page.locator(f"{field('governance.weights.priory')}-field .error-message")
    assert "add up to 100" in bad.inner_text()
    assert page.get_attribute(field("governance.weights.priory"), "aria-invalid") == "true"
    # the summary links to the field
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == html_id("governance.weights.priory")
    shoot(page, "governance-error")
    fill(page, "governance.weights.priory", "25")
    shoot(page, "governance")
    continue_(page)
    assert page.locator("#error-summary").count() == 0


def document_text(doc: Any) -> str:
    """A Word document's paragraphs and table cells, as a reader sees them."""
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def accept_defaults(page: Any, title: str, name: str) -> None:
    assert heading(page) == title
    shoot(page, name)
    continue_(page)


def test_fill_a_whole_collaborative_and_download(page: Any, tmp_path: Path) -> None:
    assert heading(page) == "Draft the documents of your provider collaborative"
    shoot(page, "start")
    with page.expect_navigation():
        page.click("text=Start now")
    fill_collaborative(page)
    fill_members(page)
    fill_lead_provider(page)
    fill_sub_contracts(page)
    fill_governance(page)
    assert heading(page) == "Finance, risk and gain share"
    choose(page, "finance.model", "shared_control_total")
    assert page.locator(field("finance.surplus_reinvest_percent")).count() == 0
    choose(page, "finance.surplus", "split")
    fill(page, "finance.surplus_reinvest_percent", "70")
    choose(page, "finance.deficit", "capped")
    fill(page, "finance.loss_cap_percent", "2")
    shoot(page, "finance")
    continue_(page)
    accept_defaults(page, "Intellectual property", "ip")
    accept_defaults(page, "Membership: joining, leaving and expulsion", "membership")
    assert heading(page) == "Competition law and information"
    # an independent provider at the table: no default barrier, a choice is needed
    choose(page, "competition.information_barrier", "clean_team")
    shoot(page, "competition")
    continue_(page)
    assert heading(page) == "Data"
    choose(page, "data.kinds", "identifiable_direct_care")
    choose(page, "data.controller_model", "independent")
    choose(page, "data.legal_gateway", "direct_care")
    choose(page, "data.dpia", "completed")
    shoot(page, "data")
    continue_(page)
    assert heading(page) == "Disputes"
    assert page.locator(field("disputes.mediator")).count() == 0
    choose(page, "disputes.tiers", "mediation")
    fill(page, "disputes.mediator", "CEDR")
    shoot(page, "disputes")
    continue_(page)
    accept_defaults(page, "Clinical model", "clinical")

    assert heading(page) == "Check your answers"
    assert page.locator("#valid-panel").is_visible()
    shoot(page, "review")

    with page.expect_download() as got:
        page.click("text=Download the answers file (YAML)")
    answers_file = tmp_path / "answers.yaml"
    got.value.save_as(answers_file)
    text = answers_file.read_text(encoding="utf-8")
    loaded = parse_answers(text)
    a = loaded.answers
    assert a.lead_provider == "tewv" and [m.id for m in a.members] == ["tewv", "cntw", "priory"]
    assert a.governance.weights == {"tewv": 40, "cntw": 35, "priory": 25}
    assert a.members[2].banking_covenants is True
    assert a.members[0].annual_contract_value == 42000000
    terms = a.sub_contract_terms["cntw"]
    assert [x.name for x in terms.services] == [CNTW_SERVICE]
    assert terms.services[0].annual_price == 6200000 and terms.payment_days == 20
    assert [(x.name, x.target) for x in terms.kpis] == [(CNTW_KPI, "at least 90%")]
    assert set(a.sub_contract_terms) == {"cntw", "priory"}

    with page.expect_download() as got:
        page.click("#draft-pack")
    pack = tmp_path / "pack.zip"
    got.value.save_as(pack)
    with zipfile.ZipFile(pack) as z:
        names = z.namelist()
        assert "collaboration-agreement.docx" in names
        subs = sorted(n for n in names if n.startswith("sub-contract-"))
        assert len(subs) == 2 and not [n for n in subs if "tees" in n.lower()], names
        assert parse_answers(z.read("answers.yaml").decode()).answers == a
        agreement = docx.Document(io.BytesIO(z.read("collaboration-agreement.docx")))
        cntw_sub = next(n for n in subs if "cumbria" in n.lower() or "cntw" in n.lower())
        sub = docx.Document(io.BytesIO(z.read(cntw_sub)))
        other = docx.Document(io.BytesIO(z.read(next(n for n in subs if n != cntw_sub))))
    sub_text = document_text(sub)
    for typed in (CNTW_SERVICE, "6,200,000", "Ferndene, Prudhoe", CNTW_KPI, "at least 90%"):
        assert typed in sub_text, typed
    assert "Adult low secure inpatient beds" not in sub_text  # nothing of the other partner's
    other_text = document_text(other)
    assert "Adult low secure inpatient beds" in other_text and CNTW_KPI not in other_text
    assert "[£●]" in other_text  # its price is not given yet
    body = "\n".join(p.text for p in agreement.paragraphs)
    assert "Tees, Esk and Wear Valleys NHS Foundation Trust" in body
    assert re.search(r"North East Specialised Mental Health", body)


def test_keyboard_choice_is_sent_when_focus_leaves_the_group(page: Any) -> None:
    page.goto("/section/governance")
    first = page.locator('input[name="governance.voting"]').first
    first.focus()
    page.keyboard.press("ArrowDown")  # consensus -> simple_majority: no re-draw yet
    page.keyboard.press("ArrowDown")  # -> special_majority
    page.wait_for_timeout(300)
    assert page.locator(field("governance.special_majority_percent")).count() == 0
    with page.expect_navigation():
        page.keyboard.press("Tab")
    assert page.locator(field("governance.special_majority_percent")).is_visible()
    assert page.evaluate("document.activeElement.value") == "special_majority"


def test_without_javascript_the_update_button_brings_up_questions(
    browser: Any, server_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=server_url)
    try:
        tab = context.new_page()
        tab.goto("/section/governance")
        update = tab.locator("button[data-update]")
        assert update.is_visible()
        tab.check('input[name="governance.voting"][value="weighted"]')
        assert tab.locator(field("governance.weight_basis")).count() == 0
        with tab.expect_navigation():
            update.click()
        assert tab.locator(field("governance.weight_basis")).is_visible()
        # pressing Enter in a text field saves and continues (never removes or adds anything)
        tab.check('input[name="governance.chair"][value="rotating"]')
        with tab.expect_navigation():
            update.click()
        tab.fill(field("governance.chair_rotation_months"), "12")
        with tab.expect_navigation():
            tab.press(field("governance.chair_rotation_months"), "Enter")
        # saved, but the weight basis that weighted voting needs is still unanswered
        assert tab.locator("h1").inner_text() == "Governance, voting and reporting"
        assert "Select how the voting weights are set" in \
            tab.locator("#error-summary").inner_text()
        saved = context.request.get("/answers.yaml").text()
        assert "chair_rotation_months: 12" in saved
    finally:
        context.close()
