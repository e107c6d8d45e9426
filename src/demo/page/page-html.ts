import { escapeHtml } from '../../publisher/render/escape-html.js';

const ICONS = {
  signal:
    '<svg width="17" height="11" viewBox="0 0 17 11" aria-hidden="true"><rect x="0" y="7" width="3" height="4" rx="1"/><rect x="4.5" y="5" width="3" height="6" rx="1"/><rect x="9" y="2.5" width="3" height="8.5" rx="1"/><rect x="13.5" y="0" width="3" height="11" rx="1"/></svg>',
  wifi: '<svg width="15" height="11" viewBox="0 0 15 11" aria-hidden="true"><path d="M7.5 2.2c2.2 0 4.2.8 5.7 2.2l1.1-1.2A9.9 9.9 0 0 0 7.5.5 9.9 9.9 0 0 0 .7 3.2l1.1 1.2c1.5-1.4 3.5-2.2 5.7-2.2Zm0 3.3c1.3 0 2.5.5 3.4 1.3l1.1-1.2a6.6 6.6 0 0 0-9 0l1.1 1.2c.9-.8 2.1-1.3 3.4-1.3Zm0 3.2c-.5 0-1 .2-1.3.5L7.5 10.7l1.3-1.5c-.3-.3-.8-.5-1.3-.5Z"/></svg>',
  battery:
    '<svg width="25" height="12" viewBox="0 0 25 12" aria-hidden="true"><rect x=".5" y=".5" width="21" height="11" rx="3" fill="none" stroke="currentColor" opacity=".4"/><rect x="2" y="2" width="18" height="8" rx="1.8"/><path d="M23 4v4c.8-.3 1.3-1.1 1.3-2S23.8 4.3 23 4Z" opacity=".4"/></svg>',
  back: '<svg width="12" height="20" viewBox="0 0 12 20" aria-hidden="true"><path d="M10 2 2 10l8 8" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  profile:
    '<svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>',
  menu: '<svg width="28" height="28" viewBox="0 0 28 28" aria-hidden="true"><circle cx="14" cy="14" r="12.5" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M8.5 10h11M8.5 14h11M8.5 18h11" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"/></svg>',
  plus: '<svg width="28" height="28" viewBox="0 0 28 28" aria-hidden="true"><circle cx="14" cy="14" r="12.5" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M14 8v12M8 14h12" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>',
  keyboard:
    '<svg width="28" height="28" viewBox="0 0 28 28" aria-hidden="true"><circle cx="14" cy="14" r="12.5" fill="none" stroke="currentColor" stroke-width="1.4"/><rect x="7" y="9.5" width="14" height="9" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.3"/><path d="M9.5 12.3h1M12.5 12.3h1M15.5 12.3h1M18 12.3h.5M9.5 15h1M18 15h.5M11.5 16.4h5" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/></svg>',
};

/**
 * The demo page: a phone with a WeChat chat (title bar with the account name, messages, input bar and bottom
 * menu) and a side panel (AI latency, account verification, faults, the follower, the event log). Static: the
 * script at `/demo/chat.js` fills it from `/demo/api/…`.
 */
export function demoPageHtml(accountName: string): string {
  const name = escapeHtml(accountName);
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} · mpgate demo</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 16 16%22%3E%3Crect width=%2216%22 height=%2216%22 rx=%223%22 fill=%22%2307c160%22/%3E%3C/svg%3E">
<link rel="stylesheet" href="/demo/chat.css">
</head>
<body>
<main class="stage">
  <section class="phone" id="phone" aria-label="WeChat chat with ${name}">
    <div class="status-bar"><span id="clock">9:41</span><span class="status-icons">${ICONS.signal}${ICONS.wifi}${ICONS.battery}</span></div>
    <header class="title-bar">
      <button class="nav-icon" type="button" aria-label="back" tabindex="-1">${ICONS.back}</button>
      <h1 id="account-name">${name}</h1>
      <span class="nav-icon" aria-hidden="true">${ICONS.profile}</span>
    </header>
    <div class="chat" id="chat" aria-live="polite"></div>
    <footer class="bottom">
      <div class="input-bar" id="input-bar">
        <button class="icon-btn" type="button" id="to-menu" title="菜单" aria-label="show the account menu">${ICONS.menu}</button>
        <form class="composer" id="composer" autocomplete="off"><input id="input" type="text" enterkeyhint="send" aria-label="message"></form>
        <button class="icon-btn" type="button" id="pick-image" title="发送图片" aria-label="send an image">${ICONS.plus}</button>
        <button class="send" type="button" id="send" hidden>发送</button>
        <input type="file" id="file" accept="image/png,image/jpeg,image/gif" hidden>
      </div>
      <div class="menu-bar" id="menu-bar" hidden>
        <button class="icon-btn" type="button" id="to-keyboard" title="键盘" aria-label="show the keyboard">${ICONS.keyboard}</button>
        <div class="menu-buttons" id="menu-buttons"></div>
      </div>
      <div class="follow-bar" id="follow-bar" hidden><button type="button" id="follow">关注公众号</button></div>
      <div class="home-indicator"></div>
    </footer>
  </section>

  <aside class="panel" aria-label="demo controls">
    <h2>mpgate demo</h2>
    <p class="lead">On the phone you are a follower of an Official Account served by the real mpgate gateway. WeChat and Dify
      are local simulators in this process: WeChat waits <b id="window-s">5</b> s for each delivery of a message and
      delivers it up to <b id="attempts">3</b> times. Under each answer: how it arrived and when.</p>

    <section class="card" aria-labelledby="latency-h">
      <h3 id="latency-h">AI latency</h3>
      <div class="presets" id="presets"></div>
      <div class="slider-row"><input type="range" id="latency" min="0" step="100" aria-label="AI latency in ms"><output id="latency-value" for="latency"></output></div>
      <p class="explain" id="latency-explain"></p>
    </section>

    <section class="card" aria-labelledby="account-h">
      <h3 id="account-h">Account</h3>
      <div class="segmented" role="group" aria-label="verification">
        <button type="button" id="verified-on">verified (客服 push)</button><button type="button" id="verified-off">unverified (keyword)</button>
      </div>
      <p class="explain" id="account-explain"></p>
    </section>

    <section class="card" aria-labelledby="faults-h">
      <h3 id="faults-h">Failure injection</h3>
      <div class="switches">
        <label><input type="checkbox" id="dify-fails"> Dify answers HTTP 500</label>
        <label><input type="checkbox" id="wechat-busy"> WeChat busy: 客服 sends fail with -1</label>
      </div>
    </section>

    <section class="card" aria-labelledby="follower-h">
      <h3 id="follower-h">Follower</h3>
      <div class="follower-row"><code id="openid"></code><button type="button" id="toggle-follow">unfollow</button><button type="button" id="restart">new follower</button></div>
    </section>

    <section class="card log-card" aria-labelledby="log-h">
      <h3 id="log-h">Event log</h3>
      <ol class="log" id="log"></ol>
    </section>
  </aside>
</main>
<script src="/demo/chat.js"></script>
</body>
</html>
`;
}
