"""Issue 3: the rules' classification against a learned classifier, on the same OCR text.

    python -m benchmarks.bench_classifier --pages-dir DIR [--train train5150 ...] [--dev dev707 ...]

The learned classifier is scikit-learn's TF-IDF over character 2-4-grams of the folded text
(accents stripped, case folded) with a logistic regression, trained on the first pages of the
generator's ``train`` batches; both are scored on the ``dev`` batches' documents (the truth's
split, so only the type is compared), once as OCR read them and once with the top 30 % of the
first page dropped (a title OCR lost). The pages' OCR words come from
``bench_accuracy --variant V --seed S --dossiers 16 --save-pages DIR/VS.json``; a missing file
is made that way first (a few minutes of OCR per batch).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from benchmarks import bench_accuracy
from ocr.classify import classify
from ocr.normalize import fold
from ocr.taxonomy import RECEIPT, load_taxonomy
from ocr.text import PageText, Word

TITLE_BAND = 0.3  # the share of the first page's height a lost title is taken from


def truth_documents(name: str) -> list[tuple[str, list[int]]]:
    """(type, page indices) of each document of a saved batch, rendered again (no OCR)."""
    variant = "train" if name.startswith("train") else "dev"
    seed = int(name[len(variant) :])
    # Degrading draws from its own generator: skipping it leaves the documents unchanged.
    bench_accuracy._degrade = lambda gray, rng: np.zeros((1, 1), np.uint8)
    bench_accuracy._blank_back = lambda rng, shape: np.zeros((1, 1), np.uint8)
    batch = bench_accuracy.make_holdout_batch(seed, 16, variant)
    return [(d.doc_type, d.pages) for d in batch.documents]


def first_pages(folder: Path, name: str, drop_title: bool) -> list[tuple[str, PageText]]:
    path = folder / f"{name}.json"
    if not path.exists():
        variant = "train" if name.startswith("train") else "dev"
        seed = name[len(variant) :]
        subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_accuracy", "--variant", variant, "--seed",
             seed, "--dossiers", "16", "--no-cost", "--save-pages", str(path)],
            check=True,
        )  # fmt: skip
    pages = {p["index"]: p for p in json.loads(path.read_text(encoding="utf-8"))}
    documents = []
    for doc_type, indices in truth_documents(name):
        page = pages[indices[0]]
        words = [Word(*w) for w in page["words"]]
        if drop_title:
            words = [w for w in words if w.top > TITLE_BAND * page["height"]]
        documents.append((doc_type, PageText(words, page["width"], page["height"], page["dpi"])))
    return documents


def _share(pred: list[str], gold: list[str], among: list[int]) -> str:
    return f"{sum(pred[i] == gold[i] for i in among) / len(among):.1%}"


def main() -> int:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages-dir", type=Path, required=True)
    parser.add_argument("--train", nargs="+", default=["train5150", "train6262"])
    parser.add_argument(
        "--dev", nargs="+", default=["dev707", "dev808", "dev909", "dev1010", "dev1111", "dev1212"]
    )
    args = parser.parse_args()
    args.pages_dir.mkdir(parents=True, exist_ok=True)
    taxonomy = load_taxonomy()
    print(
        "| first page | documents | rules | learned | rules, no receipts | learned, no receipts |"
    )
    print("|---|---|---|---|---|---|")
    for drop_title in (False, True):
        train = [d for n in args.train for d in first_pages(args.pages_dir, n, drop_title)]
        dev = [d for n in args.dev for d in first_pages(args.pages_dir, n, drop_title)]
        model = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
            LogisticRegression(max_iter=2000, C=10),
        )
        model.fit([fold(t.text) for _, t in train], [d for d, _ in train])
        gold = [d for d, _ in dev]
        learned = [str(p) for p in model.predict([fold(t.text) for _, t in dev])]
        rules = [classify(t, taxonomy).doc_type for _, t in dev]
        forms = [i for i, g in enumerate(gold) if g != RECEIPT]  # receipts: QR or title only

        everything = list(range(len(gold)))
        label = "title band dropped" if drop_title else "as read"
        print(
            f"| {label} | {len(gold)} | {_share(rules, gold, everything)} "
            f"| {_share(learned, gold, everything)} | {_share(rules, gold, forms)} "
            f"| {_share(learned, gold, forms)} |"
        )
        for name, pred in (("rules", rules), ("learned", learned)):
            misses = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
            print(f"<!-- {label}, {name} misses: {misses.most_common(4)} -->")
    return 0


if __name__ == "__main__":
    sys.exit(main())
