import { INVITE_TOKEN_HEADER } from '../../shared/api/limits.ts';

/** A browser-like API client: keeps the session cookie, or sends an invite token, like the real client. */
export class HttpSession {
  readonly baseUrl: string;
  private cookie: string | undefined;
  private readonly inviteToken: string | undefined;

  constructor(baseUrl: string, options: { inviteToken?: string } = {}) {
    this.baseUrl = baseUrl;
    this.inviteToken = options.inviteToken;
  }

  /** A session for the invite link `url` (the token is its last path segment). */
  static forInvite(baseUrl: string, url: string): HttpSession {
    const token = new URL(url).pathname.split('/').pop() ?? '';
    return new HttpSession(baseUrl, { inviteToken: token });
  }

  /** Another client holding the same session cookie (to prove the server, not the browser, ended it). */
  copy(): HttpSession {
    const twin = new HttpSession(this.baseUrl);
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
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
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
