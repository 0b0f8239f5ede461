"""/rules: the Kazakh text with clause anchors, and the Russian and English summaries (issue 2, item 5)."""

from litestar import Litestar
from litestar.testing import TestClient

from portal.legal.decree import load_decree


def test_rules_page_has_an_anchor_for_every_clause(client: TestClient[Litestar]) -> None:
    html = client.get("/rules").text
    for clause in load_decree().clauses:
        assert f'id="{clause.anchor}"' in html, clause.number
    assert 'id="cl-18-item-11"' in html
    assert 'lang="kk"' in html


def test_kazakh_page_is_the_text_itself_russian_and_english_add_summaries(
    client: TestClient[Litestar],
) -> None:
    kk = client.get("/rules?lang=kk").text
    ru = client.get("/rules?lang=ru").text
    en = client.get("/rules?lang=en").text
    assert "Неофициальное краткое изложение" not in kk
    assert "Неофициальное краткое изложение" in ru and "Отбор в региональный резерв" in ru
    assert "Unofficial summary" in en and "Selection into the regional reserve" in en
    # The Kazakh text is on every page, whatever the language.
    first_clause = load_decree().clause("1").paragraphs[0].text
    for html in (kk, ru, en):
        assert first_clause[:60] in html
