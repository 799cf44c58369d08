"""`render --format docx`: the document as a Word file an officer can edit, route and stamp.

Built with python-docx from the same tokens as the HTML page (compliance.render.engine), so both
say the same thing: real headings (Heading 1-3), tables with a header row that repeats on every
page and rows that do not split, A4 pages with page numbers, East Asian fonts set for Chinese text
(w:eastAsia: SimSun for text, SimHei for headings, the fonts Chinese offices expect; other systems
substitute a CJK font), and placeholders highlighted in yellow. The file is deterministic: its
dates are the document's date and its zip entries carry a fixed time.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from compliance.render.engine import SHORT_CELL, Parsed, display_width

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(210), Mm(297), Mm(18)
TEXT_WIDTH_MM = 210 - 2 * 18
LATIN = {"en": ("Times New Roman", "Arial"), "zh": ("Times New Roman", "Arial")}  # text, headings
EAST_ASIAN = ("SimSun", "SimHei")  # text, headings
MARKS = {"todo": WD_COLOR_INDEX.YELLOW, "untranslated": WD_COLOR_INDEX.TURQUOISE}


def build(parsed: Parsed, lang: str, meta: dict) -> bytes:
    document = Document()
    _page(document)
    _styles(document, lang)
    _footer(document, lang, meta)
    _properties(document, meta)
    _Writer(document).write(parsed.tokens)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


# ----------------------------------------------------------------------------------- the page

def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN


def _fonts(style, latin: str, east_asian: str) -> None:
    style.font.name = latin
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _styles(document, lang: str) -> None:
    text, heading = LATIN[lang]
    normal = document.styles["Normal"]
    _fonts(normal, text, EAST_ASIAN[0])
    normal.font.size = Pt(10.5 if lang == "zh" else 10)
    normal.paragraph_format.space_after = Pt(4)
    language = normal.element.get_or_add_rPr()
    tag = OxmlElement("w:lang")
    tag.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")
    tag.set(qn("w:eastAsia"), "zh-CN")
    language.append(tag)
    for level, size in ((1, 16), (2, 12.5), (3, 11)):
        style = document.styles[f"Heading {level}"]
        _fonts(style, heading, EAST_ASIAN[1])
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1B, 0x1B, 0x1B)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(10 if level > 1 else 0)
        style.paragraph_format.space_after = Pt(4)
    for name in ("List Bullet", "Quote"):
        _fonts(document.styles[name], text, EAST_ASIAN[0])


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader's application fills in."""
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
            run._r.append(element)
        else:
            run.text = text


def _footer(document, lang: str, meta: dict) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    before, middle, after = ("第 ", " 页，共 ", " 页") if lang == "zh" else ("Page ", " of ", "")
    paragraph.add_run(f"{meta['number']}    {before}")
    _field(paragraph, "PAGE")
    paragraph.add_run(middle)
    _field(paragraph, "NUMPAGES")
    if after:
        paragraph.add_run(after)
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _properties(document, meta: dict) -> None:
    """The provenance public documents keep out of their text, as file properties."""
    properties = document.core_properties
    day = datetime.fromisoformat(meta["date"]).replace(tzinfo=timezone.utc)
    properties.title = meta["title"]
    properties.subject = meta["number"]
    properties.author = properties.last_modified_by = ""
    properties.created = properties.modified = day
    properties.revision = 1
    properties.keywords = f"declaration SHA-256 {meta['sha256']}"
    properties.comments = f"aicomply {meta['tool_version']}; rule packs {meta['packs']}"


