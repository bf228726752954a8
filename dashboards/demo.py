"""Demo data of the year-end report: the figures a committee enters by hand (those of the
sample year review that no record gives) and a saved summary draft that uses them."""

from dashboards import services
from dashboards.figures import collect
from dashboards.models import ManualFigure, YearSummary
from dashboards.summary import default_body, default_title

# (code, label, value, unit, reason): the sample 2022 year review reports these.
MANUAL = [
    ("party_reports", "向党委专题请示报告", 24, "次", "办公室公文登记统计；系统不记录向党委的请示报告。"),
    ("press_articles", "在各类新闻媒体刊发稿件", 200, "篇", "宣传工作统计；新闻稿件不在本系统中登记。"),
    ("bulletins", "编发内刊", 11, "期", "办公室编印的内部刊物期数。"),
]


def seed(ctx) -> None:
    year = ctx["year"]
    staff = ctx["users"]["staff"]
    for order, (key, label, value, unit, reason) in enumerate(MANUAL, start=1):
        if not ManualFigure.objects.filter(year=year, figure_key=key).exists():
            services.manual_figure_create(
                actor=staff, year=year, figure_key=key, label=label, value=value, unit=unit, reason=reason, order=order
            )
    if not YearSummary.objects.filter(year=year).exists():
        keys = {f.key for f in collect(year, staff, compare=False)}
        body = default_body(keys)
        body += (
            "\n五、自身建设"
            "\n全年向党委专题请示报告{party_reports}次，在各类新闻媒体刊发稿件{press_articles}篇，编发内刊{bulletins}期。"
        )
        services.summary_save(actor=staff, year=year, title=default_title(year), body=body, reason="系统生成初稿")
