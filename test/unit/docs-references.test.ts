// The code cites the method and the dependency facts by section (`docs/method.md#5-fusion`): every cited file must
// be in the repository and every cited section must be one of its headings, so a renamed heading or a reference to
// a document outside the repository fails here instead of leaving a dead pointer.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCES = ['apps/api/src', 'apps/cli/src', 'apps/web/src', 'libs/graph/src', 'libs/model/src', 'bench', 'test'];
/** `docs/method.md#a`, optionally followed by ` to #b` or ` and #b` (a range or pair of sections). */
const CITATION = /docs\/(method|stack)\.md(?:#([a-z0-9-]+)(?:\s+(?:to|and)\s+#([a-z0-9-]+))?)?/g;

/** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return new Set(text.split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => headingAnchor(l.replace(/^#+ /, ''))));
}

/** Files under `dir` whose names `wanted` accepts, build outputs and dependencies left out. */
function filesUnder(dir: string, wanted: RegExp): string[] {
  const full = path.join(ROOT, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist', '.next', 'generated'].includes(entry.name) ? [] : filesUnder(rel, wanted);
    return wanted.test(entry.name) ? [rel] : [];
  });
}

describe('references to docs/', () => {
  const files = [...SOURCES.flatMap((dir) => filesUnder(dir, /\.(ts|tsx|mjs)$/)), 'README.md'];
  const anchors = { method: anchorsOf('docs/method.md'), stack: anchorsOf('docs/stack.md') };

  it('turns headings into GitHub anchors', () => {
    expect(headingAnchor('5. Fusion')).toBe('5-fusion');
    expect(headingAnchor('TensorFlow.js')).toBe('tensorflowjs');
    expect(headingAnchor('Where the code departs from the first design')).toBe('where-the-code-departs-from-the-first-design');
  });

  it('name only sections that docs/method.md and docs/stack.md have', () => {
    const dead: string[] = [];
    let cited = 0;
    for (const file of files) {
      if (file === path.join('test', 'unit', 'docs-references.test.ts')) continue;
      for (const m of readFileSync(path.join(ROOT, file), 'utf8').matchAll(CITATION)) {
        const doc = m[1] as 'method' | 'stack';
        for (const anchor of [m[2], m[3]].filter((a): a is string => a !== undefined)) {
          cited++;
          if (!anchors[doc].has(anchor)) dead.push(`${file}: docs/${doc}.md#${anchor}`);
        }
      }
    }
    expect(dead).toEqual([]);
    expect(cited).toBeGreaterThan(30);
  });

  it('leave no reference to the design notes outside the repository (METHOD.md, STACK.md)', () => {
    const outside = files.filter((file) => /\b(METHOD|STACK)\.md\b/.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(outside.filter((f) => f !== path.join('test', 'unit', 'docs-references.test.ts'))).toEqual([]);
  });

  it('link, in README.md and docs/, only to files of the repository and headings they have', () => {
    const markdown = ['README.md', ...filesUnder('docs', /\.md$/)];
    const dead: string[] = [];
    let links = 0;
    for (const file of markdown) {
      for (const m of readFileSync(path.join(ROOT, file), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/.test(target)) continue; // http(s), mailto
        links++;
        const [rel, anchor] = target.split('#');
        const linked = rel === '' ? file : path.join(path.dirname(file), rel);
        if (!existsSync(path.join(ROOT, linked))) dead.push(`${file}: ${target} (no file ${linked})`);
        else if (anchor !== undefined && linked.endsWith('.md') && !anchorsOf(linked).has(anchor)) dead.push(`${file}: ${target} (no heading #${anchor})`);
      }
    }
    expect(dead).toEqual([]);
    expect(links).toBeGreaterThan(10);
  });
});
