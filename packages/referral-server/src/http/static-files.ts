import { realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { HttpProblem, problemResponse } from './http-problem.js';
import { setHeaders, STATIC_PAGE_HEADERS } from './security-headers.js';

/** Whether `path` is `root` or inside it. */
function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/**
 * The real file a request path names inside the served folder, `undefined` when it must not be
 * served: a segment starting with `.` (`/.env`, `/.git/config`), or a path whose real location
 * (symbolic links followed) lies outside the folder. A missing file resolves to itself so the
 * static handler answers it as not found.
 */
async function servablePath(realRoot: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const segments = decoded.split(/[/\\]/).filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.') || segment.includes('\u0000'))) return undefined;
  let target = join(realRoot, ...segments);
  if (!isInside(realRoot, target)) return undefined;
  try {
    if ((await stat(target)).isDirectory()) target = join(target, 'index.html');
    const real = await realpath(target);
    return isInside(realRoot, real) ? real : undefined;
  } catch {
    return target;
  }
}

/**
 * Serves `folder` at `/` (the `--static` option): files only from inside it, never dotfiles, never
 * through a symbolic link that leaves it, each with {@link STATIC_PAGE_HEADERS}.
 */
export function mountStaticFolder(app: Hono<AppEnv>, folder: string): void {
  const root = resolve(folder);
  const realRoot = realpath(root);
  const serve = serveStatic<AppEnv>({ root: relative(process.cwd(), root) || '.' });
  app.use('/*', async (c, next) => {
    const pathname = c.get('url').pathname;
    if (pathname.startsWith('/v1/')) return next();
    const real = await servablePath(await realRoot, pathname);
    if (real === undefined) {
      const response = problemResponse(new HttpProblem('not-found', { detail: 'No such file.' }), c.get('requestId'));
      setHeaders(response, STATIC_PAGE_HEADERS);
      return response;
    }
    const served = await serve(c, next);
    if (served instanceof Response) setHeaders(served, STATIC_PAGE_HEADERS);
    return served;
  });
}
