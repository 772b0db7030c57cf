"""The pack: which documents a collaborative gets, and that each one is a sound Word document.

The round-trip tests open every kind of document in LibreOffice (headless), save it again
and read the result back with python-docx and as LibreOffice's own text, because that is
what a reader sees: numbers Word computes, cross-references it resolves.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from drafting.build.assemble import load_outline
from drafting.build.pack import build_document, draft_pack, plan, to_pdf
from drafting.cli import main
from drafting.errors import AnswersError, AssemblyError, ConversionError
from drafting.model import Paragraph
from drafting.read.answers import Answers
from drafting.read.library import Library, load_library
from drafting.read.load import LoadedAnswers, load_answers, parse_answers
from drafting.write.convert import convert
from drafting.write.docx import read_provenance, write_docx
from drafting.write.text import write_text
from tests.conftest import ANSWERS_DIR

NORTH_EAST = ANSWERS_DIR / "north-east-mental-health.yaml"
SOUTH = ANSWERS_DIR / "south-acute-alliance.yaml"
WEST = ANSWERS_DIR / "west-community-partnership.yaml"
MERSEY = ANSWERS_DIR / "mersey-elective-hub.yaml"
MOU_ONLY = Path(__file__).parent / "answers" / "scenarios" / "mou-only.yaml"


@lru_cache(maxsize=1)
def library() -> Library:
    return load_library()


def variant(path: Path, **changes: Any) -> LoadedAnswers:
    """An example answers file with top-level keys replaced (`governance={...}` merges)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    if "sub_contracts" not in data["documents"]:
        data.pop("sub_contract_terms", None)  # the partners' terms go with their sub-contracts
    return parse_answers(yaml.safe_dump(data, sort_keys=False), file=f"{path.stem}-variant.yaml")


def text_of(loaded: LoadedAnswers, kind: str, partner: str | None = None) -> str:
    return write_text(build_document(library(), loaded, kind, partner))


# --------------------------------------------------------------------------- plan


class TestPlan:
    def test_north_east_gets_every_document_and_a_sub_contract_per_partner(self) -> None:
        names = [p.filename for p in plan(load_answers(NORTH_EAST).answers)]
        assert names == [
            "collaboration-agreement.docx",
            "sub-contract-cntw.docx",
            "sub-contract-priory.docx",
            "committee-terms.docx",
            "data-sharing-agreement.docx",
            "accession-deed.docx",
        ]

    def test_lead_and_icb_observer_get_no_sub_contract(self) -> None:
        planned = plan(load_answers(NORTH_EAST).answers)
        partners = {p.partner_id for p in planned if p.kind == "sub_contract"}
        assert partners == {"cntw", "priory"}  # not tewv (lead), not ne-icb (ICB observer)

    def test_an_observer_provider_gets_no_sub_contract(self) -> None:
        data = yaml.safe_load(NORTH_EAST.read_text(encoding="utf-8"))
        for member in data["members"]:
            if member["id"] == "cntw":
                member["class"] = "observer"
        del data["sub_contract_terms"]["cntw"]  # an observer provides nothing (R23)
        loaded = parse_answers(yaml.safe_dump(data), file="observer.yaml")
        subs = [p.filename for p in plan(loaded.answers) if p.kind == "sub_contract"]
        assert subs == ["sub-contract-priory.docx"]

    def test_a_voluntary_sector_provider_gets_one_a_council_does_not(self) -> None:
        data = yaml.safe_load(NORTH_EAST.read_text(encoding="utf-8"))
        person = {"name": "A Person", "role": "Director"}
        data["members"] += [
            {"id": "carers", "name": "Carers Trust North CIC", "kind": "vcse",
             "class": "associate", "address": "1 Street, Durham", "company_number": "0123",
             "representative": person, "signatory": person, "annual_contract_value": 500000},
            {"id": "council", "name": "Durham County Council", "kind": "local_authority",
             "class": "associate", "address": "County Hall, Durham",
             "representative": person, "signatory": person, "annual_contract_value": 100000},
        ]
        data["sub_contract_terms"]["carers"] = {
            "services": [{"name": "Carers' support for families of inpatients",
                          "activity": "about 300 families a year", "annual_price": 450000}],
            "payment_basis": "block"}
        loaded = parse_answers(yaml.safe_dump(data), file="more.yaml")
        subs = [p.partner_id for p in plan(loaded.answers) if p.kind == "sub_contract"]
        assert subs == ["cntw", "priory", "carers"]
        text = text_of(loaded, "sub_contract", "carers")
        assert "not an NHS contract" in text
        assert "Covenant Member" not in text

    def test_only_the_documents_asked_for_in_a_fixed_order(self) -> None:
        loaded = variant(NORTH_EAST, documents=["accession_deed", "mou", "accession_deed"],
                         mou_binding=True)
        assert [(p.kind, p.filename) for p in plan(loaded.answers)] == [
            ("mou", "mou.docx"), ("accession_deed", "accession-deed.docx")]

    def test_every_example_plans_exactly_its_documents(self, example: Path) -> None:
        answers = load_answers(example).answers
        kinds = {p.kind for p in plan(answers)}
        wanted = {"sub_contract" if d == "sub_contracts" else d for d in answers.documents}
        assert kinds == wanted

    def test_shared_leadership_cannot_have_sub_contracts(self) -> None:
        with pytest.raises(AnswersError) as caught:
            variant(WEST, documents=["collaboration_agreement", "sub_contracts"])
        assert any(p.rule == "R14" for p in caught.value.errors)

    def test_plan_refuses_sub_contracts_without_a_lead_even_unvalidated(self) -> None:
        data = yaml.safe_load(WEST.read_text(encoding="utf-8"))
        data["documents"] = ["sub_contracts"]
        answers = Answers.model_validate(data)  # bypasses the rules on purpose
        with pytest.raises(AssemblyError, match="lead provider"):
            plan(answers)


