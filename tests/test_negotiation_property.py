"""Random edits in random clauses: an update never loses one, and changes nothing unasked.

Hypothesis picks paragraphs of random clauses and schedules and edits each as a lawyer
would: words typed in, a word made bold, the paragraph rewritten, deleted, or followed by
a new one. Then:

- `inspect` finds exactly the clauses edited;
- `update` with the same answers and library returns the draft byte for byte;
- `update` with new answers rejects back to the draft, and accepts to the new document
  with the same edits made to it (the notice period changes a paragraph in place, so the
  edits can be made to the new document at the same places); with a member added (new
  paragraphs and table rows), every edited or added paragraph is still there, as it was,
  and no deleted one comes back.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from drafting.read.library import load_library
from drafting.read.load import parse_answers
from drafting.review.negotiation.draft import read_draft
from drafting.review.negotiation.inspect import inspect_draft
from drafting.review.negotiation.update import update_draft
from tests.fixtures.negotiation.drafts import build, stories
from tests.fixtures.negotiation.edits import ANSWERS, member_added, notice_changed

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORDS = ("Board", "promptly", "each", "Member", "reasonable", "notice", "shall", "written",
         "consent", "not", "unreasonably", "withheld", "&", "<approval>", "“agreed”")
HEADINGS = ("ClauseHeading", "ScheduleHeading")


def _style(p: etree._Element) -> str | None:
    ps = p.find(f"{W}pPr/{W}pStyle")
    return ps.get(f"{W}val") if ps is not None else None


def _sections(root: etree._Element) -> list[tuple[str, list[etree._Element]]]:
    """Each clause or schedule of a drafted document: (its bookmark, its paragraphs)."""
    out: list[tuple[str, list[etree._Element]]] = []
    for el in root.find(f"{W}body"):
        if el.tag == f"{W}p" and _style(el) in HEADINGS:
            mark = el.find(f"{W}bookmarkStart")
            out.append((mark.get(f"{W}name") if mark is not None else "", []))
        elif out and el.tag == f"{W}p":
            out[-1][1].append(el)
    return out


@dataclass(frozen=True)
class Edit:
    section: int
    paragraph: int
    kind: str  # type, bold, rewrite, delete, insert
    words: tuple[str, ...]
    at: int


def _run(text: str, bold: bool = False) -> etree._Element:
    r = etree.Element(f"{W}r")
    if bold:
        etree.SubElement(etree.SubElement(r, f"{W}rPr"), f"{W}b")
    t = etree.SubElement(r, f"{W}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def _edited(p: etree._Element, edit: Edit) -> etree._Element:
    """The paragraph as the edit leaves it (a new paragraph for "insert")."""
    words = " ".join(edit.words)
    if edit.kind == "insert":
        new = etree.Element(f"{W}p")
        ppr = p.find(f"{W}pPr")
        if ppr is not None:
            new.append(copy.deepcopy(ppr))
        new.append(_run(words))
        return new
    p = copy.deepcopy(p)
    texts = [t for t in p.iter(f"{W}t") if (t.text or "").strip()]
    if edit.kind == "rewrite" or not texts:
        for child in list(p):
            if child.tag not in (f"{W}pPr", f"{W}bookmarkStart", f"{W}bookmarkEnd"):
                p.remove(child)
        p.append(_run(words + " as agreed between the Members."))
        return p
    t = texts[edit.at % len(texts)]
    spaces = [i for i, c in enumerate(t.text or "") if c == " "] or [len(t.text or "")]
    cut = spaces[edit.at % len(spaces)]
    text = t.text or ""
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    if edit.kind == "type":
        t.text = f"{text[:cut]} {words}{text[cut:]}"
        return p
    # bold: the words after the cut, to the next space, become a bold run of their own
    end = text.find(" ", cut + 1)
    end = len(text) if end < 0 else end
    already = t.getparent().find(f"{W}rPr/{W}b") is not None
    if end <= cut + 1 or already:  # nothing to embolden: type instead
        t.text = f"{text[:cut]} {words}{text[cut:]}"
        return p
    run = t.getparent()
    before, middle, after = text[:cut + 1], text[cut + 1:end], text[end:]
    t.text = before
    tail = copy.deepcopy(run)
    for child in list(tail):
        if child.tag != f"{W}rPr":
            tail.remove(child)
    index = list(run).index(t)
    for child in list(run)[index + 1:]:
        tail.append(child)
    tail.insert(1 if tail.find(f"{W}rPr") is not None else 0, _run(after)[0])
    bold = copy.deepcopy(run)
    for child in list(bold):
        bold.remove(child)
    rpr = copy.deepcopy(run.find(f"{W}rPr")) if run.find(f"{W}rPr") is not None \
        else etree.Element(f"{W}rPr")
    if rpr.find(f"{W}b") is None:
        rpr.insert(0, etree.Element(f"{W}b"))
    bold.append(rpr)
    bold.append(_run(middle)[0])
    run.addnext(bold)
    bold.addnext(tail)
    return p


def _apply(data: bytes, script: list[Edit], base: bytes | None = None) -> bytes:
    """`data` with the edits of `script` made at their places. With `base`, each edited
    paragraph is made from the base's paragraph at that place: the new document with the
    draft's edits, as an update must leave it (every paragraph the lawyer touched reads as
    in the draft, whatever the new document says there)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(source.read("word/document.xml"))
    sections = _sections(root)
    donors = _sections(etree.fromstring(zipfile.ZipFile(io.BytesIO(base)).read(
        "word/document.xml"))) if base is not None else sections
    for edit in sorted(script, key=lambda e: (e.section, e.paragraph), reverse=True):
        p = sections[edit.section][1][edit.paragraph]
        made = _edited(donors[edit.section][1][edit.paragraph], edit)
        if edit.kind == "delete":
            p.getparent().remove(p)
        elif edit.kind == "insert":
            p.addnext(made)
        else:
            p.addprevious(made)
            p.getparent().remove(p)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in source.namelist():
            z.writestr(name, etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                            standalone=True)
                       if name == "word/document.xml" else source.read(name))
    return out.getvalue()


