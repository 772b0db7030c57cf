"""A healthcare partner's seventh review of the data terms, as rules over many answer sets.

Each finding came from one pack but is a rule of the clause library, so each test drafts the
collaboration agreements, sub-contracts, binding MOUs and data sharing agreements of the
bundled examples, the scenario answer sets, variations of them and generated collaboratives (as
`drafting lint` drafts them), and reads the text a lawyer would read. The ids are the review's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from drafting.read.load import LoadedAnswers
from tests.test_money_review import schedule
from tests.test_partner_review import ALL, DOMINANT, JOINT, changed, clause_text
from tests.test_review_round6_data import every_document, files, generated, note_of

KINDS = ("collaboration_agreement", "sub_contract", "data_sharing", "mou")
SOCIAL = ("local_authority", "vcse")


@lru_cache(maxsize=1)
def sets() -> list[tuple[str, LoadedAnswers]]:
    """The examples, the scenarios, generated collaboratives and each data model on two of them."""
    found = files(ALL) + generated()
    for kinds, model, gateway in (("pseudonymised", "independent", "s251"),
                                  ("identifiable_commissioning", "lead_processor", "s251"),
                                  ("anonymised", "independent", None),
                                  ("identifiable_direct_care", "joint", "direct_care")):
        data = {"kinds": kinds, "controller_model": model, "legal_gateway": gateway, "dpia": "before_go_live"}
        for path in (DOMINANT, JOINT) if model != "lead_processor" else (DOMINANT,):
            found.append((f"{path.stem}-{kinds}-{model}", changed(path, data=data)))
    return found


@lru_cache(maxsize=None)
def documents(kinds: tuple[str, ...] = KINDS) -> tuple:
    return tuple((label, loaded, doc) for label, loaded, doc in every_document(sets(), kinds)
            if clause_text(doc, "data-protection") or doc.kind == "data_sharing")

# round 12 (B1.4): where the collaboration agreement is in the pack, a sub-contract incorporates
# its data protection clause by reference and adds only what concerns its two parties, citing the
# agreement's sub-clauses; the rules themselves are checked in the agreement's own clause.
INCORPORATED = re.compile(r"Clause \d+ \(Data protection\) of the Collaboration Agreement, as in force "
                          r"from time to time, is incorporated into this Sub-Contract")
ONE_OFF = re.compile(r"A one-off disclosure between the parties of the information about a patient that "
                     r"the patient's individual care needs is made as clause \d+\.\d+ of the "
                     r"Collaboration Agreement provides")


def incorporated(doc, text: str) -> bool:
    """A sub-contract that incorporates the agreement's clause and keeps the individual-care route."""
    if doc.kind != "sub_contract" or not INCORPORATED.search(text):
        return False
    assert ONE_OFF.search(text), text
    return True



def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;:])\s+(?=[A-Z])", text)


def parties_of(label: str, loaded: LoadedAnswers, kind: str) -> list:
    """The members that are parties: a sub-contract's two (its label ends with the partner)."""
    members = loaded.answers.members
    if kind == "sub_contract":
        return [m for m in members if m.id in (loaded.answers.lead_provider, label.split("/")[-1])]
    return list(members)


# --------------------------------------------------------------------------- 1 individual care


