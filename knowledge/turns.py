"""What a message is within a conversation: a question, a follow-up on the previous subject, and its subject.

Used by the guided forms (a question asked instead of an answer is answered, then the form resumes) and by
the answer decision (« et c'est payant ? » after an answer about a programme is about that programme).
"""

from __future__ import annotations

import re

from knowledge.answer_types import AnswerType, expected, holds
from knowledge.documents import sentences
from knowledge.people import asks_who, names_another, people, proper_names
from knowledge.schemas import DEMO_MARK
from knowledge.text import STOPWORDS, content_stems, fold, mentioned, says, stem, tokens

RECALL = "Comme je vous le disais :"  # opens the sentences of the last answer said again (sentences_naming)
OPENERS = (  # folded starts of a question, with or without a question mark
    "qu ", "que ", "quoi", "quel", "comment", "combien", "cmb ", "ou ", "quand", "pourquoi", "pk ", "pq ",
    "est ce", "c est quoi", "c est ou", "c est combien", "c est qui", "c est quand", "il faut", "faut il",
    "y a t il", "ya t il", "il y a", "peut on", "on peut", "je peux", "puis je", "est il", "est elle",
    "a quelle", "a quel", "en quelle", "en quoi", "par qui", "avec qui", "pour qui", "de quoi", "qui ", "c ou ",
    "c koi", "c quoi", "c qui", "cest quoi", "cest ou", "koi ", "kel",
)
SCOPES = ("audience", "region", "sector", "topic")  # what a follow-up may name to ask a new question of its own
LEADS = ("et ", "mais ", "du coup ", "alors ", "sinon ", "dont ")  # « et pour les lycéens ? », « dont combien … »
POINTERS = frozenset({"ca", "cela", "il", "ils", "elle", "elles", "y", "en", "leur", "lui", "celui", "celle",
                      "ceux", "celles", "dessus", "dedans", "labas",
                      "son", "sa", "ses", "leurs"})  # « Son groupe emploie combien de personnes ? »
THERE = re.compile(r"\bla bas\b")  # « pk la bas ?? c perdu »
# « c'est payant ? », « c'était quand ? », not « c'est quoi l'académie IBM ? »
THIS_IS = re.compile(r"^(?:(?:et|mais) )?c (?:est|etait|sera)(?: \w+){0,2}$")
FOLLOW_UP_WORDS = 8  # a follow-up is short: a longer message states its own subject
WHICH = frozenset({"quel", "quelle", "quels", "quelles", "kel", "kelle", "lequel", "laquelle", "lesquels",
                   "lesquelles"})
WHICH_WORDS = 3  # « Quels pays surtout ? », « Quel jour ? », « à quelle échéance ? », « pour définir quoi ? »
PREPOSITIONS = frozenset({"a", "au", "pour", "pr", "avec", "dans", "de", "du", "par", "en", "sur", "depuis", "jusqu"})
FILLER = frozenset({"connais", "connaissez", "parle", "parlez", "parler", "explique", "expliquez", "presente",
                    "presentez", "dit", "quoi", "comment", "combien", "quand", "pourquoi", "ya", "c", "cest",
                    "koi", "kel", "kelle", "stp", "svp", "question", "info", "infos", "information", "informations",
                    "cb", "cmb", "kan", "ki", "pk", "pq", "exactement", "precisement", "environ", "alors", "sinon",
                    "etait", "etaient", "sera", "seront", "aura", "avait", "va", "vont", "faut", "autre", "autres",
                    "pote", "potes", "copain", "copine",  # « un pote m'a parlé d'un campus »
                    # SMS « je cherche », « je suis », « j'ai entendu parler d'un » (« g entendu parler d'1 … »)
                    "jcherche", "jsui", "jsuis", "chui", "g", "jai", "entendu", "comme", "truc", "trucs",
                    "machin", "veut",  # « ça veut dire koi ? »
                    "dja", "eu",  # « il s'appelle comment déjà ? », « ya eu cmb de gens »
                    "type", "types", "genre", "sorte"})  # « c'est quel type d'organisme ? »
