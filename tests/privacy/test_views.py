import pytest
from django.core.cache import cache
from django.urls import reverse

from privacy.public_pages import forget_process_copies
from tests.privacy.conftest import POLICY_TEXT

pytestmark = pytest.mark.django_db

POLICY_URL = "/politika-obrabotki-i-zashchity-personalnykh-dannykh"
NEWER_TEXT = POLICY_TEXT.replace("один год", "90 дней") + (
    "\n2.2. Пользователь может подать запрос в личном кабинете.\n"
)


class TestCurrentPolicyPage:
    def test_the_address_named_by_the_policy_shows_the_current_version(self, client, make_version):
        make_version("1.0", effective_in_days=-300, body="## 1. Старый раздел\n")
        make_version("1.1", effective_in_days=-10)

        response = client.get(POLICY_URL)

        assert reverse("privacy:current") == POLICY_URL
        assert response.status_code == 200
        page = response.content.decode()
        assert "Редакция 1.1" in page
        assert "Действующая редакция" in page
        assert "Старый раздел" not in page

    def test_the_page_has_a_table_of_contents_linking_to_its_headings(self, client, make_version):
        make_version("1.0")

        page = client.get(POLICY_URL).content.decode()

        assert '<nav class="policy-toc no-print" aria-labelledby="policy-toc-title">' in page
        assert '<a href="#razdel-2">2. Права пользователя</a>' in page
        assert '<h2 id="razdel-2">2. Права пользователя</h2>' in page

    def test_the_page_shows_the_effective_date_in_moscow_words(self, client, make_version):
        version = make_version("1.0")

        page = client.get(POLICY_URL).content.decode()

        day = version.effective_date
        months = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
        assert f"действует с {day.day} {months.split()[day.month - 1]} {day.year} г." in page

    def test_the_page_is_printable_without_its_navigation(self, client, make_version):
        make_version("1.0")

        page = client.get(POLICY_URL).content.decode()

        assert 'href="/static/css/print.css" media="print"' in page
        assert 'class="policy__links no-print"' in page

    def test_a_future_version_does_not_replace_the_current_one(self, client, make_version):
        make_version("1.0", effective_in_days=-10)
        make_version("2.0", effective_in_days=10, body="## 1. Будущий раздел\n")

        page = client.get(POLICY_URL).content.decode()

        assert "Редакция 1.0" in page
        assert "Будущий раздел" not in page

    def test_without_a_version_in_force_the_page_says_so(self, client, make_version):
        make_version("1.0", published=False)

        response = client.get(POLICY_URL)

        assert response.status_code == 404
        assert "пока не опубликована" in response.content.decode()

    def test_the_address_with_a_trailing_slash_redirects(self, client, make_version):
        response = client.get(POLICY_URL + "/")

        assert response.status_code == 301
        assert response["Location"] == POLICY_URL

    def test_every_page_links_to_the_policy_in_its_footer(self, client):
        page = client.get(reverse("home")).content.decode()

        assert f'<a href="{POLICY_URL}">Политика обработки персональных данных</a>' in page

    def test_the_page_costs_one_query(self, client, make_version, django_assert_num_queries):
        make_version("1.0")
        client.cookies["lkk_cookie_notice"] = "1"

        with django_assert_num_queries(1):
            client.get(POLICY_URL)


class TestVersionPage:
    def test_each_published_version_has_a_permanent_address(self, client, make_version):
        make_version("1.0", effective_in_days=-300, body="## 1. Старый раздел\n")
        make_version("1.1", effective_in_days=-10)

        response = client.get(reverse("privacy:version", args=["1.0"]))

        assert response.status_code == 200
        page = response.content.decode()
        assert "Старый раздел" in page
        assert "Эта редакция утратила силу." in page
        assert "Действующая редакция — " in page

    def test_a_future_version_is_public_and_says_it_is_not_yet_in_force(self, client, make_version):
        make_version("1.0", effective_in_days=-10)
        make_version("2.0", effective_in_days=10)

        page = client.get(reverse("privacy:version", args=["2.0"])).content.decode()

        assert "Эта редакция ещё не действует." in page
        assert "вступает в силу" in page

    def test_a_draft_is_not_found(self, client, make_version):
        make_version("2.0", published=False)

        assert client.get(reverse("privacy:version", args=["2.0"])).status_code == 404

    def test_an_unknown_label_is_not_found(self, client, make_version):
        make_version("1.0")

        assert client.get(reverse("privacy:version", args=["9.9"])).status_code == 404


