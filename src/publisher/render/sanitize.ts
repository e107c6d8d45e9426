import { isComment, isTag, isText, type AnyNode, type ParentNode } from 'domhandler';
import type { RenderWarning } from './render-env.js';

/** Elements WeChat strips or refuses (and that could run code or load resources); removed with their content. */
const DROPPED = new Set([
  'script', 'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'noscript', 'template', 'form', 'input', 'button', 'textarea', 'select', 'option', 'head', 'title',
]);

/**
 * The last pass: with all styling inline, removes what WeChat would drop or object to — `class` and `id`
 * attributes, event handlers, scripts, styles, embeds, forms, comments and the line breaks between blocks —
 * keeping only the placeholders of deferred HTML (comments starting with `keepCommentPrefix`).
 */
export function sanitizeForWeChat(root: ParentNode, keepCommentPrefix: string, warnings: RenderWarning[]): void {
  const removedTags = new Set<string>();
  const visit = (parent: ParentNode): void => {
    for (let i = parent.children.length - 1; i >= 0; i--) {
      const node = parent.children[i] as AnyNode;
      if (isTag(node)) {
        if (DROPPED.has(node.name) || hasScriptUrl(node.attribs)) {
          removedTags.add(node.name);
          remove(parent, i);
          continue;
        }
        cleanAttributes(node.name, node.attribs);
        visit(node);
      } else if (isComment(node) && !node.data.startsWith(keepCommentPrefix)) {
        remove(parent, i);
      } else if (isText(node) && node.data.includes('\n') && node.data.trim() === '' && !inPre(parent)) {
        // line breaks between blocks: markup formatting only, and the draft API may turn them into gaps
        remove(parent, i);
      }
    }
  };
  visit(root);
  if (removedTags.size > 0) {
    warnings.push({ code: 'html-removed', message: `removed HTML that WeChat does not allow: <${[...removedTags].join('>, <')}>` });
  }
}

function inPre(node: ParentNode | null): boolean {
  for (let n = node; n; n = n.parent) if (isTag(n) && n.name === 'pre') return true;
  return false;
}

function cleanAttributes(name: string, attribs: Record<string, string>): void {
  for (const attr of Object.keys(attribs)) {
    if (attr === 'class' || attr === 'id' || attr.startsWith('on') || (attr === 'href' && name !== 'a')) delete attribs[attr];
  }
}

function hasScriptUrl(attribs: Record<string, string>): boolean {
  for (const attr of ['src', 'href']) {
    const value = attribs[attr];
    if (value !== undefined && /^\s*(?:javascript|vbscript):/i.test(value)) return true;
  }
  return false;
}

function remove(parent: ParentNode, index: number): void {
  const node = parent.children[index] as AnyNode;
  const prev = node.prev;
  const next = node.next;
  if (prev) prev.next = next;
  if (next) next.prev = prev;
  parent.children.splice(index, 1);
  node.parent = null;
}
