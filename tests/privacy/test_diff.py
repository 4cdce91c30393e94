from privacy.diff import ADDED, CHANGED, REMOVED, RENUMBERED, SAME, diff_policy_texts

OLD = """\
## 1. Общие положения

1.1. Статистика посещений хранится один год.

1.2. Пункт, который уберут.

1.3. Пункт без изменений.

## 2. Права

2.1. Запрос подаётся письменно.
"""

NEW = """\
## 1. Общие положения

1.1. Статистика посещений хранится 90 дней.

1.3. Пункт без изменений.

## 2. Файлы cookie

2.1. Сайт сохраняет только технические файлы cookie.

## 3. Права

3.1. Запрос подаётся письменно.
"""


def _blocks(diff):
    for entry in diff.entries:
        yield from entry.blocks if entry.is_unchanged_run else [entry]


def _block(diff, containing: str):
    return next(b for b in _blocks(diff) if containing in "".join(f.text for f in b.fragments))


def test_an_edited_clause_shows_the_words_removed_and_added():
    diff = diff_policy_texts(OLD, NEW)

    edited = _block(diff, "Статистика")
    assert edited.change == CHANGED
    assert [(f.change, f.text) for f in edited.fragments] == [
        (SAME, "1.1. Статистика посещений хранится "),
        (REMOVED, "один год"),
        (ADDED, "90 дней"),
        (SAME, "."),
    ]


def test_removed_and_added_clauses_are_whole_blocks():
    diff = diff_policy_texts(OLD, NEW)

    assert _block(diff, "который уберут").change == REMOVED
    assert _block(diff, "технические файлы").change == ADDED
    assert _block(diff, "Файлы cookie").change == ADDED
    assert diff.added == 2
    assert diff.removed == 1
    assert diff.changed == 1


def test_a_clause_whose_only_change_is_its_number_is_folded_with_the_unchanged_ones():
    diff = diff_policy_texts(OLD, NEW)

    moved = _block(diff, "Запрос подаётся")  # "2.1. Запрос…" became "3.1. Запрос…"
    assert moved.change == RENUMBERED
    assert [(f.change, f.text) for f in moved.fragments][:2] == [(REMOVED, "2"), (ADDED, "3")]
    folded = diff.entries[-1]
    assert folded.is_unchanged_run and folded.renumbered
    assert diff.renumbered == 2  # the heading "2. Права" → "3. Права" and its clause


def test_headings_stay_visible_while_unchanged_paragraphs_are_folded():
    diff = diff_policy_texts(OLD, NEW)

    first_heading, *_ = diff.entries
    assert first_heading.kind == "heading" and first_heading.change == SAME
    unchanged = next(e for e in diff.entries if e.is_unchanged_run and not e.renumbered)
    assert [b.fragments[0].text for b in unchanged.blocks] == ["1.3. Пункт без изменений."]


def test_identical_texts_have_no_changes():
    diff = diff_policy_texts(OLD, OLD)

    assert not diff.has_changes


def test_unrelated_texts_are_removed_and_added_rather_than_paired():
    diff = diff_policy_texts("Совсем один текст про сроки.\n", "Другие слова о cookie.\n")

    assert [b.change for b in _blocks(diff)] == [REMOVED, ADDED]
