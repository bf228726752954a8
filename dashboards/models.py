"""Records of the year-end report that the system cannot derive from other records:
the wording of the summary draft and figures entered by hand."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import TimeStampedModel
from congress.scoping import ScopedQuerySet


class InternalOnlyQuerySet(ScopedQuerySet):
    """The year-end draft and hand-entered figures are the committee's internal work."""

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_internal:
            return self.none()
        return self


key_validator = RegexValidator(r"^[a-z][a-z0-9_]*$", _("只能使用小写英文字母、数字和下划线，并以字母开头。"))


class ManualFigure(TimeStampedModel):
    """A figure the records cannot give (domain §7: e.g. investment attracted, press
    articles published, reports to the Party committee), entered by hand with the reason
    it is entered by hand. Always shown as entered by hand, never mixed up with computed
    figures; it can be used in the summary draft like any other figure."""

    objects = InternalOnlyQuerySet.as_manager()

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    figure_key = models.CharField(
        _("代码"),
        max_length=50,
        validators=[key_validator],
        help_text=_("在年终总结中以 {代码} 引用，例如 press_articles。"),
    )
    label = models.CharField(_("名称"), max_length=100)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    group = models.CharField(_("分组"), max_length=20, default="manual")
    reason = models.TextField(_("手工填报理由"), help_text=_("说明为什么系统无法统计以及数据来源。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("手工填报数据")
        verbose_name_plural = _("手工填报数据")
        ordering = ["year", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["year", "figure_key"], name="manualfigure_year_key_unique")]

    def __str__(self):
        return f"{self.year} {self.label}"

    def as_figure(self):
        from .figures import Figure

        value = self.value
        if value == value.to_integral_value():
            value = Decimal(int(value))
        return Figure(
            key=self.figure_key,
            label=self.label,
            value=value,
            unit=self.unit,
            definition=self.reason,
            group=self.group or "manual",
            manual=True,
            reason=self.reason,
            list_url=f"{reverse('dashboards:manual-list')}?year={self.year}",
            order=1000 + self.order,
        )


class YearSummary(TimeStampedModel):
    """The wording of the year-end summary draft. The text holds placeholders such as
    {standing_meetings} that are filled with the year's figures when shown or downloaded,
    so staff edit the prose and the numbers stay those of the records. Every save bumps
    the version and is kept in the history with the text before and after."""

    objects = InternalOnlyQuerySet.as_manager()

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(
        _("正文"),
        help_text=_("每段一行；以“一、”“二、”开头的行是节标题。用 {代码} 引用数据，例如 {standing_meetings}。"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("年终总结草稿")
        verbose_name_plural = _("年终总结草稿")
        ordering = ["-year"]

    def __str__(self):
        return self.title


class FiguresState(models.Model):
    """One row: the generation of the records the year figures are computed from. Every
    committed write to a table any figure reads bumps it (dashboards.figure_store), so a
    stored year's figures are current exactly while their generation is this one."""

    generation = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("统计数据版本")
        verbose_name_plural = _("统计数据版本")

    def __str__(self):
        return str(self.generation)


class YearFigures(models.Model):
    """The computed figures of one year as internal users see them (every internal user
    reads the same records), stored so that the dashboard reads them instead of counting
    the year's records on every request. Only served while current: same generation of
    the records, computed today (a figure such as 逾期 moves with the date) and with the
    same set of figures; otherwise the dashboard computes them again. A cache, never a
    record: deleting every row loses nothing."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    values = models.JSONField(_("数据"), default=dict, help_text=_("{代码: [合计, 分子]}"))
    generation = models.BigIntegerField(_("数据版本"))
    signature = models.CharField(_("指标集"), max_length=64)
    computed_on = models.DateField(_("计算日期"))
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("年度统计快照")
        verbose_name_plural = _("年度统计快照")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)
