"""Formatting as a reader sees it: run and paragraph properties resolved and normalised.

Word and LibreOffice write the same look in many ways: a property set by the style or
repeated on the run, ``<w:b w:val="0"/>`` or no ``w:b`` at all, properties in any order,
session ids (rsids), language tags and proofing marks on every save. Two drafts that a
reader cannot tell apart must not show formatting changes, so the compare keys formatting
by what it means: the document defaults, the paragraph style (with the styles it is based
on), the character style and the direct properties merged, then stripped of what is not
formatting and of values equal to the default.
"""

from __future__ import annotations

from lxml import etree

from drafting.review._oxml import qn

__all__ = ["Formatting"]

# Not formatting: language, proofing and session marks, layout hints.
_RUN_NOISE = frozenset(qn(f"w:{n}") for n in (
    "lang", "noProof", "rPrChange", "ins", "del", "moveFrom", "moveTo", "webHidden",
    "bCs", "iCs", "szCs", "kern", "specVanish", "oMath",
))
_PARA_NOISE = frozenset(qn(f"w:{n}") for n in (
    "rPr", "sectPr", "pPrChange", "widowControl", "snapToGrid", "autoSpaceDE", "autoSpaceDN",
    "bidi", "adjustRightInd", "suppressAutoHyphens", "overflowPunct", "textAlignment",
))
# Toggle properties: absent, "0", "false" and "off" all mean off.
_TOGGLES = frozenset(qn(f"w:{n}") for n in (
    "b", "i", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint",
    "vanish", "keepNext", "keepLines", "pageBreakBefore", "contextualSpacing",
))
_OFF = {"0", "false", "off"}
# Values that mean the same as the property being absent.
_DEFAULTS = {
    qn("w:u"): {"none"}, qn("w:vertAlign"): {"baseline"}, qn("w:color"): {"auto", "000000"},
    qn("w:highlight"): {"none"}, qn("w:jc"): {"left", "start"}, qn("w:position"): {"0"},
    qn("w:spacing"): set(), qn("w:ind"): set(),
}
_ZERO_ATTRS = {"before", "after", "left", "right", "start", "end", "hanging", "firstLine",
               "beforeLines", "afterLines"}
_VAL = qn("w:val")
# Session ids, and theme references: Word writes the colour a theme gives next to the
# reference, and LibreOffice keeps only the colour.
_DROPPED_ATTRS = ("rsid", "themeColor", "themeShade", "themeTint", "themeFill")
_IND_ALIASES = {"start": "left", "end": "right", "startChars": "leftChars",
                "endChars": "rightChars"}


