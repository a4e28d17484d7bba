"""The demo city's votes: a real confidence vote (lấy phiếu tín nhiệm) in one ward at the end of
last year, cast through the ballots services so the secret-ballot rules and the audit trail
hold for demo data too. Its result puts one deputy chairman under the careers review flag
for low confidence (`thuocdo.demo.careers` calls it with the careers' random generator).
"""

from __future__ import annotations

import datetime
from random import Random

from thuocdo.ballots import services as ballots
from thuocdo.ballots.models import Candidate
from thuocdo.demo.common import posts_held
from thuocdo.org.models import Person, Unit, User
from thuocdo.rules import confidence


def confidence_vote_build(ward: Unit, year: int, admin: User, rng: Random) -> Person:
    """A real confidence vote in the ward at the end of the year: its first deputy chairman
    gets 60% low-confidence ballots (over 1/2, under 2/3: out of the planning pool)."""
    meeting = datetime.date(year, 12, 10)
    posts = posts_held(ward, meeting)
    deputy = next(p.person for p in posts if p.is_deputy)
    leaders = [p.person for p in posts if p.is_head or p.is_deputy]
    summoned = [p.person for p in posts_held(ward, meeting)]
    summoned += [p.person for p in posts_held(ward.parent, meeting)] if ward.parent else []
    campaign = ballots.campaign_create(
        actor=admin,
        unit=ward,
        title=f"Lấy phiếu tín nhiệm giữa nhiệm kỳ năm {year} — {ward.name}",
        meeting_date=meeting,
        candidates=leaders,
        summoned=list(dict.fromkeys(summoned)),
    )
    issued = ballots.campaign_open(actor=admin, campaign=campaign)
    candidates = list(Candidate.objects.filter(campaign=campaign))
    low_until = (len(issued.codes) * 3 + 4) // 5  # 60%, rounded up
    for index, (_person, code) in enumerate(issued.codes):
        marks = {}
        for c in candidates:
            if c.person_id == deputy.pk:
                marks[str(c.pk)] = confidence.LOW if index < low_until else confidence.TRUST
            else:
                marks[str(c.pk)] = rng.choice((confidence.HIGH, confidence.HIGH, confidence.TRUST))
        ballots.ballot_cast(code=code, marks=marks)
    ballots.campaign_close(actor=admin, campaign=campaign)
    ballots.campaign_publish(actor=admin, campaign=campaign)
    return deputy
