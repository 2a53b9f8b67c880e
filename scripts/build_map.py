#!/usr/bin/env python3
"""Build the portal's world outlines, from which the map of any initiative's countries is drawn.

Reads the npm package `world-atlas` (Natural Earth 1:50m admin-0 countries as TopoJSON; a
devDependency in package.json, installed by `npm ci`), simplifies its shared borders once
(Douglas-Peucker on each arc, so neighbours still meet), drops specks of islands, and writes
src/adelante/portal/data/world_outlines.json: every country's rings as longitudes and latitudes
in hundredths of a degree, delta-encoded, keyed by ISO 3166-1 alpha-2 code. world-atlas names
countries by ISO 3166-1 numeric code; CLDR's territory aliases (shipped with Babel, the
portal's source of country names) map them to alpha-2. The portal projects the outlines when
it draws a map (`adelante.portal.country_map`), fitted to the initiative's countries. The
output is committed: the portal and CI never need npm or this script (docs/portal.md).

    python scripts/build_map.py [path/to/countries-50m.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.core import get_global

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "node_modules" / "world-atlas" / "countries-50m.json"
OUTPUT = REPO / "src" / "adelante" / "portal" / "data" / "world_outlines.json"

#: Degrees a simplified border may stray from Natural Earth's (about 3 km): invisible at the
#: size of a map of a few countries, and it keeps the file near 230 kB.
TOLERANCE = 0.03
#: Rings smaller than this (square degrees, about 25 km square) are left out, unless they are
#: the country's largest: a small island state keeps its main island.
SMALLEST = 0.05
#: Outlines world-atlas gives no numeric code, by its name (Kosovo's code is user-assigned).
BY_NAME = {"Kosovo": "XK"}
Point = tuple[float, float]


def alpha2(numeric: str | None, name: str) -> str | None:
    if numeric is None:
        return BY_NAME.get(name)
    found = get_global("territory_aliases").get(numeric)
    return found[0] if found else None


def decode_arcs(topology: dict) -> list[list[Point]]:
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


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, keeping both ends (an arc's ends are where borders meet)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = (dx * dx + dy * dy) ** 0.5
        far, index = 0.0, 0
        for i in range(first + 1, last):
            x, y = points[i]
            if length:
                distance = abs(dy * (x - x1) - dx * (y - y1)) / length
            else:
                distance = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if distance > far:
                far, index = distance, i
        if far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    """A ring from its arcs; a negative index is the arc ~i, reversed (the specification)."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def area(points: list[Point]) -> float:
    return (
        abs(
            sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
            )
        )
        / 2
    )


def encoded(points: list[Point]) -> list[int]:
    """Hundredths of a degree, each point as the step from the one before."""
    flat: list[int] = []
    last = (0, 0)
    for lon, lat in points:
        here = (round(lon * 100), round(lat * 100))
        if flat and here == last:
            continue
        flat += [here[0] - last[0], here[1] - last[1]]
        last = here
    return flat


def outer_rings(geometry: dict) -> list[list[int]]:
    """The outer ring of each polygon (holes, such as lakes, are not drawn)."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["arcs"]]
    return []


def build(source: Path) -> dict:
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = [simplify(arc, TOLERANCE) for arc in decode_arcs(topology)]
    countries: dict[str, list[list[int]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = alpha2(geometry.get("id"), geometry.get("properties", {}).get("name", ""))
        if code is None:
            continue
        rings = [ring(indexes, arcs) for indexes in outer_rings(geometry)]
        rings = [r for r in rings if len(r) >= 4]
        if not rings:
            continue
        largest = max(rings, key=area)
        kept = [r for r in rings if r is largest or area(r) >= SMALLEST]
        countries.setdefault(code, []).extend(encoded(r) for r in kept)
    return {
        "attribution": (
            "Made with Natural Earth (public domain), via the npm package world-atlas 2"
            " (ISC licence, Mike Bostock)."
        ),
        "unit": "hundredths of a degree, delta-encoded [lon, lat] pairs",
        "countries": dict(sorted(countries.items())),
    }


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    if not source.exists():
        raise SystemExit(f"build_map: no {source} (run `npm ci` first)")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(build(source), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO)} ({OUTPUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
