import { INVITE_TOKEN_HEADER } from '../../shared/api/limits.ts';

/** What sends a request: the global fetch, or an in-process app's `request`. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** A browser-like API client: keeps the session cookie, or sends an invite token, like the real client. */
export class HttpSession {
  readonly baseUrl: string;
  private cookie: string | undefined;
  private readonly inviteToken: string | undefined;
  private readonly send: Fetch;

  /** `fetch` defaults to the network; an in-process app passes its own `app.request` (see inProcessApp.ts). */
  constructor(baseUrl: string, options: { inviteToken?: string; fetch?: Fetch } = {}) {
    this.baseUrl = baseUrl;
    this.inviteToken = options.inviteToken;
    this.send = options.fetch ?? fetch;
  }

  /** A session for the invite link `url` (the token is its last path segment). */
  static forInvite(baseUrl: string, url: string, options: { fetch?: Fetch } = {}): HttpSession {
    const token = new URL(url).pathname.split('/').pop() ?? '';
    return new HttpSession(baseUrl, { ...options, inviteToken: token });
  }

  /** Another client holding the same session cookie (to prove the server, not the browser, ended it). */
  copy(): HttpSession {
    const twin = new HttpSession(this.baseUrl, { fetch: this.send });
    twin.cookie = this.cookie;
    return twin;
  }

  async login(email: string, password: string): Promise<void> {
    const res = await this.request('POST', '/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  }

  async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers['cookie'] = this.cookie;
    if (this.inviteToken) headers[INVITE_TOKEN_HEADER] = this.inviteToken;
    const res = await this.send(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    return res;
  }

  /** A request that must succeed; returns its parsed JSON. */
  async json(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await this.request(method, path, body);
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  }
}
