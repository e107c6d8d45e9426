import { isTag, type AnyNode, type Element } from 'domhandler';

/** Every element under `node`, in document order (collected first, so callers may mutate while looping). */
export function elementsIn(node: AnyNode, name?: string): Element[] {
  const out: Element[] = [];
  const visit = (n: AnyNode): void => {
    if (isTag(n)) {
      if (name === undefined || n.name === name) out.push(n);
      for (const child of n.children) visit(child);
    } else if ('children' in n) {
      for (const child of n.children) visit(child);
    }
  };
  visit(node);
  return out;
}

/** Decodes the entities markdown-it and hand-written HTML put in attributes (the DOM keeps them raw). */
export function decodeBasicEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#39|#x27|nbsp);/g, (_m, name: string) =>
    name === 'amp' ? '&' : name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : name === 'nbsp' ? '\u00a0' : "'",
  );
}
