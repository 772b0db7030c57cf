"""The web questionnaire through Starlette's test client: pages, forms, safety, downloads."""

from __future__ import annotations

import html
import html as html_module
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import docx
import pytest
import yaml

pytest.importorskip("starlette")

from starlette.testclient import TestClient

from drafting.read.load import load_answers, parse_answers
from drafting.web import create_app
from drafting.web.answers_io import MAX_UPLOAD
from drafting.web.app import MAX_BODY
from drafting.web.forms.paths import html_id
from drafting.web.security import SessionStore

ROOT = Path(__file__).resolve().parent.parent
NORTH_EAST = ROOT / "answers" / "north-east-mental-health.yaml"


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(), base_url="http://127.0.0.1")


def csrf(client: TestClient) -> str:
    page = client.get("/")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the start page has no CSRF token"
    return match.group(1)


def version(client: TestClient, page: str = "/") -> str:
    """The version of the answers a page's forms carry."""
    match = re.search(r'name="version" value="(\d+)"', client.get(page).text)
    assert match, f"{page} has no version"
    return match.group(1)


def upload(client: TestClient, content: bytes, name: str = "answers.yaml") -> Any:
    return client.post(
        "/upload", data={"csrf_token": csrf(client)},
        files={"answers_file": (name, content, "application/yaml")},
    )


def upload_data(client: TestClient, data: dict[str, Any]) -> Any:
    return upload(client, yaml.safe_dump(data, sort_keys=False).encode())


def example_data(path: Path = NORTH_EAST) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def post_page(client: TestClient, page: str, fields: dict[str, Any], action: str = "continue",
              follow: bool = False) -> Any:
    """Post a page as a browser would: every shown field, with these values changed."""
    html = client.get(f"/section/{page}").text
    form = _current_values(html)
    keys = member_keys(html)
    for key, value in fields.items():
        key = re.sub(r"^members\[(\d+)\]", lambda m: f"members[{keys[int(m.group(1))]}]", key)
        if f"{key}-day" in form and isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            form.update({f"{key}-day": [day], f"{key}-month": [month], f"{key}-year": [year]})
            continue
        form[key] = value if isinstance(value, list) else [value]
    form["csrf_token"] = [csrf(client)]
    form["action"] = [action]
    body = urlencode([(k, v) for k, values in form.items() for v in values])
    return client.post(f"/section/{page}", content=body, follow_redirects=follow,
                       headers={"content-type": "application/x-www-form-urlencoded"})


def member_keys(html: str) -> list[str]:
    """The members' stable keys on a members page, in order."""
    return re.findall(r'value="remove:(m[0-9a-f]+)"', html)


def _current_values(html: str) -> dict[str, list[str]]:
    """The values a browser would post for the form as drawn (text, checked boxes, hidden)."""
    out: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or name.group(1) in ("csrf_token", "focus", "answers_file"):
            continue
        if kind and kind.group(1) in ("radio", "checkbox") and " checked" not in tag:
            continue
        out.setdefault(_unescape(name.group(1)), []).append(_unescape(value.group(1) if value else ""))
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.DOTALL):
        out[_unescape(name)] = [_unescape(text)]
    return out


def _unescape(text: str) -> str:
    return html.unescape(text)


def answers_now(client: TestClient) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(client.get("/answers.yaml").text) or {}
    return data


# --------------------------------------------------------------------------- safety


class TestSafety:
    def test_security_headers_on_every_page(self, client: TestClient) -> None:
        for url in ("/", "/section/collaborative", "/review", "/answers.yaml", "/nowhere"):
            response = client.get(url)
            csp = response.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp
            assert "frame-ancestors 'none'" in csp
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["x-frame-options"] == "DENY"
            assert response.headers["cache-control"] == "no-store"

    def test_session_cookie_is_httponly_and_strict(self, client: TestClient) -> None:
        cookie = client.get("/").headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie

    @pytest.mark.parametrize("token", [None, "", "wrong-token"])
    def test_post_without_the_right_csrf_token_is_refused(
        self, client: TestClient, token: str | None
    ) -> None:
        upload_data(client, example_data())
        before = client.get("/answers.yaml").text
        data = {"collaborative.name": "Hijacked", "__shown": "collaborative.name"}
        if token is not None:
            data["csrf_token"] = token
        for url, body in (("/section/collaborative", data), ("/new", data), ("/pack.zip", data)):
            response = client.post(url, data=body)
            assert response.status_code == 403, url
            assert "did not come from this page" in response.text
        files = {"answers_file": ("a.yaml", b"collaborative: {}\n", "application/yaml")}
        assert client.post("/upload", data=data, files=files).status_code == 403
        assert client.get("/answers.yaml").text == before

    def test_csrf_token_of_another_session_is_refused(self, client: TestClient) -> None:
        other = TestClient(client.app, base_url="http://127.0.0.1")
        token = csrf(other)
        csrf(client)
        response = client.post("/new", data={"csrf_token": token})
        assert response.status_code == 403

    def test_unknown_host_is_refused(self, client: TestClient) -> None:
        response = client.get("/", headers={"host": "attacker.example"})
        assert response.status_code == 400

    def test_sessions_are_separate(self, client: TestClient) -> None:
        upload_data(client, example_data())
        other = TestClient(client.app, base_url="http://127.0.0.1")
        assert answers_now(other) == {"schema_version": 1}

    def test_idle_questionnaires_expire_and_are_deleted(self) -> None:
        now = [1_000_000.0]
        store = SessionStore(expiry_days=30, clock=lambda: now[0])
        old = store.new()
        now[0] += 29 * 86400
        assert store.get(old.id) is not None  # a visit keeps it alive
        now[0] += 30 * 86400 + 1
        assert store.get(old.id) is None and store.by_resume(old.resume) is None
        assert len(store) == 0


