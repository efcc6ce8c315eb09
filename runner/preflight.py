"""Checks made before anything starts, each failure told in one French line that says how to fix it.

`python -m runner.preflight` (the first step of `make run`) and `runner.__main__` call `problems()`: a port
the stack needs already taken, or a database file that cannot be one (a folder, a file that cannot be read).
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from channels.telegram_bridge import ConfigError, Settings
from runner.stack import Stack


def port_taken(host: str, port: int) -> bool:
    """Whether another process already listens on `host:port` (binding to it fails)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def busy_ports(stack: Stack) -> list[str]:
    """One message per port of `stack` that is taken, naming the variable that moves it."""
    ports = [("RASA_PORT", stack.rasa_host, stack.rasa_port), ("ACTIONS_PORT", stack.actions_host, stack.actions_port)]
    if stack.web_port:
        ports.insert(0, ("WEB_PORT", stack.host, stack.web_port))
    if stack.admin_port:
        ports.append(("ODYSSEE_ADMIN_PORT", stack.admin_host, stack.admin_port))
    if stack.telegram:
        settings = Settings.from_env(os.environ)  # ConfigError, in French, when a setting is wrong
        if settings.mode == "webhook":
            ports.append(("TELEGRAM_WEBHOOK_PORT", settings.listen, settings.port))
    return [f"Le port {port} est déjà utilisé par un autre programme : arrêtez-le, ou choisissez un autre port, "
            f"par exemple {variable}={port + 1} make run." for variable, host, port in ports if port_taken(host, port)]


def unusable_file(path: Path, variable: str) -> str | None:
    """Why the SQLite file `path` cannot hold a database, or None when it can."""
    if path.exists() and not path.is_file():
        return f"{path} n'est pas un fichier de base de données (c'est un dossier) : corrigez {variable}."
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return (f"Le fichier de base de données {path} n'est pas accessible en lecture et écriture : "
                "corrigez ses droits.")
    folder = next(p for p in (path.parent, *path.parent.parents) if p.exists())
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        return f"Impossible de créer {path} : le dossier {folder} n'est pas accessible en écriture ({variable})."
    return None


def sqlite_files(stack: Stack) -> list[tuple[Path, str]]:
    """The SQLite files the stack will open, with the variable that names each."""
    files = [(stack.tracker_db, "le dossier var/")]
    url = os.environ.get("KNOWLEDGE_DB_URL", "")
    if url.startswith("sqlite:///"):
        files.append((Path(url.removeprefix("sqlite:///")), "KNOWLEDGE_DB_URL"))
    return files


def problems(stack: Stack) -> list[str]:
    """Everything that would make the start fail, in French; empty when all is ready."""
    files = [message for path, variable in sqlite_files(stack) if (message := unusable_file(path, variable))]
    try:
        return busy_ports(stack) + files
    except ConfigError as error:
        return [str(error), *files]


def main() -> int:
    found = problems(Stack.from_env())
    for message in found:
        print(message, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
