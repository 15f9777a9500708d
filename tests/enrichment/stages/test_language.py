from tidings.enrichment.stage import ArticleText
from tidings.enrichment.stages.language import LanguageStage


def text(article_id, headline, *paragraphs):
    return ArticleText(article_id=article_id, headline=headline, paragraphs=tuple(paragraphs))


def detect(item):
    [output] = LanguageStage().process_batch([item])
    return output


def test_english_text_is_en():
    out = detect(text(1, "Parliament approves the budget", "Members voted late on Tuesday after a long debate."))
    assert out.values == {"language": "en"}


def test_german_text_is_de():
    out = detect(text(1, "Bundestag beschließt den Haushalt", "Die Abgeordneten stimmten am Dienstag spät ab."))
    assert out.values == {"language": "de"}


def test_french_text_is_fr():
    out = detect(text(1, "Le Parlement adopte le budget", "Les députés ont voté mardi soir après un long débat."))
    assert out.values == {"language": "fr"}


def test_code_is_two_letters():
    out = detect(text(1, "El gobierno anunció nuevas medidas económicas para el próximo año"))
    assert len(out.values["language"]) == 2


def test_text_without_letters_is_an_item_error():
    out = detect(text(7, "", "12:30 — 45"))
    assert (out.article_id, out.values, out.error) == (7, {}, "no text to tell the language of")


def test_error_item_does_not_stop_the_batch():
    outputs = LanguageStage().process_batch([text(1, ""), text(2, "The minister resigned on Friday evening.")])
    assert [o.values.get("language") for o in outputs] == [None, "en"]


def test_empty_batch_gives_no_outputs():
    assert LanguageStage().process_batch([]) == []
