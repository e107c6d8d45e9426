/**
 * The demo page's script, served at `/demo/chat.js`: plain browser JavaScript (no framework, no build step), kept
 * as a string so the page is served the same way from `src/` under tsx and from `dist/` after `tsc`. It draws
 * the chat from `GET /demo/api/timeline` (long polling), sends as the follower through `POST /demo/api/messages`
 * and `/demo/api/images`, and drives the side panel through `/demo/api/settings`. It never uses innerHTML for
 * data: every text goes through textContent.
 */
export const DEMO_PAGE_SCRIPT = String.raw`(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var chat = $('chat');
  var state = null;
  var epoch = 0;
  var version = -1;
  var items = new Map();
  var nodes = new Map();
  var firstPaint = true;

  var AVATAR_ACCOUNT = '<svg width="26" height="26" viewBox="0 0 26 26" aria-hidden="true"><path fill="#fff" d="M13 3C7 3 2.5 7 2.5 12c0 2.8 1.4 5.3 3.7 7l-.9 3.6 4.1-2.2c1.1.3 2.3.5 3.6.5 6 0 10.5-4 10.5-9S19 3 13 3Z"/><circle cx="8.5" cy="12" r="1.6" fill="#07c160"/><circle cx="13" cy="12" r="1.6" fill="#07c160"/><circle cx="17.5" cy="12" r="1.6" fill="#07c160"/></svg>';
  var AVATAR_ME = '<svg width="28" height="28" viewBox="0 0 28 28" aria-hidden="true"><circle cx="14" cy="10.5" r="5.2" fill="#fff"/><path fill="#fff" d="M4 27c.6-6 4.6-9.6 10-9.6S23.4 21 24 27Z"/></svg>';
  var OUTCOME_LABEL = { reply: 'reply', 'no-reply': 'no reply', late: 'waiting text', success: 'success', inline: 'instant', timeout: 'timed out', invalid: 'invalid', error: 'error' };
  var URL_RE = /(https?:\/\/[^\s<>"'，。；）)]+)/g;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  function seconds(ms) { return (ms / 1000).toFixed(1) + ' s'; }

  function api(path, init) {
    return fetch(path, init).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        if (!res.ok) throw new Error(body.error || ('HTTP ' + res.status));
        return body;
      });
    });
  }

  function postJson(path, body) {
    return api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  // ---- chat items ----

  function linkified(text) {
    var parts = text.split(URL_RE);
    return parts.map(function (part, i) {
      return i % 2 === 1 ? el('a', { href: part, target: '_blank', rel: 'noopener noreferrer', text: part }) : document.createTextNode(part);
    });
  }

  function messageNode(m) {
    if (m.type === 'text') return el('div', { className: 'bubble text' }, linkified(m.text));
    if (m.type === 'image') {
      var img = el('img', { src: m.url, alt: '图片' });
      img.addEventListener('load', function () { if (stick) scrollToEnd(); });
      img.addEventListener('click', function () { window.open(m.url, '_blank'); });
      return el('div', { className: 'bubble image' }, [img]);
    }
    if (m.type === 'news') {
      var card = el(m.url ? 'a' : 'div', m.url ? { className: 'news', href: m.url, target: '_blank', rel: 'noopener noreferrer' } : { className: 'news' }, [
        el('div', { className: 'title', text: m.title }),
        el('div', { className: 'line' }, [el('div', { className: 'desc', text: m.description || '' }), m.picUrl ? el('img', { src: m.picUrl, alt: '' }) : null]),
      ]);
      return card;
    }
    return el('div', { className: 'bubble media', text: m.label || '[message]' });
  }

  function arrivalNode(item) {
    var a = item.arrival;
    var what = a.channel === 'passive' ? 'delivery ' + a.delivery : a.channel;
    var extra = a.channel === 'push' && a.duringDelivery ? ' (while delivery ' + a.duringDelivery + ' was open)' : '';
    var when = typeof item.elapsedMs === 'number' ? ' · ' + seconds(item.elapsedMs) : '';
    var part = item.part ? ' · part ' + item.part.n + '/' + item.part.of : '';
    return el('div', { className: 'arrival', 'data-channel': a.channel, title: 'how this message reached the follower, and when (after the follower wrote)' }, [
      el('span', { className: 'dot' }), el('b', { text: what }), document.createTextNode(when + part + extra),
    ]);
  }

  function deliveriesNode(item) {
    if (!item.deliveries.length) return null;
    return el('div', { className: 'deliveries', title: 'WeChat deliveries of this message and what the gateway did with each' }, item.deliveries.map(function (d) {
      return el('span', { 'data-outcome': d.outcome, text: d.n + ' ' + (OUTCOME_LABEL[d.outcome] || d.outcome) + ' ' + (d.atMs / 1000).toFixed(1) + 's' });
    }));
  }

  function avatar(kind) {
    var node = el('div', { className: 'avatar ' + kind });
    node.innerHTML = kind === 'account' ? AVATAR_ACCOUNT : AVATAR_ME;
    return node;
  }

  function itemNode(item) {
    if (item.kind === 'notice') return el('div', { className: 'notice ' + item.tone, 'data-item': item.id }, [el('span', { text: item.text })]);
    if (item.kind === 'follower' && item.message.type === 'event') {
      return el('div', { className: 'event-line', 'data-item': item.id, 'data-kind': 'follower' }, [el('span', { text: item.message.label })]);
    }
    var mine = item.kind === 'follower';
    var body = el('div', { className: 'body' }, [messageNode(item.message), mine ? deliveriesNode(item) : arrivalNode(item)]);
    var side = null;
    if (mine && item.state === 'sending') side = el('div', { className: 'spinner', title: 'WeChat is delivering this message' });
    if (mine && item.state === 'failed') side = el('div', { className: 'failed-mark', text: '!', title: 'not delivered' });
    return el('div', { className: 'row' + (mine ? ' mine' : ''), 'data-item': item.id, 'data-kind': item.kind }, [avatar(mine ? 'me' : 'account'), body, side]);
  }

  function clock(at) {
    var d = new Date(at);
    return d.getHours() + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  var stick = true;
  function nearEnd() { return chat.scrollHeight - chat.scrollTop - chat.clientHeight < 120; }
  function scrollToEnd() { chat.scrollTop = chat.scrollHeight; }

  function layout() {
    var ordered = Array.from(items.values()).sort(function (a, b) { return a.at - b.at || Number(a.id.slice(1)) - Number(b.id.slice(1)); });
    var frag = document.createDocumentFragment();
    var last = -Infinity;
    ordered.forEach(function (item) {
      if (item.at - last > 5 * 60 * 1000) frag.appendChild(el('div', { className: 'time-sep', text: clock(item.at) }));
      last = item.at;
      frag.appendChild(nodes.get(item.id));
    });
    chat.replaceChildren(frag);
  }

  function apply(changes) {
    stick = firstPaint || nearEnd();
    if (changes.epoch !== epoch) {
      epoch = changes.epoch;
      items.clear();
      nodes.clear();
      $('log').replaceChildren();
    }
    version = changes.version;
    changes.items.forEach(function (item) {
      items.set(item.id, item);
      nodes.set(item.id, itemNode(item));
    });
    if (changes.items.length || firstPaint) layout();
    changes.log.forEach(addLog);
    $('account-name').textContent = changes.status.typing ? '对方正在输入...' : state.account.name;
    if (stick) scrollToEnd();
    firstPaint = false;
    document.body.setAttribute('data-version', String(version));
  }

  function addLog(entry) {
    var list = $('log');
    var t = new Date(entry.at);
    var time = String(t.getHours()).padStart(2, '0') + ':' + String(t.getMinutes()).padStart(2, '0') + ':' + String(t.getSeconds()).padStart(2, '0');
    var endOfLog = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.appendChild(el('li', { className: entry.level }, [el('time', { text: time }), el('span', { className: 'src', 'data-source': entry.source, text: entry.source }), el('span', { className: 'text', text: entry.text })]));
    while (list.children.length > 400) list.removeChild(list.firstChild);
    if (endOfLog) list.scrollTop = list.scrollHeight;
  }

  function hint(text) {
    var node = el('div', { className: 'notice hint' }, [el('span', { text: text })]);
    chat.appendChild(node);
    scrollToEnd();
    setTimeout(function () { node.remove(); }, 6000);
  }

  // Long polling: each answer carries what changed; the next request waits for more. A failed request (the demo
  // restarting) or a change the page cannot draw never stops the loop.
  function poll() {
    api('/demo/api/timeline?epoch=' + epoch + '&version=' + version + '&waitMs=20000').then(function (changes) {
      try { apply(changes); } catch (e) { console.error('mpgate demo: cannot draw a change', e); }
      poll();
    }, function () {
      setTimeout(poll, 1500);
    });
  }

  // ---- sending ----

  function send(body) {
    return postJson('/demo/api/messages', body).catch(function (e) { hint(e.message); });
  }

  function sendText() {
    var input = $('input');
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    syncSendButton();
    send({ type: 'text', content: text });
  }

  function syncSendButton() {
    var typed = $('input').value.trim().length > 0;
    $('send').hidden = !typed;
    $('pick-image').hidden = typed;
  }

  function sendImage(file) {
    api('/demo/api/images?filename=' + encodeURIComponent(file.name), { method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream' }, body: file })
      .catch(function (e) { hint(e.message); });
  }

  function clickMenu(item) {
    closeSubMenus();
    return send({ type: 'click', key: item.key, label: item.name });
  }

  function closeSubMenus() {
    document.querySelectorAll('.sub-menu').forEach(function (m) { m.hidden = true; });
  }

  function renderMenu(menu) {
    var bar = $('menu-buttons');
    bar.replaceChildren();
    menu.forEach(function (button) {
      var holder = el('div', { className: 'menu-button' });
      var main = el('button', { type: 'button', className: button.sub ? 'has-sub' : '', text: button.name });
      holder.appendChild(main);
      if (button.sub) {
        var sub = el('div', { className: 'sub-menu' }, button.sub.map(function (item) {
          var b = el('button', { type: 'button', text: item.name });
          b.addEventListener('click', function (e) { e.stopPropagation(); clickMenu(item); });
          return b;
        }));
        sub.hidden = true;
        holder.appendChild(sub);
        main.addEventListener('click', function (e) {
          e.stopPropagation();
          var open = sub.hidden;
          closeSubMenus();
          sub.hidden = !open;
        });
      } else {
        main.addEventListener('click', function () { clickMenu(button); });
      }
      bar.appendChild(holder);
    });
  }

  function showBars() {
    var following = state.follower.subscribed;
    $('follow-bar').hidden = following;
    if (!following) { $('input-bar').hidden = true; $('menu-bar').hidden = true; }
    else if ($('input-bar').hidden && $('menu-bar').hidden) $('input-bar').hidden = false;
  }

  // ---- side panel ----

  function landing(latency) {
    var w = state.window;
    for (var k = 1; k <= w.attempts; k++) {
      var deadline = (k - 1) * w.timeoutMs + w.timeoutMs - w.safetyMarginMs;
      if (latency < deadline) {
        return 'Answer ready at about ' + seconds(latency) + ': a passive reply on delivery ' + k + (k > 1 ? ' (WeChat gave up on ' + (k === 2 ? 'delivery 1' : 'deliveries 1–' + (k - 1)) + ' and delivered again).' : '.');
      }
    }
    var lastAnswer = (w.attempts - 1) * w.timeoutMs + w.timeoutMs - w.safetyMarginMs;
    return state.settings.verified
      ? 'Slower than every delivery: delivery ' + w.attempts + ' answers with the waiting text at ' + seconds(lastAnswer) + ', then the answer is pushed by 客服 at about ' + seconds(latency) + '.'
      : 'Slower than every delivery: delivery ' + w.attempts + ' tells the follower to send the keyword; the answer waits in the store until they do.';
  }

  function renderSettings() {
    var s = state.settings;
    var w = state.window;
    $('window-s').textContent = String(w.timeoutMs / 1000);
    $('attempts').textContent = String(w.attempts);
    var slider = $('latency');
    slider.max = String(w.timeoutMs * 6);
    slider.step = String(Math.max(10, w.timeoutMs / 50));
    slider.value = String(s.aiLatencyMs);
    $('latency-value').textContent = seconds(s.aiLatencyMs);
    $('latency-explain').textContent = landing(s.aiLatencyMs);
    var presets = $('presets');
    presets.replaceChildren.apply(presets, state.latencyPresets.map(function (ms) {
      var chip = el('button', { type: 'button', className: 'chip', 'aria-pressed': String(ms === s.aiLatencyMs), 'data-latency': String(ms), text: seconds(ms).replace('.0 s', ' s') });
      chip.addEventListener('click', function () { change({ aiLatencyMs: ms }); });
      return chip;
    }));
    $('verified-on').setAttribute('aria-pressed', String(s.verified));
    $('verified-off').setAttribute('aria-pressed', String(!s.verified));
    $('account-explain').textContent = s.verified
      ? 'Late answers and the rest of long answers are pushed as 客服 messages (up to 5 per follower message).'
      : 'WeChat refuses 客服 (48001): late answers are kept, and the follower fetches them by sending 「' + state.fetchKeyword + '」.';
    $('dify-fails').checked = s.difyFails;
    $('wechat-busy').checked = s.wechatBusy;
    $('openid').textContent = state.follower.openid;
    $('openid').title = 'the follower\'s OpenID';
    $('toggle-follow').textContent = state.follower.subscribed ? 'unfollow' : 'follow';
    showBars();
  }

  function change(patch) {
    return postJson('/demo/api/settings', patch).then(function (settings) {
      state.settings = settings;
      renderSettings();
    }, function (e) { hint(e.message); });
  }

  function refreshState() {
    return api('/demo/api/state').then(function (s) {
      state = s;
      renderSettings();
    });
  }

  function toggleFollow() {
    var type = state.follower.subscribed ? 'unsubscribe' : 'subscribe';
    return send({ type: type }).then(refreshState);
  }

  // ---- wiring ----

  $('composer').addEventListener('submit', function (e) { e.preventDefault(); sendText(); });
  $('send').addEventListener('click', sendText);
  $('input').addEventListener('input', syncSendButton);
  $('pick-image').addEventListener('click', function () { $('file').click(); });
  $('file').addEventListener('change', function () {
    var file = $('file').files[0];
    if (file) sendImage(file);
    $('file').value = '';
  });
  $('to-menu').addEventListener('click', function () { $('input-bar').hidden = true; $('menu-bar').hidden = false; });
  $('to-keyboard').addEventListener('click', function () { closeSubMenus(); $('menu-bar').hidden = true; $('input-bar').hidden = false; $('input').focus(); });
  document.addEventListener('click', closeSubMenus);
  $('follow').addEventListener('click', toggleFollow);
  $('toggle-follow').addEventListener('click', toggleFollow);
  $('restart').addEventListener('click', function () {
    postJson('/demo/api/restart', {}).then(function (s) { state = s; renderSettings(); });
  });
  $('verified-on').addEventListener('click', function () { change({ verified: true }); });
  $('verified-off').addEventListener('click', function () { change({ verified: false }); });
  $('dify-fails').addEventListener('change', function (e) { change({ difyFails: e.target.checked }); });
  $('wechat-busy').addEventListener('change', function (e) { change({ wechatBusy: e.target.checked }); });
  $('latency').addEventListener('input', function (e) {
    var ms = Number(e.target.value);
    $('latency-value').textContent = seconds(ms);
    $('latency-explain').textContent = landing(ms);
  });
  $('latency').addEventListener('change', function (e) { change({ aiLatencyMs: Number(e.target.value) }); });

  function tick() { $('clock').textContent = clock(Date.now()); }
  tick();
  setInterval(tick, 30000);

  refreshState().then(function () {
    $('input-bar').hidden = !state.follower.subscribed;
    $('menu-bar').hidden = true;
    renderMenu(state.menu);
    renderSettings();
    document.body.setAttribute('data-ready', 'true');
    poll();
  }, function (e) { hint('cannot reach the demo server: ' + e.message); });
})();
`;
