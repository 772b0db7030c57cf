"""The questionnaire in a browser: `drafting serve`.

A small Starlette application generated from the question definitions in
`drafting.questionnaire.questions`: one page per section, help beside each question, questions shown or
hidden as earlier answers make them relevant (decided on the server at each submit, so it
works without JavaScript), a review page, and downloads of the answers YAML and of the
drafted pack as a zip. Answers in progress are kept by `store.SessionStore` (SQLite, in the
data folder, or in memory with `drafting serve --no-store`), with every save a new version;
documents are drafted in memory and never written to disk.

    create_app()      the ASGI application (app.py)
    forms/            answers <-> form fields, paths, problems mapped to fields
    pack.py           the one function that drafts the pack zip in memory
    store.py          questionnaires in SQLite: versions, history (undo), resume links, expiry
    changes.py        what changed between two versions, in words (the refused-save page)
    security.py       body limits, security headers, sessions and CSRF tokens
"""

from drafting.web.app import create_app

__all__ = ["create_app"]
