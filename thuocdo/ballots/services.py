"""Writes of confidence votes. Every step of the organiser and the counting committee is atomic
and audited; an electronic ballot is not: casting one writes the sealed ballot and the voter's
"has voted" mark and nothing else (no audit event, no log line, no session), see
docs/ballots.md."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from thuocdo.audit.services import audit_record, snapshot
from thuocdo.ballots.models import (
    Ballot,
    Campaign,
    CampaignState,
    Candidate,
    ConsequenceFlag,
    PaperBatch,
    SealedBallot,
    ShareBase,
    Summons,
)
from thuocdo.ballots.permissions import can_count, can_organise
from thuocdo.ballots.sealing import close_xid, seal, sealed_width, unseal, vacuum_after_close
from thuocdo.opinions.services import CODE_ALPHABET, CODE_LENGTH, normalise_code
from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.scope import people_q, scope_for
from thuocdo.reviews.models import Evaluation, PeriodKind
from thuocdo.rules import confidence as rules

# One message for every refused code: forged, used and closed look the same.
CODE_REFUSED = "Mã bỏ phiếu không hợp lệ, đã được sử dụng hoặc cuộc lấy phiếu không còn mở."
_shuffle = random.SystemRandom().shuffle


# -- credentials ------------------------------------------------------------------------------


def credential_hash(code: str) -> str:
    """Keyed hash of a code: a copied roll cannot be matched against guessed codes."""
    key = f"thuocdo.ballots:{settings.SECRET_KEY}".encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    # The opinion surveys' alphabet and length: 60 bits, no 0/O or 1/I to misread on a slip.
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@dataclass(frozen=True)
class IssuedCredentials:
    """The codes in clear, shown once to the organiser to hand out: only hashes are stored."""

    campaign: Campaign
    codes: list[tuple[Person, str]]


# -- set-up -----------------------------------------------------------------------------------


def _post_at(person: Person, unit: Unit, on: datetime.date) -> Post | None:
    """The post the person holds on the day, in the unit's subtree first."""
    posts = Post.objects.active(on).filter(person=person).select_related("unit")
    inside = posts.filter(unit__path__startswith=unit.path).order_by("-is_head", "-is_deputy")
    return inside.first() or posts.order_by("-is_head", "-is_deputy").first()


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    meeting_date: datetime.date,
    candidates: Sequence[Person],
    summoned: Sequence[Person],
    committee: Sequence[Person] = (),
    base: str = ShareBase.SUMMONED,
) -> Campaign:
    """Set up a vote: the people voted on (with their posts on the day), the roll, the rule."""
    if not can_organise(actor, unit):
        raise PermissionDenied("Chỉ Ban Tổ chức tổ chức lấy phiếu tín nhiệm.")
    problems = []
    if not candidates:
        problems.append("Phải có ít nhất một người được lấy phiếu.")
    if not summoned:
        problems.append("Phải có ít nhất một người được triệu tập bỏ phiếu.")
    posts = {p.pk: _post_at(p, unit, meeting_date) for p in candidates}
    problems += [
        f"{p.full_name} không giữ chức vụ nào vào ngày {meeting_date:%d/%m/%Y}."
        for p in candidates
        if posts[p.pk] is None
    ]
    visible = Person.objects.filter(people_q(scope_for(actor)))
    ids = {p.pk for p in [*candidates, *summoned, *committee]}
    if visible.filter(pk__in=ids).count() != len(ids):
        problems.append("Có người ngoài phạm vi quản lý của bạn.")
    if problems:
        raise ValidationError(problems)
    campaign = Campaign(
        unit=unit, title=title.strip(), meeting_date=meeting_date, base=base, created_by=actor
    )
    campaign.full_clean()
    campaign.save()
    campaign.committee.set([p.pk for p in committee])
    rows = []
    for position, person in enumerate(dict.fromkeys(candidates), start=1):
        post = posts[person.pk]
        assert post is not None
        rows.append(
            Candidate(
                campaign=campaign,
                person=person,
                position=position,
                post_title=post.title,
                unit_name=post.unit.name,
            )
        )
    Candidate.objects.bulk_create(rows)
    roll = sorted(set(summoned), key=lambda p: (p.sort_key, p.pk))
    Summons.objects.bulk_create([Summons(campaign=campaign, person=p) for p in roll])
    audit_record(
        actor=actor,
        action="ballot_campaign.create",
        obj=campaign,
        after={
            **snapshot(campaign),
            "candidates": [p.pk for p in candidates],
            "summoned": [p.pk for p in roll],
            "committee": sorted(p.pk for p in committee),
        },
    )
    return campaign


