"""The evaluation report as one accessible HTML document (and, from it, a tagged PDF).

Every figure comes suppressed from ``figures``; this module only lays them
out. Each chart (matplotlib SVG with a title for screen readers) has its
data table beside it, and every string, participants' quotes above all,
is escaped as it goes into ``Markup`` (see toolkit.render).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from markupsafe import Markup

from toolkit.i18n import Translate, translator
from toolkit.languages import font_stack
from toolkit.lifecycle.report.figures import (
    COMPLETED,
    DID_NOT_START,
    HIGHER,
    LOWER,
    SAME,
    STARTED_ONLY,
    ItemFigures,
    ReportFigures,
)
from toolkit.lifecycle.report.signtest import format_p
from toolkit.live.charts import chart_html
from toolkit.live.suppression import Suppressed
from toolkit.schema.programme import EvaluationDesign, EvaluationKind

EMPTY = Markup("")

CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: FONTS; font-size: 11pt; line-height: 1.45; color: #111; max-width: 60rem; margin: 0 auto; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 1.6em; } h3 { font-size: 1.05em; }
h2, h3 { break-after: avoid; }
.pair { break-inside: avoid; margin-bottom: 1em; }
.pair figure, .pair table { display: inline-block; vertical-align: top; margin: 0 2em 0.5em 0; max-width: 100%; }
table { border-collapse: collapse; margin: 0.3em 0; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
th, td { border: 1px solid #888; padding: 0.2em 0.6em; text-align: left; }
td { text-align: right; }
.note { color: #333; font-size: 0.95em; }
@media screen { .pair svg { max-width: 100%; height: auto; } }
blockquote { margin: 0.4em 0 0.4em 1em; padding-left: 0.8em; border-left: 3px solid #35508a; }
"""


def _cell_names(_: Translate) -> dict[str, str]:
    return {
        COMPLETED: _("Completed"),
        STARTED_ONLY: _("Started, not completed"),
        DID_NOT_START: _("Did not start"),
        HIGHER: _("Higher after"),
        SAME: _("Same"),
        LOWER: _("Lower after"),
    }


def _translated(table: Suppressed, _: Translate) -> Suppressed:
    """The same table with its cell names in the report's language."""
    names = _cell_names(_)
    cells = {names.get(key, key): value for key, value in table.cells.items()}
    return replace(table, cells=cells, primary=frozenset(names.get(key, key) for key in table.primary))


def data_table(table: Suppressed, caption: str, header: str, total_label: str, _: Translate) -> Markup:
    fewer, hidden = _("fewer than {k}"), _("hidden")
    rows = EMPTY.join(
        Markup("<tr><th scope='row'>{}</th><td>{}</td></tr>").format(key, table.label(key, fewer, hidden))
        for key in table.cells
    )
    total = fewer.format(k=table.k) if table.too_few else (hidden if table.total is None else str(table.total))
    return Markup(
        "<table><caption>{caption}</caption>"
        "<thead><tr><th scope='col'>{header}</th><th scope='col'>{people}</th></tr></thead>"
        "<tbody>{rows}</tbody><tfoot><tr><th scope='row'>{total_label}</th>"
        "<td>{total}</td></tr></tfoot></table>"
    ).format(caption=caption, header=header, people=_("People"), rows=rows, total_label=total_label, total=total)


def figure(table: Suppressed, title: str, header: str, total_label: str, _: Translate) -> Markup:
    """A chart and its data table side by side."""
    shown = _translated(table, _)
    # In print the chart keeps its size in points (WeasyPrint sizes an inline SVG with "height:auto" to the
    # page); on screens the stylesheet lets it shrink to narrow windows.
    chart = chart_html(shown, title, _).replace('style="max-width:100%;height:auto" ', "", 1)
    return Markup("<div class='pair'><figure>{}</figure>{}</div>").format(
        chart, data_table(shown, title, header, total_label, _)
    )


def _participation(figures: ReportFigures, _: Translate) -> Markup:
    parts = [Markup("<h2>{}</h2>").format(_("Participation"))]
    for row in figures.participation:
        title = _("Session {number}, {date}: {title}").format(number=row.session, date=row.date, title=row.title)
        parts.append(Markup("<h3>{}</h3>").format(title))
        parts.append(figure(row.table, title, _("Took part"), _("Everyone in the cohort"), _))
    return EMPTY.join(parts)


def _scale_caption(figures: ItemFigures) -> str:
    item = figures.item
    return f"1 = {item.scale_min_label}; {item.scale_points} = {item.scale_max_label}"


