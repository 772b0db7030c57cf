"""Unsafe inputs in a real browser: oversize and malformed uploads, script in answers, CSRF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from drafting.web.forms.paths import html_id

from .conftest import SCREENSHOTS

ROOT = Path(__file__).resolve().parents[2]
NORTH_EAST = ROOT / "answers" / "north-east-mental-health.yaml"
SCRIPT = '<script>alert("pwned")</script><img src=x onerror="alert(1)">'


def upload(page: Any, name: str, content: bytes) -> None:
    page.goto("/")
    page.set_input_files("#answers-file", files=[
        {"name": name, "mimeType": "application/yaml", "buffer": content},
    ])
    with page.expect_navigation():
        page.click("text=Upload and continue")


def test_oversize_upload_is_refused_with_a_clear_message(page: Any) -> None:
    upload(page, "big.yaml", b"# padding line\n" * 20000)
    assert page.locator("h1").inner_text() == "The file is too large"
    assert "at most 256 KB" in page.locator("main").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "upload-too-large.png"))


def test_malformed_yaml_upload_shows_the_line(page: Any) -> None:
    upload(page, "broken.yaml", b"collaborative:\n  name: One\n  kind: [horizontal\nmembers: []\n")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "Line 4" in text or "Line 3" in text
    assert "not valid YAML" in text
    # the error summary has focus and links to the file field
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary.locator("a").click()
    assert page.evaluate("document.activeElement.id") == "answers-file"
    page.screenshot(path=str(SCREENSHOTS / "upload-malformed.png"))


def test_script_in_answers_shows_as_text_and_never_runs(page: Any) -> None:
    data = yaml.safe_load(NORTH_EAST.read_text(encoding="utf-8"))
    data["collaborative"]["name"] = SCRIPT
    data["members"][1]["name"] = SCRIPT
    upload(page, "script.yaml", yaml.safe_dump(data, sort_keys=False).encode())
    assert page.locator("#valid-panel").is_visible()
    assert SCRIPT in page.locator("main").inner_text()
    assert page.locator("main script, main img").count() == 0
    page.goto("/section/members")
    second = page.eval_on_selector_all('button[value^="remove:"]', "els => els[1].value.slice(7)")
    assert page.input_value(f"#{html_id(f'members[{second}].name')}") == SCRIPT
    assert SCRIPT in page.locator(".entry__title").nth(1).inner_text()
    # typed into a form, too
    page.goto("/section/collaborative")
    page.fill(f"#{html_id('collaborative.short_name')}", SCRIPT)
    with page.expect_navigation():
        page.click("#continue")
    page.goto("/review")
    assert page.locator("main").inner_text().count(SCRIPT) >= 2
    assert page.evaluate("window.pwned === undefined")
    # the page fixture fails the test if any alert() opened


def test_form_with_a_wrong_or_missing_csrf_token_is_refused(page: Any) -> None:
    page.goto("/section/collaborative")
    page.fill(f"#{html_id('collaborative.name')}", "Changed by a forged form")
    page.evaluate("document.querySelector('input[name=csrf_token]').value = 'forged'")
    with page.expect_navigation():
        page.click("#continue")
    assert page.locator("h1").inner_text() == "This form cannot be accepted"
    page.goto("/section/collaborative")
    assert page.input_value(f"#{html_id('collaborative.name')}") == ""
    page.fill(f"#{html_id('collaborative.name')}", "Changed by a forged form")
    page.evaluate("document.querySelector('input[name=csrf_token]').remove()")
    with page.expect_navigation():
        page.click("#continue")
    assert page.locator("h1").inner_text() == "This form cannot be accepted"
    page.goto("/section/collaborative")
    assert page.input_value(f"#{html_id('collaborative.name')}") == ""
