"""Faces and licence plates blurred on the public copy of a reported photo (DOMAIN §7: "published
photos stripped of EXIF, faces and plates blurred, original sealed").

Detection is OpenCV's Haar cascades, shipped inside the `opencv-python-headless` wheel (frontal
face, profile face both ways, plates), so it works on machines without internet. OpenCV 5 no
longer ships the cascades: the dependency stays on 4.x. Haar cascades miss faces that are small,
turned or in shadow, and see faces in some textures; a false alarm costs a pixelated patch on a
photo of a pothole, which is the cheaper mistake. Detection is behind `Detector` (an image in,
rectangles out) so that tests and a better model later can take its place.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

logger = logging.getLogger(__name__)

# Detection runs on a copy whose longer side is at most this: a 2048 px public copy takes
# about four times as long and finds only faces smaller than ~50 px, which are not recognisable.
DETECT_MAX_SIDE = 1024
# Each rectangle grows by this share of its size on every side (hair, ears, the plate's frame).
PADDING = 0.25
# A blurred rectangle shows at most this many blocks across its longer side.
BLOCKS_ACROSS = 8
# When detection fails, the whole public copy is pixelated into this many blocks across.
WHOLE_BLOCKS_ACROSS = 24


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels of the image it was found in: left, top, width, height."""

    left: int
    top: int
    width: int
    height: int


Detector = Callable[[Image.Image], list[Box]]


@dataclass(frozen=True)
class _Cascade:
    file: str
    min_neighbors: int
    min_size: tuple[int, int]
    mirrored: bool = False  # the profile cascade sees faces turned one way only


_CASCADES = (
    _Cascade("haarcascade_frontalface_default.xml", min_neighbors=5, min_size=(24, 24)),
    _Cascade("haarcascade_profileface.xml", min_neighbors=5, min_size=(24, 24)),
    _Cascade("haarcascade_profileface.xml", min_neighbors=5, min_size=(24, 24), mirrored=True),
    _Cascade("haarcascade_russian_plate_number.xml", min_neighbors=4, min_size=(40, 12)),
)


@cache
def _classifier(file: str) -> cv2.CascadeClassifier:
    # `cv2.data.haarcascades` is this folder; its stubs do not declare `cv2.data`.
    path = Path(cv2.__file__).parent / "data" / file
    classifier = cv2.CascadeClassifier(str(path))
    if classifier.empty():
        raise RuntimeError(f"OpenCV cascade {file} could not be loaded")
    return classifier


def detect_faces_and_plates(image: Image.Image) -> list[Box]:
    """Faces (frontal and profile) and licence plates, in the image's own pixels."""
    scale = min(1.0, DETECT_MAX_SIDE / max(image.size))
    small = image.convert("L")
    if scale < 1.0:
        small = small.resize(
            (max(1, round(image.width * scale)), max(1, round(image.height * scale))),
            Image.Resampling.BILINEAR,
        )
    gray = cv2.equalizeHist(np.asarray(small, dtype=np.uint8))
    mirrored = cv2.flip(gray, 1)
    width = gray.shape[1]
    found: list[Box] = []
    for cascade in _CASCADES:
        source = mirrored if cascade.mirrored else gray
        rectangles = _classifier(cascade.file).detectMultiScale(
            source, scaleFactor=1.1, minNeighbors=cascade.min_neighbors, minSize=cascade.min_size
        )
        for x, y, w, h in rectangles:
            left = width - int(x) - int(w) if cascade.mirrored else int(x)
            found.append(
                Box(
                    left=round(left / scale),
                    top=round(int(y) / scale),
                    width=round(int(w) / scale),
                    height=round(int(h) / scale),
                )
            )
    return found


def padded(box: Box, size: tuple[int, int], padding: float = PADDING) -> tuple[int, int, int, int]:
    """The rectangle grown by `padding` of its size on each side, clipped to the image:
    (left, top, right, bottom), right and bottom exclusive."""
    grow_x, grow_y = round(box.width * padding), round(box.height * padding)
    left = max(0, box.left - grow_x)
    top = max(0, box.top - grow_y)
    right = min(size[0], box.left + box.width + grow_x)
    bottom = min(size[1], box.top + box.height + grow_y)
    return left, top, right, bottom


def blur_boxes(image: Image.Image, boxes: Sequence[Box], padding: float = PADDING) -> Image.Image:
    """A copy with every padded rectangle pixelated into at most `BLOCKS_ACROSS` blocks across,
    each block the mean of its pixels: nothing of a face's features survives. Pixels outside
    the padded rectangles are unchanged."""
    out = image.copy()
    for box in boxes:
        left, top, right, bottom = padded(box, image.size, padding)
        if right - left < 1 or bottom - top < 1:
            continue
        region = out.crop((left, top, right, bottom))
        block = max(1, -(-max(region.size) // BLOCKS_ACROSS))
        across = (max(1, -(-region.width // block)), max(1, -(-region.height // block)))
        mosaic = region.resize(across, Image.Resampling.BOX).resize(
            region.size, Image.Resampling.NEAREST
        )
        out.paste(mosaic, (left, top))
    return out


def redact(image: Image.Image, detector: Detector | None = None) -> Image.Image:
    """The image with faces and plates blurred. If detection fails (an odd image, a broken
    install), the whole image is pixelated instead — nothing unchecked is ever published; the
    sealed original keeps every detail for the staff — and the failure is logged without the
    photo, its name or anything of the reporter, so that the report itself still goes through."""
    started = time.perf_counter()
    try:
        boxes = (detector or detect_faces_and_plates)(image)
    except Exception as error:  # any failure of the detector must not lose the report
        logger.warning(
            "photo redaction: detection failed (%s) on a %dx%d image; whole public copy pixelated",
            type(error).__name__,
            image.width,
            image.height,
        )
        return pixelated_whole(image)
    blurred = blur_boxes(image, boxes) if boxes else image
    logger.info(
        "photo redaction: %d region(s) blurred on a %dx%d image in %.0f ms",
        len(boxes),
        image.width,
        image.height,
        (time.perf_counter() - started) * 1000,
    )
    return blurred


def pixelated_whole(image: Image.Image) -> Image.Image:
    """The whole image as a coarse mosaic (`WHOLE_BLOCKS_ACROSS` blocks across): the scene stays
    recognisable in outline, no face or plate does."""
    block = max(1, -(-max(image.size) // WHOLE_BLOCKS_ACROSS))
    across = (max(1, -(-image.width // block)), max(1, -(-image.height // block)))
    return image.resize(across, Image.Resampling.BOX).resize(image.size, Image.Resampling.NEAREST)