class TestVersionsArchive:
    def test_lists_published_versions_with_current_and_future_marked(self, client, make_version):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-10)
        make_version("2.0", effective_in_days=10)
        make_version("2.1", published=False)

        page = client.get(reverse("privacy:versions")).content.decode()

        assert page.index("Редакция 2.0") < page.index("Редакция 1.1") < page.index("Редакция 1.0")
        assert "Редакция 2.1" not in page
        assert page.count("Действующая редакция") == 1
        assert "Вступит в силу" in page
        assert "Утратила силу" in page
        assert "?from=1.0&amp;to=1.1" in page
        assert "Первая опубликованная редакция." in page

    def test_the_number_of_queries_does_not_grow_with_the_archive(
        self, client, make_version, django_assert_num_queries
    ):
        client.cookies["lkk_cookie_notice"] = "1"
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-10)
        with django_assert_num_queries(2):
            client.get(reverse("privacy:versions"))

        for number in range(2, 10):
            make_version(f"1.{number}", effective_in_days=-10 + number)
        cache.clear()  # created as history, not published: the kept page would not change
        forget_process_copies()
        with django_assert_num_queries(2):
            response = client.get(reverse("privacy:versions"))
        assert response.content.decode().count('class="card policy-versions__item"') == 10


class TestWhatChanged:
    def test_by_default_compares_the_previous_version_with_the_current_one(
        self, client, make_version
    ):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-10, body=NEWER_TEXT)
        make_version("2.0", effective_in_days=10, body="Совсем другой текст.")

        response = client.get(reverse("privacy:diff"))

        assert response.status_code == 200
        page = response.content.decode()
        assert "Редакция 1.0 → редакция 1.1" in page
        assert '<del><span class="visually-hidden">[удалено: </span>один год' in page
        assert '<ins><span class="visually-hidden">[добавлено: </span>90 дней' in page
        assert "<ins>2.2. Пользователь может подать запрос в личном кабинете.</ins>" in page
        assert "Как читать сравнение" in page  # the legend: colour is not the only cue

    def test_any_two_published_versions_can_be_compared_in_either_order(self, client, make_version):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-10, body=NEWER_TEXT)

        page = client.get(reverse("privacy:diff"), {"from": "1.1", "to": "1.0"}).content.decode()

        assert "Редакция 1.1 → редакция 1.0" in page
        assert "<del>2.2. Пользователь может подать запрос в личном кабинете.</del>" in page

    def test_the_form_offers_only_published_versions(self, client, make_version):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-10)
        make_version("1.2", published=False)

        page = client.get(reverse("privacy:diff")).content.decode()

        assert '<option value="1.0" selected>' in page
        assert '<option value="1.1" selected>' in page
        assert 'value="1.2"' not in page

    @pytest.mark.parametrize("label", ["9.9", "1.2"], ids=["unknown", "draft"])
    def test_a_label_that_is_not_published_gets_a_clear_message(self, client, make_version, label):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-10)
        make_version("1.2", published=False)

        response = client.get(reverse("privacy:diff"), {"from": label, "to": "1.1"})

        assert response.status_code == 400
        page = response.content.decode()
        assert f"Опубликованной редакции «{label}» нет." in page
        assert 'aria-invalid="true"' in page
        assert "Добавлено фрагментов" not in page

    def test_comparing_a_version_with_itself_is_refused(self, client, make_version):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-10)

        response = client.get(reverse("privacy:diff"), {"from": "1.1", "to": "1.1"})

        assert response.status_code == 400
        assert "Выберите две разные редакции." in response.content.decode()

    def test_the_first_version_lets_the_reader_choose_what_to_compare_it_with(
        self, client, make_version
    ):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-10)

        response = client.get(reverse("privacy:diff"), {"to": "1.0"})

        assert response.status_code == 200
        assert "Выберите, какие две редакции сравнить." in response.content.decode()

    def test_identical_texts_are_reported_as_such(self, client, make_version):
        make_version("1.0", effective_in_days=-300)
        make_version("1.1", effective_in_days=-10)

        page = client.get(reverse("privacy:diff")).content.decode()

        assert "Тексты редакций 1.0 и 1.1 совпадают." in page

    def test_with_a_single_version_there_is_nothing_to_compare(self, client, make_version):
        make_version("1.0")

        page = client.get(reverse("privacy:diff")).content.decode()

        assert "сравнивать пока не с чем" in page

    def test_the_number_of_queries_does_not_grow_with_the_archive(
        self, client, make_version, django_assert_num_queries
    ):
        client.cookies["lkk_cookie_notice"] = "1"
        for number in range(10):
            make_version(f"1.{number}", effective_in_days=-100 + number)

        with django_assert_num_queries(3):
            client.get(reverse("privacy:diff"))


def test_an_empty_archive_says_so(client, db):
    response = client.get(reverse("privacy:versions"))

    assert response.status_code == 200
    assert "Опубликованных редакций пока нет." in response.content.decode()


def test_the_policy_answers_head_requests_of_link_checkers(client, make_version):
    make_version("1.0")

    assert client.head(POLICY_URL).status_code == 200