# what is asked of a subject without naming it: « ya cb de places ? », « quel salaire ? », « la durée ? »
ATTRIBUTES = frozenset({
    "place", "places", "prix", "cout", "coute", "coutent", "tarif", "tarifs", "payant", "payante", "gratuit",
    "gratuite", "duree", "dure", "durent", "date", "dates", "horaire", "horaires", "heure", "lieu", "adresse",
    "nom", "appelle", "sappelle", "appellent", "nomme",
    "diplome", "diplomes", "age", "niveau", "prerequis", "conditions", "financement", "finance",
    "finances", "financee", "inscription", "inscrire", "participants", "personnes", "inscrits", "membres",
    "salaire", "salaires", "debouches", "budget", "ouvre", "ouverture", "commence", "debut", "fin", "lancement",
    "lance", "partenaires", "partenaire", "responsable", "directeur", "directrice", "president", "presidente",
    "objectif", "objectifs", "but", "combien", "nombre", "taille", "surface", "m2", "metres", "carres",
    "monde", "gens", "beaucoup", "public", "exemple", "exemples", "concret", "concrete", "concretement", "detail",
    "details",  # « avec quel exemple concret ? », « plus de détails ? »
    "paye", "payee", "payes", "payer",  # « c payé par ki ? »
    "temps", "tps",  # « et ca dure cb de tps ? »
    "periode", "annee", "mois", "moment", "jour", "jours", "semaine",  # « Et c'était à quelle période de l'année ? »
    "compte", "comptent", "comptait", "comptaient",  # « Combien de membres compte-t-il ? »
    "echeance", "horizon", "delai", "calendrier",  # « à quelle échéance ? »
    "cote", "pres", "proche", "loin", "distance",  # « c'est à côté de quelle grande ville ? »
    "score", "pourcentage", "taux", "proportion", "chiffre", "chiffres",  # « Avec quel score ? »
})
COUNTING = frozenset({"combien", "nombre", "beaucoup", "monde", "gens", "compte", "comptent", "comptait",
                      "comptaient"})  # attributes that say how much, not of what
NAMING = frozenset({"nom", "appelle", "sappelle", "appellent", "nomme"})  # answered by any answer naming the thing
# « c dans kel region ? », « dans quelle ville ? »: a place asked of the subject (not « quel salaire dans le bâtiment »)
_WHICH_PLACE = re.compile(
    r"\b(?:quel|quelle|kel|kelle) (?:(grande?|petite?) )?(region|ville|quartier|batiment|endroit|departement)\b")


CALLBACK = ("rappelez moi", "rappele moi", "rappeler", "rappele", "rappelee", "me rappelle", "me rappeliez",
            "recontacter", "recontacte", "recontactee", "contactez moi", "me contacter", "me joindre")
# « rappelez-moi vos horaires », « me rappeler le nom de… » ask to be reminded of something, not called
REMINDED_OF = frozenset({"le", "la", "les", "l", "vos", "votre", "ton", "ta", "tes", "ce", "cette", "ces", "de", "du",
                         "des", "d", "quand", "ou", "comment", "combien", "pourquoi", "qui", "quel", "quelle",
                         "quels", "quelles"})


def asks_for_callback(text: str) -> bool:
    """Whether the message asks to be called or contacted back (« j'aimerais être rappelé par un conseiller »),
    however NLU read the rest of it; not when it asks to be reminded of something (« rappelez-moi vos horaires »)."""
    padded = f" {fold(text)} "
    for marker in CALLBACK:
        at = padded.find(f" {marker} ")
        if at >= 0:
            following = padded[at + len(marker) + 2:].split()[:1]
            if not following or following[0] not in REMINDED_OF:
                return True
    return False


