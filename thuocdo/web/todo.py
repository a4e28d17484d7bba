"""One item of "today's work" on the home page, as each app's `todo.py` reports it.

Each app that gives someone work has a `todo.py` with `todo_for(actor) -> list[TodoItem]`:
counts only (a few queries, whatever the size of the city), scoped through
`thuocdo.org.scope`, and no item when its count is 0. The home page collects them
(`thuocdo.web.home`). This module imports no app, so every app may import it.
"""

from __future__ import annotations

from dataclasses import dataclass

from thuocdo.rules.fmt import vn_number


@dataclass(frozen=True)
class TodoItem:
    """Something waiting for the user: a Vietnamese sentence with its count, and the page
    where it is done."""

    key: str  # stable name for tests and anchors, e.g. "work.plans-to-approve"
    text: str  # "3 kế hoạch tháng 12/2026 chờ duyệt"
    url: str
    count: int
    # Which heading the item is listed under on the home page.
    section: str
    # Past a deadline: shown first, and marked.
    urgent: bool = False


def n(count: int) -> str:
    """A count written the Vietnamese way (1.252)."""
    return vn_number(count)


def month_label(year: int, month: int) -> str:
    """ "12/2026"."""
    return f"{month:02d}/{year}"


# The headings of the home page, in their order: one's own work first, then what one owes
# others as leader, organiser or authority.
OWN = "Việc của tôi"
LED = "Người tôi phụ trách"
PERIODS = "Kỳ đánh giá"
APPEALS = "Kiến nghị, trường hợp cần xem xét"
OPINIONS = "Lấy ý kiến, phiếu tín nhiệm"
SECTIONS = (OWN, LED, PERIODS, APPEALS, OPINIONS)
