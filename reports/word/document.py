"""A report as a Word document (.docx): a working copy that the improvement team edits into a
committee paper. The issued PDF stays the record, and the document says so on its first page.

One source of truth: the document is made from the very HTML the PDF is printed from
(`reports.pdf.render_html` with `reports.context.report_context`), read element by element:

- `h1` is the document's Title; `h2`, `h3`, `h4` are Heading 1, 2, 3 (the navigation pane and
  a table of contents work from them), and the cover's contents list becomes a Word table of
  contents field;
- a `table` is a Word table, its caption in the Caption style before it and its head rows
  repeated at the top of every page; `colspan` merges cells;
- an `img` (the charts, SVG) is a PNG picture (`reports.word.pictures`) with the image's
  `alt` as the picture's alternative text;
- paragraphs, numbered paragraphs (2.1, 2.2 …), lists, addresses and the cover's list of
  terms keep their words and their emphasis.

So a section a kind's template lays out needs no Word code of its own. A section of `SECTIONS`
that the template does not lay out (yet) is not lost: it gets its heading, its commentary and a
plain table of its data from the context (`_generic_section`).

Text is taken from the parsed HTML, where Django escaped it: a title with `<b>` or `&` is
those characters in Word, never markup.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Protocol
from urllib.parse import unquote_to_bytes

import docx
import lxml.html
from django.utils.dateformat import format as format_date
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from reports.context import report_context
from reports.models import Report
from reports.pdf import render_html
from reports.word.pictures import svg_to_png

LANGUAGE = "en-GB"
FONT = "Arial"
MUTED = RGBColor(0x50, 0x5A, 0x5F)
DRAFT_RED = RGBColor(0xD4, 0x35, 0x1C)
HEADER_FILL = "F3F2F1"
TEXT_WIDTH_CM = 17.0  # A4 less 2 cm margins each side
PX_PER_CM = 37.8  # CSS pixels (96 to the inch)
NUMBER_INDENT = Cm(1.2)
TABLE_TEXT = "Table text"  # 10 point, no space after: the style of paragraphs in tables
CHAR_CM = 0.22  # the width of a character of table text, near enough, in centimetres
CELL_PAD = 0.45  # a cell's margins

HEADING_STYLES = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3"}
BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "figure",
    "footer",
    "header",
    "img",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "table",
    "ul",
    *HEADING_STYLES,
}
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Look:
    """How a run of text looks."""

    bold: bool = False
    italic: bool = False
    muted: bool = False
    colour: RGBColor | None = None


@dataclass
class Text:
    text: str
    look: Look


class Break:
    """A line break inside a paragraph (`<br>`)."""


Piece = Text | Break


class Container(Protocol):
    def add_paragraph(self, text: str = "", style: Any = None) -> Paragraph: ...
    def add_table(self, rows: int, cols: int, *args: Any) -> Table: ...


class Place:
    """Where blocks are added: the document's body or a table cell, whose first (empty)
    paragraph is used before any new one is added."""

    def __init__(self, container: Document | _Cell, width_cm: float = TEXT_WIDTH_CM) -> None:
        self.container = container
        self.width_cm = width_cm
        self.fresh = isinstance(container, _Cell)
        self.style = TABLE_TEXT if self.fresh else None

    def paragraph(self, style: str | None = None) -> Paragraph:
        style = style or self.style
        if self.fresh:
            self.fresh = False
            paragraph = self.container.paragraphs[0]
            if style:
                paragraph.style = style
            return paragraph
        return self.container.add_paragraph(style=style)

    def table(self, rows: int, cols: int) -> Table:
        if isinstance(self.container, _Cell):
            self.fresh = False
            return self.container.add_table(rows, cols)
        return self.container.add_table(rows, cols)


def _classes(el: HtmlElement) -> set[str]:
    return set((el.get("class") or "").split())


def _tag(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _text_of(el: HtmlElement) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


class Writer:
    """Turns the report's HTML into the document's paragraphs, tables and pictures."""

    def __init__(self, document: Document, context: dict[str, Any]) -> None:
        self.document = document
        self.context = context
        self.section_keys = [s["key"] for s in context.get("section_list", [])]
        self.laid_out: set[str] = set()
        self.pictures = 0

    # -------------------------------------------------------------- blocks

    def blocks(self, place: Place, el: HtmlElement, look: Look = Look()) -> None:
        """The element's content: inline content gathered into paragraphs, block children
        written in turn."""
        pending: list[Piece] = []
        if el.text:
            pending.append(Text(el.text, look))
        for child in el:
            tag = _tag(child)
            if tag in BLOCK_TAGS:
                self.flush(place, pending)
                pending = []
                self.block(place, child, look)
            elif tag:
                self.inline(child, look, pending)
            if child.tail:
                pending.append(Text(child.tail, look))
        self.flush(place, pending)

    def block(self, place: Place, el: HtmlElement, look: Look) -> None:
        tag, classes = _tag(el), _classes(el)
        if tag == "section":
            self.section(place, el, look)
        elif tag in HEADING_STYLES:
            self.flush(place, self.pieces(el, look), style=HEADING_STYLES[tag])
        elif tag == "p":
            self.paragraph(place, el, look, classes)
        elif tag in ("ul", "ol"):
            self.listing(place, el, look, numbered=tag == "ol", plain="signatories" in classes)
        elif tag == "table":
            self.table(place, el)
        elif tag == "img":
            self.picture(place, el)
        elif tag == "nav" and "contents" in classes:
            self.contents(place, el)
        elif tag == "dl":
            self.terms(place, el, look)
        elif tag == "header" and "cover" in classes:
            self.blocks(place, el, look)
            self.page_break(place)
        else:
            self.blocks(place, el, look)

    def section(self, place: Place, el: HtmlElement, look: Look) -> None:
        ident, classes = el.get("id") or "", _classes(el)
        if ident.startswith("section-"):
            self.generic_sections_before(place, ident.removeprefix("section-"))
        elif ident.startswith("appendix"):
            self.generic_sections_before(place, None)
        self.blocks(place, el, look)
        if "letter" in classes:
            self.page_break(place)

    def paragraph(self, place: Place, el: HtmlElement, look: Look, classes: set[str]) -> None:
        if "draft-mark" in classes:
            look = replace(look, bold=True, colour=DRAFT_RED)
        if "muted" in classes:
            look = replace(look, muted=True)
        pieces = self.pieces(el, look)
        style = "Subtitle" if "kind" in classes else None
        paragraph = self.flush(place, pieces, style=style)
        if paragraph is not None and "numbered" in classes:
            fmt = paragraph.paragraph_format
            fmt.left_indent = NUMBER_INDENT
            fmt.first_line_indent = -NUMBER_INDENT
            fmt.tab_stops.add_tab_stop(NUMBER_INDENT)

    def listing(
        self, place: Place, el: HtmlElement, look: Look, *, numbered: bool, plain: bool
    ) -> None:
        style = None if plain else ("List Number" if numbered else "List Bullet")
        for item in el:
            if _tag(item) == "li":
                self.flush(place, self.pieces(item, look), style=style)

    def terms(self, place: Place, el: HtmlElement, look: Look) -> None:
        """A list of terms (the cover's As of, Status …): each term in bold, then its value."""
        pending: list[Piece] = []
        for child in el:
            if _tag(child) == "dt":
                self.flush(place, pending)
                pending = [*self.pieces(child, replace(look, bold=True)), Text(": ", look)]
            elif _tag(child) == "dd":
                pending.extend(self.pieces(child, look))
        self.flush(place, pending)

    def page_break(self, place: Place) -> None:
        place.paragraph().add_run().add_break(WD_BREAK.PAGE)

    # -------------------------------------------------------------- inline text

    def pieces(self, el: HtmlElement, look: Look) -> list[Piece]:
        """The element's own content as text pieces (block children read as inline)."""
        pending: list[Piece] = []
        if el.text:
            pending.append(Text(el.text, look))
        for child in el:
            if _tag(child):
                self.inline(child, look, pending)
            if child.tail:
                pending.append(Text(child.tail, look))
        return pending

    def inline(self, el: HtmlElement, look: Look, pending: list[Piece]) -> None:
        tag, classes = _tag(el), _classes(el)
        if tag == "br":
            pending.append(Break())
            return
        if classes & {"visually-hidden", "govuk-visually-hidden"}:
            return  # words for screen readers beside a link, which Word does not keep
        if tag in ("strong", "b") or "tag" in classes:
            look = replace(look, bold=True)
        if tag in ("em", "i"):
            look = replace(look, italic=True)
        if "muted" in classes:
            look = replace(look, muted=True)
        if "number" in classes and tag == "span":
            pending.append(Text(_text_of(el), replace(look, bold=True)))
            pending.append(Text("\t", look))
            return
        pending.extend(self.pieces(el, look))

    def flush(
        self, place: Place, pieces: list[Piece], style: str | None = None
    ) -> Paragraph | None:
        """Write the pieces as one paragraph, with white space as a browser shows it;
        nothing if they hold no words."""
        runs = list(_normalise(pieces))
        if not any(isinstance(p, Text) and p.text.strip() for p in runs):
            return None
        paragraph = place.paragraph(style)
        for piece in runs:
            if isinstance(piece, Break):
                paragraph.add_run().add_break()
                continue
            run = paragraph.add_run(piece.text)
            if piece.look.bold:
                run.bold = True
            if piece.look.italic:
                run.italic = True
            if piece.look.colour is not None:
                run.font.color.rgb = piece.look.colour
            elif piece.look.muted:
                run.font.color.rgb = MUTED
        return paragraph

    # -------------------------------------------------------------- tables

    def table(self, place: Place, el: HtmlElement) -> None:
        caption = el.find("caption")
        caption_text = _text_of(caption) if caption is not None else ""
        if caption is not None:
            captioned = self.flush(place, self.pieces(caption, Look()), style="Caption")
            if captioned is not None:
                captioned.paragraph_format.keep_with_next = True
        rows: list[tuple[HtmlElement, bool]] = []
        for part in el:
            tag = _tag(part)
            if tag in ("thead", "tbody", "tfoot"):
                rows.extend((tr, tag == "thead") for tr in part if _tag(tr) == "tr")
            elif tag == "tr":
                rows.append((part, False))
        columns = max(
            (sum(_span(c) for c in tr if _tag(c) in ("td", "th")) for tr, _ in rows), default=0
        )
        if not columns:
            return
        widths = _column_widths(rows, columns, place.width_cm)
        table = place.table(0, columns)
        table.style = self.document.styles["Table Grid"]
        table.autofit = False
        _describe(table, caption_text)
        for tr, is_head in rows:
            row = table.add_row()
            if is_head:
                _repeat_as_header(row._tr)
            column = 0
            for cell_el in tr:
                if _tag(cell_el) not in ("td", "th") or column >= columns:
                    continue
                span = min(_span(cell_el), columns - column)
                cell = row.cells[column]
                if span > 1:
                    cell = cell.merge(row.cells[column + span - 1])
                cell.width = Cm(sum(widths[column : column + span]))
                if is_head:
                    _shade(cell, HEADER_FILL)
                look = Look(bold=_tag(cell_el) == "th")
                cell_place = Place(cell, sum(widths[column : column + span]) - 0.4)
                if "muted" in _classes(cell_el):
                    look = replace(look, muted=True)
                self.blocks(cell_place, cell_el, look)
                column += span
        for index, width in enumerate(widths):
            table.columns[index].width = Cm(width)
        # A paragraph between tables keeps Word from joining two tables into one.
        place.paragraph()

    # -------------------------------------------------------------- pictures

    def picture(self, place: Place, el: HtmlElement) -> None:
        data = _data_uri(el.get("src") or "")
        if data is None:
            return
        content_type, raw = data
        if content_type == "image/svg+xml":
            raw, width_px = svg_to_png(raw)
        else:
            width_px = float(el.get("width") or TEXT_WIDTH_CM * PX_PER_CM)
        width = Cm(min(place.width_cm, width_px / PX_PER_CM))
        paragraph = place.paragraph()
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(raw), width=width)
        self.pictures += 1
        alt = re.sub(r"\s+", " ", el.get("alt") or "").strip()
        for properties in run._r.iter(qn("wp:docPr")):
            properties.set("descr", alt)
            properties.set("name", f"Chart {self.pictures}")

    # -------------------------------------------------------------- contents

    def contents(self, place: Place, el: HtmlElement) -> None:
        """The cover's contents as a Word table of contents (headings of levels 1 and 2),
        showing the PDF's list of parts until Word updates it with page numbers."""
        heading = el.find(".//h2")
        if heading is not None:
            self.flush(place, self.pieces(heading, Look()), style="TOC Heading")
        entries = [_text_of(li) for li in el.iter("li")]
        if not entries:
            return
        paragraphs = [place.paragraph() for _ in entries]
        _field_start(paragraphs[0], r'TOC \o "1-2" \h \z \u')
        for paragraph, entry in zip(paragraphs, entries, strict=True):
            paragraph.add_run(entry)
        _field_end(paragraphs[-1])

    # -------------------------------------------------------------- sections with no layout

    def generic_sections_before(self, place: Place, key: str | None) -> None:
        """Write the sections of the kind, before `key` (or all that are left when `key` is
        None), that the template did not lay out."""
        if key is not None:
            self.laid_out.add(key)
        stop = self.section_keys.index(key) if key in self.section_keys else None
        for earlier in self.section_keys[:stop]:
            if earlier not in self.laid_out:
                self.laid_out.add(earlier)
                self.generic_section(place, earlier)

    def generic_section(self, place: Place, key: str) -> None:
        """A section with no layout of its own: its heading, its numbered commentary, and
        what the context holds under its key as a plain table."""
        section = self.context["sections"][key]
        place.paragraph("Heading 1").add_run(f"{section['number']}. {section['title']}")
        for paragraph in section["paragraphs"]:
            self.numbered(place, paragraph["number"], paragraph["text"])
        data = self.context.get(key)
        if data:
            for caption, header, rows in _tables_of(section["title"], data):
                self.plain_table(place, caption, header, rows)

    def numbered(self, place: Place, number: str, text: str) -> None:
        pieces: list[Piece] = [Text(number, Look(bold=True)), Text("\t", Look())]
        for index, line in enumerate(text.splitlines()):
            if index:
                pieces.append(Break())
            pieces.append(Text(line, Look()))
        paragraph = self.flush(place, pieces)
        if paragraph is not None:
            fmt = paragraph.paragraph_format
            fmt.left_indent = NUMBER_INDENT
            fmt.first_line_indent = -NUMBER_INDENT
            fmt.tab_stops.add_tab_stop(NUMBER_INDENT)

    def plain_table(
        self, place: Place, caption: str, header: list[str], rows: list[list[str]]
    ) -> None:
        html = lxml.html.fragment_fromstring("<table></table>")
        cap = lxml.html.Element("caption")
        cap.text = caption
        html.append(cap)
        head = lxml.html.Element("thead")
        head.append(_tr("th", header))
        body = lxml.html.Element("tbody")
        for row in rows:
            body.append(_tr("td", row))
        html.extend([head, body])
        self.table(place, html)


