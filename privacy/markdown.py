"""Policy texts: Markdown in; sanitized HTML, a table of contents and plain-text blocks out.

Administrators write the policy in Markdown (CommonMark with tables). What reaches a visitor's
browser is always passed through nh3 with a short allow-list, so text typed into the admin can
never carry a script, an event handler or a `javascript:` link onto the public pages.
"""

import re
from dataclasses import dataclass, field

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

# Raw HTML is allowed in the Markdown (it is part of CommonMark), and the sanitizer decides
# what of it survives.
_markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

_ALLOWED_TAGS = {
    *("p", "br", "hr", "blockquote", "pre", "code", "ul", "ol", "li", "dl", "dt", "dd"),
    *("h2", "h3", "h4", "h5", "h6", "a", "strong", "b", "em", "i", "s", "del", "ins"),
    *("sub", "sup", "small", "mark", "abbr", "span"),
    *("table", "thead", "tbody", "tr", "th", "td"),
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
_CLAUSE_DEPTHS = range(2, 5)
_ALLOWED_CLASSES = {
    "p": {"clause", *(f"clause--depth-{depth}" for depth in _CLAUSE_DEPTHS)},
    "ul": {"clauses"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# "1.", "6.1.", "6.1.1" at the start of a text: the operator's clause numbering.
_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?(?=\s)")
# A sub-clause ("1.1.", "6.1.1.") at the start of a paragraph or a list item.
_CLAUSE_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?\s")
# "1. ОПРЕДЕЛЕНИЕ ТЕРМИНОВ": a numbered line in capitals is a section heading in the operator's
# texts, although CommonMark would read it as an ordered list of one item.
_CAPITALS_SECTION = re.compile(r"^(\d{1,2})\.\s+(?=[^a-zа-яё]*[A-ZА-ЯЁ])([^a-zа-яё]+?)\s*$")


@dataclass(frozen=True)
class TocEntry:
    """A heading of the policy: the table of contents links to it by its anchor."""

    anchor: str
    text: str
    children: list["TocEntry"] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedPolicy:
    html: SafeString
    toc: list[TocEntry]


@dataclass(frozen=True)
class TextBlock:
    """One block of a policy as plain text, for comparing versions."""

    kind: str  # "heading", "paragraph" or "item"
    text: str
    level: int = 0  # headings only: 2 for a section, 3 for a subsection…


@dataclass(frozen=True)
class ImportedText:
    title: str
    body: str


def render_policy(text: str) -> RenderedPolicy:
    """The policy as sanitized HTML, its headings carrying stable ids, and its contents."""
    tokens = _parse(text)
    anchors = _add_heading_anchors(tokens)
    _mark_clauses(tokens)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    cleaner = nh3.Cleaner(
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        # Only the ids generated here survive: raw HTML in the text cannot take over ids of
        # the page around it (`main`, the skip link's target).
        tag_attribute_values={tag: {"id": set(anchors)} for tag in _HEADING_TAGS},
        allowed_classes=_ALLOWED_CLASSES,
        url_schemes=_URL_SCHEMES,
    )
    return RenderedPolicy(html=mark_safe(cleaner.clean(html)), toc=_table_of_contents(tokens))  # noqa: S308 — sanitized just above


def text_blocks(text: str) -> list[TextBlock]:
    """The policy's headings, paragraphs and list items as plain text, in reading order."""
    blocks: list[TextBlock] = []
    tokens = _parse(text)
    in_list_item = 0
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            in_list_item += 1
        elif token.type == "list_item_close":
            in_list_item -= 1
        elif token.type == "heading_open":
            blocks.append(
                TextBlock("heading", _plain_text(tokens[index + 1]), level=int(token.tag[1]))
            )
        elif token.type == "paragraph_open":
            kind = "item" if in_list_item else "paragraph"
            blocks.append(TextBlock(kind, _plain_text(tokens[index + 1])))
        elif token.type in ("fence", "code_block"):
            blocks.append(TextBlock("paragraph", token.content.strip()))
        elif token.type == "tr_open":
            cells = []
            for cell in tokens[index + 1 :]:
                if cell.type == "tr_close":
                    break
                if cell.type == "inline":
                    cells.append(_plain_text(cell))
            blocks.append(TextBlock("paragraph", " | ".join(cells)))
        elif token.type == "html_block":
            blocks.append(TextBlock("paragraph", nh3.clean(token.content, tags=set()).strip()))
    return [block for block in blocks if block.text]


def prepare_imported_text(text: str, *, title: str = "") -> ImportedText:
    """An operator's document as a policy version: a title and a Markdown body.

    Without a given title, the first line becomes the title when it looks like one (a
    Markdown heading, or a short line that is neither a list item nor a numbered clause).
    Numbered section lines in capitals become level-2 headings, so the table of contents
    shows every section.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    lines = [line.rstrip() for line in lines]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not title and lines and _looks_like_title(lines[0]):
        title = lines.pop(0).lstrip("#").strip()
    body = "\n".join(_CAPITALS_SECTION.sub(r"## \1. \2", line) for line in lines).strip()
    return ImportedText(title=title.strip(), body=body + "\n" if body else "")


def _looks_like_title(line: str) -> bool:
    stripped = line.strip()
    if stripped.startswith("# "):
        return True
    return (
        0 < len(stripped) <= 200
        and not stripped.startswith(("#", "-", "*", "+", ">", "|", "<"))
        and not _NUMBER.match(stripped)
        and not stripped.endswith((".", ":", ";", ","))
    )


def _parse(text: str) -> list[Token]:
    tokens = _markdown.parse(text)
    _shift_headings(tokens)
    return tokens


def _shift_headings(tokens: list[Token]) -> None:
    """The page's title is its only h1: the text's headings start at h2."""
    levels = [int(token.tag[1]) for token in tokens if token.type == "heading_open"]
    shift = max(0, 2 - min(levels, default=2))
    if shift:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(6, int(token.tag[1]) + shift)}"


def _add_heading_anchors(tokens: list[Token]) -> list[str]:
    """Ids that stay the same between versions: `razdel-6-1` for "6.1. …", else a slug."""
    anchors: list[str] = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = _plain_text(tokens[index + 1])
        number = _NUMBER.match(text)
        if number:
            base = "razdel-" + number.group(1).replace(".", "-")
        else:
            base = slugify(text, allow_unicode=True) or "razdel"
        anchor, suffix = base, 2
        while anchor in anchors:
            anchor, suffix = f"{base}-{suffix}", suffix + 1
        token.attrSet("id", anchor)
        anchors.append(anchor)
    return anchors


def _mark_clauses(tokens: list[Token]) -> None:
    """Numbered clauses get classes: indented by depth, and lists of them without bullets."""
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and not token.hidden:
            depth = _clause_depth(tokens[index + 1])
            if depth:
                token.attrSet("class", f"clause clause--depth-{min(depth, max(_CLAUSE_DEPTHS))}")
        elif token.type == "bullet_list_open":
            first_paragraphs = [
                tokens[item + 2]
                for item in _direct_items(tokens, index)
                if tokens[item + 1].type == "paragraph_open"
            ]
            if first_paragraphs and all(_clause_depth(p) for p in first_paragraphs):
                token.attrSet("class", "clauses")


def _direct_items(tokens: list[Token], list_index: int) -> list[int]:
    level = tokens[list_index].level
    items = []
    for index in range(list_index + 1, len(tokens)):
        token = tokens[index]
        if token.level == level and token.type == "bullet_list_close":
            break
        if token.level == level + 1 and token.type == "list_item_open":
            items.append(index)
    return items


def _clause_depth(inline: Token) -> int:
    number = _CLAUSE_NUMBER.match(_plain_text(inline))
    return number.group(1).count(".") + 1 if number else 0


def _table_of_contents(tokens: list[Token]) -> list[TocEntry]:
    """Sections (h2) with their subsections (h3); deeper headings stay out of the contents."""
    toc: list[TocEntry] = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag not in ("h2", "h3"):
            continue
        entry = TocEntry(anchor=str(token.attrGet("id")), text=_plain_text(tokens[index + 1]))
        if token.tag == "h3" and toc:
            toc[-1].children.append(entry)
        else:
            toc.append(entry)
    return toc


def _plain_text(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return re.sub(r"\s+", " ", "".join(parts)).strip()