# --------------------------------------------------------------------------- content


class TestSubContracts:
    def test_parties_are_the_lead_and_that_partner_only(self) -> None:
        doc = build_document(library(), load_answers(NORTH_EAST), "sub_contract", "priory")
        parties = write_text(doc).split("1 PARTICULARS")[0]
        assert len(doc.parties) == 2
        assert "TEES, ESK AND WEAR VALLEYS" in parties and "PRIORY HEALTHCARE" in parties
        assert "CUMBRIA" not in parties and "INTEGRATED CARE BOARD" not in parties

    def test_each_party_signs_once(self) -> None:
        text = text_of(load_answers(NORTH_EAST), "sub_contract", "priory")
        assert text.count("Signed for and on behalf of Tees, Esk and Wear Valleys") == 1
        assert text.count("Signed for and on behalf of Priory Healthcare Limited") == 1
        assert "Cumbria, Northumberland" not in text.split("1 PARTICULARS")[0]

    def test_schedules_are_numbered_as_the_head_contract(self) -> None:
        doc = build_document(library(), load_answers(NORTH_EAST), "sub_contract", "cntw")
        numbers = {s.title: s.number for s in doc.schedules}
        assert numbers["Service commencement and term"] == "Schedule 1"
        assert numbers["Services"] == "Schedule 2"
        assert numbers["Payment"] == "Schedule 3"
        assert numbers["Quality requirements"] == "Schedule 4"
        assert numbers["Contract management, reporting and information requirements"] == \
            "Schedule 6"
        assert numbers["Staff transfer"] == "Schedule 8"
        text = write_text(doc)
        assert "Part I: Exit arrangements" in text

    def test_independent_sector_partner_gets_competition_and_covenant_terms(self) -> None:
        text = text_of(load_answers(NORTH_EAST), "sub_contract", "priory")
        assert "Competition Act 1998" in text
        assert "Covenant Member" in text
        assert "not an NHS contract" in text

    def test_nhs_partner_gets_nhs_contract_status_and_no_covenant_terms(self) -> None:
        text = text_of(load_answers(NORTH_EAST), "sub_contract", "cntw")
        assert "this Sub-Contract is an NHS contract" in text
        assert "section 9 of the NHS Act" in text and "section 9(5)" not in text
        assert "Covenant Member" not in text

    def test_term_ends_no_later_than_the_head_contract(self) -> None:
        loaded = variant(NORTH_EAST, collaborative={
            **yaml.safe_load(NORTH_EAST.read_text())["collaborative"],
            "term": {"kind": "fixed_years", "years": 10}})
        text = text_of(loaded, "sub_contract", "cntw")
        assert "31 March 2032" in text  # the head contract's end, not 2037
        assert "31 March 2037" not in text

    def test_payment_days_and_route_come_from_the_answers(self) -> None:
        text = text_of(load_answers(NORTH_EAST), "sub_contract", "cntw")
        # round 13 (D5): numbers as figures; the period is still the answers' payment_days (30)
        assert "pays each valid and undisputed invoice within 30 days of receiving it" in text
        assert "direct award process C" in text


