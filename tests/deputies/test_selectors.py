"""Similarity on Chinese text, the year's rates with their definitions (domain §2), colours."""

import datetime as dt

from congress.workdays import today
from deputies import selectors
from deputies import services as svc
from deputies.choices import KeyLevel, Rating
from deputies.choices import SuggestionStatus as S
from deputies.models import Evaluation, ReplyCategory, Suggestion


def test_character_bigrams_work_without_a_word_list():
    grams = selectors.ngrams("加快学校建设，缓解大班额 AI")
    assert grams["学校"] == 1 and grams["大班"] == 1 and grams["ai"] == 1
    assert "，" not in "".join(grams)
    same = selectors.cosine(selectors.ngrams("城区学校大班额"), selectors.ngrams("缓解城区学校大班额问题"))
    other = selectors.cosine(selectors.ngrams("城区学校大班额"), selectors.ngrams("农村医疗保障水平"))
    assert same > 0.6 and other == 0


def test_most_similar_items_of_the_term_and_the_unit_that_handled_them(world, users):
    edu = world.suggestion(S.CLOSED, title="关于化解城区中小学大班额的建议", situation="城区学校班额过大。",
                           proposal="新建学校，扩充学位。")
    world.suggestion(S.CLOSED, title="关于加强农贸市场管理的建议", situation="农贸市场脏乱。", proposal="加强管理。",
                     unit=world.other_unit)
    draft = world.suggestion(S.DRAFT, title="关于化解城区中小学大班额问题的建议")
    new = world.suggestion(S.UNDER_REVIEW, title="关于尽快解决城区学校大班额的建议", lead="other_deputy",
                           situation="部分学校班额超过五十五人。", proposal="加快新建学校。")
    similar = selectors.similar_suggestions(new, Suggestion.objects.visible_to(users["office"]))
    ids = [s.pk for s, _score in similar]
    assert ids[0] == edu.pk and draft.pk not in ids
    assert selectors.suggest_unit(similar) == world.unit
    # a deputy's pool holds only what they may see
    assert selectors.similar_suggestions(new, Suggestion.objects.visible_to(users["other_deputy"])) == []


def _rated(s, result, *, no_feedback=False, round_=1):
    r = s.replies.get(is_current=True)
    Evaluation.objects.create(reply=r, suggestion=s, assignment=r.assignment, round=round_, deputy=s.lead_deputy,
                              attitude="" if no_feedback else Rating.SATISFIED, result="" if no_feedback else result,
                              no_feedback=no_feedback)


def test_rates_follow_the_definitions(world, users):
    # Given the year's items in various states
    s1 = world.suggestion(S.CLOSED)  # A, rated 满意
    s2 = world.suggestion(S.REPLIED)
    s2.replies.update(category=ReplyCategory.objects.get(code="B"))
    _rated(s2, Rating.BASIC)
    s3 = world.suggestion(S.REPLIED)
    s3.replies.update(category=ReplyCategory.objects.get(code="C"))
    _rated(s3, "", no_feedback=True)
    world.suggestion(S.IN_PROGRESS, unit=world.other_unit)
    world.suggestion(S.UNDER_REVIEW)
    s6 = world.suggestion(S.REHANDLING)  # A, rated 不满意 in round 1, being re-handled
    s6.key_level = KeyLevel.DIRECTOR
    s6.save()
    # When the rates are computed over what the director sees
    data = selectors.suggestion_rates(Suggestion.objects.visible_to(users["director"]), today().year)
    c, r = data["counts"], data["rates"]
    # Then each figure follows its definition
    assert (c["received"], c["assigned"], c["replied"], c["on_time"], c["closed"]) == (6, 5, 4, 4, 1)
    assert r["reply_rate"] == 80.0 and r["on_time_rate"] == 80.0 and r["closed_rate"] == 20.0
    assert c["returned_evaluations"] == 3 and c["unanswered"] == 1  # 未反馈 stays out of the satisfaction rate
    assert r["satisfaction_rate"] == 66.7 and r["satisfied_rate"] == 33.3 and r["first_round_rate"] == 66.7
    assert r["solved_rate"] == 50.0 and r["solved_or_planned_rate"] == 75.0
    assert c["key"] == 1
    assert [d[0] for d in data["definitions"]] == [
        "reply_rate", "on_time_rate", "closed_rate", "satisfaction_rate", "satisfied_rate", "first_round_rate",
        "solved_rate", "solved_or_planned_rate",
    ]
    assert s1.pk
    # and by dimension
    by_unit = {row["label"]: row for row in selectors.rates_by(Suggestion.objects.all(), today().year, "unit")}
    assert by_unit["江州市教育局"]["counts"]["assigned"] == 4 and by_unit["江州市教育局"]["rates"]["reply_rate"] == 100.0
    assert by_unit["江州市住房和城乡建设局"]["rates"]["reply_rate"] == 0.0
    by_key = {row["label"]: row for row in selectors.rates_by(Suggestion.objects.all(), today().year, "key_level")}
    assert by_key["主任督办"]["counts"]["assigned"] == 1 and by_key["非重点督办"]["counts"]["assigned"] == 4
    by_delegation = selectors.rates_by(Suggestion.objects.all(), today().year, "delegation")
    assert sum(row["counts"]["received"] for row in by_delegation) == 6
    # a unit's figures cover only its own items
    unit_view = selectors.suggestion_rates(Suggestion.objects.visible_to(users["other_unit_clerk"]), today().year)
    assert unit_view["counts"]["assigned"] == 1
    # another year has nothing
    assert selectors.suggestion_rates(Suggestion.objects.all(), today().year - 1)["rates"]["reply_rate"] is None


def test_due_colours(db):
    on = dt.date(2026, 6, 30)
    assert selectors.due_colour(on - dt.timedelta(days=16), on) == "red"
    assert selectors.due_colour(on - dt.timedelta(days=15), on) == "orange"
    assert selectors.due_colour(on - dt.timedelta(days=1), on) == "orange"
    assert selectors.due_colour(on, on) == "blue"
    assert selectors.due_colour(on + dt.timedelta(days=7), on) == "blue"
    assert selectors.due_colour(on + dt.timedelta(days=8), on) == ""


def test_duty_record_counts_everything_the_deputy_did(world, users):
    world.suggestion(S.CLOSED)
    other = world.suggestion(S.SUBMITTED, lead="other_deputy")
    world.invite(other, key="lead", status="confirmed")
    svc.activity_create(actor=users["lead"], kind="reception", title="接待日", date=today(), people_received=20)
    svc.activity_create(actor=users["lead"], kind="training", title="履职培训", date=today())
    svc.opinion_register(actor=users["lead"], content="路灯", received_on=today())
    rec = selectors.duty_record(world.deputy("lead"))
    assert (rec["suggestions"], rec["suggestions_replied"], rec["cosigned_suggestions"]) == (1, 1, 1)
    assert (rec["activities"], rec["people_received"], rec["opinions"]) == (2, 20, 1)
    assert dict(rec["activities_by_kind"])["培训"] == 1
