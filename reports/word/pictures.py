"""The reports' charts as PNG pictures for Word, which shows SVG only in its newest versions.

The charts are drawn on the server as SVG (`interventions.kit.charts`,
`interventions.measures.charts`) from a handful of elements: rectangles, lines (some dashed),
polylines, circles and text, in groups moved by `translate`. This draws those elements with
Pillow (already installed as a dependency of WeasyPrint) at twice their size, so the picture
is the one the PDF shows. An element it does not know is left out, never guessed at.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from functools import cache

from lxml import etree
from PIL import Image, ImageDraw, ImageFont

SVG_NS = "{http://www.w3.org/2000/svg}"
SCALE = 2  # pixels per SVG unit: sharp in print at the width a report gives a chart

# The charts ask for Arial; these are the metric-compatible and common sans-serif fonts a
# Debian or Ubuntu machine has. Pillow's own font is the last resort.
_REGULAR = ("LiberationSans-Regular.ttf", "Arial.ttf", "DejaVuSans.ttf")
_BOLD = ("LiberationSans-Bold.ttf", "Arial Bold.ttf", "DejaVuSans-Bold.ttf")

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def _font(size: int, bold: bool) -> Font:
    for name in _BOLD if bold else _REGULAR:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _number(value: str | None, default: float = 0.0) -> float:
    if not value:
        return default
    match = re.match(r"\s*(-?[\d.]+)", value)
    return float(match.group(1)) if match else default


def _colour(value: str | None) -> str | None:
    if not value or value == "none":
        return None
    return value


def _translate(value: str | None) -> tuple[float, float]:
    match = re.search(r"translate\(\s*(-?[\d.]+)[\s,]*(-?[\d.]+)?\s*\)", value or "")
    if not match:
        return 0.0, 0.0
    return float(match.group(1)), float(match.group(2) or 0)


class _Painter:
    def __init__(self, draw: ImageDraw.ImageDraw) -> None:
        self.draw = draw

    def point(self, x: float, y: float, origin: tuple[float, float]) -> tuple[float, float]:
        return (x + origin[0]) * SCALE, (y + origin[1]) * SCALE

    def element(self, el: etree._Element, origin: tuple[float, float]) -> None:
        tag = el.tag.removeprefix(SVG_NS) if isinstance(el.tag, str) else ""
        get = el.get
        if tag == "g":
            dx, dy = _translate(get("transform"))
            for child in el:
                self.element(child, (origin[0] + dx, origin[1] + dy))
        elif tag == "rect":
            x0, y0 = self.point(_number(get("x")), _number(get("y")), origin)
            w, h = _number(get("width")) * SCALE, _number(get("height")) * SCALE
            if w > 0 and h > 0:
                stroke = _colour(get("stroke"))
                self.draw.rectangle(
                    (x0, y0, x0 + w, y0 + h),
                    fill=_colour(get("fill", "#000000")),
                    outline=stroke,
                    width=round(_number(get("stroke-width"), 1) * SCALE) if stroke else 0,
                )
        elif tag == "line":
            start = self.point(_number(get("x1")), _number(get("y1")), origin)
            end = self.point(_number(get("x2")), _number(get("y2")), origin)
            self.line([start, end], get("stroke"), get("stroke-width"), get("stroke-dasharray"))
        elif tag == "polyline":
            values = [float(v) for v in re.findall(r"-?[\d.]+", get("points", ""))]
            points = [
                self.point(x, y, origin) for x, y in zip(values[::2], values[1::2], strict=False)
            ]
            self.line(points, get("stroke"), get("stroke-width"), None)
        elif tag == "circle":
            cx, cy = self.point(_number(get("cx")), _number(get("cy")), origin)
            r = _number(get("r")) * SCALE
            self.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_colour(get("fill", "#000")))
        elif tag == "text":
            self.text(el, origin)

    def line(
        self,
        points: list[tuple[float, float]],
        stroke: str | None,
        width: str | None,
        dashes: str | None,
    ) -> None:
        colour = _colour(stroke)
        if colour is None or len(points) < 2:
            return
        pixels = max(1, round(_number(width, 1) * SCALE))
        pattern = [float(v) * SCALE for v in re.findall(r"[\d.]+", dashes or "")]
        if not pattern or not any(pattern):
            self.draw.line(points, fill=colour, width=pixels, joint="curve")
            return
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            length = math.hypot(x1 - x0, y1 - y0)
            done, index = 0.0, 0
            while done < length:
                step = min(pattern[index % len(pattern)], length - done)
                if index % 2 == 0:
                    a, b = done / length, (done + step) / length
                    self.draw.line(
                        [(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a)]
                        + [(x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)],
                        fill=colour,
                        width=pixels,
                    )
                done += step
                index += 1

    def text(self, el: etree._Element, origin: tuple[float, float]) -> None:
        content = "".join(el.itertext())
        if not content.strip():
            return
        size = round(_number(el.get("font-size"), 14) * SCALE)
        font = _font(size, el.get("font-weight") == "bold")
        anchor = {"middle": "ms", "end": "rs"}.get(el.get("text-anchor", ""), "ls")
        x, y = self.point(_number(el.get("x")), _number(el.get("y")), origin)
        self.draw.text((x, y), content, fill=el.get("fill", "#0b0c0c"), font=font, anchor=anchor)


def svg_to_png(svg: bytes) -> tuple[bytes, float]:
    """The chart drawn as a PNG, and its width in SVG units (CSS pixels)."""
    root = etree.fromstring(svg, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    width, height = _number(root.get("width"), 640), _number(root.get("height"), 200)
    image = Image.new("RGB", (round(width * SCALE), round(height * SCALE)), "#ffffff")
    painter = _Painter(ImageDraw.Draw(image))
    for child in root:
        painter.element(child, (0.0, 0.0))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), width
