"""`manage.py import_policy`: the operator's real text, and bad input changing nothing."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from privacy.models import PolicyVersion
from tests.privacy.conftest import POLICY_TEXT, days_from_today

pytestmark = pytest.mark.django_db

OPERATOR_TEXT = Path(settings.BASE_DIR) / "privacy" / "seed" / "operator-privacy-policy.md"
SECTIONS = [
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


@pytest.fixture
def policy_file(tmp_path):
    path = tmp_path / "policy.md"
    path.write_text("Политика портала\n\n" + POLICY_TEXT, encoding="utf-8")
    return path


def test_the_operator_text_is_published_and_its_page_shows_all_nine_sections(client):
    today = days_from_today(0).isoformat()

    call_command(
        "import_policy", str(OPERATOR_TEXT), version="2.0", effective_date=today, publish=True
    )

    response = client.get(reverse("privacy:current"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ПОЛИТИКА КОНФИДЕНЦИАЛЬНОСТИ ПРИ ИСПОЛЬЗОВАНИИ ЛИЧНОГО КАБИНЕТА" in page
    for number, section in enumerate(SECTIONS, start=1):
        assert f'<a href="#razdel-{number}">{section}</a>' in page  # the contents
        assert f'<h2 id="razdel-{number}">{section}</h2>' in page  # the text
    assert "<strong>«Cookies»</strong>" in page


def test_a_draft_is_imported_by_default_and_stays_hidden(client, policy_file, capsys):
    # Given as on the command line: `--version` is the label, not Django's version flag.
    call_command(
        "import_policy", str(policy_file), "--version", "3.0", "--effective-date", "2099-12-01"
    )

    version = PolicyVersion.objects.get(label="3.0")
    assert version.status == PolicyVersion.Status.DRAFT
    assert version.title == "Политика портала"
    assert version.effective_date.isoformat() == "2099-12-01"
    assert "черновик" in capsys.readouterr().out
    assert client.get(version.get_absolute_url()).status_code == 404


def test_a_title_can_be_given(policy_file):
    call_command(
        "import_policy",
        str(policy_file),
        version="3.0",
        effective_date="2099-12-01",
        title="Политика, версия для проверки",
    )

    assert PolicyVersion.objects.get(label="3.0").title == "Политика, версия для проверки"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--effective-date", "01.12.2099"], "формате ГГГГ-ММ-ДД"),
        (["--effective-date", "2099-02-30"], "формате ГГГГ-ММ-ДД"),
        (["--effective-date", "20991201"], "формате ГГГГ-ММ-ДД"),
        (["--effective-date", "2099-12-01", "--version", "2.0/x"], "Номер редакции"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(policy_file, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_policy", str(policy_file), "--version", "3.0", *arguments)

    assert not PolicyVersion.objects.exists()


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="не найден"):
        call_command(
            "import_policy", str(tmp_path / "нет.md"), version="3.0", effective_date="2099-12-01"
        )

    assert not PolicyVersion.objects.exists()


def test_an_empty_file_is_refused(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_text("\n\n", encoding="utf-8")

    with pytest.raises(CommandError, match="пуст"):
        call_command("import_policy", str(empty), version="3.0", effective_date="2099-12-01")

    assert not PolicyVersion.objects.exists()


def test_a_file_not_in_utf8_is_refused(tmp_path):
    legacy = tmp_path / "cp1251.md"
    legacy.write_bytes("Политика\n\nТекст.".encode("cp1251"))

    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_policy", str(legacy), version="3.0", effective_date="2099-12-01")

    assert not PolicyVersion.objects.exists()


def test_a_duplicate_label_is_refused_and_the_existing_version_is_untouched(
    make_version, policy_file
):
    existing = make_version("3.0", body="Прежний текст.\n")

    with pytest.raises(CommandError, match="уже есть"):
        call_command("import_policy", str(policy_file), version="3.0", effective_date="2099-12-01")

    assert PolicyVersion.objects.get().body == existing.body


def test_publishing_with_a_past_date_is_refused_and_nothing_is_saved(policy_file):
    with pytest.raises(CommandError, match="задним числом"):
        call_command(
            "import_policy",
            str(policy_file),
            version="3.0",
            effective_date="2020-01-01",
            publish=True,
        )

    assert not PolicyVersion.objects.exists()
