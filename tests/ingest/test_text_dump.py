"""parse_text_dump on the seed dump and on invented dumps of other shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.ingest.parse.text_dump import parse_text_dump, split_caption_credit

# --- the seed dump -------------------------------------------------------------------------------

SEED_HEADLINE = "Rebel Forces Gain Ground in Aleppo as Syrian Army Faces Setbacks"
SEED_CAPTION = (
    "Anti-government fighters hold an opposition flag as they pose for a picture at the entrance "
    "of the landmark citadel in Aleppo on November 30, 2024."
)
SEED_STANDFIRST = (
    "Rebels led by HTS claim to have entered Aleppo, reigniting Syria\u2019s conflict. The Syrian army "
    "reports heavy losses and redeployment as Russia launches airstrikes. The US calls for de-escalation "
    "amid accusations of foreign interference"
)
SEED_FIRST_PARAGRAPH = (
    "The Syrian army reported on Saturday that dozens of its soldiers were killed in a large-scale assault "
    "led by the Islamist group Hayat Tahrir al-Sham (HTS). Rebel forces claim to have entered Aleppo for the "
    "first time since the government reclaimed the city in 2016, marking a significant challenge to "
    "President Bashar al-Assad\u2019s rule."
)
SEED_LAST_PARAGRAPH = (
    "The offensive marks a dramatic turn in Syria\u2019s long-stalemated conflict, drawing in Russia, Turkey, "
    "Iran, and the US. Russian and Turkish foreign ministers discussed the situation on Saturday, agreeing "
    "on the need for coordinated efforts to stabilize the region. Iran, however, accused the US and Israel "
    "of orchestrating the rebel advance as part of a broader plan to destabilize the Middle East."
)


@pytest.fixture
def seed_article(seed_path: Path):
    return parse_text_dump(seed_path.read_text(encoding="utf-8"))


def test_seed_headline_is_first_line(seed_article):
    assert seed_article.headline == SEED_HEADLINE


def test_seed_caption_is_split_from_its_credit(seed_article):
    assert seed_article.image_caption == SEED_CAPTION
    assert seed_article.image_credit == "MUHAMMAD HAJ KADOUR/AFP via Getty Images"


def test_seed_standfirst_follows_repeated_headline(seed_article):
    assert seed_article.standfirst == SEED_STANDFIRST


def test_seed_body_has_six_clean_paragraphs(seed_article):
    assert len(seed_article.paragraphs) == 6
    assert seed_article.paragraphs[0] == SEED_FIRST_PARAGRAPH
    assert seed_article.paragraphs[-1] == SEED_LAST_PARAGRAPH


def test_seed_outlet_is_brand_line_after_body(seed_article):
    assert seed_article.outlet == "TheMediaLine"


def test_seed_headline_repeat_is_not_in_body(seed_article):
    assert SEED_HEADLINE not in seed_article.paragraphs
    assert seed_article.standfirst != SEED_HEADLINE


def test_seed_trailing_boilerplate_is_dropped(seed_path: Path, seed_article):
    lines = [line.strip() for line in seed_path.read_text(encoding="utf-8").splitlines()]
    after_outlet = [line for line in lines[lines.index("TheMediaLine") + 1 :] if line]
    assert len(after_outlet) >= 5
    kept = [seed_article.headline, seed_article.standfirst, *seed_article.paragraphs]
    for line in after_outlet:
        assert not any(line in text for text in kept), line


# --- invented dumps of other shapes ---------------------------------------------------------------

NEWSLETTER_AND_READ_MORE = """Harbour Town Votes to Rebuild Its Old Pier

The council of Harbour Town voted on Tuesday to rebuild the wooden pier that storms wrecked last winter.

Sign up for our morning newsletter
Get the day's top local stories delivered to your inbox.

Work will start in spring and should take eight months, the mayor said.

Fishermen welcomed the decision, which ends two years of debate about the cost.

