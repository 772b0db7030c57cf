"""The web questionnaire: routes, pages and downloads.

Pages follow post/redirect/get: a POST saves the page into the questionnaire's answers and
redirects, so reloading never resubmits and every page is drawn from the stored answers.
Every form carries the version of the answers it was drawn from; a save made from an older
version (another tab or window saved since) is refused with a page that says what changed,
and nothing is overwritten. Entries of lists (members, a partner's services and key
performance indicators) are named by stable keys in fields and buttons.

    GET  /                      start: progress, resume link, upload, undo, start again
    GET  /section/{id}          one section of questions
    POST /section/{id}          save it (continue, update, add or remove an entry)
    GET  /review                every answer with a Change link, every problem, the downloads
    GET  /answers.yaml          the answers file so far (valid or not)
    POST /pack.zip              the drafted documents and the answers, as a zip
    POST /upload                continue from an answers file
    GET  /new, POST /new        start again (asks first; can be undone)
    POST /undo                  undo the last change
    GET  /resume/{token}        the private link back to a questionnaire
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
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
from drafting.questionnaire.questions import (
    Question,
    add_entry,
    delete_answer,
    entry_label,
    get_answer,
    has_answer,
    prune,
    question_of,
    questions_for,
)
from drafting.web import answers_io
from drafting.web.answers_io import MAX_UPLOAD, Checked, UploadError
from drafting.web.changes import changes, show_value
from drafting.web.forms.bind import bind, page_questions, place, read_post
from drafting.web.forms.pages import Page, applicable_pages, page_by_id, page_of
from drafting.web.forms.paths import (
    MAX_ENTRIES,
    MAX_MEMBERS,
    Keys,
    align,
    answer_path,
    field_name,
    html_id,
    is_html_id,
    list_of,
)
from drafting.web.forms.values import to_form
from drafting.web.pack import build_pack_zip
from drafting.web.security import (
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
    Session,
    SessionMiddleware,
    csrf_ok,
    session_of,
)
from drafting.web.store import Conflict, SessionStore

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


def _store(request: Request) -> SessionStore:
    store: SessionStore = request.app.state.store
    return store


def _render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    session = session_of(request)
    notice, session.notice = session.notice, None
    store = _store(request)
    context.setdefault("pages", applicable_pages(session.answers))
    page = _ENV.get_template(template).render(
        csrf=session.csrf, notice=notice, path=request.url.path, version=session.version,
        undo_label=session.undo_label, persistent=store.persistent,
        expiry_days=round(store.expiry_seconds / 86400),
        resume_url=str(request.url_for("resume", token=session.resume)), **context,
    )
    return HTMLResponse(page, status_code=status)


def _plain_page(title: str, message: str, status: int) -> HTMLResponse:
    """A page in the service's style for requests that have no questionnaire (413, static)."""
    page = _ENV.get_template("error.html").render(
        title=title, message=message, notice=None, persistent=False, path="",
    )
    return HTMLResponse(page, status_code=status, headers={"connection": "close"})


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


def _form_version(form: FormData) -> int | None:
    raw = form.get("version")
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 12 else None


def _lists(form: FormData) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return out


def _problem_pages(session: Session, checked: Checked, asked: list[Question]) -> set[str | None]:
    """Pages with a problem to show: a refused answer, or a validator error placed there."""
    pages = {p.page for p in place(checked.errors, session.answers)}
    for q in asked:
        if q.path in session.typed and q.kind != "group":
            pages.add(page_of(q).id)
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


def _save(request: Request, session: Session, answers: dict[str, Any], keys: dict[str, list[str]],
          label: str, expected: int | None, *, back: str = "/",
          entered: Callable[[], list[tuple[str, str]]] | None = None) -> Response | None:
    """Save the answers as a new version; the conflict page if another save came first.

    `entered` lists what the refused form changed (worked out only when it is refused).
    """
    if expected is None or expected != session.version:
        return _conflict_page(request, session, expected, entered() if entered else [], back)
    try:
        _store(request).save_answers(session, answers, keys, label, expected=expected)
    except Conflict:
        fresh = _store(request).get(session.id)
        if fresh is None:
            raise
        request.scope["state"]["session"] = fresh
        return _conflict_page(request, fresh, expected, entered() if entered else [], back)
    return None


