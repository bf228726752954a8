"""Deadline reminder engine: rules tell the right person, once, on time, and escalate.

Every app writes its deadline rules in `<app>/reminders.py` (imported at start-up by
`autodiscover()`); one Celery beat task (`congress.tasks.scan_reminders`) calls `run()`.
Due dates live in the database; nothing is scheduled days ahead.

Writing a rule
--------------
A rule watches one model. Its *deadline* is a stored date field (it may span a
relation, e.g. ``"meeting__start_date"``), optionally shifted by ``deadline`` (e.g.
"20 days before the meeting"). Steps are offsets from that deadline: negative
before, 0 on the day, positive after. Offsets are plain ints (calendar days) or
built with the helpers below; a period key (domain §8, ``congress.periods``) is
read at scan time, so an administrator's change applies at the next scan::

    from django.utils.translation import gettext_lazy as _

    from congress.reminder_engine import (
        Escalation, Rule, Step, before, office_staff, register, unit_users, vice_chair, working_days,
    )
    from myapp.models import Report

    @register
    class ReportDueRule(Rule):
        code = "myapp.report_due"                  # stable: it is stored in the dispatch log
        label = _("报告报送")
        model = Report
        date_field = "meeting__start_date"         # stored date (indexed query on it)
        deadline = before("draft_report_days")     # deadline = that date minus the period
        steps = [
            Step("ahead", _("三个工作日后到期"), working_days(-3)),
            Step("due", _("今日到期"), 0),
            Step("overdue", _("已逾期"), 1, repeat_every=7),          # weekly while pending
            Step("escalate", _("逾期未报"), working_days(2), escalation=Escalation.VICE_CHAIR),
            Step("weekly", _("逾期周汇总"), 7, repeat_every=7, escalation=Escalation.OFFICE,
                 summary=True),                                        # ONE message listing all records
        ]

        def pending(self, queryset):               # records still waiting (filter only)
            return queryset.filter(received_on__isnull=True)

        def recipients(self, record, step):        # who is told at this step
            if step.escalation >= Escalation.VICE_CHAIR:
                return vice_chair(record.office)
            return unit_users(record.unit) + office_staff(record.office)

        def for_user(self, user, queryset):        # "my deadlines" (calendar feed)
            return queryset.filter(unit=user.unit_id) if user.unit_id else queryset.none()

Optional hooks (defaults in `Rule`): ``get_queryset()`` (add select_related /
prefetch_related for recipients and messages), ``message(record, step, due, today)`` →
(title, body), ``url(record)`` (default ``record.get_absolute_url()``),
``office_and_unit(record)`` (for the leaders' overdue list), ``item_label(record)``.
``for_user`` feeds the person's calendar and the "my deadlines" page; ``office_and_unit``
groups the leaders' overdue list. Recipient helpers: ``unit_users(unit, roles=None)``,
``office_staff(office)``, ``vice_chair(office)``, ``directors()``.

Step options: ``repeat_every=N`` repeats every N calendar days while pending (a
run sends only the latest occurrence; keys are ``code@YYYYMMDD``); ``escalation``;
``summary=True`` folds all of a recipient's records for that step into one message;
``level`` overrides the inbox level (default: reminder before, overdue after the
deadline, warning from Escalation.OFFICE up).

Testing a rule: ``reminder_engine.run(today=...)`` (or ``run()`` under time_machine)
and check ``Notification`` / ``ReminderDispatch`` rows per recipient. The first scan
looks back ``period("reminder_lookback_days")`` (7) days; when several steps of one
deadline are due for one person in one scan, only the latest is sent and the earlier
ones are logged as "superseded" (status ``superseded``). To see each step on its own
day, run the engine every day over a range (``run_daily`` in
tests/congress/test_reminder_engine.py). ``plan(today)`` returns what would be sent.

Offsets: ``days(n)``, ``working_days(n)``, ``months(n)``; ``before("period_key")`` /
``after("period_key")`` use the period's own unit (days, working_days or months).
A reminder never arrives after its deadline because of a rest day: a step on or
before the deadline that falls on a rest day moves to the previous working day; a
step after it moves to the next working day (make-up working days count as working).

Escalation levels (``Escalation``): CLERK → UNIT_HEAD → OFFICE (supervising office)
→ VICE_CHAIR (分管副主任) → DIRECTORS (the list for the 主任会议). The rule's
``recipients()`` decides who each level means for its records.

Guarantees
----------
* Once per (rule, record, step occurrence, recipient): a `ReminderDispatch` row with a
  unique key is inserted in the same transaction as the inbox/outbox rows, so a
  rerun, a second beat process or a worker killed mid-run never sends twice, and a
  killed run's uncommitted work is redone by the next run. Sending only writes DB
  rows (delivery is the outbox sweep), so a stopped Redis loses nothing.
* A second scan reads nothing already dealt with: a record with a claim for a step
  occurrence written before the last successful full scan ended is left out in SQL
  (an anti-join on the dispatch log). Claims of a killed or failed run are not trusted
  that way: those records are read and finished person by person. So a person who
  joins a unit after a step went out for a record does not get that past step; they
  get the record's next steps.
* Nobody to tell is not silent: when a step falls due for a record whose
  ``recipients()`` gives no active user (a unit without users, a deputy without an
  account, an office without a 分管副主任), the scan logs one dispatch row without
  recipient (status ``unreached``) for that step occurrence. Nothing is sent for it, the
  anti-join leaves the record out for that step like a sent one (so such records cost
  nothing at the next scan), and the system status page lists them ("无人接收的提醒",
  ``unreached_deadlines()``). Other steps are separate: an escalation step (e.g. the
  weekly summary to the assigning office) still goes to its own recipients. When someone
  becomes responsible later (a user is added to the unit), they get the deadline's next
  step; the missed one is not replayed (the same rule as for a person who joins after a
  step went out).
* Catch-up: the scan looks back to the last successful run (at least
  ``period("reminder_lookback_days")``, at most ``MAX_LOOKBACK_DAYS``); a recipient
  with something that became due on a missed day gets ONE summary message.
* Re-planning: steps are computed from the stored date at each scan, so a moved
  meeting or an approved extension moves future steps; sent steps stay sent.

Using it from an app
--------------------
* Overdue colours: ``overdue_colour(due_date, today)`` → "" / "blue" / "orange" /
  "red"; in templates ``{% load reminder_tags %}`` then
  ``<span class="{{ due|due_class }}">`` (CSS classes due-blue / due-orange / due-red)
  or ``{% due_badge due %}``.
* Per-record panel "reminders sent and coming" on a detail page:
  ``{% load reminder_tags %}{% reminder_panel object %}`` (uses
  ``congress.reminder_engine.record_schedule(record)``).
* Lists: ``overdue_items(today, include_soon=False)`` (every rule's overdue records,
  with ``.colour``, ``.office``, ``.unit``) and ``user_deadlines(user, start, end)``.
  Pages: /reminders/mine/ (my deadlines), /reminders/overdue/ (leaders, by office
  and unit), /reminders/preferences/, /reminders/calendar/ (iCalendar feed URL).
* Dry run: ``manage.py reminders_dry_run --date 2026-12-07 [--rule CODE] [--since DATE]``;
  ``reminder_engine.run(today=date)`` returns how many messages went out.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MAX_LOOKBACK_DAYS = 31
BATCH_SIZE = 500

DAYS = "days"
WORKING_DAYS = "working_days"
MONTHS = "months"


class Escalation:
    """Who is told, from the person doing the work up to the directors' meeting."""

    CLERK = 0
    UNIT_HEAD = 1
    OFFICE = 2
    VICE_CHAIR = 3
    DIRECTORS = 4

    LABELS = {
        CLERK: _("经办人"),
        UNIT_HEAD: _("单位负责人"),
        OFFICE: _("工作机构"),
        VICE_CHAIR: _("分管副主任"),
        DIRECTORS: _("主任会议"),
    }


