from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.platform.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_not_ready_without_a_worker_heartbeat(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "worker": "no heartbeat",
    }


def test_readyz_is_ready_with_a_fresh_heartbeat(client):
    WorkerHeartbeat.objects.create(worker="w1", beat_at=timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_readyz_reports_a_stale_worker(client):
    WorkerHeartbeat.objects.create(worker="w1", beat_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"].startswith("stale")