def _transition(campaign: Campaign, actor: Any, expected: str, action: str) -> dict[str, Any]:
    """Check the actor and the step under a row lock (a double click opens or closes once)."""
    if not can_organise(actor, campaign.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức điều hành cuộc lấy phiếu.")
    locked = Campaign.objects.select_for_update().filter(pk=campaign.pk)
    campaign.state = locked.values_list("state", flat=True).get()
    if campaign.state != expected:
        raise ValidationError(
            f"Cuộc lấy phiếu đang ở bước «{campaign.get_state_display()}»: không thể {action}."
        )
    return snapshot(campaign)


@transaction.atomic
def campaign_open(*, actor: Any, campaign: Campaign) -> IssuedCredentials:
    """Open the vote and issue one code per person summoned, shown once."""
    before = _transition(campaign, actor, CampaignState.DRAFT, "mở bỏ phiếu")
    roll = list(campaign.roll.select_related("person").order_by("id"))
    codes = [(s.person, _new_code()) for s in roll]
    for summons, (_person, code) in zip(roll, codes, strict=True):
        summons.credential_hash = credential_hash(code)
    Summons.objects.bulk_update(roll, ["credential_hash"])
    campaign.state = CampaignState.OPEN
    campaign.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="ballot_campaign.open",
        obj=campaign,
        before=before,
        after={**snapshot(campaign), "codes_issued": len(codes)},
    )
    return IssuedCredentials(campaign, codes)


# -- the secret ballot ------------------------------------------------------------------------


def credential_campaign(code: str) -> Campaign:
    """The open campaign a live code belongs to (without using it); one refusal for all."""
    summons = (
        Summons.objects.filter(
            credential_hash=credential_hash(code), voted=False, campaign__state=CampaignState.OPEN
        )
        .select_related("campaign__unit")
        .first()
    )
    if summons is None:
        raise ValidationError(CODE_REFUSED)
    return summons.campaign


def _clean_marks(campaign: Campaign, marks: Mapping[str, str]) -> dict[str, str]:
    """Exactly one of the three choices for every person on the ballot, nothing else."""
    candidates = list(campaign.candidates.select_related("person"))
    keys = {str(c.pk) for c in candidates}
    if set(map(str, marks)) - keys:
        raise ValidationError("Phiếu có người không thuộc danh sách lấy phiếu.")
    clean = {}
    missing = []
    for c in candidates:
        choice = str(marks.get(str(c.pk), "") or "")
        if choice not in rules.CHOICES:
            missing.append(c.person.full_name)
        clean[str(c.pk)] = choice
    if missing:
        raise ValidationError(f"Chưa chọn mức tín nhiệm cho: {', '.join(missing)}.")
    return dict(sorted(clean.items()))


