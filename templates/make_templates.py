"""Build the Word frames `templates/<kind>.docx`, one per outline `templates/<kind>.yaml`.

A frame is the part of a document that is the same for every collaborative: page set-up,
styles, Word multi-level numbering for clauses and schedules, the cover page, headers and
footers. It holds only plain `{{ name }}` placeholders (filled by `drafting.write.docx`
with literal text) and one `{{p body }}` paragraph where the drafted body goes; never any
Jinja logic. Placeholders: title, collaborative_name, short_name, commencement_date,
lead_name, partner_name, parties, generator.

Run it after changing the styles: `python templates/make_templates.py`. The output is
deterministic (fixed zip timestamps), so an unchanged frame gives an unchanged file.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

import docx
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from drafting.write import oxml

HERE = Path(__file__).resolve().parent
_DROP = ("docProps/thumbnail.jpeg", "customXml/", "word/stylesWithEffects.xml")


CA_COVER = [
    ("CoverTitle", "{{ title }}", False),
    ("CoverText", "relating to the", False),
    ("CoverText", "{{ collaborative_name }}", True),
    ("CoverText", "between", False),
    ("CoverText", "{{ parties }}", False),
    ("CoverText", "Dated " + "_" * 24, False),
]
"""The collaboration agreement's cover: (style, text, bold) per paragraph."""


def build_frame(cover: list[tuple[str | None, str, bool]], title_hint: str) -> bytes:
    """A frame: A4 page, the cover paragraphs, a page break, the body placeholder, then a
    header with the short name and a footer with the title and page number.

    Every document kind's frame is made here, so they differ only in their covers.
    """
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    body = document.element.body
    for child in list(body):
        if child.tag != oxml.qn("w:sectPr"):
            body.remove(child)
    elements = [oxml.paragraph(style, [oxml.run(text, bold=bold)]) for style, text, bold in cover]
    elements += [oxml.page_break(), oxml.paragraph(None, [oxml.run("{{p body }}")])]
    sect_pr = body.find(oxml.qn("w:sectPr"))
    for element in elements:
        sect_pr.addprevious(element)
    section.different_first_page_header_footer = True
    # python-docx's own paragraph API sets the alignment inside the paragraph's one w:pPr
    # (after its style, in schema order): a second w:pPr is invalid and Word may repair it
    header_paragraph = section.header.paragraphs[0]
    header_paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header = header_paragraph._p
    header.append(oxml.run("{{ short_name }}"))
    footer_paragraph = section.footer.paragraphs[0]
    footer_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = footer_paragraph._p
    footer.append(oxml.run("{{ title }} \u2013 page "))
    footer.extend(oxml.field("PAGE", [oxml.run("1")]))
    document.core_properties.title = title_hint
    buffer = io.BytesIO()
    document.save(buffer)
    return _finish(buffer.getvalue())


def _finish(data: bytes) -> bytes:
    """Swap in our numbering and styles, drop python-docx's sample parts, zip deterministically."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {n: package.read(n) for n in package.namelist()
                 if not n.startswith(_DROP)}
    parts["word/numbering.xml"] = oxml.numbering_part()
    styles = oxml.parse(parts["word/styles.xml"])
    oxml.add_styles(styles)
    parts["word/styles.xml"] = oxml.read_part_xml(styles)
    for rels_name in ("_rels/.rels", "word/_rels/document.xml.rels"):
        rels = oxml.parse(parts[rels_name])
        for rel in list(rels):
            target = rel.get("Target", "")
            if any(d.rstrip("/").split("/")[-1] in target for d in _DROP) or "customXml" in target:
                rels.remove(rel)
        parts[rels_name] = oxml.read_part_xml(rels)
    types = oxml.parse(parts["[Content_Types].xml"])
    for override in list(types):
        name = override.get("PartName", "").lstrip("/")
        if name and name.startswith(_DROP):
            types.remove(override)
    parts["[Content_Types].xml"] = oxml.read_part_xml(types)
    return oxml.zip_package(parts, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


# The pack's other documents have covers of their own: make_pack_templates.py builds them.
PACK_KINDS = ("sub_contract", "mou", "committee_terms", "data_sharing", "accession_deed")


def main(argv: list[str]) -> int:
    """Build the frame of each outline given (all outlines when none)."""
    outlines = [HERE / f"{k}.yaml" for k in argv] or sorted(HERE.glob("*.yaml"))
    for outline in outlines:
        if outline.stem in PACK_KINDS:
            print(f"skipped {outline.stem}.docx: run make_pack_templates.py for it")
            continue
        data = yaml.safe_load(outline.read_text(encoding="utf-8"))
        target = outline.with_suffix(".docx")
        target.write_bytes(build_frame(CA_COVER, str(data.get("title", outline.stem))))
        print(f"wrote {target.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
