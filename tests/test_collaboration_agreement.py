"""The collaboration agreement drafted from the real clause library, checked in LibreOffice.

Each example that asks for an agreement is drafted once, converted once to PDF and once
round-tripped to .docx by LibreOffice (session fixtures, converted in parallel), then read
back: page count, cross-references recomputed by LibreOffice equal our numbers, numbering
contiguous, no empty numbered paragraph. A second, LibreOffice-free part proves, clause by
clause and variant by variant from the library's own `when`s, that the answers that select
something produce it, in the provenance and in the text.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from lxml import etree

from drafting.build.assemble import assemble, load_outline
from drafting.build.provenance import read_provenance
from drafting.cli import main
from drafting.errors import AnswersError, DraftingError
from drafting.model import Document, Paragraph, plain
from drafting.read.conditions import referenced_paths
from drafting.read.library import ClauseVersion, load_library
from drafting.read.load import LoadedAnswers, load_answers, validate_data
from drafting.read.yamlsource import Source
from drafting.write.convert import convert
from drafting.write.docx import write_docx
from drafting.write.text import write_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "answers").glob("*.yaml"))
AGREEMENT_EXAMPLES = [p for p in EXAMPLES
                      if "collaboration_agreement" in load_answers(p).answers.documents]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KIND = "collaboration_agreement"


@dataclass
class Converted:
    document: Document
    docx: Path
    pdf: Path
    roundtrip: Path

    @property
    def pdf_text(self) -> str:
        return subprocess.run(["pdftotext", "-layout", str(self.pdf), "-"], capture_output=True,
                              text=True, check=True).stdout


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Converted]:
    """Every example agreement, drafted, as PDF and as LibreOffice's own .docx."""
    library = load_library()
    folder = tmp_path_factory.mktemp("agreements")
    jobs = []
    for path in AGREEMENT_EXAMPLES:
        document = assemble(library, load_answers(path), KIND)
        target = folder / f"{path.stem}.docx"
        target.write_bytes(write_docx(document, notes=True))
        jobs.append((path.stem, document, target))

    def run(job: tuple[str, Document, Path]) -> Converted:
        _, document, target = job
        pdf = convert(target, "pdf", folder / "pdf")
        roundtrip = convert(target, "docx", folder / "roundtrip")
        return Converted(document, target, pdf, roundtrip)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return {job[0]: result for job, result in zip(jobs, pool.map(run, jobs))}


@pytest.fixture(params=[p.stem for p in AGREEMENT_EXAMPLES])
def agreement(request: pytest.FixtureRequest, converted: dict[str, Converted]) -> Converted:
    return converted[request.param]


def field_results(path: Path) -> list[tuple[str, str]]:
    """(instruction, result text) of every complex field in a .docx body."""
    body = docx.Document(str(path)).element.body
    results, stack = [], []
    for element in body.iter(f"{W}fldChar", f"{W}instrText", f"{W}t"):
        if element.tag == f"{W}fldChar":
            kind = element.get(f"{W}fldCharType")
            if kind == "begin":
                stack.append({"instr": "", "result": "", "in_result": False})
            elif kind == "separate" and stack:
                stack[-1]["in_result"] = True
            elif kind == "end" and stack:
                done = stack.pop()
                results.append((done["instr"].strip(), done["result"]))
        elif element.tag == f"{W}instrText" and stack:
            stack[-1]["instr"] += element.text or ""
        elif stack and stack[-1]["in_result"]:
            stack[-1]["result"] += element.text or ""
    return results


