"""Charts for the dashboard: matplotlib bar charts as inline SVG, with the figures as a table beside.

Suppressed cells are drawn as empty bars labelled "fewer than k" or
"hidden", never as a height that would reveal the count.
"""

from __future__ import annotations

import io
from html import escape

from toolkit.i18n import Translate
from toolkit.live.suppression import Suppressed


def _labels(table: Suppressed, _: Translate) -> dict[str, str]:
    fewer = _("fewer than {k}")
    hidden = _("hidden")
    return {key: table.label(key, fewer, hidden) for key in table.cells}


def bar_chart_svg(table: Suppressed, title: str, _: Translate) -> str:
    """A horizontal bar chart of the shown counts; the SVG carries a title for screen readers."""
    import matplotlib

    matplotlib.use("svg")  # no display, no GUI toolkit: the kernel only makes SVG
    from matplotlib.figure import Figure

    keys = list(table.cells)
    values = [table.cells[key] or 0 for key in keys]
    labels = _labels(table, _)
    figure = Figure(figsize=(5.2, 0.45 * len(keys) + 0.8))
    axes = figure.subplots()
    axes.barh(range(len(keys)), values, color="#35508a")
    axes.set_yticks(range(len(keys)), [key[:40] for key in keys])
    axes.invert_yaxis()
    for index, key in enumerate(keys):
        axes.annotate(labels[key], (values[index], index), xytext=(4, 0), textcoords="offset points", va="center")
    axes.set_xlim(0, max([*values, 1]) * 1.3)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.StringIO()
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
