"""Nothing is lost, in a real browser: two tabs, a server restart, keyboard only, axe-core.

- Two tabs of one questionnaire: a page saved in the second tab after the first changed the
  answers is refused, says what changed, shows what was typed, and overwrites nothing.
- `drafting serve --data DIR` is started as a real process, killed and started again: the
  same browser finds its answers, and the private resume link opens them in another.
- The questionnaire is completed with the keyboard alone (Tab, arrows, Space, typing, Enter).
- axe-core (shipped inside the `axe-playwright-python` package) finds no violation on any
  kind of page, the partners' sub-contracts (with and without problems) and the refusal
  pages included.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe

from drafting.web.forms.paths import html_id

from .conftest import SCREENSHOTS, _free_port

ROOT = Path(__file__).resolve().parents[2]
NORTH_EAST = ROOT / "answers" / "north-east-mental-health.yaml"


def upload(page: Any, path: Path) -> None:
    page.goto("/")
    page.set_input_files("#answers-file", str(path))
    with page.expect_navigation():
        page.click("text=Upload and continue")


def member_keys(page: Any) -> list[str]:
    return list(page.eval_on_selector_all('button[value^="remove:"]',
                                          "els => els.map(e => e.value.slice(7))"))


def answers(page: Any) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(page.context.request.get("/answers.yaml").text())
    return data


# --------------------------------------------------------------------------- two tabs


def test_a_stale_tab_cannot_overwrite_what_another_tab_saved(page: Any) -> None:
    upload(page, NORTH_EAST)
    second = page.context.new_page()  # same browser, same questionnaire
    page.goto("/section/members")
    second.goto("/section/members")
    keys = member_keys(page)
    # the first tab removes a member
    with page.expect_navigation():
        page.click(f'button[value="remove:{keys[1]}"]')
    assert [m["id"] for m in answers(page)["members"]] == ["tewv", "priory", "ne-icb"]
    # the second tab, still showing the old page, renames the first member and saves
    second.fill(f"#{html_id(f'members[{keys[0]}].name')}", "Renamed in the second tab")
    with second.expect_navigation():
        second.click("#continue")
    assert second.locator("h1").inner_text() == "Your changes were not saved"
    changed = second.locator("#changed-elsewhere").inner_text()
    assert "Member removed" in changed and "Cumbria, Northumberland" in changed
    assert "Renamed in the second tab" in second.locator("#your-entries").inner_text()
    second.screenshot(path=str(SCREENSHOTS / "stale-tab-refused.png"), full_page=True)
    # nothing was overwritten and nothing came back
    data = answers(page)
    assert [m["id"] for m in data["members"]] == ["tewv", "priory", "ne-icb"]
    assert data["members"][0]["name"] == "Tees, Esk and Wear Valleys NHS Foundation Trust"
    # the second tab carries on from the latest answers
    with second.expect_navigation():
        second.click("#reopen")
    assert len(member_keys(second)) == 3


# --------------------------------------------------------------------------- restart


def _serve(data: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "drafting", "serve", "--data", str(data), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ.copy(),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/app.css", timeout=1)
            return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode() if process.stdout else "")
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("drafting serve did not start")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, int, list[subprocess.Popen[bytes]]]]:
    running: list[subprocess.Popen[bytes]] = []
    yield tmp_path / "data", _free_port(), running
    for process in running:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def test_answers_are_still_there_after_a_restart(browser: Any, served: Any) -> None:
    data, port, running = served
    running.append(_serve(data, port))
    url = f"http://127.0.0.1:{port}"
    context = browser.new_context(base_url=url)
    try:
        tab = context.new_page()
        tab.goto("/section/collaborative")
        tab.fill(f"#{html_id('collaborative.name')}", "Restart Test Collaborative")
        with tab.expect_navigation():
            tab.click("#continue")
        tab.goto("/")
        link = tab.locator("#resume-url").inner_text()
        # stop the server as Ctrl+C would, and start it again on the same data
        running[0].send_signal(signal.SIGINT)
        running[0].wait(timeout=20)
        running.append(_serve(data, port))
        tab.goto("/section/collaborative")
        assert tab.input_value(f"#{html_id('collaborative.name')}") == "Restart Test Collaborative"
        # another browser (no cookie) gets there by the private link
        other = browser.new_context(base_url=url)
        try:
            fresh = other.new_page()
            fresh.goto(link)
            fresh.goto("/section/collaborative")
            assert fresh.input_value(f"#{html_id('collaborative.name')}") == \
                "Restart Test Collaborative"
        finally:
            other.close()
    finally:
        context.close()
    assert (data / "questionnaires.sqlite3").exists()


# --------------------------------------------------------------------------- keyboard only


def tab_to(page: Any, selector: str, limit: int = 200) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page: Any, path: str, text: str) -> None:
    tab_to(page, f"#{html_id(path)}")
    page.keyboard.type(text)


def pick(page: Any, path: str, value: str) -> None:
    """Choose a radio with the keyboard, as a person would; the page redraws with the
    questions the choice brings up, and the focus comes back to the choice."""
    group = f'input[name="{path}"]'
    tab_to(page, group)
    if page.locator(f'{group}[value="{value}"]').is_checked():
        return
    moved = False
    for _ in range(12):
        if page.evaluate("s => document.activeElement.value", group) == value:
            break
        page.keyboard.press("ArrowDown")
        moved = True
    with page.expect_navigation():
        # arrows choose as they move, and the choice is sent when the group is left;
        # a group entered with nothing chosen is chosen with Space
        page.keyboard.press("Tab" if moved else "Space")
    assert page.locator(f'{group}[value="{value}"]').is_checked()
    assert page.evaluate("document.activeElement.value") == value


def tick(page: Any, path: str, value: str) -> None:
    tab_to(page, f'input[name="{path}"][value="{value}"]')
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.value") == value  # focus kept on the box


def save_and_continue(page: Any) -> None:
    tab_to(page, "#continue")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_questionnaire_can_be_completed_with_the_keyboard_alone(page: Any) -> None:
    tab_to(page, "a.button--start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    type_into(page, "collaborative.name", "Keyboard Provider Collaborative")
    pick(page, "collaborative.kind", "vertical")
    type_into(page, "collaborative.ics", "West Yorkshire")
    type_into(page, "collaborative.purpose", "To join up community mental health care.")
    type_into(page, "collaborative.objectives", "Shorter waits")
    type_into(page, "collaborative.services", "Community mental health")
    type_into(page, "collaborative.commencement_date-day", "1")
    page.keyboard.press("Tab")
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    page.keyboard.type("2027")
    pick(page, "governance.model", "provider_leadership_board")
    tick(page, "documents", "collaboration_agreement")
    pick(page, "collaborative.term.kind", "rolling")
    save_and_continue(page)
    assert page.locator("h1").inner_text() == "Members"
    for i, (mid, name, kind) in enumerate([("leeds", "Leeds NHS Trust", "nhs_trust"),
                                           ("york", "York NHS Foundation Trust",
                                            "nhs_foundation_trust")]):
        tab_to(page, "#add-member")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        key = member_keys(page)[i]
        # the new member's first field already has the focus: type straight away
        assert page.evaluate("document.activeElement.id") == html_id(f"members[{key}].id")
        page.keyboard.type(mid)
        type_into(page, f"members[{key}].name", name)
        pick(page, f"members[{key}].kind", kind)
        type_into(page, f"members[{key}].address", f"1 Street, {name}")
        type_into(page, f"members[{key}].representative.name", "A Person")
        type_into(page, f"members[{key}].representative.role", "Director")
        type_into(page, f"members[{key}].signatory.name", "B Person")
        type_into(page, f"members[{key}].signatory.role", "Chief Executive")
        type_into(page, f"members[{key}].annual_contract_value", "1000000")
    save_and_continue(page)
    while page.locator("h1").inner_text() != "Check your answers":
        assert page.locator("#error-summary").count() == 0, page.locator("h1").inner_text()
        save_and_continue(page)
    assert page.locator("#valid-panel").is_visible()
    tab_to(page, "#draft-pack")
    with page.expect_download() as got:
        page.keyboard.press("Enter")
    assert got.value.suggested_filename.endswith("-pack.zip")
    data = answers(page)
    assert [m["id"] for m in data["members"]] == ["leeds", "york"]
    assert str(data["collaborative"]["commencement_date"]) == "2027-04-01"


# --------------------------------------------------------------------------- axe-core


def _no_violations(page: Any, name: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


def test_axe_core_finds_no_violation_on_any_kind_of_page(page: Any, tmp_path: Path) -> None:
    _no_violations(page, "start, new")
    upload(page, NORTH_EAST)
    for url in ("/", "/review", "/section/collaborative", "/section/members",
                "/section/lead-provider", "/section/sub-contracts", "/section/governance",
                "/new"):
        page.goto(url)
        _no_violations(page, url)
    # the partners' sub-contracts with problems: a refused answer in a partner's block, then
    # a partner's list of services emptied (the rule's error at the list, in the summary)
    page.goto("/section/sub-contracts")
    page.fill(f"#{html_id('sub_contract_terms.cntw.payment_days')}", "45")
    with page.expect_navigation():
        page.click("#continue")
    assert "The number of days to pay Cumbria" in page.locator("#error-summary").inner_text()
    _no_violations(page, "sub-contracts with a refused answer")
    page.fill(f"#{html_id('sub_contract_terms.cntw.payment_days')}", "20")
    remove = page.locator(f"#{html_id('sub_contract_terms.priory.services')}-list "
                          'button[value^="remove:"]')
    while remove.count():
        with page.expect_navigation():
            remove.first.click()
    page.goto("/section/sub-contracts")
    summary = page.locator("#error-summary").inner_text()
    assert "at least one service that Priory Healthcare Limited provides" in summary
    assert page.locator(f"#{html_id('sub_contract_terms.priory.services')}-list-error") \
        .is_visible()
    _no_violations(page, "sub-contracts with errors")
    # a page with problems at its fields and in the summary
    page.goto("/section/collaborative")
    page.fill(f"#{html_id('collaborative.name')}", "")
    page.fill(f"#{html_id('collaborative.commencement_date')}-day", "31")
    page.fill(f"#{html_id('collaborative.commencement_date')}-month", "2")
    with page.expect_navigation():
        page.click("#continue")
    assert page.locator("#error-summary").is_visible()
    _no_violations(page, "collaborative with errors")
    page.goto("/review")
    with page.expect_navigation():
        page.click("#draft-pack")  # explains instead of drafting
    assert page.locator("#pack-error").is_visible()
    _no_violations(page, "review with the draft refused")
    # the stale-save refusal
    second = page.context.new_page()
    second.set_default_timeout(120_000)  # as the fixture's tab: a busy machine is slow, not hung
    second.goto("/section/governance")
    page.goto("/section/governance")
    with page.expect_navigation():
        page.check('input[name="governance.chair"][value="co_chairs"]')
    # click, not check: the refusal page that replaces the form has no such radio, so check's
    # "is it now checked?" would wait for a control that no longer exists
    with second.expect_navigation():
        second.click('input[name="governance.meetings_in_public"][value="yes"]')
    assert second.locator("h1").inner_text() == "Your changes were not saved"
    _no_violations(second, "conflict")
    second.close()
    # refused upload and not found
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (400 * 1024))
    page.goto("/")
    page.set_input_files("#answers-file", str(big))
    with page.expect_navigation():
        page.click("text=Upload and continue")
    assert page.locator("h1").inner_text() == "The file is too large"
    _no_violations(page, "413")
    page.goto("/resume/unknown")
    _no_violations(page, "unknown resume link")