def _conflict_page(request: Request, session: Session, version: int | None,
                   entered: list[tuple[str, str]] | None, back: str) -> HTMLResponse:
    """Refuse a save made from an older version: say what changed elsewhere; keep nothing."""
    elsewhere = []
    old = _store(request).snapshot(session, version) if version is not None else None
    if old is not None:
        elsewhere = changes(old.answers, old.keys, session.answers, session.keys)
    return _render(
        request, "conflict.html", 409, elsewhere=elsewhere, known=old is not None,
        entered=entered or [], back=back,
    )


def _entered(request: Request, page: Page, session: Session, version: int | None,
             posted: dict[str, list[str]]) -> list[tuple[str, str]]:
    """What a refused form changed, question by question, so that nothing typed is lost.

    Only answers that differ from the version the page was drawn from are listed: those are
    what the person did on that page.
    """
    old = _store(request).snapshot(session, version) if version is not None else None
    data, keys = (old.answers, old.keys) if old else (session.answers, session.keys)
    out = []
    for q in page_questions(page, data):
        name = field_name(q.path, keys)
        was = to_form(q, get_answer(data, q.path)) if has_answer(data, q.path) else None
        if q.kind == "date":
            parts = tuple(next(iter(posted.get(f"{name}-{p}", [])), "").strip()
                          for p in ("day", "month", "year"))
            if (was is not None and parts == tuple(was)) or not any(parts):
                continue
            text = "/".join(parts)
        else:
            values = [v.strip() for v in posted.get(name, []) if v.strip()]
            if q.kind == "multi":
                if was is not None and set(values) == set(was):
                    continue
            elif was is not None and "\n".join(values) == str(was).strip():
                continue
            if not values:
                continue
            labels = dict(q.choices_for(data)) if q.kind in ("choice", "multi") else {}
            text = "; ".join(labels.get(v, {"yes": "Yes", "no": "No"}.get(v, v))
                             for v in values)
        owner = entry_label(q, data)
        title = f"{owner}: {q.title}" if owner and owner.split(", ")[0] not in q.title \
            else q.title
        out.append((title, text))
    return out


# --------------------------------------------------------------------------- pages


async def start(request: Request) -> Response:
    return _start_page(request, session_of(request))