Read more
- Storm season: what the forecasters expect
- Is the ferry timetable changing?
- Council budget explained
"""

CRLF_WITH_BYLINE_AND_DONATION = (
    "Valley Farmers Try Drones to Fight Locusts\r\n"
    "A drone sprays a field near the village of Ostra at dawn. (Photo: Jane Roe/Reuters)\r\n"
    "\r\n"
    "Valley Farmers Try Drones to Fight Locusts\r\n"
    "\r\n"
    "Growers say the machines cover ten times more ground than crews on foot.\r\n"
    "\r\n"
    "By Sam Lee\r\n"
    "\r\n"
    "The first swarms arrived in the valley in early June, weeks ahead of the usual season.\r\n"
    "\r\n"
    "Farmers pooled their savings to rent four drones from a company in the capital.\r\n"
    "\r\n"
    "\u201cWe had no other choice,\u201d said Ana Petrova, who grows wheat and sunflowers.\r\n"
    "\r\n"
    "Valley Courier\r\n"
    "SUPPORT INDEPENDENT LOCAL JOURNALISM\r\n"
    "Readers like you keep our newsroom going.\r\n"
    "Donate now\r\n"
)

BOM_DECK_AND_BLANK_LINES = (
    "\ufeffCity Bans Cars From Old Town on Sundays\n\n\n\n"
    "A trial that began in May becomes permanent after shops reported more visitors\n\n\n"
    "\u201cIt feels like a different place,\u201d said one caf\u00e9 owner, who asked not to be named.\n\n"
    "The ban covers the twelve streets inside the old walls from 8 a.m. to 8 p.m.\n\n\n\n"
)

HARD_WRAPPED = """Library Extends Opening Hours

The city library will stay open until ten in the evening from next month,
after a survey found that most students wanted to study later than the
current closing time allows.

The change costs little because volunteers will staff the evening hours,
the head librarian said.
"""

COPYRIGHT_FOOTER = """Rail Strike Called Off After Late Talks

Unions called off Monday's rail strike after talks ran past midnight.

Both sides agreed to meet again next week to discuss pay.

