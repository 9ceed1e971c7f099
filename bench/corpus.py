"""A deterministic corpus of realistic articles for the benchmarks.

Relevant articles (about a tenth) carry several sentences taken from the seed articles in
`seeds/`, reshuffled and mixed with neutral filler; the rest are neutral filler only:
weather, sport, markets, local politics, culture, science and travel, with quotes and
distances here and there so the text analysis has the same kinds of work to do as on real
news. The seed text is read at run time, never copied here.

    from bench.corpus import make_corpus
    articles = make_corpus(10_000)            # the same articles on every run
    articles[0].title, articles[0].text, articles[0].relevant
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from bot.text.clean import split_seed_file
from bot.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DEFAULT_SEED = 20240711
RELEVANT_SHARE = 0.10
_T0 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)

SOURCES = (
    "reuters",
    "apnews",
    "bbc",
    "guardian",
    "dw",
    "aljazeera",
    "npr",
    "kyivindependent",
    "politico",
    "localherald",
)

# --- filler vocabulary ------------------------------------------------------------------------

_CITIES = (
    "Lisbon Porto Valencia Lyon Toulouse Bremen Leipzig Graz Ghent Utrecht Aarhus Bergen "
    "Tampere Gdansk Brno Cluj Plovdiv Split Bari Palermo Seville Bilbao Nantes Dijon Cork "
    "Galway Leeds Bristol Glasgow Cardiff Denver Austin Tucson Omaha Boise Halifax Calgary "
    "Adelaide Perth Dunedin Osaka Busan Pune Recife Valparaiso Mendoza"
).split()
_FIRST = (
    "Anna Marco Sofia Lukas Elena Tomas Ines Pieter Maja Jonas Clara Mateo Lea Emil Nora "
    "Oskar Alma Hugo Iris Felix Rosa Arne Vera Dario Lina Samuel Greta Ruben Mila Teo"
).split()
_LAST = (
    "Alvarez Brandt Costa Dufour Eriksen Fischer Garcia Hansen Ivanova Jansen Keller Lopes "
    "Moretti Nilsson Olsen Perez Quinn Romano Schmidt Torres Ulrich Varga Weber Xavier "
    "Young Zimmer Novak Horvat Lindqvist Okafor"
).split()
_ROLES = (
    "a local councillor",
    "the club's head coach",
    "a market analyst",
    "the festival director",
    "a meteorologist",
    "a spokesperson for the port authority",
    "a senior economist",
    "the museum's curator",
    "a union representative",
    "the school's principal",
    "a researcher at the university",
    "the mayor's deputy",
)
_TEAMS = (
    "Rovers United Athletic Wanderers Rangers Harriers Falcons Mariners Lions Comets "
    "Pioneers Rockets Titans Vikings Hornets"
).split()
_COMPANIES = (
    "Norbel",
    "Fintra",
    "Kasmo",
    "Veltrix",
    "Ardent Logistics",
    "Solvane",
    "Brightwater",
    "Corvid Systems",
    "Halden Foods",
    "Meridian Rail",
    "Quarto Pharma",
    "Tessel Energy",
    "Orvana Mining",
    "Lumora Retail",
)
_GOODS = (
    "wheat",
    "copper",
    "coffee",
    "cocoa",
    "natural gas",
    "aluminium",
    "soybeans",
    "crude oil",
    "sugar",
    "lithium",
    "timber",
    "rice",
)
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_WEATHER = (
    "heavy rain",
    "thick fog",
    "strong winds",
    "a heatwave",
    "hail",
    "an early frost",
    "thunderstorms",
    "snow showers",
    "a cold snap",
    "drizzle",
)
_TOPICS = (
    "the new tram line",
    "the school budget",
    "parking fees",
    "the harbour redevelopment",
    "library opening hours",
    "a bike-sharing scheme",
    "the recycling contract",
    "rent controls",
    "the water treatment plant",
    "a pedestrian bridge",
    "the summer festival",
    "street lighting",
)
_CULTURE = (
    "an exhibition of early photography",
    "a jazz festival",
    "a restored silent film",
    "a retrospective of modernist furniture",
    "a new production of an old opera",
    "a book fair",
    "a street food market",
    "a chamber music series",
    "a sculpture park",
    "a season of puppet theatre",
)
_SCIENCE = (
    "a new species of beetle",
    "a faster battery chemistry",
    "the migration of eels",
    "coral bleaching",
    "a comet's tail",
    "soil bacteria",
    "sleep and memory",
    "a cheaper water filter",
    "ancient grain stores",
    "deep-sea vents",
)
_QUOTES = (
    "We are pleased with how the season has started",
    "It has been a difficult year for growers",
    "The numbers speak for themselves",
    "Nobody expected the crowds to be this large",
    "We will keep the doors open for as long as people come",
    "The forecast looks better for the weekend",
    "This is a good day for the city",
    "Prices should settle once the harvest is in",
    "We have a lot of work ahead of us",
    "The players gave everything tonight",
)

_TEMPLATES = (
    # weather
    "Forecasters expect {weather} across {city} on {weekday}, with temperatures around "
    "{temp} degrees.",
    "{weather_cap} disrupted trains around {city} for {small} hours, the operator said.",
    "The weather service issued a yellow warning for {weather} in the hills north of {city}.",
    "Rainfall in {month} was {pct} percent above the long-term average, the agency reported.",
    # sport
    "{city} {team} beat {city2} {team2} {score} on {weekday} night in front of {crowd} fans.",
    "{first} {last} scored twice as {city} {team} moved to {ordinal} place in the table.",
    "The marathon route runs {dist} km through the old town and along the river.",
    "The {team} manager said the squad would travel {dist} km to the away game by coach.",
    "Tickets for the cup final in {city} sold out within {small} hours.",
    # markets
    "Shares in {company} rose {pct} percent after the group raised its annual forecast.",
    "Prices of {goods} fell for a {ordinal} straight session as stocks built up in {city}.",
    "{company} said quarterly revenue climbed to {money} million euros.",
    "The central bank left its key rate at {rate} percent, in line with expectations.",
    "Analysts at {company} cut their outlook for {goods} demand next year.",
    "Freight rates between {city} and {city2} eased in {month}, brokers said.",
    # local politics
    "The council in {city} voted {votes} to approve {topic}.",
    "Residents packed the town hall on {weekday} to debate {topic}.",
    "Work on {topic} will begin in {month} and take about {small} months, officials said.",
    "The mayor of {city} promised a decision on {topic} before the summer recess.",
    # culture
    "{culture_cap} opens in {city} on {weekday} and runs until {month}.",
    "Organisers of {culture} in {city} expect more than {crowd} visitors.",
    "Critics praised {culture} that drew long queues in {city} over the weekend.",
    # science
    "Researchers in {city} published a study on {science} in a leading journal.",
    "The team behind the study of {science} said more data would come next year.",
    "A survey vessel mapped {dist} square kilometres of sea floor off the coast.",
    # travel
    "The airport in {city} handled {crowd} passengers in {month}, a record for the month.",
    "A new ferry cuts the crossing between {city} and {city2} to {small} hours.",
    "The scenic railway climbs {small} hundred metres over the {dist} km line.",
    # quotes
    '"{quote}," said {first} {last}, {role}.',
    '"{quote}," {first} {last} told reporters in {city} on {weekday}.',
    '{first} {last}, {role}, said: "{quote}."',
)
_HEADLINES = (
    "{city} braces for {weather}",
    "{city} {team} edge past {city2} {team2}",
    "{company} shares climb on upbeat forecast",
    "Council backs {topic}",
    "{culture_cap} comes to {city}",
    "Scientists shed light on {science}",
    "Record month for {city} airport",
    "{goods_cap} prices slide as stocks build",
)


def _fill(template: str, rng: random.Random) -> str:
    city, city2 = rng.sample(_CITIES, 2)
    team, team2 = rng.sample(_TEAMS, 2)
    weather = rng.choice(_WEATHER)
    culture = rng.choice(_CULTURE)
    goods = rng.choice(_GOODS)
    values = {
        "city": city,
        "city2": city2,
        "team": team,
        "team2": team2,
        "first": rng.choice(_FIRST),
        "last": rng.choice(_LAST),
        "role": rng.choice(_ROLES),
        "company": rng.choice(_COMPANIES),
        "goods": goods,
        "goods_cap": goods.capitalize(),
        "weather": weather,
        "weather_cap": weather[0].upper() + weather[1:],
        "weekday": rng.choice(_WEEKDAYS),
        "month": rng.choice(_MONTHS),
        "topic": rng.choice(_TOPICS),
        "culture": culture,
        "culture_cap": culture[0].upper() + culture[1:],
        "science": rng.choice(_SCIENCE),
        "quote": rng.choice(_QUOTES),
        "temp": rng.randint(-5, 38),
        "small": rng.randint(2, 9),
        "pct": rng.randint(2, 45),
        "score": f"{rng.randint(0, 5)}-{rng.randint(0, 4)}",
        "crowd": f"{rng.randint(2, 95) * 1000:,}",
        "ordinal": rng.choice(("second", "third", "fourth", "fifth", "sixth")),
        "dist": rng.choice((5, 12, 21, 42, 60, 85, 120, 300)),
        "money": rng.randint(40, 900),
        "rate": f"{rng.randint(1, 6)}.{rng.choice((0, 25, 5, 75))}",
        "votes": f"{rng.randint(12, 30)} to {rng.randint(2, 11)}",
    }
    return template.format(**values)


def filler_sentence(rng: random.Random) -> str:
    """One neutral news sentence from a template with random words."""
    return _fill(rng.choice(_TEMPLATES), rng)


def filler_headline(rng: random.Random) -> str:
    """A neutral headline."""
    return _fill(rng.choice(_HEADLINES), rng)


# --- seed sentences ---------------------------------------------------------------------------


@cache
def seed_sentences(seeds: Path = SEEDS) -> tuple[str, ...]:
    """Every sentence of every seed article (cleaned and split as the pipeline does)."""
    out: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        _title, body, _day = split_seed_file(path.read_text(encoding="utf-8"))
        out.extend(s.text for s in split_sentences(body) if len(s.text.split()) >= 4)
    if not out:
        raise FileNotFoundError(f"no seed articles in {seeds}")
    return tuple(out)


# --- articles ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusArticle:
    """One generated article: `ref` is unique in its corpus; `relevant` when it has seed text."""

    ref: str
    url: str
    source: str
    title: str
    text: str
    published: datetime
    relevant: bool


def make_article(
    rng: random.Random, index: int, *, relevant: bool, seeds: Path = SEEDS
) -> CorpusArticle:
    """One article of 16–36 sentences in paragraphs of 1–4; relevant ones carry 3–8 seed
    sentences, in shuffled order, among the filler."""
    n = rng.randint(16, 36)
    sentences = [filler_sentence(rng) for _ in range(n)]
    title = filler_headline(rng)
    if relevant:
        pool = seed_sentences(seeds)
        picked = rng.sample(pool, min(len(pool), rng.randint(3, 8)))
        # News puts its subject up front: the first seed sentence leads, the rest scatter.
        sentences[0] = picked[0]
        for sentence in picked[1:]:
            sentences.insert(rng.randint(1, len(sentences)), sentence)
        if rng.random() < 0.5:
            words = picked[0].split()
            head = " ".join(words[: min(len(words), rng.randint(6, 12))])
            title = head.strip("\"“”‘’'«»").rstrip(",.;:")
    paragraphs: list[str] = []
    i = 0
    while i < len(sentences):
        size = rng.randint(1, 4)
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    source = rng.choice(SOURCES)
    published = _T0 + timedelta(minutes=7 * index + rng.randint(0, 6))
    return CorpusArticle(
        ref=f"a{index:06d}",
        url=f"https://{source}.example/news/{index:06d}",
        source=source,
        title=title,
        text="\n\n".join(paragraphs),
        published=published,
        relevant=relevant,
    )


def make_corpus(
    n: int,
    *,
    seed: int = DEFAULT_SEED,
    relevant_share: float = RELEVANT_SHARE,
    seeds: Path = SEEDS,
) -> list[CorpusArticle]:
    """`n` articles, the same ones for the same arguments; `relevant_share` of them (rounded)
    carry seed sentences, spread at random through the corpus."""
    rng = random.Random(seed)
    relevant = set(rng.sample(range(n), round(n * relevant_share)))
    return [make_article(rng, i, relevant=i in relevant, seeds=seeds) for i in range(n)]
