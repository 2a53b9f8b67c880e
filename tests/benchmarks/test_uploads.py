"""The upload benchmark measures what it says: a normal file read, a bomb refused, each with
its peak memory, and a table of ratios against the floor."""

from __future__ import annotations

from benchmarks import uploads

MiB = 1024 * 1024


def test_measures_the_floor_and_a_bomb(tmp_path, settings):
    (tmp_path / uploads.FLOOR["xlsx"]).write_bytes(uploads.normal_workbook())
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(uploads.bomb_workbook(8 * MiB))
    floor = uploads.measure(tmp_path / uploads.FLOOR["xlsx"], "xlsx")
    refused = uploads.measure(bomb, "xlsx")
    assert floor.outcome == "read 1 row(s)"
    assert refused.outcome.startswith("refused: ") and "compressed" in refused.outcome
    assert floor.peak_heap_mb > 0 and refused.peak_heap_mb < 50
    table = uploads.format_table([floor, refused], markdown=True)
    assert "| normal-1-row.xlsx |" in table and "| bomb.xlsx |" in table
