"""Rebuild the shipped fonts from DejaVu Sans 2.37 (`fonts-dejavu-core`, or dejavu-fonts.github.io):

    .venv/bin/python lkk/fonts/make_subset.py /usr/share/fonts/truetype/dejavu

Documents need Latin, Cyrillic, digits, punctuation, «₽» and «№»: the subset keeps those ranges
(about 700 glyphs of 6 000), so fpdf2 reads a font in milliseconds rather than a fifth of a
second. The Bitstream Vera licence (LICENSE.txt) allows modified fonts under a name without
"Bitstream" or "Vera"; the files are named `LKKSans*.ttf` accordingly.
"""

import sys
from pathlib import Path

from fontTools import subset

UNICODES = (
    "U+0020-007E,U+00A0-017F,U+0400-04FF,U+2010-2027,U+2030-203A,U+20BD,U+2116,U+2190-2193,"
    "U+2212,U+2022,U+2026,U+00AB,U+00BB"
)
FONTS = {"DejaVuSans.ttf": "LKKSans.ttf", "DejaVuSans-Bold.ttf": "LKKSans-Bold.ttf"}


def main(source: Path) -> None:
    here = Path(__file__).resolve().parent
    for original, shipped in FONTS.items():
        subset.main(
            [
                str(source / original),
                f"--unicodes={UNICODES}",
                "--no-hinting",
                "--layout-features=kern,liga",
                f"--output-file={here / shipped}",
            ]
        )
        print(f"{shipped}: {(here / shipped).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu"))