class TestItem1IndividualCareIsCarvedOutOfEveryRestriction:
    def test_each_member_discloses_for_individual_care_under_its_own_duties(self) -> None:
        checked = 0
        for label, loaded, doc in documents():
            text = clause_text(doc, "data-protection")
            if not text or loaded.answers.data.kinds == "identifiable_direct_care":
                continue
            checked += 1
            if incorporated(doc, text):
                continue
            carve = next(s for s in sentences(text) if "individual care needs" in s)
            # round 13 (C1): a Member where an Observer is a party
            assert re.search(r"stops a (party|Member) disclosing", carve) and "transfer of care" in carve, label
            # round 9b (F2.3): a shared care plan or list is systematic sharing, DPIA first
            # round 11: the DPIA gate for identifiable sharing is stated once and cited.
            # round 13: "the Members" where an Observer is a party (it never carries out a DPIA)
            assert re.search(r"Systematic sharing[^.]*care plan or waiting list shared between "
                             r"the (parties|Members)[^.]*starts only (as clause \d+\.\d+ provides|"
                             r"once the (parties|Members) have completed a DPIA)", text), label
            assert re.search(r"the (parties|Members) must carry out a DPIA|once the "
                             r"(parties|Members) have completed a DPIA", text), label
            assert "section 251B of the Health and Social Care Act 2012" in text, label
            assert "Article 9(2)(h)" in text and "consent implied by the" in text, label
            assert re.search(r"governs? only the use of information for purposes other than "
                             r"individual care", text), label
            number = doc.targets["data-protection.individual-care"].number
            for s in sentences(text):
                # round 11: a bar on identifying patients is never absolute: it lasts until the
                # gate for identifiable sharing is met.
                if s.startswith("No information that identifies"):
                    # round 17: or the conditions themselves, listed after "until:"
                    assert re.search(r"until the conditions of clause \d+\.\d+ are met|, until: "
                                     r"(\(a\) )?the (parties|Members) have carried out a DPIA", s), \
                        (label, s)
                # round 12: a sentence saying that pseudonymised sharing needs no section 251
                # support restricts nothing; the restriction to pseudonymised form must carve
                # out individual care.
                if "in pseudonymised form" in s and "needs no support under section 251" not in s:
                    assert f"other than individual care under clause {number}" in s, (label, s)
                if s.startswith("No Personal Data may be shared"):
                    assert f"individual care under clause {number}" in s, (label, s)
        assert checked >= 20

    def test_the_data_sharing_agreement_sends_individual_care_to_that_carve_out(self) -> None:
        checked = 0
        for label, loaded, doc in documents(("data_sharing",)):
            if loaded.answers.data.kinds == "identifiable_direct_care":
                continue
            checked += 1
            number = doc.targets["data-protection.individual-care"].number
            assert f"is made under clause {number}" in clause_text(doc, "dsa-purpose-data"), label
        assert checked >= 4


# --------------------------------------------------------------------------- 2 and 6 parties


class TestItems2And6TheDataSharingAgreementShowsPartiesAndContactsOnly:
    def test_no_members_schedule_no_class_no_representatives_no_observer(self) -> None:
        checked = 0
        for label, loaded, doc in documents(("data_sharing",)):
            checked += 1
            assert [s.id for s in doc.schedules] == ["data-sharing"], label
            spec = schedule(doc, "data-sharing")
            assert "Party | Caldicott Guardian | Data protection officer | " \
                   "Information governance lead" in spec, label
            assert "Voting Member" not in spec and "Representative" not in spec, label
            assert "Class" not in spec, label
            observers = [m.name for m in loaded.answers.members if m.member_class == "observer"]
            notes = " ".join(note_of(doc, c) for c in
                             ("data-protection", "dsa-purpose-data", "dsa-security-retention"))
            for name in observers:
                assert name not in spec, label
            assert "observer" not in notes.lower(), label
        assert checked >= 6


# --------------------------------------------------------------------------- 3 controller model