# folded: a wish to talk to a person (« Je souhaiterais parler à un conseiller pour étudier un partenariat »)
# (a wish or a request first: « faut-il rencontrer un conseiller pour s'inscrire ? » asks how things are done)
_HUMAN = re.compile(
    r"\b(?:veux|jveux|voudrais|voudrai|jvoudrais|voudrait|aimerais|aimerai|souhaite|souhaiterais|souhaiterai|peux|"
    r"jpeux|puis|pourrais|pourrai|pourrait|pouvez|pourriez|possible de|possible d|besoin de|envie de)\b(?: \w+){0,3}? "
    r"(?:parler|discuter|echanger|m entretenir|rencontrer|joindre|contacter|appeler|mettre en (?:relation|contact))"
    r"(?: de vive voix| directement)?"
    r" (?:a |au |avec )?(?:quelqu un|qqn|(?:un |une |le |la |l |des |vos |votre )?(?:vrai |vraie |etre )?"
    r"(?:conseiller|conseillere|conseille|conseillers|personne|humain|membre|agent|interlocuteur|interlocutrice))\b"
)


def asks_for_human(text: str) -> bool:
    """Whether the message asks to talk to a person (« Je souhaiterais parler à un conseiller pour étudier un
    partenariat », « Puis-je m'entretenir avec un membre de l'équipe ? »), however NLU read the rest of it."""
    return bool(_HUMAN.search(fold(text)))


WAY_IN = ("y arriver", "y parvenir", "y acceder", "le devenir", "comment devenir", "comment on devient",
          "quelle formation", "quelles formations", "quel cursus", "se former")


def asks_way_in(text: str) -> bool:
    """Whether a message asks how to get into something (« comment y arriver ? », « quelle formation pour ça ? »)."""
    return says(text, WAY_IN)


# question words closing a question typed without its mark (« c t ou », « et celui pour les citoyens c lequel »)
# (not « quoi », which ends many a sentence: « un truc manuel quoi »)
CLOSERS = frozenset({"ou", "quand", "kan", "qui", "ki", "lequel", "laquelle", "lesquels", "lesquelles", "combien",
                     "cb", "cmb", "comment", "pourquoi", "pk"})
AGAIN = frozenset({"deja", "dja"})
NOT_ASKING = frozenset({"sais", "sai", "sait", "importe", "jsp"})  # « je sais pas où », « n'importe où »
# folded: asking within a message typed without its mark (« elle fait quoi comme job elle », « ils ont fait cmt pr les
# trouver », « a part l'auto c koi les autres secteurs », « ya eu cmb de gens », « ils ont montré quoi aux gens »),
# not « un truc manuel quoi »
_ASKING_WITHIN = re.compile(r"\b(?:cmt|combien|cmb|cb|(?:quoi|koi)(?= \w)"
                            r"|(?:c|fait|fais|font|faire|sert|servent|veut|veulent|dit|disait) (?:quoi|koi)"
                            r"|c (?:ki|qui|ou|kan|quand|combien|cb)"
                            r"|c (?:dans|a|pour|pr|de) (?:quel|quelle|kel|kelle)s?)\b")  # « c dans quel batiment »


def is_question(text: str) -> bool:
    """Whether `text` asks something (a question mark, a French question opening, or a question word closing a
    message of several words or asking within it, not « je sais pas où » nor « n'importe où »)."""
    folded = f"{fold(text)} "
    words = folded.split()
    return (text.rstrip().endswith("?") or folded.startswith(OPENERS)
            or (len(words) > 1 and words[-1] in CLOSERS and not NOT_ASKING & set(words))
            or (len(words) > 2 and words[-1] in AGAIN and words[-2] in CLOSERS)  # « il s'appelle comment déjà »
            or (bool(_ASKING_WITHIN.search(folded)) and not NOT_ASKING & set(words)))


