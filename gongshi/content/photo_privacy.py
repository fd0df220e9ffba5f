"""Where a photo was taken and with which camera: found in its metadata, and removed without touching a pixel.

A phone writes the place (GPS) and often the camera's serial number into every photo. The site's resized copies
carry none of it, but the original sits in the repository beside its record, and a public repository is public:
a photo of a beneficiary's home would give away where they live. `gongshi check` refuses such a photo and
`gongshi photos --clean` strips the metadata in place, losslessly: JPEG APP1 (EXIF, XMP) and APP13 segments
are dropped without re-encoding (the orientation is kept in a minimal EXIF of its own), PNG text and eXIf
chunks and WebP EXIF and XMP chunks are removed. Pure Python, reading the file's structure only.
"""

from __future__ import annotations

import struct
from pathlib import Path

from gongshi.content.model import Project
from gongshi.content.photos import record_dir
from gongshi.content.read import Document
from gongshi.errors import ContentError

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ORIENTATION = 0x0112
# Tags that identify the camera or its owner: serial numbers (EXIF 2.3, DNG, vendors' usual) and owner names.
SERIAL_TAGS = {
    0xA431: "BodySerialNumber",
    0xA435: "LensSerialNumber",
    0xA430: "CameraOwnerName",
    0xC62F: "SerialNumber",
}
XMP_MARKS = (b"exif:GPSLatitude", b"GPSLatitude", b"aux:SerialNumber", b"SerialNumber")


