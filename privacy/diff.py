"""What changed between two versions of the policy.

The texts are compared block by block (headings, paragraphs, list items as plain text); a block
that was edited rather than replaced is then compared word by word. Unchanged paragraphs are
folded away, headings always stay, so a reader on a phone sees where each change sits.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from privacy.markdown import TextBlock, text_blocks

# Words, runs of spaces and single punctuation marks: the units a change is shown in.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+")
# How alike two blocks must be to be shown as one edited block rather than removed + added.
_EDITED_BLOCK_SIMILARITY = 0.5
# The clause or section number a block starts with ("5.", "6.1.").
_LEADING_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?\s+")

SAME, ADDED, REMOVED, CHANGED = "same", "added", "removed", "changed"
# Only the block's number changed (a section was inserted before it): not a change in substance.
RENUMBERED = "renumbered"


@dataclass(frozen=True)
class Fragment:
    change: str  # SAME, ADDED or REMOVED
    text: str


@dataclass(frozen=True)
class BlockChange:
    change: str  # SAME, ADDED, REMOVED, CHANGED or RENUMBERED
    kind: str  # "heading", "paragraph" or "item", as in TextBlock
    level: int
    fragments: list[Fragment]
    is_unchanged_run = False


@dataclass(frozen=True)
class UnchangedRun:
    """Consecutive paragraphs unchanged in substance, shown folded."""

    blocks: list[BlockChange]
    is_unchanged_run = True

    @property
    def renumbered(self) -> bool:
        return any(block.change == RENUMBERED for block in self.blocks)


@dataclass(frozen=True)
class PolicyDiff:
    entries: list[BlockChange | UnchangedRun]
    added: int
    removed: int
    changed: int
    renumbered: int

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.renumbered)


def diff_policy_texts(old_text: str, new_text: str) -> PolicyDiff:
    old, new = text_blocks(old_text), text_blocks(new_text)
    matcher = SequenceMatcher(a=[_key(b) for b in old], b=[_key(b) for b in new], autojunk=False)
    changes: list[BlockChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.extend(_whole(SAME, block) for block in new[j1:j2])
        else:
            changes.extend(_compare_replaced(old[i1:i2], new[j1:j2]))
    return PolicyDiff(
        entries=_fold_unchanged(changes),
        added=sum(c.change == ADDED for c in changes),
        removed=sum(c.change == REMOVED for c in changes),
        changed=sum(c.change == CHANGED for c in changes),
        renumbered=sum(c.change == RENUMBERED for c in changes),
    )


def _key(block: TextBlock) -> tuple[str, int, str]:
    return (block.kind, block.level, block.text)


def _whole(change: str, block: TextBlock) -> BlockChange:
    return BlockChange(change, block.kind, block.level, [Fragment(change, block.text)])


def _compare_replaced(old: list[TextBlock], new: list[TextBlock]) -> list[BlockChange]:
    """Pair each old block with the next similar new one; the rest were removed or added."""
    changes: list[BlockChange] = []
    new_words = [_words(block.text) for block in new]
    next_new = 0
    for old_block in old:
        old_words = _words(old_block.text)
        match = next(
            (
                k
                for k in range(next_new, len(new))
                if (old_block.kind == "heading") == (new[k].kind == "heading")
                and _alike(old_words, new_words[k])
            ),
            None,
        )
        if match is None:
            changes.append(_whole(REMOVED, old_block))
            continue
        changes.extend(_whole(ADDED, block) for block in new[next_new:match])
        changes.append(_edit(old_block, new[match]))
        next_new = match + 1
    changes.extend(_whole(ADDED, block) for block in new[next_new:])
    return changes


def _alike(old_words: tuple[str, ...], new_words: tuple[str, ...]) -> bool:
    """Alike enough to be one block edited. Measured in words, not letters: a better measure,
    and fast enough to compare two unrelated texts."""
    matcher = SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    return (
        matcher.real_quick_ratio() >= _EDITED_BLOCK_SIMILARITY
        and matcher.quick_ratio() >= _EDITED_BLOCK_SIMILARITY
        and matcher.ratio() >= _EDITED_BLOCK_SIMILARITY
    )


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


def _edit(old: TextBlock, new: TextBlock) -> BlockChange:
    if old.text == new.text:  # only its kind changed (a paragraph became a list item)
        return _whole(SAME, new)
    renumbered = _LEADING_NUMBER.sub("", old.text) == _LEADING_NUMBER.sub("", new.text)
    return BlockChange(
        RENUMBERED if renumbered else CHANGED,
        new.kind,
        new.level,
        _word_changes(old.text, new.text),
    )


def _word_changes(old: str, new: str) -> list[Fragment]:
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    # (removed, added) for a change, (text, text) for a kept stretch.
    ops = [
        ("".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2]), tag == "equal")
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    # A lone space kept between two changes would split one edit into many small ones.
    for index in range(1, len(ops) - 1):
        text, _, kept = ops[index]
        if kept and not text.strip() and not ops[index - 1][2] and not ops[index + 1][2]:
            ops[index] = (text, text, False)
    fragments: list[Fragment] = []
    removed = added = ""
    for old_part, new_part, kept in [*ops, ("", "", True)]:
        if not kept:
            removed, added = removed + old_part, added + new_part
            continue
        if removed:
            fragments.append(Fragment(REMOVED, removed))
        if added:
            fragments.append(Fragment(ADDED, added))
        removed = added = ""
        if old_part:
            fragments.append(Fragment(SAME, old_part))
    return fragments


def _fold_unchanged(changes: list[BlockChange]) -> list[BlockChange | UnchangedRun]:
    entries: list[BlockChange | UnchangedRun] = []
    run: list[BlockChange] = []
    for change in changes:
        if change.change in (SAME, RENUMBERED) and change.kind != "heading":
            run.append(change)
            continue
        if run:
            entries.append(UnchangedRun(run))
            run = []
        entries.append(change)
    if run:
        entries.append(UnchangedRun(run))
    return entries