Share this article
Follow us on social media
\u00a9 2025 Example Media Group. All rights reserved.
Privacy Policy | Terms of Use
"""


def test_newsletter_box_inside_body_is_dropped():
    article = parse_text_dump(NEWSLETTER_AND_READ_MORE)
    assert not any("newsletter" in p or "inbox" in p for p in article.paragraphs)


def test_read_more_list_ends_the_body():
    article = parse_text_dump(NEWSLETTER_AND_READ_MORE)
    assert article.paragraphs[-1] == "Fishermen welcomed the decision, which ends two years of debate about the cost."
    assert len(article.paragraphs) == 3
    assert article.outlet == ""


def test_dump_without_caption_or_standfirst_keeps_first_paragraph_in_body():
    article = parse_text_dump(NEWSLETTER_AND_READ_MORE)
    assert article.headline == "Harbour Town Votes to Rebuild Its Old Pier"
    assert (article.image_caption, article.image_credit, article.standfirst) == ("", "", "")
    assert article.paragraphs[0].startswith("The council of Harbour Town voted")


def test_crlf_dump_gets_caption_photo_credit_and_byline():
    article = parse_text_dump(CRLF_WITH_BYLINE_AND_DONATION)
    assert article.headline == "Valley Farmers Try Drones to Fight Locusts"
    assert article.image_caption == "A drone sprays a field near the village of Ostra at dawn."
    assert article.image_credit == "Jane Roe/Reuters"
    assert article.author == "Sam Lee"
    assert article.standfirst == "Growers say the machines cover ten times more ground than crews on foot."


def test_crlf_dump_drops_donation_banner_after_outlet():
    article = parse_text_dump(CRLF_WITH_BYLINE_AND_DONATION)
    assert article.outlet == "Valley Courier"
    assert len(article.paragraphs) == 3
    assert article.paragraphs[-1].endswith("who grows wheat and sunflowers.")
    assert all("\r" not in p for p in article.paragraphs)


def test_bom_and_extra_blank_lines_are_ignored():
    article = parse_text_dump(BOM_DECK_AND_BLANK_LINES)
    assert article.headline == "City Bans Cars From Old Town on Sundays"
    assert len(article.paragraphs) == 2


def test_unpunctuated_deck_without_repeated_headline_is_standfirst():
    article = parse_text_dump(BOM_DECK_AND_BLANK_LINES)
    assert article.standfirst == "A trial that began in May becomes permanent after shops reported more visitors"


def test_curly_quotes_are_kept():
    article = parse_text_dump(BOM_DECK_AND_BLANK_LINES)
    assert article.paragraphs[0].startswith("\u201cIt feels like a different place,\u201d")


def test_hard_wrapped_paragraphs_are_joined():
    article = parse_text_dump(HARD_WRAPPED)
    assert len(article.paragraphs) == 2
    assert article.paragraphs[0].endswith("later than the current closing time allows.")
    assert "\n" not in article.paragraphs[0]


def test_advertisement_marker_does_not_end_the_body():
    text = (
        "Ferry Fares Frozen\n\nThe ferry company froze fares for another year on Monday.\n\n"
        "Advertisement\n\nCommuters had feared a rise of ten percent.\n\nThe island council welcomed the news.\n"
    )
    assert parse_text_dump(text).paragraphs == (
        "The ferry company froze fares for another year on Monday.",
        "Commuters had feared a rise of ten percent.",
        "The island council welcomed the news.",
    )


def test_one_paragraph_per_line_without_blank_lines_is_not_joined():
    text = (
        "Harvest Starts Early\n"
        "Grape pickers started work two weeks early this year in the valley.\n"
        "Growers blamed the long and unusually dry summer for the early start.\n"
        "Prices are expected to rise.\n"
    )
    assert len(parse_text_dump(text).paragraphs) == 3


def test_copyright_and_share_footer_is_dropped():
    article = parse_text_dump(COPYRIGHT_FOOTER)
    assert article.paragraphs == (
        "Unions called off Monday's rail strike after talks ran past midnight.",
        "Both sides agreed to meet again next week to discuss pay.",
    )


def test_known_boilerplate_line_is_dropped_inside_body():
    text = COPYRIGHT_FOOTER.replace("\n\nBoth sides", "\n\nAd-free reading with Example Plus\n\nBoth sides")
    article = parse_text_dump(text, known_boilerplate=["Ad-free reading with Example Plus"])
    assert "Ad-free reading with Example Plus" not in article.paragraphs
    assert len(article.paragraphs) == 2


def test_headline_repeated_at_the_end_is_dropped():
    text = "Short Headline Here\n\nOne sentence of news that is complete.\n\nShort Headline Here\n"
    article = parse_text_dump(text)
    assert article.paragraphs == ("One sentence of news that is complete.",)


def test_short_final_sentence_is_kept_in_body():
    text = (
        "Minister Asked About Budget\n\nReporters asked the minister about the budget gap on Friday.\n\nShe declined.\n"
    )
    assert parse_text_dump(text).paragraphs[-1] == "She declined."


def test_long_final_paragraph_without_full_stop_is_kept():
    last = "The committee will publish its findings in the spring and hold hearings in every region over the summer"
    text = f"Inquiry Opens\n\nAn inquiry into the floods opened on Monday in the capital.\n\n{last}\n"
    assert parse_text_dump(text).paragraphs[-1] == last


def test_empty_text_gives_empty_article():
    article = parse_text_dump(" \n\n\t\n")
    assert article.headline == ""
    assert article.paragraphs == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Crowds gather in the square. (AP Photo/John Smith)", ("Crowds gather in the square.", "AP Photo/John Smith")),
        ("A ship leaves port (Reuters)", ("A ship leaves port", "Reuters")),
        ("Flood water in the valley (JANE DOE/EPA)", ("Flood water in the valley", "JANE DOE/EPA")),
        ("Fans at the final. Photo by Lee Park", ("Fans at the final.", "Lee Park")),
        ("Riders on the hill (\u00a9 Example Studio)", ("Riders on the hill", "\u00a9 Example Studio")),
    ],
)
def test_caption_credit_is_split(line, expected):
    assert split_caption_credit(line) == expected


@pytest.mark.parametrize(
    "line",
    ["Fighters of the group (HTS) near the city", "Fighters of the group (HTS)", "A plain sentence with no credit."],
)
def test_parenthesis_without_credit_cues_is_not_a_credit(line):
    assert split_caption_credit(line) is None


def test_caption_without_credit_cues_stays_in_body():
    text = "Bridge Reopens\nThe bridge reopens (again)\n\nTraffic crossed the bridge again on Sunday morning.\n"
    article = parse_text_dump(text)
    assert article.image_caption == ""
    assert "The bridge reopens (again)" in article.paragraphs


# --- never crashes -------------------------------------------------------------------------------

_LINE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["", "Subscribe", "READ MORE", "By Jo Lee", "Read more: x", "(AP Photo)", "Headline", "\u00a9"]),
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text):
    article = parse_text_dump(text)
    assert all(isinstance(p, str) and p.strip() for p in article.paragraphs)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=30), st.sampled_from(["\n", "\r\n", "\n\n", "\r"]))
def test_arbitrary_lines_give_non_empty_paragraphs(lines, newline):
    article = parse_text_dump(newline.join(lines), known_boilerplate=lines[:2])
    assert all(isinstance(p, str) and p == p.strip() and p for p in article.paragraphs)
    assert article.headline == article.headline.strip()
