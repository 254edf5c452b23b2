"""Learned dispatch (智能派单): which unit should lead a ticket, learned from where past tickets
were dispatched.

TF-IDF over character 1–3-grams of the title, content and address (Chinese needs no word
segmentation for this: the grams catch 井盖, 欠薪 and 清溪县 alike) and a linear classifier with
logistic loss (probabilities, so the dispatcher sees how sure it is). Evaluated honestly: trained
on the earlier ~80 % of days, tested on the later ones, as the model meets tomorrow's tickets.
The model is a joblib file under `DATA_DIR/models/`; each training is a `DispatchModelRun` row
with its held-out accuracy. Routing rules always win over the model
(`selectors.suggest.suggest_department`).
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.hotline.models import DispatchModelRun, Ticket

DEFAULT_MAX_TICKETS = 60_000
MIN_TICKETS = 20
ALGORITHM = "TF-IDF 字符 1–3 元组 + SGD 逻辑回归（log loss）"


def ticket_text(title: str, content: str, address: str = "") -> str:
    return " ".join(part for part in (title.strip(), content.strip(), address.strip()) if part)


def models_directory() -> Path:
    return Path(settings.DATA_DIR) / "models"


@dataclass(frozen=True)
class Sample:
    received_at: datetime
    text: str
    department_id: int


def training_samples(*, max_tickets: int = DEFAULT_MAX_TICKETS) -> list[Sample]:
    """The most recent dispatched tickets (their final lead unit), oldest first. Duplicates merged
    under a master were never dispatched and are not samples."""
    rows = (
        Ticket.objects.filter(lead_department__isnull=False, dispatched_at__isnull=False)
        .order_by("-received_at", "-id")
        .values_list("received_at", "title", "content", "address", "lead_department_id")[
            :max_tickets
        ]
    )
    samples = [
        Sample(received, ticket_text(title, content, address), department)
        for received, title, content, address, department in rows
    ]
    samples.reverse()
    return samples


def split_by_time(
    samples: Sequence[Sample], train_share: float = 0.8
) -> tuple[list[Sample], list[Sample], datetime | None]:
    """Train on the first `train_share` of the days, test on the rest (one day: by order)."""
    days = sorted({timezone.localtime(s.received_at).date() for s in samples})
    if len(days) >= 2:
        cut_day = days[min(len(days) - 1, max(1, round(len(days) * train_share)))]
        train = [s for s in samples if timezone.localtime(s.received_at).date() < cut_day]
        test = [s for s in samples if timezone.localtime(s.received_at).date() >= cut_day]
        return train, test, test[0].received_at if test else None
    cut = max(1, round(len(samples) * train_share))
    split_at = samples[cut].received_at if cut < len(samples) else None
    return list(samples[:cut]), list(samples[cut:]), split_at


def build_pipeline(*, seed: int = 0) -> Any:
    """An unfitted scikit-learn pipeline. scikit-learn is imported here, not at the top: it
    takes a second or more to import and only training needs it (a saved model brings it along
    when loaded), so web processes that never suggest a unit never pay for it."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415
    from sklearn.linear_model import SGDClassifier  # noqa: PLC0415
    from sklearn.pipeline import Pipeline  # noqa: PLC0415

    return Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer="char",
                    ngram_range=(1, 3),
                    sublinear_tf=True,
                    min_df=2,
                    max_features=200_000,
                    dtype=np.float32,
                ),
            ),
            (
                "model",
                # A fixed number of epochs (tol=None): 6 reach within half a point of 15 on
                # the demo year (bench/hotline_classifier) at 40 % of the time.
                SGDClassifier(
                    loss="log_loss",
                    alpha=8e-6,
                    max_iter=6,
                    tol=None,
                    random_state=seed,
                    n_jobs=-1,
                ),
            ),
        ]
    )


