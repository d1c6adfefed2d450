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

from markupsafe import Markup

from toolkit.i18n import Translate
from toolkit.live.suppression import Suppressed

LABEL_COLUMNS = 28  # characters per line of an answer label (half as many wide CJK characters)
BARS_INCHES = 3.4  # room for the bars and the counts written at their ends
FONT_POINTS = 10  # answer labels
LINE_POINTS = 12  # from one line of a label to the next


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


def chart_html(table: Suppressed, title: str, _: Translate) -> Markup:
    """The bar chart, or a sentence saying why there is none (the data table beside says the rest)."""
    if has_bars(table):
        return bar_chart_svg(table, title, _)
    return Markup("<p class='bridges-no-chart'>{}</p>").format(_("Not enough shared answers yet to show a chart"))


def _label_inches(line: str, measured: float) -> float:
    """A label line's width, at least a full em per wide character: matplotlib's own font has no CJK glyphs."""
    wide = sum(1 for char in line if unicodedata.east_asian_width(char) in "WF")
    return max(measured, (wide + 0.55 * (len(line) - wide)) * FONT_POINTS / 72)


def bar_chart_svg(table: Suppressed, title: str, _: Translate) -> Markup:
    """A horizontal bar chart of the shown counts; the SVG carries a title for screen readers."""
    import matplotlib

    matplotlib.use("svg")  # no display, no GUI toolkit: the kernel only makes SVG
    from matplotlib.figure import Figure

    keys = list(table.cells)
    values = [table.cells[key] or 0 for key in keys]
    labels = _labels(table, _)
    wrapped = [wrap_label(key).split("\n") for key in keys]
    row_inches = max(0.45, max(len(lines) for lines in wrapped) * LINE_POINTS / 72 + 0.15)
    figure = Figure()
    axes = figure.subplots()
    axes.barh(range(len(keys)), values, color="#35508a")
    axes.set_yticks(range(len(keys)), [""] * len(keys))
    axes.invert_yaxis()
    # One text per line, anchored at its right end: a multi-line matplotlib text loses its anchor in SVG,
    # and the browser's font (not matplotlib's) would then push the lines out of line or past the edge.
    texts = []
    for index, lines in enumerate(wrapped):
        middle = (len(lines) - 1) / 2
        for number, line in enumerate(lines):
            texts.append(
                axes.annotate(
                    line,
                    (0, index),
                    xycoords=axes.get_yaxis_transform(),
                    xytext=(-6, (middle - number) * LINE_POINTS),
                    textcoords="offset points",
                    ha="right",
                    va="center",
                    fontsize=FONT_POINTS,
                )
            )
    for index, key in enumerate(keys):
        axes.annotate(labels[key], (values[index], index), xytext=(4, 0), textcoords="offset points", va="center")
    axes.set_xlim(0, max([*values, 1]) * 1.3)
    axes.spines[["top", "right"]].set_visible(False)
    # Size the figure to its labels: a fixed width would squeeze the bars or cut long labels.
    figure.draw_without_rendering()
    label_inches = max(_label_inches(str(t.get_text()), t.get_window_extent().width / figure.dpi) for t in texts)
    left, bottom, top, right = label_inches + 0.2, 0.45, 0.15, 0.2
    width, height = left + BARS_INCHES + right, bottom + row_inches * len(keys) + top
    figure.set_size_inches(width, height)
    figure.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)
    buffer = io.StringIO()
    # Text as text, not glyph outlines: the browser's fonts draw every script, and the words stay words.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prologue: it is embedded in HTML
    # Scaled down, never cut, where the screen is narrower than the chart.
    attributes = Markup('<svg role="img" aria-label="{}" style="max-width:100%;height:auto" ').format(title)
    # matplotlib wrote the SVG and escaped the labels in it: it is markup as it stands.
    return Markup(svg.replace("<svg ", attributes, 1))


def data_table(table: Suppressed, caption: str, _: Translate) -> Markup:
    labels = _labels(table, _)
    rows = Markup("").join(
        Markup("<tr><th scope='row'>{}</th><td>{}</td></tr>").format(key, labels[key]) for key in table.cells
    )
    return Markup(
        "<table class='bridges-data'><caption>{}</caption>"
        "<thead><tr><th scope='col'>{}</th><th scope='col'>{}</th></tr></thead>"
        "<tbody>{}</tbody><tfoot><tr><th scope='row'>{}</th><td>{}</td></tr></tfoot></table>"
    ).format(
        caption,
        _("Answer"),
        _("Count"),
        rows,
        _("Shared responses"),
        _("hidden") if table.total is None else table.total,
    )