class TestOtherDocuments:
    def test_non_binding_mou_lists_the_clauses_that_bind(self) -> None:
        text = text_of(load_answers(SOUTH), "mou")
        assert "not legally binding" in text
        binding = text[text.index("The following provisions are legally binding"):]
        assert "(confidentiality and freedom of information)" in binding
        assert "(costs)" in binding and "(each party's own costs)" in binding
        # round 9 (C1.1): the law alone; the dispute clause's routing sub-clause is listed
        assert "(governing law)" in binding
        assert "(where a dispute about these provisions is resolved)" in binding
        listed = binding[:binding.index("(governing law)")]
        numbers = re.findall(r"clause (\d+)", listed)
        assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)  # document order

    def test_binding_mou_says_so(self) -> None:
        text = text_of(variant(SOUTH, mou_binding=True), "mou")
        assert "is legally binding on the parties" in text
        assert "not legally binding" not in text

    @pytest.mark.parametrize(("vehicle", "phrase"), [
        ("committees_in_common", "decides for its own Member only"),
        ("joint_committee", "binds each Voting Member"),
        ("advisory_group", "takes no decisions"),
    ])
    def test_terms_of_reference_follow_the_vehicle(self, vehicle: str, phrase: str) -> None:
        changes: dict[str, Any] = {"governance": {"vehicle": vehicle}}
        if vehicle == "advisory_group":
            changes["governance"] = {"vehicle": vehicle, "reserved_matters": [],
                                     "delegated_matters": [], "deadlock": "refer_to_boards"}
        text = text_of(variant(SOUTH, **changes), "committee_terms")
        assert phrase in text

    def test_data_sharing_follows_the_controller_model(self) -> None:
        joint = text_of(load_answers(SOUTH), "data_sharing")
        independent = text_of(variant(SOUTH, data={"controller_model": "independent"}),
                              "data_sharing")
        assert "Article 26" in joint
        assert "Article 26" not in independent

    def test_accession_deed_has_blanks_for_the_new_member(self) -> None:
        doc = build_document(library(), load_answers(NORTH_EAST), "accession_deed")
        parties = write_text(doc).split("\n1 ")[0]
        assert "[●] (company number or ODS code [●]) of [●]" in parties
        assert "(the New Member)" not in parties  # defined once, in the definitions
        members = [m for m in load_answers(NORTH_EAST).answers.members
                   if m.member_class != "observer"]
        assert len(doc.parties) == len(members) + 1  # every existing member, and the new one
        assert "Integrated Care Board" not in parties  # the observer is no party to it
        assert "Executed as a deed by" in write_text(doc)

    @pytest.mark.parametrize("kind", ["sub_contract", "mou", "committee_terms", "data_sharing",
                                      "accession_deed"])
    def test_outline_draws_every_clause_written_for_its_document(self, kind: str) -> None:
        tagged = {c.id for c in library().current() if kind in c.documents}
        outline = load_outline(kind)
        # the background clause is drawn as the recitals, not as a numbered clause
        assert set(outline.clauses) | {outline.background} == tagged

    def test_shared_clause_reads_the_same_in_two_documents(self) -> None:
        loaded = load_answers(NORTH_EAST)
        agreement = build_document(library(), loaded, "collaboration_agreement")
        sub = build_document(library(), loaded, "sub_contract", "priory")
        versions = {c.id: c.version for c in agreement.clauses}
        for clause in sub.clauses:
            if clause.id in versions:
                assert clause.version == versions[clause.id]


# --------------------------------------------------------------------------- files


