"""The schedules and parties that only the pack's documents have, built from the answers.

The sub-contract's schedules keep the numbers of the head contract's (1 commencement and
term, 2 services, 3 payment, 4 quality, 6 contract management), so a contract manager can
read the two side by side. Word numbers schedules itself, one after another, so Schedule 5
(the head contract's governance schedule, which does not flow down) is present and marked
"not used", as the NHS contracts mark their unused parts. The MOU's workplan and steering
group terms of reference follow the engine's schedules; the accession deed gains a party
and a signature block with blanks for the member that joins.

Every builder is a pure function of the answers (and the partner), like the engine's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from drafting.build.assemble import bookmark_name
from drafting.model import (
    Block,
    Document,
    Inline,
    Paragraph,
    Schedule,
    Strong,
    Table,
    Target,
)
from drafting.model import Text as T
from drafting.read.answers import NHS_KINDS, Answers, Member
from drafting.read.conditions import date, humanise, join_words, money, percent, words

__all__ = ["PackSchedule", "PACK_SCHEDULES", "add_pack_parts"]

Builder = Callable[[Answers, Member | None], list[Block]]


@dataclass(frozen=True)
class PackSchedule:
    """A schedule the pack adds: its id, title, builder and the number it must show.

    `number` None means "the next one"; a fixed number is checked against the position
    the schedule takes, because Word numbers schedule headings in sequence.
    """

    id: str
    title: str
    build: Builder
    number: int | None = None


def _p(*parts: str | Inline, style: str = "body") -> Paragraph:
    return Paragraph(level=0, style=style,
                     inlines=tuple(T(p) if isinstance(p, str) else p for p in parts))


def _head(text: str) -> Paragraph:
    return _p(Strong((T(text),)))


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]],
           widths: tuple[int, ...]) -> Table:
    return Table(header, tuple(tuple((T(c),) for c in row) for row in rows), widths=widths)


def _lead(a: Answers) -> Member:
    lead = a.lead
    assert lead is not None, "sub-contracts are planned only with a lead provider"
    return lead


def _partner(partner: Member | None) -> Member:
    assert partner is not None, "sub-contract schedules need the partner"
    return partner


# --------------------------------------------------------------------------- sub-contract


_HEAD_CONTRACT_KINDS = {
    "nhs_standard_contract": "NHS Standard Contract",
    "delegated_arrangement": "delegated commissioning arrangement",
}


def _days(n: int) -> str:
    return f"{words(n)} Business {'Day' if n == 1 else 'Days'}"


def _sc_commencement(a: Answers, partner: Member | None) -> list[Block]:
    p, hc = _partner(partner), a.head_contract
    assert hc is not None
    end = a.sub_contract_end or hc.end
    criteria = [
        "evidence of the Sub-Contractor's registration with the CQC for the regulated "
        "activities the Sub-Contracted Services involve",
        "evidence of indemnity cover: membership of the NHS Resolution schemes"
        if p.kind in NHS_KINDS else
        "evidence of commercial insurance cover (NHS Resolution schemes are not open to it)",
        "confirmation that it meets the Data Security and Protection Toolkit standard",
        "confirmation that it is a party to the collaboration agreement of the "
        f"{a.collaborative.name}",
    ]
    return [
        _head("Part A: Conditions precedent"),
        _p("Before the Service Commencement Date the Sub-Contractor gives the Lead Provider:"),
        *(_p(c, style="list") for c in criteria),
        _head("Part B: Head contract documents"),
        _table(("Item", "Detail"), [
            ("Commissioner", hc.commissioner),
            ("Head contract", _HEAD_CONTRACT_KINDS[hc.kind]),
            ("Reference", hc.reference or "[to be inserted]"),
            ("Head contract term", f"{date(hc.start)} to {date(hc.end)}"),
            ("Service Commencement Date", date(max(a.collaborative.commencement_date, hc.start))),
            ("Expiry Date", f"{date(end)} (never later than the head contract's end)"),
        ], (35, 65)),
        _p("The Lead Provider gives the Sub-Contractor a copy of the parts of the head contract "
           "that flow down to it, with commercially sensitive terms redacted."),
        _head("Part C: Extension"),
        _p("There is no automatic extension. Any extension ends no later than the head "
           "contract, as extended, and is made by a variation signed by both parties."),
    ]


_SC_SERVICE_PARTS = (
    ("A", "Service specifications"),
    ("B", "Indicative activity plan"),
    ("C", "Activity planning assumptions"),
    ("D", "Essential services"),
    ("E", "Essential services continuity plan"),
    ("F", "Clinical networks"),
    ("G", "Other local agreements, policies and procedures"),
    ("H", "Transition arrangements"),
    ("I", "Exit arrangements"),
    ("J", "Transfer of and discharge from care protocols"),
    ("K", "Safeguarding policies and Mental Capacity Act 2005 policies"),
)


def _sc_services(a: Answers, partner: Member | None) -> list[Block]:
    p = _partner(partner)
    services = a.collaborative.services
    content: dict[str, list[Block]] = {
        "A": [_p(f"The Sub-Contractor provides the following services within the scope of the "
                 f"{a.collaborative.name}, to the specifications of the head contract for them:"),
              *(_p(s, style="list") for s in services)],
        "B": [_table(("Service", "Indicative annual activity"),
                     [(s, "[to be agreed before the Service Commencement Date]") for s in services],
                     (60, 40))],
        "D": [_p("The essential services are those the head contract designates as essential; "
                 "the Sub-Contractor maintains them in any interruption.")],
        "E": [_p("The Sub-Contractor keeps a business continuity plan for the essential services "
                 "and gives it to the Lead Provider on request.")],
        "F": [_p("The Sub-Contractor takes part in the clinical networks and pathways of the "
                 "collaborative and in those the head contract names.")],
        "I": [
            _p("When this Sub-Contract ends, for any reason, the parties carry out the Exit Plan "
               "agreed under the clause on the consequences of leaving, so that care continues "
               "safely. The Exit Plan provides that:"),
            _p("no patient is discharged or transferred except under the protocols in Part J "
               "and with the receiving provider's agreement", style="list"),
            _p("the Sub-Contractor gives the Lead Provider, or the provider it names, the records "
               "and information needed to continue each patient's care", style="list"),
            _p("staff affected are identified early and any transfer obligations (including "
               "under the TUPE Regulations 2006) are met", style="list"),
            _p("personal data is returned or securely deleted as the Lead Provider directs",
               style="list"),
            _p("sums due are reconciled up to the exit date and paid as Schedule 3 provides",
               style="list"),
        ],
        "J": [_p("Transfers and discharges follow the collaborative's shared protocols and the "
                 "head contract's transfer of and discharge from care requirements.")],
        "K": [_p(f"{p.name} applies its own safeguarding and Mental Capacity Act 2005 policies, "
                 "which meet the head contract's requirements, and notifies safeguarding concerns "
                 f"to the Lead Provider within {_days(a.clinical.incident_notification_days)}.")],
    }
    blocks: list[Block] = []
    for letter, title in _SC_SERVICE_PARTS:
        blocks.append(_head(f"Part {letter}: {title}"))
        blocks.extend(content.get(letter, [_p("Not used.")]))
    return blocks


def _sc_payment(a: Answers, partner: Member | None) -> list[Block]:
    p = _partner(partner)
    fee = a.commissioning.management_fee
    fee_text = {"none": "none",
                "percent": f"{percent(fee.value)} of the value of the Sub-Contracted Services",
                "fixed": f"{money(fee.value)} a year, apportioned between the partners"}[fee.kind]
    rows = [
        ("Expected annual contract value",
         money(p.annual_contract_value) if p.annual_contract_value is not None
         else "[to be agreed]"),
        ("Invoicing", "monthly in arrears, with the activity data Schedule 6 requires"),
        ("Payment", f"within {a.commissioning.partner_payment_days} days of a valid invoice"),
        ("Lead Provider's management fee", fee_text),
        ("Reconciliation", "quarterly" if a.finance.reconciliation == "quarterly"
         else "at the end of each financial year (31 March)"),
    ]
    if a.finance.model in ("shared_control_total", "lead_holds_budget"):
        share = a.loss_shares().get(p.id)
        rows.append(("Share of a deficit",
                     "nil (banking covenants)" if p.banking_covenants
                     else percent(share) if share is not None else "-"))
    return [
        _head("Part A: Local prices"),
        _p("The prices for each of the Sub-Contracted Services are those agreed between the "
           "parties in writing before the Service Commencement Date, derived from the prices "
           "payable to the Lead Provider under the head contract."),
        _head("Part B: Expected annual contract value and payment terms"),
        _table(("Item", "Arrangement"), rows, (40, 60)),
    ]


def _sc_quality(a: Answers, partner: Member | None) -> list[Block]:
    return [
        _p("The Sub-Contractor meets, for the Sub-Contracted Services, the quality requirements "
           "of the head contract that apply to them, including its operational standards, "
           "national quality requirements and local quality requirements."),
        _table(("Quality requirement", "Threshold", "Reported"), [
            ("Serious incidents notified to the Lead Provider",
             f"within {_days(a.clinical.incident_notification_days)}", "each incident"),
            ("Registration with the CQC maintained", "at all times", "on any change"),
            ("Head contract quality requirements", "as in the head contract", "as Schedule 6"),
            ("Local requirements of the collaborative", "[to be agreed]", "quarterly"),
        ], (50, 25, 25)),
    ]


def _sc_not_used(a: Answers, partner: Member | None) -> list[Block]:
    return [_p("Not used. The head contract's governance schedule does not flow down: the "
               "governance of the collaborative is set out in its collaboration agreement.")]


def _sc_reporting(a: Answers, partner: Member | None) -> list[Block]:
    p, lead = _partner(partner), _lead(a)
    return [
        _head("Part A: Reporting requirements"),
        _table(("Report", "Frequency", "Sent to"), [
            ("Activity against the indicative activity plan", "monthly", "Lead Provider"),
            ("Quality requirements (Schedule 4)", "quarterly", "Lead Provider"),
            ("Finance and invoices", "monthly", "Lead Provider"),
            ("Serious incidents and safeguarding concerns",
             f"within {_days(a.clinical.incident_notification_days)}", "Lead Provider"),
        ], (50, 25, 25)),
        _head("Part B: Contract managers"),
        _table(("Party", "Contract manager"), [
            (lead.name, f"{lead.representative.name}, {lead.representative.role}"),
            (p.name, f"{p.representative.name}, {p.representative.role}"),
        ], (50, 50)),
    ]


# --------------------------------------------------------------------------- MOU


def _months_after(start: dt.date, months: int) -> dt.date:
    year, month = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + year, month + 1, min(start.day, 28))


def _mou_workplan(a: Answers, partner: Member | None) -> list[Block]:
    start = a.collaborative.commencement_date
    steps = [
        ("Agree the scope and clinical model of " + join_words(a.collaborative.services), 3),
        ("Agree the governance model and the delegations each board is asked to approve", 6),
        ("Agree how data will be shared, with a data protection impact assessment", 6),
        ("Prepare the collaboration agreement for each board's approval", 9),
    ]
    return [
        _p("Target dates are indicative; the Steering Group keeps the workplan up to date."),
        _table(("Step", "Owner", "Target date"),
               [(s, "Steering Group", date(_months_after(start, m))) for s, m in steps],
               (60, 20, 20)),
    ]


def _mou_steering_terms(a: Answers, partner: Member | None) -> list[Block]:
    g = a.governance
    rows = [
        ("Authority", "none delegated: the group makes recommendations to the members' boards"),
        ("Membership", "one representative of each member, with a named deputy"),
        ("Chair", humanise(g.chair)),
        ("Meetings", f"{humanise(g.meeting_frequency)}, "
                     f"{'in public' if g.meetings_in_public else 'in private'}"),
        ("Decisions", "by consensus; a recommendation binds no member until its board adopts it"),
        ("Reporting", humanise(g.board_reporting)),
        ("Review", "at least once a year"),
    ]
    return [_table(("Item", "Arrangement"), rows, (30, 70))]


PACK_SCHEDULES: dict[str, tuple[PackSchedule, ...]] = {
    "sub_contract": (
        PackSchedule("sc-commencement", "Service commencement and term", _sc_commencement, 1),
        PackSchedule("sc-services", "Services", _sc_services, 2),
        PackSchedule("sc-payment", "Payment", _sc_payment, 3),
        PackSchedule("sc-quality", "Quality requirements", _sc_quality, 4),
        PackSchedule("sc-governance", "Governance (not used)", _sc_not_used, 5),
        PackSchedule("sc-reporting", "Contract management, reporting and information",
                     _sc_reporting, 6),
    ),
    "mou": (
        PackSchedule("mou-workplan", "Workplan", _mou_workplan),
        PackSchedule("mou-steering-group", "Terms of reference of the Steering Group",
                     _mou_steering_terms),
    ),
}
"""Document kind -> the schedules the pack adds after the outline's own, in order."""


