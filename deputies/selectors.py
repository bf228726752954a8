"""Reads that are more than a filter: similar earlier suggestions, the year's rates of
domain §2 with their definitions, overdue lists and a deputy's duty record.

Every function takes a queryset the caller has already scoped with visible_to(user),
so the same figures can be reused by the year-end dashboard without leaking anything."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils.translation import gettext_lazy as _

from congress.periods import period
from congress.workdays import today

from .choices import (
    ACTIVE_ASSIGNMENT_STATUSES,
    RESPONDING_ROLES,
    ActivityKind,
    AssignmentStatus,
    CoSignStatus,
    KeyLevel,
    Rating,
    ReplyStatus,
    SuggestionStatus,
)
from .models import (
    Activity,
    Assignment,
    Bill,
    CitizenOpinion,
    CoSignature,
    Evaluation,
    GramFrequency,
    Reply,
    Suggestion,
    SuggestionGram,
)

S = SuggestionStatus

# ---------------------------------------------------------------- similarity
_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[A-Za-z0-9]{2,}")


def ngrams(text: str) -> Counter:
    """Character bigrams of each run of Chinese characters (and whole Latin words/numbers):
    works on Chinese without a word list or segmenter."""
    grams: Counter = Counter()
    for run in _CJK.findall(text or ""):
        if len(run) == 1:
            grams[run] += 1
            continue
        for i in range(len(run) - 1):
            grams[run[i : i + 2]] += 1
    for word in _WORD.findall(text or ""):
        grams[word.lower()] += 1
    return grams


def cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    common = set(a) & set(b)
    dot = sum(a[k] * b[k] for k in common)
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


# Boilerplate every item carries ("关于……的建议"): removed so it does not make unrelated
# items look alike.
_BOILERPLATE = re.compile(r"关于|的建议|的议案|建议|议案|我市|进一步")


def _doc(title: str, situation: str, proposal: str) -> Counter:
    # The title says what the item is about: count it twice against the long body text.
    text = f"{title} {title} {situation} {proposal}"
    return ngrams(_BOILERPLATE.sub(" ", text))


def _weighted(doc: Counter, idf: dict) -> Counter:
    return Counter({g: n * idf.get(g, 1.0) for g, n in doc.items()})


def _key(gram: str) -> str:
    # The index column holds 64 characters; only an absurdly long Latin word is cut.
    return gram[:64]


def _grams_of(s: Suggestion) -> set[str]:
    return {_key(g) for g in _doc(s.title, s.situation, s.proposal)}


def _frequencies(term_id: int, grams) -> dict[str, int]:
    return dict(GramFrequency.objects.filter(term_id=term_id, gram__in=list(grams)).values_list("gram", "df"))


def _add_frequencies(term_id: int, grams: list[str], delta: int) -> None:
    """df += delta for each gram, in one statement per 500 grams (sorted, so two writers
    lock the rows in the same order)."""
    table = connection.ops.quote_name(GramFrequency._meta.db_table)
    grams = sorted(grams)
    for i in range(0, len(grams), 500):
        chunk = grams[i : i + 500]
        with connection.cursor() as cur:
            if delta > 0:
                values = ", ".join(["(%s, %s, %s)"] * len(chunk))
                params = [p for g in chunk for p in (term_id, g, delta)]
                cur.execute(
                    f"INSERT INTO {table} (term_id, gram, df) VALUES {values} "
                    f"ON CONFLICT (term_id, gram) DO UPDATE SET df = {table}.df + excluded.df",
                    params,
                )
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cur.execute(
                    f"UPDATE {table} SET df = df + %s WHERE term_id = %s AND gram IN ({marks})",
                    [delta, term_id, *chunk],
                )


def index_suggestion(s: Suggestion) -> None:
    """Bring the similarity index of one item up to date with its text and status: sent-in
    items are indexed, drafts and withdrawn items are not."""
    old = list(SuggestionGram.objects.filter(suggestion_id=s.pk).values_list("term_id", "gram"))
    old_term = old[0][0] if old else None
    indexed = s.status not in (S.DRAFT, S.WITHDRAWN)
    new = (_grams_of(s) | {""}) if indexed else set()
    old_grams = {g for _t, g in old}
    if old_term is not None and old_term != s.term_id:
        removed, added = old_grams, new
    else:
        removed, added = old_grams - new, new - old_grams
    if removed:
        SuggestionGram.objects.filter(suggestion_id=s.pk, gram__in=list(removed)).delete()
        _add_frequencies(old_term, list(removed), -1)
    if added:
        SuggestionGram.objects.bulk_create(
            [SuggestionGram(suggestion_id=s.pk, term_id=s.term_id, gram=g) for g in sorted(added)], batch_size=1000
        )
        _add_frequencies(s.term_id, list(added), 1)
    s._similarity_key = s.similarity_key()


def _copy_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert many rows at once: COPY on PostgreSQL (a million rows in seconds), batched
    INSERTs elsewhere."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000)


def rebuild_similarity_index(*, chunk_size: int = 2000, out=None) -> int:
    """Rebuild the whole index from the suggestions table (after a bulk load or a restore).
    Reads the table once in primary-key chunks; memory stays that of one chunk plus the
    frequencies."""
    SuggestionGram.objects.all().delete()
    GramFrequency.objects.all().delete()
    df: dict[tuple[int, str], int] = Counter()
    done = 0
    rows = (
        Suggestion.objects.exclude(status__in=[S.DRAFT, S.WITHDRAWN])
        .values_list("pk", "term_id", "title", "situation", "proposal")
        .order_by("pk")
    )
    batch: list[tuple] = []
    for pk, term_id, title, situation, proposal in rows.iterator(chunk_size=chunk_size):
        for g in {_key(g) for g in _doc(title, situation, proposal)} | {""}:
            batch.append((pk, term_id, g))
            df[(term_id, g)] += 1
        done += 1
        if len(batch) >= 50000:
            _copy_rows(SuggestionGram, ["suggestion_id", "term_id", "gram"], batch)
            batch = []
            if out is not None:
                out(done)
    _copy_rows(SuggestionGram, ["suggestion_id", "term_id", "gram"], batch)
    _copy_rows(GramFrequency, ["term_id", "gram", "df"], [(t, g, n) for (t, g), n in df.items()])
    return done


def similar_suggestions(suggestion: Suggestion, pool, *, limit: int = 5, min_score: float = 0.1) -> list[tuple]:
    """The most similar earlier items of the same term, best first: [(suggestion, score)].

    Cosine similarity of character-bigram vectors over title and text, weighted by how
    rare each bigram is in the term (tf-idf), so common words count for little. `pool`
    is already scoped to what the user may see.

    Candidates come from the bigram index: the items sharing most of the query's rarest
    bigrams (bigrams held by more than SIMILAR_MAX_DF items say nothing and are skipped;
    at most SIMILAR_POSTINGS_BUDGET index rows are read), so the cost does not grow with
    the term. Only those few candidates are read and ranked exactly."""
    term_id = suggestion.term_id
    target = _doc(suggestion.title, suggestion.situation, suggestion.proposal)
    target_keys = {_key(g) for g in target}
    freq = _frequencies(term_id, target_keys | {""})
    rare, postings = [], 0
    for n, g in sorted((freq.get(g, 0), g) for g in target_keys if 0 < freq.get(g, 0) <= settings.SIMILAR_MAX_DF):
        if len(rare) >= settings.SIMILAR_QUERY_GRAMS or postings + n > settings.SIMILAR_POSTINGS_BUDGET:
            break
        rare.append(g)
        postings += n
    if not rare:
        return []
    candidates = list(
        SuggestionGram.objects.filter(term_id=term_id, gram__in=rare)
        .exclude(suggestion_id=suggestion.pk)
        .values("suggestion_id")
        .annotate(shared=Count("*"))
        .order_by("-shared", "-suggestion_id")
        .values_list("suggestion_id", "shared")[: settings.SIMILAR_CANDIDATES]
    )
    candidates = [pk for pk, _shared in candidates]
    rows = list(
        pool.filter(term_id=term_id, pk__in=candidates)
        .exclude(status__in=[S.DRAFT, S.WITHDRAWN])
        .values_list("pk", "title", "situation", "proposal")
    )
    if not rows:
        return []
    docs = [(pk, _doc(t, si, pr)) for pk, t, si, pr in rows]
    # Document frequencies of the whole term come from the index; the item itself counts
    # once, as in a full scan, whether or not it is indexed (a draft is not).
    needed = set().union(*(d.keys() for _pk, d in docs)) | set(target)
    # The candidates' grams are known from their texts: look their frequencies up by key
    # (at most SIMILAR_CANDIDATES texts' worth), never by a join over the term's index.
    df = _frequencies(term_id, {_key(g) for g in needed} - set(freq)) | freq
    outside = 0 if suggestion.status not in (S.DRAFT, S.WITHDRAWN) and df.get("") else 1
    n = df.get("", 0) + outside
    idf = {}
    for g in needed:
        c = df.get(_key(g), 0) + (outside if g in target else 0)
        idf[g] = math.log((n + 1) / (c + 1)) + 1.0
    target_w = _weighted(target, idf)
    scored = []
    for pk, d in docs:
        score = cosine(target_w, _weighted(d, idf))
        if score >= min_score:
            scored.append((score, pk))
    scored.sort(reverse=True)
    top = scored[:limit]
    if not top:
        return []
    objs = (
        Suggestion.objects.filter(pk__in=[pk for _s, pk in top])
        .select_related("lead_deputy", "session")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(role__in=RESPONDING_ROLES).exclude(status=AssignmentStatus.RETURNED)
                .select_related("unit"),
                to_attr="answering",
            )
        )
        .in_bulk()
    )
    return [(objs[pk], round(score, 3)) for score, pk in top if pk in objs]


def suggest_unit(similar: list[tuple]):
    """The unit that handled the most similar items (weighted by similarity), or None."""
    weights: dict = defaultdict(float)
    units = {}
    for s, score in similar:
        for a in getattr(s, "answering", []):
            weights[a.unit_id] += score
            units[a.unit_id] = a.unit
    if not weights:
        return None
    best = max(weights, key=lambda k: weights[k])
    return units[best]


# ---------------------------------------------------------------- rates (domain §2, year-end)
HANDLED_STATUSES = [S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REQUESTED, S.REPLIED, S.REHANDLING, S.CLOSED]

RATE_DEFINITIONS = [
    ("reply_rate", _("答复率"), _("已答复件数 ÷ 交办件数")),
    ("on_time_rate", _("按期答复率"), _("在答复期限（含经批准的延期）内首次答复的件数 ÷ 交办件数")),
    ("closed_rate", _("办结率"), _("已办结件数 ÷ 交办件数")),
    ("satisfaction_rate", _("满意率"), _("（满意 + 基本满意）÷ 代表已反馈的评价数；未反馈的不计入")),
    ("satisfied_rate", _("满意率（仅“满意”）"), _("满意 ÷ 代表已反馈的评价数")),
    ("first_round_rate", _("首轮满意率"), _("第一轮答复的（满意 + 基本满意）÷ 第一轮已反馈的评价数，不含重新办理后的评价")),
    ("solved_rate", _("解决率"), _("A类答复件数 ÷ 答复总数")),
    ("solved_or_planned_rate", _("解决或计划解决率"), _("（A类 + B类）答复件数 ÷ 答复总数")),
]
COUNT_LABELS = [
    ("received", _("收到件数")),
    ("assigned", _("交办件数")),
    ("replied", _("已答复")),
    ("on_time", _("按期答复")),
    ("closed", _("已办结")),
    ("returned_evaluations", _("已反馈评价")),
    ("unanswered", _("未反馈")),
    ("key", _("重点督办")),
    ("merged", _("并案")),
]


def pct(n, d):
    return None if not d else round(100.0 * n / d, 1)


def year_cohort(qs, year: int):
    """The items of a year: received (sent in) that year. Drafts never sent are not items."""
    return qs.filter(received_on__year=year)


def _rates(c: dict) -> dict:
    return {
        "reply_rate": pct(c.get("replied", 0), c.get("assigned", 0)),
        "on_time_rate": pct(c.get("on_time", 0), c.get("assigned", 0)),
        "closed_rate": pct(c.get("closed", 0), c.get("assigned", 0)),
        "satisfaction_rate": pct(c.get("satisfied", 0) + c.get("basic", 0), c.get("returned_evaluations", 0)),
        "satisfied_rate": pct(c.get("satisfied", 0), c.get("returned_evaluations", 0)),
        "first_round_rate": pct(c.get("first_ok", 0), c.get("first_returned", 0)),
        "solved_rate": pct(c.get("solved", 0), c.get("replies", 0)),
        "solved_or_planned_rate": pct(c.get("solved", 0) + c.get("planned", 0), c.get("replies", 0)),
    }


def _suggestion_aggregates(prefix: str = "") -> dict:
    p = prefix
    return {
        "received": Count("pk", distinct=bool(p)),
        "assigned": Count("pk", filter=Q(**{f"{p}status__in": HANDLED_STATUSES}), distinct=bool(p)),
        "replied": Count("pk", filter=Q(**{f"{p}first_replied_on__isnull": False}), distinct=bool(p)),
        "on_time": Count("pk", filter=Q(**{f"{p}replied_on_time": True}), distinct=bool(p)),
        "closed": Count("pk", filter=Q(**{f"{p}status": S.CLOSED}), distinct=bool(p)),
        "key": Count("pk", filter=~Q(**{f"{p}key_level": ""}), distinct=bool(p)),
        "merged": Count("pk", filter=Q(**{f"{p}status": S.MERGED}), distinct=bool(p)),
    }


def _evaluation_aggregates() -> dict:
    fed = Q(no_feedback=False)
    current = Q(reply__is_current=True)
    return {
        "returned_evaluations": Count("pk", filter=fed & current),
        "satisfied": Count("pk", filter=fed & current & Q(result=Rating.SATISFIED)),
        "basic": Count("pk", filter=fed & current & Q(result=Rating.BASIC)),
        "unsatisfied": Count("pk", filter=fed & current & Q(result=Rating.UNSATISFIED)),
        "unanswered": Count("pk", filter=Q(no_feedback=True) & current),
        "first_returned": Count("pk", filter=fed & Q(round=1)),
        "first_ok": Count("pk", filter=fed & Q(round=1, result__in=[Rating.SATISFIED, Rating.BASIC])),
    }


def _reply_aggregates() -> dict:
    return {
        "replies": Count("pk"),
        "solved": Count("pk", filter=Q(category__counts_as_solved=True)),
        "planned": Count("pk", filter=Q(category__counts_as_planned=True)),
    }


def _sent_replies(cohort):
    return Reply.objects.filter(suggestion__in=cohort.values("pk"), status=ReplyStatus.SENT, is_current=True)


def suggestion_rates(qs, year: int) -> dict:
    """The year's figures over an already scoped queryset: counts, rates and definitions."""
    cohort = year_cohort(qs, year)
    counts = cohort.aggregate(**_suggestion_aggregates())
    counts.update(Evaluation.objects.filter(suggestion__in=cohort.values("pk")).aggregate(**_evaluation_aggregates()))
    counts.update(_sent_replies(cohort).aggregate(**_reply_aggregates()))
    return {"year": year, "counts": counts, "rates": _rates(counts), "definitions": RATE_DEFINITIONS}


