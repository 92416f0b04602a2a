"""A fixed corpus of short works written for this project, for pinning the engine's
output while its speed is worked on (``test_same_output.py``).

Nothing here comes from the shared labelled texts: every sentence was written for
these tests, to touch each detector (archive names and new names, pairs written with
pronouns, euphemistic and explicit sex, violence, death, speech, a Chinese work).
"""

from __future__ import annotations

from ficarchive.suggest.lexicon import CharacterLexicon, build_lexicon

CHARACTERS = [
    {"name": "Anna Berg", "fandoms": ["Harbour Lights (TV)"]},
    {"name": "Tomas Lind", "fandoms": ["Harbour Lights (TV)"]},
    {"name": "Mira Holt", "fandoms": ["Harbour Lights (TV)"]},
    {"name": "Dr. Elias Crane", "fandoms": ["The Glass Archive"]},
    {"name": "Rose Tyler", "fandoms": ["Doctor Who"]},
    {"name": "Will Turner", "fandoms": ["Pirates of the Caribbean"]},
    {"name": "Jules de Fortemps", "fandoms": ["The Glass Archive"]},
]
RELATIONSHIPS = ["Anna Berg/Tomas Lind", "Anna Berg & Mira Holt"]


def lexicon() -> CharacterLexicon:
    """The corpus's archive lexicon."""
    return build_lexicon(CHARACTERS, RELATIONSHIPS)


_HARBOUR = """Anna Berg came down to the harbour on a Monday, when the ferries were late.
Tomas was already there, mending a net. He looked up when she called his name.

"You're early," Tomas said. She laughed and sat beside him on the wall.

Anna had loved him for three summers. She kissed him then, slowly, and he pulled her
closer; his hands were warm on her back. Later, in the narrow room above the chandlery,
she undressed him by lamplight and they made love until the gulls woke.

Mira Holt found them at noon. Mira was Anna's oldest friend, and she only rolled her
eyes. "Breakfast," Mira said, "is on the boat." Anna and Mira walked along the quay
together, arm in arm, talking about the storm that was coming from Bergen.

Rose waited at the end of the pier. Will you come back? Will you write? Tomas held Anna's
hand and promised he would. """

_GLASS = """Dr. Crane had not slept in three days. Elias stared at the glass cases and
counted the shards again. Jules de Fortemps watched him from the doorway.

"You will break something," Jules said. Elias did not answer. The guard drew a knife and
stabbed the thief twice; blood ran across the marble and the man died before the bells.
Elias knelt over the body. He closed the dead man's eyes.

Jules pulled Elias away, and held him while he shook. He pressed his mouth to Elias's
hair. They kissed in the dark of the east gallery, and Elias whispered his name.

In Paris, in April, they walked by the river. Crane laughed for the first time in weeks.
"""

_SCHOOL = """Nell and Petra were in the same class at school. Nell was fourteen, and Petra
liked her more than she could say. Petra's mother drove them home every Friday.

She wanted to hold Nell's hand. She never did. Petra wrote letters she never sent, and
Nell kept a diary about the girl she liked. Years later, at the reunion, Petra kissed her
cheek and Nell blushed. Nell and Petra danced until midnight.

Petra said, "I missed you." Nell said, "I know." Petra laughed. Nell laughed too.
"""

_VAMPIRE = """The vampire bit her neck, gently, and she sighed into the pillow. Vesna asked
him not to stop. Kasimir drank a little and then kissed the mark. He fucked her slowly,
and she came with his name on her lips; her cunt clenched around his cock.

Vesna woke at dusk. Kasimir was watching the window. "Again?" she asked, and he smiled.
Vesna and Kasimir left the castle before dawn. Kasimir carried her bag.
"""

_CHINESE = """他走进房间，她正坐在窗边看书。他轻轻地吻了她的额头。她笑了，握住他的手。

那天晚上他们聊了很久，关于过去，关于将来。她说她从来没有这么幸福过。"""

CORPUS: list[tuple[str, list[str], list[str]]] = [
    ("harbour", [_HARBOUR, _HARBOUR.replace("Monday", "Tuesday")], ["Harbour Lights (TV)"]),
    ("glass", [_GLASS], []),
    ("school", [_SCHOOL], []),
    ("vampire", [_VAMPIRE], []),
    ("chinese", [_CHINESE], []),
    ("html", [f"<p>{p}</p>" for p in _HARBOUR.split("\n\n")], []),
]