def _tr(cell: str, values: list[str]) -> HtmlElement:
    tr = lxml.html.Element("tr")
    for value in values:
        td = lxml.html.Element(cell)
        td.text = value
        tr.append(td)
    return tr


def _display(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime | datetime.date):
        return format_date(value, "j M Y")
    if isinstance(value, list | tuple | set):
        return ", ".join(_display(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_display(v)}" for k, v in value.items())
    return str(value)


def _heading(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def _tables_of(title: str, data: Any) -> Iterator[tuple[str, list[str], list[list[str]]]]:
    """A section's data as plain tables: a list of rows (dicts) as one table; a dict of
    such lists as one table each; anything else as a table of its fields."""
    if isinstance(data, dict):
        lists = {k: v for k, v in data.items() if isinstance(v, list) and v}
        if lists:
            for key, rows in lists.items():
                yield from _tables_of(f"{title}: {_heading(key).lower()}", rows)
            return
        yield title, ["Item", "Value"], [[_heading(k), _display(v)] for k, v in data.items()]
        return
    if isinstance(data, list | tuple):
        if all(isinstance(row, dict) for row in data):
            keys = list(dict.fromkeys(k for row in data for k in row))
            yield (
                title,
                [_heading(k) for k in keys],
                [[_display(r.get(k)) for k in keys] for r in data],
            )
        else:
            yield title, [title], [[_display(row)] for row in data]
        return
    yield title, [title], [[_display(data)]]


def _normalise(pieces: Iterable[Piece]) -> Iterator[Piece]:
    """White space as a browser shows it: runs of it as one space, none at the start or end
    of a line; tabs (after a paragraph's number) kept."""
    at_line_start = True
    space_owed = False
    for piece in pieces:
        if isinstance(piece, Break):
            space_owed = False
            at_line_start = True
            yield piece
            continue
        if piece.text == "\t":
            space_owed = False
            at_line_start = True
            yield piece
            continue
        text = re.sub(r"\s+", " ", piece.text)
        if not text:
            continue
        if text.startswith(" "):
            space_owed = not at_line_start
            text = text.lstrip(" ")
        if not text:
            continue
        trailing = text.endswith(" ")
        text = text.rstrip(" ")
        if space_owed:
            text = " " + text
        space_owed = trailing
        at_line_start = False
        yield Text(text, piece.look)


def _span(el: HtmlElement) -> int:
    try:
        return max(1, int(el.get("colspan") or 1))
    except ValueError:
        return 1


def _column_widths(
    rows: list[tuple[HtmlElement, bool]], columns: int, width_cm: float
) -> list[float]:
    """Each column at least as wide as its longest word (so no word is broken), and the rest
    of the width shared out by how much text each column holds (long text capped, so one
    long commentary does not squeeze the other columns); a table whose text fits on one
    line a cell is only as wide as that."""
    least = [0.0] * columns
    wish = [0.0] * columns
    spanned: list[tuple[int, int, int]] = []
    for tr, _ in rows:
        column = 0
        for cell in tr:
            if _tag(cell) not in ("td", "th"):
                continue
            span = _span(cell)
            words = _text_of(cell)
            if span == 1 and column < columns:
                longest_word = max((len(word) for word in words.split()), default=0)
                least[column] = max(least[column], min(longest_word * CHAR_CM, 4.0) + CELL_PAD)
                wish[column] = max(wish[column], min(len(words), 70) * CHAR_CM + CELL_PAD)
            elif span > 1:
                spanned.append((column, min(column + span, columns), len(words)))
            column += span
    least = [max(width, 1.0) for width in least]
    wish = [max(w, n) for w, n in zip(wish, least, strict=True)]
    # A cell across several columns ("No actions were recorded.") widens them in proportion.
    for first, last, length in spanned:
        needed = min(length, 70) * CHAR_CM + CELL_PAD
        have = sum(wish[first:last])
        if needed > have:
            for index in range(first, last):
                wish[index] *= needed / have
    if sum(wish) <= width_cm:
        return [round(width, 2) for width in wish]  # a small table: no wider than it needs
    if sum(least) >= width_cm:
        return [round(width * width_cm / sum(least), 2) for width in least]
    spare = width_cm - sum(least)
    room = [max(0.0, w - n) for w, n in zip(wish, least, strict=True)]
    if not sum(room):
        room = [1.0] * columns
    return [round(n + spare * r / sum(room), 2) for n, r in zip(least, room, strict=True)]


def _data_uri(src: str) -> tuple[str, bytes] | None:
    match = re.match(r"data:([^;,]+)(;base64)?,(.*)", src, re.DOTALL)
    if not match:
        return None
    try:
        raw = (
            base64.b64decode(match.group(3)) if match.group(2) else unquote_to_bytes(match.group(3))
        )
    except (binascii.Error, ValueError):
        return None
    return match.group(1), raw


def _repeat_as_header(tr: Any) -> None:
    """Mark a row as a header row, repeated at the top of each page the table runs over."""
    properties = tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    keep = OxmlElement("w:cantSplit")
    properties.insert(0, keep)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _describe(table: Table, caption: str) -> None:
    """The table's caption as its title for assistive technology (Word's table Alt Text)."""
    if not caption:
        return
    properties = table._tbl.tblPr
    title = OxmlElement("w:tblCaption")
    title.set(qn("w:val"), caption[:255])
    properties.append(title)


def _field_start(paragraph: Paragraph, instruction: str) -> None:
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    paragraph.add_run()._r.append(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    paragraph.add_run()._r.append(separate)


def _field_end(paragraph: Paragraph) -> None:
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


# ------------------------------------------------------------------ the document


def _set_up(document: Document, report: Report, context: dict[str, Any]) -> None:
    """A4 pages, the house font, British English, and the document's properties."""
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    table_text = document.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(10)
    table_text.paragraph_format.space_after = Pt(0)
    caption = document.styles["Caption"]
    caption.font.size = Pt(10)
    caption.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "TOC Heading"):
        style = document.styles[name]
        style.font.name = FONT
        _without_theme_fonts(style.element.rPr.rFonts)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is not None:
            rpr = run_defaults.find(qn("w:rPr"))
            if rpr is not None:
                for old in rpr.findall(qn("w:lang")):
                    rpr.remove(old)
                lang = OxmlElement("w:lang")
                lang.set(qn("w:val"), LANGUAGE)
                lang.set(qn("w:eastAsia"), LANGUAGE)
                lang.set(qn("w:bidi"), "ar-SA")
                rpr.append(lang)
                fonts = rpr.find(qn("w:rFonts"))
                if fonts is not None:
                    _without_theme_fonts(fonts)
                    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
                        fonts.set(qn(attribute), FONT)
    snap = context["snap"]
    properties = document.core_properties
    # Word keeps at most 255 characters in a property.
    properties.title = report.title[:255]
    properties.author = snap.authority_name
    properties.last_modified_by = snap.authority_name
    properties.subject = (
        f"{report.get_kind_display()} as of {format_date(report.as_of, 'j F Y')}: working copy"
    )
    properties.language = LANGUAGE
    properties.keywords = "working copy"
    properties.comments = (
        f"Working copy. The record is the issued PDF, SHA-256 {report.sha256}."
        if report.is_final and report.sha256
        else "Working copy of a draft. Once issued, the report's PDF is the record."
    )
    properties.category = report.get_kind_display()
    header = document.sections[0].header.paragraphs[0]
    header.text = f"Working copy of {report.title}. The PDF is the record."
    for run in header.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = MUTED


def _without_theme_fonts(fonts: Any) -> None:
    """Drop the template's theme fonts, which Word prefers to the font named."""
    if fonts is None:
        return
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def working_copy_notice(report: Report) -> str:
    """What the first page says about this document and the record."""
    if report.is_final and report.sha256:
        issued = format_date(report.issued_on, "j F Y") if report.issued_on else ""
        return (
            "This Word document is a working copy, made to be edited into a committee paper. "
            f"It is not the report: the record is the PDF issued on {issued} "
            f"({report.pdf_filename}), whose SHA-256 checksum is {report.sha256}. "
            "Check any copy of the PDF against that checksum; quote the PDF, not this document."
        )
    return (
        "This Word document is a working copy of a draft, made to be edited into a committee "
        "paper. It is not the report: the report has not been issued, and when it is, its PDF, "
        "with its SHA-256 checksum, is the record, not this document."
    )


def _notice(document: Document, report: Report) -> None:
    paragraph = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    paragraph.add_run("Working copy: not the record. ").bold = True
    paragraph.add_run(working_copy_notice(report))
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "12")
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), "1D70B8")
        borders.append(edge)
    paragraph._p.get_or_add_pPr().append(borders)
    paragraph.paragraph_format.space_after = Pt(18)


def render_docx(report: Report, context: dict[str, Any] | None = None) -> bytes:
    """The report as a .docx working copy, from the same context and HTML as its PDF."""
    if context is None:
        # An issued report's context reads the record as it stood when it was issued.
        context = report_context(report)
    html = render_html(report, context)
    root = lxml.html.document_fromstring(html)
    document = docx.Document()
    _set_up(document, report, context)
    _notice(document, report)
    writer = Writer(document, context)
    place = Place(document)
    body = root.body
    for child in body:
        if _tag(child) in BLOCK_TAGS:
            writer.block(place, child, Look())
    writer.generic_sections_before(place, None)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_filename(report: Report) -> str:
    return report.pdf_filename.removesuffix(".pdf") + "-working-copy.docx"