def _props(parent: etree._Element | None, noise: frozenset[str],
           theme: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """Property name -> attributes (Clark names stripped to local names), noise left out.

    Values are compared without case (``BF`` and ``bf``); a theme font counts as the font
    the theme names, as a word processor shows it.
    """
    out: dict[str, dict[str, str]] = {}
    if parent is None:
        return out
    for child in parent:
        tag = child.tag
        if not isinstance(tag, str) or tag in noise:
            continue
        attrs = {etree.QName(k).localname: v if tag == qn("w:rStyle") else v.lower()
                 for k, v in child.attrib.items()
                 if not etree.QName(k).localname.startswith(_DROPPED_ATTRS)}
        if tag == qn("w:rFonts"):
            fonts = {}
            for slot in ("ascii", "hAnsi"):
                themed = child.get(qn(f"w:{slot}Theme"))
                name = (theme or {}).get(themed or "", None) if themed else None
                value = name if name is not None else child.get(qn(f"w:{slot}"))
                if value:
                    fonts[slot] = value
            attrs = fonts
        if tag == qn("w:numPr"):
            # numId names a list instance of this package: the level and whether the
            # paragraph is numbered at all are what compare across packages.
            num = child.find(qn("w:numId"))
            ilvl = child.find(qn("w:ilvl"))
            attrs = {"numbered": "no" if num is not None and num.get(_VAL) == "0" else "yes",
                     "level": ilvl.get(_VAL, "0") if ilvl is not None else "0"}
        elif len(child):
            attrs["_"] = _nested(child)
        if tag == qn("w:jc") and "val" in attrs:
            # left/right are the older names of start/end (left-to-right text).
            attrs["val"] = {"right": "end", "left": "start"}.get(attrs["val"], attrs["val"])
        if tag == qn("w:ind"):
            # start/end are the newer names of left/right (left-to-right text).
            attrs = {_IND_ALIASES.get(k, k): v for k, v in attrs.items()}
        if tag in (qn("w:spacing"), qn("w:ind")):
            merged = dict(out.get(tag, {}))
            merged.update(attrs)
            attrs = merged
        out[tag] = attrs
    return out


def _nested(el: etree._Element) -> str:
    """A property with children (borders, tabs): its children's names and attributes,
    without namespaces declarations, session ids or theme references, in order."""
    parts = []
    for sub in el.iter():
        if not isinstance(sub.tag, str) or sub is el:
            continue
        attrs = sorted((etree.QName(k).localname, v.lower()) for k, v in sub.attrib.items()
                       if not etree.QName(k).localname.startswith(_DROPPED_ATTRS)
                       and not (etree.QName(k).localname == "leader" and v == "none"))
        parts.append(f"{etree.QName(sub).localname}{attrs}")
    return ";".join(parts)


def _normal(props: dict[str, dict[str, str]]) -> str:
    items: list[str] = []
    for tag, attrs in sorted(props.items()):
        val = attrs.get("val")
        if tag in _TOGGLES:
            if val is not None and val.lower() in _OFF:
                continue
            attrs = {}
        elif tag in _DEFAULTS and val is not None and val.lower() in _DEFAULTS[tag]:
            continue
        if tag in (qn("w:spacing"), qn("w:ind")):
            attrs = {k: v for k, v in attrs.items() if not (k in _ZERO_ATTRS and v == "0")}
            if attrs.get("line") == "240" and attrs.get("lineRule", "auto") == "auto":
                attrs.pop("line")
                attrs.pop("lineRule", None)
            attrs.pop("lineRule", None) if "line" not in attrs else None
            if not attrs:
                continue
        if tag == qn("w:rFonts") and not attrs:
            continue
        items.append(etree.QName(tag).localname + repr(sorted(attrs.items())))
    return ";".join(items)


class Formatting:
    """What a document's styles give its paragraphs and runs; keys that compare by meaning.

    One per package (the styles part of that package); keys are cached, so asking again
    for the same properties is cheap.
    """

    def __init__(self, styles_xml: bytes | None, theme_xml: bytes | None = None) -> None:
        self._theme = _theme_fonts(theme_xml)
        self._styles: dict[str, etree._Element] = {}
        self._default_para: str | None = None
        self._doc_run: dict[str, dict[str, str]] = {}
        self._doc_para: dict[str, dict[str, str]] = {}
        self._chain_cache: dict[tuple[str, str | None], tuple[dict, dict]] = {}
        self._keys: dict[tuple[str, str, str | None], str] = {}
        if not styles_xml:
            return
        try:
            root = etree.fromstring(styles_xml)
        except etree.XMLSyntaxError:
            return
        defaults = root.find(qn("w:docDefaults"))
        if defaults is not None:
            self._doc_run = _props(defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"),
                                   _RUN_NOISE, self._theme)
            self._doc_para = _props(defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}"),
                                    _PARA_NOISE)
        for style in root.iter(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            if sid is None:
                continue
            self._styles[sid] = style
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in (
                    "1", "true", "on"):
                self._default_para = sid

    def _chain(self, kind: str, sid: str | None) -> tuple[dict, dict]:
        """(paragraph props, run props) a style gives, its base styles included."""
        key = (kind, sid)
        found = self._chain_cache.get(key)
        if found is not None:
            return found
        styles: list[etree._Element] = []
        seen: set[str] = set()
        current = sid
        while current and current in self._styles and current not in seen:
            seen.add(current)
            style = self._styles[current]
            styles.append(style)
            based = style.find(qn("w:basedOn"))
            current = based.get(_VAL) if based is not None else None
        para: dict[str, dict[str, str]] = {}
        run: dict[str, dict[str, str]] = {}
        for style in reversed(styles):
            _merge(para, _props(style.find(qn("w:pPr")), _PARA_NOISE))
            _merge(run, _props(style.find(qn("w:rPr")), _RUN_NOISE, self._theme))
        self._chain_cache[key] = (para, run)
        return para, run

    def para_style(self, ppr: etree._Element | None) -> str | None:
        """The paragraph's style id (the default paragraph style when it names none)."""
        if ppr is not None:
            ps = ppr.find(qn("w:pStyle"))
            if ps is not None and ps.get(_VAL):
                return ps.get(_VAL)
        return self._default_para

    def paragraph_key(self, ppr: etree._Element | None, table_style: str | None = None) -> str:
        """A key equal for two paragraph property sets that look the same (`table_style`:
        the style of the table the paragraph sits in, which gives it properties too)."""
        direct = etree.tostring(ppr).decode() if ppr is not None else ""
        cache_key = ("p", direct, table_style)
        found = self._keys.get(cache_key)
        if found is not None:
            return found
        sid = self.para_style(ppr)
        props = dict(self._doc_para)
        if table_style:
            _merge(props, self._chain("t", table_style)[0])
        _merge(props, self._chain("p", sid)[0])
        _merge(props, _props(ppr, _PARA_NOISE | {qn("w:pStyle")}))
        # By look, not by style name (a renamed style is no change); what the style gives
        # the text counts too, or restoring a run's own properties could not restore its look.
        key = _normal(props) + "|" + self.run_key(None, sid, table_style)
        self._keys[cache_key] = key
        return key

    def run_key(self, rpr: etree._Element | None, para_style: str | None,
                table_style: str | None = None) -> str:
        """A key equal for two runs (in paragraphs of style `para_style`) that look the same."""
        direct = etree.tostring(rpr).decode() if rpr is not None else ""
        cache_key = ("r", direct, f"{para_style}|{table_style}")
        found = self._keys.get(cache_key)
        if found is not None:
            return found
        props = dict(self._doc_run)
        if table_style:
            _merge(props, self._chain("t", table_style)[1])
        _merge(props, self._chain("p", para_style)[1])
        own = _props(rpr, _RUN_NOISE, self._theme)
        rstyle = own.pop(qn("w:rStyle"), None)
        if rstyle and rstyle.get("val"):
            _merge(props, self._chain("r", rstyle["val"])[1])
        _merge(props, own)
        key = _normal(props)
        self._keys[cache_key] = key
        return key


def _theme_fonts(theme_xml: bytes | None) -> dict[str, str]:
    """Theme font slots (``minorHAnsi``) -> the typeface the theme names."""
    out: dict[str, str] = {}
    if not theme_xml:
        return out
    try:
        root = etree.fromstring(theme_xml)
    except etree.XMLSyntaxError:
        return out
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    for which in ("major", "minor"):
        latin = root.find(f".//{{{a}}}{which}Font/{{{a}}}latin")
        if latin is not None and latin.get("typeface"):
            for slot in ("HAnsi", "Ascii"):
                out[f"{which}{slot}"] = latin.get("typeface") or ""
    return out


def _merge(into: dict[str, dict[str, str]], props: dict[str, dict[str, str]]) -> None:
    for tag, attrs in props.items():
        if tag in (qn("w:spacing"), qn("w:ind"), qn("w:rFonts")) and tag in into:
            merged = dict(into[tag])
            merged.update(attrs)
            into[tag] = merged
        else:
            into[tag] = attrs
