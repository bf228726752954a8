"""Similar items come from the bigram index and rank exactly as a full read of the term."""

import math
from collections import Counter

import pytest
from django.core.management import call_command

from congress.models import User
from deputies import selectors
from deputies import services as svc
from deputies.choices import SuggestionStatus as S
from deputies.models import GramFrequency, Suggestion, SuggestionGram


def _reference(suggestion, pool, limit=5, min_score=0.1):
    """The former algorithm: every text of the term read and weighted in Python."""
    rows = list(
        pool.filter(term_id=suggestion.term_id).exclude(pk=suggestion.pk).exclude(status__in=[S.DRAFT, S.WITHDRAWN])
        .values_list("pk", "title", "situation", "proposal")
    )
    docs = [(pk, selectors._doc(t, si, pr)) for pk, t, si, pr in rows]
    target = selectors._doc(suggestion.title, suggestion.situation, suggestion.proposal)
    df = Counter()
    for _pk, d in docs:
        df.update(d.keys())
    df.update(target.keys())
    n = len(docs) + 1
    idf = {g: math.log((n + 1) / (c + 1)) + 1.0 for g, c in df.items()}
    target_w = selectors._weighted(target, idf)
    scored = sorted(
        ((selectors.cosine(target_w, selectors._weighted(d, idf)), pk) for pk, d in docs), reverse=True
    )
    return [(pk, round(score, 3)) for score, pk in scored if score >= min_score][:limit]


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", "--quiet")


def _index_state():
    return (
        sorted(SuggestionGram.objects.values_list("suggestion_id", "term_id", "gram")),
        sorted(GramFrequency.objects.filter(df__gt=0).values_list("term_id", "gram", "df")),
    )


def test_top_five_match_a_full_read_of_the_term_on_the_demo(demo):
    office = User.objects.get(username="assign")
    pool = Suggestion.objects.visible_to(office)
    compared = 0
    for s in Suggestion.objects.all():
        new = [(o.pk, score) for o, score in selectors.similar_suggestions(s, pool)]
        assert new == _reference(s, pool), s.title
        compared += bool(new)
    assert compared >= 20


def test_index_follows_edits_submission_and_withdrawal(demo, settings):
    deputy = User.objects.get(username="deputy1")
    office = User.objects.get(username="assign")
    pool = Suggestion.objects.visible_to(office)
    probe = Suggestion.objects.filter(status=S.UNDER_REVIEW).first()
    draft = svc.suggestion_create(actor=deputy, title="关于城区河道黑臭水体整治的建议",
                                  situation="河道黑臭，居民投诉。", proposal="截污纳管，清淤疏浚。")
    assert not SuggestionGram.objects.filter(suggestion=draft).exists()
    svc.suggestion_submit(actor=deputy, suggestion=draft, version=draft.version)
    assert SuggestionGram.objects.filter(suggestion=draft, gram="黑臭").exists()
    draft.refresh_from_db()
    svc.suggestion_withdraw(actor=deputy, suggestion=draft, reason="重复")
    assert not SuggestionGram.objects.filter(suggestion=draft).exists()
    # What the writes left equals an index rebuilt from scratch, and ranking still matches.
    before = _index_state()
    call_command("rebuild_similarity_index", stdout=open("/dev/null", "w"))
    assert _index_state() == before
    new = [(o.pk, score) for o, score in selectors.similar_suggestions(probe, pool)]
    assert new and new == _reference(probe, pool)


def test_common_bigrams_are_skipped_and_candidates_capped(demo, settings):
    office = User.objects.get(username="assign")
    pool = Suggestion.objects.visible_to(office)
    probe = next(s for s in Suggestion.objects.exclude(status__in=[S.DRAFT, S.WITHDRAWN])
                 if selectors.similar_suggestions(s, pool))
    settings.SIMILAR_MAX_DF = 0
    assert selectors.similar_suggestions(probe, pool) == []
    settings.SIMILAR_MAX_DF = 5000
    settings.SIMILAR_CANDIDATES = 1
    assert len(selectors.similar_suggestions(probe, pool)) <= 1


def _copies(probe, k, start):
    """k sent-in copies of the probe's text in its term, indexed as a bulk load would be."""
    rows = Suggestion.objects.bulk_create([
        Suggestion(term_id=probe.term_id, session_id=probe.session_id, serial=start + i, title=probe.title,
                   situation=probe.situation, proposal=probe.proposal, lead_deputy_id=probe.lead_deputy_id,
                   status=S.CLOSED)
        for i in range(k)
    ])
    for s in rows:
        s.refresh_from_db()
        selectors.index_suggestion(s)


def test_rows_read_are_bounded_whatever_the_size_of_the_term(demo, settings, monkeypatch):
    """Texts read and scored stay at SIMILAR_CANDIDATES (and the statements the same)
    whether the term holds 30 or 150 items sharing the probe's rare bigrams."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SIMILAR_CANDIDATES = 12
    settings.SIMILAR_MAX_DF = 100_000
    office = User.objects.get(username="assign")
    pool = Suggestion.objects.visible_to(office)
    probe = Suggestion.objects.filter(status=S.UNDER_REVIEW).first()
    read = []
    real_doc = selectors._doc
    monkeypatch.setattr(selectors, "_doc", lambda *a: read.append(a) or real_doc(*a))

    def run():
        read.clear()
        with CaptureQueriesContext(connection) as ctx:
            found = selectors.similar_suggestions(probe, pool)
        return found, len(read), len(ctx.captured_queries)

    _copies(probe, 30, 90_000)
    small = run()
    _copies(probe, 120, 91_000)
    large = run()
    assert len(small[0]) == len(large[0]) == 5
    assert all(score == 1.0 for _o, score in large[0])
    assert small[1] <= settings.SIMILAR_CANDIDATES + 1 and large[1] <= settings.SIMILAR_CANDIDATES + 1
    assert small[2] == large[2]
    # The postings read are bounded too: a budget below the probe's rarest bigram's
    # frequency reads none and finds nothing.
    settings.SIMILAR_POSTINGS_BUDGET = 100
    assert run()[0] == []
