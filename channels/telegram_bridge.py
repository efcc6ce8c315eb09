"""Telegram bridge: Telegram updates to the Rasa server's REST webhook, the bot's answers back to the chat.

`python -m channels.telegram_bridge`, started by runner/stack.py when TELEGRAM_TOKEN is set.
Settings come from the environment (see `Settings.from_env`). Message texts are never logged at INFO.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from sqlalchemy.exc import SQLAlchemyError
from telegram import CallbackQuery, ForceReply, LinkPreviewOptions, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from channels import feedback
from channels.forget import forget_conversation
from channels.rasa_client import BotMessage, RasaClient, RasaUnavailable
from channels.telegram_format import FEEDBACK_DATA, PayloadTable, feedback_keyboard, render
from channels.texts import (
    ALREADY_VOTED,
    APOLOGY,
    ASK_FEEDBACK,
    CANNOT_RATE,
    FEEDBACK_FAILED,
    FORGET_FAILED,
    THANKS,
    THANKS_COMMENT,
    WHAT_WAS_MISSING,
)
from knowledge import turn_log
from knowledge.turn_log import Vote

logger = logging.getLogger("channels.telegram_bridge")

HELP = ("Je suis Odyssée, l'assistante de la Cité de l'économie et des métiers de demain. "
        "Écrivez-moi votre question avec vos mots, comme à un conseiller, ou touchez l'un des boutons.\n\n"
        "**Commandes**\n"
        "- /start : afficher l'accueil et le menu\n"
        "- /aide : revoir cette aide\n"
        "- /oubli : effacer notre conversation")
FORGOTTEN = ("C'est fait : j'ai effacé notre conversation de ma mémoire. Les messages restent affichés dans "
             "Telegram ; vous pouvez les supprimer de votre côté si vous le souhaitez. "
             "Pour recommencer, tapez /start.")
NOT_TEXT = ("Merci ! Je ne sais lire que les messages écrits : pouvez-vous m'envoyer votre question "
            "en quelques mots ?")
UNKNOWN_COMMAND = "Je ne connais pas cette commande. Voici celles que je comprends : /start, /aide et /oubli."
EXPIRED_BUTTON = "Ce bouton n'est plus disponible. Tapez /aide pour retrouver le menu."
ASK_WHAT_WAS_MISSING = f"{WHAT_WAS_MISSING} Répondez à ce message si vous le souhaitez : c'est facultatif."
VOTED = {Vote.RECORDED: THANKS, Vote.ALREADY: ALREADY_VOTED, Vote.UNKNOWN: CANNOT_RATE, Vote.MISSING: CANNOT_RATE}
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
Context = ContextTypes.DEFAULT_TYPE


class ConfigError(Exception):
    """A missing or invalid setting; the message, in French, tells how to fix it."""


@dataclass(frozen=True)
class Settings:
    """The bridge's settings, read from the environment."""

    token: str
    rasa_url: str
    mode: str
    api_base_url: str
    webhook_url: str
    webhook_secret: str
    listen: str
    port: int

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Settings from `env`; ConfigError when something required is missing or invalid."""
        token = env.get("TELEGRAM_TOKEN", "").strip()
        if not token:
            raise ConfigError("TELEGRAM_TOKEN n'est pas défini. Créez un bot avec @BotFather sur Telegram, "
                              "puis relancez avec TELEGRAM_TOKEN=<le jeton donné par BotFather>.")
        mode = env.get("TELEGRAM_MODE", "polling").strip().lower() or "polling"
        if mode not in ("polling", "webhook"):
            raise ConfigError(f"TELEGRAM_MODE doit valoir « polling » ou « webhook » (reçu : « {mode} »).")
        settings = cls(
            token=token,
            rasa_url=env.get("RASA_URL", "http://127.0.0.1:5005"),
            mode=mode,
            api_base_url=env.get("TELEGRAM_API_BASE_URL", "").strip(),
            webhook_url=env.get("TELEGRAM_WEBHOOK_URL", "").strip(),
            webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", "").strip(),
            listen=env.get("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"),
            port=_port(env.get("TELEGRAM_WEBHOOK_PORT", "8443")),
        )
        if mode == "webhook":
            settings.check_webhook()
        return settings

    def check_webhook(self) -> None:
        """The webhook mode needs a public URL and a secret that Telegram sends back with every update."""
        if not self.webhook_url:
            raise ConfigError("Le mode webhook exige TELEGRAM_WEBHOOK_URL : l'adresse publique (https) à laquelle "
                              "Telegram enverra les messages, par exemple https://odyssee.example.fr/telegram.")
        if not SECRET.fullmatch(self.webhook_secret):
            raise ConfigError("Le mode webhook exige TELEGRAM_WEBHOOK_SECRET : 1 à 256 caractères parmi lettres, "
                              "chiffres, _ et -. Sans lui, n'importe qui pourrait envoyer de faux messages au bot. "
                              "Par exemple : TELEGRAM_WEBHOOK_SECRET=$(openssl rand -hex 32)")


def _port(value: str) -> int:
    if not value.strip().isdigit() or not 0 < int(value) < 65536:
        raise ConfigError(f"TELEGRAM_WEBHOOK_PORT doit être un numéro de port entre 1 et 65535 (reçu : « {value} »).")
    return int(value)


def file_url(base_url: str) -> str:
    """The file download URL next to a Bot API URL: http://host:8081/bot -> http://host:8081/file/bot."""
    head, _, last = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{last}"


