"""Fonts for the scripts of APEC languages that DejaVu Sans lacks: Chinese, Japanese,
Korean and Thai.

They come from font packages on the package index, installed with apecdocs' extras
(``pip install 'apecdocs[cjk]'``, ``'apecdocs[thai]'``). A PDF in one of these
languages names the language's font first, so Han characters take the Japanese,
Korean, simplified or traditional Chinese forms the reader expects; the same family
installed on the system (Noto Sans CJK) is the second choice. A CJK font comes before
DejaVu Sans, so punctuation and quotes take their CJK (full-width) forms; Thai keeps
Latin text in DejaVu Sans. Without either, the missing-glyph warning says which extra
to install.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from apecdocs.labels import canonical


@dataclass(frozen=True)
class ScriptFont:
    script: str                              # what a reader calls it, for messages
    families: tuple[str, ...]                # Typst family names, preferred first
    extra: str                               # pip install 'apecdocs[<extra>]'
    packages: tuple[tuple[str, str], ...]    # (module, folder in it) holding the files
    latin_first: bool = False                # Latin text in DejaVu Sans rather than this font

    def folders(self) -> list[Path]:
        """The installed packages' font folders (empty when the extra is missing)."""
        out = []
        for module, folder in self.packages:
            spec = importlib.util.find_spec(module)
            if spec and spec.submodule_search_locations:
                path = Path(next(iter(spec.submodule_search_locations))) / folder
                if path.is_dir():
                    out.append(path)
        return out

    def typst_fonts(self) -> list[str]:
        """The families to put before the template's own (DejaVu Sans)."""
        return (["DejaVu Sans"] if self.latin_first else []) + list(self.families)


_CJK = "justmytype_intl_cjk"
FONTS: dict[str, ScriptFont] = {
    "zh-Hans": ScriptFont("Chinese (simplified)", ("Noto Sans SC", "Noto Sans CJK SC"), "cjk",
                          ((_CJK, "fonts/ofl/notosanssc"),)),
    "zh-Hant": ScriptFont("Chinese (traditional)", ("Noto Sans TC", "Noto Sans CJK TC"), "cjk",
                          ((_CJK, "fonts/ofl/notosanstc"),)),
    "ja": ScriptFont("Japanese", ("Noto Sans JP", "Noto Sans CJK JP"), "cjk",
                     ((_CJK, "fonts/ofl/notosansjp"),)),
    "ko": ScriptFont("Korean", ("Noto Sans KR", "Noto Sans CJK KR"), "cjk",
                     ((_CJK, "fonts/ofl/notosanskr"),)),
    "th": ScriptFont("Thai", ("Noto Sans Thai",), "thai",
                     (("fontpkg_noto_sans_thai", "files"),
                      ("justmytype_intl_sea", "fonts/ofl/notosansthai")), latin_first=True),
}


def for_language(lang: str) -> ScriptFont | None:
    """The font a document in ``lang`` needs beyond DejaVu Sans, if any."""
    return FONTS.get(canonical(lang))


def installed_folders() -> list[Path]:
    """Every installed script font's folder (for the glyph check)."""
    return list(dict.fromkeys(p for font in FONTS.values() for p in font.folders()))


def extra_for(chars: list[str]) -> dict[str, str]:
    """``{extra: script}`` for the characters an extra's fonts would cover."""
    out: dict[str, str] = {}
    for ch in chars:
        name = unicodedata.name(ch, "")
        if name.startswith("THAI"):
            out.setdefault("thai", "Thai")
        elif any(word in name for word in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO",
                                           "IDEOGRAPHIC", "FULLWIDTH", "HALFWIDTH")):
            out.setdefault("cjk", "Chinese, Japanese, Korean")
    return out


def install_hint(chars: list[str], lang: str) -> str:
    """What to install so that ``chars`` print, in a sentence."""
    font = for_language(lang)
    extras = {font.extra: font.script} if font is not None else {}
    for extra, script in extra_for(chars).items():  # the document's language named first
        extras.setdefault(extra, script)
    if not extras:
        return ("install a font that covers them or name its file under 'fonts:' in "
                "apecdocs.yaml")
    wanted = ", ".join(f"pip install 'apecdocs[{extra}]' ({script})"
                       for extra, script in extras.items())
    return (f"install the fonts: {wanted}, or name a font file that covers them under "
            f"'fonts:' in apecdocs.yaml")
