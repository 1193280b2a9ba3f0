"""A DOCX full of photographs: apecdocs against bare pandoc, in the same run.

A workshop report carries photographs: a few megapixels each, hundreds of kilobytes
to a few megabytes as JPEG. Pandoc's DOCX writer decodes each one to learn its size
and compresses it into the package; apecdocs hands it a stand-in of the same size and
puts the file in afterwards (``apecdocs.docx_media``). This script makes a project of
``--photos`` paragraphs, each followed by a photograph (noise: it compresses as badly
as a photograph does), and times, alternating, bare pandoc (Markdown -> DOCX, reading
the files) and a first build by apecdocs (its .apecdocs folder removed). It prints the
medians and the ratio, and checks that both packages hold the same pictures.

Needs no corpus: the pictures are drawn here (Pillow, which matplotlib installs).

    python benchmarks/photos.py [--photos 12] [--megapixels 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from PIL import Image

PROJECT = """\
project: {number: BENCH 02 2024, title: Photographs}
documents:
  - id: photos
    type: document
    title: Workshop photographs
    sources: [photos.md]
"""


def make_project(work: Path, photos: int, megapixels: float) -> None:
    (work / "images").mkdir(parents=True)
    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    lines = ["# Photographs of the workshop", ""]
    for n in range(1, photos + 1):
        grey = Image.effect_noise((width, height), 40 + n)
        photo = Image.merge("RGB", (grey, grey.rotate(180), grey.transpose(0)))
        photo.save(work / "images" / f"photo{n}.jpg", quality=88, dpi=(300, 300))
        lines += [f"Session {n} of the workshop, as the participants saw it.", "",
                  f"![Session {n}](images/photo{n}.jpg)", ""]
    (work / "photos.md").write_text("\n".join(lines), encoding="utf-8")
    (work / "apecdocs.yaml").write_text(PROJECT, encoding="utf-8")


def pictures(docx: Path) -> list[bytes]:
    with zipfile.ZipFile(docx) as package:
        return sorted(package.read(n) for n in package.namelist() if n.startswith("word/media/"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--megapixels", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from apecdocs.pandoc import pandoc_path

    work = Path(tempfile.mkdtemp(prefix="apecdocs-photos-"))
    try:
        make_project(work, args.photos, args.megapixels)
        size = sum(f.stat().st_size for f in (work / "images").iterdir()) / 1e6
        bare_out, built = work / "bare.docx", work / "_build" / "en" / "photos.docx"
        bare_cmd = [pandoc_path(), "photos.md", "-o", str(bare_out)]
        build_cmd = ["apecdocs", "build", "--to", "docx", "-q"]
        times: dict[str, list[float]] = {"pandoc": [], "apecdocs": []}
        for _ in range(args.repeat):
            for name, cmd in (("pandoc", bare_cmd), ("apecdocs", build_cmd)):
                shutil.rmtree(work / ".apecdocs", ignore_errors=True)
                built.unlink(missing_ok=True)
                start = time.perf_counter()
                subprocess.run(cmd, cwd=work, check=True, capture_output=True)
                times[name].append(time.perf_counter() - start)
        same = pictures(bare_out) == pictures(built)
        p, a = (statistics.median(times[k]) for k in ("pandoc", "apecdocs"))
        print(f"{args.photos} photographs of {args.megapixels:g} megapixels ({size:.1f} MB of "
              f"JPEG), DOCX, median of {args.repeat}:")
        print(f"  bare pandoc {p:.2f} s, apecdocs {a:.2f} s: apecdocs / pandoc = {a / p:.2f}")
        print(f"  the same pictures in both packages: {'yes' if same else 'NO'}")
        return 0 if same else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
