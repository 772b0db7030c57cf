"""The questionnaire's questions: one definition, read from the answers models.

Why this module exists: company secretaries answer a questionnaire, not a YAML file. The
terminal front end (`drafting questionnaire`), the browser front end and the paper form all
ask the same questions, in the same order, with the same help and the same rules about
when a question applies. The answers models in `drafting.read.answers` already hold each
field's type, choices, default, question (`title`) and help (`description`); this module
adds only what a model cannot hold:

- the order of the questions and the sections they fall in (`SECTIONS`, A to J);
- a plain-English label for every choice of every enumerated field;
- WHEN each question applies, as a predicate over the answers given so far, mirroring the
  "only with" rules of `drafting.read.rules` so that no question is asked whose answer the
  validator would refuse (no banking-covenant question without an independent provider,
  no lead-provider questions without that model, no casting vote under consensus...);
- which choices are open given earlier answers (a lead-provider casting vote only with a
  lead provider) and checks that need earlier answers (unique member ids, dates in order).

API (stable; both front ends build on it)
-----------------------------------------
Answers "so far" are plain data: the dict an answers YAML file loads to (dates as
``"YYYY-MM-DD"`` strings, members as a list of dicts, keys as in the file, e.g. ``class``).
A path names one answer: ``"governance.voting"``, ``"members[2].kind"``,
``"governance.weights.tewv"``.

``SECTIONS``
    Tuple of `Section(letter, name, intro)`, A to J, in asking order; ``SECTION_BY_LETTER``
    maps a letter to its section.
``QUESTIONS``
    Every question template in asking order (member questions have paths
    ``members[].name``, weights ``governance.weights.*``). For the paper form and tests.
``Question``
    Frozen dataclass: ``path``, ``key`` (the template path), ``section`` (letter),
    ``title``, ``help``, ``kind`` (``text | choice | multi | bool | int | number | date |
    list | group``), ``choices`` (tuple of ``(value, label)``), ``default`` (`NO_DEFAULT`
    when there is none), ``required``, ``condition`` (plain words, "" when always asked),
    ``minimum``/``maximum``. Methods: ``applies(data) -> bool``,
    ``choices_for(data) -> list[(value, label)]`` (the choices open given earlier answers),
    ``validate(value, data) -> value`` (type, range, choice and cross-field checks; raises
    `AnswersError` naming the path) and ``parse(text, data) -> value`` (from what a person
    typed: numbers or names for choices, ``y``/``n``, one item per line for lists).
    ``default_for(data)`` is the default offered given earlier answers (`NO_DEFAULT` when the
    model's default is not open, e.g. no information barrier beside an independent provider).
    ``when`` is the condition itself, ``When(text, test)``, callable as ``when(data, member)``
    (None when always asked); ``open`` maps a choice to the `When` under which it is open.
    A template member question becomes concrete with ``for_member(index)``.
    The ``group`` question (path ``members``) asks "Add another member?": its value is a
    bool; ``validate(False, data)`` raises when more members are needed (R1).
``questions_for(data)``
    Iterator of the concrete questions that apply to `data`, in asking order (member
    questions once per member already started, then the group question).
``pending(data, closed_groups=())``
    The applicable questions not yet answered, in order; ``pending(...)[0]`` is the next
    question. A group counts as closed once it is in `closed_groups` or a later question
    has been answered (so a resumed file does not ask "another member?" again).
``get_answer(data, path, default=None)``, ``has_answer(data, path)``,
``set_answer(data, path, value)``, ``delete_answer(data, path)``
    Read and write one answer in place (intermediate sections and list items are created).
``add_member(data) -> int``
    Start a new member (an empty dict) and return its index.
``prune(data) -> list[str]``
    Remove answers to questions that no longer apply, or whose choice is no longer open,
    after an earlier answer changed; returns the paths removed (so they are asked again).
``questions_at(data, path)``
    The applicable questions that answer `path` or lie under it: where to go back to when
    the validator reports a problem at `path`.
``position(question, data) -> (section_number, section_count, number, count)``
    Progress: "Section C of J: Governance, question 4 of 15".
``to_yaml(data, with_comments=True) -> str``
    The answers file, keys in questionnaire order, each preceded by its question as a
    comment when `with_comments`; loads back with `drafting.read.load.parse_answers`.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from drafting.errors import AnswersError, Problem
from drafting.read.answers import COMPANY_KINDS, NHS_KINDS, STANDARD_RESERVED_MATTERS, Answers

__all__ = [
    "NO_DEFAULT",
    "QUESTIONS",
    "SECTIONS",
    "SECTION_BY_LETTER",
    "Question",
    "Section",
    "add_member",
    "delete_answer",
    "get_answer",
    "has_answer",
    "pending",
    "position",
    "prune",
    "questions_at",
    "questions_for",
    "set_answer",
    "to_yaml",
]

Kind = Literal["text", "choice", "multi", "bool", "int", "number", "date", "list", "group"]
Data = Mapping[str, Any]


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()
"""The `default` of a question that has none (None is a real default: "leave blank")."""


# --------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class Section:
    letter: str
    name: str
    intro: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "A",
        "The collaborative, its members and its documents",
        "Who the collaborative is, what it is for, how it is run in outline, which documents "
        "are needed and who signs them.",
    ),
    Section(
        "B",
        "Lead provider and conflicts",
        "The lead provider's contract with the commissioner and how its commissioning and "
        "provider roles are kept apart.",
    ),
    Section(
        "C",
        "Governance, voting and reporting",
        "How the board votes, who chairs it, how it breaks a deadlock and how it reports.",
    ),
    Section(
        "D",
        "Finance, risk and gain share",
        "How money flows, who bears a deficit, who shares a surplus and who is liable.",
    ),
    Section(
        "E",
        "Intellectual property",
        "Who owns what the members bring and what they create together.",
    ),
    Section(
        "F",
        "Membership: joining, leaving and expulsion",
        "How members join, how they leave and when they can be made to leave.",
    ),
    Section(
        "G",
        "Competition law and information",
        "Keeping competitively sensitive information apart when competitors sit together.",
    ),
    Section("H", "Data", "What patient data the members share and on what legal basis."),
    Section("I", "Disputes", "The steps for resolving a disagreement between members."),
    Section("J", "Clinical model", "Who is clinically accountable and how incidents are reported."),
)
SECTION_BY_LETTER = {s.letter: s for s in SECTIONS}


# --------------------------------------------------------------------------- data paths

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _parts(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _TOKEN.findall(path)]


def has_answer(data: Data, path: str) -> bool:
    node: Any = data
    for part in _parts(path):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return False
        elif not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def get_answer(data: Data, path: str, default: Any = None) -> Any:
    """The answer at `path`, or `default` when it has not been given."""
    node: Any = data
    for part in _parts(path):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return default
        elif not isinstance(node, Mapping) or part not in node:
            return default
        node = node[part]
    return node


def set_answer(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Store `value` at `path` in `data` (in place), creating sections on the way; return data."""
    parts = _parts(path)
    node: Any = data
    for part, nxt in itertools.pairwise(parts):
        empty: Any = [] if isinstance(nxt, int) else {}
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
            if not isinstance(node[part], (dict, list)):
                node[part] = empty
        elif not isinstance(node.get(part), (dict, list)):
            node[part] = empty
        node = node[part]
    last = parts[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value
    return data


def delete_answer(data: dict[str, Any], path: str) -> None:
    """Forget the answer at `path` (one answer or a whole section); empty sections go too."""
    parts = _parts(path)
    chain: list[Any] = [data]
    for part in parts[:-1]:
        node = chain[-1]
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return
        elif not isinstance(node, dict) or part not in node:
            return
        chain.append(node[part])
    parent, last = chain[-1], parts[-1]
    if isinstance(last, int):
        if isinstance(parent, list) and last < len(parent):
            parent.pop(last)
        return
    if isinstance(parent, dict):
        parent.pop(last, None)
    # drop sections left empty (never list items: an empty member is a member being started)
    for depth in range(len(parts) - 1, 0, -1):
        node, key = chain[depth], parts[depth - 1]
        if isinstance(node, dict) and not node and isinstance(key, str):
            chain[depth - 1].pop(key, None)
        else:
            break


def add_member(data: dict[str, Any]) -> int:
    """Start a new member and return its index."""
    members = data.setdefault("members", [])
    members.append({})
    return len(members) - 1


# --------------------------------------------------------------------------- conditions


def _members(d: Data) -> list[Mapping[str, Any]]:
    return [m for m in (d.get("members") or []) if isinstance(m, Mapping)]


def _lead(d: Data) -> bool:
    return get_answer(d, "governance.model") == "lead_provider"


def _has_is(d: Data) -> bool:
    return any(m.get("kind") == "independent_sector" for m in _members(d))


def _has_company(d: Data) -> bool:
    return any(m.get("kind") in COMPANY_KINDS for m in _members(d))


def _docs(d: Data) -> list[str]:
    return list(get_answer(d, "documents") or [])


def _non_binding_mou_only(d: Data) -> bool:
    docs = _docs(d)
    return (
        "mou" in docs and "collaboration_agreement" not in docs and not get_answer(d, "mou_binding")
    )


def _voting_ids(d: Data) -> list[str]:
    return [m["id"] for m in _members(d) if m.get("id") and m.get("class", "voting") == "voting"]


Test = Callable[[Data, Mapping[str, Any]], bool]


@dataclass(frozen=True)
class When:
    """A condition with its plain-English reading, for the paper form and for reviewers."""

    text: str
    test: Test

    def __call__(self, data: Data, member: Mapping[str, Any] | None = None) -> bool:
        return bool(self.test(data, member or {}))

    def __and__(self, other: When) -> When:
        return When(
            f"{self.text} and {other.text}", lambda d, m: self.test(d, m) and other.test(d, m)
        )


LEAD = When("with the lead-provider model", lambda d, m: _lead(d))
NOT_LEAD = When("without the lead-provider model", lambda d, m: not _lead(d))
HAS_IS = When("with an independent-sector member", lambda d, m: _has_is(d))
NO_IS = When("without an independent-sector member", lambda d, m: not _has_is(d))
NOT_ADVISORY = When(
    "when the board takes decisions (not an advisory group)",
    lambda d, m: get_answer(d, "governance.vehicle") != "advisory_group",
)
BINDING = When(
    "when the documents bind (not only a non-binding MOU)", lambda d, m: not _non_binding_mou_only(d)
)


def _answer_is(path: str, *values: Any, text: str) -> When:
    return When(text, lambda d, m: get_answer(d, path) in values)


def _member_is(text: str, kinds: frozenset[str] | set[str]) -> When:
    return When(text, lambda d, m: m.get("kind") in kinds)


# --------------------------------------------------------------------------- choice labels

LABELS: dict[str, dict[str, str]] = {
    "collaborative.kind": {
        "horizontal": "Horizontal: similar providers working together at scale (e.g. acute trusts)",
        "vertical": (
            "Vertical: providers of different parts of one pathway "
            "(e.g. acute, community, primary care)"
        ),
        "specialised_mental_health": (
            "Specialised mental health, learning disability and autism: "
            "NHS-led, taking budget and pathway responsibility"
        ),
    },
    "collaborative.term.kind": {
        "fixed_years": "A fixed number of years",
        "head_contract": "As long as the lead provider's contract with the commissioner",
        "rolling": "Rolling: continues until ended, reviewed every year",
    },
    "governance.model": {
        "lead_provider": (
            "Lead provider: one NHS trust holds the contract and sub-contracts the others"
        ),
        "provider_leadership_board": (
            "Provider leadership board: each member's representative sits on a board"
        ),
        "shared_leadership": "Shared leadership: joint posts over the members' separate boards",
    },
    "governance.vehicle": {
        "advisory_group": "Advisory group: advises and recommends; the members' boards decide",
        "individual_decision_makers": (
            "Individual decision makers: each representative decides "
            "under powers delegated by its own body"
        ),
        "committees_in_common": (
            "Committees in common: each member's own committee meets with the "
            "others and decides for its own body only"
        ),
        "joint_committee": (
            "Joint committee (NHS Act 2006 s.65Z5): one committee whose decisions bind "
            "all; NHS and public bodies only"
        ),
        "partnership_board": (
            "Partnership board: a board set up by contract whose decisions the "
            "members agree to follow"
        ),
    },
    "documents": {
        "mou": "Memorandum of understanding (an early-stage statement of intent)",
        "collaboration_agreement": (
            "Collaboration agreement (the binding agreement between the members)"
        ),
        "sub_contracts": "Lead-provider sub-contracts (one for each partner)",
        "committee_terms": "Terms of reference of the board or committee",
        "data_sharing": "Data sharing agreement",
        "accession_deed": "Accession deed (for members joining later)",
    },
    "members[].kind": {
        "nhs_trust": "NHS trust",
        "nhs_foundation_trust": "NHS foundation trust",
        "independent_sector": "Independent-sector provider (a company)",
        "vcse": "Voluntary, community or social enterprise organisation",
        "local_authority": "Local authority",
        "icb": "Integrated care board",
        "nhs_england": "NHS England",
    },
    "members[].class": {
        "voting": "Voting member: a full member that votes",
        "associate": "Associate member: takes part but does not vote",
        "observer": "Observer: attends (e.g. the ICB) but is excluded from confidential items",
    },
    "head_contract.kind": {
        "nhs_standard_contract": "NHS Standard Contract",
        "delegated_arrangement": "Delegated commissioning arrangement",
    },
    "head_contract.provider_selection_route": {
        "direct_award_a": "Direct award A: only this provider can provide the services",
        "direct_award_b": (
            "Direct award B: patients choose their provider and all capable providers "
            "are contracted"
        ),
        "direct_award_c": (
            "Direct award C: the existing provider is doing well and nothing changes considerably"
        ),
        "most_suitable_provider": (
            "Most suitable provider: chosen without a competition after assessing providers"
        ),
        "competitive": "Competitive process",
    },
    "commissioning.separation": {
        "commissioning_hub": "A ring-fenced commissioning hub behind an information barrier",
        "recusal": "The lead's provider arm does not vote on decisions about itself",
        "independent_chair": "An independent or non-executive chair for allocation decisions",
        "external_audit": "External assurance or audit of allocation decisions",
    },
    "commissioning.management_fee.kind": {
        "none": "No management fee",
        "fixed": "A fixed sum in pounds each year",
        "percent": "A percentage of contract value",
    },
    "governance.voting": {
        "consensus": "Consensus: decisions are taken only when no member objects",
        "simple_majority": "Simple majority: one member, one vote, more than half decides",
        "special_majority": "Special majority: a set share of votes above half (e.g. 75%)",
        "unanimity": "Unanimity: every voting member must vote in favour",
        "weighted": "Weighted: members' votes count in proportion to their weights",
    },
    "governance.weight_basis": {
        "contract_value": "In proportion to each voting member's annual contract value",
        "fixed": "A fixed table of weights agreed by the members",
    },
    "governance.reserved_matters": {
        "admit_member": "Admitting a new member",
        "expel_member": "Expelling a member",
        "amend_agreement": "Amending the agreement",
        "annual_budget": "Approving the annual budget",
        "risk_share_changes": "Changing the risk or gain share",
        "ip_commercialisation": "Commercialising intellectual property",
        "service_reconfiguration": "Reconfiguring services",
        "dissolution": "Dissolving the collaborative",
    },
    "governance.lead_provider_veto": {
        "none": "No veto",
        "head_contract_compliance": (
            "Only over decisions that would put it in breach of the head "
            "contract or its statutory duties"
        ),
        "general": "A general veto over any decision",
    },
    "governance.deadlock": {
        "chair_casting_vote": "The chair has a casting vote",
        "lead_provider_casting_vote": "The lead provider has a casting vote",
        "refer_to_boards": "No casting vote: the matter goes back to the members' boards",
        "dispute_procedure": "No casting vote: the matter goes into the dispute procedure",
    },
    "governance.chair": {
        "independent": "An independent chair",
        "rotating": "The chair rotates between the members",
        "lead_provider": "The lead provider's representative chairs",
        "co_chairs": "Co-chairs",
    },
    "governance.quorum": {
        "all_voting_members": "All voting members must be present",
        "majority": "A majority of voting members",
        "majority_including_lead": "A majority of voting members, including the lead provider",
        "one_per_nhs_member": "At least one representative of each NHS member",
    },
    "governance.meeting_frequency": {
        "monthly": "Monthly",
        "bimonthly": "Every two months",
        "quarterly": "Quarterly",
    },
    "governance.board_reporting": {
        "after_each_meeting": "After each meeting",
        "quarterly": "Quarterly",
        "annual": "An annual report, plus exceptions as they arise",
    },
    "governance.managing_director": {
        "none": "No managing director",
        "employed_by_lead": "Yes, employed by the lead provider",
        "seconded": "Yes, seconded from a member",
        "joint_appointment": "Yes, a joint appointment of the members",
    },
    "governance.staffing": {
        "each_employs_own": "Each member employs its own staff",
        "host_recharges": "A host member employs the staff and recharges the others",
        "secondment": "Staff are seconded to the collaborative",
        "tupe_to_lead": "Staff transfer to the lead provider (TUPE)",
    },
    "finance.model": {
        "no_pooling": "No pooling: each member bears its own costs",
        "running_costs": "The members contribute to running costs only",
        "lead_holds_budget": "The lead provider holds the budget and pays the partners",
        "shared_control_total": "A shared control total with a risk and gain share",
    },
    "finance.running_cost_split": {
        "equal": "Equally",
        "pro_rata": "In proportion to contract value",
        "fixed": "By a fixed schedule",
    },
    "finance.surplus": {
        "reinvest": "Reinvested in the collaborative's priorities",
        "distribute_pro_rata": "Distributed to members in proportion to contract value",
        "lead_retains": "Kept by the lead provider",
        "split": "Split: a share reinvested, the rest distributed",
    },
    "finance.deficit": {
        "lead_bears": "Borne by the lead provider",
        "pro_rata": "Shared in proportion to contract value",
        "equal": "Shared equally",
        "capped": "Shared, but capped for each member",
    },
    "finance.liability": {
        "several": "Each member is liable only for its own acts (several liability)",
        "several_with_cap": "Several liability, capped at a multiple of annual contract value",
    },
    "finance.open_book": {
        "full": "Full open book between the members",
        "hub_only": "Cost data goes only to the commissioning hub, behind a barrier",
        "none": "No open-book accounting",
    },
    "finance.reconciliation": {
        "quarterly": "Quarterly",
        "year_end": "At the financial year end (31 March)",
    },
    "ip.background": {
        "retain_with_licence": "Each member keeps its own and licenses it for the collaborative",
    },
    "ip.foreground": {
        "lead_owns": "The lead provider owns it for the collaborative",
        "joint": "The members own it jointly",
        "creator_owns_with_licence": "The member that creates it owns it and licenses the others",
    },
    "ip.on_exit": {
        "stays_with_collaborative": "It stays with the collaborative; the leaver gets a licence",
        "leaver_takes_own": "The leaver takes what it created and licenses the others",
        "mutual_licences": "Everyone keeps a perpetual licence of everything",
    },
    "ip.commercialisation": {
        "unanimous_approval": "Only with the approval of every member",
        "revenue_share": "Allowed, with revenue shared by contribution",
        "nhs_ip_guidance": "Following the NHS intellectual property guidance",
    },
    "membership.joining": {
        "unanimous": "All members must approve",
        "majority": "A majority of members must approve",
        "criteria": "Anyone meeting the joining criteria may join",
    },
    "membership.joining_criteria": {
        "cqc_registration": "Registered with the Care Quality Commission",
        "dspt": "Meets the Data Security and Protection Toolkit standard",
        "financial_standing": "Sound financial standing",
        "accession_deed": "Signs the accession deed",
    },
    "membership.expulsion_grounds": {
        "material_breach": "A material breach not put right in the cure period",
        "insolvency": "Insolvency",
        "loss_of_registration": "Loss of CQC registration or enforcement action",
        "change_of_control": "A change of control of a member company",
        "competition_breach": "A breach of competition law",
        "repeated_non_attendance": "Repeatedly failing to attend meetings",
    },
    "membership.change_of_control": {
        "notify": "The company must tell the others",
        "consent": "The others must consent",
        "termination_right": "The others may end its membership",
    },
    "competition.information_barrier": {
        "none": "No information barrier",
        "hub": "Only the commissioning hub sees competitively sensitive information",
        "clean_team": "A named clean team behind an information barrier",
    },
    "competition.exclusivity": {
        "none": "No exclusivity",
        "scope_and_term": "Exclusivity limited to the services in scope and the term",
    },
    "data.kinds": {
        "anonymised": "Only anonymised or aggregated data",
        "pseudonymised": "Pseudonymised data",
        "identifiable_direct_care": "Identifiable data, for direct care",
        "identifiable_commissioning": "Identifiable data, for commissioning or case management",
    },
    "data.controller_model": {
        "independent": "Each member is an independent controller",
        "joint": "The members are joint controllers (UK GDPR Art. 26)",
        "lead_processor": "The lead provider processes data for the members (UK GDPR Art. 28)",
    },
    "data.legal_gateway": {
        "direct_care": "Direct care (implied consent)",
        "s251": "Section 251 support (NHS Act 2006)",
        "consent": "Explicit consent",
        "anonymisation": "Anonymisation",
    },
    "data.dpia": {
        "completed": "Completed",
        "before_go_live": "To be completed before going live",
    },
    "disputes.tiers": {
        "operational_leads": "Operational leads meet",
        "chief_executives": "Chief executives meet",
        "partnership_board": "The partnership board considers it",
        "icb_facilitation": "The ICB or NHS England facilitates",
        "mediation": "Mediation",
        "expert_determination": "Expert determination",
        "courts": "The courts",
    },
    "clinical.accountability": {
        "each_provider": "Each provider keeps clinical accountability for its own patients",
        "lead_framework": "The lead provider's clinical governance framework applies",
        "joint_clinical_group": "A joint clinical reference group",
    },
}


# --------------------------------------------------------------------------- the questions

Check = Callable[[Any, Data, Mapping[str, Any]], "str | None"]


@dataclass(frozen=True)
class _Spec:
    key: str
    section: str
    when: When | None = None
    open: Mapping[str, When] = field(default_factory=dict)  # choice -> when it is open
    required: bool | None = None  # None: as the model says
    check: Check | None = None
    help: str = ""  # added to the model's description
    title: str = ""  # only where the model's title would not make a question
    kind: Kind | None = None


def _unique_id(value: Any, data: Data, member: Mapping[str, Any]) -> str | None:
    others = [m.get("id") for m in _members(data) if m is not member]
    if value in others:
        return f"'{value}' is already the id of another member; choose a different one"
    return None


def _after_start(value: Any, data: Data, member: Mapping[str, Any]) -> str | None:
    start = get_answer(data, "head_contract.start")
    if start and str(value) <= str(start):
        return f"the head contract must end after it starts ({start})"
    commencement = get_answer(data, "collaborative.commencement_date")
    if commencement and str(value) <= str(commencement):
        return f"the head contract must end after the agreement commences ({commencement})"
    return None


def _special_majority(value: Any, data: Data, member: Mapping[str, Any]) -> str | None:
    return None if value > 50 else "a special majority must be more than 50%"


def _fee_value(value: Any, data: Data, member: Mapping[str, Any]) -> str | None:
    if get_answer(data, "commissioning.management_fee.kind") == "percent" and value > 100:
        return "a percentage fee must be from 0 to 100"
    return None


def _at_least_one(value: Any, data: Data, member: Mapping[str, Any]) -> str | None:
    return None if value else "choose at least one"


def _tiers(value: Any, data: Data, member: Mapping[str, Any]) -> str | None:
    if len(set(value)) != len(value):
        return "each step may appear only once"
    if "courts" in value and value[-1] != "courts":
        return "the courts must be the last step"
    return None


def _last_weight(value: Any, data: Data, member: Mapping[str, Any]) -> str | None:
    """The last weight asked must bring the total to 100."""
    voters = _voting_ids(data)
    weights = dict(get_answer(data, "governance.weights") or {})
    mine = member.get("id")
    others = [v for v in voters if v != mine]
    if mine and all(v in weights for v in others):
        total = sum(float(weights[v]) for v in others) + float(value)
        if abs(total - 100) > 0.01:
            need = 100 - sum(float(weights[v]) for v in others)
            return (
                f"the weights must add up to 100; with this one they add up to {total:g} "
                f"(this one would need to be {need:g})"
            )
    return None


_CASTING_OK = When(
    "when voting is neither by consensus nor by unanimity",
    lambda d, m: get_answer(d, "governance.voting") not in ("consensus", "unanimity"),
)
_ALL_VOTERS_VALUED = When(
    "when every voting member's annual contract value is given",
    lambda d, m: all(
        mm.get("annual_contract_value") is not None
        for mm in _members(d)
        if mm.get("class", "voting") == "voting"
    ),
)

_SPECS: tuple[_Spec, ...] = (
    # A ---------------------------------------------------------------------------------
    _Spec("collaborative.name", "A"),
    _Spec("collaborative.short_name", "A"),
    _Spec("collaborative.kind", "A"),
    _Spec("collaborative.ics", "A"),
    _Spec("collaborative.purpose", "A"),
    _Spec("collaborative.objectives", "A"),
    _Spec("collaborative.services", "A"),
    _Spec("collaborative.commencement_date", "A"),
    _Spec("governance.model", "A"),
    _Spec("governance.vehicle", "A"),
    _Spec(
        "governance.delegations_approved",
        "A",
        when=_answer_is(
            "governance.vehicle",
            "committees_in_common",
            "joint_committee",
            text="with committees in common or a joint committee",
        ),
        help="The documents cannot take effect until every board has approved; answer yes "
        "once they have (it can be changed later).",
    ),
    _Spec("documents", "A", open={"sub_contracts": LEAD}),
    _Spec(
        "mou_binding",
        "A",
        required=True,
        when=When("when an MOU is among the documents", lambda d, m: "mou" in _docs(d)),
    ),
    _Spec("collaborative.term.kind", "A", open={"head_contract": LEAD}),
    _Spec(
        "collaborative.term.years",
        "A",
        required=True,
        when=_answer_is("collaborative.term.kind", "fixed_years", text="with a fixed term"),
    ),
    _Spec("members", "A", kind="group"),
    _Spec("members[].id", "A", check=_unique_id),
    _Spec("members[].name", "A"),
    _Spec("members[].kind", "A"),
    _Spec(
        "members[].class",
        "A",
        open={
            "voting": When(
                "when the member may vote (not a company on a joint committee)",
                lambda d, m: (
                    not (
                        get_answer(d, "governance.vehicle") == "joint_committee"
                        and m.get("kind") in COMPANY_KINDS
                    )
                ),
            ),
        },
    ),
    _Spec("members[].address", "A"),
    _Spec(
        "members[].company_number",
        "A",
        when=_member_is("for a company or VCSE member", COMPANY_KINDS),
    ),
    _Spec("members[].ods_code", "A"),
    _Spec("members[].representative.name", "A", title="Who represents it on the board? Their name"),
    _Spec("members[].representative.role", "A", title="The representative's role or job title"),
    _Spec("members[].signatory.name", "A", title="Who signs the documents for it? Their name"),
    _Spec("members[].signatory.role", "A", title="The signatory's role or job title"),
    _Spec("members[].annual_contract_value", "A"),
    _Spec(
        "members[].banking_covenants",
        "A",
        required=True,
        when=_member_is("for an independent-sector member", {"independent_sector"}),
    ),
    # B ---------------------------------------------------------------------------------
    _Spec(
        "lead_provider",
        "B",
        when=LEAD,
        required=True,
        kind="choice",
        help="The lead provider must be an NHS trust or foundation trust among the members.",
    ),
    _Spec("head_contract.commissioner", "B", when=LEAD),
    _Spec("head_contract.kind", "B", when=LEAD),
    _Spec("head_contract.reference", "B", when=LEAD),
    _Spec("head_contract.start", "B", when=LEAD),
    _Spec(
        "head_contract.end",
        "B",
        when=LEAD,
        check=_after_start,
        help="Every sub-contract ends no later than this date.",
    ),
    _Spec("head_contract.considerable_change", "B", when=LEAD),
    _Spec(
        "head_contract.provider_selection_route",
        "B",
        when=LEAD,
        open={
            "direct_award_c": When(
                "when the change is not considerable",
                lambda d, m: not get_answer(d, "head_contract.considerable_change"),
            ),
        },
    ),
    _Spec("commissioning.lead_commissions", "B", when=LEAD),
    _Spec(
        "commissioning.separation",
        "B",
        check=_at_least_one,
        when=_answer_is(
            "commissioning.lead_commissions", True, text="when the lead provider commissions"
        ),
    ),
    _Spec(
        "commissioning.management_fee.kind",
        "B",
        when=LEAD,
        title="Does the lead provider charge a management fee?",
    ),
    _Spec(
        "commissioning.management_fee.value",
        "B",
        required=True,
        check=_fee_value,
        when=LEAD
        & _answer_is(
            "commissioning.management_fee.kind",
            "fixed",
            "percent",
            text="with a fixed or percentage fee",
        ),
    ),
    _Spec(
        "commissioning.partner_payment_days",
        "B",
        when=LEAD,
        title="Within how many days must the lead provider pay its partners?",
    ),
    # C ---------------------------------------------------------------------------------
    _Spec("governance.voting", "C"),
    _Spec(
        "governance.special_majority_percent",
        "C",
        check=_special_majority,
        when=_answer_is("governance.voting", "special_majority", text="with a special majority"),
    ),
    _Spec(
        "governance.weight_basis",
        "C",
        required=True,
        open={"contract_value": _ALL_VOTERS_VALUED},
        when=_answer_is("governance.voting", "weighted", text="with weighted voting"),
    ),
    _Spec(
        "governance.weights.*",
        "C",
        required=True,
        kind="number",
        check=_last_weight,
        when=_answer_is("governance.weight_basis", "fixed", text="with a fixed table of weights"),
    ),
    _Spec("governance.reserved_matters", "C", when=NOT_ADVISORY),
    _Spec("governance.lead_provider_veto", "C", when=LEAD & NOT_ADVISORY),
    _Spec(
        "governance.deadlock",
        "C",
        open={
            "chair_casting_vote": _CASTING_OK & NOT_ADVISORY,
            "lead_provider_casting_vote": LEAD & _CASTING_OK & NOT_ADVISORY,
        },
    ),
    _Spec("governance.chair", "C", open={"lead_provider": LEAD}),
    _Spec(
        "governance.chair_rotation_months",
        "C",
        required=True,
        when=_answer_is("governance.chair", "rotating", text="with a rotating chair"),
    ),
    _Spec("governance.quorum", "C", open={"majority_including_lead": LEAD}),
    _Spec("governance.meeting_frequency", "C"),
    _Spec("governance.meetings_in_public", "C"),
    _Spec("governance.board_reporting", "C"),
    _Spec("governance.managing_director", "C", open={"employed_by_lead": LEAD}),
    _Spec("governance.staffing", "C", open={"tupe_to_lead": LEAD}),
    # D ---------------------------------------------------------------------------------
    _Spec(
        "finance.model",
        "D",
        open={
            "lead_holds_budget": LEAD & BINDING,
            "shared_control_total": BINDING,
        },
    ),
    _Spec("finance.running_cost_split", "D"),
    _Spec("finance.surplus", "D", open={"lead_retains": LEAD}),
    _Spec(
        "finance.surplus_reinvest_percent",
        "D",
        required=True,
        when=_answer_is("finance.surplus", "split", text="when a surplus is split"),
    ),
    _Spec("finance.deficit", "D", open={"lead_bears": LEAD}),
    _Spec(
        "finance.loss_cap_percent",
        "D",
        required=True,
        when=_answer_is("finance.deficit", "capped", text="with capped losses"),
    ),
    _Spec("finance.liability", "D", open={"several_with_cap": BINDING}),
    _Spec(
        "finance.liability_cap_multiple",
        "D",
        required=True,
        when=_answer_is("finance.liability", "several_with_cap", text="with capped liability"),
    ),
    _Spec("finance.open_book", "D", open={"full": NO_IS}),
    _Spec("finance.reconciliation", "D"),
    # E ---------------------------------------------------------------------------------
    _Spec("ip.background", "E"),
    _Spec("ip.foreground", "E", open={"lead_owns": LEAD & BINDING}),
    _Spec("ip.on_exit", "E"),
    _Spec("ip.commercialisation", "E"),
    # F ---------------------------------------------------------------------------------
    _Spec("membership.joining", "F"),
    _Spec("membership.joining_criteria", "F"),
    _Spec("membership.withdrawal_notice_months", "F"),
    _Spec("membership.withdrawal_at_year_end", "F"),
    _Spec("membership.minimum_term_years", "F"),
    _Spec(
        "membership.expulsion_grounds",
        "F",
        open={
            "change_of_control": When(
                "with a company or VCSE member", lambda d, m: _has_company(d)
            ),
        },
    ),
    _Spec("membership.cure_period_days", "F"),
    _Spec(
        "membership.change_of_control",
        "F",
        when=When("with a company or VCSE member", lambda d, m: _has_company(d)),
    ),
    # G ---------------------------------------------------------------------------------
    _Spec("competition.information_barrier", "G", when=HAS_IS, open={"none": NO_IS}),
    _Spec("competition.exclusivity", "G"),
    # H ---------------------------------------------------------------------------------
    _Spec("data.kinds", "H"),
    _Spec(
        "data.controller_model",
        "H",
        required=True,
        open={"lead_processor": LEAD},
        when=When(
            "when more than anonymised data is shared",
            lambda d, m: get_answer(d, "data.kinds", "anonymised") != "anonymised",
        ),
    ),
    _Spec(
        "data.legal_gateway",
        "H",
        required=True,
        when=When(
            "when more than anonymised data is shared",
            lambda d, m: get_answer(d, "data.kinds", "anonymised") != "anonymised",
        ),
    ),
    _Spec(
        "data.dpia",
        "H",
        required=True,
        when=When(
            "when more than anonymised data is shared",
            lambda d, m: get_answer(d, "data.kinds", "anonymised") != "anonymised",
        ),
    ),
    # I ---------------------------------------------------------------------------------
    _Spec("disputes.tiers", "I", check=_tiers),
    _Spec("disputes.days_per_tier", "I"),
    _Spec(
        "disputes.mediator",
        "I",
        required=True,
        when=When(
            "when mediation is a step",
            lambda d, m: "mediation" in (get_answer(d, "disputes.tiers") or []),
        ),
    ),
    _Spec(
        "disputes.facilitating_body",
        "I",
        required=True,
        when=When(
            "when ICB facilitation is a step",
            lambda d, m: "icb_facilitation" in (get_answer(d, "disputes.tiers") or []),
        ),
    ),
    # J ---------------------------------------------------------------------------------
    _Spec("clinical.accountability", "J", open={"lead_framework": LEAD}),
    _Spec("clinical.incident_notification_days", "J"),
)


# --------------------------------------------------------------------------- reading the models


def _model_field(key: str) -> tuple[Any, Any]:
    """The pydantic FieldInfo for a template key, and the annotation of one value."""
    model: Any = Answers
    info: Any = None
    parts = key.replace("[]", "").split(".")
    for i, part in enumerate(parts):
        if part == "*":
            ann = _strip_optional(info.annotation)
            return info, get_args(ann)[1]
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        info = fields[part]
        if i < len(parts) - 1 and parts[i + 1] != "*":
            model = _inner_model(info.annotation)
    return info, info.annotation


def _strip_optional(ann: Any) -> Any:
    if get_origin(ann) in (Union, types.UnionType):
        args = [a for a in get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return ann


def _strip(ann: Any) -> Any:
    ann = _strip_optional(ann)
    while get_origin(ann) is Annotated:
        ann = get_args(ann)[0]
    return _strip_optional(ann)


def _inner_model(ann: Any) -> type[BaseModel]:
    ann = _strip(ann)
    if get_origin(ann) is list:
        ann = _strip(get_args(ann)[0])
    assert isinstance(ann, type) and issubclass(ann, BaseModel), ann
    return ann


def _kind_of(ann: Any) -> tuple[Kind, tuple[str, ...]]:
    ann = _strip(ann)
    origin = get_origin(ann)
    if origin is Literal:
        return "choice", tuple(get_args(ann))
    if origin is list:
        item = _strip(get_args(ann)[0])
        if get_origin(item) is Literal:
            return "multi", tuple(get_args(item))
        return "list", ()
    if ann is bool:
        return "bool", ()
    if ann is int:
        return "int", ()
    if ann is float:
        return "number", ()
    if ann is dt.date:
        return "date", ()
    return "text", ()


def _bounds(info: Any, ann: Any) -> tuple[float | None, float | None]:
    """Lower and upper bounds from the field's constraints, wherever pydantic keeps them."""
    low: float | None = None
    high: float | None = None
    pending_meta: list[Any] = list(getattr(info, "metadata", []) or [])
    stack = [ann]
    while stack:
        a = stack.pop()
        if get_origin(a) is Annotated:
            args = get_args(a)
            stack.append(args[0])
            for meta in args[1:]:
                pending_meta.extend(getattr(meta, "metadata", []) or [meta])
        elif get_origin(a) in (Union, types.UnionType):
            stack.extend(get_args(a))
    for meta in pending_meta:
        for name in ("ge", "gt"):
            if getattr(meta, name, None) is not None:
                low = getattr(meta, name)
        for name in ("le", "lt"):
            if getattr(meta, name, None) is not None:
                high = getattr(meta, name)
    return low, high


# --------------------------------------------------------------------------- Question


@dataclass(frozen=True)
class Question:
    """One question, concrete (``members[1].kind``) or as a template (``members[].kind``)."""

    path: str
    key: str
    section: str
    title: str
    help: str
    kind: Kind
    choices: tuple[tuple[str, str], ...]
    default: Any
    required: bool
    condition: str
    minimum: float | None = None
    maximum: float | None = None
    member_index: int | None = None
    when: When | None = field(default=None, repr=False, compare=False)
    open: Mapping[str, When] = field(default_factory=dict, repr=False, compare=False)
    extra_check: Check | None = field(default=None, repr=False, compare=False)
    adapter: Any = field(default=None, repr=False, compare=False)

    # -- context

    def member(self, data: Data) -> Mapping[str, Any]:
        """The member this question is about ({} for other questions)."""
        if self.key == "governance.weights.*":
            mid = self.path.rsplit(".", 1)[1]
            return next((m for m in _members(data) if m.get("id") == mid), {"id": mid})
        if self.member_index is None:
            return {}
        members = _members(data)
        return members[self.member_index] if self.member_index < len(members) else {}

    def for_member(self, index: int) -> Question:
        """This member question (template ``members[].x``) for the member at `index`."""
        return replace(self, path=self.key.replace("[]", f"[{index}]", 1), member_index=index)

    def applies(self, data: Data) -> bool:
        """Whether the question is asked, given the answers so far."""
        return self.when is None or self.when(data, self.member(data))

    def choices_for(self, data: Data) -> list[tuple[str, str]]:
        """The choices open given the answers so far (all of them when nothing restricts)."""
        if self.key == "lead_provider":
            return [
                (str(m["id"]), str(m.get("name") or m["id"]))
                for m in _members(data)
                if m.get("id") and m.get("kind") in NHS_KINDS
            ]
        member = self.member(data)
        return [
            (v, label)
            for v, label in self.choices
            if v not in self.open or self.open[v](data, member)
        ]

    def default_for(self, data: Data) -> Any:
        """The default offered given the answers so far: `NO_DEFAULT` when the model's default
        is not open here (an information barrier of none with an independent provider)."""
        if self.default is NO_DEFAULT:
            return NO_DEFAULT
        try:
            return self.validate(_copy(self.default), data)
        except AnswersError:
            return NO_DEFAULT

    # -- answers

    def _fail(self, message: str) -> AnswersError:
        return AnswersError([Problem("answer", self.path, message)])

    def validate(self, value: Any, data: Data) -> Any:
        """Check one answer against the model and the answers so far; return it as stored.

        Raises `AnswersError` (one `Problem` naming this path) with a message for a person.
        """
        if self.kind == "group":
            if value is False:
                need = _members_needed(data)
                if need:
                    raise self._fail(need)
            return bool(value)
        if value is None:
            if self.required:
                raise self._fail("an answer is needed")
            return None
        if self.kind in ("choice", "multi"):
            open_values = [v for v, _ in self.choices_for(data)]
            chosen = value if self.kind == "multi" else [value]
            if self.kind == "multi" and not isinstance(value, list):
                raise self._fail("give a list of choices")
            for v in chosen:
                if v not in open_values:
                    shown = ", ".join(open_values)
                    raise self._fail(f"{v!r} is not one of the choices open here ({shown})")
        if self.adapter is not None:
            try:
                checked = self.adapter.validate_python(value)
            except ValidationError as exc:
                raise self._fail(_friendly(exc)) from None
            if isinstance(checked, dt.date):
                value = checked.isoformat()
            elif self.kind == "number" and isinstance(value, bool):
                raise self._fail("give a number")
            elif self.kind == "number" and not isinstance(value, (int, float)):
                value = checked
        if self.extra_check is not None:
            message = self.extra_check(value, data, self.member(data))
            if message:
                raise self._fail(message)
        return value

    def parse(self, text: str, data: Data) -> Any:
        """Turn what a person typed into an answer (then `validate` it).

        Empty text means the default (or "leave blank" for an optional question). Choices
        are given by number or by name; several choices separated by commas; list items
        one per line; yes/no as y or n.
        """
        text = text.strip()
        if not text:
            default = self.default_for(data)
            return self.validate(None if default is NO_DEFAULT else default, data)
        if text == "-" and not self.required and self.kind != "group":
            return self.validate(None, data)
        if self.kind in ("bool", "group"):
            low = text.lower()
            if low in ("y", "yes", "true"):
                return self.validate(True, data)
            if low in ("n", "no", "false"):
                return self.validate(False, data)
            raise self._fail("answer y (yes) or n (no)")
        if self.kind == "choice":
            return self.validate(self._pick(text, data), data)
        if self.kind == "multi":
            items = [t.strip() for t in re.split(r"[,\n]", text) if t.strip()]
            return self.validate([self._pick(t, data) for t in items], data)
        if self.kind == "list":
            return self.validate([t.strip() for t in text.split("\n") if t.strip()], data)
        if self.kind == "int":
            try:
                return self.validate(int(text.replace(",", "")), data)
            except ValueError:
                raise self._fail(f"{text!r} is not a whole number") from None
        if self.kind == "number":
            cleaned = text.replace(",", "").replace("£", "").rstrip("%").strip()
            try:
                number = float(cleaned)
            except ValueError:
                raise self._fail(f"{text!r} is not a number") from None
            return self.validate(int(number) if number.is_integer() else number, data)
        return self.validate(text, data)

    def _pick(self, text: str, data: Data) -> str:
        options = self.choices_for(data)
        if text.isdigit():
            n = int(text)
            if 1 <= n <= len(options):
                return options[n - 1][0]
            raise self._fail(f"choose a number from 1 to {len(options)}")
        values = [v for v, _ in options]
        if text in values:
            return text
        lowered = text.lower().replace(" ", "_").replace("-", "_")
        matches = [v for v in values if v.lower() == lowered]
        if not matches:
            matches = [v for v in values if v.lower().startswith(lowered)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise self._fail(f"{text!r} could be any of {', '.join(matches)}; type more of it")
        all_values = [v for v, _ in self.choices]
        if text in all_values:
            raise self._fail(f"{text!r} is not open here: it is only possible {self._why(text)}")
        raise self._fail(f"{text!r} is not one of the choices ({', '.join(values)})")

    def _why(self, value: str) -> str:
        when = self.open.get(value)
        return when.text if when else "with other answers"

    def choice_condition(self, value: str) -> str:
        """When a choice is open, in plain words ("" when always)."""
        when = self.open.get(value)
        return when.text if when else ""


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _friendly(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    kind = err["type"]
    if kind == "string_pattern_mismatch":
        return "use lower-case letters, digits and hyphens, starting with a letter (e.g. tewv)"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return "not a real date: write it as YYYY-MM-DD (e.g. 2027-04-01)"
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"]))
    if kind == "too_short":
        return "give at least one"
    return str(err["msg"]).lower()


def _members_needed(data: Data) -> str | None:
    members = _members(data)
    nhs = sum(1 for m in members if m.get("kind") in NHS_KINDS)
    if len(members) < 2:
        return "a collaborative needs at least two members; add another"
    if nhs < 2:
        return (
            "a provider collaborative needs at least two NHS trusts or foundation trusts "
            f"(so far {nhs}); add another"
        )
    return None


def _build(spec: _Spec) -> Question:
    if spec.kind == "group":
        return Question(
            path="members",
            key="members",
            section=spec.section,
            title="Add another member?",
            help=(
                "Every member signs the documents. A provider collaborative needs at least two "
                "NHS trusts or foundation trusts; other providers (independent-sector, VCSE) "
                "may join, and the ICB or NHS England may attend as observers."
            ),
            kind="group",
            choices=(),
            default=NO_DEFAULT,
            required=True,
            condition="",
            member_index=None,
            when=None,
        )
    info, ann = _model_field(spec.key)
    kind, values = _kind_of(ann)
    if spec.kind:
        kind = spec.kind
    labels = LABELS.get(spec.key, {})
    choices = tuple((v, labels.get(v, v.replace("_", " "))) for v in values)
    if spec.key == "governance.weights.*":
        required, default = True, NO_DEFAULT
        title, description = "Voting weight (%)", info.title or ""
        adapter: TypeAdapter[Any] = TypeAdapter(Annotated[float, _PERCENT])
        low: float | None = 0.0
        high: float | None = 100.0
    else:
        required = info.is_required() if spec.required is None else spec.required
        default = NO_DEFAULT if info.is_required() else info.get_default(call_default_factory=True)
        if default is None and spec.required:
            default = NO_DEFAULT
        if isinstance(default, dt.date):
            default = default.isoformat()
        if spec.key == "governance.reserved_matters":
            default = list(STANDARD_RESERVED_MATTERS)  # what None means, shown to the reader
        title, description = info.title or spec.key, info.description or ""
        adapter = TypeAdapter(Annotated[ann, *info.metadata] if info.metadata else ann)
        low, high = _bounds(info, ann)
    help_text = " ".join(t for t in (description, spec.help) if t)
    return Question(
        path=spec.key,
        key=spec.key,
        section=spec.section,
        title=spec.title or title,
        help=help_text,
        kind=kind,
        choices=choices,
        default=default,
        required=required,
        condition=spec.when.text if spec.when else "",
        minimum=low,
        maximum=high,
        member_index=None,
        when=spec.when,
        open=dict(spec.open),
        extra_check=spec.check,
        adapter=adapter,
    )


_PERCENT = Field(ge=0, le=100)

QUESTIONS: tuple[Question, ...] = tuple(_build(s) for s in _SPECS)
"""Every question template, in asking order."""

_BY_KEY = {q.key: q for q in QUESTIONS}


# --------------------------------------------------------------------------- walking


def _instances(data: Data) -> Iterator[Question]:
    """Every concrete question for `data`, whether or not it applies, in order."""
    member_templates = [q for q in QUESTIONS if q.key.startswith("members[]")]
    for q in QUESTIONS:
        if q.key.startswith("members[]"):
            continue
        if q.key == "members":
            for i, _ in enumerate(data.get("members") or []):
                for t in member_templates:
                    yield t.for_member(i)
            yield q
        elif q.key == "governance.weights.*":
            for mid in _voting_ids(data):
                name = next((m.get("name") for m in _members(data) if m.get("id") == mid), mid)
                yield replace(
                    q, path=f"governance.weights.{mid}", title=f"Voting weight (%) of {name}"
                )
        else:
            yield q


def questions_for(data: Data) -> Iterator[Question]:
    """The concrete questions that apply to the answers so far, in asking order."""
    for q in _instances(data):
        if q.applies(data):
            yield q


def _group_closed(data: Data, questions: Sequence[Question], index: int) -> bool:
    if _members_needed(data):
        return False
    return any(q.kind != "group" and has_answer(data, q.path) for q in questions[index + 1 :])


def pending(data: Data, closed_groups: Sequence[str] = ()) -> list[Question]:
    """The applicable questions not yet answered, in asking order."""
    qs = list(questions_for(data))
    out: list[Question] = []
    for i, q in enumerate(qs):
        if q.kind == "group":
            if q.path not in closed_groups and not _group_closed(data, qs, i):
                out.append(q)
        elif not has_answer(data, q.path):
            out.append(q)
    return out


def prune(data: dict[str, Any]) -> list[str]:
    """Remove answers that no longer apply, or whose choice is closed; return their paths."""
    removed: list[str] = []
    changed = True
    while changed:
        changed = False
        for q in list(_instances(data)):
            if q.kind == "group" or not has_answer(data, q.path):
                continue
            value = get_answer(data, q.path)
            stale = not q.applies(data)
            if not stale and q.kind in ("choice", "multi") and value is not None:
                open_values = {v for v, _ in q.choices_for(data)}
                chosen = value if isinstance(value, list) else [value]
                stale = any(v not in open_values for v in chosen)
            if stale:
                delete_answer(data, q.path)
                removed.append(q.path)
                changed = True
        weights = get_answer(data, "governance.weights")
        if isinstance(weights, dict):
            voters = set(_voting_ids(data))
            for mid in [k for k in weights if k not in voters]:
                delete_answer(data, f"governance.weights.{mid}")
                removed.append(f"governance.weights.{mid}")
                changed = True
    return removed


def questions_at(data: Data, path: str) -> list[Question]:
    """The applicable questions answering `path` or lying under it; else its nearest parent's."""
    qs = list(questions_for(data))
    probe = path
    while probe:
        found = [q for q in qs if q.path == probe or q.path.startswith((probe + ".", probe + "["))]
        if found:
            if probe == "members" and not path.startswith("members["):
                return [q for q in found if q.kind == "group"]
            return found
        parent = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", probe)
        probe = parent if parent != probe else ""  # a top-level key has no parent
    return []


def position(question: Question, data: Data) -> tuple[int, int, int, int]:
    """(section number, number of sections, question number in section, questions in section)."""
    letters = [s.letter for s in SECTIONS]
    in_section = [q.path for q in questions_for(data) if q.section == question.section]
    number = (
        in_section.index(question.path) + 1 if question.path in in_section else len(in_section) + 1
    )
    return letters.index(question.section) + 1, len(letters), number, max(len(in_section), number)


# --------------------------------------------------------------------------- YAML


_TOP_SECTION = {
    "schema_version": "",
    "collaborative": "A",
    "documents": "A",
    "mou_binding": "A",
    "members": "A",
    "lead_provider": "B",
    "head_contract": "B",
    "commissioning": "B",
    "governance": "C",
    "finance": "D",
    "ip": "E",
    "membership": "F",
    "competition": "G",
    "data": "H",
    "disputes": "I",
    "clinical": "J",
}
"""Where each top-level key of the file sits (governance.model and vehicle are asked in A)."""


@functools.cache
def _order_of(prefix: str) -> tuple[str, ...]:
    """Child keys of the section at template `prefix`, in asking order."""
    out: list[str] = []
    lead = prefix + "." if prefix else ""
    for q in QUESTIONS:
        if q.key.startswith(lead) and q.key != prefix:
            child = q.key[len(lead) :].split(".")[0].replace("[]", "")
            if child not in out:
                out.append(child)
    if not prefix:  # top-level sections in the order of the answers file, not of asking
        top = list(_TOP_SECTION)
        out = top + [k for k in out if k not in top]
    return tuple(out)


_SIMPLE = re.compile(r"^[a-z][a-z0-9_-]*$")


def _scalar(value: Any, key: str) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    text = str(value)
    q = _BY_KEY.get(key)
    if q is not None and q.kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    # quoted when it has a line break, or looks like a number a reader might retype as one
    numeric = re.fullmatch(r"[-+0-9][-+0-9._:eE]*", text) is not None
    style = '"' if "\n" in text or "\r" in text else ("'" if numeric else None)
    dumped = yaml.safe_dump(text, default_style=style, allow_unicode=True, width=float("inf"))
    dumped = dumped.removesuffix("\n...\n").removesuffix("\n")
    return dumped


def _comment(key: str, indent: str) -> list[str]:
    q = _BY_KEY.get(key)
    if q is None:
        return []
    if q.kind == "group":
        return [f"{indent}# The members, one entry each"]
    line = f"{indent}# {q.title}"
    if q.kind in ("choice", "multi") and q.choices:
        line += " (" + " | ".join(v for v, _ in q.choices) + ")"
    if q.condition:
        line += f" [only {q.condition}]"
    return [line]


def _emit_map(
    node: Mapping[str, Any],
    prefix: str,
    indent: int,
    comments: bool,
    out: list[str],
    last_section: list[str],
) -> None:
    pad = " " * indent
    order = _order_of(prefix)
    keys = [k for k in order if k in node] + [k for k in node if k not in order]
    for key in keys:
        value = node[key]
        tkey = f"{prefix}.{key}" if prefix else key
        if prefix == "governance.weights":
            tkey = "governance.weights.*"
        letter = _TOP_SECTION.get(key, "") if indent == 0 else ""
        if comments and letter and letter != last_section[0]:
            s = SECTION_BY_LETTER[letter]
            out.append("")
            out.append(f"# ---- Section {s.letter}: {s.name} ----")
            last_section[0] = letter
        elif comments and indent == 0:
            out.append("")
        if comments:
            out.extend(_comment(tkey, pad))
        if isinstance(value, Mapping):
            if not value:
                out.append(f"{pad}{key}: {{}}")
            else:
                out.append(f"{pad}{key}:")
                _emit_map(value, tkey, indent + 2, comments, out, last_section)
        elif isinstance(value, list):
            _emit_list(key, value, tkey, indent, comments, out, last_section)
        else:
            out.append(f"{pad}{key}: {_scalar(value, tkey)}")


def _emit_list(
    key: str,
    value: list[Any],
    tkey: str,
    indent: int,
    comments: bool,
    out: list[str],
    last_section: list[str],
) -> None:
    pad = " " * indent
    if not value:
        out.append(f"{pad}{key}: []")
        return
    if all(isinstance(v, str) and _SIMPLE.match(v) for v in value):
        out.append(f"{pad}{key}: [{', '.join(value)}]")
        return
    out.append(f"{pad}{key}:")
    for i, item in enumerate(value):
        if isinstance(item, Mapping):
            if not item:
                out.append(f"{pad}  - {{}}")
                continue
            lines: list[str] = []
            # the questions as comments on the first member only: they are the same for all
            _emit_map(item, tkey + "[]", indent + 4, comments and not i, lines, last_section)
            first = next(j for j, line in enumerate(lines) if not line.lstrip().startswith("#"))
            lines[first] = f"{pad}  - " + lines[first][indent + 4 :]
            if comments and i:
                out.append("")
            out.extend(lines)
        else:
            out.append(f"{pad}  - {_scalar(item, tkey)}")


def to_yaml(data: Data, with_comments: bool = True) -> str:
    """The answers as a YAML file, keys in questionnaire order, questions as comments.

    Deterministic: the same answers give the same text. Free text is quoted where YAML
    needs it, so an answer can never change the file's structure.
    """
    body = dict(data)
    body.setdefault("schema_version", 1)
    out: list[str] = []
    if with_comments:
        name = get_answer(data, "collaborative.name") or "a provider collaborative"
        out.append(f"# Answers of {_one_line(str(name))}.")
        out.append("# Each answer follows its question; check the file with `drafting validate`.")
    _emit_map(body, "", 0, with_comments, out, [""])
    while out and out[0] == "" and not with_comments:
        out.pop(0)
    return "\n".join(line for line in _dedupe_blank(out)) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _dedupe_blank(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    return out