class TestDraftPack:
    def test_files_match_the_plan_and_carry_their_own_provenance(self, example: Path) -> None:
        loaded = load_answers(example)
        files = draft_pack(library(), loaded)
        planned = plan(loaded.answers)
        assert list(files) == [p.filename for p in planned]
        for p in planned:
            provenance = read_provenance(files[p.filename])
            assert provenance is not None
            assert provenance["document"] == p.kind
            assert provenance["partner"] == p.partner_id
            assert provenance["answers_sha256"] == loaded.sha256

    def test_same_answers_same_bytes(self) -> None:
        loaded = load_answers(NORTH_EAST)
        assert draft_pack(library(), loaded) == draft_pack(library(), loaded)

    def test_to_pdf_without_libreoffice_is_a_clear_error(self, monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
        monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere on it
        source = tmp_path / "mou.docx"
        source.write_bytes(b"not converted")
        with pytest.raises(ConversionError, match="LibreOffice"):
            to_pdf([source], tmp_path)
        assert not (tmp_path / "mou.pdf").exists()


# --------------------------------------------------------------------------- round trip

_NUMBERED_STYLES = ("ClauseHeading", "ClauseL1", "ClauseL2", "ClauseL3", "ScheduleHeading")


def _ref_results(path: Path) -> list[tuple[str, str]]:
    """Each REF field in `path`'s body: (bookmark, the text shown for it)."""
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    out = []
    for match in re.finditer(
            r'<w:instrText[^>]*>\s*REF\s+(\S+)[^<]*</w:instrText>.*?'
            r'<w:fldChar w:fldCharType="separate"/>(.*?)<w:fldChar w:fldCharType="end"/>',
            xml, re.S):
        shown = "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", match.group(2)))
        out.append((match.group(1), shown))
    return out


def round_trip_checks(data: bytes, name: str, expected: dict[str, str], tmp: Path) -> str:
    """Save `data` through LibreOffice and check what a reader would see; return LO's text."""
    source = tmp / name
    source.write_bytes(data)
    again = convert(source, "docx", tmp / "lo")
    text = convert(source, "txt:Text", tmp / "txt").read_text(encoding="utf-8-sig")
    assert "Error! Reference source not found" not in text
    assert "Reference source not found" not in text

    reread = docx.Document(str(again))
    for paragraph in reread.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        if numbered or style.replace(" ", "") in _NUMBERED_STYLES:
            assert paragraph.text.strip(), f"{name}: empty numbered paragraph ({style})"

    # Every cross-reference shows its target's number, as computed in the model.
    refs = _ref_results(source)
    for bookmark, shown in refs:
        assert bookmark in expected, f"{name}: REF to unknown bookmark {bookmark}"
        assert shown == expected[bookmark], f"{name}: REF {bookmark} shows {shown!r}"
    for number in {expected[b] for b, _ in refs}:
        assert number in text, f"{name}: LibreOffice does not show reference {number}"

    # Numbers as LibreOffice computes them: clauses 1, 2, 3 ... and in each clause 1, 2, 3 ...
    heads = [int(m) for m in re.findall(r"^ {4}(\d+) \S", text, re.M)]
    assert heads == list(range(1, len(heads) + 1)), f"{name}: clause numbers {heads}"
    subs: dict[int, list[int]] = {}
    for clause, sub in re.findall(r"^ {8}(\d+)\.(\d+) \S", text, re.M):
        subs.setdefault(int(clause), []).append(int(sub))
    for clause, numbers in subs.items():
        assert numbers == list(range(1, len(numbers) + 1)), f"{name}: {clause}.{numbers}"
    empty = re.findall(r"^ +(?:\d+(?:\.\d+)*|\([a-z]+\)|\([ivx]+\)) *$", text, re.M)
    assert not empty, f"{name}: numbered paragraphs with no text: {empty}"
    return text


ROUND_TRIPS = [
    (NORTH_EAST, "sub_contract", "priory"),
    (NORTH_EAST, "sub_contract", "cntw"),
    (SOUTH, "mou", None),
    (SOUTH, "committee_terms", None),
    (SOUTH, "data_sharing", None),
    (NORTH_EAST, "accession_deed", None),
    (NORTH_EAST, "committee_terms", None),
    (WEST, "mou", None),
]