def sender_id(chat_id: int) -> str:
    """The Rasa conversation of a Telegram chat."""
    return f"tg-{chat_id}"


class RecentIds:
    """The last `size` update ids seen, so that an update delivered twice is handled once."""

    def __init__(self, size: int = 1000) -> None:
        self.size = size
        self._ids: OrderedDict[int, None] = OrderedDict()

    def add(self, update_id: int) -> bool:
        """Remember `update_id`; False if it was already there."""
        if update_id in self._ids:
            return False
        self._ids[update_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True


class AwaitedComments:
    """The « Qu'est-ce qui manquait ? » messages still awaiting a reply: (chat, message) -> the answer's turn."""

    def __init__(self, size: int = 1000) -> None:
        self.size = size
        self._turns: OrderedDict[tuple[int, int], str] = OrderedDict()

    def expect(self, chat_id: int, message_id: int, turn: str) -> None:
        self._turns[(chat_id, message_id)] = turn
        if len(self._turns) > self.size:
            self._turns.popitem(last=False)

    def take(self, chat_id: int, message_id: int) -> str | None:
        """The turn a reply to `message_id` comments on, once; None when it is no such reply."""
        return self._turns.pop((chat_id, message_id), None)


class Bridge:
    """The handlers: each update goes to Rasa, each of the bot's messages comes back to the chat."""

    def __init__(self, rasa: RasaClient) -> None:
        self.rasa = rasa
        self.payloads = PayloadTable()
        self.seen = RecentIds()
        self.comments = AwaitedComments()

    def register(self, application: Application) -> None:
        """Add the handlers, the duplicate filter (group -1) and the error handler to `application`."""
        application.add_handler(TypeHandler(Update, self.drop_duplicates), group=-1)
        application.add_handler(CommandHandler("start", self.start))
        application.add_handler(CommandHandler(["aide", "help"], self.help))
        application.add_handler(CommandHandler("oubli", self.forget))
        application.add_handler(MessageHandler(filters.COMMAND, self.unknown_command))
        application.add_handler(MessageHandler(filters.TEXT, self.text))
        application.add_handler(CallbackQueryHandler(self.button))
        application.add_handler(MessageHandler(filters.ATTACHMENT, self.not_text))
        application.add_error_handler(self.apologize)

    async def drop_duplicates(self, update: Update, _: Context) -> None:
        """Stop an update already handled (Telegram may deliver one twice)."""
        if not self.seen.add(update.update_id):
            logger.info("duplicate update %s ignored", update.update_id)
            raise ApplicationHandlerStop

    async def start(self, update: Update, context: Context) -> None:
        """/start: the bot's greeting and menu."""
        await self.ask_rasa(update, context, "/greet")

    async def help(self, update: Update, context: Context) -> None:
        """/aide: what the bot does, its commands, then its menu."""
        await self.reply(update, context, [{"text": HELP}])
        await self.ask_rasa(update, context, "/ask_capabilities")

    async def forget(self, update: Update, context: Context) -> None:
        """/oubli: erase the chat's conversation from the tracker store, then say so."""
        if update.effective_chat:
            try:
                deleted = await asyncio.to_thread(forget_conversation, sender_id(update.effective_chat.id))
            except (SQLAlchemyError, RuntimeError):
                logger.exception("could not erase a conversation")  # no chat id: it names the person
                await self.reply(update, context, [{"text": FORGET_FAILED}])
                return
            logger.info("a conversation was erased (%d events)", deleted)
            await self.reply(update, context, [{"text": FORGOTTEN}])

    async def text(self, update: Update, context: Context) -> None:
        """A text message: the bot's answer; a reply to « Qu'est-ce qui manquait ? » is the comment of a 👎."""
        message = update.effective_message
        if not message or not message.text:
            return
        replied = message.reply_to_message
        turn = self.comments.take(message.chat_id, replied.message_id) if replied else None
        if turn is None:
            await self.ask_rasa(update, context, message.text)
            return
        try:
            await asyncio.to_thread(turn_log.add_comment, turn, sender_id(message.chat_id), message.text)
        except SQLAlchemyError:
            logger.exception("could not store a comment")
            await self.reply(update, context, [{"text": FEEDBACK_FAILED}])
            return
        await self.reply(update, context, [{"text": THANKS_COMMENT}])

    async def button(self, update: Update, context: Context) -> None:
        """A button pressed: acknowledge it, then answer its payload."""
        query = update.callback_query
        if query is None:
            return
        if query.data and (vote := FEEDBACK_DATA.fullmatch(query.data)):
            await self.vote(update, context, query, vote["turn"], vote["useful"] == "1")
            return
        await _acknowledge(query)
        payload = self.payloads.payload(query.data) if query.data else None
        if payload is None:
            await self.reply(update, context, [{"text": EXPIRED_BUTTON}])
        else:
            await self.ask_rasa(update, context, payload)

    async def vote(self, update: Update, context: Context, query: CallbackQuery, turn: str, useful: bool) -> None:
        """👍 or 👎 pressed: store it (once per answer), say thanks in place of the question; after a 👎, ask what
        was missing (a reply to that message is the comment)."""
        if update.effective_chat is None:
            return
        chat_id = update.effective_chat.id
        try:
            result = await asyncio.to_thread(feedback.vote, sender_id(chat_id), turn, useful, "telegram")
        except SQLAlchemyError:
            logger.exception("could not store a vote")
            await _acknowledge(query, FEEDBACK_FAILED)
            return
        await _acknowledge(query)
        try:
            await query.edit_message_text(VOTED[result])
        except BadRequest as error:  # the question was deleted meanwhile: thank in a new message
            logger.info("vote question not edited: %s", error)
            await self.reply(update, context, [{"text": VOTED[result]}])
        if result is Vote.RECORDED and not useful:
            asked = await context.bot.send_message(
                chat_id, ASK_WHAT_WAS_MISSING, parse_mode=ParseMode.HTML,
                reply_markup=ForceReply(input_field_placeholder="Ce qui manquait (facultatif)"))
            self.comments.expect(chat_id, asked.message_id, turn)

    async def not_text(self, update: Update, context: Context) -> None:
        """A sticker, photo, voice message...: only text is understood."""
        await self.reply(update, context, [{"text": NOT_TEXT}])

    async def unknown_command(self, update: Update, context: Context) -> None:
        """A command the bot does not know: the ones it does."""
        await self.reply(update, context, [{"text": UNKNOWN_COMMAND}])

    async def ask_rasa(self, update: Update, context: Context, text: str) -> None:
        """Send `text` to Rasa as the chat's user and post the bot's answers (RasaUnavailable if Rasa is down)."""
        if update.effective_chat is None:
            return
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
        messages = await self.rasa.send(sender=sender_id(update.effective_chat.id), text=text, channel="telegram")
        await self.reply(update, context, messages)

    async def reply(self, update: Update, context: Context, messages: list[BotMessage]) -> None:
        """Post the bot's messages in the update's chat: HTML text, long texts split, buttons on the last part."""
        if update.effective_chat is None:
            return
        for message in messages:
            for text, markup in render(message, self.payloads):
                await context.bot.send_message(update.effective_chat.id, text, parse_mode=ParseMode.HTML,
                                               reply_markup=markup, link_preview_options=NO_PREVIEW)
            if turn := feedback.turn_of(message):  # an answer people may rate
                await context.bot.send_message(update.effective_chat.id, ASK_FEEDBACK, parse_mode=ParseMode.HTML,
                                               reply_markup=feedback_keyboard(turn))

    async def apologize(self, update: object, context: Context) -> None:
        """The error handler: log the failure (never the message) and apologize in the chat, never stay silent."""
        if isinstance(context.error, RasaUnavailable):
            logger.warning("Rasa unavailable: %s", context.error)
        else:
            logger.error("update handling failed", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat:
            try:
                await context.bot.send_message(update.effective_chat.id, APOLOGY)
            except TelegramError as error:
                logger.warning("apology not sent: %s", error)

    async def close(self, _: Application) -> None:
        """Release the connection to Rasa (post_shutdown)."""
        await self.rasa.close()


async def _acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press (Telegram stops its spinner), with a short notice when `text` is given."""
    try:
        await query.answer(text)
    except BadRequest as error:  # too old to acknowledge (e.g. pressed while the bridge was down): answer anyway
        logger.info("button press not acknowledged: %s", error)


def build_application(settings: Settings) -> Application:
    """The python-telegram-bot application, with the bridge's handlers and a rate limiter."""
    bridge = Bridge(RasaClient(settings.rasa_url))
    builder = (Application.builder().token(settings.token).rate_limiter(AIORateLimiter(max_retries=2))
               .concurrent_updates(True).post_shutdown(bridge.close))
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url).base_file_url(file_url(settings.api_base_url))
    application = builder.build()
    bridge.register(application)
    return application


def main() -> int:
    """Run the bridge until interrupted; 2 when the settings are missing or invalid."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines show the bot token in the URL
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as error:
        print(f"Pont Telegram : {error}", file=sys.stderr)
        return 2
    application = build_application(settings)
    if settings.mode == "webhook":
        logger.info("Telegram bridge: webhook on %s:%s, Rasa at %s", settings.listen, settings.port,
                    settings.rasa_url)
        application.run_webhook(listen=settings.listen, port=settings.port,
                                url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                                webhook_url=settings.webhook_url, secret_token=settings.webhook_secret,
                                allowed_updates=ALLOWED_UPDATES)
    else:
        logger.info("Telegram bridge: polling, Rasa at %s", settings.rasa_url)
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
