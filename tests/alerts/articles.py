"""Hand-written articles (not seeds) for the story, summary and compose tests.

One invented event, told by several outlets: Germany lets Ukraine use its long-range
missiles against military targets inside Russia. Names come from the shipped lexicons.
"""

from __future__ import annotations

# Outlet A's report of the event.
WIRE = """\
BERLIN (Wire) — Germany will let Ukraine use German-supplied long-range missiles against \
military targets inside Russia, Chancellor Olaf Scholz said on Tuesday, reversing a policy \
he had defended for months.

"We have decided that Ukraine may use the weapons we supply to strike the bases from which \
Russia attacks its cities," Scholz told reporters in Berlin after a meeting with Volodymyr \
Zelensky.

The decision covers targets up to 300 kilometres from the border, according to two officials \
familiar with the matter. A first delivery of 48 missiles is due next month.

Defence Minister Boris Pistorius said the change had been agreed with Washington and Paris.

The Kremlin said the move would be treated as direct involvement in the war. Dmitry Peskov \
called it "a dangerous and deliberate escalation by Berlin."

Zelensky thanked Scholz and said Kyiv would use the missiles only against military targets.
"""

# The same wire copy as another outlet runs it: new headline, one paragraph rewritten.
SYNDICATED = WIRE.replace(
    "Defence Minister Boris Pistorius said the change had been agreed with Washington and Paris.",
    "Pistorius, the defence minister, told public broadcaster ZDF that allies in Washington "
    "and Paris had been consulted in advance and backed the step.",
)

# Outlet B writes its own story of the same event and quotes the same words.
OWN_WORDS = """\
Chancellor Olaf Scholz has dropped Germany's ban on Ukrainian strikes inside Russia with \
German weapons. Speaking in Berlin on Tuesday, he said: "Ukraine may use the weapons we supply \
to strike the bases from which Russia attacks its cities."

The shift follows months of pressure from Kyiv and from allies. Zelensky welcomed the news \
during his visit to the German capital.

Moscow reacted angrily, with the Kremlin warning of consequences.
"""

# Outlet C a week later: same topic, same people, a different event.
WEEK_LATER = """\
Ukraine has carried out its first strike on a Russian air base with German long-range missiles, \
officials in Kyiv said on Wednesday, a week after Chancellor Olaf Scholz lifted the ban.

"We have decided that Ukraine may use the weapons we supply to strike the bases from which \
Russia attacks its cities," Scholz had told reporters in Berlin last week.

The Kremlin said it would respond. Zelensky said the strike hit targets 300 kilometres inside \
Russia and that 48 missiles had arrived.
"""

# Outlet D, the same day: same topic, but an unrelated event recalling Scholz's words.
RECALLED = """\
German opposition leader Friedrich Merz on Tuesday demanded a vote in the Bundestag on arms \
for Ukraine, saying the government had failed to consult parliament.

Scholz said last month that "Ukraine may use the weapons we supply to strike the bases from \
which Russia attacks its cities."

Merz said his party would table a motion this week. Zelensky did not comment.
"""

# Outlet E, the same day: reports the event in its own words with the same figures, no quote.
SAME_FIGURES = """\
Ukraine can now hit military targets up to 300 kilometres inside Russia with German missiles \
after Chancellor Olaf Scholz ended the restriction on Tuesday in Berlin. Germany will deliver \
48 missiles next month, officials said.

Zelensky, who was in Berlin for talks, praised the decision. The Kremlin condemned it.
"""

# Outlet F, the same day: the same people and places, a different event with other numbers.
SAME_PEOPLE = """\
Chancellor Olaf Scholz and Volodymyr Zelensky met in Berlin on Tuesday to discuss winter \
energy aid for Kyiv. Germany pledged 120 generators and 15 mobile heating units, officials \
said. The Kremlin did not comment.
"""
