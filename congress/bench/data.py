"""Bulk data for the benchmark: N suggestions (with assignments, replies, evaluations and
co-signatures), N/20 plan items and N/100 supervision items over ten years, written with
INSERT … SELECT over a generated series so the database does the work (1,000,000
suggestions in minutes, not hours).

Columns the benchmark does not care about are copied from a template row of the same
table (the demo data), so a column added later with a value in the demo keeps working.
Generated rows are recognised by their marker (suggestion serials from SERIAL_BASE, the
"bench" source name of plans, the "bench" law name of supervision items), so generating
again only adds what is missing. Works on PostgreSQL and, for small N, on SQLite."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction

from congress.workdays import today

SERIAL_BASE = 1_000_000
MARK = "bench"
YEARS = 10
BATCH = 100_000


# ----------------------------------------------------------------------- dialect
def _pg() -> bool:
    return connection.vendor == "postgresql"


def _series(lo: int, hi: int) -> str:
    if _pg():
        return f"generate_series({lo:d}::bigint, {hi:d}::bigint) AS s(g)"  # g * 7919 passes 2**31 at 1M
    return (f"(WITH RECURSIVE s(g) AS (SELECT {lo:d} UNION ALL SELECT g + 1 FROM s WHERE g < {hi:d}) "
            "SELECT g FROM s) AS s")


def _day(year_sql: str, offset_sql: str) -> str:
    """10 January of the year plus offset days."""
    if _pg():
        return f"(make_date(({year_sql})::int, 1, 10) + ({offset_sql})::int)"
    return f"date(printf('%04d-01-10', {year_sql}), '+' || ({offset_sql}) || ' days')"


def _plus(date_sql: str, days: int) -> str:
    if _pg():
        return f"(({date_sql}) + {days:d})"
    return f"date({date_sql}, '+{days:d} days')"


def _ts(date_sql: str) -> str:
    if _pg():
        return f"(({date_sql}) + time '09:00')::timestamptz"
    return f"(({date_sql}) || ' 09:00:00')"


def _pick(values: list, index_sql: str) -> str:
    """values[index % len(values)] as SQL (a CASE: portable, no arrays)."""
    if not values:
        return "NULL"
    lit = [_lit(v) for v in values]
    if len(lit) == 1:
        return lit[0]
    whens = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(lit))
    return f"(CASE (({index_sql}) % {len(lit)}) {whens} END)"


def _lit(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'" if _pg() else f"'{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def _columns(table: str) -> list[str]:
    with connection.cursor() as cur:
        return [c.name for c in connection.introspection.get_table_description(cur, table) if c.name != "id"]


def _insert(table: str, overrides: dict[str, str], select_from: str, template_id: int, where: str = "") -> int:
    """INSERT INTO table SELECT overrides (template row's value elsewhere) FROM select_from."""
    qn = connection.ops.quote_name
    cols = _columns(table)
    exprs = [overrides.get(c, f"t.{qn(c)}") for c in cols]
    sql = (f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in cols)}) SELECT {', '.join(exprs)} "
           f"FROM {select_from} CROSS JOIN (SELECT * FROM {qn(table)} WHERE id = {template_id:d}) AS t"
           + (f" WHERE {where}" if where else ""))
    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.rowcount


def _template(model, **filters) -> int:
    row = model.objects.filter(**filters).order_by("id").values_list("id", flat=True).first()
    if row is None:
        row = model.objects.order_by("id").values_list("id", flat=True).first()
    if row is None:
        raise RuntimeError(f"no {model.__name__} to copy from: run seed_demo first")
    return row


