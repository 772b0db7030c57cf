"""Round 16 partner review (the round-15 drafts read again): rules that reach every collaborative.

1. Wherever the complaints clause sends a choice to "the chief executives", two Members that
   share a chief executive are each represented by their own chair or a non-executive director,
   as the deadlock and dispute clauses already provide: one person never decides for both.
2. The committee terms say how a matter referred to the Member Boards is decided, citing the
   agreement's rule (the Member Board of each Voting Member), so no referral is left without one.
"""

from __future__ import annotations

from drafting.read.load import LoadedAnswers
from tests.review_sets import SHARED
from tests.test_partner_review import changed, clause_text
from tests.test_review_round5_mou import built
from tests.test_review_round12_board import planned
from tests.test_review_round15_main import agreements, words


def with_a_shared_chief_executive() -> list[tuple[str, LoadedAnswers]]:
    """The agreements, and the shared-leadership set with its chair changed so that the chief
    executives (not an independent chair) settle who leads a complaint."""
    return agreements() + [("shared-rotating", changed(SHARED, governance={"chair": "rotating"}))]


def test_1_the_chief_executives_of_members_sharing_one_are_each_represented() -> None:
    seen = 0
    for name, loaded in with_a_shared_chief_executive():
        document = built(loaded, "collaboration_agreement")
        if "complaints" not in {c.id for c in document.clauses}:
            continue
        text = words(clause_text(document, "complaints"))
        shared = [p for p in loaded.answers.context()["derived"]["joint_posts"] if p["shared_chief_executive"]]
        if "the chief executives of those Members decide it instead" in text and shared:
            assert "share a chief executive, where more than one of them is concerned each of them is " \
                   "represented among the chief executives under this sub-clause by the chair of its Member " \
                   "Board or a non-executive director whom that chair names" in text, name
            seen += 1
        else:
            assert "share a chief executive" not in text, name
    assert seen >= 1


def test_2_the_terms_say_how_the_member_boards_decide_a_referred_matter() -> None:
    seen = 0
    for name, loaded in agreements():
        if not planned(loaded, "committee_terms"):
            continue
        agreement = built(loaded, "collaboration_agreement")
        if "governance-board.member-boards" not in agreement.targets:
            continue
        rule = agreement.targets["governance-board.member-boards"].number
        terms = built(loaded, "committee_terms")
        board = words(clause_text(terms, "governance-board"))
        assert "Where these terms of reference refer a matter to the Member Boards, or say that they decide, " \
               f"approve or agree it, and do not say whose, clause {rule} of the Agreement applies: it means the " \
               "Member Board of each Voting Member, and the matter is decided only when each of them has " \
               "approved it." in board, name
        seen += 1
    assert seen >= 4
