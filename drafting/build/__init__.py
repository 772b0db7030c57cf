"""Build: answers and clauses into the document model (`drafting.model`), a pure function.

`assemble` drafts one document from its outline; `pack` plans and drafts every document an
answers file asks for; `schedules` adds the pack's schedules; `provenance` reads back what
made a document.
"""
