"""The Rasa project, by where it runs.

- `data/` (training data), `tests/` (conversation tests), `models/` (trained, not committed);
- `engine/`: imported by the Rasa server (`.venv-rasa`, Python 3.10);
- `actions/` and `action_server.py`: the action server (`.venv`, Python 3.11);
- `lookups.py`: lookup tables generated from the store before training (`.venv`).
"""