def is_follow_up(text: str) -> bool:
    """Whether a short message points back at what was just said (« et c'est payant ? », « ça dure combien de
    temps ? », « c'était quand ? », « par qui ? », « Quels pays surtout ? ») rather than naming a subject of its
    own; up to twice FOLLOW_UP_WORDS when it asks nothing but an attribute (« Et c'était à quelle période de
    l'année ? »)."""
    words = tokens(text)
    if not words or len(words) > 2 * FOLLOW_UP_WORDS:
        return False
    if len(words) > FOLLOW_UP_WORDS:  # a longer one only when it names nothing but what it asks
        return asks_attribute_only(text)
    joined = " ".join(words)
    return (f"{joined} ".startswith(LEADS) or bool(THIS_IS.match(joined)) or any(word in POINTERS for word in words)
            or bool(THERE.search(joined)) or asks_attribute_only(text) or _asks_which(words, text)
            # « par qui ? », « ya le maire aussi ? »
            or (is_question(text) and (not _naming_words(text) or "aussi" in words)))


def _asks_which(words: list[str], text: str) -> bool:
    """Whether a question of a few words asks which or what of what was just said (« Quel jour ? », « à quelle
    échéance ? », « avec qui ? », « pour définir quoi ? »)."""
    return len(words) <= WHICH_WORDS and is_question(text) and (
        words[0] in WHICH or words[-1] in WHAT_WORDS
        or (len(words) > 1 and words[0] in PREPOSITIONS and words[1] in WHICH | ASKING | WHAT_WORDS))


WHAT_WORDS = frozenset({"quoi", "koi"})
DEMONSTRATIVES = frozenset({"ce", "cet", "cette", "ces"})
CLITICS = frozenset({"lui", "leur", "en"})  # before one of AUXILIARIES: « qui en avait fait », « on lui a opposé »
AUXILIARIES = frozenset({"a", "ont", "avait", "avaient", "aura", "auront", "est", "sont", "etait", "etaient", "ete",
                         "sera", "seront"})  # not « fait »: « en fait »
MAKE = frozenset({"fait", "font", "faisait", "faisaient", "fera", "feront"})  # « qui en font partie ? »
NOT_NAMING = frozenset({"que", "qu", "qui", "quoi", "sont", "n", "d", "dont", "est", "etait", "sera", "soir", "matin"})


def points_back(text: str) -> bool:
    """Whether a message points back at what was just said: a follow-up, or a question naming its subject with a
    demonstrative (« c qui qui a lancé ce projet ? », « pourquoi ce site-là ? »), not « qu'est-ce que … », with a
    pronoun before its verb (« Qui en avait fait la promesse ? », « les missions qui lui ont été assignées », « les
    entreprises qui en font partie »), or
    with a personal pronoun standing for nothing it names (« Et par quelle instance a-t-elle été adoptée ? »), or
    short and naming things only with a definite article (« L'ouverture était annoncée pour quand ? »)."""
    words = tokens(text)
    if is_follow_up(text):
        return True
    if len(words) > 2 * FOLLOW_UP_WORDS:
        return False
    if is_question(text) and _unnamed_persons(text) and not proper_names(text):  # « Et par quelle instance
        return True  # a-t-elle été adoptée ? » (the names, read by spaCy, last: the costliest check)
    if _definite_only(text):  # « L'ouverture était annoncée pour quand ? »
        return True
    return any(
        (word in DEMONSTRATIVES and (at == 0 or words[at - 1] != "est") and at + 1 < len(words)
         and words[at + 1] not in NOT_NAMING)
        or (word in CLITICS and at + 1 < len(words) and words[at + 1] in AUXILIARIES
            and (at == 0 or words[at - 1] != "ou"))  # not « où en est le projet ? »
        or (word == "y" and _there_before_verb(words, at))
        or (word == "en" and at + 2 < len(words) and words[at + 1] in MAKE and words[at + 2] == "partie")
        for at, word in enumerate(words))


def _there_before_verb(words: list[str], at: int) -> bool:
    """Whether the « y » at `at` stands for a place or a thing said before, before its verb (« combien de structures
    y ont répondu ? », « qui y a participé ? »), not in « il y a », « y a-t-il », « n'y a-t-il »."""
    following = words[at + 1:at + 3]
    return (at > 0 and words[at - 1] not in {"il", "n", "ya"} and bool(following) and following[0] in AUXILIARIES
            and following[1:] != ["t"])