# ---------------------------------------------------------------------------
# Offsets


@dataclass(frozen=True)
class Offset:
    """A signed amount of days, working days or months; `amount` may be a period key
    (congress.periods), read at scan time."""

    amount: int | str = 0
    unit: str = DAYS
    sign: int = 1

    def value(self) -> int:
        if isinstance(self.amount, str):
            from congress.periods import period

            return self.sign * period(self.amount)
        return self.sign * self.amount

    def apply(self, day: dt.date) -> dt.date:
        from congress import workdays

        n = self.value()
        if self.unit == WORKING_DAYS:
            return workdays.add_working_days(day, n)
        if self.unit == MONTHS:
            return workdays.add_months(day, n)
        return day + dt.timedelta(days=n)

    def approx_days(self) -> int:
        """A calendar-day estimate, used only to bound the indexed query."""
        n = self.value()
        if self.unit == WORKING_DAYS:
            return n * 7 // 5
        if self.unit == MONTHS:
            return n * 30
        return n

    def slack(self) -> int:
        """How far the estimate may be off (holidays, month lengths) plus rest-day rolling."""
        n = abs(self.value())
        if self.unit == WORKING_DAYS:
            return 12 + n // 3
        if self.unit == MONTHS:
            return 4 + n
        return 0


def days(n: int) -> Offset:
    return Offset(n, DAYS)


def working_days(n: int) -> Offset:
    return Offset(n, WORKING_DAYS)


def months(n: int) -> Offset:
    return Offset(n, MONTHS)


def _period_unit(key: str) -> str:
    from congress.periods import DEFAULTS_BY_KEY

    unit = DEFAULTS_BY_KEY[key].unit
    return unit if unit in (DAYS, WORKING_DAYS, MONTHS) else DAYS


def before(key: str) -> Offset:
    """The period `key` before the date, in the period's own unit."""
    return Offset(key, _period_unit(key), -1)


def after(key: str) -> Offset:
    """The period `key` after the date, in the period's own unit."""
    return Offset(key, _period_unit(key), 1)


def _as_offset(value: int | Offset) -> Offset:
    return value if isinstance(value, Offset) else Offset(int(value), DAYS)


# ---------------------------------------------------------------------------
# Steps and rules


