"""The answers file: pydantic models of every key in `answers-spec.md`, and how to load one.

This module is the one place where answers are understood. Everything downstream (the
rules, clause conditions, the questionnaire, the web front end) reads an `Answers` object
or its `context()`; nothing else parses YAML or looks at raw dicts.

Each field carries its plain-English question in `title` and its help in `description`,
so the JSON Schema (`drafting schema`) and the questionnaire speak the same words.

Models are frozen and refuse unknown keys: a misspelt key must never silently drop a clause.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
)

__all__ = [
    "Answers",
    "Member",
    "SubContractTerms",
    "DOCUMENT_KINDS",
    "PROVIDER_KINDS",
    "NHS_KINDS",
]

# --------------------------------------------------------------------------- text


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(value: str) -> str:
    """Refuse characters that a Word document (XML 1.0) cannot hold.

    Everything else, `&`, `<`, `{{ }}`, emoji, Welsh and Polish letters, is ordinary text and
    is kept exactly as given.
    """
    bad = _XML_FORBIDDEN.search(value)
    if bad:
        char = bad.group()
        code = f"U+{ord(char):04X}"
        name = unicodedata.name(char, "a control character")
        raise ValueError(
            f"contains {code} ({name.lower()}) at character {bad.start() + 1}, which a Word "
            "document cannot hold; delete it (it often comes from copying out of another program)"
        )
    return value


Text = Annotated[str, Field(min_length=1, max_length=20000), AfterValidator(_xml_safe)]
"""Free text from the answers: any Unicode a Word document can hold."""

OptionalText = Annotated[str, Field(max_length=20000), AfterValidator(_xml_safe)]

Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]
"""A short id used to refer to a member elsewhere in the file (`tewv`, `priory-group`)."""

Percent = Annotated[float, Field(ge=0, le=100)]

PinnedName = Annotated[str, Field(pattern=r"^(schedule:)?[a-z][a-z0-9-]*$", max_length=49)]
"""A clause id (`voting`) or a schedule (`schedule:members`) of the library, to pin a version."""



# Words that mark a key performance indicator as measuring the lead provider's own decision as
# commissioner (placing or allocating patients, gatekeeping admissions), not the partner's care.
LEAD_DECISION_WORDS = ("placed", "placement", "placing", "allocat", "out of area", "out-of-area",
                       "gatekeep")

class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        coerce_numbers_to_str=False,
        use_attribute_docstrings=False,
        defer_build=True,
    )


# --------------------------------------------------------------------------- vocabularies

DOCUMENT_KINDS = (
    "mou",
    "collaboration_agreement",
    "sub_contracts",
    "committee_terms",
    "data_sharing",
    "accession_deed",
)
DocumentKind = Literal[
    "mou", "collaboration_agreement", "sub_contracts", "committee_terms", "data_sharing",
    "accession_deed",
]
MemberKind = Literal[
    "nhs_trust", "nhs_foundation_trust", "independent_sector", "vcse", "local_authority", "icb",
    "nhs_england",
]
NHS_KINDS = frozenset({"nhs_trust", "nhs_foundation_trust"})
PROVIDER_KINDS = frozenset({"nhs_trust", "nhs_foundation_trust", "independent_sector", "vcse"})
COMPANY_KINDS = frozenset({"independent_sector", "vcse"})
ReservedMatter = Literal[
    "admit_member", "expel_member", "amend_agreement", "annual_budget", "risk_share_changes",
    "ip_commercialisation", "service_reconfiguration", "dissolution",
]
STANDARD_RESERVED_MATTERS: tuple[str, ...] = (
    "admit_member", "expel_member", "amend_agreement", "annual_budget", "risk_share_changes",
    "ip_commercialisation", "service_reconfiguration", "dissolution",
)
DelegatedMatter = Literal[
    "strategy_and_plans", "pathways_and_standards", "capacity_and_mutual_aid",
    "performance_oversight", "workforce_plans", "running_costs_spending", "business_cases",
]
STANDARD_DELEGATED_MATTERS: tuple[str, ...] = (
    "strategy_and_plans", "pathways_and_standards", "capacity_and_mutual_aid",
    "performance_oversight",
)
DisputeTier = Literal[
    "operational_leads", "chief_executives", "partnership_board", "icb_facilitation", "mediation",
    "expert_determination", "courts",
]


# --------------------------------------------------------------------------- sections


class Term(_Model):
    kind: Literal["fixed_years", "head_contract", "rolling"] = Field(
        title="How long does the agreement last?",
        description=(
            "fixed_years: a set number of years from commencement; head_contract: as long as the "
            "lead provider's contract with the commissioner; rolling: until ended, reviewed each year."
        ),
    )
    years: int | None = Field(
        default=None, ge=1, le=25,
        title="How many years?",
        description="Only for a fixed term: the number of years from the commencement date.",
    )


class Collaborative(_Model):
    name: Text = Field(title="What is the collaborative's full name?")
    short_name: Text | None = Field(
        default=None, title="Short name for headers",
        description="An abbreviation used in page headers, e.g. NESMHPC.",
    )
    kind: Literal["horizontal", "vertical", "specialised_mental_health"] = Field(
        title="What kind of collaborative is it?",
        description=(
            "horizontal: similar providers working at scale (e.g. acute trusts); vertical: "
            "providers of different parts of a pathway; specialised_mental_health: an NHS-led "
            "collaborative taking budget and pathway responsibility from NHS England."
        ),
    )
    ics: list[Text] = Field(
        min_length=1, title="Which integrated care system footprints does it cover?",
        description=(
            "The integrated care systems (ICSs) whose populations the collaborative serves; "
            "name each one."
        ),
    )
    purpose: Text = Field(
        title="In plain words, what is the collaborative for?",
        description=(
            "One or two sentences; they become the recital that says why the members work "
            "together."
        ),
    )
    objectives: list[Text] = Field(
        min_length=1, title="What are its objectives?",
        description=(
            "Measurable aims, one per line; they go into the objectives clause and guide the "
            "board's decisions."
        ),
    )
    services: list[Text] = Field(
        min_length=1, title="Which services are in scope?",
        description=(
            "The services, pathways or sites the collaborative covers, one per line; they "
            "form the services schedule."
        ),
    )
    commencement_date: dt.date = Field(
        title="When does the agreement start? (YYYY-MM-DD)",
        description=(
            "The commencement date; with a lead provider it must fall before the head "
            "contract ends."
        ),
    )
    term: Term = Field(title="Term")


class Person(_Model):
    name: Text = Field(title="Name")
    role: Text = Field(title="Role or job title")


class Member(_Model):
    id: Slug = Field(
        title="Short id",
        description="A short lower-case id used to refer to this member elsewhere, e.g. tewv.",
    )
    name: Text = Field(title="Legal name")
    kind: MemberKind = Field(
        title="What kind of body is it?",
        description=(
            "NHS trust, NHS foundation trust, independent_sector (a company), vcse (voluntary, "
            "community or social enterprise), local_authority, icb or nhs_england."
        ),
    )
    member_class: Literal["voting", "associate", "observer"] = Field(
        default="voting", alias="class",
        title="What is its membership class?",
        description=(
            "voting: a full member that votes; associate: takes part but does not vote; observer: "
            "attends (e.g. the ICB or NHS England) but is excluded from confidential items."
        ),
    )
    address: Text = Field(title="Registered or principal address")
    company_number: Text | None = Field(
        default=None, title="Company number",
        description="For companies and charities only. Put it in quotes if it starts with 0.",
    )
    ods_code: Text | None = Field(
        default=None, title="ODS code",
        description=(
            "The organisation's code in the NHS Organisation Data Service (e.g. RX3), if it "
            "has one."
        ),
    )
    representative: Person = Field(title="Who represents it on the board?")
    signatory: Person = Field(title="Who signs the documents for it?")
    annual_contract_value: float | None = Field(
        default=None, ge=0,
        title="Annual contract value (£)",
        description=(
            "The yearly value of the services it provides or arranges within the collaborative's "
            "services only, not its total income, as its director of finance reports it. Needed for "
            "weighted voting by contract value, pro rata shares and loss caps."
        ),
    )
    banking_covenants: bool | None = Field(
        default=None,
        title="Do its lenders' banking covenants stop it guaranteeing others or taking open-ended risk?",
        description=(
            "Independent-sector providers often borrow on terms that forbid guarantees, "
            "cross-indemnities and open-ended losses. If so, the documents limit its exposure to "
            "its own sub-contract and give it a nil (or capped) share of losses."
        ),
    )


class HeadContract(_Model):
    commissioner: Text = Field(
        title="Who is the commissioner of the head contract?",
        description=(
            "The body that contracts with the lead provider: NHS England or an integrated "
            "care board."
        ),
    )
    kind: Literal["nhs_standard_contract", "delegated_arrangement"] = Field(
        default="nhs_standard_contract", title="What kind of head contract is it?"
    )
    reference: Text | None = Field(default=None, title="Contract reference")
    start: dt.date = Field(
        title="Head contract start date",
        description="When the lead provider's contract with the commissioner starts.",
    )
    end: dt.date = Field(
        title="Head contract end date",
        description="When the lead provider's contract with the commissioner ends.",
    )
    provider_selection_route: Literal[
        "direct_award_a", "direct_award_b", "direct_award_c", "most_suitable_provider", "competitive"
    ] = Field(
        title="Which Provider Selection Regime route is used to award the sub-contracts?",
        description=(
            "Under the Provider Selection Regime 2023 a lead provider's sub-contract awards are "
            "selection decisions. Direct award C is only open when the change is not a "
            "'considerable change'; C, most suitable provider and competitive need an 8 working "
            "day standstill."
        ),
    )
    considerable_change: bool = Field(
        default=False, title="Is this a considerable change from the existing arrangements?",
        description=(
            "Under the Provider Selection Regime a change is considerable when the lifetime "
            "value is at least £500,000 and 25% higher than before, or the services become "
            "materially different. Direct award C is then closed."
        ),
    )


class Governance(_Model):
    model: Literal["lead_provider", "provider_leadership_board", "shared_leadership"] = Field(
        title="Which governance model does the collaborative use?",
        description=(
            "lead_provider: one NHS trust holds the commissioner's contract and sub-contracts the "
            "others; provider_leadership_board: each member's representative sits on a board; "
            "shared_leadership: joint posts over separate trust boards."
        ),
    )
    vehicle: Literal[
        "advisory_group", "individual_decision_makers", "committees_in_common", "joint_committee",
        "partnership_board",
    ] = Field(
        default="partnership_board",
        title="How are decisions taken?",
        description=(
            "advisory_group: advises, decides nothing, refers to the boards; "
            "individual_decision_makers: each representative uses authority delegated by its own "
            "body; committees_in_common: each body's own committee meets with the others and decides "
            "for its own body only; joint_committee: one statutory committee (NHS Act s.65Z5) whose "
            "decisions bind all, for NHS and public bodies only; partnership_board: a contractual "
            "board whose decisions the members agree to follow."
        ),
    )
    delegations_approved: bool = Field(
        default=False,
        title="Has each member's board approved the delegation and updated its scheme of delegation?",
        description=(
            "Committees in common and joint committees exercise delegated powers: each board "
            "must approve. Until then the documents make that approval a condition precedent."
        ),
    )
    delegated_matters: list[DelegatedMatter] | None = Field(
        default=None,
        title="Which matters do the members' boards delegate to the board (or to each committee)?",
        description=(
            "What the board (each committee, with committees in common) may decide without "
            "going back to the members' boards. Left out, the standard list applies: strategy "
            "and plans, pathways and standards, capacity and mutual aid, performance oversight "
            "(none for an advisory group, which decides nothing)."
        ),
    )
    delegation_limit: float | None = Field(
        default=None, ge=0,
        title="Financial limit of a delegated decision (£ a year)",
        description=(
            "The most a decision taken under delegated authority may commit any one member to "
            "spend or forgo in a year; a decision above it goes back to the members' boards. "
            "Left out, the documents show a marked blank to complete."
        ),
    )
    committee_members: int = Field(
        default=2, ge=1, le=6,
        title="How many people does each member appoint to its committee (or to the joint committee)?",
        description=(
            "Committees in common and joint committees only: each voting member's committee "
            "(or its part of the joint committee) has this many members, usually two."
        ),
    )
    non_executive_member: bool = Field(
        default=False,
        title="Is one of each member's committee members a non-executive director?",
        description=(
            "Committees in common and joint committees only: a non-executive director brings "
            "independent challenge to delegated decisions."
        ),
    )
    voting: Literal["consensus", "simple_majority", "special_majority", "unanimity", "weighted"] = Field(
        default="consensus", title="How are ordinary decisions voted on?",
        description=(
            "consensus: no decision while any member objects; simple_majority: one member one "
            "vote, more than half; special_majority: a set share above half (e.g. 75%); "
            "unanimity: every voting member in favour; weighted: votes count by weight. "
            "Reserved matters always need every member."
        ),
    )
    special_majority_percent: Percent = Field(
        default=75, title="What share of votes makes a special majority (%)?",
        description="More than 50; two thirds (66.67) or 75 are usual.",
    )
    weight_basis: Literal["contract_value", "fixed"] | None = Field(
        default=None, title="How are the voting weights set?",
        description="contract_value: in proportion to each voting member's annual contract value; fixed: a table of weights.",
    )
    weights: dict[str, float] | None = Field(
        default=None, title="Voting weights (%) by member id, adding up to 100",
        description=(
            "One weight per voting member. A member holding more than half can outvote all "
            "the others together."
        ),
    )
    reserved_matters: list[ReservedMatter] | None = Field(
        default=None,
        title="Which matters need the agreement of all members?",
        description=(
            "Reserved matters cannot be decided by a majority. Left out, the standard list applies, "
            "less any matter the financial model has no use for (none for an advisory group, "
            "which decides nothing)."
        ),
    )
    lead_provider_veto: Literal["none", "head_contract_compliance", "general"] = Field(
        default="none", title="Does the lead provider have a veto?",
        description="head_contract_compliance: only over decisions that would put it in breach of the head contract or its statutory duties.",
    )
    deadlock: Literal[
        "chair_casting_vote", "lead_provider_casting_vote", "refer_to_boards", "dispute_procedure"
    ] = Field(
        default="refer_to_boards",
        title="What happens when the board is deadlocked?",
        description=(
            "A casting vote gives one person a second, deciding vote when votes are tied; it cannot "
            "apply where decisions need consensus or unanimity. Otherwise the matter goes back to the "
            "members' boards or into the dispute procedure."
        ),
    )
    chair: Literal["independent", "rotating", "lead_provider", "co_chairs"] = Field(
        default="independent", title="Who chairs the board?",
        description=(
            "An independent chair helps where the lead provider also commissions; the lead "
            "provider can chair only under the lead-provider model; a rotating chair changes "
            "every agreed number of months."
        ),
    )
    chair_rotation_months: int | None = Field(
        default=None, ge=1, le=60, title="How often does the chair rotate (months)?",
        description="Usually 12 months.",
    )
    quorum: Literal[
        "all_voting_members", "majority", "majority_including_lead", "one_per_nhs_member"
    ] = Field(
        default="majority", title="What is the quorum?",
        description=(
            "How many members must be present for the board to decide. A quorum including the "
            "lead provider is only possible with a lead provider."
        ),
    )
    meeting_frequency: Literal["monthly", "bimonthly", "quarterly"] = Field(
        default="monthly", title="How often does the board meet?"
    )
    meetings_in_public: bool = Field(
        default=False, title="Does the board meet in public?",
        description=(
            "NHS bodies' boards usually meet in public; a collaborative board may meet in "
            "private but should publish its decisions."
        ),
    )
    board_reporting: Literal["after_each_meeting", "quarterly", "annual"] = Field(
        default="quarterly", title="How often does it report to the members' boards?",
        description=(
            "Each member's own board stays accountable for what is decided for it, so it must "
            "hear what the collaborative has done."
        ),
    )
    managing_director: Literal["none", "employed_by_lead", "seconded", "joint_appointment"] = Field(
        default="none", title="Is there a managing director, and who employs them?",
        description=(
            "A managing or programme director runs the collaborative day to day; employment "
            "by the lead is only possible under the lead-provider model."
        ),
    )
    staffing: Literal["each_employs_own", "host_recharges", "secondment", "tupe_to_lead"] = Field(
        default="each_employs_own", title="How are the collaborative's staff employed?",
        description=(
            "A transfer to the lead provider brings the TUPE regulations and pension "
            "protections into play; secondment keeps staff employed by their own member."
        ),
    )


class ManagementFee(_Model):
    kind: Literal["none", "fixed", "percent"] = Field(
        default="none", title="Management fee",
        description=(
            "What the lead provider may charge its partners for running the contract: "
            "nothing, a fixed sum, or a percentage of contract value."
        ),
    )
    value: float | None = Field(
        default=None, ge=0, title="Fee amount",
        description="Pounds a year for a fixed fee; a percentage of contract value for a percent fee.",
    )


class Commissioning(_Model):
    lead_commissions: bool = Field(
        default=False,
        title="Does the lead provider commission (allocate budget, place patients, contract partners)?",
        description=(
            "A lead provider that also allocates money and places patients is on both sides of "
            "decisions about its own provider arm; the agreement must separate the two roles."
        ),
    )
    separation: list[Literal["commissioning_hub", "recusal", "independent_chair", "external_audit"]] = Field(
        default_factory=list,
        title="How are its commissioning and provider roles kept apart?",
    )
    management_fee: ManagementFee = Field(default_factory=ManagementFee)
    partner_payment_days: int = Field(
        default=30, ge=1, le=120, title="Days to pay partners",
        description=(
            "How soon the lead provider pays its partners after being paid; 30 days is usual "
            "practice."
        ),
    )


class Finance(_Model):
    model: Literal["no_pooling", "running_costs", "lead_holds_budget", "shared_control_total"] = Field(
        default="no_pooling", title="What is the financial model?",
        description=(
            "no_pooling: each member bears its own costs; running_costs: the members share "
            "the collaborative's running costs only; lead_holds_budget: the lead receives the "
            "money and pays the partners; shared_control_total: the members manage their "
            "spending against one shared control total, with a risk and gain share. A non-binding MOU cannot carry a risk share."
        ),
    )
    running_cost_split: Literal["equal", "pro_rata", "fixed"] = Field(
        default="pro_rata", title="How are running costs shared?",
        description=(
            "The cost of the collaborative's own team, meetings and advice: equally, in "
            "proportion to contract value, or by a fixed schedule."
        ),
    )
    surplus: Literal["reinvest", "distribute_pro_rata", "lead_retains", "split"] = Field(
        default="reinvest", title="What happens to a surplus?",
        description=(
            "Money left at the year end: reinvested in the collaborative's priorities, "
            "distributed, kept by the lead provider (lead-provider model only) or split "
            "between reinvestment and distribution."
        ),
    )
    surplus_reinvest_percent: Percent | None = Field(
        default=None, title="Share of a surplus reinvested (%)",
        description="The rest is distributed to members in proportion to contract value.",
    )
    deficit: Literal["lead_bears", "pro_rata", "equal", "capped"] = Field(
        default="pro_rata", title="Who bears a deficit?",
        description=(
            "An overspend: borne by the lead provider, shared in proportion to contract value "
            "or equally, or shared up to a cap. A member whose banking covenants bar "
            "open-ended risk takes a nil share."
        ),
    )
    loss_cap_percent: Percent | None = Field(
        default=None, title="Loss cap (% of each member's annual contract value)",
        description="The most each member can lose in a year; 1 to 2% is usual practice.",
    )
    liability: Literal["several", "several_with_cap"] = Field(
        default="several", title="Liability",
        description=(
            "Several liability: each member answers only for its own acts, never for the "
            "others' (no joint and several liability). A cap limits that to a multiple of its "
            "annual contract value."
        ),
    )
    liability_cap_multiple: float | None = Field(
        default=None, gt=0, le=10, title="Liability cap (times annual contract value)",
        description="Usually 1 or 2 times annual contract value.",
    )
    open_book: Literal["full", "hub_only", "none"] = Field(
        default="hub_only", title="Open-book accounting",
        description=(
            "Whether members see each other's costs. With an independent-sector member, its "
            "costs are competitively sensitive: full open book is then not allowed."
        ),
    )
    reconciliation: Literal["quarterly", "year_end"] = Field(
        default="year_end", title="Reconciliation",
        description=(
            "When the members settle the risk and gain share: each quarter or at the year end "
            "(31 March)."
        ),
    )


class IntellectualProperty(_Model):
    background: Literal["retain_with_licence"] = Field(
        default="retain_with_licence", title="Background IP",
        description="Each member keeps the IP it brings and licenses it for the collaborative's purposes.",
    )
    foreground: Literal["lead_owns", "joint", "creator_owns_with_licence"] = Field(
        default="joint", title="Who owns IP created in the collaborative?",
        description=(
            "Foreground intellectual property: pathways, protocols, software and data models "
            "created by the collaborative's work."
        ),
    )
    on_exit: Literal["stays_with_collaborative", "leaver_takes_own", "mutual_licences"] = Field(
        default="leaver_takes_own", title="What happens to IP when a member leaves?",
        description=(
            "Whether the leaver may keep using what was created together, and the others what "
            "it created."
        ),
    )
    commercialisation: Literal["unanimous_approval", "revenue_share", "nhs_ip_guidance"] = Field(
        default="unanimous_approval", title="How may collaborative IP be commercialised?",
        description=(
            "Selling or licensing the collaborative's IP outside the NHS; the NHS "
            "intellectual property guidance sets out how NHS bodies share the benefits."
        ),
    )


class Membership(_Model):
    joining: Literal["unanimous", "majority", "criteria"] = Field(
        default="unanimous", title="How are new members admitted?",
        description=(
            "By a vote of all members, a majority, or as of right for a provider that meets "
            "the joining criteria; a new member signs an accession deed."
        ),
    )
    joining_criteria: list[
        Literal["cqc_registration", "dspt", "financial_standing", "accession_deed"]
    ] = Field(
        default_factory=lambda: ["cqc_registration", "dspt", "financial_standing", "accession_deed"],
        title="What must a new member meet?",
        description=(
            "CQC registration, the Data Security and Protection Toolkit standard, sound "
            "finances and a signed accession deed are the usual conditions."
        ),
    )
    withdrawal_notice_months: int = Field(
        default=12, ge=1, le=36, title="Withdrawal notice (months)",
        description="How much notice a member must give to leave; 6 or 12 months is usual.",
    )
    withdrawal_at_year_end: bool = Field(
        default=True, title="Must notice expire at the end of a financial year (31 March)?",
        description=(
            "Tying exits to the year end keeps budgets and the risk share whole for the year."
        ),
    )
    minimum_term_years: int = Field(
        default=1, ge=0, le=10, title="Minimum membership (years)",
        description="A lock-in period before a member may give notice; 0 for none.",
    )
    expulsion_grounds: list[
        Literal[
            "material_breach", "insolvency", "loss_of_registration", "change_of_control",
            "competition_breach", "repeated_non_attendance",
        ]
    ] = Field(
        default_factory=lambda: ["material_breach", "insolvency", "loss_of_registration"],
        title="On which grounds may a member be expelled?",
        description=(
            "A member never votes on its own expulsion. A breach must first go unremedied for "
            "the cure period."
        ),
    )
    cure_period_days: int = Field(
        default=30, ge=1, le=180, title="Days to remedy a breach",
        description=(
            "The cure period before a material breach can lead to expulsion; 30 days is "
            "usual."
        ),
    )
    change_of_control: Literal["notify", "consent", "termination_right"] = Field(
        default="consent", title="What happens on a change of control of a member company?",
        description=(
            "When someone else takes control of a company member (e.g. the independent "
            "provider is sold), the others may need to know, to consent, or to be able to end "
            "its membership."
        ),
    )


class Competition(_Model):
    information_barrier: Literal["none", "hub", "clean_team"] = Field(
        default="none",
        title="How is competitively sensitive information kept apart?",
        description=(
            "With an independent provider at the table, Competition Act 1998 rules bite: prices, "
            "bids, margins, capacity and strategy may not be shared between competitors. hub: only "
            "the commissioning hub sees it; clean_team: named individuals behind a barrier."
        ),
    )
    exclusivity: Literal["none", "scope_and_term"] = Field(
        default="none", title="Exclusivity",
        description=(
            "Whether members promise not to provide the services outside the collaborative. "
            "Exclusivity restricts competition and needs competition-law advice."
        ),
    )


class Data(_Model):
    kinds: Literal[
        "anonymised", "pseudonymised", "identifiable_direct_care", "identifiable_commissioning"
    ] = Field(
        default="anonymised", title="What data will the members share?",
        description=(
            "Anything other than anonymised data needs a data sharing agreement, a controller "
            "model, a legal gateway for confidential patient information and a data "
            "protection impact assessment."
        ),
    )
    controller_model: Literal["independent", "joint", "lead_processor"] | None = Field(
        default=None, title="Who controls the shared data?",
        description=(
            "independent: each member decides for its own data; joint: the members decide "
            "together and need an Article 26 arrangement; lead_processor: each member, and the "
            "lead provider for its commissioning functions, is a controller, and the lead "
            "provider is a processor under Article 28 terms only for services the members "
            "list (lead-provider model only)."
        ),
    )
    legal_gateway: Literal["direct_care", "s251", "consent", "anonymisation"] | None = Field(
        default=None,
        title="What is the legal gateway for sharing confidential patient information?",
        description=(
            "The common-law duty of confidentiality needs a basis: direct care, support under "
            "section 251 of the NHS Act 2006, explicit consent, or anonymisation."
        ),
    )
    dpia: Literal["completed", "before_go_live"] | None = Field(
        default=None, title="Data protection impact assessment",
        description=(
            "A DPIA is required before sharing identifiable health data; if not yet done, "
            "completing it becomes a condition before going live."
        ),
    )


class Disputes(_Model):
    tiers: list[DisputeTier] = Field(
        default_factory=lambda: ["operational_leads", "chief_executives", "courts"],
        min_length=1, title="Dispute resolution steps, in order",
        description=(
            "Each step has a set number of business days before the next. Disputes between "
            "NHS bodies are 'NHS contracts' (NHS Act 2006 s.9) that cannot go to court, so "
            "they end in the statutory procedure; the courts must be the last step."
        ),
    )
    days_per_tier: int = Field(
        default=15, ge=1, le=90, title="Business days for each step",
        description="10 to 20 business days is usual; 15 matches the NHS Standard Contract.",
    )
    mediator: Text | None = Field(
        default=None, title="Mediator or appointing body",
        description="Who mediates or appoints the mediator, e.g. CEDR.",
    )
    facilitating_body: Text | None = Field(
        default=None, title="Body that facilitates NHS disputes",
        description="The ICB or NHS England team that facilitates disputes between NHS members.",
    )


class SubContractService(_Model):
    name: Text = Field(
        title="Service",
        description=(
            "One service this partner provides under its sub-contract, named as the head "
            "contract's service specification names it, e.g. Adult eating disorder inpatient "
            "beds. Each service becomes a line of the sub-contract's services and payment "
            "schedules."
        ),
    )
    activity: Text = Field(
        title="How much of it?",
        description=(
            "The activity the partner plans to deliver in a year, in plain words: beds, "
            "occupied bed days, admissions, contacts or cases, e.g. 12 commissioned beds, "
            "about 4,300 occupied bed days a year."
        ),
    )
    annual_price: float | None = Field(
        default=None, ge=0,
        title="Annual price (£)",
        description=(
            "What the lead provider pays for this service in a year, in pounds. Left blank, "
            "the sub-contract shows a marked placeholder [£●] and a drafting note lists it as "
            "still to be settled."
        ),
    )
    location: Text | None = Field(
        default=None,
        title="Where is it provided?",
        description="The site or sites, e.g. Ravensworth Lodge, Leeds. Optional.",
    )


class KeyPerformanceIndicator(_Model):
    name: Text = Field(
        title="Key performance indicator",
        description="What is measured, e.g. Care plan agreed within 72 hours of admission.",
    )
    target: Text = Field(
        title="Target",
        description="The level to meet, e.g. 95%, or at least 90% each month.",
    )
    measure: Text = Field(
        title="How is it measured?",
        description="The source and frequency of the measurement, e.g. monthly audit of admissions.",
    )


class SubContractTerms(_Model):
    services: list[SubContractService] = Field(
        title="Which services does this partner provide?",
        description=(
            "At least one. Only this partner's own services: its sub-contract shows nothing of "
            "another partner's."
        ),
    )
    payment_basis: Literal["block", "activity", "cost_and_volume"] = Field(
        title="How is the partner paid?",
        description=(
            "block: a fixed annual price, paid in twelve monthly instalments whatever the "
            "activity; activity: paid for the activity actually delivered, at the annual price "
            "for the planned activity; cost_and_volume: the annual price for the planned "
            "activity, adjusted for activity more than 5% above or below it."
        ),
    )
    payment_days: int | None = Field(
        default=None, ge=1, le=365,
        title="Days to pay a valid invoice",
        description=(
            "How soon the lead provider pays this partner's valid invoices; at most 30. Left "
            "out, the days to pay partners given under commissioning (partner_payment_days)."
        ),
    )
    service_commencement: dt.date | None = Field(
        default=None,
        title="When does the partner start providing the services? (YYYY-MM-DD)",
        description=(
            "The service commencement date; it must fall within the head contract's term. "
            "Left out, the collaborative's commencement date (or the head contract's start, "
            "if that is later)."
        ),
    )
    kpis: list[KeyPerformanceIndicator] = Field(
        default_factory=list,
        title="Key performance indicators",
        description=(
            "The local quality requirements this partner must meet, each with its target and "
            "how it is measured. A missed target leads to a remedial action plan, and money can "
            "be withheld while the plan is not agreed or not carried out."
        ),
    )
    contract_manager: Person | None = Field(
        default=None,
        title="Who manages the sub-contract for the partner?",
        description="Left out, the partner's representative on the board.",
    )
    lead_contract_manager: Person | None = Field(
        default=None,
        title="Who manages the sub-contract for the lead provider?",
        description="Left out, the lead provider's representative on the board.",
    )


class Clinical(_Model):
    accountability: Literal["each_provider", "lead_framework", "joint_clinical_group"] = Field(
        default="each_provider", title="Who holds clinical accountability?",
        description=(
            "CQC registration always stays with each registered provider; this decides whose "
            "clinical governance framework applies to the collaborative's pathway."
        ),
    )
    incident_notification_days: int = Field(
        default=2, ge=0, le=30, title="Days to notify incidents",
        description=(
            "How soon a member tells the lead or the board of a serious incident or "
            "safeguarding concern."
        ),
    )


# Verbs an objective may start with ("Reduce out-of-area placements"): when every objective
# starts with one, the objectives are introduced as "to" clauses ("The objectives are to:").
ACTION_VERBS = frozenset({
    "achieve", "agree", "align", "bring", "build", "cut", "deliver", "design", "develop",
    "eliminate", "enable", "end", "ensure", "establish", "expand", "explore", "give", "grow",
    "halve", "improve", "increase", "integrate", "introduce", "join", "keep", "lower", "maintain",
    "make", "meet", "move", "offer", "plan", "prevent", "promote", "provide", "publish", "raise",
    "reach", "recruit", "reduce", "reinvest", "respond", "retain", "set", "share", "standardise",
    "strengthen", "support", "test", "transform", "treat", "use", "work",
})


# --------------------------------------------------------------------------- dates


_YEARLY_COUNT = re.compile(r"(\d[\d,]*)\s+([a-z][a-z -]*?)\s+(?:a|per|each)\s+year\b", re.I)
_BEDS = re.compile(r"(\d[\d,]*)\s+(?:[a-z-]+\s+)?beds?\b(?!\s+days?\b)", re.I)


def _unit_volume(service: str, activity: str, annual_price: float | None
                 ) -> dict[str, Any] | None:
    """The currency, volume, unit price and 5% tolerance a plain-words activity implies, and,
    for a count of bed days, the most the stated beds can give in a year (else None) and
    whether the volume and the tolerance together go beyond it."""
    found = _YEARLY_COUNT.findall(activity or "")
    if not found or not annual_price:
        return None
    count, unit = found[-1]
    volume = int(count.replace(",", ""))
    if volume <= 0:
        return None
    words = unit.strip().split()
    if words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    currency = " ".join(words)
    beds = _BEDS.findall(activity or "")
    # A bed can give at most one occupied bed day a day: where the tolerance above the volume
    # goes beyond that, no unit above the volume could ever be paid for (18 beds, 6,300 bed
    # days and a 5% tolerance reach 6,615, above the 6,570 the beds can give).
    capacity = (int(beds[0].replace(",", "")) * 365
                if beds and "bed day" in currency.lower() else None)
    tolerance = max(1, round(volume * 0.05))
    return {"service": service, "currency": currency, "volume": volume,
            "unit_price": round(annual_price / volume, 2), "tolerance": tolerance,
            "capacity": capacity,
            "beyond_capacity": capacity is not None and volume + tolerance > capacity}


def iso(day: dt.date | None) -> str | None:
    """`2027-04-01`, or None."""
    return day.isoformat() if day else None


MOU_LEAD_MONTHS = 1
"""No MOU workplan step is due sooner than this many months after the MOU starts."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding date `months` later; the last day of the month when there is none
    (31 January + 1 month = 28 or 29 February)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def period_end(start: dt.date, months: int) -> dt.date:
    """The last day of a period of `months` months beginning on `start`: the day before the
    corresponding date (a year from 1 April 2027 ends on 31 March 2028), or the last day of
    the month where there is no corresponding date (a year from 29 February 2028 ends on 28
    February 2029; a month from 31 January, on the last day of February)."""
    corresponding = add_months(start, months)
    if corresponding.day < start.day:  # no such day that month: the month's last day
        return corresponding
    return corresponding - dt.timedelta(days=1)


