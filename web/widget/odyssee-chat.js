/*
 * Odyssée chat widget: embed it with one script tag, no dependency, no build step.
 *
 *   <script src="https://CHAT-SERVER/widget/odyssee-chat.js" data-server="https://CHAT-SERVER"
 *           data-title="Odyssée" data-color="#005a9c" defer></script>
 *
 * data-server: the web chat gateway (empty: the page's own origin); data-title: the assistant's name;
 * data-color: the accent colour (#rrggbb); data-retention-days: days a silent conversation is kept in the
 * browser, as on the server (ODYSSEE_RETENTION_DAYS, 30 by default). Nothing is stored or sent before the
 * visitor opens the chat.
 */
(() => {
  'use strict';

  const script = document.currentScript;
  if (!script || window.OdysseeChat) return;

  const COLOR = /^#[0-9a-f]{6}$/i.test(script.dataset.color || '') ? script.dataset.color : '#005a9c';
  const CONFIG = {
    server: (script.dataset.server || '').replace(/\/+$/, ''),
    title: script.dataset.title || 'Odyssée',
    assets: new URL('.', script.src).href,
  };
  const RETENTION_MS = (Number.parseInt(script.dataset.retentionDays, 10) || 30) * 86400000;
  const STORAGE_KEY = 'odyssee-chat';
  const MAX_HISTORY = 100;
  const TIMEOUT_MS = 45000;
  const GREETING = '/greet';
  const TEXT = {
    open: `Ouvrir la discussion avec ${CONFIG.title}`,
    subtitle: 'Réponses automatiques',
    close: 'Fermer la discussion',
    notice: 'Ne partagez pas de données sensibles (santé, coordonnées bancaires…).',
    log: 'Messages de la conversation',
    label: `Votre message à ${CONFIG.title}`,
    placeholder: 'Écrivez votre question…',
    send: 'Envoyer',
    you: 'Vous',
    typing: `${CONFIG.title} écrit…`,
    replies: 'Réponses suggérées',
    newWindow: ' (nouvelle fenêtre)',
    unreachable: "Je n'arrive pas à joindre le serveur pour le moment. Votre message n'a pas été envoyé : " +
      'vérifiez votre connexion, puis réessayez.',
    retry: 'Réessayer',
    forget: 'Supprimer ma conversation',
    forgetQuestion: 'Supprimer toute cette conversation, dans ce navigateur et sur notre serveur ?',
    forgetConfirm: 'Oui, supprimer',
    forgetCancel: 'Annuler',
    forgotten: 'Votre conversation a bien été supprimée, dans ce navigateur et sur notre serveur.',
    forgetFailed: "La suppression n'a pas abouti : vérifiez votre connexion, puis réessayez.",
    askFeedback: 'Cette réponse vous a aidé ?',
    useful: 'Oui, utile',
    notUseful: 'Non, pas utile',
    missing: "Qu'est-ce qui manquait ?",
    optional: ' (facultatif)',
    sendComment: 'Envoyer',
    skip: 'Passer',
    thanks: 'Merci pour votre avis !',
    thanksComment: "Merci, c'est noté : l'équipe s'en servira pour améliorer mes réponses.",
    feedbackFailed: "Votre avis n'a pas pu être envoyé : vérifiez votre connexion, puis réessayez.",
  };
  const ICONS = {
    chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
    close: 'M6 6l12 12M18 6L6 18',
    send: 'M4 12l16-8-6 16-2-6-8-2z',
    info: 'M12 8v.01M12 11v5M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z',
  };

  // -- colours: text on the accent colour, and accent text on white, both at least 4.5:1 --------

  const luminance = (hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (high + 0.05) / (low + 0.05);
  };
  const DARK = '#1b1f24';
  const ON_COLOR = contrast(COLOR, '#ffffff') >= contrast(COLOR, DARK) ? '#ffffff' : DARK;
  const INK = contrast(COLOR, '#ffffff') >= 4.5 ? COLOR : DARK;

  // -- storage: one localStorage entry, written only once the chat has been opened ----------------

  const storage = {
    load() {
      try {
        const saved = JSON.parse(localStorage.getItem(STORAGE_KEY));
        if (!saved || !Array.isArray(saved.messages)) return null;
        const messages = saved.messages.filter((m) => m && (m.from === 'user' || m.from === 'bot') &&
          typeof m.text === 'string' && !Number.isNaN(Date.parse(m.time)) &&
          (m.turn === undefined || /^[0-9a-f]{32}$/.test(m.turn)));
        const latest = Math.max(0, ...messages.map((m) => Date.parse(m.time)));
        if (messages.length && Date.now() - latest > RETENTION_MS) {
          // Silent for longer than the retention period: the server has deleted it, so does the browser.
          localStorage.removeItem(STORAGE_KEY);
          return null;
        }
        const sender = typeof saved.sender === 'string' ? saved.sender : null;
        return { sender, open: saved.open === true, messages };
      } catch (error) {
        return null;
      }
    },
    save(state) {
      try {
        localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...state, messages: state.messages.slice(-MAX_HISTORY) }));
      } catch (error) {
        // Storage full or blocked: the chat keeps working for this page.
      }
    },
    clear() {
      try {
        localStorage.removeItem(STORAGE_KEY);
      } catch (error) {
        // Nothing was stored.
      }
    },
  };

  const newSender = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  // -- DOM helpers: every text goes in as a text node, never as HTML ------------------------------

  let uid = 0;
  const id = (name) => `ody-${name}-${++uid}`;

  const h = (tag, attributes = {}, ...children) => {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'class') element.className = value;
      else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else element.setAttribute(name, value);
    }
    element.append(...children);
    return element;
  };

  const icon = (name) => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', `ody-icon ody-icon--${name}`);
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', ICONS[name]);
    svg.append(path);
    return svg;
  };

  const clock = (iso) => new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

  // -- safe mini-markdown: **bold**, [text](url), "- " lists, line breaks ---------------------------
  // The same rules as Telegram's (channels/telegram_format.py): links to http(s), mailto: and tel: only;
  // any other link keeps its text alone.

  const INLINE = /\*\*(.+?)\*\*|\[([^\]\n]+)\]\(([^\s()]+)\)/g;
  const LINK_SCHEMES = /^(https?:\/\/|mailto:|tel:)/i;
  const WEB_LINK = /^https?:\/\//i;

  const inline = (text) => {
    const fragment = document.createDocumentFragment();
    const pattern = new RegExp(INLINE.source, 'g');
    let last = 0;
    let match;
    while ((match = pattern.exec(text))) {
      fragment.append(text.slice(last, match.index));
      if (match[1] !== undefined) {
        fragment.append(h('strong', {}, inline(match[1])));
      } else if (!LINK_SCHEMES.test(match[3])) {
        fragment.append(match[2]);
      } else if (WEB_LINK.test(match[3])) {
        fragment.append(h('a', { href: match[3], target: '_blank', rel: 'noopener noreferrer' },
          match[2], h('span', { class: 'ody-sr' }, TEXT.newWindow)));
      } else {
        fragment.append(h('a', { href: match[3] }, match[2]));
      }
      last = pattern.lastIndex;
    }
    fragment.append(text.slice(last));
    return fragment;
  };

  /** French typography: no line break before ? ! : ; » or after «. */
  const nonBreaking = (text) => text.replace(/ ([?!:;»])/g, '\u00a0$1').replace(/« /g, '«\u00a0');

  const markdown = (text) => {
    const fragment = document.createDocumentFragment();
    let list = null;
    let afterText = false;
    for (const line of nonBreaking(text).split('\n')) {
      if (line.startsWith('- ')) {
        if (!list) fragment.append((list = h('ul')));
        list.append(h('li', {}, inline(line.slice(2))));
        afterText = false;
      } else {
        list = null;
        if (afterText) fragment.append(h('br'));
        fragment.append(inline(line));
        afterText = true;
      }
    }
    return fragment;
  };

  // -- the widget ---------------------------------------------------------------------------------

  class Chat {
    constructor() {
      const saved = storage.load();
      this.state = saved || { sender: null, open: false, messages: [] };
      this.persisting = saved !== null;
      this.queue = Promise.resolve();
      this.busy = false;
      this.build();
      this.state.messages.forEach((message, index) => this.log.append(this.render(message, this.isLive(index))));
      if (this.state.open) this.show(false);
    }

    build() {
      const panelId = id('panel');
      const titleId = id('title');
      const inputId = id('input');
      this.root = h('div', { class: 'ody-root', lang: 'fr' });
      this.root.style.setProperty('--ody-color', COLOR);
      this.root.style.setProperty('--ody-on-color', ON_COLOR);
      this.root.style.setProperty('--ody-ink', INK);

      this.launcher = h('button', {
        type: 'button', class: 'ody-launcher', 'aria-label': TEXT.open, 'aria-expanded': 'false',
        'aria-controls': panelId, onclick: () => this.show(true),
      }, icon('chat'), h('span', { class: 'ody-launcher-text' }, CONFIG.title));

      this.log = h('div', {
        class: 'ody-log', role: 'log', 'aria-live': 'polite', 'aria-label': TEXT.log, tabindex: '0',
      });
      this.typing = h('div', { class: 'ody-typing', role: 'status', 'aria-live': 'polite' });
      this.input = h('input', {
        id: inputId, class: 'ody-input', type: 'text', autocomplete: 'off', maxlength: '2000',
        placeholder: TEXT.placeholder,
      });
      this.footer = h('div', { class: 'ody-footer' });
      this.forgetButton = h('button', {
        type: 'button', class: 'ody-link', onclick: () => this.askForget(),
      }, TEXT.forget);
      this.footer.append(this.forgetButton);

      this.panel = h('section', {
        id: panelId, class: 'ody-panel', role: 'dialog', 'aria-labelledby': titleId, hidden: '',
        onkeydown: (event) => {
          if (event.key === 'Escape') this.hide();
        },
      },
      h('div', { class: 'ody-header' },
        h('span', { class: 'ody-avatar', 'aria-hidden': 'true' }, CONFIG.title.charAt(0)),
        h('div', { class: 'ody-heading' },
          h('h2', { id: titleId, class: 'ody-title' }, CONFIG.title),
          h('p', { class: 'ody-subtitle' }, TEXT.subtitle)),
        h('button', {
          type: 'button', class: 'ody-close', 'aria-label': TEXT.close, title: TEXT.close,
          onclick: () => this.hide(),
        }, icon('close'))),
      h('p', { class: 'ody-notice' }, icon('info'), TEXT.notice),
      this.log,
      this.typing,
      h('form', {
        class: 'ody-form',
        onsubmit: (event) => {
          event.preventDefault();
          this.submit();
        },
      },
      h('label', { for: inputId, class: 'ody-sr' }, TEXT.label),
      this.input,
      h('button', { type: 'submit', class: 'ody-send' }, icon('send'), h('span', {}, TEXT.send))),
      this.footer);

      this.root.append(this.launcher, this.panel);
      document.body.append(this.root);
    }

    // -- opening and closing ----------------------------------------------------------------------

    show(byUser) {
      this.panel.hidden = false;
      this.launcher.hidden = true;
      this.launcher.setAttribute('aria-expanded', 'true');
      this.log.scrollTop = this.log.scrollHeight;
      if (!byUser) return;
      this.state.open = true;
      this.persisting = true;
      this.save();
      this.input.focus();
      if (!this.state.messages.length && !this.busy) this.enqueue(() => this.deliver(GREETING, null, false));
    }

    hide() {
      this.cancelForget();
      this.panel.hidden = true;
      this.launcher.hidden = false;
      this.launcher.setAttribute('aria-expanded', 'false');
      this.launcher.focus();
      this.state.open = false;
      this.save();
    }

    save() {
      if (this.persisting) storage.save(this.state);
    }

    // -- messages ---------------------------------------------------------------------------------

    /** Quick replies are live on the bot messages that came after the visitor's last message. */
    isLive(index) {
      const messages = this.state.messages;
      return messages[index].from === 'bot' && !messages.slice(index + 1).some((m) => m.from === 'user');
    }

    render(message, live) {
      const bot = message.from === 'bot';
      const node = h('div', { class: `ody-message ody-message--${message.from}` },
        h('p', { class: 'ody-meta' }, `${bot ? CONFIG.title : TEXT.you} · `,
          h('time', { datetime: message.time }, clock(message.time))),
        h('div', { class: 'ody-bubble' }, bot ? markdown(message.text) : message.text));
      if (bot && message.turn && !message.rated) node.append(this.feedback(message));
      const buttons = live ? message.buttons || [] : [];
      if (buttons.length) {
        node.append(h('div', { class: 'ody-replies', role: 'group', 'aria-label': TEXT.replies },
          ...buttons.map((b) => h('button', {
            type: 'button', class: 'ody-reply',
            onclick: () => {
              this.input.focus();
              this.send(b.payload, b.title, false);
            },
          }, b.title))));
      }
      return node;
    }

    // -- « Cette réponse vous a aidé ? »: one vote per answer, then an optional « Qu'est-ce qui manquait ? » ----

    feedback(message) {
      const questionId = id('feedback');
      const box = h('div', { class: 'ody-feedback', role: 'group', 'aria-labelledby': questionId },
        h('p', { id: questionId }, TEXT.askFeedback));
      const choice = (useful, label, sign) => h('button', {
        type: 'button', class: 'ody-vote', 'aria-label': label, title: label,
        onclick: () => this.vote(message, useful, box),
      }, sign);
      box.append(choice(true, TEXT.useful, '👍'), choice(false, TEXT.notUseful, '👎'));
      return box;
    }

    /** The vote is sent once; the server refusing a second one (409) is thanked the same. */
    async vote(message, useful, box) {
      const buttons = box.querySelectorAll('button');
      buttons.forEach((button) => { button.disabled = true; });
      try {
        await this.request('POST', '/api/feedback', { sender: this.state.sender, turn: message.turn, useful });
      } catch (error) {
        if (error.status !== 409) {
          buttons.forEach((button) => { button.disabled = false; });
          buttons[useful ? 0 : 1].focus();
          this.notice(error.explanation || TEXT.feedbackFailed, 'error');
          return;
        }
      }
      message.rated = true;
      this.save();
      if (useful) this.thank(box, TEXT.thanks);
      else this.askWhatWasMissing(message, box);
    }

    askWhatWasMissing(message, box) {
      const fieldId = id('missing');
      const field = h('input', { id: fieldId, class: 'ody-input ody-comment', type: 'text', maxlength: '1000',
        autocomplete: 'off' });
      const form = h('form', {
        class: 'ody-comment-form',
        onsubmit: async (event) => {
          event.preventDefault();
          const comment = field.value.trim();
          if (!comment) {
            this.thank(box, TEXT.thanks);
            return;
          }
          try {
            await this.request('POST', '/api/feedback', { sender: this.state.sender, turn: message.turn, comment });
            this.thank(box, TEXT.thanksComment);
          } catch (error) {
            if (error.status === 409) this.thank(box, TEXT.thanks);
            else this.notice(error.explanation || TEXT.feedbackFailed, 'error');
          }
        },
      },
      h('label', { for: fieldId }, TEXT.missing, h('span', { class: 'ody-optional' }, TEXT.optional)),
      field,
      h('div', { class: 'ody-comment-actions' },
        h('button', { type: 'submit', class: 'ody-comment-send' }, TEXT.sendComment),
        h('button', { type: 'button', class: 'ody-link', onclick: () => this.thank(box, TEXT.thanks) }, TEXT.skip)));
      box.removeAttribute('aria-labelledby');
      box.setAttribute('aria-label', TEXT.askFeedback);
      box.replaceChildren(form);
      field.focus();
    }

    thank(box, text) {
      const thanks = h('p', { class: 'ody-thanks', tabindex: '-1' }, nonBreaking(text));
      box.replaceChildren(thanks);
      box.setAttribute('role', 'status');
      box.removeAttribute('aria-labelledby');
      box.removeAttribute('aria-label');
      thanks.focus();
    }

    add(message) {
      const full = { ...message, time: new Date().toISOString() };
      this.state.messages.push(full);
      this.save();
      const node = this.render(full, true);
      this.log.append(node);
      return node;
    }

    setReplies(enabled) {
      this.log.querySelectorAll('.ody-reply').forEach((button) => {
        button.disabled = !enabled;
      });
    }

    notice(text, kind, action) {
      const node = h('div', { class: `ody-system ody-system--${kind}` }, h('p', {}, nonBreaking(text)));
      if (action) node.append(h('button', { type: 'button', class: 'ody-retry', onclick: action.run }, action.label));
      this.log.append(node);
      this.log.scrollTop = this.log.scrollHeight;
      return node;
    }

    // -- talking to the server --------------------------------------------------------------------

    async request(method, path, body) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
      try {
        const response = await fetch(CONFIG.server + path, {
          method,
          headers: body ? { 'Content-Type': 'application/json' } : {},
          body: body ? JSON.stringify(body) : undefined,
          credentials: 'omit',
          signal: controller.signal,
        });
        if (!response.ok) {
          const failure = new Error(`HTTP ${response.status}`);
          failure.status = response.status;
          // A refusal the visitor can act on (too many messages) carries the server's French explanation.
          if (response.status === 429) failure.explanation = (await response.json().catch(() => ({}))).error;
          throw failure;
        }
        return await response.json();
      } finally {
        clearTimeout(timer);
      }
    }

    enqueue(job) {
      this.busy = true;
      this.queue = this.queue.then(job).catch(() => {}).then(() => {
        this.busy = false;
      });
    }

    submit() {
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = '';
      this.send(text, text, true);
    }

    send(message, label, typed) {
      this.persisting = true;
      this.setReplies(false);
      this.enqueue(() => this.deliver(message, label, typed));
    }

    /** Post one message; `label` is what the visitor sees (null: nothing), `typed` puts it back on failure. */
    async deliver(message, label, typed) {
      if (this.failure) this.failure.remove();
      this.state.sender = this.state.sender || newSender();
      const mine = label === null ? null : this.add({ from: 'user', text: label });
      this.log.scrollTop = this.log.scrollHeight;
      this.typing.replaceChildren(h('span', { class: 'ody-dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
        TEXT.typing);
      try {
        const reply = await this.request('POST', '/api/messages', { sender: this.state.sender, message });
        this.log.querySelectorAll('.ody-replies').forEach((group) => group.remove());
        const nodes = (reply.messages || []).map((m) => this.add({
          from: 'bot', text: m.text, buttons: m.buttons, ...(m.turn ? { turn: m.turn } : {}),
        }));
        if (nodes.length) this.log.scrollTop = nodes[0].offsetTop - 12;
      } catch (error) {
        this.fail(mine, message, label, typed, error.explanation);
      } finally {
        this.typing.replaceChildren();
      }
    }

    fail(mine, message, label, typed, explanation) {
      if (mine) {
        mine.remove();
        this.state.messages.pop();
        this.save();
      }
      this.setReplies(true);
      if (typed && !this.input.value) this.input.value = label;
      this.failure = this.notice(explanation || TEXT.unreachable, 'error', {
        label: TEXT.retry,
        run: () => {
          if (typed && this.input.value === label) this.input.value = '';
          this.input.focus();
          this.send(message, label, typed);
        },
      });
    }

    // -- "Supprimer ma conversation" --------------------------------------------------------------

    askForget() {
      const questionId = id('forget');
      const cancel = h('button', { type: 'button', class: 'ody-link', onclick: () => this.cancelForget(true) },
        TEXT.forgetCancel);
      this.confirm = h('div', { class: 'ody-confirm', role: 'group', 'aria-labelledby': questionId },
        h('p', { id: questionId }, TEXT.forgetQuestion),
        h('button', {
          type: 'button', class: 'ody-danger',
          onclick: () => {
            this.cancelForget(false);
            this.input.focus();
            this.enqueue(() => this.forget());
          },
        }, TEXT.forgetConfirm),
        cancel);
      this.footer.replaceChildren(this.confirm);
      cancel.focus();
    }

    cancelForget(refocus) {
      if (!this.confirm) return;
      this.confirm = null;
      this.footer.replaceChildren(this.forgetButton);
      if (refocus) this.forgetButton.focus();
    }

    async forget() {
      if (this.failure) this.failure.remove();
      try {
        if (this.state.sender) await this.request('DELETE', `/api/conversations/${encodeURIComponent(this.state.sender)}`);
      } catch (error) {
        this.notice(error.explanation || TEXT.forgetFailed, 'error');
        return;
      }
      storage.clear();
      this.persisting = false;
      this.state = { sender: null, open: true, messages: [] };
      this.log.replaceChildren();
      this.notice(TEXT.forgotten, 'info');
    }
  }

  /** Build the widget once its stylesheet is there: no unstyled flash, and a restored log can scroll. */
  const start = () => {
    const create = () => {
      window.OdysseeChat = window.OdysseeChat || new Chat();
    };
    if (document.querySelector('link[data-odyssee-chat]')) {
      create();
      return;
    }
    document.head.append(h('link', {
      rel: 'stylesheet', href: new URL('odyssee-chat.css', CONFIG.assets).href, 'data-odyssee-chat': '',
      onload: create, onerror: create,
    }));
  };

  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