@st.composite
def edits(draw: st.DrawFn, shape: list[int],
          changed: tuple[tuple[int, int], ...] = ()) -> list[Edit]:
    """Edits of distinct paragraphs of random clauses (`shape`: paragraphs per section);
    half the time one of them is a paragraph the new answers change (`changed`)."""
    places = [(s, p) for s, n in enumerate(shape) for p in range(n)]
    chosen = draw(st.lists(st.sampled_from(places), min_size=1, max_size=5, unique=True))
    if changed and draw(st.booleans()):
        hot = draw(st.sampled_from(changed))
        chosen = [hot, *(c for c in chosen if c != hot)]
    return [Edit(s, p, draw(st.sampled_from(("type", "bold", "rewrite", "delete", "insert"))),
                 tuple(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))),
                 draw(st.integers(0, 50)))
            for s, p in chosen]


def _shape(data: bytes) -> list[int]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return [len(paragraphs) for _, paragraphs in _sections(root)]


def _edited_sections(data: bytes, script: list[Edit]) -> set[str]:
    """The bookmarks of the clauses and schedules `script` edits."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    marks = [mark for mark, _ in _sections(root)]
    return {marks[e.section] for e in script}


LIBRARY = load_library()
AGREEMENT = build()
AGREEMENT_SHAPE = _shape(AGREEMENT)
NOTICE = notice_changed(ANSWERS.read_text(encoding="utf-8"))
NEW_AGREEMENT = build(NOTICE)


def _changed(old: bytes, new: bytes) -> tuple[tuple[int, int], ...]:
    """The places of the paragraphs that differ between two documents of one shape."""
    a, b = (_sections(etree.fromstring(zipfile.ZipFile(io.BytesIO(d)).read(
        "word/document.xml"))) for d in (old, new))
    return tuple((s, i) for s, ((_, ps), (_, qs)) in enumerate(zip(a, b))
                 for i, (p, q) in enumerate(zip(ps, qs))
                 if etree.tostring(p) != etree.tostring(q))


def _bookmark_of(clause: str) -> str:
    from drafting.build.assemble import bookmark_name

    return bookmark_name(f"sched-{clause[9:]}" if clause.startswith("schedule:") else clause)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=edits(AGREEMENT_SHAPE, _changed(AGREEMENT, NEW_AGREEMENT)))
def test_random_edits_survive_an_update_exactly(script):
    library = LIBRARY
    # The notice period changes words of a paragraph, not the paragraphs there are.
    assert _shape(NEW_AGREEMENT) == AGREEMENT_SHAPE
    assert _changed(AGREEMENT, NEW_AGREEMENT)
    draft = _apply(AGREEMENT, script)
    report = inspect_draft(read_draft(draft), library)
    edited = {_bookmark_of(c.id) for c in report.clauses if c.status != "unchanged"}
    assert edited == _edited_sections(AGREEMENT, script)
    assert report.added == []
    assert update_draft(read_draft(draft), library).data == draft
    result = update_draft(read_draft(draft), library, parse_answers(NOTICE, "new.yaml"))
    assert stories(result.data, "reject") == stories(draft, "accept")
    expected = _apply(NEW_AGREEMENT, script, base=AGREEMENT)
    assert stories(result.data, "accept") == stories(expected, "accept")


TERMS = build(kind="committee_terms")
TERMS_SHAPE = _shape(TERMS)
MEMBER = member_added(ANSWERS.read_text(encoding="utf-8"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=edits(TERMS_SHAPE))
def test_random_edits_survive_a_member_joining(script):
    library = LIBRARY
    draft = _apply(TERMS, script)
    assert update_draft(read_draft(draft), library).data == draft
    result = update_draft(read_draft(draft), library, parse_answers(MEMBER, "new.yaml"))
    assert stories(result.data, "reject") == stories(draft, "accept")
    accepted = stories(result.data, "accept")["body"]
    drafted = stories(draft, "accept")["body"]
    original = stories(TERMS, "accept")["body"]
    for line in drafted:
        if line not in original:  # an edited or added paragraph, exactly as the lawyer left it
            assert accepted.count(line) >= drafted.count(line), line
    for line in original:
        if line not in drafted:  # a deleted paragraph (or an edited one's old text)
            assert accepted.count(line) == 0, line
