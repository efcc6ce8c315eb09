"""What the Rasa server imports (engine environment: `.venv-rasa`, Python 3.10, Rasa 3.6, SQLAlchemy 1.4).

Named in `config.yml` (`nlu_components`), `credentials.yml` (`rest_channel`) and the endpoints files
(`tracker_store`); `speedups` is installed by the REST channel. Nothing else of the project imports these
modules: the action server (`bot/actions/`, `bot/action_server.py`) and everything else run in `.venv`.
"""