class TestItem3TheLeadAsControllerIsExplainedAndItsProcessingListed:
    def test_note_and_none_at_signing(self) -> None:
        checked = 0
        for label, loaded, doc in documents(("collaboration_agreement", "data_sharing")):
            data = loaded.answers.data
            if data.kinds == "anonymised" or data.controller_model != "lead_processor" \
                    or not loaded.answers.lead_provider:
                continue
            checked += 1
            note = note_of(doc, "data-protection")
            assert "The answers chose the lead provider as processor" in note, label
            assert "so it is a controller of that data" in note, label
            spec = schedule(doc, "data-sharing")
            services = next(line for line in spec.splitlines()
                            if line.startswith("Services the Lead Provider performs"))
            # marked not used at signing, with the way to add a service (review 10, B3.3)
            assert "No service is listed at signing, so this Part applies to no processing yet" \
                in services, label
            part_b = spec.split("Particular | Arrangement")[-1].split("Part C")[0]
            for row in part_b.splitlines():
                if " | " in row and row != services:
                    assert row.split(" | ", 1)[1].strip() not in ("[●]",), (label, row)
                    assert not row.split(" | ", 1)[1].startswith("[●]"), (label, row)
        assert checked >= 3

    def test_no_note_when_the_answers_chose_another_model(self) -> None:
        for label, loaded, doc in documents(("collaboration_agreement", "data_sharing")):
            if loaded.answers.data.controller_model != "lead_processor":
                assert "chose the lead provider as processor" not in \
                    note_of(doc, "data-protection"), label


# --------------------------------------------------------------------------- 4 each rule once


class TestItem4EachRuleOnce:
    def test_the_data_sharing_agreement_refers_to_the_data_protection_clause(self) -> None:
        checked = 0
        for label, loaded, doc in documents(("data_sharing",)):
            checked += 1
            term = clause_text(doc, "dsa-purpose-data")
            assert "section 251 of the" not in term and "National Health Service Act" not in term
            if loaded.answers.data.kinds != "anonymised":
                assert "adequate, relevant and limited" not in term, label
                assert f"only as the conditions of clause {doc.targets['data-protection'].number}" \
                       " allow" in term, label
                minimum = doc.targets["data-protection.minimum"].number
                assert f"discloses no more than clause {minimum} allows" in term, label
        assert checked >= 6

    def test_the_article_26_arrangement_lives_in_the_data_sharing_agreement(self) -> None:
        checked = 0
        for label, loaded, doc in documents(("collaboration_agreement", "sub_contract",
                                             "data_sharing")):
            text = clause_text(doc, "data-protection")
            # round 12: a clause may now offer joint control of a shared care plan as a
            # bracketed option ("[delete one]"); only the joint controller model is checked here.
            if "are joint controllers" not in text or loaded.answers.data.controller_model != "joint":
                continue
            checked += 1
            in_pack = "data_sharing" in loaded.answers.documents
            if doc.kind == "data_sharing" or not in_pack:
                assert "is their arrangement under Article 26" in text, label
                assert "the essence of this arrangement" in text, label
            else:
                assert "Their arrangement under Article 26 of the UK GDPR is set out in the data " \
                       "sharing agreement" in text, label
                assert "the essence of this arrangement" not in text, label
                assert "is their arrangement under Article 26" not in text, label
        assert checked >= 4


# --------------------------------------------------------------------------- 5 boilerplate


class TestItem5DataSharingBoilerplateAndOneSecurityStandard:
    def test_liability_audit_notices_counterparts(self) -> None:
        checked = 0
        for label, _, doc in documents(("data_sharing",)):
            checked += 1
            text = clause_text(doc, "dsa-security-retention")
            # one liability rule: the collaboration agreement's where there is one (round 10, B3.2)
            assert ("may recover that amount from that Member" in text
                    and "otherwise no Member indemnifies another" in text) \
                or "this Agreement adds no other rule of liability or indemnity" in text, label
            assert "may have that Member's handling of the Shared Data audited" in text, label
            # by the agreement's notices clause where there is one (round 9, D3.3)
            assert "A notice under this Agreement is given in writing to the contacts" in text \
                or "A notice under this Agreement is given as clause" in text, label
            assert "signed in any number of counterparts" in text and "electronic signature" in text
        assert checked >= 6

    def test_the_dspt_uplift_is_worded_alike_in_every_document(self) -> None:
        checked = 0
        for label, _, doc in documents():
            text = clause_text(doc, "data-protection")
            if "Standards Met" not in text:
                continue
            checked += 1
            assert '"Standards Met" status (or any higher status the Commissioner requires)' in text
        assert checked >= 20


