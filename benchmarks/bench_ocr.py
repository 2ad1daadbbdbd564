"""Issue 2 benchmark: hoso ingest against OCRmyPDF on the same degraded scans, in one run.

    python benchmarks/bench_ocr.py --pages 40 --seed 7 --out benchmarks/out/ocr

Measures, on one image-only PDF of synthetic degraded pages (mixed skew and rotation):
- pages/second (wall) of ``hoso ingest`` and of four OCRmyPDF configurations;
- the character error rate of each output's text layer (pdftotext vs ground truth; NFC,
  whitespace collapsed, dotted leaders dropped on both sides; Levenshtein per page);
- CPU seconds of the plain ``tesseract`` command per cleaned page, hence the physical limit
  (cores ÷ that) of any Tesseract-based pipeline on this machine, for the languages hoso
  reads (``vie+eng``: the same work) and for ``vie`` alone (what the OCRmyPDF runs read);
- the CPU seconds hoso's whole process tree spends per page (how far from the bare
  ``tesseract`` its per-page work is, whatever else the machine is doing);
- the peak RSS of hoso's whole process tree on a ``--memory-pages`` batch.
Prints a markdown table with the ratios the issue's targets are stated in and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.synth import SynthBatch, make_batch, write_pdf  # noqa: E402
from benchmarks.synth.writers import jpeg_bytes  # noqa: E402

VENV_BIN = Path(sys.executable).parent
TARGETS = {"speed_vs_ocrmypdf": 2.5, "of_physical_limit": 0.85, "peak_memory_gib": 1.5}
OCRMYPDF_CONFIGS = {
    "ocrmypdf": [],
    "ocrmypdf --output-type pdf": ["--output-type", "pdf"],
    "ocrmypdf --deskew --rotate-pages": ["--deskew", "--rotate-pages"],
    "ocrmypdf --output-type pdf --deskew --rotate-pages": [
        "--output-type",
        "pdf",
        "--deskew",
        "--rotate-pages",
    ],
}
_LEADERS = re.compile(r"[.…_·]{3,}")


@dataclass
class Run:
    """One tool's run over the batch."""

    name: str
    ok: bool
    seconds: float = 0.0
    pages: int = 0
    cer: float | None = None
    page_cer_mean: float | None = None
    peak_rss_mib: float | None = None
    cpu_seconds: float | None = None  # user + system CPU of the whole process tree
    note: str = ""
    texts: list[str] = field(default_factory=list, repr=False)

    @property
    def pages_per_second(self) -> float | None:
        return self.pages / self.seconds if self.ok and self.seconds else None

    @property
    def cpu_per_page(self) -> float | None:
        return self.cpu_seconds / self.pages if self.ok and self.cpu_seconds else None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "ok": self.ok,
            "seconds": round(self.seconds, 2),
            "pages": self.pages,
            "pages_per_second": _r(self.pages_per_second),
            "cer": _r(self.cer),
            "page_cer_mean": _r(self.page_cer_mean),
            "peak_rss_mib": _r(self.peak_rss_mib),
            "cpu_seconds": _r(self.cpu_seconds),
            "cpu_per_page": _r(self.cpu_per_page),
            "note": self.note,
        }


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


# -- text comparison -------------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFC, dotted leaders removed, whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(_LEADERS.sub(" ", text).split())


def cer(truth_pages: list[str], output_pages: list[str]) -> tuple[float, float]:
    """(Σ edits ÷ Σ truth characters, mean per-page CER over pages with text)."""
    edits = chars = 0
    per_page = []
    for i, truth in enumerate(truth_pages):
        t = normalise(truth)
        o = normalise(output_pages[i]) if i < len(output_pages) else ""
        d = Levenshtein.distance(t, o)
        edits += d
        chars += len(t)
        if t:
            per_page.append(d / len(t))
    return edits / max(1, chars), float(np.mean(per_page)) if per_page else 0.0


def pdf_pages_text(pdf: Path) -> list[str]:
    """Text of each page of ``pdf`` in pdftotext's reading order."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


# -- process-tree memory ---------------------------------------------------------------------


_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _tree_usage(root: int) -> dict[int, tuple[int, float]]:
    """{pid: (RSS KiB, CPU seconds)} of ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    usage: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode()
            with open(f"/proc/{entry}/statm", "rb") as fh:
                pages = int(fh.read().split()[1])
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
        cpu = (int(fields[11]) + int(fields[12])) / _TICKS  # own user + system, not children's
        usage[int(entry)] = (pages * _PAGE_KIB, cpu)
    tree: dict[int, tuple[int, float]] = {}
    stack = [root]
    while stack:
        pid = stack.pop()
        if pid in usage:
            tree[pid] = usage[pid]
        stack.extend(children.get(pid, []))
    return tree


