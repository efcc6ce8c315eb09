"""`make run`: check the ports, start the whole assistant and its back-office, print where to reach them, restart a
process that dies (runner/supervise.py), stop everything on Ctrl-C."""

from __future__ import annotations

import os
import signal
import sys
import time

from sqlalchemy.exc import SQLAlchemyError

from runner import logs, preflight
from runner.purge import purge_all
from runner.stack import Stack
from runner.supervise import GaveUp, Supervisor

PURGE_EVERY_S = 24 * 3600
ROTATE_EVERY_S = 60


def main() -> int:
    stack = Stack.from_env()
    if problems := preflight.problems(stack):
        print("\n".join(problems), file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("Démarrage d'Odyssée (le chargement du modèle prend quelques dizaines de secondes)...", flush=True)
    try:
        stack.start()
        stack.wait_ready()
        token = "$RASA_TOKEN" if os.environ.get("RASA_TOKEN") else f"$(cat {stack.var / 'rasa_token'})"
        print(f"""
Odyssée est prête.
  Web chat (site de démonstration) : {stack.web_url}
  Back-office (équipe)  : {stack.admin_url}  (premier compte : python -m knowledge users add EMAIL --role admin)
  API REST     : curl -s {stack.rasa_url}/webhooks/rest/webhook -d '{{"sender":"moi","message":"bonjour"}}'
  Analyse NLU  : curl -s "{stack.rasa_url}/model/parse?token={token}" -d '{{"text":"quels ateliers sur l IA ?"}}'
  Canaux actifs : REST, web chat{", Telegram" if stack.telegram else " (Telegram : définir TELEGRAM_TOKEN)"}
  Journaux : {stack.var / 'logs'}
Ctrl-C pour tout arrêter.""", flush=True)
        os.environ.setdefault("TRACKER_DB_URL", f"sqlite:///{stack.tracker_db}")
        next_purge = next_rotation = 0.0
        supervisor = Supervisor(stack)
        while True:
            if time.monotonic() >= next_rotation:
                logs.rotate(stack.var / "logs")
                next_rotation = time.monotonic() + ROTATE_EVERY_S
            if time.monotonic() >= next_purge:
                try:
                    print(purge_all(), flush=True)
                except (SQLAlchemyError, RuntimeError) as error:  # a store down: try again at the next round
                    print(f"Purge de conservation impossible pour le moment : {error}", flush=True)
                next_purge = time.monotonic() + PURGE_EVERY_S
            for line in supervisor.check():
                print(line, flush=True)
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    except GaveUp as error:
        print(error, file=sys.stderr)
        return 1
    except (RuntimeError, TimeoutError) as error:
        print(f"Échec du démarrage : {error}", file=sys.stderr)
        return 1
    finally:
        print("Arrêt d'Odyssée...", flush=True)
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
