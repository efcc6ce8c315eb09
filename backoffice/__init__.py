"""The staff back-office: web pages where staff keep the FAQ, the catalogue and the documents right, work through
the inbox of unanswered questions and the callback requests, and see (and undo) every change.

    python -m backoffice --host 127.0.0.1 --port 8090

Server-rendered French pages (aiohttp + aiohttp-jinja2, the framework of the web chat gateway); every store
operation goes through knowledge/ (accounts, editing, inbox, preview), never through SQL here.
"""