def _start_page(
    request: Request, session: Session, *, upload_error: str | None = None, status: int = 200
) -> HTMLResponse:
    checked = answers_io.check(session.answers)
    asked = list(questions_for(session.answers))
    with_problems = _problem_pages(session, checked, asked)
    pages = applicable_pages(session.answers, asked)
    progress = []
    for p in pages:
        if p.id in session.visited:
            status_text = "problems" if p.id in with_problems else "done"
        else:
            status_text = "not started"
        progress.append((p, status_text))
    return _render(
        request, "start.html", status, pages=pages,
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
    asked = list(questions_for(session.answers))
    here = {q.path for q in page_questions(page, session.answers, asked)}
    # Answers refused on this page come first: the validator has not seen them, so its
    # findings about the answers without them would only confuse.
    refused_here = any(path in session.typed for path in here)
    problems = checked.errors if page.id in session.visited and not refused_here else []
    bound = bind(page, session.answers, problems, session.typed, session.keys, asked)
    pages = applicable_pages(session.answers, asked)
    index = [p.id for p in pages].index(page.id)
    return _render(
        request, "section.html", bound=bound, page=page, number=index + 1, total=len(pages),
        previous=pages[index - 1].id if index else None, pages=pages,
    )


def _member_name(answers: dict[str, Any], index: int) -> str:
    members = answers.get("members")
    member = members[index] if isinstance(members, list) and index < len(members) else None
    name = member.get("name") if isinstance(member, dict) else None
    return name if isinstance(name, str) and name else f"member {index + 1}"


async def section_post(request: Request) -> Response:
    session = session_of(request)
    page = _page_or_404(request, session)
    form = await _form(request)
    posted = _lists(form)
    version = _form_version(form)
    url = request.url_for("section", page=page.id).path
    if version != session.version:
        entered = _entered(request, page, session, version, posted)
        return _conflict_page(request, session, version, entered, url)
    action = str(form.get("action") or "continue")
    before = {q.path for q in page_questions(page, session.answers)}
    shown = posted.get("__shown", [])
    keys = align(session.answers, session.keys)
    result = read_post(page, session.answers, posted, shown, need_required=action == "continue",
                       keys=keys)
    data = result.data
    # refused answers of this page are replaced by this post's
    session.typed = {k: v for k, v in session.typed.items() if k not in before}
    session.typed.update(result.refused)
    if result.removed:
        count = len(result.removed)
        session.notice = (
            f"{count} answer{'s' if count != 1 else ''} no longer applied after this change "
            f"and {'were' if count != 1 else 'was'} removed."
        )
    label = f"Saved the page “{page.title}”"
    focus_to = ""
    if action == "add" or action.startswith("add:"):
        added = _add(page, data, keys, action.removeprefix("add").removeprefix(":") or "members")
        if added is not None:
            keys, label, focus_to = added
    elif action.startswith("remove:"):
        removed = _remove(page, data, keys, action.removeprefix("remove:"))
        if removed is not None:
            keys, label, focus_to, answer = removed
            session.typed = {k: v for k, v in session.typed.items()
                             if not k.startswith(answer + "[")}
            session.notice = f"{label}."
    keys = align(data, keys)
    if data != session.answers or keys != session.keys:
        refused = _save(request, session, data, keys, label, version, back=url,
                        entered=lambda: _entered(request, page, session, version, posted))
        if refused is not None:
            return refused
    if focus_to:
        return _redirect(f"{url}#{focus_to}")
    if action == "update":
        focus = str(form.get("focus") or "")
        return _redirect(url + (f"#{focus}" if is_html_id(focus) else ""))
    session.visited.add(page.id)
    new_questions = {q.path for q in page_questions(page, data)} - before
    if new_questions:
        session.notice = (
            "Your answers brought up more questions on this page: answer them, then continue."
        )
        return _redirect(url)
    checked = answers_io.check(data)
    asked = list(questions_for(data))
    if result.refused or page.id in _problem_pages(session, checked, asked):
        return _redirect(url)
    pages = applicable_pages(data, asked)
    ids = [p.id for p in pages]
    if page.id in ids and ids.index(page.id) + 1 < len(ids):
        return _redirect(request.url_for("section", page=ids[ids.index(page.id) + 1]).path)
    return _redirect(request.url_for("review").path)


def _add(page: Page, data: dict[str, Any], keys: Keys,
         name: str) -> tuple[dict[str, list[str]], str, str] | None:
    """Add an entry to the list with field name `name`, if this page asks it: the keys, the
    label of the save and the id of the new entry (its first field gets the focus)."""
    path = answer_path(name, keys)
    group = next((q for q in questions_for(data)
                  if q.kind == "group" and q.path == path and page.owns(q)), None)
    if path is None or group is None:
        return None
    items = get_answer(data, path)
    limit = MAX_MEMBERS if path == "members" else MAX_ENTRIES
    if isinstance(items, list) and len(items) >= limit:
        return None
    add_entry(data, path)
    new = align(data, keys)
    owner = entry_label(group, data)
    label = f"Added a {group.item}" + (f" for {owner}" if owner else "")
    return new, label, html_id(f"{name}[{new[name][-1]}]")


def _remove(page: Page, data: dict[str, Any], keys: Keys,
            key: str) -> tuple[dict[str, list[str]], str, str, str] | None:
    """Remove the entry with stable key `key`, if this page asks its list: the keys, what
    was removed in words, where the focus goes, and the list's answer path."""
    found = list_of(key, keys)
    path = answer_path(found[0], keys) if found else None
    group = next((q for q in questions_for(data)
                  if q.kind == "group" and q.path == path and page.owns(q)), None)
    if found is None or path is None or group is None:
        return None
    name, index = found
    entry = f"{path}[{index}]"
    if path == "members":
        what = _member_name(data, index)
    else:
        inside = next((q for q in questions_for(data) if q.entry == entry), None)
        what = entry_label(inside, data) if inside else f"{group.item} {index + 1}"
        who, _, which = what.rpartition(", ")
        what = f"{which} of {who}" if who else what
    delete_answer(data, entry)
    new = {k: [x for x in v if x != key] for k, v in keys.items()}
    prune(data)
    focus = "members-list" if path == "members" else html_id(name) + "-list"
    return align(data, new), f"Removed {what}", focus, path


async def review(request: Request) -> Response:
    return _review_page(request, session_of(request))


def _anchor(request: Request, page_id: str, path: str, keys: Keys) -> str:
    """The link to the field of answer `path` (or to the list, for a list's own problem)."""
    q = question_of(path)
    suffix = "-list" if q is not None and q.kind == "group" else "-field"
    return request.url_for("section", page=page_id).path + f"#{html_id(field_name(path, keys))}{suffix}"


def _review_page(
    request: Request, session: Session, *, pack_error: str | None = None, status: int = 200
) -> HTMLResponse:
    data = session.answers
    checked = answers_io.check(data)
    asked = list(questions_for(data))
    summary = []
    for p in place(checked.problems, data):
        if p.page is None:
            href = "#general-problems"
        elif p.field:
            href = _anchor(request, p.page, p.field, session.keys)
        else:
            href = request.url_for("section", page=p.page).path + "#page-errors"
        summary.append((p, href))
    pages = applicable_pages(data, asked)
    typed = [
        (_anchor(request, pg.id, q.path, session.keys), q, session.typed[q.path][1])
        for pg in pages for q in page_questions(pg, data, asked) if q.path in session.typed
    ]
    answered = [(pg, bind(pg, data, keys=session.keys, asked=asked)) for pg in pages]
    ready = checked.valid and not typed
    return _render(
        request, "review.html", status, checked=checked, summary=summary, typed=typed,
        answered=answered, pack_error=pack_error, ready=ready, pages=pages,
        show_value=show_value,
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
    checked = answers_io.check(data, exact=True)
    asked = list(questions_for(data))
    refused = any(q.path in session.typed for q in asked if q.kind != "group")
    if checked.loaded is None or refused:
        count = len(checked.errors) + sum(1 for q in asked if q.path in session.typed)
        return _review_page(
            request, session, status=422,
            pack_error=(
                f"The documents can only be drafted from complete, valid answers. "
                f"There {'is 1 problem' if count == 1 else f'are {count} problems'} to put "
                "right first: each is listed at the top of this page, with a link to the "
                "question."
            ),
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
        return _too_large_page()
    if not raw:
        return _start_page(request, session, upload_error="The file you chose is empty.",
                           status=400)
    try:
        data, dropped = answers_io.read_upload(raw)
    except UploadError as exc:
        where = f"Line {exc.line}: " if exc.line else ""
        return _start_page(
            request, session, status=400,
            upload_error=f"This file cannot be read. {where}{exc.message[:1].upper()}"
                         f"{exc.message[1:]}.",
        )
    # An upload replaces every answer on purpose, whatever the page it came from showed;
    # the answers it replaces stay one undo away.
    refused = _save(request, session, data, align(data, {}), "Loaded an answers file",
                    session.version)
    if refused is not None:
        return refused
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
            f"‘{p.path.rsplit('.', 1)[-1]}’ (line {p.line})" if p.line
            else f"‘{p.path.rsplit('.', 1)[-1]}’" for p in dropped[:10]
        )
        session.notice += (
            f" Left out {len(dropped)} entr{'ies' if len(dropped) != 1 else 'y'} that answers "
            f"files do not have (a typo?): {keys}. Answer those questions again here."
        )
    return _redirect(request.url_for("review").path)


async def new_confirm(request: Request) -> Response:
    return _render(request, "new.html")


async def new(request: Request) -> Response:
    session = session_of(request)
    form = await _form(request)
    refused = _save(request, session, {}, {}, "Started again", _form_version(form))
    if refused is not None:
        return refused
    session.visited = set()
    session.typed = {}
    session.notice = ("Started a new questionnaire. Your earlier answers are kept: choose "
                      "“Undo the last change” to bring them back.")
    return _redirect(request.url_for("start").path)


async def undo(request: Request) -> Response:
    session = session_of(request)
    form = await _form(request)
    version = _form_version(form)
    back = "/"
    if version != session.version:
        return _conflict_page(request, session, version, None, back)
    try:
        label = _store(request).undo(session, expected=version)
    except Conflict:
        return _conflict_page(request, session, version, None, back)
    session.typed = {}
    session.notice = (f"Undone: {label[:1].lower()}{label[1:]}." if label
                      else "There is no change to undo.")
    return _redirect(request.url_for("start").path)


async def resume(request: Request) -> Response:
    """The private link: open the questionnaire it names in this browser."""
    found = _store(request).by_resume(request.path_params["token"])
    if found is None:
        days = round(_store(request).expiry_seconds / 86400)
        return _error_page(
            request, 404, "This link does not open any answers",
            f"It may be mistyped, or the answers expired: they are kept for {days} days after "
            "the last change. Start again, or upload your answers file.",
        )
    request.scope["state"]["session"] = found
    request.scope["state"]["session_cookie"] = found.id
    found.notice = "Welcome back: here are your answers."
    return _redirect(request.url_for("start").path)


def _too_large_page() -> HTMLResponse:
    return _plain_page(
        "The file is too large",
        f"Answers files are at most {MAX_UPLOAD // 1024} KB. Check that you chose the answers "
        ".yaml file, not a document.", 413,
    )


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    """413 for a request body over the limit, before any of it is used."""
    await _too_large_page()(scope, receive, send)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    titles = {400: "The form could not be read", 403: "This form cannot be accepted",
              404: "Page not found", 405: "Not allowed"}
    title = titles.get(exc.status_code, "Something went wrong")
    if "session" not in request.scope.get("state", {}):  # static files have no session
        return _plain_page(title, str(exc.detail), exc.status_code)
    return _error_page(request, exc.status_code, title, str(exc.detail))


# --------------------------------------------------------------------------- app


def create_app(
    *, allowed_hosts: Sequence[str] = LOOPBACK_HOSTS, store: SessionStore | None = None
) -> Starlette:
    """The questionnaire as an ASGI app.

    `store` keeps the questionnaires (`SessionStore(path)` for a SQLite file that outlives
    the server; the default keeps them in memory only). `allowed_hosts` guards a server on
    the loopback address against DNS rebinding: a page elsewhere that points its own host
    name at 127.0.0.1 is refused. Pass ``("*",)`` only when the server is deliberately
    reachable from other machines.
    """
    store = SessionStore() if store is None else store
    routes = [
        Route("/", start, name="start"),
        Route("/section/{page}", section_page, name="section", methods=["GET"]),
        Route("/section/{page}", section_post, methods=["POST"]),
        Route("/review", review, name="review"),
        Route("/answers.yaml", download_answers, name="answers"),
        Route("/pack.zip", download_pack, name="pack", methods=["POST"]),
        Route("/upload", upload, name="upload", methods=["POST"]),
        Route("/new", new_confirm, name="new", methods=["GET"]),
        Route("/new", new, methods=["POST"]),
        Route("/undo", undo, name="undo", methods=["POST"]),
        Route("/resume/{token}", resume, name="resume"),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeadersMiddleware),
        Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)),
        Middleware(BodyLimitMiddleware, limit=MAX_BODY, too_large=_too_large),
        Middleware(SessionMiddleware, store=store),
    ]
    app = Starlette(
        routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error}
    )
    app.state.store = store
    return app
