"""Write the advance widths ``apecdocs.tables`` measures table text with.

The PDF's body font is DejaVu Sans (it ships with matplotlib); a build reads its
widths from ``src/apecdocs/font_widths.json`` instead of loading the font, which would
cost a second of imports on every build with a table. Run after changing the ranges:
``python tools/make_font_widths.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
from matplotlib import ft2font

ROOT = Path(__file__).resolve().parents[1]
RANGES = [(0x20, 0x24F), (0x250, 0x2FF), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x52F),
          (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F),
          (0x2150, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF)]


def widths(name: str) -> dict[str, int]:
    font = ft2font.FT2Font(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name))
    out = {}
    for start, end in RANGES:
        for code in range(start, end + 1):
            if font.get_char_index(code):
                glyph = font.load_char(code, flags=ft2font.LoadFlags.NO_SCALE)
                out[str(code)] = round(glyph.horiAdvance * 1000 / font.units_per_EM)
    return out


def main() -> None:
    data = {"font": "DejaVu Sans", "units_per_em": 1000,
            "regular": widths("DejaVuSans.ttf"), "bold": widths("DejaVuSans-Bold.ttf")}
    out = ROOT / "src/apecdocs/font_widths.json"
    out.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(data['regular'])} characters")


if __name__ == "__main__":
    main()