@dataclass(frozen=True)
class Step:
    """One reminder of a rule: `offset` from the deadline (negative before), optionally
    repeated every `repeat_every` calendar days while the record is pending."""

    code: str
    label: str = ""
    offset: int | Offset = 0
    repeat_every: int | None = None
    escalation: int = Escalation.CLERK
    summary: bool = False  # one message per recipient and run listing every record (e.g. weekly summary)
    level: str = ""  # Notification.Level; default: reminder before the deadline, overdue after it

    def notification_level(self) -> str:
        if self.level:
            return self.level
        if self.escalation >= Escalation.OFFICE:
            return "warning"
        return "overdue" if self.after_deadline else "reminder"

    @property
    def after_deadline(self) -> bool:
        return _as_offset(self.offset).value() > 0

    def nominal_date(self, deadline: dt.date) -> dt.date:
        return _as_offset(self.offset).apply(deadline)

    def send_date(self, deadline: dt.date) -> dt.date:
        """The working day the step goes out (see module docstring for rest days)."""
        return _roll(self.nominal_date(deadline), forward=self.after_deadline)

    def occurrences(
        self, deadline: dt.date, until: dt.date, since: dt.date | None = None
    ) -> list[tuple[str, dt.date]]:
        """(step key, send date) of the occurrences whose send date is <= until (and, for
        a repeating step, not long before `since`: those are skipped without computing)."""
        first = self.nominal_date(deadline)
        if not self.repeat_every:
            sent = self.send_date(deadline)
            return [(self.code, sent)] if sent <= until else []
        out = []
        nominal = first
        if since is not None and (since - first).days > 20:
            # Rolling moves a date by at most ~10 days (Golden Week): start a little before `since`.
            skip = ((since - first).days - 20) // self.repeat_every
            nominal = first + dt.timedelta(days=skip * self.repeat_every)
        while True:
            sent = _roll(nominal, forward=nominal > deadline or self.after_deadline)
            if sent > until:
                break
            key = self.code if nominal == first else f"{self.code}@{nominal:%Y%m%d}"
            out.append((key, sent))
            nominal += dt.timedelta(days=self.repeat_every)
        return out


def _roll(day: dt.date, *, forward: bool) -> dt.date:
    from congress import workdays

    step = dt.timedelta(days=1 if forward else -1)
    while not workdays.is_working_day(day):
        day += step
    return day


class Rule:
    """Base class of a deadline rule; see the module docstring for an example."""

    code: str = ""
    label: str = ""
    model: type[models.Model] | None = None
    date_field: str = ""
    deadline: int | Offset = 0
    steps: Sequence[Step] = ()
    # False for a window that closes (e.g. the days a unit may ask to return an item):
    # once closed nothing is late, so the leaders' overdue list leaves it out.
    overdue_listing: bool = True

    # -- hooks an app overrides ------------------------------------------------
    def get_queryset(self) -> models.QuerySet:
        return self.model._default_manager.all()

    def pending(self, queryset: models.QuerySet) -> models.QuerySet:
        """Records still waiting (the steps stop once a record leaves this filter)."""
        return queryset

    def recipients(self, record, step: Step) -> Iterable:
        raise NotImplementedError

    def item_label(self, record) -> str:
        return str(record)

    def url(self, record) -> str:
        get = getattr(record, "get_absolute_url", None)
        return get() if get else ""

    def message(self, record, step: Step, due: dt.date, today: dt.date) -> tuple[str, str]:
        """(title, body) of the single message about one record at one step."""
        when = _when(due, today)
        title = f"【{self.label}】{self.item_label(record)}"
        body = gettext("%(label)s期限：%(due)s（%(when)s）。%(step)s") % {
            "label": self.label,
            "due": f"{due:%Y-%m-%d}",
            "when": when,
            "step": step.label,
        }
        return title, body

    def for_user(self, user, queryset: models.QuerySet) -> models.QuerySet:
        """The user's own pending records (calendar feed, 'my deadlines')."""
        return queryset.none()

    def office_and_unit(self, record) -> tuple[object | None, object | None]:
        """The (Office, HandlingUnit) a record is listed under in the leaders' overdue list."""
        return getattr(record, "office", None), getattr(record, "unit", None)

    # -- engine helpers ----------------------------------------------------------
    def deadline_offset(self) -> Offset:
        return _as_offset(self.deadline)

    def stored_date(self, record) -> dt.date | None:
        value = record
        for part in self.date_field.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    def due_date(self, record) -> dt.date | None:
        stored = self.stored_date(record)
        return self.deadline_offset().apply(stored) if stored else None

    def pending_queryset(self) -> models.QuerySet:
        return self.pending(self.get_queryset())

    def __repr__(self):
        return f"<Rule {self.code}>"


# ---------------------------------------------------------------------------
# Recipient helpers for rules


class _ScanMemo(threading.local):
    answers: dict | None = None


_scan_memo = _ScanMemo()


def _memo_key(value):
    if isinstance(value, models.Model):
        return (type(value), value.pk)
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_memo_key(v) for v in value)
    return value


def per_scan(func):
    """Remember a recipient look-up's answer for the rest of the scan (same arguments, same
    people): who works in a unit does not change while a scan runs, and a scan asks it for
    every record. Outside a scan the function runs as usual."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        memo = _scan_memo.answers
        if memo is None:
            return func(*args, **kwargs)
        key = (func, _memo_key(args), _memo_key(tuple(sorted(kwargs.items()))))
        if key not in memo:
            memo[key] = func(*args, **kwargs)
        answer = memo[key]
        return list(answer) if isinstance(answer, list) else answer

    return wrapper


@per_scan
def unit_users(unit, roles: Iterable[str] | None = None) -> list:
    """Active users of a handling unit (optionally only some roles, e.g. ["unit_head"])."""
    if unit is None:
        return []
    from congress.models import User

    qs = User.objects.filter(unit=unit, is_active=True)
    if roles:
        qs = qs.filter(role__in=list(roles))
    return list(qs.order_by("id"))


@per_scan
def office_staff(office) -> list:
    """Active staff of an office (its working members, not its vice chair)."""
    if office is None:
        return []
    from congress.models import User

    return list(User.objects.filter(office=office, is_active=True).order_by("id"))


def vice_chair(office) -> list:
    """The office's 分管副主任 (empty when none is set)."""
    chair = getattr(office, "vice_chair", None) if office is not None else None
    return [chair] if chair is not None and chair.is_active else []


