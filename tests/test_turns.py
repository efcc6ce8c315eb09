"""What a message is within a conversation: question, follow-up, subject (knowledge/turns.py)."""

from __future__ import annotations

import pytest

from knowledge.turns import (
    about_oneself_or_jobs,
    adds_nothing,
    asked_part,
    asks_for_callback,
    asks_for_human,
    asks_role,
    asks_way_in,
    is_follow_up,
    is_question,
    names_what_is_asked,
    points_back,
    points_elsewhere,
    roles_said,
    sentences_naming,
    sentences_stating,
    shared_subject,
    subject_of,
    with_subject,
)


@pytest.mark.parametrize("text", ["et il faut un diplôme pour ça ?", "c ou exactement", "combien ça coûte",
                                  "Quel est le rôle de Syntec", "est ce que c'est gratuit", "il faut quoi", "c t ou",
                                  "et celui pour les citoyens c lequel", "la formation elle dure cb",
                                  "elle fait quoi comme job elle", "ils ont fait cmt pr les trouver",
                                  "et c ki qui a dit ca chez eux", "a part l'auto c koi les autres secteurs ki bougent",
                                  "ils veulent faire koi pr les chauffeurs du coup", "c dans quel batiment",
                                  "c pour quels publics", "ya eu cmb de gens", "il sappelle comment deja",
                                  "ils ont montré quoi aux gens pdt l'enquete"])
