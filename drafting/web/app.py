"""The web questionnaire: routes, pages and downloads.

Pages follow post/redirect/get: a POST saves the page into the session's answers and
redirects, so reloading never resubmits and every page is drawn from the session alone.

    GET  /                      start: new questionnaire, upload an answers file, progress
    GET  /section/{id}          one section of questions
    POST /section/{id}          save it (continue, update, add or remove a member)
    GET  /review                every answer, every problem, the downloads
    GET  /answers.yaml          the answers file so far (valid or not)
    POST /pack.zip              the drafted documents and the answers, as a zip
    POST /upload                continue from an answers file
    POST /new                   start again
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from drafting.errors import DraftingError
from drafting.questionnaire.questions import delete_answer, prune
from drafting.web import answers_io
from drafting.web.answers_io import MAX_UPLOAD, Checked, UploadError
from drafting.web.forms.bind import bind, page_questions, place, read_post
from drafting.web.forms.pages import Page, applicable_pages, page_by_id
from drafting.web.forms.paths import MAX_MEMBERS, html_id, is_path
from drafting.web.pack import build_pack_zip
from drafting.web.security import (
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
    Session,
    SessionMiddleware,
    SessionStore,
    csrf_ok,
    session_of,
)

__all__ = ["LOOPBACK_HOSTS", "MAX_BODY", "create_app"]

log = logging.getLogger("drafting.web")

HERE = Path(__file__).parent
MAX_BODY = MAX_UPLOAD + 64 * 1024
"""Largest request body: an upload at the limit plus room for the form around it."""
MAX_FIELDS = 5000
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals["html_id"] = html_id


# --------------------------------------------------------------------------- helpers


def _render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    session = session_of(request)
    notice, session.notice = session.notice, None
    page = _ENV.get_template(template).render(
        csrf=session.csrf, notice=notice, pages=applicable_pages(session.answers),
        path=request.url.path, **context,
    )
    return HTMLResponse(page, status_code=status)


def _error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return _render(request, "error.html", status, title=title, message=message)


async def _form(request: Request, *, files: int = 0) -> FormData:
    """The posted form, bounded, with its CSRF token checked (403 otherwise).

    `files` is how many uploaded files the form may carry; the caller closes the form when
    it has any. Uploads are held in memory (far below the spooling threshold) and never
    named by the browser's file name.
    """
    # Starlette answers a malformed body with 400 itself; a body over the limit is stopped
    # by BodyLimitMiddleware while it streams.
    form = await request.form(max_files=files, max_fields=MAX_FIELDS, max_part_size=MAX_BODY)
    if not csrf_ok(session_of(request), form.get("csrf_token")):
        await form.close()
        raise HTTPException(
            403,
            "This form has expired or did not come from this page. Go back to the start page "
            "and try again; if you had unsaved answers, download your answers file first.",
        )
    return form


def _lists(form: FormData) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return out


def _problem_pages(session: Session, checked: Checked) -> set[str | None]:
    """Pages with a problem to show: a refused answer, or a validator error placed there."""
    pages = {p.page for p in place(checked.errors, session.answers)}
    for page in applicable_pages(session.answers):
        if any(q.path in session.typed for q in page_questions(page, session.answers)):
            pages.add(page.id)
    return pages


def _download_name(data: dict[str, Any], suffix: str) -> str:
    """A file name from the collaborative's short name: letters, digits and hyphens only."""
    collab = data.get("collaborative")
    if not isinstance(collab, dict):
        collab = {}
    name = collab.get("short_name") or collab.get("name") or "answers"
    slug = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")[:40] or "answers"
    return f"{slug}{suffix}"


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --------------------------------------------------------------------------- pages


async def start(request: Request) -> Response:
    return _start_page(request, session_of(request))


def _start_page(
    request: Request, session: Session, *, upload_error: str | None = None, status: int = 200
) -> HTMLResponse:
    checked = answers_io.check(session.answers)
    with_problems = _problem_pages(session, checked)
    pages = applicable_pages(session.answers)
    progress = []
    for p in pages:
        if p.id in session.visited:
            status_text = "problems" if p.id in with_problems else "done"
        else:
            status_text = "not started"
        progress.append((p, status_text))
    return _render(
        request, "start.html", status,
        progress=progress, started=bool(session.answers), upload_error=upload_error,
        max_upload_kb=MAX_UPLOAD // 1024, first=pages[0].id,
    )


def _page_or_404(request: Request, session: Session) -> Page:
    page = page_by_id(request.path_params["page"])
    if page is None or not page.applies(session.answers):
        raise HTTPException(404, "There is no such page in this questionnaire for your answers.")
    return page