@per_scan
def directors() -> list:
    """The leaders who sit in the directors' meeting (主任会议)."""
    from congress.models import User
    from congress.roles import LEADER_ROLES

    return list(User.objects.filter(role__in=list(LEADER_ROLES), is_active=True).order_by("id"))


_registry: dict[str, Rule] = {}


def register(rule):
    """Register a rule (class or instance) under its code; usable as a decorator."""
    instance = rule() if isinstance(rule, type) else rule
    if not instance.code:
        raise ValueError(f"{rule!r} has no code")
    _registry[instance.code] = instance
    return rule


def rules() -> list[Rule]:
    return list(_registry.values())


def get_rule(code: str) -> Rule:
    return _registry[code]


def autodiscover() -> None:
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.reminders")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.reminders":
                raise


# ---------------------------------------------------------------------------
# The scan


@dataclass
class _DueStep:
    """One step occurrence of one record that fell due in the scan's window."""

    rule: Rule
    step: Step
    step_key: str
    content_type_id: int
    object_id: int
    record_label: str
    due: dt.date
    planned_for: dt.date
    today: dt.date


@dataclass
class Candidate(_DueStep):
    """A reminder that is due and not yet given: one record, one step occurrence, one person."""

    recipient: object = None
    title: str = ""
    body: str = ""
    url: str = ""
    superseded: bool = False  # a later step of the same deadline goes to the same person in this run

    @property
    def late(self) -> bool:
        """Became due on an earlier day than the scan's (a missed run, a moved deadline)."""
        return self.planned_for < self.today


@dataclass
class Unreached(_DueStep):
    """A step occurrence that fell due for a record nobody can be told about (the rule's
    `recipients()` gave no active user): logged once, so the scan settles it like a sent
    step, and listed on the system status page (`unreached_deadlines`)."""


def engine_state():
    from congress.models import ReminderEngineState

    state, _created = ReminderEngineState.objects.get_or_create(key="default")
    return state


def catch_up_start(today: dt.date) -> dt.date:
    """First day the scan looks at: back to the last successful run (catch-up after the
    machine was off), at least the configured look-back, at most MAX_LOOKBACK_DAYS."""
    from congress.models import ReminderEngineState
    from congress.periods import period

    lookback = period("reminder_lookback_days")
    last = (
        ReminderEngineState.objects.filter(key="default").values_list("last_success_date", flat=True).first()
    )
    if last is not None and last < today:
        lookback = max(lookback, (today - last).days)
    return today - dt.timedelta(days=min(lookback, MAX_LOOKBACK_DAYS))


def _bounds(rule: Rule, step: Step, start: dt.date, today: dt.date) -> tuple[dt.date | None, dt.date]:
    """Range of the stored date that can put the step's send date inside [start, today].
    Generous on both sides; the exact date is checked per record."""
    dl, st = rule.deadline_offset(), _as_offset(step.offset)
    shift = dl.approx_days() + st.approx_days()
    slack = dl.slack() + st.slack() + 10  # + rolling over the longest holiday (Golden Week)
    hi = today - dt.timedelta(days=shift - slack)
    lo = None if step.repeat_every else start - dt.timedelta(days=shift + slack)
    return lo, hi


def _recipients(rule: Rule, record, step: Step) -> list:
    people = {}
    for user in rule.recipients(record, step) or ():
        if user is not None and user.is_active and user.pk not in people:
            people[user.pk] = user
    return list(people.values())


def plan(
    today: dt.date,
    *,
    since: dt.date | None = None,
    rule_codes: Iterable[str] | None = None,
    errors: list | None = None,
    unreached: list | None = None,
) -> list[Candidate]:
    """What is due between `since` (default: today) and `today` and not yet given.
    Reads only: the dry run prints this, `run()` claims and sends it. With an `errors`
    list, a failing rule is recorded there and the other rules still plan. With an
    `unreached` list, the due steps of records that have nobody to tell are added there
    (`Unreached`; `run()` logs them so they are settled)."""
    from congress import workdays

    start = since if since is not None else today
    wanted = set(rule_codes) if rule_codes else None
    settled = _settled_mark()
    out: list[Candidate] = []
    with workdays.pinned(), _scan_scope():
        for rule in rules():
            if wanted is not None and rule.code not in wanted:
                continue
            try:
                found = _plan_rule(rule, today, start, settled=settled)
                out.extend(c for c in found if isinstance(c, Candidate))
                if unreached is not None:
                    unreached.extend(c for c in found if isinstance(c, Unreached))
            except Exception as exc:
                if errors is None:
                    raise
                logger.exception("reminder rule %s failed to plan", rule.code)
                errors.append(exc)
    _mark_superseded(out)
    return out


def _settled_mark() -> tuple[dt.date, dt.datetime] | None:
    """(date, end time) of the last successful full scan. A successful scan claimed every
    (record, step, recipient) it found due, so a record with a claim for a step written
    before that scan ended has been dealt with for that step: later scans skip it in SQL
    without reading it. Claims written after it (a killed or failed run, which may have
    told only some recipients) are not trusted: those records are read and completed
    person by person, as before."""
    from congress.models import ReminderEngineState

    row = (
        ReminderEngineState.objects.filter(key="default")
        .values_list("last_success_date", "last_success_at")
        .first()
    )
    if row is None or row[0] is None or row[1] is None:
        return None
    return row[0], row[1]