ARTICLES = frozenset({"le", "la", "les", "l"})
# not « un », « une »: « Et ensuite, un événement de lancement était-il programmé ? » is the last subject's event
DETERMINERS = ARTICLES | {"mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos",
                          "leurs"}
INDEFINITE = frozenset({"un", "une"})
ASKING = frozenset({"qui", "ki", "quand", "kan", "qd", "ou", "combien", "cb", "cmb", "comment", "cmt", "pourquoi", "pk",
                    "pq", "quel", "quelle", "quels", "quelles", "kel", "kelle", "lequel", "laquelle"})
# « c'est quoi le … », « autre chose : c quoi l'… » asks what a thing is, not about the last one
_DEFINING = re.compile(r"(?:^|\b(?:c|cest|c est) )(?:quoi|koi)\b|\bqu est ce\b|\bveut dire\b")
ADDRESSING = frozenset({"vous", "vs", "tu", "t", "toi", "votre", "vos", "ton", "tes"})  # « vs avez des ateliers … »
_WORD = re.compile(r"\w+")


def _definite_only(text: str) -> bool:
    """Whether a short question asking who, when, where, how or which names things only with a definite article and
    names no one (« L'ouverture était annoncée pour quand ? », « Qui représentait l'entreprise lors du
    lancement ? »): the article points at what was just said; not a yes-or-no question (« les stages sont
    rémunérés ? »), a definition asked (« c'est quoi le numérique responsable ? »), a question on the bot's offer
    (« vous avez des ateliers pour les étudiants ? ») or on the person (« je peux fermer le chat ? »), nor a name
    (« la Cité »)."""
    words, typed = tokens(text), _WORD.findall(text)
    return (len(words) <= FOLLOW_UP_WORDS and is_question(text) and bool(ASKING & set(words))
            and not _DEFINING.search(fold(text)) and not (INDEFINITE | ADDRESSING | SELF) & set(words)
            and not any(word[0].isupper() for word in typed[1:])
            and not (typed and typed[0].isupper() and len(typed[0]) > 1)
            and any(word in ARTICLES and words[at + 1] not in STOPWORDS for at, word in enumerate(words[:-1]))
            and not proper_names(text))


def asks_attribute_only(text: str) -> bool:
    """Whether a question asks only for an attribute (« ya cb de places ? », « quel salaire ? ») and so needs
    the subject of the conversation."""
    named, place = _naming_words(text), _WHICH_PLACE.search(fold(text))
    attributes = ATTRIBUTES | set(place.groups()) if place else ATTRIBUTES
    return is_question(text) and bool(named) and all(word in attributes for word in named)


PERSONAL = frozenset({"il", "elle", "lui", "ils", "elles"})
IMPERSONAL = frozenset({"y", "faut", "fallait", "faudra", "faudrait", "existe", "existait", "reste", "suffit",
                        "manque"})  # « il y a », « il faut », « est-ce qu'il existe des formations … »
IMPERSONAL_STATES = frozenset({"possible", "necessaire", "obligatoire", "utile", "important", "interdit"})
OTHERS = frozenset({"autre", "autres"})  # « et il y avait qui d'autre ? » asks for someone else
ROLE_WORDS = frozenset({"fonction", "role", "poste", "occupe", "fait", "travaille", "titre", "qui", "ki", "job",
                        "metier", "boulot", "charge", "chargee", "charges", "chargees"})  # « elle est chargée de quoi »
# where the person named holds that role: « Quel poste occupe-t-il dans le groupe ? »
ROLE_PLACES = frozenset({"groupe", "entreprise", "societe", "boite", "structure", "equipe", "region"})


def asks_role(text: str) -> bool:
    """Whether a short message asks what the person just named does, naming nothing else (« Quelle fonction
    occupe-t-il ? », « elle fait koi elle »; not « ce dispositif il fait quoi ? »)."""
    words = set(tokens(text))
    return (len(words) <= 2 * FOLLOW_UP_WORDS and bool(_persons(text)) and bool(ROLE_WORDS & words)
            and not OTHERS & words and set(_naming_words(text)) <= ROLE_WORDS | ROLE_PLACES)


