"""A healthcare partner's round-13 reading of the accession deed (findings A3.1 to A3.3), as rules
over many answer sets: the examples, the scenario sets, generated collaboratives and generated
deeds. Each test reads the text a lawyer reads.
"""

from __future__ import annotations

import re

from tests.test_partner_review import clause_text, flat
from tests.test_review_round13_deed import SUCCESSOR, agreements, deeds

# ------------------------------- 1. (A3.1) the deed incorporates the Agreement's definitions


def test_the_deed_incorporates_the_agreements_definitions_and_uses_its_terms() -> None:
    defined_in = {name.split("/")[0]: set(re.findall(r"“([^”]+)” means", flat(doc)))
                  for name, _loaded, doc in agreements()}
    checked = set()
    for name, _loaded, doc in deeds():
        text = flat(doc)
        defined = set(re.findall(r"“([^”]+)” means", text))
        assert {"Accession Date", "New Member"} <= defined, name
        assert "In this deed, terms defined in the Agreement have the same meaning" in text, name
        assert "which defines only" not in text, name
        assert "lead provider of the Collaborative from time to time" not in text, name
        agreement = defined_in.get(name.split("/")[0], set())
        for term, lower in (("Deficit", "any deficit"), ("Deficit", "a deficit of"),
                            ("Running Costs", "the running costs"),
                            ("Management Fee", "the management fee"),
                            ("Management Fee", "Management fee a year")):
            if term in agreement:
                assert lower not in text, (name, lower)
                checked.add(term)
    assert checked == {"Deficit", "Running Costs", "Management Fee"}


# ------------------------------- 2. (A3.2) the deed admits a Member only


def test_no_deed_speaks_of_the_new_member_as_an_observer() -> None:
    for name, _loaded, doc in deeds():
        text = flat(doc)
        assert "admitted as an Observer" not in text, name
        assert "unless admitted as an observer" not in text.casefold(), name
        accession = " ".join(clause_text(doc, "ad-accession").split())
        assert "New Member" in accession
        assert not re.search(r"New Member[^.]{0,60}as an Observer", text), name


# ------------------------------- 3. (A3.3) the successor form carries the power and the tables


def test_the_successor_form_brackets_the_power_statement_and_the_tables() -> None:
    """Round 24 (ad-accession v15): the successor's case no longer runs through the power
    statement and the tables in brackets; one sub-clause says that it applies instead of them."""
    seen = set()
    for name, _loaded, doc in deeds():
        text = flat(doc)
        if "a decision of the Board always needs" not in text:
            continue
        offered = SUCCESSOR in text
        seen.add(offered)
        assert "[ordinary admission:] those of all the Voting Members including" not in text
        assert "those of the Voting Members that remain after the hand-over" not in text, name
        assert "[where it remains a Member after the hand-over]" not in text, name
        assert "where it joins as the successor to the Lead Provider: not applicable" \
            not in text, name
        if offered:
            first = doc.targets["ad-accession.inputs"].number \
                if "ad-accession.inputs" in doc.targets \
                else doc.targets["ad-accession.recalculation"].number
            assert f"this clause applies to it instead of clauses {first} to " in text, name
    assert seen == {True, False}
