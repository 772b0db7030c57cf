"""A healthcare partner's round-14 reading of the accession deed (graded B, aim A-), as rules over
many answer sets: the examples, the scenario sets, generated collaboratives and generated deeds,
and sets changed to reach other kinds of body. Each test reads the text a lawyer reads.
"""

from __future__ import annotations

import re

from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, SHARED, WEST
from tests.test_partner_review import changed, clause_text, flat
from tests.test_review_round5_mou import built
from tests.test_review_round13_deed import agreements, deeds

DEED_OWN = {"Accession Date", "Agreement", "New Member"}


def defined(document) -> list[str]:
    return re.findall(r"“([^”]+)” means", clause_text(document, "definitions"))


def agreement_of(name: str):
    return next(doc for n, _l, doc in agreements() if n.split("/")[0] == name.split("/")[0])


# ------------------------------- 1. the deed incorporates the Agreement's definitions


def test_the_deed_defines_only_what_the_agreement_does_not() -> None:
    seen = 0
    for name, loaded, doc in deeds():
        if "collaboration_agreement" not in loaded.answers.documents:
            continue
        seen += 1
        own = defined(doc)
        agreement = set(defined(agreement_of(name)))
        assert DEED_OWN <= set(own), (name, own)
        # nothing the Agreement already defines is listed again, except "Agreement" itself
        assert not (set(own) - {"Agreement"}) & agreement, (name, own)
        # every term the deed uses without listing it is one the Agreement defines
        assert doc.incorporated_terms <= agreement, (name, doc.incorporated_terms - agreement)
        assert "In this deed, terms defined in the Agreement have the same meaning" in flat(doc)
    assert seen >= 3
    dominant = built(changed(DOMINANT), "accession_deed")
    assert defined(dominant) == ["Accession Date", "Agreement", "New Member"]
    assert {"Deficit", "Management Fee", "Covenant Member", "Lead Provider"} <= \
        dominant.incorporated_terms


# ------------------------------- 2. one name and one meaning for commercially sensitive information


def test_the_deeds_schedule_is_the_new_members_list_under_the_agreements_term() -> None:
    seen = set()
    for name, loaded, doc in deeds():
        if "collaboration_agreement" not in loaded.answers.documents:
            continue
        text = flat(doc)
        titles = [s.title for s in doc.schedules if s.id == "commercially-sensitive"]
        assert titles == ["The New Member's Commercially Sensitive Information"], (name, titles)
        assert "Commercially Sensitive Information" not in defined(doc), name
        assert "It is Commercially Sensitive Information as the Agreement defines it" in text
        agreement = agreement_of(name)
        listed = [s for s in agreement.schedules if s.id == "commercially-sensitive"]
        seen.add(bool(listed))
        if listed:
            assert f"is added to the list in {listed[0].number} (Commercially Sensitive" \
                " Information) of the Agreement from the Accession Date" in text, name
        else:
            assert "is added to the list in" not in text, name
    assert seen == {True, False}


# ------------------------------- 3. a form of execution for each kind of body


def block_for(text: str, name: str) -> str:
    found = re.search(rf"Executed as a deed by {re.escape(name)}(.*?)(?=Executed as a deed by|$)",
                      text, re.S)
    assert found, name
    return found.group(1)


def _members_with(path, **by_id) -> LoadedAnswers:
    import yaml
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    members = data["members"]
    for m in members:
        if m["id"] in by_id:
            m.update(by_id[m["id"]])
    return changed(path, members=members)


