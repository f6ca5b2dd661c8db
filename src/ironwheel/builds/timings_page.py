"""The build timings as one self-contained HTML page: inline CSS and SVG, nothing fetched."""

from __future__ import annotations

import html
from collections.abc import Sequence

from ironwheel.builds.timings import Compile, Recorder, Step, lanes

__all__ = ["COMPILE_COLOUR", "LINK_COLOUR", "STEP_COLOUR", "render_page"]

STEP_COLOUR = "#d9822b"
COMPILE_COLOUR = "#2b7bd9"
LINK_COLOUR = "#7a4fd9"
_WIDTH = 900  # pixels for the time axis
_LEFT = 170  # pixels for the row labels
_ROW = 22
_SLOWEST = 10

_STYLE = """
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
.totals { color: #444; } .failed { color: #b00020; font-weight: bold; }
table { border-collapse: collapse; } td, th { padding: 2px 12px 2px 0; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
svg text { font: 12px system-ui, sans-serif; fill: #222; } svg .axis { stroke: #bbb; }
"""


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def _axis(total: float, height: int) -> list[str]:
    parts: list[str] = []
    ticks = 5
    for index in range(ticks + 1):
        x = _LEFT + _WIDTH * index / ticks
        parts.append(f'<line class="axis" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}"/>')
        digits = 2 if total < 10 else 1
        parts.append(f'<text x="{x + 2:.1f}" y="{height + 14}">{total * index / ticks:.{digits}f} s</text>')
    return parts


def _bar(x0: float, x1: float, y: int, colour: str, tip: str) -> str:
    width = max(x1 - x0, 2.0)  # a very short step stays visible
    return (
        f'<rect x="{x0:.1f}" y="{y + 3}" width="{width:.1f}" height="{_ROW - 6}" fill="{colour}">'
        f"<title>{html.escape(tip)}</title></rect>"
    )


def _steps_svg(steps: Sequence[Step], total: float) -> str:
    scale = _WIDTH / max(total, 1e-6)
    height = _ROW * len(steps)
    parts = _axis(total, height)
    for row, item in enumerate(steps):
        y = row * _ROW
        label = f"{item.name} ({item.end - item.start:.2f} s)"
        parts.append(f'<text x="0" y="{y + 15}">{html.escape(label)}</text>')
        tip = f"{item.name}: {item.end - item.start:.2f} s wall, {_seconds(item.cpu)} CPU"
        parts.append(_bar(_LEFT + item.start * scale, _LEFT + item.end * scale, y, STEP_COLOUR, tip))
    return _svg(parts, height)


def _compiles_svg(compiles: Sequence[Compile]) -> str:
    total = max((item.end for item in compiles), default=0.0)
    scale = _WIDTH / max(total, 1e-6)
    chosen = lanes(list(compiles))
    count = max(chosen, default=-1) + 1
    height = _ROW * count
    parts = _axis(total, height)
    for lane in range(count):
        parts.append(f'<text x="0" y="{lane * _ROW + 15}">job {lane + 1}</text>')
    for item, lane in zip(compiles, chosen):
        colour = COMPILE_COLOUR if item.source is not None else LINK_COLOUR
        name = item.source or item.output
        tip = f"{name}: {item.end - item.start:.2f} s"
        parts.append(_bar(_LEFT + item.start * scale, _LEFT + item.end * scale, lane * _ROW, colour, tip))
    return _svg(parts, height)


def _svg(parts: list[str], height: int) -> str:
    width = _LEFT + _WIDTH + 60
    return (
        f'<svg width="{width}" height="{height + 22}" '
        f'viewBox="0 0 {width} {height + 22}">' + "".join(parts) + "</svg>"
    )


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]) -> str:
    head = "".join(f'<th class="{"n" if n else ""}">{html.escape(h)}</th>' for h, n in zip(header, numeric))
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{"n" if n else ""}">{html.escape(c)}</td>' for c, n in zip(row, numeric))
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def render_page(recorder: Recorder, *, failed: bool = False) -> str:
    """The page: totals, a bar per step on one time axis, the compiles in their lanes, the slowest ones."""
    total = recorder.finished if recorder.finished is not None else recorder.now()
    steps = recorder.steps
    compiles = [item for step in steps for item in step.compiles]
    cpu = recorder.cpu_total
    parallel = f", {cpu / total:.1f} cores busy on average" if cpu is not None and total > 0 else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Build timings: {html.escape(recorder.title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Build timings: {html.escape(recorder.title)}</h1>",
        f'<p class="totals">Wall time {_seconds(total)}; CPU time {_seconds(cpu)} '
        f"(this process and every program it ran){parallel}.</p>",
    ]
    if failed:
        parts.append('<p class="failed">The build failed; the steps up to the failure are shown.</p>')
    parts += ["<h2>Steps</h2>", _steps_svg(steps, total)]
    parts.append(
        _table(
            ["Step", "Start", "Wall", "CPU"],
            [
                (item.name, f"{item.start:.2f} s", f"{item.end - item.start:.2f} s", _seconds(item.cpu))
                for item in steps
            ],
            [False, True, True, True],
        )
    )
    if compiles:
        jobs = max(lanes(compiles)) + 1
        parts += [
            f"<h2>Compiles ({len(compiles)} edges ninja ran, up to {jobs} at once)</h2>",
            _compiles_svg(compiles),
        ]
        units = sorted(
            (item for item in compiles if item.source is not None),
            key=lambda item: (-(item.end - item.start), item.source or ""),
        )[:_SLOWEST]
        if units:
            parts += [
                "<h2>Slowest translation units</h2>",
                _table(
                    ["Source", "Time"],
                    [(item.source or item.output, f"{item.end - item.start:.2f} s") for item in units],
                    [False, True],
                ),
            ]
    else:
        parts.append("<h2>Compiles</h2><p>Nothing was compiled: the build directory was up to date.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