@pytest.mark.parametrize(("answers", "kind", "partner"), ROUND_TRIPS,
                         ids=[f"{k}-{p or a.stem.split('-')[0]}" for a, k, p in ROUND_TRIPS])
def test_libreoffice_round_trip(answers: Path, kind: str, partner: str | None,
                                tmp_path: Path) -> None:
    document = build_document(library(), load_answers(answers), kind, partner)
    expected = {t.bookmark: t.number for t in document.targets.values()}
    text = round_trip_checks(write_docx(document), f"{kind}.docx", expected, tmp_path)
    # LibreOffice shows each clause, sub-clause and schedule with the model's number.
    lines = {line.strip() for line in text.splitlines()}
    for clause in document.clauses:
        assert f"{clause.number} {clause.title}" in lines
        for block in clause.blocks:
            if isinstance(block, Paragraph) and block.level == 1:
                assert any(line.startswith(f"{block.number} ") for line in lines), block.number
    for schedule in document.schedules:
        assert f"{schedule.number} {schedule.title}" in lines


def test_pdf_of_a_sub_contract(tmp_path: Path) -> None:
    files = draft_pack(library(), load_answers(NORTH_EAST))
    source = tmp_path / "sub-contract-priory.docx"
    source.write_bytes(files[source.name])
    (pdf,) = to_pdf([source], tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_documents_open_in_python_docx(example: Path) -> None:
    for name, data in draft_pack(library(), load_answers(example)).items():
        document = docx.Document(io.BytesIO(data))
        assert document.paragraphs, name


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_paragraph_and_run_properties_come_once_and_first(example: Path) -> None:
    """Word's schema allows one w:pPr per paragraph (one w:rPr per run), before its content;
    a second one (once in every header and footer) makes Word offer to repair the file."""
    for name, data in draft_pack(library(), load_answers(example)).items():
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = [n for n in package.namelist()
                     if n.startswith("word/") and n.endswith(".xml") and "/_rels/" not in n]
            for part in parts:
                root = etree.fromstring(package.read(part))
                for tag, props in (("p", "pPr"), ("r", "rPr")):
                    for element in root.iter(W + tag):
                        found = [i for i, child in enumerate(element) if child.tag == W + props]
                        assert found in ([], [0]), f"{name} {part}: w:{tag} with w:{props} at {found}"
                for ppr in root.iter(W + "pPr"):
                    kinds = [child.tag for child in ppr]
                    if W + "pStyle" in kinds:
                        assert kinds.index(W + "pStyle") == 0, f"{name} {part}: pStyle not first"


# --------------------------------------------------------------------------- command line


class TestAssembleCommand:
    def test_writes_exactly_the_planned_files_each_with_its_provenance(
            self, runner: CliRunner, tmp_path: Path) -> None:
        result = runner.invoke(main, ["assemble", str(NORTH_EAST), "-o", str(tmp_path)])
        assert result.exit_code == 0, result.output
        planned = plan(load_answers(NORTH_EAST).answers)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.filename for p in planned)
        for p in planned:
            shown = runner.invoke(main, ["provenance", str(tmp_path / p.filename)])
            assert shown.exit_code == 0, shown.output
            provenance = json.loads(shown.stdout)
            assert provenance["document"] == p.kind
            assert provenance["partner"] == p.partner_id
            assert {c["id"] for c in provenance["clauses"]} >= {"definitions", "execution"}

    def test_shared_leadership_with_sub_contracts_exits_1_and_writes_nothing(
            self, runner: CliRunner, tmp_path: Path) -> None:
        data = yaml.safe_load(WEST.read_text(encoding="utf-8"))
        data["documents"] = ["collaboration_agreement", "sub_contracts"]
        answers = tmp_path / "west.yaml"
        answers.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        out = tmp_path / "out"
        result = runner.invoke(main, ["assemble", str(answers), "-o", str(out)])
        assert result.exit_code == 1
        assert "[R14]" in result.stderr and "lead-provider model" in result.stderr
        assert not out.exists()

    def test_pdf_option_saves_a_pdf_beside_each_document(self, runner: CliRunner,
                                                         tmp_path: Path) -> None:
        result = runner.invoke(main, ["assemble", str(MERSEY), "-o", str(tmp_path), "--pdf"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "mou.pdf").read_bytes().startswith(b"%PDF")
        again = runner.invoke(main, ["assemble", str(MERSEY), "-o", str(tmp_path), "--pdf"])
        assert again.exit_code == 1 and "--force" in again.stderr

    def test_pdf_option_without_libreoffice_says_how_to_fix(
            self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PATH", str(tmp_path))
        result = runner.invoke(main, ["assemble", str(MERSEY), "-o", str(tmp_path / "out"),
                                      "--pdf"])
        assert result.exit_code == 1
        assert "LibreOffice" in result.stderr and "leave out --pdf" in result.stderr
        assert not list((tmp_path / "out").glob("*.pdf"))


class TestEveryChoiceDrafts:
    """Each answer that switches a pack document's wording drafts without a dangling reference."""

    @pytest.mark.parametrize("vehicle", ["advisory_group", "individual_decision_makers",
                                         "committees_in_common", "joint_committee",
                                         "partnership_board"])
    def test_terms_of_reference_for_every_vehicle(self, vehicle: str) -> None:
        governance: dict[str, Any] = {"vehicle": vehicle}
        if vehicle == "advisory_group":  # R8: an advisory group decides nothing
            governance["reserved_matters"] = governance["delegated_matters"] = []
        doc = build_document(library(), variant(SOUTH, governance=governance), "committee_terms")
        assert doc.clauses[0].variant == vehicle.replace("_", "-")

    @pytest.mark.parametrize("route", ["direct_award_a", "direct_award_b", "direct_award_c",
                                       "most_suitable_provider", "competitive"])
    def test_sub_contract_for_every_selection_route(self, route: str) -> None:
        loaded = variant(NORTH_EAST, head_contract={"provider_selection_route": route})
        text = text_of(loaded, "sub_contract", "cntw")
        assert "Provider Selection Regime" in text

    @pytest.mark.parametrize("model", ["independent", "joint", "lead_processor"])
    def test_data_sharing_for_every_controller_model(self, model: str) -> None:
        loaded = variant(NORTH_EAST, data={"controller_model": model},
                         documents=["data_sharing"])
        doc = build_document(library(), loaded, "data_sharing")
        variants = {c.id: c.variant for c in doc.clauses}
        assert variants["data-protection"] == model.replace("_", "-")

    @pytest.mark.parametrize("binding", [True, False])
    @pytest.mark.parametrize("finance", ["no_pooling", "running_costs"])
    def test_mou_with_and_without_running_costs(self, binding: bool, finance: str) -> None:
        loaded = variant(MERSEY, mou_binding=binding,
                         finance={"model": finance, "running_cost_split": "equal"})
        doc = build_document(library(), loaded, "mou")
        titles = [s.title for s in doc.schedules]
        # Spire signs: its Commercially Sensitive Information has a schedule of its own
        assert titles[-3:] == ["Workplan", "Terms of reference of the Steering Group",
                               "Commercially Sensitive Information"]
        # The Information Hub of an MOU with an independent-sector member is a shared cost
        # that the costs clause names, so that clause is there even without running costs.
        hub = loaded.answers.competition.information_barrier == "hub" and any(
            m.kind == "independent_sector" for m in loaded.answers.members)
        assert hub
        assert ("mou-costs" in {c.id for c in doc.clauses}) == (
            binding or finance != "no_pooling" or hub)
        no_hub = variant(MOU_ONLY, mou_binding=binding,
                         finance={"model": finance, "running_cost_split": "equal"})
        doc = build_document(library(), no_hub, "mou")
        assert ("mou-costs" in {c.id for c in doc.clauses}) == (binding or finance != "no_pooling")

    @pytest.mark.parametrize(("gateway", "phrase"), [
        ("direct_care", "individual care"),
        ("s251", "251"),
        ("consent", "explicit consent"),
    ])
    def test_data_sharing_states_the_legal_gateway(self, gateway: str, phrase: str) -> None:
        loaded = variant(SOUTH, data={"legal_gateway": gateway})
        assert phrase in text_of(loaded, "data_sharing")