def _tiff_findings(tiff: bytes) -> tuple[set[str], int]:
    """What an EXIF (TIFF) block reveals: {'GPS', 'BodySerialNumber', …}, and the orientation (1 when absent)."""
    found: set[str] = set()
    orientation = 1
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return found, orientation
    order = "<" if tiff[:2] == b"II" else ">"

    def entries(offset: int):
        if offset + 2 > len(tiff):
            return
        (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
        for i in range(min(count, 512)):
            at = offset + 2 + 12 * i
            if at + 12 > len(tiff):
                return
            tag, kind, number = struct.unpack(order + "HHI", tiff[at : at + 8])
            yield tag, kind, number, tiff[at + 8 : at + 12]

    (ifd0,) = struct.unpack(order + "I", tiff[4:8])
    for tag, kind, _, value in entries(ifd0):
        if tag == ORIENTATION and kind == 3:
            orientation = struct.unpack(order + "H", value[:2])[0]
        elif tag == GPS_IFD:
            (gps,) = struct.unpack(order + "I", value)
            if any(t in (0x0002, 0x0004) for t, *_ in entries(gps)):  # a latitude or longitude is written
                found.add("GPS")
        elif tag == EXIF_IFD:
            (sub,) = struct.unpack(order + "I", value)
            found |= {SERIAL_TAGS[t] for t, *_ in entries(sub) if t in SERIAL_TAGS}
        elif tag in SERIAL_TAGS:
            found.add(SERIAL_TAGS[tag])
    return found, orientation


def _xmp_findings(xmp: bytes) -> set[str]:
    found = set()
    if b"GPSLatitude" in xmp or b"GPSLongitude" in xmp:
        found.add("GPS")
    if b"SerialNumber" in xmp:
        found.add("SerialNumber")
    return found


def _jpeg_segments(data: bytes):
    """(marker, start, end) of each segment before the scan data; the scan and the rest follow `end`."""
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xDA or marker == 0xD9:
            return
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        yield marker, pos, pos + 2 + length
        pos += 2 + length


def _png_chunks(data: bytes):
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        yield kind, pos, pos + 12 + length
        pos += 12 + length


def _webp_chunks(data: bytes):
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        end = pos + 8 + length + (length & 1)
        yield kind, pos, end
        pos = end


def findings(data: bytes) -> set[str]:
    """What the photo's metadata reveals: 'GPS' (where it was taken) and camera serial or owner tags."""
    found: set[str] = set()
    if data.startswith(b"\xff\xd8"):
        for marker, start, end in _jpeg_segments(data):
            payload = data[start + 4 : end]
            if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
                found |= _tiff_findings(payload[6:])[0]
            elif marker == 0xE1:
                found |= _xmp_findings(payload)
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        for kind, start, end in _png_chunks(data):
            if kind == b"eXIf":
                found |= _tiff_findings(data[start + 8 : end - 4])[0]
            elif kind in (b"tEXt", b"iTXt", b"zTXt"):
                found |= _xmp_findings(data[start + 8 : end - 4])
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        for kind, start, end in _webp_chunks(data):
            if kind == b"EXIF":
                block = data[start + 8 : end]
                found |= _tiff_findings(block[6:] if block.startswith(b"Exif\x00\x00") else block)[0]
            elif kind == b"XMP ":
                found |= _xmp_findings(data[start + 8 : end])
    return found


def _orientation_exif(orientation: int) -> bytes:
    """An APP1 segment holding only the orientation, so a rotated photo still shows upright."""
    tiff = b"MM\x00\x2a\x00\x00\x00\x08" + struct.pack(">HHHIHH", 1, ORIENTATION, 3, 1, orientation, 0) + b"\0" * 4
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def clean(data: bytes) -> bytes:
    """The same image without its EXIF, XMP and text metadata; the image data itself is copied byte for byte."""
    if data.startswith(b"\xff\xd8"):
        out, pos, orientation = bytearray(b"\xff\xd8"), 2, 1
        for marker, start, end in _jpeg_segments(data):
            payload = data[start + 4 : end]
            if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
                orientation = _tiff_findings(payload[6:])[1]
            if marker not in (0xE1, 0xED, 0xFE):  # EXIF/XMP, IPTC (Photoshop), comments
                out += data[start:end]
            pos = end
        if orientation != 1:
            out[2:2] = _orientation_exif(orientation)
        return bytes(out + data[pos:])
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        out = bytearray(data[:8])
        for kind, start, end in _png_chunks(data):
            if kind not in (b"eXIf", b"tEXt", b"iTXt", b"zTXt"):
                out += data[start:end]
        return bytes(out)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        body = bytearray()
        for kind, start, end in _webp_chunks(data):
            chunk = bytearray(data[start:end])
            if kind in (b"EXIF", b"XMP "):
                continue
            if kind == b"VP8X":
                chunk[8] &= ~0x0C & 0xFF  # the EXIF and XMP flags
            body += chunk
        return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + bytes(body)
    return data


_WORDS = {"GPS": "拍摄位置（GPS）"}


def check_photo_privacy(records: list[tuple[Project, Document]], root: Path) -> list[ContentError]:
    """A photo that tells where it was taken or which camera took it is refused, with how to clean it."""
    errors = []
    for project, doc in records:
        folder = record_dir(root, project)
        for i, entry in enumerate(project.progress):
            for j, name in enumerate(entry.photos):
                path = folder / name
                try:
                    found = findings(path.read_bytes()) if path.is_file() and not path.is_symlink() else set()
                except OSError:
                    continue  # an unreadable photo is reported by check_photos
                if not found:
                    continue
                what = "、".join(sorted(_WORDS.get(f, f"相机信息 {f}") for f in found))
                errors.append(
                    ContentError(
                        doc.file,
                        doc.line_of(("progress", i, "photos", j)),
                        f"progress[{i}].photos[{j}]",
                        f"照片带有{what}：公开仓库中的照片是公开的，会暴露拍摄地点（如受益户的住址）",
                        f"the photo carries {', '.join(sorted(found))} metadata, public in a public repository",
                        found=name,
                        expected="去掉拍摄位置和相机序列号的照片",
                        hint="运行 gongshi photos --clean（不改变画面，只删除这些信息），再提交。",
                    )
                )
    return errors


def clean_photos(folder: Path) -> list[tuple[Path, set[str]]]:
    """Clean every JPEG, PNG and WebP under folder in place; returns the files changed and what they revealed."""
    changed = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.suffix.lower() not in (".jpg", ".jpeg", ".png", ".webp"):
            continue
        data = path.read_bytes()
        cleaned = clean(data)
        if cleaned != data:
            revealed = findings(data)
            temporary = path.with_name(path.name + ".clean")
            temporary.write_bytes(cleaned)
            temporary.replace(path)
            changed.append((path, revealed))
    return changed
