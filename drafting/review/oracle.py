"""An independent reader of a .docx, to prove a redline: what a reader sees, story by story.

`drafting compare --check` must not trust the code that wrote the redline, so this module
shares none of it: it reads the zip itself, resolves tracked changes by the plain rules
of the format (accepting keeps ``w:ins``/``w:moveTo`` and drops ``w:del``/``w:moveFrom``;
rejecting does the opposite and puts back what ``w:*PrChange`` recorded; a paragraph whose
mark goes away joins the next paragraph, and a mark with no paragraph after it stays), and
renders each story as lines of normalised text and structure:

- ``body``; ``header s2 first`` / ``footer s1 default`` (section and kind; a section without
  its own header inherits the previous one; first-page ones count only when the section
  asks for them, even-page ones only when the document does); ``footnotes`` and
  ``endnotes`` (the notes the text refers to, in reference order); ``text boxes``.
- A line is a paragraph: its place in a table (cell spans and merges included), its
  visible paragraph properties, then its text, with run formatting, note references,
  equations, pictures (by the image's bytes), links (by target) and field codes inline.

Formatting is compared as a reader sees it: a property set by the style or by the run
counts the same, and session noise (rsids, language, proofing marks) is not formatting.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

__all__ = ["Mode", "check_stories", "read_stories"]

Mode = Literal["accept", "reject"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def w(local: str) -> str:
    return f"{{{_W}}}{local}"


def m(local: str) -> str:
    return f"{{{_M}}}{local}"


# --- the package -----------------------------------------------------------------------------


@dataclass
class _Doc:
    parts: dict[str, bytes]
    main: str
    styles: _Styles = field(init=False)

    def xml(self, name: str) -> etree._Element | None:
        blob = self.parts.get(name)
        if blob is None:
            return None
        return etree.fromstring(blob, etree.XMLParser(huge_tree=True, remove_comments=True))

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """rId -> (type, target part name or URL, external) of one part."""
        folder, name = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", name + ".rels"))
        out: dict[str, tuple[str, str, bool]] = {}
        if root is None:
            return out
        for rel in root.iter(f"{{{_PKG_REL}}}Relationship"):
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                target = (target.lstrip("/") if target.startswith("/")
                          else posixpath.normpath(posixpath.join(folder, target)))
            out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target, external)
        return out


def _open(source: bytes | str | Path) -> _Doc:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    main = "word/document.xml"
    root_rels = parts.get("_rels/.rels")
    if root_rels is not None:
        for rel in etree.fromstring(root_rels).iter(f"{{{_PKG_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                main = rel.get("Target", main).lstrip("/")
    doc = _Doc(parts, main)
    doc.styles = _Styles(doc.xml(posixpath.join(posixpath.dirname(main), "styles.xml")))
    return doc


# --- visible formatting ----------------------------------------------------------------------

_TOGGLES = ("b", "i", "strike", "dstrike", "caps", "smallCaps", "vanish", "outline", "shadow",
            "emboss", "imprint")
_VALUED = {"u": "none", "vertAlign": "baseline", "color": "auto", "highlight": "none",
           "sz": None, "rStyle": None}
_PARA = ("jc", "ind", "spacing", "numPr")


def _run_props(rpr: etree._Element | None) -> dict[str, str]:
    """The visible run properties set by `rpr`, "off" where a toggle is switched off."""
    out: dict[str, str] = {}
    if rpr is None:
        return out
    for child in rpr:
        if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{_W}}}"):
            continue
        name = etree.QName(child).localname
        val = child.get(w("val"))
        if name in _TOGGLES:
            out[name] = "off" if val in ("0", "false", "off") else "on"
        elif name in _VALUED:
            out[name] = (val or "") if name == "rStyle" else (val or "").lower()
    return out


def _para_props(ppr: etree._Element | None) -> dict[str, str]:
    """Visible paragraph properties: alignment, numbering, and each spacing and indent
    value on its own (so a style's spacing and a paragraph's own combine)."""
    out: dict[str, str] = {}
    if ppr is None:
        return out
    for child in ppr:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if name == "jc":
            value = child.get(w("val")) or ""
            out["jc"] = {"left": "start", "right": "end"}.get(value, value)
        elif name in ("spacing", "ind"):
            for k, v in child.attrib.items():
                local = etree.QName(k).localname
                if local.endswith(("Chars", "Lines", "Autospacing")):
                    continue
                if name == "ind":
                    local = {"start": "left", "end": "right"}.get(local, local)
                out[f"{name}.{local}"] = v
        elif name == "numPr":
            ilvl, num = child.find(w("ilvl")), child.find(w("numId"))
            numbered = num is None or num.get(w("val")) != "0"
            out["numPr"] = f"{ilvl.get(w('val')) if ilvl is not None else '0'}/{numbered}"
    return out


_PARA_DEFAULTS = {"jc": "start", "spacing.before": "0", "spacing.after": "0",
                  "ind.left": "0", "ind.start": "0", "ind.right": "0", "ind.end": "0",
                  "ind.hanging": "0", "ind.firstLine": "0"}


class _Styles:
    """Style definitions, for what a style gives a paragraph or a run."""

    def __init__(self, root: etree._Element | None) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.default_para: str | None = None
        self.doc_run: dict[str, str] = {}
        self.doc_para: dict[str, str] = {}
        if root is None:
            return
        defaults = root.find(w("docDefaults"))
        if defaults is not None:
            self.doc_run = _run_props(defaults.find(f"{w('rPrDefault')}/{w('rPr')}"))
            self.doc_para = _para_props(defaults.find(f"{w('pPrDefault')}/{w('pPr')}"))
        for style in root.iter(w("style")):
            sid = style.get(w("styleId"))
            if sid is None:
                continue
            self.by_id[sid] = style
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true"):
                self.default_para = sid
        self._cache: dict[tuple[str, str | None], tuple[dict[str, str], dict[str, str]]] = {}

    def chain(self, sid: str | None) -> list[etree._Element]:
        out: list[etree._Element] = []
        seen: set[str] = set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            style = self.by_id[sid]
            out.append(style)
            based = style.find(w("basedOn"))
            sid = based.get(w("val")) if based is not None else None
        return list(reversed(out))

    def of(self, kind: str, sid: str | None) -> tuple[dict[str, str], dict[str, str]]:
        """(paragraph props, run props) a style gives, with its base styles."""
        key = (kind, sid)
        if key not in self._cache:
            para: dict[str, str] = {}
            run: dict[str, str] = {}
            for style in self.chain(sid):
                para.update(_para_props(style.find(w("pPr"))))
                run.update(_run_props(style.find(w("rPr"))))
            self._cache[key] = (para, run)
        return self._cache[key]


def _visible(props: dict[str, str]) -> str:
    items = []
    single = props.get("spacing.line") == "240" and props.get("spacing.lineRule", "auto") == "auto"
    for name, value in sorted(props.items()):
        if value == "off" or (name in _VALUED and value == _VALUED[name]):
            continue
        if name == "color" and value == "000000":
            continue
        if _PARA_DEFAULTS.get(name) == value or (single and name.startswith("spacing.line")):
            continue
        if name == "spacing.lineRule" and "spacing.line" not in props:
            continue
        items.append(name if value == "on" else f"{name}={value}")
    return ",".join(items)


# --- resolving tracked changes ---------------------------------------------------------------

_CHANGES = ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
            "tblGridChange", "tblPrExChange", "numberingChange")


def _resolve(root: etree._Element, mode: Mode) -> None:
    keep = ("ins", "moveTo") if mode == "accept" else ("del", "moveFrom")
    drop = ("del", "moveFrom") if mode == "accept" else ("ins", "moveTo")
    keep_tags = tuple(w(t) for t in keep)
    drop_tags = tuple(w(t) for t in drop)

    def on_mark(el: etree._Element) -> bool:
        parent = el.getparent()
        return parent is not None and parent.tag in (w("rPr"), w("trPr"))

    for tr in list(root.iter(w("tr"))):
        trpr = tr.find(w("trPr"))
        if trpr is not None and any(trpr.find(t) is not None for t in drop_tags):
            tr.getparent().remove(tr)
    for tbl in list(root.iter(w("tbl"))):
        if tbl.find(w("tr")) is None:
            tbl.getparent().remove(tbl)
    cell_drop = w("cellDel") if mode == "accept" else w("cellIns")
    for tc in list(root.iter(w("tc"))):
        tcpr = tc.find(w("tcPr"))
        if tcpr is not None and tcpr.find(cell_drop) is not None:
            tc.getparent().remove(tc)
    joining = []
    for p in root.iter(w("p")):
        rpr = p.find(f"{w('pPr')}/{w('rPr')}")
        if rpr is not None and any(rpr.find(t) is not None for t in drop_tags):
            joining.append(p)
    for el in list(root.iter(*drop_tags)):
        if not on_mark(el) and el.getparent() is not None:
            el.getparent().remove(el)
    for el in list(root.iter(*keep_tags)):
        if on_mark(el):
            continue
        parent = el.getparent()
        if parent is None:
            continue
        if mode == "reject":
            for t in el.iter(w("delText")):
                t.tag = w("t")
            for t in el.iter(w("delInstrText")):
                t.tag = w("instrText")
        at = parent.index(el)
        for offset, child in enumerate(list(el)):
            parent.insert(at + offset, child)
        parent.remove(el)
    for el in list(root.iter(*keep_tags, *drop_tags, w("cellIns"), w("cellDel"),
                             w("cellMerge"))):
        el.getparent().remove(el)
    for name in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"):
        for el in list(root.iter(w(name))):
            el.getparent().remove(el)
    for change in list(root.iter(*(w(n) for n in _CHANGES))):
        holder = change.getparent()
        if mode == "reject" and holder is not None:
            recorded = change.find("*")
            kept = {w("rPr"), w("sectPr"), w("pPrChange")} if change.tag == w("pPrChange") \
                else {w("headerReference"), w("footerReference")} \
                if change.tag == w("sectPrChange") else set()
            for child in list(holder):
                if child is not change and child.tag not in kept:
                    holder.remove(child)
            if recorded is not None:
                for i, child in enumerate(list(recorded)):
                    holder.insert(i, child)
        if change.getparent() is not None:
            change.getparent().remove(change)
    for p in joining:
        nxt = p.getnext()
        while nxt is not None and (not isinstance(nxt.tag, str) or nxt.tag in (
                w("bookmarkStart"), w("bookmarkEnd"), w("commentRangeStart"),
                w("commentRangeEnd"), w("proofErr"), w("permStart"), w("permEnd"))):
            nxt = nxt.getnext()
        if nxt is None or nxt.tag != w("p"):
            continue  # a paragraph mark with no paragraph after it cannot go
        content = [c for c in p if c.tag != w("pPr")]
        at = 1 if len(nxt) and nxt[0].tag == w("pPr") else 0
        for offset, child in enumerate(content):
            nxt.insert(at + offset, child)
        p.getparent().remove(p)


# --- rendering -------------------------------------------------------------------------------


@dataclass
class _Reader:
    doc: _Doc
    part: str
    notes: dict[str, list[str]]
    boxes: list[etree._Element]
    rels: dict[str, tuple[str, str, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rels = self.doc.rels(self.part)

    def target(self, rid: str | None) -> str:
        if not rid or rid not in self.rels:
            return "?"
        kind, target, external = self.rels[rid]
        if external:
            return target
        blob = self.doc.parts.get(target, b"")
        return f"{kind}:{hashlib.sha1(blob).hexdigest()[:10]}"

    def lines(self, container: etree._Element, prefix: str = "",
              table_style: str | None = None) -> Iterator[str]:
        tables = 0
        for child in container:
            if child.tag == w("p"):
                yield prefix + self.paragraph(child, table_style)
            elif child.tag == w("tbl"):
                ts = child.find(f"{w('tblPr')}/{w('tblStyle')}")
                inner_style = ts.get(w("val")) if ts is not None else None
                for r, tr in enumerate(child.findall(w("tr"))):
                    for c, tc in enumerate(tr.findall(w("tc"))):
                        tcpr = tc.find(w("tcPr"))
                        span = vmerge = ""
                        if tcpr is not None:
                            gs = tcpr.find(w("gridSpan"))
                            if gs is not None and gs.get(w("val"), "1") != "1":
                                span = f" span{gs.get(w('val'))}"
                            vm = tcpr.find(w("vMerge"))
                            if vm is not None:
                                vmerge = f" vmerge={vm.get(w('val')) or 'continue'}"
                        yield from self.lines(tc, f"{prefix}[t{tables} r{r} c{c}{span}{vmerge}] ",
                                              inner_style)
                tables += 1
            elif child.tag in (w("sdt"), w("customXml"), w("sdtContent")):
                content = child.find(w("sdtContent"))
                yield from self.lines(content if content is not None else child, prefix,
                                      table_style)
        blocks = [c for c in container if c.tag in (w("p"), w("tbl"), w("sdt"))]
        if not prefix and (not blocks or blocks[-1].tag == w("tbl")):
            # A story cannot end with a table, nor be empty: Word and LibreOffice show an
            # empty paragraph there.
            yield self.paragraph(etree.Element(w("p")))

    def paragraph(self, p: etree._Element, table_style: str | None = None) -> str:
        styles = self.doc.styles
        ppr = p.find(w("pPr"))
        sid = None
        if ppr is not None and ppr.find(w("pStyle")) is not None:
            sid = ppr.find(w("pStyle")).get(w("val"))
        sid = sid or styles.default_para
        para_style, run_style = styles.of("p", sid)
        table_para, table_run = styles.of("t", table_style) if table_style else ({}, {})
        props = {**styles.doc_para, **table_para, **para_style, **_para_props(ppr)}
        run_style = {**table_run, **run_style}
        head = f"{{{_visible(props)}}}"
        if ppr is not None and ppr.find(w("sectPr")) is not None:
            head += f"§{_layout(ppr.find(w('sectPr')))}"
        out: list[str] = []
        fmt = [""]

        def text(s: str, rpr: etree._Element | None, dest: list[str]) -> None:
            rprops = {**styles.doc_run, **run_style}
            direct = _run_props(rpr)
            rstyle = direct.get("rStyle")
            if rstyle:
                rprops.update(styles.of("r", rstyle)[1])
            rprops.update(direct)
            rprops.pop("rStyle", None)
            sig = _visible(rprops)
            if sig != fmt[0]:
                dest.append(f"⟦{sig}⟧")
                fmt[0] = sig
            dest.append(s)

        self.inline(p, out, text)
        return head + "".join(out)

    def inline(self, el: etree._Element, out: list[str], text) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag == w("pPr"):
                continue
            if tag == w("r"):
                rpr = child.find(w("rPr"))
                for item in child:
                    self.run_item(item, rpr, out, text)
            elif tag == w("hyperlink"):
                where = child.get(f"{{{_R}}}id")
                target = self.target(where) if where else "#" + (child.get(w("anchor")) or "")
                inner: list[str] = []
                self.inline(child, inner, text)
                opening = f"⟨link {target}⟩"
                if not inner:
                    continue  # a link left with no text shows nothing
                last_open = next((t for t in reversed(out) if t.startswith("⟨link ")), None)
                if out and out[-1] == "⟨/link⟩" and last_open == opening:
                    out.pop()  # two links side by side to one target read as one link
                    out.extend([*inner, "⟨/link⟩"])
                else:
                    out.extend([opening, *inner, "⟨/link⟩"])
            elif tag == w("fldSimple"):
                inner = []
                self.inline(child, inner, text)
                if inner:
                    out.extend([f"⟨field {' '.join((child.get(w('instr')) or '').split())}⟩",
                                *inner])
            elif tag in (m("oMath"), m("oMathPara")):
                out.append(f"⟨math {_math(child)}⟩")
            elif tag in (w("smartTag"), w("customXml"), w("dir"), w("bdo"), w("ins"), w("del"),
                         w("moveTo"), w("moveFrom")):
                self.inline(child, out, text)
            elif tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.inline(content, out, text)

    def run_item(self, item: etree._Element, rpr, out: list[str], text) -> None:
        tag = item.tag
        if tag == w("t"):
            text(item.text or "", rpr, out)
        elif tag in (w("tab"), w("ptab")):
            text("\t", rpr, out)
        elif tag == w("br"):
            text("⟨page⟩" if item.get(w("type")) == "page" else "\n", rpr, out)
        elif tag == w("cr"):
            text("\n", rpr, out)
        elif tag == w("noBreakHyphen"):
            text("\u2011", rpr, out)
        elif tag == w("softHyphen"):
            text("\u00ad", rpr, out)
        elif tag == w("sym"):
            text(f"⟨sym {item.get(w('char'))}⟩", rpr, out)
        elif tag == w("instrText"):
            out.append(f"⟨code {' '.join((item.text or '').split())}⟩")
        elif tag in (w("footnoteReference"), w("endnoteReference")):
            kind = "footnote" if tag == w("footnoteReference") else "endnote"
            self.notes.setdefault(kind, []).append(item.get(w("id")) or "")
            out.append(f"⟨{kind}⟩")
        elif tag in (w("drawing"), w("pict"), w("object"), f"{{{_MC}}}AlternateContent"):
            out.append(self.drawing(item))

    def drawing(self, el: etree._Element) -> str:
        if el.tag == f"{{{_MC}}}AlternateContent":
            choice = el.find(f"{{{_MC}}}Choice")
            inner = choice[0] if choice is not None and len(choice) else None
            return self.drawing(inner) if inner is not None else "⟨object⟩"
        box = next(el.iter(w("txbxContent")), None)
        if box is not None:
            self.boxes.append(box)
            return "⟨text box⟩"
        blips = [self.target(b.get(f"{{{_R}}}embed") or b.get(f"{{{_R}}}link"))
                 for b in el.iter(f"{{{_A}}}blip")]
        if blips:
            return f"⟨picture {' '.join(blips)}⟩"
        ids = [self.target(v) for item in el.iter() for k, v in item.attrib.items()
               if k.startswith(f"{{{_R}}}")]
        return f"⟨object {' '.join(ids)}⟩"


def _layout(sect: etree._Element) -> str:
    """A section's page as a reader sees it: size, orientation, margins, columns, a
    different first page, how it starts."""
    def get(name: str, attr: str, default: str = "") -> str:
        el = sect.find(w(name))
        return (el.get(w(attr)) or default) if el is not None else default

    first = sect.find(w("titlePg"))
    return (f"[{get('pgSz', 'w')}x{get('pgSz', 'h')} {get('pgSz', 'orient', 'portrait')}"
            f" margins {get('pgMar', 'top')},{get('pgMar', 'right')},{get('pgMar', 'bottom')},"
            f"{get('pgMar', 'left')},{get('pgMar', 'gutter', '0')} columns "
            f"{get('cols', 'num', '1')} start {get('type', 'val', 'nextPage')} valign "
            f"{get('vAlign', 'val', 'top')}"
            f"{' first-page' if first is not None and first.get(w('val')) not in ('0', 'false', 'off') else ''}]")


def _math(el: etree._Element) -> str:
    parts: list[str] = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if name.endswith("Pr") or child.tag == w("rPr"):
            continue
        if child.tag == m("t"):
            parts.append(child.text or "")
        elif child.tag in (m("r"), w("ins"), w("del")):
            parts.append(_math(child))
        else:
            parts.append(f"{name}({_math(child)})")
    return "".join(parts)


# --- stories ---------------------------------------------------------------------------------


def _notes_story(doc: _Doc, kind: str, ids: list[str], mode: Mode | None) -> list[str]:
    part = None
    for rtype, target, external in doc.rels(doc.main).values():
        if rtype == f"{kind}s" and not external:
            part = target
    if part is None:
        return [f"[{kind} {n}] ⟨missing⟩" for n in range(len(ids))]
    root = doc.xml(part)
    assert root is not None
    if mode is not None:
        _resolve(root, mode)
    by_id = {note.get(w("id")): note for note in root.findall(w(kind))}
    lines: list[str] = []
    reader = _Reader(doc, part, {}, [])
    for n, nid in enumerate(ids):
        note = by_id.get(nid)
        if note is None:
            lines.append(f"[{kind} {n}] ⟨missing⟩")
            continue
        lines.extend(f"[{kind} {n}] {line}" for line in reader.lines(note))
    return lines


def _sections(body: etree._Element) -> list[etree._Element]:
    out = [p.find(f"{w('pPr')}/{w('sectPr')}") for p in body.iter(w("p"))]
    found = [s for s in out if s is not None]
    last = body.find(w("sectPr"))
    if last is not None:
        found.append(last)
    return found


def read_stories(source: bytes | str | Path, mode: Mode | None = "accept") -> dict[str, list[str]]:
    """Every story of a .docx as lines, after accepting or rejecting its tracked changes
    (`mode` None: as written, with tracked changes left as they are)."""
    doc = _open(source)
    root = doc.xml(doc.main)
    assert root is not None
    if mode is not None:
        _resolve(root, mode)
    body = root.find(w("body"))
    assert body is not None
    notes: dict[str, list[str]] = {}
    boxes: list[etree._Element] = []
    stories: dict[str, list[str]] = {"body": list(_Reader(doc, doc.main, notes, boxes).lines(body))}
    final = body.find(w("sectPr"))
    if final is not None:
        stories["body"].append(f"§ last section {_layout(final)}")
    settings = doc.xml(posixpath.join(posixpath.dirname(doc.main), "settings.xml"))
    even = settings is not None and (el := settings.find(w("evenAndOddHeaders"))) is not None \
        and el.get(w("val")) not in ("0", "false", "off")
    rels = doc.rels(doc.main)
    inherited: dict[tuple[str, str], str] = {}
    for number, sect in enumerate(_sections(body), start=1):
        title = (el := sect.find(w("titlePg"))) is not None \
            and el.get(w("val")) not in ("0", "false", "off")
        for where in ("header", "footer"):
            for ref in sect.findall(w(f"{where}Reference")):
                rid = ref.get(f"{{{_R}}}id")
                if rid in rels:
                    inherited[(where, ref.get(w("type")) or "default")] = rels[rid][1]
            for kind in ("default", "first", "even"):
                if (kind == "first" and not title) or (kind == "even" and not even):
                    continue
                part = inherited.get((where, kind))
                lines: list[str] = []
                if part is not None and (story := doc.xml(part)) is not None:
                    if mode is not None:
                        _resolve(story, mode)
                    lines = list(_Reader(doc, part, notes, boxes).lines(story))
                if all(line.endswith("}") for line in lines):
                    lines = []  # a story of empty paragraphs shows nothing
                stories[f"{where} s{number} {kind}"] = lines
    for kind in ("footnote", "endnote"):
        stories[f"{kind}s"] = _notes_story(doc, kind, notes.get(kind, []), mode)
    box_lines: list[str] = []
    done = 0
    while done < len(boxes):  # text boxes may hold text boxes
        box = boxes[done]
        box_lines.extend(f"[box {done}] {line}" for line in
                         _Reader(doc, doc.main, notes, boxes).lines(box))
        done += 1
    stories["text boxes"] = box_lines
    return stories


def _difference(story: str, label: str, want: list[str], got: list[str]) -> str:
    lines = list(difflib.unified_diff(want, got, "expected", "got", n=0, lineterm=""))
    shown = "; ".join(line for line in lines[2:6])
    return f"{story}: {label}: {shown}"


def check_stories(redline: bytes, old: bytes | str | Path, new: bytes | str | Path) -> list[str]:
    """Problems found, each naming its story (empty when accepting every change of the
    redline gives NEW and rejecting every change gives OLD, in every story). Tracked
    changes already in OLD or NEW count as accepted."""
    problems: list[str] = []
    for label, got, want in (
        ("accept all != NEW", read_stories(redline, "accept"), read_stories(new, "accept")),
        ("reject all != OLD", read_stories(redline, "reject"), read_stories(old, "accept")),
    ):
        for story in sorted(set(got) | set(want), key=_story_order):
            if got.get(story, []) != want.get(story, []):
                problems.append(_difference(story, label, want.get(story, []),
                                            got.get(story, [])))
    return problems


def _story_order(name: str) -> tuple[int, str]:
    order = ("body", "header", "footer", "footnotes", "endnotes", "text boxes")
    return next((i for i, p in enumerate(order) if name.startswith(p)), 9), name