DIMENSIONS = {
    "unit": _("承办单位"),
    "category": _("建议分类"),
    "delegation": _("代表团"),
    "key_level": _("重点督办级别"),
}
_SUGGESTION_PATH = {"category": "category__name", "delegation": "lead_deputy__delegation__name", "key_level": "key_level"}


def rates_by(qs, year: int, dimension: str) -> list[dict]:
    """The same figures grouped by handling unit, category, delegation or key-supervision
    level: a constant number of grouped queries whatever the number of rows."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    cohort = year_cohort(qs, year)
    rows: dict = defaultdict(dict)
    if dimension == "unit":
        # Counted per answering unit: an item answered separately by two units counts for each.
        assignments = Assignment.objects.filter(
            suggestion__in=cohort.values("pk"), role__in=RESPONDING_ROLES
        ).exclude(status=AssignmentStatus.RETURNED)
        for r in assignments.values("unit__name").annotate(
            received=Count("pk"),
            assigned=Count("pk"),
            replied=Count("pk", filter=Q(first_replied_on__isnull=False)),
            on_time=Count("pk", filter=Q(first_replied_on__lte=F("due_date"))),
            closed=Count("pk", filter=Q(suggestion__status=S.CLOSED)),
            key=Count("pk", filter=~Q(suggestion__key_level="")),
        ):
            rows[r.pop("unit__name")].update(r)
        ev_key, rep_key = "assignment__unit__name", "assignment__unit__name"
        evs = Evaluation.objects.filter(suggestion__in=cohort.values("pk"))
    else:
        path = _SUGGESTION_PATH[dimension]
        for r in cohort.values(path).annotate(**_suggestion_aggregates()):
            rows[r.pop(path)].update(r)
        ev_key = rep_key = f"suggestion__{path}"
        evs = Evaluation.objects.filter(suggestion__in=cohort.values("pk"))
    for r in evs.values(ev_key).annotate(**_evaluation_aggregates()):
        rows[r.pop(ev_key)].update(r)
    for r in _sent_replies(cohort).values(rep_key).annotate(**_reply_aggregates()):
        rows[r.pop(rep_key)].update(r)
    labels = dict(KeyLevel.choices) if dimension == "key_level" else {}
    result = []
    for key, counts in rows.items():
        if dimension == "key_level" and not key:
            label = _("非重点督办")
        else:
            label = labels.get(key, key) if key else _("未分类")
        result.append({"key": key or "", "label": str(label), "counts": counts, "rates": _rates(counts)})
    result.sort(key=lambda r: (-(r["counts"].get("assigned") or 0), r["label"]))
    return result


# ---------------------------------------------------------------- deadlines and colours
def due_colour(due: dt.date | None, on: dt.date | None = None) -> str:
    """Colour of a deadline (domain §8), the same everywhere in the product: blue when due
    within overdue_blue_days, orange once overdue, red when more than overdue_listing_days
    overdue (listed for the 主任会议)."""
    from congress.reminder_engine import overdue_colour

    return overdue_colour(due, on or today())


def overdue_assignments(assignment_qs, on: dt.date | None = None, *, include_due_soon: bool = False):
    """Answering units' assignments not yet replied whose deadline has passed (or is within
    15 days), oldest first, with what the list renders loaded."""
    on = on or today()
    limit = on + dt.timedelta(days=15) if include_due_soon else on - dt.timedelta(days=1)
    return (
        assignment_qs.filter(
            role__in=RESPONDING_ROLES,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED, AssignmentStatus.RETURN_REQUESTED],
            suggestion__status__in=[S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REQUESTED, S.REHANDLING],
            due_date__lte=limit,
        )
        .select_related("unit", "suggestion", "suggestion__lead_deputy", "suggestion__session")
        .order_by("due_date", "id")
    )


def overdue_by_unit(assignment_qs, on: dt.date | None = None) -> list[dict]:
    on = on or today()
    listing = on - dt.timedelta(days=period("overdue_listing_days"))
    return list(
        overdue_assignments(assignment_qs, on)
        .values("unit__name")
        .annotate(overdue=Count("pk"), long_overdue=Count("pk", filter=Q(due_date__lt=listing)))
        .order_by("-overdue", "unit__name")
    )


# ---------------------------------------------------------------- duty record (履职档案)
def duty_record(deputy, *, year: int | None = None, viewer=None) -> dict:
    """What a deputy did, built from their bills, suggestions, co-signatures, activities and
    the citizens' opinions they collected (Deputies Law art. 58)."""
    sugg = Suggestion.objects.filter(lead_deputy=deputy).exclude(status__in=[S.DRAFT, S.WITHDRAWN])
    bills = Bill.objects.filter(lead_deputy=deputy).exclude(status__in=["draft", "withdrawn"])
    cos = CoSignature.objects.filter(deputy=deputy, status=CoSignStatus.CONFIRMED)
    acts = Activity.objects.filter(deputies=deputy)
    ops = CitizenOpinion.objects.filter(deputy=deputy)
    if year:
        sugg = sugg.filter(received_on__year=year)
        bills = bills.filter(submitted_at__year=year)
        cos = cos.filter(Q(suggestion__received_on__year=year) | Q(bill__submitted_at__year=year))
        acts = acts.filter(date__year=year)
        ops = ops.filter(received_on__year=year)
    by_kind = dict(acts.values_list("kind").annotate(n=Count("pk")))
    act_totals = acts.aggregate(n=Count("pk"), people=Sum("people_received"))
    return {
        "deputy": deputy,
        "year": year,
        "suggestions": sugg.count(),
        "suggestions_replied": sugg.filter(first_replied_on__isnull=False).count(),
        "bills": bills.count(),
        "cosigned_suggestions": cos.filter(suggestion__isnull=False).count(),
        "cosigned_bills": cos.filter(bill__isnull=False).count(),
        "activities": act_totals["n"] or 0,
        "people_received": act_totals["people"] or 0,
        "activities_by_kind": [(str(label), by_kind.get(value, 0)) for value, label in ActivityKind.choices],
        "opinions": ops.count(),
        "opinions_answered": ops.filter(Q(status="answered") | Q(answered_on__isnull=False)).count(),
    }


def unit_counts(assignment_qs, on: dt.date | None = None) -> dict:
    """A unit's worklist numbers: to sign for, due within 15 days, overdue."""
    on = on or today()
    live = assignment_qs.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES)
    return live.aggregate(
        to_sign=Count("pk", filter=Q(status=AssignmentStatus.ASSIGNED)),
        due_soon=Count(
            "pk",
            filter=Q(status=AssignmentStatus.SIGNED, role__in=RESPONDING_ROLES, due_date__gte=on,
                     due_date__lte=on + dt.timedelta(days=15)),
        ),
        overdue=Count(
            "pk",
            filter=Q(status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED], role__in=RESPONDING_ROLES,
                     due_date__lt=on),
        ),
    )
