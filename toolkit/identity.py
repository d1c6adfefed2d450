"""Participant codes: the only name a participant has in the event log.

A code is two friendly words and four digits, e.g. ``river-lotus-4821``:
easy to write on a card, read aloud and type back, and it says nothing about
the person. The words are plain nature and household nouns, checked for
identity, body, sexual, drug and ethnic meanings (including community slang
and slurs that look innocent), and with no homophones to mishear. Edit the
lists with the same care: a code is read out in a room of participants.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from pydantic import TypeAdapter, ValidationError

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

# Whitespace, underscores and every dash a keyboard, phone or IME may produce:
# smart punctuation turns "--" into a dash, Japanese IMEs type "ー" for "-".
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015\u2212\u30fc]+")
_CODE = TypeAdapter(ParticipantCode)


def new_code() -> str:
    """A fresh random code such as ``river-lotus-4821`` (about 29 bits: check it is unused in the cohort)."""
    first = secrets.choice(PLACE_WORDS)
    second = secrets.choice(THING_WORDS)
    return f"{first}-{second}-{secrets.randbelow(10_000):04d}"


def normalise_code(text: str) -> str:
    """A code as typed (``" River Lotus 4821 "``, full-width characters...) in canonical form."""
    # NFKC turns full-width letters and digits from CJK keyboards into ASCII.
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return _SEPARATORS.sub("-", text).strip("-")


def is_valid_code(text: str) -> bool:
    """Whether ``text`` is a canonical code, as an ``Event`` accepts; normalise typed input first."""
    # The pattern's \d also matches non-ASCII digits; codes are ASCII only.
    if not text.isascii():
        return False
    try:
        _CODE.validate_python(text)
    except ValidationError:
        return False
    return True