def _without_settled(rule: Rule, queryset, ct, keys_by_date: dict, settled) -> models.QuerySet:
    """`queryset` less the records whose step occurrence (its key depends on the record's
    stored date) was claimed before the last successful scan ended: one anti-join on the
    dispatch log's unique index (rule, content type, object, step, ...)."""
    from congress.models import ReminderDispatch

    if settled is None or not keys_by_date:
        return queryset
    day, at = settled
    claims = ReminderDispatch.objects.filter(
        rule=rule.code, content_type=ct, object_id=OuterRef("pk"), sent_on__lte=day, sent_at__lte=at
    )
    keys = set(keys_by_date.values())
    if len(keys) == 1:
        return queryset.filter(~models.Exists(claims.filter(step=next(iter(keys)))))
    dates_by_key: dict[str, list] = defaultdict(list)
    for stored, key in keys_by_date.items():
        dates_by_key[key].append(stored)
    step_key = models.Case(
        *[models.When(**{f"{rule.date_field}__in": sorted(ds)}, then=models.Value(k)) for k, ds in sorted(dates_by_key.items())],
        default=models.Value(""),
        output_field=models.CharField(),
    )
    return queryset.annotate(_reminder_step_key=step_key).filter(
        ~models.Exists(claims.filter(step=OuterRef("_reminder_step_key")))
    )


@contextmanager
def _scan_scope():
    if _scan_memo.answers is not None:
        yield
        return
    _scan_memo.answers = {}
    try:
        yield
    finally:
        _scan_memo.answers = None


def _plan_rule(rule: Rule, today: dt.date, start: dt.date, *, settled=None) -> list[Candidate | Unreached]:
    """The rule's due reminders. A record's deadline and steps depend only on its stored
    date, so each step first asks the database for the distinct stored dates in its window
    (one indexed query), works out with working-day arithmetic which of those dates put an
    occurrence in [start, today], and then reads only the records on those dates: on a
    day when nothing is due no record is read, whatever the size of the tables. Records
    already dealt with for the step by a successful scan are left out in the same query
    (`_without_settled`), so a second scan the same day reads nothing either. A due step
    of a record with nobody to tell comes back as `Unreached`; `run()` logs it like a
    sent step, so that record is not read again for the step either."""
    from congress.models import ReminderDispatch

    out: list[Candidate] = []
    ct = ContentType.objects.get_for_model(rule.model)
    deadline = rule.deadline_offset()
    due_of: dict[dt.date, dt.date] = {}
    for step in rule.steps:
        lo, hi = _bounds(rule, step, start, today)
        window = rule.pending_queryset().filter(**{f"{rule.date_field}__lte": hi})
        if lo is not None:
            window = window.filter(**{f"{rule.date_field}__gte": lo})
        hit_on: dict[dt.date, tuple[dt.date, tuple[str, dt.date]]] = {}
        stored_dates = window.order_by().values_list(rule.date_field, flat=True).distinct()
        for stored in stored_dates:
            if stored is None:
                continue
            if stored not in due_of:
                due_of[stored] = deadline.apply(stored)
            due = due_of[stored]
            hits = [(k, d) for k, d in step.occurrences(due, today, since=start) if d >= start]
            if hits:
                # A repeating step only sends its latest occurrence: "still overdue"
                # messages are cumulative, older ones add nothing.
                hit_on[stored] = (due, hits[-1])
        if not hit_on:
            continue
        qs = window.filter(**{f"{rule.date_field}__in": sorted(hit_on)})
        qs = _without_settled(rule, qs, ct, {d: h[0] for d, (_due, h) in hit_on.items()}, settled).order_by("pk")
        last_pk = None
        while True:
            batch_qs = qs if last_pk is None else qs.filter(pk__gt=last_pk)
            batch = list(batch_qs[:BATCH_SIZE])
            if not batch:
                break
            last_pk = batch[-1].pk
            due_now = []
            for record in batch:
                found = hit_on.get(rule.stored_date(record))
                if found is not None:
                    due_now.append((record, *found))
            if not due_now:
                continue
            given = set(
                ReminderDispatch.objects.filter(
                    rule=rule.code,
                    content_type=ct,
                    object_id__in=[r.pk for r, _d, _h in due_now],
                    step__in={h[0] for _r, _d, h in due_now},
                ).values_list("object_id", "step", "recipient_id")
            )
            for record, due, (key, send_on) in due_now:
                everyone = _recipients(rule, record, step)
                if not everyone:
                    if (record.pk, key, None) not in given:
                        out.append(
                            Unreached(rule, step, key, ct.pk, record.pk, rule.item_label(record), due, send_on, today)
                        )
                    continue
                people = [u for u in everyone if (record.pk, key, u.pk) not in given]
                if not people:
                    continue
                title, body = rule.message(record, step, due, today)
                for user in people:
                    out.append(
                        Candidate(
                            rule=rule,
                            step=step,
                            step_key=key,
                            content_type_id=ct.pk,
                            object_id=record.pk,
                            record_label=rule.item_label(record),
                            due=due,
                            planned_for=send_on,
                            recipient=user,
                            title=str(title),
                            body=str(body),
                            url=rule.url(record),
                            today=today,
                        )
                    )
    return out


def _live_key(c: Candidate) -> tuple:
    return (c.rule.code, c.object_id, c.recipient.pk)


def _mark_superseded(candidates: list[Candidate]) -> None:
    """When several steps of one deadline are due for one person in the same run (the
    first scan, a catch-up, a moved meeting), only the latest is worth a message; the
    earlier ones are logged as superseded so they never go out later on their own."""
    latest: dict[tuple, Candidate] = {}
    for c in candidates:
        order = (c.planned_for, list(c.rule.steps).index(c.step))
        best = latest.get(_live_key(c))
        if best is None or order > (best.planned_for, list(best.rule.steps).index(best.step)):
            latest[_live_key(c)] = c
    for c in candidates:
        c.superseded = latest[_live_key(c)] is not c