def _unnamed_persons(text: str) -> bool:
    """Whether a personal pronoun of `text` stands for something said before, not for a noun the sentence names
    first (« Et le campus lui-même, comment se veut-il ? », « Mon fils cherche un stage, peut-il s'inscrire ? »)."""
    words = tokens(text)
    pronouns = [at for at, word in enumerate(words) if word in PERSONAL and not _impersonal(words, at)]
    return bool(pronouns) and not any(
        word in DETERMINERS and words[at + 1] not in STOPWORDS for at, word in enumerate(words[:pronouns[0]]))


def _impersonal(words: list[str], at: int) -> bool:
    """Whether the « il » at `at` stands for nothing (« il y a », « il faut », « il est possible de … »)."""
    after = words[at + 1:at + 3]
    return words[at] == "il" and bool(after) and (
        after[0] in IMPERSONAL or (after[0] == "est" and len(after) > 1 and after[1] in IMPERSONAL_STATES))


def _persons(text: str) -> list[str]:
    """The personal pronouns of `text` that stand for someone or something said before (not the « il » of « il y a »,
    « il faut »)."""
    words = tokens(text)
    return [word for at, word in enumerate(words) if word in PERSONAL and not _impersonal(words, at)]


SELF = frozenset({"je", "j", "moi", "me", "m", "mon", "ma", "mes", "jsui", "jsuis", "chui", "jcherche", "jveux"})
JOB_WORDS = frozenset({"metier", "metiers", "job", "jobs", "emploi", "emplois", "boulot", "taf", "travail", "poste",
                       "postes", "filiere", "filieres"})


def about_oneself_or_jobs(text: str) -> bool:
    """Whether a message speaks of the person (« et moi je pourrais faire quoi ? ») or of jobs (« quels métiers il y
    a dans le numérique ? »), unless it asks what someone just named does (« Quel poste occupe-t-il ? »)."""
    return bool((SELF | JOB_WORDS) & set(tokens(text))) and not asks_role(text)


WHEN = frozenset({"jour", "jours", "date", "dates", "annee", "mois", "moment", "periode", "semaine"})


def names_nothing(text: str) -> bool:
    """Whether a question names nothing and asks only who, when, where or how many (« par qui ? », « c'était
    quand ? », « Quel jour ? »: any date of the last answer): about what was just said."""
    kinds = expected(text)
    named = [word for word in _naming_words(text) if not (AnswerType.DATE in kinds and word in WHEN)]
    return is_question(text) and not named and bool(kinds or asks_who(text))


def _naming_words(text: str) -> list[str]:
    """The folded words of `text` that may name something: neither stop words nor question filler."""
    return [word for word in tokens(text) if word not in STOPWORDS and word not in FILLER]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _sentences_asking(text: str) -> tuple[list[str], list[int]]:
    """The sentences of `text`, and the positions of those that ask something."""
    parts = _SENTENCE_END.split(text.strip())
    return parts, [at for at, part in enumerate(parts) if is_question(part)]


def asked_sentences(text: str) -> str:
    """The sentences of `text` that ask something, the whole text when none does."""
    parts, asked = _sentences_asking(text)
    return " ".join(parts[at] for at in asked) if asked else text


def subject_of(text: str) -> str:
    """The words of `text` that name what it is about (« l'Académie IBM » in « c'est quoi l'Académie IBM ? »),
    as typed, for a follow-up to be searched with; in a message of several sentences, those of its questions (« Je
    dirige une PME de 60 salariés. Quels organismes siègent au comité ? »: « organismes siègent comité »), with the
    sentence before them when a pronoun points back at it and they name no one (« On m'a parlé d'un campus
    numérique. Dans quelle commune doit-il s'installer ? »: « campus numérique commune doit-il installer »)."""
    parts, asked = _sentences_asking(text)
    question = " ".join(parts[at] for at in asked)
    if len(parts) > 1 and asked:
        subject = _subject_words(question)
        if asked[0] > 0 and _persons(question) and not proper_names(question):  # « À quoi sert-il ? »
            return f"{_subject_words(parts[asked[0] - 1])} {subject}".strip()
        if len(subject.split()) >= 2:  # a question naming something (« Vous pouvez m'aider ? » names only « aider »)
            return subject
    return _subject_words(text)


