"""A module's print kit as one PDF: cards to cut, posters for the wall, the fact sheet, the wheel.

Layout, in print order:

- a cover with the contents and the page each part starts on, so a
  coordinator can print only the pages needed;
- card sheets: several cards to a page of the cohort's paper, each card
  framed by a dashed cut line with cut marks at its corners; a card's
  ``back`` prints under a rule on the card itself, so no duplex alignment
  is needed;
- posters, one to a page in large type (``page-break`` on both sides), with
  write-in columns for gallery posters and a "checked on" line for dated ones;
- the fact sheet, one box per claim ending with its "checked on" line; its
  claims also print as claim cards;
- the identity wheel, one page: the sheet stays with its owner.

Every string from the curriculum or the cohort is escaped here: the HTML is
built as ``markupsafe.Markup``, which escapes each plain string put into it.
The CSS is built from fixed values and the cohort's paper size and font stack
only, so it goes into the ``<style>`` element as it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from toolkit import __version__
from toolkit.handouts.pdf import html_to_pdf
from toolkit.i18n import Translate, translator
from toolkit.languages import font_stack
from toolkit.schema.cohort import Cohort
from toolkit.schema.kit import Card, CardKind, CardSet, FactSheet, IdentityWheel, Kit, Poster, PosterSet
from toolkit.schema.module import Module

# Cards whose text is wider than this (see _width) print four to a sheet, not six.
LONG_CARD = 420

_EMPTY = Markup("")

CSS = """
@page {{ size: {paper}; margin: 12mm;
  @bottom-right {{ content: counter(page) " / " counter(pages); font-family: {fonts}; font-size: 8pt; }}
  @bottom-left {{ content: string(kit-title); font-family: {fonts}; font-size: 8pt; }} }}
