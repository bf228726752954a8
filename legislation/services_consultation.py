"""Every write of public comment on drafts. Keyword-only and atomic; each checks the
actor's role and the record's state, and writes history in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.exceptions import NotAllowed, ServiceError, check_version
from congress.history import record_change, snapshot
from congress.models import AuditEntry
from congress.workdays import today

from . import permissions_consultation as perms
from .choices_consultation import (
    COMMENT_TRANSITIONS,
    HANDLING_NEEDS_REASON,
    CommentStatus,
    ConsultationStatus,
    Handling,
)
from .models import Consultation, DraftArticle, PublicComment
from .split_consultation import split_articles

CONSULTATION_FIELDS = ["title", "explanation", "draft_text", "office", "project", "start_date", "end_date",
                       "require_contact", "review_before_publish"]


# History leaves the full text out (the summary says when it changed): it would fill the timeline.
HISTORY_FIELDS = [f for f in CONSULTATION_FIELDS if f != "draft_text"] + ["published_at", "closed_at"]


def _snap(consultation) -> dict:
    return snapshot(consultation, HISTORY_FIELDS)


def _error(field: str, message) -> ServiceError:
    return ServiceError({field: [message]})


def min_days() -> int:
    return int(getattr(settings, "CONSULTATION_MIN_DAYS", 30))


def max_text() -> int:
    return int(getattr(settings, "CONSULTATION_MAX_TEXT", 3000))


def default_end(start: dt.date) -> dt.date:
    """The end of a period of CONSULTATION_MIN_DAYS days counted from the start day."""
    return start + dt.timedelta(days=min_days() - 1)


def _ensure_write(actor, consultation) -> None:
    if not perms.can_write(actor, consultation):
        raise NotAllowed(_("只有负责委室的工作人员可以修改该征求意见稿。"))


def _lock(consultation, version):
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    check_version(locked, version)
    return locked


def _validate(data: dict) -> None:
    if not (data.get("title") or "").strip():
        raise _error("title", _("请填写草案名称。"))
    start, end = data.get("start_date"), data.get("end_date")
    if start is None:
        raise _error("start_date", _("请填写开始日期。"))
    if end is None:
        raise _error("end_date", _("请填写截止日期。"))
    if end < start:
        raise _error("end_date", _("截止日期不能早于开始日期。"))
    days = (end - start).days + 1
    if days < min_days():
        raise _error("end_date", _("征求意见期限一般不少于%(n)s日（当前为%(d)s日）。") % {"n": min_days(), "d": days})
    if not split_articles(data.get("draft_text") or ""):
        raise _error("draft_text", _("未识别出条文：每一条应以“第X条”开头另起一行。"))


def _check_project(actor, project) -> None:
    """A new draft may be linked only to a project the actor sees that is still going on
    (not shelved, carried over to next year's plan or completed)."""
    if project is None:
        return
    from .choices import ProjectStatus
    from .models import RegulationProject

    # Locked: a project shelved at the same moment does not get a new draft.
    locked = (RegulationProject.objects.visible_to(actor).select_for_update(of=("self",))
              .filter(pk=project.pk).first())
    if locked is None:
        raise _error("project", _("所选立法项目不存在。"))
    if locked.status != ProjectStatus.IN_PROGRESS:
        raise _error("project", _("立法项目“%(p)s”%(s)s，不能再征求意见。")
                     % {"p": locked.title, "s": ProjectStatus(locked.status).label})


def _write_articles(consultation) -> int:
    consultation.articles.all().delete()
    parts = split_articles(consultation.draft_text)
    DraftArticle.objects.bulk_create([
        DraftArticle(consultation=consultation, order=i, number=a.number, chapter=a.chapter, text=a.text)
        for i, a in enumerate(parts, start=1)
    ])
    return len(parts)


@transaction.atomic
def consultation_create(*, actor, **data) -> Consultation:
    """Record a draft for public comment (not yet published); its text is split into articles."""
    if not perms.can_create(actor):
        raise NotAllowed(_("只有委室工作人员可以新建征求意见稿。"))
    unknown = set(data) - set(CONSULTATION_FIELDS)
    if unknown:
        raise ServiceError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if not data.get("office"):
        data["office"] = actor.office
    if data["office"] is None:
        raise _error("office", _("请选择负责委室。"))
    if not actor.is_app_admin and data["office"].pk != actor.office_id:
        raise _error("office", _("只能为本委室新建征求意见稿。"))
    data.setdefault("start_date", today())
    if data.get("start_date") and not data.get("end_date"):
        data["end_date"] = default_end(data["start_date"])
    _validate(data)
    _check_project(actor, data.get("project"))
    consultation = Consultation.objects.create(created_by=actor, **data)
    n = _write_articles(consultation)
    record_change(obj=consultation, actor=actor, action=AuditEntry.Action.CREATE, after=_snap(consultation),
                  summary=_("新建征求意见稿，识别条文%(n)s条") % {"n": n})
    return consultation


@transaction.atomic
def consultation_update(*, actor, consultation: Consultation, version, reason: str = "", **data) -> Consultation:
    """Change a draft's text, dates or settings. The text cannot change once comments
    have come in: they point at its articles."""
    _ensure_write(actor, consultation)
    consultation = _lock(consultation, version)
    unknown = set(data) - set(CONSULTATION_FIELDS)
    if unknown:
        raise ServiceError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if "office" in data and data["office"] != consultation.office and not actor.is_app_admin:
        raise _error("office", _("只有系统管理员可以把征求意见稿转给其他委室。"))
    text_changed = "draft_text" in data and data["draft_text"] != consultation.draft_text
    if text_changed and consultation.comments.exists():
        raise _error("draft_text", _("已收到公众意见，草案全文不能再修改；如需修改请新建征求意见稿。"))
    merged = {f: getattr(consultation, f) for f in CONSULTATION_FIELDS}
    merged.update(data)
    _validate(merged)
    if merged["project"] is not None and merged["project"].pk != consultation.project_id:
        _check_project(actor, merged["project"])
    before = _snap(consultation)
    for f in CONSULTATION_FIELDS:
        setattr(consultation, f, merged[f])
    consultation.version += 1
    consultation.save()
    summary = ""
    if text_changed:
        summary = _("草案全文已修改，重新识别条文%(n)s条") % {"n": _write_articles(consultation)}
    record_change(obj=consultation, actor=actor, before=before, after=_snap(consultation), reason=reason,
                  summary=summary)
    return consultation


@transaction.atomic
def consultation_open(*, actor, consultation: Consultation, version) -> Consultation:
    """Publish the draft: from its start date the public may comment until the end date."""
    _ensure_write(actor, consultation)
    consultation = _lock(consultation, version)
    if consultation.published_at is not None:
        raise ServiceError(_("该征求意见稿已发布。"))
    if consultation.end_date < today():
        raise _error("end_date", _("截止日期已过，请先修改征求意见期限。"))
    if not consultation.articles.exists():
        raise _error("draft_text", _("未识别出条文，不能发布。"))
    before = _snap(consultation)
    consultation.published_at = timezone.now()
    consultation.published_by = actor
    consultation.version += 1
    consultation.save()
    record_change(obj=consultation, actor=actor, before=before, after=_snap(consultation),
                  summary=_("发布征求意见"))
    return consultation


@transaction.atomic
def consultation_close(*, actor, consultation: Consultation, version, reason: str = "") -> Consultation:
    """End the comment period before its end date (or confirm its end)."""
    _ensure_write(actor, consultation)
    consultation = _lock(consultation, version)
    if consultation.published_at is None:
        raise ServiceError(_("征求意见稿尚未发布。"))
    if consultation.closed_at is not None:
        raise ServiceError(_("征求意见已结束。"))
    before = _snap(consultation)
    consultation.closed_at = timezone.now()
    consultation.closed_by = actor
    consultation.version += 1
    consultation.save()
    record_change(obj=consultation, actor=actor, before=before, after=_snap(consultation), reason=reason,
                  summary=_("结束征求意见"))
    return consultation


@transaction.atomic
def consultation_reopen(*, actor, consultation: Consultation, version, reason: str = "") -> Consultation:
    """Take back an explicit close: comments are received again until the end date. Only
    while the end date has not passed (afterwards the period is over whatever was done)."""
    _ensure_write(actor, consultation)
    consultation = _lock(consultation, version)
    if consultation.closed_at is None:
        raise ServiceError(_("征求意见未提前结束，无需恢复。"))
    if consultation.end_date < today():
        raise _error("end_date", _("截止日期已过，不能恢复征求意见。"))
    before = _snap(consultation)
    consultation.closed_at = None
    consultation.closed_by = None
    consultation.version += 1
    consultation.save()
    record_change(obj=consultation, actor=actor, before=before, after=_snap(consultation), reason=reason,
                  summary=_("恢复征求意见"))
    return consultation


# --- comments from the public ----------------------------------------------------------

def hash_address(ip: str | None) -> str:
    """A keyed hash of the sender's address: equal addresses compare equal, the address
    itself cannot be read back from it."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def plain_text(value: str) -> str:
    """Text as a person typed it: line breaks kept, control characters (which no one
    types, and which a Word file cannot hold) removed."""
    return _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n"))


def new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread over the phone
    return f"{today():%Y%m%d}-" + "".join(secrets.choice(alphabet) for _i in range(6))


def refusal_reason(consultation: Consultation) -> str:
    """Why the draft takes no comments now ("" when it does)."""
    status = consultation.status
    if status == ConsultationStatus.UPCOMING:
        return _("本草案征求意见将于%(d)s开始，届时欢迎提出意见。") % {"d": consultation.start_date.strftime("%Y-%m-%d")}
    if status == ConsultationStatus.CLOSED:
        return _("本草案征求意见已结束，不再接收意见。感谢您的关注。")
    if status == ConsultationStatus.DRAFT:
        return _("本草案未公开征求意见。")
    return ""


@transaction.atomic
def comment_submit(*, consultation: Consultation, article: DraftArticle | None = None, text: str, name: str = "",
                   phone: str = "", show_name: bool = False, ip: str | None = None) -> PublicComment:
    """Receive a citizen's comment (no sign-in). Refused when the draft is not open, when
    the text is empty or too long, or when the draft asks for a name and a phone and they
    are missing. Rate limits and the honeypot are checked by the page before it calls here."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    refusal = refusal_reason(consultation)
    if refusal:
        raise ServiceError(refusal)
    if article is not None and article.consultation_id != consultation.pk:
        raise _error("article", _("所选条文不属于本草案。"))
    text = plain_text(text).strip()
    name, phone = plain_text(name).strip(), plain_text(phone).strip()
    if not text:
        raise _error("text", _("请填写意见内容。"))
    if len(text) > max_text():
        raise _error("text", _("意见内容不能超过%(n)s字（当前%(c)s字）。") % {"n": max_text(), "c": len(text)})
    if consultation.require_contact:
        if not name:
            raise _error("name", _("本草案征求意见须留姓名。"))
        if not phone:
            raise _error("phone", _("本草案征求意见须留联系电话。"))
    status = CommentStatus.PENDING if consultation.review_before_publish else CommentStatus.PUBLISHED
    comment = PublicComment.objects.create(
        consultation=consultation, article=article, reference=new_reference(), text=text, name=name[:50],
        phone=phone[:40], show_name=bool(show_name and name), received_at=timezone.now(), ip_hash=hash_address(ip),
        status=status,
    )
    # History holds no name or phone: the timeline is read more widely than the comment.
    record_change(obj=comment, actor=None, action=AuditEntry.Action.CREATE,
                  summary=_("收到公众意见（%(where)s）") % {"where": article.number if article else _("草案整体")})
    return comment


# --- review and handling by staff -------------------------------------------------------

def _lock_comment(comment, version):
    locked = PublicComment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
    if version is not None:
        check_version(locked, version)
    return locked


def _review(actor, comment, status) -> None:
    if status not in CommentStatus.values or status == CommentStatus.PENDING:
        raise _error("status", _("请选择公开或不公开。"))
    if status == comment.status:
        return
    if status not in COMMENT_TRANSITIONS.get(comment.status, set()):
        raise _error("status", _("该意见当前状态不能改为“%(s)s”。") % {"s": CommentStatus(status).label})
    before = snapshot(comment, ["status"])
    comment.status = status
    comment.reviewed_by = actor
    comment.reviewed_at = timezone.now()
    comment.version += 1
    comment.save()
    record_change(obj=comment, actor=actor, before=before, after=snapshot(comment, ["status"]))


def _handle(actor, comment, handling, reason) -> None:
    if handling not in Handling.values:
        raise _error("handling", _("请选择处理情况。"))
    reason = (reason or "").strip()
    if handling in HANDLING_NEEDS_REASON and not reason:
        raise _error("handling_reason", _("部分采纳或未采纳的，请填写理由。"))
    fields = ["handling", "handling_reason"]
    before = snapshot(comment, fields)
    comment.handling = handling
    comment.handling_reason = reason
    comment.handled_by = actor
    comment.handled_at = timezone.now()
    comment.version += 1
    comment.save()
    record_change(obj=comment, actor=actor, before=before, after=snapshot(comment, fields))


@transaction.atomic
def comment_review(*, actor, comment: PublicComment, status: str, version) -> PublicComment:
    """Publish a comment on the public page, or keep it off it."""
    _ensure_write(actor, comment.consultation)
    comment = _lock_comment(comment, version)
    _review(actor, comment, status)
    return comment


@transaction.atomic
def comment_handle(*, actor, comment: PublicComment, handling: str, reason: str = "", version) -> PublicComment:
    """Record how a comment was handled (采纳 / 部分采纳 / 未采纳, with a reason)."""
    _ensure_write(actor, comment.consultation)
    comment = _lock_comment(comment, version)
    _handle(actor, comment, handling, reason)
    return comment


@transaction.atomic
def comments_bulk(*, actor, consultation: Consultation, ids: list[int], status: str = "", handling: str = "",
                  reason: str = "") -> int:
    """Review or handle several comments of one draft at once; every one gets its own history entry."""
    _ensure_write(actor, consultation)
    if not ids:
        raise _error("ids", _("请至少选择一条意见。"))
    if not status and not handling:
        raise ServiceError(_("请选择公开状态或处理情况。"))
    comments = list(PublicComment.objects.select_for_update().filter(consultation=consultation, pk__in=ids)
                    .order_by("pk"))
    if len(comments) != len(set(ids)):
        raise _error("ids", _("所选意见不属于本草案。"))
    for comment in comments:
        if status:
            _review(actor, comment, status)
        if handling:
            _handle(actor, comment, handling, reason)
    return len(comments)