def _erase_freed_space() -> None:
    """SQLite: overwrite deleted rows with zeros instead of leaving them in free pages."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")


def _rewrite_ballots(campaign: Campaign, rows: list[tuple[dict[str, str], bool]]) -> None:
    """Replace the campaign's ballots by `rows` in a random order with fresh random keys, so
    neither keys nor physical order (SQLite rowid, PostgreSQL heap) follow the voting order."""
    _erase_freed_space()
    Ballot.objects.filter(campaign=campaign).delete()
    _shuffle(rows)
    Ballot.objects.bulk_create(
        [Ballot(campaign=campaign, marks=marks, is_valid=valid) for marks, valid in rows]
    )


def ballot_cast(*, code: str, marks: Mapping[str, str]) -> None:
    """Use a code once and store the ballot sealed, with no trace of who cast it or when.

    The code's roll line is marked voted by a conditional update (one row or a refusal), and the
    sealed ballot is written in the same transaction: the database can tell that the two rows
    were written together, not what the sealed one says. Nothing else is written: no audit
    event, no log, no session. The ballot is opened only at the close (`campaign_close`).
    """
    with transaction.atomic():
        campaign = credential_campaign(code)
        # The close locks the campaign too: a ballot is sealed before it or refused after it.
        locked = Campaign.objects.select_for_update().filter(
            pk=campaign.pk, state=CampaignState.OPEN
        )
        if not list(locked.order_by().values_list("pk", flat=True)):
            raise ValidationError(CODE_REFUSED)
        clean = _clean_marks(campaign, marks)
        used = Summons.objects.filter(
            campaign=campaign, credential_hash=credential_hash(code), voted=False
        ).update(voted=True)
        if used != 1:
            raise ValidationError(CODE_REFUSED)
        width = sealed_width(clean)
        SealedBallot.objects.create(campaign=campaign, sealed=seal(campaign.pk, clean, width))


# -- paper ballots ----------------------------------------------------------------------------


@transaction.atomic
def paper_issue(*, actor: Any, campaign: Campaign, people: Sequence[Person]) -> int:
    """Hand paper ballots to people on the roll: their codes stop working, they count as
    having voted, and only the number of paper ballots handed out is kept."""
    if not can_count(actor, campaign.unit):
        raise PermissionDenied("Chỉ Ban kiểm phiếu (Ban Tổ chức) phát phiếu giấy.")
    if campaign.state != CampaignState.OPEN:
        raise ValidationError("Chỉ phát phiếu giấy khi cuộc lấy phiếu đang mở.")
    ids = {p.pk for p in people}
    roll = Summons.objects.filter(campaign=campaign, person_id__in=ids)
    problems = []
    outside = ids - set(roll.values_list("person_id", flat=True))
    if outside:
        names = Person.objects.filter(pk__in=outside).order_by("sort_key")
        problems.append(
            "Không có trong danh sách triệu tập: " + ", ".join(p.full_name for p in names) + "."
        )
    voted = roll.filter(voted=True).select_related("person").order_by("person__sort_key")
    if voted:
        problems.append("Đã bỏ phiếu: " + ", ".join(s.person.full_name for s in voted) + ".")
    if not ids:
        problems.append("Chưa chọn người nhận phiếu giấy.")
    if problems:
        raise ValidationError(problems)
    count = roll.filter(voted=False).update(voted=True, credential_hash=None)
    campaign.paper_issued += count
    campaign.save(update_fields=["paper_issued"])
    audit_record(
        actor=actor, action="ballot_campaign.paper_issue", obj=campaign, after={"count": count}
    )
    return count


def _clean_paper(
    campaign: Campaign, ballots: Sequence[Mapping[str, str] | None]
) -> list[dict[str, str] | None]:
    clean: list[dict[str, str] | None] = []
    problems = []
    for number, ballot in enumerate(ballots, start=1):
        if ballot is None:
            clean.append(None)
            continue
        try:
            clean.append(_clean_marks(campaign, ballot))
        except ValidationError as error:
            problems.append(f"Phiếu thứ {number}: {' '.join(error.messages)}")
    if problems:
        raise ValidationError(problems)
    return clean


@transaction.atomic
def batch_enter(
    *, actor: Any, campaign: Campaign, ballots: Sequence[Mapping[str, str] | None]
) -> PaperBatch:
    """A member of the counting committee enters a batch of paper ballots (None: invalid)."""
    if not can_count(actor, campaign.unit):
        raise PermissionDenied("Chỉ Ban kiểm phiếu (Ban Tổ chức) nhập phiếu giấy.")
    list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk"))
    if campaign.state != CampaignState.OPEN:
        raise ValidationError("Chỉ nhập phiếu giấy khi cuộc lấy phiếu chưa kiểm phiếu xong.")
    if not ballots:
        raise ValidationError("Tập phiếu chưa có phiếu nào.")
    clean = _clean_paper(campaign, ballots)
    entered = campaign.batches.aggregate(n=Sum("ballot_count"))["n"] or 0
    if entered + len(clean) > campaign.paper_issued:
        raise ValidationError(
            f"Số phiếu giấy đã nhập ({entered + len(clean)}) nhiều hơn số phiếu đã phát "
            f"({campaign.paper_issued})."
        )
    number = (campaign.batches.aggregate(n=Max("number"))["n"] or 0) + 1
    batch = PaperBatch(
        campaign=campaign,
        number=number,
        ballots=clean,
        ballot_count=len(clean),
        invalid_count=sum(1 for b in clean if b is None),
        entered_by=actor,
    )
    batch.full_clean()
    batch.save()
    audit_record(
        actor=actor,
        action="ballot_batch.enter",
        obj=batch,
        after={"number": number, "ballots": batch.ballot_count, "invalid": batch.invalid_count},
    )
    return batch


@transaction.atomic
def batch_check(*, actor: Any, batch: PaperBatch) -> PaperBatch:
    """A second member of the committee confirms the batch against the paper: it now counts."""
    if not can_count(actor, batch.campaign.unit):
        raise PermissionDenied("Chỉ Ban kiểm phiếu (Ban Tổ chức) kiểm tra phiếu giấy.")
    if batch.entered_by_id == actor.pk:
        raise ValidationError("Người kiểm tra phải khác người đã nhập tập phiếu.")
    if batch.is_checked:
        raise ValidationError(f"{batch} đã được kiểm tra.")
    if batch.campaign.state != CampaignState.OPEN:
        raise ValidationError("Cuộc lấy phiếu đã kiểm phiếu xong.")
    batch.checked_by, batch.checked_at = actor, timezone.now()
    batch.save(update_fields=["checked_by", "checked_at"])
    audit_record(actor=actor, action="ballot_batch.check", obj=batch, after={"checked": True})
    return batch


@transaction.atomic
def batch_discard(*, actor: Any, batch: PaperBatch) -> None:
    """The member who entered an unchecked batch withdraws it (an error found on checking)."""
    if not can_count(actor, batch.campaign.unit) or batch.entered_by_id != actor.pk:
        raise PermissionDenied("Chỉ người đã nhập tập phiếu được hủy tập phiếu.")
    if batch.is_checked:
        raise ValidationError(f"{batch} đã được kiểm tra, không hủy được.")
    audit_record(actor=actor, action="ballot_batch.discard", obj=batch, after=None)
    batch.delete()


# -- count and publish ------------------------------------------------------------------------


def _evaluation_of_year(person: Person, year: int) -> Evaluation | None:
    return (
        Evaluation.objects.filter(person=person, period__kind=PeriodKind.YEAR, period__year=year)
        .order_by("id")
        .first()
    )


def _rewrite_roll(campaign: Campaign) -> None:
    """Rewrite the roll in roll order without codes: no physical order shows who voted when."""
    rows = list(campaign.roll.order_by("id").values_list("id", "person_id", "voted"))
    campaign.roll.all().delete()
    Summons.objects.bulk_create(
        [Summons(id=pk, campaign=campaign, person_id=p, voted=v) for pk, p, v in rows]
    )


def _sealed_erase(campaign: Campaign) -> None:
    """Erase the campaign's sealed ballots so that not even a dead row version is left.

    On PostgreSQL a DELETE leaves each row's old version in the table file until a VACUUM FULL
    that no older snapshot holds back, and that version's xmin is its voter's transaction. So
    the table is emptied with TRUNCATE (a new, empty file; the old one is unlinked at commit,
    whatever other transactions see) and the other open votes' sealed ballots are written back
    in this transaction: they too no longer carry their voters' transaction ids.
    """
    table = SealedBallot._meta.db_table
    if connection.vendor != "postgresql":
        SealedBallot.objects.filter(campaign=campaign).delete()  # SQLite: secure_delete
        return
    others = list(SealedBallot.objects.exclude(campaign=campaign).order_by("?"))
    with connection.cursor() as cursor:
        # TRUNCATE refuses while foreign-key checks wait for the commit (Django's are deferred):
        # run them now, then defer again as before.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(table)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    SealedBallot.objects.bulk_create(others, batch_size=1000)


@transaction.atomic
def campaign_close(*, actor: Any, campaign: Campaign) -> rules.VoteResult:
    """Close the vote and count: the sealed ballots are opened and, with those of the checked
    paper batches, written in one random order; the sealed rows, the batches' ballots and the
    codes are erased; quorum, shares and consequences are recorded. Once committed the ballot
    tables are rewritten (VACUUM FULL) so no dead row version survives."""
    before = _transition(campaign, actor, CampaignState.OPEN, "kiểm phiếu")
    waiting = list(campaign.batches.filter(checked_by__isnull=True).order_by("number"))
    if waiting:
        raise ValidationError(
            [f"{b} chưa được người thứ hai kiểm tra." for b in waiting]
            + ["Hãy kiểm tra hoặc hủy các tập phiếu này trước khi kiểm phiếu."]
        )
    # Ballots stored in clear by an earlier version (a vote open during the upgrade) join in.
    stored = Ballot.objects.filter(campaign=campaign).values_list("marks", "is_valid")
    rows = [(dict(marks), bool(valid)) for marks, valid in stored]
    sealed = SealedBallot.objects.filter(campaign=campaign)
    rows += [(unseal(campaign.pk, bytes(s)), True) for s in sealed.values_list("sealed", flat=True)]
    for batch in campaign.batches.all():
        rows += [(dict(b), True) if b is not None else ({}, False) for b in batch.ballots]
    _rewrite_ballots(campaign, rows)
    _sealed_erase(campaign)
    campaign.batches.update(ballots=[])
    _rewrite_roll(campaign)
    result = campaign_count(campaign)
    campaign.summoned_count = result.summoned
    campaign.participated_count = result.participated
    campaign.valid_count, campaign.invalid_count = result.valid_ballots, result.invalid_ballots
    campaign.is_valid = result.is_valid
    campaign.trace = [s.as_json() for s in result.trace]
    campaign.state, campaign.closed_at = CampaignState.CLOSED, timezone.now()
    campaign.save()
    _record_candidates(campaign, result)
    audit_record(
        actor=actor,
        action="ballot_campaign.close",
        obj=campaign,
        before=before,
        after=snapshot(campaign),
    )
    tables = [m._meta.db_table for m in (SealedBallot, Summons, Ballot, PaperBatch)]
    xid = close_xid()
    transaction.on_commit(lambda: vacuum_after_close(tables, xid))
    return result


def campaign_count(campaign: Campaign) -> rules.VoteResult:
    """The result of the ballots as they stand (the close records it)."""
    candidates = list(campaign.candidates.select_related("person"))
    ballots = [
        marks if valid else None
        for marks, valid in Ballot.objects.filter(campaign=campaign).values_list(
            "marks", "is_valid"
        )
    ]
    counts, valid, invalid = rules.tally(ballots, [str(c.pk) for c in candidates])
    return rules.confidence_result(
        summoned=campaign.roll.count(),
        valid_ballots=valid,
        invalid_ballots=invalid,
        base=campaign.base,
        candidates=[
            rules.CandidateCounts(str(c.pk), c.person.full_name, **counts[str(c.pk)])
            for c in candidates
        ],
    )


def _record_candidates(campaign: Campaign, result: rules.VoteResult) -> None:
    by_key = {r.key: r for r in result.candidates}
    for candidate in campaign.candidates.select_related("person"):
        outcome = by_key[str(candidate.pk)]
        candidate.high = outcome.counts[rules.HIGH]
        candidate.trust = outcome.counts[rules.TRUST]
        candidate.low = outcome.counts[rules.LOW]
        candidate.trace = [s.as_json() for s in outcome.trace]
        candidate.save(update_fields=["high", "trust", "low", "trace"])
        step = outcome.deciding_step
        if outcome.consequence is None or step is None:
            continue
        ConsequenceFlag.objects.create(
            campaign=campaign,
            candidate=candidate,
            person=candidate.person,
            evaluation=_evaluation_of_year(candidate.person, campaign.meeting_date.year),
            consequence=outcome.consequence,
            rule=step.rule,
            source=step.source,
            reason=step.reason,
            trace=[*campaign.trace, *candidate.trace],
        )


@transaction.atomic
def campaign_publish(*, actor: Any, campaign: Campaign) -> Campaign:
    """Publish the counted result: it shows on the people's records."""
    before = _transition(campaign, actor, CampaignState.CLOSED, "công bố")
    campaign.state, campaign.published_at = CampaignState.PUBLISHED, timezone.now()
    campaign.save(update_fields=["state", "published_at"])
    audit_record(
        actor=actor,
        action="ballot_campaign.publish",
        obj=campaign,
        before=before,
        after=snapshot(campaign),
    )
    return campaign