/* Posters go on the wall and wheel sheets go home with participants: no kit title on them. */
@page bare {{ @bottom-left {{ content: none; }} }}
.poster, .wheel-part {{ page: bare; }}
body {{ font-family: {fonts}; font-size: 11pt; line-height: 1.4; color: #111; margin: 0; }}
.kit-title {{ string-set: kit-title content(); }}
h1 {{ font-size: 20pt; margin: 0 0 6mm; }}
h2 {{ font-size: 14pt; margin: 0 0 2mm; }}
.part {{ break-before: page; }}
.note {{ font-size: 9.5pt; margin: 0 0 3mm; }}
.contents a {{ color: #111; text-decoration: none; }}
.contents a::after {{ content: leader('.') target-counter(attr(href), page); }}
.sheet {{ break-before: page; }}
.card {{ display: inline-block; box-sizing: border-box; vertical-align: top; position: relative;
  width: 88mm; min-height: 68mm; margin: 2.5mm 2mm; padding: 5mm; border: 0.6pt dashed #555;
  break-inside: avoid; }}
.sheet.long .card {{ min-height: 100mm; font-size: 9.5pt; }}
.card .kind {{ font-size: 8pt; text-transform: uppercase; letter-spacing: 0.05em; color: #333; margin: 0; }}
.card .title {{ font-weight: bold; margin: 0 0 2mm; }}
.card .text {{ margin: 0; }}
.card .back {{ border-top: 0.6pt solid #555; margin-top: 3mm; padding-top: 2mm; font-size: 9.5pt; }}
.card .checked, .poster .checked, .claim .checked {{ font-size: 9pt; margin-top: 2mm; }}
.mark {{ position: absolute; width: 5mm; height: 5mm; }}
.mark::before {{ content: ""; position: absolute; left: 0; right: 0; top: 2.5mm; border-top: 0.5pt solid #000; }}
.mark::after {{ content: ""; position: absolute; top: 0; bottom: 0; left: 2.5mm; border-left: 0.5pt solid #000; }}
.tl {{ top: -2.5mm; left: -2.5mm; }} .tr {{ top: -2.5mm; right: -2.5mm; }}
.bl {{ bottom: -2.5mm; left: -2.5mm; }} .br {{ bottom: -2.5mm; right: -2.5mm; }}
.poster {{ break-before: page; break-after: page; }}
.poster h2 {{ font-size: 40pt; line-height: 1.15; margin: 0 0 8mm; }}
.poster.short .text {{ font-size: 28pt; }}
.poster.medium .text {{ font-size: 18pt; }}
.poster.long .text {{ font-size: 14pt; line-height: 1.35; }}
.poster .columns {{ display: table; width: 100%; table-layout: fixed; margin-top: 8mm; border-collapse: collapse; }}
.poster .column {{ display: table-cell; height: 130mm; border: 1pt solid #111; padding: 3mm;
  font-size: 16pt; font-weight: bold; vertical-align: top; }}
.poster .checked {{ font-size: 12pt; margin-top: 6mm; }}
.claim {{ border: 1pt solid #111; padding: 4mm; margin: 0 0 4mm; break-inside: avoid; }}
.claim h3 {{ font-size: 12pt; margin: 0 0 2mm; }}
.claim p {{ margin: 0 0 2mm; }}
.wheel svg {{ display: block; margin: 4mm auto; width: 150mm; height: 150mm; }}
.wheel ol {{ font-size: 10pt; columns: 2; }}
"""


def render_kit(kit: Kit, module: Module, cohort: Cohort) -> Markup:
    """The kit as a complete HTML document in the cohort's language and paper size."""
    _ = translator(cohort.language)
    title = _("Print kit: {number}. {title}").format(number=module.number, title=module.title)
    parts: list[_Part] = [
        _Part(f"cards-{card_set.id}", card_set.title, card_set.note, _card_sheets(card_set, _), headless=True)
        for card_set in kit.card_sets
    ]
    if kit.fact_sheet is not None:
        claims = _claim_cards(kit.fact_sheet, _)
        parts.append(_Part(f"claims-{kit.fact_sheet.id}", claims.title, "", _card_sheets(claims, _), headless=True))
    parts += [
        _Part(f"posters-{poster_set.id}", poster_set.title, poster_set.note, _posters(poster_set, _), headless=True)
        for poster_set in kit.poster_sets
    ]
    if kit.fact_sheet is not None:
        sheet = kit.fact_sheet
        parts.append(_Part(f"facts-{sheet.id}", sheet.title, sheet.note, _fact_sheet(sheet, _)))
    if kit.wheel is not None:
        parts.append(
            _Part(f"wheel-{kit.wheel.id}", kit.wheel.title, kit.wheel.note, _wheel(kit.wheel), css_class="wheel-part")
        )
    css = Markup(CSS.format(paper=cohort.paper.value, fonts=font_stack(cohort.language)))
    contents = _EMPTY.join(
        Markup('<li><a href="#{}">{}</a>{}</li>').format(
            part.anchor,
            part.heading,
            Markup('<br><span class="note">{}</span>').format(part.note) if part.note else "",
        )
        for part in parts
    )
    return Markup(
        '<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="generator" content="Bridges {version}">'
        "<title>{title}</title><style>{css}</style></head><body><main>"
        '<section class="cover"><p>{cohort}</p><h1 class="kit-title">{title}</h1>'
        "<p>{instructions}</p>"
        '<h2>{contents_label}</h2><ul class="contents">{contents}</ul></section>'
        "{body}</main></body></html>"
    ).format(
        language=cohort.language,
        version=__version__,
        title=title,
        css=css,
        cohort=cohort.name,
        instructions=_("For the facilitator: print the pages you need, cut the cards along the dashed lines."),
        contents_label=_("Contents"),
        contents=contents,
        body=_EMPTY.join(part.html() for part in parts),
    )


@dataclass(frozen=True)
class _Part:
    anchor: str
    heading: str
    note: str  # printing instructions: on the cover, and above the cards or the fact sheet
    body: Markup
    # Card sheets and posters fill whole pages and start on their own: their heading and
    # note are on the cover only (each card names its set; a wall poster carries only itself).
    headless: bool = False
    css_class: str = ""

    def html(self) -> Markup:
        if self.headless:
            return Markup('<section id="{}" aria-label="{}">{}</section>').format(self.anchor, self.heading, self.body)
        note = Markup('<p class="note">{}</p>').format(self.note) if self.note else _EMPTY
        return Markup(
            '<section class="part {css_class}" id="{anchor}" aria-labelledby="{anchor}-h">'
            '<h1 id="{anchor}-h">{heading}</h1>{note}{body}</section>'
        ).format(css_class=self.css_class, anchor=self.anchor, heading=self.heading, note=note, body=self.body)


def kit_pdf(kit: Kit, module: Module, cohort: Cohort) -> bytes:
    """The kit as a tagged PDF (run in a build worker)."""
    return html_to_pdf(render_kit(kit, module, cohort))


def _checked(date: object, _: Translate) -> Markup:
    return Markup('<p class="checked">{}</p>').format(_("Checked on {date}").format(date=date))


def _card_sheets(card_set: CardSet, _: Translate) -> Markup:
    long = max(_width(card.text) + _width(card.back) for card in card_set.cards) > LONG_CARD
    per_sheet = 4 if long else 6
    return _EMPTY.join(
        Markup('<div class="sheet{}">{}</div>').format(
            " long" if long else "", _EMPTY.join(_card(card, card_set.title, _) for card in chunk)
        )
        for chunk in _chunks(card_set.cards, per_sheet)
    )


def _card(card: Card, kind: str, _: Translate) -> Markup:
    marks = _EMPTY.join(
        Markup('<span class="mark {}" aria-hidden="true"></span>').format(corner) for corner in ("tl", "tr", "bl", "br")
    )
    title = Markup('<p class="title">{}</p>').format(card.title) if card.title else _EMPTY
    back = Markup('<div class="back">{}</div>').format(_paragraphs(card.back)) if card.back else _EMPTY
    checked = _checked(card.checked, _) if card.checked else _EMPTY
    return Markup('<div class="card">{}<p class="kind">{}</p>{}<div class="text">{}</div>{}{}</div>').format(
        marks, kind, title, _paragraphs(card.text), back, checked
    )


def _claim_cards(fact_sheet: FactSheet, _: Translate) -> CardSet:
    """The fact sheet's claims as the cards read aloud; the record stays on the fact sheet."""
    cards = [
        Card(id=claim.id, title=str(number), text=claim.claim) for number, claim in enumerate(fact_sheet.claims, 1)
    ]
    return CardSet(id=fact_sheet.id, kind=CardKind.CLAIM, title=_("Claim cards"), cards=cards)


def _posters(poster_set: PosterSet, _: Translate) -> Markup:
    return _EMPTY.join(_poster(poster, poster_set.columns, _) for poster in poster_set.posters)


def _poster(poster: Poster, columns: list[str], _: Translate) -> Markup:
    width = _width(poster.text)
    size = "short" if width <= 120 else "medium" if width <= 700 else "long"
    cells = _EMPTY.join(Markup('<div class="column">{}</div>').format(column) for column in columns)
    grid = Markup('<div class="columns">{}</div>').format(cells) if columns else _EMPTY
    checked = _checked(poster.checked, _) if poster.checked else _EMPTY
    return Markup('<article class="poster {}"><h2>{}</h2><div class="text">{}</div>{}{}</article>').format(
        size, poster.title, _paragraphs(poster.text), grid, checked
    )


def _fact_sheet(fact_sheet: FactSheet, _: Translate) -> Markup:
    return _EMPTY.join(
        Markup('<div class="claim"><h3>{}. {}</h3><p>{}</p><p><strong>{}:</strong> {}</p>{}</div>').format(
            number, claim.claim, claim.text, _("Source"), claim.source, _checked(claim.checked, _)
        )
        for number, claim in enumerate(fact_sheet.claims, 1)
    )


def _wheel(wheel: IdentityWheel) -> Markup:
    """A circle cut into one numbered segment per spoke; the labels are listed under it."""
    count = len(wheel.segments)
    centre, radius = 100.0, 95.0
    lines, numbers = [], []
    for index in range(count):
        angle = 2 * math.pi * index / count - math.pi / 2
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        lines.append(
            Markup('<line x1="{c}" y1="{c}" x2="{x:.2f}" y2="{y:.2f}" stroke="#111" stroke-width="0.6"/>').format(
                c=centre, x=x, y=y
            )
        )
        middle = angle + math.pi / count
        nx, ny = centre + 0.85 * radius * math.cos(middle), centre + 0.85 * radius * math.sin(middle)
        numbers.append(
            Markup(
                '<text x="{:.2f}" y="{:.2f}" font-size="7" text-anchor="middle" dominant-baseline="middle">{}</text>'
            ).format(nx, ny, index + 1)
        )
    svg = Markup(
        '<svg viewBox="0 0 200 200" role="img" aria-label="{title}">'
        '<circle cx="{c}" cy="{c}" r="{r}" fill="none" stroke="#111" stroke-width="0.8"/>{lines}'
        '<circle cx="{c}" cy="{c}" r="12" fill="#fff" stroke="#111" stroke-width="0.6"/>{numbers}</svg>'
    ).format(title=wheel.title, c=centre, r=radius, lines=_EMPTY.join(lines), numbers=_EMPTY.join(numbers))
    legend = _EMPTY.join(
        Markup("<li><strong>{}</strong>{}</li>").format(
            segment.label, Markup(" — {}").format(segment.hint) if segment.hint else ""
        )
        for segment in wheel.segments
    )
    return Markup('<div class="wheel">{}<ol>{}</ol></div>').format(svg, legend)


def _width(text: str) -> int:
    """Roughly how much line a text fills: CJK and Hangul characters are twice as wide as Latin ones."""
    return sum(2 if ord(char) >= 0x1100 and not 0x1E00 <= ord(char) < 0x2000 else 1 for char in text)


def _paragraphs(text: str) -> Markup:
    return _EMPTY.join(Markup("<p>{}</p>").format(part.strip()) for part in text.split("\n\n") if part.strip())


def _chunks(items: list[Card], size: int) -> Iterable[list[Card]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
