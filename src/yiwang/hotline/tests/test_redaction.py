"""Faces and plates blurred on the public copy of a reported photo: the pixelation touches
exactly the padded rectangles, a real face is found and made unrecognisable, a failing detector
still lets the report through (logged without personal data), and the sealed original stays
byte for byte what the citizen sent."""

from __future__ import annotations

import io
import logging

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from skimage import data as skimage_data

from yiwang.hotline import redaction
from yiwang.hotline.redaction import Box, blur_boxes, detect_faces_and_plates, padded, redact
from yiwang.hotline.services import ticket_attach_photo
from yiwang.hotline.tests.factories import make_hotline, make_user
from yiwang.hotline.tests.factories import report as make_report

# Where the astronaut's face is in skimage.data.astronaut() (512 × 512), checked by eye.
FACE = (170, 60, 280, 170)  # left, top, right, bottom


def noise(width: int = 200, height: int = 150) -> Image.Image:
    rng = np.random.default_rng(7)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))


def astronaut() -> Image.Image:
    return Image.fromarray(skimage_data.astronaut())


def changed(before: Image.Image, after: Image.Image) -> np.ndarray:
    """A height × width mask of the pixels that differ."""
    mask: np.ndarray = np.any(np.asarray(before) != np.asarray(after), axis=2)
    return mask


def test_blurring_changes_exactly_the_padded_rectangles():
    image = noise()
    boxes = [Box(left=20, top=30, width=40, height=20), Box(left=150, top=100, width=60, height=60)]
    blurred = blur_boxes(image, boxes, padding=0.25)
    expected = np.zeros((150, 200), dtype=bool)
    # The first grows by 10 × 5 px on each side; the second is clipped at the image's edges.
    assert padded(boxes[0], image.size) == (10, 25, 70, 55)
    assert padded(boxes[1], image.size) == (135, 85, 200, 150)
    expected[25:55, 10:70] = True
    expected[85:150, 135:200] = True
    mask = changed(image, blurred)
    assert not mask[~expected].any()  # nothing outside moved
    assert mask[expected].mean() > 0.99  # on noise, virtually every pixel inside did
    assert np.asarray(image).tobytes() == np.asarray(noise()).tobytes()  # input untouched


def test_a_blurred_rectangle_keeps_no_detail_finer_than_an_eighth_of_it():
    image = noise()
    blurred = blur_boxes(image, [Box(left=0, top=0, width=80, height=80)], padding=0)
    region = np.asarray(blurred)[:80, :80]
    # 8 × 8 blocks of 10 × 10 px, each one flat colour.
    blocks = region.reshape(8, 10, 8, 10, 3)
    assert (blocks == blocks[:, :1, :, :1, :]).all()
    assert len({tuple(region[y, x]) for y in range(0, 80, 10) for x in range(0, 80, 10)}) > 32


def test_no_rectangles_no_change_and_empty_rectangles_are_skipped():
    image = noise()
    assert np.array_equal(np.asarray(blur_boxes(image, [])), np.asarray(image))
    outside = Box(left=500, top=500, width=10, height=10)
    assert np.array_equal(np.asarray(blur_boxes(image, [outside])), np.asarray(image))


def test_the_astronauts_face_is_found():
    boxes = detect_faces_and_plates(astronaut())
    assert boxes, "the frontal face cascade should find the astronaut's face"
    left, top, right, bottom = FACE
    assert any(
        b.left >= left - 20
        and b.top >= top - 20
        and b.left + b.width <= right + 20
        and b.top + b.height <= bottom + 20
        for b in boxes
    ), boxes


def test_a_large_photo_is_searched_small_and_the_box_scaled_back():
    """A 2048 px public copy is searched at 1024 px; the face comes back in full-size pixels."""
    big = astronaut().resize((2048, 2048), Image.Resampling.BICUBIC)
    boxes = detect_faces_and_plates(big)
    left, top, right, bottom = (v * 4 for v in FACE)
    assert any(
        b.left >= left - 80
        and b.top >= top - 80
        and b.left + b.width <= right + 80
        and b.top + b.height <= bottom + 80
        for b in boxes
    ), boxes


