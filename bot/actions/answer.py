"""One answer for every question: the FAQ, a document or the catalogue, as knowledge.decision chooses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import knowledge
from bot.actions import catalogue, contact, faq, jobs
from bot.actions.base import StoreAction
from bot.actions.context import (
    ANCHOR_SLOT,
    SUBJECT_SLOT,
    entity,
    filters_from_message,
    last_bot_text,
    last_fact,
    last_search,
    regions_named,
    text_of,
    user_texts,
)
from bot.actions.turn_log import log_turn
from knowledge.answer_types import expected, holds, only_passage_holds, passage_says_more
from knowledge.decision import (
    CATALOGUE_INTENTS,
    FAQ_OVER_REQUEST,
    FAQ_SURE,
    FAQ_THRESHOLD,
    PASSAGE_STRONG,
    PASSAGE_THRESHOLD,
    Question,
    Source,
    asks_for_fact,
    asks_for_list,
    decide,
    named_request,
    names_offer,
)
from knowledge.people import asks_who, names_another, people, proper_names
from knowledge.schemas import DEMO_MARK
from knowledge.text import fold, tokens
from knowledge.turns import (
    about_oneself_or_jobs,
    adds_nothing,
    asked_part,
    asks_role,
    asks_way_in,
    is_follow_up,
    is_question,
    names_nothing,
    names_what_is_asked,
    points_back,
    points_elsewhere,
    roles_said,
    said_before,
    sentences_naming,
    sentences_stating,
    shared_subject,
    subject_of,
    with_subject,
)
from knowledge.validation import ALL_REGIONS

if TYPE_CHECKING:  # retrieval loads lazily (knowledge/__init__.py)
    from knowledge.faq import FaqMatch
    from knowledge.passages import PassageMatch

Match = TypeVar("Match", "FaqMatch", "PassageMatch")

Reply = Callable[[CollectingDispatcher, Tracker], list[EventType]]
CATALOGUE_FILTERS = ("topic", "city", "job_text", "start")  # who is asking (audience, sector) is no request
KINDS = {"ask_services": "services", "ask_workshops": "workshops", "ask_trainings": "trainings"}
LOGGED_KINDS = {**KINDS, "ask_job_info": "jobs", "explore_jobs": "jobs"}  # the catalogue that answered, in the log
SMALL_TALK = {"bot_challenge": "utter_bot_challenge", "ask_capabilities": "utter_capabilities",
              "affirm": "utter_anything_else", "deny": "utter_anything_else", "see_more": "utter_capabilities",
              "goodbye": "utter_goodbye"}
OWN_SUBJECT_WORDS = 5  # a question of at least this many words names its own subject


def _explore(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The guided form follows: by the rules after a wish to explore jobs (no fact answered), at once after a
    request NLU read otherwise (« tu peux m'aider à trouver un métier du futur ? » read as ask_services)."""
    if intent_of(tracker) == "explore_jobs" or tracker.active_loop.get("name"):
        return []  # a form running keeps the conversation (rules.yml: it resumes after the answer)
    return [FollowupAction("job_exploration_form")]


CATALOGUE: dict[str, Reply] = {
    "ask_services": partial(catalogue.find, "services"),
    "ask_workshops": partial(catalogue.find, "workshops"),
    "ask_trainings": partial(catalogue.find, "trainings"),
    "ask_job_info": jobs.job_info,
    "explore_jobs": _explore,
}