# --------------------------------------------------------------------------- assembly


_BLANK_PARTY = "[NAME OF NEW MEMBER]"


def _accession_parties(document: Document) -> Document:
    """Name the new member as the last party, with blanks; the execution clause signs it."""
    n = len(document.parties) + 1
    party = Paragraph(level=0, style="party", inlines=(
        T(f"({n})\t"), Strong((T(_BLANK_PARTY),)),
        T(" (company number or ODS code [number]) of [registered address] (the New Member)"),
    ))
    return dataclasses.replace(document, parties=(*document.parties, party))


def add_pack_parts(document: Document, answers: Answers, partner: Member | None) -> Document:
    """Add the pack's own schedules (and the accession deed's blank party) to `document`.

    The execution clause is the signature page of every pack document (a deed's execution
    by the new member and by the lead for the others, a board's approval of terms of
    reference), so the generic signature blocks are dropped when it is present: each party
    signs once, in the form its document needs.
    """
    if document.kind == "accession_deed":
        document = _accession_parties(document)
    if any(c.id == "execution" for c in document.clauses):
        document = dataclasses.replace(document, signatures=())
    specs = PACK_SCHEDULES.get(document.kind, ())
    if not specs:
        return document
    schedules = list(document.schedules)
    targets = dict(document.targets)
    for spec in specs:
        number = len(schedules) + 1
        # Word numbers schedule headings in sequence: a fixed number must be the next one.
        assert spec.number in (None, number), f"{spec.id} would show as Schedule {number}"
        bookmark = bookmark_name(f"sched-{spec.id}")
        target = Target(bookmark, f"Schedule {number}")
        targets[f"sched:{spec.id}"] = target
        schedules.append(Schedule(spec.id, spec.title, target.number, bookmark,
                                  tuple(spec.build(answers, partner))))
    return dataclasses.replace(document, schedules=tuple(schedules), targets=targets)