def test_each_kind_of_body_executes_in_its_own_form() -> None:
    # an LLP (company number OC...), an ICB member and a council in one deed
    dominant = _members_with(DOMINANT, cygnet={"company_number": "OC412345"})
    text = clause_text(built(dominant, "accession_deed"), "execution")
    llp = block_for(text, "Cygnet Health Care Limited")
    assert "as applied to limited liability partnerships by regulation 4 of the Limited " \
        "Liability Partnerships (Application of Companies Act 2006) Regulations 2009, acting " \
        "by two members, Ana Lopes and [●]" in llp
    assert "Member: ……" in llp and "Director" not in llp
    company = block_for(clause_text(built(changed(DOMINANT), "accession_deed"), "execution"),
                        "Cygnet Health Care Limited")
    assert "under section 44(2)(a) of the Companies Act 2006, acting by two directors, Ana " \
        "Lopes and [●]" in company
    west = clause_text(built(changed(WEST), "accession_deed"), "execution")
    council = block_for(west, "Kirklees Council")
    assert "by affixing its common seal in the presence of [●], its authorised officer, who " \
        "attests the sealing as its constitution provides" in council
    trust = block_for(west, "Leeds Community Healthcare NHS Trust")
    assert "by affixing its common seal in the presence of Tom Fairley, Joint Chief Executive, " \
        "and [●], its authorised signatories under its standing orders" in trust
    assert "is delivered and takes effect on the date written on its cover" in west
    seen_icb = 0
    for name, loaded, doc in deeds():
        text = clause_text(doc, "execution")
        for m in loaded.answers.members:
            if m.kind == "icb" and m.member_class != "observer":
                seen_icb += 1
                assert "its authorised signatories under its constitution and standing orders" \
                    in block_for(text, m.name), name
        note = " ".join(next(c.note for c in doc.clauses if c.id == "execution").split())
        # the New Member's own form, whatever kind of body it is, is in the note
        for form in ("section 44(2)(b)", "limited liability partnership",
                     "charitable incorporated organisation"):
            assert form in note, (name, form)
        councils = any(m.kind == "local_authority" and m.member_class != "observer"
                       for m in loaded.answers.members)
        assert ("a local authority under its common seal, attested by the officer its "
                "constitution authorises" in note) == councils, name


# ------------------------------- 4. a joint post-holder's name is never replaced by a blank


def test_every_block_names_the_signatory_the_answers_give() -> None:
    for path in (SHARED, WEST):
        loaded = changed(path)
        for kind in ("collaboration_agreement", "data_sharing"):
            if kind not in loaded.answers.documents:
                continue
            doc = built(loaded, kind)
            text = clause_text(doc, "execution")
            assert "[●], [●] (a director or authorised signatory" not in text, (path.stem, kind)
            for m in loaded.answers.members:
                if kind == "data_sharing" and m.member_class == "observer":
                    continue
                assert f"{m.name}" in text
                assert f"by {m.signatory.name}, {m.signatory.role}" in text, (path.stem, m.name)
    note = " ".join(next(c.note for c in built(changed(SHARED), "collaboration_agreement").clauses
                         if c.id == "execution").split())
    assert "each block names that person as the answers give: Hampshire Hospitals NHS " \
        "Foundation Trust" in note
    deed = built(changed(WEST), "accession_deed")
    note = " ".join(next(c.note for c in deed.clauses if c.id == "execution").split())
    assert "same person as signatory for South West Yorkshire Partnership NHS Foundation Trust " \
        "and Leeds Community Healthcare NHS Trust (Tom Fairley)" in note


# ------------------------------- 5. the new member's lawyer's reading


def test_the_deed_binds_from_signing_and_joining_and_reads_the_agreement_as_naming_it() -> None:
    for name, loaded, doc in deeds():
        text = flat(doc)
        assert "the Agreement is read as if the New Member were named in it as a party" in \
            clause_text(doc, "ad-accession"), name
        assert "warrants to each existing Member that, on the date of this deed and on the " \
            "Accession Date" in text, name
        if "it meets each joining criterion" in text:
            assert "on the date of this deed and on the Accession Date, it meets each joining " \
                "criterion" in text, name
        assert "This deed may be executed in any number of counterparts, each of which, when " \
            "executed and delivered, is an original" in text, name
        assert "may be signed in any number of counterparts" not in text, name
        assert "This deed does not affect any right or liability between the existing Members " \
            "that arose before the Accession Date" in text, name
        if "collaboration_agreement" in loaded.answers.documents:
            agreement = agreement_of(name)
            number = next((str(i) for i, c in enumerate(agreement.clauses, start=1)
                           if c.id == "boilerplate"), None)
            if number:
                assert re.search(rf"a notice to the New Member under the Agreement or this deed "
                                 rf"is given as clause {number}\.\d+ of the Agreement provides",
                                 text), name