def test_questions(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize("text", ["je suis au chômage depuis un an", "l'IA", "en reconversion", "06 12 34 56 78",
                                  "plutôt le numérique", "je sais pas trop quoi", "n'importe où", "peu importe où",
                                  "un truc manuel quoi", "je sais pas cmt faire",
                                  "alors que je cherche un stage depuis 3 mois", "je vais voir comment ça se passe"])
def test_answers_are_no_questions(text: str) -> None:
    assert not is_question(text)


@pytest.mark.parametrize("text", ["et c'est payant ?", "ça dure combien de temps ?", "et pour les lycéens ?",
                                  "c'était quand ?", "et à Toulouse ?", "il faut un diplôme pour ça ?",
                                  "ya cb de places ?", "quel salaire ?", "la durée ?", "combien de participants ?",
                                  "par qui ?", "pourquoi ?", "ya le maire aussi ?", "Avec quel exemple concret ?",
                                  "plus de détails ?", "c dans kel region ?", "c dans quel bâtiment ?",
                                  "Quels pays surtout ?", "Quel jour ?",  # which one, of what was just said
                                  "c payé par ki ?", "Dont combien d'entreprises à proprement parler ?",
                                  "Et c'était à quelle période de l'année ?",  # longer, naming only what it asks
                                  "Avec quel score ?", "Son groupe emploie combien de personnes ?",  # a possessive
                                  "pk la bas ?? c perdu", "à quelle échéance ?", "avec qui ?", "pour définir quoi ?",
                                  "c a cote de quelle grande ville ?"])
def test_follow_ups(text: str) -> None:
    assert is_follow_up(text)


@pytest.mark.parametrize("text", ["C'est quoi l'Académie IBM ?", "où se trouve la Cité ?",
                                  "quelles formations pour devenir data analyst à Lyon l'an prochain ?",
                                  "Qui a signé la convention entre la Région Grand Est et Syntec Numérique ?", "",
                                  "combien de places pour l'atelier IA ?", "le salaire d'un data analyst ?",
                                  "des places", "quel est le prix de l'adhésion ?", "quel salaire dans le bâtiment ?",
                                  "c'est quoi l'AMI ?", "En quelle année la Cité a-t-elle ouvert ?"])
def test_questions_with_their_own_subject_are_no_follow_ups(text: str) -> None:
    assert not is_follow_up(text)


@pytest.mark.parametrize("text", ["c qui qui a lancé ce projet ?", "Pourquoi ce site-là plutôt qu'en centre-ville ?",
                                  "Et IBM, pourquoi s'intéresse-t-il à cette Cité ?", "et c'est payant ?",
                                  "Qui en avait fait la promesse pendant la campagne électorale ?",
                                  "Quelles sont les grandes missions qui lui ont été assignées ?",
                                  "Et par quelle instance a-t-elle été adoptée ?",  # a pronoun naming nothing
                                  "Pouvez-vous me citer quelques entreprises qui en font partie ?",
                                  "L'ouverture était annoncée pour quand ?",  # a definite article, naming no one
                                  "Qui représentait l'entreprise lors du lancement ?",
                                  "Combien de structures y ont répondu, et combien voulaient s'impliquer ?"])
def test_questions_pointing_back(text: str) -> None:
    assert points_back(text)


@pytest.mark.parametrize("text", ["qu'est-ce que c'est la Cité ?", "ce que vous proposez aux PME",
                                  "En quelle année la Cité a-t-elle ouvert ?",
                                  "En fait on est une PME de 40 salariés et on cherche à recruter des alternants",
                                  "Où en est le projet de campus numérique annoncé à Montpellier ?",
                                  "Qui a signé la convention entre la Région Grand Est et Syntec Numérique ?",
                                  "Et le campus lui-même, comment se veut-il ?",  # the pronoun is the campus
                                  "Depuis quand les premières études sur le projet ont-elles été lancées ?",
                                  "où se trouve la Cité ?", "c'est quoi le numérique responsable ?",
                                  "Qui a lancé le campus de Charbonnières ?", "quand a lieu un atelier sur la data ?",
                                  "autre chose : c quoi l'exploratoire des metiers ?",
                                  "vs avez des ateliers pr les etudiants ?", "les stages sont rémunérés ?",
                                  "je peux fermer le chat ?",
                                  "Est-ce qu'il existe des formations en cybersécurité pour les demandeurs d'emploi ?",
                                  "Est-ce qu'il est possible de visiter le campus numérique le samedi matin ?",
                                  "Mon fils de 16 ans cherche un stage, est-ce qu'il peut s'inscrire ?",
                                  "Y a-t-il des ateliers sur la cybersécurité à Toulouse pour les dirigeants ?",
                                  "Est-ce qu'il y avait des entreprises du bâtiment au forum de Montpellier ?"])
def test_questions_not_pointing_back(text: str) -> None:
    assert not points_back(text)


def test_a_demonstrative_naming_what_the_last_answer_did_not_points_elsewhere() -> None:
    committee = "Le comité stratégique comptait aussi des organismes : Digital 113, le Medef et l'UIMM."
    assert points_elsewhere("Où et quand cette convention tripartite a-t-elle été signée ?", committee)
    assert not points_elsewhere("Quels organismes siègent dans ce comité ?", committee)
    assert not points_elsewhere("Qui porte ce projet ?", committee)  # a word for whatever was said
    assert not points_elsewhere("et c'est payant ?", committee)  # no demonstrative


def test_subject_keeps_the_words_that_name_the_thing() -> None:
    assert subject_of("C'est quoi l'Académie IBM ?") == "Académie IBM"
    assert subject_of("Vous pouvez me parler du campus numérique de Charbonnières ?") == (
        "campus numérique Charbonnières")
    assert subject_of("c'est quoi ?") == ""
    assert subject_of("un pote m'a parlé d'un campus numérique à Charbonnières") == "campus numérique Charbonnières"
    assert subject_of("coucou pk la region a voulu creer cette cite a la base ?") == "region voulu creer cite base"
    assert subject_of("Je dirige une PME de 60 salariés à Montpellier. Quels organismes siègent au comité "
                      "stratégique ?") == "organismes siègent comité stratégique"  # the question, not the context
    assert subject_of("Je suis au chômage à Lyon. Vous pouvez m'aider ?") == "chômage Lyon aider"
    assert subject_of("On m'a parlé d'un campus numérique. Dans quelle commune doit-il s'installer ?") == (
        "campus numérique commune doit-il installer")  # the question points back at the sentence before it
    assert subject_of("J'ai vu que la Cité s'appuyait sur un comité stratégique. À quoi sert-il exactement ?") == (
        "vu Cité appuyait comité stratégique sert-il")  # a question naming nothing of its own points back too
    assert subject_of("Nous cherchons des élus. La Région Grand Est prévoit-elle des rencontres ?") == (
        "Région Grand prévoit-elle rencontres")  # it names its own subject (« est » is a stop word)


def test_the_asked_part_of_a_long_message() -> None:
    context = "Je dirige une ESN de 30 personnes. On m'a parlé de l'Académie IBM. "
    assert asked_part(f"{context}À combien s'élève son soutien ?") == (
        "On m'a parlé de l'Académie IBM. À combien s'élève son soutien ?")
    assert asked_part("On m'a parlé de l'Académie IBM. Elle dure combien ?") == (
        "On m'a parlé de l'Académie IBM. Elle dure combien ?")  # two sentences: the message
    assert asked_part(f"{context}Merci.") == f"{context}Merci."  # no question


def test_the_subject_a_question_shares_with_its_answer() -> None:
    answer = "Plus de 120 entrepreneurs ont participé au forum de la Cité le 5 novembre 2018."
    assert shared_subject("assistante BTP peur poste disparaisse forum cite", answer) == "forum cite"
    assert shared_subject("campus numérique", answer) == "campus numérique"  # short: the whole subject
    assert shared_subject("métiers du numérique responsable pour les jeunes", answer) == (
        "métiers du numérique responsable pour les jeunes")  # long, but none of it said: the whole subject


def test_with_subject() -> None:
    assert with_subject("et c'est payant ?", "Académie IBM") == "et c'est payant ? (Académie IBM)"
    assert with_subject("et c'est payant ?", None) == "et c'est payant ?"


def test_the_sentences_of_an_answer_naming_what_a_follow_up_asks() -> None:
    answer = ("Syntec Numérique comptait 2 000 entreprises adhérentes. Le secteur progressait de 4,2 % en 2019. "
              "Il emploie 474 000 personnes.")
    assert sentences_naming("Et il progresse vite ?", answer) == ["Le secteur progressait de 4,2 % en 2019."]
    assert sentences_naming("et pour les lycéens ?", answer) == []
    assert sentences_naming("c'était quand ?", answer) == ["Le secteur progressait de 4,2 % en 2019."]  # a date
    consultation = ("La consultation s'est tenue entre août et septembre 2018. Sur 800 répondants, 600 souhaitaient "
                    "prendre part au projet. Les résultats ont été présentés le 5 novembre 2018.")
    assert sentences_naming("et ya cb qui veulent participer ?", consultation) == [  # a count, no date
        "Sur 800 répondants, 600 souhaitaient prendre part au projet."]
    assert sentences_naming("et pour les lycéens, c'est combien ?", answer) == []  # a public of its own
    opening = ("La Cité a tenu son premier événement le 9 septembre. Michaël Delafosse était aux côtés de Carole "
               "Delga pour l'inauguration.")
    assert sentences_naming("par qui ?", opening) == [  # a person
        "Michaël Delafosse était aux côtés de Carole Delga pour l'inauguration."]
    forum = "Selon Guillaume Héritier, le Groupe Nicollin doit former ses chauffeurs."
    assert sentences_naming("Et pour IBM, qui avait pris la parole ?", forum) == []  # someone else's turn
    committee = ("Le comité stratégique réunit 34 membres publics et privés. Plusieurs organismes y siègent : le "
                 "Medef et l'UIMM. Des membres de l'université y siègent aussi.")
    assert sentences_naming("Combien de membres compte-t-il ?", committee) == [  # the attribute, with a figure
        "Le comité stratégique réunit 34 membres publics et privés."]
    assert sentences_naming("ça concerne quel public ?", committee) == []  # « publics » holds no public
    group = "Le Groupe Nicollin veut former ses chauffeurs. Le groupe emploie 5 800 personnes."
    assert sentences_naming("Et ce groupe, il emploie combien de personnes ?", group) == [  # « ce groupe » points
        "Le groupe emploie 5 800 personnes."]


def test_the_sentences_stating_the_attribute_a_follow_up_asks_for() -> None:
    committee = ("La Cité s'appuyait sur un comité stratégique de 34 membres publics et privés. On y trouvait des "
                 "entreprises (IBM, Atos) et 6 organismes.")
    assert sentences_stating("Combien de membres compte-t-il ?", committee) == [
        "La Cité s'appuyait sur un comité stratégique de 34 membres publics et privés."]
    assert sentences_stating("et ya cb de places ?", committee) == []  # no sentence names places
    assert sentences_stating("Qui en fait partie ?", committee) == []  # not an attribute alone


def test_a_follow_up_adds_nothing_when_the_same_answer_leaves_its_words_unsaid() -> None:
    answer = "La convention a été signée en 2017 par la Région Grand Est et Syntec Numérique."
    assert adds_nothing("et pour les lycéens ?", answer, answer)
    assert not adds_nothing("et pour les lycéens ?", answer, "Une autre réponse.")
    assert not adds_nothing("et pour les lycéens ?", answer, None)
    assert not adds_nothing("c'était quand ?", answer, answer)  # only « when »: the answer holds a date
    assert adds_nothing("et ca dure cb de tps ?", answer, answer)  # but no duration
    assert not adds_nothing("et pour la Région ?", answer, answer)  # named, and said
    longer = f"{answer} Elle vise trois priorités."
    recalled = "Comme je vous le disais : « Elle vise trois priorités. »"
    assert adds_nothing("et pour les lycéens ?", longer, recalled)  # part of it said again just before
    assert not adds_nothing("et pour les lycéens ?", longer, "Comme je vous le disais : « Autre chose. »")
    address = "La Cité est installée dans le quartier Odysseum, à Montpellier."
    assert adds_nothing("Elle fait quelle surface ?", address, address)  # the attribute asked, unsaid
    assert not adds_nothing("Et le quartier ?", address, address)  # said
    nege = "Le dispositif NEGE doit faciliter les transitions professionnelles."
    assert not adds_nothing("il sappelle comment deja", nege, nege)  # its name: any answer naming it
    apart = f"Elle vise trois priorités. {answer} Elle dure trois ans."  # two sentences recalled, not side by side
    assert adds_nothing("et pour les lycéens ?", f"{apart} (démo)",
                        "Comme je vous le disais : « Elle vise trois priorités. Elle dure trois ans. » (démo)")


@pytest.mark.parametrize("text, expected", [
    ("Nous avons cinq boulangeries autour de Grenoble. J'aimerais être rappelé par un conseiller.", True),
    ("rappelez-moi demain matin svp", True),
    ("vous pouvez me rappeler ?", True),
    ("je voudrais qu'un conseiller me recontacte", True),
    ("rappelez-moi à 14h", True),
    ("rappelez-moi vos horaires", False),  # reminded of something, not called
    ("pouvez-vous me rappeler le nom de l'incubateur ?", False),
    ("comment s'appelle le campus ?", False),
    ("quels ateliers sur l'IA ?", False),
])
def test_requests_to_be_called_back(text: str, expected: bool) -> None:
    assert asks_for_callback(text) is expected


def test_an_answer_names_what_a_follow_up_asks() -> None:
    priorities = "La deuxième priorité de la convention est de développer les compétences."
    assert names_what_is_asked("et la deuxième, elle consiste en quoi ?", priorities)
    assert not names_what_is_asked("et pour les lycéens ?", priorities)
    assert names_what_is_asked("et c'est payant ?", priorities)  # it names nothing but what it points at


def test_asking_how_many_came_may_get_the_same_answer_again() -> None:
    forum = "Le 5 novembre 2018, un forum a réuni près de 200 partenaires."
    assert not adds_nothing("Il y avait beaucoup de monde ?", forum, forum)
    assert adds_nothing("et pour les lycéens ?", forum, forum)


def test_asking_the_way_in() -> None:
    assert asks_way_in("comment y arriver ?") and asks_way_in("et quelle formation pour ça ?")
    assert not asks_way_in("comment y aller ?") and not asks_way_in("c'est quoi un data scientist ?")


@pytest.mark.parametrize("text", ["oui moi aussi", "je suis étudiant aussi", "merci à vous aussi"])
def test_agreeing_is_no_follow_up(text: str) -> None:
    assert not is_follow_up(text)


@pytest.mark.parametrize("text, expected", [
    ("Quelle fonction occupe-t-il ?", True), ("elle fait koi elle", True), ("c'est qui elle ?", True),
    ("Quel poste occupe-t-il dans le groupe ?", True), ("elle fait quoi comme job elle", True),
    ("Quelle fonction occupe-t-il exactement dans ce groupe ?", True),
    ("et il y a du boulot ?", False),  # « il y a »: no one
    ("ce dispositif il fait quoi ?", False),  # names something else
    ("Quelle fonction ?", False),  # points at no one
    ("Il devait ouvrir quand ?", False),  # asks no role
    ("et il y avait qui d'autre ?", False),  # someone else
])
def test_a_question_on_what_someone_does(text: str, expected: bool) -> None:
    assert asks_role(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("et moi je pourrais faire quel métier ?", True), ("quels métiers il y a dans le numérique ?", True),
    ("Quel poste occupe-t-il dans le groupe ?", False),  # what someone just named does
    ("ils ont fait cmt pr les trouver", False), ("On lui a opposé une critique sur l'emplacement, laquelle ?", False),
])
def test_speaking_of_oneself_or_of_jobs(text: str, expected: bool) -> None:
    assert about_oneself_or_jobs(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("Très bien, merci. Je souhaiterais parler à un conseiller pour étudier un éventuel partenariat.", True),
    ("Puis-je m'entretenir avec un membre de l'équipe pour ma thèse ?", True),
    ("jpeux parler a une vraie personne ?", True), ("je veux parler à quelqu'un", True),
    ("la conseillère régionale a parlé de quoi ?", False), ("il faut parler anglais ?", False),
    ("on peut parler à un métier ?", False), ("Faut-il rencontrer un conseiller pour s'inscrire ?", False),
    ("Pour l'inscription, il faut contacter quelqu'un ou c'est en ligne ?", False),  # how things are done
    ("je voudrais parler a qqn", True),
    ("Merci. Pouvez-vous me mettre en relation avec un conseiller ?", True),
    ("pourriez-vous me mettre en contact avec une personne de l'équipe ?", True),
    ("Pouvez-vous me parler de l'Académie IBM ?", False),
    ("Merci. Serait-il possible d'échanger avec un conseiller sur notre projet de formation ?", True),
])
def test_a_wish_to_talk_to_a_person(text: str, expected: bool) -> None:
    assert asks_for_human(text) is expected


def test_roles_said_again_after_an_answer_naming_several_people() -> None:
    answer = ("Etienne Blanc est vice-président de la Région, chargé des Finances. Juliette Jarry est vice-présidente "
              "de la Région, chargée du numérique. Le campus est un projet phare. Etienne Blanc et Juliette Jarry "
              "l'ont présenté.")
    assert roles_said("et elle, elle est chargée de quoi ?", answer) == [
        "Etienne Blanc est vice-président de la Région, chargé des Finances.",
        "Juliette Jarry est vice-présidente de la Région, chargée du numérique."]
    assert roles_said("et ça coûte combien ?", answer) == []  # no role asked
    assert roles_said("et elle, elle est chargée de quoi ?", "Juliette Jarry est vice-présidente.") == []  # one person
