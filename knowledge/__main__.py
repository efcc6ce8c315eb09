"""Staff command line: `python -m knowledge <command>` (see `--help`)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from knowledge import best_passage, search_faq
from knowledge.accounts import ROLES, add_user, disable_user, list_users
from knowledge.db import database_url, session_scope
from knowledge.documents import delete_document, list_documents
from knowledge.migrate import migrate
from knowledge.models import CallbackRequest, Document, UnansweredQuestion
from knowledge.records_io import MODELS, RecordFileError, export_file, import_files
from knowledge.requests_log import callbacks, mark_callback_handled, purge, retention_days, unanswered
from knowledge.schemas import DEMO_MARK
from knowledge.seed import is_empty, seed


def _ask_json(question: str, limit: int) -> str:
    matches = search_faq(question, limit=limit)
    passage = best_passage(question)
    return json.dumps(
        {"question": question,
         "matches": [{"id": m.id, "score": m.score, "answer": m.answer} for m in matches],
         "passage": passage and {"document": passage.document_id, "score": passage.score,
                                 "sentences": passage.sentences}},
        ensure_ascii=False,
    )


def cmd_ask(args: argparse.Namespace) -> int:
    if args.question != "-":
        print(_ask_json(args.question, args.limit))
        return 0
    for line in sys.stdin:
        if line.strip():
            print(_ask_json(line.strip(), args.limit), flush=True)
    return 0


def cmd_migrate(_: argparse.Namespace) -> int:
    migrate()
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    demo_only = args.if_empty and not is_empty()
    with tempfile.TemporaryDirectory() as workdir:
        counts = seed(Path(workdir), demo_only=demo_only)
    what = "données de démonstration redatées" if demo_only else "contenu chargé"
    print(f"{what} : " + ", ".join(f"{kind} {n}" for kind, n in counts.items()))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    for path, kind, count in import_files([Path(p) for p in args.files], kind=args.type):
        what = (f"document importé, {count} passage(s)" if kind == "documents"
                else f"{count} enregistrement(s) {kind} importé(s)")
        print(f"{path} : {what}")
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    if args.delete:
        if not delete_document(args.delete):
            print(f"Erreur : aucun document n'a l'identifiant {args.delete!r}.", file=sys.stderr)
            return 2
        print(f"document {args.delete} supprimé")
        return 0
    for d in list_documents():
        flags = DEMO_MARK if d.demo else ""
        print(f"{d.id}\t{d.region or 'toutes régions'}\t{d.passages} passage(s)\t"
              f"{d.imported_at:%Y-%m-%d %H:%M}\t{d.title}{flags}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    for path in args.files:
        kind, count = export_file(Path(path))
        print(f"{path} : {count} enregistrement(s) {kind} exporté(s)")
    return 0


def cmd_stats(_: argparse.Namespace) -> int:
    with session_scope() as s:
        counts = {kind: s.scalar(select(func.count()).select_from(model)) for kind, model in MODELS.items()}
        counts["documents"] = s.scalar(select(func.count()).select_from(Document))
        counts["unanswered"] = s.scalar(select(func.count()).select_from(UnansweredQuestion))
        counts["callbacks"] = s.scalar(select(func.count()).select_from(CallbackRequest))
    print(json.dumps({"database": database_url().split("@")[-1], **counts}, ensure_ascii=False))
    return 0


def cmd_unanswered(args: argparse.Namespace) -> int:
    for item in unanswered(args.limit):
        print(f"{item.asked_at:%Y-%m-%d %H:%M}\t{item.channel}\t{item.text}")
    return 0


def cmd_callbacks(args: argparse.Namespace) -> int:
    if args.handled is not None:
        if not mark_callback_handled(args.handled):
            print(f"Erreur : aucune demande de rappel n'a le numéro {args.handled}.", file=sys.stderr)
            return 2
        print(f"demande {args.handled} notée comme traitée (supprimée après {retention_days()} jours)")
        return 0
    for c in callbacks(pending_only=args.pending):
        state = f"traitée le {c.handled_at:%Y-%m-%d}" if c.handled_at else "à rappeler"
        print(f"{c.id}\t{c.consent_at:%Y-%m-%d %H:%M}\t{c.channel}\t{state}\t{c.contact}\t{c.topic}")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    erased = purge(args.older_than)
    days = retention_days() if args.older_than is None else args.older_than
    print(f"plus de {days} jours : {erased.unanswered} question(s) sans réponse et {erased.callbacks} demande(s) "
          "de rappel traitée(s) supprimée(s)")
    return 0


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Mot de passe (encore) : ") != password:
        raise ValueError("les deux mots de passe diffèrent")
    return password


def cmd_users(args: argparse.Namespace) -> int:
    if args.action == "add":
        try:
            user = add_user(args.email, _new_password(args.password_stdin), args.role)
        except ValueError as error:
            print(f"Erreur : {error}.", file=sys.stderr)
            return 2
        print(f"compte {user.email} créé ({user.role})")
    elif args.action == "disable":
        if not disable_user(args.email):
            print(f"Erreur : aucun compte n'a l'adresse {args.email}.", file=sys.stderr)
            return 2
        print(f"compte {args.email} désactivé, ses sessions sont fermées")
    else:
        for u in list_users():
            print(f"{u.email}\t{u.role}\t{'actif' if u.active else 'désactivé'}")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m knowledge", description="Base de connaissances d'Odyssée.")
    commands = main.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="crée ou met à jour le schéma").set_defaults(run=cmd_migrate)
    seeding = commands.add_parser("seed", help="charge le contenu des documents sources et les démos")
    seeding.add_argument("--if-empty", action="store_true", help="base non vide : seulement redater les démos")
    seeding.set_defaults(run=cmd_seed)
    commands.add_parser("stats", help="nombre d'enregistrements par type").set_defaults(run=cmd_stats)
    importing = commands.add_parser("import", help="importe des fichiers YAML ou CSV (type d'après le nom, ou --type) "
                                                   "et des documents .md, .txt, .html, .pdf")
    importing.add_argument("files", nargs="+", metavar="FILE")
    importing.add_argument("--type", choices=list(MODELS),
                           help="type des enregistrements, quel que soit le nom du fichier")
    importing.set_defaults(run=cmd_import)
    exporting = commands.add_parser("export", help="exporte en YAML ou CSV (type d'après le nom)")
    exporting.add_argument("files", nargs="+", metavar="FILE")
    exporting.set_defaults(run=cmd_export)
    documents = commands.add_parser("documents", help="liste les documents importés ; --delete ID en supprime un")
    documents.add_argument("--delete", metavar="ID")
    documents.set_defaults(run=cmd_documents)
    ask = commands.add_parser("ask", help="meilleures réponses de la FAQ, en JSON ; « - » lit l'entrée standard")
    ask.add_argument("question")
    ask.add_argument("--limit", type=int, default=3)
    ask.set_defaults(run=cmd_ask)
    log = commands.add_parser("unanswered", help="questions restées sans réponse, les plus récentes d'abord")
    log.add_argument("--limit", type=int, default=50)
    log.set_defaults(run=cmd_unanswered)
    calls = commands.add_parser("callbacks", help="demandes de rappel ; --handled N note la N-ième comme traitée")
    calls.add_argument("--pending", action="store_true", help="seulement celles à rappeler")
    calls.add_argument("--handled", type=int, metavar="N")
    calls.set_defaults(run=cmd_callbacks)
    purging = commands.add_parser("purge", help="supprime les données personnelles plus anciennes que la durée de "
                                                "conservation (ODYSSEE_RETENTION_DAYS, 30 jours par défaut)")
    purging.add_argument("--older-than", type=int, metavar="JOURS")
    purging.set_defaults(run=cmd_purge)
    users = commands.add_parser("users", help="comptes du back-office : add, list, disable")
    actions = users.add_subparsers(dest="action", required=True)
    adding = actions.add_parser("add", help="crée un compte (mot de passe demandé deux fois, ou --password-stdin)")
    adding.add_argument("email")
    adding.add_argument("--role", choices=ROLES, required=True)
    adding.add_argument("--password-stdin", action="store_true", help="lit le mot de passe sur l'entrée standard")
    actions.add_parser("list", help="liste les comptes")
    disabling = actions.add_parser("disable", help="désactive un compte et ferme ses sessions")
    disabling.add_argument("email")
    users.set_defaults(run=cmd_users)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except RecordFileError as error:
        print(f"Erreur : {error}. Aucun fichier n'a été importé.", file=sys.stderr)
        return 2
    except OperationalError as error:
        reason = str(error.orig).splitlines()[0] if error.orig else type(error).__name__
        print(f"Erreur : la base de connaissances est injoignable ou illisible ({reason}). "
              "Vérifiez KNOWLEDGE_DB_URL et que la base est démarrée.", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