def _claim(c: Candidate, *, status: str):
    """Insert the dispatch row (the unique key is the claim); None when someone has it."""
    from congress.models import ReminderDispatch

    try:
        with transaction.atomic():
            return ReminderDispatch.objects.create(
                rule=c.rule.code,
                content_type_id=c.content_type_id,
                object_id=c.object_id,
                step=c.step_key,
                recipient=c.recipient,
                escalation=c.step.escalation,
                due_date=c.due,
                planned_for=c.planned_for,
                sent_on=c.today,
                status=status,
            )
    except IntegrityError:
        return None


def _when(due: dt.date, today: dt.date) -> str:
    if due < today:
        return gettext("已逾期%(n)s天") % {"n": (today - due).days}
    if due == today:
        return gettext("今日到期")
    return gettext("%(n)s天后到期") % {"n": (due - today).days}


def _summary_text(items: list[Candidate], today: dt.date, late: bool) -> tuple[str, str]:
    """One line per (rule, record): several steps of one deadline read as one item."""
    lines: dict[tuple, str] = {}
    for c in sorted(items, key=lambda c: (c.due, c.rule.code, c.object_id)):
        key = (c.rule.code, c.object_id)
        if key not in lines:
            lines[key] = gettext("· 【%(rule)s】%(item)s　期限 %(due)s（%(when)s）") % {
                "rule": c.rule.label, "item": c.record_label, "due": f"{c.due:%Y-%m-%d}", "when": _when(c.due, today),
            }
    if late:
        title = gettext("提醒汇总：%(n)s项期限事项（截至%(date)s）") % {"n": len(lines), "date": f"{today:%Y-%m-%d}"}
    else:
        title = gettext("%(label)s：%(n)s项") % {"label": items[0].step.label or items[0].rule.label, "n": len(lines)}
    return title, "\n".join(lines.values())


_LEVEL_RANK = {"info": 0, "reminder": 1, "action": 2, "overdue": 3, "warning": 4}


def _deliver(items: list[Candidate], today: dt.date, *, late: bool) -> int:
    """Claim and send one message in one transaction: either the dispatch rows and the
    inbox/outbox rows all commit, or none do (a killed run is simply redone)."""
    from congress.models import ReminderDispatch
    from congress.notifications import notify

    if not items:
        return 0
    with transaction.atomic():
        for c in items:
            if c.superseded:
                _claim(c, status=ReminderDispatch.Status.SUPERSEDED)
        live = [c for c in items if not c.superseded]
        claimed = [(c, row) for c in live if (row := _claim(c, status=ReminderDispatch.Status.SENT)) is not None]
        if not claimed:
            return 0
        user = claimed[0][0].recipient
        if len(claimed) == 1:
            c, _row = claimed[0]
            target = c.rule.model._default_manager.filter(pk=c.object_id).first()
            notes = notify(
                recipients=[user], title=c.title, body=c.body, url=c.url,
                level=c.step.notification_level(), target=target,
            )
        else:
            title, body = _summary_text([c for c, _r in claimed], today, late)
            level = max((c.step.notification_level() for c, _r in claimed), key=lambda lv: _LEVEL_RANK.get(lv, 0))
            notes = notify(recipients=[user], title=title, body=body, url=_summary_url(), level=level)
        note = notes[0] if notes else None
        ids = [row.pk for _c, row in claimed]
        ReminderDispatch.objects.filter(pk__in=ids).update(
            notification=note,
            status=ReminderDispatch.Status.SENT if len(claimed) == 1 else ReminderDispatch.Status.IN_SUMMARY,
        )
    return 1


def _log_unreached(items: list[Unreached]) -> int:
    """One row without recipient per (record, step occurrence) nobody can be told about:
    the scan's anti-join then leaves the record out for that step, nothing is ever sent
    for the row, and the status page lists it. A partial unique key makes a rerun or a
    second beat process write nothing twice."""
    from congress.models import ReminderDispatch

    rows = [
        ReminderDispatch(
            rule=u.rule.code,
            content_type_id=u.content_type_id,
            object_id=u.object_id,
            step=u.step_key,
            recipient=None,
            escalation=u.step.escalation,
            due_date=u.due,
            planned_for=u.planned_for,
            sent_on=u.today,
            status=ReminderDispatch.Status.UNREACHED,
        )
        for u in items
    ]
    with transaction.atomic():
        ReminderDispatch.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return len(rows)


def _summary_url() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("congress:my-deadlines")
    except NoReverseMatch:
        return ""


def run(today: dt.date | None = None, *, rule_codes: Iterable[str] | None = None) -> int:
    """Scan every rule for due steps and send them; returns how many messages went out.

    Each recipient's messages are claimed and written in their own transaction. When
    a recipient has something that became due on an earlier day (missed runs, or a
    meeting moved earlier) and more than one item in this run, they get ONE summary."""
    from django.conf import settings
    from django.utils import translation

    # Stored messages are written in the installation's language, whatever language
    # the calling thread (a request, a test) happens to have active.
    with translation.override(settings.LANGUAGE_CODE):
        return _run(today, rule_codes=rule_codes)


