"""Which way of calling Tesseract is fastest per page: CLI, pytesseract or tesserocr (two ways).

All four get the same cleaned A4 300-dpi pages of dense, noisy Vietnamese text, ``vie+eng``,
``--psm 3``, one Tesseract thread, and must return words with boxes (TSV / ResultIterator),
which is what the pipeline needs. Prints a markdown table of wall and CPU seconds per page
(CPU includes child processes, so the CLI and pytesseract are charged for their subprocess).

    OMP_THREAD_LIMIT=1 .venv/bin/python -m benchmarks.bench_bindings --pages 3

pytesseract is in the ``bench`` extra only: the service never uses it.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.engine import TesseractEngine, find_tessdata  # sets OMP_THREAD_LIMIT=1 if unset

LANGUAGES = "vie+eng"
DPI = 300
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
PHRASES = (
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
    "Giấy đề nghị đăng ký hộ kinh doanh",
    "Kính gửi: Phòng Tài chính - Kế hoạch quận Hoàn Kiếm",
    "Tôi là Nguyễn Thị Hồng Nhung, sinh ngày 12/08/1985",
    "Số định danh cá nhân: 001185012345, cấp ngày 03/05/2021",
    "Nơi cư trú: số 18 phố Hàng Bạc, phường Hàng Đào",
    "Vốn kinh doanh: 250.000.000 đồng (hai trăm năm mươi triệu đồng)",
    "Ngành nghề kinh doanh: bán lẻ đồ uống, dịch vụ ăn uống",
    "Tôi cam kết chịu trách nhiệm trước pháp luật về tính hợp pháp",
)

Method = Callable[[np.ndarray], list[str]]


def dense_page(seed: int) -> np.ndarray:
    """A noisy, slightly skewed A4 300-dpi scan of ~45 lines of 12-pt Vietnamese text."""
    rng = random.Random(seed)
    width, height = 2480, 3508
    image = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 50)  # 12 pt at 300 dpi
    y = 200
    while y < height - 250:
        line: list[str] = []
        while True:
            phrase = rng.choice(PHRASES)
            if draw.textlength(" ".join([*line, phrase]), font=font) > width - 400:
                break
            line.append(phrase)
        draw.text((200, y), " ".join(line) or PHRASES[0], font=font, fill=25)
        y += 72
    gray = np.asarray(image.rotate(0.8, fillcolor=250, resample=Image.Resampling.BICUBIC))
    noise = np.random.default_rng(seed).normal(0, 12, gray.shape)
    noisy = np.clip(cv2.GaussianBlur(gray, (3, 3), 0) + noise, 0, 255).astype(np.uint8)
    return noisy


def cleaned(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The OCR copy as the pipeline makes it (ingest.clean), or Otsu if that is unavailable."""
    try:
        from ingest.clean import clean_page

        page = clean_page(gray, DPI)
    except Exception as exc:  # the benchmark measures bindings, not cleaning: say so, go on
        print(f"note: ingest.clean failed ({type(exc).__name__}: {exc}); pages binarized by Otsu")
        _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        return binary, float(DPI)
    return page.gray, page.ocr_dpi


def _words_from_tsv(tsv: str) -> list[str]:
    rows = [line.split("\t") for line in tsv.splitlines()[1:]]
    return [r[11] for r in rows if len(r) == 12 and r[0] == "5" and r[11].strip()]


def cli(tmp: Path) -> Method:
    def run(gray: np.ndarray) -> list[str]:
        png = tmp / "page.png"
        cv2.imwrite(str(png), gray)
        out = subprocess.run(
            ["tesseract", str(png), "-", "-l", LANGUAGES, "--psm", "3", "--dpi", str(DPI), "tsv"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "TESSDATA_PREFIX": str(find_tessdata())},
        ).stdout
        return _words_from_tsv(out)

    return run


def pytesseract_method() -> Method:
    import pytesseract

    def run(gray: np.ndarray) -> list[str]:
        data = pytesseract.image_to_data(
            Image.fromarray(gray), lang=LANGUAGES, config=f"--psm 3 --dpi {DPI}"
        )
        return _words_from_tsv(data)

    return run


def tesserocr_pil(engine: TesseractEngine) -> Method:
    """The same open API, but fed a PIL image (tesserocr converts it through a PNG/BMP)."""
    from tesserocr import RIL, iterate_level

    api = engine._live_api()

    def run(gray: np.ndarray) -> list[str]:
        api.SetImage(Image.fromarray(gray))
        api.SetSourceResolution(DPI)
        api.Recognize()
        words = [it.GetUTF8Text(RIL.WORD) for it in iterate_level(api.GetIterator(), RIL.WORD)]
        return [w.strip() for w in words if w and w.strip()]

    return run


def tesserocr_bytes(engine: TesseractEngine) -> Method:
    """What the pipeline runs: TesseractEngine.recognize (SetImageBytes)."""

    def run(gray: np.ndarray) -> list[str]:
        return [w.text for w in engine.recognize(gray, DPI).words]

    return run


def handover_ms(engine: TesseractEngine, gray: np.ndarray, repeat: int = 7) -> dict[str, float]:
    """Milliseconds to give tesserocr one page: PIL ``SetImage`` against ``SetImageBytes``."""
    api = engine._live_api()
    height, width = gray.shape
    calls = {
        "SetImage(PIL)": lambda: api.SetImage(Image.fromarray(gray)),
        "SetImageBytes": lambda: api.SetImageBytes(gray.tobytes(), width, height, 1, width),
    }
    timings = {}
    for name, call in calls.items():
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)
        timings[name] = statistics.median(samples)
    api.Clear()
    return timings


def measure(method: Method, pages: list[np.ndarray]) -> tuple[list[float], list[float], list[str]]:
    walls, cpus, words = [], [], []
    for page in pages:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        words += method(page)
        wall = time.perf_counter() - wall0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        child = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
        walls.append(wall)
        cpus.append(time.process_time() - cpu0 + child)
    return walls, cpus, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3)
    args = parser.parse_args()
    pages = [cleaned(dense_page(seed))[0] for seed in range(args.pages)]
    with TesseractEngine(LANGUAGES) as engine, tempfile.TemporaryDirectory() as tmp:
        methods: dict[str, Method] = {
            "`tesseract` CLI (PNG + process + model load per page)": cli(Path(tmp)),
            "pytesseract (temp file + CLI per call)": pytesseract_method(),
            "tesserocr, API kept open, `SetImage(PIL)`": tesserocr_pil(engine),
            "tesserocr, API kept open, `SetImageBytes` (TesseractEngine)": tesserocr_bytes(engine),
        }
        tesserocr_bytes(engine)(pages[0])  # warm the page cache and the models
        results = {name: measure(method, pages) for name, method in methods.items()}
        handover = handover_ms(engine, pages[0])
    reference = results[next(reversed(results))][2]
    print(f"{len(pages)} cleaned A4 pages, {DPI} dpi, {LANGUAGES}, --psm 3, OMP_THREAD_LIMIT=1\n")
    print("| binding | wall s/page (median) | CPU s/page (median) | words | same words as bytes |")
    print("|---|---|---|---|---|")
    for name, (walls, cpus, words) in results.items():
        same = sum(a == b for a, b in zip(words, reference, strict=False)) / max(len(reference), 1)
        print(
            f"| {name} | {statistics.median(walls):.2f} | {statistics.median(cpus):.2f} "
            f"| {len(words)} | {same:.1%} |"
        )
    print(
        "\nImage hand-over alone (no recognition), median ms: "
        + ", ".join(f"{name} {ms:.1f}" for name, ms in handover.items())
    )


if __name__ == "__main__":
    main()