def _easter(year: int) -> dt.date:
    """Easter Sunday of `year` (the Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def _weekday_on_or_before(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def bank_holidays(year: int) -> set[dt.date]:
    """England's usual bank holidays in `year`, with substitute days for those that fall at
    a weekend (a one-off holiday proclaimed for an event is not known in advance)."""
    easter = _easter(year)
    holidays = {
        easter - dt.timedelta(days=2), easter + dt.timedelta(days=1),
        _weekday_on_or_before(dt.date(year, 5, 7), 0),    # early May: first Monday
        _weekday_on_or_before(dt.date(year, 5, 31), 0),   # spring: last Monday of May
        _weekday_on_or_before(dt.date(year, 8, 31), 0),   # summer: last Monday of August
    }
    new_year = dt.date(year, 1, 1)
    holidays.add(new_year + dt.timedelta(days={5: 2, 6: 1}.get(new_year.weekday(), 0)))
    christmas, boxing = dt.date(year, 12, 25), dt.date(year, 12, 26)
    if christmas.weekday() == 5:      # Saturday: Monday and Tuesday
        holidays |= {dt.date(year, 12, 27), dt.date(year, 12, 28)}
    elif christmas.weekday() == 6:    # Sunday: Boxing Day and Tuesday
        holidays |= {boxing, dt.date(year, 12, 27)}
    elif christmas.weekday() == 4:    # Friday: Boxing Day on Monday
        holidays |= {christmas, dt.date(year, 12, 28)}
    else:
        holidays |= {christmas, boxing}
    return holidays


def business_day_on_or_after(day: dt.date) -> dt.date:
    """`day`, or the next Business Day when it falls at a weekend or on a bank holiday."""
    while day.weekday() >= 5 or day in bank_holidays(day.year):
        day += dt.timedelta(days=1)
    return day


def year_end_on_or_after(day: dt.date) -> dt.date:
    """The first 31 March (the end of a financial year) on or after `day`."""
    end = dt.date(day.year, 3, 31)
    return end if end >= day else dt.date(day.year + 1, 3, 31)


# --------------------------------------------------------------------------- the file


class Answers(_Model):
    """One collaborative's answers, as validated. The derived views below are the only
    place that interprets them (who is a partner, what each member's share is)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True,
        json_schema_extra={"$id": "https://drafting.invalid/answers.schema.json"},
        title="Answers of an NHS provider collaborative",
    )

    schema_version: Literal[1] = Field(default=1, title="Format version of this file")
    collaborative: Collaborative
    documents: list[DocumentKind] = Field(
        min_length=1, title="Which documents are needed?",
        description=(
            "mou: an early statement of intent; collaboration_agreement: the binding "
            "agreement; sub_contracts: one per partner of a lead provider; committee_terms: "
            "the board's terms of reference; data_sharing: a data sharing agreement; "
            "accession_deed: for members who join later."
        ),
    )
    mou_binding: bool | None = Field(
        default=None, title="Is the MOU legally binding?",
        description="Usually not: a non-binding MOU binds only on confidentiality, costs and governing law.",
    )
    mou_commencement_date: dt.date | None = Field(
        default=None, title="When does the MOU start? (YYYY-MM-DD)",
        description=(
            "Only when the pack has both an MOU and a collaboration agreement: the MOU starts "
            "on this date, before the agreement's commencement date, and ends when the "
            "agreement takes effect. With an MOU alone, the MOU starts on the commencement date."
        ),
    )
    members: list[Member] = Field(min_length=1, title="Members")
    lead_provider: Slug | None = Field(
        default=None, title="Which member is the lead provider?",
        description=(
            "The NHS trust or foundation trust that holds the head contract with the "
            "commissioner."
        ),
    )
    head_contract: HeadContract | None = None
    governance: Governance
    commissioning: Commissioning = Field(default_factory=Commissioning)
    finance: Finance = Field(default_factory=Finance)
    ip: IntellectualProperty = Field(default_factory=IntellectualProperty)
    membership: Membership = Field(default_factory=Membership)
    competition: Competition = Field(default_factory=Competition)
    data: Data = Field(default_factory=Data)
    disputes: Disputes = Field(default_factory=Disputes)
    clinical: Clinical = Field(default_factory=Clinical)
    sub_contract_terms: dict[Slug, SubContractTerms] = Field(
        default_factory=dict,
        title="What each partner's sub-contract covers",
        description=(
            "With sub-contracts: one entry per partner of the lead provider, under its member "
            "id, with its services and their activity and prices, how and when it is paid, "
            "when it starts, and its key performance indicators. The lead provider and members "
            "that provide no services (observers) have none."
        ),
    )
    clause_versions: dict[PinnedName, int] = Field(
        default_factory=dict,
        title="Pinned clause versions",
        description=(
            "For lawyers: clause id -> version number, to draft with an earlier version of a "
            "clause than the library's current one (e.g. {voting: 1}); a schedule is named "
            "schedule:<id> (e.g. {'schedule:members': 1})."
        ),
    )

    # ---------------------------------------------------------------- derived views

    @cached_property
    def members_by_id(self) -> dict[str, Member]:
        return {m.id: m for m in self.members}

    @property
    def lead(self) -> Member | None:
        """The lead provider member, or None without the lead-provider model."""
        return self.members_by_id.get(self.lead_provider) if self.lead_provider else None

    @property
    def voting_members(self) -> list[Member]:
        return [m for m in self.members if m.member_class == "voting"]

    @property
    def nhs_members(self) -> list[Member]:
        return [m for m in self.members if m.kind in NHS_KINDS]

    @property
    def is_members(self) -> list[Member]:
        """Independent-sector members: the ones competition law always reaches."""
        return [m for m in self.members if m.kind == "independent_sector"]

    @property
    def covenant_members(self) -> list[Member]:
        return [m for m in self.members if m.banking_covenants]

    @property
    def partners(self) -> list[Member]:
        """Members that get a lead-provider sub-contract: providers other than the lead, not observers."""
        if self.governance.model != "lead_provider" or not self.lead_provider:
            return []
        return [
            m for m in self.members
            if m.id != self.lead_provider and m.kind in PROVIDER_KINDS and m.member_class != "observer"
        ]

    @property
    def reserved_matters(self) -> list[str]:
        """The reserved matters in force: as answered, else the standard list (none when
        advisory), without the matters the financial model has no use for (no risk share
        to change, no budget to approve without pooling)."""
        if self.governance.reserved_matters is not None:
            return list(self.governance.reserved_matters)
        if self.governance.vehicle == "advisory_group":
            return []
        unused = set()
        if self.finance.model not in ("shared_control_total", "lead_holds_budget"):
            unused.add("risk_share_changes")
        if self.finance.model == "no_pooling":
            unused.add("annual_budget")
        return [m for m in STANDARD_RESERVED_MATTERS if m not in unused]

    @property
    def mou_is_binding(self) -> bool:
        return bool(self.mou_binding)

    @property
    def term_end(self) -> dt.date | None:
        """The last day of the agreement's term, or None for a rolling term."""
        c = self.collaborative
        if c.term.kind == "fixed_years" and c.term.years:
            return period_end(c.commencement_date, 12 * c.term.years)
        if c.term.kind == "head_contract" and self.head_contract:
            return self.head_contract.end
        return None

    @property
    def mou_replaced(self) -> bool:
        """The pack has an MOU that the collaboration agreement replaces when it takes effect."""
        return "mou" in self.documents and "collaboration_agreement" in self.documents

    @property
    def mou_start(self) -> dt.date | None:
        """The MOU's own start: its own date when an agreement follows it (R24), else the
        collaborative's commencement date; None when an agreement follows and the date is
        not given yet (the MOU then shows a marked blank)."""
        if self.mou_replaced:
            return self.mou_commencement_date
        return self.collaborative.commencement_date

    @property
    def mou_term_months(self) -> int | None:
        """How many whole months an MOU is expected to run, so that its review cycle and its
        notice of withdrawal fit inside it: from its start to the agreement's commencement
        when an agreement replaces it, else its fixed term; None for a term with no set end
        (rolling, or tied to a head contract) or a start still to be given."""
        if self.mou_replaced:
            start = self.mou_commencement_date
            end = self.collaborative.commencement_date
            if start is None or end <= start:
                return None
            return (end.year - start.year) * 12 + end.month - start.month
        term = self.collaborative.term
        if term.kind == "fixed_years" and term.years:
            return 12 * term.years
        return None

    @property
    def mou_workplan_dates(self) -> list[dt.date]:
        """The target dates of the MOU's workplan (scope, governance and data, the agreement,
        then the members' approvals): three, six, nine and eleven months after the MOU starts,
        or, where an agreement follows it, five, four, two and one month before the agreement's
        commencement (never before the MOU starts), so that each condition the agreement sets
        before it takes effect has a step before that day; each moved to the next Business Day
        when it falls on a weekend or a bank holiday."""
        agreement = self.collaborative.commencement_date
        start = self.mou_start or agreement
        if self.mou_replaced:
            dates = [max(add_months(agreement, -months), start) for months in (5, 4, 2, 1)]
        else:
            dates = [add_months(start, months) for months in (3, 6, 9, 11)]
        return [business_day_on_or_after(day) for day in dates]

    @property
    def mou_s251_step(self) -> bool:
        """Whether the MOU's workplan has a step to apply for section 251 support: only for
        identifiable data used for purposes other than individual care. Pseudonymised data
        whose key the discloser keeps is not confidential patient information for the
        recipient, and section 251 support is not available for individual care."""
        return (self.data.legal_gateway == "s251"
                and self.data.kinds == "identifiable_commissioning")

    @property
    def mou_timetable(self) -> dict[str, Any]:
        """The MOU workplan's target dates, one per step, in the steps' logical order (scope and
        clinical model, governance, data flows, impact assessment, section 251, the agreement,
        the members' approvals), so that sorting by date never reorders dependent steps.

        Without an agreement to follow, steps are counted forward from the MOU's start (a report
        to the boards always a month after the last step it reports on). Where an agreement
        follows, they are counted back from its commencement; no date falls earlier than
        `MOU_LEAD_MONTHS` after the MOU starts. Where counting back would need that floor, the
        steps are spread evenly between the floor and a month before the agreement, and
        `achievable` is False so that the checklist can say the timetable is not achievable.
        Every date moves to the next Business Day. Dates are ISO strings (`dates`)."""
        agreement = self.collaborative.commencement_date
        start = self.mou_start or agreement
        floor = add_months(start, MOU_LEAD_MONTHS)
        if not self.mou_replaced:
            months = {"hub": 1, "scope": 3, "governance": 5, "flows": 6, "dpia": 7,
                      "towards": 6, "deliverables": 9, "report": 10, "agreement": 11}
            dates = {k: add_months(start, m) for k, m in months.items()}
            achievable = True
        else:
            before = {"hub": 10, "scope": 9, "governance": 8, "towards": 8, "flows": 7,
                      "dpia": 6, "s251": 5, "deliverables": 4, "agreement": 2, "budget": 2,
                      "consent": 2, "approve": 1, "evidence": 1}
            dates = {k: add_months(agreement, -m) for k, m in before.items()}
            achievable = min(dates.values()) >= floor
            if not achievable:
                last = max(add_months(agreement, -1), floor)
                span = (last - floor).days
                top = max(before.values()) - 1
                dates = {k: floor + dt.timedelta(days=round(span * (max(before.values()) - m) / top))
                         for k, m in before.items()}
        return {"dates": {k: business_day_on_or_after(d).isoformat() for k, d in dates.items()},
                "achievable": achievable}

    @property
    def mou_data_step_dates(self) -> dict[str, str | bool]:
        """The target dates of the MOU workplan's data steps where an agreement follows it,
        counted back from the agreement's commencement so that the data protection gateway can
        be ready by then: the data flows and their legal gateway eight months before, the data
        protection impact assessment seven, and any application for support under section 251
        of the NHS Act six months before (the Confidentiality Advisory Group usually takes
        several months). None falls before the MOU starts, and each is a month after the one
        before at the least; `fits` says whether the section 251 application can still be made
        six months before the agreement starts, so that the schedule can say when it cannot."""
        agreement = self.collaborative.commencement_date
        start = self.mou_start or agreement
        flows = max(add_months(agreement, -8), start)
        dpia = max(add_months(agreement, -7), add_months(flows, 1))
        s251 = max(add_months(agreement, -6), add_months(dpia, 1))
        return {
            "flows": business_day_on_or_after(flows).isoformat(),
            "dpia": business_day_on_or_after(dpia).isoformat(),
            "s251": business_day_on_or_after(s251).isoformat(),
            "fits": s251 <= add_months(agreement, -6),
        }

    @property
    def icb_name(self) -> str | None:
        """The integrated care board's own statutory name where the answers give it (an ICB
        member or observer, or an ICB named as the facilitating body of disputes), so that the
        pack calls the board by one name; None when they give none."""
        for m in self.members:
            if m.kind == "icb":
                return m.name
        body = (self.disputes.facilitating_body or "").strip()
        return body if "integrated care board" in body.lower() else None

    @property
    def icb_names(self) -> list[str]:
        """The legal name of the integrated care board of each ICS footprint ("NHS Black
        Country Integrated Care Board" for "Black Country"), or the name an ICB member gives
        for it, so that every clause calls each board by the one name the rest of the text
        uses, never the footprint as typed."""
        members = [m.name for m in self.members if m.kind == "icb"]
        names = []
        for footprint in self.collaborative.ics:
            place = " ".join(footprint.split())
            for suffix in (" Integrated Care System", " ICS"):
                if place.endswith(suffix):
                    place = place[:-len(suffix)]
            if place.endswith("Integrated Care Board"):
                names.append(place)
                continue
            own = next((n for n in members if place.lower() in n.lower()), None)
            names.append(own or f"NHS {place} Integrated Care Board")
        return names

    @property
    def nhs_england_commissions(self) -> bool:
        """Whether NHS England commissions any of the Services, as the answers show it: it
        commissions the head contract, or it takes part in the collaborative itself."""
        commissioner = self.head_contract.commissioner if self.head_contract else ""
        return "nhs england" in commissioner.lower() or any(
            m.kind == "nhs_england" for m in self.members)

    @property
    def objectives_are_actions(self) -> bool:
        """Whether every objective starts with a verb ("Reduce ..."), so that they read as
        "The objectives are to: reduce ..."; otherwise they are things to achieve ("Fewer
        emergency admissions") and read as "The objectives are: fewer ..."."""
        return all(o.split()[0].lower() in ACTION_VERBS
                   for o in self.collaborative.objectives if o.split())

    @property
    def first_contract_year_end(self) -> dt.date:
        """The 31 March that ends the first Contract Year (which starts on commencement)."""
        return year_end_on_or_after(self.collaborative.commencement_date)

    @property
    def minimum_term_end(self) -> dt.date | None:
        """The last day of the minimum term of membership, or None without one.

        Two years from 1 April 2027 end on 31 March 2029: the minimum term is a period of
        years beginning on the commencement date, so it ends the day before the anniversary.
        """
        years = self.membership.minimum_term_years
        if not years:
            return None
        return period_end(self.collaborative.commencement_date, 12 * years)

    @property
    def earliest_exit_date(self) -> dt.date:
        """The first date on which a member could leave by notice (withdrawal clause).

        Notice given on the commencement date expires at the end of the notice period; it may
        not expire before the minimum term ends; and where exits fall at a year end, the exit
        is the first 31 March on or after that day. With a two-year minimum term from 1 April
        2027, twelve months' notice and year-end exits, that is 31 March 2029.
        """
        m = self.membership
        earliest = period_end(self.collaborative.commencement_date, m.withdrawal_notice_months)
        if self.minimum_term_end and self.minimum_term_end > earliest:
            earliest = self.minimum_term_end
        return year_end_on_or_after(earliest) if m.withdrawal_at_year_end else earliest

    @property
    def tier_days(self) -> int:
        """Each dispute or deadlock step in calendar days, the one unit the documents count
        in: the answers give it in business days (`disputes.days_per_tier`), and five
        business days span a calendar week, so n of them span n * 7 / 5 days, rounded up."""
        return -(-self.disputes.days_per_tier * 7 // 5)

    @property
    def long_stop_date(self) -> dt.date:
        """The date by which the conditions precedent must be met: three months after
        commencement ([practice]: long enough for a board cycle, short enough to act on)."""
        return add_months(self.collaborative.commencement_date, 3)

    @property
    def term_review_date(self) -> dt.date | None:
        """The date by which the members start to review whether to extend a fixed term:
        three months before a one-year term ends, six before a two-year term, else twelve."""
        end = self.term_end
        years = self.collaborative.term.years
        if self.collaborative.term.kind != "fixed_years" or end is None or not years:
            return None
        months = 3 if years == 1 else 6 if years == 2 else 12
        return add_months(end + dt.timedelta(days=1), -months)

    @property
    def delegated_matters(self) -> list[str]:
        """The matters delegated to the board: as answered, else the standard list (none for
        an advisory group, which decides nothing)."""
        if self.governance.delegated_matters is not None:
            return list(self.governance.delegated_matters)
        if self.governance.vehicle == "advisory_group":
            return []
        return list(STANDARD_DELEGATED_MATTERS)

    def voting_power(self) -> dict[str, Any]:
        """Who can carry or block an ordinary decision of the board alone, every voting
        member present.

        `blockers`: voting members without whose vote no ordinary decision can be made.
        `dominant`: voting members that can carry any decision with at most one other vote
        (weighted voting: more than half of the weight; the voting clause also needs two
        members in favour). `needed`: votes needed with one vote each (None with weights).
        `each_blocks`: every voting member can block (unanimity, consensus, or a majority
        that needs everyone). `casting_needed`: with one vote each and a casting vote, the
        votes in favour that carry a decision when the casting vote is cast for it (an equal
        division of an even number of members), else None. `casting_inoperative`: the casting
        vote can never operate, because it may be cast only by a member that has itself voted
        and that member holds more than half of the weight, so whenever it votes nothing is
        divided; the voting and deadlock clauses and the board schedule then say so instead of
        describing when it applies. `casting_idle`: a casting vote that is not inoperative can
        still never change an outcome, because it may carry a proposal only when at least two
        voting members voted for it, and any two of them already carry one (weighted voting
        where the two smallest weights together exceed half, or one vote each with three voting
        members or fewer); the deadlock clause and the board schedule then say so. `block_group`: the smallest number of voting members that
        together can prevent an ordinary decision, every voting member present (None where each
        blocks alone or there is no vote); `block_tie`: that group's votes equal the rest, so
        the proposal is divided (a deadlock) rather than lost. The voting clause states these in
        words, so weights or a special majority never hide a veto or a blocking pair.
        """
        g = self.governance
        voters = [m.id for m in self.voting_members]
        n = len(voters)
        power: dict[str, Any] = {"total": n, "needed": None, "blockers": [], "dominant": [],
                                 "each_blocks": False, "casting_needed": None,
                                 "casting_inoperative": False, "casting_idle": False,
                                 "block_group": None,
                                 "block_tie": False}
        if g.vehicle == "advisory_group" or not n:
            return power
        if g.voting in ("consensus", "unanimity"):
            power.update(needed=n, blockers=voters, each_blocks=True)
            return power
        if g.voting == "weighted":
            weights = self.effective_weights()
            total = sum(weights.values()) or 100.0
            share = {k: 100 * v / total for k, v in weights.items()}
            power["dominant"] = [k for k in voters if share.get(k, 0) > 50]
            blockers = [k for k in voters if share.get(k, 0) >= 50]
            if n <= 2:  # two members in favour are always needed
                blockers = voters
            power.update(blockers=blockers, each_blocks=n <= 2)
            lead = self.lead.id if self.lead is not None else None
            caster = lead if (g.deadlock == "lead_provider_casting_vote" or (
                g.deadlock == "chair_casting_vote" and g.chair == "lead_provider")) else None
            power["casting_inoperative"] = caster is not None and caster in power["dominant"]
            smallest = sorted(share.get(k, 0) for k in voters)[:2]
            power["casting_idle"] = (
                (g.deadlock == "chair_casting_vote" or (
                    g.deadlock == "lead_provider_casting_vote" and lead is not None))
                and not power["casting_inoperative"]
                and (n <= 2 or sum(smallest) > 50 + 1e-9))
            if not power["each_blocks"] and not blockers:
                # against: enough weight that the rest hold no more than half, or so many
                # members that fewer than two remain to support the proposal
                held, size = 0.0, 0
                for value in sorted((share.get(k, 0) for k in voters), reverse=True):
                    held, size = held + value, size + 1
                    if held >= 50 - 1e-9:
                        break
                size = min(size, n - 1)
                power.update(block_group=size, block_tie=size < n - 1 and abs(held - 50) < 1e-9)
            return power
        if g.voting == "special_majority":
            needed = -(-int(round(g.special_majority_percent * n * 100)) // 10000)
        else:
            needed = n // 2 + 1
        needed = max(1, min(needed, n))
        each = needed == n
        power.update(needed=needed, blockers=voters if each else [], each_blocks=each,
                     dominant=voters if needed == 1 else [])
        if not each:
            power.update(block_group=n - needed + 1, block_tie=2 * (n - needed + 1) == n)
        casting = g.deadlock == "chair_casting_vote" or (
            g.deadlock == "lead_provider_casting_vote" and self.lead is not None)
        if g.voting == "simple_majority" and casting and n % 2 == 0 and n >= 4:
            # an equal division is decided by the casting vote, which never carries a proposal
            # that fewer than two voting members support: half of them carry it with it
            power["casting_needed"] = n // 2
        power["casting_idle"] = g.voting == "simple_majority" and casting and n <= 3
        return power

    def joint_posts(self) -> list[dict[str, Any]]:
        """Posts held by one individual for two or more members, as the answers show them: the
        same signatory for several members (observers aside), with the members' ids.

        A tier of a procedure that goes to each member's chief executive collapses when two
        members share one, so the deadlock clause sends those members to their chairs instead;
        `chief_executive` says whether the shared post is that one, and
        `shared_chief_executive` whether two or more voting members share it.
        """
        held: dict[str, list[Member]] = {}
        for m in self.members:
            if m.member_class != "observer":
                held.setdefault(" ".join(m.signatory.name.lower().split()), []).append(m)
        posts = []
        for group in held.values():
            if len(group) < 2:
                continue
            voting = [m.id for m in group if m.member_class == "voting"]
            chief = "chief executive" in group[0].signatory.role.lower()
            posts.append({"holder": group[0].signatory.name, "role": group[0].signatory.role,
                          "members": [m.id for m in group], "voting": voting,
                          "chief_executive": chief,
                          "shared_chief_executive": chief and len(voting) > 1})
        return posts

    def running_cost_shares(self) -> dict[str, float] | None:
        """Each paying member's share of the running costs in percent, or None when the
        shares cannot be worked out (fixed shares, or contract values missing).

        Observers pay nothing: they are not members of the collaborative in substance.
        """
        return self._split_running_costs(
            [m for m in self.members if m.member_class != "observer"])

    def _split_running_costs(self, payers: list[Member]) -> dict[str, float] | None:
        """The running-cost split of the answers applied to `payers`, in percent."""
        split = self.finance.running_cost_split
        if split == "equal":
            return {m.id: round(100 / len(payers), 2) for m in payers} if payers else {}
        if split == "pro_rata":
            values = [m.annual_contract_value for m in payers]
            if not payers or any(v is None for v in values) or not sum(v or 0 for v in values):
                return None
            total = sum(v or 0 for v in values)
            return {m.id: round(100 * (m.annual_contract_value or 0) / total, 2) for m in payers}
        return None

    def running_cost_shares_after_fixed_sums(self) -> dict[str, float] | None:
        """Each other paying member's share of what remains of the running costs once the
        members with banking covenants have paid their fixed sums, in percent; None when no
        paying member has covenants or the shares cannot be worked out.

        A covenant member pays a fixed sum, not its share, so the others' shares of the rest
        are their own shares recalculated without it: the draft states those, because they are
        what each board approves its exposure against.
        """
        shares = self.running_cost_shares()
        payers = [m for m in self.members if m.member_class != "observer"]
        if shares is None or not any(m.banking_covenants for m in payers):
            return None
        rest = [m for m in payers if not m.banking_covenants]
        return self._split_running_costs(rest) if rest else None

    def proposed_running_cost_shares(self) -> dict[str, Any] | None:
        """A proposal for the running-cost shares when the answers fix none, or None.

        Fixed shares (and pro rata shares with a contract value missing) have no figures in the
        answers. Bare blanks leave the client nowhere to start, so the draft proposes figures in
        brackets: pro rata to annual contract value where every paying member has one, else equal.
        """
        if self.running_cost_shares() is not None:
            return None
        payers = [m for m in self.members if m.member_class != "observer"]
        if not payers:
            return None
        values = [m.annual_contract_value for m in payers]
        if all(v is not None for v in values) and sum(v or 0 for v in values):
            total = sum(v or 0 for v in values)
            shares = {m.id: round(100 * (m.annual_contract_value or 0) / total, 2) for m in payers}
            return {"basis": "pro_rata", "shares": shares}
        return {"basis": "equal", "shares": {m.id: round(100 / len(payers), 2) for m in payers}}

    @property
    def sub_contract_end(self) -> dt.date | None:
        """A sub-contract ends with the agreement's term, and never after the head contract (R14)."""
        if not self.head_contract:
            return None
        end = self.term_end
        return min(end, self.head_contract.end) if end else self.head_contract.end

    def terms_for(self, member_id: str) -> SubContractTerms | None:
        """The sub-contract terms of partner `member_id`, or None when the answers give none."""
        return self.sub_contract_terms.get(member_id)

    def partner_commencement(self, member_id: str) -> dt.date | None:
        """When partner `member_id` starts its services: its own `service_commencement` when
        its sub-contract terms give one, else `service_commencement`."""
        terms = self.terms_for(member_id)
        if terms is not None and terms.service_commencement is not None:
            return terms.service_commencement
        return self.service_commencement

    def effective_weights(self) -> dict[str, float]:
        """Voting weights in percent by member id: the fixed table, or shares of contract value.

        Empty unless voting is weighted. Contract-value weights are rounded to two places.
        """
        g = self.governance
        if g.voting != "weighted":
            return {}
        if g.weight_basis == "fixed" and g.weights:
            return dict(g.weights)
        voters = self.voting_members
        total = sum(m.annual_contract_value or 0 for m in voters)
        if not total:
            return {}
        return {m.id: round(100 * (m.annual_contract_value or 0) / total, 2) for m in voters}

    @property
    def risk_sharers(self) -> list[Member]:
        """The members whose spending on the services is inside the pool that the risk and
        gain share measures, and so take a share of a surplus or deficit.

        With a shared control total that is every member but an observer, whatever its kind:
        a local authority's or an associate's spending counts in the control total, so it
        shares. With a budget the lead provider holds, the pool is the head contract's money,
        so the lead and the partners it pays share; a member paid from elsewhere does not,
        and the risk share clause names it. A member with banking covenants is in, with a
        nil loss share (R11).
        """
        if self.finance.model == "lead_holds_budget" and self.lead is not None:
            return [self.lead, *self.partners]
        return [m for m in self.members if m.member_class != "observer"]

    @property
    def risk_outsiders(self) -> list[Member]:
        """Members other than observers that take no share because the pool does not hold
        their spending (only with a budget the lead provider holds)."""
        inside = {m.id for m in self.risk_sharers}
        return [m for m in self.members if m.member_class != "observer" and m.id not in inside]

    def loss_shares(self) -> dict[str, float]:
        """Each member's share of a deficit in percent (R11 applied).

        A member whose banking covenants bar open-ended risk takes nil, and the others'
        shares are re-normalised so they still add up to 100.
        """
        f = self.finance
        sharing = self.risk_sharers
        if f.deficit == "lead_bears":
            return {m.id: (100.0 if m.id == self.lead_provider else 0.0) for m in sharing}
        payers = [m for m in sharing if not m.banking_covenants]
        if not payers:
            return {m.id: 0.0 for m in sharing}
        if f.deficit == "equal":
            raw = {m.id: 1.0 for m in payers}
        else:
            raw = {m.id: float(m.annual_contract_value or 0) for m in payers}
            if not sum(raw.values()):
                raw = {m.id: 1.0 for m in payers}
        total = sum(raw.values())
        return {m.id: round(100 * raw.get(m.id, 0.0) / total, 2) for m in sharing}

    def gain_shares(self) -> dict[str, float]:
        """Each member's share of a distributed surplus in percent, pro rata to contract value."""
        sharing = self.risk_sharers
        if self.finance.surplus == "lead_retains":
            return {m.id: (100.0 if m.id == self.lead_provider else 0.0) for m in sharing}
        raw = {m.id: float(m.annual_contract_value or 0) for m in sharing}
        if not sum(raw.values()):
            raw = {m.id: 1.0 for m in sharing}
        total = sum(raw.values())
        return {k: round(100 * v / total, 2) for k, v in raw.items()}

    def loss_caps(self) -> dict[str, float]:
        """Each capped member's loss cap for a year in pounds: its loss cap percentage of its
        annual contract value.

        Empty unless deficits are capped. The lead provider, which bears what is above the
        caps, has none; nor has a member with a nil share (banking covenants) or whose
        annual contract value is not given.
        """
        f = self.finance
        if f.deficit != "capped" or f.loss_cap_percent is None:
            return {}
        lead = self.lead_provider if self.governance.model == "lead_provider" else None
        return {
            member_id: round((self.members_by_id[member_id].annual_contract_value or 0)
                             * f.loss_cap_percent / 100, 2)
            for member_id, share in self.loss_shares().items()
            if member_id != lead and share > 0
            and self.members_by_id[member_id].annual_contract_value is not None
        }

    def management_fees(self) -> dict[str, float]:
        """Each partner's management fee for a year in pounds, so that a percentage is never
        shown without its figure: the percentage of its annual contract value, or its part
        of a fixed fee in proportion to the partners' annual contract values. Empty without a
        fee; a partner without a contract value has none (the schedule shows a blank)."""
        fee = self.commissioning.management_fee
        partners = [m for m in self.partners if m.annual_contract_value is not None]
        if fee.kind == "percent" and fee.value is not None:
            return {m.id: round((m.annual_contract_value or 0) * fee.value / 100, 2)
                    for m in partners}
        if fee.kind == "fixed" and fee.value is not None:
            if len(partners) != len(self.partners):
                return {}
            total = sum(m.annual_contract_value or 0 for m in partners)
            if not total:
                return {}
            return {m.id: round(fee.value * (m.annual_contract_value or 0) / total, 2)
                    for m in partners}
        return {}

    def liability_caps(self) -> dict[str, float]:
        """Each member's liability cap in pounds (the multiple of its annual contract value);
        empty unless liability is capped. A member without a contract value has none."""
        f = self.finance
        if f.liability != "several_with_cap" or f.liability_cap_multiple is None:
            return {}
        return {m.id: round(m.annual_contract_value * f.liability_cap_multiple, 2)
                for m in self.members if m.annual_contract_value is not None}

    def payment_days(self, member_id: str) -> int:
        """Days the lead provider takes to pay partner `member_id`'s valid invoices: its own
        `payment_days` when its terms give them, else `commissioning.partner_payment_days`."""
        terms = self.terms_for(member_id)
        if terms is not None and terms.payment_days is not None:
            return terms.payment_days
        return self.commissioning.partner_payment_days

    def unit_volumes(self) -> dict[str, list[dict[str, Any] | None]]:
        """For each partner paid on a cost and volume basis, each service's currency, volume a
        year, unit price and tolerance, where its plain-words activity states a yearly count
        ("about 6,300 occupied bed days a year") and it has an annual price; else None.

        The figures are proposals for the parties to confirm: the count in the answers is
        often approximate, and the tolerance is the library's 5%, so the schedule shows them
        in square brackets.
        """
        out: dict[str, list[dict[str, Any] | None]] = {}
        for member_id, terms in self.sub_contract_terms.items():
            if terms.payment_basis != "cost_and_volume":
                continue
            out[member_id] = [_unit_volume(s.name, s.activity, s.annual_price)
                              for s in terms.services]
        return out

    def lead_decision_kpis(self) -> dict[str, list[str]]:
        """Partner id -> the names of its key performance indicators that measure a decision
        the lead provider takes as commissioner (where a patient is placed, which provider is
        allocated the work, who is admitted), found by their words.

        The partner does not control these, so its sub-contract reports them for information
        only and withholds no money for them; the words are those a lawyer would flag.
        """
        found: dict[str, list[str]] = {}
        for member in self.partners:
            terms = self.terms_for(member.id)
            kpis = terms.kpis if terms is not None else []
            found[member.id] = [
                k.name for k in kpis
                if any(w in f"{k.name} {k.measure}".lower() for w in LEAD_DECISION_WORDS)
            ]
        return found

    @property
    def service_commencement(self) -> dt.date | None:
        """When a partner starts the sub-contracted services: the commencement date, or the
        head contract's start if that is later. None without a head contract."""
        if not self.head_contract:
            return None
        return max(self.collaborative.commencement_date, self.head_contract.start)

    def context(self) -> dict[str, Any]:
        """The answers as plain data for clause conditions and templates.

        Top-level keys are the answers file's own (`governance.voting`), with defaults filled
        in; `derived` holds the views above, so clause text never recomputes them.
        """
        data = self.model_dump(mode="json", by_alias=True)
        data["governance"]["reserved_matters"] = self.reserved_matters
        lead = self.lead
        data["derived"] = {
            "lead": lead.model_dump(mode="json", by_alias=True) if lead else None,
            "partners": [m.model_dump(mode="json", by_alias=True) for m in self.partners],
            "voting_members": [m.id for m in self.voting_members],
            "nhs_members": [m.id for m in self.nhs_members],
            "is_members": [m.id for m in self.is_members],
            "covenant_members": [m.id for m in self.covenant_members],
            "has_is_member": bool(self.is_members),
            "has_covenants": bool(self.covenant_members),
            "has_lead_provider": self.governance.model == "lead_provider",
            "weights": self.effective_weights(),
            "loss_shares": self.loss_shares(),
            "gain_shares": self.gain_shares(),
            "risk_sharers": [m.id for m in self.risk_sharers],
            "risk_outsiders": [m.id for m in self.risk_outsiders],
            "loss_caps": self.loss_caps(),
            "liability_caps": self.liability_caps(),
            "management_fees": self.management_fees(),
            "service_commencement": (self.service_commencement.isoformat()
                                     if self.service_commencement else None),
            "term_end": self.term_end.isoformat() if self.term_end else None,
            "sub_contract_end": self.sub_contract_end.isoformat() if self.sub_contract_end else None,
            "mou_binding": self.mou_is_binding,
            "risk_share": self.finance.model in ("shared_control_total", "lead_holds_budget"),
            "data_shared": self.data.kinds != "anonymised",
            "observers": [m.id for m in self.members if m.member_class == "observer"],
            "associates": [m.id for m in self.members if m.member_class == "associate"],
            "mou_replaced": self.mou_replaced,
            "mou_start": iso(self.mou_start),
            "mou_term_months": self.mou_term_months,
            "objectives_are_actions": self.objectives_are_actions,
            "icb_name": self.icb_name,
            "icb_names": self.icb_names,
            "nhs_england_commissions": self.nhs_england_commissions,
            "mou_workplan_dates": [d.isoformat() for d in self.mou_workplan_dates],
            "mou_data_step_dates": self.mou_data_step_dates,
            "mou_timetable": self.mou_timetable,
            "mou_s251_step": self.mou_s251_step,
            "first_contract_year_end": self.first_contract_year_end.isoformat(),
            "minimum_term_end": iso(self.minimum_term_end),
            "earliest_exit_date": self.earliest_exit_date.isoformat(),
            "long_stop_date": self.long_stop_date.isoformat(),
            "tier_days": self.tier_days,
            "term_review_date": iso(self.term_review_date),
            "delegated_matters": self.delegated_matters,
            "voting_power": self.voting_power(),
            "joint_posts": self.joint_posts(),
            "running_cost_shares": self.running_cost_shares(),
            "running_cost_shares_after_fixed_sums": self.running_cost_shares_after_fixed_sums(),
            "proposed_running_cost_shares": self.proposed_running_cost_shares(),
            "payment_days": {m.id: self.payment_days(m.id) for m in self.partners},
            "lead_decision_kpis": self.lead_decision_kpis(),
            "unit_volumes": self.unit_volumes(),
            "service_commencements": {
                m.id: self.partner_commencement(m.id).isoformat()  # type: ignore[union-attr]
                for m in self.partners if self.head_contract
            },
        }
        # The IP choices the answers left to the library's defaults, so the clause can list
        # them on the checklist (an unanswered `ip` section still drafts whole clauses).
        given = self.ip.model_fields_set if "ip" in self.model_fields_set else set()
        data["derived"]["ip_defaulted"] = [
            name for name in ("foreground", "on_exit", "commercialisation") if name not in given]
        # Likewise the change-of-control rule, drafted for a company member even when the
        # answers never chose one, so the checklist shows the library's choice.
        membership_given = (self.membership.model_fields_set
                            if "membership" in self.model_fields_set else set())
        data["derived"]["change_of_control_defaulted"] = (
            "change_of_control" not in membership_given)
        # And the governance answers given, so that a clause can list as a default a rule it
        # drafts from an answer left unsaid (meetings in private, say).
        data["derived"]["governance_given"] = sorted(
            self.governance.model_fields_set if "governance" in self.model_fields_set else set())
        # And the cure period for a breach, which the expulsion and termination clauses use.
        data["derived"]["cure_period_defaulted"] = "cure_period_days" not in membership_given
        return data


# --------------------------------------------------------------------------- loading