def test_a_plain_picture_has_nothing_to_blur():
    plain = Image.new("RGB", (640, 480), (90, 120, 150))
    assert detect_faces_and_plates(plain) == []
    assert redact(plain) is plain


def test_redacting_the_astronaut_pixelates_her_face_only():
    image = astronaut()
    boxes = detect_faces_and_plates(image)
    blurred = redact(image)
    mask = changed(image, blurred)
    inside = np.zeros(mask.shape, dtype=bool)
    for box in boxes:
        left, top, right, bottom = padded(box, image.size)
        inside[top:bottom, left:right] = True
    assert not mask[~inside].any()
    left, top, right, bottom = FACE
    face_after = np.asarray(blurred.convert("L"))[top:bottom, left:right].astype(int)
    face_before = np.asarray(image.convert("L"))[top:bottom, left:right].astype(int)
    # Pixelated: the fine detail (differences between neighbours) is nearly all gone.
    detail = np.abs(np.diff(face_after, axis=1)).mean()
    assert detail < np.abs(np.diff(face_before, axis=1)).mean() / 4


def test_a_failing_detector_pixelates_the_whole_picture_and_logs_without_personal_data(caplog):
    def broken(image: Image.Image) -> list[Box]:
        raise ValueError("张明华 13800000001 manhole.jpg")

    image = noise()
    with caplog.at_level(logging.WARNING, logger="yiwang.hotline.redaction"):
        published = redact(image, detector=broken)
    assert published.size == image.size
    assert published.tobytes() != image.tobytes()
    # 200 px across in 24 blocks of 9 px: every 9 × 9 block is one colour.
    pixels = np.asarray(published)
    assert (pixels[:9, :9] == pixels[0, 0]).all()
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) <= 23 * 17
    [record] = caplog.records
    message = record.getMessage()
    assert "ValueError" in message
    assert "200x150" in message
    assert "张明华" not in message
    assert "138" not in message
    assert "manhole" not in message


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


@pytest.mark.django_db
def test_an_uploaded_photo_gets_a_blurred_public_copy_and_a_sealed_original():
    setup = make_hotline()
    citizen = make_user()
    ticket = make_report(setup, reporter_user=citizen)
    sent = _jpeg(astronaut())
    attachment = ticket_attach_photo(
        ticket=ticket,
        upload=SimpleUploadedFile("face.jpg", sent, content_type="image/jpeg"),
        reporter=citizen,
    )
    with attachment.original.open("rb") as f:
        assert f.read() == sent
    with attachment.public_file.open("rb") as f, Image.open(f) as public:
        public_pixels = np.asarray(public.convert("L")).astype(int)
    with Image.open(io.BytesIO(sent)) as original:
        original_pixels = np.asarray(original.convert("L")).astype(int)
    left, top, right, bottom = FACE
    face_public = public_pixels[top:bottom, left:right]
    face_original = original_pixels[top:bottom, left:right]
    assert (
        np.abs(np.diff(face_public, axis=1)).mean()
        < np.abs(np.diff(face_original, axis=1)).mean() / 3
    )
    # Away from the face (the flag, bottom right) only JPEG re-encoding differs.
    corner = (slice(400, 512), slice(400, 512))
    assert np.abs(public_pixels[corner] - original_pixels[corner]).mean() < 4


@pytest.mark.django_db
def test_an_upload_goes_through_when_the_detector_fails(monkeypatch, caplog):
    def broken(image: Image.Image) -> list[Box]:
        raise RuntimeError("cascade missing")

    monkeypatch.setattr(redaction, "detect_faces_and_plates", broken)
    setup = make_hotline()
    citizen = make_user()
    ticket = make_report(setup, reporter_user=citizen)
    with caplog.at_level(logging.WARNING, logger="yiwang.hotline.redaction"):
        attachment = ticket_attach_photo(
            ticket=ticket,
            upload=SimpleUploadedFile("x.jpg", _jpeg(noise()), content_type="image/jpeg"),
            reporter=citizen,
        )
    assert attachment.public_file.name
    assert "RuntimeError" in caplog.text
