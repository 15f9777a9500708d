"""Chinese, Japanese and Korean text dumps: decoded from their legacy encodings and split into paragraphs
although Chinese and Japanese put no spaces between words. The texts are written for these tests."""

# ruff: noqa: RUF001

from __future__ import annotations

from pathlib import Path

import pytest

from tidings.articles.models import Article
from tidings.ingest.parse.decode import decode_text
from tidings.ingest.parse.text_dump import parse_text_dump
from tidings.ingest.text_import import import_text_files

JA_HEADLINE = "東京都、新たな防災計画を発表"
JA_PARAGRAPHS = (
    "東京都は六日、大規模な地震に備えた新しい防災計画を発表した。計画では、避難所の数を今後五年間で二割増やし、備蓄食料も拡充する。",
    "知事は記者会見で「都民の命を守ることが最優先だ」と述べた。都は来年度予算に関連経費として約三百億円を盛り込む方針だ。",
    "専門家からは、高齢者や外国人への情報提供を強化すべきだとの声も上がっている。都は多言語での案内を充実させるとしている。",
)
ZH_HEADLINE = "北京发布新的交通规划"
ZH_PARAGRAPHS = (
    "北京市政府六日发布了新的城市交通规划。根据规划，未来五年内地铁线路总长度将增加三成，公交专用道也将进一步扩展。",
    "市长在新闻发布会上表示：“公共交通是城市发展的优先方向。”市政府计划在明年的预算中安排约三百亿元用于相关建设。",
    "专家指出，还应加强对老年人和外地游客的信息服务。市政府表示将完善多语种的出行指南。",
)
KO_HEADLINE = "서울시, 새 교통 계획 발표"
KO_PARAGRAPHS = (
    "서울시는 6일 새로운 도시 교통 계획을 발표했다. 계획에 따르면 앞으로 5년 동안 지하철 노선 총연장을 30% 늘리고 버스 전용차로도 확대한다.",
    '시장은 기자회견에서 "대중교통이 도시 발전의 최우선 방향"이라고 말했다. 시는 내년 예산에 관련 비용으로 약 3천억 원을 반영할 방침이다.',
    "전문가들은 노인과 외국인 관광객을 위한 정보 제공도 강화해야 한다고 지적했다. 시는 다국어 안내를 확충하겠다고 밝혔다.",
)
TEXTS = {
    "ja": (JA_HEADLINE, JA_PARAGRAPHS, "東京新聞"),
    "zh": (ZH_HEADLINE, ZH_PARAGRAPHS, "北京日报"),
    "ko": (KO_HEADLINE, KO_PARAGRAPHS, "서울신문"),
}
ENCODINGS = [
    ("ja", "shift_jis"),
    ("ja", "euc_jp"),
    ("ja", "utf-8"),
    ("zh", "gb18030"),
    ("zh", "gb2312"),
    ("zh", "utf-8"),
    ("ko", "euc_kr"),
    ("ko", "utf-8"),
]


def blank_lines(language: str) -> str:
    headline, paragraphs, outlet = TEXTS[language]
    return "\n\n".join([headline, *paragraphs, outlet]) + "\n"


def indented(language: str) -> str:
    """Japanese/Chinese typesetting: no blank lines, each paragraph opens with a full-width space."""
    headline, paragraphs, outlet = TEXTS[language]
    return "\n".join([headline, *(f"\u3000{p}" for p in paragraphs), "", outlet]) + "\n"


def wrapped(language: str, width: int = 24) -> str:
    """Hard-wrapped every `width` characters (mid-word: there are no spaces), indented paragraphs."""
    headline, paragraphs, outlet = TEXTS[language]
    lines = [headline, ""]
    for paragraph in paragraphs:
        text = f"\u3000{paragraph}"
        lines += [text[i : i + width] for i in range(0, len(text), width)]
    return "\n".join([*lines, "", outlet]) + "\n"


def run_on(language: str) -> str:
    """Paragraphs run on in one line, each after a sentence end and a full-width space."""
    headline, paragraphs, outlet = TEXTS[language]
    return f"{headline}\n\n{'　'.join(paragraphs)}\n\n{outlet}\n"


@pytest.mark.parametrize(("language", "encoding"), ENCODINGS)
def test_legacy_encodings_are_detected_and_decoded(language, encoding):
    text = blank_lines(language)
    assert decode_text(text.encode(encoding)) == text


@pytest.mark.parametrize(("language", "encoding"), ENCODINGS)
def test_a_dump_in_blank_line_paragraphs_keeps_them(language, encoding):
    headline, paragraphs, outlet = TEXTS[language]
    article = parse_text_dump(decode_text(blank_lines(language).encode(encoding)))
    assert (article.headline, article.paragraphs, article.outlet) == (headline, paragraphs, outlet)


@pytest.mark.parametrize("language", ["ja", "zh"])
@pytest.mark.parametrize("layout", [indented, wrapped, run_on])
def test_paragraphs_without_blank_lines_or_spaces_are_found(language, layout):
    headline, paragraphs, outlet = TEXTS[language]
    article = parse_text_dump(layout(language))
    assert (article.headline, article.paragraphs, article.outlet) == (headline, paragraphs, outlet)


def test_wrapped_latin_text_still_joins_with_spaces():
    line = "The ferry crossed the harbour in six minutes on its first trip"
    text = "Ferry returns\n\n" + "\n".join([line] * 3) + ".\n\nAnother paragraph follows here.\n"
    article = parse_text_dump(text)
    assert article.paragraphs[0] == " ".join([line] * 3) + "."


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "encoding"), [("ja", "shift_jis"), ("zh", "gb18030"), ("ko", "euc_kr")])
def test_import_text_stores_a_cjk_dump_with_its_paragraphs(tmp_path: Path, language, encoding):
    headline, paragraphs, _ = TEXTS[language]
    path = tmp_path / f"{language}.txt"
    path.write_bytes(indented(language).encode(encoding) if language != "ko" else blank_lines("ko").encode(encoding))
    (result,) = import_text_files([path], source_name="CJK dumps", enrich=False)
    assert result.ok, result.error
    article = Article.objects.get(pk=result.article_id)
    assert article.headline == headline
    assert all(paragraph in article.body_text for paragraph in paragraphs)
    assert article.body_html.count("<p>") == len(paragraphs)