def intent_of(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or "nlu_fallback"


def wants_catalogue(tracker: Tracker, intent: str) -> bool:
    """A request for a list, or a filter of the catalogue (topic, city, job, dates) in a message that does not ask
    for a figure, a date, a person or a reason; for a job card, a known job, not asked of a person (« Et lui, de
    quoi est-il chargé ? »)."""
    text = text_of(tracker)
    if intent == "ask_job_info":  # not a person's role: « Quel vice-président était chargé des finances ? »
        return (bool(entity(tracker, "job")) and not asks_who(text) and not asks_role(text)
                and jobs.asked_job(tracker) is not None)
    if asks_for_list(text):
        return True
    return not asks_for_fact(text) and any(filters_from_message(tracker).get(k) for k in CATALOGUE_FILTERS)


def served_request(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> list[EventType] | None:
    """The catalogue's answer to a request it has offers for (a job card or the guided form always answers);
    None, with nothing said, when it has none."""
    kind = KINDS.get(intent)
    if kind is None:
        return CATALOGUE[intent](dispatcher, tracker)
    search = catalogue.search_for(kind, tracker)
    return catalogue.reply_to(dispatcher, search) if catalogue.has_offers(search) else None


def refined(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The last search refined by what the message adds (« et à Toulouse ? », « Santé » after the jobs suggested),
    logged as the catalogue that answered; None, with nothing said, when there is nothing to refine."""
    if (events := catalogue.refine(dispatcher, tracker)) is None:
        return None
    log_turn(dispatcher, tracker, "catalogue", next(e["value"] for e in events if e.get("name") == "search")["kind"])
    return events


BARE_WORDS = 3  # « Données (data) », « la santé »


def bare_filter(tracker: Tracker) -> bool:
    """Whether the message only names a theme (« Données (data) », « la santé »: a topic or a sector), no
    question, outside any form and with no fact answered since the last listing (a catalogue answer clears the
    subject): whatever NLU read, it refines that listing. A place or a date alone is not enough (« horaires à
    Montpellier », « ouvert demain »)."""
    text = text_of(tracker)
    if (tracker.active_loop.get("name") or tracker.get_slot(SUBJECT_SLOT) or is_question(text)
            or is_follow_up(text) or asks_for_fact(text) or len(tokens(text)) > BARE_WORDS):
        return False
    found = filters_from_message(tracker)
    return bool(found.get("topic") or found.get("sector"))


def ask_to_rephrase(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Ask the person to rephrase, with examples; the turn is logged as unanswered, without its text."""
    dispatcher.utter_message(response="utter_default")
    log_turn(dispatcher, tracker, "unknown")


class ActionAnswer(StoreAction):
    """Weighs the best FAQ entry, the best document sentences and the catalogue, and answers with one. A catalogue
    request the catalogue can serve is answered from it at once; one it cannot is weighed against the facts."""

    def name(self) -> str:
        return "action_answer"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if (events := contact.handed_over(tracker)) is not None:
            return events  # a contact given, or a callback asked for, whatever else NLU read in the message
        if (events := contact.human_asked(tracker)) is not None:
            return events  # someone to talk to: the contacts
        return self.reply(dispatcher, tracker)

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """The answer to a message that gives no contact."""
        return self.respond(dispatcher, tracker)[1]

    def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: str | None = None,
                follows: bool = False) -> tuple[Source, list[EventType]]:
        """Answer (as `intent` says, else as NLU says; about the last subject when the message `follows` or
        reads as a follow-up) and log the turn; the source that answered, and the events to apply."""
        return self._respond(dispatcher, tracker, intent or intent_of(tracker), follows)

    @staticmethod
    def _listed(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str,
                events: list[EventType]) -> tuple[Source, list[EventType]]:
        """A catalogue answer of `intent`: logged as such, the last fact's subject left behind."""
        log_turn(dispatcher, tracker, "catalogue", LOGGED_KINDS.get(intent, ""))
        return Source.CATALOGUE, [SlotSet(SUBJECT_SLOT, None), *events]

    def _respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: str,
                 follows: bool) -> tuple[Source, list[EventType]]:
        text = text_of(tracker)
        if text.startswith("/") and intent in CATALOGUE:  # a button
            return self._listed(dispatcher, tracker, intent, CATALOGUE[intent](dispatcher, tracker))
        if not any(character.isalnum() for character in text) or text.startswith("/"):
            ask_to_rephrase(dispatcher, tracker)
            return Source.UNKNOWN, []
        if intent not in CATALOGUE_INTENTS and bare_filter(tracker) and (events := refined(dispatcher, tracker)):
            return Source.CATALOGUE, events
        if intent in KINDS and (named := named_request(text)):
            intent = named  # « vous avez des ateliers pour ça ? » read as ask_services: the offers it names
        way_in = bool(tracker.get_slot("job")) and last_fact(tracker) is None and asks_way_in(text)
        if way_in:
            intent = "ask_trainings"  # « comment y arriver ? » after a job card, whatever NLU read: its trainings
        wants = intent in CATALOGUE_INTENTS and (way_in or wants_catalogue(tracker, intent))
        if wants and (events := served_request(dispatcher, tracker, intent)) is not None:  # no retrieval
            return self._listed(dispatcher, tracker, intent, events)
        # a catalogue request keeps its own context (the last search, the job looked at), not the last fact's subject
        about_fact = follows or (intent not in CATALOGUE_INTENTS and is_follow_up(text))
        weighed = weigh(tracker, intent, wants, about_fact)
        source = weighed.source
        if source is Source.CATALOGUE:
            return self._listed(dispatcher, tracker, intent, CATALOGUE[intent](dispatcher, tracker))
        if source in (Source.FAQ, Source.PASSAGE):
            return source, state_fact(dispatcher, tracker, weighed)
        # no fact, but offers asked for by name although NLU read something else (« avez-vous des ateliers … ? »)
        requested = named_request(text) if source is Source.UNKNOWN else None
        if requested and (events := served_request(dispatcher, tracker, requested)) is not None:
            return self._listed(dispatcher, tracker, requested, events)
        if knowledge.is_gibberish(text):  # not a question, off-topic or not: ask to rephrase, with examples
            ask_to_rephrase(dispatcher, tracker)
        elif source is Source.OUT_OF_SCOPE:
            dispatcher.utter_message(response="utter_out_of_scope")
            log_turn(dispatcher, tracker, "out_of_scope")
        else:
            faq.admit(dispatcher, tracker, weighed.faq)
            log_turn(dispatcher, tracker, "unknown", question=text)
        return source, []


@dataclass(frozen=True)
class Recall:
    """Sentences of the last answer said again, and the FAQ entry or document they came from."""

    sentences: list[str]
    source: str  # "faq" or "document", as the turn log names them
    source_id: str
    demo: bool

    @property
    def decided(self) -> Source:
        """The source the decision reports for this answer."""
        return Source.FAQ if self.source == "faq" else Source.PASSAGE


@dataclass(frozen=True)
class Weighed:
    """What the decision chose, with the best FAQ entry, passage and the subject the message was searched with."""

    source: Source
    faq: FaqMatch | None
    passage: PassageMatch | None
    subject: str | None
    recall: Recall | None = None  # the last answer's sentences that hold what a follow-up asks, to be said again


def _foreign(found: Match | None, region: str, sure: float) -> bool:
    """Whether `found` is of another region than `region` (not of every region) and not sure."""
    return found is not None and found.region not in (region, ALL_REGIONS) and found.score < sure


def weigh(tracker: Tracker, intent: str, wants: bool, follows: bool) -> Weighed:
    """`_weigh`; a question on a fact that NLU read as a catalogue request and that no fact answers on its own is
    searched again with the conversation's subject before the catalogue answers (« c dans quel batiment ? », read
    as a wish to explore jobs, after the campus). A question read as a question is not: with a subject it was
    not about, « Qui dirige la Cité aujourd'hui ? » would get a near answer instead of an honest « je ne sais
    pas »."""
    weighed, text = _weigh(tracker, intent, wants, follows), text_of(tracker)
    if (weighed.source is Source.CATALOGUE and weighed.subject is None and last_fact(tracker)
            and tracker.get_slot(SUBJECT_SLOT)
            and (asks_for_fact(text) or (is_question(text) and is_follow_up(text)))):  # « et celui pour … c lequel »
        return _weigh(tracker, intent, wants, True)
    return weighed


def _weigh(tracker: Tracker, intent: str, wants: bool, follows: bool) -> Weighed:
    """Search the FAQ and the documents and decide; nothing is said. A message that `follows` the last fact is
    searched with its subject; one naming a region, within that region; one pointing back at the last fact
    (a follow-up, « ce projet »), preferably within that fact's region and document. A follow-up naming nothing
    (« par qui ? ») is answered from the last answer when it holds what is asked, and so is one nothing answers."""
    text, anchor, previous = text_of(tracker), last_fact(tracker), last_bot_text(tracker)
    # at the last fact (a job card leaves none: bot/actions/jobs.py), unless naming another (« cette convention »)
    pointing = bool(anchor) and points_back(text) and not _moves_elsewhere(text, anchor, previous, tracker)
    subject = tracker.get_slot(SUBJECT_SLOT) if follows or pointing else None
    if subject and anchor and previous and names_nothing(text) and (recall := _recall_said(text, anchor, previous)):
        return Weighed(recall.decided, None, None, subject, recall)
    if subject and anchor and previous and (stating := sentences_stating(text, said_before(previous))):
        recall = _recalled(stating, anchor, previous)  # « Combien de membres compte-t-il ? »
        return Weighed(recall.decided, None, None, subject, recall)
    if (subject and anchor and previous and asks_role(text) and asks_who(next(iter(user_texts(tracker)[1:]), ""))
            and (role := _role_of_person(text, anchor, previous))):  # « de qui s'agit-il ? », then « … occupe-t-il ? »
        return Weighed(Source.PASSAGE, None, role, subject)
    if subject and anchor and previous and (roles := roles_said(text, said_before(previous))):
        recall = _recalled(roles, anchor, previous)  # « c qui les deux vice-présidents ? », « et elle, … de quoi ? »
        return Weighed(recall.decided, None, None, subject, recall)
    query, named = with_subject(text, subject), regions_named(text)
    best_faq = next(iter(knowledge.search_faq(query, limit=1, regions=named)), None)
    passage = knowledge.best_passage(query, named)
    if not subject and (question := asked_part(text)) != text:  # a long message: its question may match better alone
        best_faq = _better(best_faq, next(iter(knowledge.search_faq(question, limit=1, regions=named)), None))
        passage = _better(passage, knowledge.best_passage(question, named))
    if anchor and pointing and not named:  # the conversation's region: another region's match must be sure
        region = anchor["region"]
        if _foreign(best_faq, region, FAQ_SURE):
            best_faq = next(iter(knowledge.search_faq(query, limit=1, regions=frozenset({region}))), None)
        if _foreign(passage, region, PASSAGE_STRONG):
            passage = knowledge.best_passage(query, frozenset({region}), anchor.get("document"))
    asked = bool(best_faq and passage and (
        only_passage_holds(text, best_faq.answer, passage.sentences) or passage_says_more(
            text, best_faq.answer, passage.sentences, passage.title, knowledge.faq_words(best_faq.id))))
    about_jobs = about_oneself_or_jobs(text)
    source = decide(Question(intent=intent, wants_catalogue=wants, faq_score=best_faq.score if best_faq else 0.0,
                             passage_score=passage.score if passage else 0.0, asks_fact=asks_for_fact(text),
                             only_passage_holds=asked, about_jobs=about_jobs,
                             follows_fact=bool(subject) and is_question(text) and not about_jobs
                             and not names_offer(text)))
    recall: Recall | None = None
    nearly_certain = source is Source.FAQ and best_faq is not None and best_faq.score >= FAQ_OVER_REQUEST
    if subject and not nearly_certain and (fact := _fact_text(source, best_faq, passage)) and adds_nothing(
            text, fact, previous):  # an entry nearly certain for the follow-up answers it again (« ça marche ? »)
        instead = _instead_of_the_same(text, source, best_faq, passage, previous)
        recalled = sentences_naming(text, _said(source, best_faq, passage)) if instead is Source.UNKNOWN else []
        recall = _recall(recalled, source, best_faq, passage)
        source = source if recall else instead
    elif source is Source.UNKNOWN and subject and anchor and previous:  # nothing found: the last answer may hold it
        recall = _recall_said(text, anchor, previous)
        source = recall.decided if recall else source
    if (subject and not recall and source in (Source.FAQ, Source.PASSAGE, Source.UNKNOWN)
            and names_another(text, _fact_text(source, best_faq, passage) or "")
            and (other := _about_another(text, anchor)) is not None):
        source, passage, subject = Source.PASSAGE, other, subject_of(text)  # the conversation moves on to them
    return Weighed(source, best_faq, passage, subject, recall)


def _moves_elsewhere(text: str, anchor: dict[str, str] | None, previous: str | None, tracker: Tracker) -> bool:
    """Whether a message pointing with a demonstrative at something the last answer did not name is about another
    region's subject, as its own sure match says (« Où et quand cette convention tripartite a-t-elle été signée ? »
    after the Cité's committee): searched without the conversation's subject and region."""
    if not anchor or not points_elsewhere(text, f"{previous or ''} {tracker.get_slot(SUBJECT_SLOT) or ''}"):
        return False
    region, best_faq = anchor["region"], next(iter(knowledge.search_faq(text, limit=1)), None)
    return _foreign(best_faq, region, 1.0) and best_faq.score >= FAQ_SURE or _foreign(
        passage := knowledge.best_passage(text, None), region, 1.0) and passage.score >= PASSAGE_STRONG


def _better(found: Match | None, other: Match | None) -> Match | None:
    """The higher-scoring of two matches."""
    return other if other is not None and (found is None or other.score > found.score) else found


def _about_another(text: str, anchor: dict[str, str] | None) -> PassageMatch | None:
    """For a follow-up naming someone or something the last answer did not (« et pour IBM, qui avait pris la parole
    ? » after the Groupe Nicollin), the sentences of the same document that name them, searched without the
    subject; None when none does."""
    document, names = (anchor or {}).get("document"), proper_names(text)
    found = knowledge.best_passage(text, None, document) if document and names else None
    if found is None or found.document_id != document:
        return None
    said = f" {fold(' '.join(found.sentences))} "
    return found if all(f" {name} " in said for name in names) else None


def _role_of_person(text: str, anchor: dict[str, str], previous: str) -> PassageMatch | None:
    """For « Quelle fonction occupe-t-il ? » after an answer naming one person, the document sentences naming them
    that say it, searched with their name (the document last answered from favoured); None when the last answer
    names nobody or several people, or no sentence names them."""
    named = people(said_before(previous))
    if len(named) != 1:
        return None
    person = next(iter(named))
    found = knowledge.best_passage(f"{text} {person}", None, anchor.get("document"))
    return found if found and any(f" {person} " in f" {fold(s)} " for s in found.sentences) else None


def _recall(sentences: list[str], source: Source, best_faq: FaqMatch | None,
            passage: PassageMatch | None) -> Recall | None:
    """The `sentences` of the answer found again, with its FAQ entry or document."""
    if not sentences:
        return None
    if source is Source.FAQ and best_faq:
        return Recall(sentences, "faq", best_faq.id, best_faq.demo)
    return Recall(sentences, "document", passage.document_id, passage.demo) if passage else None


def _recall_said(text: str, anchor: dict[str, str], previous: str) -> Recall | None:
    """The sentences of the last answer that hold what the follow-up `text` asks, with the FAQ entry or document it
    came from (the anchor)."""
    if not (sentences := sentences_naming(text, said_before(previous))):
        return None
    return _recalled(sentences, anchor, previous)


def _recalled(sentences: list[str], anchor: dict[str, str], previous: str) -> Recall:
    """The `sentences` of the last answer said again, with the FAQ entry or document it came from (the anchor)."""
    logged = ("faq", anchor["faq"]) if anchor.get("faq") else ("document", anchor.get("document") or "")
    return Recall(sentences, *logged, previous.endswith(DEMO_MARK))


def _instead_of_the_same(text: str, source: Source, best_faq: FaqMatch | None, passage: PassageMatch | None,
                         previous: str | None) -> Source:
    """For a follow-up whose answer found (`source`) is the last answer again, silent on what it asks: the other
    source when it reaches its threshold, says what it asks and is not the last answer again (« et la deuxième ? »:
    « la deuxième priorité … »; « et ça dure cb de tps ? » after a sentence on the Académie IBM: the FAQ entry
    « … dure 18 mois »), else nothing (admitted)."""
    if source is Source.FAQ and passage and passage.score >= PASSAGE_THRESHOLD:
        other, said, instead = faq.passage_text(passage), " ".join(passage.sentences), Source.PASSAGE
    elif source is Source.PASSAGE and best_faq and best_faq.score >= FAQ_THRESHOLD:
        other, said, instead = faq.faq_text(best_faq), best_faq.answer, Source.FAQ
    else:
        return Source.UNKNOWN
    kinds = expected(text)
    if (names_what_is_asked(text, said) and (not kinds or any(holds(said, kind) for kind in kinds))
            and not adds_nothing(text, other, previous)):
        return instead
    return Source.UNKNOWN


def _said(source: Source, best_faq: FaqMatch | None, passage: PassageMatch | None) -> str:
    """The text of the FAQ answer or of the sentences chosen, without their source or demo mark."""
    if source is Source.FAQ and best_faq:
        return best_faq.answer
    return " ".join(passage.sentences) if source is Source.PASSAGE and passage else ""


def _fact_text(source: Source, best_faq: FaqMatch | None, passage: PassageMatch | None) -> str | None:
    if source is Source.FAQ and best_faq:
        return faq.faq_text(best_faq)
    return faq.passage_text(passage) if source is Source.PASSAGE and passage else None


def state_fact(dispatcher: CollectingDispatcher, tracker: Tracker, weighed: Weighed) -> list[EventType]:
    """Say the FAQ answer or the passage chosen (for a follow-up, the sentences of the last answer that hold what it
    asks, when that answer would come again or nothing else answers), log the turn; a follow-up keeps the subject it
    was answered with."""
    if (recall := weighed.recall) is not None:  # the subject and the anchor stay those of the last answer
        faq.recall_reply(dispatcher, recall.sentences, recall.demo)
        log_turn(dispatcher, tracker, recall.source, recall.source_id)
        return []
    if weighed.source is Source.FAQ and weighed.faq:
        said = faq.faq_reply(dispatcher, weighed.faq)
        logged, region, document = ("faq", weighed.faq.id), weighed.faq.region, None
    elif weighed.passage:
        said = faq.passage_reply(dispatcher, weighed.passage)
        logged, region = ("document", weighed.passage.document_id), weighed.passage.region
        document = weighed.passage.document_id
    else:
        return []
    log_turn(dispatcher, tracker, *logged)
    subject = (weighed.subject or shared_subject(subject_of(text_of(tracker)), said)
               or tracker.get_slot(SUBJECT_SLOT))
    faq_id = logged[1] if logged[0] == "faq" else None
    anchor = {"region": region, "document": document, "faq": faq_id} if region else None  # of every region: none
    return [SlotSet(SUBJECT_SLOT, subject), SlotSet(ANCHOR_SLOT, anchor)]


class ActionAnswerAboutJobs(ActionAnswer):
    """The same decision for a wish to explore jobs; sets `fact_answered`, so that the guided form starts only
    when the decision chose it: not after a fact, nor after a question on the last fact that was admitted
    unanswered (« Quel poste occupe-t-il ? » read as explore_jobs) (bot/data/rules.yml). A separate action, as
    Rasa's rules require an action to set the same slots in every rule."""

    def name(self) -> str:
        return "action_answer_about_jobs"

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        source, events = self.respond(dispatcher, tracker)
        return [*events, SlotSet("fact_answered", source is not Source.CATALOGUE)]


class ActionFollowUp(ActionAnswer):
    """What NLU read as information rather than a request: a follow-up about the subject of the last fact or
    job card (« et pour les lycéens ? »), a refinement of the last search (« et à Toulouse ? »), a question
    in its own right, a request naming what it asks for (a job, offers), or a person describing themselves or their
    company (the services for them)."""

    def name(self) -> str:
        return "action_follow_up"

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        text = text_of(tracker)
        asks = is_question(text) or is_follow_up(text)
        if tracker.get_slot(SUBJECT_SLOT) and asks:
            return self.respond(dispatcher, tracker, intent="faq", follows=True)[1]
        if (events := refined(dispatcher, tracker)) is not None:
            return events
        if asks:
            return self.respond(dispatcher, tracker, intent="faq")[1]
        if requested := named_request(text):  # « … au chomage depuis 1 an, jcherche un metier davenir »: the guide
            return self.respond(dispatcher, tracker, intent=requested)[1]
        if filters_from_message(tracker):
            events = catalogue.find("services", dispatcher, tracker)
            log_turn(dispatcher, tracker, "catalogue", "services")
            return [SlotSet(SUBJECT_SLOT, None), *events]
        ask_to_rephrase(dispatcher, tracker)
        return []


class ActionSmallTalk(ActionAnswer):
    """Small talk (« t'es un robot ? », « tu sers à quoi ? », « oui », « non merci », « au revoir »), unless the
    message is a question the store answers: a follow-up on the last subject (« et il y avait qui d'autre ? » read
    as ask_capabilities, « Qui porte ce projet ? » as bot_challenge, « pk ils ont pris cet endroit alors » as
    goodbye) or a question long enough to name its own (« c'était une promesse électorale, non ? » read as deny),
    with or without a question mark. A goodbye is searched only when it is a question (« ok ça marche, bonne
    journée », « merci c'était top, à plus » are goodbyes). Below the decision's thresholds nothing is searched
    aloud: the small-talk answer is given."""

    def name(self) -> str:
        return "action_small_talk"

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        text, leaving = text_of(tracker), intent_of(tracker) == "goodbye"
        if not leaving and knowledge.is_gibberish(text):  # keyboard mashing read as « oui » or « non »: rephrase
            ask_to_rephrase(dispatcher, tracker)  # (« tchuss » read as goodbye is one)
            return []
        # « le dispositif nege c ne en quelle annee »; a goodbye only with a question (« merci c'était top »)
        asks = is_question(text) or (not leaving and asks_for_fact(text))
        follows = bool(tracker.get_slot(SUBJECT_SLOT)) and (
            (is_follow_up(text) and (asks or not leaving)) or (asks and points_back(text)))
        if follows or (asks and len(tokens(text)) >= OWN_SUBJECT_WORDS):
            weighed = weigh(tracker, "nlu_fallback", False, follows)
            if weighed.source in (Source.FAQ, Source.PASSAGE):
                return state_fact(dispatcher, tracker, weighed)
        dispatcher.utter_message(response=SMALL_TALK[intent_of(tracker)])  # not logged, as any small talk
        return []


class ActionSeeMore(ActionSmallTalk):
    """The next page of the last search; with no search to page through, a question read as « voir plus » (« et il
    y avait qui d'autre ce jour-là ? ») is answered as small talk is, and the capabilities are shown otherwise."""

    def name(self) -> str:
        return "action_see_more"

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if (previous := last_search(tracker)) is not None:
            return catalogue.more(dispatcher, tracker, previous)
        return super().reply(dispatcher, tracker)
