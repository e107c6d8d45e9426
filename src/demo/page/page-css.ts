/** The width of the phone frame: a 375 px phone, WeChat's usual design width. */
export const PHONE_WIDTH = 375;
/** The height of the phone frame: a 375 × 812 screen (iPhone X to 13 mini). */
export const PHONE_HEIGHT = 812;

/**
 * The demo page's stylesheet: a WeChat chat on a phone (WeChat's greys, the #95ec69 bubble, #07c160 buttons) and
 * a side panel. Served at `/demo/chat.css`.
 */
export const DEMO_PAGE_CSS = `
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body {
  background: #e4e6ea; color: #191919;
  font-family: -apple-system, BlinkMacSystemFont, "PingFang SC", "Helvetica Neue", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
  font-size: 14px;
}
button { font: inherit; cursor: pointer; }
[hidden] { display: none !important; }

.stage { display: flex; flex-wrap: wrap; gap: 28px; justify-content: center; align-items: flex-start; padding: 24px 16px; }

/* ---- the phone ---- */
.phone {
  position: relative; flex: none; width: ${PHONE_WIDTH}px; height: ${PHONE_HEIGHT}px; display: flex; flex-direction: column;
  background: #ededed; border-radius: 28px; overflow: hidden;
  box-shadow: 0 0 0 10px #1b1b1d, 0 0 0 11px #3a3a3c, 0 18px 50px rgba(0,0,0,.35);
  margin: 11px;
}
.status-bar { flex: none; height: 30px; padding: 8px 22px 0 28px; display: flex; justify-content: space-between; align-items: center; font-size: 14px; font-weight: 600; }
.status-icons { display: flex; gap: 5px; align-items: center; }
.status-icons svg { display: block; }
.title-bar { flex: none; height: 44px; display: grid; grid-template-columns: 44px 1fr 44px; align-items: center; border-bottom: 1px solid #dcdcdc; }
.title-bar h1 { margin: 0; font-size: 17px; font-weight: 500; text-align: center; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.title-bar .nav-icon { display: flex; justify-content: center; color: #191919; background: none; border: 0; padding: 0; }

.chat { flex: 1; overflow-y: auto; padding: 6px 12px 14px; scroll-behavior: auto; }
.chat::-webkit-scrollbar { width: 0; }
.time-sep { text-align: center; margin: 14px 0 6px; font-size: 12px; color: #a8a8a8; }
.notice { display: flex; justify-content: center; margin: 12px 24px; }
.notice span { max-width: 100%; padding: 4px 9px; border-radius: 4px; background: #dadada; color: #fff; font-size: 12px; line-height: 1.5; text-align: center; }
.notice.hint span { background: none; color: #a0a0a0; padding: 0; }

.row { display: flex; align-items: flex-start; gap: 10px; margin: 14px 0 0; }
.row.mine { flex-direction: row-reverse; }
.avatar { flex: none; width: 40px; height: 40px; border-radius: 5px; display: flex; align-items: center; justify-content: center; overflow: hidden; }
.avatar.account { background: #07c160; }
.avatar.me { background: #7d9ec4; }
.body { display: flex; flex-direction: column; max-width: 246px; min-width: 0; }
.row.mine .body { align-items: flex-end; }

.bubble {
  position: relative; padding: 9px 11px; border-radius: 5px; background: #fff; font-size: 16px; line-height: 1.45;
  white-space: pre-wrap; word-break: break-word; overflow-wrap: anywhere; color: #191919;
}
.bubble::before { content: ""; position: absolute; top: 13px; left: -5px; width: 10px; height: 10px; background: inherit; transform: rotate(45deg); border-radius: 1px; }
.row.mine .bubble { background: #95ec69; }
.row.mine .bubble::before { left: auto; right: -5px; }
.bubble a { color: #576b95; text-decoration: none; }
.bubble.image { padding: 0; background: none; }
.bubble.image::before { display: none; }
.bubble.image img { display: block; max-width: 150px; max-height: 200px; border-radius: 5px; cursor: zoom-in; }
.bubble.media { color: #576b95; }

.news { width: 246px; background: #fff; border-radius: 5px; padding: 12px 13px; display: block; color: inherit; text-decoration: none; }
.news .title { font-size: 16px; line-height: 1.35; margin-bottom: 6px; }
.news .line { display: flex; gap: 10px; justify-content: space-between; }
.news .desc { font-size: 13px; color: #8a8a8a; line-height: 1.4; }
.news img { width: 48px; height: 48px; object-fit: cover; flex: none; }

.row .side { display: flex; align-items: center; }
.spinner { width: 16px; height: 16px; margin: 12px 2px 0 0; border: 2px solid #c8c8c8; border-top-color: #7a7a7a; border-radius: 50%; animation: spin .9s linear infinite; flex: none; }
.failed-mark { width: 18px; height: 18px; margin-top: 11px; border-radius: 50%; background: #fa5151; color: #fff; font-size: 12px; font-weight: 700; display: flex; align-items: center; justify-content: center; flex: none; }
@keyframes spin { to { transform: rotate(360deg); } }

.event-line { margin: 14px 0 0; text-align: center; font-size: 12px; color: #a0a0a0; }

/* demo annotations under the bubbles (not part of WeChat) */
.arrival { margin-top: 4px; font-size: 11px; line-height: 16px; color: #9a9a9a; display: flex; gap: 5px; align-items: center; white-space: nowrap; }
.arrival .dot { width: 7px; height: 7px; border-radius: 50%; background: #07c160; flex: none; }
.arrival[data-channel="push"] .dot { background: #10aeff; }
.arrival[data-channel="keyword"] .dot { background: #fa9d3b; }
.arrival b { font-weight: 600; color: #6f6f6f; }
.deliveries { margin-top: 4px; display: flex; gap: 4px; flex-wrap: wrap; justify-content: flex-end; }
.deliveries span { font-size: 10.5px; line-height: 15px; padding: 0 5px; border-radius: 8px; background: #dcdcdc; color: #666; white-space: nowrap; }
.deliveries span[data-outcome="reply"], .deliveries span[data-outcome="inline"] { background: #c9efb3; color: #2f6b12; }
.deliveries span[data-outcome="late"] { background: #ffe2bf; color: #8a4b00; }
.deliveries span[data-outcome="invalid"], .deliveries span[data-outcome="error"], .deliveries span[data-outcome="timeout"] { background: #ffd4d4; color: #a61b1b; }

/* ---- bottom bars ---- */
.bottom { flex: none; background: #f7f7f7; border-top: 1px solid #e0e0e0; padding-bottom: 18px; position: relative; }
.input-bar { display: flex; align-items: center; gap: 8px; padding: 8px 10px; }
.icon-btn { flex: none; width: 30px; height: 30px; padding: 0; border: 0; background: none; color: #181818; display: flex; align-items: center; justify-content: center; }
.composer { flex: 1; min-width: 0; display: flex; }
.composer input { flex: 1; min-width: 0; height: 38px; border: 0; border-radius: 5px; background: #fff; padding: 0 10px; font: inherit; font-size: 16px; outline: none; }
.send { flex: none; height: 32px; padding: 0 13px; border: 0; border-radius: 5px; background: #07c160; color: #fff; font-size: 15px; }
.menu-bar { display: flex; align-items: stretch; min-height: 50px; }
.menu-bar .icon-btn { width: 48px; height: auto; border-right: 1px solid #e0e0e0; }
.menu-buttons { flex: 1; display: flex; }
.menu-button { flex: 1; position: relative; display: flex; }
.menu-button > button { flex: 1; border: 0; background: none; font-size: 15px; color: #191919; padding: 0 4px; }
.menu-button + .menu-button { border-left: 1px solid #e0e0e0; }
.menu-button > button.has-sub::before { content: ""; display: inline-block; width: 12px; height: 10px; margin-right: 5px; background: linear-gradient(#8c8c8c,#8c8c8c) 0 0/12px 1.5px no-repeat, linear-gradient(#8c8c8c,#8c8c8c) 0 4px/12px 1.5px no-repeat, linear-gradient(#8c8c8c,#8c8c8c) 0 8px/12px 1.5px no-repeat; }
.sub-menu { position: absolute; bottom: calc(100% + 10px); left: 50%; transform: translateX(-50%); min-width: 100%; background: #fff; border-radius: 6px; box-shadow: 0 2px 12px rgba(0,0,0,.16); z-index: 5; padding: 0 10px; }
.sub-menu::after { content: ""; position: absolute; bottom: -6px; left: 50%; width: 12px; height: 12px; margin-left: -6px; background: #fff; transform: rotate(45deg); box-shadow: 3px 3px 6px rgba(0,0,0,.06); }
.sub-menu button { display: block; width: 100%; border: 0; background: none; padding: 12px 4px; font-size: 15px; white-space: nowrap; color: #191919; position: relative; z-index: 1; }
.sub-menu button + button { border-top: 1px solid #ececec; }
.follow-bar { padding: 10px 16px; }
.follow-bar button { width: 100%; height: 42px; border: 0; border-radius: 6px; background: #07c160; color: #fff; font-size: 16px; }
.home-indicator { position: absolute; bottom: 6px; left: 50%; width: 130px; height: 5px; margin-left: -65px; border-radius: 3px; background: #1b1b1d; }

/* ---- side panel ---- */
.panel { width: 400px; flex: none; display: flex; flex-direction: column; gap: 12px; max-height: ${PHONE_HEIGHT + 22}px; }
.panel h2 { margin: 2px 0 0; font-size: 20px; }
.panel .lead { margin: 0; color: #555; line-height: 1.5; font-size: 13px; }
.card { background: #fff; border-radius: 10px; padding: 12px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.card h3 { margin: 0 0 8px; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #6b6b6b; font-weight: 600; }
.presets { display: flex; gap: 6px; flex-wrap: wrap; margin-bottom: 8px; }
.chip { border: 1px solid #d6d6d6; background: #fafafa; border-radius: 14px; padding: 3px 10px; font-size: 13px; color: #333; }
.chip[aria-pressed="true"] { background: #07c160; border-color: #07c160; color: #fff; }
.slider-row { display: flex; align-items: center; gap: 10px; }
.slider-row input { flex: 1; accent-color: #07c160; }
.slider-row output { width: 52px; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.explain { margin: 6px 0 0; font-size: 12.5px; color: #555; line-height: 1.45; }
.switches { display: grid; gap: 6px; }
.switches label { display: flex; gap: 8px; align-items: center; font-size: 13.5px; }
.switches input { accent-color: #07c160; width: 16px; height: 16px; margin: 0; }
.segmented { display: inline-flex; border: 1px solid #d6d6d6; border-radius: 7px; overflow: hidden; margin-bottom: 6px; }
.segmented button { border: 0; background: #fafafa; padding: 4px 12px; font-size: 13px; color: #333; }
.segmented button + button { border-left: 1px solid #d6d6d6; }
.segmented button[aria-pressed="true"] { background: #07c160; color: #fff; }
.follower-row { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; font-size: 12px; color: #666; }
.follower-row code { font-size: 11.5px; background: #f2f2f2; padding: 1px 5px; border-radius: 4px; }
.follower-row button { border: 1px solid #d6d6d6; background: #fafafa; border-radius: 6px; padding: 3px 9px; font-size: 12.5px; }
.log-card { flex: 1; min-height: 160px; display: flex; flex-direction: column; }
.log { flex: 1; overflow-y: auto; margin: 0; padding: 0; list-style: none; font: 11.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, "WenQuanYi Micro Hei Mono", monospace; }
.log li { display: grid; grid-template-columns: 58px 58px 1fr; gap: 6px; padding: 2px 0; border-bottom: 1px dashed #eee; }
.log time { color: #999; }
.log .src { font-weight: 700; }
.log .src[data-source="wechat"] { color: #07a150; }
.log .src[data-source="gateway"] { color: #1677c9; }
.log .src[data-source="ai"] { color: #8250df; }
.log .src[data-source="demo"] { color: #888; }
.log li.warn .text { color: #c4261d; }
.panel .foot { font-size: 12px; color: #777; margin: 0; }
`;