def _fixed_zip(data: bytes) -> bytes:
    """The same entries, in the same order, with a fixed time: same inputs, same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------------- the tokens

class _Writer:
    """Walks markdown-it's tokens and writes Word paragraphs and tables."""

    def __init__(self, document) -> None:
        self.document = document
        self.block: str | None = None  # the fenced block we are in: cover, signatures, appendix
        self.lists: list[list] = []  # open lists: [ordered, next number]
        self.after_table = False  # the last block written was a table

    def write(self, tokens: list) -> None:
        index = 0
        while index < len(tokens):
            index = self._token(tokens, index)

    def _token(self, tokens: list, index: int) -> int:
        token = tokens[index]
        kind = token.type
        if kind.startswith("container_") and kind.endswith("_open"):
            self.block = kind[len("container_"):-len("_open")]
        elif kind.startswith("container_") and kind.endswith("_close"):
            self.block = None
        elif kind == "heading_open":
            self.after_table = False
            paragraph = self.document.add_heading(level=int(token.tag[1]))
            self._inline(paragraph, tokens[index + 1])
            return index + 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append([kind == "ordered_list_open", int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "paragraph_open":
            self._paragraph(tokens[index + 1], token)
            return index + 3
        elif kind == "table_open":
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == "table_close")
            self._table(tokens[index:end + 1], token.attrGet("class") == "kv")
            self.after_table = True
            return end + 1
        return index + 1

    def _paragraph(self, inline, opening) -> None:
        if self.lists:  # a paragraph inside a list item
            ordered, number = self.lists[-1]
            if ordered:
                paragraph = self.document.add_paragraph()
                paragraph.paragraph_format.left_indent = Mm(7)
                paragraph.paragraph_format.first_line_indent = Mm(-7)
                paragraph.add_run(f"{number}.\t")
                self.lists[-1][1] += 1
            else:
                paragraph = self.document.add_paragraph(style="List Bullet")
        else:
            paragraph = self.document.add_paragraph()
        if self.block == "appendix":
            paragraph.paragraph_format.space_after = Pt(2)
        if self.block == "signatures" and self.after_table:
            paragraph.paragraph_format.space_before = Pt(10)
            paragraph.paragraph_format.space_after = Pt(48)  # room for the seal
        self.after_table = False
        self._inline(paragraph, inline, size=Pt(8.5) if self.block == "appendix" else None)

    def _inline(self, paragraph, inline, size=None) -> None:
        bold = italic = False
        mark = None
        for child in inline.children or ():
            if child.type == "strong_open":
                bold = True
            elif child.type == "strong_close":
                bold = False
            elif child.type == "em_open":
                italic = True
            elif child.type == "em_close":
                italic = False
            elif child.type == "mark_open":
                mark = child.attrGet("class")
            elif child.type == "mark_close":
                mark = None
            elif child.type in ("text", "code_inline"):
                run = paragraph.add_run(child.content)
                run.bold, run.italic = bold or None, italic or None
                if mark:
                    run.font.highlight_color = MARKS[mark]
                    run.bold = True if mark == "todo" else run.bold
                if size:
                    run.font.size = size
            elif child.type in ("softbreak", "hardbreak"):
                paragraph.add_run(" ")

    def _table(self, tokens: list, label_value: bool) -> None:
        rows: list[tuple[bool, list]] = []
        header = False
        for token in tokens:
            if token.type == "thead_open":
                header = True
            elif token.type == "thead_close":
                header = False
            elif token.type == "tr_open":
                rows.append((header, []))
            elif token.type == "inline":
                rows[-1][1].append(token)
        columns = max(len(cells) for _, cells in rows)
        table = self.document.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        table.autofit = False
        widths = _widths(rows, columns, label_value, self.block)
        for column, width in zip(table.columns, widths):
            column.width = Mm(width)
        size = Pt(8.5) if self.block == "appendix" else Pt(9)
        for row, (is_header, cells) in zip(table.rows, rows):
            properties = row._tr.get_or_add_trPr()
            properties.append(OxmlElement("w:cantSplit"))
            if is_header:
                properties.append(OxmlElement("w:tblHeader"))  # repeated on every page the table spans
            if self.block == "signatures" and not is_header:
                row.height, row.height_rule = Mm(11), WD_ROW_HEIGHT_RULE.AT_LEAST
            for cell, inline, width in zip(row.cells, cells, widths):
                cell.width = Mm(width)
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(0)
                self._inline(paragraph, inline, size=size)
                if is_header or (label_value and cell is row.cells[0]):
                    for run in paragraph.runs:
                        run.bold = True
                    _shade(cell, "EFEFEF" if is_header else "F7F7F7")
        self.document.add_paragraph().paragraph_format.space_after = Pt(0)


def _widths(rows: list, columns: int, label_value: bool, block: str | None) -> list[float]:
    """Column widths in mm: a short cell never wraps (as in the HTML page); the rest share the
    width by how much text each column holds."""
    need = [0] * columns
    short = [0] * columns
    for _, cells in rows:
        for column, inline in enumerate(cells):
            width = display_width(inline.content)
            need[column] = max(need[column], min(width, 120))
            if width <= SHORT_CELL:
                short[column] = max(short[column], width)
    minimum = [max(12.0, value * 1.9 + 4) for value in short]  # about 1.9 mm per unit at 9 pt
    if label_value and columns == 2:
        first = min(max(minimum[0], 0.28 * TEXT_WIDTH_MM), 0.4 * TEXT_WIDTH_MM)
        return [first, TEXT_WIDTH_MM - first]
    total = sum(need) or 1
    widths = [max(minimum[c], TEXT_WIDTH_MM * need[c] / total) for c in range(columns)]
    scale = TEXT_WIDTH_MM / sum(widths)
    return [width * scale for width in widths]


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)
