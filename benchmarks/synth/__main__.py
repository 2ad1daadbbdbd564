"""``python -m benchmarks.synth --out DIR --seed N --dossiers N``: write a batch and truth.json."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.synth.batch import make_batch
from benchmarks.synth.degrade import PROFILES
from benchmarks.synth.writers import TIFF_COMPRESSIONS, write_images, write_pdf, write_tiff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synth", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dossiers", type=int, default=3)
    parser.add_argument("--format", choices=("pdf", "tiff", "jpeg", "png"), default="pdf")
    parser.add_argument("--tiff-compression", choices=TIFF_COMPRESSIONS, default="group4")
    parser.add_argument("--profile", choices=PROFILES, default="typical")
    parser.add_argument("--variant", choices=("train", "holdout"), default="train")
    parser.add_argument("--dpi", type=int, choices=(200, 300, 400, 600), default=300)
    parser.add_argument("--blank-backs", type=float, default=0.1)
    args = parser.parse_args(argv)
    batch = make_batch(
        args.seed,
        dossiers=args.dossiers,
        profile=args.profile,
        blank_backs=args.blank_backs,
        variant=args.variant,
        dpi=args.dpi,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    if args.format == "pdf":
        files = [write_pdf(batch.pages, args.out / "batch.pdf", batch.dpi)]
    elif args.format == "tiff":
        files = [write_tiff(batch.pages, args.out / "batch.tif", batch.dpi, args.tiff_compression)]
    else:
        files = write_images(batch.pages, args.out / "pages", batch.dpi, args.format)
    truth = {**batch.truth, "files": [str(f.relative_to(args.out)) for f in files]}
    (args.out / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(
        f"{len(batch.pages)} pages, {len(batch.truth['documents'])} documents, "
        f"{len(batch.truth['dossiers'])} dossiers -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
