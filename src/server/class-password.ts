/**
 * The optional class password (`CLASS_PASSWORD=… npm start`): the people's side of the studio —
 * its pages, and the broker's and console's WebSockets — is for browsers that typed it once. The
 * server asks with a small page of its own (no script), and the browser keeps an HttpOnly,
 * SameSite=Strict cookie that holds a token made from the password, never the password. Boards on
 * the MQTT TCP port are not asked: they log in with their lesson's credentials.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fromOwnPage, pathnameOf } from './upgrade-door.ts';

/** The cookie a browser keeps once it gave the password. */
export const CLASS_COOKIE = 'iot-blocks-class';

/** Where the password page posts its form. */
export const PASSWORD_PATH = '/class-password';

/** A password form is a few words; anything longer is not one. */
const MAX_FORM_BYTES = 4096;

/** How long a browser stays let in: a school year. */
const COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

/** The password page's own policy: its inline style, its form, nothing else. */
const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'";

/** The token the cookie carries for `password`: the same after a restart, new with a new password. */
function tokenFor(password: string): Buffer {
  return createHmac('sha256', password).update('iot-blocks class password, v1').digest();
}

/** The value of cookie `name` in `req`'s Cookie header, if it has one. */
function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = pair.split('=');
    if (key.trim() === name) return value.join('=').trim();
  }
  return undefined;
}

/** `text` safe in HTML text and in a double-quoted attribute. */
function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

/** Where to go back to after the password: a path of this studio, or `/`. */
export function pageToReturnTo(next: string | null | undefined): string {
  // `//host` and `/\host` are other sites to a browser.
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  try {
    const url = new URL(next, 'http://studio.invalid');
    return url.origin === 'http://studio.invalid' ? `${url.pathname}${url.search}` : '/';
  } catch {
    return '/';
  }
}

/** The page that asks for the password: Chinese and English, for children and teachers. */
export function passwordPage(next: string, wrong: boolean, chineseFirst: boolean): string {
  const zh = {
    title: '班级密码',
    ask: '请输入老师告诉你的班级密码。',
    wrong: '密码不对，请再试一次。',
    enter: '进入',
    once: '这个浏览器只需要输入一次。',
  };
  const en = {
    title: 'Class password',
    ask: 'Type the class password your teacher gave you.',
    wrong: 'That password is not right. Try again.',
    enter: 'Enter',
    once: 'This browser asks only once.',
  };
  const [first, second] = chineseFirst
    ? [
        { lang: 'zh-Hans', ...zh },
        { lang: 'en', ...en },
      ]
    : [
        { lang: 'en', ...en },
        { lang: 'zh-Hans', ...zh },
      ];
  const both = (key: keyof typeof zh) =>
    `<span lang="${first.lang}">${first[key]}</span> <span lang="${second.lang}">${second[key]}</span>`;
  return `<!doctype html>
<html lang="${first.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>IoT Blocks · ${first.title} · ${second.title}</title>
<style>
body { font-family: system-ui, sans-serif; background: #f3f6fa; margin: 0; display: grid; place-items: center; min-height: 100vh; }
form { background: #fff; padding: 2rem; border-radius: 12px; box-shadow: 0 2px 12px #0002; max-width: 24rem; }
h1 { font-size: 1.4rem; margin-top: 0; }
label, p { display: block; line-height: 1.5; }
span[lang] { display: block; }
input[type="password"] { font-size: 1.4rem; width: 100%; box-sizing: border-box; margin: 0.8rem 0; padding: 0.4rem; }
button { font-size: 1.2rem; padding: 0.4rem 1.4rem; }
.wrong { color: #b00020; font-weight: bold; }
.once { color: #555; font-size: 0.9rem; }
</style>
</head>
<body>
<form method="post" action="${PASSWORD_PATH}">
<h1>IoT Blocks · ${both('title')}</h1>
${wrong ? `<p class="wrong" role="alert">${both('wrong')}</p>\n` : ''}<label for="password">${both('ask')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${escapeHtml(next)}">
<button type="submit">${both('enter')}</button>
<p class="once">${both('once')}</p>
</form>
</body>
</html>
`;
}

/** Whether the person reading prefers Chinese (their browser's first language). */
function prefersChinese(req: IncomingMessage): boolean {
  return /^\s*zh\b/i.test(req.headers['accept-language'] ?? '');
}

/** Reads a small form body; null when it is too long or the connection failed. */
function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', () => resolve(null));
  });
}

/** The class password's door: who is let in, and the page and form that let people in. */
export class ClassDoor {
  readonly #token: Buffer;

  constructor(password: string) {
    this.#token = tokenFor(password);
  }

  /** Whether `req` carries the cookie this password gives. */
  admits(req: IncomingMessage): boolean {
    const value = cookieValue(req, CLASS_COOKIE);
    if (!value) return false;
    const token = Buffer.from(value, 'base64url');
    return token.length === this.#token.length && timingSafeEqual(token, this.#token);
  }

  /**
   * Answers `req` when it is the password form's post or comes without the cookie (then with the
   * password page); returns false, having done nothing, for a request of someone let in.
   */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method === 'POST' && pathnameOf(req) === PASSWORD_PATH) {
      void this.#onForm(req, res);
      return true;
    }
    if (this.admits(req)) return false;
    this.#sendPage(req, res, 401, req.url ?? '/', false);
    return true;
  }

  async #onForm(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Another site's page may not log a browser in to the studio (nor try passwords through it).
    if (!fromOwnPage(req)) {
      req.resume();
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end("Only the studio's own page may send the class password.\n");
      return;
    }
    const form = await readForm(req);
    if (!form) {
      res.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      res.end('That is not a class password form.\n');
      return;
    }
    const next = pageToReturnTo(form.get('next'));
    const given = tokenFor(form.get('password') ?? '');
    if (!timingSafeEqual(given, this.#token)) {
      this.#sendPage(req, res, 401, next, true);
      return;
    }
    res.writeHead(303, {
      Location: next,
      'Set-Cookie':
        `${CLASS_COOKIE}=${this.#token.toString('base64url')}; Path=/; ` +
        `Max-Age=${COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Strict`,
      'Cache-Control': 'no-store',
    });
    res.end();
  }

  #sendPage(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    next: string,
    wrong: boolean,
  ): void {
    const body = passwordPage(pageToReturnTo(next), wrong, prefersChinese(req));
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'Content-Security-Policy': PAGE_POLICY,
    });
    res.end(body);
  }
}