def timed(
    cmd: list[str], *, env: dict[str, str], sample: bool = False, cwd: Path | None = None
) -> tuple[subprocess.CompletedProcess, float, float | None, float | None]:
    """Run ``cmd``; return (result, wall s, peak tree RSS MiB, tree CPU s) (the last two only
    when ``sample``: /proc is read every 50 ms, each process's last reading counts, so a
    worker that lives less than 50 ms is missed)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    peak = [0]
    cpu: dict[int, float] = {}
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            tree = _tree_usage(proc.pid)
            peak[0] = max(peak[0], sum(rss for rss, _ in tree.values()))
            for pid, (_, seconds) in tree.items():
                cpu[pid] = max(cpu.get(pid, 0.0), seconds)

    watcher = threading.Thread(target=watch, daemon=True) if sample else None
    if watcher:
        watcher.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    if watcher:
        watcher.join()
    result = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    if not sample:
        return result, seconds, None, None
    return result, seconds, peak[0] / 1024, sum(cpu.values())


# -- the contenders --------------------------------------------------------------------------


def hoso_command() -> list[str] | None:
    exe = VENV_BIN / "hoso"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("hoso")
    return [found] if found else None


def run_hoso(
    pdf: Path,
    out: Path,
    pages: int,
    env: dict[str, str],
    *,
    sample_memory: bool = False,
    name: str = "hoso ingest",
) -> Run:
    cmd = hoso_command()
    if cmd is None:
        return Run(name, False, note="`hoso` is not installed (pip install -e .)")
    data = out.with_name(out.name + "-data")  # a fresh archive: a re-ingest would be free
    for folder in (out, data):
        if folder.exists():
            shutil.rmtree(folder)
    env = {**env, "HOSO_DATA_DIR": str(data)}
    result, seconds, peak, cpu = timed(
        [*cmd, "ingest", str(pdf), "--out", str(out), "--json"], env=env, sample=True
    )
    peak = peak if sample_memory else None
    stderr = result.stderr.decode("utf-8", "replace").strip()
    if result.returncode not in (0, 1) or not result.stdout.strip():
        return Run(
            name,
            False,
            seconds,
            note=f"hoso ingest failed ({result.returncode}): {stderr[-400:] or 'no output'}",
        )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return Run(
            name,
            False,
            seconds,
            note="hoso ingest --json printed no JSON: " + result.stdout.decode()[-200:],
        )
    texts = [""] * pages
    for doc in sorted(report.get("documents", []), key=lambda d: d.get("first_page", 0)):
        doc_pages = pdf_pages_text(Path(doc["pdf"])) if doc.get("pdf") else []
        numbers = doc.get("pages") or range(doc["first_page"], doc["first_page"] + len(doc_pages))
        for number, text in zip(numbers, doc_pages, strict=False):
            if 1 <= number <= pages:
                texts[number - 1] = text
    note = f"{len(report.get('documents', []))} documents"
    if report.get("store_seconds") is not None and report.get("seconds"):
        share = report["store_seconds"] / report["seconds"]
        note += f"; archive (local store + SQLite) {share:.1%} of wall time"
    if report.get("errors"):
        note += f"; errors: {report['errors']}"
    return Run(
        name, True, seconds, pages, peak_rss_mib=peak, cpu_seconds=cpu, note=note, texts=texts
    )


def run_ocrmypdf(
    name: str, extra: list[str], pdf: Path, out: Path, pages: int, jobs: int, env: dict[str, str]
) -> Run:
    exe = VENV_BIN / "ocrmypdf"
    if not exe.exists():
        return Run(name, False, note="ocrmypdf is not installed (pip install -e .[bench])")
    target = out / (re.sub(r"[^a-z]+", "-", name).strip("-") + ".pdf")
    result, seconds, _, _ = timed(
        [str(exe), "-l", "vie", "--jobs", str(jobs), *extra, str(pdf), str(target)], env=env
    )
    if result.returncode != 0:
        return Run(name, False, seconds, note=result.stderr.decode("utf-8", "replace")[-400:])
    return Run(name, True, seconds, pages, texts=pdf_pages_text(target))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tesseract_cpu_per_page(
    batch: SynthBatch, sample: int, work: Path, env: dict[str, str], languages: list[str]
) -> tuple[dict[str, float], float | None, float | None, str]:
    """CPU seconds of the plain ``tesseract`` command per cleaned page.

    Returns ({language setting: mean CPU s of ``tesseract img - -l LANG --psm 3``, one command
    per page as the issue defines it}, CPU s per page of one ``tesseract`` command reading every
    page with the first setting (the model loaded once), CPU s per page of hoso's own engine
    (tesserocr, whose wheel bundles its own, newer libtesseract) recognising the same pages in
    one process (the floor of hoso's OCR itself), a note).
    The cleaned pages are saved as they are, ink in shades of gray on white paper (what hoso's
    engine reads); the settings take turns page by page, so a busy moment hits all alike.
    """
    try:
        from ingest.clean import clean_page
    except ImportError as exc:
        return {}, None, None, f"ingest.clean.clean_page unavailable: {exc}"
    from PIL import Image

    content = [i for i, p in enumerate(batch.truth["pages"]) if p["role"] != "blank"]
    step = max(1, len(content) // sample) if sample else 1
    chosen = content[::step][: sample or None]
    cpu: dict[str, list[float]] = {lang: [] for lang in languages}
    pngs = []
    for i in chosen:
        cleaned = clean_page(np.asarray(batch.pages[i]), batch.dpi)
        png = work / f"cleaned-{i + 1:04d}.png"
        Image.fromarray(cleaned.gray).save(png, dpi=(cleaned.ocr_dpi, cleaned.ocr_dpi))
        pngs.append(png)
        for lang in languages:
            before = _children_cpu()
            subprocess.run(
                ["tesseract", str(png), "-", "-l", lang, "--psm", "3"],
                env=env,
                capture_output=True,
                check=True,
            )
            cpu[lang].append(_children_cpu() - before)
    floor = None
    if pngs and languages:
        listing = work / "pages.txt"
        listing.write_text("".join(f"{png}\n" for png in pngs), encoding="utf-8")
        before = _children_cpu()
        subprocess.run(
            ["tesseract", str(listing), "-", "-l", languages[0], "--psm", "3"],
            env=env,
            capture_output=True,
            check=True,
        )
        floor = (_children_cpu() - before) / len(pngs)
    engine_floor = None
    if pngs and languages:
        from ocr.engine import TesseractEngine

        with TesseractEngine(languages[0]) as engine:
            images = [np.asarray(Image.open(png).convert("L")) for png in pngs]
            before = time.process_time()
            for image in images:
                engine.recognize(image, 300)
            engine_floor = (time.process_time() - before) / len(images)
    per_page = {lang: float(np.mean(v)) for lang, v in cpu.items() if v}
    return per_page, floor, engine_floor, f"{len(chosen)} cleaned pages, ink in shades on white"


def _tesseract_versions() -> str:
    """The plain command's Tesseract and hoso's (tesserocr's wheel bundles its own)."""
    try:
        import tesserocr

        own = tesserocr.tesseract_version().split()[1]
    except (ImportError, IndexError):
        own = "?"
    try:
        done = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
        plain = (done.stdout or done.stderr).split()[1]
    except (OSError, IndexError):
        plain = "?"
    return f"tesserocr's Tesseract {own}; the tesseract command {plain}"


# -- batch -----------------------------------------------------------------------------------


def synth_pages(seed: int, count: int, profile: str) -> SynthBatch:
    """At least ``count`` degraded pages (whole dossiers), cut to exactly ``count``."""
    dossiers = max(1, count // 5)
    while True:
        batch = make_batch(seed, dossiers=dossiers, profile=profile, blank_backs=0.05)
        if len(batch.pages) >= count:
            return batch.head(count)
        dossiers += max(1, (count - len(batch.pages)) // 4)


def synth_pdf(seed: int, count: int, profile: str, path: Path) -> Path:
    """A ``count``-page PDF made dossier by dossier, holding only JPEG bytes (not 200 images)."""
    blobs: list[bytes] = []
    dpi = 300
    chunk = 0
    while len(blobs) < count:
        batch = make_batch(seed * 10_000 + chunk, dossiers=2, profile=profile, blank_backs=0.05)
        dpi = batch.dpi
        blobs += [jpeg_bytes(p, dpi) for p in batch.pages]
        chunk += 1
    return write_pdf(blobs[:count], path, dpi)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "ocr")
    parser.add_argument("--profile", default="typical")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--memory-pages", type=int, default=200, help="pages of the peak-memory batch (0 skips it)"
    )
    parser.add_argument(
        "--tesseract-sample",
        type=int,
        default=0,
        help="cleaned pages timed with the plain tesseract command (0: every page with text)",
    )
    parser.add_argument(
        "--languages",
        default=os.environ.get("HOSO_OCR_LANGUAGES", "vie+eng"),
        help="what hoso reads (its default); the physical limit is measured with these and vie",
    )
    parser.add_argument(
        "--skip", action="append", default=[], choices=("hoso", "ocrmypdf", "tesseract", "memory")
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cores = args.jobs

    t0 = time.perf_counter()
    batch = synth_pages(args.seed, args.pages, args.profile)
    pdf = write_pdf(batch.pages, args.out / "input.pdf", batch.dpi)
    (args.out / "truth.json").write_text(
        json.dumps(batch.truth, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    truth_pages = ["\n".join(p["lines"]) for p in batch.truth["pages"]]
    rotations = sum(1 for p in batch.truth["pages"] if p["degradation"]["rotation"])
    print(
        f"# {args.pages} pages ({rotations} rotated), seed {args.seed}, profile {args.profile}, "
        f"{batch.dpi} dpi; generated in {time.perf_counter() - t0:.0f} s",
        file=sys.stderr,
    )

    runs: list[Run] = []
    if "hoso" not in args.skip:
        runs.append(run_hoso(pdf, args.out / "hoso", args.pages, env))
    if "ocrmypdf" not in args.skip:
        for name, extra in OCRMYPDF_CONFIGS.items():
            print(f"# {name} ...", file=sys.stderr)
            runs.append(run_ocrmypdf(name, extra, pdf, args.out, args.pages, cores, env))
    for run in runs:
        if run.ok:
            run.cer, run.page_cer_mean = cer(truth_pages, run.texts)

    tess_cpu: dict[str, float] = {}
    tess_floor: float | None = None
    engine_floor: float | None = None
    tess_note = "skipped"
    if "tesseract" not in args.skip:
        languages = list(dict.fromkeys([args.languages, "vie"]))
        with tempfile.TemporaryDirectory(dir=args.out) as work:
            tess_cpu, tess_floor, engine_floor, tess_note = tesseract_cpu_per_page(
                batch, args.tesseract_sample, Path(work), env, languages
            )

    memory: Run | None = None
    if "memory" not in args.skip and "hoso" not in args.skip and args.memory_pages:
        big_pdf = synth_pdf(
            args.seed + 1, args.memory_pages, args.profile, args.out / "memory-input.pdf"
        )
        memory = run_hoso(
            big_pdf,
            args.out / "hoso-memory",
            args.memory_pages,
            env,
            sample_memory=True,
            name=f"hoso ingest ({args.memory_pages} pages)",
        )
        memory.texts = []

    report = summarise(runs, tess_cpu, tess_floor, engine_floor, tess_note, memory, cores, args)
    (args.out / "results.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(report["markdown"])
    return 0


def summarise(
    runs: list[Run],
    tess_cpu: dict[str, float],
    tess_floor: float | None,
    engine_floor: float | None,
    tess_note: str,
    memory: Run | None,
    cores: int,
    args: argparse.Namespace,
) -> dict:
    """The ratios the targets are stated in, as JSON and as a markdown table.

    The physical limit is cores ÷ the plain ``tesseract`` command's CPU seconds per cleaned
    page, reading the languages hoso reads (the same work); the limit for ``-l vie`` alone,
    the language the OCRmyPDF runs use, is reported beside it.
    """
    peers = [r for r in runs if r.ok and r.name.startswith("ocrmypdf")]
    hoso = next((r for r in runs if r.ok and r.name == "hoso ingest"), None)
    fastest = max(peers, key=lambda r: r.pages_per_second or 0, default=None)
    best_cer = min((r.cer for r in peers if r.cer is not None), default=None)
    physical = {lang: cores / cpu for lang, cpu in tess_cpu.items() if cpu}
    same_work = physical.get(args.languages)
    vie_only = physical.get("vie")
    hoso_pps = hoso.pages_per_second if hoso else None
    ratios: dict[str, float | None] = {
        "hoso_vs_fastest_ocrmypdf": (
            hoso_pps / fastest.pages_per_second if hoso_pps and fastest else None
        ),
        "hoso_vs_physical_limit": (hoso_pps / same_work if hoso_pps and same_work else None),
        "hoso_vs_physical_limit_memory_batch": (
            memory.pages_per_second / same_work
            if memory and memory.pages_per_second and same_work
            else None
        ),
        "hoso_vs_physical_limit_vie_only": (
            hoso_pps / vie_only if hoso_pps and vie_only and args.languages != "vie" else None
        ),
        "hoso_vs_model_loaded_once_floor": (
            hoso_pps / (cores / tess_floor) if hoso_pps and tess_floor else None
        ),
        "hoso_vs_own_engine_floor": (
            hoso_pps / (cores / engine_floor) if hoso_pps and engine_floor else None
        ),
        "tesseract_cpu_vs_hoso_cpu_per_page": (
            tess_cpu[args.languages] / hoso.cpu_per_page
            if hoso and hoso.cpu_per_page and args.languages in tess_cpu
            else None
        ),
        "hoso_cer_minus_best_ocrmypdf_cer": (
            hoso.cer - best_cer if hoso and hoso.cer is not None and best_cer is not None else None
        ),
        "hoso_peak_memory_gib": (
            memory.peak_rss_mib / 1024 if memory and memory.ok and memory.peak_rss_mib else None
        ),
    }
    lines = [
        f"Pages: {args.pages}, seed {args.seed}, profile {args.profile}, jobs {cores}, "
        f"`{' '.join(sys.argv)}`",
        "",
        "| tool | s | pages/s | CPU s/page | CER | mean page CER | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in [*runs, *([memory] if memory else [])]:
        pps = f"{r.pages_per_second:.3f}" if r.pages_per_second else "–"
        cpp = f"{r.cpu_per_page:.3f}" if r.cpu_per_page else "–"
        c = f"{r.cer:.4f}" if r.cer is not None else "–"
        pc = f"{r.page_cer_mean:.4f}" if r.page_cer_mean is not None else "–"
        note = r.note.replace("\n", " ")[:160]
        if r.peak_rss_mib:
            note = f"peak RSS {r.peak_rss_mib:.0f} MiB; {note}"
        lines.append(f"| {r.name} | {r.seconds:.1f} | {pps} | {cpp} | {c} | {pc} | {note} |")
    lines.append("")
    if not tess_cpu:
        lines.append(f"Tesseract CPU: {tess_note}")
    for lang, cpu in tess_cpu.items():
        lines.append(
            f"Plain `tesseract -l {lang} --psm 3` CPU per cleaned page: {cpu:.3f} s "
            f"({tess_note}); physical limit {physical[lang]:.3f} pages/s on {cores} cores"
        )
    if tess_floor:
        lines.append(
            f"One `tesseract -l {args.languages}` command over every cleaned page (model loaded "
            f"once): {tess_floor:.3f} CPU s per page; floor {cores / tess_floor:.3f} pages/s"
        )
    if engine_floor:
        lines.append(
            f"hoso's own engine ({_tesseract_versions()}) recognising the same pages in one "
            f"process: {engine_floor:.3f} CPU s per page; floor {cores / engine_floor:.3f} pages/s"
        )
    lines += ["", "| ratio | value | target |", "|---|---|---|"]
    targets = {
        "hoso_vs_fastest_ocrmypdf": "≥ 2.5",
        "hoso_vs_physical_limit": "≥ 0.85",
        "hoso_vs_physical_limit_memory_batch": f"(context: {args.memory_pages} pages)",
        "hoso_vs_physical_limit_vie_only": "(context)",
        "hoso_vs_model_loaded_once_floor": "(context)",
        "hoso_vs_own_engine_floor": "(context)",
        "tesseract_cpu_vs_hoso_cpu_per_page": "(context)",
        "hoso_cer_minus_best_ocrmypdf_cer": "≤ 0",
        "hoso_peak_memory_gib": "< 1.5",
    }
    for key, value in ratios.items():
        lines.append(f"| {key} | {'–' if value is None else f'{value:.3f}'} | {targets[key]} |")
    if fastest:
        lines.append(
            f"\nFastest OCRmyPDF configuration: `{fastest.name}` "
            f"({fastest.pages_per_second:.3f} pages/s); best OCRmyPDF CER {best_cer:.4f}"
        )
    return {
        "pages": args.pages,
        "seed": args.seed,
        "profile": args.profile,
        "jobs": cores,
        "runs": [r.to_json() for r in runs],
        "memory_run": memory.to_json() if memory else None,
        "languages": args.languages,
        "tesseract_cpu_per_page": {k: _r(v) for k, v in tess_cpu.items()},
        "tesseract_cpu_per_page_model_loaded_once": _r(tess_floor),
        "own_engine_cpu_per_page": _r(engine_floor),
        "tesseract_versions": _tesseract_versions(),
        "physical_limit_pages_per_second": {k: _r(v) for k, v in physical.items()},
        "ratios": {k: _r(v) for k, v in ratios.items()},
        "targets": TARGETS,
        "markdown": "\n".join(lines),
    }


if __name__ == "__main__":
    sys.exit(main())
