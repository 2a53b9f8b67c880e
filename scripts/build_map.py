#!/usr/bin/env python3
"""Build the portal's map of the three countries from Natural Earth's outlines.

Reads the npm package `world-atlas` (Natural Earth 1:50m admin-0 countries as TopoJSON; a
devDependency in package.json, installed by `npm ci`), decodes the outlines of Guatemala,
El Salvador and Honduras and of their neighbours (for context), projects them to a flat
picture and writes src/adelante/portal/data/central_america_map.json: SVG path data, label
positions and the attribution. The output is committed: the portal and CI never need npm or
this script; run it again only to change the outline or the resolution (docs/portal.md).

    python3 scripts/build_map.py [path/to/countries-50m.json]
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "node_modules" / "world-atlas" / "countries-50m.json"
OUTPUT = REPO / "src" / "adelante" / "portal" / "data" / "central_america_map.json"

#: ISO 3166 numeric (world-atlas ids) → the partnership's country codes.
COUNTRIES = {"320": "GT", "222": "SV", "340": "HN"}
#: Neighbours drawn in grey so that the three countries are seen where they are.
CONTEXT = {"484": "MX", "084": "BZ", "558": "NI"}
#: The window shown (degrees): the three countries with a margin.
WEST, EAST, SOUTH, NORTH = -92.6, -82.9, 12.6, 18.2
WIDTH = 600.0
PIXELS_PER_DEGREE = WIDTH / (EAST - WEST)
# Equirectangular, with latitudes stretched by 1/cos of the middle latitude (as longitudes
# shrink there): at 15°N the shapes look right, and a window this small needs no projection
# library.
STRETCH = 1 / math.cos(math.radians((NORTH + SOUTH) / 2))
HEIGHT = round((NORTH - SOUTH) * PIXELS_PER_DEGREE * STRETCH, 1)


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are quantized and delta-encoded: undo both (the specification, 2.1.5)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A ring from its arcs; a negative index is the arc ~i, reversed (the specification)."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def project(lon: float, lat: float) -> tuple[float, float]:
    x = (lon - WEST) * PIXELS_PER_DEGREE
    y = (NORTH - lat) * PIXELS_PER_DEGREE * STRETCH
    return x, y


def path(rings: list[list[tuple[float, float]]], clamp: bool) -> str:
    """SVG path data. The neighbours' points are clamped to a box just outside the window:
    inside it the shape is the same, and Mexico's whole coast is not shipped."""
    parts = []
    for each in rings:
        points = []
        for lon, lat in each:
            x, y = project(lon, lat)
            if clamp:
                x = min(max(x, -10.0), WIDTH + 10)
                y = min(max(y, -10.0), HEIGHT + 10)
            point = (round(x, 1), round(y, 1))
            if not points or points[-1] != point:
                points.append(point)
        if len(points) < 3:
            continue
        parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
    return "".join(parts)


def polygons(geometry: dict) -> list[list[int]]:
    if geometry["type"] == "Polygon":
        return geometry["arcs"]
    return [r for polygon in geometry["arcs"] for r in polygon]


def label_point(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """The centre of the largest ring's bounding box: where the country's name is written."""
    largest = max(rings, key=len)
    xs, ys = zip(*(project(lon, lat) for lon, lat in largest), strict=True)
    return round((min(xs) + max(xs)) / 2, 1), round((min(ys) + max(ys)) / 2, 1)


def build(source: Path) -> dict:
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    countries: dict[str, dict] = {}
    context: list[str] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if code not in COUNTRIES and code not in CONTEXT:
            continue
        rings = [ring(indexes, arcs) for indexes in polygons(geometry)]
        if code in COUNTRIES:
            countries[COUNTRIES[code]] = {
                "path": path(rings, clamp=False),
                "label": label_point(rings),
            }
        else:
            context.append(path(rings, clamp=True))
    missing = set(COUNTRIES.values()) - set(countries)
    if missing:
        raise SystemExit(f"build_map: {source} has no outline for {sorted(missing)}")
    return {
        "attribution": (
            "Made with Natural Earth (public domain), via the npm package world-atlas 2"
            " (ISC licence, Mike Bostock)."
        ),
        "width": WIDTH,
        "height": HEIGHT,
        "countries": dict(sorted(countries.items())),
        "context": context,
    }


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    if not source.exists():
        raise SystemExit(f"build_map: no {source} (run `npm ci` first)")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(
        json.dumps(build(source), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {OUTPUT.relative_to(REPO)} ({OUTPUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
