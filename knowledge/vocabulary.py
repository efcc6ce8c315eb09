"""Canonical vocabulary shared by the store, its queries and the generated NLU lookups.

Each canonical value maps to the variants users type. Variants are compared after
normalisation (lower case, no accents), so "IA", "ia" and "I.A" all meet "intelligence artificielle".
"""

TOPICS: dict[str, list[str]] = {
    "intelligence artificielle": ["ia", "i.a", "i.a.", "ai", "machine learning", "apprentissage automatique",
                                  "deep learning", "ia generative", "chatgpt", "intelligence artificiel"],
    "cybersécurité": ["cyber", "cybersecu", "cyber securite", "securite informatique", "sécurité numérique",
                      "cyberattaque", "rgpd", "protection des donnees"],
    "data": ["donnees", "données", "big data", "data science", "analyse de donnees", "datas"],
    "e-commerce": ["ecommerce", "e commerce", "vente en ligne", "boutique en ligne", "site marchand",
                   "commerce en ligne", "marketplace"],
    "transformation numérique": ["transformation digitale", "transfo numerique", "digitalisation",
                                 "numerisation", "transition numerique", "transfo digitale"],
    "robotique": ["robots", "robot", "automatisation", "rpa", "cobotique"],
    "recrutement": ["recruter", "embauche", "embaucher", "talents", "trouver des salaries"],
    "marketing digital": ["marketing numerique", "reseaux sociaux", "community management", "seo",
                          "referencement", "webmarketing"],
    "cloud": ["cloud computing", "informatique en nuage", "cloud de confiance", "hebergement"],
    "blockchain": ["chaine de blocs", "crypto", "web3"],
    "objets connectés": ["iot", "internet des objets", "objet connecte", "capteurs"],
    "RSE": ["responsabilite societale", "developpement durable", "transition ecologique", "mobilite",
            "impact environnemental", "environnement"],
    "entrepreneuriat": ["creation d'entreprise", "creer mon entreprise", "startup", "start-up",
                        "accelerateur", "incubateur", "business model"],
    "informatique quantique": ["quantique", "calcul quantique"],
    "développement logiciel": ["developpement", "programmation", "coder", "code", "developpement web",
                               "application", "logiciel"],
    "fabrication numérique": ["fab-lab", "fablab", "fab lab", "impression 3d", "prototypage"],
}

SECTORS: dict[str, list[str]] = {
    "industrie": ["industrie manufacturiere", "industrie du futur", "usine", "production", "industriel"],
    "commerce": ["commercant", "magasin", "boutique", "retail", "vente"],
    "artisanat": ["artisan", "artisans", "metiers d'art", "atelier artisanal"],
    "agriculture et agroalimentaire": ["agriculture", "agricole", "exploitation agricole", "agroalimentaire",
                                       "agro-alimentaire", "agro", "bioeconomie"],
    "santé": ["sante", "medical", "medecine", "telemedecine", "hopital", "soin"],
    "tourisme et culture": ["tourisme", "culture", "loisirs", "hotellerie", "restauration"],
    "transport et logistique": ["transport", "logistique", "mobilites", "vehicules autonomes", "livraison"],
    "banque et assurance": ["banque", "assurance", "finance", "bancaire"],
    "automobile": ["auto", "automobiles", "garage", "constructeur automobile"],
    "énergie et environnement": ["energie", "environnement", "dechets", "eau", "proprete"],
    "numérique": ["esn", "informatique", "tech", "logiciel", "agence web", "editeur de logiciels"],
    "services publics": ["collectivite", "administration", "mairie", "service public"],
    "éducation et formation": ["education", "formation", "enseignement", "ecole"],
}

AUDIENCES: dict[str, list[str]] = {
    "entreprise": ["tpe", "pme", "tpe-pme", "eti", "societe", "dirigeant", "chef d'entreprise", "patron",
                   "startup", "start-up", "entrepreneur", "mon entreprise", "artisan", "commercant"],
    "demandeur d'emploi": ["chomeur", "chomage", "sans emploi", "au chomage", "pole emploi",
                           "france travail", "je cherche du travail", "je cherche un emploi"],
    "salarié": ["salarie", "employe", "en poste", "je travaille", "cadre", "ouvrier"],
    "reconversion": ["reconversion professionnelle", "me reconvertir", "changer de metier",
                     "changer de voie", "en reconversion", "transition professionnelle"],
    "étudiant": ["etudiant", "etudiante", "fac", "universite", "alternant", "alternance"],
    "lycéen": ["lyceen", "lyceenne", "lycee", "collegien", "bac", "eleve"],
    "jeune": ["jeunes", "moins de 26 ans", "16-25 ans", "jeune sans diplome", "decrocheur"],
    "citoyen": ["particulier", "grand public", "habitant", "tout public", "citoyens"],
    "collectivité": ["collectivite", "commune", "mairie", "epci", "departement", "elu"],
}

REGIONS: dict[str, str] = {
    "occitanie": "Occitanie",
    "grand-est": "Grand Est",
    "auvergne-rhone-alpes": "Auvergne-Rhône-Alpes",
}

# Short forms users type, expanded (after folding) before names are matched.
ABBREVIATIONS: dict[str, str] = {
    "ia": "intelligence artificielle",
    "ai": "intelligence artificielle",
    "cyber": "cybersecurite",
    "cybersecu": "cybersecurite",
    "dev": "developpeur",
    "devs": "developpeurs",
    "developper": "developpeur",
    "dev web": "developpeur web",
    "secu": "securite",
    "info": "informatique",
    "techno": "technologie",
    "rh": "ressources humaines",
    "iot": "objets connectes",
    "rpa": "robotic process automation automatisation",
    "cm": "community manager",
    "ecommerce": "e commerce",
}