async def section_page(request: Request) -> Response:
    session = session_of(request)
    page = _page_or_404(request, session)
    checked = answers_io.check(session.answers)
    asked = {q.path for q in page_questions(page, session.answers)}
    # Answers refused on this page come first: the validator has not seen them, so its
    # findings about the answers without them would only confuse.
    refused_here = any(path in session.typed for path in asked)
    problems = checked.errors if page.id in session.visited and not refused_here else []
    bound = bind(page, session.answers, problems, session.typed)
    pages = applicable_pages(session.answers)
    index = [p.id for p in pages].index(page.id)
    return _render(
        request, "section.html", bound=bound, page=page, number=index + 1, total=len(pages),
        previous=pages[index - 1].id if index else None, max_members=MAX_MEMBERS,
    )


async def section_post(request: Request) -> Response:
    session = session_of(request)
    page = _page_or_404(request, session)
    form = await _form(request)
    posted = _lists(form)
    action = str(form.get("action") or "continue")
    before = {q.path for q in page_questions(page, session.answers)}
    shown = posted.get("__shown", [])
    result = read_post(page, session.answers, posted, shown, need_required=action == "continue")
    data = result.data
    # refused answers of this page are replaced by this post's
    session.typed = {k: v for k, v in session.typed.items() if k not in before}
    session.typed.update(result.refused)
    url = request.url_for("section", page=page.id).path
    if result.removed:
        count = len(result.removed)
        session.notice = (
            f"{count} answer{'s' if count != 1 else ''} no longer applied after this change "
            f"and {'were' if count != 1 else 'was'} removed: {', '.join(result.removed[:8])}"
            f"{'...' if count > 8 else ''}."
        )
    if page.members and action == "add":
        members = data.setdefault("members", [])
        if isinstance(members, list) and len(members) < MAX_MEMBERS:
            members.append({})
            session.answers = data
            return _redirect(f"{url}#{html_id(f'members[{len(members) - 1}]')}")
    if page.members and action.startswith("remove:"):
        index = action.removeprefix("remove:")
        members = data.get("members")
        if isinstance(members, list) and index.isdigit() and int(index) < len(members):
            gone = members[int(index)]
            name = gone.get("name") if isinstance(gone, dict) else None
            delete_answer(data, f"members[{int(index)}]")
            prune(data)
            session.typed = {k: v for k, v in session.typed.items() if not k.startswith("members[")}
            session.notice = f"Removed member {int(index) + 1}" + (
                f" ({name})" if isinstance(name, str) and name else "") + "."
        session.answers = data
        return _redirect(f"{url}#members-list")
    session.answers = data
    if action == "update":
        focus = str(form.get("focus") or "")
        return _redirect(url + (f"#{html_id(focus)}" if is_path(focus) else ""))
    session.visited.add(page.id)
    new_questions = {q.path for q in page_questions(page, data)} - before
    if new_questions:
        session.notice = (
            "Your answers brought up more questions on this page: answer them, then continue."
        )
        return _redirect(url)
    checked = answers_io.check(data)
    if result.refused or page.id in _problem_pages(session, checked):
        return _redirect(url)
    pages = applicable_pages(data)
    ids = [p.id for p in pages]
    if page.id in ids and ids.index(page.id) + 1 < len(ids):
        return _redirect(request.url_for("section", page=ids[ids.index(page.id) + 1]).path)
    return _redirect(request.url_for("review").path)


async def review(request: Request) -> Response:
    return _review_page(request, session_of(request))


def _review_page(
    request: Request, session: Session, *, pack_error: str | None = None, status: int = 200
) -> HTMLResponse:
    data = session.answers
    checked = answers_io.check(data)
    summary = []
    for p in place(checked.problems, data):
        if p.page is None:
            href = "#general-problems"
        else:
            anchor = f"#{html_id(p.field)}-field" if p.field else "#page-errors"
            href = request.url_for("section", page=p.page).path + anchor
        summary.append((p, href))
    typed = [
        (request.url_for("section", page=pg.id).path + f"#{html_id(q.path)}-field", q, session.typed[q.path][1])
        for pg in applicable_pages(data) for q in page_questions(pg, data) if q.path in session.typed
    ]
    answered = [(pg, bind(pg, data)) for pg in applicable_pages(data)]
    return _render(
        request, "review.html", status, checked=checked, summary=summary, typed=typed,
        answered=answered, pack_error=pack_error, ready=checked.valid and not typed,
    )


def _refused_answers(session: Session) -> bool:
    """Whether an answer typed on an applicable page is still refused (not yet put right)."""
    data = session.answers
    return any(
        q.path in session.typed for pg in applicable_pages(data) for q in page_questions(pg, data)
    )


