"""Staff paste a draft; the app finds its articles on "第X条", with their chapters."""

from legislation.split_consultation import split_articles
from tests.legislation.fixtures_consultation import DRAFT


def test_a_pasted_draft_is_split_into_its_articles_with_chapters_and_sections():
    articles = split_articles(DRAFT)
    assert [a.number for a in articles] == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    assert articles[0].chapter == "第一章　总则"
    assert articles[2].chapter == "第二章　规划和建设　第一节　规划"
    assert articles[3].chapter == "第二章　规划和建设　第二节　建设"
    assert articles[4].chapter == "第三章　附则"


def test_title_and_table_of_contents_are_left_out_and_continuation_lines_stay_with_their_article():
    articles = split_articles(DRAFT)
    assert articles[0].text.startswith("为了促进城市绿化事业的发展")
    # A reference to another article inside the text does not start a new article.
    assert articles[1].text == "本条例适用于本市城市规划区内的绿化规划、建设、保护和管理。\n前款所称绿化，依照本条例第十条规定确定。"


def test_full_width_spaces_no_space_and_arabic_numerals_are_tolerated():
    text = "\u3000\u3000第一条\u3000甲。\r\n第2条乙。\n  第十一条：丙。\n第十一条之一　丁。"
    articles = split_articles(text)
    assert [(a.number, a.text) for a in articles] == [
        ("第一条", "甲。"), ("第2条", "乙。"), ("第十一条", "丙。"), ("第十一条之一", "丁。"),
    ]


def test_text_without_articles_gives_none():
    assert split_articles("关于城市绿化的几点说明\n一、总体情况") == []
    assert split_articles("") == []
