"""Charts for the dashboard: matplotlib bar charts as inline SVG, with the figures as a table beside.

Suppressed cells are drawn as empty bars labelled "fewer than k" or
"hidden", never as a height that would reveal the count. A table with no
count to draw gets a sentence instead of empty axes. Answer labels are
wrapped, never cut, and the figure is as wide as its longest line.
"""

from __future__ import annotations

import io
import textwrap
import unicodedata
from html import escape

from toolkit.i18n import Translate
from toolkit.live.suppression import Suppressed

LABEL_COLUMNS = 28  # characters per line of an answer label (half as many wide CJK characters)
BARS_INCHES = 3.4  # room for the bars and the counts written at their ends
LINE_INCHES = 0.19  # one line of 10 pt label text


def _labels(table: Suppressed, _: Translate) -> dict[str, str]:
    fewer = _("fewer than {k}")
    hidden = _("hidden")
    return {key: table.label(key, fewer, hidden) for key in table.cells}


def wrap_label(label: str, columns: int = LABEL_COLUMNS) -> str:
    """The label in lines of at most ``columns`` (wide characters count twice), cut between words when it can."""
    wide = any(unicodedata.east_asian_width(char) in "WF" for char in label)
    lines = textwrap.wrap(label, columns // 2 if wide else columns, break_on_hyphens=False)
    return "\n".join(lines) or label


def has_bars(table: Suppressed) -> bool:
    """Whether any count is shown and above zero: otherwise a chart would be empty axes."""
    return any(table.cells.values())


def chart_html(table: Suppressed, title: str, _: Translate) -> str:
    """The bar chart, or a sentence saying why there is none (the data table beside says the rest)."""
    if has_bars(table):
        return bar_chart_svg(table, title, _)
    return f"<p class='bridges-no-chart'>{escape(_('Not enough shared answers yet to show a chart'))}</p>"


def bar_chart_svg(table: Suppressed, title: str, _: Translate) -> str:
    """A horizontal bar chart of the shown counts; the SVG carries a title for screen readers."""
    import matplotlib

    matplotlib.use("svg")  # no display, no GUI toolkit: the kernel only makes SVG
    from matplotlib.figure import Figure

    keys = list(table.cells)
    values = [table.cells[key] or 0 for key in keys]
    labels = _labels(table, _)
    wrapped = [wrap_label(key) for key in keys]
    rows = [max(0.45, LINE_INCHES * (text.count("\n") + 1) + 0.15) for text in wrapped]
    figure = Figure(figsize=(BARS_INCHES + 2, sum(rows) + 0.8))
    axes = figure.subplots()
    axes.barh(range(len(keys)), values, color="#35508a")
    axes.set_yticks(range(len(keys)), wrapped)
    axes.invert_yaxis()
    for index, key in enumerate(keys):
        axes.annotate(labels[key], (values[index], index), xytext=(4, 0), textcoords="offset points", va="center")
    axes.set_xlim(0, max([*values, 1]) * 1.3)
    axes.spines[["top", "right"]].set_visible(False)
    # Size the figure to its labels: tight_layout alone would squeeze the bars or cut long labels.
    figure.draw_without_rendering()
    label_inches = max(tick.get_window_extent().width for tick in axes.get_yticklabels()) / figure.dpi
    figure.set_size_inches(label_inches + BARS_INCHES + 0.4, sum(rows) + 0.8)
    figure.tight_layout()
    buffer = io.StringIO()
    # Text as text, not glyph outlines: the browser's fonts draw every script, and the words stay words.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prologue: it is embedded in HTML
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)


def data_table(table: Suppressed, caption: str, _: Translate) -> str:
    labels = _labels(table, _)
    rows = "".join(f"<tr><th scope='row'>{escape(key)}</th><td>{escape(labels[key])}</td></tr>" for key in table.cells)
    total = _("hidden") if table.total is None else str(table.total)
    return (
        f"<table class='bridges-data'><caption>{escape(caption)}</caption>"
        f"<thead><tr><th scope='col'>{escape(_('Answer'))}</th><th scope='col'>{escape(_('Count'))}</th></tr></thead>"
        f"<tbody>{rows}</tbody><tfoot><tr><th scope='row'>{escape(_('Shared responses'))}</th>"
        f"<td>{escape(total)}</td></tr></tfoot></table>"
    )