SHORT_SUBJECT = 5  # words: a short question's subject names its thing and little else


def shared_subject(subject: str, answer: str) -> str:
    """The words of a long `subject` that the question's `answer` says too: what both are about (« forum cite metiers
    demain », not the job and worries the person spoke of first); the whole subject when it is short (« secteur
    numérique pèse chiffre affaires ») or the answer says none of it."""
    if len(subject.split()) <= SHORT_SUBJECT:
        return subject
    said = set(content_stems(answer))
    shared = [word for word in subject.split() if set(content_stems(word)) & said]
    return " ".join(shared) or subject


def asked_part(text: str) -> str:
    """The questions of a message of three sentences or more, with the sentence before them (« Je dirige une ESN de
    30 personnes. On m'a parlé de l'Académie IBM. À combien s'élève le soutien de la Région à cette initiative ? »:
    the last two, and whatever follows them); the message itself otherwise."""
    parts, asked = _sentences_asking(text)
    return " ".join(parts[asked[0] - 1:]) if len(parts) > 2 and asked and asked[0] > 1 else text


def _subject_words(text: str) -> str:
    kept = [word for word in text.replace("’", "'").split()
            if (folded := fold(word.split("'")[-1])) and folded not in STOPWORDS and folded not in FILLER]
    return " ".join(word.strip("?!.,;:«»\"()").split("'")[-1] for word in kept).strip()


def with_subject(text: str, subject: str | None) -> str:
    """The text to search for a follow-up: the message, then the subject it refers to."""
    return f"{text.rstrip()} ({subject})" if subject else text


GENERIC = frozenset({"projet", "dispositif", "programme", "structure", "lieu", "endroit", "site", "organisme",
                     "initiative", "sujet", "theme", "chose", "truc", "etablissement", "organisation", "demarche",
                     "histoire", "la", "ci"})  # « ce projet », « cet endroit-là »: whatever was said


def points_elsewhere(text: str, said: str) -> bool:
    """Whether the demonstratives of `text` name something that `said` (the last answer and its subject) does not
    (« Où et quand cette convention tripartite a-t-elle été signée ? » after the Cité's committee): a subject of its
    own, not the last one; « ce projet », « ce groupe » after the Groupe Nicollin point back."""
    words = tokens(text)
    pointed = {words[at + 1] for at, word in enumerate(words[:-1])
               if word in DEMONSTRATIVES and words[at + 1] not in STOPWORDS | NOT_NAMING | GENERIC}
    return bool(pointed) and not set(content_stems(" ".join(pointed))) & set(content_stems(said))


def _named_in(question: str) -> list[str]:
    """The words a follow-up names besides what it points at (a pronoun, the noun after a demonstrative: « ce
    groupe ») and the attribute it asks for."""
    words = tokens(question)
    pointed = {word for before, word in zip(words, words[1:]) if before in DEMONSTRATIVES}
    return [word for word in _naming_words(question)
            if word not in POINTERS and word not in ATTRIBUTES and word not in pointed]


def names_what_is_asked(question: str, answer: str) -> bool:
    """Whether `answer` says at least one word the follow-up `question` names (« la deuxième » in « la deuxième
    priorité … »), or the question names none."""
    named = _named_in(question)
    said = set(content_stems(answer))
    return not named or any(stem(word) in said for word in named)


def _repeats(answer: str, previous: str) -> bool:
    """Whether `answer` is the `previous` one again, or holds every sentence `previous` recalled of an answer
    (sentences_naming may pick sentences apart from each other; the demo mark follows them)."""
    whole = fold(answer)
    if not previous.startswith(RECALL):
        return fold(previous) == whole
    recalled = previous[len(RECALL):].removesuffix(DEMO_MARK).strip(" «»")
    return all(fold(sentence) in whole for sentence in sentences(recalled))


