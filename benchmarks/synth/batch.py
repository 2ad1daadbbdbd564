"""A scanning batch: several dossiers back to back, each opened by its reception receipt.

Documents in a dossier share the applicant, the procedure and the day, as at a real counter; some
sheets were scanned duplex and leave a blank back (with faint show-through of the front).
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from benchmarks.synth import names as nm
from benchmarks.synth.degrade import degrade
from benchmarks.synth.forms import VARIANTS, render_document

# Documents that typically follow the opening form in a dossier.
SUPPORTING = (
    "id_card_copy",
    "id_card_copy",
    "other",
    "other",
    "birth_registration",
    "land_certificate_application",
)


@dataclass(slots=True)
class SynthBatch:
    """Degraded pages in scan order and the ground truth that explains them."""

    pages: list[Image.Image]
    dpi: int
    truth: dict = field(default_factory=dict)

    def head(self, count: int) -> SynthBatch:
        """The first ``count`` pages, keeping only documents and dossiers wholly inside them."""
        truth = dict(self.truth)
        truth["pages"] = self.truth["pages"][:count]
        truth["documents"] = [
            d for d in self.truth["documents"] if d["first_page"] + d["page_count"] - 1 <= count
        ]
        truth["dossiers"] = [d for d in self.truth["dossiers"] if d["first_page"] <= count]
        return SynthBatch(self.pages[:count], self.dpi, truth)


def blank_back(front: Image.Image, rng: random.Random) -> Image.Image:
    """The back of a one-sided sheet: white, sometimes with the front faintly showing through."""
    if rng.random() < 0.5:
        return Image.new("L", front.size, 255)
    mirrored = cv2.flip(np.asarray(front.convert("L")), 1)
    strength = rng.uniform(0.03, 0.08)
    faint = 255 - ((255 - mirrored.astype(np.uint16)) * strength).astype(np.uint8)
    return Image.fromarray(cv2.GaussianBlur(faint, (0, 0), 2.0), "L")


def make_batch(
    seed: int,
    *,
    dossiers: int = 3,
    docs_per_dossier: tuple[int, int] = (1, 4),
    profile: str = "typical",
    blank_backs: float = 0.1,
    variant: str = "train",
    dpi: int = 300,
) -> SynthBatch:
    """A reproducible batch of ``dossiers`` dossiers.

    Each dossier is its reception receipt followed by ``docs_per_dossier`` documents (inclusive
    range), the first being the opening form of its procedure.
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    low, high = docs_per_dossier
    if not 1 <= low <= high:
        raise ValueError(
            f"docs_per_dossier must be (low, high) with 1 <= low <= high, not {docs_per_dossier!r}"
        )
    rng = random.Random(seed)
    pages: list[Image.Image] = []
    truth: dict = {
        "seed": seed,
        "dpi": dpi,
        "profile": profile,
        "variant": variant,
        "pages": [],
        "documents": [],
        "dossiers": [],
    }
    agency = nm.agency_code(rng)
    day = nm.working_day(rng)
    sequence = rng.randint(1, 500)
    for dossier_index in range(dossiers):
        sequence += rng.randint(1, 7)
        code = f"{agency}-{day:%y%m%d}-{sequence:04d}"
        procedure = rng.choice(tuple(nm.PROCEDURES))
        applicant = nm.person(rng)
        opening = nm.PROCEDURES[procedure][1]
        types = ["reception_receipt", opening]
        types += [rng.choice(SUPPORTING) for _ in range(rng.randint(low, high) - 1)]
        truth["dossiers"].append(
            {"code": code, "first_page": len(pages) + 1, "procedure": procedure}
        )
        for doc_type in types:
            doc = render_document(
                doc_type,
                rng,
                dpi=dpi,
                variant=variant,
                dossier_code=code if doc_type == "reception_receipt" else None,
                applicant=applicant,
                procedure=procedure,
                day=day,
            )
            truth["documents"].append(
                {
                    "dossier_index": dossier_index,
                    "doc_type": doc_type,
                    "dossier_code": code,
                    "first_page": len(pages) + 1,
                    "page_count": 0,
                    "fields": doc.fields,
                    "printed": doc.printed,
                    "layout": doc.layout,
                    "font": doc.font,
                }
            )
            sheets = [(p.image, p.lines, p.role, p.stamp_anchor) for p in doc.pages]
            for image, lines, role, anchor in sheets:
                backs = [(image, lines, role, anchor)]
                if rng.random() < blank_backs:
                    backs.append((blank_back(image, rng), [], "blank", None))
                for img, ls, rl, anc in backs:
                    scanned, how = degrade(
                        img, rng, profile=profile, dpi=dpi, stamp_at=anc, no_stamp=rl == "blank"
                    )
                    pages.append(scanned)
                    truth["documents"][-1]["page_count"] += 1
                    truth["pages"].append(
                        {
                            "page": len(pages),
                            "dossier_index": dossier_index,
                            "document_index": len(truth["documents"]) - 1,
                            "doc_type": doc_type,
                            "role": rl,
                            "lines": ls,
                            "degradation": dataclasses.asdict(how),
                        }
                    )
    return SynthBatch(pages, dpi, truth)
