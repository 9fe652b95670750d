"""PDF/A-3u of sheets whose text the caller has already set line by line (fpdf2).

A document whose every page is planned by its caller — fixed-width lines of monospaced text,
a heading, page numbers written in — needs no layout engine: WeasyPrint (lib.pdf) would lay
out each line as a box and draw it glyph by glyph in Python, about 30 ms a page; here a line
is one text operation, about 2 ms a page (`make bench`: archive_vs_naive_ratio). Documents
with tables, wrapping text or style sheets stay with lib.pdf.

The fonts are DejaVu (fonts-dejavu-core, as WeasyPrint's documents use), found by fontconfig's
fc-match (package fontconfig), subset and embedded; the text is extractable (ToUnicode), as
PDF/A-3u asks.
"""

import subprocess
from functools import cache

from django.utils.translation import gettext as _

PAGE_WIDTH, PAGE_HEIGHT = 841.89, 595.28  # A4 landscape, in points
MARGIN = 25.5  # 9 mm
LINE = 10.5  # a text line's height, in points
TEXT_SIZE = 7.4  # monospaced lines
HEADING_SIZE, SUBHEADING_SIZE = 12, 9
STRIPE_GREY = 238  # every other body line is shaded, as ruled paper
FAMILIES = {
    ("sans", ""): "DejaVu Sans:style=Book",
    ("sans", "B"): "DejaVu Sans:style=Bold",
    ("mono", ""): "DejaVu Sans Mono:style=Book",
    ("mono", "B"): "DejaVu Sans Mono:style=Bold",
}


class FontMissing(RuntimeError):
    pass


@cache
def font_file(pattern: str) -> str:
    """The font file fontconfig chooses for `pattern`; loud if it is not the family asked
    for (fontconfig would otherwise substitute any font, without Cyrillic perhaps)."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}", pattern],
            capture_output=True, text=True, check=False, timeout=10,
        )  # fmt: skip
    except FileNotFoundError:  # fontconfig's tools are not installed
        found = subprocess.CompletedProcess([], 1, "", "")
    family, _tab, path = found.stdout.partition("\t")
    if found.returncode != 0 or pattern.split(":")[0] not in family.split(","):
        raise FontMissing(
            _("Не найден шрифт %(font)s (пакеты fonts-dejavu-core и fontconfig).")
            % {"font": pattern}
        )
    return path


class SheetsPDF:
    """Pages of A4 landscape: an optional title page of centred paragraphs, then sheets of
    a heading, a line under it, bold header lines and striped body lines."""

    def __init__(self, title: str, *, lang: str = "ru"):
        from fpdf import FPDF
        from fpdf.enums import DocumentCompliance

        pdf = FPDF(
            orientation="L", unit="pt", format="A4",
            enforce_compliance=DocumentCompliance.PDFA_3U,
        )  # fmt: skip
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN, MARGIN)
        pdf.c_margin = 0  # text starts at the margin, headings and lines alike
        for (family, style), pattern in FAMILIES.items():
            pdf.add_font(family, style=style, fname=font_file(pattern))
        pdf.set_title(title)
        pdf.set_lang(lang)
        pdf.set_creator("Журнал")
        self.pdf = pdf

    def title_page(self, paragraphs: list[tuple[str, int, float]]) -> None:
        """Centred paragraphs: (text, size in points, space above in points)."""
        pdf = self.pdf
        pdf.add_page()
        for text, size, above in paragraphs:
            pdf.set_font("sans", "B" if size >= HEADING_SIZE else "", size)
            pdf.set_y(pdf.get_y() + above)
            pdf.multi_cell(0, size * 1.3, text, align="C", new_x="LMARGIN", new_y="NEXT")

    def sheet(self, heading: str, subheading: str, header: list[str], lines: list[str]) -> None:
        pdf = self.pdf
        pdf.add_page()
        pdf.set_font("sans", "B", HEADING_SIZE)
        pdf.multi_cell(0, HEADING_SIZE * 1.2, heading, new_x="LMARGIN", new_y="NEXT")
        if subheading:
            pdf.set_font("sans", "", SUBHEADING_SIZE)
            pdf.multi_cell(0, SUBHEADING_SIZE * 1.25, subheading, new_x="LMARGIN", new_y="NEXT")
        top = pdf.get_y() + 4
        width = PAGE_WIDTH - 2 * MARGIN
        body_top = top + LINE * len(header)
        if lines:
            pdf.set_fill_color(STRIPE_GREY)
            for n in range(1, len(lines), 2):
                pdf.rect(MARGIN, body_top + n * LINE, width, LINE, style="F")
        baseline = LINE * 0.75  # the text's baseline within its line
        if header:
            pdf.set_font("mono", "B", TEXT_SIZE)
            for n, line in enumerate(header):
                pdf.text(MARGIN, top + n * LINE + baseline, line)
            pdf.set_line_width(0.6)
            pdf.line(MARGIN, body_top, MARGIN + width, body_top)
        pdf.set_font("mono", "", TEXT_SIZE)
        for n, line in enumerate(lines):
            if line.strip():
                pdf.text(MARGIN, body_top + n * LINE + baseline, line)

    @property
    def pages(self) -> int:
        return self.pdf.pages_count

    def output(self) -> bytes:
        return bytes(self.pdf.output())
