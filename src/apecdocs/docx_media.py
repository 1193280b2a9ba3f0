"""Pictures handed to pandoc's DOCX writer as stand-ins; the real files are put in after.

Pandoc reads two things from a picture: its header (type, size in pixels, resolution),
which sets the size it is drawn at, and the whole file, which it decodes from the data
URI and compresses into the package. The second is slow: one 1.4 MB photograph took
pandoc 0.4 s. So the writer gets a *stand-in*: a file of the same type, size and
resolution (its header is the file's own, unchanged) with a mark naming the file's
content. After pandoc, each stand-in in the package's ``word/media`` is replaced by the
file it stands for (``restore``). The document is the same, byte for byte.

Pandoc decodes a PNG to learn its size, so a PNG's stand-in keeps every chunk before the
picture data and has the same number of pixels, all zero: a few hundred bytes that
inflate at once. A JPEG's keeps every segment before the scan; an SVG's, everything up
to the end of the root element's start tag. Only these three are stood in for (pandoc
also decodes a GIF, whose stand-in would need real pixel data), only when the stand-in
is much smaller, and never for a file these readers find odd (an interlaced PNG, a JPEG
without a frame header, an SVG that is not well-formed): that goes to pandoc whole.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import zlib

from lxml import etree

from .docx_package import DocxPackage

SAVING = 4096  # a stand-in must spare pandoc at least this many bytes
_PNG = b"\x89PNG\r\n\x1a\n"


def standin(data: bytes, mime: str) -> bytes | None:
    """A small file that pandoc reads as ``data``'s type and size, or None."""
    if mime == "image/png":
        made = _png(data)
    elif mime == "image/jpeg":
        made = _jpeg(data)
    elif mime == "image/svg+xml":
        made = _svg(data)
    else:
        made = None
    return made if made is not None and len(made) + SAVING <= len(data) else None


def restore(pkg: DocxPackage, originals: dict[bytes, bytes]) -> int:
    """Put each original in place of its stand-in in ``pkg``'s media; return how many."""
    if not originals:
        return 0
    restored = 0
    for name in pkg.names:
        if name.startswith("word/media/"):
            original = originals.get(pkg.data[name])
            if original is not None:
                pkg.data[name] = original
                restored += 1
    return restored


def _mark(data: bytes) -> bytes:
    """What makes a stand-in unique: the content it stands for."""
    return b"apecdocs stand-in " + hashlib.sha256(data).hexdigest().encode()


def _png(data: bytes) -> bytes | None:
    """The signature, IHDR and every chunk before the picture data, unchanged; the
    pixels, all zero; the mark in a tEXt chunk; IEND."""
    if not data.startswith(_PNG) or data[12:16] != b"IHDR":
        return None
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour)
    if channels is None or depth not in (1, 2, 4, 8, 16) or interlace != 0:
        return None
    at = len(_PNG)
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            count = height * (1 + (width * depth * channels + 7) // 8)
            if count // _BLOCK * len(_zero_block()) >= len(data):
                return None  # no smaller (a header may claim any size): not even made
            pixels = _zeros(count)
            return (data[:at] + _chunk(b"IDAT", pixels)
                    + _chunk(b"tEXt", b"apecdocs\0" + _mark(data)) + _chunk(b"IEND", b""))
        at += 12 + length
    return None


_BLOCK = 1 << 16


@functools.cache
def _zero_block() -> bytes:
    """64 KiB of zeros, deflated and flushed to a byte boundary with nothing carried over:
    repeated, it is a valid stream of as many."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(bytes(_BLOCK)) + packer.flush(zlib.Z_FULL_FLUSH)


def _zeros(count: int) -> bytes:
    """``count`` zero bytes as a zlib stream, without deflating them all (a photograph's
    worth would take a fiftieth of a second)."""
    whole, rest = divmod(count, _BLOCK)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = packer.compress(bytes(rest)) + packer.flush()
    adler = (count % 65521) << 16 | 1  # Adler-32 of zeros: a stays 1, b adds 1 per byte
    return b"\x78\xda" + _zero_block() * whole + tail + struct.pack(">I", adler)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _jpeg(data: bytes) -> bytes | None:
    """Every segment before the first scan (SOS), which must follow a frame header (SOF:
    the size), then the mark in a comment and the end marker."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at, frame = 2, False
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xDA:  # start of scan: the picture data begins
            if not frame:
                return None
            mark = _mark(data)
            return data[:at] + b"\xff\xfe" + struct.pack(">H", len(mark) + 2) + mark + b"\xff\xd9"
        if 0xD0 <= marker <= 0xD9 or marker == 0x01:  # markers without a length
            at += 2
            continue
        frame = frame or marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA,
                                    0xCB, 0xCD, 0xCE, 0xCF)
        at += 2 + struct.unpack(">H", data[at + 2:at + 4])[0]
    return None


# What may come before an SVG's root element: a declaration, comments, processing
# instructions, a DOCTYPE without an internal subset (one could declare entities the
# root's attributes use), and white space.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*>)*", re.S)
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*\s*(/?)>")


def _svg(data: bytes) -> bytes | None:
    """Everything up to the end of the root element's start tag, unchanged (pandoc reads
    the root's width, height and viewBox), the mark in a comment, the end tag; only for a
    file that is well-formed XML, so pandoc reads the stand-in as it would the file."""
    try:
        data.decode("utf-8")  # as pandoc reads it
    except UnicodeDecodeError:
        return None
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    root = _ROOT.match(body, _PROLOG.match(body).end())
    if root is None or root.group(2):
        return None
    try:
        parsed = etree.fromstring(data, _STRICT)
    except etree.XMLSyntaxError:
        return None
    if etree.QName(parsed).localname != "svg":
        return None
    end = len(data) - len(body) + root.end()
    return data[:end] + b"<!-- " + _mark(data) + b" --></" + root.group(1) + b">"
