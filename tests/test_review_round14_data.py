"""Round 14 partner review of the data sharing agreements and the data and confidentiality
clauses: mandated returns, incident and safeguarding flows, the confidentiality clause's
gateways, and a lead provider answered as a processor.

Each test drafts several answer sets (the scenarios, the examples and scenarios changed to reach
another kind of data or legal form) and asserts the rule a partner's reader checks in the text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.cli import main
from drafting.read.load import LoadedAnswers
from tests.review_sets import DOMINANT, JOINT, MOU_THEN, NORTH_EAST, SOUTH, changed_yaml
from tests.test_money_review import schedule
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round10c_dsa import flow_rows

COMMISSIONING_S251 = {"kinds": "identifiable_commissioning", "controller_model": "independent",
                      "legal_gateway": "s251", "dpia": "before_go_live"}
PSEUDONYMISED = {"kinds": "pseudonymised", "controller_model": "independent",
                 "legal_gateway": "s251", "dpia": "completed"}
DIRECT_CARE = {"kinds": "identifiable_direct_care", "controller_model": "independent",
               "legal_gateway": "direct_care", "dpia": "completed"}
CONSENT = {"kinds": "identifiable_commissioning", "controller_model": "independent",
           "legal_gateway": "consent", "dpia": "completed"}


def dsa_sets() -> list[tuple[str, LoadedAnswers]]:
    """Data sharing agreements with and without a collaboration agreement, a lead provider,
    each kind of personal data and each gateway."""
    return [
        ("dominant", changed(DOMINANT)),
        ("dominant-independent", changed(DOMINANT, data=COMMISSIONING_S251)),
        ("dominant-pseudonymised", changed(DOMINANT, data=PSEUDONYMISED)),
        ("dominant-direct-care", changed(DOMINANT, data=DIRECT_CARE)),
        ("dominant-consent", changed(DOMINANT, data=CONSENT)),
        ("joint", changed(JOINT)),
        ("joint-commissioning", changed(JOINT, data=COMMISSIONING_S251)),
        ("north-east", changed(NORTH_EAST)),
        ("south-no-agreement", changed(SOUTH)),
    ]


def rows_by_purpose(loaded: LoadedAnswers) -> dict[str, list[str]]:
    return {row[0]: row for row in flow_rows(built(loaded, "data_sharing"))}


# ------------------------------------------------------------------ 1 mandated returns


class TestMandatedReturnsRestOnALegalObligation:
    """A return the Law requires to NHS England or the Commissioner rests on Art 6(1)(c) and,
    for confidential patient information, on the s.259 direction or requirement: never on
    section 251 support, and never waiting for it."""

    def test_the_data_protection_clause_says_so_in_every_document_that_states_it(self) -> None:
        sets = dsa_sets() + [("mou-then", changed(MOU_THEN))]
        for label, loaded in sets:
            kinds = ["data_sharing"] if "data_sharing" in loaded.answers.documents else []
            if "collaboration_agreement" in loaded.answers.documents:
                kinds.append("collaboration_agreement")
            assert kinds, label
            for kind in kinds:
                text = clause_text(built(loaded, kind), "data-protection")
                assert "(a mandated return:" in text, (label, kind)
                assert "rests on the legal obligation to make it (Article 6(1)(c) of the UK " \
                    "GDPR)" in text, (label, kind)
                assert "section 259 of the Health and Social Care Act 2012" in text, (label, kind)
                assert "it needs no section 251 support" in text, (label, kind)
                assert "for a mandated return, on Article 6(1)(c) (a legal obligation)" in text
                # the section 251 gateway no longer claims every non-care use
                assert "Confidential patient information is shared for purposes other than " \
                    "individual care only" not in text, (label, kind)
                if loaded.answers.data.legal_gateway == "s251":
                    assert "Except in a mandated return" in text, (label, kind)
                lead = loaded.answers.governance.model == "lead_provider"
                # round 15: a return only the head contract requires is not a mandated return
                assert "including those the Lead Provider makes under the Head Contract" \
                    not in text, (label, kind)
                assert ("A return that only the Head Contract requires, including the Lead "
                        "Provider's reports to the Commissioner under it, is not a mandated "
                        "return" in text) == lead, (label, kind)

    def test_the_lead_providers_returns_have_their_own_row(self) -> None:
        seen = 0
        for label, loaded in dsa_sets():
            a = loaded.answers
            rows = rows_by_purpose(loaded)
            returns = [r for p, r in rows.items() if p.startswith("Mandated returns")]
            if a.governance.model == "lead_provider" and a.data.kinds == "identifiable_commissioning":
                seen += 1
                assert len(returns) == 1, label
                basis = returns[0][3]
                assert basis.startswith("Art 6(1)(c)"), (label, basis)
                assert "s.259 of the Health and Social Care Act 2012" in basis, (label, basis)
                assert "not s.251 support" in basis and not basis.endswith("s.251 support")
                # round 15: each Member that must make a statutory return sends it itself
                assert returns[0][2].startswith("From each Member that must make the return "
                                                "to NHS England, direct"), label
                assert "Head Contract" not in returns[0][0], label
                # the commissioning row no longer carries the national data sets on s.251
                commissioning = rows["Commissioning and contract management under the Head "
                                     "Contract"]
                assert "national data set" not in commissioning[1], label
                legal = schedule(built(loaded, "data_sharing"), "data-sharing")
                assert "section 259 of the Health and Social Care Act 2012 under which each " \
                    "return is made" in legal, label
            else:
                assert not returns, label
            for purpose, row in rows.items():
                if "national data set" in row[1]:
                    assert purpose.startswith("Mandated returns"), (label, purpose)
        assert seen >= 3


# ------------------------------------------------------------------ 2 incidents and safeguarding


class TestIncidentAndSafeguardingFlowsHaveTheirRows:
    def test_every_data_sharing_agreement_lists_both_with_basis_and_condition(self) -> None:
        for label, loaded in dsa_sets() + [
                ("south-anonymised", changed(SOUTH, data={"kinds": "anonymised",
                                                          "controller_model": None,
                                                          "legal_gateway": None,
                                                          "dpia": None}))]:
            rows = rows_by_purpose(loaded)
            anonymised = loaded.answers.data.kinds == "anonymised"
            incidents = [r for p, r in rows.items() if p.startswith("Patient safety incidents")]
            assert len(incidents) == 1, (label, list(rows))
            assert "Patient Safety Incident Response Framework" in incidents[0][0]
            if anonymised:
                assert incidents[0][3].startswith("Not Personal Data"), label
            else:
                basis = incidents[0][3]
                assert basis.startswith("Art 6(1)(e)") and "Art 9(2)(h)" in basis, label
                assert "Art 9(2)(i) with paragraph 3 of Schedule 1 to the Data Protection " \
                    "Act 2018" in basis, label
            safeguarding = [r for p, r in rows.items() if p.startswith("Safeguarding")]
            assert len(safeguarding) == (0 if anonymised else 1), label
            if safeguarding:
                basis = safeguarding[0][3]
                assert basis.startswith("Art 6(1)(e)") and "Art 9(2)(g)" in basis, label
            # each row is a purpose of the agreement
            purpose = clause_text(built(loaded, "data_sharing"), "dsa-purpose-data")
            assert "patient safety incidents" in purpose, label
            if not anonymised:
                assert re.search(r"safeguard(ing)? (a child|children)", purpose), label

    def test_without_a_collaboration_agreement_no_clause_of_it_is_cited(self) -> None:
        loaded = changed(SOUTH)
        assert "collaboration_agreement" not in loaded.answers.documents
        for purpose, row in rows_by_purpose(loaded).items():
            assert "Collaboration Agreement" not in purpose, purpose


# ------------------------------------------------------------------ 3 confidentiality defers


class TestConfidentialityDefersToTheDataSharing:
    def test_no_closed_list_of_recipients_defeats_the_data_sharing(self) -> None:
        for label, loaded in [("dominant", changed(DOMINANT)), ("joint", changed(JOINT)),
                              ("mou-then", changed(MOU_THEN)), ("south", changed(SOUTH))]:
            a = loaded.answers
            kinds = [k for k in ("collaboration_agreement", "data_sharing")
                     if k in a.documents]
            if "sub_contracts" in a.documents:
                kinds.append("sub_contract")
            for kind in kinds:
                text = clause_text(built(loaded, kind), "confidentiality-foi")
                if kind == "data_sharing" and "collaboration_agreement" in a.documents:
                    # round 21: under a collaboration agreement the data sharing agreement takes
                    # that agreement's confidentiality clause and keeps only the patient rule
                    assert re.search(r"^Clause \d+ \(Confidentiality and freedom of information\) "
                                     r"of the Collaboration Agreement governs the confidentiality",
                                     text), label
                    assert "restricts a disclosure of Personal Data that clause " in text, label
                    assert re.search(r"is dealt with under clause \d+ and Schedule \d+", text)
                    assert "[[" not in text, label
                    continue
                assert "This clause does not restrict a disclosure of Personal Data that" \
                    in text, (label, kind)
                assert re.search(r"no less strict than this clause, or as clause [\d.]+ allows "
                                 r"for information about patients", text), (label, kind)
                if kind == "data_sharing":
                    assert re.search(r"is dealt with under clause \d+ and Schedule \d+", text)
                elif "data_sharing" in a.documents:
                    assert "and the data sharing agreement between the Members" in text, \
                        (label, kind)
                assert "Nothing in this clause permits" not in text, (label, kind)
                assert "[[" not in text, (label, kind)


# ------------------------------------------------------------------ 4 lead provider as processor


class TestLeadProcessorIsAWarning:
    @pytest.mark.parametrize("changes,warned", [
        ({}, True),
        ({"data": {"controller_model": "independent"}}, False),
        ({"data": {"kinds": "anonymised", "controller_model": None, "legal_gateway": None,
                   "dpia": None}}, False),
        ({"commissioning": {"lead_commissions": False, "separation": None}}, True),
    ])
    def test_validate_warns_and_does_not_refuse(self, runner: CliRunner, tmp_path: Path,
                                                changes: dict, warned: bool) -> None:
        source = tmp_path / "answers.yaml"
        source.write_text(changed_yaml(DOMINANT, changes), encoding="utf-8")
        result = runner.invoke(main, ["validate", str(source)])
        assert result.exit_code == 0, result.output
        line = [ln for ln in result.stderr.splitlines() if "warning [R17]" in ln]
        assert bool(line) == warned, result.stderr
        if warned:
            assert "data.controller_model" in line[0]
            assert "so it is a controller of that data, not a processor" in line[0]

    def test_no_warning_without_the_answer(self, runner: CliRunner) -> None:
        for path in (JOINT, NORTH_EAST, SOUTH):
            result = runner.invoke(main, ["validate", str(path)])
            assert result.exit_code == 0 and "warning [R17]" not in result.stderr, path