def said_before(previous: str) -> str:
    """The text of the last answer as said, without its source (« D'après … : »), the opening of a recall or the
    demo mark."""
    text = previous.removesuffix(DEMO_MARK).strip()
    if text.startswith(RECALL):
        return text[len(RECALL):].strip(" «»")
    if text.startswith("D'après « ") and "» : " in text:  # a quoted title may hold « : » itself
        return text.split("» : ", 1)[1]
    return text.split(" : ", 1)[1] if text.startswith("D'après ") and " : " in text else text


def adds_nothing(question: str, answer: str, previous: str | None) -> bool:
    """Whether `answer`, found for a follow-up `question`, is the previous answer again (or holds the sentences it
    recalled) and leaves unsaid what the question names (« et pour les lycéens ? » after the Syntec convention: the
    same text, no word of lycéens), or holds no answer of the kind it asks for (« et ça dure cb de tps ? »: no
    duration), or says none of the attributes it asks for (« Elle fait quelle surface ? » after the address). A
    follow-up asking only when, how much or who may get the same answer again when it holds it."""
    if previous is None or not _repeats(answer, previous):
        return False
    said, kinds = set(content_stems(answer)), expected(question)
    if kinds:
        return (any(stem(word) not in said for word in _named_in(question))
                or not any(holds(answer, kind) for kind in kinds))
    asked = {stem(word) for word in _naming_words(question) if word in ATTRIBUTES - COUNTING - NAMING}
    return any(stem(word) not in said for word in _named_in(question)) or bool(asked and not asked & said)


def roles_said(question: str, answer: str) -> list[str]:
    """For a question on what the person just named does (« et elle, elle est chargée de quoi ? ») after an answer
    naming several people, the sentences of `answer` that name one of them: their roles said again, without guessing
    whom the pronoun stands for."""
    if not asks_role(question) or len(people(answer)) < 2:
        return []
    return [sentence for sentence in sentences(answer) if len(people(sentence)) == 1]


def sentences_stating(question: str, answer: str) -> list[str]:
    """For a follow-up asking only for an attribute and a kind of answer (« Combien de membres compte-t-il ? »), the
    sentences of `answer` that name that attribute and hold that kind (« … un comité stratégique de 34 membres »)."""
    kinds = expected(question)
    asked = {stem(word) for word in _naming_words(question) if word in ATTRIBUTES and word not in COUNTING}
    if not (kinds and asked and asks_attribute_only(question)):
        return []
    return [sentence for sentence in sentences(answer)
            if asked & set(content_stems(sentence)) and any(holds(sentence, kind) for kind in kinds)]


def sentences_naming(question: str, answer: str) -> list[str]:
    """The sentences of `answer` that hold what the follow-up `question` asks, to be said again: those saying a word
    it names (« et il progresse vite ? » after Syntec's figures: « Le secteur progressait de 4,2 % en 2019. »); else
    those holding the kind of answer it expects (a person for « par qui ? »), with the attribute it asks for when one
    does (« combien de membres compte-t-il ? »: « … réunit 34 membres … »; « et ya cb qui veulent participer ? »:
    « … 600 souhaitaient prendre part … »); none when it names a public, a place, a sector, a topic or anyone of its
    own (« et pour les lycéens, c'est combien ? », « et pour IBM, qui a pris la parole ? »: a new question)."""
    said = [(sentence, set(content_stems(sentence))) for sentence in sentences(answer)]
    named = {stem(word) for word in _named_in(question)}
    if naming := [sentence for sentence, stems in said if named & stems]:
        return naming
    if any(mentioned(kind, question) for kind in SCOPES) or names_another(question, answer):
        return []
    kinds, who = expected(question), asks_who(question)
    holding = [(sentence, stems) for sentence, stems in said
               if any(holds(sentence, kind) for kind in kinds) or (who and people(sentence))]
    asked = {stem(word) for word in _naming_words(question) if word in ATTRIBUTES}
    return [sentence for sentence, stems in holding if asked & stems] or [sentence for sentence, _ in holding]
