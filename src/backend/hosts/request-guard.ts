// Runs in the backend (plain Node): browser mode's check of where a request comes from, before the token is
// even looked at. DNS rebinding lets a web page on another site reach 127.0.0.1 under its own name, so every
// HTTP route and the WebSocket upgrade must name this server in Host (the bound address, or a loopback name,
// with its port), and a browser's Origin, when it sends one, must be this server too.
import type { IncomingMessage } from 'node:http'
import os from 'node:os'

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', ''])

/** A host name as it appears in a Host header: IPv6 in brackets, lower case. */
function hostForm(host: string): string {
  const h = host.toLowerCase()
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h
}

/**
 * The names this server answers to: the loopback names and the bound address; a server bound to every
 * interface (0.0.0.0, ::) also answers to this machine's own addresses and name.
 */
export function allowedHostNames(boundHost: string, extra: readonly string[] = []): Set<string> {
  const names = new Set([...LOOPBACK_NAMES, ...extra.map(hostForm)])
  if (!WILDCARDS.has(boundHost)) names.add(hostForm(boundHost))
  else {
    names.add(os.hostname().toLowerCase())
    for (const list of Object.values(os.networkInterfaces())) {
      for (const a of list ?? []) names.add(hostForm(a.address.replace(/%.*$/, '')))
    }
  }
  return names
}

/** Splits "name:port" (or "[v6]:port"); the port is null when absent, NaN when not a number. */
export function splitHostHeader(value: string): { name: string; port: number | null } {
  const v = value.trim().toLowerCase()
  const close = v.startsWith('[') ? v.indexOf(']') : -1
  const colon = close >= 0 ? v.indexOf(':', close) : v.lastIndexOf(':')
  if (colon < 0) return { name: v, port: null }
  const portText = v.slice(colon + 1)
  return { name: v.slice(0, colon), port: /^\d{1,5}$/.test(portText) ? Number(portText) : NaN }
}

/** A header value safe to quote in a refusal: short, printable. */
function quoted(value: string): string {
  return JSON.stringify(value.replace(/[^\x20-\x7e]/g, '?').slice(0, 80))
}

export interface RequestGuard {
  /** Why this request is refused (a sentence for the 403 body), or null when it may go on. */
  refusal(req: IncomingMessage): string | null
}

/**
 * `port()` is read per request: the port is known only once the server listens (port 0 picks one). A loopback
 * name is accepted on any port (an SSH tunnel may forward another local port here, and no rebinding attack can
 * make a browser send a loopback name); any other name only with this server's port. A browser's Origin must
 * be the very address the request was sent to: only the studio's own page may use it.
 */
export function makeRequestGuard(
  boundHost: string,
  port: () => number,
  extraHostNames: readonly string[] = []
): RequestGuard {
  const names = allowedHostNames(boundHost, extraHostNames)
  const ours = (name: string, p: number | null): boolean => {
    if (!names.has(name) || Number.isNaN(p)) return false
    return LOOPBACK_NAMES.includes(name) || p === port() || (p === null && port() === 80)
  }
  const address = (): string => `http://127.0.0.1:${port()}`
  return {
    refusal(req) {
      const host = req.headers.host
      if (!host) return `Refused: the request names no Host. Open ${address()}.`
      const h = splitHostHeader(host)
      if (!ours(h.name, h.port)) {
        return `Refused: this studio answers only at its own address (${address()}), not at ${quoted(host)}. Open the address it printed.`
      }
      const origin = req.headers.origin
      if (origin === undefined) return null
      if (!sameOrigin(origin, h)) {
        return `Refused: a page from ${quoted(origin)} may not use this studio; only its own page (${address()}) may.`
      }
      return null
    }
  }
}

/** Whether `origin` is http://<the Host the request named>, ports compared with their defaults filled in. */
function sameOrigin(origin: string, host: { name: string; port: number | null }): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  const port = url.port === '' ? 80 : Number(url.port)
  return url.protocol === 'http:' && hostForm(url.hostname) === host.name && port === (host.port ?? 80)
}
