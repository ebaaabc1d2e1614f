"""Server-rendered SVG bar charts for the insights page: no client framework, and readable without
colour (every bar carries its value as text, and the chart has a title and a description for screen
readers). Horizontal bars, because code labels are long."""

from __future__ import annotations

from markupsafe import Markup, escape

from smartapp.insights.stats import Cell, Table

WIDTH, LABEL_W, ROW_H, TEXT_W = 760, 170, 22, 260
BAR_W = WIDTH - LABEL_W - TEXT_W


def _value(table: Table, row: list[Cell]) -> float | None:
    value = row[table.value_column]
    return float(value) if isinstance(value, int | float) else None


def _text(table: Table, row: list[Cell]) -> str:
    value = row[table.value_column]
    if not table.percent:
        return str(value) if table.detail_column is None else f"{value} · {row[table.detail_column]}"
    if table.detail_column is not None:   # a share of a total: "12 (75%)"
        share = f"{float(value) * 100:.0f}%" if isinstance(value, int | float) else "share not shown below 5"
        return f"{row[table.detail_column]} ({share})"
    if not isinstance(value, int | float):
        return "fewer than 5 decisions"
    decided, accepted = row[1], row[2]
    if accepted == "<5":   # the rate is shown (5+ decisions); the small count inside it is not spelled out
        return f"{float(value) * 100:.0f}% of {decided}"
    return f"{float(value) * 100:.0f}% ({accepted} of {decided})"


def bar_chart(table: Table) -> Markup:
    """The table as an SVG bar chart (an empty-state sentence when it has no rows)."""
    if not table.rows:
        return Markup('<p class="muted">Nothing to show for this period (yet).</p>')
    values = [_value(table, row) for row in table.rows]
    top = 1.0 if table.percent else max([v for v in values if v is not None] or [1.0]) or 1.0
    height = ROW_H * len(table.rows) + 8
    parts = [f'<svg class="chart" role="img" aria-labelledby="{table.id}-t {table.id}-d" width="{WIDTH}" '
             f'height="{height}" viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg" '
             f'data-chart="{table.id}">',
             f'<title id="{table.id}-t">{escape(table.title)}</title>',
             f'<desc id="{table.id}-d">{len(table.rows)} bars; each label is followed by its value.</desc>']
    for i, (row, value) in enumerate(zip(table.rows, values, strict=True)):
        y = 4 + i * ROW_H
        label = escape(str(row[table.label_column]))
        text = escape(_text(table, row))
        width = 0 if value is None else max(1, round(BAR_W * value / top))
        parts.append(f'<g><title>{label}: {text}</title>'
                     f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end" class="label">{label}</text>'
                     f'<rect x="{LABEL_W}" y="{y + 3}" width="{width}" height="{ROW_H - 8}" class="bar"/>'
                     f'<text x="{LABEL_W + width + 6}" y="{y + 15}" class="value">{text}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))   # noqa: S704 - every interpolated string above is escaped


def csv_rows(table: Table) -> list[list[str]]:
    return [table.columns, *[["" if cell is None else str(cell) for cell in row] for row in table.rows]]
