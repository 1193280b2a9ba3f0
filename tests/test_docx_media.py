"""Pictures reach pandoc's DOCX writer as stand-ins and the package gets the real files.

The claim that matters: the DOCX is the same as if pandoc had been given each picture
whole (the same drawing at the same size, the same file in ``word/media``). Pandoc
itself is the judge: the same document is written with the real pictures and with
their stand-ins, and the parts are compared byte for byte.
"""

from __future__ import annotations

import base64
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import orjson
import pytest
from PIL import Image, TiffImagePlugin

from apecdocs import docx_media, pandoc
from apecdocs.docx_package import DocxPackage
from apecdocs.project import Project


def _noise(size: tuple[int, int] = (320, 240)) -> Image.Image:
    grey = Image.effect_noise(size, 80)
    return Image.merge("RGB", (grey, grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                               grey.transpose(Image.Transpose.FLIP_TOP_BOTTOM)))


def _saved(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _without_app0(jpeg: bytes) -> bytes:
    """A JPEG whose first segment is not JFIF's APP0 (as some cameras write them)."""
    assert jpeg[2:4] == b"\xff\xe0"
    length = struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:2] + jpeg[4 + length:]


def _svg(head: str = "") -> bytes:
    paths = "".join(f'<path d="M{i} 0 L{i} 100" stroke="#123456"/>' for i in range(400))
    return (f'{head}<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="150pt" '
            f'viewBox="0 0 400 150">{paths}</svg>').encode()


def _pictures() -> dict[str, tuple[bytes, str]]:
    picture = _noise()
    exif = Image.Exif()
    exif[0x011A] = exif[0x011B] = TiffImagePlugin.IFDRational(200, 1)  # 200 dots per inch
    exif[0x0128] = 2
    return {
        "png": (_saved(picture, "PNG"), "image/png"),
        "png at 150 dpi": (_saved(picture, "PNG", dpi=(150, 150)), "image/png"),
        "png with a palette": (_saved(picture.convert("P"), "PNG"), "image/png"),
        "grey png": (_saved(picture.convert("L"), "PNG"), "image/png"),
        "png with alpha": (_saved(picture.convert("RGBA"), "PNG"), "image/png"),
        "jpeg": (_saved(picture, "JPEG", quality=90), "image/jpeg"),
        "jpeg at 300 dpi": (_saved(picture, "JPEG", quality=90, dpi=(300, 300)), "image/jpeg"),
        "progressive jpeg": (_saved(picture, "JPEG", quality=90, progressive=True),
                             "image/jpeg"),
        "jpeg with exif": (_saved(picture, "JPEG", quality=90, exif=exif), "image/jpeg"),
        "cmyk jpeg": (_saved(picture.convert("CMYK"), "JPEG", quality=90), "image/jpeg"),
        "jpeg without app0": (_without_app0(_saved(picture, "JPEG", quality=90)), "image/jpeg"),
        "svg": (_svg(), "image/svg+xml"),
        "svg after a prolog": (_svg('<?xml version="1.0"?>\n<!-- drawn -->\n<!DOCTYPE svg '
                                    'PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                                    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'),
                               "image/svg+xml"),
    }


def _write(pictures: list[tuple[bytes, str]], dest: Path) -> dict[str, bytes]:
    """A DOCX with each picture three times: as it is, 2 inches wide, and at half the
    page's width (pandoc takes the height from the picture's proportions)."""
    paras = []
    for data, mime in pictures:
        uri = f"data:{mime};base64,{base64.b64encode(data).decode()}"
        for attrs in ([], [["width", "2in"]], [["width", "50%"]]):
            paras.append({"t": "Para", "c": [
                {"t": "Image", "c": [["", [], attrs], [{"t": "Str", "c": "A picture"}],
                                     [uri, ""]]}]})
    doc = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": paras}
    pandoc.run(["--sandbox", "-f", "json", "-t", "docx", "-o", str(dest)], orjson.dumps(doc))
    with zipfile.ZipFile(dest) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_each_kind_of_picture_gets_a_much_smaller_stand_in():
    for name, (data, mime) in _pictures().items():
        made = docx_media.standin(data, mime)
        assert made is not None, name
        assert len(made) * 8 < len(data), name
        assert made[:4] == data[:4], name  # the same type, by its first bytes


def test_pandoc_draws_the_stand_ins_as_it_draws_the_pictures(tmp_path):
    pictures = list(_pictures().values())
    originals: dict[bytes, bytes] = {}
    standins = []
    for data, mime in pictures:
        made = docx_media.standin(data, mime)
        originals[made] = data
        standins.append((made, mime))
    real = _write(pictures, tmp_path / "real.docx")
    stood = _write(standins, tmp_path / "stood.docx")
    assert real["word/document.xml"].count(b"<wp:extent") == 3 * len(pictures)
    pkg = DocxPackage(tmp_path / "stood.docx")
    assert docx_media.restore(pkg, originals) == len(pictures)
    media = [name for name in real if name.startswith("word/media/")]
    assert len(media) == len(pictures)
    assert all(pkg.data[name] == real[name] for name in media)
    for name in real:
        if not name.startswith("word/media/") and name != "docProps/core.xml":
            assert _described(real[name]) == _described(stood[name]), name


