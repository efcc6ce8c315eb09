"""The bot's messages in Telegram's terms: safe HTML, messages of at most 4096 characters, inline keyboards."""

from __future__ import annotations

import hashlib
import html
import re
from collections import OrderedDict

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from channels.rasa_client import BotMessage
from channels.texts import NOT_USEFUL, USEFUL

MAX_MESSAGE_CHARS = 4096
MAX_CALLBACK_BYTES = 64
LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:")  # as the widget's (web/widget/odyssee-chat.js)
# One markup element on one line: [text](url) or **bold**.
INLINE = re.compile(r"\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]+)\)|\*\*(?P<bold>[^\n]+?)\*\*")
Reply = tuple[str, InlineKeyboardMarkup | None]


def _inline(text: str) -> str:
    """One line's links and bold as HTML; every other character escaped."""
    parts: list[str] = []
    position = 0
    for match in INLINE.finditer(text):
        parts.append(html.escape(text[position:match.start()], quote=False))
        if match["bold"] is not None:
            parts.append(f"<b>{_inline(match['bold'])}</b>")
        elif match["url"].lower().startswith(LINK_SCHEMES):
            parts.append(f'<a href="{html.escape(match["url"])}">{html.escape(match["label"], quote=False)}</a>')
        else:
            parts.append(html.escape(match["label"], quote=False))
        position = match.end()
    parts.append(html.escape(text[position:], quote=False))
    return "".join(parts)


def to_html(text: str) -> str:
    """The bot's light markdown (**bold**, [text](url), "- " bullet lines) as Telegram HTML."""
    lines = []
    for line in text.split("\n"):
        bullet = line.startswith("- ")
        lines.append(("• " if bullet else "") + _inline(line[2:] if bullet else line))
    return "\n".join(lines)


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """`text` in chunks of at most `limit` characters, cut between lines (inside a line only if it is too long)."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit) + 1 or limit
            chunks, current = _flush(_flush(chunks, current), line[:cut]), ""
            line = line[cut:]
        if current and len(current) + 1 + len(line) > limit:
            chunks, current = _flush(chunks, current), line
        else:
            current = f"{current}\n{line}" if current else line
    return _flush(chunks, current)


def _flush(chunks: list[str], current: str) -> list[str]:
    return [*chunks, current] if current.strip() else chunks


class PayloadTable:
    """Button payloads as callback data; those over Telegram's 64 bytes get a short key (bounded, oldest dropped)."""

    PREFIX = "~"

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def callback_data(self, payload: str) -> str:
        """What to put in the button: the payload itself, or a short key for it."""
        if len(payload.encode()) <= MAX_CALLBACK_BYTES and not payload.startswith(self.PREFIX):
            return payload
        key = self.PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:20]
        self._payloads[key] = payload
        self._payloads.move_to_end(key)
        while len(self._payloads) > self.size:
            self._payloads.popitem(last=False)
        return key

    def payload(self, data: str) -> str | None:
        """The payload behind a button's callback data; None when its key was forgotten."""
        return self._payloads.get(data) if data.startswith(self.PREFIX) else data


def keyboard(buttons: list[dict[str, str]], payloads: PayloadTable) -> InlineKeyboardMarkup | None:
    """One inline button per row, as the bot's menu reads best on a phone."""
    rows = [[InlineKeyboardButton(b["title"], callback_data=payloads.callback_data(b["payload"]))]
            for b in buttons if b.get("title") and b.get("payload")]
    return InlineKeyboardMarkup(rows) if rows else None


FEEDBACK_DATA = re.compile(r"avis:(?P<turn>[0-9a-f]{32}):(?P<useful>[01])")


def feedback_keyboard(turn: str) -> InlineKeyboardMarkup:
    """👍 / 👎 under « Cette réponse vous a aidé ? », for the answer `turn`."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"👍 {USEFUL}", callback_data=f"avis:{turn}:1"),
                                  InlineKeyboardButton(f"👎 {NOT_USEFUL}", callback_data=f"avis:{turn}:0")]])


def render(message: BotMessage, payloads: PayloadTable) -> list[Reply]:
    """One bot message as Telegram messages (HTML text, keyboard on the last one)."""
    markup = keyboard(message.get("buttons") or [], payloads)
    text = message.get("text") or ("Que souhaitez-vous faire ?" if markup else "")
    chunks = [to_html(chunk) for chunk in split_text(text)]
    return [(chunk, markup if index == len(chunks) - 1 else None) for index, chunk in enumerate(chunks)]