def _run(today: dt.date | None, *, rule_codes: Iterable[str] | None) -> int:
    from django.utils import timezone

    from congress import workdays
    from congress.models import ReminderEngineState

    today = today or workdays.today()
    start = catch_up_start(today)
    # One broken rule (or one failing message) must not silence the others; the run is then
    # not marked successful, so the next scan looks back far enough to retry what failed.
    errors: list = []
    unreached: list[Unreached] = []
    candidates = plan(today, since=start, rule_codes=rule_codes, errors=errors, unreached=unreached)

    by_user: dict[int, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_user[c.recipient.pk].append(c)

    sent = 0
    for _pk, items in sorted(by_user.items()):
        live = {_live_key(c): c for c in items if not c.superseded}
        if len(live) > 1 and any(c.late for c in live.values()):
            groups, late = [items], True
        else:
            grouped: dict[tuple, list[Candidate]] = defaultdict(list)
            for c in items:
                # A superseded step travels with the step that replaces it (one transaction).
                lead = live[_live_key(c)]
                key = (lead.rule.code, lead.step.code) if lead.step.summary else _live_key(lead)
                grouped[key].append(c)
            groups, late = list(grouped.values()), False
        for group in groups:
            try:
                sent += _deliver(group, today, late=late)
            except Exception as exc:
                logger.exception("reminder for user %s failed", _pk)
                errors.append(exc)

    try:
        nobody = _log_unreached(unreached)
    except Exception as exc:
        logger.exception("logging reminders with nobody to tell failed")
        errors.append(exc)
        nobody = 0
    if nobody:
        by_rule = defaultdict(int)
        for u in unreached:
            by_rule[u.rule.code] += 1
        logger.warning(
            "reminder scan %s: %s due steps have nobody to tell (%s)",
            today, nobody, ", ".join(f"{code}: {n}" for code, n in sorted(by_rule.items())),
        )

    if errors:
        logger.error("reminder scan %s: %s messages, %s errors", today, sent, len(errors))
        return sent
    if rule_codes is None:
        state = engine_state()
        if state.last_success_date is None or state.last_success_date <= today:
            ReminderEngineState.objects.filter(pk=state.pk).update(
                last_success_date=today, last_success_at=timezone.now(), last_sent=sent
            )
    logger.info("reminder scan %s: %s messages", today, sent)
    return sent


# ---------------------------------------------------------------------------
# Reads for pages: colours, the per-record panel, the overdue list, "my deadlines"


def overdue_colour(due_date: dt.date | None, today: dt.date | None = None) -> str:
    """"" (not soon), "blue" (due within period("overdue_blue_days")), "orange" (overdue),
    "red" (overdue more than period("overdue_listing_days"): listed for the 主任会议)."""
    from congress import workdays
    from congress.periods import period

    if due_date is None:
        return ""
    today = today or workdays.today()
    if due_date < today:
        return "red" if (today - due_date).days > period("overdue_listing_days") else "orange"
    if (due_date - today).days <= period("overdue_blue_days"):
        return "blue"
    return ""


def rules_for(model) -> list[Rule]:
    concrete = model._meta.concrete_model
    return [r for r in rules() if r.model is not None and r.model._meta.concrete_model is concrete]


@dataclass
class ScheduleEntry:
    """One rule on one record: its deadline, what went out and what is coming."""

    rule: Rule
    record: object
    label: str
    due: dt.date | None
    pending: bool
    sent: list
    coming: list  # [(Step, send date)]

    @property
    def colour(self) -> str:
        return overdue_colour(self.due) if self.pending else ""


def record_schedule(records, today: dt.date | None = None) -> list[ScheduleEntry]:
    """Reminders sent and coming for one record or several of one model (e.g. a
    meeting's agenda items). Two queries per rule plus one for the log, whatever the count."""
    from congress import workdays
    from congress.models import ReminderDispatch

    if records is None:
        return []
    if isinstance(records, models.Model):
        records = [records]
    records = list(records)
    if not records:
        return []
    today = today or workdays.today()
    model = type(records[0])
    ct = ContentType.objects.get_for_model(model)
    ids = [r.pk for r in records]
    log = defaultdict(list)
    for row in (
        ReminderDispatch.objects.filter(content_type=ct, object_id__in=ids)
        .select_related("recipient")
        .order_by("sent_at", "id")
    ):
        log[(row.rule, row.object_id)].append(row)
    entries = []
    for rule in rules_for(model):
        pending_ids = set(rule.pending_queryset().filter(pk__in=ids).values_list("pk", flat=True))
        for record in records:
            due = rule.due_date(record)
            rows = log.get((rule.code, record.pk), [])
            # Superseded steps were logged, not sent: they count as done but are not listed.
            sent = [row for row in rows if row.status != ReminderDispatch.Status.SUPERSEDED]
            pending = record.pk in pending_ids
            if due is None or (not pending and not sent):
                continue
            sent_keys = {row.step for row in rows}
            coming = []
            if pending:
                # Far enough for every step after the deadline; repeats show only their next date.
                horizon = max(today, due) + dt.timedelta(days=120)
                for step in rule.steps:
                    for key, day in step.occurrences(due, horizon, since=today):
                        if day >= today and key not in sent_keys:
                            coming.append((step, day))
                            break
                coming.sort(key=lambda pair: pair[1])
            entries.append(ScheduleEntry(rule, record, rule.item_label(record), due, pending, sent, coming))
    entries.sort(key=lambda e: (e.due or dt.date.max, e.rule.code))
    return entries


@dataclass
class DeadlineItem:
    rule: Rule
    record: object
    label: str
    due: dt.date
    url: str
    office: object | None
    unit: object | None

    @property
    def colour(self) -> str:
        return overdue_colour(self.due)

    @property
    def days_overdue(self) -> int:
        from congress import workdays

        return (workdays.today() - self.due).days


def _deadline_items(rule: Rule, queryset, lo: dt.date | None, hi: dt.date | None) -> list[DeadlineItem]:
    """Pending records of a rule whose deadline falls in [lo, hi] (either may be open)."""
    dl = rule.deadline_offset()
    slack = dt.timedelta(days=dl.slack() + 1)
    shift = dt.timedelta(days=dl.approx_days())
    if lo is not None:
        queryset = queryset.filter(**{f"{rule.date_field}__gte": lo - shift - slack})
    if hi is not None:
        queryset = queryset.filter(**{f"{rule.date_field}__lte": hi - shift + slack})
    out = []
    for record in queryset.order_by(rule.date_field, "pk"):
        due = rule.due_date(record)
        if due is None or (lo is not None and due < lo) or (hi is not None and due > hi):
            continue
        office, unit = rule.office_and_unit(record)
        out.append(DeadlineItem(rule, record, rule.item_label(record), due, rule.url(record), office, unit))
    return out


def overdue_items(today: dt.date | None = None, *, include_soon: bool = False) -> list[DeadlineItem]:
    """Every registered rule's pending records past their deadline (and, optionally,
    those due within the blue window), oldest first."""
    from congress import workdays
    from congress.periods import period

    today = today or workdays.today()
    hi = today + dt.timedelta(days=period("overdue_blue_days")) if include_soon else today - dt.timedelta(days=1)
    items = []
    for rule in rules():
        if not rule.overdue_listing:
            continue
        items.extend(_deadline_items(rule, rule.pending_queryset(), None, hi))
    items.sort(key=lambda i: (i.due, i.rule.code, i.label))
    return items


def user_deadlines_for_rule(
    rule: Rule, user, queryset, *, start: dt.date | None = None, end: dt.date | None = None
) -> list[DeadlineItem]:
    """One rule's share of `user_deadlines`, over a queryset the caller chose (e.g. a
    lighter one for a home-page widget); `queryset` must already be `rule.pending(...)`."""
    return _deadline_items(rule, rule.for_user(user, queryset), start, end)


def user_deadlines(user, *, start: dt.date | None = None, end: dt.date | None = None) -> list[DeadlineItem]:
    """The person's own pending deadlines, asked of each rule (`Rule.for_user`)."""
    items = []
    for rule in rules():
        items.extend(_deadline_items(rule, rule.for_user(user, rule.pending_queryset()), start, end))
    items.sort(key=lambda i: (i.due, i.rule.code, i.label))
    return items


@dataclass
class UnreachedLine:
    """Deadlines of one rule and one office/unit whose due reminders had nobody to tell."""

    rule: Rule
    office: object | None
    unit: object | None
    count: int
    first_due: dt.date | None


def unreached_deadlines() -> list[UnreachedLine]:
    """Pending deadlines whose due reminder reached nobody and no one at that level (or
    closer to the work) has been told since, by rule and office/unit (system status page).

    A record is listed from the scan that found nobody to tell until the record is no
    longer pending, or a later step at the same or a lower escalation level reached
    someone (e.g. a user was added to the unit: they get the deadline's next step, the
    missed one is not replayed). Reads grouped rows of the dispatch log, then the listed
    records in batches: a few queries per rule."""
    from congress.models import ReminderDispatch

    registered = {r.code: r for r in rules()}
    missed: dict[tuple, dict[int, dt.date]] = defaultdict(dict)  # (rule, object) -> {level: last planned}
    for row in (
        ReminderDispatch.objects.filter(status=ReminderDispatch.Status.UNREACHED, rule__in=list(registered))
        .values("rule", "content_type_id", "object_id", "escalation")
        .annotate(last=models.Max("planned_for"))
        .order_by()
    ):
        missed[(row["rule"], row["content_type_id"], row["object_id"])][row["escalation"]] = row["last"]
    if not missed:
        return []
    by_rule: dict[tuple, list[int]] = defaultdict(list)
    for code, ct_id, obj in missed:
        by_rule[(code, ct_id)].append(obj)

    from congress import workdays

    counts: dict[tuple, list] = {}
    with workdays.pinned(), _scan_scope():
        for (code, ct_id), ids in sorted(by_rule.items()):
            rule = registered[code]
            ids.sort()
            for i in range(0, len(ids), BATCH_SIZE):
                chunk = ids[i : i + BATCH_SIZE]
                reached: dict[int, dict[int, dt.date]] = defaultdict(dict)
                for row in (
                    ReminderDispatch.objects.filter(
                        rule=code, content_type_id=ct_id, object_id__in=chunk, recipient__isnull=False
                    )
                    .values("object_id", "escalation")
                    .annotate(last=models.Max("planned_for"))
                    .order_by()
                ):
                    reached[row["object_id"]][row["escalation"]] = row["last"]
                open_ids = [
                    obj for obj in chunk
                    if any(
                        not any(lv <= level and day >= last for lv, day in reached.get(obj, {}).items())
                        for level, last in missed[(code, ct_id, obj)].items()
                    )
                ]
                if not open_ids:
                    continue
                # The office and unit are read from the record's own relations: the recipients'
                # prefetched lists are not needed here.
                pending = rule.pending_queryset().filter(pk__in=open_ids).prefetch_related(None)
                for record in pending.order_by("pk"):
                    office, unit = rule.office_and_unit(record)
                    key = (code, _memo_key(office), _memo_key(unit))
                    due = rule.due_date(record)
                    line = counts.setdefault(key, [rule, office, unit, 0, due])
                    line[3] += 1
                    if due is not None and (line[4] is None or due < line[4]):
                        line[4] = due
    lines = [UnreachedLine(*values) for values in counts.values()]
    lines.sort(key=lambda line: (line.first_due or dt.date.max, line.rule.code, str(line.office or ""),
                                 str(line.unit or "")))
    return lines
