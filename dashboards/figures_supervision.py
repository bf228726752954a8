"""Figures of supervision work (domain §3, §7), computed from the `supervision` app.

A supervision item belongs to the year of its plan (its `year`). An item still only
planned, or cancelled, has not been carried out and is not counted."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .figures import Column, Metric, Source, safe_reverse


def _item_url(obj):
    return safe_reverse("supervision:item-detail", obj.pk)


def _child_url(obj):
    return safe_reverse("supervision:item-detail", obj.item_id)


def metrics() -> list[Metric]:
    from supervision import choices as sc
    from supervision.models import (
        AppraisalTarget,
        AuditProblem,
        FiledDocument,
        LivelihoodProject,
        SatisfactionVote,
        SupervisionItem,
    )

    T = sc.SupervisionType
    not_done = [sc.ItemStatus.PLANNED, sc.ItemStatus.CANCELLED]
    # Held (heard) as opposed to only under way: an inquiry counts once it took place.
    st = sc.ItemStatus
    held = [st.HEARD, st.OPINIONS_ISSUED, st.REPORTED, st.FOLLOW_UP, st.CLOSED]
    child_columns_item = Column(_("监督事项"), "item")

    items = Source(
        key="supervision_items",
        base=lambda user: SupervisionItem.objects.visible_to(user).exclude(status__in=not_done),
        date_field="year",
        int_year=True,
        related=("lead_office", "target_unit"),
        ordering=("hearing_date", "start_date", "id"),
        detail_url=_item_url,
        columns=(
            Column(_("题目"), "title"),
            Column(_("监督方式"), "get_kind_display"),
            Column(_("监督对象"), "target_unit"),
            Column(_("牵头委室"), "lead_office"),
            Column(_("开始日期"), "start_date"),
            Column(_("审议日期"), "hearing_date"),
            Column(_("状态"), "get_status_display"),
        ),
    )
    appraised = Source(
        key="appraisal_targets",
        base=lambda user: AppraisalTarget.objects.visible_to(user).exclude(item__status__in=not_done),
        date_field="item__year",
        int_year=True,
        related=("item", "unit"),
        ordering=("item_id", "id"),
        detail_url=_child_url,
        columns=(
            Column(_("评议对象"), "person_name"),
            Column(_("职务"), "position"),
            Column(_("所在单位"), "unit"),
            Column(_("测评结果"), "get_result_display"),
            child_columns_item,
        ),
    )
    projects = Source(
        key="livelihood_projects",
        base=lambda user: LivelihoodProject.objects.visible_to(user).exclude(item__status=sc.ItemStatus.CANCELLED),
        date_field="item__year",
        int_year=True,
        related=("item", "department"),
        ordering=("item_id", "id"),
        detail_url=_child_url,
        columns=(
            Column(_("项目名称"), "name"),
            Column(_("责任单位"), "department"),
            Column(_("预算（万元）"), "budget"),
            Column(_("状态"), "get_status_display"),
            Column(_("进度（%）"), "progress_percent"),
        ),
    )
    problems = Source(
        key="audit_problems",
        base=lambda user: AuditProblem.objects.visible_to(user).exclude(item__status=sc.ItemStatus.CANCELLED),
        date_field="item__year",
        int_year=True,
        related=("item", "responsible_unit"),
        ordering=("item_id", "id"),
        detail_url=_child_url,
        columns=(
            Column(_("序号"), "number"),
            Column(_("问题"), lambda p: p.description[:60]),
            Column(_("责任单位"), "responsible_unit"),
            Column(_("整改类型"), "get_rectification_kind_display"),
            Column(_("整改状态"), "get_status_display"),
            Column(_("销号日期"), "rectified_on"),
        ),
    )
    votes = Source(
        key="satisfaction_votes",
        base=lambda user: SatisfactionVote.objects.visible_to(user),
        date_field="voted_on",
        related=("item",),
        ordering=("voted_on", "id"),
        detail_url=_child_url,
        columns=(
            Column(_("测评日期"), "voted_on"),
            Column(_("测评对象"), lambda v: v.subject or v.item),
            Column(_("满意票"), "satisfied"),
            Column(_("基本满意票"), "basically_satisfied"),
            Column(_("不满意票"), "dissatisfied"),
            Column(_("测评结果"), "get_result_display"),
        ),
    )
    filings = Source(
        key="filed_documents",
        base=lambda user: FiledDocument.objects.visible_to(user),
        date_field="item__year",
        int_year=True,
        related=("item", "maker"),
        ordering=("published_on", "id"),
        detail_url=_child_url,
        columns=(
            Column(_("文件名称"), "title"),
            Column(_("文号"), "doc_number"),
            Column(_("制定机关"), "maker"),
            Column(_("报备日期"), "filed_on"),
            Column(_("状态"), "get_status_display"),
        ),
    )

    return [
        Metric(
            key="supervision_items",
            label=_("开展监督工作"),
            unit=_("项"),
            group="supervision",
            source=items,
            definition=_("本年已开展（不含仅在计划中的和已取消的）的各类监督事项。"),
            order=10,
        ),
        Metric(
            key="three_checks",
            label=_("“三查(察)”活动"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=items,
            where=Q(kind__in=list(sc.THREE_CHECKS_TYPES)),
            definition=_("视察、调研、执法检查合计（“三查(察)”），仅计已开展的。"),
            order=20,
        ),
        Metric(
            key="law_inspections",
            label=_("其中：执法检查"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=items,
            where=Q(kind=T.LAW_INSPECTION),
            definition=_("已开展的执法检查。"),
            order=21,
        ),
        Metric(
            key="inspection_visits",
            label=_("其中：视察"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=items,
            where=Q(kind=T.INSPECTION_VISIT),
            definition=_("已开展的视察。"),
            order=22,
        ),
        Metric(
            key="research",
            label=_("其中：调研"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=items,
            where=Q(kind=T.RESEARCH),
            definition=_("已开展的调研。"),
            order=23,
        ),
        Metric(
            key="inquiries",
            label=_("专题询问和面对面询问合计"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=items,
            where=Q(kind__in=list(sc.INQUIRY_TYPES), status__in=held),
            definition=_("已举行的专题询问和面对面询问。"),
            order=30,
        ),
        Metric(
            key="special_inquiries",
            label=_("其中：专题询问"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=items,
            where=Q(kind=T.SPECIAL_INQUIRY, status__in=held),
            definition=_("已举行的专题询问。"),
            order=31,
        ),
        Metric(
            key="face_inquiries",
            label=_("其中：面对面询问"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=items,
            where=Q(kind=T.FACE_INQUIRY, status__in=held),
            definition=_("已举行的面对面询问。"),
            order=32,
        ),
        Metric(
            key="interpellations",
            label=_("质询"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=items,
            where=Q(kind=T.INTERPELLATION),
            definition=_("提出的质询案（监督法第三十五条）。"),
            order=35,
        ),
        Metric(
            key="appraisals",
            label=_("工作评议和履职评议合计"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=items,
            where=Q(kind__in=list(sc.APPRAISAL_TYPES)),
            definition=_("已开展的工作评议和履职评议。"),
            order=40,
        ),
        Metric(
            key="work_appraisals",
            label=_("其中：工作评议"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=items,
            where=Q(kind=T.WORK_APPRAISAL),
            definition=_("已开展的工作评议。"),
            order=41,
        ),
        Metric(
            key="performance_appraisals",
            label=_("其中：履职评议"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=items,
            where=Q(kind=T.PERFORMANCE_APPRAISAL),
            definition=_("已开展的履职评议。"),
            order=42,
        ),
        Metric(
            key="appraised_persons",
            label=_("评议对象"),
            unit=_("人"),
            group="supervision",
            source=appraised,
            definition=_("工作评议、履职评议的评议对象（如法官、检察官“两官”）。"),
            order=45,
        ),
        Metric(
            key="satisfaction_votes",
            label=_("满意度测评"),
            unit=pgettext_lazy("unit of count", "次"),
            group="supervision",
            source=votes,
            definition=_("常委会组成人员对报告进行的满意度测评。"),
            order=50,
        ),
        Metric(
            key="satisfaction_vote_pass_rate",
            label=_("测评满意（含基本满意）比例"),
            group="supervision",
            source=votes,
            numerator=Q(result__in=[sc.VoteResult.SATISFIED, sc.VoteResult.BASICALLY_SATISFIED]),
            definition=_("测评结果为满意或基本满意的测评 ÷ 全部测评。"),
            order=51,
        ),
        Metric(
            key="livelihood_projects",
            label=_("监督民生实事项目"),
            unit=_("个"),
            group="supervision",
            source=projects,
            where=Q(status__in=[sc.ProjectStatus.ELECTED, sc.ProjectStatus.COMPLETED]),
            definition=_("人代会票决通过并由常委会监督实施的民生实事项目（候选未通过的不计）。"),
            order=60,
        ),
        Metric(
            key="livelihood_completion_rate",
            label=_("民生实事项目完成率"),
            group="supervision",
            source=projects,
            where=Q(status__in=[sc.ProjectStatus.ELECTED, sc.ProjectStatus.COMPLETED]),
            numerator=Q(status=sc.ProjectStatus.COMPLETED),
            definition=_("已完成的项目 ÷ 票决通过的项目。"),
            order=61,
        ),
        Metric(
            key="audit_problems",
            label=_("审计查出问题"),
            unit=_("个"),
            group="supervision",
            source=problems,
            definition=_("本年审计查出问题整改监督清单中的问题。"),
            order=70,
        ),
        Metric(
            key="audit_rectification_rate",
            label=_("审计查出问题整改率"),
            group="supervision",
            source=problems,
            numerator=Q(status=sc.ProblemStatus.RECTIFIED),
            definition=_("整改率 = 已整改到位（对账销号）的问题 ÷ 全部问题。"),
            order=71,
        ),
        Metric(
            key="filed_documents",
            label=_("备案审查规范性文件"),
            unit=_("件"),
            group="supervision",
            source=filings,
            definition=_("报送常委会备案审查的规范性文件。"),
            order=80,
        ),
    ]
