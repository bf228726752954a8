"""Figures of deputies' bills and suggestions and of deputies' work (domain §2 rates,
§6, §7), computed from the `deputies` app's records.

A suggestion belongs to the year it was received (submitted), as in the deputies app's
own statistics (deputies.selectors.year_cohort), so both pages show the same numbers;
a bill belongs to the year of its congress session. The rates' definitions are those of
domain §2 and deputies.selectors.RATE_DEFINITIONS."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .figures import Column, Metric, Source, safe_reverse


def _suggestion_url(obj):
    return safe_reverse("deputies:suggestion-detail", obj.pk)


def _of_suggestion_url(obj):
    return safe_reverse("deputies:suggestion-detail", obj.suggestion_id)


def _bill_url(obj):
    return safe_reverse("deputies:bill-detail", obj.pk)


def _activity_url(obj):
    return safe_reverse("deputies:activity-detail", obj.pk)


def _opinion_url(obj):
    return safe_reverse("deputies:opinion-detail", obj.pk)


def metrics() -> list[Metric]:
    from deputies import choices as dc
    from deputies.models import Activity, Bill, CitizenOpinion, Evaluation, Reply, Suggestion

    S = dc.SuggestionStatus
    B = dc.BillStatus
    # Handed to a unit and still with one: a withdrawn, rejected or merged item never is
    # (withdrawal is only possible before assignment), and an item given back to the office
    # after an approved return waits to be assigned again.
    assigned_states = [S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REQUESTED, S.REPLIED, S.REHANDLING, S.CLOSED]
    rated = Q(no_feedback=False) & ~Q(result="")
    good = Q(result__in=[dc.Rating.SATISFIED, dc.Rating.BASIC])
    bill_concluded = [B.ADOPTED, B.NOT_ADOPTED, B.HANDLED, B.CONVERTED, B.NOT_A_BILL]

    suggestions = Source(
        key="suggestions",
        base=lambda user: Suggestion.objects.visible_to(user),
        date_field="received_on",
        related=("session", "lead_deputy"),
        ordering=("received_on", "serial", "id"),
        detail_url=_suggestion_url,
        columns=(
            Column(_("编号"), "number"),
            Column(_("标题"), "title"),
            Column(_("领衔代表"), "lead_deputy"),
            Column(_("状态"), "get_status_display"),
            Column(_("交办日期"), "assigned_on"),
            Column(_("答复期限"), "due_date"),
            Column(_("首次答复"), "first_replied_on"),
        ),
    )
    evaluations = Source(
        key="evaluations",
        base=lambda user: Evaluation.objects.visible_to(user),
        date_field="suggestion__received_on",
        related=("suggestion", "assignment__unit", "deputy"),
        ordering=("suggestion__serial", "round", "id"),
        detail_url=_of_suggestion_url,
        columns=(
            Column(_("建议"), "suggestion"),
            Column(_("承办单位"), "assignment.unit"),
            Column(_("轮次"), "round"),
            Column(_("办理态度"), "get_attitude_display"),
            Column(_("办理结果"), "get_result_display"),
            Column(_("未反馈"), lambda e: _("是") if e.no_feedback else ""),
        ),
    )
    # The replies sent (the current one of each unit after any re-handling), as in
    # deputies.selectors: only lead and separately-answering units send replies.
    answers = Source(
        key="answers",
        base=lambda user: Reply.objects.visible_to(user).filter(status=dc.ReplyStatus.SENT, is_current=True),
        date_field="suggestion__received_on",
        related=("suggestion", "assignment__unit", "category"),
        ordering=("suggestion__serial", "id"),
        detail_url=_of_suggestion_url,
        columns=(
            Column(_("建议"), "suggestion"),
            Column(_("承办单位"), "assignment.unit"),
            Column(_("轮次"), "round"),
            Column(_("答复分类"), "category"),
            Column(_("答复日期"), "sent_on"),
        ),
    )
    bills = Source(
        key="bills",
        base=lambda user: Bill.objects.visible_to(user),
        date_field="session__start_date",
        related=("session", "lead_deputy"),
        ordering=("session__start_date", "serial", "id"),
        detail_url=_bill_url,
        columns=(
            Column(_("编号"), "number"),
            Column(_("案由"), "title"),
            Column(_("领衔代表"), "lead_deputy"),
            Column(_("状态"), "get_status_display"),
        ),
    )
    activities = Source(
        key="activities",
        base=lambda user: Activity.objects.visible_to(user),
        date_field="date",
        related=("station",),
        ordering=("date", "id"),
        detail_url=_activity_url,
        columns=(
            Column(_("日期"), "date"),
            Column(_("主题"), "title"),
            Column(_("类别"), "get_kind_display"),
            Column(_("联络站"), "station"),
            Column(_("接待群众人次"), "people_received"),
        ),
    )
    opinions = Source(
        key="citizen_opinions",
        base=lambda user: CitizenOpinion.objects.visible_to(user),
        date_field="received_on",
        related=("station", "routed_unit", "routed_office"),
        ordering=("received_on", "id"),
        detail_url=_opinion_url,
        columns=(
            Column(_("收集日期"), "received_on"),
            Column(_("联络站"), "station"),
            Column(_("意见内容"), lambda o: o.content[:60]),
            Column(_("来源"), "get_source_display"),
            Column(_("状态"), "get_status_display"),
            Column(_("答复日期"), "answered_on"),
        ),
    )

    assigned = Q(status__in=assigned_states)
    # An opinion counts as answered once it has an answer, whether or not the loop was closed afterwards.
    answered = Q(status=dc.OpinionStatus.ANSWERED) | Q(answered_on__isnull=False)
    return [
        Metric(
            key="bills",
            label=_("收到代表议案"),
            unit=_("件"),
            group="suggestions",
            source=bills,
            where=~Q(status__in=[B.DRAFT, B.WITHDRAWN]),
            definition=_("本年人代会代表提出的议案（不含草稿和撤回的）。"),
            order=10,
        ),
        Metric(
            key="bills_concluded_rate",
            label=_("议案办结率"),
            group="suggestions",
            source=bills,
            where=~Q(status__in=[B.DRAFT, B.WITHDRAWN]),
            numerator=Q(status__in=bill_concluded),
            definition=_("议案办结率 = 主席团已作出处理（表决、办结、作为建议处理、不作为议案）的议案 ÷ 收到的议案。"),
            order=11,
        ),
        Metric(
            key="suggestions",
            label=_("收到代表建议"),
            unit=_("件"),
            group="suggestions",
            source=suggestions,
            definition=_("本年收到（代表提交）的建议，含议案转为的建议和后来撤回、并案、不予立案的；未提交的草稿不计。"),
            order=20,
        ),
        Metric(
            key="suggestions_assigned",
            label=_("交办代表建议"),
            unit=_("件"),
            group="suggestions",
            source=suggestions,
            where=assigned,
            definition=_("已交办承办单位的建议；撤回、不予立案、并案和退回后待重新交办的不计。"),
            order=21,
        ),
        Metric(
            key="suggestion_reply_rate",
            label=_("答复率"),
            group="suggestions",
            source=suggestions,
            where=assigned,
            numerator=Q(first_replied_on__isnull=False),
            definition=_("答复率 = 已答复的建议 ÷ 交办的建议。"),
            order=22,
        ),
        Metric(
            key="suggestion_ontime_rate",
            label=_("按期答复率"),
            group="suggestions",
            source=suggestions,
            where=assigned,
            numerator=Q(replied_on_time=True),
            definition=_("按期答复率 = 在答复期限内答复的建议 ÷ 交办的建议。"),
            order=23,
        ),
        Metric(
            key="suggestion_closed_rate",
            label=_("办结率"),
            group="suggestions",
            source=suggestions,
            where=assigned,
            numerator=Q(status=S.CLOSED),
            definition=_("办结率 = 已办结的建议 ÷ 交办的建议（办结 = 已答复、已评价或评价期满、重新办理已完成）。"),
            order=24,
        ),
        Metric(
            key="suggestion_satisfaction_rate",
            label=_("满意率"),
            group="suggestions",
            source=evaluations,
            where=Q(reply__is_current=True) & rated,
            numerator=good,
            definition=_(
                "满意率 =（满意 + 基本满意）÷ 代表已反馈的评价（按办理结果，取当前答复的评价）；"
                "未反馈的不计入分母。"
            ),
            order=25,
        ),
        Metric(
            key="suggestion_fully_satisfied_rate",
            label=_("其中：满意"),
            group="suggestions",
            source=evaluations,
            where=Q(reply__is_current=True) & rated,
            numerator=Q(result=dc.Rating.SATISFIED),
            definition=_("满意（不含基本满意）÷ 代表已反馈的评价；未反馈的不计入分母。"),
            order=26,
        ),
        Metric(
            key="suggestion_first_round_satisfaction_rate",
            label=_("首轮满意率"),
            group="suggestions",
            source=evaluations,
            where=Q(round=1) & rated,
            numerator=good,
            definition=_("首轮满意率 = 第一轮答复的（满意 + 基本满意）÷ 第一轮已反馈的评价。"),
            order=27,
        ),
        Metric(
            key="suggestion_solved_rate",
            label=_("解决率"),
            group="suggestions",
            source=answers,
            where=Q(category__isnull=False),
            numerator=Q(category__counts_as_solved=True),
            definition=_("解决率 = A类（所提问题已经解决或者基本解决）答复 ÷ 全部答复（按各承办单位的当前答复计）。"),
            order=28,
        ),
        Metric(
            key="suggestion_solved_or_planned_rate",
            label=_("解决或计划解决率"),
            group="suggestions",
            source=answers,
            where=Q(category__isnull=False),
            numerator=Q(category__counts_as_solved=True) | Q(category__counts_as_planned=True),
            definition=_("解决或计划解决率 =（A类 + B类）答复 ÷ 全部答复。"),
            order=29,
        ),
        Metric(
            key="key_supervised",
            label=_("重点督办建议"),
            unit=_("件"),
            group="suggestions",
            source=suggestions,
            where=~Q(key_level=""),
            definition=_("主任会议确定的重点督办建议（代表法第五十二条）。"),
            order=30,
        ),
        Metric(
            key="merged_suggestions",
            label=_("并案处理建议"),
            unit=_("件"),
            group="suggestions",
            source=suggestions,
            where=Q(status=S.MERGED),
            definition=_("与内容相近的建议并案办理的建议，每位代表仍收到答复。"),
            order=31,
        ),
        Metric(
            key="receptions",
            label=_("代表接待选民活动"),
            unit=pgettext_lazy("unit of count", "次"),
            group="deputies",
            source=activities,
            where=Q(kind=dc.ActivityKind.RECEPTION),
            definition=_("代表在代表之家、联络站接待选民的活动。"),
            order=20,
        ),
        Metric(
            key="people_received",
            label=_("接待选民"),
            unit=_("人次"),
            group="deputies",
            source=activities,
            where=Q(kind=dc.ActivityKind.RECEPTION),
            sum_field="people_received",
            definition=_("接待选民活动登记的接待群众人次之和。"),
            order=21,
        ),
        Metric(
            key="opinions_collected",
            label=_("收集群众意见建议"),
            unit=_("条"),
            group="deputies",
            source=opinions,
            definition=_("在代表之家、联络站收集并登记的群众意见建议（与代表建议分别统计）。"),
            order=22,
        ),
        Metric(
            key="opinions_answered_rate",
            label=_("群众意见答复率"),
            group="deputies",
            source=opinions,
            numerator=answered,
            definition=_("群众意见答复率 = 已答复的群众意见 ÷ 收集的群众意见。"),
            order=23,
        ),
        Metric(
            key="code_opinions_received",
            label=_("代表码收到群众意见"),
            unit=_("条"),
            group="deputies",
            source=opinions,
            where=Q(source=dc.OpinionSource.CODE),
            definition=_("群众扫描代表码给代表留言的条数（按收到日期计入年度）。"),
            order=24,
        ),
        Metric(
            key="code_opinions_answered",
            label=_("代表码意见已答复"),
            unit=_("条"),
            group="deputies",
            source=opinions,
            where=Q(source=dc.OpinionSource.CODE) & answered,
            definition=_("代表码收到的意见中，代表、联络站或承办单位已作答复的条数。"),
            order=25,
        ),
        Metric(
            key="code_opinions_suggested",
            label=_("代表码意见转为代表建议"),
            unit=_("条"),
            group="deputies",
            source=opinions,
            where=Q(source=dc.OpinionSource.CODE, suggestion__isnull=False),
            definition=_("代表码收到的意见中，代表转为代表建议提出的条数。"),
            order=26,
        ),
        Metric(
            key="trainings",
            label=_("组织代表培训"),
            unit=pgettext_lazy("unit of count", "次"),
            group="deputies",
            source=activities,
            where=Q(kind=dc.ActivityKind.TRAINING),
            definition=_("登记为“培训”的代表活动。"),
            order=30,
        ),
        Metric(
            key="lectures",
            label=_("专题讲座"),
            unit=_("场"),
            group="deputies",
            source=activities,
            where=Q(kind=dc.ActivityKind.LECTURE),
            definition=_("邀请专家学者授课的专题讲座。"),
            order=31,
        ),
        Metric(
            key="deputy_activities",
            label=_("代表活动"),
            unit=pgettext_lazy("unit of count", "次"),
            group="deputies",
            source=activities,
            definition=_("登记的各类代表活动（接待选民、走访、视察、调研、培训、述职等）。"),
            order=40,
        ),
    ]