class TestInLibreOffice:
    def test_page_count(self, agreement: Converted) -> None:
        info = subprocess.run(["pdfinfo", str(agreement.pdf)], capture_output=True, text=True,
                              check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
        assert 20 <= pages <= 120, pages

    def test_no_broken_reference(self, agreement: Converted) -> None:
        text = agreement.pdf_text
        assert "Reference source not found" not in text
        assert "Error!" not in text
        for _, result in field_results(agreement.roundtrip):
            assert "not found" not in result.lower()

    def test_every_cross_reference_shows_its_target_number(self, agreement: Converted) -> None:
        numbers = {t.bookmark: t.number for t in agreement.document.targets.values()}
        refs = [(instr.split()[1], result) for instr, result in field_results(agreement.roundtrip)
                if instr.startswith("REF ")]
        assert len(refs) > 20
        wrong = [(bookmark, numbers.get(bookmark), shown) for bookmark, shown in refs
                 if numbers.get(bookmark) != shown]
        assert wrong == []

    def test_clause_numbering_is_contiguous(self, agreement: Converted) -> None:
        body = agreement.pdf_text.split("Agreed terms", 1)[1]
        clauses = agreement.document.clauses
        position = 0
        for expected, clause in enumerate(clauses, start=1):
            found = re.compile(rf"^\s*{expected}\s+{re.escape(clause.title[:25])}", re.MULTILINE)
            match = found.search(body, position)
            assert match, f"heading {expected} {clause.title} not found in order"
        position = 0
        for clause in clauses:  # LibreOffice shows each sub-clause's number at its own text
            subs = [b for b in clause.blocks if isinstance(b, Paragraph) and b.level == 1]
            assert [b.number for b in subs] == [f"{clause.number}.{i}"
                                                 for i in range(1, len(subs) + 1)]
            for para in subs:
                first = plain(para.inlines).split()[0]
                found = re.compile(rf"^\s*{re.escape(para.number)}\s+{re.escape(first)}", re.MULTILINE)
                match = found.search(body, position)
                assert match, f"{para.number} {first!r} not found in order"
                position = match.end()

    def test_no_empty_numbered_paragraph(self, agreement: Converted) -> None:
        empty = [p.style.name for p in docx.Document(str(agreement.roundtrip)).paragraphs
                 if p._p.pPr is not None and p._p.pPr.numPr is not None and not p.text.strip()]
        assert empty == []

    def test_toc_and_definitions(self, agreement: Converted) -> None:
        contents = agreement.pdf_text.split("Contents", 1)[1].split("Parties", 1)[0]
        flat = " ".join(contents.split())
        for clause in agreement.document.clauses:
            assert f"{clause.number} {clause.title}" in flat
        for schedule in agreement.document.schedules:
            assert f"{schedule.number} {schedule.title}" in flat
        definitions = [b for b in agreement.document.clauses[0].blocks
                       if isinstance(b, Paragraph) and b.style == "definition"]
        terms = [b.inlines[0].children[0].text.strip("“”") for b in definitions]
        assert terms == sorted(terms, key=str.casefold) and len(terms) > 10

    def test_notes_survive_as_comments(self, agreement: Converted) -> None:
        with zipfile.ZipFile(agreement.roundtrip) as package:
            root = etree.fromstring(package.read("word/comments.xml"))
        comments = [" ".join("".join(c.itertext()).split()) for c in root]
        notes = [" ".join(part.note.split())
                 for part in (*agreement.document.clauses, *agreement.document.schedules)
                 if part.note]
        assert len(comments) == len(notes) > 5
        for note, comment in zip(notes, comments):
            assert comment.replace(" ", "") == note.replace(" ", "")

    def test_one_signature_block_per_member(self, agreement: Converted) -> None:
        text = " ".join(agreement.pdf_text.split())
        answers = load_answers(ROOT / "answers" / f"{agreement.docx.stem}.yaml").answers
        blocks = text.split("Signed for and on behalf of ")[1:]
        assert len(blocks) == len(answers.members)
        for member, block in zip(answers.members, blocks):
            assert block.startswith(member.name)
            # round 14 (execution v12): every block names the signatory the answers give, a
            # joint post-holder too (the drafting note names the joint post); no blank
            # replaces a given name
            assert member.signatory.name in block[:300]
            assert "who signs for no other party" not in block[:300]


# --------------------------------------------------------------------------- selection


def _validate(data: dict[str, Any]) -> LoadedAnswers | None:
    try:
        return validate_data(Source(data=data, file="<variant>", text=json.dumps(data,
                                                                                 default=str)))
    except AnswersError:
        return None


def _paths(clause: ClauseVersion) -> set[tuple[str, ...]]:
    expressions = [clause.when, *(v.when for v in clause.variants)]
    return {path for e in expressions for path, _ in referenced_paths(e, expression=True)}


def _values(path: tuple[str, ...], answers: Any) -> list[Any]:
    """The values an answers key can take, from the model's own type."""
    import typing

    from pydantic import BaseModel

    model: Any = type(answers)
    for key in path:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        if key not in fields:
            return []
        annotation = fields[key].annotation
        model = next((a for a in (annotation, *typing.get_args(annotation))
                      if isinstance(a, type) and issubclass(a, BaseModel)), annotation)
    for candidate in (model, *typing.get_args(model)):
        if typing.get_origin(candidate) is typing.Literal:
            return list(typing.get_args(candidate))
        if candidate is bool:
            return [True, False]
    return []


@dataclass
class Pool:
    drafted: list[tuple[str, Document, str, str]]  # label, document, text, text on one line
    failed: list[tuple[str, str]]


@pytest.fixture(scope="session")
def pool() -> Pool:
    """The examples, and every one-answer change of them that touches a clause condition.

    The keys changed are read from the `when`s of the agreement's clauses and variants, so
    a new clause or variant is covered without editing this test.
    """
    library = load_library()
    outline = load_outline(KIND)
    paths = set().union(*(_paths(library.get(c)) for c in outline.clauses))
    out, failed = [], []

    def draft(label: str, loaded: LoadedAnswers) -> None:
        try:
            document = assemble(library, loaded, KIND)
            text = write_text(document)
            out.append((label, document, text, " ".join(text.split())))
        except DraftingError as exc:
            failed.append((label, exc.format_message()))

    for example in EXAMPLES:
        base = yaml.safe_load(example.read_text(encoding="utf-8"))
        base.setdefault("documents", [])
        loaded = _validate(base)
        if loaded is None:
            continue
        draft(example.stem, loaded)
        for path in sorted(paths):
            if path[0] in ("derived", "document", "partner"):
                continue
            for value in _values(path, loaded.answers):
                data = copy.deepcopy(base)
                node = data
                for key in path[:-1]:
                    node = node.setdefault(key, {})
                if node.get(path[-1]) == value:
                    continue
                node[path[-1]] = value
                changed = _validate(data)
                if changed is None and len(node) > 1:  # the key's siblings may not fit it
                    node.clear()
                    node[path[-1]] = value
                    changed = _validate(data)
                if changed is not None:
                    draft(f"{example.stem}:{'.'.join(path)}={value}", changed)
    return Pool(out, failed)


def test_every_answers_change_drafts(pool: Pool) -> None:
    """Valid answers always give an agreement: no reference to a clause they leave out."""
    assert pool.failed == []


_TAG = re.compile(r"(\{%.*?%\}|\{\{.*?\}\}|\{##.*?##\})")
_MARKUP = re.compile(r"\{[^}]*\}|\[\[[^\]]*\]\]|\*")


def _snippet(clause: ClauseVersion, variant: str) -> str | None:
    """Words that only `variant`'s block prints whatever the answers: plain text outside any
    `{% if %}`/`{% for %}`, free of markup, found in no other variant."""
    mine = clause.variant_body(variant).split("\n")
    common = clause.variant_body(None).split("\n")
    others = [clause.variant_body(v.id) for v in clause.variants if v.id != variant]
    depth, best = 0, None
    for line, shared in zip(mine, common):
        own = line != shared
        for piece in _TAG.split(line):
            tag = piece.startswith(("{%", "{{", "{##"))
            if tag:
                word = piece.strip("{%-+ }").split(" ", 1)[0]
                depth += word in ("if", "for", "macro", "call", "filter", "raw")
                depth -= word in ("endif", "endfor", "endmacro", "endcall", "endfilter", "endraw")
                continue
            if not own or depth:
                continue
            for part in _MARKUP.split(piece):
                words = " ".join(part.lstrip(" -").split())
                if len(words.split()) >= 5 and "\\" not in words \
                        and not any(words in o for o in others) \
                        and len(words) > len(best or ""):
                    best = words
    return best


CLAUSE_IDS = load_outline(KIND).clauses


@pytest.mark.parametrize("clause_id", CLAUSE_IDS)
def test_answers_select_clause_and_variants(clause_id: str, pool: Pool) -> None:
    clause = load_library().get(clause_id)
    # A title may choose its words with Jinja ("Expulsion and change of control" only where a
    # member can undergo one): left out, no heading starts with its fixed words; included,
    # the heading the document drew shows.
    fixed = clause.title.split("{", 1)[0].strip()
    rest = r"\b.*" if "{" in clause.title else ""
    absent = re.compile(rf"^\d+ {re.escape(fixed.upper())}{rest}$", re.MULTILINE)
    included = excluded = 0
    selected: dict[str, int] = {}
    for label, document, text, flat in pool.drafted:
        recorded = [c for c in document.provenance["clauses"] if c["id"] == clause_id]
        if not recorded:
            excluded += 1
            assert not absent.search(text), f"{label}: {clause_id} left out but its heading shows"
            continue
        included += 1
        title = next(c.title for c in document.clauses if c.id == clause_id)
        heading = re.compile(rf"^\d+ {re.escape(title.upper())}$", re.MULTILINE)
        assert "{" not in title
        assert heading.search(text), f"{label}: {clause_id} recorded but not in the text"
        variant = recorded[0]["variant"]
        if clause.variants:
            selected[variant] = selected.get(variant, 0) + 1
            for other in clause.variants:
                words = _snippet(clause, other.id)
                if words is None:
                    continue
                if other.id == variant:
                    assert words in flat, f"{label}: variant {variant} text missing: {words!r}"
                else:
                    assert words not in flat, f"{label}: variant {other.id} text present"
    assert included, f"no answers include {clause_id}"
    if clause.when.strip() != "true" and "document" not in clause.when:
        # (a `when` that names the document kind may hold for every agreement)
        assert excluded, f"no answers leave out {clause_id} although its `when` is {clause.when!r}"
    for variant in clause.variants:
        if "document ==" in variant.when or variant.when.strip() == "true":
            continue  # for another kind of document, or the fallback the rules may rule out
        assert selected.get(variant.id), f"no answers select variant {variant.id} of {clause_id}"


# --------------------------------------------------------------------------- command line


class TestCommand:
    EXAMPLE = ROOT / "answers" / "north-east-mental-health.yaml"

    def test_assemble_writes_the_pack(self, runner, tmp_path: Path) -> None:
        result = runner.invoke(main, ["assemble", str(self.EXAMPLE), "-o", str(tmp_path)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "collaboration-agreement.docx").exists()
        first = (tmp_path / "collaboration-agreement.docx").read_bytes()
        prov = read_provenance(first)
        assert prov["document"] == KIND
        assert prov["answers_sha256"] == load_answers(self.EXAMPLE).sha256
        again = runner.invoke(main, ["assemble", str(self.EXAMPLE), "-o", str(tmp_path)])
        assert again.exit_code == 1 and "--force" in again.output
        forced = runner.invoke(main, ["assemble", str(self.EXAMPLE), "-o", str(tmp_path),
                                      "--force"])
        assert forced.exit_code == 0
        assert (tmp_path / "collaboration-agreement.docx").read_bytes() == first

    def test_invalid_answers_write_nothing(self, runner, tmp_path: Path) -> None:
        bad = tmp_path / "bad.yaml"
        bad.write_text(self.EXAMPLE.read_text().replace("voting: weighted", "voting: loudest"))
        out = tmp_path / "out"
        result = runner.invoke(main, ["assemble", str(bad), "-o", str(out)])
        assert result.exit_code == 1
        assert "governance.voting" in result.output and "loudest" in result.output
        assert not out.exists()

    def test_notes_become_comments(self, runner, tmp_path: Path) -> None:
        result = runner.invoke(main, ["assemble", str(self.EXAMPLE), "-o", str(tmp_path),
                                      "--notes"])
        assert result.exit_code == 0
        with zipfile.ZipFile(tmp_path / "collaboration-agreement.docx") as package:
            comments = package.read("word/comments.xml").decode()
        assert "Weighted" in comments or "weight" in comments

    def test_provenance_command(self, runner, tmp_path: Path) -> None:
        runner.invoke(main, ["assemble", str(self.EXAMPLE), "-o", str(tmp_path)])
        result = runner.invoke(main, ["provenance", str(tmp_path / "collaboration-agreement.docx")])
        shown = json.loads(result.output)
        library = load_library()
        assert shown["library_version"] == library.version
        assert {"id": "voting", "version": library.get("voting").version,
                "variant": "weighted"} in shown["clauses"]
