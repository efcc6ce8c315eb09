"""The bot's light markdown as Telegram HTML, long texts split, button payloads, settings."""

from __future__ import annotations

import pytest

from channels.telegram_bridge import ConfigError, RecentIds, Settings, file_url
from channels.telegram_format import MAX_CALLBACK_BYTES, PayloadTable, render, split_text, to_html


def test_everything_but_the_markdown_is_escaped() -> None:
    assert to_html("<script>alert('x')</script> & <b>gras</b>") == (
        "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt;")


def test_bold_links_and_bullets() -> None:
    text = ("Voici **2 ateliers** :\n- [IA & PME](https://example.fr/a?x=1&y=\"2\") : jeu. 26 nov.\n"
            "- **Cyber <sécurité>** : en ligne\nFin - sans puce")
    assert to_html(text) == (
        "Voici <b>2 ateliers</b> :\n"
        '• <a href="https://example.fr/a?x=1&amp;y=&quot;2&quot;">IA &amp; PME</a> : jeu. 26 nov.\n'
        "• <b>Cyber &lt;sécurité&gt;</b> : en ligne\nFin - sans puce")


def test_links_only_to_web_mail_and_phone() -> None:
    assert to_html("[écrire](mailto:contact@cite.fr)") == '<a href="mailto:contact@cite.fr">écrire</a>'
    assert to_html("[piège](javascript:alert)") == "piège"


def test_unclosed_markdown_stays_text() -> None:
    assert to_html("**gras\nsuite**") == "**gras\nsuite**"
    assert to_html("[lien](https://example.fr") == "[lien](https://example.fr"


def test_short_texts_are_not_split() -> None:
    assert split_text("Bonjour !\n- un\n- deux") == ["Bonjour !\n- un\n- deux"]


def test_long_texts_are_split_between_lines() -> None:
    lines = [f"- ligne {i:03d} " + "x" * 87 for i in range(120)]  # 99 characters: 40 lines a message
    chunks = split_text("\n".join(lines), limit=4096)
    assert len(chunks) == 3
    assert all(len(chunk) <= 4096 for chunk in chunks)
    assert "\n".join(chunks).split("\n") == lines


def test_a_line_too_long_is_cut_between_words() -> None:
    line = " ".join(["mot"] * 2000)
    chunks = split_text(f"Début\n{line}\nFin", limit=4096)
    assert all(len(chunk) <= 4096 for chunk in chunks)
    assert chunks[0] == "Début" and chunks[-1].endswith("Fin")
    assert "".join(chunks[1:]).replace("Fin", "").replace("\n", "").split() == ["mot"] * 2000


def test_render_puts_the_keyboard_on_the_last_part() -> None:
    message = {"text": "\n".join(["ligne " + "y" * 93] * 80),
               "buttons": [{"title": "Ateliers à venir", "payload": "/ask_workshops"}]}
    parts = render(message, PayloadTable())
    assert len(parts) == 2
    assert parts[0][1] is None
    keyboard = parts[1][1]
    assert keyboard is not None
    assert [[b.text, b.callback_data] for row in keyboard.inline_keyboard for b in row] == [
        ["Ateliers à venir", "/ask_workshops"]]


def test_buttons_without_text_get_a_question() -> None:
    [(text, keyboard)] = render({"buttons": [{"title": "Oui", "payload": "/affirm"}]}, PayloadTable())
    assert text == "Que souhaitez-vous faire ?" and keyboard is not None


def test_long_payloads_get_short_keys() -> None:
    table = PayloadTable(size=2)
    long_payload = '/inform{"audience": "demandeur d\'emploi", "topic": "intelligence artificielle"}'
    assert len(long_payload.encode()) > MAX_CALLBACK_BYTES
    key = table.callback_data(long_payload)
    assert len(key.encode()) <= MAX_CALLBACK_BYTES
    assert table.callback_data(long_payload) == key
    assert table.payload(key) == long_payload
    assert table.callback_data("/greet") == "/greet" and table.payload("/greet") == "/greet"


def test_the_payload_table_is_bounded() -> None:
    table = PayloadTable(size=2)
    keys = [table.callback_data(f"/inform{{\"job\": \"{i} {'x' * 70}\"}}") for i in range(3)]
    assert table.payload(keys[0]) is None
    assert table.payload(keys[2]) is not None


def test_recent_ids_are_bounded() -> None:
    seen = RecentIds(size=2)
    assert seen.add(1) and seen.add(2) and not seen.add(2)
    assert seen.add(3) and seen.add(1)


def test_settings_defaults() -> None:
    settings = Settings.from_env({"TELEGRAM_TOKEN": "t"})
    assert (settings.mode, settings.rasa_url, settings.listen, settings.port) == (
        "polling", "http://127.0.0.1:5005", "127.0.0.1", 8443)


@pytest.mark.parametrize("env, message", [
    ({}, "TELEGRAM_TOKEN"),
    ({"TELEGRAM_TOKEN": "t", "TELEGRAM_MODE": "push"}, "TELEGRAM_MODE"),
    ({"TELEGRAM_TOKEN": "t", "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_SECRET": "s"}, "TELEGRAM_WEBHOOK_URL"),
    ({"TELEGRAM_TOKEN": "t", "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_URL": "https://x.fr/tg"},
     "TELEGRAM_WEBHOOK_SECRET"),
    ({"TELEGRAM_TOKEN": "t", "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_URL": "https://x.fr/tg",
      "TELEGRAM_WEBHOOK_SECRET": "pas de espaces"}, "TELEGRAM_WEBHOOK_SECRET"),
    ({"TELEGRAM_TOKEN": "t", "TELEGRAM_WEBHOOK_PORT": "huit"}, "TELEGRAM_WEBHOOK_PORT"),
])
def test_settings_errors_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


def test_file_url_sits_next_to_the_api_url() -> None:
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
