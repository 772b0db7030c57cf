"""The questionnaire in a browser: `drafting serve`.

A small Starlette application generated from the question definitions in
`drafting.questionnaire.questions`: one page per section, help beside each question, questions shown or
hidden as earlier answers make them relevant (decided on the server at each submit, so it
works without JavaScript), a review page, and downloads of the answers YAML and of the
drafted pack as a zip. Answers in progress live in memory, keyed by a random session id;
no answers or documents are written to disk.

    create_app()      the ASGI application (app.py)
    forms/            answers <-> form fields, paths, problems mapped to fields
    pack.py           the one function that drafts the pack zip in memory
    security.py       body limits, security headers, sessions and CSRF tokens
"""

from drafting.web.app import create_app

__all__ = ["create_app"]