class DispatchModel:
    """A trained pipeline and the department ids its classes stand for."""

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline
        self.classes: list[int] = [int(c) for c in pipeline.classes_]

    def predict(self, texts: Sequence[str], *, k: int = 3) -> list[list[tuple[int, float]]]:
        """For each text, the `k` likeliest department ids with their probabilities."""
        proba = self.pipeline.predict_proba(list(texts))
        k = min(k, len(self.classes))
        best = np.argsort(-proba, axis=1)[:, :k]
        return [
            [(self.classes[j], float(row[j])) for j in order]
            for row, order in zip(proba, best, strict=True)
        ]


def top_k_accuracy(model: DispatchModel, samples: Sequence[Sample], k: int) -> float:
    if not samples:
        return 0.0
    predicted = model.predict([s.text for s in samples], k=k)
    hits = sum(
        1
        for sample, top in zip(samples, predicted, strict=True)
        if sample.department_id in {department for department, _ in top}
    )
    return hits / len(samples)


def fit(samples: Sequence[Sample], *, seed: int = 0) -> DispatchModel:
    pipeline = build_pipeline(seed=seed)
    pipeline.fit([s.text for s in samples], [s.department_id for s in samples])
    return DispatchModel(pipeline)


def train_dispatch_model(
    *,
    max_tickets: int = DEFAULT_MAX_TICKETS,
    train_share: float = 0.8,
    directory: Path | None = None,
    refit_on_all: bool = False,
    seed: int = 0,
) -> DispatchModelRun | None:
    """Train on past dispatched tickets, test on the later days, save the model and record the
    run (which becomes the one in use). None when there are too few tickets or only one unit.
    With `refit_on_all`, the saved model is fitted again on every sample once measured."""
    started = time.monotonic()
    samples = training_samples(max_tickets=max_tickets)
    if len(samples) < MIN_TICKETS or len({s.department_id for s in samples}) < 2:
        return None
    train, test, split_at = split_by_time(samples, train_share)
    if len({s.department_id for s in train}) < 2:
        return None
    model = fit(train, seed=seed)
    top1 = top_k_accuracy(model, test, 1)
    top3 = top_k_accuracy(model, test, 3)
    majority = Counter(s.department_id for s in train).most_common(1)[0][0]
    baseline = sum(1 for s in test if s.department_id == majority) / len(test) if test else 0.0
    if refit_on_all and test:
        model = fit(samples, seed=seed)
    folder = directory or models_directory()
    folder.mkdir(parents=True, exist_ok=True)
    trained_at = timezone.now()
    path = folder / f"dispatch-{trained_at:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}.joblib"
    joblib.dump({"pipeline": model.pipeline, "trained_at": trained_at.isoformat()}, path)
    with transaction.atomic():
        DispatchModelRun.objects.filter(is_active=True).update(is_active=False)
        run = DispatchModelRun.objects.create(
            trained_at=trained_at,
            algorithm=ALGORITHM,
            model_file=str(path),
            n_train=len(train),
            n_test=len(test),
            n_classes=len(model.classes),
            period_start=samples[0].received_at,
            split_at=split_at,
            period_end=samples[-1].received_at,
            top1_accuracy=top1,
            top3_accuracy=top3,
            baseline_accuracy=baseline,
            training_seconds=time.monotonic() - started,
            is_active=True,
        )
    return run


_cache: dict[str, tuple[float, DispatchModel]] = {}


def load_model(path: str) -> DispatchModel | None:
    """The model in a file, kept in memory until the file changes; None if unreadable."""
    file = Path(path)
    try:
        modified = file.stat().st_mtime
    except OSError:
        return None
    cached = _cache.get(path)
    if cached is not None and cached[0] == modified:
        return cached[1]
    try:
        payload: Any = joblib.load(file)
        model = DispatchModel(payload["pipeline"])
    except Exception:  # a damaged or foreign file means "no model", not a crash
        return None
    _cache.clear()
    _cache[path] = (modified, model)
    return model


def current_model() -> tuple[DispatchModelRun, DispatchModel] | None:
    """The run in use and its model, if any."""
    run = DispatchModelRun.objects.filter(is_active=True).order_by("-trained_at", "-id").first()
    if run is None:
        return None
    model = load_model(run.model_file)
    if model is None:
        return None
    return run, model