# --------------------------------------------------------------------------- 7 shared system


class TestItem7JointControllersNameTheSharedSystem:
    def test_system_host_and_processor_contract(self) -> None:
        checked = 0
        for label, loaded, doc in documents(("collaboration_agreement", "data_sharing")):
            text = clause_text(doc, "data-protection")
            # round 12: a clause may now offer joint control of a shared care plan as a
            # bracketed option ("[delete one]"); only the joint controller model is checked here.
            if "are joint controllers" not in text or loaded.answers.data.controller_model != "joint":
                continue
            if doc.kind != "data_sharing" and "data_sharing" in loaded.answers.documents:
                assert "Jointly used system" not in schedule(doc, "data-sharing"), label
                continue
            checked += 1
            assert "agreed by every joint controller" in text, label
            spec = schedule(doc, "data-sharing")
            example = "the shared care record" if loaded.answers.data.kinds == \
                "identifiable_direct_care" else "the shared analytics platform"
            # round 12 (B2.8): bracketed proposals in place of bare blanks
            assert f"Jointly used system | [{example}], hosted by [the Member that hosts it]" \
                in spec, label
            assert "Supplier of the jointly used system | [the system supplier], under a " \
                "contract meeting " \
                   "Article 28(3)" in spec, label
            if doc.kind == "data_sharing":
                assert "Apart from the supplier of the jointly used system" in spec, label
        assert checked >= 2


# --------------------------------------------------------------------------- 8 social care


class TestItem8ServiceUsersAndSection251BWithSocialCareParties:
    def test_words_follow_the_parties(self) -> None:
        social = plain = 0
        for label, loaded, doc in documents():
            text = clause_text(doc, "data-protection")
            if not text:
                continue
            if any(m.kind in SOCIAL for m in parties_of(label, loaded, doc.kind)):
                social += 1
                assert "patients and service users" in text, label
                if "Article 9(2)(h) (health or social care)" in text:
                    basis = next(s for s in sentences(text) if "Article 9(2)(h) (health" in s)
                    assert "section 251B of the Health and Social Care Act 2012" in basis, label
                if doc.kind == "data_sharing" and loaded.answers.data.kinds == "identifiable_direct_care":
                    assert "patients and service users concerned" in \
                        clause_text(doc, "dsa-purpose-data"), label
            else:
                plain += 1
                assert "service user" not in text, label
        assert social >= 3 and plain >= 10


# --------------------------------------------------------------------------- 9 MPs


class TestItem9DisclosureOnlyWhereABodyCanCompelIt:
    def test_no_member_of_parliament(self) -> None:
        checked = 0
        for label, _, doc in every_document(sets(), ("collaboration_agreement", "sub_contract",
                                                      "data_sharing", "mou")):
            text = clause_text(doc, "confidentiality-foi")
            if "This clause does not apply to information that" not in text:
                continue
            checked += 1
            assert "Member of Parliament" not in text, label
            # round 11c: any body, a commissioner included, only under a power to require it
            assert "requires under a legal or contractual power to require it" in text, label
            assert "either House of Parliament or a parliamentary committee" in text, label
        assert checked >= 20



# --------------------------------------------------------------------------- 10 defined terms


class TestItem10TheDataSharingAgreementUsesItsDefinedTerms:
    def test_collaboration_agreement_and_nhs_act(self) -> None:
        checked = 0
        for label, loaded, doc in documents(("data_sharing",)):
            body = " ".join(clause_text(doc, c) for c in
                            ("dsa-purpose-data", "data-protection", "dsa-security-retention"))
            assert "National Health Service Act" not in body, label
            if "collaboration_agreement" not in loaded.answers.documents:
                continue
            checked += 1
            assert "collaboration agreement between the Members" not in body, label
            assert "sits under the Collaboration Agreement" in body, label
            assert "“Collaboration Agreement” means" in clause_text(doc, "definitions"), label
        assert checked >= 4
