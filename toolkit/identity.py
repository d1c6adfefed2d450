"""Participant codes: the only name a participant has in the event log.

A code is three friendly words, five digits and a check letter, e.g.
``river-lotus-meadow-48213-k``: easy to write on a card, read aloud and type
back, and it says nothing about the person. The words are plain nature and
household nouns, checked for identity, body, sexual, drug and ethnic meanings
(including community slang and slurs that look innocent), and with no
homophones to mishear. Edit the lists with the same care: a code is read out
in a room of participants.

Why this shape: a code is the only key to a person's private answers, so it
must not be guessable (40.1 bits, counted exactly in tests/test_identity.py;
the server also limits failed tries), and a typo must be caught before the store is asked
(the check letter), so a slip of the finger never opens someone else's
answers or an empty "account".

Earlier versions issued two words and four digits (``river-lotus-4821``,
about 29 bits). The event model still accepts them, so existing stores stay
readable, but they are no longer valid for resuming: they were guessable,
and the form's own example was one of them.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from pydantic import TypeAdapter

from toolkit.events.model import ParticipantCode

_PLACES = """
river meadow valley canyon harbor island forest prairie glacier summit ridge brook delta dune grove hill lagoon
marsh mesa oasis pond lake ocean shore coast cliff cove bay reef wave spring stream field garden orchard pasture
rapids cascade cavern boulder pebble sand clay cloud breeze drizzle sunrise sunset dusk evening noon autumn
winter summer horizon galaxy comet planet star nebula orbit sky sunbeam canopy glade inlet atoll cape crest
terrace trail path bridge dock beacon haven hollow ledge tundra savanna thicket ripple spray foam surf fountain
well basin mountain frost haze fog gust monsoon equinox solstice meteor daybreak sunlight starlight daylight
tidepool kelp sandbar gorge ravine gully pool upland highland lowland seaside riverside hillside lakeside
village market plaza courtyard farm barn mill cabin lodge tower castle palace library museum station lane avenue
street corner canal marina jetty wharf foothill waterfall wellspring midday sundown nightfall zenith eclipse
quasar pulsar asteroid stardust sunshine granite marble slate quartz basalt shale flint gravel cobble garnet
topaz onyx cobalt copper silver bronze nickel zinc rainfall thunder cosmos arctic tropic equator meridian
latitude skyline downpour raindrop icicle afterglow twilight daydream seafoam riverbed lighthouse boathouse
seawall breakwater vineyard farmland arch grotto cave nest hive port outpost lookout overlook crossing junction
clearing boardwalk greenhouse paddock ranch homestead windmill bakery studio gallery theater workshop aquarium
balcony veranda porch stairway pewter iron brass chrome titanium mercury carbon diamond obsidian limestone
sandstone pumice mica agate satellite skylight firefly sunray
"""

_THINGS = """
lotus maple tulip clover thistle fern moss sage mint cedar pine oak birch elm willow aspen alder spruce cypress
juniper acacia sequoia redwood baobab banyan poplar sycamore linden ginkgo teak acorn pinecone seedling sapling
sprout blossom petal leaf branch twig vine daffodil peony lilac marigold sunflower dandelion bluebell zinnia
dahlia aster azalea hibiscus begonia petunia gardenia freesia wisteria hyacinth crocus chamomile lemongrass
parsley cilantro fennel dill oregano saffron cinnamon clove pepper coffee apple lemon lime mango grape orange
apricot papaya guava lychee persimmon quince citrus cranberry blueberry raspberry squash radish turnip tomato
celery lettuce spinach lentil barley wheat millet oat sesame kettle teapot candle lantern compass anchor kite
ladder bucket blanket quilt button ribbon thimble thread spindle loom pencil crayon easel canvas chalk ink paper
notebook journal map globe atlas clock mirror window door gate fence bench chair table shelf drawer cabinet
cupboard teacup saucer bowl jar vase ladle whisk oven stove hearth chimney lamp drum violin cello harp piano
banjo guitar whistle bicycle wagon canoe kayak raft sailboat tram train rocket balloon parasol umbrella hammer
chisel trowel rake shovel wrench pulley lever magnet prism lens puzzle domino origami postcard envelope stamp
parcel ticket badge locket pocket wallet satchel backpack suitcase hammock sundial telescope beaker pinwheel
saucepan skillet colander napkin bookmark marker sketchbook paintbrush pottery mosaic tapestry yarn harmonica
accordion trumpet clarinet oboe tuba ukulele windchime birdhouse mailbox doorbell keychain notepad cushion
lampshade curtain jigsaw chessboard skateboard scooter sled
"""

# Separate words, so a list reads as a list: ruff would rather have 480 quoted strings.
PLACE_WORDS: tuple[str, ...] = tuple(_PLACES.split())
THING_WORDS: tuple[str, ...] = tuple(_THINGS.split())

# Position by position: which list each word is drawn from (the lists are disjoint).
WORD_LISTS: tuple[tuple[str, ...], ...] = (PLACE_WORDS, THING_WORDS, PLACE_WORDS)
DIGITS = 5

# The check letter: a weighted sum of the code's characters modulo a prime.
# Letters are 1-26, the hyphen 27 and digits 0-9 (a letter and a digit never
# stand at the same place of a well-formed code, so their values may overlap).
# Every two values of one class differ by less than 29 and weights are powers
# of 2 (never 0 or 1 modulo 29), so any single substituted character and any
# two swapped neighbours change the sum. Weights count from the end and no
# letter is worth 0, so a first letter lost (typed as a space, then stripped)
# changes it too. See tests/test_identity.py.
CHECK_MODULUS = 29
_WEIGHT = 2
_HYPHEN_VALUE = 27
_LETTERS = "abcdefghijklmnopqrstuvwxyz"

# Shown in the form as an example: well formed, but its check letter is wrong
# (the right one is not "x"), so nobody can resume it and nobody shares it.
EXAMPLE_CODE = "river-lotus-meadow-48213-x"

_SHAPE = re.compile(rf"^[a-z]+-[a-z]+-[a-z]+-\d{{{DIGITS}}}-[a-z]$")

# Whitespace, underscores and every dash a keyboard, phone or IME may produce:
# smart punctuation turns "--" into a dash, Japanese IMEs type "ー" for "-".
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015\u2212\u30fc]+")
# "48213k" typed without a separator before the check letter.
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z]$)")
_CODE = TypeAdapter(ParticipantCode)


def _value(char: str) -> int:
    if char == "-":
        return _HYPHEN_VALUE
    if char.isdigit():
        return int(char)
    return ord(char) - ord("a") + 1


def check_value(body: str) -> int:
    """The weighted sum of ``body`` (a code without its check letter) modulo ``CHECK_MODULUS``."""
    total, weight = 0, 1
    for char in reversed(body):
        total = (total + _value(char) * weight) % CHECK_MODULUS
        weight = weight * _WEIGHT % CHECK_MODULUS
    return total


def new_code() -> str:
    """A fresh random code such as ``river-lotus-meadow-48213-k``; check it is unused in the cohort."""
    while True:
        words = "-".join(secrets.choice(words) for words in WORD_LISTS)
        body = f"{words}-{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
        check = check_value(body)
        # 26 of the 29 sums have a letter; redrawing the rest keeps codes uniform
        # over the valid ones (about 0.16 bits fewer, counted in ``code_bits``).
        if check < len(_LETTERS):
            return f"{body}-{_LETTERS[check]}"


def normalise_code(text: str) -> str:
    """A code as typed (``" River Lotus Meadow 48213 K "``, full-width characters...) in canonical form."""
    # NFKC turns full-width letters and digits from CJK keyboards into ASCII.
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = _SEPARATORS.sub("-", text).strip("-")
    return _DIGIT_LETTER.sub("-", text)


def is_valid_code(text: str) -> bool:
    """Whether ``text`` is a canonical code of the current shape with the right check letter.

    No store is asked: this catches typos before any lookup. Normalise typed input first.
    """
    # The pattern's \d also matches non-ASCII digits; codes are ASCII only.
    if not text.isascii() or not _SHAPE.match(text):
        return False
    body, check = text[:-2], text[-1]
    if _LETTERS.index(check) != check_value(body):
        return False
    _CODE.validate_python(text)  # a code this module accepts must be storable; a mismatch is a bug
    return True
