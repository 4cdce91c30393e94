from pathlib import Path

import pytest
from django.conf import settings

from privacy.markdown import prepare_imported_text, render_policy, text_blocks

OPERATOR_TEXT = Path(settings.BASE_DIR) / "privacy" / "seed" / "operator-privacy-policy.md"


class TestSanitizing:
    def test_a_script_tag_is_removed_with_its_content(self):
        html = render_policy("Текст.\n\n<script>alert('xss')</script>\n\nДальше.").html

        assert "<script" not in html
        assert "alert" not in html
        assert "Дальше." in html

    def test_an_inline_script_inside_a_paragraph_is_removed(self):
        html = render_policy("Текст <script>document.cookie</script> дальше.").html

        assert "<script" not in html
        assert "document.cookie" not in html

    def test_event_handler_attributes_are_stripped(self):
        html = render_policy(
            'Картинка <img src="x" onerror="alert(1)"> и <b onmouseover="alert(2)">жирный</b>.'
        ).html

        assert "onerror" not in html
        assert "onmouseover" not in html
        assert "<img" not in html
        assert "<b>жирный</b>" in html

    def test_javascript_links_in_markdown_are_not_links(self):
        html = render_policy("[Нажмите](javascript:alert(1)) сюда.").html

        assert 'href="javascript' not in html

    def test_javascript_links_in_raw_html_lose_their_address(self):
        html = render_policy('<a href="javascript:alert(1)">Нажмите</a>').html

        assert "javascript" not in html
        assert "Нажмите" in html

    def test_style_attributes_and_iframes_are_stripped(self):
        html = render_policy(
            '<p style="display:none">Скрыто</p>\n\n<iframe src="https://evil.example"></iframe>'
        ).html

        assert "style=" not in html
        assert "<iframe" not in html

    def test_raw_html_cannot_take_over_ids_of_the_page(self):
        html = render_policy('<h2 id="main">Подмена</h2>\n\n## 1. Раздел\n').html

        assert 'id="main"' not in html
        assert 'id="razdel-1"' in html

    def test_ordinary_links_get_rel_noopener(self):
        html = render_policy("Сайт <https://lkk.ivsbyt.ru/>.").html

        assert '<a href="https://lkk.ivsbyt.ru/" rel="noopener noreferrer">' in html


class TestHeadingsAndContents:
    def test_numbered_headings_get_ids_that_stay_the_same_between_versions(self):
        first = render_policy("## 3. Права\n\nТекст.\n")
        second = render_policy("## 3. Права пользователя\n\nДругой текст.\n")

        assert first.toc[0].anchor == second.toc[0].anchor == "razdel-3"

    def test_unnumbered_headings_get_readable_unique_ids(self):
        rendered = render_policy("## Контакты\n\n## Контакты\n")

        assert [entry.anchor for entry in rendered.toc] == ["контакты", "контакты-2"]

    def test_subsections_are_nested_in_the_contents(self):
        rendered = render_policy("## 1. Раздел\n\n### 1.1. Подраздел\n\n## 2. Другой\n")

        assert [entry.text for entry in rendered.toc] == ["1. Раздел", "2. Другой"]
        assert rendered.toc[0].children[0].anchor == "razdel-1-1"

    def test_a_top_level_heading_in_the_text_does_not_compete_with_the_page_title(self):
        rendered = render_policy("# Раздел\n\n## Подраздел\n")

        assert "<h1" not in rendered.html
        assert '<h2 id="раздел">' in rendered.html
        assert '<h3 id="подраздел">' in rendered.html

    def test_tables_are_rendered(self):
        html = render_policy("| Данные | Срок |\n| --- | --- |\n| Статистика | 90 дней |\n").html

        assert "<table>" in html
        assert "<td>90 дней</td>" in html


class TestOperatorText:
    @pytest.fixture
    def imported(self):
        return prepare_imported_text(OPERATOR_TEXT.read_text(encoding="utf-8"))

    def test_its_first_line_becomes_the_title(self, imported):
        assert imported.title == "ПОЛИТИКА КОНФИДЕНЦИАЛЬНОСТИ ПРИ ИСПОЛЬЗОВАНИИ ЛИЧНОГО КАБИНЕТА"
        assert "ПОЛИТИКА КОНФИДЕНЦИАЛЬНОСТИ ПРИ" not in imported.body

    def test_all_nine_numbered_sections_become_headings_in_the_contents(self, imported):
        rendered = render_policy(imported.body)

        assert [entry.text for entry in rendered.toc] == [
            "1. ОПРЕДЕЛЕНИЕ ТЕРМИНОВ",
            "2. ОБЩИЕ ПОЛОЖЕНИЯ",
            "3. ПРЕДМЕТ ПОЛИТИКИ КОНФИДЕНЦИАЛЬНОСТИ",
            "4. ЦЕЛИ СБОРА ПЕРСОНАЛЬНОЙ ИНФОРМАЦИИ ПОЛЬЗОВАТЕЛЯ",
            "5. СПОСОБЫ И СРОКИ ОБРАБОТКИ ПЕРСОНАЛЬНОЙ ИНФОРМАЦИИ",
            "6. ОБЯЗАТЕЛЬСТВА СТОРОН",
            "7. ОТВЕТСТВЕННОСТЬ СТОРОН",
            "8. РАЗРЕШЕНИЕ СПОРОВ",
            "9. ДОПОЛНИТЕЛЬНЫЕ УСЛОВИЯ",
        ]
        assert [entry.anchor for entry in rendered.toc] == [f"razdel-{n}" for n in range(1, 10)]
        assert "<ol" not in rendered.html  # no section was mistaken for a list

    def test_bold_terms_links_and_nested_clauses_survive(self, imported):
        html = render_policy(imported.body).html

        assert "<strong>«Персональные данные»</strong>" in html
        assert (
            '<a href="https://lkk.ivsbyt.ru/politika-obrabotki-i-zashchity-personalnykh-dannykh"'
            in html
        )
        assert '<p class="clause clause--depth-3">6.1.1. Предоставить информацию' in html
        assert '<ul class="clauses">\n<li>1.1. <strong>«Администрация сайта»</strong>' in html

    def test_lines_in_capitals_that_are_not_numbered_stay_text(self):
        imported = prepare_imported_text("Заголовок\n\nВНИМАНИЕ\n\n1. ПЕРВЫЙ РАЗДЕЛ\n")

        assert imported.body == "ВНИМАНИЕ\n\n## 1. ПЕРВЫЙ РАЗДЕЛ\n"

    def test_a_numbered_sentence_is_not_taken_for_a_section(self):
        imported = prepare_imported_text("Заголовок\n\n1. Первый пункт списка.\n")

        assert "##" not in imported.body

    def test_a_first_line_that_is_a_clause_is_not_a_title(self):
        imported = prepare_imported_text("1.1. Пункт без заголовка.\n")

        assert imported.title == ""


def test_text_blocks_are_the_plain_text_of_headings_paragraphs_and_items():
    blocks = text_blocks("## 1. Раздел\n\nАбзац с **жирным** и <https://x.ru>.\n\n- пункт\n")

    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "1. Раздел"),
        ("paragraph", "Абзац с жирным и https://x.ru."),
        ("item", "пункт"),
    ]