# ------------------------------------------------------------------ reference data
def _sessions(last_year: int) -> list[int]:
    """One congress session per year for ten years (a second, earlier term if needed)."""
    from congress.models import CongressSession, Term

    by_year = {}
    for s in CongressSession.objects.order_by("start_date"):
        by_year.setdefault(s.start_date.year, s.pk)
    current = Term.objects.order_by("-number").first()
    for year in range(last_year - YEARS + 1, last_year + 1):
        if year in by_year:
            continue
        back = max((current.start_date.year - year - 1) // 5 + 1, 0)
        term_no = current.number - back
        term, _ = Term.objects.get_or_create(
            number=term_no,
            defaults={"name": f"第{term_no}届", "start_date": dt.date(current.start_date.year - 5 * back, 1, 10),
                      "is_current": False},
        )
        number = 1 + max(CongressSession.objects.filter(term=term).values_list("number", flat=True), default=0)
        s = CongressSession.objects.create(
            term=term, number=number, name=f"{term.name}人大{number}次会议",
            start_date=dt.date(year, 1, 15), end_date=dt.date(year, 1, 20),
        )
        by_year[year] = s.pk
    return [by_year[y] for y in range(last_year - YEARS + 1, last_year + 1)]


def _starts(sessions: list[int]) -> list[dt.date]:
    from congress.models import CongressSession

    start_of = dict(CongressSession.objects.filter(pk__in=sessions).values_list("pk", "start_date"))
    return [start_of[s] for s in sessions]


def _terms(sessions: list[int]) -> list[int]:
    from congress.models import CongressSession

    term_of = dict(CongressSession.objects.filter(pk__in=sessions).values_list("pk", "term_id"))
    return [term_of[s] for s in sessions]


def _plans(last_year: int) -> list[int]:
    from plans.choices import PlanKind
    from plans.models import Plan

    template = Plan.objects.order_by("id").first()
    ids = []
    for year in range(last_year - YEARS + 1, last_year + 1):
        plan = Plan.objects.filter(source_name=MARK, year=year).first()
        if plan is None:
            plan = Plan.objects.create(
                kind=PlanKind.WORK_POINTS, year=year, title=f"{year}年工作要点（基准数据）", is_published=True,
                source_name=MARK, owner_office_id=getattr(template, "owner_office_id", None),
            )
        ids.append(plan.pk)
    return ids


# ------------------------------------------------------------------------ texts
# Generated items read like real ones, so the similarity index has real work to do: TEXTS
# distinct texts, each made of a place, a subject and a measure from small vocabularies
# (common bigrams, skipped as too frequent past SIMILAR_MAX_DF) and a street name of two
# characters from a larger set (rare bigrams that find the text's other copies).
TEXTS = 2000
_PLACES = ["东城区", "西湖区", "南山区", "北塘区", "高新区", "经开区", "滨江区", "临港新区", "老城区", "新城区",
           "城东街道", "城西街道"]
_SUBJECTS = ["老旧小区加装电梯", "义务教育学位供给", "社区养老服务", "农村公路养护", "河道黑臭水体治理", "停车设施建设",
             "垃圾分类处理", "公交线路优化", "基层医疗服务", "食品安全监管", "背街小巷改造", "农贸市场升级",
             "雨污分流改造", "学校周边交通", "中小企业融资", "就业技能培训", "文化场馆开放", "体育设施建设",
             "智慧社区建设", "物业服务管理"]
_VERBS = ["加快推进", "进一步加强", "切实做好", "加大投入", "规范管理", "统筹推进", "着力提升", "完善"]
_PROBLEMS = ["群众反映强烈", "设施老化严重", "资金缺口较大", "管理责任不清", "服务供给不足", "安全隐患突出",
             "排队等候时间长", "信息公开不够"]
_MEASURES = ["列入年度民生实事", "安排专项资金", "明确牵头部门", "建立长效机制", "纳入绩效考核", "开展专项整治",
             "引入社会资本", "加强督查问效", "简化审批流程"]
_NAMES = "梧桐枫杨柳槐桂兰竹梅松柏樟榕桃李杏梨荷菊莲芙蓉棠椿楠杉桦栎榆柿枣橘柚栗楸檀杞柑桑椒茶棉麻稻麦粟豆瓜藕"


def _text(t: int) -> tuple[str, str, str]:
    place, subject = _PLACES[t % len(_PLACES)], _SUBJECTS[(t // 7) % len(_SUBJECTS)]
    name = _NAMES[t % len(_NAMES)] + _NAMES[(t // len(_NAMES)) % len(_NAMES)] + "路"
    title = f"关于{_VERBS[(t // 3) % len(_VERBS)]}{place}{name}{subject}的建议"
    situation = f"{name}一带{_PROBLEMS[(t // 5) % len(_PROBLEMS)]}。"
    proposal = f"{_MEASURES[(t // 11) % len(_MEASURES)]}。"
    return title, situation, proposal


def _text_id(g_sql: str) -> str:
    return f"((({g_sql}) * 7 + ({g_sql}) / {TEXTS}) % {TEXTS})"


def _texts() -> None:
    """Temporary tables of the texts and of each text's index grams (as the index keeps them)."""
    from deputies.selectors import _doc, _key

    with connection.cursor() as cur:
        for table, cols in (("bench_text", "id integer PRIMARY KEY, title text, situation text, proposal text"),
                            ("bench_text_gram", "text_id integer, gram varchar(64)")):
            cur.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} ({cols})")
            cur.execute(f"DELETE FROM {table}")
        texts = [(t, *_text(t)) for t in range(TEXTS)]
        cur.executemany("INSERT INTO bench_text (id, title, situation, proposal) VALUES (%s, %s, %s, %s)", texts)
        grams = [(t, g) for t, ti, si, pr in texts for g in sorted({_key(g) for g in _doc(ti, si, pr)} | {""})]
        cur.executemany("INSERT INTO bench_text_gram (text_id, gram) VALUES (%s, %s)", grams)


def _index(lo: int, hi: int) -> None:
    """The similarity index of the new items (sent-in ones), and the term's frequencies."""
    from deputies.models import GramFrequency, Suggestion, SuggestionGram

    qn = connection.ops.quote_name
    sg, gf = qn(SuggestionGram._meta.db_table), qn(GramFrequency._meta.db_table)
    new = (f"SELECT s.id, s.term_id, s.serial - {SERIAL_BASE - 1} AS g FROM {qn(Suggestion._meta.db_table)} s "
           f"WHERE s.serial BETWEEN {SERIAL_BASE - 1 + lo} AND {SERIAL_BASE - 1 + hi} "
           "AND s.status NOT IN ('draft', 'withdrawn')")
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {sg} (suggestion_id, term_id, gram) SELECT n.id, n.term_id, tg.gram "
                    f"FROM ({new}) AS n JOIN bench_text_gram tg ON tg.text_id = {_text_id('n.g')}")
        cur.execute(f"INSERT INTO {gf} (term_id, gram, df) SELECT n.term_id, tg.gram, COUNT(*) "
                    f"FROM ({new}) AS n JOIN bench_text_gram tg ON tg.text_id = {_text_id('n.g')} WHERE 1 = 1 "
                    f"GROUP BY n.term_id, tg.gram "
                    f"ON CONFLICT (term_id, gram) DO UPDATE SET df = {gf}.df + excluded.df")


# -------------------------------------------------------------------- generation
def counts() -> dict[str, int]:
    from deputies.models import Suggestion
    from plans.models import PlanItem
    from supervision.models import SupervisionItem

    return {
        "suggestions": Suggestion.objects.filter(serial__gte=SERIAL_BASE).count(),
        "plan_items": PlanItem.objects.filter(plan__source_name=MARK).count(),
        "supervision_items": SupervisionItem.objects.filter(law_name=MARK).count(),
    }


def generate(n: int, *, log=print) -> dict:
    """Bring the generated data up to n suggestions, n/20 plan items, n/100 supervision items."""
    started = time.monotonic()
    have = counts()
    last_year = today().year
    targets = {"suggestions": n, "plan_items": max(n // 20, 1), "supervision_items": max(n // 100, 1)}
    with transaction.atomic():
        sessions = _sessions(last_year)
        plans = _plans(last_year)
    _texts()
    for lo in range(have["suggestions"] + 1, targets["suggestions"] + 1, BATCH):
        hi = min(lo + BATCH - 1, targets["suggestions"])
        t0 = time.monotonic()
        with transaction.atomic():
            _suggestions(lo, hi, sessions, last_year)
            _index(lo, hi)
        log(f"  suggestions {lo:,}–{hi:,}: {time.monotonic() - t0:.1f} s")
    if targets["plan_items"] > have["plan_items"]:
        with transaction.atomic():
            _plan_items(have["plan_items"] + 1, targets["plan_items"], plans, last_year)
    if targets["supervision_items"] > have["supervision_items"]:
        with transaction.atomic():
            _supervision_items(have["supervision_items"] + 1, targets["supervision_items"], last_year)
    if _pg():
        # As autovacuum would after a while: statistics, and the visibility map that lets
        # PostgreSQL answer from an index alone.
        # VACUUM cannot run inside a transaction (a test's); ANALYZE alone can.
        with connection.cursor() as cur:
            cur.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    # Rows written by SQL send no signal: the stored dashboard figures are stale now.
    from dashboards.figure_store import figures_changed

    figures_changed()
    result = counts()
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def _suggestions(lo: int, hi: int, sessions: list[int], last_year: int) -> None:
    from congress.models import Deputy, HandlingUnit
    from deputies.models import (
        Assignment,
        CoSignature,
        Evaluation,
        Reply,
        ReplyCategory,
        Suggestion,
        SuggestionCategory,
    )

    deputies = list(Deputy.objects.order_by("id").values_list("id", flat=True))
    units = list(HandlingUnit.objects.order_by("id").values_list("id", flat=True))
    cats = list(SuggestionCategory.objects.order_by("id").values_list("id", flat=True))
    reply_cats = list(ReplyCategory.objects.order_by("id").values_list("id", flat=True))
    first_year = last_year - YEARS + 1
    # r: a well-spread pseudo-random 0..999 per row; yi: the year (0 = oldest).
    # Older years are nearly all closed; the current year is spread over the whole life.
    status = f"""CASE WHEN yi < {YEARS - 1} THEN
        CASE WHEN r < 930 THEN 'closed' WHEN r < 950 THEN 'replied' WHEN r < 970 THEN 'withdrawn' ELSE 'rejected' END
      ELSE CASE WHEN r < 10 THEN 'draft' WHEN r < 40 THEN 'submitted' WHEN r < 70 THEN 'under_review'
        WHEN r < 110 THEN 'accepted' WHEN r < 250 THEN 'assigned' WHEN r < 530 THEN 'in_progress'
        WHEN r < 550 THEN 'return_requested' WHEN r < 780 THEN 'replied' WHEN r < 800 THEN 'rehandling'
        WHEN r < 960 THEN 'closed' WHEN r < 980 THEN 'withdrawn' ELSE 'rejected' END END"""
    inner = (f"(SELECT g, yi, r, {status} AS st, {_day(f'{first_year} + yi', '(g / 10) % 300')} AS recv FROM "
             f"(SELECT g, g % {YEARS} AS yi, (g * 7919 + g / 13) % 1000 AS r FROM {_series(lo, hi)}) AS a) AS b "
             f"JOIN bench_text AS bt ON bt.id = {_text_id('b.g')}")
    assigned = "st IN ('assigned','in_progress','return_requested','replied','rehandling','closed')"
    replied = "st IN ('replied','rehandling','closed')"
    now = "CURRENT_TIMESTAMP"
    qn = connection.ops.quote_name
    _insert(Suggestion._meta.db_table, {
        "created_at": now, "updated_at": now, "version": "1",
        "serial": f"{SERIAL_BASE - 1} + g",
        "title": "bt.title", "situation": "bt.situation", "proposal": "bt.proposal",
        "status": "st", "is_confidential": "FALSE", "is_public": "TRUE",
        "submitted_at": f"CASE WHEN st = 'draft' THEN NULL ELSE {_ts('recv')} END",
        "received_on": "CASE WHEN st = 'draft' THEN NULL ELSE recv END",
        "registered_on": "CASE WHEN st IN ('draft','submitted') THEN NULL ELSE recv END",
        "accepted_on": f"CASE WHEN st IN ('accepted') OR {assigned} THEN {_plus('recv', 10)} END",
        "assigned_on": f"CASE WHEN {assigned} THEN {_plus('recv', 20)} END",
        "due_date": f"CASE WHEN {assigned} THEN {_plus('recv', 110)} END",
        "first_replied_on": f"CASE WHEN {replied} THEN {_plus('recv', 80)} END",
        "replied_on": f"CASE WHEN {replied} THEN {_plus('recv', 80)} END",
        "replied_on_time": f"CASE WHEN {replied} THEN TRUE END",
        "evaluation_due": "NULL",
        "closed_on": f"CASE WHEN st = 'closed' THEN {_plus('recv', 120)} END",
        "closing": "CASE WHEN st = 'closed' THEN 'evaluated' ELSE '' END",
        "key_level": "CASE WHEN r % 97 = 0 THEN 'director' ELSE '' END",
        "key_marked_on": "NULL", "key_leader_id": "NULL", "key_office_id": "NULL",
        "round": "1", "merged_into_id": "NULL", "source_bill_id": "NULL", "suggested_unit_id": "NULL",
        "created_by_id": "NULL", "is_complex": "FALSE", "rejected_as_letter": "FALSE",
        "lead_deputy_id": _pick(deputies, "g"),
        "category_id": _pick(cats, "g / 7"),
        "session_id": _pick(sessions, "yi"),
        "session_start": _pick(_starts(sessions), "yi"),
        "received_year": f"CASE WHEN st = 'draft' THEN NULL ELSE {first_year} + yi END",
        "term_id": _pick(_terms(sessions), "yi"),
    }, inner, _template(Suggestion, status="closed"))

    new = f"(SELECT * FROM {qn(Suggestion._meta.db_table)} WHERE serial BETWEEN {SERIAL_BASE - 1 + lo} AND {SERIAL_BASE - 1 + hi}) AS s"
    a_status = ("CASE s.status WHEN 'assigned' THEN 'assigned' WHEN 'return_requested' THEN 'return_requested' "
                "WHEN 'replied' THEN 'replied' WHEN 'closed' THEN 'replied' ELSE 'signed' END")
    common = {
        "created_at": now, "updated_at": now, "version": "1", "suggestion_id": "s.id",
        "assigned_on": "s.assigned_on", "due_date": "s.due_date", "original_due_date": "s.due_date",
        "return_deadline": _plus("s.assigned_on", 10), "signed_at": "NULL", "signed_by_id": "NULL",
        "opinion": "''", "opinion_submitted_at": "NULL", "opinion_by_id": "NULL",
    }
    atable = Assignment._meta.db_table
    _insert(atable, {
        **common, "role": "'lead'", "status": a_status, "unit_id": _pick(units, "s.id"),
        "first_replied_on": "s.first_replied_on", "replied_on": "s.replied_on",
        "category_id": f"CASE WHEN s.replied_on IS NOT NULL THEN {_pick(reply_cats, 's.id / 3')} END",
    }, new, _template(Assignment), "s.assigned_on IS NOT NULL")
    if len(units) > 1:
        _insert(atable, {
            **common, "role": "'co'", "status": "'opinion_submitted'", "unit_id": _pick(units, "s.id + 1"),
            "first_replied_on": "NULL", "replied_on": "NULL", "category_id": "NULL",
        }, new, _template(Assignment), "s.assigned_on IS NOT NULL AND s.id % 10 = 0")
    lead = (f"(SELECT a.* FROM {qn(atable)} a WHERE a.role = 'lead' AND a.replied_on IS NOT NULL AND a.suggestion_id IN "
            f"(SELECT id FROM {qn(Suggestion._meta.db_table)} WHERE serial BETWEEN {SERIAL_BASE - 1 + lo} AND {SERIAL_BASE - 1 + hi})) AS a")
    _insert(Reply._meta.db_table, {
        "created_at": now, "updated_at": now, "version": "1", "round": "1", "status": "'sent'",
        "text": "'经研究，答复如下：已列入年度工作安排并推进落实。'", "is_current": "TRUE",
        "submitted_at": _ts("a.replied_on"), "sent_on": "a.replied_on", "send_back_reason": "''",
        "approved_by_id": "NULL", "drafted_by_id": "NULL", "assignment_id": "a.id", "suggestion_id": "a.suggestion_id",
        "category_id": "a.category_id",
    }, lead, _template(Reply))
    replies = (f"(SELECT rp.id AS reply_id, rp.assignment_id, rp.suggestion_id, su.lead_deputy_id FROM "
               f"{qn(Reply._meta.db_table)} rp JOIN {qn(Suggestion._meta.db_table)} su ON su.id = rp.suggestion_id "
               f"WHERE su.status = 'closed' AND su.serial BETWEEN {SERIAL_BASE - 1 + lo} AND {SERIAL_BASE - 1 + hi}) AS e")
    rating = "CASE WHEN e.reply_id % 10 < 7 THEN 'satisfied' WHEN e.reply_id % 10 < 9 THEN 'basic' ELSE 'unsatisfied' END"
    if Evaluation.objects.exists():
        _insert(Evaluation._meta.db_table, {
            "created_at": now, "round": "1", "attitude": rating, "result": rating, "comment": "''", "no_feedback": "FALSE",
            "assignment_id": "e.assignment_id", "deputy_id": "e.lead_deputy_id", "reply_id": "e.reply_id",
            "suggestion_id": "e.suggestion_id",
        }, replies, _template(Evaluation))
    if len(deputies) > 1 and CoSignature.objects.exists():
        # Every fifth item has a co-signer: the next deputy in the list (never the lead).
        others = " ".join(f"WHEN {d} THEN {deputies[(i + 1) % len(deputies)]}" for i, d in enumerate(deputies))
        _insert(CoSignature._meta.db_table, {
            "status": "'confirmed'", "invited_at": now, "responded_at": now, "note": "''", "bill_id": "NULL",
            "deputy_id": f"(CASE s.lead_deputy_id {others} END)", "suggestion_id": "s.id",
        }, new, _template(CoSignature, suggestion__isnull=False), "s.id % 5 = 0 AND s.status <> 'draft'")


def _plan_items(lo: int, hi: int, plans: list[int], last_year: int) -> None:
    from congress.models import Office
    from plans.choices import ItemType
    from plans.models import PlanItem

    offices = list(Office.objects.order_by("id").values_list("id", flat=True))
    first_year = last_year - YEARS + 1
    inner = (f"(SELECT g, g % {YEARS} AS yi, (g * 7919) % 1000 AS r, 1 + (g / {YEARS}) % 12 AS m "
             f"FROM {_series(lo, hi)}) AS b")
    status = ("CASE WHEN yi < 9 THEN CASE WHEN r < 900 THEN 'done' WHEN r < 950 THEN 'adjusted' ELSE 'cancelled' END "
              "ELSE CASE WHEN r < 200 THEN 'not_started' WHEN r < 650 THEN 'in_progress' WHEN r < 700 THEN 'delayed' "
              "ELSE 'done' END END")
    due = _day(f"{first_year} + yi", "(m - 1) * 30 + 18")
    now = "CURRENT_TIMESTAMP"
    _insert(PlanItem._meta.db_table, {
        "created_at": now, "updated_at": now, "version": "1", "level": "1", "position": "g", "number": "''",
        "path": "'9' || substr('00000000' || g, -8, 8)" if not _pg() else "'9' || lpad(g::text, 8, '0')",
        "title": "'第' || g || '项年度工作'", "description": "''", "item_type": _pick(list(ItemType.values), "g"),
        "period_kind": "'month'", "planned_month": "m", "planned_quarter": "NULL", "due_date": due,
        "deliverable": "''", "target": "''", "status": status, "status_reason": "''", "outcome": "''",
        "closed_on": f"CASE WHEN yi < 9 OR r >= 700 THEN {due} END", "progress": "CASE WHEN yi < 9 THEN 100 ELSE r / 10 END",
        "last_progress_on": "NULL", "progress_base_on": "NULL", "planned_start": "NULL", "quarter_list_on": "NULL",
        "lead_office_id": _pick(offices, "g"), "meeting_id": "NULL", "parent_id": "NULL",
        "plan_id": _pick(plans, "yi"), "vice_chair_id": "NULL",
    }, inner, _template(PlanItem))


def _supervision_items(lo: int, hi: int, last_year: int) -> None:
    from congress.models import HandlingUnit, Office
    from supervision.choices import ItemStatus, SupervisionType
    from supervision.models import SupervisionItem

    offices = list(Office.objects.order_by("id").values_list("id", flat=True))
    units = list(HandlingUnit.objects.order_by("id").values_list("id", flat=True))
    first_year = last_year - YEARS + 1
    inner = f"(SELECT g, g % {YEARS} AS yi, (g * 7919) % 1000 AS r FROM {_series(lo, hi)}) AS b"
    statuses = list(ItemStatus.values)
    now = "CURRENT_TIMESTAMP"
    _insert(SupervisionItem._meta.db_table, {
        "created_at": now, "updated_at": now, "version": "1", "kind": _pick(list(SupervisionType.values), "g"),
        "year": f"{first_year} + yi", "title": "'第' || g || '项监督工作'", "description": "''",
        "status": f"CASE WHEN yi < 9 THEN {_lit(ItemStatus.CLOSED)} ELSE {_pick(statuses, 'r')} END",
        "start_date": _day(f"{first_year} + yi", "(g / 10) % 300"), "end_date": "NULL", "hearing_date": "NULL",
        "is_published": "TRUE", "law_name": _lit(MARK), "audit_report_date": "NULL", "resolution_report_due": "NULL",
        "agenda_item_id": "NULL", "created_by_id": "NULL", "meeting_id": "NULL", "plan_item_id": "NULL",
        "lead_office_id": _pick(offices, "g"), "target_unit_id": _pick(units, "g / 3"),
    }, inner, _template(SupervisionItem))
