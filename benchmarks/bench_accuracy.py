"""Accuracy of splitting, dossier assignment, classification and field extraction.

Runs the real ingest pipeline (read -> clean -> OCR -> analyse -> plan) on a HOLDOUT batch: the
corpus generator's holdout layouts, wordings and fonts, with a seed no test or training uses,
printed as a scanner would deliver it (degraded, one multi-page PDF, blank backs). Compares
with the generator's ground truth and prints:

- split accuracy: truth documents whose exact page set came out as one document;
- dossier assignment: truth documents put in the right dossier;
- classification: confusion matrix (truth rows, predicted columns);
- field exact-match, per type and per field (names compared case-insensitively, per the spec);
- needs_review against the fields that are really wrong: precision and recall;
- the cost of this stage (QR + title per page, planning per batch) against OCR per page.

    .venv/bin/python -m benchmarks.bench_accuracy --dossiers 6 --seed 9001 [--json out.json]

Targets (issue 3): dossier assignment 100 %, classification >= 99 %, field exact-match >= 95 %,
>= 90 % of wrong fields flagged.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import random
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

HOLDOUT_SEED = 9001  # tests use small fixed seeds below 100; nothing trains on 9000+


@dataclass
class TruthDocument:
    dossier_code: str | None
    doc_type: str
    pages: list[int]  # 0-based batch pages
    fields: dict[str, str]


@dataclass
class Batch:
    images: list[np.ndarray]  # grayscale pages as scanned
    documents: list[TruthDocument]
    blanks: list[int] = field(default_factory=list)


def _degrade(gray: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A flatbed scan: a small skew, slight blur, sensor noise, uneven paper (bench-local until
    the corpus generator ships its own degrade()). Gray or colour (``--seals``) pages."""
    import cv2

    height, width = gray.shape[:2]
    angle = float(rng.uniform(-1.2, 1.2))
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    out = cv2.warpAffine(gray, matrix, (width, height), borderValue=(250, 250, 250))
    out = cv2.GaussianBlur(out, (0, 0), float(rng.uniform(0.4, 0.9)))
    shade = np.linspace(0, float(rng.uniform(0, 18)), width, dtype=np.float32)[None, :]
    if out.ndim == 3:
        shade = shade[:, :, None]
    noisy = out.astype(np.float32) - shade + rng.normal(0, rng.uniform(4, 10), out.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _blank_back(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    page = np.full(shape, 246, np.float32) + rng.normal(0, 5, shape)
    return np.clip(page, 0, 255).astype(np.uint8)


def make_holdout_batch(
    seed: int, dossiers: int, variant: str = "holdout", *, seals: bool = False
) -> Batch:
    """Dossiers of holdout documents: receipt, the procedure's opening form, then an identity
    card copy and/or another paper; blank backs now and then. Uses the generator's
    ``make_batch`` when it exists, else composes one from ``render_document``."""
    from benchmarks.synth import forms
    from benchmarks.synth import names as nm

    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    seal_rng = random.Random(seed + 1)  # its own draws: without seals, batches are unchanged
    batch = Batch([], [])
    for _ in range(dossiers):
        day = nm.working_day(rng)
        code = nm.dossier_code(rng, day)
        procedure = rng.choice(tuple(nm.PROCEDURES))
        applicant = nm.person(rng)
        types = ["reception_receipt", nm.PROCEDURES[procedure][1]]
        types += rng.sample(["id_card_copy", "other"], rng.randint(0, 2))
        for doc_type in types:
            doc = forms.render_document(
                doc_type,
                rng,
                variant=variant,
                dossier_code=code if doc_type == "reception_receipt" else None,
                applicant=applicant,
                procedure=procedure,
                day=day,
            )
            pages: list[int] = []
            for page in doc.pages:
                gray = np.asarray(page.image.convert("L"))
                pages.append(len(batch.images))
                if seals and seal_rng.random() < SEALED_SHARE:
                    batch.images.append(_degrade(_sealed(gray, page.stamp_anchor, seal_rng), nrng))
                else:
                    batch.images.append(_degrade(gray, nrng))
                if rng.random() < 0.25:  # the empty back of a duplex scan
                    batch.blanks.append(len(batch.images))
                    batch.images.append(_blank_back(nrng, gray.shape))
            batch.documents.append(TruthDocument(code, doc_type, pages, dict(doc.fields)))
    return batch


#: Share of pages a ``--seals`` batch stamps with an official seal.
SEALED_SHARE = 0.5


def _sealed(gray: np.ndarray, anchor: tuple[int, int] | None, rng: random.Random) -> np.ndarray:
    """The page in colour with a red official seal over its signature or, on a page without
    one, anywhere over its body, as a certified copy's stamp lands."""
    from benchmarks.synth.degrade import stamp_seal

    page = np.repeat(gray[:, :, None], 3, axis=2)
    height, width = gray.shape
    x, y = anchor or (int(width * rng.uniform(0.2, 0.8)), int(height * rng.uniform(0.15, 0.85)))
    x += rng.randint(-75, 75)  # 300 dpi: a quarter inch either way, a sixth up or down
    y += rng.randint(-50, 50)
    stamp_seal(page, rng, (x, y), round(300 * rng.uniform(1.3, 1.65)))  # 33-42 mm
    return page


def _at_dpi(image: np.ndarray, dpi: int) -> np.ndarray:
    """A 300 dpi page as a scanner set to ``dpi`` captures it."""
    import cv2

    if dpi == 300:
        return image
    height, width = image.shape[:2]
    size = (round(width * dpi / 300), round(height * dpi / 300))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


#: Where a scanner's black-and-white mode cuts ink from paper (0-255): a fixed threshold, as
#: office scanners apply it, not an adaptive one.
BILEVEL_THRESHOLD = 150


def write_pdf(
    images: list[np.ndarray], path: Path, dpi: int = 300, *, bilevel: bool = False
) -> None:
    """The batch as a scanner's multi-page PDF of JPEG pages, or of CCITT G4 pages when the
    scanner is in its black-and-white mode (``bilevel``: a fixed threshold)."""
    import img2pdf
    from PIL import Image

    blobs = []
    for page in images:
        buffer = io.BytesIO()
        image = Image.fromarray(page)
        if bilevel:
            ink = image.convert("L").point(lambda v: 255 if v > BILEVEL_THRESHOLD else 0)
            image = ink.convert("1", dither=Image.Dither.NONE)
            image.save(buffer, format="TIFF", compression="group4", dpi=(dpi, dpi))
        else:
            image.save(buffer, format="JPEG", quality=85, dpi=(dpi, dpi))
        blobs.append(buffer.getvalue())
    path.write_bytes(img2pdf.convert(blobs))


def _same(kind_name: str, got: object, want: str) -> bool:
    if got is None:
        return False
    if kind_name.endswith("name") and not kind_name.startswith("business"):
        return str(got).casefold() == want.casefold()
    return str(got) == want


@dataclass
class Report:
    truth_documents: int = 0
    split_exact: int = 0
    predicted_documents: int = 0
    dossier_right: int = 0
    confusion: Counter = field(default_factory=Counter)
    field_total: Counter = field(default_factory=Counter)  # (type, field) -> n
    field_right: Counter = field(default_factory=Counter)
    wrong_flagged: int = 0
    wrong_unflagged: int = 0
    right_flagged: int = 0
    misses: list[str] = field(default_factory=list)
    flagged_misses: list[str] = field(default_factory=list)  # wrong fields flagged, and why
    needless_reviews: list[str] = field(default_factory=list)  # right values flagged, and why

    def as_dict(self) -> dict[str, object]:
        fields_n = sum(self.field_total.values())
        per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for (doc_type, _), n in self.field_total.items():
            per_type[doc_type][1] += n
        for (doc_type, _), n in self.field_right.items():
            per_type[doc_type][0] += n
        wrong = self.wrong_flagged + self.wrong_unflagged
        flagged = self.wrong_flagged + self.right_flagged
        diagonal = sum(n for (t, p), n in self.confusion.items() if t == p)
        return {
            "documents": self.truth_documents,
            "split_accuracy": _ratio(self.split_exact, self.truth_documents),
            "predicted_documents": self.predicted_documents,
            "dossier_assignment": _ratio(self.dossier_right, self.truth_documents),
            "classification": _ratio(diagonal, self.truth_documents),
            "confusion": {f"{t} -> {p}": n for (t, p), n in sorted(self.confusion.items())},
            "field_exact_match": _ratio(sum(self.field_right.values()), fields_n),
            "fields": fields_n,
            "field_exact_match_per_type": {
                t: _ratio(r, n) for t, (r, n) in sorted(per_type.items())
            },
            "field_exact_match_per_field": {
                f"{t}.{f}": _ratio(self.field_right[(t, f)], n)
                for (t, f), n in sorted(self.field_total.items())
            },
            "wrong_fields": wrong,
            "needs_review_recall": _ratio(self.wrong_flagged, wrong),
            "needs_review_precision": _ratio(self.wrong_flagged, flagged),
        }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def score(batch: Batch, documents: list[dict]) -> Report:
    """Compare the pipeline's documents (``DocumentResult.to_json()`` plus 1-based ``pages``)
    with the truth."""
    report = Report(truth_documents=len(batch.documents), predicted_documents=len(documents))
    by_first_page = {d["pages"][0] - 1: d for d in documents}
    page_sets = {tuple(p - 1 for p in d["pages"]) for d in documents}
    for truth in batch.documents:
        report.split_exact += tuple(truth.pages) in page_sets
        predicted = next(
            (d for d in documents if truth.pages[0] + 1 in d["pages"]), None
        ) or by_first_page.get(truth.pages[0])
        if predicted is None:
            report.confusion[(truth.doc_type, "(missing)")] += 1
            continue
        report.dossier_right += predicted["dossier_code"] == truth.dossier_code
        report.confusion[(truth.doc_type, predicted["doc_type"])] += 1
        reasons = predicted.get("review_reasons", {})
        for name, want in truth.fields.items():
            got = predicted["fields"].get(name) if predicted["doc_type"] == truth.doc_type else None
            right = _same(name, got, want)
            flagged = name in reasons or predicted["doc_type"] != truth.doc_type
            report.field_total[(truth.doc_type, name)] += 1
            report.field_right[(truth.doc_type, name)] += right
            if right:
                report.right_flagged += flagged and name in reasons
                if name in reasons:
                    report.needless_reviews.append(f"{truth.doc_type}.{name}: {reasons[name]}")
            elif flagged:
                report.wrong_flagged += 1
                report.flagged_misses.append(
                    f"{truth.doc_type}.{name}: want {want!r} got {got!r} "
                    f"({reasons.get(name, 'type ' + predicted['doc_type'])})"
                )
            else:
                report.wrong_unflagged += 1
                report.misses.append(f"{truth.doc_type}.{name}: want {want!r} got {got!r}")
    return report


def _stage_cost(batch: Batch, plan_s_per_page: float, pages: int = 3) -> dict[str, float]:
    """Seconds per page of this stage's work against OCR itself: the per-page part (the
    second look at digits, the missed ink, QR, title) measured here on ``pages`` pages, the
    planning as the batch's own run timed it (planned here on a few pages, it measured mostly
    a cold start)."""
    from ingest.clean import clean_page
    from ingest.split import analyze_page
    from ocr.engine import TesseractEngine
    from ocr.missed_ink import read_missed_ink
    from ocr.second_look import second_look_at_digits
    from ocr.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    ocr_s = analyze_s = 0.0
    analyses = []
    with TesseractEngine("vie+eng") as engine:
        for index in range(min(pages, len(batch.images))):
            cleaned = clean_page(batch.images[index], 300)
            t0 = time.perf_counter()
            text = engine.recognize(cleaned.gray, cleaned.ocr_dpi)
            t1 = time.perf_counter()
            text = second_look_at_digits(engine, cleaned.gray, text)
            text = read_missed_ink(engine, cleaned.gray, text)
            analyses.append(
                analyze_page(index, cleaned.gray, cleaned.ocr_dpi, text, cleaned.blank, taxonomy)
            )
            t2 = time.perf_counter()
            ocr_s += t1 - t0
            analyze_s += t2 - t1
    n = max(1, len(analyses))
    return {
        "ocr_s_per_page": round(ocr_s / n, 3),
        "analyze_s_per_page": round(analyze_s / n, 4),
        "plan_s_per_page": round(plan_s_per_page, 4),
        "added_share": round((analyze_s / n + plan_s_per_page) / max(ocr_s / n, 1e-9), 4),
    }


def _run_pipeline(
    scan: Path, out: Path, workers: int, save_pages: Path | None = None
) -> tuple[list[dict], float, list, float]:
    """``hoso ingest`` on the batch: each document as its JSON plus its 1-based pages, the
    batch's seconds, its failures and the seconds its planning stage took (split, classify,
    fields: the whole batch at once, as the command runs it). ``save_pages`` keeps every
    page's OCR words and QR code, so that ``--replan`` can tune the planning stage without
    OCRing again."""
    from ingest import pipeline
    from ingest.pipeline import IngestOptions, run_batch

    original_plan = pipeline.plan
    planning = [0.0]

    def timed_plan(outcomes, file_of_page, options):  # type: ignore[no-untyped-def]
        if save_pages is not None:
            _save_pages([o.analysis for o in outcomes if o.analysis is not None], save_pages)
        started = time.perf_counter()
        try:
            return original_plan(outcomes, file_of_page, options)
        finally:
            planning[0] += time.perf_counter() - started

    pipeline.plan = timed_plan
    result = run_batch([scan], out, IngestOptions(workers=workers, pdfa=False))
    documents = []
    for doc in result.documents:
        item = doc.to_json()
        item["pages"] = doc.pages or list(range(doc.first_page, doc.first_page + doc.page_count))
        documents.append(item)
    return documents, result.seconds, [f.to_json() for f in result.failures], planning[0]


def _save_pages(analyses: list, path: Path) -> None:
    pages = [
        {
            "index": a.index,
            "qr_code": a.qr_code,
            "blank": a.blank,
            "width": a.text.width,
            "height": a.text.height,
            "dpi": a.text.dpi,
            "words": [
                [
                    *(w.text, w.left, w.top, w.right, w.bottom, w.confidence, w.block, w.line),
                    w.second_reading,
                ]
                for w in a.text.words
            ],
        }
        for a in analyses
    ]
    path.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")


def _replan(path: Path) -> list[dict]:
    """The planning stage of the current code on saved pages (QR codes as read then)."""
    from ingest.split import PageAnalysis, plan_documents
    from ocr.classify import find_title
    from ocr.taxonomy import load_taxonomy
    from ocr.text import PageText, Word

    taxonomy = load_taxonomy()
    analyses = []
    for page in json.loads(path.read_text(encoding="utf-8")):
        words = [Word(*w) for w in page["words"]]
        text = PageText(words, page["width"], page["height"], page["dpi"])
        title = None if page["blank"] else find_title(text, taxonomy)
        analyses.append(PageAnalysis(page["index"], page["qr_code"], title, page["blank"], text))
    documents = []
    for doc in plan_documents(analyses, taxonomy, file_boundaries=[0]):
        review = {n: f.reason or "needs review" for n, f in doc.fields.items() if f.needs_review}
        documents.append(
            {
                "dossier_code": doc.dossier_code,
                "doc_type": doc.doc_type,
                "fields": {n: f.value for n, f in doc.fields.items()},
                "review_reasons": review,
                "raw": {n: f.raw for n, f in doc.fields.items()},
                "field_confidence": {n: f.confidence for n, f in doc.fields.items()},
                "pages": [i + 1 for i in doc.pages],
            }
        )
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=HOLDOUT_SEED)
    parser.add_argument("--dossiers", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here too")
    parser.add_argument("--no-cost", action="store_true", help="skip the stage-cost measure")
    parser.add_argument(
        "--variant",
        choices=("holdout", "train", "dev"),
        default="holdout",
        help="the generator's variant: holdout (the measure), train or dev (tuning: dev prints "
        "label wordings the taxonomy does not list)",
    )
    parser.add_argument(
        "--dpi",
        type=int,
        default=300,
        help="scan resolution: pages are rendered at 300 dpi and resampled to this (offices "
        "scan at 200 to save space)",
    )
    parser.add_argument(
        "--bilevel",
        action="store_true",
        help="a scanner's black-and-white mode: 1-bit CCITT G4 pages (a fixed threshold)",
    )
    parser.add_argument(
        "--seals",
        action="store_true",
        help="a colour scan with a red official seal over the signature of half the pages",
    )
    parser.add_argument(
        "--save-pages", type=Path, default=None, help="keep the pages' OCR words here (tuning)"
    )
    parser.add_argument(
        "--replan",
        type=Path,
        default=None,
        help="skip OCR: plan the pages saved by --save-pages with the current code (tuning; "
        "same --seed, --dossiers and --variant)",
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    batch = make_holdout_batch(args.seed, args.dossiers, args.variant, seals=args.seals)
    render_s = time.perf_counter() - t0
    if args.replan is not None:
        documents = _replan(args.replan)
        report = score(batch, documents)
        figures = report.as_dict()
        figures["unflagged_wrong_fields"] = report.misses
        figures["flagged_wrong_fields"] = report.flagged_misses
        figures["right_fields_flagged"] = report.needless_reviews
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    with tempfile.TemporaryDirectory(prefix="hoso-acc-") as tmp:
        scan = Path(tmp) / "batch.pdf"
        pages = [_at_dpi(image, args.dpi) for image in batch.images]
        write_pdf(pages, scan, args.dpi, bilevel=args.bilevel)
        # The pipeline forks its OCR workers: run it from a fresh interpreter, since this one
        # has used OpenCV's threads (rendering, degrading) and a forked child would hang.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(1, mp_context=context) as shell:  # non-daemonic: may fork
            documents, seconds, errors, plan_s = shell.submit(
                _run_pipeline, scan, Path(tmp) / "out", args.workers, args.save_pages
            ).result()
    report = score(batch, documents)
    figures = report.as_dict()
    figures.update(
        {
            "seed": args.seed,
            "variant": args.variant,
            "scan_dpi": args.dpi,
            "seals": args.seals,
            "bilevel": args.bilevel,
            "pages": len(batch.images),
            "blank_pages": len(batch.blanks),
            "pipeline_seconds": round(seconds, 1),
            "pages_per_second": round(len(batch.images) / seconds, 3),
            "render_seconds": round(render_s, 1),
            "errors": errors,
        }
    )
    if not args.no_cost:
        figures["stage_cost"] = _stage_cost(batch, plan_s / max(1, len(batch.images)))
    figures["unflagged_wrong_fields"] = report.misses
    figures["flagged_wrong_fields"] = report.flagged_misses
    figures["right_fields_flagged"] = report.needless_reviews
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
