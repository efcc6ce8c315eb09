"""French names of the record types and of their fields, as staff read them on the pages."""

from __future__ import annotations

KINDS = {
    "faq": "FAQ",
    "workshops": "Ateliers et événements",
    "trainings": "Formations",
    "services": "Services",
    "jobs": "Métiers",
}
AUDITED = {**KINDS, "documents": "Documents", "callbacks": "Demandes de rappel", "inbox": "Boîte à questions"}
CATALOGUE = ("workshops", "trainings", "services", "jobs")

FIELDS = {
    "id": "Identifiant (minuscules, chiffres et tirets)",
    "title": "Titre",
    "name": "Nom",
    "kind": "Type (atelier, conférence…)",
    "topics": "Thèmes (un par ligne)",
    "audience": "Public (un par ligne)",
    "start": "Début",
    "end": "Fin",
    "place": "Lieu",
    "city": "Ville",
    "online_url": "Lien en ligne",
    "capacity": "Nombre de places",
    "registration_url": "Lien d'inscription",
    "price_eur": "Prix en euros",
    "summary": "Résumé",
    "provider": "Organisme",
    "jobs": "Métiers visés (identifiants, un par ligne)",
    "format": "Format",
    "duration": "Durée",
    "cost": "Coût",
    "funding": "Financements",
    "prerequisites": "Prérequis",
    "next_start": "Prochaine rentrée",
    "url": "Lien",
    "details": "Détails",
    "needs": "Besoins couverts (un par ligne)",
    "how_to_get": "Comment en bénéficier",
    "contact": "Contact",
    "centre": "Centre (identifiant)",
    "synonyms": "Autres noms (un par ligne)",
    "description": "Description",
    "skills": "Compétences (une par ligne)",
    "sectors": "Secteurs (un par ligne)",
    "outlook": "Perspectives",
    "region": "Région",
    "source": "Source",
    "published": "Publiée",
    "questions": "Formulations",
    "answer": "Réponse",
    "tags": "Étiquettes",
    "cancelled_at": "Annulé le",
    "updated_by": "Modifiée par",
    "demo": "Démonstration",
    "file_name": "Fichier",
    "passages": "Passages",
    "records": "Fiches",
    "handled_at": "Traitée le",
    "question_ids": "Questions (numéros)",
}


def short(name: str) -> str:
    """A field's name without the hint its form label carries: « Thèmes », not « Thèmes (un par ligne) »."""
    return FIELDS.get(name, name).split(" (")[0]
ACTIONS = {
    "create": "création", "update": "modification", "publish": "publication", "unpublish": "retrait",
    "cancel": "annulation", "delete": "suppression", "revert": "retour à une version", "import": "import",
    "dismiss": "questions ignorées", "add_phrasing": "formulation ajoutée depuis la boîte",
    "handled": "rappel traité",
}
