"""PDF documents the portal makes (the receipt, the destruction act): fpdf2 (pure Python) with a
subset of DejaVu Sans (Latin, Cyrillic, «₽», «№»), shipped in `lkk/fonts/` under its licence
(`lkk/fonts/LICENSE.txt`; `make_subset.py` rebuilds it), so a fresh machine needs no system fonts.
"""

from pathlib import Path

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


class PortalPdf(FPDF):
    """An A4 page in millimetres with the shipped font, regular and bold."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONTS / "LKKSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "LKKSans-Bold.ttf"))
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(auto=True, margin=12)
        self.set_creator(settings.OPERATOR["short_name"])

    def text_line(
        self,
        text: str,
        *,
        size: float = 9,
        bold: bool = False,
        height: float = 4.6,
        width: float = 0,
    ) -> None:
        """A paragraph that wraps, then a new line at the left margin."""
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