def _item(figures: ItemFigures, k: int, _: Translate) -> Markup:
    item = figures.item
    parts = [Markup("<h3>{}</h3>").format(item.text)]
    if figures.people is None:
        message = _("Fewer than {k} people shared answers to this question, so no figures are shown.")
        parts.append(Markup("<p class='note'>{}</p>").format(message.format(k=k)))
        return EMPTY.join(parts)
    parts.append(Markup("<p class='note'>{}</p>").format(_scale_caption(figures)))
    point = _("Point on the scale")
    counted = _("People counted")
    if figures.single is not None:
        parts.append(figure(figures.single, item.text, point, counted, _))
        return EMPTY.join(parts)
    if item.module is not None:
        before_title, after_title = _("Before the module (recalled at its end)"), _("At the end of the module")
    elif item.design is EvaluationDesign.RETROSPECTIVE:
        before_title, after_title = _("Before the programme (recalled at the end)"), _("At the end")
    else:
        before_title, after_title = _("At the start"), _("At the end")
    assert figures.before is not None and figures.after is not None
    parts.append(figure(figures.before, before_title, point, counted, _))
    parts.append(figure(figures.after, after_title, point, counted, _))
    if figures.change is None or figures.p_value is None:
        message = _("The change is not shown: some figures are hidden, and the change could reveal them.")
        parts.append(Markup("<p class='note'>{}</p>").format(message))
    else:
        parts.append(figure(figures.change, _("Change from before to the end"), _("Change"), counted, _))
        test = _("Sign test (two-sided, exact) over the people whose rating changed: {p}.")
        parts.append(Markup("<p>{}</p>").format(test.format(p=format_p(figures.p_value))))
    return EMPTY.join(parts)


def _items(figures: ReportFigures, _: Translate) -> Markup:
    k = figures.cohort.k
    outcomes = [f for f in figures.items if f.item.kind is EvaluationKind.OUTCOME]
    at_end = [f for f in outcomes if f.item.module is None and f.item.design is not EvaluationDesign.FOLLOW_UP]
    titles = {row.module: row.title for row in figures.participation}
    sections = [(_("Programme objectives, at the end"), at_end)]
    for slug, title in titles.items():
        heading = _("Module objectives: {title} (the workbook's self-ratings)").format(title=title)
        sections.append((heading, [f for f in outcomes if f.item.module == slug]))
    sections += [
        (_("How the sessions worked"), [f for f in figures.items if f.item.kind is EvaluationKind.PROCESS]),
        (_("Safety"), [f for f in figures.items if f.item.kind is EvaluationKind.SAFETY]),
        (_("Follow-up"), [f for f in outcomes if f.item.design is EvaluationDesign.FOLLOW_UP]),
    ]
    parts: list[Markup] = []
    for heading, items in sections:
        if not items:
            continue
        parts.append(Markup("<h2>{}</h2>").format(heading))
        objective = None
        for item in items:
            if item.objective and item.objective != objective:
                objective = item.objective
                label = _("Objective: {objective}").format(objective=objective)
                parts.append(Markup("<p><strong>{}</strong></p>").format(label))
            parts.append(_item(item, k, _))
    return EMPTY.join(parts)


def _quotes(figures: ReportFigures, _: Translate) -> Markup:
    if not figures.quotes:
        return EMPTY
    parts = [
        Markup("<h2>{}</h2>").format(_("In their words")),
        Markup("<p class='note'>{}</p>").format(_("Only answers their writers chose to share as anonymous quotes.")),
    ]
    for group in figures.quotes:
        parts.append(Markup("<h3>{}</h3>").format(group.prompt))
        parts.extend(Markup("<blockquote><p>{}</p></blockquote>").format(quote) for quote in group.quotes)
    return EMPTY.join(parts)


def report_html(figures: ReportFigures, made: dt.date) -> Markup:
    """The whole report as one HTML document in the cohort's language."""
    cohort = figures.cohort
    _ = translator(cohort.language)
    title = _("{name}: evaluation report").format(name=cohort.name)
    k = cohort.k
    how = _(
        "Figures from fewer than {k} people are shown as 'fewer than {k}', and figures that would let "
        "someone work them out as 'hidden'. Only answers participants chose to share are counted."
    ).format(k=k)
    body = [
        Markup("<h1>{}</h1>").format(title),
        Markup("<p>{}</p>").format(_("Made on {date}").format(date=made.isoformat())),
    ]
    if figures.too_few:
        message = _(
            "Fewer than {k} people took part, so this report shows no figures and no quotes: "
            "any of them could identify someone."
        )
        body.append(Markup("<p><strong>{}</strong></p>").format(message.format(k=k)))
    else:
        body.append(Markup("<p>{}</p>").format(_("People who took part: {count}").format(count=figures.people)))
        body.append(Markup("<p class='note'>{}</p>").format(how))
        body.extend([_participation(figures, _), _items(figures, _), _quotes(figures, _)])
    # The stylesheet is ours and its font names keep their quotes: CSS is not HTML-escaped.
    css = Markup(CSS.replace("FONTS", font_stack(cohort.language)))
    return Markup(
        "<!DOCTYPE html><html lang='{}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>{}</title><style>{}</style></head>"
        "<body><main>{}</main></body></html>"
    ).format(cohort.language, title, css, EMPTY.join(body))
