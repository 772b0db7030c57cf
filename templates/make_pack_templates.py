"""Build the Word frames of the pack's own documents, with covers that fit each one.

`make_templates.py` builds a frame for the collaboration agreement ("... between the
members"). The pack's other documents need other covers: a sub-contract is between the lead
provider and one partner; terms of reference are approved, not made between parties; an
accession deed is made by a member still to be named. Page set-up, styles, numbering,
headers and footers are the same as the agreement's (this script reuses its `_finish`), and
frames hold only plain `{{ name }}` placeholders and the one `{{p body }}` paragraph.

Run it after `make_templates.py`: `python templates/make_pack_templates.py`. The output is
deterministic, so an unchanged frame gives an unchanged file.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_templates import build_frame  # noqa: E402

DATED = "Dated " + "_" * 24

# Cover lines of each kind: (style, text, bold). Only plain placeholders.
COVERS: dict[str, list[tuple[str, str, bool]]] = {
    "sub_contract": [
        ("CoverTitle", "{{ title }}", False),
        ("CoverText", "for the provision of services under the head contract of the", False),
        ("CoverText", "{{ collaborative_name }}", True),
        ("CoverText", "between", False),
        ("CoverText", "{{ lead_name }} (the Lead Provider)", False),
        ("CoverText", "and", False),
        ("CoverText", "{{ partner_name }} (the Sub-Contractor)", False),
        ("CoverText", DATED, False),
    ],
    "mou": [
        ("CoverTitle", "{{ title }}", False),
        ("CoverText", "relating to the", False),
        ("CoverText", "{{ collaborative_name }}", True),
        ("CoverText", "between", False),
        ("CoverText", "{{ parties }}", False),
        ("CoverText", DATED, False),
    ],
    "committee_terms": [
        ("CoverTitle", "{{ title }}", False),
        ("CoverText", "of the", False),
        ("CoverText", "{{ collaborative_name }}", True),
        ("CoverText", "as approved by {{ approved_by }} on the date recorded at the end of "
                      "these terms", False),
        ("CoverText", "Version date " + "_" * 24, False),
    ],
    "data_sharing": [
        ("CoverTitle", "{{ title }}", False),
        ("CoverText", "for the", False),
        ("CoverText", "{{ collaborative_name }}", True),
        ("CoverText", "between", False),
        ("CoverText", "{{ parties }}", False),
        ("CoverText", DATED, False),
    ],
    "accession_deed": [
        ("CoverTitle", "{{ title }}", False),
        ("CoverText", "to the collaboration agreement of the", False),
        ("CoverText", "{{ collaborative_name }}", True),
        ("CoverText", "by", False),
        ("CoverText", "[●]", True),
        ("CoverText", "in favour of", False),
        ("CoverText", "{{ parties }}", False),
        ("CoverText", DATED, False),
    ],
}


def build(kind: str) -> bytes:
    """The frame of `kind`: its cover, then the body paragraph, headers and footers."""
    return build_frame(COVERS[kind], kind)


def main(argv: list[str]) -> int:
    """Build the frame of each pack kind given (all of them when none)."""
    for kind in argv or sorted(COVERS):
        if kind not in COVERS:
            print(f"unknown kind {kind!r}; one of {', '.join(sorted(COVERS))}", file=sys.stderr)
            return 2
        (HERE / f"{kind}.docx").write_bytes(build(kind))
        print(f"wrote {kind}.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
