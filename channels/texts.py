"""Texts said by more than one process: the web gateway, the Telegram bridge and Rasa's REST channel.

No imports: the Rasa server (engine environment) reads this module too.
"""

APOLOGY = ("Désolée, je rencontre un problème technique et ne peux pas vous répondre pour le moment. "
           "Réessayez dans quelques instants, s'il vous plaît.")
FORGET_FAILED = ("La suppression de votre conversation n'a pas pu aboutir pour le moment. "
                 "Réessayez dans quelques instants, s'il vous plaît.")