async def download_answers(request: Request) -> Response:
    session = session_of(request)
    text = answers_io.to_yaml(session.answers)
    name = _download_name(session.answers, "-answers.yaml")
    return Response(
        text.encode("utf-8"), media_type="application/yaml; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


async def download_pack(request: Request) -> Response:
    session = session_of(request)
    await _form(request)
    data = session.answers
    checked = answers_io.check(data)
    if checked.loaded is None or _refused_answers(session):
        return _review_page(
            request, session, status=422,
            pack_error="The answers have problems (listed above); put them right first.",
        )
    try:
        # drafting takes a fraction of a second: off the event loop, so other pages stay quick
        blob = await run_in_threadpool(build_pack_zip, checked.loaded, answers_io.to_yaml(data))
    except DraftingError as exc:
        log.exception("drafting the pack failed")
        return _review_page(
            request, session, status=500,
            pack_error=f"The documents could not be drafted: {exc.format_message()}",
        )
    name = _download_name(data, "-pack.zip")
    return Response(
        blob, media_type="application/zip",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


async def upload(request: Request) -> Response:
    session = session_of(request)
    form = await _form(request, files=1)
    item = form.get("answers_file")
    try:
        if not isinstance(item, UploadFile):
            return _start_page(request, session, status=400,
                               upload_error="Choose an answers file (.yaml) to upload.")
        # The browser's file name is ignored: it never names anything here.
        raw = await item.read(MAX_UPLOAD + 1)
    finally:
        await form.close()
    if len(raw) > MAX_UPLOAD:
        return _too_large_page(request)
    if not raw:
        return _start_page(request, session, upload_error="The file you chose is empty.", status=400)
    try:
        data, dropped = answers_io.read_upload(raw)
    except UploadError as exc:
        where = f"Line {exc.line}: " if exc.line else ""
        return _start_page(
            request, session, status=400,
            upload_error=f"This file cannot be read. {where}{exc.message}.",
        )
    session.answers = data
    session.typed = {}
    session.visited = {p.id for p in applicable_pages(data)}
    checked = answers_io.check(data)
    count = len(checked.errors)
    session.notice = "Your answers file is loaded." + (
        f" It has {count} problem{'s' if count != 1 else ''} to put right, listed below."
        if count else " It is complete and valid."
    )
    if dropped:
        keys = "; ".join(
            f"{p.path} (line {p.line})" if p.line else p.path for p in dropped[:10]
        )
        session.notice += (
            f" Left out {len(dropped)} key{'s' if len(dropped) != 1 else ''} that answers files "
            f"do not have (a typo?): {keys}. Answer those questions again here."
        )
    return _redirect(request.url_for("review").path)


async def new(request: Request) -> Response:
    session = session_of(request)
    await _form(request)
    session.answers = {}
    session.visited = set()
    session.typed = {}
    session.notice = "Started a new questionnaire."
    return _redirect(request.url_for("start").path)


def _too_large_page(request: Request) -> HTMLResponse:
    return _error_page(
        request, 413, "The file is too large",
        f"Answers files are at most {MAX_UPLOAD // 1024} KB. Check that you chose the answers "
        ".yaml file, not a document.",
    )


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    """413 for a request body over the limit, before any of it is used."""
    message = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Too large</title>"
        f"<link rel='stylesheet' href='/static/app.css'></head><body><main class='page'>"
        f"<h1>The file is too large</h1><p>Answers files are at most {MAX_UPLOAD // 1024} KB. "
        f"Check that you chose the answers .yaml file, not a document.</p>"
        f"<p><a href='/'>Back to the start</a></p></main></body></html>"
    )
    response = HTMLResponse(message, status_code=413, headers={"connection": "close"})
    await response(scope, receive, send)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    titles = {400: "The form could not be read", 403: "This form cannot be accepted",
              404: "Page not found", 405: "Not allowed"}
    title = titles.get(exc.status_code, "Something went wrong")
    if "session" not in request.scope.get("state", {}):  # static files have no session
        return HTMLResponse(title, status_code=exc.status_code)
    return _error_page(request, exc.status_code, title, str(exc.detail))


# --------------------------------------------------------------------------- app


def create_app(
    *, allowed_hosts: Sequence[str] = LOOPBACK_HOSTS, store: SessionStore | None = None
) -> Starlette:
    """The questionnaire as an ASGI app.

    `allowed_hosts` guards a server on the loopback address against DNS rebinding: a page
    elsewhere that points its own host name at 127.0.0.1 is refused. Pass ``("*",)`` only
    when the server is deliberately reachable from other machines.
    """
    routes = [
        Route("/", start, name="start"),
        Route("/section/{page}", section_page, name="section", methods=["GET"]),
        Route("/section/{page}", section_post, methods=["POST"]),
        Route("/review", review, name="review"),
        Route("/answers.yaml", download_answers, name="answers"),
        Route("/pack.zip", download_pack, name="pack", methods=["POST"]),
        Route("/upload", upload, name="upload", methods=["POST"]),
        Route("/new", new, name="new", methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeadersMiddleware),
        Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)),
        Middleware(BodyLimitMiddleware, limit=MAX_BODY, too_large=_too_large),
        Middleware(SessionMiddleware, store=store or SessionStore()),
    ]
    return Starlette(
        routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error}
    )
