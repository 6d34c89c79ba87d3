/** The administration calls (admin of `*`): users, their API tokens, the audit log. */
import { request } from '../api/client.ts';
import type { Binding, CreatedToken, Page } from '../api/types.ts';

export interface User {
  name: string;
  bindings: Binding[];
  disabled: boolean;
  hasPassword: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Token {
  id: string;
  user: string;
  name: string;
  createdAt: string;
  expiresAt?: string;
  lastUsedAt?: string;
  expired: boolean;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  namespace?: string;
  source?: string;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  namespace?: string;
  from?: string;
  to?: string;
  page: number;
  size: number;
}

const user = (name: string) => `/users/${encodeURIComponent(name)}`;

export const searchUsers = (q: { q?: string; page: number; size: number }) =>
  request<Page<User>>('/users/search', { query: q });
export const createUser = (body: { name: string; password?: string; bindings: Binding[] }) =>
  request<User>('/users', { method: 'POST', json: body });
export const updateUser = (
  name: string,
  body: { disabled?: boolean; bindings?: Binding[]; password?: string },
) => request<User>(user(name), { method: 'PUT', json: body });
export const deleteUser = (name: string) => request<void>(user(name), { method: 'DELETE' });

export const listTokens = (name: string) => request<Token[]>(`${user(name)}/api-tokens`);
export const createToken = (name: string, body: { name: string; maxAge?: string }) =>
  request<CreatedToken>(`${user(name)}/api-tokens`, { method: 'POST', json: body });
export const revokeToken = (name: string, id: string) =>
  request<void>(`${user(name)}/api-tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const searchAudit = (q: AuditQuery) => request<Page<AuditEntry>>('/audit', { query: { ...q } });
