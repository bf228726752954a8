"""The importer on the real samples and on hand-made texts for every numbering form
(domain §4). Pure functions: no database."""

from pathlib import Path

import pytest

from plans import importer as im
from plans.choices import ItemType

from .docx_builder import auto_numbered_docx, plain_docx

SAMPLES = Path(__file__).parent / "samples"


def read(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def titles(nodes, level=None):
    return [n["title"] for n in nodes if level is None or n["level"] == level]


def shape(nodes):
    return [(n["level"], n["number"], n["title"]) for n in nodes]


# ---------------------------------------------------------------------------
# The real samples


@pytest.fixture(scope="module")
def municipal():
    return im.parse_text(read("plan-municipal-work-points.txt"))


@pytest.fixture(scope="module")
def web_page():
    return im.parse_text(read("article-year-review-2022.txt"))


class TestMunicipalWorkPoints:
    """plan-municipal-work-points.txt uses 一、 / 1. / (1): three levels."""

    @pytest.fixture
    def result(self, municipal):
        return municipal

    def test_three_sections_six_subsections_thirteen_items(self, result):
        assert im.counts_by_level(result.nodes) == {1: 3, 2: 6, 3: 13}

    def test_section_titles(self, result):
        assert titles(result.nodes, 1) == ["凝心聚力,服务中心", "深化改革,优化营商环境", "强化监督,提升治理效能"]

    def test_subsection_titles(self, result):
        assert titles(result.nodes, 2) == [
            "为建设美丽城市、增强市民发展共识服务",
            "为全面依法治市、构建平安和谐城市服务",
            "为推动经济高质量发展服务",
            "为改善民生福祉服务",
            "加强人大监督工作,确保权力运行公开透明",
            "推进基层民主建设,激发社会治理活力",
        ]

    def test_item_titles_are_first_sentences(self, result):
        items = titles(result.nodes, 3)
        assert len(items) == 13
        assert items[0] == (
            "认真部署、精心组织全市人大代表开展“美丽城市因为有你,建设家乡势必有我”大型活动,"
            "画好“同心圆”,增强全市人民加速城市发展的责任担当意识"
        )
        assert items[4] == "依法对“一府两院”法律法规执行情况及相关工作进行专项检查"
        assert items[-1] == "创新社会治理模式,提升社会治理效能"

    def test_rest_of_paragraph_is_description(self, result):
        first = [n for n in result.nodes if n["level"] == 3][0]
        assert first["description"].startswith("市人大常委会将充分发挥人大代表的桥梁纽带作用")
        assert first["description"].endswith("确保活动顺利推进并取得预期效果。")

    def test_numbers_and_tree_order(self, result):
        assert shape(result.nodes)[:4] == [
            (1, "一、", "凝心聚力,服务中心"),
            (2, "1.", "为建设美丽城市、增强市民发展共识服务"),
            (3, "（1）", result.nodes[2]["title"]),
            (3, "（2）", result.nodes[3]["title"]),
        ]
        assert [n["number"] for n in result.nodes if n["level"] == 3][2:5] == ["（1）", "（2）", "（3）"]

    def test_quantity_kept_as_target(self, result):
        inspection = next(n for n in result.nodes if n["title"].startswith("依法对“一府两院”"))
        assert inspection["target"] == "全年将开展五次以上专项检查工作"
        assert inspection["item_type"] == ItemType.SUPERVISION_INSPECTION
        # Ordinary prose ("一项长期任务", "“八五”普法") is not taken for a target.
        constitution = next(n for n in result.nodes if n["title"].startswith("继续开展宪法学习宣传"))
        assert constitution["target"] == ""

    def test_preamble_and_closing_are_not_items(self, result):
        assert result.preamble.startswith("202x年,新一届市人大常委会")
        assert result.closing.startswith("综上所述")
        assert not any("综上所述" in n["description"] for n in result.nodes)
        assert result.removed == []
        assert not result.traditional


class TestPastedWebPage:
    """article-year-review-2022.txt was pasted from a web page with its navigation and footer."""

    @pytest.fixture
    def result(self, web_page):
        return web_page

    def test_chrome_is_left_out(self, result):
        text = " ".join(n["title"] + n["description"] for n in result.nodes) + result.preamble + result.closing
        for chrome in ("燕赵人民代表网", "人大要闻", "举报电话", "ICP备", "版权所有", "责编", "关于本站", "首页"):
            assert chrome not in text, chrome
        assert any("ICP备" in r for r in result.removed)
        assert any("责编" in r for r in result.removed)

    def test_title_found_above_the_body(self, result):
        assert result.title == "奋力书写人大“新篇章” 助力中国式现代化晋州场景建设"

    def test_five_sections_with_heading_paragraphs_as_items(self, result):
        assert titles(result.nodes, 1) == [
            "旗帜鲜明讲政治,确保人大工作正确政治方向",
            "坚持正确有效依法监督,助推构建社会发展新格局",
            "规范行使决定权、任免权,为社会发展提供坚实保障",
            "丰富活跃代表工作,充分发挥代表主体作用",
            "全面加强自身建设,不断提高履职服务水平",
        ]
        second = [n for n in result.nodes if n["level"] == 2]
        assert second[0]["title"] == "强化理论武装锤炼政治自觉"
        assert "助力经济发展行稳致远" in titles(second)
        # An introductory paragraph stays with its section.
        section2 = result.nodes[[n["title"] for n in result.nodes].index("坚持正确有效依法监督,助推构建社会发展新格局")]
        assert "召开常委会会议11次" in section2["description"]
        assert "召开常委会会议11次" in section2["target"]

    def test_body_starts_with_the_lead_paragraph(self, result):
        assert result.preamble.startswith("党的二十大对全面建设社会主义现代化国家作出了战略部署")


# ---------------------------------------------------------------------------
# Hand-made texts: every numbering form


def test_all_four_levels_full_width():
    text = "一、加强监督工作\n（一）听取报告\n1. 听取财政报告。\n（1）审查预算。\n（2）审查决算。\n2、听取环境报告。\n（二）执法检查\n二、代表工作\n"
    result = im.parse_text(text)
    assert shape(result.nodes) == [
        (1, "一、", "加强监督工作"),
        (2, "（一）", "听取报告"),
        (3, "1.", "听取财政报告"),
        (4, "（1）", "审查预算"),
        (4, "（2）", "审查决算"),
        (3, "2、", "听取环境报告"),
        (2, "（二）", "执法检查"),
        (1, "二、", "代表工作"),
    ]


def test_half_width_brackets_and_mixed_brackets():
    text = "一、监督\n(一)听取报告\n(1)财政。\n（2)环境。\n(二）执法检查\n"
    result = im.parse_text(text)
    assert shape(result.nodes) == [
        (1, "一、", "监督"),
        (2, "（一）", "听取报告"),
        (3, "（1）", "财政"),
        (3, "（2）", "环境"),
        (2, "（二）", "执法检查"),
    ]


def test_full_width_dot_and_numbers_above_ten():
    text = "十一、第十一部分\n十二、第十二部分\n1．全角句点条目。\n12.第十二条目。\n"
    result = im.parse_text(text)
    assert [(n["level"], n["title"]) for n in result.nodes] == [
        (1, "第十一部分"), (1, "第十二部分"), (2, "全角句点条目"), (2, "第十二条目")
    ]


def test_levels_follow_styles_present():
    # Only （一） and （1）: two levels, （一） on top.
    result = im.parse_text("（一）立法工作\n（1）制定条例。\n（2）修订条例。\n（二）监督工作\n（1）听取报告。\n")
    assert im.counts_by_level(result.nodes) == {1: 2, 2: 3}
    # Only 1. and （1）.
    result = im.parse_text("1.立法工作。\n（1）制定条例。\n2.监督工作。\n")
    assert shape(result.nodes) == [(1, "1.", "立法工作"), (2, "（1）", "制定条例"), (1, "2.", "监督工作")]


def test_decimal_numbers_are_not_headings():
    result = im.parse_text("一、财政\n1.5亿元用于教育，占比提高。\n2022年召开会议11次。\n")
    assert shape(result.nodes) == [(1, "一、", "财政")]
    assert "1.5亿元" in result.nodes[0]["description"]


def test_yishi_erhshi_split_into_items():
    text = "一、监督工作\n（一）加强执法检查。一是检查食品安全法实施情况；二是检查水污染防治法实施情况；三是开展专题询问。\n"
    result = im.parse_text(text)
    assert shape(result.nodes) == [
        (1, "一、", "监督工作"),
        (2, "（一）", "加强执法检查"),
        (3, "一是", "检查食品安全法实施情况"),
        (3, "二是", "检查水污染防治法实施情况"),
        (3, "三是", "开展专题询问"),
    ]


def test_yiyao_split_and_words_containing_yishi_are_not():
    result = im.parse_text("一、代表工作\n（一）密切联系群众。一要完善联络站，二要健全接待日制度。\n（二）统一是前提，唯一要求是实效。\n")
    assert shape(result.nodes) == [
        (1, "一、", "代表工作"),
        (2, "（一）", "密切联系群众"),
        (3, "一要", "完善联络站"),
        (3, "二要", "健全接待日制度"),
        (2, "（二）", "统一是前提，唯一要求是实效"),
    ]


def test_yishi_in_an_unnumbered_paragraph_hangs_under_the_item():
    result = im.parse_text("一、自身建设\n加强学习，一是坚持“第一议题”制度；二是开展专题培训。\n")
    assert shape(result.nodes) == [(1, "一、", "自身建设"), (2, "一是", "坚持“第一议题”制度"), (2, "二是", "开展专题培训")]
    assert result.nodes[0]["description"] == "加强学习"


def test_yishi_list_carried_on_in_the_next_paragraph():
    result = im.parse_text("一、监督工作\n（一）加强执法检查。一是检查食品安全法；二是检查水法。\n三是开展专题询问；四是跟踪整改。\n")
    assert shape(result.nodes)[2:] == [
        (3, "一是", "检查食品安全法"),
        (3, "二是", "检查水法"),
        (3, "三是", "开展专题询问"),
        (3, "四是", "跟踪整改"),
    ]
    assert result.nodes[1]["description"] == ""


# A year review: sections with heading paragraphs, then next year's tasks.
REVIEW = (
    "市人大常委会2024年工作回顾\n"
    "过去一年，市人大常委会在市委坚强领导下，依法履职，各项工作取得新成效。\n"
    "一、坚持依法监督，助推高质量发展\n"
    "聚焦民生抓监督。听取审议专项工作报告8项，开展执法检查3次，专题询问1次。\n"
    "二、全面加强自身建设，提高履职水平\n"
    "以制度建设保证规范运行。完善常委会议事规则和机关管理制度，保证机关高效运转。\n"
)
TASKS = ["坚持党的领导", "依法开展监督", "做好立法工作", "支持代表履职", "加强自身建设"]
RUN_IN = "。".join(f"{im.int_to_cn(i)}是{t}，确保取得实效" for i, t in enumerate(TASKS, start=1)) + "。"


@pytest.mark.parametrize(
    ("tail", "heading"),
    [
        ("2025年主要任务：\n" + RUN_IN, "2025年主要任务"),
        ("二〇二五年工作安排\n" + RUN_IN.replace("三是", "\n三是"), "二〇二五年工作安排"),
        ("明年工作打算：" + RUN_IN, "明年工作打算"),
        ("新的一年，市人大常委会将重点做好以下几个方面工作：\n" + RUN_IN.replace("。", "。\n"),
         "新的一年，市人大常委会将重点做好以下几个方面工作"),
    ],
    ids=["heading-then-one-paragraph", "two-paragraphs", "same-paragraph", "lead-in-one-task-a-line"],
)
def test_next_years_tasks_of_a_year_review_are_items_under_their_heading(tail, heading):
    result = im.parse_text(REVIEW + tail + "\n")
    tops = [n for n in result.nodes if n["level"] == 1]
    assert [n["title"] for n in tops][-1] == heading
    start = [n["title"] for n in result.nodes].index(heading)
    assert [(n["level"], n["number"], n["title"]) for n in result.nodes[start + 1 :]] == [
        (2, f"{im.int_to_cn(i)}是", f"{t}，确保取得实效") for i, t in enumerate(TASKS, start=1)
    ]
    # Nothing of the tasks ends up in the review's last item or in the closing words.
    section = result.nodes[start - 1]
    assert section["title"] == "以制度建设保证规范运行"
    assert "一是" not in section["description"] and "任务" not in section["description"]
    assert "确保取得实效" not in result.closing


def test_next_years_tasks_numbered_with_bracketed_numbers():
    result = im.parse_text(REVIEW + "2025年主要任务\n（一）依法开展监督。开展执法检查不少于3次。\n（二）支持代表履职。\n")
    assert shape(result.nodes)[-3:] == [
        (1, "", "2025年主要任务"),
        (2, "（一）", "依法开展监督"),
        (2, "（二）", "支持代表履职"),
    ]
    assert result.nodes[-2]["target"] == "开展执法检查不少于3次"


def test_next_years_tasks_numbered_like_the_review_nest_under_their_heading():
    result = im.parse_text(REVIEW + "2025年工作打算\n一、依法开展监督。\n二、支持代表履职。\n")
    assert shape(result.nodes)[-3:] == [(1, "", "2025年工作打算"), (2, "一、", "依法开展监督"), (2, "二、", "支持代表履职")]


def test_a_plans_lead_in_and_a_later_section_keep_their_levels():
    plan = ("2025年，市人大常委会将重点做好以下几个方面工作：\n一、监督工作\n（一）执法检查。\n"
            "新的一年，常委会将着力做好以下几项工作：一是听取报告；二是开展询问。\n二、代表工作\n（一）联系群众。\n")
    result = im.parse_text(plan)
    assert result.preamble.startswith("2025年，市人大常委会将重点做好")
    assert [n["title"] for n in result.nodes if n["level"] == 1] == [
        "监督工作", "新的一年，常委会将着力做好以下几项工作", "代表工作",
    ]
    assert shape(result.nodes)[-1] == (2, "（一）", "联系群众")


def test_what_is_not_a_heading_of_next_years_tasks():
    assert im.is_tasks_heading("2025年主要任务：")
    assert im.is_tasks_heading("下一步工作思路和主要任务")
    assert not im.is_tasks_heading("2025年是“十四五”规划的收官之年。")
    assert not im.is_tasks_heading("完成2025年任务")
    assert not im.is_tasks_heading("2025年，常委会将重点做好以下几个方面工作：")
    # In a plan, a numbered part on next year's work stays where its number puts it.
    result = im.parse_text("一、监督工作\n（一）执法检查。\n二、2025年重点工作\n（一）制定条例。\n")
    assert shape(result.nodes) == [
        (1, "一、", "监督工作"), (2, "（一）", "执法检查"), (1, "二、", "2025年重点工作"), (2, "（一）", "制定条例"),
    ]


def test_title_is_first_sentence_outside_quotes():
    title, description = im.split_title("开展“美丽城市。因为有你”活动。具体内容见方案。")
    assert title == "开展“美丽城市。因为有你”活动"
    assert description == "具体内容见方案。"


def test_targets_from_hand_made_text():
    result = im.parse_text("一、监督\n（一）专项检查。全年将开展五次以上专项检查；组织代表视察不少于3次。\n（二）作为一项长期任务来抓。\n")
    assert result.nodes[1]["target"] == "全年将开展五次以上专项检查；组织代表视察不少于3次"
    assert result.nodes[2]["target"] == ""


def test_traditional_text_is_converted():
    text = "一、加強監督工作\n（一）聽取和審議專項工作報告。全年將聽取審議報告十項以上。\n（二）開展執法檢查。\n二、代表工作\n"
    result = im.parse_text(text)
    assert result.traditional
    assert titles(result.nodes) == ["加强监督工作", "听取和审议专项工作报告", "开展执法检查", "代表工作"]
    assert result.nodes[1]["target"] == "全年将听取审议报告十项以上"
    assert "繁体" in result.warnings[0]


def test_simplified_text_is_not_touched_by_conversion():
    text = "一、显著提升乾县工作\n（一）著作权保护。\n"
    assert im.to_simplified(text) == (text, False)


def test_pinyin_ruby_removed():
    assert im.remove_pinyin_ruby("過(guò)去一年") == "過去一年"
    assert im.remove_pinyin_ruby("过(guò)去(qù)一年") == "过去一年"
    assert im.remove_pinyin_ruby("中国（zhōng guó）人大") == "中国人大"
    # English abbreviations and numbers in brackets stay.
    assert im.remove_pinyin_ruby("开发普法APP(APP)，完成(1)项") == "开发普法APP(APP)，完成(1)项"
    assert im.remove_pinyin_ruby("人大(NPC)常委会") == "人大(NPC)常委会"


def test_pinyin_whose_opening_bracket_was_lost_is_removed():
    # The source lost the character as well: it is marked □ for staff to correct.
    assert im.remove_pinyin_ruby("管理?xiàng)l例") == "管理□例"
    assert im.remove_pinyin_ruby("中华zhōng huá)人民共和国") == "中华人民共和国"
    assert im.remove_pinyin_ruby("实施细则xì zé）") == "实施细则"
    # Latin text without tone marks is not pinyin.
    for text in ("版本v2)说明", "见附件a)内容", "手机iPhone)应用"):
        assert im.remove_pinyin_ruby(text) == text
    result = im.parse_text("一、修订物业管理?xiàng)l例\n（一）听取过guò)去一年的报告。\n")
    assert titles(result.nodes) == ["修订物业管理□例", "听取过去一年的报告"]
    assert any("1处缺字" in w for w in result.warnings)
    assert not any("缺字" in w for w in im.parse_text("一、听取过guò)去一年的报告\n").warnings)


def test_traditional_with_pinyin_ruby():
    result = im.parse_text("一、回顧過(guò)去(qù)一年的工作\n（一）總結經驗。\n")
    assert titles(result.nodes) == ["回顾过去一年的工作", "总结经验"]


def test_pasted_web_page_hand_made():
    text = """首页 | 人大要闻 | 立法动态 | 监督纵横 | 代表履职
当前位置：首页 > 通知公告
某市人大常委会2026年工作要点
发布时间：2026-01-20  来源：办公室  浏览次数：1024
一、立法工作
（一）制定《某市物业管理条例》。
二、监督工作
（一）听取和审议专项工作报告。
分享到：微信 微博 QQ空间
上一篇：关于召开第三十次会议的通知
下一篇：2025年工作总结
【打印本页】【关闭窗口】
Copyright © 2026 某市人大常委会 版权所有 ICP备12345678号
"""
    result = im.parse_text(text)
    assert shape(result.nodes) == [
        (1, "一、", "立法工作"),
        (2, "（一）", "制定《某市物业管理条例》"),
        (1, "二、", "监督工作"),
        (2, "（一）", "听取和审议专项工作报告"),
    ]
    assert result.title == "某市人大常委会2026年工作要点"
    assert len(result.removed) >= 7
    assert result.nodes[1]["item_type"] == ItemType.LEGISLATION


def test_no_numbering_gives_a_warning():
    result = im.parse_text("这是一段没有编号的文字，没有任何条目。")
    assert result.nodes == []
    assert any("未识别出编号条目" in w for w in result.warnings)


def test_txt_in_gb18030_and_utf8_bom():
    text = "一、立法工作\n（一）制定条例。\n"
    assert im.parse_upload("plan.txt", text.encode("gb18030")).nodes[1]["title"] == "制定条例"
    assert im.parse_upload("plan.txt", b"\xef\xbb\xbf" + text.encode("utf-8")).nodes[0]["title"] == "立法工作"
    with pytest.raises(ValueError):
        im.parse_upload("plan.doc", b"\xd0\xcf\x11\xe0old word")


# ---------------------------------------------------------------------------
# .docx


def test_docx_with_word_automatic_numbering():
    data = auto_numbered_docx(
        [
            (0, "加强监督工作"),
            (1, "听取和审议专项工作报告"),
            (2, "听取财政报告。全年听取报告五项以上。"),
            (3, "审查预算"),
            (2, "听取环境报告"),
            (1, "开展执法检查"),
            (None, "围绕大气污染防治开展检查。"),
            (0, "代表工作"),
            (1, "密切联系群众"),
        ],
        title="2026年工作要点",
    )
    result = im.parse_docx(data)
    assert shape(result.nodes) == [
        (1, "一、", "加强监督工作"),
        (2, "（一）", "听取和审议专项工作报告"),
        (3, "1.", "听取财政报告"),
        (4, "（1）", "审查预算"),
        (3, "2.", "听取环境报告"),
        (2, "（二）", "开展执法检查"),
        (1, "二、", "代表工作"),
        (2, "（一）", "密切联系群众"),
    ]
    assert result.nodes[2]["target"] == "全年听取报告五项以上"
    assert result.nodes[5]["description"] == "围绕大气污染防治开展检查。"
    assert result.title == "2026年工作要点"


def test_docx_with_numbers_typed_in_the_text():
    data = plain_docx(["一、立法工作", "（一）制定条例。", "二、監督工作", "（一）聽取報告。"])
    result = im.parse_upload("plan.docx", data)
    assert shape(result.nodes) == [
        (1, "一、", "立法工作"), (2, "（一）", "制定条例"), (1, "二、", "监督工作"), (2, "（一）", "听取报告")
    ]
    assert result.traditional


def test_corrupt_docx_is_refused():
    with pytest.raises(ValueError):
        im.parse_upload("plan.docx", b"PK\x03\x04 not really a zip")


# ---------------------------------------------------------------------------
# Editing the draft before it is saved


@pytest.fixture
def nodes():
    return im.parse_text("一、监督\n（一）听取报告。第二句。第三句。\n1.财政报告。\n（二）执法检查。\n二、代表工作\n").nodes


def test_set_level_moves_the_subtree(nodes):
    im.set_level(nodes, 1, 1)  # （一） becomes a section, its child follows
    assert [(n["level"], n["number"], n["title"]) for n in nodes] == [
        (1, "一、", "监督"),
        (1, "二、", "听取报告"),
        (2, "（一）", "财政报告"),
        (2, "（二）", "执法检查"),
        (1, "三、", "代表工作"),
    ]
    with pytest.raises(ValueError):
        im.set_level(nodes, 0, 2)  # the first item cannot go deeper
    with pytest.raises(ValueError):
        im.set_level(nodes, 2, 4)  # no more than one level below the one before


def test_indent_numbers_follow_the_new_level(nodes):
    im.set_level(nodes, 3, 3)  # （二）执法检查 goes under （一）, after 1.财政报告
    assert [(n["level"], n["number"], n["title"]) for n in nodes][2:4] == [(3, "1.", "财政报告"), (3, "2.", "执法检查")]
    assert im.validate_nodes(nodes) == []


def test_merge_with_previous(nodes):
    im.merge_with_previous(nodes, 2)  # 1.财政报告 into （一）
    assert titles(nodes) == ["监督", "听取报告", "执法检查", "代表工作"]
    assert nodes[1]["description"].endswith("财政报告。")
    with pytest.raises(ValueError):
        im.merge_with_previous(nodes, 0)


def test_merge_keeps_children_under_the_merged_item():
    nodes = im.parse_text("一、甲\n二、乙\n（一）乙一\n（二）乙二\n").nodes
    im.merge_with_previous(nodes, 1)
    assert [(n["level"], n["title"]) for n in nodes] == [(1, "甲"), (2, "乙一"), (2, "乙二")]
    assert im.validate_nodes(nodes) == []


def test_split_before_a_sentence(nodes):
    im.split_node(nodes, 1, 2)  # （一）听取报告。第二句。|第三句。
    assert [(n["level"], n["number"], n["title"]) for n in nodes][1:5] == [
        (2, "（一）", "听取报告"),
        (3, "1.", "财政报告"),
        (2, "（二）", "第三句"),
        (2, "（三）", "执法检查"),
    ]
    assert nodes[1]["description"] == "第二句。"
    with pytest.raises(ValueError):
        im.split_node(nodes, 1, 0)


def test_delete_promotes_children(nodes):
    im.delete_node(nodes, 1)
    assert [(n["level"], n["title"]) for n in nodes] == [(1, "监督"), (2, "财政报告"), (2, "执法检查"), (1, "代表工作")]
    assert im.validate_nodes(nodes) == []


def test_update_and_validate(nodes):
    im.update_node(nodes, 0, title="强化监督")
    assert nodes[0]["title"] == "强化监督"
    with pytest.raises(ValueError):
        im.update_node(nodes, 0, title="  ")
    broken = [dict(nodes[0]), {**nodes[1], "level": 3}]
    assert im.validate_nodes(broken)


def test_as_tree_nests_children(nodes):
    tree = im.as_tree(nodes)
    assert [t["title"] for t in tree] == ["监督", "代表工作"]
    assert [c["title"] for c in tree[0]["children"]] == ["听取报告", "执法检查"]
    assert tree[0]["children"][0]["children"][0]["index"] == 2