class TestUpload:
    def test_each_example_loads_valid_and_downloads_the_same_answers(
        self, client: TestClient, example: Path
    ) -> None:
        response = upload(client, example.read_bytes())
        assert response.status_code == 200
        assert "Your answers file is loaded. It is complete and valid." in response.text
        assert 'id="valid-panel"' in response.text
        downloaded = client.get("/answers.yaml")
        assert downloaded.headers["content-disposition"].startswith("attachment; filename=")
        assert parse_answers(downloaded.text).answers == load_answers(example).answers

    def test_oversize_upload_is_refused_with_413(self, client: TestClient) -> None:
        big = b"# padding\n" * (MAX_UPLOAD // 10 + 100)
        response = upload(client, big)
        assert response.status_code == 413
        assert "at most 256 KB" in response.text
        assert answers_now(client) == {"schema_version": 1}

    def test_body_over_the_limit_is_refused_before_it_is_read(self, client: TestClient) -> None:
        token = csrf(client)
        response = client.post("/section/collaborative",
                               data={"csrf_token": token, "x": "a" * (MAX_BODY + 10)})
        assert response.status_code == 413

    def test_streamed_body_over_the_limit_is_refused(self, client: TestClient) -> None:
        token = csrf(client)

        def chunks() -> Any:
            yield f"csrf_token={token}&x=".encode()
            for _ in range(MAX_BODY // 65536 + 2):
                yield b"a" * 65536

        response = client.post("/section/collaborative", content=chunks(),
                               headers={"content-type": "application/x-www-form-urlencoded"})
        assert response.status_code == 413
        assert "at most 256 KB" in response.text

    def test_malformed_yaml_is_shown_with_its_line(self, client: TestClient) -> None:
        text = b"collaborative:\n  name: One\n  kind: [horizontal\nmembers: []\n"
        response = upload(client, text)
        assert response.status_code == 400
        assert re.search(r"This file cannot be read\. Line \d+: This is not valid YAML", response.text)
        assert 'href="#answers-file"' in response.text

    @pytest.mark.parametrize(
        "content, message",
        [
            (b"\xff\xfe not utf-8", "not UTF-8"),
            (b"- just\n- a list\n", "does not hold answers"),
            (b"a: &x [1, 2]\nb: *x\n", "Line 2: The file uses a YAML alias"),
            (b"", "The file you chose is empty"),
            (b"a: 1\na: 2\n", "Line 2:"),
            (b"a: " + b"[" * 20000 + b"]" * 20000 + b"\n", "nested more than 20 levels deep"),
        ],
    )
    def test_unreadable_files_are_refused_plainly(
        self, client: TestClient, content: bytes, message: str
    ) -> None:
        response = upload(client, content)
        assert response.status_code == 400
        assert message in response.text

    def test_misspelt_keys_are_left_out_and_named(self, client: TestClient) -> None:
        text = NORTH_EAST.read_text(encoding="utf-8").replace("  short_name:", "  shortname:")
        response = upload(client, text.encode())
        assert "Left out 1 entry that answers files do not have (a typo?): " \
            "‘shortname’ (line 12)" in response.text
        data = answers_now(client)
        assert "shortname" not in data["collaborative"]
        assert "It is complete and valid" in response.text

    def test_members_that_are_not_entries_are_refused(self, client: TestClient) -> None:
        response = upload(client, b"collaborative: {name: X}\nmembers: [one, two]\n")
        assert response.status_code == 400
        assert "Line 2: &#39;members&#39; must be a list" in response.text

    def test_uploaded_file_name_is_never_used(self, client: TestClient, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(tmp_path)
        response = upload(client, NORTH_EAST.read_bytes(), name="../../evil<script>.yaml")
        assert response.status_code == 200
        assert "evil" not in response.text
        assert list(tmp_path.iterdir()) == []
        name = client.get("/answers.yaml").headers["content-disposition"]
        assert name == 'attachment; filename="nesmhpc-answers.yaml"'

    def test_a_file_with_problems_is_loaded_to_be_put_right(self, client: TestClient) -> None:
        data = example_data()
        data["governance"]["voting"] = "consensus"
        data["governance"]["deadlock"] = "chair_casting_vote"
        data["governance"].pop("weight_basis", None)
        response = upload_data(client, data)
        assert response.status_code == 200
        assert "It has 1 problem to put right" in response.text
        assert "A casting vote cannot break a deadlock when decisions need consensus" in response.text
        assert 'href="/section/governance#f-governance-deadlock-field"' in response.text
        button = re.search(r'<button[^>]*id="draft-pack"[^>]*>', response.text).group(0)
        assert "disabled" not in button and 'aria-describedby="pack-hint"' in button
        assert "put right the problem listed above first" in response.text


class TestEscaping:
    NASTY = '<script>alert("x")</script> & {{ 7*7 }} {% if %}'

    def test_answers_are_rendered_escaped(self, client: TestClient) -> None:
        data = example_data()
        data["collaborative"]["name"] = self.NASTY
        data["members"][0]["name"] = self.NASTY
        upload_data(client, data)
        for url in ("/review", "/section/collaborative", "/section/members"):
            text = client.get(url).text
            assert "<script>alert" not in text, url
            assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; {{ 7*7 }}" in text, url
        assert parse_answers(client.get("/answers.yaml").text).answers.collaborative.name == self.NASTY


# --------------------------------------------------------------------------- pages


class TestPages:
    def test_start_page_offers_start_and_upload(self, client: TestClient) -> None:
        text = client.get("/").text
        assert 'href="/section/collaborative"' in text
        assert 'enctype="multipart/form-data"' in text

    def test_every_question_has_a_label_and_its_help_is_described(self, client: TestClient) -> None:
        upload_data(client, example_data())
        for page in ("collaborative", "members", "lead-provider", "sub-contracts", "governance",
                     "finance", "ip", "membership", "competition", "data", "disputes",
                     "clinical"):
            html = client.get(f"/section/{page}").text
            ids = re.findall(r'<(?:input|textarea)[^>]*\bid="([^"]+)"', html)
            assert ids, page
            for element_id in ids:
                assert f'for="{element_id}"' in html, (page, element_id)
            for help_id in re.findall(r'class="hint" id="([^"]+)"', html):
                assert re.search(rf'aria-describedby="[^"]*\b{re.escape(help_id)}\b', html), help_id
            assert html.count("<fieldset") == html.count("<legend")

    def test_unknown_or_inapplicable_page_is_404(self, client: TestClient) -> None:
        assert client.get("/section/nowhere").status_code == 404
        data = example_data(ROOT / "answers" / "south-acute-alliance.yaml")
        upload_data(client, data)
        assert client.get("/section/lead-provider").status_code == 404

    def test_pages_follow_in_order_and_end_at_review(self, client: TestClient) -> None:
        upload_data(client, example_data())
        response = post_page(client, "clinical", {})
        assert response.status_code == 303 and response.headers["location"] == "/review"
        response = post_page(client, "collaborative", {})
        assert response.headers["location"] == "/section/members"


class TestConditions:
    def test_weighted_voting_brings_up_weight_basis_and_another_rule_removes_it(
        self, client: TestClient
    ) -> None:
        upload_data(client, example_data())
        assert "governance.weight_basis" in client.get("/section/governance").text
        post_page(client, "governance", {"governance.voting": "simple_majority"}, action="update")
        html = client.get("/section/governance").text
        assert 'name="governance.weight_basis"' not in html
        assert "weight_basis" not in answers_now(client)["governance"]
        assert "were removed" in html or "was removed" in html
        post_page(client, "governance", {"governance.voting": "weighted"}, action="update")
        html = client.get("/section/governance").text
        assert 'name="governance.weight_basis"' in html
        post_page(client, "governance", {"governance.weight_basis": "fixed"}, action="update")
        html = client.get("/section/governance").text
        for mid in ("tewv", "cntw", "priory"):
            assert f'name="governance.weights.{mid}"' in html

    def test_continue_stays_when_new_questions_appear(self, client: TestClient) -> None:
        upload_data(client, example_data())
        response = post_page(client, "governance", {"governance.chair": "rotating"})
        assert response.headers["location"] == "/section/governance"
        html = client.get("/section/governance").text
        assert "brought up more questions" in html
        assert 'name="governance.chair_rotation_months"' in html

    def test_a_member_kind_decides_the_company_questions(self, client: TestClient) -> None:
        upload_data(client, example_data())
        html = client.get("/section/members").text
        keys = member_keys(html)
        assert f'name="members[{keys[2]}].banking_covenants"' in html
        assert f'name="members[{keys[0]}].banking_covenants"' not in html
        post_page(client, "members", {"members[2].kind": "nhs_trust"}, action="update")
        data = answers_now(client)
        assert "banking_covenants" not in data["members"][2]
        assert "company_number" not in data["members"][2]


class TestValidation:
    def test_rule_broken_on_this_page_is_shown_at_its_field(self, client: TestClient) -> None:
        upload_data(client, example_data())
        response = post_page(client, "lead-provider", {"head_contract.end": "2026-01-01"})
        assert response.headers["location"] == "/section/lead-provider"
        html = client.get("/section/lead-provider").text
        field_html = html.split(f'id="{html_id("head_contract.end")}-field"')[1].split("</div>\n</div>")[0]
        assert "The head contract&#39;s end date must be after its start date (1 April 2027)" in field_html
        assert 'aria-invalid="true"' in field_html
        assert f'href="#{html_id("head_contract.end")}-day"' in html

    def test_blank_optional_answers_keep_the_head_contract(self, client: TestClient) -> None:
        """Leaving the considerable change and the reference blank leaves those keys out
        (their defaults apply); the head contract and the answers beside them stay."""
        data = example_data()
        upload_data(client, data)
        post_page(client, "lead-provider", {"head_contract.considerable_change": "",
                                            "head_contract.reference": ""})
        kept = answers_now(client)["head_contract"]
        assert "considerable_change" not in kept and "reference" not in kept
        for key in ("commissioner", "kind", "start", "end", "provider_selection_route"):
            assert str(kept[key]) == str(data["head_contract"][key]), key
        assert parse_answers(client.get("/answers.yaml").text).answers.head_contract is not None

    def test_weights_that_do_not_add_up_are_refused_then_fixed(self, client: TestClient) -> None:
        upload_data(client, example_data())
        post_page(client, "governance", {"governance.weight_basis": "fixed"}, action="update")
        weights = {"governance.weights.tewv": "50", "governance.weights.cntw": "30",
                   "governance.weights.priory": "10"}
        post_page(client, "governance", weights)
        html = client.get("/section/governance").text
        assert "The weights add up to 90. They must add up to 100" in html
        assert 'id="error-summary"' in html
        assert 'value="10"' in html  # the refused answer is shown back as typed
        weights["governance.weights.priory"] = "20"
        response = post_page(client, "governance", weights)
        assert response.headers["location"] == "/section/finance"
        assert answers_now(client)["governance"]["weights"] == {"tewv": 50, "cntw": 30, "priory": 20}

    def test_validator_finding_about_the_members_shows_on_the_members_page(
        self, client: TestClient
    ) -> None:
        data = example_data()
        data["members"] = data["members"][:1]
        data.pop("lead_provider")
        data["governance"] = {"model": "provider_leadership_board"}
        data.pop("head_contract")
        data.pop("commissioning")
        data["documents"] = ["collaboration_agreement"]
        upload_data(client, data)
        html = client.get("/section/members").text
        assert 'id="page-errors"' in html
        assert "at least two NHS trusts or foundation trusts" in html

    def test_required_answer_left_blank_is_asked_for(self, client: TestClient) -> None:
        upload_data(client, example_data())
        post_page(client, "collaborative", {"collaborative.name": ""})
        html = client.get("/section/collaborative").text
        assert "Enter the collaborative&#39;s full name" in html
        assert f'href="#{html_id("collaborative.name")}"' in html

    def test_text_that_word_cannot_hold_is_refused_at_its_field(self, client: TestClient) -> None:
        upload_data(client, example_data())
        post_page(client, "collaborative", {"collaborative.short_name": "AB\x07C"})
        html = client.get("/section/collaborative").text
        assert "U+0007" in html


class TestMembers:
    def test_add_and_remove_members(self, client: TestClient) -> None:
        upload_data(client, example_data())
        response = post_page(client, "members", {}, action="add")
        keys = member_keys(client.get("/section/members").text)
        assert len(keys) == 5
        assert response.headers["location"].endswith("#" + html_id(f"members[{keys[4]}]"))
        assert f'name="members[{keys[4]}].name"' in client.get("/section/members").text
        post_page(client, "members", {}, action=f"remove:{keys[2]}")
        data = answers_now(client)
        assert [m.get("id") for m in data["members"]] == ["tewv", "cntw", "ne-icb", None]
        # nothing refers to the removed member: its weight and its sub-contract terms went
        assert "priory" not in client.get("/answers.yaml").text
        assert list(data["sub_contract_terms"]) == ["cntw"]


# --------------------------------------------------------------------------- downloads


class TestDownloads:
    def test_pack_zip_holds_each_document_and_the_answers(self, client: TestClient) -> None:
        upload(client, NORTH_EAST.read_bytes())
        response = client.post("/pack.zip", data={"csrf_token": csrf(client)})
        assert response.status_code == 200, response.text[:2000]
        assert response.headers["content-type"] == "application/zip"
        assert response.headers["content-disposition"] == 'attachment; filename="nesmhpc-pack.zip"'
        with zipfile.ZipFile(io.BytesIO(response.content)) as z:
            names = z.namelist()
            assert names[-1] == "answers.yaml"
            assert "collaboration-agreement.docx" in names
            assert {"sub-contract-cntw.docx", "sub-contract-priory.docx"} <= set(names)
            agreement = docx.Document(io.BytesIO(z.read("collaboration-agreement.docx")))
            assert parse_answers(z.read("answers.yaml").decode()).answers == \
                load_answers(NORTH_EAST).answers
            assert {info.date_time for info in z.infolist()} == {(2027, 1, 1, 0, 0, 0)}
        assert any("Tees, Esk and Wear Valleys" in p.text for p in agreement.paragraphs)
        again = client.post("/pack.zip", data={"csrf_token": csrf(client)})
        assert again.content == response.content

    def test_no_pack_from_answers_with_problems(self, client: TestClient) -> None:
        data = example_data()
        data["members"][0].pop("name")
        upload_data(client, data)
        response = client.post("/pack.zip", data={"csrf_token": csrf(client)})
        assert response.status_code == 422
        assert "The documents were not drafted" in response.text

    def test_start_again_asks_first_clears_and_can_be_undone(self, client: TestClient) -> None:
        upload_data(client, example_data())
        confirm = client.get("/new")
        assert "Start again with no answers?" in confirm.text
        assert answers_now(client)["collaborative"]["short_name"] == "NESMHPC"  # asking changes nothing
        client.post("/new", data={"csrf_token": csrf(client), "version": version(client)})
        assert answers_now(client) == {"schema_version": 1}
        start = client.get("/").text
        assert "Undo the last change" in start and "started again" in start
        client.post("/undo", data={"csrf_token": csrf(client), "version": version(client)})
        assert answers_now(client) == example_data()


def test_serve_defaults_to_loopback_and_checks_its_port(runner: Any) -> None:
    from drafting.cli import main

    result = runner.invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "127.0.0.1" in result.output
    result = runner.invoke(main, ["serve", "--port", "0"])
    assert result.exit_code == 2


def test_the_default_data_folder_is_never_the_real_one_in_tests() -> None:
    from drafting.cli.serve import default_data_dir

    assert str(default_data_dir()).startswith(os.environ["XDG_DATA_HOME"])
    assert "drafting-test-data-" in os.environ["XDG_DATA_HOME"]


def test_serve_refuses_data_with_no_store(runner: Any, tmp_path: Path) -> None:
    from drafting.cli import main

    result = runner.invoke(main, ["serve", "--no-store", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "--no-store keeps nothing on disk" in result.output


@pytest.mark.parametrize(
    "host, loopback",
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
     ("0.0.0.0", False), ("192.0.2.10", False), ("example.org", False)],
)
def test_serve_knows_which_hosts_are_this_computer_only(host: str, loopback: bool) -> None:
    from drafting.cli.serve import _is_loopback

    assert _is_loopback(host) is loopback


def test_no_pack_while_a_typed_answer_is_refused(client: TestClient) -> None:
    upload(client, NORTH_EAST.read_bytes())
    post_page(client, "clinical", {"clinical.incident_notification_days": "soon"})
    review = client.get("/review").text
    assert "The number of days to report an incident must be a whole number" in review
    assert 'id="valid-panel"' not in review
    response = client.post("/pack.zip", data={"csrf_token": csrf(client)})
    assert response.status_code == 422
    post_page(client, "clinical", {"clinical.incident_notification_days": "3"})
    response = client.post("/pack.zip", data={"csrf_token": csrf(client)})
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_an_untouched_required_choice_is_not_an_error_until_continue(client: TestClient) -> None:
    post_page(client, "collaborative", {"collaborative.kind": "horizontal"}, action="update")
    html = client.get("/section/collaborative").text
    assert 'id="error-summary"' not in html
    post_page(client, "collaborative", {})
    html = client.get("/section/collaborative").text
    assert "Select at least one document" in html
    assert "an answer is needed" not in html


# --------------------------------------------------------------------------- no lost update


def _post_form(client: TestClient, url: str, form: dict[str, list[str]]) -> Any:
    body = urlencode([(k, v) for k, values in form.items() for v in values])
    return client.post(url, content=body, follow_redirects=False,
                       headers={"content-type": "application/x-www-form-urlencoded"})


class TestNoLostUpdate:
    def test_a_page_saved_from_an_older_version_is_refused_and_nothing_is_lost(
        self, client: TestClient
    ) -> None:
        upload_data(client, example_data())
        stale = _current_values(client.get("/section/governance").text)  # a second tab
        post_page(client, "governance", {"governance.chair": "co_chairs"})  # the first tab
        stale["governance.meeting_frequency"] = ["quarterly"]
        stale["csrf_token"] = [csrf(client)]
        stale["action"] = ["continue"]
        response = _post_form(client, "/section/governance", stale)
        assert response.status_code == 409
        assert "Your changes were not saved" in response.text
        elsewhere = response.text.split('id="changed-elsewhere"')[1].split("</table>")[0]
        assert "Who chairs the board?" in elsewhere and "Co-chairs" in elsewhere
        entered = response.text.split('id="your-entries"')[1].split("</dl>")[0]
        assert "How often does the board meet?" in entered and "Quarterly" in entered
        data = answers_now(client)
        assert data["governance"]["chair"] == "co_chairs"  # kept
        assert data["governance"]["meeting_frequency"] == "monthly"  # not overwritten

    def test_members_are_named_by_stable_keys_not_positions(self, client: TestClient) -> None:
        upload_data(client, example_data())
        html = client.get("/section/members").text
        keys = member_keys(html)
        assert not re.search(r'name="members\[\d+\]', html)  # never a position
        stale = _current_values(html)
        post_page(client, "members", {}, action=f"remove:{keys[1]}")  # another tab removes cntw
        stale[f"members[{keys[0]}].name"] = ["Tees Valleys (renamed)"]
        stale.update(csrf_token=[csrf(client)], action=["continue"])
        assert _post_form(client, "/section/members", stale).status_code == 409
        ids = [m["id"] for m in answers_now(client)["members"]]
        assert ids == ["tewv", "priory", "ne-icb"]  # cntw stays removed, nothing comes back

    def test_undo_takes_back_the_last_change(self, client: TestClient) -> None:
        upload_data(client, example_data())
        post_page(client, "governance", {"governance.chair": "co_chairs"})
        client.post("/undo", data={"csrf_token": csrf(client), "version": version(client)})
        assert answers_now(client)["governance"]["chair"] == "independent"

    def test_a_stale_undo_is_refused(self, client: TestClient) -> None:
        upload_data(client, example_data())
        old = version(client)
        post_page(client, "governance", {"governance.chair": "co_chairs"})
        response = client.post("/undo", data={"csrf_token": csrf(client), "version": old})
        assert response.status_code == 409
        assert answers_now(client)["governance"]["chair"] == "co_chairs"


# --------------------------------------------------------------------------- kept on disk


class TestStore:
    def test_answers_outlive_the_server_and_the_resume_link_finds_them(
        self, tmp_path: Path
    ) -> None:
        db = tmp_path / "data" / "sessions.sqlite3"
        first = TestClient(create_app(store=SessionStore(db)), base_url="http://127.0.0.1")
        upload_data(first, example_data())
        link = re.search(r'id="resume-url">([^<]+)<', first.get("/").text).group(1)
        assert re.fullmatch(r"http://127\.0\.0\.1/resume/[A-Za-z0-9_-]{40,}", link)
        cookie = first.cookies.get("drafting_session")
        # a new server on the same data: the same browser carries on
        again = create_app(store=SessionStore(db))
        same = TestClient(again, base_url="http://127.0.0.1", cookies={"drafting_session": cookie})
        assert answers_now(same)["collaborative"]["short_name"] == "NESMHPC"
        # another browser: the private link opens the answers and sets its cookie
        other = TestClient(again, base_url="http://127.0.0.1")
        assert answers_now(other) == {"schema_version": 1}
        response = other.get(link.removeprefix("http://127.0.0.1"), follow_redirects=False)
        assert response.status_code == 303 and "Max-Age=2592000" in response.headers["set-cookie"]
        assert answers_now(other)["collaborative"]["short_name"] == "NESMHPC"
        assert oct(db.stat().st_mode & 0o777) == "0o600"

    def test_a_partner_s_services_keep_their_keys_across_a_restart_and_an_undo(
        self, tmp_path: Path
    ) -> None:
        """A page drawn before a restart still saves into the right service afterwards, and
        undoing a removed service brings it back under its own key."""
        db = tmp_path / "data" / "sessions.sqlite3"
        first = TestClient(create_app(store=SessionStore(db)), base_url="http://127.0.0.1")
        upload_data(first, example_data())
        post_page(first, "sub-contracts", {}, action=f"add:{SERVICES}")
        html = first.get("/section/sub-contracts").text
        keys = entry_keys(html, SERVICES)
        kpis = entry_keys(html, "sub_contract_terms.cntw.kpis")
        assert len(keys) == 3
        cookie = first.cookies.get("drafting_session")
        again = TestClient(create_app(store=SessionStore(db)), base_url="http://127.0.0.1",
                           cookies={"drafting_session": cookie})
        html = again.get("/section/sub-contracts").text
        assert entry_keys(html, SERVICES) == keys
        assert entry_keys(html, "sub_contract_terms.cntw.kpis") == kpis
        post_page(again, "sub-contracts", {f"{SERVICES}[{keys[2]}].name": "Day care",
                                           f"{SERVICES}[{keys[2]}].activity": "10 places"},
                  action="update")
        post_page(again, "sub-contracts", {}, action=f"remove:{keys[0]}")
        assert entry_keys(again.get("/section/sub-contracts").text, SERVICES) == keys[1:]
        again.post("/undo", data={"csrf_token": csrf(again), "version": version(again)})
        html = again.get("/section/sub-contracts").text
        assert entry_keys(html, SERVICES) == keys
        services = answers_now(again)["sub_contract_terms"]["cntw"]["services"]
        assert [x["name"] for x in services] == [
            "CAMHS general adolescent and psychiatric intensive care inpatient beds",
            "Adult medium secure inpatient beds", "Day care"]

    def test_an_unknown_resume_link_says_so(self, client: TestClient) -> None:
        response = client.get("/resume/" + "x" * 43)
        assert response.status_code == 404
        assert "This link does not open any answers" in response.text

    def test_memory_only_mode_says_so(self, client: TestClient) -> None:
        page = " ".join(client.get("/").text.split())
        assert "lost when it stops" in page and "resume-url" not in page


# --------------------------------------------------------------------------- plain pages


class TestPlainPages:
    def test_dates_are_day_month_year_fields(self, client: TestClient) -> None:
        upload_data(client, example_data())
        html = client.get("/section/collaborative").text
        base = html_id("collaborative.commencement_date")
        for part, value in (("day", "1"), ("month", "4"), ("year", "2027")):
            assert re.search(rf'id="{base}-{part}"[^>]*value="{value}"', html), part
        post_page(client, "collaborative", {"collaborative.commencement_date-day": "31",
                                            "collaborative.commencement_date-month": "2"})
        html = client.get("/section/collaborative").text
        assert "The start date must be a real date" in html
        post_page(client, "collaborative", {"collaborative.commencement_date-day": "2",
                                            "collaborative.commencement_date-month": "5"})
        assert str(answers_now(client)["collaborative"]["commencement_date"]) == "2027-05-02"

    def test_every_answer_has_a_change_link_to_its_field(self, client: TestClient) -> None:
        upload_data(client, example_data())
        review = client.get("/review").text
        keys = member_keys(client.get("/section/members").text)
        assert f'href="/section/governance#{html_id("governance.chair")}-field"' in review
        member_field = html_id(f"members[{keys[2]}].kind")
        assert f'href="/section/members#{member_field}-field"' in review
        assert f'id="{member_field}-field"' in client.get("/section/members").text

    def test_no_internal_names_where_a_person_reads(self, client: TestClient) -> None:
        data = example_data()
        data["governance"]["voting"] = "consensus"
        data["governance"]["deadlock"] = "chair_casting_vote"
        upload_data(client, data)
        for url in ["/", "/review", *(f"/section/{p}" for p in ("collaborative", "members",
                    "lead-provider", "sub-contracts", "governance", "finance", "competition",
            "data"))]:
            text = re.sub(r"<[^>]+>", " ", client.get(url).text)  # what a person reads
            for internal in ("governance.", "members[", "_", "Input should", "None is not"):
                assert internal not in text, (url, internal)

    def test_a_refused_upload_gets_a_styled_page(self, client: TestClient) -> None:
        big = b"a: " + b"x" * (MAX_BODY + 10)
        response = client.post("/upload", content=big,
                               headers={"content-type": "application/x-www-form-urlencoded"})
        assert response.status_code == 413
        assert '<link rel="stylesheet" href="/static/app.css">' in response.text
        assert "<h1>The file is too large</h1>" in response.text
        assert 'class="header"' in response.text


# --------------------------------------------------------------------------- sub-contracts


def entry_keys(html: str, list_name: str) -> list[str]:
    """The stable keys of the entries of one list on a page, in order (from their fields)."""
    found = re.findall(rf'name="{re.escape(list_name)}\[(m[0-9a-f]+)\]\.name"', html)
    return list(dict.fromkeys(found))


CNTW = "Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust"
SERVICES = "sub_contract_terms.cntw.services"


class TestSubContracts:
    def test_each_partner_has_its_block_with_its_lists(self, client: TestClient) -> None:
        upload_data(client, example_data())
        html = client.get("/section/sub-contracts").text
        blocks = re.findall(r'<h2 class="block__title"[^>]*>([^<]+)</h2>', html)
        assert blocks == [f"The sub-contract of {CNTW}",
                          "The sub-contract of Priory Healthcare Limited"]
        assert "Tees, Esk" not in " ".join(blocks) and "ICB" not in " ".join(blocks)
        assert not re.search(r'name="[^"]*\[\d+\]', html)  # never a position
        assert len(entry_keys(html, SERVICES)) == 2
        assert len(entry_keys(html, "sub_contract_terms.cntw.kpis")) == 3
        assert f'How is {CNTW} paid?' in html
        assert "Add another service<span class=\"visually-hidden\"> for " + CNTW in html
        assert "Remove service 2<span class=\"visually-hidden\"> of " + CNTW in html
        # its place among the pages: after the lead provider's
        start = client.get("/").text
        assert start.index("/section/lead-provider") < start.index("/section/sub-contracts") \
            < start.index("/section/governance")
        # no page without sub-contracts
        data = example_data()
        data["documents"].remove("sub_contracts")
        data.pop("sub_contract_terms")
        upload_data(client, data)
        assert client.get("/section/sub-contracts").status_code == 404

    def test_a_service_is_added_and_removed_by_its_stable_key(self, client: TestClient) -> None:
        upload_data(client, example_data())
        response = post_page(client, "sub-contracts", {}, action=f"add:{SERVICES}")
        html = client.get("/section/sub-contracts").text
        keys = entry_keys(html, SERVICES)
        assert len(keys) == 3
        # the redirect lands on the new service, whose first field then takes the focus
        assert response.headers["location"].endswith("#" + html_id(f"{SERVICES}[{keys[2]}]"))
        assert f'id="{html_id(f"{SERVICES}[{keys[2]}]")}"' in html
        post_page(client, "sub-contracts", {f"{SERVICES}[{keys[2]}].name": "Day care",
                                            f"{SERVICES}[{keys[2]}].activity": "10 places"},
                  action="update")
        assert answers_now(client)["sub_contract_terms"]["cntw"]["services"][2] == \
            {"name": "Day care", "activity": "10 places"}
        # remove the first: the others keep their keys, and their answers
        post_page(client, "sub-contracts", {}, action=f"remove:{keys[0]}")
        html = client.get("/section/sub-contracts").text
        assert entry_keys(html, SERVICES) == keys[1:]
        assert "Removed service 1 of " + CNTW in html
        services = answers_now(client)["sub_contract_terms"]["cntw"]["services"]
        assert [s["name"] for s in services] == ["Adult medium secure inpatient beds", "Day care"]
        # a key from another list, or none at all, changes nothing
        before = answers_now(client)
        post_page(client, "sub-contracts", {}, action="remove:m0000000000")
        post_page(client, "sub-contracts", {}, action="add:members")
        assert answers_now(client) == before

    def test_the_first_service_and_kpi_of_a_partner_without_terms(
        self, client: TestClient
    ) -> None:
        data = example_data()
        del data["sub_contract_terms"]["priory"]
        upload_data(client, data)
        post_page(client, "sub-contracts", {})  # visited: its problems are shown
        html = client.get("/section/sub-contracts").text
        assert "Select how Priory Healthcare Limited is paid" in html  # what the page asks
        post_page(client, "sub-contracts", {"sub_contract_terms.priory.payment_basis": "block"})
        html = client.get("/section/sub-contracts").text
        listed = html_id("sub_contract_terms.priory.services") + "-list"
        # then the rules: at the partner's (empty) list of services, linked from the summary
        assert f'href="#{listed}"' in html
        assert ("Add at least one service that Priory Healthcare Limited provides under its "
                "sub-contract") in html.split(f'id="{listed}-error"')[1].split("</div>")[0]
        assert "No services yet: add the first one." in html
        assert "Add a service" in html and "Add a key performance indicator" in html
        post_page(client, "sub-contracts", {}, action="add:sub_contract_terms.priory.services")
        post_page(client, "sub-contracts", {}, action="add:sub_contract_terms.priory.kpis")
        html = client.get("/section/sub-contracts").text
        service = entry_keys(html, "sub_contract_terms.priory.services")[0]
        kpi = entry_keys(html, "sub_contract_terms.priory.kpis")[0]
        fields = {
            f"sub_contract_terms.priory.services[{service}].name": "Low secure beds",
            f"sub_contract_terms.priory.services[{service}].activity": "15 beds",
            f"sub_contract_terms.priory.services[{service}].annual_price": "£2,500,000",
            "sub_contract_terms.priory.payment_basis": "activity",
            f"sub_contract_terms.priory.kpis[{kpi}].name": "Reviews within 24 hours",
            f"sub_contract_terms.priory.kpis[{kpi}].target": "100%",
            f"sub_contract_terms.priory.kpis[{kpi}].measure": "monthly incident data",
        }
        response = post_page(client, "sub-contracts", fields)
        assert response.headers["location"] == "/section/governance", \
            client.get("/section/sub-contracts").text
        terms = answers_now(client)["sub_contract_terms"]["priory"]
        assert terms == {
            "payment_basis": "activity",
            "services": [{"name": "Low secure beds", "activity": "15 beds",
                          "annual_price": 2500000}],
            "kpis": [{"name": "Reviews within 24 hours", "target": "100%",
                      "measure": "monthly incident data"}],
        }

    def test_answers_are_refused_in_words_naming_the_partner(self, client: TestClient) -> None:
        upload_data(client, example_data())
        keys = entry_keys(client.get("/section/sub-contracts").text, SERVICES)
        post_page(client, "sub-contracts", {
            f"{SERVICES}[{keys[1]}].activity": "",
            f"{SERVICES}[{keys[1]}].annual_price": "a lot",
            "sub_contract_terms.cntw.payment_days": "45",
        })
        html = client.get("/section/sub-contracts").text
        summary = html.split('id="error-summary"')[1].split("</ul>")[0]
        assert f"{CNTW}, service 2: Enter how much of the service is provided" in summary
        assert f"{CNTW}, service 2: The annual price must be a number" in summary
        assert f"The number of days to pay {CNTW} must be between 1 and 30" in summary
        assert f'href="#{html_id(f"{SERVICES}[{keys[1]}].activity")}"' in summary
        for internal in ("sub_contract", "services[", "Input should", "None"):
            assert internal not in re.sub(r"<[^>]+>", " ", html), internal

    def test_a_stale_save_of_a_service_is_refused_and_nothing_is_lost(
        self, client: TestClient
    ) -> None:
        upload_data(client, example_data())
        html = client.get("/section/sub-contracts").text
        keys = entry_keys(html, SERVICES)
        stale = _current_values(html)  # a second tab
        post_page(client, "sub-contracts", {}, action=f"remove:{keys[0]}")  # the first tab
        stale[f"{SERVICES}[{keys[0]}].annual_price"] = ["15000000"]
        stale[f"{SERVICES}[{keys[1]}].location"] = ["Newcastle"]
        stale.update(csrf_token=[csrf(client)], action=["continue"])
        response = _post_form(client, "/section/sub-contracts", stale)
        assert response.status_code == 409
        elsewhere = response.text.split('id="changed-elsewhere"')[1].split("</table>")[0]
        assert "Service removed" in elsewhere
        assert f"Service 1 of {CNTW}: CAMHS general adolescent" in html_module.unescape(elsewhere)
        entered = html_module.unescape(response.text.split('id="your-entries"')[1]
                                       .split("</dl>")[0])
        assert f"{CNTW}, service 2: Where is it provided?" in entered and "Newcastle" in entered
        assert "15000000" in entered
        services = answers_now(client)["sub_contract_terms"]["cntw"]["services"]
        assert [s["name"] for s in services] == ["Adult medium secure inpatient beds"]
        assert services[0]["location"] == \
            "Bamburgh Clinic, St Nicholas Hospital, Newcastle upon Tyne"  # not overwritten

    def test_a_stale_add_of_a_service_is_refused(self, client: TestClient) -> None:
        upload_data(client, example_data())
        stale = _current_values(client.get("/section/sub-contracts").text)
        post_page(client, "sub-contracts", {"sub_contract_terms.cntw.payment_basis": "activity"})
        stale.update(csrf_token=[csrf(client)], action=[f"add:{SERVICES}"])
        assert _post_form(client, "/section/sub-contracts", stale).status_code == 409
        assert len(answers_now(client)["sub_contract_terms"]["cntw"]["services"]) == 2

    @pytest.mark.parametrize("change", ["lead", "observer", "not a provider", "no sub-contracts"])
    def test_a_partner_s_terms_go_when_it_no_longer_has_a_sub_contract(
        self, client: TestClient, change: str
    ) -> None:
        upload_data(client, example_data())
        if change == "lead":
            post_page(client, "lead-provider", {"lead_provider": "cntw"}, action="update")
            gone, kept = "cntw", "priory"
        elif change == "observer":
            post_page(client, "members", {"members[2].class": "observer"}, action="update")
            gone, kept = "priory", "cntw"
        elif change == "not a provider":
            post_page(client, "members", {"members[1].kind": "local_authority"},
                      action="update")
            gone, kept = "cntw", "priory"
        else:
            documents = ["collaboration_agreement", "committee_terms", "data_sharing",
                         "accession_deed"]
            post_page(client, "collaborative", {"documents": documents}, action="update")
            assert "sub_contract_terms" not in answers_now(client)
            return
        terms = answers_now(client)["sub_contract_terms"]
        assert gone not in terms and kept in terms
        assert gone not in client.get("/section/sub-contracts").text.split("<h1>")[1]

    def test_the_review_lists_each_partner_s_services_with_change_links(
        self, client: TestClient
    ) -> None:
        upload_data(client, example_data())
        review = client.get("/review").text
        keys = entry_keys(client.get("/section/sub-contracts").text, SERVICES)
        assert f"<h3>The sub-contract of {CNTW}</h3>" in review
        assert "<h4>Services: Service 2: Adult medium secure inpatient beds</h4>" in review
        anchor = html_id(f"{SERVICES}[{keys[1]}].annual_price")
        assert f'href="/section/sub-contracts#{anchor}-field"' in review
        assert f"Change<span class=\"visually-hidden\"> What is its annual price (£)? ({CNTW}, " \
               "service 2)</span>" in review


def test_field_names_map_every_list_position_to_a_stable_key() -> None:
    from drafting.web.forms.paths import align, answer_path, field_name

    data = {"members": [{"id": "a"}, {"id": "b"}],
            "sub_contract_terms": {"b": {"services": [{"checks": [{}, {}]}, {}]}}}
    keys = align(data, {})
    assert set(keys) == {"members", "sub_contract_terms.b.services",
                         f"sub_contract_terms.b.services[{keys['sub_contract_terms.b.services'][0]}]"
                         ".checks"}
    path = "sub_contract_terms.b.services[0].checks[1].name"
    name = field_name(path, keys)
    assert not re.search(r"\[\d+\]", name)
    assert answer_path(name, keys) == path
    # keys stay with their entries; a removed entry's name leads nowhere
    services = keys["sub_contract_terms.b.services"]
    del data["sub_contract_terms"]["b"]["services"][0]
    kept = align(data, {**keys, "sub_contract_terms.b.services": services[1:]})
    assert kept["sub_contract_terms.b.services"] == services[1:]
    assert answer_path(name, kept) is None
    assert len({k for ks in keys.values() for k in ks}) == sum(len(v) for v in keys.values())


def test_keys_saved_before_nested_lists_still_load(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "s.sqlite3"
    store = SessionStore(db)
    record = store.new()
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE sessions SET keys = ? WHERE id = ?", ('["m0a1b2c3d4e"]', record.id))
    assert store.get(record.id).keys == {"members": ["m0a1b2c3d4e"]}