def _described(part: bytes) -> bytes:
    """A part as the build keeps it: pandoc describes a picture inside its drawing by its
    source, the data URI, which ``describe_pictures`` replaces by the alt text."""
    return re.sub(rb'(<pic:cNvPr descr=")data:[^"]*"', rb'\1"', part)


@pytest.mark.parametrize("case", [
    "small", "gif", "interlaced png", "png without picture data", "jpeg without frame",
    "truncated jpeg", "malformed svg", "svg with an internal subset", "svg not in utf-8",
    "not an svg", "empty svg root"])
def test_odd_pictures_go_to_pandoc_whole(case):
    picture = _noise()
    png = _saved(picture, "PNG")
    jpeg = _saved(picture, "JPEG", quality=90)
    sof = jpeg.index(b"\xff\xc0")
    data, mime = {
        "small": (_saved(_noise((8, 8)), "PNG"), "image/png"),
        "gif": (_saved(picture.convert("P"), "GIF"), "image/gif"),
        "interlaced png": (png[:28] + b"\x01" + png[29:], "image/png"),
        "png without picture data": (png[:png.index(b"IDAT") - 4] + b"\0" * 9000, "image/png"),
        "jpeg without frame": (jpeg[:sof] + b"\xff\xc4" + jpeg[sof + 2:], "image/jpeg"),
        "truncated jpeg": (jpeg[:sof] + b"\0" * 9000, "image/jpeg"),
        "malformed svg": (_svg()[:-6] + b"<g>", "image/svg+xml"),
        "svg with an internal subset": (_svg('<!DOCTYPE svg [<!ENTITY w "400pt">]>'),
                                        "image/svg+xml"),
        "svg not in utf-8": (_svg("<!-- caf\xe9 -->").replace(b"\xc3\xa9", b"\xe9"),
                             "image/svg+xml"),
        "not an svg": (_svg().replace(b"<svg", b"<html").replace(b"</svg>", b"</html>"),
                       "image/svg+xml"),
        "empty svg root": (b'<svg xmlns="http://www.w3.org/2000/svg" width="1"/>'
                           + b"<!--" + b" " * 9000 + b"-->", "image/svg+xml"),
    }[case]
    assert docx_media.standin(data, mime) is None


def test_a_png_claiming_a_vast_size_gets_no_stand_in_and_none_is_made():
    """A header may claim a million pixels square in a few bytes: blank pixels for it
    would not be smaller, and are not even made (they would fill the memory)."""
    png = _saved(_noise((64, 64)), "PNG")
    claim = struct.pack(">II", 1_000_000, 1_000_000)
    header = png[:16] + claim + png[24:29]
    vast = header + struct.pack(">I", zlib.crc32(header[12:29])) + png[33:] + b"\0" * 9000
    assert docx_media.standin(vast, "image/png") is None


def test_a_built_docx_holds_the_real_pictures_at_their_size(tmp_path):
    root = tmp_path / "p"
    (root / "images").mkdir(parents=True)
    photo = _saved(_noise((600, 400)), "JPEG", quality=90, dpi=(300, 300))
    chart = _saved(_noise((450, 300)), "PNG", dpi=(150, 150))
    (root / "images" / "photo.jpg").write_bytes(photo)
    (root / "images" / "chart.png").write_bytes(chart)
    (root / "apecdocs.yaml").write_text(
        "project: {number: TEST 01 2024, title: T}\n"
        "documents: [{id: d, type: document, title: D, sources: [a.md]}]\n",
        encoding="utf-8")
    (root / "a.md").write_text("# Pictures\n\n![The workshop](images/photo.jpg)\n\n"
                               "Between.\n\n![A chart](images/chart.png)\n", encoding="utf-8")
    Project.load(root).build(formats=["docx"])
    with zipfile.ZipFile(root / "_build" / "en" / "d.docx") as package:
        media = sorted(package.read(n) for n in package.namelist() if "/media/" in n)
        document = package.read("word/document.xml").decode()
    assert media == sorted([photo, chart])
    # 600 px at 300 dpi is 2 in (1,828,800 EMU); 450 px at 150 dpi is 3 in.
    assert '<wp:extent cx="1828800" cy="1219200"/>' in document
    assert '<wp:extent cx="2743200" cy="1828800"/>' in document


def test_pandoc_is_handed_the_stand_in(tmp_path):
    from conftest import place_by_walk

    root = tmp_path / "p"
    root.mkdir()
    photo = _saved(_noise(), "JPEG", quality=90)
    (root / "photo.jpg").write_bytes(photo)
    (root / "apecdocs.yaml").write_text(
        "project: {number: TEST 01 2024, title: T}\n"
        "documents: [{id: d, type: document, title: D, sources: [a.md]}]\n",
        encoding="utf-8")
    (root / "a.md").write_text("# A\n", encoding="utf-8")
    image = {"t": "Image", "c": [["", [], []], [], [str(root / "photo.jpg"), ""]]}
    ast = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [{"t": "Para", "c": [image]}]}
    originals: dict[bytes, bytes] = {}
    place_by_walk(ast, Project.load(root), "docx", originals)
    handed = base64.b64decode(image["c"][2][0].split(",", 1)[1])
    assert handed == docx_media.standin(photo, "image/jpeg")
    assert originals == {handed: photo}
