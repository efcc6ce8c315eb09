"""Texts said by more than one process: the web gateway, the Telegram bridge and Rasa's REST channel.

No imports: the Rasa server (engine environment) reads this module too.
"""

APOLOGY = ("Désolée, je rencontre un problème technique et ne peux pas vous répondre pour le moment. "
           "Réessayez dans quelques instants, s'il vous plaît.")
FORGET_FAILED = ("La suppression de votre conversation n'a pas pu aboutir pour le moment. "
                 "Réessayez dans quelques instants, s'il vous plaît.")
ASK_FEEDBACK = "Cette réponse vous a aidé ?"
USEFUL = "Oui, utile"
NOT_USEFUL = "Non, pas utile"
WHAT_WAS_MISSING = "Qu'est-ce qui manquait ?"
THANKS = "Merci pour votre avis !"
THANKS_COMMENT = "Merci, c'est noté : l'équipe s'en servira pour améliorer mes réponses."
ALREADY_VOTED = "Votre avis sur cette réponse est déjà noté. Merci !"
CANNOT_RATE = "Cette réponse ne peut pas (ou plus) recevoir d'avis."
FEEDBACK_FAILED = ("Votre avis n'a pas pu être enregistré pour le moment. "
                   "Réessayez dans quelques instants, s'il vous plaît.")
